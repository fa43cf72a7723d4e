// The report's fast hand-over to JS (crate/wasm/src/handover.rs: big row lists column-wise, rows
// rebuilt in JS) against the plain serde-wasm-bindgen conversion, on the same report: the objects
// must be deeply equal (same prototypes, values, nulls) and JSON.stringify must give the same text
// (same key order). Run `npm run build` first.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const engine = await import(new URL('www/pkg/shoplens.js', root).href);
engine.initSync({ module: await readFile(new URL('www/pkg/shoplens_bg.wasm', root)) });

const fixture = async (name) => ({ name, bytes: await readFile(new URL(`tests/fixtures/${name}`, root)) });

/** Streams `files` ({ name, bytes }) through a session, in 64 KiB chunks. */
function load(files, options) {
  const session = new engine.Session(options);
  for (const { name, bytes } of files) {
    try {
      for (let i = 0; i < bytes.length; i += 65536) session.push(name, bytes.subarray(i, i + 65536));
      session.endFile(name);
    } catch {
      // A file the engine cannot read is reported in its load report; the others go on.
    }
  }
  return session;
}

/** The report converted both ways; asserts they are the same value and the same JSON text. */
function assertSameBothWays(files, options) {
  const check = new engine.HandoverCheck(load(files, options).finishJson());
  try {
    const bySerde = check.bySerde();
    const byColumns = check.byColumns();
    assert.deepStrictEqual(byColumns, bySerde);
    assert.equal(JSON.stringify(byColumns), JSON.stringify(bySerde));
    // The page's worker posts the report: a structured clone must not tell them apart either.
    assert.deepStrictEqual(structuredClone(byColumns), bySerde);
    return byColumns;
  } finally {
    check.free();
  }
}

const GOOD_FIXTURES = [
  'taobao_orders_gbk.csv',
  'taobao_items_utf8bom.csv',
  'tmall_sales_detail.csv',
  'taobao_orders_2026_21col.csv',
  'pinduoduo_orders.csv',
  'jd_orders.csv',
  'douyin_orders.csv',
  'shopify_orders.csv',
  'woocommerce_analytics.csv',
  'amazon_all_orders.txt',
  'tianchi_userbehavior.csv',
  'rees46_events.csv',
  'sycm_traffic_gbk.csv',
  'sycm_items.csv',
  'amazon_business_report.csv',
  'amazon_sp_ads.csv',
  'ztc_ads_gb18030.csv',
  'erp_skus.csv',
  'shopify_products.csv',
  'tab_separated_generic.tsv',
  'containers/qianniu_orders.xlsx',
  'containers/wanxiangtai_ads.zip',
];

test('every fixture alone: the same report both ways', async (t) => {
  for (const name of GOOD_FIXTURES) {
    await t.test(name, async () => assertSameBothWays([await fixture(name)]));
  }
});

test('fixtures together: products with cost and stock, traffic, events, a bad file', async () => {
  const shop = await Promise.all(
    ['taobao_orders_gbk.csv', 'taobao_items_utf8bom.csv', 'erp_skus.csv', 'sycm_items.csv', 'bad/ragged_rows.csv'].map(fixture),
  );
  const report = assertSameBothWays(shop);
  assert.equal(report.rfm.status, 'ready');
  assert.equal(report.products.status, 'ready');
  const products = report.products.data.products;
  assert.ok(products.some((p) => p.unit_cost !== null && p.stock !== null), 'cost and stock from the SKU list');

  const shopify = await Promise.all(['shopify_orders.csv', 'shopify_products.csv', 'rees46_events.csv'].map(fixture));
  assertSameBothWays(shopify);
  assertSameBothWays(shopify, { rfm: { reference_day: '2024-12-31' }, products: { growth_window_days: 7 } });
});

test('sections that are unavailable keep their reason', async () => {
  const report = assertSameBothWays([await fixture('tianchi_userbehavior.csv')]);
  assert.equal(report.rfm.status, 'unavailable');
  assert.equal(report.products.status, 'unavailable');
  assert.deepEqual(Object.keys(report.rfm), ['status', 'reason']);
});

/** mulberry32: a seeded, reproducible stream of numbers in [0, 1). */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const csvCell = (value) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvLine = (cells) => `${cells.map((cell) => csvCell(String(cell))).join(',')}\r\n`;
const money = (cents) => (cents / 100).toFixed(2);

/**
 * A Tmall 销售明细 export (one row per sub-order line) of `orders` orders and an ERP SKU list with
 * cost and stock for half the products. Buyer names and titles mix ASCII, CJK, characters outside
 * the BMP (two UTF-16 units in JS) and commas and quotes; statuses include unpaid, closed and
 * refunded lines, so many RFM customers and products have nulls next to values.
 */
