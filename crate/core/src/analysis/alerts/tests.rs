//! Alerts on constructed series and a small product shop.

use super::*;
use crate::analysis::products::{self, ProductOptions};
use crate::model::{LineRow, OrderRow, PayState};
use crate::time::{days_from_civil, to_seconds, Day};

/// The alerts with their sentences, as the report carries them (`view::i18n::alerts` words them
/// from each alert's data).
fn compute(ds: &Dataset, products: Option<&ProductReport>, opts: &AlertOptions) -> Vec<Alert> {
    let mut alerts = super::compute(ds, products, opts);
    crate::view::i18n::alerts::write_messages(&mut alerts);
    alerts
}

/// 2024-01-01 + `day`, 10:00.
fn time_of(day: i64) -> i64 {
    to_seconds(2024, 1, 1, 10, 0, 0) + day * 86_400
}

/// Adds `count` paid orders of `cents` on `day`, each by a new customer, one line of `product`;
/// the first `refunded` of them are refunded `refund` cents each.
fn add_orders(
    ds: &mut Dataset,
    day: i64,
    count: usize,
    cents: i64,
    product: &str,
    refunded: usize,
    refund: i64,
) {
    for n in 0..count {
        let id = format!("d{day}-{product}-{n}");
        let customer = format!("{id}-buyer");
        let o = ds.add_order(&OrderRow {
            id: &id,
            customer: Some(&customer),
            paid_at: Some(time_of(day)),
            state: Some(PayState::Paid),
            paid_amount: Some(cents),
            refund: Some(if n < refunded { refund } else { 0 }),
            ..OrderRow::default()
        });
        ds.add_line(
            o,
            &LineRow {
                product_key: product,
                quantity: 1,
                amount: Some(cents),
                ..LineRow::default()
            },
        );
    }
}

/// A shop-level traffic row (no product) for `day`.
fn add_traffic(ds: &mut Dataset, day: i64, visitors: i64, buyers: Option<i64>) {
    let t = &mut ds.traffic;
    t.day.push(Some(days_from_civil(2024, 1, 1) + day as Day));
    t.product.push(None);
    t.visitors.push(Some(visitors));
    t.page_views.push(None);
    t.fav_users.push(None);
    t.cart_users.push(None);
    t.buyers.push(buyers);
    t.units.push(None);
    t.paid_amount.push(None);
}

/// 60 days from 2024-01-01 of ¥100 orders, `10 + day % 3` a day (10, 11, 12, …), with 1000 visitors
/// and as many traffic buyers as orders; day 40 (02-10) has 30 orders and day 50 (02-20) has none.
fn spike_and_drop() -> Dataset {
    // A shop in yuan (loaded files state their currency: `crate::currency`).
    let mut ds = Dataset {
        currency: Some("CNY".into()),
        ..Dataset::default()
    };
    for day in 0..60 {
        let orders = match day {
            40 => 30,
            50 => 0,
            _ => 10 + day % 3,
        };
        add_orders(&mut ds, day, orders as usize, 10_000, "TEA", 0, 0);
        add_traffic(&mut ds, day, 1000, Some(orders));
    }
    ds
}

