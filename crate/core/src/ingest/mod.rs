//! Ingest: bytes of shop exports in, typed tables and a load report out.
//!
//! ```text
//! push(file, chunk) ─► sniff encoding (first 64 KiB) ─► decode (encoding_rs, streaming)
//!                   ─► sniff delimiter ─► csv-core records ─► find header ─► recognise
//!                   ─► map each row into the Dataset, or reject it with a reason
//! ```
//! A file is streamed: only the first [`decode::SNIFF_BYTES`] are held before decoding starts, and
//! after that memory holds one chunk and one record. Several files may be pushed, interleaved.
//!
//! ```
//! use shoplens::ingest::{Session, IngestOptions};
//! let mut s = Session::new(IngestOptions::default());
//! s.push("orders.csv", "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间\n".as_bytes()).unwrap();
//! s.push("orders.csv", "1001,tb_a,\"¥1,299.00\",交易成功,2024-03-01 10:00:00,2024-03-01 10:05:00\n".as_bytes()).unwrap();
//! let loaded = s.finish();
//! assert_eq!(loaded.dataset.orders.paid_amount, vec![129_900]);
//! assert_eq!(loaded.reports[0].rows_used, 1);
//! ```

#[cfg(test)]
mod chunking_tests;
pub mod container;
pub mod decode;
pub mod dialect;
mod fast;
pub mod options;
pub mod parallel;
pub mod records;
pub mod report;
mod rows;

use crate::codes::{NoteCode, ReasonCode};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, ErrorInfo, ErrorKind, Position};
use crate::model::{Dataset, DatasetKind, Source};
use crate::schema::field::Field;
use crate::schema::recognize::decide::Sample;
use crate::schema::recognize::{
    recognize, recognize_headerless, recognize_sampled, unmapped_columns, Recognition,
};
use crate::schema::value::{clean, is_missing, parse_money, parse_time};
pub use decode::TextEncoding;
use decode::{sniff, Sniffed, TextDecoder, SNIFF_BYTES};
pub use options::{Continuation, FileOptions, IngestOptions, QuoteMode, StatusMeaning, UtcOffset};
use records::{OwnedRecord, Record, RecordReader};
pub use report::LoadReport;
use report::{excerpt, RowIssue};
pub(crate) use rows::SUMMARY_WORDS;
use rows::{Mapper, PendingLine, TimeRules};

/// How many records may precede the header (title rows, notes) before a file is declared unrecognised.
const MAX_LINES_BEFORE_HEADER: u64 = 30;

/// The rows under the header that recognition profiles: those that end within the first 60 KiB of
/// text, at most [`SAMPLE_ROWS`]. Bounded by bytes so that the start of a file cut for parallel
/// reading (at least [`decode::SNIFF_BYTES`], 64 KiB) holds the whole sample and decides as one
/// pass does.
const SAMPLE_TEXT_BYTES: u64 = 60 * 1024;
/// At most this many sampled rows.
const SAMPLE_ROWS: usize = 5_000;

/// Progress of one file, for progress bars.
#[derive(Clone, Debug, Serialize)]
pub struct FileProgress {
    pub file: String,
    pub bytes: u64,
    pub rows: u64,
}

/// The result of a session: merged tables and one report per file.
pub struct Loaded {
    pub dataset: Dataset,
    pub reports: Vec<LoadReport>,
}

/// A push-based ingest session over any number of files.
pub struct Session {
    opts: IngestOptions,
    dataset: Dataset,
    files: Vec<FileState>,
    /// Line-item rows of detail exports (宝贝报表) waiting for their orders.
    pending: Vec<PendingLine>,
    /// Lines made from one-row-per-order exports (title + total quantity), replaced by real lines
    /// when a detail export of the same order is loaded.
    synthetic_lines: Vec<u32>,
    /// Products whose category events have filled already (see `rows::Mapper::event_row`).
    categorised: ProductSet,
    /// Memory the files so far are estimated to need, against the limit.
    budget: MemoryBudget,
}

/// The memory that the files read so far are estimated to need ([`estimated_peak_bytes`]), checked
/// against the limit as each file's header is mapped, before any of its rows is read: a file that
/// would not fit is refused with `too_large` rather than failing midway.
pub(crate) struct MemoryBudget {
    pub needed: u64,
    pub limit: u64,
}

impl MemoryBudget {
    /// Count a file of `size_bytes` (when known) of `kind`; the error when the total passes the limit.
    fn admit(
        &mut self,
        kind: DatasetKind,
        encoding: TextEncoding,
        size_bytes: Option<u64>,
        at: Position,
    ) -> Result<(), Error> {
        let Some(size) = size_bytes else {
            return Ok(());
        };
        let needed = self.needed + estimated_peak_bytes(kind, encoding, size);
        if needed > self.limit {
            // Refused: the file is not loaded, so it needs nothing.
            return Err(Error::new(
                ErrorKind::TooLarge {
                    needed_bytes: needed,
                    limit_bytes: self.limit,
                },
                at,
            ));
        }
        self.needed = needed;
        Ok(())
    }
}

