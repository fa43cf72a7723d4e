//! §11 the action list (操作清单) over an order export — and the SKU/stock list(s) and the
//! behaviour log(s) or traffic export(s) loaded beside it — as `analysis::actions` computes it: the rules that fire, each
//! with its list and the money at stake, ranked by stake.
//!
//! The script reads the other sections' own steps, written by the same functions as their scripts
//! (the §2 totals, the §4 customers and segments, the §6 ranking, the §8 cover, the §5 funnel's
//! steps), and adds one step per rule:
//! - **restock** (with a stock list): days of cover < lead time L; a row's stake is
//!   round(daily revenue × (L − max(cover, 0))), half away from zero, to the cent;
//! - **win back** (with customer ids): 重要挽留客户 and 重要保持客户; stake = n · GMV · repeat
//!   buyers / buyers², rounded half away from zero once, in integers (n × 客单价 × repurchase
//!   rate);
//! - **refund spike**: ≥ N paid orders, revenue > 0, refunds > 0, refund rate ≥ m × the shop's (§2
//!   refunds / GMV, compared in integers for a whole m); stake = the refunds;
//! - **fix a funnel step** (the funnel's trend by day): with a behaviour log, the funnel of each
//!   day on that day's events alone (the funnel script's steps, counted per day; several logs are
//!   read as one, their events in one union, as the engine concatenates them); without one, from a
//!   生意参谋 traffic export's daily rows (the engine's funnel from traffic rows: 访客数 → 加购人数 →
//!   支付买家数, the steps the export maps; per day the sum over the shop-level rows, or over the
//!   item rows when there is none; several exports' rows as one); the comparison
//!   day T is the last day; a step's rate that day against its median over the days of
//!   [T − `funnel_median_days`, T − 1] with a rate (at least `funnel_min_history_days` of them
//!   for every step, else locked: no rows); the largest drop > 0 (ties to the earlier step; none:
//!   quiet); stake = round(drop × entrants × the later steps' medians × AOV), AOV = GMV / paid
//!   orders. Its list is every step of the funnel on T, each row with the action's figures;
//! - **ride a riser** (with a stock list): star or question mark, measured growth ≥ g, days of
//!   cover < C; a row's stake is round(daily revenue × (C − max(cover, 0))).
//!
//! An action's stake is the sum of its rows' (win back, fix a funnel step: its own); actions are
//! ranked by stake descending, then the rule order restock, win back, refund spike, fix a funnel
//! step, ride a riser. A rule that finds nothing gives no rows (the engine's "quiet").
//!
//! Not in the script: the rules whose data the files lack (restock and ride a riser without a
//! stock list, win back without customer ids, fix a funnel step without a behaviour log or traffic
//! export, with a trend not by day, or with a traffic export mapping fewer than two of its step
//! columns): the engine shows those as locked. From traffic rows, the steps are the columns the
//! exports map: a mapped column with no value in any row (the engine then leaves its step out of
//! the funnel) is not followed. The script's header says which rules it covers.

use super::funnel::{step_steps, union_event_steps};
use super::funnel_trend::period_count_steps;
use super::kpi::total_steps;
use super::products::{ranking_steps, QUADRANT};
use super::read::Roles;
use super::rfm::customer_steps;
use super::stock::{cover_steps, stock_lists, SUGGESTED_ORDER};
use super::traffic::{clamped, traffic_rows};
use super::{file_prefixes, Context, Dialect, Script, SqlError, SqlSource};
use crate::analysis::actions::ActionCode;
use crate::analysis::funnel::StepSpec;
use crate::analysis::rfm::Segment;
use crate::ingest::LoadReport;
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::time::Grain;

/// `x` (a DOUBLE) rounded half away from zero to a whole number of cents, as the engine's
/// `round_cents` (both dialects' `round` of a DOUBLE rounds halves away from zero).
fn cents(x: &str) -> String {
    format!("CAST(round({x}) AS BIGINT)")
}

