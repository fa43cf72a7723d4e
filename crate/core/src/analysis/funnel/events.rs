//! The funnel report from behaviour events: the whole funnel, time to convert, breakdown, trend and
//! per-item funnels, each a run of [`tally_groups`] with a different grouping of the events.

use std::cmp::Reverse;

use crate::analysis::ratio;
use crate::model::{Dataset, EventType, Events, Interner};
use crate::time::{day_of, Grain};

use super::chain::{tally_groups, type_slot, FunnelSpec, GroupedEvent, Tally, EVENT_TYPES};
use super::{
    overall, step_stats, traffic, Breakdown, BreakdownRow, BreakdownRowKind, FunnelMode,
    FunnelOptions, FunnelReport, FunnelSource, FunnelStep, ItemFunnel, TimeBucket, TimeToConvert,
    TrendPoint,
};

/// Group key of events that lack the breakdown attribute (ids are never negative).
const MISSING_GROUP: i64 = -1;

/// Time-to-convert buckets: label and inclusive upper bound in seconds (`None` = open).
/// Bounds are inclusive so that a conversion exactly at the default 7-day window is in `3–7d`.
const TIME_BUCKETS: [(&str, Option<i64>); 8] = [
    ("≤1m", Some(60)),
    ("1–10m", Some(10 * 60)),
    ("10–60m", Some(60 * 60)),
    ("1–6h", Some(6 * 3600)),
    ("6–24h", Some(24 * 3600)),
    ("1–3d", Some(3 * 86_400)),
    ("3–7d", Some(7 * 86_400)),
    (">7d", None),
];

/// Number of events whose columns are all present (columns pushed together have equal lengths).
fn event_count(events: &Events) -> usize {
    events
        .user
        .len()
        .min(events.kind.len())
        .min(events.time.len())
}

/// The events whose type is one of the steps, keyed by `group_of(event index)`; events for which
/// it returns `None` are left out.
fn grouped_events(
    ds: &Dataset,
    steps: &[EventType],
    group_of: impl Fn(usize) -> Option<i64>,
) -> Vec<GroupedEvent> {
    let mut is_step = [false; EVENT_TYPES];
    for &kind in steps {
        is_step[type_slot(kind)] = true;
    }
    let e = &ds.events;
    let n = event_count(e);
    // Sized up front: collecting a filtered iterator grows by doubling, which for 10M events
    // copies ~0.5 GB and, in WebAssembly, leaves the old blocks behind (measured: BENCHMARKS.md).
    let steps = e.kind[..n]
        .iter()
        .filter(|&&k| is_step[type_slot(k)])
        .count();
    let mut grouped = Vec::with_capacity(steps);
    grouped.extend(
        (0..n)
            .filter(|&i| is_step[type_slot(e.kind[i])])
            .filter_map(|i| {
                Some(GroupedEvent {
                    group: group_of(i)?,
                    user: e.user[i],
                    time: e.time[i],
                    slot: type_slot(e.kind[i]) as u8,
                })
            }),
    );
    grouped
}

/// The text of an interned id, tolerating an id the interner does not hold.
fn name_of(interner: &Interner, id: i64) -> String {
    match usize::try_from(id) {
        Ok(i) if i < interner.len() => interner.name(i as u32).to_string(),
        _ => format!("#{id}"),
    }
}

fn product_title(ds: &Dataset, item: i64) -> Option<String> {
    let info = ds.product_info.get(usize::try_from(item).ok()?)?;
    info.title.clone()
}

