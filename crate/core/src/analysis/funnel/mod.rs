//! Conversion funnels (DEFINITIONS §5) from behaviour logs (Tianchi UserBehavior, REES46, or any
//! clickstream in its own vocabulary) or, when no events are loaded, from aggregated traffic exports
//! (生意参谋 访客数 → 加购人数 → 支付买家数).
//!
//! Steps are 2–8 [`StepSpec`]s: a canonical meaning (`view`, `cart` …: every name that means it,
//! see [`event_meanings`]) or a list of the log's own event names. Each event name is put in at most
//! one step, once, so the counting works on step indices, never on names.
//!
//! Modes:
//! - **sequential** (default): a user reaches step i when there are events e1…ei of steps 1…i with
//!   t1 ≤ t2 ≤ … ≤ ti and ti − t1 ≤ W. Events at equal timestamps may chain in either order. A user's
//!   level is the maximum over all choices of events; count(i) = users whose level ≥ i.
//! - **distinct**: count(i) = distinct users with at least one event of step i's type.
//!
//! Sub-funnels (breakdown by category/brand/item, per-item funnels, trend) run the same funnel on a
//! subset of the events; see [`BreakdownRow`], [`ItemFunnel`] and [`TrendPoint`] for which subset.
//!
//! Call [`FunnelOptions::validate`] on options coming from a user; [`compute`] never panics on any
//! options, but only validated ones have the meaning documented here.

mod category_names;
mod chain;
mod events;
mod group_tallies;
mod item_users;
mod pass;
mod traffic;
mod user_runs;
mod vocabulary;

#[cfg(test)]
mod tests;

use crate::codes::UnavailableCode;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::{ratio, Unavailable};
use crate::model::{Dataset, EventType};
use crate::schema::value::{clean, event_name_key, is_missing};
use crate::time::{Grain, SECONDS_PER_DAY};

pub use events::item_conversion;
pub(crate) use events::TIME_BUCKETS;
pub use vocabulary::event_meanings;

/// Most steps a funnel may have.
pub const MAX_STEPS: usize = 8;

/// Default conversion window: 7 days, in seconds.
pub const DEFAULT_WINDOW_SECONDS: i64 = 7 * SECONDS_PER_DAY;

/// How a step is counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelMode {
    /// Steps must happen in order within the conversion window (DEFINITIONS §5).
    #[default]
    Sequential,
    /// Each step counts the distinct users with any event of its type (the 生意参谋 way).
    Distinct,
}

/// What the funnel is broken down by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    /// No breakdown rows.
    None,
    /// The event's own category.
    #[default]
    Category,
    /// The event's own brand.
    Brand,
    /// The event's own item (product key).
    Item,
}

/// One step of a funnel as asked for: a canonical meaning, or the log's own event names.
/// From JSON: `"view"` (also `"fav"`, `"cart"`, `"checkout"`, `"purchase"`, `"remove_from_cart"`)
/// or `["product_view", "view_item"]`. Names match case-, width-, space-, `_`- and
/// `-`-insensitively (`Add To Cart` is `add_to_cart`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StepSpec {
    /// Every event whose name means this (DEFINITIONS §5).
    Canonical(EventType),
    /// Events with one of these names.
    Names(Vec<String>),
}

impl From<EventType> for StepSpec {
    fn from(kind: EventType) -> StepSpec {
        StepSpec::Canonical(kind)
    }
}

/// Funnel options. From JS, unknown fields are an error and missing fields take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FunnelOptions {
    /// The steps, in order (2–8); default view → cart → purchase.
    pub steps: Vec<StepSpec>,
    /// Sequential (default) or distinct counting.
    pub mode: FunnelMode,
    /// Conversion window W in seconds (sequential mode): the last step of a chain may come at most W
    /// seconds after its first. Default 7 days; `null` means unbounded.
    pub window_seconds: Option<i64>,
    /// What the breakdown rows group by; default category.
    pub breakdown: Breakdown,
    /// Breakdown groups shown individually (ranked by step-1 count); the rest form one "other" row.
    pub top_n: usize,
    /// Granularity of the trend; default day.
    pub trend_grain: Grain,
    /// Per-item funnels kept (ranked by step-1 count); default 50.
    pub item_limit: usize,
}

impl Default for FunnelOptions {
    fn default() -> Self {
        FunnelOptions {
            steps: vec![
                StepSpec::Canonical(EventType::View),
                StepSpec::Canonical(EventType::Cart),
                StepSpec::Canonical(EventType::Purchase),
            ],
            mode: FunnelMode::Sequential,
            window_seconds: Some(DEFAULT_WINDOW_SECONDS),
            breakdown: Breakdown::Category,
            top_n: 10,
            trend_grain: Grain::Day,
            item_limit: 50,
        }
    }
}

