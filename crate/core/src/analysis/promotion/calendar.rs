//! The platform calendar that names a proposed campaign window: 618, 双11, 双12, 年货节, 3.8,
//! Black Friday / Cyber Monday and Prime Day.

use serde::{Deserialize, Serialize};

use crate::time::{days_from_civil, weekday, Day};

/// A shopping festival a campaign window can fall on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Occasion {
    /// 618 (JD's anniversary sale, now every platform's): the season 6/1–6/18, peak 6/18.
    #[serde(rename = "618")]
    Six18,
    /// 双11 (Singles' Day): 11/11.
    #[serde(rename = "double_11")]
    Double11,
    /// 双12: 12/12.
    #[serde(rename = "double_12")]
    Double12,
    /// 年货节 (New Year goods festival): the five weeks before Chinese New Year (CNY − 35 … CNY − 1),
    /// for the years of [`CHINESE_NEW_YEAR`].
    #[serde(rename = "nianhuo")]
    NianHuo,
    /// 3.8 女王节 / Women's Day: 3/7–3/8 (Tmall's and Taobao's spring sale).
    #[serde(rename = "womens_day")]
    WomensDay,
    /// Black Friday … Cyber Monday: the day after the fourth Thursday of November (US Thanksgiving)
    /// through the following Monday. (The "fourth Friday" differs when November starts on a Friday,
    /// e.g. 2024: Thanksgiving 11/28, Black Friday 11/29 is the fifth Friday.)
    #[serde(rename = "bfcm")]
    BlackFridayCyberMonday,
    /// Amazon Prime Day: Amazon's published dates per year ([`PRIME_DAY`]; July except 2020's October
    /// and 2021's June event).
    #[serde(rename = "prime_day")]
    PrimeDay,
}

/// Chinese New Year (春节, first day of the lunar year), 2015–2030.
pub const CHINESE_NEW_YEAR: [(i32, u32, u32); 16] = [
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
];

/// Amazon Prime Day as Amazon announced it: (year, first month, first day, last month, last day).
pub const PRIME_DAY: [(i32, u32, u32, u32, u32); 11] = [
    (2015, 7, 15, 7, 15),
    (2016, 7, 12, 7, 12),
    (2017, 7, 10, 7, 11),
    (2018, 7, 16, 7, 17),
    (2019, 7, 15, 7, 16),
    (2020, 10, 13, 10, 14),
    (2021, 6, 21, 6, 22),
    (2022, 7, 12, 7, 13),
    (2023, 7, 11, 7, 12),
    (2024, 7, 16, 7, 17),
    (2025, 7, 8, 7, 11),
];

/// The occasions of calendar year `year`, each with its span of days `[from, to]`, in naming order.
pub fn occasions(year: i32) -> Vec<(Occasion, Day, Day)> {
    let d = |m, day| days_from_civil(year, m, day);
    let mut out = vec![
        (Occasion::Six18, d(6, 1), d(6, 18)),
        (Occasion::Double11, d(11, 11), d(11, 11)),
        (Occasion::Double12, d(12, 12), d(12, 12)),
    ];
    if let Some(&(y, m, day)) = CHINESE_NEW_YEAR.iter().find(|c| c.0 == year) {
        let cny = days_from_civil(y, m, day);
        out.push((Occasion::NianHuo, cny - 35, cny - 1));
    }
    out.push((Occasion::WomensDay, d(3, 7), d(3, 8)));
    let black_friday = thanksgiving(year) + 1;
    out.push((
        Occasion::BlackFridayCyberMonday,
        black_friday,
        black_friday + 3,
    ));
    if let Some(&(_, m0, d0, m1, d1)) = PRIME_DAY.iter().find(|p| p.0 == year) {
        out.push((Occasion::PrimeDay, d(m0, d0), d(m1, d1)));
    }
    out
}

/// US Thanksgiving: the fourth Thursday of November.
pub fn thanksgiving(year: i32) -> Day {
    let first = days_from_civil(year, 11, 1);
    // weekday: 0 = Monday … 3 = Thursday.
    let to_thursday = (3 + 7 - weekday(first) as Day) % 7;
    first + to_thursday + 21
}

/// The occasion a window `[from, to]` falls on: the one whose span overlaps it by the most days
/// (ties: the first in [`occasions`] order), or `None`.
pub fn name_window(from: Day, to: Day) -> Option<Occasion> {
    let (y0, _, _) = crate::time::civil_from_days(from);
    let (y1, _, _) = crate::time::civil_from_days(to);
    let mut best: Option<(Occasion, Day)> = None;
    // 年货节 of the next year can start in December.
    for year in y0..=y1 + 1 {
        for (occasion, a, b) in occasions(year) {
            let overlap = b.min(to) - a.max(from) + 1;
            if overlap > 0 && best.map_or(true, |(_, o)| overlap > o) {
                best = Some((occasion, overlap));
            }
        }
    }
    best.map(|(o, _)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thanksgiving_is_the_fourth_thursday() {
        assert_eq!(thanksgiving(2024), days_from_civil(2024, 11, 28));
        assert_eq!(thanksgiving(2023), days_from_civil(2023, 11, 23));
        assert_eq!(thanksgiving(2025), days_from_civil(2025, 11, 27));
        assert_eq!(thanksgiving(2018), days_from_civil(2018, 11, 22));
    }

    #[test]
    fn windows_are_named_by_overlap() {
        let d = days_from_civil;
        assert_eq!(
            name_window(d(2025, 5, 30), d(2025, 6, 18)),
            Some(Occasion::Six18)
        );
        assert_eq!(
            name_window(d(2024, 11, 10), d(2024, 11, 12)),
            Some(Occasion::Double11)
        );
        assert_eq!(
            name_window(d(2024, 11, 29), d(2024, 12, 2)),
            Some(Occasion::BlackFridayCyberMonday)
        );
        assert_eq!(
            name_window(d(2024, 12, 20), d(2025, 1, 10)),
            Some(Occasion::NianHuo)
        );
        assert_eq!(
            name_window(d(2025, 7, 9), d(2025, 7, 9)),
            Some(Occasion::PrimeDay)
        );
        assert_eq!(
            name_window(d(2025, 3, 7), d(2025, 3, 8)),
            Some(Occasion::WomensDay)
        );
        assert_eq!(name_window(d(2025, 4, 10), d(2025, 4, 12)), None);
        // Prime Day is July only where Amazon said so; 2026 has no published date.
        assert_eq!(name_window(d(2026, 7, 14), d(2026, 7, 15)), None);
    }
}
