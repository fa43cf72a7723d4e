//! §5 funnels over a behaviour log: every event name put in its step by the engine's own
//! vocabulary (`schema::value::event_name_table`, `EventClass::meaning`), then per step the users
//! reaching it — distinct, or sequential within the conversion window — as `analysis::funnel`
//! counts them.
//!
//! Sequential mode: from every step-1 event t1 of a user, each later step takes the user's earliest
//! event of that step at or after the previous step's time and within t1 + W (the engine's greedy
//! chain, which reaches every step any chain from t1 reaches); a user reaches step i when a start
//! does. For a log where every user has a handful of events per step this is a join per step; a
//! user with very many step-1 and step-2 events costs their product.
//!
//! The script writes the engine's whole funnel report, one row shape ([`FUNNEL_COLUMNS`]): `step`
//! (the steps' users, conversion and drop-off), `time_to_convert` (sequential mode: per step 2 … k
//! the users per time bucket and the median) and `trend` (the funnel per period of the trend
//! grain) from `funnel_trend`; `breakdown` (by category, brand or item, with its "other" row) and
//! `item` (the per-item funnels and item conversion) from `funnel_groups`; `event_name` (every name
//! of the log, its meaning and step) and `users`. A 生意参谋 traffic export in place of a log is
//! `funnel_traffic`'s.
//!
//! The action list (§11 fix a funnel step) reads the same steps ([`step_steps`]) and counts them
//! per day (`funnel_trend::period_count_steps` by day): the funnel's daily trend. Several behaviour
//! logs loaded together are read as one log ([`union_event_steps`]), as the engine concatenates
//! their events.

use super::funnel_groups;
use super::funnel_trend::{time_to_convert_steps, trend_steps};
use super::normalize::{event_class, id, key, seconds};
use super::orders::epoch_offset;
use super::read::{read_steps, Roles};
use super::{err, list, Context, Dialect, Script, SqlError};
use crate::analysis::funnel::{FunnelMode, StepSpec};
use crate::ingest::IMPLICIT_EVENT;
use crate::model::{EventClass, EventType};
use crate::schema::field::Field;
use crate::schema::value::event_name_key;

const EVENT_FIELDS: &[Field] = &[Field::UserId, Field::EventType, Field::EventTime];

/// The code of an event class in the scripts (as `normalize::event_class` writes it).
fn class_code(class: EventClass) -> &'static str {
    match class {
        EventClass::ProductView => "product_view",
        EventClass::PageView => "page_view",
        EventClass::Fav => "fav",
        EventClass::Cart => "cart",
        EventClass::RemoveFromCart => "remove_from_cart",
        EventClass::Checkout => "checkout",
        EventClass::Purchase => "purchase",
        EventClass::Other => "other",
    }
}

const CLASSES: [EventClass; 8] = [
    EventClass::ProductView,
    EventClass::PageView,
    EventClass::Fav,
    EventClass::Cart,
    EventClass::RemoveFromCart,
    EventClass::Checkout,
    EventClass::Purchase,
    EventClass::Other,
];

/// The steps every behaviour-log script begins with (DEFINITIONS §5): the export read
/// ([`read_steps`]) with the user, event name and time and `fields` besides; `events`, the rows
/// ingest keeps as events, with `user_id`, `event_name`, `event_time` (wall-clock seconds) and the
/// `extra` columns (expressions over `cells`, each with its `AS` name); and `event_names`, each
/// name present with its class by the engine's vocabulary and its lookup key.
pub(crate) fn event_steps(
    ctx: &Context,
    roles: &Roles,
    fields: &[Field],
    extra: &[String],
) -> Result<Script, SqlError> {
    let mut s = log_event_steps(ctx, roles, fields, extra, "events")?;
    event_name_steps(ctx, &mut s);
    Ok(s)
}

/// [`event_steps`] over several behaviour logs read as one, as the engine reads them (it
/// concatenates their events: a user id is one user across the logs): each log read by its own
/// mapping under its context's prefix, its events in `<prefix>events`, then `events`, their union
/// in load order (the same columns), and `event_names` over it. One log: [`event_steps`]'s steps,
/// under its prefix.
pub(crate) fn union_event_steps(logs: &[Context]) -> Result<Script, SqlError> {
    union_event_steps_with(logs, |_, _| (Vec::new(), Vec::new()), &[])
}

