use super::*;
use crate::view::html::to_html;
use crate::view::node::{Element, Node};
use proptest::prelude::*;

fn opts() -> ChartOptions {
    ChartOptions::new(Lang::En, "GMV trend")
        .unit(Unit::Money("CNY".into()))
        .labels("Period", "GMV")
        .id("chart-gmv")
}

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Elements named `tag` inside the chart's `marks` group.
fn marks<'a>(chart: &'a Node, tag: &str) -> Vec<&'a Element> {
    chart
        .find_all(|e| e.has_class("marks"))
        .into_iter()
        .flat_map(|group| group.find_all(|e| e.tag == tag))
        .collect()
}

fn tooltips(chart: &Node) -> Vec<String> {
    chart
        .find_all(|e| e.get_attr("data-tooltip").is_some())
        .iter()
        .map(|e| e.get_attr("data-tooltip").unwrap_or_default().to_string())
        .collect()
}

#[test]
fn line_chart_draws_each_series_with_gaps_legend_and_tooltips() {
    let series = [
        Series::new(
            "GMV",
            vec![Some(120_000.0), None, Some(300_000.0), Some(250_000.0)],
        ),
        Series::new(
            "Net",
            vec![Some(100_000.0), Some(90_000.0), Some(280_000.0), None],
        ),
    ];
    let chart = line_chart(
        &series,
        &labels(&["2024-01", "2024-02", "2024-03", "2024-04"]),
        &opts(),
    );
    let root = chart.as_element().unwrap();
    assert_eq!(root.tag, "svg");
    assert_eq!(root.get_attr("role"), Some("img"));
    assert_eq!(root.get_attr("aria-label"), Some("GMV trend"));
    assert_eq!(root.get_attr("id"), Some("chart-gmv"));
    assert_eq!(root.get_attr("width"), Some("100%"));
    let paths = marks(&chart, "path");
    assert_eq!(paths.len(), 2);
    // The gap in the first series starts a new sub-path: M … M … L ….
    assert_eq!(paths[0].get_attr("d").unwrap().matches('M').count(), 2);
    assert!(paths[0].has_class("series-0") && paths[1].has_class("series-1"));
    assert_eq!(paths[0].get_attr("stroke"), Some(PALETTE[0]));
    // 3 + 3 defined points.
    assert_eq!(marks(&chart, "circle").len(), 6);
    assert!(tooltips(&chart).contains(&"2024-03 · GMV: ¥3,000.00".to_string()));
    // Every tooltip is also a <title> child of its mark.
    assert_eq!(marks(&chart, "title").len(), 6);
    let text = chart.text_content();
    assert!(text.contains("GMV") && text.contains("Net"), "legend names");
    // Max ¥3,000 = 300,000 cents: raw step 60,000 → 50,000, ticks ¥0, ¥500 … ¥3K.
    assert!(text.contains("¥500") && text.contains("¥3K"), "{text}");
}

#[test]
fn nice_ticks_are_the_axis() {
    let series = [Series::new(
        "orders",
        vec![Some(12.0), Some(97.0), Some(40.0)],
    )];
    let chart = line_chart(
        &series,
        &labels(&["a", "b", "c"]),
        &opts().unit(Unit::Count),
    );
    let axis = chart.find_all(|e| e.has_class("axis-y"));
    let tick_text: Vec<String> = axis[0]
        .find_all(|e| e.tag == "text")
        .iter()
        .map(|e| e.text_content())
        .collect();
    assert_eq!(tick_text, ["0", "20", "40", "60", "80", "100", "GMV"]);
}

#[test]
fn bar_chart_groups_bars_and_points_negative_values_down() {
    let series = [
        Series::new("2023", vec![Some(50.0), Some(-20.0), Some(30.0)]),
        Series::new("2024", vec![Some(60.0), None, Some(10.0)]),
    ];
    let chart = bar_chart(
        &series,
        &labels(&["A", "B", "C"]),
        &opts().unit(Unit::Count),
    );
    let rects = marks(&chart, "rect");
    assert_eq!(rects.len(), 5);
    let y = |e: &Element, a: &str| e.get_attr(a).unwrap().parse::<f64>().unwrap();
    // Bar "B 2023" (−20) starts at the zero line and goes down; "A 2023" (50) ends on it.
    let (a, b) = (rects[0], rects[1]);
    assert!((y(a, "y") + y(a, "height") - y(b, "y")).abs() < 0.02);
    assert!(tooltips(&chart).contains(&"B · 2023: −20".to_string()));
    // Few bars: each carries its value label.
    assert_eq!(chart.find_all(|e| e.has_class("value-label")).len(), 5);
}

