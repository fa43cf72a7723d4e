//! Hand-computed fixtures for the product report, and property tests against a naive reference.

mod properties;

use super::line_refunds;
use super::*;
use crate::model::{LineRow, OrderRow, PayState};
use crate::time::to_seconds;

/// Noon on a 2024 date, wall-clock seconds.
pub(super) fn at(month: u32, day: u32) -> i64 {
    to_seconds(2024, month, day, 12, 0, 0)
}

/// A paid order (paid at `time`) as an export row would give it.
pub(super) fn paid<'a>(
    id: &'a str,
    customer: Option<&'a str>,
    time: i64,
    paid_amount: i64,
    refund: i64,
) -> OrderRow<'a> {
    OrderRow {
        id,
        customer,
        created: Some(time),
        paid_at: Some(time),
        state: Some(PayState::Paid),
        paid_amount: Some(paid_amount),
        refund: Some(refund),
        ..OrderRow::default()
    }
}

/// An order created at `time` and never paid.
fn unpaid<'a>(
    id: &'a str,
    customer: Option<&'a str>,
    time: i64,
    paid_amount: i64,
    refund: i64,
) -> OrderRow<'a> {
    OrderRow {
        paid_at: None,
        state: Some(PayState::Unpaid),
        ..paid(id, customer, time, paid_amount, refund)
    }
}

/// Adds an order with its lines.
pub(super) fn add(ds: &mut Dataset, order: OrderRow, lines: &[LineRow]) {
    let o = ds.add_order(&order);
    for line in lines {
        ds.add_line(o, line);
    }
}

/// A line with an exported amount.
fn amount(key: &str, quantity: i64, amount: i64) -> LineRow<'_> {
    LineRow {
        product_key: key,
        quantity,
        amount: Some(amount),
        ..LineRow::default()
    }
}

/// A line valued as quantity × unit price.
fn priced(key: &str, quantity: i64, unit_price: i64) -> LineRow<'_> {
    LineRow {
        product_key: key,
        quantity,
        unit_price: Some(unit_price),
        ..LineRow::default()
    }
}

/// A line with no value at all.
fn bare(key: &str, quantity: i64) -> LineRow<'_> {
    LineRow {
        product_key: key,
        quantity,
        ..LineRow::default()
    }
}

