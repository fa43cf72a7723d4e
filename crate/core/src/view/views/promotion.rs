//! Promotion readout (活动复盘): the campaign window and its pickers, every KPI side by side for the
//! baseline, the campaign and the window after it, the GMV decomposition as a waterfall with each
//! factor's share written out, the new buyers won, the campaign's refunds and the product lift.
//!
//! The pickers are analysis options (`data-analysis="promotion_campaign"` with `from/to`,
//! `promotion_baseline` with `before` / `year_before`, and the `promotion-custom` form): the page
//! analyses again with them. The static report has no pickers.

use super::{
    chart_exports, currency, named, panel, ready_or_panel, table_block, table_exports,
    view_section, TableData, ViewName, ViewOptions,
};
use crate::analysis::promotion::{
    BaselineSource, Decomposition, KpiRow, MetricUnit, Occasion, ProductLiftRow, PromotionReport,
    Proposal,
};
use crate::report::Report;
use crate::view::chart::{waterfall, ChartOptions, Unit, WaterfallStep};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::t;
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row, Value};

/// The promotion view.
pub fn promotion(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Promotion, opts);
    if let Some(p) = ready_or_panel(&report.promotion, "promotion", &mut view, opts) {
        let cur = currency(report, opts);
        view.push(windows_panel(p, &cur, opts));
        let kpis = kpi_table(p, &cur, opts);
        view.push(
            panel(
                t(opts.lang, "promo.section.kpis"),
                &table_exports(&kpis.id),
                opts,
            )
            .child(table_block(&kpis, opts)),
        );
        view.push(decomposition_panel(p, &cur, opts));
        view.push(buyers_panel(p, &cur, opts));
        view.push(products_panel(p, &cur, opts));
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let Some(p) = report.promotion.ready() else {
        return Vec::new();
    };
    let cur = currency(report, opts);
    vec![
        kpi_table(p, &cur, opts),
        lift_table("promotion-gainers", &p.products.top_gainers, &cur, opts),
        lift_table("promotion-losers", &p.products.top_losers, &cur, opts),
        lift_table("promotion-products", &p.products.products, &cur, opts),
    ]
}

/// `text` with each `{name}` replaced.
fn fill(text: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(text.to_string(), |acc, (name, value)| {
        acc.replace(&format!("{{{name}}}"), value)
    })
}

/// The festival's name.
pub(super) fn occasion_name(o: Occasion, lang: Lang) -> &'static str {
    let key = match o {
        Occasion::Six18 => "promo.occasion.618",
        Occasion::Double11 => "promo.occasion.double_11",
        Occasion::Double12 => "promo.occasion.double_12",
        Occasion::NianHuo => "promo.occasion.nianhuo",
        Occasion::WomensDay => "promo.occasion.womens_day",
        Occasion::BlackFridayCyberMonday => "promo.occasion.bfcm",
        Occasion::PrimeDay => "promo.occasion.prime_day",
    };
    t(lang, key)
}

fn proposal_label(p: &Proposal, cur: &str, lang: Lang) -> String {
    let name = p
        .occasion
        .map_or_else(|| t(lang, "promo.peak"), |o| occasion_name(o, lang));
    fill(
        t(lang, "promo.proposal"),
        &[
            ("name", name.to_string()),
            ("from", p.from.clone()),
            ("to", p.to.clone()),
            ("days", p.days.to_string()),
            ("gmv", fmt::money_compact(p.gmv, cur, lang)),
            ("excess", fmt::money_compact(p.excess_gmv, cur, lang)),
        ],
    )
}

