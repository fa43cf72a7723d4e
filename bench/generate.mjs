// Seeded generator of realistic shop exports for the benchmark (deterministic: same seed, same bytes).
//
//   node bench/generate.mjs [--small] [--force] [--only NAME[,NAME…]]
//
// Writes into bench/data/ (gitignored):
//   orders-1m.csv / orders-1m-gbk.csv   天猫/淘宝 销售明细 (one row per sub-order line), UTF-8 and GBK
//   orders-5m.csv / orders-5m-gbk.csv   the same shape at 5M rows
//   events-10m.csv                      Tianchi UserBehavior: user_id,item_id,category_id,behavior_type,timestamp
//   narrow-1m.csv / narrow-5m.csv       a narrow English order export (10 columns, ~98 bytes a line, amounts
//                                       per line, many customers and orders: issue 15)
//   events-iso-1m.csv / events-iso-5m.csv  a narrow event log with ISO timestamps, in time order
// With --small: orders-50k(.csv|-gbk.csv), events-200k.csv, narrow-50k.csv and events-iso-50k.csv, for
// a smoke run in seconds.
// With --scale: orders-7m.csv, about 2.1 GB, for the streaming run at scale.
//
// The orders file follows FORMATS.md (销售明细/子订单): 19-digit order ids (子订单编号 = 主订单编号 on
// single-line orders), Chinese titles and attributes, statuses 交易成功 / 卖家已发货 / 买家已付款 / 交易关闭 (with
// and without payment time) / 等待买家付款, partial and full refunds, repeat customers with a skewed
// number of orders, a Zipf product mix and a 双11 peak. A file is skipped when it exists with the
// expected size recorded in bench/data/manifest.json (regenerate with --force).

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
export const dataDir = join(benchDir, 'data');
const manifestPath = join(dataDir, 'manifest.json');

/** The datasets of a full run and of a `--small` run, by name. `rows` counts data rows. */
export function datasetPlan({ small, scale = false }) {
  if (scale) {
    // Issue 6 item 4: a 2 GB export, streamed (`node scripts/bench.mjs --scale`, shoplens only).
    return [{ name: 'orders-7m', kind: 'orders', rows: 7_000_000, encoding: 'utf-8', seed: 7 }];
  }
  if (small) {
    return [
      { name: 'orders-50k', kind: 'orders', rows: 50_000, encoding: 'utf-8', seed: 11 },
      { name: 'orders-50k-gbk', kind: 'orders', rows: 50_000, encoding: 'gbk', seed: 11 },
      { name: 'events-200k', kind: 'events', rows: 200_000, encoding: 'utf-8', seed: 23 },
      { name: 'narrow-50k', kind: 'orders', layout: 'narrow', rows: 50_000, encoding: 'utf-8', seed: 31 },
      { name: 'events-iso-50k', kind: 'events', layout: 'iso', rows: 50_000, encoding: 'utf-8', seed: 37 },
    ];
  }
  return [
    { name: 'orders-1m', kind: 'orders', rows: 1_000_000, encoding: 'utf-8', seed: 1 },
    { name: 'orders-1m-gbk', kind: 'orders', rows: 1_000_000, encoding: 'gbk', seed: 1 },
    { name: 'events-10m', kind: 'events', rows: 10_000_000, encoding: 'utf-8', seed: 2 },
    { name: 'orders-5m', kind: 'orders', rows: 5_000_000, encoding: 'utf-8', seed: 5 },
    { name: 'orders-5m-gbk', kind: 'orders', rows: 5_000_000, encoding: 'gbk', seed: 5 },
    // Issue 15: narrow exports, where the per-row cost is not hidden behind 300 bytes of text a row.
    { name: 'narrow-1m', kind: 'orders', layout: 'narrow', rows: 1_000_000, encoding: 'utf-8', seed: 41 },
    { name: 'events-iso-1m', kind: 'events', layout: 'iso', rows: 1_000_000, encoding: 'utf-8', seed: 43 },
    { name: 'narrow-5m', kind: 'orders', layout: 'narrow', rows: 5_000_000, encoding: 'utf-8', seed: 45 },
    { name: 'events-iso-5m', kind: 'events', layout: 'iso', rows: 5_000_000, encoding: 'utf-8', seed: 47 },
  ];
}

// ── deterministic randomness ────────────────────────────────────────────────────────────────────

