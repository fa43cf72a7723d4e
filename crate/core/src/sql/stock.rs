//! §8 stock and replenishment (库存周转): the first script over two files — the order export (the
//! primary file: units of paid orders per product and day) and the product/SKU list(s) with stock
//! on hand loaded beside it (the session's other files of kind `Products` with a stock column), as
//! `analysis::stock` computes them.
//!
//! The same rules as the engine (see `analysis/stock/mod.rs` for the decisions):
//! - Products join by their key, the same text on both sides: SKU / 商家编码, else product id,
//!   else title, read as ingest reads ids. A key's stock is the last stock a list gives it (the
//!   later list, then the later row, wins); its title the first the order lines give, else the
//!   first the lists give (the engine's, when the order export is loaded before the lists, as
//!   the page and `sql_request` list them; loaded after them, the engine takes the list's).
//! - The window is the last `window_days` days ending on the last day with a paid order with line
//!   items, never before the first such day; days without sales count 0.
//! - d is the mean of the daily units, σ their sample standard deviation (n − 1; 0 for one day),
//!   z = Φ⁻¹(service level) rounded to 3 decimals (computed here, written as a constant).
//! - Products: every product with a stock figure and every product on a paid order's lines in the
//!   window; the ceiling of the suggested order treats a value within 1e-9 of a whole number as
//!   that number; rows at risk first, then the other stocked products, then demand-only ones, each
//!   by days of cover ascending (undefined last), daily demand descending, key.
//!
//! A line-item export (宝贝报表) loaded beside the orders gives the lines, as in the engine
//! (`products::paid_line_steps`); its titles come after the order export's and the lists'.
//!
//! What the script does not do: it reads the order export named as its file alone (a second order
//! export of the session is not added to its demand).

use super::orders::product_key;
use super::products::{detail_exports, export_lines_step, paid_line_steps};
use super::read::{read_steps, Roles};
use super::{err, Context, Script, SqlError, SqlSource};
use crate::analysis::stock::service_z;
use crate::ingest::LoadReport;
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::schema::recognize::ColumnMap;

use super::normalize::{count, money};

/// A loaded file whose columns include `f`.
pub(crate) fn has_role(load: &LoadReport, f: Field) -> bool {
    ColumnMap::from_columns(&load.columns).get(f).is_some()
}

/// The stock lists among the session's other files: product lists that were read, with a stock
/// column, in load order.
pub(crate) fn stock_lists<'a>(
    others: &'a [(&'a LoadReport, SqlSource)],
) -> Vec<&'a (&'a LoadReport, SqlSource)> {
    others
        .iter()
        .filter(|(l, _)| {
            l.error.is_none() && l.kind == Some(DatasetKind::Products) && has_role(l, Field::Stock)
        })
        .collect()
}

/// The product lists among the session's other files that give a unit cost or a stock: product
/// lists that were read, with a cost or a stock column, in load order (the §6 scorecard's margin,
/// stock cover and stock-out read them).
pub(crate) fn cost_stock_lists<'a>(
    others: &'a [(&'a LoadReport, SqlSource)],
) -> Vec<&'a (&'a LoadReport, SqlSource)> {
    others
        .iter()
        .filter(|(l, _)| {
            l.error.is_none()
                && l.kind == Some(DatasetKind::Products)
                && (has_role(l, Field::Stock) || has_role(l, Field::Cost))
        })
        .collect()
}

/// The value of `value` on the row with the largest `order` (rows where `order` is NULL are
/// skipped): `max_by` in both dialects.
fn last_by(value: &str, order: &str) -> String {
    format!("max_by({value}, {order})")
}

/// A double literal both dialects read as `DOUBLE` (`7e0`, `1.645e0`), the value's shortest exact
/// form.
pub(crate) fn double(v: f64) -> String {
    format!("{v:e}")
}