/// A set of product ids as a bitmap: 1M products in 128 KiB, so it stays in cache.
#[derive(Default)]
pub(crate) struct ProductSet(Vec<u64>);

impl ProductSet {
    /// Adds `product`; true when it was not in the set.
    pub fn insert(&mut self, product: u32) -> bool {
        let (word, bit) = (product as usize / 64, 1u64 << (product % 64));
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        let new = self.0[word] & bit == 0;
        self.0[word] |= bit;
        new
    }
}

struct FileState {
    report: LoadReport,
    overrides: FxHashMap<String, Option<Field>>,
    options: FileOptions,
    /// Tables were reserved for this file's rows (see [`FileOptions::size_bytes`]).
    reserved: bool,
    stage: Stage,
    finished: bool,
}

enum Stage {
    /// Collecting the first bytes to sniff the encoding.
    Head(Vec<u8>),
    /// An Excel workbook or ZIP archive, held whole until the file ends (`zip`: ZIP-based).
    Container {
        bytes: Vec<u8>,
        zip: bool,
    },
    Body(Box<Body>),
    Failed,
}

struct Body {
    decoder: TextDecoder,
    /// UTF-8 input: bytes go to the reader without the decoder (see `start_body`).
    passthrough: bool,
    /// The encoding and dialect were decided on a full [`SNIFF_BYTES`] head, as one pass over any
    /// longer file decides them (a later part may only be cut after such a start).
    decided_on_full_head: bool,
    text: String,
    reader: RecordReader,
    parse: Parse,
}

/// Per-file parsing state that the record callback mutates.
struct Parse {
    file: String,
    source: u16,
    header: HeaderState,
    delimiter: u8,
    records_seen: u64,
    /// `\n`s in the input, counted when it ends: where a later part of the file starts.
    newlines: u64,
    /// The line after the last record, to count the blank lines csv-core skips.
    next_line: u64,
    utf8: bool,
    error: Option<Error>,
}

enum HeaderState {
    Seeking {
        candidate: Option<Vec<String>>,
    },
    /// A header line was found; the rows under it are held until the sample is complete.
    Sampling(Box<Sampling>),
    Mapped(Box<Mapper>),
}

/// A header and the rows under it, held for the value profile.
struct Sampling {
    header: OwnedRecord,
    rows: Vec<OwnedRecord>,
    /// The header's words alone fit no kind: the line only looks like a header, and a later line
    /// that does fit one (within the first lines) is the real header.
    tentative: bool,
}

impl Session {
    pub fn new(opts: IngestOptions) -> Session {
        Session {
            dataset: Dataset::default(),
            files: Vec::new(),
            pending: Vec::new(),
            synthetic_lines: Vec::new(),
            categorised: ProductSet::default(),
            budget: MemoryBudget {
                needed: 0,
                limit: opts.memory_limit_bytes.unwrap_or(WASM_MEMORY_LIMIT),
            },
            opts,
        }
    }

    fn file_index(&mut self, file: &str) -> usize {
        if let Some(i) = self.files.iter().position(|f| f.report.file == file) {
            return i;
        }
        let options = self.opts.files.get(file).cloned().unwrap_or_default();
        let overrides = options
            .columns
            .iter()
            .map(|(k, v)| (k.trim().to_string(), *v))
            .collect();
        self.files.push(FileState {
            report: LoadReport::new(file),
            overrides,
            options,
            reserved: false,
            stage: Stage::Head(Vec::new()),
            finished: false,
        });
        self.files.len() - 1
    }

    /// Feed the next chunk of `file`. Chunks may have any size, including 0, and may split
    /// characters, quoted fields and lines anywhere. An error fails only that file.
    pub fn push(&mut self, file: &str, chunk: &[u8]) -> Result<(), Error> {
        let i = self.file_index(file);
        if self.files[i].finished {
            return Err(Error::new(ErrorKind::FileFinished, Position::file(file)));
        }
        self.files[i].report.bytes += chunk.len() as u64;
        let stage = std::mem::replace(&mut self.files[i].stage, Stage::Failed);
        let next = match stage {
            Stage::Head(mut head) => {
                head.extend_from_slice(chunk);
                if let Some(zip) = container_kind(&head) {
                    Ok(Stage::Container { bytes: head, zip })
                } else if head.len() < SNIFF_BYTES {
                    Ok(Stage::Head(head))
                } else {
                    self.start_body(i, &head, false).map(Stage::Body)
                }
            }
            Stage::Container { mut bytes, zip } => {
                if bytes.len() + chunk.len() > container::MAX_CONTAINER_BYTES {
                    Err(Error::new(
                        ErrorKind::UnsupportedContainer {
                            format: "A workbook or ZIP larger than 512 MB".into(),
                        },
                        Position::file(file),
                    ))
                } else {
                    bytes.extend_from_slice(chunk);
                    Ok(Stage::Container { bytes, zip })
                }
            }
            Stage::Body(mut body) => self
                .feed(i, &mut body, chunk, false)
                .map(|_| Stage::Body(body)),
            Stage::Failed => Ok(Stage::Failed),
        };
        let settled = self.settle(i, next);
        if settled.is_ok() {
            self.reserve_tables(i);
        }
        settled
    }

