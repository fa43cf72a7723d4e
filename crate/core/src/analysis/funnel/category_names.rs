//! Names for a log's numeric category ids (issue 17: "the funnel breakdown shows numeric category
//! ids where names exist"). A behaviour log such as Tianchi's writes `category_id` 1702; a SKU list
//! or product export beside it names the same items' category (`女装/休闲裤`). A numeric id is shown
//! by the name most of its events' items carry in the product data (ties: the name first in the
//! dataset); an id whose items have no named category stays an id.

use rustc_hash::FxHashMap;

use crate::model::Dataset;

/// Whether a category as written is a bare id (digits only), not a name.
fn is_id(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
}

/// Per category id of `ds.categories`: the name to show for it, where it is a numeric id and the
/// items of its events have a named category in the product data.
pub(super) fn names_for_ids(ds: &Dataset) -> Vec<Option<String>> {
    let numeric: Vec<bool> = ds.categories.iter().map(|(_, n)| is_id(n)).collect();
    let mut names = vec![None; numeric.len()];
    if !numeric.iter().any(|&n| n) {
        return names;
    }
    let e = &ds.events;
    // (numeric category id, named category id) → events.
    let mut votes: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    for i in 0..e.len() {
        let (Some(c), Some(item)) = (e.category[i].get(), e.item[i].get()) else {
            continue;
        };
        if !numeric[c as usize] {
            continue;
        }
        let named = ds
            .product_info
            .get(item as usize)
            .and_then(|p| p.category)
            .filter(|&n| !numeric[n as usize]);
        if let Some(n) = named {
            *votes.entry((c, n)).or_default() += 1;
        }
    }
    let mut best: FxHashMap<u32, (u64, u32)> = FxHashMap::default();
    for (&(c, n), &count) in &votes {
        let slot = best.entry(c).or_insert((count, n));
        if count > slot.0 || (count == slot.0 && n < slot.1) {
            *slot = (count, n);
        }
    }
    for (c, (_, n)) in best {
        names[c as usize] = Some(ds.categories.name(n).to_string());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventType;

    #[test]
    fn numeric_ids_take_the_named_category_of_their_items() {
        let mut ds = Dataset::default();
        // The SKU list names two items' category; the log calls it 1702 (and 1801 for an item of
        // no named category).
        for (key, category) in [("220201", "女装/休闲裤"), ("220202", "女装/休闲裤")] {
            let p = ds.intern_product(key);
            let c = ds.categories.intern(category);
            ds.product_info[p as usize].category = Some(c);
        }
        for (user, item, category) in [
            ("u1", "220201", "1702"),
            ("u2", "220202", "1702"),
            ("u3", "230301", "1801"),
            ("u4", "220201", "女装"),
        ] {
            ds.add_event(user, EventType::View, 0, Some(item), Some(category), None);
        }
        let names = names_for_ids(&ds);
        let name = |c: &str| names[ds.categories.get(c).unwrap() as usize].as_deref();
        assert_eq!(name("1702"), Some("女装/休闲裤"));
        assert_eq!(name("1801"), None, "its item has no named category");
        assert_eq!(name("女装"), None, "a name needs none");
        assert_eq!(name("女装/休闲裤"), None);
    }
}
