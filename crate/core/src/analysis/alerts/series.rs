//! Dense daily series of the shop's metrics, and the trailing median ± k·MAD test.

use rustc_hash::FxHashSet;

use super::AlertOptions;
use crate::model::Dataset;
use crate::time::{day_of, Day};

/// Scales a median absolute deviation to a standard deviation for normally distributed data.
pub const MAD_TO_SIGMA: f64 = 1.4826;

/// Floor of the spread, as a fraction of the median's magnitude: a baseline whose scaled MAD is
/// smaller (a flat history, MAD 0) still needs a move of `k` × 5 % of the median to alert.
pub const RELATIVE_SPREAD_FLOOR: f64 = 0.05;

/// Longest series examined, days (about ten years, ending on the last day). Bounds memory and time
/// when a stray timestamp stretches the range.
pub const MAX_SERIES_DAYS: i64 = 3_660;

/// One value per calendar day from `first_day`; `None` where the metric is undefined that day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DailySeries {
    pub first_day: Day,
    pub values: Vec<Option<f64>>,
    /// Per day, the money (cents) one unit of the metric is worth that day: 1 for GMV, the shop's
    /// AOV for paid orders, the day's GMV for the refund rate, visitors × 客单价 for conversion.
    /// A day's stake is |value − median| × this. Empty: no stake.
    pub unit_value: Vec<f64>,
    /// Per day, the spread the value has from its own sample size alone (a rate measured on six
    /// orders moves by whole sixths): the band is never narrower. Empty: no such floor.
    pub sampling_sd: Vec<f64>,
}

/// The order-based series over paid orders, dense from the first to the last paid order day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderSeries {
    /// GMV, cents (0 on days without orders).
    pub gmv: DailySeries,
    /// Paid orders (0 on days without orders).
    pub paid_orders: DailySeries,
    /// Refunds / GMV of the day's paid orders; `None` on days with fewer than
    /// `min_orders_for_refund_alert` paid orders (a single refunded order is not a trend) or no GMV.
    pub refund_rate: DailySeries,
}

/// Clamps `first..=last` to at most [`MAX_SERIES_DAYS`] days ending on `last`; returns the first day
/// and the length.
fn bounded_range(first: Day, last: Day) -> (Day, usize) {
    let first = i64::from(first).max(i64::from(last) - MAX_SERIES_DAYS + 1);
    let len = (i64::from(last) - first + 1).max(0);
    (first as Day, len as usize)
}

