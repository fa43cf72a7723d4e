//! Orders from an order export (DEFINITIONS §1): typed cells, each row's payment state, one order
//! per id with order-level amounts counted once and line-level amounts summed, as ingest builds
//! them (`ingest/rows/orders.rs`). Ends with `paid_orders`: one row per paid order with its
//! customer, day and units.

use super::normalize::{count, id, key, money, seconds, status_class, status_lookup};
use super::read::{read_steps, Roles};
use super::{err, list, Context, Dialect, Script, SqlError};
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::schema::recognize::Grain;
use crate::schema::value::StatusClass;

use crate::ingest::UNNAMED_PRODUCT;

const ORDER_FIELDS: &[Field] = &[
    Field::OrderId,
    Field::LineId,
    Field::CustomerId,
    Field::CreatedTime,
    Field::PaidTime,
    Field::Status,
    Field::PaidAmount,
    Field::RefundAmount,
    Field::LineRefund,
    Field::Sku,
    Field::ProductId,
    Field::Title,
    Field::Quantity,
    Field::UnitPrice,
    Field::LineAmount,
    Field::PackedItems,
];

/// Seconds added to Unix epochs (ingest's rule: the user's offset, else +8 h for Chinese platforms).
pub(crate) fn epoch_offset(ctx: &Context) -> i64 {
    ctx.options
        .ingest
        .epoch_offset_minutes
        .map(|m| m * 60)
        .unwrap_or(if ctx.load.platform.is_some_and(|p| p.is_chinese()) {
            8 * 3600
        } else {
            0
        })
}

pub(crate) fn order_steps(ctx: &Context) -> Result<Script, SqlError> {
    order_steps_with(ctx, &[])
}

