//! Stock and replenishment (库存周转, DEFINITIONS §8): the settings and window in force, the demand
//! chart of one SKU with its 28-day forecast band, and the purchase list (at-risk SKUs first),
//! exportable as CSV.

use super::{
    chart_exports, currency, panel, ready_or_panel, table_block, table_exports, view_section,
    TableData, ViewName, ViewOptions,
};
use crate::analysis::filter::parse_day;
use crate::analysis::stock::{StockReport, StockRow};
use crate::report::Report;
use crate::time::format_day;
use crate::view::chart::{line_chart, ChartOptions, Series, Unit};
use crate::view::fmt::{self, Lang};
use crate::view::i18n::t;
use crate::view::node::{el, Element, Node};
use crate::view::table::{Cell, ColumnDef, Row, Value};

/// Days forecast after the window (DEFINITIONS §8).
pub const FORECAST_DAYS: i32 = 28;

/// The stock view.
pub fn stock(report: &Report, opts: &ViewOptions) -> Node {
    let mut view = view_section(ViewName::Stock, opts);
    if let Some(s) = ready_or_panel(&report.stock, "stock", &mut view, opts) {
        let cur = currency(report, opts);
        view.push(summary(s, opts));
        if let Some(row) = chart_row(s, opts) {
            view.push(demand_panel(s, row, opts));
        }
        let list = purchase_table(s, &cur, opts);
        view.push(
            panel(
                t(opts.lang, "section.purchase_list"),
                &table_exports(&list.id),
                opts,
            )
            .child(table_block(&list, opts)),
        );
    }
    view.into()
}

/// The tables of this view, with all rows.
pub(super) fn tables(report: &Report, opts: &ViewOptions) -> Vec<TableData> {
    let Some(s) = report.stock.ready() else {
        return Vec::new();
    };
    vec![purchase_table(s, &currency(report, opts), opts)]
}

fn display_name(row: &StockRow) -> &str {
    row.title
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or(&row.key)
}

/// The settings and window in force, the counts, and a warning when the window is short.
fn summary(s: &StockReport, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let settings = format!(
        "{} {} · {} {} (z = {}) · {} {} · {} {} – {} ({} {})",
        t(lang, "stock.lead_time"),
        days(s.lead_time_days, lang),
        t(lang, "stock.service_level"),
        fmt::percent(Some(s.service_level), lang),
        fmt::decimal(s.z, 3),
        t(lang, "stock.review_period"),
        days(s.review_days, lang),
        t(lang, "stock.window"),
        s.window.first_day,
        s.window.last_day,
        s.window.days,
        t(lang, "stock.days"),
    );
    let counts = format!(
        "{} {} · {} {} · {} {}",
        t(lang, "stock.at_risk"),
        s.at_risk,
        t(lang, "stock.with_stock"),
        s.with_stock,
        t(lang, "stock.demand_only"),
        s.products.len() - s.with_stock,
    );
    let mut block = el("div")
        .class("stock-summary")
        .testid("stock-summary")
        .child(el("p").testid("stock-settings").text(settings))
        .child(el("p").testid("stock-counts").text(counts));
    if s.window.days < s.window_days {
        let key = if s.window.days == 1 {
            "stock.note.one_day"
        } else {
            "stock.note.short_window"
        };
        block.push(
            el("p")
                .class("note")
                .testid("stock-short-window")
                .text(t(lang, key).replace("{}", &s.window.days.to_string())),
        );
    }
    block
}

/// `7` days or `7.5` days, as the settings were given.
fn days(x: f64, lang: Lang) -> String {
    let digits = if x.fract() == 0.0 { 0 } else { 1 };
    format!("{} {}", fmt::decimal(x, digits), t(lang, "stock.days"))
}

/// The SKU whose demand is drawn: the one named in the options, else the first listed (the most
/// urgent), among those with any demand in the window.
fn chart_row<'a>(s: &'a StockReport, opts: &ViewOptions) -> Option<&'a StockRow> {
    let chosen = opts
        .stock_product
        .as_deref()
        .and_then(|k| s.products.iter().find(|r| r.key == k));
    chosen.or_else(|| s.products.iter().find(|r| r.units > 0))
}

