//! Analyse export files natively and print the report as JSON: the engine without the browser,
//! for scripts and independent checks.
//!
//! ```text
//! cargo run --release -p shoplens --example analyze -- [--options '{"cohort":{"grain":"week"}}'] FILE...
//! ```
//! Files are streamed in 1 MiB chunks, as the page streams them.

use std::io::Read;

use shoplens::ingest::Session;
use shoplens::report::{analyze, AnalyzeOptions};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = AnalyzeOptions::default();
    if let Some(i) = args.iter().position(|a| a == "--options") {
        let json = args.get(i + 1).cloned().unwrap_or_default();
        options = serde_json::from_str(&json).unwrap_or_else(|e| fail(&format!("--options: {e}")));
        args.drain(i..=i + 1);
    }
    if args.is_empty() {
        fail("usage: analyze [--options JSON] FILE...");
    }
    let mut session = Session::new(options.ingest.clone());
    let mut buf = vec![0u8; 1 << 20];
    for path in &args {
        let mut f = std::fs::File::open(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        loop {
            let n = f
                .read(&mut buf)
                .unwrap_or_else(|e| fail(&format!("{path}: {e}")));
            if n == 0 || session.push(path, &buf[..n]).is_err() {
                break;
            }
        }
        // Errors are kept in the file's load report.
        let _ = session.end_file(path);
    }
    let loaded = session.finish();
    let report = analyze(&loaded, &options).unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "{}",
        serde_json::to_string(&report).unwrap_or_else(|e| fail(&e.to_string()))
    );
}

fn fail(msg: &str) -> ! {
    eprintln!("analyze: {msg}");
    std::process::exit(2)
}
