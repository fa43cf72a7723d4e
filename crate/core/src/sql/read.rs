//! Reading an export as text rows and its mapped cells cleaned (DEFINITIONS §1): the steps every
//! script begins with.

use super::normalize::{missing_to_null, trim, unwrap};
use super::{list, Context, Dialect, Script, SqlSource};
use crate::ingest::SUMMARY_WORDS;
use crate::schema::field::Field;
use crate::schema::recognize::ColumnMap;

/// The export's column names as the script names them: the header as written, a blank header
/// `column<N>` (1-based), a repeated header `<name>_<N>`.
pub(crate) fn column_names(ctx: &Context) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ctx.load
        .columns
        .iter()
        .map(|c| {
            let base = if c.header.trim().is_empty() {
                format!("column{}", c.index + 1)
            } else {
                c.header.clone()
            };
            let name = if seen.contains(&base) {
                format!("{base}_{}", c.index + 1)
            } else {
                base
            };
            seen.insert(name.clone());
            name
        })
        .collect()
}

/// The column holding each role, by its script name (the first column of the role, as ingest's
/// `ColumnMap` resolves it).
pub(crate) struct Roles {
    names: Vec<String>,
    map: ColumnMap,
}

impl Roles {
    pub fn of(ctx: &Context) -> Roles {
        Roles {
            names: column_names(ctx),
            map: ColumnMap::from_columns(&ctx.load.columns),
        }
    }
    /// The export's name of the column holding `f`.
    pub fn column(&self, f: Field) -> Option<&str> {
        self.map
            .get(f)
            .and_then(|i| self.names.get(i))
            .map(String::as_str)
    }
    pub fn has(&self, f: Field) -> bool {
        self.column(f).is_some()
    }
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// The encoding name for a database's CSV reader, and whether DuckDB reads it.
fn encoding(load_encoding: Option<&str>) -> (&'static str, bool) {
    match load_encoding.unwrap_or("utf-8") {
        "gb18030" | "gbk" => ("GB18030", false),
        "utf-16le" | "utf-16be" => ("UTF-16", true),
        _ => ("UTF-8", true),
    }
}

fn delimiter(code: Option<&str>) -> &'static str {
    match code.unwrap_or("comma") {
        "tab" => "\t",
        "semicolon" => ";",
        "pipe" => "|",
        _ => ",",
    }
}

