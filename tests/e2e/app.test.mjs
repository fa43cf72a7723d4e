// The page end to end in headless Chromium: fixtures go in through the real file input and a
// synthetic drag and drop, and the figures on screen are checked against tests/fixtures/
// expected.json (computed by the fixture generator, not by the engine). Also: editing the
// column mapping re-runs the analysis, the language switch, every export format (CSV, SVG, PNG,
// the offline HTML report), the XSS product title staying text, no request leaving 127.0.0.1,
// responsiveness and cancel during a 30 MB load, and a screenshot of every view.
//
// Run `npm run build` first (the page loads www/pkg/). Screenshots go to tests/artifacts/.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  artifactsDir,
  digitsOf,
  downloadOf,
  dropFiles,
  expected,
  fixturesDir,
  kpi,
  openApp,
  openView,
  parseCsv,
  pickFiles,
  startBrowser,
  waitForReport,
} from './harness.mjs';

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const VIEWS = ['overview', 'funnel', 'cohorts', 'customers', 'products', 'loads'];

let env;
let scratch;

before(async () => {
  env = await startBrowser();
  scratch = await mkdtemp(join(tmpdir(), 'shoplens-e2e-'));
});

after(async () => {
  await env?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs `body(app)` on a fresh page and checks it stayed clean (no error, dialog, off-host request). */
async function withApp(options, body) {
  const app = await openApp(env, options);
  try {
    await body(app);
    app.assertClean();
  } finally {
    await app.context.close();
  }
}

/** Counts of the funnel steps as shown in the steps table. */
async function funnelCounts(page) {
  return page.$$eval('#panel-funnel [data-testid^="funnel-row-"]', (rows) =>
    rows.map((row) => Number(row.cells[1].dataset.sortValue)),
  );
}

/** Σ of a money column over paid rows of a GBK order report, in cents: the naive reference. */
async function gbkColumnSum(file, amountHeader, paidHeader) {
  const text = new TextDecoder('gbk').decode(await readFile(join(fixturesDir, file)));
  const [header, ...rows] = parseCsv(text).filter((row) => row.length > 1);
  const column = (name) => header.findIndex((h) => h.trim() === name);
  const amount = column(amountHeader);
  const paid = column(paidHeader);
  assert.ok(amount >= 0 && paid >= 0, `${amountHeader} / ${paidHeader} not in ${file}`);
  return rows
    .filter((row) => row[0] !== '合计' && row[paid].trim() !== '')
    .reduce((sum, row) => {
      const [units, cents = '0'] = row[amount].split('.');
      return sum + Number(units) * 100 + Number(cents.padEnd(2, '0'));
    }, 0);
}

describe('loading files', () => {
  test('the file input loads a GBK Taobao order report; the cards show its expected figures', async () => {
    await withApp({}, async ({ page }) => {
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      const facts = expected['taobao_orders_gbk.csv'];
      assert.equal(digitsOf(await kpi(page, 'gmv')), facts.gmv_cents);
      assert.match(await kpi(page, 'gmv'), /^¥/, 'a Taobao report is in yuan');
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), facts.paid_orders);
      assert.equal(digitsOf(await kpi(page, 'buyers')), facts.buyers);
      assert.equal(digitsOf(await kpi(page, 'refunds')), facts.refunds_cents);
      assert.equal(digitsOf(await kpi(page, 'units')), facts.units);
      // The Data view tells what was detected.
      await openView(page, 'loads');
      assert.equal(await page.textContent('[data-testid="load-0-rows_read"]'), String(facts.data_rows));
      assert.match(await page.textContent('[data-testid="load-0-encoding"]'), /GB/);
    });
  });

  test('drag and drop loads a Shopify export; the XSS title renders as text, never as markup', async () => {
    await withApp({}, async ({ page, dialogs }) => {
      const bytes = await readFile(join(fixturesDir, 'shopify_orders.csv'));
      await dropFiles(page, [{ name: 'shopify_orders.csv', bytes }]);
      await waitForReport(page);
      const facts = expected['shopify_orders.csv'];
      assert.equal(await kpi(page, 'gmv'), '$448.62');
      assert.equal(digitsOf(await kpi(page, 'gmv')), facts.gmv_cents);
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), facts.paid_orders);
      assert.equal(digitsOf(await kpi(page, 'buyers')), facts.buyers);

      await openView(page, 'products');
      const cells = await page.$$eval('#table-products td', (tds) => tds.map((td) => td.textContent));
      assert.ok(cells.includes(XSS_TITLE), `the title is shown verbatim: ${cells.join(' | ')}`);
      assert.equal(await page.locator('#workspace img').count(), 0, 'no <img> was created');
      assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);

      const { bytes: html } = await downloadOf(page, () => page.click('#export-html'));
      const text = html.toString('utf8');
      assert.ok(text.includes('&lt;img src=x onerror=alert(1)&gt;'), 'escaped in the HTML report');
      assert.ok(!text.includes(XSS_TITLE), 'never raw in the HTML report');
      // Open the report with JavaScript on: still no image and no dialog.
      const path = join(scratch, 'xss-report.html');
      await writeFile(path, html);
      const reader = await env.browser.newPage();
      try {
        const readerDialogs = [];
        reader.on('dialog', async (dialog) => {
          readerDialogs.push(dialog.message());
          await dialog.dismiss();
        });
        await reader.goto(pathToFileURL(path).href);
        assert.equal(await reader.evaluate(() => document.querySelectorAll('img').length), 0);
        const shown = await reader.$$eval('td', (tds) => tds.map((td) => td.textContent));
        assert.ok(shown.includes(XSS_TITLE));
        assert.deepEqual(readerDialogs, []);
      } finally {
        await reader.close();
      }
      assert.deepEqual(dialogs, []);
    });
  });

  test('a behaviour log opens on the funnel, whose steps match the expected counts per mode and window', async () => {
    await withApp({}, async ({ page }) => {
      await pickFiles(page, ['tianchi_userbehavior.csv']);
      const facts = expected['tianchi_userbehavior.csv'];
      // No orders: the page lands on the first view that has data and marks the others.
      await page.waitForSelector('#panel-funnel:not([hidden]) .view');
      assert.equal(await page.getAttribute('#tab-funnel', 'aria-selected'), 'true');
      assert.ok(await page.locator('#tab-overview.tab-missing').count());

      assert.deepEqual(await funnelCounts(page), facts.sequential_counts.view_cart_purchase_7d);

      // An analysis option streams the file again with the new options.
      await page.click('button[data-analysis="funnel_window"][data-value="none"]');
      await waitForReport(page);
      assert.deepEqual(await funnelCounts(page), facts.sequential_counts.view_cart_purchase_unbounded);

      await page.click('button[data-analysis="funnel_mode"][data-value="distinct"]');
      await waitForReport(page);
      const distinct = facts.distinct_counts;
      assert.deepEqual(await funnelCounts(page), [distinct.view, distinct.cart, distinct.purchase]);
      assert.ok(await page.locator('#funnel-window-control').isHidden(), 'no window in distinct mode');

      // The overview explains which export would unlock it.
      await openView(page, 'overview');
      const note = await page.textContent('#panel-overview [data-testid="unavailable-kpi"]');
      assert.ok(note.length > 10, note);
    });
  });

  test('rejected rows are listed with their reason and download as CSV', async () => {
    await withApp({}, async ({ page }) => {
      await pickFiles(page, ['bad/ragged_rows.csv']);
      const facts = expected['bad/ragged_rows.csv'];
      assert.ok(await page.locator('#tab-loads .tab-badge.issues').count(), 'the Data tab is flagged');
      await openView(page, 'loads');
      const row = page.locator(`[data-testid="load-0-rejected-${facts.code}"]`);
      assert.equal(Number(await row.locator('td').nth(1).getAttribute('data-sort-value')), facts.lines.length);
      assert.equal(digitsOf(await page.textContent('[data-testid="load-0-rows_used"]')), facts.good_rows);

      const { name, bytes } = await downloadOf(page, () =>
        page.click('#panel-loads button[data-export="csv"][data-target="table-load-0-rejected"]'),
      );
      assert.match(name, /\.csv$/);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const rows = parseCsv(bytes.toString('utf8').slice(1));
      const line = rows[0].indexOf('line');
      const reason = rows[0].indexOf('reason');
      const rejected = rows.slice(1).filter((r) => r[reason] === facts.code).map((r) => Number(r[line]));
      assert.deepEqual(rejected, facts.lines);
    });
  });

  test('a 千牛 Excel workbook loads sheet by sheet; a damaged one says what to do', async () => {
    await withApp({}, async ({ page }) => {
      const file = 'containers/qianniu_orders.xlsx';
      const bytes = await readFile(join(fixturesDir, file));
      await dropFiles(page, [{ name: 'qianniu_orders.xlsx', bytes, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }]);
      await waitForReport(page);
      const facts = expected[file];
      assert.equal(digitsOf(await kpi(page, 'gmv')), facts.gmv_cents);
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), facts.paid_orders);
      assert.equal(digitsOf(await kpi(page, 'units')), facts.units);
    });
    await withApp({}, async ({ page }) => {
      // The start of a ZIP container, as every .xlsx is, and nothing else.
      const bytes = Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1'), Buffer.alloc(200)]);
      await dropFiles(page, [{ name: '订单报表.xlsx', bytes, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }]);
      await page.waitForSelector('.message.error');
      const text = await page.textContent('.message.error');
      assert.match(text, /订单报表\.xlsx/);
      assert.match(text, /CSV/);
    });
  });
});

