//! Axes: grid lines, tick labels and captions.

use super::scale::LinearScale;
use super::{fit_text, label, num, text_width, ChartOptions, Frame, Unit, GRID, INK};
use crate::view::node::{svg, Element};

/// Which side of the plot a vertical axis is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// Left, with horizontal grid lines across the plot.
    Left,
    /// Right (a secondary axis), without grid lines.
    Right,
}

/// A chart's main value axis: on the left, in the chart's unit, with its vertical caption.
pub(crate) fn main_y_axis(
    frame: &Frame,
    scale: &LinearScale,
    ticks: &[f64],
    opts: &ChartOptions,
) -> Element {
    y_axis(
        frame,
        scale,
        ticks,
        &opts.unit,
        opts,
        &opts.y_label,
        Side::Left,
    )
}

/// A vertical value axis: grid lines (left side only), tick labels and the rotated caption.
pub(crate) fn y_axis(
    frame: &Frame,
    scale: &LinearScale,
    ticks: &[f64],
    unit: &Unit,
    opts: &ChartOptions,
    caption: &str,
    side: Side,
) -> Element {
    let step = ticks.windows(2).map(|w| w[1] - w[0]).next().unwrap_or(1.0);
    let mut g = svg("g").class("axis").class(match side {
        Side::Left => "axis-y",
        Side::Right => "axis-y2",
    });
    for &tick in ticks {
        let y = scale.apply(tick);
        if side == Side::Left {
            g.push(
                line(frame.plot_left(), y, frame.plot_right(), y)
                    .class("grid")
                    .attr("stroke", GRID),
            );
        }
        let text = unit.format_tick(tick, step, opts.lang);
        g.push(match side {
            Side::Left => label(frame.plot_left() - 6.0, y, "end", text),
            Side::Right => label(frame.plot_right() + 6.0, y, "start", text),
        });
    }
    if !caption.is_empty() {
        let x = match side {
            Side::Left => 12.0,
            Side::Right => frame.width - 10.0,
        };
        let y = (frame.plot_top() + frame.plot_bottom()) / 2.0;
        g.push(
            label(x, y, "middle", fit_text(caption, frame.plot_height()))
                .class("axis-caption")
                .attr("transform", format!("rotate(-90 {} {})", num(x), num(y))),
        );
    }
    g
}

/// A horizontal category axis: the baseline and, under it, the labels at `centre(i)`, thinned so
/// that they do not overlap (every k-th label is shown, starting with the first).
pub(crate) fn x_band_axis(
    frame: &Frame,
    labels: &[String],
    centre: impl Fn(usize) -> f64,
    caption: &str,
) -> Element {
    let mut g = svg("g").class("axis").class("axis-x");
    let y = frame.plot_bottom();
    g.push(line(frame.plot_left(), y, frame.plot_right(), y).attr("stroke", INK));
    let n = labels.len();
    if n > 0 {
        let widest = labels
            .iter()
            .map(|l| text_width(l))
            .fold(0.0, f64::max)
            .min(120.0);
        let slot = frame.plot_width() / n as f64;
        let every = ((widest + 8.0) / slot.max(1.0)).ceil().max(1.0) as usize;
        for (i, text) in labels.iter().enumerate().step_by(every) {
            g.push(label(
                centre(i),
                y + 12.0,
                "middle",
                fit_text(text, slot * every as f64 - 4.0),
            ));
        }
    }
    if !caption.is_empty() {
        g.push(x_caption(frame, caption));
    }
    g
}

/// A horizontal value axis (scatter): vertical grid lines, tick labels and the caption.
pub(crate) fn x_value_axis(
    frame: &Frame,
    scale: &LinearScale,
    ticks: &[f64],
    unit: &Unit,
    opts: &ChartOptions,
    caption: &str,
) -> Element {
    let step = ticks.windows(2).map(|w| w[1] - w[0]).next().unwrap_or(1.0);
    let mut g = svg("g").class("axis").class("axis-x");
    for &tick in ticks {
        let x = scale.apply(tick);
        g.push(
            line(x, frame.plot_top(), x, frame.plot_bottom())
                .class("grid")
                .attr("stroke", GRID),
        );
        g.push(label(
            x,
            frame.plot_bottom() + 12.0,
            "middle",
            unit.format_tick(tick, step, opts.lang),
        ));
    }
    if !caption.is_empty() {
        g.push(x_caption(frame, caption));
    }
    g
}

fn x_caption(frame: &Frame, caption: &str) -> Element {
    label(
        (frame.plot_left() + frame.plot_right()) / 2.0,
        frame.height - 10.0,
        "middle",
        fit_text(caption, frame.plot_width()),
    )
    .class("axis-caption")
}

/// A `<line>` from `(x1, y1)` to `(x2, y2)`.
pub(crate) fn line(x1: f64, y1: f64, x2: f64, y2: f64) -> Element {
    svg("line")
        .attr("x1", num(x1))
        .attr("y1", num(y1))
        .attr("x2", num(x2))
        .attr("y2", num(y2))
}
