//! The funnel's trend and time to convert (DEFINITIONS §5), after the funnel script's steps
//! (`funnel::step_steps`, `funnel::count_steps`), as `analysis::funnel` tallies them in its one pass
//! over the users (`pass.rs`, `chain.rs`, `events.rs`):
//!
//! - the trend: per period of the options' `trend_grain` (day, ISO week, month), the funnel in the
//!   report's mode run on that period's events alone: a chain crossing a period boundary counts in
//!   neither period's later steps. A period is that of the event's wall-clock day (the engine's
//!   `Grain::period(day_of(t))`); only periods with an event of a step are listed.
//! - time to convert (sequential mode): for steps 2 … k, each user's fastest time ti − t1 over
//!   their chains (the greedy chain from a start takes that start's earliest ti, so the minimum
//!   over the starts is the engine's `keep_fastest`), in the engine's eight buckets, with the lower
//!   middle of the step's times as its median.
//!
//! The action list's fix a funnel step (§11) reads the same per-period counts by day
//! ([`period_count_steps`] with grain day).

use super::kpi::period_labels;
use super::{funnel::funnel_row, Context, Script};
use crate::analysis::funnel::{FunnelMode, TIME_BUCKETS};
use crate::time::Grain;

/// Seconds in a day: a day's number is ⌊wall-clock seconds / 86400⌋ (the engine's `day_of`).
const DAY_SECONDS: i64 = 86_400;

/// The funnel per period of `grain` after `funnel::step_steps` (DEFINITIONS §5): each period's
/// funnel run on that period's events alone, in the report's mode. A period is keyed by the number
/// of its first day (days since 1970-01-01: the day itself, the ISO week's Monday, the month's
/// first day), so keys order the periods. Steps, each named after `unit` (`day`: the action list;
/// `period`: the funnel's trend): `<unit>_events` (each step event with its period key in the
/// column `<unit>`), sequential mode `<unit>_reach_1` … `<unit>_reach_k`, and
/// `funnel_<unit>_counts`: one row per period with an event of a step (`<unit>`) and the users
/// reaching each step in it, `c1` … `ck`.
///
/// Each chain is followed in one step per funnel step, kept when it stops (a LEFT JOIN: `ti` NULL),
/// so that the counts read the last step once: Spark writes a step out at every place it is read.
pub(crate) fn period_count_steps(ctx: &Context, s: &mut Script, grain: Grain, unit: &str) {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    let steps = opts.steps.len();
    let day = d.floor_div("event_time", &DAY_SECONDS.to_string());
    let (what, keyed) = match grain {
        Grain::Day => (
            "its day (days since 1970-01-01)",
            format!("SELECT user_id, step, event_time, {day} AS {unit}\nFROM step_events"),
        ),
        Grain::Week => (
            "its ISO week, by the week's Monday (days since 1970-01-01; 1970-01-01 was a Thursday)",
            format!(
                "SELECT user_id, step, event_time, day - ((day + 3) % 7 + 7) % 7 AS {unit}\n\
                 FROM (SELECT user_id, step, event_time, {day} AS day FROM step_events) e"
            ),
        ),
        Grain::Month => (
            "its calendar month, by the month's first day (days since 1970-01-01)",
            format!(
                "SELECT user_id, step, event_time, day + 1 - dayofmonth({}) AS {unit}\n\
                 FROM (SELECT user_id, step, event_time, {day} AS day FROM step_events) e",
                d.date_of_day("day")
            ),
        ),
    };
    s.step(
        &format!("{unit}_events"),
        &format!(
            "DEFINITIONS §1/§5 trend periods: each step event with {what}, its wall-clock day's period."
        ),
        keyed,
    );
    let events = format!("{unit}_events");
    let counts = format!("funnel_{unit}_counts");
    if opts.mode == FunnelMode::Sequential {
        let within = match opts.window_seconds {
            Some(w) => format!(" AND e.event_time <= r.t1 + {w}"),
            None => String::new(),
        };
        s.step(
            &format!("{unit}_reach_1"),
            &format!(
                "DEFINITIONS §5 sequential, per {unit}: every step-1 event starts a chain (t1) in its {unit}; a user's other\n\
                 step events of a {unit} give a row without a start (t1 NULL), so that each {unit} with a step event is here."
            ),
            format!(
                "SELECT DISTINCT user_id, {unit}, CASE WHEN step = 1 THEN event_time END AS t1\nFROM {events}"
            ),
        );
        for i in 2..=steps {
            let before: Vec<String> = (1..i).map(|j| format!("r.t{j}")).collect();
            s.step(
                &format!("{unit}_reach_{i}"),
                &format!(
                    "Step {i}: the earliest step-{i} event at or after step {}'s, {} and in the same {unit} (none: t{i} NULL).",
                    i - 1,
                    match opts.window_seconds {
                        Some(w) => format!("within the window (t{i} − t1 ≤ {w} s)"),
                        None => "at any later time (unbounded window)".into(),
                    }
                ),
                format!(
                    "SELECT r.user_id, r.{unit}, {b}, min(e.event_time) AS t{i}\nFROM {unit}_reach_{} r LEFT JOIN {events} e\n  \
                     ON e.user_id = r.user_id AND e.{unit} = r.{unit} AND e.step = {i} AND e.event_time >= r.t{}{within}\n\
                     GROUP BY r.user_id, r.{unit}, {b}",
                    i - 1,
                    i - 1,
                    b = before.join(", "),
                ),
            );
        }
        let reached: Vec<String> = (1..=steps)
            .map(|i| format!("count(DISTINCT CASE WHEN t{i} IS NOT NULL THEN user_id END) AS c{i}"))
            .collect();
        s.step(
            &counts,
            &format!(
                "DEFINITIONS §5 trend by {unit}: each {unit} with an event of a step, and per step the users with a chain reaching\n\
                 it in that {unit} (c1 … ck)."
            ),
            format!(
                "SELECT {unit}, {}\nFROM {unit}_reach_{steps}\nGROUP BY {unit}",
                reached.join(",\n  ")
            ),
        );
    } else {
        let distinct: Vec<String> = (1..=steps)
            .map(|i| format!("count(DISTINCT CASE WHEN step = {i} THEN user_id END) AS c{i}"))
            .collect();
        s.step(
            &counts,
            &format!(
                "DEFINITIONS §5 distinct, trend by {unit}: each {unit} with an event of a step, and per step the distinct users\n\
                 with an event of it in that {unit} (c1 … ck)."
            ),
            format!(
                "SELECT {unit}, {}\nFROM {events}\nGROUP BY {unit}",
                distinct.join(",\n  ")
            ),
        );
    }
}

