//! Hand-computed stock fixtures (DEFINITIONS §8), the edge cases, and a property test against a
//! naive reference.

use super::*;
use crate::model::{LineRow, OrderRow, PayState};
use crate::time::to_seconds;

fn at(month: u32, day: u32) -> i64 {
    to_seconds(2024, month, day, 12, 0, 0)
}

fn order(id: &str, time: i64, paid_amount: i64, state: PayState) -> OrderRow<'_> {
    OrderRow {
        id,
        created: Some(time),
        paid_at: (state == PayState::Paid).then_some(time),
        state: Some(state),
        paid_amount: Some(paid_amount),
        ..OrderRow::default()
    }
}

fn line(key: &str, quantity: i64, unit_price: i64) -> LineRow<'_> {
    LineRow {
        product_key: key,
        quantity,
        unit_price: Some(unit_price),
        ..LineRow::default()
    }
}

fn add(ds: &mut Dataset, id: &str, time: i64, state: PayState, lines: &[LineRow]) {
    let paid: i64 = lines
        .iter()
        .map(|l| l.quantity * l.unit_price.unwrap_or(0))
        .sum();
    let o = ds.add_order(&order(id, time, paid, state));
    for l in lines {
        ds.add_line(o, l);
    }
}

fn set_stock(ds: &mut Dataset, key: &str, stock: i64) {
    let p = ds.intern_product(key) as usize;
    ds.product_info[p].stock = Some(stock);
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

/// Four days of data (2024-01-01 … 01-04), so the 28-day window is those four days.
///
/// Daily units: A = [2, 0, 4, 2] (stock 10), B = none (stock 0), C = [0, 0, 0, 1] (no stock),
/// D = [0, 3, 1, 0] (stock 0). An unpaid order of 5 A on 01-02 is not demand.
fn four_days() -> Dataset {
    let mut ds = Dataset::default();
    add(
        &mut ds,
        "o1",
        at(1, 1),
        PayState::Paid,
        &[line("A", 2, 1000)],
    );
    add(
        &mut ds,
        "o2",
        at(1, 2),
        PayState::Paid,
        &[line("D", 3, 500)],
    );
    add(
        &mut ds,
        "u1",
        at(1, 2),
        PayState::Unpaid,
        &[line("A", 5, 1000)],
    );
    add(
        &mut ds,
        "o3",
        at(1, 3),
        PayState::Paid,
        &[line("A", 4, 1000), line("D", 1, 500)],
    );
    add(
        &mut ds,
        "o4",
        at(1, 4),
        PayState::Paid,
        &[line("A", 2, 1000), line("C", 1, 1000)],
    );
    set_stock(&mut ds, "A", 10);
    set_stock(&mut ds, "B", 0);
    set_stock(&mut ds, "D", 0);
    ds
}

fn find<'a>(r: &'a StockReport, key: &str) -> &'a StockRow {
    r.products.iter().find(|p| p.key == key).unwrap()
}

