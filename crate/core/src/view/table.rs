//! Data tables: an HTML `<table>` whose cells carry display text *and* a raw value, and the same
//! rows as CSV.
//!
//! The page sorts a table by clicking a header with `data-sort` (`number` or `text`), reading each
//! cell's `data-sort-value` (the raw value: cents as a decimal amount, ratios as fractions), so
//! sorting never parses formatted text like `¥1.2万`. CSV export writes the same raw values.

use super::fmt::{self, Lang};
use super::node::{el, Element};

/// One column of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDef {
    /// Stable column key (`revenue`, `share`, `step_1` …): `data-key` on the header, for tests and
    /// the page.
    pub key: String,
    /// Localised header text (also the CSV header).
    pub label: String,
    /// Right-aligned, sorted numerically.
    pub numeric: bool,
    /// Whether clicking the header sorts by this column.
    pub sortable: bool,
}

impl ColumnDef {
    /// A sortable text column.
    pub fn text(key: impl Into<String>, label: impl Into<String>) -> ColumnDef {
        ColumnDef {
            key: key.into(),
            label: label.into(),
            numeric: false,
            sortable: true,
        }
    }
    /// A sortable numeric column.
    pub fn number(key: impl Into<String>, label: impl Into<String>) -> ColumnDef {
        ColumnDef {
            numeric: true,
            ..ColumnDef::text(key, label)
        }
    }
    /// The same column, not sortable.
    pub fn unsorted(self) -> ColumnDef {
        ColumnDef {
            sortable: false,
            ..self
        }
    }
}

/// The raw value behind a cell: what sorting and CSV use.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Text, sorted as text, written as is (formula-guarded, see [`to_csv`]).
    Text(String),
    /// A count.
    Int(i64),
    /// Money in cents; raw form is the decimal amount (`129900` → `1299.00`), exact.
    Money(i64),
    /// A number: a ratio as a fraction (0.123, not 12.3), an average; written rounded to six
    /// decimals without trailing zeros (`0.110729`, not `0.11072872581013624`); `None` is empty.
    Number(Option<f64>),
    /// A fractional amount in currency units (an average price): written with two decimals, as a
    /// person opening the CSV in Excel expects; `None` is empty.
    Amount(Option<f64>),
}

impl Value {
    /// The raw text: CSV field and `data-sort-value`. Empty for an undefined number.
    pub fn raw(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Money(cents) => {
                let sign = if *cents < 0 { "-" } else { "" };
                let abs = cents.unsigned_abs();
                format!("{sign}{}.{:02}", abs / 100, abs % 100)
            }
            Value::Number(Some(x)) if x.is_finite() => six_decimals(*x),
            Value::Amount(Some(x)) if x.is_finite() => {
                let s = format!("{x:.2}");
                if s == "-0.00" {
                    "0.00".to_string()
                } else {
                    s
                }
            }
            Value::Number(_) | Value::Amount(_) => String::new(),
        }
    }
}

/// `x` rounded to six decimals, trailing zeros dropped, never in exponent form.
fn six_decimals(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// One table cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Display text (formatted for the locale).
    pub text: String,
    /// Raw value.
    pub value: Value,
    /// Extra class on the `<td>` (a badge colour such as `abc-a`, `quadrant-star`).
    pub class: Option<&'static str>,
}

