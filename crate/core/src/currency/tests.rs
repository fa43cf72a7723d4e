use proptest::prelude::*;

use super::detect::{code_of_value, mark_of_amount, resolve_files};
use super::rates::{convert, lookup, validate, RateSpec, Rates, Ratio};
use crate::ingest::{FileOptions, IngestOptions, LoadReport};
use crate::model::{DatasetKind, Platform};

#[test]
fn marks_in_amounts() {
    for (raw, mark) in [
        ("US$12.00", Some("USD")),
        ("$12.00", Some("$")),
        ("-$1,000.00", Some("$")),
        ("($5.00)", Some("$")),
        ("¥88", Some("¥")),
        ("￥88.00", Some("¥")),
        ("88.00元", Some("CNY")),
        ("RMB 88", Some("CNY")),
        ("12.00 EUR", Some("EUR")),
        ("usd 12", Some("USD")),
        ("€9,99", Some("EUR")),
        ("£3", Some("GBP")),
        ("HK$30", Some("HKD")),
        ("1200円", Some("JPY")),
        ("12.50", None),
        ("", None),
        ("-3", None),
    ] {
        assert_eq!(mark_of_amount(raw), mark, "{raw}");
    }
}

#[test]
fn currency_column_values() {
    assert_eq!(code_of_value("usd").as_deref(), Some("USD"));
    assert_eq!(code_of_value(" CNY ").as_deref(), Some("CNY"));
    assert_eq!(code_of_value("人民币").as_deref(), Some("CNY"));
    assert_eq!(code_of_value("RMB").as_deref(), Some("CNY"));
    assert_eq!(code_of_value("美元").as_deref(), Some("USD"));
    assert_eq!(code_of_value("dollars"), None);
    assert_eq!(code_of_value("12"), None);
}