#[test]
fn one_spike_and_one_drop() {
    let alerts = compute(&spike_and_drop(), None, &AlertOptions::default());
    let got: Vec<(AlertKind, &str, Severity)> = alerts
        .iter()
        .map(|a| (a.kind, a.day.as_deref().unwrap_or(""), a.severity))
        .collect();
    // Day 40's window (days 12–39) holds ten 10s, nine 11s and nine 12s: median 11, MAD 1 (scale
    // 1.4826), but the day's own sampling spread is wider: √(trailing mean 10.96) = 3.31 orders
    // (Poisson). 30 orders: (30 − 11) / 3.31 = 5.7 → a spike. GMV moves with orders: its spread is
    // the mean GMV / √(mean orders) = 109,643 / 3.31 = 33,118 cents; conversion is 30 / 1000 on
    // 1000 visitors, spread √(p (1 − p) / 1000) with p the pooled 0.01096.
    // Day 50 (no orders) is (0 − 11) / 3.4 = −3.2 below; 4 orders would be only −2.1 (a day of 4
    // where 11 are usual happens about once in 70 days: not a signal).
    // Severity: the drops put a day's GMV at stake (¥1,100 each way, the average day being
    // ¥1,113.33): warnings; the spikes are good news: info. Bad news first, then by stake.
    assert_eq!(
        got,
        [
            (AlertKind::GmvDrop, "2024-02-20", Severity::Warning),
            (AlertKind::OrdersDrop, "2024-02-20", Severity::Warning),
            (AlertKind::ConversionDrop, "2024-02-20", Severity::Warning),
            (AlertKind::GmvSpike, "2024-02-10", Severity::Info),
            (AlertKind::OrdersSpike, "2024-02-10", Severity::Info),
            (AlertKind::ConversionSpike, "2024-02-10", Severity::Info),
        ]
    );
    // Stakes: GMV away from the median; orders × AOV (¥100); conversion × 1000 visitors × 客单价 (¥100).
    let stakes: Vec<i64> = alerts.iter().map(|a| a.stake).collect();
    assert_eq!(
        stakes,
        [110_000, 110_000, 110_000, 190_000, 190_000, 190_000]
    );
    assert!(alerts.iter().all(|a| a.days == 1 && a.until.is_none()));

    let gmv_spike = &alerts[3];
    assert_eq!(
        (gmv_spike.value, gmv_spike.expected),
        (300_000.0, 110_000.0)
    );
    let mean_orders: f64 = (10.0 * 10.0 + 9.0 * 11.0 + 9.0 * 12.0) / 28.0;
    let scale = 10_000.0 * mean_orders / mean_orders.sqrt();
    assert!((gmv_spike.deviation - 190_000.0 / scale).abs() < 1e-9);
    assert!((gmv_spike.band.1 - (110_000.0 + 3.0 * scale)).abs() < 1e-6);
    assert_eq!(gmv_spike.product, None);
    assert!(gmv_spike
        .message_en
        .starts_with("GMV on 2024-02-10: ¥3,000.00, 5.7σ above the median of the 28 earlier days"));
    let orders_drop = &alerts[1];
    assert!(orders_drop
        .message_en
        .contains("Paid orders on 2024-02-20: 0, 3.2σ below the median"));
    let conversion_drop = &alerts[2];
    assert_eq!(conversion_drop.value, 0.0);
    assert!(conversion_drop
        .message_zh
        .starts_with("2024-02-20 支付转化率为 0.00%，低于"));
}

#[test]
fn consecutive_days_are_one_alert_with_its_span() {
    // 60 days of 20 ¥100 orders; days 45–47 have none (a shop closed for three days).
    let mut ds = Dataset::default();
    for day in 0..60 {
        let orders = if (45..48).contains(&day) { 0 } else { 20 };
        add_orders(&mut ds, day, orders, 10_000, "TEA", 0, 0);
    }
    let alerts = compute(&ds, None, &AlertOptions::default());
    let drops: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::GmvDrop)
        .collect();
    assert_eq!(drops.len(), 1, "{alerts:#?}");
    let drop = drops[0];
    assert_eq!(
        (drop.day.as_deref(), drop.until.as_deref(), drop.days),
        (Some("2024-02-15"), Some("2024-02-17"), 3)
    );
    // Three days of ¥2,000 lost: three days of GMV, critical.
    assert_eq!(drop.stake, 600_000);
    assert_eq!(drop.severity, Severity::Critical);
    assert!(drop.message_en.starts_with(
        "GMV outside its normal range for 3 days in a row, 2024-02-15 to 2024-02-17."
    ));
}

