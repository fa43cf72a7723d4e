// The SQL scripts through the package (js/index.js: toSql, sqlOffers, sqlSections) in Node: from a
// kept session and from a report with its options, in both dialects, with the export's own column
// names, the definition steps as named CTEs, and refusals as ShoplensErrors with the generator's
// code. That the scripts' figures equal the engine's is checked on real DuckDB and Spark by
// tests/independent/check_sql.py; this checks what reaches a package user.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyze, createSession, isShoplensError, sqlOffers, sqlSections, toSql } from '../../js/index.js';

const root = new URL('../../', import.meta.url);
const fixture = (name) => readFile(fileURLToPath(new URL(`tests/fixtures/${name}`, root)));

/** A session that read `names` (fixtures), finished and kept. */
async function keptSession(names, options) {
  const session = await createSession(options);
  for (const name of names) await session.addFile({ name, data: await fixture(name) });
  session.finish({ keep: true });
  return session;
}

/** The CTE names of a script, in order. */
const ctes = (sql) => [...sql.matchAll(/^([a-z_]+) AS \($/gm)].map((m) => m[1]);

async function rejects(promise, code, check = () => {}) {
  await assert.rejects(promise, (error) => {
    assert.ok(isShoplensError(error), String(error));
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  });
}

test('the sections with a script', async () => {
  const sections = await sqlSections();
  for (const code of ['kpi', 'kpi_series', 'cohorts']) assert.ok(sections.includes(code), sections.join(' '));
});

test('a kept session gives DuckDB and Spark scripts with the export’s columns and the definition steps', async () => {
  const session = await keptSession(['taobao_orders_gbk.csv']);
  try {
    const duck = await toSql(session, { dialect: 'duckdb', section: 'kpi' });
    assert.match(duck, /^-- shoplens .* KPI totals \(DEFINITIONS §2\) · DuckDB dialect$/m);
    // The Taobao export's own headers, quoted for DuckDB; the file under the name it was loaded with.
    for (const header of ['买家实际支付金额', '订单付款时间', '订单编号']) assert.ok(duck.includes(`"${header}"`), header);
    assert.ok(duck.includes("read_csv('taobao_orders_gbk.csv'"));
    assert.ok(duck.includes('iconv -f GB18030 -t UTF-8'), 'a GBK export: DuckDB reads a UTF-8 copy');
    const steps = ctes(duck);
    for (const step of ['export_rows', 'cells', 'typed', 'orders', 'paid_orders']) assert.ok(steps.includes(step), steps.join(' '));
    assert.ok(steps.indexOf('typed') < steps.indexOf('orders') && steps.indexOf('orders') < steps.indexOf('paid_orders'));
    assert.match(duck, /^-- DEFINITIONS §1 order:/m);

    const spark = session.toSql({ dialect: 'spark', section: 'kpi' });
    assert.match(spark, /^CREATE OR REPLACE TEMPORARY VIEW shoplens_kpi_taobao_orders_gbk \($/m);
    assert.ok(spark.includes('`买家实际支付金额` STRING'));
    assert.ok(spark.includes("encoding 'GB18030'"));
    assert.ok(!spark.includes('read_csv('));
    assert.deepEqual(ctes(spark).slice(0, 2), ['export_rows', 'data_rows']);

    // A table named by the user instead of the file.
    const table = await toSql(session, { dialect: 'spark', section: 'kpi_series', source: { type: 'table', name: 'shop.tb_orders' } });
    assert.match(table, /\* FROM shop\.tb_orders$/m);
    assert.ok(!table.includes('TEMPORARY VIEW'));
  } finally {
    session.free();
  }
});

test('a report with its options: the cohort period follows the options it was computed with', async () => {
  const files = [{ name: 'shopify_orders.csv', data: await fixture('shopify_orders.csv') }];
  const options = { cohort: { grain: 'week' } };
  const report = await analyze(files, options);
  const weekly = await toSql(report, { dialect: 'spark', section: 'cohorts', options });
  assert.match(weekly, /cohorts and retention by ISO week/);
  assert.ok(weekly.includes('`Email`'), 'the customer column as the export names it');
  assert.ok(weekly.includes('explode(sequence('), 'Spark has no generate_series: sequence + explode');
  const monthly = await toSql(report, { dialect: 'duckdb', section: 'cohorts' });
  assert.match(monthly, /cohorts and retention by month/);
  for (const step of ['first_periods', 'cohort_sizes', 'activity', 'cohort_cells']) assert.ok(ctes(monthly).includes(step), step);
  // The same script from a session analysed with the same options.
  const session = await keptSession(['shopify_orders.csv'], options);
  try {
    assert.equal(session.toSql({ dialect: 'spark', section: 'cohorts' }), weekly);
    // A session's own options rule: options beside it are refused, not silently ignored.
    await rejects(toSql(session, { dialect: 'spark', section: 'cohorts', options: {} }), 'invalid_input');
  } finally {
    session.free();
  }
});

test('the file is chosen, or named: an order export over its line items, several order exports', async () => {
  const session = await keptSession(['taobao_orders_gbk.csv', 'taobao_items_utf8bom.csv', 'shopify_orders.csv']);
  try {
    await rejects(toSql(session, { dialect: 'duckdb', section: 'kpi' }), 'several_files', (e) => {
      assert.match(e.message, /taobao_orders_gbk\.csv/);
      assert.match(e.message, /shopify_orders\.csv/);
      assert.doesNotMatch(e.message, /taobao_items/, 'the line items have no KPI script of their own');
    });
    const sql = await toSql(session, { dialect: 'duckdb', section: 'kpi', file: 'shopify_orders.csv' });
    assert.ok(sql.includes('"Financial Status"') && sql.includes('"Total"'));
    await rejects(toSql(session, { dialect: 'duckdb', section: 'kpi', file: 'taobao_items_utf8bom.csv' }), 'detail_lines', (e) =>
      assert.equal(e.file, 'taobao_items_utf8bom.csv'),
    );
    await rejects(toSql(session, { dialect: 'duckdb', section: 'kpi', file: 'nope.csv' }), 'file_not_loaded');

    const offers = await sqlOffers(session);
    const offer = (section, file) => offers.find((o) => o.section === section && o.file === file);
    assert.deepEqual(offer('kpi', 'shopify_orders.csv'), { section: 'kpi', file: 'shopify_orders.csv', view: 'overview', error: null });
    assert.equal(offer('kpi_series', 'taobao_orders_gbk.csv').view, 'overview');
    assert.equal(offer('cohorts', 'shopify_orders.csv').view, 'cohorts');
    assert.equal(offer('kpi', 'taobao_items_utf8bom.csv').error.code, 'detail_lines');
  } finally {
    session.free();
  }
});

test('refusals: filters, a wrong kind, a bad request, an unfinished session', async () => {
  const files = [
    { name: 'shopify_orders.csv', data: await fixture('shopify_orders.csv') },
    { name: 'rees46_events.csv', data: await fixture('rees46_events.csv') },
  ];
  const options = { filter: { from: '2024-03-02' } };
  const filtered = await analyze(files, options);
  await rejects(toSql(filtered, { dialect: 'duckdb', section: 'kpi', options }), 'filter_not_supported');
  const report = await analyze(files);
  await rejects(toSql(report, { dialect: 'duckdb', section: 'kpi', file: 'rees46_events.csv' }), 'wrong_kind', (e) =>
    assert.equal(e.file, 'rees46_events.csv'),
  );
  await rejects(toSql(report, { dialect: 'postgres', section: 'kpi' }), 'invalid_option');
  await rejects(toSql(report, { dialect: 'duckdb', section: 'kpis' }), 'invalid_option', (e) =>
    assert.match(e.message, /kpi_series/, 'the message lists the sections'),
  );
  await rejects(toSql(report, { dialect: 'duckdb', section: 'kpi', sorce: {} }), 'invalid_option');
  await rejects(toSql({ kpi: {} }, { dialect: 'duckdb', section: 'kpi' }), 'invalid_input');

  const open = await createSession();
  await open.addFile(files[0]);
  await rejects(toSql(open, { dialect: 'duckdb', section: 'kpi' }), 'session_not_finished');
  open.finish();
  await rejects(toSql(open, { dialect: 'duckdb', section: 'kpi' }), 'session_finished');
});

test('stock: the order export and the SKU list beside it, each read from its own source', async () => {
  const session = await keptSession(['stock_orders.csv', 'stock_skus.csv']);
  try {
    assert.ok((await sqlSections()).includes('stock'));
    const duck = await toSql(session, { dialect: 'duckdb', section: 'stock' });
    assert.match(duck, /^-- shoplens .* stock: .*\(DEFINITIONS §8\) · DuckDB dialect$/m);
    assert.ok(duck.includes("read_csv('stock_orders.csv'") && duck.includes("read_csv('stock_skus.csv'"));
    assert.ok(duck.includes('"商家编码"') && duck.includes('"可用库存"'), 'the list’s own headers');
    const steps = ctes(duck);
    for (const step of ['paid_orders', 'revenue', 'window_sales', 'stock_levels', 'demand', 'replenishment', 'needs']) {
      assert.ok(steps.includes(step), steps.join(' '));
    }
    // The list's reading steps, prefixed.
    assert.match(duck, /^list1_cells AS \($/m);
    assert.match(duck, /^list1_levels AS \($/m);
    assert.match(duck, /^-- DEFINITIONS §8 suggested order/m);
    // Tables for both files: `source` names the orders', `sources` the list's by its loaded name.
    const spark = session.toSql({
      dialect: 'spark',
      section: 'stock',
      source: { type: 'table', name: 'shop.orders' },
      sources: { 'stock_skus.csv': { type: 'table', name: 'erp.skus' } },
    });
    assert.match(spark, /\* FROM shop\.orders$/m);
    assert.match(spark, /\* FROM erp\.skus$/m);
    assert.ok(!spark.includes('TEMPORARY VIEW'));
    const offers = await sqlOffers(session);
    assert.deepEqual(offers.filter((o) => o.section === 'stock'), [{ section: 'stock', file: 'stock_orders.csv', view: 'stock', error: null }]);
  } finally {
    session.free();
  }
  // The orders alone: no stock list to read.
  const alone = await analyze([{ name: 'stock_orders.csv', data: await fixture('stock_orders.csv') }]);
  await rejects(toSql(alone, { dialect: 'duckdb', section: 'stock' }), 'no_stock');
});
