//! Row mapping: one record of a recognised file into the [`Dataset`], or a rejection with a reason.
//!
//! Column indices are resolved once per file ([`ColumnMap`]); each row reads only its mapped cells,
//! parses them from `&str` without allocating, and either lands in the tables or is counted in the
//! load report under a stable reason code with the line, column and raw value.
//!
//! - this module: the per-file [`Mapper`], row shape checks, summary rows;
//! - [`cells`]: typed reads of one cell (money, times, ids …) that turn parse errors into reasons;
//! - [`orders`]: orders and line items, payment state, detail lines waiting for their orders;
//! - [`aggregates`]: behaviour events, traffic and ad rows, product lists.

mod aggregates;
mod cells;
mod orders;

pub(crate) use aggregates::IMPLICIT_EVENT;
pub(crate) use orders::{attach_pending, UNNAMED_PRODUCT};

use crate::codes::{NoteCode, ReasonCode};
use std::borrow::Cow;
use std::cell::RefCell;

use super::fast;
use super::options::FileOptions;
use super::records::Record;
use super::report::{LoadReport, RowIssue};
use super::{issue, RowContext};
use crate::model::{Dataset, DatasetKind, LineRow, OrderMerge, OrderRow, PayState, Platform};
use crate::schema::field::Field;
use crate::schema::recognize::{Column, ColumnMap, Grain, Recognition};
use crate::schema::value::{
    classify_status, clean, clean_id, is_missing, parse_count, parse_day, parse_event_type,
    parse_money, parse_money_decimal_comma, parse_time_in_zone, StatusClass, ValueError,
};
use crate::time::{day_of, Day};
use rustc_hash::FxHashMap;

/// 1990-01-01 and 2100-12-31 as day numbers: the range of plausible shop dates.
const FIRST_PLAUSIBLE_DAY: Day = 7_305;
const LAST_PLAUSIBLE_DAY: Day = 47_846;

/// Status values remembered per file with their class (`Mapper::status_memo`).
const STATUS_MEMO: usize = 32;

/// How a file's timestamps become wall-clock seconds (DEFINITIONS §1).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimeRules {
    /// Added to Unix epochs when no report zone is set: +8 h for Chinese platforms, else 0.
    pub epoch_offset: i64,
    /// The zone the user set (seconds east of UTC): offset-bearing times and epochs convert to it.
    pub report_zone: Option<i64>,
}

/// Why a row was not used.
struct Reject {
    code: ReasonCode,
    message: Cow<'static, str>,
    column: Option<usize>,
    value: String,
}

impl Reject {
    fn new(code: ReasonCode, message: impl Into<Cow<'static, str>>) -> Reject {
        Reject {
            code,
            message: message.into(),
            column: None,
            value: String::new(),
        }
    }
}

type RowResult<T> = Result<T, Reject>;

/// A line of a detail export (宝贝报表) whose order must come from another file.
pub(crate) struct PendingLine {
    report: usize,
    line: u64,
    order: String,
    product_key: String,
    title: Option<String>,
    quantity: i64,
    unit_price: Option<i64>,
    amount: Option<i64>,
    refund: Option<i64>,
}

/// Everything needed to map the rows of one file, resolved from its header once.
pub(crate) struct Mapper {
    kind: DatasetKind,
    /// Column index of each role, by `Field as usize`: resolved once from the header, so a row
    /// reads its cells by array index (a hash lookup per cell showed in profiles).
    columns: Vec<Option<usize>>,
    headers: Vec<String>,
    source: u16,
    time_rules: TimeRules,
    utf8: bool,
    file: String,
    pub headerless: bool,
    /// Paid amounts are per line and add up to the order (sub-order rows, or values that differ
    /// between an order's rows: DEFINITIONS §1).
    line_level_amounts: bool,
    /// Refund amounts are per line and add up to the order.
    line_level_refunds: bool,
    /// By column: amounts written with a decimal comma.
    decimal_comma: Vec<bool>,
    /// What the user said status values mean, by the value as written.
    statuses: FxHashMap<String, StatusClass>,
    /// The class of each status value met so far (the user's meaning, else `classify_status`):
    /// an export has a handful of values, so a row finds its own among them without classifying
    /// it again. Capped at [`STATUS_MEMO`] values.
    status_memo: RefCell<Vec<(Box<str>, Option<StatusClass>)>>,
    /// No created/paid time column: lines of orders that another export provides.
    detail_only: bool,
    has_paid_time: bool,
    has_status: bool,
}

