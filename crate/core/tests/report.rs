//! The report model is public API: JS receives it as plain objects and hands it back to `render`.
//! It must survive a JSON round trip unchanged, with every section present.

use std::path::Path;

use shoplens::report::{analyze_files, AnalyzeOptions, Report};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name),
    )
    .expect(name)
}

#[test]
fn report_round_trips_through_json() {
    let names = [
        "taobao_orders_gbk.csv",
        "taobao_items_utf8bom.csv",
        "erp_skus.csv",
        "sycm_traffic_gbk.csv",
        "ztc_ads_gb18030.csv",
        "tianchi_userbehavior.csv",
        "bad/unknown_header.csv",
    ];
    let bytes: Vec<Vec<u8>> = names.iter().map(|n| fixture(n)).collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&bytes)
        .map(|(n, b)| (*n, b.as_slice()))
        .collect();
    let report = analyze_files(&files, &AnalyzeOptions::default()).expect("report");
    let json = serde_json::to_value(&report).expect("serialise");
    for section in ["kpi", "funnel", "cohorts", "rfm", "products"] {
        assert_eq!(
            json[section]["status"], "ready",
            "{section}: {}",
            json[section]
        );
    }
    assert_eq!(json["loads"][6]["error"]["code"], "unrecognised_header");
    let back: Report = serde_json::from_value(json.clone()).expect("deserialise");
    assert_eq!(serde_json::to_value(&back).expect("serialise again"), json);
}

#[test]
fn options_reject_unknown_fields() {
    let err =
        serde_json::from_str::<AnalyzeOptions>(r#"{"cohort": {"grian": "week"}}"#).unwrap_err();
    assert!(err.to_string().contains("grian"), "{err}");
    let ok: AnalyzeOptions =
        serde_json::from_str(r#"{"cohort": {"grain": "week"}}"#).expect("valid");
    assert_eq!(
        serde_json::to_value(ok.cohort).expect("json")["grain"],
        "week"
    );
}

#[test]
fn the_report_names_the_currency_of_its_figures() {
    let cases = [
        ("shopify_orders.csv", "USD"),
        ("taobao_orders_gbk.csv", "CNY"),
        ("amazon_all_orders.txt", "USD"),
    ];
    for (name, want) in cases {
        let bytes = fixture(name);
        let report = analyze_files(&[(name, &bytes)], &AnalyzeOptions::default()).expect("report");
        assert_eq!(report.currency, want, "{name}");
    }
}