#[test]
fn refunds_on_a_handful_of_orders_are_not_a_signal_but_a_planted_spike_is() {
    // About six orders a day, with one full refund every few days (the shop's refund rate is
    // around 4 %): a day with one refund of six has a 17 % refund rate against a 0 % median.
    // Before the sampling floor, each such day was an alert.
    let mut quiet = Dataset::default();
    for day in 0..120 {
        let refunded = usize::from(day % 4 == 0);
        add_orders(&mut quiet, day, 6, 10_000, "TEA", refunded, 10_000);
    }
    let alerts = compute(&quiet, None, &AlertOptions::default());
    assert!(alerts.is_empty(), "{alerts:#?}");

    // The same shop with a day where 5 of its 6 orders are refunded: found.
    let mut planted = Dataset::default();
    for day in 0..120 {
        let refunded = if day == 100 {
            5
        } else {
            usize::from(day % 4 == 0)
        };
        add_orders(&mut planted, day, 6, 10_000, "TEA", refunded, 10_000);
    }
    let alerts = compute(&planted, None, &AlertOptions::default());
    let kinds: Vec<(AlertKind, Option<&str>)> =
        alerts.iter().map(|a| (a.kind, a.day.as_deref())).collect();
    assert_eq!(kinds, [(AlertKind::RefundRateSpike, Some("2024-04-10"))]);
}

#[test]
fn flat_series_raises_nothing() {
    let mut ds = Dataset::default();
    for day in 0..60 {
        add_orders(&mut ds, day, 8, 5_000, "TEA", 1, 500);
        add_traffic(&mut ds, day, 400, Some(8));
    }
    assert_eq!(compute(&ds, None, &AlertOptions::default()), Vec::new());
}

#[test]
fn short_history_is_not_judged() {
    // The spike sits on day 10, before 14 days of history exist.
    let mut ds = Dataset::default();
    for day in 0..20 {
        add_orders(
            &mut ds,
            day,
            if day == 10 { 50 } else { 10 },
            10_000,
            "TEA",
            0,
            0,
        );
    }
    assert_eq!(compute(&ds, None, &AlertOptions::default()), Vec::new());
}

#[test]
fn refund_rate_spike_on_a_flat_history() {
    // 30 days of 5 orders of ¥100, one refunded ¥10 a day: refund rate 1000 / 50000 = 2 % daily,
    // MAD 0 → scale floor max(5 % of 0.02, 0.01) = 0.01. Day 25 refunds 3 orders in full:
    // 30000 / 50000 = 60 %. The day's own spread is wider than the floor: a rate on 5 orders at the
    // pooled 2 %, √(0.02 × 0.98 / 5) = 0.0626; (0.60 − 0.02) / 0.0626 = 9.3 → a spike. At stake:
    // 0.58 × ¥500 = ¥290 of refunds, more than a quarter of the average day (¥500): a warning.
    let mut ds = Dataset::default();
    for day in 0..30 {
        let (refunded, refund) = if day == 25 { (3, 10_000) } else { (1, 1_000) };
        add_orders(&mut ds, day, 5, 10_000, "TEA", refunded, refund);
    }
    let alerts = compute(&ds, None, &AlertOptions::default());
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(
        (a.kind, a.severity, a.day.as_deref()),
        (
            AlertKind::RefundRateSpike,
            Severity::Warning,
            Some("2024-01-26")
        )
    );
    let spread = (0.02f64 * 0.98 / 5.0).sqrt();
    assert!((a.deviation - 0.58 / spread).abs() < 1e-9);
    assert_eq!(a.band.0, 0.0); // 0.02 − 3 × 0.0626 stops at 0.
    assert!((a.band.1 - (0.02 + 3.0 * spread)).abs() < 1e-12);
    assert_eq!(a.stake, 29_000);
}

