//! The scripts' shape: the export's own column names, quoted per dialect; a step per definition
//! with its section cited; values read by the engine's tables. Their figures are checked against
//! the engine on real databases by `tests/independent/check_sql.py`.

use super::*;
use crate::report::analyze_files;

fn load(name: &str) -> (LoadReport, AnalyzeOptions) {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
    let options = AnalyzeOptions::default();
    let report = analyze_files(&[(name, &bytes)], &options).expect("report");
    (report.loads[0].clone(), options)
}

fn sql(name: &str, section: SqlSection, d: Dialect) -> Result<String, SqlError> {
    let (l, o) = load(name);
    script(
        &l,
        &o,
        section,
        d,
        &SqlSource::File(format!("/data/{name}")),
    )
}

#[test]
fn kpi_script_names_the_exports_columns_and_cites_definitions() {
    let s = sql("taobao_orders_gbk.csv", SqlSection::Kpi, Dialect::Duckdb).unwrap();
    // The user's own headers, quoted for DuckDB, a trailing-space header as recognised.
    assert!(s.contains("\"买家实际支付金额\""), "{s}");
    assert!(s.contains("\"订单付款时间\""));
    assert!(s.contains("-- DEFINITIONS §1 order:"));
    assert!(s.contains("-- DEFINITIONS §2 KPIs"));
    assert!(s.contains("read_csv('/data/taobao_orders_gbk.csv'"));
    // A GB18030 file: the script says DuckDB needs a UTF-8 copy.
    assert!(s.contains("iconv -f GB18030 -t UTF-8"));
    // Statuses come from the engine's table.
    assert!(s.contains("'交易成功'") && s.contains("'partiallyrefunded'"));
    for step in [
        "export_rows AS (",
        "cells AS (",
        "typed AS (",
        "orders AS (",
        "paid_orders AS (",
    ] {
        assert!(s.contains(step), "{step}");
    }
}

#[test]
fn spark_reads_through_a_view_with_backticks_and_the_files_encoding() {
    let s = sql("taobao_orders_gbk.csv", SqlSection::Kpi, Dialect::Spark).unwrap();
    assert!(s.contains("CREATE OR REPLACE TEMPORARY VIEW shoplens_kpi_taobao_orders_gbk ("));
    assert!(s.contains("* FROM shoplens_kpi_taobao_orders_gbk"));
    assert!(s.contains("`买家实际支付金额` STRING"));
    assert!(s.contains("encoding 'GB18030'"));
    assert!(!s.contains("read_csv("));
    let tsv = sql("amazon_all_orders.txt", SqlSection::Kpi, Dialect::Spark).unwrap();
    assert!(tsv.contains("sep '\t'"));
}

#[test]
fn a_table_source_and_the_grain_decided_by_ingest() {
    let (l, o) = load("jd_orders.csv");
    let s = script(
        &l,
        &o,
        SqlSection::Kpi,
        Dialect::Duckdb,
        &SqlSource::Table("shop.jd_orders".into()),
    )
    .unwrap();
    assert!(s.contains("FROM shop.jd_orders"));
    // JD's 订单金额 is repeated on every line of an order: counted once.
    assert!(s.contains("the paid amount is the order's"));
    let s = sql("tmall_sales_detail.csv", SqlSection::Kpi, Dialect::Duckdb).unwrap();
    assert!(s.contains("the paid amount is per line"));
}

#[test]
fn sections_refuse_files_they_do_not_read() {
    let e = sql("taobao_items_utf8bom.csv", SqlSection::Kpi, Dialect::Duckdb).unwrap_err();
    assert_eq!(e.code, "detail_lines");
    let e = sql("rees46_events.csv", SqlSection::Kpi, Dialect::Duckdb).unwrap_err();
    assert_eq!(e.code, "wrong_kind");
    // Cohorts need customer ids; the 21-column Taobao export has none.
    let e = sql(
        "taobao_orders_2026_21col.csv",
        SqlSection::Cohorts,
        Dialect::Spark,
    )
    .unwrap_err();
    assert_eq!(e.code, "no_customer_ids");
    let s = sql("shopify_orders.csv", SqlSection::Cohorts, Dialect::Spark).unwrap();
    assert!(s.contains("-- DEFINITIONS §3 cohort:") && s.contains("explode(sequence("));
}

#[test]
fn a_filtered_report_is_refused_not_silently_unfiltered() {
    let (l, mut o) = load("shopify_orders.csv");
    o.filter.from = Some("2024-03-02".into());
    let e = script(
        &l,
        &o,
        SqlSection::Kpi,
        Dialect::Duckdb,
        &SqlSource::File("x.csv".into()),
    )
    .unwrap_err();
    assert_eq!(e.code, "filter_not_supported");
}

