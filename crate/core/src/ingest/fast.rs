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
use crate::time::{is_valid_date, to_seconds};

/// A plain id — ASCII letters, digits, `_` and `-` only, not a placeholder (`-`, `nan`, `none` …)
/// — is its own [`clean_id`](crate::schema::value::clean_id): nothing to strip, no fraction, no
/// exponent sign, no full-width form.
pub fn id(raw: &str) -> Option<&str> {
    let plain = !raw.is_empty()
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    // The placeholders made of these characters (`-`, `---`, `na`, `nan`, `null`, `none`) are at
    // most 4 bytes long: a longer plain id needs no comparison with them.
    (plain && (raw.len() > 4 || !is_missing(raw))).then_some(raw)
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

/// Two ASCII digits at `s[i..i + 2]` as a number.
fn two_digits(s: &[u8], i: usize) -> Option<u32> {
    let (a, b) = (s[i].wrapping_sub(b'0'), s[i + 1].wrapping_sub(b'0'));
    (a < 10 && b < 10).then(|| u32::from(a) * 10 + u32::from(b))
}

/// Wall-clock seconds of `YYYY-MM-DD?HH:MM:SS` at the start of `s` (any byte at `?`, the caller
/// checks it), when it is a valid date and time.
fn date_time(s: &[u8]) -> Option<i64> {
    if s[4] != b'-' || s[7] != b'-' || s[13] != b':' || s[16] != b':' {
        return None;
    }
    let year = two_digits(s, 0)? * 100 + two_digits(s, 2)?;
    let (month, day) = (two_digits(s, 5)?, two_digits(s, 8)?);
    let (hour, minute, second) = (two_digits(s, 11)?, two_digits(s, 14)?, two_digits(s, 17)?);
    (is_valid_date(year as i32, month, day) && hour < 24 && minute < 60 && second < 60)
        .then(|| to_seconds(year as i32, month, day, hour, minute, second))
}

/// The timestamps of nearly every big export, read by position, as
/// [`parse_time_in_zone`](crate::schema::value::parse_time_in_zone) reads them with the same
/// epoch offset and report zone:
/// - `2024-03-01 10:00:00` and `2024-03-01T10:00:00`: the wall clock as written;
/// - `2024-03-01T10:00:00Z`, `…+08:00`, `…-05:00`: the wall clock as written, or converted to the
///   report zone when one is set (DEFINITIONS §1);
/// - Unix epochs of 10 digits (seconds) and 13 digits (milliseconds), shifted by the report zone,
///   else by `epoch_offset`.
///
/// `None` for anything else, invalid dates and times included: the caller asks the general reader.
pub fn time(raw: &str, epoch_offset: i64, report_zone: Option<i64>) -> Option<i64> {
    let s = raw.as_bytes();
    let zoned = |wall: i64, offset: i64| match report_zone {
        None => Some(wall),
        Some(zone) => wall.checked_sub(offset)?.checked_add(zone),
    };
    match s.len() {
        19 if matches!(s[10], b' ' | b'T') => date_time(s),
        20 if s[10] == b'T' && s[19] == b'Z' => zoned(date_time(s)?, 0),
        25 if s[10] == b'T' && matches!(s[19], b'+' | b'-') && s[22] == b':' => {
            let (hours, minutes) = (two_digits(s, 20)?, two_digits(s, 23)?);
            if hours >= 24 || minutes >= 60 {
                return None;
            }
            let east = i64::from(hours * 3600 + minutes * 60);
            zoned(date_time(s)?, if s[19] == b'-' { -east } else { east })
        }
        10 | 13 if s.iter().all(u8::is_ascii_digit) => {
            let value = s.iter().fold(0i64, |v, &d| v * 10 + i64::from(d - b'0'));
            let seconds = if s.len() == 13 {
                value.div_euclid(1000)
            } else {
                value
            };
            seconds.checked_add(report_zone.unwrap_or(epoch_offset))
        }
        _ => None,
    }
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
    use crate::schema::value::{
        clean_id, parse_count, parse_event_type, parse_money, parse_time_in_zone,
    };

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

    /// `id` compares only ids of up to 4 bytes with the placeholders: none made of id characters
    /// is longer.
    #[test]
    fn plain_placeholders_are_short() {
        for m in crate::schema::value::MISSING {
            let plain = m
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            assert!(!plain || m.len() <= 4, "{m:?}");
        }
    }

    #[test]
    fn plain_timestamps_take_the_fast_path() {
        let t = crate::time::to_seconds(2024, 3, 1, 10, 5, 9);
        assert_eq!(time("2024-03-01 10:05:09", 28_800, None), Some(t));
        assert_eq!(time("2024-03-01T10:05:09", 0, None), Some(t));
        assert_eq!(time("2024-03-01T10:05:09Z", 0, None), Some(t));
        assert_eq!(
            time("2024-03-01T10:05:09Z", 0, Some(3_600)),
            Some(t + 3_600)
        );
        assert_eq!(time("2024-03-01T10:05:09+08:00", 0, None), Some(t));
        assert_eq!(
            time("2024-03-01T10:05:09+08:00", 0, Some(0)),
            Some(t - 28_800)
        );
        assert_eq!(
            time("2024-03-01T10:05:09-05:30", 0, Some(0)),
            Some(t + 19_800)
        );
        assert_eq!(
            time("1511544070", 28_800, None),
            Some(1_511_544_070 + 28_800)
        );
        assert_eq!(
            time("1511544070123", 0, Some(-3_600)),
            Some(1_511_544_070 - 3_600)
        );
        for odd in [
            "2024-02-30 10:00:00",
            "2024-03-01 24:00:00",
            "0000-00-00 00:00:00",
            " 2024-03-01 10:00:00",
            "2024-03-01 10:00:00 ",
            "2024/03/01 10:00:00",
            "2024-03-01T10:00:00+24:00",
            "2024-03-01",
            "",
        ] {
            assert_eq!(time(odd, 0, None), None, "{odd:?}");
        }
    }

    /// Timestamps near the accepted forms: digits, separators, `T`, `Z`, signs, blanks.
    fn stamp() -> impl Strategy<Value = String> {
        let two = |hi: u32| (0..hi).prop_map(|n| format!("{n:02}"));
        (
            1960u32..2110,
            two(14),
            two(33),
            two(26),
            two(61),
            two(61),
            prop_oneof![Just(" "), Just("T"), Just("/"), Just("  ")],
            prop_oneof![
                Just(String::new()),
                Just("Z".to_string()),
                Just(" ".to_string()),
                (prop_oneof![Just('+'), Just('-')], two(26), two(61))
                    .prop_map(|(sign, h, m)| format!("{sign}{h}:{m}")),
            ],
        )
            .prop_map(|(y, mo, d, h, mi, s, sep, zone)| {
                format!("{y}-{mo}-{d}{sep}{h}:{mi}:{s}{zone}")
            })
    }

    proptest! {
        #[test]
        fn time_agrees_with_parse_time_in_zone(
            raw in stamp(),
            zone in prop_oneof![Just(None), (-50_400i64..50_400).prop_map(Some)],
            epoch_offset in prop_oneof![Just(0i64), Just(28_800)],
        ) {
            if let Some(fast) = time(&raw, epoch_offset, zone) {
                prop_assert_eq!(parse_time_in_zone(&raw, epoch_offset, zone), Ok(Some(fast)));
            }
        }

        #[test]
        fn epochs_agree_with_parse_time_in_zone(
            raw in "[0-9]{9,14}",
            zone in prop_oneof![Just(None), (-50_400i64..50_400).prop_map(Some)],
            epoch_offset in prop_oneof![Just(0i64), Just(28_800)],
        ) {
            if let Some(fast) = time(&raw, epoch_offset, zone) {
                prop_assert_eq!(parse_time_in_zone(&raw, epoch_offset, zone), Ok(Some(fast)));
            }
        }

        /// Valid stamps in the plain forms always take the fast path.
        #[test]
        fn plain_timestamps_are_fast(day in 0i32..40_000, second in 0i64..86_400) {
            let t = i64::from(day) * 86_400 + second;
            let (y, mo, d) = crate::time::civil_from_days(day);
            let text = format!(
                "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
                second / 3600,
                second / 60 % 60,
                second % 60
            );
            prop_assert_eq!(time(&text, 0, None), Some(t));
            prop_assert_eq!(time(&format!("{text}Z"), 0, None), Some(t));
            prop_assert_eq!(time(&text.replace('T', " "), 0, None), Some(t));
        }
    }

    #[test]
    fn event_types_agree_with_parse_event_type() {
        for raw in ["pv", "view", "fav", "cart", "buy", "purchase"] {
            assert_eq!(event_type(raw), parse_event_type(raw), "{raw}");
        }
    }
}
