//! One pass over paid orders: each order's paid amount and refund are allocated to its lines
//! (DEFINITIONS §6) and summed per product, per growth window and per (product, buyer).

use super::LineSplit;
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

/// One line of a paid order with a buyer: its product, its share of the order's paid amount, and
/// whether it is the first line of its product on that order.
#[derive(Clone, Copy)]
struct PairLine {
    product: u32,
    revenue: i64,
    new_order: bool,
}

/// Each product's buyers, repeat buyers and top buyer's revenue from its (product, buyer) pairs:
/// the lines are grouped by buyer (one counting pass, [`Groups`]), and each buyer's lines summed
/// per product in arrays as long as the product list, which stay in cache where a hash map of
/// every pair did not.
fn buyer_summaries(
    product_count: usize,
    pair_buyer: &[u32],
    pair_lines: &[PairLine],
) -> Vec<BuyerSummary> {
    let mut buyers = vec![BuyerSummary::default(); product_count];
    let buyer_count = pair_buyer.iter().max().map_or(0, |&c| c as usize + 1);
    let by_buyer = Groups::build(buyer_count, pair_buyer);
    // `seen[p]` = the last buyer whose lines touched product `p` (+ 1; 0 for none yet).
    let mut seen = vec![0u32; product_count];
    let mut pair = vec![PairTotals::default(); product_count];
    let mut touched: Vec<u32> = Vec::new();
    for c in 0..buyer_count {
        let stamp = c as u32 + 1;
        for &i in by_buyer.get(c) {
            let line = pair_lines[i as usize];
            let p = line.product as usize;
            if seen[p] != stamp {
                seen[p] = stamp;
                pair[p] = PairTotals::default();
                touched.push(line.product);
            }
            pair[p].revenue = pair[p].revenue.saturating_add(line.revenue);
            pair[p].paid_orders += u32::from(line.new_order);
        }
        for p in touched.drain(..) {
            let (s, pair) = (&mut buyers[p as usize], pair[p as usize]);
            s.top_buyer_revenue = if s.buyers == 0 {
                pair.revenue
            } else {
                s.top_buyer_revenue.max(pair.revenue)
            };
            s.buyers += 1;
            s.repeat_buyers += u64::from(pair.paid_orders >= 2);
        }
    }
    buyers
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
    // Each line of an order with a buyer, as its (product, buyer) pair's share; summed per pair
    // below, buyer by buyer.
    let mut pair_buyer: Vec<u32> = Vec::with_capacity(ds.lines.len());
    let mut pair_lines: Vec<PairLine> = Vec::with_capacity(ds.lines.len());
    let (mut shop_recent, mut shop_previous) = (0i64, 0i64);
    let mut split = LineSplit::default();
    for o in paid_orders {
        let lines = lines_by_order.get(o);
        split.order(ds, o, lines);
        let (revenue, refunds) = (&split.revenue, &split.refunds);
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
                pair_buyer.push(customer);
                pair_lines.push(PairLine {
                    product,
                    revenue: revenue[k],
                    new_order: first_line_of_order,
                });
            }
        }
    }
    let buyers = buyer_summaries(ds.products.len(), &pair_buyer, &pair_lines);
    Totals {
        products,
        buyers,
        shop_recent,
        shop_previous,
    }
}
