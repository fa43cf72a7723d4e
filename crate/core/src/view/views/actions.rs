//! The action list (操作清单, DEFINITIONS §11): the first panel of the Overview. One card per rule
//! that fired, ranked by the money at stake, with its rule, its figures and its list (a table in a
//! `<details>`, exported as CSV: the win-back list is ready for a coupon campaign); then the rules
//! that are locked, each saying which export would unlock it, and those that found nothing.

use super::codes;
use super::{currency, panel, table_block, table_exports, TableData, ViewOptions};
use crate::analysis::actions::{Action, ActionCode, ActionList, ActionReport, Figure, FigureValue};
use crate::analysis::funnel::FunnelStep;
use crate::analysis::rfm::Segment;
use crate::report::Report;
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, t, t_with};
use crate::view::node::{el, Element};
use crate::view::table::{Cell, ColumnDef, Row};

fn title(code: ActionCode, lang: Lang) -> &'static str {
    by_code(lang, "action", code.code()).unwrap_or("")
}

/// Table id of an action's list: `action-restock`, `action-win_back` …
fn table_id(code: ActionCode) -> String {
    format!("action-{}", code.code())
}

/// The action list panel.
pub(super) fn action_panel(report: &Report, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let cur = currency(report, opts);
    let actions: &ActionReport = &report.actions;
    let mut panel = panel(t(lang, "section.actions"), &[], opts)
        .class("actions-panel")
        .testid("actions");
    if actions.actions.is_empty() {
        panel.push(el("p").class("empty").text(t(lang, "action.none")));
    } else {
        panel.push(
            el("ol").class("action-cards").children(
                actions
                    .actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| card(i, a, report, &cur, opts)),
            ),
        );
        if actions.actions.len() > 1 {
            panel.push(el("p").class("hint").text(t(lang, "action.note")));
        }
    }
    if !actions.locked.is_empty() {
        panel.push(
            el("ul")
                .class("actions-locked")
                .children(actions.locked.iter().map(|l| {
                    let unlock = by_code(lang, "action_unlock", l.reason.code.code())
                        .map(str::to_string)
                        .unwrap_or_else(|| super::unavailable_text(&l.reason, lang));
                    el("li")
                        .class("action-locked")
                        .attr("data-code", l.reason.code)
                        .testid(format!("action-locked-{}", l.code.code()))
                        .child(el("span").class("badge").text(t(lang, "action.locked")))
                        .child(el("strong").text(title(l.code, lang)))
                        .child(el("span").class("unlock").text(unlock))
                })),
        );
    }
    if !actions.quiet.is_empty() {
        let names: Vec<&str> = actions.quiet.iter().map(|&c| title(c, lang)).collect();
        panel.push(
            el("p")
                .class("actions-quiet")
                .testid("actions-quiet")
                .text(format!("{} {}", t(lang, "action.quiet"), names.join(" · "))),
        );
    }
    panel
}

fn card(rank: usize, action: &Action, report: &Report, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let code = action.code.code();
    let rule = match lang {
        Lang::Zh => &action.rule_zh,
        Lang::En => &action.rule_en,
    };
    let head = el("div")
        .class("action-head")
        .child(
            el("span")
                .class("action-rank")
                .text(format!("{}", rank + 1)),
        )
        .child(
            el("h4")
                .class("action-title")
                .text(title(action.code, lang)),
        )
        .child(
            el("span")
                .class("action-stake")
                .child(
                    el("span")
                        .class("stake-label")
                        .text(t(lang, "action.stake")),
                )
                .child(
                    el("strong")
                        .testid(format!("action-stake-{code}"))
                        .attr("title", fmt::money(action.stake, cur, lang))
                        .text(fmt::money(action.stake, cur, lang)),
                ),
        );
    let figures = el("ul").class("action-figures").children(
        action
            .figures
            .iter()
            .map(|f| figure(f, cur, lang).attr("data-figure", f.name.clone())),
    );
    let data = list_table(action, report, cur, opts);
    let mut details = el("details")
        .class("action-list")
        .child(el("summary").text(t_with(
            lang,
            "action.show_list",
            &fmt::int(data.rows.len() as i64, lang),
        )));
    if opts.interactive {
        // The CSV button of the list, inside the details so it goes with the table.
        details.push(
            el("div")
                .class("exports")
                .class("action-exports")
                .child(super::export_group(&table_exports(&data.id), lang)),
        );
    }
    details.push(table_block(&data, opts));
    el("li")
        .class("action-card")
        .class(format!("action-{code}"))
        .attr("data-action", code)
        .testid(format!("action-{code}"))
        .child(head)
        .child(el("p").class("action-rule").text(rule.clone()))
        .child(figures)
        .child(details)
}

