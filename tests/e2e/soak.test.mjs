// A day of use in one page (issue 19): analyses in a row — different files, a mapping change,
// filters, language switches, cancels — with the page's JS heap (after a garbage collection) and
// the engine worker's WebAssembly memory measured after each. Neither may grow beyond what the
// biggest file needs: a leak of sessions, workers or report copies would grow them every cycle.
//
// SHOPLENS_SOAK=N runs N analyses (default 50, which keeps CI within its time; the note of issue 19
// has the figures of a longer run). Run `npm run build` first (the page loads www/pkg/).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { digitsOf, fixturesDir, kpi, openApp, startBrowser, waitForReport } from './harness.mjs';

const RUNS = Number(process.env.SHOPLENS_SOAK ?? 50);

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

/** Sets of fixtures loaded in turn (each a fresh load: the previous files are cleared). */
const LOADS = [
  ['taobao_orders_gbk.csv', 'taobao_items_utf8bom.csv', 'erp_skus.csv'],
  ['shopify_orders.csv'],
  ['tianchi_userbehavior.csv', 'sycm_traffic_gbk.csv'],
  ['jd_orders.csv', 'pinduoduo_orders.csv', 'douyin_orders.csv'],
  ['amazon_all_orders.txt', 'woocommerce_analytics.csv'],
];

async function measure(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  let wasm = 0;
  for (const worker of page.workers()) {
    const bytes = await worker.evaluate(() => self.shoplensMemoryBytes?.() ?? 0).catch(() => 0);
    wasm += bytes;
  }
  return { heap: usedSize, wasm };
}

async function loadFresh(page, names) {
  if (await page.locator('#workspace').isVisible()) {
    await page.click('#clear-files');
    await page.waitForSelector('#workspace', { state: 'hidden' });
  }
  await page.setInputFiles('#file-input', names.map((name) => `${fixturesDir}${name}`));
  await waitForReport(page);
}

test(`${RUNS} analyses in a row leak no memory`, { timeout: 30 * 60_000 }, async () => {
  const app = await openApp(env);
  const { page } = app;
  const cdp = await page.context().newCDPSession(page);
  const figures = [];
  try {
    // What the files need: each set loaded once, measured after each.
    const baseline = [];
    for (const files of LOADS) {
      await loadFresh(page, files);
      baseline.push(await measure(page, cdp));
    }
    for (let run = 0; run < RUNS; run++) {
      const step = run % 10;
      const files = LOADS[Math.floor(run / 10 + step) % LOADS.length];
      if (step === 0 || step === 5) {
        await loadFresh(page, files);
      } else if (step === 1 || step === 6) {
        // Filters: the last month of the data only, then back.
        const range = await page.textContent('[data-testid="data-range"]').catch(() => null);
        const last = range?.match(/(\d{4}-\d{2})-\d{2}$/)?.[1];
        if (last) {
          await page.fill('#filter-from', `${last}-01`);
          await page.dispatchEvent('#filter-from', 'change');
          await waitForReport(page);
          await page.click('#filter-reset');
          await waitForReport(page);
        } else {
          await loadFresh(page, files);
        }
      } else if (step === 2 || step === 7) {
        // Language switches (the report is drawn again, not recomputed).
        await page.click('.lang-switch [data-lang="zh-CN"]');
        await page.click('.lang-switch [data-lang="en"]');
      } else if (step === 3) {
        // A cancel: a file dropped and cancelled at once; the page returns to the report it had.
        await page.setInputFiles('#add-input', `${fixturesDir}rees46_events.csv`);
        await page.click('#cancel').catch(() => {});
        await waitForReport(page);
      } else if (step === 4 || step === 9) {
        // A mapping change: the first file's kind set again by hand, applied (read again).
        await page.click('#tab-loads');
        const select = page.locator('#panel-loads select[data-override="kind"]').first();
        const value = await select.inputValue();
        await select.selectOption(value || 'orders');
        await page.click('#mapping-apply').catch(() => {});
        await waitForReport(page);
        await page.click('#tab-overview');
      } else {
        await loadFresh(page, files);
      }
      figures.push(await measure(page, cdp));
    }
    const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
    const last = figures.slice(-10);
    const max = (list, key) => Math.max(...list.map((f) => f[key]));
    console.log(
      `soak ${RUNS} runs: JS heap ${mb(max(baseline, 'heap'))} MB after one load of each set, ` +
        `${mb(max(last, 'heap'))} MB at most over the last 10; engine memory ${mb(max(baseline, 'wasm'))} MB, ` +
        `then ${mb(max(last, 'wasm'))} MB at most over the last 10`,
    );
    // Growth beyond what one load of each set needed is a leak. A margin of 25 % (and 8 MiB of
    // heap) absorbs allocator and JIT noise.
    assert.ok(max(last, 'heap') <= max(baseline, 'heap') * 1.25 + 8 * 2 ** 20, JSON.stringify(figures.map((f) => mb(f.heap))));
    assert.ok(max(last, 'wasm') <= max(baseline, 'wasm') * 1.25, JSON.stringify(figures.map((f) => mb(f.wasm))));
    // And the page still computes: the last load's GMV is the fixture's.
    await loadFresh(page, ['shopify_orders.csv']);
    assert.ok(digitsOf(await kpi(page, 'gmv')) > 0);
    app.assertClean();
  } finally {
    await app.context.close();
  }
});
