//! Dates and times as exports write them, read as wall-clock seconds (DEFINITIONS §1).
//!
//! A small cursor scanner over the cell text; no allocation, no regular expressions. By default a
//! written UTC offset or zone name is checked for shape and then ignored: the platform wrote the
//! time in the shop's zone and the shop's own reports count days by that wall clock. Only Unix
//! epochs, which have no wall clock, are shifted by the caller's offset. When the user sets a report
//! zone ([`parse_time_in_zone`]), offset-bearing times and epochs are converted to it instead.

use super::{clean, is_blank, is_missing, ValueError};
use crate::time::{day_of, days_from_civil, is_valid_date, to_seconds, Day, SECONDS_PER_DAY};

/// What a timestamp cell denotes.
#[derive(Debug, PartialEq, Eq)]
enum Stamp {
    /// Wall-clock seconds as written.
    WallClock(i64),
    /// Seconds since 1970-01-01 00:00:00 UTC; needs a zone to become a wall clock.
    Epoch(i64),
    /// Wall-clock seconds as written, with the UTC offset written beside them (seconds east).
    Zoned { wall: i64, offset: i64 },
}

/// Reads a timestamp as wall-clock seconds (see [`crate::time`]).
///
/// Accepted (a missing cell, or MySQL's zero date `0000-00-00 …`, is `Ok(None)`):
/// - year first: `2024-03-01`, `2024/3/1`, `2024.03.01`, `2024年3月1日` (`日`/`号` optional), then
///   optionally a time after a space or `T` (or directly after `日`);
/// - year last: `3/1/2024`, `3-1-2024` read month first as US exports write them, unless the first
///   number is over 12 (`13/1/2024` is 13 January); `01.03.2024` is day first (European dots);
///   two-digit years `3/1/24` mean 1969–2068 (the POSIX `%y` pivot);
/// - month names: `Mar 1, 2024`, `March 1 2024`, `1 Mar 2024`, `01-Mar-24`, optionally after a
///   weekday (`Fri, 1 Mar 2024`);
/// - times `H:MM` or `H:MM:SS`, fractional seconds (dropped, not rounded: the second as written),
///   `AM`/`PM`/`a.m.`/`p.m.` after or `上午`/`下午` before or after;
/// - then an offset or zone, ignored (DEFINITIONS §1): `Z`, `+08:00`, `+0800`, `+8`, ` -0500`,
///   ` UTC`, `GMT+8`, `PST`;
/// - compact `20240301` and `20240301123456`;
/// - Unix epochs: 9–10 digits are seconds, 12–13 digits milliseconds and 15–16 microseconds
///   (floored to the second);
///   `epoch_offset_seconds` is added (28800 for a Chinese dataset, 0 otherwise);
/// - Excel serial dates, 20000 ≤ serial < 80000 (1954–2119), 1900 date system (serial 45352 is
///   2024-03-01), with an optional fraction for the time of day, rounded to the nearest second.
///
/// Anything else, and impossible dates or times (`2024-02-30`, `25:00`), is `InvalidTime`.
pub fn parse_time(raw: &str, epoch_offset_seconds: i64) -> Result<Option<i64>, ValueError> {
    parse_time_in_zone(raw, epoch_offset_seconds, None)
}

/// [`parse_time`] with an optional report zone (seconds east of UTC) that the user set: then a time
/// written with an offset (`+08:00`, `-0500`, `Z`, `UTC`) and a Unix epoch are converted to that
/// zone, and `epoch_offset_seconds` is not used (DEFINITIONS §1). Times without an offset, and
/// zone abbreviations such as `PST` whose offset is not written, stay as written.
pub fn parse_time_in_zone(
    raw: &str,
    epoch_offset_seconds: i64,
    report_zone: Option<i64>,
) -> Result<Option<i64>, ValueError> {
    let t = match (read_stamp(raw)?, report_zone) {
        (None, _) => return Ok(None),
        (Some(Stamp::WallClock(t)), _) => Some(t),
        (Some(Stamp::Zoned { wall, .. }), None) => Some(wall),
        (Some(Stamp::Zoned { wall, offset }), Some(zone)) => {
            wall.checked_sub(offset).and_then(|t| t.checked_add(zone))
        }
        (Some(Stamp::Epoch(t)), zone) => t.checked_add(zone.unwrap_or(epoch_offset_seconds)),
    };
    t.map(Some).ok_or(ValueError::InvalidTime)
}

