"""Independent check: shoplens against DuckDB SQL written from shared/DEFINITIONS.md.

A seeded generator writes a line-item order export (order-level total and refund repeated on every
line, as many exports do) and a behaviour log. The engine's report (the native `analyze` example)
must equal what plain SQL over the same rows says, to the cent:

- §2 KPIs: GMV, refunds, paid orders, buyers, units, repurchase rate, and per month GMV / new buyers;
- §3 monthly cohorts: size, active, revenue per offset;
- §4 RFM: R, F, M, the tie-consistent 1–5 scores and the segments;
- §6 product revenue (largest-remainder allocation in cents), units, ABC classes;
- §5 funnel counts, distinct and sequential with a 7-day window;
- §8 stock per SKU (orders beside a SKU/stock export): daily demand d and σ over the last 28 days of
  the data, days of cover, sell-through, reorder point, suggested order and revenue per day.
- §11 action stakes: win back (重要挽留 + 重要保持 customers × 客单价 × repurchase rate), refund spike
  (products with ≥ 10 paid orders refunded at ≥ 2 × the shop's rate: Σ refunds, with refunds
  allocated to lines like revenue) and fix a funnel step (the daily sequential funnel of the last day
  against the median of the 28 days before; lost purchases × AOV); without a stock file, restock and
  ride a riser are checked to be locked; beside the SKU/stock file, restock's rows and stake
  (daily revenue × days short of the lead time, per SKU).
- §7 promotion readout (tests/independent/promotion.py): every §2 KPI of the baseline, campaign and
  after windows in total and per covered day with the changes, the GMV decomposition shares, the new
  buyers who came back, and product revenue per window, for a `before` and a `year_before` baseline.
- §10 breakdowns by region (a province column written `福建省` or `福建`, blank for some orders),
  channel (`utm_source`, blank for some) and customer type: every group's GMV, refunds, paid
  orders, buyers and units, the unknown group, and that the groups sum to the total.
- §9 A/B groups from a log's experiment group column (tests/independent/ab_variants.py, on
  tests/fixtures/ab_variant_events.csv): exposures and conversions per group, users in both.

Usage: python3 tests/independent/check_duckdb.py --engine <path to analyze binary> [--orders N]
Exit status 0 when every figure matches; each mismatch is printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from ab_variants import check_ab_variants
from promotion import PROMOTION_RUNS, compare_promotion, sql_promotion

STATUSES_PAID = ["交易成功", "卖家已发货，等待买家确认收货", "买家已付款，等待卖家发货"]
# Provinces as exports write them: full names and short ones, which are one group (福建 = 福建省).
PROVINCES = [("福建省", "福建"), ("广东省", "广东"), ("北京市", "北京"), ("广西壮族自治区", "广西"),
             ("浙江省", "浙江"), ("内蒙古自治区", "内蒙古")]
CHANNELS = ["taobao_search", "zhitongche", "douyin", "wechat", "Direct"]


def generate(dir: Path, orders: int, seed: int) -> tuple[Path, Path]:
    rnd = random.Random(seed)
    skus = [(f"SKU-{i:03d}", f"商品{i:03d}", rnd.choice([990, 1990, 2990, 4990, 12900, 39900])) for i in range(40)]
    customers = [f"tb_{rnd.randrange(10**8):08d}" for _ in range(max(20, orders // 6))]
    start = datetime(2023, 11, 1)
    rows = []
    for n in range(orders):
        oid = str(3_700_000_000_000_000_000 + rnd.randrange(10**17))
        cust = customers[min(int(rnd.paretovariate(1.3)) - 1, len(customers) - 1)] if rnd.random() < 0.7 else rnd.choice(customers)
        created = start + timedelta(seconds=rnd.randrange(400 * 86400))
        kind = rnd.random()
        if kind < 0.08:
            status, paid_at = "等待买家付款", None
        elif kind < 0.14:
            status, paid_at = "交易关闭", None
        elif kind < 0.18:
            status, paid_at = "交易关闭", created + timedelta(minutes=rnd.randrange(1, 90))
        else:
            status, paid_at = rnd.choice(STATUSES_PAID), created + timedelta(minutes=rnd.randrange(1, 90))
        full, short = rnd.choice(PROVINCES)
        province = "" if rnd.random() < 0.1 else (full if rnd.random() < 0.6 else short)
        channel = "" if rnd.random() < 0.15 else rnd.choice(CHANNELS)
        lines = [rnd.choice(skus) for _ in range(rnd.choice([1, 1, 1, 2, 2, 3]))]
        qtys = [rnd.choice([1, 1, 2, 3]) for _ in lines]
        merch = sum(p * q for (_, _, p), q in zip(lines, qtys))
        # Total includes shipping and a discount, so it differs from Σ line value.
        total = max(1, merch + rnd.choice([0, 0, 600, 1000]) - rnd.choice([0, 0, 500, 1234]))
        refund = 0
        if paid_at and rnd.random() < 0.1:
            refund = rnd.choice([total, total // 3, 1999 if total > 1999 else total])
        for (sku, title, price), q in zip(lines, qtys):
            rows.append([
                oid, cust, created.strftime("%Y-%m-%d %H:%M:%S"),
                paid_at.strftime("%Y-%m-%d %H:%M:%S") if paid_at else "",
                status, f"{total / 100:.2f}", f"{refund / 100:.2f}", sku, title, q, f"{price / 100:.2f}",
                province, channel,
            ])
    orders_path = dir / "orders.csv"
    with orders_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["order_id", "customer_id", "created_at", "paid_at", "status", "total", "refund", "sku",
                    "title", "quantity", "unit_price", "shipping_province", "utm_source"])
        w.writerows(rows)

    events = []
    users = [f"u{i}" for i in range(300)]
    for u in users:
        t = start + timedelta(seconds=rnd.randrange(60 * 86400))
        for _ in range(rnd.randrange(1, 15)):
            t += timedelta(seconds=rnd.choice([0, 5, 60, 3600, 86400, 3 * 86400, 8 * 86400]))
            ev = rnd.choices(["view", "cart", "purchase", "remove_from_cart"], [6, 3, 2, 1])[0]
            events.append([t.strftime("%Y-%m-%d %H:%M:%S") + " UTC", ev, rnd.choice(skus)[0], u, f"s{rnd.randrange(10**6)}"])
    # Daily shoppers over 40 days (a generator of their own, so the rows above stay as they were):
    # enough days with every step for the §11 funnel rule's 28-day median, and a last day to judge.
    daily = random.Random(seed + 1)
    last = max(datetime.strptime(e[0][:10], "%Y-%m-%d") for e in events)
    for d in range(40):
        day0 = last - timedelta(days=39 - d)
        for k in range(daily.randrange(8, 30)):
            u = f"d{daily.randrange(400)}"
            t = day0 + timedelta(seconds=daily.randrange(20 * 3600))
            events.append([t.strftime("%Y-%m-%d %H:%M:%S") + " UTC", "view", daily.choice(skus)[0], u, f"s{k}"])
            for ev, p in (("cart", 0.35), ("purchase", 0.5)):
                if daily.random() >= p:
                    break
                t += timedelta(seconds=daily.randrange(30, 1800))
                events.append([t.strftime("%Y-%m-%d %H:%M:%S") + " UTC", ev, daily.choice(skus)[0], u, f"s{k}"])
    events_path = dir / "events.csv"
    with events_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event_time", "event_type", "product_id", "user_id", "user_session"])
        w.writerows(events)
    return orders_path, events_path


def generate_skus(dir: Path, seed: int) -> Path:
    """A SKU/stock export (聚水潭-style) for most of the generator's SKUs, some out of stock, two
    missing (demand only) and one never sold."""
    rnd = random.Random(seed + 1)
    rows = [[f"SKU-{i:03d}", f"商品{i:03d}", rnd.choice([0, 0, 3, 12, 40, 150, 600])] for i in range(38)]
    rows.append(["SKU-900", "未售出商品", 25])
    path = dir / "skus.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["商家编码", "商品名称", "可用库存"])
        w.writerows(rows)
    return path


def sql_stock(orders: Path, skus: Path, lead: float = 7.0, review: float = 14.0, z: float = 1.645) -> dict:
    """§8 per SKU, in SQL: the window is the last 28 days ending on the last paid day, never before
    the first paid day; days without sales are 0; σ is stddev_samp over the window's days."""
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE raw AS SELECT * FROM read_csv('{orders}', header=true, all_varchar=true);
        CREATE TABLE lines AS SELECT row_number() OVER () - 1 AS line_no, order_id, sku,
            CAST(quantity AS BIGINT) AS qty, CAST(round(CAST(unit_price AS DECIMAL(18,2)) * 100) AS BIGINT) AS price
            FROM raw;
        CREATE TABLE paid AS SELECT order_id, CAST(CAST(any_value(NULLIF(paid_at, '')) AS TIMESTAMP) AS DATE) AS day,
            CAST(round(CAST(any_value(total) AS DECIMAL(18,2)) * 100) AS BIGINT) AS total
            FROM raw GROUP BY order_id HAVING any_value(NULLIF(paid_at, '')) IS NOT NULL;
        CREATE TABLE stock AS SELECT "商家编码" AS sku, CAST("可用库存" AS BIGINT) AS stock
            FROM read_csv('{skus}', header=true, all_varchar=true);
        CREATE TABLE win AS SELECT greatest(min(day), max(day) - 27) AS first, max(day) AS last FROM paid;
        CREATE TABLE days AS SELECT CAST(d AS DATE) AS day
            FROM generate_series((SELECT first FROM win), (SELECT last FROM win), INTERVAL 1 DAY) g(d);
        CREATE TABLE sold AS SELECT l.sku, p.day, sum(l.qty) AS units FROM lines l JOIN paid p USING (order_id)
            WHERE p.day >= (SELECT first FROM win) GROUP BY l.sku, p.day;
        CREATE TABLE products AS SELECT sku FROM stock UNION SELECT sku FROM sold;
    """)
    n = con.execute("SELECT count(*) FROM days").fetchone()[0]
    rows = con.execute("""
        WITH grid AS (SELECT p.sku, d.day, coalesce(s.units, 0) AS units
                      FROM products p CROSS JOIN days d LEFT JOIN sold s ON s.sku = p.sku AND s.day = d.day)
        SELECT g.sku, sum(g.units), avg(g.units), coalesce(stddev_samp(g.units), 0), any_value(st.stock)
        FROM grid g LEFT JOIN stock st USING (sku) GROUP BY g.sku""").fetchall()
    # Revenue in the window: the §6 allocation of each paid order in it, per SKU.
    revenue = dict(con.execute("""
        WITH l AS (SELECT l.*, l.qty * l.price AS v, p.total,
                          sum(l.qty * l.price) OVER (PARTITION BY l.order_id) AS vt
                   FROM lines l JOIN paid p USING (order_id) WHERE p.day >= (SELECT first FROM win)),
        f AS (SELECT *, CAST(floor(CAST(total AS HUGEINT) * v / vt) AS BIGINT) AS base FROM l),
        r AS (SELECT *, total - sum(base) OVER (PARTITION BY order_id) AS rem,
                     row_number() OVER (PARTITION BY order_id ORDER BY v DESC, line_no) AS rk FROM f)
        SELECT sku, sum(base + CASE WHEN rk <= rem THEN 1 ELSE 0 END) FROM r GROUP BY sku""").fetchall())
    out = {}
    for sku, units, d, sigma, stock in rows:
        d, sigma = float(d), float(sigma)
        row = {"units": int(units), "daily_demand": d, "sigma": sigma, "stock": stock,
               "daily_revenue": int(revenue.get(sku, 0)) / n}
        if stock is not None:
            rop = d * lead + z * sigma * math.sqrt(lead)
            row["days_of_cover"] = stock / d if d > 0 else None
            row["sell_through"] = units / (units + stock) if units + stock != 0 else None
            row["reorder_point"] = rop
            row["suggested_order"] = max(0, math.ceil(rop + d * review - stock - 1e-9))
        out[sku] = row
    return {"days": n, "products": out}


def compare_stock(report: dict, want: dict) -> list[str]:
    bad: list[str] = []
    data = report["stock"]["data"]
    if data["window"]["days"] != want["days"]:
        bad.append(f"stock.window.days: shoplens {data['window']['days']} vs SQL {want['days']}")
    got = {p["key"]: p for p in data["products"]}
    if set(got) != set(want["products"]):
        bad.append(f"stock products: shoplens {sorted(set(got) ^ set(want['products']))} differ from SQL")
    for sku, w in want["products"].items():
        g = got.get(sku, {})
        for k, exp in w.items():
            v = g.get(k)
            if isinstance(exp, float) or isinstance(v, float):
                ok = v is not None and exp is not None and abs(v - exp) <= 1e-9 * max(1, abs(exp))
            else:
                ok = v == exp
            if not ok:
                bad.append(f"stock[{sku}].{k}: shoplens {v!r} vs SQL {exp!r}")
    return bad


def sql_figures(orders: Path, events: Path) -> dict:
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE raw AS SELECT * FROM read_csv('{orders}', header=true, all_varchar=true);
        CREATE TABLE lines AS SELECT row_number() OVER () - 1 AS line_no, order_id, sku,
            CAST(quantity AS BIGINT) AS qty, CAST(round(CAST(unit_price AS DECIMAL(18,2)) * 100) AS BIGINT) AS price
            FROM raw;
        -- §1: one order per id; order-level fields repeated on each line are taken once.
        CREATE TABLE orders AS SELECT order_id, any_value(customer_id) AS customer,
            CAST(any_value(NULLIF(paid_at, '')) AS TIMESTAMP) AS paid_at,
            CAST(any_value(created_at) AS TIMESTAMP) AS created_at,
            CAST(round(CAST(any_value(total) AS DECIMAL(18,2)) * 100) AS BIGINT) AS total,
            CAST(round(CAST(any_value(refund) AS DECIMAL(18,2)) * 100) AS BIGINT) AS refund,
            any_value(NULLIF(shipping_province, '')) AS province_raw,
            any_value(NULLIF(utm_source, '')) AS channel
            FROM raw GROUP BY order_id;
        -- Paid = has a payment time (§1); order time = payment time.
        CREATE TABLE paid AS SELECT *, paid_at AS t, CAST(paid_at AS DATE) AS day,
            strftime(paid_at, '%Y-%m') AS month FROM orders WHERE paid_at IS NOT NULL;
    """)
    # §10: a province written short or full is one group, by its full name.
    con.execute("CREATE TABLE province_names (short VARCHAR, full_name VARCHAR)")
    con.executemany("INSERT INTO province_names VALUES (?, ?)", [(s_, f) for f, s_ in PROVINCES])
    con.execute("""
        CREATE TABLE paid_dims AS SELECT p.*,
            coalesce(n.full_name, n2.full_name, p.province_raw) AS region,
            CASE WHEN p.day > min(p.day) OVER (PARTITION BY p.customer) THEN 'returning' ELSE 'new' END AS customer_type,
            (SELECT coalesce(sum(qty), 0) FROM lines l WHERE l.order_id = p.order_id) AS units
        FROM paid p LEFT JOIN province_names n ON p.province_raw = n.short
                    LEFT JOIN province_names n2 ON p.province_raw = n2.full_name""")
    breakdowns = {}
    for dim in ("region", "channel", "customer_type"):
        breakdowns[dim] = {
            name: (gmv, refunds, orders, buyers, units)
            for name, gmv, refunds, orders, buyers, units in con.execute(f"""
                SELECT {dim}, sum(total), sum(refund), count(*), count(DISTINCT customer), sum(units)
                FROM paid_dims GROUP BY {dim}""").fetchall()
        }
    out: dict = {"breakdowns": breakdowns}
    (out["gmv"], out["refunds"], out["paid_orders"], out["buyers"]) = con.execute(
        "SELECT sum(total), sum(refund), count(*), count(DISTINCT customer) FROM paid").fetchone()
    out["units"] = con.execute(
        "SELECT sum(qty) FROM lines WHERE order_id IN (SELECT order_id FROM paid)").fetchone()[0]
    out["repurchase_buyers"] = con.execute(
        "SELECT count(*) FROM (SELECT customer FROM paid GROUP BY customer HAVING count(*) >= 2)").fetchone()[0]
    out["monthly"] = {m: {"gmv": g, "paid_orders": n, "new_buyers": nb} for m, g, n, nb in con.execute("""
        WITH first AS (SELECT customer, min(month) AS m0 FROM paid GROUP BY customer)
        SELECT p.month, sum(total), count(*),
               (SELECT count(*) FROM first f WHERE f.m0 = p.month)
        FROM paid p GROUP BY p.month ORDER BY 1""").fetchall()}
    # §3 monthly cohorts.
    out["cohorts"] = {}
    for cohort, k, active, revenue, size in con.execute("""
        WITH first AS (SELECT customer, min(month) AS c FROM paid GROUP BY customer),
        act AS (SELECT f.c, (CAST(substr(p.month,1,4) AS INT) * 12 + CAST(substr(p.month,6,2) AS INT))
                          - (CAST(substr(f.c,1,4) AS INT) * 12 + CAST(substr(f.c,6,2) AS INT)) AS k,
                       p.customer, p.total FROM paid p JOIN first f USING (customer)),
        sizes AS (SELECT c, count(*) AS size FROM first GROUP BY c)
        SELECT a.c, a.k, count(DISTINCT a.customer), sum(a.total), s.size
        FROM act a JOIN sizes s USING (c) GROUP BY a.c, a.k, s.size ORDER BY 1, 2""").fetchall():
        out["cohorts"].setdefault(cohort, {"size": size, "cells": {}})["cells"][k] = (active, revenue)
    # §4 RFM with the tie-consistent scores: 1 + floor(5·w/n), w = customers strictly worse.
    rfm = con.execute("""
        WITH last AS (SELECT max(day) + 1 AS ref FROM paid),
        c AS (SELECT customer, (SELECT ref FROM last) - max(day) AS r, count(*) AS f, sum(total) AS m
              FROM paid GROUP BY customer),
        n AS (SELECT count(*) AS n FROM c),
        s AS (SELECT c.*,
              least(5, 1 + floor(5 * (SELECT count(*) FROM c c2 WHERE c2.r > c.r) / (SELECT n FROM n))) AS rs,
              least(5, 1 + floor(5 * (SELECT count(*) FROM c c2 WHERE c2.f < c.f) / (SELECT n FROM n))) AS fs,
              least(5, 1 + floor(5 * (SELECT count(*) FROM c c2 WHERE c2.m < c.m) / (SELECT n FROM n))) AS ms
              FROM c)
        SELECT customer, r, f, m, rs, fs, ms,
               rs > avg(rs) OVER (), fs > avg(fs) OVER (), ms > avg(ms) OVER () FROM s""").fetchall()
    names = {(1, 1, 1): "high_value", (1, 0, 1): "high_potential", (0, 1, 1): "keep_active",
             (0, 0, 1): "win_back", (1, 1, 0): "loyal_low_spend", (1, 0, 0): "new_low_spend",
             (0, 1, 0): "fading_low_spend", (0, 0, 0): "lost"}
    out["rfm"] = {c: (int(r), f, m, int(rs), int(fs), int(ms), names[(int(hr), int(hf), int(hm))])
                  for c, r, f, m, rs, fs, ms, hr, hf, hm in rfm}
    # §6 allocation: floor shares, then remainder cents to the largest lines (ties: earlier line).
    alloc = con.execute("""
        WITH l AS (SELECT l.*, l.qty * l.price AS v, p.total,
                          sum(l.qty * l.price) OVER (PARTITION BY l.order_id) AS vt
                   FROM lines l JOIN paid p USING (order_id)),
        f AS (SELECT *, CAST(floor(CAST(total AS HUGEINT) * v / vt) AS BIGINT) AS base FROM l),
        r AS (SELECT *, total - sum(base) OVER (PARTITION BY order_id) AS rem,
                     row_number() OVER (PARTITION BY order_id ORDER BY v DESC, line_no) AS rk FROM f)
        SELECT sku, sum(base + CASE WHEN rk <= rem THEN 1 ELSE 0 END), sum(qty) FROM r GROUP BY sku""").fetchall()
    out["products"] = {sku: (rev, units) for sku, rev, units in alloc}
    ranked = sorted(out["products"].items(), key=lambda kv: (-kv[1][0], kv[0]))
    total_rev, cum, abc = sum(v[0] for _, v in ranked), 0, {}
    for sku, (rev, _) in ranked:
        p = cum / total_rev
        abc[sku] = "a" if p < 0.80 else "b" if p < 0.95 else "c"
        cum += rev
    out["abc"] = abc
    # §5 funnel on the events.
    con.execute(f"""CREATE TABLE ev AS SELECT user_id AS u, event_type AS e,
                    CAST(replace(event_time, ' UTC', '') AS TIMESTAMP) AS t FROM read_csv('{events}', header=true, all_varchar=true)""")
    out["funnel_distinct"] = [con.execute(f"SELECT count(DISTINCT u) FROM ev WHERE e = '{e}'").fetchone()[0]
                              for e in ("view", "cart", "purchase")]
    # Sequential, 7 days: for each view as start, the earliest cart at or after it, then the earliest
    # purchase at or after that cart, all within 7 days of the view (earliest is optimal per start).
    seq = con.execute("""
        WITH v AS (SELECT u, t AS t1 FROM ev WHERE e = 'view'),
        c AS (SELECT v.u, v.t1, min(ev.t) AS t2 FROM v JOIN ev ON ev.u = v.u AND ev.e = 'cart'
              AND ev.t >= v.t1 AND ev.t <= v.t1 + INTERVAL 7 DAY GROUP BY v.u, v.t1),
        p AS (SELECT c.u FROM c JOIN ev ON ev.u = c.u AND ev.e = 'purchase'
              AND ev.t >= c.t2 AND ev.t <= c.t1 + INTERVAL 7 DAY)
        SELECT (SELECT count(DISTINCT u) FROM v), (SELECT count(DISTINCT u) FROM c), (SELECT count(DISTINCT u) FROM p)
    """).fetchone()
    out["funnel_sequential"] = list(seq)
    out["actions"] = action_figures(con, out)
    return out


