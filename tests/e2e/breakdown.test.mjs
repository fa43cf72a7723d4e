// Breakdowns on the Overview (DEFINITIONS §10) in headless Chromium, on the sample shop: the
// "split by" control splits the KPI trend into one line per province, the breakdown panel ranks
// the provinces (福建省 …) with every KPI, its CSV export holds every group and the groups' GMV
// sums to the GMV card. Screenshots in zh-CN and en go to tests/artifacts/.
//
// Run `npm run build` (or `node scripts/build.mjs --dev`) first.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, digitsOf, downloadOf, kpi, openApp, parseCsv, startBrowser, waitForReport } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

async function withApp(options, body) {
  const app = await openApp(env, options);
  try {
    await body(app);
    app.assertClean();
  } finally {
    await app.context.close();
  }
}

const split = (value) => `#panel-overview button[data-option="split_by"][data-value="${value}"]`;

describe('breakdowns', () => {
  for (const [locale, suffix, unknownLabel] of [
    ['zh-CN', '', '未知'],
    ['en-US', '-en', 'Unknown'],
  ]) {
    test(`split by region on the sample shows 福建省 and sums to the GMV (${locale})`, async () => {
      await withApp({ locale, viewport: { width: 1280, height: 900 } }, async ({ page }) => {
        await page.click('#try-sample');
        await waitForReport(page);
        await page.click('.message-close');
        // The control offers what the sample carries; it has no channel column.
        const offered = await page.$$eval('#panel-overview button[data-option="split_by"]', (bs) => bs.map((b) => b.dataset.value));
        for (const d of ['none', 'platform', 'shop', 'region', 'customer_type', 'category']) {
          assert.ok(offered.includes(d), `split by ${d} offered: ${offered}`);
        }
        assert.ok(!offered.includes('channel'));
        const missing = await page.textContent('#panel-overview [data-testid="breakdown-missing"]');
        assert.match(missing, /订单来源/);

        await page.click(split('region'));
        await page.waitForSelector(`${split('region')}[aria-pressed="true"]`);
        await page.waitForSelector('#panel-overview [data-testid="breakdown-region"]');
        const groups = await page.$$eval('#table-breakdown-region tbody tr', (rows) =>
          rows.map((r) => [r.cells[0].textContent, Number(r.cells[1].dataset.sortValue ?? r.cells[1].getAttribute('data-sort-value'))]),
        );
        const names = groups.map(([name]) => name);
        assert.ok(names.includes('福建省'), `provinces: ${names}`);
        assert.ok(!names.includes('福建'), 'short and full names are one group');
        // The trend's GMV chart has one line per drawn province (its legend names them).
        const legend = await page.textContent('#chart-trend-gmv');
        assert.ok(legend.includes(names[0]), `the trend legend names ${names[0]}`);
        const lines = await page.$$eval('#chart-trend-gmv path.line', (ps) => ps.length);
        assert.ok(lines >= 2, `${lines} lines`);
        // The groups' GMV (raw amounts) sums to the GMV card.
        const sum = groups.reduce((acc, [, gmv]) => acc + Math.round(gmv * 100), 0);
        assert.equal(sum, digitsOf(await kpi(page, 'gmv')));
        // CSV: every group, with raw values.
        const csv = await downloadOf(page, () =>
          page.click('#panel-overview button[data-export="csv"][data-target="table-breakdown-region"]'),
        );
        const rows = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
        const csvNames = rows.slice(1).filter((r) => r.length > 1).map((r) => r[0]);
        assert.deepEqual(csvNames, names);
        assert.ok(!names.includes(unknownLabel) || names.at(-1) === unknownLabel, 'unknown comes last');

        await page.mouse.move(0, 0);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(artifactsDir, `breakdown-region${suffix}.png`), fullPage: true });

        // New vs returning, then back to no split.
        await page.click(split('customer_type'));
        await page.waitForSelector('#panel-overview [data-testid="breakdown-customer_type"]');
        await page.click(split('none'));
        await page.waitForSelector(`${split('none')}[aria-pressed="true"]`);
        assert.equal(await page.$('#panel-overview [data-testid="breakdown-region"]'), null);
      });
    });
  }
});
