//! Per-group funnel counts for groups keyed by interned id (items, categories, brands), in one flat
//! table indexed by the id rather than one [`Tally`](super::chain::Tally) per group: a log with a
//! million items needs 16 bytes per item for three steps, and ranking reads names only for the
//! groups that may be shown.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use super::chain::SubjectResult;

/// A group: an interned id, or the events lacking the attribute taken together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Group {
    /// Events without the attribute; sorts first.
    Missing,
    Id(u32),
}

/// Funnel counts of every group with at least one step event.
#[derive(Debug)]
pub(super) struct GroupTallies {
    steps: usize,
    /// Ids below this have their own row at `id + 1` (row 0 is the missing group); they are the
    /// interner's ids. Others (not interned) get rows after them, through `extra_rows`.
    dense_ids: usize,
    /// Row r is `cells[r * (steps + 1)..][..steps + 1]`: the group's subjects (users with a step
    /// event in it; groups without any are not reported), then per step j the subjects reaching
    /// it. A group's cells lie together, so adding a subject touches one place. Counts are at most
    /// the number of users, whose ids are `u32`.
    cells: Vec<u32>,
    /// Rows of ids at or beyond `dense_ids`, and those ids by row (after the dense rows).
    extra_rows: FxHashMap<u32, usize>,
    extra_ids: Vec<u32>,
}

impl GroupTallies {
    /// Tallies for `steps` steps and ids below `dense_ids` (the interner's length).
    pub fn new(steps: usize, dense_ids: usize) -> GroupTallies {
        GroupTallies {
            steps,
            dense_ids,
            cells: vec![0; (dense_ids + 1) * (steps + 1)],
            extra_rows: FxHashMap::default(),
            extra_ids: Vec::new(),
        }
    }

    fn rows(&self) -> usize {
        self.cells.len() / (self.steps + 1)
    }

    /// The row of `group`, if it has one.
    fn row_of(&self, group: Group) -> Option<usize> {
        match group {
            Group::Missing => Some(0),
            Group::Id(id) if (id as usize) < self.dense_ids => Some(id as usize + 1),
            Group::Id(id) => self.extra_rows.get(&id).copied(),
        }
    }

    /// The row of `group`, added if it has none.
    fn row_or_insert(&mut self, group: Group) -> usize {
        if let Some(row) = self.row_of(group) {
            return row;
        }
        let Group::Id(id) = group else { return 0 };
        let row = self.rows();
        self.extra_rows.insert(id, row);
        self.extra_ids.push(id);
        self.cells.resize(self.cells.len() + self.steps + 1, 0);
        row
    }

    fn group_of_row(&self, row: usize) -> Group {
        match row.checked_sub(1) {
            None => Group::Missing,
            Some(id) if id < self.dense_ids => Group::Id(id as u32),
            Some(_) => Group::Id(self.extra_ids[row - self.dense_ids - 1]),
        }
    }

    /// Adds one subject of `group`.
    pub fn add(&mut self, group: Group, result: &SubjectResult) {
        let row = self.row_or_insert(group);
        let stride = self.steps + 1;
        if let Some((subjects, counts)) = self.cells[row * stride..][..stride].split_first_mut() {
            *subjects += 1;
            for (count, &reached) in counts.iter_mut().zip(&result.reached) {
                *count += u32::from(reached);
            }
        }
    }

    /// Loads the rows of `groups` ahead of their [`add`](Self::add)s. With a million items the
    /// rows are mostly cache misses; loaded together they overlap, where one at a time each
    /// waited for its own.
    pub fn warm(&self, groups: impl Iterator<Item = Group>) {
        let stride = self.steps + 1;
        let mut subjects = 0u32;
        for group in groups {
            if let Some(row) = self.row_of(group) {
                subjects =
                    subjects.wrapping_add(self.cells.get(row * stride).copied().unwrap_or(0));
            }
        }
        std::hint::black_box(subjects);
    }

    /// Per-step counts of a group (zeros for a group without subjects).
    pub fn counts(&self, group: Group) -> Vec<u64> {
        self.row_of(group).map_or_else(
            || vec![0; self.steps],
            |row| self.row_counts(row).iter().map(|&c| u64::from(c)).collect(),
        )
    }

    fn row_counts(&self, row: usize) -> &[u32] {
        let stride = self.steps + 1;
        &self.cells[row * stride + 1..(row + 1) * stride]
    }

    fn first_count(&self, row: usize) -> u32 {
        self.row_counts(row).first().copied().unwrap_or(0)
    }

    /// The groups with subjects, the missing group left out unless `with_missing`.
    fn present_rows(&self, with_missing: bool) -> impl Iterator<Item = usize> + '_ {
        let stride = self.steps + 1;
        let first = usize::from(!with_missing);
        (first..self.rows()).filter(move |&row| self.cells[row * stride] > 0)
    }

    /// The `limit` groups with the most step-1 subjects, ties by name ascending with the missing
    /// group last, then by id (names of interned ids are unique); the missing group only if
    /// `with_missing`. Names are looked up only for groups tied with or above the last one kept.
    pub fn top<'n>(
        &self,
        limit: usize,
        with_missing: bool,
        name: impl Fn(u32) -> Cow<'n, str>,
    ) -> Vec<Group> {
        if limit == 0 {
            return Vec::new();
        }
        // Rank without names first (step-1 count descending, missing last): the `limit` best such
        // keys, kept in a heap whose top is the worst of them, give the last key that can still be
        // shown; only the rows up to it are named and sorted.
        let coarse = |row: usize| (Reverse(self.first_count(row)), row == 0);
        let mut best = BinaryHeap::new();
        for row in self.present_rows(with_missing) {
            best.push(coarse(row));
            if best.len() > limit {
                best.pop();
            }
        }
        let Some(&last_shown) = best.peek() else {
            return Vec::new();
        };
        let mut rows: Vec<usize> = self
            .present_rows(with_missing)
            .filter(|&row| coarse(row) <= last_shown)
            .collect();
        rows.sort_by_cached_key(|&row| {
            let group = self.group_of_row(row);
            let name = match group {
                Group::Missing => Cow::Borrowed(""),
                Group::Id(id) => name(id),
            };
            (coarse(row), name, group)
        });
        rows.truncate(limit);
        rows.into_iter().map(|row| self.group_of_row(row)).collect()
    }

    /// The number of groups with subjects and their summed counts, leaving out `shown` groups
    /// (and the missing group unless `with_missing`).
    pub fn rest(&self, with_missing: bool, shown: &[Group]) -> (u64, Vec<u64>) {
        let mut groups = 0u64;
        let mut sums = vec![0u64; self.steps];
        for row in self.present_rows(with_missing) {
            groups += 1;
            for (sum, &count) in sums.iter_mut().zip(self.row_counts(row)) {
                *sum += u64::from(count);
            }
        }
        for &group in shown {
            groups = groups.saturating_sub(1);
            for (sum, count) in sums.iter_mut().zip(self.counts(group)) {
                *sum = sum.saturating_sub(count);
            }
        }
        (groups, sums)
    }
}
