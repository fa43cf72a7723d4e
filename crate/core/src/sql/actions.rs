//! §11 the action list (操作清单) over an order export — and the SKU/stock list(s) loaded beside
//! it — as `analysis::actions` computes it: the rules that fire, each with its list and the money
//! at stake, ranked by stake.
//!
//! The script reads the other sections' own steps, written by the same functions as their scripts
//! (the §2 totals, the §4 customers and segments, the §6 ranking, the §8 cover), and adds one step
//! per rule:
//! - **restock** (with a stock list): days of cover < lead time L; a row's stake is
//!   round(daily revenue × (L − max(cover, 0))), half away from zero, to the cent;
//! - **win back** (with customer ids): 重要挽留客户 and 重要保持客户; stake = n · GMV · repeat
//!   buyers / buyers², rounded half away from zero once, in integers (n × 客单价 × repurchase
//!   rate);
//! - **refund spike**: ≥ N paid orders, revenue > 0, refunds > 0, refund rate ≥ m × the shop's (§2
//!   refunds / GMV, compared in integers for a whole m); stake = the refunds;
//! - **ride a riser** (with a stock list): star or question mark, measured growth ≥ g, days of
//!   cover < C; a row's stake is round(daily revenue × (C − max(cover, 0))).
//!
//! An action's stake is the sum of its rows' (win back: its own); actions are ranked by stake
//! descending, then the rule order restock, win back, refund spike, fix a funnel step, ride a riser.
//! A rule that finds nothing gives no rows (the engine's "quiet").
//!
//! Not in the script: **fix a funnel step** (it reads the funnel's daily trend over a behaviour
//! log: the last day's step rates against their 28-day medians), and the rules whose data the
//! files lack (restock and ride a riser without a stock list, win back without customer ids): the
//! engine shows those as locked. The script's header says which rules it covers.

use super::kpi::total_steps;
use super::products::{ranking_steps, QUADRANT};
use super::read::Roles;
use super::rfm::customer_steps;
use super::stock::{cover_steps, stock_lists, SUGGESTED_ORDER};
use super::{Context, Dialect, Script, SqlError};
use crate::analysis::actions::ActionCode;
use crate::analysis::rfm::Segment;
use crate::schema::field::Field;

/// `x` (a DOUBLE) rounded half away from zero to a whole number of cents, as the engine's
/// `round_cents` (both dialects' `round` of a DOUBLE rounds halves away from zero).
fn cents(x: &str) -> String {
    format!("CAST(round({x}) AS BIGINT)")
}

/// The columns of a list row, with their types: every rule's rows are padded to them.
const ROW_COLUMNS: [(&str, &str); 20] = [
    ("key", "TEXT"),
    ("title", "TEXT"),
    ("row_stake", "BIGINT"),
    ("segment", "TEXT"),
    ("last_order_day", "TEXT"),
    ("recency_days", "BIGINT"),
    ("orders", "BIGINT"),
    ("spend", "BIGINT"),
    ("stock", "BIGINT"),
    ("daily_demand", "DOUBLE"),
    ("daily_revenue", "DOUBLE"),
    ("days_of_cover", "DOUBLE"),
    ("days_short", "DOUBLE"),
    ("suggested_order", "BIGINT"),
    ("paid_orders", "BIGINT"),
    ("revenue", "BIGINT"),
    ("refunds", "BIGINT"),
    ("refund_rate", "DOUBLE"),
    ("growth", "DOUBLE"),
    ("quadrant", "TEXT"),
];

/// The columns of a stock rule's row (restock, ride a riser): the §8 cover figures and days short.
const STOCK_ROW: [&str; 9] = [
    "key",
    "title",
    "row_stake",
    "stock",
    "daily_demand",
    "daily_revenue",
    "days_of_cover",
    "days_short",
    "suggested_order",
];

/// The rules the script covers, by the files it reads.
struct Covered {
    stock: bool,
    customers: bool,
}

impl Covered {
    fn codes(&self) -> Vec<ActionCode> {
        ActionCode::ALL
            .into_iter()
            .filter(|c| match c {
                ActionCode::Restock | ActionCode::RideRiser => self.stock,
                ActionCode::WinBack => self.customers,
                ActionCode::RefundSpike => true,
                ActionCode::FixFunnelStep => false,
            })
            .collect()
    }
}

