//! §6 products: the ranking with each paid order's amount (and refund) allocated to its lines by
//! the largest-remainder rule, ABC classes, the growth windows, BCG quadrants and the 潜力 / 可执行
//! / 风险 scorecard, as `analysis::products` computes them.
//!
//! The scorecard follows `analysis/products/score.rs`: each component is ranked among the products
//! that have it, `100 · (L + (E − 1) / 2) / (n − 1)` with L the values strictly below, E the equal
//! ones (itself included), n the products with a value (50 when n = 1); a product without the
//! component has no percentile and is not counted; a score is the mean of the percentiles the
//! product has (NULL with none), unrounded. Unit cost and stock come from the product/SKU lists
//! loaded beside the orders (the session's other files of kind `Products` with a cost or stock
//! column, read as `sql/stock.rs` reads them): the later list, then the later row, gives a
//! product's figure; without a list, margin, stock cover and stock-out are NULL for every product
//! and the feasibility and risk scores are the mean of the others.
//!
//! Item conversion (潜力) comes from the behaviour logs loaded beside the orders, several read as one
//! log as the engine reads them (DEFINITIONS §5, the
//! engine's `funnel::item_conversion`): per item, distinct buyers / distinct viewers over the
//! events meaning view and purchase whatever the funnel's steps, read by the funnel script's own
//! steps; an event's item (product id, else SKU) is the key an order line's product has (SKU, else
//! product id, else title). Without a log, the item traffic exports loaded beside the orders (生意参谋
//! 商品: rows with a product id) give it: Σ 支付买家数 / Σ 访客数 per product id over their item rows.
//! Without either it is NULL for every product, as the engine has it for an order export alone.
//!
//! What the script does not do: an item traffic row ingest rejects for an unreadable cell of
//! another column than 访客数 and 支付买家数 (a date, 浏览量, 支付金额 …) still counts here, as does a
//! log row whose item id Excel turned into a number like 1.23E+18. It refuses when a list's
//! costs are in another currency than the orders' (the engine clears such costs). A list row the
//! engine rejects (an unreadable cost or stock) still gives its other figure here.
//!
//! Line items are the export's rows as ingest makes them (`ingest/rows/orders.rs`): every row
//! naming a product (SKU, else product id, else title), or with a quantity column every row (a line
//! of an unnamed product); a WooCommerce packed cell `2× Blue Mug, 1× Tea Towel` gives one line per
//! item. Within an order, lines are numbered in file order: the allocation's tie rule reads it.
//!
//! A line-item export (宝贝报表: order id, product, quantity, price, no order times) loaded beside
//! the order export gives lines as the engine attaches them (`ingest::rows::attach_pending`): after
//! the export's own, in load order, and for an order-level export in place of the one-line summary
//! (宝贝标题 + 宝贝总数量) of each order it names. Every script over the lines (products,
//! breakdowns, promotion, stock, actions) reads them so.

use super::funnel::{meaning_steps, union_event_steps_with};
use super::normalize::{count, id, money};
use super::orders::{first_given, product_key};
use super::read::{read_steps, Roles};
use super::stock::{cost_stock_lists, double, has_role, list_steps};
use super::traffic::{item_conversion, traffic_rows};
use super::{err, file_prefixes, Context, Dialect, Script, SqlError, SqlSource};
use crate::analysis::products::STOCK_OUT_COVER_DAYS;
use crate::ingest::LoadReport;
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::schema::recognize::{ColumnMap, Grain};

use crate::ingest::UNNAMED_PRODUCT;

/// `floor(a · b / c)` for non-negative integers, exact past 64 bits (an amount in cents times a
/// line value in cents).
fn mul_div(d: Dialect, a: &str, b: &str, c: &str) -> String {
    match d {
        Dialect::Duckdb => format!("CAST(({} * {b}) // {c} AS BIGINT)", d.wide(a)),
        Dialect::Spark => format!(
            "CAST(({} * {}) div {} AS BIGINT)",
            d.wide(a),
            d.wide(b),
            d.wide(c)
        ),
    }
}

/// Steps that allocate `total` (an order-level amount on every line row) over the rows of `input`
/// in each `partition`, by `weight`, with the largest-remainder rule of `allocate_cents`; the last
/// step, `{name}`, has every column of `input` and `{name}_share`.
fn allocation(s: &mut Script, d: Dialect, name: &str, input: &str, partition: &str, total: &str) {
    s.step(
        &format!("{name}_weights"),
        "DEFINITIONS §6 allocation weights: the line value (a negative one counts 0); equal shares (weight 1) where\n\
         no line of the order has a positive value.",
        format!(
            "SELECT *,\n  CASE WHEN sum(greatest(coalesce(value, 0), 0)) OVER (PARTITION BY {partition}) = 0 THEN 1\n       \
             ELSE greatest(coalesce(value, 0), 0) END AS {name}_weight,\n  \
             abs({total}) AS {name}_magnitude\nFROM {input}"
        ),
    );
    s.step(
        &format!("{name}_floors"),
        "Each line first gets floor(|amount| · weight / Σ weight) cents.",
        format!(
            "SELECT *,\n  {} AS {name}_floor\nFROM {name}_weights",
            mul_div(
                d,
                &format!("{name}_magnitude"),
                &format!("{name}_weight"),
                &format!("sum({name}_weight) OVER (PARTITION BY {partition})")
            )
        ),
    );
    s.step(
        name,
        "The cents left over go one each to the lines with the largest weight (the lower line number first among\n\
         equal weights), so that the shares add up exactly; a negative amount is split as its magnitude, then negated.",
        format!(
            "SELECT *,\n  CASE WHEN {total} < 0 THEN -1 ELSE 1 END * ({name}_floor +\n    \
             CASE WHEN row_number() OVER (PARTITION BY {partition} ORDER BY {name}_weight DESC, line_number)\n           \
             <= {name}_magnitude - sum({name}_floor) OVER (PARTITION BY {partition}) THEN 1 ELSE 0 END) AS {name}_share\n\
             FROM {name}_floors"
        ),
    );
}

