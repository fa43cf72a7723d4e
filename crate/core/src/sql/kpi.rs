//! §2 KPIs: over the whole range, and per day, ISO week and month.

use super::{Context, Dialect, Script};

/// Ratios of §2 from the sums of a period (`t`: gmv, refunds, paid_orders, units,
/// refunded_orders) and its buyer figures (`b`: buyers, repeat_buyers, new_buyers): undefined
/// (NULL) where the denominator is 0.
pub(crate) fn kpi_columns(t: &str, b: &str) -> String {
    format!(
        "{t}.gmv, {t}.refunds, {t}.gmv - {t}.refunds AS net_sales, {t}.paid_orders, {b}.buyers,\n  \
         CAST({t}.gmv AS DOUBLE) / NULLIF({b}.buyers, 0) AS revenue_per_buyer,\n  \
         CAST({t}.gmv AS DOUBLE) / NULLIF({t}.paid_orders, 0) AS aov,\n  \
         {t}.units,\n  \
         CAST({t}.refunds AS DOUBLE) / NULLIF({t}.gmv, 0) AS refund_rate,\n  \
         CAST({t}.refunded_orders AS DOUBLE) / NULLIF({t}.paid_orders, 0) AS refund_order_rate,\n  \
         CAST({b}.repeat_buyers AS DOUBLE) / NULLIF({b}.buyers, 0) AS repurchase_rate,\n  \
         {b}.new_buyers,\n  {b}.buyers - {b}.new_buyers AS returning_buyers"
    )
}

/// Whether any paid order has a customer id: without one, buyer figures are undefined (NULL).
const BUYER_IDS: &str = "SELECT count(customer) > 0 AS known FROM paid_orders";

pub(crate) fn totals(_ctx: &Context, s: &mut Script) {
    s.title = "KPI totals (DEFINITIONS §2)".into();
    total_steps(s);
    s.select = format!(
        "-- DEFINITIONS §2 KPIs: ratios are NULL where their denominator is 0.\nSELECT {}\nFROM totals t CROSS JOIN buyer_counts b",
        kpi_columns("t", "b")
    );
}

/// The whole range's §2 sums after [`super::orders::order_steps`]: `buyer_orders`, `buyer_counts`
/// (buyers, repeat buyers, new buyers; NULL without customer ids) and `totals` (GMV, refunds, paid
/// orders, units, refunded orders). Read by the action list (§11) too.
pub(crate) fn total_steps(s: &mut Script) {
    s.step(
        "buyer_orders",
        "DEFINITIONS §2 buyers: distinct customer ids among paid orders, with their paid orders.",
        "SELECT customer, count(*) AS orders\nFROM paid_orders\nWHERE customer IS NOT NULL\nGROUP BY customer".into(),
    );
    s.step(
        "buyer_counts",
        "Buyers and repeat buyers (≥ 2 paid orders); every buyer is new over the whole data. NULL without customer ids.",
        "SELECT CASE WHEN count(*) > 0 THEN count(*) END AS buyers,\n  \
         CASE WHEN count(*) > 0 THEN count(CASE WHEN orders >= 2 THEN 1 END) END AS repeat_buyers,\n  \
         CASE WHEN count(*) > 0 THEN count(*) END AS new_buyers\nFROM buyer_orders"
            .into(),
    );
    s.step(
        "totals",
        "DEFINITIONS §2 over the whole range: GMV (paid amount of paid orders, before refunds), refunds, paid orders,\n\
         units, refunded orders.",
        "SELECT coalesce(sum(paid_amount), 0) AS gmv,\n  coalesce(sum(refund), 0) AS refunds,\n  count(*) AS paid_orders,\n  \
         coalesce(sum(units), 0) AS units,\n  count(CASE WHEN refund > 0 THEN 1 END) AS refunded_orders\n\
         FROM paid_orders"
            .into(),
    );
}

pub(crate) fn series(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    s.title = "KPIs per day, ISO week and month (DEFINITIONS §2)".into();
    let [(_, day_label, day_start), (_, week_label, week_start), (_, month_label, month_start)] =
        period_labels(d, "day");
    s.step(
        "periods",
        "DEFINITIONS §1 day / week / month: calendar date, ISO week (Monday first), calendar month of each paid order.",
        format!(
            "SELECT p.*, {day_label} AS day_label, {week_label} AS week_label, {month_label} AS month_label,\n  \
             {day_start} AS day_start, {week_start} AS week_start, {month_start} AS month_start\nFROM paid_orders p"
        ),
    );
    let mut unions = Vec::new();
    for grain in ["day", "week", "month"] {
        unions.push(format!(
            "SELECT '{grain}' AS grain, {grain}_label AS period, {grain}_start AS start, order_key, customer, paid_amount, refund, units, day FROM periods"
        ));
    }
    s.step(
        "in_period",
        "Each paid order once per grain, under its period.",
        unions.join("\nUNION ALL\n"),
    );
    period_sums(s);
    buyer_figures(s, "sums");
    s.select = format!(
        "-- DEFINITIONS §2 KPIs per period with paid orders (periods without any are all 0 and not listed).\n\
         SELECT t.grain, t.period, t.start, {}\nFROM sums t JOIN buyer_figures b ON b.grain = t.grain AND b.period = t.period\n\
         ORDER BY t.grain, t.period",
        kpi_columns("t", "b")
    );
}

