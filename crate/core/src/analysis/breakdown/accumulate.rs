//! The sums behind a breakdown: paid orders read once ([`Tally`]), each split into contributions
//! to groups, added into per-group totals and per-period series.

use super::GroupPoint;
use crate::analysis::kpi::KpiSet;
use crate::analysis::ratio;
use crate::model::Dataset;
use crate::time::{self, Day, Grain};

/// The paid orders as the breakdowns read them.
pub(super) struct Tally {
    /// Indices of the paid orders grouped by customer (each customer's in order index order,
    /// customers by id, then the orders without a customer): every list of contributions built
    /// from it comes customer by customer, which [`Distinct`] relies on.
    pub paid: Vec<usize>,
    /// Each paid order whole, in group 0, at its position in `paid`: read once in that order, so
    /// that a dimension's contributions are built by a pass over these and a lookup of the group.
    pub wholes: Vec<Contribution>,
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
        let paid = by_customer(
            (0..orders.len()).filter(|&o| orders.is_paid(o)),
            &orders.customer,
        );
        let wholes: Vec<Contribution> = paid
            .iter()
            .map(|&o| Contribution {
                group: 0,
                day: time::day_of(orders.time[o]),
                customer: orders.customer[o],
                gmv: orders.paid_amount[o],
                refund: orders.refund[o],
                units: units[o],
            })
            .collect();
        let mut first_paid_day: Vec<Option<Day>> = vec![None; ds.customers.len()];
        for c in &wholes {
            if let Some(first) = c.customer.and_then(|k| first_paid_day.get_mut(k as usize)) {
                *first = Some(first.map_or(c.day, |f| f.min(c.day)));
            }
        }
        let has_buyer_ids = wholes.iter().any(|c| c.customer.is_some());
        Tally {
            paid,
            wholes,
            first_paid_day,
            has_buyer_ids,
        }
    }

    /// The whole of the paid order at position `at` of `paid`, in `group`.
    pub fn whole(&self, at: usize, group: u32) -> Contribution {
        Contribution {
            group,
            ..self.wholes[at].clone()
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

/// `orders` grouped by customer, stably (a counting sort on the dense customer id), the orders
/// without a customer last.
fn by_customer(
    orders: impl Iterator<Item = usize> + Clone,
    customer: &[Option<u32>],
) -> Vec<usize> {
    let customers = orders
        .clone()
        .filter_map(|o| customer[o])
        .max()
        .map_or(0, |k| k as usize + 1);
    // start[k]: where customer k's run begins (start[customers]: the orders without one), moved
    // along as the run is filled.
    let mut start = vec![0usize; customers + 2];
    for o in orders.clone() {
        start[customer[o].map_or(customers, |k| k as usize) + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut out = vec![0usize; start[customers + 1]];
    for o in orders {
        let at = &mut start[customer[o].map_or(customers, |k| k as usize)];
        out[*at] = o;
        *at += 1;
    }
    out
}

/// Distinct customers per cell (a group, or a group's period) over contributions that come
/// customer by customer, as every list built from [`Tally::paid`] does: a mark per cell holds
/// the customer last counted there, so "seen" is a compare, where sorting the packed (cell,
/// customer) pairs took two to four radix passes for the totals and each trend.
struct Distinct {
    once: Vec<u32>,
    twice: Vec<u32>,
    /// Debug builds check the order the marks rely on: the customer before, and those finished.
    #[cfg(debug_assertions)]
    last: Option<u32>,
    #[cfg(debug_assertions)]
    finished: std::collections::HashSet<u32>,
}

/// What [`Distinct::see`] found.
#[derive(PartialEq)]
enum Seen {
    First,
    Second,
    Again,
}

impl Distinct {
    fn new(cells: usize) -> Distinct {
        Distinct {
            once: vec![u32::MAX; cells],
            twice: vec![u32::MAX; cells],
            #[cfg(debug_assertions)]
            last: None,
            #[cfg(debug_assertions)]
            finished: Default::default(),
        }
    }

    /// Customer `k` in `cell`: the first time, the second, or later.
    fn see(&mut self, cell: usize, k: u32) -> Seen {
        #[cfg(debug_assertions)]
        {
            if let Some(last) = self.last.filter(|&l| l != k) {
                self.finished.insert(last);
                assert!(
                    !self.finished.contains(&k),
                    "contributions not grouped by customer"
                );
            }
            self.last = Some(k);
        }
        if self.once[cell] != k {
            self.once[cell] = k;
            Seen::First
        } else if self.twice[cell] != k {
            self.twice[cell] = k;
            Seen::Second
        } else {
            Seen::Again
        }
    }
}

/// Per-group sums of contributions, each paid order's at most one per group.
pub(super) fn totals(groups: usize, contributions: &[Contribution]) -> Vec<GroupSums> {
    let mut sums = vec![GroupSums::default(); groups];
    let mut distinct = Distinct::new(groups);
    for c in contributions {
        let s = &mut sums[c.group as usize];
        s.gmv = s.gmv.saturating_add(c.gmv);
        s.refunds = s.refunds.saturating_add(c.refund);
        s.paid_orders += 1;
        s.refunded_orders += u64::from(c.refund > 0);
        s.units = s.units.saturating_add(c.units);
        // A contribution is one paid order of its group: a customer's second makes a repeat buyer.
        if let Some(k) = c.customer {
            match distinct.see(c.group as usize, k) {
                Seen::First => s.buyers += 1,
                Seen::Second => s.repeat_buyers += 1,
                Seen::Again => {}
            }
        }
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
        .wholes
        .iter()
        .map(|c| c.day)
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
        let mut buyers = vec![0u64; lines * slots];
        let mut distinct = Distinct::new(lines * slots);
        // Each day's slot, looked up rather than worked out from the calendar per contribution.
        let slot_of_day: Vec<usize> = (first_day..=last_day)
            .map(|d| grain.offset(first, grain.period(d)) as usize)
            .collect();
        for c in contributions.iter() {
            let slot = slot_of_day[(c.day - first_day) as usize];
            let line = line_of[c.group as usize];
            let Some(point) = points.get_mut(line).and_then(|l| l.get_mut(slot)) else {
                continue;
            };
            point.gmv = point.gmv.saturating_add(c.gmv);
            point.refunds = point.refunds.saturating_add(c.refund);
            point.paid_orders += 1;
            point.units = point.units.saturating_add(c.units);
            if let Some(k) = c.customer {
                let cell = line * slots + slot;
                buyers[cell] += u64::from(distinct.see(cell, k) == Seen::First);
            }
        }
        if tally.has_buyer_ids {
            for (line, counts) in points.iter_mut().zip(buyers.chunks(slots)) {
                for (point, &b) in line.iter_mut().zip(counts) {
                    point.buyers = Some(b);
                }
            }
        }
        (periods, points)
    })
}
