//! The self-contained HTML report: every view stacked in one static file that opens offline.

use super::{banner, render, ViewName, ViewOptions};
use crate::report::Report;
use crate::view::fmt::Lang;
use crate::view::html::to_html;
use crate::view::i18n::t;
use crate::view::node::{el, Node};

/// The report's Content-Security-Policy: nothing may load or connect; only the inline stylesheet
/// and `data:` images apply. The file has no script at all.
pub const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// A complete HTML document of all views (static: no controls, no export buttons, no script),
/// styled by `css` inlined in a `<style>`, with a CSP meta tag that forbids any network access.
pub fn report_html(report: &Report, opts: &ViewOptions, css: &str) -> String {
    let opts = ViewOptions {
        interactive: false,
        ..opts.clone()
    };
    let lang = opts.lang;
    let head = el("head")
        .child(el("meta").attr("charset", "utf-8"))
        .child(
            el("meta")
                .attr("http-equiv", "Content-Security-Policy")
                .attr("content", REPORT_CSP),
        )
        .child(
            el("meta")
                .attr("name", "viewport")
                .attr("content", "width=device-width, initial-scale=1"),
        )
        .child(
            el("meta")
                .attr("name", "generator")
                .attr("content", format!("shoplens {}", report.version)),
        )
        .child(el("title").text(t(lang, "report.title")))
        .child(el("style").text(css));
    let header = el("header")
        .class("report-header")
        .child(el("h1").text(t(lang, "report.title")))
        .child(
            el("p")
                .class("generated-by")
                .text(t(lang, "report.generated_by")),
        );
    // A file that gave the views nothing is named once, above them (the views defer to it).
    let main = el("main")
        .class("report")
        .child_opt(banner(report, &opts))
        .children(ViewName::ALL.iter().map(|&v| render(report, &opts, v)));
    let html: Node = el("html")
        .attr(
            "lang",
            match lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
        )
        .child(head)
        .child(el("body").class("static-report").child(header).child(main))
        .into();
    format!("<!DOCTYPE html>\n{}\n", to_html(&html))
}
