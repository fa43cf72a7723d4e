//! Hand-computed readouts, edge cases, and a property test against a naive implementation.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::analysis::filter::testkit::*;

/// A shop in June 2025, amounts in cents:
///
/// | order | buyer | day   | paid  | refund | lines            |
/// |-------|-------|-------|-------|--------|------------------|
/// | O0    | b     | 06-01 | 5000  | 0      | pD×1 @5000       |
/// | O1    | a     | 06-13 | 10000 | 0      | pA×1 @10000      |
/// | O2    | b     | 06-14 | 20000 | 5000   | pA×1, pB×1 @10000 |
/// | O3    | a     | 06-16 | 30000 | 0      | pB×3 @10000      |
/// | O4    | c     | 06-16 | 15000 | 15000  | pA×1 @15000      |
/// | O5    | c     | 06-17 | 5000  | 0      | pC×1 @5000       |
/// | O6    | d     | 06-18 | 10000 | 0      | pB×1 @10000      |
/// | O7    | c     | 06-20 | 4000  | 0      | pC×1 @4000       |
/// | O8    | e     | 06-17 | unpaid 9999                |
///
/// Shop traffic: 100 visitors a day 06-13…06-15, 150 a day 06-16…06-18.
fn june() -> Dataset {
    let mut ds = Dataset::default();
    let o = paid(&mut ds, "O0", Some("b"), at(2025, 6, 1, 9, 0), 5000, 0);
    line(&mut ds, o, "pD", None, 1, 5000);
    let o = paid(&mut ds, "O1", Some("a"), at(2025, 6, 13, 9, 0), 10000, 0);
    line(&mut ds, o, "pA", None, 1, 10000);
    let o = paid(&mut ds, "O2", Some("b"), at(2025, 6, 14, 9, 0), 20000, 5000);
    line(&mut ds, o, "pA", None, 1, 10000);
    line(&mut ds, o, "pB", None, 1, 10000);
    let o = paid(&mut ds, "O3", Some("a"), at(2025, 6, 16, 9, 0), 30000, 0);
    line(&mut ds, o, "pB", None, 3, 10000);
    let o = paid(
        &mut ds,
        "O4",
        Some("c"),
        at(2025, 6, 16, 23, 59),
        15000,
        15000,
    );
    line(&mut ds, o, "pA", None, 1, 15000);
    let o = paid(&mut ds, "O5", Some("c"), at(2025, 6, 17, 0, 0), 5000, 0);
    line(&mut ds, o, "pC", None, 1, 5000);
    let o = paid(&mut ds, "O6", Some("d"), at(2025, 6, 18, 12, 0), 10000, 0);
    line(&mut ds, o, "pB", None, 1, 10000);
    let o = paid(&mut ds, "O7", Some("c"), at(2025, 6, 20, 12, 0), 4000, 0);
    line(&mut ds, o, "pC", None, 1, 4000);
    unpaid(&mut ds, "O8", Some("e"), at(2025, 6, 17, 8, 0), 9999);
    for d in 13..=18 {
        let visitors = if d <= 15 { 100 } else { 150 };
        traffic(&mut ds, Some(day(2025, 6, d)), None, Some(visitors));
    }
    ds
}

fn window(from: &str, to: &str) -> DayWindow {
    DayWindow {
        from: from.into(),
        to: to.into(),
    }
}

fn campaign(from: &str, to: &str) -> PromotionOptions {
    PromotionOptions {
        campaign: Some(window(from, to)),
        baseline: Baseline::default(),
    }
}

fn row<'a>(r: &'a PromotionReport, metric: &str) -> &'a KpiRow {
    r.rows.iter().find(|x| x.metric == metric).expect(metric)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn shares(d: &Decomposition) -> Vec<Option<f64>> {
    d.factors.iter().map(|f| f.share).collect()
}

