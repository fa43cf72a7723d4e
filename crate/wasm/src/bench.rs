//! The benchmark's raw limit (`scripts/bench.mjs`, BENCHMARKS.md): a bare `csv-core` record scan
//! over the same chunks the engine is fed, with no decoding, mapping or analysis. Built with the
//! `testing` feature only (`scripts/bench.mjs` builds with it): the page's module does not carry
//! it, and the engine's code the benchmark measures is the same either way.

use csv_core::{ReadRecordResult, Reader};
use wasm_bindgen::prelude::*;

/// Counts the records of a comma-separated stream pushed in chunks of any size.
#[wasm_bindgen]
pub struct CsvScan {
    reader: Reader,
    /// Field bytes and field ends of the current record, reused (grown on demand, never shrunk).
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    records: u32,
}

impl Default for CsvScan {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl CsvScan {
    #[wasm_bindgen(constructor)]
    pub fn new() -> CsvScan {
        CsvScan {
            reader: Reader::new(),
            out: vec![0; 64 * 1024],
            ends: vec![0; 256],
            out_len: 0,
            ends_len: 0,
            records: 0,
        }
    }

    /// Scan the next chunk; returns the records completed so far.
    pub fn push(&mut self, chunk: &[u8]) -> u32 {
        self.scan(chunk, false)
    }

    /// End of input: completes an unterminated last record; returns the total record count.
    pub fn finish(&mut self) -> u32 {
        self.scan(&[], true)
    }

    fn scan(&mut self, mut input: &[u8], eof: bool) -> u32 {
        loop {
            if input.is_empty() && !eof {
                return self.records;
            }
            let (result, read, written, ended) = self.reader.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            input = &input[read..];
            self.out_len += written;
            self.ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !eof {
                        return self.records;
                    }
                }
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    self.records += 1;
                    self.out_len = 0;
                    self.ends_len = 0;
                }
                ReadRecordResult::End => return self.records,
            }
        }
    }
}

/// Records in one whole buffer (the one-shot form of [`CsvScan`]).
#[wasm_bindgen]
pub fn scan_csv(bytes: &[u8]) -> u32 {
    let mut scan = CsvScan::new();
    scan.push(bytes);
    scan.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_records_across_any_chunking() {
        let text = b"a,b\n1,\"x\ny\"\n2,\"q\"\"uote\"\n3,last";
        assert_eq!(scan_csv(text), 4);
        for size in 1..text.len() {
            let mut scan = CsvScan::new();
            for chunk in text.chunks(size) {
                scan.push(chunk);
            }
            assert_eq!(scan.finish(), 4, "chunk size {size}");
        }
    }
}
