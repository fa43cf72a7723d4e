//! Fast paths for the plain cells that make up nearly every row of a big export.
//!
//! The general readers in [`crate::schema::value`] handle every quirk of real exports (`="…"`
//! wrappers, `¥1,299.00`, placeholders, full-width digits …) and pay for it on every cell: trimming
//! by `char`, comparing against placeholder lists, scanning for affixes. Profiles of 1M-row exports
//! put that work at the top, for cells that are almost always plain (`3794427321291481885`,
//! `194.80`, `2`, `pv`). Each function here recognises one plain form by its bytes and returns
//! `Some` only when the general reader would return exactly that value; anything else is `None`,
//! and the caller falls back to the general reader. The tests check the agreement on random cells.

use crate::model::EventType;
use crate::schema::value::{clean, is_missing, MAX_MONEY_CENTS};

/// A plain id — ASCII letters, digits, `_` and `-` only, not a placeholder (`-`, `nan`, `none` …)
/// — is its own [`clean_id`](crate::schema::value::clean_id): nothing to strip, no fraction, no
/// exponent sign, no full-width form.
pub fn id(raw: &str) -> Option<&str> {
    let plain = !raw.is_empty()
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (plain && !is_missing(raw)).then_some(raw)
}

/// Unsigned digits without a leading zero (except `0` itself), at most `max` of them.
fn digits(s: &[u8], max: usize) -> Option<i64> {
    if s.is_empty() || s.len() > max || (s.len() > 1 && s[0] == b'0') {
        return None;
    }
    s.iter().try_fold(0i64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// `123`, `123.4`, `123.45` (up to 11 integer digits) in cents, as
/// [`parse_money`](crate::schema::value::parse_money) reads them.
pub fn money(raw: &str) -> Option<i64> {
    let s = raw.as_bytes();
    let (int_part, frac_part) = match s.iter().position(|&b| b == b'.') {
        Some(dot) => (&s[..dot], &s[dot + 1..]),
        None => (s, &[][..]),
    };
    let whole = digits(int_part, 11)?;
    let fraction = match frac_part {
        [] if int_part.len() == s.len() => 0,
        [d] if d.is_ascii_digit() => i64::from(d - b'0') * 10,
        [d1, d2] if d1.is_ascii_digit() && d2.is_ascii_digit() => {
            i64::from(d1 - b'0') * 10 + i64::from(d2 - b'0')
        }
        _ => return None,
    };
    let cents = whole * 100 + fraction;
    (cents <= MAX_MONEY_CENTS).then_some(cents)
}

/// Plain unsigned digits (up to 15), as [`parse_count`](crate::schema::value::parse_count) reads
/// them.
pub fn count(raw: &str) -> Option<i64> {
    digits(raw.as_bytes(), 15)
}

/// The event types of the Tianchi and REES46 logs, written exactly so.
pub fn event_type(raw: &str) -> Option<EventType> {
    match raw {
        "pv" | "view" => Some(EventType::View),
        "fav" => Some(EventType::Fav),
        "cart" => Some(EventType::Cart),
        "buy" | "purchase" => Some(EventType::Purchase),
        _ => None,
    }
}

/// [`clean`], skipping the work when the cell has nothing to strip: its first character is not
/// blank and not a wrapper (`"`, `'`, `=`), and its last character is not blank.
pub fn clean_text(raw: &str) -> &str {
    let plain_start = raw
        .as_bytes()
        .first()
        .is_some_and(|&b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'='));
    let plain_end = match raw.as_bytes().last() {
        Some(&b) if b.is_ascii() => b.is_ascii_graphic(),
        // Titles and statuses end in CJK characters: decode just that one character.
        Some(_) => raw.chars().next_back().is_some_and(|c| !is_blank(c)),
        None => false,
    };
    if plain_start && plain_end {
        raw
    } else {
        clean(raw)
    }
}

/// The characters [`clean`] strips from both ends.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::schema::value::{clean_id, parse_count, parse_event_type, parse_money};

    #[test]
    fn plain_cells_take_the_fast_path() {
        assert_eq!(id("3794427321291481885"), Some("3794427321291481885"));
        assert_eq!(id("SKU-10000"), Some("SKU-10000"));
        assert_eq!(id("tb_xiaoyu0516"), Some("tb_xiaoyu0516"));
        assert_eq!(money("194.80"), Some(19_480));
        assert_eq!(money("0.00"), Some(0));
        assert_eq!(money("12.5"), Some(1_250));
        assert_eq!(money("59"), Some(5_900));
        assert_eq!(count("2"), Some(2));
        assert_eq!(event_type("pv"), Some(EventType::View));
        assert_eq!(clean_text("交易成功"), "交易成功");
        assert_eq!(clean_text("tb_a"), "tb_a");
    }

    #[test]
    fn quirky_cells_go_the_general_way() {
        for raw in [
            "",
            "-",
            "--",
            "nan",
            "None",
            "=\"123\"",
            "'123",
            " 123",
            "123.0",
            "１２３",
        ] {
            assert_eq!(id(raw), None, "{raw:?}");
        }
        for raw in [
            "",
            "1,299.00",
            "¥59",
            "-5.00",
            "5.",
            ".5",
            "007.50",
            "1.234",
            "99999999999999",
        ] {
            assert_eq!(money(raw), None, "{raw:?}");
        }
        for raw in ["", "01", "3件", "-1", "1.0", "1234567890123456"] {
            assert_eq!(count(raw), None, "{raw:?}");
        }
        assert_eq!(clean_text(" a "), "a");
        assert_eq!(clean_text("=\"a\""), "a");
        assert_eq!(clean_text("交易成功\u{3000}"), "交易成功");
    }

    /// Cells from an alphabet rich in the characters that matter (digits, `.`, `-`, `e`, `E`,
    /// `+`, `=`, quotes, spaces, letters of placeholders, a full-width digit and space).
    fn cell() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                8 => "[0-9]",
                1 => "[.\\-eE+=\"' _]",
                1 => "[nalouNA]",
                1 => "[１\u{3000}订元¥,]",
            ],
            0..14,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn id_agrees_with_clean_id(raw in cell()) {
            if let Some(fast) = id(&raw) {
                let general = clean_id(&raw).ok().flatten();
                prop_assert_eq!(general.as_deref(), Some(fast));
            }
        }

        #[test]
        fn money_agrees_with_parse_money(raw in cell()) {
            if let Some(fast) = money(&raw) {
                prop_assert_eq!(parse_money(&raw), Ok(Some(fast)));
            }
        }

        #[test]
        fn count_agrees_with_parse_count(raw in cell()) {
            if let Some(fast) = count(&raw) {
                prop_assert_eq!(parse_count(&raw), Ok(Some(fast)));
            }
        }

        #[test]
        fn clean_text_agrees_with_clean(raw in cell()) {
            prop_assert_eq!(clean_text(&raw), clean(&raw));
        }

        /// Plain money and counts as exports write them always take the fast path.
        #[test]
        fn plain_numbers_are_fast(whole in 0i64..10_000_000, cents in 0i64..100) {
            prop_assert_eq!(money(&format!("{whole}.{cents:02}")), Some(whole * 100 + cents));
            prop_assert_eq!(count(&whole.to_string()), Some(whole));
        }
    }

    #[test]
    fn event_types_agree_with_parse_event_type() {
        for raw in ["pv", "view", "fav", "cart", "buy", "purchase"] {
            assert_eq!(event_type(raw), parse_event_type(raw), "{raw}");
        }
    }
}
