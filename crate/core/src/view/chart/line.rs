//! Line chart: one or more series over categories (periods).

use super::axis::{x_band_axis, y_axis, Side};
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
        // Path commands: a new `M` after every gap, so missing periods are not bridged.
        let mut d = String::new();
        let mut pen_down = false;
        let mut points = svg("g")
            .class("points")
            .class(class.clone())
            .attr("fill", colour);
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = finite(v) else {
                pen_down = false;
                continue;
            };
            let (px, py) = (num(x(i)), num(y.apply(v)));
            d.push_str(if pen_down { " L" } else { " M" });
            d.push_str(&format!("{px} {py}"));
            pen_down = true;
            let tooltip = format!(
                "{} · {}: {}",
                labels[i],
                s.name,
                opts.unit.format(v, opts.lang)
            );
            points.push(tip(
                svg("circle")
                    .attr("cx", px)
                    .attr("cy", py)
                    .attr("r", radius),
                tooltip,
            ));
        }
        marks.push(
            svg("path")
                .class("line")
                .class(class)
                .attr("d", d.trim_start().to_string())
                .attr("fill", "none")
                .attr("stroke", colour)
                .attr("stroke-width", "2")
                .attr("stroke-linejoin", "round"),
        );
        marks.push(points);
    }

    root(opts, &frame, "line-chart")
        .child(y_axis(
            &frame,
            &y,
            &ticks,
            &opts.unit,
            opts,
            &opts.y_label,
            Side::Left,
        ))
        .child(x_band_axis(&frame, &labels, x, &opts.x_label))
        .child_opt(legend)
        .child(marks)
        .into()
}