#[test]
fn rfm_script_scores_by_rank_and_names_the_engines_segments() {
    let s = sql("shopify_orders.csv", SqlSection::Rfm, Dialect::Duckdb).unwrap();
    assert!(s.contains("-- DEFINITIONS §4 scores 1–5"), "{s}");
    assert!(s.contains("rank() OVER (ORDER BY recency_days DESC)"));
    assert!(s.contains("rank() OVER (ORDER BY monetary)"));
    // Every segment, with its Chinese name, from the engine's own table.
    for seg in crate::analysis::rfm::Segment::ALL {
        assert!(s.contains(&format!("'{}'", seg.code())), "{}", seg.code());
        assert!(s.contains(seg.zh()));
    }
    assert!(s.contains("WHEN r_high AND f_high AND m_high THEN 'high_value'"));
    assert!(s.contains("WHEN NOT r_high AND NOT f_high AND NOT m_high THEN 'lost'"));
    // A reference day set in the options is used, and a malformed one refused.
    let (l, mut o) = load("shopify_orders.csv");
    o.rfm.reference_day = Some("2024-04-01".into());
    let src = SqlSource::File("x.csv".into());
    let s = script(&l, &o, SqlSection::Rfm, Dialect::Spark, &src).unwrap();
    assert!(
        s.contains("SELECT CAST(19814 AS BIGINT) AS reference_day -- 2024-04-01"),
        "{s}"
    );
    o.rfm.reference_day = Some("2024-4-1".into());
    let e = script(&l, &o, SqlSection::Rfm, Dialect::Spark, &src).unwrap_err();
    assert_eq!(e.code, "invalid_reference_day");
    let e = sql("douyin_orders.csv", SqlSection::Rfm, Dialect::Duckdb).unwrap_err();
    assert_eq!(e.code, "no_customer_ids");
}

#[test]
fn products_script_allocates_by_largest_remainder_and_classes_abc() {
    let s = sql("shopify_orders.csv", SqlSection::Products, Dialect::Duckdb).unwrap();
    for step in [
        "line_items AS (",
        "revenue_weights AS (",
        "revenue_floors AS (",
        "refund_weights AS (",
        "allocated AS (",
        "classified_products AS (",
    ] {
        assert!(s.contains(step), "{step}");
    }
    // Remainder cents to the largest weights, the lower line number first; 128-bit products.
    assert!(
        s.contains("ORDER BY revenue_weight DESC, line_number"),
        "{s}"
    );
    assert!(s.contains("CAST(revenue_magnitude AS HUGEINT)"));
    assert!(s.contains("WHEN r.revenue_before * 100 < r.total_revenue * 80 THEN 'a'"));
    assert!(s.contains("-- DEFINITIONS §6 ABC"));
    let spark = sql("shopify_orders.csv", SqlSection::Products, Dialect::Spark).unwrap();
    assert!(spark.contains("DECIMAL(38, 0))) div CAST("));
    // WooCommerce's packed cell: one line per item, split where a count and × follow.
    let w = sql(
        "woocommerce_analytics.csv",
        SqlSection::Products,
        Dialect::Spark,
    )
    .unwrap();
    assert!(w.contains("posexplode(items) AS (item, part)"), "{w}");
    let w = sql(
        "woocommerce_analytics.csv",
        SqlSection::Products,
        Dialect::Duckdb,
    )
    .unwrap();
    assert!(w.contains("unnest(items) AS part"));
    assert!(!s.contains("packed_rows AS ("));
}

#[test]
fn funnel_script_puts_names_in_steps_by_the_engines_vocabulary() {
    let s = sql("rees46_events.csv", SqlSection::Funnel, Dialect::Duckdb).unwrap();
    assert!(
        s.contains("-- DEFINITIONS §5 steps: view → cart → purchase."),
        "{s}"
    );
    // The vocabulary comes from the engine's table, page views from EventClass::meaning.
    assert!(s.contains("'addtocart'") && s.contains("'加购'"));
    assert!(s.contains("WHEN 'page_view' THEN CASE WHEN v.product_views THEN NULL ELSE 'view' END"));
    assert!(s.contains("reach_3 AS ("));
    assert!(s.contains("AND e.event_time <= r.t1 + 604800"));
    let (l, mut o) = load("rees46_events.csv");
    o.funnel.mode = crate::analysis::funnel::FunnelMode::Distinct;
    o.funnel.steps = vec![
        crate::analysis::funnel::StepSpec::Canonical(crate::model::EventType::View),
        crate::analysis::funnel::StepSpec::Names(vec!["Add To Cart".into()]),
    ];
    let src = SqlSource::Table("events".into());
    let s = script(&l, &o, SqlSection::Funnel, Dialect::Spark, &src).unwrap();
    assert!(!s.contains("reach_2 AS ("));
    assert!(s.contains("WHEN name_key IN ('addtocart') THEN 2"), "{s}");
    o.funnel.steps.truncate(1);
    let e = script(&l, &o, SqlSection::Funnel, Dialect::Spark, &src).unwrap_err();
    assert_eq!(e.code, "invalid_funnel");
    let e = sql("shopify_orders.csv", SqlSection::Funnel, Dialect::Duckdb).unwrap_err();
    assert_eq!(e.code, "wrong_kind");
    assert_eq!(SqlSection::from_code("funnel"), Some(SqlSection::Funnel));
    assert!(SqlSection::all().contains(&SqlSection::Funnel));
}

