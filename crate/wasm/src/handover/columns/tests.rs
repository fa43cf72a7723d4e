//! The columns against a naive reference: rows rebuilt from them (as `rowsFromColumns` does in JS)
//! must equal the rows serialised one by one (`serde_json::to_value`, whose data model is the one
//! serde-wasm-bindgen maps to JS), on random rows of every supported shape and on real report rows.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::*;

/// Rows rebuilt from a column, following the JS rebuild step by step.
fn rebuild(column: &Column) -> Vec<Value> {
    let n = column.rows as usize;
    let mut values: Vec<Value> = match &column.values {
        Values::Unknown => vec![Value::Null; n],
        Values::Number(values) => values.iter().map(|&v| number(v)).collect(),
        Values::Bool(values) => values.iter().map(|&v| Value::Bool(v)).collect(),
        Values::Text { text, ends } => {
            // Offsets are UTF-16 units, as JS `slice` takes them.
            let units: Vec<u16> = text.encode_utf16().collect();
            let mut start = 0;
            ends.iter()
                .map(|&end| {
                    let units = &units[start..end as usize];
                    let value = String::from_utf16(units).expect("whole characters");
                    start = end as usize;
                    Value::String(value)
                })
                .collect()
        }
        Values::Label { names, codes } => codes
            .iter()
            .map(|&code| names.get(code as usize).map_or(Value::Null, |&n| n.into()))
            .collect(),
        Values::Object { keys, fields } => {
            let fields: Vec<Vec<Value>> = fields.iter().map(rebuild).collect();
            (0..n)
                .map(|i| {
                    let row: Map<String, Value> = keys
                        .iter()
                        .zip(&fields)
                        .map(|(&key, field)| (key.to_owned(), field[i].clone()))
                        .collect();
                    Value::Object(row)
                })
                .collect()
        }
        Values::List { ends, items } => {
            let items = rebuild(items);
            let mut start = 0;
            ends.iter()
                .map(|&end| {
                    let list = items[start..end as usize].to_vec();
                    start = end as usize;
                    Value::Array(list)
                })
                .collect()
        }
    };
    assert_eq!(values.len(), n, "one value per row");
    for &row in &column.null_rows {
        values[row as usize] = Value::Null;
    }
    values
}

