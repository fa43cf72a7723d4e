//! Aggregated traffic funnels, source precedence, and the unavailable case.

use super::*;
use crate::codes::UnavailableCode;

/// Shop rows (no product) for two days, and item rows for P1 (two days) and P2 (one day).
fn traffic(shop_rows: bool, cart_column: bool) -> Dataset {
    let mut ds = Dataset::default();
    let p1 = ds.intern_product("P1");
    let p2 = ds.intern_product("P2");
    let day1 = to_seconds(2024, 3, 1, 0, 0, 0).div_euclid(DAY) as i32;
    let mut rows = vec![
        (day1, Some(p1), 500, 60, 20),
        (day1, Some(p2), 300, 30, 5),
        (day1 + 1, Some(p1), 400, 50, 15),
    ];
    if shop_rows {
        rows.push((day1, None, 1000, 120, 30));
        rows.push((day1 + 1, None, 800, 100, 25));
    }
    let t = &mut ds.traffic;
    for (day, product, visitors, cart_users, buyers) in rows {
        t.day.push(Some(day));
        t.product.push(product);
        t.visitors.push(Some(visitors));
        t.page_views.push(None);
        t.fav_users.push(None);
        t.cart_users.push(cart_column.then_some(cart_users));
        t.buyers.push(Some(buyers));
        t.units.push(None);
        t.paid_amount.push(None);
    }
    ds
}

#[test]
fn traffic_aggregate_sums_shop_rows() {
    let ds = traffic(true, true);
    let r = run(&ds, &FunnelOptions::default());
    assert_eq!(r.source, FunnelSource::TrafficAggregate);
    assert_eq!(r.mode, FunnelMode::Distinct);
    assert_eq!(r.users, 0);
    // Shop rows: visitors 1000 + 800 = 1800, cart 120 + 100 = 220, buyers 30 + 25 = 55.
    assert_eq!(counts(&r), [1800, 220, 55]);
    assert_eq!(r.steps[1].step, FunnelStep::Traffic(TrafficStep::CartUsers));
    assert_close(r.steps[1].conversion_from_previous, 220.0 / 1800.0);
    assert_close(r.steps[2].conversion_from_previous, 0.25);
    assert_close(r.steps[2].overall_conversion, 55.0 / 1800.0);
    assert_eq!([r.steps[1].drop_off, r.steps[2].drop_off], [1580, 165]);
    let note = r.note.as_deref().unwrap_or_default();
    assert!(
        note.contains("Sum of daily unique counts over 2 day(s)"),
        "{note}"
    );
    // Trend from the shop rows, per day.
    let trend: Vec<&[u64]> = r.trend.iter().map(|p| &p.counts[..]).collect();
    assert_eq!(trend, [&[1000, 120, 30][..], &[800, 100, 25][..]]);
    // Items from the item rows: P1 500+400, 60+50, 20+15; conversion 35/900. P2 5/300.
    assert_eq!(r.items[0].item, "P1");
    assert_eq!(r.items[0].counts, [900, 110, 35]);
    assert_close(r.items[0].item_conversion, 35.0 / 900.0);
    assert_close(r.items[1].item_conversion, 5.0 / 300.0);
    // Without events, item conversion comes from the same item rows.
    let conversion = item_conversion(&ds);
    assert_close(conversion[0], 35.0 / 900.0);
    assert_close(conversion[1], 5.0 / 300.0);

    let json = serde_json::to_value(&r).unwrap_or_default();
    assert_eq!(json["source"], "traffic_aggregate");
    assert_eq!(json["steps"][0]["step"], "visitors");
}

#[test]
fn traffic_with_item_rows_only_or_missing_columns() {
    // Item rows only: 500+300+400 = 1200, 60+30+50 = 140, 20+5+15 = 40.
    let r = run(&traffic(false, true), &FunnelOptions::default());
    assert_eq!(counts(&r), [1200, 140, 40]);
    assert!(r
        .note
        .as_deref()
        .unwrap_or_default()
        .contains("item rows only"));

    // No cart-users column: the funnel is visitors → buyers.
    let r = run(&traffic(true, false), &FunnelOptions::default());
    let steps: Vec<FunnelStep> = r.steps.iter().map(|s| s.step.clone()).collect();
    use TrafficStep::{Buyers, Visitors};
    assert_eq!(
        steps,
        [FunnelStep::Traffic(Visitors), FunnelStep::Traffic(Buyers)]
    );
    assert_eq!(counts(&r), [1800, 55]);
    assert!(r.note.as_deref().unwrap_or_default().contains("加购人数"));
}

#[test]
fn events_take_precedence_over_traffic() {
    let mut ds = traffic(true, true);
    ds.add_event("u1", View, at(0, 1, 0, 0), None, None, None);
    let r = run(&ds, &FunnelOptions::default());
    assert_eq!(r.source, FunnelSource::Events);
    assert_eq!(counts(&r), [1, 0, 0]);
    assert!(r.note.is_some());
}

#[test]
fn unavailable_without_events_or_traffic_counts() {
    let expected = Unavailable::new(
        UnavailableCode::NoEvents,
        "a behaviour log (Tianchi UserBehavior, REES46) or a 生意参谋 traffic export",
    );
    assert_eq!(
        compute(&Dataset::default(), &FunnelOptions::default()),
        Err(expected.clone())
    );
    // Traffic rows with none of the funnel's columns (e.g. page views only).
    let mut ds = Dataset::default();
    ds.traffic.day.push(Some(0));
    ds.traffic.product.push(None);
    ds.traffic.page_views.push(Some(10));
    assert_eq!(compute(&ds, &FunnelOptions::default()), Err(expected));
}
