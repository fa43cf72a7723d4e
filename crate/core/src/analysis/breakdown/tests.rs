//! Hand-computed breakdowns of real-looking exports, and a property test that every dimension's
//! groups sum to the total against a naive computation.

use proptest::prelude::*;

use super::*;
use crate::analysis::filter::testkit::{at, source};
use crate::model::{DatasetKind, LineRow, OrderRow, PayState, Platform};
use crate::report::{analyze_files, AnalyzeOptions};

fn breakdowns_of(files: &[(&str, &str)]) -> BreakdownReport {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let report = analyze_files(&files, &AnalyzeOptions::default()).expect("report");
    report.breakdowns.ready().expect("breakdowns").clone()
}

/// (name or "?" for unknown, GMV, paid orders, buyers, units, refunds) of each group.
fn rows(b: &DimensionBreakdown) -> Vec<(String, i64, u64, Option<u64>, i64, i64)> {
    b.groups
        .iter()
        .map(|g| {
            let name = if g.unknown {
                "?".to_string()
            } else {
                g.name.clone()
            };
            (
                name,
                g.kpi.gmv,
                g.kpi.paid_orders,
                g.kpi.buyers,
                g.kpi.units,
                g.kpi.refunds,
            )
        })
        .collect()
}

fn row(
    name: &str,
    gmv: i64,
    orders: u64,
    buyers: u64,
    units: i64,
    refunds: i64,
) -> (String, i64, u64, Option<u64>, i64, i64) {
    (name.to_string(), gmv, orders, Some(buyers), units, refunds)
}

/// A Taobao 订单报表 as the sample shop writes it (收货地址 with a trailing space in its header).
const TAOBAO: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,收货地址 ,订单创建时间,订单付款时间 ,宝贝总数量,退款金额
1001,大_cc,117.00,交易成功,福建省 厦门市 思明区 ***,2025-01-01 10:26:36,2025-01-01 10:27:48,3,0.00
1002,小_yo,278.00,交易成功,湖北省 武汉市 洪山区 ***,2025-01-01 13:35:31,2025-01-01 13:37:44,2,50.00
1003,大_cc,59.90,交易成功,福建 厦门市 湖里区 ***,2025-01-03 09:00:00,2025-01-03 09:01:00,1,0.00
1004,阿_k9,88.00,交易成功,,2025-01-04 11:00:00,2025-01-04 11:02:00,1,0.00
1005,阿_k9,40.00,等待买家付款,广东省 广州市 天河区 ***,2025-01-05 11:00:00,,1,0.00
1006,小_yo,100.00,交易关闭,北京 北京市 朝阳区 ***,2025-01-06 08:00:00,2025-01-06 08:01:00,1,100.00
";

#[test]
fn taobao_regions_from_the_address() {
    let b = breakdowns_of(&[("ExportOrderList.csv", TAOBAO)]);
    let region = b.dimension(Dimension::Region).expect("region");
    // 福建省 and 福建 are one province; the blank address is unknown; the unpaid 1005 is no order.
    assert_eq!(
        rows(region),
        vec![
            row("湖北省", 27_800, 1, 1, 2, 5_000),
            row("福建省", 17_690, 2, 1, 4, 0),
            row("北京市", 10_000, 1, 1, 1, 10_000),
            row("?", 8_800, 1, 1, 1, 0),
        ]
    );
    assert_eq!(b.total.gmv, 64_290);
    let fujian = &region.groups[1];
    assert_eq!(fujian.kpi.repurchase_rate, Some(1.0));
    assert_eq!(fujian.kpi.aov, Some(8_845.0));
    assert!((fujian.gmv_share.unwrap() - 17_690.0 / 64_290.0).abs() < 1e-12);
    assert_eq!(region.groups[0].kpi.refund_order_rate, Some(1.0));
    // No channel column: the channel dimension is missing, with what would unlock it.
    assert!(b.dimension(Dimension::Channel).is_none());
    let missing: Vec<_> = b.unavailable.iter().map(|m| m.dimension).collect();
    assert!(missing.contains(&Dimension::Channel) && missing.contains(&Dimension::Shop));
    assert_eq!(
        b.unavailable
            .iter()
            .find(|m| m.dimension == Dimension::Channel)
            .unwrap()
            .reason
            .code,
        "no_channel_column"
    );
    // Customer type by order: 1003 is 大_cc's second day, 1006 小_yo's: 117 + 278 + 88 new,
    // 59.90 + 100 returning.
    let kind = b.dimension(Dimension::CustomerType).expect("customer type");
    assert_eq!(
        rows(kind),
        vec![
            row("new", 48_300, 3, 3, 6, 5_000),
            row("returning", 15_990, 2, 2, 2, 10_000)
        ]
    );
    // Daily trend of regions: 2025-01-01 holds 福建省 117 and 湖北省 278.
    let day = &region.daily;
    assert_eq!(day.periods.first().map(String::as_str), Some("2025-01-01"));
    assert_eq!(day.periods.len(), 6);
    let on_first_day: i64 = day.series.iter().map(|s| s.points[0].gmv).sum();
    assert_eq!(on_first_day, 39_500);
    assert!(day.series.iter().all(|s| !s.other));
}