/// Three products A, B, C (ids 0, 1, 2 in first-seen order), customers c1–c3, last paid day 03-31.
/// With the default 30-day window the recent window is 03-02..=03-31 and the earlier one
/// 01-31..=03-01.
///
/// | order | day   | buyer | paid  | refund | lines → allocated revenue (cents)                              |
/// |-------|-------|-------|-------|--------|----------------------------------------------------------------|
/// | O1    | 02-10 | c1    | 10000 | 0      | A 1×6000 → 6000; B 2×¥20 (4000) → 4000                          |
/// | O2    | 03-01 | c2    | 5500  | 1000   | A 1×5000 → 5500 (shipping shared out); refund 1000 → A          |
/// | O3    | 03-02 | c1    | 12000 | 2000   | A 1×6000 (own refund 0) → 6000; C 3×6000 (own refund 2000) → 6000 |
/// | O4    | 03-10 | c3    | 1001  | 1001   | B 1×¥5, C 1×¥5: 500/500 + 1 cent to the first tie → B 501, C 500; refund alike |
/// | O5    | 03-15 | c1    | 3000  | 0      | A ×1, B ×1, no values → equal shares 1500, 1500                |
/// | O6    | 03-20 | c2    | unpaid 9999 |  | A 5×9999 → ignored                                              |
/// | O7    | 03-31 | c2    | 7000  | 0      | B 2×7000 → 7000                                                 |
/// | O8    | 03-25 | c3    | 2000  | 0      | C 1×1000, C 1×1000 (two lines, one order) → 1000 + 1000         |
/// | O9    | 01-30 | none  | 4000  | 0      | A 2×4000 → 4000 (before both windows)                           |
fn fixture() -> Dataset {
    let mut ds = Dataset::default();
    let a_titled = LineRow {
        title: Some("Tea cup, white"),
        category: Some("Kitchen"),
        ..amount("A", 1, 6000)
    };
    add(
        &mut ds,
        paid("O1", Some("c1"), at(2, 10), 10000, 0),
        &[a_titled, priced("B", 2, 2000)],
    );
    let late_on_03_01 = to_seconds(2024, 3, 1, 23, 59, 59);
    add(
        &mut ds,
        paid("O2", Some("c2"), late_on_03_01, 5500, 1000),
        &[amount("A", 1, 5000)],
    );
    let first_second_of_03_02 = to_seconds(2024, 3, 2, 0, 0, 0);
    let o3_lines = [
        LineRow {
            refund: Some(0),
            ..amount("A", 1, 6000)
        },
        LineRow {
            refund: Some(2000),
            ..amount("C", 3, 6000)
        },
    ];
    add(
        &mut ds,
        paid("O3", Some("c1"), first_second_of_03_02, 12000, 2000),
        &o3_lines,
    );
    add(
        &mut ds,
        paid("O4", Some("c3"), at(3, 10), 1001, 1001),
        &[priced("B", 1, 500), priced("C", 1, 500)],
    );
    add(
        &mut ds,
        paid("O5", Some("c1"), at(3, 15), 3000, 0),
        &[bare("A", 1), bare("B", 1)],
    );
    add(
        &mut ds,
        unpaid("O6", Some("c2"), at(3, 20), 9999, 0),
        &[amount("A", 5, 9999)],
    );
    add(
        &mut ds,
        paid("O7", Some("c2"), at(3, 31), 7000, 0),
        &[amount("B", 2, 7000)],
    );
    add(
        &mut ds,
        paid("O8", Some("c3"), at(3, 25), 2000, 0),
        &[amount("C", 1, 1000), amount("C", 1, 1000)],
    );
    add(
        &mut ds,
        paid("O9", None, at(1, 30), 4000, 0),
        &[amount("A", 2, 4000)],
    );
    // Product list: A costs ¥20 with 10 in stock; B is sold out; C costs ¥10 with 30 in stock.
    ds.product_info[0].cost = Some(2000);
    ds.product_info[0].stock = Some(10);
    ds.product_info[1].stock = Some(0);
    ds.product_info[2].cost = Some(1000);
    ds.product_info[2].stock = Some(30);
    ds
}

fn fixture_report() -> ProductReport {
    let conversion = [Some(0.1), None, Some(0.05)];
    compute(&fixture(), &ProductOptions::default(), &conversion).expect("fixture has paid lines")
}

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < 1e-9)
}

#[test]
fn totals_windows_and_shop_growth() {
    let r = fixture_report();
    // GMV of paid orders with lines: 10000+5500+12000+1001+3000+7000+2000+4000 = 44501.
    assert_eq!(r.total_revenue, 44501);
    // Order refunds 1000 (O2) + 2000 (O3, given per line) + 1001 (O4) = 4001.
    assert_eq!(r.total_refunds, 4001);
    // Recent: O3 12000 + O4 1001 + O5 3000 + O7 7000 + O8 2000 = 25001; earlier: O1 + O2 = 15500.
    assert_eq!(
        (r.shop_recent_revenue, r.shop_previous_revenue),
        (25001, 15500)
    );
    assert!(close(r.shop_growth, 9501.0 / 15500.0));
    assert_eq!(r.last_day, "2024-03-31");
    assert_eq!(r.growth_window_days, 30);
    let keys: Vec<&str> = r.products.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["A", "B", "C"]);
}

