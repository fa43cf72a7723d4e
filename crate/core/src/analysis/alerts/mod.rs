//! Smart alerts (智能预警): days whose GMV, paid orders, conversion rate or refund rate leave their
//! recent range, products about to run out of stock, and products refunded far more than the shop.
//!
//! A day is anomalous when its value leaves `median ± k · 1.4826 · MAD` of the `window_days` days
//! before it (a robust z-score: one big day does not widen the band for the next ones), where the
//! spread is floored when the history is flat: `scale = max(1.4826 · MAD, 5 % of |median|, one
//! unit, the day's sampling spread)` with one unit = ¥1, one order, 0.1 percentage point of
//! conversion, or 1 percentage point of refund rate. The sampling spread is what the day's own
//! sample size allows (a rate on six orders moves by sixths): √λ for paid orders (Poisson, λ the
//! trailing mean), mean GMV / √(mean orders) for GMV, √(p (1 − p) / n) for a rate measured on the
//! day's n orders or visitors (p the trailing window's pooled rate).
//!
//! Consecutive days of one metric moving the same way are one alert with its span. Every alert has
//! its money at stake (cents): the GMV away from the median, orders × AOV, excess refunds, lost
//! buyers × 客单价, days of stock short × daily revenue. Severity is calibrated on it: bad news
//! with a stake of at least a day of the shop's average GMV is critical, a quarter of it a warning;
//! everything else (good news included) is info. Alerts are ranked by severity, then stake.

mod product_refunds;
mod series;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::analysis::products::{ProductReport, ProductRow};
use crate::analysis::ratio;
use crate::model::Dataset;
use crate::time::format_day;

use series::{Anomaly, DailySeries};

/// Alert thresholds. Unknown fields are an error, missing ones take the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertOptions {
    /// Trailing days a day is compared with (default 28).
    pub window_days: usize,
    /// Band half-width in scaled MADs (default 3.0).
    pub mad_k: f64,
    /// Days with a value needed in the window before a day is tested (default 14).
    pub min_history_days: usize,
    /// Alert when a product's stock covers fewer days of sales than this (default 7).
    pub stock_cover_days: f64,
    /// Alert when a product's refund rate exceeds this multiple of the shop's (default 2.0).
    pub refund_rate_factor: f64,
    /// Paid orders a product (or a day, for the daily refund rate) needs before its refund rate is
    /// judged (default 5). A product is then flagged only when its refunded orders are unlikely
    /// under the shop's share for that many orders (binomial tail below the normal tail at
    /// `mad_k`, see `product_refunds`).
    pub min_orders_for_refund_alert: u64,
    /// Only days among the last this many days of the data raise daily alerts (default 90): an
    /// operator acts on this quarter, not on a spike two years ago.
    pub recent_days: usize,
}

impl Default for AlertOptions {
    fn default() -> Self {
        AlertOptions {
            window_days: 28,
            mad_k: 3.0,
            min_history_days: 14,
            stock_cover_days: 7.0,
            refund_rate_factor: 2.0,
            min_orders_for_refund_alert: 5,
            recent_days: 90,
        }
    }
}

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Daily GMV above its band.
    GmvSpike,
    /// Daily GMV below its band.
    GmvDrop,
    /// Daily paid orders above their band.
    OrdersSpike,
    /// Daily paid orders below their band.
    OrdersDrop,
    /// Daily conversion rate below its band.
    ConversionDrop,
    /// Daily conversion rate above its band.
    ConversionSpike,
    /// Daily refund rate above its band.
    RefundRateSpike,
    /// A product's stock covers fewer days than the threshold.
    LowStockCover,
    /// A product's refund rate is more than the factor × the shop's.
    HighProductRefundRate,
}

/// How much an alert matters, from its money at stake against the shop's average daily GMV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Good news, or bad news worth less than a quarter of a day's GMV.
    Info,
    /// Bad news worth at least a quarter of a day's average GMV.
    Warning,
    /// Bad news worth at least a whole day's average GMV: rare, and money.
    Critical,
}

impl Severity {
    /// `stake` cents of bad news (or good news, `bad = false`) in a shop selling `daily_gmv` a day.
    fn of(bad: bool, stake: f64, daily_gmv: f64) -> Severity {
        if !bad || daily_gmv <= 0.0 {
            Severity::Info
        } else if stake >= daily_gmv {
            Severity::Critical
        } else if stake >= 0.25 * daily_gmv {
            Severity::Warning
        } else {
            Severity::Info
        }
    }
}

