use crate::codes::UnavailableCode;
use proptest::prelude::*;

use super::*;
use crate::analysis::filter::testkit::*;
use crate::analysis::funnel::{Breakdown, FunnelMode, FunnelSource, StepStat, TrendPoint};
use crate::analysis::kpi::{self, KpiOptions};
use crate::analysis::products::{self, GrowthStatus, ProductOptions, ProductRow};
use crate::analysis::rfm::{MeanScores, RfmCustomer};
use crate::model::{Dataset, EventType};
use crate::time::{Day, Grain};

fn opts() -> ActionOptions {
    ActionOptions::default()
}

fn fired(outcome: Outcome) -> Action {
    match outcome {
        Outcome::Fired(a) => a,
        other => panic!("expected the rule to fire, got {other:?}"),
    }
}

fn products_of(action: &Action) -> &[ActionProduct] {
    match &action.list {
        ActionList::Products(rows) => rows,
        other => panic!("expected products, got {other:?}"),
    }
}

fn cover(key: &str, stock: i64, daily_demand: f64, daily_revenue: f64) -> Cover {
    Cover {
        key: key.into(),
        title: None,
        stock,
        daily_demand,
        daily_revenue,
        days_of_cover: (daily_demand > 0.0).then(|| stock as f64 / daily_demand),
        suggested_order: None,
    }
}

// ---- restock ----

/// Lead time 7 days.
///
/// | key | stock | d   | cover | fires | days short | daily revenue | stake              |
/// |-----|-------|-----|-------|-------|------------|---------------|--------------------|
/// | A   | 7     | 2   | 3.5   | yes   | 3.5        | 1000.0        | 3500               |
/// | B   | 14    | 2   | 7.0   | no (= L) |         |               |                    |
/// | C   | 5     | 0   | —     | no (no recent sales) |  |           |                    |
/// | D   | −2    | 1   | −2    | yes   | 7 (cover floored at 0) | 333.3 | round(2333.1) = 2333 |
/// | E   | 0     | 0.5 | 0     | yes   | 7          | 500.25        | round(3501.75) = 3502 |
#[test]
fn restock_fires_below_the_lead_time_with_days_short_times_daily_revenue() {
    let covers = vec![
        cover("A", 7, 2.0, 1000.0),
        cover("B", 14, 2.0, 9999.0),
        cover("C", 5, 0.0, 0.0),
        cover("D", -2, 1.0, 333.3),
        cover("E", 0, 0.5, 500.25),
    ];
    let action = fired(restock(Ok(&covers), &opts()));
    assert_eq!(action.code, ActionCode::Restock);
    let rows = products_of(&action);
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    // By stake descending: A 3500 and E 3502 → E, A, D.
    assert_eq!(keys, ["E", "A", "D"]);
    let stakes: Vec<i64> = rows.iter().map(|r| r.stake).collect();
    assert_eq!(stakes, [3502, 3500, 2333]);
    assert_eq!(action.stake, 3502 + 3500 + 2333);
    assert_eq!(rows[1].days_short, Some(3.5));
    assert_eq!(rows[2].days_of_cover, Some(-2.0));
    assert_eq!(rows[2].days_short, Some(7.0));
}

#[test]
fn restock_at_the_edge_and_without_stock() {
    // Cover exactly the lead time does not fire; just under does.
    let at_edge = vec![cover("A", 7, 1.0, 100.0)];
    assert_eq!(restock(Ok(&at_edge), &opts()), Outcome::Quiet);
    let just_under = vec![Cover {
        days_of_cover: Some(6.999),
        ..cover("A", 7, 1.0, 100.0)
    }];
    let action = fired(restock(Ok(&just_under), &opts()));
    // 100 × 0.001 = 0.1 cent → 0.
    assert_eq!(action.stake, 0);
    let none = Unavailable::new(UnavailableCode::NoStock, "x");
    match restock(Err(&none), &opts()) {
        Outcome::Locked(reason) => assert_eq!(reason, none),
        other => panic!("{other:?}"),
    }
    // A longer lead time makes B fire: 10 − 7 = 3 days × 100.
    let longer = ActionOptions {
        lead_time_days: 10.0,
        ..opts()
    };
    assert_eq!(fired(restock(Ok(&at_edge), &longer)).stake, 300);
}

