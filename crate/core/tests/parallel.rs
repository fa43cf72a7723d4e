//! A file read in parts (as the page's workers read it: the start in the main session, each later
//! part in a session of its own with the file's `Continuation`, handed over as bytes and appended in
//! file order) gives exactly the report of one pass: every figure and every load report, rejected
//! rows and their line numbers included.
//!
//! Every fixture export, grown past the 64 KiB that decide a file's encoding (the page cuts only
//! after its first 4 MiB), is cut at 16 line starts past those 64 KiB (two parts) and at evenly
//! spaced ones (three and four parts); a cut inside a quoted field must be refused, never merged.

use std::path::{Path, PathBuf};

use shoplens::ingest::decode::SNIFF_BYTES;
use shoplens::ingest::parallel::{decode, encode};
use shoplens::ingest::{FileOptions, IngestOptions, Session};
use shoplens::report::{analyze, AnalyzeOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The report as JSON, the way callers receive it.
fn report_json(session: Session) -> serde_json::Value {
    let loaded = session.finish();
    let report = analyze(&loaded, &AnalyzeOptions::default()).expect("analyses run");
    serde_json::to_value(&report).expect("report serialises")
}

fn push_in_chunks(s: &mut Session, name: &str, bytes: &[u8], chunk: usize) -> bool {
    bytes.chunks(chunk).all(|c| s.push(name, c).is_ok())
}

fn one_pass(name: &str, bytes: &[u8]) -> serde_json::Value {
    let mut s = Session::new(IngestOptions::default());
    push_in_chunks(&mut s, name, bytes, 4096);
    let _ = s.end_file(name);
    report_json(s)
}

/// What reading `bytes` cut at `cuts` gave.
#[derive(Debug)]
enum Split {
    /// The report, from parts.
    Report(serde_json::Value),
    /// The file's start gave no continuation (header not mapped before the first cut, or a file
    /// that cannot be split): the caller reads it in one pass.
    NotSplittable,
    /// The file's start, up to the first cut, failed on its own (e.g. a cut before any data row:
    /// `no_data_rows`, or inside a quoted field: `unclosed_quote`).
    StartFailed(&'static str),
    /// A part failed: a part that ends inside a quoted field (`unclosed_quote`) was not cut at a
    /// record start.
    PartFailed(&'static str),
}

fn in_parts(name: &str, bytes: &[u8], cuts: &[usize]) -> Split {
    let mut main = Session::new(IngestOptions::default());
    push_in_chunks(&mut main, name, &bytes[..cuts[0]], 4096);
    // The page asks after its first 4 MiB; these files are smaller than the 64 KiB that decide the
    // encoding, so only the end of the first part settles it.
    if let Err(e) = main.end_file(name) {
        return Split::StartFailed(e.code());
    }
    let Some(continuation) = main.continuation(name) else {
        return Split::NotSplittable;
    };
    let mut bounds = cuts.to_vec();
    bounds.push(bytes.len());
    for range in bounds.windows(2) {
        let options = IngestOptions {
            files: [(
                name.to_string(),
                FileOptions {
                    continuation: Some(continuation.clone()),
                    size_bytes: Some((range[1] - range[0]) as u64),
                    ..FileOptions::default()
                },
            )]
            .into(),
            ..IngestOptions::default()
        };
        let mut part = Session::new(options);
        // Odd chunk sizes: parts see characters and records split across chunks too.
        push_in_chunks(&mut part, name, &bytes[range[0]..range[1]], 7);
        let part = match part.finish_part(name) {
            Ok(part) => part,
            Err(e) => return Split::PartFailed(e.code()),
        };
        let bytes = encode(&part);
        let decoded = decode(&bytes).expect("a part decodes");
        assert_eq!(
            encode(&decoded),
            bytes,
            "{name}: encode ∘ decode is the identity"
        );
        main.append_part(name, decoded)
            .expect("parts append in order");
    }
    Split::Report(report_json(main))
}

/// The outcomes that send a file to one pass: cuts inside a quoted field (Shopify's product
/// descriptions hold newlines); the detail export (宝贝报表), whose lines wait for another file's
/// orders.
fn refusable(split: &Split) -> bool {
    matches!(
        split,
        Split::StartFailed("unclosed_quote")
            | Split::PartFailed("unclosed_quote")
            | Split::NotSplittable
    )
}

/// `bytes` grown past `SNIFF_BYTES` + 12 KiB by repeating every line after the first: the same
/// export, longer (repeated order ids only add lines to their orders).
fn grow(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let body_start = out.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    let body = out[body_start..].to_vec();
    while out.len() < SNIFF_BYTES + (12 << 10) && !body.is_empty() {
        out.extend_from_slice(&body);
    }
    out
}

/// Byte offsets just after each `\n`, before the end.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    (0..bytes.len().saturating_sub(1))
        .filter(|&i| bytes[i] == b'\n')
        .map(|i| i + 1)
        .collect()
}

fn exports() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file() && !matches!(p.extension().and_then(|x| x.to_str()), Some("json" | "md"))
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, grow(&std::fs::read(&p).expect("readable fixture")))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_two_part_cut_gives_the_one_pass_report() {
    let mut merged = 0;
    for (name, bytes) in exports() {
        let want = one_pass(&name, &bytes);
        // 16 line starts spread over the 12 KiB past the first 64 KiB (every one would take
        // minutes in a debug build; the fuzz target `parts` tries any).
        let starts: Vec<usize> = line_starts(&bytes)
            .into_iter()
            .filter(|&c| c >= SNIFF_BYTES)
            .collect();
        let stride = starts.len().div_ceil(16).max(1);
        for &cut in starts.iter().step_by(stride) {
            match in_parts(&name, &bytes, &[cut]) {
                Split::Report(got) => {
                    merged += 1;
                    assert!(
                        got == want,
                        "{name} cut at byte {cut}: reports differ\n{}",
                        diff(&want, &got)
                    );
                }
                other => assert!(refusable(&other), "{name} cut at byte {cut}: {other:?}"),
            }
        }
    }
    // 20 exports, 16 cuts each, less the refused ones.
    assert!(merged > 250, "only {merged} cuts merged");
}

#[test]
fn three_and_four_parts_give_the_one_pass_report() {
    for (name, bytes) in exports() {
        let want = one_pass(&name, &bytes);
        let starts: Vec<usize> = line_starts(&bytes)
            .into_iter()
            .filter(|&c| c >= SNIFF_BYTES)
            .collect();
        for parts in [3, 4] {
            if starts.len() < parts * 2 {
                continue;
            }
            let cuts: Vec<usize> = (0..parts - 1)
                .map(|k| starts[starts.len() * k / parts])
                .collect();
            match in_parts(&name, &bytes, &cuts) {
                Split::Report(got) => assert!(
                    got == want,
                    "{name} in {parts} parts: reports differ\n{}",
                    diff(&want, &got)
                ),
                other => assert!(refusable(&other), "{name} in {parts} parts: {other:?}"),
            }
        }
    }
}

#[test]
fn a_cut_inside_a_quoted_field_is_refused() {
    let mut text = String::from(
        "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间,收货地址\n",
    );
    for i in 0..1_000 {
        text.push_str(&format!(
            "{},tb_{i},10.00,交易成功,2024-03-01 10:00:00,2024-03-01 10:05:00,上海\n",
            1_000 + i
        ));
    }
    text.push_str(
        "9001,tb_a,10.00,交易成功,2024-03-01 10:00:00,2024-03-01 10:05:00,\"杭州\n西湖区\"\n",
    );
    text.push_str("9002,tb_b,20.00,交易成功,2024-03-02 10:00:00,2024-03-02 10:05:00,上海\n");
    let bytes = text.as_bytes();
    assert!(bytes.len() > SNIFF_BYTES);
    let inside = text.find("西湖区").unwrap();
    assert!(matches!(
        in_parts("q.csv", bytes, &[inside]),
        Split::StartFailed("unclosed_quote")
    ));
    // The same file cut at a true record start merges.
    let record = text.find("9002").unwrap();
    match in_parts("q.csv", bytes, &[record]) {
        Split::Report(got) => assert_eq!(got, one_pass("q.csv", bytes)),
        other => panic!("cut at a record start: {other:?}"),
    }
}

#[test]
fn a_start_shorter_than_the_sniffed_head_is_not_cut() {
    // One pass decides the encoding on the first 64 KiB; a shorter start could decide otherwise
    // (here: NUL bytes after it make the whole file binary).
    let mut text = "订单编号,买家实际支付金额,订单创建时间\n1,10.00,2024-03-01 10:00:00\n"
        .as_bytes()
        .to_vec();
    let cut = text.len();
    text.extend_from_slice(b"2,\0\0\0,2024-03-01 10:00:00\n");
    assert!(matches!(
        in_parts("n.csv", &text, &[cut]),
        Split::NotSplittable
    ));
    assert_eq!(
        one_pass("n.csv", &text)["loads"][0]["error"]["code"],
        "binary_input"
    );
}

#[test]
fn bytes_that_are_not_a_part_are_an_error() {
    assert!(decode(b"").is_err());
    assert!(decode(b"SLPART02").is_err());
    let mut main = Session::new(IngestOptions::default());
    let text =
        grow("订单编号,买家实际支付金额,订单创建时间\n1,10.00,2024-03-01 10:00:00\n".as_bytes());
    main.push("a.csv", &text).unwrap();
    main.end_file("a.csv").unwrap();
    let err = main.append_encoded_part("a.csv", b"garbage").unwrap_err();
    assert_eq!(err.code(), "bad_part");
    // Truncated parts fail to decode, at every length.
    let mut part = Session::new(IngestOptions {
        files: [(
            "a.csv".to_string(),
            FileOptions {
                continuation: main.continuation("a.csv"),
                ..FileOptions::default()
            },
        )]
        .into(),
        ..IngestOptions::default()
    });
    part.push("a.csv", b"2,20.00,2024-03-02 10:00:00\n")
        .unwrap();
    let bytes = encode(&part.finish_part("a.csv").unwrap());
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len]).is_err(), "truncated to {len} bytes");
    }
}

