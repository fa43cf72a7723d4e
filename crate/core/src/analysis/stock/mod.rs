//! Stock and replenishment (库存周转), DEFINITIONS §8: per product the daily demand of the last 28
//! days and its spread, days of cover, sell-through, reorder point and suggested order quantity.
//!
//! Decisions where the definition leaves room (also in the report's docs):
//! - **The window** is the last `window_days` (28) calendar days ending on the last day with a paid
//!   order that has line items, but it never starts before the first such day: "the last 28 days *of
//!   the data*". A shop with 10 days of orders has a 10-day window (`window.days`), not 18 invented
//!   zero days. Days inside the window without sales count as 0.
//! - **σ** is the sample standard deviation (n − 1) of the daily units; with a one-day window no spread
//!   can be measured and σ is 0 (the report's `window.days` = 1 says so, and the view warns).
//! - **z** = Φ⁻¹(service level) rounded to 3 decimals, as printed in the z tables the definition quotes:
//!   exactly 1.645 at 95 %, 1.282 at 90 %, 2.326 at 99 %.
//! - **Days of cover** and **sell-through** need a stock figure; days of cover is undefined ("no recent
//!   sales") when d ≤ 0.
//! - **Suggested order** = max(0, ⌈reorder point + d·R − stock⌉); a value within 1e-9 of a whole
//!   number is that number before the ceiling (floating-point noise such as 3.0000000000000004 must
//!   not order one more unit).
//! - **At risk**: stock is known, d > 0 and stock ≤ reorder point (it is time to reorder). The report
//!   lists these first, by days of cover ascending.
//! - **Which products**: every product with a stock figure, and every product on a paid order's lines
//!   inside the window; those without stock carry their demand only.
//! - Options out of range are clamped: lead time and review period to ≥ 0 days, service level to
//!   [0.5, 0.9999], window to ≥ 1 day.

#[cfg(test)]
mod tests;

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::products::allocate_cents;
use crate::analysis::stats::normal_quantile;
use crate::analysis::Unavailable;
use crate::model::Dataset;
use crate::time::{day_of, format_day, Day};

/// Options of the stock analysis. Unknown fields are an error, missing ones take the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StockOptions {
    /// Supplier lead time L, days (default 7).
    pub lead_time_days: f64,
    /// Service level (default 0.95); z = Φ⁻¹(level) rounded to 3 decimals (1.645 at 0.95).
    pub service_level: f64,
    /// Review period R, days between two purchase orders (default 14).
    pub review_days: f64,
    /// Demand window, days (default 28), ending on the last paid order date.
    pub window_days: u32,
}

impl Default for StockOptions {
    fn default() -> Self {
        StockOptions {
            lead_time_days: 7.0,
            service_level: 0.95,
            review_days: 14.0,
            window_days: 28,
        }
    }
}

impl StockOptions {
    /// The options as used: out-of-range values clamped (see the module docs).
    pub fn clamped(&self) -> StockOptions {
        let finite_or = |v: f64, d: f64| if v.is_finite() { v } else { d };
        StockOptions {
            lead_time_days: finite_or(self.lead_time_days, 7.0).max(0.0),
            service_level: finite_or(self.service_level, 0.95).clamp(0.5, 0.9999),
            review_days: finite_or(self.review_days, 14.0).max(0.0),
            window_days: self.window_days.max(1),
        }
    }
}

/// z for a service level: Φ⁻¹(level) rounded to 3 decimals, as z tables print it (1.645 at 0.95).
pub fn service_z(service_level: f64) -> f64 {
    (normal_quantile(service_level) * 1000.0).round() / 1000.0
}

/// The demand window actually used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockWindow {
    /// First day, `YYYY-MM-DD`.
    pub first_day: String,
    /// Last day (the last paid order date with line items), `YYYY-MM-DD`.
    pub last_day: String,
    /// Number of days n (≤ `window_days`; fewer when the data is shorter).
    pub days: u32,
    /// First day as a day number (days since 1970-01-01), for the chart's forecast axis.
    #[serde(skip)]
    pub first: Day,
}

