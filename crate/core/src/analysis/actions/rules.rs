//! Restock, win back, refund spike and ride a riser (DEFINITIONS §11). Fix a funnel step is in
//! `funnel_drop`.

use super::{
    round_cents, Action, ActionCode, ActionCustomer, ActionList, ActionOptions, ActionProduct,
    Cover, Figure, FigureValue, Outcome,
};
use crate::analysis::kpi::KpiSet;
use crate::analysis::products::{ProductReport, Quadrant};
use crate::analysis::rfm::{RfmReport, Segment};
use crate::analysis::Unavailable;
use crate::codes::UnavailableCode;

/// A number for a rule sentence: whole numbers without decimals.
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Products largest stake first, ties by key.
fn sort_products(rows: &mut [ActionProduct]) {
    rows.sort_by(|a, b| b.stake.cmp(&a.stake).then_with(|| a.key.cmp(&b.key)));
}

fn sum_stakes(rows: &[ActionProduct]) -> i64 {
    rows.iter().fold(0i64, |s, r| s.saturating_add(r.stake))
}

/// A product row of a stock rule: days short of `target` and the revenue of those days.
/// Days short = target − max(cover, 0): negative stock cannot lose more than `target` days' sales.
fn short_row(c: &Cover, cover: f64, target: f64) -> ActionProduct {
    let days_short = target - cover.max(0.0);
    ActionProduct {
        key: c.key.clone(),
        title: c.title.clone(),
        stake: round_cents(c.daily_revenue * days_short),
        stock: Some(c.stock),
        daily_demand: Some(c.daily_demand),
        daily_revenue: Some(c.daily_revenue),
        days_of_cover: Some(cover),
        days_short: Some(days_short),
        suggested_order: c.suggested_order,
        ..ActionProduct::default()
    }
}

/// **Restock**: products whose days of cover (§8) < the lead time L. Per product the stake is
/// round(daily revenue × (L − max(cover, 0))) cents; the action's stake is their sum. Products
/// without recent sales (cover undefined) do not fire.
pub fn restock(cover: Result<&[Cover], &Unavailable>, opts: &ActionOptions) -> Outcome {
    let covers = match cover {
        Ok(c) => c,
        // The stock section's reason: `no_stock` (an SKU list with stock would unlock it), or no
        // line items at all.
        Err(reason) => return Outcome::Locked(reason.clone()),
    };
    let lead = opts.lead_time_days;
    let mut rows: Vec<ActionProduct> = covers
        .iter()
        .filter_map(|c| {
            let cover = c.days_of_cover.filter(|&d| d < lead)?;
            Some(short_row(c, cover, lead))
        })
        .collect();
    if rows.is_empty() {
        return Outcome::Quiet;
    }
    sort_products(&mut rows);
    let stake = sum_stakes(&rows);
    let l = num(lead);
    Outcome::Fired(Action {
        code: ActionCode::Restock,
        stake,
        rule_en: format!(
            "Restock the products whose stock covers fewer days than the {l}-day lead time; at \
             stake: daily revenue × days short (lead time − days of cover)."
        ),
        rule_zh: format!(
            "库存可售天数低于补货周期 {l} 天的商品需要补货；涉及金额 = 日均销售额 × 缺口天数（补货周期 − 可售天数）。"
        ),
        figures: vec![
            Figure::new("products", FigureValue::Count(rows.len() as f64)),
            Figure::new("lead_time_days", FigureValue::Days(lead)),
        ],
        list: ActionList::Products(rows),
    })
}

