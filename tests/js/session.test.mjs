// The wasm Session in Node, on the project's fixtures: figures must equal the independently
// computed expectations in tests/fixtures/expected.json, and errors must arrive as JS Errors with
// code/file/line/column.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const engine = await import(new URL('www/pkg/shoplens.js', root).href);
engine.initSync({ module: await readFile(new URL('www/pkg/shoplens_bg.wasm', root)) });
const expected = JSON.parse(await readFile(new URL('tests/fixtures/expected.json', root), 'utf8'));

async function analyze(files, options, chunk = 4096) {
  const session = new engine.Session(options);
  for (const name of files) {
    const bytes = await readFile(new URL(`tests/fixtures/${name}`, root));
    // A file the engine cannot read throws; its error is also in its load report, and the
    // other files go on.
    try {
      for (let i = 0; i < bytes.length; i += chunk) session.push(name, bytes.subarray(i, i + chunk));
      session.endFile(name);
    } catch (e) {
      assert.equal(e.file, name);
    }
  }
  return session.finish();
}

test('a GBK Taobao order report gives the expected KPIs', async () => {
  const file = 'taobao_orders_gbk.csv';
  const want = expected[file];
  const report = await analyze([file]);
  const load = report.loads[0];
  assert.equal(load.encoding, 'gb18030');
  assert.equal(load.platform, 'taobao');
  assert.equal(load.kind, 'orders');
  assert.equal(load.rows_read, want.data_rows);
  assert.equal(load.rows_used, want.data_rows);
  assert.equal(report.kpi.status, 'ready');
  const total = report.kpi.data.total;
  assert.equal(total.gmv, want.gmv_cents);
  assert.equal(total.refunds, want.refunds_cents);
  assert.equal(total.paid_orders, want.paid_orders);
  assert.equal(total.buyers, want.buyers);
  assert.equal(total.units, want.units);
});

test('a Shopify line-item export counts order-level amounts once', async () => {
  const file = 'shopify_orders.csv';
  const want = expected[file];
  const report = await analyze([file], undefined, 7);
  const total = report.kpi.data.total;
  assert.equal(report.loads[0].platform, 'shopify');
  assert.equal(total.gmv, want.gmv_cents);
  assert.equal(total.paid_orders, want.paid_orders);
  assert.equal(total.units, want.units);
  assert.equal(report.products.status, 'ready');
  const revenue = report.products.data.products.reduce((s, p) => s + p.revenue, 0);
  assert.equal(revenue, total.gmv, 'per-product revenue sums to GMV');
});

test('a file the engine cannot read fails alone and its error is in its load report', async () => {
  const report = await analyze(['bad/unknown_header.csv', 'shopify_orders.csv']);
  const bad = report.loads.find((l) => l.file === 'bad/unknown_header.csv');
  assert.equal(bad.error.code, 'unrecognised_header');
  assert.equal(report.kpi.data.total.gmv, expected['shopify_orders.csv'].gmv_cents);
});

test('errors are JS Errors with code, file, line and column', () => {
  const session = new engine.Session();
  session.push('cut.csv', new TextEncoder().encode('订单编号,买家实际支付金额,订单创建时间,买家留言\n1,10.00,2024-03-01 10:00:00,"never closed\n'));
  assert.throws(() => session.endFile('cut.csv'), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'unclosed_quote');
    assert.equal(e.file, 'cut.csv');
    assert.equal(e.line, 2);
    assert.equal(e.column, '买家留言');
    return true;
  });
});

test('unknown options are rejected, not ignored', () => {
  assert.throws(() => new engine.Session({ cohort: { grian: 'week' } }), (e) => e.code === 'invalid_option');
});

test('reanalyze applies new filters to the loaded tables, equal to a fresh session with them', async () => {
  const file = 'taobao_orders_gbk.csv';
  const bytes = await readFile(new URL(`tests/fixtures/${file}`, root));
  const session = new engine.Session();
  session.push(file, bytes);
  session.endFile(file);
  const all = session.finish();
  const firstDay = all.kpi.data.first_day;
  const filter = { filter: { from: firstDay, to: firstDay } };
  const narrowed = session.reanalyze(filter);
  const fresh = await analyze([file], filter);
  assert.deepEqual(narrowed.kpi, fresh.kpi);
  assert.ok(narrowed.kpi.data.total.gmv < all.kpi.data.total.gmv, 'one day is less than the whole range');
  assert.deepEqual(session.reanalyze({}).kpi, all.kpi, 'and back');
  assert.throws(() => new engine.Session().reanalyze({}), (e) => e.code === 'session_not_finished');
});
