//! Alert messages in English and Chinese: what happened, when, how far, and against what.

use super::series::Anomaly;
use super::Metric;
use crate::money::format_cents;

impl Metric {
    fn name_en(self) -> &'static str {
        match self {
            Metric::Gmv => "GMV",
            Metric::PaidOrders => "Paid orders",
            Metric::Conversion => "Conversion rate",
            Metric::RefundRate => "Refund rate",
        }
    }
    fn name_zh(self) -> &'static str {
        match self {
            Metric::Gmv => "支付金额",
            Metric::PaidOrders => "支付订单数",
            Metric::Conversion => "支付转化率",
            Metric::RefundRate => "退款率",
        }
    }
    /// A value in the metric's unit, for people: money in `currency`, orders, or a percentage.
    fn format(self, value: f64, currency: &str) -> String {
        match self {
            Metric::Gmv => format_cents(value, currency),
            Metric::PaidOrders => count(value),
            Metric::Conversion | Metric::RefundRate => percent(value),
        }
    }
}

/// Message for a day outside its band; for a span of consecutive days (`first`, `last`, days), the
/// span and its furthest day.
pub(super) fn daily(
    metric: Metric,
    day: &str,
    span: Option<(&str, &str, usize)>,
    anomaly: &Anomaly,
    band: (f64, f64),
    currency: &str,
) -> (String, String) {
    let (en, zh) = one_day(metric, day, anomaly, band, currency);
    match span {
        None => (en, zh),
        Some((first, last, days)) => (
            format!(
                "{} outside its normal range for {days} days in a row, {first} to {last}. Furthest: {en}",
                metric.name_en()
            ),
            format!(
                "{}连续 {days} 天（{first} 至 {last}）超出正常区间。偏离最大的一天：{zh}",
                metric.name_zh()
            ),
        ),
    }
}

fn one_day(
    metric: Metric,
    day: &str,
    anomaly: &Anomaly,
    band: (f64, f64),
    currency: &str,
) -> (String, String) {
    let (deviation, history_days) = (anomaly.deviation, anomaly.history_days);
    let [value, median, low, high] =
        [anomaly.value, anomaly.median, band.0, band.1].map(|v| metric.format(v, currency));
    let distance = deviation.abs();
    let (above, higher) = if deviation > 0.0 {
        ("above", "高于")
    } else {
        ("below", "低于")
    };
    let en = format!(
        "{} on {day}: {value}, {distance:.1}σ {above} the median of the {history_days} \
         earlier days ({median}; normal range {low}–{high}).",
        metric.name_en()
    );
    let zh = format!(
        "{day} {}为 {value}，{higher}此前 {history_days} 天的中位数 {median}（正常区间 {low}–{high}），\
         偏离 {distance:.1}σ。",
        metric.name_zh()
    );
    (en, zh)
}

/// Message for a product refunded far more often than the shop.
/// The refunded-order count behind a product refund alert (see `super::product_refunds`).
pub(super) struct RefundCount {
    /// Paid orders of the product with a refund on its lines.
    pub refunded: u64,
    /// Paid orders of the product.
    pub orders: u64,
    /// P(at least `refunded` of `orders` at the shop's share).
    pub chance: f64,
    /// The shop's share of refunded product-orders.
    pub shop_share: f64,
}

pub(super) fn product_refund(
    label: &str,
    rate: f64,
    shop_rate: f64,
    times: f64,
    factor: f64,
    count: RefundCount,
) -> (String, String) {
    let (rate, shop_rate) = (percent(rate), percent(shop_rate));
    let RefundCount {
        refunded,
        orders,
        chance,
        shop_share,
    } = count;
    let shop_share = percent(shop_share);
    // How rare this many refunds would be at the shop's share.
    let (rarity_en, rarity_zh) = if chance < 1e-6 {
        (
            "less than once in a million".to_string(),
            "不到百万分之一".to_string(),
        )
    } else {
        let n = (1.0 / chance).round();
        (format!("about once in {n:.0}"), format!("约 {n:.0} 分之一"))
    };
    let en = format!(
        "{label}: refund rate {rate} is {times:.1}× the shop's {shop_rate} (alert above {factor}×); \
         {refunded} of its {orders} paid orders were refunded, which at the shop's {shop_share} of \
         orders refunded would happen by chance {rarity_en}."
    );
    let zh = format!(
        "{label}：退款率 {rate}，是店铺退款率 {shop_rate} 的 {times:.1} 倍（预警线 {factor} 倍）；\
         {orders} 笔支付订单中 {refunded} 笔退款，按店铺 {shop_share} 的订单退款比例，偶然出现的机会{rarity_zh}。"
    );
    (en, zh)
}

/// Message for a product whose stock runs out soon at its recent pace.
pub(super) fn low_stock(
    label: &str,
    stock: i64,
    cover_days: f64,
    recent_units: i64,
    window_days: i64,
    threshold: f64,
) -> (String, String) {
    let en = format!(
        "{label}: {stock} in stock covers {cover_days:.1} days at the pace of the last {window_days} \
         days ({recent_units} sold), under the {threshold}-day threshold."
    );
    let zh = format!(
        "{label}：库存 {stock} 件，按近 {window_days} 天销量（{recent_units} 件）可售 {cover_days:.1} 天，\
         低于 {threshold} 天预警线。"
    );
    (en, zh)
}

/// A count, with one decimal only when it is not whole (a median of an even number of days).
fn count(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

/// A fraction as a percentage with 2 decimals.
fn percent(fraction: f64) -> String {
    format!("{:.2}%", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(count(12.0), "12");
        assert_eq!(count(12.5), "12.5");
        assert_eq!(percent(0.0345), "3.45%");
    }
}
