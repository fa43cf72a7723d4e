//! wasm-bindgen layer over the `shoplens` engine: the only crate that touches wasm-bindgen, js-sys,
//! web-sys and serde-wasm-bindgen. It holds no analysis logic: it converts between JS values and the
//! engine's types and turns engine errors into JS `Error` objects.
//!
//! - [`session::Session`]: streaming ingest (`push`, `endFile`, `progress`, `finish` → report).
//! - `bench` (feature `testing` only): the benchmark's raw csv-scan limit (`CsvScan`, `scan_csv`).
//! - [`errors`]: JS errors with `code`, `file`, `line`, `column`.
//! - [`render`]: views mounted into the DOM with web-sys; HTML, CSV and SVG exports.
//! - [`sql`]: the figures as DuckDB or Spark SQL scripts (`toSql`, `sqlOffers`).

#[cfg(feature = "testing")]
pub mod bench;
pub mod errors;
mod handover;
mod page;
pub mod render;
pub mod session;
pub mod sql;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    /// The message of the last Rust panic, so the JS wrapper can rethrow the `unreachable` trap
    /// that follows as a structured `internal_panic` error.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs once when the module is instantiated: panics are logged to `console.error` and their
/// message kept for [`take_panic_message`].
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
        console_error_panic_hook::hook(info);
    }));
}

/// The message of the last panic, if any (cleared by reading). After a panic the wasm instance
/// must be discarded; the JS wrapper does so.
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// The engine's version (the workspace version, which `package.json` repeats), so the page and
/// the tests can check that the `.wasm` they loaded is the one they were built with.
#[wasm_bindgen]
pub fn version() -> String {
    shoplens::report::VERSION.to_owned()
}