/// Daily units of the window and the forecast d with its band d ± z·σ (lower edge at 0) for the
/// next 28 days.
fn demand_panel(s: &StockReport, row: &StockRow, opts: &ViewOptions) -> Element {
    let lang = opts.lang;
    let n = row.daily_units.len();
    let total = n + FORECAST_DAYS as usize;
    // From the day's text: the report may have crossed JS and back, which keeps only the text.
    let first = parse_day(&s.window.first_day).unwrap_or(s.window.first);
    let labels: Vec<String> = (0..total as i32)
        .map(|i| format_day(first + i)[5..].to_string())
        .collect();
    let history: Vec<Option<f64>> = (0..total)
        .map(|i| row.daily_units.get(i).map(|&u| u as f64))
        .collect();
    let band = s.z * row.sigma;
    let future =
        |v: f64| -> Vec<Option<f64>> { (0..total).map(|i| (i >= n).then_some(v)).collect() };
    let series = vec![
        Series::new(t(lang, "stock.series.sold"), history),
        Series::new(t(lang, "stock.series.forecast"), future(row.daily_demand)),
        Series::new(
            t(lang, "stock.series.upper"),
            future(row.daily_demand + band),
        ),
        Series::new(
            t(lang, "stock.series.lower"),
            future((row.daily_demand - band).max(0.0)),
        ),
    ];
    let title = format!("{} · {}", t(lang, "section.demand"), display_name(row));
    let chart = line_chart(
        &series,
        &labels,
        &ChartOptions::new(lang, title.clone())
            .unit(Unit::Count)
            .labels(t(lang, "stock.day"), t(lang, "stock.units_per_day"))
            .size(960.0, 300.0)
            .id("chart-stock-demand"),
    );
    let note = t(lang, "stock.forecast_note")
        .replacen("{}", &s.window.first_day, 1)
        .replacen("{}", &s.window.last_day, 1)
        .replacen("{}", &fmt::decimal(row.daily_demand, 2), 1)
        .replacen("{}", &fmt::decimal(band, 2), 1);
    panel(&title, &chart_exports("stock-demand"), opts)
        .child(el("div").class("chart-box").child(chart))
        .child(
            el("p")
                .class("note")
                .testid("stock-forecast-note")
                .text(note),
        )
}

/// The status word of a row: at risk, no recent sales, no stock data, or enough.
fn status(row: &StockRow, lang: Lang) -> Cell {
    let (key, class) = if row.stock.is_none() {
        ("stock.status.no_stock_data", "stock-unknown")
    } else if row.at_risk {
        ("stock.status.at_risk", "stock-risk")
    } else if row.units == 0 {
        ("stock.status.no_recent_sales", "stock-idle")
    } else {
        ("stock.status.ok", "stock-ok")
    };
    Cell::text(t(lang, key)).with_class(class)
}

fn purchase_table(s: &StockReport, cur: &str, opts: &ViewOptions) -> TableData {
    let lang = opts.lang;
    let columns = vec![
        ColumnDef::text("key", t(lang, "product.key")),
        ColumnDef::text("title", t(lang, "product.title")),
        ColumnDef::text("status", t(lang, "stock.status")),
        ColumnDef::number("stock", t(lang, "stock.stock")),
        ColumnDef::number("units", t(lang, "stock.units_window")),
        ColumnDef::number("daily_demand", t(lang, "stock.daily_demand")),
        ColumnDef::number("sigma", t(lang, "stock.sigma")),
        ColumnDef::number("days_of_cover", t(lang, "stock.days_of_cover")),
        ColumnDef::number("sell_through", t(lang, "stock.sell_through")),
        ColumnDef::number("reorder_point", t(lang, "stock.reorder_point")),
        ColumnDef::number("suggested_order", t(lang, "stock.suggested_order")),
        ColumnDef::number("daily_revenue", t(lang, "stock.daily_revenue")),
    ];
    let rows = s
        .products
        .iter()
        .map(|row| {
            let cover = match (row.stock, row.days_of_cover) {
                (Some(_), None) => Cell::new(t(lang, "stock.no_recent_sales"), Value::Number(None)),
                (_, cover) => Cell::number(cover, 1),
            };
            Row::new(vec![
                Cell::text(row.key.clone()),
                Cell::text(row.title.clone().unwrap_or_default()),
                status(row, lang),
                row.stock
                    .map_or_else(|| Cell::number(None, 0), |n| Cell::int(n, lang)),
                Cell::int(row.units, lang),
                Cell::number(Some(row.daily_demand), 2),
                Cell::number(Some(row.sigma), 2),
                cover,
                Cell::percent(row.sell_through, lang),
                Cell::number(row.reorder_point, 1),
                row.suggested_order
                    .map_or_else(|| Cell::number(None, 0), |n| Cell::int(n, lang)),
                Cell::money_f(Some(row.daily_revenue), cur, lang),
            ])
            .with_testid(format!("stock-row-{}", row.key))
        })
        .collect();
    TableData {
        id: "stock".into(),
        columns,
        rows,
    }
}