/// **Win back**: the customers of 重要挽留客户 and 重要保持客户. Stake = n × 客单价 × repurchase
/// rate over the whole range = n · GMV · repeaters / buyers², rounded half away from zero once,
/// in integers (repeaters = repurchase rate × buyers, a whole number). The list is in the RFM
/// report's order (spend descending, then id).
pub fn win_back(rfm: Result<&RfmReport, &Unavailable>, kpi: Option<&KpiSet>) -> Outcome {
    let rfm = match rfm {
        Ok(r) => r,
        Err(reason) => return Outcome::Locked(reason.clone()),
    };
    let targets = [Segment::WinBack, Segment::KeepActive];
    let rows: Vec<ActionCustomer> = rfm
        .customers
        .iter()
        .filter(|c| targets.contains(&c.segment))
        .map(|c| ActionCustomer {
            customer: c.customer.clone(),
            segment: c.segment,
            last_order_day: c.last_order_day.clone(),
            recency_days: c.recency_days,
            orders: c.frequency,
            spend: c.monetary,
        })
        .collect();
    if rows.is_empty() {
        return Outcome::Quiet;
    }
    let (Some(k), Some(buyers), Some(rate)) = (
        kpi,
        kpi.and_then(|k| k.buyers).filter(|&b| b > 0),
        kpi.and_then(|k| k.repurchase_rate),
    ) else {
        return Outcome::Locked(Unavailable::new(
            UnavailableCode::NoCustomerIds,
            "an order export with a buyer id column (买家会员名 / Email)",
        ));
    };
    let n = rows.len() as i128;
    let repeaters = (rate * buyers as f64).round() as i128;
    let buyers = i128::from(buyers);
    let stake = div_round(n * i128::from(k.gmv) * repeaters, buyers * buyers);
    let count = |s: Segment| rows.iter().filter(|c| c.segment == s).count() as f64;
    Outcome::Fired(Action {
        code: ActionCode::WinBack,
        stake,
        rule_en:
            "Win back the 重要挽留客户 (win-back) and 重要保持客户 (keep-active) customers; at \
                  stake: their number × 客单价 (revenue per buyer) × repurchase rate."
                .to_string(),
        rule_zh: "召回重要挽留客户与重要保持客户；涉及金额 = 人数 × 客单价 × 复购率。".to_string(),
        figures: vec![
            Figure::new("customers", FigureValue::Count(rows.len() as f64)),
            Figure::new(
                "win_back_customers",
                FigureValue::Count(count(Segment::WinBack)),
            ),
            Figure::new(
                "keep_active_customers",
                FigureValue::Count(count(Segment::KeepActive)),
            ),
            Figure::new(
                "revenue_per_buyer",
                FigureValue::Money(k.revenue_per_buyer.unwrap_or(0.0)),
            ),
            Figure::new("repurchase_rate", FigureValue::Ratio(rate)),
        ],
        list: ActionList::Customers(rows),
    })
}

