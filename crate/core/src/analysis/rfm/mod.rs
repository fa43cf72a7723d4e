//! RFM scoring and the eight operator segments (DEFINITIONS §4).
//!
//! Every customer with at least one paid order gets R (days since their last paid order, counted to
//! the reference day), F (paid orders) and M (GMV of those orders, cents), then tie-consistent 1–5
//! scores: `score = min(5, 1 + ⌊5·w/n⌋)` with `n` customers and `w` of them strictly worse (larger R,
//! smaller F, smaller M), so equal values always get equal scores. A dimension is *high* when the
//! score is strictly above that dimension's mean score, and the three high/low flags name the segment.
//! Paid orders without a customer id belong to nobody, but they do count for the default reference
//! day (the day after the last paid order of the data).

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::filter::parse_day;
use crate::analysis::kpi::{no_customer_ids, no_paid_orders};
use crate::analysis::{ratio, Unavailable};
use crate::model::Dataset;
use crate::time::{self, Day};

mod export;
#[cfg(test)]
mod tests;

pub use export::segment_csv;

/// Options of [`compute`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RfmOptions {
    /// Day recency is counted to, `YYYY-MM-DD`; default: the day after the last paid order.
    pub reference_day: Option<String>,
}

/// The eight segments, in the order of DEFINITIONS §4 (R, F, M high/low).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// 重要价值客户: recent, frequent, high spend (H H H).
    HighValue,
    /// 重要发展客户: recent, infrequent, high spend (H L H).
    HighPotential,
    /// 重要保持客户: not recent, frequent, high spend (L H H).
    KeepActive,
    /// 重要挽留客户: not recent, infrequent, high spend (L L H).
    WinBack,
    /// 一般价值客户: recent, frequent, low spend (H H L).
    LoyalLowSpend,
    /// 一般发展客户: recent, infrequent, low spend (H L L).
    NewLowSpend,
    /// 一般保持客户: not recent, frequent, low spend (L H L).
    FadingLowSpend,
    /// 一般挽留客户: not recent, infrequent, low spend (L L L).
    Lost,
}

impl Segment {
    /// All segments in the order of DEFINITIONS §4.
    pub const ALL: [Segment; 8] = [
        Segment::HighValue,
        Segment::HighPotential,
        Segment::KeepActive,
        Segment::WinBack,
        Segment::LoyalLowSpend,
        Segment::NewLowSpend,
        Segment::FadingLowSpend,
        Segment::Lost,
    ];

    /// The segment of a customer whose R, F and M are high (`true`) or low.
    pub fn from_highs(recent: bool, frequent: bool, high_spend: bool) -> Segment {
        match (recent, frequent, high_spend) {
            (true, true, true) => Segment::HighValue,
            (true, false, true) => Segment::HighPotential,
            (false, true, true) => Segment::KeepActive,
            (false, false, true) => Segment::WinBack,
            (true, true, false) => Segment::LoyalLowSpend,
            (true, false, false) => Segment::NewLowSpend,
            (false, true, false) => Segment::FadingLowSpend,
            (false, false, false) => Segment::Lost,
        }
    }

    /// Stable snake_case code (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Segment::HighValue => "high_value",
            Segment::HighPotential => "high_potential",
            Segment::KeepActive => "keep_active",
            Segment::WinBack => "win_back",
            Segment::LoyalLowSpend => "loyal_low_spend",
            Segment::NewLowSpend => "new_low_spend",
            Segment::FadingLowSpend => "fading_low_spend",
            Segment::Lost => "lost",
        }
    }

    /// The name Chinese operators use.
    pub fn zh(self) -> &'static str {
        match self {
            Segment::HighValue => "重要价值客户",
            Segment::HighPotential => "重要发展客户",
            Segment::KeepActive => "重要保持客户",
            Segment::WinBack => "重要挽留客户",
            Segment::LoyalLowSpend => "一般价值客户",
            Segment::NewLowSpend => "一般发展客户",
            Segment::FadingLowSpend => "一般保持客户",
            Segment::Lost => "一般挽留客户",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Segment::HighValue => "high-value",
            Segment::HighPotential => "high-potential",
            Segment::KeepActive => "keep-active",
            Segment::WinBack => "win-back",
            Segment::LoyalLowSpend => "loyal low-spend",
            Segment::NewLowSpend => "new low-spend",
            Segment::FadingLowSpend => "fading low-spend",
            Segment::Lost => "lost",
        }
    }
}