/// The stock script of `files` loaded together (the order export first), the others beside it.
fn stock_sql(files: &[&str], options: &AnalyzeOptions, d: Dialect) -> Result<String, SqlError> {
    let data: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|n| {
            let path = format!("{}/../../tests/fixtures/{n}", env!("CARGO_MANIFEST_DIR"));
            (n.to_string(), std::fs::read(path).expect("fixture"))
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = data
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let report = analyze_files(&refs, options).expect("report");
    let others: Vec<(&LoadReport, SqlSource)> = report.loads[1..]
        .iter()
        .map(|l| (l, SqlSource::File(format!("/data/{}", l.file))))
        .collect();
    script_with(
        &report.loads[0],
        &others,
        options,
        SqlSection::Stock,
        d,
        &SqlSource::File(format!("/data/{}", files[0])),
    )
}

#[test]
fn stock_script_reads_the_orders_and_the_sku_list_in_their_own_words() {
    let o = AnalyzeOptions::default();
    let s = stock_sql(&["stock_orders.csv", "stock_skus.csv"], &o, Dialect::Duckdb).unwrap();
    // Both files, each with its own column names.
    assert!(s.contains("read_csv('/data/stock_orders.csv'"), "{s}");
    assert!(s.contains("read_csv('/data/stock_skus.csv'"));
    assert!(s.contains("\"quantity\"") && s.contains("\"sku\""));
    assert!(s.contains("\"商家编码\"") && s.contains("\"可用库存\""));
    // §8 cited, one named step per definition step; the list's reading steps prefixed.
    assert!(s.contains("-- DEFINITIONS §8 demand window"));
    assert!(s.contains("-- DEFINITIONS §8 suggested order"));
    for step in [
        "\ncells AS (",
        "list1_export_rows AS (",
        "list1_cells AS (",
        "list1_levels AS (",
        "window_lines AS (",
        "window_sales AS (",
        "sold AS (",
        "order_titles AS (",
        "stock_products AS (",
        "stock_levels AS (",
        "demand AS (",
        "replenishment AS (",
        "needs AS (",
    ] {
        assert!(s.contains(step), "{step}");
    }
    // The options as constants DuckDB and Spark read as DOUBLE: L = 7, z = 1.645, R = 14.
    assert!(
        s.contains("daily_demand * 7e0 + 1.645e0 * sigma * sqrt(7e0)"),
        "{s}"
    );
    assert!(s.contains("daily_demand * 1.4e1"));
}

#[test]
fn stock_script_in_spark_reads_both_files_through_views() {
    let mut o = AnalyzeOptions::default();
    o.stock.service_level = 0.99;
    o.stock.lead_time_days = 3.0;
    o.stock.window_days = 14;
    let s = stock_sql(&["stock_orders.csv", "stock_skus.csv"], &o, Dialect::Spark).unwrap();
    assert!(s.contains("CREATE OR REPLACE TEMPORARY VIEW shoplens_stock_stock_orders ("));
    assert!(s.contains("CREATE OR REPLACE TEMPORARY VIEW shoplens_stock_stock_skus ("));
    assert!(s.contains("`可用库存` STRING"));
    // z = Φ⁻¹(0.99) rounded to 3 decimals, L = 3 days, a 14-day window.
    assert!(s.contains("2.326e0 * sigma * sqrt(3e0)"), "{s}");
    assert!(s.contains("max(day) OVER () - 14 + 1"));
}

#[test]
fn stock_script_refusals() {
    let o = AnalyzeOptions::default();
    // Orders alone: no stock list beside them.
    assert_eq!(
        sql("stock_orders.csv", SqlSection::Stock, Dialect::Duckdb)
            .unwrap_err()
            .code,
        "no_stock"
    );
    // A product list without stock (none in the fixtures has no stock column: a behaviour log is
    // no list at all).
    assert_eq!(
        stock_sql(
            &["stock_orders.csv", "rees46_events.csv"],
            &o,
            Dialect::Duckdb
        )
        .unwrap_err()
        .code,
        "no_stock"
    );
    // The 宝贝报表 beside the order export replaces its lines in the engine.
    assert_eq!(
        stock_sql(
            &[
                "taobao_orders_gbk.csv",
                "erp_skus.csv",
                "taobao_items_utf8bom.csv"
            ],
            &o,
            Dialect::Duckdb
        )
        .unwrap_err()
        .code,
        "detail_lines_loaded"
    );
    // The list is not the script's file.
    assert_eq!(
        stock_sql(&["stock_skus.csv", "stock_orders.csv"], &o, Dialect::Duckdb)
            .unwrap_err()
            .code,
        "wrong_kind"
    );
    // Single-file sections ignore the files beside them.
    let (l, _) = load("stock_orders.csv");
    let src = SqlSource::File("/data/stock_orders.csv".into());
    assert_eq!(
        script(&l, &o, SqlSection::Kpi, Dialect::Duckdb, &src).unwrap(),
        script_with(
            &l,
            &[(&l, src.clone())],
            &o,
            SqlSection::Kpi,
            Dialect::Duckdb,
            &src
        )
        .unwrap()
    );
}
