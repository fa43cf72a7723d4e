//! Promotion readout (活动复盘), DEFINITIONS §7: a campaign window against a baseline and the window
//! right after it, with every §2 KPI, the GMV decomposition, the new buyers won, the campaign's
//! refunds and the product lift.
//!
//! Decisions where §7 leaves room, stated once here:
//! - Windows are whole days `[from, to]` of the order time (payment time, else creation time), as in
//!   the KPIs. KPI figures over a window are [`kpi`](crate::analysis::kpi)'s own sums over those days;
//!   new buyers are buyers whose first paid order in the whole (filtered) dataset is in the window.
//! - A window's **covered days** are its days between the first and the last day with a paid order.
//!   **Per-day** figures divide a total by the covered days (`None` when none is covered), so a window
//!   reaching past the data is not diluted by days the export does not hold. The after-window keeps its
//!   full length; `covered_days` says how much of it the data reaches.
//! - `year_before`: the same calendar dates one year earlier (29 February becomes 28 February).
//! - Changes are relative, `(x − baseline) / baseline`, for ratios too (as in the KPI cards).
//! - The decomposition's factors must be positive: a zero (or negative) factor or GMV, or an unchanged
//!   GMV, leaves every share `None` and says why. A factor's **contribution** is its share × ΔGMV.
//! - The traffic decomposition needs a shop-level traffic row with visitors on every day of both
//!   windows ("a traffic export covers both windows").
//! - Product lift: revenue allocated to lines as in §6, per covered day, campaign − baseline.

mod calendar;
mod peaks;
#[cfg(test)]
mod tests;

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::filter::parse_day;
use crate::analysis::kpi::{self, KpiSet};
use crate::analysis::products::allocate_cents;
use crate::analysis::{change, ratio, Unavailable};
use crate::model::Dataset;
use crate::time::{self, day_of, format_day, Day};

pub use calendar::{name_window, Occasion, CHINESE_NEW_YEAR, PRIME_DAY};
pub use peaks::Proposal;
/// The peak rule's constants, which the SQL script of §7 (`crate::sql`) proposes windows by too.
pub(crate) use peaks::{HALF_SPAN, HIGH_FACTOR, MAX_GAP, MAX_PROPOSALS, MIN_DAYS};

/// How many products each of [`ProductLift::top_gainers`] and [`ProductLift::top_losers`] holds.
pub const TOP_MOVERS: usize = 10;

/// A window of whole days, `YYYY-MM-DD` to `YYYY-MM-DD`, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayWindow {
    pub from: String,
    pub to: String,
}

/// A baseline rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineRule {
    /// The same length, ending the day before the campaign.
    #[default]
    Before,
    /// The same calendar dates one year earlier.
    YearBefore,
}

/// The baseline: a rule or a window of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Baseline {
    Rule(BaselineRule),
    Window(DayWindow),
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::Rule(BaselineRule::Before)
    }
}

/// Options of [`compute`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PromotionOptions {
    /// The campaign window; `None`: the top proposal.
    pub campaign: Option<DayWindow>,
    /// The baseline window; default `"before"`.
    pub baseline: Baseline,
}

impl PromotionOptions {
    /// Checks the dates: real `YYYY-MM-DD` days, `from ≤ to`. The message names the bad value.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(w) = &self.campaign {
            parse_window(w).map_err(|e| format!("campaign: {e}"))?;
        }
        if let Baseline::Window(w) = &self.baseline {
            parse_window(w).map_err(|e| format!("baseline: {e}"))?;
        }
        Ok(())
    }
}

fn parse_window(w: &DayWindow) -> Result<(Day, Day), String> {
    let day = |s: &str| parse_day(s).ok_or_else(|| format!("'{s}' is not a YYYY-MM-DD date"));
    let (from, to) = (day(&w.from)?, day(&w.to)?);
    if from > to {
        return Err(format!("'{}' is after '{}'", w.from, w.to));
    }
    Ok((from, to))
}

