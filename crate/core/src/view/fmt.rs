//! Locale-aware formatting of figures for display.
//!
//! Display text only: CSV export and `data-sort-value` carry raw values (see
//! [`table`](super::table)). Negative numbers use the typographic minus `−` (U+2212); an undefined
//! figure (`None`, NaN, ±∞) shows as `—`. Money is `i64` cents and is formatted from integers, so
//! `¥1,299.00` is exact; compact forms (`¥12.3万`, `$12.3K`) round to one decimal.

use serde::{Deserialize, Serialize};

/// The display language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese (the platforms' own vocabulary: 支付金额, 客单价 …).
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

/// Shown for an undefined figure.
pub const DASH: &str = "—";
/// The typographic minus sign.
pub const MINUS: char = '−';

use crate::money::currency_style;

/// `symbol` followed by a space when it is a letter code (`CHF 12.00`), else glued (`¥12.00`).
fn push_symbol(out: &mut String, symbol: &str) {
    out.push_str(symbol);
    if symbol
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphabetic())
    {
        out.push(' ');
    }
}

/// Digits of `n` with `,` every three digits: `1234567` → `1,234,567`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A whole number with thousands separators: `1,234`, `−56`. Both languages group by three.
pub fn int(n: i64, _lang: Lang) -> String {
    let mut out = String::new();
    if n < 0 {
        out.push(MINUS);
    }
    out.push_str(&group_thousands(n.unsigned_abs()));
    out
}

/// Money in full: `¥1,299.00`, `−$5.50`.
pub fn money(cents: i64, currency: &str, _lang: Lang) -> String {
    let (symbol, decimals) = currency_style(currency);
    let mut out = String::new();
    if cents < 0 {
        out.push(MINUS);
    }
    push_symbol(&mut out, symbol);
    let abs = cents.unsigned_abs();
    if decimals == 0 {
        // Half away from zero, in integers.
        out.push_str(&group_thousands((abs + 50) / 100));
    } else {
        out.push_str(&group_thousands(abs / 100));
        out.push_str(&format!(".{:02}", abs % 100));
    }
    out
}

/// Money from a fractional number of cents (an average such as 客单价); `—` when undefined.
pub fn money_f(cents: Option<f64>, currency: &str, lang: Lang) -> String {
    match finite(cents) {
        Some(c) if c.abs() < 9.0e18 => money(c.round() as i64, currency, lang),
        _ => DASH.to_string(),
    }
}

/// Money in compact form for cards and axes: `¥12.3万`, `¥1.2亿` (zh), `$12.3K`, `$4.5M` (en).
/// Amounts below one compact unit (1万 in zh, 1K in en) are written in full.
pub fn money_compact(cents: i64, currency: &str, lang: Lang) -> String {
    let units = cents as f64 / 100.0;
    match compact_parts(units, lang) {
        None => money(cents, currency, lang),
        Some((mantissa, suffix)) => {
            let (symbol, _) = currency_style(currency);
            let mut out = String::new();
            if cents < 0 {
                out.push(MINUS);
            }
            push_symbol(&mut out, symbol);
            out.push_str(&mantissa);
            out.push_str(suffix);
            out
        }
    }
}

/// Money for axis ticks: compact when large, whole amounts without decimals: `¥500`, `¥12.3万`,
/// `$0.50`.
pub fn money_tick(cents: i64, currency: &str, lang: Lang) -> String {
    let compact = money_compact(cents, currency, lang);
    match compact.strip_suffix(".00") {
        Some(whole) if cents % 100 == 0 => whole.to_string(),
        _ => compact,
    }
}

/// A count or quantity in compact form: `12.3万` / `12.3K`; small values in full.
pub fn number_compact(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return DASH.to_string();
    }
    match compact_parts(x, lang) {
        Some((mantissa, suffix)) => {
            let sign = if x < 0.0 {
                MINUS.to_string()
            } else {
                String::new()
            };
            format!("{sign}{mantissa}{suffix}")
        }
        None => decimal(x, if x.fract() == 0.0 { 0 } else { 1 }),
    }
}

