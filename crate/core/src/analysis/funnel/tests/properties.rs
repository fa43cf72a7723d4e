//! Property tests on random small logs (≤ 6 users × ≤ 12 events on a 3-hour grid over 5 days, so
//! equal timestamps, window boundaries and day boundaries are all frequent), against a naive
//! reference that enumerates every chain.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::chain::{evaluate, FunnelSpec, SubjectResult, SubjectTimes};
use super::*;
use crate::model::EventType::{Checkout, RemoveFromCart};
use crate::time::{day_of, format_day};

/// Grid of event times, seconds.
const GRID: i64 = 3 * 3600;

#[derive(Clone, Debug)]
struct Event {
    user: usize,
    kind: EventType,
    time: i64,
    item: Option<u8>,
    category: u8,
}

fn arb_kind() -> impl Strategy<Value = EventType> {
    prop_oneof![
        3 => Just(View),
        1 => Just(Fav),
        2 => Just(Cart),
        1 => Just(RemoveFromCart),
        1 => Just(Checkout),
        2 => Just(Purchase),
    ]
}

fn arb_log() -> impl Strategy<Value = Vec<Event>> {
    let event = (arb_kind(), 0i64..40, 0u8..4, 0u8..3);
    prop::collection::vec(prop::collection::vec(event, 1..=12), 1..=6).prop_map(|users| {
        let base = to_seconds(2017, 11, 25, 0, 0, 0);
        let mut log = Vec::new();
        for (user, events) in users.into_iter().enumerate() {
            for (kind, slot, item, category) in events {
                let item = (item < 3).then_some(item);
                let time = base + slot * GRID;
                log.push(Event {
                    user,
                    kind,
                    time,
                    item,
                    category,
                });
            }
        }
        log
    })
}

/// A log as [`arb_log`] writes it (user by user), or the same events in any order: users
/// interleaved, as in a log sorted by time or several files.
fn arb_log_any_order() -> impl Strategy<Value = Vec<Event>> {
    prop_oneof![arb_log(), arb_log().prop_shuffle()]
}

fn arb_steps() -> impl Strategy<Value = Vec<EventType>> {
    let all = vec![View, Fav, Cart, RemoveFromCart, Checkout, Purchase];
    prop_oneof![
        Just(vec![View, Cart, Purchase]),
        Just(vec![View, Fav, Cart, Purchase]),
        proptest::sample::subsequence(all, 2..=4).prop_shuffle(),
    ]
}

fn arb_window() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        Just(None),
        (0i64..12).prop_map(|n| Some(n * GRID)),
        (0i64..=40 * GRID).prop_map(Some),
    ]
}

fn dataset(log: &[Event]) -> Dataset {
    let mut ds = Dataset::default();
    for e in log {
        let item = e.item.map(|i| format!("P{i}"));
        let category = format!("C{}", e.category);
        ds.add_event(
            &format!("u{}", e.user),
            e.kind,
            e.time,
            item.as_deref(),
            Some(&category),
            None,
        );
    }
    ds
}

fn options(steps: &[EventType], mode: FunnelMode, window: Option<i64>) -> FunnelOptions {
    FunnelOptions {
        steps: steps.iter().map(|&s| StepSpec::from(s)).collect(),
        mode,
        window_seconds: window,
        top_n: 100,
        item_limit: 100,
        ..FunnelOptions::default()
    }
}

/// Level and per-step fastest time of one subject, by trying every chain of events.
fn naive_subject(
    steps: &[EventType],
    window: Option<i64>,
    events: &[(EventType, i64)],
) -> (usize, Vec<Option<i64>>) {
    fn extend(
        steps: &[EventType],
        window: Option<i64>,
        events: &[(EventType, i64)],
        step: usize,
        t1: i64,
        previous: i64,
        best: &mut (usize, Vec<Option<i64>>),
    ) {
        for &(kind, t) in events {
            let in_window = window.map_or(true, |w| t - t1 <= w);
            if kind == steps[step] && t >= previous && in_window {
                best.0 = best.0.max(step + 1);
                best.1[step] = Some(best.1[step].map_or(t - t1, |b| b.min(t - t1)));
                if step + 1 < steps.len() {
                    extend(steps, window, events, step + 1, t1, t, best);
                }
            }
        }
    }
    let mut best = (0, vec![None; steps.len()]);
    for &(kind, t1) in events {
        if kind == steps[0] {
            best.0 = best.0.max(1);
            best.1[0] = Some(0);
            if steps.len() > 1 {
                extend(steps, window, events, 1, t1, t1, &mut best);
            }
        }
    }
    best
}