/// Every number as an f64, as JS has them (serde_json keeps 3 and 3.0 apart).
fn number(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn as_js_numbers(value: Value) -> Value {
    match value {
        Value::Number(n) => number(n.as_f64().expect("finite")),
        Value::Array(items) => Value::Array(items.into_iter().map(as_js_numbers).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, as_js_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Columns rebuilt equal the rows serialised one by one.
fn assert_round_trip<T: Serialize>(rows: &[T]) {
    let column = collect(rows).expect("rows fit columns");
    let want = as_js_numbers(serde_json::to_value(rows).expect("serialisable"));
    assert_eq!(Value::Array(rebuild(&column)), want);
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Tier {
    Gold,
    SilverPlus,
    #[serde(rename = "铜")]
    Bronze,
}

#[derive(Serialize)]
struct Component {
    name: String,
    value: Option<f64>,
}

#[derive(Serialize)]
struct Detail {
    score: Option<f64>,
    components: Vec<Component>,
}

#[derive(Serialize)]
struct Row {
    customer: String,
    title: Option<String>,
    monetary: i64,
    orders: u64,
    score: u8,
    share: Option<f64>,
    tier: Tier,
    maybe_tier: Option<Tier>,
    active: bool,
    detail: Detail,
    extra: Option<Detail>,
    tags: Option<Vec<u32>>,
    pair: (i32, i32),
    nothing: (),
    never: Option<String>,
}

/// xorshift64: a seeded, reproducible stream without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self) -> bool {
        self.below(3) == 0
    }
    /// ASCII, CJK, a character outside the BMP (two UTF-16 units) or empty.
    fn text(&mut self) -> String {
        const PIECES: [&str; 6] = ["buyer_", "陈小兔", "𠮷", "🛒", "", "a\"b\\c"];
        (0..self.below(4))
            .map(|_| PIECES[self.below(PIECES.len() as u64) as usize])
            .collect()
    }
    fn detail(&mut self) -> Detail {
        Detail {
            score: (!self.chance()).then(|| self.below(10_000) as f64 / 100.0),
            components: (0..self.below(4))
                .map(|_| Component {
                    name: self.text(),
                    value: (!self.chance()).then(|| self.below(1000) as f64 - 500.5),
                })
                .collect(),
        }
    }
    fn row(&mut self) -> Row {
        let tiers = [Tier::Gold, Tier::SilverPlus, Tier::Bronze];
        Row {
            customer: self.text(),
            title: (!self.chance()).then(|| self.text()),
            monetary: self.below(2 * MAX_SAFE_INTEGER + 1) as i64 - MAX_SAFE_INTEGER as i64,
            orders: self.below(MAX_SAFE_INTEGER + 1),
            score: self.below(256) as u8,
            share: (!self.chance()).then(|| self.below(1 << 20) as f64 / 7.0),
            tier: tiers[self.below(3) as usize],
            maybe_tier: (!self.chance()).then(|| tiers[self.below(3) as usize]),
            active: self.chance(),
            detail: self.detail(),
            extra: self.chance().then(|| self.detail()),
            tags: self
                .chance()
                .then(|| (0..self.below(5)).map(|_| self.below(100) as u32).collect()),
            pair: (self.below(100) as i32 - 50, self.below(7) as i32),
            nothing: (),
            never: None,
        }
    }
}

#[test]
fn random_rows_rebuild_to_the_same_values() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..300 {
        let rows: Vec<Row> = (0..rng.below(40)).map(|_| rng.row()).collect();
        assert_round_trip(&rows);
    }
}

#[test]
fn text_offsets_are_utf16_units() {
    let column = collect(&["ab", "𠮷", "", "陈小兔"]).expect("strings");
    let Values::Text { text, ends } = &column.values else {
        panic!("a text column: {column:?}");
    };
    assert_eq!(text, "ab𠮷陈小兔");
    // 𠮷 is outside the BMP: two UTF-16 units for its four UTF-8 bytes.
    assert_eq!(ends, &[2, 4, 4, 7]);
}

#[test]
fn unit_variants_share_their_names() {
    let column = collect(&[Tier::Bronze, Tier::Gold, Tier::Bronze]).expect("labels");
    assert_eq!(
        column.values,
        Values::Label {
            names: vec!["铜", "gold"],
            codes: vec![0, 1, 0],
        }
    );
}

#[test]
fn leading_nulls_keep_fields_aligned() {
    let rows = [
        None,
        None,
        Some(Component {
            name: "x".into(),
            value: Some(1.5),
        }),
        None,
    ];
    let column = collect(&rows).expect("optional structs");
    assert_eq!(column.null_rows, vec![0, 1, 3]);
    let Values::Object { keys, fields } = &column.values else {
        panic!("an object column: {column:?}");
    };
    assert_eq!(keys, &["name", "value"]);
    assert!(fields.iter().all(|field| field.rows == 4));
    assert_round_trip(&rows);
}

#[test]
fn nan_and_infinities_stay_numbers() {
    let column = collect(&[f64::NAN, f64::INFINITY, -0.0]).expect("floats");
    let Values::Number(values) = &column.values else {
        panic!("a number column: {column:?}");
    };
    assert!(values[0].is_nan());
    assert_eq!(values[1], f64::INFINITY);
    assert!(values[2] == 0.0 && values[2].is_sign_negative());
}

#[test]
fn integers_js_cannot_hold_are_refused() {
    // serde-wasm-bindgen fails on these too; the caller's fallback reports its error.
    assert!(collect(&[MAX_SAFE_INTEGER as i64]).is_ok());
    assert!(collect(&[-(MAX_SAFE_INTEGER as i64)]).is_ok());
    assert!(collect(&[MAX_SAFE_INTEGER as i64 + 1]).is_err());
    assert!(collect(&[i64::MIN]).is_err());
    assert!(collect(&[u64::MAX]).is_err());
}

#[derive(Serialize)]
struct Sometimes {
    a: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<u8>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(f64),
    Text(String),
}

#[derive(Serialize)]
enum WithData {
    Amount(i64),
}

#[test]
fn shapes_that_are_not_columns_are_refused() {
    let mut map = BTreeMap::new();
    map.insert("k".to_owned(), 1);
    assert!(collect(&[map]).is_err(), "maps");
    assert!(
        collect(&[WithData::Amount(1)]).is_err(),
        "variants with data"
    );
    let fields_vary = [Sometimes { a: 1, b: None }, Sometimes { a: 2, b: Some(3) }];
    assert!(collect(&fields_vary).is_err(), "a field on some rows only");
    let kinds_vary = [NumberOrText::Number(1.0), NumberOrText::Text("x".into())];
    assert!(collect(&kinds_vary).is_err(), "a number then a string");
    assert!(collect(&[1_i128]).is_err(), "128-bit integers");
    assert!(
        collect(&[(1, 'x')]).is_err(),
        "a tuple of a number and a char"
    );
}

#[test]
fn an_empty_list_is_an_empty_column() {
    let column = collect::<Row>(&[]).expect("no rows");
    assert_eq!(column, Column::default());
}

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name.to_owned(), bytes)
}

#[test]
fn report_rows_rebuild_to_the_same_values() {
    // Orders with buyer ids (RFM), line items, an SKU list with cost and stock (every product
    // field set on some rows), behaviour events (item conversion).
    let files = [
        fixture("taobao_orders_gbk.csv"),
        fixture("taobao_items_utf8bom.csv"),
        fixture("erp_skus.csv"),
        fixture("shopify_orders.csv"),
        fixture("rees46_events.csv"),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    let report =
        shoplens::report::analyze_files(&files, &Default::default()).expect("the fixtures load");
    let rfm = report.rfm.ready().expect("rfm ready");
    let products = report.products.ready().expect("products ready");
    assert!(!rfm.customers.is_empty() && !products.products.is_empty());
    assert_round_trip(&rfm.customers);
    assert_round_trip(&products.products);
    assert_round_trip(&products.pareto);
}
