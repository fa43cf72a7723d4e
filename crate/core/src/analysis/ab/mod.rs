//! A/B readout (DEFINITIONS §9): two groups' exposures n and conversions x, their conversion rates
//! with Wilson intervals, the difference with Newcombe's hybrid score interval, the relative lift,
//! the pooled z-test p-value, the verdict and, when not decisive, the exposures needed.
//!
//! Where the groups come from ([`AbOptions::by`]):
//! - **item** — two items (product keys `a`, `b`). From a behaviour log: exposure = distinct users
//!   with any event on the item, conversion = distinct users with a goal event on the item. Without a
//!   log, from traffic rows of the two items: n = Σ 访客数, x = Σ 支付买家数 over the rows (a sum of
//!   daily unique counts, as the funnel labels it).
//! - **period** — two day ranges of the same shop. From a behaviour log: exposure = distinct users
//!   with any event in the range, conversion = distinct users with a goal event in it. Without a log,
//!   from shop-level traffic rows (rows naming no item; all rows when none is shop-level).
//! - **variant** — two experiment groups of a log's own variant column (`ab_group`, `variation_id`,
//!   `$feature/<flag>`, 实验分组 …; labelled `experiment / variant` where the log names the
//!   experiment too). A user is **exposed** to a group when any of their events carries it; the
//!   user **converts** in the group with a goal event at or after their first event in it (a
//!   purchase made before the user saw the variant cannot be its effect, the rule PostHog,
//!   GrowthBook and Statsig apply) that carries that group or no group at all (an event labelled
//!   with the other group counts for that one only). This is the default when the log has a
//!   variant column and no groups are chosen: A is the control (`control`, `baseline`,
//!   `original`, `a`, `0`, `off`, 对照 …, else the first label in order), B the next label of the
//!   same experiment. [`AbReport::variants`] lists every group of the log so a page can offer
//!   them.
//! - Item variants (a SKU's colour or size) are not a grouping of their own: DEFINITIONS §9
//!   names items and periods, and where the export keys products by SKU two SKUs of one item are
//!   already two items.
//!
//! The **goal** is, by default, a purchase (every event name that means purchase, DEFINITIONS §5);
//! `goal` names one event of the log instead. A user exposed to both groups counts in both.

pub mod stats;
#[cfg(test)]
mod tests;

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::filter::parse_day;
use crate::analysis::funnel::event_meanings;
use crate::analysis::Unavailable;
use crate::model::{Dataset, EventType};
use crate::time::{day_of, Day};

pub use stats::{readout, AbStats, Verdict};

/// How the two groups are formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbBy {
    /// Two items (product keys `a`, `b`).
    Item,
    /// Two day ranges (`a_from`–`a_to`, `b_from`–`b_to`).
    Period,
    /// Two experiment groups of the log's variant column (labels `a`, `b`).
    Variant,
}

/// Options of the A/B readout. Unknown fields are an error; without `by` there is no readout.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AbOptions {
    /// How the groups are formed; `None`: no groups chosen.
    pub by: Option<AbBy>,
    /// Group A's item key (`by: item`) or experiment group (`by: variant`).
    pub a: Option<String>,
    /// Group B's item key (`by: item`) or experiment group (`by: variant`).
    pub b: Option<String>,
    /// Group A's first and last day, `YYYY-MM-DD` (`by: period`).
    pub a_from: Option<String>,
    pub a_to: Option<String>,
    /// Group B's first and last day, `YYYY-MM-DD` (`by: period`).
    pub b_from: Option<String>,
    pub b_to: Option<String>,
    /// The goal event name as the log writes it; `None`: purchase (every name that means it).
    pub goal: Option<String>,
}

/// Where the counts came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbSource {
    /// Distinct users of a behaviour log.
    Events,
    /// Sums of daily unique counts of traffic rows (访客数, 支付买家数).
    Traffic,
}

/// One group's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbGroup {
    /// What the group is: the item key or `from–to`.
    pub label: String,
    /// Exposures n.
    pub exposures: u64,
    /// Conversions x (≤ n).
    pub conversions: u64,
}

