//! The memory budget: what loading the files is estimated to need, checked against what one page
//! can have before a file's rows are read.

use super::*;

/// The memory that the files read so far are estimated to need ([`estimated_peak_bytes`]), checked
/// against the limit as each file's header is mapped, before any of its rows is read: a file that
/// would not fit is refused with `too_large` rather than failing midway.
pub(crate) struct MemoryBudget {
    pub needed: u64,
    pub limit: u64,
}

impl MemoryBudget {
    /// Count a file of `size_bytes` (when known) of `kind`; the error when the total passes the limit.
    pub(super) fn admit(
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