/// Daily GMV, paid orders and refund rate of paid orders, by order time.
/// Refunds are counted on the order's day: exports carry no refund time.
pub fn order_series(
    ds: &Dataset,
    min_orders_for_refund_rate: u64,
    window_days: usize,
) -> OrderSeries {
    let orders = &ds.orders;
    let paid_days = (0..orders.len())
        .filter(|&o| orders.is_paid(o))
        .map(|o| day_of(orders.time[o]));
    let (Some(first), Some(last)) = (paid_days.clone().min(), paid_days.max()) else {
        return OrderSeries::default();
    };
    let (first, len) = bounded_range(first, last);
    let mut gmv = vec![0i64; len];
    let mut count = vec![0u64; len];
    let mut refunds = vec![0i64; len];
    for o in (0..orders.len()).filter(|&o| orders.is_paid(o)) {
        let Some(i) = day_index(first, len, day_of(orders.time[o])) else {
            continue;
        };
        gmv[i] = gmv[i].saturating_add(orders.paid_amount[o]);
        count[i] += 1;
        refunds[i] = refunds[i].saturating_add(orders.refund[o]);
    }
    let refund_rate = (0..len)
        .map(|i| {
            let enough = count[i] >= min_orders_for_refund_rate.max(1);
            enough
                .then(|| crate::analysis::ratio(refunds[i] as f64, gmv[i] as f64))
                .flatten()
        })
        .collect();
    let counts: Vec<f64> = count.iter().map(|&c| c as f64).collect();
    // Paid orders are counts: Poisson, σ = √λ with λ the trailing mean. GMV is a sum over those
    // orders: σ ≈ mean GMV / √(mean orders) (the orders' count varies, their sizes average out).
    let mean_orders = trailing_means(&counts, None, window_days);
    let gmv_f: Vec<f64> = gmv.iter().map(|&g| g as f64).collect();
    let mean_gmv = trailing_means(&gmv_f, None, window_days);
    // A rate measured on the day's n orders: binomial, σ = √(p (1 − p) / n), p the trailing
    // window's pooled rate (Σ refunds / Σ GMV), n the day's paid orders.
    let refunds_f: Vec<f64> = refunds.iter().map(|&r| r as f64).collect();
    let pooled_refund_rate = trailing_means(&refunds_f, Some(&gmv_f), window_days);
    let total_orders: f64 = counts.iter().sum();
    let aov = if total_orders > 0.0 {
        gmv_f.iter().sum::<f64>() / total_orders
    } else {
        0.0
    };
    OrderSeries {
        gmv: DailySeries {
            first_day: first,
            values: gmv_f.iter().map(|&g| Some(g)).collect(),
            unit_value: vec![1.0; len],
            sampling_sd: (0..len)
                .map(|i| mean_gmv[i] / mean_orders[i].max(1.0).sqrt())
                .collect(),
        },
        paid_orders: DailySeries {
            first_day: first,
            values: counts.iter().map(|&c| Some(c)).collect(),
            unit_value: vec![aov; len],
            sampling_sd: mean_orders.iter().map(|m| m.sqrt()).collect(),
        },
        refund_rate: DailySeries {
            first_day: first,
            values: refund_rate,
            unit_value: gmv_f.clone(),
            sampling_sd: (0..len)
                .map(|i| binomial_sd(pooled_refund_rate[i], counts[i]))
                .collect(),
        },
    }
}

/// `√(p (1 − p) / n)`: the spread of a proportion measured on `n` trials (0 for no trials).
fn binomial_sd(p: f64, n: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    let p = p.clamp(0.0, 1.0);
    (p * (1.0 - p) / n).sqrt()
}

/// Per day, the mean of `values` over the `window` days before it (Σ values / window), or with
/// `per` the pooled ratio Σ values / Σ per over those days (0 where Σ per is 0).
fn trailing_means(values: &[f64], per: Option<&[f64]>, window: usize) -> Vec<f64> {
    let prefix = |xs: &[f64]| {
        let mut p = Vec::with_capacity(xs.len() + 1);
        p.push(0.0);
        for x in xs {
            p.push(p.last().copied().unwrap_or(0.0) + x);
        }
        p
    };
    let num = prefix(values);
    let den = per.map(prefix);
    (0..values.len())
        .map(|i| {
            let from = i.saturating_sub(window);
            let sum = num[i] - num[from];
            match &den {
                Some(d) => {
                    let total = d[i] - d[from];
                    if total > 0.0 {
                        sum / total
                    } else {
                        0.0
                    }
                }
                None if i > from => sum / (i - from) as f64,
                None => 0.0,
            }
        })
        .collect()
}

