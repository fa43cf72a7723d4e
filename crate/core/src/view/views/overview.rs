//! Overview: the action list first (操作清单, see `actions`), then KPI cards with period-over-period
//! change, the GMV / orders / buyers trend, alerts.
//!
//! The alerts block here leaves out the product alerts (low stock cover, a product's refund rate
//! far above the shop's): the action list above covers both concerns (restock / ride a riser,
//! refund spike) with its own thresholds and the money at stake, and the page should not say the
//! same thing twice with two sets of figures. They stay in `report.alerts` for npm users.

use super::breakdown;
use super::codes;
use super::{
    chart_exports, count_i64, currency, named, panel, ready_or_panel, toggle, unavailable_panel,
    view_section, ViewName, ViewOptions,
};
use crate::analysis::alerts::{Alert, AlertKind};
use crate::analysis::breakdown::DimensionBreakdown;
use crate::analysis::kpi::{KpiPoint, KpiReport, KpiSet};
use crate::report::Report;
use crate::time::Grain;
use crate::view::chart::{line_chart, ChartOptions, Series, Unit};
use crate::view::fmt;
use crate::view::i18n::{t, t_with};
use crate::view::node::{el, Element, Node};

/// The overview view.
pub fn overview(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Overview, opts);
    let cur = currency(report, opts);
    // Behind a blocked file, only actions that fired are worth showing (locked ones would guess).
    if !opts.defer_to_banner || !report.actions.actions.is_empty() {
        view.push(super::actions::action_panel(report, opts));
    }
    if let Some(kpi) = ready_or_panel(&report.kpi, "kpi", &mut view, opts) {
        if let (Some(first), Some(last)) = (&kpi.first_day, &kpi.last_day) {
            view.push(
                el("p")
                    .class("data-range")
                    .testid("data-range")
                    .text(format!(
                        "{}: {first} – {last}",
                        t(opts.lang, "report.range")
                    )),
            );
        }
        view.push(kpi_cards(kpi, &cur, opts));
        if let Some(reason) = &kpi.buyers_unavailable {
            view.push(unavailable_panel("buyers", reason, opts));
        }
        if let Some(control) = breakdown::control(report, opts) {
            view.push(control);
        }
        view.push(trend(kpi, breakdown::active(report, opts), &cur, opts));
        for p in breakdown::panels(report, &cur, opts) {
            view.push(p);
        }
    }
    // "No anomalies" of data that could not be read would be one more guess: the banner says why.
    let shown: Vec<&Alert> = report
        .alerts
        .iter()
        .filter(|a| !is_product_alert(a.kind))
        .collect();
    if !(opts.defer_to_banner && shown.is_empty()) {
        view.push(alerts(report, &shown, opts));
    }
    view.into()
}

/// Whether a rise of the figure is good news (GMV) or bad news (refund rate).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Better {
    Higher,
    Lower,
}

/// One KPI card: its i18n key (also the `kpi-{name}` test id), value text, full value for the
/// title, and the change of the latest period where the report has one.
struct Card {
    name: &'static str,
    key: &'static str,
    value: String,
    full: String,
    change: Option<(Option<f64>, Better)>,
}

