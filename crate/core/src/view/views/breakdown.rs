//! Breakdowns on the Overview (DEFINITIONS §10): the "split by" control, which splits the trend into
//! one line per group (the largest groups and "other"), and per dimension a ranked bar chart of GMV
//! and a table of every KPI per group with its share of GMV, exportable as CSV.
//!
//! The interactive page shows the dimension chosen with the control (`split_by`); the offline
//! report, which has no control, shows a panel for every dimension the data carries.

use super::{
    chart_exports, named, panel, table_block, table_exports, toggle, TableData, ViewOptions,
};
use crate::analysis::breakdown::{
    BreakdownReport, Dimension, DimensionBreakdown, GroupPoint, GroupSeries,
};
use crate::report::Report;
use crate::time::Grain;
use crate::view::chart::{hbar_chart, ChartOptions, HBar, Series, Unit};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, code_text, t, t_with};
use crate::view::node::{el, Element};
use crate::view::table::{Cell, ColumnDef, Row};

/// The i18n key of a dimension's name.
pub(super) fn dimension_key(d: Dimension) -> &'static str {
    match d {
        Dimension::Platform => "breakdown.dim.platform",
        Dimension::Shop => "breakdown.dim.shop",
        Dimension::Channel => "breakdown.dim.channel",
        Dimension::Region => "breakdown.dim.region",
        Dimension::CustomerType => "breakdown.dim.customer_type",
        Dimension::Category => "breakdown.dim.category",
    }
}

/// A group's display name: the value as written; platforms and customer types localised.
fn group_label(d: Dimension, name: &str, unknown: bool, other: bool, lang: Lang) -> String {
    if other {
        return t(lang, "breakdown.other").to_string();
    }
    if unknown {
        return t(lang, "breakdown.unknown").to_string();
    }
    let localised = match d {
        Dimension::Platform => by_code(lang, "platform", name),
        Dimension::CustomerType => by_code(lang, "breakdown.customer", name),
        _ => None,
    };
    localised.map_or_else(|| name.to_string(), str::to_string)
}

/// The dimension the trend is split by: the option, when the data carries it.
pub(super) fn active<'a>(report: &'a Report, opts: &ViewOptions) -> Option<&'a DimensionBreakdown> {
    let d = opts.split_by?;
    report.breakdowns.ready()?.dimension(d)
}

/// The trend's lines split by group: one series per drawn group (and "other"), aligned to the
/// trend's period labels (a period the breakdown has no point for is 0).
pub(super) fn split_series(
    b: &DimensionBreakdown,
    grain: Grain,
    labels: &[String],
    value: fn(&GroupPoint) -> Option<f64>,
    lang: Lang,
) -> Vec<Series> {
    let trend = match grain {
        Grain::Day => &b.daily,
        Grain::Week => &b.weekly,
        Grain::Month => &b.monthly,
    };
    let slot: std::collections::HashMap<&str, usize> = trend
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    trend
        .series
        .iter()
        .map(|s: &GroupSeries| {
            let empty = GroupPoint::default();
            let values = labels
                .iter()
                .map(|l| {
                    let point = slot.get(l.as_str()).and_then(|&i| s.points.get(i));
                    value(point.unwrap_or(&empty)).or(Some(0.0))
                })
                .collect();
            Series::new(
                group_label(b.dimension, &s.name, s.unknown, s.other, lang),
                values,
            )
        })
        .collect()
}

/// The breakdown panel of the dimension chosen with the control; in the offline report (no
/// control), one panel per dimension the data carries.
pub(super) fn panels(report: &Report, cur: &str, opts: &ViewOptions) -> Vec<Element> {
    let Some(b) = report.breakdowns.ready() else {
        return Vec::new();
    };
    if !opts.interactive {
        return b
            .dimensions
            .iter()
            .map(|d| dimension_panel(b, d, cur, opts))
            .collect();
    }
    active(report, opts)
        .map(|d| dimension_panel(b, d, cur, opts))
        .into_iter()
        .collect()
}