/// The funnel's trend (the report's `trend`), after `funnel::step_steps` and the step `steps`:
/// [`period_count_steps`] by the options' grain, then `funnel_trend_rows`, one row per (period,
/// step): `period` (the engine's label: `2024-03-01`, `2024-W09`, `2024-03`), `position` (the
/// period's order, 1 = oldest), `step`, `users` and `overall_conversion` (the period's last step
/// over its first, the same on each of its rows; NULL when its first is 0).
pub(crate) fn trend_steps(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    let grain = opts.trend_grain;
    let k = opts.steps.len();
    period_count_steps(ctx, s, grain, "period");
    let label = period_labels(d, "c.period")
        .into_iter()
        .find(|(g, _, _)| *g == grain_code(grain))
        .map(|(_, label, _)| label)
        .unwrap_or_default();
    let users: Vec<String> = (1..=k).map(|i| format!("WHEN {i} THEN c.c{i}")).collect();
    let users = format!("CASE s.step {} END", users.join(" "));
    let overall = format!("CAST(c.c{k} AS DOUBLE) / NULLIF(c.c1, 0)");
    s.step(
        "funnel_trend_rows",
        &format!(
            "DEFINITIONS §5 trend by {}: per period (oldest first) and step, the users reaching the step in it; the\n\
             period's overall conversion = its last step / its first.",
            grain_code(grain)
        ),
        format!(
            "SELECT {}\nFROM (SELECT *, row_number() OVER (ORDER BY period) AS position FROM funnel_period_counts) c\n\
             CROSS JOIN steps s",
            funnel_row(
                d,
                "trend",
                &[
                    ("position", "c.position"),
                    ("period", &label),
                    ("step", "s.step"),
                    ("users", &users),
                    ("overall_conversion", &overall),
                ]
            )
        ),
    );
}

/// The options' grain as the report and `kpi::period_labels` name it.
fn grain_code(grain: Grain) -> &'static str {
    match grain {
        Grain::Day => "day",
        Grain::Week => "week",
        Grain::Month => "month",
    }
}

