// The hand-written js/index.d.ts against real reports: reports computed from the fixtures are
// walked together with the declared `Report` type (read with the TypeScript compiler API), and
//   (a) every key of every object in the report must be declared on its interface,
//   (b) every required key of an interface must be in the report,
//   (c) every value must fit its declared type (string, number, boolean, null, the literal unions
//       such as `Platform` or `AlertKind`, arrays, tuples, `Section` unions),
//   (d) every interface reachable from `Report` must have been met at least once, so the reports
//       below exercise the whole model and a declaration cannot rot unseen.
// Options go the other way: an object setting every declared option (checked against the
// declarations by the same walker) must be accepted by the engine, whose options refuse unknown
// fields, so a declared option that Rust does not have fails.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { analyze, createSession, exportHtml } from '../../js/index.js';

const root = new URL('../../', import.meta.url);
const declarations = fileURLToPath(new URL('js/index.d.ts', root));

async function fixture(name) {
  return { name, data: await readFile(new URL(`tests/fixtures/${name}`, root)) };
}

/**
 * 40 days of paid orders with customer ids, flat at ¥100 a day until a ¥5,000 last day: enough
 * history (14 days minimum, 28-day window) for the last day to raise a `gmv_spike` alert, which
 * no fixture is long enough to do.
 */
function spikeOrders() {
  const lines = ['订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间'];
  for (let day = 0; day < 40; day++) {
    const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
    const amount = day === 39 ? '5000.00' : '100.00';
    lines.push(`${1000 + day},buyer_${day % 7},${amount},交易成功,${date} 10:00:00,${date} 10:05:00`);
  }
  return { name: 'spike_orders.csv', data: new TextEncoder().encode(`${lines.join('\n')}\n`) };
}

/** Reports that together reach every part of the model. */
async function sampleReports() {
  const everything = await Promise.all(
    [
      'taobao_orders_gbk.csv',
      'taobao_items_utf8bom.csv',
      'shopify_orders.csv',
      'shopify_products.csv',
      'erp_skus.csv',
      'tianchi_userbehavior.csv',
      'sycm_traffic_gbk.csv',
      'amazon_sp_ads.csv',
      'ztc_ads_gb18030.csv',
      'bad/ragged_rows.csv',
      'bad/unknown_header.csv',
    ].map(fixture),
  );
  return {
    'every kind of export, with a bad file': await analyze(everything),
    'events by item, distinct, weekly cohorts': await analyze(
      [await fixture('rees46_events.csv'), await fixture('jd_orders.csv')],
      { funnel: { mode: 'distinct', breakdown: 'item', top_n: 1 }, cohort: { grain: 'week' } },
    ),
    'traffic only (sections unavailable)': await analyze([await fixture('sycm_traffic_gbk.csv')]),
    'orders without customer ids': await analyze([await fixture('amazon_all_orders.txt')]),
    'a GMV spike': await analyze([spikeOrders()]),
    'stock beside orders, and an A/B readout of two items': await analyze(
      [await fixture('stock_orders.csv'), await fixture('stock_skus.csv'), await fixture('ab_item_events.csv')],
      { ab: { by: 'item', a: '501', b: '502' } },
    ),
    // The page's sample shop: every action list kind fires on it (a funnel step among them).
    'the sample shop': await analyze(
      await Promise.all(
        [
          'ExportOrderList202507011030.csv',
          'ExportOrderDetailList202507011030.csv',
          'jushuitan_skus.csv',
          'sycm_shop_daily_2025-01-01_2025-06-30.csv',
          'UserBehavior_sample.csv',
        ].map(async (name) => ({ name, data: await readFile(new URL(`www/sample/${name}`, root)) })),
      ),
    ),
    'USD and CNY converted by month': await analyze(
      [await fixture('shopify_orders.csv'), await fixture('taobao_orders_gbk.csv')],
      { currency: 'CNY', rates: { 'USD/CNY': { '2024-03': 7.1 } } },
    ),
  };
}

function loadDeclarations() {
  const program = ts.createProgram([declarations], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(declarations));
  const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));
  return { checker, diagnostics, exported };
}

const { checker, diagnostics, exported } = loadDeclarations();

