//! Largest-remainder allocation of an order's paid amount (or refund) to its lines, in cents
//! (DEFINITIONS §6).

use std::cmp::Reverse;

/// Splits `total` cents over lines weighted by `weights` (line values, cents), so that the shares sum
/// **exactly** to `total`.
///
/// Rules, in the order they apply:
/// - A negative weight counts as 0 (a discount line takes no share of the amount).
/// - When no weight is positive (all 0, negative, or missing and passed as 0), every line weighs 1:
///   equal shares.
/// - Each line first gets `floor(|total| · w / Σw)` cents. The cents left over (fewer than the
///   number of positive-weight lines) go one each to the lines with the **largest weight**; among
///   equal weights the **lower index** goes first. (DEFINITIONS §6 gives remainders to the largest
///   lines, not to the largest fractional parts.)
/// - A negative total is split as its magnitude and then negated, so `-x` mirrors `x` share by share.
/// - Empty `weights` returns an empty vector: there is no line to carry the total.
///
/// Shares are monotone in weight: `w[i] > w[j]` implies `|share[i]| ≥ |share[j]|`, and equal weights
/// get shares at most 1 cent apart. Arithmetic is in `i128`, so no input overflows or panics.
pub fn allocate_cents(total: i64, weights: &[i64]) -> Vec<i64> {
    match weights {
        [] => return Vec::new(),
        // One line carries the whole total, whatever its weight (the general path gives the same).
        [_] => return vec![total],
        _ => {}
    }
    let mut weights: Vec<i128> = weights.iter().map(|&w| i128::from(w.max(0))).collect();
    let mut weight_sum: i128 = weights.iter().sum();
    if weight_sum == 0 {
        weights.fill(1);
        weight_sum = weights.len() as i128;
    }
    let magnitude = i128::from(total).abs();
    let mut shares: Vec<i128> = weights
        .iter()
        .map(|&w| magnitude * w / weight_sum)
        .collect();
    let leftover = magnitude - shares.iter().sum::<i128>();

    // Stable sort: equal weights keep index order, which is the tie rule.
    let mut by_weight: Vec<usize> = (0..weights.len()).collect();
    by_weight.sort_by_key(|&i| Reverse(weights[i]));
    for &i in by_weight
        .iter()
        .take(usize::try_from(leftover).unwrap_or(0))
    {
        shares[i] += 1;
    }

    let sign: i128 = if total < 0 { -1 } else { 1 };
    // Every share lies between 0 and |total|, so the signed share fits in i64 (even for i64::MIN).
    shares.into_iter().map(|s| (sign * s) as i64).collect()
}

#[cfg(test)]
mod tests {
    use super::allocate_cents;
    use proptest::prelude::*;

    #[test]
    fn proportional_with_remainder_to_largest_line() {
        // 1000 over 3:2:2 (Σ 7): floors 428, 285, 285 = 998; the 2 cents left go to the largest line
        // (index 0) and then to the first of the tied lines (index 1).
        assert_eq!(allocate_cents(1000, &[300, 200, 200]), vec![429, 286, 285]);
        // Exact split leaves nothing over.
        assert_eq!(allocate_cents(900, &[100, 200]), vec![300, 600]);
    }

    #[test]
    fn ties_go_to_the_lower_index() {
        // 100 / 3 = 33 each, 1 cent left: the first line gets it.
        assert_eq!(allocate_cents(100, &[5, 5, 5]), vec![34, 33, 33]);
        // 2 cents left, largest weight is last: it goes first, then index 0.
        assert_eq!(allocate_cents(11, &[1, 1, 2]), vec![3, 2, 6]);
    }

    #[test]
    fn zero_negative_and_empty_weights() {
        // No value at all: equal shares.
        assert_eq!(allocate_cents(10, &[0, 0, 0]), vec![4, 3, 3]);
        // A negative weight (a discount line) counts as 0.
        assert_eq!(allocate_cents(10, &[-500, 100]), vec![0, 10]);
        assert_eq!(allocate_cents(10, &[-5, -5]), vec![5, 5]);
        assert_eq!(allocate_cents(10, &[]), Vec::<i64>::new());
        assert_eq!(allocate_cents(0, &[3, 1]), vec![0, 0]);
    }

    #[test]
    fn negative_total_mirrors_positive() {
        assert_eq!(
            allocate_cents(-1000, &[300, 200, 200]),
            vec![-429, -286, -285]
        );
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let shares = allocate_cents(i64::MIN, &[i64::MAX, i64::MAX, 1]);
        assert_eq!(
            shares.iter().map(|&s| i128::from(s)).sum::<i128>(),
            i128::from(i64::MIN)
        );
        let shares = allocate_cents(i64::MAX, &[i64::MAX, 0]);
        assert_eq!(shares, vec![i64::MAX, 0]);
    }

    proptest! {
        #[test]
        fn shares_sum_exactly_and_are_monotone(
            total in -10_000_000i64..10_000_000,
            weights in prop::collection::vec(-1_000i64..1_000_000, 1..8),
        ) {
            let shares = allocate_cents(total, &weights);
            prop_assert_eq!(shares.len(), weights.len());
            prop_assert_eq!(shares.iter().sum::<i64>(), total);
            let clamped: Vec<i64> = weights.iter().map(|&w| w.max(0)).collect();
            for i in 0..shares.len() {
                // Every share has the total's sign.
                prop_assert!(shares[i] == 0 || (shares[i] > 0) == (total > 0));
                for j in 0..shares.len() {
                    if clamped[i] > clamped[j] {
                        prop_assert!(shares[i].abs() >= shares[j].abs());
                    }
                    if clamped[i] == clamped[j] {
                        prop_assert!((shares[i] - shares[j]).abs() <= 1);
                    }
                }
            }
        }

        #[test]
        fn each_share_is_within_a_cent_of_the_exact_proportion(
            total in 0i64..10_000_000,
            weights in prop::collection::vec(1i64..1_000_000, 1..8),
        ) {
            let shares = allocate_cents(total, &weights);
            let sum: f64 = weights.iter().map(|&w| w as f64).sum();
            for (share, &w) in shares.iter().zip(&weights) {
                let exact = total as f64 * w as f64 / sum;
                prop_assert!((*share as f64 - exact).abs() < 1.0 + 1e-6);
            }
        }
    }
}