impl Mapper {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        r: &Recognition,
        options: &FileOptions,
        platform: Platform,
        source: u16,
        time_rules: TimeRules,
        utf8: bool,
        file: &str,
        report: &mut LoadReport,
    ) -> Mapper {
        let map = ColumnMap::from_columns(&r.columns);
        let is_orders = matches!(r.kind, DatasetKind::Orders | DatasetKind::OrderLines);
        let has_paid_time = map.has(Field::PaidTime);
        let has_status = map.has(Field::Status);
        let detail_only = is_orders
            && map.has(Field::OrderId)
            && !map.has(Field::CreatedTime)
            && !has_paid_time
            && r.kind == DatasetKind::OrderLines;
        if is_orders && !detail_only {
            if !has_paid_time && !has_status {
                report.note(
                    NoteCode::AllOrdersPaid,
                    "No payment time and no status column: every order is counted as paid.",
                );
            } else if !has_paid_time {
                report.note(
                    NoteCode::PaidByStatus,
                    "No payment time column: paid orders are recognised by their status.",
                );
            }
            if !map.has(Field::OrderId) {
                report.note(
                    NoteCode::OneOrderPerRow,
                    "No order id column: each row is counted as one order.",
                );
            }
            if let Some(h) = &r.decisions.buyers_by_name {
                report.note(
                    NoteCode::BuyersByName,
                    format!(
                        "Buyers are told apart by their names in \"{h}\", as the export has no buyer \
                         id or e-mail: buyers who share a name count as one. If another column \
                         identifies the buyer, choose it on the Data tab."
                    ),
                );
            }
            if map.has(Field::RefundAmount) && platform == Platform::Taobao {
                report.note(
                    NoteCode::RefundMayIncludeAdjustments,
                    "退款金额 can include price adjustments already netted out of the paid amount; \
                     figures use the column as exported.",
                );
            }
        }
        if r.kind == DatasetKind::Events && !map.has(Field::EventType) {
            report.note(
                NoteCode::EventsWithoutNames,
                "No event column: every row is read as a view of its item (a views log). Map the \
                 event column on the Data tab if the file has one.",
            );
        }
        if detail_only {
            report.note(
                NoteCode::DetailLines,
                "Line items without order times: they are attached to the orders of an order export \
                 (订单报表) loaded with this file.",
            );
        }
        let line_level_amounts =
            map.has(Field::LineId) || r.decisions.amount_grain == Some(Grain::Line);
        let line_level_refunds =
            map.has(Field::LineId) || r.decisions.refund_grain == Some(Grain::Line);
        if is_orders && !detail_only {
            grain_notes(r, &map, options.amount_grain, report);
        }
        let mut decimal_comma = vec![false; r.columns.len()];
        for c in &r.columns {
            if c.decimal_comma && c.field.is_some() && c.duplicate_of.is_none() {
                decimal_comma[c.index] = true;
                report.note(
                    NoteCode::DecimalComma,
                    format!(
                        "Amounts in \"{}\" are written with a decimal comma (43,99 is 43.99), as \
                         its values show; they are read that way.",
                        c.header
                    ),
                );
            }
        }
        let statuses = options
            .statuses
            .iter()
            .map(|(value, &meaning)| (clean(value).to_string(), StatusClass::from(meaning)))
            .collect();
        Mapper {
            kind: r.kind,
            line_level_amounts,
            line_level_refunds,
            decimal_comma,
            statuses,
            status_memo: RefCell::new(Vec::new()),
            columns: columns_by_field(&r.columns),
            headers: r.columns.iter().map(|c| c.header.clone()).collect(),
            source,
            time_rules,
            utf8,
            file: file.to_string(),
            headerless: r.headerless,
            detail_only,
            has_paid_time,
            has_status,
        }
    }

    /// The column of role `f`, if the file has one.
    fn col(&self, f: Field) -> Option<usize> {
        self.columns.get(f as usize).copied().flatten()
    }

    fn has(&self, f: Field) -> bool {
        self.col(f).is_some()
    }

    /// Header of column `i`, as written.
    /// The file's index in `Dataset::sources`.
    pub fn source(&self) -> u16 {
        self.source
    }

    /// How this file's rows combine into orders, for merging parts of it read apart.
    pub fn order_merge(&self) -> OrderMerge {
        OrderMerge {
            // Packed lines (`2× A, 1× B`) keep the order's amount once, whatever the grain.
            paid_amount_adds_up: !self.has(Field::PackedItems)
                && (self.line_level_amounts || !self.has(Field::PaidAmount)),
            refund_adds_up: self.line_level_refunds
                || (self.has(Field::LineRefund) && !self.has(Field::RefundAmount)),
        }
    }

    /// Whether a later part of this file can be read on its own (see `ingest::parallel`): not a
    /// detail export whose lines wait for the orders of another file, nor an order export without
    /// an order id (its orders are named by their line, which a part does not know) or without
    /// any order time (a row of a paid order without a time is kept only when the order began on
    /// an earlier row, which may lie before the cut).
    pub fn can_continue_elsewhere(&self) -> bool {
        let orders = matches!(self.kind, DatasetKind::Orders | DatasetKind::OrderLines);
        let timed = self.has(Field::CreatedTime) || self.has_paid_time;
        !self.detail_only && (!orders || (self.has(Field::OrderId) && timed))
    }

    /// Columns of the header (of the first row, for a headerless file).
    pub fn column_count(&self) -> usize {
        self.headers.len()
    }

    pub fn header_name(&self, i: usize) -> Option<&str> {
        self.headers.get(i).map(String::as_str)
    }

    /// Map one data record.
    pub fn row(&mut self, rec: &Record<'_>, ctx: &mut RowContext<'_>) {
        if rec.is_blank() {
            ctx.report
                .skip(ReasonCode::BlankLine, "Blank line.", issue(rec, None, ""));
            return;
        }
        if is_summary(rec) {
            ctx.report.skip(
                ReasonCode::SummaryRow,
                "Summary row (合计/总计/Total) at the end of the export.",
                issue(rec, None, &rec.iter().take(4).collect::<Vec<_>>().join(" ")),
            );
            return;
        }
        ctx.report.rows_read += 1;
        let outcome = self.check_shape(rec).and_then(|_| match self.kind {
            DatasetKind::Orders | DatasetKind::OrderLines => self.order_row(rec, ctx),
            DatasetKind::Events => self.event_row(rec, ctx),
            DatasetKind::Traffic => self.traffic_row(rec, ctx),
            DatasetKind::Ads => self.ad_row(rec, ctx),
            DatasetKind::Products => self.product_row(rec, ctx),
        });
        match outcome {
            Ok(true) => ctx.report.rows_used += 1,
            // Held for later (detail lines): counted when attached or rejected at finish.
            Ok(false) => {}
            Err(r) => {
                let column = r.column.map(|c| self.headers[c].as_str());
                let value = if r.value.is_empty() && r.column.is_none() {
                    rec.iter().take(6).collect::<Vec<_>>().join(",")
                } else {
                    r.value.clone()
                };
                ctx.report
                    .reject(r.code, &r.message, issue(rec, column, &value));
            }
        }
    }

    fn check_shape(&self, rec: &Record<'_>) -> RowResult<()> {
        let n = self.headers.len();
        let extra_blank = (n..rec.len()).all(|i| rec.get(i).is_some_and(|c| c.trim().is_empty()));
        if rec.len() < n || (rec.len() > n && !extra_blank) {
            return Err(Reject::new(
                ReasonCode::RaggedRow,
                format!(
                    "This row has {} fields but the header has {n}: a delimiter or quote inside a value \
                     was not escaped. Fix the row in a text editor or export again.",
                    rec.len()
                ),
            ));
        }
        // UTF-8 is read as it is and checked per record, by the record's own bytes: invalid bytes,
        // or U+FFFD where an earlier conversion lost text. (Not by whether the decoder met a bad
        // byte earlier in the file: a later part of a split file, read on its own, could not know.)
        if self.utf8 && rec.has_replacement() {
            if let Some(i) =
                (0..rec.len()).find(|&i| rec.get(i).is_some_and(|c| c.contains('\u{FFFD}')))
            {
                return Err(Reject {
                    code: ReasonCode::InvalidEncoding,
                    message: "This line is not valid UTF-8 while the rest of the file is: the file \
                              mixes encodings. Save it again from Excel as one encoding (UTF-8 or GBK)."
                        .into(),
                    column: (i < n).then_some(i),
                    value: rec.get(i).unwrap_or("").to_string(),
                });
            }
        }
        Ok(())
    }
}

