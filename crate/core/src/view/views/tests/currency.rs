//! The currency line: on every money view and in the offline report, in both languages.

use super::{fixture, options};
use crate::report::{analyze_files, AnalyzeOptions, Report};
use crate::view::fmt::Lang;
use crate::view::node::Node;
use crate::view::views::{render, report_html, ViewName};

fn report(names: &[&str], opts: serde_json::Value) -> Report {
    let bytes: Vec<Vec<u8>> = names.iter().map(|n| fixture(n)).collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .copied()
        .zip(bytes.iter().map(Vec::as_slice))
        .collect();
    let opts: AnalyzeOptions = serde_json::from_value(opts).expect("options");
    analyze_files(&files, &opts).expect("report")
}

fn line(node: &Node) -> Option<(String, String)> {
    let e = node.by_testid("currency-line")?;
    let mode = e
        .attrs
        .iter()
        .find(|(n, _)| *n == "data-mode")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    Some((mode, e.text_content()))
}

const BOTH: [&str; 2] = ["shopify_orders.csv", "taobao_orders_gbk.csv"];

#[test]
fn several_currencies_are_named_on_every_view() {
    let r = report(&BOTH, serde_json::json!({}));
    for view in ViewName::ALL {
        let node = render(&r, &options(Lang::En), view);
        let (mode, text) = line(&node).unwrap_or_else(|| panic!("{view:?}: no currency line"));
        assert_eq!(mode, "per_currency");
        assert!(text.contains("in CNY (20 orders)"), "{text}");
        assert!(text.contains("USD: 10 orders"), "{text}");
    }
    let zh = line(&render(&r, &options(Lang::Zh), ViewName::Overview))
        .unwrap()
        .1;
    assert!(zh.contains("订单含 2 种币种"), "{zh}");
}

#[test]
fn the_rates_are_stated_in_the_offline_report_in_both_languages() {
    let r = report(
        &BOTH,
        serde_json::json!({ "currency": "CNY", "rates": { "USD/CNY": 7.1 } }),
    );
    let en = report_html(&r, &options(Lang::En), "");
    // Once per view (overview, funnel, cohorts, customers, products, load report).
    assert_eq!(
        en.matches("USD/CNY = 7.1").count(),
        ViewName::ALL.len(),
        "{en}"
    );
    assert!(en.contains("Amounts converted to CNY at your exchange rates"));
    let zh = report_html(&r, &options(Lang::Zh), "");
    assert!(zh.contains("金额已按您填写的汇率换算为 CNY"));
}

#[test]
fn one_currency_is_named_on_the_overview_only() {
    let r = report(&["shopify_orders.csv"], serde_json::json!({}));
    let overview = render(&r, &options(Lang::En), ViewName::Overview);
    assert_eq!(
        line(&overview).unwrap(),
        ("single".into(), "Amounts in USD.".into())
    );
    assert!(line(&render(&r, &options(Lang::En), ViewName::Products)).is_none());
}

#[test]
fn a_currency_not_stated_shows_no_symbol() {
    // A generic English export with no currency column and bare amounts.
    let csv =
        b"Order ID,Order Date,Customer,Amount\nA1,2025-01-02,c1,12.50\nA2,2025-01-03,c2,7.25\n";
    let r = analyze_files(&[("plain.csv", &csv[..])], &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.currency, "");
    let load = &r.loads[0];
    assert_eq!(load.currency, None);
    assert_eq!(load.currency_basis.as_deref(), Some("not_stated"));
    assert!(load.notes.iter().any(|n| n.code == "currency_not_stated"));
    let overview = render(&r, &options(Lang::En), ViewName::Overview);
    let gmv = overview.by_testid("kpi-gmv").unwrap().text_content();
    assert!(gmv.starts_with("19.75"), "{gmv}");
    let (mode, text) = line(&overview).unwrap();
    assert_eq!(mode, "single");
    assert!(text.starts_with("Currency not stated"), "{text}");
}
