//! SQL scripts that compute shoplens' figures where the data lives (issue 14): for a brand whose
//! orders outgrow a browser tab, the same definitions (`shared/DEFINITIONS.md`) as DuckDB or Spark
//! SQL over the user's own exports.
//!
//! A script is generated from what ingest decided about a loaded file — its [`LoadReport`]: kind,
//! each role's column as the export names it, encoding and delimiter, the amount grain, the status
//! values — and from the analysis options. Values are read the way ingest reads them, by
//! expressions generated from the engine's own tables ([`normalize`]): placeholders, currency
//! marks, statuses, event names. Every script is one readable query: named CTEs, one per step of
//! the definition, each with a comment citing its DEFINITIONS section, the export's own column
//! names quoted for the dialect.
//!
//! Sections: [`SqlSection`]. Dialects: [`Dialect`]. The figures of every script are checked
//! against the engine's report on the fixtures by `tests/independent/check_sql.py`.

mod ab;
mod actions;
mod breakdowns;
mod cohort;
pub mod dialect;
mod funnel;
mod funnel_groups;
mod funnel_traffic;
mod funnel_trend;
mod kpi;
pub mod normalize;
mod orders;
mod products;
mod promotion;
mod read;
mod rfm;
mod stock;
mod traffic;

use serde::{Deserialize, Serialize};

pub use dialect::Dialect;

use crate::ingest::{FileOptions, LoadReport};
use crate::model::DatasetKind;
use crate::report::AnalyzeOptions;

/// What a script computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SqlSection {
    /// §2 KPIs over the whole range: GMV, refunds, paid orders, buyers, AOV, 客单价, units, refund
    /// and repurchase rates, new and returning buyers. One row.
    Kpi,
    /// §2 KPIs per day, ISO week and month: one row per period with paid orders, `grain` =
    /// `day` | `week` | `month`.
    KpiSeries,
    /// §3 monthly (or weekly) cohorts: size, active customers, retention, revenue and the LTV
    /// curve per cohort and offset, and the all-cohort row.
    Cohorts,
    /// §4 RFM: each customer's R, F, M values, 1–5 scores and segment, and the eight segments'
    /// customers and revenue.
    Rfm,
    /// §6 products: revenue and refunds allocated to line items to the cent (largest remainder),
    /// units, paid orders, buyers, growth windows, the ranking, ABC classes, quadrants and the
    /// 潜力 / 可执行 / 风险 scorecard (components, percentiles, scores; unit cost and stock from the
    /// product lists loaded beside the orders).
    Products,
    /// §5 funnel over a behaviour log: users per step, distinct or sequential within the
    /// conversion window (the report's funnel options), with conversion and drop-off; the time to
    /// convert (sequential mode), the trend per period of the trend grain, the breakdown by
    /// category, brand or item and the per-item funnels (`funnel_groups`), the event names and the
    /// users. One result set with a `part` column.
    Funnel,
    /// §9 A/B readout over a behaviour log: two groups' exposures and conversions (the log's
    /// experiment groups, two items or two periods: the report's A/B options), CR with Wilson
    /// intervals, the difference with Newcombe's interval, lift, p-value, verdict and sample size.
    Ab,
    /// §7 promotion readout over an order export: the campaign window (the options', else the
    /// top GMV peak), baseline and after-window with every §2 KPI per window and per covered
    /// day, the orders decomposition of GMV, new buyers, refunds, product lift. One result set
    /// with a `part` column.
    Promotion,
    /// §8 stock and replenishment over an order export and the product/SKU list(s) with stock
    /// loaded beside it: per product the window's daily demand and σ, days of cover,
    /// sell-through, reorder point, suggested order and forecast band, in the report's order.
    Stock,
    /// §10 breakdowns: the §2 KPIs and the share of GMV per group of every dimension the export
    /// carries (platform, shop, channel, region, customer type, category — from the export or the
    /// product lists loaded beside it), "unknown" for blanks, and the trend of the largest groups
    /// and "other" per day, week and month. One row per dimension and group (`grain` = `all`),
    /// and per dimension, grain, period and series.
    Breakdowns,
    /// §11 the action list (操作清单) over an order export (and the SKU/stock lists and the
    /// behaviour logs or traffic exports loaded beside it): restock, win back, refund spike, fix a
    /// funnel step and ride a riser, each rule that fires with its stake and its list, ranked by
    /// stake. One row per list row.
    Actions,
}

