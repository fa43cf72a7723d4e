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
import os
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


def synthetic_skus(path: Path) -> None:
    """A SKU list with stock for `synthetic_orders`' SKUs (商家编码 / 商品名称 / 可用库存): levels from
    none to months of cover, a negative one, a SKU never sold and one without a figure, so that the
    action list's restock and ride-a-riser rules (DEFINITIONS §11) find products on both sides of
    their thresholds."""
    import csv
    stock = [0, 3, 15, 40, 200, -2, 7, 1000, 25, 5, 60, ""]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["商家编码", "商品名称", "可用库存"])
        for i, level in enumerate(stock, 1):
            w.writerow([f"SKU-{i:02d}", f"Item {i}", level])
        w.writerow(["SKU-99", "Never sold", 12])


def synthetic_cost_lists(first: Path, second: Path) -> None:
    """Two product lists for `synthetic_orders`' SKUs, loaded after the orders (DEFINITIONS §6
    scorecard): the first with 商家编码 / 商品名称 / 成本价 / 可用库存 — costs below and above the price (a
    negative margin), equal costs, a cost written with ¥, stock out, negative, thin and deep, blanks,
    a SKU given twice (the later row's cost wins, the earlier stock stays), a SKU never sold; the
    second with costs only, replacing some of the first's (the later list wins) and leaving one
    blank (the first's stays)."""
    import csv
    rows = [("SKU-01", "4.20", "30"), ("SKU-02", "6.00", "0"), ("SKU-03", "6.00", "15"), ("SKU-04", "", "15"),
            ("SKU-05", "9.25", "-3"), ("SKU-06", "30.00", "200"), ("SKU-07", "¥12.50", ""), ("SKU-08", "0", "5"),
            ("SKU-09", "3.10", "60"), ("SKU-10", "20.00", "1,000"), ("SKU-11", "", ""), ("SKU-12", "6.00", "15"),
            ("SKU-01", "4.50", ""), ("SKU-99", "1.00", "9")]
    with first.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["商家编码", "商品名称", "成本价", "可用库存"])
        for sku, cost, stock in rows:
            w.writerow([sku, f"Item {int(sku[4:])}", cost, stock])
    with second.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["商家编码", "成本价"])
        for sku, cost in [("SKU-04", "5.55"), ("SKU-02", "7.00"), ("SKU-09", ""), ("SKU-11", "2.00")]:
            w.writerow([sku, cost])


def synthetic_category_lists(orders: Path, without: Path, lists: list[Path]) -> None:
    """`synthetic_orders` without its line category column, and two SKU lists that give the
    categories (商家编码 / 商品名称 / 类目 / 可用库存), as a shop whose order export has none: the
    first list names most SKUs, one first by a bare numeric category id then by a name (the name
    is taken), one twice with two names (the first is taken), one with a blank category and one
    with a placeholder (-), a SKU never sold; the second list names SKUs the first left blank or
    out (its category is taken) and one the first names (the first list's is kept). Beside the
    export with its own categories, the lines' category comes first (SKU-10's Tea over the list's
    numeric id) and the list names the free SKU-08 the lines leave blank."""
    import csv
    with orders.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("Lineitem category")
    with without.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([r[:at] + r[at + 1:] for r in rows])
    first = [("SKU-01", "Item 1", "Mugs", 3), ("SKU-02", "Item 2", "50012345", 15), ("SKU-02", "Item 2", "Tea", ""),
             ("SKU-03", "Item 3", "Tea", 40), ("SKU-04", "Item 4", "Towels", 200), ("SKU-04", "Item 4", "Linen", 7),
             ("SKU-05", "Item 5", "Mugs", 0), ("SKU-06", "Item 6", "", 25), ("SKU-07", "Item 7", "-", 5), ("SKU-08", "Free sample", "Samples", 30),
             ("SKU-09", "Item 9", "茶具", 60), ("SKU-10", "Item 10", "50012345", 9), ("SKU-99", "Never sold", "Gifts", 12)]
    second = [("SKU-06", "Item 6", "Gifts", 1), ("SKU-07", "Item 7", "Gifts", 2), ("SKU-12", "Item 12", "Towels", 3),
              ("SKU-01", "Item 1", "Kitchen", 4)]
    for path, entries in zip(lists, (first, second)):
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["商家编码", "商品名称", "类目", "可用库存"])
            w.writerows(entries)


def synthetic_item_events(path: Path) -> None:
    """A behaviour log beside `synthetic_orders` whose item ids are its SKUs (商家编码), drawn from a
    fixed seed, for the scorecard's item conversion (DEFINITIONS §5, §6): 200 users viewing items
    (product views under several names, repeated views of one item), some buying them, carts and
    names that mean no step (a page view is none here: the log has product views). SKU-01 … SKU-07
    are viewed and bought (SKU-03 and SKU-04 by the same two users: equal conversions), SKU-08 and
    SKU-12 viewed only (0), SKU-09 bought without a view (NULL), SKU-10 never in the log (NULL);
    SKU-11 is bought by users who never viewed it beside ones who did; SKU-99 (never sold) and rows
    without an item are read and matched to no product."""
    import csv
    import random
    from datetime import datetime, timedelta
    rng = random.Random(21)
    views = ["product_view", "view_item", "浏览"]
    buys = ["purchase", "Order Completed", "支付"]
    # Per SKU number: the chance a user views it and the chance a viewer buys it.
    rates = {1: (0.5, 0.4), 2: (0.3, 0.25), 5: (0.4, 0.1), 6: (0.2, 0.6), 7: (0.35, 0.33), 8: (0.3, 0.0),
             11: (0.15, 0.5), 12: (0.05, 0.0)}
    start = datetime(2024, 3, 1)
    rows = []
    for u in range(200):
        user = f"shopper{u:03d}"
        t = start + timedelta(seconds=rng.randrange(0, 30 * 86400))
        for number, (view, buy) in rates.items():
            if rng.random() >= view:
                continue
            sku = f"SKU-{number:02d}"
            for _ in range(rng.randint(1, 3)):
                rows.append((t, rng.choice(views), sku, user))
                t += timedelta(seconds=rng.randint(5, 600))
            if rng.random() < 0.3:
                rows.append((t, rng.choice(["add_to_cart", "加购"]), sku, user))
            if rng.random() < buy:
                rows.append((t, rng.choice(buys), sku, user))
            if rng.random() < 0.2:
                rows.append((t, rng.choice(["page_view", "search", "home"]), sku, user))
        if u % 7 == 0:
            rows.append((t, "purchase", "SKU-09", user))
        if u % 11 == 0:
            rows.append((t, "支付", "SKU-11", user))
        if u % 13 == 0:
            rows.append((t, "product_view", "SKU-99", user))
            rows.append((t, "product_view", "", user))
    for u in (3, 4):
        for sku, name in (("SKU-03", "product_view"), ("SKU-04", "view_item")):
            rows.append((start, name, sku, f"shopper{u:03d}"))
    rows.append((start, "purchase", "SKU-03", "shopper003"))
    rows.append((start, "purchase", "SKU-04", "shopper004"))
    rows.sort(key=lambda r: (r[0], r[3]))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event_time", "event_type", "product_id", "user_id"])
        for t, name, sku, user in rows:
            w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), name, sku, user])


def synthetic_item_traffic(path: Path) -> None:
    """A 生意参谋 商品效果明细-like item traffic export beside `synthetic_orders` (统计日期 / 商品ID / 商品名称
    / 商品访客数 / 商品加购人数 / 支付买家数 / 支付金额), drawn from a fixed seed, one row a day per item over
    four weeks, its 商品ID the shop's SKUs: the scorecard's item conversion without a behaviour log
    (DEFINITIONS §5: Σ 支付买家数 / Σ 访客数 per item). SKU-10 has no row (NULL), SKU-09 no visitors
    (0: NULL), SKU-08 no 支付买家数 on any row (NULL), SKU-07 some; a count written 1,234, one 1.2万
    (12000), a negative one (read as 0), two ingest cannot read (12人, and 7.5 加购人数: the rows are
    rejected), shop-level rows without a 商品ID and SKU-99, never sold."""
    import csv
    import random
    from datetime import date, timedelta
    rng = random.Random(23)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["统计日期", "商品ID", "商品名称", "商品访客数", "商品加购人数", "支付买家数", "支付金额"])
        for n in range(28):
            day = str(date(2024, 4, 1) + timedelta(days=n))
            for number in [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 99]:
                visitors = 0 if number == 9 else rng.randint(20, 400) if number != 3 else 100
                buyers = visitors // rng.randint(8, 30) if number != 3 else 5
                cells = [str(visitors), str(visitors // 5), str(buyers)]
                if number == 8 or (number == 7 and n % 3 == 0):
                    cells[2] = ""
                if number == 1 and n == 4:
                    cells[0] = f"{1234:,}"
                if number == 2 and n == 6:
                    cells[2] = "-3"
                if number == 4 and n == 9:
                    cells[0] = "12人"
                if number == 5 and n == 11:
                    cells[0] = "1.2万"
                if number == 6 and n == 12:
                    cells[1] = "7.5"
                w.writerow([day, f"SKU-{number:02d}", f"Item {number}", *cells, f"{buyers * 12.5:.2f}"])
            w.writerow([day, "", "", rng.randint(2000, 3000), rng.randint(100, 300), rng.randint(40, 90), "999.00"])


def blank_column(source: Path, path: Path, column: str) -> None:
    """`source` with every cell of `column` blank (the header kept): a mapped column with no value."""
    import csv
    with source.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    k = rows[0].index(column)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([rows[0]] + [[c if i != k else "" for i, c in enumerate(r)] for r in rows[1:]])


def synthetic_ab_events(path: Path, experiments: bool) -> None:
    """A/B logs drawn from a fixed seed (DEFINITIONS §9, `analysis::ab`'s rules). With `experiments`:
    two experiments in `experiment_name` / `variant` columns — `checkout-2024` (control 10 % vs
    treatment 16 % of 1,500 users each: |z| above 3.5, the p-value's continued-fraction branch) and
    `banner` (baseline vs v2, 300 users each, close rates: not decisive) — with unlabelled page
    views before exposure, purchases before exposure (no conversion), unlabelled purchases after it
    (conversions), purchases labelled with another group (not this one's), users exposed to both
    groups and purchases in the second of exposure. Without: a hand-made sheet's `ab_group` column
    with groups A (no conversion at all), B and C, a few dozen users each."""
    import csv
    import random
    from datetime import datetime, timedelta
    rng = random.Random(91 if experiments else 92)
    start = datetime(2024, 6, 1)
    purchases = ["Order Completed", "purchase", "支付"]
    rows = []
    if experiments:
        arms = [("checkout-2024", "control", 0.10, 1500), ("checkout-2024", "treatment", 0.16, 1500),
                ("banner", "baseline", 0.20, 300), ("banner", "v2", 0.22, 300)]
    else:
        arms = [("", "B", 0.2, 25), ("", "A", 0.0, 25), ("", "C", 0.5, 10)]
    labels = [(e, v) for e, v, _, _ in arms]
    user = 0
    for experiment, variant, rate, count in arms:
        for _ in range(count):
            user += 1
            u = f"u{user:05d}"
            t = start + timedelta(seconds=rng.randrange(0, 10 * 86400))
            item = str(700 + rng.randrange(5))
            if rng.random() < 0.3:
                rows.append((t - timedelta(hours=1), "page_view", u, item, "", ""))
            if rng.random() < 0.02:  # bought before seeing the variant: not its effect
                rows.append((t - timedelta(minutes=5), rng.choice(purchases), u, item, "", ""))
            rows.append((t, "experiment_viewed", u, item, experiment, variant))
            if rng.random() < 0.03:  # also exposed to another group (group A stays without conversions)
                other = rng.choice([x for x in labels if x != (experiment, variant) and x[1] != "A"])
                rows.append((t + timedelta(minutes=2), "experiment_viewed", u, item, *other))
            rows.append((t + timedelta(seconds=rng.choice([0, 30, 600])), "product_view", u, item, experiment, variant))
            if rng.random() < rate:
                late = t + timedelta(seconds=rng.choice([0, 60, 3600, 86400]))
                label = rng.choice([(experiment, variant), (experiment, variant), ("", "")])
                rows.append((late, rng.choice(purchases), u, item, *label))
            elif rng.random() < 0.02:  # a purchase labelled with another group only
                other = rng.choice([x for x in labels if x != (experiment, variant)])
                rows.append((t + timedelta(hours=2), "purchase", u, item, *other))
    rows.sort(key=lambda r: (r[0], r[2]))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if experiments:
            w.writerow(["timestamp", "event_name", "user_id", "product_id", "experiment_name", "variant"])
            for t, name, u, item, experiment, variant in rows:
                w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), name, u, item, experiment, variant])
        else:
            w.writerow(["event_time", "event_type", "user_id", "item_id", "ab_group"])
            for t, name, u, item, _, variant in rows:
                w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), name, u, item, variant])


