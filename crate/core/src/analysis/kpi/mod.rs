//! Sales KPIs (DEFINITIONS §2) for the whole range and as dense daily, weekly and monthly series, with
//! period-over-period changes and a last-period comparison for the KPI cards.
//!
//! Counting rules:
//! - Only paid orders count; each is attributed to the period of its order time (payment time, else
//!   creation time), and so is its refund, whenever the refund happened.
//! - Buyers are distinct customer ids among paid orders; paid orders without a customer id add to GMV,
//!   orders and units but to no buyer count. When no paid order has a customer id, every buyer-based
//!   figure is `None` and [`KpiReport::buyers_unavailable`] says why.
//! - Visitors come from shop-level traffic rows (rows without a product); ads from ad report rows.
//!   Rows without a day count in [`KpiReport::total`] only.
//! - Series are dense: every period from the first to the last day that holds data (a paid order, a
//!   shop-level traffic row, an ad row) is present, periods without orders as zero rows whose ratios are
//!   `None`.
//! - Partial periods: the first and last period may hold fewer days of data than a whole period (a
//!   week with one day of data). Each point says how many of its days the data covers; a partial
//!   period is never compared as a whole one: the last period's change (and the KPI cards') is
//!   against the same number of days at the start of the period before it, and the period after a
//!   partial first one has no change.

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::{change, ratio, Unavailable};
use crate::model::Dataset;
use crate::time::{self, Day, Grain};

mod sums;
#[cfg(test)]
mod tests;

use sums::{Inputs, Sums};

/// Options of [`compute`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KpiOptions {
    /// Calendar unit of [`KpiReport::compare`] (the KPI cards): the last such period of the data against
    /// the one before. Default: month.
    pub grain_for_compare: Grain,
}

/// Every §2 metric over one period (or the whole range). Money is cents; ratios are fractions
/// (0.25 = 25 %), `None` when the denominator is 0 or the data is missing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiSet {
    /// GMV (支付金额): paid amount of paid orders before refunds, cents.
    pub gmv: i64,
    /// Refunds (退款金额) of those paid orders, cents.
    pub refunds: i64,
    /// Net sales: `gmv − refunds`, cents.
    pub net_sales: i64,
    /// Paid orders (支付订单数).
    pub paid_orders: u64,
    /// Buyers (支付买家数): distinct customer ids among paid orders; `None` without customer ids.
    pub buyers: Option<u64>,
    /// 客单价, revenue per buyer: `gmv / buyers`, cents.
    pub revenue_per_buyer: Option<f64>,
    /// AOV (笔单价), revenue per order: `gmv / paid_orders`, cents.
    pub aov: Option<f64>,
    /// Units (支付件数): sum of line quantities on paid orders.
    pub units: i64,
    /// Refund rate: `refunds / gmv`.
    pub refund_rate: Option<f64>,
    /// Refund order rate: paid orders with a refund > 0 / paid orders.
    pub refund_order_rate: Option<f64>,
    /// Repurchase rate (复购率): buyers with ≥ 2 paid orders in the period / buyers.
    pub repurchase_rate: Option<f64>,
    /// New buyers: buyers whose first paid order in the whole dataset falls in the period.
    pub new_buyers: Option<u64>,
    /// Returning buyers: `buyers − new_buyers`.
    pub returning_buyers: Option<u64>,
    /// Visitors (访客数): sum over shop-level traffic rows; `None` when the period has none.
    pub visitors: Option<i64>,
    /// Conversion rate (支付转化率): `buyers / visitors`.
    pub conversion_rate: Option<f64>,
    /// Ad impressions; `None` when no ad row of the period gives them.
    pub impressions: Option<i64>,
    /// Ad clicks.
    pub clicks: Option<i64>,
    /// Ad spend, cents.
    pub ad_spend: Option<i64>,
    /// Sales attributed to ads by the ad platform, cents.
    pub ad_sales: Option<i64>,
    /// CTR: `clicks / impressions`.
    pub ctr: Option<f64>,
    /// ROAS: `ad_sales / ad_spend`.
    pub roas: Option<f64>,
    /// ACOS: `ad_spend / ad_sales`.
    pub acos: Option<f64>,
}

