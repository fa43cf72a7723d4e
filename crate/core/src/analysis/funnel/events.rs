//! The funnel report from behaviour events: the whole funnel, time to convert, breakdown, trend and
//! per-item funnels, all tallied in one pass over the users ([`pass::tally`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::{Dataset, Events, Interner};
use crate::time::Grain;

use super::chain::{FunnelSpec, Tally};
use super::group_tallies::{Group, GroupTallies};
use super::item_users;
use super::pass::{self, Attribute, Plan};
use super::user_runs::UserRuns;
use super::vocabulary;
use super::{
    overall, step_stats, traffic, Breakdown, BreakdownRow, BreakdownRowKind, FunnelError,
    FunnelMode, FunnelOptions, FunnelReport, FunnelSource, FunnelStep, ItemFunnel, TimeBucket,
    TimeToConvert, TrendPoint,
};

/// Time-to-convert buckets: label and inclusive upper bound in seconds (`None` = open).
/// Bounds are inclusive so that a conversion exactly at the default 7-day window is in `3–7d`.
pub(crate) const TIME_BUCKETS: [(&str, Option<i64>); 8] = [
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
        .min(events.name.len())
        .min(events.time.len())
}

/// The text of an interned id, tolerating an id the interner does not hold.
fn name_of(interner: &Interner, id: u32) -> Cow<'_, str> {
    if (id as usize) < interner.len() {
        Cow::Borrowed(interner.name(id))
    } else {
        Cow::Owned(format!("#{id}"))
    }
}

fn product_title(ds: &Dataset, item: u32) -> Option<String> {
    let info = ds.product_info.get(item as usize)?;
    info.title.clone()
}

/// See [`super::compute`]; `ds.events` is not empty. An error when a name would be in two steps.
pub(super) fn report(ds: &Dataset, opts: &FunnelOptions) -> Result<FunnelReport, FunnelError> {
    let sequential = opts.mode == FunnelMode::Sequential;
    let events_per_name = vocabulary::events_per_name(ds);
    let meanings = vocabulary::meanings(ds, &events_per_name);
    let steps = vocabulary::resolve(ds, &meanings, &opts.steps)?;
    let runs = UserRuns::build(&ds.events.user[..event_count(&ds.events)]);
    let plan = Plan {
        spec: FunnelSpec {
            steps: opts.steps.len(),
            mode: opts.mode,
            window: opts.window_seconds,
        },
        step_of: &steps.step_of,
        keep_fastest: sequential,
        trend_grain: opts.trend_grain,
        // Per-item tallies serve both the item list and an item breakdown.
        items: opts.item_limit > 0 || opts.breakdown == Breakdown::Item,
        missing_item_group: opts.breakdown == Breakdown::Item,
        attribute: match opts.breakdown {
            Breakdown::Category => Some(Attribute::Category),
            Breakdown::Brand => Some(Attribute::Brand),
            Breakdown::None | Breakdown::Item => None,
        },
    };
    let tallies = pass::tally(ds, &runs, &plan);

    let Tally { counts, fastest } = tallies.whole;
    let labels: Vec<FunnelStep> = opts.steps.iter().map(FunnelStep::from).collect();
    let step_names: Vec<Vec<String>> = steps
        .names
        .iter()
        .map(|ids| {
            ids.iter()
                .map(|&id| name_of(&ds.event_names, id).into_owned())
                .collect()
        })
        .collect();
    // Step 1 has no time to convert (always 0): the distributions start at step 2.
    let time_to_convert = labels
        .iter()
        .zip(fastest.unwrap_or_default())
        .skip(1)
        .map(|(step, times)| time_to_convert(step.clone(), times))
        .collect();

    let breakdown_tallies = match opts.breakdown {
        Breakdown::None => None,
        Breakdown::Category => tallies.attribute.as_ref().map(|t| (t, &ds.categories)),
        Breakdown::Brand => tallies.attribute.as_ref().map(|t| (t, &ds.brands)),
        Breakdown::Item => tallies.items.as_ref().map(|t| (t, &ds.products)),
    };
    let breakdown = breakdown_tallies.map_or_else(Vec::new, |(groups, names)| {
        // A numeric category id is shown by its name from the product data, where known.
        let category_names = match opts.breakdown {
            Breakdown::Category => super::category_names::names_for_ids(ds),
            _ => Vec::new(),
        };
        let title = |id: u32| match opts.breakdown {
            Breakdown::Item => product_title(ds, id),
            Breakdown::Category => category_names.get(id as usize).cloned().flatten(),
            _ => None,
        };
        breakdown_rows(groups, opts.top_n, names, title)
    });
    let items = match &tallies.items {
        Some(item_tallies) if opts.item_limit > 0 => {
            items(ds, &runs, &meanings, item_tallies, opts.item_limit)
        }
        _ => Vec::new(),
    };

    let event_names = vocabulary::name_stats(ds, &runs, &events_per_name, &meanings, &steps);
    Ok(FunnelReport {
        source: FunnelSource::Events,
        mode: opts.mode,
        window_seconds: if sequential {
            opts.window_seconds
        } else {
            None
        },
        steps: step_stats(&labels, &step_names, &counts),
        time_to_convert,
        breakdown_by: opts.breakdown,
        breakdown,
        trend_grain: opts.trend_grain,
        trend: trend(tallies.trend, opts.trend_grain),
        items,
        users: runs.users() as u64,
        event_names,
        note: (!ds.traffic.is_empty()).then(|| {
            "A traffic export is loaded too; the funnel uses the behaviour events.".to_string()
        }),
    })
}

