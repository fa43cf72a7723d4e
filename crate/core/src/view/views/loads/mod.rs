//! Load report: per file, what was detected (platform, kind, encoding, delimiter), the column
//! mapping (editable on the page), rows read / used / rejected, rejection reasons with examples,
//! and notes.
//!
//! Interactive mapping controls are plain `<select>`s the page turns into `IngestOptions`:
//! `data-file` (file name), `data-override="kind" | "platform" | "column"`, and for columns
//! `data-header` (the header as written); the value is the serde code, empty for "not used".
//! Status meanings are `data-override="status"` with `data-value` (the status as written), the
//! amounts' grain `data-override="amount_grain"`. A doubtful column role has a button
//! `data-confirm="column"` (with `data-file`, `data-header`, `data-value` = its role) that the
//! page turns into an override with the same role; a remembered mapping has
//! `data-mapping-action="forget"`, and every mapped file `data-mapping-action="save"`.

use super::codes;
use super::{
    count_i64, named, panel, table_block, table_exports, view_section, TableData, ViewName,
    ViewOptions,
};
use crate::codes::{ErrorCode, NoteCode};
use crate::ingest::report::{LoadReport, Note, Reason};
use crate::model::Platform;
use crate::report::Report;
use crate::schema::field::Field;
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, code_text, t, t_with};
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row};

mod editor;

use editor::{confirm_button, doubtful_summary, overrides, saved_notice, select, statuses_table};

/// Column mappings up to this many columns are shown unfolded.
const MAPPING_OPEN_UP_TO: usize = 12;
/// Examples shown per reason (the CSV export has all the report kept).
const EXAMPLES_SHOWN: usize = 3;

/// The load report view.
pub fn loads(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Loads, opts);
    if report.loads.is_empty() {
        view.push(el("p").class("empty").text(t(opts.lang, "load.none")));
    }
    for (i, load) in report.loads.iter().enumerate() {
        view.push(file_panel(i, load, &report.loads, opts));
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    report
        .loads
        .iter()
        .enumerate()
        .flat_map(|(i, load)| {
            [
                columns_table(i, load, opts),
                reasons_table(i, "rejected", &load.rejected, usize::MAX, opts),
                reasons_table(i, "skipped", &load.skipped, usize::MAX, opts),
            ]
        })
        .collect()
}

fn platform_name(p: Platform, opts: &ViewOptions) -> String {
    by_code(opts.lang, "platform", p.code()).map_or_else(|| p.code().to_string(), str::to_string)
}