/// Relative change against the previous period, `(current − previous) / previous` (0.1 = +10 %);
/// `None` for the first period, or when either value is missing or the previous one is 0.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiChange {
    /// Change of GMV.
    pub gmv: Option<f64>,
    /// Change of paid orders.
    pub paid_orders: Option<f64>,
    /// Change of buyers.
    pub buyers: Option<f64>,
    /// Change of AOV (笔单价).
    pub aov: Option<f64>,
    /// Relative change of the refund rate (not a difference in points).
    pub refund_rate: Option<f64>,
    /// Relative change of the conversion rate (not a difference in points).
    pub conversion_rate: Option<f64>,
}

impl KpiChange {
    fn between(previous: &KpiSet, current: &KpiSet) -> KpiChange {
        let relative = |a: Option<f64>, b: Option<f64>| a.zip(b).and_then(|(a, b)| change(a, b));
        let count = |n: u64| Some(n as f64);
        KpiChange {
            gmv: change(previous.gmv as f64, current.gmv as f64),
            paid_orders: change(previous.paid_orders as f64, current.paid_orders as f64),
            buyers: relative(
                previous.buyers.and_then(count),
                current.buyers.and_then(count),
            ),
            aov: relative(previous.aov, current.aov),
            refund_rate: relative(previous.refund_rate, current.refund_rate),
            conversion_rate: relative(previous.conversion_rate, current.conversion_rate),
        }
    }
}

/// One period of a series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiPoint {
    /// Period label: `YYYY-MM-DD`, `YYYY-Www` (ISO week) or `YYYY-MM`.
    pub period: String,
    /// First day of the period, `YYYY-MM-DD` (a Monday for weeks).
    pub start: String,
    /// The metrics of the period.
    pub kpi: KpiSet,
    /// Change against the previous point of the series: like for like (see the module notes).
    pub change: KpiChange,
    /// Days of the period the data covers (from its first to its last day holding data).
    pub days: u32,
    /// Days of the whole period (1, 7, or the month's 28–31).
    pub period_days: u32,
}

impl KpiPoint {
    /// The data covers only some of the period's days.
    pub fn is_partial(&self) -> bool {
        self.days < self.period_days
    }
}

/// The last period of the data against the one before (the KPI cards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compare {
    /// Calendar unit compared.
    pub grain: Grain,
    /// The last period of the data; its `change` is against `previous`.
    pub current: KpiPoint,
    /// The period before it: when the current period is partial, only as many of its first days as
    /// the current one has (like for like; its `days` says so).
    pub previous: KpiPoint,
    /// The data ends before the current period's last day (e.g. a month in progress), so its sums
    /// cover fewer days than a whole period.
    pub current_partial: bool,
    /// The data starts after the previous period's first day.
    pub previous_partial: bool,
}

/// The KPI section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiReport {
    /// The whole (filtered) range, including traffic and ad rows without a day.
    pub total: KpiSet,
    /// Day of the first paid order, `YYYY-MM-DD`; `None` when there are no paid orders.
    pub first_day: Option<String>,
    /// Day of the last paid order, `YYYY-MM-DD`; `None` when there are no paid orders.
    pub last_day: Option<String>,
    /// One point per day, dense over the data's days.
    pub daily: Vec<KpiPoint>,
    /// One point per ISO week (Monday first).
    pub weekly: Vec<KpiPoint>,
    /// One point per calendar month.
    pub monthly: Vec<KpiPoint>,
    /// Last period of [`KpiOptions::grain_for_compare`] against the one before; `None` with fewer
    /// than two such periods.
    pub compare: Option<Compare>,
    /// Set (code `no_customer_ids`) when no paid order has a customer id, so buyers, 客单价,
    /// repurchase, new/returning buyers and conversion are `None`.
    pub buyers_unavailable: Option<Unavailable>,
}