/// One customer's RFM values, scores and segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmCustomer {
    /// Customer id as exported (buyer account, email, user id).
    pub customer: String,
    /// Day of the customer's last paid order, `YYYY-MM-DD`.
    pub last_order_day: String,
    /// R: days from the last paid order's day to the reference day (negative if the reference day is
    /// set before it).
    pub recency_days: i64,
    /// F: paid orders.
    pub frequency: u64,
    /// M: GMV of the customer's paid orders, cents.
    pub monetary: i64,
    /// R score, 1–5 (5 = most recent).
    pub r_score: u8,
    /// F score, 1–5 (5 = most orders).
    pub f_score: u8,
    /// M score, 1–5 (5 = most spent).
    pub m_score: u8,
    /// Segment from the three scores against the mean scores.
    pub segment: Segment,
}

/// One segment's size and averages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    /// The segment summarised.
    pub segment: Segment,
    /// Customers in the segment.
    pub customers: u64,
    /// `customers / all customers`.
    pub share_of_customers: f64,
    /// Σ monetary of the segment's customers, cents.
    pub revenue: i64,
    /// `revenue / Σ monetary of all customers`; `None` when that is 0.
    pub share_of_revenue: Option<f64>,
    /// Mean recency, days; `None` for an empty segment.
    pub avg_recency: Option<f64>,
    /// Mean paid orders per customer; `None` for an empty segment.
    pub avg_frequency: Option<f64>,
    /// Mean monetary, cents; `None` for an empty segment.
    pub avg_monetary: Option<f64>,
}

/// Mean score of each dimension over all customers: the high/low thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanScores {
    /// Mean R score, 1–5.
    pub r: f64,
    /// Mean F score, 1–5.
    pub f: f64,
    /// Mean M score, 1–5.
    pub m: f64,
}

/// The RFM section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfmReport {
    /// Day recency is counted to, `YYYY-MM-DD`.
    pub reference_day: String,
    /// Every customer with a paid order, by monetary descending, then customer id ascending.
    pub customers: Vec<RfmCustomer>,
    /// All eight segments, in [`Segment::ALL`] order, empty ones included.
    pub segments: Vec<SegmentSummary>,
    /// Mean scores; a score strictly above its mean is *high*.
    pub mean_scores: MeanScores,
}

/// Scores every customer. `Unavailable` with code `no_paid_orders`, `no_customer_ids`, or
/// `invalid_reference_day` when the option is not a `YYYY-MM-DD` date.
pub fn compute(ds: &Dataset, opts: &RfmOptions) -> Result<RfmReport, Unavailable> {
    let orders = &ds.orders;
    // Per customer id: (last paid day, paid orders, GMV in cents).
    let mut per_customer: Vec<Option<(Day, u64, i64)>> = vec![None; ds.customers.len()];
    let mut last_paid_day: Option<Day> = None;
    for o in (0..orders.len()).filter(|&o| orders.is_paid(o)) {
        let day = time::day_of(orders.time[o]);
        last_paid_day = Some(last_paid_day.map_or(day, |d| d.max(day)));
        let Some(entry) = orders.customer[o].and_then(|c| per_customer.get_mut(c as usize)) else {
            continue;
        };
        let (last, count, gmv) = entry.get_or_insert((day, 0, 0));
        *last = (*last).max(day);
        *count += 1;
        *gmv = gmv.saturating_add(orders.paid_amount[o]);
    }
    let Some(last_paid_day) = last_paid_day else {
        return Err(no_paid_orders());
    };
    let reference_day = match &opts.reference_day {
        None => last_paid_day + 1,
        Some(text) => parse_day(text).ok_or_else(|| {
            Unavailable::new(
                UnavailableCode::InvalidReferenceDay,
                "a reference day written YYYY-MM-DD",
            )
        })?,
    };
    let buyers: Vec<(u32, Day, u64, i64)> = per_customer
        .iter()
        .enumerate()
        .filter_map(|(c, v)| v.map(|(last, count, gmv)| (c as u32, last, count, gmv)))
        .collect();
    if buyers.is_empty() {
        return Err(no_customer_ids());
    }
    let recency: Vec<i64> = buyers
        .iter()
        .map(|b| i64::from(reference_day) - i64::from(b.1))
        .collect();
    let frequency: Vec<u64> = buyers.iter().map(|b| b.2).collect();
    let monetary: Vec<i64> = buyers.iter().map(|b| b.3).collect();
    // A larger R is worse: score the negated recency, where smaller is worse like F and M.
    let r_scores = scores(&recency.iter().map(|r| -r).collect::<Vec<_>>());
    let f_scores = scores(&frequency);
    let m_scores = scores(&monetary);
    let mean_scores = MeanScores {
        r: mean(&r_scores),
        f: mean(&f_scores),
        m: mean(&m_scores),
    };
    // Report order (monetary descending, then customer id) is decided on borrowed names, so rows are
    // built once, in place. Ids are unique, so an unstable sort gives the one possible order.
    let mut order: Vec<(i64, &str, usize)> = (0..buyers.len())
        .map(|i| (monetary[i], ds.customers.name(buyers[i].0), i))
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    // Last-order days span a few hundred days for hundreds of thousands of customers: format each
    // day once.
    let first_last_day = buyers.iter().map(|b| b.1).min().unwrap_or(reference_day);
    let mut day_labels = DayLabels::starting(first_last_day);
    let customers: Vec<RfmCustomer> = order
        .iter()
        .map(|&(_, name, i)| RfmCustomer {
            customer: name.to_string(),
            last_order_day: day_labels.label(buyers[i].1),
            recency_days: recency[i],
            frequency: frequency[i],
            monetary: monetary[i],
            r_score: r_scores[i],
            f_score: f_scores[i],
            m_score: m_scores[i],
            segment: Segment::from_highs(
                f64::from(r_scores[i]) > mean_scores.r,
                f64::from(f_scores[i]) > mean_scores.f,
                f64::from(m_scores[i]) > mean_scores.m,
            ),
        })
        .collect();
    let segments = summarise(&customers);
    Ok(RfmReport {
        reference_day: time::format_day(reference_day),
        customers,
        segments,
        mean_scores,
    })
}

