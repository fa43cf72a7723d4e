//! Views for the browser: the engine's view trees ([`shoplens::view::Node`]) mounted into the DOM
//! with web-sys, and the export formats built from the same trees.
//!
//! - `new ReportView(report)`: the report read once; its methods below draw and export it.
//! - `render(element, report, view, options)`: replaces `element`'s children with the view.
//! - `exportHtml(report, options)`: the self-contained offline report (`options.css` inlined).
//! - `exportCsv(report, table, options)`: one table in full, UTF-8 with BOM.
//! - `exportSvg(report, view, chart, options)`: one chart as a standalone SVG document.
//! - `label(lang, key)`: a string of the engine's zh-CN/en table, for the page's own controls.
//!
//! Text is only ever text: text nodes are created with `createTextNode` and attribute values set
//! with `setAttribute`, never parsed as markup, so a product titled `<img src=x onerror=alert(1)>`
//! shows as those characters. Attribute names come from the engine's code, never from data; as a
//! second line of defence an event-handler attribute (`on…`) is refused outright.

use shoplens::report::Report;
use shoplens::view::{self, Element as ViewElement, Node as ViewNode, Ns, ViewName, ViewOptions};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use crate::errors::{internal, invalid_option, js_error};
use crate::session::parse_options;

/// A report read once, for drawing and exporting many views of it: reading a large report (a
/// shop with 60,000 customers has an 11 MB report) takes a few hundred milliseconds, which a
/// page must not pay on every click. The free functions below read the report on each call.
#[wasm_bindgen]
pub struct ReportView {
    report: Report,
}

impl ReportView {
    /// A report computed in this instance, kept as it is (no conversion).
    pub(crate) fn from_report(report: Report) -> ReportView {
        ReportView { report }
    }

    pub(crate) fn report(&self) -> &Report {
        &self.report
    }
}

#[wasm_bindgen]
impl ReportView {
    /// `report`: the object `Session.finish()` returned (also after a `postMessage`), or its
    /// JSON text. Throws `invalid_report` when it is neither.
    #[wasm_bindgen(constructor)]
    pub fn new(report: JsValue) -> Result<ReportView, JsValue> {
        Ok(ReportView {
            report: report_from_js(&report)?,
        })
    }

    /// Draws `view` (`overview`, `funnel`, `cohorts`, `customers`, `products`, `loads`) into
    /// `element`, replacing its children. `options`: the view options (`{ lang, grain,
    /// cohort_metric, segment, sort, product_filter, currency, max_rows, interactive }`, all
    /// optional; unknown fields throw `invalid_option`).
    pub fn render(&self, element: &Element, view: &str, options: JsValue) -> Result<(), JsValue> {
        let options: ViewOptions = parse_options(&options)?;
        let tree = view::render(&self.report, &options, view_name(view)?);
        let document = document_of(element)?;
        // Build the whole tree detached, then swap it in: one layout instead of one per node.
        let mounted = mount(&document, &tree)?;
        element.set_text_content(None);
        element.append_child(&mounted)?;
        Ok(())
    }

    /// Draws the banner naming each loaded file that gave the views nothing, with its one cause
    /// and a button (`data-open-mapping`, `data-focus`) to its mapping, into `element`; empties
    /// `element` and returns false when no file is blocked.
    #[wasm_bindgen(js_name = renderBanner)]
    pub fn render_banner(&self, element: &Element, options: JsValue) -> Result<bool, JsValue> {
        let options: ViewOptions = parse_options(&options)?;
        element.set_text_content(None);
        let Some(tree) = view::banner(&self.report, &options) else {
            return Ok(false);
        };
        let document = document_of(element)?;
        element.append_child(&mount(&document, &tree)?)?;
        Ok(true)
    }

    /// The whole report as one self-contained HTML document (every view, static, no script, a
    /// CSP that forbids any network access). `options`: the view options plus `css`, the
    /// stylesheet to inline (the page passes its own).
    #[wasm_bindgen(js_name = exportHtml)]
    pub fn export_html(&self, options: JsValue) -> Result<String, JsValue> {
        let (options, css) = options_with_css(&options)?;
        Ok(view::report_html(&self.report, &options, &css))
    }

    /// The full CSV (UTF-8 with BOM, CRLF) of table `table` (`products`, `segments`,
    /// `load-0-rejected` …, with or without the `table-` prefix of its element id). Throws
    /// `unknown_table` when the report has no such table.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self, table: &str, options: JsValue) -> Result<String, JsValue> {
        let options: ViewOptions = parse_options(&options)?;
        view::table_csv(&self.report, &options, table).ok_or_else(|| {
            js_error(
                "unknown_table",
                &format!("The report has no table named `{table}`."),
                None,
                None,
                None,
            )
        })
    }

    /// Chart `chart` (its element id, `chart-…`) of `view` as a standalone SVG document (with
    /// the SVG namespace and inline colours). Throws `unknown_chart` when the view has no such
    /// chart.
    #[wasm_bindgen(js_name = exportSvg)]
    pub fn export_svg(&self, view: &str, chart: &str, options: JsValue) -> Result<String, JsValue> {
        let options = ViewOptions {
            interactive: false,
            ..parse_options(&options)?
        };
        let tree = view::render(&self.report, &options, view_name(view)?);
        let found = tree
            .find_all(|e| e.tag == "svg" && e.get_attr("id") == Some(chart))
            .into_iter()
            .next()
            .cloned()
            .ok_or_else(|| {
                js_error(
                    "unknown_chart",
                    &format!("The {view} view has no chart `{chart}`."),
                    None,
                    None,
                    None,
                )
            })?;
        let svg = view::to_html(&ViewNode::Element(found));
        Ok(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n"
        ))
    }
}

