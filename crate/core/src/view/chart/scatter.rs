//! Scatter plot with optional quadrant lines (the BCG matrix).

use super::axis::{line, x_value_axis, y_axis, Side};
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
    /// Whether the name is written beside the point (keep it to a few points).
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
        .child(y_axis(
            &frame,
            &y,
            &y_ticks,
            &opts.unit,
            opts,
            &opts.y_label,
            Side::Left,
        ))
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
        let (l, r, t, b) = (
            frame.plot_left() + 6.0,
            frame.plot_right() - 6.0,
            frame.plot_top() + 10.0,
            frame.plot_bottom() - 10.0,
        );
        chart = chart.child(
            svg("g")
                .class("quadrants")
                .child(dashed(line(qx, frame.plot_top(), qx, frame.plot_bottom())))
                .child(dashed(line(frame.plot_left(), qy, frame.plot_right(), qy)))
                .child(corner(l, t, "start", &q.top_left))
                .child(corner(r, t, "end", &q.top_right))
                .child(corner(l, b, "start", &q.bottom_left))
                .child(corner(r, b, "end", &q.bottom_right)),
        );
    }

    let mut marks = svg("g").class("marks");
    for p in shown {
        let (class, colour) = series_style(p.group);
        let (cx, cy) = (x.apply(p.x), y.apply(p.y));
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
            // Right of the point, or left of it when the name would leave the plot.
            let point_label = if cx + 7.0 + text_width(&name) > frame.plot_right() {
                label(cx - 7.0, cy, "end", name)
            } else {
                label(cx + 7.0, cy, "start", name)
            };
            g.push(point_label.class("point-label"));
        }
        marks.push(g);
    }
    chart.child(marks).into()
}

fn corner(x: f64, y: f64, anchor: &'static str, name: &str) -> super::Element {
    label(x, y, anchor, name.to_string())
        .class("quadrant-name")
        .attr("font-weight", "600")
        .attr("opacity", "0.6")
}