/// Reads the date of a cell in any [`parse_time`] format, dropping the time of day.
///
/// A Unix epoch has no date without a zone, so it is `InvalidTime` here: read epochs with
/// [`parse_time`] and take [`day_of`].
pub fn parse_day(raw: &str) -> Result<Option<Day>, ValueError> {
    match read_stamp(raw)? {
        None => Ok(None),
        Some(Stamp::WallClock(t) | Stamp::Zoned { wall: t, .. }) => Ok(Some(day_of(t))),
        Some(Stamp::Epoch(_)) => Err(ValueError::InvalidTime),
    }
}

fn read_stamp(raw: &str) -> Result<Option<Stamp>, ValueError> {
    let s = clean(raw);
    if is_missing(s) || s.starts_with("0000-00-00") || s.starts_with("0000/00/00") {
        return Ok(None);
    }
    let numeric = s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1;
    let stamp = if numeric {
        read_numeric(s)
    } else {
        read_calendar(s)
    };
    stamp.map(Some).ok_or(ValueError::InvalidTime)
}

/// Digits with at most one `.`: compact dates, epochs, Excel serials, told apart by length.
fn read_numeric(s: &str) -> Option<Stamp> {
    let (int_part, frac_part) = s.split_once('.').unwrap_or((s, ""));
    let value = |digits: &str| digits.parse::<i64>().ok();
    match int_part.len() {
        8 if frac_part.is_empty() => compact(s, "000000").map(Stamp::WallClock),
        14 if frac_part.is_empty() => compact(&s[..8], &s[8..]).map(Stamp::WallClock),
        9 | 10 => value(int_part).map(Stamp::Epoch),
        12 | 13 => value(int_part).map(|ms| Stamp::Epoch(ms.div_euclid(1000))),
        // Microseconds (GA4's event_timestamp).
        15 | 16 => value(int_part).map(|us| Stamp::Epoch(us.div_euclid(1_000_000))),
        5 => excel_serial(value(int_part)?, frac_part).map(Stamp::WallClock),
        _ => None,
    }
}

/// `YYYYMMDD` and `HHMMSS`, all ASCII digits.
fn compact(date: &str, time: &str) -> Option<i64> {
    let field = |s: &str, range: std::ops::Range<usize>| s.get(range)?.parse::<u32>().ok();
    let (year, month, day) = (field(date, 0..4)?, field(date, 4..6)?, field(date, 6..8)?);
    let (hour, minute, second) = (field(time, 0..2)?, field(time, 2..4)?, field(time, 4..6)?);
    wall_clock(year as i32, month, day, hour, minute, second)
}