impl Cell {
    /// A text cell whose raw value is its text.
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        Cell {
            text: s.clone(),
            value: Value::Text(s),
            class: None,
        }
    }
    /// Display text with a separate raw value.
    pub fn new(text: impl Into<String>, value: Value) -> Cell {
        Cell {
            text: text.into(),
            value,
            class: None,
        }
    }
    /// A count: `1,234`.
    pub fn int(n: i64, lang: Lang) -> Cell {
        Cell::new(fmt::int(n, lang), Value::Int(n))
    }
    /// A count that may exceed `i64` (saturates; counts never do in practice).
    pub fn count(n: u64, lang: Lang) -> Cell {
        Cell::int(i64::try_from(n).unwrap_or(i64::MAX), lang)
    }
    /// Money in cents: `¥1,299.00`, raw `1299.00`.
    pub fn money(cents: i64, currency: &str, lang: Lang) -> Cell {
        Cell::new(fmt::money(cents, currency, lang), Value::Money(cents))
    }
    /// A fractional amount of cents (an average): shown rounded, raw in currency units with two
    /// decimals.
    pub fn money_f(cents: Option<f64>, currency: &str, lang: Lang) -> Cell {
        let units = cents.filter(|c| c.is_finite()).map(|c| c / 100.0);
        Cell::new(fmt::money_f(cents, currency, lang), Value::Amount(units))
    }
    /// A ratio as a percentage: `12.3%`, raw `0.123`; `—` and empty when undefined.
    pub fn percent(ratio: Option<f64>, lang: Lang) -> Cell {
        Cell::new(fmt::percent(ratio, lang), Value::Number(ratio))
    }
    /// A number with `digits` decimals.
    pub fn number(x: Option<f64>, digits: usize) -> Cell {
        let text = x.map_or_else(|| fmt::DASH.to_string(), |v| fmt::decimal(v, digits));
        Cell::new(text, Value::Number(x))
    }
    /// The same cell with a class on its `<td>`.
    pub fn with_class(self, class: &'static str) -> Cell {
        Cell {
            class: Some(class),
            ..self
        }
    }
}

/// One row: its cells, in column order, and an optional `data-testid`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub testid: Option<String>,
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            testid: None,
        }
    }
    pub fn with_testid(self, id: impl Into<String>) -> Row {
        Row {
            testid: Some(id.into()),
            ..self
        }
    }
}

impl From<Vec<Cell>> for Row {
    fn from(cells: Vec<Cell>) -> Row {
        Row::new(cells)
    }
}

/// A `<table class="data-table">` of `rows` under `headers`.
///
/// Headers: `<th scope="col" data-key=… [data-sort="number|text"]>`; numeric columns have class
/// `num`. Cells: `<td [class="num …"] [data-sort-value=raw]>text</td>`. A row shorter than the
/// headers is padded with empty cells; extra cells are dropped.
pub fn table(headers: &[ColumnDef], rows: &[Row]) -> Element {
    let head_row = el("tr").children(headers.iter().map(|h| {
        let mut th = el("th")
            .attr("scope", "col")
            .attr("data-key", h.key.clone());
        if h.numeric {
            th = th.class("num");
        }
        if h.sortable {
            th = th.attr("data-sort", if h.numeric { "number" } else { "text" });
        }
        th.text(h.label.clone())
    }));
    let body = el("tbody").children(rows.iter().map(|row| {
        let tr = el("tr").attr_opt("data-testid", row.testid.clone());
        tr.children(
            headers
                .iter()
                .enumerate()
                .map(|(i, h)| match row.cells.get(i) {
                    Some(cell) => td(h, cell),
                    None => td(h, &Cell::text("")),
                }),
        )
    }));
    el("table")
        .class("data-table")
        .child(el("thead").child(head_row))
        .child(body)
}

fn td(column: &ColumnDef, cell: &Cell) -> Element {
    let mut td = el("td");
    if column.numeric {
        td = td.class("num");
    }
    if let Some(class) = cell.class {
        td = td.class(class);
    }
    if !matches!(cell.value, Value::Text(_)) {
        td = td.attr("data-sort-value", cell.value.raw());
    }
    td.text(cell.text.clone())
}

/// The rows as CSV: UTF-8 with a BOM (so Excel reads Chinese correctly), CRLF line ends, RFC 4180
/// quoting, header labels on the first line, raw values (not display text) in the cells.
///
/// A text value starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a product
/// titled `=HYPERLINK(…)` is not run as a formula when the file is opened in a spreadsheet.
pub fn to_csv(headers: &[ColumnDef], rows: &[Row]) -> String {
    let mut out = String::from("\u{FEFF}");
    let labels: Vec<&str> = headers.iter().map(|h| h.label.as_str()).collect();
    push_record(&mut out, labels.iter().copied());
    for row in rows {
        let fields: Vec<String> = (0..headers.len())
            .map(|i| row.cells.get(i).map_or_else(String::new, csv_field))
            .collect();
        push_record(&mut out, fields.iter().map(String::as_str));
    }
    out
}

fn csv_field(cell: &Cell) -> String {
    match &cell.value {
        Value::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        v => v.raw(),
    }
}

