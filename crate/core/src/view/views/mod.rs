//! One function per view: a [`Report`] and [`ViewOptions`] in, a [`Node`] out.
//!
//! Each view is a `<section class="view view-{name}" id="view-{name}">` of panels. Stable hooks for the
//! page and the end-to-end tests: `data-testid` on figures (`kpi-gmv`, `funnel-step-0`,
//! `cohort-cell-{row}-{k}`, `segment-{code}`, `product-row-{key}`, `load-{i}` …); tables
//! `id="table-{id}"` whose CSV [`table_csv`] gives in full; charts `id="chart-{id}"`; export
//! buttons `data-export="csv|svg|png" data-target="{element id}"`; view controls
//! `data-option="{ViewOptions field}" data-value="{value}" aria-pressed` that the page turns into
//! new options and a re-render. A section the data cannot support is an `unavailable` panel naming
//! the export that would unlock it.

mod ab;
mod actions;
mod blocker;
mod breakdown;
mod codes;
mod cohorts;
mod currency;
mod customers;
mod document;
mod funnel;
mod loads;
mod overview;
mod products;
mod promotion;
mod stock;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fmt::Lang;
use super::i18n::{code_text, t, t_with};
use super::node::{el, Element, Node};
use super::table::{self, ColumnDef, Row};
use crate::analysis::breakdown::Dimension;
use crate::analysis::rfm::Segment;
use crate::analysis::Unavailable;
use crate::report::{Report, Section};
use crate::time::Grain;

pub use ab::ab;
pub use blocker::{banner, blockers, Blocker, Cause};
pub use cohorts::cohorts;
pub use customers::customers;
pub use document::{report_html, REPORT_CSP};
pub use funnel::funnel;
pub use loads::loads;
pub use overview::overview;
pub use products::products;
pub use promotion::promotion;
pub use stock::stock;

/// What a cohort heatmap shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortMetric {
    /// retention(c, k) as a percentage.
    #[default]
    Retention,
    /// active(c, k): customers of the cohort who bought in period c + k.
    Customers,
    /// revenue(c, k): GMV of the cohort's customers in period c + k.
    Revenue,
}

/// A table sort: column key and direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortBy {
    /// Column key, e.g. `revenue`, `units`, `growth`, `title`.
    pub column: String,
    /// Largest first when true.
    pub descending: bool,
}

/// How the views are rendered. From JS, unknown fields are an error; missing ones take defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ViewOptions {
    /// Display language (`zh-CN` or `en`).
    pub lang: Lang,
    /// ISO currency code of the amounts (`CNY`, `USD` …); `None`: guessed from the platforms loaded
    /// (Chinese platforms CNY, others USD).
    pub currency: Option<String>,
    /// Period of the overview trend; `None`: days for up to 62 days of data, else weeks for up to
    /// 52 weeks, else months.
    pub grain: Option<Grain>,
    /// The dimension the overview trend is split by (one line per group) and whose breakdown panel
    /// is shown; `None`: no split.
    pub split_by: Option<Dimension>,
    /// What the cohort heatmap shows.
    pub cohort_metric: CohortMetric,
    /// The RFM segment whose customers are listed.
    pub segment: Option<Segment>,
    /// Sort of the product ranking; default revenue, largest first.
    pub sort: Option<SortBy>,
    /// Products whose key, title or category contains this text (case-insensitive).
    pub product_filter: Option<String>,
    /// The product (key) whose demand and forecast the stock view draws; `None`: the first listed.
    pub stock_product: Option<String>,
    /// Rows shown per long table (the CSV export has them all).
    pub max_rows: usize,
    /// Export buttons and view controls; off for the static HTML report, which has no script.
    pub interactive: bool,
    /// Files whose mapping the page remembers for their header layout (the Data view says so and
    /// offers to forget it): file name → whether the remembered mapping was applied on loading.
    pub saved_mappings: BTreeMap<String, SavedMapping>,
    /// Set by [`render`] while the [`banner`] names a blocked file: sections without data then
    /// point to the banner instead of each guessing a cause. Not an option the caller sets.
    #[serde(skip)]
    pub defer_to_banner: bool,
}