// ---- win back ----

fn customer(id: &str, segment: Segment, monetary: i64) -> RfmCustomer {
    RfmCustomer {
        customer: id.into(),
        last_order_day: "2024-01-02".into(),
        recency_days: 30,
        frequency: 2,
        monetary,
        r_score: 1,
        f_score: 1,
        m_score: 1,
        segment,
    }
}

fn rfm_of(customers: Vec<RfmCustomer>) -> RfmReport {
    RfmReport {
        reference_day: "2024-02-01".into(),
        customers,
        segments: Vec::new(),
        mean_scores: MeanScores {
            r: 3.0,
            f: 3.0,
            m: 3.0,
        },
    }
}

fn kpi_of(gmv: i64, buyers: u64, repeaters: u64) -> KpiSet {
    KpiSet {
        gmv,
        buyers: Some(buyers),
        revenue_per_buyer: Some(gmv as f64 / buyers as f64),
        repurchase_rate: Some(repeaters as f64 / buyers as f64),
        ..KpiSet::default()
    }
}

/// GMV ¥1,000.00 over 8 buyers, 2 of them repeat: 客单价 12,500 cents, repurchase rate 25 %.
/// Three customers in the two segments → 3 × 12,500 × 0.25 = 9,375 cents.
#[test]
fn win_back_stake_is_count_times_revenue_per_buyer_times_repurchase_rate() {
    let rfm = rfm_of(vec![
        customer("a", Segment::HighValue, 9000),
        customer("b", Segment::KeepActive, 8000),
        customer("c", Segment::WinBack, 7000),
        customer("d", Segment::Lost, 6000),
        customer("e", Segment::WinBack, 5000),
    ]);
    let kpi = kpi_of(100_000, 8, 2);
    let action = fired(win_back(Ok(&rfm), Some(&kpi)));
    assert_eq!(action.stake, 9_375);
    let ActionList::Customers(rows) = &action.list else {
        panic!()
    };
    let ids: Vec<&str> = rows.iter().map(|c| c.customer.as_str()).collect();
    assert_eq!(ids, ["b", "c", "e"]);
    assert_eq!(rows[0].segment, Segment::KeepActive);
    assert_eq!(rows[0].spend, 8000);
    assert_eq!(rows[0].orders, 2);
    // Rounded once, half away from zero: 1 × 10,001 × 1 / 2² = 2,500.25 → 2,500; × 2 customers
    // = 5,000.5 → 5,001 (not 2 × 2,500).
    let kpi = kpi_of(10_001, 2, 1);
    let two = rfm_of(vec![
        customer("b", Segment::KeepActive, 1),
        customer("c", Segment::WinBack, 1),
    ]);
    assert_eq!(fired(win_back(Ok(&two), Some(&kpi))).stake, 5_001);
}

#[test]
fn win_back_quiet_or_locked() {
    let rfm = rfm_of(vec![customer("a", Segment::HighValue, 9000)]);
    assert_eq!(win_back(Ok(&rfm), Some(&kpi_of(100, 1, 0))), Outcome::Quiet);
    let reason = Unavailable::new(UnavailableCode::NoCustomerIds, "buyer ids");
    assert_eq!(
        win_back(Err(&reason), None),
        Outcome::Locked(reason.clone())
    );
    // Nobody repurchased: the rule fires (the customers are there) with a stake of 0.
    let rfm = rfm_of(vec![customer("b", Segment::WinBack, 9000)]);
    assert_eq!(fired(win_back(Ok(&rfm), Some(&kpi_of(100, 4, 0)))).stake, 0);
}

// ---- refund spike (from a dataset, through the product and KPI analyses) ----