#[test]
fn hand_computed_four_days() {
    let r = compute(&four_days(), &StockOptions::default()).unwrap();
    assert_eq!(r.z, 1.645);
    assert_eq!(r.window.first_day, "2024-01-01");
    assert_eq!(r.window.last_day, "2024-01-04");
    assert_eq!(
        r.window.days, 4,
        "the window does not start before the data"
    );
    assert_eq!(r.with_stock, 3);
    assert_eq!(r.at_risk, 2);

    // A: d = 8/4 = 2; deviations 0, −2, 2, 0 → σ = √(8/3) = 1.632993161855452.
    let a = find(&r, "A");
    assert_eq!(a.daily_units, vec![2, 0, 4, 2]);
    assert_eq!(a.units, 8);
    assert_eq!(a.daily_demand, 2.0);
    assert!(close(a.sigma, 1.632_993_161_855_452));
    assert_eq!(a.days_of_cover, Some(5.0)); // 10 / 2
    assert!(close(a.sell_through.unwrap(), 8.0 / 18.0));
    // ROP = 2·7 + 1.645·1.632993…·√7 = 21.107212299253952.
    assert!(close(a.reorder_point.unwrap(), 21.107_212_299_253_952));
    // ⌈21.1072 + 2·14 − 10⌉ = ⌈39.1072⌉ = 40.
    assert_eq!(a.suggested_order, Some(40));
    assert!(a.at_risk);
    // Revenue 2000 + 4000 + 2000 (o4 allocates 2000/1000 by line value) over 4 days.
    assert_eq!(a.daily_revenue, 2000.0);

    // D (zero stock): d = 1, σ = √(6/3) = √2; cover 0; sell-through 4/4 = 1.
    let d = find(&r, "D");
    assert_eq!(d.daily_demand, 1.0);
    assert!(close(d.sigma, std::f64::consts::SQRT_2));
    assert_eq!(d.days_of_cover, Some(0.0));
    assert_eq!(d.sell_through, Some(1.0));
    // ROP = 7 + 1.645·√2·√7 = 13.155026401243134; ⌈13.155 + 14 − 0⌉ = 28.
    assert!(close(d.reorder_point.unwrap(), 13.155_026_401_243_134));
    assert_eq!(d.suggested_order, Some(28));
    assert!(d.at_risk);
    assert_eq!(d.daily_revenue, 500.0);

    // B (zero demand, zero stock): cover undefined, sell-through 0/0 undefined, nothing to order.
    let b = find(&r, "B");
    assert_eq!((b.daily_demand, b.sigma), (0.0, 0.0));
    assert_eq!(b.daily_units, vec![0; 4]);
    assert_eq!(b.days_of_cover, None);
    assert_eq!(b.sell_through, None);
    assert_eq!(b.reorder_point, Some(0.0));
    assert_eq!(b.suggested_order, Some(0));
    assert!(!b.at_risk);

    // C (no stock data): demand only. d = 0.25, σ = √((3·0.0625 + 0.5625)/3) = 0.5.
    let c = find(&r, "C");
    assert_eq!(c.daily_demand, 0.25);
    assert!(close(c.sigma, 0.5));
    assert_eq!(
        (
            c.stock,
            c.days_of_cover,
            c.sell_through,
            c.reorder_point,
            c.suggested_order
        ),
        (None, None, None, None, None)
    );
    assert!(!c.at_risk);

    // Order: at risk by cover (D 0, A 5), stocked (B), demand-only (C).
    let keys: Vec<&str> = r.products.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["D", "A", "B", "C"]);
}

#[test]
fn window_ends_on_last_paid_day_and_drops_older_sales() {
    let mut ds = Dataset::default();
    // 2024-01-01 … 01-06; a 3-day window is 01-04 … 01-06.
    add(
        &mut ds,
        "o1",
        at(1, 1),
        PayState::Paid,
        &[line("A", 100, 10)],
    );
    add(&mut ds, "o2", at(1, 4), PayState::Paid, &[line("A", 3, 10)]);
    add(&mut ds, "o3", at(1, 6), PayState::Paid, &[line("A", 3, 10)]);
    // Unpaid orders do not move the window's end.
    add(
        &mut ds,
        "u1",
        at(1, 9),
        PayState::Unpaid,
        &[line("A", 1, 10)],
    );
    set_stock(&mut ds, "A", 4);
    set_stock(&mut ds, "Old", 7);
    let opts = StockOptions {
        window_days: 3,
        lead_time_days: 2.0,
        review_days: 1.0,
        service_level: 0.95,
    };
    let r = compute(&ds, &opts).unwrap();
    assert_eq!(
        (r.window.first_day.as_str(), r.window.last_day.as_str()),
        ("2024-01-04", "2024-01-06")
    );
    let a = find(&r, "A");
    assert_eq!(a.daily_units, vec![3, 0, 3]);
    assert_eq!(a.daily_demand, 2.0);
    assert!(close(a.sigma, 3.0_f64.sqrt())); // (1 + 4 + 1) / 2 = 3
    assert_eq!(a.days_of_cover, Some(2.0));
    assert!(close(a.sell_through.unwrap(), 0.6)); // 6 / (6 + 4)
    let rop = 4.0 + 1.645 * 3.0_f64.sqrt() * 2.0_f64.sqrt();
    assert!(close(a.reorder_point.unwrap(), rop));
    // ⌈rop + 2 − 4⌉ = ⌈6.0296… ⌉ = 7.
    assert_eq!(a.suggested_order, Some(7));
    assert_eq!(a.daily_revenue, 20.0); // 60 cents over 3 days
                                       // A stocked product with no sale: listed with zero demand.
    let old = find(&r, "Old");
    assert_eq!(old.daily_demand, 0.0);
    assert_eq!(old.sell_through, Some(0.0));
    assert_eq!(old.suggested_order, Some(0));
}