/// Per-step counts (and, sequential, every subject's fastest times) over the events `keep` selects.
fn naive_funnel(
    log: &[Event],
    steps: &[EventType],
    mode: FunnelMode,
    window: Option<i64>,
    keep: impl Fn(&Event) -> bool,
) -> (Vec<u64>, Vec<Vec<i64>>) {
    let mut by_user: BTreeMap<usize, Vec<(EventType, i64)>> = BTreeMap::new();
    for e in log.iter().filter(|e| keep(e)) {
        by_user.entry(e.user).or_default().push((e.kind, e.time));
    }
    let mut counts = vec![0u64; steps.len()];
    let mut fastest = vec![Vec::new(); steps.len()];
    for events in by_user.values() {
        match mode {
            FunnelMode::Distinct => {
                for (i, step) in steps.iter().enumerate() {
                    if events.iter().any(|(kind, _)| kind == step) {
                        counts[i] += 1;
                    }
                }
            }
            FunnelMode::Sequential => {
                let (level, best) = naive_subject(steps, window, events);
                for count in &mut counts[..level] {
                    *count += 1;
                }
                for (i, b) in best.iter().enumerate() {
                    fastest[i].extend(*b);
                }
            }
        }
    }
    (counts, fastest)
}

/// Users per time bucket, the bounds written out: ≤1m ≤10m ≤60m ≤6h ≤24h ≤3d ≤7d, then the rest.
fn naive_buckets(times: &[i64]) -> Vec<u64> {
    let bounds = [60, 600, 3600, 21_600, 86_400, 259_200, 604_800];
    let mut users = vec![0; 8];
    for &t in times {
        users[bounds.iter().position(|&b| t <= b).unwrap_or(7)] += 1;
    }
    users
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn sequential_equals_exhaustive_search(
        log in arb_log_any_order(),
        steps in arb_steps(),
        window in arb_window(),
    ) {
        let ds = dataset(&log);
        let report = run(&ds, &options(&steps, FunnelMode::Sequential, window));
        let (expected, fastest) = naive_funnel(&log, &steps, FunnelMode::Sequential, window, |_| true);
        prop_assert_eq!(counts(&report), expected);
        prop_assert_eq!(report.time_to_convert.len(), steps.len() - 1);
        for (ttc, times) in report.time_to_convert.iter().zip(&fastest[1..]) {
            let mut sorted = times.clone();
            sorted.sort();
            let median = (!sorted.is_empty()).then(|| sorted[(sorted.len() - 1) / 2]);
            prop_assert_eq!(ttc.users, sorted.len() as u64);
            prop_assert_eq!(ttc.median_seconds, median);
            let buckets: Vec<u64> = ttc.buckets.iter().map(|b| b.users).collect();
            prop_assert_eq!(buckets, naive_buckets(&sorted));
        }

        // Subject by subject, level and fastest times match too.
        let spec = FunnelSpec { steps: steps.len(), mode: FunnelMode::Sequential, window };
        for user in 0..6 {
            let mut events: Vec<(EventType, i64)> =
                log.iter().filter(|e| e.user == user).map(|e| (e.kind, e.time)).collect();
            events.sort_by_key(|&(_, t)| t);
            let mut times = SubjectTimes::default();
            for &(kind, t) in &events {
                if let Some(step) = steps.iter().position(|&s| s == kind) {
                    times.push(step, t);
                }
            }
            let mut result = SubjectResult::default();
            evaluate(&spec, &times, &mut result);
            let (level, best) = naive_subject(&steps, window, &events);
            prop_assert_eq!(result.level, level);
            prop_assert_eq!(result.fastest, best);
        }
    }

    #[test]
    fn sequential_is_monotone_and_below_distinct(
        log in arb_log(),
        steps in arb_steps(),
        window in arb_window(),
    ) {
        let ds = dataset(&log);
        let sequential = counts(&run(&ds, &options(&steps, FunnelMode::Sequential, window)));
        let distinct = counts(&run(&ds, &options(&steps, FunnelMode::Distinct, window)));
        prop_assert!(sequential.windows(2).all(|w| w[0] >= w[1]), "{:?}", sequential);
        prop_assert!(sequential.iter().zip(&distinct).all(|(s, d)| s <= d));
        prop_assert_eq!(sequential[0], distinct[0]);
        let (expected, _) = naive_funnel(&log, &steps, FunnelMode::Distinct, window, |_| true);
        prop_assert_eq!(distinct, expected);
    }

    #[test]
    fn unbounded_window_dominates(
        log in arb_log(),
        steps in arb_steps(),
        window in 0i64..=40 * GRID,
    ) {
        let ds = dataset(&log);
        let bounded = counts(&run(&ds, &options(&steps, FunnelMode::Sequential, Some(window))));
        let unbounded = counts(&run(&ds, &options(&steps, FunnelMode::Sequential, None)));
        prop_assert!(bounded.iter().zip(&unbounded).all(|(b, u)| b <= u));
        let wider = counts(&run(&ds, &options(&steps, FunnelMode::Sequential, Some(window + GRID))));
        prop_assert!(bounded.iter().zip(&wider).all(|(b, w)| b <= w));
    }

    #[test]
    fn sub_funnels_equal_naive_on_their_events(
        log in arb_log_any_order(),
        steps in arb_steps(),
        window in arb_window(),
        distinct in any::<bool>(),
    ) {
        let mode = if distinct { FunnelMode::Distinct } else { FunnelMode::Sequential };
        let ds = dataset(&log);
        let report = run(&ds, &options(&steps, mode, window));
        let has_step = |e: &Event| steps.contains(&e.kind);

        // Items: every item with a step event, each the funnel of its own events.
        let items: BTreeSet<u8> = log.iter().filter(|e| has_step(e)).filter_map(|e| e.item).collect();
        prop_assert_eq!(report.items.len(), items.len());
        let conversion = item_conversion(&ds);
        for item in &report.items {
            let (expected, _) = naive_funnel(&log, &steps, mode, window, |e| {
                e.item.map(|i| format!("P{i}")).as_deref() == Some(item.item.as_str())
            });
            prop_assert_eq!(&item.counts, &expected);
            let id = ds.products.get(&item.item).map(|id| id as usize);
            prop_assert_eq!(item.item_conversion, id.and_then(|id| conversion[id]));
        }
        // Ranked by step 1, descending.
        prop_assert!(report.items.windows(2).all(|w| w[0].counts[0] >= w[1].counts[0]));

        // Categories.
        let categories: BTreeSet<u8> = log.iter().filter(|e| has_step(e)).map(|e| e.category).collect();
        prop_assert_eq!(report.breakdown.len(), categories.len());
        let mut per_group_sum = vec![0u64; steps.len()];
        for row in &report.breakdown {
            let (expected, _) = naive_funnel(&log, &steps, mode, window, |e| {
                row.group.as_deref() == Some(format!("C{}", e.category).as_str())
            });
            prop_assert_eq!(&row.counts, &expected);
            for (sum, c) in per_group_sum.iter_mut().zip(&expected) {
                *sum += c;
            }
        }
        // With top 1, the other row adds up the remaining groups' counts.
        let top1 = run(&ds, &FunnelOptions { top_n: 1, ..options(&steps, mode, window) });
        let mut rows_sum = vec![0u64; steps.len()];
        for row in &top1.breakdown {
            for (sum, c) in rows_sum.iter_mut().zip(&row.counts) {
                *sum += c;
            }
        }
        prop_assert_eq!(rows_sum, per_group_sum);

        // Trend: each day's funnel on that day's events only.
        let days: BTreeSet<i32> = log.iter().filter(|e| has_step(e)).map(|e| day_of(e.time)).collect();
        prop_assert_eq!(report.trend.len(), days.len());
        for (point, &day) in report.trend.iter().zip(&days) {
            prop_assert_eq!(&point.period, &format_day(day));
            let (expected, _) = naive_funnel(&log, &steps, mode, window, |e| day_of(e.time) == day);
            prop_assert_eq!(&point.counts, &expected);
        }
    }

    #[test]
    fn file_order_changes_nothing(
        (log, shuffled) in arb_log().prop_flat_map(|log| (Just(log.clone()), Just(log).prop_shuffle())),
        steps in arb_steps(),
        window in arb_window(),
        distinct in any::<bool>(),
    ) {
        // The same events user by user, and interleaved: the same report.
        let mode = if distinct { FunnelMode::Distinct } else { FunnelMode::Sequential };
        let opts = FunnelOptions { breakdown: Breakdown::Item, ..options(&steps, mode, window) };
        prop_assert_eq!(run(&dataset(&log), &opts), run(&dataset(&shuffled), &opts));
    }

    #[test]
    fn item_conversion_is_distinct_buyers_over_viewers(log in arb_log_any_order()) {
        let ds = dataset(&log);
        let conversion = item_conversion(&ds);
        prop_assert_eq!(conversion.len(), ds.products.len());
        for (id, key) in ds.products.iter() {
            let users = |kind: EventType| -> BTreeSet<usize> {
                log.iter()
                    .filter(|e| e.kind == kind && e.item.map(|i| format!("P{i}")).as_deref() == Some(key))
                    .map(|e| e.user)
                    .collect()
            };
            let (viewers, buyers) = (users(View).len(), users(Purchase).len());
            let expected = (viewers > 0).then(|| buyers as f64 / viewers as f64);
            prop_assert_eq!(conversion[id as usize], expected);
        }
    }
}

