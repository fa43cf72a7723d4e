//! How the cost of ingest grows with the chunking of the pushes: the same file pushed in 64 KiB,
//! 4 KiB, 64-, 8- and 1-byte chunks, for an unrecognised, a recognised UTF-8 and a GBK export.
//! `cargo run --release -p shoplens --example chunking [BYTES]` (default 1,000,000).
use shoplens::ingest::{IngestOptions, Session};
use std::time::Instant;

fn main() {
    let size: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("BYTES"))
        .unwrap_or(1_000_000);
    let files = [
        (
            "unrecognised",
            text("alpha,beta,gamma,delta\n", size, |i| {
                format!("x{i},{},{}.5,word{}\n", i * 7 % 1000, i % 97, i % 13)
            }),
        ),
        (
            "orders utf-8",
            text(
                "order_id,customer_id,order_time,paid_amount,status\n",
                size,
                |i| {
                    format!(
                        "{i},c{},2025-0{}-1{} 10:00:00,{}.50,paid\n",
                        i % 5000,
                        i % 9 + 1,
                        i % 9,
                        i % 700
                    )
                },
            ),
        ),
        (
            "orders gbk",
            gbk(&text(
                "订单编号,买家会员名,订单付款时间,买家实际支付金额,订单状态\n",
                size,
                |i| {
                    format!(
                        "{i},买家{},2025-0{}-1{} 10:00:00,{}.50,交易成功\n",
                        i % 5000,
                        i % 9 + 1,
                        i % 9,
                        i % 700
                    )
                },
            )),
        ),
    ];
    for (name, bytes) in &files {
        for chunk in [65536usize, 4096, 64, 8, 1] {
            let t = Instant::now();
            let mut s = Session::new(IngestOptions::default());
            for c in bytes.chunks(chunk) {
                let _ = s.push("f.csv", c);
            }
            let _ = s.end_file("f.csv");
            let loaded = s.finish();
            let r = &loaded.reports[0];
            println!(
                "{name:>13} chunk {chunk:>6}: {:>9.1} ms  rows read {:>6} used {:>6}",
                t.elapsed().as_secs_f64() * 1e3,
                r.rows_read,
                r.rows_used
            );
        }
    }
}

fn text(header: &str, size: usize, row: impl Fn(u64) -> String) -> Vec<u8> {
    let mut t = String::from(header);
    let mut i = 0;
    while t.len() < size {
        t.push_str(&row(i));
        i += 1;
    }
    t.into_bytes()
}

fn gbk(utf8: &[u8]) -> Vec<u8> {
    let s = std::str::from_utf8(utf8).expect("utf-8");
    encoding_rs::GBK.encode(s).0.into_owned()
}