#[test]
fn hbar_chart_rows_have_values_notes_and_testids() {
    let bars = [
        HBar {
            label: "View".into(),
            value: 1000.0,
            note: None,
            testid: Some("funnel-step-0".into()),
        },
        HBar {
            label: "Cart".into(),
            value: 250.0,
            note: Some("25.0% · drop-off 750".into()),
            testid: Some("funnel-step-1".into()),
        },
    ];
    let chart = hbar_chart(
        &bars,
        &ChartOptions::new(Lang::En, "Funnel").unit(Unit::Count),
    );
    let step1 = chart.by_testid("funnel-step-1").unwrap();
    let text = step1.text_content();
    assert!(
        text.contains("Cart") && text.contains("250") && text.contains("drop-off 750"),
        "{text}"
    );
    let widths: Vec<f64> = marks(&chart, "rect")
        .iter()
        .map(|r| r.get_attr("width").unwrap().parse().unwrap())
        .collect();
    // Bar lengths are proportional: 250 / 1000.
    assert!((widths[1] / widths[0] - 0.25).abs() < 0.01, "{widths:?}");
}

#[test]
fn heatmap_leaves_missing_cells_out_and_shades_by_value() {
    let rows = [
        HeatRow {
            label: "2024-01 (10)".into(),
            cells: vec![Some(1.0), Some(0.4), Some(0.2)],
        },
        HeatRow {
            label: "2024-02 (8)".into(),
            cells: vec![Some(1.0), Some(0.25), None],
        },
        HeatRow {
            label: "2024-03 (5)".into(),
            cells: vec![Some(1.0), None, None],
        },
    ];
    let chart = heatmap(
        &rows,
        &labels(&["M0", "M1", "M2"]),
        &ChartOptions::new(Lang::Zh, "留存").unit(Unit::Ratio),
        Some("cohort-cell"),
    );
    assert_eq!(chart.find_all(|e| e.has_class("heat-cell")).len(), 6);
    assert!(chart.by_testid("cohort-cell-0-2").is_some());
    assert!(chart.by_testid("cohort-cell-1-2").is_none());
    let cell = chart.by_testid("cohort-cell-1-1").unwrap();
    assert_eq!(
        cell.find_all(|e| e.tag == "text")[0].text_content(),
        "25.0%"
    );
    assert_eq!(
        cell.find_all(|e| e.tag == "title")[0].text_content(),
        "2024-02 (8) · M1: 25.0%"
    );
    let fill_of = |id: &str| {
        chart.by_testid(id).unwrap().find_all(|e| e.tag == "rect")[0]
            .get_attr("fill")
            .unwrap()
            .to_string()
    };
    assert_eq!(fill_of("cohort-cell-0-0"), "#1f4e8c"); // the largest value: darkest
    assert_eq!(fill_of("cohort-cell-0-2"), "#eaf1fb"); // the smallest: lightest
}

#[test]
fn scatter_draws_quadrants_points_and_labels() {
    let point = |name: &str, x, y, show_label| ScatterPoint {
        name: name.into(),
        x,
        y,
        group: 0,
        show_label,
        testid: None,
    };
    let points = [
        point("A", 0.4, 0.5, true),
        point("B", 0.05, -0.2, false),
        point("C", 0.2, f64::NAN, true),
    ];
    let quadrants = Quadrants {
        x: 0.1,
        y: 0.1,
        top_left: "问题".into(),
        top_right: "明星".into(),
        bottom_left: "瘦狗".into(),
        bottom_right: "金牛".into(),
    };
    let chart = scatter(
        &points,
        &opts().unit(Unit::Ratio).x_unit(Unit::Ratio),
        Some(&quadrants),
    );
    assert_eq!(
        marks(&chart, "circle").len(),
        2,
        "the NaN point is left out"
    );
    assert_eq!(chart.find_all(|e| e.has_class("quadrant-line")).len(), 2);
    let names: Vec<String> = chart
        .find_all(|e| e.has_class("quadrant-name"))
        .iter()
        .map(|e| e.text_content())
        .collect();
    assert_eq!(names, ["问题", "明星", "瘦狗", "金牛"]);
    assert_eq!(chart.find_all(|e| e.has_class("point-label")).len(), 1);
}

