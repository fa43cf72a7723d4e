//! Which currency each loaded file's amounts are in.
//!
//! Evidence is gathered while the rows are read (a currency column's values, the symbols or codes
//! written in the amounts: [`LoadReport::count_currency`]) and decided once every file is loaded
//! ([`resolve_files`]), in this order:
//! 1. the user's word (`FileOptions::currency`, the Data tab);
//! 2. a currency column (Shopify `Currency`, Amazon `currency`, WooCommerce `Order Currency`, `币种`):
//!    one code in every row is the file's currency; two or more codes leave the file's currency
//!    unknown (`currency_mixed`), since the figures are kept per file;
//! 3. the symbols or codes in the amounts (`US$`, `€`, `RMB`, `元` …). `$` alone is read as USD (the
//!    other dollars are written `CA$`, `A$`, `HK$` …); `¥`/`￥` is CNY or JPY: CNY on a Chinese platform
//!    or a file of no known platform, JPY on the others (Shopify, Amazon, WooCommerce shops writing `¥`
//!    sell in Japan); the load report says which was taken;
//! 4. the platform: Taobao/Tmall, JD, Pinduoduo, Douyin and Tianchi sell in CNY;
//! 5. else, when the other files state one and the same currency (only one currency is possible
//!    among the files loaded), that one, with a `currency_from_files` note saying so and how to
//!    change it (`currency_basis: "files"`): a Taobao report and a generic export of the same shop
//!    stay one report;
//! 6. else the currency is not stated: `currency: null` with a `currency_not_stated` note. The
//!    file's amounts are shown without a symbol; when other files state currencies (several), its
//!    orders form a group of their own and are never added to another currency's.
//!
//! Files with no money at all (behaviour logs) have no currency and get no note.

use crate::codes::NoteCode;
use crate::ingest::{IngestOptions, LoadReport};
use crate::model::{DatasetKind, Platform};

/// A currency written beside an amount: the ISO code it names, or `$`/`¥` (decided by the
/// platform). Longer entries first so `US$` wins over `$`.
const AMOUNT_MARKS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("NT$", "TWD"),
    ("CA$", "CAD"),
    ("AU$", "AUD"),
    ("NZ$", "NZD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("RMB", "CNY"),
    ("元", "CNY"),
    ("円", "JPY"),
    ("¥", "¥"),
    ("￥", "¥"),
    ("$", "$"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₩", "KRW"),
    ("₹", "INR"),
    ("₽", "RUB"),
    ("₺", "TRY"),
    ("₫", "VND"),
    ("฿", "THB"),
    ("zł", "PLN"),
    ("Kč", "CZK"),
];

/// ISO codes written in amounts (`USD 12.00`, `12.00 EUR`).
const CODES: &[&str] = &[
    "USD", "CNY", "EUR", "GBP", "JPY", "HKD", "TWD", "KRW", "AUD", "CAD", "CHF", "SGD", "INR",
    "BRL", "MXN", "SEK", "NOK", "DKK", "PLN", "CZK", "THB", "MYR", "IDR", "PHP", "VND", "ZAR",
    "TRY", "RUB", "AED", "NZD",
];

/// The currency an amount cell names (`US$12.00` → `USD`, `¥88` → `¥`, `12.00 EUR` → `EUR`), or
/// `None` for a bare number. Only the ends of the cell are looked at: a sign or parentheses may
/// come first. Cheap for bare numbers (one byte looked at each end).
pub fn mark_of_amount(raw: &str) -> Option<&'static str> {
    let s = raw.trim();
    let (first, last) = (*s.as_bytes().first()?, *s.as_bytes().last()?);
    if first.is_ascii_digit() && last.is_ascii_digit() {
        return None;
    }
    let s = s.trim_start_matches(['-', '+', '(', '−', '－', ' ']);
    let s = s.trim_end_matches([')', ' ']);
    for (mark, code) in AMOUNT_MARKS {
        if s.starts_with(mark) || s.ends_with(mark) {
            return Some(code);
        }
    }
    let upper = |t: &str| t.to_ascii_uppercase();
    let head = s.get(..3).map(upper);
    let tail = s.len().checked_sub(3).and_then(|i| s.get(i..)).map(upper);
    CODES
        .iter()
        .find(|c| head.as_deref() == Some(**c) || tail.as_deref() == Some(**c))
        .copied()
}

/// The ISO code a currency column's value names (`usd` → `USD`, `RMB`/`人民币` → `CNY`), or
/// `None` when it names none.
pub fn code_of_value(value: &str) -> Option<String> {
    let v = value.trim();
    match v {
        "人民币" | "元" | "RMB" | "rmb" | "¥" | "￥" => return Some("CNY".into()),
        "美元" => return Some("USD".into()),
        "欧元" => return Some("EUR".into()),
        "港币" | "港元" => return Some("HKD".into()),
        "日元" => return Some("JPY".into()),
        "英镑" => return Some("GBP".into()),
        _ => {}
    }
    (v.len() == 3 && v.bytes().all(|b| b.is_ascii_alphabetic())).then(|| v.to_ascii_uppercase())
}

/// Whether an export of this kind carries money (and so needs a currency).
fn carries_money(kind: DatasetKind) -> bool {
    kind != DatasetKind::Events
}

/// Whether an export of this kind creates orders (its files form the currency groups).
pub fn is_order_kind(kind: DatasetKind) -> bool {
    matches!(kind, DatasetKind::Orders | DatasetKind::OrderLines)
}