/// The first differing paths of two JSON values, for a readable failure.
fn diff(want: &serde_json::Value, got: &serde_json::Value) -> String {
    fn walk(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
        use serde_json::Value::{Array, Object};
        if out.len() > 8 || a == b {
            return;
        }
        match (a, b) {
            (Object(x), Object(y)) => {
                for (k, v) in x {
                    walk(
                        &format!("{path}.{k}"),
                        v,
                        y.get(k).unwrap_or(&serde_json::Value::Null),
                        out,
                    );
                }
            }
            (Array(x), Array(y)) if x.len() == y.len() => {
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    walk(&format!("{path}[{i}]"), v, w, out);
                }
            }
            _ => out.push(format!("{path}: want {a}, got {b}")),
        }
    }
    let mut out = Vec::new();
    walk("", want, got, &mut out);
    out.join("\n")
}

#[test]
fn event_ids_present_and_absent_survive_the_part_format() {
    // Event ids travel as plain u32s with u32::MAX for "none" (no presence bitmap): a part whose
    // events lack brands on some rows must decode to the same columns, none included.
    let header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";
    let first = "2019-10-01 00:00:00 UTC,view,1004856,2053013555631882655,electronics.smartphone,samsung,130.76,541312140,s1\n";
    let mut main = Session::new(IngestOptions::default());
    main.push("e.csv", &grow(format!("{header}{first}").as_bytes()))
        .unwrap();
    main.end_file("e.csv").unwrap();
    let mut session = Session::new(IngestOptions {
        files: [(
            "e.csv".to_string(),
            FileOptions {
                continuation: main.continuation("e.csv"),
                ..FileOptions::default()
            },
        )]
        .into(),
        ..IngestOptions::default()
    });
    let rest = "2019-10-01 00:01:00 UTC,view,1005115,2053013555631882655,,,811.13,541312140,s1\n\
                2019-10-01 00:02:00 UTC,cart,1004856,2053013555631882655,electronics.smartphone,samsung,130.76,541312140,s1\n\
                2019-10-01 00:03:00 UTC,purchase,26401283,2053013563651392361,,lucente,89.81,519107250,s2\n";
    session.push("e.csv", rest.as_bytes()).unwrap();
    let part = session.finish_part("e.csv").unwrap();
    let sent = &part.dataset.events;
    assert_eq!(sent.len(), 3);
    assert!(sent.brand.iter().any(|b| b.get().is_none()));
    assert!(sent.brand.iter().any(|b| b.get().is_some()));
    let received = decode(&encode(&part)).unwrap();
    let got = &received.dataset.events;
    assert_eq!(
        (&got.user, &got.name, &got.time),
        (&sent.user, &sent.name, &sent.time)
    );
    let names = |d: &shoplens::model::Dataset| -> Vec<String> {
        d.event_names.iter().map(|(_, n)| n.to_string()).collect()
    };
    assert_eq!(names(&received.dataset), names(&part.dataset));
    assert_eq!(
        (&got.item, &got.category, &got.brand),
        (&sent.item, &sent.category, &sent.brand)
    );
}

