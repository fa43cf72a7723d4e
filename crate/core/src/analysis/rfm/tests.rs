use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::analysis::filter::testkit::*;
use crate::model::PayState;

/// Five customers, Q1 2024 (paid amounts in cents); the last paid order is 03-31, so the reference
/// day is 2024-04-01 and R counts days to it (2024 is a leap year):
///
/// | buyer | paid orders                      | last  | R  | F | M     |
/// |-------|----------------------------------|-------|----|---|-------|
/// | a     | 01-05 10000, 01-28 3000, 02-14 6000 | 02-14 | 47 | 3 | 19000 |
/// | b     | 01-20 5000, 03-02 4000            | 03-02 | 30 | 2 | 9000  |
/// | c     | 02-03 8000 (+ an unpaid order 03-20) | 02-03 | 58 | 1 | 8000  |
/// | d     | 03-15 7000, 03-31 1000            | 03-31 | 1  | 2 | 8000  |
/// | e     | 01-10 500                         | 01-10 | 82 | 1 | 500   |
///
/// Scores (n = 5, score = min(5, 1 + ⌊5w/5⌋) = 1 + w for w < 5):
/// - R, w = customers with a larger R: a 2 → 3, b 3 → 4, c 1 → 2, d 4 → 5, e 0 → 1; mean 15/5 = 3.0.
/// - F, w = customers with a smaller F: a 4 → 5, b 2 → 3, c 0 → 1, d 2 → 3, e 0 → 1; mean 13/5 = 2.6.
/// - M, w = customers with a smaller M: a 4 → 5, b 3 → 4, c 1 → 2, d 1 → 2, e 0 → 1; mean 14/5 = 2.8.
///
/// High = strictly above the mean: R {b, d}, F {a, b, d}, M {a, b}. So a = L H H keep_active,
/// b = H H H high_value, c = L L L lost, d = H H L loyal_low_spend, e = L L L lost.
fn q1() -> Dataset {
    let mut ds = Dataset::default();
    let orders: [(&str, &str, (u32, u32), i64); 9] = [
        ("1", "a", (1, 5), 10000),
        ("2", "e", (1, 10), 500),
        ("3", "b", (1, 20), 5000),
        ("4", "a", (1, 28), 3000),
        ("5", "c", (2, 3), 8000),
        ("6", "a", (2, 14), 6000),
        ("7", "b", (3, 2), 4000),
        ("8", "d", (3, 15), 7000),
        ("9", "d", (3, 31), 1000),
    ];
    for (id, customer, (m, d), amount) in orders {
        paid(
            &mut ds,
            id,
            Some(customer),
            at(2024, m, d, 18, 0),
            amount,
            0,
        );
    }
    unpaid(&mut ds, "10", Some("c"), at(2024, 3, 20, 9, 0), 7777);
    ds
}

fn rfm(ds: &Dataset) -> RfmReport {
    compute(ds, &RfmOptions::default()).expect("customers with paid orders")
}

type Row<'a> = (&'a str, &'a str, i64, u64, i64, u8, u8, u8, Segment);

fn rows(r: &RfmReport) -> Vec<Row<'_>> {
    r.customers
        .iter()
        .map(|c| {
            let scores = (c.r_score, c.f_score, c.m_score);
            (
                c.customer.as_str(),
                c.last_order_day.as_str(),
                c.recency_days,
                c.frequency,
                c.monetary,
                scores.0,
                scores.1,
                scores.2,
                c.segment,
            )
        })
        .collect()
}

#[test]
fn customers_match_hand_computation() {
    let r = rfm(&q1());
    assert_eq!(r.reference_day, "2024-04-01");
    assert_eq!(
        r.mean_scores,
        MeanScores {
            r: 3.0,
            f: 2.6,
            m: 2.8
        }
    );
    // By monetary descending, then id: c and d tie on 8000.
    assert_eq!(
        rows(&r),
        [
            (
                "a",
                "2024-02-14",
                47,
                3,
                19000,
                3,
                5,
                5,
                Segment::KeepActive
            ),
            ("b", "2024-03-02", 30, 2, 9000, 4, 3, 4, Segment::HighValue),
            ("c", "2024-02-03", 58, 1, 8000, 2, 1, 2, Segment::Lost),
            (
                "d",
                "2024-03-31",
                1,
                2,
                8000,
                5,
                3,
                2,
                Segment::LoyalLowSpend
            ),
            ("e", "2024-01-10", 82, 1, 500, 1, 1, 1, Segment::Lost),
        ]
    );
}