    /// Rows read before the tables are reserved: enough to measure the bytes per row.
    const ROWS_BEFORE_RESERVING: u64 = 2_000;

    /// See [`FileOptions::size_bytes`]: after [`Self::ROWS_BEFORE_RESERVING`] rows, reserve for the
    /// rest of the file at the bytes per row seen so far, plus 5 % (rows vary in length).
    fn reserve_tables(&mut self, i: usize) {
        let file = &mut self.files[i];
        let rows = file.report.rows_read;
        let (Some(size), Some(kind)) = (file.options.size_bytes, file.report.kind) else {
            return;
        };
        if file.reserved || rows < Self::ROWS_BEFORE_RESERVING || file.report.bytes == 0 {
            return;
        }
        file.reserved = true;
        let rest_bytes = size.saturating_sub(file.report.bytes) as f64;
        let rows_per_byte = rows as f64 / file.report.bytes as f64;
        let more_rows = (rest_bytes * rows_per_byte * 1.05) as usize;
        self.dataset.reserve_rows(kind, more_rows, rows as usize);
    }

    /// Mark `file` complete: flush its last record and check it is whole.
    pub fn end_file(&mut self, file: &str) -> Result<(), Error> {
        let i = self.file_index(file);
        if self.files[i].finished {
            return Ok(());
        }
        self.files[i].finished = true;
        let stage = std::mem::replace(&mut self.files[i].stage, Stage::Failed);
        let next = match stage {
            Stage::Head(head) if container_kind(&head).is_some() => {
                let zip = container_kind(&head) == Some(true);
                self.expand_container(i, head, zip).map(|_| Stage::Failed)
            }
            Stage::Container { bytes, zip } => {
                self.expand_container(i, bytes, zip).map(|_| Stage::Failed)
            }
            Stage::Head(head) => {
                if head.is_empty() {
                    Err(Error::new(ErrorKind::EmptyFile, Position::file(file)))
                } else {
                    // With `complete`, start_body decodes and parses to the end of input.
                    self.start_body(i, &head, true).map(Stage::Body)
                }
            }
            Stage::Body(mut body) => self
                .feed(i, &mut body, &[], true)
                .map(|_| Stage::Body(body)),
            Stage::Failed => Ok(Stage::Failed),
        };
        let next = next.and_then(|stage| {
            if let Stage::Body(body) = &stage {
                self.check_complete(i, body)?;
            }
            Ok(stage)
        });
        self.settle(i, next)
    }

    /// Load each sheet or CSV entry of a container as a file of its own, named
    /// `book.xlsx#Sheet` or `ads.zip/entry.csv`.
    fn expand_container(&mut self, i: usize, bytes: Vec<u8>, zip: bool) -> Result<(), Error> {
        let file = self.files[i].report.file.clone();
        let parts = container::expand(&file, bytes, zip).map_err(|e| {
            Error::new(
                ErrorKind::UnreadableContainer { reason: e.0 },
                Position::file(&file),
            )
        })?;
        let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
        self.files[i].report.encoding = Some(if zip { "zip" } else { "ole2" }.to_string());
        self.files[i].report.note(
            NoteCode::Container,
            format!(
                "This file holds {} part(s), each loaded on its own: {}",
                names.len(),
                names.join(", ")
            ),
        );
        for part in parts {
            // A part's error is kept in its own load report.
            if self.push(&part.name, &part.bytes).is_ok() {
                let _ = self.end_file(&part.name);
            }
        }
        Ok(())
    }

    fn settle(&mut self, i: usize, next: Result<Stage, Error>) -> Result<(), Error> {
        match next {
            Ok(stage) => {
                self.files[i].stage = stage;
                Ok(())
            }
            Err(e) => {
                self.files[i].report.error = Some(ErrorInfo::from(&e));
                self.files[i].stage = Stage::Failed;
                self.files[i].finished = true;
                Err(e)
            }
        }
    }

