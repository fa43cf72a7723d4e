//! Products: the ranking table (sortable, filterable), Pareto (ABC), BCG matrix and the
//! 潜力 / 可执行 / 风险 scorecard with the components behind each score.

use std::cmp::Ordering;

use super::codes;
use super::{
    chart_exports, currency, panel, ready_or_panel, table_block, table_exports, view_section,
    TableData, ViewName, ViewOptions,
};
use crate::analysis::products::{
    AbcClass, Component, GrowthStatus, ProductReport, ProductRow, ScoreDetail,
};
use crate::report::Report;
use crate::view::chart::{
    pareto, scatter, ChartOptions, ParetoItem, Quadrants, ScatterPoint, Unit,
};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::{by_code, t};
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row, Value};

/// Growth is drawn within −100 % … +300 %; beyond, the point sits on the edge and its name says
/// the real figure, so one outlier does not flatten the matrix.
const GROWTH_SHOWN: (f64, f64) = (-1.0, 3.0);
/// Points named on the BCG matrix: the largest products by revenue.
const LABELLED_POINTS: usize = 8;

/// The products view.
pub fn products(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Products, opts);
    if let Some(p) = ready_or_panel(&report.products, "products", &mut view, opts) {
        let cur = currency(report, opts);
        view.push(summary(p, &cur, opts));
        let ranking = ranking_table(p, &cur, opts);
        view.push(
            panel(
                t(opts.lang, "section.ranking"),
                &table_exports(&ranking.id),
                opts,
            )
            .child(table_block(&ranking, opts)),
        );
        view.push(pareto_panel(p, &cur, opts));
        view.push(bcg_panel(p, opts));
        let scorecard = scorecard_table(p, &cur, opts);
        view.push(
            panel(
                t(opts.lang, "section.scorecard"),
                &table_exports(&scorecard.id),
                opts,
            )
            .child(table_block(&scorecard, opts)),
        );
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let Some(p) = report.products.ready() else {
        return Vec::new();
    };
    let cur = currency(report, opts);
    vec![ranking_table(p, &cur, opts), scorecard_table(p, &cur, opts)]
}

fn display_name(row: &ProductRow) -> &str {
    row.title
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or(&row.key)
}

fn summary(p: &ProductReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let counts = p.class_counts;
    let text = format!(
        "{} {} · {} {} · {} {} · {} {} · {} {}",
        t(lang, "product.revenue"),
        fmt::money(p.total_revenue, cur, lang),
        t(lang, "abc.a"),
        counts.a,
        t(lang, "abc.b"),
        counts.b,
        t(lang, "abc.c"),
        counts.c,
        t(lang, "product.growth"),
        fmt::change(p.shop_growth)
    );
    el("p")
        .class("products-summary")
        .testid("products-summary")
        .text(text)
}

/// Products passing the filter, with their 1-based revenue rank, in the chosen order.
fn selected<'a>(p: &'a ProductReport, opts: &ViewOptions) -> Vec<(usize, &'a ProductRow)> {
    let needle = opts
        .product_filter
        .as_deref()
        .map(|f| f.trim().to_lowercase())
        .filter(|f| !f.is_empty());
    let mut rows: Vec<(usize, &'a ProductRow)> = p
        .products
        .iter()
        .enumerate()
        .map(|(i, row)| (i + 1, row))
        .filter(|(_, row)| match &needle {
            None => true,
            Some(n) => [Some(&row.key), row.title.as_ref(), row.category.as_ref()]
                .into_iter()
                .flatten()
                .any(|s| s.to_lowercase().contains(n.as_str())),
        })
        .collect();
    if let Some(sort) = &opts.sort {
        // A stable sort, so equal values keep the revenue ranking; undefined values go last
        // whichever the direction.
        rows.sort_by(|a, b| {
            let (x, y) = (sort_key(&sort.column, a), sort_key(&sort.column, b));
            match (x, y) {
                (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
                (SortKey::Missing, _) => Ordering::Greater,
                (_, SortKey::Missing) => Ordering::Less,
                (x, y) if sort.descending => y.cmp(&x),
                (x, y) => x.cmp(&y),
            }
        });
    }
    rows
}

#[derive(PartialEq, PartialOrd)]
enum SortKey<'a> {
    Number(f64),
    Text(&'a str),
    Missing,
}

impl SortKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.partial_cmp(other).unwrap_or(Ordering::Equal)
    }
}