/// The columns of a list row, with their types: every rule's rows are padded to them.
const ROW_COLUMNS: [(&str, &str); 35] = [
    ("key", "TEXT"),
    ("title", "TEXT"),
    ("row_stake", "BIGINT"),
    ("segment", "TEXT"),
    ("last_order_day", "TEXT"),
    ("recency_days", "BIGINT"),
    ("orders", "BIGINT"),
    ("spend", "BIGINT"),
    ("stock", "BIGINT"),
    ("daily_demand", "DOUBLE"),
    ("daily_revenue", "DOUBLE"),
    ("days_of_cover", "DOUBLE"),
    ("days_short", "DOUBLE"),
    ("suggested_order", "BIGINT"),
    ("paid_orders", "BIGINT"),
    ("revenue", "BIGINT"),
    ("refunds", "BIGINT"),
    ("refund_rate", "DOUBLE"),
    ("growth", "DOUBLE"),
    ("quadrant", "TEXT"),
    ("step_index", "BIGINT"),
    ("from_step", "TEXT"),
    ("to_step", "TEXT"),
    ("entrants", "BIGINT"),
    ("reached", "BIGINT"),
    ("today_rate", "DOUBLE"),
    ("median_rate", "DOUBLE"),
    ("history_days", "BIGINT"),
    ("rate_drop", "DOUBLE"),
    ("comparison_day", "TEXT"),
    ("fixed_step", "TEXT"),
    ("onward_rate", "DOUBLE"),
    ("lost_purchases", "DOUBLE"),
    ("aov", "DOUBLE"),
    ("action_stake", "BIGINT"),
];

/// The columns of a fix-a-funnel-step row: a step of the funnel on the comparison day, and the
/// action's figures (the same on every row).
const STEP_ROW: [&str; 15] = [
    "step_index",
    "from_step",
    "to_step",
    "entrants",
    "reached",
    "today_rate",
    "median_rate",
    "history_days",
    "rate_drop",
    "comparison_day",
    "fixed_step",
    "onward_rate",
    "lost_purchases",
    "aov",
    "action_stake",
];

/// The columns of a stock rule's row (restock, ride a riser): the §8 cover figures and days short.
const STOCK_ROW: [&str; 9] = [
    "key",
    "title",
    "row_stake",
    "stock",
    "daily_demand",
    "daily_revenue",
    "days_of_cover",
    "days_short",
    "suggested_order",
];

/// The steps of the engine's funnel from traffic rows, in order: each with the export's role and
/// the step's label in the action's figures (the engine's `TrafficStep` codes).
const TRAFFIC_STEPS: [Field; 3] = [Field::Visitors, Field::CartUsers, Field::Buyers];

/// Where the funnel's daily trend comes from, as the engine's funnel takes it.
#[derive(Clone)]
enum Trend<'a> {
    /// The behaviour logs, read as one (the engine concatenates their events).
    Logs(Vec<&'a (&'a LoadReport, SqlSource)>),
    /// Without a behaviour log, the traffic exports' rows (the engine concatenates them), with the
    /// funnel's steps among 访客数 → 加购人数 → 支付买家数: those the exports map.
    Traffic(Vec<&'a (&'a LoadReport, SqlSource)>, Vec<Field>),
}

/// The rules the script covers, by the files it reads.
struct Covered<'a> {
    stock: bool,
    customers: bool,
    /// The files whose daily funnel fix a funnel step reads; none: the rule is not in the script.
    trend: Option<Trend<'a>>,
}

impl Covered<'_> {
    fn codes(&self) -> Vec<ActionCode> {
        ActionCode::ALL
            .into_iter()
            .filter(|c| match c {
                ActionCode::Restock | ActionCode::RideRiser => self.stock,
                ActionCode::WinBack => self.customers,
                ActionCode::RefundSpike => true,
                ActionCode::FixFunnelStep => self.trend.is_some(),
            })
            .collect()
    }
}

