//! The one real cause, when a loaded file gave the views nothing to show.
//!
//! Without it each view guesses on its own ("load an order export", "none is paid", "no buyer
//! id"), and the three guesses disagree. A file that was read but yielded no usable row, or whose
//! header matched nothing, or whose orders are all unpaid because their statuses are unknown, is
//! named here once, with its cause taken from its load report; the page shows it as a banner above
//! the views, and a view with no data then defers to it (see [`ViewOptions::defer_to_banner`]).
//!
//! Interactive banners carry one button per cause: `data-open-mapping="{load index}"`,
//! `data-focus` (`columns`, `kind` or `statuses`) and, when a rejection names the column at fault,
//! `data-header`, which the page turns into "open the Data tab at that file's mapping".

use super::{count_i64, ViewOptions};
use crate::codes::{ErrorCode, ReasonCode, UnavailableCode};
use crate::ingest::report::{LoadReport, Reason};
use crate::model::DatasetKind;
use crate::report::{Report, Section};
use crate::schema::field::Field;
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, code_text, t};
use crate::view::node::{el, Element, Node};

/// Why a file gave the views nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause<'a> {
    /// The header matched no known export: nothing was read.
    Unrecognised,
    /// Every row was rejected because no column holds a role the rows need (`field`).
    MissingRole { field: Field },
    /// Every row was rejected; `reason` is the most frequent rejection.
    Rejected { reason: &'a Reason },
    /// Orders were read but none counts as paid, and these status values have no known meaning.
    UnknownStatuses { values: Vec<&'a str> },
}

impl Cause<'_> {
    /// Stable code, for `data-code` and the tests.
    pub fn code(&self) -> &'static str {
        match self {
            Cause::Unrecognised => "unrecognised_header",
            Cause::MissingRole { .. } => "missing_role",
            Cause::Rejected { .. } => "all_rows_rejected",
            Cause::UnknownStatuses { .. } => "unknown_statuses",
        }
    }

    /// Which control of the file's panel the banner's button leads to.
    fn focus(&self) -> &'static str {
        match self {
            Cause::Unrecognised => "kind",
            Cause::MissingRole { .. } | Cause::Rejected { .. } => "columns",
            Cause::UnknownStatuses { .. } => "statuses",
        }
    }
}

/// One blocked file: its index in `report.loads` and the cause.
#[derive(Clone, Debug)]
pub struct Blocker<'a> {
    pub index: usize,
    pub load: &'a LoadReport,
    pub cause: Cause<'a>,
}

/// The blocked files of `report`, in load order.
pub fn blockers(report: &Report) -> Vec<Blocker<'_>> {
    let no_paid_orders = matches!(
        &report.kpi,
        Section::Unavailable { reason } if reason.code == UnavailableCode::NoPaidOrders
    );
    report
        .loads
        .iter()
        .enumerate()
        .filter_map(|(index, load)| {
            let cause = cause_of(load, no_paid_orders)?;
            Some(Blocker { index, load, cause })
        })
        .collect()
}

fn cause_of(load: &LoadReport, no_paid_orders: bool) -> Option<Cause<'_>> {
    if let Some(error) = &load.error {
        // Other read errors (empty file, damaged workbook) have nothing to map: their message
        // says what to do.
        return (error.code() == ErrorCode::UnrecognisedHeader).then_some(Cause::Unrecognised);
    }
    let kind = load.kind?;
    if load.rows_read > 0 && load.rows_used == 0 {
        // The most frequent reason; on a tie the first listed (the first met in the file).
        let reason = load
            .rejected
            .iter()
            .reduce(|best, r| if r.count > best.count { r } else { best })?;
        if let Some(field) = missing_role(load, kind, reason.code) {
            return Some(Cause::MissingRole { field });
        }
        return Some(Cause::Rejected { reason });
    }
    let orders = matches!(kind, DatasetKind::Orders | DatasetKind::OrderLines);
    if no_paid_orders && orders && load.rows_used > 0 {
        let values: Vec<&str> = load
            .status_values
            .iter()
            .filter(|s| s.meaning == "unknown")
            .map(|s| s.value.as_str())
            .collect();
        if !values.is_empty() {
            return Some(Cause::UnknownStatuses { values });
        }
    }
    None
}