#[test]
fn one_day_of_data_has_no_spread() {
    let mut ds = Dataset::default();
    add(
        &mut ds,
        "o1",
        at(3, 5),
        PayState::Paid,
        &[line("A", 6, 100)],
    );
    set_stock(&mut ds, "A", 12);
    let r = compute(&ds, &StockOptions::default()).unwrap();
    assert_eq!(r.window.days, 1);
    let a = find(&r, "A");
    assert_eq!((a.daily_demand, a.sigma), (6.0, 0.0));
    assert_eq!(a.days_of_cover, Some(2.0));
    assert_eq!(a.reorder_point, Some(42.0));
    // 42 + 84 − 12 = 114, exactly: no extra unit from rounding noise.
    assert_eq!(a.suggested_order, Some(114));
    assert!(a.at_risk); // 12 ≤ 42
}

#[test]
fn whole_results_are_not_pushed_up_by_float_noise() {
    // One unit a day for 10 days: d = 1, σ = 0, and the ceiling of a whole number stays put.
    let mut ds = Dataset::default();
    for day in 1..=10 {
        add(
            &mut ds,
            &format!("o{day}"),
            at(4, day),
            PayState::Paid,
            &[line("A", 1, 100)],
        );
    }
    set_stock(&mut ds, "A", 1);
    // ROP 7, suggested = 7 + 14 − 1 = 20 exactly.
    let r = compute(&ds, &StockOptions::default()).unwrap();
    let a = find(&r, "A");
    assert_eq!(a.sigma, 0.0);
    assert_eq!(a.suggested_order, Some(20));
    assert_eq!(ceil_tolerant(2.100_000_000_000_000_5 - 0.1), 2.0);
    assert_eq!(ceil_tolerant(2.000_000_000_000_000_4), 2.0);
    assert_eq!(ceil_tolerant(2.000_001), 3.0);
    assert_eq!(ceil_tolerant(-0.5), -0.0);
}

#[test]
fn unavailable_without_orders_or_stock() {
    let mut ds = Dataset::default();
    set_stock(&mut ds, "A", 3);
    assert_eq!(
        compute(&ds, &StockOptions::default()).unwrap_err().code,
        "no_order_lines"
    );
    add(
        &mut ds,
        "u1",
        at(1, 1),
        PayState::Unpaid,
        &[line("A", 1, 100)],
    );
    assert_eq!(
        compute(&ds, &StockOptions::default()).unwrap_err().code,
        "no_paid_orders"
    );
    let mut ds = Dataset::default();
    add(
        &mut ds,
        "o1",
        at(1, 1),
        PayState::Paid,
        &[line("A", 1, 100)],
    );
    let e = compute(&ds, &StockOptions::default()).unwrap_err();
    assert_eq!(e.code, "no_stock");
    assert!(e.needs.contains("stock"));
}