#[test]
fn pareto_has_bars_cumulative_line_and_abc_guides() {
    // Revenue 60, 25, 10, 5 → cumulative 60 %, 85 %, 95 %, 100 %.
    let items: Vec<ParetoItem> = [(60.0, 0.60), (25.0, 0.85), (10.0, 0.95), (5.0, 1.0)]
        .iter()
        .enumerate()
        .map(|(i, &(value, cumulative_share))| ParetoItem {
            label: format!("P{i}"),
            value,
            cumulative_share,
        })
        .collect();
    let chart = pareto(&items, &opts());
    assert_eq!(marks(&chart, "rect").len(), 4);
    assert_eq!(marks(&chart, "circle").len(), 4);
    let guide_labels: Vec<String> = chart
        .find_all(|e| e.has_class("guide-label"))
        .iter()
        .map(|e| e.text_content())
        .collect();
    assert_eq!(guide_labels, ["80%", "95%"]);
    assert!(tooltips(&chart).contains(&"#2 P1: ¥0.25 · 85.0%".to_string()));
    // Many items: no bars, the line through at most 301 points, ending at the last item.
    let many: Vec<ParetoItem> = (0..1000)
        .map(|i| ParetoItem {
            label: format!("P{i}"),
            value: 1.0,
            cumulative_share: (i + 1) as f64 / 1000.0,
        })
        .collect();
    let chart = pareto(&many, &opts());
    assert!(marks(&chart, "rect").is_empty());
    let circles = marks(&chart, "circle");
    assert!(circles.len() <= 301);
    assert!(tooltips(&chart).last().unwrap().starts_with("#1000 "));
}

#[test]
fn histogram_has_one_bar_per_bin() {
    let bins: Vec<HistBin> = ["≤1m", "1–10m", ">10m"]
        .iter()
        .zip([5.0, 12.0, 0.0])
        .map(|(l, c)| HistBin {
            label: l.to_string(),
            count: c,
        })
        .collect();
    let chart = histogram(
        &bins,
        &ChartOptions::new(Lang::En, "Time to convert").unit(Unit::Count),
    );
    assert_eq!(marks(&chart, "rect").len(), 3);
    assert!(chart.text_content().contains("1–10m"));
}

#[test]
fn empty_input_gives_a_labelled_empty_chart() {
    let o = ChartOptions::new(Lang::Zh, "空");
    for chart in [
        line_chart(&[], &[], &o),
        line_chart(&[Series::new("a", vec![None, Some(f64::NAN)])], &[], &o),
        bar_chart(&[], &labels(&["x"]), &o),
        hbar_chart(&[], &o),
        heatmap(&[], &[], &o, None),
        scatter(&[], &o, None),
        pareto(&[], &o),
        histogram(&[], &o),
    ] {
        let root = chart.as_element().unwrap();
        assert!(root.has_class("empty"));
        assert_eq!(chart.text_content(), "暂无数据");
    }
}

#[test]
fn standalone_svg_serialises_with_namespace_and_fallback_colours() {
    let chart = bar_chart(
        &[Series::new("a", vec![Some(1.0)])],
        &labels(&["<x>"]),
        &opts(),
    );
    let svg = to_html(&chart);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bar-chart\""));
    assert!(svg.contains(&format!("fill=\"{}\"", PALETTE[0])));
    assert!(svg.contains("&lt;x&gt;") && !svg.contains("<x>"));
}

/// Attributes whose values are numbers or lists of numbers.
const NUMERIC_ATTRS: [&str; 13] = [
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "viewBox", "d",
];

