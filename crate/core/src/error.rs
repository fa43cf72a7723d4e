//! Errors: data, not prose. Every error has a stable snake_case [`Error::code`] that the page localises
//! and JS callers match on, and a [`Position`] naming the file, line and column when one applies.
//!
//! Line numbers are physical lines of the file and start at 1; `record` counts data records after the
//! header, also from 1.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::codes::ErrorCode;

/// Where in the input something happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    pub file: String,
    /// Physical line, from 1.
    pub line: Option<u64>,
    /// Data record after the header, from 1.
    pub record: Option<u64>,
    /// Column header as written in the file.
    pub column: Option<String>,
}

impl Position {
    pub fn file(file: &str) -> Position {
        Position {
            file: file.to_string(),
            ..Position::default()
        }
    }
    pub fn line(file: &str, line: u64) -> Position {
        Position {
            file: file.to_string(),
            line: Some(line),
            ..Position::default()
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column \"{c}\"")?;
        }
        Ok(())
    }
}

/// What went wrong. Serialised as its `code` beside its fields (`{"code": "too_large",
/// "needed_bytes": …, "limit_bytes": …}`), the way [`ErrorInfo`] carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file has no bytes at all.
    EmptyFile,
    /// The file holds binary data (NUL bytes, control characters): not a text export.
    BinaryInput,
    /// A container this build does not read (or one too large to hold in memory).
    UnsupportedContainer { format: String },
    /// An Excel workbook or ZIP archive that could not be opened (damaged, encrypted …).
    UnreadableContainer { reason: String },
    /// No header row could be matched to a known kind of export.
    UnrecognisedHeader { header: Vec<String> },
    /// A quoted field opened on `line` never closes, and nothing after it looks like a row: the
    /// file was cut off inside the field.
    UnclosedQuote,
    /// A quoted field opened on `line` never closes and swallows rows after it: a stray `"` at the
    /// start of a value (`"Summer sale mug`), not a cut-off file. Reading the file with literal
    /// quotes ([`crate::ingest::QuoteMode::Literal`]) gets the rows back.
    StrayQuote {
        /// Lines after the quote's own line, up to the end of the file.
        swallowed_lines: u64,
        /// Of those, the lines shaped like rows (as many delimiters as the header).
        swallowed_rows: u64,
        /// The value from its quote on, as read (at most 60 characters of its first line).
        excerpt: String,
    },
    /// The header is there but no data row follows.
    NoDataRows,
    /// An option given by the caller is invalid (unknown field name, bad date …).
    InvalidOption { option: String, reason: String },
    /// A column-mapping override names a column the file does not have.
    UnknownColumn {
        /// Named apart from the position's `column` (the two sit side by side in [`ErrorInfo`]).
        #[serde(rename = "mapped_column")]
        column: String,
    },
    /// Pushing to a file that was already finished.
    FileFinished,
    /// A part of a file split for parallel reading cannot be merged (see `ingest::parallel`).
    BadPart { reason: String },
    /// Loading the files would need more memory than one browser page can have (see
    /// `ingest::estimated_peak_bytes`): refused after the header, before the rows are read.
    TooLarge { needed_bytes: u64, limit_bytes: u64 },
}

/// A shoplens error: a kind and where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<(ErrorKind, Position)>);

impl Error {
    pub fn new(kind: ErrorKind, at: Position) -> Error {
        Error(Box::new((kind, at)))
    }
    pub fn kind(&self) -> &ErrorKind {
        &self.0 .0
    }
    pub fn position(&self) -> &Position {
        &self.0 .1
    }
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        self.kind().code().code()
    }
    /// What to do about it, in English (the page has its own zh-CN text per code).
    pub fn hint(&self) -> String {
        self.kind().hint()
    }
}

impl ErrorKind {
    /// The stable code of this kind of error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ErrorKind::EmptyFile => ErrorCode::EmptyFile,
            ErrorKind::BinaryInput => ErrorCode::BinaryInput,
            ErrorKind::UnsupportedContainer { .. } => ErrorCode::UnsupportedContainer,
            ErrorKind::UnreadableContainer { .. } => ErrorCode::UnreadableContainer,
            ErrorKind::UnrecognisedHeader { .. } => ErrorCode::UnrecognisedHeader,
            ErrorKind::UnclosedQuote => ErrorCode::UnclosedQuote,
            ErrorKind::StrayQuote { .. } => ErrorCode::StrayQuote,
            ErrorKind::NoDataRows => ErrorCode::NoDataRows,
            ErrorKind::InvalidOption { .. } => ErrorCode::InvalidOption,
            ErrorKind::UnknownColumn { .. } => ErrorCode::UnknownColumn,
            ErrorKind::FileFinished => ErrorCode::FileFinished,
            ErrorKind::BadPart { .. } => ErrorCode::BadPart,
            ErrorKind::TooLarge { .. } => ErrorCode::TooLarge,
        }
    }

    /// What to do about it, in English (the page has its own zh-CN text per code).
    pub fn hint(&self) -> String {
        match self {
            ErrorKind::EmptyFile => "The file is empty (0 bytes). Export the report again.".into(),
            ErrorKind::BinaryInput => {
                "This is not a text (CSV/TSV) export. Open it in Excel and save as CSV.".into()
            }
            ErrorKind::UnsupportedContainer { format } => {
                format!("{format} files cannot be read here yet. Open it in Excel and save as CSV.")
            }
            ErrorKind::UnreadableContainer { reason } => format!(
                "The workbook or ZIP could not be opened ({reason}). Open it in Excel and save each sheet as CSV."
            ),
            ErrorKind::UnrecognisedHeader { header } => format!(
                "No known export matches the header ({}). Choose the kind and map the columns by hand.",
                header.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
            ),
            ErrorKind::UnclosedQuote => {
                "A quoted field opens here and never closes, at the end of the file: the file is probably cut off. Export it again."
                    .into()
            }
            ErrorKind::StrayQuote {
                swallowed_lines,
                swallowed_rows,
                excerpt,
            } => format!(
                "A stray quote: the value starting `{excerpt}` opens a quoted field that never closes, so it \
                 swallows the {swallowed_lines} lines after it ({swallowed_rows} of them rows). The file is not \
                 cut off. Read it again with quotes taken literally (on the page: the button; npm: file option \
                 `quotes: \"literal\"`), or remove the quote in a text editor."
            ),
            ErrorKind::NoDataRows => "The file has a header but no data rows.".into(),
            ErrorKind::InvalidOption { option, reason } => format!("Option `{option}`: {reason}"),
            ErrorKind::UnknownColumn { column } => {
                format!("The mapping names column \"{column}\", which this file does not have.")
            }
            ErrorKind::FileFinished => "This file was already finished; start a new session.".into(),
            ErrorKind::TooLarge {
                needed_bytes,
                limit_bytes,
            } => format!(
                "Analysing this much data needs about {:.1} GB of memory, more than the {:.0} GB a \
                 browser page can use. Export a shorter date range per file (or fewer files at once) \
                 and analyse them separately.",
                *needed_bytes as f64 / 1e9,
                *limit_bytes as f64 / (1u64 << 30) as f64
            ),
            ErrorKind::BadPart { reason } => format!(
                "A part of this file, read in parallel, cannot be merged ({reason}). Read the file in one pass."
            ),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.position(), self.code(), self.hint())
    }
}

