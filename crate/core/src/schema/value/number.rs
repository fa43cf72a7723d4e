//! Money, counts, plain numbers and percentages, read exactly from text.
//!
//! One scanner ([`read_decimal`]) splits a cell into sign, digits and a power of ten, and checks the
//! affixes each kind of value allows. Money and counts are then computed with integer arithmetic,
//! never through `f64` (so `0.29` is 29 cents, not 28); numbers and percentages go through one
//! correctly rounded `str::parse::<f64>` of a stack buffer (so `3.21%` is exactly the `f64` nearest
//! 0.0321).

use super::{clean, is_blank, is_missing, ValueError};

/// Largest accepted |amount|, in cents: 10^13 cents = 10^11 yuan (1000亿). Anything larger is a
/// broken cell (an id in a money column, a concatenation), not a sale.
pub const MAX_MONEY_CENTS: i64 = 10_000_000_000_000;

/// What may surround the digits of one kind of value.
#[derive(Clone, Copy)]
struct Syntax {
    /// Currency symbols and codes (`¥`, `US$`, `RMB`, `元` …).
    currency: bool,
    /// Count units (`件`, `pcs` …).
    units: bool,
    /// `%`, `％`, `‰`.
    percent: bool,
    /// A decimal exponent (`1.5e-3`).
    exponent: bool,
}

const MONEY: Syntax = Syntax {
    currency: true,
    units: false,
    percent: false,
    exponent: false,
};
const COUNT: Syntax = Syntax {
    currency: false,
    units: true,
    percent: false,
    exponent: false,
};
const NUMBER: Syntax = Syntax {
    currency: false,
    units: false,
    percent: false,
    exponent: true,
};
const PERCENT: Syntax = Syntax {
    currency: false,
    units: false,
    percent: true,
    exponent: true,
};

/// Sign characters and whether they negate: ASCII, Unicode minus, full-width.
const SIGNS: &[(&str, bool)] = &[
    ("-", true),
    ("+", false),
    ("−", true),
    ("－", true),
    ("＋", false),
];
/// Currency written before the amount. Longer entries first (`US$` before `$`); codes match
/// case-insensitively.
const CURRENCY_PREFIXES: &[&str] = &[
    "US$", "HK$", "NT$", "CA$", "AU$", "NZ$", "S$", "R$", "C$", "A$", "USD", "RMB", "CNY", "EUR",
    "GBP", "JPY", "HKD", "TWD", "KRW", "AUD", "CAD", "CHF", "SGD", "INR", "BRL", "MXN", "SEK",
    "NOK", "DKK", "PLN", "CZK", "THB", "MYR", "IDR", "PHP", "VND", "ZAR", "TRY", "RUB", "AED",
    "NZD", "¥", "￥", "$", "€", "£", "₩", "₹", "₽", "₺", "₫", "฿", "zł", "kr", "Fr.", "Rp",
];
/// Currency written after the amount.
const CURRENCY_SUFFIXES: &[&str] = &[
    "元", "RMB", "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "TWD", "KRW", "AUD", "CAD", "CHF",
    "SGD", "INR", "BRL", "MXN", "SEK", "NOK", "DKK", "PLN", "CZK", "THB", "MYR", "IDR", "PHP",
    "VND", "ZAR", "TRY", "RUB", "AED", "NZD", "¥", "￥", "$", "€", "£", "₩", "₹", "₽", "₺", "₫",
    "฿", "zł", "kr", "Kč", "Ft", "lei", "円",
];
/// Units after a quantity (`3件`, `3 pcs`). Longer entries first; ASCII matches case-insensitively.
const COUNT_UNITS: &[&str] = &[
    "件", "个", "只", "双", "套", "盒", "瓶", "包", "袋", "箱", "台", "条", "张", "支", "份",
    "pieces", "piece", "pcs", "pc", "units", "unit", "items", "item",
];
/// Percent signs and the power of ten they stand for.
const PERCENT_SIGNS: &[(&str, i32)] = &[("%", -2), ("％", -2), ("‰", -3)];
/// Chinese magnitude words directly after the digits: `1.5万` = 15000.
const MULTIPLIERS: &[(&str, i32)] = &[("万", 4), ("亿", 8)];