fn kpi_cards(kpi: &KpiReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let total = &kpi.total;
    let change = kpi.compare.as_ref().map(|c| &c.current.change);
    let money = |cents: i64| {
        (
            fmt::money_compact(cents, cur, lang),
            fmt::money(cents, cur, lang),
        )
    };
    let money_f = |cents: Option<f64>| {
        let text = fmt::money_f(cents, cur, lang);
        (text.clone(), text)
    };
    let count = |n: Option<u64>| {
        let text = n.map_or_else(|| fmt::DASH.to_string(), |n| fmt::int(count_i64(n), lang));
        (text.clone(), text)
    };
    let percent = |r: Option<f64>| {
        let text = fmt::percent(r, lang);
        (text.clone(), text)
    };
    let card = |name, key, (value, full): (String, String), change| Card {
        name,
        key,
        value,
        full,
        change,
    };
    let mut cards = vec![
        card(
            "gmv",
            "kpi.gmv",
            money(total.gmv),
            change.map(|c| (c.gmv, Better::Higher)),
        ),
        card(
            "paid_orders",
            "kpi.paid_orders",
            count(Some(total.paid_orders)),
            change.map(|c| (c.paid_orders, Better::Higher)),
        ),
        card(
            "buyers",
            "kpi.buyers",
            count(total.buyers),
            change.map(|c| (c.buyers, Better::Higher)),
        ),
        card(
            "revenue_per_buyer",
            "kpi.revenue_per_buyer",
            money_f(total.revenue_per_buyer),
            None,
        ),
        card(
            "aov",
            "kpi.aov",
            money_f(total.aov),
            change.map(|c| (c.aov, Better::Higher)),
        ),
        card(
            "units",
            "kpi.units",
            count(u64::try_from(total.units).ok()),
            None,
        ),
        card("refunds", "kpi.refunds", money(total.refunds), None),
        card(
            "refund_rate",
            "kpi.refund_rate",
            percent(total.refund_rate),
            change.map(|c| (c.refund_rate, Better::Lower)),
        ),
        card(
            "repurchase_rate",
            "kpi.repurchase_rate",
            percent(total.repurchase_rate),
            None,
        ),
        card(
            "new_buyers",
            "kpi.new_buyers",
            count(total.new_buyers),
            None,
        ),
    ];
    if total.visitors.is_some() {
        let visitors = total.visitors.and_then(|v| u64::try_from(v).ok());
        cards.push(card("visitors", "kpi.visitors", count(visitors), None));
        cards.push(card(
            "conversion_rate",
            "kpi.conversion_rate",
            percent(total.conversion_rate),
            change.map(|c| (c.conversion_rate, Better::Higher)),
        ));
    }
    if let Some(spend) = total.ad_spend {
        cards.push(card("ad_spend", "kpi.ad_spend", money(spend), None));
        let roas = total
            .roas
            .map_or_else(|| fmt::DASH.to_string(), |r| fmt::decimal(r, 2));
        cards.push(card("roas", "kpi.roas", (roas.clone(), roas), None));
        cards.push(card("ctr", "kpi.ctr", percent(total.ctr), None));
    }

    // "2024-10 vs 2024-09 (partial period)": which periods the arrows compare.
    let period = kpi.compare.as_ref().map(|c| {
        let partial = if c.current_partial {
            t(lang, "kpi.partial_period")
        } else {
            ""
        };
        format!(
            "{} {} {}{partial}",
            c.current.period,
            t(lang, "kpi.vs"),
            c.previous.period
        )
    });
    el("div")
        .class("kpi-cards")
        .children(cards.into_iter().map(|c| {
            let mut card = el("div")
                .class("kpi-card")
                .attr("data-kpi", c.name)
                .child(el("div").class("kpi-name").text(t(lang, c.key)))
                .child(
                    el("div")
                        .class("kpi-value")
                        .testid(format!("kpi-{}", c.name))
                        .attr("title", c.full)
                        .text(c.value),
                );
            if let (Some((ratio, better)), Some(period)) = (c.change, &period) {
                card.push(change_line(c.name, ratio, better, period));
            }
            card
        }))
}

/// `▲ +12.3%  2024-03 vs previous month · 2024-02`, classed up/down and good/bad.
fn change_line(name: &str, ratio: Option<f64>, better: Better, period: &str) -> Element {
    let direction = fmt::change_direction(ratio);
    let (arrow, class) = match direction {
        Some(true) => ("▲", "up"),
        Some(false) => ("▼", "down"),
        None => ("", "flat"),
    };
    let mood = match (direction, better) {
        (None, _) => "neutral",
        (Some(up), Better::Higher) if up => "good",
        (Some(up), Better::Lower) if !up => "good",
        _ => "bad",
    };
    el("div")
        .class("kpi-change")
        .class(class)
        .class(mood)
        .testid(format!("kpi-{name}-change"))
        .child(
            el("span")
                .class("arrow")
                .attr("aria-hidden", "true")
                .text(arrow),
        )
        .child(el("span").class("change-value").text(fmt::change(ratio)))
        .child(el("span").class("kpi-period").text(period.to_string()))
}

/// The grain shown: the option, else the finest that keeps the trend readable.
pub(super) fn trend_grain(kpi: &KpiReport, opts: &ViewOptions) -> Grain {
    opts.grain.unwrap_or(if kpi.daily.len() <= 62 {
        Grain::Day
    } else if kpi.weekly.len() <= 52 {
        Grain::Week
    } else {
        Grain::Month
    })
}

