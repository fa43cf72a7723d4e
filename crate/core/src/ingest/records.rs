//! A push-based CSV record reader over `csv-core`: feed UTF-8 text in pieces of any size, get whole
//! records with the physical line they start on. Quoted fields may span lines and pieces.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// One parsed record, borrowed from the reader's buffers until the next call: no allocation per
/// record or field.
pub struct Record<'a> {
    /// Physical line (from 1) the record starts on.
    pub line: u64,
    /// The record ended at end of input without a line terminator.
    pub at_eof: bool,
    /// Lines the record spans (more than 1 when a quoted field holds newlines).
    pub lines: u64,
    /// Bytes of input text read through the end of this record (the same however the text was
    /// chunked): where a sample of the first rows ends.
    pub end_offset: u64,
    bytes: &'a [u8],
    /// `bytes` as text, when they are valid UTF-8 (checked once per record, not per field).
    text: Option<&'a str>,
    ends: &'a [usize],
}

impl<'a> Record<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// Field `i` as text. Field boundaries sit on ASCII delimiters, so the fields of a valid UTF-8
    /// record are UTF-8; a field of an invalid record is checked on its own and yields U+FFFD when
    /// it is not.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        if let Some(text) = self.text {
            // O(1): checks only that both ends are character boundaries.
            return Some(text.get(start..end).unwrap_or("\u{FFFD}"));
        }
        Some(std::str::from_utf8(&self.bytes[start..end]).unwrap_or("\u{FFFD}"))
    }
    /// Whether the record is valid UTF-8 (else its invalid fields read as U+FFFD).
    pub fn is_utf8(&self) -> bool {
        self.text.is_some()
    }
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }
    /// True when every field is blank.
    /// The record holds U+FFFD, the replacement character, or bytes that are not UTF-8: text lost
    /// to a wrong encoding, in this file or in a conversion before it. Decided by the record's
    /// bytes alone, so every chunking and every part of a split file decides alike.
    pub fn has_replacement(&self) -> bool {
        // A byte search first (word-at-a-time): most records have no 0xEF byte at all.
        self.text.is_none()
            || (self.bytes.contains(&0xEF)
                && self.bytes.windows(3).any(|w| w == [0xEF, 0xBF, 0xBD]))
    }
    pub fn is_blank(&self) -> bool {
        // A field that begins with a visible ASCII character is not blank: no trim needed.
        self.iter()
            .all(|f| !f.as_bytes().first().is_some_and(u8::is_ascii_graphic) && f.trim().is_empty())
    }
}

/// A record kept past the reader's next call (the sample rows held until the header is decided).
#[derive(Clone, Debug)]
pub struct OwnedRecord {
    line: u64,
    lines: u64,
    end_offset: u64,
    bytes: Vec<u8>,
    utf8: bool,
    ends: Vec<usize>,
}

impl OwnedRecord {
    pub fn new(rec: &Record<'_>) -> OwnedRecord {
        OwnedRecord {
            line: rec.line,
            lines: rec.lines,
            end_offset: rec.end_offset,
            bytes: rec.bytes.to_vec(),
            utf8: rec.text.is_some(),
            ends: rec.ends.to_vec(),
        }
    }
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// Field `i` as text (`""` past the last field).
    pub fn cell(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        std::str::from_utf8(&self.bytes[start..end]).unwrap_or("\u{FFFD}")
    }
    /// The record, as the reader gave it.
    pub fn record(&self) -> Record<'_> {
        Record {
            line: self.line,
            at_eof: false,
            lines: self.lines,
            end_offset: self.end_offset,
            bytes: &self.bytes,
            text: if self.utf8 {
                std::str::from_utf8(&self.bytes).ok()
            } else {
                None
            },
            ends: &self.ends,
        }
    }
}

pub struct RecordReader {
    /// Input bytes consumed so far.
    consumed: u64,
    rdr: Reader,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// `\n` bytes consumed so far, and the last byte consumed: together they give exact line
    /// numbers for `\n`, `\r\n` and unterminated last lines alike.
    newlines: u64,
    last_byte: u8,
    /// `newlines` when the previous record was emitted.
    newlines_at_last_record: u64,
    /// Of the `\n`s consumed since then, those that ended a record (0, 1 or 2).
    terminator_newlines: u64,
    /// The previous record ended on a `\r` whose `\n` may follow.
    after_cr: bool,
}

impl RecordReader {
    /// A reader of `delimiter`-separated records; `quoting: false` reads `"` as an ordinary
    /// character ([`super::QuoteMode::Literal`]).
    pub fn new(delimiter: u8, quoting: bool) -> RecordReader {
        RecordReader {
            consumed: 0,
            rdr: ReaderBuilder::new()
                .delimiter(delimiter)
                .quoting(quoting)
                .build(),
            out: vec![0; 64 * 1024],
            out_len: 0,
            ends: vec![0; 256],
            ends_len: 0,
            newlines: 0,
            last_byte: b'\n',
            newlines_at_last_record: 0,
            terminator_newlines: 0,
            after_cr: false,
        }
    }

    /// `\n` bytes consumed so far: the lines of the input read, less one for an unterminated last.
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// The input so far ends with a `\n` (or is empty): no line is unterminated.
    pub fn at_line_start(&self) -> bool {
        self.last_byte == b'\n'
    }

