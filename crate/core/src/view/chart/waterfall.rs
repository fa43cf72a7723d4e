//! Waterfall: a starting total, steps that add or take away, and the ending total (the GMV
//! decomposition of the promotion readout).

use super::axis::{main_y_axis, x_band_axis};
use super::bar::rect;
use super::scale::{extent, LinearScale};
use super::{empty_chart, label, num, root, tip, ChartOptions, Frame, GRID};
use crate::view::node::{svg, Node};

/// One column of a waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallStep {
    /// Label under the column.
    pub label: String,
    /// A total (drawn from 0) or a step (drawn from the running sum).
    pub total: bool,
    /// The total, or the step's change, in the chart's unit.
    pub value: f64,
    /// Secondary text in the tooltip, e.g. the step's share of the change.
    pub note: Option<String>,
    /// `data-testid` of the column.
    pub testid: Option<String>,
}

/// Colours of totals, rises and falls: series slots 0, 4 (green) and 2 (red).
const TOTAL: (&str, &str) = ("series-0", "#4e79a7");
const RISE: (&str, &str) = ("series-4", "#59a14f");
const FALL: (&str, &str) = ("series-2", "#e15759");

/// Columns left to right; a total resets the running sum to its value, a step moves it. Non-finite
/// values count as 0.
pub fn waterfall(steps: &[WaterfallStep], opts: &ChartOptions) -> Node {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    // (bottom, top) of each column in value units.
    let mut spans = Vec::with_capacity(steps.len());
    let mut running = 0.0;
    for s in steps {
        let v = finite(s.value);
        if s.total {
            running = v;
            spans.push((0.0, v));
        } else {
            spans.push((running, running + v));
            running += v;
        }
    }
    let Some((lo, hi)) = extent(spans.iter().flat_map(|&(a, b)| [a, b])) else {
        return empty_chart(opts, "waterfall-chart");
    };
    let frame = Frame::new(opts, opts.height);
    let ticks = opts.unit.ticks(lo.min(0.0), hi.max(0.0));
    let y = LinearScale::over_ticks(&ticks, (frame.plot_bottom(), frame.plot_top()));
    let n = steps.len().max(1);
    let band = frame.plot_width() / n as f64;
    let bar_width = band * 0.6;
    let labels: Vec<String> = steps.iter().map(|s| s.label.clone()).collect();

    let mut marks = svg("g").class("marks");
    for (i, (s, &(a, b))) in steps.iter().zip(&spans).enumerate() {
        let (class, colour) = if s.total {
            TOTAL
        } else if b >= a {
            RISE
        } else {
            FALL
        };
        let x = frame.plot_left() + i as f64 * band + (band - bar_width) / 2.0;
        let (top, bottom) = (y.apply(a.max(b)), y.apply(a.min(b)));
        let value = finite(s.value);
        let value_text = if s.total {
            opts.unit.format(value, opts.lang)
        } else if value >= 0.0 {
            format!("+{}", opts.unit.format(value, opts.lang))
        } else {
            opts.unit.format(value, opts.lang)
        };
        let tooltip = match &s.note {
            Some(note) => format!("{}: {value_text} · {note}", s.label),
            None => format!("{}: {value_text}", s.label),
        };
        let mut column = svg("g")
            .class("waterfall-step")
            .class(if s.total { "total" } else { "delta" })
            .attr_opt("data-testid", s.testid.clone());
        column.push(tip(
            rect(x, top, bar_width, (bottom - top).max(1.0))
                .class(class)
                .attr("fill", colour),
            tooltip,
        ));
        column.push(
            label(x + bar_width / 2.0, top - 8.0, "middle", {
                let short = opts.unit.format_short(value.abs(), opts.lang);
                match (s.total, value < 0.0) {
                    (true, _) => opts.unit.format_short(value, opts.lang),
                    (false, false) => format!("+{short}"),
                    (false, true) => format!("−{short}"),
                }
            })
            .class("value-label"),
        );
        // A dashed connector from this column's end to the next column.
        if i + 1 < steps.len() {
            let level = y.apply(b);
            marks.push(
                svg("line")
                    .class("connector")
                    .attr("x1", num(x + bar_width))
                    .attr("x2", num(x + band))
                    .attr("y1", num(level))
                    .attr("y2", num(level))
                    .attr("stroke", GRID)
                    .attr("stroke-dasharray", "3 2"),
            );
        }
        marks.push(column);
    }
    root(opts, &frame, "waterfall-chart")
        .child(main_y_axis(&frame, &y, &ticks, opts))
        .child(x_band_axis(
            &frame,
            &labels,
            |i| frame.plot_left() + (i as f64 + 0.5) * band,
            &opts.x_label,
        ))
        .child(marks)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::chart::Unit;
    use crate::view::fmt::Lang;
    use crate::view::html::to_html;

    fn step(label: &str, total: bool, value: f64) -> WaterfallStep {
        WaterfallStep {
            label: label.into(),
            total,
            value,
            note: None,
            testid: Some(format!("step-{label}")),
        }
    }

    #[test]
    fn steps_stack_on_the_running_sum() {
        let steps = [
            step("a", true, 100.0),
            step("b", false, 50.0),
            step("c", false, -30.0),
            step("d", true, 120.0),
        ];
        let opts = ChartOptions::new(Lang::En, "w")
            .unit(Unit::Number)
            .size(400.0, 200.0);
        let node = waterfall(&steps, &opts);
        let html = to_html(&node);
        assert!(html.contains("waterfall-chart"));
        // The rise is green, the fall red, totals blue; each column has a tooltip.
        let rise = node.by_testid("step-b").unwrap();
        assert!(to_html(&rise.clone().into()).contains("series-4"));
        let fall = node.by_testid("step-c").unwrap();
        assert!(to_html(&fall.clone().into()).contains("series-2"));
        assert!(html.contains("c: \u{2212}30"));
        assert_eq!(html.matches("class=\"connector\"").count(), 3);
        assert!(!html.contains("NaN"));
    }

    #[test]
    fn nothing_to_draw_is_an_empty_chart() {
        let opts = ChartOptions::new(Lang::Zh, "w");
        assert!(to_html(&waterfall(&[], &opts)).contains("empty"));
    }
}
