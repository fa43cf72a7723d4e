//! Property tests: the product report against a deliberately naive reference on random small shops.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::{add, paid};
use crate::analysis::products::{compute, AbcClass, ProductOptions};
use crate::model::{Dataset, LineRow, OrderRow, PayState};
use crate::time::to_seconds;

#[derive(Clone, Debug)]
struct GenLine {
    product: u8,
    quantity: i64,
    unit_price: Option<i64>,
    amount: Option<i64>,
    refund: Option<i64>,
}

#[derive(Clone, Debug)]
struct GenOrder {
    paid: bool,
    customer: Option<u8>,
    day: i64,
    paid_amount: i64,
    refund: i64,
    lines: Vec<GenLine>,
}

fn gen_line() -> impl Strategy<Value = GenLine> {
    (
        0u8..4,
        1i64..5,
        prop::option::of(0i64..5_000),
        prop::option::of(0i64..20_000),
        prop::option::weighted(0.2, 0i64..3_000),
    )
        .prop_map(|(product, quantity, unit_price, amount, refund)| GenLine {
            product,
            quantity,
            unit_price,
            amount,
            refund,
        })
}

fn gen_order() -> impl Strategy<Value = GenOrder> {
    (
        prop::bool::weighted(0.8),
        prop::option::of(0u8..4),
        0i64..90,
        0i64..50_000,
        prop::option::weighted(0.3, 0i64..5_000),
        prop::collection::vec(gen_line(), 0..4),
    )
        .prop_map(
            |(paid, customer, day, paid_amount, refund, lines)| GenOrder {
                paid,
                customer,
                day,
                paid_amount,
                refund: refund.unwrap_or(0),
                lines,
            },
        )
}

fn time_of(day: i64) -> i64 {
    to_seconds(2024, 1, 1, 10, 0, 0) + day * 86_400
}

fn build(orders: &[GenOrder]) -> Dataset {
    let mut ds = Dataset::default();
    for (i, o) in orders.iter().enumerate() {
        let keys: Vec<String> = o.lines.iter().map(|l| format!("p{}", l.product)).collect();
        let lines: Vec<LineRow> = o
            .lines
            .iter()
            .zip(&keys)
            .map(|(l, key)| LineRow {
                product_key: key,
                quantity: l.quantity,
                unit_price: l.unit_price,
                amount: l.amount,
                refund: l.refund,
                ..LineRow::default()
            })
            .collect();
        let customer = o.customer.map(|c| format!("c{c}"));
        let id = format!("o{i}");
        let order = paid(
            &id,
            customer.as_deref(),
            time_of(o.day),
            o.paid_amount,
            o.refund,
        );
        let order = if o.paid {
            order
        } else {
            OrderRow {
                paid_at: None,
                state: Some(PayState::Unpaid),
                ..order
            }
        };
        add(&mut ds, order, &lines);
    }
    ds
}