/// Orders of one line each, so a product's revenue is its orders' paid amounts and its refunds
/// their refunds. Shop: GMV = Σ amounts, refunds = Σ refunds.
///
/// | product | orders | amount each | refund (orders)          | revenue | refunds | rate   |
/// |---------|--------|-------------|--------------------------|---------|---------|--------|
/// | P1      | 10     | 2,000       | 2,000 on one             | 20,000  | 2,000   | 10 %   |
/// | P2      | 9      | 2,000       | 4,000 on two (2,000 each)| 18,000  | 4,000   | 22.2 % |
/// | P3      | 12     | 2,500       | 2,999 on two (1,500+1,499) | 30,000 | 2,999  | 9.997 % |
/// | P4      | 15     | 1,000       | 5,000 on five            | 15,000  | 5,000   | 33.3 % |
/// | Q       | 40     | 2,000       | 0                        | 80,000  | 0       | 0      |
///
/// Shop: GMV 163,000, refunds 13,999 → 8.588 %; 2× = 17.18 %. P1 (10 %) does not fire; P2 has 9
/// orders; P4 fires (33.3 % ≥ 17.18 %, 15 orders). Stake = 5,000.
///
/// With Q at 60 orders instead: GMV 203,000, shop rate 6.896 %, 2× = 13.79 %: still only P4.
/// To put P1 exactly at 2×, the second dataset has P1 and Q only: GMV 20,000 + 20,000 = 40,000,
/// refunds 2,000 → shop 5 %; P1 10 % = exactly 2× → fires, with exactly 10 paid orders.
fn refund_dataset(q_orders: usize) -> Dataset {
    let mut ds = Dataset::default();
    let mut n = 0;
    let mut add = |ds: &mut Dataset, key: &str, count: usize, amount: i64, refunds: &[i64]| {
        for i in 0..count {
            n += 1;
            let refund = refunds.get(i).copied().unwrap_or(0);
            let o = paid(
                ds,
                &format!("o{n}"),
                Some(&format!("c{n}")),
                at(2024, 3, 1 + (n % 28) as u32, 10, 0),
                amount,
                refund,
            );
            line(ds, o, key, None, 1, amount);
        }
    };
    add(&mut ds, "P1", 10, 2000, &[2000]);
    add(&mut ds, "Q", q_orders, 2000, &[]);
    if q_orders != 10 {
        add(&mut ds, "P2", 9, 2000, &[2000, 2000]);
        add(&mut ds, "P3", 12, 2500, &[1500, 1499]);
        add(&mut ds, "P4", 15, 1000, &[1000; 5]);
    }
    ds
}

fn refund_outcome(ds: &Dataset, o: &ActionOptions) -> Outcome {
    let products = products::compute(ds, &ProductOptions::default(), &[]).unwrap();
    let kpi = kpi::compute(ds, &KpiOptions::default());
    refund_spike(Ok(&products), Some(&kpi.total), o)
}

#[test]
fn refund_spike_fires_at_twice_the_shop_rate_with_enough_orders() {
    let ds = refund_dataset(40);
    let action = fired(refund_outcome(&ds, &opts()));
    let rows = products_of(&action);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, "P4");
    assert_eq!(rows[0].refunds, Some(5000));
    assert_eq!(rows[0].paid_orders, Some(15));
    assert_eq!(action.stake, 5000);
    let shop = action
        .figures
        .iter()
        .find(|f| f.name == "shop_refund_rate")
        .unwrap();
    assert_eq!(shop.value, FigureValue::Ratio(13_999.0 / 163_000.0));
    // P2 (9 orders) fires once 9 orders are enough: 4,000 + 5,000.
    let nine = ActionOptions {
        min_paid_orders: 9,
        ..opts()
    };
    assert_eq!(fired(refund_outcome(&ds, &nine)).stake, 9000);
}