/// A line-item export without order times (宝贝报表: order id, product, quantity, price): the
/// engine attaches its lines to the orders of the order export loaded with it
/// (`ingest::rows::attach_pending`).
fn detail_export(load: &LoadReport) -> bool {
    let map = ColumnMap::from_columns(&load.columns);
    load.error.is_none()
        && load.kind == Some(DatasetKind::OrderLines)
        && map.get(Field::OrderId).is_some()
        && map.get(Field::CreatedTime).is_none()
        && map.get(Field::PaidTime).is_none()
}

/// The session's line-item exports (宝贝报表) beside the script's order export, in load order.
pub(crate) fn detail_exports<'a>(
    others: &'a [(&'a LoadReport, SqlSource)],
) -> Vec<&'a (&'a LoadReport, SqlSource)> {
    others.iter().filter(|(l, _)| detail_export(l)).collect()
}

/// The step holding every line the order export itself gives, before a 宝贝报表's lines take the
/// place of its one-line summaries: where a product's first title or category is read, as the
/// engine keeps the first one any line gave.
pub(crate) fn export_lines_step(ctx: &Context) -> &'static str {
    if detail_exports(ctx.others).is_empty() {
        "line_items"
    } else {
        "export_lines"
    }
}

/// Reading steps of the `i`-th line-item export, prefixed `detail{i}_`, ending with
/// `detail{i}_lines`: its lines as ingest's `detail_line` reads them (a row without a product or
/// with a negative quantity is rejected there), in the columns of `line_items` then `title`.
fn detail_steps(
    ctx: &Context,
    i: usize,
    load: &LoadReport,
    source: &SqlSource,
    carried: &[&str],
) -> Script {
    let d = ctx.d;
    let prefix = format!("detail{i}_");
    let file_options = ctx.options_of(load);
    let detail_ctx = ctx.for_file(load, source, &file_options, &prefix);
    let roles = Roles::of(&detail_ctx);
    let has = |f| roles.has(f);
    let mut s = read_steps(
        &detail_ctx,
        &roles,
        &[
            Field::OrderId,
            Field::Sku,
            Field::ProductId,
            Field::Title,
            Field::Quantity,
            Field::UnitPrice,
            Field::LineAmount,
            Field::RefundAmount,
        ],
    );
    let decimal_comma = |f: Field| {
        load.columns
            .iter()
            .any(|c| c.field == Some(f) && c.duplicate_of.is_none() && c.decimal_comma)
    };
    let cents = |f: Field| {
        if has(f) {
            money(d, f.code(), decimal_comma(f))
        } else {
            "CAST(NULL AS BIGINT)".to_string()
        }
    };
    let key = product_key(d, &roles);
    let quantity = if has(Field::Quantity) {
        format!("coalesce({}, 1)", count(d, "quantity"))
    } else {
        "1".to_string()
    };
    let title = if has(Field::Title) {
        "title"
    } else {
        "CAST(NULL AS STRING)"
    };
    let kept_null: String = carried
        .iter()
        .map(|c| format!(", CAST(NULL AS STRING) AS {c}"))
        .collect();
    s.step(
        &format!("{prefix}typed"),
        &format!(
            "The lines of {} (宝贝报表): the order they belong to, the product (SKU / 商家编码, else product id, else\n\
             title), quantity (1 when blank), unit price, line amount and the line's own refund.",
            load.file
        ),
        format!(
            "SELECT shoplens_line, {} AS order_key, {key} AS product_key, {quantity} AS quantity,\n  \
             {} AS unit_price, {} AS line_amount, {} AS own_refund, {title} AS title\nFROM {prefix}cells",
            id(d, "order_id"),
            cents(Field::UnitPrice),
            cents(Field::LineAmount),
            cents(Field::RefundAmount),
        ),
    );
    s.step(
        &format!("{prefix}lines"),
        "Its lines with an order and a product and a quantity of 0 or more (ingest rejects the others), valued as the\n\
         export's own lines are (the line amount, else quantity × unit price).",
        format!(
            "SELECT order_key, shoplens_line, 0 AS item, product_key, quantity,\n  \
             coalesce(line_amount, unit_price * quantity) AS value, own_refund{kept_null}, {i} AS file_rank, title\n\
             FROM {prefix}typed\nWHERE order_key IS NOT NULL AND product_key IS NOT NULL AND quantity >= 0"
        ),
    );
    s
}

