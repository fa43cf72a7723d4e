#!/usr/bin/env python3
"""Writes tests/fixtures/ab_variant_events.csv: a PostHog-style event export of a main-image test
(flag `main-image-0601`, groups `control` / `test`), 300 people over 2024-06-01 … 06-12, and prints
the A/B counts it was built to give (DEFINITIONS §9, the exposure rule of analysis::ab's module docs).

Seeded and standard-library only: `python3 scripts/make_ab_variant_fixture.py` rewrites the file
byte for byte. The counts are computed here from the generator's own records, never by reading
the file back.
"""
import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "ab_variant_events.csv"
FLAG = "properties.$feature/main-image-0601"
START = datetime(2024, 6, 1, 8, 0, 0)
ITEMS = ["1001", "1002", "1003", "1004", "1005", "1006"]


def main() -> None:
    rng = random.Random(603)
    rows = []  # (time, event, person, item, variant or "")

    def add(t, event, person, item="", variant=""):
        rows.append((t, event, person, item, variant))

    for i in range(1, 301):
        person = f"01HZ{i:04d}"
        group = "control" if i % 2 else "test"
        t0 = START + timedelta(minutes=53 * i)
        item = ITEMS[i % len(ITEMS)]
        # A page view before the flag is evaluated carries no group.
        add(t0 - timedelta(minutes=3), "$pageview", person)
        add(t0, "$feature_flag_called", person, variant=group)
        add(t0 + timedelta(minutes=2), "product_viewed", person, item, group)
        rate = 0.12 if group == "control" else 0.22
        buys = rng.random() < rate
        if buys or rng.random() < 0.3:
            add(t0 + timedelta(minutes=6), "product_added_to_cart", person, item, group)
        if buys:
            add(t0 + timedelta(minutes=11), "order_completed", person, item, group)

    # Edge cases on top of the draw (the people above keep their own rows):
    # - a purchase a day before the exposure, with no group: not a conversion;
    for i in (1, 2, 3, 4):
        person = f"01HZ{i:04d}"
        add(START + timedelta(minutes=53 * i) - timedelta(days=1), "order_completed", person, "1001")
    # - a purchase after the exposure sent server-side without the flag property: a conversion;
    for i in (5, 6):
        person = f"01HZ{i:04d}"
        add(START + timedelta(minutes=53 * i, hours=2), "order_completed", person, "1002")
    # - 0007 (control) sees the test two days later and buys with the test's label: exposed to both,
    #   converted in test only; 0008 (test) sees the control later and buys nothing more;
    t7 = START + timedelta(minutes=53 * 7, days=2)
    add(t7, "$feature_flag_called", "01HZ0007", variant="test")
    add(t7 + timedelta(minutes=5), "order_completed", "01HZ0007", "1003", "test")
    add(START + timedelta(minutes=53 * 8, days=1), "$feature_flag_called", "01HZ0008", variant="control")
    # - 0009 (control) completes an order in the second of the exposure: a conversion (at or after).
    add(START + timedelta(minutes=53 * 9), "order_completed", "01HZ0009", "1004", "control")

    rows.sort(key=lambda r: (r[0], r[2], r[1]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["timestamp", "event", "distinct_id", "properties.product_id", FLAG])
    for t, event, person, item, variant in rows:
        w.writerow([t.strftime("%Y-%m-%dT%H:%M:%S.000000Z"), event, person, item, variant])
    OUT.write_text(buf.getvalue(), encoding="utf-8")

    # The counts, from the records above.
    first = {}
    for t, event, person, item, variant in rows:
        if variant:
            key = (variant, person)
            first[key] = min(first.get(key, t), t)
    for goal in ("order_completed", "product_added_to_cart"):
        converted = set()
        for t, event, person, item, variant in rows:
            if event != goal:
                continue
            for g in ("control", "test"):
                if (g, person) in first and first[(g, person)] <= t and variant in ("", g):
                    converted.add((g, person))
        for g in ("control", "test"):
            n = sum(1 for (v, _) in first if v == g)
            x = sum(1 for (v, _) in converted if v == g)
            print(f"goal {goal}: {g}: exposures {n}, conversions {x}")
    both = {p for (v, p) in first if v == "control"} & {p for (v, p) in first if v == "test"}
    print(f"in both: {len(both)}; rows {len(rows)}")


if __name__ == "__main__":
    main()