    /// Decide the encoding and dialect from the first bytes, then parse them.
    fn start_body(&mut self, i: usize, head: &[u8], complete: bool) -> Result<Box<Body>, Error> {
        let file = self.files[i].report.file.clone();
        let continued = self.files[i].options.continuation.as_ref();
        let sniffed = match continued {
            Some(c) => parallel::continued_encoding(c)
                .ok_or_else(|| Error::new(ErrorKind::BinaryInput, Position::file(&file)))?,
            // The first SNIFF_BYTES decide, however the caller chunked them (a first chunk of
            // 4 MiB must decide as 64 KiB chunks do).
            None => {
                let window = &head[..head.len().min(SNIFF_BYTES)];
                sniff(window, complete && window.len() == head.len())
            }
        };
        let text_encoding = match sniffed {
            Sniffed::Text(text_encoding) => text_encoding,
            Sniffed::Binary => {
                return Err(Error::new(ErrorKind::BinaryInput, Position::file(&file)))
            }
            Sniffed::Zip => {
                return Err(Error::new(
                    ErrorKind::UnsupportedContainer {
                        format: "Excel .xlsx or ZIP".into(),
                    },
                    Position::file(&file),
                ))
            }
            Sniffed::Ole2 => {
                return Err(Error::new(
                    ErrorKind::UnsupportedContainer {
                        format: "Old Excel .xls".into(),
                    },
                    Position::file(&file),
                ))
            }
        };
        let encoding = text_encoding.encoding();
        let mut decoder = TextDecoder::new(encoding);
        let mut text = String::new();
        decoder.decode(head, &mut text, complete);
        if text.trim().is_empty() && continued.is_none() {
            return Err(Error::new(ErrorKind::EmptyFile, Position::file(&file)));
        }
        let delimiter = match continued {
            Some(c) => dialect::delimiter_byte(&c.delimiter).unwrap_or(b','),
            None => dialect::sniff_delimiter(&text),
        };
        let literal_quotes = self.files[i].options.quotes == QuoteMode::Literal;
        let report = &mut self.files[i].report;
        if literal_quotes {
            report.note(
                NoteCode::QuotesLiteral,
                "Quotes were read as ordinary characters, as the file's options ask (quotes: literal).",
            );
        }
        report.encoding = Some(text_encoding.name().to_string());
        report.delimiter = Some(dialect::delimiter_name(delimiter).to_string());
        // UTF-8 goes to the record reader as it is: every record is validated once when it is
        // read (`Record`), so a transcoding copy of the whole file would only check it twice.
        // (The head was decoded above for sniffing only.) Only the BOM is dropped.
        let passthrough = encoding == encoding_rs::UTF_8;
        let mut body = Box::new(Body {
            decoder,
            passthrough,
            decided_on_full_head: head.len() >= SNIFF_BYTES,
            text: String::new(),
            reader: RecordReader::new(delimiter, !literal_quotes),
            parse: Parse {
                file: file.clone(),
                source: 0,
                header: HeaderState::Seeking { candidate: None },
                delimiter,
                records_seen: 0,
                newlines: 0,
                next_line: 1,
                utf8: text_encoding.is_utf8(),
                error: None,
            },
        });
        if passthrough {
            let bytes = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
            self.parse_text(i, &mut body, bytes, complete)?;
        } else {
            self.parse_text(i, &mut body, text.as_bytes(), complete)?;
        }
        Ok(body)
    }

    fn feed(&mut self, i: usize, body: &mut Body, chunk: &[u8], last: bool) -> Result<(), Error> {
        if body.passthrough {
            return self.parse_text(i, body, chunk, last);
        }
        let mut text = std::mem::take(&mut body.text);
        text.clear();
        body.decoder.decode(chunk, &mut text, last);
        let r = self.parse_text(i, body, text.as_bytes(), last);
        body.text = text;
        r
    }

