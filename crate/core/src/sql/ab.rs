//! §9 A/B readout over a behaviour log: two groups' exposures n and conversions x — a log's own
//! experiment groups, two items or two periods (`AbOptions::by`) — as `analysis::ab` counts them,
//! then the statistics of `analysis::ab::stats` with the same floating-point operations in the
//! same order: Wilson intervals, Newcombe's hybrid score interval of the difference, the relative
//! lift, the pooled z-test's p-value, the verdict and the exposures per group for 80 % power.
//!
//! SQL has no normal distribution function: the p-value's `erfc` is the engine's own procedure
//! (`analysis::stats::erfc`) — its power series below 2.5, its continued fraction (modified Lentz)
//! above, each a loop with the engine's stopping rule and iteration cap, written as a fold over
//! the iterations ([`Dialect::fold`]). Constants (z₀.₉₇₅, z₀.₈₀, √2) are the engine's, written as
//! the exact doubles.
//!
//! Without groups chosen, the groups are the log's default pair: the control (`control`,
//! `baseline`, 对照 …, else the first label) and the next label of its experiment, chosen in the
//! script from the labels present, as the engine chooses them. Traffic exports (Σ 访客数,
//! Σ 支付买家数 per item or period) have no script: the section reads behaviour logs only.

use super::funnel::event_steps;
use super::normalize::{id, trim};
use super::read::Roles;
use super::{err, Context, Script, SqlError};
use crate::analysis::ab::stats::{Z_80, Z_975};
use crate::analysis::ab::{AbBy, AbOptions};
use crate::analysis::filter::parse_day;
use crate::schema::field::Field;
use crate::time::format_day;

/// The variant words `analysis::ab` takes for a control (after `experiment / `, lower-cased; a
/// label starting with `control` is one too).
const CONTROL_WORDS: &[&str] = &[
    "control",
    "baseline",
    "original",
    "a",
    "0",
    "off",
    "false",
    "default",
    "holdout",
    "对照",
    "对照组",
    "原版",
    "基线",
    "a组",
];

/// The groups as the options give them, checked as the engine checks them.
enum Groups {
    /// The log's default pair (no groups chosen).
    DefaultPair,
    Variant(String, String),
    Item(String, String),
    /// Days since 1970-01-01, first and last of A then B.
    Period([i32; 4]),
}

fn groups(opts: &AbOptions, has_variants: bool) -> Result<Groups, SqlError> {
    let no_groups = || {
        err(
            "no_ab_groups",
            "two groups: two items, two periods or two experiment groups (ab.by, ab.a/ab.b or the periods), or a log with an experiment group column",
        )
    };
    let pair = || match (&opts.a, &opts.b) {
        (Some(a), Some(b)) => Ok((a.clone(), b.clone())),
        _ => Err(no_groups()),
    };
    match opts.by {
        None if has_variants => Ok(Groups::DefaultPair),
        None => Err(no_groups()),
        Some(AbBy::Variant) => {
            let (a, b) = pair()?;
            if !has_variants {
                return Err(err(
                    "no_ab_variants",
                    "groups by experiment need a behaviour log with an experiment group column (variant, ab_group, 实验分组)",
                ));
            }
            Ok(Groups::Variant(a, b))
        }
        Some(AbBy::Item) => pair().map(|(a, b)| Groups::Item(a, b)),
        Some(AbBy::Period) => {
            let day = |s: &Option<String>| s.as_deref().map(parse_day);
            let range = |from: &Option<String>, to: &Option<String>| match (day(from), day(to)) {
                (Some(Some(f)), Some(Some(t))) if f <= t => Ok((f, t)),
                (None, _) | (_, None) => Err(no_groups()),
                _ => Err(err(
                    "invalid_ab_period",
                    "two periods written YYYY-MM-DD, each ending on or after its first day",
                )),
            };
            let (af, at) = range(&opts.a_from, &opts.a_to)?;
            let (bf, bt) = range(&opts.b_from, &opts.b_to)?;
            Ok(Groups::Period([af, at, bf, bt]))
        }
    }
}

