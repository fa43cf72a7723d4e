//! Scatter plot with optional quadrant lines (the BCG matrix).

use super::axis::{line, main_y_axis, x_value_axis};
use super::scale::{extent, LinearScale};
use super::{
    empty_chart, fit_text, label, num, root, series_style, text_width, tip, ChartOptions, Frame,
    INK,
};
use crate::view::node::{svg, Node};

/// One point.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    /// Name, shown in the tooltip and, with `show_label`, next to the point.
    pub name: String,
    pub x: f64,
    pub y: f64,
    /// Colour slot (`series-{group}`), e.g. the quadrant.
    pub group: usize,
    /// Whether the name may be written beside the point (keep it to a few points). Labels are
    /// placed in the order of the points, so put the most important first: a label that would
    /// overlap one already placed, a corner name or another point is left out (the name stays in
    /// the point's tooltip).
    pub show_label: bool,
    /// `data-testid` of the point.
    pub testid: Option<String>,
}

/// Dividing lines at `x` and `y`, and the name written in each corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Quadrants {
    pub x: f64,
    pub y: f64,
    pub top_left: String,
    pub top_right: String,
    pub bottom_left: String,
    pub bottom_right: String,
}

/// Points on two value axes (`opts.x_unit` across, `opts.unit` up). With `quadrants`, dashed lines
/// divide the plot at the thresholds and each corner is named. Points with a non-finite coordinate
/// are left out.
pub fn scatter(
    points: &[ScatterPoint],
    opts: &ChartOptions,
    quadrants: Option<&Quadrants>,
) -> Node {
    let shown: Vec<&ScatterPoint> = points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    if shown.is_empty() {
        return empty_chart(opts, "scatter");
    }
    let thresholds_x = quadrants.map(|q| q.x);
    let thresholds_y = quadrants.map(|q| q.y);
    let (x_lo, x_hi) = extent(shown.iter().map(|p| p.x).chain(thresholds_x)).unwrap_or((0.0, 1.0));
    let (y_lo, y_hi) = extent(shown.iter().map(|p| p.y).chain(thresholds_y)).unwrap_or((0.0, 1.0));
    // 4 % of room on the right and top, so edge points and their labels stay inside the plot.
    let (x_hi, y_hi) = (x_hi + (x_hi - x_lo) * 0.04, y_hi + (y_hi - y_lo) * 0.04);
    let frame = Frame::new(opts, opts.height);
    let x_ticks = opts.x_unit.ticks(x_lo, x_hi);
    let y_ticks = opts.unit.ticks(y_lo, y_hi);
    let x = LinearScale::over_ticks(&x_ticks, (frame.plot_left(), frame.plot_right()));
    let y = LinearScale::over_ticks(&y_ticks, (frame.plot_bottom(), frame.plot_top()));

    let mut chart = root(opts, &frame, "scatter")
        .child(main_y_axis(&frame, &y, &y_ticks, opts))
        .child(x_value_axis(
            &frame,
            &x,
            &x_ticks,
            &opts.x_unit,
            opts,
            &opts.x_label,
        ));

    if let Some(q) = quadrants {
        let (qx, qy) = (x.apply(q.x), y.apply(q.y));
        let dashed = |l: super::Element| {
            l.class("quadrant-line")
                .attr("stroke", INK)
                .attr("stroke-dasharray", "4 3")
        };
        let names = [&q.top_left, &q.top_right, &q.bottom_left, &q.bottom_right];
        chart = chart.child(
            svg("g")
                .class("quadrants")
                .child(dashed(line(qx, frame.plot_top(), qx, frame.plot_bottom())))
                .child(dashed(line(frame.plot_left(), qy, frame.plot_right(), qy)))
                .children(
                    corner_positions(&frame)
                        .into_iter()
                        .zip(names)
                        .map(|((x, y, anchor), name)| corner(x, y, anchor, name)),
                ),
        );
    }

    let centres: Vec<(f64, f64)> = shown.iter().map(|p| (x.apply(p.x), y.apply(p.y))).collect();
    let mut layout = LabelLayout::new(&frame, &centres);
    if let Some(q) = quadrants {
        layout.reserve_corners(q);
    }
    let mut marks = svg("g").class("marks");
    for (p, &(cx, cy)) in shown.iter().zip(&centres) {
        let (class, colour) = series_style(p.group);
        let tooltip = format!(
            "{} · {}: {} · {}: {}",
            p.name,
            opts.x_label,
            opts.x_unit.format(p.x, opts.lang),
            opts.y_label,
            opts.unit.format(p.y, opts.lang)
        );
        let mut g = svg("g")
            .class("point")
            .attr_opt("data-testid", p.testid.clone());
        g.push(tip(
            svg("circle")
                .class(class)
                .attr("cx", num(cx))
                .attr("cy", num(cy))
                .attr("r", "5")
                .attr("fill", colour)
                .attr("fill-opacity", "0.8"),
            tooltip,
        ));
        if p.show_label {
            let name = fit_text(&p.name, 120.0);
            if let Some((lx, ly, anchor)) = layout.place(cx, cy, text_width(&name)) {
                // A white halo keeps the name legible where it crosses a grid or quadrant line.
                let halo = label(lx, ly, anchor, name)
                    .class("point-label")
                    .attr("stroke", "#ffffff")
                    .attr("stroke-width", "3")
                    .attr("stroke-linejoin", "round")
                    .attr("paint-order", "stroke");
                g.push(halo);
            }
        }
        marks.push(g);
    }
    chart.child(marks).into()
}

