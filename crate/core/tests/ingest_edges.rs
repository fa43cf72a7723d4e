//! Edge cases of ingest found by fuzzing or by reading real exports.

use shoplens::codes::ReasonCode;
use shoplens::ingest::{FileOptions, IngestOptions, Session};

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

fn load_with(name: &str, text: &str, options: &str) -> shoplens::ingest::Loaded {
    let opts: IngestOptions = serde_json::from_str(options).expect("options");
    let mut s = Session::new(opts);
    let _ = s.push(name, text.as_bytes());
    let _ = s.end_file(name);
    s.finish()
}

#[test]
fn a_report_zone_converts_offset_times_and_epochs_but_not_plain_times() {
    use shoplens::time::format_time;
    let orders = "Name,Email,Financial Status,Paid at,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price\n\
                  #1,a@x.com,paid,2024-03-01 00:30:00 -0500,10.00,2024-03-01 00:29:00 -0500,1,Tee,10.00\n\
                  #2,b@x.com,paid,2024-03-01 09:00:00,10.00,2024-03-01 08:59:00,1,Tee,10.00\n";
    // Default: the wall clock as written (DEFINITIONS §1).
    let l = load_with("shopify.csv", orders, "{}");
    let times: Vec<String> = l
        .dataset
        .orders
        .time
        .iter()
        .map(|&t| format_time(t))
        .collect();
    assert_eq!(times, ["2024-03-01 00:30:00", "2024-03-01 09:00:00"]);
    // A report zone of +08:00: 00:30 at -05:00 is 05:30 UTC, 13:30 at +08:00; a plain time stays.
    let l = load_with("shopify.csv", orders, r#"{"time_zone": "+08:00"}"#);
    let times: Vec<String> = l
        .dataset
        .orders
        .time
        .iter()
        .map(|&t| format_time(t))
        .collect();
    assert_eq!(times, ["2024-03-01 13:30:00", "2024-03-01 09:00:00"]);
    // Tianchi epochs: China time by default, the report zone when set.
    let events = "1,100,7,pv,1511544070\n";
    let l = load_with("ub.csv", events, "{}");
    assert_eq!(format_time(l.dataset.events.time[0]), "2017-11-25 01:21:10");
    let l = load_with("ub.csv", events, r#"{"time_zone": "UTC"}"#);
    assert_eq!(format_time(l.dataset.events.time[0]), "2017-11-24 17:21:10");
}

#[test]
fn a_malformed_time_zone_is_an_option_error() {
    let err = serde_json::from_str::<IngestOptions>(r#"{"time_zone": "Beijing"}"#).unwrap_err();
    assert!(err.to_string().contains("Beijing"), "{err}");
    let ok: IngestOptions = serde_json::from_str(r#"{"time_zone": "-0530"}"#).expect("offset");
    assert_eq!(ok.time_zone.map(|z| z.seconds), Some(-(5 * 3600 + 30 * 60)));
    assert_eq!(
        serde_json::to_string(&ok.time_zone).expect("json"),
        r#""-05:30""#
    );
}

#[test]
fn an_unknown_status_never_rejects_a_row_the_payment_time_or_the_paid_amount_decides() {
    // Shopify-like: `Paid at` decides, so a status nobody has seen does not lose the order.
    let l = load(
        "orders.csv",
        "Name,Email,Financial Status,Paid at,Total,Created at\n\
         #1,a@x.com,paid,2024-03-01 10:00:00,10.00,2024-03-01 09:59:00\n\
         #2,b@x.com,settled_by_partner,2024-03-01 11:00:00,20.00,2024-03-01 10:59:00\n",
    );
    let r = &l.reports[0];
    assert_eq!((r.rows_used, r.rows_rejected), (2, 0));
    assert!(l.dataset.orders.is_paid(1));
    assert!(r
        .notes
        .iter()
        .any(|n| n.code == "unknown_status_ignored" && n.message.contains("settled_by_partner")));
    // Status only: the paid amount decides (paid above 0), with a note; the status values are
    // listed with their meaning for the user to correct.
    let l = load(
        "orders.csv",
        "order_id,status,amount,order_date\n1,completed,10.00,2024-03-01\n\
         2,settled_by_partner,20.00,2024-03-01\n3,Awaiting Payment,0,2024-03-01\n",
    );
    let r = &l.reports[0];
    assert_eq!((r.rows_used, r.rows_rejected), (3, 0));
    assert!(l.dataset.orders.is_paid(1));
    assert!(!l.dataset.orders.is_paid(2));
    assert!(r.notes.iter().any(|n| n.code == "unknown_status_by_amount"));
    let meanings: Vec<(&str, u64, &str)> = r
        .status_values
        .iter()
        .map(|v| (v.value.as_str(), v.rows, v.meaning.as_str()))
        .collect();
    assert_eq!(
        meanings,
        [
            ("completed", 1, "paid"),
            ("settled_by_partner", 1, "unknown"),
            ("Awaiting Payment", 1, "unpaid")
        ]
    );
    // The user's word on a status wins over the table and the amount.
    let mut opts = IngestOptions::default();
    let file: FileOptions = serde_json::from_str(
        r#"{"statuses": {"settled_by_partner": "cancelled", "completed": "test"}}"#,
    )
    .expect("options");
    opts.files.insert("orders.csv".into(), file);
    let mut s = Session::new(opts);
    s.push(
        "orders.csv",
        b"order_id,status,amount,order_date\n1,completed,10.00,2024-03-01\n2,settled_by_partner,20.00,2024-03-01\n",
    )
    .expect("push");
    let l = s.finish();
    assert!(!l.dataset.orders.is_paid(0));
    assert!(!l.dataset.orders.is_paid(1));
    assert_eq!(l.reports[0].status_values[1].meaning, "cancelled");
}

#[test]
fn the_encoding_is_decided_on_the_first_64_kib_however_they_are_chunked() {
    // Found by the parallel-reading fuzz target: a first chunk of 4 MiB was sniffed whole, so GBK
    // bytes far into a UTF-8 file made it GB18030 when pushed at once, but not in 64 KiB chunks.
    let mut bytes = "订单编号,买家会员名,买家实际支付金额,订单创建时间\n"
        .as_bytes()
        .to_vec();
    let mut order = 0;
    while bytes.len() < 80_000 {
        order += 1;
        bytes.extend_from_slice(
            format!("{order},小鱼{order},10.00,2024-03-01 10:00:00\n").as_bytes(),
        );
    }
    // Rows written by a GBK tool, past the first 64 KiB: "订单" in GBK, invalid as UTF-8. Sniffed
    // whole, they outnumber the UTF-8 characters before them and would make the file GB18030.
    for gbk in 0..4_000 {
        bytes.extend_from_slice(format!("{},", 100_000 + gbk).as_bytes());
        bytes.extend_from_slice(b"\xB6\xA9\xB5\xA5,10.00,2024-03-01 10:00:00\n");
    }
    for chunk in [bytes.len(), 65_536, 4_096] {
        let mut s = Session::new(IngestOptions::default());
        for piece in bytes.chunks(chunk) {
            s.push("mixed.csv", piece).unwrap();
        }
        s.end_file("mixed.csv").unwrap();
        let loaded = s.finish();
        let r = &loaded.reports[0];
        assert_eq!(r.encoding.as_deref(), Some("utf-8"), "chunks of {chunk}");
        assert_eq!(r.rows_used, order, "chunks of {chunk}");
        assert_eq!(
            r.rejected_count(ReasonCode::InvalidEncoding),
            4_000,
            "chunks of {chunk}"
        );
    }
}

#[test]
fn a_header_cell_of_thousands_of_letters_is_read_in_linear_time() {
    // Fuzz finding of the reliability round (`fuzz/regressions/ingest-long-glued-header-word`,
    // a DuckDB test file cut to `10,` and 4,093 letters, pushed in 8-byte chunks): recognising
    // the header split the long cell into every pair and triple of "glued" words, cubic in its
    // length (24 s). A run of letters longer than three known words is no longer split.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions/ingest-long-glued-header-word");
    let data = std::fs::read(path).expect("regression input");
    let (&control, body) = data.split_first().unwrap();
    let chunk = usize::from(control & 0x3f) + 1;
    // Ten times longer than the finding: still read at once.
    let mut body = body.to_vec();
    body.extend(std::iter::repeat_n(b'a', 10 * body.len()));
    let mut s = Session::new(IngestOptions::default());
    for c in body.chunks(chunk) {
        if s.push("a.csv", c).is_err() {
            break;
        }
    }
    let _ = s.end_file("a.csv");
    let l = s.finish();
    let r = &l.reports[0];
    assert_eq!(r.rows_read, r.rows_used + r.rows_rejected);
    assert!(r.error.is_some(), "a lone header cell is no export");
}
