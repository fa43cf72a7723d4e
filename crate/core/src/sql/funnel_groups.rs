//! §5 sub-funnels of the funnel script: the breakdown (part `breakdown`) and the per-item funnels
//! (part `item`), as `analysis::funnel` tallies them (`events.rs`, `pass.rs`, `group_tallies.rs`,
//! `item_users.rs`, `category_names.rs`).
//!
//! A subject is a (user, group) pair: the group is the event's own category, brand or item (the
//! option `funnel.breakdown`), and the pair's funnel is the report's funnel (mode, window) run on
//! that user's events of that group only. The events lacking the attribute form the missing group
//! (breakdown only; the item list never lists it). A group is present when it has a subject — a
//! user with an event of some step in it, step 1 or not.
//!
//! - **breakdown**: the `top_n` present groups by step-1 count, ties by name (binary order, as the
//!   engine compares strings), the missing group after the named ones of its count; then one
//!   `other` row adding up the counts of the rest (`groups` = how many), when there are any.
//! - **item**: the `item_limit` items by step-1 count, ties by item key, each with its item
//!   conversion (distinct buyers / distinct viewers of the item, whatever the steps: the products
//!   scorecard's `item_conversions` step).
//!
//! An event's item is read as ingest reads it (product id, else SKU: `products::log_item`), its
//! category and brand as written (trimmed, placeholders blank).
//!
//! Titles: a behaviour log gives no product titles. An item is titled by the files loaded beside
//! the log, as the engine keeps a product's first title: the product lists, order exports and item
//! traffic exports with a title column, in load order, each in row order (`item_titles`); without
//! one its `title` is NULL. A category breakdown titles a numeric category id (Tianchi's
//! `category_id`) by the name the id's items carry, as `category_names.rs` does: an item's category
//! is the first one the log writes beside it; an id takes the named (non-numeric) category of most
//! of its events' items, ties by the category first seen in the log. What the script does not do:
//! a row the engine rejects (an order row without an order id, a list row with an unreadable cost)
//! still gives its title here, and the category names a product list loaded beside the log gives
//! its items are not read (the script titles ids from the log's own names only).

use super::normalize::id;
use super::products::{item_conversion_step, log_item};
use super::read::Roles;
use super::stock::{has_role, list_cells};
use super::{Context, Script};
use crate::analysis::funnel::{Breakdown, FunnelMode};
use crate::model::DatasetKind;
use crate::schema::field::Field;

use super::funnel::funnel_row;

/// The attribute column a breakdown groups by (`None`: no breakdown rows).
fn breakdown_column(b: Breakdown) -> Option<&'static str> {
    match b {
        Breakdown::None => None,
        Breakdown::Category => Some("category"),
        Breakdown::Brand => Some("brand"),
        Breakdown::Item => Some("item"),
    }
}

/// The columns the funnel script's `events` carry for the sub-funnels (as [`super::funnel`]'s
/// `event_steps` takes them: fields read, expressions with their names): `item` when the item list
/// or an item breakdown needs it, `category` for a category breakdown (and with it `item`, whose
/// categories name numeric ids), `brand` for a brand breakdown. A column the log does not map is
/// NULL.
pub(crate) fn event_columns(ctx: &Context, roles: &Roles) -> (Vec<Field>, Vec<String>) {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    let mut fields = Vec::new();
    let mut extra = Vec::new();
    let needs_item =
        opts.item_limit > 0 || matches!(opts.breakdown, Breakdown::Item | Breakdown::Category);
    if needs_item {
        let (ids, item) = log_item(d, roles);
        fields.extend(ids);
        extra.push(format!("{item} AS item"));
    }
    for (b, field) in [
        (Breakdown::Category, Field::Category),
        (Breakdown::Brand, Field::Brand),
    ] {
        if opts.breakdown != b {
            continue;
        }
        if roles.has(field) {
            fields.push(field);
            extra.push(format!("{0} AS {0}", field.code()));
        } else {
            extra.push(format!(
                "CAST(NULL AS {}) AS {}",
                d.text_type(),
                field.code()
            ));
        }
    }
    (fields, extra)
}