/// Seconds for a validated date and time of day.
fn wall_clock(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<i64> {
    (is_valid_date(year, month, day) && hour < 24 && minute < 60 && second < 60)
        .then(|| to_seconds(year, month, day, hour, minute, second))
}

/// Excel's 1900 date system counts days from 1899-12-30 for every serial after 60 (its fictitious
/// 1900-02-29 sits below the accepted range). The fraction is the time of day.
fn excel_serial(serial: i64, fraction: &str) -> Option<i64> {
    if !(20_000..80_000).contains(&serial) {
        return None;
    }
    let day = i64::from(days_from_civil(1899, 12, 30)) + serial;
    // Round fraction × 86400 to the nearest second, exactly: floor((2·F·86400 + 10^n) / (2·10^n))
    // with F the first n ≤ 15 fraction digits (Excel keeps 15 significant digits).
    let digits = &fraction[..fraction.len().min(15)];
    let seconds = if digits.is_empty() {
        0
    } else {
        let f: i128 = digits.parse().ok()?;
        let pow = 10i128.pow(digits.len() as u32);
        ((2 * f * i128::from(SECONDS_PER_DAY) + pow) / (2 * pow)) as i64
    };
    Some(day * SECONDS_PER_DAY + seconds)
}

/// Dates and times written with separators or names.
fn read_calendar(s: &str) -> Option<Stamp> {
    read_fixed_layout(s.as_bytes())
        .map(Stamp::WallClock)
        .or_else(|| read_scanned(s))
        .or_else(|| read_time_first(s))
        .or_else(|| read_localized(s))
}

/// The time of day before the date (Snapdeal's `14:03:11 05-03-2024`).
fn read_time_first(s: &str) -> Option<Stamp> {
    let (time, date) = s.split_once(' ')?;
    if !time.contains(':') || !time.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    match read_scanned(&format!("{} {time}", date.trim()))? {
        Stamp::WallClock(t) => Some(Stamp::WallClock(t)),
        _ => None,
    }
}

/// Month names of Spanish, Portuguese, French, German and Italian exports, in the order of
/// [`MONTH_NAMES`]: `5 de marzo de 2024 14:03 hs.` (Mercado Libre), `5. März 2024`, `5 mars 2024`.
const FOREIGN_MONTHS: [&[&str]; 12] = [
    &["enero", "janeiro", "janvier", "januar", "gennaio"],
    &[
        "febrero",
        "fevereiro",
        "février",
        "fevrier",
        "februar",
        "febbraio",
    ],
    &["marzo", "março", "marco", "mars", "märz", "marz"],
    &["abril", "avril", "aprile"],
    &["mayo", "maio", "mai", "maggio"],
    &["junio", "junho", "juin", "juni", "giugno"],
    &["julio", "julho", "juillet", "juli", "luglio"],
    &["agosto", "août", "aout"],
    &["septiembre", "setembro", "septembre", "settembre"],
    &["octubre", "outubro", "octobre", "oktober", "ottobre"],
    &["noviembre", "novembro", "novembre"],
    &[
        "diciembre",
        "dezembro",
        "décembre",
        "decembre",
        "dezember",
        "dicembre",
    ],
];

/// A date with a month name in another language, and its filler words (`de`, `hs.`).
fn read_localized(s: &str) -> Option<Stamp> {
    let lower = s.to_lowercase();
    let mut found = false;
    let words: Vec<String> = lower
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "de" | "del" | "do" | "da" | "hs." | "hs" | "h" | "à" | "um" | "le"
            )
        })
        .map(|w| {
            let bare = w.trim_end_matches(['.', ',']);
            match FOREIGN_MONTHS
                .iter()
                .position(|names| names.contains(&bare))
            {
                Some(m) => {
                    found = true;
                    MONTH_NAMES[m].to_string()
                }
                None => w.trim_end_matches('.').to_string(),
            }
        })
        .collect();
    if !found {
        return None;
    }
    read_scanned(&words.join(" "))
}

/// Every calendar layout, token by token.
fn read_scanned(s: &str) -> Option<Stamp> {
    let mut cursor = Cursor {
        rest: s,
        offset: None,
    };
    cursor.skip_weekday();
    let (year, month, day) = cursor.date()?;
    let (hour, minute, second) = cursor.time_of_day()?;
    let wall = wall_clock(year, month, day, hour, minute, second)?;
    Some(match cursor.offset {
        Some(offset) => Stamp::Zoned { wall, offset },
        None => Stamp::WallClock(wall),
    })
}

