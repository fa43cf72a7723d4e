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

use super::normalize::{event_class, id, key, seconds};
use super::orders::epoch_offset;
use super::read::{read_steps, Roles};
use super::{err, list, Context, Script, SqlError};
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
    let d = ctx.d;
    if ctx.options.ingest.time_zone.is_some() {
        return Err(err(
            "time_zone_not_supported",
            "a report time zone is set; the scripts read every timestamp at its wall clock",
        ));
    }
    let wanted: Vec<Field> = EVENT_FIELDS.iter().chain(fields).copied().collect();
    let mut s = read_steps(ctx, roles, &wanted);
    let name = if roles.has(Field::EventType) {
        "event_type".to_string()
    } else {
        // A log without an event column is a log of views (ingest's IMPLICIT_EVENT).
        d.string(IMPLICIT_EVENT)
    };
    let mut typed = vec![
        format!("{} AS user_id", id(d, "user_id")),
        format!("{name} AS event_name"),
        format!(
            "{} AS event_time",
            seconds(d, "event_time", epoch_offset(ctx))
        ),
    ];
    typed.extend(extra.iter().cloned());
    s.step(
        "events",
        "DEFINITIONS §5 events: (user, event name, time); every name is kept. Rows without a user, a name or a\n\
         time are not events (ingest rejects them).",
        format!(
            "SELECT * FROM (\n  SELECT shoplens_line,\n{}\n  FROM cells\n) e\nWHERE user_id IS NOT NULL AND event_name IS NOT NULL AND event_time IS NOT NULL",
            list(&typed, "    ")
        ),
    );
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
    Ok(s)
}

pub(crate) fn funnel(ctx: &Context) -> Result<Script, SqlError> {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    opts.validate()
        .map_err(|e| err("invalid_funnel", e.to_string()))?;
    let roles = Roles::of(ctx);
    let mut s = event_steps(ctx, &roles, &[], &[])?;
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
    let step_names: Vec<String> = opts
        .steps
        .iter()
        .map(|spec| match spec {
            StepSpec::Canonical(t) => t.code().to_string(),
            StepSpec::Names(names) => names.join(" | "),
        })
        .collect();
    s.step(
        "name_meanings",
        "Each name's meaning (view, fav, cart, remove_from_cart, checkout, purchase; NULL for other names).",
        format!(
            "SELECT n.*, CASE n.event_class{meaning_arms}\n  END AS meaning\nFROM event_names n CROSS JOIN log_has_product_views v"
        ),
    );
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
    let steps = opts.steps.len();
    let mut reached = Vec::new();
    if sequential {
        let within = |t1: &str| match opts.window_seconds {
            Some(w) => format!(" AND e.event_time <= {t1} + {w}"),
            None => String::new(),
        };
        s.step(
            "reach_1",
            "DEFINITIONS §5 sequential: every step-1 event starts a chain (t1).",
            "SELECT DISTINCT user_id, event_time AS t1, event_time AS t\nFROM step_events\nWHERE step = 1".into(),
        );
        for i in 2..=steps {
            s.step(
                &format!("reach_{i}"),
                &format!(
                    "Step {i}: the earliest step-{i} event at or after step {}'s, {}.",
                    i - 1,
                    match opts.window_seconds {
                        Some(w) => format!("within the window (t{i} − t1 ≤ {w} s)"),
                        None => "at any later time (unbounded window)".into(),
                    }
                ),
                format!(
                    "SELECT r.user_id, r.t1, min(e.event_time) AS t\nFROM reach_{} r JOIN step_events e\n  ON e.user_id = r.user_id AND e.step = {i} AND e.event_time >= r.t{}\nGROUP BY r.user_id, r.t1",
                    i - 1,
                    within("r.t1")
                ),
            );
        }
        for i in 1..=steps {
            reached.push(format!(
                "SELECT {i} AS step, count(DISTINCT user_id) AS users FROM reach_{i}"
            ));
        }
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
    s.select = "-- DEFINITIONS §5 per step: users, conversion from the previous step and overall, drop-off.\n\
        SELECT s.step, s.label, c.users AS count,\n  \
        CAST(c.users AS DOUBLE) / NULLIF(lag(c.users) OVER (ORDER BY s.step), 0) AS conversion_from_previous,\n  \
        CAST(c.users AS DOUBLE) / NULLIF(first_value(c.users) OVER (ORDER BY s.step), 0) AS overall_conversion,\n  \
        coalesce(lag(c.users) OVER (ORDER BY s.step) - c.users, 0) AS drop_off\n\
        FROM steps s JOIN step_counts c ON c.step = s.step\nORDER BY s.step"
        .into();
    Ok(s)
}
