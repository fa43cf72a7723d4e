//! The traffic exports' rows (生意参谋 店铺/商品, Shopify sessions) as ingest keeps them, read by every
//! script over traffic: the funnel from traffic rows, the action list's fix a funnel step without a
//! behaviour log, the products scorecard's item conversion and the promotion readout's visitors.

use super::normalize::{count, id, money, seconds};
use super::read::{read_steps, Roles};
use super::{file_prefixes, Context, Script, SqlSource};
use crate::ingest::LoadReport;
use crate::schema::field::Field;

/// The counts ingest reads from a traffic row (one it cannot read rejects the row), each a column of
/// `traffic_rows` named by its field's code.
const READ_COUNTS: [Field; 6] = [
    Field::Visitors,
    Field::PageViews,
    Field::FavUsers,
    Field::CartUsers,
    Field::Buyers,
    Field::Units,
];

/// A count of `traffic_rows` as the funnel from traffic rows reads it: a negative count (corrupt) as
/// 0, NULL kept (`greatest` would turn it into 0).
pub(crate) fn clamped(c: &str) -> String {
    format!("CASE WHEN {c} < 0 THEN 0 ELSE {c} END")
}

/// DEFINITIONS §5 item conversion from traffic rows, an aggregate over an item's rows: Σ 支付买家数 /
/// Σ 访客数 (NULL where either count is never given, or no visitor).
pub(crate) fn item_conversion() -> String {
    format!(
        "CAST(sum({}) AS DOUBLE) / NULLIF(sum({}), 0)",
        clamped("buyers"),
        clamped("visitors")
    )
}

/// `traffic_rows`: every row ingest keeps of the `exports`, in load order, each export read by its
/// own mapping (its steps prefixed `traffic_`; several: `traffic1_` …, their rows in one union, as the
/// engine concatenates them): the export's index `export` (from 0) and `shoplens_line`, `day` (days
/// since 1970-01-01), `product` (NULL: a shop-level row), `title` and the counts `visitors`,
/// `page_views`, `fav_users`, `cart_users`, `buyers`, `units` as written (NULL where the export has
/// no such column or the cell is blank). A row with a date, count or amount ingest cannot read is
/// rejected there, and is no row here.
pub(crate) fn traffic_rows(ctx: &Context, s: &mut Script, exports: &[(&LoadReport, SqlSource)]) {
    let d = ctx.d;
    let prefixes = file_prefixes("traffic", exports.len());
    let mut parts = Vec::new();
    for (n, ((load, source), prefix)) in exports.iter().zip(&prefixes).enumerate() {
        let file_options = ctx.options_of(load);
        let export_ctx = ctx.for_file(load, source, &file_options, prefix);
        let roles = Roles::of(&export_ctx);
        let wanted: Vec<Field> = [
            Field::Date,
            Field::ProductId,
            Field::Title,
            Field::SalesAmount,
        ]
        .into_iter()
        .chain(READ_COUNTS)
        .collect();
        let read = read_steps(&export_ctx, &roles, &wanted);
        s.notes.extend(read.notes);
        s.prelude.extend(read.prelude);
        s.ctes.extend(read.ctes);
        let text = d.text_type();
        let mut cells = vec![
            format!(
                "{} AS day",
                if roles.has(Field::Date) {
                    d.floor_div(&seconds(d, "date", 0), "86400")
                } else {
                    "CAST(NULL AS BIGINT)".to_string()
                }
            ),
            if roles.has(Field::ProductId) {
                format!("{} AS product", id(d, "product_id"))
            } else {
                format!("CAST(NULL AS {text}) AS product")
            },
        ];
        let title = if roles.has(Field::Title) {
            "title".to_string()
        } else {
            format!("CAST(NULL AS {text}) AS title")
        };
        // Ingest rejects a row with a date, count or amount it cannot read.
        let mut kept = Vec::new();
        if roles.has(Field::Date) {
            kept.push("(date IS NULL OR day IS NOT NULL)".to_string());
        }
        for f in READ_COUNTS {
            let c = f.code();
            if roles.has(f) {
                cells.push(format!("{c} AS {c}_cell, {} AS {c}_count", count(d, c)));
                kept.push(format!("({c}_cell IS NULL OR {c}_count IS NOT NULL)"));
            } else {
                cells.push(format!("CAST(NULL AS BIGINT) AS {c}_count"));
            }
        }
        if roles.has(Field::SalesAmount) {
            let decimal_comma = load.columns.iter().any(|c| {
                c.field == Some(Field::SalesAmount) && c.duplicate_of.is_none() && c.decimal_comma
            });
            cells.push(format!(
                "{} AS amount",
                money(d, Field::SalesAmount.code(), decimal_comma)
            ));
            kept.push(format!(
                "({} IS NULL OR amount IS NOT NULL)",
                Field::SalesAmount.code()
            ));
        }
        let counts: Vec<String> = READ_COUNTS
            .iter()
            .map(|f| format!("{c}_count AS {c}", c = f.code()))
            .collect();
        let name = if exports.len() == 1 {
            "traffic_rows".to_string()
        } else {
            format!("{prefix}rows")
        };
        s.step(
            &name,
            &format!(
                "DEFINITIONS §5 the funnel from traffic rows: each row of {} with its day, product (none: a shop-level row),\n\
                 title and daily unique counts, a negative count read as 0; a row with a date, count or amount ingest cannot\n\
                 read is rejected there, and is no row here.",
                load.file
            ),
            format!(
                "SELECT {n} AS export, shoplens_line, day, product, {title},\n  {}\nFROM (\n  SELECT *,\n    {}\n  FROM {prefix}cells\n) r{}",
                counts.join(",\n  "),
                cells.join(",\n    "),
                if kept.is_empty() {
                    String::new()
                } else {
                    format!("\nWHERE {}", kept.join("\n  AND "))
                }
            ),
        );
        parts.push(format!("SELECT * FROM {name}"));
    }
    if exports.len() > 1 {
        s.step(
            "traffic_rows",
            &format!(
                "The {} traffic exports' rows as one (the engine concatenates them), in load order.",
                exports.len()
            ),
            parts.join("\nUNION ALL\n"),
        );
    }
}