/// The "split by" control, above the trend it splits (interactive only), with the dimensions the
/// data does not carry and what would unlock them.
pub(super) fn control(report: &Report, opts: &ViewOptions) -> Option<Element> {
    let b = report.breakdowns.ready()?;
    if b.dimensions.is_empty() || !opts.interactive {
        return None;
    }
    let lang = opts.lang;
    let current = opts
        .split_by
        .filter(|&d| b.dimension(d).is_some())
        .map_or("none", Dimension::code);
    let mut choices: Vec<(&str, &str)> = vec![("none", t(lang, "breakdown.none"))];
    choices.extend(
        b.dimensions
            .iter()
            .map(|d| (d.dimension.code(), t(lang, dimension_key(d.dimension)))),
    );
    let mut control = el("div")
        .class("panel")
        .class("split-control")
        .testid("split-by")
        .child(
            el("div")
                .class("panel-head")
                .child(el("h3").text(t(lang, "breakdown.split_by"))),
        )
        .child_opt(toggle("split_by", &choices, current, opts));
    let missing: Vec<String> = b
        .unavailable
        .iter()
        .map(|m| {
            format!(
                "{}: {}",
                t(lang, dimension_key(m.dimension)),
                code_text(lang, m.reason.code)
            )
        })
        .collect();
    if !missing.is_empty() {
        control.push(
            el("ul")
                .class("breakdown-missing")
                .testid("breakdown-missing")
                .children(missing.into_iter().map(|m| el("li").text(m))),
        );
    }
    Some(control)
}

fn table_id(d: Dimension) -> String {
    format!("breakdown-{}", d.code())
}

/// Ranked bars of GMV and the table of one dimension.
fn dimension_panel(
    b: &BreakdownReport,
    d: &DimensionBreakdown,
    cur: &str,
    opts: &ViewOptions,
) -> Element {
    let lang = opts.lang;
    let dim = d.dimension;
    let title = t_with(lang, "breakdown.title", t(lang, dimension_key(dim)));
    let bars: Vec<HBar> = d
        .groups
        .iter()
        .take(opts.max_rows.min(20))
        .enumerate()
        .map(|(i, g)| HBar {
            label: group_label(dim, &g.name, g.unknown, false, lang),
            value: g.kpi.gmv as f64,
            note: Some(fmt::percent(g.gmv_share, lang)),
            testid: Some(format!("breakdown-{}-bar-{i}", dim.code())),
        })
        .collect();
    let chart_id = format!("breakdown-{}", dim.code());
    let chart = hbar_chart(
        &bars,
        &ChartOptions::new(lang, title.clone())
            .unit(Unit::Money(cur.to_string()))
            .id(format!("chart-{chart_id}")),
    );
    let table = table(d, cur, opts);
    let mut exports = named(chart_exports(&chart_id), t(lang, "kpi.gmv"));
    exports.extend(table_exports(&table.id));
    let mut notes = vec![t_with(
        lang,
        "breakdown.total",
        &format!(
            "{} · {} {}",
            fmt::money(b.total.gmv, cur, lang),
            fmt::int(i64::try_from(b.total.paid_orders).unwrap_or(i64::MAX), lang),
            t(lang, "kpi.paid_orders")
        ),
    )];
    notes.push(t(lang, "breakdown.buyers_note").to_string());
    if !d.orders_sum_to_total {
        notes.push(t(lang, "breakdown.category_note").to_string());
    }
    panel(&title, &exports, opts)
        .class("breakdown")
        .attr("data-dimension", dim.code())
        .testid(format!("breakdown-{}", dim.code()))
        .child(el("div").class("chart-box").child(chart))
        .child(table_block(&table, opts))
        .child(el("p").class("breakdown-note").text(notes.join(" ")))
}