/// One product's stock figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockRow {
    /// Interned product key (`Dataset::products`); not serialised (meaningful only in the dataset).
    #[serde(skip)]
    pub product: u32,
    /// Product key: SKU / 商家编码 / product id, else the title.
    pub key: String,
    /// Product title, where an export gives one.
    pub title: Option<String>,
    /// Units of paid orders in the window.
    pub units: i64,
    /// Units per day of the window, oldest first (`window.days` entries).
    pub daily_units: Vec<i64>,
    /// d: mean units per day over the window.
    pub daily_demand: f64,
    /// σ: sample standard deviation of the daily units (n − 1); 0 with a one-day window.
    pub sigma: f64,
    /// Units on hand, where a SKU/stock export gives them.
    pub stock: Option<i64>,
    /// stock / d; `None` without stock or when d ≤ 0 ("no recent sales").
    pub days_of_cover: Option<f64>,
    /// units / (units + stock) over the window; `None` without stock or when that sum is 0.
    pub sell_through: Option<f64>,
    /// d·L + z·σ·√L; `None` without stock (demand-only products).
    pub reorder_point: Option<f64>,
    /// max(0, ⌈reorder point + d·R − stock⌉); `None` without stock.
    pub suggested_order: Option<i64>,
    /// Revenue of the window per day, cents per day (each paid order's amount allocated to its lines,
    /// DEFINITIONS §6), for the money at stake of a restock.
    pub daily_revenue: f64,
    /// Stock known, d > 0 and stock ≤ reorder point.
    pub at_risk: bool,
}

/// The stock section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockReport {
    /// Lead time L used, days.
    pub lead_time_days: f64,
    /// Service level used.
    pub service_level: f64,
    /// z used for the service level.
    pub z: f64,
    /// Review period R used, days.
    pub review_days: f64,
    /// Demand window asked for, days.
    pub window_days: u32,
    /// The window actually used.
    pub window: StockWindow,
    /// Products with a stock figure.
    pub with_stock: usize,
    /// Products at risk.
    pub at_risk: usize,
    /// Rows: at-risk first (by days of cover ascending), then the others with stock (by days of cover
    /// ascending, undefined last), then demand-only products; ties by daily demand descending, key.
    pub products: Vec<StockRow>,
}

/// Computes the stock report (DEFINITIONS §8).
///
/// Errors: `no_order_lines` without line items; `no_paid_orders` when no paid order has line items;
/// `no_stock` when no product has a stock figure (no SKU/stock export loaded, or none with a stock
/// column).
pub fn compute(ds: &Dataset, opts: &StockOptions) -> Result<StockReport, Unavailable> {
    let opts = opts.clamped();
    if ds.lines.is_empty() {
        return Err(Unavailable::new(
            UnavailableCode::NoOrderLines,
            "an order export with line items (宝贝报表 / Lineitem rows: product, quantity), beside a \
             SKU/stock export",
        ));
    }
    let has_stock = |p: usize| ds.product_info.get(p).and_then(|i| i.stock).is_some();
    if !(0..ds.products.len()).any(has_stock) {
        return Err(Unavailable::new(
            UnavailableCode::NoStock,
            "a SKU/stock export (商品资料 / 库存: 商家编码 + 可用库存, Shopify inventory) beside the orders",
        ));
    }
    let lines_by_order = ds.lines_by_order();
    let orders = &ds.orders;
    let paid_days = (0..orders.len())
        .filter(|&o| orders.is_paid(o) && !lines_by_order.get(o).is_empty())
        .map(|o| day_of(orders.time[o]));
    let Some((first_data_day, last_day)) = paid_days.fold(None, |acc: Option<(Day, Day)>, d| {
        Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
    }) else {
        return Err(Unavailable::new(
            UnavailableCode::NoPaidOrders,
            "paid orders with line items (a payment time or a paid status)",
        ));
    };
    let asked = i64::from(opts.window_days);
    let first = (i64::from(last_day) - asked + 1).max(i64::from(first_data_day)) as Day;
    let n = (last_day - first + 1) as usize;

    // Units per (product, day) and revenue per product, over paid orders inside the window.
    let products = ds.products.len();
    let mut daily = vec![0i64; products * n];
    let mut revenue = vec![0i64; products];
    let mut sold = vec![false; products];
    let mut weights = Vec::new();
    for o in 0..orders.len() {
        let day = day_of(orders.time[o]);
        let lines = lines_by_order.get(o);
        if !orders.is_paid(o) || lines.is_empty() || day < first || day > last_day {
            continue;
        }
        weights.clear();
        weights.extend(
            lines
                .iter()
                .map(|&l| ds.lines.value(l as usize).unwrap_or(0)),
        );
        let shares = allocate_cents(orders.paid_amount[o], &weights);
        let d = (day - first) as usize;
        for (k, &l) in lines.iter().enumerate() {
            let p = ds.lines.product[l as usize] as usize;
            let cell = &mut daily[p * n + d];
            *cell = cell.saturating_add(ds.lines.quantity[l as usize]);
            revenue[p] = revenue[p].saturating_add(shares[k]);
            sold[p] = true;
        }
    }

    let z = service_z(opts.service_level);
    let mut rows: Vec<StockRow> = (0..products)
        .filter(|&p| sold[p] || has_stock(p))
        .map(|p| {
            let days = &daily[p * n..(p + 1) * n];
            let info = ds.product_info.get(p);
            let stock = info.and_then(|i| i.stock);
            row(
                p as u32,
                ds.products.name(p as u32),
                info.and_then(|i| i.title.clone()),
                days,
                stock,
                revenue[p],
                &opts,
                z,
            )
        })
        .collect();
    rows.sort_by(order_rows);
    Ok(StockReport {
        lead_time_days: opts.lead_time_days,
        service_level: opts.service_level,
        z,
        review_days: opts.review_days,
        window_days: opts.window_days,
        window: StockWindow {
            first_day: format_day(first),
            last_day: format_day(last_day),
            days: n as u32,
            first,
        },
        with_stock: rows.iter().filter(|r| r.stock.is_some()).count(),
        at_risk: rows.iter().filter(|r| r.at_risk).count(),
        products: rows,
    })
}

