"""The SQL scripts shoplens generates (crate/core/src/sql), run on real databases over the fixtures
and compared with the engine's own report: every figure equal, to the cent and to the count.

For every order and event fixture the engine reads, the `sql` example writes each section's script
in each dialect beside the engine's report of that file alone; this runs each script on native
DuckDB (and, with --spark, on Spark in local mode, all scripts in one session) and compares.

Usage: python3 tests/independent/check_sql.py --engine <path to the sql example> [--spark]
Prints the table sections × fixtures × dialects; exit status 0 when every figure is equal.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Every order and event export among the fixtures (the product lists, traffic and ad exports have
# no section with a script yet).
FILES = [
    "taobao_orders_gbk.csv", "taobao_items_utf8bom.csv", "tmall_sales_detail.csv",
    "taobao_orders_2026_21col.csv", "pinduoduo_orders.csv", "jd_orders.csv", "douyin_orders.csv",
    "shopify_orders.csv", "woocommerce_analytics.csv", "amazon_all_orders.txt",
    "tab_separated_generic.tsv", "stock_orders.csv",
    "tianchi_userbehavior.csv", "rees46_events.csv", "ab_item_events.csv", "ab_variant_events.csv",
]


def synthetic_events(path: Path, product_views: bool) -> None:
    """A behaviour log drawn from a fixed seed: 150 users, each a few sessions over three weeks of
    views, carts and purchases under several of the names logs use (product_view / view_item /
    page_view, Add To Cart / 加购, Order Completed / 支付, and names that mean no step), with
    gaps from seconds to ten days (so that the 1-hour and 7-day windows differ) and equal times
    (steps at the same second chain). Without `product_views`, page views are the view step."""
    import csv
    import random
    from datetime import datetime, timedelta
    rng = random.Random(5 if product_views else 6)
    views = ["product_view", "view_item", "Product Viewed"] if product_views else ["page_view", "浏览"]
    names = {"view": views, "cart": ["Add To Cart", "add_to_cart", "加购"],
             "purchase": ["Order Completed", "purchase", "支付"], "other": ["home", "search", "login"]}
    if product_views:
        names["other"].append("page_view")
    start = datetime(2024, 3, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event_time", "event_type", "product_id", "user_id"])
        rows = []
        for u in range(150):
            t = start + timedelta(seconds=rng.randrange(0, 14 * 86400))
            for _ in range(rng.randint(1, 9)):
                kind = rng.choices(["view", "cart", "purchase", "other"], [45, 25, 15, 15])[0]
                rows.append((t, rng.choice(names[kind]), 500 + rng.randrange(8), f"u{u:03d}"))
                t += timedelta(seconds=rng.choice([0, 0, 30, 600, 3599, 3600, 3601, 7200, 86400,
                                                   6 * 86400, 7 * 86400, 7 * 86400 + 1, 10 * 86400]))
        rows.sort(key=lambda r: r[0])
        for t, name, item, user in rows:
            w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), name, item, user])


def synthetic_orders(path: Path) -> None:
    """A Shopify-like line export drawn from a fixed seed, larger than the hand-written fixtures:
    500 orders of 70 customers over four months, 1–4 lines with prices that tie (and free lines),
    totals with shipping and discounts that leave remainder cents, refunds, unpaid and voided
    orders. It exercises what small fixtures rarely reach: RFM ties, the largest-remainder rule
    among equal weights, equal shares, refunds allocated like revenue. The breakdown columns (store,
    source, landing URL, province, country, line category) are drawn from the order and line
    numbers, not the seed, so that the figures above stay those of the seed: provinces written
    short, full and padded, a province or a category given on a later row only, channels from
    Source or else the landing URL's utm_source, blanks for the unknown groups."""
    import csv
    import random
    from datetime import date, timedelta
    rng = random.Random(14)
    skus = [(f"SKU-{i:02d}", f"Item {i}", price) for i, price in
            enumerate([9.99, 12.00, 12.00, 12.00, 18.50, 25.00, 25.00, 0.00, 7.77, 33.33, 5.00, 12.00], 1)]
    customers = [f"buyer{i:02d}@example.com" for i in range(70)]
    header = ["Name", "Email", "Financial Status", "Paid at", "Total", "Created at", "Lineitem quantity",
              "Lineitem name", "Lineitem price", "Lineitem sku", "Refunded Amount",
              "Store", "Source", "Landing Site", "Shipping Province", "Shipping Country", "Lineitem category"]
    stores = ["Main", "Outlet", "", "Main"]
    sources = ["web", "", "  ", "pos", "web", "shopify_draft_order"]
    landings = ["/products/x?utm_source=Google&utm_medium=cpc", "/?UTM_SOURCE=ig#top", "/p?ref=a&utm_source=news+letter",
                "/?utm_source=", "", "/products/y", "https://shop.example/?a=1&Utm_Source=%20Bing%20"]
    provinces = ["福建", "福建省", "北京市", "广西壮族自治区", "内蒙古", "California", "CA", "\u3000山西 ", "陕西省", "",
                 "香港", "-"]
    countries = ["China", "United States", ""]
    # Per SKU number; None: no category (the unknown group); SKU-04's only on some rows.
    categories = {1: "Mugs", 2: "Tea", 3: "Tea", 4: "Towels", 5: "Mugs", 6: "Gifts", 7: "Gifts", 8: None, 9: "茶具",
                  10: "Tea", 11: None, 12: "Towels"}
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for n in range(500):
            day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 120))
            created = f"{day} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00 +0800"
            status = rng.choices(["paid", "partially_refunded", "refunded", "pending", "voided"],
                                 [70, 8, 5, 12, 5])[0]
            lines = [(rng.choice(skus), rng.randint(1, 3)) for _ in range(rng.choice([1, 1, 2, 2, 3, 4]))]
            subtotal = sum(round(price * 100) * qty for (_, _, price), qty in lines)
            total = max(0, subtotal + rng.choice([0, 499, 713, 1001]) - rng.choice([0, 0, 150, 333]))
            refund = {"partially_refunded": total // rng.randint(2, 5), "refunded": total}.get(status, 0)
            for i, ((sku, name, price), qty) in enumerate(lines):
                first = i == 0
                row = [f"#{2001 + n}", rng.choice(customers) if first else "",
                       status if first else "",
                       created if first and status not in ("pending", "voided") else "",
                       f"{total / 100:.2f}" if first else "", created, qty, name, f"{price:.2f}", sku,
                       f"{refund / 100:.2f}" if first else ""]
                number = int(sku[4:])
                category = categories[number] or ""
                if number == 4 and n % 3 == 0 or (i + n) % 9 == 0:
                    category = ""
                # Order-level columns on the first row, the province of every fifth order on its
                # second row only (ingest fills an order's gaps from later rows).
                late = n % 5 == 1 and len(lines) > 1
                province = provinces[n % len(provinces)]
                row += [stores[n % len(stores)] if first else "", sources[n % len(sources)] if first else "",
                        landings[n % len(landings)] if first else "",
                        province if (first and not late) or (i == 1 and late) else "",
                        countries[n % len(countries)] if first else "", category]
                w.writerow(row)


EVENT_FILES = ["tianchi_userbehavior.csv", "rees46_events.csv", "ab_item_events.csv", "ab_variant_events.csv"]
# The funnel again with other options. Spark runs the distinct one too; the window and named-step
# runs change a constant and a CASE arm of the same Spark constructs, so they run on DuckDB only
# (the Spark step must stay within five minutes).
SPARK_RUNS = {"", "distinct"}
FUNNEL_RUNS = [
    ("distinct", {"funnel": {"mode": "distinct"}}),
    ("1 h window", {"funnel": {"window_seconds": 3600}}),
    ("unbounded, named step", {"funnel": {"window_seconds": None,
                                          "steps": ["view", ["fav", "Add To Cart", "cart"], "purchase"]}}),
]
KPI_FIELDS = ["gmv", "refunds", "net_sales", "paid_orders", "buyers", "revenue_per_buyer", "aov",
              "units", "refund_rate", "refund_order_rate", "repurchase_rate", "new_buyers",
              "returning_buyers"]


def same(a, b) -> bool:
    """Counts and cents exactly; ratios to 1e-12 relative (both computed in binary floating point
    from the same integers, so only the last bit may differ)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)
    return int(a) == int(b)


def compare_kpi(report: dict, rows: list[dict]) -> list[str]:
    kpi = report["kpi"]
    if kpi["status"] != "ready":
        return [f"engine kpi unavailable: {kpi['reason']['code']}"]
    if len(rows) != 1:
        return [f"SQL gave {len(rows)} rows"]
    total = kpi["data"]["total"]
    return [f"{f}: engine {total[f]} SQL {rows[0][f]}" for f in KPI_FIELDS if not same(total[f], rows[0][f])]


def compare_series(report: dict, rows: list[dict]) -> list[str]:
    kpi = report["kpi"]
    if kpi["status"] != "ready":
        return [f"engine kpi unavailable: {kpi['reason']['code']}"]
    bad = []
    for grain, key in (("day", "daily"), ("week", "weekly"), ("month", "monthly")):
        points = {p["period"]: p for p in kpi["data"][key]}
        got = {r["period"]: r for r in rows if r["grain"] == grain}
        for period, p in points.items():
            r = got.get(period)
            if r is None:
                if p["kpi"]["paid_orders"] != 0:
                    bad.append(f"{grain} {period}: missing in SQL")
                continue
            if r["start"] != p["start"]:
                bad.append(f"{grain} {period} start: engine {p['start']} SQL {r['start']}")
            bad += [f"{grain} {period} {f}: engine {p['kpi'][f]} SQL {r[f]}"
                    for f in KPI_FIELDS if not same(p["kpi"][f], r[f])]
        bad += [f"{grain} {period}: not in the engine's series" for period in got if period not in points]
    return bad


def compare_cohorts(report: dict, rows: list[dict]) -> list[str]:
    c = report["cohorts"]
    if c["status"] != "ready":
        # A customer-id column with every value blank (Pinduoduo's 身份证姓名): no cohort at all.
        if c["reason"]["code"] == "no_customer_ids" and not rows:
            return []
        return [f"engine cohorts unavailable: {c['reason']['code']}"]
    data = c["data"]
    fields = ["size", "active", "retention", "revenue", "cumulative_revenue_per_customer"]
    want = {}
    for row in data["cohorts"]:
        for k, cell in enumerate(row["cells"]):
            if cell is not None:
                want[(row["start"], k)] = {"size": row["size"], "cohorts": 1, **cell}
    for k, cell in enumerate(data["all"]["cells"]):
        if cell is not None:
            want[(None, k)] = cell
    got = {(r["cohort_start"], r["k"]): r for r in rows}
    bad = [f"cell {key}: engine has it, SQL not" for key in want if key not in got]
    bad += [f"cell {key}: SQL has it, engine not" for key in got if key not in want]
    for key, w in want.items():
        r = got.get(key)
        if r is not None:
            bad += [f"{key} {f}: engine {w[f]} SQL {r[f]}" for f in fields + ["cohorts"] if not same(w[f], r[f])]
    return bad


def compare_funnel(report: dict, rows: list[dict]) -> list[str]:
    """Users per step, conversion from the previous step and overall, drop-off."""
    f = report["funnel"]
    if f["status"] != "ready":
        return [f"engine funnel unavailable: {f['reason']['code']}"]
    steps = f["data"]["steps"]
    got = {r["step"]: r for r in rows}
    bad = []
    for i, s in enumerate(steps, 1):
        r = got.get(i)
        if r is None:
            bad.append(f"step {i} missing in SQL")
            continue
        bad += [f"step {i} {k}: engine {s[k]} SQL {r[k]}"
                for k in ["count", "conversion_from_previous", "overall_conversion", "drop_off"] if not same(s[k], r[k])]
    if len(got) != len(steps):
        bad.append(f"SQL has {len(got)} steps, engine {len(steps)}")
    return bad


def compare_rows(want: list[dict], got: dict, key: str, fields: list[str]) -> list[str]:
    """The engine's rows against the SQL rows by `key`: texts equal, numbers by `same`."""
    bad = []
    for w in want:
        r = got.get(w[key])
        if r is None:
            bad.append(f"{key} {w[key]}: missing in SQL")
            continue
        bad += [f"{w[key]} {f}: engine {w[f]} SQL {r[f]}" for f in fields
                if not (w[f] == r[f] if isinstance(w[f], str) else same(w[f], r[f]))]
    return bad


def compare_rfm(report: dict, rows: list[dict]) -> list[str]:
    """Each customer's R, F, M, scores and segment; each segment's customers and revenue (and the
    shares and averages derived from them)."""
    s = report["rfm"]
    if s["status"] != "ready":
        if s["reason"]["code"] == "no_customer_ids" and not [r for r in rows if r["customer"] is not None]:
            return []
        return [f"engine rfm unavailable: {s['reason']['code']}"]
    data = s["data"]
    bad = []
    got = {r["customer"]: r for r in rows if r["customer"] is not None}
    fields = ["last_order_day", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score",
              "segment"]
    bad += compare_rows(data["customers"], got, "customer", fields)
    if len(got) != len(data["customers"]):
        bad.append(f"SQL has {len(got)} customers, engine {len(data['customers'])}")
    order = [r["customer"] for r in rows if r["customer"] is not None]
    if order != [c["customer"] for c in data["customers"]]:
        bad.append("customers not in the engine's order")
    segs = [r for r in rows if r["customer"] is None]
    if [r["segment"] for r in segs] != [g["segment"] for g in data["segments"]]:
        bad.append(f"segments {[r['segment'] for r in segs]}")
    for g, r in zip(data["segments"], segs):
        bad += [f"segment {g['segment']} {f}: engine {g[f]} SQL {r[f]}"
                for f in ["customers", "revenue", "share_of_customers", "share_of_revenue", "avg_recency",
                          "avg_frequency", "avg_monetary"] if not same(g[f], r[f])]
    return bad


def compare_products(report: dict, rows: list[dict]) -> list[str]:
    """Each product's allocated revenue and refunds, units, orders, buyers, growth windows, rank, ABC
    class and quadrant, in the engine's ranking order."""
    p = report["products"]
    if p["status"] != "ready":
        if p["reason"]["code"] in ("no_order_lines", "no_paid_orders") and not rows:
            return []
        return [f"engine products unavailable: {p['reason']['code']}"]
    products = p["data"]["products"]
    bad = []
    if [r["key"] for r in rows] != [x["key"] for x in products]:
        bad.append(f"ranking: engine {[x['key'] for x in products][:5]}… SQL {[r['key'] for r in rows][:5]}…")
    got = {r["key"]: r for r in rows}
    fields = ["revenue", "merchandise_value", "units", "paid_orders", "buyers", "repeat_buyers", "refunds",
              "refund_rate", "avg_selling_price", "share", "repeat_buyer_rate", "recent_revenue",
              "previous_revenue", "recent_units", "growth", "growth_status", "abc", "quadrant",
              "top_buyer_share"]
    bad += compare_rows(products, got, "key", fields)
    for point, r in zip(p["data"]["pareto"], rows):
        if not same(point["cumulative_share"], r["cumulative_share"]) or point["rank"] != r["rank"]:
            bad.append(f"pareto {point['rank']}: engine {point['cumulative_share']} SQL {r['cumulative_share']}")
    if sum(r["revenue"] for r in rows) != p["data"]["total_revenue"]:
        bad.append(f"total revenue: engine {p['data']['total_revenue']} SQL {sum(r['revenue'] for r in rows)}")
    return bad


def compare_breakdowns(report: dict, rows: list[dict]) -> list[str]:
    """§10: the same dimensions, each with its groups in the engine's order (GMV descending, ties by
    name, unknown last), every group's §2 KPIs and share of GMV. The engine's report here is of the
    export alone (as the script reads it), so a dimension from another file (category from a
    product list) is in neither; were the engine's to have one the script has no column for, it
    would show as a dimension missing in SQL."""
    b = report["breakdowns"]
    if b["status"] != "ready":
        if b["reason"]["code"] == "no_paid_orders" and not rows:
            return []
        return [f"engine breakdowns unavailable: {b['reason']['code']}"]
    bad = []
    want = {d["dimension"]: d["groups"] for d in b["data"]["dimensions"]}
    got: dict[str, list[dict]] = {}
    for r in rows:
        got.setdefault(r["dimension"], []).append(r)
    if list(got) != list(want):
        bad.append(f"dimensions: engine {list(want)} SQL {list(got)}")
    for dim, groups in want.items():
        sql = got.get(dim, [])
        names = [(g["name"], g["unknown"]) for g in groups]
        if [(r["name"], r["unknown"]) for r in sql] != names:
            bad.append(f"{dim} groups: engine {names[:6]} SQL {[(r['name'], r['unknown']) for r in sql][:6]}")
            continue
        for i, (g, r) in enumerate(zip(groups, sql), 1):
            if r["position"] != i:
                bad.append(f"{dim} {g['name']!r} position: SQL {r['position']}, engine {i}")
            if not same(g["gmv_share"], r["gmv_share"]):
                bad.append(f"{dim} {g['name']!r} gmv_share: engine {g['gmv_share']} SQL {r['gmv_share']}")
            bad += [f"{dim} {g['name']!r} {f}: engine {g['kpi'][f]} SQL {r[f]}"
                    for f in KPI_FIELDS if not same(g["kpi"][f], r[f])]
    return bad


COMPARE = {"kpi": compare_kpi, "kpi_series": compare_series, "cohorts": compare_cohorts,
           "rfm": compare_rfm, "products": compare_products,
           "funnel": compare_funnel, "breakdowns": compare_breakdowns}


def run_duckdb(sql: str) -> list[dict]:
    con = duckdb.connect()
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def outcome(section: str, shown: str, name: str, dialect: str, report: dict, run) -> tuple:
    try:
        bad = COMPARE[section](report, run())
    except Exception as e:  # noqa: BLE001 — a failing script is a finding, reported
        bad = [f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"]
    return (shown, name, dialect, "equal" if not bad else "NOT EQUAL", "; ".join(bad[:6]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True, help="path to the compiled `sql` example")
    ap.add_argument("--spark", action="store_true", help="also run the Spark scripts (PySpark, local mode)")
    ap.add_argument("--sections", help="only these sections, comma-separated (while iterating)")
    args = ap.parse_args()
    only = set(args.sections.split(",")) if args.sections else None
    dialects = ["duckdb"] + (["spark"] if args.spark else [])
    with tempfile.TemporaryDirectory() as tmp:
        # DuckDB reads UTF-8 (and UTF-16) only: GB18030 exports are read from a UTF-8 copy, as the
        # script's header tells the user to do.
        sources = []
        synthetic = Path(tmp) / "synthetic_shopify_orders.csv"
        synthetic_orders(synthetic)
        event_logs = [Path(tmp) / "synthetic_product_views.csv", Path(tmp) / "synthetic_page_views.csv"]
        synthetic_events(event_logs[0], product_views=True)
        synthetic_events(event_logs[1], product_views=False)
        paths = [str(FIXTURES / n) for n in FILES] + [str(p) for p in [synthetic, *event_logs]]
        for name in FILES:
            raw = (FIXTURES / name).read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                copy = Path(tmp) / (name + ".utf8.csv")
                copy.write_bytes(raw.decode("gb18030").encode("utf-8"))
                sources += ["--source", f"{FIXTURES / name}={copy}"]
        # The default options over every file; then the funnel again over the behaviour logs with
        # other options (distinct mode, a short window, an unbounded window with a step of names).
        runs = [("", [], paths)] + [
            (label, ["--section", "funnel", "--options", json.dumps(options)], [str(FIXTURES / n) for n in EVENT_FILES])
            for label, options in FUNNEL_RUNS]
        runs = [(label, extra, run_paths + [str(p) for p in event_logs] if label else run_paths)
                for label, extra, run_paths in runs]
        results = []  # (section, fixture, dialect, outcome, details)
        spark_jobs = []
        for label, extra, run_paths in runs:
            out = subprocess.run([args.engine, "--json", *extra, *sources, *run_paths],
                                 capture_output=True, text=True, check=True)
            files = json.loads(out.stdout)
            # Spark reads the file itself, in its encoding.
            spark_scripts = {}
            run_dialects = [d for d in dialects if d == "duckdb" or label in SPARK_RUNS]
            if "spark" in run_dialects:
                out = subprocess.run([args.engine, "--json", "--dialect", "spark", *extra, *run_paths],
                                     capture_output=True, text=True, check=True)
                spark_scripts = {f["file"]: f["scripts"] for f in json.loads(out.stdout)}
            for f in files:
                name = Path(f["file"]).name
                for section, per in f["scripts"].items():
                    if only and section not in only:
                        continue
                    shown = f"{section} ({label})" if label else section
                    for dialect in run_dialects:
                        entry = per.get(dialect) if dialect == "duckdb" else spark_scripts[f["file"]][section]["spark"]
                        if "error" in entry:
                            results.append((shown, name, dialect, "n/a", entry["error"]))
                        elif dialect == "spark":
                            spark_jobs.append((section, shown, name, f["report"], entry["sql"]))
                        else:
                            results.append(outcome(section, shown, name, dialect, f["report"],
                                                   lambda: run_duckdb(entry["sql"])))
        if spark_jobs:
            from concurrent.futures import ThreadPoolExecutor
            from spark_session import run_spark, session
            started = time.time()
            spark = session()
            seconds: dict[str, float] = {}

            def timed(job):
                began = time.time()
                result = outcome(job[0], job[1], job[2], "spark", job[3], lambda: run_spark(spark, job[4]))
                seconds[job[0]] = seconds.get(job[0], 0.0) + time.time() - began
                return result
            # Two scripts at a time: planning a script is single-threaded driver work.
            with ThreadPoolExecutor(2) as pool:
                results += pool.map(timed, spark_jobs)
            spark.stop()
            print(f"Spark: {len(spark_jobs)} scripts in one local session, {time.time() - started:.0f} s "
                  f"(script seconds per section, two at a time: "
                  f"{', '.join(f'{k} {v:.0f}' for k, v in sorted(seconds.items()))})")
    width = max(len(r[1]) for r in results)
    swidth = max(len(r[0]) for r in results)
    print(f"{'section':<{swidth}} {'fixture':<{width}} {'dialect':<7} outcome")
    for section, name, dialect, result, detail in sorted(results, key=lambda r: (r[0], r[1], r[2])):
        extra = f"  ({detail})" if detail else ""
        print(f"{section:<{swidth}} {name:<{width}} {dialect:<7} {result}{extra}")
    failed = [r for r in results if r[3] == "NOT EQUAL"]
    equal = sum(1 for r in results if r[3] == "equal")
    print(f"SQL check: {equal} equal, {len(failed)} not equal, {len(results) - equal - len(failed)} not applicable")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