fn figure(f: &Figure, cur: &str, lang: Lang) -> Element {
    let name = by_code(lang, "action.figure", &f.name).unwrap_or("");
    let value = match &f.value {
        FigureValue::Money(c) => fmt::money_f(Some(*c), cur, lang),
        FigureValue::Ratio(r) => fmt::percent(Some(*r), lang),
        FigureValue::Count(n) if n.fract() == 0.0 => fmt::int(*n as i64, lang),
        FigureValue::Count(n) => fmt::decimal(*n, 1),
        FigureValue::Days(d) => t_with(lang, "action.days", &whole_or_one_decimal(*d)),
        FigureValue::Multiple(m) => format!("{}×", whole_or_one_decimal(*m)),
        FigureValue::Text(s) => step_text(s, lang),
    };
    el("li")
        .child(el("span").class("figure-name").text(name))
        .child(el("span").class("figure-value").text(value))
}

/// `7` for a whole number, else `7.5`.
fn whole_or_one_decimal(x: f64) -> String {
    fmt::decimal(x, if x.fract() == 0.0 { 0 } else { 1 })
}

/// A figure text: `cart → purchase` written with the steps' localised names.
fn step_text(s: &str, lang: Lang) -> String {
    s.split(" → ")
        .map(|part| by_code(lang, "step", part).unwrap_or(part))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn step_name(step: &FunnelStep, lang: Lang) -> String {
    match codes::step(step) {
        Some(key) => t(lang, key).to_string(),
        None => match step {
            FunnelStep::Names(names) => names.join(" / "),
            _ => String::new(),
        },
    }
}

fn segment_name(segment: Segment, lang: Lang) -> &'static str {
    by_code(lang, "segment", segment.code()).unwrap_or(match lang {
        Lang::Zh => segment.zh(),
        Lang::En => segment.en(),
    })
}

/// The tables of the action lists, with all rows (for CSV).
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let cur = currency(report, opts);
    report
        .actions
        .actions
        .iter()
        .map(|a| list_table(a, report, &cur, opts))
        .collect()
}

