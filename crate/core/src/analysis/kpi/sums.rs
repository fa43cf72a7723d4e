//! Per-period sums behind [`KpiSet`](super::KpiSet): the dataset is read once into [`Inputs`], then
//! [`accumulate`] adds every paid order, traffic row and ad row into the slot of its period.

use crate::model::Dataset;
use crate::time::{self, Day};

/// A paid order, reduced to what the KPIs read.
struct PaidOrder {
    day: Day,
    customer: Option<u32>,
    /// Paid amount, cents.
    gmv: i64,
    /// Refund, cents.
    refund: i64,
    /// Sum of its lines' quantities.
    units: i64,
}

/// The dataset as the KPIs read it.
pub(super) struct Inputs<'a> {
    ds: &'a Dataset,
    paid: Vec<PaidOrder>,
    /// Day of each customer's first paid order in the whole dataset, indexed by customer id.
    first_paid_day: Vec<Option<Day>>,
    has_buyer_ids: bool,
}

impl<'a> Inputs<'a> {
    pub(super) fn collect(ds: &'a Dataset) -> Inputs<'a> {
        let orders = &ds.orders;
        let mut units = vec![0i64; orders.len()];
        for (&o, &quantity) in ds.lines.order.iter().zip(&ds.lines.quantity) {
            if let Some(u) = units.get_mut(o as usize) {
                *u = u.saturating_add(quantity);
            }
        }
        let mut first_paid_day: Vec<Option<Day>> = vec![None; ds.customers.len()];
        let mut paid = Vec::new();
        for o in (0..orders.len()).filter(|&o| orders.is_paid(o)) {
            let day = time::day_of(orders.time[o]);
            let customer = orders.customer[o];
            if let Some(first) = customer.and_then(|c| first_paid_day.get_mut(c as usize)) {
                *first = Some(first.map_or(day, |f| f.min(day)));
            }
            paid.push(PaidOrder {
                day,
                customer,
                gmv: orders.paid_amount[o],
                refund: orders.refund[o],
                units: units[o],
            });
        }
        let has_buyer_ids = paid.iter().any(|o| o.customer.is_some());
        Inputs {
            ds,
            paid,
            first_paid_day,
            has_buyer_ids,
        }
    }

    /// Whether any paid order has a customer id (else buyer-based metrics are undefined).
    pub(super) fn has_buyer_ids(&self) -> bool {
        self.has_buyer_ids
    }

    /// First and last day of a paid order.
    pub(super) fn paid_span(&self) -> Option<(Day, Day)> {
        span(self.paid.iter().map(|o| o.day))
    }

    /// First and last day that holds data the KPIs read: a paid order, a shop-level traffic row with
    /// visitors, an ad row with any measure.
    pub(super) fn data_span(&self) -> Option<(Day, Day)> {
        let t = &self.ds.traffic;
        let traffic_days = (0..t.len())
            .filter(|&r| t.product[r].is_none() && t.visitors[r].is_some())
            .filter_map(|r| t.day[r]);
        let a = &self.ds.ads;
        let ad_days = (0..a.len())
            .filter(|&r| {
                a.impressions[r].is_some()
                    || a.clicks[r].is_some()
                    || a.spend[r].is_some()
                    || a.sales[r].is_some()
            })
            .filter_map(|r| a.day[r]);
        span(
            self.paid
                .iter()
                .map(|o| o.day)
                .chain(traffic_days)
                .chain(ad_days),
        )
    }
}

fn span(days: impl Iterator<Item = Day>) -> Option<(Day, Day)> {
    days.fold(None, |acc, d| match acc {
        None => Some((d, d)),
        Some((first, last)) => Some((first.min(d), last.max(d))),
    })
}

/// Additive sums of one period. Money in cents.
#[derive(Clone, Debug, Default)]
pub(super) struct Sums {
    pub gmv: i64,
    pub refunds: i64,
    pub paid_orders: u64,
    /// Paid orders with a refund > 0.
    pub refunded_orders: u64,
    pub units: i64,
    /// Distinct customer ids among the period's paid orders.
    pub buyers: u64,
    /// Buyers with ≥ 2 paid orders in the period.
    pub repeat_buyers: u64,
    /// Buyers whose first paid order in the dataset is in the period.
    pub new_buyers: u64,
    pub visitors: Option<i64>,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub ad_spend: Option<i64>,
    pub ad_sales: Option<i64>,
}

/// Adds `value` to an optional sum that stays `None` until some row gives a value.
fn add_given(sum: &mut Option<i64>, value: Option<i64>) {
    if let Some(v) = value {
        *sum = Some(sum.unwrap_or(0).saturating_add(v));
    }
}

/// Sums into `slots` periods; `slot_of(day)` names the slot of a day (`None` for a row without a day,
/// or to leave the row out).
pub(super) fn accumulate(
    inputs: &Inputs,
    slots: usize,
    slot_of: impl Fn(Option<Day>) -> Option<usize>,
) -> Vec<Sums> {
    let mut sums = vec![Sums::default(); slots];
    // (slot, customer) of every paid order with a customer id; sorted, each run is one buyer of
    // the slot, and its length is that buyer's paid orders in the slot.
    let mut buyer_orders: Vec<(usize, u32)> = Vec::with_capacity(inputs.paid.len());
    for o in &inputs.paid {
        let Some(slot) = slot_of(Some(o.day)).filter(|&s| s < slots) else {
            continue;
        };
        let s = &mut sums[slot];
        s.gmv = s.gmv.saturating_add(o.gmv);
        s.refunds = s.refunds.saturating_add(o.refund);
        s.paid_orders += 1;
        s.refunded_orders += u64::from(o.refund > 0);
        s.units = s.units.saturating_add(o.units);
        if let Some(c) = o.customer {
            buyer_orders.push((slot, c));
        }
    }
    buyer_orders.sort_unstable();
    for run in buyer_orders.chunk_by(|a, b| a == b) {
        let s = &mut sums[run[0].0];
        s.buyers += 1;
        s.repeat_buyers += u64::from(run.len() >= 2);
    }
    for &first in inputs.first_paid_day.iter().flatten() {
        if let Some(s) = slot_of(Some(first)).and_then(|slot| sums.get_mut(slot)) {
            s.new_buyers += 1;
        }
    }
    let t = &inputs.ds.traffic;
    for r in (0..t.len()).filter(|&r| t.product[r].is_none()) {
        if let Some(s) = slot_of(t.day[r]).and_then(|slot| sums.get_mut(slot)) {
            add_given(&mut s.visitors, t.visitors[r]);
        }
    }
    let a = &inputs.ds.ads;
    for r in 0..a.len() {
        if let Some(s) = slot_of(a.day[r]).and_then(|slot| sums.get_mut(slot)) {
            add_given(&mut s.impressions, a.impressions[r]);
            add_given(&mut s.clicks, a.clicks[r]);
            add_given(&mut s.ad_spend, a.spend[r]);
            add_given(&mut s.ad_sales, a.sales[r]);
        }
    }
    sums
}
