// `shoplens sql` (js/cli.js, the package's bin) run as a program on the fixtures: the scripts on
// stdout or in --out, refusals and usage errors naming the file or the option, and reading only
// the start of a big export giving the very same scripts as reading it all.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'js', 'cli.js');
const fixture = (name) => join('tests', 'fixtures', name);

/** Runs `shoplens …` in the repository root. */
function shoplens(...args) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--help names the sections and the options; a missing dialect is a usage error', () => {
  const help = shoplens('sql', '--help');
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: shoplens sql --dialect duckdb\|spark/);
  assert.match(help.stdout, /--section S +only this section: kpi, kpi_series, cohorts/);
  for (const option of ['--table NAME', '--path PATH', '--out DIR', '--options JSON', '--read-bytes N']) assert.ok(help.stdout.includes(option), option);

  const none = shoplens('sql', fixture('shopify_orders.csv'));
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--dialect is required: duckdb or spark/);
  assert.equal(shoplens('sql', '--dialect', 'mysql', fixture('shopify_orders.csv')).code, 2);
  const section = shoplens('sql', '--dialect', 'spark', '--section', 'ltv', fixture('shopify_orders.csv'));
  assert.equal(section.code, 2);
  assert.match(section.stderr, /unknown section ltv: kpi, kpi_series, cohorts/);
  assert.match(shoplens('sql', '--dialect', 'spark').stderr, /no FILE given/);
  assert.match(shoplens('frobnicate').stderr, /unknown command frobnicate/);
});

test('one section of one file: exactly the script on stdout', () => {
  const { code, stdout, stderr } = shoplens('sql', '--dialect', 'duckdb', '--section', 'kpi', fixture('taobao_orders_gbk.csv'));
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^-- shoplens .* KPI totals \(DEFINITIONS §2\) · DuckDB dialect\n/);
  assert.ok(stdout.includes(`read_csv('${fixture('taobao_orders_gbk.csv')}'`), 'the path as given');
  assert.ok(stdout.includes('"买家实际支付金额"'));
  assert.match(stdout, /^paid_orders AS \($/m);
  assert.ok(stdout.trimEnd().endsWith(';'));
});

test('every section of several files, Spark; a table; a week cohort from --options', () => {
  const files = [fixture('shopify_orders.csv'), fixture('jd_orders.csv')];
  const all = shoplens('sql', '--dialect', 'spark', ...files);
  assert.equal(all.code, 0, all.stderr);
  for (const file of files) {
    for (const section of ['kpi', 'kpi_series', 'cohorts', 'rfm', 'products', 'promotion', 'breakdowns', 'actions']) assert.ok(all.stdout.includes(`-- ──── ${file} · ${section} ────\n`), `${file} ${section}`);
  }
  assert.equal(all.stdout.match(/^CREATE OR REPLACE TEMPORARY VIEW /gm).length, 16);
  assert.ok(all.stdout.includes('`Financial Status`'), 'Shopify’s header, quoted for Spark');

  const table = shoplens('sql', '--dialect=spark', '--section', 'kpi', '--table', 'shop.orders', fixture('shopify_orders.csv'));
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /\* FROM shop\.orders$/m);
  assert.equal(shoplens('sql', '--dialect', 'spark', '--table', 'x', ...files).code, 2, '--table with two files');
  const path = shoplens('sql', '--dialect', 'duckdb', '--section', 'kpi', '--path', '/data/orders.utf8.csv', fixture('taobao_orders_gbk.csv'));
  assert.equal(path.code, 0, path.stderr);
  assert.ok(path.stdout.includes("read_csv('/data/orders.utf8.csv'"));

  const week = shoplens('sql', '--dialect', 'duckdb', '--section', 'cohorts', '--options', '{"cohort":{"grain":"week"}}', files[0]);
  assert.match(week.stdout, /cohorts and retention by ISO week/);
  const typo = shoplens('sql', '--dialect', 'duckdb', '--options', '{"cohort":{"grian":"week"}}', files[0]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--options: .*grian/);
});