/// Naive largest-remainder split: floors, then one cent at a time to the heaviest line not yet
/// topped up (lowest index among equals). Totals here are never negative.
fn naive_allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let mut w: Vec<i128> = weights.iter().map(|&x| i128::from(x.max(0))).collect();
    if w.iter().all(|&x| x == 0) {
        w = vec![1; w.len()];
    }
    let sum: i128 = w.iter().sum();
    let mut shares: Vec<i64> = w
        .iter()
        .map(|&x| (i128::from(total) * x / sum) as i64)
        .collect();
    let mut left = total - shares.iter().sum::<i64>();
    let mut topped = vec![false; w.len()];
    while left > 0 {
        let mut best = None;
        for i in 0..w.len() {
            let heavier = match best {
                None => true,
                Some(b) => w[i] > w[b],
            };
            if !topped[i] && heavier {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        shares[b] += 1;
        topped[b] = true;
        left -= 1;
    }
    shares
}

fn value(l: &GenLine) -> Option<i64> {
    l.amount.or(l.unit_price.map(|p| p * l.quantity))
}

#[derive(Debug, Default, PartialEq)]
struct Expected {
    revenue: i64,
    units: i64,
    paid_orders: u64,
    buyers: Option<u64>,
    repeat_buyers: Option<u64>,
    refunds: i64,
    recent_revenue: i64,
    previous_revenue: i64,
}

/// Per product key, straight from the definitions, one product at a time.
fn naive(orders: &[GenOrder], window: i64) -> BTreeMap<String, Expected> {
    let has_customers = orders.iter().any(|o| o.customer.is_some());
    let counted = |o: &&GenOrder| o.paid && !o.lines.is_empty();
    let last_day = orders
        .iter()
        .filter(counted)
        .map(|o| o.day)
        .max()
        .unwrap_or(0);
    let mut out = BTreeMap::new();
    for product in 0..4u8 {
        let mut e = Expected::default();
        let mut orders_per_buyer: BTreeMap<u8, u64> = BTreeMap::new();
        let mut sold = false;
        for o in orders.iter().filter(counted) {
            let weights: Vec<i64> = o.lines.iter().map(|l| value(l).unwrap_or(0)).collect();
            let revenue = naive_allocate(o.paid_amount, &weights);
            let own_total: i64 = o.lines.iter().filter_map(|l| l.refund).sum();
            let without_own: Vec<usize> = (0..o.lines.len())
                .filter(|&i| o.lines[i].refund.is_none())
                .collect();
            let rest = if without_own.len() == o.lines.len() {
                o.refund
            } else {
                (o.refund - own_total).max(0)
            };
            let rest_shares = naive_allocate(
                rest,
                &without_own.iter().map(|&i| weights[i]).collect::<Vec<_>>(),
            );
            let mut contains = false;
            for (i, l) in o
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.product == product)
            {
                sold = true;
                contains = true;
                e.revenue += revenue[i];
                e.units += l.quantity;
                e.refunds += match l.refund {
                    Some(r) => r,
                    None => rest_shares[without_own.iter().position(|&j| j == i).unwrap_or(0)],
                };
                if o.day > last_day - window {
                    e.recent_revenue += revenue[i];
                } else if o.day > last_day - 2 * window {
                    e.previous_revenue += revenue[i];
                }
            }
            if contains {
                e.paid_orders += 1;
                if let Some(c) = o.customer {
                    *orders_per_buyer.entry(c).or_default() += 1;
                }
            }
        }
        if has_customers {
            e.buyers = Some(orders_per_buyer.len() as u64);
            e.repeat_buyers = Some(orders_per_buyer.values().filter(|&&n| n >= 2).count() as u64);
        }
        if sold {
            out.insert(format!("p{product}"), e);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn report_matches_naive_reference(
        orders in prop::collection::vec(gen_order(), 0..12),
        window in 1i64..40,
    ) {
        let ds = build(&orders);
        let opts = ProductOptions { growth_window_days: window };
        let expected = naive(&orders, window);
        let report = match compute(&ds, &opts, &[]) {
            Ok(r) => r,
            Err(e) => {
                // Unavailable exactly when no paid order has lines.
                prop_assert!(expected.is_empty());
                let code = if orders.iter().all(|o| o.lines.is_empty()) { "no_order_lines" } else { "no_paid_orders" };
                prop_assert_eq!(e.code.code(), code);
                return Ok(());
            }
        };

        // Σ product revenue is exactly the GMV of paid orders with lines.
        let gmv: i64 = orders.iter().filter(|o| o.paid && !o.lines.is_empty()).map(|o| o.paid_amount).sum();
        prop_assert_eq!(report.total_revenue, gmv);
        prop_assert_eq!(report.products.iter().map(|p| p.revenue).sum::<i64>(), gmv);

        let got: BTreeMap<String, Expected> = report
            .products
            .iter()
            .map(|p| {
                (p.key.clone(), Expected {
                    revenue: p.revenue,
                    units: p.units,
                    paid_orders: p.paid_orders,
                    buyers: p.buyers,
                    repeat_buyers: p.repeat_buyers,
                    refunds: p.refunds,
                    recent_revenue: p.recent_revenue,
                    previous_revenue: p.previous_revenue,
                })
            })
            .collect();
        prop_assert_eq!(got, expected);

        // Shares sum to 1.
        if gmv > 0 {
            let share_sum: f64 = report.products.iter().filter_map(|p| p.share).sum();
            prop_assert!((share_sum - 1.0).abs() < 1e-9);
        }

        // Ranking order, and classes A… then B… then C…: A is a prefix of the ranking.
        for pair in report.products.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            prop_assert!(a.revenue > b.revenue || (a.revenue == b.revenue && a.key < b.key));
            let rank = |c: AbcClass| c as u8;
            prop_assert!(rank(a.abc) <= rank(b.abc));
        }
        let counts = report.class_counts;
        prop_assert_eq!(counts.a + counts.b + counts.c, report.products.len());
        if gmv > 0 {
            prop_assert_eq!(report.products[0].abc, AbcClass::A);
        }
    }
}

#[test]
fn naive_allocate_follows_the_tie_rule() {
    // Keeps the reference honest: the fixture's O4 split, and remainders to the heaviest line first.
    assert_eq!(naive_allocate(1001, &[500, 500]), vec![501, 500]);
    assert_eq!(naive_allocate(11, &[1, 1, 2]), vec![3, 2, 6]);
}
