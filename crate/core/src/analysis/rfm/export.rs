//! One segment's customers as a CSV file, for operators to download (e.g. a list of 重要挽留客户 to
//! send a coupon to).

use std::fmt::Write;

use super::{RfmReport, Segment};

/// The customers of `segment` as CSV: a UTF-8 byte-order mark (so Excel and WPS on Chinese Windows
/// read the file as UTF-8, not GBK), a header row, then one row per customer in report order, lines
/// ending in CRLF (RFC 4180).
///
/// Columns: `customer, last_order_day, recency_days, frequency, monetary, r_score, f_score, m_score,
/// segment`. `monetary` is written in currency units with two decimals (`1234.50`), not cents;
/// `segment` is the snake_case code. Fields are quoted when they hold a comma, quote or line break.
/// A customer id starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a spreadsheet
/// shows it as text instead of running it as a formula.
pub fn segment_csv(report: &RfmReport, segment: Segment) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str("customer,last_order_day,recency_days,frequency,monetary,r_score,f_score,m_score,segment\r\n");
    for c in report.customers.iter().filter(|c| c.segment == segment) {
        push_field(&mut out, &defuse_formula(&c.customer));
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            ",{},{},{},{},{},{},{},{}\r\n",
            c.last_order_day,
            c.recency_days,
            c.frequency,
            money(c.monetary),
            c.r_score,
            c.f_score,
            c.m_score,
            segment.code()
        );
    }
    out
}

/// Cents as a decimal amount: `123456` → `1234.56`, `-5` → `-0.05`.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn defuse_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_in_currency_units() {
        assert_eq!(money(123456), "1234.56");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(0), "0.00");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(-100), "-1.00");
        assert_eq!(money(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn only_risky_leading_characters_are_defused() {
        assert_eq!(defuse_formula("+8613800000000"), "'+8613800000000");
        assert_eq!(defuse_formula("@me"), "'@me");
        assert_eq!(defuse_formula("tb_123-4"), "tb_123-4");
        let mut out = String::new();
        push_field(&mut out, "a\nb");
        assert_eq!(out, "\"a\nb\"");
    }
}
