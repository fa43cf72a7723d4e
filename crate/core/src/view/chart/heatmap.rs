//! Heatmap: rows × columns of optional values (the cohort triangle).

use super::bar::rect;
use super::scale::extent;
use super::{empty_chart, fit_text, label, num, root, text_width, tip, ChartOptions, Frame};
use crate::view::node::{svg, Node};

/// One heatmap row.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatRow {
    /// Row label on the left, e.g. `2024-03 (120)`.
    pub label: String,
    /// One value per column; `None` draws no cell (a period not yet reached).
    pub cells: Vec<Option<f64>>,
}

/// Height of one heatmap row, px.
const ROW_HEIGHT: f64 = 26.0;
/// Colour of the smallest value (light blue) and of the largest (deep blue), as RGB.
const LOW: [f64; 3] = [234.0, 241.0, 251.0];
const HIGH: [f64; 3] = [31.0, 78.0, 140.0];

/// A grid of cells coloured from light (smallest value) to dark (largest), each labelled with its
/// value where it fits and carrying a tooltip `row · column: value`. Cells of `None` are left out,
/// so a cohort triangle stays a triangle. With `testid_prefix`, cell (r, c) gets
/// `data-testid="{prefix}-{r}-{c}"`. The chart is as tall as its rows; `opts.height` is not used.
pub fn heatmap(
    rows: &[HeatRow],
    col_labels: &[String],
    opts: &ChartOptions,
    testid_prefix: Option<&str>,
) -> Node {
    let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let Some((lo, hi)) = extent(rows.iter().flat_map(|r| r.cells.iter().filter_map(finite))) else {
        return empty_chart(opts, "heatmap");
    };
    let cols = rows
        .iter()
        .map(|r| r.cells.len())
        .chain([col_labels.len()])
        .max()
        .unwrap_or(0)
        .max(1);
    let base = Frame::new(opts, 0.0);
    let widest = rows
        .iter()
        .map(|r| text_width(&r.label))
        .fold(0.0, f64::max);
    let left = (widest + 14.0).clamp(48.0, base.width * 0.35);
    let bottom = if opts.x_label.is_empty() { 8.0 } else { 30.0 };
    let frame = super::Frame {
        left,
        top: 26.0,
        bottom,
        height: 26.0 + rows.len() as f64 * ROW_HEIGHT + bottom,
        ..base
    };
    let cell_width = frame.plot_width() / cols as f64;

    // Column labels along the top, thinned so they do not overlap.
    let mut header = svg("g").class("axis").class("axis-x");
    let widest_col = col_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let every = ((widest_col + 6.0) / cell_width.max(1.0)).ceil().max(1.0) as usize;
    for (c, text) in col_labels.iter().enumerate().step_by(every) {
        let x = frame.plot_left() + (c as f64 + 0.5) * cell_width;
        header.push(label(x, frame.plot_top() - 10.0, "middle", text.clone()));
    }
    if !opts.x_label.is_empty() {
        let x = (frame.plot_left() + frame.plot_right()) / 2.0;
        header.push(
            label(
                x,
                frame.height - 10.0,
                "middle",
                fit_text(&opts.x_label, frame.plot_width()),
            )
            .class("axis-caption"),
        );
    }

    let mut cells = svg("g").class("marks");
    for (r, row) in rows.iter().enumerate() {
        let y = frame.plot_top() + r as f64 * ROW_HEIGHT;
        cells.push(label(
            frame.plot_left() - 8.0,
            y + ROW_HEIGHT / 2.0,
            "end",
            fit_text(&row.label, left - 10.0),
        ));
        for (c, value) in row.cells.iter().enumerate() {
            let Some(v) = finite(value) else { continue };
            let x = frame.plot_left() + c as f64 * cell_width;
            let level = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let value_text = opts.unit.format(v, opts.lang);
            let col = col_labels.get(c).map_or("", String::as_str);
            let mut cell = svg("g").class("heat-cell");
            if let Some(prefix) = testid_prefix {
                cell = cell.attr("data-testid", format!("{prefix}-{r}-{c}"));
            }
            cell.push(tip(
                rect(x + 0.5, y + 0.5, cell_width - 1.0, ROW_HEIGHT - 1.0)
                    .attr("fill", blend(level))
                    .attr("data-level", num((level * 10.0).floor())),
                format!("{} · {col}: {value_text}", row.label),
            ));
            if text_width(&value_text) * 0.9 + 4.0 <= cell_width {
                let ink = if level > 0.5 { "#ffffff" } else { "#1f2933" };
                cell.push(
                    label(
                        x + cell_width / 2.0,
                        y + ROW_HEIGHT / 2.0,
                        "middle",
                        value_text,
                    )
                    .attr("fill", ink)
                    .attr("font-size", "10"),
                );
            }
            cells.push(cell);
        }
    }
    root(opts, &frame, "heatmap")
        .child(header)
        .child(cells)
        .into()
}

/// `#rrggbb` between [`LOW`] (level 0) and [`HIGH`] (level 1).
fn blend(level: f64) -> String {
    let t = if level.is_finite() {
        level.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let [r, g, b] = [0, 1, 2].map(|i| (LOW[i] + (HIGH[i] - LOW[i]) * t).round() as u8);
    format!("#{r:02x}{g:02x}{b:02x}")
}