impl SqlSection {
    pub fn code(self) -> &'static str {
        match self {
            SqlSection::Kpi => "kpi",
            SqlSection::KpiSeries => "kpi_series",
            SqlSection::Cohorts => "cohorts",
            SqlSection::Rfm => "rfm",
            SqlSection::Products => "products",
            SqlSection::Funnel => "funnel",
            SqlSection::Ab => "ab",
            SqlSection::Promotion => "promotion",
            SqlSection::Stock => "stock",
            SqlSection::Breakdowns => "breakdowns",
            SqlSection::Actions => "actions",
        }
    }

    pub fn from_code(code: &str) -> Option<SqlSection> {
        SqlSection::all().iter().copied().find(|s| s.code() == code)
    }

    pub fn all() -> &'static [SqlSection] {
        &[
            SqlSection::Kpi,
            SqlSection::KpiSeries,
            SqlSection::Cohorts,
            SqlSection::Rfm,
            SqlSection::Products,
            SqlSection::Funnel,
            SqlSection::Ab,
            SqlSection::Promotion,
            SqlSection::Stock,
            SqlSection::Breakdowns,
            SqlSection::Actions,
        ]
    }

    /// Whether the section reads a file of this kind as its primary file (the one a request
    /// names; a section that reads more, such as stock's SKU lists, finds them among the others).
    pub fn reads(self, kind: DatasetKind) -> bool {
        match self {
            SqlSection::Kpi
            | SqlSection::KpiSeries
            | SqlSection::Cohorts
            | SqlSection::Rfm
            | SqlSection::Products
            | SqlSection::Promotion
            | SqlSection::Stock
            | SqlSection::Breakdowns
            | SqlSection::Actions => {
                matches!(kind, DatasetKind::Orders | DatasetKind::OrderLines)
            }
            SqlSection::Funnel => matches!(kind, DatasetKind::Events | DatasetKind::Traffic),
            SqlSection::Ab => kind == DatasetKind::Events,
        }
    }
}

/// Where the script reads the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum SqlSource {
    /// A CSV file at this path (as the database sees it).
    File(String),
    /// A table (or view) whose columns are the export's, as text.
    Table(String),
}

/// Why no script could be written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SqlError {
    /// Stable snake_case code: `file_not_loaded`, `wrong_kind`, `detail_lines` …
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SqlError {}

fn err(code: &'static str, message: impl Into<String>) -> SqlError {
    SqlError {
        code,
        message: message.into(),
    }
}

/// Write the script of `section` for one loaded file read alone: [`script_with`] without other
/// files.
pub fn script(
    load: &LoadReport,
    options: &AnalyzeOptions,
    section: SqlSection,
    dialect: Dialect,
    source: &SqlSource,
) -> Result<String, SqlError> {
    script_with(load, &[], options, section, dialect, source)
}

/// Write the script of `section` for the loaded file `load` (read from `source`), with the
/// session's other loaded files `others`, each with where the database reads it. A section over
/// one file ignores them; one that reads more (stock: the order export and the SKU lists beside
/// it; breakdowns: the product lists that give categories) takes from them the files it needs, and refuses what would make its figures differ from
/// the engine's over the same session.
pub fn script_with(
    load: &LoadReport,
    others: &[(&LoadReport, SqlSource)],
    options: &AnalyzeOptions,
    section: SqlSection,
    dialect: Dialect,
    source: &SqlSource,
) -> Result<String, SqlError> {
    if let Some(e) = &load.error {
        return Err(err(
            "file_not_loaded",
            format!("{} could not be read: {}", load.file, e.code()),
        ));
    }
    if !options.filter.is_empty() {
        // The scripts compute over the whole export; a silently unfiltered figure would be wrong.
        return Err(err(
            "filter_not_supported",
            "the report is filtered (dates, platforms, shops, categories or products); the scripts read the whole export",
        ));
    }
    let Some(kind) = load.kind else {
        return Err(err("file_not_loaded", format!("{} has no kind", load.file)));
    };
    if !section.reads(kind) {
        return Err(err(
            "wrong_kind",
            format!(
                "the {} section does not read a {kind:?} export ({})",
                section.code(),
                load.file
            ),
        ));
    }
    let file_options = file_options_of(options, load);
    let ctx = Context {
        section,
        d: dialect,
        load,
        options,
        file_options: &file_options,
        source,
        others,
        prefix: "",
    };
    if matches!(section, SqlSection::Cohorts | SqlSection::Rfm)
        && !ctx
            .load
            .columns
            .iter()
            .any(|c| c.field == Some(crate::schema::field::Field::CustomerId))
    {
        return Err(err(
            "no_customer_ids",
            format!(
                "{} has no customer id column: {} needs one",
                load.file,
                section.code()
            ),
        ));
    }
    let mut s = match section {
        SqlSection::Funnel if kind == DatasetKind::Traffic => funnel_traffic::funnel(&ctx)?,
        SqlSection::Funnel => funnel::funnel(&ctx)?,
        SqlSection::Ab => ab::ab(&ctx)?,
        SqlSection::Breakdowns => breakdowns::breakdowns(&ctx)?,
        SqlSection::Kpi
        | SqlSection::KpiSeries
        | SqlSection::Cohorts
        | SqlSection::Rfm
        | SqlSection::Products
        | SqlSection::Promotion
        | SqlSection::Stock
        | SqlSection::Actions => {
            let mut s = orders::order_steps(&ctx)?;
            match section {
                SqlSection::Kpi => kpi::totals(&ctx, &mut s),
                SqlSection::KpiSeries => kpi::series(&ctx, &mut s),
                SqlSection::Cohorts => cohort::cohorts(&ctx, &mut s),
                SqlSection::Rfm => rfm::rfm(&ctx, &mut s)?,
                SqlSection::Products => products::products(&ctx, &mut s)?,
                SqlSection::Promotion => promotion::promotion(&ctx, &mut s)?,
                SqlSection::Stock => stock::stock(&ctx, &mut s)?,
                SqlSection::Actions => actions::actions(&ctx, &mut s)?,
                // Written above: the funnel and the A/B readout from events, the breakdowns with
                // their own columns.
                SqlSection::Funnel | SqlSection::Ab | SqlSection::Breakdowns => {}
            }
            s
        }
    };
    s.title = format!(
        "shoplens {} · {} · {} dialect",
        crate::report::VERSION,
        s.title,
        dialect.name()
    );
    Ok(s.render())
}