/// The role a `missing_*` rejection needs when no column of the file holds it (any of the roles
/// that can give the value counts as holding it).
fn missing_role(load: &LoadReport, kind: DatasetKind, code: ReasonCode) -> Option<Field> {
    let roles: &[Field] = match (code, kind) {
        (ReasonCode::MissingTime, DatasetKind::Orders | DatasetKind::OrderLines) => {
            &[Field::CreatedTime, Field::PaidTime]
        }
        (ReasonCode::MissingTime, DatasetKind::Events) => &[Field::EventTime],
        (ReasonCode::MissingTime, _) => &[Field::Date],
        (ReasonCode::MissingOrderId, _) => &[Field::OrderId],
        (ReasonCode::MissingUserId, _) => &[Field::UserId, Field::AnonymousId],
        (ReasonCode::MissingProduct, _) => &[Field::Sku, Field::ProductId, Field::Title],
        _ => return None,
    };
    let held = load
        .columns
        .iter()
        .any(|c| c.duplicate_of.is_none() && c.field.is_some_and(|f| roles.contains(&f)));
    (!held).then_some(roles[0])
}

/// The banner: one line per blocked file, or `None` when nothing is blocked.
pub fn banner(report: &Report, opts: &ViewOptions) -> Option<Node> {
    let found = blockers(report);
    if found.is_empty() {
        return None;
    }
    let lang = opts.lang;
    let lines = found.iter().map(|b| {
        let mut line = el("p")
            .class("blocker")
            .attr("data-code", b.cause.code())
            .testid(format!("blocker-{}", b.index))
            .child(
                el("span")
                    .child(el("strong").text(b.load.file.clone()))
                    .text(format!("{}{}", separator(lang), cause_text(b, lang))),
            );
        if opts.interactive {
            // A rejection names the column at fault in its example: the button leads there.
            let header = match &b.cause {
                Cause::Rejected { reason } => {
                    reason.examples.first().and_then(|e| e.column.clone())
                }
                _ => None,
            };
            line.push(
                el("button")
                    .attr("type", "button")
                    .class("button")
                    .class("small")
                    .attr("data-open-mapping", b.index.to_string())
                    .attr("data-focus", b.cause.focus())
                    .attr_opt("data-header", header)
                    .testid(format!("blocker-{}-action", b.index))
                    .text(t(lang, action_key(&b.cause))),
            );
        }
        line
    });
    Some(
        el("div")
            .class("blocker-banner")
            .attr("role", "alert")
            .testid("blocker")
            .children(lines)
            .into(),
    )
}

fn separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

fn action_key(cause: &Cause<'_>) -> &'static str {
    match cause {
        Cause::Unrecognised => "blocker.action.map",
        Cause::MissingRole { .. } => "blocker.action.choose",
        Cause::Rejected { .. } => "blocker.action.check",
        Cause::UnknownStatuses { .. } => "blocker.action.statuses",
    }
}

fn field_name(f: Field, lang: Lang) -> &'static str {
    by_code(lang, "field", f.code()).unwrap_or(f.code())
}

fn quoted(s: &str) -> String {
    format!("“{s}”")
}

/// The cause in one sentence.
fn cause_text(b: &Blocker<'_>, lang: Lang) -> String {
    match &b.cause {
        Cause::Unrecognised => t(lang, "blocker.unrecognised").to_string(),
        Cause::MissingRole { field } => {
            t(lang, "blocker.missing_role").replacen("{}", field_name(*field, lang), 1)
        }
        Cause::Rejected { reason } => {
            let why = code_text(lang, reason.code);
            let example = reason.examples.first().map(|e| {
                let column = e
                    .column
                    .as_deref()
                    .map(|c| format!(" [{c}]"))
                    .unwrap_or_default();
                format!(
                    "{} {}{column}: {}",
                    t(lang, "load.line"),
                    e.line,
                    quoted(&e.value)
                )
            });
            let text = t(lang, "blocker.rejected")
                .replacen("{}", &fmt::int(count_i64(b.load.rows_read), lang), 1)
                .replacen("{}", why, 1)
                .replacen("{}", &fmt::int(count_i64(reason.count), lang), 1);
            match example {
                Some(example) => {
                    format!(
                        "{text}{}",
                        t(lang, "blocker.example").replacen("{}", &example, 1)
                    )
                }
                None => text,
            }
        }
        Cause::UnknownStatuses { values } => {
            let list: Vec<String> = values.iter().map(|v| quoted(v)).collect();
            let joined = list.join(match lang {
                Lang::Zh => "、",
                Lang::En => ", ",
            });
            t(lang, "blocker.unknown_statuses").replacen("{}", &joined, 1)
        }
    }
}

/// The text a view shows instead of its own guess while the banner stands.
pub(super) fn deferred_panel(section: &str, code: UnavailableCode, lang: Lang) -> Element {
    el("div")
        .class("unavailable")
        .class("deferred")
        .attr("role", "note")
        .attr("data-code", code.code())
        .testid(format!("unavailable-{section}"))
        .child(el("h3").text(t(lang, "unavailable.title")))
        .child(el("p").text(t(lang, "blocker.deferred")))
}