/// The A/B section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbReport {
    pub by: AbBy,
    pub source: AbSource,
    /// The goal: the event name given, else `purchase`.
    pub goal: String,
    pub a: AbGroup,
    pub b: AbGroup,
    /// Users counted in both groups (events only; 0 for traffic).
    pub in_both: u64,
    pub stats: AbStats,
    /// Every experiment group of the log's variant column, in label order (empty without one).
    pub variants: Vec<String>,
}

/// Computes the readout. Errors: `no_ab_groups` (no groups chosen, or one missing),
/// `invalid_ab_period` (a day not `YYYY-MM-DD`, or a range ending before it starts), `no_ab_data`
/// (no behaviour log and no traffic rows to count), `unknown_goal` (the goal names no event).
pub fn compute(ds: &Dataset, opts: &AbOptions) -> Result<AbReport, Unavailable> {
    let variants = variant_labels(ds);
    let (by, opts) = match opts.by {
        Some(by) => (by, opts.clone()),
        None => match default_pair(&variants) {
            Some((a, b)) => (
                AbBy::Variant,
                AbOptions {
                    by: Some(AbBy::Variant),
                    a: Some(a),
                    b: Some(b),
                    ..opts.clone()
                },
            ),
            None => return Err(no_groups()),
        },
    };
    let opts = &opts;
    let groups = match by {
        AbBy::Variant => {
            let (Some(a), Some(b)) = (opts.a.as_deref(), opts.b.as_deref()) else {
                return Err(no_groups());
            };
            if variants.is_empty() {
                return Err(Unavailable::new(
                    UnavailableCode::NoAbVariants,
                    "a behaviour log with an experiment group column (variant, ab_group, 实验分组)",
                ));
            }
            [
                Selector::Variant(a.to_string()),
                Selector::Variant(b.to_string()),
            ]
        }
        AbBy::Item => {
            let (Some(a), Some(b)) = (opts.a.as_deref(), opts.b.as_deref()) else {
                return Err(no_groups());
            };
            [Selector::Item(a.to_string()), Selector::Item(b.to_string())]
        }
        AbBy::Period => {
            let range = |from: &Option<String>, to: &Option<String>| {
                let day = |s: &Option<String>| s.as_deref().map(parse_day);
                match (day(from), day(to)) {
                    (Some(Some(f)), Some(Some(t))) if f <= t => Ok((f, t)),
                    (None, _) | (_, None) => Err(no_groups()),
                    _ => Err(Unavailable::new(
                        UnavailableCode::InvalidAbPeriod,
                        "two periods written YYYY-MM-DD, each ending on or after its first day",
                    )),
                }
            };
            let (af, at) = range(&opts.a_from, &opts.a_to)?;
            let (bf, bt) = range(&opts.b_from, &opts.b_to)?;
            [Selector::Period(af, at), Selector::Period(bf, bt)]
        }
    };
    let (source, counts, in_both) = if by == AbBy::Variant {
        let (counts, in_both) = from_variants(ds, &groups, opts.goal.as_deref())?;
        (AbSource::Events, counts, in_both)
    } else if !ds.events.is_empty() {
        let (counts, in_both) = from_events(ds, &groups, opts.goal.as_deref())?;
        (AbSource::Events, counts, in_both)
    } else if !ds.traffic.is_empty() {
        (AbSource::Traffic, from_traffic(ds, &groups), 0)
    } else {
        return Err(Unavailable::new(
            UnavailableCode::NoAbData,
            "a behaviour log (user, event, time, item) or a traffic export (访客数, 支付买家数)",
        ));
    };
    let [(na, xa), (nb, xb)] = counts;
    let label = |s: &Selector| match s {
        Selector::Item(k) | Selector::Variant(k) => k.clone(),
        Selector::Period(f, t) => format!(
            "{}–{}",
            crate::time::format_day(*f),
            crate::time::format_day(*t)
        ),
    };
    Ok(AbReport {
        by,
        source,
        goal: opts.goal.clone().unwrap_or_else(|| "purchase".to_string()),
        a: AbGroup {
            label: label(&groups[0]),
            exposures: na,
            conversions: xa,
        },
        b: AbGroup {
            label: label(&groups[1]),
            exposures: nb,
            conversions: xb,
        },
        in_both,
        stats: readout(xa, na, xb, nb),
        variants,
    })
}

