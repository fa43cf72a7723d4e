use super::*;
use proptest::prelude::*;

#[test]
fn money_formats() {
    let cases: &[(&str, i64)] = &[
        ("1299.00", 129_900),
        ("1299", 129_900),
        ("¥1,299.00", 129_900),
        ("￥1，299.00", 129_900),
        ("1299元", 129_900),
        ("1,299.00元", 129_900),
        ("¥ 1,299.00", 129_900),
        ("1 299.00", 129_900),
        ("1\u{a0}299.00", 129_900),
        ("12,345,678.90", 1_234_567_890),
        ("$12.50", 1_250),
        ("US$12.50", 1_250),
        ("USD 12.50", 1_250),
        ("12.50 USD", 1_250),
        ("usd12.5", 1_250),
        ("RMB 88", 8_800),
        ("CNY88.8", 8_880),
        ("€9.99", 999),
        ("9.99€", 999),
        ("£3", 300),
        ("-12.50", -1_250),
        ("+12.50", 1_250),
        ("−12.50", -1_250),
        ("-¥12.50", -1_250),
        ("¥-12.50", -1_250),
        ("- 12.50", -1_250),
        ("(12.50)", -1_250),
        ("（12.50）", -1_250),
        ("($12.50)", -1_250),
        ("$(12.50)", -1_250),
        ("(12.50)元", -1_250),
        ("(12.50元)", -1_250),
        ("¥12.50元", 1_250),
        ("￥1.5万元", 1_500_000),
        // 1.5 × 10^4 yuan = 15000.00 yuan = 1,500,000 cents.
        ("1.5万", 1_500_000),
        ("1.5万元", 1_500_000),
        ("1.5 万", 1_500_000),
        // 1.23456 × 10^4 = 12345.6 yuan: the multiplier applies before rounding.
        ("1.23456万", 1_234_560),
        // 2 × 10^8 yuan = 2 × 10^10 cents.
        ("2亿", 20_000_000_000),
        // The f64 trap: 0.29 * 100.0 == 28.999999999999996.
        ("0.29", 29),
        ("1.13", 113),
        ("4.35", 435),
        // Half away from zero at the third decimal; later digits never matter.
        ("1,299.005", 129_901),
        ("-1,299.005", -129_901),
        ("0.004", 0),
        ("0.005", 1),
        ("0.0049999", 0),
        ("19.999", 2_000),
        ("2.675", 268), // f64 would round 2.675 (= 2.67499999…) down
        ("0.1234567890123456789012345", 12),
        (".5", 50),
        ("12.", 1_200),
        ("0", 0),
        ("0.00", 0),
        ("-0.00", 0),
        ("00012.30", 1_230),
        ("=\"12.30\"", 1_230),
        (" 12.30 ", 1_230),
        ("'12.30", 1_230),
        ("\t¥12.30\t", 1_230),
        // The range limit, inclusive: 10^11 yuan = 10^13 cents.
        ("100000000000.00", MAX_MONEY_CENTS),
        ("-100,000,000,000", -MAX_MONEY_CENTS),
        ("1000亿", MAX_MONEY_CENTS),
    ];
    for &(raw, cents) in cases {
        assert_eq!(parse_money(raw), Ok(Some(cents)), "parse_money({raw:?})");
    }
}

#[test]
fn money_missing_and_errors() {
    for raw in [
        "", "  ", "-", "--", "—", "null", "NaN", "无", "=\"\"", "N/A",
    ] {
        assert_eq!(parse_money(raw), Ok(None), "parse_money({raw:?})");
    }
    let invalid = [
        "abc",
        "12.3.4",
        "12,50",
        "1.299,00",
        "1,2345",
        "1,23",
        ",123",
        "123,",
        "1,,299",
        "12..5",
        "12 .5",
        "12.50-",
        "--12",
        "+-12",
        "(-12.50)",
        "-(12.50)",
        "(12.50",
        "12.50)",
        "¥",
        "¥¥12",
        "$",
        "万",
        "1e3",
        "1.2E+03",
        "12%",
        "3件",
        "0x1F",
        "١٢",
        "１２",
        "12 34",
        "1.5万万",
    ];
    for raw in invalid {
        assert_eq!(
            parse_money(raw),
            Err(ValueError::InvalidMoney),
            "parse_money({raw:?})"
        );
    }
    for raw in [
        "100000000000.01",
        "-100000000000.01",
        "1001亿",
        "99999999999999999999999999999999999999999999",
    ] {
        assert_eq!(
            parse_money(raw),
            Err(ValueError::OutOfRange),
            "parse_money({raw:?})"
        );
    }
}

