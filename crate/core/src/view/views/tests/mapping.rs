//! The Data view's mapping editor and the page's banner: an unrecognised file still gets the kind
//! chooser and a role per column, doubtful roles ask to be confirmed (confident ones never do),
//! status meanings and the amounts' grain can be changed, a remembered mapping can be forgotten,
//! and a file that gave the views nothing is named once with its one real cause.

use super::*;
use crate::codes::UnavailableCode;
use crate::ingest::report::StatusValue;
use crate::report::Section;
use crate::schema::field::Field;
use crate::schema::recognize::{Grain, RoleSource};

/// A header that matches no export, and rows a hand mapping makes usable (GMV 12.50 + 30.00 +
/// 7.25 = 49.75, three buyers… two: `a` buys twice).
const UNKNOWN: &str = "foo,bar,baz,qux\n\
    A1,2025-03-01 10:00:00,12.50,a\n\
    A2,2025-03-02 11:30:00,30.00,b\n\
    A3,2025-03-05 09:15:00,7.25,a\n";

fn analyze(files: &[(&str, &str)], options: serde_json::Value) -> Report {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let opts: AnalyzeOptions = serde_json::from_value(options).expect("options");
    analyze_files(&files, &opts).expect("report")
}

fn selected(select: &Element) -> Option<String> {
    select
        .find_all(|o| o.tag == "option" && o.get_attr("selected").is_some())
        .first()
        .and_then(|o| o.get_attr("value"))
        .map(str::to_string)
}

fn select_of<'a>(view: &'a Node, what: &str, header: Option<&str>) -> Option<&'a Element> {
    view.find_all(|e| {
        e.tag == "select"
            && e.get_attr("data-override") == Some(what)
            && (header.is_none() || e.get_attr("data-header") == header)
    })
    .first()
    .copied()
}

#[test]
fn an_unrecognised_file_gets_the_kind_chooser_and_a_role_per_column() {
    let report = analyze(&[("unknown.csv", UNKNOWN)], serde_json::json!({}));
    assert_eq!(
        report.loads[0].error.as_ref().map(|e| e.code().code()),
        Some("unrecognised_header")
    );
    // The engine keeps the header's columns, without roles, for the mapping editor.
    let headers: Vec<&str> = report.loads[0]
        .columns
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(headers, ["foo", "bar", "baz", "qux"]);
    for lang in [Lang::En, Lang::Zh] {
        let view = loads(&report, &options(lang));
        let kind = select_of(&view, "kind", None).expect("a kind chooser");
        assert_eq!(kind.get_attr("data-file"), Some("unknown.csv"));
        assert_eq!(selected(kind).as_deref(), Some(""), "starts on “choose”");
        assert!(kind
            .find_all(|o| o.tag == "option")
            .iter()
            .any(|o| o.get_attr("value") == Some("orders")));
        for header in ["foo", "bar", "baz", "qux"] {
            let role = select_of(&view, "column", Some(header)).expect(header);
            assert_eq!(
                selected(role).as_deref(),
                Some(""),
                "{header}: not used yet"
            );
        }
        // The mapping is open and the error still says what happened.
        let details = view
            .find_all(|e| e.tag == "details")
            .first()
            .copied()
            .expect("mapping");
        assert!(details.get_attr("open").is_some());
        assert!(view.by_testid("load-0-error").is_some());
    }
}

#[test]
fn mapping_an_unrecognised_file_by_hand_yields_figures() {
    let report = analyze(
        &[("unknown.csv", UNKNOWN)],
        serde_json::json!({"ingest": {"files": {"unknown.csv": {
            "kind": "orders",
            "columns": {"foo": "order_id", "bar": "created_time", "baz": "paid_amount", "qux": "customer_id"}
        }}}}),
    );
    assert!(
        report.loads[0].error.is_none(),
        "{:?}",
        report.loads[0].error
    );
    assert_eq!(report.loads[0].rows_used, 3);
    let Section::Ready { data } = &report.kpi else {
        panic!("KPIs from a hand mapping")
    };
    assert_eq!(data.total.gmv, 4975);
    assert!(blockers(&report).is_empty());
    let view = overview(&report, &options(Lang::En));
    assert_eq!(text_of(&view, "kpi-paid_orders"), "3");
}