/// Reading steps of one product list, prefixed `list{i}_`, up to `list{i}_cells` with the roles
/// `wanted` (the key's among them), and the expression of a row's product key there: as the orders
/// name it (SKU / 商家编码, else product id, else title, `Cells::product_key`), NULL without one.
pub(crate) fn list_cells(
    ctx: &Context,
    i: usize,
    load: &LoadReport,
    source: &SqlSource,
    wanted: &[Field],
) -> (Script, Roles, String) {
    let d = ctx.d;
    let prefix = format!("list{i}_");
    let file_options = ctx.options_of(load);
    let list_ctx = ctx.for_file(load, source, &file_options, &prefix);
    let roles = Roles::of(&list_ctx);
    let mut fields = vec![Field::Sku, Field::ProductId, Field::Title];
    for &f in wanted {
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    let s = read_steps(&list_ctx, &roles, &fields);
    let key = product_key(d, &roles);
    (s, roles, key)
}

/// Reading steps of one stock list ([`list_cells`]), ending with `list{i}_levels`: each key's
/// last stock and first title in the list, and with `with_cost` its last unit cost (cents; NULL
/// where the list has no cost column).
pub(crate) fn list_steps(
    ctx: &Context,
    i: usize,
    load: &LoadReport,
    source: &SqlSource,
    with_cost: bool,
) -> Script {
    let d = ctx.d;
    let prefix = format!("list{i}_");
    let wanted: &[Field] = if with_cost {
        &[Field::Stock, Field::Cost]
    } else {
        &[Field::Stock]
    };
    let (mut s, roles, key) = list_cells(ctx, i, load, source, wanted);
    let title = if roles.has(Field::Title) {
        "title"
    } else {
        "CAST(NULL AS STRING)"
    };
    let stock = if roles.has(Field::Stock) {
        count(d, "stock")
    } else {
        "CAST(NULL AS BIGINT)".to_string()
    };
    // The unit cost as ingest reads money (the column's decimal comma as decided for the list).
    let (cost_cell, cost_level, cost_words) = if with_cost {
        let decimal_comma = load
            .columns
            .iter()
            .any(|c| c.field == Some(Field::Cost) && c.duplicate_of.is_none() && c.decimal_comma);
        let cell = if roles.has(Field::Cost) {
            money(d, "cost", decimal_comma)
        } else {
            "CAST(NULL AS BIGINT)".to_string()
        };
        (
            format!(", {cell} AS cost"),
            format!(
                ",\n  {} AS cost",
                last_by("cost", "CASE WHEN cost IS NOT NULL THEN shoplens_line END")
            ),
            ", its unit cost (the last row that gives one, cents)",
        )
    } else {
        (String::new(), String::new(), "")
    };
    s.step(
        &format!("{prefix}levels"),
        &format!(
            "DEFINITIONS §8 stock on hand from {}: each product's key as the orders name it (SKU / 商家编码, else\n\
             product id, else title), its units on hand (the last row that gives them){cost_words} and its first title.",
            load.file
        ),
        format!(
            "SELECT product_key,\n  {} AS stock,\n  {} AS title{cost_level}\n\
             FROM (SELECT shoplens_line, {key} AS product_key, {stock} AS stock, {title} AS title{cost_cell} FROM {prefix}cells) r\n\
             WHERE product_key IS NOT NULL\nGROUP BY product_key",
            last_by("stock", "CASE WHEN stock IS NOT NULL THEN shoplens_line END"),
            d.first_by("title", "CASE WHEN title IS NOT NULL THEN shoplens_line END"),
        ),
    );
    s
}

pub(crate) fn stock(ctx: &Context, s: &mut Script) -> Result<(), SqlError> {
    let d = ctx.d;
    let lists = stock_lists(ctx.others);
    if lists.is_empty() {
        return Err(err(
            "no_stock",
            format!(
                "the stock script reads a SKU/stock export (商品资料 / 库存: 商家编码 + 可用库存) loaded beside {}",
                ctx.load.file
            ),
        ));
    }
    s.title =
        "stock: demand, days of cover, reorder point and suggested order (DEFINITIONS §8)".into();
    paid_line_steps(ctx, s, &[]);
    cover_steps(ctx, s, &lists);
    let o = ctx.options.stock.clamped();
    let (l, r) = (double(o.lead_time_days), double(o.review_days));
    let zl = double(service_z(o.service_level));
    s.select = format!(
        "-- DEFINITIONS §8 per product, in the report's order: at risk first, then the other stocked products, then those\n\
         -- without stock (demand only); each by days of cover (undefined last), daily demand descending, key. Forecast for\n\
         -- the next days: d per day with the band d ± z·σ (lower edge at 0).\n\
         SELECT product_key AS key, title, units, daily_demand, sigma, stock, days_of_cover, sell_through, reorder_point,\n  \
         {SUGGESTED_ORDER} AS suggested_order,\n  \
         daily_revenue, at_risk,\n  \
         CASE WHEN stock IS NULL THEN 'demand_only' WHEN units = 0 THEN 'no_recent_sales' ELSE 'measured' END AS cover_status,\n  \
         daily_demand AS forecast,\n  \
         greatest(daily_demand - {zl} * sigma, CAST(0 AS DOUBLE)) AS forecast_low,\n  \
         daily_demand + {zl} * sigma AS forecast_high,\n  \
         {} AS window_first_day, {} AS window_last_day, n AS window_days,\n  \
         {l} AS lead_time_days, {zl} AS z, {r} AS review_days\n\
         FROM needs\n\
         ORDER BY CASE WHEN at_risk THEN 0 WHEN stock IS NOT NULL THEN 1 ELSE 2 END, days_of_cover IS NULL, days_of_cover,\n  \
         daily_demand DESC, product_key",
        d.date_text(&d.date_of_day("first_day")),
        d.date_text(&d.date_of_day("last_day")),
    );
    Ok(())
}

/// DEFINITIONS §8 suggested order of a row of `needs`: NULL without stock.
pub(crate) const SUGGESTED_ORDER: &str =
    "CASE WHEN stock IS NULL THEN NULL WHEN order_ceiling > 0 THEN CAST(order_ceiling AS BIGINT) ELSE 0 END";

/// The stock steps after [`paid_line_steps`], over the stock `lists` (not empty), to `needs`: one
/// row per product shown (every product with a stock figure, every product sold in the window)
/// with its units, d, σ, stock, title, days of cover, sell-through, reorder point, revenue per day
/// and `order_ceiling` ([`SUGGESTED_ORDER`] reads it). Read by the action list (§11 restock, ride
/// a riser) too.
pub(crate) fn cover_steps(ctx: &Context, s: &mut Script, lists: &[&(&LoadReport, SqlSource)]) {
    let d = ctx.d;
    let o = ctx.options.stock.clamped();
    let z = service_z(o.service_level);
    let (l, r) = (double(o.lead_time_days), double(o.review_days));
    let zl = double(z);
    s.notes.push(format!(
        "Stock figures of the orders in {} with stock from {}; lead time L = {} days, service level {} (z = {z}),\n\
         review period R = {} days, window {} days.",
        ctx.load.file,
        lists
            .iter()
            .map(|(l, _)| l.file.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        o.lead_time_days,
        o.service_level,
        o.review_days,
        o.window_days
    ));

    // Spark inlines every reference to a CTE: the order export's steps are referenced once (the
    // window's bounds travel with the lines as window aggregates), so the plan holds them once.
    s.step(
        "window_lines",
        &format!(
            "DEFINITIONS §8 demand window: the last {} days ending on the last day with a paid order with line items, never\n\
             before the first such day.",
            o.window_days
        ),
        format!(
            "SELECT product_key, day, quantity, revenue_share, last_day, first_day, last_day - first_day + 1 AS n\n\
             FROM (SELECT product_key, day, quantity, revenue_share, max(day) OVER () AS last_day,\n        \
             greatest(max(day) OVER () - {} + 1, min(day) OVER ()) AS first_day\n      FROM revenue) l",
            o.window_days
        ),
    );
    s.step(
        "window_sales",
        "DEFINITIONS §8 demand: units of paid orders per product and day in the window (the days with sales), the\n\
         revenue allocated to those lines (DEFINITIONS §6), and d = the product's units / n.",
        "SELECT *, CAST(sum(units) OVER (PARTITION BY product_key) AS DOUBLE) / n AS daily_demand\n\
         FROM (SELECT product_key, day, first_day, last_day, n, sum(quantity) AS units, sum(revenue_share) AS revenue\n      \
         FROM window_lines\n      WHERE day BETWEEN first_day AND last_day\n      \
         GROUP BY product_key, day, first_day, last_day, n) x"
            .into(),
    );
    s.step(
        "sold",
        "Per product sold in the window: units, revenue, d, and the squares (u − d)² of its days with sales.",
        "SELECT product_key, max(first_day) AS first_day, max(last_day) AS last_day, max(n) AS n, sum(units) AS units,\n  \
         sum(revenue) AS revenue, max(daily_demand) AS daily_demand, count(*) AS sale_days,\n  \
         sum((units - daily_demand) * (units - daily_demand)) AS sale_squares\n\
         FROM window_sales\nGROUP BY product_key"
            .into(),
    );
    let mut levels = Vec::new();
    for (i, (load, source)) in lists.iter().enumerate() {
        let list = list_steps(ctx, i + 1, load, source, false);
        s.notes.extend(list.notes);
        s.prelude.extend(list.prelude);
        s.ctes.extend(list.ctes);
        levels.push(format!(
            "SELECT {} AS list, * FROM list{}_levels",
            i + 1,
            i + 1
        ));
    }
    s.step(
        "stock_levels",
        "Each product's stock: the later list's where several give one.",
        format!(
            "SELECT product_key,\n  {} AS stock,\n  {} AS title\nFROM (\n{}\n) l\nGROUP BY product_key",
            last_by("stock", "CASE WHEN stock IS NOT NULL THEN list END"),
            d.first_by("title", "CASE WHEN title IS NOT NULL THEN list END"),
            levels.join("\nUNION ALL\n")
        ),
    );
    let cell_title = if Roles::of(ctx).has(Field::Title) {
        "c.title"
    } else {
        "CAST(NULL AS STRING)"
    };
    s.step(
        "order_titles",
        "Each product's title as the order lines first give it (a packed item's title is its name).",
        format!(
            "SELECT product_key, {} AS title\n\
             FROM (SELECT l.product_key, l.shoplens_line,\n        \
             CASE WHEN l.item > 0 THEN l.product_key ELSE {cell_title} END AS title\n      \
             FROM {} l JOIN cells c ON c.shoplens_line = l.shoplens_line) t\n\
             GROUP BY product_key",
            d.first_by("title", "CASE WHEN title IS NOT NULL THEN shoplens_line END"),
            export_lines_step(ctx)
        ),
    );
    // A 宝贝报表's lines attach when every file has been read: their titles come after the lists'.
    let details = detail_exports(ctx.others);
    let detail_title = if details.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = (1..=details.len())
            .map(|i| {
                format!("SELECT product_key, title, file_rank, shoplens_line FROM detail{i}_lines")
            })
            .collect();
        s.step(
            "detail_titles",
            "Each product's title as the 宝贝报表 lines first give it: after the order export's and the lists'.",
            format!(
                "SELECT product_key, {} AS title\nFROM (\n{}\n) t\nGROUP BY product_key",
                d.first_by(
                    "title",
                    "CASE WHEN title IS NOT NULL THEN file_rank * 10000000000 + shoplens_line END"
                ),
                parts.join("\nUNION ALL\n")
            ),
        );
        ", dt.title".to_string()
    };
    s.step(
        "stock_products",
        "The products shown: every product with a stock figure, and every product sold in the window, each with the\n\
         window (n days) and its days without sales (0 units).",
        format!(
            "SELECT coalesce(s.product_key, k.product_key) AS product_key,\n  \
         max(s.first_day) OVER () AS first_day, max(s.last_day) OVER () AS last_day, max(s.n) OVER () AS n,\n  \
         coalesce(s.units, 0) AS units, coalesce(s.revenue, 0) AS revenue, coalesce(s.sale_days, 0) AS sale_days,\n  \
         coalesce(s.sale_squares, 0) AS sale_squares, k.stock, coalesce(t.title, k.title{detail_title}) AS title\n\
         FROM sold s FULL OUTER JOIN (SELECT * FROM stock_levels WHERE stock IS NOT NULL) k ON k.product_key = s.product_key\n\
         LEFT JOIN order_titles t ON t.product_key = coalesce(s.product_key, k.product_key){}",
            if detail_title.is_empty() {
                ""
            } else {
                "\nLEFT JOIN detail_titles dt ON dt.product_key = coalesce(s.product_key, k.product_key)"
            }
        ),
    );
    s.step(
        "demand",
        "DEFINITIONS §8: d = units / n, σ = the sample standard deviation of the daily units (n − 1, 0 over a one-day\n\
         window): the squares of the days with sales and d² for each day without.",
        "SELECT *,\n  CASE WHEN n = 1 THEN CAST(0 AS DOUBLE)\n       \
         ELSE sqrt((sale_squares + (n - sale_days) * (daily_demand * daily_demand)) / (n - 1)) END AS sigma\n\
         FROM (SELECT *, CAST(units AS DOUBLE) / n AS daily_demand FROM stock_products WHERE n IS NOT NULL) p"
            .into(),
    );
    s.step(
        "replenishment",
        &format!(
            "DEFINITIONS §8: days of cover = stock / d (undefined, \"no recent sales\", when d = 0), sell-through =\n\
             units / (units + stock), reorder point = d × L + z × σ × √L with L = {} days and z = {z}, and the\n\
             revenue per day of the window.",
            o.lead_time_days
        ),
        format!(
            "SELECT *,\n  \
             CASE WHEN stock IS NOT NULL AND units > 0 THEN CAST(stock AS DOUBLE) * n / units END AS days_of_cover,\n  \
             CASE WHEN stock IS NOT NULL AND units + stock <> 0 THEN CAST(units AS DOUBLE) / (units + stock) END AS sell_through,\n  \
             CASE WHEN stock IS NOT NULL THEN daily_demand * {l} + {zl} * sigma * sqrt({l}) END AS reorder_point,\n  \
             CAST(revenue AS DOUBLE) / n AS daily_revenue\n\
             FROM demand"
        ),
    );
    s.step(
        "needs",
        &format!(
            "DEFINITIONS §8 suggested order = max(0, ⌈reorder point + d × R − stock⌉), R = {} days (a value within\n\
             1e-9 of a whole number is that number); at risk: stock known, d > 0 and stock ≤ reorder point.",
            o.review_days
        ),
        format!(
            "SELECT *,\n  \
             CASE WHEN abs(need - round(need)) <= 1e-9 THEN round(need) ELSE ceil(need) END AS order_ceiling,\n  \
             coalesce(stock IS NOT NULL AND daily_demand > 0 AND CAST(stock AS DOUBLE) <= reorder_point, FALSE) AS at_risk\n\
             FROM (SELECT *, reorder_point + daily_demand * {r} - CAST(stock AS DOUBLE) AS need FROM replenishment) x"
        ),
    );
}
