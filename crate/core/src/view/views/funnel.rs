//! Funnel: step bars with conversion and drop-off, mode and window, breakdown table, per-item
//! funnels, time to convert, conversion trend.

mod note;
#[cfg(test)]
mod tests;

use super::codes;
use super::{
    chart_exports, count_i64, named, panel, ready_or_panel, table_block, table_exports,
    view_section, TableData, ViewName, ViewOptions,
};
use crate::analysis::funnel::{
    BreakdownRowKind, FunnelMode, FunnelReport, FunnelSource, FunnelStep, TimeToConvert,
};
use crate::report::Report;
use crate::view::chart::{
    hbar_chart, histogram, line_chart, ChartOptions, HBar, HistBin, Series, Unit,
};
use crate::view::fmt;
use crate::view::i18n::t;
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row};

/// The funnel view.
pub fn funnel(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Funnel, opts);
    if let Some(f) = ready_or_panel(&report.funnel, "funnel", &mut view, opts) {
        view.push(steps_panel(f, opts));
        if let Some(table) = breakdown_table(f, opts) {
            let title = format!(
                "{} · {}",
                t(opts.lang, "section.breakdown"),
                t(opts.lang, codes::breakdown(f.breakdown_by))
            );
            view.push(
                panel(&title, &table_exports(&table.id), opts).child(table_block(&table, opts)),
            );
        }
        if let Some(table) = items_table(f, opts) {
            view.push(
                panel(
                    t(opts.lang, "section.item_funnels"),
                    &table_exports(&table.id),
                    opts,
                )
                .child(table_block(&table, opts)),
            );
        }
        if let Some(p) = time_to_convert_panel(f, opts) {
            view.push(p);
        }
        if !f.trend.is_empty() {
            view.push(trend_panel(f, opts));
        }
        if let Some(table) = event_names_table(f, opts) {
            view.push(
                panel(
                    t(opts.lang, "section.event_names"),
                    &table_exports(&table.id),
                    opts,
                )
                .child(table_block(&table, opts)),
            );
        }
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let Some(f) = report.funnel.ready() else {
        return Vec::new();
    };
    std::iter::once(steps_table(f, opts))
        .chain(breakdown_table(f, opts))
        .chain(items_table(f, opts))
        .chain(event_names_table(f, opts))
        .collect()
}

fn step_names(f: &FunnelReport, opts: &ViewOptions) -> Vec<String> {
    f.steps.iter().map(|s| step_label(&s.step, opts)).collect()
}

/// A canonical step or traffic column by its localised name; a step of names by its names.
fn step_label(step: &FunnelStep, opts: &ViewOptions) -> String {
    match (codes::step(step), step) {
        (Some(key), _) => t(opts.lang, key).to_string(),
        (None, FunnelStep::Names(names)) => names.join(" / "),
        (None, _) => String::new(),
    }
}

/// Mode, window and source, as one line.
fn settings_line(f: &FunnelReport, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let mut parts = vec![format!(
        "{}: {}",
        t(lang, "funnel.mode"),
        t(lang, codes::mode(f.mode))
    )];
    if f.mode == FunnelMode::Sequential && f.source == FunnelSource::Events {
        let window = f.window_seconds.map_or_else(
            || t(lang, "funnel.window.unbounded").to_string(),
            |s| fmt::duration(s, lang),
        );
        parts.push(format!("{}: {window}", t(lang, "funnel.window")));
    }
    if f.source == FunnelSource::TrafficAggregate {
        parts.push(t(lang, "funnel.source.traffic_aggregate").to_string());
    } else {
        parts.push(format!(
            "{}: {}",
            t(lang, "funnel.users"),
            fmt::int(count_i64(f.users), lang)
        ));
    }
    el("p")
        .class("funnel-settings")
        .testid("funnel-settings")
        .text(parts.join(" · "))
}

fn steps_panel(f: &FunnelReport, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let names = step_names(f, opts);
    let bars: Vec<HBar> = f
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| HBar {
            label: names[i].clone(),
            value: s.count as f64,
            note: (i > 0).then(|| {
                format!(
                    "{} {} · {} {}",
                    t(lang, "funnel.conversion_from_previous"),
                    fmt::percent(s.conversion_from_previous, lang),
                    t(lang, "funnel.drop_off"),
                    fmt::int(s.drop_off, lang)
                )
            }),
            testid: Some(format!("funnel-step-{i}")),
        })
        .collect();
    let chart = hbar_chart(
        &bars,
        &ChartOptions::new(lang, t(lang, "view.funnel"))
            .unit(Unit::Count)
            .id("chart-funnel"),
    );
    let table = steps_table(f, opts);
    let mut exports = chart_exports("funnel");
    exports.extend(table_exports(&table.id));
    panel(t(lang, "section.steps"), &exports, opts)
        .child(settings_line(f, opts))
        .child_opt(f.note.as_ref().map(|n| {
            el("p")
                .class("note")
                .testid("funnel-note")
                .text(note::localised(n, lang))
        }))
        .child(el("div").class("chart-box").child(chart))
        .child(table_block(&table, opts))
}