#[test]
fn a_doubtful_role_shows_its_evidence_and_a_confirm_button_and_a_confident_one_never_asks() {
    let mut report = report_of(&["shopify_orders.csv"]);
    let ts = report.loads[0]
        .columns
        .iter()
        .position(|c| c.header == "Created at")
        .expect("a created time");
    let header = report.loads[0].columns[ts].header.clone();
    {
        let c = &mut report.loads[0].columns[ts];
        c.doubtful = true;
        c.source = RoleSource::Values;
        c.confidence = 0.6;
        c.evidence = "98 % of 2,000 values parse as timestamps".into();
    }
    let view = loads(&report, &options(Lang::En));
    let buttons =
        view.find_all(|e| e.tag == "button" && e.get_attr("data-confirm") == Some("column"));
    // One in the summary sentence, one in the column's row: both confirm the same role.
    assert_eq!(buttons.len(), 2);
    for b in &buttons {
        assert_eq!(b.get_attr("data-header"), Some(header.as_str()));
        assert_eq!(b.get_attr("data-value"), Some("created_time"));
        assert_eq!(b.get_attr("data-file"), Some("shopify_orders.csv"));
    }
    let summary = text_of(&view, "load-0-doubtful");
    assert!(summary.contains(&format!("“{header}”")), "{summary}");
    assert!(summary.contains("Created time"), "{summary}");
    assert!(summary.contains("98 % of 2,000 values"), "{summary}");
    let rows = view.find_all(|e| e.tag == "tr" && e.has_class("doubtful"));
    assert_eq!(rows.len(), 1, "only the doubtful row is highlighted");
    assert!(rows[0]
        .text_content()
        .contains("values parse as timestamps"));
    // The source is named in the page's language.
    assert!(rows[0].text_content().contains("column values"));
    let zh = loads(&report, &options(Lang::Zh));
    assert!(text_of(&zh, "load-0-doubtful").contains("下单时间"));

    // Nothing doubtful: no summary and no confirm button.
    let confident = report_of(&["shopify_orders.csv"]);
    let view = loads(&confident, &options(Lang::En));
    assert!(view.by_testid("load-0-doubtful").is_none());
    assert!(view
        .find_all(|e| e.get_attr("data-confirm").is_some())
        .is_empty());

    // Several guesses: one sentence naming them, one button for all.
    let mut two = report.clone();
    two.loads[0].columns[0].doubtful = true;
    let view = loads(&two, &options(Lang::En));
    let summary = view.by_testid("load-0-doubtful").expect("summary");
    assert!(summary
        .text_content()
        .starts_with("2 column roles are guesses"));
    assert_eq!(
        summary
            .find_all(|e| e.get_attr("data-confirm") == Some("all"))
            .len(),
        1
    );
}

#[test]
fn status_meanings_and_the_amount_grain_can_be_changed() {
    let mut report = report_of(&["shopify_orders.csv"]);
    report.loads[0].status_values = vec![
        StatusValue {
            value: "paid".into(),
            rows: 10,
            meaning: "paid".into(),
        },
        StatusValue {
            value: "voided-ish".into(),
            rows: 4,
            meaning: "unknown".into(),
        },
    ];
    report.loads[0].decisions.amount_grain = Some(Grain::Order);
    let view = loads(&report, &options(Lang::En));
    let statuses =
        view.find_all(|e| e.tag == "select" && e.get_attr("data-override") == Some("status"));
    assert_eq!(statuses.len(), 2);
    assert_eq!(statuses[1].get_attr("data-value"), Some("voided-ish"));
    assert_eq!(selected(statuses[1]).as_deref(), Some("unknown"));
    let table = view.by_testid("load-0-statuses").expect("statuses");
    let unknown = table.find_all(|e| e.tag == "tr" && e.has_class("doubtful"));
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].text_content().contains("voided-ish"));
    let grain = select_of(&view, "amount_grain", None).expect("grain");
    assert_eq!(selected(grain).as_deref(), Some("order"));
    // The static report shows the meanings as text.
    let static_view = loads(
        &report,
        &ViewOptions {
            interactive: false,
            ..options(Lang::Zh)
        },
    );
    assert!(text_of(&static_view, "load-0-statuses").contains("未知"));
}

