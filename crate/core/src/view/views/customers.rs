//! Customers: RFM segments (chart and table) and the chosen segment's customer list.

use super::{
    chart_exports, currency, panel, ready_or_panel, table_block, table_exports, toggle,
    view_section, TableData, ViewName, ViewOptions,
};
use crate::analysis::rfm::{RfmReport, Segment};
use crate::report::Report;
use crate::view::chart::{hbar_chart, ChartOptions, HBar, Unit};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, t};
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row};

/// The customers view.
pub fn customers(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Customers, opts);
    if let Some(rfm) = ready_or_panel(&report.rfm, "rfm", &mut view, opts) {
        let cur = currency(report, opts);
        view.push(segments_panel(rfm, &cur, opts));
        view.push(segment_customers_panel(rfm, &cur, opts));
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let Some(rfm) = report.rfm.ready() else {
        return Vec::new();
    };
    let cur = currency(report, opts);
    std::iter::once(segment_table(rfm, &cur, opts))
        .chain(opts.segment.map(|s| customer_table(rfm, s, &cur, opts)))
        .collect()
}

fn segment_name(segment: Segment, lang: Lang) -> &'static str {
    by_code(lang, "segment", segment.code()).unwrap_or(match lang {
        Lang::Zh => segment.zh(),
        Lang::En => segment.en(),
    })
}

fn segments_panel(rfm: &RfmReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let bars: Vec<HBar> = rfm
        .segments
        .iter()
        .map(|s| HBar {
            label: segment_name(s.segment, lang).to_string(),
            value: s.customers as f64,
            note: Some(format!(
                "{} {} · {}",
                t(lang, "rfm.revenue"),
                fmt::money_compact(s.revenue, cur, lang),
                fmt::percent(s.share_of_revenue, lang)
            )),
            testid: Some(format!("segment-bar-{}", s.segment.code())),
        })
        .collect();
    let chart = hbar_chart(
        &bars,
        &ChartOptions::new(lang, t(lang, "section.segments"))
            .unit(Unit::Count)
            .id("chart-segments"),
    );
    let means = format!(
        "{}: {} · R̄ {} · F̄ {} · M̄ {}",
        t(lang, "rfm.reference_day"),
        rfm.reference_day,
        fmt::decimal(rfm.mean_scores.r, 2),
        fmt::decimal(rfm.mean_scores.f, 2),
        fmt::decimal(rfm.mean_scores.m, 2)
    );
    let table = segment_table(rfm, cur, opts);
    let mut exports = chart_exports("segments");
    exports.extend(table_exports(&table.id));
    panel(t(lang, "section.segments"), &exports, opts)
        .child(
            el("p")
                .class("rfm-reference")
                .testid("rfm-reference")
                .text(means),
        )
        .child(el("div").class("chart-box").child(chart))
        .child(table_block(&table, opts))
}

fn segment_table(rfm: &RfmReport, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("segment", t(lang, "rfm.segment")),
        ColumnDef::number("customers", t(lang, "rfm.customers")),
        ColumnDef::number("share_of_customers", t(lang, "rfm.share_of_customers")),
        ColumnDef::number("revenue", t(lang, "rfm.revenue")),
        ColumnDef::number("share_of_revenue", t(lang, "rfm.share_of_revenue")),
        ColumnDef::number("avg_recency", t(lang, "rfm.avg_recency")),
        ColumnDef::number("avg_frequency", t(lang, "rfm.avg_frequency")),
        ColumnDef::number("avg_monetary", t(lang, "rfm.avg_monetary")),
    ];
    let rows = rfm
        .segments
        .iter()
        .map(|s| {
            Row::new(vec![
                Cell::text(segment_name(s.segment, lang)),
                Cell::count(s.customers, lang),
                Cell::percent(Some(s.share_of_customers), lang),
                Cell::money(s.revenue, cur, lang),
                Cell::percent(s.share_of_revenue, lang),
                Cell::number(s.avg_recency, 1),
                Cell::number(s.avg_frequency, 2),
                Cell::money_f(s.avg_monetary, cur, lang),
            ])
            .with_testid(format!("segment-{}", s.segment.code()))
        })
        .collect();
    TableData {
        id: "segments".into(),
        columns,
        rows,
    }
}

fn segment_customers_panel(rfm: &RfmReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let current = opts.segment.map_or("", Segment::code);
    let choices: Vec<(&str, &str)> = Segment::ALL
        .iter()
        .map(|&s| (s.code(), segment_name(s, lang)))
        .collect();
    let exports = opts
        .segment
        .map(|_| table_exports("segment-customers"))
        .unwrap_or_default();
    let title = match opts.segment {
        Some(s) => format!(
            "{} · {}",
            t(lang, "section.segment_customers"),
            segment_name(s, lang)
        ),
        None => t(lang, "section.segment_customers").to_string(),
    };
    let panel = panel(&title, &exports, opts).child_opt(toggle("segment", &choices, current, opts));
    match opts.segment {
        Some(segment) => panel.child(table_block(&customer_table(rfm, segment, cur, opts), opts)),
        None => panel.child(el("p").class("hint").text(t(lang, "rfm.choose_segment"))),
    }
}

/// The customers of one segment, in the report's order (monetary descending).
fn customer_table(rfm: &RfmReport, segment: Segment, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("customer", t(lang, "rfm.customer")),
        ColumnDef::text("last_order_day", t(lang, "rfm.last_order_day")),
        ColumnDef::number("recency_days", t(lang, "rfm.recency_days")),
        ColumnDef::number("frequency", t(lang, "rfm.frequency")),
        ColumnDef::number("monetary", t(lang, "rfm.monetary")),
        ColumnDef::text("scores", t(lang, "rfm.scores")),
    ];
    let rows = rfm
        .customers
        .iter()
        .filter(|c| c.segment == segment)
        .map(|c| {
            Row::new(vec![
                Cell::text(c.customer.clone()),
                Cell::text(c.last_order_day.clone()),
                Cell::int(c.recency_days, lang),
                Cell::count(c.frequency, lang),
                Cell::money(c.monetary, cur, lang),
                Cell::text(format!("{}-{}-{}", c.r_score, c.f_score, c.m_score)),
            ])
        })
        .collect();
    TableData {
        id: "segment-customers".into(),
        columns,
        rows,
    }
}
