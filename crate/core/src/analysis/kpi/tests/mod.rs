//! Hand-computed fixtures and edge cases; `reference` holds the naive oracle and property tests.

use super::*;
use crate::analysis::filter::testkit::*;

mod reference;

/// Four buyers over Q1 2024 (amounts in cents):
///
/// | order | buyer | paid at          | paid  | refund | lines      |
/// |-------|-------|------------------|-------|--------|------------|
/// | O1    | a     | 2024-01-05 10:00 | 10000 | 0      | P1×2       |
/// | O2    | b     | 2024-01-20 15:00 | 5000  | 5000   | P2×1       |
/// | O3    | a     | 2024-01-28 20:00 | 3000  | 0      | P1×1       |
/// | O4    | c     | 2024-02-03 09:00 | 8000  | 2000   | P1×1, P2×3 |
/// | O5    | a     | 2024-02-14 12:00 | 6000  | 0      | P3×1       |
/// | O6    | d     | 2024-02-20 (unpaid) | 9999 | 0    | P1×5       |
/// | O7    | b     | 2024-03-02 11:00 | 4000  | 0      | P2×2       |
/// | O8    | d     | 2024-03-15 16:00 | 7000  | 1000   | P3×1       |
/// | O9    | d     | 2024-03-31 23:30 | 1000  | 0      | P1×1       |
///
/// Shop-level traffic: 01-05 100 visitors, 01-20 100, 02-03 200, 03-02 a row without a visitor count,
/// one row without a day 100; product P1 on 02-03 50 (not shop-level, ignored).
/// Ads: 01-10 1000 impressions, 50 clicks, 2000 spend, 8000 sales; 03-01 500, 0, 1000, 0.
fn q1() -> Dataset {
    let mut ds = Dataset::default();
    let o1 = paid(&mut ds, "O1", Some("a"), at(2024, 1, 5, 10, 0), 10000, 0);
    line(&mut ds, o1, "P1", None, 2, 5000);
    let o2 = paid(&mut ds, "O2", Some("b"), at(2024, 1, 20, 15, 0), 5000, 5000);
    line(&mut ds, o2, "P2", None, 1, 5000);
    let o3 = paid(&mut ds, "O3", Some("a"), at(2024, 1, 28, 20, 0), 3000, 0);
    line(&mut ds, o3, "P1", None, 1, 3000);
    let o4 = paid(&mut ds, "O4", Some("c"), at(2024, 2, 3, 9, 0), 8000, 2000);
    line(&mut ds, o4, "P1", None, 1, 2000);
    line(&mut ds, o4, "P2", None, 3, 2000);
    let o5 = paid(&mut ds, "O5", Some("a"), at(2024, 2, 14, 12, 0), 6000, 0);
    line(&mut ds, o5, "P3", None, 1, 6000);
    let o6 = unpaid(&mut ds, "O6", Some("d"), at(2024, 2, 20, 8, 0), 9999);
    line(&mut ds, o6, "P1", None, 5, 2000);
    let o7 = paid(&mut ds, "O7", Some("b"), at(2024, 3, 2, 11, 0), 4000, 0);
    line(&mut ds, o7, "P2", None, 2, 2000);
    let o8 = paid(&mut ds, "O8", Some("d"), at(2024, 3, 15, 16, 0), 7000, 1000);
    line(&mut ds, o8, "P3", None, 1, 7000);
    let o9 = paid(&mut ds, "O9", Some("d"), at(2024, 3, 31, 23, 30), 1000, 0);
    line(&mut ds, o9, "P1", None, 1, 1000);
    traffic(&mut ds, Some(day(2024, 1, 5)), None, Some(100));
    traffic(&mut ds, Some(day(2024, 1, 20)), None, Some(100));
    traffic(&mut ds, Some(day(2024, 2, 3)), None, Some(200));
    traffic(&mut ds, Some(day(2024, 2, 3)), Some("P1"), Some(50));
    traffic(&mut ds, Some(day(2024, 3, 2)), None, None);
    traffic(&mut ds, None, None, Some(100));
    ad(&mut ds, Some(day(2024, 1, 10)), 1000, 50, 2000, 8000);
    ad(&mut ds, Some(day(2024, 3, 1)), 500, 0, 1000, 0);
    ds
}

fn report(ds: &Dataset) -> KpiReport {
    compute(ds, &KpiOptions::default())
}