fn sort_key<'a>(column: &str, (rank, row): &(usize, &'a ProductRow)) -> SortKey<'a> {
    let number = |v: Option<f64>| {
        v.filter(|x| x.is_finite())
            .map_or(SortKey::Missing, SortKey::Number)
    };
    match column {
        "rank" => SortKey::Number(*rank as f64),
        "key" => SortKey::Text(&row.key),
        "title" => SortKey::Text(display_name(row)),
        "category" => row
            .category
            .as_deref()
            .map_or(SortKey::Missing, SortKey::Text),
        "revenue" => SortKey::Number(row.revenue as f64),
        "share" => number(row.share),
        "units" => SortKey::Number(row.units as f64),
        "paid_orders" => SortKey::Number(row.paid_orders as f64),
        "buyers" => number(row.buyers.map(|b| b as f64)),
        "refund_rate" => number(row.refund_rate),
        "avg_selling_price" => number(row.avg_selling_price),
        "growth" => number(row.growth),
        "abc" => SortKey::Text(codes::abc(row.abc).1),
        "quadrant" => SortKey::Text(codes::quadrant(row.quadrant).1),
        _ => SortKey::Number(*rank as f64),
    }
}

fn growth_cell(row: &ProductRow, lang: Lang) -> Cell {
    match row.growth_status {
        GrowthStatus::New => Cell::new(t(lang, "product.growth_new"), Value::Number(None)),
        GrowthStatus::Measured => Cell::new(fmt::change(row.growth), Value::Number(row.growth)),
    }
}

fn ranking_table(p: &ProductReport, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::number("rank", t(lang, "product.rank")),
        ColumnDef::text("key", t(lang, "product.key")),
        ColumnDef::text("title", t(lang, "product.title")),
        ColumnDef::text("category", t(lang, "product.category")),
        ColumnDef::number("revenue", t(lang, "product.revenue")),
        ColumnDef::number("share", t(lang, "product.share")),
        ColumnDef::number("units", t(lang, "product.units")),
        ColumnDef::number("paid_orders", t(lang, "product.paid_orders")),
        ColumnDef::number("buyers", t(lang, "product.buyers")),
        ColumnDef::number("refund_rate", t(lang, "product.refund_rate")),
        ColumnDef::number("avg_selling_price", t(lang, "product.avg_selling_price")),
        ColumnDef::number("growth", t(lang, "product.growth")),
        ColumnDef::text("abc", t(lang, "product.abc")),
        ColumnDef::text("quadrant", t(lang, "product.quadrant")),
    ];
    let rows = selected(p, opts)
        .into_iter()
        .map(|(rank, row)| {
            let (abc_key, abc_class) = codes::abc(row.abc);
            let (quadrant_key, quadrant_class, _) = codes::quadrant(row.quadrant);
            let optional_count = |n: Option<u64>| match n {
                Some(n) => Cell::count(n, lang),
                None => Cell::number(None, 0),
            };
            Row::new(vec![
                Cell::count(rank as u64, lang),
                Cell::text(row.key.clone()),
                Cell::text(row.title.clone().unwrap_or_default()),
                Cell::text(row.category.clone().unwrap_or_default()),
                Cell::money(row.revenue, cur, lang),
                Cell::percent(row.share, lang),
                Cell::int(row.units, lang),
                Cell::count(row.paid_orders, lang),
                optional_count(row.buyers),
                Cell::percent(row.refund_rate, lang),
                Cell::money_f(row.avg_selling_price, cur, lang),
                growth_cell(row, lang),
                Cell::text(t(lang, abc_key)).with_class(abc_class),
                Cell::text(t(lang, quadrant_key)).with_class(quadrant_class),
            ])
            .with_testid(format!("product-row-{}", row.key))
        })
        .collect();
    TableData {
        id: "products".into(),
        columns,
        rows,
    }
}

fn pareto_panel(p: &ProductReport, cur: &str, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let items: Vec<ParetoItem> = p
        .pareto
        .iter()
        .zip(&p.products)
        .map(|(point, row)| ParetoItem {
            label: display_name(row).to_string(),
            value: row.revenue as f64,
            cumulative_share: point.cumulative_share,
        })
        .collect();
    let chart = pareto(
        &items,
        &ChartOptions::new(lang, t(lang, "section.pareto"))
            .unit(Unit::Money(cur.to_string()))
            .labels(t(lang, "chart.rank"), t(lang, "product.revenue"))
            .id("chart-pareto"),
    );
    panel(t(lang, "section.pareto"), &chart_exports("pareto"), opts)
        .child(el("div").class("chart-box").child(chart))
}

/// The share dividing class A from the rest: midway between the smallest A share and the largest
/// other share (all A products lie right of it, all others left).
fn share_threshold(p: &ProductReport) -> f64 {
    let shares = |a: bool| {
        p.products
            .iter()
            .filter(move |r| (r.abc == AbcClass::A) == a)
            .filter_map(|r| r.share)
    };
    let smallest_a = shares(true).fold(f64::INFINITY, f64::min);
    let largest_other = shares(false).fold(f64::NEG_INFINITY, f64::max);
    match (smallest_a.is_finite(), largest_other.is_finite()) {
        (true, true) => (smallest_a + largest_other) / 2.0,
        (true, false) => smallest_a,
        (false, true) => largest_other,
        (false, false) => 0.0,
    }
}

