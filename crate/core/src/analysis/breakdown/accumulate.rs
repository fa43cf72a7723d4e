//! The sums behind a breakdown: paid orders read once ([`Tally`]), each split into contributions
//! to groups, added into per-group totals and per-period series.

use super::GroupPoint;
use crate::analysis::kpi::KpiSet;
use crate::analysis::ratio;
use crate::model::Dataset;
use crate::time::{self, Day, Grain};

/// The paid orders as the breakdowns read them.
pub(super) struct Tally {
    /// Indices of the paid orders, in order index order.
    pub paid: Vec<usize>,
    /// Day of every order (by order index).
    days: Vec<Day>,
    /// Sum of each order's line quantities (by order index).
    units: Vec<i64>,
    customer: Vec<Option<u32>>,
    gmv: Vec<i64>,
    refund: Vec<i64>,
    /// Day of each customer's first paid order in the dataset.
    pub first_paid_day: Vec<Option<Day>>,
    pub has_buyer_ids: bool,
}

/// One paid order's share in one group: the whole order for an order-level dimension, the sum of
/// its lines of one category for the category dimension.
#[derive(Clone, Debug)]
pub(super) struct Contribution {
    pub group: u32,
    pub day: Day,
    pub customer: Option<u32>,
    /// Cents.
    pub gmv: i64,
    /// Cents.
    pub refund: i64,
    pub units: i64,
}

impl Contribution {
    /// The same order and group with no amount (to add lines into).
    pub fn emptied(self) -> Contribution {
        Contribution {
            gmv: 0,
            refund: 0,
            units: 0,
            ..self
        }
    }
}

impl Tally {
    pub fn new(ds: &Dataset) -> Tally {
        let orders = &ds.orders;
        let mut units = vec![0i64; orders.len()];
        for (&o, &q) in ds.lines.order.iter().zip(&ds.lines.quantity) {
            if let Some(u) = units.get_mut(o as usize) {
                *u = u.saturating_add(q);
            }
        }
        let days: Vec<Day> = orders.time.iter().map(|&t| time::day_of(t)).collect();
        let paid: Vec<usize> = (0..orders.len()).filter(|&o| orders.is_paid(o)).collect();
        let mut first_paid_day: Vec<Option<Day>> = vec![None; ds.customers.len()];
        for &o in &paid {
            if let Some(first) = orders.customer[o].and_then(|c| first_paid_day.get_mut(c as usize))
            {
                *first = Some(first.map_or(days[o], |f| f.min(days[o])));
            }
        }
        let has_buyer_ids = paid.iter().any(|&o| orders.customer[o].is_some());
        Tally {
            paid,
            days,
            units,
            customer: orders.customer.clone(),
            gmv: orders.paid_amount.clone(),
            refund: orders.refund.clone(),
            first_paid_day,
            has_buyer_ids,
        }
    }

    pub fn day(&self, o: usize) -> Day {
        self.days[o]
    }

    /// The whole of order `o` in `group`.
    pub fn whole(&self, o: usize, group: u32) -> Contribution {
        Contribution {
            group,
            day: self.days[o],
            customer: self.customer[o],
            gmv: self.gmv[o],
            refund: self.refund[o],
            units: self.units[o],
        }
    }

    /// The §2 KPIs of one group's sums over the whole range.
    pub fn kpi(&self, s: &GroupSums) -> KpiSet {
        let buyers = self.has_buyer_ids.then_some(s.buyers);
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
            // The whole range holds every buyer's first paid order in the (filtered) data.
            new_buyers: buyers,
            returning_buyers: buyers.map(|_| 0),
            ..KpiSet::default()
        }
    }
}

/// Additive sums of one group. Money in cents.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct GroupSums {
    pub gmv: i64,
    pub refunds: i64,
    pub paid_orders: u64,
    /// Paid orders whose refund in the group is > 0.
    pub refunded_orders: u64,
    pub units: i64,
    /// Distinct customers.
    pub buyers: u64,
    /// Customers with ≥ 2 paid orders in the group.
    pub repeat_buyers: u64,
}

/// Distinct `(a, b)` pairs among `pairs` packed as `a << 32 | b`, with how many times each occurs:
/// a sort, which on a million pairs takes a fraction of the time of a hash map of them.
fn count_pairs(mut pairs: Vec<u64>) -> impl Iterator<Item = (u64, usize)> {
    radix_sort(&mut pairs);
    let mut i = 0;
    std::iter::from_fn(move || {
        let key = *pairs.get(i)?;
        let run = pairs[i..].iter().take_while(|&&k| k == key).count();
        i += run;
        Some((key, run))
    })
}

/// Sorts `keys` ascending, as `sort_unstable` does (equal `u64`s are indistinguishable, so the
/// result is the same): a least-significant-digit radix sort by 11-bit digits that skips the
/// digits no key uses. The keys here are a small group or period index above a dense customer
/// id, so 2–3 passes of counting and scattering do what a comparison sort does in ~20 levels
/// (the breakdowns' sorts were a third of `report::analyze` on a 1M-line export).
fn radix_sort(keys: &mut Vec<u64>) {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    if keys.len() < 1 << 12 {
        keys.sort_unstable();
        return;
    }
    let used = keys.iter().fold(0u64, |acc, &k| acc | k);
    let mut buffer = vec![0u64; keys.len()];
    let mut counts = vec![0usize; BUCKETS];
    let mut shift = 0;
    while shift < 64 && used >> shift != 0 {
        let digit = |k: u64| ((k >> shift) as usize) & (BUCKETS - 1);
        if digit(used) != 0 {
            counts.fill(0);
            for &k in keys.iter() {
                counts[digit(k)] += 1;
            }
            let mut at = 0;
            for c in counts.iter_mut() {
                let n = *c;
                *c = at;
                at += n;
            }
            for &k in keys.iter() {
                let d = digit(k);
                buffer[counts[d]] = k;
                counts[d] += 1;
            }
            std::mem::swap(keys, &mut buffer);
        }
        shift += BITS;
    }
}