#[test]
fn product_a_every_field() {
    let r = fixture_report();
    let a = &r.products[0];
    assert_eq!(a.title.as_deref(), Some("Tea cup, white"));
    assert_eq!(a.category.as_deref(), Some("Kitchen"));
    // 6000 (O1) + 5500 (O2) + 6000 (O3) + 1500 (O5) + 4000 (O9) = 23000; O6 is unpaid.
    assert_eq!(a.revenue, 23000);
    // Line values 6000 + 5000 + 6000 + (O5 has none) + 4000 = 21000.
    assert_eq!(a.merchandise_value, Some(21000));
    assert_eq!(a.units, 6);
    assert_eq!(a.paid_orders, 5);
    // c1 (O1, O3, O5) and c2 (O2); O9 has no buyer. c1 repeats.
    assert_eq!((a.buyers, a.repeat_buyers), (Some(2), Some(1)));
    assert!(close(a.repeat_buyer_rate, 0.5));
    // O2's order refund allocated to its only line; O3's own line refund is 0.
    assert_eq!(a.refunds, 1000);
    assert!(close(a.refund_rate, 1000.0 / 23000.0));
    assert!(close(a.avg_selling_price, 23000.0 / 6.0));
    assert!(close(a.share, 23000.0 / 44501.0));
    // Recent: O3 6000 + O5 1500 = 7500 (2 units); earlier: O1 6000 + O2 5500 = 11500.
    assert_eq!(
        (a.recent_revenue, a.previous_revenue, a.recent_units),
        (7500, 11500, 2)
    );
    assert!(close(a.growth, -4000.0 / 11500.0));
    assert_eq!(a.growth_status, GrowthStatus::Measured);
    assert_eq!(a.abc, AbcClass::A);
    // Class A, growth −0.348 < shop 0.613 → cash cow.
    assert_eq!(a.quadrant, Quadrant::CashCow);
    assert_eq!(a.item_conversion, Some(0.1));
    // 23000 − 2000 × 6 = 11000; 11000 / 23000.
    assert_eq!((a.unit_cost, a.gross_profit), (Some(2000), Some(11000)));
    assert!(close(a.margin, 11000.0 / 23000.0));
    // 10 in stock / (2 units / 30 days) = 150 days.
    assert_eq!((a.stock, a.stock_cover_days), (Some(10), Some(150.0)));
    // c1 paid 6000 + 6000 + 1500 = 13500 of 23000.
    assert!(close(a.top_buyer_share, 13500.0 / 23000.0));
}

#[test]
fn product_b_rounding_cent_and_no_value_lines() {
    let r = fixture_report();
    let b = &r.products[1];
    // 4000 (O1) + 501 (O4, the odd cent: tie with C, lower index first) + 1500 (O5) + 7000 (O7).
    assert_eq!(b.revenue, 13001);
    // 4000 + 500 + (O5 none) + 7000.
    assert_eq!(b.merchandise_value, Some(11500));
    assert_eq!((b.units, b.paid_orders), (6, 4));
    // c1 (O1, O5) repeats; c3 and c2 once.
    assert_eq!((b.buyers, b.repeat_buyers), (Some(3), Some(1)));
    assert!(close(b.repeat_buyer_rate, 1.0 / 3.0));
    // O4's 1001 refund allocated like revenue: B 501.
    assert_eq!(b.refunds, 501);
    assert!(close(b.refund_rate, 501.0 / 13001.0));
    // Recent 501 + 1500 + 7000 = 9001 (4 units); earlier 4000 → growth 5001 / 4000 = 1.25025.
    assert_eq!(
        (b.recent_revenue, b.previous_revenue, b.recent_units),
        (9001, 4000, 4)
    );
    assert!(close(b.growth, 1.25025));
    assert_eq!(b.abc, AbcClass::A);
    assert_eq!(b.quadrant, Quadrant::Star);
    assert_eq!(b.item_conversion, None);
    assert_eq!((b.unit_cost, b.gross_profit, b.margin), (None, None, None));
    // Sold out while selling: 0 days of cover.
    assert_eq!((b.stock, b.stock_cover_days), (Some(0), Some(0.0)));
    assert!(close(b.top_buyer_share, 7000.0 / 13001.0));
}