#[test]
fn segment_summaries_list_all_eight_in_order() {
    let r = rfm(&q1());
    let order: Vec<Segment> = r.segments.iter().map(|s| s.segment).collect();
    assert_eq!(order, Segment::ALL);
    let by = |s: Segment| r.segments.iter().find(|x| x.segment == s).unwrap();
    // Σ M = 19000 + 9000 + 8000 + 8000 + 500 = 44500.
    assert_eq!(
        *by(Segment::Lost),
        SegmentSummary {
            segment: Segment::Lost,
            customers: 2,
            share_of_customers: 0.4,
            revenue: 8500,
            share_of_revenue: Some(8500.0 / 44500.0),
            avg_recency: Some(70.0), // (58 + 82) / 2
            avg_frequency: Some(1.0),
            avg_monetary: Some(4250.0),
        }
    );
    let high_value = by(Segment::HighValue);
    assert_eq!(
        (
            high_value.customers,
            high_value.revenue,
            high_value.share_of_customers
        ),
        (1, 9000, 0.2)
    );
    assert_eq!(high_value.avg_recency, Some(30.0));
    let empty = by(Segment::WinBack);
    assert_eq!(
        (
            empty.customers,
            empty.revenue,
            empty.share_of_customers,
            empty.share_of_revenue
        ),
        (0, 0, 0.0, Some(0.0))
    );
    assert_eq!(
        (empty.avg_recency, empty.avg_frequency, empty.avg_monetary),
        (None, None, None)
    );
    assert_eq!(r.segments.iter().map(|s| s.customers).sum::<u64>(), 5);
}

#[test]
fn a_set_reference_day_shifts_recency_only() {
    let ds = q1();
    let later = compute(
        &ds,
        &RfmOptions {
            reference_day: Some("2024-04-11".into()),
        },
    )
    .unwrap();
    let default = rfm(&ds);
    assert_eq!(later.reference_day, "2024-04-11");
    for (l, d) in later.customers.iter().zip(&default.customers) {
        assert_eq!(l.recency_days, d.recency_days + 10);
        assert_eq!((l.r_score, l.segment), (d.r_score, d.segment));
    }
    let err = compute(
        &ds,
        &RfmOptions {
            reference_day: Some("2024-04-31".into()),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, "invalid_reference_day");
}

#[test]
fn orders_without_customer_ids_move_the_default_reference_day() {
    let mut ds = q1();
    paid(&mut ds, "guest", None, at(2024, 4, 5, 9, 0), 100, 0);
    let r = rfm(&ds);
    assert_eq!(r.reference_day, "2024-04-06");
    assert_eq!(r.customers.len(), 5);
    assert_eq!(r.customers[3].recency_days, 6); // d, last order 03-31
}

#[test]
fn score_formula_on_ten_distinct_values() {
    // w = 0..9 over n = 10: 1 + ⌊5w/10⌋ = 1 1 2 2 3 3 4 4 5 5.
    assert_eq!(
        scores(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
        [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    );
    // Ties: w counts strictly smaller values only. n = 6: [1,1,1,2,2,3] → w 0,0,0,3,3,5 → 1,1,1,3,3,5.
    assert_eq!(scores(&[1, 1, 1, 2, 2, 3]), [1, 1, 1, 3, 3, 5]);
    // Order of input does not matter.
    assert_eq!(scores(&[3, 1, 2, 1]), [4, 1, 3, 1]);
}

#[test]
fn identical_customers_tie_on_every_score() {
    let mut ds = Dataset::default();
    for (i, c) in ["x", "y", "z"].iter().enumerate() {
        paid(
            &mut ds,
            &format!("{i}"),
            Some(c),
            at(2024, 6, 1, 9 + i as u32, 0),
            1000,
            0,
        );
    }
    let r = rfm(&ds);
    // All equal: w = 0, score 1 everywhere; nobody is above the mean of 1.0, so all are "lost".
    assert!(r
        .customers
        .iter()
        .all(|c| (c.r_score, c.f_score, c.m_score, c.segment) == (1, 1, 1, Segment::Lost)));
    assert_eq!(
        r.mean_scores,
        MeanScores {
            r: 1.0,
            f: 1.0,
            m: 1.0
        }
    );
}

#[test]
fn one_customer_single_order() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("solo"), at(2024, 6, 1, 9, 0), 1234, 1234);
    let r = rfm(&ds);
    // R = 1 (reference 06-02); M is GMV, before the full refund.
    assert_eq!(
        rows(&r),
        [("solo", "2024-06-01", 1, 1, 1234, 1, 1, 1, Segment::Lost)]
    );
    assert_eq!(r.segments[7].share_of_revenue, Some(1.0));
}

#[test]
fn unavailable_without_paid_orders_or_customer_ids() {
    let err = compute(&Dataset::default(), &RfmOptions::default()).unwrap_err();
    assert_eq!(err.code, "no_paid_orders");
    let mut ds = Dataset::default();
    unpaid(&mut ds, "1", Some("a"), at(2024, 1, 1, 9, 0), 100);
    paid(&mut ds, "2", None, at(2024, 1, 2, 9, 0), 100, 0);
    assert_eq!(
        compute(&ds, &RfmOptions::default()).unwrap_err().code,
        "no_customer_ids"
    );
}

#[test]
fn zero_revenue_has_no_revenue_share() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 1, 1, 9, 0), 0, 0);
    let r = rfm(&ds);
    assert!(r.segments.iter().all(|s| s.share_of_revenue.is_none()));
}

