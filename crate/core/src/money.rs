//! How to write amounts. Amounts are stored as hundredths of the unit (amount × 100) whatever the
//! currency; which currency each file is in is decided in `crate::currency`.

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

/// `¥12,345.67` / `-$1,000.00` / `JP¥1,235`: cents with thousands separators, the currency's
/// symbol (none for `""`, a currency not stated) and its minor-unit digits.
pub fn format_cents(cents: f64, currency: &str) -> String {
    let (symbol, digits) = currency_style(currency);
    let sign = if cents < 0.0 { "-" } else { "" };
    let fixed = format!("{:.*}", digits as usize, cents.abs() / 100.0);
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let point = if fraction.is_empty() { "" } else { "." };
    format!("{sign}{symbol}{grouped}{point}{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_defaults() {
        assert_eq!(format_cents(123_456_789.0, "CNY"), "¥1,234,567.89");
        assert_eq!(format_cents(-100_000.0, "USD"), "-$1,000.00");
        assert_eq!(format_cents(123_460.0, "JPY"), "JP¥1,235");
        assert_eq!(format_cents(1_250.0, ""), "12.50");
    }
}
