// Mounts a view drawn by the engine worker: the view's node tree as JSON text
// (crate/wasm/src/page.rs: an element is [tag, ns, [name, value, …], child, …], ns 0 HTML and 1
// SVG; a text node is a string) turned into DOM nodes. Text is only ever text: text nodes and
// setAttribute, never markup; an event-handler attribute (on…) is refused, as in render.rs.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The detached DOM node of `tree` (parsed JSON), created in `document`. */
function build(document, tree) {
  if (typeof tree === 'string') return document.createTextNode(tree);
  const [tag, ns, attrs] = tree;
  const element = ns === 1 ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (let i = 0; i < attrs.length; i += 2) {
    const name = attrs[i];
    if (/^on/i.test(name) && name.length > 2) throw new Error(`refusing the event-handler attribute ${name} on <${tag}>`);
    element.setAttribute(name, attrs[i + 1]);
  }
  for (let i = 3; i < tree.length; i++) element.append(build(document, tree[i]));
  return element;
}

/** Replaces `host`'s children with the view whose tree is `json` (built detached: one layout). */
export function mountTree(host, json) {
  const node = build(host.ownerDocument, JSON.parse(json));
  host.replaceChildren(node);
}
