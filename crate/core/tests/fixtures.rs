//! Every fixture under `tests/fixtures/` is loaded and compared with `tests/fixtures/expected.json`,
//! whose figures the fixture generator computed from its own records (not by parsing the files back).
//! Each file is also pushed in several chunk sizes, including 1 byte, and must load identically.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use shoplens::ingest::{IngestOptions, Loaded, Session};
use shoplens::model::{DatasetKind, EventType, PayState};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn load_chunked(name: &str, bytes: &[u8], chunk: usize) -> Loaded {
    let mut s = Session::new(IngestOptions::default());
    for c in bytes.chunks(chunk.max(1)) {
        if s.push(name, c).is_err() {
            break;
        }
    }
    let _ = s.end_file(name);
    s.finish()
}

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).expect("expected.json");
    match serde_json::from_str(&text).expect("valid json") {
        Value::Object(m) => m,
        _ => panic!("expected.json is an object"),
    }
}

/// The figures a fixture's expectations talk about, computed from the loaded tables.
fn summary(l: &Loaded) -> Value {
    let ds = &l.dataset;
    let r = &l.reports[0];
    let o = &ds.orders;
    let paid: Vec<usize> = (0..o.len())
        .filter(|&i| o.state[i] == PayState::Paid)
        .collect();
    let buyers: BTreeSet<u32> = paid.iter().filter_map(|&i| o.customer[i]).collect();
    let paid_set: BTreeSet<usize> = paid.iter().copied().collect();
    let units: i64 = (0..ds.lines.len())
        .filter(|&i| paid_set.contains(&(ds.lines.order[i] as usize)))
        .map(|i| ds.lines.quantity[i])
        .sum();
    let meanings = shoplens::analysis::funnel::event_meanings(ds);
    let distinct = |k: EventType| -> usize {
        let e = &ds.events;
        (0..e.len())
            .filter(|&i| meanings[usize::from(e.name[i])] == Some(k))
            .map(|i| e.user[i])
            .collect::<BTreeSet<_>>()
            .len()
    };
    let sum = |v: &[Option<i64>]| -> i64 { v.iter().flatten().sum() };
    let sum_or_null = |v: &[Option<i64>]| -> Value {
        if v.iter().all(Option::is_none) {
            Value::Null
        } else {
            Value::from(sum(v))
        }
    };
    let skipped: u64 = r.skipped.iter().map(|s| s.count).sum();
    let mut out = serde_json::json!({
        "kind": r.kind,
        "platform": r.platform,
        "encoding": r.encoding.as_deref().map(|e| e.trim_end_matches("-bom")),
        "bom": r.encoding.as_deref().is_some_and(|e| e.ends_with("-bom")),
        "delimiter": match r.delimiter.as_deref() { Some("tab") => "\t", Some("semicolon") => ";", Some("pipe") => "|", _ => "," },
        "data_rows": r.rows_read,
        "skipped_lines": skipped,
    });
    let extra = match r.kind {
        Some(DatasetKind::Orders | DatasetKind::OrderLines) => serde_json::json!({
            "orders": o.len(),
            "paid_orders": paid.len(),
            "gmv_cents": paid.iter().map(|&i| o.paid_amount[i]).sum::<i64>(),
            "refunds_cents": if paid.iter().all(|&i| o.refund[i] == 0) && !r.columns.iter().any(|c| c.field == Some(shoplens::schema::field::Field::RefundAmount)) { Value::Null } else { Value::from(paid.iter().map(|&i| o.refund[i]).sum::<i64>()) },
            "buyers": if ds.has_customers { Value::from(buyers.len()) } else { Value::Null },
            "units": if ds.lines.is_empty() { Value::Null } else { Value::from(units) },
        }),
        Some(DatasetKind::Events) => serde_json::json!({
            "first_event": ds.events.time.iter().min().map(|&t| shoplens::time::format_time(t)),
            "last_event": ds.events.time.iter().max().map(|&t| shoplens::time::format_time(t)),
            "events": ds.events.len(),
            "users": ds.events.user.iter().collect::<BTreeSet<_>>().len(),
            "distinct_counts": {
                "view": distinct(EventType::View), "fav": distinct(EventType::Fav),
                "cart": distinct(EventType::Cart), "purchase": distinct(EventType::Purchase),
            },
        }),
        Some(DatasetKind::Traffic) => {
            let days: BTreeSet<i32> = ds.traffic.day.iter().flatten().copied().collect();
            serde_json::json!({
                "days": if days.is_empty() { Value::Null } else { Value::from(days.len()) },
                "visitors_sum": sum_or_null(&ds.traffic.visitors),
                "buyers_sum": sum_or_null(&ds.traffic.buyers),
                "paid_amount_cents": sum_or_null(&ds.traffic.paid_amount),
                "units_sum": sum_or_null(&ds.traffic.units),
                "products": ds.traffic.product.iter().flatten().collect::<BTreeSet<_>>().len(),
            })
        }
        Some(DatasetKind::Ads) => serde_json::json!({
            "impressions": sum(&ds.ads.impressions),
            "clicks": sum(&ds.ads.clicks),
            "spend_cents": sum(&ds.ads.spend),
            "sales_cents": sum(&ds.ads.sales),
            "orders": sum(&ds.ads.orders),
            "days": ds.ads.day.iter().flatten().collect::<BTreeSet<_>>().len(),
        }),
        Some(DatasetKind::Products) => serde_json::json!({
            "products": ds.products.len(),
            "with_cost": ds.product_info.iter().filter(|p| p.cost.is_some()).count(),
            "stock_sum": ds.product_info.iter().filter_map(|p| p.stock).sum::<i64>(),
        }),
        None => Value::Null,
    };
    if let (Value::Object(o), Value::Object(e)) = (&mut out, extra) {
        o.extend(e);
    }
    out
}