fn assert_close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("a defined value");
    assert!((a - expected).abs() < 1e-12, "{a} vs {expected}");
}

#[test]
fn monthly_points_match_hand_computation() {
    let r = report(&q1());
    let periods: Vec<&str> = r.monthly.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(periods, ["2024-01", "2024-02", "2024-03"]);
    assert_eq!(r.monthly[1].start, "2024-02-01");
    // January: O1, O2, O3. Buyers a (2 orders), b. Units 2 + 1 + 1. Visitors 100 + 100. One ad row.
    let january = KpiSet {
        gmv: 18000,
        refunds: 5000,
        net_sales: 13000,
        paid_orders: 3,
        buyers: Some(2),
        revenue_per_buyer: Some(9000.0),
        aov: Some(6000.0),
        units: 4,
        refund_rate: Some(5000.0 / 18000.0),
        refund_order_rate: Some(1.0 / 3.0),
        repurchase_rate: Some(0.5),
        new_buyers: Some(2),
        returning_buyers: Some(0),
        visitors: Some(200),
        conversion_rate: Some(0.01),
        impressions: Some(1000),
        clicks: Some(50),
        ad_spend: Some(2000),
        ad_sales: Some(8000),
        ctr: Some(0.05),
        roas: Some(4.0),
        acos: Some(0.25),
    };
    assert_eq!(r.monthly[0].kpi, january);
    assert_eq!(r.monthly[0].change, KpiChange::default());
    // February: O4, O5 (O6 is unpaid). Buyers c (new), a (returning). Units 1 + 3 + 1. No ads.
    let february = KpiSet {
        gmv: 14000,
        refunds: 2000,
        net_sales: 12000,
        paid_orders: 2,
        buyers: Some(2),
        revenue_per_buyer: Some(7000.0),
        aov: Some(7000.0),
        units: 5,
        refund_rate: Some(2000.0 / 14000.0),
        refund_order_rate: Some(0.5),
        repurchase_rate: Some(0.0),
        new_buyers: Some(1),
        returning_buyers: Some(1),
        visitors: Some(200),
        conversion_rate: Some(0.01),
        ..KpiSet::default()
    };
    assert_eq!(r.monthly[1].kpi, february);
    // March: O7, O8, O9. Buyers b (returning), d (new: O6 in February was never paid; 2 orders).
    // The only traffic row has no visitor count → visitors and conversion undefined.
    // Ads 500 impressions, 0 clicks → CTR 0; 0 sales → ROAS 0, ACOS undefined.
    let march = KpiSet {
        gmv: 12000,
        refunds: 1000,
        net_sales: 11000,
        paid_orders: 3,
        buyers: Some(2),
        revenue_per_buyer: Some(6000.0),
        aov: Some(4000.0),
        units: 4,
        refund_rate: Some(1000.0 / 12000.0),
        refund_order_rate: Some(1.0 / 3.0),
        repurchase_rate: Some(0.5),
        new_buyers: Some(1),
        returning_buyers: Some(1),
        impressions: Some(500),
        clicks: Some(0),
        ad_spend: Some(1000),
        ad_sales: Some(0),
        ctr: Some(0.0),
        roas: Some(0.0),
        ..KpiSet::default()
    };
    assert_eq!(r.monthly[2].kpi, march);
    // The data starts on January 5: January holds 27 of its 31 days, a partial period, so February
    // is not compared with it (a whole month against 27 days would be no comparison).
    let days: Vec<(u32, u32)> = r.monthly.iter().map(|p| (p.days, p.period_days)).collect();
    assert_eq!(days, [(27, 31), (29, 29), (31, 31)]);
    assert!(r.monthly[0].is_partial() && !r.monthly[1].is_partial());
    assert_eq!(r.monthly[1].change, KpiChange::default());
    // March against February: AOV 7000 → 4000, refund rate 1/7 → 1/12, conversion undefined.
    let c = &r.monthly[2].change;
    assert_close(c.gmv, -2000.0 / 14000.0);
    assert_close(c.paid_orders, 0.5);
    assert_close(c.aov, -3.0 / 7.0);
    assert_close(c.refund_rate, -5.0 / 12.0);
    assert_eq!(c.conversion_rate, None);
}