/// Computes the KPI section from a (filtered) dataset.
pub fn compute(ds: &Dataset, opts: &KpiOptions) -> KpiReport {
    let inputs = Inputs::collect(ds);
    let has_buyer_ids = inputs.has_buyer_ids();
    let total_sums = sums::accumulate(&inputs, 1, |_| Some(0));
    let total = KpiSet::from_sums(&total_sums[0], has_buyer_ids);
    let span = inputs.data_span();
    let daily = series(&inputs, Grain::Day, span);
    let weekly = series(&inputs, Grain::Week, span);
    let monthly = series(&inputs, Grain::Month, span);
    let compare_series = match opts.grain_for_compare {
        Grain::Day => &daily,
        Grain::Week => &weekly,
        Grain::Month => &monthly,
    };
    let compare =
        span.and_then(|span| compare_last(&inputs, opts.grain_for_compare, compare_series, span));
    let (first_day, last_day) = match inputs.paid_span() {
        Some((first, last)) => (Some(time::format_day(first)), Some(time::format_day(last))),
        None => (None, None),
    };
    KpiReport {
        total,
        first_day,
        last_day,
        daily,
        weekly,
        monthly,
        compare,
        buyers_unavailable: (!has_buyer_ids).then(no_customer_ids),
    }
}

/// No paid order has a customer id: buyer-based figures, cohorts and RFM cannot be computed.
pub(crate) fn no_customer_ids() -> Unavailable {
    Unavailable::new(
        UnavailableCode::NoCustomerIds,
        "an order export with a buyer id column (买家会员名 / Email / customer id)",
    )
}

/// The dataset has no paid order.
pub(crate) fn no_paid_orders() -> Unavailable {
    Unavailable::new(
        UnavailableCode::NoPaidOrders,
        "an order export with paid orders (订单报表 / orders export)",
    )
}

/// Dense series of `grain` periods covering `span` (first and last day that hold data).
fn series(inputs: &Inputs, grain: Grain, span: Option<(Day, Day)>) -> Vec<KpiPoint> {
    let Some((first_day, last_day)) = span else {
        return Vec::new();
    };
    let first = grain.period(first_day);
    let last = grain.period(last_day);
    let slots = grain.offset(first, last) as usize + 1;
    let slot_of = |day: Option<Day>| day.map(|d| grain.offset(first, grain.period(d)) as usize);
    let per_slot = sums::accumulate(inputs, slots, slot_of);
    let has_buyer_ids = inputs.has_buyer_ids();
    let mut points: Vec<KpiPoint> = Vec::with_capacity(slots);
    let mut period = first;
    for s in &per_slot {
        let kpi = KpiSet::from_sums(s, has_buyer_ids);
        let start = grain.first_day(period);
        let end = grain.first_day(grain.next(period)) - 1;
        let covered = (end.min(last_day) - start.max(first_day) + 1).max(0);
        let point = KpiPoint {
            period: grain.label(period),
            start: time::format_day(start),
            kpi,
            change: KpiChange::default(),
            days: covered as u32,
            period_days: (end - start + 1) as u32,
        };
        let change = match points.last() {
            // After a partial first period: no like-for-like comparison.
            Some(previous) if previous.is_partial() => KpiChange::default(),
            // A partial last period: against the same days at the start of the one before.
            Some(_) if point.is_partial() => {
                let before = grain.first_day(grain.period(start - 1));
                let same_days = sums_between(inputs, before, before + covered as Day - 1);
                KpiChange::between(&same_days, &point.kpi)
            }
            Some(previous) => KpiChange::between(&previous.kpi, &point.kpi),
            None => KpiChange::default(),
        };
        points.push(KpiPoint { change, ..point });
        period = grain.next(period);
    }
    points
}