/// Daily conversion rate (支付转化率, DEFINITIONS §2) from shop-level traffic rows (rows with a day and
/// no product), dense from the first to the last such day; `None` on days without visitors.
///
/// Paid buyers come from the traffic rows' own 支付买家数 when any shop-level row has it (numerator
/// and denominator then come from the same rows); otherwise from the distinct customers of that
/// day's paid orders. Without either, there is no series.
pub fn conversion_series(ds: &Dataset, window_days: usize) -> Option<DailySeries> {
    let t = &ds.traffic;
    let shop_rows: Vec<(usize, Day)> = (0..t.len())
        .filter(|&r| t.product[r].is_none() && t.visitors[r].is_some())
        .filter_map(|r| t.day[r].map(|d| (r, d)))
        .collect();
    let first = shop_rows.iter().map(|&(_, d)| d).min()?;
    let last = shop_rows.iter().map(|&(_, d)| d).max()?;
    let (first, len) = bounded_range(first, last);
    let traffic_has_buyers = shop_rows.iter().any(|&(r, _)| t.buyers[r].is_some());
    if !traffic_has_buyers && !ds.has_customers {
        return None;
    }

    let mut visitors = vec![0i64; len];
    let mut buyers = vec![0i64; len];
    for &(r, day) in &shop_rows {
        let (Some(i), Some(v)) = (day_index(first, len, day), t.visitors[r]) else {
            continue;
        };
        if traffic_has_buyers {
            let Some(b) = t.buyers[r] else { continue };
            buyers[i] = buyers[i].saturating_add(b);
        }
        visitors[i] = visitors[i].saturating_add(v);
    }
    if !traffic_has_buyers {
        let orders = &ds.orders;
        let mut seen: FxHashSet<(usize, u32)> = FxHashSet::default();
        for o in (0..orders.len()).filter(|&o| orders.is_paid(o)) {
            let (Some(i), Some(c)) = (
                day_index(first, len, day_of(orders.time[o])),
                orders.customer[o],
            ) else {
                continue;
            };
            if seen.insert((i, c)) {
                buyers[i] += 1;
            }
        }
    }
    let values = (0..len)
        .map(|i| crate::analysis::ratio(buyers[i] as f64, visitors[i] as f64))
        .collect();
    let buyers_f: Vec<f64> = buyers.iter().map(|&b| b as f64).collect();
    let visitors_f: Vec<f64> = visitors.iter().map(|&v| v as f64).collect();
    let pooled = trailing_means(&buyers_f, Some(&visitors_f), window_days);
    // 客单价 over the whole data: GMV of paid orders / their distinct buyers.
    let orders = &ds.orders;
    let mut buyer_ids: FxHashSet<u32> = FxHashSet::default();
    let mut gmv = 0.0;
    for o in (0..orders.len()).filter(|&o| orders.is_paid(o)) {
        gmv += orders.paid_amount[o] as f64;
        if let Some(c) = orders.customer[o] {
            buyer_ids.insert(c);
        }
    }
    let per_buyer = if buyer_ids.is_empty() {
        0.0
    } else {
        gmv / buyer_ids.len() as f64
    };
    Some(DailySeries {
        first_day: first,
        values,
        unit_value: visitors_f.iter().map(|v| v * per_buyer).collect(),
        sampling_sd: (0..len)
            .map(|i| binomial_sd(pooled[i], visitors_f[i]))
            .collect(),
    })
}