EVENT_FILES = ["tianchi_userbehavior.csv", "rees46_events.csv", "ab_item_events.csv", "ab_variant_events.csv"]
# The funnel again with other options. Spark runs the distinct one and the trend by month too; the window and
# named-step runs change a constant and a CASE arm of the same Spark constructs, so they run on DuckDB only
# (the Spark step must stay within five minutes).
SPARK_RUNS = {"", "distinct", "trend by month, 1 h window"}
FUNNEL_RUNS = [
    ("distinct", {"funnel": {"mode": "distinct"}}),
    ("1 h window", {"funnel": {"window_seconds": 3600}}),
    ("unbounded, named step", {"funnel": {"window_seconds": None,
                                          "steps": ["view", ["fav", "Add To Cart", "cart"], "purchase"]}}),
    # The trend by ISO week and by month (the default is by day); the logs span several weeks and
    # two months, with chains crossing the boundaries. Spark runs the month one (its period key is
    # the month's first day by dayofmonth; the week's is the KPI series' arithmetic).
    ("trend by week", {"funnel": {"trend_grain": "week"}}),
    ("trend by month, 1 h window", {"funnel": {"trend_grain": "month", "window_seconds": 3600}}),
    # The breakdown by brand and by item (its missing group: events without an item), few groups
    # shown (an "other" row) and few items; none of either. Spark runs the item breakdown.
    ("brand, top 2, 3 items", {"funnel": {"breakdown": "brand", "top_n": 2, "item_limit": 3}}),
    ("item breakdown, top 3", {"funnel": {"breakdown": "item", "top_n": 3, "item_limit": 2}}),
    ("no breakdown, no items", {"funnel": {"breakdown": "none", "item_limit": 0}}),
]
SPARK_RUNS |= {"item breakdown, top 3"}
# The funnel's breakdown and items over `synthetic_category_events` (numeric category ids titled by
# the log's names, missing groups tied with named ones): (label, options, Spark runs it).
CATEGORY_RUNS = [
    ("category names", {"funnel": {"top_n": 5, "item_limit": 6}}, True),
    ("brands, distinct", {"funnel": {"breakdown": "brand", "top_n": 4, "mode": "distinct"}}, False),
    ("items, 1 h window", {"funnel": {"breakdown": "item", "top_n": 6, "window_seconds": 3600}}, False),
]
# The A/B readout (DEFINITIONS §9) with groups chosen: (label, options, fixtures or synthetic logs,
# the files Spark runs too). The default run reads ab_variant_events.csv's own groups (B better); the
# synthetic logs (`synthetic_ab_events`) add the continued-fraction p-value, several experiments, a
# group without conversions and a control named A. Spark runs three: the default pair with the
# series p-value (default run), named groups with the continued fraction (checkout), two items with
# the sample size (items); the others change a literal or the data of the same constructs.
AB_RUNS = [
    ("variants swapped", {"ab": {"by": "variant", "a": "test", "b": "control"}}, EVENT_FILES, []),
    ("items 501, 502", {"ab": {"by": "item", "a": "501", "b": "502"}}, EVENT_FILES, ["ab_item_events.csv"]),
    ("goal cart", {"ab": {"goal": "product_added_to_cart"}}, ["ab_variant_events.csv"], []),
    ("unknown goal", {"ab": {"goal": "no such event"}}, ["ab_variant_events.csv"], []),
    ("periods 2024-06", {"ab": {"by": "period", "a_from": "2024-05-31", "a_to": "2024-06-04",
                                "b_from": "2024-06-05", "b_to": "2024-06-09"}}, ["ab_variant_events.csv"], []),
    ("periods 2019-10", {"ab": {"by": "period", "a_from": "2019-10-01", "a_to": "2019-10-01",
                                "b_from": "2019-10-02", "b_to": "2019-10-03"}}, ["rees46_events.csv"], []),
    ("periods 2017-11", {"ab": {"by": "period", "a_from": "2017-11-25", "a_to": "2017-11-29",
                                "b_from": "2017-11-30", "b_to": "2017-12-04"}}, ["tianchi_userbehavior.csv"], []),
    ("default pair", {}, ["synthetic_ab_experiments.csv", "synthetic_ab_groups.csv"], []),
    ("checkout", {"ab": {"by": "variant", "a": "checkout-2024 / control", "b": "checkout-2024 / treatment"}},
     ["synthetic_ab_experiments.csv"], ["synthetic_ab_experiments.csv"]),
    ("checkout swapped", {"ab": {"by": "variant", "a": "checkout-2024 / treatment", "b": "checkout-2024 / control"}},
     ["synthetic_ab_experiments.csv"], []),
    ("groups B, C", {"ab": {"by": "variant", "a": "B", "b": "C"}}, ["synthetic_ab_groups.csv"], []),
]
# The promotion readout again with a campaign window in the options (the script's constants), per
# order file inside its data: with the default baseline, a year earlier, and a baseline window of
# the user's that overlaps the campaign. Spark runs the proposals (the default run on the files where
# the engine finds a peak, and the long synthetic history) and one chosen window: a year before over
# the long history (29 February's baseline), the script's path without proposals.
PROMOTION_RUNS = ["chosen window", "year before", "chosen baseline"]
PROMOTION_SPARK_RUNS = {("year before", "synthetic_promotion_orders.csv")}
SPARK_RUNS |= {"long history"}
# The action list (DEFINITIONS §11) again with thresholds that make every rule the script writes fire
# (refund spike from 2 paid orders at 1.25× the shop's rate: the floating-point comparison; ride a
# riser at any measured growth under 60 days of cover; restock under 30 days). A script of the action
# list plans the KPI, RFM, products and stock steps at once (seconds of Spark planning each), so Spark
# runs four of these option runs (and every file with the defaults): these thresholds over the synthetic shop and its
# SKU list, where the four order rules fire, the shop with a behaviour log whose last day's
# add-to-cart rate drops (fix a funnel step), in one file and in two (read as one log), and the shop
# with a traffic export whose last day's payment rate drops; DuckDB runs every file with both.
ACTION_OPTIONS = {"actions": {"lead_time_days": 30, "refund_rate_multiple": 1.25, "min_paid_orders": 2,
                              "riser_growth": -1.0, "riser_cover_days": 60}}


