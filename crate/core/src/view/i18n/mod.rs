//! UI strings in zh-CN and English, one table keyed by a dotted `&'static str` key.
//!
//! Keys are grouped by prefix: `view.*` titles, `kpi.*` metric names (the platforms' own Chinese
//! terms, DEFINITIONS §2), `segment.*` RFM segments, `abc.*` / `quadrant.*` / `score.*` /
//! `component.*` product selection, `unavailable.*` / `reason.*` / `note.*` / `error.*` explanations by
//! the engine's stable codes, `field.*` column roles, and plain UI words.

pub mod alerts;
mod table;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::fmt::Lang;
use crate::codes::{Code, ErrorCode, NoteCode, ReasonCode, UnavailableCode};
use table::STRINGS;

/// Every `(key, zh-CN, en)`: [`STRINGS`], then the engine's codes under `prefix.code`
/// (`reason.invalid_money`), whose texts are declared with the codes (`crate::codes`).
fn entries() -> &'static [(&'static str, &'static str, &'static str)] {
    static ENTRIES: OnceLock<Vec<(&'static str, &'static str, &'static str)>> = OnceLock::new();
    fn of<C: Code>() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
        // Built once per process: the few code keys live as long as the table.
        C::ALL.iter().map(|&c| {
            let key: &'static str =
                Box::leak(format!("{}.{}", C::PREFIX, c.code()).into_boxed_str());
            (key, c.zh(), c.en())
        })
    }
    ENTRIES.get_or_init(|| {
        STRINGS
            .iter()
            .copied()
            .chain(of::<ReasonCode>())
            .chain(of::<NoteCode>())
            .chain(of::<UnavailableCode>())
            .chain(of::<ErrorCode>())
            .collect()
    })
}

/// `key → (zh-CN, en)`, built once from [`entries`].
fn index() -> &'static FxHashMap<&'static str, (&'static str, &'static str)> {
    static INDEX: OnceLock<FxHashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    INDEX.get_or_init(|| entries().iter().map(|&(k, zh, en)| (k, (zh, en))).collect())
}

/// The text of an engine code (a rejection reason, note, unavailable section or read error).
pub fn code_text<C: Code>(lang: Lang, code: C) -> &'static str {
    match lang {
        Lang::Zh => code.zh(),
        Lang::En => code.en(),
    }
}

/// The text of `key` in `lang`, or `None` when the table has no such key. Use this for keys built
/// from data codes (`reason.` + a rejection code), which may be newer than the table.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    index().get(key).map(|&(zh, en)| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

/// The text of `key` in `lang`. A key missing from the table shows as itself (the view tests check
/// that no rendered view contains one).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key).unwrap_or(key)
}

/// The text of `key` with its `{}` placeholder replaced by `arg` (`table.more_rows`, 200).
pub fn t_with(lang: Lang, key: &'static str, arg: &str) -> String {
    t(lang, key).replacen("{}", arg, 1)
}

/// The text of `prefix.code` (e.g. `segment` + `high_value`), if the table has it.
pub fn by_code(lang: Lang, prefix: &str, code: &str) -> Option<&'static str> {
    lookup(lang, &format!("{prefix}.{code}"))
}

/// Whether `key` is in the table.
pub fn has(key: &str) -> bool {
    index().contains_key(key)
}

/// Every key, in table order (for tests and for the page's own string checks).
pub fn keys() -> impl Iterator<Item = &'static str> {
    entries().iter().map(|&(k, _, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rfm::Segment;
    use crate::model::Platform;
    use crate::schema::field::Field;

    #[test]
    fn every_key_has_both_languages_and_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for &(key, zh, en) in entries() {
            assert!(seen.insert(key), "duplicate key {key}");
            assert!(!zh.trim().is_empty(), "{key} has no zh-CN text");
            assert!(!en.trim().is_empty(), "{key} has no en text");
            assert!(
                key.contains('.')
                    && key.chars().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == '.'
                        || c == '_'),
                "key {key} is not dotted snake_case"
            );
        }
    }

    #[test]
    fn kpi_names_follow_the_platforms() {
        assert_eq!(t(Lang::Zh, "kpi.gmv"), "支付金额");
        assert_eq!(t(Lang::Zh, "kpi.paid_orders"), "支付订单数");
        assert_eq!(t(Lang::Zh, "kpi.buyers"), "支付买家数");
        assert_eq!(t(Lang::Zh, "kpi.revenue_per_buyer"), "客单价");
        assert_eq!(t(Lang::Zh, "kpi.aov"), "笔单价");
        assert_eq!(t(Lang::En, "kpi.gmv"), "GMV");
        assert_eq!(t(Lang::Zh, "quadrant.cash_cow"), "金牛");
    }

    #[test]
    fn codes_of_the_engine_are_covered() {
        for s in Segment::ALL {
            assert_eq!(by_code(Lang::Zh, "segment", s.code()), Some(s.zh()));
            assert_eq!(by_code(Lang::En, "segment", s.code()), Some(s.en()));
        }
        for p in Platform::ALL {
            assert!(by_code(Lang::Zh, "platform", p.code()).is_some(), "{p:?}");
        }
        for f in Field::all() {
            assert!(by_code(Lang::Zh, "field", f.code()).is_some(), "{f:?}");
        }
        for code in [
            "no_customer_ids",
            "no_events",
            "no_orders",
            "no_order_lines",
            "no_paid_orders",
        ] {
            assert!(by_code(Lang::En, "unavailable", code).is_some(), "{code}");
        }
    }

    #[test]
    fn missing_keys_fall_back_without_panicking() {
        assert_eq!(t(Lang::En, "no.such_key"), "no.such_key");
        assert_eq!(by_code(Lang::Zh, "reason", "brand_new_code"), None);
        assert!(has("view.overview") && !has("view.nope"));
        assert_eq!(keys().count(), entries().len());
        assert_eq!(
            lookup(Lang::Zh, "reason.invalid_money"),
            Some(ReasonCode::InvalidMoney.zh())
        );
        assert_eq!(
            code_text(Lang::En, ErrorCode::TooLarge),
            t(Lang::En, "error.too_large")
        );
        assert_eq!(
            t_with(Lang::En, "table.more_rows", "200"),
            "Showing the first 200 rows; export CSV for all"
        );
    }
}
