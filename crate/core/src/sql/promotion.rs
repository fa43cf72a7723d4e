//! §7 promotion readout (活动复盘): a campaign window against its baseline and the window right
//! after it, every §2 KPI of each with per-day figures and changes, the orders decomposition of
//! GMV, the new buyers won, the campaign's refunds and the product lift, as
//! `analysis::promotion` computes them.
//!
//! **The campaign window.** Given in the options, it is written into the script as constants.
//! Otherwise the script proposes it from the data by the engine's peak rule
//! (`analysis/promotion/peaks.rs`, its constants read from there): daily GMV dense from the first
//! to the last paid day; a day's reference level is the median of the days within ±28 days
//! (computed from ranks, so both dialects give the same value); high days at ≥ 1.4 × a positive
//! level, merged across gaps of ≤ 2 days; windows ranked by excess GMV (Σ GMV − level, which is a
//! sum of half-cents and so exact: it is summed in integers as 2 × GMV − 2 × level), the top one
//! chosen. With no peak (fewer than 14 days of data, or none stands out) or no paid order the
//! engine refuses the section, and the script returns no rows.
//!
//! **The baseline** is computed from the campaign window in the script: the same length ending the
//! day before (`before`, the default), the same calendar dates a year earlier (`year_before`,
//! 29 February → 28 February), or the user's window as constants.
//!
//! **Traffic.** With shop traffic exports (生意参谋 店铺, Shopify sessions: a visitors column)
//! loaded beside the orders, the script reads their rows as ingest keeps them (several as one): each window's visitors (the sum over the
//! shop-level rows, those without a product, of its days; a date the script's timestamp reading
//! does not know is no day) and conversion rate (buyers / visitors) join the metric rows, and
//! where every day of both the baseline and the campaign has a shop-level row with visitors (the
//! engine's "the export covers both windows") the traffic decomposition GMV = visitors ×
//! conversion rate × 客单价 follows the orders one (part `traffic_decomposition`; none otherwise,
//! as the engine's `traffic: None`). The traffic rows are read once, into the windows' KPIs.
//!
//! **Left out.** Without a traffic export there are no visitors, conversion rate or traffic
//! decomposition. The festival a window falls on (the platform
//! calendar) and product titles are labels, not figures, and are not written either; proposals are
//! listed only when the script proposes the window.
//!
//! **One pass per need.** Spark plans a CTE at every place it is read (its InlineCTE rule), so a
//! step read by several later ones, each read several times, multiplies the plan. The readout
//! reads the orders once to tag each with the windows it falls in (a join to the three-row
//! `windows`), then sums per window and customer and per window (`window_sums`): the metrics, the
//! decomposition, new buyers and refunds all read those sums. The proposal steps each read the step
//! before once, the data's span carried along; the product lift reads the allocated lines once.
//! Written out at every use, the script stays within about 13 × its own size
//! (`tests/independent/sql_expansion.py`).
//!
//! One result set, a `part` column saying what each row holds: `data` (first and last paid day),
//! `window` (baseline, campaign, after: dates, length, covered days, where it came from),
//! `proposal` (the proposed windows, best first), `metric` (each §2 metric in the three windows,
//! per covered day where additive, and the changes against the baseline), `decomposition`,
//! `traffic_decomposition`,
//! `new_buyers` and `refunds` (one figure a row, in `value`), `product` (lift, in the engine's
//! order, with the ranks among the top gainers and losers).

use super::traffic::traffic_rows;
use super::{err, kpi, list, products, Context, Dialect, Script, SqlError, SqlSource};
use crate::analysis::filter::parse_day;
use crate::analysis::promotion::{
    Baseline, BaselineRule, MetricUnit, HALF_SPAN, HIGH_FACTOR, KPI_METRICS, MAX_GAP,
    MAX_PROPOSALS, MAX_SPAN_DAYS, MIN_DAYS, TOP_MOVERS,
};
use crate::ingest::LoadReport;
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::time::Day;

/// The metrics of `KPI_METRICS` that need a traffic export; the script reads orders only.
const TRAFFIC_METRICS: [&str; 2] = ["visitors", "conversion_rate"];

/// The output columns and their types, in order; each part fills some and leaves the rest NULL.
const COLUMNS: [(&str, Type); 30] = [
    ("part", Type::Text),
    ("rank", Type::Int),
    ("name", Type::Text),
    ("note", Type::Text),
    ("from_day", Type::Text),
    ("to_day", Type::Text),
    ("days", Type::Int),
    ("covered_days", Type::Int),
    ("baseline", Type::Double),
    ("campaign", Type::Double),
    ("after", Type::Double),
    ("change", Type::Double),
    ("after_change", Type::Double),
    ("baseline_per_day", Type::Double),
    ("campaign_per_day", Type::Double),
    ("after_per_day", Type::Double),
    ("change_per_day", Type::Double),
    ("after_change_per_day", Type::Double),
    ("share", Type::Double),
    ("contribution", Type::Double),
    ("baseline_units", Type::Int),
    ("campaign_units", Type::Int),
    ("lift_per_day", Type::Double),
    ("top_gainer", Type::Int),
    ("top_loser", Type::Int),
    ("gmv", Type::Int),
    ("excess_gmv", Type::Int),
    ("peak_day", Type::Text),
    ("peak_ratio", Type::Double),
    ("value", Type::Double),
];

/// One part of the result set: its name, its columns' expressions, what it reads.
type Part = (&'static str, Vec<(&'static str, String)>, String);

#[derive(Clone, Copy)]
enum Type {
    Text,
    Int,
    Double,
}

impl Type {
    fn sql(self, d: Dialect) -> &'static str {
        match self {
            Type::Text => d.text_type(),
            Type::Int => "BIGINT",
            Type::Double => "DOUBLE",
        }
    }
}

