//! Any byte string, pushed in any chunking, gives the load report of one push (issue 19): rows
//! read, used and rejected by reason, the columns, the notes, the error. The inputs are built from
//! pieces of real export headers and rows, quotes, separators, line ends, BOMs, GBK bytes and
//! arbitrary bytes, so that the generator reaches the states where a chunk boundary matters (inside
//! a quoted field, between `\r` and `\n`, inside a multi-byte character, before the header).
//!
//! Documented limit: the encoding and dialect are decided on the first 64 KiB however they arrive
//! (`ingest_edges.rs`), so inputs here stay below that and every chunking sees the same head.

use proptest::prelude::*;
use shoplens::ingest::{IngestOptions, Session};

fn report(bytes: &[u8], cuts: &[usize]) -> serde_json::Value {
    let mut s = Session::new(IngestOptions::default());
    let mut at = 0;
    let mut failed = false;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        let cut = cut.clamp(at, bytes.len());
        if s.push("f.csv", &bytes[at..cut]).is_err() {
            failed = true;
            break;
        }
        at = cut;
    }
    if !failed {
        let _ = s.end_file("f.csv");
    }
    let loaded = s.finish();
    let mut r = serde_json::to_value(&loaded.reports[0]).expect("report serialises");
    // `bytes` counts what was pushed: a push after a failure is refused before it is counted.
    r.as_object_mut().expect("object").remove("bytes");
    r
}

const PIECES: &[&str] = &[
    "订单编号,买家会员名,订单付款时间,买家实际支付金额,订单状态,宝贝标题,购买数量\n",
    "order_id,customer_id,order_time,product_id,quantity,unit_price,paid_amount,status\n",
    "Name,Email,Financial Status,Paid at,Total,Lineitem quantity,Lineitem name,Lineitem sku\n",
    "user_id,event_type,product_id,ts\n",
    "1001,张三,2025-01-02 10:00:00,\"1,299.00\",交易成功,连衣裙,1\n",
    "A1,c1,2025-03-01T09:00:00+08:00,p1,2,19.90,39.80,paid\n",
    "#1001,a@b.co,paid,2024-03-01 00:30:00 -0500,12.50,1,Mug,MUG-1\n",
    "u1,view,p9,1714000000\n",
    "=\"3796098197866741193\",大_cc,¥117.00,交易成功\n",
    "\"quoted \"\"field\"\" with, comma\",x\n",
    "\"open quote never closed\n",
    "a\"b,c\n",
    ",,,,\n",
    "合计,,,100.00\n",
    "生意参谋 > 取数\n统计日期：2025-01-01~2025-06-30\n",
    "\t\t\n",
    "\r\n",
    "\r",
    "\n",
    ",",
    ";",
    "\t",
    "\"",
    "\u{FEFF}",
];

fn input() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        6 => prop::sample::select(PIECES).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..6),
        // GBK bytes of Chinese text (a split between a lead and a trail byte).
        1 => Just(vec![0xB6, 0xA9, 0xB5, 0xA5, 0xB1, 0xE0, 0xBA, 0xC5, b',']),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|ps| ps.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_chunking_gives_the_one_push_report(
        bytes in input(),
        cuts in prop::collection::vec(0usize..2_000, 0..30),
    ) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let whole = report(&bytes, &[]);
        prop_assert_eq!(report(&bytes, &cuts), whole.clone(), "cut at {:?}", cuts);
        let every_byte: Vec<usize> = (1..bytes.len()).collect();
        prop_assert_eq!(report(&bytes, &every_byte), whole, "1-byte chunks");
    }
}