impl FunnelOptions {
    /// Checks that the options describe a funnel: 2–8 steps, no canonical step twice, no step
    /// without a name, no name in two steps (a chain could otherwise reuse one event for two
    /// steps), and a window that is not negative. Whether a listed name also means a canonical
    /// step depends on the log; [`compute`] checks that against the names present.
    pub fn validate(&self) -> Result<(), FunnelError> {
        let steps = self.steps.len();
        if steps < 2 {
            return Err(FunnelError::TooFewSteps { steps });
        }
        if steps > MAX_STEPS {
            return Err(FunnelError::TooManySteps { steps });
        }
        let mut keys: Vec<String> = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                StepSpec::Canonical(kind) => {
                    if self.steps[..i].contains(step) {
                        return Err(FunnelError::RepeatedStep { step: *kind });
                    }
                }
                StepSpec::Names(names) => {
                    if names.iter().all(|n| is_missing(clean(n))) {
                        return Err(FunnelError::EmptyStep { step: i + 1 });
                    }
                    let mut own: Vec<String> = names.iter().map(|n| event_name_key(n)).collect();
                    own.sort();
                    own.dedup();
                    if let Some(name) = names.iter().find(|n| keys.contains(&event_name_key(n))) {
                        return Err(FunnelError::EventNameInTwoSteps { name: name.clone() });
                    }
                    keys.extend(own);
                }
            }
        }
        if let Some(seconds) = self.window_seconds {
            if seconds < 0 {
                return Err(FunnelError::NegativeWindow { seconds });
            }
        }
        Ok(())
    }
}

/// Invalid [`FunnelOptions`]. Serialises as `{"code": "...", ...data}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FunnelError {
    /// Fewer than two steps were given.
    TooFewSteps {
        /// Number of steps given.
        steps: usize,
    },
    /// More than [`MAX_STEPS`] steps were given.
    TooManySteps {
        /// Number of steps given.
        steps: usize,
    },
    /// The same canonical step appears twice.
    RepeatedStep {
        /// The repeated event type.
        step: EventType,
    },
    /// A step lists no event name.
    EmptyStep {
        /// The step, from 1.
        step: usize,
    },
    /// An event name would be in two steps: listed twice, or listed and also meaning a canonical
    /// step of the funnel.
    EventNameInTwoSteps {
        /// The name as given (or as the log writes it).
        name: String,
    },
    /// The conversion window is negative.
    NegativeWindow {
        /// The window given, seconds.
        seconds: i64,
    },
}

impl FunnelError {
    /// Stable snake_case code for the UI to localise.
    pub fn code(&self) -> UnavailableCode {
        match self {
            FunnelError::TooFewSteps { .. } => UnavailableCode::TooFewSteps,
            FunnelError::TooManySteps { .. } => UnavailableCode::TooManySteps,
            FunnelError::RepeatedStep { .. } => UnavailableCode::RepeatedStep,
            FunnelError::EmptyStep { .. } => UnavailableCode::EmptyStep,
            FunnelError::EventNameInTwoSteps { .. } => UnavailableCode::EventNameInTwoSteps,
            FunnelError::NegativeWindow { .. } => UnavailableCode::NegativeWindow,
        }
    }
}

impl fmt::Display for FunnelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FunnelError::TooFewSteps { steps } => {
                write!(f, "a funnel needs at least 2 steps, found {steps}")
            }
            FunnelError::TooManySteps { steps } => {
                write!(f, "a funnel has at most {MAX_STEPS} steps, found {steps}")
            }
            FunnelError::RepeatedStep { step } => {
                write!(
                    f,
                    "step {step:?} appears more than once; each step needs its own event type"
                )
            }
            FunnelError::EmptyStep { step } => {
                write!(f, "step {step} lists no event name")
            }
            FunnelError::EventNameInTwoSteps { name } => write!(
                f,
                "event name \"{name}\" is in two steps; each event name may be in one step only"
            ),
            FunnelError::NegativeWindow { seconds } => write!(
                f,
                "conversion window must be 0 or more seconds (or unbounded), found {seconds}"
            ),
        }
    }
}

impl std::error::Error for FunnelError {}

/// Where the funnel's counts come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelSource {
    /// A behaviour log: users and their events.
    Events,
    /// Aggregated traffic rows: sums of daily unique counts.
    TrafficAggregate,
}

