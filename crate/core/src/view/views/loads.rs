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
    count_i64, named, panel, table_block, table_exports, view_section, SavedMapping, TableData,
    ViewName, ViewOptions,
};
use crate::ingest::report::{LoadReport, Note, Reason};
use crate::model::Platform;
use crate::report::Report;
use crate::schema::field::Field;
use crate::schema::recognize::{Column, Grain};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, t, t_with};
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row};

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
        let text = by_code(lang, "error", &error.code)
            .map_or_else(|| error.message.clone(), str::to_string);
        let line = error
            .line
            .map(|l| format!(" ({} {l})", t(lang, "load.line")))
            .unwrap_or_default();
        p.push(
            el("div")
                .class("load-error")
                .attr("role", "alert")
                .attr("data-code", error.code.clone())
                .testid(id("error"))
                .child(el("strong").text(t(lang, "load.error")))
                .child(el("p").text(format!("{text}{line}"))),
        );
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
                .attr("data-code", n.code.clone())
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
    let Some(text) = by_code(lang, "note", &note.code) else {
        return note.message.clone();
    };
    if note.code != "container" {
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

/// The meanings a status value can be given (`FileOptions.statuses`), in menu order. A report
/// may also say `closed` (paid only with a payment time) or `unknown`, which the user can only
/// replace.
const STATUS_MEANINGS: [&str; 5] = ["paid", "unpaid", "cancelled", "refunded", "test"];
/// What the amounts of an order export can be summed over (`FileOptions.amount_grain`).
const AMOUNT_GRAINS: [&str; 2] = ["line", "order"];

/// The serde code of a grain (`FileOptions.amount_grain`).
fn grain_code(g: Grain) -> &'static str {
    match g {
        Grain::Line => "line",
        Grain::Order => "order",
    }
}

/// Kind, platform and amount-grain overrides, and the mapping download (interactive only). A
/// file whose header matched nothing still gets them: the kind chooser starts on "choose".
fn overrides(load: &LoadReport, opts: &ViewOptions) -> Option<Element> {
    if !opts.interactive || load.error.is_some() && load.columns.is_empty() {
        return None;
    }
    let lang = opts.lang;
    let kind_value = load
        .kind
        .and_then(|k| codes::KINDS.iter().find(|(kind, _)| *kind == k))
        .map_or("", |(_, v)| *v);
    let choose = || (String::new(), t(lang, "load.choose").to_string());
    let kinds = load.kind.is_none().then(choose).into_iter().chain(
        codes::KINDS
            .iter()
            .map(|&(k, v)| (v.to_string(), t(lang, codes::kind(k)).to_string())),
    );
    let platform_value = load.platform.map_or("", Platform::code);
    let platforms = load
        .platform
        .is_none()
        .then(|| (String::new(), t(lang, "load.detect").to_string()))
        .into_iter()
        .chain(
            Platform::ALL
                .iter()
                .map(|&p| (p.code().to_string(), platform_name(p, opts))),
        );
    let mut row = el("div")
        .class("load-overrides")
        .child(select_row(
            &load.file,
            "kind",
            t(lang, "load.kind"),
            kinds,
            kind_value,
        ))
        .child(select_row(
            &load.file,
            "platform",
            t(lang, "load.platform"),
            platforms,
            platform_value,
        ));
    if let Some(grain) = load.decisions.amount_grain.map(grain_code) {
        let grains = AMOUNT_GRAINS.iter().map(|g| {
            let text = by_code(lang, "load.amount_grain", g).unwrap_or(g);
            (g.to_string(), text.to_string())
        });
        row.push(select_row(
            &load.file,
            "amount_grain",
            t(lang, "load.amount_grain"),
            grains,
            grain,
        ));
    }
    if !load.columns.is_empty() {
        row.push(
            el("button")
                .attr("type", "button")
                .class("button")
                .class("small")
                .class("quiet")
                .attr("data-mapping-action", "save")
                .attr("data-file", load.file.clone())
                .text(t(lang, "mapping.save")),
        );
    }
    Some(row)
}

/// "Your saved mapping was applied" (or "remembered"), with a button to forget it.
fn saved_notice(load: &LoadReport, opts: &ViewOptions) -> Option<Element> {
    if !opts.interactive {
        return None;
    }
    let how = opts.saved_mappings.get(&load.file)?;
    let key = match how {
        SavedMapping::Applied => "mapping.applied",
        SavedMapping::Remembered => "mapping.remembered",
    };
    Some(
        el("p")
            .class("saved-mapping")
            .attr("role", "status")
            .testid(format!("saved-mapping-{}", load.file))
            .text(format!("{} ", t(opts.lang, key)))
            .child(
                el("button")
                    .attr("type", "button")
                    .class("button")
                    .class("small")
                    .attr("data-mapping-action", "forget")
                    .attr("data-file", load.file.clone())
                    .text(t(opts.lang, "mapping.forget")),
            ),
    )
}

/// The columns whose role is a guess to confirm.
fn doubtful(load: &LoadReport) -> impl Iterator<Item = &Column> {
    load.columns
        .iter()
        .filter(|c| c.doubtful && c.field.is_some() && c.duplicate_of.is_none())
}

fn role_name(f: Field, lang: Lang) -> &'static str {
    by_code(lang, "field", f.code()).unwrap_or(f.code())
}

