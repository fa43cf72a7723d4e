//! The pieces behind the one-pass report, each against a plain reference: grouping events by user
//! ([`UserRuns`]), ranking per-group tallies ([`GroupTallies`]), and ids the interners do not hold.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;

use proptest::prelude::*;

use super::super::chain::SubjectResult;
use super::super::group_tallies::{Group, GroupTallies};
use super::super::user_runs::UserRuns;
use super::*;
use crate::model::{Event, OptId};

/// Each user's event indices, in file order, as `runs` lists them (sorted by first index).
fn runs_of(runs: &UserRuns) -> Vec<Vec<usize>> {
    let mut users = Vec::new();
    runs.for_each_user(|events| users.push(events.collect::<Vec<usize>>()));
    users.sort();
    users
}

/// The same, by a map from user id.
fn naive_runs(users: &[u32]) -> Vec<Vec<usize>> {
    let mut by_user: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, &user) in users.iter().enumerate() {
        by_user.entry(user).or_default().push(i);
    }
    let mut runs: Vec<Vec<usize>> = by_user.into_values().collect();
    runs.sort();
    runs
}

#[test]
fn user_runs_use_file_order_when_users_are_contiguous() {
    // Users 2, 0, 1 each in one block (not in id order): runs are ranges of the file.
    let users = [2, 2, 0, 1, 1, 1];
    let runs = UserRuns::build(&users);
    assert!(matches!(&runs, UserRuns::Contiguous { bounds } if bounds == &[0, 2, 3, 6]));
    assert_eq!(runs.users(), 3);
    assert_eq!(runs_of(&runs), [vec![0, 1], vec![2], vec![3, 4, 5]]);

    // User 0 comes back after user 1: grouped by id instead.
    let users = [0, 1, 0];
    let runs = UserRuns::build(&users);
    assert!(matches!(runs, UserRuns::Grouped(_)));
    assert_eq!(runs.users(), 2);
    assert_eq!(runs_of(&runs), [vec![0, 2], vec![1]]);

    let runs = UserRuns::build(&[]);
    assert_eq!(runs.users(), 0);
    assert!(runs_of(&runs).is_empty());
}

#[test]
fn user_ids_far_beyond_the_log_are_renumbered() {
    // Ids a table could not be sized by: grouped all the same.
    let users = [u32::MAX, 7, u32::MAX, 4_000_000_000];
    let runs = UserRuns::build(&users);
    assert_eq!(runs.users(), 3);
    assert_eq!(runs_of(&runs), naive_runs(&users));
}

/// Ten groups' subjects: (group, reached steps) with two steps; ids 0–7 are interned (named), 8 and
/// 9 are not.
fn arb_subjects() -> impl Strategy<Value = Vec<(Option<u32>, [bool; 2])>> {
    let group = prop_oneof![1 => Just(None), 9 => (0u32..10).prop_map(Some)];
    prop::collection::vec((group, any::<[bool; 2]>()), 0..40)
}

/// Names of groups 0–7 (their order differs from the ids'), `#id` for the others.
fn group_name(id: u32) -> Cow<'static, str> {
    const NAMES: [&str; 8] = ["h", "b", "g", "a", "f", "c", "e", "d"];
    NAMES
        .get(id as usize)
        .map_or_else(|| Cow::Owned(format!("#{id}")), |&name| Cow::Borrowed(name))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn user_runs_hold_each_users_events(
        users in prop::collection::vec(0u32..6, 0..40),
        contiguous in any::<bool>(),
    ) {
        let mut users = users;
        if contiguous {
            users.sort_unstable();
        }
        let runs = UserRuns::build(&users);
        let expected = naive_runs(&users);
        prop_assert_eq!(runs.users(), expected.len());
        prop_assert_eq!(runs_of(&runs), expected);
    }

    #[test]
    fn group_tallies_rank_like_a_full_sort(
        subjects in arb_subjects(),
        limit in 0usize..12,
        with_missing in any::<bool>(),
    ) {
        let mut tallies = GroupTallies::new(2, 8);
        let mut naive: BTreeMap<Group, Vec<u64>> = BTreeMap::new();
        for &(group, reached) in &subjects {
            let group = group.map_or(Group::Missing, Group::Id);
            let mut result = SubjectResult::default();
            result.reached = reached.to_vec();
            tallies.add(group, &result);
            let counts = naive.entry(group).or_insert_with(|| vec![0, 0]);
            for (count, hit) in counts.iter_mut().zip(reached) {
                *count += u64::from(hit);
            }
        }
        if !with_missing {
            naive.remove(&Group::Missing);
        }
        // Every group's key as the report ranks them: step 1 descending, missing last, then name.
        let mut ranked: Vec<Group> = naive.keys().copied().collect();
        ranked.sort_by_cached_key(|&group| {
            let name = match group {
                Group::Missing => Cow::Borrowed(""),
                Group::Id(id) => group_name(id),
            };
            (Reverse(naive[&group][0]), group == Group::Missing, name)
        });
        let shown: Vec<Group> = ranked.iter().copied().take(limit).collect();
        prop_assert_eq!(&tallies.top(limit, with_missing, group_name), &shown);
        for (group, counts) in &naive {
            prop_assert_eq!(&tallies.counts(*group), counts);
        }

        let mut rest_sums = vec![0u64; 2];
        for group in &ranked[shown.len()..] {
            for (sum, count) in rest_sums.iter_mut().zip(&naive[group]) {
                *sum += count;
            }
        }
        let rest_groups = (ranked.len() - shown.len()) as u64;
        prop_assert_eq!(tallies.rest(with_missing, &shown), (rest_groups, rest_sums));
    }
}

#[test]
fn ids_the_interners_do_not_hold_are_named_by_number() {
    // Events pushed with ids no interner holds (a hand-built dataset): user 4 000 000 000 views and
    // carts item 7 in category 9; user 3 views item 7 without a category.
    let t = at(0, 10, 0, 0);
    let mut ds = Dataset::default();
    let view = ds.intern_event_name("view").unwrap_or_default();
    let cart = ds.intern_event_name("cart").unwrap_or_default();
    let event = |user, name, time, category: Option<u32>| Event {
        user,
        name,
        time,
        item: Some(7).into(),
        category: category.into(),
        brand: OptId::NONE,
    };
    ds.events.push(event(4_000_000_000, view, t, Some(9)));
    ds.events
        .push(event(4_000_000_000, cart, t + MINUTE, Some(9)));
    ds.events.push(event(3, view, t, None));
    let r = run(&ds, &FunnelOptions::default());
    assert_eq!(r.users, 2);
    assert_eq!(counts(&r), [2, 1, 0]);

    let rows: Vec<(BreakdownRowKind, Option<&str>, &[u64])> = r
        .breakdown
        .iter()
        .map(|b| (b.kind, b.group.as_deref(), &b.counts[..]))
        .collect();
    assert_eq!(
        rows,
        [
            (BreakdownRowKind::Group, Some("#9"), &[1, 1, 0][..]),
            (BreakdownRowKind::Missing, None, &[1, 0, 0][..]),
        ]
    );
    let items: Vec<(&str, &[u64], Option<f64>)> = r
        .items
        .iter()
        .map(|i| (i.item.as_str(), &i.counts[..], i.item_conversion))
        .collect();
    // No product 7 is interned, so it has no item conversion (as in `item_conversion`).
    assert_eq!(items, [("#7", &[2, 1, 0][..], None)]);
}