#[test]
fn product_c_new_with_line_refunds() {
    let r = fixture_report();
    let c = &r.products[2];
    // 6000 (O3) + 500 (O4) + 1000 + 1000 (O8's two lines).
    assert_eq!(c.revenue, 8500);
    assert_eq!(c.merchandise_value, Some(8500));
    // Two lines of O8 count as one paid order.
    assert_eq!((c.units, c.paid_orders), (6, 3));
    // c1 (O3) once, c3 (O4, O8) twice.
    assert_eq!((c.buyers, c.repeat_buyers), (Some(2), Some(1)));
    // Own line refund 2000 (O3) + allocated 500 (O4).
    assert_eq!(c.refunds, 2500);
    assert!(close(c.refund_rate, 2500.0 / 8500.0));
    // Nothing in the earlier window: "new", a question mark whatever its share.
    assert_eq!((c.recent_revenue, c.previous_revenue), (8500, 0));
    assert_eq!((c.growth, c.growth_status), (None, GrowthStatus::New));
    // Before C: (23000 + 13001) / 44501 = 0.809 ≥ 0.80 → B.
    assert_eq!(c.abc, AbcClass::B);
    assert_eq!(c.quadrant, Quadrant::QuestionMark);
    // 8500 − 1000 × 6 = 2500.
    assert_eq!(c.gross_profit, Some(2500));
    assert!(close(c.margin, 2500.0 / 8500.0));
    // 30 / (6 / 30) = 150 days.
    assert_eq!(c.stock_cover_days, Some(150.0));
    assert!(close(c.top_buyer_share, 6000.0 / 8500.0));
}

#[test]
fn pareto_and_class_counts() {
    let r = fixture_report();
    let shares: Vec<f64> = r.pareto.iter().map(|p| p.cumulative_share).collect();
    assert!(close(Some(shares[0]), 23000.0 / 44501.0));
    assert!(close(Some(shares[1]), 36001.0 / 44501.0));
    assert_eq!(shares[2], 1.0);
    assert_eq!((r.pareto[2].rank, r.pareto[2].key.as_str()), (3, "C"));
    assert_eq!(r.class_counts, ClassCounts { a: 2, b: 1, c: 0 });
}

fn scores(detail: &ScoreDetail) -> (Option<f64>, Vec<(&str, Option<f64>)>) {
    let parts = detail
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.percentile))
        .collect();
    (detail.score, parts)
}

#[test]
fn scorecard_percentiles_and_means() {
    let r = fixture_report();
    let [a, b, c] = [&r.products[0], &r.products[1], &r.products[2]];
    // Potential. growth: A −0.35, B 1.25 (C new) → 0, 100. conversion: A 0.1, C 0.05 → 100, 0.
    // repeat rate: B 1/3 < A = C = 0.5 → B 0; A, C: 100·(1 + ½)/2 = 75.
    let (score, parts) = scores(&a.scorecard.potential);
    assert_eq!(
        parts,
        [
            ("growth", Some(0.0)),
            ("item_conversion", Some(100.0)),
            ("repeat_buyer_rate", Some(75.0))
        ]
    );
    assert!(close(score, 175.0 / 3.0));
    assert_eq!(b.scorecard.potential.score, Some(50.0)); // (100 + 0) / 2
    assert_eq!(c.scorecard.potential.score, Some(37.5)); // (0 + 75) / 2
    assert_eq!(c.scorecard.potential.components[0].value, None);

    // Feasibility. margin: A 0.478 > C 0.294 → 100, 0. cover: B 0 < A = C = 150 → 0, 75, 75.
    // price: A 3833 > B 2167 > C 1417 → 100, 50, 0.
    assert!(close(a.scorecard.feasibility.score, 275.0 / 3.0));
    assert_eq!(b.scorecard.feasibility.score, Some(25.0)); // (0 + 50) / 2
    assert_eq!(c.scorecard.feasibility.score, Some(25.0)); // (0 + 75 + 0) / 3

    // Risk. refund rate: B 0.0385 < A 0.0435 < C 0.294 → 0, 50, 100. top buyer: B 0.538 < A 0.587
    // < C 0.706 → 0, 50, 100. stock-out: only B (stock 0) → B 100; A, C: 100·(0 + ½)/2 = 25.
    let (score, parts) = scores(&b.scorecard.risk);
    assert_eq!(
        parts,
        [
            ("refund_rate", Some(0.0)),
            ("top_buyer_share", Some(0.0)),
            ("stock_out", Some(100.0))
        ]
    );
    assert!(close(score, 100.0 / 3.0));
    assert_eq!(b.scorecard.risk.components[2].value, Some(1.0));
    assert!(close(a.scorecard.risk.score, 125.0 / 3.0));
    assert_eq!(c.scorecard.risk.score, Some(75.0));
}

