//! Sub-funnels: breakdown rows, per-item funnels and item conversion, trend.

use super::*;

#[test]
fn breakdown_uses_each_groups_own_events() {
    let t = at(0, 20, 0, 0);
    let mut ds = Dataset::default();
    let mut event = |user: &str, kind, minutes: i64, category: Option<&str>| {
        ds.add_event(user, kind, t + minutes * MINUTE, None, category, None);
    };
    event("u1", View, 0, Some("A"));
    event("u1", Cart, 1, Some("A"));
    event("u1", Purchase, 2, Some("A"));
    // u2 views in A but carts and buys in B: overall level 3, but 1 in A and 0 in B.
    event("u2", View, 0, Some("A"));
    event("u2", Cart, 1, Some("B"));
    event("u2", Purchase, 2, Some("B"));
    event("u3", View, 0, Some("B"));
    event("u3", Cart, 1, Some("B"));
    event("u4", View, 0, Some("C"));
    event("u4", Purchase, 1, Some("C"));
    event("u5", View, 0, None);
    event("u5", Cart, 1, None);
    event("u6", View, 0, Some("D"));

    let r = run(&ds, &FunnelOptions::default());
    // Whole funnel: u1 3, u2 3, u3 2, u4 1, u5 2, u6 1 → [6, 4, 2].
    assert_eq!(counts(&r), [6, 4, 2]);
    assert_eq!(r.breakdown_by, Breakdown::Category);
    // A [2,1,1]; B [1,1,0] (u3; u2 has no view in B); C [1,0,0]; D [1,0,0]; missing (u5) [1,1,0].
    // Ranked by step 1, ties by name with the missing group last.
    let rows: Vec<(BreakdownRowKind, Option<&str>, &[u64])> = r
        .breakdown
        .iter()
        .map(|b| (b.kind, b.group.as_deref(), &b.counts[..]))
        .collect();
    use BreakdownRowKind::{Group, Missing, Other};
    assert_eq!(
        rows,
        [
            (Group, Some("A"), &[2, 1, 1][..]),
            (Group, Some("B"), &[1, 1, 0][..]),
            (Group, Some("C"), &[1, 0, 0][..]),
            (Group, Some("D"), &[1, 0, 0][..]),
            (Missing, None, &[1, 1, 0][..]),
        ]
    );
    assert_close(r.breakdown[0].overall_conversion, 0.5);

    // Top 2: A, B, then other = C + D + missing = [3, 1, 0] over 3 groups.
    let r = run(
        &ds,
        &FunnelOptions {
            top_n: 2,
            ..FunnelOptions::default()
        },
    );
    assert_eq!(r.breakdown.len(), 3);
    let other = &r.breakdown[2];
    assert_eq!(
        (other.kind, other.groups, &other.counts[..]),
        (Other, 3, &[3, 1, 0][..])
    );
    assert_close(other.overall_conversion, 0.0);

    let r = run(
        &ds,
        &FunnelOptions {
            breakdown: Breakdown::None,
            ..FunnelOptions::default()
        },
    );
    assert!(r.breakdown.is_empty());
}

/// u1 buys P1; u2 views P1 and P2 and buys P2 without a cart; u3 views P2, carts and buys P1
/// without viewing it; u4 buys P3 without viewing it.
fn item_log() -> Dataset {
    let t = at(0, 15, 0, 0);
    let mut ds = Dataset::default();
    for (user, kind, minutes, item) in [
        ("u1", View, 0, "P1"),
        ("u1", Cart, 1, "P1"),
        ("u1", Purchase, 2, "P1"),
        ("u2", View, 0, "P1"),
        ("u2", View, 1, "P2"),
        ("u2", Purchase, 2, "P2"),
        ("u3", View, 0, "P2"),
        ("u3", Cart, 1, "P1"),
        ("u3", Purchase, 2, "P1"),
        ("u4", Purchase, 0, "P3"),
    ] {
        ds.add_event(
            user,
            kind,
            t + minutes * MINUTE,
            Some(item),
            None,
            Some("brand"),
        );
    }
    ds.product_info[0].title = Some("Teapot".to_string());
    ds
}

