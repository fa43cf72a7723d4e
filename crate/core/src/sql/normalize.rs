//! SQL expressions that read a cell the way ingest reads it, generated from the engine's own
//! tables (placeholders, currency marks, count units, statuses, event names), never from a copy.
//!
//! Each function takes the SQL expression of a cell and returns an expression. The cell has been
//! trimmed and unwrapped first ([`trim`], [`unwrap`], [`missing_to_null`]), as
//! [`crate::schema::value::clean`] does, so the readers here see the text inside.
//!
//! What SQL reads differently from the engine, by design: a cell the engine *rejects* (an amount
//! `abc`, an impossible date, an id Excel turned into `1.23E+18`) is NULL here and the row is
//! kept; the engine lists such rows in its load report, and the exports it reads without
//! rejections (every fixture the check runs on) give the same figures.

use super::dialect::Dialect;
use crate::schema::value::{
    count_units, event_name_table, missing_placeholders, money_affixes, status_table, StatusClass,
    KEY_SEPARATORS,
};

/// Characters [`crate::schema::value::clean`] trims at both ends (whitespace, NBSP, the
/// ideographic space, BOM, zero-width space), as a regular-expression class.
const BLANK_CLASS: &str = r"[\s\x{00A0}\x{3000}\x{FEFF}\x{200B}]";

/// The cell without surrounding whitespace.
pub fn trim(d: Dialect, expr: &str) -> String {
    d.replace_all(expr, &format!("^{BLANK_CLASS}+|{BLANK_CLASS}+$"), "")
}

