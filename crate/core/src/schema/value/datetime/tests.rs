use super::*;
use crate::time::format_time;
use proptest::prelude::*;

/// 2024-03-01 00:00:00: days_from_civil(2024, 3, 1) = 19783 days × 86400 s.
const MAR_1_2024: i64 = 19_783 * 86_400;
const HOUR: i64 = 3_600;
const MINUTE: i64 = 60;

#[test]
fn known_day_constants() {
    assert_eq!(MAR_1_2024, 1_709_251_200);
    assert_eq!(i64::from(days_from_civil(2024, 3, 1)) * 86_400, MAR_1_2024);
}

#[test]
fn wall_clock_formats() {
    let noon = MAR_1_2024 + 12 * HOUR;
    // 12:34:56 = 45296 s; 13:05 = 47100 s.
    let t_123456 = MAR_1_2024 + 12 * HOUR + 34 * MINUTE + 56;
    let t_1305 = MAR_1_2024 + 13 * HOUR + 5 * MINUTE;
    let cases: &[(&str, i64)] = &[
        ("2024-03-01 12:00:00", noon),
        ("2024-03-01 12:00", noon),
        ("2024-03-01", MAR_1_2024),
        ("2024-3-1", MAR_1_2024),
        ("2024/3/1 12:00", noon),
        ("2024/03/01 12:00:00", noon),
        ("2024/3/1 9:05", MAR_1_2024 + 9 * HOUR + 5 * MINUTE),
        ("2024.03.01", MAR_1_2024),
        ("2024年3月1日 12:00:00", noon),
        ("2024年03月01日", MAR_1_2024),
        ("2024年3月1日12:00", noon),
        ("2024年3月1号", MAR_1_2024),
        ("2024年3月1", MAR_1_2024),
        ("20240301", MAR_1_2024),
        ("20240301123456", t_123456),
        ("2024-03-01T12:00:00", noon),
        ("2024-03-01T12:00:00.123", noon),
        ("2024-03-01 12:00:00.999999", noon), // fraction dropped, not rounded
        ("2024-03-01T12:00:00Z", noon),
        ("2024-03-01T12:00:00.123456Z", noon),
        // Offsets are ignored: the wall clock as written (DEFINITIONS §1).
        ("2024-03-01T12:00:00+08:00", noon),
        ("2024-03-01 12:00:00 +0800", noon),
        ("2024-03-01 00:30:00 -0500", MAR_1_2024 + 30 * MINUTE),
        ("2024-03-01 12:00:00 UTC", noon),
        ("2024-03-01 12:00:00 GMT+8", noon),
        ("2024-03-01 12:00:00 UTC+08:00", noon),
        ("2024-03-01 12:00:00 CST", noon),
        // US month first; day first when the first number cannot be a month.
        ("3/1/2024 12:34:56", t_123456),
        ("3/1/2024", MAR_1_2024),
        ("03/01/2024", MAR_1_2024),
        ("3-1-2024", MAR_1_2024),
        (
            "13/1/2024",
            i64::from(days_from_civil(2024, 1, 13)) * 86_400,
        ),
        ("01.03.2024", MAR_1_2024), // European dots: day first
        ("3/1/2024 1:05:00 PM", t_1305),
        ("3/1/2024 1:05 pm", t_1305),
        ("3/1/2024 1:05 p.m.", t_1305),
        ("3/1/2024 12:05:00 AM", MAR_1_2024 + 5 * MINUTE),
        ("3/1/2024 12:05 PM", MAR_1_2024 + 12 * HOUR + 5 * MINUTE),
        ("3/1/24 13:05", t_1305), // Excel en-US display: two-digit year
        ("2024/3/1 下午1:05:00", t_1305),
        ("2024/3/1 上午 9:00", MAR_1_2024 + 9 * HOUR),
        ("2024/3/1 1:05 下午", t_1305),
        ("Mar 1, 2024", MAR_1_2024),
        ("March 1, 2024 1:05 PM", t_1305),
        ("Mar 1, 2024 12:00:00 AM PST", MAR_1_2024),
        ("mar 01 2024", MAR_1_2024),
        ("1 Mar 2024", MAR_1_2024),
        ("01-Mar-2024", MAR_1_2024),
        ("01-MAR-24", MAR_1_2024),
        ("Fri, 1 Mar 2024 12:00:00 +0000", noon),
        ("Friday March 1 2024", MAR_1_2024),
        (
            "Sept 1, 2024",
            i64::from(days_from_civil(2024, 9, 1)) * 86_400,
        ),
        // Wrappers and padding from spreadsheets.
        ("=\"2024-03-01 12:00:00\"", noon),
        ("\t2024-03-01 12:00:00 ", noon),
        ("'2024-03-01", MAR_1_2024),
        // Leap day and other edges.
        ("2024-02-29", MAR_1_2024 - 86_400),
        (
            "2000-02-29 23:59:59",
            i64::from(days_from_civil(2000, 2, 29)) * 86_400 + 86_399,
        ),
        ("1969-12-31 23:59:59", -1),
        // REES46: 2019-10-01 = 18170 days (1569888000 s).
        ("2019-10-01 00:00:00 UTC", 1_569_888_000),
    ];
    for &(raw, want) in cases {
        assert_eq!(
            parse_time(raw, 28_800),
            Ok(Some(want)),
            "parse_time({raw:?})"
        );
    }
}

