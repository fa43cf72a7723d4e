//! Exchange rates the user gives, and the exact per-order conversion.
//!
//! A rate is written per currency pair, `"USD/CNY": 7.1` (one USD is 7.1 CNY), for the whole data or
//! per month of the order time, `"USD/CNY": { "2025-01": 7.2, "2025-02": 7.15 }`. Converting CNY to
//! USD with only `USD/CNY` given divides by it. The rate is taken as the decimal number it is written
//! as (`7.1` is 71/10 exactly, not the nearest binary double), so a conversion is exact rational
//! arithmetic followed by one rounding: each order's amount (and each line's) is rounded to the target
//! currency's minor unit, half away from zero (`0.005` → `0.01`, `-0.005` → `-0.01`). For a currency
//! without a minor unit in use (JPY, KRW) the minor unit is the whole yen / won.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The user's exchange rates by pair `"FROM/TO"`.
pub type Rates = BTreeMap<String, RateSpec>;

/// One pair's rate: one for all the data, or one per month `YYYY-MM` of the order time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RateSpec {
    Fixed(f64),
    Monthly(BTreeMap<String, f64>),
}

/// A positive rate as the exact fraction `num / den` of its decimal writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    pub num: i128,
    pub den: i128,
}

impl Ratio {
    /// The decimal a finite positive `f64` is written as (its shortest round-trip form) as a
    /// fraction; `None` for 0, negatives, non-finite values, or more than 18 decimals.
    pub fn of(rate: f64) -> Option<Ratio> {
        if !(rate.is_finite() && rate > 0.0) {
            return None;
        }
        let text = format!("{rate}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if fraction.len() > 18 || whole.len() > 18 {
            return None;
        }
        let digits: String = format!("{whole}{fraction}");
        let num: i128 = digits.parse().ok()?;
        let den = 10i128.pow(fraction.len() as u32);
        (num > 0).then_some(Ratio { num, den })
    }

    pub fn inverse(self) -> Ratio {
        Ratio {
            num: self.den,
            den: self.num,
        }
    }
}

/// `amount` (hundredths of its currency's unit) times `rate`, rounded half away from zero to a
/// multiple of `unit` hundredths (1 for cents, 100 for a currency whose minor unit is the whole
/// unit). Saturates at the `i64` range.
pub fn convert(amount: i64, rate: Ratio, unit: i64) -> i64 {
    let q = i128::from(amount).saturating_mul(rate.num);
    let d = rate.den.saturating_mul(i128::from(unit.max(1)));
    let rounded = (q.abs().saturating_mul(2).saturating_add(d)) / d.saturating_mul(2);
    let signed = if q < 0 { -rounded } else { rounded };
    let out = signed.saturating_mul(i128::from(unit.max(1)));
    out.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Where a conversion's rate came from: the pair as the user wrote it, the month (for monthly
/// rates) and the number given.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RateKey {
    pub pair: String,
    pub month: Option<String>,
}

/// The rate converting `from` to `to` in `month` (`YYYY-MM`): the pair `FROM/TO`, else `TO/FROM`
/// inverted. A monthly pair without that month gives `Err` naming what is missing, unless
/// `nearest` is set (then the closest month given is taken: for unpaid orders, whose amounts no
/// figure counts).
pub fn lookup(
    rates: &Rates,
    from: &str,
    to: &str,
    month: &str,
    nearest: bool,
) -> Result<(Ratio, RateKey, f64), String> {
    let direct = format!("{from}/{to}");
    let inverse = format!("{to}/{from}");
    let (pair, spec, inverted) = match (find(rates, &direct), find(rates, &inverse)) {
        (Some((p, s)), _) => (p, s, false),
        (None, Some((p, s))) => (p, s, true),
        (None, None) => {
            return Err(format!(
            "no exchange rate from {from} to {to}: give \"{direct}\" (how many {to} one {from} is)"
        ))
        }
    };
    let (value, month_used) = match spec {
        RateSpec::Fixed(v) => (*v, None),
        RateSpec::Monthly(by_month) => match by_month.get(month) {
            Some(v) => (*v, Some(month.to_string())),
            None if nearest && !by_month.is_empty() => {
                let (m, v) = by_month
                    .iter()
                    .min_by_key(|(m, _)| month_distance(m, month))
                    .expect("not empty");
                (*v, Some(m.clone()))
            }
            None => {
                return Err(format!(
                    "the rate \"{pair}\" has no month {month}, when orders were paid in {from}"
                ))
            }
        },
    };
    let ratio = Ratio::of(value)
        .ok_or_else(|| format!("the rate \"{pair}\" must be a positive number, found {value}"))?;
    Ok((
        if inverted { ratio.inverse() } else { ratio },
        RateKey {
            pair: pair.to_string(),
            month: month_used,
        },
        value,
    ))
}

/// The pair's entry, its name compared without case and spaces (`usd / cny`).
fn find<'r>(rates: &'r Rates, pair: &str) -> Option<(&'r str, &'r RateSpec)> {
    rates.iter().find_map(|(k, v)| {
        let norm: String = k
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        (norm == pair).then_some((k.as_str(), v))
    })
}

fn month_distance(a: &str, b: &str) -> i64 {
    let n = |m: &str| {
        let (y, mo) = m.split_once('-').unwrap_or((m, "1"));
        y.parse::<i64>().unwrap_or(0) * 12 + mo.parse::<i64>().unwrap_or(1)
    };
    (n(a) - n(b)).abs()
}

/// Checks every rate: a pair `AAA/BBB` of two different codes, positive numbers, months
/// `YYYY-MM`. The message names the pair at fault.
pub fn validate(rates: &Rates) -> Result<(), String> {
    for (pair, spec) in rates {
        let codes: Vec<&str> = pair.split('/').map(str::trim).collect();
        let well_formed = codes.len() == 2
            && codes
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            && !codes[0].eq_ignore_ascii_case(codes[1]);
        if !well_formed {
            return Err(format!(
                "rate pair \"{pair}\": expected two currency codes written FROM/TO, such as \"USD/CNY\""
            ));
        }
        let values: Vec<(Option<&String>, f64)> = match spec {
            RateSpec::Fixed(v) => vec![(None, *v)],
            RateSpec::Monthly(m) => m.iter().map(|(k, v)| (Some(k), *v)).collect(),
        };
        for (month, v) in values {
            if Ratio::of(v).is_none() {
                return Err(format!(
                    "rate \"{pair}\": expected a positive number, found {v}"
                ));
            }
            if let Some(m) = month {
                let b = m.as_bytes();
                let ok = b.len() == 7
                    && b[4] == b'-'
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| i == 4 || c.is_ascii_digit())
                    && matches!(
                        &m[5..],
                        "01" | "02"
                            | "03"
                            | "04"
                            | "05"
                            | "06"
                            | "07"
                            | "08"
                            | "09"
                            | "10"
                            | "11"
                            | "12"
                    );
                if !ok {
                    return Err(format!(
                        "rate \"{pair}\": expected months written YYYY-MM, found \"{m}\""
                    ));
                }
            }
        }
    }
    Ok(())
}
