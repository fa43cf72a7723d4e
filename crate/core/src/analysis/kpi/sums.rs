//! Per-period sums behind [`KpiSet`](super::KpiSet): the dataset is read once into [`Inputs`], then
//! [`accumulate`] adds every paid order, traffic row and ad row into the slot of its period.

use crate::model::Dataset;
use crate::time::{self, Day};

/// A paid order, reduced to what the KPIs read.
#[derive(Clone, Copy)]
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
    /// The paid orders in order of day (ties in any order): the order [`accumulate`]
    /// counts buyers in, and a day window is a slice of it.
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
        let paid = order_by_day(&paid)
            .into_iter()
            .map(|i| paid[i as usize])
            .collect();
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

/// Positions of `paid` sorted by day: a counting sort over the days spanned (a few hundred to a few
/// thousand), or a comparison sort when a stray date stretches the span.
fn order_by_day(paid: &[PaidOrder]) -> Vec<u32> {
    /// Longest span, days, counted with one bucket per day (about 27 years).
    const MAX_BUCKET_DAYS: usize = 10_000;
    let Some((first, last)) = span(paid.iter().map(|o| o.day)) else {
        return Vec::new();
    };
    let bucket = |day: Day| (i64::from(day) - i64::from(first)) as usize;
    let days = bucket(last) + 1;
    if days > MAX_BUCKET_DAYS {
        let mut positions: Vec<u32> = (0..paid.len() as u32).collect();
        positions.sort_unstable_by_key(|&i| paid[i as usize].day);
        return positions;
    }
    // starts[d] = how many paid orders fall before day `first + d`, then the next free slot of it.
    let mut starts = vec![0usize; days + 1];
    for o in paid {
        starts[bucket(o.day) + 1] += 1;
    }
    for d in 1..starts.len() {
        starts[d] += starts[d - 1];
    }
    let mut positions = vec![0u32; paid.len()];
    for (i, o) in paid.iter().enumerate() {
        let next = &mut starts[bucket(o.day)];
        positions[*next] = i as u32;
        *next += 1;
    }
    positions
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

/// Where a customer's paid orders were last seen in [`count_buyers`]'s day-ordered pass.
#[derive(Clone, Copy)]
struct LastSeen {
    /// Slot of the customer's latest paid order so far (`usize::MAX`: none yet).
    slot: usize,
    /// Whether that slot already holds two of the customer's orders (counted as a repeat buyer).
    repeat: bool,
}

/// Adds buyers (distinct customers per slot) and repeat buyers (≥ 2 paid orders in the slot) of
/// `paid` (in day order), where `slots[i]` is the slot of `paid[i]`. Slots never decrease, so all
/// of a customer's orders in one slot come before any in a later slot: one mark per customer
/// replaces a set per slot.
fn count_buyers(paid: &[PaidOrder], slots: &[Option<usize>], sums: &mut [Sums]) {
    // Sized by the largest id present, so even an id outside the interner is counted.
    let ids = paid
        .iter()
        .filter_map(|o| o.customer)
        .max()
        .map_or(0, |c| c as usize + 1);
    let unseen = LastSeen {
        slot: usize::MAX,
        repeat: false,
    };
    let mut last_seen = vec![unseen; ids];
    for (o, &slot) in paid.iter().zip(slots) {
        let Some(seen) = o.customer.and_then(|c| last_seen.get_mut(c as usize)) else {
            continue;
        };
        let Some((slot, s)) = slot.and_then(|slot| Some((slot, sums.get_mut(slot)?))) else {
            continue;
        };
        if seen.slot != slot {
            *seen = LastSeen {
                slot,
                repeat: false,
            };
            s.buyers += 1;
        } else if !seen.repeat {
            seen.repeat = true;
            s.repeat_buyers += 1;
        }
    }
}

/// Adds `value` to an optional sum that stays `None` until some row gives a value.
fn add_given(sum: &mut Option<i64>, value: Option<i64>) {
    if let Some(v) = value {
        *sum = Some(sum.unwrap_or(0).saturating_add(v));
    }
}

/// Sums into `slots` periods; `slot_of(day)` names the slot of a day (`None` for a row without a day,
/// or to leave the row out). Slots must not decrease as days increase (periods in calendar order),
/// which is what lets buyers be counted in one pass over the paid orders in day order.
pub(super) fn accumulate(
    inputs: &Inputs,
    slots: usize,
    slot_of: impl Fn(Option<Day>) -> Option<usize>,
) -> Vec<Sums> {
    accumulate_paid(inputs, &inputs.paid, slots, slot_of)
}

/// The sums of the days `from..=to` alone, in one slot: the paid orders of those days are a slice
/// of the day-ordered orders, found by binary search rather than by a pass over all of them.
pub(super) fn accumulate_days(inputs: &Inputs, from: Day, to: Day) -> Sums {
    let start = inputs.paid.partition_point(|o| o.day < from);
    let end = inputs.paid.partition_point(|o| o.day <= to).max(start);
    let slot_of = |day: Option<Day>| day.filter(|d| (from..=to).contains(d)).map(|_| 0);
    let mut sums = accumulate_paid(inputs, &inputs.paid[start..end], 1, slot_of);
    sums.pop().unwrap_or_default()
}

/// [`accumulate`] over `paid`, a day-ordered slice of the paid orders (the traffic and ad rows
/// and the new buyers are read whole, `slot_of` choosing theirs).
fn accumulate_paid(
    inputs: &Inputs,
    paid: &[PaidOrder],
    slots: usize,
    slot_of: impl Fn(Option<Day>) -> Option<usize>,
) -> Vec<Sums> {
    let mut sums = vec![Sums::default(); slots];
    // Each order's slot, worked out once per day (the orders come in day order).
    let mut day_slot: Option<(Day, Option<usize>)> = None;
    let paid_slots: Vec<Option<usize>> = paid
        .iter()
        .map(|o| match day_slot {
            Some((day, slot)) if day == o.day => slot,
            _ => {
                let slot = slot_of(Some(o.day)).filter(|&s| s < slots);
                day_slot = Some((o.day, slot));
                slot
            }
        })
        .collect();
    for (o, &slot) in paid.iter().zip(&paid_slots) {
        let Some(slot) = slot else {
            continue;
        };
        let s = &mut sums[slot];
        s.gmv = s.gmv.saturating_add(o.gmv);
        s.refunds = s.refunds.saturating_add(o.refund);
        s.paid_orders += 1;
        s.refunded_orders += u64::from(o.refund > 0);
        s.units = s.units.saturating_add(o.units);
    }
    count_buyers(paid, &paid_slots, &mut sums);
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

#[cfg(test)]
mod tests {
    use super::{order_by_day, PaidOrder};
    use crate::time::Day;

    fn paid_on(days: &[Day]) -> Vec<PaidOrder> {
        days.iter()
            .map(|&day| PaidOrder {
                day,
                customer: None,
                gmv: 0,
                refund: 0,
                units: 0,
            })
            .collect()
    }

    fn days_in_order(paid: &[PaidOrder]) -> Vec<Day> {
        order_by_day(paid)
            .iter()
            .map(|&i| paid[i as usize].day)
            .collect()
    }

    #[test]
    fn orders_by_day_with_buckets_and_past_a_stray_date() {
        // A short span is bucketed (ties keep their order); a stray date 60 years on is sorted.
        let short = paid_on(&[19_800, 19_790, 19_800, 19_795]);
        assert_eq!(order_by_day(&short), vec![1, 3, 0, 2]);
        let stray = paid_on(&[19_800, 41_700, 19_790, -5]);
        assert_eq!(days_in_order(&stray), vec![-5, 19_790, 19_800, 41_700]);
        assert!(order_by_day(&[]).is_empty());
    }
}
