// The page's own cost of a big analysis (issue 16, done-when: "the page's memory and time after
// analysis on orders-1m fall measurably"): the real page (www/), the file chosen through its file
// input, in headless Chromium, timed and measured until the first view is on screen.
//
//   node bench/page-memory.mjs [--file bench/data/orders-1m.csv] [--runs 3] [--root DIR]
//
// (--root: serve another checkout's www/, to compare two versions under the same load;
// generate the file first: `node bench/generate.mjs --only orders-1m`; build with
// `node scripts/build.mjs`). Per run, a fresh browser context, and:
// - time to first view: from setting the file on the input to the first view drawn with the
//   progress gone; of it, `reading` ends when the page shows "computing the report" (every file
//   read), and `report → view` is the rest: the analyses, the report's hand-over to the page, and
//   drawing the view;
// - page JS heap: the page's main thread, `Runtime.getHeapUsage` (CDP) sampled every 50 ms (peak),
//   and after a garbage collection once the view is drawn (what the page keeps);
// - engine worker's wasm memory (`memory.buffer.byteLength` at the end: it only grows);
// - peak RSS Δ: resident memory of every Chromium process above the level before the run, from
//   /proc every 50 ms, so the page's own engine instance and the workers count too.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { chromiumPath } from '../scripts/setup.mjs';
import { repoRoot } from '../scripts/proc.mjs';
import { CHROMIUM_ARGS as HARNESS_CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const file = option('--file', join(repoRoot, 'bench', 'data', 'orders-1m.csv'));
const runs = Number(option('--runs', 3));
const root = option('--root', join(repoRoot, 'www'));

// The e2e harness's flags for this machine, and precise heap figures.
const CHROMIUM_ARGS = [...HARNESS_CHROMIUM_ARGS, '--enable-precise-memory-info'];

/** Resident bytes of every process descending from this one (Chromium and its children). */
function browserResidentBytes() {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Ended meanwhile.
    }
  }
  const mine = (pid) => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let bytes = 0;
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue;
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (kb) bytes += Number(kb[1]) * 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return bytes;
}

async function measure(browser, url) {
  const context = await browser.newContext({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => !document.getElementById('try-sample').disabled, null, { timeout: 60_000 });
    // The part workers start when the engine loads, as for a user who chooses a file later.
    await page.waitForTimeout(2000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const before = (await cdp.send('Runtime.getHeapUsage')).usedSize;

    // Marks: when every file is read (the "computing" stage shows) and when the first view is up.
    await page.evaluate(() => {
      const marks = (window.__marks = {});
      const check = () => {
        if (marks.analyzing === undefined && !document.getElementById('progress-stage').hidden) {
          marks.analyzing = performance.now();
        }
        const panel = document.querySelector('.tab-panel:not([hidden]) .view-host > .view');
        if (marks.view === undefined && panel && document.getElementById('progress').hidden) {
          marks.view = performance.now();
        }
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    });

    const baseline = browserResidentBytes();
    let rssPeak = baseline;
    const rssTimer = setInterval(() => {
      rssPeak = Math.max(rssPeak, browserResidentBytes());
    }, 50);
    let heapPeak = before;
    let sampling = true;
    const heapSampler = (async () => {
      while (sampling) {
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        heapPeak = Math.max(heapPeak, usedSize);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const started = await page.evaluate(() => performance.now());
    await page.setInputFiles('#file-input', file);
    await page.waitForFunction(() => window.__marks.view !== undefined, null, { timeout: 600_000, polling: 100 });
    const marks = await page.evaluate(() => window.__marks);
    sampling = false;
    await heapSampler;
    clearInterval(rssTimer);
    rssPeak = Math.max(rssPeak, browserResidentBytes());
    await cdp.send('HeapProfiler.collectGarbage');
    const retained = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    let wasm = 0;
    for (const worker of page.workers()) wasm = Math.max(wasm, await worker.evaluate(() => self.shoplensMemoryBytes?.() ?? 0).catch(() => 0));
    if (errors.length) throw new Error(errors.join('; '));
    return {
      firstView: (marks.view - started) / 1000,
      reading: ((marks.analyzing ?? marks.view) - started) / 1000,
      toView: (marks.view - (marks.analyzing ?? marks.view)) / 1000,
      heapPeak: heapPeak - before,
      heapRetained: retained - before,
      wasm,
      rss: rssPeak - baseline,
    };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (bytes) => Math.round(bytes / 1e6);

const server = await startServer({ port: 0, root });
const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
try {
  const results = [];
  for (let r = 0; r < runs; r++) {
    const result = await measure(browser, server.url);
    results.push(result);
    console.log(
      `run ${r + 1}/${runs}: first view ${result.firstView.toFixed(2)} s (reading ${result.reading.toFixed(2)} s, ` +
        `report → view ${result.toView.toFixed(2)} s); page JS heap peak +${mb(result.heapPeak)} MB, ` +
        `kept +${mb(result.heapRetained)} MB; engine worker wasm ${mb(result.wasm)} MB; peak RSS Δ ${mb(result.rss)} MB`,
    );
  }
  const m = (key) => median(results.map((x) => x[key]));
  console.log(
    `\n${file.split('/').at(-1)} (${mb(statSync(file).size)} MB), median of ${runs}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n` +
      '| time to first view s | reading s | report → view s | page JS heap peak MB | page JS heap kept MB | engine wasm MB | peak RSS Δ MB |\n' +
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
      `| ${m('firstView').toFixed(2)} | ${m('reading').toFixed(2)} | ${m('toView').toFixed(2)} | ${mb(m('heapPeak'))} | ` +
      `${mb(m('heapRetained'))} | ${mb(m('wasm'))} | ${mb(m('rss'))} |`,
  );
} finally {
  await browser.close();
  await server.close();
}
