// The page in a real headless Chromium (Debian's, driven by playwright-core; no downloaded
// browser): the engine worker loads the .wasm under the page's CSP and reports its version,
// nothing is logged as an error, and no request leaves 127.0.0.1. Run `npm run build` first.
// A screenshot goes to tests/artifacts/page.png.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { chromiumPath } from '../../scripts/setup.mjs';

const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));
const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));

/**
 * Flags for a sandboxed CI machine with no outside network: without the background-networking
 * ones Chromium keeps opening connections that the network refuses. --no-sandbox because the
 * tests may run as root.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let server;
let browser;

before(async () => {
  server = await startServer({ port: 0 });
  browser = await chromium.launch({
    executablePath: chromiumPath, // Debian's /usr/bin/chromium unless SHOPLENS_CHROMIUM is set
    args: CHROMIUM_ARGS,
    headless: true,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page starts the engine worker and shows the engine version', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const requestedUrls = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console.error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  // Context-level, so requests made by the worker are seen as well as the page's.
  context.on('request', (request) => requestedUrls.push(request.url()));
  context.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );

  try {
    await page.goto(server.url);
    await page.waitForFunction(
      (expected) => document.getElementById('engine-version')?.textContent === expected,
      packageJson.version,
      { timeout: 15_000 },
    );
    assert.equal(await page.locator('#engine-status').textContent(), '');
    assert.equal(await page.locator('#try-sample').isDisabled(), true);

    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: `${artifactsDir}page.png`, fullPage: true });

    assert.deepEqual(problems, []);
    const offHost = requestedUrls.filter((url) => new URL(url).hostname !== '127.0.0.1');
    assert.deepEqual(offHost, [], 'requests to hosts other than 127.0.0.1');
    // The worker's fetch of the engine is observed, so the check above covers the worker too.
    assert.ok(
      requestedUrls.some((url) => url.endsWith('/pkg/shoplens_bg.wasm')),
      `the .wasm request was not seen: ${requestedUrls.join(', ')}`,
    );
  } finally {
    await context.close();
  }
});