#[test]
fn per_item_funnels_and_item_conversion() {
    let ds = item_log();
    // P1 viewers {u1, u2}, buyers {u1, u3} → 2/2; P2 viewers {u2, u3}, buyers {u2} → 1/2; P3: no viewer.
    assert_eq!(item_conversion(&ds), [Some(1.0), Some(0.5), None]);

    let r = run(
        &ds,
        &FunnelOptions {
            item_limit: 2,
            ..FunnelOptions::default()
        },
    );
    // P1 pairs: u1 3, u2 1, u3 0 → [2,1,1]. P2: u2 1 (no cart), u3 1 → [2,0,0]. P3 [0,0,0] is cut.
    // P1 and P2 tie on step 1; keys break the tie.
    let items: Vec<(&str, &[u64], Option<f64>)> = r
        .items
        .iter()
        .map(|i| (i.item.as_str(), &i.counts[..], i.item_conversion))
        .collect();
    assert_eq!(
        items,
        [
            ("P1", &[2, 1, 1][..], Some(1.0)),
            ("P2", &[2, 0, 0][..], Some(0.5))
        ]
    );
    assert_eq!(r.items[0].title.as_deref(), Some("Teapot"));
    assert_close(r.items[0].overall_conversion, 0.5);

    // Breakdown by item gives the same funnels, P3 included; by brand one group holds everything.
    let r = run(
        &ds,
        &FunnelOptions {
            breakdown: Breakdown::Item,
            ..FunnelOptions::default()
        },
    );
    let groups: Vec<_> = r
        .breakdown
        .iter()
        .map(|b| (b.group.as_deref(), b.counts.clone()))
        .collect();
    assert_eq!(
        groups,
        [
            (Some("P1"), vec![2, 1, 1]),
            (Some("P2"), vec![2, 0, 0]),
            (Some("P3"), vec![0, 0, 0])
        ]
    );
    let r = run(
        &ds,
        &FunnelOptions {
            breakdown: Breakdown::Brand,
            ..FunnelOptions::default()
        },
    );
    assert_eq!(r.breakdown.len(), 1);
    assert_eq!(r.breakdown[0].counts, counts(&r));
}

#[test]
fn trend_runs_the_funnel_within_each_period() {
    let ds = log(&[
        // u1's chain crosses midnight: Mar 1 sees the view only, Mar 2 a cart and purchase without view.
        ("u1", View, at(0, 23, 50, 0)),
        ("u1", Cart, at(1, 0, 10, 0)),
        ("u1", Purchase, at(1, 0, 20, 0)),
        ("u2", View, at(1, 9, 0, 0)),
        ("u2", Cart, at(1, 9, 5, 0)),
    ]);
    let r = run(&ds, &FunnelOptions::default());
    assert_eq!(counts(&r), [2, 2, 1]);
    let trend: Vec<(&str, &[u64])> = r
        .trend
        .iter()
        .map(|p| (p.period.as_str(), &p.counts[..]))
        .collect();
    assert_eq!(
        trend,
        [
            ("2024-03-01", &[1, 0, 0][..]),
            ("2024-03-02", &[1, 1, 0][..])
        ]
    );
    assert_close(r.trend[1].overall_conversion, 0.0);

    // Friday and Saturday share ISO week 2024-W09: the whole funnel again.
    let r = run(
        &ds,
        &FunnelOptions {
            trend_grain: Grain::Week,
            ..FunnelOptions::default()
        },
    );
    assert_eq!(r.trend.len(), 1);
    assert_eq!(
        (r.trend[0].period.as_str(), &r.trend[0].counts[..]),
        ("2024-W09", &[2, 2, 1][..])
    );
}