fn no_groups() -> Unavailable {
    Unavailable::new(
        UnavailableCode::NoAbGroups,
        "two groups: two items or two periods chosen in the options (ab.by, ab.a/ab.b or the periods)",
    )
}

/// What puts a row or event in a group.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Selector {
    Item(String),
    Period(Day, Day),
    /// An experiment group's label (read by [`from_variants`] only).
    Variant(String),
}

impl Selector {
    fn holds(&self, ds: &Dataset, item: Option<u32>, day: Option<Day>) -> bool {
        match self {
            Selector::Item(key) => item.is_some_and(|p| ds.products.name(p) == key),
            Selector::Period(from, to) => day.is_some_and(|d| (*from..=*to).contains(&d)),
            Selector::Variant(_) => false,
        }
    }
}

/// (n, x) per group from distinct users of the log, and the users exposed to both.
fn from_events(
    ds: &Dataset,
    groups: &[Selector; 2],
    goal: Option<&str>,
) -> Result<([(u64, u64); 2], u64), Unavailable> {
    let is_goal = goal_flags(ds, goal)?;
    // Per user: bit 0/1 exposed to A/B, bit 2/3 converted in A/B.
    let mut seen = vec![0u8; ds.customers.len()];
    let e = &ds.events;
    // Item ids are looked up once per selector, not per event.
    let item_id = |s: &Selector| match s {
        Selector::Item(k) => Some(ds.products.get(k)),
        Selector::Period(..) | Selector::Variant(_) => None,
    };
    let ids = [item_id(&groups[0]), item_id(&groups[1])];
    for i in 0..e.len() {
        let item = e.item[i].get();
        let day = day_of(e.time[i]);
        let goal_event = is_goal
            .get(usize::from(e.name[i]))
            .copied()
            .unwrap_or(false);
        for g in 0..2 {
            let in_group = match (&groups[g], ids[g]) {
                (Selector::Item(_), Some(id)) => id.is_some() && item == id,
                (sel, _) => sel.holds(ds, item, Some(day)),
            };
            if in_group {
                let flags = &mut seen[e.user[i] as usize];
                *flags |= 1 << g;
                if goal_event {
                    *flags |= 4 << g;
                }
            }
        }
    }
    let mut counts = [(0u64, 0u64); 2];
    let mut in_both = 0;
    for &f in &seen {
        for (g, c) in counts.iter_mut().enumerate() {
            c.0 += u64::from(f & (1 << g) != 0);
            c.1 += u64::from(f & (4 << g) != 0);
        }
        in_both += u64::from(f & 3 == 3);
    }
    Ok((counts, in_both))
}

/// (n, x) per group: Σ visitors and Σ buyers of the group's traffic rows (negative counts as 0; a
/// row's buyers above its visitors are capped at them, so x ≤ n).
fn from_traffic(ds: &Dataset, groups: &[Selector; 2]) -> [(u64, u64); 2] {
    let t = &ds.traffic;
    let shop_rows = t.product.iter().any(Option::is_none);
    let mut counts = [(0u64, 0u64); 2];
    for i in 0..t.len() {
        for (g, sel) in groups.iter().enumerate() {
            let wanted = match sel {
                Selector::Item(_) => sel.holds(ds, t.product[i], None),
                Selector::Period(..) => {
                    (!shop_rows || t.product[i].is_none()) && sel.holds(ds, None, t.day[i])
                }
                Selector::Variant(_) => false,
            };
            if wanted {
                let n = t.visitors[i].unwrap_or(0).max(0) as u64;
                let x = (t.buyers[i].unwrap_or(0).max(0) as u64).min(n);
                counts[g].0 += n;
                counts[g].1 += x;
            }
        }
    }
    counts
}