/// `export_rows` (the file as text, with the order rows were read in) and `data_rows` (without
/// blank lines and the 合计/Total summary row), for the mapped `roles`; then `cells`: each role's
/// cell cleaned as ingest cleans it and named by its role. Returns the script so far.
pub(crate) fn read_steps(ctx: &Context, roles: &Roles, wanted: &[Field]) -> Script {
    let d = ctx.d;
    let mut s = Script::default();
    let named = |step: &str| format!("{}{step}", ctx.prefix);
    let names = roles.names();
    let load = ctx.load;
    let (enc, duckdb_reads) = encoding(load.encoding.as_deref());
    let delim = delimiter(load.delimiter.as_deref());
    let skip = load.header_line.unwrap_or(0);
    s.notes.push(format!(
        "Source: {} — a {} export{}, {enc}, delimiter {:?}, header on line {}.",
        load.file,
        load.kind
            .map_or("?".into(), |k| format!("{k:?}").to_lowercase()),
        load.platform.map_or(String::new(), |p| format!(
            " of {}",
            format!("{p:?}").to_lowercase()
        )),
        delim,
        load.header_line
            .map_or("(none: the first line is data)".into(), |l| l.to_string()),
    ));
    let read = match (ctx.source, d) {
        (SqlSource::Table(t), _) => {
            format!("SELECT {} AS shoplens_line, * FROM {t}", d.read_order())
        }
        (SqlSource::File(path), Dialect::Duckdb) => {
            if !duckdb_reads {
                s.notes.push(format!(
                    "The file is {enc}, which DuckDB's CSV reader does not read: convert it first, e.g.\n  iconv -f {enc} -t UTF-8 '{}' > copy.utf8.csv\nand read the copy (the `source` option).",
                    load.file
                ));
            }
            let quoted: Vec<String> = names.iter().map(|n| d.string(n)).collect();
            let mut enc_opt = if enc == "UTF-16" {
                ", encoding = 'utf-16'"
            } else {
                ""
            }
            .to_string();
            // DuckDB's parallel reader refuses quoted line breaks beside `null_padding`; a product
            // list is small and often has them (Shopify's Body (HTML)): read it in one thread.
            if load.kind == Some(crate::model::DatasetKind::Products) {
                enc_opt.push_str(", parallel = false");
            }
            format!(
                "SELECT {} AS shoplens_line, *\nFROM read_csv({}, header = false, skip = {skip}, all_varchar = true,\n  delim = {}, quote = '\"', escape = '\"', null_padding = true, strict_mode = false{enc_opt},\n  names = [{}])",
                d.read_order(),
                d.string(path),
                d.string(delim),
                quoted.join(", ")
            )
        }
        (SqlSource::File(path), Dialect::Spark) => {
            let columns: Vec<String> = names
                .iter()
                .map(|n| format!("{} STRING", d.ident(n)))
                .collect();
            if skip > 1 {
                s.notes.push(format!(
                    "The header is on line {skip}: Spark's CSV reader cannot skip the {} title lines above it; remove them first.",
                    skip - 1
                ));
            }
            if enc == "GB18030" {
                // Spark 4 lists a few charsets for CSV; Java's own (GB18030 among them) need this.
                s.prelude
                    .push("SET spark.sql.legacy.javaCharsets = true".to_string());
            }
            // One view per file and section, so that scripts can run side by side in one session.
            let stem: String = std::path::Path::new(&load.file)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            let view = format!("shoplens_{}_{}", ctx.section.code(), stem.trim_matches('_'));
            s.prelude.push(format!(
                "CREATE OR REPLACE TEMPORARY VIEW {view} (\n{}\n) USING csv OPTIONS (\n  path {}, header '{}', sep {}, encoding '{enc}',\n  multiLine 'true', quote '\"', escape '\"', mode 'PERMISSIVE'\n)",
                list(&columns, "  "),
                d.string(path),
                skip > 0,
                d.string(delim),
            ));
            format!("SELECT {} AS shoplens_line, * FROM {view}", d.read_order())
        }
    };
    s.step(
        &named("export_rows"),
        "The export as text, one row per record, numbered in the order they were read.",
        read,
    );
    // Blank lines and the summary row (its first non-blank cell is 合计/总计/Total …) are not data:
    // the row's cells joined by U+0001, read by one regular expression.
    let joined = format!(
        "concat_ws(chr(1), {})",
        names
            .iter()
            .map(|n| d.ident(n))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let words: Vec<String> = SUMMARY_WORDS
        .iter()
        .map(|w| w.trim_end_matches(':').to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let blank = r"[\s\x{00A0}\x{3000}\x{FEFF}\x{200B}\x{0001}]";
    s.step(
        &named("data_rows"),
        "DEFINITIONS §1: records only — blank lines and the 合计/Total summary row (its first non-blank cell) are not data.",
        format!(
            "SELECT * FROM {}\nWHERE NOT {}\n  AND NOT {}",
            named("export_rows"),
            d.matches(&joined, &format!("^{blank}*$")),
            d.matches(
                &joined,
                &format!("(?i)^{blank}*({})[:：]*[\\s\\x{{00A0}}\\x{{3000}}]*(\\x{{0001}}|$)", words.join("|"))
            ),
        ),
    );
    let present: Vec<(Field, &str)> = wanted
        .iter()
        .filter_map(|&f| roles.column(f).map(|c| (f, c)))
        .collect();
    let trimmed: Vec<String> = present
        .iter()
        .map(|(f, c)| format!("{} AS {}", trim(d, &d.ident(c)), f.code()))
        .collect();
    s.step(
        &named("trimmed"),
        "Each column used, named by its role, without surrounding whitespace (tabs, full-width spaces).",
        format!(
            "SELECT shoplens_line,\n{}\nFROM {}",
            list(&trimmed, "  "),
            named("data_rows")
        ),
    );
    let unwrapped: Vec<String> = present
        .iter()
        .map(|(f, _)| format!("{} AS {}", unwrap(d, f.code()), f.code()))
        .collect();
    s.step(
        &named("unwrapped"),
        "Excel's =\"…\" wrapper, leftover quotes and the ' text prefix removed (ids such as =\"3794427321291481885\").",
        format!(
            "SELECT shoplens_line,\n{}\nFROM {}",
            list(&unwrapped, "  "),
            named("trimmed")
        ),
    );
    let cells: Vec<String> = present
        .iter()
        .map(|(f, _)| format!("{} AS {}", missing_to_null(d, f.code()), f.code()))
        .collect();
    s.step(
        &named("cells"),
        "Placeholders (-, --, 无, 无退款申请, 订单未关闭 …: the engine's table) are missing values.",
        format!(
            "SELECT shoplens_line,\n{}\nFROM {}",
            list(&cells, "  "),
            named("unwrapped")
        ),
    );
    s
}
