//! The action list (操作清单), DEFINITIONS §11: the rules that fired, the figures behind each, the
//! list it acts on (products, customers, funnel steps) and the money at stake, ranked by stake.
//!
//! The five rules read the other sections (KPIs, RFM, products, funnel, stock) rather than the raw
//! tables, so every figure an action shows is the figure its own view shows:
//!
//! | rule | fires when | stake (cents) |
//! | --- | --- | --- |
//! | restock | days of cover (§8) < lead time L | Σ round(daily revenue × (L − max(cover, 0))) |
//! | win back | 重要挽留客户 + 重要保持客户 non-empty | round(n × 客单价 × repurchase rate) |
//! | refund spike | refund rate ≥ m × the shop's, ≥ N paid orders, refunds > 0 | Σ refunds |
//! | fix a funnel step | a step's rate on the last day < its median over the days before | round(lost purchases × AOV) |
//! | ride a riser | star / question mark, growth ≥ g, cover < C | Σ round(daily revenue × (C − max(cover, 0))) |
//!
//! Decisions where §11 leaves room (each also documented at its rule in [`rules`]):
//! - **One action per rule**, whose list holds every product / customer it fired on; its stake is
//!   the sum of the rows' stakes, each rounded half away from zero to the cent.
//! - **Days short** = L − cover, with cover floored at 0 (negative stock cannot lose more than the
//!   lead time's sales).
//! - **The shop's refund rate** is §2's (KPI refunds / GMV over all paid orders); a product also needs
//!   refunds > 0 and revenue > 0 (with a shop rate of 0, "≥ 2 × 0" would flag every product).
//! - **Ride a riser** has no stake in §11: it is the revenue of the days the cover falls short of the
//!   riser cover (28 days), like restock's against the lead time. "New" products (growth undefined)
//!   do not fire: their growth is not ≥ 50 %, it is unknown.
//! - **Fix a funnel step** compares the last day of the funnel's daily trend with the median of that
//!   step's daily rate over the 28 calendar days before it (days with a rate only; at least
//!   `funnel_min_history_days` of them). The step that fell most is the largest drop in percentage
//!   points (median − today), ties to the earlier step. Lost purchases = drop × today's entrants of
//!   the step × the median rates of every later step (the users it lost would have converted onward
//!   at the usual rates), the last step being the purchase.
//! - Win back's 客单价 and repurchase rate are the whole range's (§2): stake = n · GMV · repeaters /
//!   buyers², rounded once, computed in integers.
//!
//! Ranking: stake descending, then the rule order of [`ActionCode::ALL`]. An action whose data is
//! missing is *locked* and says which export would unlock it; a rule that ran and found nothing is
//! *quiet*.

mod funnel_drop;
mod rules;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::analysis::funnel::{FunnelReport, FunnelStep};
use crate::analysis::kpi::KpiSet;
use crate::analysis::products::{ProductReport, Quadrant};
use crate::analysis::rfm::{RfmReport, Segment};
use crate::analysis::stock::StockReport;
use crate::analysis::Unavailable;

pub use funnel_drop::{daily_rates, median};
pub use rules::{refund_spike, restock, ride_riser, win_back};

/// Thresholds of the rules. Unknown fields are an error, missing ones take the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ActionOptions {
    /// Restock lead time L, days (default 7): a product fires when its days of cover < L.
    pub lead_time_days: f64,
    /// Refund spike: a product's refund rate ≥ this multiple of the shop's (default 2).
    pub refund_rate_multiple: f64,
    /// Refund spike: paid orders a product needs to be judged (default 10).
    pub min_paid_orders: u64,
    /// Ride a riser: growth at least this fraction (default 0.5 = 50 %).
    pub riser_growth: f64,
    /// Ride a riser: days of cover below this (default 28).
    pub riser_cover_days: f64,
    /// Fix a funnel step: calendar days before the comparison day whose median is the norm
    /// (default 28).
    pub funnel_median_days: i32,
    /// Fix a funnel step: days with a rate needed in that window (default 7).
    pub funnel_min_history_days: usize,
}

impl Default for ActionOptions {
    fn default() -> Self {
        ActionOptions {
            lead_time_days: 7.0,
            refund_rate_multiple: 2.0,
            min_paid_orders: 10,
            riser_growth: 0.5,
            riser_cover_days: 28.0,
            funnel_median_days: 28,
            funnel_min_history_days: 7,
        }
    }
}

/// The five rules, in tie-break order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionCode {
    /// 补货: days of cover below the lead time.
    Restock,
    /// 召回: 重要挽留客户 and 重要保持客户.
    WinBack,
    /// 退款异常: products refunded far more than the shop.
    RefundSpike,
    /// 修复漏斗: the funnel step that fell most below its median.
    FixFunnelStep,
    /// 追加备货: a growing star or question mark running short.
    RideRiser,
}