/** The name of an interface type, or null for anything else (literals, unions, anonymous objects). */
function interfaceName(type) {
  const symbol = type.symbol;
  return symbol && symbol.flags & ts.SymbolFlags.Interface ? symbol.name : null;
}

const describe = (type) => checker.typeToString(type);

/** Whether every string-literal property of object type `member` equals the value's. */
function discriminantMatches(value, member) {
  if (value === null || typeof value !== 'object' || !(member.flags & ts.TypeFlags.Object)) return false;
  return checker.getPropertiesOfType(member).every((property) => {
    const type = checker.getTypeOfSymbol(property);
    return !(type.flags & ts.TypeFlags.StringLiteral) || value[property.name] === type.value;
  });
}

/**
 * Checks `value` against `type`; returns the mismatches as `path: problem` strings. `seen`
 * collects the interfaces met on the successful branch.
 */
function check(value, type, path, seen) {
  const F = ts.TypeFlags;
  if (type.flags & (F.Any | F.Unknown)) return [];
  if (type.isUnion()) {
    let best = null;
    let bestRank = null;
    for (const member of type.types) {
      const memberSeen = new Set();
      const problems = check(value, member, path, memberSeen);
      if (problems.length === 0) {
        for (const name of memberSeen) seen.add(name);
        return [];
      }
      // A member whose discriminant (`status`) matches explains a mismatch better than one that
      // merely has fewer problems.
      const rank = [discriminantMatches(value, member) ? 0 : 1, problems.length];
      if (bestRank === null || rank[0] < bestRank[0] || (rank[0] === bestRank[0] && rank[1] < bestRank[1])) {
        [best, bestRank] = [problems, rank];
      }
    }
    // The member that came closest explains best, when it got past this level (e.g. the `ready`
    // member of a Section whose data lacks a key); otherwise the value fits no member at all.
    const deeper = best.some((problem) => !problem.startsWith(`${path}: `));
    return deeper ? best : [`${path}: ${JSON.stringify(value)?.slice(0, 80)} is not ${describe(type)}`];
  }
  const fail = [`${path}: ${JSON.stringify(value)?.slice(0, 80)} is not ${describe(type)}`];
  if (type.flags & F.Null) return value === null ? [] : fail;
  if (type.flags & F.Undefined) return value === undefined ? [] : fail;
  if (type.flags & F.String) return typeof value === 'string' ? [] : fail;
  if (type.flags & F.Number) return typeof value === 'number' ? [] : fail;
  if (type.flags & F.Boolean) return typeof value === 'boolean' ? [] : fail;
  if (type.flags & F.BooleanLiteral) return value === (type.intrinsicName === 'true') ? [] : fail;
  if (type.flags & (F.StringLiteral | F.NumberLiteral)) return value === type.value ? [] : fail;
  if (!(type.flags & F.Object)) return [`${path}: cannot check type ${describe(type)}`];

  if (checker.isTupleType(type)) {
    const elements = checker.getTypeArguments(type);
    if (!Array.isArray(value) || value.length !== elements.length) return fail;
    return elements.flatMap((element, i) => check(value[i], element, `${path}[${i}]`, seen));
  }
  if (checker.isArrayType(type)) {
    if (!Array.isArray(value)) return fail;
    const [element] = checker.getTypeArguments(type);
    return value.flatMap((item, i) => check(item, element, `${path}[${i}]`, seen));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail;
  const indexType = type.getStringIndexType();
  if (indexType) {
    // A `Record<string, T>`: any key, each value a T.
    return Object.entries(value).flatMap(([key, item]) => check(item, indexType, `${path}.${key}`, seen));
  }
  const name = interfaceName(type);
  if (name) seen.add(name);
  const properties = new Map(checker.getPropertiesOfType(type).map((p) => [p.name, p]));
  const problems = [];
  for (const key of Object.keys(value)) {
    if (!properties.has(key)) problems.push(`${path}.${key}: not declared on ${describe(type)}`);
  }
  for (const [key, property] of properties) {
    const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
    if (!(key in value)) {
      if (!optional) problems.push(`${path}.${key}: declared on ${describe(type)} but missing`);
      continue;
    }
    problems.push(...check(value[key], checker.getTypeOfSymbol(property), `${path}.${key}`, seen));
  }
  return problems;
}

/** Every interface reachable from `type` through properties, array elements and unions. */
function reachableInterfaces(type, found = new Set(), visitedTypes = new Set()) {
  if (visitedTypes.has(type)) return found;
  visitedTypes.add(type);
  if (type.isUnion()) {
    for (const member of type.types) reachableInterfaces(member, found, visitedTypes);
    return found;
  }
  if (!(type.flags & ts.TypeFlags.Object)) return found;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    for (const argument of checker.getTypeArguments(type)) reachableInterfaces(argument, found, visitedTypes);
    return found;
  }
  const name = interfaceName(type);
  if (name) found.add(name);
  for (const property of checker.getPropertiesOfType(type)) {
    reachableInterfaces(checker.getTypeOfSymbol(property), found, visitedTypes);
  }
  return found;
}