#[test]
fn hand_computed_readout() {
    let r = compute(&june(), &campaign("2025-06-16", "2025-06-18")).unwrap();
    assert_eq!(r.campaign_source, CampaignSource::Chosen);
    assert_eq!(r.baseline_source, BaselineSource::Before);
    assert_eq!(r.occasion, Some(Occasion::Six18));
    assert_eq!(
        (r.data_first_day.as_str(), r.data_last_day.as_str()),
        ("2025-06-01", "2025-06-20")
    );
    assert_eq!(
        (r.baseline.from.as_str(), r.baseline.to.as_str()),
        ("2025-06-13", "2025-06-15")
    );
    assert_eq!(
        (r.after.from.as_str(), r.after.to.as_str()),
        ("2025-06-19", "2025-06-21")
    );
    assert_eq!((r.baseline.days, r.baseline.covered_days), (3, 3));
    assert_eq!((r.after.days, r.after.covered_days), (3, 2));

    let (k0, k1, k2) = (&r.baseline.kpi, &r.campaign.kpi, &r.after.kpi);
    assert_eq!((k0.gmv, k1.gmv, k2.gmv), (30000, 60000, 4000));
    assert_eq!((k0.refunds, k1.refunds, k2.refunds), (5000, 15000, 0));
    assert_eq!((k0.net_sales, k1.net_sales), (25000, 45000));
    assert_eq!((k0.paid_orders, k1.paid_orders, k2.paid_orders), (2, 4, 1));
    assert_eq!(
        (k0.buyers, k1.buyers, k2.buyers),
        (Some(2), Some(3), Some(1))
    );
    assert_eq!((k0.units, k1.units, k2.units), (3, 6, 1));
    close(k0.revenue_per_buyer, 15000.0);
    close(k1.revenue_per_buyer, 20000.0);
    close(k0.aov, 15000.0);
    close(k1.aov, 15000.0);
    close(k0.refund_rate, 1.0 / 6.0);
    close(k1.refund_rate, 0.25);
    close(k0.refund_order_rate, 0.5);
    close(k1.refund_order_rate, 0.25);
    close(k0.repurchase_rate, 0.0);
    close(k1.repurchase_rate, 1.0 / 3.0);
    // a is new in the baseline (first order 06-13), b is not (06-01); c and d are new in the campaign.
    assert_eq!((k0.new_buyers, k0.returning_buyers), (Some(1), Some(1)));
    assert_eq!((k1.new_buyers, k1.returning_buyers), (Some(2), Some(1)));
    assert_eq!((k2.new_buyers, k2.returning_buyers), (Some(0), Some(1)));
    assert_eq!(
        (k0.visitors, k1.visitors, k2.visitors),
        (Some(300), Some(450), None)
    );
    close(k0.conversion_rate, 2.0 / 300.0);
    close(k1.conversion_rate, 3.0 / 450.0);

    let gmv = row(&r, "gmv");
    close(gmv.change, 1.0);
    close(gmv.baseline_per_day, 10000.0);
    close(gmv.campaign_per_day, 20000.0);
    close(gmv.after_per_day, 2000.0);
    close(gmv.after_change_per_day, -0.8);
    close(gmv.after_change, 4000.0 / 30000.0 - 1.0);
    let aov = row(&r, "aov");
    close(aov.change, 0.0);
    assert_eq!(aov.campaign_per_day, None);
    assert_eq!(
        row(&r, "repurchase_rate").change,
        None,
        "baseline 0: undefined"
    );
    assert_eq!(row(&r, "conversion_rate").after, None);
    assert_eq!(r.rows.len(), 15);

    // buyers 2 → 3, orders per buyer 1 → 4/3, AOV 15000 → 15000; GMV doubles.
    let d = r.decomposition.orders.as_ref().unwrap();
    assert_eq!(d.undefined, None);
    let s = shares(d);
    close(s[0], 1.5f64.ln() / 2f64.ln());
    close(s[1], (4.0f64 / 3.0).ln() / 2f64.ln());
    close(s[2], 0.0);
    close(d.factors[0].contribution, 30000.0 * 1.5f64.ln() / 2f64.ln());
    // visitors 300 → 450, conversion 2/300 → 3/450 (unchanged), 客单价 15000 → 20000.
    let t = r.decomposition.traffic.as_ref().unwrap();
    let s = shares(t);
    close(s[0], 1.5f64.ln() / 2f64.ln());
    close(s[1], 0.0);
    close(s[2], (4.0f64 / 3.0).ln() / 2f64.ln());
    assert_eq!(r.decomposition.traffic_unavailable, None);

    let n = &r.new_buyers;
    assert_eq!((n.count, n.came_back), (Some(2), Some(1)));
    close(n.share, 2.0 / 3.0);
    close(n.came_back_rate, 0.5);
    assert_eq!(
        (n.observed_until.as_str(), n.days_observed),
        ("2025-06-20", 2)
    );

    let f = &r.refunds;
    assert_eq!((f.refunds, f.refunded_orders, f.paid_orders), (15000, 1, 4));
    close(f.baseline_refund_rate, 1.0 / 6.0);
    assert_eq!(f.as_of, "2025-06-20");

    // Baseline: pA 10000 + 10000, pB 10000; campaign: pA 15000, pB 30000 + 10000, pC 5000.
    let p = &r.products;
    let keys: Vec<&str> = p.products.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, vec!["pB", "pC", "pA"]);
    let b = &p.products[0];
    assert_eq!((b.baseline_revenue, b.campaign_revenue), (10000, 40000));
    assert_eq!((b.baseline_units, b.campaign_units), (1, 4));
    close(b.lift_per_day, 10000.0);
    close(b.change, 3.0);
    assert_eq!(p.products[1].change, None, "pC had no baseline revenue");
    close(p.products[1].lift_per_day, 5000.0 / 3.0);
    close(p.products[2].lift_per_day, 15000.0 / 3.0 - 20000.0 / 3.0);
    let gainers: Vec<&str> = p.top_gainers.iter().map(|x| x.key.as_str()).collect();
    let losers: Vec<&str> = p.top_losers.iter().map(|x| x.key.as_str()).collect();
    assert_eq!((gainers, losers), (vec!["pB", "pC"], vec!["pA"]));
}