/// A step of an aggregated traffic funnel (生意参谋 columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrafficStep {
    /// 访客数 (visitors).
    Visitors,
    /// 加购人数 (users who added to cart).
    CartUsers,
    /// 支付买家数 (paying buyers).
    Buyers,
}

/// What a step counts: an event type, the log's own event names, or a traffic column. Serialises
/// as a plain string (`"view"`, `"cart"` … or `"visitors"`, `"cart_users"`, `"buyers"`) or, for
/// a step of names, the names as asked for (`["home"]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FunnelStep {
    /// A behaviour event type.
    Event(EventType),
    /// Event names, as the options list them.
    Names(Vec<String>),
    /// An aggregated traffic column.
    Traffic(TrafficStep),
}

impl From<&StepSpec> for FunnelStep {
    fn from(spec: &StepSpec) -> FunnelStep {
        match spec {
            StepSpec::Canonical(kind) => FunnelStep::Event(*kind),
            StepSpec::Names(names) => FunnelStep::Names(names.clone()),
        }
    }
}

/// One event name of the log (DEFINITIONS §5: the report lists the names present).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventNameStat {
    /// The name as the log writes it.
    pub name: String,
    /// Events with this name.
    pub events: u64,
    /// Distinct users with an event of this name.
    pub users: u64,
    /// The canonical step the name means in this log (`None`: another name, such as `home`).
    pub meaning: Option<EventType>,
    /// Index of the funnel step the name was put in (`None`: in no step).
    pub step: Option<usize>,
}

/// One step of the funnel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepStat {
    /// The event type, names or traffic column of this step, as asked for.
    pub step: FunnelStep,
    /// The log's event names put in this step (empty for traffic columns).
    pub names: Vec<String>,
    /// Users reaching this step (for traffic: the summed daily unique count).
    pub count: u64,
    /// count(i) / count(i−1); `None` for the first step or when count(i−1) is 0.
    pub conversion_from_previous: Option<f64>,
    /// count(i) / count(1); `None` when count(1) is 0.
    pub overall_conversion: Option<f64>,
    /// count(i−1) − count(i), users; 0 for the first step. Negative only in distinct mode (or
    /// traffic), when more users have an event of this step's type than of the previous one's.
    pub drop_off: i64,
}

/// Users whose fastest chain reached a step within a bucket of elapsed time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeBucket {
    /// Display label: `≤1m`, `1–10m`, `10–60m`, `1–6h`, `6–24h`, `1–3d`, `3–7d`, `>7d`.
    pub label: String,
    /// Inclusive upper bound, seconds; the bucket holds times above the previous bucket's bound.
    /// `None` for the last (open) bucket.
    pub upper_seconds: Option<i64>,
    /// Users in the bucket.
    pub users: u64,
}

/// Time to convert to one step (sequential mode): for each user reaching the step, the smallest
/// ti − t1 over the user's qualifying chains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeToConvert {
    /// The step reached (steps 2 … k).
    pub step: FunnelStep,
    /// Users reaching the step (equals that step's count).
    pub users: u64,
    /// Median of the users' times, seconds; for an even number of users the lower of the two middle
    /// values (so it is always a time some user actually took). `None` when no user reached the step.
    pub median_seconds: Option<i64>,
    /// Distribution of the users' times.
    pub buckets: Vec<TimeBucket>,
}

/// What a breakdown row stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakdownRowKind {
    /// One category / brand / item.
    Group,
    /// Events without a category / brand / item, taken together as one group.
    Missing,
    /// All groups after the top N, added up.
    Other,
}

/// The funnel within one group (category, brand or item). A user's chain for a group uses only the
/// events of that group (the event's own category/brand/item), so a user who views in one category
/// and buys in another reaches step 1 only, in each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakdownRow {
    /// Whether this row is a group, the events lacking the attribute, or the "other" total.
    pub kind: BreakdownRowKind,
    /// The category / brand name or item key; `None` for `missing` and `other` rows.
    pub group: Option<String>,
    /// Product title, for item breakdowns where the data gives one; for a category breakdown, the
    /// category's name where the log writes a numeric id that the product data names.
    pub title: Option<String>,
    /// Groups in the row: 1, or for `other` the number of groups added up.
    pub groups: u64,
    /// Per step, users reaching it within the group. For `other`, the sum over its groups of their
    /// counts, i.e. (user, group) pairs: a user active in two of those groups counts twice.
    pub counts: Vec<u64>,
    /// Last step's count / first step's count; `None` when the first is 0.
    pub overall_conversion: Option<f64>,
}