impl ActionCode {
    /// All rules, in tie-break order.
    pub const ALL: [ActionCode; 5] = [
        ActionCode::Restock,
        ActionCode::WinBack,
        ActionCode::RefundSpike,
        ActionCode::FixFunnelStep,
        ActionCode::RideRiser,
    ];

    /// Stable snake_case code (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            ActionCode::Restock => "restock",
            ActionCode::WinBack => "win_back",
            ActionCode::RefundSpike => "refund_spike",
            ActionCode::FixFunnelStep => "fix_funnel_step",
            ActionCode::RideRiser => "ride_riser",
        }
    }
}

/// A figure behind an action, in its unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum FigureValue {
    /// Cents (may be fractional: an average).
    Money(f64),
    /// A fraction (0.25 = 25 %).
    Ratio(f64),
    /// A count (may be fractional: lost purchases).
    Count(f64),
    /// Days.
    Days(f64),
    /// A multiple (2 = 2×).
    Multiple(f64),
    /// A text: a day `YYYY-MM-DD`, a step name.
    Text(String),
}

/// One figure: a stable name (`lead_time_days`, `shop_refund_rate` …; the page localises it) and
/// its value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub name: String,
    #[serde(flatten)]
    pub value: FigureValue,
}

impl Figure {
    fn new(name: &str, value: FigureValue) -> Figure {
        Figure {
            name: name.to_string(),
            value,
        }
    }
}

/// A product an action acts on, with the figures of its rule (the others `None`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionProduct {
    /// Product key.
    pub key: String,
    /// Product title, where an export gives one.
    pub title: Option<String>,
    /// This product's share of the stake, cents.
    pub stake: i64,
    /// Units in stock (restock, ride a riser).
    pub stock: Option<i64>,
    /// Mean units sold per day over the last 28 days (§8; restock, ride a riser).
    pub daily_demand: Option<f64>,
    /// Mean revenue per day over the same days, cents (restock, ride a riser).
    pub daily_revenue: Option<f64>,
    /// Days of cover: stock / daily demand (§8).
    pub days_of_cover: Option<f64>,
    /// Target − max(cover, 0), days: the lead time (restock) or the riser cover (ride a riser).
    pub days_short: Option<f64>,
    /// Suggested order (§8), units, where the stock section gives it.
    pub suggested_order: Option<i64>,
    /// Paid orders containing the product (refund spike).
    pub paid_orders: Option<u64>,
    /// Revenue, cents (refund spike, ride a riser).
    pub revenue: Option<i64>,
    /// Refunds, cents (refund spike).
    pub refunds: Option<i64>,
    /// Refund rate: refunds / revenue (refund spike).
    pub refund_rate: Option<f64>,
    /// Growth over the product analysis windows (ride a riser).
    pub growth: Option<f64>,
    /// BCG quadrant (ride a riser).
    pub quadrant: Option<Quadrant>,
}

/// A customer to win back: what a coupon campaign needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCustomer {
    /// Customer id as exported.
    pub customer: String,
    /// RFM segment (`win_back` or `keep_active`).
    pub segment: Segment,
    /// Day of the last paid order, `YYYY-MM-DD`.
    pub last_order_day: String,
    /// Days since the last paid order (R).
    pub recency_days: i64,
    /// Paid orders (F).
    pub orders: u64,
    /// Spend: GMV of the paid orders, cents (M).
    pub spend: i64,
}

/// A step of the funnel on the comparison day against its median.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionStep {
    /// 1-based index of the step entered (the step counted is `to`).
    pub index: usize,
    /// The step before.
    pub from: FunnelStep,
    /// The step.
    pub to: FunnelStep,
    /// Users (or summed daily uniques) at `from` on the comparison day: the step's entrants.
    pub entrants: u64,
    /// Users at `to` on the comparison day.
    pub reached: u64,
    /// reached / entrants on the comparison day; `None` without entrants.
    pub today_rate: Option<f64>,
    /// Median of the daily rate over the window's days that have one; `None` with too few days.
    pub median_rate: Option<f64>,
    /// Days with a rate in the window.
    pub history_days: usize,
    /// median − today, fraction; `None` when either is.
    pub drop: Option<f64>,
}

/// What an action acts on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "rows", rename_all = "snake_case")]
pub enum ActionList {
    /// Products, largest stake first (ties by key).
    Products(Vec<ActionProduct>),
    /// Customers, largest spend first (ties by customer id).
    Customers(Vec<ActionCustomer>),
    /// Every step of the funnel; the action's `step` names the one to fix.
    Steps(Vec<ActionStep>),
}