pub(crate) fn actions(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    let d = ctx.d;
    let lists = stock_lists(ctx.others);
    let covered = Covered {
        stock: !lists.is_empty(),
        customers: Roles::of(ctx).has(Field::CustomerId),
    };
    let o = &ctx.options.actions;
    s.title =
        "action list: the rules that fire, their lists and the money at stake (DEFINITIONS §11)"
            .into();
    let names: Vec<&str> = covered.codes().iter().map(|c| c.code()).collect();
    let mut missing =
        vec!["fix_funnel_step (it reads a behaviour log's daily funnel: not written as SQL yet)"];
    if !covered.stock {
        missing.push(
            "restock and ride_riser (a SKU/stock list loaded beside the orders unlocks them)",
        );
    }
    if !covered.customers {
        missing.push("win_back (the export has no customer id column)");
    }
    s.notes.push(format!(
        "Rules in this script: {}. Not in it: {}.\n\
         Thresholds: lead time {} days, refund rate ≥ {} × the shop's with ≥ {} paid orders, riser growth ≥ {} and\n\
         cover < {} days. One row per row of each action's list; `stake` is the action's, `row_stake` the row's.",
        names.join(", "),
        missing.join("; "),
        o.lead_time_days,
        o.refund_rate_multiple,
        o.min_paid_orders,
        o.riser_growth,
        o.riser_cover_days,
    ));

    // The sections the rules read, written by their own scripts' functions.
    total_steps(s);
    if covered.customers {
        customer_steps(ctx, s)?;
    }
    ranking_steps(ctx, s);
    if covered.stock {
        // The ranking has written the paid lines and their revenue (`paid_line_steps`); the cover
        // reads them.
        cover_steps(ctx, s, &lists);
    }

    let mut rules: Vec<(ActionCode, Vec<&str>)> = Vec::new();
    if covered.stock {
        let l = d.double(o.lead_time_days);
        s.step(
            "restock_rows",
            &format!(
                "DEFINITIONS §11 restock: the products whose days of cover (§8) < the lead time L = {} days (no recent\n\
                 sales: no cover, no row); days short = L − max(cover, 0); a row's stake = daily revenue × days short,\n\
                 rounded half away from zero to the cent.",
                o.lead_time_days
            ),
            format!(
                "SELECT *, {} AS row_stake\n\
                 FROM (SELECT product_key AS key, title, stock, daily_demand, daily_revenue, days_of_cover,\n        \
                 {l} - greatest(days_of_cover, CAST(0 AS DOUBLE)) AS days_short,\n        \
                 {SUGGESTED_ORDER} AS suggested_order\n      \
                 FROM needs\n      \
                 WHERE stock IS NOT NULL AND days_of_cover IS NOT NULL AND days_of_cover < {l}) r",
                cents("daily_revenue * days_short")
            ),
        );
        rules.push((ActionCode::Restock, STOCK_ROW.to_vec()));
    }
    if covered.customers {
        let segments = [Segment::WinBack, Segment::KeepActive]
            .iter()
            .map(|g| d.string(g.code()))
            .collect::<Vec<_>>()
            .join(", ");
        s.step(
            "win_back_rows",
            "DEFINITIONS §11 win back: the customers of 重要挽留客户 (win_back) and 重要保持客户 (keep_active), §4.",
            format!(
                "SELECT customer AS key, segment, {} AS last_order_day, recency_days, frequency AS orders,\n  \
                 monetary AS spend\nFROM segmented\nWHERE segment IN ({segments})",
                d.date_text(&d.date_of_day("last_day"))
            ),
        );
        let num = format!("{} * t.gmv * b.repeat_buyers", d.wide("w.customers"));
        let den = format!("{} * b.buyers", d.wide("b.buyers"));
        let div = match d {
            Dialect::Duckdb => "//",
            Dialect::Spark => "div",
        };
        s.step(
            "win_back_stake",
            "DEFINITIONS §11 win back stake = their number × 客单价 × repurchase rate (§2, whole range) = n · GMV ·\n\
             repeat buyers / buyers², rounded half away from zero once, in integers. None without buyers.",
            format!(
                "SELECT CAST(CASE WHEN num < 0 THEN -1 ELSE 1 END * ((2 * abs(num) + den) {div} (2 * den)) AS BIGINT) AS stake\n\
                 FROM (SELECT {num} AS num, {den} AS den\n      \
                 FROM (SELECT count(*) AS customers FROM win_back_rows) w CROSS JOIN totals t CROSS JOIN buyer_counts b\n      \
                 WHERE w.customers > 0 AND b.buyers > 0) x"
            ),
        );
        rules.push((
            ActionCode::WinBack,
            vec![
                "key",
                "segment",
                "last_order_day",
                "recency_days",
                "orders",
                "spend",
            ],
        ));
    }
    let m = o.refund_rate_multiple;
    let (lhs, rhs) = (
        d.wide("p.refunds") + " * t.gmv",
        d.wide("t.refunds") + " * p.revenue",
    );
    let spike = if m.fract() == 0.0 && m.abs() < 1e12 {
        format!("{lhs} >= {} * {rhs}", m as i64)
    } else {
        format!(
            "CAST({lhs} AS DOUBLE) >= {} * CAST({rhs} AS DOUBLE)",
            d.double(m)
        )
    };
    s.step(
        "refund_spike_rows",
        &format!(
            "DEFINITIONS §11 refund spike: products (§6) with ≥ {} paid orders, revenue > 0, refunds > 0 and refund rate ≥\n\
             {} × the shop's (§2 refunds / GMV; refunds · GMV ≥ m · shop refunds · revenue{}); a row's stake = its refunds.",
            o.min_paid_orders,
            m,
            if m.fract() == 0.0 { ", exact in integers" } else { "" }
        ),
        format!(
            "SELECT p.product_key AS key, p.paid_orders, p.revenue, p.refunds,\n  \
             CAST(p.refunds AS DOUBLE) / p.revenue AS refund_rate, p.refunds AS row_stake\n\
             FROM classified_products p CROSS JOIN totals t\n\
             WHERE t.gmv > 0 AND p.paid_orders >= {} AND p.revenue > 0 AND p.refunds > 0\n  AND {spike}",
            o.min_paid_orders
        ),
    );
    rules.push((
        ActionCode::RefundSpike,
        vec![
            "key",
            "row_stake",
            "paid_orders",
            "revenue",
            "refunds",
            "refund_rate",
        ],
    ));
    if covered.stock {
        let c = d.double(o.riser_cover_days);
        s.step(
            "ride_riser_rows",
            &format!(
                "DEFINITIONS §11 ride a riser: star or question-mark products (§6) whose growth is measured and ≥ {} and\n\
                 whose days of cover (§8) < C = {} days; days short = C − max(cover, 0); a row's stake = daily revenue ×\n\
                 days short, rounded half away from zero to the cent (\"new\" products have no growth: no row).",
                o.riser_growth, o.riser_cover_days
            ),
            format!(
                "SELECT *, {} AS row_stake\n\
                 FROM (SELECT n.product_key AS key, n.title, n.stock, n.daily_demand, n.daily_revenue, n.days_of_cover,\n        \
                 {c} - greatest(n.days_of_cover, CAST(0 AS DOUBLE)) AS days_short, n.suggested_order,\n        \
                 p.revenue, p.growth, p.quadrant\n      \
                 FROM (SELECT product_key, revenue, growth, {QUADRANT} AS quadrant FROM classified_products) p\n      \
                 JOIN (SELECT *, {SUGGESTED_ORDER} AS suggested_order FROM needs) n ON n.product_key = p.product_key\n      \
                 WHERE p.quadrant IN ('star', 'question_mark') AND p.growth IS NOT NULL AND p.growth >= {}\n        \
                 AND n.stock IS NOT NULL AND n.days_of_cover IS NOT NULL AND n.days_of_cover < {c}) r",
                cents("daily_revenue * days_short"),
                d.double(o.riser_growth)
            ),
        );
        rules.push((
            ActionCode::RideRiser,
            [&STOCK_ROW[..], &["revenue", "growth", "quadrant"]].concat(),
        ));
    }

    // Every rule's rows in one shape.
    let text = d.text_type();
    let parts: Vec<String> = rules
        .iter()
        .map(|(code, has)| {
            let cols: Vec<String> = ROW_COLUMNS
                .iter()
                .map(|(name, ty)| {
                    if has.contains(name) {
                        name.to_string()
                    } else {
                        let ty = if *ty == "TEXT" { text } else { ty };
                        format!("CAST(NULL AS {ty}) AS {name}")
                    }
                })
                .collect();
            format!(
                "SELECT {} AS code, {}\nFROM {}_rows",
                d.string(code.code()),
                cols.join(", "),
                code.code()
            )
        })
        .collect();
    s.step(
        "action_rows",
        "Every rule's list in one shape: a product (restock, refund spike, ride a riser) or a customer (win back).",
        parts.join("\nUNION ALL\n"),
    );
    let order: Vec<String> = ActionCode::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| format!("WHEN {} THEN {}", d.string(c.code()), i + 1))
        .collect();
    let win_back = if covered.customers {
        "\nUNION ALL\nSELECT 'win_back', stake FROM win_back_stake"
    } else {
        ""
    };
    s.step(
        "action_stakes",
        "DEFINITIONS §11: an action's stake is the sum of its rows' (each already rounded to the cent); win back's is\n\
         its own. A rule without rows did not fire.",
        format!(
            "SELECT code, sum(row_stake) AS stake FROM action_rows WHERE code <> 'win_back' GROUP BY code{win_back}"
        ),
    );
    s.step(
        "ranked_actions",
        "DEFINITIONS §11: actions ranked by money at stake, descending; ties in the rule order restock, win back,\n\
         refund spike, fix a funnel step, ride a riser.",
        format!(
            "SELECT code, stake,\n  row_number() OVER (ORDER BY stake DESC, CASE code {} END) AS action_rank\n\
             FROM action_stakes",
            order.join(" ")
        ),
    );
    s.select = "-- One row per row of each action's list, actions by rank; products by their stake descending, customers by\n\
         -- spend descending (the RFM order), ties by key.\n\
         SELECT a.action_rank, a.code, a.stake,\n  \
         row_number() OVER (PARTITION BY a.code ORDER BY coalesce(r.row_stake, r.spend) DESC, r.key) AS position,\n  \
         r.key, r.title, r.row_stake, r.segment, r.last_order_day, r.recency_days, r.orders, r.spend, r.stock,\n  \
         r.daily_demand, r.daily_revenue, r.days_of_cover, r.days_short, r.suggested_order, r.paid_orders, r.revenue,\n  \
         r.refunds, r.refund_rate, r.growth, r.quadrant\n\
         FROM ranked_actions a JOIN action_rows r ON r.code = a.code\n\
         ORDER BY a.action_rank, position"
        .into();
    Ok(())
}
