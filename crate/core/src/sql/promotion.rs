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
//! **Left out.** The traffic decomposition (visitors × conversion × 客单价) needs a traffic export
//! the script does not read; visitors and conversion are not in the rows. The festival a window
//! falls on (the platform calendar) and product titles are labels, not figures, and are not
//! written either; proposals are listed only when the script proposes the window.
//!
//! One result set, a `part` column saying what each row holds: `data` (first and last paid day),
//! `window` (baseline, campaign, after: dates, length, covered days, where it came from),
//! `proposal` (the proposed windows, best first), `metric` (each §2 metric in the three windows,
//! per covered day where additive, and the changes against the baseline), `decomposition`,
//! `new_buyers` and `refunds` (one figure a row, in `value`), `product` (lift, in the engine's
//! order, with the ranks among the top gainers and losers).

use super::{err, kpi, list, products, Context, Dialect, Script, SqlError};
use crate::analysis::filter::parse_day;
use crate::analysis::promotion::{
    Baseline, BaselineRule, MetricUnit, HALF_SPAN, HIGH_FACTOR, KPI_METRICS, MAX_GAP,
    MAX_PROPOSALS, MAX_SPAN_DAYS, MIN_DAYS, TOP_MOVERS,
};
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
    s.notes.push(
        "Not covered: the traffic decomposition (visitors × conversion rate × 客单价) needs a shop traffic export,\n\
         and this script reads the order export only: visitors and conversion are not in it. Festival names and\n\
         product titles are labels and are left out."
            .into(),
    );
    let date = |day: &str| d.date_text(&d.date_of_day(day));

    s.step(
        "data_span",
        "DEFINITIONS §7: the first and last day with a paid order (covered days, and how far \"after\" reaches).",
        "SELECT min(day) AS first_day, max(day) AS last_day FROM paid_orders".into(),
    );
    match campaign {
        Some(((a, b), w)) => s.step(
            "campaign",
            "DEFINITIONS §7 campaign window [a, b], whole days, as the report's options choose it.",
            format!(
                "SELECT CAST({a} AS BIGINT) AS campaign_from, CAST({b} AS BIGINT) AS campaign_to, 'chosen' AS campaign_source\n\
                 FROM data_span\nWHERE first_day IS NOT NULL -- {} … {}",
                w.from, w.to
            ),
        ),
        None => {
            proposal_steps(d, s);
            s.step(
                "campaign",
                "DEFINITIONS §7 campaign window: the top proposal (none: no peak, and no rows).",
                "SELECT from_day AS campaign_from, to_day AS campaign_to, 'proposed' AS campaign_source\n\
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
             campaign's length right after it."
        ),
        format!(
            "SELECT 'window' AS grain, k.period, k.rank,\n  \
             CASE k.period WHEN 'baseline' THEN {}\n                 \
             WHEN 'campaign' THEN campaign_from ELSE campaign_to + 1 END AS from_day,\n  \
             CASE k.period WHEN 'baseline' THEN {}\n                 \
             WHEN 'campaign' THEN campaign_to ELSE 2 * campaign_to - campaign_from + 1 END AS to_day,\n  \
             CASE k.period WHEN 'baseline' THEN '{}' WHEN 'campaign' THEN campaign_source END AS source\n\
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
        format!(
            "SELECT w.*, w.to_day - w.from_day + 1 AS days,\n  \
             greatest(least(w.to_day, s.last_day) - greatest(w.from_day, s.first_day) + 1, 0) AS covered_days{}\n\
             FROM window_bounds w CROSS JOIN data_span s",
            computed_once(d)
        ),
    );
    s.step(
        "in_period",
        "DEFINITIONS §7: each paid order under every window its day falls in (windows may overlap).",
        "SELECT w.grain, w.period, w.from_day AS start, p.order_key, p.customer, p.paid_amount, p.refund, p.units, p.day\n\
         FROM paid_orders p JOIN windows w ON p.day BETWEEN w.from_day AND w.to_day"
            .into(),
    );
    kpi::period_sums(s);
    kpi::buyer_figures(s, "windows");
    s.step(
        "window_sums",
        "The sums of every window, 0 for a window without paid orders.",
        "SELECT w.period, w.rank, w.from_day, w.to_day, w.days, w.covered_days, w.source,\n  \
         coalesce(t.gmv, 0) AS gmv, coalesce(t.refunds, 0) AS refunds, coalesce(t.paid_orders, 0) AS paid_orders,\n  \
         coalesce(t.units, 0) AS units, coalesce(t.refunded_orders, 0) AS refunded_orders\n\
         FROM windows w LEFT JOIN sums t ON t.period = w.period"
            .into(),
    );
    s.step(
        "window_kpis",
        "DEFINITIONS §7: all KPIs of §2 on each window (new buyers: first paid order in the whole data inside it).",
        format!(
            "SELECT t.period, t.rank, t.from_day, t.to_day, t.days, t.covered_days, t.source, t.refunded_orders,\n  {}{}\n\
             FROM window_sums t JOIN buyer_figures b ON b.period = t.period",
            kpi::kpi_columns("t", "b"),
            computed_once(d)
        ),
    );

    // The side-by-side metrics, from the engine's own table.
    let metrics: Vec<_> = KPI_METRICS
        .iter()
        .filter(|m| !TRAFFIC_METRICS.contains(&m.0))
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
        "The §2 metrics side by side (visitors and conversion need a traffic export); additive ones (sums) are\n\
         also shown per covered day.",
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
    s.step(
        "came_back",
        "DEFINITIONS §7 new buyers: of the buyers whose first paid order in the data is inside the campaign, those\n\
         with another paid order after its last day.",
        "SELECT count(DISTINCT f.customer) AS came_back\n\
         FROM first_days f JOIN windows c ON c.period = 'campaign' AND f.first_day BETWEEN c.from_day AND c.to_day\n\
         JOIN paid_orders p ON p.customer = f.customer AND p.day > c.to_day"
            .into(),
    );
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
    ];
    s.step(
        "campaign_vs_baseline",
        "The baseline's and the campaign's figures side by side, with the data's last day and the buyers who came back.",
        format!(
            "SELECT w.*, s.last_day, k.came_back\nFROM (\n  SELECT\n{}\n  FROM window_kpis\n  HAVING count(*) > 0\n) w CROSS JOIN data_span s CROSS JOIN came_back k",
            list(&pivot, "    ")
        ),
    );
    let per = |n: &str, den: &str| format!("coalesce(CAST({n} AS DOUBLE) / NULLIF({den}, 0), 0)");
    s.step(
        "factors",
        "DEFINITIONS §7 decomposition: GMV = buyers × orders per buyer × AOV (cents), baseline against campaign; a\n\
         factor whose denominator is 0 is 0. Only with customer ids (buyers known).",
        format!(
            "SELECT f.factor, f.rank, gmv0, gmv1,\n  \
             CASE f.factor WHEN 'buyers' THEN CAST(buyers0 AS DOUBLE) WHEN 'orders_per_buyer' THEN {}\n    \
             ELSE coalesce(aov0, 0) END AS baseline,\n  \
             CASE f.factor WHEN 'buyers' THEN CAST(buyers1 AS DOUBLE) WHEN 'orders_per_buyer' THEN {}\n    \
             ELSE coalesce(aov1, 0) END AS campaign\n\
             FROM campaign_vs_baseline CROSS JOIN (VALUES ('buyers', 1), ('orders_per_buyer', 2), ('aov', 3)) AS f(factor, rank)\n\
             WHERE buyers0 IS NOT NULL",
            per("orders0", "buyers0"),
            per("orders1", "buyers1"),
        ),
    );
    s.step(
        "factor_checks",
        "Undefined when a factor or GMV is 0 (zero_factor) or GMV is unchanged (gmv_unchanged).",
        "SELECT *,\n  \
         CASE WHEN NOT (gmv0 > 0 AND gmv1 > 0 AND min(CASE WHEN baseline > 0 AND campaign > 0 THEN 1 ELSE 0 END) OVER () = 1)\n         \
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
        "DEFINITIONS §7 product lift: per product (DEFINITIONS §6 key and allocated revenue), revenue and units in the\n\
         baseline and in the campaign; every product with a line in either.",
        "SELECT r.product_key,\n  \
         sum(CASE WHEN w.period = 'baseline' THEN r.revenue_share ELSE 0 END) AS baseline_revenue,\n  \
         sum(CASE WHEN w.period = 'campaign' THEN r.revenue_share ELSE 0 END) AS campaign_revenue,\n  \
         sum(CASE WHEN w.period = 'baseline' THEN r.quantity ELSE 0 END) AS baseline_units,\n  \
         sum(CASE WHEN w.period = 'campaign' THEN r.quantity ELSE 0 END) AS campaign_units\n\
         FROM revenue r JOIN windows w ON w.period IN ('baseline', 'campaign') AND r.day BETWEEN w.from_day AND w.to_day\n\
         GROUP BY r.product_key"
            .into(),
    );
    s.step(
        "product_lift",
        "Revenue per covered day in each window (NULL without covered days), lift = campaign − baseline per day,\n\
         change relative to the baseline's (NULL when it had none).",
        "SELECT p.*,\n  \
         CAST(p.baseline_revenue AS DOUBLE) / NULLIF(w.baseline_days, 0) AS baseline_per_day,\n  \
         CAST(p.campaign_revenue AS DOUBLE) / NULLIF(w.campaign_days, 0) AS campaign_per_day\n\
         FROM product_windows p CROSS JOIN (\n  \
         SELECT max(CASE WHEN period = 'baseline' THEN covered_days END) AS baseline_days,\n    \
         max(CASE WHEN period = 'campaign' THEN covered_days END) AS campaign_days\n  \
         FROM windows\n) w"
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
        "data_span CROSS JOIN campaign".into(),
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
                    let value = if c == "part" && *part != "figures" {
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

/// Spark inlines a deterministic CTE at every place it is read, so a step read by many later ones
/// is planned (and computed) many times over: the windows and their KPIs are. A `rand()` column,
/// never read, makes the step non-deterministic, and Spark computes it once and reuses it. DuckDB
/// needs nothing.
fn computed_once(d: Dialect) -> &'static str {
    match d {
        Dialect::Duckdb => "",
        Dialect::Spark => {
            ",\n  rand() AS computed_once -- Spark computes a non-deterministic step once instead of inlining it where read"
        }
    }
}

/// Steps ending in `proposals`: the engine's peak rule (`analysis/promotion/peaks.rs`) over the
/// daily GMV of paid orders.
fn proposal_steps(d: Dialect, s: &mut Script) {
    let days = match d {
        Dialect::Duckdb => "unnest(range(first_day, last_day + 1))",
        Dialect::Spark => "explode(sequence(first_day, last_day))",
    };
    s.step(
        "daily_days",
        &format!(
            "Campaign proposals (the engine's peak rule): every day from the first to the last paid day, when there are\n\
             {MIN_DAYS} to {MAX_SPAN_DAYS} of them (fewer: the level would be the peak itself)."
        ),
        format!(
            "SELECT {days} AS day\nFROM data_span\nWHERE last_day - first_day + 1 BETWEEN {MIN_DAYS} AND {MAX_SPAN_DAYS}"
        ),
    );
    s.step(
        "daily_gmv",
        "Daily GMV of paid orders, cents; 0 on days without any.",
        "SELECT d.day, coalesce(sum(p.paid_amount), 0) AS gmv\n\
         FROM daily_days d LEFT JOIN paid_orders p ON p.day = d.day\nGROUP BY d.day"
            .into(),
    );
    s.step(
        "neighbours",
        &format!(
            "The days within ±{HALF_SPAN} days of each day (clipped to the data), ranked by GMV."
        ),
        format!(
            "SELECT d.day, n.gmv,\n  \
             row_number() OVER (PARTITION BY d.day ORDER BY n.gmv) AS gmv_position,\n  \
             count(*) OVER (PARTITION BY d.day) AS neighbours\n\
             FROM daily_gmv d JOIN daily_gmv n ON n.day BETWEEN d.day - {HALF_SPAN} AND d.day + {HALF_SPAN}"
        ),
    );
    s.step(
        "reference_levels",
        "A day's reference level: the median of those days (the mean of the two middle values for an even count),\n\
         kept also as the exact integer middle_sum = 2 × level.",
        "SELECT d.day, d.gmv, m.middle_sum, CAST(m.middle_sum AS DOUBLE) / 2 AS reference\n\
         FROM daily_gmv d JOIN (\n  \
         SELECT day, sum(gmv * (CASE WHEN 2 * gmv_position - neighbours IN (0, 1) THEN 1 ELSE 0 END\n    \
         + CASE WHEN 2 * gmv_position - neighbours IN (1, 2) THEN 1 ELSE 0 END)) AS middle_sum\n  \
         FROM neighbours\n  GROUP BY day\n) m ON m.day = d.day"
            .into(),
    );
    s.step(
        "high_days",
        &format!(
            "High days: a positive level and GMV ≥ {HIGH_FACTOR} × the level; the ordinary days since the previous high day."
        ),
        format!(
            "SELECT day, day - lag(day) OVER (ORDER BY day) - 1 AS gap\nFROM reference_levels\n\
             WHERE reference > 0 AND CAST(gmv AS DOUBLE) >= CAST({HIGH_FACTOR:?} AS DOUBLE) * reference"
        ),
    );
    s.step(
        "runs",
        &format!(
            "High days separated by at most {MAX_GAP} ordinary days are one window (the gap days are part of it)."
        ),
        format!(
            "SELECT day, sum(CASE WHEN gap IS NULL OR gap > {MAX_GAP} THEN 1 ELSE 0 END)\n  \
             OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run\nFROM high_days"
        ),
    );
    s.step(
        "run_days",
        "Every day of each window, its highest day first (ties: the earlier).",
        "SELECT r.run, r.from_day, r.to_day, l.day, l.gmv, l.middle_sum, l.reference,\n  \
         row_number() OVER (PARTITION BY r.run ORDER BY l.gmv DESC, l.day) AS peak_position\n\
         FROM (SELECT run, min(day) AS from_day, max(day) AS to_day FROM runs GROUP BY run) r\n\
         JOIN reference_levels l ON l.day BETWEEN r.from_day AND r.to_day"
            .into(),
    );
    s.step(
        "proposals",
        "Windows with a positive excess GMV, Σ (GMV − level) — summed exactly as (Σ (2 × GMV − middle_sum)) / 2 and\n\
         rounded half up to the cent — ranked by it, largest first (ties: the earlier window); the peak day's GMV\n\
         over its level.",
        format!(
            "SELECT row_number() OVER (ORDER BY excess_gmv DESC, from_day) AS proposal_rank, w.*\nFROM (\n  \
             SELECT run, from_day, to_day, sum(gmv) AS gmv,\n    \
             {} AS excess_gmv,\n    \
             max(CASE WHEN peak_position = 1 THEN day END) AS peak_day,\n    \
             max(CASE WHEN peak_position = 1 THEN CAST(gmv AS DOUBLE) / NULLIF(reference, 0) END) AS peak_ratio\n  \
             FROM run_days\n  GROUP BY run, from_day, to_day\n  HAVING sum(2 * gmv - middle_sum) > 0\n) w",
            d.floor_div("(sum(2 * gmv - middle_sum) + 1)", "2")
        ),
    );
}