/// How the page holds a file's remembered mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedMapping {
    /// Saved earlier for this header layout and applied when the file was loaded.
    Applied,
    /// The corrections just made, remembered for files with this header layout.
    Remembered,
}

impl Default for ViewOptions {
    fn default() -> ViewOptions {
        ViewOptions {
            lang: Lang::default(),
            currency: None,
            grain: None,
            split_by: None,
            cohort_metric: CohortMetric::default(),
            segment: None,
            sort: None,
            product_filter: None,
            stock_product: None,
            max_rows: 200,
            interactive: true,
            saved_mappings: BTreeMap::new(),
            defer_to_banner: false,
        }
    }
}

/// The views, in page order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewName {
    Overview,
    Funnel,
    Cohorts,
    Customers,
    Products,
    Stock,
    Ab,
    Promotion,
    Loads,
}

impl ViewName {
    pub const ALL: [ViewName; 9] = [
        ViewName::Overview,
        ViewName::Funnel,
        ViewName::Cohorts,
        ViewName::Customers,
        ViewName::Products,
        ViewName::Promotion,
        ViewName::Stock,
        ViewName::Ab,
        ViewName::Loads,
    ];

    /// Stable name: `overview`, `funnel` …
    pub fn code(self) -> &'static str {
        match self {
            ViewName::Overview => "overview",
            ViewName::Funnel => "funnel",
            ViewName::Cohorts => "cohorts",
            ViewName::Customers => "customers",
            ViewName::Products => "products",
            ViewName::Stock => "stock",
            ViewName::Ab => "ab",
            ViewName::Promotion => "promotion",
            ViewName::Loads => "loads",
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            ViewName::Overview => "view.overview",
            ViewName::Funnel => "view.funnel",
            ViewName::Cohorts => "view.cohorts",
            ViewName::Customers => "view.customers",
            ViewName::Products => "view.products",
            ViewName::Stock => "view.stock",
            ViewName::Ab => "view.ab",
            ViewName::Promotion => "view.promotion",
            ViewName::Loads => "view.loads",
        }
    }
}

/// Renders one view.
pub fn render(report: &Report, opts: &ViewOptions, view: ViewName) -> Node {
    let deferring;
    let opts = if view != ViewName::Loads && !blockers(report).is_empty() {
        deferring = ViewOptions {
            defer_to_banner: true,
            ..opts.clone()
        };
        &deferring
    } else {
        opts
    };
    let node = match view {
        ViewName::Overview => overview(report, opts),
        ViewName::Funnel => funnel(report, opts),
        ViewName::Cohorts => cohorts(report, opts),
        ViewName::Customers => customers(report, opts),
        ViewName::Products => products(report, opts),
        ViewName::Stock => stock(report, opts),
        ViewName::Ab => ab(report, opts),
        ViewName::Promotion => promotion(report, opts),
        ViewName::Loads => loads(report, opts),
    };
    // Every view says which currency its figures are in (just below its title); the overview and
    // the load report also when there is one currency.
    match node {
        Node::Element(mut section) => {
            let always = matches!(view, ViewName::Overview | ViewName::Loads);
            if let Some(line) = currency::currency_line(report, opts, always) {
                let at = section.children.len().min(1);
                section.children.insert(at, line.into());
            }
            Node::Element(section)
        }
        node => node,
    }
}

/// A table's columns and all its rows: what a view shows (cut to `max_rows`) and CSV exports.
#[derive(Clone, Debug, PartialEq)]
pub struct TableData {
    /// Stable id: the table element is `table-{id}`.
    pub id: String,
    pub columns: Vec<ColumnDef>,
    pub rows: Vec<Row>,
}

/// The rejected rows' examples of one load report as CSV: file, line, reason, column, value,
/// message (the headers are the machine names, as scripts reading the download expect).
fn rejections_csv(load: &crate::ingest::LoadReport) -> String {
    let headers =
        ["file", "line", "reason", "column", "value", "message"].map(|h| ColumnDef::text(h, h));
    let rows: Vec<Row> = load
        .rejected
        .iter()
        .flat_map(|r| {
            r.examples.iter().map(move |e| {
                Row::new(vec![
                    table::Cell::text(load.file.clone()),
                    table::Cell::new(e.line.to_string(), table::Value::Int(e.line as i64)),
                    table::Cell::text(r.code),
                    table::Cell::text(e.column.clone().unwrap_or_default()),
                    table::Cell::text(e.value.clone()),
                    table::Cell::text(r.message.clone()),
                ])
            })
        })
        .collect();
    table::to_csv(&headers, &rows)
}