    /// Parse as many records as `input` completes, calling `on_record` for each. With
    /// `eof = true`, `input` is the last piece and a final unterminated record is emitted too.
    /// Returns early with the callback's error.
    pub fn feed<E>(
        &mut self,
        mut input: &[u8],
        eof: bool,
        on_record: &mut dyn FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        loop {
            // csv-core reads an empty slice as end of input.
            let at_end = input.is_empty();
            if at_end && !eof {
                return Ok(());
            }
            let (res, nin, nout, nend) = self.rdr.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            // csv-core counts the `\n` bytes it consumes (its line number starts at 1).
            self.newlines = self.rdr.line() - 1;
            if nin > 0 {
                if self.after_cr && input[0] == b'\n' {
                    // The LF of the previous record's CRLF terminator, consumed only now.
                    self.terminator_newlines += 1;
                }
                self.after_cr = false;
                self.last_byte = input[nin - 1];
            }
            input = &input[nin..];
            self.consumed += nin as u64;
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if !eof {
                        return Ok(());
                    }
                }
                ReadRecordResult::OutputFull => self.grow_out(),
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::Record => self.emit(at_end, on_record)?,
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    fn grow_out(&mut self) {
        let n = self.out.len() * 2;
        self.out.resize(n, 0);
    }

    fn grow_ends(&mut self) {
        let n = self.ends.len() * 2;
        self.ends.resize(n, 0);
    }

    fn emit<E>(
        &mut self,
        at_eof: bool,
        on_record: &mut dyn FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let bytes = &self.out[..self.out_len];
        // Newlines inside the record (quoted fields): scanned for only when the `\n`s consumed
        // since the previous record are more than the terminators account for (blank lines or
        // quoted newlines), which keeps a pass over every record's bytes off the common path.
        if self.last_byte == b'\n' && !at_eof {
            self.terminator_newlines += 1;
        }
        let consumed = self.newlines - self.newlines_at_last_record;
        let newlines_inside = if consumed == self.terminator_newlines {
            0
        } else {
            bytes.iter().filter(|&&b| b == b'\n').count() as u64
        };
        self.newlines_at_last_record = self.newlines;
        self.terminator_newlines = 0;
        self.after_cr = self.last_byte == b'\r' && !at_eof;
        // The record's last line: the line its `\n` terminator ends, or (CR terminator not yet
        // followed by its LF, or no terminator at end of input) the line after the last `\n`.
        let end_line = if self.last_byte == b'\n' && !at_eof {
            self.newlines
        } else {
            self.newlines + 1
        };
        let line = end_line.saturating_sub(newlines_inside).max(1);
        let result = on_record(Record {
            line,
            at_eof,
            lines: newlines_inside + 1,
            end_offset: self.consumed,
            bytes,
            text: std::str::from_utf8(bytes).ok(),
            ends: &self.ends[..self.ends_len],
        });
        self.out_len = 0;
        self.ends_len = 0;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in_pieces(text: &str, piece: usize) -> Vec<(u64, Vec<String>, bool)> {
        let mut r = RecordReader::new(b',', true);
        let mut got = Vec::new();
        let bytes = text.as_bytes();
        let mut cb = |rec: Record<'_>| -> Result<(), ()> {
            got.push((
                rec.line,
                rec.iter().map(|s| s.to_string()).collect(),
                rec.at_eof,
            ));
            Ok(())
        };
        for chunk in bytes.chunks(piece.max(1)) {
            r.feed(chunk, false, &mut cb).unwrap();
        }
        r.feed(&[], true, &mut cb).unwrap();
        got
    }

    #[test]
    fn records_with_lines_quotes_and_newlines() {
        let text = "a,b\n1,\"x\ny\"\n\n2,\"q\"\"uote\"\n3,last";
        let want = vec![
            (1, vec!["a".to_string(), "b".to_string()], false),
            (2, vec!["1".into(), "x\ny".into()], false),
            (5, vec!["2".into(), "q\"uote".into()], false),
            (6, vec!["3".into(), "last".into()], true),
        ];
        for piece in 1..text.len() + 1 {
            assert_eq!(parse_in_pieces(text, piece), want, "piece size {piece}");
        }
    }

    #[test]
    fn crlf_lines_count_once() {
        let got = parse_in_pieces("a,b\r\n1,2\r\n3,4\r\n", 3);
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(!got[2].2);
    }

    #[test]
    fn quoted_newlines_with_every_terminator() {
        for eol in ["\n", "\r\n", "\r"] {
            let text = format!("a,b{eol}1,\"x{eol}y\"{eol}{eol}2,z{eol}3,\"p{eol}q\"");
            let lines: Vec<u64> = parse_in_pieces(&text, 2).iter().map(|g| g.0).collect();
            // CR-only files: csv-core splits on `\r`, but lines are counted by `\n`, so they
            // are all line 1.
            let want = if eol == "\r" {
                vec![1, 1, 1, 1]
            } else {
                vec![1, 2, 5, 6]
            };
            assert_eq!(lines, want, "terminator {eol:?}");
        }
    }

    #[test]
    fn long_fields_grow_buffers() {
        let long = "x".repeat(200_000);
        let many = vec!["f"; 1000].join(",");
        let got = parse_in_pieces(&format!("{long},y\n{many}\n"), 4096);
        assert_eq!(got[0].1[0].len(), 200_000);
        assert_eq!(got[1].1.len(), 1000);
    }
}
