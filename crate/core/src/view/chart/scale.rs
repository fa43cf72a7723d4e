//! Axis ticks and the linear map from data to pixels.

/// "Nice" tick values covering `[min, max]` with about `n` intervals: multiples of 1, 2 or 5 × 10ᵏ,
/// starting at or below `min` and ending at or above `max` (so the axis is extended to them).
///
/// `nice_ticks(0.0, 97.0, 5) == [0, 20, 40, 60, 80, 100]`. Degenerate input still gives an axis:
/// `min == max` is widened to include 0 (or to `[0, 1]` for 0), non-finite bounds give `[0, 1]`.
/// The result always has at least two finite, strictly increasing values.
pub fn nice_ticks(min: f64, max: f64, n: usize) -> Vec<f64> {
    let (mut lo, mut hi) = if min.is_finite() && max.is_finite() {
        (min.min(max), min.max(max))
    } else {
        (0.0, 1.0)
    };
    if lo == hi {
        if lo == 0.0 {
            hi = 1.0;
        } else if lo > 0.0 {
            lo = 0.0;
        } else {
            hi = 0.0;
        }
    }
    let intervals = n.max(1) as f64;
    let raw_step = (hi - lo) / intervals;
    if !raw_step.is_finite() || raw_step <= 0.0 {
        return vec![lo, hi];
    }
    // The step is 1, 2, 5 or 10 × 10^power, whichever is nearest to the raw step on a log scale
    // (the thresholds are the geometric means √2, √10, √50), as d3's `tickIncrement` does.
    let power = raw_step.log10().floor();
    let mantissa = raw_step / 10f64.powf(power);
    let factor = if mantissa >= 50f64.sqrt() {
        10.0
    } else if mantissa >= 10f64.sqrt() {
        5.0
    } else if mantissa >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    // Below 1, ticks are computed as i / (10^-power / factor), which is exact for 0.1, 0.2 … where
    // i × 0.1 would give 0.30000000000000004.
    let per_unit = 10f64.powf(-power) / factor;
    let whole_step = factor * 10f64.powf(power);
    let tick_at = |i: f64| {
        if power < 0.0 {
            i / per_unit
        } else {
            i * whole_step
        }
    };
    let step = tick_at(1.0);
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    let count = last - first;
    let usable = step > 0.0
        && first.is_finite()
        && last.is_finite()
        && (1.0..=4.0 * intervals + 4.0).contains(&count);
    if !usable {
        return vec![lo, hi];
    }
    let ticks: Vec<f64> = (0..=count as usize)
        .map(|i| tick_at(first + i as f64) + 0.0)
        .collect();
    let increasing = ticks.windows(2).all(|w| w[0] < w[1]);
    if ticks.iter().all(|t| t.is_finite()) && increasing {
        ticks
    } else {
        vec![lo, hi]
    }
}

/// Decimal digits needed to write ticks spaced `step` apart: 0 for 20, 1 for 0.5, 2 for 0.05.
pub fn tick_decimals(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    // The tolerance makes 0.1 (stored as 0.1000000000000000055…) ask for one digit, not two.
    let digits = (-step.log10() - 1e-9).ceil() as i64;
    digits.clamp(0, 12) as usize
}

/// A linear map from a data interval to a pixel interval. Non-finite input maps to the start of
/// the pixel interval; an empty data interval maps everything to the middle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl LinearScale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> LinearScale {
        LinearScale { domain, range }
    }

    /// A scale over the span of `ticks` (first to last).
    pub fn over_ticks(ticks: &[f64], range: (f64, f64)) -> LinearScale {
        let lo = ticks.first().copied().unwrap_or(0.0);
        let hi = ticks.last().copied().unwrap_or(1.0);
        LinearScale::new((lo, hi), range)
    }

    pub fn apply(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if !v.is_finite() {
            return r0;
        }
        let span = d1 - d0;
        if span == 0.0 || !span.is_finite() {
            return (r0 + r1) / 2.0;
        }
        let out = r0 + (v - d0) / span * (r1 - r0);
        if out.is_finite() {
            out
        } else {
            r0
        }
    }
}

/// The finite values of `values`, as `(min, max)`; `None` when there are none.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nice_ticks_examples() {
        assert_eq!(
            nice_ticks(0.0, 97.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        // Range 0–1 in 5: raw step 0.2 → 0.2 exactly, not 0.6000000000000001.
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        // Negative to positive: raw step 30/4 = 7.5 ≥ √50 → 10.
        assert_eq!(
            nice_ticks(-12.0, 18.0, 4),
            vec![-20.0, -10.0, 0.0, 10.0, 20.0]
        );
        // GMV in cents: 0 … 1,234,567 in 5 → raw 246,913 → mantissa 2.47 ≥ √2 → 200,000.
        assert_eq!(nice_ticks(0.0, 1_234_567.0, 5).last(), Some(&1_400_000.0));
        // Degenerate ranges.
        assert_eq!(nice_ticks(0.0, 0.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(5.0, 5.0, 5), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(nice_ticks(-3.0, -3.0, 3), vec![-3.0, -2.0, -1.0, 0.0]);
        assert_eq!(
            nice_ticks(f64::NAN, 3.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(nice_ticks(97.0, 0.0, 5), nice_ticks(0.0, 97.0, 5));
    }

    #[test]
    fn decimals_and_scale() {
        assert_eq!(tick_decimals(20.0), 0);
        assert_eq!(tick_decimals(0.5), 1);
        assert_eq!(tick_decimals(0.1), 1);
        assert_eq!(tick_decimals(0.05), 2);
        let s = LinearScale::new((0.0, 100.0), (300.0, 20.0));
        assert_eq!(s.apply(0.0), 300.0);
        assert_eq!(s.apply(50.0), 160.0);
        assert_eq!(s.apply(f64::NAN), 300.0);
        assert_eq!(LinearScale::new((1.0, 1.0), (0.0, 10.0)).apply(1.0), 5.0);
        assert_eq!(
            extent([f64::NAN, 3.0, -1.0, f64::INFINITY]),
            Some((-1.0, 3.0))
        );
        assert_eq!(extent(Vec::<f64>::new()), None);
    }

    proptest! {
        #[test]
        fn ticks_cover_the_range_and_are_finite(a in -1e15f64..1e15, b in -1e15f64..1e15, n in 1usize..12) {
            let ticks = nice_ticks(a, b, n);
            prop_assert!(ticks.len() >= 2 && ticks.len() <= 2 * n + 3, "{:?}", ticks);
            prop_assert!(ticks.iter().all(|t| t.is_finite()));
            prop_assert!(ticks.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(ticks[0] <= a.min(b) && *ticks.last().unwrap() >= a.max(b));
        }

        #[test]
        fn ticks_survive_any_input(a in any::<f64>(), b in any::<f64>(), n in 0usize..50) {
            let ticks = nice_ticks(a, b, n);
            prop_assert!(ticks.len() >= 2);
            prop_assert!(ticks.iter().all(|t| t.is_finite()));
            prop_assert!(ticks.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
