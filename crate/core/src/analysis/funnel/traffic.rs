//! The funnel from aggregated traffic rows (生意参谋 店铺/商品 exports): 访客数 → 加购人数 → 支付买家数
//! summed over the loaded days (DEFINITIONS §5). The rows hold daily unique counts, so the sums count
//! a visitor once per day they came: the report says so in its note.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::analysis::ratio;
use crate::model::{Dataset, Traffic};
use crate::time::Grain;

use super::{
    overall, step_stats, Breakdown, FunnelMode, FunnelOptions, FunnelReport, FunnelSource,
    FunnelStep, ItemFunnel, TrafficStep, TrendPoint,
};

/// The traffic funnel's steps, in order.
const TRAFFIC_STEPS: [TrafficStep; 3] = [
    TrafficStep::Visitors,
    TrafficStep::CartUsers,
    TrafficStep::Buyers,
];

fn column(traffic: &Traffic, step: TrafficStep) -> &[Option<i64>] {
    match step {
        TrafficStep::Visitors => &traffic.visitors,
        TrafficStep::CartUsers => &traffic.cart_users,
        TrafficStep::Buyers => &traffic.buyers,
    }
}

/// The export's column name, for notes.
fn column_name(step: TrafficStep) -> &'static str {
    match step {
        TrafficStep::Visitors => "访客数 (visitors)",
        TrafficStep::CartUsers => "加购人数 (cart users)",
        TrafficStep::Buyers => "支付买家数 (buyers)",
    }
}

/// A row's count for a step: `None` when the row lacks it; negative counts (corrupt) read as 0.
fn value(traffic: &Traffic, step: TrafficStep, row: usize) -> Option<i64> {
    column(traffic, step)
        .get(row)
        .copied()
        .flatten()
        .map(|v| v.max(0))
}

/// Per-step sums over some rows: `None` for a step no row gives.
fn sums(traffic: &Traffic, steps: &[TrafficStep], rows: &[usize]) -> Vec<Option<i64>> {
    steps
        .iter()
        .map(|&step| {
            rows.iter()
                .filter_map(|&row| value(traffic, step, row))
                .fold(None, |sum: Option<i64>, v| {
                    Some(sum.unwrap_or(0).saturating_add(v))
                })
        })
        .collect()
}

/// Sums of the given steps, missing ones as 0 (sums saturate at `i64::MAX`, so never negative).
fn counts(sums: &[Option<i64>]) -> Vec<u64> {
    sums.iter().map(|s| s.unwrap_or(0) as u64).collect()
}

/// See [`super::compute`]; `None` when no row gives any of the funnel's counts.
pub(super) fn report(ds: &Dataset, opts: &FunnelOptions) -> Option<FunnelReport> {
    let traffic = &ds.traffic;
    let all_rows = 0..traffic.len();
    let product_of = |row: usize| traffic.product.get(row).copied().flatten();
    let shop_rows: Vec<usize> = all_rows
        .clone()
        .filter(|&r| product_of(r).is_none())
        .collect();
    let item_rows: Vec<usize> = all_rows.filter(|&r| product_of(r).is_some()).collect();
    let item_rows_only = shop_rows.is_empty();
    let rows = if item_rows_only {
        &item_rows
    } else {
        &shop_rows
    };

    let totals = sums(traffic, &TRAFFIC_STEPS, rows);
    let steps: Vec<TrafficStep> = TRAFFIC_STEPS
        .iter()
        .zip(&totals)
        .filter(|(_, total)| total.is_some())
        .map(|(&step, _)| step)
        .collect();
    if steps.is_empty() {
        return None;
    }
    let totals: Vec<u64> = totals.iter().flatten().map(|&t| t as u64).collect();

    let mut days: Vec<i32> = rows
        .iter()
        .filter_map(|&r| traffic.day.get(r).copied().flatten())
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut note = vec![format!(
        "Sum of daily unique counts over {} day(s): a visitor who came on two days counts twice.",
        days.len()
    )];
    if item_rows_only {
        note.push(
            "The export has item rows only, so counts are summed over items too: a visitor of two \
             items counts twice."
                .to_string(),
        );
    }
    for step in TRAFFIC_STEPS.iter().filter(|s| !steps.contains(s)) {
        note.push(format!(
            "No {} column: that step is left out.",
            column_name(*step)
        ));
    }

    let labels: Vec<FunnelStep> = steps.iter().map(|&s| FunnelStep::Traffic(s)).collect();
    Some(FunnelReport {
        source: FunnelSource::TrafficAggregate,
        mode: FunnelMode::Distinct,
        window_seconds: None,
        steps: step_stats(&labels, &[], &totals),
        time_to_convert: Vec::new(),
        breakdown_by: Breakdown::None,
        breakdown: Vec::new(),
        trend_grain: opts.trend_grain,
        trend: trend(traffic, &steps, rows, opts.trend_grain),
        items: items(ds, &steps, &item_rows, opts.item_limit),
        users: 0,
        event_names: Vec::new(),
        note: Some(note.join(" ")),
    })
}

