//! Cell values as exports write them: money, counts, numbers, percentages, times, ids, order
//! statuses, behaviour event types and header names.
//!
//! Every cell of an import goes through here, so the parsers read `&str` and allocate nothing: they
//! return numbers, enums or a slice of their input ([`clean_id`] returns a [`Cow`] that is borrowed
//! unless the id had full-width characters to fold). No regular expressions: each format is a small
//! hand-written scanner, and the tables (placeholders, currencies, statuses, event names) are data.
//!
//! Each `parse_*` function first [`clean`]s the cell and checks [`is_missing`]; then
//! - a missing cell (blank, `-`, `--`, `无退款申请` …) is `Ok(None)`,
//! - a readable cell is `Ok(Some(value))`,
//! - a cell that is present but unreadable is `Err(ValueError)`, so the load report can count and
//!   show it instead of silently treating it as 0.
//!
//! Units follow the crate: money is `i64` cents, times are `i64` wall-clock seconds and days are
//! [`Day`](crate::time::Day)s (see [`crate::time`]). Formats accepted, rounding and the conventions
//! chosen for ambiguous text are documented on each function.
//!
//! ```
//! use shoplens::schema::value::{classify_status, parse_money, parse_time, StatusClass, ValueError};
//!
//! assert_eq!(parse_money("¥1,299.00"), Ok(Some(129_900)));
//! assert_eq!(parse_money("0.29"), Ok(Some(29)));
//! assert_eq!(parse_money("无退款申请"), Ok(None));
//! assert_eq!(parse_money("12,50"), Err(ValueError::InvalidMoney));
//! // 2024-03-01 12:00:00 as written; the offset is not applied (DEFINITIONS §1).
//! assert_eq!(parse_time("2024-03-01 12:00:00 +0800", 0), Ok(Some(1_709_294_400)));
//! assert_eq!(classify_status("买家已付款，等待卖家发货"), Some(StatusClass::Paid));
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

mod datetime;
mod number;
mod status;

pub use datetime::{parse_day, parse_time, parse_time_in_zone};
pub use number::{
    count_units, money_affixes, parse_count, parse_money, parse_money_decimal_comma, parse_number,
    parse_percent, MAX_MONEY_CENTS,
};
pub use status::{
    classify_status, event_class, event_name_key, event_name_table, parse_event_type, status_table,
    StatusClass, KEY_SEPARATORS,
};

/// Why a cell could not be read. Small and `Copy`: ingest counts these per column and keeps the
/// first few examples with their position; the page localises [`ValueError::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueError {
    /// Not an amount of money (`abc`, `12.3.4`, `12,50`, `1.299,00`).
    InvalidMoney,
    /// Not a number, or not a whole number where a count is expected (`2.5` items).
    InvalidNumber,
    /// Not a percentage or fraction.
    InvalidPercent,
    /// Not a date or time in any accepted format, or an impossible date (`2024-02-30`).
    InvalidTime,
    /// A number too large to be real data (money beyond ±[`MAX_MONEY_CENTS`], counts beyond `i64`).
    OutOfRange,
    /// An id that Excel turned into scientific notation (`1.23457E+18`): its digits are lost, so it
    /// can no longer tell orders apart.
    ScientificId,
}

impl ValueError {
    /// Stable code of the rejected row (the same text as the serde form).
    pub fn code(self) -> crate::codes::ReasonCode {
        use crate::codes::ReasonCode;
        match self {
            ValueError::InvalidMoney => ReasonCode::InvalidMoney,
            ValueError::InvalidNumber => ReasonCode::InvalidNumber,
            ValueError::InvalidPercent => ReasonCode::InvalidPercent,
            ValueError::InvalidTime => ReasonCode::InvalidTime,
            ValueError::OutOfRange => ReasonCode::OutOfRange,
            ValueError::ScientificId => ReasonCode::ScientificId,
        }
    }

    /// What a valid value looks like, in English (for logs and Node users; the page localises `code`).
    pub fn expected(self) -> &'static str {
        match self {
            ValueError::InvalidMoney => {
                "an amount such as 1299.00, ¥1,299.00, 1299元, $12.50, -12.50, (12.50) or 1.5万; \
                 the decimal separator is '.'"
            }
            ValueError::InvalidNumber => "a number such as 3, 1,024, 3.0 or 1.2万 (a whole number for counts)",
            ValueError::InvalidPercent => "a percentage such as 3.21% or a fraction such as 0.0321",
            ValueError::InvalidTime => {
                "a valid date or time such as 2024-03-01 12:00:00, 2024/3/1, 2024年3月1日 12:00, \
                 3/1/2024 1:05 PM, a Unix epoch or an Excel date number"
            }
            ValueError::OutOfRange => "a value within the supported range (money up to ±100 billion)",
            ValueError::ScientificId => {
                "an id written in full (Excel turned it into scientific notation such as 1.23457E+18; \
                 re-export the file or format the column as text)"
            }
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}", self.code(), self.expected())
    }
}

