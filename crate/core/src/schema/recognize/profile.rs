//! Roles from values: a profile of each column over a sample of the first rows.
//!
//! For every column the profile counts, over its non-blank cells, how many read as a timestamp
//! (written as a date, or as a Unix epoch), as money (with a decimal point, or only with a decimal
//! comma `43,99`), as a whole count, as an e-mail, as an order status or a known event name, and
//! how many distinct values there are (up to a cap). The decision ([`super::decide`]) uses it to
//! confirm or overturn the header's reading and to find roles for cryptic headers.

use rustc_hash::FxHashSet;

use crate::schema::value::{
    classify_status, clean, is_missing, parse_count, parse_event_type, parse_money,
    parse_money_decimal_comma, parse_time,
};
use crate::time::day_of;

/// Distinct values counted up to this many.
const DISTINCT_CAP: usize = 256;

/// 2000-01-01 and 2100-01-01 as day numbers: the range in which an epoch is taken for a time.
const FIRST_EPOCH_DAY: i64 = 10_957;
const LAST_EPOCH_DAY: i64 = 47_482;

/// What the sampled cells of one column look like.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// Cells that are not blank nor a placeholder (`-`, `null` …).
    pub filled: u32,
    /// Cells left blank.
    pub blank: u32,
    /// Written as a date or date-time (not a bare number).
    pub dates: u32,
    /// Bare numbers that read as Unix epochs between 2000 and 2100 (s, ms or µs).
    pub epochs: u32,
    /// Read as money the usual way (`1,299.00`, `¥12`, `$3.50`).
    pub money: u32,
    /// Read as money with a decimal comma (`43,99`, `1.234,56 €`, `1 234,56`, and plain `12`).
    pub money_comma: u32,
    /// Read as money only with a decimal comma, not the usual way (`43,99`).
    pub comma_only: u32,
    /// With a fractional part (`12.50`), among the money cells.
    pub fractional: u32,
    /// Whole counts (`3`, `1,024`, `2件`).
    pub counts: u32,
    /// `name@host`.
    pub emails: u32,
    /// Order statuses shoplens knows.
    pub statuses: u32,
    /// Behaviour event names shoplens knows.
    pub events: u32,
    /// Containing a letter (Latin or CJK).
    pub texts: u32,
    /// Words separated by spaces, without digits (`John Smith`, `Blue Mug`): names, not ids.
    pub spaced_words: u32,
    /// Containing a space at all (`C-1048 Northwind Traders`): ids seldom do.
    pub spaced: u32,
    /// Yes/no flags (`Yes`, `No`, `true`, `Oui`, `Non`, `是`, `否`): never an id.
    pub flags: u32,
    /// Distinct filled values, counted up to [`DISTINCT_CAP`].
    pub distinct: u32,
    /// Longest filled value, in characters.
    pub max_chars: u32,
}

impl Profile {
    /// Share of filled cells for which `count` holds (0 when none is filled).
    pub fn share(&self, count: u32) -> f32 {
        if self.filled == 0 {
            0.0
        } else {
            count as f32 / self.filled as f32
        }
    }
    /// Share of filled cells that read as times (dates or epochs).
    pub fn time_share(&self) -> f32 {
        self.share(self.dates + self.epochs)
    }
    /// Share of filled cells that read as money in one of the two ways.
    pub fn money_share(&self) -> f32 {
        self.share(self.money.max(self.money_comma))
    }
    /// Whether the sample says the column writes a decimal comma: some cells read only that way,
    /// and every cell reads that way at least as often as the usual way.
    pub fn decimal_comma(&self) -> bool {
        self.comma_only > 0 && self.money_comma >= self.money && self.money_comma * 2 > self.filled
    }
    /// A small vocabulary: few distinct values repeated over many rows (statuses, event names).
    pub fn is_vocabulary(&self) -> bool {
        self.filled >= 4 && self.distinct <= 64 && self.distinct * 3 <= self.filled.max(3) * 2
    }
    /// One short sentence on what the values look like, for the evidence shown to the user.
    pub fn describe(&self) -> String {
        if self.filled == 0 {
            return format!("all {} sampled values are blank", self.blank);
        }
        let pct = |n: u32| (self.share(n) * 100.0).round() as u32;
        let n = self.filled;
        let mut parts = Vec::new();
        if self.dates > 0 {
            parts.push(format!(
                "{} % of {n} values parse as dates",
                pct(self.dates)
            ));
        }
        if self.epochs > 0 {
            parts.push(format!("{} % as Unix epochs", pct(self.epochs)));
        }
        if self.decimal_comma() {
            parts.push(format!(
                "{} % as amounts with a decimal comma",
                pct(self.money_comma)
            ));
        } else if self.money > 0 && self.dates == 0 && self.epochs == 0 {
            parts.push(format!("{} % as amounts", pct(self.money)));
        }
        if self.emails > 0 {
            parts.push(format!("{} % are e-mails", pct(self.emails)));
        }
        if self.statuses > 0 {
            parts.push(format!("{} % are order statuses", pct(self.statuses)));
        }
        if self.events > 0 {
            parts.push(format!("{} % are known event names", pct(self.events)));
        }
        if parts.is_empty() {
            parts.push(format!("{n} values, {} distinct", self.distinct_label()));
        }
        parts.join(", ")
    }
    /// [`Profile::describe`] in Chinese.
    pub fn describe_zh(&self) -> String {
        if self.filled == 0 {
            return format!("抽样的 {} 个值全部为空", self.blank);
        }
        let pct = |n: u32| (self.share(n) * 100.0).round() as u32;
        let n = self.filled;
        let mut parts = Vec::new();
        if self.dates > 0 {
            parts.push(format!("{n} 个值中 {}% 可读为日期", pct(self.dates)));
        }
        if self.epochs > 0 {
            parts.push(format!("{}% 为 Unix 时间戳", pct(self.epochs)));
        }
        if self.decimal_comma() {
            parts.push(format!("{}% 为逗号作小数点的金额", pct(self.money_comma)));
        } else if self.money > 0 && self.dates == 0 && self.epochs == 0 {
            parts.push(format!("{}% 为金额", pct(self.money)));
        }
        if self.emails > 0 {
            parts.push(format!("{}% 为电子邮箱", pct(self.emails)));
        }
        if self.statuses > 0 {
            parts.push(format!("{}% 为订单状态", pct(self.statuses)));
        }
        if self.events > 0 {
            parts.push(format!("{}% 为已知事件名", pct(self.events)));
        }
        if parts.is_empty() {
            parts.push(format!("{n} 个值，{} 个不同", self.distinct_label()));
        }
        parts.join("，")
    }
    fn distinct_label(&self) -> String {
        if self.distinct as usize >= DISTINCT_CAP {
            format!("{DISTINCT_CAP}+")
        } else {
            self.distinct.to_string()
        }
    }
}

