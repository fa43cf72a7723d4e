//! The element tree every view is built from.
//!
//! A [`Node`] is either an [`Element`] or a run of text. Text is always text: whoever turns the tree
//! into a page (the wasm crate with `createElementNS`/`setAttribute`/`set_text_content`, or
//! [`to_html`](super::html::to_html), which escapes) can never turn data into markup.
//!
//! Attribute *names* are `&'static str`, chosen by this crate's code and never taken from data;
//! attribute *values* are data. There are no event-handler attributes: interactivity is declared
//! with `data-*` attributes (`data-tooltip`, `data-sort`, `data-export`, `data-target`) that the
//! page's script reads.

use serde::Serialize;

/// The XML namespace of an element: the mounting code calls `createElementNS` with
/// [`Ns::uri`], and the HTML serialiser writes `xmlns` on the outermost `<svg>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ns {
    Html,
    Svg,
}

impl Ns {
    pub fn uri(self) -> &'static str {
        match self {
            Ns::Html => "http://www.w3.org/1999/xhtml",
            Ns::Svg => "http://www.w3.org/2000/svg",
        }
    }
}

/// One node of a view tree. As JSON: `{"element": {"tag", "ns", "attrs", "children"}}` or
/// `{"text": "…"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    Element(Element),
    /// Text content; never parsed as markup.
    Text(String),
}

/// An element: tag, namespace, attributes in insertion order, children.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Element {
    /// Lower-case tag name (`div`, `rect`, `text` …), chosen by code.
    pub tag: &'static str,
    /// Namespace to create the element in.
    pub ns: Ns,
    /// `(name, value)` pairs; names are static, each name appears at most once.
    pub attrs: Vec<(&'static str, String)>,
    /// Child nodes in document order.
    pub children: Vec<Node>,
}

/// A new HTML element: `el("div").class("kpi").text("…")`.
pub fn el(tag: &'static str) -> Element {
    Element {
        tag,
        ns: Ns::Html,
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

/// A new SVG element: `svg("rect").attr("x", "0")`.
pub fn svg(tag: &'static str) -> Element {
    Element {
        ns: Ns::Svg,
        ..el(tag)
    }
}

/// A text node.
pub fn text(content: impl Into<String>) -> Node {
    Node::Text(content.into())
}

impl Element {
    /// Sets attribute `name` to `value`, replacing an earlier value of the same name.
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Element {
        self.set_attr(name, value);
        self
    }

    /// Sets the attribute only when `value` is `Some`.
    pub fn attr_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Element {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    /// In-place form of [`Element::attr`].
    pub fn set_attr(&mut self, name: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name, value)),
        }
    }

    /// Adds a class to the `class` attribute (space-separated), keeping earlier ones.
    pub fn class(mut self, class: impl AsRef<str>) -> Element {
        let class = class.as_ref();
        if class.is_empty() {
            return self;
        }
        let joined = match self.get_attr("class") {
            Some(existing) if !existing.is_empty() => format!("{existing} {class}"),
            _ => class.to_string(),
        };
        self.set_attr("class", joined);
        self
    }

    /// Sets `data-testid`, the stable hook the end-to-end tests select by.
    pub fn testid(self, id: impl Into<String>) -> Element {
        self.attr("data-testid", id)
    }

    /// Appends one child.
    pub fn child(mut self, child: impl Into<Node>) -> Element {
        self.children.push(child.into());
        self
    }

    /// Appends a child only when it is `Some`.
    pub fn child_opt(self, child: Option<impl Into<Node>>) -> Element {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Appends several children.
    pub fn children<N: Into<Node>>(mut self, children: impl IntoIterator<Item = N>) -> Element {
        self.children.extend(children.into_iter().map(Into::into));
        self
    }

    /// Appends a text child.
    pub fn text(self, content: impl Into<String>) -> Element {
        self.child(Node::Text(content.into()))
    }

    /// In-place form of [`Element::child`].
    pub fn push(&mut self, child: impl Into<Node>) {
        self.children.push(child.into());
    }

    /// The value of attribute `name`, if set.
    pub fn get_attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the `class` attribute contains `class` as a whole word.
    pub fn has_class(&self, class: &str) -> bool {
        self.get_attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|w| w == class))
    }
}

