// Where shoplens spends its time in the browser: runs the engine once on one export under the
// Chromium profiler (CDP), with a wasm build that keeps function names, and prints the functions
// with the most self time.
//
//   node bench/profile.mjs bench/data/events-10m.csv [events|orders]
//
// The build: `cargo build --profile profiling --target wasm32-unknown-unknown -p shoplens-wasm`
// then `wasm-bindgen --target web --keep-debug --out-dir bench/data/pkg-profile --out-name shoplens
// <target>/wasm32-unknown-unknown/profiling/shoplens_wasm.wasm` (this script runs both).

import { join, resolve } from 'node:path';
import { run } from '../scripts/proc.mjs';
import { repoRoot } from '../scripts/proc.mjs';
import { startBenchServer } from './server.mjs';

const [file, kind = 'orders'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile.mjs <export.csv> [orders|events]');
  process.exit(2);
}
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target');
if (!process.argv.includes('--no-build')) {
  run('cargo', ['build', '--profile', 'profiling', '--target', 'wasm32-unknown-unknown', '-p', 'shoplens-wasm']);
  run('wasm-bindgen', [
    '--target', 'web', '--keep-debug', '--out-dir', join(repoRoot, 'bench', 'data', 'pkg-profile'), '--out-name', 'shoplens',
    join(targetDir, 'wasm32-unknown-unknown', 'profiling', 'shoplens_wasm.wasm'),
  ]);
}
const { chromium } = await import('playwright-core');
const server = await startBenchServer(repoRoot);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}?pkg=profile`);
  await page.waitForFunction(() => window.benchReady === true);
  await page.locator('#file').setInputFiles(resolve(file));
  await page.evaluate(() => window.bench.prepare('shoplens'));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  const result = await page.evaluate((k) => window.bench.run('shoplens', k, 'utf-8'), kind);
  const { profile } = await cdp.send('Profiler.stop');
  console.log(`run: ${result.seconds.toFixed(2)} s`, result.split);
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  let total = 0;
  for (const [id, n] of counts) {
    const name = byId.get(id).callFrame.functionName || '(anonymous)';
    self.set(name, (self.get(name) ?? 0) + n);
    total += n;
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
  for (const [name, n] of top) console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 140)}`);
} finally {
  await browser.close();
  await server.close();
}