/// A role to confirm: a button adding an override with the same role.
fn confirm_button(load: &LoadReport, column: &Column, field: Field, lang: Lang) -> Element {
    el("button")
        .attr("type", "button")
        .class("button")
        .class("small")
        .class("confirm")
        .attr("data-confirm", "column")
        .attr("data-file", load.file.clone())
        .attr("data-header", column.header.clone())
        .attr("data-value", field.code())
        .attr(
            "aria-label",
            format!("{} · {}", t(lang, "load.confirm"), column.header),
        )
        .text(t(lang, "load.confirm"))
}

/// One sentence on top of the panel when a role is a guess: the column, its role and why, and
/// the way to confirm it (all of them when several).
fn doubtful_summary(i: usize, load: &LoadReport, opts: &ViewOptions) -> Option<Element> {
    let lang = opts.lang;
    let guesses: Vec<&Column> = doubtful(load).collect();
    let first = *guesses.first()?;
    let mut line = el("p")
        .class("doubtful-summary")
        .attr("role", "note")
        .testid(format!("load-{i}-doubtful"));
    if guesses.len() == 1 {
        let field = first.field?;
        let mut text = t(lang, "load.doubtful_one")
            .replacen("{}", &first.header, 1)
            .replacen("{}", role_name(field, lang), 1);
        if !first.evidence.is_empty() {
            text.push_str(&t(lang, "load.doubtful_because").replacen("{}", &first.evidence, 1));
        }
        text.push_str(separator(lang));
        line = line.text(text);
        if opts.interactive {
            line.push(confirm_button(load, first, field, lang));
        }
    } else {
        let list: Vec<String> = guesses
            .iter()
            .filter_map(|c| Some(format!("“{}” → {}", c.header, role_name(c.field?, lang))))
            .collect();
        let joined = list.join(match lang {
            Lang::Zh => "，",
            Lang::En => ", ",
        });
        line = line.text(
            t(lang, "load.doubtful_many")
                .replacen("{}", &guesses.len().to_string(), 1)
                .replacen("{}", &joined, 1),
        );
        if opts.interactive {
            line.push(
                el("button")
                    .attr("type", "button")
                    .class("button")
                    .class("small")
                    .class("confirm")
                    .attr("data-confirm", "all")
                    .attr("data-file", load.file.clone())
                    .text(t(lang, "load.confirm_all")),
            );
        }
    }
    Some(line)
}

fn separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// The status column's values, their rows and meaning; a meaning can be changed (interactive),
/// and an unknown one is highlighted.
fn statuses_table(i: usize, load: &LoadReport, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let meaning_name =
        |m: &str| by_code(lang, "load.meaning", m).map_or(m.to_string(), str::to_string);
    let head = el("tr").children(
        [
            t(lang, "load.status_value"),
            t(lang, "load.count"),
            t(lang, "load.meaning"),
        ]
        .into_iter()
        .map(|label| el("th").attr("scope", "col").text(label)),
    );
    let body = el("tbody").children(load.status_values.iter().map(|s| {
        let meaning = if opts.interactive {
            // The report's own meaning leads when it is not one the user can set.
            let current = (!STATUS_MEANINGS.contains(&s.meaning.as_str()))
                .then(|| (s.meaning.clone(), meaning_name(&s.meaning)));
            let choices = current.into_iter().chain(
                STATUS_MEANINGS
                    .iter()
                    .map(|m| (m.to_string(), meaning_name(m))),
            );
            el("td").child(
                select(choices, &s.meaning)
                    .class("meaning-select")
                    .attr("data-file", load.file.clone())
                    .attr("data-override", "status")
                    .attr("data-value", s.value.clone())
                    .attr("aria-label", s.value.clone()),
            )
        } else {
            el("td").text(meaning_name(&s.meaning))
        };
        let row = el("tr")
            .attr("data-meaning", s.meaning.clone())
            .child(el("td").text(s.value.clone()))
            .child(
                el("td")
                    .class("num")
                    .text(fmt::int(count_i64(s.rows), lang)),
            )
            .child(meaning);
        if s.meaning == "unknown" {
            row.class("doubtful")
        } else {
            row
        }
    }));
    el("div").class("table-wrap").child(
        el("table")
            .class("data-table")
            .class("statuses")
            .attr("id", format!("table-load-{i}-statuses"))
            .testid(format!("load-{i}-statuses"))
            .child(el("thead").child(head))
            .child(body),
    )
}

fn select_row(
    file: &str,
    what: &'static str,
    label: &str,
    options: impl Iterator<Item = (String, String)>,
    current: &str,
) -> Element {
    el("label").class("override").text(label).child(
        select(options, current)
            .attr("data-file", file)
            .attr("data-override", what),
    )
}

fn select(options: impl Iterator<Item = (String, String)>, current: &str) -> Element {
    el("select").children(options.map(|(value, text)| {
        let option = el("option").attr("value", value.clone()).text(text);
        if value == current {
            option.attr("selected", "selected")
        } else {
            option
        }
    }))
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
                Cell::text(c.evidence.clone()),
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
            let reason =
                by_code(lang, "reason", &r.code).map_or_else(|| r.message.clone(), str::to_string);
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