fn trend(
    kpi: &KpiReport,
    split: Option<&DimensionBreakdown>,
    cur: &str,
    opts: &ViewOptions,
) -> Element {
    let lang = opts.lang;
    let grain = trend_grain(kpi, opts);
    let points: &[KpiPoint] = match grain {
        Grain::Day => &kpi.daily,
        Grain::Week => &kpi.weekly,
        Grain::Month => &kpi.monthly,
    };
    let labels: Vec<String> = points.iter().map(|p| p.period.clone()).collect();
    let series = |key: &'static str, value: fn(&KpiSet) -> Option<f64>| {
        Series::new(t(lang, key), points.iter().map(|p| value(&p.kpi)).collect())
    };
    // A period the data covers only in part is drawn dashed and says how much of it there is.
    let partial: Vec<Option<String>> = points
        .iter()
        .map(|p| {
            p.is_partial().then(|| {
                t(lang, "chart.partial_days")
                    .replacen("{}", &p.days.to_string(), 1)
                    .replacen("{}", &p.period_days.to_string(), 1)
            })
        })
        .collect();
    let any_partial = partial.iter().any(Option::is_some);
    let base = |id: &str, title: &str| {
        ChartOptions::new(lang, title)
            .id(format!("chart-{id}"))
            .labels(t(lang, codes::grain(grain)), "")
            .partial(partial.clone())
    };
    // Split by a dimension: one line per group (the largest and "other") of GMV and of orders.
    let (gmv_series, counts, gmv_title, title) = match split {
        Some(b) => {
            let by = t_with(
                lang,
                "breakdown.by",
                t(lang, breakdown::dimension_key(b.dimension)),
            );
            (
                breakdown::split_series(b, grain, &labels, |p| Some(p.gmv as f64), lang),
                breakdown::split_series(b, grain, &labels, |p| Some(p.paid_orders as f64), lang),
                format!("{} {by}", t(lang, "kpi.gmv")),
                format!("{} {by}", t(lang, "kpi.paid_orders")),
            )
        }
        None => {
            let mut counts = vec![series("kpi.paid_orders", |k| Some(k.paid_orders as f64))];
            if points.iter().any(|p| p.kpi.buyers.is_some()) {
                counts.push(series("kpi.buyers", |k| k.buyers.map(|b| b as f64)));
            }
            (
                vec![series("kpi.gmv", |k| Some(k.gmv as f64))],
                counts,
                t(lang, "kpi.gmv").to_string(),
                format!("{} / {}", t(lang, "kpi.paid_orders"), t(lang, "kpi.buyers")),
            )
        }
    };
    let gmv_chart = line_chart(
        &gmv_series,
        &labels,
        &base("trend-gmv", &gmv_title).unit(Unit::Money(cur.to_string())),
    );
    let counts_chart = line_chart(
        &counts,
        &labels,
        &base("trend-orders", &title).unit(Unit::Count),
    );

    let choices: Vec<(&str, &str)> = [Grain::Day, Grain::Week, Grain::Month]
        .iter()
        .map(|&g| (codes::grain_value(g), t(lang, codes::grain(g))))
        .collect();
    // Two charts in one panel: each pair of buttons is named after its chart.
    let mut exports = named(
        chart_exports("trend-gmv"),
        &t_with(lang, "chart.trend_of", &gmv_title),
    );
    exports.extend(named(
        chart_exports("trend-orders"),
        &t_with(lang, "chart.trend_of", &title),
    ));
    let note = any_partial.then(|| {
        let spans: Vec<String> = points
            .iter()
            .zip(&partial)
            .filter_map(|(p, note)| note.as_ref().map(|n| format!("{} ({n})", p.period)))
            .collect();
        el("p")
            .class("chart-note")
            .testid("trend-partial")
            .text(t_with(lang, "chart.partial_note", &spans.join(", ")))
    });
    panel(t(lang, "section.trend"), &exports, opts)
        .class("trend")
        .child_opt(toggle("grain", &choices, codes::grain_value(grain), opts))
        .child(el("div").class("chart-box").child(gmv_chart))
        .child(el("div").class("chart-box").child(counts_chart))
        .child_opt(note)
}

/// Product alerts, which the action list covers on this page.
fn is_product_alert(kind: AlertKind) -> bool {
    matches!(
        kind,
        AlertKind::LowStockCover | AlertKind::HighProductRefundRate
    )
}

/// Alerts the Overview shows before "N more": an operator reads a few a day, not forty.
const ALERTS_SHOWN: usize = 3;

/// The alerts panel of `shown` (the report's alerts without the product ones, still ranked).
fn alerts(report: &Report, shown: &[&Alert], opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let cur = currency(report, opts);
    let item = |i: usize, alert: &Alert| {
        let (key, class) = codes::severity(alert.severity);
        let message = crate::view::i18n::alerts::message(alert, lang);
        el("li")
            .class("alert")
            .class(class)
            .testid(format!("alert-{i}"))
            .child(el("span").class("badge").class(class).text(t(lang, key)))
            .child(el("span").class("alert-message").text(message))
            .child(el("span").class("alert-stake").text(t_with(
                lang,
                "alert.stake",
                &fmt::money(alert.stake, &cur, lang),
            )))
    };
    // Already ranked: bad news first, the most money first.
    let mut list = el("ul").class("alerts");
    for (i, alert) in shown.iter().copied().enumerate().take(ALERTS_SHOWN) {
        list.push(item(i, alert));
    }
    let panel = panel(t(lang, "section.alerts"), &[], opts).class("alerts-panel");
    if shown.is_empty() {
        return panel.child(el("p").class("empty").text(t(lang, "alert.none")));
    }
    let panel = panel.child(list);
    let rest = shown.len().saturating_sub(ALERTS_SHOWN);
    if rest == 0 {
        return panel;
    }
    let mut more = el("ul").class("alerts");
    for (i, alert) in shown.iter().copied().enumerate().skip(ALERTS_SHOWN) {
        more.push(item(i, alert));
    }
    panel.child(
        el("details")
            .class("alerts-more")
            .testid("alerts-more")
            .child(el("summary").text(t_with(lang, "alert.more", &rest.to_string())))
            .child(more),
    )
}