/// A site's own name for each canonical event type (Segment's and GA4's vocabulary).
fn site_name(kind: EventType) -> &'static str {
    match kind {
        View => "Product Viewed",
        Fav => "add_to_wishlist",
        Cart => "Product Added",
        RemoveFromCart => "Product Removed",
        Checkout => "begin_checkout",
        Purchase => "Order Completed",
    }
}

/// `report` with the labels of its steps (what was asked for) set to `like`'s: the counts, names
/// and every figure are left to compare.
fn with_labels_of(mut report: FunnelReport, like: &FunnelReport) -> FunnelReport {
    for (step, other) in report.steps.iter_mut().zip(&like.steps) {
        step.step = other.step.clone();
    }
    for (ttc, other) in report.time_to_convert.iter_mut().zip(&like.time_to_convert) {
        ttc.step = other.step.clone();
    }
    report
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Steps given as the canonical names (any spelling) count exactly what the canonical steps
    /// count: the breakdown, trend, per-item funnels and time to convert too.
    #[test]
    fn named_steps_equal_canonical_steps(
        log in arb_log_any_order(),
        steps in arb_steps(),
        window in arb_window(),
        distinct in any::<bool>(),
        upper in any::<bool>(),
    ) {
        let mode = if distinct { FunnelMode::Distinct } else { FunnelMode::Sequential };
        let ds = dataset(&log);
        let canonical = run(&ds, &options(&steps, mode, window));
        let mut named_options = options(&steps, mode, window);
        named_options.steps = steps
            .iter()
            .map(|kind| {
                let name = if upper { kind.code().to_uppercase() } else { kind.code().to_string() };
                StepSpec::Names(vec![name])
            })
            .collect();
        let named = run(&ds, &named_options);
        prop_assert_eq!(with_labels_of(named, &canonical), canonical);
    }

    /// A log written in a site's own vocabulary gives the canonical log's funnel, step by step.
    #[test]
    fn a_site_vocabulary_counts_as_the_canonical_one(
        log in arb_log_any_order(),
        steps in arb_steps(),
        window in arb_window(),
        distinct in any::<bool>(),
    ) {
        let mode = if distinct { FunnelMode::Distinct } else { FunnelMode::Sequential };
        let canonical_ds = dataset(&log);
        let mut site_ds = Dataset::default();
        for e in &log {
            let item = e.item.map(|i| format!("P{i}"));
            let category = format!("C{}", e.category);
            site_ds.add_named_event(
                &format!("u{}", e.user),
                site_name(e.kind),
                e.time,
                item.as_deref(),
                Some(&category),
                None,
            );
        }
        let opts = options(&steps, mode, window);
        let canonical = run(&canonical_ds, &opts);
        let site = run(&site_ds, &opts);
        prop_assert_eq!(counts(&site), counts(&canonical));
        prop_assert_eq!(&site.breakdown, &canonical.breakdown);
        prop_assert_eq!(&site.trend, &canonical.trend);
        prop_assert_eq!(&site.items, &canonical.items);
        prop_assert_eq!(&site.time_to_convert, &canonical.time_to_convert);
        for (step, kind) in site.steps.iter().zip(&steps) {
            let present = log.iter().any(|e| e.kind == *kind);
            let want: Vec<String> = present.then(|| site_name(*kind).to_string()).into_iter().collect();
            prop_assert_eq!(&step.names, &want);
        }
    }
}
