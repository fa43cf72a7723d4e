//! Print what recognition made of export files: kind, platform, each column's role with its
//! source, confidence and evidence, the decisions and the rows used and rejected.
//!
//! ```text
//! cargo run -p shoplens --example recognize -- FILE...
//! ```

use shoplens::ingest::{IngestOptions, Session};

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut session = Session::new(IngestOptions::default());
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let _ = session.push(path, &bytes);
        let _ = session.end_file(path);
    }
    for r in session.finish().reports {
        println!(
            "{}: {:?} {:?} rows {}/{} used, error {:?}",
            r.file,
            r.kind,
            r.platform,
            r.rows_used,
            r.rows_read,
            r.error.as_ref().map(|e| e.code())
        );
        for c in &r.columns {
            let role = c.field.map_or("-", |f| f.code());
            let dup = c
                .duplicate_of
                .map_or(String::new(), |d| format!(" (dup of {d})"));
            let doubt = if c.doubtful { " ?" } else { "" };
            println!(
                "  {:>2} {:<28} {:<14}{dup}{doubt} {:?} {:.2}  {}",
                c.index, c.header, role, c.source, c.confidence, c.evidence
            );
        }
        println!("  decisions: {:?}", r.decisions);
        for x in &r.rejected {
            println!("  rejected {} × {}: {}", x.count, x.code, x.message);
        }
        for n in &r.notes {
            println!("  note {}: {}", n.code, n.message);
        }
    }
}