/// The text inside Excel's `="…"`, a pair of leftover quotes, or after a `'`/`` ` `` "keep as
/// text" prefix, trimmed again; `t` is already trimmed.
pub fn unwrap(d: Dialect, t: &str) -> String {
    let inner = |from: u32, cut: u32| trim(d, &format!("substr({t}, {from}, length({t}) - {cut})"));
    format!(
        "CASE WHEN {} THEN {} WHEN {} THEN {} WHEN {} THEN {} ELSE {t} END",
        d.matches(t, r#"^="[\s\S]*"$"#),
        inner(3, 3),
        d.matches(t, r#"^"[\s\S]*"$"#),
        inner(2, 2),
        d.matches(t, r"^['`]"),
        trim(d, &format!("substr({t}, 2)")),
    )
}

/// NULL for a blank cell or a placeholder (`-`, `--`, `无`, `无退款申请`, `订单未关闭` …, the
/// engine's table), else the cell.
pub fn missing_to_null(d: Dialect, c: &str) -> String {
    let list: Vec<String> = missing_placeholders()
        .iter()
        .map(|m| d.string(&m.to_lowercase()))
        .collect();
    format!(
        "CASE WHEN {c} = '' OR lower({c}) IN ({}) THEN NULL ELSE {c} END",
        list.join(", ")
    )
}

/// Full-width ASCII (U+FF01–U+FF5E) and the ideographic space folded to ASCII.
pub fn fold_width(d: Dialect, c: &str) -> String {
    let (from, to): (String, String) = (0xff01u32..=0xff5e)
        .filter_map(|u| Some((char::from_u32(u)?, char::from_u32(u - 0xfee0)?)))
        .chain(std::iter::once(('\u{3000}', ' ')))
        .unzip();
    format!("translate({c}, {}, {})", d.string(&from), d.string(&to))
}

/// An id as [`crate::schema::value::clean_id`] reads it: an all-digit id's `.0` fraction dropped
/// (`123456.0`), full-width characters folded.
pub fn id(d: Dialect, c: &str) -> String {
    let digits = r"^([0-9]+)\.0+$";
    fold_width(
        d,
        &format!(
            "CASE WHEN {} THEN {} ELSE {c} END",
            d.matches(c, digits),
            d.extract(c, digits, 1)
        ),
    )
}

/// A regular-expression alternation of literal words, longest first.
fn alternation(words: &[&str]) -> String {
    let mut w: Vec<&str> = words.to_vec();
    w.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    w.dedup();
    w.iter()
        .map(|s| {
            s.chars()
                .map(|c| {
                    if "\\^$.|?*+()[]{}".contains(c) {
                        format!("\\{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Money in cents as [`crate::schema::value::parse_money`] reads it: currency marks before or
/// after (`¥ ￥ $ US$ RMB 元 …`, the engine's tables) and `,`/`，`/space group separators removed,
/// `(12.50)` negative, `万`/`亿` multipliers, rounded half away from zero to the cent. With
/// `decimal_comma`, `,` is the decimal mark and `.` a group separator (`1.234,56`).
pub fn money(d: Dialect, c: &str, decimal_comma: bool) -> String {
    let (prefixes, suffixes, multipliers) = money_affixes();
    let mut marks: Vec<&str> = prefixes.to_vec();
    marks.extend_from_slice(suffixes);
    let text = if decimal_comma {
        format!("translate({c}, ',.', '.,')")
    } else {
        c.to_string()
    };
    let bare = d.replace_all(
        &format!("translate({text}, '−－＋', '--+')"),
        &format!("(?i){}|{BLANK_CLASS}|,|，", alternation(&marks)),
        "",
    );
    let scale: Vec<String> = multipliers
        .iter()
        .map(|(w, e)| format!("WHEN {bare} LIKE '%{w}' THEN 1{}", "0".repeat(*e as usize)))
        .collect();
    let words: Vec<&str> = multipliers.iter().map(|(w, _)| *w).collect();
    let digits = d.replace_all(&bare, &format!("[(){}]", words.join("")), "");
    format!(
        "CAST(round(TRY_CAST({digits} AS DECIMAL(38, 6)) * CASE {} ELSE 1 END * CASE WHEN {bare} LIKE '(%)' THEN -100 ELSE 100 END) AS BIGINT)",
        scale.join(" ")
    )
}

/// A count (quantity, visitors) as [`crate::schema::value::parse_count`] reads it: group separators
/// and units (`件`, `pcs` …, the engine's table) removed, `万`/`亿` multipliers (`1.2万` = 12000), a
/// zero fraction allowed; a count with a non-zero fraction (`2.5`) is not a count (NULL: ingest
/// refuses the cell).
pub fn count(d: Dialect, c: &str) -> String {
    let (_, _, multipliers) = money_affixes();
    let bare = d.replace_all(
        &format!("translate({c}, '−－＋', '--+')"),
        &format!("(?i)({})$|{BLANK_CLASS}|,|，", alternation(count_units())),
        "",
    );
    let scale: Vec<String> = multipliers
        .iter()
        .map(|(w, e)| format!("WHEN {bare} LIKE '%{w}' THEN 1{}", "0".repeat(*e as usize)))
        .collect();
    let words: String = multipliers.iter().map(|(w, _)| *w).collect();
    let digits = d.replace_all(&bare, &format!("[{words}]$"), "");
    let value = format!(
        "TRY_CAST({digits} AS DECIMAL(38, 6)) * CASE {} ELSE 1 END",
        scale.join(" ")
    );
    format!("CAST(CASE WHEN {value} = round({value}) THEN {value} END AS BIGINT)")
}

/// A timestamp as wall-clock seconds (DEFINITIONS §1): `2024-03-01 09:12:31`, `2024/03/05
/// 20:13:45`, `2024-03-01T08:15:22+00:00`, `2019-10-01 00:00:00 UTC`, `2024年3月1日 12:00` — an
/// offset or zone after the time is not applied (the wall-clock as written); a Unix epoch in
/// seconds (9–10 digits) or milliseconds (12–13) plus `epoch_offset` seconds. Other layouts the
/// engine accepts (US `3/1/2024 1:05 PM`, month names, Excel serials) are NULL here.
pub fn seconds(d: Dialect, c: &str, epoch_offset: i64) -> String {
    let stamp = r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?:[ T]+([0-9]{1,2})[:：时]([0-9]{1,2})(?:[:：分]([0-9]{1,2}))?)?";
    let part = |g: u32| {
        format!(
            "coalesce(TRY_CAST(NULLIF({}, '') AS BIGINT), 0)",
            d.extract(c, stamp, g)
        )
    };
    let parts: Vec<String> = (1..=6).map(part).collect();
    format!(
        "CASE WHEN {} THEN CAST(TRY_CAST({c} AS DECIMAL(20, 3)) AS BIGINT) + {epoch_offset} \
         WHEN {} THEN {} + {epoch_offset} \
         WHEN {} THEN {} END",
        d.matches(c, r"^[0-9]{9,10}(\.[0-9]+)?$"),
        d.matches(c, r"^[0-9]{12,13}$"),
        d.floor_div(&format!("CAST({c} AS BIGINT)"), "1000"),
        d.matches(c, stamp),
        d.seconds_of([&parts[0], &parts[1], &parts[2], &parts[3], &parts[4], &parts[5]]),
    )
}

/// The normalised key statuses and event names are looked up by: full-width folded, whitespace
/// and the separators `_ - , 、 / ; ·` removed, ASCII lower-cased.
pub fn key(d: Dialect, c: &str) -> String {
    // `-` first in the class, so that no separator needs an escape (RE2 and Java differ there).
    let mut seps: String = KEY_SEPARATORS.iter().filter(|&&c| c != '-').collect();
    seps.insert(0, '-');
    format!(
        "lower({})",
        d.replace_all(&fold_width(d, c), &format!("{BLANK_CLASS}|[{seps}]"), "")
    )
}

/// The code a status class is written as in the scripts (the load report's `meaning`).
pub fn status_code(class: StatusClass) -> &'static str {
    match class {
        StatusClass::Paid => "paid",
        StatusClass::Unpaid => "unpaid",
        StatusClass::Cancelled => "cancelled",
        StatusClass::ClosedPaidIfPaymentTime => "closed",
        StatusClass::Refunded => "refunded",
        StatusClass::Test => "test",
    }
}

/// The key a status is looked up by: its [`key`] `k`, or, for a key the engine's status table
/// does not know, the key without WooCommerce's `wc-` prefix.
pub fn status_lookup(d: Dialect, k: &str) -> String {
    let all: Vec<String> = status_table().iter().map(|(s, _)| d.string(s)).collect();
    format!(
        "CASE WHEN {k} LIKE 'wc%' AND {k} NOT IN ({}) THEN substr({k}, 3) ELSE {k} END",
        all.join(", ")
    )
}

/// The status class of a cleaned status cell, from the engine's status table; `overrides` (the
/// user's meanings, by the value as written) come first. NULL for an unknown status.
/// `c` is the cleaned cell and `lookup` its [`status_lookup`] key.
pub fn status_class(
    d: Dialect,
    c: &str,
    lookup: &str,
    overrides: &[(String, StatusClass)],
) -> String {
    let mut arms = String::new();
    for (value, class) in overrides {
        arms.push_str(&format!(
            "WHEN {c} = {} THEN '{}' ",
            d.string(value),
            status_code(*class)
        ));
    }
    for class in [
        StatusClass::Paid,
        StatusClass::Refunded,
        StatusClass::Unpaid,
        StatusClass::Cancelled,
        StatusClass::ClosedPaidIfPaymentTime,
        StatusClass::Test,
    ] {
        let keys: Vec<String> = status_table()
            .iter()
            .filter(|(_, k)| *k == class)
            .map(|(s, _)| d.string(s))
            .collect();
        arms.push_str(&format!(
            "\n      WHEN {lookup} IN ({}) THEN '{}'",
            keys.join(", "),
            status_code(class)
        ));
    }
    format!("CASE {arms} END")
}

/// The event class of a cleaned event-name cell, from the engine's event-name table:
/// `product_view`, `page_view`, `fav`, `cart`, `remove_from_cart`, `checkout`, `purchase`, else
/// `other` (kept, DEFINITIONS §5).
pub fn event_class(d: Dialect, c: &str) -> String {
    use crate::model::EventClass;
    let k = key(d, c);
    let mut arms = String::new();
    for (class, code) in [
        (EventClass::ProductView, "product_view"),
        (EventClass::PageView, "page_view"),
        (EventClass::Fav, "fav"),
        (EventClass::Cart, "cart"),
        (EventClass::RemoveFromCart, "remove_from_cart"),
        (EventClass::Checkout, "checkout"),
        (EventClass::Purchase, "purchase"),
    ] {
        let keys: Vec<String> = event_name_table()
            .iter()
            .filter(|(_, k)| *k == class)
            .map(|(s, _)| d.string(s))
            .collect();
        arms.push_str(&format!(
            "\n      WHEN {k} IN ({}) THEN '{code}'",
            keys.join(", ")
        ));
    }
    format!("CASE WHEN {c} IS NULL THEN NULL {arms}\n      ELSE 'other' END")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternation_escapes_and_sorts_longest_first() {
        assert_eq!(alternation(&["$", "US$", "Fr."]), r"US\$|Fr\.|\$");
    }

    #[test]
    fn tables_come_from_the_engine() {
        let s = status_class(Dialect::Duckdb, "c", "k", &[]) + &status_lookup(Dialect::Duckdb, "k");
        for (k, _) in status_table() {
            assert!(s.contains(&format!("'{k}'")), "{k}");
        }
        let m = missing_to_null(Dialect::Spark, "c");
        assert!(m.contains("'无退款申请'") && m.contains("'订单未关闭'"));
        let money = money(Dialect::Duckdb, "c", false);
        assert!(money.contains("元") && money.contains(r"US\$"));
    }
}
