//! §4 RFM: each customer's recency, frequency and monetary value, the tie-consistent 1–5 scores
//! and the eight segments, as `analysis::rfm` computes them.
//!
//! The script's rows: first the eight segments (every one, empty ones included, in the order of
//! DEFINITIONS §4) with their customers and revenue; then one row per customer (`customer` not
//! NULL) by monetary descending, then customer id.

use super::{err, Context, Script, SqlError};
use crate::analysis::filter::parse_day;
use crate::analysis::rfm::Segment;

pub(crate) fn rfm(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    s.title = "RFM scores and segments (DEFINITIONS §4)".into();
    customer_steps(ctx, s)?;
    segment_steps(ctx, s);
    Ok(())
}

/// The steps from the reference date to `segmented`, after [`super::orders::order_steps`]: one
/// row per customer with a paid order, with `customer`, `last_day`, `recency_days`, `frequency`,
/// `monetary`, the scores, the high flags and `segment` (its code). Read by the action list (§11
/// win back) too.
pub(crate) fn customer_steps(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    let d = ctx.d;
    let reference = match &ctx.options.rfm.reference_day {
        None => "SELECT max(day) + 1 AS reference_day FROM paid_orders".to_string(),
        Some(text) => {
            let day = parse_day(text).ok_or_else(|| {
                err(
                    "invalid_reference_day",
                    format!("the RFM reference day {text:?} is not a YYYY-MM-DD date"),
                )
            })?;
            format!("SELECT CAST({day} AS BIGINT) AS reference_day -- {text}")
        }
    };
    s.step(
        "reference",
        &format!(
            "DEFINITIONS §4 reference date: {} (days since 1970-01-01).",
            match &ctx.options.rfm.reference_day {
                None => "the day after the last paid order date in the data (paid orders without a customer id count)"
                    .to_string(),
                Some(text) => format!("{text}, as the report's options set it"),
            }
        ),
        reference,
    );
    s.step(
        "customer_values",
        "DEFINITIONS §4 R, F, M per customer with a paid order: R = days from the last paid order's date to the\n\
         reference date, F = paid orders, M = their paid amounts (GMV, cents).",
        "SELECT p.customer, max(p.day) AS last_day, r.reference_day - max(p.day) AS recency_days,\n  \
         count(*) AS frequency, sum(p.paid_amount) AS monetary\n\
         FROM paid_orders p CROSS JOIN reference r\nWHERE p.customer IS NOT NULL\nGROUP BY p.customer, r.reference_day"
            .into(),
    );
    // w = customers strictly worse: rank() − 1 in the order that puts the worse values first.
    let score = |worse_first: &str| {
        format!(
            "least(5, 1 + {})",
            d.floor_div(
                &format!("5 * (rank() OVER (ORDER BY {worse_first}) - 1)"),
                "count(*) OVER ()"
            )
        )
    };
    s.step(
        "scores",
        "DEFINITIONS §4 scores 1–5, tie-consistent: 1 + floor(5 · w / n) capped at 5, n = customers, w = customers\n\
         whose value is strictly worse (a larger R; a smaller F or M) — rank() − 1 with the worse values first.",
        format!(
            "SELECT *,\n  {} AS r_score,\n  {} AS f_score,\n  {} AS m_score\nFROM customer_values",
            score("recency_days DESC"),
            score("frequency"),
            score("monetary"),
        ),
    );
    // The segment of each high/low combination, from the engine's own table.
    let mut arms = String::new();
    for r in [true, false] {
        for f in [true, false] {
            for m in [true, false] {
                let flag = |high: bool, col: &str| {
                    if high {
                        format!("{col}_high")
                    } else {
                        format!("NOT {col}_high")
                    }
                };
                arms.push_str(&format!(
                    "\n       WHEN {} AND {} AND {} THEN '{}'",
                    flag(r, "r"),
                    flag(f, "f"),
                    flag(m, "m"),
                    Segment::from_highs(r, f, m).code()
                ));
            }
        }
    }
    s.step(
        "highs",
        "DEFINITIONS §4: a dimension is high when the customer's score is strictly above the mean score of that\n\
         dimension over all customers (score · n > Σ scores, exact in integers).",
        "SELECT *,\n  r_score * count(*) OVER () > sum(r_score) OVER () AS r_high,\n  \
         f_score * count(*) OVER () > sum(f_score) OVER () AS f_high,\n  \
         m_score * count(*) OVER () > sum(m_score) OVER () AS m_high\nFROM scores"
            .into(),
    );
    s.step(
        "segmented",
        "DEFINITIONS §4 segments: R F M high/low → 重要价值客户 (H H H) … 一般挽留客户 (L L L).",
        format!("SELECT *,\n  CASE{arms}\n  END AS segment\nFROM highs"),
    );
    Ok(())
}

