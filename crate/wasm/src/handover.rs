//! The report handed to JS fast: [`report_to_js`] gives the same value as `to_js(report)` (same
//! keys in the same order, `null` for `None`, numbers as numbers) in a fraction of the time.
//!
//! Why: serde-wasm-bindgen builds the object property by property, one wasm → JS call per value
//! and one `TextDecoder.decode` per string. On 1M order lines the report's JSON is 59 MB: 51 MB
//! of it `rfm.data.customers` (310k customers × 9 fields), 7 MB `products.data.products`; its
//! conversion took ~450 ms in Chromium, a third of `finish`. Those row lists now cross
//! column-wise ([`columns`]): each numeric field as one typed array, each string field as one
//! joined string (one decode) with its end offsets, each enum field as its variant names and a
//! code per row. `rowsFromColumns`, a small JS function (a wasm-bindgen snippet), rebuilds the
//! row objects on the JS side: ~145 ms in all. The rest of the report (under 1 MB) goes through
//! serde-wasm-bindgen as before, with the rebuilt lists dropped into place.

mod columns;

use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::Serialize;
use shoplens::analysis::ab::AbReport;
use shoplens::analysis::actions::{
    Action, ActionCode, ActionList, ActionReport, Figure, LockedAction,
};
use shoplens::analysis::alerts::Alert;
use shoplens::analysis::breakdown::BreakdownReport;
use shoplens::analysis::cohort::CohortReport;
use shoplens::analysis::funnel::FunnelReport;
use shoplens::analysis::kpi::KpiReport;
use shoplens::analysis::products::{ClassCounts, ProductReport};
use shoplens::analysis::promotion::PromotionReport;
use shoplens::analysis::rfm::{MeanScores, RfmReport, SegmentSummary};
use shoplens::analysis::stock::StockReport;
use shoplens::currency::{Conversion, CurrencyGroup, CurrencyMode};
use shoplens::ingest::LoadReport;
use shoplens::report::{DataSummary, Report, Section};
use wasm_bindgen::prelude::*;

use crate::errors::internal;
use crate::session::to_js;
use columns::{Column, Values};

/// The report as a plain JS object, equal to `to_js(report)`.
pub fn report_to_js(report: &Report) -> Result<JsValue, JsValue> {
    // Every field named, so a field added to `Report` fails to compile here instead of going
    // missing from the page's report.
    let Report {
        version,
        currency,
        currency_mode,
        currencies,
        conversion,
        loads,
        data,
        kpi,
        funnel,
        cohorts,
        rfm,
        products,
        stock,
        ab,
        alerts,
        actions,
        promotion,
        breakdowns,
    } = report;
    to_js(&ReportShell {
        version,
        currency,
        currency_mode,
        currencies,
        conversion,
        loads,
        data,
        kpi,
        funnel,
        cohorts,
        rfm: section_shell(rfm, rfm_shell)?,
        products: section_shell(products, products_shell)?,
        stock,
        ab,
        alerts,
        actions: actions_shell(actions)?,
        promotion,
        breakdowns,
    })
}

/// [`Report`] with its big row lists already converted: the same fields in the same order (serde
/// writes struct fields in declaration order), the lists as finished JS arrays passed through.
#[derive(Serialize)]
struct ReportShell<'a> {
    version: &'a str,
    currency: &'a str,
    currency_mode: &'a CurrencyMode,
    currencies: &'a [CurrencyGroup],
    conversion: &'a Option<Conversion>,
    loads: &'a [LoadReport],
    data: &'a DataSummary,
    kpi: &'a Section<KpiReport>,
    funnel: &'a Section<FunnelReport>,
    cohorts: &'a Section<CohortReport>,
    rfm: Section<RfmShell<'a>>,
    products: Section<ProductsShell<'a>>,
    stock: &'a Section<StockReport>,
    ab: &'a Section<AbReport>,
    alerts: &'a [Alert],
    actions: ActionsShell<'a>,
    promotion: &'a Section<PromotionReport>,
    breakdowns: &'a Section<BreakdownReport>,
}