/// The time to convert (the report's `time_to_convert`), after `funnel::count_steps` in sequential
/// mode (its chains `reach_k`: each start's t1 … tk) and the step `steps`: `funnel_times` (per
/// step 2 … k and user reaching it, the fastest ti − t1 over the user's chains),
/// `funnel_time_buckets` (the engine's eight buckets) and `funnel_time_to_convert_rows`, one row per
/// (step, bucket): `step`, `position` (the bucket's index, 1 … 8), `label`, `upper_seconds`
/// (inclusive; NULL for the open bucket), `users` (0 included) and `median_seconds` (the lower
/// middle of the step's times, the same on each of its rows; NULL when no user reaches the step).
/// Distinct mode has no time to convert: nothing is written and `false` returned.
pub(crate) fn time_to_convert_steps(ctx: &Context, s: &mut Script) -> bool {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    if opts.mode != FunnelMode::Sequential {
        return false;
    }
    let k = opts.steps.len();
    let elapsed: Vec<String> = (2..=k)
        .map(|i| format!("WHEN {i} THEN r.t{i} - r.t1"))
        .collect();
    s.step(
        "funnel_times",
        "DEFINITIONS §5 time to convert: per step 2 … k and user reaching it, the fastest ti − t1 (seconds) over the\n\
         user's chains (each start's chain takes its earliest ti).",
        format!(
            "SELECT step, user_id, min(seconds) AS seconds\n\
             FROM (SELECT s.step, r.user_id, CASE s.step {} END AS seconds\n      \
             FROM reach_{k} r CROSS JOIN steps s\n      WHERE s.step > 1) t\n\
             WHERE seconds IS NOT NULL\nGROUP BY step, user_id",
            elapsed.join(" ")
        ),
    );
    let buckets: Vec<String> = TIME_BUCKETS
        .iter()
        .enumerate()
        .map(|(i, (label, upper))| {
            format!(
                "({}, {}, {})",
                i + 1,
                d.string(label),
                upper.map_or("CAST(NULL AS BIGINT)".to_string(), |u| u.to_string())
            )
        })
        .collect();
    s.step(
        "funnel_time_buckets",
        "The time-to-convert buckets: inclusive upper bounds in seconds (the last one open).",
        format!(
            "SELECT * FROM (VALUES {}) AS t(bucket, label, upper_seconds)",
            buckets.join(", ")
        ),
    );
    let arms: Vec<String> = TIME_BUCKETS
        .iter()
        .enumerate()
        .filter_map(|(i, (_, upper))| upper.map(|u| format!("WHEN seconds <= {u} THEN {}", i + 1)))
        .collect();
    // The lower middle of n sorted times is the ⌊(n − 1) / 2⌋-th from 0, the time whose rank r
    // (from 1) has 2r in [n, n + 1].
    s.step(
        "funnel_time_to_convert_rows",
        "Per step 2 … k and bucket, the users whose fastest time falls in it (above the previous bound, up to its own),\n\
         and the step's median: the lower middle of its users' times.",
        format!(
            "SELECT {}\nFROM steps s CROSS JOIN funnel_time_buckets b\n\
             LEFT JOIN (SELECT step, bucket, count(*) AS users,\n             \
             max(CASE WHEN 2 * nth BETWEEN n AND n + 1 THEN seconds END) AS median_seconds\n           \
             FROM (SELECT step, seconds, CASE {} ELSE {} END AS bucket,\n                   \
             row_number() OVER (PARTITION BY step ORDER BY seconds) AS nth,\n                   \
             count(*) OVER (PARTITION BY step) AS n\n                 \
             FROM funnel_times) t\n           \
             GROUP BY step, bucket) c ON c.step = s.step AND c.bucket = b.bucket\n\
             WHERE s.step > 1",
            funnel_row(
                d,
                "time_to_convert",
                &[
                    ("position", "b.bucket"),
                    ("step", "s.step"),
                    ("label", "b.label"),
                    ("upper_seconds", "b.upper_seconds"),
                    ("users", "coalesce(c.users, 0)"),
                    (
                        "median_seconds",
                        "max(c.median_seconds) OVER (PARTITION BY s.step)"
                    ),
                ]
            ),
            arms.join(" "),
            TIME_BUCKETS.len()
        ),
    );
    true
}