/// Shopify line items: order fields on the first row only; Billing Province and Source.
const SHOPIFY: &str = "Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Province,Billing Country,Refunded Amount,Source
#1001,a@example.com,paid,2024-03-01 10:00:00 -0500,USD,30.00,2024-03-01 09:59:00 -0500,1,Cap,10.00,CAP,ON,CA,0.00,web
#1001,,,,,,,2,Tee,10.00,TEE,,,,
#1002,b@example.com,partially_refunded,2024-03-02 10:00:00 -0500,USD,25.00,2024-03-02 09:59:00 -0500,1,Cap,25.00,CAP,,US,5.00,pos
#1003,a@example.com,paid,2024-03-03 10:00:00 -0500,USD,12.50,2024-03-03 09:59:00 -0500,1,Tee,12.50,TEE,QC,CA,0.00,
#1004,c@example.com,pending,,USD,99.00,2024-03-04 09:59:00 -0500,1,Cap,99.00,CAP,ON,CA,0.00,web
";

#[test]
fn shopify_province_else_country_and_source() {
    let b = breakdowns_of(&[("orders_export.csv", SHOPIFY)]);
    let region = b.dimension(Dimension::Region).expect("region");
    // #1002 has no province: its country stands in. #1004 is unpaid.
    assert_eq!(
        rows(region),
        vec![
            row("ON", 3_000, 1, 1, 3, 0),
            row("US", 2_500, 1, 1, 1, 500),
            row("QC", 1_250, 1, 1, 1, 0)
        ]
    );
    let channel = b.dimension(Dimension::Channel).expect("channel");
    assert_eq!(
        rows(channel),
        vec![
            row("web", 3_000, 1, 1, 3, 0),
            row("pos", 2_500, 1, 1, 1, 500),
            row("?", 1_250, 1, 1, 1, 0)
        ]
    );
    assert!(channel.groups[2].unknown);
    let platform = b.dimension(Dimension::Platform).expect("platform");
    assert_eq!(rows(platform), vec![row("shopify", 6_750, 3, 2, 5, 500)]);
}

/// Lines of one order in two categories: its GMV is allocated by line value, largest remainder.
#[test]
fn categories_split_an_order_by_line_value() {
    let mut ds = Dataset::default();
    let src = source(&mut ds, Platform::Taobao, DatasetKind::OrderLines);
    let o = ds.add_order(&OrderRow {
        id: "o1",
        customer: Some("c1"),
        paid_at: Some(at(2025, 1, 1, 10, 0)),
        state: Some(PayState::Paid),
        paid_amount: Some(1_000),
        refund: Some(100),
        source: src,
        ..OrderRow::default()
    });
    for (key, category, quantity, price) in
        [("a", "帽子", 1, 100), ("b", "T恤", 2, 100), ("c", "", 1, 0)]
    {
        ds.add_line(
            o,
            &LineRow {
                product_key: key,
                category: (!category.is_empty()).then_some(category),
                quantity,
                unit_price: Some(price),
                ..LineRow::default()
            },
        );
    }
    // A second order without lines: unknown, whole.
    ds.add_order(&OrderRow {
        id: "o2",
        customer: Some("c2"),
        paid_at: Some(at(2025, 1, 2, 10, 0)),
        state: Some(PayState::Paid),
        paid_amount: Some(500),
        source: src,
        ..OrderRow::default()
    });
    let b = compute(&ds, &BreakdownOptions::default()).expect("breakdowns");
    let category = b.dimension(Dimension::Category).expect("category");
    // 1000 over values 100 : 200 : 0 → 333 + 667 (the remainder cent to the larger line) + 0.
    assert_eq!(
        rows(category),
        vec![
            row("T恤", 667, 1, 1, 2, 67),
            row("帽子", 333, 1, 1, 1, 33),
            row("?", 500, 2, 2, 1, 0)
        ]
    );
    assert!(!category.orders_sum_to_total);
    let gmv: i64 = category.groups.iter().map(|g| g.kpi.gmv).sum();
    assert_eq!(gmv, b.total.gmv);
}