/// [`union_event_steps`] with columns besides the event's: `columns` gives, for each log and its
/// roles, the `fields` it reads and the `extra` expressions it selects (as [`event_steps`] takes
/// them, in that log's own columns); `carried` names those extra columns, kept in the union.
pub(crate) fn union_event_steps_with(
    logs: &[Context],
    columns: impl Fn(&Context, &Roles) -> (Vec<Field>, Vec<String>),
    carried: &[&str],
) -> Result<Script, SqlError> {
    let Some(first) = logs.first() else {
        return Err(err("no_events", "no behaviour log to read"));
    };
    if let [one] = logs {
        let roles = Roles::of(one);
        let (fields, extra) = columns(one, &roles);
        return event_steps(one, &roles, &fields, &extra);
    }
    let kept: String = carried.iter().map(|c| format!(", {c}")).collect();
    let mut s = Script::default();
    let mut parts = Vec::new();
    for log in logs {
        let name = format!("{}events", log.prefix);
        let roles = Roles::of(log);
        let (fields, extra) = columns(log, &roles);
        let read = log_event_steps(log, &roles, &fields, &extra, &name)?;
        s.notes.extend(read.notes);
        s.prelude.extend(read.prelude);
        s.ctes.extend(read.ctes);
        parts.push(format!(
            "SELECT shoplens_line, user_id, event_name, event_time{kept} FROM {name}"
        ));
    }
    s.step(
        "events",
        &format!(
            "DEFINITIONS §5: the {} behaviour logs read as one log (the engine concatenates their events, in load\n\
             order; a user id is the same user in every log).",
            logs.len()
        ),
        parts.join("\nUNION ALL\n"),
    );
    event_name_steps(first, &mut s);
    Ok(s)
}

/// The export read and its events in the step `name` (see [`event_steps`]).
fn log_event_steps(
    ctx: &Context,
    roles: &Roles,
    fields: &[Field],
    extra: &[String],
    name: &str,
) -> Result<Script, SqlError> {
    let d = ctx.d;
    if ctx.options.ingest.time_zone.is_some() {
        return Err(err(
            "time_zone_not_supported",
            "a report time zone is set; the scripts read every timestamp at its wall clock",
        ));
    }
    let wanted: Vec<Field> = EVENT_FIELDS.iter().chain(fields).copied().collect();
    let mut s = read_steps(ctx, roles, &wanted);
    let event = if roles.has(Field::EventType) {
        "event_type".to_string()
    } else {
        // A log without an event column is a log of views (ingest's IMPLICIT_EVENT).
        d.string(IMPLICIT_EVENT)
    };
    let mut typed = vec![
        format!("{} AS user_id", id(d, "user_id")),
        format!("{event} AS event_name"),
        format!(
            "{} AS event_time",
            seconds(d, "event_time", epoch_offset(ctx))
        ),
    ];
    typed.extend(extra.iter().cloned());
    s.step(
        name,
        &format!(
            "DEFINITIONS §5 events{}: (user, event name, time); every name is kept. Rows without a user, a name or a\n\
             time are not events (ingest rejects them).",
            if name == "events" {
                String::new()
            } else {
                format!(" of {}", ctx.load.file)
            }
        ),
        format!(
            "SELECT * FROM (\n  SELECT shoplens_line,\n{}\n  FROM {}cells\n) e\nWHERE user_id IS NOT NULL AND event_name IS NOT NULL AND event_time IS NOT NULL",
            list(&typed, "    "),
            ctx.prefix
        ),
    );
    Ok(s)
}

/// `event_names` after `events`: each name present with its class and lookup key.
fn event_name_steps(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    s.step(
        "event_names",
        "Each name's class by the engine's vocabulary (pv/view/product_view/view_item/浏览 … → product view,\n\
         page_view/screen_view → page view; cart/add_to_cart/Product Added/加购 → cart; buy/purchase/支付 → purchase …).",
        format!(
            "SELECT event_name, {} AS event_class, {} AS name_key\nFROM (SELECT DISTINCT event_name FROM events) n",
            event_class(d, "event_name"),
            key(d, "event_name")
        ),
    );
}