#[test]
fn counts() {
    let cases: &[(&str, i64)] = &[
        ("3", 3),
        ("1,024", 1_024),
        ("1，024", 1_024),
        ("3.0", 3),
        ("3.00", 3),
        ("3件", 3),
        ("3 件", 3),
        ("3 pcs", 3),
        ("3PCS", 3),
        ("2 items", 2),
        ("1.2万", 12_000),
        ("0.5万", 5_000),
        ("-2", -2),
        ("=\"5\"", 5),
        ("0", 0),
        ("9223372036854775807", i64::MAX),
    ];
    for &(raw, n) in cases {
        assert_eq!(parse_count(raw), Ok(Some(n)), "parse_count({raw:?})");
    }
    for raw in ["", "-", "--", "nan"] {
        assert_eq!(parse_count(raw), Ok(None), "parse_count({raw:?})");
    }
    for raw in [
        "2.5",
        "0.1",
        "1.23456万",
        "abc",
        "3.0.0",
        "¥3",
        "3%",
        "3 boxes",
        "1e3",
        "3,0",
    ] {
        assert_eq!(
            parse_count(raw),
            Err(ValueError::InvalidNumber),
            "parse_count({raw:?})"
        );
    }
    for raw in [
        "9223372036854775808",
        "99999999999999999999999999999999999999999",
    ] {
        assert_eq!(
            parse_count(raw),
            Err(ValueError::OutOfRange),
            "parse_count({raw:?})"
        );
    }
}

#[test]
fn numbers() {
    let cases: &[(&str, f64)] = &[
        ("3.5", 3.5),
        ("1,234.5", 1234.5),
        ("1.2万", 12_000.0),
        ("-0.75", -0.75),
        ("+2", 2.0),
        ("1.5e-3", 0.0015),
        ("2E3", 2000.0),
        ("3.2e-05", 3.2e-5),
        (".25", 0.25),
        ("0", 0.0),
        ("0.1", 0.1),
    ];
    for &(raw, want) in cases {
        assert_eq!(parse_number(raw), Ok(Some(want)), "parse_number({raw:?})");
    }
    // Long digit strings are rounded once, like std's parser.
    let long = "123456789012345678901234567890.123456789012345678901234567890";
    assert_eq!(parse_number(long), Ok(Some(long.parse::<f64>().unwrap())));
    assert_eq!(parse_number("--"), Ok(None));
    for raw in [
        "3.21%", "abc", "1.2.3", "e5", "1e", "1e+", "1e12345", "¥3", "3件",
    ] {
        assert_eq!(
            parse_number(raw),
            Err(ValueError::InvalidNumber),
            "parse_number({raw:?})"
        );
    }
    assert_eq!(parse_number("1e400"), Err(ValueError::OutOfRange));
    assert_eq!(parse_number("1e-400"), Ok(Some(0.0)));
}

#[test]
fn percents() {
    let cases: &[(&str, f64)] = &[
        ("3.21%", 0.0321),
        ("3.21 %", 0.0321),
        ("3.21％", 0.0321),
        ("0.0321", 0.0321),
        ("100%", 1.0),
        ("100.00%", 1.0),
        ("-1.5%", -0.015),
        ("0%", 0.0),
        ("0.00%", 0.0),
        ("5‰", 0.005),
        ("12.5", 12.5), // no sign: kept as written (see the docs)
        ("3.2e-05", 3.2e-5),
        ("1,234.5%", 12.345),
    ];
    for &(raw, want) in cases {
        assert_eq!(parse_percent(raw), Ok(Some(want)), "parse_percent({raw:?})");
    }
    for raw in ["", "-", "--", "null"] {
        assert_eq!(parse_percent(raw), Ok(None), "parse_percent({raw:?})");
    }
    for raw in ["abc%", "%", "3.21%%", "3,21%", "%3.21", "¥3"] {
        assert_eq!(
            parse_percent(raw),
            Err(ValueError::InvalidPercent),
            "parse_percent({raw:?})"
        );
    }
}