/// One row per group: every §2 KPI and the share of GMV.
fn table(d: &DimensionBreakdown, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let dim = d.dimension;
    let mut columns = vec![ColumnDef::text("group", t(lang, dimension_key(dim)))];
    for (key, label) in [
        ("gmv", "kpi.gmv"),
        ("gmv_share", "breakdown.gmv_share"),
        ("paid_orders", "kpi.paid_orders"),
        ("buyers", "kpi.buyers"),
        ("revenue_per_buyer", "kpi.revenue_per_buyer"),
        ("aov", "kpi.aov"),
        ("units", "kpi.units"),
        ("refunds", "kpi.refunds"),
        ("net_sales", "kpi.net_sales"),
        ("refund_rate", "kpi.refund_rate"),
        ("refund_order_rate", "kpi.refund_order_rate"),
        ("repurchase_rate", "kpi.repurchase_rate"),
    ] {
        columns.push(ColumnDef::number(key, t(lang, label)));
    }
    let rows = d
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let k = &g.kpi;
            let count = |n: Option<u64>| match n {
                Some(n) => Cell::count(n, lang),
                None => Cell::text(fmt::DASH),
            };
            Row::new(vec![
                Cell::text(group_label(dim, &g.name, g.unknown, false, lang)),
                Cell::money(k.gmv, cur, lang),
                Cell::percent(g.gmv_share, lang),
                Cell::count(k.paid_orders, lang),
                count(k.buyers),
                Cell::money_f(k.revenue_per_buyer, cur, lang),
                Cell::money_f(k.aov, cur, lang),
                Cell::int(k.units, lang),
                Cell::money(k.refunds, cur, lang),
                Cell::money(k.net_sales, cur, lang),
                Cell::percent(k.refund_rate, lang),
                Cell::percent(k.refund_order_rate, lang),
                Cell::percent(k.repurchase_rate, lang),
            ])
            .with_testid(format!("breakdown-{}-row-{i}", dim.code()))
        })
        .collect();
    TableData {
        id: table_id(dim),
        columns,
        rows,
    }
}

/// The tables of the breakdowns, with all rows (one per dimension the data carries).
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let Some(b) = report.breakdowns.ready() else {
        return Vec::new();
    };
    let cur = super::currency(report, opts);
    b.dimensions.iter().map(|d| table(d, &cur, opts)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{options, report_of, text_of};
    use super::super::{overview, table_csv};
    use super::*;
    use crate::view::html::to_html;

    fn split(lang: Lang, d: Option<Dimension>) -> ViewOptions {
        ViewOptions {
            split_by: d,
            ..options(lang)
        }
    }

    #[test]
    fn split_by_region_draws_a_line_per_province_and_the_panel() {
        let report = report_of(&["taobao_orders_gbk.csv"]);
        let b = report.breakdowns.ready().expect("breakdowns");
        let region = b
            .dimension(Dimension::Region)
            .expect("region from 收货地址");
        // Unsplit: the control offers the dimensions the data carries, no panel yet.
        let view = overview(&report, &split(Lang::Zh, None));
        let control = view.by_testid("split-by").expect("control");
        let values: Vec<_> = control
            .find_all(|e| e.tag == "button")
            .iter()
            .filter_map(|e| e.get_attr("data-value"))
            .collect();
        assert!(values.contains(&"region") && values.contains(&"platform"));
        assert!(!values.contains(&"channel"));
        assert!(view.by_testid("breakdown-region").is_none());
        // Split: the GMV trend has one line per drawn group, the panel lists every province.
        let view = overview(&report, &split(Lang::Zh, Some(Dimension::Region)));
        let lines = view
            .by_testid("breakdown-region")
            .expect("panel")
            .find_all(|e| e.tag == "tr" && e.get_attr("data-testid").is_some())
            .len();
        assert_eq!(lines, region.groups.len());
        assert_eq!(
            text_of(&view, "breakdown-region-row-0").contains(&region.groups[0].name),
            !region.groups[0].unknown
        );
        let html = to_html(&view);
        let series = region.daily.series.len();
        let gmv_lines = html.matches("<path class=\"line series-").count();
        // Two trend charts (GMV and orders), a line per drawn group each.
        assert_eq!(gmv_lines, 2 * series, "{series} groups drawn");
        // The CSV has every group, raw values, and the groups' GMV sums to the total.
        let csv = table_csv(&report, &split(Lang::En, None), "breakdown-region").expect("csv");
        let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(rows.len(), region.groups.len() + 1);
        assert!(
            rows[0].starts_with("Region,GMV,Share of GMV"),
            "{}",
            rows[0]
        );
    }

    #[test]
    fn html_report_carries_every_dimension_in_both_languages() {
        let report = report_of(&["shopify_orders.csv"]);
        for lang in [Lang::Zh, Lang::En] {
            let opts = ViewOptions {
                interactive: false,
                ..options(lang)
            };
            let view = overview(&report, &opts);
            let b = report.breakdowns.ready().expect("breakdowns");
            for d in &b.dimensions {
                assert!(view
                    .by_testid(&format!("breakdown-{}", d.dimension.code()))
                    .is_some());
            }
            assert!(view.by_testid("split-by").is_none());
            let html = to_html(&view);
            assert!(!html.contains("breakdown."), "an i18n key shows: {lang:?}");
        }
    }
}
