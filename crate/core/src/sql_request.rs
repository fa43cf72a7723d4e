//! What the npm package, the `shoplens sql` command and the page ask of [`crate::sql`] (issue 14
//! item 3): a [`SqlRequest`] (section, dialect, where the database reads the export, which file)
//! answered from a session's load reports and analysis options, and the [`offers`] a page lists
//! beside each view. Kept beside `sql/` rather than in it: the generators there stay the one place
//! that writes SQL, and every section they add (`SqlSection::all()`, `SqlSection::reads`) is
//! offered here without a change.

use serde::{Deserialize, Serialize};

use crate::ingest::LoadReport;
use crate::report::AnalyzeOptions;
use crate::sql::{script_with, Dialect, SqlError, SqlSection, SqlSource};
use crate::view::ViewName;

/// One script asked for.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlRequest {
    pub dialect: Dialect,
    pub section: SqlSection,
    /// Where the database reads the export: `{ type: "file", name: PATH }` or `{ type: "table",
    /// name: TABLE }`. Default: the file under the name it was loaded with.
    #[serde(default)]
    pub source: Option<SqlSource>,
    /// The loaded file the script is written for. Default: the one loaded file the section reads
    /// (an error names the candidates when there are several).
    #[serde(default)]
    pub file: Option<String>,
    /// Where the database reads the session's other files, by the name each was loaded with, for
    /// sections that read more than one (stock: the SKU list beside the orders): `{ "skus.csv":
    /// { type: "table", name: "erp.skus" } }`. Default: each file under the name it was loaded
    /// with. `source` still names the script's own file's.
    #[serde(default)]
    pub sources: Option<std::collections::BTreeMap<String, SqlSource>>,
}

/// A script written for a request: the file it reads (chosen when the request named none) and
/// its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SqlScript {
    pub file: String,
    pub sql: String,
}

fn refusal(code: &'static str, message: String) -> SqlError {
    SqlError { code, message }
}

/// Whether `section` could read `load` at all: a file that was read, of a kind the section reads.
fn candidate(load: &LoadReport, section: SqlSection) -> bool {
    load.error.is_none() && load.kind.is_some_and(|k| section.reads(k))
}

fn source_for(request: &SqlRequest, load: &LoadReport) -> SqlSource {
    request
        .source
        .clone()
        .or_else(|| request.sources.as_ref()?.get(&load.file).cloned())
        .unwrap_or_else(|| SqlSource::File(load.file.clone()))
}

/// The session's files other than `load`, in load order, each with where the database reads it
/// (`request.sources`, else its loaded name).
fn others_of<'a>(
    loads: &'a [LoadReport],
    load: &LoadReport,
    request: Option<&SqlRequest>,
) -> Vec<(&'a LoadReport, SqlSource)> {
    loads
        .iter()
        .filter(|l| l.file != load.file)
        .map(|l| {
            let source = request
                .and_then(|r| r.sources.as_ref()?.get(&l.file).cloned())
                .unwrap_or_else(|| SqlSource::File(l.file.clone()));
            (l, source)
        })
        .collect()
}