/// The currency marks money may carry before and after its digits, the count units, and the
/// multipliers (word, power of ten), for code generated from them (`crate::sql`).
pub fn money_affixes() -> (
    &'static [&'static str],
    &'static [&'static str],
    &'static [(&'static str, i32)],
) {
    (CURRENCY_PREFIXES, CURRENCY_SUFFIXES, MULTIPLIERS)
}

/// The units a count may carry (`件`, `pcs` …), for generated code (`crate::sql`).
pub fn count_units() -> &'static [&'static str] {
    COUNT_UNITS
}

/// A number as written, split into validated parts, borrowing the cell text.
#[derive(Clone, Copy, Debug)]
struct Decimal<'a> {
    negative: bool,
    /// Integer digits, possibly with group separators already checked by [`valid_int_part`].
    int_part: &'a str,
    /// ASCII digits after the decimal point.
    frac_part: &'a str,
    /// Power of ten to apply: +4 for 万, −2 for %, or a written exponent.
    exp10: i32,
}

/// `|value| × 10^scale` rounded half away from zero.
struct Scaled {
    rounded: u128,
    /// No non-zero digit was dropped by the rounding.
    exact: bool,
}

impl Decimal<'_> {
    /// All digits, integer part then fraction, as values 0-9.
    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.int_part
            .bytes()
            .filter(u8::is_ascii_digit)
            .chain(self.frac_part.bytes())
            .map(|b| b - b'0')
    }

    fn int_digit_count(&self) -> usize {
        self.int_part.bytes().filter(u8::is_ascii_digit).count()
    }

    /// `|value| × 10^scale` as an integer, rounded half away from zero (the first dropped digit ≥ 5
    /// rounds up). `None` when it does not fit in `u128`.
    fn scaled(&self, scale: i32) -> Option<Scaled> {
        let int_digits = self.int_digit_count() as i64;
        // Number of leading digits that land left of the decimal point after scaling.
        let keep = int_digits + i64::from(scale) + i64::from(self.exp10);
        let mut truncated: u128 = 0;
        let mut round_up = false;
        let mut exact = true;
        for (i, d) in self.digits().enumerate() {
            let i = i as i64;
            if i < keep {
                truncated = truncated.checked_mul(10)?.checked_add(u128::from(d))?;
            } else {
                round_up |= i == keep && d >= 5;
                exact &= d == 0;
            }
        }
        // Fewer digits written than places kept: pad with zeros (`1.5万` → 15000).
        let written = int_digits + self.frac_part.len() as i64;
        if truncated != 0 {
            for _ in written..keep {
                truncated = truncated.checked_mul(10)?;
            }
        }
        Some(Scaled {
            rounded: truncated.checked_add(u128::from(round_up))?,
            exact,
        })
    }

    /// The nearest `f64`, by handing `digits e exponent` to the standard (correctly rounding) parser
    /// from a stack buffer. Significant digits past the 40th are dropped: an `f64` holds 17, so only
    /// a tie at the 40th digit could round differently.
    fn nearest_f64(self) -> Option<f64> {
        const MAX_DIGITS: usize = 40;
        // sign + digits + 'e' + i64 exponent (≤ 20 chars) fits in 64 bytes.
        let mut buf = [0u8; 64];
        let mut len = 0;
        if self.negative {
            buf[len] = b'-';
            len += 1;
        }
        let mut exp = i64::from(self.exp10) - self.frac_part.len() as i64;
        let mut significant = 0;
        for d in self.digits() {
            if significant == 0 && d == 0 {
                continue; // leading zero
            }
            if significant < MAX_DIGITS {
                buf[len] = b'0' + d;
                len += 1;
                significant += 1;
            } else {
                exp += 1;
            }
        }
        if significant == 0 {
            return Some(0.0);
        }
        buf[len] = b'e';
        len += 1;
        if exp < 0 {
            buf[len] = b'-';
            len += 1;
        }
        let mut exp_digits = [0u8; 20];
        let mut n = 0;
        let mut e = exp.unsigned_abs();
        loop {
            exp_digits[n] = b'0' + (e % 10) as u8;
            n += 1;
            e /= 10;
            if e == 0 {
                break;
            }
        }
        for &digit in exp_digits[..n].iter().rev() {
            buf[len] = digit;
            len += 1;
        }
        std::str::from_utf8(&buf[..len]).ok()?.parse::<f64>().ok()
    }
}

