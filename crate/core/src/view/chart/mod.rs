//! SVG chart primitives producing [`Node`] trees.
//!
//! Every chart is an `<svg class="chart" viewBox="0 0 W H" width="100%" role="img" aria-label=…>`:
//! it scales to its container's width (height follows the aspect ratio). Marks carry a `<title>`
//! child (the browser's own tooltip, which also works in the static HTML report) and a
//! `data-tooltip` attribute the page's script uses for a nicer one. Series colours are classes
//! (`series-0` … `series-7`) that the page's CSS themes, with inline `fill`/`stroke` fallbacks so an
//! exported standalone SVG keeps its colours.
//!
//! Coordinates are written with at most two decimals and never as NaN or ∞: non-finite data values
//! are treated as missing.

mod axis;
mod bar;
mod heatmap;
mod line;
mod pareto;
mod scale;
mod scatter;
#[cfg(test)]
mod tests;

pub use bar::{bar_chart, hbar_chart, histogram, HBar, HistBin};
pub use heatmap::{heatmap, HeatRow};
pub use line::line_chart;
pub use pareto::{pareto, ParetoItem};
pub use scale::{extent, nice_ticks, tick_decimals, LinearScale};
pub use scatter::{scatter, Quadrants, ScatterPoint};

use super::fmt::{self, Lang};
use super::i18n::t;
use super::node::{svg, Element, Node};

/// Fallback series colours (Tableau 10), used inline; the page's CSS overrides them per class.
pub const PALETTE: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f",
];
/// Axis, tick and label ink.
pub(crate) const INK: &str = "#5f6b7a";
/// Grid lines.
pub(crate) const GRID: &str = "#e3e7ee";

/// What a chart's values measure, which decides how ticks and tooltips are written.
#[derive(Clone, Debug, PartialEq)]
pub enum Unit {
    /// Whole counts: `1,234`, ticks `12.3万` / `12.3K`.
    Count,
    /// Plain numbers.
    Number,
    /// Money in cents, in the given currency code: `¥1,299.00`, ticks `¥12.3万`.
    Money(String),
    /// A fraction shown as a percentage: 0.123 → `12.3%`.
    Ratio,
    /// Seconds: `3 h 20 min`.
    Seconds,
}

impl Unit {
    /// Full text of a value, for tooltips and mark labels.
    pub fn format(&self, v: f64, lang: Lang) -> String {
        if !v.is_finite() {
            return fmt::DASH.to_string();
        }
        match self {
            Unit::Count => fmt::decimal(v, if v.fract() == 0.0 { 0 } else { 1 }),
            Unit::Number => fmt::decimal(v, if v.fract() == 0.0 { 0 } else { 2 }),
            Unit::Money(currency) => fmt::money_f(Some(v), currency, lang),
            Unit::Ratio => fmt::percent(Some(v), lang),
            Unit::Seconds => fmt::duration(clamp_i64(v), lang),
        }
    }

    /// Text written on a mark (a bar's value): like [`Unit::format`], with money compact.
    pub fn format_short(&self, v: f64, lang: Lang) -> String {
        match self {
            Unit::Money(currency) if v.is_finite() => fmt::money_tick(clamp_i64(v), currency, lang),
            _ => self.format(v, lang),
        }
    }

    /// Ticks for a value axis over `[lo, hi]`: [`nice_ticks`], except that counts never get
    /// fractional ticks (0, 1, 2, 3 rather than 0, 0.5 … 3).
    pub fn ticks(&self, lo: f64, hi: f64) -> Vec<f64> {
        let ticks = nice_ticks(lo, hi, 5);
        let step = ticks.get(1).zip(ticks.first()).map_or(1.0, |(b, a)| b - a);
        if *self == Unit::Count && step < 1.0 {
            let (first, last) = (ticks[0].floor(), ticks[ticks.len() - 1].ceil());
            let whole: Vec<f64> = (0..=(last - first) as usize)
                .map(|i| first + i as f64)
                .collect();
            if whole.len() >= 2 {
                return whole;
            }
        }
        ticks
    }

    /// Short text of a tick value on an axis whose ticks are `step` apart.
    pub fn format_tick(&self, v: f64, step: f64, lang: Lang) -> String {
        if !v.is_finite() {
            return fmt::DASH.to_string();
        }
        match self {
            Unit::Count | Unit::Number => {
                if v.abs() >= 1000.0 {
                    fmt::number_compact(v, lang)
                } else {
                    fmt::decimal(v, tick_decimals(step))
                }
            }
            Unit::Money(currency) => fmt::money_tick(clamp_i64(v), currency, lang),
            Unit::Ratio => format!("{}%", fmt::decimal(v * 100.0, tick_decimals(step * 100.0))),
            Unit::Seconds => fmt::duration(clamp_i64(v), lang),
        }
    }
}