#[test]
fn refund_spike_edges() {
    // P1 at exactly 2 × the shop's 5 %, with exactly 10 paid orders: fires.
    let ds = refund_dataset(10);
    let action = fired(refund_outcome(&ds, &opts()));
    assert_eq!(products_of(&action)[0].key, "P1");
    assert_eq!(action.stake, 2000);
    // 11 orders needed, or a multiple just above 2: quiet.
    let eleven = ActionOptions {
        min_paid_orders: 11,
        ..opts()
    };
    assert_eq!(refund_outcome(&ds, &eleven), Outcome::Quiet);
    let above = ActionOptions {
        refund_rate_multiple: 2.0001,
        ..opts()
    };
    assert_eq!(refund_outcome(&ds, &above), Outcome::Quiet);
    // A shop without refunds: nothing to flag (not every product at "≥ 2 × 0").
    let mut clean = Dataset::default();
    for i in 0..12 {
        let o = paid(
            &mut clean,
            &format!("o{i}"),
            Some("c"),
            at(2024, 3, 1, 10, 0),
            100,
            0,
        );
        line(&mut clean, o, "A", None, 1, 100);
    }
    assert_eq!(refund_outcome(&clean, &opts()), Outcome::Quiet);
}

// ---- ride a riser ----

/// A product row to edit: computed from a one-order dataset, so every field is a real one.
fn template_row() -> ProductRow {
    let mut ds = Dataset::default();
    let o = paid(&mut ds, "o1", Some("c"), at(2024, 3, 1, 10, 0), 1000, 0);
    line(&mut ds, o, "T", None, 1, 1000);
    products::compute(&ds, &ProductOptions::default(), &[])
        .unwrap()
        .products
        .remove(0)
}

fn product(key: &str, quadrant: Quadrant, growth: Option<f64>) -> ProductRow {
    ProductRow {
        key: key.into(),
        quadrant,
        growth,
        growth_status: if growth.is_some() {
            GrowthStatus::Measured
        } else {
            GrowthStatus::New
        },
        ..template_row()
    }
}

fn product_report(rows: Vec<ProductRow>) -> ProductReport {
    let mut ds = Dataset::default();
    let o = paid(&mut ds, "o1", Some("c"), at(2024, 3, 1, 10, 0), 1000, 0);
    line(&mut ds, o, "T", None, 1, 1000);
    let mut report = products::compute(&ds, &ProductOptions::default(), &[]).unwrap();
    report.products = rows;
    report
}

/// Riser threshold 50 %, cover below 28 days.
///
/// | key | quadrant | growth | cover | fires | stake                          |
/// |-----|----------|--------|-------|-------|--------------------------------|
/// | S1  | star     | 0.50   | 20    | yes   | 1,000 × (28 − 20) = 8,000      |
/// | Q1  | question | 2.00   | 27.5  | yes   | 999 × 0.5 = 499.5 → 500        |
/// | Q2  | question | 0.60   | 28    | no (= 28)                      |
/// | C1  | cash cow | 1.00   | 1     | no                                      |
/// | N1  | question (new) | — | 1  | no (growth undefined)                   |
/// | S2  | star     | 0.49   | 1     | no                                      |
/// | S3  | star     | 0.90   | —     | no (no recent sales)                    |
/// | S4  | star     | 0.90   | (no stock row) | no                              |
#[test]
fn ride_riser_fires_on_growing_stars_and_question_marks_short_of_28_days() {
    let report = product_report(vec![
        product("S1", Quadrant::Star, Some(0.5)),
        product("Q1", Quadrant::QuestionMark, Some(2.0)),
        product("Q2", Quadrant::QuestionMark, Some(0.6)),
        product("C1", Quadrant::CashCow, Some(1.0)),
        product("N1", Quadrant::QuestionMark, None),
        product("S2", Quadrant::Star, Some(0.49)),
        product("S3", Quadrant::Star, Some(0.9)),
        product("S4", Quadrant::Star, Some(0.9)),
    ]);
    let covers = vec![
        cover("S1", 40, 2.0, 1000.0),
        cover("Q1", 55, 2.0, 999.0),
        cover("Q2", 56, 2.0, 5000.0),
        cover("C1", 1, 1.0, 5000.0),
        cover("N1", 1, 1.0, 5000.0),
        cover("S2", 1, 1.0, 5000.0),
        cover("S3", 5, 0.0, 0.0),
    ];
    let action = fired(ride_riser(Ok(&report), Ok(&covers), &opts()));
    let rows = products_of(&action);
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["S1", "Q1"]);
    assert_eq!(rows[0].stake, 8000);
    assert_eq!(rows[1].stake, 500);
    assert_eq!(rows[0].quadrant, Some(Quadrant::Star));
    assert_eq!(rows[0].days_short, Some(8.0));
    assert_eq!(action.stake, 8500);
    // Without stock: locked, naming the SKU list.
    let none = Unavailable::new(UnavailableCode::NoStock, "x");
    assert!(matches!(
        ride_riser(Ok(&report), Err(&none), &opts()),
        Outcome::Locked(r) if r.code == "no_stock"
    ));
}