describe('column mapping', () => {
  test('mapping 总金额 as the paid amount (and ignoring 买家实际支付金额) re-runs with the new GMV', async () => {
    await withApp({}, async ({ page }) => {
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      const before = digitsOf(await kpi(page, 'gmv'));
      assert.equal(before, expected['taobao_orders_gbk.csv'].gmv_cents);
      const wanted = await gbkColumnSum('taobao_orders_gbk.csv', '总金额', '订单付款时间');
      assert.notEqual(wanted, before, 'the fixture must make the two columns differ');

      await openView(page, 'loads');
      const panel = page.locator('[data-testid="load-0"]');
      const details = panel.locator('details.mapping-details');
      if ((await details.count()) && !(await details.evaluate((d) => d.open))) {
        await details.locator('summary').click();
      }
      await panel.locator('select[data-override="column"][data-header="买家实际支付金额"]').selectOption('');
      await panel.locator('select[data-override="column"][data-header="总金额"]').selectOption('paid_amount');
      assert.match(await page.textContent('#mapping-pending'), /2/);
      await page.click('#mapping-apply');
      await waitForReport(page);

      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), wanted);
      // The Data view shows the corrected roles.
      await openView(page, 'loads');
      const role = await page
        .locator('[data-testid="load-0"] select[data-override="column"][data-header="总金额"]')
        .inputValue();
      assert.equal(role, 'paid_amount');
    });
  });
});