#[test]
fn one_day_campaign() {
    // Baseline 06-17 (O5 5000), campaign 06-18 (O6 10000): only AOV moves.
    let r = compute(&june(), &campaign("2025-06-18", "2025-06-18")).unwrap();
    assert_eq!(
        (r.baseline.from.as_str(), r.baseline.to.as_str()),
        ("2025-06-17", "2025-06-17")
    );
    assert_eq!(
        (r.after.from.as_str(), r.after.covered_days),
        ("2025-06-19", 1)
    );
    let s = shares(r.decomposition.orders.as_ref().unwrap());
    close(s[0], 0.0);
    close(s[1], 0.0);
    close(s[2], 1.0);
    // d bought only on 06-18 and not after.
    assert_eq!(r.new_buyers.came_back, Some(0));
}

#[test]
fn unchanged_gmv_and_zero_factors_leave_shares_undefined() {
    // The same window as baseline: GMV unchanged.
    let same = PromotionOptions {
        campaign: Some(window("2025-06-16", "2025-06-18")),
        baseline: Baseline::Window(window("2025-06-16", "2025-06-18")),
    };
    let r = compute(&june(), &same).unwrap();
    let d = r.decomposition.orders.as_ref().unwrap();
    assert_eq!(d.undefined.as_deref(), Some("gmv_unchanged"));
    assert!(shares(d).iter().all(Option::is_none));
    assert!(d.factors.iter().all(|f| f.contribution.is_none()));
    // A baseline without orders (06-05…06-07): buyers 0, a zero factor.
    let empty = PromotionOptions {
        campaign: Some(window("2025-06-16", "2025-06-18")),
        baseline: Baseline::Window(window("2025-06-05", "2025-06-07")),
    };
    let r = compute(&june(), &empty).unwrap();
    let d = r.decomposition.orders.as_ref().unwrap();
    assert_eq!(d.undefined.as_deref(), Some("zero_factor"));
    assert!(shares(d).iter().all(Option::is_none));
    assert_eq!(row(&r, "gmv").change, None);
    // No traffic on 06-05…06-07: the traffic decomposition is not offered.
    assert!(r.decomposition.traffic.is_none());
    assert_eq!(
        r.decomposition
            .traffic_unavailable
            .as_ref()
            .map(|u| u.code.code()),
        Some("no_traffic_coverage")
    );
}

