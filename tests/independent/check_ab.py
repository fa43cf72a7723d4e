"""Independent check of the A/B statistics (DEFINITIONS §9) with Python's standard library only.

Written from the definition and Newcombe (1998), not from the Rust code: for 1,000 random 2×2 tables
(plus the edge cases: no or all conversions, tiny groups, identical groups, an empty group) the engine's
`ab_readout` example must give the same Wilson intervals, Newcombe hybrid score interval, pooled z-test
p-value, verdict and sample size, to 1e-9.

    python3 tests/independent/check_ab.py --engine target/debug/examples/ab_readout
"""

import argparse
import json
import math
import random
import subprocess
import sys
from statistics import NormalDist

Z = NormalDist().inv_cdf(0.975)
Z_POWER = NormalDist().inv_cdf(0.80)
TOL = 1e-9


def wilson(x, n):
    if n == 0:
        return None
    p = x / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    lo = 0.0 if x == 0 else centre - half
    hi = 1.0 if x == n else centre + half
    return lo, hi


def newcombe(x1, n1, x2, n2):
    """Method 10 of Newcombe (1998) for p1 − p2."""
    if n1 == 0 or n2 == 0:
        return None
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def p_value(xa, na, xb, nb):
    if na == 0 or nb == 0:
        return None
    pooled = (xa + xb) / (na + nb)
    var = pooled * (1 - pooled) * (1 / na + 1 / nb)
    if var <= 0:
        return None
    z = (xb / nb - xa / na) / math.sqrt(var)
    return min(1.0, math.erfc(abs(z) / math.sqrt(2)))


def sample_size(pa, pb):
    d = pb - pa
    if d == 0:
        return None
    bar = (pa + pb) / 2
    root = Z * math.sqrt(2 * bar * (1 - bar)) + Z_POWER * math.sqrt(pa * (1 - pa) + pb * (1 - pb))
    n = root * root / (d * d)
    r = round(n)
    return r if abs(n - r) <= 1e-9 * max(r, 1) else math.ceil(n)


def expected(xa, na, xb, nb):
    interval = newcombe(xb, nb, xa, na)
    if interval is not None and interval[0] > 0:
        verdict = "b_better"
    elif interval is not None and interval[1] < 0:
        verdict = "a_better"
    else:
        verdict = "not_decisive"
    cr_a = xa / na if na else None
    cr_b = xb / nb if nb else None
    needed = None
    if verdict == "not_decisive" and cr_a is not None and cr_b is not None:
        needed = sample_size(cr_a, cr_b)
    return {
        "interval_a": wilson(xa, na),
        "interval_b": wilson(xb, nb),
        "difference_interval": interval,
        "p_value": p_value(xa, na, xb, nb),
        "verdict": verdict,
        "needed_per_group": needed,
    }


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return abs(a - b) <= TOL


def tables(count, seed):
    rng = random.Random(seed)
    out = [
        (48, 80, 56, 70),  # Newcombe 1998 Table II (a), as B − A
        (0, 10, 0, 20), (10, 10, 0, 20), (0, 1, 1, 1), (7, 7, 9, 9),
        (30, 300, 30, 300), (0, 0, 3, 10), (5, 5, 0, 0), (1, 2, 1, 2),
    ]
    while len(out) < count:
        scale = rng.choice([5, 50, 500, 5000, 200000])
        na, nb = rng.randint(1, scale), rng.randint(1, scale)
        out.append((rng.randint(0, na), na, rng.randint(0, nb), nb))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", required=True, help="path of the ab_readout example binary")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    cases = tables(args.count, args.seed)
    text = "".join(f"{xa} {na} {xb} {nb}\n" for xa, na, xb, nb in cases)
    run = subprocess.run([args.engine], input=text, capture_output=True, text=True, check=True)
    got = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(got) == len(cases), (len(got), len(cases))
    failures = []
    worst = 0.0
    for case, engine in zip(cases, got):
        want = expected(*case)
        for key, value in want.items():
            if key in ("verdict", "needed_per_group"):
                ok = engine[key] == value
            else:
                ok = close(engine[key], value)
                if ok and value is not None:
                    pairs = zip(engine[key], value) if isinstance(value, (list, tuple)) else [(engine[key], value)]
                    worst = max([worst] + [abs(a - b) for a, b in pairs])
            if not ok:
                failures.append(f"{case} {key}: engine {engine[key]} vs python {value}")
    # The published worked example, to Newcombe's 4 decimals.
    lo, hi = got[0]["difference_interval"]
    assert abs(lo - 0.0524) < 5e-5 and abs(hi - 0.3339) < 5e-5, (lo, hi)
    if failures:
        print("\n".join(failures[:20]))
        print(f"A/B check: {len(failures)} mismatches over {len(cases)} tables")
        sys.exit(1)
    print(f"A/B check: {len(cases)} tables agree (largest difference {worst:.2e}); "
          f"56/70 − 48/80 → ({lo:.4f}, {hi:.4f})")


if __name__ == "__main__":
    main()
