//! The A/B statistics of the report (DEFINITIONS §9) for tables given on stdin, one per line as
//! `x_a n_a x_b n_b`; prints one JSON `AbStats` per line. Used by the independent check
//! (tests/independent/check_ab.py), which recomputes them with Python's standard library.
//!
//! ```text
//! echo "48 80 56 70" | cargo run -p shoplens --example ab_readout
//! ```

use std::io::{BufRead, Write};

use shoplens::analysis::ab::readout;

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.unwrap_or_else(|e| fail(&e.to_string()));
        if line.trim().is_empty() {
            continue;
        }
        let v: Vec<u64> = line
            .split_whitespace()
            .map(|s| {
                s.parse()
                    .unwrap_or_else(|_| fail(&format!("not a count: {s}")))
            })
            .collect();
        let [xa, na, xb, nb] = v[..] else {
            fail(&format!("want 4 counts: {line}"));
        };
        let stats = readout(xa, na, xb, nb);
        let json = serde_json::to_string(&stats).unwrap_or_else(|e| fail(&e.to_string()));
        writeln!(out, "{json}").unwrap_or_else(|e| fail(&e.to_string()));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("ab_readout: {msg}");
    std::process::exit(2)
}