#[test]
fn total_covers_the_whole_range() {
    let r = report(&q1());
    // Buyers a (3 paid orders), b (2), c (1), d (2): 4 buyers, 3 repeat. Refunded orders O2, O4, O8.
    // Visitors 100 + 100 + 200 + the dayless 100. Ads 1000 + 500 impressions, 50 clicks.
    let total = KpiSet {
        gmv: 44000,
        refunds: 8000,
        net_sales: 36000,
        paid_orders: 8,
        buyers: Some(4),
        revenue_per_buyer: Some(11000.0),
        aov: Some(5500.0),
        units: 13,
        refund_rate: Some(8000.0 / 44000.0),
        refund_order_rate: Some(3.0 / 8.0),
        repurchase_rate: Some(0.75),
        new_buyers: Some(4),
        returning_buyers: Some(0),
        visitors: Some(500),
        conversion_rate: Some(4.0 / 500.0),
        impressions: Some(1500),
        clicks: Some(50),
        ad_spend: Some(3000),
        ad_sales: Some(8000),
        ctr: Some(50.0 / 1500.0),
        roas: Some(8000.0 / 3000.0),
        acos: Some(3000.0 / 8000.0),
    };
    assert_eq!(r.total, total);
    assert_eq!(r.first_day.as_deref(), Some("2024-01-05"));
    assert_eq!(r.last_day.as_deref(), Some("2024-03-31"));
    assert_eq!(r.buyers_unavailable, None);
}

#[test]
fn daily_and_weekly_series_are_dense() {
    let r = report(&q1());
    // 2024-01-05 ..= 2024-03-31: 27 + 29 + 31 days.
    assert_eq!(r.daily.len(), 87);
    assert_eq!(
        (r.daily[0].period.as_str(), r.daily[86].period.as_str()),
        ("2024-01-05", "2024-03-31")
    );
    assert_eq!(
        (r.daily[0].kpi.gmv, r.daily[0].kpi.conversion_rate),
        (10000, Some(0.01))
    );
    // 2024-01-06 has nothing: zero counts, undefined ratios; GMV fell by 100 %.
    let empty_day = &r.daily[1];
    assert_eq!(
        empty_day.kpi,
        KpiSet {
            buyers: Some(0),
            new_buyers: Some(0),
            returning_buyers: Some(0),
            ..KpiSet::default()
        }
    );
    assert_eq!(empty_day.change.gmv, Some(-1.0));
    assert_eq!(empty_day.change.aov, None);
    assert_eq!(r.daily[2].change.gmv, None);
    // 2024-01-05 is a Friday in 2024-W01 (Mon 01-01); 2024-03-31 is the Sunday ending W13.
    let weeks: Vec<(&str, i64)> = r
        .weekly
        .iter()
        .map(|p| (p.period.as_str(), p.kpi.gmv))
        .collect();
    assert_eq!(weeks.len(), 13);
    assert_eq!(r.weekly[0].start, "2024-01-01");
    // O2 on Sat 01-20 is in W03 (01-15..01-21); O3 on Sun 01-28 in W04; O4 on Sat 02-03 in W05.
    assert_eq!(
        &weeks[..5],
        [
            ("2024-W01", 10000),
            ("2024-W02", 0),
            ("2024-W03", 5000),
            ("2024-W04", 3000),
            ("2024-W05", 8000)
        ]
    );
    assert_eq!(r.weekly[1].kpi.ad_spend, Some(2000));
}

#[test]
fn compare_takes_the_last_two_periods_of_the_chosen_grain() {
    let ds = q1();
    let r = report(&ds);
    let c = r.compare.expect("three months");
    assert_eq!(
        (
            c.grain,
            c.previous.period.as_str(),
            c.current.period.as_str()
        ),
        (Grain::Month, "2024-02", "2024-03")
    );
    assert_eq!(c.current, r.monthly[2]);
    // The data runs from Jan 5 to Mar 31: March is whole, and so is February.
    assert!(!c.current_partial && !c.previous_partial);
    let weekly = compute(
        &ds,
        &KpiOptions {
            grain_for_compare: Grain::Week,
        },
    )
    .compare
    .unwrap();
    // W13 holds O9 (1000); W12 holds nothing, so the change is undefined.
    assert_eq!(
        (weekly.previous.period.as_str(), weekly.current.kpi.gmv),
        ("2024-W12", 1000)
    );
    assert_eq!(weekly.current.change.gmv, None);
    let daily = compute(
        &ds,
        &KpiOptions {
            grain_for_compare: Grain::Day,
        },
    )
    .compare
    .unwrap();
    assert_eq!(
        (
            daily.previous.period.as_str(),
            daily.current.period.as_str()
        ),
        ("2024-03-30", "2024-03-31")
    );
}