pub(crate) fn funnel(ctx: &Context) -> Result<Script, SqlError> {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    opts.validate()
        .map_err(|e| err("invalid_funnel", e.to_string()))?;
    let roles = Roles::of(ctx);
    let (fields, extra) = funnel_groups::event_columns(ctx, &roles);
    let mut s = event_steps(ctx, &roles, &fields, &extra)?;
    let sequential = opts.mode == FunnelMode::Sequential;
    s.title = format!(
        "funnel, {} (DEFINITIONS §5)",
        if sequential {
            match opts.window_seconds {
                Some(w) => format!("sequential within {w} s"),
                None => "sequential, unbounded window".into(),
            }
        } else {
            "distinct users per step".into()
        }
    );
    let step_names = step_steps(ctx, &mut s);
    count_steps(ctx, &mut s);
    let labels: Vec<String> = step_names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("({}, {})", i + 1, d.string(n)))
        .collect();
    s.step(
        "steps",
        "The funnel's steps as the options give them.",
        format!(
            "SELECT * FROM (VALUES {}) AS t(step, label)",
            labels.join(", ")
        ),
    );
    s.step(
        "funnel_step_rows",
        "DEFINITIONS §5 per step: users, conversion from the previous step and overall, drop-off.",
        format!(
            "SELECT {}\nFROM steps s JOIN step_counts c ON c.step = s.step",
            funnel_row(
                d,
                "step",
                &[
                    ("position", "s.step"),
                    ("step", "s.step"),
                    ("label", "s.label"),
                    ("users", "c.users"),
                    (
                        "conversion_from_previous",
                        "CAST(c.users AS DOUBLE) / NULLIF(lag(c.users) OVER (ORDER BY s.step), 0)",
                    ),
                    (
                        "overall_conversion",
                        "CAST(c.users AS DOUBLE) / NULLIF(first_value(c.users) OVER (ORDER BY s.step), 0)",
                    ),
                    ("drop_off", "coalesce(lag(c.users) OVER (ORDER BY s.step) - c.users, 0)"),
                ]
            )
        ),
    );
    let mut parts = vec!["step"];
    if time_to_convert_steps(ctx, &mut s) {
        parts.push("time_to_convert");
    }
    trend_steps(ctx, &mut s);
    parts.push("trend");
    parts.extend(funnel_groups::group_steps(ctx, &mut s));
    name_rows(d, &mut s);
    parts.extend(["event_name", "users"]);
    s.select = funnel_select(&parts);
    Ok(s)
}

