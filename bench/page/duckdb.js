// DuckDB-Wasm doing the same work: read_csv of the same File (registered as a file handle, read by
// DuckDB's worker in place), then SQL written from shared/DEFINITIONS.md: KPIs for the whole range
// and per day / ISO week / month (GMV, refunds, paid orders, buyers, units, repurchase, new buyers),
// monthly cohorts (active customers and revenue per offset), the product ranking (revenue, units,
// orders, buyers, repeat buyers, refunds, ABC), and for events the distinct and the sequential
// funnel (view → cart → purchase within 7 days, by ASOF joins).
//
// The eh bundle from bench/node_modules (one thread, like shoplens in one worker). DuckDB-Wasm reads
// UTF-8 only without the `encodings` extension (which it would download), so a GBK file is first
// transcoded with the browser's TextDecoder; that time is included.

import * as duckdb from '/bench/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
import { HeapPeak } from './common.js';

const DIST = '/bench/node_modules/@duckdb/duckdb-wasm/dist';
let db = null;

export async function prepare() {
  if (db) return;
  const worker = new Worker(`${DIST}/duckdb-browser-eh.worker.js`);
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(`${DIST}/duckdb-eh.wasm`);
}

const ORDER_COLUMNS = {
  子订单编号: 'VARCHAR', 主订单编号: 'VARCHAR', 买家会员名: 'VARCHAR', 商品标题: 'VARCHAR',
  商品价格: 'DECIMAL(18,2)', 购买数量: 'INTEGER', 外部系统编号: 'VARCHAR', 商品属性: 'VARCHAR',
  套餐信息: 'VARCHAR', 联系方式备注: 'VARCHAR', 订单状态: 'VARCHAR', 商家编码: 'VARCHAR',
  支付单号: 'VARCHAR', 买家应付货款: 'DECIMAL(18,2)', 买家实付金额: 'DECIMAL(18,2)', 退款状态: 'VARCHAR',
  退款金额: 'DECIMAL(18,2)', 订单创建时间: 'TIMESTAMP', 订单付款时间: 'TIMESTAMP', 商品ID: 'VARCHAR',
  发货时间: 'TIMESTAMP', 物流单号: 'VARCHAR', 物流公司: 'VARCHAR',
};

const EVENT_COLUMNS = { user_id: 'BIGINT', item_id: 'BIGINT', category_id: 'BIGINT', behavior: 'VARCHAR', ts: 'BIGINT' };

/** The narrow English line-item export (bench/generate.mjs, issue 15): amounts per line. */
const NARROW_COLUMNS = {
  'Order ID': 'VARCHAR', 'Created At': 'TIMESTAMP', 'Paid At': 'TIMESTAMP', 'Customer ID': 'VARCHAR',
  Status: 'VARCHAR', SKU: 'VARCHAR', Quantity: 'INTEGER', 'Unit Price': 'DECIMAL(18,2)',
  'Line Total': 'DECIMAL(18,2)', Refund: 'DECIMAL(18,2)',
};

/** The narrow event log with ISO-8601 UTC timestamps, read as the wall clock they show (DEFINITIONS §1). */
const ISO_EVENT_COLUMNS = {
  event_time: 'TIMESTAMP', event_type: 'VARCHAR', user_id: 'BIGINT', product_id: 'BIGINT', category_id: 'BIGINT',
};

/** Where each export keeps what the queries use. */
const ORDER_LAYOUTS = {
  tmall: {
    columns: ORDER_COLUMNS,
    select: `"主订单编号" AS order_id, "买家会员名" AS customer, "商家编码" AS sku,
     "购买数量" AS qty, CAST("买家实付金额" * 100 AS BIGINT) AS paid_cents,
     CAST(coalesce("退款金额", 0) * 100 AS BIGINT) AS refund_cents,
     "订单创建时间" AS created, "订单付款时间" AS paid_at`,
  },
  narrow: {
    columns: NARROW_COLUMNS,
    select: `"Order ID" AS order_id, "Customer ID" AS customer, "SKU" AS sku,
     "Quantity" AS qty, CAST("Line Total" * 100 AS BIGINT) AS paid_cents,
     CAST(coalesce("Refund", 0) * 100 AS BIGINT) AS refund_cents,
     "Created At" AS created, "Paid At" AS paid_at`,
  },
};

const columnsSql = (columns) =>
  `{${Object.entries(columns).map(([name, type]) => `'${name}': '${type}'`).join(', ')}}`;

