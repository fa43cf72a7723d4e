//! The session's state machine: files are pushed in chunks, each goes from its head (sniffing the
//! encoding, or holding a container whole) to its body (decoding, reading records) to finished,
//! and `finish` merges what every file gave.

use super::*;

/// A push-based ingest session over any number of files.
pub struct Session {
    pub(super) opts: IngestOptions,
    pub(super) dataset: Dataset,
    pub(super) files: Vec<FileState>,
    /// Line-item rows of detail exports (宝贝报表) waiting for their orders.
    pub(super) pending: Vec<PendingLine>,
    /// Lines made from one-row-per-order exports (title + total quantity), replaced by real lines
    /// when a detail export of the same order is loaded.
    pub(super) synthetic_lines: Vec<u32>,
    /// Products whose category events have filled already (see `rows::Mapper::event_row`).
    pub(super) categorised: ProductSet,
    /// Memory the files so far are estimated to need, against the limit.
    pub(super) budget: MemoryBudget,
}

pub(super) struct FileState {
    pub(super) report: LoadReport,
    pub(super) overrides: FxHashMap<String, Option<Field>>,
    pub(super) options: FileOptions,
    /// Tables were reserved for this file's rows (see [`FileOptions::size_bytes`]).
    pub(super) reserved: bool,
    pub(super) stage: Stage,
    pub(super) finished: bool,
}

pub(super) enum Stage {
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

pub(super) struct Body {
    pub(super) decoder: TextDecoder,
    /// UTF-8 input: bytes go to the reader without the decoder (see `start_body`).
    pub(super) passthrough: bool,
    /// The encoding and dialect were decided on a full [`SNIFF_BYTES`] head, as one pass over any
    /// longer file decides them (a later part may only be cut after such a start).
    pub(super) decided_on_full_head: bool,
    pub(super) text: String,
    pub(super) reader: RecordReader,
    pub(super) parse: Parse,
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