impl AlertKind {
    /// Whether the alert is bad news (a spike in sales or conversion is good news).
    fn is_bad(self) -> bool {
        !matches!(
            self,
            AlertKind::GmvSpike | AlertKind::OrdersSpike | AlertKind::ConversionSpike
        )
    }
}

/// One alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// What happened.
    pub kind: AlertKind,
    /// How far past the threshold.
    pub severity: Severity,
    /// The day concerned (`YYYY-MM-DD`), the first of a span; for product alerts, the last day of
    /// the data they describe.
    pub day: Option<String>,
    /// The last day of a span of consecutive days (`None` for one day).
    pub until: Option<String>,
    /// Days the alert spans (1 for one day and for product alerts).
    pub days: u32,
    /// Money at stake, cents, in the report's currency: GMV away from the median (summed over the
    /// span), orders away × AOV, refunds above the usual rate, buyers lost or won × 客单价, days of
    /// cover short × daily revenue, refunds above the shop's rate.
    pub stake: i64,
    /// Product key, for product alerts.
    pub product: Option<String>,
    /// Observed value (the furthest day of a span): cents (GMV), orders, a fraction (conversion,
    /// refund rates) or days (stock cover).
    pub value: f64,
    /// What was expected, same unit: the trailing median; the stock-cover threshold; the shop's
    /// refund rate.
    pub expected: f64,
    /// Normal range `(low, high)`, same unit. Open-ended sides are `0` below and `+∞` above (JSON `null`).
    #[serde(with = "open_band")]
    pub band: (f64, f64),
    /// Distance: scaled MADs `(value − median) / scale` for daily metrics; `value / expected` for
    /// product alerts.
    pub deviation: f64,
    /// What the alert's sentence needs beyond the fields above, as data (the view words it:
    /// `crate::view::i18n::alerts`).
    pub detail: AlertDetail,
    /// Explanation in English: what, when, how far, against what. Written by the report from the
    /// fields above (`crate::view::i18n::alerts::write_messages`); empty as [`compute`] returns it.
    #[serde(default)]
    pub message_en: String,
    /// The same in Chinese.
    #[serde(default)]
    pub message_zh: String,
}

/// The parameters of an alert's sentence that its other fields do not hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertDetail {
    /// A daily metric outside its band.
    Daily {
        /// The day furthest from its median (of a span; the alert's `day` for one day), whose
        /// figures `value`, `expected`, `band` and `deviation` are.
        furthest_day: String,
        /// Days with a value in the window the day was compared with.
        history_days: usize,
        /// ISO code of the money figures (GMV), `""` when the data names none.
        currency: String,
    },
    /// A product refunded far more often than the shop (`value` its refund rate, `expected` the
    /// shop's, `deviation` the multiple).
    ProductRefund {
        /// The product's title, else its key.
        label: String,
        /// Paid orders of the product with a refund on its lines.
        refunded: u64,
        /// Paid orders of the product.
        orders: u64,
        /// P(at least `refunded` of `orders` refunded at the shop's share).
        chance: f64,
        /// The shop's share of refunded product-orders.
        shop_share: f64,
        /// The alert's multiple of the shop's refund rate (`AlertOptions::refund_rate_factor`).
        factor: f64,
    },
    /// A product whose stock runs out soon (`value` its days of cover, `expected` the threshold).
    LowStock {
        /// The product's title, else its key.
        label: String,
        /// Units in stock.
        stock: i64,
        /// Units sold in the recent window.
        recent_units: i64,
        /// The recent window, days.
        window_days: i64,
    },
}

/// The daily metrics tested, with their alert kinds and smallest meaningful step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Metric {
    Gmv,
    PaidOrders,
    Conversion,
    RefundRate,
}

impl Metric {
    /// The metric a daily alert is about (`None` for product alerts).
    pub(crate) fn of(kind: AlertKind) -> Option<Metric> {
        match kind {
            AlertKind::GmvSpike | AlertKind::GmvDrop => Some(Metric::Gmv),
            AlertKind::OrdersSpike | AlertKind::OrdersDrop => Some(Metric::PaidOrders),
            AlertKind::ConversionDrop | AlertKind::ConversionSpike => Some(Metric::Conversion),
            AlertKind::RefundRateSpike => Some(Metric::RefundRate),
            AlertKind::LowStockCover | AlertKind::HighProductRefundRate => None,
        }
    }