/// The line items of paid orders with each order's paid amount allocated to them (DEFINITIONS §6),
/// after [`super::orders::order_steps`]: ends with `revenue`, one row per line of a paid order with
/// its `product_key`, `quantity`, `value`, `day`, `customer`, `order_amount`, `order_refund`,
/// `own_refund`, `line_number` and `revenue_share` (cents). Read by the promotion and stock scripts,
/// and by [`allocated_lines`]. `carried`: columns of `row_states` kept on `line_items` (NULL on a
/// packed WooCommerce item).
pub(crate) fn paid_line_steps(ctx: &Context, s: &mut Script, carried: &[&str]) {
    let d = ctx.d;
    let roles = Roles::of(ctx);
    let has = |f| roles.has(f);
    // Ingest's rules for a row's line (`Mapper::order_row`).
    let line_level_amounts =
        has(Field::LineId) || ctx.load.decisions.amount_grain == Some(Grain::Line);
    let line_level_refunds =
        has(Field::LineId) || ctx.load.decisions.refund_grain == Some(Grain::Line);
    let amount = if line_level_amounts && has(Field::PaidAmount) {
        "coalesce(paid_amount, line_amount)"
    } else {
        "line_amount"
    };
    let own_refund = if line_level_refunds {
        "coalesce(line_refund, refund)"
    } else {
        "line_refund"
    };
    let named_rows = if has(Field::Quantity) {
        "TRUE"
    } else {
        "product_key IS NOT NULL"
    };
    // The carried columns, as the row has them and NULL on a packed item.
    let kept: String = carried.iter().map(|c| format!(", {c}")).collect();
    let kept_null: String = carried
        .iter()
        .map(|c| format!(", CAST(NULL AS STRING) AS {c}"))
        .collect();
    let details = detail_exports(ctx.others);
    // With a 宝贝报表 beside the export, each line carries the file it came from (0: the export).
    let rank = if details.is_empty() {
        ""
    } else {
        ", 0 AS file_rank"
    };
    let mut parts = vec![format!(
        "SELECT order_key, shoplens_line, 0 AS item, coalesce(product_key, {}) AS product_key, quantity,\n  \
         coalesce({amount}, unit_price * quantity) AS value, {own_refund} AS own_refund{kept}{rank}\n\
         FROM row_states\nWHERE packed_items IS NULL AND {named_rows}",
        d.string(UNNAMED_PRODUCT)
    )];
    if has(Field::PackedItems) {
        // Items start after `, ` where a count and × follow; one without a count is 1 unit.
        let marked = match d {
            Dialect::Duckdb => format!(
                "string_split(regexp_replace(packed_items, {}, chr(1) || '\\1', 'g'), chr(1))",
                d.string(r", ([0-9]+ *[×xX])")
            ),
            Dialect::Spark => format!(
                "split(regexp_replace(packed_items, {}, concat(chr(1), '$1')), {})",
                d.string(r", ([0-9]+ *[×xX])"),
                d.string(r"\x01")
            ),
        };
        let explode = match d {
            Dialect::Duckdb => {
                "unnest(items) AS part, unnest(range(1, len(items) + 1)) AS item".to_string()
            }
            Dialect::Spark => "posexplode(items) AS (item, part)".to_string(),
        };
        s.step(
            "packed_rows",
            "A packed cell (WooCommerce `2× Blue Mug, 1× Tea Towel`): its items, split where `, ` is followed by a count and ×.",
            format!(
                "SELECT order_key, shoplens_line, {marked} AS items\nFROM row_states\nWHERE packed_items IS NOT NULL"
            ),
        );
        s.step(
            "packed_items",
            "One line per item: the count before × (1 without one), the title after it as the product.",
            format!("SELECT order_key, shoplens_line, {explode}\nFROM packed_rows"),
        );
        let counted = r"^([0-9]+) *[×xX]([\s\S]*)$";
        let title = format!(
            "trim(CASE WHEN {} THEN {} ELSE trim(part) END)",
            d.matches("trim(part)", counted),
            d.extract("trim(part)", counted, 2)
        );
        parts.push(format!(
            "SELECT order_key, shoplens_line, item, {title} AS product_key,\n  \
             CASE WHEN {} THEN CAST({} AS BIGINT) ELSE 1 END AS quantity,\n  \
             CAST(NULL AS BIGINT) AS value, CAST(NULL AS BIGINT) AS own_refund{kept_null}{rank}\n\
             FROM packed_items\nWHERE {title} <> ''",
            d.matches("trim(part)", counted),
            d.extract("trim(part)", counted, 1)
        ));
    }
    s.step(
        if details.is_empty() {
            "line_items"
        } else {
            "export_lines"
        },
        &format!(
            "DEFINITIONS §6 line items: each row naming a product (SKU, else product id, else title{}), its\n\
             quantity, its value (the line amount{}, else quantity × unit price) and its own refund{}.",
            if has(Field::Quantity) {
                format!("; a row without one is a line of \"{UNNAMED_PRODUCT}\"")
            } else {
                String::new()
            },
            if amount == "line_amount" {
                ""
            } else {
                " — here the line's paid amount"
            },
            if line_level_refunds {
                " (the row's refund: refunds are per line here)"
            } else {
                ""
            }
        ),
        parts.join("\nUNION ALL\n"),
    );
    if !details.is_empty() {
        let mut parts = Vec::new();
        for (i, (load, source)) in details.iter().enumerate() {
            let detail = detail_steps(ctx, i + 1, load, source, carried);
            s.notes.extend(detail.notes);
            s.prelude.extend(detail.prelude);
            s.ctes.extend(detail.ctes);
            parts.push(format!(
                "SELECT order_key, shoplens_line, item, product_key, quantity, value, own_refund{kept}, file_rank\n\
                 FROM detail{}_lines",
                i + 1
            ));
        }
        s.notes.push(format!(
            "Line items: the lines of {} take the place of the order export's own for the orders they name, as the\n\
             engine attaches them{}.",
            details
                .iter()
                .map(|(l, _)| l.file.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if ctx.load.kind == Some(DatasetKind::Orders) {
                " (an order's one-line summary, 宝贝标题 + 宝贝总数量, gives way to them)"
            } else {
                ""
            }
        ));
        s.step(
            "detail_lines",
            "The 宝贝报表 lines, after the export's own, in the order the files were loaded.",
            parts.join("\nUNION ALL\n"),
        );
        // An order-level export's lines are one-line summaries, replaced for the orders the
        // 宝贝报表 names; a line-item export's own lines stay beside them.
        let own = if ctx.load.kind == Some(DatasetKind::Orders) {
            "SELECT e.*\nFROM export_lines e LEFT JOIN (SELECT DISTINCT order_key FROM detail_lines) x ON x.order_key = e.order_key\n\
             WHERE e.item > 0 OR x.order_key IS NULL"
        } else {
            "SELECT * FROM export_lines"
        };
        s.step(
            "line_items",
            "DEFINITIONS §6 line items: the export's own lines (an order-level export's summary line only where no 宝贝报表\n\
             line names its order; packed items stay), then the 宝贝报表 lines.",
            format!("{own}\nUNION ALL\nSELECT * FROM detail_lines"),
        );
    }
    s.step(
        "paid_lines",
        "The lines of paid orders, numbered in file order within their order.",
        format!(
            "SELECT l.*, p.customer, p.day, p.paid_amount AS order_amount, p.refund AS order_refund,\n  \
         row_number() OVER (PARTITION BY l.order_key ORDER BY {}l.shoplens_line, l.item) AS line_number\n\
         FROM line_items l JOIN paid_orders p ON p.order_key = l.order_key",
            if details.is_empty() { "" } else { "l.file_rank, " }
        ),
    );
    allocation(s, d, "revenue", "paid_lines", "order_key", "order_amount");
}

/// [`paid_line_steps`], then the refunds allocated like revenue, to `allocated`: every line of a
/// paid order with its share of the order's paid amount (`revenue`) and refund (`refund`), to the
/// cent, as `analysis::products`' `LineSplit` allocates them — what the ranking and the category
/// breakdown (§10) both read.
pub(crate) fn allocated_lines(ctx: &Context, s: &mut Script, carried: &[&str]) {
    let d = ctx.d;
    paid_line_steps(ctx, s, carried);
    s.step(
        "refund_rest",
        "DEFINITIONS §6 refunds: a line's own refund where the export gives one; the order's refund (less the lines'\n\
         own, never below 0) is allocated to the other lines like revenue.",
        "SELECT *, own_refund IS NOT NULL AS has_own,\n  \
         CASE WHEN count(own_refund) OVER (PARTITION BY order_key) = 0 THEN order_refund\n       \
         ELSE greatest(order_refund - sum(own_refund) OVER (PARTITION BY order_key), 0) END AS refund_rest\n\
         FROM revenue"
            .into(),
    );
    allocation(
        s,
        d,
        "refund",
        "refund_rest",
        "order_key, has_own",
        "refund_rest",
    );
    s.step(
        "allocated",
        "Each line's revenue and refund.",
        "SELECT order_key, customer, day, product_key, quantity, value, revenue_share AS revenue,\n  \
         CASE WHEN has_own THEN own_refund ELSE refund_share END AS refund, order_amount\nFROM refund"
            .into(),
    );
}

pub(crate) fn products(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    let lists = cost_stock_lists(ctx.others);
    refuse_foreign_costs(ctx, &lists)?;
    s.title =
        "products: revenue allocated to lines, ranking, ABC and the scorecard (DEFINITIONS §6)"
            .into();
    ranking_steps(ctx, s);
    scorecard_steps(ctx, s, &lists)?;
    let percentiles: Vec<String> = COMPONENTS
        .iter()
        .map(|(_, c)| format!("{c}_percentile"))
        .collect();
    let percentiles = percentiles.join(", ");
    s.select = format!(
        "-- DEFINITIONS §6 per product, in ranking order; quadrant: high share = class A, high growth = growth ≥ the\n\
         -- shop's growth; \"new\" products are question marks. Scorecard: each component, its percentile and the scores.\n\
         SELECT rank, product_key AS key, revenue, merchandise_value, units, paid_orders, buyers, repeat_buyers, refunds,\n  \
         refund_rate, avg_selling_price,\n  \
         CAST(revenue AS DOUBLE) / NULLIF(total_revenue, 0) AS share,\n  \
         repeat_buyer_rate, recent_revenue, previous_revenue, recent_units, growth,\n  \
         CASE WHEN growth IS NULL THEN 'new' ELSE 'measured' END AS growth_status,\n  abc,\n  \
         {QUADRANT} AS quadrant,\n  \
         top_buyer_share,\n  \
         CAST(revenue_before + revenue AS DOUBLE) / NULLIF(total_revenue, 0) AS cumulative_share,\n  \
         item_conversion, unit_cost, gross_profit, margin, stock, stock_cover_days, stock_out,\n  \
         {percentiles},\n  \
         potential_score, feasibility_score, risk_score\n\
         FROM scorecard\nORDER BY rank"
    );
    Ok(())
}

/// The scorecard's components (DEFINITIONS §6, `analysis/products/score.rs`), each with its
/// dimension, in the engine's order: 潜力 (higher is better), 可执行 (higher is better), 风险
/// (higher is riskier).
const COMPONENTS: [(&str, &str); 9] = [
    ("potential", "growth"),
    ("potential", "item_conversion"),
    ("potential", "repeat_buyer_rate"),
    ("feasibility", "margin"),
    ("feasibility", "stock_cover_days"),
    ("feasibility", "avg_selling_price"),
    ("risk", "refund_rate"),
    ("risk", "top_buyer_share"),
    ("risk", "stock_out"),
];

/// The session's behaviour logs beside the orders (the engine reads their events as one log).
fn behaviour_logs<'a>(
    others: &'a [(&'a LoadReport, SqlSource)],
) -> Vec<&'a (&'a LoadReport, SqlSource)> {
    others
        .iter()
        .filter(|(l, _)| l.error.is_none() && l.kind == Some(DatasetKind::Events))
        .collect()
}