/// Where the quadrant names are written: inset from the plot's corners.
fn corner_positions(frame: &Frame) -> [(f64, f64, &'static str); 4] {
    let (l, r, t, b) = (
        frame.plot_left() + 6.0,
        frame.plot_right() - 6.0,
        frame.plot_top() + 10.0,
        frame.plot_bottom() - 10.0,
    );
    [
        (l, t, "start"),
        (r, t, "end"),
        (l, b, "start"),
        (r, b, "end"),
    ]
}

/// Height of a label line at font size 11, with a little leading, in viewBox px.
const LABEL_HEIGHT: f64 = 13.0;
/// Gap between a point's centre and its label (the point's radius is 5).
const LABEL_GAP: f64 = 7.0;
/// Space kept clear around a label, so that neighbours do not touch.
const LABEL_PADDING: f64 = 2.0;
/// Half the size of the square a point covers (its radius).
const POINT_RADIUS: f64 = 5.0;

/// An axis-aligned box in viewBox coordinates (y down).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Box2 {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Box2 {
    /// The box of a text of `width` written at `(x, y)` with `anchor`, vertically centred.
    fn text(x: f64, y: f64, anchor: &str, width: f64) -> Box2 {
        let left = match anchor {
            "end" => x - width,
            "middle" => x - width / 2.0,
            _ => x,
        };
        Box2 {
            left,
            top: y - LABEL_HEIGHT / 2.0,
            right: left + width,
            bottom: y + LABEL_HEIGHT / 2.0,
        }
    }

    fn overlaps(&self, other: &Box2) -> bool {
        self.left < other.right + LABEL_PADDING
            && other.left < self.right + LABEL_PADDING
            && self.top < other.bottom + LABEL_PADDING
            && other.top < self.bottom + LABEL_PADDING
    }

    fn inside(&self, frame: &Frame) -> bool {
        self.left >= frame.plot_left()
            && self.right <= frame.plot_right()
            && self.top >= frame.plot_top()
            && self.bottom <= frame.plot_bottom()
    }
}