impl std::error::Error for ValueError {}

/// Whitespace as exports pad cells: ASCII and Unicode spaces (incl. full-width U+3000 and NBSP),
/// tabs, line breaks, a BOM and zero-width spaces.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// The text of a cell without the wrappers exports add to keep Excel from mangling it.
///
/// Strips, repeatedly and in any nesting: surrounding whitespace ([`char::is_whitespace`], incl.
/// full-width space and tabs, plus BOM and zero-width space), an Excel `="…"` wrapper, a pair of
/// surrounding double quotes left over from CSV quoting, and a leading `'` (Excel's "keep as text"
/// prefix). Text inside is kept as written: `clean("\t=\"'00123 \"")` is `"00123"`.
pub fn clean(raw: &str) -> &str {
    let mut s = raw.trim_matches(is_blank);
    loop {
        let before = s.len();
        if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
            s = inner;
        } else if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            s = inner;
        } else if let Some(rest) = s.strip_prefix(['\'', '`']) {
            // Excel's "keep as text" `'`; WeChat Pay bills put a backtick before every cell.
            s = rest;
        }
        s = s.trim_matches(is_blank);
        if s.len() == before {
            return s;
        }
    }
}

/// Placeholders that platforms and spreadsheets write for "no value". ASCII entries are compared
/// case-insensitively (`nan`, `NaN`, `NAN` …).
pub(crate) const MISSING: &[&str] = &[
    "-",
    "/",
    "--",
    "---",
    "—",
    "——",
    "－",
    "nan",
    "na",
    "null",
    "n/a",
    "#n/a",
    "none",
    "无",
    "暂无",
    "无退款申请",
    "没有申请退款",
    "订单未关闭",
];

/// The placeholder table itself, for code generated from it (the SQL scripts of [`crate::sql`]).
pub fn missing_placeholders() -> &'static [&'static str] {
    MISSING
}

/// Whether a [`clean`]ed cell means "no value": blank or one of the placeholders exports use
/// (`-`, `--`, `—`, `/`, `nan`, `NA`, `null`, `N/A`, `None`, `无`, `暂无`, `无退款申请`, `没有申请退款`, `订单未关闭` …).
pub fn is_missing(s: &str) -> bool {
    s.is_empty() || MISSING.iter().any(|m| m.eq_ignore_ascii_case(s))
}

/// An id (order number, SKU, customer) as text that identifies the same thing across files.
///
/// [`clean`]s it, then
/// - a trailing `.0` (or `.00` …) after an all-digit id is dropped: `"123456.0"` → `"123456"` (pandas
///   and Excel write integer ids as floats);
/// - full-width ASCII (`１２３Ａ`) is folded to half-width, the only case that allocates;
/// - long digit strings stay exact text (a 19-digit Taobao order number is never a number);
/// - a missing id is `Ok(None)`.
///
/// Scientific notation is [`ValueError::ScientificId`]: the digits Excel dropped cannot be recovered and
/// merging distinct orders under one rounded id would corrupt every figure. Recognised as Excel writes
/// it for a number of 12 or more digits: digits, an optional fraction, `E`/`e`, an optional `+` and an
/// exponent of at least 11, with a fraction or the `+` present (`1.23457E+18`, `1.23E18`, `1E+18`).
/// Codes such as `3E10`, `12E-45` or `1.5E+3` are left alone: Excel never writes an id that way, so
/// they are more likely SKUs.
pub fn clean_id(raw: &str) -> Result<Option<Cow<'_, str>>, ValueError> {
    let s = clean(raw);
    if is_missing(s) {
        return Ok(None);
    }
    if is_scientific(s) {
        return Err(ValueError::ScientificId);
    }
    let s = strip_zero_fraction(s);
    // Full-width forms are U+FF01–U+FF5E, encoded EF BC xx / EF BD xx: check bytes before chars.
    if s.bytes().any(|b| b == 0xef) && s.chars().any(is_full_width_ascii) {
        return Ok(Some(Cow::Owned(s.chars().map(fold_width).collect())));
    }
    Ok(Some(Cow::Borrowed(s)))
}