/// Where the campaign window came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignSource {
    /// Given in the options.
    Chosen,
    /// The top proposal.
    Proposed,
}

/// Where the baseline window came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineSource {
    Before,
    YearBefore,
    Chosen,
}

/// One window with its KPIs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowKpis {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Length in days.
    pub days: u32,
    /// Days of it between the data's first and last paid day; per-day figures divide by this.
    pub covered_days: u32,
    /// Every §2 metric over the window.
    pub kpi: KpiSet,
}

/// How a metric is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// Cents.
    Money,
    /// A count.
    Count,
    /// A fraction (0.25 = 25 %).
    Ratio,
}

/// One §2 metric side by side: totals, per covered day (additive metrics only) and changes against
/// the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiRow {
    /// `gmv`, `refunds`, `net_sales`, `paid_orders`, `buyers`, `revenue_per_buyer`, `aov`, `units`,
    /// `refund_rate`, `refund_order_rate`, `repurchase_rate`, `new_buyers`, `returning_buyers`,
    /// `visitors`, `conversion_rate`.
    pub metric: String,
    pub unit: MetricUnit,
    pub baseline: Option<f64>,
    pub campaign: Option<f64>,
    pub after: Option<f64>,
    /// Campaign against baseline, relative.
    pub change: Option<f64>,
    /// After-window against baseline, relative.
    pub after_change: Option<f64>,
    /// Whether the metric is a sum, so that per-day figures apply.
    pub additive: bool,
    pub baseline_per_day: Option<f64>,
    pub campaign_per_day: Option<f64>,
    pub after_per_day: Option<f64>,
    pub change_per_day: Option<f64>,
    pub after_change_per_day: Option<f64>,
}

/// One factor of a GMV decomposition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// `buyers`, `orders_per_buyer`, `aov` (cents) or `visitors`, `conversion_rate`,
    /// `revenue_per_buyer` (cents).
    pub factor: String,
    /// Value in the baseline.
    pub baseline: f64,
    /// Value in the campaign.
    pub campaign: f64,
    /// ln(campaign / baseline) / ln(GMV₁ / GMV₀); the shares sum to 1.
    pub share: Option<f64>,
    /// share × (GMV₁ − GMV₀), cents: the factor's step in the waterfall.
    pub contribution: Option<f64>,
}

/// GMV as a product of factors, baseline against campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decomposition {
    /// Baseline GMV, cents.
    pub gmv_baseline: i64,
    /// Campaign GMV, cents.
    pub gmv_campaign: i64,
    pub factors: Vec<Factor>,
    /// Why the shares are `None`: `gmv_unchanged` or `zero_factor` (a factor or GMV ≤ 0).
    pub undefined: Option<String>,
}

/// The decompositions of §7.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decompositions {
    /// buyers × orders per buyer × AOV; `None` without customer ids.
    pub orders: Option<Decomposition>,
    /// visitors × conversion rate × 客单价; `None` unless traffic covers both windows.
    pub traffic: Option<Decomposition>,
    /// Why `traffic` is `None`.
    pub traffic_unavailable: Option<Unavailable>,
}

/// New buyers won by the campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewBuyers {
    /// Campaign buyers whose first paid order in the data is in the campaign.
    pub count: Option<u64>,
    /// count / campaign buyers.
    pub share: Option<f64>,
    /// Of them, how many paid another order after the campaign's last day (up to `observed_until`);
    /// `None` when the data ends on or before that day.
    pub came_back: Option<u64>,
    /// came_back / count.
    pub came_back_rate: Option<f64>,
    /// Last day with a paid order, `YYYY-MM-DD`: how far "afterwards" reaches.
    pub observed_until: String,
    /// Days after the campaign that the data holds.
    pub days_observed: u32,
}

