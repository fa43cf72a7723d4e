// The page starts: the engine worker loads the .wasm under the page's CSP and reports its
// version, the sample button becomes usable, nothing is logged as an error, and no request leaves
// 127.0.0.1 (the worker's fetch of the engine included). A screenshot goes to tests/artifacts/.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifactsDir, openApp, startBrowser } from './harness.mjs';

const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

test('the page starts the engine worker and shows the engine version', async () => {
  const app = await openApp(env);
  try {
    const { page, requests } = app;
    await page.waitForFunction(
      (expected) => document.getElementById('engine-version')?.textContent === expected,
      packageJson.version,
      { timeout: 15_000 },
    );
    assert.equal(await page.locator('#engine-status').textContent(), '');
    assert.equal(await page.locator('#try-sample').isEnabled(), true);
    assert.equal(await page.locator('#workspace').isHidden(), true);
    await page.screenshot({ path: join(artifactsDir, 'page.png'), fullPage: true });
    app.assertClean();
    assert.ok(
      requests.some((url) => url.endsWith('/pkg/shoplens_bg.wasm')),
      `the .wasm request was not seen: ${requests.join(', ')}`,
    );
  } finally {
    await app.context.close();
  }
});

test('the page sends the same Content-Security-Policy in its meta tag as the server header', async () => {
  const { CONTENT_SECURITY_POLICY } = await import('../../scripts/serve.mjs');
  const html = await readFile(new URL('../../www/index.html', import.meta.url), 'utf8');
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.equal(meta, CONTENT_SECURITY_POLICY);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script');
  assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
  assert.doesNotMatch(html, /\son[a-z]+=/, 'no inline event handler');
});

test('the bundled sample data is exactly what scripts/make_sample.py writes', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const script = new URL('../../scripts/make_sample.py', import.meta.url).pathname;
  const run = spawnSync('python3', [script, '--check'], { encoding: 'utf8' });
  if (run.error?.code === 'ENOENT') {
    t.skip('python3 is not installed');
    return;
  }
  assert.equal(run.status, 0, `www/sample is stale; run python3 scripts/make_sample.py\n${run.stderr}`);
  const manifest = JSON.parse(await readFile(new URL('../../www/sample/index.json', import.meta.url), 'utf8'));
  const total = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  assert.ok(total < 1_500_000, `the sample is ${total} bytes`);
});