fn clamp_i64(v: f64) -> i64 {
    // `as` saturates; rounding first keeps ¥0.005 from showing as ¥0.00 by truncation.
    v.round() as i64
}

/// One named series of a line or bar chart; `None` is a gap (no data for that x).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<Option<f64>>) -> Series {
        Series {
            name: name.into(),
            values,
        }
    }
}

/// Options shared by all charts.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartOptions {
    pub lang: Lang,
    /// Accessible name (`aria-label`) and export file name.
    pub title: String,
    /// Caption under the horizontal axis (empty for none).
    pub x_label: String,
    /// Caption beside the vertical axis (empty for none).
    pub y_label: String,
    /// Unit of the measured values (the vertical axis, or the bar length of `hbar_chart`).
    pub unit: Unit,
    /// Unit of the horizontal axis where it is numeric (scatter).
    pub x_unit: Unit,
    /// viewBox width, px at 100 % zoom.
    pub width: f64,
    /// viewBox height, px; charts whose height follows their rows (hbar, heatmap) ignore it.
    pub height: f64,
    /// `id` of the `<svg>`, the `data-target` of its export buttons.
    pub id: Option<String>,
    /// Per x label, a note for a period the data covers only in part (`3 of 7 days`): line charts
    /// draw the lines into it dashed and its points hollow, with the note in the tooltip. Empty:
    /// every period is whole.
    pub partial: Vec<Option<String>>,
}

impl ChartOptions {
    pub fn new(lang: Lang, title: impl Into<String>) -> ChartOptions {
        ChartOptions {
            lang,
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            unit: Unit::Number,
            x_unit: Unit::Number,
            width: 960.0,
            height: 300.0,
            id: None,
            partial: Vec::new(),
        }
    }
    pub fn partial(self, partial: Vec<Option<String>>) -> ChartOptions {
        ChartOptions { partial, ..self }
    }
    pub fn unit(self, unit: Unit) -> ChartOptions {
        ChartOptions { unit, ..self }
    }
    pub fn x_unit(self, x_unit: Unit) -> ChartOptions {
        ChartOptions { x_unit, ..self }
    }
    pub fn labels(self, x_label: impl Into<String>, y_label: impl Into<String>) -> ChartOptions {
        ChartOptions {
            x_label: x_label.into(),
            y_label: y_label.into(),
            ..self
        }
    }
    pub fn size(self, width: f64, height: f64) -> ChartOptions {
        ChartOptions {
            width,
            height,
            ..self
        }
    }
    pub fn id(self, id: impl Into<String>) -> ChartOptions {
        ChartOptions {
            id: Some(id.into()),
            ..self
        }
    }
}

/// The drawing area: the whole viewBox and the plot rectangle inside its margins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// A frame of `opts`' size with margins for a y axis on the left, a legend on top and x labels.
    pub fn new(opts: &ChartOptions, height: f64) -> Frame {
        let width = sane_size(opts.width, 960.0).max(200.0);
        Frame {
            width,
            height: sane_size(height, 300.0).max(120.0),
            left: if opts.y_label.is_empty() { 56.0 } else { 72.0 },
            right: 16.0,
            top: 30.0,
            bottom: if opts.x_label.is_empty() { 30.0 } else { 48.0 },
        }
    }
    pub fn plot_left(&self) -> f64 {
        self.left
    }
    pub fn plot_right(&self) -> f64 {
        (self.width - self.right).max(self.left + 1.0)
    }
    pub fn plot_top(&self) -> f64 {
        self.top
    }
    pub fn plot_bottom(&self) -> f64 {
        (self.height - self.bottom).max(self.top + 1.0)
    }
    pub fn plot_width(&self) -> f64 {
        self.plot_right() - self.plot_left()
    }
    pub fn plot_height(&self) -> f64 {
        self.plot_bottom() - self.plot_top()
    }
}

fn sane_size(v: f64, default: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v.min(10_000.0)
    } else {
        default
    }
}

/// A coordinate or length as attribute text: two decimals at most, `0` for non-finite input.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let rounded = (x * 100.0).round() / 100.0 + 0.0; // `+ 0.0` turns −0 into 0
    if rounded.is_finite() {
        rounded.to_string()
    } else {
        "0".to_string()
    }
}

/// The `<svg>` root of a chart.
pub(crate) fn root(opts: &ChartOptions, frame: &Frame, kind: &'static str) -> Element {
    svg("svg")
        .class("chart")
        .class(kind)
        .attr_opt("id", opts.id.clone())
        .attr(
            "viewBox",
            format!("0 0 {} {}", num(frame.width), num(frame.height)),
        )
        .attr("width", "100%")
        .attr("preserveAspectRatio", "xMidYMid meet")
        .attr("role", "img")
        .attr("aria-label", opts.title.clone())
        .attr(
            "font-family",
            "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif",
        )
        .attr("font-size", "11")
}