#[test]
fn daily_refund_rate_needs_enough_orders_and_conversion_falls_back_to_order_buyers() {
    let mut ds = Dataset::default();
    add_orders(&mut ds, 0, 5, 1_000, "TEA", 1, 1_000);
    add_orders(&mut ds, 1, 4, 1_000, "TEA", 4, 1_000);
    add_orders(&mut ds, 3, 6, 1_000, "TEA", 0, 0);
    let s = series::order_series(&ds, 5, 28);
    assert_eq!(s.gmv.first_day, days_from_civil(2024, 1, 1));
    // Day 2 has no orders: GMV 0, orders 0, refund rate undefined; day 1 has only 4 orders.
    assert_eq!(
        s.gmv.values,
        [Some(5000.0), Some(4000.0), Some(0.0), Some(6000.0)]
    );
    assert_eq!(
        s.paid_orders.values,
        [Some(5.0), Some(4.0), Some(0.0), Some(6.0)]
    );
    assert_eq!(s.refund_rate.values, [Some(0.2), None, None, Some(0.0)]);
    // The sampling floors: Poisson √(trailing mean orders) — day 3's window is days 0–2, a mean
    // of 3 orders; a rate on the day's orders at the window's pooled refund rate (day 3: 5000 /
    // 9000 of GMV refunded, 6 orders).
    assert!((s.paid_orders.sampling_sd[3] - 3f64.sqrt()).abs() < 1e-12);
    let p = 5_000.0 / 9_000.0;
    assert!((s.refund_rate.sampling_sd[3] - (p * (1.0 - p) / 6.0_f64).sqrt()).abs() < 1e-12);
    assert_eq!(s.refund_rate.sampling_sd[0], 0.0); // no history: no pooled rate
                                                   // GMV: trailing mean GMV (3000) / √(trailing mean orders, 3).
    assert!((s.gmv.sampling_sd[3] - 3_000.0 / 3f64.sqrt()).abs() < 1e-9);

    // Traffic without a buyers column: distinct paying customers of the day / visitors.
    add_traffic(&mut ds, 0, 100, None);
    add_traffic(&mut ds, 1, 200, None);
    add_traffic(&mut ds, 3, 0, None);
    let c = series::conversion_series(&ds, 28).expect("visitors and customer ids");
    // 5 / 100; 4 / 200; no row on day 2; 0 visitors on day 3.
    assert_eq!(c.values, [Some(0.05), Some(0.02), None, None]);
}

/// 24 days in March, one ¥100 order a day: A 14 orders, B 6 (4 refunded in full), C 4 (3 refunded).
/// Stock: A 3, B 0, C 100.
fn product_shop() -> Dataset {
    let mut ds = Dataset::default();
    let start = i64::from(days_from_civil(2024, 3, 1) - days_from_civil(2024, 1, 1));
    let mut plan = vec![("A", false); 14];
    plan.extend([("B", true); 4]);
    plan.extend([("B", false); 2]);
    plan.extend([("C", true); 3]);
    plan.push(("C", false));
    for (i, &(product, refunded)) in plan.iter().enumerate() {
        add_orders(
            &mut ds,
            start + i as i64,
            1,
            10_000,
            product,
            usize::from(refunded),
            10_000,
        );
    }
    let id = |ds: &Dataset, key: &str| {
        ds.products
            .get(key)
            .map(|p| p as usize)
            .unwrap_or(usize::MAX)
    };
    let (a, b, c) = (id(&ds, "A"), id(&ds, "B"), id(&ds, "C"));
    ds.product_info[a].stock = Some(3);
    ds.product_info[b].stock = Some(0);
    ds.product_info[c].stock = Some(100);
    ds
}