/// The eight segments' sums and the final select of the RFM script.
fn segment_steps(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let names: Vec<String> = Segment::ALL
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            format!(
                "({}, {}, {}, {})",
                i + 1,
                d.string(seg.code()),
                d.string(seg.zh()),
                d.string(seg.en())
            )
        })
        .collect();
    s.step(
        "segments",
        "The eight segments in the order of DEFINITIONS §4, with their Chinese and English names.",
        format!(
            "SELECT * FROM (VALUES\n  {}\n) AS t(segment_order, segment, segment_zh, segment_en)",
            names.join(",\n  ")
        ),
    );
    s.step(
        "segment_sums",
        "Per segment: customers, revenue (Σ M), Σ R and Σ F; shares of all customers and of all revenue.",
        "SELECT g.segment_order, g.segment, g.segment_zh, g.segment_en,\n  \
         count(c.customer) AS customers, coalesce(sum(c.monetary), 0) AS revenue,\n  \
         sum(c.recency_days) AS recency_sum, sum(c.frequency) AS frequency_sum\n\
         FROM segments g LEFT JOIN segmented c ON c.segment = g.segment\n\
         GROUP BY g.segment_order, g.segment, g.segment_zh, g.segment_en"
            .into(),
    );
    s.step(
        "totals",
        "All customers and their revenue.",
        "SELECT count(*) AS customers, sum(monetary) AS revenue FROM segmented".into(),
    );
    let text = d.text_type();
    s.select = format!(
        "-- The eight segments (customer NULL), then every customer by monetary descending, then id.\n\
         SELECT * FROM (\n\
         SELECT 0 AS row_group, segment_order, CAST(NULL AS {text}) AS customer, segment, segment_zh, segment_en,\n  \
         CAST(NULL AS {text}) AS last_order_day, CAST(NULL AS BIGINT) AS recency_days, CAST(NULL AS BIGINT) AS frequency,\n  \
         CAST(NULL AS BIGINT) AS monetary, CAST(NULL AS INT) AS r_score, CAST(NULL AS INT) AS f_score,\n  \
         CAST(NULL AS INT) AS m_score,\n  \
         s.customers, s.revenue, CAST(s.customers AS DOUBLE) / t.customers AS share_of_customers,\n  \
         CAST(s.revenue AS DOUBLE) / NULLIF(t.revenue, 0) AS share_of_revenue,\n  \
         CAST(s.recency_sum AS DOUBLE) / NULLIF(s.customers, 0) AS avg_recency,\n  \
         CAST(s.frequency_sum AS DOUBLE) / NULLIF(s.customers, 0) AS avg_frequency,\n  \
         CAST(s.revenue AS DOUBLE) / NULLIF(s.customers, 0) AS avg_monetary\n\
         FROM segment_sums s CROSS JOIN totals t\n\
         UNION ALL\n\
         SELECT 1, g.segment_order, c.customer, c.segment, g.segment_zh, g.segment_en,\n  \
         {} AS last_order_day, c.recency_days, c.frequency, c.monetary,\n  \
         CAST(c.r_score AS INT), CAST(c.f_score AS INT), CAST(c.m_score AS INT),\n  \
         1, c.monetary, NULL, NULL, NULL, NULL, NULL\n\
         FROM segmented c JOIN segments g ON g.segment = c.segment\n\
         ) u\n\
         ORDER BY row_group, CASE WHEN row_group = 0 THEN segment_order END, monetary DESC, customer",
        d.date_text(&d.date_of_day("c.last_day"))
    );
}