    /// Run text (decoded, or UTF-8 as it came) through the record reader and the row mapper.
    fn parse_text(
        &mut self,
        i: usize,
        body: &mut Body,
        text: &[u8],
        last: bool,
    ) -> Result<(), Error> {
        let Session {
            dataset,
            files,
            pending,
            synthetic_lines,
            opts,
            categorised,
            budget,
        } = self;
        let state = &mut files[i];
        let mut ctx = RowContext {
            dataset,
            report: &mut state.report,
            pending,
            synthetic_lines,
            overrides: &state.overrides,
            options: &state.options,
            epoch_offset_minutes: opts.epoch_offset_minutes,
            time_zone: opts.time_zone,
            categorised,
            budget,
        };
        let parse = &mut body.parse;
        let mut on_record = |rec: Record<'_>| parse.on_record(&rec, &mut ctx);
        body.reader.feed(text, false, &mut on_record)?;
        let newlines = body.reader.newlines();
        let unterminated = !body.reader.at_line_start();
        if last {
            // A newline closes the last line; if a quoted field is still open, it swallows the
            // newline and the reader then ends inside quotes: an unclosed quote.
            body.reader.feed(b"\n", false, &mut on_record)?;
            body.reader.feed(&[], true, &mut on_record)?;
            // A file shorter than the sample: decide on all of it. After an open quote, the rows
            // held before it are whole rows, read as a longer file's are (the quote's error stays
            // the file's error).
            let failed = body.parse.error.take();
            let failed_at = failed.as_ref().map(|e| e.position().line);
            let quote = failed.as_ref().is_some_and(|e| {
                matches!(
                    e.kind(),
                    ErrorKind::UnclosedQuote | ErrorKind::StrayQuote { .. }
                )
            });
            if failed.is_none() || quote {
                body.parse.decide(&mut ctx);
            }
            if failed.is_some() {
                body.parse.error = failed;
            }
            if let Some(Some(line)) = failed_at {
                // The lines from the error on were never read (an open quote swallowed them): not
                // blank lines, and not rows.
                let from = line.max(body.parse.next_line);
                let lines = newlines + u64::from(unterminated);
                ctx.report.skip_lines(
                    ReasonCode::NotReadAfterError,
                    "Not read: the file stopped at the error above.",
                    (lines + 1).saturating_sub(from),
                    RowIssue {
                        line: from,
                        column: None,
                        value: String::new(),
                    },
                );
                body.parse.next_line = newlines + 1;
            }
            // Blank lines after the last record: csv-core skips them and the gap before the next
            // record counts them, but none follows at the end of the input. (Counted here, so that
            // the start of a file cut for parallel reading counts what one pass counts.)
            for line in body.parse.next_line..=newlines {
                ctx.report.skip(
                    ReasonCode::BlankLine,
                    "Blank line.",
                    RowIssue {
                        line,
                        column: None,
                        value: String::new(),
                    },
                );
            }
        }
        body.parse.newlines = newlines;
        match body.parse.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn check_complete(&mut self, i: usize, body: &Body) -> Result<(), Error> {
        if self.files[i].options.continuation.is_some() {
            // A later part of a split file may hold no data rows (a 合计 row, blank lines).
            return Ok(());
        }
        let report = &self.files[i].report;
        let file = &report.file;
        match &body.parse.header {
            // Decided when the input ended; only an error stops short of it.
            HeaderState::Sampling(_) => Ok(()),
            HeaderState::Seeking { candidate } => {
                if body.parse.records_seen == 0 {
                    Err(Error::new(ErrorKind::EmptyFile, Position::file(file)))
                } else {
                    Err(Error::new(
                        ErrorKind::UnrecognisedHeader {
                            header: candidate.clone().unwrap_or_default(),
                        },
                        Position::line(file, 1),
                    ))
                }
            }
            HeaderState::Mapped(m) => {
                if report.rows_read == 0 && !m.headerless {
                    Err(Error::new(
                        ErrorKind::NoDataRows,
                        Position::line(file, report.header_line.unwrap_or(1)),
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Bytes and rows read so far, per file.
    pub fn progress(&self) -> Vec<FileProgress> {
        self.files
            .iter()
            .map(|f| FileProgress {
                file: f.report.file.clone(),
                bytes: f.report.bytes,
                rows: f.report.rows_read,
            })
            .collect()
    }

    /// The reports so far (a file's report is final once it is ended).
    pub fn reports(&self) -> impl Iterator<Item = &LoadReport> {
        self.files.iter().map(|f| &f.report)
    }

    /// End every open file, attach detail lines to their orders, and return the tables.
    pub fn finish(mut self) -> Loaded {
        let names: Vec<String> = self.files.iter().map(|f| f.report.file.clone()).collect();
        for name in names {
            // An error is recorded in the file's report; the other files go on.
            let _ = self.end_file(&name);
        }
        let mut reports: Vec<LoadReport> = self.files.into_iter().map(|f| f.report).collect();
        rows::attach_pending(
            &mut self.dataset,
            &mut reports,
            self.pending,
            &self.synthetic_lines,
        );
        for r in &mut reports {
            if r.error.is_none() && !self.dataset.has_customers && r.kind.is_some_and(is_order_kind)
            {
                r.note(
                    NoteCode::NoCustomerIds,
                    "This export has no buyer id, so cohorts, RFM and buyer counts cannot be computed. \
                     An order export with a buyer column (买家会员名 / Email / customer id) unlocks them.",
                );
            }
        }
        crate::currency::detect::resolve_files(&mut reports, &self.opts);
        self.dataset.currency = crate::currency::detect::dataset_currency(&reports);
        Loaded {
            dataset: self.dataset,
            reports,
        }
    }
}

/// `Some(true)` for a ZIP (.xlsx or an archive), `Some(false)` for OLE2 (.xls), else `None`.
/// Reads the magic bytes only: it runs on every push while the head grows, so it must not scan
/// the head (a 64 KiB head pushed a byte at a time would be scanned 65,536 times).
fn container_kind(head: &[u8]) -> Option<bool> {
    match sniff(&head[..head.len().min(decode::MAGIC_BYTES)], false) {
        Sniffed::Zip => Some(true),
        Sniffed::Ole2 => Some(false),
        _ => None,
    }
}

/// The most memory a WebAssembly instance can have (32-bit addresses): 4 GiB.
pub const WASM_MEMORY_LIMIT: u64 = 4 << 30;

/// Estimated peak engine memory, in bytes, for loading and analysing one export of `file_bytes`
/// bytes of `kind` (from the benchmark: BENCHMARKS.md). The engine keeps every row in columnar
/// tables, so memory grows with the file: UTF-8 order exports need 1.05–1.14× their size, GBK ones
/// up to 1.35× (GBK text is denser), behaviour logs 1.4× (26 bytes per event of ~37 in the file, plus
/// the interners and the funnel's 2 bytes per event). Compare with [`WASM_MEMORY_LIMIT`] before
/// starting, so a file past the browser's limits is refused with a clear message rather than
/// failing midway (the session does: [`IngestOptions::memory_limit_bytes`]).
pub fn estimated_peak_bytes(kind: DatasetKind, encoding: TextEncoding, file_bytes: u64) -> u64 {
    // Per mille of the file size; measured ratios rounded up, with the 1.5 GB runs as the check.
    let per_mille: u64 = match kind {
        DatasetKind::Events => 1_500,
        DatasetKind::Orders | DatasetKind::OrderLines if encoding.is_utf8() => 1_150,
        DatasetKind::Orders | DatasetKind::OrderLines => 1_350,
        DatasetKind::Products | DatasetKind::Traffic | DatasetKind::Ads => 1_500,
    };
    // The engine's own code, buffers and empty tables.
    const FIXED: u64 = 32 << 20;
    file_bytes.saturating_mul(per_mille) / 1_000 + FIXED
}

fn is_order_kind(k: DatasetKind) -> bool {
    matches!(k, DatasetKind::Orders | DatasetKind::OrderLines)
}

/// What the row mapper may touch while a record is processed.
pub(crate) struct RowContext<'a> {
    pub dataset: &'a mut Dataset,
    pub report: &'a mut LoadReport,
    pub pending: &'a mut Vec<PendingLine>,
    pub synthetic_lines: &'a mut Vec<u32>,
    pub overrides: &'a FxHashMap<String, Option<Field>>,
    pub options: &'a FileOptions,
    pub epoch_offset_minutes: Option<i64>,
    pub time_zone: Option<UtcOffset>,
    pub categorised: &'a mut ProductSet,
    pub budget: &'a mut MemoryBudget,
}

impl Parse {
    fn on_record(&mut self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> Result<(), Error> {
        if self.error.is_some() {
            return Ok(());
        }
        if rec.at_eof {
            // Only an open quote can leave a record unterminated after the closing newline; the
            // quote opened in the record's last field.
            let mut at = Position::line(&self.file, rec.line);
            let last = rec.len().saturating_sub(1);
            let columns = match &self.header {
                HeaderState::Mapped(m) => {
                    at.column = m.header_name(last).map(str::to_string);
                    m.column_count()
                }
                HeaderState::Sampling(s) => {
                    at.column = Some(s.header.cell(last).trim().to_string())
                        .filter(|_| last < s.header.len());
                    s.header.len()
                }
                HeaderState::Seeking { .. } => 0,
            };
            let open = rec.get(last).unwrap_or("");
            let kind = match swallowed_rows(open, self.delimiter, columns) {
                0 => ErrorKind::UnclosedQuote,
                rows => ErrorKind::StrayQuote {
                    // Not the newlines that close the input (the reader adds one at the end).
                    swallowed_lines: open.trim_end_matches(['\r', '\n']).lines().count() as u64 - 1,
                    swallowed_rows: rows,
                    excerpt: open_field_excerpt(open),
                },
            };
            self.error = Some(Error::new(kind, at));
            return Ok(());
        }
        // csv-core skips empty lines without a record: count them from the gap in line numbers.
        for line in self.next_line..rec.line {
            ctx.report.skip(
                ReasonCode::BlankLine,
                "Blank line.",
                RowIssue {
                    line,
                    column: None,
                    value: String::new(),
                },
            );
        }
        self.next_line = rec.line + rec.lines;
        self.records_seen += 1;
        if let (HeaderState::Seeking { .. }, Some(c)) = (&self.header, &ctx.options.continuation) {
            // A later part of a split file: no header, the file's start was mapped already.
            let mapper = self.mapped(parallel::recognition(c), rec.line, ctx);
            self.header = HeaderState::Mapped(Box::new(mapper));
        }
        if let HeaderState::Mapped(m) = &mut self.header {
            m.row(rec, ctx);
            return Ok(());
        }
        let tentative = matches!(&self.header, HeaderState::Sampling(s) if s.tentative);
        if let HeaderState::Sampling(_) = &self.header {
            if tentative
                && self.records_seen <= MAX_LINES_BEFORE_HEADER
                && !rec.is_blank()
                && self
                    .recognise(&rec.iter().collect::<Vec<_>>(), ctx)
                    .is_some()
            {
                // The earlier lines were titles above this, the real header.
                let HeaderState::Sampling(earlier) =
                    std::mem::replace(&mut self.header, HeaderState::Seeking { candidate: None })
                else {
                    unreachable!()
                };
                for r in std::iter::once(&earlier.header).chain(&earlier.rows) {
                    let r = r.record();
                    let cells: Vec<&str> = r.iter().collect();
                    let code = if r.is_blank() {
                        ReasonCode::BlankLine
                    } else {
                        ReasonCode::TitleLine
                    };
                    ctx.report.skip(
                        code,
                        if r.is_blank() {
                            "Blank line."
                        } else {
                            "Line above the header (report title, date range or note)."
                        },
                        issue(&r, None, &cells.join(" ")),
                    );
                }
                self.header = HeaderState::Sampling(Box::new(Sampling {
                    header: OwnedRecord::new(rec),
                    rows: Vec::new(),
                    tentative: false,
                }));
                return Ok(());
            }
        }
        if let HeaderState::Sampling(sampling) = &mut self.header {
            if rec.end_offset <= SAMPLE_TEXT_BYTES && sampling.rows.len() < SAMPLE_ROWS {
                sampling.rows.push(OwnedRecord::new(rec));
                return Ok(());
            }
            self.decide(ctx);
            if let HeaderState::Mapped(m) = &mut self.header {
                m.row(rec, ctx);
            }
            return Ok(());
        }
        if rec.is_blank() {
            ctx.report
                .skip(ReasonCode::BlankLine, "Blank line.", issue(rec, None, ""));
            return Ok(());
        }
        let cells: Vec<&str> = rec.iter().collect();
        if let Some(recognition) = self.recognise(&cells, ctx) {
            if recognition.headerless {
                if !self.admit(&recognition, rec.line, ctx) {
                    return Ok(());
                }
                let mut mapper = self.mapped(recognition, rec.line, ctx);
                mapper.row(rec, ctx);
                self.header = HeaderState::Mapped(Box::new(mapper));
                return Ok(());
            }
            self.header = HeaderState::Sampling(Box::new(Sampling {
                header: OwnedRecord::new(rec),
                rows: Vec::new(),
                tentative: false,
            }));
            return Ok(());
        }
        if looks_like_header(&cells) {
            if let HeaderState::Seeking { candidate: None } = &self.header {
                self.header = HeaderState::Sampling(Box::new(Sampling {
                    header: OwnedRecord::new(rec),
                    rows: Vec::new(),
                    tentative: true,
                }));
                return Ok(());
            }
        }
        if let HeaderState::Seeking { candidate } = &mut self.header {
            if candidate.is_none() && cells.len() >= 2 {
                *candidate = Some(cells.iter().map(|c| c.trim().to_string()).collect());
            }
            if self.records_seen > MAX_LINES_BEFORE_HEADER {
                let header = candidate.clone().unwrap_or_default();
                self.error = Some(Error::new(
                    ErrorKind::UnrecognisedHeader { header },
                    Position::line(&self.file, 1),
                ));
                return Ok(());
            }
        }
        ctx.report.skip(
            ReasonCode::TitleLine,
            "Line above the header (report title, date range or note).",
            issue(rec, None, &cells.join(" ")),
        );
        Ok(())
    }

    /// Checks the memory budget for the file; false (with the error set) when it does not fit.
    fn admit(&mut self, recognition: &Recognition, line: u64, ctx: &mut RowContext<'_>) -> bool {
        // Set from the sniffed encoding before any row is read.
        let encoding = ctx
            .report
            .encoding
            .as_deref()
            .and_then(TextEncoding::from_name)
            .unwrap_or(TextEncoding::Utf8);
        let at = Position::line(&self.file, line);
        match ctx
            .budget
            .admit(recognition.kind, encoding, ctx.options.size_bytes, at)
        {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    /// The sample is complete (or the input ended): decide the header's roles from its words and
    /// the sampled values, then map the held rows. A header no kind fits fails the file, with its
    /// columns in the report for the mapping editor.
    fn decide(&mut self, ctx: &mut RowContext<'_>) {
        if !matches!(self.header, HeaderState::Sampling(_)) {
            return;
        }
        let HeaderState::Sampling(sampling) =
            std::mem::replace(&mut self.header, HeaderState::Seeking { candidate: None })
        else {
            return;
        };
        let header_rec = sampling.header.record();
        let header: Vec<&str> = header_rec.iter().collect();
        let data = DataRows::of(&sampling);
        let recognition = recognize_sampled(&header, &data, ctx.overrides, ctx.options.kind)
            .or_else(|| recognize(&header, ctx.overrides, ctx.options.kind));
        let Some(mut recognition) = recognition else {
            ctx.report.columns = unmapped_columns(&header);
            self.error = Some(Error::new(
                ErrorKind::UnrecognisedHeader {
                    header: header.iter().map(|c| c.trim().to_string()).collect(),
                },
                Position::line(&self.file, header_rec.line),
            ));
            return;
        };
        if let Some(g) = ctx.options.amount_grain {
            recognition.decisions.amount_grain = Some(g);
            recognition.decisions.refund_grain = Some(g);
        }
        if !self.admit(&recognition, header_rec.line, ctx) {
            return;
        }
        let mut mapper = self.mapped(recognition, header_rec.line, ctx);
        for r in &sampling.rows {
            mapper.row(&r.record(), ctx);
        }
        self.header = HeaderState::Mapped(Box::new(mapper));
    }

    fn recognise(&self, cells: &[&str], ctx: &RowContext<'_>) -> Option<Recognition> {
        // A header names at least two columns (a title line such as `中性交易：0笔` names one).
        if cells.iter().filter(|c| !is_missing(clean(c))).count() < 2 {
            return None;
        }
        if self.records_seen == 1 && ctx.overrides.is_empty() && ctx.options.kind.is_none() {
            if let Some(r) = recognize_headerless(cells) {
                return Some(r);
            }
        }
        recognize(cells, ctx.overrides, ctx.options.kind)
    }

    fn mapped(&mut self, recognition: Recognition, line: u64, ctx: &mut RowContext<'_>) -> Mapper {
        let platform = ctx.options.platform.unwrap_or(recognition.platform);
        let report = &mut *ctx.report;
        report.kind = Some(recognition.kind);
        report.platform = Some(platform);
        report.header_line = (!recognition.headerless).then_some(line);
        report.columns = recognition.columns.clone();
        report.decisions = recognition.decisions.clone();
        for (header, _) in ctx.overrides.iter() {
            if !recognition.columns.iter().any(|c| c.header == *header) {
                report.note(
                    NoteCode::OverrideColumnMissing,
                    format!(
                        "The mapping names column \"{header}\", which this file does not have."
                    ),
                );
            }
        }
        self.source = ctx.dataset.sources.len().min(u16::MAX as usize) as u16;
        ctx.dataset.sources.push(Source {
            file: self.file.clone(),
            platform,
            kind: recognition.kind,
        });
        let time = TimeRules {
            epoch_offset: ctx
                .epoch_offset_minutes
                .map(|m| m * 60)
                .unwrap_or(if platform.is_chinese() { 8 * 3600 } else { 0 }),
            report_zone: ctx.time_zone.map(|z| z.seconds),
        };
        Mapper::new(
            &recognition,
            ctx.options,
            platform,
            self.source,
            time,
            self.utf8,
            &self.file,
            ctx.report,
        )
    }
}

/// The sampled rows that carry data.
struct DataRows<'a>(Vec<&'a OwnedRecord>);

impl<'a> DataRows<'a> {
    /// The sampled rows with as many fields as the header: a blank or ragged row (a delimiter
    /// inside a value shifts its cells) would mislead the profile and the grain decision.
    fn of(sampling: &'a Sampling) -> DataRows<'a> {
        let width = sampling.header.len();
        DataRows(
            sampling
                .rows
                .iter()
                .filter(|r| r.len() == width && !r.record().is_blank())
                .collect(),
        )
    }
}

impl Sample for DataRows<'_> {
    fn rows(&self) -> usize {
        self.0.len()
    }
    fn cell(&self, row: usize, col: usize) -> &str {
        self.0[row].cell(col)
    }
}

/// A line that may be a header its words do not explain: two or more filled cells, at least half
/// of them filled, none a number, an amount or a date.
/// How many of the lines an unclosed quoted field swallowed look like rows of the file: with at
/// least as many delimiters as the header has columns less one (or one, before a header). A file
/// cut off inside a quoted field swallows nothing of the kind (its open field is the end of one
/// row, or a multi-line description cut short); a stray quote in a value swallows the rows after it.
fn swallowed_rows(open: &str, delimiter: u8, columns: usize) -> u64 {
    let needed = columns.saturating_sub(1).max(1);
    open.split('\n')
        .skip(1)
        .filter(|line| line.bytes().filter(|&b| b == delimiter).count() >= needed)
        .count() as u64
}

/// The start of an unclosed field as it was read, on one line, for the error: at most 60 characters.
fn open_field_excerpt(open: &str) -> String {
    let first = open.lines().next().unwrap_or("");
    let mut out: String = first.chars().take(60).collect();
    if first.chars().count() > 60 || open.contains('\n') {
        out.push('…');
    }
    out
}

fn looks_like_header(cells: &[&str]) -> bool {
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| clean(c))
        .filter(|c| !is_missing(c))
        .collect();
    filled.len() >= 2
        && filled.len() * 2 >= cells.len()
        && filled.iter().all(|c| {
            !matches!(parse_money(c), Ok(Some(_))) && !matches!(parse_time(c, 0), Ok(Some(_)))
        })
}

/// A row issue pointing at `column` (or the whole line) of a record.
pub(crate) fn issue(rec: &Record<'_>, column: Option<&str>, value: &str) -> RowIssue {
    RowIssue {
        line: rec.line,
        column: column.map(str::to_string),
        value: excerpt(value),
    }
}