describe('language', () => {
  test('English from the browser, Chinese after the switch, kept across a reload', async () => {
    await withApp({ locale: 'en-US' }, async ({ page }) => {
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      const name = '#panel-overview .kpi-card[data-kpi="gmv"] .kpi-name';
      assert.equal(await page.textContent(name), 'GMV');
      await page.click('.lang-switch [data-lang="zh-CN"]');
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '支付金额', name);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.equal(await page.textContent('#tab-overview span'), '概览');
      assert.equal(await page.textContent('#try-sample'), '用示例数据试试');
      await page.reload();
      await page.waitForFunction(() => !document.getElementById('try-sample').disabled);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.equal(await page.textContent('#drop-title'), '把导出的报表拖到这里');
    });
  });
});

describe('sample data, filters and exports', () => {
  test('the sample loads; filters re-run the analysis; every export format is valid', async () => {
    await withApp({ locale: 'zh-CN' }, async ({ page, context, requests }) => {
      await page.click('#try-sample');
      await waitForReport(page);
      assert.ok(requests.some((url) => url.includes('/sample/ExportOrderList')), 'the sample came from the page origin');
      const total = digitsOf(await kpi(page, 'gmv'));
      assert.ok(total > 0);
      for (const view of VIEWS) {
        await openView(page, view);
        assert.equal(await page.locator(`#panel-${view} .unavailable`).count(), 0, `${view} has all its data`);
      }

      // Date filter: March only.
      await openView(page, 'overview');
      await page.fill('#filter-from', '2025-03-01');
      await page.fill('#filter-to', '2025-03-31');
      await page.dispatchEvent('#filter-to', 'change');
      await waitForReport(page);
      const range = await page.textContent('[data-testid="data-range"]');
      assert.match(range, /2025-03-\d\d – 2025-03-\d\d/);
      const march = digitsOf(await kpi(page, 'gmv'));
      assert.ok(march > 0 && march < total, `March ${march} < all ${total}`);
      await page.click('#filter-reset');
      await waitForReport(page);
      assert.equal(digitsOf(await kpi(page, 'gmv')), total);
      // Category filter: only that category's products remain.
      await page.selectOption('#filter-category', '女装/连衣裙');
      await waitForReport(page);
      await openView(page, 'products');
      const categories = await page.$$eval('#table-products tbody tr', (rows) => rows.map((r) => r.cells[3].textContent));
      assert.ok(categories.length > 0);
      assert.deepEqual([...new Set(categories)], ['女装/连衣裙']);
      await page.click('#filter-reset');
      await waitForReport(page);

      // CSV: BOM, localised header, one line per product, raw values.
      await openView(page, 'products');
      const shownRows = await page.locator('#table-products tbody tr').count();
      const firstRevenue = await page.$eval('#table-products', (table) => {
        const column = Array.from(table.tHead.rows[0].cells).findIndex((th) => th.dataset.key === 'revenue');
        return table.tBodies[0].rows[0].cells[column].dataset.sortValue;
      });
      const csv = await downloadOf(page, () => page.click('button[data-export="csv"][data-target="table-products"]'));
      assert.match(csv.name, /^shoplens-products-2025-06-30\.csv$/);
      assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
      assert.ok(rows[0].includes('商品名称') && rows[0].includes('支付金额'), rows[0].join(','));
      assert.equal(rows.length - 1, shownRows);
      assert.equal(rows[1][rows[0].indexOf('支付金额')], firstRevenue);

      // SVG: a well-formed standalone document.
      await openView(page, 'overview');
      const svg = await downloadOf(page, () =>
        page.click('#panel-overview button[data-export="svg"][data-target="chart-trend-gmv"]'),
      );
      const svgText = svg.bytes.toString('utf8');
      assert.match(svgText, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.localName };
      }, svgText);
      assert.deepEqual(parsed, { error: null, root: 'svg' });

      // PNG: a real image at twice the chart's size.
      const png = await downloadOf(page, () =>
        page.click('#panel-overview button[data-export="png"][data-target="chart-trend-gmv"]'),
      );
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const viewBoxWidth = Number(/viewBox="[\d.]+ [\d.]+ ([\d.]+)/.exec(svgText)[1]);
      assert.equal(png.bytes.readUInt32BE(16), viewBoxWidth * 2, 'IHDR width');
      assert.ok(png.bytes.length > 5_000, `${png.bytes.length} bytes`);

      // HTML report: opens offline with JavaScript off and shows the same figures.
      const gmvShown = await page.textContent('#panel-overview [data-testid="kpi-gmv"]');
      const report = await downloadOf(page, () => page.click('#export-html'));
      assert.match(report.name, /\.html$/);
      const path = join(scratch, 'report.html');
      await writeFile(path, report.bytes);
      const offline = await env.browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const reader = await offline.newPage();
        const outside = [];
        await offline.route('**/*', (route) => {
          if (route.request().url().startsWith('file:')) return route.continue();
          outside.push(route.request().url());
          return route.abort();
        });
        await reader.goto(pathToFileURL(path).href);
        assert.equal(await reader.textContent('[data-testid="kpi-gmv"]'), gmvShown);
        assert.equal(await reader.locator('section.view').count(), VIEWS.length);
        assert.equal(await reader.locator('script').count(), 0);
        assert.ok((await reader.locator('svg.chart').count()) >= 8, 'the charts are in the report');
        assert.ok(await reader.locator('style').count(), 'the page CSS is inlined');
        assert.deepEqual(outside, [], 'the report loads nothing');
        await reader.setViewportSize({ width: 1280, height: 900 });
        await reader.screenshot({ path: join(artifactsDir, 'report-offline.png'), fullPage: true });
      } finally {
        await offline.close();
      }
      assert.ok(context); // the app context stays open until withApp closes it
    });
  });
});

