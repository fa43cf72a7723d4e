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
    assert_eq!(SqlSection::all().len(), 7);
}

#[test]
fn breakdowns_script_reads_the_exports_dimension_columns_by_the_engines_rules() {
    let s = sql(
        "taobao_orders_gbk.csv",
        SqlSection::Breakdowns,
        Dialect::Duckdb,
    )
    .unwrap();
    // The export's own columns: the shop, the address the province is read from.
    assert!(
        s.contains("\"店铺名称\"") && s.contains("\"收货地址\""),
        "{s}"
    );
    assert!(s.contains("-- DEFINITIONS §10"));
    for step in [
        "paid_orders AS (",
        "dimension_texts AS (",
        "row_dimensions AS (",
        "order_dimensions AS (",
        "paid_dimensions AS (",
        "contributions AS (",
        "customer_sums AS (",
        "group_sums AS (",
        "group_figures AS (",
    ] {
        assert!(s.contains(step), "{step}");
    }
    // The engine's province table, first match by the short name; an address's first word.
    assert!(s.contains("WHEN substr(address_text, 1, 2) = '福建' THEN '福建省'"));
    assert!(s.contains("WHEN substr(address_text, 1, 3) = '内蒙古' THEN '内蒙古自治区'"));
    assert!(s.contains(r"[\p{L}\p{Nl}]"));
    // The platform of the export, the dimensions it has no column for said in the header.
    assert!(s.contains("'taobao' AS platform"));
    assert!(
        s.contains("AS d(dimension)")
            && s.contains("('platform'), ('shop'), ('region'), ('customer_type')")
    );
    // Customer type: new on the day of the customer's first paid order.
    assert!(s.contains("WHEN p.day > min(p.day) OVER (PARTITION BY p.customer) THEN 'returning'"));
    assert!(s.contains("-- Dimensions this export has no column for"));
    assert!(s.contains("channel, category."));
    assert!(!s.contains("allocated AS ("), "no category: no allocation");
    // The §2 KPI columns are the KPI script's.
    assert!(s.contains("CAST(g.gmv AS DOUBLE) / NULLIF(g.buyers, 0) AS revenue_per_buyer"));
    assert!(s.contains("ORDER BY unknown, gmv DESC, name) AS position"));

    // Spark: the landing URL's utm_source, the key in any ASCII case; Java's alphabetic class.
    let (l, o) = load("douyin_orders.csv");
    let spark = script(
        &l,
        &o,
        SqlSection::Breakdowns,
        Dialect::Spark,
        &SqlSource::File("d.csv".into()),
    )
    .unwrap();
    assert!(spark.contains("`流量来源` STRING") && spark.contains("`省` STRING"));
    assert!(spark.contains("WHEN substr(region_text, 1, 2) = '广西' THEN '广西壮族自治区'"));
    assert!(
        !spark.contains("AS customer_type"),
        "douyin has no buyer ids"
    );
}

#[test]
fn breakdowns_script_allocates_categories_and_follows_the_dimension_option() {
    // A Shopify-like line export with a category and a landing URL, written here.
    let csv = "Name,Email,Financial Status,Paid at,Total,Created at,Lineitem quantity,Lineitem name,Lineitem sku,Landing Site,Lineitem category\n\
               #1,a@x.com,paid,2024-03-01 10:00:00,30.00,2024-03-01 10:00:00,1,Mug,M1,/?utm_source=Google,Mugs\n\
               #1,,,,,2024-03-01 10:00:00,2,Tea,T1,,\n\
               #2,b@x.com,paid,2024-03-02 10:00:00,12.00,2024-03-02 10:00:00,1,Tea,T1,/p,Tea\n";
    let options = AnalyzeOptions::default();
    let report = analyze_files(&[("lines.csv", csv.as_bytes())], &options).unwrap();
    let load = report.loads[0].clone();
    let src = SqlSource::Table("shop.lines".into());
    let s = script(
        &load,
        &options,
        SqlSection::Breakdowns,
        Dialect::Spark,
        &src,
    )
    .unwrap();
    assert!(
        s.contains("`Lineitem category`") && s.contains("`Landing Site`"),
        "{s}"
    );
    for step in [
        "line_items AS (",
        "allocated AS (",
        "product_categories AS (",
        "category_lines AS (",
    ] {
        assert!(s.contains(step), "{step}\n{s}");
    }
    assert!(s.contains("[uU][tT][mM]_[sS][oO][uU][rR][cC][eE]"));
    assert!(!s.contains("Category: where it comes from another file"));
    // Only the dimensions asked for.
    let mut only = options.clone();
    only.breakdowns.dimensions = vec![crate::analysis::breakdown::Dimension::Channel];
    let s = script(&load, &only, SqlSection::Breakdowns, Dialect::Duckdb, &src).unwrap();
    assert!(s.contains("(VALUES ('channel')) AS d(dimension)"), "{s}");
    assert!(!s.contains("('platform')") && !s.contains("allocated AS ("));
    // Refusals are the order scripts': line items without order times.
    let e = sql(
        "taobao_items_utf8bom.csv",
        SqlSection::Breakdowns,
        Dialect::Duckdb,
    )
    .unwrap_err();
    assert_eq!(e.code, "detail_lines");
    let e = sql("rees46_events.csv", SqlSection::Breakdowns, Dialect::Spark).unwrap_err();
    assert_eq!(e.code, "wrong_kind");
    assert_eq!(
        SqlSection::from_code("breakdowns"),
        Some(SqlSection::Breakdowns)
    );
}
