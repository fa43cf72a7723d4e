//! The page's hand-over (issue 16 item 5): the report stays in the engine worker's instance, and the
//! page gets what it shows. `Session.finishView()` / `reanalyzeView(options)` give a [`ReportView`]
//! without converting the report to JS; the worker then hands the page
//! - `summary()`: the few fields the page's own controls read (the load reports, the currencies,
//!   each section's status, the filter choices, the funnel's event names), as a JS object;
//! - `renderTree(view, options)` / `renderBannerTree(options)`: a view as its node tree in JSON
//!   text (below), which the page mounts with DOM calls (`www/mount.js`);
//! - the exports (`exportCsv`, `exportSvg`, `exportHtml`, in render.rs) as text.
//!
//! The Data tab and the blocked-files banner show only the load reports and the currencies, which
//! the summary carries whole: the page draws those two in its own instance from the summary
//! (`ReportView.fromSummary`), so the worker never builds the Data tab's large tree.
//!
//! So a report crosses the wasm boundary once per analysis, as what the page shows, and the page
//! never parses it back. The tree's JSON form: an element is `[tag, ns, [name, value, …], child,
//! …]` (`ns`: 0 HTML, 1 SVG), a text node is a string. Text stays text: the page creates text
//! nodes and sets attributes, never parses markup.

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use shoplens::analysis::Unavailable;
use shoplens::codes::UnavailableCode;
use shoplens::report::{Report, Section};
use shoplens::view::{self, Element as ViewElement, Node as ViewNode, Ns, ViewOptions};
use wasm_bindgen::prelude::*;

use crate::errors::internal;
use crate::render::{view_name, ReportView};
use crate::session::{parse_options, to_js};

#[wasm_bindgen]
impl ReportView {
    /// `view` rendered as its node tree in JSON text (see the module's doc), for a page that
    /// draws views computed in a worker. `options`: as for `render`.
    #[wasm_bindgen(js_name = renderTree)]
    pub fn render_tree(&self, view: &str, options: JsValue) -> Result<String, JsValue> {
        let options: ViewOptions = parse_options(&options)?;
        let tree = view::render(self.report(), &options, view_name(view)?);
        serde_json::to_string(&Tree(&tree)).map_err(internal)
    }

    /// The banner of `renderBanner` as a node tree in JSON text, or `undefined` when no file is
    /// blocked.
    #[wasm_bindgen(js_name = renderBannerTree)]
    pub fn render_banner_tree(&self, options: JsValue) -> Result<Option<String>, JsValue> {
        let options: ViewOptions = parse_options(&options)?;
        view::banner(self.report(), &options)
            .map(|tree| serde_json::to_string(&Tree(&tree)).map_err(internal))
            .transpose()
    }

    /// What the page reads of the report besides its views, with the report's own field names:
    /// `version`, `currency`, `currency_mode`, `currencies`, `conversion`, `loads`, `data`, and
    /// per section (`kpi`, `funnel`, `cohorts`, `rfm`, `products`, `stock`, `ab`, `promotion`,
    /// `breakdowns`) its `status` and `reason`, with in `data` only: the KPIs' `first_day` and
    /// `last_day`; the funnel's `source` and `event_names`; each product's `key`, `title` and
    /// `category` (the filter choices); the A/B readout whole (two groups: small, and the A/B
    /// controls read its groups). A field the page's own JS starts reading must be added here.
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        let r = self.report();
        to_js(&Summary {
            version: &r.version,
            currency: &r.currency,
            currency_mode: &r.currency_mode,
            currencies: &r.currencies,
            conversion: &r.conversion,
            loads: &r.loads,
            data: &r.data,
            kpi: brief(&r.kpi, |k| KpiBrief {
                first_day: &k.first_day,
                last_day: &k.last_day,
            }),
            funnel: brief(&r.funnel, |f| FunnelBrief {
                source: &f.source,
                event_names: &f.event_names,
            }),
            cohorts: brief(&r.cohorts, |_| Empty {}),
            rfm: brief(&r.rfm, |_| Empty {}),
            products: brief(&r.products, |p| ProductsBrief {
                products: p
                    .products
                    .iter()
                    .map(|row| ProductBrief {
                        key: &row.key,
                        title: &row.title,
                        category: &row.category,
                    })
                    .collect(),
            }),
            stock: brief(&r.stock, |_| Empty {}),
            ab: brief(&r.ab, |a| a),
            promotion: brief(&r.promotion, |_| Empty {}),
            breakdowns: brief(&r.breakdowns, |_| Empty {}),
        })
    }
}

#[wasm_bindgen]
impl ReportView {
    /// The Data tab and the blocked-files banner for the page's own instance, from the summary
    /// (`summary()`, also after a `postMessage`): those two views show only the load reports, the
    /// currencies and whether the KPIs found no paid order, which the summary carries whole. So
    /// the page draws them where their data already is (mapping edits redraw them without a round
    /// trip, also while the next report is computed), and the engine worker's instance never holds
    /// the Data tab's large tree (its controls for every column). Only `render(…, 'loads', …)` and
    /// `renderBanner` are meaningful on this view: every other section reads as unavailable.
    #[wasm_bindgen(js_name = fromSummary)]
    pub fn from_summary(summary: JsValue) -> Result<ReportView, JsValue> {
        let text = js_sys::JSON::stringify(&summary)
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let summary: SummaryIn = serde_json::from_str(&text).map_err(|e| {
            crate::errors::js_error(
                "invalid_report",
                &format!("This is not a shoplens report summary: {e}"),
                None,
                None,
                None,
            )
        })?;
        Ok(ReportView::from_report(summary.into_report()))
    }
}