/// `num / den` rounded half away from zero, saturating to i64 (`den` > 0).
fn div_round(num: i128, den: i128) -> i64 {
    let q = (2 * num.abs() + den) / (2 * den);
    let q = if num < 0 { -q } else { q };
    q.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Whether `a_num / a_den ≥ m · b_num / b_den` (dens > 0): exact in integers when `m` is whole
/// (the default 2), else in floating point.
fn at_least_multiple(a_num: i64, a_den: i64, m: f64, b_num: i64, b_den: i64) -> bool {
    let lhs = i128::from(a_num) * i128::from(b_den);
    let rhs = i128::from(b_num) * i128::from(a_den);
    if m.fract() == 0.0 && m.abs() < 1e12 {
        lhs >= (m as i128) * rhs
    } else {
        lhs as f64 >= m * rhs as f64
    }
}

/// **Refund spike**: products with ≥ N paid orders, revenue > 0, refunds > 0 and refund rate
/// (refunds / revenue) ≥ m × the shop's (§2: KPI refunds / GMV). Stake = Σ their refunds.
pub fn refund_spike(
    products: Result<&ProductReport, &Unavailable>,
    kpi: Option<&KpiSet>,
    opts: &ActionOptions,
) -> Outcome {
    let products = match products {
        Ok(p) => p,
        Err(reason) => return Outcome::Locked(reason.clone()),
    };
    let Some(k) = kpi.filter(|k| k.gmv > 0) else {
        return Outcome::Quiet;
    };
    let m = opts.refund_rate_multiple;
    let mut rows: Vec<ActionProduct> = products
        .products
        .iter()
        .filter(|p| {
            p.paid_orders >= opts.min_paid_orders
                && p.revenue > 0
                && p.refunds > 0
                && at_least_multiple(p.refunds, p.revenue, m, k.refunds, k.gmv)
        })
        .map(|p| ActionProduct {
            key: p.key.clone(),
            title: p.title.clone(),
            stake: p.refunds,
            paid_orders: Some(p.paid_orders),
            revenue: Some(p.revenue),
            refunds: Some(p.refunds),
            refund_rate: p.refund_rate,
            ..ActionProduct::default()
        })
        .collect();
    if rows.is_empty() {
        return Outcome::Quiet;
    }
    sort_products(&mut rows);
    let stake = sum_stakes(&rows);
    let shop_rate = k.refunds as f64 / k.gmv as f64;
    let (mm, n) = (num(m), opts.min_paid_orders);
    Outcome::Fired(Action {
        code: ActionCode::RefundSpike,
        stake,
        rule_en: format!(
            "Look into the products refunded at {mm}× the shop's refund rate or more, with at least \
             {n} paid orders; at stake: their refunds."
        ),
        rule_zh: format!(
            "退款率达到店铺退款率 {mm} 倍及以上、且支付订单不少于 {n} 笔的商品需要排查；涉及金额 = 其退款金额。"
        ),
        figures: vec![
            Figure::new("products", FigureValue::Count(rows.len() as f64)),
            Figure::new("shop_refund_rate", FigureValue::Ratio(shop_rate)),
            Figure::new("refund_rate_multiple", FigureValue::Multiple(m)),
            Figure::new("refund_rate_threshold", FigureValue::Ratio(m * shop_rate)),
            Figure::new("min_paid_orders", FigureValue::Count(n as f64)),
        ],
        list: ActionList::Products(rows),
    })
}

/// **Ride a riser**: star or question-mark products (§6) whose growth is measured and ≥ g and whose
/// days of cover (§8) < C. Per product the stake is round(daily revenue × (C − max(cover, 0)))
/// cents: the sales of the days its stock falls short of C (§11 names no stake; decided so).
pub fn ride_riser(
    products: Result<&ProductReport, &Unavailable>,
    cover: Result<&[Cover], &Unavailable>,
    opts: &ActionOptions,
) -> Outcome {
    let products = match products {
        Ok(p) => p,
        Err(reason) => return Outcome::Locked(reason.clone()),
    };
    let covers = match cover {
        Ok(c) => c,
        // The stock section's reason: `no_stock` (an SKU list with stock would unlock it), or no
        // line items at all.
        Err(reason) => return Outcome::Locked(reason.clone()),
    };
    let by_key: std::collections::HashMap<&str, &Cover> =
        covers.iter().map(|c| (c.key.as_str(), c)).collect();
    let target = opts.riser_cover_days;
    let mut rows: Vec<ActionProduct> = products
        .products
        .iter()
        .filter(|p| matches!(p.quadrant, Quadrant::Star | Quadrant::QuestionMark))
        .filter(|p| p.growth.is_some_and(|g| g >= opts.riser_growth))
        .filter_map(|p| {
            let c = by_key.get(p.key.as_str())?;
            let cover = c.days_of_cover.filter(|&d| d < target)?;
            Some(ActionProduct {
                title: p.title.clone().or_else(|| c.title.clone()),
                revenue: Some(p.revenue),
                growth: p.growth,
                quadrant: Some(p.quadrant),
                ..short_row(c, cover, target)
            })
        })
        .collect();
    if rows.is_empty() {
        return Outcome::Quiet;
    }
    sort_products(&mut rows);
    let stake = sum_stakes(&rows);
    let (g, c) = (num(opts.riser_growth * 100.0), num(target));
    Outcome::Fired(Action {
        code: ActionCode::RideRiser,
        stake,
        rule_en: format!(
            "Stock up on the star and question-mark products growing {g}% or more whose stock covers \
             fewer than {c} days; at stake: daily revenue × days short of {c} days."
        ),
        rule_zh: format!(
            "增长 ≥ {g}% 且库存可售不足 {c} 天的明星/问题商品需要追加备货；涉及金额 = 日均销售额 × 距 {c} 天的缺口天数。"
        ),
        figures: vec![
            Figure::new("products", FigureValue::Count(rows.len() as f64)),
            Figure::new("riser_growth", FigureValue::Ratio(opts.riser_growth)),
            Figure::new("riser_cover_days", FigureValue::Days(target)),
        ],
        list: ActionList::Products(rows),
    })
}
