//! The funnel of one *subject* (a user, or a user within one group or period) and the tallies over
//! many subjects.
//!
//! Sequential mode per subject, in O(n · k · log n) for n events and k steps: the times of each
//! event type are sorted; for every distinct step-1 time t1, step j takes the earliest event at or
//! after step j−1's time (binary search), as long as it is within t1 + W. For a fixed t1 the earliest
//! choice is optimal: any qualifying chain from t1 has ti at or after the greedy ti (induction on i),
//! so the greedy chain reaches every step any chain from t1 reaches, and with the smallest ti − t1.
//! Trying every t1 thus gives both the level (maximum over chains) and the time to convert (minimum).

use crate::model::EventType;

use super::FunnelMode;

/// Number of [`EventType`] variants: per-subject times are kept in one list per type.
pub(super) const EVENT_TYPES: usize = 5;

/// Dense index of an event type into per-type lists.
pub(super) fn type_slot(kind: EventType) -> usize {
    match kind {
        EventType::View => 0,
        EventType::Fav => 1,
        EventType::Cart => 2,
        EventType::RemoveFromCart => 3,
        EventType::Purchase => 4,
    }
}

/// Whether a step reached at `t` still belongs to a chain started at `t1 ≤ t` under window `window`
/// (seconds, `None` = unbounded). A difference too large for `i64` is beyond any window.
fn within_window(t1: i64, t: i64, window: Option<i64>) -> bool {
    match window {
        None => true,
        Some(w) => t.checked_sub(t1).is_some_and(|elapsed| elapsed <= w),
    }
}

/// The funnel definition as the per-subject evaluation needs it.
#[derive(Clone, Copy, Debug)]
pub(super) struct FunnelSpec<'a> {
    pub steps: &'a [EventType],
    pub mode: FunnelMode,
    /// Conversion window, seconds; `None` = unbounded. Only used in sequential mode.
    pub window: Option<i64>,
}

/// One subject's event times, one sorted list per event type. Reused across subjects.
#[derive(Default, Debug)]
pub(super) struct SubjectTimes {
    by_type: [Vec<i64>; EVENT_TYPES],
}

impl SubjectTimes {
    pub fn clear(&mut self) {
        for times in &mut self.by_type {
            times.clear();
        }
    }

    /// Adds an event; a subject's events must be pushed in time order (each list stays sorted).
    pub fn push(&mut self, slot: usize, time: i64) {
        if let Some(times) = self.by_type.get_mut(slot) {
            times.push(time);
        }
    }

    fn of(&self, kind: EventType) -> &[i64] {
        &self.by_type[type_slot(kind)]
    }
}

/// What one subject reached.
#[derive(Debug, Default)]
pub(super) struct SubjectResult {
    /// Sequential: the subject's level (steps 1 … level reached). Unused in distinct mode.
    pub level: usize,
    /// Distinct: whether the subject has an event of each step's type. Sequential: step j reached.
    pub reached: Vec<bool>,
    /// Sequential: per step, the smallest tj − t1 over qualifying chains (`None` when not reached).
    pub fastest: Vec<Option<i64>>,
}

/// Evaluates one subject. `out` is overwritten (its buffers are reused).
pub(super) fn evaluate(spec: &FunnelSpec, times: &SubjectTimes, out: &mut SubjectResult) {
    let k = spec.steps.len();
    out.level = 0;
    out.reached.clear();
    out.reached.resize(k, false);
    out.fastest.clear();
    out.fastest.resize(k, None);
    match spec.mode {
        FunnelMode::Distinct => {
            for (reached, &kind) in out.reached.iter_mut().zip(spec.steps) {
                *reached = !times.of(kind).is_empty();
            }
        }
        FunnelMode::Sequential => {
            out.level = sequential(spec, times, &mut out.fastest);
            for reached in &mut out.reached[..out.level] {
                *reached = true;
            }
        }
    }
}

