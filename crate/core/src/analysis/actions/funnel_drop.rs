//! **Fix a funnel step** (DEFINITIONS §11): the step whose conversion on the last day of the funnel's
//! data fell most below its median over the days before.
//!
//! - Per-day step conversion comes from the funnel's daily trend (each day's funnel run on that
//!   day's events, or the day's traffic row): rate_i(d) = count_i(d) / count_{i−1}(d), undefined
//!   when count_{i−1}(d) = 0. A trend at another grain (week, month) cannot give it: locked.
//! - The comparison day T is the last day of the trend. The norm of step i is the median of rate_i
//!   over the days of [T − `funnel_median_days`, T − 1] that have a rate (mean of the two middle
//!   values for an even number); it needs at least `funnel_min_history_days` such days.
//! - drop_i = median_i − rate_i(T). The step that fell most has the largest drop > 0, ties to the
//!   earlier step; no drop > 0 is quiet.
//! - Lost purchases = drop_i × count_{i−1}(T) × Π_{j > i} median_j: the users the step lost, carried
//!   to the last step (the purchase) at the later steps' usual rates. Stake = round(lost purchases
//!   × AOV) with the whole range's AOV (§2: GMV / paid orders).

use super::{
    round_cents, Action, ActionCode, ActionList, ActionOptions, ActionStep, Figure, FigureValue,
    Outcome,
};
use crate::analysis::filter::parse_day;
use crate::analysis::funnel::{FunnelReport, FunnelStep, TrafficStep};
use crate::analysis::kpi::KpiSet;
use crate::analysis::Unavailable;
use crate::codes::UnavailableCode;
use crate::time::{format_day, Day, Grain};

/// Median of `values` (mean of the two middle ones for an even count); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Per day of the trend (days only), the step counts: `(day, counts)`, oldest first.
pub fn daily_rates(funnel: &FunnelReport) -> Option<Vec<(Day, Vec<u64>)>> {
    if funnel.trend_grain != Grain::Day {
        return None;
    }
    let mut days: Vec<(Day, Vec<u64>)> = funnel
        .trend
        .iter()
        .filter_map(|p| Some((parse_day(&p.period)?, p.counts.clone())))
        .collect();
    days.sort_by_key(|d| d.0);
    Some(days)
}

/// A step's stable label (`cart`, `visitors`, or the log's own names) for the figures.
fn step_label(step: &FunnelStep) -> String {
    match step {
        FunnelStep::Event(kind) => kind.code().to_string(),
        FunnelStep::Names(names) => names.join(" / "),
        FunnelStep::Traffic(t) => traffic_code(*t).to_string(),
    }
}

fn traffic_code(t: TrafficStep) -> &'static str {
    match t {
        TrafficStep::Visitors => "visitors",
        TrafficStep::CartUsers => "cart_users",
        TrafficStep::Buyers => "buyers",
    }
}

/// A step's name for the rule sentence, in Chinese (`zh`) or English.
fn step_name(step: &FunnelStep, zh: bool) -> String {
    let known = |code: &str| -> Option<(&'static str, &'static str)> {
        Some(match code {
            "view" => ("浏览", "view"),
            "fav" => ("收藏", "favourite"),
            "cart" => ("加购", "add to cart"),
            "remove_from_cart" => ("移出购物车", "remove from cart"),
            "checkout" => ("结算", "checkout"),
            "purchase" => ("购买", "purchase"),
            "visitors" => ("访客", "visitors"),
            "cart_users" => ("加购人数", "cart users"),
            "buyers" => ("支付买家", "buyers"),
            _ => return None,
        })
    };
    let label = step_label(step);
    match (step, known(&label)) {
        (FunnelStep::Names(_), _) | (_, None) => label,
        (_, Some((z, e))) => (if zh { z } else { e }).to_string(),
    }
}

