//! Item conversion (DEFINITIONS §5): distinct buyers of an item / distinct viewers of it, from the
//! view and purchase events whatever the funnel's steps.
//!
//! Users are taken one at a time ([`UserRuns`]), so a user is counted once per item by keeping,
//! per item, the last user counted: no (item, user) pairs are collected or sorted.

use rustc_hash::FxHashMap;

use crate::analysis::ratio;
use crate::model::{Dataset, EventType};

use super::user_runs::UserRuns;

/// Distinct viewers and buyers of one item, each with the last user counted (users are numbered
/// from 1 in the order they are visited; 0 = none yet).
#[derive(Clone, Copy, Debug, Default)]
struct ItemUsers {
    viewers: u32,
    last_viewer: u32,
    buyers: u32,
    last_buyer: u32,
}

impl ItemUsers {
    fn conversion(&self) -> Option<f64> {
        ratio(f64::from(self.buyers), f64::from(self.viewers))
    }
}

/// Item conversion of every product id below `products`, indexed by product id.
/// `meanings` are [`super::event_meanings`].
pub(super) fn all_items(
    ds: &Dataset,
    runs: &UserRuns,
    meanings: &[Option<EventType>],
    products: usize,
) -> Vec<Option<f64>> {
    let slot_of = |item: u32| ((item as usize) < products).then_some(item as usize);
    count_users(ds, runs, meanings, products, slot_of)
        .iter()
        .map(ItemUsers::conversion)
        .collect()
}

/// Item conversion of each of `items` (distinct ids), in their order; `None` for an id that is not
/// a product below `products` (as in [`all_items`]).
pub(super) fn of_items(
    ds: &Dataset,
    runs: &UserRuns,
    meanings: &[Option<EventType>],
    items: &[u32],
    products: usize,
) -> Vec<Option<f64>> {
    let slots: FxHashMap<u32, usize> = items
        .iter()
        .enumerate()
        .filter(|&(_, &item)| (item as usize) < products)
        .map(|(slot, &item)| (item, slot))
        .collect();
    // Most events are on other items: one bit per product id (a few hundred KiB that stay in
    // cache) rules them out before any lookup.
    let mut counted = vec![0u64; products.div_ceil(64)];
    for &item in slots.keys() {
        counted[item as usize / 64] |= 1 << (item % 64);
    }
    let slot_of = |item: u32| {
        let word = counted.get(item as usize / 64)?;
        if word & (1 << (item % 64)) == 0 {
            return None;
        }
        slots.get(&item).copied()
    };
    count_users(ds, runs, meanings, items.len(), slot_of)
        .iter()
        .map(ItemUsers::conversion)
        .collect()
}

/// Distinct viewers and buyers of `slots` items, `slot_of` giving an item id's slot (`None`: not
/// counted).
fn count_users(
    ds: &Dataset,
    runs: &UserRuns,
    meanings: &[Option<EventType>],
    slots: usize,
    slot_of: impl Fn(u32) -> Option<usize>,
) -> Vec<ItemUsers> {
    let e = &ds.events;
    let mut items = vec![ItemUsers::default(); slots];
    // At most one user per event, and events are `u32`-indexed: the number fits.
    let mut user = 0u32;
    runs.for_each_user(|events| {
        user += 1;
        for i in events {
            let kind = e.name.get(i).and_then(|&n| *meanings.get(usize::from(n))?);
            let Some(kind @ (EventType::View | EventType::Purchase)) = kind else {
                continue;
            };
            let slot = e.item.get(i).and_then(|item| item.get()).and_then(&slot_of);
            let Some(counts) = slot.and_then(|slot| items.get_mut(slot)) else {
                continue;
            };
            let (users, last_user) = if kind == EventType::View {
                (&mut counts.viewers, &mut counts.last_viewer)
            } else {
                (&mut counts.buyers, &mut counts.last_buyer)
            };
            if *last_user != user {
                *last_user = user;
                *users += 1;
            }
        }
    });
    items
}
