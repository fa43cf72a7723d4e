//! Products and selection (选品), DEFINITIONS §6: revenue allocated to line items to the cent, ABC
//! classes, growth, BCG quadrants and the 潜力 / 可执行 / 风险 scorecard.
//!
//! Only products that appear on at least one **paid** order's line items are reported; a product
//! that is only in a product list or only on unpaid orders has no revenue to analyse.

mod accumulate;
mod allocate;
mod csv_export;
mod score;
#[cfg(test)]
mod tests;

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::{change, ratio, Unavailable};
use crate::model::Dataset;
use crate::time::{day_of, format_day, Day};

use accumulate::{accumulate, BuyerSummary, ProductTotals, Windows};

pub(crate) use allocate::line_refunds;
pub use allocate::{allocate_cents, LineSplit};
pub use csv_export::products_csv;
pub use score::{percentile_ranks, STOCK_OUT_COVER_DAYS};

/// Options of the product analysis. Unknown fields are an error, missing ones take the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProductOptions {
    /// Length of the growth windows, days (default 30): the last `growth_window_days` days ending on
    /// the last paid order date, against the same number of days before. Values below 1 count as 1.
    pub growth_window_days: i64,
}

impl Default for ProductOptions {
    fn default() -> Self {
        ProductOptions {
            growth_window_days: 30,
        }
    }
}

/// ABC class by cumulative revenue share (DEFINITIONS §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbcClass {
    /// Cumulative share before the product < 80 % (the product crossing 80 % is A).
    A,
    /// Cumulative share before the product in [80 %, 95 %).
    B,
    /// Cumulative share before the product ≥ 95 % (and every product when total revenue ≤ 0).
    C,
}

/// Whether a growth rate could be measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthStatus {
    /// The earlier window had revenue; `growth` holds the rate.
    Measured,
    /// "New" (新品): the earlier window had no revenue, so growth is undefined. This includes products
    /// with no revenue in either window; `recent_revenue` tells the two apart.
    New,
}

/// BCG quadrant (DEFINITIONS §6): high share = class A; high growth = growth ≥ the shop's growth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// 明星: high share, high growth.
    Star,
    /// 金牛: high share, low growth.
    CashCow,
    /// 问题: low share, high growth; also every "new" product.
    QuestionMark,
    /// 瘦狗: low share, low growth.
    Dog,
}

/// One input behind a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Component name: `growth`, `item_conversion`, `repeat_buyer_rate`, `margin`,
    /// `stock_cover_days`, `avg_selling_price`, `refund_rate`, `top_buyer_share`, `stock_out`.
    pub name: String,
    /// Raw value, in the unit of the product field of the same name (`stock_out` is 1 when the product
    /// is out of stock or covers fewer than [`STOCK_OUT_COVER_DAYS`] days, else 0); `None` when
    /// unavailable for this product.
    pub value: Option<f64>,
    /// Percentile rank 0–100 of `value` among the shop's products that have it (see
    /// [`percentile_ranks`]); `None` when `value` is.
    pub percentile: Option<f64>,
}

/// A score and what is behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreDetail {
    /// 0–100: the mean percentile of the available components; `None` when none is available.
    pub score: Option<f64>,
    /// The components, available or not, in a fixed order.
    pub components: Vec<Component>,
}

/// 潜力 / 可执行 / 风险 scorecard. Higher potential and feasibility are better; higher risk is worse.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// 潜力: growth, item conversion, repeat-buyer rate.
    pub potential: ScoreDetail,
    /// 可执行: margin, stock cover days, average selling price.
    pub feasibility: ScoreDetail,
    /// 风险: refund rate, top-buyer revenue share, stock-out.
    pub risk: ScoreDetail,
}