def promotion_options(label: str, first: str, last: str, name: str) -> dict:
    """A campaign window a third of the way into the file's paid days (a quarter of them long, at
    least one day), and the baseline of the run `label`. The long synthetic history gets a campaign
    from 29 February, whose year-earlier baseline starts on 28 February."""
    from datetime import date, timedelta
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    n = (b - a).days + 1
    start = a + timedelta(days=n // 3)
    campaign = {"from": str(start), "to": str(start + timedelta(days=max(1, n // 4) - 1))}
    if name == "synthetic_promotion_orders.csv" and label == "year before":
        campaign = {"from": "2024-02-29", "to": "2024-03-02"}
    baseline = {"chosen window": "before", "year before": "year_before",
                "chosen baseline": {"from": first, "to": str(a + timedelta(days=n // 2))}}[label]
    return {"promotion": {"campaign": campaign, "baseline": baseline}}


def synthetic_promotion_orders(path: Path) -> None:
    """A year and a half of a shop's orders (Shopify-like lines) drawn from a fixed seed, with the
    peaks a readout is about: 618 and 双11 seasons, 双12, a 3.8 spike, a quiet Spring Festival, a
    day without orders; a customer pool so that new buyers come and some come back; products that
    sell mostly in campaigns; refunds. It gives the peak rule many days and several proposals."""
    import csv
    import random
    from datetime import date, timedelta
    rng = random.Random(7)
    skus = [(f"P{i:02d}", price) for i, price in
            enumerate([19.90, 29.90, 29.90, 49.00, 99.00, 9.90, 15.50, 120.00, 66.60, 5.00, 12.00, 12.00,
                              39.00, 0.00, 8.80, 250.00], 1)]
    header = ["Name", "Email", "Financial Status", "Paid at", "Total", "Created at", "Lineitem quantity",
              "Lineitem name", "Lineitem price", "Lineitem sku", "Refunded Amount"]
    boost = {(6, d): 3 + (d >= 16) * 3 for d in range(1, 19)}
    boost.update({(11, d): 2 for d in range(1, 12)} | {(11, 11): 8, (12, 12): 5, (3, 8): 4, (3, 7): 3})
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        n = 0
        day = date(2023, 1, 1)
        while day <= date(2024, 7, 10):
            quiet = date(2024, 2, 8) <= day <= date(2024, 2, 17) or day == date(2023, 9, 9)
            orders = 0 if day == date(2023, 9, 9) else rng.randint(1, 4) * (1 if not quiet else 0) + rng.randint(0, 1)
            orders *= boost.get((day.month, day.day), 1)
            for _ in range(orders):
                n += 1
                campaign = (day.month, day.day) in boost
                pool = 60 + (day - date(2023, 1, 1)).days // 3
                customer = f"c{rng.randrange(pool):04d}@example.com"
                lines = [(rng.choice(skus[:12] if not campaign else skus), rng.randint(1, 2))
                         for _ in range(rng.choice([1, 1, 1, 2, 3]))]
                total = sum(round(price * 100) * q for (_, price), q in lines) + rng.choice([0, 0, 600, 1000])
                status = rng.choices(["paid", "refunded", "partially_refunded", "pending"], [85, 4, 5, 6])[0]
                refund = {"refunded": total, "partially_refunded": total // 3}.get(status, 0)
                stamp = f"{day} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00 +0800"
                for i, ((sku, price), q) in enumerate(lines):
                    first = i == 0
                    w.writerow([f"#{1000 + n}", customer if first else "", status if first else "",
                                stamp if first and status != "pending" else "", f"{total / 100:.2f}" if first else "",
                                stamp, q, f"Item {sku}", f"{price:.2f}", sku, f"{refund / 100:.2f}" if first else ""])
            day += timedelta(days=1)


def synthetic_funnel_events(path: Path, drop: bool) -> None:
    """Five weeks of a shop's behaviour log drawn from a fixed seed, for the action list's fix a funnel
    step (DEFINITIONS §11): every day some sixty visits (returning users among new ones) view items,
    some add to cart and some of those buy (Tianchi's pv / cart / buy, with a few fav and other
    names), a few chains crossing midnight (each day's funnel is that day's events alone). With `drop`
    the last day's add-to-cart rate falls to a third of its usual rate, so the rule fires on view →
    cart; without, every step converts better on the last day than usual: the rule is quiet."""
    import csv
    import random
    from datetime import datetime, timedelta
    rng = random.Random(11 if drop else 12)
    start = datetime(2024, 5, 1)
    days = 35
    rows = []
    for day in range(days):
        last = day == days - 1
        to_cart, to_buy = (0.12, 0.5) if last and drop else (0.62, 0.8) if last else (0.35, 0.5)
        for _ in range(rng.randint(45, 75)):
            user = f"v{rng.randrange(400):04d}"
            late = not last and rng.random() < 0.05
            t = start + timedelta(days=day, seconds=86400 - rng.randint(60, 900) if late else rng.randrange(86400 - 4000))
            for _ in range(rng.randint(1, 3)):
                rows.append((t, "pv", user))
                t += timedelta(seconds=rng.randint(5, 300))
            if rng.random() < 0.1:
                rows.append((t, rng.choice(["fav", "search"]), user))
            if rng.random() < to_cart:
                t += timedelta(seconds=rng.randint(5, 900))
                rows.append((t, "cart", user))
                if rng.random() < to_buy:
                    t += timedelta(seconds=rng.randint(0, 1200))
                    rows.append((t, "buy", user))
    rows.sort(key=lambda r: r[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "item_id", "behavior_type", "event_time"])
        for t, name, user in rows:
            w.writerow([user, 9000 + rng.randrange(30), name, t.strftime("%Y-%m-%d %H:%M:%S")])



def synthetic_category_events(path: Path) -> None:
    """Three weeks of a shop's behaviour log with category and brand columns, drawn from a fixed seed,
    for the funnel's breakdown and per-item funnels (DEFINITIONS §5): 300 users view, cart and buy
    40 items of 8 categories and 7 brands. The shop's tracking wrote the category's name (女装/连衣裙 …)
    until day 10 and the platform's numeric id (1702 …) after it, for the same items: an id is titled
    by the name its items were first written with; id 1999 (written as an id only) names none. Item
    640 is written under 男装/衬衫 and 644 under 男装/T恤 before day 10 and both under id 1850 after it
    with as many events each (the tie goes to the name first seen). Three users view only, without an
    item, brand or category, and three others view brand Zeta's item 699 (category 女装/半身裙): each
    missing group ties with named ones (and comes after them)."""
    import csv
    import random
    from datetime import datetime, timedelta
    rng = random.Random(33)
    categories = [("女装/连衣裙", "1702"), ("女装/休闲裤", "1703"), ("男装/衬衫", "1801"), ("男装/T恤", "1802"),
                  ("鞋/运动鞋", "2101"), ("包/双肩包", "2203"), ("家居/收纳", "1999"), ("美妆/口红", "3050")]
    brands = ["Acme", "Borealis", "Cirrus", "Dune", "Ember", "Fjord", "Gale"]
    items = {600 + i: (categories[i % 8], brands[rng.randrange(7)]) for i in range(40)}
    start = datetime(2024, 4, 1)
    rows = []
    for u in range(300):
        user = f"c{u:04d}"
        t = start + timedelta(seconds=rng.randrange(0, 20 * 86400))
        for _ in range(rng.randint(1, 4)):
            item = 600 + min(int(rng.expovariate(0.08)), 39)
            (name, code), brand = items[item]
            for kind, p in (("view", 1.0), ("cart", 0.35), ("purchase", 0.5)):
                if kind != "view" and rng.random() >= p:
                    break
                t += timedelta(seconds=rng.choice([0, 20, 300, 3000, 90000, 8 * 86400]))
                late = t >= start + timedelta(days=10) or name == "家居/收纳"
                rows.append((t, kind, item, code if late else name, brand, user))
            t += timedelta(seconds=rng.randrange(3600, 5 * 86400))
    for n, item, name in ((0, 640, "男装/衬衫"), (1, 644, "男装/T恤")):
        for k in range(3):
            rows.append((start + timedelta(days=1, seconds=n), "view", item, name, "Acme", f"t{n}{k}"))
            rows.append((start + timedelta(days=15, seconds=k), "view", item, "1850", "Acme", f"t{n}{k}"))
    for k in range(3):
        rows.append((start + timedelta(days=5, seconds=k), "view", "", "", "", f"m{k}"))
        rows.append((start + timedelta(days=5, seconds=k), "view", 699, "女装/半身裙", "Zeta", f"z{k}"))
    rows.sort(key=lambda r: (r[0], r[5]))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event_time", "event_type", "product_id", "category", "brand", "user_id"])
        for t, name, item, category, brand, user in rows:
            w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), name, item, category, brand, user])

def split_funnel_log(path: Path, first: Path, second: Path, by: str) -> None:
    """The behaviour log of `synthetic_funnel_events` in two files, as a shop exports it in parts: by
    user (even user numbers in the first) or by day (even days since 1970 in the first, so that the
    chains crossing midnight cross files and a returning user is in both). The second file's columns
    are in another order, read by its own mapping. The engine reads the two as one log."""
    import csv
    from datetime import date
    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    def first_part(row: list[str]) -> bool:
        if by == "user":
            return int(row[0][1:]) % 2 == 0
        return date.fromisoformat(row[3][:10]).toordinal() % 2 == 0
    order = [3, 2, 0, 1]
    with first.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header] + [r for r in rows if first_part(r)])
    with second.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[c[i] for i in order] for c in [header] + [r for r in rows if not first_part(r)]])


def split_item_log(path: Path, first: Path, second: Path) -> None:
    """The item log of `synthetic_item_events` in two files, row by row alternately: a user's views
    and purchases of one item fall in both files, so distinct viewers and buyers count a user once
    only when the two are read as one log (as the engine reads them). The second file has its
    columns in reverse order, read by its own mapping."""
    import csv
    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    with first.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header] + rows[0::2])
    with second.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([r[::-1] for r in [header] + rows[1::2]])


def synthetic_shop_traffic(path: Path, first: str, last: str) -> None:
    """A 生意参谋-like shop daily report (统计日期, 访客数, 浏览量, 加购人数, 支付买家数, 支付金额) drawn from a
    fixed seed, one row a day from `first` to `last`: a few hundred visitors a day, more around the
    618 and 双11 seasons, for the promotion readout's traffic decomposition (DEFINITIONS §7)."""
    import csv
    import random
    from datetime import date, timedelta
    rng = random.Random(13)
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["统计日期", "访客数", "浏览量", "加购人数", "支付买家数", "支付金额"])
        while day <= end:
            season = 2.5 if (day.month, day.day) >= (6, 1) and (day.month, day.day) <= (6, 18) else \
                3.0 if (day.month, day.day) >= (11, 1) and (day.month, day.day) <= (11, 11) else 1.0
            visitors = int(rng.randint(250, 420) * season)
            w.writerow([str(day), visitors, visitors * rng.randint(2, 4), visitors // rng.randint(6, 9),
                        rng.randint(2, 12), f"{rng.randint(10000, 90000) / 100:.2f}"])
            day += timedelta(days=1)