/// What [`ReportView::from_summary`] reads of a summary.
#[derive(serde::Deserialize)]
struct SummaryIn {
    version: String,
    currency: String,
    #[serde(default)]
    currency_mode: shoplens::currency::CurrencyMode,
    #[serde(default)]
    currencies: Vec<shoplens::currency::CurrencyGroup>,
    #[serde(default)]
    conversion: Option<shoplens::currency::Conversion>,
    loads: Vec<shoplens::ingest::LoadReport>,
    data: Option<shoplens::report::DataSummary>,
    kpi: Option<StatusIn>,
}

#[derive(serde::Deserialize)]
struct StatusIn {
    #[serde(default)]
    reason: Option<Unavailable>,
}

impl SummaryIn {
    fn into_report(self) -> Report {
        fn elsewhere<T>() -> Section<T> {
            Section::Unavailable {
                reason: Unavailable::new(
                    UnavailableCode::InEngineWorker,
                    "the report held by the engine worker",
                ),
            }
        }
        Report {
            version: self.version,
            currency: self.currency,
            currency_mode: self.currency_mode,
            currencies: self.currencies,
            conversion: self.conversion,
            loads: self.loads,
            data: self
                .data
                .unwrap_or_else(|| shoplens::report::DataSummary::of(&Default::default())),
            // The banner tells "no paid orders" from the KPIs' reason.
            kpi: match self.kpi.and_then(|k| k.reason) {
                Some(reason) => Section::Unavailable { reason },
                None => elsewhere(),
            },
            funnel: elsewhere(),
            cohorts: elsewhere(),
            rfm: elsewhere(),
            products: elsewhere(),
            stock: elsewhere(),
            ab: elsewhere(),
            alerts: Vec::new(),
            actions: shoplens::analysis::actions::ActionReport {
                actions: Vec::new(),
                locked: Vec::new(),
                quiet: Vec::new(),
            },
            promotion: elsewhere(),
            breakdowns: elsewhere(),
        }
    }
}

/// A report kept in this instance, for the worker's hand-over.
pub(crate) fn report_view(report: Report) -> ReportView {
    ReportView::from_report(report)
}

#[derive(Serialize)]
struct Summary<'a> {
    version: &'a str,
    currency: &'a str,
    currency_mode: &'a shoplens::currency::CurrencyMode,
    currencies: &'a [shoplens::currency::CurrencyGroup],
    conversion: &'a Option<shoplens::currency::Conversion>,
    loads: &'a [shoplens::ingest::LoadReport],
    data: &'a shoplens::report::DataSummary,
    kpi: Section<KpiBrief<'a>>,
    funnel: Section<FunnelBrief<'a>>,
    cohorts: Section<Empty>,
    rfm: Section<Empty>,
    products: Section<ProductsBrief<'a>>,
    stock: Section<Empty>,
    ab: Section<&'a shoplens::analysis::ab::AbReport>,
    promotion: Section<Empty>,
    breakdowns: Section<Empty>,
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct KpiBrief<'a> {
    first_day: &'a Option<String>,
    last_day: &'a Option<String>,
}

#[derive(Serialize)]
struct FunnelBrief<'a> {
    source: &'a shoplens::analysis::funnel::FunnelSource,
    event_names: &'a [shoplens::analysis::funnel::EventNameStat],
}

#[derive(Serialize)]
struct ProductsBrief<'a> {
    products: Vec<ProductBrief<'a>>,
}

#[derive(Serialize)]
struct ProductBrief<'a> {
    key: &'a str,
    title: &'a Option<String>,
    category: &'a Option<String>,
}

/// The section's status and reason, with `data` cut down to what `pick` keeps.
fn brief<'a, T, B>(section: &'a Section<T>, pick: impl FnOnce(&'a T) -> B) -> Section<B> {
    match section {
        Section::Ready { data } => Section::Ready { data: pick(data) },
        Section::Unavailable { reason } => Section::Unavailable {
            reason: reason.clone(),
        },
    }
}

/// A view tree in its compact JSON form.
struct Tree<'a>(&'a ViewNode);

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            ViewNode::Text(text) => serializer.serialize_str(text),
            ViewNode::Element(e) => serialize_element(e, serializer),
        }
    }
}

fn serialize_element<S: Serializer>(e: &ViewElement, serializer: S) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(3 + e.children.len()))?;
    seq.serialize_element(e.tag)?;
    seq.serialize_element(&match e.ns {
        Ns::Html => 0u8,
        Ns::Svg => 1u8,
    })?;
    seq.serialize_element(&Attrs(&e.attrs))?;
    for child in &e.children {
        seq.serialize_element(&Tree(child))?;
    }
    seq.end()
}

/// Attributes as one flat list `[name, value, name, value …]`.
struct Attrs<'a>(&'a [(&'static str, String)]);

impl Serialize for Attrs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len() * 2))?;
        for (name, value) in self.0 {
            seq.serialize_element(name)?;
            seq.serialize_element(value)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::Tree;
    use shoplens::view::{el, svg, Node};

    #[test]
    fn a_tree_is_tags_namespaces_flat_attributes_and_text_as_strings() {
        let tree: Node = el("div")
            .attr("class", "kpi")
            .attr("data-tooltip", "a \"quoted\" <b>tip</b>")
            .text("¥1,299.00")
            .child(svg("svg").attr("viewBox", "0 0 10 10").child(svg("rect")))
            .into();
        assert_eq!(
            serde_json::to_string(&Tree(&tree)).unwrap(),
            r#"["div",0,["class","kpi","data-tooltip","a \"quoted\" <b>tip</b>"],"¥1,299.00",["svg",1,["viewBox","0 0 10 10"],["rect",1,[]]]]"#
        );
    }
}
