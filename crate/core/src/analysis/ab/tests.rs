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

/// A log with an experiment and a variant column, as ingest stores it (`experiment / variant`).
/// Hand-computed, exposure = first labelled event, conversion = a goal at or after it carrying the
/// group or none:
/// - u1 control at day 1, buys day 2 (unlabelled) → control converts;
/// - u2 control at day 2, bought day 1 only (before exposure) → no;
/// - u3 control, buys in the second of its exposure → converts;
/// - u4 control day 1, then test day 3, buys day 4 labelled test → test only (in both);
/// - u5 test day 1, buys day 1 labelled test → test converts;
/// - u6 test day 2, no purchase;
/// - u7 in another experiment's group (`hero / b`): in neither.
///
/// Control: n 4 (u1 u2 u3 u4), x 2 (u1 u3). Test: n 3 (u4 u5 u6), x 2 (u4 u5).
fn variant_log() -> Dataset {
    let mut ds = Dataset::default();
    let ev = |ds: &mut Dataset, u: &str, name: &str, time: i64, group: Option<&str>| {
        ds.add_named_event(u, name, time, Some("SKU1"), None, None);
        if let Some(g) = group {
            let i = ds.events.len() - 1;
            ds.set_event_variant(i, &format!("checkout / {g}"));
        }
    };
    ev(&mut ds, "u1", "view", at(1), Some("control"));
    ev(&mut ds, "u1", "purchase", at(2), None);
    ev(&mut ds, "u2", "purchase", at(1), None);
    ev(&mut ds, "u2", "view", at(2), Some("control"));
    ev(&mut ds, "u3", "view", at(3), Some("control"));
    ev(&mut ds, "u3", "purchase", at(3), Some("control"));
    ev(&mut ds, "u4", "view", at(1), Some("control"));
    ev(&mut ds, "u4", "view", at(3), Some("test"));
    ev(&mut ds, "u4", "purchase", at(4), Some("test"));
    ev(&mut ds, "u5", "view", at(1), Some("test"));
    ev(&mut ds, "u5", "purchase", at(1), Some("test"));
    ev(&mut ds, "u6", "view", at(2), Some("test"));
    // Unlabelled events past the sparse column's end, and another experiment.
    ds.add_named_event("u7", "view", at(2), None, None, None);
    ev(&mut ds, "u7", "view", at(2), None);
    let i = ds.events.len() - 1;
    ds.set_event_variant(i, "hero / b");
    ds.add_named_event("u7", "purchase", at(3), None, None, None);
    ds
}

#[test]
fn groups_of_a_variant_column() {
    let ds = variant_log();
    // No groups chosen: the control and the next group of its experiment.
    let r = compute(&ds, &AbOptions::default()).unwrap();
    assert_eq!(r.by, AbBy::Variant);
    assert_eq!(
        (r.a.label.as_str(), r.b.label.as_str()),
        ("checkout / control", "checkout / test")
    );
    assert_eq!(
        r.variants,
        ["checkout / control", "checkout / test", "hero / b"]
    );
    assert_eq!((r.a.exposures, r.a.conversions), (4, 2));
    assert_eq!((r.b.exposures, r.b.conversions), (3, 2));
    assert_eq!(r.in_both, 1);
    assert_eq!(r.stats, readout(2, 4, 2, 3));
    // Chosen groups, another goal: a view after the exposure converts everyone exposed.
    let r = compute(
        &ds,
        &AbOptions {
            by: Some(AbBy::Variant),
            a: Some("hero / b".into()),
            b: Some("checkout / test".into()),
            goal: Some("view".into()),
            ..AbOptions::default()
        },
    )
    .unwrap();
    assert_eq!((r.a.exposures, r.a.conversions), (1, 1));
    assert_eq!((r.b.exposures, r.b.conversions), (3, 3));
    // A label not in the log is an empty group; a log without groups says so.
    let r = compute(
        &ds,
        &AbOptions {
            by: Some(AbBy::Variant),
            a: Some("checkout / control".into()),
            b: Some("nope".into()),
            ..AbOptions::default()
        },
    )
    .unwrap();
    assert_eq!((r.b.exposures, r.b.conversions), (0, 0));
    let plain = compute(
        &log(),
        &AbOptions {
            by: Some(AbBy::Variant),
            a: Some("a".into()),
            b: Some("b".into()),
            ..AbOptions::default()
        },
    );
    assert_eq!(plain.unwrap_err().code, "no_ab_variants");
    // A log without a variant column still needs groups chosen.
    assert_eq!(
        compute(&log(), &AbOptions::default()).unwrap_err().code,
        "no_ab_groups"
    );
}

#[test]
fn default_pair_prefers_the_control() {
    let labels = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        default_pair(&labels(&["b-new", "control"])),
        Some(("control".into(), "b-new".into()))
    );
    assert_eq!(
        default_pair(&labels(&["0", "1", "2"])),
        Some(("0".into(), "1".into()))
    );
    assert_eq!(
        default_pair(&labels(&["新主图", "对照组"])),
        Some(("对照组".into(), "新主图".into()))
    );
    assert_eq!(
        default_pair(&labels(&["x / control", "y / test", "x / v2"])),
        Some(("x / control".into(), "x / v2".into()))
    );
    assert_eq!(default_pair(&labels(&["only"])), None);
    assert_eq!(default_pair(&labels(&[])), None);
}

/// The naive reference: per user, the events in time order, the rule spelled out directly.
fn naive(ds: &Dataset, a: &str, b: &str) -> [(u64, u64); 2] {
    let mut out = [(0, 0); 2];
    for (g, label) in [a, b].iter().enumerate() {
        for u in 0..ds.customers.len() as u32 {
            let idx: Vec<usize> = (0..ds.events.len())
                .filter(|&i| ds.events.user[i] == u)
                .collect();
            let label_of = |i: usize| ds.events.variant_of(i).map(|v| ds.variants.name(v));
            let Some(first) = idx
                .iter()
                .filter(|&&i| label_of(i) == Some(label))
                .map(|&i| ds.events.time[i])
                .min()
            else {
                continue;
            };
            out[g].0 += 1;
            let converts = idx.iter().any(|&i| {
                ds.event_names.name(u32::from(ds.events.name[i])) == "purchase"
                    && ds.events.time[i] >= first
                    && label_of(i).is_none_or(|l| l == *label)
            });
            out[g].1 += u64::from(converts);
        }
    }
    out
}

proptest::proptest! {
    #[test]
    fn variant_counts_match_the_naive_rule(
        events in proptest::collection::vec((0u8..6, 0u8..2, 0u8..5, 0u8..3), 0..40)
    ) {
        let mut ds = Dataset::default();
        for (user, name, day, group) in events {
            let name = if name == 0 { "view" } else { "purchase" };
            ds.add_named_event(&format!("u{user}"), name, at(u32::from(day) + 1), None, None, None);
            if group > 0 {
                let i = ds.events.len() - 1;
                ds.set_event_variant(i, if group == 1 { "control" } else { "test" });
            }
        }
        let opts = AbOptions {
            by: Some(AbBy::Variant),
            a: Some("control".into()),
            b: Some("test".into()),
            ..AbOptions::default()
        };
        match compute(&ds, &opts) {
            Ok(r) => {
                let want = naive(&ds, "control", "test");
                proptest::prop_assert_eq!([(r.a.exposures, r.a.conversions), (r.b.exposures, r.b.conversions)], want);
            }
            Err(e) => proptest::prop_assert!(e.code == "no_ab_variants" || e.code == "unknown_goal", "{}", e.code),
        }
    }
}