test('index.d.ts compiles on its own (strict, with and without the DOM library)', () => {
  const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(messages, []);
  const withoutDom = ts.createProgram([declarations], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
  });
  const problems = ts.getPreEmitDiagnostics(withoutDom).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(problems, []);
});

test('reports from the fixtures match the declared Report type key for key', async () => {
  const reportType = checker.getDeclaredTypeOfSymbol(exported.get('Report'));
  const seen = new Set();
  for (const [label, report] of Object.entries(await sampleReports())) {
    // Through JSON, as a caller storing the report would see it: nothing may be lost on the way.
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report, `${label}: survives JSON`);
    const problems = check(report, reportType, 'report', seen);
    assert.deepEqual(problems, [], `${label}:\n${problems.join('\n')}`);
  }
  const unseen = [...reachableInterfaces(reportType)].filter((name) => !seen.has(name));
  assert.deepEqual(unseen, [], 'interfaces no sample report reached: add a report that has them');
});

test('the walker catches an undeclared key, a missing key and a wrong literal', () => {
  const reportType = checker.getDeclaredTypeOfSymbol(exported.get('DataSummary'));
  const summary = {
    orders: 1,
    paid_orders: 1,
    order_lines: 0,
    customers: 0,
    event_users: 0,
    products: 0,
    events: 0,
    traffic_rows: 0,
  };
  assert.deepEqual(check({ ...summary, ad_rows: 0, extra: 1 }, reportType, 'data', new Set()), [
    'data.extra: not declared on DataSummary',
  ]);
  assert.deepEqual(check(summary, reportType, 'data', new Set()), ['data.ad_rows: declared on DataSummary but missing']);
  const platform = checker.getDeclaredTypeOfSymbol(exported.get('Platform'));
  assert.equal(check('tmall', platform, 'platform', new Set()).length, 1);
  assert.deepEqual(check('taobao', platform, 'platform', new Set()), []);
});

/** Every option the declarations have, set to a valid value that is not the default. */
const EVERY_OPTION = {
  ingest: {
    files: { 'shopify_orders.csv': { kind: 'order_lines', platform: 'shopify', columns: { Notes: null }, size_bytes: 4096, continuation: null, statuses: { paid: 'paid' }, amount_grain: 'line', currency: 'USD', quotes: 'standard' } },
    epoch_offset_minutes: 0,
    time_zone: '+08:00',
    memory_limit_bytes: 8e9,
  },
  filter: {
    from: '2000-01-01',
    to: '2099-12-31',
    platforms: ['shopify'],
    shops: [],
    categories: [],
    products: [],
  },
  kpi: { grain_for_compare: 'week' },
  cohort: { grain: 'week' },
  rfm: { reference_day: '2030-01-01' },
  funnel: {
    steps: ['view', ['buy', 'Order Completed']],
    mode: 'distinct',
    window_seconds: null,
    breakdown: 'brand',
    top_n: 3,
    trend_grain: 'week',
    item_limit: 5,
  },
  products: { growth_window_days: 14 },
  stock: { lead_time_days: 5, service_level: 0.9, review_days: 7, window_days: 21 },
  ab: {
    by: 'period',
    a: null,
    b: null,
    a_from: '2024-01-01',
    a_to: '2024-01-31',
    b_from: '2024-02-01',
    b_to: '2024-02-29',
    goal: 'purchase',
  },
  breakdowns: { dimensions: ['region', 'channel'], trend_groups: 3 },
  alerts: {
    window_days: 21,
    mad_k: 2.5,
    min_history_days: 7,
    stock_cover_days: 10,
    refund_rate_factor: 1.5,
    min_orders_for_refund_alert: 3,
    recent_days: 60,
  },
  actions: {
    lead_time_days: 10,
    refund_rate_multiple: 1.5,
    min_paid_orders: 3,
    riser_growth: 0.3,
    riser_cover_days: 21,
    funnel_median_days: 14,
    funnel_min_history_days: 5,
  },
  promotion: { campaign: { from: '2025-06-16', to: '2025-06-18' }, baseline: 'year_before' },
  currency: 'USD',
  rates: { 'USD/CNY': 7.1, 'EUR/CNY': { '2024-03': 7.8 } },
};