#[test]
fn csv_export_in_yuan() {
    let csv = products_csv(&fixture_report());
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("rank,key,title,category,revenue,merchandise_value,units,"));
    // share 23000/44501 = 0.5168423; growth −4000/11500 = −0.3478261; margin 0.4782609;
    // scores 58.33, 91.67, 41.67.
    assert_eq!(
        lines[1],
        "1,A,\"Tea cup, white\",Kitchen,230.00,210.00,6,5,2,1,10.00,0.043478,38.33,0.516842,\
         0.500000,75.00,115.00,-0.347826,measured,A,cash_cow,0.100000,20.00,110.00,0.478261,\
         10,150.0,58.3,91.7,41.7"
    );
    // C: no title, empty growth, 85.00 revenue.
    assert!(lines[3].starts_with("3,C,,,85.00,85.00,6,3,2,1,25.00,"));
    assert!(lines[3].contains(",,new,B,question_mark,0.050000,10.00,25.00,"));
}

#[test]
fn yuan_formatting_is_exact() {
    assert_eq!(csv_export::yuan(0), "0.00");
    assert_eq!(csv_export::yuan(5), "0.05");
    assert_eq!(csv_export::yuan(-105), "-1.05");
    assert_eq!(csv_export::yuan(i64::MIN), "-92233720368547758.08");
}

/// One single-line order per (product, day, revenue in yuan).
fn single_line_orders(sales: &[(&str, i64, i64)]) -> Dataset {
    let mut ds = Dataset::default();
    for (i, &(key, day, yuan)) in sales.iter().enumerate() {
        let time = to_seconds(2024, 1, 1, 9, 0, 0) + day * 86_400;
        let cents = yuan * 100;
        add(
            &mut ds,
            paid(&format!("o{i}"), Some("c"), time, cents, 0),
            &[amount(key, 1, cents)],
        );
    }
    ds
}

#[test]
fn abc_ties_by_key_and_exact_thresholds() {
    // P2 and P1 tie at 40 → P1 first. Before: P1 0 → A; P2 40 % → A; P3 exactly 80 % → B;
    // P4 exactly 95 % → C.
    let ds = single_line_orders(&[("P2", 0, 40), ("P4", 0, 5), ("P3", 0, 15), ("P1", 0, 40)]);
    let r = compute(&ds, &ProductOptions::default(), &[]).expect("paid lines");
    let classes: Vec<(&str, AbcClass)> =
        r.products.iter().map(|p| (p.key.as_str(), p.abc)).collect();
    assert_eq!(
        classes,
        [
            ("P1", AbcClass::A),
            ("P2", AbcClass::A),
            ("P3", AbcClass::B),
            ("P4", AbcClass::C)
        ]
    );
    assert_eq!(r.class_counts, ClassCounts { a: 2, b: 1, c: 1 });

    // 70, 20, 10: the second product crosses 80 % (70 % → 90 %) and is A; the third starts at 90 % → B.
    let ds = single_line_orders(&[("X", 0, 70), ("Y", 0, 20), ("Z", 0, 10)]);
    let r = compute(&ds, &ProductOptions::default(), &[]).expect("paid lines");
    let classes: Vec<AbcClass> = r.products.iter().map(|p| p.abc).collect();
    assert_eq!(classes, [AbcClass::A, AbcClass::A, AbcClass::B]);
}