impl std::error::Error for Error {}

/// An error as plain data, for reports and JS: the stable `code` with the data of its kind (the
/// numbers of `too_large`, a stray quote's `excerpt`), the English `message` with what to do, and
/// where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// The kind: serialised as `code` and the kind's own fields.
    #[serde(flatten)]
    pub kind: ErrorKind,
    pub message: String,
    pub file: String,
    /// Physical line, from 1.
    pub line: Option<u64>,
    /// Column header as written.
    pub column: Option<String>,
}

impl ErrorInfo {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.kind.code()
    }
    /// The text the error is about, as read (a stray quote's value), where it helps to see it.
    pub fn excerpt(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::StrayQuote { excerpt, .. } => Some(excerpt),
            _ => None,
        }
    }
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> ErrorInfo {
        ErrorInfo {
            kind: e.kind().clone(),
            message: e.hint(),
            file: e.position().file.clone(),
            line: e.position().line,
            column: e.position().column.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of every kind (a new kind fails to compile in `code`, and is added here).
    fn every_kind() -> Vec<ErrorKind> {
        vec![
            ErrorKind::EmptyFile,
            ErrorKind::BinaryInput,
            ErrorKind::UnsupportedContainer {
                format: "Old Excel .xls".into(),
            },
            ErrorKind::UnreadableContainer {
                reason: "encrypted".into(),
            },
            ErrorKind::UnrecognisedHeader {
                header: vec!["a".into(), "b".into()],
            },
            ErrorKind::UnclosedQuote,
            ErrorKind::StrayQuote {
                swallowed_lines: 9,
                swallowed_rows: 8,
                excerpt: "\"Summer sale".into(),
            },
            ErrorKind::NoDataRows,
            ErrorKind::InvalidOption {
                option: "filter".into(),
                reason: "bad date".into(),
            },
            ErrorKind::UnknownColumn {
                column: "金额".into(),
            },
            ErrorKind::FileFinished,
            ErrorKind::BadPart {
                reason: "not a part".into(),
            },
            ErrorKind::TooLarge {
                needed_bytes: 5_000_000_000,
                limit_bytes: 4 << 30,
            },
        ]
    }

    #[test]
    fn error_info_carries_the_code_and_the_kinds_data_and_reads_back() {
        let kinds = every_kind();
        assert_eq!(kinds.len(), ErrorCode::ALL.len());
        for kind in kinds {
            let e = Error::new(kind.clone(), Position::line("a.csv", 3));
            let info = ErrorInfo::from(&e);
            let json = serde_json::to_value(&info).unwrap();
            assert_eq!(json["code"], e.code(), "{json}");
            assert_eq!(json["file"], "a.csv");
            assert_eq!(json["line"], 3);
            let back: ErrorInfo = serde_json::from_value(json).unwrap();
            assert_eq!(back, info);
            assert_eq!(back.kind, kind);
        }
    }

    #[test]
    fn too_large_keeps_its_numbers() {
        let e = Error::new(
            ErrorKind::TooLarge {
                needed_bytes: 5_000_000_000,
                limit_bytes: 4 << 30,
            },
            Position::file("big.csv"),
        );
        let json = serde_json::to_value(ErrorInfo::from(&e)).unwrap();
        assert_eq!(json["needed_bytes"], 5_000_000_000u64);
        assert_eq!(json["limit_bytes"], 4u64 << 30);
        // The fields of the old shape are all still there, with the same values.
        assert_eq!(json["code"], "too_large");
        assert_eq!(json["column"], serde_json::Value::Null);
        assert!(json["message"].as_str().unwrap().contains("5.0 GB"));
    }

    #[test]
    fn a_stray_quote_keeps_its_excerpt_where_it_was() {
        let e = Error::new(
            ErrorKind::StrayQuote {
                swallowed_lines: 2,
                swallowed_rows: 1,
                excerpt: "\"mug".into(),
            },
            Position::line("s.csv", 4),
        );
        let info = ErrorInfo::from(&e);
        assert_eq!(info.excerpt(), Some("\"mug"));
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["excerpt"], "\"mug");
        assert_eq!(json["swallowed_lines"], 2);
    }
}