fn encoding_matches(want: &str, got: &str) -> bool {
    let fold = |s: &str| match s.to_ascii_lowercase().as_str() {
        "gbk" | "gb2312" | "gb18030" => "gb18030".to_string(),
        "utf-8-sig" | "utf-8-bom" | "utf8-bom" => "utf-8-bom".to_string(),
        other => other.to_string(),
    };
    fold(want) == fold(got)
}

#[test]
fn every_good_fixture_loads_as_expected_in_any_chunking() {
    let mut checked = 0;
    for (file, want) in expected() {
        if file.starts_with("bad/") || file.starts_with("containers/") {
            continue;
        }
        let bytes = std::fs::read(fixtures().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let whole = load_chunked(&file, &bytes, bytes.len());
        let r = &whole.reports[0];
        assert!(r.error.is_none(), "{file}: {:?}", r.error);
        assert_eq!(
            r.rows_read,
            r.rows_used + r.rows_rejected,
            "{file}: every row used or rejected"
        );
        // Rejections a fixture expects are listed under `rejected`; any other is a failure.
        let want_rejected: u64 = want["rejected"]
            .as_object()
            .map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
        assert_eq!(
            r.rows_rejected, want_rejected,
            "{file}: rejected {:?}",
            r.rejected
        );
        for (code, n) in want["rejected"].as_object().into_iter().flatten() {
            let reason = shoplens::ReasonCode::from_code(code)
                .unwrap_or_else(|| panic!("{file}: {code} is not a reason code"));
            assert_eq!(Some(r.rejected_count(reason)), n.as_u64(), "{file}: {code}");
        }
        let got = summary(&whole);
        for (key, want_v) in want.as_object().expect("object") {
            // `notes` is prose; funnel figures are checked by the funnel tests.
            if matches!(
                key.as_str(),
                "notes" | "sequential_counts" | "rejected" | "merged_with_taobao_orders_gbk"
            ) {
                continue;
            }
            let got_v = got
                .get(key.as_str())
                .unwrap_or_else(|| panic!("{file}: no figure for {key}"));
            if key == "encoding" {
                let (w, g) = (want_v.as_str().unwrap_or(""), got_v.as_str().unwrap_or(""));
                assert!(encoding_matches(w, g), "{file}: encoding {w} vs {g}");
            } else {
                assert_eq!(got_v, want_v, "{file}: {key}");
            }
        }
        for chunk in [1usize, 7, 4096] {
            let again = load_chunked(&file, &bytes, chunk);
            assert_eq!(
                summary(&again),
                got,
                "{file}: chunk size {chunk} changes the result"
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} good fixtures were checked");
}

#[test]
fn every_bad_fixture_gets_its_error_or_rejection_with_a_position() {
    let mut checked = 0;
    for (file, want) in expected() {
        if !file.starts_with("bad/") {
            continue;
        }
        let bytes = std::fs::read(fixtures().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let l = load_chunked(&file, &bytes, 1000);
        let r = &l.reports[0];
        let code = want["code"].as_str().expect("code");
        match want["expect"].as_str() {
            Some("error") => {
                let e = r
                    .error
                    .as_ref()
                    .unwrap_or_else(|| panic!("{file}: no error, report {r:?}"));
                assert_eq!(e.code(), code, "{file}: {e:?}");
                assert_eq!(e.file, file);
                // A binary file has no lines to point at.
                if let (Some(line), false) = (
                    want.get("line").and_then(Value::as_u64),
                    code == "binary_input",
                ) {
                    assert_eq!(e.line, Some(line), "{file}: error line");
                }
                if let Some(col) = want.get("column").and_then(Value::as_str) {
                    assert_eq!(e.column.as_deref(), Some(col), "{file}: error column");
                }
            }
            Some("rejections") => {
                assert!(r.error.is_none(), "{file}: {:?}", r.error);
                let reason = r
                    .rejected
                    .iter()
                    .find(|x| x.code == code)
                    .unwrap_or_else(|| panic!("{file}: no {code} rejection in {:?}", r.rejected));
                if let Some(line) = want.get("line").and_then(Value::as_u64) {
                    assert!(
                        reason.examples.iter().any(|e| e.line == line),
                        "{file}: {code} not at line {line}: {:?}",
                        reason.examples
                    );
                }
                if let Some(col) = want.get("column").and_then(Value::as_str) {
                    assert!(
                        reason
                            .examples
                            .iter()
                            .any(|e| e.column.as_deref() == Some(col)),
                        "{file}: {code} not in column {col}: {:?}",
                        reason.examples
                    );
                }
                assert_eq!(r.rows_read, r.rows_used + r.rows_rejected, "{file}");
                if let Some(good) = want.get("good_rows").and_then(Value::as_u64) {
                    assert_eq!(
                        r.rows_used, good,
                        "{file}: rows used; rejected {:?}",
                        r.rejected
                    );
                }
                for line in want
                    .get("lines")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let line = line.as_u64().expect("line number");
                    assert!(
                        reason.examples.iter().any(|e| e.line == line),
                        "{file}: line {line} not rejected as {code}"
                    );
                }
                for p in want
                    .get("problems")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let (pc, pl) = (
                        p["code"].as_str().expect("code"),
                        p["line"].as_u64().expect("line"),
                    );
                    let found = r
                        .rejected
                        .iter()
                        .filter(|x| x.code == pc)
                        .flat_map(|x| &x.examples)
                        .find(|e| e.line == pl);
                    let found = found.unwrap_or_else(|| {
                        panic!("{file}: no {pc} at line {pl}: {:?}", r.rejected)
                    });
                    assert_eq!(
                        found.column.as_deref(),
                        p["column"].as_str(),
                        "{file}: {pc} column"
                    );
                }
            }
            other => panic!("{file}: unknown expectation {other:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} bad fixtures were checked");
}

#[test]
fn taobao_order_report_and_item_report_merge_without_double_lines() {
    let dir = fixtures();
    let (a, b) = ("taobao_orders_gbk.csv", "taobao_items_utf8bom.csv");
    let want = &expected()[b]["merged_with_taobao_orders_gbk"];
    // Either order of files gives the same result: detail lines wait for their orders.
    for files in [[a, b], [b, a]] {
        let mut s = Session::new(IngestOptions::default());
        for f in files {
            s.push(f, &std::fs::read(dir.join(f)).expect("fixture"))
                .expect("push");
        }
        let l = s.finish();
        let items = l.reports.iter().find(|r| r.file == b).expect("item report");
        assert_eq!(items.kind, Some(DatasetKind::OrderLines));
        assert_eq!(items.rows_rejected, 0, "{:?}", items.rejected);
        assert_eq!(Value::from(items.rows_used), want["lines_attached"]);
        // Every line now comes from the item report: the order report's one-line summaries are gone.
        assert_eq!(Value::from(l.dataset.lines.len()), want["lines_attached"]);
        let ds = &l.dataset;
        let units: i64 = (0..ds.lines.len())
            .filter(|&i| ds.orders.is_paid(ds.lines.order[i] as usize))
            .map(|i| ds.lines.quantity[i])
            .sum();
        assert_eq!(Value::from(units), want["units"]);
    }
}

#[test]
fn workbooks_and_zip_archives_load_each_part_as_a_file() {
    let mut checked = 0;
    for (file, want) in expected() {
        if !file.starts_with("containers/") {
            continue;
        }
        let bytes = std::fs::read(fixtures().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let l = load_chunked(&file, &bytes, 1000);
        let container = &l.reports[0];
        assert!(container.error.is_none(), "{file}: {:?}", container.error);
        let parts: Vec<&str> = l.reports[1..].iter().map(|r| r.file.as_str()).collect();
        let want_parts: Vec<&str> = want["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(parts, want_parts, "{file}: parts");
        for r in &l.reports[1..] {
            assert!(r.error.is_none(), "{}: {:?}", r.file, r.error);
            assert_eq!(r.rows_rejected, 0, "{}: {:?}", r.file, r.rejected);
        }
        let ds = &l.dataset;
        let paid: Vec<usize> = (0..ds.orders.len())
            .filter(|&o| ds.orders.is_paid(o))
            .collect();
        let sum = |v: &[Option<i64>]| -> i64 { v.iter().flatten().sum() };
        let got = serde_json::json!({
            "paid_orders": paid.len(),
            "gmv_cents": paid.iter().map(|&o| ds.orders.paid_amount[o]).sum::<i64>(),
            "refunds_cents": paid.iter().map(|&o| ds.orders.refund[o]).sum::<i64>(),
            "buyers": paid.iter().filter_map(|&o| ds.orders.customer[o]).collect::<BTreeSet<_>>().len(),
            "lines": ds.lines.len(),
            "units": (0..ds.lines.len()).filter(|&i| ds.orders.is_paid(ds.lines.order[i] as usize)).map(|i| ds.lines.quantity[i]).sum::<i64>(),
            "impressions": sum(&ds.ads.impressions),
            "clicks": sum(&ds.ads.clicks),
            "spend_cents": sum(&ds.ads.spend),
            "sales_cents": sum(&ds.ads.sales),
        });
        for (key, v) in want.as_object().expect("object") {
            if matches!(key.as_str(), "expect" | "parts" | "notes") {
                continue;
            }
            assert_eq!(&got[key.as_str()], v, "{file}: {key}");
        }
        checked += 1;
    }
    assert_eq!(checked, 2, "container fixtures checked");
}