// ---- fix a funnel step ----

fn step_stat(kind: EventType) -> StepStat {
    StepStat {
        step: FunnelStep::Event(kind),
        names: Vec::new(),
        count: 0,
        conversion_from_previous: None,
        overall_conversion: None,
        drop_off: 0,
    }
}

/// A view → cart → purchase funnel whose daily trend is `days` (`(day, [view, cart, purchase])`).
fn funnel_of(days: &[(Day, [u64; 3])]) -> FunnelReport {
    FunnelReport {
        source: FunnelSource::Events,
        mode: FunnelMode::Sequential,
        window_seconds: None,
        steps: vec![
            step_stat(EventType::View),
            step_stat(EventType::Cart),
            step_stat(EventType::Purchase),
        ],
        time_to_convert: Vec::new(),
        breakdown_by: Breakdown::None,
        breakdown: Vec::new(),
        trend_grain: Grain::Day,
        trend: days
            .iter()
            .map(|(d, c)| TrendPoint {
                period: crate::time::format_day(*d),
                counts: c.to_vec(),
                overall_conversion: None,
            })
            .collect(),
        items: Vec::new(),
        users: 0,
        event_names: Vec::new(),
        note: None,
    }
}

fn aov_kpi(aov: f64) -> KpiSet {
    KpiSet {
        aov: Some(aov),
        ..KpiSet::default()
    }
}

/// Ten history days (2024-03-01 … 03-10) with view → cart 20 % and cart → purchase 50 % (100, 20,
/// 10), one older day (02-01, 35 days before) that is outside the 28-day window, and the
/// comparison day 03-11 with 200 viewers, 20 carts (10 %: −10 points) and 12 purchases (60 %: +10
/// points). The cart step fell most: lost purchases = 0.10 × 200 × 0.5 (the purchase step's
/// median) = 10; × AOV 5,000 cents = 50,000 cents.
#[test]
fn funnel_step_that_fell_most_with_lost_purchases_times_aov() {
    let mut days: Vec<(Day, [u64; 3])> = vec![(day(2024, 2, 1), [100, 90, 90])];
    days.extend((1..=10).map(|d| (day(2024, 3, d), [100, 20, 10])));
    days.push((day(2024, 3, 11), [200, 20, 12]));
    let f = funnel_of(&days);
    let action = fired(funnel_drop::fix_funnel_step(
        Ok(&f),
        Some(&aov_kpi(5000.0)),
        &opts(),
    ));
    assert_eq!(action.stake, 50_000);
    let ActionList::Steps(steps) = &action.list else {
        panic!()
    };
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].median_rate, Some(0.2));
    assert_eq!(steps[0].history_days, 10);
    assert_eq!(steps[0].today_rate, Some(0.1));
    assert_eq!(steps[1].drop.map(|d| (d * 1e9).round()), Some(-1e8));
    let lost = action
        .figures
        .iter()
        .find(|f| f.name == "lost_purchases")
        .unwrap();
    assert_eq!(lost.value, FigureValue::Count(10.0));
    let day_figure = &action.figures[0];
    assert_eq!(day_figure.value, FigureValue::Text("2024-03-11".into()));
}