/// The spots for the label of the point at `(cx, cy)`, in order of preference: right of it, left
/// of it, then a line above or below, far enough to clear the labels beside it.
fn spots(cx: f64, cy: f64) -> [(f64, f64, &'static str); 4] {
    let line = LABEL_HEIGHT + LABEL_PADDING + 1.0;
    [
        (cx + LABEL_GAP, cy, "start"),
        (cx - LABEL_GAP, cy, "end"),
        (cx, cy - line, "middle"),
        (cx, cy + line, "middle"),
    ]
}

/// Greedy placement of point labels: each label takes the first spot beside its point (right,
/// left, above, below) that stays in the plot and overlaps nothing placed so far; the points
/// themselves and the corner names are there from the start.
struct LabelLayout {
    frame: Frame,
    taken: Vec<Box2>,
}

impl LabelLayout {
    fn new(frame: &Frame, centres: &[(f64, f64)]) -> LabelLayout {
        let taken = centres
            .iter()
            .map(|&(cx, cy)| Box2 {
                left: cx - POINT_RADIUS,
                top: cy - POINT_RADIUS,
                right: cx + POINT_RADIUS,
                bottom: cy + POINT_RADIUS,
            })
            .collect();
        LabelLayout {
            frame: *frame,
            taken,
        }
    }

    fn reserve_corners(&mut self, q: &Quadrants) {
        let names = [&q.top_left, &q.top_right, &q.bottom_left, &q.bottom_right];
        for ((x, y, anchor), name) in corner_positions(&self.frame).into_iter().zip(names) {
            // The names are bold: about a tenth wider than regular text.
            self.taken
                .push(Box2::text(x, y, anchor, text_width(name) * 1.1));
        }
    }

    /// Where the label of the point at `(cx, cy)` goes (`x`, `y`, anchor), or `None` when every
    /// spot beside it is taken.
    fn place(&mut self, cx: f64, cy: f64, width: f64) -> Option<(f64, f64, &'static str)> {
        let (spot, area) = spots(cx, cy)
            .into_iter()
            .find_map(|spot @ (x, y, anchor)| {
                let area = Box2::text(x, y, anchor, width);
                let free =
                    area.inside(&self.frame) && !self.taken.iter().any(|t| t.overlaps(&area));
                free.then_some((spot, area))
            })?;
        self.taken.push(area);
        Some(spot)
    }
}

fn corner(x: f64, y: f64, anchor: &'static str, name: &str) -> super::Element {
    label(x, y, anchor, name.to_string())
        .class("quadrant-name")
        .attr("font-weight", "600")
        .attr("opacity", "0.6")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fmt::Lang;
    use crate::view::node::Element;
    use proptest::prelude::*;

    fn quadrants() -> Quadrants {
        Quadrants {
            x: 0.5,
            y: 0.5,
            top_left: "问题".into(),
            top_right: "明星".into(),
            bottom_left: "瘦狗".into(),
            bottom_right: "金牛".into(),
        }
    }

    fn options() -> ChartOptions {
        ChartOptions::new(Lang::Zh, "BCG")
            .labels("share", "growth")
            .size(960.0, 380.0)
    }

    fn point(name: &str, x: f64, y: f64) -> ScatterPoint {
        ScatterPoint {
            name: name.into(),
            x,
            y,
            group: 0,
            show_label: true,
            testid: None,
        }
    }

    fn number(e: &Element, name: &str) -> f64 {
        e.get_attr(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} of {e:?}"))
    }

    /// The box of a drawn `<text>`, from its attributes; `scale` widens it (bold text).
    fn text_box(e: &Element, scale: f64) -> Box2 {
        let anchor = e.get_attr("text-anchor").unwrap_or("start");
        Box2::text(
            number(e, "x"),
            number(e, "y"),
            anchor,
            text_width(&e.text_content()) * scale,
        )
    }

    /// Overlap with a margin of `padding` (0: the boxes share some area).
    fn overlap(a: &Box2, b: &Box2, padding: f64) -> bool {
        a.left < b.right + padding
            && b.left < a.right + padding
            && a.top < b.bottom + padding
            && b.top < a.bottom + padding
    }

    #[test]
    fn a_label_that_would_collide_is_left_to_the_tooltip() {
        // Five products at one spot: the first four (the larger) are named right, left, above and
        // below it; the fifth finds no free spot and is named in its tooltip only.
        let names = ["一号", "二号", "三号", "四号", "五号"];
        let points: Vec<ScatterPoint> = names.iter().map(|n| point(n, 0.3, 0.3)).collect();
        let chart = scatter(&points, &options(), Some(&quadrants()));
        let labels: Vec<String> = chart
            .find_all(|e| e.has_class("point-label"))
            .iter()
            .map(|e| e.text_content())
            .collect();
        assert_eq!(labels, names[..4]);
        let anchors: Vec<&str> = chart
            .find_all(|e| e.has_class("point-label"))
            .iter()
            .filter_map(|e| e.get_attr("text-anchor"))
            .collect();
        assert_eq!(anchors, ["start", "end", "middle", "middle"]);
        let tips: Vec<&str> = chart
            .find_all(|e| e.tag == "circle")
            .iter()
            .filter_map(|c| c.get_attr("data-tooltip"))
            .collect();
        assert!(tips[4].starts_with("五号 · "), "{tips:?}");

        // Near the right edge, a name goes left of its point rather than leave the plot.
        let edge = [
            point("靠右的商品名称", 0.96, 0.5), // the x axis ends at 1.0, 35 px further
            point("左下", 0.0, 0.0),
            point("上", 0.5, 1.0),
        ];
        let chart = scatter(&edge, &options(), None);
        let label = chart.find_all(|e| e.has_class("point-label"))[0];
        assert_eq!(label.text_content(), "靠右的商品名称");
        assert_eq!(label.get_attr("text-anchor"), Some("end"));
    }

    proptest! {
        /// Against a naive reference: every drawn label is inside the plot and overlaps no other
        /// label, point or corner name; and a label left out had no free spot given the ones
        /// before it.
        #[test]
        fn labels_never_overlap_and_are_only_dropped_when_blocked(
            products in proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0, 1usize..12), 1..40),
        ) {
            let points: Vec<ScatterPoint> = products
                .iter()
                .enumerate()
                .map(|(i, &(x, y, len))| point(&format!("{i}{}", "商".repeat(len)), x, y))
                .collect();
            let frame = Frame::new(&options(), options().height);
            let chart = scatter(&points, &options(), Some(&quadrants()));
            let groups = chart.find_all(|e| e.has_class("point"));
            prop_assert_eq!(groups.len(), points.len());
            let mut fixed: Vec<Box2> = chart
                .find_all(|e| e.has_class("quadrant-name"))
                .iter()
                .map(|e| text_box(e, 1.1))
                .collect();
            for g in &groups {
                let c = g.find_all(|e| e.tag == "circle")[0];
                let (cx, cy) = (number(c, "cx"), number(c, "cy"));
                fixed.push(Box2 {
                    left: cx - POINT_RADIUS,
                    top: cy - POINT_RADIUS,
                    right: cx + POINT_RADIUS,
                    bottom: cy + POINT_RADIUS,
                });
            }
            let mut placed: Vec<Box2> = Vec::new();
            for (g, p) in groups.iter().zip(&points) {
                let c = g.find_all(|e| e.tag == "circle")[0];
                let (cx, cy) = (number(c, "cx"), number(c, "cy"));
                match g.find_all(|e| e.has_class("point-label")).first() {
                    Some(label) => {
                        let b = text_box(label, 1.0);
                        // Coordinates are written with two decimals: allow for the rounding.
                        let within = b.left >= frame.plot_left() - 0.01
                            && b.right <= frame.plot_right() + 0.01
                            && b.top >= frame.plot_top() - 0.01
                            && b.bottom <= frame.plot_bottom() + 0.01;
                        prop_assert!(within, "{:?} leaves the plot", b);
                        for other in fixed.iter().chain(&placed) {
                            prop_assert!(!overlap(&b, other, 0.0), "{:?} overlaps {:?}", b, other);
                        }
                        placed.push(b);
                    }
                    None => {
                        let width = text_width(&fit_text(&p.name, 120.0));
                        for (x, y, anchor) in spots(cx, cy) {
                            let b = Box2::text(x, y, anchor, width);
                            // The point's centre is read back rounded to two decimals: a spot
                            // within that rounding of the plot's edge may rightly have been
                            // judged outside.
                            let inside = b.left >= frame.plot_left() + 0.01
                                && b.right <= frame.plot_right() - 0.01
                                && b.top >= frame.plot_top() + 0.01
                                && b.bottom <= frame.plot_bottom() - 0.01;
                            let blocked = !inside
                                || fixed
                                    .iter()
                                    .chain(&placed)
                                    .any(|o| overlap(&b, o, LABEL_PADDING + 0.02));
                            prop_assert!(blocked, "{:?} was free", b);
                        }
                    }
                }
            }
        }
    }
}
