//! Alert sentences in zh-CN and English, worded from an alert's kind and data: what happened, when,
//! how far, and against what. The analysis (`crate::analysis::alerts`) finds the alerts and keeps
//! their figures; only this module writes words.

use crate::analysis::alerts::{Alert, AlertDetail, Metric};
use crate::money::format_cents;
use crate::view::fmt::Lang;

impl Metric {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Metric::Gmv, Lang::En) => "GMV",
            (Metric::PaidOrders, Lang::En) => "Paid orders",
            (Metric::Conversion, Lang::En) => "Conversion rate",
            (Metric::RefundRate, Lang::En) => "Refund rate",
            (Metric::Gmv, Lang::Zh) => "支付金额",
            (Metric::PaidOrders, Lang::Zh) => "支付订单数",
            (Metric::Conversion, Lang::Zh) => "支付转化率",
            (Metric::RefundRate, Lang::Zh) => "退款率",
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

/// The sentence of `alert` in `lang`.
pub fn message(alert: &Alert, lang: Lang) -> String {
    match &alert.detail {
        AlertDetail::Daily {
            furthest_day,
            history_days,
            currency,
        } => {
            // A daily detail comes with a daily kind; a hand-made report that pairs them
            // otherwise is worded as GMV rather than refused.
            let metric = Metric::of(alert.kind).unwrap_or(Metric::Gmv);
            daily(alert, metric, furthest_day, *history_days, currency, lang)
        }
        AlertDetail::ProductRefund {
            label,
            refunded,
            orders,
            chance,
            shop_share,
            factor,
        } => product_refund(
            label,
            alert,
            *factor,
            RefundCount {
                refunded: *refunded,
                orders: *orders,
                chance: *chance,
                shop_share: *shop_share,
            },
            lang,
        ),
        AlertDetail::LowStock {
            label,
            stock,
            recent_units,
            window_days,
        } => low_stock(
            label,
            *stock,
            alert.value,
            *recent_units,
            *window_days,
            alert.expected,
            lang,
        ),
    }
}

/// Writes each alert's `message_en` and `message_zh` (the report's JSON carries both, for callers
/// of the package).
pub fn write_messages(alerts: &mut [Alert]) {
    for alert in alerts {
        alert.message_en = message(alert, Lang::En);
        alert.message_zh = message(alert, Lang::Zh);
    }
}

/// Message for a day outside its band; for a span of consecutive days (`day`, `until`, days), the
/// span and its furthest day.
fn daily(
    alert: &Alert,
    metric: Metric,
    furthest_day: &str,
    history_days: usize,
    currency: &str,
    lang: Lang,
) -> String {
    let one = one_day(alert, metric, furthest_day, history_days, currency, lang);
    let (Some(first), Some(last)) = (alert.day.as_deref(), alert.until.as_deref()) else {
        return one;
    };
    let days = alert.days;
    match lang {
        Lang::En => format!(
            "{} outside its normal range for {days} days in a row, {first} to {last}. Furthest: {one}",
            metric.name(lang)
        ),
        Lang::Zh => format!(
            "{}连续 {days} 天（{first} 至 {last}）超出正常区间。偏离最大的一天：{one}",
            metric.name(lang)
        ),
    }
}

fn one_day(
    alert: &Alert,
    metric: Metric,
    day: &str,
    history_days: usize,
    currency: &str,
    lang: Lang,
) -> String {
    let deviation = alert.deviation;
    let [value, median, low, high] = [alert.value, alert.expected, alert.band.0, alert.band.1]
        .map(|v| metric.format(v, currency));
    let distance = deviation.abs();
    let up = deviation > 0.0;
    match lang {
        Lang::En => format!(
            "{} on {day}: {value}, {distance:.1}σ {} the median of the {history_days} \
             earlier days ({median}; normal range {low}–{high}).",
            metric.name(lang),
            if up { "above" } else { "below" }
        ),
        Lang::Zh => format!(
            "{day} {}为 {value}，{}此前 {history_days} 天的中位数 {median}（正常区间 {low}–{high}），\
             偏离 {distance:.1}σ。",
            metric.name(lang),
            if up { "高于" } else { "低于" }
        ),
    }
}

/// The refunded-order count behind a product refund alert (see `analysis::alerts::product_refunds`).
struct RefundCount {
    refunded: u64,
    orders: u64,
    chance: f64,
    shop_share: f64,
}

/// Message for a product refunded far more often than the shop: `alert.value` its refund rate,
/// `alert.expected` the shop's, `alert.deviation` the multiple.
fn product_refund(
    label: &str,
    alert: &Alert,
    factor: f64,
    count: RefundCount,
    lang: Lang,
) -> String {
    let (rate, shop_rate, times) = (
        percent(alert.value),
        percent(alert.expected),
        alert.deviation,
    );
    let RefundCount {
        refunded,
        orders,
        chance,
        shop_share,
    } = count;
    let shop_share = percent(shop_share);
    // How rare this many refunds would be at the shop's share.
    let n = (1.0 / chance).round();
    match lang {
        Lang::En => {
            let rarity = if chance < 1e-6 {
                "less than once in a million".to_string()
            } else {
                format!("about once in {n:.0}")
            };
            format!(
                "{label}: refund rate {rate} is {times:.1}× the shop's {shop_rate} (alert above {factor}×); \
                 {refunded} of its {orders} paid orders were refunded, which at the shop's {shop_share} of \
                 orders refunded would happen by chance {rarity}."
            )
        }
        Lang::Zh => {
            let rarity = if chance < 1e-6 {
                "不到百万分之一".to_string()
            } else {
                format!("约 {n:.0} 分之一")
            };
            format!(
                "{label}：退款率 {rate}，是店铺退款率 {shop_rate} 的 {times:.1} 倍（预警线 {factor} 倍）；\
                 {orders} 笔支付订单中 {refunded} 笔退款，按店铺 {shop_share} 的订单退款比例，偶然出现的机会{rarity}。"
            )
        }
    }
}

/// Message for a product whose stock runs out soon at its recent pace.
fn low_stock(
    label: &str,
    stock: i64,
    cover_days: f64,
    recent_units: i64,
    window_days: i64,
    threshold: f64,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "{label}: {stock} in stock covers {cover_days:.1} days at the pace of the last {window_days} \
             days ({recent_units} sold), under the {threshold}-day threshold."
        ),
        Lang::Zh => format!(
            "{label}：库存 {stock} 件，按近 {window_days} 天销量（{recent_units} 件）可售 {cover_days:.1} 天，\
             低于 {threshold} 天预警线。"
        ),
    }
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