/// Mean and sample standard deviation (n − 1; 0 when n = 1) of daily units.
pub fn demand_and_sigma(days: &[i64]) -> (f64, f64) {
    let n = days.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let total: i128 = days.iter().map(|&u| i128::from(u)).sum();
    let mean = total as f64 / n as f64;
    if n == 1 {
        return (mean, 0.0);
    }
    let ss: f64 = days.iter().map(|&u| (u as f64 - mean).powi(2)).sum();
    (mean, (ss / (n - 1) as f64).sqrt())
}

/// ⌈x⌉, treating a value within 1e-9 of a whole number as that number.
fn ceil_tolerant(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() <= 1e-9 {
        r
    } else {
        x.ceil()
    }
}

/// One product's row from its daily units in the window.
#[allow(clippy::too_many_arguments)]
fn row(
    product: u32,
    key: &str,
    title: Option<String>,
    days: &[i64],
    stock: Option<i64>,
    revenue: i64,
    opts: &StockOptions,
    z: f64,
) -> StockRow {
    let n = days.len();
    let units: i64 = days.iter().fold(0i64, |s, &u| s.saturating_add(u));
    let (d, sigma) = demand_and_sigma(days);
    let l = opts.lead_time_days;
    let reorder_point = stock.map(|_| d * l + z * sigma * l.sqrt());
    let suggested_order = stock.zip(reorder_point).map(|(s, rop)| {
        let need = ceil_tolerant(rop + d * opts.review_days - s as f64);
        if need > 0.0 {
            need.min(i64::MAX as f64) as i64
        } else {
            0
        }
    });
    StockRow {
        product,
        key: key.to_string(),
        title,
        units,
        daily_units: days.to_vec(),
        daily_demand: d,
        sigma,
        stock,
        // stock / (units / n), written so that whole results stay exact.
        days_of_cover: stock
            .filter(|_| units > 0)
            .map(|s| s as f64 * n as f64 / units as f64),
        sell_through: stock.and_then(|s| {
            let den = i128::from(units) + i128::from(s);
            (den != 0).then(|| units as f64 / den as f64)
        }),
        reorder_point,
        suggested_order,
        daily_revenue: revenue as f64 / n as f64,
        at_risk: matches!((stock, reorder_point), (Some(s), Some(rop)) if d > 0.0 && s as f64 <= rop),
    }
}

/// At-risk first, then other stocked products, then demand-only; within each by days of cover
/// ascending (undefined last), then daily demand descending, then key.
fn order_rows(a: &StockRow, b: &StockRow) -> std::cmp::Ordering {
    let group = |r: &StockRow| match (r.at_risk, r.stock.is_some()) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => 2,
    };
    let cover = |r: &StockRow| r.days_of_cover.unwrap_or(f64::INFINITY);
    group(a)
        .cmp(&group(b))
        .then_with(|| cover(a).total_cmp(&cover(b)))
        .then_with(|| b.daily_demand.total_cmp(&a.daily_demand))
        .then_with(|| a.key.cmp(&b.key))
}