/// Refunds of the campaign's paid orders, as exported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignRefunds {
    /// Refunds of the campaign's paid orders, cents (whenever the refund happened, up to the export).
    pub refunds: i64,
    /// Campaign paid orders with a refund > 0.
    pub refunded_orders: u64,
    pub paid_orders: u64,
    pub refund_rate: Option<f64>,
    pub refund_order_rate: Option<f64>,
    /// The baseline's refund rate, for comparison.
    pub baseline_refund_rate: Option<f64>,
    /// Last day of the data: refunds after it are not in the export.
    pub as_of: String,
}

/// One product's revenue in the campaign against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductLiftRow {
    pub key: String,
    pub title: Option<String>,
    /// Revenue (§6 allocation) in the baseline, cents.
    pub baseline_revenue: i64,
    /// Revenue in the campaign, cents.
    pub campaign_revenue: i64,
    pub baseline_units: i64,
    pub campaign_units: i64,
    /// baseline_revenue / baseline covered days, cents.
    pub baseline_per_day: Option<f64>,
    /// campaign_revenue / campaign covered days, cents.
    pub campaign_per_day: Option<f64>,
    /// campaign_per_day − baseline_per_day, cents per day.
    pub lift_per_day: Option<f64>,
    /// Relative change of revenue per day; `None` when the baseline had none.
    pub change: Option<f64>,
}

/// Product lift: every product sold in either window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductLift {
    /// Every product, by lift per day (largest first; `None` last; ties by key).
    pub products: Vec<ProductLiftRow>,
    /// Up to [`TOP_MOVERS`] products with the largest positive lift.
    pub top_gainers: Vec<ProductLiftRow>,
    /// Up to [`TOP_MOVERS`] products with the largest negative lift, most negative first.
    pub top_losers: Vec<ProductLiftRow>,
}

/// The promotion section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromotionReport {
    /// Proposed campaign windows, best first (see [`peaks`](self) for the rule).
    pub proposals: Vec<Proposal>,
    pub campaign_source: CampaignSource,
    pub baseline_source: BaselineSource,
    /// The festival the campaign window falls on.
    pub occasion: Option<Occasion>,
    /// First and last day with a paid order, `YYYY-MM-DD`.
    pub data_first_day: String,
    pub data_last_day: String,
    pub baseline: WindowKpis,
    pub campaign: WindowKpis,
    /// The window of the campaign's length right after it.
    pub after: WindowKpis,
    /// Every §2 metric side by side.
    pub rows: Vec<KpiRow>,
    pub decomposition: Decompositions,
    pub new_buyers: NewBuyers,
    pub refunds: CampaignRefunds,
    pub products: ProductLift,
}

