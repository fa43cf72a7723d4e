//! The load report: what ingest did with each file, so that nothing is silently lost.
//!
//! Invariant: `rows_read == rows_used + rows_rejected`. Lines that are not data rows (title rows
//! above the header, blank lines, 合计/Total summary rows) are counted in `skipped`, never in
//! `rows_read`.

use serde::{Deserialize, Serialize};

use crate::codes::{NoteCode, ReasonCode};
use crate::error::ErrorInfo;
use crate::model::{DatasetKind, Platform};
use crate::schema::recognize::{Column, Decisions};

/// How many example rows are kept per reason (the page shows the first few; all kept ones download).
pub const EXAMPLES_PER_REASON: usize = 100;

/// One example of a problem: where, and the raw value.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RowIssue {
    /// Physical line, from 1.
    pub line: u64,
    /// Column header as written, when one column is at fault.
    pub column: Option<String>,
    /// The raw cell value (or the first cells of the line), cut to 120 characters.
    pub value: String,
}

/// Rows rejected (or lines skipped) for one reason.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Reason {
    /// Stable snake_case code: `invalid_money`, `missing_order_id`, `scientific_id`, `ragged_row` …
    pub code: ReasonCode,
    /// English explanation with what to do; the page localises by `code`.
    pub message: String,
    pub count: u64,
    pub examples: Vec<RowIssue>,
}

/// Something the user should know about a file that is not a rejected row.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Note {
    /// Stable snake_case code, e.g. `all_orders_paid`, `no_customer_ids`, `refund_may_include_adjustments`.
    pub code: NoteCode,
    pub message: String,
}

/// One status value of a file and what it was read as.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StatusValue {
    /// As written (cleaned).
    pub value: String,
    pub rows: u64,
    /// `paid`, `unpaid`, `cancelled`, `closed` (paid only with a payment time), `refunded`, `test`,
    /// or `unknown`.
    pub meaning: String,
}

/// A currency the rows of a file named.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CurrencySeen {
    /// An ISO code, or `$` / `¥` (decided by the platform: `crate::currency`).
    pub value: String,
    /// `column` (a currency column) or `amount` (written beside the amounts).
    pub from: String,
    pub rows: u64,
}

/// Currencies listed per file, at most.
pub const CURRENCIES_KEPT: usize = 20;

/// Status values listed per file, at most (the rest are counted in the last one's rows).
pub const STATUS_VALUES_KEPT: usize = 100;

/// Everything known about one loaded file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoadReport {
    pub file: String,
    /// Bytes received.
    pub bytes: u64,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `gb18030` (GBK files are read as GB18030, its superset).
    pub encoding: Option<String>,
    /// `comma`, `tab`, `semicolon`, `pipe`.
    pub delimiter: Option<String>,
    pub kind: Option<DatasetKind>,
    pub platform: Option<Platform>,
    /// Physical line of the header (None for a headerless file).
    pub header_line: Option<u64>,
    pub columns: Vec<Column>,
    /// What was decided from the sampled rows: the amount grain, the sample's size.
    #[serde(default)]
    pub decisions: Decisions,
    /// The status values seen, with their rows and meaning, for the user to check and correct.
    #[serde(default)]
    pub status_values: Vec<StatusValue>,
    /// Data rows read after the header.
    pub rows_read: u64,
    /// Rows that went into the tables.
    pub rows_used: u64,
    /// Rows not used, each counted under its reason in `rejected`.
    pub rows_rejected: u64,
    pub rejected: Vec<Reason>,
    /// Lines that are not data: `title_line`, `blank_line`, `summary_row`.
    pub skipped: Vec<Reason>,
    pub notes: Vec<Note>,
    /// Set when the file could not be read at all.
    pub error: Option<ErrorInfo>,
    /// ISO code of the file's amounts, decided once every file is loaded (`crate::currency`);
    /// `None` when it cannot be told (see `currency_basis`) or the file has no money.
    #[serde(default)]
    pub currency: Option<String>,
    /// How `currency` was decided: `user`, `column`, `symbol`, `platform`, `files`; or why there is
    /// none: `mixed`, `not_stated`. `None` for a file without money.
    #[serde(default)]
    pub currency_basis: Option<String>,
    /// The currencies the rows named: a currency column's codes and the marks written in the
    /// amounts (`$`, `¥`, `EUR` …), with their rows.
    #[serde(default)]
    pub currency_seen: Vec<CurrencySeen>,
    /// Index of `status_values` by value.
    #[serde(skip)]
    status_index: rustc_hash::FxHashMap<String, usize>,
}

impl LoadReport {
    pub fn new(file: &str) -> LoadReport {
        LoadReport {
            file: file.to_string(),
            bytes: 0,
            encoding: None,
            delimiter: None,
            kind: None,
            platform: None,
            header_line: None,
            columns: Vec::new(),
            decisions: Decisions::default(),
            status_values: Vec::new(),
            rows_read: 0,
            rows_used: 0,
            rows_rejected: 0,
            rejected: Vec::new(),
            skipped: Vec::new(),
            notes: Vec::new(),
            error: None,
            currency: None,
            currency_basis: None,
            currency_seen: Vec::new(),
            status_index: Default::default(),
        }
    }