/// The session's item traffic exports beside the orders (生意参谋 商品: rows with a product id), in
/// load order: the engine's item conversion without a behaviour log.
fn item_traffic_exports<'a>(
    others: &'a [(&'a LoadReport, SqlSource)],
) -> Vec<&'a (&'a LoadReport, SqlSource)> {
    others
        .iter()
        .filter(|(l, _)| {
            l.error.is_none()
                && l.kind == Some(DatasetKind::Traffic)
                && has_role(l, Field::ProductId)
        })
        .collect()
}

/// Refuses cost lists in another currency than the orders': the engine clears such costs (or
/// converts the orders), which the script does not follow.
fn refuse_foreign_costs(
    ctx: &Context,
    lists: &[&(&LoadReport, SqlSource)],
) -> Result<(), SqlError> {
    let Some(orders) = ctx.load.currency.as_deref() else {
        return Ok(());
    };
    let foreign = lists.iter().find(|(l, _)| {
        has_role(l, Field::Cost) && l.currency.as_deref().is_some_and(|c| c != orders)
    });
    if let Some((list, _)) = foreign {
        return Err(err(
            "cost_currency",
            format!(
                "{}'s costs are in {} and {}'s orders in {orders}: the script reads both as written",
                list.file,
                list.currency.as_deref().unwrap_or("?"),
                ctx.load.file
            ),
        ));
    }
    Ok(())
}