/// Per-group sums of contributions, each paid order's at most one per group.
pub(super) fn totals(groups: usize, contributions: &[Contribution]) -> Vec<GroupSums> {
    let mut sums = vec![GroupSums::default(); groups];
    // (group, customer) of every contribution with a customer: one per paid order of the group.
    let mut orders_of: Vec<u64> = Vec::new();
    {
        for c in contributions {
            let s = &mut sums[c.group as usize];
            s.gmv = s.gmv.saturating_add(c.gmv);
            s.refunds = s.refunds.saturating_add(c.refund);
            s.paid_orders += 1;
            s.refunded_orders += u64::from(c.refund > 0);
            s.units = s.units.saturating_add(c.units);
            if let Some(customer) = c.customer {
                orders_of.push(u64::from(c.group) << 32 | u64::from(customer));
            }
        }
    }
    for (key, n) in count_pairs(orders_of) {
        let s = &mut sums[(key >> 32) as usize];
        s.buyers += 1;
        s.repeat_buyers += u64::from(n >= 2);
    }
    sums
}

/// Period labels and, per drawn group (then "other" when some group is not drawn), one point per
/// period: for days, weeks and months.
pub(super) fn trends(
    tally: &Tally,
    contributions: &[Contribution],
    groups: usize,
    drawn: &[usize],
) -> [(Vec<String>, Vec<Vec<GroupPoint>>); 3] {
    let has_other = {
        let mut with_orders = vec![false; groups];
        for c in contributions.iter() {
            with_orders[c.group as usize] = true;
        }
        (0..groups).any(|g| with_orders[g] && !drawn.contains(&g))
    };
    let lines = drawn.len() + usize::from(has_other);
    let mut line_of = vec![drawn.len(); groups];
    for (i, &g) in drawn.iter().enumerate() {
        line_of[g] = i;
    }
    let span = tally
        .paid
        .iter()
        .map(|&o| tally.day(o))
        .fold(None, |acc, d| match acc {
            None => Some((d, d)),
            Some((a, b)) => Some((d.min(a), d.max(b))),
        });
    [Grain::Day, Grain::Week, Grain::Month].map(|grain| {
        let Some((first_day, last_day)) = span else {
            return (Vec::new(), vec![Vec::new(); lines]);
        };
        let first = grain.period(first_day);
        let slots = grain.offset(first, grain.period(last_day)) as usize + 1;
        let mut periods = Vec::with_capacity(slots);
        let mut p = first;
        for _ in 0..slots {
            periods.push(grain.label(p));
            p = grain.next(p);
        }
        let mut points = vec![vec![GroupPoint::default(); slots]; lines];
        // (line × slots + slot, customer) of every contribution with a customer.
        let mut buyers: Vec<u64> = Vec::new();
        for c in contributions.iter() {
            let slot = grain.offset(first, grain.period(c.day)) as usize;
            let line = line_of[c.group as usize];
            let Some(point) = points.get_mut(line).and_then(|l| l.get_mut(slot)) else {
                continue;
            };
            point.gmv = point.gmv.saturating_add(c.gmv);
            point.refunds = point.refunds.saturating_add(c.refund);
            point.paid_orders += 1;
            point.units = point.units.saturating_add(c.units);
            if let Some(customer) = c.customer {
                buyers.push(((line * slots + slot) as u64) << 32 | u64::from(customer));
            }
        }
        if tally.has_buyer_ids {
            for line in &mut points {
                for point in line.iter_mut() {
                    point.buyers = Some(0);
                }
            }
            for (key, _) in count_pairs(buyers) {
                let cell = (key >> 32) as usize;
                if let Some(b) = points[cell / slots][cell % slots].buyers.as_mut() {
                    *b += 1;
                }
            }
        }
        (periods, points)
    })
}

#[cfg(test)]
mod radix_tests {
    use proptest::prelude::*;

    use super::radix_sort;

    proptest! {
        /// Keys shaped as the breakdowns pack them (a small index above a customer id), and any
        /// keys at all, come out as `sort_unstable` puts them, on both sides of the size below
        /// which it is used directly.
        #[test]
        fn radix_sort_is_sort_unstable(
            packed in proptest::collection::vec((0u64..3_000, 0u64..300_000), 0..12_000),
            any in proptest::collection::vec(any::<u64>(), 4_096..6_000),
        ) {
            for mut keys in [packed.iter().map(|&(a, b)| a << 32 | b).collect::<Vec<u64>>(), any] {
                let mut expected = keys.clone();
                expected.sort_unstable();
                radix_sort(&mut keys);
                prop_assert_eq!(keys, expected);
            }
        }
    }
}