/// A chart with nothing to draw: the frame and a "no data" message.
pub(crate) fn empty_chart(opts: &ChartOptions, kind: &'static str) -> Node {
    let frame = Frame::new(opts, opts.height.min(160.0));
    root(opts, &frame, kind)
        .class("empty")
        .child(label(
            frame.width / 2.0,
            frame.height / 2.0,
            "middle",
            t(opts.lang, "table.empty"),
        ))
        .into()
}

/// Adds a tooltip to a mark: a `<title>` child and `data-tooltip`.
pub(crate) fn tip(mark: Element, tooltip: String) -> Element {
    mark.attr("data-tooltip", tooltip.clone())
        .child(svg("title").text(tooltip))
}

/// `series-{i}` (cycling through the palette) and its fallback colour.
pub(crate) fn series_style(i: usize) -> (String, &'static str) {
    let slot = i % PALETTE.len();
    (format!("series-{slot}"), PALETTE[slot])
}

/// A text label at `(x, y)`, anchored `start`, `middle` or `end`, vertically centred.
pub(crate) fn label(x: f64, y: f64, anchor: &'static str, content: impl Into<String>) -> Element {
    svg("text")
        .attr("x", num(x))
        .attr("y", num(y))
        .attr("text-anchor", anchor)
        .attr("dominant-baseline", "middle")
        .attr("fill", INK)
        .text(content)
}

/// Approximate rendered width of `s` at font size 11: CJK characters are about twice as wide.
pub(crate) fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 11.0 } else { 6.2 })
        .sum()
}

/// `s` cut to about `max_width` px, with `…` when cut.
pub(crate) fn fit_text(s: &str, max_width: f64) -> String {
    if text_width(s) <= max_width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut width = text_width("…");
    for c in s.chars() {
        width += text_width(c.encode_utf8(&mut [0; 4]));
        if width > max_width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The layout shared by the category charts (lines and vertical bars).
pub(crate) struct SeriesLayout {
    /// Categories: the longest series or label list.
    pub n: usize,
    /// One label per category (blank past the given labels).
    pub labels: Vec<String>,
    /// The frame, its top pushed below the legend when there is one.
    pub frame: Frame,
    /// A legend when there is more than one series.
    pub legend: Option<Element>,
    /// Value-axis ticks, always including 0.
    pub ticks: Vec<f64>,
    pub y: LinearScale,
}

/// Lays out a category chart, or `None` when no value is finite (draw `empty_chart` instead).
pub(crate) fn series_layout(
    series: &[Series],
    x_labels: &[String],
    opts: &ChartOptions,
) -> Option<SeriesLayout> {
    let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let (lo, hi) = extent(
        series
            .iter()
            .flat_map(|s| s.values.iter().filter_map(finite)),
    )?;
    let n = series
        .iter()
        .map(|s| s.values.len())
        .chain([x_labels.len()])
        .max()
        .unwrap_or(0);
    let labels = (0..n)
        .map(|i| x_labels.get(i).cloned().unwrap_or_default())
        .collect();
    let mut frame = Frame::new(opts, opts.height);
    let legend = (series.len() > 1).then(|| {
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        let (g, bottom) = legend(&names, &frame);
        frame.top = frame.top.max(bottom + 6.0);
        g
    });
    let ticks = opts.unit.ticks(lo.min(0.0), hi.max(0.0));
    let y = LinearScale::over_ticks(&ticks, (frame.plot_bottom(), frame.plot_top()));
    Some(SeriesLayout {
        n,
        labels,
        frame,
        legend,
        ticks,
        y,
    })
}

/// A legend above the plot: a swatch and the name of each series, wrapping into rows when needed.
/// Returns the legend and the y just below it, for the plot's top margin.
pub(crate) fn legend(names: &[&str], frame: &Frame) -> (Element, f64) {
    let mut g = svg("g").class("legend");
    let (mut x, mut y) = (frame.plot_left(), 12.0);
    for (i, name) in names.iter().enumerate() {
        let (class, colour) = series_style(i);
        let name = fit_text(name, 200.0);
        let item_width = 18.0 + text_width(&name) + 16.0;
        if x + item_width > frame.width && x > frame.plot_left() {
            x = frame.plot_left();
            y += 16.0;
        }
        g.push(
            svg("rect")
                .class(class)
                .attr("x", num(x))
                .attr("y", num(y - 5.0))
                .attr("width", "12")
                .attr("height", "10")
                .attr("rx", "2")
                .attr("fill", colour),
        );
        g.push(label(x + 16.0, y, "start", name));
        x += item_width;
    }
    (g, y + 12.0)
}
