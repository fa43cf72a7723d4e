//! The funnel view's per-item table, its named export buttons and its note in both languages,
//! on reports of the fixture files (and one traffic export written here).

use super::super::tests::{options, report_of};
use super::*;
use crate::analysis::funnel::{FunnelOptions, StepSpec};
use crate::report::{analyze_files, AnalyzeOptions};
use crate::view::fmt::Lang;
use crate::view::node::Node;
use crate::view::views::table_csv;

/// Whether `text` has a run of two or more Latin letters: an English word on the Chinese page.
fn has_english_word(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| word.len() >= 2)
}

fn note_of(view: &Node) -> Option<String> {
    view.by_testid("funnel-note").map(|e| e.text_content())
}

#[test]
fn per_item_funnels_are_a_table_with_every_item_in_the_csv() {
    let report = report_of(&["tianchi_userbehavior.csv"]);
    let f = report.funnel.ready().expect("funnel");
    assert!(!f.items.is_empty(), "the fixture has per-item funnels");
    let opts = ViewOptions {
        max_rows: 1,
        ..options(Lang::En)
    };
    let view = funnel(&report, &opts);
    let table = view
        .find_all(|e| e.get_attr("id") == Some("table-funnel-items"))
        .into_iter()
        .next()
        .expect("the per-item table");
    // Item, one column per step, overall and item conversion; the Tianchi log has no titles.
    let headers: Vec<String> = table
        .find_all(|e| e.tag == "th")
        .iter()
        .map(|th| th.text_content())
        .collect();
    assert_eq!(
        headers,
        [
            "Product",
            "View",
            "Add to cart",
            "Purchase",
            "Overall conversion",
            "Item conversion"
        ]
    );
    // The first item's row: its key and its counts as the report has them.
    let first = &f.items[0];
    let row = view.by_testid("funnel-item-0").expect("first item row");
    let cells: Vec<String> = row
        .find_all(|e| e.tag == "td")
        .iter()
        .map(|td| td.text_content())
        .collect();
    assert_eq!(cells[0], first.item);
    let counts: Vec<String> = first.counts.iter().map(|c| c.to_string()).collect();
    assert_eq!(cells[1..=first.counts.len()], counts[..]);
    assert!(
        view.by_testid("funnel-item-1").is_none(),
        "max_rows cuts the table on screen"
    );
    // The CSV has every item, and the button that downloads it is in the panel.
    let csv = table_csv(&report, &opts, "table-funnel-items").expect("csv");
    assert_eq!(csv.lines().count(), f.items.len() + 1);
    assert!(csv.starts_with("\u{FEFF}Product,View,Add to cart,Purchase,"));
    assert_eq!(
        view.find_all(|e| e.get_attr("data-target") == Some("table-funnel-items"))
            .len(),
        1
    );
    // In Chinese, the same table with Chinese headers.
    let zh = funnel(&report, &options(Lang::Zh));
    assert!(zh
        .find_all(|e| e.tag == "h3")
        .iter()
        .any(|h| h.text_content() == "单品漏斗"));
}

#[test]
fn item_titles_get_a_column_when_the_data_has_them() {
    // 生意参谋 item traffic names its items.
    let report = report_of(&["sycm_items.csv"]);
    let f = report.funnel.ready().expect("funnel from item traffic");
    let titled = f.items.iter().position(|i| i.title.is_some());
    let i = titled.expect("items with titles");
    let view = funnel(&report, &options(Lang::Zh));
    let cells: Vec<String> = view
        .by_testid(&format!("funnel-item-{i}"))
        .expect("row")
        .find_all(|e| e.tag == "td")
        .iter()
        .map(|td| td.text_content())
        .collect();
    assert_eq!(cells[0], f.items[i].item);
    assert_eq!(Some(&cells[1]), f.items[i].title.as_ref());
}

#[test]
fn time_to_convert_buttons_are_named_after_their_step() {
    let report = report_of(&["tianchi_userbehavior.csv"]);
    let view = funnel(&report, &options(Lang::Zh));
    let groups = view.find_all(|e| e.has_class("export-group") && e.has_class("named"));
    let names: Vec<&str> = groups
        .iter()
        .filter_map(|g| g.get_attr("aria-label"))
        .collect();
    assert_eq!(names, ["加购", "购买"], "one named pair per chart");
    for (i, group) in groups.iter().enumerate() {
        let buttons = group.find_all(|e| e.tag == "button");
        let shown: Vec<String> = buttons.iter().map(|b| b.text_content()).collect();
        assert_eq!(shown, ["SVG", "PNG"]);
        for b in &buttons {
            assert_eq!(
                b.get_attr("data-target"),
                Some(format!("chart-ttc-{i}").as_str())
            );
        }
        assert!(group.text_content().starts_with(&format!("{}：", names[i])));
    }
}