/// Computes the readout; `opts` must have passed [`PromotionOptions::validate`] (an invalid window
/// is reported as unavailable here).
pub fn compute(ds: &Dataset, opts: &PromotionOptions) -> Result<PromotionReport, Unavailable> {
    let orders = &ds.orders;
    if orders.is_empty() {
        return Err(Unavailable::new(
            UnavailableCode::NoOrders,
            "an order export (订单报表, Shopify orders, Amazon All Orders …)",
        ));
    }
    let paid: Vec<usize> = (0..orders.len()).filter(|&o| orders.is_paid(o)).collect();
    let Some((first, last)) =
        paid.iter()
            .map(|&o| day_of(orders.time[o]))
            .fold(None, |acc: Option<(Day, Day)>, d| match acc {
                None => Some((d, d)),
                Some((a, b)) => Some((a.min(d), b.max(d))),
            })
    else {
        return Err(kpi::no_paid_orders());
    };
    let found = daily_gmv(ds, &paid, first, last)
        .map(|daily| peaks::find(first, &daily))
        .unwrap_or_default();
    let invalid = |e: String| Unavailable::new(UnavailableCode::InvalidWindow, &e);
    let ((a, b), campaign_source) =
        match &opts.campaign {
            Some(w) => (parse_window(w).map_err(invalid)?, CampaignSource::Chosen),
            None => match found.first() {
                Some(f) => ((f.from, f.to), CampaignSource::Proposed),
                None => return Err(Unavailable::new(
                    UnavailableCode::NoPeak,
                    "orders over at least 14 days with a sales peak, or a campaign window chosen \
                     in the options",
                )),
            },
        };
    let length = b - a + 1;
    let ((b0, b1), baseline_source) = match &opts.baseline {
        Baseline::Rule(BaselineRule::Before) => ((a - length, a - 1), BaselineSource::Before),
        Baseline::Rule(BaselineRule::YearBefore) => {
            ((year_before(a), year_before(b)), BaselineSource::YearBefore)
        }
        Baseline::Window(w) => (parse_window(w).map_err(invalid)?, BaselineSource::Chosen),
    };
    let (c0, c1) = (b + 1, b + length);
    let sets = kpi::window_sets(ds, &[(b0, b1), (a, b), (c0, c1)]);
    let window = |(from, to): (Day, Day), kpi: KpiSet| WindowKpis {
        from: format_day(from),
        to: format_day(to),
        days: (to - from + 1) as u32,
        covered_days: (to.min(last) - from.max(first) + 1).max(0) as u32,
        kpi,
    };
    let mut sets = sets.into_iter();
    let baseline = window((b0, b1), sets.next().unwrap_or_default());
    let campaign = window((a, b), sets.next().unwrap_or_default());
    let after = window((c0, c1), sets.next().unwrap_or_default());
    let rows = kpi_rows(&baseline, &campaign, &after);
    let decomposition = Decompositions {
        orders: orders_decomposition(&baseline.kpi, &campaign.kpi),
        traffic: traffic_covers(ds, &[(b0, b1), (a, b)])
            .then(|| traffic_decomposition(&baseline.kpi, &campaign.kpi))
            .flatten(),
        traffic_unavailable: None,
    };
    let decomposition = Decompositions {
        traffic_unavailable: decomposition.traffic.is_none().then(|| {
            Unavailable::new(
                UnavailableCode::NoTrafficCoverage,
                "a shop traffic export (生意参谋 / Shopify sessions) with visitors on every day of \
                 both windows",
            )
        }),
        ..decomposition
    };
    let new_buyers = new_buyers(ds, &paid, (a, b), last, &campaign.kpi);
    let refunds = CampaignRefunds {
        refunds: campaign.kpi.refunds,
        refunded_orders: paid
            .iter()
            .filter(|&&o| orders.refund[o] > 0 && (a..=b).contains(&day_of(orders.time[o])))
            .count() as u64,
        paid_orders: campaign.kpi.paid_orders,
        refund_rate: campaign.kpi.refund_rate,
        refund_order_rate: campaign.kpi.refund_order_rate,
        baseline_refund_rate: baseline.kpi.refund_rate,
        as_of: format_day(last),
    };
    let products = product_lift(
        ds,
        &paid,
        (b0, b1),
        (a, b),
        baseline.covered_days,
        campaign.covered_days,
    );
    Ok(PromotionReport {
        proposals: found.into_iter().map(|f| f.proposal).collect(),
        campaign_source,
        baseline_source,
        occasion: name_window(a, b),
        data_first_day: format_day(first),
        data_last_day: format_day(last),
        baseline,
        campaign,
        after,
        rows,
        decomposition,
        new_buyers,
        refunds,
        products,
    })
}

/// Longest span of days the peak search reads (about 27 years); a stray date beyond it skips the
/// search rather than allocating for it.
pub(crate) const MAX_SPAN_DAYS: i64 = 10_000;

/// Daily GMV of paid orders, `first` to `last`; `None` when the span is absurdly long.
fn daily_gmv(ds: &Dataset, paid: &[usize], first: Day, last: Day) -> Option<Vec<i64>> {
    let span = i64::from(last) - i64::from(first) + 1;
    if span > MAX_SPAN_DAYS {
        return None;
    }
    let mut daily = vec![0i64; span as usize];
    for &o in paid {
        let slot = (day_of(ds.orders.time[o]) - first) as usize;
        daily[slot] = daily[slot].saturating_add(ds.orders.paid_amount[o]);
    }
    Some(daily)
}

