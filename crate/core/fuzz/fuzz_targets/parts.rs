//! Fuzz parallel reading: arbitrary bytes (grown past 64 KiB) read as one file in one pass, and
//! again cut at a line start into a start and a part (read with the start's continuation, handed over as bytes and
//! appended). Either the cut is refused (a part ends inside quotes) or the report equals the
//! one-pass report exactly. Bytes that are not a part must be an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shoplens::ingest::decode::SNIFF_BYTES;
use shoplens::ingest::parallel::{decode, encode};
use shoplens::ingest::{FileOptions, IngestOptions, Session};
use shoplens::report::{analyze, AnalyzeOptions};

const NAME: &str = "a.csv";

fn report(session: Session) -> serde_json::Value {
    let loaded = session.finish();
    let report = analyze(&loaded, &AnalyzeOptions::default()).expect("analyses run");
    serde_json::to_value(&report).expect("report serialises")
}

/// The first paths where two reports differ, for a readable failure.
fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value::{Array, Object};
    if a == b || out.len() > 6 {
        return;
    }
    match (a, b) {
        (Object(x), Object(y)) => {
            for (k, v) in x {
                diff(&format!("{path}.{k}"), v, y.get(k).unwrap_or(&serde_json::Value::Null), out);
            }
        }
        (Array(x), Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), v, w, out);
            }
        }
        _ => out.push(format!("{path}: one pass {b}, in parts {a}")),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, body)) = data.split_first() else {
        return;
    };
    if control & 0x80 != 0 {
        // Arbitrary bytes offered as a part of a real file.
        let mut s = Session::new(IngestOptions::default());
        let _ = s.push(NAME, "订单编号,买家实际支付金额,订单创建时间\n1,10.00,2024-03-01 10:00:00\n".as_bytes());
        let _ = s.end_file(NAME);
        let _ = s.append_encoded_part(NAME, body);
        let _ = decode(body);
        return;
    }
    // The file: the input grown past the 64 KiB that decide the encoding by repeating its lines
    // after the first (a start is only cut after those), then cut at the first line start at or
    // after 64 KiB plus the share `control` / 128 of the input.
    let Some(first_line) = body.iter().position(|&b| b == b'\n') else {
        return;
    };
    let rest = &body[first_line + 1..];
    if rest.is_empty() {
        return;
    }
    let mut file = body.to_vec();
    while file.len() < SNIFF_BYTES + 2 * body.len() {
        file.extend_from_slice(rest);
    }
    let body = &file[..];
    let from = SNIFF_BYTES + rest.len() * usize::from(control) / 128;
    let Some(cut) = body[from..].iter().position(|&b| b == b'\n').map(|i| from + i + 1) else {
        return;
    };
    if cut >= body.len() {
        return;
    }
    let mut whole = Session::new(IngestOptions::default());
    if whole.push(NAME, body).is_ok() {
        let _ = whole.end_file(NAME);
    }
    let want = report(whole);

    let mut start = Session::new(IngestOptions::default());
    if start.push(NAME, &body[..cut]).is_err() || start.end_file(NAME).is_err() {
        return;
    }
    let Some(continuation) = start.continuation(NAME) else {
        return;
    };
    let mut options = IngestOptions::default();
    options.files.insert(
        NAME.to_string(),
        FileOptions {
            continuation: Some(continuation),
            ..FileOptions::default()
        },
    );
    let mut rest = Session::new(options);
    let _ = rest.push(NAME, &body[cut..]);
    let Ok(part) = rest.finish_part(NAME) else {
        return;
    };
    let part = decode(&encode(&part)).expect("a part decodes");
    start.append_part(NAME, part).expect("the part appends");
    let got = report(start);
    let mut differences = Vec::new();
    diff("", &got, &want, &mut differences);
    assert!(differences.is_empty(), "cut at byte {cut}:\n{}", differences.join("\n"));
});