#[test]
fn order_exports_without_ids_or_times_are_not_cut() {
    // Found by the fuzz target `parts`: without order ids, orders are named by their line; without
    // times, a paid order's row is kept only when the order began on an earlier row. A part knows
    // neither its lines' numbers in the file nor the orders before it.
    let no_ids = grow("买家会员名,买家实际支付金额,订单状态,订单创建时间\ntb_a,10.00,交易成功,2024-03-01 10:00:00\n".as_bytes());
    let no_times = grow(
        "订单编号,商品标题,购买数量,订单状态,商家编码\n1001,纯棉短袖T恤,2,交易成功,TS-1001\n"
            .as_bytes(),
    );
    for (name, bytes) in [("no_ids.csv", no_ids), ("no_times.csv", no_times)] {
        let cut = line_starts(&bytes)
            .into_iter()
            .find(|&c| c > SNIFF_BYTES)
            .unwrap();
        assert!(
            matches!(in_parts(name, &bytes, &[cut]), Split::NotSplittable),
            "{name}"
        );
    }
}

#[test]
fn event_names_first_seen_in_later_parts_merge_as_one_pass() {
    // A site-vocabulary clickstream: the first 64 KiB use four names; each later part brings
    // names of its own (and the first part's names again), so parts intern names in different
    // orders and the merge must renumber them as one pass would.
    let mut text = String::from("user_id,event_type,product_id,event_time\n");
    let mut line = 0;
    let mut add = |text: &mut String, names: &[&str]| {
        let name = names[line % names.len()];
        text.push_str(&format!(
            "U{},{name},P{},2024-03-{:02} {:02}:{:02}:00\n",
            line % 97,
            line % 13,
            1 + line % 20,
            line % 24,
            line % 60
        ));
        line += 1;
    };
    while text.len() < SNIFF_BYTES + 1024 {
        add(
            &mut text,
            &["home", "product_view", "add_to_cart", "purchase"],
        );
    }
    let first_cut = text.len();
    for _ in 0..200 {
        add(
            &mut text,
            &["search", "product_view", "checkout", "Order Completed"],
        );
    }
    let second_cut = text.len();
    for _ in 0..200 {
        add(&mut text, &["login", "home", "加购", "purchase"]);
    }
    let bytes = text.into_bytes();
    let want = one_pass("site.csv", &bytes);
    let names = &want["funnel"]["data"]["event_names"];
    assert_eq!(names.as_array().map(Vec::len), Some(9), "{names}");
    assert_eq!(want["loads"][0]["rows_rejected"], 0);
    match in_parts("site.csv", &bytes, &[first_cut, second_cut]) {
        Split::Report(got) => assert!(got == want, "reports differ\n{}", diff(&want, &got)),
        other => panic!("not merged: {other:?}"),
    }
}

