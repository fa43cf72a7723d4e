//! Write the SQL scripts of shoplens' figures for export files (`crate::sql`), or, with `--json`,
//! each file's engine report beside its scripts, for the independent check
//! (`tests/independent/check_sql.py`).
//!
//! ```text
//! cargo run -p shoplens --example sql -- [--dialect duckdb|spark] [--section kpi|kpi_series|…|all]
//!     [--options JSON] [--source FILE=PATH_OR_TABLE]… [--json] FILE... [--group FILE+FILE…]…
//! ```
//! Each file is loaded and analysed on its own, as its scripts read it alone. A group
//! `a.csv+b.csv` is loaded and analysed together, as one session: its scripts are those of its
//! first file, with the others beside it (the stock script: an order export + its SKU list); its
//! entry's `file` is the group as given. `--source` names where the database finds a file (a
//! UTF-8 copy of a GBK export for DuckDB, a table: `table:NAME`).

use shoplens::report::{analyze_files, AnalyzeOptions};
use shoplens::sql::{script_with, Dialect, SqlSection, SqlSource};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |flag: &str| -> Vec<String> {
        let mut out = Vec::new();
        while let Some(i) = args.iter().position(|a| a == flag) {
            out.push(args.get(i + 1).cloned().unwrap_or_default());
            args.drain(i..(i + 2).min(args.len()));
        }
        out
    };
    let dialects: Vec<Dialect> = match take("--dialect").last().map(String::as_str) {
        None | Some("all") => vec![Dialect::Duckdb, Dialect::Spark],
        Some(code) => {
            vec![Dialect::from_code(code).unwrap_or_else(|| fail("--dialect: duckdb or spark"))]
        }
    };
    let sections: Vec<SqlSection> = match take("--section").last().map(String::as_str) {
        None | Some("all") => SqlSection::all().to_vec(),
        Some(code) => {
            vec![SqlSection::from_code(code).unwrap_or_else(|| fail("--section: unknown section"))]
        }
    };
    let options: AnalyzeOptions = match take("--options").last() {
        Some(json) => {
            serde_json::from_str(json).unwrap_or_else(|e| fail(&format!("--options: {e}")))
        }
        None => AnalyzeOptions::default(),
    };
    let sources: Vec<(String, String)> = take("--source")
        .iter()
        .filter_map(|s| {
            s.split_once('=')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect();
    let groups = take("--group");
    let json = args.iter().any(|a| a == "--json");
    args.retain(|a| a != "--json");
    let mut units: Vec<Vec<String>> = args.iter().map(|a| vec![a.clone()]).collect();
    units.extend(
        groups
            .iter()
            .map(|g| g.split('+').map(str::to_string).collect()),
    );
    if units.is_empty() {
        fail("usage: sql [--dialect duckdb|spark] [--section NAME|all] [--options JSON] [--source FILE=PATH] [--json] FILE... [--group FILE+FILE...]");
    }
    let source_of = |path: &str| {
        let given = sources
            .iter()
            .find(|(f, _)| f == path)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| path.to_string());
        match given.strip_prefix("table:") {
            Some(t) => SqlSource::Table(t.to_string()),
            None => SqlSource::File(given),
        }
    };
    let mut out = Vec::new();
    for unit in &units {
        let files: Vec<(String, Vec<u8>)> = unit
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
                (path.clone(), bytes)
            })
            .collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let report = analyze_files(&refs, &options).unwrap_or_else(|e| fail(&e.to_string()));
        let path = &unit[0];
        let Some(load) = report.loads.iter().find(|l| &l.file == path) else {
            continue;
        };
        let others: Vec<_> = report
            .loads
            .iter()
            .filter(|l| &l.file != path)
            .map(|l| (l, source_of(&l.file)))
            .collect();
        let mut scripts = serde_json::Map::new();
        for &section in &sections {
            let mut per = serde_json::Map::new();
            for &dialect in &dialects {
                let source = source_of(path);
                let value = match script_with(load, &others, &options, section, dialect, &source) {
                    Ok(sql) => {
                        if !json {
                            println!("{sql}");
                        }
                        serde_json::json!({ "sql": sql })
                    }
                    Err(e) => serde_json::json!({ "error": e.code, "message": e.message }),
                };
                per.insert(format!("{dialect:?}").to_lowercase(), value);
            }
            scripts.insert(section.code().to_string(), serde_json::Value::Object(per));
        }
        let file = unit.join("+");
        out.push(serde_json::json!({ "file": file, "report": report, "scripts": scripts }));
    }
    if json {
        println!("{}", serde_json::Value::Array(out));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("sql: {msg}");
    std::process::exit(2)
}