fn steps_table(f: &FunnelReport, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let names = step_names(f, opts);
    let with_event_names = f.source == FunnelSource::Events;
    let mut columns = vec![
        ColumnDef::text("step", t(lang, "section.steps")).unsorted(),
        ColumnDef::number("count", t(lang, "funnel.count")),
        ColumnDef::number(
            "conversion_from_previous",
            t(lang, "funnel.conversion_from_previous"),
        ),
        ColumnDef::number("overall_conversion", t(lang, "funnel.overall_conversion")),
        ColumnDef::number("drop_off", t(lang, "funnel.drop_off")),
    ];
    // Which of the log's names each step counts (DEFINITIONS §5: the report says so).
    if with_event_names {
        columns.push(ColumnDef::text("event_names", t(lang, "funnel.event_names")).unsorted());
    }
    let rows = f
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut cells = vec![
                Cell::text(names[i].clone()),
                Cell::count(s.count, lang),
                Cell::percent(s.conversion_from_previous, lang),
                Cell::percent(s.overall_conversion, lang),
                Cell::int(s.drop_off, lang),
            ];
            if with_event_names {
                let listed = if s.names.is_empty() {
                    fmt::DASH.to_string()
                } else {
                    s.names.join(", ")
                };
                cells.push(Cell::text(listed));
            }
            Row::new(cells).with_testid(format!("funnel-row-{i}"))
        })
        .collect();
    TableData {
        id: "funnel-steps".into(),
        columns,
        rows,
    }
}

/// Every event name of the log: its events, users, canonical meaning and the step it is in.
fn event_names_table(f: &FunnelReport, opts: &ViewOptions) -> Option<TableData> {
    if f.event_names.is_empty() {
        return None;
    }
    let lang = opts.lang;
    let labels = step_names(f, opts);
    let columns = vec![
        ColumnDef::text("name", t(lang, "funnel.event_name")),
        ColumnDef::number("events", t(lang, "funnel.events")),
        ColumnDef::number("users", t(lang, "funnel.users")),
        ColumnDef::text("meaning", t(lang, "funnel.meaning")),
        ColumnDef::text("step", t(lang, "funnel.in_step")),
    ];
    let rows = f
        .event_names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let meaning = n.meaning.map_or_else(
                || t(lang, "funnel.meaning.other").to_string(),
                |kind| t(lang, codes::event(kind)).to_string(),
            );
            let step = n
                .step
                .and_then(|s| labels.get(s))
                .map_or_else(|| fmt::DASH.to_string(), |label| label.clone());
            Row::new(vec![
                Cell::text(n.name.clone()),
                Cell::count(n.events, lang),
                Cell::count(n.users, lang),
                Cell::text(meaning),
                Cell::text(step),
            ])
            .with_testid(format!("funnel-event-name-{i}"))
        })
        .collect();
    Some(TableData {
        id: "funnel-event-names".into(),
        columns,
        rows,
    })
}

/// A column per funnel step, then the overall conversion: the tables of sub-funnels share them.
fn step_columns(f: &FunnelReport, opts: &ViewOptions) -> Vec<ColumnDef> {
    let mut columns: Vec<ColumnDef> = step_names(f, opts)
        .into_iter()
        .enumerate()
        .map(|(i, name)| ColumnDef::number(format!("step_{i}"), name))
        .collect();
    columns.push(ColumnDef::number(
        "overall_conversion",
        t(opts.lang, "funnel.overall_conversion"),
    ));
    columns
}

fn breakdown_table(f: &FunnelReport, opts: &ViewOptions) -> Option<TableData> {
    if f.breakdown.is_empty() {
        return None;
    }
    let lang = opts.lang;
    let mut columns = vec![ColumnDef::text("group", t(lang, "funnel.group"))];
    columns.extend(step_columns(f, opts));
    let rows = f
        .breakdown
        .iter()
        .map(|row| {
            let name = match row.kind {
                BreakdownRowKind::Group => row
                    .title
                    .clone()
                    .or_else(|| row.group.clone())
                    .unwrap_or_default(),
                BreakdownRowKind::Missing => t(lang, "funnel.missing_group").to_string(),
                BreakdownRowKind::Other => format!(
                    "{} ({} {})",
                    t(lang, "funnel.other_groups"),
                    fmt::int(count_i64(row.groups), lang),
                    t(lang, "funnel.groups")
                ),
            };
            let mut cells = vec![Cell::text(name)];
            cells.extend(row.counts.iter().map(|&c| Cell::count(c, lang)));
            cells.push(Cell::percent(row.overall_conversion, lang));
            Row::new(cells)
        })
        .collect();
    Some(TableData {
        id: "funnel-breakdown".into(),
        columns,
        rows,
    })
}