pub(crate) fn ab(ctx: &Context) -> Result<Script, SqlError> {
    let d = ctx.d;
    let opts = &ctx.options.ab;
    let roles = Roles::of(ctx);
    let chosen = groups(opts, roles.has(Field::Variant))?;
    // The item of an event is its product id, else its SKU (ingest's `event_row`); its group
    // label `experiment / variant` where the log names the experiment, else the variant.
    let item = match (roles.has(Field::ProductId), roles.has(Field::Sku)) {
        (true, true) => format!(
            "coalesce({}, {}) AS item",
            id(d, "product_id"),
            id(d, "sku")
        ),
        (true, false) => format!("{} AS item", id(d, "product_id")),
        (false, true) => format!("{} AS item", id(d, "sku")),
        (false, false) => format!("CAST(NULL AS {}) AS item", d.text_type()),
    };
    let variant = match (roles.has(Field::Variant), roles.has(Field::Experiment)) {
        (true, true) => "CASE WHEN experiment IS NULL THEN variant ELSE experiment || ' / ' || variant END AS variant".to_string(),
        (true, false) => "variant".to_string(),
        (false, _) => format!("CAST(NULL AS {}) AS variant", d.text_type()),
    };
    let mut s = event_steps(
        ctx,
        &roles,
        &[
            Field::ProductId,
            Field::Sku,
            Field::Variant,
            Field::Experiment,
        ],
        &[item, variant],
    )?;
    let by = match chosen {
        Groups::DefaultPair | Groups::Variant(..) => "variant",
        Groups::Item(..) => "item",
        Groups::Period(_) => "period",
    };
    s.title = format!("A/B readout by {by} (DEFINITIONS §9)");
    match &opts.goal {
        None => s.step(
            "goal_names",
            "DEFINITIONS §9 goal: a purchase — every event name that means purchase (DEFINITIONS §5).",
            "SELECT event_name FROM event_names WHERE event_class = 'purchase'".into(),
        ),
        Some(goal) => s.step(
            "goal_names",
            "DEFINITIONS §9 goal: the event name the options give, as the log writes it.",
            format!(
                "SELECT event_name FROM event_names WHERE event_name = {}",
                d.string(goal)
            ),
        ),
    }
    let values = |rows: &[[String; 2]], names: &str| {
        format!(
            "SELECT * FROM (VALUES {}) AS t({names})",
            rows.iter()
                .map(|r| format!("({})", r.join(", ")))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match &chosen {
        Groups::DefaultPair | Groups::Variant(..) => {
            if let Groups::Variant(a, b) = &chosen {
                s.step(
                    "ab_groups",
                    "DEFINITIONS §9 groups: the two experiment groups the options name.",
                    values(
                        &[["'a'".into(), d.string(a)], ["'b'".into(), d.string(b)]],
                        "grp, label",
                    ),
                );
            } else {
                default_pair(ctx, &mut s);
            }
            s.step(
                "exposed",
                "A user is exposed to a group when any of their events carries it; their first such event.",
                "SELECT g.grp, e.user_id, min(e.event_time) AS first_seen\nFROM ab_groups g JOIN events e ON e.variant = g.label\nGROUP BY g.grp, e.user_id".into(),
            );
            s.step(
                "converted",
                "The user converts in a group with a goal event at or after their first event in it (a purchase before\n\
                 they saw the variant is not its effect) that carries that group or none.",
                "SELECT DISTINCT x.grp, x.user_id\nFROM exposed x\n  JOIN ab_groups g ON g.grp = x.grp\n  JOIN events e ON e.user_id = x.user_id AND e.event_time >= x.first_seen\n    AND (e.variant IS NULL OR e.variant = g.label)\n  JOIN goal_names n ON n.event_name = e.event_name".into(),
            );
        }
        Groups::Item(a, b) => {
            s.step(
                "ab_groups",
                "DEFINITIONS §9 groups: two items (product keys) the options name.",
                values(
                    &[["'a'".into(), d.string(a)], ["'b'".into(), d.string(b)]],
                    "grp, label",
                ),
            );
            s.step(
                "exposed",
                "Exposed to an item's group: a user with any event on the item.",
                "SELECT DISTINCT g.grp, e.user_id\nFROM ab_groups g JOIN events e ON e.item = g.label".into(),
            );
            s.step(
                "converted",
                "Converted in it: a user with a goal event on the item.",
                "SELECT DISTINCT g.grp, e.user_id\nFROM ab_groups g\n  JOIN events e ON e.item = g.label\n  JOIN goal_names n ON n.event_name = e.event_name".into(),
            );
        }
        Groups::Period([af, at, bf, bt]) => {
            let label = |f: i32, t: i32| d.string(&format!("{}–{}", format_day(f), format_day(t)));
            s.step(
                "ab_groups",
                "DEFINITIONS §9 groups: two day ranges the options give (days since 1970-01-01, first and last).",
                format!(
                    "SELECT * FROM (VALUES ('a', {}, {af}, {at}), ('b', {}, {bf}, {bt})) AS t(grp, label, first_day, last_day)",
                    label(*af, *at),
                    label(*bf, *bt)
                ),
            );
            let day = d.floor_div("e.event_time", "86400");
            s.step(
                "exposed",
                "Exposed in a period: a user with any event on one of its days.",
                format!("SELECT DISTINCT g.grp, e.user_id\nFROM ab_groups g JOIN events e ON {day} BETWEEN g.first_day AND g.last_day"),
            );
            s.step(
                "converted",
                "Converted in it: a user with a goal event on one of its days.",
                format!("SELECT DISTINCT g.grp, e.user_id\nFROM ab_groups g\n  JOIN events e ON {day} BETWEEN g.first_day AND g.last_day\n  JOIN goal_names n ON n.event_name = e.event_name"),
            );
        }
    }
    s.step(
        "group_counts",
        "DEFINITIONS §9: exposures n and conversions x per group (a user exposed to both groups counts in both).",
        "SELECT g.grp, g.label, coalesce(n.exposures, 0) AS exposures, coalesce(c.conversions, 0) AS conversions\n\
         FROM ab_groups g\n  \
         LEFT JOIN (SELECT grp, count(*) AS exposures FROM exposed GROUP BY grp) n ON n.grp = g.grp\n  \
         LEFT JOIN (SELECT grp, count(*) AS conversions FROM converted GROUP BY grp) c ON c.grp = g.grp"
            .into(),
    );
    s.step(
        "in_both",
        "Users counted in both groups.",
        "SELECT count(*) AS in_both FROM (\n  SELECT user_id FROM exposed GROUP BY user_id HAVING count(DISTINCT grp) = 2\n) u".into(),
    );
    statistics(ctx, &mut s);
    // The engine has no readout for a goal the log does not contain (`unknown_goal`), nor for
    // experiment groups named in a log whose group column is blank throughout (`no_ab_variants`):
    // no row.
    let mut present = Vec::new();
    if opts.goal.is_some() {
        present.push("(SELECT count(*) FROM goal_names) > 0");
    }
    if matches!(chosen, Groups::Variant(..)) {
        present.push("(SELECT count(*) FROM events WHERE variant IS NOT NULL) > 0");
    }
    let goal_present = if present.is_empty() {
        String::new()
    } else {
        format!("\nWHERE {}", present.join(" AND "))
    };
    s.select = format!(
        "-- DEFINITIONS §9 readout: the groups, CR with Wilson intervals, d with Newcombe's interval, lift, p-value, verdict.\n\
         SELECT {} AS grouped_by, {} AS goal,\n  \
         label_a, exposures_a, conversions_a, label_b, exposures_b, conversions_b, b.in_both,\n  \
         cr_a, cr_b, lower_a, upper_a, lower_b, upper_b,\n  \
         difference, difference_lower, difference_upper, relative_lift, z, p_value, verdict, needed_per_group\n\
         FROM readout r CROSS JOIN in_both b{goal_present}",
        d.string(by),
        d.string(opts.goal.as_deref().unwrap_or("purchase")),
    );
    Ok(s)
}

/// The default pair of a log's groups (`analysis::ab`): A the first label (in byte order) whose
/// variant part names a control, else the first label; B the first other label of the same
/// experiment. No pair, no row (the engine's `no_ab_groups`).
fn default_pair(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let variant_part = trim(d, &d.extract("label", r"^(?:[\s\S]* / )?([\s\S]*)$", 1));
    let words: Vec<String> = CONTROL_WORDS.iter().map(|w| d.string(w)).collect();
    s.step(
        "variant_labels",
        "DEFINITIONS §9 groups: the experiment groups on the log's events, each with its experiment (the part\n\
         before ' / ') and whether its variant part names a control (control, baseline, original, a, 0, off, 对照 …).",
        format!(
            "SELECT label,\n  lower({variant_part}) IN ({}) OR lower({variant_part}) LIKE 'control%' AS is_control,\n  \
             CASE WHEN {} THEN {} END AS experiment\n\
             FROM (SELECT DISTINCT variant AS label FROM events WHERE variant IS NOT NULL) v",
            words.join(", "),
            d.matches("label", r"^[\s\S]* / [\s\S]*$"),
            d.extract("label", r"^([\s\S]*) / [\s\S]*$", 1),
        ),
    );
    s.step(
        "group_pair",
        "Without groups chosen: A is the control (else the first label), B the next label of the same experiment.",
        "SELECT a.label AS label_a, min(l.label) AS label_b\n\
         FROM (SELECT coalesce(min(CASE WHEN is_control THEN label END), min(label)) AS label FROM variant_labels) c\n  \
         JOIN variant_labels a ON a.label = c.label\n  \
         JOIN variant_labels l ON l.label <> a.label AND l.experiment IS NOT DISTINCT FROM a.experiment\n\
         GROUP BY a.label"
            .into(),
    );
    s.step(
        "ab_groups",
        "The two groups.",
        "SELECT 'a' AS grp, label_a AS label FROM group_pair\nUNION ALL\nSELECT 'b' AS grp, label_b AS label FROM group_pair".into(),
    );
}

/// The statistics of `analysis::ab::stats::readout`, operation for operation.
fn statistics(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let f = |x: f64| d.double(x);
    s.step(
        "ab_constants",
        "z for a two-sided 95 % interval and 5 % significance, Φ⁻¹(0.975), and for 80 % power, Φ⁻¹(0.80): the engine's constants.",
        format!(
            "SELECT z_975, z_975 * z_975 AS z2, z_80 FROM (SELECT {} AS z_975, {} AS z_80) c",
            f(Z_975),
            f(Z_80)
        ),
    );
    s.step(
        "wilson",
        "DEFINITIONS §9: CR = x / n with its Wilson score interval (95 %): centre (x + z²/2) / (n + z²),\n\
         half-width z·√(x(n − x)/n + z²/4) / (n + z²); exactly 0 (1) at x = 0 (x = n); none when n = 0.",
        "SELECT grp, label, exposures, conversions, x / n AS cr,\n  \
         CASE WHEN x = 0 THEN 0e0 ELSE centre - half END AS lower,\n  \
         CASE WHEN x = n THEN 1e0 ELSE centre + half END AS upper\n\
         FROM (\n  \
           SELECT g.*, (x + z2 / 2e0) / (n + z2) AS centre, z_975 * sqrt(x * (n - x) / n + z2 / 4e0) / (n + z2) AS half\n  \
           FROM (SELECT *, CAST(conversions AS DOUBLE) AS x, CAST(exposures AS DOUBLE) AS n FROM group_counts WHERE exposures > 0) g\n    \
             CROSS JOIN ab_constants\n\
         ) w"
            .into(),
    );
    s.step(
        "pair",
        "The two groups side by side (a group without exposures has no rate).",
        "SELECT ga.label AS label_a, ga.exposures AS exposures_a, ga.conversions AS conversions_a,\n  \
         gb.label AS label_b, gb.exposures AS exposures_b, gb.conversions AS conversions_b,\n  \
         wa.cr AS cr_a, wa.lower AS lower_a, wa.upper AS upper_a, wb.cr AS cr_b, wb.lower AS lower_b, wb.upper AS upper_b\n\
         FROM group_counts ga JOIN group_counts gb ON ga.grp = 'a' AND gb.grp = 'b'\n  \
         LEFT JOIN wilson wa ON wa.grp = 'a'\n  \
         LEFT JOIN wilson wb ON wb.grp = 'b'"
            .into(),
    );
    s.step(
        "difference",
        "DEFINITIONS §9: d = CR_B − CR_A with Newcombe's hybrid score interval (method 10) from the two Wilson\n\
         intervals, (d − √((CR_B − l_B)² + (u_A − CR_A)²), d + √((u_B − CR_B)² + (CR_A − l_A)²)).\n\
         Relative lift d / CR_A (none when CR_A is 0).",
        "SELECT p.*, cr_b - cr_a AS difference,\n  \
         (cr_b - cr_a) - sqrt((cr_b - lower_b) * (cr_b - lower_b) + (upper_a - cr_a) * (upper_a - cr_a)) AS difference_lower,\n  \
         (cr_b - cr_a) + sqrt((upper_b - cr_b) * (upper_b - cr_b) + (cr_a - lower_a) * (cr_a - lower_a)) AS difference_upper,\n  \
         CASE WHEN cr_a <> 0e0 THEN (cr_b - cr_a) / cr_a END AS relative_lift\n\
         FROM pair p"
            .into(),
    );
    s.step(
        "pooled_test",
        "DEFINITIONS §9 p-value, two-sided pooled two-proportion z-test: p̄ = (x_A + x_B)/(n_A + n_B),\n\
         z = (CR_B − CR_A) / √(p̄(1 − p̄)(1/n_A + 1/n_B)); no test when a group is empty or the variance is 0 (p̄ is 0 or 1).",
        "SELECT t.*, CASE WHEN variance > 0e0 THEN (cr_b - cr_a) / sqrt(variance) END AS z\n\
         FROM (\n  \
           SELECT d.*, CASE WHEN exposures_a > 0 AND exposures_b > 0\n    \
             THEN pooled * (1e0 - pooled) * (1e0 / CAST(exposures_a AS DOUBLE) + 1e0 / CAST(exposures_b AS DOUBLE)) END AS variance\n  \
           FROM (\n    \
             SELECT difference.*, CASE WHEN exposures_a > 0 AND exposures_b > 0\n      \
               THEN CAST(conversions_a + conversions_b AS DOUBLE) / CAST(exposures_a + exposures_b AS DOUBLE) END AS pooled\n    \
             FROM difference\n  \
           ) d\n\
         ) t"
            .into(),
    );
    // The engine's erfc (analysis::stats::erfc) at t = |z|/√2 ≥ 0, loop for loop.
    let t = "t";
    let series = d.field(
        &d.fold(
            0,
            99,
            &[
                ("total", "0e0".into(), "acc.total + acc.term / (2e0 * k + 1e0)".into()),
                ("term", t.into(), format!("acc.term * (-({t} * {t}) / (k + 1))")),
                (
                    "done",
                    "false".into(),
                    "abs(acc.term / (2e0 * k + 1e0)) <= 1e-17 * abs(acc.total + acc.term / (2e0 * k + 1e0))".into(),
                ),
            ],
            "done",
        ),
        "total",
    );
    let tiny = f(1e-300);
    let dk =
        format!("CASE WHEN {t} + k / 2e0 * acc.d = 0e0 THEN {tiny} ELSE {t} + k / 2e0 * acc.d END");
    let ck =
        format!("CASE WHEN {t} + k / 2e0 / acc.c = 0e0 THEN {tiny} ELSE {t} + k / 2e0 / acc.c END");
    let delta = format!("({ck}) * (1e0 / ({dk}))");
    let fraction = d.field(
        &d.fold(
            1,
            299,
            &[
                ("f", t.into(), format!("acc.f * ({delta})")),
                ("c", t.into(), ck.clone()),
                ("d", "0e0".into(), format!("1e0 / ({dk})")),
                (
                    "done",
                    "false".into(),
                    format!("abs({delta} - 1e0) < 1e-16"),
                ),
            ],
            "done",
        ),
        "f",
    );
    s.step(
        "normal_tail",
        "The normal upper tail 1 − Φ(|z|) = erfc(t)/2 at t = |z|/√2, by the engine's erfc: below t = 2.5 the series\n\
         erf(t) = 2/√π · Σ (−1)ⁿ t^(2n+1) / (n!(2n+1)), term by term until a term is ≤ 1e-17 of the sum (≤ 100 terms),\n\
         erfc = 1 − 2/√π · Σ; from 2.5 the continued fraction erfc(t) = e^(−t²)/√π / (t + ½/(t + 1/(t + 3/2/(t + …)))),\n\
         by modified Lentz until a factor is within 1e-16 of 1 (≤ 299 steps).",
        format!(
            "SELECT p.*,\n  \
             CASE WHEN t < 2.5e0 THEN 1e0 - 2e0 / sqrt(pi()) * {series} END AS erfc_series,\n  \
             CASE WHEN t >= 2.5e0 THEN exp(-t * t) / sqrt(pi()) / {fraction} END AS erfc_fraction\n\
             FROM (SELECT pooled_test.*, abs(z) / {} AS t FROM pooled_test) p",
            f(std::f64::consts::SQRT_2)
        ),
    );
    s.step(
        "readout",
        "DEFINITIONS §9 verdict: B better / A better when the interval excludes 0, else not decisive yet, with the\n\
         exposures per group that detect the observed difference at 80 % power and 5 % significance (Fleiss §4.2):\n\
         n = ⌈(z₀.₉₇₅·√(2p̄(1 − p̄)) + z₀.₈₀·√(p_A(1 − p_A) + p_B(1 − p_B)))² / d²⌉, p̄ = (p_A + p_B)/2,\n\
         a whole number within 1e-9 kept as it is. p = min(2 · erfc(t)/2, 1).",
        "SELECT v.*,\n  \
         CASE WHEN verdict <> 'not_decisive' OR needed IS NULL THEN NULL\n    \
           WHEN needed >= 18446744073709551616e0 THEN CAST('18446744073709551615' AS DECIMAL(20, 0))\n    \
           ELSE CAST(needed AS DECIMAL(20, 0)) END AS needed_per_group\n\
         FROM (\n  \
           SELECT s.*,\n    \
             CASE WHEN abs(n_exact - round(n_exact)) <= 1e-9 * greatest(round(n_exact), 1e0) THEN round(n_exact) ELSE ceil(n_exact) END AS needed\n  \
           FROM (\n    \
             SELECT r.*, CASE WHEN cr_b - cr_a <> 0e0 THEN root * root / ((cr_b - cr_a) * (cr_b - cr_a)) END AS n_exact\n    \
             FROM (\n      \
               SELECT p.*,\n        \
                 CASE WHEN erfc IS NULL THEN NULL WHEN 2e0 * (5e-1 * erfc) < 1e0 THEN 2e0 * (5e-1 * erfc) ELSE 1e0 END AS p_value,\n        \
                 CASE WHEN difference_lower > 0e0 THEN 'b_better' WHEN difference_upper < 0e0 THEN 'a_better' ELSE 'not_decisive' END AS verdict,\n        \
                 c.z_975 * sqrt(2e0 * ((cr_a + cr_b) / 2e0) * (1e0 - (cr_a + cr_b) / 2e0))\n          \
                   + c.z_80 * sqrt(cr_a * (1e0 - cr_a) + cr_b * (1e0 - cr_b)) AS root\n      \
               FROM (\n        \
                 SELECT normal_tail.*, CASE WHEN t < 2.5e0 THEN erfc_series ELSE erfc_fraction END AS erfc FROM normal_tail\n      \
               ) p CROSS JOIN ab_constants c\n    \
             ) r\n  \
           ) s\n\
         ) v"
        .into(),
    );
}
