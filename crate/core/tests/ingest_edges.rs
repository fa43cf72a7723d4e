//! Edge cases of ingest found by fuzzing or by reading real exports.

use shoplens::ingest::{IngestOptions, Session};

fn load(name: &str, text: &str) -> shoplens::ingest::Loaded {
    let mut s = Session::new(IngestOptions::default());
    let _ = s.push(name, text.as_bytes());
    let _ = s.end_file(name);
    s.finish()
}

#[test]
fn a_date_centuries_away_is_rejected_not_stretched_into_a_series() {
    // Found by the fuzzer: one order dated 9024 made a daily series of 2.5 million days.
    let l = load(
        "orders.tsv",
        "order_id\tcustomer_id\torder_date\tstatus\tamount\n\
         SO-1\tC-1\t2024-02-01 09:30:00\tcompleted\t45.00\n\
         SO-2\tC-2\t9024-02-06 09:30:00\tcompleted\t12.00\n",
    );
    let r = &l.reports[0];
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (2, 1, 1));
    let reason = &r.rejected[0];
    assert_eq!(reason.code, "implausible_date");
    assert_eq!(reason.examples[0].line, 3);
    assert_eq!(reason.examples[0].column.as_deref(), Some("order_date"));
}

#[test]
fn a_zero_byte_chunk_changes_nothing() {
    let text = "订单编号,买家实际支付金额,订单创建时间\n1,10.00,2024-03-01 10:00:00\n";
    let mut s = Session::new(IngestOptions::default());
    s.push("a.csv", &[]).expect("empty chunk");
    s.push("a.csv", text.as_bytes()).expect("data");
    s.push("a.csv", &[]).expect("empty chunk");
    s.end_file("a.csv").expect("end");
    let l = s.finish();
    assert_eq!(l.dataset.orders.paid_amount, vec![1000]);
}

#[test]
fn pushing_after_the_end_is_an_error_naming_the_file() {
    let mut s = Session::new(IngestOptions::default());
    s.push("a.csv", b"order_id,amount,created_at\n1,2,2024-01-01\n")
        .expect("data");
    s.end_file("a.csv").expect("end");
    let e = s.push("a.csv", b"more").unwrap_err();
    assert_eq!(e.code(), "file_finished");
    assert_eq!(e.position().file, "a.csv");
}