#[test]
fn service_level_sets_z_to_three_decimals() {
    assert_eq!(service_z(0.95), 1.645);
    assert_eq!(service_z(0.90), 1.282);
    assert_eq!(service_z(0.99), 2.326);
    assert_eq!(service_z(0.5), 0.0);
    let clamped = StockOptions {
        lead_time_days: -3.0,
        service_level: 1.5,
        review_days: f64::NAN,
        window_days: 0,
    }
    .clamped();
    assert_eq!(clamped.lead_time_days, 0.0);
    assert_eq!(clamped.service_level, 0.9999);
    assert_eq!(clamped.review_days, 14.0);
    assert_eq!(clamped.window_days, 1);
    // Options from JSON: unknown fields are errors, missing ones defaults.
    let o: StockOptions = serde_json::from_str(r#"{"lead_time_days": 10}"#).unwrap();
    assert_eq!(
        (o.lead_time_days, o.review_days, o.window_days),
        (10.0, 14.0, 28)
    );
    assert!(serde_json::from_str::<StockOptions>(r#"{"lead_time": 10}"#).is_err());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The report equals a naive recomputation from the raw orders, for every product.
        #[test]
        fn matches_naive(
            orders in prop::collection::vec((0u32..40, 0usize..4, 0i64..6, any::<bool>()), 1..60),
            stock in prop::collection::vec(prop::option::of(-2i64..30), 4),
            window in 1u32..35,
            lead in 0.0f64..20.0,
            review in 0.0f64..30.0,
        ) {
            let keys = ["P0", "P1", "P2", "P3"];
            let mut ds = Dataset::default();
            for (i, &(day, p, q, paid)) in orders.iter().enumerate() {
                let state = if paid { PayState::Paid } else { PayState::Unpaid };
                let time = at(1, 1) + i64::from(day) * 86_400;
                add(&mut ds, &format!("o{i}"), time, state, &[line(keys[p], q, 100)]);
            }
            for (k, s) in keys.iter().zip(&stock) {
                if let Some(s) = s {
                    set_stock(&mut ds, k, *s);
                }
            }
            let opts = StockOptions { window_days: window, lead_time_days: lead, review_days: review, service_level: 0.95 };
            let got = compute(&ds, &opts);
            let paid: Vec<_> = orders.iter().filter(|o| o.3).collect();
            if stock.iter().all(Option::is_none) {
                prop_assert_eq!(got.unwrap_err().code, "no_stock");
                return Ok(());
            }
            if paid.is_empty() {
                prop_assert_eq!(got.unwrap_err().code, "no_paid_orders");
                return Ok(());
            }
            let r = got.unwrap();
            let last = paid.iter().map(|o| o.0).max().unwrap() as i64;
            let first_data = paid.iter().map(|o| o.0).min().unwrap() as i64;
            let first = (last - i64::from(window) + 1).max(first_data);
            let n = (last - first + 1) as f64;
            for (p, key) in keys.iter().enumerate() {
                let in_window: Vec<_> = paid.iter().filter(|o| o.1 == p && (o.0 as i64) >= first).collect();
                let row = r.products.iter().find(|x| x.key == *key);
                let s = stock[p];
                if in_window.is_empty() && s.is_none() {
                    prop_assert!(row.is_none());
                    continue;
                }
                let row = row.unwrap();
                let units: i64 = in_window.iter().map(|o| o.2).sum();
                let d = units as f64 / n;
                let per_day: Vec<f64> = (first..=last)
                    .map(|day| in_window.iter().filter(|o| o.0 as i64 == day).map(|o| o.2).sum::<i64>() as f64)
                    .collect();
                let sigma = if per_day.len() < 2 { 0.0 } else {
                    (per_day.iter().map(|u| (u - d).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                };
                prop_assert_eq!(row.units, units);
                prop_assert!(close(row.daily_demand, d));
                prop_assert!((row.sigma - sigma).abs() < 1e-9);
                prop_assert!(close(row.daily_revenue, units as f64 * 100.0 / n));
                match s {
                    None => prop_assert!(row.reorder_point.is_none() && row.suggested_order.is_none()),
                    Some(s) => {
                        let rop = d * lead + 1.645 * sigma * lead.sqrt();
                        prop_assert!((row.reorder_point.unwrap() - rop).abs() < 1e-9);
                        let want = (rop + d * review - s as f64 - 1e-9).ceil().max(0.0) as i64;
                        prop_assert_eq!(row.suggested_order.unwrap(), want);
                        if units > 0 {
                            prop_assert!(close(row.days_of_cover.unwrap(), s as f64 / d));
                        } else {
                            prop_assert!(row.days_of_cover.is_none());
                        }
                        prop_assert_eq!(row.at_risk, d > 0.0 && s as f64 <= rop);
                    }
                }
            }
        }
    }
}