def synthetic_funnel_traffic(path: Path, drop: bool) -> None:
    """Five weeks of 生意参谋 traffic drawn from a fixed seed, for the action list's fix a funnel step
    from traffic rows (DEFINITIONS §11): with `drop`, a shop daily report (统计日期, 访客数, 浏览量,
    加购人数, 支付买家数, 支付金额, a 合计 row below) whose last day's payment rate (buyers / cart users)
    falls to a third of its usual rate, so the rule fires on cart users → buyers; without, a 商品效果
    export (item rows only: 商品ID, 商品名称, 商品访客数, 商品加购人数, 支付买家数; some items missing on
    some days, a blank count) summed over items, every step converting better on the last day: the
    rule is quiet."""
    import csv
    import random
    from datetime import date, timedelta
    rng = random.Random(17 if drop else 18)
    start, days = date(2024, 5, 1), 35
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if drop:
            w.writerow(["统计日期", "访客数", "浏览量", "加购人数", "支付买家数", "支付金额"])
            totals = [0, 0, 0, 0]
            for day in range(days):
                last = day == days - 1
                visitors = rng.randint(280, 460)
                cart = int(visitors * rng.uniform(0.11, 0.16))
                buyers = int(cart * (rng.uniform(0.10, 0.14) if last else rng.uniform(0.35, 0.5)))
                row = [visitors, visitors * rng.randint(2, 4), cart, buyers]
                totals = [a + b for a, b in zip(totals, row)]
                w.writerow([str(start + timedelta(days=day)), f"{visitors:,}", *row[1:],
                            f"{buyers * rng.randint(6000, 12000) / 100:.2f}"])
            w.writerow(["合计", *totals, ""])
        else:
            w.writerow(["统计日期", "商品ID", "商品名称", "商品访客数", "商品加购人数", "支付买家数"])
            for day in range(days):
                last = day == days - 1
                for item in range(6):
                    if rng.random() < 0.15:
                        continue
                    visitors = rng.randint(20, 90)
                    cart = int(visitors * rng.uniform(0.25, 0.3) if last else visitors * rng.uniform(0.1, 0.2))
                    buyers = int(cart * (rng.uniform(0.6, 0.7) if last else rng.uniform(0.3, 0.5)))
                    w.writerow([str(start + timedelta(days=day)), 600100 + item, f"商品 {item + 1}", visitors,
                                "" if not last and rng.random() < 0.05 else cart, buyers])


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
    data = f["data"]
    parts: dict[str, list[dict]] = {}
    for r in rows:
        parts.setdefault(r["part"], []).append(r)
    steps = data["steps"]
    got = {r["step"]: r for r in parts.pop("step", [])}
    bad = []
    for i, s in enumerate(steps, 1):
        r = got.get(i)
        if r is None:
            bad.append(f"step {i} missing in SQL")
            continue
        if not same(s["count"], r["users"]):
            bad.append(f"step {i} users: engine {s['count']} SQL {r['users']}")
        bad += [f"step {i} {k}: engine {s[k]} SQL {r[k]}"
                for k in ["conversion_from_previous", "overall_conversion", "drop_off"] if not same(s[k], r[k])]
    if len(got) != len(steps):
        bad.append(f"SQL has {len(got)} steps, engine {len(steps)}")
    for part, compare in FUNNEL_PARTS.items():
        bad += compare(data, parts.pop(part, []))
    bad += [f"SQL part {part!r}: not compared" for part in parts]
    return bad


# The funnel script's parts besides its steps, each compared with the report's by its function
# (data: the report's funnel data; rows: the script's rows of that part).
FUNNEL_PARTS: dict = {}


def compare_funnel_names(data: dict, rows: list[dict]) -> list[str]:
    """Every event name in the report's order, with its events, users, meaning and step."""
    want = [(n["name"], n["events"], n["users"], n["meaning"], None if n["step"] is None else n["step"] + 1)
            for n in data["event_names"]]
    got = [(r["grp"], r["events"], r["users"], r["label"], r["step"]) for r in sorted(rows, key=lambda r: r["position"])]
    if [r["position"] for r in sorted(rows, key=lambda r: r["position"])] != list(range(1, len(rows) + 1)):
        return ["event names: positions are not 1 … n"]
    if len(want) != len(got):
        return [f"event names: engine {len(want)} SQL {len(got)}"]
    return [f"event name {i}: engine {w} SQL {g}" for i, (w, g) in enumerate(zip(want, got), 1) if w != g][:6]


def compare_funnel_users(data: dict, rows: list[dict]) -> list[str]:
    """Users with any event (0 and no row for traffic rows, which have no users)."""
    if data["source"] != "events":
        return [] if not rows else [f"users: SQL has {len(rows)} rows for a traffic funnel"]
    if len(rows) != 1 or rows[0]["users"] != data["users"]:
        return [f"users: engine {data['users']} SQL {[r['users'] for r in rows]}"]
    return []


FUNNEL_PARTS["event_name"] = compare_funnel_names
FUNNEL_PARTS["users"] = compare_funnel_users


def compare_funnel_trend(data: dict, rows: list[dict]) -> list[str]:
    """The trend (task A): per period of the trend grain, oldest first, the users per step and the
    overall conversion, on one row per (period, step) with the period's order as `position`."""
    bad = []
    periods: dict[int, list[dict]] = {}
    for r in rows:
        periods.setdefault(r["position"], []).append(r)
    got = [sorted(periods[p], key=lambda r: r["step"]) for p in sorted(periods)]
    want = data["trend"]
    if len(got) != len(want):
        bad.append(f"trend: engine {len(want)} periods, SQL {len(got)}")
    for i, (w, g) in enumerate(zip(want, got), 1):
        name = w["period"]
        if g[0]["position"] != i:
            bad.append(f"trend {name}: position {g[0]['position']}, not {i}")
        labels = {r["period"] for r in g}
        if labels != {name}:
            bad.append(f"trend period {i}: engine {name} SQL {sorted(labels, key=str)}")
        steps = [r["step"] for r in g]
        if steps != list(range(1, len(w["counts"]) + 1)):
            bad.append(f"trend {name}: SQL steps {steps}, engine {len(w['counts'])}")
        for r in g:
            k = r["step"]
            if 1 <= k <= len(w["counts"]) and not same(w["counts"][k - 1], r["users"]):
                bad.append(f"trend {name} step {k} users: engine {w['counts'][k - 1]} SQL {r['users']}")
            if not same(w["overall_conversion"], r["overall_conversion"]):
                bad.append(f"trend {name} step {k} overall_conversion: engine {w['overall_conversion']} "
                           f"SQL {r['overall_conversion']}")
    return bad


def compare_funnel_time(data: dict, rows: list[dict]) -> list[str]:
    """Time to convert (task A): per step 2 … k (sequential mode; none in distinct mode) each of the
    eight buckets' label, inclusive upper bound and users, in bucket order (`position`), and the
    step's median (the lower middle of its users' times) on each of its rows."""
    bad = []
    by_step: dict[int, list[dict]] = {}
    for r in rows:
        by_step.setdefault(r["step"], []).append(r)
    want = {i: t for i, t in enumerate(data["time_to_convert"], 2)}
    bad += [f"time to convert step {k}: SQL has it, engine not" for k in by_step if k not in want]
    for k, t in want.items():
        g = sorted(by_step.get(k, []), key=lambda r: r["position"])
        if [r["position"] for r in g] != list(range(1, len(t["buckets"]) + 1)):
            bad.append(f"time to convert step {k}: SQL buckets {[r['position'] for r in g]}, "
                       f"engine {len(t['buckets'])}")
            continue
        if not same(t["users"], sum(r["users"] for r in g)):
            bad.append(f"time to convert step {k} users: engine {t['users']} SQL {sum(r['users'] for r in g)}")
        for w, r in zip(t["buckets"], g):
            where = f"time to convert step {k} {w['label']}"
            if r["label"] != w["label"]:
                bad.append(f"{where} label: SQL {r['label']}")
            bad += [f"{where} {f}: engine {w[f]} SQL {r[f]}" for f in ["upper_seconds", "users"]
                    if not same(w[f], r[f])]
            if not same(t["median_seconds"], r["median_seconds"]):
                bad.append(f"{where} median_seconds: engine {t['median_seconds']} SQL {r['median_seconds']}")
    return bad


FUNNEL_PARTS["trend"] = compare_funnel_trend
FUNNEL_PARTS["time_to_convert"] = compare_funnel_time


def funnel_group_rows(rows: list[dict], what: str) -> tuple[list[list[dict]], list[str]]:
    """A sub-funnel part's rows (one per group and step) as one list per group in `position` order,
    each by step; the positions must be 1, 2, … and every group must have steps 1 … k."""
    by: dict[int, list[dict]] = {}
    for r in rows:
        by.setdefault(r["position"], []).append(r)
    bad = []
    if sorted(by) != list(range(1, len(by) + 1)):
        bad.append(f"{what} positions {sorted(by)}")
    groups = [sorted(by[p], key=lambda r: r["step"]) for p in sorted(by)]
    for g in groups:
        if [r["step"] for r in g] != list(range(1, len(g) + 1)):
            bad.append(f"{what} {g[0]['grp']}: steps {[r['step'] for r in g]}")
    return groups, bad


def compare_funnel_breakdown(data: dict, rows: list[dict]) -> list[str]:
    """The breakdown rows in order: kind, group, title, groups, users per step, overall conversion."""
    want = data["breakdown"]
    got, bad = funnel_group_rows(rows, "breakdown")
    if len(got) != len(want):
        bad.append(f"breakdown: engine {len(want)} rows SQL {len(got)}")
    for i, (w, g) in enumerate(zip(want, got), 1):
        r = g[0]
        for field, value in (("kind", w["kind"]), ("grp", w["group"]), ("title", w["title"])):
            if r[field] != value or any(x[field] != value for x in g):
                bad.append(f"breakdown row {i} {field}: engine {value!r} SQL {r[field]!r}")
        if not same(w["groups"], r["groups"]):
            bad.append(f"breakdown row {i} groups: engine {w['groups']} SQL {r['groups']}")
        users = [x["users"] for x in g]
        if len(users) != len(w["counts"]) or not all(same(a, b) for a, b in zip(w["counts"], users)):
            bad.append(f"breakdown row {i} ({w['group']}) counts: engine {w['counts']} SQL {users}")
        if not all(same(w["overall_conversion"], x["overall_conversion"]) for x in g):
            bad.append(f"breakdown row {i} overall: engine {w['overall_conversion']} SQL {r['overall_conversion']}")
    return bad


def compare_funnel_items(data: dict, rows: list[dict]) -> list[str]:
    """The per-item funnels in order: item, title, users per step, overall and item conversion."""
    want = data["items"]
    got, bad = funnel_group_rows(rows, "item")
    if len(got) != len(want):
        bad.append(f"items: engine {len(want)} SQL {len(got)}")
    for i, (w, g) in enumerate(zip(want, got), 1):
        r = g[0]
        for field, value in (("grp", w["item"]), ("title", w["title"])):
            if any(x[field] != value for x in g):
                bad.append(f"item {i} {field}: engine {value!r} SQL {r[field]!r}")
        users = [x["users"] for x in g]
        if len(users) != len(w["counts"]) or not all(same(a, b) for a, b in zip(w["counts"], users)):
            bad.append(f"item {w['item']} counts: engine {w['counts']} SQL {users}")
        for field in ("overall_conversion", "item_conversion"):
            if not all(same(w[field], x[field]) for x in g):
                bad.append(f"item {w['item']} {field}: engine {w[field]} SQL {r[field]}")
    return bad