#[test]
fn a_remembered_mapping_says_so_and_can_be_forgotten() {
    let report = report_of(&["shopify_orders.csv"]);
    let mut opts = options(Lang::En);
    let view = loads(&report, &opts);
    assert!(view.by_testid("saved-mapping-shopify_orders.csv").is_none());
    let save = view.find_all(|e| e.get_attr("data-mapping-action") == Some("save"));
    assert_eq!(save.len(), 1, "every mapped file can be downloaded");
    opts.saved_mappings
        .insert("shopify_orders.csv".into(), SavedMapping::Applied);
    let view = loads(&report, &opts);
    let notice = view
        .by_testid("saved-mapping-shopify_orders.csv")
        .expect("notice");
    assert!(notice.text_content().contains("saved mapping was applied"));
    let forget = notice.find_all(|e| e.get_attr("data-mapping-action") == Some("forget"));
    assert_eq!(forget[0].get_attr("data-file"), Some("shopify_orders.csv"));
    let opts: ViewOptions =
        serde_json::from_str(r#"{"saved_mappings": {"a.csv": "remembered"}}"#).expect("json");
    assert_eq!(opts.saved_mappings["a.csv"], SavedMapping::Remembered);
}

/// An order export whose only time column is ignored: every (paid) row lacks its order time.
const NO_TIME: &str = "订单编号,买家会员名,买家实际支付金额,订单付款时间\n\
    1001,alice,10.00,2025-03-01 10:00:00\n\
    1002,bob,20.00,2025-03-02 10:00:00\n";

#[test]
fn a_missing_required_role_is_the_one_cause_and_the_views_defer_to_it() {
    let report = analyze(
        &[("orders.csv", NO_TIME)],
        serde_json::json!({"ingest": {"files": {"orders.csv": {"columns": {"订单付款时间": null}}}}}),
    );
    assert_eq!(report.loads[0].rows_used, 0, "{:?}", report.loads[0]);
    let found = blockers(&report);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].cause,
        Cause::MissingRole {
            field: Field::CreatedTime
        }
    );
    let shown = banner(&report, &options(Lang::En)).expect("banner");
    let line = shown.by_testid("blocker-0").expect("line");
    assert_eq!(line.get_attr("data-code"), Some("missing_role"));
    let text = line.text_content();
    assert!(
        text.contains("orders.csv") && text.contains("no column was read as the Created time"),
        "{text}"
    );
    let action = shown.by_testid("blocker-0-action").expect("action");
    assert_eq!(action.get_attr("data-open-mapping"), Some("0"));
    assert_eq!(action.get_attr("data-focus"), Some("columns"));
    let zh = banner(&report, &options(Lang::Zh)).expect("banner");
    assert!(zh.text_content().contains("下单时间"));

    // The views point to the banner instead of guessing.
    for view in [ViewName::Overview, ViewName::Customers, ViewName::Cohorts] {
        let node = render(&report, &options(Lang::En), view);
        let deferred = node.find_all(|e| e.has_class("unavailable"));
        assert!(!deferred.is_empty(), "{view:?}");
        for panel in deferred {
            assert!(panel.has_class("deferred"), "{view:?}");
            assert!(panel.text_content().contains("top of the page"));
        }
    }
    let overview_node = render(&report, &options(Lang::En), ViewName::Overview);
    assert!(
        overview_node
            .find_all(|e| e.has_class("alerts-panel"))
            .is_empty(),
        "no “no anomalies” for data that could not be read"
    );
    // The static report has the banner once, above the views, without a button.
    let html = report_html(&report, &options(Lang::En), "");
    assert_eq!(html.matches("blocker-banner").count(), 1);
    assert!(!html.contains("data-open-mapping"));
}