/// One product's figures over paid orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductRow {
    /// Product key: SKU / 商家编码 / product id, else the title.
    pub key: String,
    /// Product title, where an export gives one.
    pub title: Option<String>,
    /// Category name, where an export gives one.
    pub category: Option<String>,
    /// Revenue, cents: the product's allocated share of paid orders' paid amounts (incl. shipping/tax).
    pub revenue: i64,
    /// Merchandise value, cents: Σ line value (line amount, else quantity × unit price) on paid orders;
    /// `None` when none of its lines has a value. Shown beside revenue, labelled.
    pub merchandise_value: Option<i64>,
    /// Units sold on paid orders.
    pub units: i64,
    /// Distinct paid orders containing the product.
    pub paid_orders: u64,
    /// Distinct buyers among those orders; `None` when the data has no customer ids.
    pub buyers: Option<u64>,
    /// Buyers with ≥ 2 paid orders containing the product; `None` without customer ids.
    pub repeat_buyers: Option<u64>,
    /// Refunds, cents: lines' own refunds where given, else the order's refund allocated like revenue.
    pub refunds: i64,
    /// refunds / revenue.
    pub refund_rate: Option<f64>,
    /// Average selling price, cents per unit: revenue / units.
    pub avg_selling_price: Option<f64>,
    /// revenue / total revenue.
    pub share: Option<f64>,
    /// repeat_buyers / buyers.
    pub repeat_buyer_rate: Option<f64>,
    /// Revenue in the recent growth window, cents.
    pub recent_revenue: i64,
    /// Revenue in the earlier growth window, cents.
    pub previous_revenue: i64,
    /// Units sold in the recent growth window.
    pub recent_units: i64,
    /// (recent − previous) / previous revenue; `None` when `growth_status` is `new`.
    pub growth: Option<f64>,
    /// Whether growth is measured or the product is "new".
    pub growth_status: GrowthStatus,
    /// ABC class.
    pub abc: AbcClass,
    /// BCG quadrant.
    pub quadrant: Quadrant,
    /// Item conversion (buyers / viewers of the item, DEFINITIONS §5), where events or traffic give it.
    pub item_conversion: Option<f64>,
    /// Unit cost, cents, where a product list gives one.
    pub unit_cost: Option<i64>,
    /// Gross profit, cents: revenue − unit cost × units; `None` without a unit cost.
    pub gross_profit: Option<i64>,
    /// Margin: gross profit / revenue; `None` without a unit cost or without revenue.
    pub margin: Option<f64>,
    /// Units in stock, where a product list gives them.
    pub stock: Option<i64>,
    /// Days of stock left: stock / (recent units / growth window days); `None` without stock or
    /// without units sold in the recent window.
    pub stock_cover_days: Option<f64>,
    /// Share of the product's revenue paid by its biggest buyer; `None` without customer ids.
    pub top_buyer_share: Option<f64>,
    /// 潜力 / 可执行 / 风险 scores with their components.
    pub scorecard: Scorecard,
}

/// A point of the Pareto (cumulative revenue) curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoPoint {
    /// 1-based position in the revenue ranking.
    pub rank: usize,
    /// Product key.
    pub key: String,
    /// Cumulative revenue share of the products ranked 1..=rank.
    pub cumulative_share: f64,
}

/// Number of products per ABC class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Class A products.
    pub a: usize,
    /// Class B products.
    pub b: usize,
    /// Class C products.
    pub c: usize,
}

/// The product section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductReport {
    /// Growth window length actually used, days.
    pub growth_window_days: i64,
    /// Σ product revenue, cents: GMV of the paid orders that have line items.
    pub total_revenue: i64,
    /// Σ product refunds, cents.
    pub total_refunds: i64,
    /// Shop revenue in the recent growth window, cents.
    pub shop_recent_revenue: i64,
    /// Shop revenue in the earlier growth window, cents.
    pub shop_previous_revenue: i64,
    /// Shop growth over the same windows; `None` when the earlier window has no revenue.
    pub shop_growth: Option<f64>,
    /// Last paid order date with line items (`YYYY-MM-DD`); the recent window ends on it.
    pub last_day: String,
    /// Products sorted by revenue descending, then key ascending.
    pub products: Vec<ProductRow>,
    /// Cumulative revenue share along the ranking; empty when total revenue is 0.
    pub pareto: Vec<ParetoPoint>,
    /// Products per ABC class.
    pub class_counts: ClassCounts,
}

