"""How large each SQL script becomes when every CTE is written out at every place it is read.

Spark's optimizer (its InlineCTE rule) inlines a deterministic CTE at each reference, so a step
read by many later steps, each read many times, is planned as many copies: a script whose
expansion is hundreds of times its own size does not finish planning. This writes every script
the `sql` example gives for the files, parses its CTEs (the generator's layout: `name AS (` at the
start of a line, the body indented, `)` or `),` closing it) and expands each reference (a CTE's
name after FROM or JOIN) into the referenced body, recursively, counting UTF-8 bytes. It is a
model of the plan's size, not Spark's own count: every CTE is expanded, deterministic or not.

Usage: python3 tests/independent/sql_expansion.py --engine <path to the sql example>
           [--dialect duckdb|spark] [--sections promotion,...] [--options JSON] FILE...
Prints one line per section and file: script bytes, expanded bytes, the ratio, and the steps
whose expansion is largest; then per section the largest ratio.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

CTE_START = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*) AS \($")
REFERENCE = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)\b", re.IGNORECASE)


def strip(text: str) -> str:
    """The text without `--` comments and string literals (where FROM or JOIN may be written)."""
    text = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return re.sub(r"'(?:[^'\\\n]|\\.|'')*'", "''", text)


def parse(script: str) -> tuple[dict[str, str], str]:
    """The CTEs (name → body) and the rest of the script (prelude and final SELECT)."""
    ctes: dict[str, str] = {}
    rest: list[str] = []
    name, body = None, []
    for line in script.splitlines():
        if name is None:
            m = CTE_START.match(line)
            if m:
                name, body = m.group(1), []
            else:
                rest.append(line)
        elif line in (")", "),"):
            ctes[name] = "\n".join(body)
            name = None
        else:
            body.append(line)
    return ctes, "\n".join(rest)


def expansion(script: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """Bytes of the script with every reference expanded; each CTE's own expanded size and how
    many times it is read once everything is expanded."""
    ctes, rest = parse(script)
    refs = {n: [r for r in REFERENCE.findall(strip(b)) if r in ctes] for n, b in ctes.items()}

    @lru_cache(maxsize=None)
    def size(n: str) -> int:
        return len(ctes[n].encode()) + sum(size(r) - len(r) for r in refs[n])

    top = [r for r in REFERENCE.findall(strip(rest)) if r in ctes]
    total = len(rest.encode()) + sum(size(r) - len(r) for r in top)

    @lru_cache(maxsize=None)
    def reads_below(n: str) -> tuple[tuple[str, int], ...]:
        counts: dict[str, int] = {}
        for r in refs[n]:
            counts[r] = counts.get(r, 0) + 1
            for k, v in reads_below(r):
                counts[k] = counts.get(k, 0) + v
        return tuple(counts.items())

    reads: dict[str, int] = {}
    for r in top:
        reads[r] = reads.get(r, 0) + 1
        for k, v in reads_below(r):
            reads[k] = reads.get(k, 0) + v
    return total, {n: size(n) for n in ctes}, reads


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", required=True)
    ap.add_argument("--dialect", default="spark", choices=["duckdb", "spark"])
    ap.add_argument("--sections", help="comma-separated section codes (default: all)")
    ap.add_argument("--options", help="analysis options as JSON (as the sql example takes them)")
    ap.add_argument("--reads", action="store_true", help="also list how often each step is read, expanded")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    only = set(args.sections.split(",")) if args.sections else None
    extra = ["--options", args.options] if args.options else []
    out = subprocess.run([args.engine, "--json", "--dialect", args.dialect, *extra, *args.files],
                         capture_output=True, text=True, check=True)
    worst: dict[str, float] = {}
    for f in json.loads(out.stdout):
        name = "+".join(Path(p).name for p in f["file"].split("+"))
        for section, per in f["scripts"].items():
            if only and section not in only:
                continue
            entry = per.get(args.dialect, {})
            if "sql" not in entry:
                continue
            script = entry["sql"]
            total, sizes, reads = expansion(script)
            own = len(script.encode())
            ratio = total / own
            worst[section] = max(worst.get(section, 0.0), ratio)
            top = sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
            print(f"{section:<11} {name:<34} script {own:>8,} B  expanded {total:>12,} B  {ratio:7.1f}×  "
                  f"largest: {', '.join(f'{n} {s:,}' for n, s in top)}")
            if args.reads:
                print("    reads once expanded: " + ", ".join(
                    f"{n} {c}" for n, c in sorted(reads.items(), key=lambda kv: -kv[1]) if c > 1))
    print()
    for section, ratio in sorted(worst.items()):
        print(f"{section:<11} largest expansion {ratio:7.1f}× the script")
    return 0


if __name__ == "__main__":
    sys.exit(main())
