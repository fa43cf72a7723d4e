// PapaParse + plain JavaScript doing the same work: Papa.parse streams the File in 4 MiB chunks
// (its own FileReader, with the file's encoding), each chunk's rows go into compact typed columns,
// and plain JS computes what duckdb.js computes in SQL (see there for the list), following
// shared/DEFINITIONS.md. This is the code a careful front-end developer would write, not a naive one:
// ids interned to integers, no per-row objects kept.

import { CHUNK_BYTES, HeapPeak, cents, wallSeconds } from './common.js';

/** A growable typed column. */
class Column {
  constructor(Type) {
    this.Type = Type;
    this.data = new Type(1 << 16);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.data.length) {
      const bigger = new this.Type(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

class Interner {
  constructor() {
    this.ids = new Map();
    this.names = [];
  }
  intern(s) {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(s, id);
      this.names.push(s);
    }
    return id;
  }
}

function parse(file, encoding, onRows) {
  return new Promise((resolve, reject) => {
    // PapaParse is a UMD script (index.html loads it as a classic script).
    globalThis.Papa.parse(file, {
      chunkSize: CHUNK_BYTES,
      encoding: encoding === 'gbk' ? 'gbk' : 'utf-8',
      skipEmptyLines: true,
      chunk: (results) => onRows(results.data),
      complete: resolve,
      error: reject,
    });
  });
}

/** Column positions of what the figures use, per export layout (bench/generate.mjs). */
const ORDER_LAYOUTS = {
  // 销售明细: 主订单编号, 买家会员名, 购买数量, 买家实付金额, 退款金额, 订单创建时间, 订单付款时间, 商家编码.
  tmall: { order: 1, customer: 2, qty: 5, paid: 14, refund: 16, created: 17, paidAt: 18, sku: 11 },
  // Order ID, Created At, Paid At, Customer ID, Status, SKU, Quantity, Unit Price, Line Total, Refund.
  narrow: { order: 0, customer: 3, qty: 6, paid: 8, refund: 9, created: 1, paidAt: 2, sku: 5 },
};
const EVENT_LAYOUTS = {
  // Tianchi: user_id, item_id, category_id, behavior_type, epoch seconds; no header.
  tianchi: { user: 0, type: 3, time: 4, seconds: Number },
  // event_time (ISO, UTC), event_type, user_id, product_id, category_id; the header has no known type.
  // The wall clock shifted back 8 h, so the China-time day below is the day it shows.
  iso: { user: 2, type: 1, time: 0, seconds: (text) => wallSeconds(text) - 8 * 3600 },
};

/** `layout`: undefined for the 销售明细 / Tianchi files, 'narrow' / 'iso' for issue 15's narrow ones. */
export async function runPapa(file, kind, encoding, layout) {
  const heap = new HeapPeak();
  const started = performance.now();
  const summary =
    kind === 'orders'
      ? await orders(file, encoding, heap, ORDER_LAYOUTS[layout ?? 'tmall'])
      : await events(file, encoding, heap, EVENT_LAYOUTS[layout ?? 'tianchi']);
  const seconds = (performance.now() - started) / 1000;
  heap.sample();
  return { seconds, heapPeak: heap.peak, summary };
}

// ── orders (销售明细) ───────────────────────────────────────────────────────────────────────────

const DAY = 86400;
const monthIndex = (t) => {
  const d = new Date(t * 1000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
/** ISO week: the Monday's day number (1970-01-01 was a Thursday). */
const weekIndex = (t) => {
  const day = Math.floor(t / DAY);
  return day - ((day + 3) % 7);
};

async function orders(file, encoding, heap, at) {
  const orderIds = new Interner();
  const customers = new Interner();
  const skus = new Interner();
  // Per order (indexed by interned order id).
  const oCustomer = new Column(Int32Array);
  const oCreated = new Column(Float64Array);
  const oPaidAt = new Column(Float64Array);
  const oGmv = new Column(Float64Array);
  const oRefund = new Column(Float64Array);
  const oUnits = new Column(Int32Array);
  // Per line.
  const lOrder = new Column(Int32Array);
  const lSku = new Column(Int32Array);
  const lQty = new Column(Int32Array);
  const lPaid = new Column(Float64Array);
  const lRefund = new Column(Float64Array);
  let header = true;
  await parse(file, encoding, (rows) => {
    for (const r of rows) {
      if (header) {
        header = false;
        continue;
      }
      const o = orderIds.intern(r[at.order]);
      const qty = Number(r[at.qty]);
      const paid = cents(r[at.paid]);
      const refund = cents(r[at.refund]);
      if (o === oCustomer.length) {
        oCustomer.push(r[at.customer] ? customers.intern(r[at.customer]) : -1);
        oCreated.push(wallSeconds(r[at.created]) ?? NaN);
        oPaidAt.push(wallSeconds(r[at.paidAt]) ?? NaN);
        oGmv.push(0);
        oRefund.push(0);
        oUnits.push(0);
      } else if (Number.isNaN(oPaidAt.data[o]) && r[at.paidAt]) {
        oPaidAt.data[o] = wallSeconds(r[at.paidAt]);
      }
      oGmv.data[o] += paid;
      oRefund.data[o] += refund;
      oUnits.data[o] += qty;
      lOrder.push(o);
      lSku.push(skus.intern(r[at.sku]));
      lQty.push(qty);
      lPaid.push(paid);
      lRefund.push(refund);
    }
    heap.sample();
  });

  const nOrders = oCustomer.length;
  const time = new Float64Array(nOrders);
  const isPaid = new Uint8Array(nOrders);
  let gmv = 0;
  let refunds = 0;
  let paidOrders = 0;
  let units = 0;
  const firstPaid = new Float64Array(customers.names.length).fill(Infinity);
  const ordersOf = new Int32Array(customers.names.length);
  for (let o = 0; o < nOrders; o++) {
    const paidAt = oPaidAt.data[o];
    time[o] = Number.isNaN(paidAt) ? oCreated.data[o] : paidAt;
    if (Number.isNaN(paidAt)) continue;
    isPaid[o] = 1;
    paidOrders++;
    gmv += oGmv.data[o];
    refunds += oRefund.data[o];
    units += oUnits.data[o];
    const c = oCustomer.data[o];
    if (c >= 0) {
      ordersOf[c]++;
      if (time[o] < firstPaid[c]) firstPaid[c] = time[o];
    }
  }
  let buyers = 0;
  let repeat = 0;
  for (const n of ordersOf) {
    if (n > 0) buyers++;
    if (n >= 2) repeat++;
  }

  // KPI series per day, ISO week and month.
  const series = {};
  for (const [grain, periodOf] of [['day', (t) => Math.floor(t / DAY)], ['week', weekIndex], ['month', monthIndex]]) {
    const per = new Map();
    const perBuyer = new Map();
    for (let o = 0; o < nOrders; o++) {
      if (!isPaid[o]) continue;
      const p = periodOf(time[o]);
      let s = per.get(p);
      if (!s) per.set(p, (s = { gmv: 0, refunds: 0, orders: 0, refunded: 0, units: 0, buyers: 0, repeat: 0, fresh: 0 }));
      s.gmv += oGmv.data[o];
      s.refunds += oRefund.data[o];
      s.orders++;
      s.units += oUnits.data[o];
      if (oRefund.data[o] > 0) s.refunded++;
      const c = oCustomer.data[o];
      if (c < 0) continue;
      const key = p * 4194304 + c;
      const n = (perBuyer.get(key) ?? 0) + 1;
      perBuyer.set(key, n);
      if (n === 1) s.buyers++;
      if (n === 2) s.repeat++;
      if (n === 1 && periodOf(firstPaid[c]) === p) s.fresh++;
    }
    series[grain] = [...per.entries()].sort((a, b) => a[0] - b[0]);
  }

  // Monthly cohorts: active(c, k) and revenue(c, k).
  const cohorts = new Map();
  const seen = new Set();
  for (let o = 0; o < nOrders; o++) {
    const c = oCustomer.data[o];
    if (!isPaid[o] || c < 0) continue;
    const cohort = monthIndex(firstPaid[c]);
    const k = monthIndex(time[o]) - cohort;
    const cellKey = cohort * 1000 + k;
    let cell = cohorts.get(cellKey);
    if (!cell) cohorts.set(cellKey, (cell = { active: 0, revenue: 0 }));
    cell.revenue += oGmv.data[o];
    const key = c * 1000 + k;
    if (!seen.has(key)) {
      seen.add(key);
      cell.active++;
    }
  }

  // Products: revenue (each line's own paid amount, which is its allocation), units, orders, buyers,
  // repeat buyers, refunds; ranked, with the ABC share before each product.
  const nSkus = skus.names.length;
  const pRevenue = new Float64Array(nSkus);
  const pUnits = new Float64Array(nSkus);
  const pOrders = new Int32Array(nSkus);
  const pRefunds = new Float64Array(nSkus);
  const pBuyers = new Int32Array(nSkus);
  const pRepeat = new Int32Array(nSkus);
  const lastOrder = new Int32Array(nSkus).fill(-1);
  const perSkuBuyer = new Map();
  for (let l = 0; l < lOrder.length; l++) {
    const o = lOrder.data[l];
    if (!isPaid[o]) continue;
    const p = lSku.data[l];
    pRevenue[p] += lPaid.data[l];
    pUnits[p] += lQty.data[l];
    pRefunds[p] += lRefund.data[l];
    if (lastOrder[p] === o) continue; // a second line of the same product in one order
    lastOrder[p] = o;
    pOrders[p]++;
    const c = oCustomer.data[o];
    if (c < 0) continue;
    const key = p * 4194304 + c;
    const n = (perSkuBuyer.get(key) ?? 0) + 1;
    perSkuBuyer.set(key, n);
    if (n === 1) pBuyers[p]++;
    if (n === 2) pRepeat[p]++;
  }
  const ranking = [...Array(nSkus).keys()]
    .filter((p) => pOrders[p] > 0)
    .sort((a, b) => pRevenue[b] - pRevenue[a] || (skus.names[a] < skus.names[b] ? -1 : 1));
  let before = 0;
  const abc = ranking.map((p) => {
    const share = before / gmv;
    before += pRevenue[p];
    return share < 0.8 ? 'A' : share < 0.95 ? 'B' : 'C';
  });

  const firstCohort = Math.min(...[...cohorts.keys()].map((k) => Math.floor(k / 1000)));
  const top = ranking[0];
  return {
    paid_orders: paidOrders,
    gmv,
    refunds,
    buyers,
    units,
    repurchase_rate: Math.round((repeat / buyers) * 1e6) / 1e6,
    months: series.month.length,
    first_cohort: [cohorts.get(firstCohort * 1000).active, cohorts.get(firstCohort * 1000 + 1)?.active ?? null],
    top_product: [skus.names[top], pRevenue[top], pUnits[top], pBuyers[top]],
    classes: abc.length,
  };
}

// ── events (Tianchi UserBehavior) ───────────────────────────────────────────────────────────────

const TYPES = { pv: 0, fav: 1, cart: 2, buy: 3, view: 0, purchase: 3 };
const WINDOW = 7 * DAY;

async function events(file, encoding, heap, at) {
  const users = new Map();
  const eUser = new Column(Int32Array);
  const eType = new Column(Uint8Array);
  const eTime = new Column(Float64Array);
  await parse(file, encoding, (rows) => {
    for (const r of rows) {
      const type = TYPES[r[at.type]];
      if (type === undefined) continue;
      let u = users.get(r[at.user]);
      if (u === undefined) {
        u = users.size;
        users.set(r[at.user], u);
      }
      eUser.push(u);
      eType.push(type);
      eTime.push(at.seconds(r[at.time]));
    }
    heap.sample();
  });
  const n = eUser.length;
  const nUsers = users.size;
  // Distinct mode: users with ≥ 1 event of each type.
  const has = new Uint8Array(nUsers);
  for (let i = 0; i < n; i++) has[eUser.data[i]] |= 1 << eType.data[i];
  const distinct = [0, 1, 2, 3].map((t) => has.reduce((acc, h) => acc + ((h >> t) & 1), 0));

  // Sequential view → cart → purchase within 7 days: group events by user (counting sort), sort
  // each user's events by time, then scan backwards keeping the earliest cart at or after the
  // current time and the earliest purchase at or after that cart (DEFINITIONS §5; earliest is best).
  const start = new Int32Array(nUsers + 1);
  for (let i = 0; i < n; i++) start[eUser.data[i] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, nUsers);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[eUser.data[i]]++] = i;
  const counts = [0, 0, 0];
  for (let u = 0; u < nUsers; u++) {
    const members = order.subarray(start[u], start[u + 1]);
    // Within one second, views before carts before purchases: the backward scan then takes in a
    // second's purchases and carts before judging its views (t1 ≤ t2 ≤ t3 allows equal times).
    members.sort((a, b) => eTime.data[a] - eTime.data[b] || eType.data[a] - eType.data[b]);
    let nextCart = Infinity;
    let nextCartBuy = Infinity;
    let nextBuy = Infinity;
    let level = 0;
    for (let j = members.length - 1; j >= 0; j--) {
      const e = members[j];
      const t = eTime.data[e];
      const type = eType.data[e];
      if (type === 3) nextBuy = t;
      else if (type === 2) {
        nextCart = t;
        nextCartBuy = nextBuy;
      } else if (type === 0) {
        if (level < 1) level = 1;
        if (nextCart - t <= WINDOW && level < 2) level = 2;
        if (nextCartBuy - t <= WINDOW) level = 3;
      }
    }
    for (let s = 0; s < level; s++) counts[s]++;
  }
  // Events and users per day and type (China time), like the SQL's daily query.
  const daily = new Map();
  for (let i = 0; i < n; i++) {
    const key = Math.floor((eTime.data[i] + 8 * 3600) / DAY) * 4 + eType.data[i];
    daily.set(key, (daily.get(key) ?? 0) + 1);
  }
  return { events: n, users: nUsers, distinct, funnel: counts, days: daily.size };
}