/// The steps of the parts `breakdown` and `item` after `steps` and [`super::funnel`]'s
/// `step_steps` (`name_steps`, `name_meanings`), ending with `funnel_breakdown_rows` and
/// `funnel_item_rows`; returns the parts written (none for `breakdown: none` and `item_limit: 0`).
pub(crate) fn group_steps(ctx: &Context, s: &mut Script) -> Vec<&'static str> {
    let d = ctx.d;
    let opts = &ctx.options.funnel;
    let k = opts.steps.len();
    let breakdown = breakdown_column(opts.breakdown);
    let items = opts.item_limit > 0;
    if breakdown.is_none() && !items {
        return Vec::new();
    }
    // The item list reads the item breakdown's tallies (without its missing group) when there is one.
    let item_dim = if opts.breakdown == Breakdown::Item {
        "breakdown"
    } else {
        "item"
    };
    let mut dims: Vec<(&str, &str)> = Vec::new();
    if let Some(column) = breakdown {
        dims.push(("breakdown", column));
    }
    if items && item_dim == "item" {
        dims.push(("item", "item"));
    }
    let body = match dims.as_slice() {
        [(dim, column)] => format!(
            "SELECT DISTINCT '{dim}' AS dim, e.user_id, e.{column} AS grp, n.step, e.event_time\n\
             FROM events e JOIN name_steps n ON n.event_name = e.event_name\n\
             WHERE n.step IS NOT NULL{}",
            if *dim == "item" {
                " AND e.item IS NOT NULL"
            } else {
                ""
            }
        ),
        _ => format!(
            "SELECT DISTINCT g.dim, e.user_id, CASE g.dim {} END AS grp, n.step, e.event_time\n\
             FROM events e JOIN name_steps n ON n.event_name = e.event_name\n  \
             CROSS JOIN (VALUES {}) AS g(dim)\n\
             WHERE n.step IS NOT NULL AND (g.dim = 'breakdown' OR e.item IS NOT NULL)",
            dims.iter()
                .map(|(dim, column)| format!("WHEN '{dim}' THEN e.{column}"))
                .collect::<Vec<_>>()
                .join(" "),
            dims.iter()
                .map(|(dim, _)| format!("('{dim}')"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    s.step(
        "group_step_events",
        &format!(
            "DEFINITIONS §5 sub-funnels: each step event in its group ({}), a subject being a (user, group) pair.\n\
             grp NULL: the events without the attribute (the breakdown's missing group; the item list has none).",
            dims.iter()
                .map(|(dim, column)| format!("{dim}: the event's {column}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        body,
    );
    tally_steps(ctx, s, k);
    // One read of the tallies: a group's rank among its dimension's groups (the breakdown's), and
    // among its dimension's named groups (the item list's).
    s.step(
        "group_ranks",
        "Each dimension's groups by step-1 count, ties by name: `position` with the missing group after the named ones\n\
         of its count (the breakdown), `named_position` among the named groups (the item list).",
        "SELECT t.*,\n  \
         row_number() OVER (PARTITION BY t.dim ORDER BY t.c1 DESC, t.grp IS NULL, t.grp) AS position,\n  \
         row_number() OVER (PARTITION BY t.dim, t.grp IS NULL ORDER BY t.c1 DESC, t.grp) AS named_position\n\
         FROM group_tallies t"
            .into(),
    );
    let users = format!(
        "CASE s.step {} END",
        (1..=k)
            .map(|i| format!("WHEN {i} THEN g.c{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let overall = format!("CAST(g.c{k} AS DOUBLE) / NULLIF(g.c1, 0)");
    let counts: Vec<String> = (1..=k).map(|i| format!("c{i}")).collect();
    // A log has fewer groups than events (u32-indexed): larger limits are the same as this one, and
    // it stays a literal both dialects read as BIGINT.
    let limit = |n: usize| n.min(u32::MAX as usize);
    // Items are titled by the files loaded beside the log, where they give titles.
    let item_titles = (items || opts.breakdown == Breakdown::Item) && item_title_steps(ctx, s);
    let mut parts = Vec::new();
    if let Some(column) = breakdown {
        let n = limit(opts.top_n);
        // One read of the ranks: the top groups each their own row, the rest one row.
        let row = format!("least(position, {})", n + 1);
        s.step(
            "breakdown_groups",
            &format!(
                "DEFINITIONS §5 breakdown by {column}: the top {n} groups, then `other` adding up the rest's counts\n\
                 ((user, group) pairs) with the number of its groups."
            ),
            format!(
                "SELECT {row} AS position,\n  \
                 CASE WHEN min(position) > {n} THEN 'other' WHEN max(grp) IS NULL THEN 'missing' ELSE 'group' END AS kind,\n  \
                 CASE WHEN min(position) <= {n} THEN max(grp) END AS grp, count(*) AS groups,\n  {}\n\
                 FROM group_ranks\nWHERE dim = 'breakdown'\nGROUP BY {row}",
                counts
                    .iter()
                    .map(|c| format!("sum({c}) AS {c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        let titled = match opts.breakdown {
            Breakdown::Category => {
                category_title_steps(ctx, s);
                Some("\n  LEFT JOIN category_titles t ON t.category = g.grp")
            }
            Breakdown::Item if item_titles => Some("\n  LEFT JOIN item_titles t ON t.item = g.grp"),
            _ => None,
        };
        let title = if titled.is_some() { "t.title" } else { "NULL" };
        s.step(
            "funnel_breakdown_rows",
            "DEFINITIONS §5 breakdown per (row, step): users reaching the step within the group, the row's overall\n\
             conversion (last step / first).",
            format!(
                "SELECT {}\nFROM breakdown_groups g CROSS JOIN steps s{}",
                funnel_row(
                    d,
                    "breakdown",
                    &[
                        ("position", "g.position"),
                        ("kind", "g.kind"),
                        ("grp", "g.grp"),
                        ("title", title),
                        ("groups", "g.groups"),
                        ("step", "s.step"),
                        ("users", &users),
                        ("overall_conversion", &overall),
                    ]
                ),
                titled.unwrap_or("")
            ),
        );
        parts.push("breakdown");
    }
    if items {
        item_conversion_step(s);
        s.step(
            "funnel_item_rows",
            &format!(
                "DEFINITIONS §5 per-item funnels: the top {} items per step, their overall conversion and item conversion.",
                limit(opts.item_limit)
            ),
            format!(
                "SELECT {}\nFROM group_ranks g CROSS JOIN steps s\n  \
                 LEFT JOIN item_conversions c ON c.product_key = g.grp{}\n\
                 WHERE g.dim = '{item_dim}' AND g.grp IS NOT NULL AND g.named_position <= {}",
                funnel_row(
                    d,
                    "item",
                    &[
                        ("position", "g.named_position"),
                        ("grp", "g.grp"),
                        ("title", if item_titles { "t.title" } else { "NULL" }),
                        ("step", "s.step"),
                        ("users", &users),
                        ("overall_conversion", &overall),
                        ("item_conversion", "c.item_conversion"),
                    ]
                ),
                if item_titles {
                    "\n  LEFT JOIN item_titles t ON t.item = g.grp"
                } else {
                    ""
                },
                limit(opts.item_limit)
            ),
        );
        parts.push("item");
    }
    parts
}

/// `group_tallies` (dim, grp, subjects, c1 … ck) after `group_step_events`: per group its subjects
/// and the subjects reaching each step, in the report's mode. Sequential: each chain from a step-1
/// event followed one step per funnel step, kept when it stops (`ti` NULL), so that the counts
/// read the last step once (Spark writes a step out at every place it is read).
fn tally_steps(ctx: &Context, s: &mut Script, k: usize) {
    let opts = &ctx.options.funnel;
    if opts.mode == FunnelMode::Distinct {
        let counts: Vec<String> = (1..=k)
            .map(|i| format!("count(DISTINCT CASE WHEN step = {i} THEN user_id END) AS c{i}"))
            .collect();
        s.step(
            "group_tallies",
            "DEFINITIONS §5 distinct, per group: its subjects, and per step the distinct users with an event of it in the group.",
            format!(
                "SELECT dim, grp, count(DISTINCT user_id) AS subjects,\n  {}\nFROM group_step_events\nGROUP BY dim, grp",
                counts.join(",\n  ")
            ),
        );
        return;
    }
    let within = match opts.window_seconds {
        Some(w) => format!(" AND e.event_time <= r.t1 + {w}"),
        None => String::new(),
    };
    s.step(
        "group_reach_1",
        "DEFINITIONS §5 sequential, per group: every step-1 event of the group starts a chain (t1); a subject without\n\
         one has a chain reaching no step (t1 NULL), so that the last step gives the subjects too.",
        "SELECT DISTINCT dim, user_id, grp, CASE WHEN step = 1 THEN event_time END AS t1\nFROM group_step_events"
            .into(),
    );
    for i in 2..=k {
        let before: Vec<String> = (1..i).map(|j| format!("r.t{j}")).collect();
        s.step(
            &format!("group_reach_{i}"),
            &format!(
                "Step {i}: the group's earliest step-{i} event at or after step {}'s, {} (none: t{i} NULL).",
                i - 1,
                match opts.window_seconds {
                    Some(w) => format!("within the window (t{i} − t1 ≤ {w} s)"),
                    None => "at any later time (unbounded window)".into(),
                }
            ),
            format!(
                "SELECT r.dim, r.user_id, r.grp, {b}, min(e.event_time) AS t{i}\n\
                 FROM group_reach_{} r LEFT JOIN group_step_events e\n  \
                 ON e.dim = r.dim AND e.user_id = r.user_id AND e.grp IS NOT DISTINCT FROM r.grp AND e.step = {i}\n  \
                 AND e.event_time >= r.t{}{within}\n\
                 GROUP BY r.dim, r.user_id, r.grp, {b}",
                i - 1,
                i - 1,
                b = before.join(", "),
            ),
        );
    }
    let counts: Vec<String> = (1..=k)
        .map(|i| format!("count(DISTINCT CASE WHEN t{i} IS NOT NULL THEN user_id END) AS c{i}"))
        .collect();
    s.step(
        "group_tallies",
        "count(i) per group = its users with a chain reaching step i; its subjects = its users with an event of any step.",
        format!(
            "SELECT dim, grp, count(DISTINCT user_id) AS subjects,\n  {}\nFROM group_reach_{k}\nGROUP BY dim, grp",
            counts.join(",\n  ")
        ),
    );
}

/// `item_titles` (item, title): each item's title as the engine keeps it, the first one any file
/// loaded beside the log gives (a behaviour log gives none): the product lists and order exports
/// (their product key: SKU / 商家编码, else product id, else title) and the item traffic exports
/// (their product id), in load order, each in row order. False, and no step, when no such file
/// has a title column.
fn item_title_steps(ctx: &Context, s: &mut Script) -> bool {
    let d = ctx.d;
    let mut sources = Vec::new();
    for (load, source) in ctx.others.iter().filter(|(l, _)| l.error.is_none()) {
        let kind = match load.kind {
            Some(
                k @ (DatasetKind::Products
                | DatasetKind::Orders
                | DatasetKind::OrderLines
                | DatasetKind::Traffic),
            ) => k,
            _ => continue,
        };
        if !has_role(load, Field::Title)
            || (kind == DatasetKind::Traffic && !has_role(load, Field::ProductId))
        {
            continue;
        }
        let i = sources.len() + 1;
        let (list, roles, key) = list_cells(ctx, i, load, source, &[]);
        let key = if kind == DatasetKind::Traffic {
            id(d, "product_id")
        } else {
            key
        };
        debug_assert!(roles.has(Field::Title));
        s.notes.extend(list.notes);
        s.prelude.extend(list.prelude);
        s.ctes.extend(list.ctes);
        sources.push(format!(
            "SELECT {key} AS item, title, {i} AS file_rank, shoplens_line FROM list{i}_cells"
        ));
    }
    if sources.is_empty() {
        return false;
    }
    s.step(
        "item_titles",
        "Each item's title: the first one the files beside the log give, in load order, then row order (the engine\n\
         keeps the first title it reads for a product).",
        format!(
            "SELECT item, {} AS title\nFROM (\n{}\n) t\nWHERE item IS NOT NULL AND title IS NOT NULL\nGROUP BY item",
            d.first_by("title", "file_rank * 10000000000 + shoplens_line"),
            sources.join("\nUNION ALL\n")
        ),
    );
    true
}

/// `category_titles` (category, title): a numeric category id's name from the log's own items, as
/// `category_names.rs` gives it (see the module doc).
fn category_title_steps(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let numeric = |c: &str| d.matches(c, "^[0-9]+$");
    s.step(
        "item_categories",
        "An item's category: the first the log writes beside it (ingest fills a product's category once).",
        format!(
            "SELECT item, {} AS category\nFROM events\nWHERE item IS NOT NULL AND category IS NOT NULL\nGROUP BY item",
            d.first_by("category", "shoplens_line")
        ),
    );
    s.step(
        "category_titles",
        "A numeric category id named by the named category most of its events' items have (ties: the category first\n\
         seen in the log); an id without one has no title.",
        format!(
            "SELECT category, title FROM (\n  \
             SELECT v.category, v.title,\n    \
             row_number() OVER (PARTITION BY v.category ORDER BY v.votes DESC, f.first_line) AS r\n  \
             FROM (SELECT e.category, i.category AS title, count(*) AS votes\n        \
             FROM events e JOIN item_categories i ON i.item = e.item\n        \
             WHERE {} AND NOT {}\n        \
             GROUP BY e.category, i.category) v\n  \
             JOIN (SELECT category, min(shoplens_line) AS first_line FROM events GROUP BY category) f\n    \
             ON f.category = v.title\n\
             ) t\nWHERE r = 1",
            numeric("e.category"),
            numeric("i.category")
        ),
    );
}
