use proptest::prelude::*;

use super::testkit::*;
use super::*;
use crate::model::{EventType, LineRow, OrderRow, PayState};

type OrderSummary = (
    String,
    Option<String>,
    i64,
    PayState,
    i64,
    i64,
    Vec<(String, i64)>,
);

/// Orders as comparable text: id, customer, time, state, paid amount, refund, lines (product, qty).
fn summary(ds: &Dataset) -> Vec<OrderSummary> {
    let by_order = ds.lines_by_order();
    (0..ds.orders.len())
        .map(|o| {
            let lines = by_order
                .get(o)
                .iter()
                .map(|&l| {
                    let l = l as usize;
                    (
                        ds.products.name(ds.lines.product[l]).to_string(),
                        ds.lines.quantity[l],
                    )
                })
                .collect();
            (
                ds.order_ids.name(o as u32).to_string(),
                ds.orders.customer[o].map(|c| ds.customers.name(c).to_string()),
                ds.orders.time[o],
                ds.orders.state[o],
                ds.orders.paid_amount[o],
                ds.orders.refund[o],
                lines,
            )
        })
        .collect()
}

fn ids(ds: &Dataset) -> Vec<&str> {
    ds.order_ids.iter().map(|(_, id)| id).collect()
}

/// Two order files (Taobao, Shopify), a Taobao traffic file, events and ad rows around 2024-02-01.
///
/// | order | file    | shop  | time             | state  | paid  | refund | lines (value)                       |
/// |-------|---------|-------|------------------|--------|-------|--------|-------------------------------------|
/// | T1    | taobao  | 旗舰店 | 2024-01-31 23:59 | paid   | 5000  | 0      | A 服装 2×1500, B 鞋 1×1000           |
/// | T2    | taobao  | 旗舰店 | 2024-02-01 00:00 | paid   | 1001  | 300    | A 1×100, B 1×100, C 鞋 1×100        |
/// | T3    | taobao  | 折扣店 | 2024-02-15 10:00 | unpaid | 2000  | 0      | C 1×2000                            |
/// | S1    | shopify | —     | 2024-02-10 12:00 | paid   | 10000 | 700    | A 4×2000 (own refund 500), D 1×2000 |
fn fixture() -> Dataset {
    let mut ds = Dataset::default();
    let taobao = source(&mut ds, Platform::Taobao, DatasetKind::Orders);
    let shopify = source(&mut ds, Platform::Shopify, DatasetKind::Orders);
    source(&mut ds, Platform::Taobao, DatasetKind::Traffic);
    let order = |ds: &mut Dataset, id, customer, t, state, amount, refund, src, shop| {
        ds.add_order(&OrderRow {
            id,
            customer: Some(customer),
            created: Some(t),
            paid_at: (state == PayState::Paid).then_some(t),
            state: Some(state),
            paid_amount: Some(amount),
            refund: Some(refund),
            source: src,
            shop,
            ..OrderRow::default()
        })
    };
    let t1 = order(
        &mut ds,
        "T1",
        "张三",
        at(2024, 1, 31, 23, 59),
        PayState::Paid,
        5000,
        0,
        taobao,
        Some("旗舰店"),
    );
    line(&mut ds, t1, "A", Some("服装"), 2, 1500);
    line(&mut ds, t1, "B", Some("鞋"), 1, 1000);
    let t2 = order(
        &mut ds,
        "T2",
        "李四",
        at(2024, 2, 1, 0, 0),
        PayState::Paid,
        1001,
        300,
        taobao,
        Some("旗舰店"),
    );
    line(&mut ds, t2, "A", None, 1, 100);
    line(&mut ds, t2, "B", None, 1, 100);
    line(&mut ds, t2, "C", Some("鞋"), 1, 100);
    let t3 = order(
        &mut ds,
        "T3",
        "王五",
        at(2024, 2, 15, 10, 0),
        PayState::Unpaid,
        2000,
        0,
        taobao,
        Some("折扣店"),
    );
    line(&mut ds, t3, "C", None, 1, 2000);
    let s1 = order(
        &mut ds,
        "S1",
        "ann@example.com",
        at(2024, 2, 10, 12, 0),
        PayState::Paid,
        10000,
        700,
        shopify,
        None,
    );
    let a_line = LineRow {
        product_key: "A",
        quantity: 4,
        unit_price: Some(2000),
        refund: Some(500),
        ..LineRow::default()
    };
    ds.add_line(s1, &a_line);
    line(&mut ds, s1, "D", None, 1, 2000);

    ds.add_event(
        "u1",
        EventType::View,
        at(2024, 1, 31, 9, 0),
        Some("A"),
        None,
        None,
    );
    ds.add_event(
        "u1",
        EventType::Cart,
        at(2024, 2, 1, 9, 0),
        Some("B"),
        None,
        None,
    );
    ds.add_event(
        "u2",
        EventType::View,
        at(2024, 2, 2, 9, 0),
        None,
        Some("鞋"),
        None,
    );

    traffic(&mut ds, Some(day(2024, 1, 31)), None, Some(100));
    traffic(&mut ds, Some(day(2024, 2, 1)), None, Some(120));
    traffic(&mut ds, Some(day(2024, 2, 1)), Some("B"), Some(30));
    traffic(&mut ds, None, None, Some(500));

    ad(&mut ds, Some(day(2024, 1, 31)), 1000, 10, 500, 2000);
    ad(&mut ds, Some(day(2024, 2, 1)), 2000, 30, 900, 0);
    ad(&mut ds, None, 5, 1, 100, 0);
    ds
}