/// Per-period sums of the rows that carry a day.
fn trend(
    traffic: &Traffic,
    steps: &[TrafficStep],
    rows: &[usize],
    grain: Grain,
) -> Vec<TrendPoint> {
    let mut by_period: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for &row in rows {
        if let Some(day) = traffic.day.get(row).copied().flatten() {
            by_period.entry(grain.period(day)).or_default().push(row);
        }
    }
    by_period
        .into_iter()
        .map(|(period, rows)| {
            let counts = counts(&sums(traffic, steps, &rows));
            TrendPoint {
                period: grain.label(period),
                overall_conversion: overall(&counts),
                counts,
            }
        })
        .collect()
}

/// Item rows grouped by product, with the item's summed counts.
fn rows_by_item(traffic: &Traffic, item_rows: &[usize]) -> Vec<(u32, Vec<usize>)> {
    let mut by_item: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for &row in item_rows {
        if let Some(item) = traffic.product.get(row).copied().flatten() {
            by_item.entry(item).or_default().push(row);
        }
    }
    by_item.into_iter().collect()
}

/// Per-item funnels from item rows, ranked by visitors (ties by product key).
fn items(
    ds: &Dataset,
    steps: &[TrafficStep],
    item_rows: &[usize],
    limit: usize,
) -> Vec<ItemFunnel> {
    let traffic = &ds.traffic;
    let name = |item: u32| {
        if (item as usize) < ds.products.len() {
            ds.products.name(item).to_string()
        } else {
            format!("#{item}")
        }
    };
    let mut items: Vec<(String, u32, Vec<u64>, Option<f64>)> = rows_by_item(traffic, item_rows)
        .into_iter()
        .map(|(item, rows)| {
            let conversion = conversion_of(traffic, &rows);
            (
                name(item),
                item,
                counts(&sums(traffic, steps, &rows)),
                conversion,
            )
        })
        .collect();
    items.sort_by(|a, b| {
        let first = |c: &[u64]| c.first().copied().unwrap_or(0);
        (Reverse(first(&a.2)), &a.0).cmp(&(Reverse(first(&b.2)), &b.0))
    });
    items.truncate(limit);
    items
        .into_iter()
        .map(|(key, item, counts, item_conversion)| ItemFunnel {
            item: key,
            title: ds
                .product_info
                .get(item as usize)
                .and_then(|info| info.title.clone()),
            overall_conversion: overall(&counts),
            counts,
            item_conversion,
        })
        .collect()
}

/// Σ buyers / Σ visitors over some rows; `None` when either column is missing or visitors sum to 0.
fn conversion_of(traffic: &Traffic, rows: &[usize]) -> Option<f64> {
    let totals = sums(traffic, &[TrafficStep::Visitors, TrafficStep::Buyers], rows);
    match totals[..] {
        [Some(visitors), Some(buyers)] => ratio(buyers as f64, visitors as f64),
        _ => None,
    }
}

/// Item conversion per product id (`0..products`) from item-level traffic rows.
pub(super) fn item_conversion(ds: &Dataset, products: usize) -> Vec<Option<f64>> {
    let traffic = &ds.traffic;
    let item_rows: Vec<usize> = (0..traffic.len())
        .filter(|&r| traffic.product.get(r).copied().flatten().is_some())
        .collect();
    let mut conversion = vec![None; products];
    for (item, rows) in rows_by_item(traffic, &item_rows) {
        if let Some(slot) = conversion.get_mut(item as usize) {
            *slot = conversion_of(traffic, &rows);
        }
    }
    conversion
}
