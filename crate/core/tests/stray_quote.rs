//! A stray quote is told apart from a cut-off file (issue 17): a value that starts with `"` and
//! never closes swallows the rows after it, while a file cut inside a quoted field ends there.
//! Re-read with literal quotes, the stray-quote file gives every row back, and the lines after an
//! error are counted as not read, never as blank lines.

use shoplens::codes::ReasonCode;
use shoplens::ingest::{FileOptions, IngestOptions, LoadReport, QuoteMode, Session};

fn load(bytes: &[u8], quotes: QuoteMode) -> LoadReport {
    let options = IngestOptions {
        files: [(
            "orders.csv".to_string(),
            FileOptions {
                quotes,
                ..FileOptions::default()
            },
        )]
        .into(),
        ..IngestOptions::default()
    };
    let mut s = Session::new(options);
    if s.push("orders.csv", bytes).is_ok() {
        let _ = s.end_file("orders.csv");
    }
    s.finish().reports.remove(0)
}

fn orders(rows: usize, stray_at: Option<usize>) -> String {
    let mut t =
        String::from("order_id,customer_id,order_time,product_title,quantity,paid_amount\n");
    for i in 0..rows {
        let title = if Some(i) == stray_at {
            "\"Summer sale mug".to_string()
        } else {
            format!("Mug {}", i % 7)
        };
        t.push_str(&format!(
            "A{i},c{},2025-03-{:02} 10:00:00,{title},1,{}.50\n",
            i % 13,
            i % 28 + 1,
            10 + i % 40
        ));
    }
    t
}

#[test]
fn a_stray_quote_names_its_line_column_and_value_and_the_rows_it_swallowed() {
    let text = orders(100, Some(49));
    let r = load(text.as_bytes(), QuoteMode::Standard);
    let e = r.error.as_ref().expect("an error");
    assert_eq!(e.code(), "stray_quote");
    // Line 1 is the header; row 49 (from 0) is line 51.
    assert_eq!(e.line, Some(51));
    assert_eq!(e.column.as_deref(), Some("product_title"));
    assert_eq!(e.excerpt(), Some("Summer sale mug,1,19.50…"));
    assert!(
        e.message
            .contains("swallows the 50 lines after it (50 of them rows)"),
        "{}",
        e.message
    );
    // The rows before the quote were read; the 50 lines from the quote on were not, and are not
    // called blank.
    assert_eq!(r.rows_read, 49);
    assert_eq!(r.skipped_count(ReasonCode::BlankLine), 0);
    assert_eq!(r.skipped_count(ReasonCode::NotReadAfterError), 51);
}

#[test]
fn read_with_literal_quotes_the_stray_quote_file_gives_every_row() {
    let text = orders(100, Some(49));
    let r = load(text.as_bytes(), QuoteMode::Literal);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (100, 100, 0));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
}

#[test]
fn a_file_cut_inside_a_quoted_field_is_diagnosed_as_cut_off() {
    let mut text = orders(100, None);
    text.push_str("A100,c1,2025-03-01 10:00:00,\"Mug with a long\ndescription that was cu");
    let r = load(text.as_bytes(), QuoteMode::Standard);
    let e = r.error.as_ref().expect("an error");
    assert_eq!(e.code(), "unclosed_quote");
    assert_eq!(e.line, Some(102));
    assert_eq!(e.column.as_deref(), Some("product_title"));
    assert_eq!(e.excerpt(), None);
    assert_eq!(r.rows_read, 100);
    assert_eq!(r.skipped_count(ReasonCode::BlankLine), 0);
    assert_eq!(r.skipped_count(ReasonCode::NotReadAfterError), 2);
}

#[test]
fn quoted_values_still_read_as_quoted_by_default() {
    let text = "order_id,customer_id,order_time,product_title,quantity,paid_amount\n\
                A1,c1,2025-03-01 10:00:00,\"Mug, large\",1,\"1,299.00\"\n";
    let r = load(text.as_bytes(), QuoteMode::Standard);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.rows_used, 1);
}