/// Checks that no attribute of any element shows NaN/∞ and that sizes are not negative.
fn assert_clean(chart: &Node) -> Result<(), TestCaseError> {
    chart.walk(&mut |e: &Element| {
        for (name, value) in &e.attrs {
            assert!(
                !value.contains("NaN") && !value.contains("inf"),
                "{name}={value}"
            );
            if NUMERIC_ATTRS.contains(name) && *name != "width"
                || (*name == "width" && value != "100%")
            {
                for token in value.split([' ', 'M', 'L']).filter(|t| !t.is_empty()) {
                    let v: f64 = token.parse().unwrap_or_else(|_| panic!("{name}={value}"));
                    assert!(v.is_finite(), "{name}={value}");
                    if *name == "width" || *name == "height" || *name == "r" {
                        assert!(v >= 0.0, "{name}={value}");
                    }
                }
            }
        }
    });
    Ok(())
}

fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        4 => (-1e9f64..1e9).prop_map(Some),
        1 => Just(Some(0.0)),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(f64::NEG_INFINITY)),
        1 => any::<f64>().prop_map(Some),
    ]
}

proptest! {
    #[test]
    fn charts_never_write_nan_or_infinity(
        columns in proptest::collection::vec(proptest::collection::vec(value(), 0..8), 0..4),
        names in proptest::collection::vec("[bcdeg ]{0,6}", 0..8), // letters that cannot spell NaN or inf
        unit in prop_oneof![Just(Unit::Count), Just(Unit::Ratio), Just(Unit::Money("USD".into())), Just(Unit::Seconds)],
        width in prop_oneof![Just(720.0), Just(0.0), Just(f64::NAN), 1.0f64..3000.0],
    ) {
        let o = ChartOptions::new(Lang::En, "t").unit(unit.clone()).x_unit(unit).size(width, width / 2.0);
        let series: Vec<Series> = columns.iter().map(|v| Series::new("s", v.clone())).collect();
        let flat: Vec<Option<f64>> = columns.concat();
        let real = |v: &Option<f64>| v.unwrap_or(0.0);
        assert_clean(&line_chart(&series, &names, &o))?;
        assert_clean(&bar_chart(&series, &names, &o))?;
        let bars: Vec<HBar> = flat.iter().map(|v| HBar { label: "b".into(), value: real(v), note: Some("n".into()), testid: None }).collect();
        assert_clean(&hbar_chart(&bars, &o))?;
        let rows: Vec<HeatRow> = columns.iter().map(|c| HeatRow { label: "r".into(), cells: c.clone() }).collect();
        assert_clean(&heatmap(&rows, &names, &o, Some("c")))?;
        let points: Vec<ScatterPoint> = flat.windows(2).map(|w| ScatterPoint {
            name: "p".into(), x: real(&w[0]), y: real(&w[1]), group: 3, show_label: true, testid: None,
        }).collect();
        let q = Quadrants { x: real(flat.first().unwrap_or(&None)), y: 0.0, top_left: "a".into(),
            top_right: "b".into(), bottom_left: "c".into(), bottom_right: "d".into() };
        assert_clean(&scatter(&points, &o, Some(&q)))?;
        let items: Vec<ParetoItem> = flat.iter().map(|v| ParetoItem { label: "i".into(), value: real(v), cumulative_share: real(v) }).collect();
        assert_clean(&pareto(&items, &o))?;
        let bins: Vec<HistBin> = flat.iter().map(|v| HistBin { label: "h".into(), count: real(v) }).collect();
        assert_clean(&histogram(&bins, &o))?;
    }

    #[test]
    fn all_equal_and_single_points_still_draw(v in prop_oneof![Just(0.0), -1e6f64..1e6], n in 1usize..5) {
        let o = ChartOptions::new(Lang::Zh, "t").unit(Unit::Count);
        let series = [Series::new("s", vec![Some(v); n])];
        let chart = line_chart(&series, &[], &o);
        prop_assert_eq!(marks(&chart, "circle").len(), n);
        assert_clean(&chart)?;
        let chart = bar_chart(&series, &[], &o);
        prop_assert_eq!(marks(&chart, "rect").len(), n);
        assert_clean(&chart)?;
    }
}
