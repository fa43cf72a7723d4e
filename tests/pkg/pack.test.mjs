// The npm package as a user gets it: `npm pack` (no Rust needed once built), the tarball
// installed offline into a fresh project, then
// - the tarball holds only what is needed;
// - examples/node.mjs prints the fixtures' figures;
// - tests/pkg/typed-node.ts compiles with tsc against the shipped index.d.ts (no DOM, no
//   @types/node) and its output gives the figures; typed-dom.ts compiles with the DOM library;
// - examples/page.html and examples/worker.html, served next to the installed package's files,
//   show the figures in headless Chromium, loading nothing from outside 127.0.0.1.
// Figures are checked against tests/fixtures/expected.json. Run `npm run build` first.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { repoRoot } from '../../scripts/proc.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { chromiumPath } from '../../scripts/setup.mjs';

const fixture = (name) => join(repoRoot, 'tests', 'fixtures', name);
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** Chromium flags for a sandboxed machine without outside network (as tests/e2e). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Runs a command, returns its stdout; throws with its output when it fails. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`\`${command} ${args.join(' ')}\` failed (${result.error?.message ?? result.status}):\n${output}`);
  }
  return result.stdout;
}

/** Cents as the examples print them: `209840` → `2098.40`. */
const units = (cents) => (cents / 100).toFixed(2);

let work;
let consumer;
let installed;
let tarballFiles;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'shoplens-pack-'));
  run('npm', ['pack', '--pack-destination', work, '--silent'], repoRoot);
  const [tarball] = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  assert.equal(tarball, `shoplens-${packageJson.version}.tgz`);
  tarballFiles = run('tar', ['-tzf', join(work, tarball)], work).trim().split('\n').sort();

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // No runtime dependencies: nothing to fetch, so this works offline.
  run('npm', ['install', join(work, tarball), '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer);
  installed = join(consumer, 'node_modules', 'shoplens');
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the glue, the .wasm, the types, README and LICENSE, and nothing else', () => {
  // The glue imports the JS of `inline_js` (crate/wasm/src/handover.rs) from a folder named by a
  // hash of the crate.
  const snippets = tarballFiles.filter((name) => name.startsWith('package/pkg/snippets/'));
  assert.equal(snippets.length, 1, snippets.join(', '));
  assert.match(snippets[0], /^package\/pkg\/snippets\/shoplens-wasm-[0-9a-f]+\/inline0\.js$/);
  assert.deepEqual(tarballFiles.filter((name) => !snippets.includes(name)), [
    'package/LICENSE',
    'package/README.md',
    'package/js/cli.js',
    'package/js/engine.js',
    'package/js/index.d.ts',
    'package/js/index.js',
    'package/package.json',
    'package/pkg/shoplens.js',
    'package/pkg/shoplens_bg.wasm',
  ]);
});

