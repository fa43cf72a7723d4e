//! Pareto chart: values in descending order as bars, their cumulative share as a line on a
//! 0–100 % axis, and guides at 80 % and 95 % (the ABC class limits, DEFINITIONS §6).

use super::axis::{line, main_y_axis, x_band_axis, y_axis, Side};
use super::bar::rect;
use super::scale::{extent, LinearScale};
use super::{
    empty_chart, label, legend, num, root, series_style, tip, ChartOptions, Frame, Unit, INK,
};
use crate::view::i18n::t;
use crate::view::node::{svg, Node};

/// One ranked item.
#[derive(Clone, Debug, PartialEq)]
pub struct ParetoItem {
    /// Item name (product title or key).
    pub label: String,
    /// Its value, in the chart's unit (revenue in cents).
    pub value: f64,
    /// Cumulative share of the items ranked up to and including this one, 0–1.
    pub cumulative_share: f64,
}

/// Above this many items, bars are too thin to read or hover: only the cumulative line is drawn.
const MAX_BARS: usize = 150;
/// Above this many items, the cumulative line is drawn through evenly spaced items only.
const MAX_LINE_POINTS: usize = 300;

/// The ABC guides: cumulative shares where class A and class B end.
const GUIDES: [(f64, &str); 2] = [(0.80, "80%"), (0.95, "95%")];

/// Bars of `items` (already ranked, largest first) with the cumulative share line.
pub fn pareto(items: &[ParetoItem], opts: &ChartOptions) -> Node {
    let Some((lo, hi)) = extent(items.iter().map(|i| i.value)) else {
        return empty_chart(opts, "pareto");
    };
    let n = items.len();
    let mut frame = Frame::new(opts, opts.height);
    frame.right = 44.0;
    let names = [
        opts.y_label.as_str(),
        t(opts.lang, "product.cumulative_share"),
    ];
    let (legend, legend_bottom) = legend(&names, &frame);
    frame.top = frame.top.max(legend_bottom + 6.0);

    let ticks = opts.unit.ticks(lo.min(0.0), hi.max(0.0));
    let y = LinearScale::over_ticks(&ticks, (frame.plot_bottom(), frame.plot_top()));
    let share_ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    let y_share = LinearScale::new((0.0, 1.0), (frame.plot_bottom(), frame.plot_top()));
    let band = frame.plot_width() / n as f64;
    let centre = |i: usize| frame.plot_left() + (i as f64 + 0.5) * band;
    let share_of = |item: &ParetoItem| {
        if item.cumulative_share.is_finite() {
            item.cumulative_share.clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let describe = |i: usize, item: &ParetoItem| {
        format!(
            "#{} {}: {} · {}",
            i + 1,
            item.label,
            opts.unit.format(item.value, opts.lang),
            Unit::Ratio.format(share_of(item), opts.lang)
        )
    };

    let mut chart = root(opts, &frame, "pareto")
        .child(main_y_axis(&frame, &y, &ticks, opts))
        .child(y_axis(
            &frame,
            &y_share,
            &share_ticks,
            &Unit::Ratio,
            opts,
            "",
            Side::Right,
        ));
    let labels: Vec<String> = if n <= 12 {
        items.iter().map(|i| i.label.clone()).collect()
    } else {
        (1..=n).map(|rank| rank.to_string()).collect()
    };
    chart = chart
        .child(x_band_axis(&frame, &labels, centre, &opts.x_label))
        .child(legend);

    let mut guides = svg("g").class("guides");
    for (share, text) in GUIDES {
        let gy = y_share.apply(share);
        guides.push(
            line(frame.plot_left(), gy, frame.plot_right(), gy)
                .class("guide")
                .attr("stroke", INK)
                .attr("stroke-dasharray", "4 3"),
        );
        guides.push(label(frame.plot_left() + 4.0, gy - 7.0, "start", text).class("guide-label"));
    }

    let mut marks = svg("g").class("marks");
    if n <= MAX_BARS {
        let (class, colour) = series_style(0);
        let zero = y.apply(0.0);
        let mut bars = svg("g").class("bars").class(class).attr("fill", colour);
        for (i, item) in items.iter().enumerate() {
            let v = if item.value.is_finite() {
                item.value
            } else {
                0.0
            };
            let x = frame.plot_left() + i as f64 * band + band * 0.1;
            bars.push(tip(
                rect(
                    x,
                    y.apply(v).min(zero),
                    (band * 0.8).max(0.5),
                    (y.apply(v) - zero).abs(),
                ),
                describe(i, item),
            ));
        }
        marks.push(bars);
    }
    let (class, colour) = series_style(1);
    let step = n.div_ceil(MAX_LINE_POINTS).max(1);
    let mut sampled: Vec<usize> = (0..n).step_by(step).collect();
    if sampled.last() != Some(&(n - 1)) {
        sampled.push(n - 1);
    }
    let d: Vec<String> = sampled
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let cmd = if k == 0 { "M" } else { "L" };
            format!(
                "{cmd}{} {}",
                num(centre(i)),
                num(y_share.apply(share_of(&items[i])))
            )
        })
        .collect();
    let mut points = svg("g")
        .class("points")
        .class(class.clone())
        .attr("fill", colour);
    for &i in &sampled {
        points.push(tip(
            svg("circle")
                .attr("cx", num(centre(i)))
                .attr("cy", num(y_share.apply(share_of(&items[i]))))
                .attr("r", if n > 60 { "1.5" } else { "3" }),
            describe(i, &items[i]),
        ));
    }
    marks.push(
        svg("path")
            .class("line")
            .class(class)
            .attr("d", d.join(" "))
            .attr("fill", "none")
            .attr("stroke", colour)
            .attr("stroke-width", "2"),
    );
    marks.push(points);
    // Guides on top of the bars, so their labels stay readable.
    chart.child(marks).child(guides).into()
}
