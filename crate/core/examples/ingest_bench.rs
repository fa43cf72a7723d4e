//! Native profiling harness: stream one or more exports through the engine the way the browser
//! does (fixed-size chunks into `ingest::Session`), then run every analysis, and print where the
//! time went. Used with `perf record` to find what dominates (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release -p shoplens --example ingest_bench -- bench/data/orders-1m.csv [more files]
//! SHOPLENS_CHUNK=65536 …   chunk size in bytes (default 4 MiB, as the benchmark page uses)
//! SHOPLENS_ANALYZE=0 …     ingest only
//! ```
//!
//! It also prints the memory the loaded tables hold (the heap bytes live after ingest, counted by
//! a wrapper around the system allocator, the session and its buffers gone) beside the file size:
//! what the wasm build keeps for the same file, without wasm's never-returned growth.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

use shoplens::analysis::promotion::{self, PromotionOptions};
use shoplens::ingest::{FileOptions, IngestOptions, Session};
use shoplens::report::{analyze, AnalyzeOptions, Section};

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: ingest_bench <export.csv> [more files]");
        std::process::exit(2);
    }
    let chunk: usize = std::env::var("SHOPLENS_CHUNK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4 << 20);
    let run_analyses = std::env::var("SHOPLENS_ANALYZE").map_or(true, |v| v != "0");

    let started = Instant::now();
    let mut options = IngestOptions::default();
    for path in &files {
        let name = path.rsplit('/').next().unwrap_or(path);
        let size = std::fs::metadata(path).map(|m| m.len()).ok();
        let file_options = FileOptions {
            size_bytes: size,
            ..FileOptions::default()
        };
        options.files.insert(name.to_string(), file_options);
    }
    let mut session = Session::new(options);
    let mut total_bytes = 0u64;
    let mut buf = vec![0u8; chunk];
    let live_before = LIVE.load(Ordering::Relaxed);
    for path in &files {
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        loop {
            let n = match file.read(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("{path}: {e}");
                    std::process::exit(1);
                }
            };
            if n == 0 {
                break;
            }
            total_bytes += n as u64;
            if let Err(e) = session.push(name, &buf[..n]) {
                eprintln!("{path}: {e:?}");
                break;
            }
        }
        if let Err(e) = session.end_file(name) {
            eprintln!("{path}: {e:?}");
        }
    }
    let loaded = session.finish();
    let ingest_s = started.elapsed().as_secs_f64();
    drop(buf);
    let tables = LIVE.load(Ordering::Relaxed) - live_before.min(LIVE.load(Ordering::Relaxed));
    let peak = PEAK.load(Ordering::Relaxed);
    let mb = total_bytes as f64 / 1e6;
    println!(
        "ingest   {ingest_s:8.3} s  {:8.1} MB/s  ({mb:.1} MB, {} orders, {} lines, {} events, {} customers, {} products)",
        mb / ingest_s,
        loaded.dataset.orders.len(),
        loaded.dataset.lines.len(),
        loaded.dataset.events.len(),
        loaded.dataset.customers.len(),
        loaded.dataset.products.len(),
    );
    println!(
        "memory   tables {:.1} MB ({:.2}× the file), peak heap while reading {:.1} MB ({:.2}×)",
        tables as f64 / 1e6,
        tables as f64 / total_bytes.max(1) as f64,
        peak as f64 / 1e6,
        peak as f64 / total_bytes.max(1) as f64,
    );
    for r in &loaded.reports {
        println!(
            "  {}: read {} used {} rejected {} {:?}",
            r.file,
            r.rows_read,
            r.rows_used,
            r.rows_rejected,
            r.rejected
                .iter()
                .map(|x| (&x.code, x.count))
                .collect::<Vec<_>>()
        );
    }
    if !run_analyses {
        return;
    }
    let t = Instant::now();
    let report = match analyze(&loaded, &AnalyzeOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("analyze: {e:?}");
            std::process::exit(1);
        }
    };
    let analyze_s = t.elapsed().as_secs_f64();
    println!("analyze  {analyze_s:8.3} s");
    println!("total    {:8.3} s", started.elapsed().as_secs_f64());
    if let Section::Ready { data } = &report.kpi {
        let k = &data.total;
        println!(
            "kpi: gmv {} refunds {} paid_orders {} buyers {:?} units {} repurchase {:?}",
            k.gmv, k.refunds, k.paid_orders, k.buyers, k.units, k.repurchase_rate
        );
    }
    // The promotion readout alone, on the loaded tables (issue 12: under 10 % of the ingest).
    let t = Instant::now();
    let readout = promotion::compute(&loaded.dataset, &PromotionOptions::default());
    let promotion_s = t.elapsed().as_secs_f64();
    println!(
        "promotion {promotion_s:7.3} s  ({:.1} % of ingest)",
        100.0 * promotion_s / ingest_s
    );
    match &readout {
        Ok(r) => println!(
            "promotion: campaign {}..{} ({:?}), baseline {}..{}, gmv {} -> {}, {} proposals",
            r.campaign.from,
            r.campaign.to,
            r.occasion,
            r.baseline.from,
            r.baseline.to,
            r.baseline.kpi.gmv,
            r.campaign.kpi.gmv,
            r.proposals.len()
        ),
        Err(u) => println!("promotion: unavailable ({})", u.code),
    }
    if let Section::Ready { data } = &report.funnel {
        let counts: Vec<u64> = data.steps.iter().map(|s| s.count).collect();
        println!("funnel: {counts:?}");
    }
}
