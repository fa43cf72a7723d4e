//! Serialising a view tree to HTML text, for the self-contained offline report and SVG export.
//!
//! Escaping is the whole point: text escapes `& < >`, attribute values escape `& < > " '`, so no
//! string from an export (a product titled `<img src=x onerror=alert(1)>`) can become markup.

use super::node::{Element, Node, Ns};

/// HTML elements that have no end tag.
const VOID_ELEMENTS: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// HTML elements whose content is raw text (not parsed for entities), so it must not be escaped;
/// only a closing tag inside it could end it early, which [`write_raw_text`] prevents.
const RAW_TEXT_ELEMENTS: [&str; 2] = ["style", "script"];

/// The HTML text of `node`.
///
/// The outermost `<svg>` of an SVG subtree gets `xmlns="http://www.w3.org/2000/svg"`, so a chart
/// serialised alone is a valid standalone SVG file. Childless SVG elements are self-closed.
pub fn to_html(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, Ns::Html, &mut out);
    out
}

fn write_node(node: &Node, parent_ns: Ns, out: &mut String) {
    match node {
        Node::Text(t) => escape_text(t, out),
        Node::Element(e) => write_element(e, parent_ns, out),
    }
}

fn write_element(e: &Element, parent_ns: Ns, out: &mut String) {
    out.push('<');
    out.push_str(e.tag);
    if e.ns == Ns::Svg && parent_ns != Ns::Svg && e.get_attr("xmlns").is_none() {
        out.push_str(" xmlns=\"");
        out.push_str(Ns::Svg.uri());
        out.push('"');
    }
    for (name, value) in &e.attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_attr(value, out);
        out.push('"');
    }
    if e.ns == Ns::Html && VOID_ELEMENTS.contains(&e.tag) {
        // A void element cannot have children; any given are dropped rather than mis-nested.
        out.push('>');
        return;
    }
    if e.ns == Ns::Svg && e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    if e.ns == Ns::Html && RAW_TEXT_ELEMENTS.contains(&e.tag) {
        for child in &e.children {
            write_raw_text(&child.text_content(), out);
        }
    } else {
        for child in &e.children {
            write_node(child, e.ns, out);
        }
    }
    out.push_str("</");
    out.push_str(e.tag);
    out.push('>');
}

/// Escapes text content: `&`, `<`, `>`.
pub fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Escapes a double-quoted attribute value: `&`, `<`, `>`, `"`, `'`.
pub fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Writes the content of a `<style>`: verbatim (CSS uses `>` as a combinator), except that `</`
/// becomes `<\/`, so the content can never close the element. In CSS `\/` is just `/`.
fn write_raw_text(s: &str, out: &mut String) {
    out.push_str(&s.replace("</", "<\\/"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::node::{el, svg, text};
    use proptest::prelude::*;

    #[test]
    fn text_that_looks_like_markup_stays_text() {
        let html = to_html(&el("td").text("<img src=x onerror=alert(1)>").into());
        assert_eq!(html, "<td>&lt;img src=x onerror=alert(1)&gt;</td>");
    }

    #[test]
    fn attribute_injection_is_escaped() {
        let html = to_html(&el("div").attr("data-tooltip", "\" onload=\"x").into());
        assert_eq!(html, "<div data-tooltip=\"&quot; onload=&quot;x\"></div>");
        let html = to_html(&el("div").attr("title", "a'b&c<d>").into());
        assert_eq!(html, "<div title=\"a&#39;b&amp;c&lt;d&gt;\"></div>");
    }

    #[test]
    fn void_elements_and_svg_namespace() {
        let doc = el("p")
            .child(el("br"))
            .child(el("meta").attr("charset", "utf-8"))
            .child(
                svg("svg")
                    .attr("viewBox", "0 0 10 10")
                    .child(svg("g").child(svg("rect").attr("x", "1")))
                    .child(svg("text").text("a & b")),
            );
        assert_eq!(
            to_html(&doc.into()),
            "<p><br><meta charset=\"utf-8\">\
             <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\
             <g><rect x=\"1\"/></g><text>a &amp; b</text></svg></p>"
        );
    }

    #[test]
    fn style_content_is_raw_but_cannot_close_the_element() {
        let css = ".a > .b { color: red } </style><script>x</script>";
        let html = to_html(&el("style").text(css).into());
        assert_eq!(
            html,
            "<style>.a > .b { color: red } <\\/style><script>x<\\/script></style>"
        );
    }

    #[test]
    fn chinese_text_passes_through() {
        assert_eq!(to_html(&text("支付金额 ¥1,299.00")), "支付金额 ¥1,299.00");
    }

    /// Naive reference: the characters of `s` that may appear unescaped in text.
    fn unescaped_specials(html: &str) -> usize {
        html.chars().filter(|&c| c == '<' || c == '>').count()
    }

    proptest! {
        #[test]
        fn serialised_text_has_no_raw_angle_brackets(s in any::<String>()) {
            let html = to_html(&el("span").text(s.clone()).into());
            let inner = &html["<span>".len()..html.len() - "</span>".len()];
            prop_assert_eq!(unescaped_specials(inner), 0);
            // And it round-trips: unescaping gives the original text back.
            let back = inner.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            prop_assert_eq!(back, s);
        }

        #[test]
        fn serialised_attribute_cannot_break_out(s in any::<String>()) {
            let html = to_html(&el("i").attr("title", s).into());
            let value = &html["<i title=\"".len()..html.len() - "\"></i>".len()];
            prop_assert!(!value.contains(['"', '\'', '<', '>']));
        }
    }
}
