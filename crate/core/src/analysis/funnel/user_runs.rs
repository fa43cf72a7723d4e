//! Which events belong to which user, found without sorting the log.
//!
//! Every funnel of the report works user by user (a subject is a user, or a user within one group
//! or period), so the one index the report needs is each user's set of events. Behaviour logs are
//! usually written user by user (Tianchi's UserBehavior is), and then every user's events already
//! lie together in file order: the index is where each user's run starts, a word per user.
//! Otherwise (REES46 is in time order; several files interleave users) a counting sort by the dense
//! user id lists the event indices user by user ([`Groups`]): 4 bytes per event.

use std::ops::Range;
use std::slice;

use rustc_hash::FxHashMap;

use crate::model::Groups;

/// Events addressed with `u32` indices (4 bytes each in the counting sort). A log past 4.29 billion
/// events cannot be loaded (WebAssembly memory is 4 GiB, an event takes ~37 bytes), so events
/// beyond that index are outside every run.
const MAX_EVENTS: usize = u32::MAX as usize;

/// The events of each user.
pub(super) enum UserRuns {
    /// Each user's events are contiguous in file order: run r is events `bounds[r]..bounds[r + 1]`.
    Contiguous { bounds: Vec<usize> },
    /// Event indices grouped by (dense) user id; empty groups are skipped.
    Grouped(Groups),
}

/// The event indices of one user, in file order.
pub(super) enum UserEvents<'a> {
    Contiguous(Range<usize>),
    Grouped(slice::Iter<'a, u32>),
}

impl Iterator for UserEvents<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            UserEvents::Contiguous(range) => range.next(),
            UserEvents::Grouped(members) => members.next().map(|&i| i as usize),
        }
    }
}

impl UserRuns {
    /// Groups events by user, where `users[i]` is event i's user id.
    pub fn build(users: &[u32]) -> UserRuns {
        // (A no-op where `usize` is 32 bits, as in WebAssembly.)
        let users = users.get(..MAX_EVENTS).unwrap_or(users);
        let id_range = users
            .iter()
            .max()
            .map_or(0, |&max| (max as usize).saturating_add(1));
        // User ids come from the customer interner (0, 1, 2 … in first-seen order), so a table by
        // id is usually no longer than the log. It can be longer when orders' customers were
        // interned too, or for a dataset built by hand: then the users are renumbered (a hash map
        // per distinct user) rather than tables sized by the largest id.
        if id_range > users.len() {
            let (dense, id_range) = renumber(users);
            return Self::from_dense(&dense, id_range);
        }
        Self::from_dense(users, id_range)
    }

    /// `users` holds ids below `id_range`.
    fn from_dense(users: &[u32], id_range: usize) -> UserRuns {
        match contiguous_runs(users, id_range) {
            Some(bounds) => UserRuns::Contiguous { bounds },
            None => UserRuns::Grouped(Groups::build(id_range, users)),
        }
    }

    /// Calls `visit` with each user's events, for every user with at least one event.
    pub fn for_each_user(&self, mut visit: impl FnMut(UserEvents<'_>)) {
        match self {
            UserRuns::Contiguous { bounds } => {
                for run in bounds.windows(2) {
                    visit(UserEvents::Contiguous(run[0]..run[1]));
                }
            }
            UserRuns::Grouped(groups) => {
                for user in 0..groups.len() {
                    let members = groups.get(user);
                    if !members.is_empty() {
                        visit(UserEvents::Grouped(members.iter()));
                    }
                }
            }
        }
    }

    /// Users with at least one event.
    pub fn users(&self) -> usize {
        match self {
            UserRuns::Contiguous { bounds } => bounds.len().saturating_sub(1),
            UserRuns::Grouped(groups) => (0..groups.len())
                .filter(|&user| !groups.get(user).is_empty())
                .count(),
        }
    }
}

/// Where each user's run starts (then the end of the log), when no user's events are split over
/// two runs; `None` otherwise. Ids are below `id_range`.
fn contiguous_runs(users: &[u32], id_range: usize) -> Option<Vec<usize>> {
    let mut seen = vec![false; id_range];
    let mut bounds = Vec::new();
    let mut previous = None;
    for (i, &user) in users.iter().enumerate() {
        if previous == Some(user) {
            continue;
        }
        previous = Some(user);
        let seen_before = std::mem::replace(&mut seen[user as usize], true);
        if seen_before {
            return None;
        }
        bounds.push(i);
    }
    bounds.push(users.len());
    Some(bounds)
}

/// The ids renumbered 0, 1, 2 … in first-seen order, and how many there are.
fn renumber(users: &[u32]) -> (Vec<u32>, usize) {
    let mut dense_of: FxHashMap<u32, u32> = FxHashMap::default();
    let dense = users
        .iter()
        .map(|&user| {
            let next = dense_of.len() as u32;
            *dense_of.entry(user).or_insert(next)
        })
        .collect();
    (dense, dense_of.len())
}