fn trim_end(s: &str) -> &str {
    s.trim_end_matches(is_blank)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let start = s.len().checked_sub(suffix.len())?;
    let tail = s.get(start..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..start])
}

fn strip_any_suffix<'a>(s: &'a str, table: &[&str]) -> Option<&'a str> {
    table
        .iter()
        .find_map(|t| strip_suffix_ignore_case(s, t))
        .map(trim_end)
}

/// Separators between digit groups: `,`, full-width `，` and spaces (`1 299.00`).
fn is_group_separator(c: char) -> bool {
    matches!(
        c,
        ',' | '，' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\'' | '’'
    )
}

/// Digits, optionally grouped by threes: `1299`, `1,299`, `12,345,678`, `1 299`. A separator must sit
/// between digits, the first group has 1-3 digits and every later group exactly 3. This rejects a
/// decimal comma (`12,50`, `1.299,00`) instead of misreading it as a hundred times the amount.
fn valid_int_part(s: &str) -> bool {
    let mut group_len = 0;
    let mut separators = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            group_len += 1;
        } else if is_group_separator(c) {
            let bad_group = if separators == 0 {
                !(1..=3).contains(&group_len)
            } else {
                group_len != 3
            };
            if bad_group {
                return false;
            }
            separators += 1;
            group_len = 0;
        } else {
            return false;
        }
    }
    separators == 0 || group_len == 3
}

/// `+12`, `-3`, `4`: at most 4 digits (larger exponents are out of any real range anyway).
fn parse_exponent(s: &str) -> Option<i32> {
    let (negative, digits) = match s.strip_prefix(['+', '-']) {
        Some(d) => (s.starts_with('-'), d),
        None => (false, s),
    };
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i32 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Splits a cleaned cell into a [`Decimal`], accepting the affixes `syntax` allows.
///
/// Before the digits, in any order and each at most once: a sign or an opening parenthesis
/// (accounting negative), a currency. After the digits, from the outside in: the closing parenthesis
/// and a currency (either order), a count unit, a percent sign, a multiplier (万/亿). Whitespace may
/// separate any of these. A trailing minus (`12.50-`) is not accepted.
fn read_decimal(text: &str, syntax: Syntax) -> Option<Decimal<'_>> {
    // Fast path for the common bare number: affixes never start or end with a digit.
    let starts_bare = text.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let (rest, negative, parenthesised) = if starts_bare {
        (text, false, false)
    } else {
        strip_prefixes(text, syntax)
    };
    let ends_bare = rest.bytes().last().is_some_and(|b| b.is_ascii_digit());
    let (rest, mut exp10) = if ends_bare && !parenthesised {
        (rest, 0)
    } else {
        strip_suffixes(rest, syntax, parenthesised)?
    };

    let mut mantissa = rest;
    if syntax.exponent {
        if let Some(e) = rest.find(['e', 'E']) {
            mantissa = &rest[..e];
            exp10 += parse_exponent(&rest[e + 1..])?;
        }
    }
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let has_digits = !int_part.is_empty() || !frac_part.is_empty();
    let valid_frac = frac_part.bytes().all(|b| b.is_ascii_digit());
    (has_digits && valid_frac && valid_int_part(int_part)).then_some(Decimal {
        negative,
        int_part,
        frac_part,
        exp10,
    })
}

