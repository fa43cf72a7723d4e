//! Finding the header: the record callback of a file seeks its header line (past title lines),
//! samples the rows under it, recognises the export, checks the memory budget, then hands every
//! record to the row mapper.

use super::*;

/// Per-file parsing state that the record callback mutates.
pub(super) struct Parse {
    pub(super) file: String,
    pub(super) source: u16,
    pub(super) header: HeaderState,
    pub(super) delimiter: u8,
    pub(super) records_seen: u64,
    /// `\n`s in the input, counted when it ends: where a later part of the file starts.
    pub(super) newlines: u64,
    /// The line after the last record, to count the blank lines csv-core skips.
    pub(super) next_line: u64,
    pub(super) utf8: bool,
    pub(super) error: Option<Error>,
}

pub(super) enum HeaderState {
    Seeking {
        candidate: Option<Vec<String>>,
    },
    /// A header line was found; the rows under it are held until the sample is complete.
    Sampling(Box<Sampling>),
    Mapped(Box<Mapper>),
}

/// A header and the rows under it, held for the value profile.
pub(super) struct Sampling {
    pub(super) header: OwnedRecord,
    pub(super) rows: Vec<OwnedRecord>,
    /// The header's words alone fit no kind: the line only looks like a header, and a later line
    /// that does fit one (within the first lines) is the real header.
    pub(super) tentative: bool,
}

impl Parse {
    pub(super) fn on_record(
        &mut self,
        rec: &Record<'_>,
        ctx: &mut RowContext<'_>,
    ) -> Result<(), Error> {
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
    pub(super) fn decide(&mut self, ctx: &mut RowContext<'_>) {
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
pub(super) struct DataRows<'a>(Vec<&'a OwnedRecord>);

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