/// Replays a `parts` fuzz finding kept in `fuzz/regressions/`: the input grown and cut at a line
/// start as the fuzz target does, read in parts, must give the one-pass report.
fn replay_parts_regression(name: &str) {
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(name);
    let data = std::fs::read(input).expect("regression input");
    let (&control, body) = data.split_first().expect("input");
    // As the fuzz target grows and cuts it.
    let first_line = body.iter().position(|&b| b == b'\n').expect("a line");
    let rest = &body[first_line + 1..];
    let mut file = body.to_vec();
    while file.len() < SNIFF_BYTES + 2 * body.len() {
        file.extend_from_slice(rest);
    }
    let from = SNIFF_BYTES + rest.len() * usize::from(control) / 128;
    let cut = from
        + file[from..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a line start")
        + 1;
    let want = one_pass("a.csv", &file);
    match in_parts("a.csv", &file, &[cut]) {
        Split::Report(got) => assert!(got == want, "{}", diff(&want, &got)),
        other => panic!("the file should split: {other:?}"),
    }
}

/// Found by the `parts` fuzz target (third session): a WooCommerce Analytics export, its rows
/// repeated, with one corrupted row. The sample's grain decision read the paid amount as per line
/// (a shifted row made one order's amounts differ), which packed lines ignore in one pass but the
/// merge of parts obeyed: every order counted twice in parts. Packed lines are one row per order,
/// so they take no grain, and ragged rows take no part in the decision.
#[test]
fn packed_items_with_repeated_rows_merge_as_one_pass() {
    replay_parts_regression("parts-packed-items-grain");
}

/// The `parts` target's open finding of the second session (`fuzz/regressions/parts-invalid-utf8-rejections`):
/// a UTF-8 order export whose header holds an invalid byte and whose time cells hold U+FFFD, written
/// as valid UTF-8. One pass rejected those rows as `invalid_encoding` only because the decoder had
/// met the header's bad byte (a flag for the whole file); a later part, read on its own, had not, and
/// rejected its two as `invalid_time` (85 against 87). Now a record is checked by its own bytes.
#[test]
fn invalid_utf8_cells_in_parts_are_rejected_as_in_one_pass() {
    replay_parts_regression("parts-invalid-utf8-rejections");
}

/// A part carries a fingerprint of how its tables were declared (every column's name and type):
/// one from tables declared otherwise (another build, a column added) is refused.
#[test]
fn a_part_of_tables_declared_otherwise_is_refused() {
    let name = "tianchi_userbehavior.csv";
    let bytes = grow(&std::fs::read(fixtures().join(name)).unwrap());
    let start = line_starts(&bytes)
        .into_iter()
        .find(|&s| s > SNIFF_BYTES)
        .unwrap();
    let mut main = Session::new(IngestOptions::default());
    push_in_chunks(&mut main, name, &bytes[..start], 4096);
    main.end_file(name).unwrap();
    let continuation = main.continuation(name).expect("splittable");
    let options = IngestOptions {
        files: [(
            name.to_string(),
            FileOptions {
                continuation: Some(continuation),
                ..FileOptions::default()
            },
        )]
        .into(),
        ..IngestOptions::default()
    };
    let mut part = Session::new(options);
    push_in_chunks(&mut part, name, &bytes[start..], 4096);
    let mut encoded = encode(&part.finish_part(name).unwrap());
    assert!(decode(&encoded).is_ok());
    // The fingerprint follows the 8-byte magic.
    encoded[8] ^= 1;
    assert_eq!(
        decode(&encoded).unwrap_err().0,
        "a part of tables declared otherwise"
    );
}