/// A window of the options as day numbers, or the reason it is invalid.
fn days_of(which: &str, from: &str, to: &str) -> Result<(Day, Day), SqlError> {
    let day = |s: &str| {
        parse_day(s).ok_or_else(|| {
            err(
                "invalid_window",
                format!("the {which} window's {s:?} is not a YYYY-MM-DD date"),
            )
        })
    };
    let (a, b) = (day(from)?, day(to)?);
    if a > b {
        return Err(err(
            "invalid_window",
            format!("the {which} window starts ({from}) after it ends ({to})"),
        ));
    }
    Ok((a, b))
}

fn unit_code(unit: MetricUnit) -> &'static str {
    match unit {
        MetricUnit::Money => "money",
        MetricUnit::Count => "count",
        MetricUnit::Ratio => "ratio",
    }
}

pub(crate) fn promotion(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    let d = ctx.d;
    let opts = &ctx.options.promotion;
    s.title = "promotion readout (DEFINITIONS §7)".into();
    let campaign = opts
        .campaign
        .as_ref()
        .map(|w| days_of("campaign", &w.from, &w.to).map(|days| (days, w)))
        .transpose()?;
    let baseline_window = match &opts.baseline {
        Baseline::Window(w) => Some((days_of("baseline", &w.from, &w.to)?, w)),
        Baseline::Rule(_) => None,
    };
    let traffic_files = traffic_exports(ctx);
    let traffic = traffic_files.is_some();
    s.notes.push(match &traffic_files {
        Some(files) => format!(
            "Visitors, conversion rate and the traffic decomposition (visitors × conversion rate × 客单价) read the\n\
             shop-level visitors of {}. Festival names and product titles are labels and are left out.",
            files
                .iter()
                .map(|(l, _)| l.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "Not covered: the traffic decomposition (visitors × conversion rate × 客单价) needs a shop traffic export\n\
             loaded beside the orders: visitors and conversion are not in it. Festival names and product titles are\n\
             labels and are left out."
            .into(),
    });
    let date = |day: &str| d.date_text(&d.date_of_day(day));

    // The data's span travels with the campaign (and so with every window) as three columns: the
    // first and last paid day, and whether any paid order has a customer id. Read from the windows,
    // they cost no second pass over the orders.
    match campaign {
        Some(((a, b), w)) => {
            s.step(
                "data_span",
                "DEFINITIONS §7: the first and last day with a paid order (covered days, and how far \"after\" reaches),\n\
                 and whether any paid order has a customer id (without one, buyer figures are NULL).",
                "SELECT min(day) AS first_day, max(day) AS last_day, count(customer) > 0 AS known\nFROM paid_orders".into(),
            );
            s.step(
                "campaign",
                "DEFINITIONS §7 campaign window [a, b], whole days, as the report's options choose it.",
                format!(
                    "SELECT CAST({a} AS BIGINT) AS campaign_from, CAST({b} AS BIGINT) AS campaign_to, 'chosen' AS campaign_source,\n  \
                     first_day, last_day, known\n\
                     FROM data_span\nWHERE first_day IS NOT NULL -- {} … {}",
                    w.from, w.to
                ),
            )
        }
        None => {
            proposal_steps(d, s);
            s.step(
                "campaign",
                "DEFINITIONS §7 campaign window: the top proposal (none: no peak, and no rows).",
                "SELECT from_day AS campaign_from, to_day AS campaign_to, 'proposed' AS campaign_source,\n  \
                 first_day, last_day, known\n\
                 FROM proposals\nWHERE proposal_rank = 1"
                    .into(),
            );
        }
    }
    let (baseline, baseline_rule) = match (&opts.baseline, baseline_window) {
        (_, Some(((f, t), w))) => (
            (
                format!("CAST({f} AS BIGINT)"),
                format!("CAST({t} AS BIGINT)"),
                "chosen",
            ),
            format!("the window the options give, {} … {}", w.from, w.to),
        ),
        (Baseline::Rule(BaselineRule::YearBefore), None) => {
            let year_before = |day: &str| {
                let date = d.date_of_day(day);
                d.day_of_date(&format!(
                    "make_date(year({date}) - 1, month({date}), CASE WHEN month({date}) = 2 AND dayofmonth({date}) = 29 THEN 28 ELSE dayofmonth({date}) END)"
                ))
            };
            (
                (
                    year_before("campaign_from"),
                    year_before("campaign_to"),
                    "year_before",
                ),
                "the same calendar dates one year earlier (29 February becomes 28 February)".into(),
            )
        }
        _ => (
            (
                "2 * campaign_from - campaign_to - 1".into(),
                "campaign_from - 1".into(),
                "before",
            ),
            "the same length, ending the day before the campaign".into(),
        ),
    };
    s.step(
        "window_bounds",
        &format!(
            "DEFINITIONS §7 windows: the baseline ({baseline_rule}); the campaign; the after-window of the\n\
             campaign's length right after it. A tiny relation, three rows, that the orders are tagged by."
        ),
        format!(
            "SELECT k.period, k.rank,\n  \
             CASE k.period WHEN 'baseline' THEN {}\n                 \
             WHEN 'campaign' THEN campaign_from ELSE campaign_to + 1 END AS from_day,\n  \
             CASE k.period WHEN 'baseline' THEN {}\n                 \
             WHEN 'campaign' THEN campaign_to ELSE 2 * campaign_to - campaign_from + 1 END AS to_day,\n  \
             CASE k.period WHEN 'baseline' THEN '{}' WHEN 'campaign' THEN campaign_source END AS source,\n  \
             first_day, last_day, known\n\
             FROM campaign CROSS JOIN (VALUES ('baseline', 1), ('campaign', 2), ('after', 3)) AS k(period, rank)",
            baseline.0,
            baseline.1,
            baseline.2,
        ),
    );
    s.step(
        "windows",
        "Each window's length and covered days: its days between the first and the last paid day (per-day figures\n\
         divide by them, so a window reaching past the data is not diluted).",
        "SELECT *, to_day - from_day + 1 AS days,\n  \
         greatest(least(to_day, last_day) - greatest(from_day, first_day) + 1, 0) AS covered_days\n\
         FROM window_bounds"
            .into(),
    );
    if let Some(files) = &traffic_files {
        traffic_steps(ctx, s, files);
    }
    s.step(
        "order_facts",
        "DEFINITIONS §2 new buyers, §7 came back: each paid order with its customer's first and last paid day in the\n\
         whole data (read before the orders are tagged, which keeps only the windows' days).",
        "SELECT order_key, customer, paid_amount, refund, units, day,\n  \
         min(day) OVER (PARTITION BY customer) AS customer_first_day,\n  \
         max(day) OVER (PARTITION BY customer) AS customer_last_day\n\
         FROM paid_orders"
            .into(),
    );
    s.step(
        "in_window",
        "DEFINITIONS §7: each paid order tagged with every window its day falls in (windows may overlap), in one pass\n\
         over the orders; a window without paid orders keeps one row without an order.",
        "SELECT w.*, o.order_key, o.customer, o.paid_amount, o.refund, o.units, o.day,\n  \
         o.customer_first_day, o.customer_last_day\n\
         FROM windows w LEFT JOIN order_facts o ON o.day BETWEEN w.from_day AND w.to_day"
            .into(),
    );
    const WINDOW: &str =
        "period, rank, from_day, to_day, days, covered_days, source, first_day, last_day, known";
    s.step(
        "window_buyers",
        "DEFINITIONS §2 per window and customer (one group for the orders without one): paid orders and sums; new\n\
         (first paid order in the whole data inside the window); came back (new, with a paid order after the window).",
        format!(
            "SELECT {WINDOW}, customer,\n  \
             count(day) AS orders, sum(paid_amount) AS gmv, sum(refund) AS refunds, sum(units) AS units,\n  \
             count(CASE WHEN refund > 0 THEN 1 END) AS refunded_orders,\n  \
             max(CASE WHEN customer_first_day BETWEEN from_day AND to_day THEN 1 ELSE 0 END) AS is_new,\n  \
             max(CASE WHEN customer_first_day BETWEEN from_day AND to_day AND customer_last_day > to_day THEN 1 ELSE 0 END)\n    \
             AS came_back\n\
             FROM in_window\nGROUP BY {WINDOW}, customer"
        ),
    );
    s.step(
        "window_sums",
        "DEFINITIONS §2 sums of every window (0 without paid orders): GMV, refunds, paid orders, units, refunded\n\
         orders; buyers (distinct customer ids), repeat buyers (≥ 2 paid orders in it), new buyers and those who\n\
         came back — NULL without customer ids.",
        format!(
            "SELECT {WINDOW},\n  \
             coalesce(sum(gmv), 0) AS gmv, coalesce(sum(refunds), 0) AS refunds, coalesce(sum(orders), 0) AS paid_orders,\n  \
             coalesce(sum(units), 0) AS units, coalesce(sum(refunded_orders), 0) AS refunded_orders,\n  \
             CASE WHEN known THEN count(customer) END AS buyers,\n  \
             CASE WHEN known THEN count(CASE WHEN customer IS NOT NULL AND orders >= 2 THEN 1 END) END AS repeat_buyers,\n  \
             CASE WHEN known THEN coalesce(sum(CASE WHEN customer IS NOT NULL THEN is_new END), 0) END AS new_buyers,\n  \
             CASE WHEN known THEN coalesce(sum(CASE WHEN customer IS NOT NULL THEN came_back END), 0) END AS came_back\n\
             FROM window_buyers\nGROUP BY {WINDOW}"
        ),
    );
    s.step(
        "window_kpis",
        if traffic {
            "DEFINITIONS §7: all KPIs of §2 on each window (new buyers: first paid order in the whole data inside it),\n\
             visitors from the traffic export and conversion rate = buyers / visitors."
        } else {
            "DEFINITIONS §7: all KPIs of §2 on each window (new buyers: first paid order in the whole data inside it)."
        },
        format!(
            "SELECT t.period, t.rank, t.from_day, t.to_day, t.days, t.covered_days, t.source, t.last_day,\n  \
             t.refunded_orders, t.came_back,\n  {}{}\n\
             FROM window_sums t{}",
            kpi::kpi_columns("t", "t"),
            if traffic {
                ",\n  v.visitors, CAST(t.buyers AS DOUBLE) / NULLIF(v.visitors, 0) AS conversion_rate, v.covered"
            } else {
                ""
            },
            if traffic {
                " LEFT JOIN traffic_windows v ON v.period = t.period"
            } else {
                ""
            },
        ),
    );

    // The side-by-side metrics, from the engine's own table.
    let metrics: Vec<_> = KPI_METRICS
        .iter()
        .filter(|m| traffic || !TRAFFIC_METRICS.contains(&m.0))
        .collect();
    let values: Vec<String> = metrics
        .iter()
        .enumerate()
        .map(|(i, &&(name, unit, additive, _))| {
            format!("('{name}', {}, '{}', {additive})", i + 1, unit_code(unit))
        })
        .collect();
    s.step(
        "metrics",
        if traffic {
            "The §2 metrics side by side; additive ones (sums) are also shown per covered day."
        } else {
            "The §2 metrics side by side (visitors and conversion need a traffic export); additive ones (sums) are\n\
             also shown per covered day."
        },
        format!(
            "SELECT * FROM (VALUES\n{}\n) AS m(metric, rank, unit, additive)",
            list(&values, "  ")
        ),
    );
    let arms: Vec<String> = metrics
        .iter()
        .map(|m| format!("WHEN '{0}' THEN CAST(w.{0} AS DOUBLE)", m.0))
        .collect();
    s.step(
        "metric_values",
        "Each metric's value in each window.",
        format!(
            "SELECT m.metric, m.rank, m.unit, m.additive, w.period, w.covered_days,\n  CASE m.metric\n{}\n  END AS value\n\
             FROM window_kpis w CROSS JOIN metrics m",
            arms.iter()
                .map(|a| format!("    {a}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    );
    let pick =
        |period: &str| format!("max(CASE WHEN period = '{period}' THEN value END) AS {period}");
    let per_day = |period: &str| {
        format!(
            "max(CASE WHEN period = '{period}' AND additive THEN value / NULLIF(CAST(covered_days AS DOUBLE), 0) END) AS {period}_per_day"
        )
    };
    s.step(
        "metric_rows",
        "DEFINITIONS §7: totals per window, and per covered day for the additive metrics (NULL without covered days).",
        format!(
            "SELECT metric, rank, unit,\n{}\nFROM metric_values\nGROUP BY metric, rank, unit",
            list(
                &[
                    pick("baseline"),
                    pick("campaign"),
                    pick("after"),
                    per_day("baseline"),
                    per_day("campaign"),
                    per_day("after"),
                ],
                "  "
            )
        ),
    );
    let change = |x: &str, y: &str| format!("({y} - {x}) / NULLIF({x}, 0)");
    s.step(
        "metric_changes",
        "Changes against the baseline, relative ((x − baseline) / baseline, for ratios too); NULL where the\n\
         baseline is 0 or missing.",
        format!(
            "SELECT *,\n  {} AS change,\n  {} AS after_change,\n  {} AS change_per_day,\n  {} AS after_change_per_day\nFROM metric_rows",
            change("baseline", "campaign"),
            change("baseline", "after"),
            change("baseline_per_day", "campaign_per_day"),
            change("baseline_per_day", "after_per_day"),
        ),
    );

    // The campaign against the baseline, in one row: the decomposition, new buyers and refunds.
    let of = |period: &str, column: &str, alias: &str| {
        format!("max(CASE WHEN period = '{period}' THEN {column} END) AS {alias}")
    };
    let pivot = [
        of("baseline", "gmv", "gmv0"),
        of("campaign", "gmv", "gmv1"),
        of("baseline", "buyers", "buyers0"),
        of("campaign", "buyers", "buyers1"),
        of("baseline", "paid_orders", "orders0"),
        of("campaign", "paid_orders", "orders1"),
        of("baseline", "aov", "aov0"),
        of("campaign", "aov", "aov1"),
        of("baseline", "refund_rate", "refund_rate0"),
        of("campaign", "refunds", "refunds1"),
        of("campaign", "refunded_orders", "refunded_orders1"),
        of("campaign", "refund_rate", "refund_rate1"),
        of("campaign", "refund_order_rate", "refund_order_rate1"),
        of("campaign", "new_buyers", "new_buyers1"),
        of("campaign", "to_day", "campaign_to"),
        of("campaign", "came_back", "came_back"),
        "max(last_day) AS last_day".to_string(),
    ];
    let pivot: Vec<String> = if traffic {
        pivot
            .into_iter()
            .chain([
                of("baseline", "visitors", "visitors0"),
                of("campaign", "visitors", "visitors1"),
                "min(CASE WHEN period = 'after' THEN 1 WHEN covered THEN 1 ELSE 0 END) = 1 AS covered".to_string(),
            ])
            .collect()
    } else {
        pivot.to_vec()
    };
    s.step(
        "campaign_vs_baseline",
        "The baseline's and the campaign's figures side by side, with the data's last day and the buyers who came back\n\
         (DEFINITIONS §7 new buyers: first paid order in the data inside the campaign, another paid order after it).",
        format!(
            "SELECT\n{}\nFROM window_kpis\nHAVING count(*) > 0",
            list(&pivot, "  ")
        ),
    );
    let per = |n: &str, den: &str| format!("coalesce(CAST({n} AS DOUBLE) / NULLIF({den}, 0), 0)");
    // The traffic decomposition, with a shop traffic export beside the orders: its factors read the
    // same row of the campaign against the baseline, with the windows' visitors beside it.
    let traffic_factors = if traffic {
        format!(
            "\nUNION ALL\n\
             SELECT 'traffic_decomposition' AS part, f.factor, f.rank, gmv0, gmv1,\n  \
             CASE f.factor WHEN 'visitors' THEN CAST(visitors0 AS DOUBLE) WHEN 'conversion_rate' THEN {}\n    \
             ELSE {} END AS baseline,\n  \
             CASE f.factor WHEN 'visitors' THEN CAST(visitors1 AS DOUBLE) WHEN 'conversion_rate' THEN {}\n    \
             ELSE {} END AS campaign\n\
             FROM campaign_vs_baseline\n  \
             CROSS JOIN (VALUES ('visitors', 1), ('conversion_rate', 2), ('revenue_per_buyer', 3)) AS f(factor, rank)\n\
             WHERE buyers0 IS NOT NULL AND covered",
            per("buyers0", "visitors0"),
            per("gmv0", "buyers0"),
            per("buyers1", "visitors1"),
            per("gmv1", "buyers1"),
        )
    } else {
        String::new()
    };
    s.step(
        "factors",
        &format!(
            "DEFINITIONS §7 decomposition: GMV = buyers × orders per buyer × AOV (cents), baseline against campaign{}; a\n\
             factor whose denominator is 0 is 0. Only with customer ids (buyers known).",
            if traffic {
                ",\nand GMV = visitors × conversion rate (buyers / visitors) × 客单价 (GMV / buyers) where the traffic export\n\
                 covers both windows"
            } else {
                ""
            }
        ),
        format!(
            "SELECT 'decomposition' AS part, f.factor, f.rank, gmv0, gmv1,\n  \
             CASE f.factor WHEN 'buyers' THEN CAST(buyers0 AS DOUBLE) WHEN 'orders_per_buyer' THEN {}\n    \
             ELSE coalesce(aov0, 0) END AS baseline,\n  \
             CASE f.factor WHEN 'buyers' THEN CAST(buyers1 AS DOUBLE) WHEN 'orders_per_buyer' THEN {}\n    \
             ELSE coalesce(aov1, 0) END AS campaign\n\
             FROM campaign_vs_baseline CROSS JOIN (VALUES ('buyers', 1), ('orders_per_buyer', 2), ('aov', 3)) AS f(factor, rank)\n\
             WHERE buyers0 IS NOT NULL{}",
            per("orders0", "buyers0"),
            per("orders1", "buyers1"),
            traffic_factors,
        ),
    );
    s.step(
        "factor_checks",
        "Undefined when a factor or GMV is 0 (zero_factor) or GMV is unchanged (gmv_unchanged).",
        "SELECT *,\n  \
         CASE WHEN NOT (gmv0 > 0 AND gmv1 > 0 AND min(CASE WHEN baseline > 0 AND campaign > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY part) = 1)\n         \
         THEN 'zero_factor'\n       \
         WHEN gmv0 = gmv1 THEN 'gmv_unchanged' END AS undefined\n\
         FROM factors"
            .into(),
    );
    s.step(
        "factor_shares",
        "Each factor's share of the change: ln(f₁ / f₀) / ln(GMV₁ / GMV₀) (the shares sum to 1), its contribution\n\
         share × (GMV₁ − GMV₀) cents.",
        "SELECT *,\n  CASE WHEN undefined IS NULL THEN ln(campaign / baseline) / ln(CAST(gmv1 AS DOUBLE) / gmv0) END AS share\n\
         FROM factor_checks"
            .into(),
    );
    // One figure a row: (part, rank, name, value, note).
    let observed = "last_day > campaign_to";
    let figures: [(&str, &str, String, bool); 11] = [
        ("new_buyers", "count", "new_buyers1".into(), false),
        (
            "new_buyers",
            "share",
            "CAST(new_buyers1 AS DOUBLE) / NULLIF(buyers1, 0)".into(),
            false,
        ),
        (
            "new_buyers",
            "came_back",
            format!("CASE WHEN {observed} AND new_buyers1 IS NOT NULL THEN came_back END"),
            false,
        ),
        (
            "new_buyers",
            "came_back_rate",
            format!(
                "CASE WHEN {observed} THEN CAST(came_back AS DOUBLE) / NULLIF(new_buyers1, 0) END"
            ),
            false,
        ),
        (
            "new_buyers",
            "days_observed",
            "greatest(last_day - campaign_to, 0)".into(),
            true,
        ),
        ("refunds", "refunds", "refunds1".into(), true),
        (
            "refunds",
            "refunded_orders",
            "refunded_orders1".into(),
            false,
        ),
        ("refunds", "paid_orders", "orders1".into(), false),
        ("refunds", "refund_rate", "refund_rate1".into(), false),
        (
            "refunds",
            "refund_order_rate",
            "refund_order_rate1".into(),
            false,
        ),
        (
            "refunds",
            "baseline_refund_rate",
            "refund_rate0".into(),
            false,
        ),
    ];
    let keys: Vec<String> = figures
        .iter()
        .enumerate()
        .map(|(i, (part, name, _, _))| {
            let rank = 1 + figures[..i].iter().filter(|f| f.0 == *part).count();
            format!("('{part}', {rank}, '{name}')")
        })
        .collect();
    let arms: Vec<String> = figures
        .iter()
        .map(|(part, name, value, _)| {
            format!("WHEN f.part = '{part}' AND f.name = '{name}' THEN CAST({value} AS DOUBLE)")
        })
        .collect();
    let dated: Vec<String> = figures
        .iter()
        .filter(|f| f.3)
        .map(|(part, name, _, _)| format!("(f.part = '{part}' AND f.name = '{name}')"))
        .collect();
    s.step(
        "figures",
        "DEFINITIONS §7 new buyers: their count and share of the campaign's buyers, how many came back up to the last\n\
         day of the data (NULL when the data ends on or before the campaign's last day), the days observed after it.\n\
         Refunds after: the refunds of the campaign's paid orders as exported (refunds after the export are not in\n\
         it), against the baseline's refund rate. The note is the last day of the data.",
        format!(
            "SELECT f.part, f.rank, f.name,\n  CASE\n{}\n  END AS value,\n  CASE WHEN {} THEN {} END AS note\n\
             FROM campaign_vs_baseline CROSS JOIN (VALUES\n{}\n) AS f(part, rank, name)",
            arms.iter()
                .map(|a| format!("    {a}"))
                .collect::<Vec<_>>()
                .join("\n"),
            dated.join(" OR "),
            date("last_day"),
            list(&keys, "  "),
        ),
    );

    // Product lift: revenue allocated to lines as in §6.
    products::paid_line_steps(ctx, s, &[]);
    s.step(
        "product_windows",
        "DEFINITIONS §7 product lift: the baseline's and the campaign's days and covered days, in one row.",
        "SELECT max(CASE WHEN period = 'baseline' THEN from_day END) AS baseline_from,\n  \
         max(CASE WHEN period = 'baseline' THEN to_day END) AS baseline_to,\n  \
         max(CASE WHEN period = 'baseline' THEN covered_days END) AS baseline_days,\n  \
         max(CASE WHEN period = 'campaign' THEN from_day END) AS campaign_from,\n  \
         max(CASE WHEN period = 'campaign' THEN to_day END) AS campaign_to,\n  \
         max(CASE WHEN period = 'campaign' THEN covered_days END) AS campaign_days\n\
         FROM windows"
            .into(),
    );
    s.step(
        "product_sums",
        "Per product (DEFINITIONS §6 key and allocated revenue), revenue and units in the baseline and in the campaign,\n\
         in one pass over the lines; every product with a line in either.",
        "SELECT r.product_key, w.baseline_days, w.campaign_days,\n  \
         sum(CASE WHEN r.day BETWEEN w.baseline_from AND w.baseline_to THEN r.revenue_share ELSE 0 END) AS baseline_revenue,\n  \
         sum(CASE WHEN r.day BETWEEN w.campaign_from AND w.campaign_to THEN r.revenue_share ELSE 0 END) AS campaign_revenue,\n  \
         sum(CASE WHEN r.day BETWEEN w.baseline_from AND w.baseline_to THEN r.quantity ELSE 0 END) AS baseline_units,\n  \
         sum(CASE WHEN r.day BETWEEN w.campaign_from AND w.campaign_to THEN r.quantity ELSE 0 END) AS campaign_units\n\
         FROM revenue r JOIN product_windows w\n  \
         ON r.day BETWEEN w.baseline_from AND w.baseline_to OR r.day BETWEEN w.campaign_from AND w.campaign_to\n\
         GROUP BY r.product_key, w.baseline_days, w.campaign_days"
            .into(),
    );
    s.step(
        "product_lift",
        "Revenue per covered day in each window (NULL without covered days), lift = campaign − baseline per day,\n\
         change relative to the baseline's (NULL when it had none).",
        "SELECT *,\n  \
         CAST(baseline_revenue AS DOUBLE) / NULLIF(baseline_days, 0) AS baseline_per_day,\n  \
         CAST(campaign_revenue AS DOUBLE) / NULLIF(campaign_days, 0) AS campaign_per_day\n\
         FROM product_sums"
            .into(),
    );
    s.step(
        "product_moves",
        "The lift and change of each product.",
        format!(
            "SELECT *, campaign_per_day - baseline_per_day AS lift_per_day,\n  {} AS change\nFROM product_lift",
            change("baseline_per_day", "campaign_per_day")
        ),
    );
    s.step(
        "product_ranks",
        &format!(
            "Products by lift per day, largest first (none last), ties by key. Top movers: up to {TOP_MOVERS} with the\n\
             largest positive lift; up to {TOP_MOVERS} with the most negative, chosen from the bottom of that order\n\
             (among equal lifts the larger keys), most negative first."
        ),
        "SELECT *,\n  \
         row_number() OVER (ORDER BY lift_per_day DESC NULLS LAST, product_key) AS lift_position,\n  \
         row_number() OVER (PARTITION BY lift_per_day < 0 ORDER BY lift_per_day, product_key DESC) AS fall_position\n\
         FROM product_moves"
            .into(),
    );
    s.step(
        "product_rows",
        "Ranks among the top gainers and the top losers.",
        format!(
            "SELECT *,\n  \
             CASE WHEN lift_per_day > 0 AND lift_position <= {TOP_MOVERS} THEN lift_position END AS top_gainer,\n  \
             CASE WHEN lift_per_day < 0 AND fall_position <= {TOP_MOVERS}\n       \
             THEN row_number() OVER (PARTITION BY lift_per_day < 0 AND fall_position <= {TOP_MOVERS} ORDER BY lift_per_day, product_key) END AS top_loser\n\
             FROM product_ranks"
        ),
    );

    // The result set.
    let proposals = if campaign.is_none() {
        vec![(
            "proposal",
            vec![
                ("rank", "proposal_rank".to_string()),
                ("from_day", date("from_day")),
                ("to_day", date("to_day")),
                ("days", "to_day - from_day + 1".to_string()),
                ("gmv", "gmv".to_string()),
                ("excess_gmv", "excess_gmv".to_string()),
                ("peak_day", date("peak_day")),
                ("peak_ratio", "peak_ratio".to_string()),
            ],
            format!("proposals\nWHERE proposal_rank <= {MAX_PROPOSALS}"),
        )]
    } else {
        Vec::new()
    };
    let own = |cols: &[&str]| -> Vec<(&'static str, String)> {
        COLUMNS
            .iter()
            .filter(|(c, _)| cols.contains(c))
            .map(|(c, _)| (*c, c.to_string()))
            .collect()
    };
    let mut parts: Vec<Part> = vec![(
        "data",
        vec![
            ("rank", "1".into()),
            ("from_day", date("first_day")),
            ("to_day", date("last_day")),
            ("days", "last_day - first_day + 1".into()),
        ],
        "campaign".into(),
    )];
    parts.push((
        "window",
        vec![
            ("rank", "rank".into()),
            ("name", "period".into()),
            ("note", "source".into()),
            ("from_day", date("from_day")),
            ("to_day", date("to_day")),
            ("days", "days".into()),
            ("covered_days", "covered_days".into()),
        ],
        "windows".into(),
    ));
    parts.extend(proposals);
    let mut metric_cols = own(&[
        "rank",
        "baseline",
        "campaign",
        "after",
        "change",
        "after_change",
        "baseline_per_day",
        "campaign_per_day",
        "after_per_day",
        "change_per_day",
        "after_change_per_day",
    ]);
    metric_cols.extend([("name", "metric".into()), ("note", "unit".into())]);
    parts.push(("metric", metric_cols, "metric_changes".into()));
    let mut factor_cols = own(&["rank", "baseline", "campaign", "share"]);
    factor_cols.extend([
        ("name", "factor".into()),
        ("note", "undefined".into()),
        ("contribution", "share * CAST(gmv1 - gmv0 AS DOUBLE)".into()),
    ]);
    // Its rows name their part: decomposition or traffic_decomposition.
    factor_cols.push(("part", "part".into()));
    parts.push(("decomposition", factor_cols, "factor_shares".into()));
    // `figures` holds two parts, new_buyers and refunds: its rows name theirs.
    parts.push((
        "figures",
        own(&["part", "rank", "name", "value", "note"]),
        "figures".into(),
    ));
    let mut product_cols = own(&[
        "baseline_units",
        "campaign_units",
        "baseline_per_day",
        "campaign_per_day",
        "lift_per_day",
        "change",
        "top_gainer",
        "top_loser",
    ]);
    product_cols.extend([
        ("rank", "lift_position".into()),
        ("name", "product_key".into()),
        ("baseline", "baseline_revenue".into()),
        ("campaign", "campaign_revenue".into()),
    ]);
    parts.push(("product", product_cols, "product_rows".into()));
    let selects: Vec<String> = parts
        .iter()
        .map(|(part, cols, from)| {
            let exprs: Vec<String> = COLUMNS
                .iter()
                .map(|&(c, t)| {
                    let value = if c == "part" && !cols.iter().any(|(name, _)| *name == "part") {
                        format!("'{part}'")
                    } else {
                        match cols.iter().find(|(name, _)| *name == c) {
                            Some((_, e)) => format!("CAST({e} AS {})", t.sql(d)),
                            None => format!("CAST(NULL AS {})", t.sql(d)),
                        }
                    };
                    format!("{value} AS {c}")
                })
                .collect();
            format!("SELECT {}\nFROM {from}", exprs.join(", "))
        })
        .collect();
    s.step(
        "readout",
        "The readout as one result set: `part` says what a row holds; columns a part does not use are NULL.",
        selects.join("\nUNION ALL\n"),
    );
    let order: Vec<String> = parts
        .iter()
        .flat_map(|(part, _, _)| match *part {
            "figures" => vec!["new_buyers", "refunds"],
            "decomposition" => vec!["decomposition", "traffic_decomposition"],
            p => vec![p],
        })
        .enumerate()
        .map(|(i, part)| format!("WHEN '{part}' THEN {i}"))
        .collect();
    s.select = format!(
        "-- DEFINITIONS §7 promotion readout: no rows when the engine has none (no paid order, or no peak to propose).\n\
         SELECT *\nFROM readout\nORDER BY CASE part {} END, rank",
        order.join(" ")
    );
    Ok(())
}

/// Steps ending in `proposals`: the engine's peak rule (`analysis/promotion/peaks.rs`) over the
/// daily GMV of paid orders. Each step reads only the one before it, once: Spark inlines a step at
/// every place it is read, and the windows, read by several parts of the readout, sit on top of
/// these. The data's span rides along (`first_day`, `last_day`, `known`) for the windows.
fn proposal_steps(d: Dialect, s: &mut Script) {
    const SPAN: &str = "first_day, last_day, known";
    s.step(
        "paid_days",
        "Campaign proposals (the engine's peak rule): GMV of paid orders per day with one, in cents; the first and last\n\
         paid day and whether any paid order has a customer id (the data's span), and the next paid day.",
        "SELECT day, gmv, lead(day) OVER (ORDER BY day) AS next_day,\n  \
         min(day) OVER () AS first_day, max(day) OVER () AS last_day, sum(customers) OVER () > 0 AS known\n\
         FROM (\n  \
         SELECT day, coalesce(sum(paid_amount), 0) AS gmv, count(customer) AS customers\n  \
         FROM paid_orders\n  GROUP BY day\n) t"
            .into(),
    );
    s.step(
        "daily_gmv",
        &format!(
            "Every day from the first to the last paid day, 0 on days without paid orders (each paid day and the days\n\
             up to the next one), when there are {MIN_DAYS} to {MAX_SPAN_DAYS} of them (fewer: the level would be the peak itself)."
        ),
        format!(
            "SELECT each_day AS day, CASE WHEN each_day = paid_day THEN gmv ELSE 0 END AS gmv, {SPAN}\nFROM (\n  \
             SELECT day AS paid_day, gmv, {SPAN}, {} AS each_day\n  \
             FROM paid_days\n  \
             WHERE last_day - first_day + 1 BETWEEN {MIN_DAYS} AND {MAX_SPAN_DAYS}\n) t",
            d.each_integer("day", "coalesce(next_day - 1, day)")
        ),
    );
    s.step(
        "neighbours",
        &format!(
            "The days within ±{HALF_SPAN} days of each day (clipped to the data), ranked by GMV: each day is listed under\n\
             every day it neighbours, in one pass (not a join of the days with themselves)."
        ),
        format!(
            "SELECT day, neighbour, gmv, {SPAN},\n  \
             row_number() OVER (PARTITION BY day ORDER BY gmv) AS gmv_position,\n  \
             count(*) OVER (PARTITION BY day) AS neighbours\n\
             FROM (\n  \
             SELECT day AS neighbour, gmv, {SPAN},\n    \
             {} AS day\n  \
             FROM daily_gmv\n) n",
            d.each_integer(
                &format!("greatest(day - {HALF_SPAN}, first_day)"),
                &format!("least(day + {HALF_SPAN}, last_day)")
            )
        ),
    );
    s.step(
        "reference_levels",
        "A day's reference level: the median of those days (the mean of the two middle values for an even count),\n\
         kept also as the exact integer middle_sum = 2 × level; the day's own GMV.",
        format!(
            "SELECT day, own_gmv AS gmv, {SPAN}, middle_sum, CAST(middle_sum AS DOUBLE) / 2 AS reference\nFROM (\n  \
             SELECT day, {SPAN}, max(CASE WHEN neighbour = day THEN gmv END) AS own_gmv,\n    \
             sum(gmv * (CASE WHEN 2 * gmv_position - neighbours IN (0, 1) THEN 1 ELSE 0 END\n      \
             + CASE WHEN 2 * gmv_position - neighbours IN (1, 2) THEN 1 ELSE 0 END)) AS middle_sum\n  \
             FROM neighbours\n  GROUP BY day, {SPAN}\n) m"
        ),
    );
    s.step(
        "marked_days",
        &format!(
            "High days: a positive level and GMV ≥ {HIGH_FACTOR} × the level. Every day with the high day before it and\n\
             the high day from it on."
        ),
        format!(
            "SELECT *,\n  \
             max(CASE WHEN high THEN day END) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_high,\n  \
             min(CASE WHEN high THEN day END) OVER (ORDER BY day ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_high\n\
             FROM (\n  \
             SELECT *, reference > 0 AND CAST(gmv AS DOUBLE) >= CAST({HIGH_FACTOR:?} AS DOUBLE) * reference AS high\n  \
             FROM reference_levels\n) h"
        ),
    );
    s.step(
        "runs",
        &format!(
            "High days separated by at most {MAX_GAP} ordinary days are one window (the gap days are part of it): a high\n\
             day more than {MAX_GAP} days after the previous one starts a window; windows are numbered in day order."
        ),
        format!(
            "SELECT *,\n  \
             sum(CASE WHEN high AND (previous_high IS NULL OR day - previous_high - 1 > {MAX_GAP}) THEN 1 ELSE 0 END)\n    \
             OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run\n\
             FROM marked_days"
        ),
    );
    s.step(
        "run_days",
        &format!(
            "Every day of each window: its high days and the days between two of them at most {MAX_GAP} apart; the\n\
             window's first and last day, its highest day first (ties: the earlier)."
        ),
        format!(
            "SELECT run, day, gmv, middle_sum, reference, {SPAN},\n  \
             min(day) OVER (PARTITION BY run) AS from_day, max(day) OVER (PARTITION BY run) AS to_day,\n  \
             row_number() OVER (PARTITION BY run ORDER BY gmv DESC, day) AS peak_position\n\
             FROM runs\n\
             WHERE high OR next_high - previous_high - 1 <= {MAX_GAP}"
        ),
    );
    s.step(
        "proposals",
        "Windows with a positive excess GMV, Σ (GMV − level) — summed exactly as (Σ (2 × GMV − middle_sum)) / 2 and\n\
         rounded half up to the cent — ranked by it, largest first (ties: the earlier window); the peak day's GMV\n\
         over its level.",
        format!(
            "SELECT row_number() OVER (ORDER BY excess_gmv DESC, from_day) AS proposal_rank, w.*\nFROM (\n  \
             SELECT run, from_day, to_day, {SPAN}, sum(gmv) AS gmv,\n    \
             {} AS excess_gmv,\n    \
             max(CASE WHEN peak_position = 1 THEN day END) AS peak_day,\n    \
             max(CASE WHEN peak_position = 1 THEN CAST(gmv AS DOUBLE) / NULLIF(reference, 0) END) AS peak_ratio\n  \
             FROM run_days\n  GROUP BY run, from_day, to_day, {SPAN}\n  HAVING sum(2 * gmv - middle_sum) > 0\n) w",
            d.floor_div("(sum(2 * gmv - middle_sum) + 1)", "2")
        ),
    );
}

/// The traffic exports the traffic decomposition reads: every traffic export with a visitors column
/// among the session's other files, in load order (the engine sums the visitors of every shop-level
/// row); `None` without one.
fn traffic_exports<'a>(ctx: &Context<'a>) -> Option<Vec<(&'a LoadReport, SqlSource)>> {
    let found: Vec<(&LoadReport, SqlSource)> = ctx
        .others
        .iter()
        .filter(|(l, _)| {
            l.error.is_none()
                && l.kind == Some(DatasetKind::Traffic)
                && l.columns.iter().any(|c| c.field == Some(Field::Visitors))
        })
        .map(|(l, src)| (*l, src.clone()))
        .collect();
    (!found.is_empty()).then_some(found)
}

/// The traffic exports' rows as ingest keeps them ([`traffic_rows`]) and `traffic_windows`: each
/// window's visitors (DEFINITIONS §2: the sum over the shop-level rows, those without a product, of
/// its days) and whether every day of it has a shop-level row with visitors (DEFINITIONS §7: the
/// export covers the window). Read by the windows' KPIs.
fn traffic_steps(ctx: &Context, s: &mut Script, exports: &[(&LoadReport, SqlSource)]) {
    traffic_rows(ctx, s, exports);
    s.step(
        "traffic_windows",
        &format!(
            "DEFINITIONS §2 visitors, §7 traffic coverage: the shop-level rows of {} (no product), their day and\n\
             visitors; per window the visitors summed (NULL when no row gives them) and whether every day of it has a\n\
             row with visitors.",
            exports
                .iter()
                .map(|(l, _)| l.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "SELECT w.period, sum(t.visitors) AS visitors,\n  \
         count(DISTINCT CASE WHEN t.visitors IS NOT NULL THEN t.day END) = w.days AS covered\n\
         FROM windows w\n\
         LEFT JOIN (SELECT day, visitors FROM traffic_rows WHERE product IS NULL) t\n  \
         ON t.day BETWEEN w.from_day AND w.to_day\n\
         GROUP BY w.period, w.days"
            .into(),
    );
}