function generatedShop({ orders, customers, products, seed }) {
  const next = random(seed);
  const pick = (n) => Math.floor(next() * n);
  const buyerName = (c) => [`tb_${c}`, `陈小兔${c}`, `𠮷野家${c}`, `🛒 shop ${c}`][c % 4];
  const catalogue = Array.from({ length: products }, (_, p) => ({
    sku: `SKU-${String(p).padStart(4, '0')}`,
    itemId: String(680000000000 + p),
    title: [`全棉四件套 ${p}`, `Mug "${p}", blue`, `𠮷 Tee ${p} 🎁`, `硅藻泥地垫 ${p}`][p % 4],
    cents: 990 + pick(50000),
  }));
  const header = [
    '子订单编号', '主订单编号', '买家会员名', '商品标题', '商品价格', '购买数量', '外部系统编号', '商品属性',
    '套餐信息', '联系方式备注', '订单状态', '商家编码', '支付单号', '买家应付货款', '买家实付金额', '退款状态',
    '退款金额', '订单创建时间', '订单付款时间', '商品ID', '发货时间', '物流单号', '物流公司',
  ];
  let text = csvLine(header);
  const start = Date.UTC(2024, 0, 1) / 1000;
  for (let o = 0; o < orders; o++) {
    const orderId = String(3800000000000000000n + BigInt(o) * 7919n);
    // Skewed: a few customers order often, most once or twice.
    const buyer = buyerName(Math.floor(customers * next() ** 2));
    const created = start + pick(330 * 86400);
    const time = (s) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const roll = next();
    const status = roll < 0.8 ? '交易成功' : roll < 0.9 ? '交易关闭' : '等待买家付款';
    const paid = status !== '等待买家付款' && !(status === '交易关闭' && roll > 0.86);
    const lines = 1 + pick(3);
    for (let l = 0; l < lines; l++) {
      const product = catalogue[pick(products)];
      const units = 1 + pick(3);
      const due = product.cents * units;
      const refunded = status === '交易关闭' && paid;
      text += csvLine([
        lines === 1 ? orderId : String(BigInt(orderId) + BigInt(l + 1)), orderId, buyer, product.title,
        money(product.cents), units, '', '颜色分类:默认', '', '', status, product.sku,
        paid ? `2024${String(o).padStart(20, '0')}` : '', money(due), money(due),
        refunded ? '退款成功' : '无退款申请', refunded ? money(due) : '0', time(created),
        paid ? time(created + 30) : '', product.itemId, '', '', '',
      ]);
    }
  }
  let skus = csvLine(['商家编码', '商品名称', '颜色及规格', '类目', '品牌', '成本价', '售价', '市场|吊牌价', '可用库存', '重量', '供应商', '备注']);
  for (const product of catalogue.filter((_, p) => p % 2 === 0)) {
    const category = ['家纺/床品', '厨具/杯子', '男装/T恤'][pick(3)];
    skus += csvLine([product.sku, product.title, '默认', category, '简衣社', money(product.cents * 0.4), money(product.cents), '', pick(500), '0.3', '', '']);
  }
  const encode = (s) => new TextEncoder().encode(s);
  return [
    { name: 'generated_sales_detail.csv', bytes: encode(text) },
    { name: 'generated_skus.csv', bytes: encode(`\ufeff${skus}`) },
  ];
}

test('a generated shop of 6,000 orders: thousands of RFM customers and hundreds of products', () => {
  const shop = generatedShop({ orders: 6000, customers: 2500, products: 300, seed: 20241124 });
  const report = assertSameBothWays(shop);
  for (const load of report.loads) assert.equal(load.rows_used, load.rows_read, `${load.file}: every row used`);
  assert.equal(report.rfm.status, 'ready');
  const customers = report.rfm.data.customers;
  assert.ok(customers.length > 1000, `${customers.length} RFM customers`);
  assert.ok(customers.some((c) => c.customer.startsWith('𠮷')), 'a buyer name outside the BMP');
  assert.deepEqual(Object.keys(customers[0]), [
    'customer', 'last_order_day', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'segment',
  ]);
  assert.equal(report.products.status, 'ready');
  const products = report.products.data.products;
  assert.ok(products.length >= 250, 'most products sold');
  assert.ok(products.some((p) => p.unit_cost === null) && products.some((p) => p.unit_cost !== null), 'half with a cost');
  assert.ok(products.some((p) => p.title.includes('𠮷')), 'a title outside the BMP');
  assert.ok(report.products.data.pareto.length >= 250);
  // Through serde the same shop, filtered and re-scored: a second report, a second comparison.
  assertSameBothWays(shop, { filter: { from: '2024-06-01', to: '2024-09-30' }, rfm: { reference_day: '2024-10-01' } });
});

test('Session.finish gives the RFM and product rows of the JSON form', async () => {
  // Against JSON.parse, which reads numbers exactly (HandoverCheck's serde_json parse may be one
  // unit in the last place off, the same for both of its conversions). Only these sections: an
  // f32 such as a load report's `confidence` is 0.8 in JSON but 0.800000011920929 as a JS number.
  const files = await Promise.all(['tmall_sales_detail.csv', 'erp_skus.csv', 'sycm_items.csv'].map(fixture));
  const finished = load(files).finish();
  const json = JSON.parse(load(files).finishJson());
  assert.equal(finished.rfm.status, 'ready');
  assert.deepStrictEqual(finished.rfm, json.rfm);
  assert.deepStrictEqual(finished.products, json.products);
});
