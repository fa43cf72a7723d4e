//! Views rendered from reports of the fixture files in `tests/fixtures`, with figures checked against
//! `tests/fixtures/expected.json` (written by the fixture generator, not by this engine).

use std::path::Path;

use super::*;
use crate::report::{analyze_files, AnalyzeOptions};
use crate::view::fmt;
use crate::view::html::to_html;
use crate::view::i18n;
use crate::view::node::Element;

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(super) fn report_of(names: &[&str]) -> Report {
    let bytes: Vec<Vec<u8>> = names.iter().map(|n| fixture(n)).collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .copied()
        .zip(bytes.iter().map(Vec::as_slice))
        .collect();
    analyze_files(&files, &AnalyzeOptions::default()).expect("report")
}

pub(super) fn options(lang: Lang) -> ViewOptions {
    ViewOptions {
        lang,
        ..ViewOptions::default()
    }
}

pub(super) fn text_of(node: &Node, testid: &str) -> String {
    node.by_testid(testid)
        .unwrap_or_else(|| panic!("no element with data-testid={testid}"))
        .text_content()
}

/// Text of the visible label of a chart mark group (its `<text>` children, not its `<title>`).
fn label_text(e: &Element) -> String {
    e.find_all(|c| c.tag == "text")
        .iter()
        .map(|t| t.text_content())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn overview_cards_show_the_kpis_of_shopify_orders() {
    // expected.json, shopify_orders.csv: gmv_cents 44862 (Σ Total of the 8 paid orders),
    // paid_orders 8, buyers 6, refunds_cents 5952, units 17.
    let report = report_of(&["shopify_orders.csv"]);
    let view = overview(&report, &options(Lang::En));
    let gmv = view.by_testid("kpi-gmv").expect("GMV card");
    assert_eq!(
        gmv.text_content(),
        fmt::money_compact(44_862, "USD", Lang::En)
    );
    assert_eq!(gmv.text_content(), "$448.62");
    assert_eq!(gmv.get_attr("title"), Some("$448.62"));
    assert_eq!(text_of(&view, "kpi-paid_orders"), "8");
    assert_eq!(text_of(&view, "kpi-buyers"), "6");
    assert_eq!(text_of(&view, "kpi-refunds"), "$59.52");
    assert_eq!(text_of(&view, "kpi-units"), "17");
    // AOV = 44862 / 8 = 5607.75 cents → $56.08; revenue per buyer = 44862 / 6 = 7477 → $74.77.
    assert_eq!(text_of(&view, "kpi-aov"), "$56.08");
    assert_eq!(text_of(&view, "kpi-revenue_per_buyer"), "$74.77");
    assert!(
        view.by_testid("chart-trend-gmv").is_none(),
        "charts are found by id, not test id"
    );
    assert_eq!(
        view.find_all(|e| e.get_attr("id") == Some("chart-trend-gmv"))
            .len(),
        1
    );

    // The same card in Chinese, with the currency guessed from a Chinese platform.
    let taobao = report_of(&["taobao_orders_gbk.csv"]);
    let zh = overview(&taobao, &options(Lang::Zh));
    let expected = taobao.kpi.ready().expect("kpi").total.gmv;
    assert_eq!(
        text_of(&zh, "kpi-gmv"),
        fmt::money_compact(expected, "CNY", Lang::Zh)
    );
    assert!(text_of(&zh, "kpi-gmv").starts_with('¥'));
}

#[test]
fn kpi_change_arrows_follow_the_compare_period() {
    let report = report_of(&["taobao_orders_gbk.csv"]);
    let kpi = report.kpi.ready().expect("kpi");
    let view = overview(&report, &options(Lang::En));
    match &kpi.compare {
        Some(compare) => {
            let line = view.by_testid("kpi-gmv-change").expect("change line");
            assert!(line
                .text_content()
                .contains(&fmt::change(compare.current.change.gmv)));
            let up = fmt::change_direction(compare.current.change.gmv);
            assert_eq!(line.has_class("up"), up == Some(true));
        }
        None => assert!(view.by_testid("kpi-gmv-change").is_none()),
    }
}

#[test]
fn funnel_steps_show_counts_conversion_and_drop_off() {
    // expected.json, tianchi_userbehavior.csv: view → cart → purchase within 7 days = 6, 4, 2.
    let report = report_of(&["tianchi_userbehavior.csv"]);
    let view = funnel(&report, &options(Lang::En));
    assert_eq!(
        label_text(view.by_testid("funnel-step-0").unwrap()),
        "View 6"
    );
    // 4 / 6 = 66.7 %, drop-off 2; 2 / 4 = 50.0 %, drop-off 2.
    assert_eq!(
        label_text(view.by_testid("funnel-step-1").unwrap()),
        "Add to cart 4 From previous step 66.7% · Drop-off 2"
    );
    assert_eq!(
        label_text(view.by_testid("funnel-step-2").unwrap()),
        "Purchase 2 From previous step 50.0% · Drop-off 2"
    );
    let settings = text_of(&view, "funnel-settings");
    assert!(
        settings.contains("Sequential")
            && settings.contains("7 d")
            && settings.contains("Users: 6"),
        "{settings}"
    );
    assert!(view.by_testid("funnel-row-2").is_some());
}

#[test]
fn unavailable_sections_say_which_export_unlocks_them() {
    let orders_only = report_of(&["shopify_orders.csv"]);
    let view = funnel(&orders_only, &options(Lang::Zh));
    let panel = view
        .by_testid("unavailable-funnel")
        .expect("funnel unavailable");
    assert_eq!(panel.get_attr("data-code"), Some("no_events"));
    assert!(panel
        .text_content()
        .contains(i18n::t(Lang::Zh, "unavailable.no_events")));

    let events_only = report_of(&["tianchi_userbehavior.csv"]);
    for (node, section, code) in [
        (
            overview(&events_only, &options(Lang::En)),
            "unavailable-kpi",
            "no_orders",
        ),
        (
            products(&events_only, &options(Lang::En)),
            "unavailable-products",
            "no_order_lines",
        ),
        (
            customers(&events_only, &options(Lang::En)),
            "unavailable-rfm",
            "no_paid_orders",
        ),
    ] {
        let panel = node
            .by_testid(section)
            .unwrap_or_else(|| panic!("{section}"));
        let expected = i18n::by_code(Lang::En, "unavailable", code).unwrap_or("");
        assert!(
            panel.text_content().contains(expected),
            "{section}: {}",
            panel.text_content()
        );
    }

    // Orders without buyer ids: the KPI cards render, buyers say why they are missing.
    let no_buyers = report_of(&["taobao_orders_2026_21col.csv"]);
    let view = overview(&no_buyers, &options(Lang::En));
    assert_eq!(text_of(&view, "kpi-buyers"), "—");
    let panel = view
        .by_testid("unavailable-buyers")
        .expect("buyers explained");
    assert_eq!(panel.get_attr("data-code"), Some("no_customer_ids"));
}

#[test]
fn cohort_cells_and_metric_toggle() {
    let report = report_of(&["taobao_orders_gbk.csv"]);
    let cohorts_report = report.cohorts.ready().expect("cohorts");
    let view = cohorts(&report, &options(Lang::En));
    // Offset 0 is always 100 % retention (size = active(c, 0)).
    let cell = view.by_testid("cohort-cell-0-0").expect("first cell");
    assert_eq!(label_text(cell), "100.0%");
    // Cells after the data's last period are absent, not 0.
    let rows = cohorts_report.cohorts.len();
    let last = rows - 1;
    for (k, cell) in cohorts_report.cohorts[last].cells.iter().enumerate() {
        assert_eq!(
            view.by_testid(&format!("cohort-cell-{last}-{k}")).is_some(),
            cell.is_some()
        );
    }
    let customers_view = cohorts(
        &report,
        &ViewOptions {
            cohort_metric: CohortMetric::Customers,
            ..options(Lang::En)
        },
    );
    let size = cohorts_report.cohorts[0].size;
    assert_eq!(
        label_text(customers_view.by_testid("cohort-cell-0-0").unwrap()),
        size.to_string()
    );
    let pressed = customers_view.find_all(|e| e.get_attr("aria-pressed") == Some("true"));
    assert_eq!(pressed.len(), 1);
    assert_eq!(pressed[0].get_attr("data-value"), Some("customers"));
}

#[test]
fn customers_view_lists_segments_and_the_chosen_segments_customers() {
    let report = report_of(&["shopify_orders.csv"]);
    let rfm = report.rfm.ready().expect("rfm");
    let view = customers(&report, &options(Lang::Zh));
    for s in Segment::ALL {
        let row = view
            .by_testid(&format!("segment-{}", s.code()))
            .expect("segment row");
        assert!(row.text_content().starts_with(s.zh()));
    }
    let lost = rfm
        .customers
        .iter()
        .filter(|c| c.segment == Segment::Lost)
        .count();
    let chosen = customers(
        &report,
        &ViewOptions {
            segment: Some(Segment::Lost),
            ..options(Lang::En)
        },
    );
    let table = chosen
        .find_all(|e| e.get_attr("id") == Some("table-segment-customers"))
        .pop()
        .expect("customer table");
    assert_eq!(table.find_all(|e| e.tag == "tr").len(), lost + 1);
}

#[test]
fn products_rank_sort_filter_and_escape_titles() {
    let report = report_of(&["shopify_orders.csv", "shopify_products.csv"]);
    let p = report.products.ready().expect("products");
    let view = products(&report, &options(Lang::En));
    for row in &p.products {
        assert!(
            view.by_testid(&format!("product-row-{}", row.key))
                .is_some(),
            "{}",
            row.key
        );
    }
    let keys_in_order = |node: &Node| -> Vec<String> {
        node.find_all(|e| {
            e.get_attr("data-testid")
                .is_some_and(|id| id.starts_with("product-row-"))
        })
        .iter()
        .map(|e| e.get_attr("data-testid").unwrap_or("")["product-row-".len()..].to_string())
        .collect()
    };
    let by_units = products(
        &report,
        &ViewOptions {
            sort: Some(SortBy {
                column: "units".into(),
                descending: false,
            }),
            ..options(Lang::En)
        },
    );
    // A naive reference: products sorted by units, ties in revenue-rank order.
    let mut expected: Vec<&crate::analysis::products::ProductRow> = p.products.iter().collect();
    expected.sort_by_key(|r| r.units);
    assert_eq!(
        keys_in_order(&by_units),
        expected.iter().map(|r| r.key.clone()).collect::<Vec<_>>()
    );

    let filtered = products(
        &report,
        &ViewOptions {
            product_filter: Some("MUG".into()),
            ..options(Lang::En)
        },
    );
    let mugs = keys_in_order(&filtered);
    assert!(!mugs.is_empty());
    assert!(mugs.iter().all(|k| k.to_lowercase().contains("mug")
        || p.products.iter().any(|r| &r.key == k
            && r.title
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
                .contains("mug"))));

    let cut = products(
        &report,
        &ViewOptions {
            max_rows: 3,
            ..options(Lang::En)
        },
    );
    assert_eq!(keys_in_order(&cut).len(), 3);
    assert!(!cut.find_all(|e| e.has_class("more-rows")).is_empty());
}

#[test]
fn the_xss_title_stays_text_in_the_html_report() {
    let report = report_of(&["shopify_orders.csv", "shopify_products.csv"]);
    let html = report_html(
        &report,
        &options(Lang::En),
        "body { color: #222 } .a > .b { margin: 0 }",
    );
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img"), "no element from data");
    assert!(
        !html.to_lowercase().contains("<script"),
        "the report has no script"
    );
    // The policy's quotes are escaped in the attribute, as every attribute value is.
    let csp = REPORT_CSP.replace('\'', "&#39;");
    assert!(html.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
    )));
    assert!(html.contains("<style>body { color: #222 } .a > .b { margin: 0 }</style>"));
    // Static: no buttons or controls.
    assert!(!html.contains("<button") && !html.contains("<select"));
    for view in ViewName::ALL {
        assert!(html.contains(&format!("id=\"view-{}\"", view.code())));
    }
    // The figures are in it.
    assert!(html.contains("$448.62"));
}