/// The full CSV (UTF-8 with BOM) of table `id` (`products`, `segments`, `load-0-rejected` …; a
/// `table-` prefix is accepted), or `None` when the report has no such table.
pub fn table_csv(report: &Report, opts: &ViewOptions, id: &str) -> Option<String> {
    let id = id.strip_prefix("table-").unwrap_or(id);
    // Rejected rows: one line per example, with its message, through the one CSV writer (a
    // rejected cell `=1+2` must not come back as a live formula).
    if let Some(load) = id
        .strip_prefix("load-")
        .and_then(|rest| rest.strip_suffix("-rejected"))
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| report.loads.get(i))
    {
        return Some(rejections_csv(load));
    }
    let all_rows = ViewOptions {
        max_rows: usize::MAX,
        ..opts.clone()
    };
    let found = actions::tables(report, &all_rows)
        .into_iter()
        .chain(funnel::tables(report, &all_rows))
        .chain(cohorts::tables(report, &all_rows))
        .chain(customers::tables(report, &all_rows))
        .chain(products::tables(report, &all_rows))
        .chain(stock::tables(report, &all_rows))
        .chain(ab::tables(report, &all_rows))
        .chain(promotion::tables(report, &all_rows))
        .chain(loads::tables(report, &all_rows))
        .chain(breakdown::tables(report, &all_rows))
        .find(|t| t.id == id)?;
    Some(table::to_csv(&found.columns, &found.rows))
}

/// The currency of the amounts: the option, else the report's (named by an export, else by the
/// platforms: see `Dataset::currency_code`).
pub fn currency(report: &Report, opts: &ViewOptions) -> String {
    if let Some(code) = opts.currency.as_deref().filter(|c| !c.trim().is_empty()) {
        return code.trim().to_ascii_uppercase();
    }
    report.currency.clone()
}

// ---- Building blocks shared by the views ----

/// A count for display: `u64` figures never exceed `i64` in practice; saturate if one did.
fn count_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The `<section>` of a view with its title.
fn view_section(view: ViewName, opts: &ViewOptions) -> Element {
    el("section")
        .class("view")
        .class(format!("view-{}", view.code()))
        .attr("id", format!("view-{}", view.code()))
        .attr("data-view", view.code())
        .child(el("h2").text(t(opts.lang, view.title_key())))
}

/// One export button: `kind` (`csv`, `svg` or `png`) of the element whose id is `target`.
#[derive(Clone, Debug, PartialEq)]
struct Export {
    kind: &'static str,
    target: String,
    /// Names the exported element when its panel exports several of one kind (two charts): the
    /// buttons then read "GMV trend: SVG PNG" instead of two identical "Export SVG" pairs.
    of: Option<String>,
}

/// A titled panel. Its export buttons (interactive only) target the given element ids; the
/// buttons of one element stay together, behind its name when it has one.
fn panel(title: &str, exports: &[Export], opts: &ViewOptions) -> Element {
    let mut head = el("div").class("panel-head").child(el("h3").text(title));
    if opts.interactive && !exports.is_empty() {
        let groups = exports.chunk_by(|a, b| a.target == b.target && a.of == b.of);
        head = head.child(
            el("div")
                .class("exports")
                .children(groups.map(|group| export_group(group, opts.lang))),
        );
    }
    el("div").class("panel").child(head)
}

