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

    /// Every integer from `from` to `to` (day numbers, cohort offsets), one row each: a
    /// set-returning expression for a `SELECT` list.
    pub fn each_integer(self, from: &str, to: &str) -> String {
        match self {
            Dialect::Duckdb => format!("unnest(range({from}, {to} + 1))"),
            Dialect::Spark => format!("explode(sequence({from}, {to}))"),
        }
    }

    /// `x` as an integer wide enough for cents × cents × a count (past 64 bits): DuckDB's
    /// `HUGEINT`, Spark's `DECIMAL(38, 0)`.
    pub fn wide(self, x: &str) -> String {
        match self {
            Dialect::Duckdb => format!("CAST({x} AS HUGEINT)"),
            Dialect::Spark => format!("CAST({x} AS DECIMAL(38, 0))"),
        }
    }

    /// A loop in one expression: a left fold over the integers `from..=to` in order. The
    /// accumulator is a struct of `fields` — (name, initial value, next value) — the next values
    /// written over the previous accumulator `acc.<name>` and the integer `k`; once the boolean
    /// field `until` is true the accumulator stays as it is (the loop's `break`). Spark's
    /// `aggregate`, DuckDB's `list_reduce`; read a field of the result with [`Dialect::field`].
    pub fn fold(
        self,
        from: i64,
        to: i64,
        fields: &[(&str, String, String)],
        until: &str,
    ) -> String {
        // One field a line, so that each step of the loop reads as the engine's statement.
        let pack = |values: Vec<(&str, &str)>, sep: &str| {
            let (function, field): (&str, fn(&str, &str) -> String) = match self {
                Dialect::Duckdb => ("struct_pack", |n, v| format!("{n} := {v}")),
                Dialect::Spark => ("named_struct", |n, v| format!("'{n}', {v}")),
            };
            let fields: Vec<String> = values.iter().map(|(n, v)| field(n, v)).collect();
            format!("{function}({})", fields.join(sep))
        };
        let init = pack(
            fields.iter().map(|(n, i, _)| (*n, i.as_str())).collect(),
            ", ",
        );
        let next = format!(
            "CASE WHEN acc.{until} THEN acc ELSE {} END",
            pack(
                fields.iter().map(|(n, _, s)| (*n, s.as_str())).collect(),
                ",\n      "
            )
        );
        match self {
            Dialect::Duckdb => format!(
                "list_reduce(range({from}, {}),\n    lambda acc, k: {next},\n    {init})",
                to + 1
            ),
            Dialect::Spark => {
                format!("aggregate(sequence({from}, {to}),\n    {init},\n    (acc, k) -> {next})")
            }
        }
    }

    /// Field `name` of a struct-valued expression.
    pub fn field(self, expr: &str, name: &str) -> String {
        match self {
            Dialect::Duckdb => format!("struct_extract({expr}, '{name}')"),
            Dialect::Spark => format!("({expr}).{name}"),
        }
    }

    /// A `DOUBLE` literal of exactly the value `x` (the shortest decimal that reads back as it, in
    /// exponent form: a plain decimal literal is a `DECIMAL` in both dialects).
    pub fn double(self, x: f64) -> String {
        format!("{x:e}")
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

    #[test]
    fn days_per_dialect() {
        assert_eq!(
            Dialect::Duckdb.each_integer("a", "b"),
            "unnest(range(a, b + 1))"
        );
        assert_eq!(
            Dialect::Spark.each_integer("a", "b"),
            "explode(sequence(a, b))"
        );
    }

    #[test]
    fn wide_integers_per_dialect() {
        assert_eq!(Dialect::Duckdb.wide("x"), "CAST(x AS HUGEINT)");
        assert_eq!(Dialect::Spark.wide("x"), "CAST(x AS DECIMAL(38, 0))");
    }

    #[test]
    fn a_fold_is_a_loop_with_a_break_in_either_dialect() {
        let fields = [
            ("total", "0e0".to_string(), "acc.total + k".to_string()),
            (
                "done",
                "false".to_string(),
                "acc.total + k >= 3".to_string(),
            ),
        ];
        let duck = Dialect::Duckdb.fold(1, 9, &fields, "done");
        assert!(duck.starts_with("list_reduce(range(1, 10),"), "{duck}");
        assert!(duck.contains(
            "lambda acc, k: CASE WHEN acc.done THEN acc ELSE struct_pack(total := acc.total + k,"
        ));
        assert!(duck.ends_with("struct_pack(total := 0e0, done := false))"));
        let spark = Dialect::Spark.fold(1, 9, &fields, "done");
        assert!(spark.starts_with("aggregate(sequence(1, 9),"), "{spark}");
        assert!(spark.contains(
            "(acc, k) -> CASE WHEN acc.done THEN acc ELSE named_struct('total', acc.total + k,"
        ));
        assert_eq!(Dialect::Spark.field("x", "total"), "(x).total");
        assert_eq!(
            Dialect::Duckdb.field("x", "total"),
            "struct_extract(x, 'total')"
        );
        // Exactly the double: the shortest text that reads back as it.
        assert_eq!(
            Dialect::Duckdb.double(1.959_963_984_540_054),
            "1.959963984540054e0"
        );
        assert_eq!(Dialect::Spark.double(0.5), "5e-1");
        assert_eq!(
            Dialect::Duckdb
                .double(std::f64::consts::SQRT_2)
                .parse::<f64>(),
            Ok(std::f64::consts::SQRT_2)
        );
    }
}