/** Sub-orders → lines; lines → orders (DEFINITIONS §1: paid = has a payment time; time = paid else created). */
const ORDER_SETUP = (source, layout) => [
  `CREATE TABLE lines AS SELECT ${layout.select}
   FROM read_csv('${source}', header = true, auto_detect = false, delim = ',', quote = '"',
                 columns = ${columnsSql(layout.columns)})`,
  `CREATE TABLE orders AS SELECT order_id, any_value(customer) AS customer,
     coalesce(max(paid_at), min(created)) AS t, bool_or(paid_at IS NOT NULL) AS paid,
     sum(paid_cents) AS gmv, sum(refund_cents) AS refund, sum(qty) AS units
   FROM lines GROUP BY order_id`,
  `CREATE TABLE paid AS SELECT * FROM orders WHERE paid`,
  `CREATE TABLE first_paid AS SELECT customer, min(t) AS first_t FROM paid GROUP BY customer`,
];

const KPI_BY = (grain) =>
  `WITH per AS (SELECT date_trunc('${grain}', t) AS period, customer, count(*) AS n, sum(gmv) AS gmv,
                       sum(refund) AS refund, sum(units) AS units, count(*) FILTER (WHERE refund > 0) AS refunded
                FROM paid GROUP BY ALL),
        fresh AS (SELECT date_trunc('${grain}', first_t) AS period, count(*) AS new_buyers FROM first_paid GROUP BY 1)
   SELECT period, sum(gmv) AS gmv, sum(refund) AS refunds, sum(n) AS paid_orders, count(*) AS buyers,
          sum(units) AS units, sum(refunded) AS refunded_orders, count(*) FILTER (WHERE n >= 2) / count(*) AS repurchase_rate,
          any_value(new_buyers) AS new_buyers
   FROM per LEFT JOIN fresh USING (period) GROUP BY period ORDER BY period`;

const ORDER_QUERIES = {
  rows: `SELECT count(*) AS n FROM lines`,
  total: `SELECT sum(gmv) AS gmv, sum(refund) AS refunds, count(*) AS paid_orders, count(DISTINCT customer) AS buyers,
                 sum(units) AS units, (SELECT count(*) FROM orders) AS orders FROM paid`,
  repurchase: `SELECT count(*) FILTER (WHERE n >= 2) / count(*) AS rate
               FROM (SELECT customer, count(*) AS n FROM paid GROUP BY customer)`,
  daily: KPI_BY('day'),
  weekly: KPI_BY('week'),
  monthly: KPI_BY('month'),
  cohorts: `SELECT date_trunc('month', f.first_t) AS cohort,
                   datediff('month', date_trunc('month', f.first_t), date_trunc('month', p.t)) AS k,
                   count(DISTINCT p.customer) AS active, sum(p.gmv) AS revenue
            FROM paid p JOIN first_paid f USING (customer) GROUP BY ALL ORDER BY ALL`,
  products: `WITH pl AS (SELECT l.sku, l.order_id, l.qty, l.paid_cents, l.refund_cents, p.customer
                         FROM lines l JOIN paid p USING (order_id)),
                  per_buyer AS (SELECT sku, customer, count(DISTINCT order_id) AS n FROM pl GROUP BY ALL),
                  buyers AS (SELECT sku, count(*) AS buyers, count(*) FILTER (WHERE n >= 2) AS repeat_buyers
                             FROM per_buyer GROUP BY sku),
                  ranked AS (SELECT sku, sum(paid_cents) AS revenue, sum(qty) AS units,
                                    count(DISTINCT order_id) AS orders, sum(refund_cents) AS refunds
                             FROM pl GROUP BY sku)
             SELECT r.*, b.buyers, b.repeat_buyers,
                    (sum(revenue) OVER (ORDER BY revenue DESC, sku ROWS UNBOUNDED PRECEDING) - revenue)
                      / sum(revenue) OVER () AS share_before
             FROM ranked r JOIN buyers b USING (sku) ORDER BY revenue DESC, sku`,
};