fn windows_panel(p: &PromotionReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let occasion = p
        .occasion
        .map(|o| format!(" · {}", occasion_name(o, lang)))
        .unwrap_or_default();
    let summary = fill(
        t(lang, "promo.windows"),
        &[
            ("from", p.campaign.from.clone()),
            ("to", p.campaign.to.clone()),
            ("days", p.campaign.days.to_string()),
            ("occasion", occasion),
            ("base_from", p.baseline.from.clone()),
            ("base_to", p.baseline.to.clone()),
            ("after_from", p.after.from.clone()),
            ("after_to", p.after.to.clone()),
            ("covered", p.after.covered_days.to_string()),
        ],
    );
    let mut body = panel(t(lang, "promo.section.windows"), &[], opts).child(
        el("p")
            .class("promotion-windows")
            .testid("promotion-windows")
            .text(summary),
    );
    if p.baseline.covered_days < p.baseline.days || p.campaign.covered_days < p.campaign.days {
        body.push(
            el("p")
                .class("note")
                .testid("promotion-coverage")
                .text(fill(
                    t(lang, "promo.coverage"),
                    &[
                        ("first", p.data_first_day.clone()),
                        ("last", p.data_last_day.clone()),
                    ],
                )),
        );
    }
    let current = format!("{}/{}", p.campaign.from, p.campaign.to);
    let mut proposals = el("ol")
        .class("promotion-proposals")
        .testid("promotion-proposals");
    for (i, proposal) in p.proposals.iter().enumerate() {
        let text = proposal_label(proposal, cur, lang);
        let value = format!("{}/{}", proposal.from, proposal.to);
        let item = if opts.interactive {
            el("button")
                .attr("type", "button")
                .class("proposal")
                .attr("data-analysis", "promotion_campaign")
                .attr("data-value", value.clone())
                .attr(
                    "aria-pressed",
                    if value == current { "true" } else { "false" },
                )
                .text(text)
        } else {
            el("span").text(text)
        };
        proposals.push(
            el("li")
                .testid(format!("promotion-proposal-{i}"))
                .child(item),
        );
    }
    body.push(
        el("div")
            .class("promotion-pickers")
            .child(el("h4").text(t(lang, "promo.proposals")))
            .child(if p.proposals.is_empty() {
                el("p").class("empty").text(t(lang, "promo.no_proposals"))
            } else {
                proposals
            }),
    );
    if opts.interactive {
        let pressed = |rule: BaselineSource| {
            if p.baseline_source == rule {
                "true"
            } else {
                "false"
            }
        };
        let baseline = el("div")
            .class("segmented")
            .attr("role", "group")
            .attr("aria-label", t(lang, "promo.baseline"))
            .children(
                [
                    ("before", BaselineSource::Before, "promo.baseline.before"),
                    (
                        "year_before",
                        BaselineSource::YearBefore,
                        "promo.baseline.year_before",
                    ),
                ]
                .map(|(value, rule, key)| {
                    el("button")
                        .attr("type", "button")
                        .attr("data-analysis", "promotion_baseline")
                        .attr("data-value", value)
                        .attr("aria-pressed", pressed(rule))
                        .text(t(lang, key))
                }),
            );
        body.push(
            el("div")
                .class("control")
                .child(
                    el("span")
                        .class("control-label")
                        .text(t(lang, "promo.baseline")),
                )
                .child(baseline),
        );
        let date = |name: &'static str, label: &'static str, value: &str| {
            el("label")
                .class("filter")
                .child(el("span").text(t(lang, label)))
                .child(
                    el("input")
                        .attr("type", "date")
                        .attr("name", name)
                        .attr("value", value.to_string()),
                )
        };
        let chosen = p.baseline_source == BaselineSource::Chosen;
        let (base_from, base_to) = if chosen {
            (p.baseline.from.as_str(), p.baseline.to.as_str())
        } else {
            ("", "")
        };
        body.push(
            el("form")
                .class("promotion-custom")
                .testid("promotion-custom")
                .child(el("h4").text(t(lang, "promo.custom")))
                .child(date("from", "promo.campaign_from", &p.campaign.from))
                .child(date("to", "promo.campaign_to", &p.campaign.to))
                .child(date("baseline_from", "promo.baseline_from", base_from))
                .child(date("baseline_to", "promo.baseline_to", base_to))
                .child(
                    el("button")
                        .attr("type", "submit")
                        .class("button")
                        .class("small")
                        .text(t(lang, "promo.apply")),
                ),
        );
    }
    body
}

/// A figure of a row in its unit; `per_day` counts get one decimal.
fn value_cell(v: Option<f64>, unit: MetricUnit, per_day: bool, cur: &str, lang: Lang) -> Cell {
    match unit {
        MetricUnit::Money => Cell::money_f(v, cur, lang),
        MetricUnit::Ratio => Cell::percent(v, lang),
        MetricUnit::Count => Cell::number(v, if per_day { 1 } else { 0 }),
    }
}