/// The same calendar date one year earlier; 29 February becomes 28 February.
fn year_before(day: Day) -> Day {
    let (y, m, d) = time::civil_from_days(day);
    let d = if m == 2 && d == 29 { 28 } else { d };
    time::days_from_civil(y - 1, m, d)
}

/// Reads one metric of a [`KpiSet`].
pub(crate) type MetricOf = fn(&KpiSet) -> Option<f64>;

/// The §2 metrics of [`KpiRow`], in order: name, unit, whether additive (per-day figures apply),
/// how it is read.
pub(crate) const KPI_METRICS: [(&str, MetricUnit, bool, MetricOf); 15] = [
    ("gmv", MetricUnit::Money, true, |k| Some(k.gmv as f64)),
    ("refunds", MetricUnit::Money, true, |k| {
        Some(k.refunds as f64)
    }),
    ("net_sales", MetricUnit::Money, true, |k| {
        Some(k.net_sales as f64)
    }),
    ("paid_orders", MetricUnit::Count, true, |k| {
        Some(k.paid_orders as f64)
    }),
    ("buyers", MetricUnit::Count, true, |k| {
        k.buyers.map(|n| n as f64)
    }),
    ("revenue_per_buyer", MetricUnit::Money, false, |k| {
        k.revenue_per_buyer
    }),
    ("aov", MetricUnit::Money, false, |k| k.aov),
    ("units", MetricUnit::Count, true, |k| Some(k.units as f64)),
    ("refund_rate", MetricUnit::Ratio, false, |k| k.refund_rate),
    ("refund_order_rate", MetricUnit::Ratio, false, |k| {
        k.refund_order_rate
    }),
    ("repurchase_rate", MetricUnit::Ratio, false, |k| {
        k.repurchase_rate
    }),
    ("new_buyers", MetricUnit::Count, true, |k| {
        k.new_buyers.map(|n| n as f64)
    }),
    ("returning_buyers", MetricUnit::Count, true, |k| {
        k.returning_buyers.map(|n| n as f64)
    }),
    ("visitors", MetricUnit::Count, true, |k| {
        k.visitors.map(|n| n as f64)
    }),
    ("conversion_rate", MetricUnit::Ratio, false, |k| {
        k.conversion_rate
    }),
];

fn kpi_rows(baseline: &WindowKpis, campaign: &WindowKpis, after: &WindowKpis) -> Vec<KpiRow> {
    let rel = |x: Option<f64>, y: Option<f64>| x.zip(y).and_then(|(x, y)| change(x, y));
    let per_day =
        |v: Option<f64>, w: &WindowKpis| v.and_then(|v| ratio(v, f64::from(w.covered_days)));
    KPI_METRICS
        .iter()
        .map(|&(metric, unit, additive, get)| {
            let (x0, x1, x2) = (get(&baseline.kpi), get(&campaign.kpi), get(&after.kpi));
            let (d0, d1, d2) = if additive {
                (
                    per_day(x0, baseline),
                    per_day(x1, campaign),
                    per_day(x2, after),
                )
            } else {
                (None, None, None)
            };
            KpiRow {
                metric: metric.to_string(),
                unit,
                baseline: x0,
                campaign: x1,
                after: x2,
                change: rel(x0, x1),
                after_change: rel(x0, x2),
                additive,
                baseline_per_day: d0,
                campaign_per_day: d1,
                after_per_day: d2,
                change_per_day: rel(d0, d1),
                after_change_per_day: rel(d0, d2),
            }
        })
        .collect()
}