const EVENT_QUERIES = {
  rows: `SELECT count(*) AS n FROM ev`,
  distinct: `SELECT behavior, count(DISTINCT user_id) AS users FROM ev GROUP BY behavior`,
  // Inner ASOF joins: with ASOF LEFT JOIN, DuckDB-Wasm 1.32 matched left rows whose key (tc) was
  // NULL to some purchase, and counted users that never carted (checked against a brute force).
  sequential: `WITH v AS (SELECT user_id, ts FROM ev WHERE behavior = 'pv'),
                    c AS (SELECT user_id, ts FROM ev WHERE behavior = 'cart'),
                    p AS (SELECT user_id, ts FROM ev WHERE behavior = 'buy'),
                    vc AS (SELECT v.user_id, v.ts AS tv, c.ts AS tc
                           FROM v ASOF JOIN c ON v.user_id = c.user_id AND c.ts >= v.ts),
                    vcp AS (SELECT vc.user_id, tv, tc, p.ts AS tp
                            FROM vc ASOF JOIN p ON vc.user_id = p.user_id AND p.ts >= vc.tc)
               SELECT (SELECT count(DISTINCT user_id) FROM v) AS viewed,
                      (SELECT count(DISTINCT user_id) FROM vc WHERE tc - tv <= 604800) AS carted,
                      (SELECT count(DISTINCT user_id) FROM vcp WHERE tp - tv <= 604800) AS bought`,
  daily: `SELECT (ts + 28800) // 86400 AS day, behavior, count(*) AS events, count(DISTINCT user_id) AS users
          FROM ev GROUP BY ALL ORDER BY ALL`,
};

/** A GBK file as a UTF-8 Blob, decoded in streaming pieces (DuckDB-Wasm cannot read GBK itself). */
async function transcodeGbk(file) {
  const decoder = new TextDecoder('gbk');
  const encoder = new TextEncoder();
  const parts = [];
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(encoder.encode(decoder.decode(value, { stream: true })));
  }
  parts.push(encoder.encode(decoder.decode()));
  return new Blob(parts);
}

const rows = (table) => table.toArray().map((r) => r.toJSON());
const num = (v) => (typeof v === 'bigint' ? Number(v) : v === null ? null : Number(v));

/**
 * The event table `ev` (user_id, item_id, category_id, behavior pv/cart/buy, ts in seconds). The ISO
 * log's wall clock is shifted back 8 h so that the daily query's China-time shift gives its own day.
 */
const EVENT_SETUP = (source, layout) =>
  layout === 'iso'
    ? `CREATE TABLE ev AS SELECT user_id, product_id AS item_id, category_id,
         CASE event_type WHEN 'view' THEN 'pv' WHEN 'purchase' THEN 'buy' ELSE event_type END AS behavior,
         epoch(event_time)::BIGINT - 28800 AS ts
       FROM read_csv('${source}', header = true, auto_detect = false, delim = ',',
                     columns = ${columnsSql(ISO_EVENT_COLUMNS)})`
    : `CREATE TABLE ev AS SELECT * FROM read_csv('${source}', header = false, auto_detect = false,
                          delim = ',', columns = ${columnsSql(EVENT_COLUMNS)})`;

/** `layout`: undefined for the 销售明细 / Tianchi files, 'narrow' / 'iso' for issue 15's narrow ones. */
export async function runDuckdb(file, kind, encoding, layout) {
  const heap = new HeapPeak();
  const started = performance.now();
  const source = encoding === 'gbk' ? await transcodeGbk(file) : file;
  heap.sample();
  const name = kind === 'orders' ? 'orders.csv' : 'events.csv';
  await db.registerFileHandle(name, source, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  const conn = await db.connect();
  const results = {};
  try {
    if (kind === 'orders') {
      for (const sql of ORDER_SETUP(name, ORDER_LAYOUTS[layout ?? 'tmall'])) await conn.query(sql);
      for (const [key, sql] of Object.entries(ORDER_QUERIES)) results[key] = rows(await conn.query(sql));
    } else {
      await conn.query(EVENT_SETUP(name, layout));
      for (const [key, sql] of Object.entries(EVENT_QUERIES)) results[key] = rows(await conn.query(sql));
    }
  } finally {
    await conn.close();
  }
  const seconds = (performance.now() - started) / 1000;
  heap.sample();
  return { seconds, heapPeak: heap.peak, summary: summarise(kind, results) };
}

function summarise(kind, r) {
  if (kind === 'orders') {
    const t = r.total[0];
    const top = r.products[0];
    const first = r.cohorts.filter((c) => num(c.cohort) === num(r.cohorts[0].cohort));
    return {
      rows: num(r.rows[0].n),
      paid_orders: num(t.paid_orders),
      gmv: num(t.gmv),
      refunds: num(t.refunds),
      buyers: num(t.buyers),
      units: num(t.units),
      repurchase_rate: Math.round(num(r.repurchase[0].rate) * 1e6) / 1e6,
      months: r.monthly.length,
      first_cohort: [num(first[0].active), num(first.find((c) => num(c.k) === 1)?.active ?? null)],
      top_product: [top.sku, num(top.revenue), num(top.units), num(top.buyers)],
    };
  }
  const s = r.sequential[0];
  return { rows: num(r.rows[0].n), funnel: [num(s.viewed), num(s.carted), num(s.bought)] };
}