fn change_cell(v: Option<f64>) -> Cell {
    let class = match fmt::change_direction(v) {
        Some(true) => "up",
        Some(false) => "down",
        None => "flat",
    };
    Cell::new(fmt::change(v), Value::Number(v)).with_class(class)
}

fn metric_key(metric: &str) -> &'static str {
    match metric {
        "gmv" => "kpi.gmv",
        "refunds" => "kpi.refunds",
        "net_sales" => "kpi.net_sales",
        "paid_orders" => "kpi.paid_orders",
        "buyers" => "kpi.buyers",
        "revenue_per_buyer" => "kpi.revenue_per_buyer",
        "aov" => "kpi.aov",
        "units" => "kpi.units",
        "refund_rate" => "kpi.refund_rate",
        "refund_order_rate" => "kpi.refund_order_rate",
        "repurchase_rate" => "kpi.repurchase_rate",
        "new_buyers" => "kpi.new_buyers",
        "returning_buyers" => "kpi.returning_buyers",
        "visitors" => "kpi.visitors",
        "conversion_rate" => "kpi.conversion_rate",
        "orders_per_buyer" => "promo.factor.orders_per_buyer",
        _ => "promo.metric",
    }
}

fn kpi_table(p: &PromotionReport, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("metric", t(lang, "promo.metric")).unsorted(),
        ColumnDef::number("baseline", t(lang, "promo.baseline_window")).unsorted(),
        ColumnDef::number("campaign", t(lang, "promo.campaign_window")).unsorted(),
        ColumnDef::number("change", t(lang, "promo.change")).unsorted(),
        ColumnDef::number("after", t(lang, "promo.after_window")).unsorted(),
        ColumnDef::number("after_change", t(lang, "promo.after_change")).unsorted(),
        ColumnDef::number("baseline_per_day", t(lang, "promo.baseline_per_day")).unsorted(),
        ColumnDef::number("campaign_per_day", t(lang, "promo.campaign_per_day")).unsorted(),
        ColumnDef::number("change_per_day", t(lang, "promo.change_per_day")).unsorted(),
        ColumnDef::number("after_per_day", t(lang, "promo.after_per_day")).unsorted(),
        ColumnDef::number(
            "after_change_per_day",
            t(lang, "promo.after_change_per_day"),
        )
        .unsorted(),
    ];
    let rows = p
        .rows
        .iter()
        .map(|r: &KpiRow| {
            let v = |x: Option<f64>, per_day: bool| value_cell(x, r.unit, per_day, cur, lang);
            Row::new(vec![
                Cell::text(t(lang, metric_key(&r.metric))),
                v(r.baseline, false),
                v(r.campaign, false),
                change_cell(r.change),
                v(r.after, false),
                change_cell(r.after_change),
                v(r.baseline_per_day, true),
                v(r.campaign_per_day, true),
                change_cell(r.change_per_day),
                v(r.after_per_day, true),
                change_cell(r.after_change_per_day),
            ])
            .with_testid(format!("promotion-kpi-{}", r.metric))
        })
        .collect();
    TableData {
        id: "promotion-kpis".into(),
        columns,
        rows,
    }
}

fn factor_key(factor: &str) -> &'static str {
    match factor {
        "buyers" => "kpi.buyers",
        "orders_per_buyer" => "promo.factor.orders_per_buyer",
        "aov" => "kpi.aov",
        "visitors" => "kpi.visitors",
        "conversion_rate" => "kpi.conversion_rate",
        "revenue_per_buyer" => "kpi.revenue_per_buyer",
        _ => "promo.metric",
    }
}