/// Strips what may precede the digits: `(rest, negative, parenthesised)`.
fn strip_prefixes(text: &str, syntax: Syntax) -> (&str, bool, bool) {
    let mut rest = text;
    let mut negative = false;
    let mut signed = false;
    let mut parenthesised = false;
    let mut currency = false;
    loop {
        rest = rest.trim_start_matches(is_blank);
        if !signed && !parenthesised {
            let sign = SIGNS
                .iter()
                .find_map(|&(sign, neg)| rest.strip_prefix(sign).map(|r| (r, neg)));
            if let Some((after, neg)) = sign {
                (rest, negative, signed) = (after, neg, true);
                continue;
            }
            if let Some(after) = rest.strip_prefix(['(', '（']) {
                (rest, negative, parenthesised) = (after, true, true);
                continue;
            }
        }
        if syntax.currency && !currency {
            if let Some(after) = CURRENCY_PREFIXES
                .iter()
                .find_map(|c| strip_prefix_ignore_case(rest, c))
            {
                (rest, currency) = (after, true);
                continue;
            }
        }
        return (rest, negative, parenthesised);
    }
}

/// Strips what may follow the digits: `(rest, power of ten of the unit)`; `None` when an opening
/// parenthesis is not closed.
fn strip_suffixes(text: &str, syntax: Syntax, parenthesised: bool) -> Option<(&str, i32)> {
    let mut rest = trim_end(text);
    let mut closed = !parenthesised;
    if !closed {
        if let Some(before) = rest.strip_suffix([')', '）']) {
            (rest, closed) = (trim_end(before), true);
        }
    }
    // A currency may also follow the digits when one precedes them (`¥12.50元`).
    if syntax.currency {
        if let Some(before) = strip_any_suffix(rest, CURRENCY_SUFFIXES) {
            rest = before;
        }
    }
    if !closed {
        rest = trim_end(rest.strip_suffix([')', '）'])?);
    }
    let mut exp10 = 0;
    if syntax.units {
        if let Some(before) = strip_any_suffix(rest, COUNT_UNITS) {
            rest = before;
        }
    }
    if syntax.percent {
        if let Some((before, e)) = PERCENT_SIGNS
            .iter()
            .find_map(|&(sign, e)| rest.strip_suffix(sign).map(|r| (trim_end(r), e)))
        {
            (rest, exp10) = (before, exp10 + e);
        }
    }
    if let Some((before, e)) = MULTIPLIERS
        .iter()
        .find_map(|&(word, e)| rest.strip_suffix(word).map(|r| (trim_end(r), e)))
    {
        (rest, exp10) = (before, exp10 + e);
    }
    Some((rest, exp10))
}

/// Reads an amount of money as cents.
///
/// Accepts, around digits with optional `,`/`，`/space thousands separators and a `.` decimal point:
/// a sign (`-`, `+`, `−`, full-width), an accounting negative `(12.50)`, currency before or after
/// (`¥ ￥ $ € £ US$ USD RMB CNY EUR GBP`, codes in any case) and a trailing `元`, and the multipliers
/// `万` (10^4) and `亿` (10^8): `¥1,299.00`, `1299元`, `-$12.50`, `(12.50)`, `1.5万` (= 1,500,000 cents).
///
/// Any number of decimals is accepted and rounded half away from zero to the cent with exact integer
/// arithmetic: `1,299.005` → 129,901; `-0.005` → −1.
///
/// Not accepted (`InvalidMoney`): a decimal comma (`12,50`, European `1.299,00`) — the comma is only
/// ever a thousands separator here, and misgrouped commas are rejected rather than guessed; a
/// trailing minus (`12.50-`); scientific notation. Beyond ±[`MAX_MONEY_CENTS`] is `OutOfRange`.
/// A missing cell is `Ok(None)`.
pub fn parse_money(raw: &str) -> Result<Option<i64>, ValueError> {
    let s = clean(raw);
    if is_missing(s) {
        return Ok(None);
    }
    let decimal = read_decimal(s, MONEY).ok_or(ValueError::InvalidMoney)?;
    let cents = decimal
        .scaled(2)
        .map(|scaled| scaled.rounded)
        .filter(|&c| c <= MAX_MONEY_CENTS as u128)
        .ok_or(ValueError::OutOfRange)? as i64;
    Ok(Some(if decimal.negative { -cents } else { cents }))
}

