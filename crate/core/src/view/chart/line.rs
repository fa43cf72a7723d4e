//! Line chart: one or more series over categories (periods).

use super::axis::{main_y_axis, x_band_axis};
use super::{
    empty_chart, num, root, series_layout, series_style, tip, ChartOptions, Series, SeriesLayout,
};
use crate::view::node::{svg, Node};

/// A line per series over `x_labels` (one value per label, `None` = gap). The value axis always
/// includes 0; a legend is drawn when there is more than one series. Each point has a tooltip
/// `label · series: value`.
pub fn line_chart(series: &[Series], x_labels: &[String], opts: &ChartOptions) -> Node {
    let Some(SeriesLayout {
        n,
        labels,
        frame,
        legend,
        ticks,
        y,
    }) = series_layout(series, x_labels, opts)
    else {
        return empty_chart(opts, "line-chart");
    };
    let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let slot = frame.plot_width() / n.max(1) as f64;
    let x = |i: usize| frame.plot_left() + (i as f64 + 0.5) * slot;
    let radius = if n > 60 { "2" } else { "3" };

    let mut marks = svg("g").class("marks");
    for (si, s) in series.iter().enumerate() {
        let (class, colour) = series_style(si);
        // Path commands: a new `M` after every gap, so missing periods are not bridged. Segments
        // into or out of a partial period go to a dashed path of their own.
        let (mut d, mut dashed) = (String::new(), String::new());
        let mut previous: Option<(String, String, bool)> = None;
        let mut solid_at_previous = false;
        let mut points = svg("g")
            .class("points")
            .class(class.clone())
            .attr("fill", colour);
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = finite(v) else {
                previous = None;
                continue;
            };
            let (px, py) = (num(x(i)), num(y.apply(v)));
            let note = opts.partial.get(i).and_then(Option::as_deref);
            match &previous {
                Some((qx, qy, was_partial)) if *was_partial || note.is_some() => {
                    dashed.push_str(&format!(" M{qx} {qy} L{px} {py}"));
                    solid_at_previous = false;
                }
                Some((qx, qy, _)) => {
                    if !solid_at_previous {
                        d.push_str(&format!(" M{qx} {qy}"));
                    }
                    d.push_str(&format!(" L{px} {py}"));
                    solid_at_previous = true;
                }
                // The first point after a gap: the solid path starts here.
                None => {
                    d.push_str(&format!(" M{px} {py}"));
                    solid_at_previous = true;
                }
            }
            let mut tooltip = format!(
                "{} · {}: {}",
                labels[i],
                s.name,
                opts.unit.format(v, opts.lang)
            );
            let mut circle = svg("circle")
                .attr("cx", px.clone())
                .attr("cy", py.clone())
                .attr("r", radius);
            if let Some(note) = note {
                tooltip.push_str(&format!(" ({note})"));
                circle = circle
                    .class("partial")
                    .attr("fill", "#fff")
                    .attr("stroke", colour)
                    .attr("stroke-width", "1.5");
            }
            points.push(tip(circle, tooltip));
            previous = Some((px, py, note.is_some()));
        }
        // A lone point (no segment) still shows as its circle.
        marks.push(
            svg("path")
                .class("line")
                .class(class.clone())
                .attr("d", d.trim_start().to_string())
                .attr("fill", "none")
                .attr("stroke", colour)
                .attr("stroke-width", "2")
                .attr("stroke-linejoin", "round"),
        );
        if !dashed.is_empty() {
            marks.push(
                svg("path")
                    .class("line")
                    .class("partial")
                    .class(class)
                    .attr("d", dashed.trim_start().to_string())
                    .attr("fill", "none")
                    .attr("stroke", colour)
                    .attr("stroke-width", "2")
                    .attr("stroke-dasharray", "5 4"),
            );
        }
        marks.push(points);
    }

    root(opts, &frame, "line-chart")
        .child(main_y_axis(&frame, &y, &ticks, opts))
        .child(x_band_axis(&frame, &labels, x, &opts.x_label))
        .child_opt(legend)
        .child(marks)
        .into()
}