pub(crate) fn actions(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    let d = ctx.d;
    let lists = stock_lists(ctx.others);
    let trend = funnel_trend(ctx);
    let covered = Covered {
        stock: !lists.is_empty(),
        customers: Roles::of(ctx).has(Field::CustomerId),
        trend: trend.clone().ok(),
    };
    let o = &ctx.options.actions;
    s.title =
        "action list: the rules that fire, their lists and the money at stake (DEFINITIONS §11)"
            .into();
    let names: Vec<&str> = covered.codes().iter().map(|c| c.code()).collect();
    let mut missing = Vec::new();
    if let Err(why) = trend {
        missing.push(why);
    }
    if !covered.stock {
        missing.push(
            "restock and ride_riser (a SKU/stock list loaded beside the orders unlocks them)"
                .into(),
        );
    }
    if !covered.customers {
        missing.push("win_back (the export has no customer id column)".into());
    }
    let missing = if missing.is_empty() {
        "none".to_string()
    } else {
        missing.join("; ")
    };
    s.notes.push(format!(
        "Rules in this script: {}. Not in it: {missing}.\n\
         Thresholds: lead time {} days, refund rate ≥ {} × the shop's with ≥ {} paid orders, riser growth ≥ {} and\n\
         cover < {} days. One row per row of each action's list; `stake` is the action's, `row_stake` the row's.",
        names.join(", "),
        o.lead_time_days,
        o.refund_rate_multiple,
        o.min_paid_orders,
        o.riser_growth,
        o.riser_cover_days,
    ));

    // The sections the rules read, written by their own scripts' functions.
    total_steps(s);
    if covered.customers {
        customer_steps(ctx, s)?;
    }
    ranking_steps(ctx, s);
    if covered.stock {
        // The ranking has written the paid lines and their revenue (`paid_line_steps`); the cover
        // reads them.
        cover_steps(ctx, s, &lists);
    }
    // The most steps the funnel can have (the log's options, or the traffic columns mapped); the
    // trend's writer also writes `funnel_step_pairs`, the steps it has.
    let max_steps = match &covered.trend {
        Some(Trend::Logs(logs)) => {
            daily_funnel_steps(ctx, s, logs)?;
            let labels: Vec<String> = ctx.options.funnel.steps.iter().map(step_label).collect();
            log_step_pairs(ctx, s, &labels);
            labels.len()
        }
        Some(Trend::Traffic(exports, steps)) => {
            traffic_funnel_steps(ctx, s, exports, steps);
            steps.len()
        }
        None => 0,
    };

    let mut rules: Vec<(ActionCode, Vec<&str>)> = Vec::new();
    if covered.stock {
        let l = d.double(o.lead_time_days);
        s.step(
            "restock_rows",
            &format!(
                "DEFINITIONS §11 restock: the products whose days of cover (§8) < the lead time L = {} days (no recent\n\
                 sales: no cover, no row); days short = L − max(cover, 0); a row's stake = daily revenue × days short,\n\
                 rounded half away from zero to the cent.",
                o.lead_time_days
            ),
            format!(
                "SELECT *, {} AS row_stake\n\
                 FROM (SELECT product_key AS key, title, stock, daily_demand, daily_revenue, days_of_cover,\n        \
                 {l} - greatest(days_of_cover, CAST(0 AS DOUBLE)) AS days_short,\n        \
                 {SUGGESTED_ORDER} AS suggested_order\n      \
                 FROM needs\n      \
                 WHERE stock IS NOT NULL AND days_of_cover IS NOT NULL AND days_of_cover < {l}) r",
                cents("daily_revenue * days_short")
            ),
        );
        rules.push((ActionCode::Restock, STOCK_ROW.to_vec()));
    }
    if covered.customers {
        let segments = [Segment::WinBack, Segment::KeepActive]
            .iter()
            .map(|g| d.string(g.code()))
            .collect::<Vec<_>>()
            .join(", ");
        s.step(
            "win_back_rows",
            "DEFINITIONS §11 win back: the customers of 重要挽留客户 (win_back) and 重要保持客户 (keep_active), §4.",
            format!(
                "SELECT customer AS key, segment, {} AS last_order_day, recency_days, frequency AS orders,\n  \
                 monetary AS spend\nFROM segmented\nWHERE segment IN ({segments})",
                d.date_text(&d.date_of_day("last_day"))
            ),
        );
        // The stake's count of customers is taken where the rows are staked (`staked_rows`): the
        // rows are read once.
        s.step(
            "win_back_basis",
            "DEFINITIONS §11 win back stake = their number × 客单价 × repurchase rate (§2, whole range) = n · GMV ·\n\
             repeat buyers / buyers²: the shop's GMV, buyers and repeat buyers. None without buyers.",
            "SELECT t.gmv, b.buyers, b.repeat_buyers\nFROM totals t CROSS JOIN buyer_counts b\nWHERE b.buyers > 0"
                .into(),
        );
        rules.push((
            ActionCode::WinBack,
            vec![
                "key",
                "segment",
                "last_order_day",
                "recency_days",
                "orders",
                "spend",
            ],
        ));
    }
    let m = o.refund_rate_multiple;
    let (lhs, rhs) = (
        d.wide("p.refunds") + " * t.gmv",
        d.wide("t.refunds") + " * p.revenue",
    );
    let spike = if m.fract() == 0.0 && m.abs() < 1e12 {
        format!("{lhs} >= {} * {rhs}", m as i64)
    } else {
        format!(
            "CAST({lhs} AS DOUBLE) >= {} * CAST({rhs} AS DOUBLE)",
            d.double(m)
        )
    };
    s.step(
        "refund_spike_rows",
        &format!(
            "DEFINITIONS §11 refund spike: products (§6) with ≥ {} paid orders, revenue > 0, refunds > 0 and refund rate ≥\n\
             {} × the shop's (§2 refunds / GMV; refunds · GMV ≥ m · shop refunds · revenue{}); a row's stake = its refunds.",
            o.min_paid_orders,
            m,
            if m.fract() == 0.0 { ", exact in integers" } else { "" }
        ),
        format!(
            "SELECT p.product_key AS key, p.paid_orders, p.revenue, p.refunds,\n  \
             CAST(p.refunds AS DOUBLE) / p.revenue AS refund_rate, p.refunds AS row_stake\n\
             FROM classified_products p CROSS JOIN totals t\n\
             WHERE t.gmv > 0 AND p.paid_orders >= {} AND p.revenue > 0 AND p.refunds > 0\n  AND {spike}",
            o.min_paid_orders
        ),
    );
    rules.push((
        ActionCode::RefundSpike,
        vec![
            "key",
            "row_stake",
            "paid_orders",
            "revenue",
            "refunds",
            "refund_rate",
        ],
    ));
    if covered.trend.is_some() {
        fix_funnel_step_steps(ctx, s, max_steps);
        rules.push((ActionCode::FixFunnelStep, STEP_ROW.to_vec()));
    }
    if covered.stock {
        let c = d.double(o.riser_cover_days);
        s.step(
            "ride_riser_rows",
            &format!(
                "DEFINITIONS §11 ride a riser: star or question-mark products (§6) whose growth is measured and ≥ {} and\n\
                 whose days of cover (§8) < C = {} days; days short = C − max(cover, 0); a row's stake = daily revenue ×\n\
                 days short, rounded half away from zero to the cent (\"new\" products have no growth: no row).",
                o.riser_growth, o.riser_cover_days
            ),
            format!(
                "SELECT *, {} AS row_stake\n\
                 FROM (SELECT n.product_key AS key, n.title, n.stock, n.daily_demand, n.daily_revenue, n.days_of_cover,\n        \
                 {c} - greatest(n.days_of_cover, CAST(0 AS DOUBLE)) AS days_short, n.suggested_order,\n        \
                 p.revenue, p.growth, p.quadrant\n      \
                 FROM (SELECT product_key, revenue, growth, {QUADRANT} AS quadrant FROM classified_products) p\n      \
                 JOIN (SELECT *, {SUGGESTED_ORDER} AS suggested_order FROM needs) n ON n.product_key = p.product_key\n      \
                 WHERE p.quadrant IN ('star', 'question_mark') AND p.growth IS NOT NULL AND p.growth >= {}\n        \
                 AND n.stock IS NOT NULL AND n.days_of_cover IS NOT NULL AND n.days_of_cover < {c}) r",
                cents("daily_revenue * days_short"),
                d.double(o.riser_growth)
            ),
        );
        rules.push((
            ActionCode::RideRiser,
            [&STOCK_ROW[..], &["revenue", "growth", "quadrant"]].concat(),
        ));
    }

    // Every rule's rows in one shape.
    let text = d.text_type();
    let parts: Vec<String> = rules
        .iter()
        .map(|(code, has)| {
            let cols: Vec<String> = ROW_COLUMNS
                .iter()
                .map(|(name, ty)| {
                    if has.contains(name) {
                        name.to_string()
                    } else {
                        let ty = if *ty == "TEXT" { text } else { ty };
                        format!("CAST(NULL AS {ty}) AS {name}")
                    }
                })
                .collect();
            format!(
                "SELECT {} AS code, {}\nFROM {}_rows",
                d.string(code.code()),
                cols.join(", "),
                code.code()
            )
        })
        .collect();
    s.step(
        "action_rows",
        "Every rule's list in one shape: a product (restock, refund spike, ride a riser), a customer (win back) or a\n\
         step of the funnel (fix a funnel step).",
        parts.join("\nUNION ALL\n"),
    );
    let order: Vec<String> = ActionCode::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| format!("WHEN {} THEN {}", d.string(c.code()), i + 1))
        .collect();
    // Win back's stake is the action's own (its rows' figures are customers'), not the sum of its
    // rows'; fix a funnel step's rows carry the action's stake.
    let summed = if covered.trend.is_some() {
        "coalesce(max(action_stake) OVER (PARTITION BY code), sum(row_stake) OVER (PARTITION BY code))"
    } else {
        "sum(row_stake) OVER (PARTITION BY code)"
    };
    let (stake, from) = if covered.customers {
        let div = match d {
            Dialect::Duckdb => "//",
            Dialect::Spark => "div",
        };
        (
            format!(
                "CASE WHEN r.code = 'win_back'\n    \
                 THEN CAST(CASE WHEN r.num < 0 THEN -1 ELSE 1 END * ((2 * abs(r.num) + r.den) {div} (2 * r.den)) AS BIGINT)\n    \
                 ELSE {summed} END"
            ),
            format!(
                "(SELECT a.*, {} * w.gmv * w.repeat_buyers AS num,\n    \
                 {} * w.buyers AS den, w.buyers AS basis\n  \
                 FROM action_rows a\n    \
                 CROSS JOIN (SELECT max(gmv) AS gmv, max(buyers) AS buyers, max(repeat_buyers) AS repeat_buyers FROM win_back_basis) w) r\n\
                 WHERE r.code <> 'win_back' OR r.basis IS NOT NULL",
                d.wide("count(*) OVER (PARTITION BY a.code)"),
                d.wide("w.buyers")
            ),
        )
    } else {
        (summed.to_string(), "action_rows r".to_string())
    };
    // One read of the rows: the stakes and the ranks are windows over them (Spark writes a step
    // out at every place it is read, and the rows hold every rule's steps).
    s.step(
        "staked_rows",
        "DEFINITIONS §11: each row with its action's stake: the sum of the action's rows' (each already rounded to the\n\
         cent); win back's is its own, from its number of rows (none without buyers: the action is not shown), fix a\n\
         funnel step's on its rows (action_stake). A rule without rows did not fire.",
        format!("SELECT r.*, {stake} AS stake\nFROM {from}"),
    );
    s.select = format!(
        "-- DEFINITIONS §11: actions ranked by money at stake, descending, ties in the rule order restock, win back, refund\n\
         -- spike, fix a funnel step, ride a riser. One row per row of each action's list, actions by rank; products by\n\
         -- their stake descending, customers by spend descending (the RFM order), ties by key; funnel steps in the\n\
         -- funnel's order.\n\
         SELECT dense_rank() OVER (ORDER BY stake DESC, CASE code {} END) AS action_rank, code, stake,\n  \
         row_number() OVER (PARTITION BY code ORDER BY coalesce(row_stake, spend) DESC, step_index, key) AS position,\n  \
         key, title, row_stake, segment, last_order_day, recency_days, orders, spend, stock,\n  \
         daily_demand, daily_revenue, days_of_cover, days_short, suggested_order, paid_orders, revenue,\n  \
         refunds, refund_rate, growth, quadrant, step_index, from_step, to_step, entrants, reached,\n  \
         today_rate, median_rate, history_days, rate_drop, comparison_day, fixed_step, onward_rate,\n  \
         lost_purchases, aov\n\
         FROM staked_rows\n\
         ORDER BY action_rank, position",
        order.join(" ")
    );
    Ok(())
}

