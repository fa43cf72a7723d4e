//! The stock and A/B fixtures through the whole engine (ingest → report), against hand-computed
//! figures (tests/fixtures/README.md describes the files).

use std::path::Path;

use shoplens::analysis::ab::Verdict;
use shoplens::report::{analyze_files, AnalyzeOptions, Report};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(files: &[&str], options: serde_json::Value) -> Report {
    let data: Vec<(String, Vec<u8>)> = files.iter().map(|f| (f.to_string(), fixture(f))).collect();
    let refs: Vec<(&str, &[u8])> = data
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let opts: AnalyzeOptions = serde_json::from_value(options).unwrap();
    analyze_files(&refs, &opts).unwrap()
}

#[test]
fn stock_fixture_hand_computed() {
    let r = report(
        &["stock_orders.csv", "stock_skus.csv"],
        serde_json::json!({}),
    );
    let s = r.stock.ready().expect("stock section");
    // Orders run 2024-05-20 … 06-19: the 28-day window is 05-23 … 06-19 (the 05-20 order is out).
    assert_eq!(
        (
            s.window.first_day.as_str(),
            s.window.last_day.as_str(),
            s.window.days
        ),
        ("2024-05-23", "2024-06-19", 28)
    );
    let keys: Vec<&str> = s.products.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        ["TEE-01", "CAP-02", "BAG-03", "SOCK-04"],
        "at risk first, demand-only last"
    );
    let tee = &s.products[0];
    // 2 a day every day: d = 2, σ = 0, cover 10/2 = 5, sell-through 56/66, ROP 2·7 = 14,
    // suggested ⌈14 + 2·14 − 10⌉ = 32, revenue 2 × ¥59 a day.
    assert_eq!(
        (tee.daily_demand, tee.sigma, tee.days_of_cover),
        (2.0, 0.0, Some(5.0))
    );
    assert_eq!(tee.sell_through, Some(56.0 / 66.0));
    assert_eq!(
        (tee.reorder_point, tee.suggested_order),
        (Some(14.0), Some(32))
    );
    assert_eq!(tee.daily_revenue, 11_800.0);
    assert!(tee.at_risk);
    // 7 on the last day only: d = 0.25, σ = √((27·0.25² + 6.75²)/27) = √1.75,
    // ROP = 1.75 + 1.645·√1.75·√7 = 1.75 + 1.645·3.5 = 7.5075; 40 in stock: order nothing.
    let cap = &s.products[1];
    assert_eq!(cap.daily_demand, 0.25);
    assert!((cap.sigma - 1.75f64.sqrt()).abs() < 1e-12);
    assert!((cap.reorder_point.unwrap() - 7.5075).abs() < 1e-12);
    assert_eq!(
        (cap.days_of_cover, cap.suggested_order, cap.at_risk),
        (Some(160.0), Some(0), false)
    );
    // Zero stock, zero demand.
    let bag = &s.products[2];
    assert_eq!(
        (
            bag.daily_demand,
            bag.days_of_cover,
            bag.sell_through,
            bag.suggested_order
        ),
        (0.0, None, None, Some(0))
    );
    // Not in the SKU export: demand only.
    let sock = &s.products[3];
    assert_eq!(
        (sock.units, sock.stock, sock.reorder_point),
        (1, None, None)
    );
    // Settings: a 10-day lead time at 99 % moves the reorder point to 2·10 = 20.
    let r = report(
        &["stock_orders.csv", "stock_skus.csv"],
        serde_json::json!({"stock": {"lead_time_days": 10, "service_level": 0.99, "review_days": 7}}),
    );
    let s = r.stock.ready().unwrap();
    assert_eq!(s.z, 2.326);
    assert_eq!(s.products[0].reorder_point, Some(20.0));
    assert_eq!(s.products[0].suggested_order, Some(24)); // 20 + 14 − 10
                                                         // Orders alone: the section names the missing SKU export.
    let r = report(&["stock_orders.csv"], serde_json::json!({}));
    assert!(
        matches!(&r.stock, shoplens::report::Section::Unavailable { reason } if reason.code == "no_stock")
    );
}