/// The panel of load `i`; `all` are every file's loads (a workbook's note names its sheets' loads).
fn file_panel(i: usize, load: &LoadReport, all: &[LoadReport], opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let id = |what: &str| format!("load-{i}-{what}");
    // Two tables can download from one panel: each button is named after its table. A file that
    // was not read as a table (a workbook, whose sheets have their own panels) has no mapping.
    let mut exports = Vec::new();
    if !load.columns.is_empty() {
        exports.extend(named(
            table_exports(&id("columns")),
            t(lang, "section.columns"),
        ));
    }
    if !load.rejected.is_empty() {
        exports.extend(named(
            table_exports(&id("rejected")),
            t(lang, "section.rejected"),
        ));
    }
    let mut p = panel(&load.file, &exports, opts)
        .class("load")
        .testid(format!("load-{i}"));

    let dash = || fmt::DASH.to_string();
    let detected = [
        (
            "platform",
            "load.platform",
            load.platform.map_or_else(dash, |x| platform_name(x, opts)),
        ),
        (
            "kind",
            "load.kind",
            load.kind
                .map_or_else(dash, |k| t(lang, codes::kind(k)).to_string()),
        ),
        (
            "currency",
            "load.currency",
            super::currency::load_currency(
                load.currency.as_deref(),
                load.currency_basis.as_deref(),
                opts,
            )
            .unwrap_or_else(dash),
        ),
        (
            "encoding",
            "load.encoding",
            load.encoding
                .as_deref()
                .map_or_else(dash, str::to_uppercase),
        ),
        (
            "delimiter",
            "load.delimiter",
            load.delimiter.as_deref().map_or_else(dash, |d| {
                by_code(lang, "delimiter", d).map_or_else(|| d.to_string(), str::to_string)
            }),
        ),
        (
            "header_line",
            "load.header_line",
            load.header_line.map_or_else(dash, |l| l.to_string()),
        ),
        (
            "rows_read",
            "load.rows_read",
            fmt::int(count_i64(load.rows_read), lang),
        ),
        (
            "rows_used",
            "load.rows_used",
            fmt::int(count_i64(load.rows_used), lang),
        ),
        (
            "rows_rejected",
            "load.rows_rejected",
            fmt::int(count_i64(load.rows_rejected), lang),
        ),
        (
            "skipped",
            "load.skipped_lines",
            fmt::int(count_i64(load.skipped.iter().map(|r| r.count).sum()), lang),
        ),
    ];
    let mut summary = el("dl").class("load-summary");
    for (name, key, value) in detected {
        summary.push(el("dt").text(t(lang, key)));
        summary.push(el("dd").testid(format!("load-{i}-{name}")).text(value));
    }
    p.push(summary);
    p = p.child_opt(saved_notice(load, opts));
    p = p.child_opt(doubtful_summary(i, load, opts));
    p = p.child_opt(overrides(load, opts));

    if let Some(error) = &load.error {
        let text = code_text(lang, error.code()).to_string();
        // Where: line and column, as the message names them.
        let place: Vec<String> = [
            error.line.map(|l| format!("{} {l}", t(lang, "load.line"))),
            error
                .column
                .as_ref()
                .map(|c| format!("{} {c}", t(lang, "load.column"))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" ({})", place.join(", "))
        };
        let mut alert = el("div")
            .class("load-error")
            .attr("role", "alert")
            .attr("data-code", error.code().code())
            .testid(id("error"))
            .child(el("strong").text(t(lang, "load.error")))
            .child(el("p").text(format!("{text}{place}")));
        if let Some(excerpt) = error.excerpt() {
            alert.push(el("p").child(el("code").class("excerpt").text(format!("\"{excerpt}"))));
        }
        if opts.interactive && error.code() == ErrorCode::StrayQuote {
            // One click: read the file again with `"` as an ordinary character.
            alert.push(
                el("button")
                    .attr("type", "button")
                    .class("button")
                    .class("small")
                    .attr("data-mapping-action", "literal-quotes")
                    .attr("data-file", load.file.clone())
                    .testid(id("literal-quotes"))
                    .text(t(lang, "load.literal_quotes")),
            );
        }
        p.push(alert);
    }
    if !load.columns.is_empty() {
        // Long headers (Shopify has 40+ columns) start folded; the summary says how many.
        let summary = format!("{} ({})", t(lang, "section.columns"), load.columns.len());
        let details = el("details")
            .class("mapping-details")
            .child(el("summary").text(summary));
        // Open when short, and whenever a role needs the user (unmapped file, doubtful guess).
        let needs_user = load.error.is_some() || load.columns.iter().any(|c| c.doubtful);
        let details = if load.columns.len() <= MAPPING_OPEN_UP_TO || needs_user {
            details.attr("open", "open")
        } else {
            details
        };
        p.push(details.child(mapping_table(i, load, opts)));
    }
    if !load.status_values.is_empty() {
        p.push(el("h4").text(t(lang, "section.statuses")));
        p.push(statuses_table(i, load, opts));
    }
    for (what, reasons, title) in [
        ("rejected", &load.rejected, "section.rejected"),
        ("skipped", &load.skipped, "section.skipped"),
    ] {
        if !reasons.is_empty() {
            p.push(el("h4").text(t(lang, title)));
            p.push(table_block(
                &reasons_table(i, what, reasons, EXAMPLES_SHOWN, opts),
                opts,
            ));
        }
    }
    if !load.notes.is_empty() {
        p.push(el("h4").text(t(lang, "section.notes")));
        p.push(el("ul").class("notes").children(load.notes.iter().map(|n| {
            let text = note_text(n, load, all, lang);
            // The engine's message can say more (the unknown status, the missing column's
            // header): it stays one hover away.
            let details = (text != n.message).then(|| n.message.clone());
            el("li")
                .attr("data-code", n.code)
                .attr_opt("title", details)
                .text(text)
        })));
    }
    p
}

/// A load note in `lang`: its text by code, else the engine's message. A workbook's or archive's
/// `container` note names its parts (sheets, entries), which load as files named `{file}#{sheet}`
/// or `{file}/{entry}` (see ingest/container.rs).
fn note_text(note: &Note, load: &LoadReport, all: &[LoadReport], lang: Lang) -> String {
    let text = code_text(lang, note.code);
    if note.code != NoteCode::Container {
        return text.to_string();
    }
    let parts: Vec<&str> = all
        .iter()
        .filter_map(|other| {
            let rest = other.file.strip_prefix(load.file.as_str())?;
            rest.strip_prefix(['#', '/'])
        })
        .collect();
    let separator = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let parts = if parts.is_empty() {
        fmt::DASH.to_string()
    } else {
        parts.join(separator)
    };
    text.replacen("{}", &parts, 1)
}