/// [`parse_money`] for a column written with a decimal comma (`43,99`, `1.234,56 €`, `1 234,56`,
/// `1'234,56`): the comma is the decimal mark and `.` a group separator. Which columns are written
/// so is decided from their values (see `schema::recognize::profile`), never per cell: `1,234` is
/// a thousand in one column and one and a bit in another.
pub fn parse_money_decimal_comma(raw: &str) -> Result<Option<i64>, ValueError> {
    if !raw.contains([',', '.']) {
        return parse_money(raw);
    }
    let swapped: String = raw
        .chars()
        .map(|c| match c {
            ',' => '.',
            '.' => ',',
            c => c,
        })
        .collect();
    parse_money(&swapped)
}

/// Reads a count (quantity, units sold, visitors).
///
/// Accepts grouped digits (`1,024`), a zero fraction (`3.0`, how Excel and pandas write integers),
/// a sign, a unit after it (`3件`, `3 pcs`, `2 items`) and `万`/`亿` (`1.2万` = 12000). A value with a
/// non-zero fraction (`2.5`) is `InvalidNumber`, not rounded: a half item means the column is not a
/// count. Beyond `i64` is `OutOfRange`. A missing cell is `Ok(None)`.
pub fn parse_count(raw: &str) -> Result<Option<i64>, ValueError> {
    let s = clean(raw);
    if is_missing(s) {
        return Ok(None);
    }
    let decimal = read_decimal(s, COUNT).ok_or(ValueError::InvalidNumber)?;
    let scaled = decimal.scaled(0).ok_or(ValueError::OutOfRange)?;
    if !scaled.exact {
        return Err(ValueError::InvalidNumber);
    }
    let count = i64::try_from(scaled.rounded).map_err(|_| ValueError::OutOfRange)?;
    Ok(Some(if decimal.negative { -count } else { count }))
}

/// Reads a plain number: market indices (交易指数), rates written without `%`, averages.
///
/// Accepts grouped digits, a sign, a fraction, `万`/`亿` and an exponent (`1.5e-3`, as pandas writes
/// small floats). A percent sign is `InvalidNumber` here (use [`parse_percent`]); a value that
/// overflows `f64` is `OutOfRange`. A missing cell is `Ok(None)`.
pub fn parse_number(raw: &str) -> Result<Option<f64>, ValueError> {
    parse_float(raw, NUMBER, ValueError::InvalidNumber)
}

/// Reads a percentage as a fraction: `3.21%` and `3.21 %` → 0.0321, `5‰` → 0.005.
///
/// Text without a percent sign is taken as already a fraction and kept as is (`0.0321` → 0.0321):
/// exports write rates either way, and a column that mixes `3.21%` with `3.21` cannot be told apart
/// cell by cell, so that judgement belongs to the column, not to this function. A missing cell is
/// `Ok(None)`.
pub fn parse_percent(raw: &str) -> Result<Option<f64>, ValueError> {
    parse_float(raw, PERCENT, ValueError::InvalidPercent)
}

fn parse_float(raw: &str, syntax: Syntax, invalid: ValueError) -> Result<Option<f64>, ValueError> {
    let s = clean(raw);
    if is_missing(s) {
        return Ok(None);
    }
    let value = read_decimal(s, syntax)
        .ok_or(invalid)?
        .nearest_f64()
        .ok_or(invalid)?;
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(ValueError::OutOfRange)
    }
}

#[cfg(test)]
mod tests;
