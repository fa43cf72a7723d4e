//! # shoplens
//!
//! A pure-Rust analysis engine for e-commerce exports (Taobao/Tmall, JD, Pinduoduo, Douyin, Shopify,
//! WooCommerce, Amazon, Tianchi, REES46 …). Bytes go in through [`ingest`], which decodes, sniffs the
//! dialect, recognises the platform and maps columns into the typed tables of [`model`]; the
//! [`analysis`] modules compute the figures of `shared/DEFINITIONS.md` from those tables.
//!
//! This crate has no WebAssembly dependency; `shoplens-wasm` wraps it for the browser and npm.

pub mod analysis;
pub mod model;
pub mod time;