fn day_index(first: Day, len: usize, day: Day) -> Option<usize> {
    let i = i64::from(day) - i64::from(first);
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// A day whose value left its trailing band.
#[derive(Clone, Debug, PartialEq)]
pub struct Anomaly {
    /// Index into the series.
    pub index: usize,
    pub value: f64,
    /// Median of the trailing window.
    pub median: f64,
    /// Spread used: max(1.4826 · MAD, floor).
    pub scale: f64,
    /// (value − median) / scale.
    pub deviation: f64,
    /// Days with a value in the trailing window.
    pub history_days: usize,
}

/// Days whose value lies outside `median ± k · scale` of the `window_days` days before them, where
/// `scale = max(1.4826 · MAD, 5 % of |median|, unit_floor, the day's sampling spread)` (see
/// [`DailySeries::sampling_sd`]: a rate on six orders is not a signal) and MAD is the median absolute deviation
/// from the median. Days with `None` are skipped, and are not history either; a day needs at least
/// `min_history_days` (and at least 1) days with a value in its window.
///
/// The floor stands in for a MAD of 0 (a flat history), which would otherwise make any move
/// infinitely far: `unit_floor` is the metric's smallest meaningful step (¥1, one order, a tenth or
/// a whole percentage point), so a flat zero history needs a move of more than `k` such steps.
pub fn detect(series: &DailySeries, unit_floor: f64, opts: &AlertOptions) -> Vec<Anomaly> {
    let values = &series.values;
    let mut anomalies = Vec::new();
    let mut history: Vec<f64> = Vec::with_capacity(opts.window_days.min(values.len()));
    for (index, value) in values.iter().enumerate() {
        let Some(value) = *value else { continue };
        history.clear();
        history.extend(
            values[index.saturating_sub(opts.window_days)..index]
                .iter()
                .flatten(),
        );
        if history.len() < opts.min_history_days.max(1) {
            continue;
        }
        let median = median_in_place(&mut history);
        for h in history.iter_mut() {
            *h = (*h - median).abs();
        }
        let mad = median_in_place(&mut history);
        let sampling = series.sampling_sd.get(index).copied().unwrap_or(0.0);
        let scale = (MAD_TO_SIGMA * mad)
            .max(RELATIVE_SPREAD_FLOOR * median.abs())
            .max(unit_floor)
            .max(if sampling.is_finite() { sampling } else { 0.0 });
        let deviation = (value - median) / scale;
        if deviation.abs() > opts.mad_k {
            anomalies.push(Anomaly {
                index,
                value,
                median,
                scale,
                deviation,
                history_days: history.len(),
            });
        }
    }
    anomalies
}

/// Median of a non-empty slice (mean of the two middle values for an even count); reorders it.
fn median_in_place(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A series without a sampling floor.
    fn plain(values: &[Option<f64>]) -> DailySeries {
        DailySeries {
            first_day: 0,
            values: values.to_vec(),
            unit_value: Vec::new(),
            sampling_sd: Vec::new(),
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median_in_place(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median_in_place(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn band_uses_scaled_mad() {
        // History 10, 12, 8, 11, 9 (median 10, |dev| 0 2 2 1 1 → MAD 1, scale 1.4826).
        // 15 is (15 − 10) / 1.4826 = 3.37 scaled MADs above: an anomaly at k = 3; 14 (2.70) is not.
        let opts = AlertOptions {
            window_days: 5,
            min_history_days: 5,
            ..AlertOptions::default()
        };
        let history = [10.0, 12.0, 8.0, 11.0, 9.0];
        let mut values: Vec<Option<f64>> = history.iter().map(|&v| Some(v)).collect();
        values.push(Some(15.0));
        let found = detect(&plain(&values), 0.0, &opts);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].index, found[0].median, found[0].history_days),
            (5, 10.0, 5)
        );
        assert!((found[0].deviation - 5.0 / 1.4826).abs() < 1e-12);
        values[5] = Some(14.0);
        assert!(detect(&plain(&values), 0.0, &opts).is_empty());
    }

    #[test]
    fn flat_history_uses_the_floor_and_missing_days_are_skipped() {
        // Flat 100 → MAD 0; floor = max(5 % of 100, unit 1) = 5, so the band is 100 ± 15.
        let opts = AlertOptions {
            window_days: 4,
            min_history_days: 3,
            ..AlertOptions::default()
        };
        let values = [
            Some(100.0),
            None,
            Some(100.0),
            Some(100.0),
            Some(115.0),
            Some(116.0),
        ];
        let found = detect(&plain(&values), 1.0, &opts);
        // Day 4: 115 is exactly on the band edge (3.0), not beyond. Day 5: history is days 1–4
        // (None, 100, 100, 115): median 100, |dev| 0 0 15 → MAD 0 → scale 5; (116 − 100)/5 = 3.2.
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].index, found[0].scale, found[0].history_days),
            (5, 5.0, 3)
        );
        // Too little history: nothing is tested.
        let strict = AlertOptions {
            min_history_days: 5,
            ..opts
        };
        assert!(detect(&plain(&values), 1.0, &strict).is_empty());
    }
}