/// The rule. Locked without a funnel, without a daily trend, without enough history, or without
/// orders (AOV).
pub fn fix_funnel_step(
    funnel: Result<&FunnelReport, &Unavailable>,
    kpi: Option<&KpiSet>,
    opts: &ActionOptions,
) -> Outcome {
    let funnel = match funnel {
        Ok(f) => f,
        Err(reason) => return Outcome::Locked(reason.clone()),
    };
    let Some(days) = daily_rates(funnel) else {
        return Outcome::Locked(Unavailable::new(
            UnavailableCode::FunnelTrendNotDaily,
            "the funnel trend by day (trend_grain: day)",
        ));
    };
    let Some(aov) = kpi.and_then(|k| k.aov) else {
        return Outcome::Locked(Unavailable::new(
            UnavailableCode::NoOrders,
            "an order export (订单报表, Shopify orders …) for the average order value",
        ));
    };
    let Some((today, today_counts)) = days.last().cloned() else {
        return Outcome::Locked(history_short(opts));
    };
    let steps = &funnel.steps;
    let k = steps.len().min(today_counts.len());
    let from = today - opts.funnel_median_days.max(1);
    let history: Vec<&(Day, Vec<u64>)> = days
        .iter()
        .filter(|(d, _)| *d >= from && *d < today)
        .collect();
    let mut rows: Vec<ActionStep> = Vec::new();
    for i in 1..k {
        let mut rates: Vec<f64> = history
            .iter()
            .filter_map(|(_, c)| {
                let (prev, cur) = (*c.get(i - 1)?, *c.get(i)?);
                (prev > 0).then(|| cur as f64 / prev as f64)
            })
            .collect();
        let history_days = rates.len();
        let median_rate = if history_days >= opts.funnel_min_history_days.max(1) {
            median(&mut rates)
        } else {
            None
        };
        let (entrants, reached) = (today_counts[i - 1], today_counts[i]);
        let today_rate = (entrants > 0).then(|| reached as f64 / entrants as f64);
        rows.push(ActionStep {
            index: i,
            from: steps[i - 1].step.clone(),
            to: steps[i].step.clone(),
            entrants,
            reached,
            today_rate,
            median_rate,
            history_days,
            drop: median_rate.zip(today_rate).map(|(m, t)| m - t),
        });
    }
    if rows.is_empty() || rows.iter().any(|r| r.median_rate.is_none()) {
        return Outcome::Locked(history_short(opts));
    }
    // Largest drop > 0, ties to the earlier step.
    let mut worst: Option<&ActionStep> = None;
    for r in &rows {
        let Some(drop) = r.drop.filter(|&d| d > 0.0) else {
            continue;
        };
        if worst.map_or(true, |w| drop > w.drop.unwrap_or(0.0)) {
            worst = Some(r);
        }
    }
    let Some(worst) = worst.cloned() else {
        return Outcome::Quiet;
    };
    let drop = worst.drop.unwrap_or(0.0);
    let onward: f64 = rows
        .iter()
        .filter(|r| r.index > worst.index)
        .map(|r| r.median_rate.unwrap_or(0.0))
        .product();
    let lost = drop * worst.entrants as f64 * onward;
    let stake = round_cents(lost * aov);
    let day = format_day(today);
    let n = opts.funnel_median_days.max(1);
    let (a, b) = (step_label(&worst.from), step_label(&worst.to));
    let (a_en, b_en) = (step_name(&worst.from, false), step_name(&worst.to, false));
    let (a_zh, b_zh) = (step_name(&worst.from, true), step_name(&worst.to, true));
    Outcome::Fired(Action {
        code: ActionCode::FixFunnelStep,
        stake,
        rule_en: format!(
            "Fix the funnel step whose conversion on {day} fell most below its median of the {n} \
             days before ({a_en} → {b_en}); at stake: lost purchases × AOV."
        ),
        rule_zh: format!(
            "{day} 转化率比此前 {n} 天中位数下降最多的漏斗步骤（{a_zh} → {b_zh}）需要排查修复；涉及金额 = 流失的购买数 × 笔单价。"
        ),
        figures: vec![
            Figure::new("comparison_day", FigureValue::Text(day)),
            Figure::new("step", FigureValue::Text(format!("{a} → {b}"))),
            Figure::new(
                "today_rate",
                FigureValue::Ratio(worst.today_rate.unwrap_or(0.0)),
            ),
            Figure::new(
                "median_rate",
                FigureValue::Ratio(worst.median_rate.unwrap_or(0.0)),
            ),
            Figure::new("entrants", FigureValue::Count(worst.entrants as f64)),
            Figure::new("onward_rate", FigureValue::Ratio(onward)),
            Figure::new("lost_purchases", FigureValue::Count(lost)),
            Figure::new("aov", FigureValue::Money(aov)),
        ],
        list: ActionList::Steps(rows),
    })
}

fn history_short(opts: &ActionOptions) -> Unavailable {
    Unavailable::new(
        UnavailableCode::FunnelHistoryShort,
        &format!(
            "a behaviour log or traffic export with at least {} days of each step in the {} days \
             before its last day",
            opts.funnel_min_history_days, opts.funnel_median_days
        ),
    )
}
