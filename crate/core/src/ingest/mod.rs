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

mod budget;
#[cfg(test)]
mod chunking_tests;
pub mod container;
pub mod decode;
pub mod dialect;
mod fast;
mod header;
pub mod options;
pub mod parallel;
mod product_set;
pub mod records;
pub mod report;
mod rows;
mod session;

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
pub(crate) use budget::MemoryBudget;
pub use budget::{estimated_peak_bytes, WASM_MEMORY_LIMIT};
pub use decode::TextEncoding;
use decode::{sniff, Sniffed, TextDecoder, SNIFF_BYTES};
use header::{HeaderState, Parse};
pub use options::{Continuation, FileOptions, IngestOptions, QuoteMode, StatusMeaning, UtcOffset};
pub(crate) use product_set::ProductSet;
use records::{OwnedRecord, Record, RecordReader};
pub use report::LoadReport;
use report::{excerpt, RowIssue};
use rows::{Mapper, PendingLine, TimeRules};
pub(crate) use rows::{IMPLICIT_EVENT, SUMMARY_WORDS, UNNAMED_PRODUCT};
pub use session::Session;
use session::Stage;

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

/// A row issue pointing at `column` (or the whole line) of a record.
pub(crate) fn issue(rec: &Record<'_>, column: Option<&str>, value: &str) -> RowIssue {
    RowIssue {
        line: rec.line,
        column: column.map(str::to_string),
        value: excerpt(value),
    }
}
