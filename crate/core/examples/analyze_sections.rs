//! Where `report::analyze` spends its time: loads the files once, then runs each section's
//! `compute` alone, several times, and prints the least CPU time of this thread for each (CPU
//! time, not wall time, so that a busy machine does not move the figures much).
//!
//! ```text
//! cargo run --release -p shoplens --example analyze_sections -- bench/data/narrow-1m.csv
//! SHOPLENS_RUNS=5 …   runs per section (default 3)
//! ```

use std::io::Read;

use shoplens::analysis::{
    ab, alerts, breakdown, cohort, funnel, kpi, products, promotion, rfm, stock,
};
use shoplens::ingest::{IngestOptions, Session};
use shoplens::report::{analyze, AnalyzeOptions};

/// Nanoseconds this thread has spent on a CPU (Linux: `/proc/thread-self/schedstat`).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// One section's computation, its result dropped.
type Section<'a> = Box<dyn Fn() + 'a>;

fn least(runs: usize, f: &dyn Fn()) -> f64 {
    (0..runs)
        .map(|_| {
            let start = cpu_ns();
            f();
            (cpu_ns() - start) as f64 / 1e9
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = std::env::var("SHOPLENS_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut session = Session::new(IngestOptions::default());
    let mut buf = vec![0u8; 4 << 20];
    for path in &files {
        let mut f = std::fs::File::open(path).expect("open");
        loop {
            let n = f.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            session.push(path, &buf[..n]).expect("push");
        }
        session.end_file(path).expect("end");
    }
    let loaded = session.finish();
    let ds = &loaded.dataset;
    let o = AnalyzeOptions::default();
    let item_conversion = funnel::item_conversion(ds);
    let product_report = products::compute(ds, &o.products, &item_conversion).ok();
    let sections: Vec<(&str, Section)> = vec![
        ("kpi", Box::new(|| drop(kpi::compute(ds, &o.kpi)))),
        ("funnel", Box::new(|| drop(funnel::compute(ds, &o.funnel)))),
        (
            "item_conversion",
            Box::new(|| drop(funnel::item_conversion(ds))),
        ),
        (
            "products",
            Box::new(|| drop(products::compute(ds, &o.products, &item_conversion))),
        ),
        (
            "alerts",
            Box::new(|| drop(alerts::compute(ds, product_report.as_ref(), &o.alerts))),
        ),
        ("cohort", Box::new(|| drop(cohort::compute(ds, &o.cohort)))),
        ("rfm", Box::new(|| drop(rfm::compute(ds, &o.rfm)))),
        ("stock", Box::new(|| drop(stock::compute(ds, &o.stock)))),
        ("ab", Box::new(|| drop(ab::compute(ds, &o.ab)))),
        (
            "promotion",
            Box::new(|| drop(promotion::compute(ds, &o.promotion))),
        ),
        (
            "breakdown",
            Box::new(|| drop(breakdown::compute(ds, &o.breakdowns))),
        ),
        ("report::analyze", Box::new(|| drop(analyze(&loaded, &o)))),
    ];
    // SHOPLENS_SECTIONS=products,rfm: only these, four times as often (for `perf record`).
    let only = std::env::var("SHOPLENS_SECTIONS").ok();
    let runs = if only.is_some() { runs * 4 } else { runs };
    let mut rows: Vec<(&str, f64)> = sections
        .iter()
        .filter(|(name, _)| {
            only.as_ref()
                .map_or(true, |o| o.split(',').any(|x| x == *name))
        })
        .map(|(name, f)| (*name, least(runs, f)))
        .collect();
    let whole = rows.last().filter(|r| r.0 == "report::analyze").copied();
    if whole.is_some() {
        rows.pop();
    }
    let sum: f64 = rows.iter().map(|r| r.1).sum();
    rows.push(("(sum of the above)", sum));
    rows.extend(whole);
    for (name, s) in rows {
        println!("{name:<20} {:>8.3} s CPU", s);
    }
}