/// Which events are goals: every name meaning purchase, or the one name given.
fn goal_flags(ds: &Dataset, goal: Option<&str>) -> Result<Vec<bool>, Unavailable> {
    match goal {
        None => Ok(event_meanings(ds)
            .into_iter()
            .map(|m| m == Some(EventType::Purchase))
            .collect()),
        Some(name) => {
            let flags: Vec<bool> = ds.event_names.iter().map(|(_, n)| n == name).collect();
            if flags.iter().any(|&f| f) {
                Ok(flags)
            } else {
                Err(Unavailable::new(
                    UnavailableCode::UnknownGoal,
                    "a goal event name that the behaviour log contains",
                ))
            }
        }
    }
}

/// The experiment groups present on the log's events, in label order.
fn variant_labels(ds: &Dataset) -> Vec<String> {
    let mut used = vec![false; ds.variants.len()];
    for v in ds.events.variant.iter().filter_map(|v| v.get()) {
        used[v as usize] = true;
    }
    let mut labels: Vec<String> = ds
        .variants
        .iter()
        .filter(|(id, _)| used[*id as usize])
        .map(|(_, name)| name.to_string())
        .collect();
    labels.sort();
    labels
}

/// Whether a group label (its variant part, after `experiment / `) names the control.
fn is_control(label: &str) -> bool {
    let variant = label.rsplit(" / ").next().unwrap_or(label).trim();
    let v = variant.to_lowercase();
    matches!(
        v.as_str(),
        "control"
            | "baseline"
            | "original"
            | "a"
            | "0"
            | "off"
            | "false"
            | "default"
            | "holdout"
            | "对照"
            | "对照组"
            | "原版"
            | "基线"
            | "a组"
    ) || v.starts_with("control")
}

/// The default pair of a log's groups (see the module docs): the control (else the first label)
/// and the next label of the same experiment; `None` with fewer than two groups.
fn default_pair(labels: &[String]) -> Option<(String, String)> {
    let experiment = |l: &str| l.rsplit_once(" / ").map(|(e, _)| e.to_string());
    let a = labels
        .iter()
        .find(|l| is_control(l))
        .or_else(|| labels.first())?;
    let b = labels
        .iter()
        .find(|l| *l != a && experiment(l) == experiment(a))?;
    Some((a.clone(), b.clone()))
}

/// (n, x) per experiment group and the users exposed to both (module docs: exposure and the
/// conversion at or after the first exposure).
fn from_variants(
    ds: &Dataset,
    groups: &[Selector; 2],
    goal: Option<&str>,
) -> Result<([(u64, u64); 2], u64), Unavailable> {
    let is_goal = goal_flags(ds, goal)?;
    let id = |s: &Selector| match s {
        Selector::Variant(label) => ds.variants.get(label),
        _ => None,
    };
    let ids = [id(&groups[0]), id(&groups[1])];
    let e = &ds.events;
    // Per group and user: the time of the first event in the group (i64::MAX: never exposed).
    let mut first = [
        vec![i64::MAX; ds.customers.len()],
        vec![i64::MAX; ds.customers.len()],
    ];
    for i in 0..e.variant.len().min(e.len()) {
        let Some(v) = e.variant_of(i) else { continue };
        for g in 0..2 {
            if ids[g] == Some(v) {
                let t = &mut first[g][e.user[i] as usize];
                *t = (*t).min(e.time[i]);
            }
        }
    }
    let mut converted = [
        vec![false; ds.customers.len()],
        vec![false; ds.customers.len()],
    ];
    for i in 0..e.len() {
        if !is_goal
            .get(usize::from(e.name[i]))
            .copied()
            .unwrap_or(false)
        {
            continue;
        }
        let u = e.user[i] as usize;
        let label = e.variant_of(i);
        for g in 0..2 {
            let own = label.is_none() || label == ids[g];
            if own && first[g][u] <= e.time[i] {
                converted[g][u] = true;
            }
        }
    }
    let mut counts = [(0u64, 0u64); 2];
    for g in 0..2 {
        counts[g] = (
            first[g].iter().filter(|&&t| t != i64::MAX).count() as u64,
            converted[g].iter().filter(|&&c| c).count() as u64,
        );
    }
    let in_both = first[0]
        .iter()
        .zip(&first[1])
        .filter(|(a, b)| **a != i64::MAX && **b != i64::MAX)
        .count() as u64;
    Ok((counts, in_both))
}