/// The trend points from the per-period tallies, in ascending period order.
fn trend(by_period: BTreeMap<i32, Tally>, grain: Grain) -> Vec<TrendPoint> {
    by_period
        .into_iter()
        .map(|(period, tally)| TrendPoint {
            period: grain.label(period),
            overall_conversion: overall(&tally.counts),
            counts: tally.counts,
        })
        .collect()
}

/// The `limit` items with the most step-1 (user, item) pairs, with their item conversion.
fn items(
    ds: &Dataset,
    runs: &UserRuns,
    meanings: &[Option<crate::model::EventType>],
    item_tallies: &GroupTallies,
    limit: usize,
) -> Vec<ItemFunnel> {
    let top: Vec<u32> = item_tallies
        .top(limit, false, |item| name_of(&ds.products, item))
        .into_iter()
        .filter_map(|group| match group {
            Group::Id(item) => Some(item),
            Group::Missing => None,
        })
        .collect();
    let conversion = item_users::of_items(ds, runs, meanings, &top, ds.products.len());
    top.into_iter()
        .zip(conversion)
        .map(|(item, item_conversion)| {
            let counts = item_tallies.counts(Group::Id(item));
            ItemFunnel {
                item: name_of(&ds.products, item).into_owned(),
                title: product_title(ds, item),
                overall_conversion: overall(&counts),
                counts,
                item_conversion,
            }
        })
        .collect()
}

/// The top `top_n` groups by step-1 count (ties by name, the missing group last), then an `other`
/// row adding up the rest.
fn breakdown_rows(
    groups: &GroupTallies,
    top_n: usize,
    names: &Interner,
    title: impl Fn(u32) -> Option<String>,
) -> Vec<BreakdownRow> {
    let top = groups.top(top_n, true, |id| name_of(names, id));
    let mut rows: Vec<BreakdownRow> = top
        .iter()
        .map(|&group| {
            let counts = groups.counts(group);
            let (kind, name, title) = match group {
                Group::Missing => (BreakdownRowKind::Missing, None, None),
                Group::Id(id) => (
                    BreakdownRowKind::Group,
                    Some(name_of(names, id).into_owned()),
                    title(id),
                ),
            };
            BreakdownRow {
                kind,
                group: name,
                title,
                groups: 1,
                overall_conversion: overall(&counts),
                counts,
            }
        })
        .collect();
    let (rest, counts) = groups.rest(true, &top);
    if rest > 0 {
        rows.push(BreakdownRow {
            kind: BreakdownRowKind::Other,
            group: None,
            title: None,
            groups: rest,
            overall_conversion: overall(&counts),
            counts,
        });
    }
    rows
}

/// Median (lower middle) and bucketed distribution of the users' fastest times to `step`.
fn time_to_convert(step: FunnelStep, mut times: Vec<i64>) -> TimeToConvert {
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
    let runs = UserRuns::build(&ds.events.user[..event_count(&ds.events)]);
    let meanings = vocabulary::event_meanings(ds);
    item_users::all_items(ds, &runs, &meanings, products)
}