#[test]
fn compare_flags_partial_periods() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 1, 15, 9, 0), 1000, 0);
    paid(&mut ds, "2", Some("a"), at(2024, 2, 10, 9, 0), 3000, 0);
    let c = report(&ds).compare.unwrap();
    // Data from Jan 15 to Feb 10: neither month is whole. Compared as whole months this read
    // +200 %; like for like there is nothing to compare February's 10 days with (the first 10 days
    // of January hold no data), so the change is undefined and the cards say so.
    assert!(c.current_partial && c.previous_partial);
    assert_eq!((c.current.days, c.current.period_days), (10, 29));
    assert_eq!(c.current.change.gmv, None);
    assert_eq!(c.previous.days, 10);
    assert_eq!(c.previous.kpi.gmv, 0);
    assert_eq!(c.current.kpi.new_buyers, Some(0));
    assert_eq!(c.current.kpi.returning_buyers, Some(1));
}

#[test]
fn options_from_json() {
    let o: KpiOptions = serde_json::from_str(r#"{"grain_for_compare":"week"}"#).unwrap();
    assert_eq!(o.grain_for_compare, Grain::Week);
    assert_eq!(
        serde_json::from_str::<KpiOptions>("{}").unwrap(),
        KpiOptions::default()
    );
    assert!(serde_json::from_str::<KpiOptions>(r#"{"grain":"week"}"#).is_err());
}

#[test]
fn empty_dataset_has_no_periods() {
    let r = report(&Dataset::default());
    assert_eq!(r.total, KpiSet::default());
    assert_eq!((r.first_day, r.last_day), (None, None));
    assert!(r.daily.is_empty() && r.weekly.is_empty() && r.monthly.is_empty());
    assert_eq!(r.compare, None);
    assert_eq!(
        r.buyers_unavailable.map(|u| u.code.code()),
        Some("no_customer_ids")
    );
}

#[test]
fn only_unpaid_orders_count_nothing() {
    let mut ds = Dataset::default();
    unpaid(&mut ds, "1", Some("a"), at(2024, 5, 1, 9, 0), 1000);
    let r = report(&ds);
    assert_eq!(
        (r.total.gmv, r.total.paid_orders, r.first_day),
        (0, 0, None)
    );
    assert!(r.monthly.is_empty());
    // A customer id on an unpaid order is not a buyer id.
    assert!(r.buyers_unavailable.is_some());
}

#[test]
fn single_order() {
    let mut ds = Dataset::default();
    let o = paid(&mut ds, "1", Some("a"), at(2024, 5, 1, 9, 0), 2599, 0);
    line(&mut ds, o, "P", None, 3, 900);
    let r = report(&ds);
    assert_eq!(
        (r.total.gmv, r.total.units, r.total.buyers, r.total.aov),
        (2599, 3, Some(1), Some(2599.0))
    );
    assert_eq!(
        (r.total.repurchase_rate, r.total.new_buyers),
        (Some(0.0), Some(1))
    );
    assert_eq!(
        (r.total.visitors, r.total.conversion_rate, r.total.ctr),
        (None, None, None)
    );
    assert_eq!((r.daily.len(), r.weekly.len(), r.monthly.len()), (1, 1, 1));
    assert_eq!(r.monthly[0].kpi, r.total);
    assert_eq!(r.first_day, r.last_day);
    assert_eq!(r.compare, None);
}

#[test]
fn fully_refunded_orders_still_count_as_paid() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 5, 1, 9, 0), 1000, 1000);
    paid(&mut ds, "2", Some("b"), at(2024, 5, 2, 9, 0), 3000, 3000);
    let t = report(&ds).total;
    assert_eq!(
        (t.gmv, t.refunds, t.net_sales, t.paid_orders, t.buyers),
        (4000, 4000, 0, 2, Some(2))
    );
    assert_eq!((t.refund_rate, t.refund_order_rate), (Some(1.0), Some(1.0)));
}

