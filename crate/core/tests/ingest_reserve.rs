//! `FileOptions::size_bytes`: with the file's size, the tables are reserved once for the whole file
//! (no doubling left over), and the loaded data is the same as without it.

use shoplens::ingest::{FileOptions, IngestOptions, Loaded, Session};

/// A Tianchi-style log (no header): user, item, category, behaviour, epoch; rows of varying length.
fn tianchi(rows: usize) -> Vec<u8> {
    let mut text = String::new();
    for r in 0..rows {
        let kind = ["pv", "pv", "pv", "fav", "cart", "buy"][r % 6];
        let item = 100_000 + (r * 7919) % 5_000;
        text.push_str(&format!(
            "{},{item},{},{kind},{}\n",
            1_000 + r / 50,
            2_000 + item % 40,
            1_511_539_200 + r * 13
        ));
    }
    text.into_bytes()
}

fn load(bytes: &[u8], size_hint: Option<u64>, chunk: usize) -> Loaded {
    let mut opts = IngestOptions::default();
    opts.files.insert(
        "log.csv".to_string(),
        FileOptions {
            size_bytes: size_hint,
            ..FileOptions::default()
        },
    );
    let mut session = Session::new(opts);
    for piece in bytes.chunks(chunk) {
        session.push("log.csv", piece).expect("a well-formed log");
    }
    session.end_file("log.csv").expect("a well-formed log");
    session.finish()
}

#[test]
fn a_known_size_reserves_the_tables_once() {
    let bytes = tianchi(60_000);
    let hinted = load(&bytes, Some(bytes.len() as u64), 64 * 1024);
    let plain = load(&bytes, None, 64 * 1024);
    let (h, p) = (&hinted.dataset.events, &plain.dataset.events);
    assert_eq!(h.len(), 60_000);
    assert_eq!(
        (&h.user, &h.name, &h.time, &h.item),
        (&p.user, &p.name, &p.time, &p.item)
    );
    // Reserved after 2,000 rows for the rest plus 5 %: at most ~5 % unused, never a doubling.
    assert!(h.time.capacity() >= h.len(), "{}", h.time.capacity());
    assert!(
        h.time.capacity() <= h.len() * 106 / 100,
        "{}",
        h.time.capacity()
    );
    assert_eq!(hinted.reports[0].rows_used, 60_000);
}

#[test]
fn a_wrong_size_only_costs_capacity() {
    let bytes = tianchi(10_000);
    for hint in [1, bytes.len() as u64 / 3, bytes.len() as u64 * 3] {
        let loaded = load(&bytes, Some(hint), 4096);
        assert_eq!(loaded.dataset.events.len(), 10_000, "hint {hint}");
        assert_eq!(loaded.reports[0].rows_used, 10_000, "hint {hint}");
    }
}

#[test]
fn the_memory_estimate_tells_what_fits_in_a_wasm_instance() {
    use shoplens::ingest::{estimated_peak_bytes, TextEncoding, WASM_MEMORY_LIMIT};
    use shoplens::model::DatasetKind;
    const GB: u64 = 1_000_000_000;
    // Measured: a 2.1 GB UTF-8 order export peaked at 2.44 GB of wasm memory.
    let orders_2gb = estimated_peak_bytes(
        DatasetKind::OrderLines,
        TextEncoding::Utf8,
        2_145 * GB / 1000,
    );
    assert!(
        orders_2gb > 2_439 * GB / 1000 && orders_2gb < WASM_MEMORY_LIMIT,
        "{orders_2gb}"
    );
    // A 376 MB log peaked at 528 MB (654 MB before the compact event table).
    let log = estimated_peak_bytes(DatasetKind::Events, TextEncoding::Utf8, 376 * GB / 1000);
    assert!(log > 528 * GB / 1000, "{log}");
    // A 2 GB behaviour log fits; a 3 GB one does not: say so before starting.
    assert!(
        estimated_peak_bytes(DatasetKind::Events, TextEncoding::Utf8, 2 * GB) < WASM_MEMORY_LIMIT
    );
    assert!(
        estimated_peak_bytes(DatasetKind::Events, TextEncoding::Utf8, 3 * GB) > WASM_MEMORY_LIMIT
    );
    assert!(
        estimated_peak_bytes(
            DatasetKind::Orders,
            TextEncoding::Gb18030,
            1_368 * GB / 1000
        ) > 1_619 * GB / 1000
    );
}

#[test]
fn a_file_past_the_memory_limit_is_refused_before_its_rows_are_read() {
    const MB: u64 = 1_000_000;
    let log = tianchi(3_000);
    let orders = "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间\n\
                  1001,tb_a,10.00,交易成功,2024-03-01 10:00:00,2024-03-01 10:05:00\n";
    let mut opts = IngestOptions {
        memory_limit_bytes: Some(300 * MB),
        ..IngestOptions::default()
    };
    // The sizes the browser says the files have: a 200 MB log needs ~332 MB (1.5× + 32 MB), past
    // the 300 MB limit; a 100 MB order export ~142 MB, within it.
    for (name, size) in [("big_log.csv", 200 * MB), ("orders.csv", 100 * MB)] {
        let file = FileOptions {
            size_bytes: Some(size),
            ..FileOptions::default()
        };
        opts.files.insert(name.to_string(), file);
    }
    let mut session = Session::new(opts);
    let err = session.push("big_log.csv", &log).unwrap_err();
    assert_eq!(err.code(), "too_large");
    assert_eq!(
        err.position().line,
        Some(1),
        "refused at the first line (the log has no header)"
    );
    assert!(err.hint().contains("0.3 GB"), "{}", err.hint());
    session.push("orders.csv", orders.as_bytes()).unwrap();
    session.end_file("orders.csv").unwrap();
    let loaded = session.finish();
    let log_report = &loaded.reports[0];
    assert_eq!(
        log_report.error.as_ref().map(|e| e.code().code()),
        Some("too_large")
    );
    assert_eq!((log_report.rows_read, loaded.dataset.events.len()), (0, 0));
    // The refused file counts for nothing: the next one, which fits, is loaded.
    assert_eq!(loaded.reports[1].rows_used, 1);
}
