//! A/B readout (DEFINITIONS §9): the two groups with their conversion rates and Wilson intervals
//! (drawn), the difference with its Newcombe interval, lift, p-value, the verdict, and one sentence
//! saying what the result means and what it does not.

use super::{
    chart_exports, panel, ready_or_panel, table_block, table_exports, view_section, TableData,
    ViewName, ViewOptions,
};
use crate::analysis::ab::{AbBy, AbReport, AbSource, Verdict};
use crate::codes::UnavailableCode;
use crate::report::{Report, Section};
use crate::view::chart::{label, nice_ticks, num, tip, GRID, INK, PALETTE};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::t;
use crate::view::node::{el, svg, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row};

/// The A/B view.
pub fn ab(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Ab, opts);
    // The offline report has no group controls: "choose two groups above" would point at nothing.
    if let Section::Unavailable { reason } = &report.ab {
        if !opts.interactive && reason.code == UnavailableCode::NoAbGroups {
            view.push(
                el("p")
                    .class("note")
                    .testid("ab-offline-note")
                    .text(t(opts.lang, "ab.note.offline_no_groups")),
            );
            return view.into();
        }
    }
    if let Some(r) = ready_or_panel(&report.ab, "ab", &mut view, opts) {
        view.push(verdict_block(r, opts.lang));
        view.push(
            panel(
                t(opts.lang, "section.ab_intervals"),
                &chart_exports("ab"),
                opts,
            )
            .child(
                el("div")
                    .class("chart-box")
                    .child(interval_chart(r, opts.lang)),
            ),
        );
        let groups = groups_table(r, opts);
        view.push(
            panel(
                t(opts.lang, "section.ab_groups"),
                &table_exports(&groups.id),
                opts,
            )
            .child(table_block(&groups, opts)),
        );
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    report
        .ab
        .ready()
        .map(|r| vec![groups_table(r, opts)])
        .unwrap_or_default()
}

/// Percentage points with a sign and two decimals (`+4.21`): one decimal would show a lower bound
/// of +0.04 as 0.0 beside a "B is better" verdict.
fn points(x: f64) -> String {
    let body = fmt::decimal(x * 100.0, 2);
    if x > 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{body}")
    } else {
        body
    }
}

/// The headline figures, the verdict and the sentence.
fn verdict_block(r: &AbReport, lang: Lang) -> Element {
    let s = &r.stats;
    let interval = s
        .difference_interval
        .map(|[l, u]| format!("[{}, {}]", points(l), points(u)))
        .unwrap_or_else(|| fmt::DASH.to_string());
    let figures = format!(
        "{} {} {} · {} 95% {} {} · {} {} · p = {}",
        t(lang, "ab.difference"),
        s.difference.map_or_else(|| fmt::DASH.to_string(), points),
        t(lang, "ab.points"),
        t(lang, "ab.interval"),
        interval,
        t(lang, "ab.points"),
        t(lang, "ab.lift"),
        fmt::change(s.relative_lift),
        s.p_value
            .map_or_else(|| fmt::DASH.to_string(), |p| fmt::decimal(p, 4)),
    );
    let (verdict_key, class) = match s.verdict {
        Verdict::BBetter => ("ab.verdict.b_better", "ab-b"),
        Verdict::ABetter => ("ab.verdict.a_better", "ab-a"),
        Verdict::NotDecisive => ("ab.verdict.not_decisive", "ab-open"),
    };
    let [l, u] = s.difference_interval.unwrap_or([f64::NAN, f64::NAN]);
    let sentence = match (s.verdict, s.needed_per_group) {
        (Verdict::NotDecisive, _) if s.difference_interval.is_none() => {
            t(lang, "ab.sentence.empty").to_string()
        }
        (Verdict::NotDecisive, Some(n)) => t(lang, "ab.sentence.open_needed")
            .replacen("{}", &points(l), 1)
            .replacen("{}", &points(u), 1)
            .replacen(
                "{}",
                &fmt::int(i64::try_from(n).unwrap_or(i64::MAX), lang),
                1,
            ),
        (Verdict::NotDecisive, None) => t(lang, "ab.sentence.open")
            .replacen("{}", &points(l), 1)
            .replacen("{}", &points(u), 1),
        (Verdict::BBetter, _) | (Verdict::ABetter, _) => {
            let (lo, hi) = if s.verdict == Verdict::BBetter {
                (l, u)
            } else {
                (-u, -l)
            };
            let winner = if s.verdict == Verdict::BBetter {
                "B"
            } else {
                "A"
            };
            let loser = if s.verdict == Verdict::BBetter {
                "A"
            } else {
                "B"
            };
            t(lang, "ab.sentence.decisive")
                .replacen("{}", winner, 1)
                .replacen("{}", loser, 1)
                .replacen("{}", &fmt::decimal(lo * 100.0, 2), 1)
                .replacen("{}", &fmt::decimal(hi * 100.0, 2), 1)
        }
    };
    let mut block = el("div")
        .class("ab-readout")
        .testid("ab-readout")
        .child(
            el("p")
                .class("ab-verdict")
                .class(class)
                .attr("data-verdict", verdict_code(s.verdict))
                .testid("ab-verdict")
                .text(t(lang, verdict_key)),
        )
        .child(el("p").testid("ab-figures").text(figures))
        .child(
            el("p")
                .class("ab-sentence")
                .testid("ab-sentence")
                .text(sentence),
        );
    if r.source == AbSource::Traffic {
        block.push(el("p").class("note").text(t(lang, "ab.note.traffic")));
    }
    if r.by == AbBy::Variant {
        block.push(el("p").class("note").text(t(lang, "ab.note.variant_rule")));
    }
    if !r.variants.is_empty() {
        block.push(el("p").class("note").testid("ab-variants").text(
            t(lang, "ab.note.variants").replacen(
                "{}",
                &r.variants.join(if lang == Lang::Zh { "、" } else { ", " }),
                1,
            ),
        ));
    }
    if r.in_both > 0 {
        block.push(
            el("p")
                .class("note")
                .text(t(lang, "ab.note.in_both").replacen("{}", &r.in_both.to_string(), 1)),
        );
    }
    block
}

