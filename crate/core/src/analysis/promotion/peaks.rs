//! Proposing campaign windows from the data's biggest GMV peaks.
//!
//! The rule, deterministic and stated in the report's own terms:
//! 1. Daily GMV of paid orders, dense from the first to the last day with a paid order (days without
//!    orders are 0).
//! 2. A day's **reference level** is the median daily GMV of the days within ±[`HALF_SPAN`] days of it
//!    (clipped to the data; the mean of the two middle values for an even count). A campaign shorter
//!    than a month leaves this median at the ordinary level around it.
//! 3. A day is **high** when its reference level is above 0 and its GMV is at least
//!    [`HIGH_FACTOR`] × the reference level.
//! 4. High days separated by at most [`MAX_GAP`] ordinary days merge into one window (the gap days are
//!    part of it).
//! 5. A window's **excess GMV** is Σ (GMV − reference level) over its days. Windows with a positive
//!    excess are ranked by it (largest first; ties: the earlier window), the first [`MAX_PROPOSALS`]
//!    kept, each named by the platform calendar ([`super::calendar::name_window`]).
//!
//! Nothing is proposed with fewer than [`MIN_DAYS`] days of data: the reference level would be the
//! peak itself.

use serde::{Deserialize, Serialize};

use super::calendar::{name_window, Occasion};
use crate::time::{format_day, Day};

/// Days either side of a day in its reference median.
pub const HALF_SPAN: i32 = 28;
/// How far above the reference level a day must stand to be high.
pub const HIGH_FACTOR: f64 = 1.4;
/// Longest run of ordinary days inside one window.
pub const MAX_GAP: i32 = 2;
/// How many proposals are returned.
pub const MAX_PROPOSALS: usize = 5;
/// Fewest days of data (first to last paid day) to look for peaks in.
pub const MIN_DAYS: usize = 14;

/// A proposed campaign window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Length in days.
    pub days: u32,
    /// The festival of the platform calendar it falls on, if any.
    pub occasion: Option<Occasion>,
    /// GMV of the window, cents.
    pub gmv: i64,
    /// Σ (daily GMV − reference level) over the window, cents (rounded to the cent).
    pub excess_gmv: i64,
    /// The day of highest GMV in it, `YYYY-MM-DD`.
    pub peak_day: String,
    /// That day's GMV over its reference level (e.g. 3.2 = 3.2 ×).
    pub peak_ratio: f64,
}

/// A proposal with its days as numbers.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub from: Day,
    pub to: Day,
    pub proposal: Proposal,
}

/// Median of `values` (not empty): the mean of the two middle values for an even count.
fn median(values: &mut [i64]) -> f64 {
    values.sort_unstable();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] as f64 + values[n / 2] as f64) / 2.0
    }
}

/// Proposals from `daily` GMV (cents), `daily[i]` being day `first + i`, best first.
pub(super) fn find(first: Day, daily: &[i64]) -> Vec<Found> {
    let n = daily.len();
    if n < MIN_DAYS {
        return Vec::new();
    }
    let half = HALF_SPAN as usize;
    let mut scratch = Vec::with_capacity(2 * half + 1);
    let reference: Vec<f64> = (0..n)
        .map(|i| {
            scratch.clear();
            scratch.extend_from_slice(&daily[i.saturating_sub(half)..(i + half + 1).min(n)]);
            median(&mut scratch)
        })
        .collect();
    let high: Vec<bool> = (0..n)
        .map(|i| reference[i] > 0.0 && daily[i] as f64 >= HIGH_FACTOR * reference[i])
        .collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in (0..n).filter(|&i| high[i]) {
        match runs.last_mut() {
            Some((_, end)) if i - *end - 1 <= MAX_GAP as usize => *end = i,
            _ => runs.push((i, i)),
        }
    }
    let mut found: Vec<Found> = runs
        .into_iter()
        .filter_map(|(a, b)| {
            let excess: f64 = (a..=b).map(|i| daily[i] as f64 - reference[i]).sum();
            if excess <= 0.0 {
                return None;
            }
            // The highest day; ties: the earlier.
            let peak = (a..=b).fold(a, |best, i| if daily[i] > daily[best] { i } else { best });
            let (from, to) = (first + a as Day, first + b as Day);
            Some(Found {
                from,
                to,
                proposal: Proposal {
                    from: format_day(from),
                    to: format_day(to),
                    days: (b - a + 1) as u32,
                    occasion: name_window(from, to),
                    gmv: daily[a..=b].iter().sum(),
                    excess_gmv: excess.round() as i64,
                    peak_day: format_day(first + peak as Day),
                    peak_ratio: daily[peak] as f64 / reference[peak],
                },
            })
        })
        .collect();
    found.sort_by(|x, y| {
        y.proposal
            .excess_gmv
            .cmp(&x.proposal.excess_gmv)
            .then(x.from.cmp(&y.from))
    });
    found.truncate(MAX_PROPOSALS);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::days_from_civil;

    #[test]
    fn a_flat_series_has_no_peak_and_a_short_one_is_not_searched() {
        assert!(find(0, &[100; 60]).is_empty());
        assert!(find(0, &[100, 900, 100]).is_empty());
        assert!(find(0, &[0; 60]).is_empty());
    }

    #[test]
    fn peaks_merge_across_short_gaps_and_rank_by_excess() {
        // 60 days at 100; days 10–11 at 300 (excess 400); days 30, 31, 34 at 200 with 32–33 at 100
        // (a gap of 2 merges: excess 300); day 50 at 1000 (excess 900).
        let mut daily = vec![100i64; 60];
        daily[10] = 300;
        daily[11] = 300;
        daily[30] = 200;
        daily[31] = 200;
        daily[34] = 200;
        daily[50] = 1000;
        let first = days_from_civil(2025, 4, 1);
        let found = find(first, &daily);
        let spans: Vec<(i32, i32, i64)> = found
            .iter()
            .map(|f| (f.from - first, f.to - first, f.proposal.excess_gmv))
            .collect();
        assert_eq!(spans, vec![(50, 50, 900), (10, 11, 400), (30, 34, 300)]);
        assert_eq!(found[0].proposal.gmv, 1000);
        assert_eq!(found[0].proposal.peak_ratio, 10.0);
        assert_eq!(found[2].proposal.days, 5);
        // A gap of 3 splits.
        daily[34] = 100;
        daily[35] = 200;
        let found = find(first, &daily);
        assert_eq!(found.len(), 4);
    }

    #[test]
    fn median_of_even_counts_is_the_mean_of_the_middle() {
        assert_eq!(median(&mut [4, 1, 3, 2]), 2.5);
        assert_eq!(median(&mut [5, 1, 3]), 3.0);
    }
}
