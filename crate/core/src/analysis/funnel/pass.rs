//! One pass over the users feeds every funnel of the events report: the whole funnel, the trend,
//! the per-item funnels and the breakdown. Every subject is a user, or a user within one period or
//! group, so each user's step events are gathered once and put in time order (a user's events are
//! few), then split by period (periods follow time order) and by group (a small sort of the
//! user's events). Nothing is sorted across the log, and nothing is kept per event beyond
//! [`UserRuns`]: the memory is per user, per group and per period.

use std::collections::BTreeMap;

use crate::model::Dataset;
use crate::time::{day_of, Grain};

use super::chain::{FunnelSpec, Subject, Tally};
use super::group_tallies::{Group, GroupTallies};
use super::user_runs::UserRuns;
use super::vocabulary::NO_STEP;

/// Which attribute of an event a breakdown groups by, besides the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Attribute {
    Category,
    Brand,
}

/// What the pass tallies.
pub(super) struct Plan<'a> {
    pub spec: FunnelSpec,
    /// Per event name id: its step index, or [`NO_STEP`] (`vocabulary::resolve`).
    pub step_of: &'a [u8],
    /// Keep each user's fastest times in the whole funnel (time to convert; sequential mode).
    pub keep_fastest: bool,
    pub trend_grain: Grain,
    /// Per-item funnels.
    pub items: bool,
    /// With `items`: the step events without an item form a missing group (an item breakdown).
    pub missing_item_group: bool,
    /// Breakdown by category or brand, with the events lacking it as the missing group.
    pub attribute: Option<Attribute>,
}

/// Every subject's funnel, added up.
pub(super) struct Tallies {
    /// Subjects are users.
    pub whole: Tally,
    /// Subjects are (period, user); by period, ascending.
    pub trend: BTreeMap<i32, Tally>,
    /// Subjects are (item, user), when the plan has items.
    pub items: Option<GroupTallies>,
    /// Subjects are (category or brand, user), when the plan has an attribute.
    pub attribute: Option<GroupTallies>,
}

/// One step event of the user at hand.
#[derive(Clone, Copy, Debug)]
struct StepEvent {
    /// Wall-clock seconds.
    time: i64,
    /// The trend period of the event's day.
    period: i32,
    /// The event's step index.
    slot: u8,
    item: Option<u32>,
    /// The plan's breakdown attribute (category or brand), if it has one.
    attribute: Option<u32>,
}

fn slot_time(event: &StepEvent) -> (u8, i64) {
    (event.slot, event.time)
}

/// Tallies the plan over every user of `runs` (built from `ds.events`).
pub(super) fn tally(ds: &Dataset, runs: &UserRuns, plan: &Plan) -> Tallies {
    let steps = plan.spec.steps;
    let mut tallies = Tallies {
        whole: Tally::new(steps, plan.keep_fastest),
        trend: BTreeMap::new(),
        items: plan
            .items
            .then(|| GroupTallies::new(steps, ds.products.len())),
        attribute: plan.attribute.map(|attribute| {
            let interned = match attribute {
                Attribute::Category => ds.categories.len(),
                Attribute::Brand => ds.brands.len(),
            };
            GroupTallies::new(steps, interned)
        }),
    };
    let item_group = |event: &StepEvent| match event.item {
        Some(item) => Some(Group::Id(item)),
        None => plan.missing_item_group.then_some(Group::Missing),
    };
    let attribute_group =
        |event: &StepEvent| Some(event.attribute.map_or(Group::Missing, Group::Id));

    let mut user_events: Vec<StepEvent> = Vec::new();
    let mut keys: Vec<u64> = Vec::new();
    let mut subject = Subject::default();
    runs.for_each_user(|events| {
        gather_step_events(ds, plan, events, &mut user_events);
        if user_events.is_empty() {
            return;
        }
        let spec = &plan.spec;
        tallies
            .whole
            .add(subject.evaluate(spec, user_events.iter().map(slot_time)));
        // Periods are monotone in time, so each period's events are one run.
        for in_period in user_events.chunk_by(|a, b| a.period == b.period) {
            let result = subject.evaluate(spec, in_period.iter().map(slot_time));
            tallies
                .trend
                .entry(in_period[0].period)
                .or_insert_with(|| Tally::new(steps, false))
                .add(result);
        }
        if let Some(by_item) = &mut tallies.items {
            add_user_groups(
                spec,
                &user_events,
                item_group,
                by_item,
                &mut keys,
                &mut subject,
            );
        }
        if let Some(by_attribute) = &mut tallies.attribute {
            add_user_groups(
                spec,
                &user_events,
                attribute_group,
                by_attribute,
                &mut keys,
                &mut subject,
            );
        }
    });
    tallies
}

/// Fills `out` with the step events (by `plan.step_of` their name) among one user's `events`, in
/// time order.
fn gather_step_events(
    ds: &Dataset,
    plan: &Plan,
    events: impl Iterator<Item = usize>,
    out: &mut Vec<StepEvent>,
) {
    let e = &ds.events;
    let attribute_column = plan.attribute.map(|attribute| match attribute {
        Attribute::Category => &e.category,
        Attribute::Brand => &e.brand,
    });
    out.clear();
    let step_of = |i: usize| {
        let name = *e.name.get(i)?;
        let step = *plan.step_of.get(usize::from(name))?;
        (step != NO_STEP).then_some(step)
    };
    out.extend(events.filter_map(|i| {
        Some(StepEvent {
            slot: step_of(i)?,
            time: e.time[i],
            period: plan.trend_grain.period(day_of(e.time[i])),
            item: e.item.get(i).and_then(|item| item.get()),
            attribute: attribute_column.and_then(|column| column.get(i)?.get()),
        })
    }));
    // Logs are mostly in time order within a user; equal times are interchangeable.
    if !out.windows(2).all(|w| w[0].time <= w[1].time) {
        out.sort_unstable_by_key(|event| event.time);
    }
}

/// Evaluates one user's subject in each group that `group_of` puts the user's time-ordered
/// `user_events` in (`None`: in no group) and adds it to `tallies`. `keys` and `subject` are
/// scratch.
fn add_user_groups(
    spec: &FunnelSpec,
    user_events: &[StepEvent],
    group_of: impl Fn(&StepEvent) -> Option<Group>,
    tallies: &mut GroupTallies,
    keys: &mut Vec<u64>,
    subject: &mut Subject,
) {
    // The missing group's events, taken in order, are in time order.
    let mut missing = user_events
        .iter()
        .filter(|&event| group_of(event) == Some(Group::Missing))
        .peekable();
    if missing.peek().is_some() {
        let result = subject.evaluate(spec, missing.map(slot_time));
        tallies.add(Group::Missing, result);
    }
    // The others: sort `id << 32 | position` keys, a sort of plain integers; positions keep each
    // group's events in time order (a user has fewer than 2^32 events, since events are
    // `u32`-indexed).
    keys.clear();
    keys.extend(
        user_events
            .iter()
            .enumerate()
            .filter_map(|(position, event)| match group_of(event)? {
                Group::Id(id) => Some(u64::from(id) << 32 | position as u64),
                Group::Missing => None,
            }),
    );
    keys.sort_unstable();
    let group = |key: u64| Group::Id((key >> 32) as u32);
    tallies.warm(keys.iter().map(|&key| group(key)));
    for in_group in keys.chunk_by(|&a, &b| group(a) == group(b)) {
        let events = in_group
            .iter()
            .map(|&key| slot_time(&user_events[key as u32 as usize]));
        let result = subject.evaluate(spec, events);
        tallies.add(group(in_group[0]), result);
    }
}