#[test]
fn ab_fixture_hand_computed() {
    let r = report(
        &["ab_item_events.csv"],
        serde_json::json!({"ab": {"by": "item", "a": "501", "b": "502"}}),
    );
    let ab = r.ab.ready().expect("ab section");
    assert_eq!(
        (
            ab.a.exposures,
            ab.a.conversions,
            ab.b.exposures,
            ab.b.conversions
        ),
        (40, 10, 40, 18)
    );
    let s = &ab.stats;
    assert_eq!((s.cr_a, s.cr_b), (Some(0.25), Some(0.45)));
    // Newcombe: 0.2 − √((0.45 − 0.30705)² + (0.40194 − 0.25)²) = −0.0086; upper 0.3863.
    let [l, u] = s.difference_interval.unwrap();
    assert!(
        (l + 0.008_613).abs() < 1e-6 && (u - 0.386_299).abs() < 1e-6,
        "{l} {u}"
    );
    assert_eq!(s.verdict, Verdict::NotDecisive);
    // (1.96·√(2·0.35·0.65) + 0.8416·√(0.1875 + 0.2475))² / 0.04 = 88.1 → 89 per group.
    assert_eq!(s.needed_per_group, Some(89));
    assert!((s.p_value.unwrap() - 0.060_761).abs() < 1e-6);
    // Without groups chosen the section asks for them.
    let r = report(&["ab_item_events.csv"], serde_json::json!({}));
    assert!(
        matches!(&r.ab, shoplens::report::Section::Unavailable { reason } if reason.code == "no_ab_groups")
    );
}

/// `ab_variant_events.csv` (written by `scripts/make_ab_variant_fixture.py`): a PostHog-style export
/// whose `properties.$feature/main-image-0601` column holds the group. 151 people exposed to each
/// group (0007 and 0008 saw both); 18 of the control's and 39 of the test's convert at or after
/// their first exposure. The four purchases a day before exposure do not count; 0005/0006's
/// unlabelled purchases after it do; 0007's purchase labelled `test` counts for the test only;
/// 0009's purchase in the second of its exposure counts.
#[test]
fn ab_variant_fixture_hand_computed() {
    let r = report(&["ab_variant_events.csv"], serde_json::json!({}));
    let ab =
        r.ab.ready()
            .expect("groups come from the log's variant column");
    assert_eq!(ab.by, shoplens::analysis::ab::AbBy::Variant);
    assert_eq!(
        (ab.a.label.as_str(), ab.b.label.as_str()),
        ("control", "test")
    );
    assert_eq!(ab.variants, ["control", "test"]);
    assert_eq!(
        (
            ab.a.exposures,
            ab.a.conversions,
            ab.b.exposures,
            ab.b.conversions,
            ab.in_both
        ),
        (151, 18, 151, 39, 2)
    );
    let s = &ab.stats;
    // d = 39/151 − 18/151 = 0.139073; Newcombe (0.050990, 0.225428); pooled z 3.0882, p 0.002014.
    let [l, u] = s.difference_interval.unwrap();
    assert!(
        (l - 0.050_990).abs() < 1e-6 && (u - 0.225_428).abs() < 1e-6,
        "{l} {u}"
    );
    assert!((s.p_value.unwrap() - 0.002_014).abs() < 1e-6);
    assert_eq!(s.verdict, Verdict::BBetter);
    // Groups given the other way round, and another goal (a cart after the exposure).
    let r = report(
        &["ab_variant_events.csv"],
        serde_json::json!({"ab": {"by": "variant", "a": "test", "b": "control", "goal": "product_added_to_cart"}}),
    );
    let ab = r.ab.ready().unwrap();
    assert_eq!((ab.a.label.as_str(), ab.a.exposures), ("test", 151));
    assert_eq!((ab.a.conversions, ab.b.conversions), (71, 57));
    // The column is recognised as the variant from its header alone.
    let load = &r.loads[0];
    let col = load
        .columns
        .iter()
        .find(|c| c.header.contains("$feature/"))
        .unwrap();
    assert_eq!(col.field, Some(shoplens::schema::field::Field::Variant));
}

/// Issue 17: the sample's Tianchi log writes category ids (1702); its SKU list names the same items'
/// category (女装/休闲裤). The funnel breakdown shows the name, whichever file is loaded first.
#[test]
fn funnel_breakdown_names_numeric_categories_from_the_sku_list() {
    let sample = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../www/sample")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let (log, skus) = (
        sample("UserBehavior_sample.csv"),
        sample("jushuitan_skus.csv"),
    );
    let opts: AnalyzeOptions =
        serde_json::from_value(serde_json::json!({"funnel": {"breakdown": "category"}})).unwrap();
    for files in [
        [
            ("UserBehavior_sample.csv", &log),
            ("jushuitan_skus.csv", &skus),
        ],
        [
            ("jushuitan_skus.csv", &skus),
            ("UserBehavior_sample.csv", &log),
        ],
    ] {
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let r = analyze_files(&refs, &opts).unwrap();
        let f = r.funnel.ready().unwrap();
        let row = f
            .breakdown
            .iter()
            .find(|b| b.group.as_deref() == Some("1702"))
            .expect("category 1702");
        assert_eq!(row.title.as_deref(), Some("女装/休闲裤"));
    }
    // Without the SKU list the id is all there is.
    let r = analyze_files(&[("UserBehavior_sample.csv", log.as_slice())], &opts).unwrap();
    let f = r.funnel.ready().unwrap();
    assert!(f.breakdown.iter().all(|b| b.title.is_none()));
}