/// The script `request` asks for, over the files of one session (`loads`, as analysed with
/// `options`).
///
/// Without `request.file`, the file is the one loaded file whose script the section writes: a
/// session with an order export and its line items (宝贝报表) gives the KPI script of the order
/// export, since the line items alone hold no order times (`detail_lines`). Errors: the
/// generator's own (`wrong_kind`, `filter_not_supported` …, see [`crate::sql::script`]); the
/// first candidate's when none writes one; `no_file` when no loaded file is of a kind the section
/// reads; `several_files` (naming them) when more than one is; `file_not_loaded` when
/// `request.file` names no loaded file.
pub fn write(
    loads: &[LoadReport],
    options: &AnalyzeOptions,
    request: &SqlRequest,
) -> Result<SqlScript, SqlError> {
    let section = request.section;
    if let Some(name) = &request.file {
        let load = loads.iter().find(|l| l.file == *name).ok_or_else(|| {
            refusal(
                "file_not_loaded",
                format!("no file named {name} was loaded"),
            )
        })?;
        let sql = script_with(
            load,
            &others_of(loads, load, Some(request)),
            options,
            section,
            request.dialect,
            &source_for(request, load),
        )?;
        return Ok(SqlScript {
            file: load.file.clone(),
            sql,
        });
    }
    let mut written = Vec::new();
    let mut first_error = None;
    for load in loads.iter().filter(|l| candidate(l, section)) {
        match script_with(
            load,
            &others_of(loads, load, Some(request)),
            options,
            section,
            request.dialect,
            &source_for(request, load),
        ) {
            Ok(sql) => written.push(SqlScript {
                file: load.file.clone(),
                sql,
            }),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match written.len() {
        1 => Ok(written.remove(0)),
        0 => Err(first_error.unwrap_or_else(|| {
            refusal(
                "no_file",
                format!(
                    "no loaded file is of a kind the {} section reads",
                    section.code()
                ),
            )
        })),
        _ => Err(refusal(
            "several_files",
            format!(
                "several loaded files have a {} script ({}): name one with `file`",
                section.code(),
                written
                    .iter()
                    .map(|s| s.file.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A script the page can offer: a section over one loaded file, the view it belongs to, and why
/// it cannot be written when it cannot (in either dialect: what refuses a script is the file and
/// the options, never the dialect).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SqlOffer {
    pub section: SqlSection,
    pub file: String,
    /// The view whose figures the script computes; `None` for a section no view shows, which
    /// the Data tab still offers.
    pub view: Option<ViewName>,
    pub error: Option<SqlError>,
}

/// Every section × loaded file pair a script could be written for, in `SqlSection::all()` order
/// then load order: the files that were read, of a kind the section reads (a section over several
/// files, stock, is offered for the order export with the session's other files beside it).
pub fn offers(loads: &[LoadReport], options: &AnalyzeOptions) -> Vec<SqlOffer> {
    let mut out = Vec::new();
    for &section in SqlSection::all() {
        for load in loads.iter().filter(|l| candidate(l, section)) {
            let error = script_with(
                load,
                &others_of(loads, load, None),
                options,
                section,
                Dialect::Duckdb,
                &SqlSource::File(load.file.clone()),
            )
            .err();
            out.push(SqlOffer {
                section,
                file: load.file.clone(),
                view: view_of(section),
                error,
            });
        }
    }
    out
}

/// The view that shows a section's figures, by the section's code, so a section added to
/// `crate::sql` lands on its view without a change here when its code names it (`rfm…` on
/// Customers, `product…`/`abc` on Products, `funnel…` on Funnel, `ab…` on A/B).
pub fn view_of(section: SqlSection) -> Option<ViewName> {
    let code = section.code();
    let starts = |prefix: &str| code.starts_with(prefix);
    Some(if starts("kpi") || starts("breakdown") {
        ViewName::Overview
    } else if starts("cohort") || starts("ltv") {
        ViewName::Cohorts
    } else if starts("rfm") || starts("segment") || starts("customer") {
        ViewName::Customers
    } else if starts("product") || code == "abc" {
        ViewName::Products
    } else if starts("funnel") {
        ViewName::Funnel
    } else if starts("promotion") {
        ViewName::Promotion
    } else if starts("stock") {
        ViewName::Stock
    } else if starts("action") {
        // The action list is on the overview (checked before `ab`, which its code starts like).
        ViewName::Overview
    } else if starts("ab") {
        ViewName::Ab
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyze_files;

    fn loads(names: &[&str], options: &AnalyzeOptions) -> Vec<LoadReport> {
        let files: Vec<(String, Vec<u8>)> = names
            .iter()
            .map(|n| {
                let path = format!("{}/../../tests/fixtures/{n}", env!("CARGO_MANIFEST_DIR"));
                (n.to_string(), std::fs::read(path).expect("fixture"))
            })
            .collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        analyze_files(&refs, options).expect("report").loads
    }

    fn request(section: SqlSection, file: Option<&str>) -> SqlRequest {
        SqlRequest {
            dialect: Dialect::Duckdb,
            section,
            source: None,
            file: file.map(str::to_string),
            sources: None,
        }
    }

    #[test]
    fn the_order_export_is_chosen_over_its_line_items() {
        let o = AnalyzeOptions::default();
        let l = loads(&["taobao_orders_gbk.csv", "taobao_items_utf8bom.csv"], &o);
        let s = write(&l, &o, &request(SqlSection::Kpi, None)).unwrap();
        assert_eq!(s.file, "taobao_orders_gbk.csv");
        // The default source is the file under the name it was loaded with.
        assert!(
            s.sql.contains("read_csv('taobao_orders_gbk.csv'"),
            "{}",
            s.sql
        );
        // Named, the line items give the generator's own refusal.
        let e = write(
            &l,
            &o,
            &request(SqlSection::Kpi, Some("taobao_items_utf8bom.csv")),
        )
        .unwrap_err();
        assert_eq!(e.code, "detail_lines");
        let e = write(&l, &o, &request(SqlSection::Kpi, Some("nope.csv"))).unwrap_err();
        assert_eq!(e.code, "file_not_loaded");
    }

    #[test]
    fn several_candidates_are_named_and_none_is_said() {
        let o = AnalyzeOptions::default();
        let l = loads(&["shopify_orders.csv", "jd_orders.csv"], &o);
        let e = write(&l, &o, &request(SqlSection::Kpi, None)).unwrap_err();
        assert_eq!(e.code, "several_files");
        assert!(e.message.contains("shopify_orders.csv") && e.message.contains("jd_orders.csv"));
        let s = write(&l, &o, &request(SqlSection::Cohorts, Some("jd_orders.csv"))).unwrap();
        assert_eq!(s.file, "jd_orders.csv");
        let events = loads(&["rees46_events.csv"], &o);
        let e = write(&events, &o, &request(SqlSection::Kpi, None)).unwrap_err();
        assert_eq!(e.code, "no_file");
        // The only candidate's refusal is the answer when it writes none.
        let t = loads(&["taobao_orders_2026_21col.csv"], &o);
        let e = write(&t, &o, &request(SqlSection::Cohorts, None)).unwrap_err();
        assert_eq!(e.code, "no_customer_ids");
    }

    #[test]
    fn a_table_source_and_a_request_from_json() {
        let o = AnalyzeOptions::default();
        let l = loads(&["shopify_orders.csv"], &o);
        let r: SqlRequest = serde_json::from_str(
            r#"{"dialect":"spark","section":"kpi_series","source":{"type":"table","name":"shop.orders"}}"#,
        )
        .unwrap();
        let s = write(&l, &o, &r).unwrap();
        assert!(s.sql.contains("FROM shop.orders"), "{}", s.sql);
        assert!(s.sql.contains("Spark SQL dialect"));
        // A typo is an error, not a default.
        assert!(serde_json::from_str::<SqlRequest>(
            r#"{"dialect":"spark","section":"kpi","sorce":{"type":"table","name":"x"}}"#
        )
        .is_err());
    }

    #[test]
    fn offers_list_every_section_and_file_with_the_view_and_the_refusal() {
        let o = AnalyzeOptions::default();
        let l = loads(
            &[
                "taobao_orders_2026_21col.csv",
                "taobao_items_utf8bom.csv",
                "rees46_events.csv",
            ],
            &o,
        );
        let got = offers(&l, &o);
        // Every section of `SqlSection::all()` that reads an order export is offered for both
        // order files, none for the event log.
        for &section in SqlSection::all() {
            let of: Vec<&SqlOffer> = got.iter().filter(|x| x.section == section).collect();
            if section.reads(crate::model::DatasetKind::Orders) {
                assert!(of.iter().any(|x| x.file == "taobao_orders_2026_21col.csv"));
            }
            assert!(of.iter().all(|x| x.view == view_of(section)));
        }
        let find = |s: SqlSection, f: &str| got.iter().find(|x| x.section == s && x.file == f);
        assert_eq!(
            find(SqlSection::Kpi, "taobao_orders_2026_21col.csv").map(|x| x.error.is_none()),
            Some(true)
        );
        assert_eq!(
            find(SqlSection::Kpi, "taobao_items_utf8bom.csv")
                .and_then(|x| x.error.as_ref())
                .map(|e| e.code),
            Some("detail_lines")
        );
        assert_eq!(
            find(SqlSection::Cohorts, "taobao_orders_2026_21col.csv")
                .and_then(|x| x.error.as_ref())
                .map(|e| e.code),
            Some("no_customer_ids")
        );
        assert!(find(SqlSection::Kpi, "rees46_events.csv").is_none());
        assert_eq!(view_of(SqlSection::KpiSeries), Some(ViewName::Overview));
        assert_eq!(view_of(SqlSection::Cohorts), Some(ViewName::Cohorts));
        assert_eq!(view_of(SqlSection::Ab), Some(ViewName::Ab));
        assert_eq!(view_of(SqlSection::Actions), Some(ViewName::Overview));
    }

    #[test]
    fn stock_reads_the_order_export_and_the_sku_list_beside_it() {
        let o = AnalyzeOptions::default();
        // The SKU list first: the order export is still the script's file, the list beside it.
        let l = loads(&["stock_skus.csv", "stock_orders.csv"], &o);
        let s = write(&l, &o, &request(SqlSection::Stock, None)).unwrap();
        assert_eq!(s.file, "stock_orders.csv");
        assert!(s.sql.contains("read_csv('stock_orders.csv'"), "{}", s.sql);
        assert!(s.sql.contains("read_csv('stock_skus.csv'"), "{}", s.sql);
        // Where the database reads the list: `sources`, by the list's loaded name.
        let r: SqlRequest = serde_json::from_str(
            r#"{"dialect":"spark","section":"stock","source":{"type":"table","name":"shop.orders"},
                "sources":{"stock_skus.csv":{"type":"table","name":"erp.skus"}}}"#,
        )
        .unwrap();
        let s = write(&l, &o, &r).unwrap();
        assert!(s.sql.contains("FROM shop.orders"), "{}", s.sql);
        assert!(s.sql.contains("FROM erp.skus"), "{}", s.sql);
        // The list alone is no file the section writes for; orders alone have no stock.
        let e = write(&l, &o, &request(SqlSection::Stock, Some("stock_skus.csv"))).unwrap_err();
        assert_eq!(e.code, "wrong_kind");
        let alone = loads(&["stock_orders.csv"], &o);
        let e = write(&alone, &o, &request(SqlSection::Stock, None)).unwrap_err();
        assert_eq!(e.code, "no_stock");
        // Two order exports beside the list: name one.
        let two = loads(&["stock_orders.csv", "jd_orders.csv", "stock_skus.csv"], &o);
        let e = write(&two, &o, &request(SqlSection::Stock, None)).unwrap_err();
        assert_eq!(e.code, "several_files");
        let s = write(&two, &o, &request(SqlSection::Stock, Some("jd_orders.csv"))).unwrap();
        assert!(s.sql.contains("read_csv('stock_skus.csv'"));
        // Offered on the Stock view, for the order export only.
        let got = offers(&l, &o);
        let stock: Vec<&SqlOffer> = got
            .iter()
            .filter(|x| x.section == SqlSection::Stock)
            .collect();
        assert_eq!(stock.len(), 1);
        assert_eq!(stock[0].file, "stock_orders.csv");
        assert_eq!(stock[0].view, Some(ViewName::Stock));
        assert!(stock[0].error.is_none());
    }

    #[test]
    fn stock_reads_line_items_loaded_beside_the_order_export() {
        let o = AnalyzeOptions::default();
        let l = loads(
            &[
                "taobao_orders_gbk.csv",
                "taobao_items_utf8bom.csv",
                "erp_skus.csv",
            ],
            &o,
        );
        // The script is the order export's, reading the 宝贝报表's lines and the list beside it.
        let s = write(&l, &o, &request(SqlSection::Stock, None)).unwrap();
        assert_eq!(s.file, "taobao_orders_gbk.csv");
        assert!(s.sql.contains("'taobao_items_utf8bom.csv'"), "{}", s.sql);
        assert!(s.sql.contains("'erp_skus.csv'"), "{}", s.sql);
        // Every offer over the order export can be written.
        assert!(offers(&l, &o)
            .iter()
            .filter(|x| x.file == "taobao_orders_gbk.csv")
            .all(|x| x.error.is_none()));
    }
}