impl From<Element> for Node {
    fn from(e: Element) -> Node {
        Node::Element(e)
    }
}

impl From<String> for Node {
    fn from(s: String) -> Node {
        Node::Text(s)
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Node {
        Node::Text(s.to_string())
    }
}

/// Queries over a finished tree: used by tests and by the wasm crate to find export targets.
impl Node {
    /// The element, if this node is one.
    pub fn as_element(&self) -> Option<&Element> {
        match self {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        }
    }

    /// The concatenated text of this node and its descendants, like DOM `textContent`.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        match self {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => e.children.iter().for_each(|c| c.collect_text(out)),
        }
    }

    /// Calls `f` on every element in document order (pre-order), this one included.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Element)) {
        if let Node::Element(e) = self {
            f(e);
            for c in &e.children {
                c.walk(f);
            }
        }
    }

    /// Every element for which `pred` holds, in document order.
    pub fn find_all(&self, pred: impl Fn(&Element) -> bool) -> Vec<&Element> {
        let mut found = Vec::new();
        self.walk(&mut |e| {
            if pred(e) {
                found.push(e);
            }
        });
        found
    }

    /// The first element whose `data-testid` is `id`.
    pub fn by_testid(&self, id: &str) -> Option<&Element> {
        self.find_all(|e| e.get_attr("data-testid") == Some(id))
            .into_iter()
            .next()
    }
}

impl Element {
    /// Every descendant element (not this one) for which `pred` holds, in document order.
    pub fn find_all(&self, pred: impl Fn(&Element) -> bool) -> Vec<&Element> {
        let mut found = Vec::new();
        for child in &self.children {
            child.walk(&mut |e| {
                if pred(e) {
                    found.push(e);
                }
            });
        }
        found
    }

    /// [`Node::text_content`] of this element.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            c.collect_text(&mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_sets_replaces_and_appends() {
        let node: Node = el("div")
            .class("kpi")
            .class("up")
            .attr("data-x", "1")
            .attr("data-x", "2")
            .text("支付金额")
            .child(svg("svg").child(svg("rect")))
            .into();
        let div = node.as_element().unwrap();
        assert_eq!(div.get_attr("class"), Some("kpi up"));
        assert_eq!(div.get_attr("data-x"), Some("2"));
        assert_eq!(div.attrs.len(), 2, "replacing keeps one attribute per name");
        assert!(div.has_class("up") && !div.has_class("u"));
        assert_eq!(div.children.len(), 2);
        assert_eq!(node.find_all(|e| e.ns == Ns::Svg).len(), 2);
        assert_eq!(node.text_content(), "支付金额");
    }

    #[test]
    fn serialises_to_json_for_other_renderers() {
        let node: Node = el("p").attr("class", "x").text("a<b").into();
        let json = serde_json::to_string(&node).unwrap();
        assert_eq!(
            json,
            r#"{"element":{"tag":"p","ns":"html","attrs":[["class","x"]],"children":[{"text":"a<b"}]}}"#
        );
    }

    #[test]
    fn optional_helpers_and_queries() {
        let node: Node = el("ul")
            .attr_opt("title", None::<String>)
            .child_opt(Some(el("li").testid("a").text("x")))
            .child_opt(None::<Element>)
            .class("")
            .into();
        let ul = node.as_element().unwrap();
        assert!(ul.attrs.is_empty());
        assert_eq!(ul.children.len(), 1);
        assert_eq!(node.by_testid("a").map(|e| e.tag), Some("li"));
        assert!(node.by_testid("b").is_none());
    }
}