#[test]
fn segment_names() {
    let zh: Vec<&str> = Segment::ALL.iter().map(|s| s.zh()).collect();
    assert_eq!(
        zh,
        [
            "重要价值客户",
            "重要发展客户",
            "重要保持客户",
            "重要挽留客户",
            "一般价值客户",
            "一般发展客户",
            "一般保持客户",
            "一般挽留客户"
        ]
    );
    for s in Segment::ALL {
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.code())
        );
    }
    assert_eq!(Segment::FadingLowSpend.en(), "fading low-spend");
    assert_eq!(
        Segment::from_highs(true, false, true),
        Segment::HighPotential
    );
    assert_eq!(Segment::from_highs(false, false, true), Segment::WinBack);
    assert_eq!(
        Segment::from_highs(true, false, false),
        Segment::NewLowSpend
    );
    assert_eq!(
        Segment::from_highs(false, true, false),
        Segment::FadingLowSpend
    );
}

#[test]
fn options_from_json() {
    let o: RfmOptions = serde_json::from_str(r#"{"reference_day":"2024-05-01"}"#).unwrap();
    assert_eq!(o.reference_day.as_deref(), Some("2024-05-01"));
    assert!(serde_json::from_str::<RfmOptions>(r#"{"reference":"2024-05-01"}"#).is_err());
}

#[test]
fn segment_csv_lists_one_segment() {
    let r = rfm(&q1());
    let csv = segment_csv(&r, Segment::Lost);
    assert_eq!(
        csv,
        "\u{feff}customer,last_order_day,recency_days,frequency,monetary,r_score,f_score,m_score,segment\r\n\
         c,2024-02-03,58,1,80.00,2,1,2,lost\r\n\
         e,2024-01-10,82,1,5.00,1,1,1,lost\r\n"
    );
    let empty = segment_csv(&r, Segment::WinBack);
    assert_eq!(empty.lines().count(), 1);
}

#[test]
fn segment_csv_quotes_and_defuses_customer_ids() {
    let mut ds = Dataset::default();
    // Equal values put both customers in one segment.
    paid(
        &mut ds,
        "1",
        Some("王, \"小\"二"),
        at(2024, 1, 1, 9, 0),
        123456,
        0,
    );
    paid(
        &mut ds,
        "2",
        Some("=HYPERLINK(\"x\")"),
        at(2024, 1, 1, 9, 0),
        123456,
        0,
    );
    let r = rfm(&ds);
    let text = segment_csv(&r, r.customers[0].segment);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "customer");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<(&str, &str)> = records.iter().map(|r| (&r[0], &r[4])).collect();
    // Same monetary, so by id: '=' sorts before '王'.
    assert_eq!(
        ids,
        [
            ("'=HYPERLINK(\"x\")", "1234.56"),
            ("王, \"小\"二", "1234.56")
        ]
    );
}

/// Customer, R, F, M, R score, F score, M score, segment.
type Scored = (String, i64, u64, i64, u8, u8, u8, Segment);

/// A deliberately plain RFM: per customer by scanning all orders, scores by comparing every pair.
fn naive(ds: &Dataset) -> Vec<Scored> {
    let paid: Vec<usize> = (0..ds.orders.len())
        .filter(|&o| ds.orders.state[o] == PayState::Paid)
        .collect();
    let reference = paid
        .iter()
        .map(|&o| time::day_of(ds.orders.time[o]))
        .max()
        .unwrap()
        + 1;
    let mut per: BTreeMap<String, (Day, u64, i64)> = BTreeMap::new();
    for &o in &paid {
        if let Some(c) = ds.orders.customer[o] {
            let e = per
                .entry(ds.customers.name(c).to_string())
                .or_insert((Day::MIN, 0, 0));
            e.0 = e.0.max(time::day_of(ds.orders.time[o]));
            e.1 += 1;
            e.2 += ds.orders.paid_amount[o];
        }
    }
    let values: Vec<(String, i64, u64, i64)> = per
        .into_iter()
        .map(|(c, (last, f, m))| (c, i64::from(reference - last), f, m))
        .collect();
    let n = values.len() as u64;
    let score = |w: usize| std::cmp::min(5, 1 + 5 * w as u64 / n) as u8;
    let scored: Vec<(u8, u8, u8)> = values
        .iter()
        .map(|(_, r, f, m)| {
            let rw = values.iter().filter(|v| v.1 > *r).count();
            let fw = values.iter().filter(|v| v.2 < *f).count();
            let mw = values.iter().filter(|v| v.3 < *m).count();
            (score(rw), score(fw), score(mw))
        })
        .collect();
    let mean = |pick: fn(&(u8, u8, u8)) -> u8| {
        scored.iter().map(|s| pick(s) as f64).sum::<f64>() / n as f64
    };
    let (mr, mf, mm) = (mean(|s| s.0), mean(|s| s.1), mean(|s| s.2));
    let mut out: Vec<_> = values
        .iter()
        .zip(&scored)
        .map(|((c, r, f, m), &(rs, fs, ms))| {
            let segment = Segment::from_highs(rs as f64 > mr, fs as f64 > mf, ms as f64 > mm);
            (c.clone(), *r, *f, *m, rs, fs, ms, segment)
        })
        .collect();
    out.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)));
    out
}