#[test]
fn the_traffic_note_is_chinese_on_the_chinese_page() {
    // Shop-level daily traffic: the note says the counts are sums of daily unique counts.
    let shop = report_of(&["sycm_traffic_gbk.csv"]);
    let f = shop.funnel.ready().expect("traffic funnel");
    let english = f.note.clone().expect("a note");
    assert_eq!(note_of(&funnel(&shop, &options(Lang::En))), Some(english));
    let zh = note_of(&funnel(&shop, &options(Lang::Zh))).expect("note");
    assert!(zh.starts_with("按 10 天的每日去重人数相加"), "{zh}");
    assert!(!has_english_word(&zh), "{zh}");

    // Item rows only: one more sentence.
    let items = report_of(&["sycm_items.csv"]);
    let zh = note_of(&funnel(&items, &options(Lang::Zh))).expect("note");
    assert!(zh.contains("报表只有商品明细行"), "{zh}");
    assert!(!has_english_word(&zh), "{zh}");

    // Events with traffic loaded too.
    let both = report_of(&["tianchi_userbehavior.csv", "sycm_traffic_gbk.csv"]);
    assert_eq!(
        note_of(&funnel(&both, &options(Lang::Zh))).as_deref(),
        Some("同时导入了流量报表；漏斗按用户行为日志计算。")
    );
}

#[test]
fn a_step_missing_from_the_traffic_export_is_named_in_chinese() {
    let csv = "统计日期,访客数,支付买家数\n2024-03-01,1832,52\n2024-03-02,1760,47\n";
    let report = analyze_files(
        &[("生意参谋_店铺日报.csv", csv.as_bytes())],
        &AnalyzeOptions::default(),
    )
    .expect("report");
    let f = report.funnel.ready().expect("traffic funnel");
    assert_eq!(f.steps.len(), 2, "visitors and buyers, no cart users");
    let zh = note_of(&funnel(&report, &options(Lang::Zh))).expect("note");
    assert_eq!(
        zh,
        "按 2 天的每日去重人数相加：同一访客在两天来访会计为两人。\
         报表没有“加购人数”列，漏斗不含这一步。"
    );
}

#[test]
fn a_site_vocabulary_shows_each_steps_names_and_every_name() {
    let log = "user_id,event_type,product_id,event_time\n\
               u1,home,,2024-03-01 10:00:00\n\
               u1,product_view,P1,2024-03-01 10:01:00\n\
               u1,add_to_cart,P1,2024-03-01 10:02:00\n\
               u1,purchase,P1,2024-03-01 10:03:00\n\
               u2,home,,2024-03-01 11:00:00\n\
               u2,view_item,P2,2024-03-01 11:01:00\n";
    let opts = AnalyzeOptions {
        funnel: FunnelOptions {
            steps: vec![
                StepSpec::Names(vec!["home".into()]),
                StepSpec::Canonical(crate::model::EventType::View),
                StepSpec::Canonical(crate::model::EventType::Purchase),
            ],
            ..FunnelOptions::default()
        },
        ..AnalyzeOptions::default()
    };
    let report = analyze_files(&[("site.csv", log.as_bytes())], &opts).expect("report");
    let view = funnel(&report, &options(Lang::En));
    let cells = |testid: &str| -> Vec<String> {
        let row = view.by_testid(testid).expect(testid);
        row.find_all(|e| e.tag == "td")
            .iter()
            .map(|td| td.text_content())
            .collect()
    };
    // Steps: a step of names is labelled by them; each step lists the names it counted.
    assert_eq!(cells("funnel-row-0")[0], "home");
    assert_eq!(
        cells("funnel-row-0").last().map(String::as_str),
        Some("home")
    );
    assert_eq!(
        cells("funnel-row-1").last().map(String::as_str),
        Some("product_view, view_item")
    );
    assert_eq!(cells("funnel-row-1")[1], "2");
    assert_eq!(cells("funnel-row-2")[1], "1");
    // Every name: events, users, meaning, step.
    assert_eq!(
        cells("funnel-event-name-0"),
        ["home", "2", "2", "Other", "home"]
    );
    let cart = (0..5)
        .map(|i| cells(&format!("funnel-event-name-{i}")))
        .find(|c| c[0] == "add_to_cart")
        .expect("add_to_cart listed");
    assert_eq!(cart, ["add_to_cart", "1", "1", "Add to cart", "—"]);
}