#[test]
fn quadrants_with_a_growth_tie() {
    // 10-day windows; last day is day 19: recent days 10..=19, earlier days 0..=9.
    // earlier / recent (yuan): K 30/22, S 10/40, Q 2/3, D 2/1 → shop 44/66, growth 22/44 = 0.5.
    // Revenue K 52, S 50, Q 5, D 3 (total 110): K A; S before 47 % → A; Q before 92.7 % → B;
    // D before 97.3 % → C.
    let ds = single_line_orders(&[
        ("K", 0, 30),
        ("K", 19, 22),
        ("S", 1, 10),
        ("S", 18, 40),
        ("Q", 9, 2),
        ("Q", 10, 3),
        ("D", 2, 2),
        ("D", 11, 1),
    ]);
    let opts = ProductOptions {
        growth_window_days: 10,
    };
    let r = compute(&ds, &opts, &[]).expect("paid lines");
    assert_eq!(r.shop_growth, Some(0.5));
    let got: Vec<(&str, Option<f64>, Quadrant)> = r
        .products
        .iter()
        .map(|p| (p.key.as_str(), p.growth, p.quadrant))
        .collect();
    assert_eq!(
        got,
        [
            ("K", Some(-8.0 / 30.0), Quadrant::CashCow),
            ("S", Some(3.0), Quadrant::Star),
            // (3 − 2) / 2 = 0.5 = the shop's growth: "≥" makes it high growth.
            ("Q", Some(0.5), Quadrant::QuestionMark),
            ("D", Some(-0.5), Quadrant::Dog),
        ]
    );
}

#[test]
fn unavailable_without_lines_or_paid_orders() {
    let mut ds = Dataset::default();
    add(&mut ds, paid("o1", None, at(3, 1), 1000, 0), &[]);
    let err = compute(&ds, &ProductOptions::default(), &[]).expect_err("no lines");
    assert_eq!(err.code, "no_order_lines");

    add(
        &mut ds,
        unpaid("o2", None, at(3, 2), 1000, 0),
        &[amount("A", 1, 1000)],
    );
    let err = compute(&ds, &ProductOptions::default(), &[]).expect_err("nothing paid");
    assert_eq!(err.code, "no_paid_orders");
}

#[test]
fn without_customer_ids_buyer_figures_are_undefined() {
    let mut ds = Dataset::default();
    add(
        &mut ds,
        paid("o1", None, at(3, 1), 1000, 0),
        &[amount("A", 1, 1000)],
    );
    let r = compute(&ds, &ProductOptions::default(), &[]).expect("paid lines");
    let a = &r.products[0];
    assert_eq!(
        (
            a.buyers,
            a.repeat_buyers,
            a.repeat_buyer_rate,
            a.top_buyer_share
        ),
        (None, None, None, None)
    );
    // A single product ranks at the 50th percentile on what it has: price only → feasibility 50.
    assert_eq!(a.scorecard.feasibility.score, Some(50.0));
    assert_eq!(a.scorecard.potential.score, None);
}

#[test]
fn mixed_line_and_order_refunds() {
    // Order refund 1000; line 0 says 300 itself; the other 700 goes to lines 1 and 2 by value 3:1.
    assert_eq!(
        line_refunds(1000, &[Some(300), None, None], &[100, 300, 100]),
        vec![300, 525, 175]
    );
    // Own refunds already exceed the order's: the others get nothing, not a negative refund.
    assert_eq!(line_refunds(100, &[Some(300), None], &[1, 1]), vec![300, 0]);
    // No own refunds: exactly the revenue allocation.
    assert_eq!(
        line_refunds(1001, &[None, None], &[500, 500]),
        allocate_cents(1001, &[500, 500])
    );
}

#[test]
fn options_reject_unknown_fields_and_default_missing_ones() {
    let opts: ProductOptions = serde_json::from_str("{}").expect("defaults");
    assert_eq!(opts.growth_window_days, 30);
    assert!(serde_json::from_str::<ProductOptions>(r#"{"growth_window": 7}"#).is_err());
    // A window below 1 day is read as 1.
    let ds = single_line_orders(&[("A", 0, 1)]);
    let r = compute(
        &ds,
        &ProductOptions {
            growth_window_days: -5,
        },
        &[],
    )
    .expect("paid lines");
    assert_eq!(r.growth_window_days, 1);
}

#[test]
fn report_serialises_with_snake_case_values() {
    let json = serde_json::to_value(fixture_report()).expect("serialisable");
    assert_eq!(json["products"][0]["quadrant"], "cash_cow");
    assert_eq!(json["products"][2]["growth_status"], "new");
    assert_eq!(json["products"][2]["growth"], serde_json::Value::Null);
    assert_eq!(json["products"][2]["abc"], "b");
    assert_eq!(json["class_counts"]["a"], 2);
}
