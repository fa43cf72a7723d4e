"""§7 promotion readout in DuckDB SQL, for check_duckdb.py.

The campaign window is chosen in the options (the generated data has no peak to propose); the SQL
takes the baseline and after windows the report names only to know which dates to sum, then checks
that they are the ones §7 prescribes (same length before, or the same dates a year earlier; after:
same length right after). Every other figure is computed here from the rows.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import duckdb

# One readout per entry: a baseline just before, and the same dates a year earlier.
PROMOTION_RUNS = [
    {"campaign": {"from": "2024-06-01", "to": "2024-06-18"}, "baseline": "before"},
    {"campaign": {"from": "2024-11-11", "to": "2024-11-13"}, "baseline": "year_before"},
]

ADDITIVE = {"gmv", "refunds", "net_sales", "paid_orders", "buyers", "units", "new_buyers", "returning_buyers",
            "visitors"}


def _day(s: str) -> date:
    return date.fromisoformat(s)


def _ratio(n, d):
    return None if d in (0, None) or n is None else n / d


def _change(x, y):
    return None if x is None or y is None or x == 0 else (y - x) / x


def _window(con, a: date, b: date) -> dict:
    gmv, refunds, orders, buyers, refunded = con.execute(f"""
        SELECT coalesce(sum(total), 0), coalesce(sum(refund), 0), count(*), count(DISTINCT customer),
               count(*) FILTER (WHERE refund > 0)
        FROM paid WHERE day BETWEEN DATE '{a}' AND DATE '{b}'""").fetchone()
    units = con.execute(f"""
        SELECT coalesce(sum(qty), 0) FROM lines JOIN paid USING (order_id)
        WHERE day BETWEEN DATE '{a}' AND DATE '{b}'""").fetchone()[0]
    repeat = con.execute(f"""
        SELECT count(*) FROM (SELECT customer FROM paid WHERE day BETWEEN DATE '{a}' AND DATE '{b}'
                              GROUP BY customer HAVING count(*) >= 2)""").fetchone()[0]
    new = con.execute(f"""
        SELECT count(*) FROM (SELECT customer, min(day) AS d0 FROM paid GROUP BY customer)
        WHERE d0 BETWEEN DATE '{a}' AND DATE '{b}'""").fetchone()[0]
    first, last = con.execute("SELECT min(day), max(day) FROM paid").fetchone()
    covered = max(0, (min(b, last) - max(a, first)).days + 1)
    k = {
        "gmv": int(gmv), "refunds": int(refunds), "net_sales": int(gmv - refunds), "paid_orders": orders,
        "buyers": buyers, "units": int(units), "new_buyers": new, "returning_buyers": buyers - new,
        "revenue_per_buyer": _ratio(gmv, buyers), "aov": _ratio(gmv, orders),
        "refund_rate": _ratio(refunds, gmv), "refund_order_rate": _ratio(refunded, orders),
        "repurchase_rate": _ratio(repeat, buyers), "visitors": None, "conversion_rate": None,
    }
    return {"kpi": k, "covered": covered, "days": (b - a).days + 1}


def _product_revenue(con, a: date, b: date) -> dict:
    rows = con.execute(f"""
        WITH l AS (SELECT l.*, l.qty * l.price AS v, p.total,
                          sum(l.qty * l.price) OVER (PARTITION BY l.order_id) AS vt
                   FROM lines l JOIN paid p USING (order_id) WHERE p.day BETWEEN DATE '{a}' AND DATE '{b}'),
        f AS (SELECT *, CAST(floor(CAST(total AS HUGEINT) * v / vt) AS BIGINT) AS base FROM l),
        r AS (SELECT *, total - sum(base) OVER (PARTITION BY order_id) AS rem,
                     row_number() OVER (PARTITION BY order_id ORDER BY v DESC, line_no) AS rk FROM f)
        SELECT sku, sum(base + CASE WHEN rk <= rem THEN 1 ELSE 0 END) FROM r GROUP BY sku""").fetchall()
    return {sku: int(rev) for sku, rev in rows}


def sql_promotion(orders: Path, report: dict) -> dict:
    """The readout's figures from SQL over the rows, for the windows the report names."""
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE raw AS SELECT * FROM read_csv('{orders}', header=true, all_varchar=true);
        CREATE TABLE lines AS SELECT row_number() OVER () - 1 AS line_no, order_id, sku,
            CAST(quantity AS BIGINT) AS qty, CAST(round(CAST(unit_price AS DECIMAL(18,2)) * 100) AS BIGINT) AS price
            FROM raw;
        CREATE TABLE orders AS SELECT order_id, any_value(customer_id) AS customer,
            CAST(any_value(NULLIF(paid_at, '')) AS TIMESTAMP) AS paid_at,
            CAST(round(CAST(any_value(total) AS DECIMAL(18,2)) * 100) AS BIGINT) AS total,
            CAST(round(CAST(any_value(refund) AS DECIMAL(18,2)) * 100) AS BIGINT) AS refund
            FROM raw GROUP BY order_id;
        CREATE TABLE paid AS SELECT *, CAST(paid_at AS DATE) AS day FROM orders WHERE paid_at IS NOT NULL;
    """)
    a, b = _day(report["campaign"]["from"]), _day(report["campaign"]["to"])
    length = (b - a).days + 1
    if report["baseline_source"] == "year_before":
        b0, b1 = a.replace(year=a.year - 1), b.replace(year=b.year - 1)
    else:
        b0, b1 = a - timedelta(days=length), a - timedelta(days=1)
    c0, c1 = b + timedelta(days=1), b + timedelta(days=length)
    out = {
        "windows": {"baseline": (b0, b1), "campaign": (a, b), "after": (c0, c1)},
        "baseline": _window(con, b0, b1), "campaign": _window(con, a, b), "after": _window(con, c0, c1),
    }
    last = con.execute("SELECT max(day) FROM paid").fetchone()[0]
    came_back = con.execute(f"""
        WITH first AS (SELECT customer, min(day) AS d0 FROM paid GROUP BY customer)
        SELECT count(*) FROM first f
        WHERE f.d0 BETWEEN DATE '{a}' AND DATE '{b}'
          AND EXISTS (SELECT 1 FROM paid p WHERE p.customer = f.customer AND p.day > DATE '{b}')""").fetchone()[0]
    out["came_back"] = came_back if last > b else None
    out["products"] = (_product_revenue(con, b0, b1), _product_revenue(con, a, b))
    return out


def compare_promotion(report: dict, want: dict) -> tuple[int, list[str]]:
    """(figures checked, mismatches)."""
    bad: list[str] = []
    checked = 0

    def eq(what, got, exp):
        nonlocal checked
        checked += 1
        if isinstance(exp, float) or isinstance(got, float):
            ok = got is not None and exp is not None and abs(got - exp) <= 1e-9 * max(1, abs(exp))
        else:
            ok = got == exp
        if not ok:
            bad.append(f"{what}: shoplens {got!r} vs SQL {exp!r}")

    for name, (f, t) in want["windows"].items():
        eq(f"{name}.window", (report[name]["from"], report[name]["to"]), (f.isoformat(), t.isoformat()))
        eq(f"{name}.covered_days", report[name]["covered_days"], want[name]["covered"])
    rows = {r["metric"]: r for r in report["rows"]}
    eq("rows", sorted(rows), sorted(want["campaign"]["kpi"]))
    for metric, r in rows.items():
        x0, x1, x2 = (want[w]["kpi"][metric] for w in ("baseline", "campaign", "after"))
        eq(f"{metric}.baseline", r["baseline"], None if x0 is None else float(x0))
        eq(f"{metric}.campaign", r["campaign"], None if x1 is None else float(x1))
        eq(f"{metric}.after", r["after"], None if x2 is None else float(x2))
        eq(f"{metric}.change", r["change"], _change(x0, x1))
        eq(f"{metric}.after_change", r["after_change"], _change(x0, x2))
        if metric in ADDITIVE:
            d0, d1, d2 = (_ratio(x, want[w]["covered"]) for x, w in ((x0, "baseline"), (x1, "campaign"), (x2, "after")))
            eq(f"{metric}.baseline_per_day", r["baseline_per_day"], d0)
            eq(f"{metric}.campaign_per_day", r["campaign_per_day"], d1)
            eq(f"{metric}.after_per_day", r["after_per_day"], d2)
            eq(f"{metric}.change_per_day", r["change_per_day"], _change(d0, d1))
        else:
            eq(f"{metric}.per_day", r["campaign_per_day"], None)
    # The decomposition: buyers × orders per buyer × AOV, shares of ln(GMV₁/GMV₀).
    k0, k1 = want["baseline"]["kpi"], want["campaign"]["kpi"]
    factors = [(k0["buyers"], k1["buyers"]),
               (_ratio(k0["paid_orders"], k0["buyers"]), _ratio(k1["paid_orders"], k1["buyers"])),
               (_ratio(k0["gmv"], k0["paid_orders"]), _ratio(k1["gmv"], k1["paid_orders"]))]
    g0, g1 = k0["gmv"], k1["gmv"]
    defined = g0 > 0 and g1 > 0 and g0 != g1 and all(x and y and x > 0 and y > 0 for x, y in factors)
    d = report["decomposition"]["orders"]
    shares = [f["share"] for f in d["factors"]]
    if defined:
        want_shares = [math.log(y / x) / math.log(g1 / g0) for x, y in factors]
        for name, got, exp in zip(("buyers", "orders_per_buyer", "aov"), shares, want_shares):
            eq(f"share.{name}", got, exp)
        eq("shares sum", sum(shares), 1.0)
    else:
        eq("shares undefined", shares, [None, None, None])
    eq("traffic decomposition", report["decomposition"]["traffic"], None)
    nb = report["new_buyers"]
    eq("new_buyers.count", nb["count"], k1["new_buyers"])
    eq("new_buyers.came_back", nb["came_back"], want["came_back"])
    base, camp = want["products"]
    got = {p["key"]: (p["baseline_revenue"], p["campaign_revenue"]) for p in report["products"]["products"]}
    eq("lift products", sorted(got), sorted(set(base) | set(camp)))
    for sku in sorted(set(base) | set(camp)):
        eq(f"lift[{sku}]", got.get(sku), (base.get(sku, 0), camp.get(sku, 0)))
    return checked, bad