#[test]
fn epochs_shift_by_the_given_offset() {
    // Tianchi: 1511544070 = 17494 days + 62470 s = 2017-11-24 17:21:10 UTC
    // = 2017-11-25 01:21:10 in UTC+08:00.
    let tianchi = i64::from(days_from_civil(2017, 11, 25)) * 86_400 + HOUR + 21 * MINUTE + 10;
    assert_eq!(parse_time("1511544070", 28_800), Ok(Some(tianchi)));
    assert_eq!(parse_time("1511544070", 0), Ok(Some(tianchi - 8 * HOUR)));
    let cases: &[(&str, i64)] = &[
        ("1709251200", MAR_1_2024),
        ("1709251200.75", MAR_1_2024),
        ("1709251200123", MAR_1_2024), // milliseconds, floored
        ("1709251200999", MAR_1_2024),
        ("170925120", 170_925_120), // 9 digits: 1975
        ("170925120000", 170_925_120),
    ];
    for &(raw, utc) in cases {
        assert_eq!(parse_time(raw, 0), Ok(Some(utc)), "parse_time({raw:?}, 0)");
        assert_eq!(
            parse_time(raw, 28_800),
            Ok(Some(utc + 28_800)),
            "parse_time({raw:?}, 8h)"
        );
    }
}

#[test]
fn excel_serials() {
    // Serial 45352 = 1899-12-30 + 45352 days = 2024-03-01; epoch offset never applies.
    let cases: &[(&str, i64)] = &[
        ("45352", MAR_1_2024),
        ("45352.0", MAR_1_2024),
        ("45352.5", MAR_1_2024 + 12 * HOUR),
        ("45352.75", MAR_1_2024 + 18 * HOUR),
        // 12:34:56 = 45296 s = 0.524259259259… of a day, as Excel stores it.
        ("45352.524259259259", MAR_1_2024 + 45_296),
        // 0.999999 day = 86399.91 s, rounds to the next midnight.
        ("45352.999999", MAR_1_2024 + 86_400),
        ("20000", i64::from(days_from_civil(1954, 10, 3)) * 86_400),
        ("79999", i64::from(days_from_civil(2119, 1, 10)) * 86_400),
    ];
    for &(raw, want) in cases {
        assert_eq!(
            parse_time(raw, 28_800),
            Ok(Some(want)),
            "parse_time({raw:?})"
        );
    }
}

#[test]
fn missing_and_invalid_times() {
    for raw in [
        "",
        " ",
        "-",
        "--",
        "null",
        "0000-00-00 00:00:00",
        "0000-00-00",
        "=\"\"",
    ] {
        assert_eq!(parse_time(raw, 0), Ok(None), "parse_time({raw:?})");
        assert_eq!(parse_day(raw), Ok(None), "parse_day({raw:?})");
    }
    let invalid = [
        "2024-13-01",
        "2024-02-30",
        "2023-02-29",
        "2024-00-10",
        "2024-03-00",
        "2024-03-01 24:00:00",
        "2024-03-01 12:60",
        "2024-03-01 12:00:60",
        "2024-03-01 12:5",
        "2024-03-01 12",
        "2024-03-01T",
        "2024-03-01 noon",
        "2024-03-01 12:00:00 +25:00",
        "2024-03-01 12:00:00 +08:0",
        "2024-03-01 12:00:00 utcx",
        "2024-03",
        "2024-03/01",
        "2024.3",
        "12:00:00",
        "abc",
        "3/1/2024 13:00 PM",
        "13/13/2024",
        "Mar 32, 2024",
        "Foo 1, 2024",
        "1 Foo 2024",
        "1234567",
        "19999",
        "80000",
        "12345678901",
        "20241301",
        "20240301250000",
        "1.2.3",
        "3/1/202",
        "１２３",
    ];
    for raw in invalid {
        assert_eq!(
            parse_time(raw, 0),
            Err(ValueError::InvalidTime),
            "parse_time({raw:?})"
        );
    }
}

#[test]
fn days_drop_the_time() {
    let cases: &[(&str, Day)] = &[
        ("2024-03-01", 19_783),
        ("2024-03-01 23:59:59", 19_783),
        ("2024-03-01 23:59:59 -0500", 19_783),
        ("20240301", 19_783),
        ("2024年3月1日", 19_783),
        ("45352.9", 19_783),
        ("1969-12-31", -1),
    ];
    for &(raw, want) in cases {
        assert_eq!(parse_day(raw), Ok(Some(want)), "parse_day({raw:?})");
    }
    // An epoch has no date without a zone.
    assert_eq!(parse_day("1709251200"), Err(ValueError::InvalidTime));
    assert_eq!(parse_day("2024-02-30"), Err(ValueError::InvalidTime));
}