/// `digits[.digits](E|e)[+]digits` with an exponent ≥ 11 (Excel's General format keeps up to 11
/// digits) and a fraction or an explicit `+`.
fn is_scientific(s: &str) -> bool {
    let Some(e) = s.find(['e', 'E']) else {
        return false;
    };
    let (mantissa, exponent) = (&s[..e], &s[e + 1..]);
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let has_dot = mantissa.len() != int_part.len();
    let (plus, exp_digits) = match exponent.strip_prefix('+') {
        Some(d) => (true, d),
        None => (false, exponent),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    !int_part.is_empty()
        && all_digits(int_part)
        && all_digits(frac_part)
        && (has_dot || plus)
        && (1..=3).contains(&exp_digits.len())
        && all_digits(exp_digits)
        && exp_digits.parse::<u32>().is_ok_and(|exp| exp >= 11)
}

/// `"123.0"` → `"123"`; anything else unchanged.
fn strip_zero_fraction(s: &str) -> &str {
    match s.split_once('.') {
        Some((int_part, zeros))
            if !int_part.is_empty()
                && int_part.bytes().all(|b| b.is_ascii_digit())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0') =>
        {
            int_part
        }
        _ => s,
    }
}

/// Full-width forms of ASCII `！`…`～` (U+FF01–U+FF5E).
fn is_full_width_ascii(c: char) -> bool {
    ('\u{ff01}'..='\u{ff5e}').contains(&c)
}

/// Full-width ASCII → ASCII and the ideographic space U+3000 → `' '`; other characters unchanged.
pub(crate) fn fold_width(c: char) -> char {
    if is_full_width_ascii(c) {
        char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
    } else if c == '\u{3000}' {
        ' '
    } else {
        c
    }
}

/// The canonical form of a column header, used as the key of the synonym table.
///
/// Canonical form: **ASCII lower-case, full-width forms folded to half-width, with no whitespace and
/// no `_` `-` `.` separators**. Concretely: [`clean`] (BOM, `="…"`, quotes, `'`), then drop every
/// whitespace character (incl. full-width space and inner spaces, as in `订单付款时间 `), BOM and
/// zero-width space; fold full-width ASCII (`（）：％` → `():%`); drop `_`, `-` and `.`; lower-case
/// ASCII letters. Everything else, Chinese text and parentheses included, is kept:
/// `Lineitem quantity` → `lineitemquantity`, `order-status` → `orderstatus`,
/// `订单实际金额（元）` → `订单实际金额(元)`, `Click-Thru Rate (CTR)` → `clickthrurate(ctr)`.
///
/// Headers are read once per file, so this one allocates.
pub fn normalize_header(raw: &str) -> String {
    clean(raw)
        .chars()
        .map(fold_width)
        .filter(|&c| !is_blank(c) && !matches!(c, '_' | '-' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_strips_excel_and_csv_wrappers() {
        let cases = [
            ("  123  ", "123"),
            ("\t2024-03-01\t", "2024-03-01"),
            ("\u{3000}交易成功\u{3000}", "交易成功"),
            ("\u{feff}订单编号", "订单编号"),
            ("=\"3705150411372094\"", "3705150411372094"),
            (" =\" 0012 \" ", "0012"),
            ("\"quoted\"", "quoted"),
            ("'3705150411372094", "3705150411372094"),
            ("\t'0012", "0012"),
            ("=\"'0012\"", "0012"),
            ("\"=\"0012\"\"", "0012"), // quotes left around an Excel wrapper
            ("a b", "a b"),
            ("\"", "\""),
            ("=\"\"", ""),
            ("", ""),
            ("it's", "it's"),
        ];
        for (raw, want) in cases {
            assert_eq!(clean(raw), want, "clean({raw:?})");
        }
    }

    #[test]
    fn missing_placeholders() {
        let missing = [
            "",
            "-",
            "--",
            "—",
            "——",
            "－",
            "nan",
            "NaN",
            "NAN",
            "null",
            "NULL",
            "N/A",
            "n/a",
            "#N/A",
            "None",
            "无",
            "暂无",
            "无退款申请",
            "没有申请退款",
            "订单未关闭",
        ];
        for s in missing {
            assert!(is_missing(s), "{s:?} should be missing");
        }
        for s in ["0", "0.00", "交易成功", "Nat", "n", "无锡", "-1"] {
            assert!(!is_missing(s), "{s:?} should not be missing");
        }
        // Placeholders are recognised on cleaned text, as the parsers see it.
        assert!(is_missing(clean(" =\"--\" ")));
    }

    #[test]
    fn ids_stay_exact_text() {
        let ok = [
            ("3705150411372094838", "3705150411372094838"), // 19-digit Taobao order number
            ("=\"3705150411372094838\"", "3705150411372094838"),
            ("'3705150411372094838", "3705150411372094838"),
            ("\t3705150411372094838\t", "3705150411372094838"),
            ("123456.0", "123456"),
            ("123456.00", "123456"),
            ("2053013555631882655", "2053013555631882655"), // REES46 category id > 2^53
            ("#1001", "#1001"),
            ("SKU-12.5", "SKU-12.5"),
            ("12.5", "12.5"),
            ("3E10", "3E10"),
            ("12E-45", "12E-45"),
            ("1.5E+3", "1.5E+3"),
            ("A1.0", "A1.0"),
            ("１２３Ａ", "123A"),
        ];
        for (raw, want) in ok {
            assert_eq!(
                clean_id(raw).unwrap().as_deref(),
                Some(want),
                "clean_id({raw:?})"
            );
        }
        assert!(matches!(clean_id("123456.0"), Ok(Some(Cow::Borrowed(_)))));
        for raw in ["", " ", "-", "nan", "=\"\""] {
            assert_eq!(clean_id(raw), Ok(None), "clean_id({raw:?})");
        }
        for raw in [
            "1.23457E+18",
            "1.23E18",
            "1E+18",
            "3.70515E+18",
            "1.23457e+11",
            "=\"1.23457E+18\"",
        ] {
            assert_eq!(
                clean_id(raw),
                Err(ValueError::ScientificId),
                "clean_id({raw:?})"
            );
        }
    }

    #[test]
    fn headers_have_one_canonical_form() {
        let cases = [
            ("Lineitem quantity", "lineitemquantity"),
            ("order-status", "orderstatus"),
            ("amazon-order-id", "amazonorderid"),
            ("event_time", "eventtime"),
            ("订单实际金额（元）", "订单实际金额(元)"),
            ("订单实际金额(元)", "订单实际金额(元)"),
            ("订单付款时间 ", "订单付款时间"),
            ("收货 地址", "收货地址"),
            ("\u{feff}订单编号", "订单编号"),
            ("=\"订单编号\"", "订单编号"),
            ("\"Name\"", "name"),
            ("Click-Thru Rate (CTR)", "clickthrurate(ctr)"),
            ("7 Day Total Orders (#)", "7daytotalorders(#)"),
            ("Sessions - Total", "sessionstotal"),
            ("买家留言：", "买家留言:"),
            ("ＳＫＵ", "sku"),
            ("Order #", "order#"),
            ("商家编码-SKU维度", "商家编码sku维度"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_header(raw), want, "normalize_header({raw:?})");
        }
    }

    #[test]
    fn errors_have_stable_codes_and_serde_names() {
        let all = [
            ValueError::InvalidMoney,
            ValueError::InvalidNumber,
            ValueError::InvalidPercent,
            ValueError::InvalidTime,
            ValueError::OutOfRange,
            ValueError::ScientificId,
        ];
        for e in all {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.code()));
            assert!(!e.expected().is_empty());
            assert!(e.to_string().starts_with(e.code().code()));
        }
    }

    /// Naive reference for `normalize_header`: the same rules written step by step with strings.
    fn naive_normalize_header(raw: &str) -> String {
        let mut s = clean(raw).to_string();
        for (full, half) in [('（', '('), ('）', ')'), ('：', ':')] {
            s = s.replace(full, &half.to_string());
        }
        s.chars()
            .map(|c| match c as u32 {
                0xff01..=0xff5e => char::from_u32(c as u32 - 0xfee0).unwrap(),
                _ => c,
            })
            .filter(|c| !c.is_whitespace() && !"_-.\u{feff}\u{200b}".contains(*c))
            .collect::<String>()
            .to_ascii_lowercase()
    }

    proptest! {
        #[test]
        fn normalize_header_matches_reference_and_is_idempotent(raw in "[ a-zA-Z_.\\-（）：订单金额\u{3000}\t]{0,16}") {
            let n = normalize_header(&raw);
            prop_assert_eq!(&n, &naive_normalize_header(&raw));
            prop_assert_eq!(normalize_header(&n), n);
        }

        #[test]
        fn clean_is_idempotent_and_never_panics(raw in any::<String>()) {
            let once = clean(&raw);
            prop_assert_eq!(clean(once), once);
            let _ = is_missing(once);
            let _ = clean_id(&raw);
            let _ = normalize_header(&raw);
        }

        #[test]
        fn integer_ids_round_trip(id in "[1-9][0-9]{0,24}", wrap in 0usize..5) {
            let raw = match wrap {
                0 => id.clone(),
                1 => format!("=\"{id}\""),
                2 => format!("'{id}"),
                3 => format!("\t{id}.0"),
                _ => format!(" {id} "),
            };
            let cleaned = clean_id(&raw).unwrap();
            prop_assert_eq!(cleaned.as_deref(), Some(id.as_str()));
        }
    }
}
