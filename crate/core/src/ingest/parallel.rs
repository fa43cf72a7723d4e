//! Reading one big file in several parts at once (one worker and WebAssembly instance each), with
//! the same tables and load report as one pass.
//!
//! ```text
//! main session: push(file, bytes 0..)      ─► continuation(file) once the header is mapped
//!               push(file, ..cut₁), end_file(file)
//! part k:       FileOptions { continuation } ─► push(file, cutₖ..cutₖ₊₁) ─► finish_part(file) ─► encode
//! main session: append_part(file, decode(bytes of part 1)), then part 2 … in file order ─► finish()
//! ```
//!
//! A cut must fall at the start of a record. The caller cuts after a `\n` (in UTF-8 and GB18030 a
//! `\n` byte is always a line feed), which is a record boundary unless it sits inside a quoted
//! field. That case is caught exactly: every part is read from a true record start (part 0 from the
//! file's start; part k from the end of part k-1, if part k-1 ended cleanly), so a part that ends
//! inside quotes fails with `unclosed_quote`, and the caller reads the file in one pass instead.
//!
//! Merging re-interns the part's names in their first-seen order and appends its rows
//! ([`Dataset::append_part`]); line numbers shift by the lines before the part.

mod codec;

pub use codec::{decode, encode, DecodeError};

use super::decode::{Sniffed, TextEncoding};
use super::{Continuation, HeaderState, LoadReport, Session, Stage};
use crate::error::{Error, ErrorKind, Position};
use crate::model::Dataset;
use crate::schema::recognize::Recognition;

/// What a part of a file read on its own hands to the session that reads the file's start.
#[derive(Debug)]
pub struct Part {
    pub report: LoadReport,
    pub dataset: Dataset,
    /// `\n`s in the part: the next part's line numbers start after them.
    pub newlines: u64,
    /// Lines of one-row-per-order exports that a detail export may replace (`Session`).
    pub synthetic_lines: Vec<u32>,
}

/// The encoding a continuation names, as sniffing would have found it. UTF-16 is not offered:
/// its `\n` is two bytes, so byte cuts are not line starts.
pub(crate) fn continued_encoding(c: &Continuation) -> Option<Sniffed> {
    match TextEncoding::from_name(&c.encoding)? {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => None,
        text => Some(Sniffed::Text(text)),
    }
}

pub(crate) fn recognition(c: &Continuation) -> Recognition {
    Recognition {
        kind: c.kind,
        platform: c.platform,
        columns: c.columns.clone(),
        headerless: c.headerless,
        decisions: c.decisions.clone(),
    }
}

impl Session {
    /// How a later part of `file` must be read, once its header is mapped; `None` when the file
    /// cannot be split: not mapped yet, failed, a workbook or archive, UTF-16, a detail export
    /// whose lines wait for another file's orders, an order export without order ids (its orders
    /// are named by their line), a file read with literal quotes, or a start shorter than the
    /// [`SNIFF_BYTES`](super::decode::SNIFF_BYTES) that decide the encoding (one pass decides on
    /// those bytes, so a shorter start could decide otherwise).
    pub fn continuation(&self, file: &str) -> Option<Continuation> {
        let state = self.files.iter().find(|f| f.report.file == file)?;
        let Stage::Body(body) = &state.stage else {
            return None;
        };
        let HeaderState::Mapped(mapper) = &body.parse.header else {
            return None;
        };
        let report = &state.report;
        let c = Continuation {
            encoding: report.encoding.clone()?,
            delimiter: report.delimiter.clone()?,
            kind: report.kind?,
            platform: report.platform?,
            columns: report.columns.clone(),
            headerless: mapper.headerless,
            decisions: report.decisions.clone(),
        };
        // A file read with literal quotes is read in one pass (a part carries no quote mode).
        let splittable = report.error.is_none()
            && state.options.quotes == super::QuoteMode::Standard
            && body.decided_on_full_head
            && mapper.can_continue_elsewhere()
            && continued_encoding(&c).is_some()
            && super::dialect::delimiter_byte(&c.delimiter).is_some();
        splittable.then_some(c)
    }

    /// End `file`, a part read with a [`Continuation`], and hand over what it read. An error (a
    /// part that ends inside a quoted field: the cut was not a record start) means the file must
    /// be read in one pass.
    pub fn finish_part(mut self, file: &str) -> Result<Part, Error> {
        self.end_file(file)?;
        let i = self
            .files
            .iter()
            .position(|f| f.report.file == file)
            .ok_or_else(|| Error::new(ErrorKind::EmptyFile, Position::file(file)))?;
        if self.files[i].options.continuation.is_none() {
            return Err(Error::new(
                ErrorKind::BadPart {
                    reason: "the part was not read with a continuation".to_string(),
                },
                Position::file(file),
            ));
        }
        let state = self.files.swap_remove(i);
        let newlines = match &state.stage {
            Stage::Body(body) => body.parse.newlines,
            _ => 0,
        };
        Ok(Part {
            report: state.report,
            dataset: self.dataset,
            newlines,
            synthetic_lines: self.synthetic_lines,
        })
    }

    /// Decode `bytes` from [`encode`] and [`Session::append_part`] them.
    pub fn append_encoded_part(&mut self, file: &str, bytes: &[u8]) -> Result<(), Error> {
        let part = decode(bytes).map_err(|e| {
            Error::new(
                ErrorKind::BadPart {
                    reason: e.0.to_string(),
                },
                Position::file(file),
            )
        })?;
        self.append_part(file, part)
    }

    /// Append `part`, the next part of `file` in file order, after this session read the file's
    /// start and ended it. Parts must come in order: each one's lines follow the previous ones'.
    pub fn append_part(&mut self, file: &str, part: Part) -> Result<(), Error> {
        let wrong_state = || {
            Error::new(
                ErrorKind::BadPart {
                    reason: "the file's start was not read and ended first".to_string(),
                },
                Position::file(file),
            )
        };
        let i = self
            .files
            .iter()
            .position(|f| f.report.file == file && f.finished)
            .ok_or_else(wrong_state)?;
        let state = &mut self.files[i];
        let Stage::Body(body) = &mut state.stage else {
            return Err(wrong_state());
        };
        let HeaderState::Mapped(mapper) = &body.parse.header else {
            return Err(wrong_state());
        };
        let (source, rules) = (mapper.source(), mapper.order_merge());
        let line_shift = body.parse.newlines;
        body.parse.newlines += part.newlines;
        state.report.append_part(part.report, line_shift);
        let ids = self.dataset.append_part(part.dataset, source, rules);
        self.synthetic_lines
            .extend(part.synthetic_lines.iter().map(|l| l + ids.first_line));
        Ok(())
    }
}