/// The decomposition's sentence: the GMV change and each factor's share.
fn shares_sentence(d: &Decomposition, cur: &str, lang: Lang) -> String {
    let gmv = fill(
        t(lang, "promo.gmv_change"),
        &[
            ("from", fmt::money(d.gmv_baseline, cur, lang)),
            ("to", fmt::money(d.gmv_campaign, cur, lang)),
            (
                "change",
                fmt::change(crate::analysis::change(
                    d.gmv_baseline as f64,
                    d.gmv_campaign as f64,
                )),
            ),
        ],
    );
    match d.undefined.as_deref() {
        Some("gmv_unchanged") => format!("{gmv}{}", t(lang, "promo.undefined.gmv_unchanged")),
        Some(_) => format!("{gmv}{}", t(lang, "promo.undefined.zero_factor")),
        None => {
            let parts: Vec<String> = d
                .factors
                .iter()
                .map(|f| {
                    fill(
                        t(lang, "promo.share_of"),
                        &[
                            ("factor", t(lang, factor_key(&f.factor)).to_string()),
                            ("share", fmt::percent(f.share, lang)),
                        ],
                    )
                })
                .collect();
            format!(
                "{gmv}{}{}{}",
                t(lang, "promo.shares_intro"),
                parts.join(t(lang, "promo.list_sep")),
                t(lang, "promo.sentence_end")
            )
        }
    }
}

fn waterfall_chart(id: &str, d: &Decomposition, cur: &str, lang: Lang) -> Node {
    let mut steps = vec![WaterfallStep {
        label: t(lang, "promo.baseline_gmv").to_string(),
        total: true,
        value: d.gmv_baseline as f64,
        note: None,
        testid: Some(format!("{id}-baseline")),
    }];
    for f in &d.factors {
        steps.push(WaterfallStep {
            label: t(lang, factor_key(&f.factor)).to_string(),
            total: false,
            value: f.contribution.unwrap_or(0.0),
            note: Some(format!(
                "{} {}",
                t(lang, "promo.share"),
                fmt::percent(f.share, lang)
            )),
            testid: Some(format!("{id}-{}", f.factor)),
        });
    }
    steps.push(WaterfallStep {
        label: t(lang, "promo.campaign_gmv").to_string(),
        total: true,
        value: d.gmv_campaign as f64,
        note: None,
        testid: Some(format!("{id}-campaign")),
    });
    waterfall(
        &steps,
        &ChartOptions::new(lang, t(lang, "promo.section.decomposition"))
            .unit(Unit::Money(cur.to_string()))
            .size(720.0, 300.0)
            .id(format!("chart-{id}")),
    )
}

fn decomposition_panel(p: &PromotionReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let d = &p.decomposition;
    let mut exports = Vec::new();
    if d.orders.as_ref().is_some_and(|o| o.undefined.is_none()) {
        exports.extend(named(
            chart_exports("promotion-waterfall"),
            t(lang, "promo.by_orders"),
        ));
    }
    if d.traffic.as_ref().is_some_and(|o| o.undefined.is_none()) {
        exports.extend(named(
            chart_exports("promotion-waterfall-traffic"),
            t(lang, "promo.by_traffic"),
        ));
    }
    let mut body = panel(t(lang, "promo.section.decomposition"), &exports, opts);
    let block = |body: &mut Element, id: &str, title: &'static str, dec: &Decomposition| {
        body.push(el("h4").text(t(lang, title)));
        body.push(
            el("p")
                .class("promotion-shares")
                .testid(format!("{id}-shares"))
                .text(shares_sentence(dec, cur, lang)),
        );
        if dec.undefined.is_none() {
            body.push(
                el("div")
                    .class("chart-wrap")
                    .child(waterfall_chart(id, dec, cur, lang)),
            );
        }
    };
    match &d.orders {
        Some(o) => block(&mut body, "promotion-waterfall", "promo.by_orders", o),
        None => body.push(
            el("p")
                .class("note")
                .text(t(lang, "unavailable.no_customer_ids")),
        ),
    }
    match &d.traffic {
        Some(o) => block(
            &mut body,
            "promotion-waterfall-traffic",
            "promo.by_traffic",
            o,
        ),
        None => body.push(
            el("p")
                .class("note")
                .testid("promotion-traffic-unavailable")
                .text(t(lang, "unavailable.no_traffic_coverage")),
        ),
    }
    body
}

