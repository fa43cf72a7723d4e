//! One pass over paid orders: each order's paid amount and refund are allocated to its lines
//! (DEFINITIONS §6) and summed per product, per growth window and per (product, buyer).

use rustc_hash::FxHashMap;

use super::allocate_cents;
use crate::model::{Dataset, Groups};
use crate::time::day_of;

/// The two growth windows: recent = `recent_start..=last_day`, earlier =
/// `previous_start..recent_start`, both `window` days long.
#[derive(Clone, Copy, Debug)]
pub(super) struct Windows {
    pub recent_start: i64,
    pub previous_start: i64,
}

impl Windows {
    pub fn ending_on(last_day: i64, window: i64) -> Windows {
        let recent_start = last_day.saturating_sub(window).saturating_add(1);
        Windows {
            recent_start,
            previous_start: recent_start.saturating_sub(window),
        }
    }
    fn is_recent(self, day: i64) -> bool {
        day >= self.recent_start
    }
    fn is_previous(self, day: i64) -> bool {
        (self.previous_start..self.recent_start).contains(&day)
    }
}

/// One product's sums over paid orders. Money in cents.
#[derive(Clone, Debug, Default)]
pub(super) struct ProductTotals {
    /// Whether the product is on any paid order's lines.
    pub sold: bool,
    pub revenue: i64,
    /// Σ line value; `None` while no line had a value.
    pub merchandise_value: Option<i64>,
    pub units: i64,
    pub paid_orders: u64,
    pub refunds: i64,
    pub recent_revenue: i64,
    pub previous_revenue: i64,
    pub recent_units: i64,
    /// The last order counted in `paid_orders`, so two lines of one order count once.
    last_order: Option<usize>,
}

/// One product's buyers (customers with an id).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct BuyerSummary {
    pub buyers: u64,
    /// Buyers with ≥ 2 paid orders containing the product.
    pub repeat_buyers: u64,
    /// Revenue from the product's biggest buyer, cents (0 without buyers).
    pub top_buyer_revenue: i64,
}

/// Everything [`accumulate`] sums. Vectors are indexed by product id.
pub(super) struct Totals {
    pub products: Vec<ProductTotals>,
    pub buyers: Vec<BuyerSummary>,
    /// Shop revenue in the recent and earlier windows, cents.
    pub shop_recent: i64,
    pub shop_previous: i64,
}

/// One (product, customer) pair.
#[derive(Clone, Copy, Default)]
struct PairTotals {
    paid_orders: u32,
    revenue: i64,
}

/// Refund of each line of one order: a line's own refund where the export gives one; the rest of the
/// order's refund (never below 0 once some lines carry their own) is allocated to the other lines by
/// value, like revenue. With no line refunds this is exactly "the order's refund allocated like
/// its revenue".
pub(crate) fn line_refunds(order_refund: i64, own: &[Option<i64>], weights: &[i64]) -> Vec<i64> {
    if own.iter().all(Option::is_none) {
        // The usual case, and what the general path below computes for it.
        return allocate_cents(order_refund, weights);
    }
    let own_total = own
        .iter()
        .flatten()
        .fold(0i64, |sum, &r| sum.saturating_add(r));
    let unrefunded: Vec<usize> = (0..own.len()).filter(|&i| own[i].is_none()).collect();
    let leftover = if unrefunded.len() == own.len() {
        order_refund
    } else {
        order_refund.saturating_sub(own_total).max(0)
    };
    let rest_weights: Vec<i64> = unrefunded.iter().map(|&i| weights[i]).collect();
    let mut rest = allocate_cents(leftover, &rest_weights).into_iter();
    own.iter()
        .map(|r| r.unwrap_or_else(|| rest.next().unwrap_or(0)))
        .collect()
}

/// Sums every paid order in `paid_orders` (each with ≥ 1 line) into per-product totals.
pub(super) fn accumulate(
    ds: &Dataset,
    lines_by_order: &Groups,
    paid_orders: impl Iterator<Item = usize>,
    windows: Windows,
) -> Totals {
    let orders = &ds.orders;
    let mut products = vec![ProductTotals::default(); ds.products.len()];
    // At most one pair per line: sized up front so the map never rehashes while it grows.
    let mut pairs: FxHashMap<(u32, u32), PairTotals> =
        FxHashMap::with_capacity_and_hasher(ds.lines.len(), Default::default());
    let (mut shop_recent, mut shop_previous) = (0i64, 0i64);
    // Per-order scratch, reused so that the loop does not allocate for every order.
    let mut weights: Vec<i64> = Vec::new();
    let mut own_refunds: Vec<Option<i64>> = Vec::new();
    for o in paid_orders {
        let lines = lines_by_order.get(o);
        weights.clear();
        weights.extend(
            lines
                .iter()
                .map(|&l| ds.lines.value(l as usize).unwrap_or(0)),
        );
        own_refunds.clear();
        own_refunds.extend(lines.iter().map(|&l| ds.lines.refund[l as usize]));
        let revenue = allocate_cents(orders.paid_amount[o], &weights);
        let refunds = line_refunds(orders.refund[o], &own_refunds, &weights);
        let day = i64::from(day_of(orders.time[o]));
        let (recent, previous) = (windows.is_recent(day), windows.is_previous(day));
        if recent {
            shop_recent = shop_recent.saturating_add(orders.paid_amount[o]);
        } else if previous {
            shop_previous = shop_previous.saturating_add(orders.paid_amount[o]);
        }

        for (k, &l) in lines.iter().enumerate() {
            let l = l as usize;
            let product = ds.lines.product[l];
            let quantity = ds.lines.quantity[l];
            let t = &mut products[product as usize];
            t.sold = true;
            t.revenue = t.revenue.saturating_add(revenue[k]);
            if let Some(v) = ds.lines.value(l) {
                t.merchandise_value = Some(t.merchandise_value.unwrap_or(0).saturating_add(v));
            }
            t.units = t.units.saturating_add(quantity);
            t.refunds = t.refunds.saturating_add(refunds[k]);
            if recent {
                t.recent_revenue = t.recent_revenue.saturating_add(revenue[k]);
                t.recent_units = t.recent_units.saturating_add(quantity);
            } else if previous {
                t.previous_revenue = t.previous_revenue.saturating_add(revenue[k]);
            }
            let first_line_of_order = t.last_order != Some(o);
            if first_line_of_order {
                t.paid_orders += 1;
                t.last_order = Some(o);
            }
            if let Some(customer) = orders.customer[o] {
                let pair = pairs.entry((product, customer)).or_default();
                pair.revenue = pair.revenue.saturating_add(revenue[k]);
                pair.paid_orders += u32::from(first_line_of_order);
            }
        }
    }

    let mut buyers = vec![BuyerSummary::default(); ds.products.len()];
    for (&(product, _), pair) in &pairs {
        let s = &mut buyers[product as usize];
        s.top_buyer_revenue = if s.buyers == 0 {
            pair.revenue
        } else {
            s.top_buyer_revenue.max(pair.revenue)
        };
        s.buyers += 1;
        s.repeat_buyers += u64::from(pair.paid_orders >= 2);
    }
    Totals {
        products,
        buyers,
        shop_recent,
        shop_previous,
    }
}