FUNNEL_PARTS["breakdown"] = compare_funnel_breakdown
FUNNEL_PARTS["item"] = compare_funnel_items

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
    # The scorecard (潜力 / 可执行 / 风险): the figures behind it, then each dimension's score and every
    # component's value and percentile, in the engine's component order.
    bad += compare_rows(products, got, "key", ["item_conversion", "unit_cost", "gross_profit", "margin", "stock",
                                               "stock_cover_days"])
    # With a behaviour log or an item traffic export beside the orders, item conversion is really read:
    # several products have one, and the SQL has every one the engine has.
    if any(load.get("kind") in ("events", "traffic") for load in report.get("loads", [])):
        converted = [x["key"] for x in products if x["item_conversion"] is not None]
        if len(converted) < 3:
            bad.append(f"item conversion: the engine has it for {len(converted)} products only")
        if [r["key"] for r in rows if r["item_conversion"] is not None] != converted:
            bad.append("item conversion: not the engine's products")
    for x in products:
        r = got.get(x["key"])
        if r is None:
            continue
        for dim, names in SCORECARD.items():
            detail = x["scorecard"][dim]
            if [c["name"] for c in detail["components"]] != names:
                bad.append(f"{x['key']} {dim} components: engine {[c['name'] for c in detail['components']]}")
                continue
            if not same(detail["score"], r[f"{dim}_score"]):
                bad.append(f"{x['key']} {dim} score: engine {detail['score']} SQL {r[f'{dim}_score']}")
            for c in detail["components"]:
                for what, col in (("value", c["name"]), ("percentile", f"{c['name']}_percentile")):
                    if not same(c[what], r[col]):
                        bad.append(f"{x['key']} {dim} {c['name']} {what}: engine {c[what]} SQL {r[col]}")
    return bad


SCORECARD = {"potential": ["growth", "item_conversion", "repeat_buyer_rate"],
             "feasibility": ["margin", "stock_cover_days", "avg_selling_price"],
             "risk": ["refund_rate", "top_buyer_share", "stock_out"]}


def compare_ab(report: dict, rows: list[dict]) -> list[str]:
    """The groups' labels, exposures and conversions, the users in both; CR, Wilson and Newcombe
    intervals, difference, lift, z and p-value to 1e-12 relative; the verdict and the sample size
    exactly. No readout in the engine (no pair of groups, no group on any event, a goal the log lacks)
    is no row in SQL."""
    ab = report["ab"]
    if ab["status"] != "ready":
        if ab["reason"]["code"] in ("no_ab_groups", "no_ab_variants", "unknown_goal") and not rows:
            return []
        return [f"engine ab unavailable: {ab['reason']['code']}"]
    if len(rows) != 1:
        return [f"SQL gave {len(rows)} rows"]
    data, r = ab["data"], rows[0]
    st = data["stats"]
    bad = []
    for key, want in [("grouped_by", data["by"]), ("goal", data["goal"]), ("label_a", data["a"]["label"]),
                      ("label_b", data["b"]["label"]), ("verdict", st["verdict"])]:
        if r[key] != want:
            bad.append(f"{key}: engine {want} SQL {r[key]}")
    pairs = [("exposures_a", data["a"]["exposures"]), ("conversions_a", data["a"]["conversions"]),
             ("exposures_b", data["b"]["exposures"]), ("conversions_b", data["b"]["conversions"]),
             ("in_both", data["in_both"]), ("needed_per_group", st["needed_per_group"])]
    for key in ["cr_a", "cr_b", "difference", "relative_lift", "z", "p_value"]:
        pairs.append((key, st[key]))
    for key, interval in [("a", "interval_a"), ("b", "interval_b"), ("difference", "difference_interval")]:
        lower, upper = st[interval] or (None, None)
        pairs += [(f"lower_{key}" if key != "difference" else "difference_lower", lower),
                  (f"upper_{key}" if key != "difference" else "difference_upper", upper)]
    bad += [f"{key}: engine {want} SQL {r[key]}" for key, want in pairs if not same(want, r[key])]
    return bad


def compare_promotion(report: dict, rows: list[dict]) -> list[str]:
    """Every figure of the §7 readout: the data's first and last day; the three windows (dates,
    length, covered days, source); the proposals when the script proposed the window; each §2 metric
    per window, per covered day and the changes (visitors and conversion rate with a traffic export
    beside the orders); the orders decomposition and the traffic one (factors, shares,
    contributions); new buyers; refunds; the product lift in the engine's order with the top gainers
    and losers. Cents and counts exactly, ratios by `same`."""
    p = report["promotion"]
    if p["status"] != "ready":
        # The script reproduces the refusals it can see in the data (no paid order, no peak) with
        # no rows.
        if p["reason"]["code"] in ("no_orders", "no_paid_orders", "no_peak") and not rows:
            return []
        return [f"engine promotion unavailable: {p['reason']['code']} (SQL gave {len(rows)} rows)"]
    data = p["data"]
    part = lambda name: [r for r in rows if r["part"] == name]  # noqa: E731
    exact = lambda a, b: (a is None and b is None) or (a is not None and b is not None and float(a) == float(b))  # noqa: E731
    bad = []
    (span,) = part("data") or [None]
    if span is None or (span["from_day"], span["to_day"]) != (data["data_first_day"], data["data_last_day"]):
        bad.append(f"data span: engine {data['data_first_day']}…{data['data_last_day']} SQL {span}")
    windows = {r["name"]: r for r in part("window")}
    sources = {"baseline": data["baseline_source"], "campaign": data["campaign_source"], "after": None}
    for name in ("baseline", "campaign", "after"):
        w, r = data[name], windows.get(name)
        if r is None:
            bad.append(f"window {name}: missing in SQL")
            continue
        bad += [f"window {name} {k}: engine {w[k]} SQL {r[k]}" for k in ("from", "to", "days", "covered_days")
                if w[k] != r[{"from": "from_day", "to": "to_day"}.get(k, k)]]
        if r["note"] != sources[name]:
            bad.append(f"window {name} source: engine {sources[name]} SQL {r['note']}")
    proposals = part("proposal")
    if data["campaign_source"] == "proposed":
        if len(proposals) != len(data["proposals"]):
            bad.append(f"SQL has {len(proposals)} proposals, engine {len(data['proposals'])}")
        for i, (w, r) in enumerate(zip(data["proposals"], proposals), 1):
            bad += [f"proposal {i} {k}: engine {w[k]} SQL {r[k]}" for k in ("from", "to", "days", "gmv", "excess_gmv",
                                                                          "peak_day", "peak_ratio")
                    if not (w[k] == r[{"from": "from_day", "to": "to_day"}.get(k, k)] if isinstance(w[k], str)
                            else same(w[k], r[{"from": "from_day", "to": "to_day"}.get(k, k)]))]
    metrics = {r["name"]: r for r in part("metric")}
    for w in data["rows"]:
        r = metrics.get(w["metric"])
        if w["metric"] in ("visitors", "conversion_rate") and r is None:
            # Traffic: without a traffic export beside the orders the script leaves it out, and the
            # engine has none.
            if any(w[k] is not None for k in ("baseline", "campaign", "after")):
                bad.append(f"metric {w['metric']}: the engine has traffic figures")
            continue
        if r is None:
            bad.append(f"metric {w['metric']}: missing in SQL")
            continue
        if r["note"] != w["unit"]:
            bad.append(f"metric {w['metric']} unit: engine {w['unit']} SQL {r['note']}")
        for k in ("baseline", "campaign", "after", "change", "after_change", "baseline_per_day", "campaign_per_day",
                  "after_per_day", "change_per_day", "after_change_per_day"):
            totals = w["additive"] and k in ("baseline", "campaign", "after")
            if not (exact if totals else same)(w[k], r[k]):
                bad.append(f"metric {w['metric']} {k}: engine {w[k]} SQL {r[k]}")
    traffic_rows = 0 if "visitors" in metrics else 2
    if len(metrics) != len(data["rows"]) - traffic_rows:
        bad.append(f"SQL has {len(metrics)} metrics, engine {len(data['rows'])} ({traffic_rows} of traffic)")
    # The orders decomposition; the traffic one (visitors × conversion rate × 客单价) where a traffic
    # export beside the orders covers both windows, else none in either.
    for which, shown in (("orders", "decomposition"), ("traffic", "traffic_decomposition")):
        dec, factors = data["decomposition"][which], part(shown)
        if dec is None:
            if factors:
                bad.append(f"{shown}: engine none, SQL {len(factors)} factors")
            continue
        if [r["name"] for r in factors] != [f["factor"] for f in dec["factors"]]:
            bad.append(f"{shown} factors: engine {[f['factor'] for f in dec['factors']]} "
                       f"SQL {[r['name'] for r in factors]}")
        for f, r in zip(dec["factors"], factors):
            bad += [f"{shown} {f['factor']} {k}: engine {f[k]} SQL {r[k]}"
                    for k in ("baseline", "campaign", "share", "contribution") if not same(f[k], r[k])]
            if r["note"] != dec["undefined"]:
                bad.append(f"{shown} {f['factor']} undefined: engine {dec['undefined']} SQL {r['note']}")
        gmv = metrics.get("gmv", {})
        if not (exact(dec["gmv_baseline"], gmv.get("baseline")) and exact(dec["gmv_campaign"], gmv.get("campaign"))):
            bad.append(f"{shown} GMV differs from the gmv metric")
    for name, want, text in (("new_buyers", data["new_buyers"], ("observed_until", "days_observed")),
                             ("refunds", data["refunds"], ("as_of", "refunds"))):
        got = {r["name"]: r for r in part(name)}
        for k, v in want.items():
            if k == text[0]:
                if got.get(text[1], {}).get("note") != v:
                    bad.append(f"{name} {k}: engine {v} SQL {got.get(text[1], {}).get('note')}")
                continue
            r = got.get(k)
            if r is None or not (same(v, r["value"]) if isinstance(v, float) else exact(v, r["value"])):
                bad.append(f"{name} {k}: engine {v} SQL {r and r['value']}")
        if len(got) != len(want) - 1:
            bad.append(f"{name}: SQL has {len(got)} figures, engine {len(want) - 1}")
    lift, products = data["products"], part("product")
    if [r["name"] for r in products] != [x["key"] for x in lift["products"]]:
        bad.append(f"product order: engine {[x['key'] for x in lift['products']][:5]}… SQL {[r['name'] for r in products][:5]}…")
    got = {r["name"]: r for r in products}
    columns = {"baseline_revenue": "baseline", "campaign_revenue": "campaign"}
    for w in lift["products"]:
        r = got.get(w["key"])
        if r is None:
            continue
        for k in ("baseline_revenue", "campaign_revenue", "baseline_units", "campaign_units", "baseline_per_day",
                  "campaign_per_day", "lift_per_day", "change"):
            if not (same if isinstance(w[k], float) else exact)(w[k], r[columns.get(k, k)]):
                bad.append(f"product {w['key']} {k}: engine {w[k]} SQL {r[columns.get(k, k)]}")
    for movers, rank in (("top_gainers", "top_gainer"), ("top_losers", "top_loser")):
        sql = [r["name"] for r in sorted((r for r in products if r[rank] is not None), key=lambda r: r[rank])]
        if sql != [x["key"] for x in lift[movers]]:
            bad.append(f"{movers}: engine {[x['key'] for x in lift[movers]]} SQL {sql}")
    return bad