/// Say how each amount column adds up into orders, as decided from the sample (DEFINITIONS §1).
fn grain_notes(r: &Recognition, map: &ColumnMap, set: Option<Grain>, report: &mut LoadReport) {
    let header = |f: Field| {
        map.get(f)
            .and_then(|i| r.columns.get(i))
            .map_or(String::new(), |c| c.header.clone())
    };
    let d = &r.decisions;
    if map.has(Field::LineId) {
        return;
    }
    if let (Some(g), true) = (set, map.has(Field::PaidAmount)) {
        let how = match g {
            Grain::Line => "per line, summed per order",
            Grain::Order => "per order, counted once",
        };
        report.note(
            NoteCode::AmountGrainSet,
            format!(
                "You set \"{}\" (and the refund) as {how}.",
                header(Field::PaidAmount)
            ),
        );
        return;
    }
    if let (Some(g), true) = (d.amount_grain, map.has(Field::PaidAmount)) {
        let h = header(Field::PaidAmount);
        let (code, text) = match g {
            Grain::Line => (
                NoteCode::AmountGrainLine,
                format!(
                    "\"{h}\" differs between the rows of one order ({} of the {} orders of \
                     several rows among the first {} rows), so it is the paid amount of each line \
                     and is summed per order. If it is the order's amount, repeated, set the grain \
                     to \"order\" on the Data tab.",
                    d.differing_orders, d.multi_row_orders, d.sample_rows
                ),
            ),
            Grain::Order => (
                NoteCode::AmountGrainOrder,
                format!(
                    "\"{h}\" is the same on every row of an order (or given on its first row \
                     only), so it is the order's paid amount and is counted once. If it is per \
                     line, set the grain to \"line\" on the Data tab."
                ),
            ),
        };
        report.note(code, text);
    }
    if let (Some(Grain::Line), true) = (d.refund_grain, map.has(Field::RefundAmount)) {
        report.note(
            NoteCode::RefundGrainLine,
            format!(
                "\"{}\" differs between the rows of one order, so it is each line's refund and is \
                 summed per order.",
                header(Field::RefundAmount)
            ),
        );
    }
}