/// [`ActionReport`] with each action's list converted (win back's may hold a third of the
/// customers).
#[derive(Serialize)]
struct ActionsShell<'a> {
    actions: Vec<ActionShell<'a>>,
    locked: &'a [LockedAction],
    quiet: &'a [ActionCode],
}

/// [`Action`] with its list converted: `list` is `{ kind, rows }` as serde writes the
/// adjacently tagged [`ActionList`].
#[derive(Serialize)]
struct ActionShell<'a> {
    code: ActionCode,
    stake: i64,
    rule_en: &'a str,
    rule_zh: &'a str,
    figures: &'a [Figure],
    list: ListShell,
}

#[derive(Serialize)]
struct ListShell {
    kind: &'static str,
    #[serde(serialize_with = "serde_wasm_bindgen::preserve::serialize")]
    rows: JsValue,
}

fn actions_shell(report: &ActionReport) -> Result<ActionsShell<'_>, JsValue> {
    let ActionReport {
        actions,
        locked,
        quiet,
    } = report;
    let actions = actions
        .iter()
        .map(|action| {
            let Action {
                code,
                stake,
                rule_en,
                rule_zh,
                figures,
                list,
            } = action;
            let (kind, rows) = match list {
                ActionList::Products(rows) => ("products", rows_to_js(rows)?),
                ActionList::Customers(rows) => ("customers", rows_to_js(rows)?),
                ActionList::Steps(rows) => ("steps", rows_to_js(rows)?),
            };
            Ok(ActionShell {
                code: *code,
                stake: *stake,
                rule_en,
                rule_zh,
                figures,
                list: ListShell { kind, rows },
            })
        })
        .collect::<Result<Vec<_>, JsValue>>()?;
    Ok(ActionsShell {
        actions,
        locked,
        quiet,
    })
}

/// [`RfmReport`] with `customers` converted.
#[derive(Serialize)]
struct RfmShell<'a> {
    reference_day: &'a str,
    #[serde(serialize_with = "serde_wasm_bindgen::preserve::serialize")]
    customers: JsValue,
    segments: &'a [SegmentSummary],
    mean_scores: &'a MeanScores,
}

/// [`ProductReport`] with `products` and `pareto` converted.
#[derive(Serialize)]
struct ProductsShell<'a> {
    growth_window_days: i64,
    total_revenue: i64,
    total_refunds: i64,
    shop_recent_revenue: i64,
    shop_previous_revenue: i64,
    shop_growth: Option<f64>,
    last_day: &'a str,
    #[serde(serialize_with = "serde_wasm_bindgen::preserve::serialize")]
    products: JsValue,
    #[serde(serialize_with = "serde_wasm_bindgen::preserve::serialize")]
    pareto: JsValue,
    class_counts: &'a ClassCounts,
}

fn rfm_shell(rfm: &RfmReport) -> Result<RfmShell<'_>, JsValue> {
    let RfmReport {
        reference_day,
        customers,
        segments,
        mean_scores,
    } = rfm;
    Ok(RfmShell {
        reference_day,
        customers: rows_to_js(customers)?,
        segments,
        mean_scores,
    })
}

fn products_shell(report: &ProductReport) -> Result<ProductsShell<'_>, JsValue> {
    let ProductReport {
        growth_window_days,
        total_revenue,
        total_refunds,
        shop_recent_revenue,
        shop_previous_revenue,
        shop_growth,
        last_day,
        products,
        pareto,
        class_counts,
    } = report;
    Ok(ProductsShell {
        growth_window_days: *growth_window_days,
        total_revenue: *total_revenue,
        total_refunds: *total_refunds,
        shop_recent_revenue: *shop_recent_revenue,
        shop_previous_revenue: *shop_previous_revenue,
        shop_growth: *shop_growth,
        last_day,
        products: rows_to_js(products)?,
        pareto: rows_to_js(pareto)?,
        class_counts,
    })
}

