//! # shoplens
//!
//! A pure-Rust analysis engine for e-commerce exports (Taobao/Tmall, JD, Pinduoduo, Douyin, Shopify,
//! WooCommerce, Amazon, Tianchi, REES46 …). Bytes go in through [`ingest`], which decodes, sniffs the
//! dialect, recognises the platform and maps columns into the typed tables of [`model`]; the
//! [`analysis`] modules compute the figures of `shared/DEFINITIONS.md` from those tables.
//!
//! This crate has no WebAssembly dependency; `shoplens-wasm` wraps it for the browser and npm.
//!
//! Conventions: money is `i64` cents; times are `i64` wall-clock seconds in the report's zone
//! ([`time`]); line numbers start at 1; undefined ratios are `None`.

pub mod analysis;
pub mod codes;
pub mod currency;
pub mod error;
pub mod ingest;
pub mod model;
pub mod money;
pub mod report;
pub mod schema;
pub mod sql;
pub mod sql_request;
pub mod time;
pub mod view;

pub use codes::{ErrorCode, NoteCode, ReasonCode, UnavailableCode};
pub use error::{Error, ErrorInfo, ErrorKind, Position};