/// Column index by `Field as usize`, as [`ColumnMap`] resolves it: the first non-duplicate column
/// of each role.
fn columns_by_field(columns: &[Column]) -> Vec<Option<usize>> {
    let mut by_field: Vec<Option<usize>> = Vec::new();
    for c in columns {
        if let (Some(f), None) = (c.field, c.duplicate_of) {
            let slot = f as usize;
            if by_field.len() <= slot {
                by_field.resize(slot + 1, None);
            }
            by_field[slot].get_or_insert(c.index);
        }
    }
    by_field
}

/// The words of a summary row's first non-blank cell (compared ignoring ASCII case and a trailing
/// colon); `crate::sql` generates its filter from them.
pub(crate) const SUMMARY_WORDS: [&str; 9] = [
    "合计",
    "总计",
    "汇总",
    "小计",
    "total",
    "totals",
    "grand total",
    "合计:",
    "总计:",
];

/// A 合计/总计/Total row: its first non-blank cell says so.
fn is_summary(rec: &Record<'_>) -> bool {
    // Nearly every row starts with an id, a number or a date: a first cell that begins with a
    // letter or digit no summary word begins with is no summary (`clean` keeps that first byte).
    if let Some(&b) = rec.get(0).and_then(|c| c.as_bytes().first()) {
        if b.is_ascii_alphanumeric() && !matches!(b, b't' | b'T' | b'g' | b'G') {
            return false;
        }
    }
    const WORDS: [&str; 9] = SUMMARY_WORDS;
    rec.iter()
        .map(clean)
        .find(|c| !c.is_empty())
        .is_some_and(|c| {
            WORDS.iter().any(|w| {
                c.eq_ignore_ascii_case(w) || c.trim_end_matches([':', '：']).eq_ignore_ascii_case(w)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_range_is_1990_to_2100() {
        assert_eq!(
            FIRST_PLAUSIBLE_DAY,
            crate::time::days_from_civil(1990, 1, 1)
        );
        assert_eq!(
            LAST_PLAUSIBLE_DAY,
            crate::time::days_from_civil(2100, 12, 31)
        );
    }

    /// The per-row column array resolves every role as `ColumnMap` does, on real headers
    /// (duplicate `商家编码`, trailing spaces, sub-order exports).
    #[test]
    fn column_array_agrees_with_column_map() {
        let headers = [
            include_str!("../../../../../tests/fixtures/tmall_sales_detail.csv"),
            include_str!("../../../../../tests/fixtures/taobao_items_utf8bom.csv"),
            include_str!("../../../../../tests/fixtures/shopify_orders.csv"),
            include_str!("../../../../../tests/fixtures/rees46_events.csv"),
        ];
        for text in headers {
            let line = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap_or("");
            let cells: Vec<&str> = line.split(',').collect();
            let Some(r) = crate::schema::recognize::recognize(&cells, &Default::default(), None)
            else {
                panic!("fixture header not recognised: {line}");
            };
            let map = ColumnMap::from_columns(&r.columns);
            let by_field = columns_by_field(&r.columns);
            for c in &r.columns {
                if let Some(f) = c.field {
                    assert_eq!(
                        by_field.get(f as usize).copied().flatten(),
                        map.get(f),
                        "{f:?}"
                    );
                }
            }
        }
    }
}