/// [`ReportView::render`] of a report read for this one call.
#[wasm_bindgen]
pub fn render(
    element: &Element,
    report: JsValue,
    view: &str,
    options: JsValue,
) -> Result<(), JsValue> {
    ReportView::new(report)?.render(element, view, options)
}

/// [`ReportView::export_html`] of a report read for this one call.
#[wasm_bindgen(js_name = exportHtml)]
pub fn export_html(report: JsValue, options: JsValue) -> Result<String, JsValue> {
    ReportView::new(report)?.export_html(options)
}

/// [`ReportView::export_csv`] of a report read for this one call.
#[wasm_bindgen(js_name = exportCsv)]
pub fn export_csv(report: JsValue, table: &str, options: JsValue) -> Result<String, JsValue> {
    ReportView::new(report)?.export_csv(table, options)
}

/// [`ReportView::export_svg`] of a report read for this one call.
#[wasm_bindgen(js_name = exportSvg)]
pub fn export_svg(
    report: JsValue,
    view: &str,
    chart: &str,
    options: JsValue,
) -> Result<String, JsValue> {
    ReportView::new(report)?.export_svg(view, chart, options)
}

/// The engine's text for `key` (`platform.taobao`, `field.paid_amount`, `kind.orders` …) in `lang`
/// (`zh-CN` or `en`), or `undefined` when the string table has no such key: the page labels its
/// own controls with the same words as the views.
#[wasm_bindgen]
pub fn label(lang: &str, key: &str) -> Result<Option<String>, JsValue> {
    let lang: view::Lang = serde_json::from_value(serde_json::Value::String(lang.to_owned()))
        .map_err(|_| invalid_option(format!("unknown language `{lang}`; expected zh-CN or en")))?;
    Ok(view::i18n::lookup(lang, key).map(str::to_owned))
}

/// Reads a report: an object with the report's JSON shape, or JSON text. Through JSON text
/// because serde-wasm-bindgen, which reads an object field by field across the JS boundary, took
/// 2–3 times longer on an 11 MB report.
fn report_from_js(report: &JsValue) -> Result<Report, JsValue> {
    let text = match report.as_string() {
        Some(text) => text,
        None => js_sys::JSON::stringify(report)
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| invalid_report("it cannot be written as JSON"))?,
    };
    serde_json::from_str(&text).map_err(invalid_report)
}

fn invalid_report(why: impl std::fmt::Display) -> JsValue {
    js_error(
        "invalid_report",
        &format!("This is not a shoplens report: {why}"),
        None,
        None,
        None,
    )
}

/// A view by its stable name.
pub(crate) fn view_name(name: &str) -> Result<ViewName, JsValue> {
    ViewName::ALL
        .into_iter()
        .find(|v| v.code() == name)
        .ok_or_else(|| {
            let known: Vec<&str> = ViewName::ALL.iter().map(|v| v.code()).collect();
            invalid_option(format!(
                "unknown view `{name}`; expected one of {}",
                known.join(", ")
            ))
        })
}

/// Splits `css` off the export options: the rest must be valid view options (unknown fields
/// still throw, which `#[serde(flatten)]` would not allow together with `deny_unknown_fields`).
fn options_with_css(options: &JsValue) -> Result<(ViewOptions, String), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok((ViewOptions::default(), String::new()));
    }
    let text = js_sys::JSON::stringify(options)
        .map_err(|_| invalid_option("options must be a plain object"))?
        .as_string()
        .unwrap_or_default();
    let mut object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(invalid_option)?;
    let css = match object.remove("css") {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(css)) => css,
        Some(_) => return Err(invalid_option("`css` must be a string")),
    };
    let options =
        serde_json::from_value(serde_json::Value::Object(object)).map_err(invalid_option)?;
    Ok((options, css))
}

/// The document `element` belongs to, for building nodes in it.
fn document_of(element: &Element) -> Result<Document, JsValue> {
    element.owner_document().ok_or_else(|| {
        js_error(
            "no_document",
            "The element to render into is not in a document.",
            None,
            None,
            None,
        )
    })
}

/// Creates the DOM nodes of a view tree (detached).
fn mount(document: &Document, node: &ViewNode) -> Result<web_sys::Node, JsValue> {
    match node {
        ViewNode::Text(text) => Ok(document.create_text_node(text).into()),
        ViewNode::Element(e) => Ok(mount_element(document, e)?.into()),
    }
}

fn mount_element(document: &Document, e: &ViewElement) -> Result<Element, JsValue> {
    let element = match e.ns {
        // In an HTML document `createElement` gives the XHTML namespace.
        Ns::Html => document.create_element(e.tag)?,
        Ns::Svg => document.create_element_ns(Some(Ns::Svg.uri()), e.tag)?,
    };
    for (name, value) in &e.attrs {
        if is_event_handler(name) {
            return Err(internal(format!(
                "refusing to set the event-handler attribute `{name}` on <{}>",
                e.tag
            )));
        }
        element.set_attribute(name, value)?;
    }
    for child in &e.children {
        element.append_child(&mount(document, child)?)?;
    }
    Ok(element)
}

/// `onclick`, `onerror` …: never produced by the views (interactivity is `data-*` attributes).
fn is_event_handler(name: &str) -> bool {
    name.len() > 2 && name[..2].eq_ignore_ascii_case("on")
}

#[cfg(test)]
mod tests {
    use super::is_event_handler;

    #[test]
    fn event_handler_names_are_recognised() {
        for name in ["onclick", "onerror", "ONLOAD", "onmouseover"] {
            assert!(is_event_handler(name), "{name}");
        }
        for name in ["class", "data-tooltip", "on", "role", "opacity", "offset"] {
            assert!(!is_event_handler(name), "{name}");
        }
    }
}