#[test]
fn load_report_shows_detection_mapping_rejections_and_errors() {
    let report = report_of(&["shopify_orders.csv", "bad/unknown_header.csv"]);
    let view = loads(&report, &options(Lang::En));
    assert_eq!(text_of(&view, "load-0-platform"), "Shopify");
    assert_eq!(text_of(&view, "load-0-rows_read"), "14");
    assert_eq!(text_of(&view, "load-0-rows_used"), "14");
    let error = view.by_testid("load-1-error").expect("error panel");
    assert_eq!(error.get_attr("data-code"), Some("unrecognised_header"));
    // Interactive: kind, platform and column role selects carry the file name.
    let selects = view.find_all(|e| {
        e.tag == "select"
            && e.get_attr("data-file") == Some("shopify_orders.csv")
            && matches!(
                e.get_attr("data-override"),
                Some("kind" | "platform" | "column")
            )
    });
    assert_eq!(selects.len(), 2 + report.loads[0].columns.len());
    let name_role = selects
        .iter()
        .find(|s| s.get_attr("data-header") == Some("Name"))
        .expect("Name column");
    let selected = name_role.find_all(|o| o.get_attr("selected").is_some());
    assert_eq!(selected[0].get_attr("value"), Some("order_id"));

    // A file with rejected rows lists them by reason and downloads them in the engine's format.
    let names: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad"))
            .expect("bad fixtures")
            .filter_map(|e| {
                e.ok()
                    .map(|e| format!("bad/{}", e.file_name().to_string_lossy()))
            })
            .collect();
    let with_rejections = names
        .iter()
        .map(|n| report_of(&[n.as_str()]))
        .find(|r| r.loads[0].rows_rejected > 0);
    let r = with_rejections.expect("a bad fixture with rejected rows");
    let view = loads(&r, &options(Lang::Zh));
    let code = &r.loads[0].rejected[0].code;
    assert!(view.by_testid(&format!("load-0-rejected-{code}")).is_some());
    let csv = table_csv(&r, &options(Lang::Zh), "table-load-0-rejected").expect("a table");
    let examples: usize = r.loads[0].rejected.iter().map(|x| x.examples.len()).sum();
    assert!(csv.starts_with("\u{FEFF}file,line,reason,column,value,message\r\n"));
    assert_eq!(csv.lines().count(), 1 + examples);
}