def compare_stock(report: dict, rows: list[dict]) -> list[str]:
    """§8 over an order export and its SKU list: each product's units, d, σ, stock, days of cover,
    sell-through, reorder point, suggested order, revenue per day, risk, the forecast band (d ± z·σ,
    lower edge at 0, as the view draws it) and the window, in the report's order."""
    st = report["stock"]
    if st["status"] != "ready":
        if st["reason"]["code"] in ("no_order_lines", "no_paid_orders", "no_stock") and not rows:
            return []
        return [f"engine stock unavailable: {st['reason']['code']}"]
    data = st["data"]
    products = data["products"]
    bad = []
    if [r["key"] for r in rows] != [x["key"] for x in products]:
        bad.append(f"order: engine {[x['key'] for x in products][:6]}… SQL {[r['key'] for r in rows][:6]}…")
    want = []
    for x in products:
        band = data["z"] * x["sigma"]
        status = "demand_only" if x["stock"] is None else "no_recent_sales" if x["days_of_cover"] is None and x["units"] == 0 else "measured"
        want.append({**x, "forecast": x["daily_demand"], "forecast_low": max(x["daily_demand"] - band, 0.0),
                     "forecast_high": x["daily_demand"] + band, "cover_status": status,
                     "window_first_day": data["window"]["first_day"], "window_last_day": data["window"]["last_day"],
                     "window_days": data["window"]["days"], "z": data["z"], "lead_time_days": data["lead_time_days"],
                     "review_days": data["review_days"]})
    got = {r["key"]: r for r in rows}
    fields = ["units", "daily_demand", "sigma", "stock", "days_of_cover", "sell_through", "reorder_point",
              "suggested_order", "daily_revenue", "at_risk", "cover_status", "forecast", "forecast_low",
              "forecast_high", "window_first_day", "window_last_day", "window_days", "z", "lead_time_days",
              "review_days"]
    bad += compare_rows(want, got, "key", fields)
    # Titles: the order lines' first, else the list's (each group loads its order export first).
    bad += [f"{x['key']} title: engine {x['title']} SQL {got[x['key']]['title']}" for x in products
            if x["key"] in got and got[x["key"]]["title"] != x["title"]]
    if len(got) != len(products):
        bad.append(f"SQL has {len(got)} products, engine {len(products)}")
    return bad


def compare_breakdowns(report: dict, rows: list[dict]) -> list[str]:
    """§10: the same dimensions, each with its groups in the engine's order (GMV descending, ties by
    name, unknown last), every group's §2 KPIs and share of GMV; and the trend at each grain: the
    same series in the same order (the drawn groups, then "other"), every point's GMV, refunds,
    paid orders, units and buyers, the periods a series has no paid order in absent in SQL and 0
    in the engine. For a group (the export and the product lists loaded with it), the engine's
    report of the files together: category from the lists' 类目 / Type where the export has none,
    by the product keys of the lines (a 宝贝报表's in place of the export's summaries)."""
    b = report["breakdowns"]
    if b["status"] != "ready":
        if b["reason"]["code"] == "no_paid_orders" and not rows:
            return []
        return [f"engine breakdowns unavailable: {b['reason']['code']}"]
    bad = []
    dimensions = b["data"]["dimensions"]
    want = {d["dimension"]: d["groups"] for d in dimensions}
    got: dict[str, list[dict]] = {}
    for r in rows:
        if r["grain"] == "all":
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
    points = 0
    for d in dimensions:
        dim = d["dimension"]
        for grain, key in (("day", "daily"), ("week", "weekly"), ("month", "monthly")):
            trend = d[key]
            sql = [r for r in rows if r["dimension"] == dim and r["grain"] == grain]
            series = [(s["name"], s["unknown"], s["other"]) for s in trend["series"]]
            by_position = sorted({(r["position"], r["name"], r["unknown"], r["other"]) for r in sql})
            if [x[1:] for x in by_position] != [x for x in series if any(p["paid_orders"] for p in
                                                                          trend["series"][series.index(x)]["points"])]:
                bad.append(f"{dim} {grain} series: engine {series} SQL {[x[1:] for x in by_position]}")
                continue
            if any(x[0] != series.index(x[1:]) + 1 for x in by_position):
                bad.append(f"{dim} {grain} series positions: SQL {by_position}")
            cells = {(r["name"], r["unknown"], r["other"], r["period"]): r for r in sql}
            periods = set(trend["periods"])
            bad += [f"{dim} {grain} {k}: not a period of the engine's" for k in cells if k[3] not in periods]
            for s, key_ in zip(trend["series"], series):
                for period, p in zip(trend["periods"], s["points"]):
                    r = cells.get((*key_, period))
                    if r is None:
                        if p["gmv"] or p["refunds"] or p["paid_orders"] or p["units"] or p["buyers"]:
                            bad.append(f"{dim} {grain} {key_} {period}: missing in SQL")
                        continue
                    points += 1
                    bad += [f"{dim} {grain} {key_} {period} {f}: engine {p[f]} SQL {r[f]}"
                            for f in ("gmv", "refunds", "paid_orders", "units", "buyers") if not same(p[f], r[f])]
            if len(cells) != len(sql):
                bad.append(f"{dim} {grain}: SQL has {len(sql) - len(cells)} repeated points")
    if want and not points:
        bad.append("no trend point compared")
    return bad


# The rules the actions script writes (fix a funnel step with behaviour logs or traffic exports beside
# the orders), and each list row's fields as the script names them.
ACTION_RULES = ["restock", "win_back", "refund_spike", "fix_funnel_step", "ride_riser"]
ACTION_FIELDS = {
    "products": {"stake": "row_stake", "title": "title", "stock": "stock", "daily_demand": "daily_demand",
                 "daily_revenue": "daily_revenue", "days_of_cover": "days_of_cover", "days_short": "days_short",
                 "suggested_order": "suggested_order", "paid_orders": "paid_orders", "revenue": "revenue",
                 "refunds": "refunds", "refund_rate": "refund_rate", "growth": "growth", "quadrant": "quadrant"},
    "customers": {"segment": "segment", "last_order_day": "last_order_day", "recency_days": "recency_days",
                  "orders": "orders", "spend": "spend"},
    "steps": {"from": "from_step", "to": "to_step", "entrants": "entrants", "reached": "reached",
              "today_rate": "today_rate", "median_rate": "median_rate", "history_days": "history_days",
              "drop": "rate_drop"},
}
# Fix a funnel step's figures: on every row of its list (the action's), or on the row of the step to fix.
STEP_FIGURES = {"comparison_day": "comparison_day", "step": "fixed_step", "onward_rate": "onward_rate",
                "lost_purchases": "lost_purchases", "aov": "aov"}
STEP_ROW_FIGURES = {"today_rate": "today_rate", "median_rate": "median_rate", "entrants": "entrants"}


def step_label(step) -> str:
    """A funnel step as the engine serialises it (a code, or a step's names) in the script's words."""
    return " / ".join(step) if isinstance(step, list) else step


def compare_actions(report: dict, rows: list[dict]) -> list[str]:
    """§11: the rules the engine fired among those the script writes, in the engine's ranking, each
    with its stake to the cent and its list (product keys or customer ids) in the engine's order,
    every row's figures; a rule the engine left quiet or locked has no rows in SQL. Refund spike's
    titles are the product ranking's, which the SQL ranking does not carry: compared for restock
    and ride a riser (the stock section's titles). Fix a funnel step: every step of the funnel on the
    comparison day (entrants, reached, today's and median rate, days with a rate, drop) and the
    action's figures (the day, the step to fix and its rates and entrants, the rate onward, lost
    purchases, AOV)."""
    fired = [a for a in report["actions"]["actions"] if a["code"] in ACTION_RULES]
    bad = []
    got: dict[str, list[dict]] = {}
    for r in rows:
        got.setdefault(r["code"], []).append(r)
    ranked = sorted(got, key=lambda c: got[c][0]["action_rank"])
    if ranked != [a["code"] for a in fired]:
        bad.append(f"actions: engine {[(a['code'], a['stake']) for a in fired]} "
                   f"SQL {[(c, got[c][0]['stake']) for c in ranked]}")
    for a in fired:
        sql = got.get(a["code"], [])
        if not sql:
            continue
        if any(r["stake"] != a["stake"] for r in sql):
            bad.append(f"{a['code']} stake: engine {a['stake']} SQL {sql[0]['stake']}")
        kind, want = a["list"]["kind"], a["list"]["rows"]
        key, sql_key = {"customers": ("customer", "key"), "steps": ("index", "step_index")}.get(kind, ("key", "key"))
        if [r[sql_key] for r in sql] != [w[key] for w in want]:
            bad.append(f"{a['code']} list: engine {[w[key] for w in want][:6]}… SQL {[r[sql_key] for r in sql][:6]}…")
            continue
        if kind == "steps":
            want = [dict(w, **{"from": step_label(w["from"]), "to": step_label(w["to"])}) for w in want]
            figures = {f["name"]: f["value"] for f in a["figures"]}
            fixed = [r for r in sql if f"{r['from_step']} → {r['to_step']}" == r["fixed_step"]]
            checks = [(f, col, r) for f, col in STEP_FIGURES.items() for r in sql]
            checks += [(f, col, r) for f, col in STEP_ROW_FIGURES.items() for r in fixed[:1]]
            if len(fixed) != 1:
                bad.append(f"fix_funnel_step: {len(fixed)} rows name the step to fix ({sql[0]['fixed_step']})")
            for f, col, r in checks:
                w = figures[f]
                if not (w == r[col] if isinstance(w, str) else same(w, r[col])):
                    bad.append(f"fix_funnel_step {f}: engine {w} SQL {r[col]}")
                    break
        fields = dict(ACTION_FIELDS[kind])
        if a["code"] == "refund_spike":
            fields.pop("title")
        for w, r in zip(want, sql):
            for f, col in fields.items():
                if not (w[f] == r[col] if isinstance(w[f], str) else same(w[f], r[col])):
                    bad.append(f"{a['code']} {w[key]} {f}: engine {w[f]} SQL {r[col]}")
    return bad


