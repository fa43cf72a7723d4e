//! The A/B statistics (DEFINITIONS §9), on two (exposures, conversions) counts: Wilson score
//! intervals, Newcombe's hybrid score interval for the difference, the pooled z-test and the sample
//! size for 80 % power.

use serde::{Deserialize, Serialize};

use crate::analysis::stats::normal_sf;

/// z for a two-sided 95 % interval and 5 % significance: Φ⁻¹(0.975).
pub const Z_975: f64 = 1.959_963_984_540_054;
/// z for 80 % power: Φ⁻¹(0.80).
pub const Z_80: f64 = 0.841_621_233_572_914_3;

/// A Wilson score interval (95 %) for x / n; `None` when n = 0.
///
/// centre = (x + z²/2) / (n + z²), half-width = z·√(x(n − x)/n + z²/4) / (n + z²).
pub fn wilson(x: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || x > n {
        return None;
    }
    let (x, n) = (x as f64, n as f64);
    let z2 = Z_975 * Z_975;
    let centre = (x + z2 / 2.0) / (n + z2);
    let half = Z_975 * (x * (n - x) / n + z2 / 4.0).sqrt() / (n + z2);
    // At x = 0 (x = n) the lower (upper) bound is exactly 0 (1); the formula gives it up to rounding.
    let lower = if x == 0.0 { 0.0 } else { centre - half };
    let upper = if x == n { 1.0 } else { centre + half };
    Some((lower, upper))
}

/// Newcombe's hybrid score interval (method 10 of Newcombe 1998) for p₁ − p₂ from the two Wilson
/// intervals (l₁, u₁), (l₂, u₂): (θ − δ, θ + ε) with θ = p₁ − p₂,
/// δ = √((p₁ − l₁)² + (u₂ − p₂)²), ε = √((u₁ − p₁)² + (p₂ − l₂)²). `None` when a group is empty.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<(f64, f64)> {
    let (l1, u1) = wilson(x1, n1)?;
    let (l2, u2) = wilson(x2, n2)?;
    let p1 = x1 as f64 / n1 as f64;
    let p2 = x2 as f64 / n2 as f64;
    let theta = p1 - p2;
    let delta = ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let epsilon = ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Some((theta - delta, theta + epsilon))
}

/// Two-sided p-value of the pooled two-proportion z-test: z = (p_B − p_A) / √(p̄(1 − p̄)(1/n_A + 1/n_B))
/// with p̄ = (x_A + x_B)/(n_A + n_B), p = 2·(1 − Φ(|z|)). `None` when a group is empty or p̄ is 0 or 1
/// (no conversions anywhere, or all converted: the test's variance is 0 and there is nothing to test).
pub fn pooled_z_p(xa: u64, na: u64, xb: u64, nb: u64) -> Option<(f64, f64)> {
    if na == 0 || nb == 0 {
        return None;
    }
    let pooled = (xa + xb) as f64 / (na + nb) as f64;
    let variance = pooled * (1.0 - pooled) * (1.0 / na as f64 + 1.0 / nb as f64);
    if variance <= 0.0 {
        return None;
    }
    let z = (xb as f64 / nb as f64 - xa as f64 / na as f64) / variance.sqrt();
    Some((z, (2.0 * normal_sf(z.abs())).min(1.0)))
}

/// Exposures per group needed to detect a difference between rates `pa` and `pb` with 80 % power at
/// 5 % two-sided significance (the normal-approximation formula without continuity correction,
/// Fleiss, *Statistical Methods for Rates and Proportions*, §4.2):
///
/// n = ⌈(z₀.₉₇₅·√(2·p̄(1 − p̄)) + z₀.₈₀·√(p_A(1 − p_A) + p_B(1 − p_B)))² / (p_B − p_A)²⌉, p̄ = (p_A + p_B)/2.
///
/// `None` when the rates are equal (no difference to detect).
pub fn sample_size(pa: f64, pb: f64) -> Option<u64> {
    let d = pb - pa;
    if d == 0.0 || !d.is_finite() {
        return None;
    }
    let bar = (pa + pb) / 2.0;
    let root = Z_975 * (2.0 * bar * (1.0 - bar)).sqrt()
        + Z_80 * (pa * (1.0 - pa) + pb * (1.0 - pb)).sqrt();
    let n = root * root / (d * d);
    // A whole number within float noise is that number.
    let r = n.round();
    let n = if (n - r).abs() <= 1e-9 * r.max(1.0) {
        r
    } else {
        n.ceil()
    };
    Some(n.min(u64::MAX as f64) as u64)
}