proptest! {
    #[test]
    fn rfm_equals_the_naive_reference(data in random_data(200, 30)) {
        let ds = data.build();
        let Ok(r) = compute(&ds, &RfmOptions::default()) else {
            return Ok(());
        };
        let actual: Vec<Scored> = r
            .customers
            .iter()
            .map(|c| (c.customer.clone(), c.recency_days, c.frequency, c.monetary, c.r_score, c.f_score, c.m_score, c.segment))
            .collect();
        prop_assert_eq!(actual, naive(&ds));
        let revenue: i64 = r.segments.iter().map(|s| s.revenue).sum();
        prop_assert_eq!(revenue, r.customers.iter().map(|c| c.monetary).sum::<i64>());
    }

    #[test]
    fn equal_values_get_equal_scores(values in prop::collection::vec(0i64..6, 1..40)) {
        let s = scores(&values);
        for i in 0..values.len() {
            prop_assert!((1..=5).contains(&s[i]));
            for j in 0..values.len() {
                if values[i] == values[j] {
                    prop_assert_eq!(s[i], s[j]);
                }
                if values[i] < values[j] {
                    prop_assert!(s[i] <= s[j]);
                }
            }
        }
    }

    #[test]
    fn scores_follow_the_formula(values in prop::collection::vec(-3i64..8, 1..60)) {
        // The definition read literally: w = values strictly smaller, score = min(5, 1 + ⌊5·w/n⌋).
        let n = values.len();
        let expected: Vec<u8> = values
            .iter()
            .map(|x| (1 + 5 * values.iter().filter(|v| *v < x).count() / n).min(5) as u8)
            .collect();
        prop_assert_eq!(scores(&values), expected);
    }
}

#[test]
fn segment_discriminants_index_all() {
    // `summarise` sums each segment at index `segment as usize` of `Segment::ALL`.
    for (i, s) in Segment::ALL.iter().enumerate() {
        assert_eq!(*s as usize, i);
    }
}
