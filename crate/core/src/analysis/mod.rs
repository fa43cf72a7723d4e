//! The analyses. Each module is a pure function from a [`Dataset`](crate::model::Dataset) (already
//! filtered, see [`filter`]) and its options to a serialisable report section.
//!
//! Conventions shared by every report section:
//! - money is `i64` cents;
//! - a ratio whose denominator is 0 is `None` (JSON `null`, shown as "—"), never 0 or NaN;
//! - days are `YYYY-MM-DD` strings, weeks `YYYY-Www`, months `YYYY-MM` in the report's zone.

pub mod alerts;
pub mod cohort;
pub mod filter;
pub mod funnel;
pub mod kpi;
pub mod products;
pub mod rfm;

/// `num / den`, or `None` when `den` is 0.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        None
    } else {
        Some(num / den)
    }
}

/// `(b - a) / a`: period-over-period change, `None` when `a` is 0.
pub fn change(prev: f64, cur: f64) -> Option<f64> {
    ratio(cur - prev, prev)
}
