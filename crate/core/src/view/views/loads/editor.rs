//! The Data view's controls: kind, platform and amount-grain choosers, the remembered-mapping
//! notice, guessed roles to confirm, and the status meanings (see the attributes in `super`).

use super::super::{codes, count_i64, SavedMapping, ViewOptions};
use super::platform_name;
use crate::ingest::report::LoadReport;
use crate::model::Platform;
use crate::schema::field::Field;
use crate::schema::recognize::{Column, Grain};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, t};
use crate::view::node::{el, Element};

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
pub(super) fn overrides(load: &LoadReport, opts: &ViewOptions) -> Option<Element> {
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
pub(super) fn saved_notice(load: &LoadReport, opts: &ViewOptions) -> Option<Element> {
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
pub(super) fn confirm_button(
    load: &LoadReport,
    column: &Column,
    field: Field,
    lang: Lang,
) -> Element {
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
pub(super) fn doubtful_summary(i: usize, load: &LoadReport, opts: &ViewOptions) -> Option<Element> {
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
        let evidence = match lang {
            Lang::Zh if !first.evidence_zh.is_empty() => &first.evidence_zh,
            _ => &first.evidence,
        };
        if !evidence.is_empty() {
            text.push_str(&t(lang, "load.doubtful_because").replacen("{}", evidence, 1));
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
pub(super) fn statuses_table(i: usize, load: &LoadReport, opts: &ViewOptions) -> Element {
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

pub(super) fn select(options: impl Iterator<Item = (String, String)>, current: &str) -> Element {
    el("select").children(options.map(|(value, text)| {
        let option = el("option").attr("value", value.clone()).text(text);
        if value == current {
            option.attr("selected", "selected")
        } else {
            option
        }
    }))
}