fn filter(json: &str) -> Filter {
    serde_json::from_str(json).expect("test filter parses")
}

#[test]
fn parse_day_accepts_only_real_iso_dates() {
    assert_eq!(parse_day("2024-02-29"), Some(day(2024, 2, 29)));
    assert_eq!(parse_day("1970-01-01"), Some(0));
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-2-01",
        "2024/02/01",
        "2024-02-01 ",
        "",
        "２０２4-01-01",
        "+024-01-01",
    ] {
        assert_eq!(parse_day(bad), None, "{bad:?}");
    }
}

#[test]
fn options_from_json_reject_unknown_fields() {
    let f = filter(r#"{"from":"2024-01-01","platforms":["shopify","jd"]}"#);
    assert_eq!(f.from.as_deref(), Some("2024-01-01"));
    assert_eq!(f.platforms, vec![Platform::Shopify, Platform::Jd]);
    assert!(filter("{}").is_empty());
    assert!(!f.is_empty());
    assert!(serde_json::from_str::<Filter>(r#"{"date_from":"2024-01-01"}"#).is_err());
}

#[test]
fn malformed_or_inverted_dates_are_errors_with_codes() {
    let ds = fixture();
    let err = apply(&ds, &filter(r#"{"from":"2024-02-30"}"#)).unwrap_err();
    assert_eq!(
        err,
        FilterError::InvalidDate {
            field: "from",
            value: "2024-02-30".into()
        }
    );
    assert_eq!(err.code(), "invalid_date");
    assert!(err.to_string().contains("2024-02-30"));
    let err = apply(&ds, &filter(r#"{"to":"yesterday"}"#)).unwrap_err();
    assert_eq!(err.code(), "invalid_date");
    let err = apply(&ds, &filter(r#"{"from":"2024-03-01","to":"2024-02-01"}"#)).unwrap_err();
    assert_eq!(err.code(), "inverted_range");
}

#[test]
fn empty_filter_keeps_everything() {
    let ds = fixture();
    let out = apply(&ds, &Filter::default()).unwrap();
    assert_eq!(summary(&out), summary(&ds));
    assert_eq!(out.events.len(), 3);
    assert_eq!(out.traffic.len(), 4);
    assert_eq!(out.ads.len(), 3);
}

#[test]
fn date_range_is_inclusive_by_order_day() {
    let ds = fixture();
    // T1 is paid 2024-01-31 23:59 (out); T2 at 2024-02-01 00:00 (in); T3 and S1 in February.
    let out = apply(&ds, &filter(r#"{"from":"2024-02-01","to":"2024-02-29"}"#)).unwrap();
    assert_eq!(ids(&out), ["T2", "T3", "S1"]);
    // Amounts are untouched by a date filter; lines follow their orders.
    assert_eq!(out.orders.paid_amount, [1001, 2000, 10000]);
    assert_eq!(out.lines.len(), 3 + 1 + 2);
    // Customers are interned afresh: 张三 is gone.
    assert_eq!(out.customers.get("张三"), None);
    assert!(out.has_customers);
    // Events on 02-01 and 02-02; traffic rows of 02-01 (the dayless row fails a date range); one ad row.
    assert_eq!(out.events.len(), 2);
    assert_eq!(out.traffic.visitors, [Some(120), Some(30)]);
    assert_eq!(out.ads.spend, [Some(900)]);

    let out = apply(&ds, &filter(r#"{"to":"2024-01-31"}"#)).unwrap();
    assert_eq!(ids(&out), ["T1"]);
    assert_eq!(out.orders.time, [at(2024, 1, 31, 23, 59)]);
}

#[test]
fn platform_filter_keeps_orders_by_file_and_drops_other_platforms_tables() {
    let ds = fixture();
    let out = apply(&ds, &filter(r#"{"platforms":["shopify"]}"#)).unwrap();
    assert_eq!(ids(&out), ["S1"]);
    // Customers are interned afresh: the buyers of dropped orders are gone (event users stay).
    assert!(out.customers.get("ann@example.com").is_some());
    assert_eq!(out.customers.get("张三"), None);
    // The only traffic file is Taobao's: dropped. No events or ads file is recorded: kept.
    assert!(out.traffic.is_empty());
    assert_eq!(out.events.len(), 3);
    assert_eq!(out.ads.len(), 3);
    let out = apply(&ds, &filter(r#"{"platforms":["taobao"]}"#)).unwrap();
    assert_eq!(ids(&out), ["T1", "T2", "T3"]);
    assert_eq!(out.traffic.len(), 4);
}

#[test]
fn shop_filter_needs_a_listed_shop() {
    let ds = fixture();
    let out = apply(&ds, &filter(r#"{"shops":["旗舰店"]}"#)).unwrap();
    assert_eq!(ids(&out), ["T1", "T2"]);
    assert_eq!(out.shops.get("旗舰店"), ds.shops.get("旗舰店"));
    let out = apply(&ds, &filter(r#"{"shops":["没有这家店"]}"#)).unwrap();
    assert!(out.orders.is_empty());
}

#[test]
fn category_filter_keeps_matching_lines_and_their_share_of_amounts() {
    let ds = fixture();
    let out = apply(&ds, &filter(r#"{"categories":["鞋"]}"#)).unwrap();
    // T1: only B (value 1000 of 4000) → paid floor(5000·1000/4000) = 1250, refund 0.
    // T2: B and C (100 each of 300) → shares of 1001 are 333 each + 2 remainder cents to the largest
    //     lines, equal, so the first two: A 334, B 334, C 333 → kept 334 + 333 = 667;
    //     refund 300 → 100 each → 200.
    // T3: C is its only line → unchanged. S1 has no 鞋 line → dropped.
    assert_eq!(
        summary(&out),
        vec![
            (
                "T1".into(),
                Some("张三".into()),
                at(2024, 1, 31, 23, 59),
                PayState::Paid,
                1250,
                0,
                vec![("B".into(), 1)]
            ),
            (
                "T2".into(),
                Some("李四".into()),
                at(2024, 2, 1, 0, 0),
                PayState::Paid,
                667,
                200,
                vec![("B".into(), 1), ("C".into(), 1)]
            ),
            (
                "T3".into(),
                Some("王五".into()),
                at(2024, 2, 15, 10, 0),
                PayState::Unpaid,
                2000,
                0,
                vec![("C".into(), 1)]
            ),
        ]
    );
    // Product ids and product_info survive.
    assert_eq!(out.products.get("C"), ds.products.get("C"));
    assert_eq!(out.product_label(out.products.get("C").unwrap()), "C");
    // Events: u1's cart of B (a 鞋 item) and u2's view in 鞋; traffic: only product B's row.
    assert_eq!(out.events.len(), 2);
    let names: Vec<&str> = out
        .events
        .name
        .iter()
        .map(|&n| out.event_names.name(u32::from(n)))
        .collect();
    assert_eq!(names, [EventType::Cart.code(), EventType::View.code()]);
    assert_eq!(out.traffic.visitors, [Some(30)]);
    // Ad rows are per campaign: kept.
    assert_eq!(out.ads.len(), 3);
}

#[test]
fn product_filter_uses_line_refunds_where_given() {
    let ds = fixture();
    // S1: A value 8000, D value 2000 of paid 10000. Keeping A: paid 8000, refund = A's own 500.
    let out = apply(
        &ds,
        &filter(r#"{"products":["A"],"platforms":["shopify"]}"#),
    )
    .unwrap();
    assert_eq!(
        (out.orders.paid_amount[0], out.orders.refund[0]),
        (8000, 500)
    );
    // Keeping D: paid 2000; D has no refund of its own, so it gets the rest of the order's refund,
    // 700 − A's 500 = 200 (D is the only line without one).
    let out = apply(&ds, &filter(r#"{"products":["D"]}"#)).unwrap();
    assert_eq!(ids(&out), ["S1"]);
    assert_eq!(
        (out.orders.paid_amount[0], out.orders.refund[0]),
        (2000, 200)
    );
}

#[test]
fn product_and_category_filters_must_both_hold() {
    let ds = fixture();
    // A is 服装, so no line is both product A and category 鞋.
    let out = apply(&ds, &filter(r#"{"products":["A"],"categories":["鞋"]}"#)).unwrap();
    assert!(out.orders.is_empty());
    assert!(out.lines.is_empty());
    assert!(!out.has_customers);
}

#[test]
fn filtering_an_empty_dataset_is_empty() {
    let out = apply(
        &Dataset::default(),
        &filter(r#"{"from":"2024-01-01","categories":["x"]}"#),
    )
    .unwrap();
    assert!(out.orders.is_empty() && out.events.is_empty() && out.traffic.is_empty());
}

proptest! {
    #[test]
    fn date_filter_keeps_exactly_the_orders_in_range(
        data in random_data(200, 30),
        a in 0u16..200,
        len in 0u16..60,
    ) {
        let ds = data.build();
        let (from, to) = (random_start() + Day::from(a), random_start() + Day::from(a + len));
        let f = Filter { from: Some(time::format_day(from)), to: Some(time::format_day(to)), ..Filter::default() };
        let out = apply(&ds, &f).unwrap();
        let expected: Vec<OrderSummary> = summary(&ds)
            .into_iter()
            .filter(|o| (from..=to).contains(&time::day_of(o.2)))
            .collect();
        prop_assert_eq!(summary(&out), expected);
        let traffic_days = data.traffic.iter().filter(|t| t.0.is_some_and(|d| (a..=a + len).contains(&d))).count();
        prop_assert_eq!(out.traffic.len(), traffic_days);
    }

    #[test]
    fn category_filters_partition_each_orders_amounts(data in random_data(60, 20)) {
        let ds = data.build();
        // Every random product is in one of cat0..cat2 and has no line refund, so filtering by each
        // category in turn splits every order with lines exactly.
        let with_lines = |ds: &Dataset| {
            let by_order = ds.lines_by_order();
            (0..ds.orders.len()).filter(|&o| !by_order.get(o).is_empty()).fold((0, 0), |(p, r), o| {
                (p + ds.orders.paid_amount[o], r + ds.orders.refund[o])
            })
        };
        let mut parts = (0, 0);
        for c in ["cat0", "cat1", "cat2"] {
            let out = apply(&ds, &Filter { categories: vec![c.into()], ..Filter::default() }).unwrap();
            let (p, r) = with_lines(&out);
            parts = (parts.0 + p, parts.1 + r);
        }
        prop_assert_eq!(parts, with_lines(&ds));
    }
}