/// See [`super::compute`]; `ds.events` is not empty.
pub(super) fn report(ds: &Dataset, opts: &FunnelOptions) -> FunnelReport {
    let spec = FunnelSpec {
        steps: &opts.steps,
        mode: opts.mode,
        window: opts.window_seconds,
    };
    let sequential = opts.mode == FunnelMode::Sequential;

    let mut all = grouped_events(ds, &opts.steps, |_| Some(0));
    let Tally { counts, fastest } = tally_groups(&spec, &mut all, sequential).pop().map_or_else(
        || Tally::new(opts.steps.len(), sequential),
        |(_, tally)| tally,
    );
    drop(all);
    let labels: Vec<FunnelStep> = opts.steps.iter().map(|&s| FunnelStep::Event(s)).collect();
    // Step 1 has no time to convert (always 0): the distributions start at step 2.
    let time_to_convert = opts
        .steps
        .iter()
        .zip(fastest.unwrap_or_default())
        .skip(1)
        .map(|(&step, times)| time_to_convert(step, times))
        .collect();

    // Per-item tallies serve both the item list and an item breakdown.
    let item_tallies = if opts.item_limit > 0 || opts.breakdown == Breakdown::Item {
        let mut by_item = grouped_events(ds, &opts.steps, |i| item_of(ds, i).map(i64::from));
        tally_groups(&spec, &mut by_item, false)
    } else {
        Vec::new()
    };
    let breakdown = breakdown(ds, &spec, opts, &item_tallies);

    let e = &ds.events;
    let mut users: Vec<u32> = e.user[..event_count(e)].to_vec();
    users.sort_unstable();
    users.dedup();

    FunnelReport {
        source: FunnelSource::Events,
        mode: opts.mode,
        window_seconds: if sequential {
            opts.window_seconds
        } else {
            None
        },
        steps: step_stats(&labels, &counts),
        time_to_convert,
        breakdown_by: opts.breakdown,
        breakdown,
        trend_grain: opts.trend_grain,
        trend: trend(ds, &spec, opts.trend_grain),
        items: items(ds, item_tallies, opts.item_limit),
        users: users.len() as u64,
        note: (!ds.traffic.is_empty()).then(|| {
            "A traffic export is loaded too; the funnel uses the behaviour events.".to_string()
        }),
    }
}

fn item_of(ds: &Dataset, event: usize) -> Option<u32> {
    ds.events.item.get(event).copied().flatten()
}

/// Breakdown rows by the options' attribute (the event's own category, brand or item).
fn breakdown(
    ds: &Dataset,
    spec: &FunnelSpec,
    opts: &FunnelOptions,
    item_tallies: &[(i64, Tally)],
) -> Vec<BreakdownRow> {
    let e = &ds.events;
    let (tallies, names) = match opts.breakdown {
        Breakdown::None => return Vec::new(),
        Breakdown::Category => {
            let group_of = |i: usize| attribute_group(e.category.get(i).copied().flatten());
            let mut by_category = grouped_events(ds, spec.steps, group_of);
            (tally_groups(spec, &mut by_category, false), &ds.categories)
        }
        Breakdown::Brand => {
            let group_of = |i: usize| attribute_group(e.brand.get(i).copied().flatten());
            let mut by_brand = grouped_events(ds, spec.steps, group_of);
            (tally_groups(spec, &mut by_brand, false), &ds.brands)
        }
        Breakdown::Item => {
            // Events without an item are a group of their own here, as for categories and brands.
            let mut without_item = grouped_events(ds, spec.steps, |i| {
                item_of(ds, i).is_none().then_some(MISSING_GROUP)
            });
            let mut tallies = tally_groups(spec, &mut without_item, false);
            tallies.extend_from_slice(item_tallies);
            (tallies, &ds.products)
        }
    };
    let title = |group: i64| match opts.breakdown {
        Breakdown::Item => product_title(ds, group),
        _ => None,
    };
    breakdown_rows(tallies, opts.top_n, |g| name_of(names, g), title)
}

/// The funnel per period, on each period's events only.
fn trend(ds: &Dataset, spec: &FunnelSpec, grain: Grain) -> Vec<TrendPoint> {
    let times = &ds.events.time;
    let mut by_period = grouped_events(ds, spec.steps, |i| {
        Some(i64::from(grain.period(day_of(times[i]))))
    });
    tally_groups(spec, &mut by_period, false)
        .into_iter()
        .map(|(period, tally)| TrendPoint {
            // Periods are `i32` (`Grain::period`), widened for the group key.
            period: grain.label(period as i32),
            overall_conversion: overall(&tally.counts),
            counts: tally.counts,
        })
        .collect()
}

/// The `limit` items with the most step-1 (user, item) pairs, with their item conversion.
fn items(ds: &Dataset, mut item_tallies: Vec<(i64, Tally)>, limit: usize) -> Vec<ItemFunnel> {
    if limit == 0 {
        return Vec::new();
    }
    let conversion = item_conversion(ds);
    rank_by_first_step(&mut item_tallies, |g| name_of(&ds.products, g));
    item_tallies.truncate(limit);
    item_tallies
        .into_iter()
        .map(|(item, tally)| ItemFunnel {
            item: name_of(&ds.products, item),
            title: product_title(ds, item),
            overall_conversion: overall(&tally.counts),
            counts: tally.counts,
            item_conversion: usize::try_from(item)
                .ok()
                .and_then(|i| conversion.get(i).copied().flatten()),
        })
        .collect()
}