/// The purchase step falling (the last step: nothing to carry), an even number of history days
/// (median = mean of the two middle rates), and the edges.
#[test]
fn funnel_step_median_even_last_step_and_edges() {
    // Cart → purchase rates over 8 days: 4 × 0.5 and 4 × 0.25 → median (0.25 + 0.5) / 2 = 0.375.
    let mut days: Vec<(Day, [u64; 3])> = (1..=8)
        .map(|d| (day(2024, 3, d), [100, 20, if d % 2 == 0 { 10 } else { 5 }]))
        .collect();
    days.push((day(2024, 3, 9), [100, 20, 5]));
    let f = funnel_of(&days);
    let action = fired(funnel_drop::fix_funnel_step(
        Ok(&f),
        Some(&aov_kpi(1000.0)),
        &opts(),
    ));
    // Today 0.25: drop 0.125 × 20 entrants = 2.5 purchases × 1,000 = 2,500.
    assert_eq!(action.stake, 2500);
    // Today equal to the median everywhere: quiet.
    let mut flat: Vec<(Day, [u64; 3])> =
        (1..=8).map(|d| (day(2024, 3, d), [100, 20, 10])).collect();
    flat.push((day(2024, 3, 9), [50, 10, 5]));
    assert_eq!(
        funnel_drop::fix_funnel_step(Ok(&funnel_of(&flat)), Some(&aov_kpi(1.0)), &opts()),
        Outcome::Quiet
    );
    // Six history days (< 7): locked.
    let short: Vec<(Day, [u64; 3])> = (1..=7).map(|d| (day(2024, 3, d), [100, 20, 10])).collect();
    match funnel_drop::fix_funnel_step(Ok(&funnel_of(&short)), Some(&aov_kpi(1.0)), &opts()) {
        Outcome::Locked(r) => assert_eq!(r.code, "funnel_history_short"),
        other => panic!("{other:?}"),
    }
    // Exactly seven: runs.
    let seven: Vec<(Day, [u64; 3])> = (1..=8).map(|d| (day(2024, 3, d), [100, 20, 10])).collect();
    assert_eq!(
        funnel_drop::fix_funnel_step(Ok(&funnel_of(&seven)), Some(&aov_kpi(1.0)), &opts()),
        Outcome::Quiet
    );
    // A weekly trend, or no orders: locked.
    let mut weekly = funnel_of(&seven);
    weekly.trend_grain = Grain::Week;
    assert!(matches!(
        funnel_drop::fix_funnel_step(Ok(&weekly), Some(&aov_kpi(1.0)), &opts()),
        Outcome::Locked(r) if r.code == "funnel_trend_not_daily"
    ));
    assert!(matches!(
        funnel_drop::fix_funnel_step(Ok(&funnel_of(&seven)), None, &opts()),
        Outcome::Locked(r) if r.code == "no_orders"
    ));
}

#[test]
fn median_of_odd_even_and_empty() {
    assert_eq!(median(&mut []), None);
    assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
    assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
}

// ---- ranking ----

fn action(code: ActionCode, stake: i64) -> Action {
    Action {
        code,
        stake,
        rule_en: String::new(),
        rule_zh: String::new(),
        figures: Vec::new(),
        list: ActionList::Products(Vec::new()),
    }
}

#[test]
fn ranking_by_stake_then_rule_order_with_locked_and_quiet() {
    let report = assemble([
        (
            ActionCode::RideRiser,
            Outcome::Fired(action(ActionCode::RideRiser, 500)),
        ),
        (
            ActionCode::Restock,
            Outcome::Locked(Unavailable::new(UnavailableCode::NoStock, "x")),
        ),
        (
            ActionCode::WinBack,
            Outcome::Fired(action(ActionCode::WinBack, 500)),
        ),
        (
            ActionCode::RefundSpike,
            Outcome::Fired(action(ActionCode::RefundSpike, 900)),
        ),
        (ActionCode::FixFunnelStep, Outcome::Quiet),
    ]);
    let order: Vec<(ActionCode, i64)> = report.actions.iter().map(|a| (a.code, a.stake)).collect();
    assert_eq!(
        order,
        [
            (ActionCode::RefundSpike, 900),
            (ActionCode::WinBack, 500),
            (ActionCode::RideRiser, 500)
        ]
    );
    assert_eq!(report.locked[0].code, ActionCode::Restock);
    assert_eq!(report.quiet, [ActionCode::FixFunnelStep]);
}

