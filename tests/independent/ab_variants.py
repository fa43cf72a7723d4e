"""§9 A/B groups from a log's experiment group column, in DuckDB SQL (used by check_duckdb.py).

On tests/fixtures/ab_variant_events.csv (a PostHog-style export whose `$feature/main-image-0601`
column holds the group): a user is exposed to a group when any of their events carries it; the user
converts in it with a purchase at or after their first event in the group that carries that group or
none (analysis::ab's module docs). Purchase names per DEFINITIONS §5.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ab_variant_events.csv"
PURCHASE = ("buy", "purchase", "order", "ordercompleted", "transaction", "购买", "下单", "支付")


def sql_ab_variants(path: Path = FIXTURE) -> dict:
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE raw AS SELECT * FROM read_csv('{path}', header = true, all_varchar = true)""")
    group_col = next(c for (c,) in con.execute("SELECT name FROM pragma_table_info('raw')").fetchall()
                     if "$feature/" in c)
    names = ", ".join(f"'{n}'" for n in PURCHASE)
    con.execute(f"""
        CREATE TABLE ev AS SELECT
            distinct_id AS u,
            lower(replace(replace(event, '_', ''), ' ', '')) IN ({names}) AS is_purchase,
            CAST(replace(replace("timestamp", 'T', ' '), 'Z', '') AS TIMESTAMP) AS t,
            nullif(trim("{group_col}"), '') AS g
        FROM raw""")
    rows = con.execute("""
        WITH first AS (SELECT g, u, min(t) AS t0 FROM ev WHERE g IS NOT NULL GROUP BY g, u),
        conv AS (
            SELECT DISTINCT f.g, f.u FROM first f JOIN ev e
              ON e.u = f.u AND e.is_purchase AND e.t >= f.t0 AND (e.g IS NULL OR e.g = f.g))
        SELECT f.g, count(*), (SELECT count(*) FROM conv c WHERE c.g = f.g)
        FROM first f GROUP BY f.g ORDER BY f.g""").fetchall()
    both = con.execute("""
        SELECT count(*) FROM (SELECT u FROM ev WHERE g IS NOT NULL GROUP BY u HAVING count(DISTINCT g) >= 2)""").fetchone()[0]
    return {"groups": {g: (int(n), int(x)) for g, n, x in rows}, "in_both": int(both)}


def check_ab_variants(engine: str) -> tuple[int, list[str]]:
    """(figures checked, mismatches) of the engine's A/B section on the fixture against SQL."""
    want = sql_ab_variants()
    run = subprocess.run([engine, str(FIXTURE)], capture_output=True, text=True, check=True)
    ab = json.loads(run.stdout)["ab"]
    if ab.get("status") != "ready":
        return 1, [f"ab on {FIXTURE.name}: {ab}"]
    data = ab["data"]
    bad = []
    for side in ("a", "b"):
        g = data[side]
        exp = want["groups"].get(g["label"])
        got = (g["exposures"], g["conversions"])
        if got != exp:
            bad.append(f"ab[{g['label']}] (exposures, conversions): shoplens {got} vs SQL {exp}")
    if sorted(data["variants"]) != sorted(want["groups"]):
        bad.append(f"ab.variants: shoplens {data['variants']} vs SQL {sorted(want['groups'])}")
    if data["in_both"] != want["in_both"]:
        bad.append(f"ab.in_both: shoplens {data['in_both']} vs SQL {want['in_both']}")
    return 6, bad


if __name__ == "__main__":
    print(json.dumps(sql_ab_variants()))
