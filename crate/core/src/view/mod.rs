//! Report → a small element/SVG tree, rendered by the page and serialised for the offline report.
//!
//! Views are built in Rust as [`Node`] trees (pure data, no web-sys). The wasm crate mounts a tree
//! into the DOM with `createElementNS`/`setAttribute`/`set_text_content`; [`to_html`] serialises the
//! same tree, escaping every string, for the self-contained HTML report and for SVG export.

pub mod chart;
pub mod fmt;
pub mod html;
pub mod i18n;
pub mod node;
pub mod table;
pub mod views;

pub use fmt::Lang;
pub use html::to_html;
pub use i18n::t;
pub use node::{el, svg, text, Element, Node, Ns};
pub use views::{banner, render, report_html, table_csv, ViewName, ViewOptions};
