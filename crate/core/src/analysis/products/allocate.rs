//! Largest-remainder allocation of an order's paid amount (or refund) to its lines, in cents
//! (DEFINITIONS §6).

use std::cmp::Reverse;

use crate::model::Dataset;

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
/// get shares at most 1 cent apart. No input overflows or panics.
pub fn allocate_cents(total: i64, weights: &[i64]) -> Vec<i64> {
    let mut shares = Vec::with_capacity(weights.len());
    allocate_into(total, weights, &mut Vec::new(), &mut shares);
    shares
}

/// [`allocate_cents`] into `shares` (cleared first), with `by_weight` as scratch: the buffers are
/// reused from order to order by [`LineSplit`].
///
/// The arithmetic is in `u64` where `|total| · max weight` fits (every real order), else in
/// `u128`; both give exactly the shares the rules above define.
pub(crate) fn allocate_into(
    total: i64,
    weights: &[i64],
    by_weight: &mut Vec<u32>,
    shares: &mut Vec<i64>,
) {
    shares.clear();
    match weights {
        [] => return,
        // One line carries the whole total, whatever its weight (the general path gives the same).
        [_] => {
            shares.push(total);
            return;
        }
        _ => {}
    }
    let magnitude = total.unsigned_abs();
    // A negative weight counts as 0; when none is positive, every line weighs 1.
    let positive_sum: u128 = weights.iter().map(|&w| w.max(0) as u128).sum();
    let equal = positive_sum == 0;
    let weight = |w: i64| if equal { 1 } else { w.max(0) as u64 };
    let sum = if equal {
        weights.len() as u128
    } else {
        positive_sum
    };
    let max_weight = weights.iter().map(|&w| weight(w)).max().unwrap_or(0);
    let mut given: u64 = 0;
    let fits = u128::from(magnitude) * u128::from(max_weight) <= u128::from(u64::MAX);
    match u64::try_from(sum) {
        Ok(sum) if fits => {
            for &w in weights {
                let share = magnitude * weight(w) / sum;
                given += share;
                shares.push(share as i64);
            }
        }
        _ => {
            for &w in weights {
                let share = (u128::from(magnitude) * u128::from(weight(w)) / sum) as u64;
                given += share;
                shares.push(share as i64);
            }
        }
    }
    // Fewer cents than lines are left: one each to the largest weights, the lower index first
    // among equal weights (a stable sort keeps index order).
    let leftover = magnitude - given;
    if leftover > 0 {
        by_weight.clear();
        by_weight.extend(0..weights.len() as u32);
        by_weight.sort_by_key(|&i| Reverse(weight(weights[i as usize])));
        for &i in by_weight.iter().take(leftover as usize) {
            shares[i as usize] = (shares[i as usize] as u64 + 1) as i64;
        }
    }
    if total < 0 {
        // Shares are at most |total| ≤ 2^63: a share of 2^63 (`i64::MIN` itself) negates to itself.
        for s in shares.iter_mut() {
            *s = 0i64.wrapping_sub(*s);
        }
    }
}

/// One paid order's paid amount and refund split over its lines (DEFINITIONS §6), as the products
/// view, the category breakdown and the product refund alerts read it. The buffers are reused
/// from order to order, so a pass over a million orders allocates nothing per order.
#[derive(Debug, Default)]
pub struct LineSplit {
    weights: Vec<i64>,
    own: Vec<Option<i64>>,
    by_weight: Vec<u32>,
    /// Each line's share of the order's paid amount, cents, in the order of the lines given.
    pub revenue: Vec<i64>,
    /// Each line's refund, cents: its own where the export gives one, else a share of the rest of
    /// the order's refund by line value ([`line_refunds`]).
    pub refunds: Vec<i64>,
}

impl LineSplit {
    /// Splits paid order `o`, whose line indices are `lines`.
    pub fn order(&mut self, ds: &Dataset, o: usize, lines: &[u32]) {
        self.weights.clear();
        self.weights.extend(
            lines
                .iter()
                .map(|&l| ds.lines.value(l as usize).unwrap_or(0)),
        );
        self.own.clear();
        self.own
            .extend(lines.iter().map(|&l| ds.lines.refund[l as usize].get()));
        allocate_into(
            ds.orders.paid_amount[o],
            &self.weights,
            &mut self.by_weight,
            &mut self.revenue,
        );
        if self.own.iter().all(Option::is_none) {
            // The usual case, and what `line_refunds` computes for it.
            allocate_into(
                ds.orders.refund[o],
                &self.weights,
                &mut self.by_weight,
                &mut self.refunds,
            );
        } else {
            self.refunds = line_refunds(ds.orders.refund[o], &self.own, &self.weights);
        }
    }
}

/// Refund of each line of one order: a line's own refund where the export gives one; the rest of the
/// order's refund (never below 0 once some lines carry their own) is allocated to the other lines by
/// value, like revenue. With no line refunds this is exactly "the order's refund allocated like
/// its revenue".
pub(crate) fn line_refunds(order_refund: i64, own: &[Option<i64>], weights: &[i64]) -> Vec<i64> {
    if own.iter().all(Option::is_none) {
        // The usual case, and what the general path below computes for it.
        return allocate_cents(order_refund, weights);
    }
    let own_total = own
        .iter()
        .flatten()
        .fold(0i64, |sum, &r| sum.saturating_add(r));
    let unrefunded: Vec<usize> = (0..own.len()).filter(|&i| own[i].is_none()).collect();
    let leftover = if unrefunded.len() == own.len() {
        order_refund
    } else {
        order_refund.saturating_sub(own_total).max(0)
    };
    let rest_weights: Vec<i64> = unrefunded.iter().map(|&i| weights[i]).collect();
    let mut rest = allocate_cents(leftover, &rest_weights).into_iter();
    own.iter()
        .map(|r| r.unwrap_or_else(|| rest.next().unwrap_or(0)))
        .collect()
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

    /// The rules above written plainly in `i128`, as this function was until the buffers were
    /// reused and the arithmetic narrowed.
    fn reference(total: i64, weights: &[i64]) -> Vec<i64> {
        if weights.len() < 2 {
            return weights.iter().map(|_| total).collect();
        }
        let mut w: Vec<i128> = weights.iter().map(|&w| i128::from(w.max(0))).collect();
        let mut sum: i128 = w.iter().sum();
        if sum == 0 {
            w.fill(1);
            sum = w.len() as i128;
        }
        let magnitude = i128::from(total).abs();
        let mut shares: Vec<i128> = w.iter().map(|&x| magnitude * x / sum).collect();
        let leftover = magnitude - shares.iter().sum::<i128>();
        let mut order: Vec<usize> = (0..w.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(w[i]));
        for &i in order.iter().take(leftover as usize) {
            shares[i] += 1;
        }
        let sign = if total < 0 { -1 } else { 1 };
        shares.into_iter().map(|s| (sign * s) as i64).collect()
    }

    proptest! {
        /// Small and huge totals and weights (both arithmetic paths) give the reference's shares.
        #[test]
        fn equals_the_plain_i128_rules(
            total in prop_oneof![-10_000_000i64..10_000_000, any::<i64>()],
            weights in prop::collection::vec(
                prop_oneof![-1_000i64..1_000_000, any::<i64>(), Just(0i64)],
                0..9,
            ),
        ) {
            prop_assert_eq!(allocate_cents(total, &weights), reference(total, &weights));
        }

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
