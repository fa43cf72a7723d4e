//! The analyses. Each module is a pure function from a [`Dataset`](crate::model::Dataset) (already
//! filtered, see [`filter`]) and its options to a serialisable report section.
//!
//! Conventions shared by every report section:
//! - money is `i64` cents;
//! - a ratio whose denominator is 0 is `None` (JSON `null`, shown as "—"), never 0 or NaN;
//! - days are `YYYY-MM-DD` strings, weeks `YYYY-Www`, months `YYYY-MM` in the report's zone.

pub mod ab;
pub mod actions;
pub mod alerts;
pub mod breakdown;
pub mod cohort;
pub mod filter;
pub mod funnel;
pub mod kpi;
pub mod products;
pub mod promotion;
pub mod rfm;
pub mod stats;
pub mod stock;

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

/// Why a section could not be computed from what was loaded, and which export would unlock it.
/// The page localises `code`; `needs` names the missing data in English for logs and Node users.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unavailable {
    /// Stable snake_case code, e.g. `no_customer_ids`, `no_orders`, `no_events`.
    pub code: crate::codes::UnavailableCode,
    /// What the user would have to load, e.g. "an order export with a buyer id column (买家会员名 / Email)".
    pub needs: String,
}

impl Unavailable {
    pub fn new(code: crate::codes::UnavailableCode, needs: &str) -> Unavailable {
        Unavailable {
            code,
            needs: needs.to_string(),
        }
    }
}