/// Fast path for the commonest layouts, `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DD`, read by position;
/// `None` sends anything else (including an invalid date) to the general scanner.
fn read_fixed_layout(s: &[u8]) -> Option<i64> {
    let with_time = s.len() == 19 && s[10] == b' ' && s[13] == b':' && s[16] == b':';
    if !(with_time || s.len() == 10) || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let digit = |i: usize| {
        s.get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| u32::from(b - b'0'))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = two(0)? * 100 + two(2)?;
    let (hour, minute, second) = if with_time {
        (two(11)?, two(14)?, two(17)?)
    } else {
        (0, 0, 0)
    };
    wall_clock(year as i32, two(5)?, two(8)?, hour, minute, second)
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
/// Markers of the afternoon (`true`) or morning; longer spellings first.
const MERIDIEMS: &[(&str, bool)] = &[
    ("a.m.", false),
    ("p.m.", true),
    ("am", false),
    ("pm", true),
    ("上午", false),
    ("下午", true),
];

/// A full English name or its three-letter abbreviation (`Sept` too), any case.
fn name_index(word: &str, names: &[&str]) -> Option<usize> {
    names.iter().position(|full| {
        word.len() >= 3
            && (word.eq_ignore_ascii_case(full) || word.eq_ignore_ascii_case(&full[..3]))
    })
}

fn month_from_name(word: &str) -> Option<u32> {
    if word.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    name_index(word, &MONTH_NAMES).map(|i| i as u32 + 1)
}

/// Two-digit years: 00–68 → 2000s, 69–99 → 1900s (POSIX `%y`).
fn full_year(year: u32, digits: usize) -> Option<i32> {
    match digits {
        4 => Some(year as i32),
        2 if year < 69 => Some(2000 + year as i32),
        2 => Some(1900 + year as i32),
        _ => None,
    }
}

/// Reads a cell left to right; every step either consumes its token or leaves the text unchanged.
struct Cursor<'a> {
    rest: &'a str,
    /// The UTC offset written after the time (seconds east), once read.
    offset: Option<i64>,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.rest.as_bytes().first().copied()
    }

    fn eat(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(after) => {
                self.rest = after;
                true
            }
            None => false,
        }
    }

    fn eat_ignore_case(&mut self, token: &str) -> bool {
        match self.rest.get(..token.len()) {
            Some(head) if head.eq_ignore_ascii_case(token) => {
                self.rest = &self.rest[token.len()..];
                true
            }
            _ => false,
        }
    }

    /// Skips whitespace; whether there was any.
    fn skip_blanks(&mut self) -> bool {
        let before = self.rest.len();
        self.rest = self.rest.trim_start_matches(is_blank);
        self.rest.len() != before
    }

    /// A run of ASCII digits: its value and length (at most 9 digits, so it fits a `u32`).
    fn number(&mut self) -> Option<(u32, usize)> {
        let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > 9 {
            return None;
        }
        let value = self.rest[..len].parse().ok()?;
        self.rest = &self.rest[len..];
        Some((value, len))
    }

    /// A number of `min..=max` digits.
    fn number_of(&mut self, min: usize, max: usize) -> Option<u32> {
        let (value, len) = self.number()?;
        (min..=max).contains(&len).then_some(value)
    }

    /// A run of ASCII letters (possibly empty).
    fn word(&mut self) -> &'a str {
        let len = self
            .rest
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let (word, rest) = self.rest.split_at(len);
        self.rest = rest;
        word
    }

    /// An optional leading weekday: `Fri, `, `Friday `.
    fn skip_weekday(&mut self) {
        let saved = self.rest;
        if name_index(self.word(), &WEEKDAY_NAMES).is_some() {
            self.eat(",");
            self.skip_blanks();
        } else {
            self.rest = saved;
        }
    }

    /// `(year, month, day)`, not yet validated.
    fn date(&mut self) -> Option<(i32, u32, u32)> {
        if self.peek()?.is_ascii_alphabetic() {
            return self.month_name_first();
        }
        let (first, len) = self.number()?;
        match len {
            4 => self.year_first(first as i32),
            1 | 2 => self.day_name_year(first).or_else(|| self.year_last(first)),
            _ => None,
        }
    }

    /// `2024-03-01`, `2024/3/1`, `2024.03.01`, `2024年3月1日`.
    fn year_first(&mut self, year: i32) -> Option<(i32, u32, u32)> {
        self.skip_blanks();
        if self.eat("年") {
            self.skip_blanks();
            let month = self.number_of(1, 2)?;
            self.skip_blanks();
            self.eat("月").then_some(())?;
            self.skip_blanks();
            let day = self.number_of(1, 2)?;
            self.skip_blanks();
            let _ = self.eat("日") || self.eat("号");
            return Some((year, month, day));
        }
        let sep = self.separator()?;
        let month = self.number_of(1, 2)?;
        self.eat(sep).then_some(())?;
        let day = self.number_of(1, 2)?;
        Some((year, month, day))
    }

    /// `3/1/2024` (US month first unless the first number exceeds 12), `3-1-2024`, `01.03.2024`
    /// (day first), two-digit years.
    fn year_last(&mut self, first: u32) -> Option<(i32, u32, u32)> {
        let sep = self.separator()?;
        let second = self.number_of(1, 2)?;
        self.eat(sep).then_some(())?;
        let (year, digits) = self.number()?;
        let year = full_year(year, digits)?;
        let day_first = sep == "." || first > 12;
        Some(if day_first {
            (year, second, first)
        } else {
            (year, first, second)
        })
    }

    /// `1 Mar 2024`, `01-Mar-2024`, `1-Mar-24`; leaves the cursor unchanged when no month name follows.
    fn day_name_year(&mut self, day: u32) -> Option<(i32, u32, u32)> {
        let saved = self.rest;
        let parsed = (|| {
            let _ = self.eat("-") || self.skip_blanks();
            let month = month_from_name(self.word())?;
            let _ = self.eat("-") || self.eat(".") || self.skip_blanks();
            let (year, digits) = self.number()?;
            Some((full_year(year, digits)?, month, day))
        })();
        if parsed.is_none() {
            self.rest = saved;
        }
        parsed
    }

    /// `Mar 1, 2024`, `March 01 2024`, `Mar-01-2024`.
    fn month_name_first(&mut self) -> Option<(i32, u32, u32)> {
        let month = month_from_name(self.word())?;
        let _ = self.eat(".");
        let _ = self.eat("-") || self.skip_blanks();
        let day = self.number_of(1, 2)?;
        let _ = self.eat(",") || self.eat("-");
        self.skip_blanks();
        let (year, digits) = self.number()?;
        Some((full_year(year, digits)?, month, day))
    }

    /// One of the date separators `-`, `/`, `.`.
    fn separator(&mut self) -> Option<&'static str> {
        ["-", "/", "."].into_iter().find(|&sep| self.eat(sep))
    }

    fn meridiem(&mut self) -> Option<bool> {
        let pm = MERIDIEMS
            .iter()
            .find_map(|&(token, pm)| self.eat_ignore_case(token).then_some(pm));
        self.skip_blanks();
        pm
    }

    /// The rest after the date: nothing, or `[T| ][上午|下午]H:MM[:SS[.fff]][ AM|PM][ zone]`.
    /// Returns `(hour, minute, second)` on the 24-hour clock, not yet range-checked.
    fn time_of_day(&mut self) -> Option<(u32, u32, u32)> {
        if self.rest.is_empty() {
            return Some((0, 0, 0));
        }
        // A missing separator is harmless: glued digits already failed the greedy date numbers.
        if !self.eat("T") {
            self.skip_blanks();
        }
        let mut pm = self.meridiem();
        let hour = self.number_of(1, 2)?;
        self.eat(":").then_some(())?;
        let minute = self.number_of(2, 2)?;
        let second = if self.eat(":") {
            self.number_of(2, 2)?
        } else {
            0
        };
        if self.eat(".") {
            // Fractional seconds: any number of digits, dropped.
            self.rest = self.rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        self.skip_blanks();
        if pm.is_none() {
            pm = self.meridiem();
        }
        self.zone()?;
        self.skip_blanks();
        if !self.rest.is_empty() {
            return None;
        }
        let hour = match pm {
            None => hour,
            Some(_) if hour > 12 => return None,
            Some(afternoon) => hour % 12 + if afternoon { 12 } else { 0 },
        };
        Some((hour, minute, second))
    }

    /// An optional zone, checked for shape and its offset kept: `Z`, `UTC`/`GMT` with an optional
    /// offset, an offset `±H`, `±HH`, `±HHMM`, `±HH:MM`, or an abbreviation of 2–5 capitals (`PST`,
    /// `CEST`, whose offset is not written, so none is kept).
    fn zone(&mut self) -> Option<()> {
        if self.eat("Z") {
            self.offset = Some(0);
            return Some(());
        }
        if self.eat_ignore_case("UTC") || self.eat_ignore_case("GMT") {
            self.offset = Some(0);
            self.skip_blanks();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                return self.offset();
            }
            return Some(());
        }
        if matches!(self.peek(), Some(b'+' | b'-')) {
            return self.offset();
        }
        let saved = self.rest;
        let word = self.word();
        if word.is_empty() {
            return Some(());
        }
        if (2..=5).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase()) {
            return Some(());
        }
        self.rest = saved;
        None
    }

    fn offset(&mut self) -> Option<()> {
        let west = self.eat("-");
        let _ = west || self.eat("+");
        let (value, len) = self.number()?;
        let (hours, minutes) = match len {
            1 | 2 if self.eat(":") => (value, self.number_of(2, 2)?),
            1 | 2 => (value, 0),
            4 => (value / 100, value % 100),
            _ => return None,
        };
        if hours >= 24 || minutes >= 60 {
            return None;
        }
        let seconds = i64::from(hours * 3600 + minutes * 60);
        self.offset = Some(if west { -seconds } else { seconds });
        Some(())
    }
}

#[cfg(test)]
mod tests;