def action_figures(con, out: dict) -> dict:
    """§11 stakes, in cents, from the tables above."""
    acts: dict = {}
    # Win back: n · GMV · repeaters / buyers², rounded half away from zero (integers throughout).
    n = sum(1 for v in out["rfm"].values() if v[6] in ("win_back", "keep_active"))
    num, den = n * int(out["gmv"]) * int(out["repurchase_buyers"]), int(out["buyers"]) ** 2
    acts["win_back"] = ((2 * num + den) // (2 * den), n)
    # Refund spike: the order's refund allocated to its lines like its paid amount (§6), per product
    # with its paid orders; fires at refund rate ≥ 2 × the shop's (§2: refunds / GMV), ≥ 10 orders.
    rows = con.execute("""
        WITH l AS (SELECT l.*, l.qty * l.price AS v, p.total, p.refund,
                          sum(l.qty * l.price) OVER (PARTITION BY l.order_id) AS vt
                   FROM lines l JOIN paid p USING (order_id)),
        f AS (SELECT *, CAST(floor(CAST(total AS HUGEINT) * v / vt) AS BIGINT) AS base,
                        CAST(floor(CAST(refund AS HUGEINT) * v / vt) AS BIGINT) AS rbase FROM l),
        r AS (SELECT *, total - sum(base) OVER (PARTITION BY order_id) AS rem,
                        refund - sum(rbase) OVER (PARTITION BY order_id) AS rrem,
                        row_number() OVER (PARTITION BY order_id ORDER BY v DESC, line_no) AS rk FROM f),
        per AS (SELECT sku, sum(base + CASE WHEN rk <= rem THEN 1 ELSE 0 END) AS revenue,
                       sum(rbase + CASE WHEN rk <= rrem THEN 1 ELSE 0 END) AS refunds,
                       count(DISTINCT order_id) AS orders FROM r GROUP BY sku),
        shop AS (SELECT sum(total) AS gmv, sum(refund) AS refunds FROM paid)
        SELECT sku, per.refunds FROM per, shop
        WHERE per.orders >= 10 AND per.revenue > 0 AND per.refunds > 0
          AND CAST(per.refunds AS HUGEINT) * shop.gmv >= 2 * CAST(shop.refunds AS HUGEINT) * per.revenue
        ORDER BY per.refunds DESC, sku""").fetchall()
    acts["refund_spike"] = (sum(r for _, r in rows), [sku for sku, _ in rows])
    # Fix a funnel step: the sequential funnel of each day on that day's events alone.
    days = con.execute("""
        WITH e AS (SELECT u, e, t, CAST(t AS DATE) AS d FROM ev WHERE e IN ('view', 'cart', 'purchase')),
        v AS (SELECT u, d, t AS t1 FROM e WHERE e = 'view'),
        c AS (SELECT v.u, v.d, v.t1, min(e.t) AS t2 FROM v JOIN e ON e.u = v.u AND e.d = v.d AND e.e = 'cart'
              AND e.t >= v.t1 GROUP BY v.u, v.d, v.t1),
        p AS (SELECT DISTINCT c.u, c.d FROM c JOIN e ON e.u = c.u AND e.d = c.d AND e.e = 'purchase' AND e.t >= c.t2),
        alld AS (SELECT DISTINCT d FROM e),
        cnt AS (SELECT a.d,
                  (SELECT count(DISTINCT u) FROM v WHERE v.d = a.d) AS n1,
                  (SELECT count(DISTINCT u) FROM c WHERE c.d = a.d) AS n2,
                  (SELECT count(*) FROM p WHERE p.d = a.d) AS n3 FROM alld a),
        today AS (SELECT max(d) AS t FROM cnt),
        hist AS (SELECT cnt.* FROM cnt, today WHERE cnt.d >= today.t - 28 AND cnt.d < today.t)
        SELECT (SELECT n1 FROM cnt, today WHERE cnt.d = today.t),
               (SELECT n2 FROM cnt, today WHERE cnt.d = today.t),
               (SELECT n3 FROM cnt, today WHERE cnt.d = today.t),
               (SELECT median(CAST(n2 AS DOUBLE) / n1) FROM hist WHERE n1 > 0),
               (SELECT count(*) FROM hist WHERE n1 > 0),
               (SELECT median(CAST(n3 AS DOUBLE) / n2) FROM hist WHERE n2 > 0),
               (SELECT count(*) FROM hist WHERE n2 > 0),
               (SELECT strftime(t, '%Y-%m-%d') FROM today)""").fetchone()
    n1, n2, n3, m1, h1, m2, h2, day = days
    acts["funnel"] = None
    if h1 >= 7 and h2 >= 7:
        drops = []
        if n1 > 0:
            drops.append((m1 - n2 / n1, n1, m2))  # view → cart, carried on at the purchase median
        if n2 > 0:
            drops.append((m2 - n3 / n2, n2, 1.0))
        best = None
        for drop, entrants, onward in drops:
            if drop > 0 and (best is None or drop > best[0]):
                best = (drop, entrants, onward)
        aov = out["gmv"] / out["paid_orders"]
        acts["funnel"] = ("quiet", day) if best is None else (round_half_away(best[0] * best[1] * best[2] * aov), day)
    return acts


def round_half_away(x: float) -> int:
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def compare(report: dict, want: dict) -> list[str]:
    bad: list[str] = []

    def eq(what, got, exp):
        if isinstance(exp, float) or isinstance(got, float):
            ok = got is not None and exp is not None and abs(got - exp) <= 1e-9 * max(1, abs(exp))
        else:
            ok = got == exp
        if not ok:
            bad.append(f"{what}: shoplens {got!r} vs SQL {exp!r}")

    total = report["kpi"]["data"]["total"]
    for k in ("gmv", "refunds", "paid_orders", "buyers", "units"):
        eq(f"kpi.{k}", total[k], int(want[k]))
    eq("kpi.repurchase_rate", total["repurchase_rate"], want["repurchase_buyers"] / want["buyers"])
    months = {p["period"]: p["kpi"] for p in report["kpi"]["data"]["monthly"]}
    for m, w in want["monthly"].items():
        for k in ("gmv", "paid_orders", "new_buyers"):
            eq(f"kpi.monthly[{m}].{k}", months.get(m, {}).get(k), int(w[k]))
    cohorts = {c["cohort"]: c for c in report["cohorts"]["data"]["cohorts"]}
    eq("cohort count", len(cohorts), len(want["cohorts"]))
    for name, w in want["cohorts"].items():
        c = cohorts.get(name)
        if c is None:
            bad.append(f"cohort {name} missing")
            continue
        eq(f"cohort[{name}].size", c["size"], w["size"])
        for k, cell in enumerate(c["cells"]):
            active, revenue = w["cells"].get(k, (0, 0))
            if cell is None:
                continue
            eq(f"cohort[{name}][{k}].active", cell["active"], active)
            eq(f"cohort[{name}][{k}].revenue", cell["revenue"], int(revenue))
    customers = {c["customer"]: c for c in report["rfm"]["data"]["customers"]}
    eq("rfm customers", len(customers), len(want["rfm"]))
    for cust, (r, f, m, rs, fs, ms, seg) in want["rfm"].items():
        c = customers.get(cust)
        if c is None:
            bad.append(f"rfm {cust} missing")
            continue
        got = (c["recency_days"], c["frequency"], c["monetary"], c["r_score"], c["f_score"], c["m_score"], c["segment"])
        eq(f"rfm[{cust}]", got, (r, f, int(m), rs, fs, ms, seg))
    products = {p["key"]: p for p in report["products"]["data"]["products"]}
    for sku, (rev, units) in want["products"].items():
        p = products.get(sku, {})
        eq(f"product[{sku}].revenue", p.get("revenue"), int(rev))
        eq(f"product[{sku}].units", p.get("units"), int(units))
        eq(f"product[{sku}].abc", str(p.get("abc")).lower(), want["abc"][sku])
    steps = report["funnel"]["data"]["steps"]
    eq("funnel.sequential", [s["count"] for s in steps], want["funnel_sequential"])
    compare_actions(report["actions"], want["actions"], eq, bad)
    # §10 breakdowns: every group (None = the unknown group) and the sums over the groups.
    dims = {d["dimension"]: d for d in report["breakdowns"]["data"]["dimensions"]}
    for dim, groups in want["breakdowns"].items():
        got_groups = {None if g["unknown"] else g["name"]: g["kpi"] for g in dims.get(dim, {}).get("groups", [])}
        eq(f"breakdown[{dim}] groups", sorted(map(str, got_groups)), sorted(map(str, groups)))
        for name, (gmv, refunds, orders, buyers, units) in groups.items():
            k = got_groups.get(name, {})
            got = (k.get("gmv"), k.get("refunds"), k.get("paid_orders"), k.get("buyers"), k.get("units"))
            eq(f"breakdown[{dim}][{name}]", got, (int(gmv), int(refunds), orders, buyers, int(units)))
        for i, key in enumerate(("gmv", "refunds", "paid_orders", "", "units")):
            if key:
                eq(f"breakdown[{dim}] sum of {key}", sum(k[key] for k in got_groups.values()), int(want[key]))
    return bad


def compare_actions(actions: dict, want: dict, eq, bad: list[str]) -> None:
    fired = {a["code"]: a for a in actions["actions"]}
    stake, n = want["win_back"]
    wb = fired.get("win_back")
    eq("actions.win_back.stake", wb and wb["stake"], stake)
    eq("actions.win_back.customers", wb and len(wb["list"]["rows"]), n)
    stake, skus = want["refund_spike"]
    rs = fired.get("refund_spike")
    eq("actions.refund_spike.stake", rs["stake"] if rs else 0, stake)
    eq("actions.refund_spike.products", [p["key"] for p in rs["list"]["rows"]] if rs else [], skus)
    if want["funnel"] is None:
        locked = [l["code"] for l in actions["locked"]]
        eq("actions.fix_funnel_step locked", "fix_funnel_step" in locked, True)
    elif want["funnel"][0] == "quiet":
        eq("actions.fix_funnel_step quiet", "fix_funnel_step" in actions["quiet"], True)
    else:
        ff = fired.get("fix_funnel_step")
        eq("actions.fix_funnel_step.stake", ff and ff["stake"], want["funnel"][0])
        day = ff and next(f["value"] for f in ff["figures"] if f["name"] == "comparison_day")
        eq("actions.fix_funnel_step.day", day, want["funnel"][1])
    # No stock in the generated data: both stock rules say what would unlock them.
    locked = {l["code"]: l["reason"]["code"] for l in actions["locked"]}
    eq("actions.restock locked", locked.get("restock"), "no_stock")
    eq("actions.ride_riser locked", locked.get("ride_riser"), "no_stock")
    stakes = [a["stake"] for a in actions["actions"]]
    eq("actions ranked by stake", stakes, sorted(stakes, reverse=True))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True, help="path to the compiled `analyze` example")
    ap.add_argument("--orders", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=20261124)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        orders, events = generate(Path(tmp), args.orders, args.seed)
        want = sql_figures(orders, events)
        run = subprocess.run([args.engine, str(orders), str(events)], capture_output=True, text=True, check=True)
        report = json.loads(run.stdout)
        distinct = subprocess.run([args.engine, "--options", '{"funnel":{"mode":"distinct"}}', str(orders), str(events)],
                                  capture_output=True, text=True, check=True)
        steps = json.loads(distinct.stdout)["funnel"]["data"]["steps"]
        bad = compare(report, want)
        # §8: the same orders beside a SKU/stock export.
        skus = generate_skus(Path(tmp), args.seed)
        stock_want = sql_stock(orders, skus)
        stock_run = subprocess.run([args.engine, str(orders), str(skus)], capture_output=True, text=True, check=True)
        stock_report = json.loads(stock_run.stdout)
        stock_bad = compare_stock(stock_report, stock_want)
        bad += stock_bad
        # §11 restock on the same run: SKUs whose days of cover are under the 7-day lead time, each
        # at stake round(daily revenue × (7 − max(cover, 0))) cents, the action's stake their sum.
        short = {sku: round_half_away(r["daily_revenue"] * (7.0 - max(r["days_of_cover"], 0.0)))
                 for sku, r in stock_want["products"].items()
                 if r.get("days_of_cover") is not None and r["days_of_cover"] < 7.0}
        restock = next((a for a in stock_report["actions"]["actions"] if a["code"] == "restock"), None)
        got_short = {p["key"]: p["stake"] for p in restock["list"]["rows"]} if restock else {}
        if got_short != short:
            bad.append(f"actions.restock rows: shoplens {got_short} vs SQL {short}")
        if (restock["stake"] if restock else 0) != sum(short.values()):
            bad.append(f"actions.restock.stake: shoplens {restock and restock['stake']} vs SQL {sum(short.values())}")
        n_restock = len(short) + 1
        n_promotion = 0
        for options in PROMOTION_RUNS:
            run = subprocess.run([args.engine, "--options", json.dumps({"promotion": options}), str(orders), str(events)],
                                 capture_output=True, text=True, check=True)
            promo = json.loads(run.stdout)["promotion"]
            if promo.get("status") != "ready":
                bad.append(f"promotion {options}: {promo}")
                continue
            checked, promo_bad = compare_promotion(promo["data"], sql_promotion(orders, promo["data"]))
            n_promotion += checked
            bad.extend(f"promotion {options['baseline']}: {b}" for b in promo_bad)
        # §9 on the fixture with an experiment group column (tests/independent/ab_variants.py).
        n_ab, ab_bad = check_ab_variants(args.engine)
        bad += ab_bad
        if [s["count"] for s in steps] != want["funnel_distinct"]:
            bad.append(f"funnel.distinct: shoplens {[s['count'] for s in steps]} vs SQL {want['funnel_distinct']}")
    n_checked = (5 + 1 + 3 * len(want["monthly"]) + len(want["cohorts"]) + len(want["rfm"])
                 + 3 * len(want["products"]) + 2 + 1 + sum(len(w) for w in stock_want["products"].values())
                 + 9 + n_restock + n_promotion + n_ab
                 + sum(len(g) + 4 for g in want["breakdowns"].values()))
    for b in bad:
        print("MISMATCH", b)
    print(f"independent check: {len(want['rfm'])} customers, {want['paid_orders']} paid orders, "
          f"{len(want['products'])} products, {len(want['cohorts'])} cohorts, "
          f"{len(stock_want['products'])} SKUs over a {stock_want['days']}-day stock window "
          f"({n_restock - 1} of them to restock)")
    acts = want["actions"]
    print(f"actions (SQL): win back {acts['win_back'][0]} cents ({acts['win_back'][1]} customers), refund spike "
          f"{acts['refund_spike'][0]} cents {acts['refund_spike'][1]}, fix a funnel step {acts['funnel']}")
    print(f"{n_checked - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