    /// Alert kinds for a move up and a move down (`None`: that direction is not alerted — a falling
    /// refund rate is good news).
    fn kinds(self) -> (Option<AlertKind>, Option<AlertKind>) {
        match self {
            Metric::Gmv => (Some(AlertKind::GmvSpike), Some(AlertKind::GmvDrop)),
            Metric::PaidOrders => (Some(AlertKind::OrdersSpike), Some(AlertKind::OrdersDrop)),
            Metric::Conversion => (
                Some(AlertKind::ConversionSpike),
                Some(AlertKind::ConversionDrop),
            ),
            Metric::RefundRate => (Some(AlertKind::RefundRateSpike), None),
        }
    }
    /// Floor of the band's spread when the history is flat: the smallest move worth a look.
    /// Conversion rates are small (often 1–5 %), hence a finer step than refund rates.
    fn unit_floor(self) -> f64 {
        match self {
            Metric::Gmv => 100.0,
            Metric::PaidOrders => 1.0,
            Metric::Conversion => 0.001,
            Metric::RefundRate => 0.01,
        }
    }
}

/// Computes every alert, sorted by day (latest first; product alerts carry the last day), then
/// severity (critical first), then kind and product key.
///
/// `products` enables the stock-cover and product refund-rate alerts.
pub fn compute(ds: &Dataset, products: Option<&ProductReport>, opts: &AlertOptions) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let currency = ds.currency_code();
    let order_series = series::order_series(ds, opts.min_orders_for_refund_alert, opts.window_days);
    let days = order_series.gmv.values.len();
    let daily_gmv = if days > 0 {
        order_series.gmv.values.iter().flatten().sum::<f64>() / days as f64
    } else {
        0.0
    };
    let mut daily = |metric: Metric, series: &DailySeries| {
        daily_alerts(metric, series, opts, &currency, daily_gmv, &mut alerts)
    };
    daily(Metric::Gmv, &order_series.gmv);
    daily(Metric::PaidOrders, &order_series.paid_orders);
    daily(Metric::RefundRate, &order_series.refund_rate);
    if let Some(conversion) = series::conversion_series(ds, opts.window_days) {
        daily(Metric::Conversion, &conversion);
    }
    if let Some(report) = products {
        product_alerts(ds, report, opts, daily_gmv, &mut alerts);
    }
    // Bad news before good, the most money first; then the latest, by kind and product.
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.stake.cmp(&a.stake))
            .then(b.day.cmp(&a.day))
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.product.cmp(&b.product))
    });
    alerts
}

fn daily_alerts(
    metric: Metric,
    series: &DailySeries,
    opts: &AlertOptions,
    currency: &str,
    daily_gmv: f64,
    out: &mut Vec<Alert>,
) {
    let (up, down) = metric.kinds();
    let kind_of = |a: &Anomaly| if a.deviation > 0.0 { up } else { down };
    let stake_of = |a: &Anomaly| {
        let per_unit = series.unit_value.get(a.index).copied().unwrap_or(0.0);
        (a.value - a.median).abs() * per_unit
    };
    let recent_from = series.values.len().saturating_sub(opts.recent_days);
    let anomalies: Vec<Anomaly> = series::detect(series, metric.unit_floor(), opts)
        .into_iter()
        .filter(|a| kind_of(a).is_some() && a.index >= recent_from)
        .collect();
    // Runs of consecutive days moving the same way are one alert.
    let mut start = 0;
    while start < anomalies.len() {
        let mut end = start + 1;
        while end < anomalies.len()
            && anomalies[end].index == anomalies[end - 1].index + 1
            && kind_of(&anomalies[end]) == kind_of(&anomalies[start])
        {
            end += 1;
        }
        let run = &anomalies[start..end];
        start = end;
        let Some(kind) = kind_of(&run[0]) else {
            continue;
        };
        let worst = run
            .iter()
            .max_by(|a, b| a.deviation.abs().total_cmp(&b.deviation.abs()))
            .unwrap_or(&run[0]);
        let stake: f64 = run.iter().map(stake_of).sum();
        let day_at = |a: &Anomaly| format_day(series.first_day + a.index as i32);
        let (first, last) = (day_at(&run[0]), day_at(&run[run.len() - 1]));
        let half_width = opts.mad_k * worst.scale;
        // Every metric is ≥ 0, so the band stops at 0.
        let band = (
            (worst.median - half_width).max(0.0),
            worst.median + half_width,
        );
        out.push(Alert {
            kind,
            severity: Severity::of(kind.is_bad(), stake, daily_gmv),
            day: Some(first.clone()),
            until: (run.len() > 1).then(|| last.clone()),
            days: run.len() as u32,
            stake: stake.round() as i64,
            product: None,
            value: worst.value,
            expected: worst.median,
            band,
            deviation: worst.deviation,
            detail: AlertDetail::Daily {
                furthest_day: day_at(worst),
                history_days: worst.history_days,
                currency: currency.to_string(),
            },
            message_en: String::new(),
            message_zh: String::new(),
        });
    }
}

