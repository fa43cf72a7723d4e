//! Cohorts: the retention triangle (retention %, customers or revenue) and LTV curves.

use super::codes;
use super::{
    chart_exports, count_i64, currency, panel, ready_or_panel, table_block, table_exports, toggle,
    view_section, CohortMetric, TableData, ViewName, ViewOptions,
};
use crate::analysis::cohort::CohortReport;
use crate::report::Report;
use crate::view::chart::{heatmap, line_chart, ChartOptions, HeatRow, Series, Unit};
use crate::view::fmt;
use crate::view::i18n::t;
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row};

/// LTV curves drawn for at most this many of the latest cohorts (plus the all-cohort curve).
const LTV_COHORTS: usize = 6;

/// The cohorts view.
pub fn cohorts(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Cohorts, opts);
    if let Some(c) = ready_or_panel(&report.cohorts, "cohorts", &mut view, opts) {
        let cur = currency(report, opts);
        view.push(heatmap_panel(c, &cur, opts));
        view.push(ltv_panel(c, &cur, opts));
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    report
        .cohorts
        .ready()
        .map(|c| vec![cohort_table(c, &currency(report, opts), opts)])
        .unwrap_or_default()
}

/// A cell's value under the chosen metric: a fraction, a count, or cents.
fn pick(metric: CohortMetric, active: u64, retention: f64, revenue: i64) -> f64 {
    match metric {
        CohortMetric::Retention => retention,
        CohortMetric::Customers => active as f64,
        CohortMetric::Revenue => revenue as f64,
    }
}

fn metric_unit(metric: CohortMetric, cur: &str) -> Unit {
    match metric {
        CohortMetric::Retention => Unit::Ratio,
        CohortMetric::Customers => Unit::Count,
        CohortMetric::Revenue => Unit::Money(cur.to_string()),
    }
}

fn offset_labels(c: &CohortReport) -> Vec<String> {
    (0..c.periods_in_data).map(|k| k.to_string()).collect()
}

/// Rows of the heatmap: every cohort, oldest first, then all cohorts together. Cohort row `r` has
/// test ids `cohort-cell-{r}-{k}`; the all-cohort row comes last (`r` = number of cohorts).
fn heat_rows(c: &CohortReport, metric: CohortMetric, opts: &ViewOptions) -> Vec<HeatRow> {
    let lang = opts.lang;
    let mut rows: Vec<HeatRow> = c
        .cohorts
        .iter()
        .map(|row| HeatRow {
            label: format!("{} ({})", row.cohort, fmt::int(count_i64(row.size), lang)),
            cells: row
                .cells
                .iter()
                .map(|cell| {
                    cell.as_ref()
                        .map(|x| pick(metric, x.active, x.retention, x.revenue))
                })
                .collect(),
        })
        .collect();
    rows.push(HeatRow {
        label: format!(
            "{} ({})",
            t(lang, "cohort.all"),
            fmt::int(count_i64(c.all.size), lang)
        ),
        cells: c
            .all
            .cells
            .iter()
            .map(|cell| {
                cell.as_ref()
                    .map(|x| pick(metric, x.active, x.retention, x.revenue))
            })
            .collect(),
    });
    rows
}

fn heatmap_panel(c: &CohortReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let metric = opts.cohort_metric;
    let (_, metric_key) = codes::cohort_metric(metric);
    let caption = format!(
        "{} ({})",
        t(lang, "cohort.offset"),
        t(lang, codes::grain(c.grain))
    );
    let chart = heatmap(
        &heat_rows(c, metric, opts),
        &offset_labels(c),
        &ChartOptions::new(
            lang,
            format!("{} · {}", t(lang, "section.heatmap"), t(lang, metric_key)),
        )
        .unit(metric_unit(metric, cur))
        .labels(caption, "")
        .id("chart-cohorts"),
        Some("cohort-cell"),
    );
    let choices: Vec<(&str, &str)> = [
        CohortMetric::Retention,
        CohortMetric::Customers,
        CohortMetric::Revenue,
    ]
    .iter()
    .map(|&m| {
        let (value, key) = codes::cohort_metric(m);
        (value, t(lang, key))
    })
    .collect();
    let table = cohort_table(c, cur, opts);
    let mut exports = chart_exports("cohorts");
    exports.extend(table_exports(&table.id));
    panel(t(lang, "section.heatmap"), &exports, opts)
        .child_opt(toggle(
            "cohort_metric",
            &choices,
            codes::cohort_metric(metric).0,
            opts,
        ))
        .child(el("div").class("chart-box").child(chart))
        .child(
            el("details")
                .class("table-details")
                .child(el("summary").text(t(lang, "cohort.cohort")))
                .child(table_block(&table, opts)),
        )
}

fn cohort_table(c: &CohortReport, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let metric = opts.cohort_metric;
    let mut columns = vec![
        ColumnDef::text("cohort", t(lang, "cohort.cohort")),
        ColumnDef::number("size", t(lang, "cohort.size")),
    ];
    columns
        .extend((0..c.periods_in_data).map(|k| ColumnDef::number(format!("k{k}"), k.to_string())));
    let cell_of = |active: u64, retention: f64, revenue: i64| match metric {
        CohortMetric::Retention => Cell::percent(Some(retention), lang),
        CohortMetric::Customers => Cell::count(active, lang),
        CohortMetric::Revenue => Cell::money(revenue, cur, lang),
    };
    let empty = || Cell::number(None, 0);
    let mut rows: Vec<Row> = c
        .cohorts
        .iter()
        .map(|row| {
            let mut cells = vec![Cell::text(row.cohort.clone()), Cell::count(row.size, lang)];
            cells.extend(row.cells.iter().map(|cell| {
                cell.as_ref()
                    .map_or_else(empty, |x| cell_of(x.active, x.retention, x.revenue))
            }));
            Row::new(cells).with_testid(format!("cohort-row-{}", row.cohort))
        })
        .collect();
    let mut all = vec![
        Cell::text(t(lang, "cohort.all")),
        Cell::count(c.all.size, lang),
    ];
    all.extend(c.all.cells.iter().map(|cell| {
        cell.as_ref()
            .map_or_else(empty, |x| cell_of(x.active, x.retention, x.revenue))
    }));
    rows.push(Row::new(all).with_testid("cohort-row-all"));
    TableData {
        id: "cohorts".into(),
        columns,
        rows,
    }
}

fn ltv_panel(c: &CohortReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let skip = c.cohorts.len().saturating_sub(LTV_COHORTS);
    let mut series: Vec<Series> = c.cohorts[skip..]
        .iter()
        .map(|row| {
            Series::new(
                row.cohort.clone(),
                row.cells
                    .iter()
                    .map(|cell| cell.as_ref().map(|x| x.cumulative_revenue_per_customer))
                    .collect(),
            )
        })
        .collect();
    series.push(Series::new(
        t(lang, "cohort.all"),
        c.all
            .cells
            .iter()
            .map(|cell| cell.as_ref().map(|x| x.cumulative_revenue_per_customer))
            .collect(),
    ));
    let caption = format!(
        "{} ({})",
        t(lang, "cohort.offset"),
        t(lang, codes::grain(c.grain))
    );
    let chart = line_chart(
        &series,
        &offset_labels(c),
        &ChartOptions::new(lang, t(lang, "section.ltv"))
            .unit(Unit::Money(cur.to_string()))
            .labels(caption, t(lang, "cohort.ltv_per_customer"))
            .id("chart-ltv"),
    );
    panel(t(lang, "section.ltv"), &chart_exports("ltv"), opts)
        .child(el("div").class("chart-box").child(chart))
}