/// DEFINITIONS §1 periods of the day number `day` (days since 1970-01-01): per grain (`day`, `week`,
/// `month`) the label the engine gives it (`2024-03-01`, ISO `2024-W09`, `2024-03`) and the
/// period's first day as text.
pub(crate) fn period_labels(d: Dialect, day: &str) -> [(&'static str, String, String); 3] {
    let date = d.date_of_day(day);
    // ISO week: the Monday of the day's week (1970-01-01 was a Thursday, so day + 3 counts from a
    // Monday); its ISO year is the year of that week's Thursday.
    let monday = format!("({day} - (({day} + 3) % 7 + 7) % 7)");
    let thursday = d.date_of_day(&format!("{monday} + 3"));
    let text = d.text_type();
    let week_label = format!(
        "CAST(year({thursday}) AS {text}) || '-W' || lpad(CAST(weekofyear({thursday}) AS {text}), 2, '0')"
    );
    let month_start = match d {
        Dialect::Duckdb => format!("CAST(date_trunc('month', {date}) AS DATE)"),
        Dialect::Spark => format!("trunc({date}, 'MM')"),
    };
    [
        ("day", d.date_text(&date), d.date_text(&date)),
        ("week", week_label, d.date_text(&d.date_of_day(&monday))),
        ("month", d.month_text(&date), d.date_text(&month_start)),
    ]
}

/// §2 sums per period over a step `in_period` (grain, period, start, order_key, customer,
/// paid_amount, refund, units, day — a paid order once under each period it falls in): steps
/// `first_days`, `buyer_periods`, `buyer_sums`, `buyer_ids` and `sums` (one row per period with
/// paid orders).
pub(crate) fn period_sums(s: &mut Script) {
    s.step(
        "first_days",
        "DEFINITIONS §2 new buyers: a buyer is new in the period of their first paid order in the data.",
        "SELECT customer, min(day) AS first_day FROM paid_orders WHERE customer IS NOT NULL GROUP BY customer".into(),
    );
    s.step(
        "buyer_periods",
        "Buyers per period, with their paid orders in it and whether their first paid order falls in it.",
        "SELECT i.grain, i.period, i.customer, count(*) AS orders,\n  \
         max(CASE WHEN f.first_day = i.day THEN 1 ELSE 0 END) AS is_new\n\
         FROM in_period i JOIN first_days f ON f.customer = i.customer\nGROUP BY i.grain, i.period, i.customer"
            .into(),
    );
    s.step(
        "buyer_sums",
        "Per period: buyers, repeat buyers (≥ 2 paid orders in it) and new buyers.",
        "SELECT grain, period, count(*) AS buyers, count(CASE WHEN orders >= 2 THEN 1 END) AS repeat_buyers,\n  \
         sum(is_new) AS new_buyers\nFROM buyer_periods\nGROUP BY grain, period"
            .into(),
    );
    s.step(
        "buyer_ids",
        "Whether the export has customer ids: without them buyer figures are NULL.",
        BUYER_IDS.into(),
    );
    s.step(
        "sums",
        "DEFINITIONS §2 per period: GMV, refunds, paid orders, units, refunded orders.",
        "SELECT grain, period, min(start) AS start,\n  sum(paid_amount) AS gmv, sum(refund) AS refunds, count(*) AS paid_orders,\n  \
         sum(units) AS units, count(CASE WHEN refund > 0 THEN 1 END) AS refunded_orders\n\
         FROM in_period\nGROUP BY grain, period"
            .into(),
    );
}

/// Step `buyer_figures`: buyers, repeat and new buyers of every period of the step `periods`
/// (grain, period), after [`period_sums`].
pub(crate) fn buyer_figures(s: &mut Script, periods: &str) {
    s.step(
        "buyer_figures",
        "Buyer figures per period (0 where a period has none, NULL without customer ids).",
        format!(
            "SELECT t.grain, t.period,\n  \
         CASE WHEN k.known THEN coalesce(b.buyers, 0) END AS buyers,\n  \
         CASE WHEN k.known THEN coalesce(b.repeat_buyers, 0) END AS repeat_buyers,\n  \
         CASE WHEN k.known THEN coalesce(b.new_buyers, 0) END AS new_buyers\n\
         FROM {periods} t CROSS JOIN buyer_ids k\n\
         LEFT JOIN buyer_sums b ON b.grain = t.grain AND b.period = t.period"
        ),
    );
}