/// Every row the funnel script returns has these columns (name, type; `TEXT` is the dialect's text
/// type), whatever its `part`: a part's rows fill the columns that apply to it, the others are NULL.
/// - `step`: one row per step: `step`, `label`, `users`, `conversion_from_previous`,
///   `overall_conversion`, `drop_off` (the report's `steps`).
/// - `time_to_convert` (sequential mode): one row per step 2 … k and bucket: `step`, `position`
///   (the bucket's index, 1 … 8), `label` (`≤1m` … `>7d`), `upper_seconds` (inclusive; NULL for
///   the open bucket), `users`, `median_seconds` (the step's, on each of its rows; NULL when no
///   user reaches it) (the report's `time_to_convert`).
/// - `trend`: one row per period and step: `period` (its label), `position` (the period's order,
///   1 = oldest), `step`, `users`, `overall_conversion` (the period's, on each of its rows) (the
///   report's `trend`).
///
/// - `event_name`: one row per event name of the log, most events first (ties by name): `grp` (the
///   name), `events`, `users`, `label` (its meaning: `view`, `cart` …; NULL for another name), `step`
///   (the step it is in, from 1; NULL for none).
/// - `users`: one row: `users`, the distinct users with any event.
/// - `breakdown`: one row per (breakdown row, step) (`funnel_groups`): `kind` (`group`, `missing`,
///   `other`), `grp` (the category / brand / item; NULL for `missing` and `other`), `title`,
///   `groups` (1, or the groups `other` adds up), `step`, `users`, `overall_conversion` (the row's
///   last step / first) (the report's `breakdown`).
/// - `item`: one row per (item, step) (`funnel_groups`): `grp` (the item key), `title`, `step`,
///   `users`, `overall_conversion`, `item_conversion` (the report's `items`).
///
/// `position` orders a part's rows (a step's index, a group's rank, a period's order).
pub(crate) const FUNNEL_COLUMNS: &[(&str, &str)] = &[
    ("position", "BIGINT"),
    ("period", "TEXT"),
    ("kind", "TEXT"),
    ("grp", "TEXT"),
    ("title", "TEXT"),
    ("groups", "BIGINT"),
    ("step", "BIGINT"),
    ("label", "TEXT"),
    ("users", "BIGINT"),
    ("events", "BIGINT"),
    ("conversion_from_previous", "DOUBLE"),
    ("overall_conversion", "DOUBLE"),
    ("drop_off", "BIGINT"),
    ("median_seconds", "BIGINT"),
    ("upper_seconds", "BIGINT"),
    ("item_conversion", "DOUBLE"),
];

/// The parts of the funnel script's output, in the order its rows come.
const FUNNEL_PARTS: &[&str] = &[
    "step",
    "time_to_convert",
    "breakdown",
    "trend",
    "item",
    "event_name",
    "users",
];

/// The SELECT list of a row of the funnel's `part` ([`FUNNEL_COLUMNS`]): `part`, then each column
/// from `values` (column, expression), every other column a typed NULL.
pub(crate) fn funnel_row(d: Dialect, part: &str, values: &[(&str, &str)]) -> String {
    debug_assert!(FUNNEL_PARTS.contains(&part), "unknown funnel part {part}");
    debug_assert!(values
        .iter()
        .all(|(c, _)| FUNNEL_COLUMNS.iter().any(|(n, _)| n == c)));
    let mut cols = vec![format!("{} AS part", d.string(part))];
    for (name, ty) in FUNNEL_COLUMNS {
        let ty = if *ty == "TEXT" { d.text_type() } else { ty };
        cols.push(match values.iter().find(|(c, _)| c == name) {
            Some((_, expr)) => format!("CAST({expr} AS {ty}) AS {name}"),
            None => format!("CAST(NULL AS {ty}) AS {name}"),
        });
    }
    cols.join(",\n  ")
}

/// The script's result: the rows of every part written (each in a step `funnel_<part>_rows`), parts
/// in [`FUNNEL_PARTS`] order, then by `position` and step.
pub(crate) fn funnel_select(parts: &[&str]) -> String {
    let order: Vec<String> = FUNNEL_PARTS
        .iter()
        .enumerate()
        .map(|(i, p)| format!("WHEN '{p}' THEN {}", i + 1))
        .collect();
    format!(
        "-- DEFINITIONS §5: the funnel's parts ({}), one row shape.\nSELECT * FROM (\n{}\n) r\nORDER BY CASE part {} END, position, step",
        parts.join(", "),
        parts
            .iter()
            .map(|p| format!("  SELECT * FROM funnel_{p}_rows"))
            .collect::<Vec<_>>()
            .join("\n  UNION ALL\n"),
        order.join(" ")
    )
}

