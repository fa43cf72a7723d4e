// The promotion readout (活动复盘) in headless Chromium on the sample shop: the tab proposes the
// sample's largest promotion (618: its peak 2025-06-16 … 06-18), the KPI table's campaign GMV equals
// the sum of 买家实际支付金额 over the sample's orders paid in that window (read here from the GBK file,
// not from the engine), the waterfall is drawn with each share written out, the pickers (another
// proposal, the year-before baseline, custom dates) analyse again, and the product lift downloads as
// CSV. Screenshots in zh-CN and en go to tests/artifacts/.
//
// Run `npm run build` (or `node scripts/build.mjs --dev`) first.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifactsDir, digitsOf, downloadOf, openApp, openView, parseCsv, startBrowser, waitForReport } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

/** GMV (cents) and paid orders of the sample's orders paid within [from, to], from the raw export. */
async function sampleWindow(from, to) {
  const bytes = await readFile(new URL('../../www/sample/ExportOrderList202507011030.csv', import.meta.url));
  const [header, ...rows] = parseCsv(new TextDecoder('gbk').decode(bytes)).filter((row) => row.length > 1);
  const column = (name) => header.findIndex((h) => h.trim() === name);
  const amount = column('买家实际支付金额');
  const paidAt = column('订单付款时间');
  let gmv = 0;
  let orders = 0;
  for (const row of rows) {
    const day = row[paidAt].trim().slice(0, 10);
    if (!day || day < from || day > to) continue;
    const [units, cents = '0'] = row[amount].split('.');
    gmv += Number(units) * 100 + Number(cents.padEnd(2, '0'));
    orders += 1;
  }
  return { gmv, orders };
}

/** The `data-sort-value` of a cell of a KPI row (column by its key). */
async function kpiCell(page, metric, key) {
  return page.$eval(
    `#table-promotion-kpis tr[data-testid="promotion-kpi-${metric}"]`,
    (row, key) => {
      const index = Array.from(row.closest('table').tHead.rows[0].cells).findIndex((th) => th.dataset.key === key);
      return row.cells[index].dataset.sortValue;
    },
    key,
  );
}

for (const [locale, suffix, viewport] of [
  ['zh-CN', '', { width: 1280, height: 900 }],
  ['en-US', '-en', { width: 1440, height: 900 }],
]) {
  test(`the promotion tab proposes the sample's 618 and reads it out (${locale})`, async () => {
    const app = await openApp(env, { locale, viewport });
    try {
      const { page } = app;
      await page.click('#try-sample');
      await waitForReport(page);
      await page.click('.message-close');
      await openView(page, 'promotion');
      const host = '#panel-promotion';

      // The proposal is the sample's 618 peak, and it is the window in use.
      const first = page.locator(`${host} [data-testid="promotion-proposal-0"] button`);
      assert.match(await first.textContent(), /618/);
      assert.equal(await first.getAttribute('aria-pressed'), 'true');
      assert.equal(await first.getAttribute('data-value'), '2025-06-16/2025-06-18');
      const windows = await page.textContent(`${host} [data-testid="promotion-windows"]`);
      assert.match(windows, /2025-06-16.*2025-06-18/);
      assert.match(windows, /2025-06-13.*2025-06-15/, 'baseline: the 3 days before');

      // Campaign GMV and orders in the table are the export's own sums over the window.
      const want = await sampleWindow('2025-06-16', '2025-06-18');
      assert.equal(Math.round(Number(await kpiCell(page, 'gmv', 'campaign')) * 100), want.gmv);
      assert.equal(Number(await kpiCell(page, 'paid_orders', 'campaign')), want.orders);
      const base = await sampleWindow('2025-06-13', '2025-06-15');
      assert.equal(Math.round(Number(await kpiCell(page, 'gmv', 'baseline')) * 100), base.gmv);
      assert.equal(await page.locator(`${host} #table-promotion-kpis tbody tr`).count(), 15);

      // The waterfall: baseline GMV, three factors, campaign GMV; the sentence gives the shares.
      assert.equal(await page.locator(`${host} #chart-promotion-waterfall .waterfall-step`).count(), 5);
      const sentence = await page.textContent(`${host} [data-testid="promotion-waterfall-shares"]`);
      assert.equal((sentence.match(/\d+\.\d%/g) ?? []).length, 4, sentence); // the GMV change and 3 shares
      assert.ok(digitsOf(sentence) > 0);
      assert.match(await page.textContent(`${host} [data-testid="promotion-new-buyers"]`), /2025-06-30/);
      assert.match(await page.textContent(`${host} [data-testid="promotion-refunds"]`), /2025-06-30/);

      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(artifactsDir, `view-promotion${suffix}.png`), fullPage: true });

      if (suffix) return; // the pickers and the export once are enough

      // The product lift downloads in full.
      const csv = await downloadOf(page, () =>
        page.click(`${host} button[data-export="csv"][data-target="table-promotion-products"]`),
      );
      const rows = parseCsv(new TextDecoder().decode(csv.bytes).replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
      assert.ok(rows.length > 5, `${rows.length} rows`);

      // Another proposal analyses again with that window.
      const second = page.locator(`${host} [data-testid="promotion-proposal-1"] button`);
      const value = await second.getAttribute('data-value');
      await second.click();
      await waitForReport(page);
      await page.waitForSelector(`${host} [data-testid="promotion-proposal-1"] button[aria-pressed="true"]`);
      const [from, to] = value.split('/');
      assert.match(await page.textContent(`${host} [data-testid="promotion-windows"]`), new RegExp(`${from}.*${to}`));

      // The year-before baseline: the sample starts in 2025, so that baseline has no day of data.
      await page.click(`${host} button[data-analysis="promotion_baseline"][data-value="year_before"]`);
      await waitForReport(page);
      await page.waitForSelector(`${host} button[data-value="year_before"][aria-pressed="true"]`);
      assert.match(await page.textContent(`${host} [data-testid="promotion-windows"]`), new RegExp(from.replace('2025', '2024')));
      assert.equal(await page.locator(`${host} [data-testid="promotion-coverage"]`).count(), 1);

      // Custom dates: the whole 618 season against the 18 days before it.
      await page.click(`${host} button[data-analysis="promotion_baseline"][data-value="before"]`);
      await waitForReport(page);
      await page.fill(`${host} form.promotion-custom input[name="from"]`, '2025-06-01');
      await page.fill(`${host} form.promotion-custom input[name="to"]`, '2025-06-18');
      await page.click(`${host} form.promotion-custom button[type="submit"]`);
      await waitForReport(page);
      const season = await page.textContent(`${host} [data-testid="promotion-windows"]`);
      assert.match(season, /2025-06-01.*2025-06-18/);
      assert.match(season, /2025-05-14.*2025-05-31/);
      const seasonWant = await sampleWindow('2025-06-01', '2025-06-18');
      assert.equal(Math.round(Number(await kpiCell(page, 'gmv', 'campaign')) * 100), seasonWant.gmv);
      app.assertClean();
    } finally {
      await app.context.close();
    }
  });
}
