//! Experiment groups from the words of a header (DEFINITIONS §9): the variant column of an A/B log
//! (`$feature/new-checkout`, `[Experiment] checkout-v2`, `experiment_group`, `AB Test Group`,
//! `实验分组`) and the experiment it belongs to (`experiment_id`, `Experiment Name`). The exact
//! header names the tools export are in the synonym table (`schema::field`, the experiment block,
//! with their sources).
//!
//! Both roles are read in behaviour logs only: an order or product export's `variant` is a product
//! variant, not a group, and takes no role there ([`outside_logs`]). In a log, `variation_id` /
//! `variant_id` (Optimizely, GrowthBook, Segment's "Experiment Viewed") are the group when their
//! values are a handful of labels repeated over many rows; a column of many distinct ids stays the
//! product's variant ([`in_log`]).

use super::profile::Profile;
use super::words::split_words;
use super::{Column, RoleSource};
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::schema::value::normalize_header;

/// An experiment group or experiment reading of `header`, with its score (below an exact
/// synonym's 1.0).
pub fn experiment_reading(header: &str) -> Option<(Field, f32)> {
    let norm = normalize_header(header);
    // PostHog's event property `$feature/<flag key>` (also flattened as `properties.$feature/…`)
    // and Amplitude's user property `[Experiment] <flag key>` hold the variant.
    let bare = norm.strip_prefix("properties").unwrap_or(&norm);
    let bare = bare.strip_prefix("userproperties").unwrap_or(bare);
    if bare.starts_with("$feature/") || bare.starts_with("[experiment]") {
        return Some((Field::Variant, 0.95));
    }
    let words = split_words(header);
    let has = |w: &str| words.iter().any(|x| x == w);
    let any = |ws: &[&str]| ws.iter().any(|w| has(w));
    // Chinese words are looked for only in a header that has any non-ASCII character.
    let wide = !header.is_ascii();
    let chinese = |w: &str| wide && header.contains(w);
    let experimental = any(&["experiment", "experiments", "ab", "a/b", "test", "split"])
        || chinese("实验")
        || chinese("试验");
    let grouping = any(&[
        "group",
        "groups",
        "variant",
        "variation",
        "arm",
        "bucket",
        "cohort",
        "treatment",
    ]) || chinese("组")
        || chinese("桶")
        || chinese("版本");
    if experimental && grouping {
        return Some((Field::Variant, 0.85));
    }
    if any(&["experiment", "flag"]) && any(&["id", "name", "key", "title"])
        || chinese("实验") && (chinese("名") || chinese("编号") || chinese("id"))
    {
        return Some((Field::Experiment, 0.8));
    }
    None
}

/// Outside a behaviour log the two roles mean nothing the analyses read: no role.
pub fn outside_logs(cols: &mut [Column], kind: DatasetKind) {
    if kind == DatasetKind::Events {
        return;
    }
    for c in cols.iter_mut() {
        if matches!(c.field, Some(Field::Variant | Field::Experiment))
            && c.source != RoleSource::Override
        {
            c.field = None;
            c.source = RoleSource::None;
            c.confidence = 0.0;
            c.duplicate_of = None;
        }
    }
}

/// At most this many distinct labels in the sample make a `variation_id` column a group.
const MAX_GROUPS: u32 = 16;