/// Naive restock: loop, compare, add up, then order by repeatedly taking the largest stake (ties:
/// smallest key).
fn naive_restock(covers: &[Cover], lead: f64) -> (i64, Vec<String>) {
    let mut picked: Vec<(i64, String)> = Vec::new();
    for c in covers {
        if c.daily_demand > 0.0 {
            let cover = c.stock as f64 / c.daily_demand;
            if cover < lead {
                let short = if cover < 0.0 { lead } else { lead - cover };
                picked.push(((c.daily_revenue * short).round() as i64, c.key.clone()));
            }
        }
    }
    let total = picked.iter().map(|p| p.0).sum();
    let mut order = Vec::new();
    while !picked.is_empty() {
        let mut best = 0;
        for i in 1..picked.len() {
            if picked[i].0 > picked[best].0
                || (picked[i].0 == picked[best].0 && picked[i].1 < picked[best].1)
            {
                best = i;
            }
        }
        order.push(picked.remove(best).1);
    }
    (total, order)
}

/// Naive refund-spike predicate at the default multiple 2: the rates compared as rationals.
fn naive_refund_fires(
    refunds: i64,
    revenue: i64,
    orders: u64,
    shop_refunds: i64,
    gmv: i64,
) -> bool {
    orders >= 10
        && revenue > 0
        && refunds > 0
        && (refunds as i128) * (gmv as i128) >= 2 * (shop_refunds as i128) * (revenue as i128)
}

proptest! {
    #[test]
    fn restock_matches_naive(
        rows in proptest::collection::vec((-5i64..60, 0u32..8, 0u32..100_000), 0..12),
        lead in 1u32..15,
    ) {
        let covers: Vec<Cover> = rows
            .iter()
            .enumerate()
            .map(|(i, &(stock, demand4, rev))| {
                cover(&format!("k{:02}", i % 7), stock, demand4 as f64 / 4.0, rev as f64 / 4.0)
            })
            .collect();
        let o = ActionOptions { lead_time_days: lead as f64, ..opts() };
        let (total, order) = naive_restock(&covers, lead as f64);
        match restock(Ok(&covers), &o) {
            Outcome::Fired(a) => {
                prop_assert_eq!(a.stake, total);
                let keys: Vec<String> = products_of(&a).iter().map(|r| r.key.clone()).collect();
                // Equal keys with equal stakes are interchangeable: compare (key, stake) sequences.
                prop_assert_eq!(keys, order);
            }
            Outcome::Quiet => prop_assert!(order.is_empty()),
            Outcome::Locked(_) => prop_assert!(false),
        }
    }

    #[test]
    fn refund_predicate_matches_naive(
        refunds in 0i64..5_000, revenue in -10i64..20_000, orders in 0u64..20,
        shop_refunds in 0i64..50_000, extra in 1i64..200_000,
    ) {
        let gmv = revenue.max(0) + extra;
        let mut row = template_row();
        row.refunds = refunds;
        row.revenue = revenue;
        row.paid_orders = orders;
        row.refund_rate = crate::analysis::ratio(refunds as f64, revenue as f64);
        let report = product_report(vec![row]);
        let kpi = KpiSet { gmv, refunds: shop_refunds, ..KpiSet::default() };
        let fires = matches!(refund_spike(Ok(&report), Some(&kpi), &opts()), Outcome::Fired(_));
        prop_assert_eq!(fires, naive_refund_fires(refunds, revenue, orders, shop_refunds, gmv));
    }

    /// Ranking equals a naive selection sort by (stake desc, rule order), whatever the stakes.
    #[test]
    fn ranking_matches_naive(stakes in proptest::collection::vec(proptest::option::of(-3i64..4), 5)) {
        let outcomes: Vec<(ActionCode, Outcome)> = ActionCode::ALL
            .iter()
            .zip(&stakes)
            .map(|(&code, s)| (code, s.map_or(Outcome::Quiet, |s| Outcome::Fired(action(code, s)))))
            .collect();
        let report = assemble(outcomes);
        let mut naive: Vec<(ActionCode, i64)> = ActionCode::ALL
            .iter()
            .zip(&stakes)
            .filter_map(|(&c, s)| s.map(|s| (c, s)))
            .collect();
        let mut expected = Vec::new();
        while !naive.is_empty() {
            let mut best = 0;
            for i in 1..naive.len() {
                let better = naive[i].1 > naive[best].1
                    || (naive[i].1 == naive[best].1
                        && ActionCode::ALL.iter().position(|&c| c == naive[i].0)
                            < ActionCode::ALL.iter().position(|&c| c == naive[best].0));
                if better {
                    best = i;
                }
            }
            expected.push(naive.remove(best));
        }
        let got: Vec<(ActionCode, i64)> = report.actions.iter().map(|a| (a.code, a.stake)).collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(report.quiet.len() + report.actions.len(), 5);
    }

    /// Win back's integer stake equals n × 客单价 × repurchase rate in exact rationals, rounded.
    #[test]
    fn win_back_stake_matches_rational(n in 1usize..20, gmv in 0i64..10_000_000, buyers in 1u64..500, rep in 0u64..500) {
        let rep = rep.min(buyers);
        let rfm = rfm_of((0..n).map(|i| customer(&format!("c{i}"), Segment::WinBack, 1)).collect());
        let stake = fired(win_back(Ok(&rfm), Some(&kpi_of(gmv, buyers, rep)))).stake;
        // Naive: floor((2·num + den) / (2·den)) for num ≥ 0.
        let num = n as i128 * gmv as i128 * rep as i128;
        let den = buyers as i128 * buyers as i128;
        let naive = ((2 * num + den) / (2 * den)) as i64;
        prop_assert_eq!(stake, naive);
        let float = (n as f64 * (gmv as f64 / buyers as f64) * (rep as f64 / buyers as f64)).round() as i64;
        prop_assert!((stake - float).abs() <= 1);
    }
}