/// Computes the product report.
///
/// `item_conversion[p]` is the item conversion of product id `p` (from the funnel analysis); it may be
/// shorter than the product table or empty.
///
/// Errors: `no_order_lines` when the data has no line items; `no_paid_orders` when no paid order has
/// line items.
pub fn compute(
    ds: &Dataset,
    opts: &ProductOptions,
    item_conversion: &[Option<f64>],
) -> Result<ProductReport, Unavailable> {
    if ds.lines.is_empty() {
        return Err(Unavailable::new(
            UnavailableCode::NoOrderLines,
            "an order export with line items (宝贝报表 / Lineitem rows: product, quantity, price)",
        ));
    }
    let lines_by_order = ds.lines_by_order();
    let orders = &ds.orders;
    let paid_with_lines = |o: &usize| orders.is_paid(*o) && !lines_by_order.get(*o).is_empty();
    let Some(last_day) = (0..orders.len())
        .filter(paid_with_lines)
        .map(|o| i64::from(day_of(orders.time[o])))
        .max()
    else {
        return Err(Unavailable::new(
            UnavailableCode::NoPaidOrders,
            "paid orders with line items (a payment time or a paid status)",
        ));
    };
    let window = opts.growth_window_days.max(1);
    let paid_orders = (0..orders.len()).filter(paid_with_lines);
    let totals = accumulate(
        ds,
        &lines_by_order,
        paid_orders,
        Windows::ending_on(last_day, window),
    );

    let total = |cents: fn(&ProductTotals) -> i64| {
        totals
            .products
            .iter()
            .fold(0i64, |sum, t| sum.saturating_add(cents(t)))
    };
    let total_revenue = total(|t| t.revenue);
    let total_refunds = total(|t| t.refunds);
    let shop_growth = change(totals.shop_previous as f64, totals.shop_recent as f64);

    let context = RowContext {
        ds,
        total_revenue,
        window,
        item_conversion,
    };
    let mut products: Vec<ProductRow> = (0..ds.products.len())
        .filter(|&p| totals.products[p].sold)
        .map(|p| context.row(p, &totals.products[p], &totals.buyers[p]))
        .collect();
    products.sort_by(|a, b| b.revenue.cmp(&a.revenue).then_with(|| a.key.cmp(&b.key)));
    let (pareto, class_counts) = classify(&mut products, total_revenue, shop_growth);
    score::fill_scorecards(&mut products);

    Ok(ProductReport {
        growth_window_days: window,
        total_revenue,
        total_refunds,
        shop_recent_revenue: totals.shop_recent,
        shop_previous_revenue: totals.shop_previous,
        shop_growth,
        last_day: format_day(last_day as Day),
        products,
        pareto,
        class_counts,
    })
}

/// What every product row needs besides its own totals.
struct RowContext<'a> {
    ds: &'a Dataset,
    total_revenue: i64,
    window: i64,
    item_conversion: &'a [Option<f64>],
}

