//! §3 cohorts and retention, with the LTV curve: one row per cohort and offset up to the last
//! period of the data (cells after it are empty, not 0), and the all-cohort row weighted by size.

use super::{Context, Script};
use crate::time::Grain;

pub(crate) fn cohorts(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let week = ctx.options.cohort.grain == Grain::Week;
    s.title = format!(
        "cohorts and retention by {} (DEFINITIONS §3)",
        if week { "ISO week" } else { "month" }
    );
    let date = d.date_of_day("day");
    // Periods are numbered: months as year × 12 + month − 1, ISO weeks as weeks since the Monday
    // 1969-12-29 (1970-01-01 was a Thursday).
    let (period, start) = if week {
        (d.floor_div("day + 3", "7"), d.date_of_day("period * 7 - 3"))
    } else {
        (
            format!("year({date}) * 12 + month({date}) - 1"),
            format!(
                "make_date(CAST({} AS INT), CAST(period % 12 + 1 AS INT), 1)",
                d.floor_div("period", "12")
            ),
        )
    };
    s.step(
        "order_periods",
        "DEFINITIONS §3: the period (month, or ISO week when chosen) of every paid order.",
        format!("SELECT customer, paid_amount, {period} AS period\nFROM paid_orders"),
    );
    s.step(
        "last_period",
        "The last period of the data (of any paid order): cells after it are empty, not 0.",
        "SELECT max(period) AS last FROM order_periods".into(),
    );
    s.step(
        "first_periods",
        "DEFINITIONS §3 cohort: the period of a customer's first paid order in the data.",
        "SELECT customer, min(period) AS cohort\nFROM order_periods\nWHERE customer IS NOT NULL\nGROUP BY customer".into(),
    );
    s.step(
        "cohort_sizes",
        "size(c) = active(c, 0): the customers of each cohort.",
        "SELECT cohort, count(*) AS size FROM first_periods GROUP BY cohort".into(),
    );
    s.step(
        "offsets",
        "Offsets k = 0, 1, … up to the span of the data.",
        format!(
            "SELECT {} AS k FROM last_period",
            d.each_integer(
                "0",
                "CAST(last - (SELECT min(cohort) FROM first_periods) AS INT)"
            )
        ),
    );
    s.step(
        "grid",
        "Every cell a cohort has: offsets k whose period c + k is inside the data.",
        "SELECT z.cohort, z.size, o.k\nFROM cohort_sizes z CROSS JOIN offsets o CROSS JOIN last_period l\nWHERE z.cohort + o.k <= l.last".into(),
    );
    s.step(
        "activity",
        "DEFINITIONS §3 active(c, k): distinct customers of cohort c with a paid order in period c + k; revenue(c, k): their GMV.",
        "SELECT f.cohort, p.period - f.cohort AS k, count(DISTINCT p.customer) AS active, sum(p.paid_amount) AS revenue\n\
         FROM order_periods p JOIN first_periods f ON f.customer = p.customer\nGROUP BY f.cohort, p.period - f.cohort"
            .into(),
    );
    s.step(
        "cohort_cells",
        "DEFINITIONS §3 retention(c, k) = active / size; LTV curve: cumulative revenue to k / size.",
        "SELECT g.cohort, g.k, g.size, coalesce(a.active, 0) AS active, coalesce(a.revenue, 0) AS revenue,\n  \
         sum(coalesce(a.revenue, 0)) OVER (PARTITION BY g.cohort ORDER BY g.k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_revenue\n\
         FROM grid g LEFT JOIN activity a ON a.cohort = g.cohort AND a.k = g.k"
            .into(),
    );
    let start_of = |col: &str| d.date_text(&start.replace("period", col));
    s.select = format!(
        "-- One row per cohort and offset; the all-cohort row (cohort_start NULL) weights each cohort by its size over\n\
         -- the cohorts that have a cell at k (DEFINITIONS §3).\n\
         SELECT {} AS cohort_start, k, 1 AS cohorts, size, active, CAST(active AS DOUBLE) / size AS retention, revenue,\n  \
         CAST(cumulative_revenue AS DOUBLE) / size AS cumulative_revenue_per_customer\nFROM cohort_cells\n\
         UNION ALL\n\
         SELECT NULL, k, count(*), sum(size), sum(active), CAST(sum(active) AS DOUBLE) / sum(size), sum(revenue),\n  \
         CAST(sum(cumulative_revenue) AS DOUBLE) / sum(size)\nFROM cohort_cells\nGROUP BY k\nORDER BY cohort_start, k",
        start_of("cohort")
    );
}