/// The buttons of one exported element: `导出 SVG` alone, or `{name}: SVG PNG` when named.
fn export_group(group: &[Export], lang: Lang) -> Element {
    let full_label = |kind: &str| match kind {
        "csv" => t(lang, "export.csv"),
        "svg" => t(lang, "export.svg"),
        _ => t(lang, "export.png"),
    };
    let of = group.first().and_then(|e| e.of.as_deref());
    let buttons = group.iter().map(|e| {
        let button = el("button")
            .attr("type", "button")
            .class("export")
            .attr("data-export", e.kind)
            .attr("data-target", e.target.clone());
        match of {
            // The group's name says what; the button says the format, and in full to a screen reader.
            Some(name) => button
                .attr("aria-label", format!("{} · {name}", full_label(e.kind)))
                .text(e.kind.to_ascii_uppercase()),
            None => button.text(full_label(e.kind)),
        }
    });
    let group_element = el("div").class("export-group").attr("role", "group");
    match of {
        Some(name) => group_element
            .class("named")
            .attr("aria-label", name)
            .child(
                el("span")
                    .class("export-of")
                    .text(t_with(lang, "export.of", name)),
            )
            .children(buttons),
        None => group_element.children(buttons),
    }
}

/// Export buttons for a chart: SVG and PNG of `chart-{id}`.
fn chart_exports(id: &str) -> Vec<Export> {
    ["svg", "png"]
        .into_iter()
        .map(|kind| Export {
            kind,
            target: format!("chart-{id}"),
            of: None,
        })
        .collect()
}

/// Export button for a table: CSV of `table-{id}`.
fn table_exports(id: &str) -> Vec<Export> {
    vec![Export {
        kind: "csv",
        target: format!("table-{id}"),
        of: None,
    }]
}

/// The same buttons, named after the element they export (see [`Export::of`]).
fn named(exports: Vec<Export>, of: &str) -> Vec<Export> {
    exports
        .into_iter()
        .map(|e| Export {
            of: Some(of.to_string()),
            ..e
        })
        .collect()
}

/// A table element for `data`, cut to `max_rows` rows with a note saying so.
fn table_block(data: &TableData, opts: &ViewOptions) -> Element {
    let shown = data.rows.len().min(opts.max_rows);
    let mut wrap = el("div").class("table-wrap").child(
        table::table(&data.columns, &data.rows[..shown])
            .attr("id", format!("table-{}", data.id))
            .attr("data-table", data.id.clone()),
    );
    if data.rows.is_empty() {
        wrap.push(el("p").class("empty").text(t(opts.lang, "table.empty")));
    } else if shown < data.rows.len() {
        wrap.push(el("p").class("more-rows").text(t_with(
            opts.lang,
            "table.more_rows",
            &shown.to_string(),
        )));
    }
    wrap
}

/// The explanation of an unavailable section, by its code.
fn unavailable_text(reason: &Unavailable, lang: Lang) -> String {
    code_text(lang, reason.code).to_string()
}

/// The friendly panel shown instead of a section the data cannot support.
fn unavailable_panel(section: &str, reason: &Unavailable, opts: &ViewOptions) -> Element {
    if opts.defer_to_banner {
        return blocker::deferred_panel(section, reason.code, opts.lang);
    }
    el("div")
        .class("unavailable")
        .attr("role", "note")
        .attr("data-code", reason.code)
        .testid(format!("unavailable-{section}"))
        .child(el("h3").text(t(opts.lang, "unavailable.title")))
        .child(el("p").text(unavailable_text(reason, opts.lang)))
}

/// The data of a ready section, or the unavailable panel appended to `view`.
fn ready_or_panel<'a, T>(
    section: &'a Section<T>,
    name: &str,
    view: &mut Element,
    opts: &ViewOptions,
) -> Option<&'a T> {
    match section {
        Section::Ready { data } => Some(data),
        Section::Unavailable { reason } => {
            view.push(unavailable_panel(name, reason, opts));
            None
        }
    }
}

/// A group of toggle buttons setting one view option (`data-option`), the current one pressed.
/// Rendered only when interactive.
fn toggle(
    option: &'static str,
    choices: &[(&str, &str)],
    current: &str,
    opts: &ViewOptions,
) -> Option<Element> {
    if !opts.interactive {
        return None;
    }
    Some(
        el("div")
            .class("toggle")
            .attr("role", "group")
            .attr("data-option", option)
            .children(choices.iter().map(|(value, label)| {
                el("button")
                    .attr("type", "button")
                    .attr("data-option", option)
                    .attr("data-value", *value)
                    .attr(
                        "aria-pressed",
                        if *value == current { "true" } else { "false" },
                    )
                    .text(*label)
            })),
    )
}