/// A symbol read from the amounts, as a code: `$` is USD, `¥` CNY or JPY by platform (module docs).
fn code_of_mark(mark: &str, platform: Option<Platform>) -> (String, bool) {
    match mark {
        "$" => ("USD".into(), true),
        "¥" => {
            let chinese_or_unknown =
                platform.map_or(true, |p| p.is_chinese() || p == Platform::Generic);
            (if chinese_or_unknown { "CNY" } else { "JPY" }.into(), true)
        }
        code => (code.into(), false),
    }
}

/// Decide every file's currency (module docs) and write it, its basis and a note into the load
/// reports. `opts` carries the user's per-file currencies.
pub fn resolve_files(reports: &mut [LoadReport], opts: &IngestOptions) {
    for r in reports.iter_mut() {
        decide(r, opts);
    }
    // A file of no stated currency takes the one currency the others state, when they agree
    // (a file of several currencies counts as disagreeing).
    let mut stated = reports
        .iter()
        .filter(|r| {
            r.error.is_none() && matches!(r.currency_basis.as_deref(), Some(b) if b != "not_stated")
        })
        .map(|r| r.currency.clone());
    let shared = match stated.next() {
        Some(Some(first)) => stated
            .all(|c| c.as_deref() == Some(first.as_str()))
            .then_some(first),
        _ => None,
    };
    for r in reports.iter_mut() {
        let unknown = r.currency.is_none() && r.currency_basis.as_deref() == Some("not_stated");
        if let (true, Some(code)) = (unknown, &shared) {
            r.currency = Some(code.clone());
            r.currency_basis = Some("files".into());
            r.notes.retain(|n| n.code != NoteCode::CurrencyNotStated);
            r.note(
                NoteCode::CurrencyFromFiles,
                format!(
                    "This file names no currency; its amounts are taken to be in {code}, the one \
                     currency the other files state. Set its currency on the Data tab if not."
                ),
            );
        }
    }
}

fn decide(r: &mut LoadReport, opts: &IngestOptions) {
    r.currency = None;
    r.currency_basis = None;
    // Parts of a file read in parallel were decided on their own; the whole file is decided anew.
    r.notes.retain(|n| !n.code.is_currency());
    let Some(kind) = r.kind else { return };
    if r.error.is_some() || !carries_money(kind) {
        return;
    }
    let user = opts
        .files
        .get(&r.file)
        .and_then(|f| f.currency.as_deref())
        .and_then(code_of_value);
    if let Some(code) = user {
        r.currency = Some(code);
        r.currency_basis = Some("user".into());
        return;
    }
    let column: Vec<&str> = r
        .currency_seen
        .iter()
        .filter(|s| s.from == "column")
        .map(|s| s.value.as_str())
        .collect();
    if !column.is_empty() {
        if let [one] = column[..] {
            r.currency = Some(one.to_string());
            r.currency_basis = Some("column".into());
        } else {
            let list = column.join(", ");
            r.currency_basis = Some("mixed".into());
            r.note(
                NoteCode::CurrencyMixed,
                format!(
                    "The currency column holds several currencies ({list}); shoplens keeps one \
                     currency per file, so this file's amounts are kept apart from every other \
                     file's and not converted. Split the export by currency to analyse it."
                ),
            );
        }
        return;
    }
    let mut marks: Vec<(String, bool)> = r
        .currency_seen
        .iter()
        .filter(|s| s.from == "amount")
        .map(|s| code_of_mark(&s.value, r.platform))
        .collect();
    marks.sort();
    marks.dedup_by(|a, b| a.0 == b.0);
    match &marks[..] {
        [] => {}
        [(code, ambiguous)] => {
            r.currency = Some(code.clone());
            r.currency_basis = Some("symbol".into());
            if *ambiguous {
                r.note(
                    NoteCode::CurrencySymbolAmbiguous,
                    format!(
                        "The amounts are written with a symbol several currencies use; they are \
                         read as {code} from the platform. Set the file's currency on the Data tab \
                         if not."
                    ),
                );
            }
            return;
        }
        _ => {
            r.currency_basis = Some("mixed".into());
            r.note(
                NoteCode::CurrencyMixed,
                "The amounts are written in several currencies; this file's amounts are kept apart \
                 from every other file's and not converted. Split the export by currency.",
            );
            return;
        }
    }
    if r.platform.is_some_and(|p| p.is_chinese()) {
        r.currency = Some("CNY".into());
        r.currency_basis = Some("platform".into());
        return;
    }
    r.currency_basis = Some("not_stated".into());
    r.note(
        NoteCode::CurrencyNotStated,
        "The export names no currency (no currency column, no symbol in the amounts): its amounts \
         are shown without a currency and never added to another currency's. Set its currency on \
         the Data tab.",
    );
}

/// The one currency of the loaded money, when there is one: the order files' (all stated and
/// equal), else, without order files, the other files' (all stated and equal). `None` otherwise:
/// several currencies (the report then splits, `crate::currency::split`) or one not stated.
pub fn dataset_currency(reports: &[LoadReport]) -> Option<String> {
    let money: Vec<&LoadReport> = reports
        .iter()
        .filter(|r| r.error.is_none() && r.currency_basis.is_some())
        .collect();
    let orders: Vec<&LoadReport> = money
        .iter()
        .copied()
        .filter(|r| r.kind.is_some_and(is_order_kind))
        .collect();
    let files = if orders.is_empty() { money } else { orders };
    let first = files.first()?.currency.clone()?;
    files
        .iter()
        .all(|r| r.currency.as_deref() == Some(first.as_str()))
        .then_some(first)
}