fn list_table(action: &Action, _report: &Report, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let id = table_id(action.code);
    let opt_money = |c: Option<f64>| Cell::money_f(c, cur, lang);
    let cents = |c: Option<i64>| match c {
        Some(c) => Cell::money(c, cur, lang),
        None => Cell::number(None, 0),
    };
    let opt_int = |n: Option<i64>| match n {
        Some(n) => Cell::int(n, lang),
        None => Cell::number(None, 0),
    };
    match &action.list {
        ActionList::Customers(rows) => TableData {
            id,
            // What a coupon campaign tool takes: who, why, when, how often, how much.
            columns: vec![
                ColumnDef::text("customer", t(lang, "action.col.customer")),
                ColumnDef::text("segment", t(lang, "rfm.segment")),
                ColumnDef::text("last_order_day", t(lang, "action.col.last_order_day")),
                ColumnDef::number("orders", t(lang, "action.col.orders")),
                ColumnDef::number("spend", t(lang, "action.col.spend")),
            ],
            rows: rows
                .iter()
                .map(|c| {
                    Row::new(vec![
                        Cell::text(c.customer.clone()),
                        Cell::text(segment_name(c.segment, lang)),
                        Cell::text(c.last_order_day.clone()),
                        Cell::count(c.orders, lang),
                        Cell::money(c.spend, cur, lang),
                    ])
                })
                .collect(),
        },
        ActionList::Steps(rows) => TableData {
            id,
            columns: vec![
                ColumnDef::text("step", t(lang, "action.col.step")),
                ColumnDef::number("entrants", t(lang, "action.col.entrants")),
                ColumnDef::number("reached", t(lang, "action.col.reached")),
                ColumnDef::number("today_rate", t(lang, "action.col.today_rate")),
                ColumnDef::number("median_rate", t(lang, "action.col.median_rate")),
                ColumnDef::number("history_days", t(lang, "action.col.history_days")),
                ColumnDef::number("drop", t(lang, "action.col.drop")),
            ],
            rows: rows
                .iter()
                .map(|s| {
                    Row::new(vec![
                        Cell::text(format!(
                            "{} → {}",
                            step_name(&s.from, lang),
                            step_name(&s.to, lang)
                        )),
                        Cell::count(s.entrants, lang),
                        Cell::count(s.reached, lang),
                        Cell::percent(s.today_rate, lang),
                        Cell::percent(s.median_rate, lang),
                        Cell::int(s.history_days as i64, lang),
                        Cell::new(
                            s.drop.map_or_else(
                                || fmt::DASH.to_string(),
                                |d| fmt::decimal(d * 100.0, 1),
                            ),
                            crate::view::table::Value::Number(s.drop),
                        ),
                    ])
                    .with_testid(format!("action-step-{}", s.index))
                })
                .collect(),
        },
        ActionList::Products(rows) => {
            let mut columns = vec![
                ColumnDef::text("key", t(lang, "product.key")),
                ColumnDef::text("title", t(lang, "product.title")),
            ];
            let stock_rule = matches!(action.code, ActionCode::Restock | ActionCode::RideRiser);
            if action.code == ActionCode::RideRiser {
                columns.push(ColumnDef::text("quadrant", t(lang, "product.quadrant")));
                columns.push(ColumnDef::number("growth", t(lang, "product.growth")));
            }
            if stock_rule {
                columns.extend([
                    ColumnDef::number("stock", t(lang, "action.col.stock")),
                    ColumnDef::number("daily_demand", t(lang, "action.col.daily_demand")),
                    ColumnDef::number("days_of_cover", t(lang, "action.col.days_of_cover")),
                    ColumnDef::number("days_short", t(lang, "action.col.days_short")),
                    ColumnDef::number("daily_revenue", t(lang, "action.col.daily_revenue")),
                    ColumnDef::number("suggested_order", t(lang, "action.col.suggested_order")),
                ]);
            } else {
                columns.extend([
                    ColumnDef::number("paid_orders", t(lang, "product.paid_orders")),
                    ColumnDef::number("revenue", t(lang, "product.revenue")),
                    ColumnDef::number("refunds", t(lang, "product.refunds")),
                    ColumnDef::number("refund_rate", t(lang, "product.refund_rate")),
                ]);
            }
            columns.push(ColumnDef::number("stake", t(lang, "action.col.stake")));
            let rows = rows
                .iter()
                .map(|p| {
                    let mut cells = vec![
                        Cell::text(p.key.clone()),
                        Cell::text(p.title.clone().unwrap_or_default()),
                    ];
                    if action.code == ActionCode::RideRiser {
                        cells.push(match p.quadrant {
                            Some(q) => {
                                let (key, class, _) = codes::quadrant(q);
                                Cell::text(t(lang, key)).with_class(class)
                            }
                            None => Cell::text(""),
                        });
                        cells.push(Cell::percent(p.growth, lang));
                    }
                    if stock_rule {
                        cells.extend([
                            opt_int(p.stock),
                            Cell::number(p.daily_demand, 2),
                            Cell::number(p.days_of_cover, 1),
                            Cell::number(p.days_short, 1),
                            opt_money(p.daily_revenue),
                            opt_int(p.suggested_order),
                        ]);
                    } else {
                        cells.extend([
                            match p.paid_orders {
                                Some(n) => Cell::count(n, lang),
                                None => Cell::number(None, 0),
                            },
                            cents(p.revenue),
                            cents(p.refunds),
                            Cell::percent(p.refund_rate, lang),
                        ]);
                    }
                    cells.push(Cell::money(p.stake, cur, lang));
                    Row::new(cells).with_testid(format!("action-row-{}", p.key))
                })
                .collect();
            TableData { id, columns, rows }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::report::{analyze_files, AnalyzeOptions};
    use crate::view::views::{overview, render, table_csv, ViewName};

    /// The sample shop of the page (`www/sample`): orders, order details, SKU list, 生意参谋 daily
    /// traffic and the Tianchi behaviour log.
    fn sample_shop() -> Report {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/sample");
        let names = [
            "ExportOrderList202507011030.csv",
            "ExportOrderDetailList202507011030.csv",
            "jushuitan_skus.csv",
            "sycm_shop_daily_2025-01-01_2025-06-30.csv",
            "UserBehavior_sample.csv",
        ];
        let bytes: Vec<Vec<u8>> = names
            .iter()
            .map(|n| std::fs::read(dir.join(n)).unwrap())
            .collect();
        let files: Vec<(&str, &[u8])> = names
            .iter()
            .copied()
            .zip(bytes.iter().map(Vec::as_slice))
            .collect();
        analyze_files(&files, &AnalyzeOptions::default()).unwrap()
    }

    fn opts(lang: Lang) -> ViewOptions {
        ViewOptions {
            lang,
            ..ViewOptions::default()
        }
    }

    #[test]
    fn the_overview_opens_with_the_ranked_action_list() {
        let report = sample_shop();
        assert!(!report.actions.actions.is_empty());
        for lang in [Lang::Zh, Lang::En] {
            let view = overview(&report, &opts(lang));
            let section = view.as_element().unwrap();
            // The view's title, then the action list: the first panel.
            let first_panel = section
                .children
                .get(1)
                .and_then(|n| n.as_element())
                .unwrap();
            assert_eq!(first_panel.get_attr("data-testid"), Some("actions"));
            let cards = view.find_all(|e| e.has_class("action-card"));
            assert_eq!(cards.len(), report.actions.actions.len());
            for (card, action) in cards.iter().zip(&report.actions.actions) {
                assert_eq!(card.get_attr("data-action"), Some(action.code.code()));
                let stake = text_of_id(&view, &format!("action-stake-{}", action.code.code()));
                assert_eq!(stake, fmt::money(action.stake, &report.currency, lang));
            }
            // Every locked rule says what would unlock it, in the page's language.
            for locked in &report.actions.locked {
                let text = text_of_id(&view, &format!("action-locked-{}", locked.code.code()));
                assert!(!text.contains("action"), "{text}");
            }
            // Product alerts are the action list's on this page.
            let html = crate::view::html::to_html(&view);
            assert!(
                !html.contains("action.") && !html.contains("action_unlock."),
                "raw key"
            );
            for alert in &report.alerts {
                if matches!(
                    alert.kind,
                    crate::analysis::alerts::AlertKind::LowStockCover
                        | crate::analysis::alerts::AlertKind::HighProductRefundRate
                ) {
                    for lang in [Lang::En, Lang::Zh] {
                        let message = crate::view::i18n::alerts::message(alert, lang);
                        assert!(!html.contains(&message));
                    }
                }
            }
        }
        // The static report carries it too.
        let html = crate::view::views::report_html(&report, &opts(Lang::En), "");
        assert!(html.contains("data-testid=\"actions\""));
        assert!(render(&report, &opts(Lang::En), ViewName::Overview)
            .by_testid("actions")
            .is_some());
    }

    #[test]
    fn the_win_back_list_exports_a_coupon_ready_csv() {
        let report = sample_shop();
        let action = report
            .actions
            .actions
            .iter()
            .find(|a| a.code == ActionCode::WinBack)
            .expect("win back fires on the sample shop");
        let ActionList::Customers(rows) = &action.list else {
            panic!()
        };
        let csv = table_csv(&report, &opts(Lang::En), "table-action-win_back").unwrap();
        let mut lines = csv.trim_start_matches('\u{FEFF}').split("\r\n");
        assert_eq!(
            lines.next(),
            Some("Customer id,Segment,Last order date,Orders,Spend")
        );
        let body: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
        assert_eq!(body.len(), rows.len());
        let first = &rows[0];
        let spend = format!("{}.{:02}", first.spend / 100, first.spend % 100);
        assert!(body[0].starts_with(&first.customer));
        assert!(body[0].contains(&first.last_order_day));
        assert!(body[0].ends_with(&format!(",{},{spend}", first.orders)));
        let zh = table_csv(&report, &opts(Lang::Zh), "action-win_back").unwrap();
        assert!(zh.starts_with("\u{FEFF}客户ID,客户分层,最近购买日,支付订单数,消费金额\r\n"));
    }

    fn text_of_id(view: &crate::view::node::Node, id: &str) -> String {
        view.by_testid(id)
            .unwrap_or_else(|| panic!("no {id}"))
            .text_content()
    }
}