/// [`order_steps`], with the cells of the roles `carried` (those the export has) kept, cleaned and
/// named by their role, on every row of `typed`, `classified` and `row_states`: what a section reads
/// beyond the orders (the breakdowns' shop, channel, region and category columns).
pub(crate) fn order_steps_with(ctx: &Context, carried: &[Field]) -> Result<Script, SqlError> {
    let d = ctx.d;
    let roles = Roles::of(ctx);
    let has = |f| roles.has(f);
    if ctx.options.ingest.time_zone.is_some() {
        return Err(err(
            "time_zone_not_supported",
            "a report time zone is set; the scripts read every timestamp at its wall clock",
        ));
    }
    let detail_only = ctx.load.kind == Some(DatasetKind::OrderLines)
        && has(Field::OrderId)
        && !has(Field::CreatedTime)
        && !has(Field::PaidTime);
    if detail_only {
        return Err(err(
            "detail_lines",
            format!(
                "{} holds line items without order times: its orders come from the order export (订单报表) loaded with it",
                ctx.load.file
            ),
        ));
    }
    let carried: Vec<Field> = carried
        .iter()
        .copied()
        .filter(|&f| has(f) && !ORDER_FIELDS.contains(&f))
        .collect();
    let wanted: Vec<Field> = ORDER_FIELDS.iter().chain(&carried).copied().collect();
    let mut s = read_steps(ctx, &roles, &wanted);
    let decimal_comma = |f: Field| {
        ctx.load
            .columns
            .iter()
            .any(|c| c.field == Some(f) && c.duplicate_of.is_none() && c.decimal_comma)
    };
    let offset = epoch_offset(ctx);
    let overrides: Vec<(String, StatusClass)> = ctx
        .file_options
        .statuses
        .iter()
        .map(|(v, &m)| {
            (
                crate::schema::value::clean(v).to_string(),
                StatusClass::from(m),
            )
        })
        .collect();

    let null = "CAST(NULL AS BIGINT)";
    let mut typed = Vec::new();
    typed.push(if has(Field::OrderId) {
        format!("{} AS order_key", id(d, "order_id"))
    } else {
        "'row ' || CAST(shoplens_line AS STRING) AS order_key".to_string()
    });
    typed.push(if has(Field::CustomerId) {
        format!("{} AS customer", id(d, "customer_id"))
    } else {
        "CAST(NULL AS STRING) AS customer".into()
    });
    for (f, name) in [
        (Field::CreatedTime, "created_at"),
        (Field::PaidTime, "paid_at"),
    ] {
        typed.push(if has(f) {
            format!("{} AS {name}", seconds(d, f.code(), offset))
        } else {
            format!("{null} AS {name}")
        });
    }
    typed.push(if has(Field::Status) {
        format!(
            "status AS status_text,\n  {} AS status_key",
            key(d, "status")
        )
    } else {
        "CAST(NULL AS STRING) AS status_text, CAST(NULL AS STRING) AS status_key".into()
    });
    for (f, name) in [
        (Field::PaidAmount, "paid_amount"),
        (Field::RefundAmount, "refund"),
        (Field::LineRefund, "line_refund"),
        (Field::UnitPrice, "unit_price"),
        (Field::LineAmount, "line_amount"),
    ] {
        typed.push(if has(f) {
            format!("{} AS {name}", money(d, f.code(), decimal_comma(f)))
        } else {
            format!("{null} AS {name}")
        });
    }
    typed.push(format!("{} AS product_key", product_key(d, &roles)));
    typed.push(if has(Field::Quantity) {
        format!("coalesce({}, 1) AS quantity", count(d, "quantity"))
    } else {
        "1 AS quantity".into()
    });
    // WooCommerce packs lines into one cell, `2× Blue Mug, 1× Tea Towel`: its units are the
    // counts before ×, and an item without one counts 1.
    typed.push(if has(Field::PackedItems) {
        let counts = format!(
            "regexp_extract_all(packed_items, {}, 2)",
            d.string(r"(^|, )([0-9]+) *[×xX]")
        );
        let sum = match d {
            super::Dialect::Duckdb => {
                format!("list_sum(list_transform({counts}, lambda x: CAST(x AS BIGINT)))")
            }
            super::Dialect::Spark => {
                format!("aggregate({counts}, CAST(0 AS BIGINT), (acc, x) -> acc + CAST(x AS BIGINT))")
            }
        };
        format!(
            "packed_items,\n  CASE WHEN packed_items IS NULL THEN NULL ELSE coalesce({sum}, 0) + CASE WHEN {} THEN 0 ELSE 1 END END AS packed_units",
            d.matches("packed_items", r"^[0-9]+ *[×xX]")
        )
    } else {
        "CAST(NULL AS STRING) AS packed_items, CAST(NULL AS BIGINT) AS packed_units".into()
    });
    typed.extend(carried.iter().map(|f| f.code().to_string()));
    s.step(
        "typed",
        "Values read as ingest reads them (DEFINITIONS §1): ids exact text, money in cents (¥ $ 元, 1,299.00, 1.5万),\n\
         times as wall-clock seconds since 1970 (an offset written after the time is not applied; Unix epochs\n\
         get the platform's offset), statuses as the key the status table is looked up by.",
        format!("SELECT shoplens_line,\n{}\nFROM cells", list(&typed, "  ")),
    );

    // The payment state of each row (ingest's `pay_state`), as the export's columns decide it.
    let has_paid_time = has(Field::PaidTime);
    let has_status = has(Field::Status);
    let state = if has_paid_time {
        "CASE WHEN status_class = 'test' THEN 'cancelled'\n\
         \x20      WHEN paid_at IS NOT NULL THEN 'paid'\n\
         \x20      WHEN status_class = 'cancelled' THEN 'cancelled'\n\
         \x20      WHEN status_class IS NOT NULL THEN 'unpaid' END"
            .to_string()
    } else if has_status {
        "CASE WHEN status_text IS NOT NULL AND status_class IS NULL\n\
         \x20        THEN CASE WHEN paid_amount > 0 THEN 'paid' ELSE 'unpaid' END\n\
         \x20      WHEN status_class IN ('paid', 'refunded') THEN 'paid'\n\
         \x20      WHEN status_class = 'unpaid' THEN 'unpaid'\n\
         \x20      WHEN status_class IS NOT NULL THEN 'cancelled' END"
            .to_string()
    } else {
        "'paid'".to_string()
    };
    let rule = if has_paid_time {
        "the export has a payment time: it alone decides (交易关闭 with a payment time is paid); test orders never count"
    } else if has_status {
        "no payment time: the status decides (交易成功, paid, completed … are paid; 交易关闭 without payment is not); an unknown status is paid when its amount is above 0"
    } else {
        "neither a payment time nor a status: every order is paid"
    };
    s.step(
        "classified",
        "Each status classed by the engine's status table (paid, unpaid, cancelled, closed, refunded, test), the\n\
         user's own meanings first; NULL for a status the table does not know.",
        format!(
            "SELECT *,\n  {} AS status_class\nFROM (SELECT *, {} AS status_lookup FROM typed) t\nWHERE order_key IS NOT NULL",
            status_class(d, "status_text", "status_lookup", &overrides),
            status_lookup(d, "status_key")
        ),
    );
    s.step(
        "row_states",
        &format!("DEFINITIONS §1 paid order, per row: {rule}."),
        format!("SELECT *,\n  {state} AS row_state\nFROM classified"),
    );

    // Amounts into orders (DEFINITIONS §1 order-level or line-level amount).
    let line_level_amounts = has(Field::LineId)
        || ctx.load.decisions.amount_grain == Some(Grain::Line)
        || !has(Field::PaidAmount);
    let line_level_refunds =
        has(Field::LineId) || ctx.load.decisions.refund_grain == Some(Grain::Line);
    let first_nonzero = |c: &str| {
        format!(
            "coalesce({}, 0)",
            d.first_by(c, &format!("CASE WHEN {c} <> 0 THEN shoplens_line END"))
        )
    };
    let line_value = "coalesce(paid_amount, line_amount, unit_price * quantity, 0)";
    let (amount, amount_rule) = if has(Field::PackedItems) || !line_level_amounts {
        (
            first_nonzero("paid_amount"),
            "the paid amount is the order's (repeated or on its first row): counted once",
        )
    } else if has(Field::Quantity) {
        (
            format!("sum({line_value})"),
            "the paid amount is per line (or the line value where blank): summed",
        )
    } else {
        (
            format!(
                "sum(CASE WHEN product_key IS NOT NULL THEN {line_value} ELSE coalesce(paid_amount, 0) END)"
            ),
            "the paid amount is per line (or the line value where blank): summed",
        )
    };
    let refund_adds_up =
        line_level_refunds || (has(Field::LineRefund) && !has(Field::RefundAmount));
    let (refund, refund_rule) = if refund_adds_up {
        let line = if has(Field::LineRefund) {
            if line_level_refunds {
                "coalesce(line_refund, refund, 0)"
            } else {
                "coalesce(line_refund, 0)"
            }
        } else {
            "coalesce(refund, 0)"
        };
        (format!("sum({line})"), "refunds are per line: summed")
    } else {
        (
            first_nonzero("refund"),
            "the refund is the order's: counted once",
        )
    };
    // Line items: every row naming a product (or, with a quantity column, every row: a line of an
    // unnamed product); packed cells give their counts. Summed in the same pass as the order's other
    // values: one read of the rows (Spark plans a step anew at every place it is read).
    let line_units = if has(Field::PackedItems) {
        "CASE WHEN product_key IS NOT NULL OR packed_items IS NOT NULL THEN coalesce(packed_units, quantity) END"
    } else if has(Field::Quantity) {
        "coalesce(packed_units, quantity)"
    } else {
        "CASE WHEN product_key IS NOT NULL THEN coalesce(packed_units, quantity) END"
    };
    let first = |c: &str| {
        d.first_by(
            c,
            &format!("CASE WHEN {c} IS NOT NULL THEN shoplens_line END"),
        )
    };
    s.step(
        "orders",
        &format!(
            "DEFINITIONS §1 order: rows with the same order id are one order; {amount_rule}; {refund_rule}.\n\
             Paid when its first row is, or a later row is paid or any row has a payment time. Its units: the\n\
             quantities of its line items (a row without a product is a line of \"{UNNAMED_PRODUCT}\" where the\n\
             export has a quantity column)."
        ),
        format!(
            "SELECT order_key,\n  {} AS customer,\n  {} AS created_at,\n  {} AS paid_at,\n  \
             CASE WHEN bool_or(row_state = 'paid') OR (count(*) > 1 AND count(paid_at) > 0) THEN 'paid'\n       \
             ELSE {} END AS state,\n  {amount} AS paid_amount,\n  {refund} AS refund,\n  \
             sum({line_units}) AS units\n\
             FROM row_states\nGROUP BY order_key",
            first("customer"),
            first("created_at"),
            first("paid_at"),
            d.first_by("coalesce(row_state, 'unpaid')", "shoplens_line"),
        ),
    );
    s.step(
        "paid_orders",
        "DEFINITIONS §1 paid orders, each on the day of its order time (the payment time, else the creation time).",
        format!(
            "SELECT order_key, customer, paid_amount, refund, coalesce(units, 0) AS units,\n  {} AS day\nFROM orders\nWHERE state = 'paid'",
            d.floor_div("coalesce(paid_at, created_at, 0)", "86400")
        ),
    );
    Ok(s)
}

/// The first of `values` that is not NULL: `coalesce`, the value itself when alone, NULL for none.
pub(crate) fn first_given(values: &[String]) -> String {
    match values {
        [] => "CAST(NULL AS STRING)".to_string(),
        [one] => one.clone(),
        _ => format!("coalesce({})", values.join(", ")),
    }
}

/// A row's product key as ingest makes it (`Cells::product_key`): its SKU / 商家编码, else its
/// product id, else its title, over the columns `roles` maps.
pub(crate) fn product_key(d: Dialect, roles: &Roles) -> String {
    let key: Vec<String> = [Field::Sku, Field::ProductId]
        .iter()
        .filter(|&&f| roles.has(f))
        .map(|f| id(d, f.code()))
        .chain(roles.has(Field::Title).then(|| "title".to_string()))
        .collect();
    first_given(&key)
}