#[test]
fn no_download_carries_a_live_formula() {
    // Formula payloads in a title, a buyer name and rejected values: every CSV the page offers
    // (the report's tables and the rejected rows) writes them as text.
    let payloads = [
        "=1+2",
        "+SUM(A1:A9)",
        "-2+3",
        "@SUM(A1:A9)",
        "\tcmd",
        "\rcmd",
    ];
    let mut text = String::from(
        "订单编号,买家会员名,宝贝标题,买家实际支付金额,订单状态,订单付款时间,宝贝总数量\n",
    );
    for (i, p) in payloads.iter().enumerate() {
        // A good row with the payload as buyer and title, and a rejected row (bad amount = payload).
        text.push_str(&format!(
            "\"{i}1\",\"{p}\",\"{p}\",10.00,交易成功,2025-03-0{} 10:00:00,1\n",
            i + 1
        ));
        text.push_str(&format!(
            "\"{i}2\",b{i},t{i},\"{p}\",交易成功,2025-03-0{} 10:00:00,1\n",
            i + 1
        ));
    }
    let mut session = crate::ingest::Session::new(Default::default());
    session.push("formulas.csv", text.as_bytes()).expect("push");
    session.end_file("formulas.csv").expect("end");
    let report = crate::report::analyze(&session.finish(), &Default::default()).expect("report");
    assert!(report.loads[0].rows_rejected > 0, "{:?}", report.loads[0]);
    let opts = options(Lang::En);
    let mut ids: Vec<String> = vec!["load-0-rejected".into()];
    for id in ["products", "segments", "customers", "rfm", "products-abc"] {
        ids.push(id.into());
    }
    let mut checked = 0;
    for id in &ids {
        let Some(csv) = table_csv(&report, &opts, id) else {
            continue;
        };
        checked += 1;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
        for record in reader.records() {
            for cell in record.expect("a CSV record").iter() {
                // A number (`-12.50`) is a number; any other text starting so is a formula.
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                        || cell.parse::<f64>().is_ok(),
                    "{id}: live formula {cell:?}"
                );
            }
        }
    }
    assert!(checked >= 2, "only {checked} tables were downloaded");
}