const EVERY_VIEW_OPTION = {
  lang: 'en',
  currency: 'USD',
  grain: 'week',
  split_by: 'region',
  cohort_metric: 'revenue',
  segment: 'high_value',
  sort: { column: 'units', descending: false },
  product_filter: 'shirt',
  stock_product: 'TEE-01',
  max_rows: 10,
  interactive: false,
  saved_mappings: { 'shopify_orders.csv': 'applied' },
  css: 'body { margin: 0 }',
};

/** Declared keys (through nested interfaces and `Record` values) that `value` does not set. */
function unsetKeys(value, type, path) {
  const nonNull = type.isUnion() ? type.types.filter((t) => !(t.flags & ts.TypeFlags.Null)) : [type];
  const objectType = nonNull.find((t) => t.flags & ts.TypeFlags.Object && !checker.isArrayType(t));
  if (!objectType || value === null || typeof value !== 'object') return [];
  const indexType = objectType.getStringIndexType();
  if (indexType) return Object.entries(value).flatMap(([key, v]) => unsetKeys(v, indexType, `${path}.${key}`));
  return checker.getPropertiesOfType(objectType).flatMap((property) => {
    if (!(property.name in value)) return [`${path}.${property.name}`];
    return unsetKeys(value[property.name], checker.getNonNullableType(checker.getTypeOfSymbol(property)), `${path}.${property.name}`);
  });
}

test('every declared option exists in the engine', async () => {
  const analyzeOptions = checker.getDeclaredTypeOfSymbol(exported.get('AnalyzeOptions'));
  assert.deepEqual(check(EVERY_OPTION, analyzeOptions, 'options', new Set()), [], 'the sample fits the declarations');
  assert.deepEqual(unsetKeys(EVERY_OPTION, analyzeOptions, 'options'), [], 'the sample sets every declared option');
  const file = await fixture('shopify_orders.csv');
  const report = await analyze([file], EVERY_OPTION); // unknown fields would throw invalid_option
  assert.equal(report.cohorts.data.grain, 'week');
  assert.equal(report.rfm.data.reference_day, '2030-01-01');
  assert.equal(report.promotion.data.baseline_source, 'year_before');
  assert.equal(report.promotion.data.campaign.from, '2025-06-16');

  const viewOptions = checker.getDeclaredTypeOfSymbol(exported.get('ExportHtmlOptions'));
  assert.deepEqual(check(EVERY_VIEW_OPTION, viewOptions, 'view', new Set()), []);
  assert.deepEqual(unsetKeys(EVERY_VIEW_OPTION, viewOptions, 'view'), []);
  assert.match(await exportHtml(report, EVERY_VIEW_OPTION), /<html lang="en"/);
});

test('a continuation from the engine fits its declaration', async () => {
  const file = await fixture('taobao_orders_gbk.csv');
  // Past the 64 KiB that decide the encoding, as a cut file's start is.
  const body = file.data.subarray(file.data.indexOf(10) + 1);
  const data = Buffer.concat([file.data, ...Array(Math.ceil(70_000 / body.length)).fill(body)]);
  const session = await createSession();
  session.push(file.name, data);
  session.endFile(file.name);
  const continuation = session.continuation(file.name);
  session.free();
  assert.equal(continuation.encoding, 'gb18030');
  const declared = checker.getDeclaredTypeOfSymbol(exported.get('Continuation'));
  assert.deepEqual(check(continuation, declared, 'continuation', new Set()), []);
});