/// The column mapping. Interactive: the role is a `<select>` of every field (and "not used").
fn mapping_table(i: usize, load: &LoadReport, opts: &ViewOptions) -> Element {
    let data = columns_table(i, load, opts);
    if !opts.interactive {
        return table_block(&data, opts);
    }
    let lang = opts.lang;
    let head = el("tr").children(
        data.columns
            .iter()
            .map(|c| el("th").attr("scope", "col").text(c.label.clone())),
    );
    let body = el("tbody").children(load.columns.iter().zip(&data.rows).map(|(column, row)| {
        let current = column
            .field
            .filter(|_| column.duplicate_of.is_none())
            .map_or("", Field::code);
        let choices = std::iter::once((String::new(), t(lang, "load.role_none").to_string()))
            .chain(Field::all().map(|f| {
                let name = by_code(lang, "field", f.code()).unwrap_or(f.code());
                (f.code().to_string(), name.to_string())
            }));
        let role = select(choices, current)
            .class("role-select")
            .attr("data-file", load.file.clone())
            .attr("data-override", "column")
            .attr("data-header", column.header.clone())
            .attr("aria-label", column.header.clone());
        let guess = column.doubtful && column.duplicate_of.is_none();
        let tr = el("tr").children(row.cells.iter().enumerate().map(|(c, cell)| {
            let td = el("td");
            match data.columns[c].key.as_str() {
                "role" => td.child(role.clone()),
                "evidence" => {
                    let td = td.class("evidence").text(cell.text.clone());
                    match column.field.filter(|_| guess) {
                        Some(field) => td.child(confirm_button(load, column, field, lang)),
                        None => td,
                    }
                }
                _ => td.text(cell.text.clone()),
            }
        }));
        if guess {
            tr.class("doubtful").attr("data-doubtful", "true")
        } else {
            tr
        }
    }));
    el("div").class("table-wrap").child(
        el("table")
            .class("data-table")
            .class("mapping")
            .attr("id", format!("table-{}", data.id))
            .attr("data-table", data.id.clone())
            .child(el("thead").child(head))
            .child(body),
    )
}

fn columns_table(i: usize, load: &LoadReport, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::number("index", "#"),
        ColumnDef::text("header", t(lang, "load.header")),
        ColumnDef::text("role", t(lang, "load.role")),
        ColumnDef::number("confidence", t(lang, "load.confidence")),
        ColumnDef::text("source", t(lang, "load.source")),
        ColumnDef::text("evidence", t(lang, "load.evidence")).unsorted(),
    ];
    let rows = load
        .columns
        .iter()
        .map(|c| {
            let role = match (c.field, c.duplicate_of) {
                (_, Some(other)) => t_with(lang, "load.duplicate_of", &(other + 1).to_string()),
                (Some(f), None) => by_code(lang, "field", f.code())
                    .unwrap_or(f.code())
                    .to_string(),
                (None, None) => t(lang, "load.role_none").to_string(),
            };
            Row::new(vec![
                Cell::int(c.index as i64 + 1, lang),
                Cell::text(c.header.clone()),
                Cell::text(role),
                // A column without a role has no confidence to speak of.
                Cell::percent(c.field.map(|_| f64::from(c.confidence)), lang),
                Cell::text(t(lang, codes::role_source(c.source))),
                Cell::text(match lang {
                    Lang::Zh if !c.evidence_zh.is_empty() => c.evidence_zh.clone(),
                    _ => c.evidence.clone(),
                }),
            ])
        })
        .collect();
    TableData {
        id: format!("load-{i}-columns"),
        columns,
        rows,
    }
}

/// Rejected rows or skipped lines by reason, with up to `examples` examples each.
fn reasons_table(
    i: usize,
    what: &str,
    reasons: &[Reason],
    examples: usize,
    opts: &ViewOptions,
) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("reason", t(lang, "load.reason")),
        ColumnDef::number("count", t(lang, "load.count")),
        ColumnDef::text("examples", t(lang, "load.examples")).unsorted(),
    ];
    let rows = reasons
        .iter()
        .map(|r| {
            let reason = code_text(lang, r.code).to_string();
            let shown: Vec<String> = r
                .examples
                .iter()
                .take(examples)
                .map(|e| {
                    let column = e
                        .column
                        .as_ref()
                        .map(|c| format!(" [{c}]"))
                        .unwrap_or_default();
                    format!("{} {}{column}: {}", t(lang, "load.line"), e.line, e.value)
                })
                .collect();
            Row::new(vec![
                Cell::text(reason),
                Cell::count(r.count, lang),
                Cell::text(shown.join(" · ")),
            ])
            .with_testid(format!("load-{i}-{what}-{}", r.code))
        })
        .collect();
    TableData {
        id: format!("load-{i}-{what}"),
        columns,
        rows,
    }
}
