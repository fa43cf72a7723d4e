//! wasm-bindgen layer over the `shoplens` engine.
//!
//! Temporary stub: it only proves the build pipeline (cargo → wasm-bindgen → wasm-opt), the Node
//! loader and the browser worker end to end. The real binding (Session, report conversion, JS
//! errors) replaces it.

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: routes Rust panics to `console.error` with the
/// panic message instead of the bare `unreachable` trap that wasm would otherwise report.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's version (the workspace version, which `package.json` repeats), so the page and
/// the tests can check that the `.wasm` they loaded is the one they were built with.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