#[test]
fn options_have_the_section_11_defaults_and_deny_unknown_fields() {
    let o: crate::report::AnalyzeOptions =
        serde_json::from_str(r#"{"actions": {"lead_time_days": 10}}"#).unwrap();
    assert_eq!(o.actions.lead_time_days, 10.0);
    assert_eq!(o.actions.refund_rate_multiple, 2.0);
    assert_eq!(o.actions.min_paid_orders, 10);
    assert_eq!(o.actions.riser_growth, 0.5);
    assert_eq!(o.actions.riser_cover_days, 28.0);
    assert_eq!(o.actions.funnel_median_days, 28);
    let err = serde_json::from_str::<ActionOptions>(r#"{"lead_time": 7}"#).unwrap_err();
    assert!(err.to_string().contains("lead_time"), "{err}");
}

/// A report's action list survives a JSON round trip (figures are flattened, lists tagged).
#[test]
fn action_report_round_trips_through_json() {
    let covers = vec![cover("A", 7, 2.0, 1000.0)];
    let rfm = rfm_of(vec![customer("b", Segment::KeepActive, 8000)]);
    let kpi = kpi_of(100_000, 8, 2);
    let report = assemble([
        (ActionCode::Restock, restock(Ok(&covers), &opts())),
        (ActionCode::WinBack, win_back(Ok(&rfm), Some(&kpi))),
        (
            ActionCode::RideRiser,
            Outcome::Locked(Unavailable::new(UnavailableCode::NoStock, "x")),
        ),
    ]);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["actions"][0]["code"], "restock");
    assert_eq!(json["actions"][0]["list"]["kind"], "products");
    assert_eq!(json["actions"][0]["figures"][1]["unit"], "days");
    assert_eq!(
        json["actions"][1]["list"]["rows"][0]["segment"],
        "keep_active"
    );
    let back: ActionReport = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, report);
}