/// Where fix a funnel step's daily trend comes from, as the engine's funnel: every events export
/// among the session's other files (read as one log), in load order; without one, every traffic
/// export (their rows concatenated), the steps those exports map among 访客数 → 加购人数 →
/// 支付买家数. The trend must be by day and the funnel options valid. Else why the rule is not in
/// the script.
fn funnel_trend<'a>(ctx: &Context<'a>) -> Result<Trend<'a>, String> {
    let of_kind = |kind: DatasetKind| -> Vec<&'a (&'a LoadReport, SqlSource)> {
        ctx.others
            .iter()
            .filter(|(l, _)| l.error.is_none() && l.kind == Some(kind))
            .collect()
    };
    let (logs, exports) = (of_kind(DatasetKind::Events), of_kind(DatasetKind::Traffic));
    let opts = &ctx.options.funnel;
    let read = if logs.is_empty() { &exports } else { &logs };
    let files = || {
        read.iter()
            .map(|(l, _)| l.file.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let steps: Vec<Field> = TRAFFIC_STEPS
        .into_iter()
        .filter(|&f| {
            exports
                .iter()
                .any(|(l, _)| l.columns.iter().any(|c| c.field == Some(f)))
        })
        .collect();
    if read.is_empty() {
        Err("fix_funnel_step (a behaviour log or a traffic export loaded beside the orders unlocks it)".into())
    } else if opts.trend_grain != Grain::Day {
        Err(format!(
            "fix_funnel_step (the funnel's trend is by {}, not by day: the engine locks it; {} is not read)",
            format!("{:?}", opts.trend_grain).to_lowercase(),
            files()
        ))
    } else if opts.validate().is_err() {
        Err("fix_funnel_step (the funnel options are invalid: the engine locks it)".into())
    } else if !logs.is_empty() {
        Ok(Trend::Logs(logs))
    } else if steps.len() < 2 {
        Err(format!(
            "fix_funnel_step ({} maps fewer than two of 访客数, 加购人数, 支付买家数: the engine's funnel has no step \
             to compare; not read)",
            files()
        ))
    } else {
        Ok(Trend::Traffic(exports, steps))
    }
}

/// The behaviour logs' funnel per day, written by the funnel script's own functions (DEFINITIONS
/// §5, the report's funnel options): each log's reading steps (prefixed `log_`; several logs:
/// `log1_`, `log2_` …, then their union), `events` … `step_events`, then the funnel's trend by day
/// (`period_count_steps`: `day_events`, sequential `day_reach_1` … `day_reach_k`, and
/// `funnel_day_counts`).
fn daily_funnel_steps(
    ctx: &Context,
    s: &mut Script,
    logs: &[&(&LoadReport, SqlSource)],
) -> Result<(), SqlError> {
    let file_options: Vec<_> = logs.iter().map(|(load, _)| ctx.options_of(load)).collect();
    let prefixes = file_prefixes("log", logs.len());
    let log_ctxs: Vec<Context> = logs
        .iter()
        .zip(&file_options)
        .zip(&prefixes)
        .map(|(((load, source), file_options), prefix)| {
            ctx.for_file(load, source, file_options, prefix)
        })
        .collect();
    let log = union_event_steps(&log_ctxs)?;
    s.notes.extend(log.notes);
    s.prelude.extend(log.prelude);
    s.ctes.extend(log.ctes);
    step_steps(&log_ctxs[0], s);
    period_count_steps(&log_ctxs[0], s, Grain::Day, "day");
    Ok(())
}

/// The behaviour logs' funnel steps, as the options name them: `funnel_step_pairs`, each step
/// entered (`step_index` i, from 1) with the step before it and its own label.
fn log_step_pairs(ctx: &Context, s: &mut Script, labels: &[String]) {
    let d = ctx.d;
    let pairs: Vec<String> = (1..labels.len())
        .map(|i| {
            format!(
                "({i}, {}, {})",
                d.string(&labels[i - 1]),
                d.string(&labels[i])
            )
        })
        .collect();
    s.step(
        "funnel_step_pairs",
        "The funnel's steps (the options'): each step entered, step_index i from 1, with the step before it.",
        format!(
            "SELECT * FROM (VALUES {}) AS s(step_index, from_step, to_step)",
            pairs.join(", ")
        ),
    );
}

/// The traffic exports' funnel per day (DEFINITIONS §5, the funnel from traffic rows, as
/// `analysis/funnel/traffic.rs` sums them): their rows as ingest keeps them ([`traffic_rows`]);
/// `summed_traffic_rows`, the shop-level rows (those without a product), or the item rows when
/// the exports have no shop-level row; `traffic_step_positions`, each mapped step's place in the
/// funnel, which has a step only where some summed row gives its count (a column empty in every
/// row leaves its step out, and the steps after it move up); `funnel_step_pairs`; and
/// `funnel_day_counts`: per day, each step's sum (`c1` … by place), a negative count read as 0, a
/// step no row of the day gives counting 0.
fn traffic_funnel_steps(
    ctx: &Context,
    s: &mut Script,
    exports: &[&(&LoadReport, SqlSource)],
    steps: &[Field],
) {
    let d = ctx.d;
    let exports: Vec<(&LoadReport, SqlSource)> =
        exports.iter().map(|(l, src)| (*l, src.clone())).collect();
    traffic_rows(ctx, s, &exports);
    let n = steps.len();
    s.step(
        "summed_traffic_rows",
        "DEFINITIONS §5 from traffic rows: the shop-level rows (no product), or the item rows when there is no shop-level\n\
         row (a visitor then counts once per item).",
        "SELECT *\n\
         FROM (SELECT *, max(CASE WHEN product IS NULL THEN 1 ELSE 0 END) OVER () AS shop_rows FROM traffic_rows) r\n\
         WHERE (product IS NULL) = (shop_rows = 1)"
            .into(),
    );
    let given: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "CASE WHEN count({}) > 0 THEN 1 ELSE 0 END AS g{}",
                f.code(),
                i + 1
            )
        })
        .collect();
    let positions: Vec<String> = (1..=n)
        .map(|i| {
            let before: Vec<String> = (1..=i).map(|j| format!("g{j}")).collect();
            format!(
                "CASE WHEN g{i} = 1 THEN {} END AS pos{i}",
                before.join(" + ")
            )
        })
        .collect();
    s.step(
        "traffic_step_positions",
        &format!(
            "The funnel's steps among {}: a step is in it when some summed row gives its count (g = 1); pos: its place.",
            steps.iter().map(|f| f.code()).collect::<Vec<_>>().join(" → ")
        ),
        format!(
            "SELECT {}\nFROM (SELECT {}\n      FROM summed_traffic_rows) g",
            positions.join(",\n       "),
            given.join(",\n             ")
        ),
    );
    let labelled: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "SELECT pos{n} AS position, {} AS label FROM traffic_step_positions WHERE pos{n} IS NOT NULL",
                d.string(f.code()),
                n = i + 1
            )
        })
        .collect();
    s.step(
        "funnel_step_pairs",
        "The funnel's steps: each step entered, step_index i from 1, with the step before it.",
        format!(
            "SELECT a.position AS step_index, a.label AS from_step, b.label AS to_step\n\
             FROM ({l}) a\n\
             JOIN ({l}) b ON b.position = a.position + 1",
            l = labelled.join(" UNION ALL ")
        ),
    );
    let sums: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, f)| format!("coalesce(sum({}), 0) AS s{}", clamped(f.code()), i + 1))
        .collect();
    let by_place: Vec<String> = (1..=n)
        .map(|place| {
            let arms: Vec<String> = (1..=n)
                .map(|i| format!("WHEN p.pos{i} = {place} THEN d.s{i}"))
                .collect();
            format!("CASE {} END AS c{place}", arms.join(" "))
        })
        .collect();
    s.step(
        "funnel_day_counts",
        "DEFINITIONS §5 trend by day, from traffic rows: each day of the summed rows and per step the sum of that day's\n\
         counts (s1 … by column, c1 … by the step's place; none given: 0). The sums count a visitor once per day and,\n\
         over item rows, once per item.",
        format!(
            "SELECT d.day, {}\n\
             FROM (SELECT day, {}\n      FROM summed_traffic_rows\n      WHERE day IS NOT NULL\n      GROUP BY day) d\n\
             CROSS JOIN traffic_step_positions p",
            by_place.join(",\n       "),
            sums.join(", ")
        ),
    );
}

