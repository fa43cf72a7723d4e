//! §5 the funnel from aggregated traffic rows (生意参谋 店铺/商品 exports, no behaviour log): 访客数 →
//! 加购人数 → 支付买家数, each summed over the loaded days, as `analysis/funnel/traffic.rs` sums them.
//!
//! - The rows summed are the shop-level rows (no product id); an export of item rows only sums its
//!   item rows (a visitor of two items counts twice).
//! - A step is in the funnel when some summed row gives its count: a column that is not mapped, or
//!   empty in every row, leaves its step out, and the steps after it move up.
//! - The parts written ([`super::funnel::FUNNEL_COLUMNS`]): `step`, `trend` (the sums per period of
//!   the report's grain, over the rows with a date) and `item` (the item rows' sums per product, top
//!   `item_limit` by the first step, with Σ 支付买家数 / Σ 访客数 as item conversion). A traffic
//!   funnel has no users, names, chains or breakdown.
//! - Several traffic exports in the session are read as one (the engine concatenates their rows);
//!   with a behaviour log loaded too the engine counts the log's events, and this script is refused.
//! - A row ingest rejects (an unreadable date, count or amount) is no row here either.

use super::funnel::funnel_row;
use super::kpi::period_labels;
use super::traffic::{clamped, item_conversion, traffic_rows};
use super::{err, Context, Script, SqlError, SqlSource};
use crate::analysis::funnel::TrafficStep;
use crate::ingest::LoadReport;
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::time::Grain;

/// The traffic funnel's steps in order: the export's column and the step's code in the report.
const STEPS: [(Field, TrafficStep); 3] = [
    (Field::Visitors, TrafficStep::Visitors),
    (Field::CartUsers, TrafficStep::CartUsers),
    (Field::Buyers, TrafficStep::Buyers),
];

fn step_code(step: TrafficStep) -> &'static str {
    match step {
        TrafficStep::Visitors => "visitors",
        TrafficStep::CartUsers => "cart_users",
        TrafficStep::Buyers => "buyers",
    }
}

/// The funnel script of a traffic export (see the module doc).
pub(crate) fn funnel(ctx: &Context) -> Result<Script, SqlError> {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    let read = |kind: DatasetKind| {
        ctx.others
            .iter()
            .filter(move |(l, _)| l.error.is_none() && l.kind == Some(kind))
    };
    if let Some((log, _)) = read(DatasetKind::Events).next() {
        return Err(err(
            "events_loaded",
            format!(
                "{} is loaded too: the funnel counts its behaviour events, not the traffic rows; take its script",
                log.file
            ),
        ));
    }
    let own = (ctx.load, ctx.source.clone());
    let mut exports: Vec<(&LoadReport, SqlSource)> = vec![own];
    exports.extend(read(DatasetKind::Traffic).map(|(l, src)| (*l, src.clone())));
    let mut s = Script {
        title: "funnel from traffic rows, sums of daily unique counts (DEFINITIONS §5)".into(),
        ..Script::default()
    };
    traffic_rows(ctx, &mut s, &exports);
    let sums = step_sums();
    s.step(
        "summed_rows",
        "DEFINITIONS §5 from traffic rows: the shop-level rows (no product id), or the item rows when the exports have\n\
         no shop-level row (a visitor of two items then counts twice).",
        "SELECT r.*\nFROM traffic_rows r\n\
         CROSS JOIN (SELECT count(CASE WHEN product IS NULL THEN 1 END) > 0 AS shop_rows FROM traffic_rows) k\n\
         WHERE (r.product IS NULL) = k.shop_rows"
            .into(),
    );
    s.step(
        "traffic_totals",
        "Each step's sum over the summed rows (NULL: no row gives that count).",
        format!("SELECT {}\nFROM summed_rows", sums.join(", ")),
    );
    let present: Vec<String> = STEPS
        .iter()
        .enumerate()
        .map(|(i, (f, step))| {
            format!(
                "SELECT {} AS k, {} AS label, {c} AS total FROM traffic_totals WHERE {c} IS NOT NULL",
                i + 1,
                d.string(step_code(*step)),
                c = f.code()
            )
        })
        .collect();
    s.step(
        "traffic_steps",
        "The funnel's steps: 访客数 → 加购人数 → 支付买家数, those some summed row gives (k: the column, 1–3).",
        format!(
            "SELECT row_number() OVER (ORDER BY k) AS step, k, label, total\nFROM (\n{}\n) t",
            present.join("\nUNION ALL\n")
        ),
    );
    s.step(
        "funnel_step_rows",
        "DEFINITIONS §5 per step: the summed daily unique counts, conversion from the previous step and overall, drop-off.",
        format!(
            "SELECT {}\nFROM traffic_steps",
            funnel_row(
                d,
                "step",
                &[
                    ("position", "step"),
                    ("step", "step"),
                    ("label", "label"),
                    ("users", "total"),
                    (
                        "conversion_from_previous",
                        "CAST(total AS DOUBLE) / NULLIF(lag(total) OVER (ORDER BY step), 0)",
                    ),
                    (
                        "overall_conversion",
                        "CAST(total AS DOUBLE) / NULLIF(first_value(total) OVER (ORDER BY step), 0)",
                    ),
                    ("drop_off", "coalesce(lag(total) OVER (ORDER BY step) - total, 0)"),
                ]
            )
        ),
    );
    // A group's count of step `k` from its sums (`visitors`, `cart_users`, `buyers`), 0 where none.
    let of_step = |t: &str| {
        let arms: Vec<String> = STEPS
            .iter()
            .enumerate()
            .map(|(i, (f, _))| format!("WHEN {} THEN coalesce({t}.{}, 0)", i + 1, f.code()))
            .collect();
        format!("CASE s.k {} END", arms.join(" "))
    };
    // Last step / first step of a group's rows (window `w`, partitioned by the group).
    let overall = "CAST(last_value(users) OVER w AS DOUBLE) / NULLIF(first_value(users) OVER w, 0)";
    let window = |partition: &str| {
        format!("WINDOW w AS (PARTITION BY {partition} ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")
    };
    let grain = match opts.trend_grain {
        Grain::Day => 0,
        Grain::Week => 1,
        Grain::Month => 2,
    };
    let (grain_name, label, _) = period_labels(d, "day")[grain].clone();
    s.step(
        "traffic_periods",
        &format!(
            "DEFINITIONS §5 trend by {grain_name}, from traffic rows: each period's sums over the summed rows that carry a date."
        ),
        format!(
            "SELECT period, {}\nFROM (SELECT *, {label} AS period FROM summed_rows WHERE day IS NOT NULL) r\nGROUP BY period",
            sums.join(", ")
        ),
    );
    let trend_inner = format!(
        "SELECT p.period, s.step, {} AS users\n  FROM traffic_periods p CROSS JOIN traffic_steps s",
        of_step("p")
    );
    s.step(
        "funnel_trend_rows",
        "Per period (oldest first) and step: the step's sum; overall conversion = last step / first step of the period.",
        format!(
            "SELECT {}\nFROM ({trend_inner}) g\n{}",
            funnel_row(
                d,
                "trend",
                &[
                    ("position", "dense_rank() OVER (ORDER BY period)"),
                    ("period", "period"),
                    ("step", "step"),
                    ("users", "users"),
                    ("overall_conversion", overall),
                ]
            ),
            window("period")
        ),
    );
    item_rows(ctx, &mut s, &of_step("i"), overall, &window("product"));
    s.select = super::funnel::funnel_select(&["step", "trend", "item"]);
    Ok(s)
}