#[test]
fn product_stock_and_refund_alerts() {
    let ds = product_shop();
    let report = products::compute(&ds, &ProductOptions::default(), &[]).expect("paid lines");
    let alerts = compute(&ds, Some(&report), &AlertOptions::default());
    let got: Vec<(AlertKind, Option<&str>, Severity)> = alerts
        .iter()
        .map(|a| (a.kind, a.product.as_deref(), a.severity))
        .collect();
    // Shop refund rate 7 × 10000 / 240000 = 0.29167; the average day sells ¥100 (24 days).
    // A: 3 × 30 / 14 = 6.43 days < 7: 0.57 days short × ¥46.67 a day (¥1,400 in 30 days) = ¥26.67
    // at stake → warning. B: stock 0 → 7 days short × ¥20 a day = ¥140 → critical.
    // B refunds 40000 / 60000 = 0.667 = 2.29 × shop > 2 ×, but 4 refunded of 6 orders is no signal
    // against the shop's 7 of 24: P(K ≥ 4 | 6, 7/24) = 0.063, far above 1 − Φ(3) = 0.00135
    // (count-aware, issue 17; `product_refund_alerts_are_count_aware` plants one that is).
    // C: 0.75 = 2.57 × shop, but 4 paid orders < 5 → not judged; 100 × 30 / 4 = 750 days of cover.
    assert_eq!(
        got,
        [
            (AlertKind::LowStockCover, Some("B"), Severity::Critical),
            (AlertKind::LowStockCover, Some("A"), Severity::Warning),
        ]
    );
    let stakes: Vec<i64> = alerts.iter().map(|a| a.stake).collect();
    assert_eq!(stakes, [14_000, 2_667]);
    assert!(alerts
        .iter()
        .all(|a| a.day.as_deref() == Some("2024-03-24")));
    // With a looser band (z = 1) the same 4 of 6 is judged, as before: the rate and the message.
    let loose = AlertOptions {
        mad_k: 1.0,
        ..AlertOptions::default()
    };
    let b_refund = compute(&ds, Some(&report), &loose)
        .into_iter()
        .find(|a| a.kind == AlertKind::HighProductRefundRate)
        .expect("judged at z = 1");
    assert_eq!(b_refund.product.as_deref(), Some("B"));

    let a_stock = &alerts[1];
    assert!((a_stock.value - 90.0 / 14.0).abs() < 1e-12);
    assert_eq!(
        (a_stock.expected, a_stock.band),
        (7.0, (7.0, f64::INFINITY))
    );
    assert_eq!(
        a_stock.message_en,
        "A: 3 in stock covers 6.4 days at the pace of the last 30 days (14 sold), under the 7-day threshold."
    );
    assert_eq!(
        a_stock.message_zh,
        "A：库存 3 件，按近 30 天销量（14 件）可售 6.4 天，低于 7 天预警线。"
    );

    let shop_rate = 70_000.0 / 240_000.0;
    assert!((b_refund.value - 40_000.0 / 60_000.0).abs() < 1e-12);
    assert!((b_refund.expected - shop_rate).abs() < 1e-12);
    assert!((b_refund.deviation - (40_000.0 / 60_000.0) / shop_rate).abs() < 1e-9);
    // 4 or more of 6 at the shop's 7 of 24: 15·p⁴q² + 6·p⁵q + p⁶ = 0.06312, once in 16; at z = 1 the
    // bar is 1 − Φ(1) = 0.1587.
    assert_eq!(
        b_refund.message_en,
        "B: refund rate 66.67% is 2.3× the shop's 29.17% (alert above 2×); 4 of its 6 paid orders \
         were refunded, which at the shop's 29.17% of orders refunded would happen by chance about \
         once in 16."
    );
    assert_eq!(
        b_refund.message_zh,
        "B：退款率 66.67%，是店铺退款率 29.17% 的 2.3 倍（预警线 2 倍）；6 笔支付订单中 4 笔退款，\
         按店铺 29.17% 的订单退款比例，偶然出现的机会约 16 分之一。"
    );
    // ¥400 − 0.29167 × ¥600 = ¥225 above the shop's rate → critical.
    assert_eq!(
        (b_refund.stake, b_refund.severity),
        (22_500, Severity::Critical)
    );
    // The infinite upper band serialises as JSON null.
    let json = serde_json::to_value(a_stock).expect("serialisable");
    assert_eq!(json["band"], serde_json::json!([7.0, null]));
    assert_eq!(json["kind"], "low_stock_cover");
}