/// A section with `shell` applied to its data; an unavailable section as it is.
fn section_shell<'a, T, S>(
    section: &'a Section<T>,
    shell: impl FnOnce(&'a T) -> Result<S, JsValue>,
) -> Result<Section<S>, JsValue> {
    Ok(match section {
        Section::Ready { data } => Section::Ready { data: shell(data)? },
        Section::Unavailable { reason } => Section::Unavailable {
            reason: reason.clone(),
        },
    })
}

/// `rows` as a JS array of plain objects, equal to `to_js(rows)`: column-wise, or through serde
/// when the rows do not fit columns (then with the same result, or the same error).
fn rows_to_js<T: Serialize>(rows: &[T]) -> Result<JsValue, JsValue> {
    match columns::collect(rows) {
        Ok(column) => rows_from_columns(&column_to_js(&column)?),
        Err(_) => to_js(&rows),
    }
}

/// The description `rowsFromColumns` reads: `{ kind, rows, nulls, … }`, the values as typed
/// arrays (copied out of wasm memory, so later allocations cannot invalidate them).
fn column_to_js(column: &Column) -> Result<JsValue, JsValue> {
    let description = Object::new();
    let set = |key: &str, value: JsValue| {
        Reflect::set(&description, &JsValue::from_str(key), &value).map(drop)
    };
    set("rows", column.rows.into())?;
    set("nulls", Uint32Array::from(&column.null_rows[..]).into())?;
    let kind = match &column.values {
        Values::Unknown => "unknown",
        Values::Number(values) => {
            // Whole numbers as an Int32Array: V8 keeps a number read from it as a small integer
            // in the object's field, where one read from a Float64Array is a boxed double, 16
            // more bytes each (30 MB more for 310k RFM customers, and the GC time to move them).
            let typed_array = match as_i32s(values) {
                Some(integers) => Int32Array::from(&integers[..]).into(),
                None => Float64Array::from(&values[..]).into(),
            };
            set("values", typed_array)?;
            "number"
        }
        Values::Bool(values) => {
            let bytes: Vec<u8> = values.iter().map(|&b| u8::from(b)).collect();
            set("values", Uint8Array::from(&bytes[..]).into())?;
            "bool"
        }
        Values::Text { text, ends } => {
            // The one decode of the column's strings.
            set("text", JsValue::from_str(text))?;
            set("ends", Uint32Array::from(&ends[..]).into())?;
            "text"
        }
        Values::Label { names, codes } => {
            let names: Array = names.iter().map(|&name| JsValue::from_str(name)).collect();
            set("names", names.into())?;
            set("codes", Uint32Array::from(&codes[..]).into())?;
            "label"
        }
        Values::Object { keys, fields } => {
            let keys: Array = keys.iter().map(|&key| JsValue::from_str(key)).collect();
            let fields = fields
                .iter()
                .map(column_to_js)
                .collect::<Result<Array, JsValue>>()?;
            set("keys", keys.into())?;
            set("fields", fields.into())?;
            "object"
        }
        Values::List { ends, items } => {
            set("ends", Uint32Array::from(&ends[..]).into())?;
            set("items", column_to_js(items)?)?;
            "list"
        }
    };
    set("kind", JsValue::from_str(kind))?;
    Ok(description.into())
}

/// `values` as `i32`s when each one is exactly one (so not -0, NaN or a fraction).
fn as_i32s(values: &[f64]) -> Option<Vec<i32>> {
    values
        .iter()
        .map(|&value| {
            let integer = value as i32;
            (f64::from(integer).to_bits() == value.to_bits()).then_some(integer)
        })
        .collect()
}

/// `rowsFromColumns(column)` rebuilds the rows of [`column_to_js`]'s description. Object fields
/// are set in the order of `keys`, so the objects have serde's field order; `nulls` overwrite
/// their rows last. A number column stays a typed array: object fields read plain numbers from
/// it, list items are sliced out as arrays, and it becomes an `Array` itself only to hold a
/// `null` or to be the returned list.
#[wasm_bindgen(inline_js = r#"
export function rowsFromColumns(column) {
  const values = columnValues(column);
  return Array.isArray(values) ? values : Array.from(values);
}

