//! The 潜力 / 可执行 / 风险 scorecard: percentile ranks of each component within the shop.

use std::cmp::Ordering;

use super::{Component, ProductRow, ScoreDetail, Scorecard};

/// A product is at risk of stocking out when its stock covers fewer days than this (or is ≤ 0).
pub const STOCK_OUT_COVER_DAYS: f64 = 7.0;

/// Reads one component's raw value off a product row.
type Extract = fn(&ProductRow) -> Option<f64>;

/// 潜力: higher is better.
const POTENTIAL: [(&str, Extract); 3] = [
    ("growth", |r| r.growth),
    ("item_conversion", |r| r.item_conversion),
    ("repeat_buyer_rate", |r| r.repeat_buyer_rate),
];

/// 可执行: higher is better.
const FEASIBILITY: [(&str, Extract); 3] = [
    ("margin", |r| r.margin),
    ("stock_cover_days", |r| r.stock_cover_days),
    ("avg_selling_price", |r| r.avg_selling_price),
];

/// 风险: higher is riskier.
const RISK: [(&str, Extract); 3] = [
    ("refund_rate", |r| r.refund_rate),
    ("top_buyer_share", |r| r.top_buyer_share),
    ("stock_out", stock_out),
];

/// 1 when the product is out of stock or covers fewer than [`STOCK_OUT_COVER_DAYS`] days, else 0;
/// `None` without a stock figure. Stock with no recent sales has no cover and is not at risk.
fn stock_out(row: &ProductRow) -> Option<f64> {
    let stock = row.stock?;
    let short = stock <= 0
        || row
            .stock_cover_days
            .is_some_and(|d| d < STOCK_OUT_COVER_DAYS);
    Some(if short { 1.0 } else { 0.0 })
}

/// Percentile rank, 0–100, of each present value among the present values, ties averaged:
///
/// `percentile(x) = 100 · (L + (E − 1) / 2) / (n − 1)`
///
/// where `n` is the number of present values, `L` the number strictly below `x` and `E` the number
/// equal to `x` (itself included). The smallest distinct value gets 0, the largest 100, equal values
/// get the mean of the ranks they span; with a single value (`n = 1`) it is 50. `None` and
/// non-finite inputs give `None` and are not counted.
pub fn percentile_ranks(values: &[Option<f64>]) -> Vec<Option<f64>> {
    // `+ 0.0` folds −0.0 into 0.0 so that `total_cmp` treats them as equal.
    let clean = |v: &Option<f64>| v.filter(|x| x.is_finite()).map(|x| x + 0.0);
    let mut sorted: Vec<f64> = values.iter().filter_map(clean).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    values
        .iter()
        .map(|v| {
            let x = clean(v)?;
            if n == 1 {
                return Some(50.0);
            }
            let below = sorted.partition_point(|s| s.total_cmp(&x) == Ordering::Less);
            let up_to = sorted.partition_point(|s| s.total_cmp(&x) != Ordering::Greater);
            let equal = up_to - below;
            Some(100.0 * (below as f64 + (equal as f64 - 1.0) / 2.0) / (n as f64 - 1.0))
        })
        .collect()
}

/// A scorecard with no components, replaced by [`fill_scorecards`].
pub(super) fn empty_scorecard() -> Scorecard {
    let empty = || ScoreDetail {
        score: None,
        components: Vec::new(),
    };
    Scorecard {
        potential: empty(),
        feasibility: empty(),
        risk: empty(),
    }
}

/// Fills every product's scorecard from the other fields of all products.
pub(super) fn fill_scorecards(products: &mut [ProductRow]) {
    let potential = score_details(products, &POTENTIAL);
    let feasibility = score_details(products, &FEASIBILITY);
    let risk = score_details(products, &RISK);
    for (row, ((p, f), r)) in products
        .iter_mut()
        .zip(potential.into_iter().zip(feasibility).zip(risk))
    {
        row.scorecard = Scorecard {
            potential: p,
            feasibility: f,
            risk: r,
        };
    }
}

/// One dimension's score for every product: each component is ranked across products, and a
/// product's score is the mean of its available component percentiles.
fn score_details(products: &[ProductRow], components: &[(&str, Extract)]) -> Vec<ScoreDetail> {
    // One column per component: every product's value and percentile.
    let columns: Vec<Vec<Component>> = components
        .iter()
        .map(|(name, extract)| {
            let values: Vec<Option<f64>> = products.iter().map(extract).collect();
            let percentiles = percentile_ranks(&values);
            values
                .into_iter()
                .zip(percentiles)
                .map(|(value, percentile)| Component {
                    name: name.to_string(),
                    value,
                    percentile,
                })
                .collect()
        })
        .collect();
    (0..products.len())
        .map(|i| {
            let parts: Vec<Component> = columns.iter().map(|column| column[i].clone()).collect();
            let available: Vec<f64> = parts.iter().filter_map(|c| c.percentile).collect();
            let score = if available.is_empty() {
                None
            } else {
                Some(available.iter().sum::<f64>() / available.len() as f64)
            };
            ScoreDetail {
                score,
                components: parts,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::percentile_ranks;
    use proptest::prelude::*;

    #[test]
    fn ties_are_averaged_and_ends_are_0_and_100() {
        // Sorted: 1, 2, 2, 5 (n = 4). 1: L=0,E=1 → 0. 2: L=1,E=2 → 100·1.5/3 = 50. 5: L=3 → 100.
        let got = percentile_ranks(&[Some(2.0), Some(5.0), None, Some(1.0), Some(2.0)]);
        assert_eq!(
            got,
            vec![Some(50.0), Some(100.0), None, Some(0.0), Some(50.0)]
        );
    }

    #[test]
    fn single_all_equal_and_signed_zero() {
        assert_eq!(percentile_ranks(&[None, Some(3.0)]), vec![None, Some(50.0)]);
        assert_eq!(percentile_ranks(&[Some(1.0); 3]), vec![Some(50.0); 3]);
        assert_eq!(
            percentile_ranks(&[Some(-0.0), Some(0.0)]),
            vec![Some(50.0); 2]
        );
        assert_eq!(
            percentile_ranks(&[Some(f64::NAN), Some(1.0)]),
            vec![None, Some(50.0)]
        );
    }

    /// Naive reference: count below and equal by scanning.
    fn naive(values: &[Option<f64>]) -> Vec<Option<f64>> {
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let n = present.len() as f64;
        values
            .iter()
            .map(|v| {
                let x = (*v)?;
                if present.len() == 1 {
                    return Some(50.0);
                }
                let below = present.iter().filter(|&&p| p < x).count() as f64;
                let equal = present.iter().filter(|&&p| p == x).count() as f64;
                Some(100.0 * (below + (equal - 1.0) / 2.0) / (n - 1.0))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn matches_naive_and_stays_in_range(
            values in prop::collection::vec(prop::option::of(-5i32..5), 0..12)
        ) {
            let values: Vec<Option<f64>> = values.iter().map(|v| v.map(f64::from)).collect();
            let got = percentile_ranks(&values);
            prop_assert_eq!(&got, &naive(&values));
            for p in got.iter().flatten() {
                prop_assert!((0.0..=100.0).contains(p));
            }
        }
    }
}
