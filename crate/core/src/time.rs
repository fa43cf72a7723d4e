//! Calendar arithmetic on wall-clock times.
//!
//! Conventions (see `shared/DEFINITIONS.md` §1):
//! - A *time* is an `i64` count of seconds since 1970-01-01 00:00:00 **of the shop's wall clock**
//!   (the report's zone). It is not a UTC instant: `2024-03-01 00:30:00 -0500` is stored as
//!   2024-03-01 00:30:00. Only Unix epochs are shifted into the zone when read.
//! - A *day* is an `i32` count of days since 1970-01-01 (`Day`); weeks are ISO weeks (Monday first),
//!   named by their Monday; months are `Month` = year * 12 + (month - 1).
//!
//! Nothing here reads the clock or the machine's time zone.

use serde::{Deserialize, Serialize};

pub const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01.
pub type Day = i32;
/// Months since year 0: `year * 12 + (month - 1)`.
pub type Month = i32;

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Day {
    let y = if month <= 2 { year - 1 } else { year } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as Day
}

/// `(year, month 1-12, day 1-31)` of a day number.
pub fn civil_from_days(days: Day) -> (i32, u32, u32) {
    let z = days as i64 + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

pub fn is_valid_date(year: i32, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Wall-clock seconds for a date and time of day.
pub fn to_seconds(year: i32, month: u32, day: u32, h: u32, mi: u32, s: u32) -> i64 {
    days_from_civil(year, month, day) as i64 * SECONDS_PER_DAY + (h * 3600 + mi * 60 + s) as i64
}

pub fn day_of(t: i64) -> Day {
    t.div_euclid(SECONDS_PER_DAY) as Day
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(day: Day) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (day as i64 + 3).rem_euclid(7) as u32
}

/// The Monday of the ISO week containing `day`.
pub fn week_start(day: Day) -> Day {
    day - weekday(day) as Day
}

/// ISO week-numbering year and week number (1-53).
pub fn iso_week(day: Day) -> (i32, u32) {
    let thursday = week_start(day) + 3;
    let (y, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(y, 1, 1);
    (y, ((thursday - jan1) / 7 + 1) as u32)
}

pub fn month_of_day(day: Day) -> Month {
    let (y, m, _) = civil_from_days(day);
    y * 12 + m as i32 - 1
}

pub fn month_first_day(month: Month) -> Day {
    days_from_civil(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
}

/// `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM`.
pub fn format_month(month: Month) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

/// `YYYY-Www` (ISO week).
pub fn format_week(week_monday: Day) -> String {
    let (y, w) = iso_week(week_monday);
    format!("{y:04}-W{w:02}")
}

/// `YYYY-MM-DD HH:MM:SS`.
pub fn format_time(t: i64) -> String {
    let secs = t.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{} {:02}:{:02}:{:02}",
        format_day(day_of(t)),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Calendar granularity of a time series or cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    Day,
    Week,
    #[default]
    Month,
}

impl Grain {
    /// A period index for `day`: the day itself, the week's Monday, or the month number.
    pub fn period(self, day: Day) -> i32 {
        match self {
            Grain::Day => day,
            Grain::Week => week_start(day),
            Grain::Month => month_of_day(day),
        }
    }
    /// The period after `p`.
    pub fn next(self, p: i32) -> i32 {
        match self {
            Grain::Day | Grain::Month => p + 1,
            Grain::Week => p + 7,
        }
    }
    /// Whole periods from `a` to `b`.
    pub fn offset(self, a: i32, b: i32) -> i32 {
        match self {
            Grain::Day | Grain::Month => b - a,
            Grain::Week => (b - a).div_euclid(7),
        }
    }
    pub fn label(self, p: i32) -> String {
        match self {
            Grain::Day => format_day(p),
            Grain::Week => format_week(p),
            Grain::Month => format_month(p),
        }
    }
    /// First day of period `p`.
    pub fn first_day(self, p: i32) -> Day {
        match self {
            Grain::Day | Grain::Week => p,
            Grain::Month => month_first_day(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 3, 1), 19_783);
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
        for d in -800_000..800_000 {
            let (y, m, dd) = civil_from_days(d);
            assert!(is_valid_date(y, m, dd));
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn iso_weeks_follow_monday_start() {
        // 2024-03-01 is a Friday; its week starts Monday 2024-02-26 and is 2024-W09.
        let d = days_from_civil(2024, 3, 1);
        assert_eq!(weekday(d), 4);
        assert_eq!(format_day(week_start(d)), "2024-02-26");
        assert_eq!(format_week(week_start(d)), "2024-W09");
        // 2021-01-03 (Sunday) belongs to 2020-W53.
        assert_eq!(iso_week(days_from_civil(2021, 1, 3)), (2020, 53));
        assert_eq!(iso_week(days_from_civil(2021, 1, 4)), (2021, 1));
    }

    #[test]
    fn month_and_grain_offsets() {
        let jan = month_of_day(days_from_civil(2024, 1, 31));
        let mar = month_of_day(days_from_civil(2024, 3, 1));
        assert_eq!(Grain::Month.offset(jan, mar), 2);
        assert_eq!(format_month(mar), "2024-03");
        let w1 = Grain::Week.period(days_from_civil(2024, 1, 7));
        let w2 = Grain::Week.period(days_from_civil(2024, 1, 8));
        assert_eq!(Grain::Week.offset(w1, w2), 1);
        assert_eq!(
            format_time(to_seconds(2024, 3, 1, 12, 34, 56)),
            "2024-03-01 12:34:56"
        );
    }
}