describe('view controls', () => {
  test('grain, cohort metric, RFM segment, product sort and search redraw the views', async () => {
    await withApp({ locale: 'en-US' }, async ({ page }) => {
      await page.click('#try-sample');
      await waitForReport(page);
      const runs = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/sample/')).length);

      // Trend grain: monthly points are labelled by month.
      await page.click('#panel-overview button[data-option="grain"][data-value="month"]');
      await page.waitForSelector('#panel-overview button[data-option="grain"][data-value="month"][aria-pressed="true"]');
      const ticks = await page.$$eval('#chart-trend-gmv .axis-x text', (texts) => texts.map((t) => t.textContent));
      assert.ok(ticks.includes('2025-01') && ticks.includes('2025-06'), ticks.join(' '));

      // Hovering a chart mark shows its data-tooltip, as text.
      const mark = page.locator('#chart-trend-gmv [data-tooltip]').nth(3);
      const tip = await mark.getAttribute('data-tooltip');
      await mark.hover({ force: true });
      await page.waitForSelector('#tooltip:not([hidden])');
      assert.equal(await page.textContent('#tooltip'), tip);
      assert.equal(await page.locator('#tooltip *').count(), 0, 'the tooltip holds text only');

      // Cohort metric: the heatmap switches from percentages to counts.
      await openView(page, 'cohorts');
      const cellText = () => page.$$eval('#chart-cohorts text', (texts) => texts.map((t) => t.textContent).join(' '));
      assert.match(await cellText(), /100\.0%/);
      await page.click('#panel-cohorts button[data-option="cohort_metric"][data-value="customers"]');
      await page.waitForSelector('#panel-cohorts button[data-value="customers"][aria-pressed="true"]');
      assert.doesNotMatch(await cellText(), /100\.0%/);

      // RFM segment: its customers are listed (up to 200 rows on screen, all in the CSV).
      await openView(page, 'customers');
      const size = Number(await page.getAttribute('[data-testid="segment-high_value"] td:nth-child(2)', 'data-sort-value'));
      await page.click('#panel-customers button[data-option="segment"][data-value="high_value"]');
      await page.waitForSelector('#panel-customers [id^="table-segment-"], #panel-customers table:not(#table-segments)');
      const listed = await page.locator('#panel-customers table:not(#table-segments) tbody tr').count();
      assert.equal(listed, Math.min(size, 200));
      const target = await page.getAttribute('#panel-customers table:not(#table-segments)', 'id');
      const csv = await downloadOf(page, () => page.click(`#panel-customers button[data-export="csv"][data-target="${target}"]`));
      assert.equal(parseCsv(csv.bytes.toString('utf8').slice(1)).length - 1, size);

      // Product sort (by the engine) and search.
      await openView(page, 'products');
      await page.click('#table-products th[data-key="units"]');
      await page.waitForSelector('#table-products th[data-key="units"][aria-sort="descending"]');
      const units = await page.$$eval('#table-products tbody tr', (rows) => {
        const column = Array.from(rows[0].closest('table').tHead.rows[0].cells).findIndex((th) => th.dataset.key === 'units');
        return rows.map((row) => Number(row.cells[column].dataset.sortValue));
      });
      assert.deepEqual(units, [...units].sort((a, b) => b - a));
      await page.fill('#product-search', '卫衣');
      await page.waitForFunction(() => document.querySelectorAll('#table-products tbody tr').length === 2);
      const titles = await page.$$eval('#table-products tbody tr', (rows) => rows.map((r) => r.cells[2].textContent));
      assert.ok(titles.every((title) => title.includes('卫衣')), titles.join(' | '));

      // None of this fetched or re-read anything.
      const after = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/sample/')).length);
      assert.equal(after, runs);
    });
  });
});