/// The parts `event_name` (every name of the log with its events, users, meaning and step, most
/// events first, ties by name: the report's `event_names`) and `users` (users with any event), after
/// [`step_steps`].
fn name_rows(d: Dialect, s: &mut Script) {
    s.step(
        "name_counts",
        "DEFINITIONS §5: the report lists every event name present, with its events and distinct users.",
        "SELECT event_name, count(*) AS events, count(DISTINCT user_id) AS users\nFROM events\nGROUP BY event_name"
            .into(),
    );
    s.step(
        "funnel_event_name_rows",
        "Each name with its meaning (NULL: another name) and the step it is in (NULL: none), most events first.",
        format!(
            "SELECT {}\nFROM name_counts c JOIN name_meanings m ON m.event_name = c.event_name\n  \
             JOIN name_steps n ON n.event_name = c.event_name",
            funnel_row(
                d,
                "event_name",
                &[
                    ("position", "row_number() OVER (ORDER BY c.events DESC, c.event_name)"),
                    ("grp", "c.event_name"),
                    ("label", "m.meaning"),
                    ("step", "n.step"),
                    ("events", "c.events"),
                    ("users", "c.users"),
                ]
            )
        ),
    );
    s.step(
        "funnel_users_rows",
        "Users with any event, whatever its name.",
        format!(
            "SELECT {}\nFROM events",
            funnel_row(
                d,
                "users",
                &[("position", "1"), ("users", "count(DISTINCT user_id)")]
            )
        ),
    );
}

/// The steps after [`event_steps`] that give each event name its meaning (DEFINITIONS §5), whatever
/// the funnel's steps: `log_has_product_views` and `name_meanings` (`event_name`, `event_class`,
/// `name_key`, `meaning`: the code of a view, fav, cart, remove_from_cart, checkout or purchase,
/// NULL for other names), as `analysis::funnel`'s `event_meanings`. Read by [`step_steps`] and by
/// the products scorecard's item conversion.
pub(crate) fn meaning_steps(s: &mut Script) {
    s.step(
        "log_has_product_views",
        "DEFINITIONS §5: a generic page view is the view step only in a log without product views.",
        "SELECT count(*) > 0 AS product_views FROM event_names WHERE event_class = 'product_view'"
            .into(),
    );
    // What each class means, from `EventClass::meaning`, with and without product views.
    let mut meaning_arms = String::new();
    for class in CLASSES {
        let (with, without) = (class.meaning(true), class.meaning(false));
        let code =
            |m: Option<EventType>| m.map_or("NULL".to_string(), |t| format!("'{}'", t.code()));
        let value = if with == without {
            code(with)
        } else {
            format!(
                "CASE WHEN v.product_views THEN {} ELSE {} END",
                code(with),
                code(without)
            )
        };
        meaning_arms.push_str(&format!(
            "\n       WHEN '{}' THEN {value}",
            class_code(class)
        ));
    }
    s.step(
        "name_meanings",
        "Each name's meaning (view, fav, cart, remove_from_cart, checkout, purchase; NULL for other names).",
        format!(
            "SELECT n.*, CASE n.event_class{meaning_arms}\n  END AS meaning\nFROM event_names n CROSS JOIN log_has_product_views v"
        ),
    );
}

/// The steps after [`event_steps`] that put the log's events in the funnel's steps (DEFINITIONS §5,
/// the report's funnel options): `log_has_product_views`, `name_meanings`, `name_steps` and
/// `step_events` (user, step, time). Returns the steps' labels as the options give them (a step of
/// names: its names joined by ` | `). The options must be valid ([`FunnelOptions::validate`]).
///
/// [`FunnelOptions::validate`]: crate::analysis::funnel::FunnelOptions::validate
pub(crate) fn step_steps(ctx: &Context, s: &mut Script) -> Vec<String> {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    meaning_steps(s);
    let step_names: Vec<String> = opts
        .steps
        .iter()
        .map(|spec| match spec {
            StepSpec::Canonical(t) => t.code().to_string(),
            StepSpec::Names(names) => names.join(" | "),
        })
        .collect();
    // A name goes in the step that means it, else in the step that lists it.
    let canonical: Vec<String> = opts
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| match spec {
            StepSpec::Canonical(t) => Some(format!("WHEN meaning = '{}' THEN {}", t.code(), i + 1)),
            StepSpec::Names(_) => None,
        })
        .collect();
    let listed: Vec<String> = opts
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| match spec {
            StepSpec::Names(names) => Some(format!(
                "WHEN name_key IN ({}) THEN {}",
                names
                    .iter()
                    .map(|x| d.string(&event_name_key(x)))
                    .collect::<Vec<_>>()
                    .join(", "),
                i + 1
            )),
            StepSpec::Canonical(_) => None,
        })
        .collect();
    let arms: Vec<String> = canonical.into_iter().chain(listed).collect();
    s.step(
        "name_steps",
        &format!(
            "DEFINITIONS §5 steps: {}. A name is in the step that means it, else in the step that lists it.",
            step_names.join(" → ")
        ),
        format!(
            "SELECT event_name, CASE {} END AS step\nFROM name_meanings",
            arms.join("\n       ")
        ),
    );
    s.step(
        "step_events",
        "Each user's events of a step, by time.",
        "SELECT DISTINCT e.user_id, n.step, e.event_time\nFROM events e JOIN name_steps n ON n.event_name = e.event_name\nWHERE n.step IS NOT NULL"
            .into(),
    );
    step_names
}

