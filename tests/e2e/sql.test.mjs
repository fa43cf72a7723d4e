// The figures as SQL on the page (issue 14 item 3), in headless Chromium on the sample shop: an
// "SQL" button on exactly the views the engine has scripts for, a dialog with the script of the
// order export (not of its line items) in DuckDB and Spark, a table name as the source, copy and
// download (.sql), the Data tab's button with every section, and a filtered report refused in
// words; the A/B view's script over a log with its own experiment groups, then with the groups
// chosen in the form; the stock script over an order export and the SKU list loaded with it (two
// files), and over the sample, whose 宝贝报表 gives the lines in place of the order export's.
// Screenshots of the dialog in zh-CN and en go to tests/artifacts/.
//
// Run `npm run build` (or `node scripts/build.mjs --dev`) first.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyze, sqlOffers } from '../../js/index.js';
import { artifactsDir, downloadOf, openApp, pickFiles, startBrowser, waitForReport } from './harness.mjs';

const ORDERS = 'ExportOrderList202507011030.csv';
const sampleDir = fileURLToPath(new URL('../../www/sample/', import.meta.url));

let env;
/** The views the engine offers a script for over the sample shop, computed by the package in Node. */
let viewsWithSql;

before(async () => {
  env = await startBrowser();
  const index = JSON.parse(await readFile(join(sampleDir, 'index.json'), 'utf8'));
  const files = await Promise.all(index.files.map(async ({ name }) => ({ name, data: await readFile(join(sampleDir, name)) })));
  const offers = await sqlOffers(await analyze(files, { cohort: { grain: 'month' } }), { options: { cohort: { grain: 'month' } } });
  viewsWithSql = new Set(offers.map((o) => o.view).filter(Boolean));
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

const code = (page) => page.textContent('#sql-code');

async function openSql(page, view) {
  await page.click(`#tab-${view}`);
  await page.click(`[data-testid="sql-open-${view}"]`);
  await page.waitForSelector('#sql-dialog[open]');
}

describe('SQL dialog', () => {
  test('the SQL buttons, the overview script in both dialects, a table, copy and download', async () => {
    await withApp({ locale: 'en-US' }, async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.click('#try-sample');
      await waitForReport(page);
      await page.click('.message-close');
      assert.ok(viewsWithSql.has('overview') && viewsWithSql.has('cohorts'), [...viewsWithSql].join(' '));
      // A view has an SQL button exactly when the engine has a script of its figures.
      for (const view of ['funnel', 'cohorts', 'customers', 'products', 'promotion', 'stock', 'ab', 'overview']) {
        await page.click(`#tab-${view}`);
        const visible = await page.locator(`[data-testid="sql-open-${view}"]`).isVisible();
        assert.equal(visible, viewsWithSql.has(view), `${view}: SQL button shown`);
      }

      await openSql(page, 'overview');
      assert.equal(await page.textContent('#sql-title'), 'This view as SQL');
      // The order export's script: its line items (宝贝报表) have no order times of their own.
      assert.equal(await page.inputValue('#sql-file'), ORDERS);
      assert.deepEqual(await page.$$eval('#sql-section option', (os) => os.map((o) => o.value)).then((v) => v.slice(0, 2)), ['kpi', 'kpi_series']);
      let sql = await code(page);
      assert.match(sql, /^-- shoplens .* KPI totals \(DEFINITIONS §2\) · DuckDB dialect$/m);
      assert.ok(sql.includes(`read_csv('${ORDERS}'`));
      assert.ok(sql.includes('"买家实际支付金额"') && sql.includes('"订单编号"'));
      assert.match(sql, /^paid_orders AS \($/m);
      await page.screenshot({ path: join(artifactsDir, 'sql-dialog-en.png') });

      await page.click('[data-sql-dialect="spark"]');
      assert.equal(await page.getAttribute('[data-sql-dialect="spark"]', 'aria-pressed'), 'true');
      sql = await code(page);
      assert.match(sql, /Spark SQL dialect/);
      assert.match(sql, /^CREATE OR REPLACE TEMPORARY VIEW /m);
      assert.ok(sql.includes('`买家实际支付金额` STRING'));

      await page.selectOption('#sql-section', 'kpi_series');
      assert.match(await code(page), /KPIs per day, ISO week and month/);
      // The breakdowns (§10): the region read from the export's 收货地址 by the engine's province table.
      await page.selectOption('#sql-section', 'breakdowns');
      assert.equal(await page.textContent('#sql-section option[value="breakdowns"]'), 'KPIs by dimension (platform, shop, channel, region…)');
      sql = await code(page);
      assert.match(sql, /breakdowns: KPIs per platform, shop, channel, region, customer type and category \(DEFINITIONS §10\) · Spark SQL dialect/);
      assert.ok(sql.includes('`收货地址` STRING') && sql.includes("THEN '福建省'"), sql.slice(0, 400));
      assert.match(sql, /^group_figures AS \($/m);
      await page.screenshot({ path: join(artifactsDir, 'sql-breakdowns-en.png') });
      await page.selectOption('#sql-section', 'kpi_series');
      await page.selectOption('#sql-source-type', 'table');
      await page.fill('#sql-source-name', 'shop.tb_orders');
      sql = await code(page);
      assert.match(sql, /\* FROM shop\.tb_orders$/m);
      assert.ok(!sql.includes('TEMPORARY VIEW'));

      await page.click('#sql-copy');
      await page.waitForSelector('#sql-copied:not([hidden])');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sql);
      const saved = await downloadOf(page, () => page.click('#sql-download'));
      assert.equal(saved.name, 'ExportOrderList202507011030.kpi_series.spark.sql');
      assert.equal(saved.bytes.toString('utf8'), sql);

      await page.click('#sql-close');
      assert.equal(await page.locator('#sql-dialog[open]').count(), 0);

      await openSql(page, 'cohorts');
      assert.match(await code(page), /cohorts and retention by month/);
      await page.click('#sql-close');

      // The promotion readout (§7): its own script, named in the section list.
      await openSql(page, 'promotion');
      assert.equal(await page.textContent('#sql-section option[value="promotion"]'), 'Promotion readout');
      sql = await code(page);
      assert.match(sql, /promotion readout \(DEFINITIONS §7\)/);
      assert.match(sql, /^readout AS \($/m);
      await page.screenshot({ path: join(artifactsDir, 'sql-promotion-en.png') });
      await page.click('#sql-close');

      // The Data tab: every section, for every export that has one.
      await openSql(page, 'loads');
      assert.equal(await page.textContent('#sql-title'), 'These files as SQL');
      // The table named for one script is not kept for the next: the file again.
      assert.equal(await page.inputValue('#sql-source-type'), 'file');
      assert.ok((await code(page)).includes(`FROM ${ORDERS}`) || (await code(page)).includes(`'${ORDERS}'`));
      const sections = await page.$$eval('#sql-section option', (os) => os.map((o) => o.value));
      for (const s of ['kpi', 'kpi_series', 'cohorts']) assert.ok(sections.includes(s), sections.join(' '));
      assert.ok(await page.locator('#sql-section').isVisible());
      await page.screenshot({ path: join(artifactsDir, 'sql-data-tab-en.png') });
      await page.click('#sql-close');
    });
  });

  test('the A/B view as SQL: the log’s own groups, then the groups chosen in the form, in both languages', async () => {
    for (const [locale, label, suffix] of [['en-US', 'A/B readout', 'en'], ['zh-CN', 'A/B 测试结果', 'zh']]) {
      await withApp({ locale }, async ({ page }) => {
        await pickFiles(page, ['ab_variant_events.csv']);
        await page.click('#tab-ab');
        await page.waitForSelector('#panel-ab [data-testid="ab-verdict"]');
        await openSql(page, 'ab');
        assert.equal(await page.inputValue('#sql-section'), 'ab');
        assert.equal(await page.textContent('#sql-section option[value="ab"]'), label);
        let sql = await code(page);
        assert.match(sql, /^-- shoplens .* A\/B readout by variant \(DEFINITIONS §9\) · DuckDB dialect$/m);
        // The export's own group column; the default pair chosen in the script, as the engine chooses it.
        assert.ok(sql.includes('"properties.$feature/main-image-0601"'), sql.slice(0, 400));
        assert.match(sql, /^group_pair AS \($/m);
        await page.screenshot({ path: join(artifactsDir, `sql-ab-${suffix}.png`) });
        await page.click('#sql-close');
        // Groups chosen in the form reach the script through the report's options.
        await page.fill('[data-testid="ab-a"]', 'test');
        await page.fill('[data-testid="ab-b"]', 'control');
        await page.click('[data-testid="ab-compare"]');
        await page.waitForFunction(() => document.querySelector('[data-testid="ab-verdict"]')?.dataset.verdict === 'a_better');
        await openSql(page, 'ab');
        await page.click('[data-sql-dialect="spark"]');
        sql = await code(page);
        assert.ok(sql.includes("VALUES ('a', 'test'), ('b', 'control')"), sql.slice(0, 400));
        assert.match(sql, /aggregate\(sequence\(0, 99\),/);
        await page.click('#sql-close');
      });
    }
  });

  test('zh-CN: the dialog in Chinese, and a filtered report refused in words', async () => {
    await withApp({ locale: 'zh-CN' }, async ({ page }) => {
      await page.click('#try-sample');
      await waitForReport(page);
      await page.click('.message-close');
      await openSql(page, 'overview');
      assert.equal(await page.textContent('#sql-title'), '这个视图的 SQL');
      assert.equal(await page.textContent('#sql-download'), '下载 .sql');
      assert.equal(await page.textContent('#sql-section option[value="kpi"]'), '核心指标汇总');
      assert.ok((await code(page)).includes('"订单付款时间'));
      await page.screenshot({ path: join(artifactsDir, 'sql-dialog-zh.png') });
      await page.selectOption('#sql-section', 'breakdowns');
      assert.equal(await page.textContent('#sql-section option[value="breakdowns"]'), '按维度拆分（平台、店铺、渠道、地区、新老客、类目）');
      assert.ok((await code(page)).includes('"收货地址"'));
      await page.screenshot({ path: join(artifactsDir, 'sql-breakdowns-zh.png') });
      await page.click('#sql-close');
      await openSql(page, 'promotion');
      assert.equal(await page.textContent('#sql-section option[value="promotion"]'), '活动复盘');
      assert.match(await code(page), /-- DEFINITIONS §7 decomposition/);
      await page.screenshot({ path: join(artifactsDir, 'sql-promotion-zh.png') });
      await page.click('#sql-close');

      await page.fill('#filter-from', '2025-03-01');
      await waitForReport(page);
      await openSql(page, 'overview');
      assert.match(await page.textContent('#sql-note'), /请先清除筛选/);
      await page.screenshot({ path: join(artifactsDir, 'sql-filtered-zh.png') });
      assert.equal(await code(page), '');
      assert.equal(await page.isDisabled('#sql-download'), true);
      await page.click('#sql-close');
    });
  });

  test('stock: the script of the orders and the SKU list loaded together, in both languages; and the sample with its 宝贝报表', async () => {
    for (const [locale, label, actionsLabel] of [
      ['en-US', 'Stock cover and replenishment', 'Action list (restock, win back, refund spike, ride a riser)'],
      ['zh-CN', '库存周转与补货建议', '操作清单（补货、召回、退款异常、追加备货）'],
    ]) {
      const lang = locale.slice(0, 2);
      await withApp({ locale }, async ({ page }) => {
        await pickFiles(page, ['stock_orders.csv', 'stock_skus.csv']);
        await page.click('.message-close').catch(() => {});
        await openSql(page, 'stock');
        assert.equal(await page.inputValue('#sql-file'), 'stock_orders.csv');
        assert.equal(await page.textContent('#sql-section option[value="stock"]'), label);
        let sql = await code(page);
        assert.match(sql, /^-- shoplens .* \(DEFINITIONS §8\) · DuckDB dialect$/m);
        assert.ok(sql.includes("read_csv('stock_orders.csv'") && sql.includes("read_csv('stock_skus.csv'"));
        assert.ok(sql.includes('"可用库存"'));
        assert.match(sql, /^replenishment AS \($/m);
        await page.click('[data-sql-dialect="spark"]');
        sql = await code(page);
        assert.ok(sql.includes('CREATE OR REPLACE TEMPORARY VIEW shoplens_stock_stock_skus ('));
        await page.screenshot({ path: join(artifactsDir, `sql-stock-${lang}.png`) });
        // The action list (§11, on the overview) over the same two files: its stock rules read the list too.
        await page.click('#sql-close');
        await openSql(page, 'overview');
        await page.click('[data-sql-dialect="spark"]');
        await page.selectOption('#sql-section', 'actions');
        assert.equal(await page.textContent('#sql-section option[value="actions"]'), actionsLabel);
        sql = await code(page);
        assert.match(sql, /action list: the rules that fire, their lists and the money at stake \(DEFINITIONS §11\) · Spark SQL dialect/);
        assert.match(sql, /^-- Rules in this script: restock, win_back, refund_spike, ride_riser\./m);
        assert.match(sql, /^-- DEFINITIONS §11 restock:/m);
        assert.ok(sql.includes('CREATE OR REPLACE TEMPORARY VIEW shoplens_actions_stock_skus ('), sql.slice(0, 600));
        await page.screenshot({ path: join(artifactsDir, `sql-actions-${lang}.png`) });
        await page.click('#sql-close');
      });
      await withApp({ locale }, async ({ page }) => {
        await page.click('#try-sample');
        await waitForReport(page);
        await page.click('.message-close');
        await openSql(page, 'stock');
        assert.equal(await page.inputValue('#sql-section'), 'stock');
        // The sample's 宝贝报表 gives the lines, as the engine attaches them to the order export.
        let sql = await code(page);
        assert.match(sql, /^-- shoplens .* \(DEFINITIONS §8\) · DuckDB dialect$/m);
        assert.ok(sql.includes("read_csv('ExportOrderDetailList202507011030.csv'"), sql.slice(0, 600));
        assert.match(sql, /^detail_lines AS \($/m);
        assert.match(sql, /^replenishment AS \($/m);
        await page.screenshot({ path: join(artifactsDir, `sql-stock-sample-${lang}.png`) });
        // The action list over the sample reads the same lines.
        await page.click('#sql-close');
        await openSql(page, 'overview');
        await page.selectOption('#sql-section', 'actions');
        sql = await code(page);
        assert.match(sql, /^detail_lines AS \($/m);
        assert.match(sql, /^-- DEFINITIONS §11 restock:/m);
        await page.click('#sql-close');
      });
    }
  });
});