/// DEFINITIONS §6 counts behind the percentile of `c` (`score.rs`' `percentile_ranks`), in one
/// window per component: `{c}_below` values strictly below (L), `{c}_up_to` values up to and equal
/// (L + E), `{c}_n` rows with a value (n). `+ 0e0` makes −0 equal to 0, as the engine compares them.
fn percentile_counts(c: &str) -> String {
    let w = format!("PARTITION BY {c} IS NULL ORDER BY {c} + 0e0");
    format!(
        "rank() OVER ({w}) - 1 AS {c}_below,\n  \
         count(*) OVER ({w}) AS {c}_up_to,\n  \
         count(*) OVER ({w} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS {c}_n"
    )
}

/// DEFINITIONS §6 percentile of `c` from [`percentile_counts`]: `100 · (L + (E − 1) / 2) / (n − 1)`,
/// 50 when n = 1, NULL without a value.
fn percentile(c: &str) -> String {
    format!(
        "CASE WHEN {c} IS NULL THEN NULL WHEN {c}_n = 1 THEN 5e1\n       \
         ELSE 1e2 * (CAST({c}_below AS DOUBLE) + CAST({c}_up_to - {c}_below - 1 AS DOUBLE) / 2e0) / CAST({c}_n - 1 AS DOUBLE)\n  \
         END AS {c}_percentile"
    )
}