/// Naive reference: seconds since 1970-01-01 by counting days year by year and month by month.
fn naive_seconds(year: i32, month: u32, day: u32, h: u32, mi: u32, s: u32) -> i64 {
    let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days: i64 = 0;
    for y in 1970..year {
        days += if leap(y) { 366 } else { 365 };
    }
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    for m in 1..month {
        days += lengths[m as usize - 1];
    }
    days += i64::from(day) - 1;
    days * 86_400 + i64::from(h * 3_600 + mi * 60 + s)
}

/// 1990-01-01 00:00:00 and 2100-01-01 00:00:00.
const T_1990: i64 = 631_152_000;
const T_2100: i64 = 4_102_444_800;

proptest! {
    #[test]
    fn format_time_round_trips(t in T_1990..T_2100) {
        prop_assert_eq!(parse_time(&format_time(t), 0), Ok(Some(t)));
        prop_assert_eq!(parse_time(&format_time(t), 28_800), Ok(Some(t)));
    }

    #[test]
    fn every_layout_reads_the_same_wall_clock(
        year in 1990i32..2100,
        month in 1u32..=12,
        day in 1u32..=28,
        hour in 0u32..24,
        minute in 0u32..60,
        second in 0u32..60,
        layout in 0usize..9,
    ) {
        let (y, m, d, h, mi, s) = (year, month, day, hour, minute, second);
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        let ampm = if h < 12 { "AM" } else { "PM" };
        let month_name = &MONTH_NAMES[m as usize - 1][..3];
        let text = match layout {
            0 => format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.250+08:00"),
            1 => format!("{y}/{m}/{d} {h}:{mi:02}:{s:02}"),
            2 => format!("{y}年{m}月{d}日 {h:02}:{mi:02}:{s:02}"),
            3 => format!("{m}/{d}/{y} {h12}:{mi:02}:{s:02} {ampm}"),
            4 => format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02} -0500"),
            5 => format!("{y}{m:02}{d:02}{h:02}{mi:02}{s:02}"),
            6 => format!("{month_name} {d}, {y} {h12}:{mi:02}:{s:02} {ampm} PST"),
            7 => format!("{d:02}.{m:02}.{y} {h:02}:{mi:02}:{s:02}"),
            _ => format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC"),
        };
        prop_assert_eq!(parse_time(&text, 28_800), Ok(Some(naive_seconds(y, m, d, h, mi, s))), "{}", text);
        prop_assert_eq!(parse_day(&text), Ok(Some((naive_seconds(y, m, d, 0, 0, 0) / 86_400) as Day)));
    }

    #[test]
    fn fast_path_agrees_with_the_scanner(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?") {
        // Random digits: mostly invalid dates and times, which the fast path must leave to the scanner.
        let fast = read_fixed_layout(text.as_bytes());
        prop_assert!(fast.is_none() || fast.map(Stamp::WallClock) == read_scanned(&text), "{}", text);
        prop_assert_eq!(read_calendar(&text), read_scanned(&text));
    }

    #[test]
    fn epochs_and_serials_match_reference(t in T_1990..T_2100) {
        prop_assert_eq!(parse_time(&t.to_string(), 28_800), Ok(Some(t + 28_800)));
        prop_assert_eq!(parse_time(&(t * 1000 + 999).to_string(), 0), Ok(Some(t)));
        // Whole-day Excel serial: days since 1899-12-30 (25569 days before 1970-01-01).
        let day = t.div_euclid(86_400);
        prop_assert_eq!(parse_time(&(day + 25_569).to_string(), 0), Ok(Some(day * 86_400)));
    }

    #[test]
    fn no_input_panics(raw in any::<String>(), near in "[0-9年月日号:/. \\-+TZAPMapmUTCMar,上午下午]{0,30}") {
        for s in [raw.as_str(), near.as_str()] {
            let _ = parse_time(s, 28_800);
            let _ = parse_time(s, i64::MAX);
            let _ = parse_day(s);
        }
    }
}

#[test]
fn time_first_and_foreign_month_names() {
    let t = |s: &str| {
        parse_time(s, 0)
            .ok()
            .flatten()
            .map(crate::time::format_time)
    };
    assert_eq!(
        t("14:03:11 2024-03-05").as_deref(),
        Some("2024-03-05 14:03:11")
    );
    assert_eq!(
        t("5 de marzo de 2024 14:03 hs.").as_deref(),
        Some("2024-03-05 14:03:00")
    );
    assert_eq!(t("5. März 2024").as_deref(), Some("2024-03-05 00:00:00"));
    assert_eq!(
        t("12 décembre 2023").as_deref(),
        Some("2023-12-12 00:00:00")
    );
    assert_eq!(t("de marzo"), None);
}
