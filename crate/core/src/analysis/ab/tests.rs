//! Hand-computed A/B readouts from a behaviour log and from traffic rows.

use super::*;
use crate::model::Traffic;
use crate::time::{days_from_civil, to_seconds};

fn at(day: u32) -> i64 {
    to_seconds(2024, 5, day, 10, 0, 0)
}

/// Users u1…u6 on items A and B:
/// A: u1 view, u2 view+buy, u3 view, u4 view+buy → n 4, x 2.
/// B: u4 view, u5 view+buy, u6 view+buy+buy → n 3, x 2 (u4 in both).
fn log() -> Dataset {
    let mut ds = Dataset::default();
    let ev = |ds: &mut Dataset, u: &str, name: &str, day: u32, item: &str| {
        ds.add_named_event(u, name, at(day), Some(item), None, None)
    };
    ev(&mut ds, "u1", "pv", 1, "A");
    ev(&mut ds, "u2", "pv", 1, "A");
    ev(&mut ds, "u2", "buy", 2, "A");
    ev(&mut ds, "u3", "pv", 3, "A");
    ev(&mut ds, "u4", "pv", 3, "A");
    ev(&mut ds, "u4", "buy", 3, "A");
    ev(&mut ds, "u4", "pv", 4, "B");
    ev(&mut ds, "u5", "pv", 4, "B");
    ev(&mut ds, "u5", "buy", 5, "B");
    ev(&mut ds, "u6", "pv", 5, "B");
    ev(&mut ds, "u6", "buy", 5, "B");
    ev(&mut ds, "u6", "buy", 6, "B");
    ds
}

fn items(a: &str, b: &str) -> AbOptions {
    AbOptions {
        by: Some(AbBy::Item),
        a: Some(a.into()),
        b: Some(b.into()),
        ..AbOptions::default()
    }
}

#[test]
fn two_items_of_a_log() {
    let r = compute(&log(), &items("A", "B")).unwrap();
    assert_eq!(r.source, AbSource::Events);
    assert_eq!((r.a.exposures, r.a.conversions), (4, 2));
    assert_eq!((r.b.exposures, r.b.conversions), (3, 2));
    assert_eq!(r.in_both, 1);
    assert_eq!(r.goal, "purchase");
    assert_eq!(r.stats, readout(2, 4, 2, 3));
    assert_eq!(r.stats.verdict, Verdict::NotDecisive, "tiny groups");
    // The goal may be any name of the log: "pv" makes everyone a conversion.
    let all = compute(
        &log(),
        &AbOptions {
            goal: Some("pv".into()),
            ..items("A", "B")
        },
    )
    .unwrap();
    assert_eq!((all.a.conversions, all.b.conversions), (4, 3));
    assert_eq!(all.stats.p_value, None, "all converted: nothing to test");
    let unknown = compute(
        &log(),
        &AbOptions {
            goal: Some("checkout".into()),
            ..items("A", "B")
        },
    );
    assert_eq!(unknown.unwrap_err().code, "unknown_goal");
    // An item not in the log is an empty group.
    let r = compute(&log(), &items("A", "Z")).unwrap();
    assert_eq!((r.b.exposures, r.b.conversions), (0, 0));
    assert_eq!(r.stats.difference, None);
}

#[test]
fn two_periods_of_a_log() {
    let opts = AbOptions {
        by: Some(AbBy::Period),
        a_from: Some("2024-05-01".into()),
        a_to: Some("2024-05-03".into()),
        b_from: Some("2024-05-04".into()),
        b_to: Some("2024-05-06".into()),
        ..AbOptions::default()
    };
    let r = compute(&log(), &opts).unwrap();
    // Days 1–3: u1, u2 (buy), u3, u4 (buy) → 4, 2. Days 4–6: u4, u5 (buy), u6 (buy) → 3, 2.
    assert_eq!((r.a.exposures, r.a.conversions), (4, 2));
    assert_eq!((r.b.exposures, r.b.conversions), (3, 2));
    assert_eq!(r.a.label, "2024-05-01–2024-05-03");
    let bad = AbOptions {
        a_to: Some("2024-04-30".into()),
        ..opts.clone()
    };
    assert_eq!(compute(&log(), &bad).unwrap_err().code, "invalid_ab_period");
    let bad = AbOptions {
        a_to: Some("May 3".into()),
        ..opts
    };
    assert_eq!(compute(&log(), &bad).unwrap_err().code, "invalid_ab_period");
}

#[test]
fn traffic_rows_sum_daily_uniques() {
    let mut ds = Dataset::default();
    let a = ds.intern_product("A");
    let b = ds.intern_product("B");
    let t: &mut Traffic = &mut ds.traffic;
    let rows = [
        (1, Some(a), 100, 10),
        (2, Some(a), 80, 6),
        (1, Some(b), 90, 12),
        (2, Some(b), 110, 20),
        // A shop-level row: used by periods, not by items.
        (1, None, 1000, 50),
        (2, None, 1200, 90),
    ];
    for (day, product, visitors, buyers) in rows {
        t.day.push(Some(days_from_civil(2024, 5, day)));
        t.product.push(product);
        t.visitors.push(Some(visitors));
        t.buyers.push(Some(buyers));
        t.page_views.push(None);
        t.fav_users.push(None);
        t.cart_users.push(None);
        t.units.push(None);
        t.paid_amount.push(None);
    }
    let r = compute(&ds, &items("A", "B")).unwrap();
    assert_eq!(r.source, AbSource::Traffic);
    assert_eq!((r.a.exposures, r.a.conversions), (180, 16));
    assert_eq!((r.b.exposures, r.b.conversions), (200, 32));
    assert_eq!(r.stats, readout(16, 180, 32, 200));
    let days = AbOptions {
        by: Some(AbBy::Period),
        a_from: Some("2024-05-01".into()),
        a_to: Some("2024-05-01".into()),
        b_from: Some("2024-05-02".into()),
        b_to: Some("2024-05-02".into()),
        ..AbOptions::default()
    };
    let r = compute(&ds, &days).unwrap();
    assert_eq!((r.a.exposures, r.a.conversions), (1000, 50));
    assert_eq!((r.b.exposures, r.b.conversions), (1200, 90));
}

#[test]
fn unavailable_without_groups_or_data() {
    assert_eq!(
        compute(&log(), &AbOptions::default()).unwrap_err().code,
        "no_ab_groups"
    );
    let half = AbOptions {
        by: Some(AbBy::Item),
        a: Some("A".into()),
        ..AbOptions::default()
    };
    assert_eq!(compute(&log(), &half).unwrap_err().code, "no_ab_groups");
    assert_eq!(
        compute(&Dataset::default(), &items("A", "B"))
            .unwrap_err()
            .code,
        "no_ab_data"
    );
    let o: AbOptions = serde_json::from_str(r#"{"by":"item","a":"x","b":"y"}"#).unwrap();
    assert_eq!(o, items("x", "y"));
    assert!(serde_json::from_str::<AbOptions>(r#"{"groups":"item"}"#).is_err());
}