/// DEFINITIONS §5 item conversion from the behaviour logs beside the orders (`analysis::funnel`'s
/// `item_conversion`), read by the funnel script's own steps (reading prefixed `log_`; several
/// logs: `log1_`, `log2_` …, read as one as the engine reads them; `events`,
/// `event_names`, `log_has_product_views`, `name_meanings`): `item_conversions`, per item id
/// (product id, else SKU, as ingest reads an event's item) its distinct viewers and buyers — the
/// events meaning view and purchase whatever the funnel's steps — and their ratio (NULL where
/// nobody viewed it). The item id is the key the engine interns an order line's product under, so
/// it joins the ranking's `product_key`.
fn item_conversion_steps(
    ctx: &Context,
    s: &mut Script,
    logs: &[&(&LoadReport, SqlSource)],
) -> Result<(), SqlError> {
    let d = ctx.d;
    let file_options: Vec<_> = logs.iter().map(|(load, _)| ctx.options_of(load)).collect();
    let prefixes = file_prefixes("log", logs.len());
    let log_ctxs: Vec<Context> = logs
        .iter()
        .zip(&file_options)
        .zip(&prefixes)
        .map(|(((load, source), file_options), prefix)| {
            ctx.for_file(load, source, file_options, prefix)
        })
        .collect();
    // Each log's item: its product id, else its SKU, in that log's own columns.
    let item_columns = |_: &Context, roles: &Roles| {
        let (ids, item) = log_item(d, roles);
        (ids, vec![format!("{item} AS item")])
    };
    let log = union_event_steps_with(&log_ctxs, item_columns, &["item"])?;
    s.notes.extend(log.notes);
    s.notes.push(format!(
        "Item conversion of the scorecard from the events of {} (DEFINITIONS §5{}).",
        logs.iter()
            .map(|(l, _)| l.file.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if logs.len() > 1 {
            ": the logs read as one, as the engine reads them"
        } else {
            ""
        }
    ));
    s.prelude.extend(log.prelude);
    s.ctes.extend(log.ctes);
    meaning_steps(s);
    item_conversion_step(s);
    Ok(())
}

/// A behaviour log's item as ingest reads an event's (product id, else SKU), over the columns
/// `roles` maps: the fields it reads and the expression.
pub(crate) fn log_item(d: Dialect, roles: &Roles) -> (Vec<Field>, String) {
    let ids: Vec<Field> = [Field::ProductId, Field::Sku]
        .into_iter()
        .filter(|&f| roles.has(f))
        .collect();
    let item = first_given(&ids.iter().map(|f| id(d, f.code())).collect::<Vec<_>>());
    (ids, item)
}

/// `item_conversions` (`product_key`, `item_conversion`) after `events` (with its `item`) and
/// `name_meanings` ([`meaning_steps`]): DEFINITIONS §5 item conversion per item.
pub(crate) fn item_conversion_step(s: &mut Script) {
    s.step(
        "item_conversions",
        "DEFINITIONS §5 item conversion: per item (product id, else SKU), distinct buyers / distinct viewers, from the\n\
         events meaning view and purchase whatever the funnel's steps; NULL where nobody viewed the item.",
        "SELECT e.item AS product_key,\n  \
         CAST(count(DISTINCT CASE WHEN n.meaning = 'purchase' THEN e.user_id END) AS DOUBLE)\n    \
         / NULLIF(count(DISTINCT CASE WHEN n.meaning = 'view' THEN e.user_id END), 0) AS item_conversion\n\
         FROM events e JOIN name_meanings n ON n.event_name = e.event_name\n\
         WHERE e.item IS NOT NULL AND n.meaning IN ('view', 'purchase')\nGROUP BY e.item"
            .into(),
    );
}

/// `item_conversions` from the item traffic exports (DEFINITIONS §5 without a behaviour log): their
/// rows as ingest keeps them ([`traffic_rows`]), per product id Σ 支付买家数 / Σ 访客数 over every
/// export's item rows (a negative count read as 0). The product id is the key the engine interns an
/// order line's product under, so it joins the ranking's `product_key`.
fn traffic_conversion_steps(ctx: &Context, s: &mut Script, exports: &[&(&LoadReport, SqlSource)]) {
    let exports: Vec<(&LoadReport, SqlSource)> =
        exports.iter().map(|(l, src)| (*l, src.clone())).collect();
    traffic_rows(ctx, s, &exports);
    s.notes.push(format!(
        "Item conversion of the scorecard from {}'s item rows (DEFINITIONS §5).",
        exports
            .iter()
            .map(|(l, _)| l.file.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.step(
        "item_conversions",
        "DEFINITIONS §5 item conversion without a behaviour log: per product, Σ 支付买家数 / Σ 访客数 over the item rows\n\
         (NULL where no row gives either count, or the visitors sum to 0).",
        format!(
            "SELECT product AS product_key, {} AS item_conversion\nFROM traffic_rows\nWHERE product IS NOT NULL\nGROUP BY product",
            item_conversion()
        ),
    );
}

/// The scorecard's steps after [`ranking_steps`], to `scorecard`: every column of
/// `classified_products` with the unit cost and stock of the `lists`, each component, its
/// percentile and the three scores.
fn scorecard_steps(
    ctx: &Context,
    s: &mut Script,
    lists: &[&(&LoadReport, SqlSource)],
) -> Result<(), SqlError> {
    let window = ctx.options.products.growth_window_days.max(1);
    // Item conversion: the behaviour logs' (read as one), else the item
    // traffic exports', else NULL.
    let traffic = item_traffic_exports(ctx.others);
    let logs = behaviour_logs(ctx.others);
    let read = match logs.first() {
        Some(_) => {
            item_conversion_steps(ctx, s, &logs)?;
            true
        }
        None if !traffic.is_empty() => {
            traffic_conversion_steps(ctx, s, &traffic);
            true
        }
        None => false,
    };
    let (conversion, conversion_join) = if read {
        (
            "i.item_conversion",
            "\nLEFT JOIN item_conversions i ON i.product_key = c.product_key",
        )
    } else {
        ("CAST(NULL AS DOUBLE) AS item_conversion", "")
    };
    let levels = if lists.is_empty() {
        format!(
            "SELECT c.*, CAST(NULL AS BIGINT) AS unit_cost, CAST(NULL AS BIGINT) AS stock, {conversion}\n\
             FROM classified_products c{conversion_join}"
        )
    } else {
        s.notes.push(format!(
            "Unit cost and stock of the scorecard from {}.",
            lists
                .iter()
                .map(|(l, _)| l.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let mut parts = Vec::new();
        for (i, (load, source)) in lists.iter().enumerate() {
            let list = list_steps(ctx, i + 1, load, source, true);
            s.notes.extend(list.notes);
            s.prelude.extend(list.prelude);
            s.ctes.extend(list.ctes);
            parts.push(format!(
                "SELECT {} AS list, product_key, cost, stock FROM list{}_levels",
                i + 1,
                i + 1
            ));
        }
        s.step(
            "product_levels",
            "DEFINITIONS §6 scorecard inputs: each product's unit cost and stock, the later list's where several give one.",
            format!(
                "SELECT product_key,\n  max_by(cost, CASE WHEN cost IS NOT NULL THEN list END) AS unit_cost,\n  \
                 max_by(stock, CASE WHEN stock IS NOT NULL THEN list END) AS stock\nFROM (\n{}\n) l\nGROUP BY product_key",
                parts.join("\nUNION ALL\n")
            ),
        );
        format!(
            "SELECT c.*, k.unit_cost, k.stock, {conversion}\n\
             FROM classified_products c LEFT JOIN product_levels k ON k.product_key = c.product_key{conversion_join}"
        )
    };
    s.step(
        "product_figures",
        "DEFINITIONS §6 per product: the unit cost and stock the lists give it (NULL where none does), and its item\n\
         conversion (§5, from the behaviour log or the item traffic export beside the orders; NULL without one).",
        levels,
    );
    s.step(
        "scorecard_values",
        &format!(
            "DEFINITIONS §6 scorecard components (and the figures behind them): gross profit = revenue − unit cost ×\n\
             units, margin = gross profit / revenue, stock cover = stock / (recent units / {window} days) where recent\n\
             units > 0, repeat-buyer and refund rates, average selling price, the top buyer's share of revenue."
        ),
        format!(
            "SELECT *,\n  \
             CAST(repeat_buyers AS DOUBLE) / NULLIF(buyers, 0) AS repeat_buyer_rate,\n  \
             CAST(gross_profit AS DOUBLE) / NULLIF(revenue, 0) AS margin,\n  \
             CASE WHEN recent_units > 0 THEN CAST(stock AS DOUBLE) * {window} / recent_units END AS stock_cover_days,\n  \
             CAST(revenue AS DOUBLE) / NULLIF(units, 0) AS avg_selling_price,\n  \
             CAST(refunds AS DOUBLE) / NULLIF(revenue, 0) AS refund_rate,\n  \
             CASE WHEN buyers > 0 THEN CAST(top_buyer_revenue AS DOUBLE) / NULLIF(revenue, 0) END AS top_buyer_share\n\
             FROM (SELECT *, revenue - unit_cost * units AS gross_profit FROM product_figures) f"
        ),
    );
    s.step(
        "scorecard_components",
        &format!(
            "DEFINITIONS §6 stock-out (风险): 1 when the product is out of stock (≤ 0) or its stock covers fewer than {}\n\
             days, else 0; NULL without a stock figure (stock without recent sales has no cover and is not at risk).",
            STOCK_OUT_COVER_DAYS
        ),
        format!(
            "SELECT *,\n  \
             CASE WHEN stock IS NULL THEN NULL\n       \
             WHEN stock <= 0 OR coalesce(stock_cover_days < {}, FALSE) THEN 1e0 ELSE 0e0 END AS stock_out\n\
             FROM scorecard_values",
            double(STOCK_OUT_COVER_DAYS)
        ),
    );
    let counts: Vec<String> = COMPONENTS
        .iter()
        .map(|(_, c)| percentile_counts(c))
        .collect();
    s.step(
        "scorecard_ranks",
        "DEFINITIONS §6 scorecard: per component, among the products that have it, the values below (L), up to and\n\
         equal (L + E, itself included) and the products with a value (n).",
        format!(
            "SELECT *,\n{}\nFROM scorecard_components",
            super::list(&counts, "  ")
        ),
    );
    let ranks: Vec<String> = COMPONENTS.iter().map(|(_, c)| percentile(c)).collect();
    s.step(
        "scorecard_percentiles",
        "DEFINITIONS §6 scorecard: each component's 0–100 percentile within the shop, 100 · (L + (E − 1) / 2) / (n − 1):\n\
         the smallest 0, the largest 100, equal values the mean of their ranks, 50 when n = 1, NULL without a value.",
        format!(
            "SELECT *,\n{}\nFROM scorecard_ranks",
            super::list(&ranks, "  ")
        ),
    );
    let scores: Vec<String> = ["potential", "feasibility", "risk"]
        .iter()
        .map(|dim| {
            let parts: Vec<&str> = COMPONENTS
                .iter()
                .filter(|(x, _)| x == dim)
                .map(|(_, c)| *c)
                .collect();
            let sum: Vec<String> = parts
                .iter()
                .map(|c| format!("coalesce({c}_percentile, 0e0)"))
                .collect();
            let n: Vec<String> = parts
                .iter()
                .map(|c| format!("CASE WHEN {c}_percentile IS NULL THEN 0 ELSE 1 END"))
                .collect();
            format!(
                "({})\n    / CAST(NULLIF({}, 0) AS DOUBLE) AS {dim}_score",
                sum.join(" + "),
                n.join("\n      + ")
            )
        })
        .collect();
    s.step(
        "scorecard",
        "DEFINITIONS §6 scores 潜力 (growth, item conversion, repeat-buyer rate), 可执行 (margin, stock cover, average\n\
         selling price), 风险 (refund rate, top-buyer share, stock-out): the mean of the percentiles the product has,\n\
         NULL with none; higher risk is worse.",
        format!("SELECT *,\n{}\nFROM scorecard_percentiles", super::list(&scores, "  ")),
    );
    Ok(())
}

/// DEFINITIONS §6 quadrant of a row of `classified_products` (`growth`, `abc`, `shop_growth`).
pub(crate) const QUADRANT: &str = "CASE WHEN growth IS NULL THEN 'question_mark'\n       \
     WHEN abc = 'a' AND growth >= shop_growth THEN 'star'\n       \
     WHEN abc = 'a' THEN 'cash_cow'\n       \
     WHEN growth >= shop_growth THEN 'question_mark' ELSE 'dog' END";

/// The ranking's steps, [`allocated_lines`] to `classified_products` (after
/// [`super::orders::order_steps`]): one row per product with its revenue, units, paid orders,
/// refunds, growth windows, rank, ABC class, `growth` and the shop's; [`QUADRANT`] reads it.
/// Read by the action list (§11 refund spike, ride a riser) too.
pub(crate) fn ranking_steps(ctx: &Context, s: &mut Script) {
    let window = ctx.options.products.growth_window_days.max(1);
    allocated_lines(ctx, s, &[]);
    s.step(
        "windows",
        &format!(
            "DEFINITIONS §6 growth: the last {window} days ending on the last paid order date with lines, against the\n\
             {window} days before."
        ),
        format!(
            "SELECT max(day) - {window} + 1 AS recent_start, max(day) - 2 * {window} + 1 AS previous_start FROM allocated"
        ),
    );
    s.step(
        "buyer_ids",
        "Buyer figures exist only where the export has customer ids at all (on any order).",
        "SELECT count(customer) > 0 AS known FROM orders".into(),
    );
    // Per product and customer first, then per product: the lines are read once (Spark plans a
    // step anew at every place it is read). An order has one customer, so a product's paid orders
    // are the sum of its customers'.
    s.step(
        "product_customers",
        "DEFINITIONS §6 per product and customer (the orders without one together): revenue, merchandise value\n\
         (Σ line value), units, paid orders, refunds, and the growth windows' revenue and units.",
        "SELECT a.product_key, a.customer,\n  sum(a.revenue) AS revenue, sum(a.value) AS merchandise_value, sum(a.quantity) AS units,\n  \
         count(DISTINCT a.order_key) AS paid_orders, sum(a.refund) AS refunds,\n  \
         sum(CASE WHEN a.day >= w.recent_start THEN a.revenue ELSE 0 END) AS recent_revenue,\n  \
         sum(CASE WHEN a.day >= w.previous_start AND a.day < w.recent_start THEN a.revenue ELSE 0 END) AS previous_revenue,\n  \
         sum(CASE WHEN a.day >= w.recent_start THEN a.quantity ELSE 0 END) AS recent_units\n\
         FROM allocated a CROSS JOIN windows w\nGROUP BY a.product_key, a.customer"
            .into(),
    );
    s.step(
        "product_sums",
        "DEFINITIONS §6 per product: the sums of its customers', and its buyers (distinct customers), repeat buyers\n\
         (with ≥ 2 of its paid orders) and the largest revenue one buyer brought.",
        "SELECT c.product_key,\n  sum(c.revenue) AS revenue, sum(c.merchandise_value) AS merchandise_value, sum(c.units) AS units,\n  \
         sum(c.paid_orders) AS paid_orders, sum(c.refunds) AS refunds,\n  \
         sum(c.recent_revenue) AS recent_revenue, sum(c.previous_revenue) AS previous_revenue,\n  \
         sum(c.recent_units) AS recent_units,\n  \
         CASE WHEN k.known THEN count(c.customer) END AS buyers,\n  \
         CASE WHEN k.known THEN count(CASE WHEN c.customer IS NOT NULL AND c.paid_orders >= 2 THEN 1 END) END AS repeat_buyers,\n  \
         max(CASE WHEN c.customer IS NOT NULL THEN c.revenue END) AS top_buyer_revenue\n\
         FROM product_customers c CROSS JOIN buyer_ids k\nGROUP BY c.product_key, k.known"
            .into(),
    );
    s.step(
        "ranked",
        "DEFINITIONS §6 ranking: revenue descending, ties by key; the cumulative revenue before each product.",
        "SELECT *,\n  \
         row_number() OVER (ORDER BY revenue DESC, product_key) AS rank,\n  \
         coalesce(sum(revenue) OVER (ORDER BY revenue DESC, product_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS revenue_before,\n  \
         sum(revenue) OVER () AS total_revenue\n\
         FROM product_sums"
            .into(),
    );
    s.step(
        "classified_products",
        "DEFINITIONS §6 ABC: with p the cumulative share before the product, A if p < 80 %, B if p < 95 %, else C\n\
         (compared in integers; every product is C when total revenue ≤ 0); growth, undefined (\"new\") without\n\
         revenue in the earlier window; the shop's growth: its paid orders with lines in both windows (the sum of\n\
         the products', as each order's revenue is allocated to its lines to the cent).",
        "SELECT *,\n  \
         CASE WHEN total_revenue <= 0 THEN 'c'\n       \
         WHEN revenue_before * 100 < total_revenue * 80 THEN 'a'\n       \
         WHEN revenue_before * 100 < total_revenue * 95 THEN 'b' ELSE 'c' END AS abc,\n  \
         CAST(recent_revenue - previous_revenue AS DOUBLE) / NULLIF(previous_revenue, 0) AS growth,\n  \
         CAST(sum(recent_revenue) OVER () - sum(previous_revenue) OVER () AS DOUBLE)\n    \
         / NULLIF(sum(previous_revenue) OVER (), 0) AS shop_growth\n\
         FROM ranked"
            .into(),
    );
}