/// `(mantissa text, suffix)` of `|x|` for compact display, or `None` below the smallest unit.
/// Chinese counts in 万 (10⁴) and 亿 (10⁸); English in K, M, B. Rounding that reaches the next
/// unit moves to it (`9999.96万` → `1亿`).
fn compact_parts(x: f64, lang: Lang) -> Option<(String, &'static str)> {
    let units: &[(f64, &'static str)] = match lang {
        Lang::Zh => &[(1e4, "万"), (1e8, "亿"), (1e12, "万亿")],
        Lang::En => &[(1e3, "K"), (1e6, "M"), (1e9, "B"), (1e12, "T")],
    };
    let abs = x.abs();
    if !abs.is_finite() || abs < units[0].0 {
        return None;
    }
    let mut i = units
        .iter()
        .rposition(|(size, _)| abs >= *size)
        .unwrap_or(0);
    let mut tenths = (abs / units[i].0 * 10.0).round();
    if i + 1 < units.len() && tenths >= units[i + 1].0 / units[i].0 * 10.0 {
        i += 1;
        tenths = (abs / units[i].0 * 10.0).round();
    }
    let mantissa = tenths / 10.0;
    let text = if tenths % 10.0 == 0.0 {
        group_thousands(mantissa as u64)
    } else {
        format!(
            "{}.{}",
            group_thousands(mantissa.trunc() as u64),
            tenths % 10.0
        )
    };
    Some((text, units[i].1))
}

/// `x` with `digits` decimals and thousands separators: `1,234.5`.
pub fn decimal(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return DASH.to_string();
    }
    let text = format!("{:.*}", digits, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    // "-0.0" after rounding is written as 0.
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push(MINUS);
    }
    match whole.parse::<u64>() {
        Ok(w) => out.push_str(&group_thousands(w)),
        Err(_) => out.push_str(whole), // beyond u64: leave ungrouped
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

/// A ratio (0.123) as a percentage with one decimal: `12.3%`; `—` when undefined.
pub fn percent(ratio: Option<f64>, _lang: Lang) -> String {
    match finite(ratio) {
        Some(r) => format!("{}%", decimal(r * 100.0, 1)),
        None => DASH.to_string(),
    }
}

/// A period-over-period change (0.123) with its sign: `+12.3%`, `−4.0%`, `0.0%`; `—` when undefined.
pub fn change(ratio: Option<f64>) -> String {
    match finite(ratio) {
        Some(r) => {
            let body = decimal(r * 100.0, 1);
            let is_zero = !body.chars().any(|c| c.is_ascii_digit() && c != '0');
            if r > 0.0 && !is_zero {
                format!("+{body}%")
            } else {
                format!("{body}%")
            }
        }
        None => DASH.to_string(),
    }
}

/// Direction of a change for styling an arrow: `Some(true)` up, `Some(false)` down, `None` flat or
/// undefined (after rounding to the shown 0.1 %).
pub fn change_direction(ratio: Option<f64>) -> Option<bool> {
    finite(ratio)
        .map(|r| (r * 1000.0).round())
        .filter(|&r| r != 0.0)
        .map(|r| r > 0.0)
}

/// A duration in seconds, to two units at most: `45 s`, `12 min`, `3 h 20 min`, `2 d 4 h` (en);
/// `45秒`, `12分钟`, `3小时20分钟`, `2天4小时` (zh).
pub fn duration(seconds: i64, lang: Lang) -> String {
    const UNITS: [(u64, &str, &str); 4] = [
        (86_400, "天", "d"),
        (3_600, "小时", "h"),
        (60, "分钟", "min"),
        (1, "秒", "s"),
    ];
    let unit_text = |count: u64, (_, zh, en): (u64, &str, &str)| match lang {
        Lang::Zh => format!("{count}{zh}"),
        Lang::En => format!("{count} {en}"),
    };
    let abs = seconds.unsigned_abs();
    let mut parts: Vec<String> = Vec::new();
    // The largest unit that fits, then the next smaller one when it is not zero.
    match UNITS.iter().position(|&(size, _, _)| abs >= size) {
        None => parts.push(unit_text(0, UNITS[3])),
        Some(first) => {
            let size = UNITS[first].0;
            parts.push(unit_text(abs / size, UNITS[first]));
            if let Some(&next) = UNITS.get(first + 1) {
                let count = abs % size / next.0;
                if count > 0 {
                    parts.push(unit_text(count, next));
                }
            }
        }
    }
    let sep = if lang == Lang::Zh { "" } else { " " };
    let body = parts.join(sep);
    if seconds < 0 {
        format!("{MINUS}{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lang_serde_names() {
        assert_eq!(serde_json::to_string(&Lang::Zh).unwrap(), "\"zh-CN\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").unwrap(), Lang::En);
    }

    #[test]
    fn money_full() {
        assert_eq!(money(129_900, "CNY", Lang::Zh), "¥1,299.00");
        assert_eq!(money(129_900, "USD", Lang::En), "$1,299.00");
        assert_eq!(money(-550, "usd", Lang::En), "−$5.50");
        assert_eq!(money(5, "CNY", Lang::Zh), "¥0.05");
        assert_eq!(money(0, "EUR", Lang::En), "€0.00");
        assert_eq!(money(12_345_678_900, "CNY", Lang::Zh), "¥123,456,789.00");
        assert_eq!(money(1_250, "CHF", Lang::En), "CHF 12.50");
        // JPY has no minor unit: 1,234.50 rounds half away from zero.
        assert_eq!(money(123_450, "JPY", Lang::En), "JP¥1,235");
        assert_eq!(
            money(i64::MIN, "USD", Lang::En),
            "−$92,233,720,368,547,758.08"
        );
        assert_eq!(money_f(Some(12_345.6), "CNY", Lang::Zh), "¥123.46");
        assert_eq!(money_f(None, "CNY", Lang::Zh), "—");
        assert_eq!(money_f(Some(f64::NAN), "CNY", Lang::Zh), "—");
    }

    #[test]
    fn money_compact_forms() {
        // 123,000 yuan = 12.3万; in en 123,000 dollars = 123K.
        assert_eq!(money_compact(12_300_000, "CNY", Lang::Zh), "¥12.3万");
        assert_eq!(money_compact(1_230_000, "USD", Lang::En), "$12.3K");
        assert_eq!(money_compact(12_300_000, "USD", Lang::En), "$123K");
        // 1.5 亿 = 150,000,000 yuan.
        assert_eq!(money_compact(15_000_000_000, "CNY", Lang::Zh), "¥1.5亿");
        // 99,999,999 yuan rounds to 10000.0万, which is 1亿.
        assert_eq!(money_compact(9_999_999_900, "CNY", Lang::Zh), "¥1亿");
        // Below one unit: full.
        assert_eq!(money_compact(129_900, "CNY", Lang::Zh), "¥1,299.00");
        assert_eq!(money_compact(99_900, "USD", Lang::En), "$999.00");
        assert_eq!(money_compact(-250_000_000, "USD", Lang::En), "−$2.5M");
        assert_eq!(money_tick(50_000, "CNY", Lang::Zh), "¥500");
        assert_eq!(money_tick(50, "USD", Lang::En), "$0.50");
        assert_eq!(money_tick(300_000, "USD", Lang::En), "$3K");
    }

    #[test]
    fn counts_and_decimals() {
        assert_eq!(int(1_234_567, Lang::En), "1,234,567");
        assert_eq!(int(-56, Lang::Zh), "−56");
        assert_eq!(int(0, Lang::Zh), "0");
        assert_eq!(number_compact(123_456.0, Lang::Zh), "12.3万");
        assert_eq!(number_compact(999.0, Lang::En), "999");
        assert_eq!(number_compact(2.5, Lang::En), "2.5");
        assert_eq!(number_compact(f64::INFINITY, Lang::En), "—");
        assert_eq!(decimal(1234.56, 1), "1,234.6");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(-2.0, 0), "−2");
    }

    #[test]
    fn percents_and_changes() {
        assert_eq!(percent(Some(0.123), Lang::Zh), "12.3%");
        assert_eq!(percent(Some(1.0), Lang::En), "100.0%");
        assert_eq!(percent(None, Lang::En), "—");
        assert_eq!(percent(Some(f64::NAN), Lang::En), "—");
        assert_eq!(change(Some(0.123)), "+12.3%");
        assert_eq!(change(Some(-0.04)), "−4.0%");
        assert_eq!(change(Some(0.0)), "0.0%");
        assert_eq!(change(Some(-0.0001)), "0.0%");
        assert_eq!(change(None), "—");
        assert_eq!(change_direction(Some(0.2)), Some(true));
        assert_eq!(change_direction(Some(-0.2)), Some(false));
        assert_eq!(change_direction(Some(0.0001)), None);
        assert_eq!(change_direction(None), None);
    }

    #[test]
    fn durations() {
        assert_eq!(duration(45, Lang::En), "45 s");
        assert_eq!(duration(45, Lang::Zh), "45秒");
        assert_eq!(duration(12 * 60, Lang::En), "12 min");
        assert_eq!(duration(12 * 60 + 5, Lang::En), "12 min 5 s");
        assert_eq!(duration(3 * 3600 + 20 * 60, Lang::En), "3 h 20 min");
        assert_eq!(duration(3 * 3600 + 20 * 60 + 7, Lang::Zh), "3小时20分钟");
        assert_eq!(duration(2 * 86_400 + 4 * 3600, Lang::Zh), "2天4小时");
        // The second unit is the next smaller one only: 1 d 0 h 5 min → 1 d.
        assert_eq!(duration(86_400 + 300, Lang::En), "1 d");
        assert_eq!(duration(0, Lang::En), "0 s");
        assert_eq!(duration(-90, Lang::En), "−1 min 30 s");
    }

    proptest! {
        /// Full money equals a naive reference built from the integer and fraction parts.
        #[test]
        fn money_matches_naive(cents in -10_000_000_000i64..10_000_000_000) {
            let abs = cents.unsigned_abs();
            let mut whole = (abs / 100).to_string();
            let mut i = whole.len() as i64 - 3;
            while i > 0 {
                whole.insert(i as usize, ',');
                i -= 3;
            }
            let sign = if cents < 0 { "−" } else { "" };
            let expected = format!("{sign}${whole}.{:02}", abs % 100);
            prop_assert_eq!(money(cents, "USD", Lang::En), expected);
        }

        #[test]
        fn formatting_never_shows_nan(x in any::<f64>()) {
            for s in [percent(Some(x), Lang::En), change(Some(x)), number_compact(x, Lang::Zh),
                      decimal(x, 2), money_f(Some(x), "CNY", Lang::Zh)] {
                prop_assert!(!s.contains("NaN") && !s.contains("inf"), "{}", s);
            }
        }
    }
}