/// In a behaviour log without a variant column: a `variation_id` / `variant_id` column (read as a
/// SKU by its words) whose sampled values are a few labels repeated is the experiment group.
pub fn in_log(cols: &mut [Column], profiles: Option<&[Profile]>) {
    let taken = |cols: &[Column]| {
        cols.iter()
            .any(|c| c.field == Some(Field::Variant) && c.duplicate_of.is_none())
    };
    if taken(cols) {
        return;
    }
    let Some(profiles) = profiles else { return };
    for c in cols.iter_mut() {
        if c.source == RoleSource::Override || !matches!(c.field, Some(Field::Sku) | None) {
            continue;
        }
        let words = split_words(&c.header);
        let group_id = matches!(
            words.iter().map(String::as_str).collect::<Vec<_>>()[..],
            ["variation" | "variant", "id" | "key"]
        );
        let Some(p) = profiles.get(c.index) else {
            continue;
        };
        if group_id && p.filled >= 4 && p.distinct <= MAX_GROUPS && p.distinct * 4 <= p.filled {
            c.field = Some(Field::Variant);
            c.source = RoleSource::Words;
            c.confidence = 0.8;
            c.duplicate_of = None;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(h: &str) -> Option<Field> {
        experiment_reading(h).map(|r| r.0)
    }

    #[test]
    fn groups_and_experiments() {
        for h in [
            "$feature/new-checkout",
            "properties.$feature/main-image",
            "[Experiment] checkout-v2",
            "AB Test Group",
            "experiment_group",
            "Test Group",
            "ab_bucket",
            "实验分组",
            "实验组别",
            "AB实验版本",
        ] {
            assert_eq!(role(h), Some(Field::Variant), "{h}");
        }
        for h in [
            "experiment_id",
            "Experiment Name",
            "flag_key",
            "实验名称",
            "实验编号",
        ] {
            assert_eq!(role(h), Some(Field::Experiment), "{h}");
        }
        for h in [
            "Customer Group",
            "Variant SKU",
            "variant_id",
            "Lineitem variant",
            "group_id",
            "商品分组",
        ] {
            assert_eq!(role(h), None, "{h}");
        }
    }

    struct Rows(Vec<Vec<&'static str>>);
    impl super::super::decide::Sample for Rows {
        fn rows(&self) -> usize {
            self.0.len()
        }
        fn cell(&self, row: usize, col: usize) -> &str {
            self.0[row][col]
        }
    }

    fn roles(header: &[&str], rows: Vec<Vec<&'static str>>) -> (DatasetKind, Vec<Option<Field>>) {
        let r = super::super::recognize_sampled(
            header,
            &Rows(rows),
            &rustc_hash::FxHashMap::default(),
            None,
        )
        .expect("recognised");
        let fields = header
            .iter()
            .map(|h| {
                r.columns
                    .iter()
                    .find(|c| c.header == *h && c.duplicate_of.is_none())
                    .and_then(|c| c.field)
            })
            .collect();
        (r.kind, fields)
    }

    /// A GrowthBook / Segment-style log: `variation_id` of a few values is the group; in an order
    /// export `variation_id` (WooCommerce's product variation) and `variant` take no group role.
    #[test]
    fn variation_ids_are_groups_in_logs_only() {
        let header = [
            "user_id",
            "timestamp",
            "event",
            "experiment_id",
            "variation_id",
        ];
        let rows = (0..12)
            .map(|i| {
                vec![
                    ["u1", "u2", "u3", "u4"][i % 4],
                    "2024-06-01 10:00:00",
                    ["experiment_viewed", "purchase"][i % 2],
                    "checkout-v2",
                    ["0", "1"][i % 2],
                ]
            })
            .collect();
        let (kind, fields) = roles(&header, rows);
        assert_eq!(kind, DatasetKind::Events);
        assert_eq!(fields[3], Some(Field::Experiment));
        assert_eq!(fields[4], Some(Field::Variant));

        let header = [
            "order_id",
            "date_created",
            "total",
            "variation_id",
            "variant",
        ];
        let rows = (0..12)
            .map(|i| {
                vec![
                    ["1001", "1002", "1003", "1004", "1005", "1006"][i % 6],
                    "2024-06-01 10:00:00",
                    "59.00",
                    ["311", "312", "313", "314", "315", "316"][i % 6],
                    ["Red / M", "Blue / L"][i % 2],
                ]
            })
            .collect();
        let (kind, fields) = roles(&header, rows);
        assert!(matches!(
            kind,
            DatasetKind::Orders | DatasetKind::OrderLines
        ));
        assert!(!fields.contains(&Some(Field::Variant)), "{fields:?}");
        assert!(!fields.contains(&Some(Field::Experiment)), "{fields:?}");
    }
}