/// Everything a section's generator reads.
pub(crate) struct Context<'a> {
    pub section: SqlSection,
    pub d: Dialect,
    pub load: &'a LoadReport,
    pub options: &'a AnalyzeOptions,
    pub file_options: &'a FileOptions,
    pub source: &'a SqlSource,
    /// The session's other loaded files and where the database reads each (see [`script_with`]).
    pub others: &'a [(&'a LoadReport, SqlSource)],
    /// Put before the names of the reading steps (`export_rows` … `cells`) when a second file is
    /// read in the same script: `""` for the primary file.
    pub prefix: &'a str,
}

impl Context<'_> {
    /// The ingest options the user set for `load` (header row, encoding, mapping …), the defaults
    /// where none.
    pub(crate) fn options_of(&self, load: &LoadReport) -> FileOptions {
        file_options_of(self.options, load)
    }

    /// A context reading `load`, another file of the session, from `source` by its own mapping,
    /// its reading steps prefixed `prefix`.
    pub(crate) fn for_file<'b>(
        &'b self,
        load: &'b LoadReport,
        source: &'b SqlSource,
        file_options: &'b FileOptions,
        prefix: &'b str,
    ) -> Context<'b> {
        Context {
            section: self.section,
            d: self.d,
            load,
            options: self.options,
            file_options,
            source,
            others: &[],
            prefix,
        }
    }
}

/// The ingest options the user set for `load`, the defaults where none.
fn file_options_of(options: &AnalyzeOptions, load: &LoadReport) -> FileOptions {
    options
        .ingest
        .files
        .get(&load.file)
        .cloned()
        .unwrap_or_default()
}

/// The reading-step prefixes of `n` files of one kind read in one script: `{stem}_` for one,
/// `{stem}1_`, `{stem}2_` … for several.
pub(crate) fn file_prefixes(stem: &str, n: usize) -> Vec<String> {
    if n == 1 {
        vec![format!("{stem}_")]
    } else {
        (1..=n).map(|i| format!("{stem}{i}_")).collect()
    }
}

/// One named step.
pub(crate) struct Cte {
    pub name: String,
    /// The definition it follows, `-- ` added per line.
    pub comment: String,
    pub body: String,
}

/// A script under construction: statements before the query (Spark's temporary view), the CTEs
/// in order, the final `SELECT`.
#[derive(Default)]
pub(crate) struct Script {
    pub title: String,
    pub notes: Vec<String>,
    pub prelude: Vec<String>,
    pub ctes: Vec<Cte>,
    pub select: String,
}

impl Script {
    pub fn step(&mut self, name: &str, comment: &str, body: String) {
        self.ctes.push(Cte {
            name: name.to_string(),
            comment: comment.to_string(),
            body,
        });
    }

    fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("-- {}\n", self.title));
        for n in &self.notes {
            for line in n.lines() {
                out.push_str(&format!("-- {line}\n"));
            }
        }
        out.push('\n');
        for p in &self.prelude {
            out.push_str(p);
            out.push_str(";\n\n");
        }
        out.push_str("WITH\n");
        for (i, c) in self.ctes.iter().enumerate() {
            for line in c.comment.lines() {
                out.push_str(&format!("-- {line}\n"));
            }
            out.push_str(&format!("{} AS (\n", c.name));
            for line in c.body.trim_end().lines() {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(if i + 1 < self.ctes.len() {
                "),\n\n"
            } else {
                ")\n"
            });
        }
        out.push_str(self.select.trim_end());
        out.push_str(";\n");
        out
    }
}

/// Comma-separated lines, indented.
pub(crate) fn list(items: &[String], indent: &str) -> String {
    items
        .iter()
        .map(|i| format!("{indent}{i}"))
        .collect::<Vec<_>>()
        .join(",\n")
}

#[cfg(test)]
mod tests;
