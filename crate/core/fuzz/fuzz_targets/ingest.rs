//! Fuzz the whole ingest entry point: arbitrary bytes, cut into chunks at arbitrary places, pushed
//! into a session as one or two files, then analysed. Nothing may panic or hang, and every row
//! read must be used or rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shoplens::ingest::{IngestOptions, Session};
use shoplens::report::{analyze, AnalyzeOptions};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the chunk size (1–64) and whether the input is split into two files.
    let Some((&control, body)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(control & 0x3f) + 1;
    let (a, b) = if control & 0x40 != 0 {
        body.split_at(body.len() / 2)
    } else {
        (body, &[][..])
    };
    let mut session = Session::new(IngestOptions::default());
    for (name, bytes) in [("a.csv", a), ("b.csv", b)] {
        if bytes.is_empty() && name == "b.csv" {
            continue;
        }
        for c in bytes.chunks(chunk) {
            if session.push(name, c).is_err() {
                break;
            }
        }
        let _ = session.end_file(name);
    }
    let loaded = session.finish();
    for r in &loaded.reports {
        assert_eq!(r.rows_read, r.rows_used + r.rows_rejected, "{r:?}");
    }
    let _ = analyze(&loaded, &AnalyzeOptions::default());
});
