//! The funnel of one *subject* (a user, or a user within one group or period) and the tallies over
//! many subjects.
//!
//! Subjects' events come as (step index, time): each event name was put in its step once
//! (`vocabulary::resolve`), so nothing here knows names or event types.
//!
//! Sequential mode per subject, in O(n + c · k) for n events, k steps and c chains tried (at most
//! one per step-2 event): the times of each step are sorted; from a step-1 time t1, step j
//! takes the earliest event at or after step j−1's time, as long as it is within t1 + W. For a
//! fixed t1 the earliest choice is optimal: any qualifying chain from t1 has ti at or after the
//! greedy ti (induction on i), so the greedy chain reaches every step any chain from t1 reaches,
//! and with the smallest ti − t1. Trying every t1 thus gives both the level (maximum over chains)
//! and the time to convert (minimum); of the starts whose chains meet the same step-2 event only
//! the latest needs trying (see [`sequential`]).

use super::{FunnelMode, MAX_STEPS};

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
pub(super) struct FunnelSpec {
    /// Number of steps (at most [`MAX_STEPS`]); events carry step indices below it.
    pub steps: usize,
    pub mode: FunnelMode,
    /// Conversion window, seconds; `None` = unbounded. Only used in sequential mode.
    pub window: Option<i64>,
}

/// One subject's event times, one sorted list per step. Reused across subjects.
#[derive(Default, Debug)]
pub(super) struct SubjectTimes {
    by_step: [Vec<i64>; MAX_STEPS],
}

impl SubjectTimes {
    pub fn clear(&mut self) {
        for times in &mut self.by_step {
            times.clear();
        }
    }

    /// Adds an event of step `step`; a subject's events must be pushed in time order (each list
    /// stays sorted). Steps past [`MAX_STEPS`] are ignored.
    pub fn push(&mut self, step: usize, time: i64) {
        if let Some(times) = self.by_step.get_mut(step) {
            times.push(time);
        }
    }

    /// The times of step `step` (none past [`MAX_STEPS`]).
    fn of(&self, step: usize) -> &[i64] {
        self.by_step.get(step).map_or(&[], Vec::as_slice)
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
    /// Scratch of the sequential search.
    cursors: Vec<usize>,
}

/// Evaluates one subject. `out` is overwritten (its buffers are reused).
pub(super) fn evaluate(spec: &FunnelSpec, times: &SubjectTimes, out: &mut SubjectResult) {
    let k = spec.steps;
    // Resized only when the number of steps changes; every element is overwritten below.
    out.reached.resize(k, false);
    out.fastest.resize(k, None);
    out.fastest.fill(None);
    match spec.mode {
        FunnelMode::Distinct => {
            out.level = 0;
            for (step, reached) in out.reached.iter_mut().enumerate() {
                *reached = !times.of(step).is_empty();
            }
        }
        FunnelMode::Sequential => {
            out.level = sequential(spec, times, &mut out.fastest, &mut out.cursors);
            for (step, reached) in out.reached.iter_mut().enumerate() {
                *reached = step < out.level;
            }
        }
    }
}

/// Sequential level of a subject; fills `fastest[j]` with the smallest tj − t1 for reached steps.
/// `cursors` is scratch.
fn sequential(
    spec: &FunnelSpec,
    times: &SubjectTimes,
    fastest: &mut [Option<i64>],
    cursors: &mut Vec<usize>,
) -> usize {
    if spec.steps == 0 {
        return 0;
    }
    let starts = times.of(0);
    if starts.is_empty() {
        return 0;
    }
    fastest[0] = Some(0);
    let mut level = 1;
    if spec.steps == 1 {
        return level;
    }
    let later_steps = 1..spec.steps;
    let seconds = times.of(1);
    // The greedy chain of a later start takes each step's event no earlier than the chain of an
    // earlier start does (induction on the step), so each step's search resumes where the last
    // one stopped: `cursors[j]` is the first event of later step j not before the last search's
    // time. A subject costs O(events + chains · steps), not a binary search per step and start.
    cursors.clear();
    cursors.resize(later_steps.len(), 0);
    let mut next_start = 0;
    while let Some(&earliest) = starts.get(next_start) {
        let second = &mut cursors[0];
        while seconds.get(*second).is_some_and(|&t| t < earliest) {
            *second += 1;
        }
        let Some(&t2) = seconds.get(*second) else {
            // No step-2 event at or after this start, so none after any later one.
            break;
        };
        // Every start from `earliest` to t2 chains to this step-2 event and the same later ones;
        // the last of them does so soonest, so it reaches every step the others reach, with a
        // smaller ti − t1: only it is tried. (Views far outnumber carts: most starts go here.)
        let mut last = next_start;
        while starts.get(last + 1).is_some_and(|&t| t <= t2) {
            last += 1;
        }
        next_start = last + 1;
        let t1 = starts[last];

        let mut t_prev = t1;
        for ((j, later), cursor) in later_steps.clone().enumerate().zip(cursors.iter_mut()) {
            let candidates = times.of(later);
            // Earliest event of this step at or after the previous step's (≤: equal times chain).
            while candidates.get(*cursor).is_some_and(|&t| t < t_prev) {
                *cursor += 1;
            }
            let Some(&t) = candidates.get(*cursor) else {
                break;
            };
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

/// Scratch for evaluating many subjects one after another (its buffers are reused).
#[derive(Default, Debug)]
pub(super) struct Subject {
    times: SubjectTimes,
    result: SubjectResult,
}

impl Subject {
    /// Evaluates the subject whose events are `(step index, time)`, given in time order.
    pub fn evaluate(
        &mut self,
        spec: &FunnelSpec,
        events: impl IntoIterator<Item = (u8, i64)>,
    ) -> &SubjectResult {
        self.times.clear();
        for (slot, time) in events {
            self.times.push(usize::from(slot), time);
        }
        evaluate(spec, &self.times, &mut self.result);
        &self.result
    }
}