/** mulberry32: a small, fast 32-bit PRNG; good enough for synthetic data, and fully seeded. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    /** Zipf-like rank in [0, n): heavy head, long tail (exponent ~1). */
    zipf: (n) => Math.min(n - 1, Math.floor(Math.exp(next() * Math.log(n + 1))) - 1),
    /** Index in [0, n) with density falling like x^(1/p − 1): p > 1 favours small indices. */
    skew: (n, p) => Math.min(n - 1, Math.floor(n * Math.pow(next(), p))),
    digits: (k) => {
      let s = '';
      while (s.length < k) s += Math.floor(next() * 1e9).toString().padStart(9, '0');
      return s.slice(0, k);
    },
  };
}

const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);

/** Wall-clock `YYYY-MM-DD HH:MM:SS` of a second count since 1970 (UTC arithmetic, no zone). */
function wallClock(seconds) {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

const money = (cents) => `${Math.floor(cents / 100)}.${pad2(cents % 100)}`;

// ── file writing ────────────────────────────────────────────────────────────────────────────────

/** Buffers text and writes it in large pieces, UTF-8 or GBK (iconv-lite from bench/node_modules). */
function textWriter(path, encoding) {
  const fd = openSync(path, 'w');
  let encode = (s) => Buffer.from(s, 'utf8');
  if (encoding === 'gbk') {
    const iconv = createRequire(join(benchDir, 'package.json'))('iconv-lite');
    encode = (s) => iconv.encode(s, 'gbk');
  }
  let parts = [];
  let pending = 0;
  let bytes = 0;
  const flush = () => {
    if (parts.length === 0) return;
    const buf = encode(parts.join(''));
    writeSync(fd, buf);
    bytes += buf.length;
    parts = [];
    pending = 0;
  };
  return {
    write(s) {
      parts.push(s);
      pending += s.length;
      if (pending > 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
      return bytes;
    },
  };
}

// ── orders: 销售明细 ─────────────────────────────────────────────────────────────────────────────

const ORDER_HEADER =
  '子订单编号,主订单编号,买家会员名,商品标题,商品价格,购买数量,外部系统编号,商品属性,套餐信息,联系方式备注,' +
  '订单状态,商家编码,支付单号,买家应付货款,买家实付金额,退款状态,退款金额,订单创建时间,订单付款时间,商品ID,发货时间,物流单号,物流公司';

const ADJECTIVES = ['北欧ins风', '加厚', '纯棉', '新款', '韩版', '复古', '简约', '日式', '网红', '大容量', '家用', '便携式', '2024春季', '冰丝', '高腰', '宽松', '原创设计', '儿童', '男士', '女士'];
const NOUNS = ['陶瓷马克杯', '短袖T恤', '阔腿裤', '连帽卫衣', '四件套', '乳胶枕头', '保温杯', '双肩包', '帆布鞋', '收纳盒', '蓝牙耳机', '手机壳', '棉袜', '围巾', '台灯', '沐浴露', '洗面奶', '猫粮', '坚果礼盒', '茶叶'];
const SUFFIXES = ['带盖勺 350ml', '夏季打底衫', '垂感休闲', '加绒外套', '1.8m床', '护颈椎', '316不锈钢', '学生书包', '透气百搭', '桌面整理', '降噪长续航', '防摔硅胶', '5双装', '羊毛混纺', '护眼学习', '持久留香', '氨基酸温和', '成猫全价 10kg', '每日坚果 30袋', '明前龙井 250g'];
const COLORS = ['白色', '黑色', '雾蓝', '燕麦灰', '卡其', '酒红', '混色', '藏青'];
const SIZES = ['S', 'M', 'L', 'XL', 'XXL', '均码'];
const NICK = ['小鱼', '阿杰', '豆豆妈咪', '晴天', '快乐的猫', '星星', '木子', '橙子', '大白', '云朵'];
const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递'];
const CARRIER_CODES = ['SF', 'ZT', 'YT', 'YD', 'ST', 'JT'];

/** Start of the order period (2023-01-01 00:00 wall clock) and its length: two years. */
const ORDERS_FROM = Date.UTC(2023, 0, 1) / 1000;
const ORDERS_DAYS = 731;

function makeProducts(r, count) {
  const products = [];
  for (let p = 0; p < count; p++) {
    const title = `${r.pick(ADJECTIVES)}${r.pick(NOUNS)}${r.pick(SUFFIXES)}`;
    // Prices between 9.90 and ~600 yuan, most under 200.
    const price = Math.round((9.9 + Math.pow(r.next(), 2.2) * 590) * 10) * 10;
    products.push({
      sku: `SKU-${String(10000 + p)}`,
      id: `6${r.digits(11)}`,
      title,
      price,
      // Products launch over time: the tail of the catalogue appears later (for growth figures).
      launchDay: p < count / 2 ? 0 : r.int(ORDERS_DAYS - 60),
    });
  }
  return products;
}

/** Day weights: a weekly rhythm, growth over time and the 618 / 双11 / 双12 peaks. */
function makeDayPicker(r) {
  const weights = [];
  let total = 0;
  for (let d = 0; d < ORDERS_DAYS; d++) {
    const date = new Date((ORDERS_FROM + d * 86400) * 1000);
    const m = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    let w = 1 + d / ORDERS_DAYS; // the shop grows
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) w *= 1.2;
    if (m === 11 && day === 11) w *= 8;
    else if (m === 11 && day >= 1 && day <= 12) w *= 1.8;
    if (m === 6 && day === 18) w *= 4;
    if (m === 12 && day === 12) w *= 3;
    total += w;
    weights.push(total);
  }
  return () => {
    const x = r.next() * total;
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (weights[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function customerName(c) {
  // About a third Chinese nicknames, the rest tb_ accounts; unique by construction.
  return c % 3 === 0 ? `${NICK[c % NICK.length]}${c.toString(36)}` : `tb_${(c * 7919 + 12345).toString(36)}`;
}

/**
 * Writes the 销售明细 export. Rows come order by order in time order; an order has 1–4 lines.
 * Customers: drawn with a skew so a few buy often and most once; products Zipf-like.
 */
/**
 * Order states as `[cumulative share, status, paid]`: 交易成功 most, then in-flight,
 * refunded-and-closed (paid, then fully refunded), unpaid, and closed before payment.
 */
const TAOBAO_STATUSES = [
  [0.8, '交易成功', true],
  [0.85, '卖家已发货，等待买家确认收货', true],
  [0.88, '买家已付款，等待卖家发货', true],
  [0.92, '交易关闭', true],
  [0.95, '等待买家付款', false],
  [1, '交易关闭', false],
];

/** The narrow export's states, as `TAOBAO_STATUSES`. */
const NARROW_STATUSES = [
  [0.8, 'completed', true],
  [0.86, 'shipped', true],
  [0.89, 'processing', true],
  [0.92, 'refunded', true],
  [0.96, 'cancelled', false],
  [1, 'pending', false],
];

/** An order's status and whether it was paid, from one uniform draw over `table`. */
function drawStatus(r, table) {
  const x = r.next();
  const [, status, paid] = table.find(([upTo]) => x < upTo) ?? table[table.length - 1];
  return { status, paid };
}

/**
 * One order line: a product (Zipf over the catalogue; one not launched by `day` gives way to one
 * of the older half), a quantity, the amount due and the amount paid (coupons and shop discounts:
 * 0–15 % off on a third of lines). The draws are those the published files were made with.
 */
function drawLine(r, products, day) {
  let p = r.zipf(products.length);
  if (products[p].launchDay > day) p = r.int(products.length / 2);
  const product = products[p];
  const quantity = r.next() < 0.85 ? 1 : 2 + r.int(3);
  const due = product.price * quantity;
  const paid = r.next() < 0.33 ? Math.round((due * (85 + r.int(16))) / 100) : due;
  return { product, quantity, due, paid };
}

function writeOrders(path, { rows, encoding, seed }) {
  const r = rng(seed);
  const products = makeProducts(r, Math.max(200, Math.round(rows / 200)));
  const customers = Math.max(100, Math.round(rows / 2.2));
  const pickDay = makeDayPicker(r);
  // Orders in time order: draw every order's day up front, then sort. Orders average ~1.56 lines,
  // so the row count is reached before the last days drawn: the data ends in November 2024
  // (23 months). Kept as is: the published figures are for exactly these files.
  const orderCount = Math.round(rows / 1.45);
  const days = new Uint16Array(orderCount);
  for (let i = 0; i < orderCount; i++) days[i] = pickDay();
  days.sort();

  const out = textWriter(path, encoding);
  out.write(`${ORDER_HEADER}\r\n`);
  let written = 0;
  for (let o = 0; written < rows; o++) {
    const day = days[Math.min(o, orderCount - 1)];
    const created = ORDERS_FROM + day * 86400 + 8 * 3600 + r.int(16 * 3600);
    const orderId = `3${r.digits(9)}${String(o).padStart(9, '0')}`;
    // Customer: skewed (a few buy often, most once or never), over a shuffled id space.
    const customer = customerName((r.skew(customers, 1.6) * 2654435761) % customers);
    const lineCount = Math.min(rows - written, 1 + (r.next() < 0.28 ? 1 + r.int(3) : 0));
    const { status, paid } = drawStatus(r, TAOBAO_STATUSES);
    const paidAt = paid ? created + 10 + r.int(900) : null;
    const payId = paid ? `2023${r.digits(24)}` : '';
    const shipped = paid && status !== '买家已付款，等待卖家发货' ? wallClock(paidAt + 3600 * (4 + r.int(40))) : '';
    const carrier = r.int(CARRIERS.length);
    const tracking = shipped ? `${CARRIER_CODES[carrier]}${r.digits(12)}` : '';
    for (let l = 0; l < lineCount; l++) {
      const { product, quantity, due, paid: paidCents } = drawLine(r, products, day);
      let lineStatus = status;
      let refundState = '无退款申请';
      let refund = 0;
      if (paid && status === '交易关闭') {
        refundState = '退款成功';
        refund = paidCents;
      } else if (paid && r.next() < 0.05) {
        // A partial refund (price protection, a missing piece) or a fully refunded line.
        if (r.next() < 0.5 && lineCount > 1) {
          lineStatus = '交易关闭';
          refund = paidCents;
        } else {
          refund = Math.max(1, Math.round(paidCents * (0.1 + r.next() * 0.4)));
        }
        refundState = '退款成功';
      } else if (paid && r.next() < 0.01) {
        refundState = '退款关闭';
      }
      const subId = lineCount === 1 ? orderId : `4${r.digits(9)}${String(written).padStart(9, '0')}`;
      const attrs = `颜色分类:${r.pick(COLORS)};尺码:${r.pick(SIZES)}`;
      out.write(
        `${subId},${orderId},${customer},${product.title},${money(product.price)},${quantity},,${attrs},,,` +
          `${lineStatus},${product.sku},${payId},${money(due)},${money(paidCents)},${refundState},${money(refund)},` +
          `${wallClock(created)},${paidAt === null ? '' : wallClock(paidAt)},${product.id},${shipped},${tracking},` +
          `${shipped ? CARRIERS[carrier] : ''}\r\n`,
      );
      written++;
    }
  }
  return out.close();
}

// ── events: Tianchi UserBehavior ────────────────────────────────────────────────────────────────

/** 2017-11-25 00:00 China time as a Unix epoch, and the 9 days of the public dataset. */
const EVENTS_FROM = Date.UTC(2017, 10, 24, 16) / 1000;
const EVENTS_SECONDS = 9 * 86400;

/**
 * Writes a Tianchi-like log: no header, users in blocks (as the public file is), each user's events
 * in time order with browsing sessions; carts and favourites are mostly on items the user viewed,
 * purchases mostly on items in the cart. About 100 events per user, pv ≈ 89 %.
 */
function writeEvents(path, { rows, seed }) {
  const r = rng(seed);
  const items = Math.max(1000, rows / 10);
  const categories = Math.max(50, Math.round(items / 200));
  const categoryOf = (item) => ((item * 2654435761) >>> 0) % categories;
  const out = textWriter(path, 'utf-8');
  let written = 0;
  let user = 1_000_000;
  while (written < rows) {
    user += 1 + r.int(7);
    const n = Math.min(rows - written, 1 + Math.floor(-Math.log(1 - r.next()) * 100));
    let t = EVENTS_FROM + r.int(EVENTS_SECONDS);
    const viewed = [];
    const carted = [];
    let lines = '';
    for (let e = 0; e < n; e++) {
      // Mostly seconds to minutes apart, sometimes the next day (a new session).
      t += r.next() < 0.03 ? 3600 * (6 + r.int(30)) : 5 + r.int(240);
      if (t >= EVENTS_FROM + EVENTS_SECONDS) t = EVENTS_FROM + r.int(EVENTS_SECONDS);
      const x = r.next();
      let type;
      let item;
      if (x < 0.89 || viewed.length === 0) {
        type = 'pv';
        item = viewed.length > 0 && r.next() < 0.3 ? r.pick(viewed) : 100_000 + r.skew(items, 2) * 3;
        viewed.push(item);
      } else if (x < 0.92) {
        type = 'fav';
        item = r.pick(viewed);
      } else if (x < 0.975) {
        type = 'cart';
        item = r.pick(viewed);
        carted.push(item);
      } else {
        type = 'buy';
        item = carted.length > 0 && r.next() < 0.8 ? r.pick(carted) : r.pick(viewed);
      }
      lines += `${user},${item},${2_000_000 + categoryOf(item)},${type},${t}\n`;
    }
    out.write(lines);
    written += n;
  }
  return out.close();
}

// ── narrow orders: a plain English line-item export (issue 15) ───────────────────────────────

/** The header of the narrow export: 10 plain English columns, amounts per line. */
export const NARROW_HEADER = 'Order ID,Created At,Paid At,Customer ID,Status,SKU,Quantity,Unit Price,Line Total,Refund';

/**
 * Writes a narrow line-item export (as a WooCommerce / Shopify / ERP report a shop downloads): one
 * line per row, ~98 bytes, in time order over 24 months (2023-01 … 2024-12). Per 1M lines: ~715k
 * orders (1.4 lines each), ~190k customers (a new customer on ~27 % of orders, else a returning
 * one, loyal customers more often), 5k products (Zipf); all scaled with the row count. Sequential
 * order numbers with gaps; `Paid At` blank on unpaid orders; a `refunded` order refunds every line,
 * ~4 % of other paid lines have a partial refund. Amounts are per line (Line Total = what the line
 * was paid, after a discount on a third of lines), so an order's amount is the sum of its lines.
 */
function writeNarrowOrders(path, { rows, seed }) {
  const r = rng(seed);
  const scale = rows / 1_000_000;
  const products = makeProducts(r, Math.max(200, Math.round(5000 * scale)));
  const pickDay = makeDayPicker(r);
  // 1.4 lines an order; a few more days than needed so the last months are full.
  const orderCount = Math.ceil((rows / 1.4) * 1.03);
  const days = new Uint16Array(orderCount);
  for (let i = 0; i < orderCount; i++) days[i] = pickDay();
  days.sort();
  const newCustomerShare = 190_000 / 715_000;
  let customers = 0;
  const customerId = (c) => `C${1_000_000 + ((c * 7919) % 9_000_000)}`;

  const out = textWriter(path, 'utf-8');
  out.write(`${NARROW_HEADER}\n`);
  let written = 0;
  let orderNo = 100_000;
  for (let o = 0; written < rows; o++) {
    const day = days[Math.min(o, orderCount - 1)];
    const created = ORDERS_FROM + day * 86400 + 7 * 3600 + r.int(17 * 3600);
    orderNo += 1 + (r.next() < 0.1 ? r.int(4) : 0);
    let c;
    if (customers === 0 || r.next() < newCustomerShare) c = customers++;
    else c = r.next() < 0.5 ? r.skew(customers, 1.4) : r.int(customers);
    const lineCount = Math.min(rows - written, 1 + (r.next() < 0.2 ? 1 + r.int(3) : 0));
    const { status, paid } = drawStatus(r, NARROW_STATUSES);
    const createdText = wallClock(created);
    const paidText = paid ? wallClock(created + 5 + r.int(900)) : '';
    const head = `${orderNo},${createdText},${paidText},${customerId(c)},${status},`;
    let lines = '';
    for (let l = 0; l < lineCount; l++) {
      const { product, quantity, paid: lineTotal } = drawLine(r, products, day);
      let refund = 0;
      if (paid && status === 'refunded') refund = lineTotal;
      else if (paid && r.next() < 0.04) refund = Math.max(1, Math.round(lineTotal * (0.1 + r.next() * 0.4)));
      lines += `${head}${product.sku},${quantity},${money(product.price)},${money(lineTotal)},${money(refund)}\n`;
      written++;
    }
    out.write(lines);
  }
  return out.close();
}

// ── events with ISO timestamps (issue 15) ───────────────────────────────────────────────────────

export const ISO_EVENTS_HEADER = 'event_time,event_type,user_id,product_id,category_id';

/** 2024-03-01 00:00 UTC and the 30 days of the log. */
const ISO_FROM = Date.UTC(2024, 2, 1) / 1000;
const ISO_SECONDS = 30 * 86400;

/** `YYYY-MM-DDTHH:MM:SSZ` of a second count since 1970. */
function isoUtc(seconds) {
  return `${wallClock(seconds).replace(' ', 'T')}Z`;
}

/**
 * Writes a narrow event log as a tracking export gives it: a header, ISO-8601 UTC timestamps, events
 * of all users interleaved in time order (not in user blocks like Tianchi's), `view` / `cart` /
 * `purchase` on numeric products. Per 1M events ~25k users with ~40 events each, 100k products.
 */
function writeIsoEvents(path, { rows, seed }) {
  const r = rng(seed);
  const products = Math.max(1000, rows / 10);
  const categories = Math.max(50, Math.round(products / 200));
  const categoryOf = (item) => ((item * 2654435761) >>> 0) % categories;
  const time = new Float64Array(rows);
  const user = new Uint32Array(rows);
  const item = new Uint32Array(rows);
  const type = new Uint8Array(rows);
  let n = 0;
  let u = 5_000_000;
  while (n < rows) {
    u += 1 + r.int(5);
    const count = Math.min(rows - n, 1 + Math.floor(-Math.log(1 - r.next()) * 40));
    let t = ISO_FROM + r.int(ISO_SECONDS);
    const viewed = [];
    const carted = [];
    for (let e = 0; e < count; e++) {
      t += r.next() < 0.04 ? 3600 * (6 + r.int(48)) : 5 + r.int(300);
      if (t >= ISO_FROM + ISO_SECONDS) t = ISO_FROM + r.int(ISO_SECONDS);
      const x = r.next();
      let k;
      let it;
      if (x < 0.9 || viewed.length === 0) {
        k = 0;
        it = viewed.length > 0 && r.next() < 0.3 ? r.pick(viewed) : 1_000_000 + r.skew(products, 2);
        viewed.push(it);
      } else if (x < 0.97) {
        k = 1;
        it = r.pick(viewed);
        carted.push(it);
      } else {
        k = 2;
        it = carted.length > 0 && r.next() < 0.8 ? r.pick(carted) : r.pick(viewed);
      }
      time[n] = t;
      user[n] = u;
      item[n] = it;
      type[n] = k;
      n++;
    }
  }
  // Time order (stable: a user's events at one second keep their order).
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  order.sort((a, b) => time[a] - time[b] || a - b);
  const NAMES = ['view', 'cart', 'purchase'];
  const out = textWriter(path, 'utf-8');
  out.write(`${ISO_EVENTS_HEADER}\n`);
  let lines = '';
  for (let j = 0; j < rows; j++) {
    const i = order[j];
    lines += `${isoUtc(time[i])},${NAMES[type[i]]},${user[i]},${item[i]},${3_000 + categoryOf(item[i])}\n`;
    if (lines.length > 1 << 20) {
      out.write(lines);
      lines = '';
    }
  }
  out.write(lines);
  return out.close();
}

// ── driver ──────────────────────────────────────────────────────────────────────────────────────

export function fileName(d) {
  return `${d.name}.csv`;
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Makes sure every dataset of the plan exists; returns `[{...dataset, path, bytes}]`.
 * A file is reused when the manifest records it with the same parameters and size.
 */
export function generate({ small = false, scale = false, force = false, only = null, log = console.log } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const manifest = readManifest();
  const result = [];
  for (const d of datasetPlan({ small, scale })) {
    if (only && !only.includes(d.name)) continue;
    const path = join(dataDir, fileName(d));
    const key = JSON.stringify({ kind: d.kind, layout: d.layout, rows: d.rows, encoding: d.encoding, seed: d.seed, v: 1 });
    const known = manifest[d.name];
    if (!force && known && known.key === key && existsSync(path) && statSync(path).size === known.bytes) {
      result.push({ ...d, path, bytes: known.bytes });
      continue;
    }
    const started = Date.now();
    const writer =
      d.layout === 'narrow' ? writeNarrowOrders : d.layout === 'iso' ? writeIsoEvents : d.kind === 'orders' ? writeOrders : writeEvents;
    const bytes = writer(path, d);
    log(`[bench] generated ${fileName(d)}: ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    manifest[d.name] = { key, bytes };
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    result.push({ ...d, path, bytes });
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  generate({
    small: args.includes('--small'),
    scale: args.includes('--scale'),
    force: args.includes('--force'),
    only: onlyAt >= 0 ? args[onlyAt + 1].split(',') : null,
  });
}