test('--out writes one file per script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoplens-sql-'));
  try {
    const { code, stdout, stderr } = shoplens('sql', '--dialect', 'duckdb', '--out', join(dir, 'scripts'), fixture('shopify_orders.csv'));
    assert.equal(code, 0, stderr);
    assert.equal(stdout, '');
    const written = readdirSync(join(dir, 'scripts')).sort();
    assert.deepEqual(written, ['shopify_orders.actions.duckdb.sql', 'shopify_orders.breakdowns.duckdb.sql', 'shopify_orders.cohorts.duckdb.sql', 'shopify_orders.kpi.duckdb.sql',
      'shopify_orders.kpi_series.duckdb.sql', 'shopify_orders.products.duckdb.sql', 'shopify_orders.promotion.duckdb.sql',
      'shopify_orders.rfm.duckdb.sql']);
    assert.match(readFileSync(join(dir, 'scripts', 'shopify_orders.kpi_series.duckdb.sql'), 'utf8'), /KPIs per day/i);
    assert.equal(stderr.trim().split('\n').length, written.length, 'the paths written, on stderr');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refusals name the file; the other files still get their scripts', () => {
  const events = shoplens('sql', '--dialect', 'duckdb', '--section', 'kpi', fixture('rees46_events.csv'), fixture('shopify_orders.csv'));
  assert.equal(events.code, 1);
  assert.match(events.stderr, /tests\/fixtures\/rees46_events\.csv: no kpi script: wrong_kind/);
  assert.match(events.stdout, /"Financial Status"/, 'the Shopify script is still written');

  const lines = shoplens('sql', '--dialect', 'duckdb', fixture('taobao_items_utf8bom.csv'));
  assert.equal(lines.code, 1);
  assert.match(lines.stderr, /taobao_items_utf8bom\.csv: no script \(kpi: detail_lines, .*\); .*订单报表/);

  // Cohorts need customer ids: skipped with a note, the KPI scripts written.
  const noIds = shoplens('sql', '--dialect', 'duckdb', fixture('taobao_orders_2026_21col.csv'));
  assert.equal(noIds.code, 0, noIds.stderr);
  assert.match(noIds.stderr, /taobao_orders_2026_21col\.csv: cohorts skipped: no_customer_ids/);
  assert.match(noIds.stdout, /· kpi_series ────/);

  const missing = shoplens('sql', '--dialect', 'duckdb', 'no/such/orders.csv');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no\/such\/orders\.csv: no such file/);
  const empty = shoplens('sql', '--dialect', 'duckdb', fixture('bad/empty.csv'));
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /bad\/empty\.csv: no script .*file_not_loaded/);
});

test('stock reads two FILEs together: the order export and the SKU list', () => {
  const files = [fixture('stock_orders.csv'), fixture('stock_skus.csv')];
  const one = shoplens('sql', '--dialect', 'duckdb', '--section', 'stock', ...files);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^-- shoplens .* stock: .*\(DEFINITIONS §8\) · DuckDB dialect\n/);
  assert.ok(one.stdout.includes(`read_csv('${files[0]}'`) && one.stdout.includes(`read_csv('${files[1]}'`));
  assert.equal(one.stderr, '');
  // Every section: the orders' own scripts and the stock script; the list alone has none and is no failure.
  const all = shoplens('sql', '--dialect', 'spark', ...files);
  assert.equal(all.code, 0, all.stderr);
  for (const section of ['kpi', 'products', 'stock']) assert.ok(all.stdout.includes(`-- ──── ${files[0]} · ${section} ────\n`), section);
  assert.ok(!all.stdout.includes(`${files[1]} · `), 'no script of the list alone');
  assert.ok(all.stdout.includes('CREATE OR REPLACE TEMPORARY VIEW shoplens_stock_stock_skus ('));
  // The orders alone, asked for stock: refused in words.
  const alone = shoplens('sql', '--dialect', 'duckdb', '--section', 'stock', files[0]);
  assert.equal(alone.code, 1);
  assert.match(alone.stderr, /stock_orders\.csv: no stock script: no_stock/);
  // The action list: given both FILEs, its stock rules read the list; the orders alone, without them.
  const actions = shoplens('sql', '--dialect', 'duckdb', '--section', 'actions', ...files);
  assert.equal(actions.code, 0, actions.stderr);
  assert.match(actions.stdout, /^-- Rules in this script: restock, win_back, refund_spike, ride_riser\./m);
  assert.ok(actions.stdout.includes(`read_csv('${files[1]}'`) && actions.stdout.includes('"可用库存"'));
  assert.match(all.stdout, /^restock_rows AS \($/m);
  const single = shoplens('sql', '--dialect', 'duckdb', '--section', 'actions', files[0]);
  assert.equal(single.code, 0, single.stderr);
  assert.match(single.stdout, /^-- Rules in this script: win_back, refund_spike\. Not in it: fix_funnel_step/m);
});

test('reading only the start of a big export gives the same scripts as reading it all', () => {
  const orders = join('www', 'sample', 'ExportOrderList202507011030.csv');
  const size = statSync(join(root, orders)).size;
  assert.ok(size > 200_000, 'a file larger than the start read');
  const whole = shoplens('sql', '--dialect', 'spark', '--read-bytes', '0', orders);
  const start = shoplens('sql', '--dialect', 'spark', '--read-bytes', '100000', orders);
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(start.code, 0, start.stderr);
  assert.equal(start.stdout, whole.stdout);
  assert.match(whole.stdout, /`买家实际支付金额`/);
});