/// Sequential level of a subject; fills `fastest[j]` with the smallest tj − t1 for reached steps.
fn sequential(spec: &FunnelSpec, times: &SubjectTimes, fastest: &mut [Option<i64>]) -> usize {
    let Some((&first_step, later_steps)) = spec.steps.split_first() else {
        return 0;
    };
    let starts = times.of(first_step);
    if starts.is_empty() {
        return 0;
    }
    fastest[0] = Some(0);
    let mut level = 1;
    let mut previous_start = None;
    for &t1 in starts {
        // Equal starts give equal greedy chains.
        if previous_start == Some(t1) {
            continue;
        }
        previous_start = Some(t1);
        let mut t_prev = t1;
        for (j, &kind) in later_steps.iter().enumerate() {
            let candidates = times.of(kind);
            // Earliest event of this step at or after the previous step's (≤: equal times chain).
            let at = candidates.partition_point(|&t| t < t_prev);
            let Some(&t) = candidates.get(at) else { break };
            if !within_window(t1, t, spec.window) {
                break;
            }
            t_prev = t;
            let step = j + 1;
            level = level.max(step + 1);
            let elapsed = t.saturating_sub(t1);
            fastest[step] = Some(fastest[step].map_or(elapsed, |best| best.min(elapsed)));
        }
    }
    level
}

/// Counts over many subjects, optionally keeping each subject's fastest times for the
/// time-to-convert distribution.
#[derive(Clone, Debug)]
pub(super) struct Tally {
    /// Per step, subjects reaching it.
    pub counts: Vec<u64>,
    /// Per step, the fastest time of every subject reaching it (only when asked for).
    pub fastest: Option<Vec<Vec<i64>>>,
}

impl Tally {
    pub fn new(steps: usize, keep_fastest: bool) -> Tally {
        Tally {
            counts: vec![0; steps],
            fastest: keep_fastest.then(|| vec![Vec::new(); steps]),
        }
    }

    pub fn add(&mut self, result: &SubjectResult) {
        for (count, &reached) in self.counts.iter_mut().zip(&result.reached) {
            *count += u64::from(reached);
        }
        if let Some(fastest) = &mut self.fastest {
            for (times, best) in fastest.iter_mut().zip(&result.fastest) {
                if let Some(best) = best {
                    times.push(*best);
                }
            }
        }
    }
}

/// One event as the grouped tallies see it.
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupedEvent {
    /// Group key (category/brand/item id, period, or 0 for "everything"); events of different
    /// groups never chain.
    pub group: i64,
    pub user: u32,
    pub time: i64,
    /// [`type_slot`] of the event type.
    pub slot: u8,
}

/// The funnel of every group: sorts `events` by (group, user, time), evaluates each (group, user)
/// subject, and returns one tally per group with at least one event, by ascending group key.
pub(super) fn tally_groups(
    spec: &FunnelSpec,
    events: &mut [GroupedEvent],
    keep_fastest: bool,
) -> Vec<(i64, Tally)> {
    // Behaviour logs are written user by user and users are interned in order of appearance, so
    // the whole-funnel grouping usually arrives sorted by (group, user): then sorting each
    // subject's few events by time replaces a sort of millions (equal keys are interchangeable).
    if events
        .windows(2)
        .all(|w| (w[0].group, w[0].user) <= (w[1].group, w[1].user))
    {
        for subject in events.chunk_by_mut(|a, b| (a.group, a.user) == (b.group, b.user)) {
            subject.sort_unstable_by_key(|e| e.time);
        }
    } else {
        events.sort_unstable_by_key(|e| (e.group, e.user, e.time));
    }
    let mut tallies: Vec<(i64, Tally)> = Vec::new();
    let mut times = SubjectTimes::default();
    let mut result = SubjectResult::default();
    let mut rest = &events[..];
    while let Some(first) = rest.first() {
        let subject_len = rest
            .iter()
            .position(|e| (e.group, e.user) != (first.group, first.user))
            .unwrap_or(rest.len());
        let (subject, after) = rest.split_at(subject_len);
        rest = after;
        times.clear();
        // Sorted by time already, so every per-type list is sorted.
        for e in subject {
            times.push(e.slot as usize, e.time);
        }
        evaluate(spec, &times, &mut result);
        if tallies.last().map(|(g, _)| *g) != Some(first.group) {
            tallies.push((first.group, Tally::new(spec.steps.len(), keep_fastest)));
        }
        if let Some((_, tally)) = tallies.last_mut() {
            tally.add(&result);
        }
    }
    tallies
}
