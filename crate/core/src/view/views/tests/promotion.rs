//! The promotion view on the sample shop (www/sample): the proposal is its 618 peak, the KPI table,
//! the waterfall with its sentence, the product lift CSV, the static report without pickers.

use std::path::Path;

use super::super::*;
use super::options;
use crate::report::{analyze_files, AnalyzeOptions, Report};
use crate::view::fmt::Lang;
use crate::view::i18n;
use crate::view::node::Element;

fn sample() -> Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/sample");
    let names = [
        "ExportOrderList202507011030.csv",
        "ExportOrderDetailList202507011030.csv",
        "jushuitan_skus.csv",
        "sycm_shop_daily_2025-01-01_2025-06-30.csv",
    ];
    let bytes: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(dir.join(n)).expect("sample file"))
        .collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .copied()
        .zip(bytes.iter().map(Vec::as_slice))
        .collect();
    analyze_files(&files, &AnalyzeOptions::default()).expect("report")
}

#[test]
fn the_sample_readout_proposes_618_and_draws_the_waterfall() {
    let report = sample();
    let p = report.promotion.ready().expect("promotion ready");
    assert_eq!(p.proposals[0].from, "2025-06-16");
    assert_eq!(p.proposals[0].to, "2025-06-18");
    for (lang, name) in [(Lang::Zh, "618"), (Lang::En, "618")] {
        let node = promotion(&report, &options(lang));
        let windows = node.by_testid("promotion-windows").unwrap().text_content();
        assert!(
            windows.contains("2025-06-16") && windows.contains(name),
            "{windows}"
        );
        let first = node.by_testid("promotion-proposal-0").unwrap();
        let button = first
            .find_all(|e: &Element| e.tag == "button")
            .into_iter()
            .next()
            .expect("a proposal button");
        assert_eq!(button.get_attr("aria-pressed"), Some("true"));
        assert_eq!(button.get_attr("data-value"), Some("2025-06-16/2025-06-18"));
        // Every §2 KPI is a row.
        for metric in [
            "gmv",
            "refunds",
            "buyers",
            "aov",
            "repurchase_rate",
            "conversion_rate",
        ] {
            assert!(node.by_testid(&format!("promotion-kpi-{metric}")).is_some());
        }
        let chart = node
            .find_all(|e: &Element| e.get_attr("id") == Some("chart-promotion-waterfall"))
            .len();
        assert_eq!(chart, 1);
        let steps = node
            .find_all(|e: &Element| e.has_class("waterfall-step"))
            .len();
        assert_eq!(
            steps, 10,
            "two waterfalls (orders and traffic) of 5 columns"
        );
        let sentence = node
            .by_testid("promotion-waterfall-shares")
            .unwrap()
            .text_content();
        assert!(
            sentence.contains(i18n::t(lang, "promo.factor.orders_per_buyer")),
            "{sentence}"
        );
        assert!(sentence.contains('%'));
        // The sentence's shares are the report's, rounded.
        let d = p.decomposition.orders.as_ref().unwrap();
        for f in &d.factors {
            assert!(sentence.contains(&crate::view::fmt::percent(f.share, lang)));
        }
        assert!(node.by_testid("promotion-new-buyers").is_some());
        assert!(node.by_testid("promotion-refunds").is_some());
        assert!(node.by_testid("promotion-custom").is_some());
    }
}

#[test]
fn product_lift_exports_every_product_and_the_static_report_has_no_pickers() {
    let report = sample();
    let p = report.promotion.ready().unwrap();
    let opts = ViewOptions {
        max_rows: 3,
        ..options(Lang::En)
    };
    let csv = table_csv(&report, &opts, "table-promotion-products").expect("csv");
    // The BOM, a header, one line per product (titles hold no newline).
    assert_eq!(csv.lines().count(), 1 + p.products.products.len());
    let kpis = table_csv(&report, &opts, "promotion-kpis").expect("csv");
    assert_eq!(kpis.lines().count(), 1 + 15);
    let html = report_html(
        &report,
        &ViewOptions {
            interactive: false,
            ..options(Lang::Zh)
        },
        "",
    );
    assert!(html.contains("id=\"view-promotion\""));
    assert!(html.contains("活动复盘"));
    assert!(!html.contains("data-analysis=\"promotion_campaign\""));
    assert!(!html.contains("promotion-custom"));
}

#[test]
fn a_readout_without_a_peak_says_how_to_get_one() {
    let report = super::report_of(&["shopify_orders.csv"]);
    let node = promotion(&report, &options(Lang::Zh));
    let panel = node
        .by_testid("unavailable-promotion")
        .expect("unavailable");
    let code = panel.get_attr("data-code").unwrap().to_string();
    assert!(
        ["no_peak", "no_paid_orders"].contains(&code.as_str()),
        "{code}"
    );
    assert!(panel
        .text_content()
        .contains(i18n::by_code(Lang::Zh, "unavailable", &code).unwrap()));
}