describe('an operator\'s first minutes', () => {
  test('two-chart panels name each pair of export buttons; the per-item funnels are a table and a CSV', async () => {
    await withApp({ locale: 'zh-CN' }, async ({ page }) => {
      await page.click('#try-sample');
      await waitForReport(page);
      const groups = page.locator('#panel-overview .panel.trend .export-group.named');
      const names = await groups.evaluateAll((els) => els.map((g) => g.querySelector('.export-of').textContent));
      assert.deepEqual(names, ['支付金额趋势：', '支付订单数 / 支付买家数趋势：']);
      assert.deepEqual(await groups.nth(1).locator('button').allTextContents(), ['SVG', 'PNG']);
      const png = await downloadOf(page, () => groups.nth(1).locator('button[data-export="png"]').click());
      assert.match(png.name, /^shoplens-trend-orders-2025-06-30\.png$/);
      assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

      await openView(page, 'funnel');
      const steps = await page.locator('#panel-funnel .export-group.named').evaluateAll((els) => els.map((g) => g.ariaLabel));
      assert.deepEqual(steps, ['加购', '购买'], 'time to convert: one pair per step');
      const table = page.locator('#table-funnel-items');
      const headers = await table.locator('th').allTextContents();
      assert.deepEqual([headers[0], headers.at(-1)], ['商品编码', '商品转化率']);
      // Each row is a funnel: in sequential mode its counts never grow from one step to the next.
      const counts = await table.locator('tbody tr').evaluateAll((rows) =>
        rows.map((row) => Array.from(row.querySelectorAll('td')).filter((td) => /^step_/.test(row.closest('table').tHead.rows[0].cells[td.cellIndex].dataset.key)).map((td) => Number(td.dataset.sortValue))),
      );
      assert.ok(counts.length > 5 && counts[0].length === 3, JSON.stringify(counts[0]));
      for (const row of counts) assert.deepEqual(row, [...row].sort((a, b) => b - a), row.join(' '));
      const csv = await downloadOf(page, () => page.click('#panel-funnel button[data-export="csv"][data-target="table-funnel-items"]'));
      const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
      assert.deepEqual(rows[0], headers);
      assert.equal(rows.length - 1, counts.length, 'every item the report keeps (at most 50, all on screen)');
      assert.equal(rows[1][0], await table.locator('tbody tr td').first().textContent());
    });
  });

  test('the engine\'s notes are Chinese on the Chinese page', async () => {
    await withApp({ locale: 'zh-CN' }, async ({ page }) => {
      // Traffic only: the funnel comes from 生意参谋's daily sums and says so, in Chinese.
      await pickFiles(page, ['sycm_traffic_gbk.csv']);
      await page.waitForSelector('#panel-funnel:not([hidden]) .view');
      const note = await page.textContent('#panel-funnel [data-testid="funnel-note"]');
      assert.match(note, /^按 \d+ 天的每日去重人数相加/);
      assert.doesNotMatch(note, /[A-Za-z]{2}/);
      // With a behaviour log too, the note says which one the funnel uses.
      await pickFiles(page, ['tianchi_userbehavior.csv']);
      await openView(page, 'funnel');
      assert.equal(await page.textContent('#panel-funnel [data-testid="funnel-note"]'), '同时导入了流量报表；漏斗按用户行为日志计算。');
      // A workbook's note lists its sheets; every note of the Data view is Chinese.
      const buffer = await readFile(join(fixturesDir, 'containers/qianniu_orders.xlsx'));
      await page.setInputFiles('#add-input', { name: 'qianniu_orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
      await waitForReport(page);
      await openView(page, 'loads');
      const notes = await page.$$eval('#panel-loads ul.notes li', (items) => items.map((li) => [li.dataset.code, li.textContent]));
      assert.ok(notes.some(([code, text]) => code === 'container' && text.startsWith('此文件包含多个部分')), JSON.stringify(notes));
      for (const [code, text] of notes) assert.match(text, /[\u4e00-\u9fff]/, `${code}: ${text}`);
    });
  });

  test('the BCG matrix names its largest products without overlapping labels, in both languages', async () => {
    await withApp({ locale: 'zh-CN' }, async ({ page }) => {
      await page.click('#try-sample');
      await waitForReport(page);
      await openView(page, 'products');
      for (const lang of ['zh-CN', 'en']) {
        await page.click(`.lang-switch [data-lang="${lang}"]`);
        await page.waitForFunction((l) => document.documentElement.lang === l, lang);
        const star = lang === 'en' ? 'Star' : '明星'; // redrawn in the new language
        await page.waitForFunction((s) => [...document.querySelectorAll('#chart-bcg .quadrant-name')].some((e) => e.textContent === s), star);
        // Boxes as the browser lays the text out (its fonts, not the engine's estimate), in chart units.
        const { labels, others } = await page.$eval('#chart-bcg', (svg) => {
          const boxes = (selector) =>
            Array.from(svg.querySelectorAll(selector), (e) => {
              const b = e.getBBox();
              return { name: e.textContent, left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height };
            });
          return { labels: boxes('.point-label'), others: [...boxes('.point circle'), ...boxes('.quadrant-name')] };
        });
        assert.ok(labels.length >= 4, `${labels.length} labels`);
        const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        for (const [i, a] of labels.entries()) {
          for (const b of [...labels.slice(i + 1), ...others]) assert.ok(!overlap(a, b), `${lang}: ${JSON.stringify([a, b])}`);
        }
      }
    });
  });
});

describe('a 30 MB file', () => {
  /** A Tianchi-style log of about 30 MB (≈ 850,000 events). */
  async function bigLog() {
    const path = join(scratch, 'UserBehavior_30MB.csv');
    const lines = [];
    const start = 1_511_539_200; // 2017-11-25 00:00 China time
    for (let i = 0; i < 850_000; i++) {
      const kind = i % 97 === 0 ? 'buy' : i % 20 === 0 ? 'cart' : i % 33 === 0 ? 'fav' : 'pv';
      lines.push(`${100_000 + (i % 50_000)},${2_000_000 + ((i * 7_919) % 40_000)},${4_000_000 + (i % 300)},${kind},${start + (i % 777_600)}\n`);
    }
    await writeFile(path, lines.join(''));
    return path;
  }

  test('the page stays responsive while it loads, and cancel stops it', async () => {
    const path = await bigLog();
    await withApp({ locale: 'en-US' }, async ({ page }) => {
      // Longest gap between timer ticks on the main thread while the worker reads the file (until
      // the progress bar goes: drawing the report afterwards is the main thread's own work).
      await page.evaluate(() => {
        window.__lag = { max: 0, last: performance.now(), seen: false };
        window.__lagTimer = setInterval(() => {
          const now = performance.now();
          const loading = !document.getElementById('progress').hidden;
          window.__lag.seen ||= loading;
          if (window.__lag.seen && !loading) {
            clearInterval(window.__lagTimer);
            return;
          }
          window.__lag.max = Math.max(window.__lag.max, now - window.__lag.last);
          window.__lag.last = now;
        }, 20);
      });
      await page.setInputFiles('#file-input', path);
      // Progress advances…
      await page.waitForFunction(() => Number(document.querySelector('#progress-files progress')?.value) > 0, null, {
        timeout: 20_000,
      });
      const firstValue = await page.evaluate(() => Number(document.querySelector('#progress-files progress').value));
      // …and a click on the language switch is handled at once, while the analysis still runs.
      const started = Date.now();
      await page.click('.lang-switch [data-lang="zh-CN"]');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      const handledIn = Date.now() - started;
      assert.ok(handledIn < 1_000, `the click took ${handledIn} ms`);
      assert.equal(await page.locator('#progress').isVisible(), true, 'still loading when the click was handled');
      assert.equal(await page.textContent('#cancel'), '取消');
      await waitForReport(page);
      const lag = await page.evaluate(() => {
        clearInterval(window.__lagTimer);
        return window.__lag.max;
      });
      assert.ok(lag < 300, `the main thread was blocked for ${Math.round(lag)} ms`);
      assert.ok(firstValue > 0);
      await page.waitForSelector('#panel-funnel:not([hidden]) .view');
      const steps = await funnelCounts(page);
      assert.equal(steps.length, 3);
      assert.ok(steps[0] > 40_000, `viewers: ${steps[0]}`);

      // Cancel: drop the file again; the page goes back to the report it had.
      const shownBefore = await page.textContent('[data-testid="funnel-settings"]');
      await page.setInputFiles('#add-input', { name: 'second.csv', mimeType: 'text/csv', buffer: await readFile(path) });
      await page.waitForFunction(() => Number(document.querySelector('#progress-files progress')?.value) > 0);
      await page.click('#cancel');
      await page.waitForSelector('#progress', { state: 'hidden', timeout: 2_000 });
      await page.waitForSelector('.message.info');
      assert.match(await page.textContent('#messages'), /已取消/);
      assert.equal(await page.locator('#file-list .file-chip').count(), 1, 'the cancelled file is not kept');
      assert.equal(await page.textContent('[data-testid="funnel-settings"]'), shownBefore);
      // A fresh worker takes the next analysis.
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), expected['taobao_orders_gbk.csv'].gmv_cents);
    });
  });
});

describe('screenshots', () => {
  test('every view of the sample, in Chinese at 1280 px and in English on a laptop screen', async () => {
    for (const [locale, viewport, suffix] of [
      ['zh-CN', { width: 1280, height: 900 }, ''],
      ['en-US', { width: 1440, height: 900 }, '-en'],
    ]) {
      await withApp({ locale, viewport }, async ({ page }) => {
        if (!suffix) await page.screenshot({ path: join(artifactsDir, 'start.png') });
        await page.click('#try-sample');
        await waitForReport(page);
        await page.click('.message-close'); // the sample's description
        for (const view of VIEWS) {
          await openView(page, view);
          if (view === 'customers') {
            await page.click('#panel-customers button[data-option="segment"][data-value="win_back"]');
            await page.waitForSelector('#panel-customers button[data-value="win_back"][aria-pressed="true"]');
          }
          await page.mouse.move(0, 0);
          await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header stays on top
          await page.screenshot({ path: join(artifactsDir, `view-${view}${suffix}.png`), fullPage: true });
        }
      });
    }
  });
});