/// Tie-consistent 1–5 scores where smaller values are worse: `min(5, 1 + ⌊5·w/n⌋)`, `w` = values
/// strictly smaller. One sort of (value, position) pairs: in sorted order, `w` of a value is the
/// index where its run of equal values starts. O(n log n).
fn scores<T: Ord + Copy>(values: &[T]) -> Vec<u8> {
    let n = values.len() as u64;
    let mut sorted: Vec<(T, usize)> = values.iter().copied().zip(0..).collect();
    sorted.sort_unstable();
    let mut out = vec![0u8; values.len()];
    let mut run_start = 0;
    for (k, &(value, position)) in sorted.iter().enumerate() {
        if value != sorted[run_start].0 {
            run_start = k;
        }
        let worse = run_start as u64;
        out[position] = (1 + 5 * worse / n).min(5) as u8;
    }
    out
}

/// `YYYY-MM-DD` of days, each formatted once.
struct DayLabels {
    /// Day of `labels[0]`.
    first: Day,
    labels: Vec<Option<String>>,
}

impl DayLabels {
    /// Days further than this from `first` (or before it) are formatted without caching, so a
    /// stray timestamp cannot make the cache large.
    const MAX_SPAN_DAYS: usize = 40_000;

    fn starting(first: Day) -> DayLabels {
        DayLabels {
            first,
            labels: Vec::new(),
        }
    }

    fn label(&mut self, day: Day) -> String {
        let Some(offset) = usize::try_from(i64::from(day) - i64::from(self.first))
            .ok()
            .filter(|&o| o < Self::MAX_SPAN_DAYS)
        else {
            return time::format_day(day);
        };
        if offset >= self.labels.len() {
            self.labels.resize(offset + 1, None);
        }
        self.labels[offset]
            .get_or_insert_with(|| time::format_day(day))
            .clone()
    }
}

fn mean(scores: &[u8]) -> f64 {
    scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64
}

fn summarise(customers: &[RfmCustomer]) -> Vec<SegmentSummary> {
    /// Sums of one segment's customers.
    #[derive(Clone, Copy, Default)]
    struct Sums {
        customers: u64,
        /// Cents.
        revenue: i64,
        /// Days.
        recency: i64,
        frequency: u64,
    }
    let mut sums = [Sums::default(); Segment::ALL.len()];
    let mut total_revenue = 0i64;
    for c in customers {
        total_revenue = total_revenue.saturating_add(c.monetary);
        // `Segment::ALL` lists the variants in declaration order, so the discriminant is the index.
        let s = &mut sums[c.segment as usize];
        s.customers += 1;
        s.revenue = s.revenue.saturating_add(c.monetary);
        s.recency += c.recency_days;
        s.frequency += c.frequency;
    }
    let total_customers = customers.len() as f64;
    Segment::ALL
        .iter()
        .zip(sums)
        .map(|(&segment, s)| {
            let count = s.customers as f64;
            SegmentSummary {
                segment,
                customers: s.customers,
                share_of_customers: count / total_customers,
                revenue: s.revenue,
                share_of_revenue: ratio(s.revenue as f64, total_revenue as f64),
                avg_recency: ratio(s.recency as f64, count),
                avg_frequency: ratio(s.frequency as f64, count),
                avg_monetary: ratio(s.revenue as f64, count),
            }
        })
        .collect()
}