/// Builds the profiles of `columns` columns from sampled rows (each a slice of cells).
pub struct Profiler {
    profiles: Vec<Profile>,
    seen: Vec<FxHashSet<String>>,
}

impl Profiler {
    pub fn new(columns: usize) -> Profiler {
        Profiler {
            profiles: vec![Profile::default(); columns],
            seen: vec![FxHashSet::default(); columns],
        }
    }

    /// Profiles one row's cells (extra cells past the header are ignored).
    pub fn add<'a>(&mut self, cells: impl Iterator<Item = &'a str>) {
        for (i, raw) in cells.enumerate().take(self.profiles.len()) {
            let p = &mut self.profiles[i];
            let s = clean(raw);
            if is_missing(s) {
                p.blank += 1;
                continue;
            }
            p.filled += 1;
            p.max_chars = p.max_chars.max(s.chars().count() as u32);
            if self.seen[i].len() < DISTINCT_CAP && self.seen[i].insert(s.to_string()) {
                p.distinct += 1;
            }
            profile_cell(p, s);
        }
    }

    pub fn finish(self) -> Vec<Profile> {
        self.profiles
    }
}

fn profile_cell(p: &mut Profile, s: &str) {
    let bare_number = s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1;
    let letters = s.chars().any(|c| c.is_alphabetic());
    if s.contains(' ') {
        p.spaced += 1;
    }
    if letters {
        p.texts += 1;
        if s.contains(' ') && !s.bytes().any(|b| b.is_ascii_digit()) && !s.contains('@') {
            p.spaced_words += 1;
        }
    }
    if let Ok(Some(t)) = parse_time(s, 0) {
        if bare_number && matches!(s.len(), 8 | 14) {
            // Compact `20240305` and `20240305140311`.
            p.dates += 1;
        } else if bare_number {
            let day = i64::from(day_of(t));
            if (FIRST_EPOCH_DAY..LAST_EPOCH_DAY).contains(&day) && s.len() >= 9 {
                p.epochs += 1;
            }
        } else {
            p.dates += 1;
        }
    }
    let usual = matches!(parse_money(s), Ok(Some(_)));
    if usual {
        p.money += 1;
        if s.contains('.') {
            p.fractional += 1;
        }
    }
    if matches!(parse_money_decimal_comma(s), Ok(Some(_))) {
        p.money_comma += 1;
        if !usual {
            p.comma_only += 1;
            if s.contains(',') {
                p.fractional += 1;
            }
        }
    }
    if matches!(parse_count(s), Ok(Some(_))) {
        p.counts += 1;
    }
    if is_flag(s) {
        p.flags += 1;
    }
    if letters {
        if is_email(s) {
            p.emails += 1;
        }
        if classify_status(s).is_some() {
            p.statuses += 1;
        }
        if parse_event_type(s).is_some() {
            p.events += 1;
        }
    }
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !host.contains(' ') && !user.contains(' ')
        }
        None => false,
    }
}

/// A yes/no flag in the languages of the exports shoplens reads.
fn is_flag(s: &str) -> bool {
    const FLAGS: &[&str] = &[
        "yes", "no", "y", "n", "true", "false", "oui", "non", "si", "sí", "ja", "nein", "sim",
        "não", "nao", "是", "否", "有", "无",
    ];
    s.len() <= 5 && FLAGS.iter().any(|f| s.eq_ignore_ascii_case(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(values: &[&str]) -> Profile {
        let mut p = Profiler::new(1);
        for v in values {
            p.add(std::iter::once(*v));
        }
        p.finish().remove(0)
    }

    #[test]
    fn times_epochs_and_money() {
        let p = profile(&["2024-03-01 10:00:00", "2024/3/2 9:05", "-", ""]);
        assert_eq!((p.filled, p.blank, p.dates), (2, 2, 2));
        let p = profile(&["1709251200", "1709251200123", "1709251200123456"]);
        assert_eq!(p.epochs, 3);
        let p = profile(&["43,99", "1.234,56 €", "1 234,56", "12"]);
        assert!(p.decimal_comma(), "{p:?}");
        let p = profile(&["1,299.00", "12.50", "3"]);
        assert!(!p.decimal_comma());
        assert_eq!(p.money, 3);
    }

    #[test]
    fn vocabularies() {
        let p = profile(&["paid", "paid", "pending", "refunded", "paid", "paid"]);
        assert!(p.is_vocabulary());
        assert_eq!(p.statuses, 6);
        let p = profile(&["a@b.com", "c@d.cn"]);
        assert_eq!(p.emails, 2);
    }
}