/// The funnel of one calendar period: the same funnel run on only the events whose time falls in
/// the period, so a chain crossing a period boundary counts in neither period's later steps.
/// Periods without any event of a step's type are absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`, `YYYY-Www` or `YYYY-MM` (the options' trend grain).
    pub period: String,
    /// Per step, users reaching it within the period (traffic: summed daily unique counts).
    pub counts: Vec<u64>,
    /// Last step's count / first step's count; `None` when the first is 0.
    pub overall_conversion: Option<f64>,
}

/// A per-item funnel (选品): (user, item) pairs where every step's event is on that item, counted
/// in the report's mode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemFunnel {
    /// Product key (SKU / product id).
    pub item: String,
    /// Product title, where the data gives one.
    pub title: Option<String>,
    /// Per step, users reaching it on this item (traffic: summed daily unique counts).
    pub counts: Vec<u64>,
    /// Last step's count / first step's count; `None` when the first is 0.
    pub overall_conversion: Option<f64>,
    /// Distinct buyers of the item / distinct viewers of the item (distinct mode, whatever the
    /// steps; traffic: Σ 支付买家数 / Σ 访客数); see [`item_conversion`]. `None` when nobody viewed it.
    pub item_conversion: Option<f64>,
}

/// The funnel section of a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelReport {
    /// Behaviour events, or aggregated traffic rows when no events were loaded.
    pub source: FunnelSource,
    /// Counting mode in force (always `distinct` for traffic aggregates: they are unique counts).
    pub mode: FunnelMode,
    /// Conversion window in force, seconds; `None` when unbounded or when the mode has no window
    /// (distinct, traffic).
    pub window_seconds: Option<i64>,
    /// The funnel over all events.
    pub steps: Vec<StepStat>,
    /// Time to convert to steps 2 … k (sequential mode only; empty otherwise).
    pub time_to_convert: Vec<TimeToConvert>,
    /// What `breakdown` rows group by (the option; `none` for traffic aggregates, which have no rows).
    pub breakdown_by: Breakdown,
    /// Top N groups by step-1 count (ties by name), then one `other` row.
    pub breakdown: Vec<BreakdownRow>,
    /// Granularity of `trend`.
    pub trend_grain: Grain,
    /// The funnel per period, oldest first.
    pub trend: Vec<TrendPoint>,
    /// Per-item funnels, ranked by step-1 count (ties by item key), at most `item_limit`.
    pub items: Vec<ItemFunnel>,
    /// Distinct users with any event (of any type); 0 for traffic aggregates, which have no users.
    pub users: u64,
    /// Every event name in the log, most events first (ties by name); empty for traffic.
    pub event_names: Vec<EventNameStat>,
    /// Caveats to show with the funnel (e.g. "sum of daily unique counts").
    pub note: Option<String>,
}

/// The funnel section from the events (or, without events, from the aggregated traffic rows).
/// Options that [`FunnelOptions::validate`] refuses, or whose names overlap in this log, make the
/// section unavailable with the [`FunnelError`]'s code.
pub fn compute(ds: &Dataset, opts: &FunnelOptions) -> Result<FunnelReport, Unavailable> {
    let invalid = |e: FunnelError| Unavailable::new(e.code(), &e.to_string());
    opts.validate().map_err(invalid)?;
    if !ds.events.is_empty() {
        return events::report(ds, opts).map_err(invalid);
    }
    traffic::report(ds, opts).ok_or_else(|| {
        Unavailable::new(
            UnavailableCode::NoEvents,
            "a behaviour log (Tianchi UserBehavior, REES46) or a 生意参谋 traffic export",
        )
    })
}

/// Step statistics from the per-step counts; `names[i]` are step i's event names (may be short).
fn step_stats(steps: &[FunnelStep], names: &[Vec<String>], counts: &[u64]) -> Vec<StepStat> {
    let first = counts.first().copied().unwrap_or(0);
    steps
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (step, &count))| {
            let previous = if i == 0 { None } else { Some(counts[i - 1]) };
            StepStat {
                step: step.clone(),
                names: names.get(i).cloned().unwrap_or_default(),
                count,
                conversion_from_previous: previous.and_then(|p| ratio(count as f64, p as f64)),
                overall_conversion: ratio(count as f64, first as f64),
                drop_off: previous.map_or(0, |p| p as i64 - count as i64),
            }
        })
        .collect()
}

/// Last count / first count: the conversion of a whole sub-funnel.
fn overall(counts: &[u64]) -> Option<f64> {
    match (counts.first(), counts.last()) {
        (Some(&first), Some(&last)) => ratio(last as f64, first as f64),
        _ => None,
    }
}