#[test]
fn without_customer_ids_buyer_metrics_are_undefined() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", None, at(2024, 5, 1, 9, 0), 1000, 0);
    paid(&mut ds, "2", None, at(2024, 5, 2, 9, 0), 3000, 0);
    traffic(&mut ds, Some(day(2024, 5, 1)), None, Some(40));
    let r = report(&ds);
    let t = &r.total;
    assert_eq!((t.gmv, t.paid_orders, t.aov), (4000, 2, Some(2000.0)));
    assert_eq!(
        (t.buyers, t.revenue_per_buyer, t.repurchase_rate),
        (None, None, None)
    );
    assert_eq!(
        (t.new_buyers, t.returning_buyers, t.conversion_rate),
        (None, None, None)
    );
    assert_eq!(t.visitors, Some(40));
    assert_eq!(r.daily[1].change.buyers, None);
    assert_eq!(r.buyers_unavailable.unwrap().code, "no_customer_ids");
}

#[test]
fn orders_without_a_customer_id_count_in_sales_but_not_in_buyers() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 5, 1, 9, 0), 1000, 0);
    paid(&mut ds, "2", None, at(2024, 5, 1, 10, 0), 3000, 0);
    let t = report(&ds).total;
    // GMV 4000 over 1 buyer (客单价 4000) and 2 orders (AOV 2000).
    assert_eq!(
        (t.gmv, t.buyers, t.revenue_per_buyer, t.aov),
        (4000, Some(1), Some(4000.0), Some(2000.0))
    );
}

#[test]
fn weeks_and_months_cross_the_year_boundary() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 12, 29, 12, 0), 100, 0); // Sunday, 2024-W52
    paid(&mut ds, "2", Some("a"), at(2024, 12, 30, 12, 0), 200, 0); // Monday, 2025-W01
    paid(&mut ds, "3", Some("b"), at(2025, 1, 6, 12, 0), 400, 0); // Monday, 2025-W02
    let r = report(&ds);
    let weeks: Vec<(&str, &str, i64)> = r
        .weekly
        .iter()
        .map(|p| (p.period.as_str(), p.start.as_str(), p.kpi.gmv))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2024-W52", "2024-12-23", 100),
            ("2025-W01", "2024-12-30", 200),
            ("2025-W02", "2025-01-06", 400)
        ]
    );
    let months: Vec<(&str, i64)> = r
        .monthly
        .iter()
        .map(|p| (p.period.as_str(), p.kpi.gmv))
        .collect();
    assert_eq!(months, [("2024-12", 300), ("2025-01", 400)]);
    // Buyer a's first order is in 2024-W52, so a is returning in 2025-W01.
    assert_eq!(
        (r.weekly[1].kpi.new_buyers, r.weekly[1].kpi.returning_buyers),
        (Some(0), Some(1))
    );
}

#[test]
fn a_partial_last_period_is_compared_with_the_same_days_before_it() {
    // January whole (an order on the 1st, the 8th and the 25th); data ends on February 7, a week
    // into February. February's ¥50 against January's first 7 days (the 1st: ¥20; the 8th is day
    // 8): +150 %, not against all of January (¥90: −44 %).
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 1, 1, 9, 0), 2000, 0);
    paid(&mut ds, "2", Some("b"), at(2024, 1, 8, 9, 0), 3000, 0);
    paid(&mut ds, "3", Some("c"), at(2024, 1, 25, 9, 0), 4000, 0);
    paid(&mut ds, "4", Some("d"), at(2024, 2, 7, 9, 0), 5000, 0);
    let r = report(&ds);
    let feb = &r.monthly[1];
    assert_eq!((feb.days, feb.period_days, feb.is_partial()), (7, 29, true));
    assert_close(feb.change.gmv, 1.5);
    assert_close(feb.change.paid_orders, 0.0);
    let c = r.compare.expect("two months");
    assert!(c.current_partial && !c.previous_partial);
    assert_eq!((c.previous.days, c.previous.kpi.gmv), (7, 2000));
    assert_close(c.current.change.gmv, 1.5);
    // Weeks: 2024-02-05 (Mon) to the 7th is 3 of 7 days, compared with Mon–Wed of the week before
    // (no orders: undefined).
    let last_week = r.weekly.last().expect("weeks");
    assert_eq!((last_week.days, last_week.period_days), (3, 7));
    assert_eq!(last_week.change.gmv, None);
}