COMPARE = {"kpi": compare_kpi, "kpi_series": compare_series, "cohorts": compare_cohorts,
           "rfm": compare_rfm, "products": compare_products,
           "funnel": compare_funnel, "ab": compare_ab, "promotion": compare_promotion,
           "stock": compare_stock, "breakdowns": compare_breakdowns, "actions": compare_actions}
# Sections over several files: written only for the groups below (an order export and the SKU list
# loaded beside it, analysed together), each group's scripts those of its first file.
GROUP_SECTIONS = {"stock"}
# Sections written both for each file alone and for the groups (the action list: its stock rules
# with the SKU list beside the orders; the products scorecard: cost and stock from the lists; the
# breakdowns: categories from the product list).
EITHER_SECTIONS = {"actions", "products", "breakdowns"}
# Runs of a section over groups only (section, label): the promotion readout with a shop traffic
# export beside the orders.
GROUP_RUNS = {("promotion", "traffic"), ("funnel", "traffic, two exports"), ("funnel", "titles")}
SAMPLE = FIXTURES.parent.parent / "www" / "sample"
GROUPS = [
    [FIXTURES / "stock_orders.csv", FIXTURES / "stock_skus.csv"],
    [FIXTURES / "shopify_orders.csv", FIXTURES / "shopify_products.csv"],
    [FIXTURES / "taobao_orders_gbk.csv", FIXTURES / "erp_skus.csv"],
    [FIXTURES / "tmall_sales_detail.csv", FIXTURES / "erp_skus.csv"],
    [SAMPLE / "ExportOrderList202507011030.csv", SAMPLE / "jushuitan_skus.csv"],
    # The sample as the page loads it: its 宝贝报表's lines take the place of the order export's
    # one-line summaries (宝贝标题 + 宝贝总数量).
    [SAMPLE / "ExportOrderList202507011030.csv", SAMPLE / "ExportOrderDetailList202507011030.csv",
     SAMPLE / "jushuitan_skus.csv"],
    # A Taobao order export, its SKU list (categories, costs, stock) and its 宝贝报表: the lines, their
    # categories and the scorecard's costs by the 宝贝报表's SKUs.
    [FIXTURES / "taobao_orders_gbk.csv", FIXTURES / "erp_skus.csv", FIXTURES / "taobao_items_utf8bom.csv"],
]
# An order export and its 宝贝报表, without a stock list: the sections over the order export's lines
# (DETAIL_SECTIONS) are compared on them too, the 宝贝报表's lines in place of the export's own.
DETAIL_GROUPS = [
    [FIXTURES / "taobao_orders_gbk.csv", FIXTURES / "taobao_items_utf8bom.csv"],
    [SAMPLE / "ExportOrderList202507011030.csv", SAMPLE / "ExportOrderDetailList202507011030.csv"],
]
GROUPS += DETAIL_GROUPS
DETAIL_SECTIONS = {"products", "promotion", "breakdowns"}