/// The verdict (DEFINITIONS §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The interval of CR_B − CR_A is above 0.
    BBetter,
    /// The interval is below 0.
    ABetter,
    /// The interval contains 0 (or a group has no exposures).
    NotDecisive,
}

/// The figures of one readout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbStats {
    /// x_A / n_A; `None` when n_A = 0.
    pub cr_a: Option<f64>,
    pub cr_b: Option<f64>,
    /// Wilson 95 % interval of CR_A, `[lower, upper]`.
    pub interval_a: Option<[f64; 2]>,
    pub interval_b: Option<[f64; 2]>,
    /// d = CR_B − CR_A.
    pub difference: Option<f64>,
    /// Newcombe hybrid score 95 % interval of d, `[lower, upper]`.
    pub difference_interval: Option<[f64; 2]>,
    /// d / CR_A; `None` when CR_A is 0 or undefined.
    pub relative_lift: Option<f64>,
    /// Pooled z statistic.
    pub z: Option<f64>,
    /// Two-sided p-value of the pooled z-test.
    pub p_value: Option<f64>,
    pub verdict: Verdict,
    /// When not decisive: exposures per group for 80 % power at 5 % two-sided significance for the
    /// observed difference; `None` when decisive or when the observed difference is 0 or undefined.
    pub needed_per_group: Option<u64>,
}

