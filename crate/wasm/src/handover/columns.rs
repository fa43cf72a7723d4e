//! A list of rows (any `Serialize` type: structs of numbers, strings, enums, options, nested
//! structs and lists) turned column-wise: every field's values of all rows side by side, numbers
//! in one `Vec<f64>`, strings of a field joined into one `String`. Pure Rust, no JS: `super` hands
//! the columns over and rebuilds the rows in JS.
//!
//! The columns follow serde's data model exactly as `serde_wasm_bindgen` (with
//! `serialize_missing_as_null`) maps it to JS, so the rebuilt rows equal its output: a struct is an
//! object with its fields in serde order, `None` and `()` are `null`, a unit enum variant is its
//! (renamed) name, a sequence or tuple is an array, every number is a JS number. Whatever does not
//! fit a column (maps, which may have other keys on every row, enum variants with data, bytes,
//! 128-bit integers, a field present on some rows only, a number JS cannot hold exactly, or values
//! that differ in kind from row to row) is [`Unsupported`], and the caller converts that list the
//! ordinary way, which gives the same result or the same error.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

#[cfg(test)]
mod tests;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`); `serde_wasm_bindgen`
/// refuses 64-bit integers beyond it.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Most UTF-16 units one column's text may have. V8 refuses strings past 2^29 − 24 units and the
/// offsets are `u32`; a column past this goes the ordinary way, one string per value.
const MAX_TEXT_UNITS: u64 = 1 << 28;

/// The name `serde_wasm_bindgen::preserve` gives the wrapper of a JS value passed through serde.
/// Such a value only exists inside `serde_wasm_bindgen`'s own serializer, never as a column.
const PRESERVED_JS_VALUE: &str = "1fc430ca-5b7f-4295-92de-33cf2b145d38";

/// Why a list cannot be handed over column-wise (or the error a row's own `Serialize` raised).
#[derive(Debug, Clone, PartialEq)]
pub struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not convertible column-wise: {}", self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(what.to_owned()))
}

/// One field's values for every row, in row order.
#[derive(Debug, Default, PartialEq)]
pub struct Column {
    /// Rows so far (null ones included).
    pub rows: u32,
    /// Rows whose value is `null`, ascending. Their slot in [`Values`] holds a placeholder.
    pub null_rows: Vec<u32>,
    pub values: Values,
}

/// The non-null values of a column, with a placeholder for each null row.
#[derive(Debug, Default, PartialEq)]
pub enum Values {
    /// Every row so far is null, so the kind is not known yet.
    #[default]
    Unknown,
    /// Every integer and float, as JS numbers are.
    Number(Vec<f64>),
    Bool(Vec<bool>),
    /// Strings: all of them joined, and where each one ends, in UTF-16 units (JS string indices).
    Text {
        text: String,
        ends: Vec<u32>,
    },
    /// Unit enum variants: each row's index into `names`, the variant names met so far.
    Label {
        names: Vec<&'static str>,
        codes: Vec<u32>,
    },
    /// Structs: their field names in serde order, and one column per field.
    Object {
        keys: Vec<&'static str>,
        fields: Vec<Column>,
    },
    /// Sequences and tuples: all rows' elements in one column, and where each row's elements end.
    List {
        ends: Vec<u32>,
        items: Box<Column>,
    },
}

/// The rows column-wise: one column whose values are the rows.
pub fn collect<T: Serialize>(rows: &[T]) -> Result<Column, Unsupported> {
    let mut column = Column::default();
    for row in rows {
        row.serialize(Cell(&mut column))?;
    }
    Ok(column)
}

/// A length or index as `u32`, the width of the offsets JS receives.
fn as_u32(n: usize) -> Result<u32, Unsupported> {
    u32::try_from(n).or_else(|_| unsupported("more than 2^32 values"))
}

impl Column {
    /// A column of `rows` nulls: a struct field first met after `rows` null rows of its struct.
    fn nulls(rows: u32) -> Column {
        Column {
            rows,
            null_rows: (0..rows).collect(),
            values: Values::Unknown,
        }
    }

    fn push_null(&mut self) -> Result<(), Unsupported> {
        self.null_rows.push(self.rows);
        match &mut self.values {
            Values::Unknown => {}
            Values::Number(values) => values.push(0.0),
            Values::Bool(values) => values.push(false),
            Values::Text { ends, .. } => ends.push(ends.last().copied().unwrap_or(0)),
            Values::Label { codes, .. } => codes.push(0),
            Values::Object { fields, .. } => {
                for field in fields {
                    field.push_null()?;
                }
            }
            Values::List { ends, items } => ends.push(items.rows),
        }
        self.end_row()
    }

    fn end_row(&mut self) -> Result<(), Unsupported> {
        self.rows = match self.rows.checked_add(1) {
            Some(rows) => rows,
            None => return unsupported("more than 2^32 rows"),
        };
        Ok(())
    }

    /// The values as `kind`: set when the column meets its first non-null value, with a placeholder
    /// for every earlier (null) row; `None` when the column already holds another kind.
    fn values_as(&mut self, kind: Kind) -> Option<&mut Values> {
        if matches!(self.values, Values::Unknown) {
            let n = self.rows as usize;
            self.values = match kind {
                Kind::Number => Values::Number(vec![0.0; n]),
                Kind::Bool => Values::Bool(vec![false; n]),
                Kind::Text => Values::Text {
                    text: String::new(),
                    ends: vec![0; n],
                },
                Kind::Label => Values::Label {
                    names: Vec::new(),
                    codes: vec![0; n],
                },
                // Fields are added as the first struct names them, each with `rows` nulls.
                Kind::Object => Values::Object {
                    keys: Vec::new(),
                    fields: Vec::new(),
                },
                Kind::List => Values::List {
                    ends: vec![0; n],
                    items: Box::default(),
                },
            };
        }
        (self.values.kind() == Some(kind)).then_some(&mut self.values)
    }

    fn push_number(&mut self, value: f64) -> Result<(), Unsupported> {
        match self.values_as(Kind::Number) {
            Some(Values::Number(values)) => values.push(value),
            _ => return unsupported("a number among other values"),
        }
        self.end_row()
    }

    fn push_bool(&mut self, value: bool) -> Result<(), Unsupported> {
        match self.values_as(Kind::Bool) {
            Some(Values::Bool(values)) => values.push(value),
            _ => return unsupported("a bool among other values"),
        }
        self.end_row()
    }

    fn push_text(&mut self, value: &str) -> Result<(), Unsupported> {
        match self.values_as(Kind::Text) {
            Some(Values::Text { text, ends }) => {
                let start = u64::from(ends.last().copied().unwrap_or(0));
                let end = start + utf16_len(value) as u64;
                if end > MAX_TEXT_UNITS {
                    return unsupported("a column of text too long for one JS string");
                }
                text.push_str(value);
                // Below MAX_TEXT_UNITS, so within u32.
                ends.push(end as u32);
            }
            _ => return unsupported("a string among other values"),
        }
        self.end_row()
    }

    fn push_label(&mut self, name: &'static str) -> Result<(), Unsupported> {
        match self.values_as(Kind::Label) {
            Some(Values::Label { names, codes }) => {
                // Enums have a handful of variants: a linear search beats hashing. A variant's
                // name is one static string, so its address tells it apart.
                let code = match names.iter().position(|&known| same_str(known, name)) {
                    Some(code) => code,
                    None => {
                        names.push(name);
                        names.len() - 1
                    }
                };
                codes.push(as_u32(code)?);
            }
            _ => return unsupported("an enum variant among other values"),
        }
        self.end_row()
    }
}

/// The kind of a column's values, to check that every row's value has the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Number,
    Bool,
    Text,
    Label,
    Object,
    List,
}

impl Values {
    fn kind(&self) -> Option<Kind> {
        Some(match self {
            Values::Unknown => return None,
            Values::Number(_) => Kind::Number,
            Values::Bool(_) => Kind::Bool,
            Values::Text { .. } => Kind::Text,
            Values::Label { .. } => Kind::Label,
            Values::Object { .. } => Kind::Object,
            Values::List { .. } => Kind::List,
        })
    }
}

/// `a == b`, at once when both are the same static string (field and variant names are).
fn same_str(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Length of `s` in UTF-16 units, the unit of JS string indices.
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// Serializes one value as the next row of a column.
struct Cell<'a>(&'a mut Column);

impl Cell<'_> {
    fn integer(self, value: i128) -> Result<(), Unsupported> {
        if value.unsigned_abs() > u128::from(MAX_SAFE_INTEGER) {
            // serde_wasm_bindgen fails on it: the ordinary conversion reports the error.
            return unsupported("an integer beyond 2^53");
        }
        self.0.push_number(value as f64)
    }
}

impl<'a> ser::Serializer for Cell<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = ListRow<'a>;
    type SerializeTuple = ListRow<'a>;
    type SerializeTupleStruct = ListRow<'a>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = ObjectRow<'a>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.0.push_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.integer(i128::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.integer(i128::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.0.push_number(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        self.0.push_number(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.0.push_text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.0.push_text(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        unsupported("bytes (a Uint8Array in JS)")
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.0.push_null()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.0.push_null()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.0.push_null()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.0.push_label(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if name == PRESERVED_JS_VALUE {
            return unsupported("a JS value");
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        unsupported("an enum variant with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ListRow<'a>, Unsupported> {
        ListRow::start(self.0)
    }
    fn serialize_tuple(self, _: usize) -> Result<ListRow<'a>, Unsupported> {
        ListRow::start(self.0)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ListRow<'a>, Unsupported> {
        ListRow::start(self.0)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("an enum variant with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        unsupported("a map")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<ObjectRow<'a>, Unsupported> {
        ObjectRow::start(self.0)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        unsupported("an enum variant with data")
    }
}

/// One row of a struct column: its fields go to the field columns in order.
struct ObjectRow<'a> {
    column: &'a mut Column,
    /// Fields of this row so far.
    next_field: usize,
    /// This is the first struct of the column: its fields name the column's keys.
    first: bool,
}

impl<'a> ObjectRow<'a> {
    fn start(column: &'a mut Column) -> Result<ObjectRow<'a>, Unsupported> {
        let first = matches!(column.values, Values::Unknown);
        if column.values_as(Kind::Object).is_none() {
            return unsupported("a struct among other values");
        }
        Ok(ObjectRow {
            column,
            next_field: 0,
            first,
        })
    }
}

impl ser::SerializeStruct for ObjectRow<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        let rows_before = self.column.rows;
        let Values::Object { keys, fields } = &mut self.column.values else {
            return unsupported("a struct among other values");
        };
        if self.first {
            keys.push(key);
            fields.push(Column::nulls(rows_before));
        } else if !keys
            .get(self.next_field)
            .is_some_and(|&known| same_str(known, key))
        {
            // A field skipped on some rows only (`skip_serializing_if`), or a different struct.
            return unsupported("structs with different fields");
        }
        self.next_field += 1;
        value.serialize(Cell(&mut fields[self.next_field - 1]))
    }

    fn end(self) -> Result<(), Unsupported> {
        match &self.column.values {
            Values::Object { keys, .. } if keys.len() == self.next_field => self.column.end_row(),
            _ => unsupported("structs with different fields"),
        }
    }
}

/// One row of a list column: its elements go to the item column.
struct ListRow<'a> {
    column: &'a mut Column,
}

impl<'a> ListRow<'a> {
    fn start(column: &'a mut Column) -> Result<ListRow<'a>, Unsupported> {
        match column.values_as(Kind::List) {
            Some(_) => Ok(ListRow { column }),
            None => unsupported("a list among other values"),
        }
    }

    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        match &mut self.column.values {
            Values::List { items, .. } => value.serialize(Cell(items)),
            _ => unsupported("a list among other values"),
        }
    }

    fn finish(self) -> Result<(), Unsupported> {
        match &mut self.column.values {
            Values::List { ends, items } => ends.push(items.rows),
            _ => return unsupported("a list among other values"),
        }
        self.column.end_row()
    }
}

impl ser::SerializeSeq for ListRow<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.push(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.finish()
    }
}

impl ser::SerializeTuple for ListRow<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.push(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for ListRow<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.push(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.finish()
    }
}
