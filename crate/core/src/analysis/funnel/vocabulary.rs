//! Event names, what they mean, and which funnel step each is in (DEFINITIONS §5).
//!
//! A log names its events as it likes (`product_view`, `Product Added`, 加购, `home` …). Every name
//! is classified once ([`event_class`]); whether a generic page view means the view step depends
//! on the whole log (only where no product view has events), so meanings are per dataset. The
//! funnel's steps are then resolved to a table from name id to step index, and everything after
//! works on step indices.

use rustc_hash::FxHashMap;

use crate::model::{Dataset, EventClass, EventType};
use crate::schema::value::{event_class, event_name_key};

use super::user_runs::UserRuns;
use super::{EventNameStat, FunnelError, StepSpec};

/// The step index of a name that is in no step.
pub(super) const NO_STEP: u8 = u8::MAX;

/// Events per name id of `ds.event_names` (ids past it are not counted).
pub(super) fn events_per_name(ds: &Dataset) -> Vec<u64> {
    let mut events = vec![0u64; ds.event_names.len()];
    for &name in &ds.events.name {
        if let Some(count) = events.get_mut(usize::from(name)) {
            *count += 1;
        }
    }
    events
}

/// The canonical meaning of each event name (indexed by `ds.event_names` id) in this dataset:
/// a page view (`page_view`, `screen_view` …) means view only when no product-view name
/// (`product_view`, `view_item`, `pv` …) has events. `None` for other names (`home`, `search` …).
pub fn event_meanings(ds: &Dataset) -> Vec<Option<EventType>> {
    meanings(ds, &events_per_name(ds))
}

/// [`event_meanings`] given [`events_per_name`].
pub(super) fn meanings(ds: &Dataset, events: &[u64]) -> Vec<Option<EventType>> {
    let classes: Vec<EventClass> = ds
        .event_names
        .iter()
        .map(|(_, name)| event_class(name).unwrap_or(EventClass::Other))
        .collect();
    let product_views = classes
        .iter()
        .zip(events)
        .any(|(&class, &n)| class == EventClass::ProductView && n > 0);
    classes
        .iter()
        .map(|class| class.meaning(product_views))
        .collect()
}

/// The funnel's steps, resolved against the log's names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Steps {
    /// Per name id: the index of its step, or [`NO_STEP`].
    pub step_of: Vec<u8>,
    /// Per step: its names' ids, in id order (first seen first).
    pub names: Vec<Vec<u32>>,
}

/// Puts every name of `ds` in the step that means it (`StepSpec::Canonical`) or lists it
/// (`StepSpec::Names`, matched by [`event_name_key`]). A name that would be in two steps (listed
/// in a step and meaning another canonical step) is an error. `specs` has at most 254 steps.
pub(super) fn resolve(
    ds: &Dataset,
    meanings: &[Option<EventType>],
    specs: &[StepSpec],
) -> Result<Steps, FunnelError> {
    let mut listed: FxHashMap<String, usize> = FxHashMap::default();
    for (step, spec) in specs.iter().enumerate() {
        if let StepSpec::Names(names) = spec {
            for name in names {
                listed.entry(event_name_key(name)).or_insert(step);
            }
        }
    }
    let mut steps = Steps {
        step_of: vec![NO_STEP; ds.event_names.len()],
        names: vec![Vec::new(); specs.len()],
    };
    for (id, name) in ds.event_names.iter() {
        let meant = meanings
            .get(id as usize)
            .copied()
            .flatten()
            .and_then(|kind| {
                specs
                    .iter()
                    .position(|spec| *spec == StepSpec::Canonical(kind))
            });
        let named = if listed.is_empty() {
            None
        } else {
            listed.get(&event_name_key(name)).copied()
        };
        let step = match (meant, named) {
            (Some(a), Some(b)) if a != b => {
                return Err(FunnelError::EventNameInTwoSteps {
                    name: name.to_string(),
                })
            }
            (meant, named) => meant.or(named),
        };
        if let Some(step) = step.filter(|&s| s < usize::from(NO_STEP)) {
            steps.step_of[id as usize] = step as u8;
            steps.names[step].push(id);
        }
    }
    Ok(steps)
}

/// Every name with its event and user counts, meaning and step, most events first (ties by name).
pub(super) fn name_stats(
    ds: &Dataset,
    runs: &UserRuns,
    events: &[u64],
    meanings: &[Option<EventType>],
    steps: &Steps,
) -> Vec<EventNameStat> {
    let names = ds.event_names.len();
    let mut users = vec![0u64; names];
    // Users are numbered from 1 as visited; `last_user[n]` is the last one counted for name n.
    let mut last_user = vec![0u32; names];
    let mut user = 0u32;
    runs.for_each_user(|user_events| {
        user += 1;
        for i in user_events {
            let Some(&name) = ds.events.name.get(i) else {
                continue;
            };
            let n = usize::from(name);
            if n < names && last_user[n] != user {
                last_user[n] = user;
                users[n] += 1;
            }
        }
    });
    let mut stats: Vec<EventNameStat> = ds
        .event_names
        .iter()
        .map(|(id, name)| {
            let id = id as usize;
            EventNameStat {
                name: name.to_string(),
                events: events[id],
                users: users[id],
                meaning: meanings[id],
                step: match steps.step_of[id] {
                    NO_STEP => None,
                    step => Some(usize::from(step)),
                },
            }
        })
        .filter(|stat| stat.events > 0)
        .collect();
    stats.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    stats
}