fn product_alerts(
    ds: &Dataset,
    report: &ProductReport,
    opts: &AlertOptions,
    daily_gmv: f64,
    out: &mut Vec<Alert>,
) {
    let shop_refund_rate = ratio(report.total_refunds as f64, report.total_revenue as f64);
    // Refund alerts are count-aware (see `product_refunds`): counted once, only when refunds exist.
    let counts = shop_refund_rate
        .filter(|&r| r > 0.0)
        .map(|_| product_refunds::refund_counts(ds));
    for row in &report.products {
        let label = row.title.as_deref().unwrap_or(&row.key);
        if let Some(cover) = row.stock_cover_days.filter(|&c| c < opts.stock_cover_days) {
            out.push(low_stock_alert(report, row, label, cover, opts, daily_gmv));
        }
        let (Some(shop_rate), Some(counts)) = (shop_refund_rate.filter(|&r| r > 0.0), &counts)
        else {
            continue;
        };
        let Some(shop_share) = counts.shop_share else {
            continue;
        };
        let (n, k) = ds
            .products
            .get(&row.key)
            .and_then(|p| counts.per_product.get(p as usize).copied())
            .unwrap_or((0, 0));
        let limit = opts.refund_rate_factor * shop_rate;
        let judged = n >= opts.min_orders_for_refund_alert;
        let chance = product_refunds::binomial_tail(k, n, shop_share);
        let unlikely = chance < crate::analysis::stats::normal_sf(opts.mad_k);
        if let Some(rate) = row.refund_rate.filter(|&r| judged && unlikely && r > limit) {
            let times = rate / shop_rate;
            // Refunds above what the shop's rate would give on this product's revenue.
            let stake = (row.refunds as f64 - shop_rate * row.revenue as f64).max(0.0);
            out.push(Alert {
                kind: AlertKind::HighProductRefundRate,
                severity: Severity::of(true, stake, daily_gmv),
                day: Some(report.last_day.clone()),
                until: None,
                days: 1,
                stake: stake.round() as i64,
                product: Some(row.key.clone()),
                value: rate,
                expected: shop_rate,
                band: (0.0, limit),
                deviation: times,
                detail: AlertDetail::ProductRefund {
                    label: label.to_string(),
                    refunded: k,
                    orders: n,
                    chance,
                    shop_share,
                    factor: opts.refund_rate_factor,
                },
                message_en: String::new(),
                message_zh: String::new(),
            });
        }
    }
}

fn low_stock_alert(
    report: &ProductReport,
    row: &ProductRow,
    label: &str,
    cover: f64,
    opts: &AlertOptions,
    daily_gmv: f64,
) -> Alert {
    let threshold = opts.stock_cover_days;
    // The days short of the threshold, at the product's recent revenue per day.
    let daily_revenue = row.recent_revenue as f64 / report.growth_window_days.max(1) as f64;
    let stake = (threshold - cover).max(0.0) * daily_revenue;
    Alert {
        kind: AlertKind::LowStockCover,
        severity: Severity::of(true, stake, daily_gmv),
        day: Some(report.last_day.clone()),
        until: None,
        days: 1,
        stake: stake.round() as i64,
        product: Some(row.key.clone()),
        value: cover,
        expected: threshold,
        band: (threshold, f64::INFINITY),
        deviation: ratio(cover, threshold).unwrap_or(0.0),
        detail: AlertDetail::LowStock {
            label: label.to_string(),
            stock: row.stock.unwrap_or(0),
            recent_units: row.recent_units,
            window_days: report.growth_window_days,
        },
        message_en: String::new(),
        message_zh: String::new(),
    }
}

/// `(low, high)` as JSON `[low, high]` with an open side (`+∞`) written `null`, and read back.
mod open_band {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(band: &(f64, f64), s: S) -> Result<S::Ok, S::Error> {
        let side = |v: f64| v.is_finite().then_some(v);
        (side(band.0), side(band.1)).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<(f64, f64), D::Error> {
        let (low, high) = <(Option<f64>, Option<f64>)>::deserialize(d)?;
        Ok((low.unwrap_or(0.0), high.unwrap_or(f64::INFINITY)))
    }
}