#[test]
fn a_workbook_note_names_its_sheets_in_both_languages() {
    let report = report_of(&["containers/qianniu_orders.xlsx"]);
    let parts: Vec<&str> = report.loads[1..]
        .iter()
        .filter_map(|l| l.file.strip_prefix("containers/qianniu_orders.xlsx#"))
        .collect();
    assert!(!parts.is_empty(), "the workbook loads sheet by sheet");
    for (lang, start, separator) in [
        (Lang::Zh, "此文件包含多个部分", "、"),
        (Lang::En, "This file holds several parts", ", "),
    ] {
        let view = loads(&report, &options(lang));
        let note = view
            .find_all(|e| e.tag == "li" && e.get_attr("data-code") == Some("container"))
            .into_iter()
            .next()
            .expect("container note");
        let text = note.text_content();
        assert!(text.starts_with(start), "{text}");
        assert!(text.ends_with(&parts.join(separator)), "{text}");
        // The engine's own words stay one hover away.
        assert_eq!(
            note.get_attr("title"),
            Some(report.loads[0].notes[0].message.as_str())
        );
    }
}

#[test]
fn panels_with_two_charts_or_tables_name_each_pair_of_buttons() {
    let report = report_of(&["taobao_orders_gbk.csv"]);
    let view = overview(&report, &options(Lang::En));
    let groups = view.find_all(|e| e.has_class("export-group") && e.has_class("named"));
    let shown: Vec<String> = groups.iter().map(|g| g.text_content()).collect();
    assert_eq!(
        shown,
        ["GMV trend:SVGPNG", "Paid orders / Buyers trend:SVGPNG"]
    );
    let first = groups[0].find_all(|e| e.tag == "button");
    assert_eq!(first[0].get_attr("data-target"), Some("chart-trend-gmv"));
    assert_eq!(
        first[0].get_attr("aria-label"),
        Some("Export SVG · GMV trend")
    );
    let zh = overview(&report, &options(Lang::Zh));
    let named = zh.find_all(|e| e.has_class("named"));
    assert_eq!(named[0].get_attr("aria-label"), Some("支付金额趋势"));
    assert!(named[0].text_content().starts_with("支付金额趋势："));

    // A panel with one chart and one table keeps its plain buttons.
    let funnel_view = funnel(
        &report_of(&["tianchi_userbehavior.csv"]),
        &options(Lang::En),
    );
    let steps_buttons: Vec<String> = funnel_view
        .find_all(|e| e.tag == "button" && e.get_attr("data-target") == Some("chart-funnel"))
        .iter()
        .map(|b| b.text_content())
        .collect();
    assert_eq!(steps_buttons, ["Export SVG", "Export PNG"]);

    // The Data view's two downloads of one file: its column mapping and its rejected rows.
    let bad = report_of(&["bad/ragged_rows.csv"]);
    let view = loads(&bad, &options(Lang::Zh));
    let labels: Vec<&str> = view
        .find_all(|e| e.has_class("named"))
        .iter()
        .filter_map(|g| g.get_attr("aria-label"))
        .collect();
    assert_eq!(labels, ["列映射", "未导入的行"]);
}