fn load(
    file: &str,
    kind: DatasetKind,
    platform: Platform,
    seen: &[(&str, &'static str)],
) -> LoadReport {
    let mut r = LoadReport::new(file);
    r.kind = Some(kind);
    r.platform = Some(platform);
    for (value, from) in seen {
        r.count_currency(value, from, 3);
    }
    r
}

fn decided(reports: &[LoadReport]) -> Vec<(Option<&str>, Option<&str>, Vec<&str>)> {
    reports
        .iter()
        .map(|r| {
            (
                r.currency.as_deref(),
                r.currency_basis.as_deref(),
                r.notes.iter().map(|n| n.code.code()).collect(),
            )
        })
        .collect()
}

#[test]
fn each_file_is_decided_by_column_symbol_platform_or_user() {
    use DatasetKind::*;
    use Platform::*;
    let mut reports = vec![
        load("shopify.csv", OrderLines, Shopify, &[("USD", "column")]),
        load("jp.csv", Orders, Shopify, &[("¥", "amount")]),
        load("generic.csv", Orders, Generic, &[("¥", "amount")]),
        load("taobao.csv", Orders, Taobao, &[]),
        load("woo.csv", Orders, Woocommerce, &[]),
        load(
            "mixed.csv",
            Orders,
            Amazon,
            &[("USD", "column"), ("EUR", "column")],
        ),
        load(
            "dollars.csv",
            Orders,
            Generic,
            &[("$", "amount"), ("USD", "amount")],
        ),
        load("log.csv", Events, Tianchi, &[]),
        load("user.csv", Orders, Generic, &[("EUR", "column")]),
    ];
    let mut opts = IngestOptions::default();
    opts.files.insert(
        "user.csv".into(),
        FileOptions {
            currency: Some("gbp".into()),
            ..FileOptions::default()
        },
    );
    resolve_files(&mut reports, &opts);
    assert_eq!(
        decided(&reports),
        vec![
            (Some("USD"), Some("column"), vec![]),
            (
                Some("JPY"),
                Some("symbol"),
                vec!["currency_symbol_ambiguous"]
            ),
            (
                Some("CNY"),
                Some("symbol"),
                vec!["currency_symbol_ambiguous"]
            ),
            (Some("CNY"), Some("platform"), vec![]),
            (None, Some("not_stated"), vec!["currency_not_stated"]),
            (None, Some("mixed"), vec!["currency_mixed"]),
            // `US$` in some rows settles what `$` in the others means: no note.
            (Some("USD"), Some("symbol"), vec![]),
            (None, None, vec![]),
            (Some("GBP"), Some("user"), vec![]),
        ]
    );
}

#[test]
fn a_file_without_orders_takes_the_order_files_one_currency() {
    use DatasetKind::*;
    use Platform::*;
    let mut reports = vec![
        load("a.csv", Orders, Shopify, &[("USD", "column")]),
        load("b.csv", Orders, Amazon, &[("USD", "column")]),
        load("skus.csv", Products, Generic, &[]),
    ];
    resolve_files(&mut reports, &IngestOptions::default());
    assert_eq!(
        decided(&reports)[2],
        (Some("USD"), Some("files"), vec!["currency_from_files"])
    );
    // Order files that disagree leave it unknown.
    reports[1].currency_seen.clear();
    reports[1].count_currency("CNY", "column", 1);
    resolve_files(&mut reports, &IngestOptions::default());
    assert_eq!(
        decided(&reports)[2],
        (None, Some("not_stated"), vec!["currency_not_stated"])
    );
    // An order file of unstated currency next to one stated currency takes it, and says so.
    let mut reports = vec![
        load("a.csv", Orders, Jd, &[]),
        load("b.tsv", Orders, Generic, &[]),
    ];
    resolve_files(&mut reports, &IngestOptions::default());
    assert_eq!(
        decided(&reports)[1],
        (Some("CNY"), Some("files"), vec!["currency_from_files"])
    );
    // A file of several currencies means more than one is possible: the unstated one stays unknown.
    let mut reports = vec![
        load("a.csv", Orders, Shopify, &[("USD", "column")]),
        load(
            "m.csv",
            Orders,
            Amazon,
            &[("USD", "column"), ("EUR", "column")],
        ),
        load("b.csv", Orders, Generic, &[]),
    ];
    resolve_files(&mut reports, &IngestOptions::default());
    assert_eq!(decided(&reports)[2].0, None);
}

fn ratio(r: f64) -> Ratio {
    Ratio::of(r).expect("rate")
}

#[test]
fn rates_are_their_decimal_writing() {
    assert_eq!(ratio(7.1), Ratio { num: 71, den: 10 });
    assert_eq!(
        ratio(0.1408),
        Ratio {
            num: 1408,
            den: 10_000
        }
    );
    assert_eq!(ratio(150.0), Ratio { num: 150, den: 1 });
    assert_eq!(Ratio::of(0.0), None);
    assert_eq!(Ratio::of(-1.0), None);
    assert_eq!(Ratio::of(f64::NAN), None);
}

#[test]
fn conversion_rounds_half_away_from_zero_per_amount() {
    // 40.05 USD × 7.1 = 284.355 CNY → 284.36; the negative the same way.
    assert_eq!(convert(4005, ratio(7.1), 1), 28436);
    assert_eq!(convert(-4005, ratio(7.1), 1), -28436);
    assert_eq!(convert(3564, ratio(7.1), 1), 25304);
    // 100.00 CNY → USD with only USD/CNY 7.1: 100 / 7.1 = 14.0845… → 14.08.
    assert_eq!(convert(10000, ratio(7.1).inverse(), 1), 1408);
    // Into yen (no minor unit): 12.34 USD × 150.5 = 1857.17 → 1857 yen, stored as 185 700.
    assert_eq!(convert(1234, ratio(150.5), 100), 185_700);
    // 0.5 yen rounds away from zero.
    assert_eq!(convert(1, ratio(50.0), 100), 100);
    assert_eq!(convert(0, ratio(7.1), 1), 0);
}

fn naive_convert(amount: i64, num: i128, den: i128) -> i64 {
    // floor division and the remainder, then half away from zero.
    let p = i128::from(amount) * num;
    let q = p.div_euclid(den);
    let rem = p.rem_euclid(den);
    let up = match (2 * rem).cmp(&den) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => p > 0,
        std::cmp::Ordering::Less => false,
    };
    (q + i128::from(up)) as i64
}

proptest! {
    #[test]
    fn conversion_matches_naive_rounding(amount in -10_000_000_000i64..10_000_000_000, num in 1i128..100_000, scale in 0u32..6) {
        let den = 10i128.pow(scale);
        prop_assert_eq!(convert(amount, Ratio { num, den }, 1), naive_convert(amount, num, den));
        prop_assert_eq!(convert(amount, Ratio { num: den, den: num }, 1), naive_convert(amount, den, num));
    }
}

#[test]
fn rates_by_pair_and_month() {
    let mut rates = Rates::new();
    rates.insert("USD/CNY".into(), RateSpec::Fixed(7.1));
    rates.insert(
        "eur / cny".into(),
        RateSpec::Monthly([("2025-01".to_string(), 7.5), ("2025-03".to_string(), 7.8)].into()),
    );
    let (r, key, value) = lookup(&rates, "USD", "CNY", "2025-02", false).unwrap();
    assert_eq!(
        (r, key.pair.as_str(), key.month, value),
        (ratio(7.1), "USD/CNY", None, 7.1)
    );
    let (r, _, _) = lookup(&rates, "CNY", "USD", "2025-02", false).unwrap();
    assert_eq!(r, ratio(7.1).inverse());
    let (r, key, _) = lookup(&rates, "EUR", "CNY", "2025-03", false).unwrap();
    assert_eq!((r, key.month.as_deref()), (ratio(7.8), Some("2025-03")));
    assert!(lookup(&rates, "EUR", "CNY", "2025-02", false).is_err());
    let (_, key, _) = lookup(&rates, "EUR", "CNY", "2025-04", true).unwrap();
    assert_eq!(key.month.as_deref(), Some("2025-03"));
    assert!(lookup(&rates, "GBP", "CNY", "2025-02", false).is_err());
    assert!(validate(&rates).is_ok());
}

#[test]
fn bad_rates_are_refused() {
    let bad = |pair: &str, spec: RateSpec| {
        let mut rates = Rates::new();
        rates.insert(pair.into(), spec);
        validate(&rates).is_err()
    };
    assert!(bad("USDCNY", RateSpec::Fixed(7.1)));
    assert!(bad("USD/USD", RateSpec::Fixed(1.0)));
    assert!(bad("USD/CNY", RateSpec::Fixed(0.0)));
    assert!(bad("USD/CNY", RateSpec::Fixed(-7.0)));
    assert!(bad(
        "USD/CNY",
        RateSpec::Monthly([("2025-13".to_string(), 7.0)].into())
    ));
    assert!(bad(
        "USD/CNY",
        RateSpec::Monthly([("2025-1".to_string(), 7.0)].into())
    ));
    assert!(!bad(
        "USD/CNY",
        RateSpec::Monthly([("2025-01".to_string(), 7.0)].into())
    ));
}
