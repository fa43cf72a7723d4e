//! A USD shop (the Shopify fixture) and a CNY shop (the Taobao fixture) loaded together: without
//! rates no figure adds the two (the report is of one currency, equal to that file's own report);
//! with rates the totals are the hand-computed per-order conversions, to the cent.

use std::path::Path;

use serde_json::{json, Value};
use shoplens::report::{analyze_files, AnalyzeOptions, Report};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const USD: &str = "shopify_orders.csv";
const CNY: &str = "taobao_orders_gbk.csv";

fn run(names: &[&str], options: Value) -> Report {
    let files: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), fixture(n))).collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let opts: AnalyzeOptions = serde_json::from_value(options).expect("options");
    analyze_files(&borrowed, &opts).expect("report")
}

/// Every analysed section of a report, as JSON (what must equal the single-file report).
/// `data.products` is left out: it counts the products known from every loaded file (the
/// catalogue, kept whole by the split as by every filter), not the ones sold.
fn sections(r: &Report) -> Value {
    let mut data = serde_json::to_value(&r.data).unwrap();
    data.as_object_mut().unwrap().remove("products");
    json!({
        "kpi": r.kpi, "funnel": r.funnel, "cohorts": r.cohorts, "rfm": r.rfm,
        "products": r.products, "alerts": r.alerts, "data": data,
    })
}

/// Paths where two JSON values differ, with both values (the first 20).
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    if out.len() >= 20 {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                diff(&format!("{path}.{k}"), va, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} ≠ {b}")),
        _ => {}
    }
}

fn gmv(r: &Report) -> i64 {
    r.kpi.ready().expect("kpi").total.gmv
}

#[test]
fn each_file_states_its_currency() {
    let r = run(&[USD, CNY], json!({}));
    let of = |file: &str| {
        let l = r.loads.iter().find(|l| l.file == file).expect("load");
        (l.currency.clone(), l.currency_basis.clone())
    };
    assert_eq!(of(USD), (Some("USD".into()), Some("column".into())));
    assert_eq!(of(CNY), (Some("CNY".into()), Some("platform".into())));
}

#[test]
fn without_rates_the_report_is_of_one_currency_equal_to_its_file_alone() {
    let both = run(&[USD, CNY], json!({}));
    // Taobao has 16 paid orders, Shopify 8: CNY is the default.
    assert_eq!(both.currency, "CNY");
    assert_eq!(
        serde_json::to_value(both.currency_mode).unwrap(),
        json!("per_currency")
    );
    let listed: Vec<(Option<String>, usize, usize, i64, bool)> = both
        .currencies
        .iter()
        .map(|g| (g.code.clone(), g.orders, g.paid_orders, g.gmv, g.shown))
        .collect();
    assert_eq!(
        listed,
        vec![
            (Some("CNY".into()), 20, 16, 209_840, true),
            (Some("USD".into()), 10, 8, 44_862, false),
        ]
    );
    assert!(both.conversion.is_none());
    for (code, file) in [("CNY", CNY), ("USD", USD)] {
        let chosen = run(&[USD, CNY], json!({ "currency": code }));
        let alone = run(&[file], json!({}));
        assert_eq!(chosen.currency, code);
        assert_eq!(alone.currency, code);
        let mut diffs = Vec::new();
        diff("", &sections(&chosen), &sections(&alone), &mut diffs);
        assert!(diffs.is_empty(), "{code}: {diffs:#?}");
    }
    assert_eq!(gmv(&run(&[CNY], json!({}))), 209_840);
    assert_eq!(gmv(&run(&[USD, CNY], json!({ "currency": "USD" }))), 44_862);
}

#[test]
fn a_currency_not_among_the_orders_is_refused_without_rates() {
    let opts: AnalyzeOptions = serde_json::from_value(json!({ "currency": "EUR" })).unwrap();
    let usd = fixture(USD);
    let cny = fixture(CNY);
    let err = analyze_files(&[(USD, &usd[..]), (CNY, &cny[..])], &opts).unwrap_err();
    assert_eq!(err.code(), "invalid_option");
}

/// Shopify's paid orders (Total, cents): #1001 … #1010 without the pending and voided ones.
const SHOPIFY_PAID: [i64; 8] = [3564, 10609, 6809, 4005, 1623, 6386, 8335, 3531];

#[test]
fn with_a_rate_the_totals_are_the_per_order_conversions() {
    // By hand, at 7.1 CNY per USD, each order rounded half away from zero:
    // 25304.4→25304, 75323.9→75324, 48343.9→48344, 28435.5→28436, 11523.3→11523,
    // 45340.6→45341, 59178.5→59179, 25070.1→25070: 318 521 fen (the total rounded once would be
    // 44 862 × 7.1 = 318 520.2 → 318 520).
    let by_hand: i64 = 25304 + 75324 + 48344 + 28436 + 11523 + 45341 + 59179 + 25070;
    assert_eq!(by_hand, 318_521);
    assert_eq!(SHOPIFY_PAID.iter().sum::<i64>(), 44_862);
    let r = run(
        &[USD, CNY],
        json!({ "currency": "CNY", "rates": { "USD/CNY": 7.1 } }),
    );
    assert_eq!(r.currency, "CNY");
    assert_eq!(
        serde_json::to_value(r.currency_mode).unwrap(),
        json!("converted")
    );
    assert_eq!(gmv(&r), 209_840 + by_hand);
    let conversion = r.conversion.as_ref().expect("conversion");
    assert_eq!(conversion.target, "CNY");
    assert_eq!(conversion.rates.len(), 1);
    assert_eq!(conversion.rates[0].pair, "USD/CNY");
    assert_eq!(conversion.rates[0].rate, 7.1);
    assert_eq!(conversion.rates[0].orders, 10);
    // Counts combine.
    let kpi = r.kpi.ready().unwrap();
    assert_eq!(kpi.total.paid_orders, 16 + 8);

    // The same by month; every Shopify order is of March 2024.
    let monthly = run(
        &[USD, CNY],
        json!({ "rates": { "USD/CNY": { "2024-03": 7.1 } }, "currency": "CNY" }),
    );
    assert_eq!(gmv(&monthly), 209_840 + by_hand);
    assert_eq!(
        monthly.conversion.unwrap().rates[0].month.as_deref(),
        Some("2024-03")
    );
    // A month without a rate is an error, not a guess.
    let opts: AnalyzeOptions = serde_json::from_value(
        json!({ "rates": { "USD/CNY": { "2024-04": 7.1 } }, "currency": "CNY" }),
    )
    .unwrap();
    let (usd, cny) = (fixture(USD), fixture(CNY));
    let err = analyze_files(&[(USD, &usd[..]), (CNY, &cny[..])], &opts).unwrap_err();
    assert_eq!(err.code(), "invalid_option");
}

#[test]
fn the_users_currency_replaces_the_files() {
    let r = run(
        &[USD, CNY],
        json!({ "ingest": { "files": { (USD): { "currency": "cny" } } } }),
    );
    assert_eq!(
        serde_json::to_value(r.currency_mode).unwrap(),
        json!("single")
    );
    assert_eq!(r.currency, "CNY");
    let load = r.loads.iter().find(|l| l.file == USD).unwrap();
    assert_eq!(load.currency_basis.as_deref(), Some("user"));
    assert_eq!(gmv(&r), 209_840 + 44_862);
}
