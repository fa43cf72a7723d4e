//! The two SQL dialects the scripts are written in, and the few constructs where they differ:
//! identifier and string quoting, regular expressions, reading a CSV file, and turning a calendar
//! date and time into seconds.
//!
//! Times in every script are `BIGINT` wall-clock seconds since 1970-01-01 00:00 (the engine's own
//! unit, `crate::time`), so day, week and month arithmetic is the same integer arithmetic in both
//! dialects and no session time zone can shift a day.

use serde::{Deserialize, Serialize};

/// A SQL dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// DuckDB (one machine; reads CSV directly with `read_csv`).
    Duckdb,
    /// Spark SQL (`spark-sql` or `spark.sql`); files are read through a temporary view.
    Spark,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "DuckDB",
            Dialect::Spark => "Spark SQL",
        }
    }

    pub fn from_code(code: &str) -> Option<Dialect> {
        match code.to_ascii_lowercase().as_str() {
            "duckdb" => Some(Dialect::Duckdb),
            "spark" | "sparksql" | "spark_sql" => Some(Dialect::Spark),
            _ => None,
        }
    }

    /// A quoted identifier: `"订单编号"` in DuckDB, `` `订单编号` `` in Spark.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Duckdb => format!("\"{}\"", name.replace('"', "\"\"")),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A string literal. Spark reads backslash escapes inside literals, so its backslashes are
    /// doubled (a regular expression's `\d` stays `\d` once parsed).
    pub fn string(self, s: &str) -> String {
        match self {
            Dialect::Duckdb => format!("'{}'", s.replace('\'', "''")),
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        }
    }

    /// Whether `expr` matches the regular expression `pattern` (RE2 in DuckDB, Java in Spark: the
    /// patterns here use only their common syntax).
    pub fn matches(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::Duckdb => format!("regexp_matches({expr}, {})", self.string(pattern)),
            Dialect::Spark => format!("({expr} RLIKE {})", self.string(pattern)),
        }
    }

    /// Every match of `pattern` in `expr` replaced by `with` (no back-references).
    pub fn replace_all(self, expr: &str, pattern: &str, with: &str) -> String {
        match self {
            Dialect::Duckdb => format!(
                "regexp_replace({expr}, {}, {}, 'g')",
                self.string(pattern),
                self.string(with)
            ),
            Dialect::Spark => format!(
                "regexp_replace({expr}, {}, {})",
                self.string(pattern),
                self.string(with)
            ),
        }
    }

    /// Capture group `group` of the first match of `pattern`, `''` without a match.
    pub fn extract(self, expr: &str, pattern: &str, group: u32) -> String {
        format!("regexp_extract({expr}, {}, {group})", self.string(pattern))
    }

    /// The text type.
    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::Duckdb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    /// Wall-clock seconds since 1970 of a calendar date and time given as integer expressions.
    pub fn seconds_of(self, parts: [&str; 6]) -> String {
        let [y, mo, d, h, mi, s] = parts;
        match self {
            Dialect::Duckdb => {
                format!("CAST(epoch(make_timestamp({y}, {mo}, {d}, {h}, {mi}, {s})) AS BIGINT)")
            }
            Dialect::Spark => {
                format!("unix_seconds(make_timestamp({y}, {mo}, {d}, {h}, {mi}, {s}, 'UTC'))")
            }
        }
    }

    /// The `DATE` of a day number (days since 1970-01-01).
    pub fn date_of_day(self, day: &str) -> String {
        match self {
            Dialect::Duckdb => format!("(DATE '1970-01-01' + CAST({day} AS INTEGER))"),
            Dialect::Spark => format!("date_add(DATE '1970-01-01', CAST({day} AS INT))"),
        }
    }

    /// The day number (days since 1970-01-01) of a `DATE`; the inverse of [`Dialect::date_of_day`].
    pub fn day_of_date(self, date: &str) -> String {
        match self {
            Dialect::Duckdb => format!("CAST({date} - DATE '1970-01-01' AS BIGINT)"),
            Dialect::Spark => format!("CAST(datediff({date}, DATE '1970-01-01') AS BIGINT)"),
        }
    }

    /// `YYYY-MM-DD` of a `DATE`.
    pub fn date_text(self, date: &str) -> String {
        format!("CAST({date} AS {})", self.text_type())
    }

    /// `YYYY-MM` of a `DATE`.
    pub fn month_text(self, date: &str) -> String {
        match self {
            Dialect::Duckdb => format!("strftime({date}, '%Y-%m')"),
            Dialect::Spark => format!("date_format({date}, 'yyyy-MM')"),
        }
    }

    /// A row number in the order rows were read. DuckDB keeps a file's order through a plain
    /// scan; Spark's `monotonically_increasing_id` grows with the file's order.
    pub fn read_order(self) -> &'static str {
        match self {
            Dialect::Duckdb => "row_number() OVER ()",
            Dialect::Spark => "monotonically_increasing_id()",
        }
    }

    /// The value of `value` on the row with the smallest `order` (rows where `order` is NULL are
    /// skipped).
    pub fn first_by(self, value: &str, order: &str) -> String {
        format!("min_by({value}, {order})")
    }

    /// Integer division rounding down, as the engine's `div_euclid` on days and seconds.
    pub fn floor_div(self, a: &str, b: &str) -> String {
        format!("CAST(floor({a} / {b}) AS BIGINT)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_per_dialect() {
        assert_eq!(Dialect::Duckdb.ident("订单付款时间 "), "\"订单付款时间 \"");
        assert_eq!(Dialect::Duckdb.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Spark.ident("Paid at"), "`Paid at`");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::Duckdb.string("it's \\d"), "'it''s \\d'");
        assert_eq!(Dialect::Spark.string("it's \\d"), "'it\\'s \\\\d'");
    }

    #[test]
    fn regular_expressions_per_dialect() {
        assert_eq!(
            Dialect::Duckdb.replace_all("x", ",", ""),
            "regexp_replace(x, ',', '', 'g')"
        );
        assert_eq!(
            Dialect::Spark.replace_all("x", ",", ""),
            "regexp_replace(x, ',', '')"
        );
        assert_eq!(Dialect::Spark.matches("x", "^a$"), "(x RLIKE '^a$')");
        assert_eq!(Dialect::from_code("Spark"), Some(Dialect::Spark));
        assert_eq!(Dialect::from_code("duckdb"), Some(Dialect::Duckdb));
        assert_eq!(Dialect::from_code("mysql"), None);
    }
}
