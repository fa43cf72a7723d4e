//! Errors cross into JS as real `Error` objects with stable fields:
//! `code` (snake_case), `file`, `line`, `column`, and the English `message`.

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::prelude::*;

/// Build a JS `Error` with `code`, `file`, `line`, `column` properties.
pub fn js_error(
    code: &str,
    message: &str,
    file: Option<&str>,
    line: Option<u64>,
    column: Option<&str>,
) -> JsValue {
    let err = JsError::new(message);
    err.set_name("ShoplensError");
    let set = |k: &str, v: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("code", JsValue::from_str(code));
    set("file", file.map_or(JsValue::NULL, JsValue::from_str));
    set(
        "line",
        line.map_or(JsValue::NULL, |l| JsValue::from_f64(l as f64)),
    );
    set("column", column.map_or(JsValue::NULL, JsValue::from_str));
    err.into()
}

/// A shoplens error as a JS `Error`.
pub fn from_core(e: &shoplens::Error) -> JsValue {
    let at = e.position();
    let file = (!at.file.is_empty()).then_some(at.file.as_str());
    js_error(
        e.code(),
        &e.to_string(),
        file,
        at.line,
        at.column.as_deref(),
    )
}

/// Options that do not deserialise (unknown field, wrong type) as a JS `Error`.
pub fn invalid_option(e: impl std::fmt::Display) -> JsValue {
    js_error(
        "invalid_option",
        &format!("Invalid options: {e}"),
        None,
        None,
        None,
    )
}

/// A value that could not be turned into JS.
pub fn internal(e: impl std::fmt::Display) -> JsValue {
    js_error("internal_error", &e.to_string(), None, None, None)
}

/// Panics on purpose with `message`, so that the JS wrapper's recovery from a trapped instance
/// (`internal_panic`, then a fresh instance) is tested against a real Rust panic rather than a
/// simulated one. Not part of the public API: `js/index.js` does not re-export it, and only a build
/// with the `testing` feature has it.
#[cfg(feature = "testing")]
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests(message: &str) {
    panic!("{message}");
}