fn attribute_group(id: Option<u32>) -> Option<i64> {
    Some(id.map_or(MISSING_GROUP, i64::from))
}

/// Sorts groups by step-1 count, descending; ties by name, ascending, with the missing group last.
fn rank_by_first_step(tallies: &mut [(i64, Tally)], name: impl Fn(i64) -> String) {
    tallies.sort_by_cached_key(|(group, tally)| {
        (
            Reverse(tally.counts.first().copied().unwrap_or(0)),
            *group == MISSING_GROUP,
            name(*group),
        )
    });
}

/// The top `top_n` groups by step-1 count, then an `other` row adding up the rest.
fn breakdown_rows(
    mut tallies: Vec<(i64, Tally)>,
    top_n: usize,
    name: impl Fn(i64) -> String,
    title: impl Fn(i64) -> Option<String>,
) -> Vec<BreakdownRow> {
    rank_by_first_step(&mut tallies, &name);
    let rest = tallies.split_off(top_n.min(tallies.len()));
    let mut rows: Vec<BreakdownRow> = tallies
        .into_iter()
        .map(|(group, tally)| {
            let missing = group == MISSING_GROUP;
            BreakdownRow {
                kind: if missing {
                    BreakdownRowKind::Missing
                } else {
                    BreakdownRowKind::Group
                },
                group: (!missing).then(|| name(group)),
                title: if missing { None } else { title(group) },
                groups: 1,
                overall_conversion: overall(&tally.counts),
                counts: tally.counts,
            }
        })
        .collect();
    if let Some((_, first)) = rest.first() {
        let mut counts = vec![0u64; first.counts.len()];
        for (_, tally) in &rest {
            for (sum, &count) in counts.iter_mut().zip(&tally.counts) {
                *sum += count;
            }
        }
        rows.push(BreakdownRow {
            kind: BreakdownRowKind::Other,
            group: None,
            title: None,
            groups: rest.len() as u64,
            overall_conversion: overall(&counts),
            counts,
        });
    }
    rows
}

/// Median (lower middle) and bucketed distribution of the users' fastest times to `step`.
fn time_to_convert(step: EventType, mut times: Vec<i64>) -> TimeToConvert {
    times.sort_unstable();
    let median_seconds = match times.len() {
        0 => None,
        n => Some(times[(n - 1) / 2]),
    };
    let mut below = 0;
    let buckets = TIME_BUCKETS
        .iter()
        .map(|&(label, upper_seconds)| {
            let up_to =
                upper_seconds.map_or(times.len(), |upper| times.partition_point(|&t| t <= upper));
            let users = (up_to - below) as u64;
            below = up_to;
            TimeBucket {
                label: label.to_string(),
                upper_seconds,
                users,
            }
        })
        .collect();
    TimeToConvert {
        step,
        users: times.len() as u64,
        median_seconds,
        buckets,
    }
}

/// Item conversion per product (DEFINITIONS §5): distinct buyers of the item / distinct viewers of
/// the item, from the events (distinct mode, view and purchase whatever the funnel's steps), indexed
/// by interned product id (`ds.products`). `None` where nobody viewed the item.
///
/// Without events, a 生意参谋 item-level traffic export gives the same ratio from its own columns:
/// Σ 支付买家数 / Σ 访客数 over the loaded days (sums of daily unique counts); `None` where either
/// column is missing for the item.
pub fn item_conversion(ds: &Dataset) -> Vec<Option<f64>> {
    let products = ds.products.len();
    if ds.events.is_empty() {
        return traffic::item_conversion(ds, products);
    }
    let e = &ds.events;
    let mut viewers = vec![0u64; products];
    let mut buyers = vec![0u64; products];
    for (kind, counts) in [
        (EventType::View, &mut viewers),
        (EventType::Purchase, &mut buyers),
    ] {
        let mut pairs: Vec<(u32, u32)> = (0..event_count(e))
            .filter(|&i| e.kind[i] == kind)
            .filter_map(|i| Some((e.item.get(i).copied().flatten()?, e.user[i])))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (item, _) in pairs {
            if let Some(count) = counts.get_mut(item as usize) {
                *count += 1;
            }
        }
    }
    viewers
        .iter()
        .zip(&buyers)
        .map(|(&viewed, &bought)| ratio(bought as f64, viewed as f64))
        .collect()
}