/// The readout of A = (x_a of n_a) against B = (x_b of n_b).
pub fn readout(xa: u64, na: u64, xb: u64, nb: u64) -> AbStats {
    let cr = |x: u64, n: u64| (n > 0).then(|| x as f64 / n as f64);
    let (cr_a, cr_b) = (cr(xa, na), cr(xb, nb));
    let difference = cr_a.zip(cr_b).map(|(a, b)| b - a);
    let interval = newcombe(xb, nb, xa, na);
    let verdict = match interval {
        Some((lower, _)) if lower > 0.0 => Verdict::BBetter,
        Some((_, upper)) if upper < 0.0 => Verdict::ABetter,
        _ => Verdict::NotDecisive,
    };
    let test = pooled_z_p(xa, na, xb, nb);
    AbStats {
        cr_a,
        cr_b,
        interval_a: wilson(xa, na).map(|(l, u)| [l, u]),
        interval_b: wilson(xb, nb).map(|(l, u)| [l, u]),
        difference,
        difference_interval: interval.map(|(l, u)| [l, u]),
        relative_lift: cr_a
            .zip(difference)
            .and_then(|(a, d)| (a != 0.0).then(|| d / a)),
        z: test.map(|t| t.0),
        p_value: test.map(|t| t.1),
        verdict,
        needed_per_group: match verdict {
            Verdict::NotDecisive => cr_a.zip(cr_b).and_then(|(a, b)| sample_size(a, b)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe RG. Interval estimation for the difference between independent proportions:
    /// comparison of eleven methods. Statistics in Medicine 1998;17:873–890, Table II, method 10
    /// (score interval without continuity correction), printed to 4 decimals. Rows are
    /// (x₁, n₁, x₂, n₂, lower, upper) for p₁ − p₂. The same values are quoted by several
    /// independent implementations' tests (e.g. the `newcombe-score` fixture of R package tests,
    /// DescTools::BinomDiffCI(method = "score")).
    const TABLE_II: [(u64, u64, u64, u64, f64, f64); 8] = [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
        (10, 10, 0, 10, 0.6075, 1.0),
    ];

    #[test]
    fn matches_newcombe_1998_table_ii() {
        for (x1, n1, x2, n2, lower, upper) in TABLE_II {
            let (l, u) = newcombe(x1, n1, x2, n2).unwrap();
            assert!(
                (l - lower).abs() < 5e-5,
                "{x1}/{n1} − {x2}/{n2}: lower {l} vs {lower}"
            );
            assert!(
                (u - upper).abs() < 5e-5,
                "{x1}/{n1} − {x2}/{n2}: upper {u} vs {upper}"
            );
        }
    }

    #[test]
    fn wilson_hand_computed() {
        // 0 of 10: upper = z²/(10 + z²) = 3.841459/13.841459 = 0.277532…
        let (l, u) = wilson(0, 10).unwrap();
        assert_eq!(l, 0.0);
        assert!((u - 3.841_458_820_694_124 / 13.841_458_820_694_124).abs() < 1e-15);
        let (l, u) = wilson(10, 10).unwrap();
        assert_eq!(u, 1.0);
        assert!((l - 10.0 / 13.841_458_820_694_124).abs() < 1e-15);
        // 5 of 10: symmetric about 0.5, (0.2366, 0.7634).
        let (l, u) = wilson(5, 10).unwrap();
        assert!((l + u - 1.0).abs() < 1e-15);
        assert!((l - 0.236_593).abs() < 1e-6);
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn readout_of_the_worked_example() {
        // A = 48/80, B = 56/70: d = 0.2, the interval of Table II (a), B better.
        let r = readout(48, 80, 56, 70);
        assert_eq!(r.cr_a, Some(0.6));
        assert_eq!(r.cr_b, Some(0.8));
        assert!((r.difference.unwrap() - 0.2).abs() < 1e-15);
        let [l, u] = r.difference_interval.unwrap();
        assert!((l - 0.0524).abs() < 5e-5 && (u - 0.3339).abs() < 5e-5);
        assert!((r.relative_lift.unwrap() - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(r.verdict, Verdict::BBetter);
        assert_eq!(r.needed_per_group, None);
        // Pooled: p̄ = 104/150; z = 0.2 / √(p̄(1 − p̄)(1/80 + 1/70)) = 2.65017…; p = 0.008045
        // (the score statistic 2.65 that R's Mee test prints for this table at δ = 0).
        let pooled: f64 = 104.0 / 150.0;
        let z = 0.2 / (pooled * (1.0 - pooled) * (1.0 / 80.0 + 1.0 / 70.0)).sqrt();
        assert!((r.z.unwrap() - z).abs() < 1e-12);
        assert!((z - 2.650_172).abs() < 1e-6);
        assert!((r.p_value.unwrap() - 0.008_045_08).abs() < 1e-8);
        // Swapped, A is better.
        assert_eq!(readout(56, 70, 48, 80).verdict, Verdict::ABetter);
    }

    #[test]
    fn edge_cases() {
        // Identical groups: d = 0, z = 0, p = 1, not decisive, no sample size (nothing to detect).
        let r = readout(30, 300, 30, 300);
        assert_eq!(r.difference, Some(0.0));
        assert_eq!(r.z, Some(0.0));
        assert_eq!(r.p_value, Some(1.0));
        assert_eq!(r.verdict, Verdict::NotDecisive);
        assert_eq!(r.needed_per_group, None);
        assert_eq!(r.relative_lift, Some(0.0));
        // No conversions anywhere: CRs 0, interval Table II (f), p undefined, lift undefined.
        let r = readout(0, 10, 0, 10);
        assert_eq!(r.p_value, None);
        assert_eq!(r.relative_lift, None);
        let [l, u] = r.difference_interval.unwrap();
        assert!((l + 0.2775).abs() < 5e-5 && (u - 0.2775).abs() < 5e-5);
        // Everyone converted in both: p undefined, not decisive.
        let r = readout(7, 7, 9, 9);
        assert_eq!((r.p_value, r.verdict), (None, Verdict::NotDecisive));
        // Tiny groups, all against none: 1/1 vs 0/1 → not decisive.
        let r = readout(0, 1, 1, 1);
        assert_eq!(r.verdict, Verdict::NotDecisive);
        assert_eq!(r.difference, Some(1.0));
        // An empty group: nothing but the other CR.
        let r = readout(0, 0, 3, 10);
        assert_eq!(r.cr_a, None);
        assert_eq!(
            (r.difference, r.difference_interval, r.p_value),
            (None, None, None)
        );
        assert_eq!(r.verdict, Verdict::NotDecisive);
        assert_eq!(r.needed_per_group, None);
    }

    #[test]
    fn sample_size_hand_computed() {
        // 10 % → 12 %: p̄ = 0.11; (1.959964·√(2·0.11·0.89) + 0.841621·√(0.09 + 0.1056))² / 0.02²
        // = 3840.85 → 3841 per group (the usual quoted figure for 10 % vs 12 % is about 3,840).
        let n = sample_size(0.10, 0.12).unwrap();
        let root = Z_975 * (2.0f64 * 0.11 * 0.89).sqrt() + Z_80 * (0.09f64 + 0.1056).sqrt();
        assert_eq!(n, (root * root / 0.0004).ceil() as u64);
        assert!((3830..3850).contains(&n), "{n}");
        assert_eq!(sample_size(0.2, 0.2), None);
        // Symmetric in the direction of the difference.
        assert_eq!(sample_size(0.12, 0.10), Some(n));
        // A not-decisive readout carries it.
        let r = readout(100, 1000, 120, 1000);
        assert_eq!(r.verdict, Verdict::NotDecisive);
        assert_eq!(r.needed_per_group, Some(n));
    }
}
