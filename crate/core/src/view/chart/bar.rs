//! Bar charts: vertical grouped bars, horizontal bars (funnels) and histograms.

use super::axis::{main_y_axis, x_band_axis};
use super::scale::{extent, LinearScale};
use super::{
    empty_chart, fit_text, label, num, root, series_layout, series_style, text_width, tip,
    ChartOptions, Frame, Series, SeriesLayout,
};
use crate::view::node::{svg, Element, Node};

/// Vertical bars, one group per x label with one bar per series (`None` = no bar). Bars grow from
/// 0, so negative values point down. When there are few bars, their values are written on them.
pub fn bar_chart(series: &[Series], x_labels: &[String], opts: &ChartOptions) -> Node {
    vertical_bars(series, x_labels, opts, 0.2, "bar-chart")
}

/// One bin of a histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct HistBin {
    /// What the bin covers, e.g. `1–10 min`.
    pub label: String,
    /// How many fall in it.
    pub count: f64,
}

/// A histogram: adjacent bars, one per bin, in the given order.
pub fn histogram(bins: &[HistBin], opts: &ChartOptions) -> Node {
    let labels: Vec<String> = bins.iter().map(|b| b.label.clone()).collect();
    let series = [Series::new(
        opts.y_label.clone(),
        bins.iter().map(|b| Some(b.count)).collect(),
    )];
    vertical_bars(&series, &labels, opts, 0.02, "histogram")
}

/// Bars in bands of `plot width / n`; `padding` is the share of each band left empty.
fn vertical_bars(
    series: &[Series],
    x_labels: &[String],
    opts: &ChartOptions,
    padding: f64,
    kind: &'static str,
) -> Node {
    let Some(SeriesLayout {
        n,
        labels,
        frame,
        legend,
        ticks,
        y,
    }) = series_layout(series, x_labels, opts)
    else {
        return empty_chart(opts, kind);
    };
    let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let zero = y.apply(0.0);
    let band = frame.plot_width() / n.max(1) as f64;
    let bar_width = band * (1.0 - padding) / series.len().max(1) as f64;
    let show_values = n * series.len() <= 16;

    let mut marks = svg("g").class("marks");
    for (si, s) in series.iter().enumerate() {
        let (class, colour) = series_style(si);
        let mut g = svg("g").class("bars").class(class).attr("fill", colour);
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = finite(v) else { continue };
            let x =
                frame.plot_left() + i as f64 * band + band * padding / 2.0 + si as f64 * bar_width;
            let top = y.apply(v).min(zero);
            let height = (y.apply(v) - zero).abs();
            let value_text = opts.unit.format(v, opts.lang);
            let name = if s.name.is_empty() {
                String::new()
            } else {
                format!("{}: ", s.name)
            };
            g.push(tip(
                rect(x, top, (bar_width - 1.0).max(0.5), height),
                format!("{} · {name}{value_text}", labels[i]),
            ));
            if show_values {
                let ty = if v < 0.0 {
                    top + height + 8.0
                } else {
                    top - 8.0
                };
                g.push(
                    label(
                        x + bar_width / 2.0,
                        ty,
                        "middle",
                        opts.unit.format_short(v, opts.lang),
                    )
                    .class("value-label"),
                );
            }
        }
        marks.push(g);
    }

    root(opts, &frame, kind)
        .child(main_y_axis(&frame, &y, &ticks, opts))
        .child(x_band_axis(
            &frame,
            &labels,
            |i| frame.plot_left() + (i as f64 + 0.5) * band,
            &opts.x_label,
        ))
        .child_opt(legend)
        .child(marks)
        .into()
}

/// One horizontal bar (a funnel step).
#[derive(Clone, Debug, PartialEq)]
pub struct HBar {
    /// Row label on the left, e.g. the step name.
    pub label: String,
    /// Bar length, in the chart's unit.
    pub value: f64,
    /// Secondary text after the value, e.g. `转化 45.0% · 流失 1,234`.
    pub note: Option<String>,
    /// `data-testid` of the bar's group.
    pub testid: Option<String>,
}

/// Height of one horizontal bar row, px.
const HBAR_ROW: f64 = 36.0;

/// Horizontal bars from 0, one row each, labelled on the left, with the value and note after the
/// bar. The chart is as tall as its rows; `opts.height` is not used.
pub fn hbar_chart(bars: &[HBar], opts: &ChartOptions) -> Node {
    let Some((lo, hi)) = extent(bars.iter().map(|b| b.value)) else {
        return empty_chart(opts, "hbar-chart");
    };
    let base = Frame::new(opts, 0.0);
    let widest_label = bars
        .iter()
        .map(|b| text_width(&b.label))
        .fold(0.0, f64::max);
    let left = (widest_label + 16.0).clamp(48.0, base.width * 0.3);
    let frame = Frame {
        left,
        top: 8.0,
        bottom: 8.0,
        height: 16.0 + bars.len() as f64 * HBAR_ROW,
        ..base
    };
    // The bars use 65 % of the width; the rest is for the value and note.
    let bar_end = frame.plot_left() + frame.plot_width() * 0.65;
    let x = LinearScale::new((lo.min(0.0), hi.max(0.0)), (frame.plot_left(), bar_end));
    let zero = x.apply(0.0);

    let mut marks = svg("g").class("marks");
    for (i, bar) in bars.iter().enumerate() {
        let (class, colour) = series_style(0);
        let row_top = frame.plot_top() + i as f64 * HBAR_ROW;
        let centre = row_top + HBAR_ROW / 2.0;
        let value = if bar.value.is_finite() {
            bar.value
        } else {
            0.0
        };
        let (x0, x1) = (zero.min(x.apply(value)), zero.max(x.apply(value)));
        let value_text = opts.unit.format(value, opts.lang);
        let tooltip = match &bar.note {
            Some(note) => format!("{}: {value_text} · {note}", bar.label),
            None => format!("{}: {value_text}", bar.label),
        };
        let mut row = svg("g")
            .class("hbar")
            .attr_opt("data-testid", bar.testid.clone());
        row.push(label(
            frame.plot_left() - 8.0,
            centre,
            "end",
            fit_text(&bar.label, left - 12.0),
        ));
        row.push(tip(
            rect(x0, row_top + 6.0, (x1 - x0).max(0.5), HBAR_ROW - 12.0)
                .class(class)
                .attr("fill", colour),
            tooltip,
        ));
        let value_label = label(x1 + 6.0, centre, "start", value_text.clone())
            .class("value-label")
            .attr("font-weight", "600");
        row.push(value_label);
        if let Some(note) = &bar.note {
            // The value label is bold: wider than `text_width`'s estimate of regular text.
            let note_x = x1 + 14.0 + text_width(&value_text) * 1.15;
            row.push(
                label(
                    note_x,
                    centre,
                    "start",
                    fit_text(note, frame.plot_right() - note_x),
                )
                .class("note"),
            );
        }
        marks.push(row);
    }
    root(opts, &frame, "hbar-chart").child(marks).into()
}

/// A `<rect>`.
pub(crate) fn rect(x: f64, y: f64, width: f64, height: f64) -> Element {
    svg("rect")
        .attr("x", num(x))
        .attr("y", num(y))
        .attr("width", num(width.max(0.0)))
        .attr("height", num(height.max(0.0)))
}