fn push_record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::html::to_html;
    use crate::view::node::Node;
    use proptest::prelude::*;

    fn columns() -> Vec<ColumnDef> {
        vec![
            ColumnDef::text("title", "商品名称"),
            ColumnDef::number("revenue", "支付金额"),
            ColumnDef::number("share", "金额占比").unsorted(),
        ]
    }

    fn rows() -> Vec<Row> {
        vec![
            Row::new(vec![
                Cell::text("连衣裙, 夏季 \"新款\""),
                Cell::money(129_900, "CNY", Lang::Zh),
                Cell::percent(Some(0.125), Lang::Zh),
            ])
            .with_testid("product-row-A1"),
            Row::new(vec![Cell::text("=1+1"), Cell::money(-5, "CNY", Lang::Zh)]),
        ]
    }

    #[test]
    fn html_table_has_sort_hooks_and_raw_values() {
        let node: Node = table(&columns(), &rows()).into();
        let html = to_html(&node);
        assert!(html.contains(
            "<th scope=\"col\" data-key=\"revenue\" class=\"num\" data-sort=\"number\">支付金额</th>"
        ));
        assert!(html.contains("<th scope=\"col\" data-key=\"share\" class=\"num\">金额占比</th>"));
        assert!(html.contains("<td class=\"num\" data-sort-value=\"1299.00\">¥1,299.00</td>"));
        assert!(html.contains("<td class=\"num\" data-sort-value=\"0.125\">12.5%</td>"));
        // The short second row is padded to three cells.
        let row = node.find_all(|e| e.tag == "tr").into_iter().nth(2).unwrap();
        assert_eq!(row.children.len(), 3);
        assert_eq!(node.by_testid("product-row-A1").map(|e| e.tag), Some("tr"));
    }

    #[test]
    fn csv_is_bom_crlf_quoted_raw_and_formula_safe() {
        let csv = to_csv(&columns(), &rows());
        assert_eq!(
            csv,
            "\u{FEFF}商品名称,支付金额,金额占比\r\n\
             \"连衣裙, 夏季 \"\"新款\"\"\",1299.00,0.125\r\n\
             '=1+1,-0.05,\r\n"
        );
    }

    #[test]
    fn raw_values() {
        assert_eq!(Value::Money(-129_905).raw(), "-1299.05");
        assert_eq!(Value::Number(None).raw(), "");
        assert_eq!(Value::Number(Some(f64::NAN)).raw(), "");
        assert_eq!(
            Cell::money_f(Some(12_345.678), "USD", Lang::En).value.raw(),
            "123.46"
        );
        assert_eq!(
            Cell::money_f(Some(-0.2), "USD", Lang::En).value.raw(),
            "0.00"
        );
        assert_eq!(
            Value::Number(Some(0.110_728_725_810_136_24)).raw(),
            "0.110729"
        );
        assert_eq!(Value::Number(Some(0.5)).raw(), "0.5");
        assert_eq!(Value::Number(Some(3.0)).raw(), "3");
        assert_eq!(Value::Number(Some(-0.000_000_1)).raw(), "0");
        assert_eq!(Value::Number(Some(1e21)).raw(), "1000000000000000000000");
        assert_eq!(Cell::count(u64::MAX, Lang::En).value, Value::Int(i64::MAX));
        assert_eq!(Cell::number(None, 1).text, "—");
    }

    proptest! {
        /// The CSV parses back (with the `csv` crate) to the raw values, whatever the text.
        #[test]
        fn csv_round_trips(texts in proptest::collection::vec(any::<String>(), 1..6),
                           cents in proptest::collection::vec(any::<i64>(), 1..6)) {
            let cols = vec![ColumnDef::text("t", "t"), ColumnDef::number("m", "m")];
            let rows: Vec<Row> = texts.iter().zip(&cents)
                .map(|(t, c)| Row::new(vec![Cell::text(t.clone()), Cell::money(*c, "USD", Lang::En)]))
                .collect();
            let csv = to_csv(&cols, &rows);
            let body = csv.strip_prefix('\u{FEFF}').unwrap();
            let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
            let parsed: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
            prop_assert_eq!(parsed.len(), rows.len());
            for (record, row) in parsed.iter().zip(&rows) {
                prop_assert_eq!(&record[0], csv_field(&row.cells[0]));
                prop_assert_eq!(&record[1], row.cells[1].value.raw());
            }
        }
    }
}