impl RowContext<'_> {
    /// A product's row, before ranking (ABC, quadrant) and scoring.
    fn row(&self, p: usize, t: &ProductTotals, b: &BuyerSummary) -> ProductRow {
        let ds = self.ds;
        let info = ds.product_info.get(p);
        // Buyer figures exist only where the data has customer ids at all.
        let with_ids = ds.has_customers;
        let growth = change(t.previous_revenue as f64, t.recent_revenue as f64);
        let unit_cost = info.and_then(|i| i.cost);
        let gross_profit = unit_cost.map(|c| {
            let profit = i128::from(t.revenue) - i128::from(c) * i128::from(t.units);
            profit.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
        });
        let stock = info.and_then(|i| i.stock);
        ProductRow {
            key: ds.products.name(p as u32).to_string(),
            title: info.and_then(|i| i.title.clone()),
            category: info
                .and_then(|i| i.category)
                .filter(|&c| (c as usize) < ds.categories.len())
                .map(|c| ds.categories.name(c).to_string()),
            revenue: t.revenue,
            merchandise_value: t.merchandise_value,
            units: t.units,
            paid_orders: t.paid_orders,
            buyers: with_ids.then_some(b.buyers),
            repeat_buyers: with_ids.then_some(b.repeat_buyers),
            refunds: t.refunds,
            refund_rate: ratio(t.refunds as f64, t.revenue as f64),
            avg_selling_price: ratio(t.revenue as f64, t.units as f64),
            share: ratio(t.revenue as f64, self.total_revenue as f64),
            repeat_buyer_rate: ratio(b.repeat_buyers as f64, b.buyers as f64).filter(|_| with_ids),
            recent_revenue: t.recent_revenue,
            previous_revenue: t.previous_revenue,
            recent_units: t.recent_units,
            growth,
            growth_status: if growth.is_some() {
                GrowthStatus::Measured
            } else {
                GrowthStatus::New
            },
            // Set by `classify` once the ranking is known.
            abc: AbcClass::C,
            quadrant: Quadrant::Dog,
            item_conversion: self.item_conversion.get(p).copied().flatten(),
            unit_cost,
            gross_profit,
            margin: gross_profit.and_then(|g| ratio(g as f64, t.revenue as f64)),
            stock,
            stock_cover_days: stock
                .filter(|_| t.recent_units > 0)
                // stock / (recent units / window), written so whole results stay exact.
                .map(|s| s as f64 * self.window as f64 / t.recent_units as f64),
            top_buyer_share: if b.buyers > 0 {
                ratio(b.top_buyer_revenue as f64, t.revenue as f64)
            } else {
                None
            },
            // Set by `score::fill_scorecards`, which ranks across all products.
            scorecard: score::empty_scorecard(),
        }
    }
}

/// Sets ABC classes and quadrants on `products` (already in ranking order) and returns the Pareto
/// curve and class counts.
///
/// The 80 % / 95 % thresholds are compared in integers (`100 · before < 80 · total`), so a product
/// whose predecessors hold exactly 80 % is B, never A by rounding.
fn classify(
    products: &mut [ProductRow],
    total_revenue: i64,
    shop_growth: Option<f64>,
) -> (Vec<ParetoPoint>, ClassCounts) {
    let total = i128::from(total_revenue);
    let mut before = 0i128;
    let mut pareto = Vec::new();
    let mut counts = ClassCounts::default();
    for (rank, row) in products.iter_mut().enumerate() {
        row.abc = if total <= 0 {
            AbcClass::C
        } else if before * 100 < total * 80 {
            AbcClass::A
        } else if before * 100 < total * 95 {
            AbcClass::B
        } else {
            AbcClass::C
        };
        match row.abc {
            AbcClass::A => counts.a += 1,
            AbcClass::B => counts.b += 1,
            AbcClass::C => counts.c += 1,
        }
        before += i128::from(row.revenue);
        if total != 0 {
            pareto.push(ParetoPoint {
                rank: rank + 1,
                key: row.key.clone(),
                cumulative_share: before as f64 / total as f64,
            });
        }

        let high_share = row.abc == AbcClass::A;
        // An undefined shop growth (only possible with negative amounts) makes no growth "high".
        let high_growth = matches!((row.growth, shop_growth), (Some(g), Some(s)) if g >= s);
        row.quadrant = match (row.growth_status, high_share, high_growth) {
            (GrowthStatus::New, _, _) => Quadrant::QuestionMark,
            (_, true, true) => Quadrant::Star,
            (_, true, false) => Quadrant::CashCow,
            (_, false, true) => Quadrant::QuestionMark,
            (_, false, false) => Quadrant::Dog,
        };
    }
    (pareto, counts)
}

/// Each line's refund (cents) of paid order `o` whose line indices are `lines`, allocated as the
/// products view allocates it (a line's own refund, else the order's shared out by line value): the
/// count-aware product refund alerts read which lines carry a refund (`analysis::alerts`).
pub(crate) fn line_refunds_of_order(ds: &Dataset, o: usize, lines: &[u32]) -> Vec<i64> {
    let mut split = LineSplit::default();
    split.order(ds, o, lines);
    split.refunds
}