#[test]
fn trend_draws_the_largest_groups_and_other() {
    let mut ds = Dataset::default();
    let src = source(&mut ds, Platform::Shopify, DatasetKind::Orders);
    for (i, channel) in ["a", "b", "c", "d"].iter().enumerate() {
        for k in 0..=i {
            let id = format!("{channel}{k}");
            ds.add_order(&OrderRow {
                id: &id,
                customer: Some("same"),
                paid_at: Some(at(2025, 1, 1 + k as u32, 10, 0)),
                state: Some(PayState::Paid),
                paid_amount: Some(100),
                source: src,
                channel: Some(channel),
                ..OrderRow::default()
            });
        }
    }
    let opts = BreakdownOptions {
        trend_groups: 2,
        ..BreakdownOptions::default()
    };
    let b = compute(&ds, &opts).expect("breakdowns");
    let channel = b.dimension(Dimension::Channel).expect("channel");
    let names: Vec<_> = channel
        .daily
        .series
        .iter()
        .map(|s| (s.name.as_str(), s.other))
        .collect();
    assert_eq!(names, vec![("d", false), ("c", false), ("", true)]);
    // Other is b and a: 2 + 1 orders, one buyer on day 1 and on day 2.
    let other = &channel.daily.series[2];
    let orders: Vec<u64> = other.points.iter().map(|p| p.paid_orders).collect();
    assert_eq!(orders, vec![2, 1, 0, 0]);
    assert_eq!(other.points[0].buyers, Some(1));
    // Channels of one buyer: the buyer counts in each, so buyers do not sum.
    assert!(channel.groups.iter().all(|g| g.kpi.buyers == Some(1)));
    assert_eq!(b.total.buyers, Some(1));
}

#[test]
fn total_equals_the_kpi_total_and_options_choose_dimensions() {
    let files = [("ExportOrderList.csv", TAOBAO.as_bytes())];
    let opts = AnalyzeOptions {
        breakdowns: BreakdownOptions {
            dimensions: vec![Dimension::Region, Dimension::Channel],
            ..BreakdownOptions::default()
        },
        ..AnalyzeOptions::default()
    };
    let report = analyze_files(&files, &opts).expect("report");
    let b = report.breakdowns.ready().expect("breakdowns");
    let kpi = report.kpi.ready().expect("kpi");
    assert_eq!(b.total.gmv, kpi.total.gmv);
    assert_eq!(b.total.paid_orders, kpi.total.paid_orders);
    assert_eq!(b.total.buyers, kpi.total.buyers);
    assert_eq!(b.total.units, kpi.total.units);
    assert_eq!(b.total.repurchase_rate, kpi.total.repurchase_rate);
    let dims: Vec<_> = b.dimensions.iter().map(|d| d.dimension).collect();
    assert_eq!(dims, vec![Dimension::Region]);
    assert_eq!(b.unavailable.len(), 1);
}

// ---- property test against a naive computation ----

#[derive(Clone, Debug)]
struct RandomOrder {
    paid: bool,
    day: u32,
    customer: Option<u8>,
    amount: i64,
    refund: i64,
    platform: bool,
    shop: Option<u8>,
    channel: Option<u8>,
    region: Option<u8>,
    /// (product, quantity, unit price)
    lines: Vec<(u8, i64, i64)>,
}

