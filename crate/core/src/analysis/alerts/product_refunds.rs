//! The count behind a product's refund rate (issue 17: an alert worth reading): how many of the
//! product's paid orders were refunded, against the shop's share of refunded product-orders.
//!
//! A product is flagged only when (1) it has at least `min_orders_for_refund_alert` paid orders,
//! (2) its refund rate (refunds / revenue, DEFINITIONS §6) is above `refund_rate_factor` × the
//! shop's, and (3) its refunded orders are unlikely under the shop's rate for its own number of
//! orders: with k of its n paid orders refunded and the shop's share p₀, the binomial tail
//! P(K ≥ k | n, p₀) is below the one-sided normal tail at z = `mad_k` (3 by default, the daily
//! alerts' band: 0.00135, about one false alarm per 740 ordinary products). An exact tail, not a
//! Wilson bound: at a handful of orders the Wilson bound at z = 3 still passes 4 refunds of 10 at a
//! 9 % shop (a 1-in-90 event), which flagged 1 product in 100 of a generated shop by chance.
//! Refunded-order counts follow the refunds the products view
//! allocates: an order counts as refunded for a product when the product's lines carry a refund
//! (their own, or the order's refund shared out like revenue). p₀ = Σ k / Σ n over every product.
//! Severity comes from the money at stake, as for every alert.

use crate::analysis::products::line_refunds_of_order;
use crate::model::Dataset;

/// Per product id: (paid orders containing it, those with a refund on its lines).
pub(super) struct RefundCounts {
    pub per_product: Vec<(u64, u64)>,
    /// The shop's share of refunded product-orders, Σ k / Σ n; `None` without paid lines.
    pub shop_share: Option<f64>,
}

/// Counts every paid order with lines, as the products view does.
pub(super) fn refund_counts(ds: &Dataset) -> RefundCounts {
    let lines_by_order = ds.lines_by_order();
    let orders = &ds.orders;
    let mut per_product = vec![(0u64, 0u64); ds.products.len()];
    // The order last counted per product, so that two lines of one order count once.
    let mut last: Vec<Option<(usize, bool)>> = vec![None; ds.products.len()];
    let (mut n_all, mut k_all) = (0u64, 0u64);
    for o in 0..orders.len() {
        let lines = lines_by_order.get(o);
        if !orders.is_paid(o) || lines.is_empty() {
            continue;
        }
        let refunds = line_refunds_of_order(ds, o, lines);
        for (i, &l) in lines.iter().enumerate() {
            let p = ds.lines.product[l as usize] as usize;
            let refunded = refunds[i] > 0;
            match last[p] {
                Some((prev, was)) if prev == o => {
                    if refunded && !was {
                        per_product[p].1 += 1;
                        k_all += 1;
                        last[p] = Some((o, true));
                    }
                }
                _ => {
                    per_product[p].0 += 1;
                    n_all += 1;
                    if refunded {
                        per_product[p].1 += 1;
                        k_all += 1;
                    }
                    last[p] = Some((o, refunded));
                }
            }
        }
    }
    RefundCounts {
        per_product,
        shop_share: (n_all > 0).then(|| k_all as f64 / n_all as f64),
    }
}

/// P(K ≥ k) for K ~ Binomial(n, p): the chance of at least `k` refunded orders of `n` at the
/// shop's share `p`. Summed from k upwards with the pmf's ratio recurrence, starting from
/// ln C(n, k) + k ln p + (n − k) ln(1 − p), so large n neither overflows nor underflows early.
pub(super) fn binomial_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let (kf, nf) = (k as f64, n as f64);
    let ln_choose: f64 = (1..=k)
        .map(|j| ((nf - kf + j as f64) / j as f64).ln())
        .sum();
    let mut term = (ln_choose + kf * p.ln() + (nf - kf) * (-p).ln_1p()).exp();
    let odds = p / (1.0 - p);
    let mut sum = 0.0;
    for i in k..=n {
        sum += term;
        // Past the mean the terms only shrink: stop once they no longer count.
        if term < sum * 1e-17 && (i as f64) > nf * p {
            break;
        }
        term *= (nf - i as f64) / (i as f64 + 1.0) * odds;
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tail summed term by term from exact binomial coefficients (small n only).
    fn naive(k: u64, n: u64, p: f64) -> f64 {
        let choose = |n: u64, i: u64| (1..=i).fold(1.0, |c, j| c * (n - i + j) as f64 / j as f64);
        (k..=n)
            .map(|i| choose(n, i) * p.powi(i as i32) * (1.0 - p).powi((n - i) as i32))
            .sum()
    }

    #[test]
    fn binomial_tails_by_hand() {
        // 4 or more of 6 at 7/24: 15·p⁴q² + 6·p⁵q + p⁶.
        let p: f64 = 7.0 / 24.0;
        let q = 1.0 - p;
        let want = 15.0 * p.powi(4) * q * q + 6.0 * p.powi(5) * q + p.powi(6);
        assert!((binomial_tail(4, 6, p) - want).abs() < 1e-15);
        // At least 1 of 5 at 4 %: 1 − 0.96⁵.
        assert!((binomial_tail(1, 5, 0.04) - (1.0 - 0.96f64.powi(5))).abs() < 1e-15);
        assert_eq!(binomial_tail(0, 10, 0.3), 1.0);
        assert_eq!(binomial_tail(11, 10, 0.3), 0.0);
        assert_eq!(binomial_tail(1, 10, 0.0), 0.0);
        assert_eq!(binomial_tail(3, 10, 1.0), 1.0);
        // Large n: 1,300 of 10,000 at 10 % is 10 σ out; 1,000 of 10,000 about half.
        assert!(binomial_tail(1_300, 10_000, 0.1) < 1e-20);
        let mid = binomial_tail(1_000, 10_000, 0.1);
        assert!(mid > 0.49 && mid < 0.52, "{mid}");
    }

    proptest::proptest! {
        #[test]
        fn binomial_tail_matches_the_naive_sum(n in 0u64..60, k in 0u64..62, p in 0.001f64..0.999) {
            let got = binomial_tail(k, n, p);
            let want = naive(k, n, p).min(1.0);
            proptest::prop_assert!((got - want).abs() < 1e-12 * want.max(1e-300) + 1e-15, "{got} vs {want}");
        }
    }
}