fn buyers_panel(p: &PromotionReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let n = &p.new_buyers;
    let count = |x: Option<u64>| x.map_or_else(|| fmt::DASH.to_string(), |x| x.to_string());
    let mut new_text = fill(
        t(lang, "promo.new_buyers"),
        &[
            ("count", count(n.count)),
            ("share", fmt::percent(n.share, lang)),
        ],
    );
    new_text.push_str(&match n.came_back {
        Some(back) => fill(
            t(lang, "promo.came_back"),
            &[
                ("until", n.observed_until.clone()),
                ("days", n.days_observed.to_string()),
                ("count", back.to_string()),
                ("rate", fmt::percent(n.came_back_rate, lang)),
            ],
        ),
        None => fill(
            t(lang, "promo.came_back_unknown"),
            &[("until", n.observed_until.clone())],
        ),
    });
    let r = &p.refunds;
    let refunds = fill(
        t(lang, "promo.refunds"),
        &[
            ("amount", fmt::money(r.refunds, cur, lang)),
            ("orders", r.refunded_orders.to_string()),
            ("paid", r.paid_orders.to_string()),
            ("rate", fmt::percent(r.refund_rate, lang)),
            ("base_rate", fmt::percent(r.baseline_refund_rate, lang)),
            ("as_of", r.as_of.clone()),
        ],
    );
    panel(t(lang, "promo.section.buyers"), &[], opts)
        .child(el("p").testid("promotion-new-buyers").text(new_text))
        .child(el("p").testid("promotion-refunds").text(refunds))
}

fn lift_table(id: &str, rows: &[ProductLiftRow], cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("key", t(lang, "product.key")),
        ColumnDef::text("title", t(lang, "product.title")),
        ColumnDef::number("baseline_revenue", t(lang, "promo.baseline_revenue")),
        ColumnDef::number("campaign_revenue", t(lang, "promo.campaign_revenue")),
        ColumnDef::number("baseline_per_day", t(lang, "promo.baseline_per_day")),
        ColumnDef::number("campaign_per_day", t(lang, "promo.campaign_per_day")),
        ColumnDef::number("lift_per_day", t(lang, "promo.lift_per_day")),
        ColumnDef::number("change", t(lang, "promo.change_per_day")),
        ColumnDef::number("baseline_units", t(lang, "promo.baseline_units")),
        ColumnDef::number("campaign_units", t(lang, "promo.campaign_units")),
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let change = if r.baseline_revenue == 0 && r.campaign_revenue > 0 {
                Cell::new(t(lang, "product.growth_new"), Value::Number(None))
            } else {
                change_cell(r.change)
            };
            Row::new(vec![
                Cell::text(r.key.clone()),
                Cell::text(r.title.clone().unwrap_or_default()),
                Cell::money(r.baseline_revenue, cur, lang),
                Cell::money(r.campaign_revenue, cur, lang),
                Cell::money_f(r.baseline_per_day, cur, lang),
                Cell::money_f(r.campaign_per_day, cur, lang),
                Cell::money_f(r.lift_per_day, cur, lang),
                change,
                Cell::int(r.baseline_units, lang),
                Cell::int(r.campaign_units, lang),
            ])
            .with_testid(format!("{id}-{}", r.key))
        })
        .collect();
    TableData {
        id: id.to_string(),
        columns,
        rows,
    }
}

fn products_panel(p: &PromotionReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let gainers = lift_table("promotion-gainers", &p.products.top_gainers, cur, opts);
    let losers = lift_table("promotion-losers", &p.products.top_losers, cur, opts);
    let all = lift_table("promotion-products", &p.products.products, cur, opts);
    let mut exports = named(table_exports(&gainers.id), t(lang, "promo.gainers"));
    exports.extend(named(table_exports(&losers.id), t(lang, "promo.losers")));
    exports.extend(named(table_exports(&all.id), t(lang, "promo.all_products")));
    panel(t(lang, "promo.section.products"), &exports, opts)
        .child(el("p").class("note").text(t(lang, "promo.lift_note")))
        .child(el("h4").text(t(lang, "promo.gainers")))
        .child(table_block(&gainers, opts))
        .child(el("h4").text(t(lang, "promo.losers")))
        .child(table_block(&losers, opts))
        .child(
            el("details")
                .class("promotion-all-products")
                .child(el("summary").text(t(lang, "promo.all_products")))
                .child(table_block(&all, opts)),
        )
}