/// Per-item funnels (the report's `items`, ranked by first-step count): each step's count, the
/// overall conversion and the item's own conversion (distinct buyers / distinct viewers).
fn items_table(f: &FunnelReport, opts: &ViewOptions) -> Option<TableData> {
    if f.items.is_empty() {
        return None;
    }
    let lang = opts.lang;
    let has_titles = f.items.iter().any(|item| item.title.is_some());
    let mut columns = vec![ColumnDef::text("item", t(lang, "product.key"))];
    if has_titles {
        columns.push(ColumnDef::text("title", t(lang, "product.title")));
    }
    columns.extend(step_columns(f, opts));
    columns.push(ColumnDef::number(
        "item_conversion",
        t(lang, "component.item_conversion"),
    ));
    let rows = f
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut cells = vec![Cell::text(item.item.clone())];
            if has_titles {
                cells.push(Cell::text(item.title.clone().unwrap_or_default()));
            }
            cells.extend(item.counts.iter().map(|&c| Cell::count(c, lang)));
            cells.push(Cell::percent(item.overall_conversion, lang));
            cells.push(Cell::percent(item.item_conversion, lang));
            Row::new(cells).with_testid(format!("funnel-item-{i}"))
        })
        .collect();
    Some(TableData {
        id: "funnel-items".into(),
        columns,
        rows,
    })
}

/// Bucket labels from their upper bounds: `≤1 min`, `1 min–10 min` … `>7 d`.
fn bucket_labels(ttc: &TimeToConvert, opts: &ViewOptions) -> Vec<String> {
    let lang = opts.lang;
    let mut previous: Option<i64> = None;
    ttc.buckets
        .iter()
        .map(|b| {
            let label = match (previous, b.upper_seconds) {
                (None, Some(upper)) => format!("≤{}", fmt::duration(upper, lang)),
                (Some(lower), Some(upper)) => {
                    format!(
                        "{}–{}",
                        fmt::duration(lower, lang),
                        fmt::duration(upper, lang)
                    )
                }
                (Some(lower), None) => format!(">{}", fmt::duration(lower, lang)),
                (None, None) => b.label.clone(),
            };
            previous = b.upper_seconds;
            label
        })
        .collect()
}

fn time_to_convert_panel(f: &FunnelReport, opts: &ViewOptions) -> Option<Element> {
    let lang = opts.lang;
    let shown: Vec<&TimeToConvert> = f.time_to_convert.iter().filter(|t| t.users > 0).collect();
    if shown.is_empty() {
        return None;
    }
    let mut exports = Vec::new();
    let mut boxes = Vec::new();
    for (i, ttc) in shown.iter().enumerate() {
        let id = format!("ttc-{i}");
        let step = step_label(&ttc.step, opts);
        let median = ttc
            .median_seconds
            .map_or_else(|| fmt::DASH.to_string(), |s| fmt::duration(s, lang));
        let title = format!("{step} · {} {median}", t(lang, "funnel.median"));
        let bins: Vec<HistBin> = bucket_labels(ttc, opts)
            .into_iter()
            .zip(&ttc.buckets)
            .map(|(label, b)| HistBin {
                label,
                count: b.users as f64,
            })
            .collect();
        let chart = histogram(
            &bins,
            &ChartOptions::new(lang, title.clone())
                .unit(Unit::Count)
                .labels("", t(lang, "funnel.users"))
                .size(960.0, 240.0)
                .id(format!("chart-{id}")),
        );
        // One pair of buttons per step's chart, named after the step.
        exports.extend(named(chart_exports(&id), &step));
        boxes.push(
            el("div")
                .class("chart-box")
                .child(el("h4").testid(format!("ttc-median-{i}")).text(title))
                .child(chart),
        );
    }
    Some(panel(t(lang, "section.time_to_convert"), &exports, opts).children(boxes))
}

fn trend_panel(f: &FunnelReport, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let labels: Vec<String> = f.trend.iter().map(|p| p.period.clone()).collect();
    let series = [Series::new(
        t(lang, "funnel.overall_conversion"),
        f.trend.iter().map(|p| p.overall_conversion).collect(),
    )];
    let chart = line_chart(
        &series,
        &labels,
        &ChartOptions::new(lang, t(lang, "section.conversion_trend"))
            .unit(Unit::Ratio)
            .labels(t(lang, codes::grain(f.trend_grain)), "")
            .id("chart-funnel-trend"),
    );
    panel(
        t(lang, "section.conversion_trend"),
        &chart_exports("funnel-trend"),
        opts,
    )
    .child(el("div").class("chart-box").child(chart))
}