#[test]
fn table_csv_exports_every_row_with_raw_values() {
    let report = report_of(&["shopify_orders.csv", "shopify_products.csv"]);
    let p = report.products.ready().expect("products");
    let opts = ViewOptions {
        max_rows: 2,
        ..options(Lang::En)
    };
    let csv = table_csv(&report, &opts, "products").expect("products csv");
    assert!(csv.starts_with("\u{FEFF}Rank,Product,Title,"));
    assert_eq!(
        csv.lines().count(),
        p.products.len() + 1,
        "all rows, not max_rows"
    );
    let first = &p.products[0];
    let cents = first.revenue;
    assert!(
        csv.contains(&format!(",{}.{:02},", cents / 100, cents % 100)),
        "raw revenue"
    );
    assert!(table_csv(&report, &opts, "segments").is_some());
    assert!(table_csv(&report, &opts, "no-such-table").is_none());
}

/// SVG attributes holding coordinates.
const GEOMETRY: [&str; 12] = [
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "height", "viewBox", "d",
];

/// Every text node and label of every view, both languages, over every fixture: no raw i18n key,
/// no NaN/inf, and rendering never panics.
#[test]
fn every_fixture_renders_in_both_languages_without_leaks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".tsv") || n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut reports: Vec<Report> = names.iter().map(|n| report_of(&[n.as_str()])).collect();
    reports.push(report_of(
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    for report in &reports {
        for lang in [Lang::Zh, Lang::En] {
            for view in ViewName::ALL {
                let node = render(report, &options(lang), view);
                node.walk(&mut |e: &Element| {
                    for (name, value) in &e.attrs {
                        assert!(
                            !i18n::has(value),
                            "{view:?}: attribute {name}={value} is an i18n key"
                        );
                        assert!(!value.contains("NaN"), "{name}={value}");
                        if GEOMETRY.contains(name) {
                            assert!(!value.contains("inf"), "{name}={value}");
                        }
                    }
                    for child in &e.children {
                        if let Node::Text(text) = child {
                            assert!(!i18n::has(text), "{view:?}: text {text} is an i18n key");
                            assert!(!text.contains("NaN"), "{view:?}: {text}");
                        }
                    }
                });
                // The serialiser accepts every tree.
                assert!(!to_html(&node).is_empty());
            }
        }
    }
}

#[test]
fn view_options_from_json() {
    let opts: ViewOptions = serde_json::from_str(
        r#"{"lang": "en", "segment": "lost", "cohort_metric": "customers",
            "sort": {"column": "units", "descending": true}, "grain": "week"}"#,
    )
    .expect("valid options");
    assert_eq!(opts.lang, Lang::En);
    assert_eq!(opts.segment, Some(Segment::Lost));
    assert_eq!(opts.cohort_metric, CohortMetric::Customers);
    assert_eq!(opts.grain, Some(Grain::Week));
    assert_eq!(opts.max_rows, 200, "missing fields take their defaults");
    assert!(opts.interactive);
    let typo = serde_json::from_str::<ViewOptions>(r#"{"segmnet": "lost"}"#).unwrap_err();
    assert!(typo.to_string().contains("segmnet"), "{typo}");
}

mod currency;
mod mapping;
mod promotion;

#[test]
fn ab_view_reads_the_variant_column_and_the_offline_report_has_no_group_panel() {
    // ab_variant_events.csv: control 18/151, test 39/151 (crate/core/tests/stock_ab.rs).
    let report = report_of(&["ab_variant_events.csv"]);
    for lang in [Lang::Zh, Lang::En] {
        let view = render(&report, &options(lang), ViewName::Ab);
        assert_eq!(
            text_of(&view, "ab-verdict"),
            i18n::t(lang, "ab.verdict.b_better")
        );
        assert!(text_of(&view, "ab-variants").contains("control"));
    }
    // A log without a variant column and no groups chosen: the page asks for groups above its
    // controls; the offline report (no controls) says in one line how to get a readout.
    let report = report_of(&["ab_item_events.csv"]);
    let page = render(&report, &options(Lang::Zh), ViewName::Ab);
    assert!(page.by_testid("unavailable-ab").is_some());
    let offline = ViewOptions {
        interactive: false,
        ..options(Lang::Zh)
    };
    let view = render(&report, &offline, ViewName::Ab);
    assert!(view.by_testid("unavailable-ab").is_none());
    assert_eq!(
        text_of(&view, "ab-offline-note"),
        i18n::t(Lang::Zh, "ab.note.offline_no_groups")
    );
}