#[test]
fn windows_outside_the_data() {
    let r = compute(&june(), &campaign("2030-04-01", "2030-04-02")).unwrap();
    assert_eq!((r.campaign.covered_days, r.baseline.covered_days), (0, 0));
    assert_eq!(r.after.covered_days, 0);
    assert_eq!(r.campaign.kpi.gmv, 0);
    assert_eq!(row(&r, "gmv").campaign_per_day, None);
    assert_eq!(r.occasion, None);
    assert_eq!(
        r.new_buyers.came_back, None,
        "the data ends before the campaign"
    );
    assert_eq!(r.new_buyers.days_observed, 0);
    assert_eq!(
        r.decomposition
            .orders
            .as_ref()
            .unwrap()
            .undefined
            .as_deref(),
        Some("zero_factor")
    );
    // A campaign on the last day: nothing after it is observed.
    let r = compute(&june(), &campaign("2025-06-20", "2025-06-20")).unwrap();
    assert_eq!((r.after.covered_days, r.new_buyers.came_back), (0, None));
    // The year before the data.
    let year = PromotionOptions {
        campaign: Some(window("2025-06-16", "2025-06-18")),
        baseline: Baseline::Rule(BaselineRule::YearBefore),
    };
    let r = compute(&june(), &year).unwrap();
    assert_eq!(r.baseline_source, BaselineSource::YearBefore);
    assert_eq!(
        (r.baseline.from.as_str(), r.baseline.to.as_str()),
        ("2024-06-16", "2024-06-18")
    );
    assert_eq!((r.baseline.covered_days, r.baseline.kpi.gmv), (0, 0));
}

#[test]
fn year_before_maps_leap_days() {
    assert_eq!(year_before(day(2024, 2, 29)), day(2023, 2, 28));
    assert_eq!(year_before(day(2025, 6, 18)), day(2024, 6, 18));
}

#[test]
fn proposals_come_from_the_peak_and_need_orders() {
    // 40 days of one 100.00 order a day, and 06-18 at 500.00: the proposal is 618.
    let mut ds = Dataset::default();
    for i in 0..40 {
        let (y, m, d) = crate::time::civil_from_days(day(2025, 5, 20) + i);
        let amount = if (m, d) == (6, 18) { 50000 } else { 10000 };
        let id = format!("O{i}");
        paid(&mut ds, &id, Some("a"), at(y, m, d, 10, 0), amount, 0);
    }
    let r = compute(&ds, &PromotionOptions::default()).unwrap();
    assert_eq!(r.campaign_source, CampaignSource::Proposed);
    assert_eq!(r.proposals.len(), 1);
    let p = &r.proposals[0];
    assert_eq!(
        (p.from.as_str(), p.to.as_str()),
        ("2025-06-18", "2025-06-18")
    );
    assert_eq!(
        (p.occasion, p.gmv, p.excess_gmv),
        (Some(Occasion::Six18), 50000, 40000)
    );
    assert_eq!(
        (r.campaign.from.as_str(), r.baseline.from.as_str()),
        ("2025-06-18", "2025-06-17")
    );

    // Too few days: no peak, unless a campaign is chosen.
    let code = |r: Result<PromotionReport, Unavailable>| r.map(|_| ()).unwrap_err().code;
    assert_eq!(
        code(compute(&june(), &PromotionOptions::default())),
        "no_peak"
    );
    assert_eq!(
        code(compute(&Dataset::default(), &PromotionOptions::default())),
        "no_orders"
    );
    let mut unpaid_only = Dataset::default();
    unpaid(&mut unpaid_only, "O1", Some("a"), at(2025, 6, 1, 0, 0), 100);
    assert_eq!(
        code(compute(&unpaid_only, &PromotionOptions::default())),
        "no_paid_orders"
    );
}