fn random_order() -> impl Strategy<Value = RandomOrder> {
    (
        (
            any::<bool>(),
            0u32..40,
            prop::option::of(0u8..6),
            0i64..50_000,
            0i64..3,
        ),
        (
            any::<bool>(),
            prop::option::of(0u8..3),
            prop::option::of(0u8..4),
            prop::option::of(0u8..5),
        ),
        prop::collection::vec((0u8..6, 0i64..4, 0i64..5_000), 0..4),
    )
        .prop_map(
            |(
                (paid, day, customer, amount, refund_kind),
                (platform, shop, channel, region),
                lines,
            )| {
                RandomOrder {
                    paid: paid || day % 3 != 0,
                    day,
                    customer,
                    amount,
                    refund: [0, amount / 3, amount][refund_kind as usize],
                    platform,
                    shop,
                    channel,
                    region,
                    lines,
                }
            },
        )
}

fn build(orders: &[RandomOrder]) -> Dataset {
    let mut ds = Dataset::default();
    let taobao = source(&mut ds, Platform::Taobao, DatasetKind::OrderLines);
    let shopify = source(&mut ds, Platform::Shopify, DatasetKind::OrderLines);
    for (i, r) in orders.iter().enumerate() {
        let id = format!("o{i}");
        let customer = r.customer.map(|c| format!("c{c}"));
        let shop = r.shop.map(|s| format!("shop{s}"));
        let channel = r.channel.map(|c| format!("ch{c}"));
        let region = r.region.map(|g| format!("r{g}"));
        let t = at(2025, 1, 1, 12, 0) + i64::from(r.day) * 86_400;
        let o = ds.add_order(&OrderRow {
            id: &id,
            customer: customer.as_deref(),
            created: Some(t),
            paid_at: r.paid.then_some(t),
            state: Some(if r.paid {
                PayState::Paid
            } else {
                PayState::Unpaid
            }),
            paid_amount: Some(r.amount),
            refund: Some(r.refund),
            source: if r.platform { shopify } else { taobao },
            shop: shop.as_deref(),
            channel: channel.as_deref(),
            region: region.as_deref(),
        });
        for &(p, quantity, price) in &r.lines {
            let key = format!("p{p}");
            // Products 0 and 1 have no category.
            let category = (p >= 2).then(|| format!("cat{}", p % 3));
            ds.add_line(
                o,
                &LineRow {
                    product_key: &key,
                    category: category.as_deref(),
                    quantity,
                    unit_price: Some(price),
                    ..LineRow::default()
                },
            );
        }
    }
    ds
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn groups_sum_to_the_naive_total(orders in prop::collection::vec(random_order(), 1..30)) {
        let ds = build(&orders);
        let paid: Vec<&RandomOrder> = orders.iter().filter(|o| o.paid).collect();
        let Ok(b) = compute(&ds, &BreakdownOptions { trend_groups: 2, ..BreakdownOptions::default() }) else {
            prop_assert!(paid.is_empty());
            return Ok(());
        };
        let gmv: i64 = paid.iter().map(|o| o.amount).sum();
        let refunds: i64 = paid.iter().map(|o| o.refund).sum();
        let units: i64 = paid.iter().flat_map(|o| o.lines.iter().map(|l| l.1)).sum();
        let buyers = paid.iter().filter_map(|o| o.customer).collect::<std::collections::BTreeSet<_>>();
        prop_assert_eq!(b.total.gmv, gmv);
        prop_assert_eq!(b.total.refunds, refunds);
        prop_assert_eq!(b.total.units, units);
        prop_assert_eq!(b.total.paid_orders, paid.len() as u64);
        if !buyers.is_empty() {
            prop_assert_eq!(b.total.buyers, Some(buyers.len() as u64));
        }
        for d in &b.dimensions {
            let sum = |f: fn(&Group) -> i64| d.groups.iter().map(f).sum::<i64>();
            prop_assert_eq!(sum(|g| g.kpi.gmv), gmv, "{:?}", d.dimension);
            prop_assert_eq!(sum(|g| g.kpi.refunds), refunds, "{:?}", d.dimension);
            prop_assert_eq!(sum(|g| g.kpi.units), units, "{:?}", d.dimension);
            let orders_sum: u64 = d.groups.iter().map(|g| g.kpi.paid_orders).sum();
            if d.orders_sum_to_total {
                prop_assert_eq!(orders_sum, paid.len() as u64, "{:?}", d.dimension);
            } else {
                prop_assert!(orders_sum >= paid.len() as u64);
            }
            // Every trend period sums to the period's GMV, orders and units.
            for trend in [&d.daily, &d.weekly, &d.monthly] {
                let trend_gmv: i64 = trend.series.iter().flat_map(|s| s.points.iter().map(|p| p.gmv)).sum();
                prop_assert_eq!(trend_gmv, gmv);
                prop_assert!(trend.series.len() <= 3);
            }
            // Naive per-group GMV for the order-level dimensions, by the group's name.
            let naive_key = |o: &RandomOrder| -> Option<String> {
                match d.dimension {
                    Dimension::Platform => Some(if o.platform { "shopify" } else { "taobao" }.to_string()),
                    Dimension::Shop => o.shop.map(|s| format!("shop{s}")),
                    Dimension::Channel => o.channel.map(|c| format!("ch{c}")),
                    Dimension::Region => o.region.map(|g| format!("r{g}")),
                    Dimension::CustomerType => o.customer.map(|c| {
                        let first = paid.iter().filter(|p| p.customer == Some(c)).map(|p| p.day).min().unwrap();
                        if o.day > first { "returning" } else { "new" }.to_string()
                    }),
                    Dimension::Category => None,
                }
            };
            if d.dimension.is_order_level() {
                for g in &d.groups {
                    let members: Vec<&&RandomOrder> = paid
                        .iter()
                        .filter(|o| naive_key(o) == (!g.unknown).then(|| g.name.clone()))
                        .collect();
                    prop_assert_eq!(g.kpi.gmv, members.iter().map(|o| o.amount).sum::<i64>());
                    // A drawn group's daily buyers: its distinct (customer, day) pairs.
                    let drawn = d.daily.series.iter().find(|s| {
                        !s.other && s.unknown == g.unknown && s.name == g.name
                    });
                    if let (Some(series), true) = (drawn, b.total.buyers.is_some()) {
                        let pairs = members
                            .iter()
                            .filter_map(|o| o.customer.map(|c| (c, o.day)))
                            .collect::<std::collections::BTreeSet<_>>();
                        let daily: u64 = series.points.iter().filter_map(|p| p.buyers).sum();
                        prop_assert_eq!(daily, pairs.len() as u64);
                    }
                    prop_assert_eq!(g.kpi.paid_orders, members.len() as u64);
                    if b.total.buyers.is_some() {
                        let distinct = members.iter().filter_map(|o| o.customer).collect::<std::collections::BTreeSet<_>>();
                        prop_assert_eq!(g.kpi.buyers, Some(distinct.len() as u64));
                        // Repeat buyers: customers with two or more paid orders in the group.
                        let repeat = distinct
                            .iter()
                            .filter(|&&c| members.iter().filter(|o| o.customer == Some(c)).count() >= 2)
                            .count();
                        prop_assert_eq!(
                            g.kpi.repurchase_rate,
                            crate::analysis::ratio(repeat as f64, distinct.len() as f64)
                        );
                    }
                }
            }
        }
    }
}