    /// Count `rows` rows with status `value`, read as `meaning`. The first [`STATUS_VALUES_KEPT`]
    /// values are listed; later new ones are counted under the last entry, `(other values)`.
    pub fn count_status(&mut self, value: &str, meaning: &str, rows: u64) {
        if self.status_index.len() != self.status_values.len() {
            self.status_index = self
                .status_values
                .iter()
                .enumerate()
                .map(|(i, v)| (v.value.clone(), i))
                .collect();
        }
        if let Some(&i) = self.status_index.get(value) {
            self.status_values[i].rows += rows;
            return;
        }
        let (value, meaning) = if self.status_values.len() + 1 >= STATUS_VALUES_KEPT {
            ("(other values)", "unknown")
        } else {
            (value, meaning)
        };
        if let Some(&i) = self.status_index.get(value) {
            self.status_values[i].rows += rows;
            return;
        }
        self.status_index
            .insert(value.to_string(), self.status_values.len());
        self.status_values.push(StatusValue {
            value: value.to_string(),
            rows,
            meaning: meaning.to_string(),
        });
    }

    /// Count `rows` rows naming currency `value` (a code, or `$`/`¥`), read `from` a currency
    /// `column` or an `amount`. At most [`CURRENCIES_KEPT`] values are listed.
    pub fn count_currency(&mut self, value: &str, from: &'static str, rows: u64) {
        if let Some(s) = self
            .currency_seen
            .iter_mut()
            .find(|s| s.value == value && s.from == from)
        {
            s.rows += rows;
        } else if self.currency_seen.len() < CURRENCIES_KEPT {
            self.currency_seen.push(CurrencySeen {
                value: value.to_string(),
                from: from.to_string(),
                rows,
            });
        }
    }

    /// Count a rejected row under `code`.
    pub fn reject(&mut self, code: ReasonCode, message: &str, issue: RowIssue) {
        self.rows_rejected += 1;
        add(&mut self.rejected, code, message, issue);
    }

    /// Count a skipped non-data line under `code`.
    pub fn skip(&mut self, code: ReasonCode, message: &str, issue: RowIssue) {
        add(&mut self.skipped, code, message, issue);
    }

    /// `count` lines skipped for one reason, from the line of `first` on.
    pub fn skip_lines(&mut self, code: ReasonCode, message: &str, count: u64, first: RowIssue) {
        add_many(
            &mut self.skipped,
            code,
            message,
            count,
            std::iter::once(first),
        );
    }

    pub fn note(&mut self, code: NoteCode, message: impl Into<String>) {
        if !self.notes.iter().any(|n| n.code == code) {
            self.notes.push(Note {
                code,
                message: message.into(),
            });
        }
    }

    pub fn rejected_count(&self, code: ReasonCode) -> u64 {
        self.rejected
            .iter()
            .find(|r| r.code == code)
            .map_or(0, |r| r.count)
    }

    pub fn skipped_count(&self, code: ReasonCode) -> u64 {
        self.skipped
            .iter()
            .find(|r| r.code == code)
            .map_or(0, |r| r.count)
    }

    /// Add the report of a later part of this file, read on its own from a record boundary
    /// `line_shift` lines into the file (its line 1 is the file's line `line_shift + 1`): the sum is
    /// the report one pass would give. The part's kind, columns and encoding are the file's own.
    pub fn append_part(&mut self, part: LoadReport, line_shift: u64) {
        self.bytes += part.bytes;
        self.rows_read += part.rows_read;
        self.rows_used += part.rows_used;
        self.rows_rejected += part.rows_rejected;
        for (into, from) in [
            (&mut self.rejected, part.rejected),
            (&mut self.skipped, part.skipped),
        ] {
            for reason in from {
                let issues = reason.examples.into_iter().map(|mut e| {
                    e.line += line_shift;
                    e
                });
                add_many(into, reason.code, &reason.message, reason.count, issues);
            }
        }
        for v in part.status_values {
            self.count_status(&v.value, &v.meaning, v.rows);
        }
        for c in part.currency_seen {
            let from = if c.from == "column" {
                "column"
            } else {
                "amount"
            };
            self.count_currency(&c.value, from, c.rows);
        }
        for n in part.notes {
            self.note(n.code, n.message);
        }
        if self.error.is_none() {
            self.error = part.error.map(|mut e| {
                e.line = e.line.map(|l| l + line_shift);
                e
            });
        }
    }
}

fn add(list: &mut Vec<Reason>, code: ReasonCode, message: &str, issue: RowIssue) {
    add_many(list, code, message, 1, std::iter::once(issue));
}

/// Count `count` more under `code`, keeping examples up to [`EXAMPLES_PER_REASON`].
fn add_many(
    list: &mut Vec<Reason>,
    code: ReasonCode,
    message: &str,
    count: u64,
    issues: impl Iterator<Item = RowIssue>,
) {
    let r = match list.iter().position(|r| r.code == code) {
        Some(i) => &mut list[i],
        None => {
            list.push(Reason {
                code,
                message: message.to_string(),
                count: 0,
                examples: Vec::new(),
            });
            list.last_mut().expect("just pushed")
        }
    };
    r.count += count;
    let room = EXAMPLES_PER_REASON.saturating_sub(r.examples.len());
    r.examples.extend(issues.take(room));
}

/// One CSV row with RFC 4180 quoting, ending in `\n`.
pub fn csv_row(cells: &[&str]) -> String {
    let mut s = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        if c.contains([',', '"', '\n', '\r']) {
            s.push('"');
            s.push_str(&c.replace('"', "\"\""));
            s.push('"');
        } else {
            s.push_str(c);
        }
    }
    s.push('\n');
    s
}

/// Cut a raw value for display in a report.
pub fn excerpt(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}