/// The metrics of the days `from..=to` alone.
fn sums_between(inputs: &Inputs, from: Day, to: Day) -> KpiSet {
    KpiSet::from_sums(
        &sums::accumulate_days(inputs, from, to),
        inputs.has_buyer_ids(),
    )
}

fn compare_last(
    inputs: &Inputs,
    grain: Grain,
    points: &[KpiPoint],
    (first_day, last_day): (Day, Day),
) -> Option<Compare> {
    let [.., previous, current] = points else {
        return None;
    };
    let current_period = grain.period(last_day);
    let current_first_day = grain.first_day(current_period);
    let current_last_day = grain.first_day(grain.next(current_period)) - 1;
    // The day before the current period belongs to the previous one.
    let previous_first_day = grain.first_day(grain.period(current_first_day - 1));
    let current_partial = last_day < current_last_day;
    // A partial current period against the same number of days of the previous one.
    let previous = if current_partial {
        let days = current.days;
        KpiPoint {
            kpi: sums_between(
                inputs,
                previous_first_day,
                previous_first_day + days as Day - 1,
            ),
            days: days.min(previous.days),
            ..previous.clone()
        }
    } else {
        previous.clone()
    };
    Some(Compare {
        grain,
        current: current.clone(),
        previous,
        current_partial,
        previous_partial: first_day > previous_first_day,
    })
}

impl KpiSet {
    fn from_sums(s: &Sums, has_buyer_ids: bool) -> KpiSet {
        let buyers = has_buyer_ids.then_some(s.buyers);
        let new_buyers = has_buyer_ids.then_some(s.new_buyers);
        let per = |num: Option<i64>, den: Option<i64>| {
            num.zip(den).and_then(|(n, d)| ratio(n as f64, d as f64))
        };
        KpiSet {
            gmv: s.gmv,
            refunds: s.refunds,
            net_sales: s.gmv.saturating_sub(s.refunds),
            paid_orders: s.paid_orders,
            buyers,
            revenue_per_buyer: buyers.and_then(|b| ratio(s.gmv as f64, b as f64)),
            aov: ratio(s.gmv as f64, s.paid_orders as f64),
            units: s.units,
            refund_rate: ratio(s.refunds as f64, s.gmv as f64),
            refund_order_rate: ratio(s.refunded_orders as f64, s.paid_orders as f64),
            repurchase_rate: buyers.and_then(|b| ratio(s.repeat_buyers as f64, b as f64)),
            new_buyers,
            returning_buyers: buyers.zip(new_buyers).map(|(b, n)| b.saturating_sub(n)),
            visitors: s.visitors,
            conversion_rate: per(buyers.map(|b| b as i64), s.visitors),
            impressions: s.impressions,
            clicks: s.clicks,
            ad_spend: s.ad_spend,
            ad_sales: s.ad_sales,
            ctr: per(s.clicks, s.impressions),
            roas: per(s.ad_sales, s.ad_spend),
            acos: per(s.ad_spend, s.ad_sales),
        }
    }
}

/// Every §2 metric over each inclusive day window `[from, to]` of `windows`, computed exactly as
/// [`compute`] computes a period (same sums, same buyer rules). Windows may overlap or lie outside the
/// data. New buyers are those whose first paid order in the whole of `ds` falls in the window. Used by
/// the promotion readout (DEFINITIONS §7).
pub(crate) fn window_sets(ds: &Dataset, windows: &[(Day, Day)]) -> Vec<KpiSet> {
    let inputs = Inputs::collect(ds);
    let has_buyer_ids = inputs.has_buyer_ids();
    windows
        .iter()
        .map(|&(from, to)| {
            KpiSet::from_sums(&sums::accumulate_days(&inputs, from, to), has_buyer_ids)
        })
        .collect()
}