fn verdict_code(v: Verdict) -> &'static str {
    match v {
        Verdict::BBetter => "b_better",
        Verdict::ABetter => "a_better",
        Verdict::NotDecisive => "not_decisive",
    }
}

/// The two conversion rates with their Wilson 95 % intervals, on one axis.
fn interval_chart(r: &AbReport, lang: Lang) -> Node {
    let (width, height) = (960.0, 150.0);
    let (left, right, top) = (240.0, 30.0, 20.0);
    let intervals = [r.stats.interval_a, r.stats.interval_b];
    let rates = [r.stats.cr_a, r.stats.cr_b];
    let hi = intervals
        .iter()
        .flatten()
        .map(|[_, u]| *u)
        .fold(0.0f64, f64::max)
        .max(0.01);
    let ticks = nice_ticks(0.0, hi, 5);
    let max = ticks.last().copied().unwrap_or(hi).max(hi);
    let x = |v: f64| left + (width - left - right) * v / max;
    let row_y = |g: usize| top + 30.0 + 40.0 * g as f64;
    let axis_y = top + 100.0;
    let mut root = svg("svg")
        .class("chart")
        .class("ab-chart")
        .attr("id", "chart-ab")
        .attr("viewBox", format!("0 0 {} {}", num(width), num(height)))
        .attr("width", "100%")
        .attr("role", "img")
        .attr("aria-label", t(lang, "section.ab_intervals"))
        .attr("font-size", "11")
        .attr(
            "font-family",
            "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif",
        );
    for &tick in &ticks {
        root.push(
            svg("line")
                .attr("x1", num(x(tick)))
                .attr("x2", num(x(tick)))
                .attr("y1", num(top))
                .attr("y2", num(axis_y))
                .attr("stroke", GRID),
        );
        root.push(label(
            x(tick),
            axis_y + 12.0,
            "middle",
            fmt::percent(Some(tick), lang),
        ));
    }
    for (g, name) in [&r.a, &r.b].iter().enumerate() {
        let y = row_y(g);
        let colour = PALETTE[g];
        let group = if g == 0 { "A" } else { "B" };
        root.push(label(
            left - 8.0,
            y,
            "end",
            crate::view::chart::fit_text(&format!("{group} · {}", name.label), left - 16.0),
        ));
        if let (Some([l, u]), Some(cr)) = (intervals[g], rates[g]) {
            let text = format!(
                "{group}: {} [{}, {}]",
                fmt::percent(Some(cr), lang),
                fmt::percent(Some(l), lang),
                fmt::percent(Some(u), lang)
            );
            root.push(tip(
                svg("g")
                    .attr(
                        "data-testid",
                        format!("ab-interval-{}", group.to_lowercase()),
                    )
                    .child(
                        svg("line")
                            .attr("x1", num(x(l)))
                            .attr("x2", num(x(u)))
                            .attr("y1", num(y))
                            .attr("y2", num(y))
                            .attr("stroke", colour)
                            .attr("stroke-width", "6")
                            .attr("stroke-linecap", "round")
                            .attr("opacity", "0.45"),
                    )
                    .child(
                        svg("circle")
                            .attr("cx", num(x(cr)))
                            .attr("cy", num(y))
                            .attr("r", "6")
                            .attr("fill", colour),
                    ),
                text,
            ));
        }
    }
    root.push(
        svg("line")
            .attr("x1", num(left))
            .attr("x2", num(width - right))
            .attr("y1", num(axis_y))
            .attr("y2", num(axis_y))
            .attr("stroke", INK),
    );
    root.into()
}

fn groups_table(r: &AbReport, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("group", t(lang, "ab.group")),
        ColumnDef::text("label", t(lang, "ab.label")),
        ColumnDef::number("exposures", t(lang, "ab.exposures")),
        ColumnDef::number("conversions", t(lang, "ab.conversions")),
        ColumnDef::number("cr", t(lang, "ab.cr")),
        ColumnDef::number("lower", t(lang, "ab.lower")),
        ColumnDef::number("upper", t(lang, "ab.upper")),
    ];
    let s = &r.stats;
    let rows = [
        ("A", &r.a, s.cr_a, s.interval_a),
        ("B", &r.b, s.cr_b, s.interval_b),
    ]
    .into_iter()
    .map(|(name, g, cr, interval)| {
        Row::new(vec![
            Cell::text(name),
            Cell::text(g.label.clone()),
            Cell::count(g.exposures, lang),
            Cell::count(g.conversions, lang),
            Cell::percent(cr, lang),
            Cell::percent(interval.map(|i| i[0]), lang),
            Cell::percent(interval.map(|i| i[1]), lang),
        ])
        .with_testid(format!("ab-group-{}", name.to_lowercase()))
    })
    .collect();
    TableData {
        id: "ab".into(),
        columns,
        rows,
    }
}
