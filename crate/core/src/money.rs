//! Currencies. Amounts are stored as cents (amount × 100) whatever the currency; this module names
//! the currency of a dataset and how to write it.

use crate::model::Platform;

/// Symbol and minor-unit digits of an ISO currency code (a zero-decimal currency is rounded for
/// display). Unknown codes are written as the code itself.
pub fn currency_style(code: &str) -> (&str, u32) {
    match code.to_ascii_uppercase().as_str() {
        "CNY" | "RMB" => ("¥", 2),
        "USD" => ("$", 2),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        "HKD" => ("HK$", 2),
        "TWD" => ("NT$", 2),
        "CAD" => ("CA$", 2),
        "AUD" => ("A$", 2),
        "SGD" => ("S$", 2),
        "INR" => ("₹", 2),
        "JPY" => ("JP¥", 0),
        "KRW" => ("₩", 0),
        "" => ("", 2),
        _ => (code, 2),
    }
}

/// The currency a shop's figures are in when no export names one: CNY for Chinese platforms,
/// USD for the others, CNY for generic files alone.
pub fn default_currency(platforms: impl IntoIterator<Item = Platform>) -> &'static str {
    let mut western = false;
    for p in platforms {
        if p.is_chinese() {
            return "CNY";
        }
        western |= p != Platform::Generic;
    }
    if western {
        "USD"
    } else {
        "CNY"
    }
}

/// `¥12,345.67` / `-$1,000.00`: cents with thousands separators and the currency's symbol.
pub fn format_cents(cents: f64, currency: &str) -> String {
    let (symbol, _) = currency_style(currency);
    let sign = if cents < 0.0 { "-" } else { "" };
    let fixed = format!("{:.2}", cents.abs() / 100.0);
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{symbol}{grouped}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_defaults() {
        assert_eq!(format_cents(123_456_789.0, "CNY"), "¥1,234,567.89");
        assert_eq!(format_cents(-100_000.0, "USD"), "-$1,000.00");
        assert_eq!(default_currency([Platform::Shopify]), "USD");
        assert_eq!(
            default_currency([Platform::Shopify, Platform::Taobao]),
            "CNY"
        );
        assert_eq!(default_currency([Platform::Generic]), "CNY");
    }
}