#[test]
fn options_parse_and_validate() {
    let parse = |s: &str| serde_json::from_str::<PromotionOptions>(s);
    assert_eq!(parse("{}").unwrap(), PromotionOptions::default());
    let o =
        parse(r#"{"campaign":{"from":"2025-06-01","to":"2025-06-18"},"baseline":"year_before"}"#)
            .unwrap();
    assert_eq!(o.baseline, Baseline::Rule(BaselineRule::YearBefore));
    assert!(o.validate().is_ok());
    let o = parse(r#"{"baseline":{"from":"2025-05-01","to":"2025-05-18"}}"#).unwrap();
    assert_eq!(
        o.baseline,
        Baseline::Window(window("2025-05-01", "2025-05-18"))
    );
    assert!(parse(r#"{"campain":{}}"#).is_err());
    assert!(parse(r#"{"campaign":{"from":"2025-06-01","to":"2025-06-18","x":1}}"#).is_err());
    assert!(parse(r#"{"baseline":"last_year"}"#).is_err());
    let bad = parse(r#"{"campaign":{"from":"2025-06-18","to":"2025-06-01"}}"#).unwrap();
    assert!(bad.validate().unwrap_err().contains("is after"));
    let bad = parse(r#"{"baseline":{"from":"2025-02-30","to":"2025-03-01"}}"#).unwrap();
    assert!(bad.validate().unwrap_err().contains("2025-02-30"));
}

// ---------------------------------------------------------------------------------------------
// Naive reference: brute force over the orders, one window at a time.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, PartialEq)]
struct Naive {
    gmv: i64,
    refunds: i64,
    orders: u64,
    refunded: u64,
    units: i64,
    buyers: u64,
    repeat: u64,
    new: u64,
    visitors: Option<i64>,
}

fn naive(ds: &Dataset, from: Day, to: Day) -> Naive {
    let o = &ds.orders;
    let inside = |d: Day| from <= d && d <= to;
    let mut n = Naive::default();
    let mut per_buyer: HashMap<u32, u64> = HashMap::new();
    let mut first: HashMap<u32, Day> = HashMap::new();
    for i in 0..o.len() {
        if !o.is_paid(i) {
            continue;
        }
        let d = day_of(o.time[i]);
        if let Some(c) = o.customer[i] {
            let f = first.entry(c).or_insert(d);
            *f = (*f).min(d);
        }
        if !inside(d) {
            continue;
        }
        n.gmv += o.paid_amount[i];
        n.refunds += o.refund[i];
        n.orders += 1;
        n.refunded += u64::from(o.refund[i] > 0);
        for l in 0..ds.lines.len() {
            if ds.lines.order[l] as usize == i {
                n.units += ds.lines.quantity[l];
            }
        }
        if let Some(c) = o.customer[i] {
            *per_buyer.entry(c).or_default() += 1;
        }
    }
    n.buyers = per_buyer.len() as u64;
    n.repeat = per_buyer.values().filter(|&&k| k >= 2).count() as u64;
    n.new = per_buyer.keys().filter(|c| inside(first[c])).count() as u64;
    let t = &ds.traffic;
    for r in 0..t.len() {
        if t.product[r].is_none() && t.day[r].is_some_and(inside) {
            if let Some(v) = t.visitors[r] {
                n.visitors = Some(n.visitors.unwrap_or(0) + v);
            }
        }
    }
    n
}

fn check_window(ds: &Dataset, w: &WindowKpis) {
    let (from, to) = (parse_day(&w.from).unwrap(), parse_day(&w.to).unwrap());
    let n = naive(ds, from, to);
    let k = &w.kpi;
    let has_ids =
        (0..ds.orders.len()).any(|o| ds.orders.is_paid(o) && ds.orders.customer[o].is_some());
    assert_eq!(
        (k.gmv, k.refunds, k.paid_orders, k.units),
        (n.gmv, n.refunds, n.orders, n.units)
    );
    assert_eq!(k.net_sales, n.gmv - n.refunds);
    assert_eq!(k.visitors, n.visitors);
    if has_ids {
        assert_eq!(k.buyers, Some(n.buyers));
        assert_eq!(k.new_buyers, Some(n.new));
        assert_eq!(k.returning_buyers, Some(n.buyers - n.new));
        assert_eq!(k.repurchase_rate, ratio(n.repeat as f64, n.buyers as f64));
    } else {
        assert_eq!(k.buyers, None);
    }
    assert_eq!(
        k.refund_order_rate,
        ratio(n.refunded as f64, n.orders as f64)
    );
}

fn naive_shares(g0: f64, g1: f64, f: [(f64, f64); 3]) -> Option<Vec<f64>> {
    if g0 <= 0.0 || g1 <= 0.0 || g0 == g1 || f.iter().any(|&(a, b)| a <= 0.0 || b <= 0.0) {
        return None;
    }
    Some(
        f.iter()
            .map(|&(a, b)| (b / a).ln() / (g1 / g0).ln())
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn matches_the_naive_readout(
        data in random_data(60, 40),
        start in 0i32..70,
        len in 1i32..12,
        rule in 0u8..3,
        base_start in 0i32..60,
    ) {
        let ds = data.build();
        let a = random_start() - 5 + start;
        let b = a + len - 1;
        let baseline = match rule {
            0 => Baseline::Rule(BaselineRule::Before),
            1 => Baseline::Rule(BaselineRule::YearBefore),
            _ => Baseline::Window(window(
                &format_day(random_start() + base_start),
                &format_day(random_start() + base_start + len + 2),
            )),
        };
        let opts = PromotionOptions {
            campaign: Some(window(&format_day(a), &format_day(b))),
            baseline,
        };
        let Ok(r) = compute(&ds, &opts) else {
            prop_assert!((0..ds.orders.len()).all(|o| !ds.orders.is_paid(o)));
            return Ok(());
        };
        for w in [&r.baseline, &r.campaign, &r.after] {
            check_window(&ds, w);
        }
        prop_assert_eq!(parse_day(&r.after.from).unwrap(), b + 1);
        prop_assert_eq!(r.after.days as i32, len);

        // Decomposition against the naive sums.
        let n0 = naive(&ds, parse_day(&r.baseline.from).unwrap(), parse_day(&r.baseline.to).unwrap());
        let n1 = naive(&ds, a, b);
        if let Some(d) = &r.decomposition.orders {
            let f = |n: &Naive| (n.buyers as f64, n.orders as f64 / n.buyers as f64, n.gmv as f64 / n.orders as f64);
            let (x0, x1) = (f(&n0), f(&n1));
            let expect = naive_shares(n0.gmv as f64, n1.gmv as f64, [(x0.0, x1.0), (x0.1, x1.1), (x0.2, x1.2)]);
            match expect {
                None => prop_assert!(shares(d).iter().all(Option::is_none)),
                Some(e) => {
                    let got: Vec<f64> = shares(d).into_iter().map(Option::unwrap).collect();
                    for (g, e) in got.iter().zip(&e) {
                        prop_assert!((g - e).abs() < 1e-9);
                    }
                    prop_assert!((got.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                }
            }
        }

        // New buyers who came back after b.
        let o = &ds.orders;
        let paid: Vec<usize> = (0..o.len()).filter(|&i| o.is_paid(i)).collect();
        let last = paid.iter().map(|&i| day_of(o.time[i])).max().unwrap();
        let mut first: HashMap<u32, Day> = HashMap::new();
        for &i in &paid {
            if let Some(c) = o.customer[i] {
                let f = first.entry(c).or_insert(day_of(o.time[i]));
                *f = (*f).min(day_of(o.time[i]));
            }
        }
        let back: HashSet<u32> = paid
            .iter()
            .filter(|&&i| day_of(o.time[i]) > b)
            .filter_map(|&i| o.customer[i])
            .filter(|c| (a..=b).contains(&first[c]))
            .collect();
        if last > b && r.campaign.kpi.new_buyers.is_some() {
            prop_assert_eq!(r.new_buyers.came_back, Some(back.len() as u64));
        } else {
            prop_assert_eq!(r.new_buyers.came_back, None);
        }

        // Product revenue per window: allocation per order, summed by product.
        let lines = ds.lines_by_order();
        let mut rev: HashMap<(String, usize), i64> = HashMap::new();
        let windows = [
            (parse_day(&r.baseline.from).unwrap(), parse_day(&r.baseline.to).unwrap()),
            (a, b),
        ];
        for &i in &paid {
            let d = day_of(o.time[i]);
            let ls = lines.get(i);
            let w: Vec<i64> = ls.iter().map(|&l| ds.lines.value(l as usize).unwrap_or(0)).collect();
            let alloc = allocate_cents(o.paid_amount[i], &w);
            for (k, &l) in ls.iter().enumerate() {
                for (wi, &(f, t)) in windows.iter().enumerate() {
                    if f <= d && d <= t {
                        let key = ds.products.name(ds.lines.product[l as usize]).to_string();
                        *rev.entry((key, wi)).or_default() += alloc[k];
                    }
                }
            }
        }
        for p in &r.products.products {
            prop_assert_eq!(p.baseline_revenue, rev.get(&(p.key.clone(), 0)).copied().unwrap_or(0));
            prop_assert_eq!(p.campaign_revenue, rev.get(&(p.key.clone(), 1)).copied().unwrap_or(0));
        }
        let sold: HashSet<&String> = rev.keys().map(|(k, _)| k).collect();
        prop_assert_eq!(r.products.products.len(), sold.len());
        // Sorted by lift, largest first.
        for pair in r.products.products.windows(2) {
            let l = |x: &ProductLiftRow| x.lift_per_day.unwrap_or(f64::NEG_INFINITY);
            prop_assert!(l(&pair[0]) >= l(&pair[1]));
        }
    }
}