def run_duckdb(sql: str) -> list[dict]:
    con = duckdb.connect()
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def outcome(section: str, shown: str, name: str, dialect: str, report: dict, run) -> tuple:
    try:
        bad = COMPARE[section](report, run())
    except Exception as e:  # noqa: BLE001 — a failing script is a finding, reported
        # A Java error's first line only says which call failed; its cause is on the next one.
        lines = [line for line in str(e).splitlines() if line.strip()]
        bad = [f"{type(e).__name__}: {' '.join(lines[:2])[:600]}"]
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
        ab_logs = {"synthetic_ab_experiments.csv": Path(tmp) / "synthetic_ab_experiments.csv",
                   "synthetic_ab_groups.csv": Path(tmp) / "synthetic_ab_groups.csv"}
        synthetic_ab_events(ab_logs["synthetic_ab_experiments.csv"], experiments=True)
        synthetic_ab_events(ab_logs["synthetic_ab_groups.csv"], experiments=False)

        def located(name: str) -> str:
            return str(ab_logs.get(name, FIXTURES / name))

        # The default options over every file; then the funnel again over the behaviour logs with
        # other options (distinct mode, a short window, an unbounded window with a step of names);
        # then the A/B readout with groups chosen. Each run: (label, section, arguments, files,
        # the files Spark runs too: None for all).
        event_paths = [str(FIXTURES / n) for n in EVENT_FILES] + [str(p) for p in event_logs]
        groups = ["+".join(str(p) for p in g) for g in GROUPS]
        for g in GROUPS:
            for p in g:
                raw = p.read_bytes()
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    if p.parent == FIXTURES:
                        continue  # a copy is made above
                    copy = Path(tmp) / (p.name + ".utf8.csv")
                    copy.write_bytes(raw.decode("gb18030").encode("utf-8"))
                    sources += ["--source", f"{p}={copy}"]
        group_args = [a for g in groups for a in ("--group", g)]
        runs = [("", None, [], paths + group_args, None)] + [
            (label, "funnel", ["--section", "funnel", "--options", json.dumps(options)], event_paths,
             None if label in SPARK_RUNS else [])
            for label, options in FUNNEL_RUNS] + [
            (label, "ab", ["--section", "ab", "--options", json.dumps(options)], [located(n) for n in files],
             [located(n) for n in spark_files])
            for label, options, files, spark_files in AB_RUNS]
        if not only or "funnel" in only:
            category_log = Path(tmp) / "synthetic_category_events.csv"
            synthetic_category_events(category_log)
            runs += [(label, "funnel", ["--section", "funnel", "--options", json.dumps(options)], [str(category_log)],
                      [str(category_log)] if spark else []) for label, options, spark in CATEGORY_RUNS]
        if not only or "funnel" in only:
            # Items titled by the files beside the log (a log gives no titles): the synthetic item log
            # with the SKU list (商家编码, 商品名称) and the synthetic orders (Lineitem name) loaded after it,
            # then the same two the other way round: the first title read wins.
            titled_log = Path(tmp) / "synthetic_titled_item_events.csv"
            synthetic_item_events(titled_log)
            title_skus = Path(tmp) / "synthetic_title_skus.csv"
            synthetic_skus(title_skus)
            # Titles of its own ("Item 3" in the orders, "Listed item 3" in the list) for odd SKUs; none
            # for even ones, which the orders title whichever file comes first.
            rows = [r.split(",") for r in title_skus.read_text(encoding="utf-8").splitlines()]
            title_skus.write_text("\n".join(",".join(r) for r in rows[:1] + [
                [key, "Listed " + title.lower() if int(key[4:]) % 2 else "", stock] for key, title, stock in rows[1:]
            ]) + "\n", encoding="utf-8")
            pairs = ["--group", f"{titled_log}+{title_skus}+{synthetic}", "--group", f"{titled_log}+{synthetic}+{title_skus}"]
            runs.append(("titles", "funnel", ["--section", "funnel", "--options",
                                              json.dumps({"funnel": {"breakdown": "item", "top_n": 4, "item_limit": 5}})],
                         pairs, pairs))
        order_paths = [p for p in paths if Path(p).name not in EVENT_FILES and p not in map(str, event_logs)]
        sycm = FIXTURES / "sycm_traffic_gbk.csv"
        copy = Path(tmp) / (sycm.name + ".utf8.csv")
        copy.write_bytes(sycm.read_bytes().decode("gb18030").encode("utf-8"))
        sources += ["--source", f"{sycm}={copy}"]
        # Spark reads it in its encoding, from a copy without the four title lines above its header, as
        # the script's header tells the user to make (Spark's CSV reader cannot skip lines).
        headed = Path(tmp) / (sycm.name + ".headed.csv")
        headed.write_bytes(b"".join(sycm.read_bytes().splitlines(keepends=True)[4:]))
        spark_sources = ["--source", f"{sycm}={headed}"]
        if not only or "funnel" in only:
            # The funnel from traffic rows (no behaviour log): the 生意参谋 shop daily report and item
            # export among the fixtures (Spark reads the daily report from a copy without its title lines),
            # the synthetic item export (shop-level rows too, a count ingest cannot read), the item export
            # without shop rows (summed over items), the shop report with a 合计 row, the same with its
            # 加购人数 column empty (the step is left out); then a shop report and the item export read as
            # one, with a weekly trend and five items. Spark runs the daily report, the synthetic item export and
            # the pair.
            traffic = {n: Path(tmp) / f"synthetic_{n}.csv" for n in ("item_traffic", "traffic_drop", "traffic_quiet",
                                                                    "traffic_no_cart", "shop_traffic_spring")}
            synthetic_item_traffic(traffic["item_traffic"])
            synthetic_funnel_traffic(traffic["traffic_drop"], drop=True)
            synthetic_funnel_traffic(traffic["traffic_quiet"], drop=False)
            blank_column(traffic["traffic_drop"], traffic["traffic_no_cart"], "加购人数")
            synthetic_shop_traffic(traffic["shop_traffic_spring"], "2024-03-01", "2024-05-10")
            singles = [str(sycm), str(FIXTURES / "sycm_items.csv")] + [str(traffic[n]) for n in
                                                                      ("item_traffic", "traffic_drop", "traffic_quiet", "traffic_no_cart")]
            runs.append(("traffic", "funnel", ["--section", "funnel"], singles, [str(sycm), str(traffic["item_traffic"])]))
            pair = ["--group", f"{traffic['shop_traffic_spring']}+{traffic['item_traffic']}"]
            runs.append(("traffic, two exports", "funnel",
                         ["--section", "funnel", "--options", json.dumps({"funnel": {"trend_grain": "week", "item_limit": 5}})],
                         pair, pair))
        if not only or "actions" in only:
            skus = Path(tmp) / "synthetic_skus.csv"
            synthetic_skus(skus)
            pair = ["--group", f"{synthetic}+{skus}"]
            runs.append(("", "actions", ["--section", "actions"], pair, pair))
            runs.append(("all rules", "actions", ["--section", "actions", "--options", json.dumps(ACTION_OPTIONS)],
                         order_paths + group_args + pair, pair))
            # Fix a funnel step: the synthetic shop with a behaviour log beside it whose last day's
            # add-to-cart rate drops (the rule fires; Spark runs it), and one where it is quiet.
            logs = [Path(tmp) / "synthetic_funnel_drop.csv", Path(tmp) / "synthetic_funnel_quiet.csv"]
            synthetic_funnel_events(logs[0], drop=True)
            synthetic_funnel_events(logs[1], drop=False)
            funnel_pairs = [["--group", f"{synthetic}+{log}"] for log in logs]
            runs.append(("funnel step", "actions", ["--section", "actions"], funnel_pairs[0] + funnel_pairs[1],
                         funnel_pairs[0]))
            # The drop log in two files, read as one log as the engine reads them: split by day (chains
            # crossing midnight cross files; Spark runs it) and by user.
            halves = {by: [Path(tmp) / f"synthetic_funnel_drop_{by}_{i}.csv" for i in (1, 2)] for by in ("day", "user")}
            for by, (a, b) in halves.items():
                split_funnel_log(logs[0], a, b, by)
            split = {by: ["--group", f"{synthetic}+{a}+{b}"] for by, (a, b) in halves.items()}
            runs.append(("funnel step, two logs", "actions", ["--section", "actions"], split["day"] + split["user"],
                         split["day"]))
            # Fix a funnel step from traffic rows (no behaviour log): the synthetic shop with a shop daily
            # report whose last day's payment rate drops (Spark runs it), and with an item report where
            # every step converts better on the last day (quiet).
            traffic = [Path(tmp) / "synthetic_funnel_traffic_drop.csv", Path(tmp) / "synthetic_funnel_traffic_quiet.csv"]
            synthetic_funnel_traffic(traffic[0], drop=True)
            synthetic_funnel_traffic(traffic[1], drop=False)
            # The drop export with its 加购人数 column empty in every row: the engine's funnel has no cart
            # step, and the rule compares 访客数 → 支付买家数 (Spark runs it).
            no_cart = Path(tmp) / "synthetic_funnel_traffic_no_cart.csv"
            blank_column(traffic[0], no_cart, "加购人数")
            traffic.append(no_cart)
            traffic_pairs = [["--group", f"{synthetic}+{t}"] for t in traffic]
            # And the 生意参谋 shop daily report among the fixtures (GB18030, title lines above its header:
            # DuckDB reads a UTF-8 copy, made above; Spark cannot skip the title lines) beside the Shopify orders.
            traffic_pairs.append(["--group", f"{FIXTURES / 'shopify_orders.csv'}+{sycm}"])
            runs.append(("funnel step, traffic", "actions", ["--section", "actions"],
                         [a for p in traffic_pairs for a in p], traffic_pairs[0] + traffic_pairs[2]))
        if not only or "products" in only:
            lists = [Path(tmp) / "synthetic_costs.csv", Path(tmp) / "synthetic_cost_updates.csv"]
            synthetic_cost_lists(*lists)
            trio = ["--group", "+".join(str(p) for p in [synthetic, *lists])]
            runs.append(("", "products", ["--section", "products"], trio, trio))
            # Item conversion (潜力): the synthetic shop with a behaviour log whose item ids are its SKUs.
            item_log = Path(tmp) / "synthetic_item_events.csv"
            synthetic_item_events(item_log)
            pair = ["--group", f"{synthetic}+{item_log}"]
            runs.append(("item conversion", "products", ["--section", "products"], pair, pair))
            # The same log in two files, read as one (the union is the actions script's, which Spark
            # runs over two logs: DuckDB here, Spark with SHOPLENS_SPARK_ALL=1).
            halves = [Path(tmp) / "synthetic_item_events_a.csv", Path(tmp) / "synthetic_item_events_b.csv"]
            split_item_log(item_log, *halves)
            group = ["--group", "+".join(str(p) for p in [synthetic, *halves])]
            runs.append(("two logs", "products", ["--section", "products"], group,
                         group if os.environ.get("SHOPLENS_SPARK_ALL") else []))
            # Without a log, the item traffic export's Σ 支付买家数 / Σ 访客数 per item.
            item_traffic = Path(tmp) / "synthetic_item_traffic.csv"
            synthetic_item_traffic(item_traffic)
            pair = ["--group", f"{synthetic}+{item_traffic}"]
            runs.append(("item traffic", "products", ["--section", "products"], pair, pair))
        if not only or "promotion" in only:
            history = Path(tmp) / "synthetic_promotion_orders.csv"
            synthetic_promotion_orders(history)
            runs.append(("long history", "promotion", ["--section", "promotion"], [str(history)], [str(history)]))
            # The traffic decomposition: the long history with a shop traffic export beside it, over
            # every day (it covers both windows; Spark runs it) and over its last forty days only
            # (the campaign is covered in part: no traffic decomposition, visitors where given).
            traffic = [Path(tmp) / "synthetic_shop_traffic.csv", Path(tmp) / "synthetic_shop_traffic_june.csv"]
            synthetic_shop_traffic(traffic[0], "2023-01-01", "2024-07-10")
            synthetic_shop_traffic(traffic[1], "2024-06-01", "2024-07-10")
            traffic_groups = [["--group", f"{history}+{t}"] for t in traffic]
            # And two exports, one per year, whose shop-level visitors the engine adds up.
            years = [Path(tmp) / "synthetic_shop_traffic_2023.csv", Path(tmp) / "synthetic_shop_traffic_2024.csv"]
            synthetic_shop_traffic(years[0], "2023-01-01", "2023-12-31")
            synthetic_shop_traffic(years[1], "2024-01-01", "2024-07-10")
            traffic_groups.append(["--group", f"{history}+{years[0]}+{years[1]}"])
            runs.append(("traffic", "promotion", ["--section", "promotion"],
                         [a for g in traffic_groups for a in g], traffic_groups[0]))
            out = subprocess.run([args.engine, "--json", "--section", "kpi", "--dialect", "duckdb", *sources,
                                  *order_paths, str(history)], capture_output=True, text=True, check=True)
            for f in json.loads(out.stdout):
                kpi = f["report"]["kpi"]
                if kpi["status"] != "ready" or not kpi["data"]["daily"]:
                    continue
                days = [p["period"] for p in kpi["data"]["daily"]]
                for label in PROMOTION_RUNS:
                    options = promotion_options(label, days[0], days[-1], Path(f["file"]).name)
                    spark = [f["file"]] if (label, Path(f["file"]).name) in PROMOTION_SPARK_RUNS else []
                    runs.append((label, "promotion", ["--section", "promotion", "--options", json.dumps(options)],
                                 [f["file"]], spark))
        if not only or "breakdowns" in only:
            # One group drawn: "other" in every dimension with three groups or more, none with two.
            runs.append(("one series", "breakdowns", ["--section", "breakdowns", "--options",
                                                      json.dumps({"breakdowns": {"trend_groups": 1}})],
                         [str(synthetic)], [str(synthetic)]))
        if not only or "breakdowns" in only:
            # Categories from the product lists: the export without its category column beside two
            # lists, and the export with its own beside the first (the lines' category first).
            without = Path(tmp) / "synthetic_orders_without_category.csv"
            lists = [Path(tmp) / "synthetic_category_skus.csv", Path(tmp) / "synthetic_more_skus.csv"]
            synthetic_category_lists(synthetic, without, lists)
            pairs = ["--group", f"{without}+{lists[0]}+{lists[1]}", "--group", f"{synthetic}+{lists[0]}"]
            runs.append(("product list", "breakdowns", ["--section", "breakdowns"], pairs, pairs))
        results = []  # (section, fixture, dialect, outcome, details)
        spark_jobs = []
        for label, run_section, extra, run_paths, spark_paths in runs:
            if only and run_section and run_section not in only:
                continue
            out = subprocess.run([args.engine, "--json", *extra, *sources, *run_paths],
                                 capture_output=True, text=True, check=True)
            files = json.loads(out.stdout)
            # Spark reads the file itself, in its encoding.
            spark_scripts = {}
            spark_paths = run_paths if spark_paths is None else spark_paths
            if "spark" in dialects and spark_paths:
                out = subprocess.run([args.engine, "--json", "--dialect", "spark", *extra, *spark_sources, *spark_paths],
                                     capture_output=True, text=True, check=True)
                spark_scripts = {f["file"]: f["scripts"] for f in json.loads(out.stdout)}
            for f in files:
                name = "+".join(Path(p).name for p in f["file"].split("+"))
                for section, per in f["scripts"].items():
                    if only and section not in only:
                        continue
                    detail_pair = f["file"] in {"+".join(map(str, g)) for g in DETAIL_GROUPS}
                    grouped = section in GROUP_SECTIONS or (section, label) in GROUP_RUNS
                    if section not in EITHER_SECTIONS and grouped != ("+" in f["file"]) \
                            and not (detail_pair and section in DETAIL_SECTIONS):
                        continue
                    shown = f"{section} ({label})" if label else section
                    run_dialects = [d for d in dialects if d == "duckdb" or f["file"] in spark_scripts]
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
            # Two scripts at a time: planning a script is single-threaded driver work.
            seconds: dict[str, float] = {}

            def timed(job):
                t0 = time.time()
                result = outcome(job[0], job[1], job[2], "spark", job[3], lambda: run_spark(spark, job[4]))
                seconds[job[0]] = seconds.get(job[0], 0.0) + time.time() - t0
                return result
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
    skipped = sum(1 for r in results if r[3] == "not run")
    print(f"SQL check: {equal} equal, {len(failed)} not equal, {skipped} not run, "
          f"{len(results) - equal - len(failed) - skipped} not applicable")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