#[test]
fn options_reject_unknown_fields_and_default_missing_ones() {
    let opts: AlertOptions = serde_json::from_str(r#"{"mad_k": 2.5}"#).expect("partial options");
    assert_eq!(
        (
            opts.mad_k,
            opts.window_days,
            opts.min_orders_for_refund_alert
        ),
        (2.5, 28, 5)
    );
    assert!(serde_json::from_str::<AlertOptions>(r#"{"window": 7}"#).is_err());
}

#[test]
fn empty_dataset_and_odd_options_do_not_panic() {
    assert!(compute(&Dataset::default(), None, &AlertOptions::default()).is_empty());
    let odd = AlertOptions {
        window_days: 0,
        mad_k: -1.0,
        min_history_days: 0,
        stock_cover_days: f64::NAN,
        refund_rate_factor: 0.0,
        min_orders_for_refund_alert: 0,
        recent_days: 0,
    };
    let ds = spike_and_drop();
    // Window 0: no history, so no daily alert whatever k says.
    assert!(compute(&ds, None, &odd).is_empty());
    // A NaN stock threshold compares false (no stock alert); a 0 refund factor flags every refunded
    // product, infinitely far → critical.
    let shop = product_shop();
    let report = products::compute(&shop, &ProductOptions::default(), &[]).expect("paid lines");
    let alerts = compute(&shop, Some(&report), &odd);
    let kinds: Vec<(AlertKind, Severity)> = alerts.iter().map(|a| (a.kind, a.severity)).collect();
    assert_eq!(
        kinds,
        [(AlertKind::HighProductRefundRate, Severity::Critical); 2]
    );
}

/// 40 days, ten products A…J of 4 orders a day each (¥100, 1,600 orders); the shop refunds 1 order in
/// 25 on every product. Planted: product P, 1 order a day for 40 days, 12 of them refunded.
fn refund_shop(plant: bool) -> Dataset {
    let mut ds = Dataset::default();
    for day in 0..40 {
        for (i, product) in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
            .iter()
            .enumerate()
        {
            // One refund every 25 orders of each product, spread over the days.
            let refunded = usize::from((day * 4 + i as i64) % 25 < 4);
            add_orders(&mut ds, day, 4, 10_000, product, refunded, 10_000);
        }
        if plant {
            add_orders(
                &mut ds,
                day,
                1,
                10_000,
                "P",
                usize::from(day % 10 < 3),
                10_000,
            );
        }
    }
    ds
}

#[test]
fn product_refund_alerts_are_count_aware() {
    let refund_alerts = |ds: &Dataset| {
        let report = products::compute(ds, &ProductOptions::default(), &[]).expect("paid lines");
        compute(ds, Some(&report), &AlertOptions::default())
            .into_iter()
            .filter(|a| a.kind == AlertKind::HighProductRefundRate)
            .collect::<Vec<_>>()
    };
    // A quiet shop: every product near the shop's rate raises nothing.
    assert!(refund_alerts(&refund_shop(false)).is_empty());
    // The planted product: 12 of 40 refunded (30 %) against the shop's 76 of 1,640 (4.6 %):
    // P(K ≥ 12 | 40, 0.046) = 1.6e-7, far below 0.00135: found.
    let ds = refund_shop(true);
    let found = refund_alerts(&ds);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].product.as_deref(), Some("P"));
    assert!(found[0]
        .message_en
        .contains("12 of its 40 paid orders were refunded"));
    assert!(found[0].message_zh.contains("40 笔支付订单中 12 笔退款"));
    // A high rate on a handful of orders is no signal: 1 of 5 refunded (20 %, 5× the shop's):
    // P(K ≥ 1 | 5, 0.04) = 1 − 0.96⁵ = 0.185.
    let mut small = refund_shop(false);
    for day in 0..5 {
        add_orders(
            &mut small,
            day,
            1,
            10_000,
            "P",
            usize::from(day == 0),
            10_000,
        );
    }
    assert!(refund_alerts(&small).is_empty());
}