impl ActionList {
    /// Rows in the list.
    pub fn len(&self) -> usize {
        match self {
            ActionList::Products(v) => v.len(),
            ActionList::Customers(v) => v.len(),
            ActionList::Steps(v) => v.len(),
        }
    }
    /// Whether the list has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A rule that fired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Which rule.
    pub code: ActionCode,
    /// Money at stake, cents of the report's currency.
    pub stake: i64,
    /// The rule in one sentence, thresholds filled in, English.
    pub rule_en: String,
    /// The same in Chinese.
    pub rule_zh: String,
    /// The figures behind it.
    pub figures: Vec<Figure>,
    /// What it acts on.
    pub list: ActionList,
}

/// A rule whose data is missing: which export would unlock it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockedAction {
    /// Which rule.
    pub code: ActionCode,
    /// Why, with the export that would unlock it (`no_stock`, `no_customer_ids` …).
    pub reason: Unavailable,
}

/// The action list of the report. Always present: each rule fires, stays quiet, or is locked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionReport {
    /// Rules that fired, by stake descending (ties in [`ActionCode::ALL`] order).
    pub actions: Vec<Action>,
    /// Rules that could not run, in [`ActionCode::ALL`] order.
    pub locked: Vec<LockedAction>,
    /// Rules that ran and found nothing to do, in [`ActionCode::ALL`] order.
    pub quiet: Vec<ActionCode>,
}

/// A product's stock figures (§8), as the stock section computes them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cover {
    pub key: String,
    pub title: Option<String>,
    /// Units in stock.
    pub stock: i64,
    /// Mean units per day over the last 28 days.
    pub daily_demand: f64,
    /// Mean revenue per day over the same days, cents.
    pub daily_revenue: f64,
    /// stock / daily demand; `None` without recent sales.
    pub days_of_cover: Option<f64>,
    /// Suggested order, units.
    pub suggested_order: Option<i64>,
}

/// The per-product stock figures of the stock section (§8) that have a stock figure.
pub fn covers(stock: &StockReport) -> Vec<Cover> {
    stock
        .products
        .iter()
        .filter_map(|row| {
            Some(Cover {
                key: row.key.clone(),
                title: row.title.clone(),
                stock: row.stock?,
                daily_demand: row.daily_demand,
                daily_revenue: row.daily_revenue,
                days_of_cover: row.days_of_cover,
                suggested_order: row.suggested_order,
            })
        })
        .collect()
}

/// What the rules read: the other sections of the report.
pub struct Inputs<'a> {
    /// Whole-range KPIs; `None` without orders.
    pub kpi: Option<&'a KpiSet>,
    pub rfm: Result<&'a RfmReport, &'a Unavailable>,
    pub products: Result<&'a ProductReport, &'a Unavailable>,
    pub funnel: Result<&'a FunnelReport, &'a Unavailable>,
    /// Per-product stock figures (§8); `Err` without a stock column.
    pub cover: Result<&'a [Cover], &'a Unavailable>,
}

/// What one rule came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Fired(Action),
    Quiet,
    Locked(Unavailable),
}

/// Runs every rule and ranks the actions.
pub fn compute(inputs: &Inputs<'_>, opts: &ActionOptions) -> ActionReport {
    let outcomes = [
        (ActionCode::Restock, rules::restock(inputs.cover, opts)),
        (ActionCode::WinBack, rules::win_back(inputs.rfm, inputs.kpi)),
        (
            ActionCode::RefundSpike,
            rules::refund_spike(inputs.products, inputs.kpi, opts),
        ),
        (
            ActionCode::FixFunnelStep,
            funnel_drop::fix_funnel_step(inputs.funnel, inputs.kpi, opts),
        ),
        (
            ActionCode::RideRiser,
            rules::ride_riser(inputs.products, inputs.cover, opts),
        ),
    ];
    assemble(outcomes)
}

/// Sorts outcomes into fired (ranked), locked and quiet.
fn assemble(outcomes: impl IntoIterator<Item = (ActionCode, Outcome)>) -> ActionReport {
    let mut report = ActionReport {
        actions: Vec::new(),
        locked: Vec::new(),
        quiet: Vec::new(),
    };
    for (code, outcome) in outcomes {
        match outcome {
            Outcome::Fired(action) => report.actions.push(action),
            Outcome::Quiet => report.quiet.push(code),
            Outcome::Locked(reason) => report.locked.push(LockedAction { code, reason }),
        }
    }
    rank(&mut report.actions);
    report.locked.sort_by_key(|l| l.code);
    report.quiet.sort();
    report
}

/// Stake descending, then rule order.
pub fn rank(actions: &mut [Action]) {
    actions.sort_by(|a, b| b.stake.cmp(&a.stake).then(a.code.cmp(&b.code)));
}

/// `x` rounded half away from zero to a whole number of cents, saturating.
pub(crate) fn round_cents(x: f64) -> i64 {
    if x.is_nan() {
        0
    } else {
        // `as` saturates at the i64 bounds.
        x.round() as i64
    }
}