/// The counting steps after [`step_steps`], in the report's mode: `step_counts` (step, users).
/// Sequential mode: the chains first, `reach_1` … `reach_k`, one row per user and start t1 with
/// each step's time `t1` … `tk` (NULL from the step the chain stops at: a LEFT JOIN), so that the
/// counts and the time to convert each read the last step once (Spark writes a step out at every
/// place it is read).
pub(crate) fn count_steps(ctx: &Context, s: &mut Script) {
    let opts = &ctx.options.funnel;
    let sequential = opts.mode == FunnelMode::Sequential;
    let steps = opts.steps.len();
    let mut reached = Vec::new();
    if sequential {
        let within = match opts.window_seconds {
            Some(w) => format!(" AND e.event_time <= r.t1 + {w}"),
            None => String::new(),
        };
        s.step(
            "reach_1",
            "DEFINITIONS §5 sequential: every step-1 event starts a chain (t1).",
            "SELECT DISTINCT user_id, event_time AS t1\nFROM step_events\nWHERE step = 1".into(),
        );
        for i in 2..=steps {
            let before: Vec<String> = (1..i).map(|j| format!("r.t{j}")).collect();
            s.step(
                &format!("reach_{i}"),
                &format!(
                    "Step {i}: the earliest step-{i} event at or after step {}'s, {} (none: t{i} NULL).",
                    i - 1,
                    match opts.window_seconds {
                        Some(w) => format!("within the window (t{i} − t1 ≤ {w} s)"),
                        None => "at any later time (unbounded window)".into(),
                    }
                ),
                format!(
                    "SELECT r.user_id, {b}, min(e.event_time) AS t{i}\nFROM reach_{} r LEFT JOIN step_events e\n  \
                     ON e.user_id = r.user_id AND e.step = {i} AND e.event_time >= r.t{}{within}\nGROUP BY r.user_id, {b}",
                    i - 1,
                    i - 1,
                    b = before.join(", "),
                ),
            );
        }
        let counts: Vec<String> = (1..=steps)
            .map(|i| {
                if i == 1 {
                    "count(DISTINCT user_id) AS c1".to_string()
                } else {
                    format!("count(DISTINCT CASE WHEN t{i} IS NOT NULL THEN user_id END) AS c{i}")
                }
            })
            .collect();
        let pick: Vec<String> = (1..=steps)
            .map(|i| format!("WHEN {i} THEN c.c{i}"))
            .collect();
        let numbers: Vec<String> = (1..=steps).map(|i| format!("({i})")).collect();
        reached.push(format!(
            "SELECT s.step, CASE s.step {} END AS users\nFROM (SELECT {}\n      FROM reach_{steps}) c\n\
             CROSS JOIN (VALUES {}) AS s(step)",
            pick.join(" "),
            counts.join(",\n        "),
            numbers.join(", ")
        ));
    } else {
        for i in 1..=steps {
            reached.push(format!(
                "SELECT {i} AS step, count(DISTINCT user_id) AS users FROM step_events WHERE step = {i}"
            ));
        }
    }
    s.step(
        "step_counts",
        if sequential {
            "count(i) = users with a chain reaching step i."
        } else {
            "DEFINITIONS §5 distinct: count(i) = distinct users with ≥ 1 event of step i."
        },
        reached.join("\nUNION ALL\n"),
    );
}
