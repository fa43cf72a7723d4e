//! What the caller can set for an ingest session: per-file corrections (kind, platform, column
//! roles), the file size for allocation, the epoch offset and the report's time zone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{DatasetKind, Platform};
use crate::schema::field::Field;
use crate::schema::recognize::{Column, Decisions, Grain};

/// Options for a whole ingest session.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestOptions {
    /// Per-file overrides, keyed by file name.
    pub files: BTreeMap<String, FileOptions>,
    /// Offset added to Unix epochs, in minutes (default: +480 for Chinese platforms, else 0).
    pub epoch_offset_minutes: Option<i64>,
    /// The report's zone, as a UTC offset such as `"+08:00"`, `"-05:00"` or `"UTC"`. When set,
    /// timestamps written with an offset and Unix epochs are converted to it (DEFINITIONS §1);
    /// unset, every timestamp is taken at the wall clock it shows.
    pub time_zone: Option<UtcOffset>,
    /// The memory the engine may plan for, in bytes (default [`crate::ingest::WASM_MEMORY_LIMIT`],
    /// 4 GiB): files whose estimated need passes it are refused before their rows are read.
    pub memory_limit_bytes: Option<u64>,
}

/// A fixed UTC offset, written `+08:00`, `-0500`, `+8`, `UTC` or `Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcOffset {
    /// Seconds east of UTC.
    pub seconds: i64,
}

impl UtcOffset {
    pub fn parse(s: &str) -> Option<UtcOffset> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("utc")
            || s.eq_ignore_ascii_case("z")
            || s.eq_ignore_ascii_case("gmt")
        {
            return Some(UtcOffset { seconds: 0 });
        }
        let rest = s
            .strip_prefix("UTC")
            .or_else(|| s.strip_prefix("GMT"))
            .unwrap_or(s);
        let (sign, digits) = match rest.as_bytes().first()? {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ => return None,
        };
        let (h, m) = match digits.split_once(':') {
            Some((h, m)) => (h, m),
            None if digits.len() == 4 => digits.split_at(2),
            None => (digits, "0"),
        };
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 14 && (0..60).contains(&m) && !digits.is_empty()).then_some(UtcOffset {
            seconds: sign * (h * 3600 + m * 60),
        })
    }
}

impl Serialize for UtcOffset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.seconds.abs();
        let sign = if self.seconds < 0 { '-' } else { '+' };
        s.serialize_str(&format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60))
    }
}

impl<'de> Deserialize<'de> for UtcOffset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<UtcOffset, D::Error> {
        let s = String::deserialize(d)?;
        UtcOffset::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "time_zone \"{s}\" is not a UTC offset like \"+08:00\" or \"UTC\""
            ))
        })
    }
}

/// Corrections the user made to one file's recognition.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileOptions {
    /// Replace the detected kind.
    pub kind: Option<DatasetKind>,
    /// Replace the detected platform.
    pub platform: Option<Platform>,
    /// Column roles by header as written: a role, or `null` to ignore the column.
    pub columns: BTreeMap<String, Option<Field>>,
    /// The file's size in bytes, when the caller knows it (a browser `File` does). Once the first
    /// rows are read, the tables are reserved for the rows the whole file will hold, so big
    /// columns are allocated once: growing them by doubling costs copies, and in WebAssembly each
    /// step leaves its old block behind in memory that is never returned (about 2× the tables).
    pub size_bytes: Option<u64>,
    /// This input is a later part of a file split at a record boundary for parallel reading (see
    /// [`crate::ingest::parallel`]): it has no header and is read as the file's start was.
    pub continuation: Option<Continuation>,
    /// Whether the paid amount (and refund) column is per line (summed over an order's rows) or per
    /// order (counted once), replacing what the data suggested (DEFINITIONS §1).
    pub amount_grain: Option<Grain>,
    /// What each status value means, by the value as written (`"Awaiting Fulfillment": "paid"`),
    /// replacing or completing the built-in status table.
    pub statuses: BTreeMap<String, StatusMeaning>,
    /// ISO code of the file's amounts (`USD`, `CNY` …), replacing what the file suggests
    /// (`crate::currency::detect`).
    pub currency: Option<String>,
    /// How `"` is read: as CSV quoting (the default), or as an ordinary character. `literal` is the
    /// way out of a stray quote (`stray_quote`): a value such as `"Summer sale mug` that opens a
    /// quoted field and swallows the rest of the file. Quoted values in such a file keep their
    /// quotes, and a quoted value holding the delimiter splits (its row is then `ragged_row`).
    pub quotes: QuoteMode,
}

/// How a file's double quotes are read (see [`FileOptions::quotes`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteMode {
    /// RFC 4180: a field that starts with `"` runs to the matching `"`, `""` is one quote.
    #[default]
    Standard,
    /// `"` is an ordinary character.
    Literal,
}

/// What the user says a status value means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusMeaning {
    Paid,
    Unpaid,
    Cancelled,
    Refunded,
    Test,
}

impl From<StatusMeaning> for crate::schema::value::StatusClass {
    /// The status class a user's meaning stands for (ingest and the SQL scripts read it alike).
    fn from(m: StatusMeaning) -> Self {
        use crate::schema::value::StatusClass;
        match m {
            StatusMeaning::Paid => StatusClass::Paid,
            StatusMeaning::Unpaid => StatusClass::Unpaid,
            StatusMeaning::Cancelled => StatusClass::Cancelled,
            StatusMeaning::Refunded => StatusClass::Refunded,
            StatusMeaning::Test => StatusClass::Test,
        }
    }
}

/// How the start of a file was read, so that a later part of it (from a record boundary on) is
/// read the same way: [`crate::ingest::Session::continuation`] gives it once the header is mapped.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Continuation {
    /// As in the load report: `utf-8`, `utf-8-bom` or `gb18030`.
    pub encoding: String,
    /// As in the load report: `comma`, `tab`, `semicolon` or `pipe`.
    pub delimiter: String,
    pub kind: DatasetKind,
    pub platform: Platform,
    /// The header's columns and roles (the load report's `columns`).
    pub columns: Vec<Column>,
    /// The file has no header (Tianchi logs).
    pub headerless: bool,
    /// What the start's sample decided (amount grain …), so that every part reads rows alike.
    #[serde(default)]
    pub decisions: Decisions,
}