test('examples/node.mjs prints GMV and paid orders from the installed package', () => {
  cpSync(join(repoRoot, 'examples', 'node.mjs'), join(consumer, 'node.mjs'));
  for (const file of ['taobao_orders_gbk.csv', 'shopify_orders.csv']) {
    const output = run(process.execPath, ['node.mjs', fixture(file)], consumer);
    assert.match(output, new RegExp(`^GMV: ${units(expected[file].gmv_cents)}$`, 'm'), output);
    assert.match(output, new RegExp(`^Paid orders: ${expected[file].paid_orders}$`, 'm'), output);
  }
  const both = run(process.execPath, ['node.mjs', fixture('bad/empty.csv'), fixture('jd_orders.csv')], consumer);
  assert.match(both, /^empty\.csv: .*\(empty_file: /m, 'a bad file is reported and the other goes on');
  assert.match(both, new RegExp(`^Paid orders: ${expected['jd_orders.csv'].paid_orders}$`, 'm'));
});

test('`shoplens sql` runs from the installed package (its bin, through the .bin symlink)', () => {
  const bin = join(consumer, 'node_modules', '.bin', 'shoplens');
  const sql = run(bin, ['sql', '--dialect', 'spark', '--section', 'kpi', fixture('shopify_orders.csv')], consumer);
  assert.match(sql, /^-- shoplens .* Spark SQL dialect$/m, sql);
  assert.match(sql, /`Total`/);
});

test('typed calls compile against the shipped index.d.ts and give the figures', async () => {
  for (const name of ['typed-node.ts', 'typed-dom.ts']) cpSync(join(repoRoot, 'tests', 'pkg', name), join(consumer, name));
  const common = { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false };
  const configs = {
    // A Node project: no DOM library and no @types/node, so nothing but the package's types.
    'tsconfig.node.json': { compilerOptions: { ...common, lib: ['es2022'], types: [], outDir: 'out' }, files: ['typed-node.ts'] },
    'tsconfig.dom.json': { compilerOptions: { ...common, lib: ['es2022', 'dom', 'dom.iterable'], types: [], noEmit: true }, files: ['typed-dom.ts'] },
  };
  for (const [name, config] of Object.entries(configs)) {
    writeFileSync(join(consumer, name), JSON.stringify(config));
    run(process.execPath, [tsc, '-p', name], consumer);
  }

  const { figures } = await import(pathToFileURL(join(consumer, 'out', 'typed-node.js')).href);
  const taobao = 'taobao_orders_gbk.csv';
  const shopify = 'shopify_orders.csv';
  const bytes = (name) => new Uint8Array(readFileSync(fixture(name)));
  const result = await figures(
    [
      { name: taobao, data: bytes(taobao) },
      { name: shopify, data: new Blob([bytes(shopify)]) },
    ],
    [{ name: taobao, bytes: bytes(taobao) }],
  );
  assert.equal(result.version, packageJson.version);
  // Yuan and dollars are never added: the report is of the currency with the most paid orders (CNY).
  assert.equal(result.gmv, expected[taobao].gmv_cents);
  assert.equal(result.paidOrders, expected[taobao].paid_orders);
  assert.equal(result.sessionGmv, expected[taobao].gmv_cents);
  assert.deepEqual(result.platforms, ['taobao', 'shopify']);
  assert.ok(result.segments.length > 0, 'RFM segments');
  assert.deepEqual(result.lastProgress, {
    file: shopify,
    bytes: readFileSync(fixture(shopify)).length,
    totalBytes: readFileSync(fixture(shopify)).length,
    rows: expected[shopify].data_rows,
  });
  assert.equal(result.typoCode, 'invalid_option');
  assert.match(result.sparkKpi, /CREATE OR REPLACE TEMPORARY VIEW .*taobao_orders_gbk/);
  assert.match(result.sparkKpi, /`买家实际支付金额`/);
  // Cohorts over the week (the options' grain) for both order exports.
  for (const file of [taobao, shopify]) {
    assert.ok(result.offeredSections.includes(`kpi:${file}`), result.offeredSections.join(' '));
    assert.ok(result.offeredSections.includes(`cohorts:${file}`), result.offeredSections.join(' '));
  }
});

test('the page and worker examples show the figures in Chromium', async (t) => {
  // The site a user would serve: the installed package's files with the examples beside them,
  // which load the package by relative URL (../js/index.js).
  const site = join(work, 'site');
  cpSync(installed, site, { recursive: true });
  cpSync(join(repoRoot, 'examples'), join(site, 'examples'), { recursive: true });
  const server = await startServer({ root: site, port: 0 });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
  t.after(async () => {
    await browser.close();
    await server.close();
  });
  const context = await browser.newContext();
  const problems = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1') problems.push(`request to ${request.url()}`);
  });

  const open = async (path) => {
    const page = await context.newPage();
    page.on('console', (message) => message.type() === 'error' && problems.push(`${path}: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`${path}: ${error.message}`));
    await page.goto(new URL(path, server.url).href);
    return page;
  };

  await t.test('page.html renders the overview of a Taobao export', async () => {
    const file = 'taobao_orders_gbk.csv';
    const page = await open('examples/page.html');
    await page.setInputFiles('#files', fixture(file));
    const gmv = page.getByTestId('kpi-gmv');
    await gmv.waitFor();
    // The card shows a compact amount; its title has the exact one, e.g. ¥2,098.40.
    const exact = Number(units(expected[file].gmv_cents)).toLocaleString('en-US', { minimumFractionDigits: 2 });
    assert.ok((await gmv.getAttribute('title')).endsWith(exact), `GMV ${await gmv.getAttribute('title')}`);
    assert.equal(await page.getByTestId('kpi-paid_orders').textContent(), String(expected[file].paid_orders));
    assert.match(await page.locator('#status').textContent(), /Analysed 1 file/);
  });

  await t.test('worker.html analyses two exports in a worker with progress', async () => {
    const files = ['taobao_orders_gbk.csv', 'shopify_orders.csv'];
    const page = await open('examples/worker.html');
    await page.setInputFiles('#files', files.map(fixture));
    await page.locator('#status', { hasText: 'Done.' }).waitFor();
    // Yuan and dollars are never added: the figures are the CNY report's (more paid orders).
    const cny = expected['taobao_orders_gbk.csv'];
    assert.equal(await page.locator('#gmv').textContent(), units(cny.gmv_cents));
    assert.equal(await page.locator('#paid-orders').textContent(), String(cny.paid_orders));
    const [value, max] = await page.locator('#progress').evaluate((bar) => [bar.value, bar.max]);
    assert.equal(max, files.reduce((total, file) => total + readFileSync(fixture(file)).length, 0));
    assert.equal(value, max, 'progress messages brought the bar to every byte');
    assert.deepEqual(
      await page.locator('#loads li').allTextContents(),
      files.map((file) => `${file}: ${expected[file].platform}, ${expected[file].data_rows} rows`),
    );
  });

  assert.deepEqual(problems, []);
});