#[test]
fn all_rows_rejected_for_one_reason_names_it_with_an_example() {
    let bad_times = "订单编号,买家会员名,买家实际支付金额,订单付款时间\n\
        1001,alice,10.00,not a time\n\
        1002,bob,20.00,soon\n";
    let report = analyze(&[("orders.csv", bad_times)], serde_json::json!({}));
    assert_eq!(report.loads[0].rows_used, 0, "{:?}", report.loads[0]);
    let found = blockers(&report);
    assert_eq!(found[0].cause.code(), "all_rows_rejected");
    let text = banner(&report, &options(Lang::En))
        .expect("banner")
        .text_content();
    assert!(text.contains("none of its 2 rows could be used"), "{text}");
    assert!(text.contains("Time not readable"), "{text}");
    assert!(text.contains("“not a time”"), "{text}");
}

#[test]
fn an_unrecognised_file_is_named_in_the_banner_and_a_healthy_report_has_none() {
    let report = analyze(&[("unknown.csv", UNKNOWN)], serde_json::json!({}));
    let found = blockers(&report);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].cause, Cause::Unrecognised);
    let banner_node = banner(&report, &options(Lang::En)).expect("banner");
    assert_eq!(
        banner_node
            .by_testid("blocker-0-action")
            .and_then(|b| b.get_attr("data-focus")),
        Some("kind")
    );
    assert!(banner(&report_of(&["shopify_orders.csv"]), &options(Lang::En)).is_none());
    // A read error with nothing to map (an empty file) is not a mapping problem.
    assert!(blockers(&report_of(&["bad/empty.csv"])).is_empty());
}

#[test]
fn unknown_statuses_are_the_cause_when_no_order_is_paid() {
    let mut report = report_of(&["shopify_orders.csv"]);
    report.kpi = Section::Unavailable {
        reason: crate::analysis::Unavailable::new(UnavailableCode::NoPaidOrders, "None is paid."),
    };
    report.loads[0].status_values = vec![StatusValue {
        value: "settled".into(),
        rows: 14,
        meaning: "unknown".into(),
    }];
    let found = blockers(&report);
    assert_eq!(
        found[0].cause,
        Cause::UnknownStatuses {
            values: vec!["settled"]
        }
    );
    let text = banner(&report, &options(Lang::En))
        .expect("banner")
        .text_content();
    assert!(text.contains("“settled”"), "{text}");
}

/// Cryptic headers: `amt` is read as the paid amount from its words and values, a guess.
const CRYPTIC: &str = "order,ts,amt,who\n\
    A1,2025-03-01 10:00:00,12.50,a@x.com\n\
    A2,2025-03-02 11:30:00,30.00,b@x.com\n";

#[test]
fn the_engines_own_guess_asks_to_be_confirmed_and_an_override_does_not() {
    let report = analyze(&[("cryptic.csv", CRYPTIC)], serde_json::json!({}));
    let guesses: Vec<&str> = report.loads[0]
        .columns
        .iter()
        .filter(|c| c.doubtful)
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(guesses, ["amt"], "{:?}", report.loads[0].columns);
    let view = loads(&report, &options(Lang::En));
    let summary = text_of(&view, "load-0-doubtful");
    assert!(
        summary.contains("“amt” looks like the Paid amount"),
        "{summary}"
    );
    assert!(
        summary.contains(&report.loads[0].columns[2].evidence),
        "{summary}"
    );

    // Confirmed: the same role as an override, which is not doubtful.
    let confirmed = analyze(
        &[("cryptic.csv", CRYPTIC)],
        serde_json::json!({"ingest": {"files": {"cryptic.csv": {"columns": {"amt": "paid_amount"}}}}}),
    );
    let amt = &confirmed.loads[0].columns[2];
    assert_eq!(
        (amt.field, amt.source, amt.doubtful),
        (Some(Field::PaidAmount), RoleSource::Override, false)
    );
    let view = loads(&confirmed, &options(Lang::En));
    assert!(view.by_testid("load-0-doubtful").is_none());
    assert!(view
        .find_all(|e| e.get_attr("data-confirm").is_some())
        .is_empty());
}