/// `funnel_item_rows`: per product of the item rows (whether or not shop-level rows are summed), each
/// step's sum (`of_step`), the top `item_limit` by the first step (ties by product key), with its
/// title (the first its rows give) and Σ 支付买家数 / Σ 访客数 as item conversion.
fn item_rows(ctx: &Context, s: &mut Script, of_step: &str, overall: &str, window: &str) {
    let d = ctx.d;
    let limit = ctx.options.funnel.item_limit;
    let sums = step_sums();
    s.step(
        "traffic_items",
        "DEFINITIONS §5 per item (选品) from the item rows: each step's sum, the first title the rows give, and item conversion\n\
         Σ 支付买家数 / Σ 访客数 (NULL where either count is never given, or no visitor).",
        format!(
            "SELECT product, {}, {} AS title,\n  {} AS item_conversion\n\
             FROM traffic_rows\nWHERE product IS NOT NULL\nGROUP BY product",
            sums.join(", "),
            d.first_by(
                "title",
                &format!(
                    "CASE WHEN title IS NOT NULL THEN export * {} + shoplens_line END",
                    1_i64 << 40
                )
            ),
            item_conversion(),
        ),
    );
    s.step(
        "ranked_items",
        &format!("The {limit} items with the most of the first step (ties by product key)."),
        format!(
            "SELECT * FROM (\n  SELECT i.*, row_number() OVER (ORDER BY {} DESC, i.product) AS position\n  \
             FROM traffic_items i CROSS JOIN (SELECT k FROM traffic_steps WHERE step = 1) s\n) r\nWHERE position <= {limit}",
            of_step
        ),
    );
    s.step(
        "funnel_item_rows",
        "Per item (by rank) and step: the step's sum; overall conversion = last step / first step of the item.",
        format!(
            "SELECT {}\nFROM (\n  SELECT i.position, i.product, i.title, i.item_conversion, s.step, {} AS users\n  \
             FROM ranked_items i CROSS JOIN traffic_steps s\n) g\n{window}",
            funnel_row(
                d,
                "item",
                &[
                    ("position", "position"),
                    ("grp", "product"),
                    ("title", "title"),
                    ("step", "step"),
                    ("users", "users"),
                    ("overall_conversion", overall),
                    ("item_conversion", "item_conversion"),
                ]
            ),
            of_step
        ),
    );
}

/// Each step's count summed over rows, as `sum(<clamped count>) AS <count>` (shop totals and per item).
fn step_sums() -> Vec<String> {
    STEPS
        .iter()
        .map(|(f, _)| format!("sum({}) AS {}", clamped(f.code()), f.code()))
        .collect()
}