function columnValues(column) {
  const n = column.rows;
  let values = [];
  switch (column.kind) {
    case 'unknown':
      for (let i = 0; i < n; i++) values.push(null);
      break;
    case 'number':
      values = column.values;
      break;
    case 'bool':
      for (let i = 0; i < n; i++) values.push(column.values[i] !== 0);
      break;
    case 'text': {
      const { text, ends } = column;
      let start = 0;
      for (let i = 0; i < n; i++) {
        const end = ends[i];
        values.push(text.slice(start, end));
        start = end;
      }
      break;
    }
    case 'label': {
      const { names, codes } = column;
      for (let i = 0; i < n; i++) values.push(names[codes[i]]);
      break;
    }
    case 'object': {
      const { keys } = column;
      const fields = column.fields.map(columnValues);
      const width = keys.length;
      for (let i = 0; i < n; i++) {
        const row = {};
        for (let f = 0; f < width; f++) row[keys[f]] = fields[f][i];
        values.push(row);
      }
      break;
    }
    case 'list': {
      const { ends } = column;
      const items = columnValues(column.items);
      let start = 0;
      for (let i = 0; i < n; i++) {
        const end = ends[i];
        values.push(Array.prototype.slice.call(items, start, end));
        start = end;
      }
      break;
    }
    default:
      throw new Error(`shoplens handover: unknown column kind ${column.kind}`);
  }
  if (column.nulls.length > 0) {
    if (!Array.isArray(values)) values = Array.from(values);
    for (const row of column.nulls) values[row] = null;
  }
  return values;
}
"#)]
extern "C" {
    /// `catch`: a JS exception (out of memory) comes back as an error instead of unwinding
    /// through wasm.
    #[wasm_bindgen(catch, js_name = rowsFromColumns)]
    fn rows_from_columns(column: &JsValue) -> Result<JsValue, JsValue>;
}

/// One report converted both ways, for tests/js/handover.test.mjs and for timing the two
/// hand-overs on the same report (not part of the public API).
#[wasm_bindgen(js_name = HandoverCheck)]
pub struct HandoverCheck {
    report: Report,
}

#[wasm_bindgen(js_class = HandoverCheck)]
impl HandoverCheck {
    /// `report_json`: `Session.finishJson()`'s text.
    #[wasm_bindgen(constructor)]
    pub fn new(report_json: &str) -> Result<HandoverCheck, JsValue> {
        let report = serde_json::from_str(report_json).map_err(internal)?;
        Ok(HandoverCheck { report })
    }

    /// The report through serde-wasm-bindgen alone, as `Session.finish` converted it before.
    #[wasm_bindgen(js_name = bySerde)]
    pub fn by_serde(&self) -> Result<JsValue, JsValue> {
        to_js(&self.report)
    }

    /// The report through [`report_to_js`].
    #[wasm_bindgen(js_name = byColumns)]
    pub fn by_columns(&self) -> Result<JsValue, JsValue> {
        report_to_js(&self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::as_i32s;

    #[test]
    fn only_exact_i32s_are_sent_as_integers() {
        let integers = [0.0, 1.0, -5.0, 2_147_483_647.0, -2_147_483_648.0];
        assert_eq!(as_i32s(&integers), Some(vec![0, 1, -5, i32::MAX, i32::MIN]));
        // -0 would come back as 0, and the rest are not i32s at all.
        for odd in [
            -0.0,
            0.5,
            f64::NAN,
            f64::INFINITY,
            2_147_483_648.0,
            -2_147_483_649.0,
        ] {
            assert_eq!(as_i32s(&[1.0, odd]), None, "{odd}");
        }
        assert_eq!(as_i32s(&[]), Some(vec![]));
    }
}