/// Shares of `factors` ((name, baseline, campaign)) in the change of GMV from `g0` to `g1`.
fn decompose(g0: i64, g1: i64, factors: [(&str, f64, f64); 3]) -> Decomposition {
    let positive = g0 > 0 && g1 > 0 && factors.iter().all(|&(_, x0, x1)| x0 > 0.0 && x1 > 0.0);
    let undefined = if !positive {
        Some("zero_factor")
    } else if g0 == g1 {
        Some("gmv_unchanged")
    } else {
        None
    };
    let log_gmv = (g1 as f64 / g0 as f64).ln();
    let delta = (g1 - g0) as f64;
    Decomposition {
        gmv_baseline: g0,
        gmv_campaign: g1,
        factors: factors
            .iter()
            .map(|&(name, x0, x1)| {
                let share = undefined.is_none().then(|| (x1 / x0).ln() / log_gmv);
                Factor {
                    factor: name.to_string(),
                    baseline: x0,
                    campaign: x1,
                    share,
                    contribution: share.map(|s| s * delta),
                }
            })
            .collect(),
        undefined: undefined.map(str::to_string),
    }
}

/// GMV = buyers × orders per buyer × AOV; `None` without customer ids.
fn orders_decomposition(k0: &KpiSet, k1: &KpiSet) -> Option<Decomposition> {
    let (b0, b1) = (k0.buyers? as f64, k1.buyers? as f64);
    let (o0, o1) = (k0.paid_orders as f64, k1.paid_orders as f64);
    let (g0, g1) = (k0.gmv as f64, k1.gmv as f64);
    let or0 = |n: f64, d: f64| ratio(n, d).unwrap_or(0.0);
    Some(decompose(
        k0.gmv,
        k1.gmv,
        [
            ("buyers", b0, b1),
            ("orders_per_buyer", or0(o0, b0), or0(o1, b1)),
            ("aov", or0(g0, o0), or0(g1, o1)),
        ],
    ))
}

/// GMV = visitors × conversion rate × 客单价; `None` without customer ids or visitors.
fn traffic_decomposition(k0: &KpiSet, k1: &KpiSet) -> Option<Decomposition> {
    let (b0, b1) = (k0.buyers? as f64, k1.buyers? as f64);
    let (v0, v1) = (k0.visitors? as f64, k1.visitors? as f64);
    let (g0, g1) = (k0.gmv as f64, k1.gmv as f64);
    let or0 = |n: f64, d: f64| ratio(n, d).unwrap_or(0.0);
    Some(decompose(
        k0.gmv,
        k1.gmv,
        [
            ("visitors", v0, v1),
            ("conversion_rate", or0(b0, v0), or0(b1, v1)),
            ("revenue_per_buyer", or0(g0, b0), or0(g1, b1)),
        ],
    ))
}

/// Whether every day of every window has a shop-level traffic row giving visitors.
fn traffic_covers(ds: &Dataset, windows: &[(Day, Day)]) -> bool {
    let t = &ds.traffic;
    windows.iter().all(|&(from, to)| {
        let mut seen = vec![false; (to - from + 1) as usize];
        for r in 0..t.len() {
            if let Some(d) = t.day[r].filter(|d| (from..=to).contains(d)) {
                if t.product[r].is_none() && t.visitors[r].is_some() {
                    seen[(d - from) as usize] = true;
                }
            }
        }
        seen.iter().all(|&s| s)
    })
}

fn new_buyers(
    ds: &Dataset,
    paid: &[usize],
    (a, b): (Day, Day),
    last: Day,
    campaign: &KpiSet,
) -> NewBuyers {
    let orders = &ds.orders;
    // Per customer: first paid day in the data, and whether a paid order falls after b.
    let mut first_day: Vec<Option<Day>> = vec![None; ds.customers.len()];
    let mut after_b = vec![false; ds.customers.len()];
    for &o in paid {
        let Some(c) = orders.customer[o].map(|c| c as usize) else {
            continue;
        };
        if c >= first_day.len() {
            continue;
        }
        let day = day_of(orders.time[o]);
        first_day[c] = Some(first_day[c].map_or(day, |f| f.min(day)));
        after_b[c] |= day > b;
    }
    let observed = last > b;
    let came_back = observed.then(|| {
        first_day
            .iter()
            .zip(&after_b)
            .filter(|(f, &back)| f.is_some_and(|f| (a..=b).contains(&f)) && back)
            .count() as u64
    });
    let count = campaign.new_buyers;
    NewBuyers {
        count,
        share: count
            .zip(campaign.buyers)
            .and_then(|(n, b)| ratio(n as f64, b as f64)),
        came_back: came_back.filter(|_| count.is_some()),
        came_back_rate: came_back
            .zip(count)
            .and_then(|(c, n)| ratio(c as f64, n as f64)),
        observed_until: format_day(last),
        days_observed: (last - b).max(0) as u32,
    }
}