/// A funnel step's label in the action's figures, as the engine writes it: the canonical step's
/// code (`view`, `cart` …), or a step's names joined by ` / `.
fn step_label(spec: &StepSpec) -> String {
    match spec {
        StepSpec::Canonical(t) => t.code().to_string(),
        StepSpec::Names(names) => names.join(" / "),
    }
}

/// DEFINITIONS §11 fix a funnel step, after `funnel_day_counts` and `funnel_step_pairs`
/// ([`daily_funnel_steps`] and [`log_step_pairs`], or [`traffic_funnel_steps`]; `k`: the most
/// steps the funnel can have) and the §2 totals: `funnel_rates`, `funnel_steps_today` (every step
/// of the funnel on the comparison day against its median) and `fix_funnel_step_rows` (the action's list with its figures and stake; no rows
/// when the rule is locked or quiet). Each step reads the one before once: Spark writes a step out
/// at every place it is read.
fn fix_funnel_step_steps(ctx: &Context, s: &mut Script, k: usize) {
    let d = ctx.d;
    let o = &ctx.options.actions;
    let n = o.funnel_median_days.max(1);
    let min_days = o.funnel_min_history_days.max(1);
    let pick = |offset: usize| -> String {
        let arms: Vec<String> = (1..k)
            .map(|i| format!("WHEN {i} THEN c.c{}", i + offset))
            .collect();
        format!("CASE s.step_index {} END", arms.join(" "))
    };
    s.step(
        "funnel_rates",
        "DEFINITIONS §11 fix a funnel step: each day's rate of a step = count_i / count_{i−1} that day (the funnel's daily\n\
         trend), undefined when count_{i−1} = 0; step_index i: the step entered, from 1. The comparison day T is the\n\
         trend's last day.",
        format!(
            "SELECT *, CASE WHEN entrants > 0 THEN CAST(reached AS DOUBLE) / entrants END AS rate\n\
             FROM (SELECT c.day, c.last_day, s.step_index, s.from_step, s.to_step,\n        \
             {} AS entrants,\n        {} AS reached\n      \
             FROM (SELECT *, max(day) OVER () AS last_day FROM funnel_day_counts) c\n      \
             CROSS JOIN funnel_step_pairs s) r",
            pick(0),
            pick(1),
        ),
    );
    // A step's median: the middle rate of the days before T, or the mean of the two middle ones
    // (2·pos ∈ [n, n + 2]); the later steps' medians multiplied in step order (the engine's
    // product 1 · m_{i+1} · m_{i+2} …). A step the funnel does not have (a traffic column empty in
    // every row) has no median and multiplies by 1; a step it has without a median locks the rule.
    let middle = |agg: &str| {
        format!(
            "{agg}(CASE WHEN 2 * pos BETWEEN history_days AND history_days + 2 THEN past_rate END) OVER (PARTITION BY step_index)"
        )
    };
    let medians: Vec<String> = (1..k)
        .map(|i| format!("max(CASE WHEN step_index = {i} THEN median_rate END) OVER () AS m{i}"))
        .collect();
    let onward: Vec<String> = (1..k)
        .map(|i| {
            let later: String = (i + 1..k)
                .map(|j| format!(" * coalesce(m{j}, 1)"))
                .collect();
            format!("WHEN {i} THEN CAST(1 AS DOUBLE){later}")
        })
        .collect();
    s.step(
        "funnel_steps_today",
        &format!(
            "Every step on T: entrants (count_{{i−1}}), reached (count_i) and today's rate; its median over the days of\n\
             [T − {n}, T − 1] with a rate (none with fewer than {min_days} such days): the middle one, or the mean of the two\n\
             middle ones; drop = median − today; the rate onward: the product of the later steps' medians."
        ),
        format!(
            "SELECT step_index, from_step, to_step, entrants, reached, today_rate, median_rate, history_days, comparison_day,\n  \
             median_rate - today_rate AS rate_drop,\n  CASE step_index {} END AS onward\n\
             FROM (SELECT t.*,\n        {}\n      \
             FROM (SELECT step_index, from_step, to_step, entrants, reached, rate AS today_rate, history_days,\n              \
             CASE WHEN history_days >= {min_days} THEN ({} + {}) / 2 END AS median_rate,\n              \
             {} AS comparison_day, day, last_day\n            \
             FROM (SELECT *, row_number() OVER (PARTITION BY step_index ORDER BY past_rate IS NULL, past_rate) AS pos,\n                    \
             count(past_rate) OVER (PARTITION BY step_index) AS history_days\n                  \
             FROM (SELECT *, CASE WHEN day >= last_day - {n} AND day < last_day THEN rate END AS past_rate\n                        \
             FROM funnel_rates) h) p) t\n      \
             WHERE t.day = t.last_day) x",
            onward.join(" "),
            medians.join(",\n        "),
            middle("min"),
            middle("max"),
            d.date_text(&d.date_of_day("day")),
        ),
    );
    let worst = |value: &str| {
        format!("max(CASE WHEN worst = 1 AND rate_drop > 0 THEN {value} END) OVER ()")
    };
    s.step(
        "fix_funnel_step_rows",
        &format!(
            "DEFINITIONS §11 fix a funnel step: locked unless every step has its median (at least {min_days} days with a rate\n\
             in the {n} days before T); the step that fell most is the largest drop > 0, ties to the earlier step; none:\n\
             quiet. Lost purchases = drop × entrants × the rate onward; stake = round(lost purchases × AOV) (§2: GMV /\n\
             paid orders, the whole range), half away from zero, to the cent. The list: every step on T."
        ),
        format!(
            "SELECT *, {} AS action_stake\n\
             FROM (SELECT w.*, {} AS fixed_step,\n        {} AS onward_rate,\n        \
             {} AS lost_purchases,\n        t.aov\n      \
             FROM (SELECT *, row_number() OVER (ORDER BY CASE WHEN rate_drop > 0 THEN 0 ELSE 1 END, rate_drop DESC, step_index) AS worst,\n              \
             count(median_rate) OVER () AS with_median, count(*) OVER () AS all_steps\n            \
             FROM funnel_steps_today) w\n      \
             CROSS JOIN (SELECT CAST(gmv AS DOUBLE) / NULLIF(paid_orders, 0) AS aov FROM totals) t\n      \
             WHERE w.with_median = w.all_steps AND t.aov IS NOT NULL) f\n\
             WHERE lost_purchases IS NOT NULL",
            cents("lost_purchases * aov"),
            worst("from_step || ' → ' || to_step"),
            worst("onward"),
            worst("rate_drop * CAST(entrants AS DOUBLE) * onward"),
        ),
    );
}