/// Without a channel column, the `utm_source` of Shopify's Landing Site is the channel; a landing
/// URL without one is unknown. 福建 and 福建省 in a province column are one group.
#[test]
fn landing_site_utm_source_and_province_variants() {
    const ORDERS: &str = "Name,Email,Financial Status,Paid at,Total,Created at,Lineitem quantity,Lineitem name,Shipping Province,Landing Site
#1,a@x.com,paid,2024-03-01 10:00:00,10.00,2024-03-01 09:00:00,1,Cap,福建,/products/cap?utm_source=Google&utm_medium=cpc
#2,b@x.com,paid,2024-03-02 10:00:00,20.00,2024-03-02 09:00:00,1,Cap,福建省,/?utm_source=google
#3,c@x.com,paid,2024-03-03 10:00:00,30.00,2024-03-03 09:00:00,2,Tee,广西,/products/tee
";
    let b = breakdowns_of(&[("orders_export.csv", ORDERS)]);
    let channel = b.dimension(Dimension::Channel).expect("channel");
    assert_eq!(
        rows(channel),
        vec![
            row("google", 3_000, 2, 2, 2, 0),
            row("?", 3_000, 1, 1, 2, 0)
        ]
    );
    let region = b.dimension(Dimension::Region).expect("region");
    assert_eq!(
        rows(region),
        // Equal GMV: by name (code point order).
        vec![
            row("广西壮族自治区", 3_000, 1, 1, 2, 0),
            row("福建省", 3_000, 2, 2, 2, 0)
        ]
    );
}