fn product_lift(
    ds: &Dataset,
    paid: &[usize],
    baseline: (Day, Day),
    campaign: (Day, Day),
    baseline_days: u32,
    campaign_days: u32,
) -> ProductLift {
    #[derive(Clone, Copy, Default)]
    struct Sums {
        revenue: [i64; 2],
        units: [i64; 2],
        sold: bool,
    }
    let in_window = |day: Day, (from, to): (Day, Day)| (from..=to).contains(&day);
    let mut sums = vec![Sums::default(); ds.products.len()];
    let lines_by_order = ds.lines_by_order();
    let mut weights: Vec<i64> = Vec::new();
    for &o in paid {
        let day = day_of(ds.orders.time[o]);
        let windows = [in_window(day, baseline), in_window(day, campaign)];
        if !windows[0] && !windows[1] {
            continue;
        }
        let lines = lines_by_order.get(o);
        weights.clear();
        weights.extend(
            lines
                .iter()
                .map(|&l| ds.lines.value(l as usize).unwrap_or(0)),
        );
        let revenue = allocate_cents(ds.orders.paid_amount[o], &weights);
        for (k, &l) in lines.iter().enumerate() {
            let Some(s) = sums.get_mut(ds.lines.product[l as usize] as usize) else {
                continue;
            };
            s.sold = true;
            for w in (0..2).filter(|&w| windows[w]) {
                s.revenue[w] = s.revenue[w].saturating_add(revenue[k]);
                s.units[w] = s.units[w].saturating_add(ds.lines.quantity[l as usize]);
            }
        }
    }
    let mut products: Vec<ProductLiftRow> = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.sold)
        .map(|(p, s)| {
            let p = p as u32;
            let base = ratio(s.revenue[0] as f64, f64::from(baseline_days));
            let camp = ratio(s.revenue[1] as f64, f64::from(campaign_days));
            ProductLiftRow {
                key: ds.products.name(p).to_string(),
                title: ds
                    .product_info
                    .get(p as usize)
                    .and_then(|i| i.title.clone()),
                baseline_revenue: s.revenue[0],
                campaign_revenue: s.revenue[1],
                baseline_units: s.units[0],
                campaign_units: s.units[1],
                baseline_per_day: base,
                campaign_per_day: camp,
                lift_per_day: base.zip(camp).map(|(x, y)| y - x),
                change: base.zip(camp).and_then(|(x, y)| change(x, y)),
            }
        })
        .collect();
    products.sort_by(|x, y| {
        let lift = |r: &ProductLiftRow| r.lift_per_day.unwrap_or(f64::NEG_INFINITY);
        lift(y).total_cmp(&lift(x)).then_with(|| x.key.cmp(&y.key))
    });
    let top_gainers = products
        .iter()
        .filter(|r| r.lift_per_day.is_some_and(|l| l > 0.0))
        .take(TOP_MOVERS)
        .cloned()
        .collect();
    let mut top_losers: Vec<ProductLiftRow> = products
        .iter()
        .rev()
        .filter(|r| r.lift_per_day.is_some_and(|l| l < 0.0))
        .take(TOP_MOVERS)
        .cloned()
        .collect();
    // Most negative first; `rev` reversed the key order of ties, so restore it.
    top_losers.sort_by(|x, y| {
        let lift = |r: &ProductLiftRow| r.lift_per_day.unwrap_or(0.0);
        lift(x).total_cmp(&lift(y)).then_with(|| x.key.cmp(&y.key))
    });
    ProductLift {
        products,
        top_gainers,
        top_losers,
    }
}