/// Naive reference: cents of a non-negative decimal `int.frac` as the exact rational
/// `N / 10^k` (N = all digits, k = fraction length), rounded half up: floor((200·N + 10^k) / (2·10^k)).
fn reference_cents(int_digits: &str, frac_digits: &str) -> u128 {
    let n: u128 = format!("{int_digits}{frac_digits}").parse().unwrap();
    let pow = 10u128.pow(frac_digits.len() as u32);
    (200 * n + pow) / (2 * pow)
}

/// `1234567` with separator `sep` → `1,234,567`.
fn group_thousands(digits: &str, sep: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

const SEPARATORS: [&str; 4] = ["", ",", "，", " "];
const PREFIXES: [&str; 7] = ["", "¥", "￥", "$", "US$", "RMB ", "USD "];
const SUFFIXES: [&str; 4] = ["", "元", " CNY", "€"];

proptest! {
    #[test]
    fn money_round_trips_through_exported_formats(
        cents in -MAX_MONEY_CENTS..=MAX_MONEY_CENTS,
        sep in 0usize..4,
        prefix in 0usize..7,
        suffix in 0usize..4,
        negative_style in 0usize..3,
        extra_zeros in 0usize..3,
    ) {
        let abs = cents.unsigned_abs();
        let int_part = group_thousands(&(abs / 100).to_string(), SEPARATORS[sep]);
        let amount = format!(
            "{}{}{int_part}.{:02}{}{}",
            PREFIXES[prefix],
            if cents < 0 && negative_style == 0 { "-" } else { "" },
            abs % 100,
            "0".repeat(extra_zeros),
            SUFFIXES[suffix],
        );
        let text = match (cents < 0, negative_style) {
            (true, 1) => format!("-{amount}"),
            (true, 2) => format!("({amount})"),
            _ => amount,
        };
        prop_assert_eq!(parse_money(&text), Ok(Some(cents)), "{}", text);
    }

    #[test]
    fn money_rounding_matches_exact_rational_reference(
        int_digits in "[0-9]{1,11}",
        frac_digits in "[0-9]{0,20}",
        negative in any::<bool>(),
        sep in 0usize..4,
    ) {
        let text = format!(
            "{}{}{}{}",
            if negative { "-" } else { "" },
            group_thousands(&int_digits, SEPARATORS[sep]),
            if frac_digits.is_empty() { "" } else { "." },
            frac_digits,
        );
        let want = reference_cents(&int_digits, &frac_digits);
        let got = parse_money(&text);
        if want > MAX_MONEY_CENTS as u128 {
            prop_assert_eq!(got, Err(ValueError::OutOfRange));
        } else {
            let want = want as i64;
            prop_assert_eq!(got, Ok(Some(if negative { -want } else { want })), "{}", text);
        }
    }

    #[test]
    fn counts_and_numbers_agree_with_std_on_plain_decimals(n in -1_000_000_000i64..1_000_000_000, frac in "[0-9]{0,6}") {
        prop_assert_eq!(parse_count(&n.to_string()), Ok(Some(n)));
        prop_assert_eq!(parse_count(&format!("{n}.000")), Ok(Some(n)));
        let text = if frac.is_empty() { n.to_string() } else { format!("{n}.{frac}") };
        let want: f64 = text.parse().unwrap();
        prop_assert_eq!(parse_number(&text), Ok(Some(want)));
        let percent: f64 = format!("{text}e-2").parse().unwrap();
        prop_assert_eq!(parse_percent(&format!("{text}%")), Ok(Some(percent)));
    }

    #[test]
    fn no_input_panics(raw in any::<String>(), near in "[-+(（)）¥$元万亿%,，. 0-9eE件]{0,20}") {
        for s in [raw.as_str(), near.as_str()] {
            let _ = parse_money(s);
            let _ = parse_count(s);
            let _ = parse_number(s);
            let _ = parse_percent(s);
        }
    }
}