fn bcg_panel(p: &ProductReport, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let (low, high) = GROWTH_SHOWN;
    let mut new_products = 0;
    let points: Vec<ScatterPoint> = p
        .products
        .iter()
        .enumerate()
        .filter_map(|(rank, row)| {
            let Some(growth) = row.growth.filter(|g| g.is_finite()) else {
                new_products += 1;
                return None;
            };
            let shown = growth.clamp(low, high);
            let name = if shown == growth {
                display_name(row).to_string()
            } else {
                format!("{} ({})", display_name(row), fmt::change(Some(growth)))
            };
            Some(ScatterPoint {
                name,
                x: row.share.unwrap_or(0.0),
                y: shown,
                group: codes::quadrant(row.quadrant).2,
                show_label: rank < LABELLED_POINTS,
                testid: Some(format!("bcg-{}", row.key)),
            })
        })
        .collect();
    let quadrants = Quadrants {
        x: share_threshold(p),
        y: p.shop_growth
            .filter(|g| g.is_finite())
            .unwrap_or(0.0)
            .clamp(low, high),
        top_left: t(lang, "quadrant.question_mark").into(),
        top_right: t(lang, "quadrant.star").into(),
        bottom_left: t(lang, "quadrant.dog").into(),
        bottom_right: t(lang, "quadrant.cash_cow").into(),
    };
    let chart = scatter(
        &points,
        &ChartOptions::new(lang, t(lang, "section.bcg"))
            .unit(Unit::Ratio)
            .x_unit(Unit::Ratio)
            .labels(t(lang, "product.share"), t(lang, "product.growth"))
            .size(960.0, 380.0)
            .id("chart-bcg"),
        Some(&quadrants),
    );
    let note = (new_products > 0).then(|| {
        el("p").class("note").text(format!(
            "{}: {new_products} → {}",
            t(lang, "product.growth_new"),
            t(lang, "quadrant.question_mark")
        ))
    });
    panel(t(lang, "section.bcg"), &chart_exports("bcg"), opts)
        .child(el("div").class("chart-box").child(chart))
        .child_opt(note)
}

/// A component's value as text, in its own unit.
fn component_text(c: &Component, cur: &str, lang: Lang) -> String {
    let Some(v) = c.value else {
        return fmt::DASH.to_string();
    };
    let value = match c.name.as_str() {
        "growth" => fmt::change(Some(v)),
        "stock_cover_days" => fmt::decimal(v, 1),
        "avg_selling_price" => fmt::money_f(Some(v), cur, lang),
        "stock_out" => (if v > 0.0 { "✔" } else { "–" }).to_string(),
        _ => fmt::percent(Some(v), lang),
    };
    match c.percentile {
        Some(p) => format!("{value} · P{}", fmt::decimal(p, 0)),
        None => value,
    }
}

/// The fixed component order of each score (DEFINITIONS §6), for the scorecard columns.
const SCORES: [(&str, [&str; 3]); 3] = [
    (
        "potential",
        ["growth", "item_conversion", "repeat_buyer_rate"],
    ),
    (
        "feasibility",
        ["margin", "stock_cover_days", "avg_selling_price"],
    ),
    ("risk", ["refund_rate", "top_buyer_share", "stock_out"]),
];

fn scorecard_table(p: &ProductReport, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let mut columns = vec![ColumnDef::text("product", t(lang, "product.title"))];
    for (score, components) in SCORES {
        let score_label = by_code(lang, "score", score).unwrap_or(score);
        columns.push(ColumnDef::number(score, score_label));
        for name in components {
            let label = by_code(lang, "component", name).unwrap_or(name);
            columns.push(ColumnDef::number(format!("{score}_{name}"), label));
        }
    }
    let rows = selected(p, opts)
        .into_iter()
        .map(|(_, row)| {
            let mut cells = vec![Cell::text(display_name(row))];
            let details: [&ScoreDetail; 3] = [
                &row.scorecard.potential,
                &row.scorecard.feasibility,
                &row.scorecard.risk,
            ];
            for ((_, names), detail) in SCORES.iter().zip(details) {
                cells.push(Cell::number(detail.score, 0));
                for name in names {
                    cells.push(match detail.components.iter().find(|c| c.name == *name) {
                        Some(c) => Cell::new(component_text(c, cur, lang), Value::Number(c.value)),
                        None => Cell::number(None, 0),
                    });
                }
            }
            Row::new(cells).with_testid(format!("scorecard-row-{}", row.key))
        })
        .collect();
    TableData {
        id: "scorecard".into(),
        columns,
        rows,
    }
}
