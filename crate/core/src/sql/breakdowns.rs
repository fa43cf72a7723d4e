//! §10 breakdowns: every §2 KPI per group of each dimension an order export carries — platform,
//! shop, channel / traffic source, region, customer type (new / returning) and category — with
//! its share of GMV and the group "unknown" for blank values, and the per-group trend series (the
//! largest groups by GMV and "other", per day, ISO week and month), as `analysis::breakdown`
//! computes them. One result set: `grain` = `all` for the groups over the whole range, `day` /
//! `week` / `month` for the trend points (the periods a series has paid orders in, labelled as the
//! KPI series labels them; the engine's dense series has 0 in the others).
//!
//! The dimension values are read as ingest reads them (`ingest/rows/orders.rs`,
//! `schema/place.rs`), by expressions generated from the engine's own rules:
//! - **channel**: the channel column (trimmed), else the `utm_source` of the landing URL,
//!   lower-cased; **region**: the province column, else the province of the address (收货地址: the
//!   province it begins with, else its first word), else the country — a Chinese province by its
//!   full name from the engine's province table (`福建` → `福建省`), anything else as written;
//! - an order's shop, channel and region are those of its first row that has one (ingest fills an
//!   order's gaps from its later rows);
//! - **customer type** of a paid order: new on the day of its customer's first paid order, returning
//!   after it, unknown without a customer id;
//! - **category** of a line: its product's — the first category written on any line of that
//!   product, else the first a product list loaded beside the export gives it (商品资料 / SKU list
//!   with 类目, Shopify's Type; the product keyed as the orders name it, as `sql/stock.rs` reads
//!   the lists), a list's name replacing a bare numeric id, as ingest fills a product's category
//!   with the order export loaded before the lists — each paid order's amount and refund
//!   allocated to its lines by `products::allocated_lines`; an order without lines counts whole
//!   in unknown.
//!
//! What the script does not do: with a line-item export (宝贝报表) beside the order export, whose
//! lines the engine puts in place of the export's own, it leaves the category out (the header
//! says so; the other dimensions read no lines and are the engine's); it does not read
//! the item categories of a behaviour log loaded beside (the header says so), which the engine
//! gives a product without one when an event's item id is the product's key.

use std::fmt::Write as _;

use super::kpi::kpi_columns;
use super::orders::order_steps_with;
use super::products::allocated_lines;
use super::products::export_lines_step;
use super::read::Roles;
use super::stock::{has_role, list_cells};
use super::{Context, Dialect, Script, SqlError, SqlSource};
use crate::analysis::breakdown::Dimension;
use crate::ingest::LoadReport;
use crate::model::DatasetKind;
use crate::model::Platform;
use crate::schema::field::Field;

/// The engine's province table (short name, full official name): the script follows the very table
/// ingest reads regions with.
fn provinces() -> Vec<(&'static str, &'static str)> {
    crate::schema::place::PROVINCES.to_vec()
}

/// Every character Rust's `str::trim` and `char::is_whitespace` take for a blank (Unicode
/// White_Space), as a regular-expression class.
fn whitespace_class() -> String {
    let mut class = String::from("[");
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        if c.is_whitespace() {
            let _ = write!(class, "\\x{{{:04X}}}", c as u32);
        }
    }
    class.push(']');
    class
}

/// `t` without leading and trailing Unicode whitespace (`str::trim`).
fn trim_unicode(d: Dialect, ws: &str, t: &str) -> String {
    d.replace_all(t, &format!("^{ws}+|{ws}+$"), "")
}

/// The full name of the Chinese province the (trimmed) text `t` begins with, NULL when it names
/// none: `schema::place::province_prefix`, the first entry of the engine's table that matches.
fn province_of(provinces: &[(&str, &str)], d: Dialect, t: &str) -> String {
    let arms: Vec<String> = provinces
        .iter()
        .map(|(short, full)| {
            format!(
                "WHEN substr({t}, 1, {}) = {} THEN {}",
                short.chars().count(),
                d.string(short),
                d.string(full)
            )
        })
        .collect();
    format!("CASE {} END", arms.join("\n    "))
}

/// The §10 dimensions the script computes for this export and the options, in the engine's
/// order, and the columns each reads.
fn dimensions(ctx: &Context, roles: &Roles, category_lists: bool) -> Vec<Dimension> {
    let asked = &ctx.options.breakdowns.dimensions;
    let has = |f| roles.has(f);
    Dimension::ALL
        .into_iter()
        .filter(|d| asked.is_empty() || asked.contains(d))
        .filter(|d| match d {
            Dimension::Platform => true,
            Dimension::Shop => has(Field::Shop),
            Dimension::Channel => has(Field::Channel) || has(Field::LandingSite),
            Dimension::Region => has(Field::Region) || has(Field::Address) || has(Field::Country),
            Dimension::CustomerType => has(Field::CustomerId),
            Dimension::Category => has(Field::Category) || category_lists,
        })
        .collect()
}

/// What the engine can show that the script leaves out, and where the categories come from, for
/// the header.
fn left_out(
    ctx: &Context,
    roles: &Roles,
    dims: &[Dimension],
    lists: &[&(&LoadReport, SqlSource)],
) -> Vec<String> {
    let mut out = Vec::new();
    let missing: Vec<&str> = Dimension::ALL
        .iter()
        .filter(|d| !dims.contains(d))
        .filter(|d| {
            let asked = &ctx.options.breakdowns.dimensions;
            asked.is_empty() || asked.contains(d)
        })
        .map(|d| d.code())
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "Dimensions this export has no column for (absent in the engine's report of it too): {}.",
            missing.join(", ")
        ));
    }
    if !lists.is_empty() && dims.contains(&Dimension::Category) {
        out.push(format!(
            "Categories from {}: a product's category is the first its order lines give, else the first the lists\n\
             give (a name before a numeric id), as the engine takes them with the order export loaded first.",
            lists
                .iter()
                .map(|(l, _)| l.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    } else if !roles.has(Field::Category) {
        out.push(
            "Category: this export has no category column. Where a product list gives one (商品资料 / SKU list with\n\
             类目, Shopify's Type), write the script with the list loaded beside the orders: it reads the list's."
                .to_string(),
        );
    }
    if dims.contains(&Dimension::Category)
        && ctx.others.iter().any(|(l, _)| {
            l.error.is_none() && l.kind == Some(DatasetKind::Events) && has_role(l, Field::Category)
        })
    {
        out.push(
            "Not read: the item categories of a behaviour log loaded beside (the engine fills a product's missing\n\
             category from an event whose item id is the product's key)."
                .to_string(),
        );
    }
    out
}

/// The product lists among the session's other files that give categories (product lists that
/// were read, with a category column), in load order.
fn category_lists<'a>(
    others: &'a [(&'a LoadReport, SqlSource)],
) -> Vec<&'a (&'a LoadReport, SqlSource)> {
    others
        .iter()
        .filter(|(l, _)| {
            l.error.is_none()
                && l.kind == Some(DatasetKind::Products)
                && has_role(l, Field::Category)
        })
        .collect()
}

/// Step `product_categories` (each product's category) after the order lines' steps: from the
/// order lines (`own`: the export has a category column) and the product `lists`, as ingest
/// fills a product's category (`Dataset::add_line`, `Mapper::product_row`): the first an order
/// line gives (the export's own lines, a one-line summary a 宝贝报表 replaces among them: the
/// 宝贝报表's lines give none); then, list row by list row, a list's category where the product
/// has none yet or has a bare numeric id and the list a name.
fn category_steps(ctx: &Context, s: &mut Script, own: bool, lists: &[&(&LoadReport, SqlSource)]) {
    let d = ctx.d;
    let lines = format!(
        "SELECT product_key, {} AS category\nFROM {}\nWHERE category IS NOT NULL\nGROUP BY product_key",
        d.first_by("category", "shoplens_line"),
        export_lines_step(ctx)
    );
    if lists.is_empty() {
        s.step(
            "product_categories",
            "A product's category: the first written on any of its lines (every order's, in file order).",
            lines,
        );
        return;
    }
    let mut sources = Vec::new();
    if own {
        s.step(
            "line_categories",
            "A product's category from the orders: the first written on any of its lines (every order's, in file order).",
            lines,
        );
        sources.push(
            "SELECT product_key, category, 0 AS list, 0 AS shoplens_line FROM line_categories"
                .to_string(),
        );
    }
    for (i, (load, source)) in lists.iter().enumerate() {
        let (list, _, key) = list_cells(ctx, i + 1, load, source, &[Field::Category]);
        s.notes.extend(list.notes);
        s.prelude.extend(list.prelude);
        s.ctes.extend(list.ctes);
        sources.push(format!(
            "SELECT {key} AS product_key, category, {} AS list, shoplens_line FROM list{}_cells\n\
             WHERE {key} IS NOT NULL AND category IS NOT NULL",
            i + 1,
            i + 1
        ));
    }
    s.step(
        "listed_categories",
        "Every category given to a product: the order lines' (list 0) and each product list's rows (the key as the orders\n\
         name the product: SKU / 商家编码, else product id, else title), with whether it is a bare numeric id.",
        format!(
            "SELECT product_key, category, list, shoplens_line, {} AS numeric_id\nFROM (\n{}\n) c",
            d.matches("category", "^[0-9]+$"),
            sources.join("\nUNION ALL\n")
        ),
    );
    s.step(
        "product_categories",
        "A product's category as ingest fills it: the order lines' (the first), else a list's (the first list row, by\n\
         list), except that a list's name replaces a bare numeric id (Tianchi's category_id) given before it.",
        "SELECT product_key, category\n\
         FROM (SELECT product_key, category,\n        \
         row_number() OVER (PARTITION BY product_key\n          \
         ORDER BY CASE WHEN NOT numeric_id THEN 0 ELSE 1 END, CASE WHEN list = 0 THEN 0 ELSE 1 END, list, shoplens_line) AS pick\n      \
         FROM listed_categories) c\n\
         WHERE pick = 1"
            .into(),
    );
}

/// The groups of every dimension in their order and the series of the trend, from `contributions`
/// in one pass of window steps (a step read twice is planned twice by Spark): each contribution
/// once under the whole range (grain `all`, its group) and once per grain under its period and
/// series (its group when drawn, else "other"), step `in_period`. `analysis::breakdown`: groups by
/// GMV, largest first, ties by name, unknown last; the trend draws the `trend_groups` largest by
/// GMV (ties as the groups' order, the unknown group among them by its GMV) in the groups' order,
/// all of them when there is at most one more.
fn trend_steps(ctx: &Context, s: &mut Script) {
    let d = ctx.d;
    let n = ctx.options.breakdowns.trend_groups;
    s.step(
        "group_gmv",
        "DEFINITIONS §10 each contribution with its group's GMV over the whole range.",
        "SELECT c.*, sum(c.gmv) OVER (PARTITION BY c.dimension, c.name) AS group_gmv\nFROM contributions c".into(),
    );
    s.step(
        "group_order",
        "The groups' order (by GMV, largest first, ties by name, unknown last) and their rank by GMV alone (ties as\n\
         in that order): a group's rows share both, so a dense rank over rows is a rank over groups.",
        "SELECT g.*,\n  \
         dense_rank() OVER (PARTITION BY g.dimension ORDER BY g.name IS NULL, g.group_gmv DESC, g.name) AS position,\n  \
         dense_rank() OVER (PARTITION BY g.dimension ORDER BY g.group_gmv DESC, g.name IS NULL, g.name) AS gmv_rank\n\
         FROM group_gmv g"
            .into(),
    );
    s.step(
        "drawn_groups",
        &format!(
            "DEFINITIONS §10 trend: the {n} largest groups by GMV are drawn as their own series (every group when there\n\
             is at most one more), the rest summed into \"other\"."
        ),
        format!(
            "SELECT g.*, max(g.gmv_rank) OVER (PARTITION BY g.dimension) <= {} OR g.gmv_rank <= {n} AS drawn,\n  \
             CASE WHEN max(g.gmv_rank) OVER (PARTITION BY g.dimension) <= {} THEN max(g.gmv_rank) OVER (PARTITION BY g.dimension)\n    \
             ELSE {n} END AS drawn_groups\n\
             FROM group_order g",
            n + 1,
            n + 1
        ),
    );
    s.step(
        "series_of",
        "Each contribution's series: a drawn group's place among the drawn ones (in the groups' order), \"other\" after.",
        "SELECT g.*, CASE WHEN g.drawn THEN dense_rank() OVER (PARTITION BY g.dimension, g.drawn ORDER BY g.position)\n    \
         ELSE g.drawn_groups + 1 END AS series\n\
         FROM drawn_groups g"
            .into(),
    );
    let labels = super::kpi::period_labels(d, "s.day");
    let period: Vec<String> = labels
        .iter()
        .map(|(grain, label, _)| format!("WHEN '{grain}' THEN {label}"))
        .collect();
    let start: Vec<String> = labels
        .iter()
        .map(|(grain, _, start)| format!("WHEN '{grain}' THEN {start}"))
        .collect();
    s.step(
        "in_period",
        "DEFINITIONS §1 / §10 each contribution under the whole range in its group, and under its day, ISO week and\n\
         month (labelled as the KPI series labels them) in its series.",
        format!(
            "SELECT s.dimension, t.grain,\n  \
             CASE t.grain {}\n  END AS period,\n  \
             CASE t.grain {}\n  END AS start,\n  \
             CASE WHEN t.grain = 'all' THEN s.position ELSE s.series END AS position,\n  \
             CASE WHEN t.grain = 'all' OR s.drawn THEN s.name END AS name,\n  \
             (t.grain = 'all' OR s.drawn) AND s.name IS NULL AS unknown,\n  \
             t.grain <> 'all' AND NOT s.drawn AS other,\n  \
             s.customer, s.gmv, s.refund, s.units\n\
             FROM series_of s CROSS JOIN (VALUES ('all'), ('day'), ('week'), ('month')) AS t(grain)",
            period.join("\n    "),
            start.join("\n    "),
        ),
    );
}

pub(crate) fn breakdowns(ctx: &Context) -> Result<Script, SqlError> {
    let d = ctx.d;
    let roles = Roles::of(ctx);
    let has = |f| roles.has(f);
    let lists = category_lists(ctx.others);
    let dims = dimensions(ctx, &roles, !lists.is_empty());
    let wants = |x: Dimension| dims.contains(&x);
    let mut carried = Vec::new();
    if wants(Dimension::Shop) {
        carried.push(Field::Shop);
    }
    if wants(Dimension::Channel) {
        carried.extend([Field::Channel, Field::LandingSite]);
    }
    if wants(Dimension::Region) {
        carried.extend([Field::Region, Field::Address, Field::Country]);
    }
    if wants(Dimension::Category) {
        carried.push(Field::Category);
    }
    carried.retain(|&f| has(f));
    let mut s = order_steps_with(ctx, &carried)?;
    s.title = "breakdowns: KPIs per platform, shop, channel, region, customer type and category (DEFINITIONS §10)".into();
    s.notes.extend(left_out(ctx, &roles, &dims, &lists));

    let ws = whitespace_class();
    let trim = |c: &str| trim_unicode(d, &ws, c);
    let provinces = provinces();
    let order_level = [Dimension::Shop, Dimension::Channel, Dimension::Region]
        .into_iter()
        .filter(|&x| wants(x))
        .collect::<Vec<_>>();
    if !order_level.is_empty() {
        // Trimmed texts first, so that each rule below reads a column, not the expression.
        let mut texts = vec!["order_key".to_string(), "shoplens_line".to_string()];
        if wants(Dimension::Shop) {
            texts.push("shop".into());
        }
        if wants(Dimension::Channel) {
            if has(Field::Channel) {
                texts.push(format!("{} AS channel_text", trim("channel")));
            }
            if has(Field::LandingSite) {
                let query = d.extract("landing_site", r"^[^?]*\?([^#]*)", 1);
                let value = d.extract(
                    &query,
                    "(?:^|&)[uU][tT][mM]_[sS][oO][uU][rR][cC][eE]=([^&]*)",
                    1,
                );
                texts.push(format!(
                    "NULLIF(lower({}), '') AS utm_source",
                    trim(&format!("replace({value}, '+', ' ')"))
                ));
            }
        }
        if wants(Dimension::Region) {
            for f in [Field::Region, Field::Address, Field::Country] {
                if has(f) {
                    texts.push(format!("{} AS {}_text", trim(f.code()), f.code()));
                }
            }
        }
        s.step(
            "dimension_texts",
            "DEFINITIONS §10 dimension cells as ingest reads them: trimmed (Unicode whitespace); a landing URL's\n\
             utm_source (its first utm_source pair, the key in any ASCII case, + read as a space) lower-cased.",
            format!(
                "SELECT {}\nFROM row_states",
                texts.join(",\n  ")
            ),
        );
        let mut rules = vec!["order_key".to_string(), "shoplens_line".to_string()];
        if wants(Dimension::Shop) {
            rules.push("shop".into());
        }
        if wants(Dimension::Channel) {
            rules.push(match (has(Field::Channel), has(Field::LandingSite)) {
                (true, true) => "CASE WHEN channel_text IS NOT NULL THEN NULLIF(channel_text, '') ELSE utm_source END AS channel".into(),
                (true, false) => "NULLIF(channel_text, '') AS channel".into(),
                _ => "utm_source AS channel".into(),
            });
        }
        if wants(Dimension::Region) {
            // `place::region_of` (a province or country cell) and `place::region_of_address`.
            let region_of = |t: &str| {
                format!(
                    "CASE WHEN {t} = '' THEN NULL ELSE coalesce(\n    {},\n    {t}) END",
                    province_of(&provinces, d, t)
                )
            };
            // `char::is_alphabetic` (Unicode Alphabetic): Java names it; RE2 has no such class, so
            // DuckDB reads letters and letter numbers, which leaves out only the marks and symbols
            // that are Alphabetic without being letters (a first word of combining vowel signs or
            // circled letters alone).
            let letter = match d {
                Dialect::Duckdb => r"[\p{L}\p{Nl}]",
                Dialect::Spark => r"\p{IsAlphabetic}",
            };
            let no_ws = format!("[^{}", &ws[1..]);
            let mut sources = Vec::new();
            if has(Field::Region) {
                sources.push(region_of("region_text"));
            }
            if has(Field::Address) {
                sources.push(format!(
                    "CASE WHEN address_text = '' THEN NULL ELSE coalesce(\n    {},\n    CASE WHEN {} THEN {} END) END",
                    province_of(&provinces, d, "address_text"),
                    d.matches("address_text", &format!("^{no_ws}*{letter}{no_ws}*{ws}")),
                    d.extract("address_text", &format!("^({no_ws}+)"), 1),
                ));
            }
            if has(Field::Country) {
                sources.push(region_of("country_text"));
            }
            rules.push(if sources.len() == 1 {
                format!("{} AS region", sources[0])
            } else {
                format!("coalesce(\n  {}) AS region", sources.join(",\n  "))
            });
        }
        s.step(
            "row_dimensions",
            "DEFINITIONS §10 each row's channel (the channel column, else the landing URL's utm_source) and region (the\n\
             province column, else the address's province — the one it begins with, else its first word when it is\n\
             written in words — else the country; a Chinese province by its full name from the engine's table).",
            format!("SELECT {}\nFROM dimension_texts", rules.join(",\n  ")),
        );
        let firsts: Vec<String> = order_level
            .iter()
            .map(|x| {
                let c = x.code();
                format!(
                    "{} AS {c}",
                    d.first_by(
                        c,
                        &format!("CASE WHEN {c} IS NOT NULL THEN shoplens_line END")
                    )
                )
            })
            .collect();
        s.step(
            "order_dimensions",
            "An order's shop, channel and region: those of its first row that has one (ingest fills an order's gaps).",
            format!(
                "SELECT order_key,\n  {}\nFROM row_dimensions\nGROUP BY order_key",
                firsts.join(",\n  ")
            ),
        );
    }
    if wants(Dimension::Category) {
        let own = has(Field::Category);
        allocated_lines(ctx, &mut s, if own { &["category"] } else { &[] });
        category_steps(ctx, &mut s, own, &lists);
        s.step(
            "category_lines",
            "DEFINITIONS §10 category: each paid order's lines of one category, with their allocated amount and refund.",
            "SELECT a.order_key, c.category, sum(a.revenue) AS gmv, sum(a.refund) AS refund, sum(a.quantity) AS units\n\
             FROM allocated a LEFT JOIN product_categories c ON c.product_key = a.product_key\n\
             GROUP BY a.order_key, c.category"
                .into(),
        );
    }

    // Each paid order with its value of every order-level dimension; then one contribution per
    // paid order and group it falls in. Each step is read once: Spark plans a step read twice twice.
    let platform = ctx.load.platform.unwrap_or(Platform::Generic).code();
    let mut columns = vec![
        "p.order_key, p.customer, p.day, p.paid_amount AS gmv, p.refund, p.units".to_string(),
        format!("{} AS platform", d.string(platform)),
    ];
    columns.extend(
        order_level
            .iter()
            .map(|x| format!("o.{0} AS {0}", x.code())),
    );
    if wants(Dimension::CustomerType) {
        columns.push(
            "CASE WHEN p.customer IS NULL THEN NULL\n       \
             WHEN p.day > min(p.day) OVER (PARTITION BY p.customer) THEN 'returning' ELSE 'new' END AS customer_type"
                .into(),
        );
    }
    s.step(
        "paid_dimensions",
        "Each paid order's platform (the export's), shop, channel and region, and its customer type (DEFINITIONS §10:\n\
         new on the day of its customer's first paid order in the data, returning after it, unknown without a customer).",
        format!(
            "SELECT {}\nFROM paid_orders p{}",
            columns.join(",\n  "),
            if order_level.is_empty() {
                ""
            } else {
                " LEFT JOIN order_dimensions o ON o.order_key = p.order_key"
            }
        ),
    );
    let whole: Vec<&Dimension> = dims.iter().filter(|x| x.is_order_level()).collect();
    let mut parts = Vec::new();
    if !whole.is_empty() {
        let names: Vec<String> = whole
            .iter()
            .map(|x| format!("WHEN '{0}' THEN p.{0}", x.code()))
            .collect();
        let values: Vec<String> = whole.iter().map(|x| format!("('{}')", x.code())).collect();
        parts.push(format!(
            "SELECT d.dimension, CASE d.dimension {} END AS name,\n  \
             p.order_key, p.customer, p.day, p.gmv, p.refund, p.units\n\
             FROM paid_dimensions p CROSS JOIN (VALUES {}) AS d(dimension)",
            names.join(" "),
            values.join(", ")
        ));
    }
    if wants(Dimension::Category) {
        parts.push(
            "SELECT 'category' AS dimension, c.category AS name, p.order_key, p.customer, p.day,\n  \
             CASE WHEN c.order_key IS NULL THEN p.gmv ELSE c.gmv END AS gmv,\n  \
             CASE WHEN c.order_key IS NULL THEN p.refund ELSE c.refund END AS refund,\n  \
             CASE WHEN c.order_key IS NULL THEN p.units ELSE c.units END AS units\n\
             FROM paid_dimensions p LEFT JOIN category_lines c ON c.order_key = p.order_key"
                .into(),
        );
    }
    s.step(
        "contributions",
        "DEFINITIONS §10 groups: each paid order in its group of every dimension (NULL: the group \"unknown\" for a\n\
         blank value); by category, its lines' share of each category it has lines in (an order without lines: unknown).",
        parts.join("\nUNION ALL\n"),
    );
    trend_steps(ctx, &mut s);
    s.step(
        "customer_sums",
        "Per row of the result (a group over the whole range, a series in a period) and customer (NULL: orders\n\
         without one): GMV, refunds, paid orders, units, refunded orders (refund in the group > 0).",
        "SELECT dimension, grain, period, start, position, name, unknown, other, customer,\n  \
         sum(gmv) AS gmv, sum(refund) AS refunds, count(*) AS paid_orders,\n  \
         sum(units) AS units, count(CASE WHEN refund > 0 THEN 1 END) AS refunded_orders\n\
         FROM in_period\nGROUP BY dimension, grain, period, start, position, name, unknown, other, customer"
            .into(),
    );
    s.step(
        "group_sums",
        "DEFINITIONS §2 per group (per series and period): GMV, refunds, paid orders, units, refunded orders; buyers\n\
         (distinct customer ids) and repeat buyers (≥ 2 paid orders in the group, in the period).",
        "SELECT dimension, grain, period, start, position, coalesce(name, '') AS name, unknown, other,\n  \
         sum(gmv) AS gmv, sum(refunds) AS refunds, sum(paid_orders) AS paid_orders, sum(units) AS units,\n  \
         sum(refunded_orders) AS refunded_orders, count(customer) AS buyers,\n  \
         count(CASE WHEN customer IS NOT NULL AND paid_orders >= 2 THEN 1 END) AS repeat_buyers\n\
         FROM customer_sums\nGROUP BY dimension, grain, period, start, position, name, unknown, other"
            .into(),
    );
    let rank: Vec<String> = dims
        .iter()
        .enumerate()
        .map(|(i, x)| format!("WHEN '{}' THEN {}", x.code(), i + 1))
        .collect();
    s.step(
        "group_figures",
        "Whether the data carries each dimension (a group with a known value), the share of the total GMV (every\n\
         dimension's groups sum to it) and whether the export has customer ids (without them buyer figures are NULL).\n\
         Over the whole range every buyer of a group is new in it (§2). A trend point has no new-buyer figure.",
        format!(
            "SELECT dimension, CASE dimension {} END AS dimension_rank,\n  \
             CASE grain WHEN 'all' THEN 0 WHEN 'day' THEN 1 WHEN 'week' THEN 2 ELSE 3 END AS grain_rank,\n  \
             grain, period, start, position,\n  \
             max(CASE WHEN grain = 'all' AND NOT unknown THEN 1 ELSE 0 END) OVER (PARTITION BY dimension) = 1 AS carried,\n  \
             name, unknown, other, gmv, refunds, paid_orders, units, refunded_orders,\n  \
             CASE WHEN sum(buyers) OVER () > 0 THEN buyers END AS buyers,\n  \
             CASE WHEN sum(buyers) OVER () > 0 THEN repeat_buyers END AS repeat_buyers,\n  \
             CASE WHEN sum(buyers) OVER () > 0 AND grain = 'all' THEN buyers END AS new_buyers,\n  \
             CASE WHEN grain = 'all' THEN\n    \
             CAST(gmv AS DOUBLE) / NULLIF(sum(gmv) OVER (PARTITION BY dimension, grain), 0) END AS gmv_share\n\
             FROM group_sums",
            rank.join(" ")
        ),
    );
    s.select = format!(
        "-- DEFINITIONS §10 per dimension (platform, shop, channel, region, customer_type, category):\n\
         -- grain 'all': each group over the whole range (position: largest GMV first, ties by name, unknown last), its\n\
         --   §2 KPIs (ratios NULL where their denominator is 0) and share of GMV. Groups of an order-level dimension\n\
         --   sum to the total; by category an order may count in several groups. Name '' with unknown = TRUE: blanks.\n\
         -- grain 'day' / 'week' / 'month': the trend, one row per series and period it has paid orders in (periods\n\
         --   without any are all 0 and not listed): the {} largest groups by GMV drawn as their own series in the\n\
         --   groups' order (all of them when at most one more), then other = TRUE, the rest summed. The series of a\n\
         --   period sum to its GMV, refunds, units (and paid orders, by an order-level dimension).\n\
         SELECT g.dimension, g.grain, g.period, g.start, g.position, g.name, g.unknown, g.other, g.gmv_share,\n  {}\n\
         FROM group_figures g\nWHERE g.carried\nORDER BY g.dimension_rank, g.grain_rank, g.period, g.position",
        ctx.options.breakdowns.trend_groups,
        kpi_columns("g", "g")
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::place::{region_of, region_of_address};

    #[test]
    fn the_province_table_is_the_engines() {
        let table = provinces();
        assert_eq!(table.len(), 34, "{table:?}");
        for (short, full) in &table {
            assert_eq!(region_of(short).as_deref(), Some(*full), "{short}");
            assert_eq!(region_of(full).as_deref(), Some(*full), "{full}");
            assert_eq!(
                region_of_address(&format!("{short}某市某区")).as_deref(),
                Some(*full)
            );
            // No short name begins another, so the first match is the only one (the CASE's order
            // cannot matter).
            for (other, _) in &table {
                assert!(
                    other == short || !other.starts_with(short),
                    "{short} {other}"
                );
            }
        }
    }

    #[test]
    fn whitespace_is_rusts() {
        let ws = whitespace_class();
        for c in [' ', '\t', '\u{00A0}', '\u{3000}', '\u{2003}', '\u{0085}'] {
            assert!(ws.contains(&format!("\\x{{{:04X}}}", c as u32)), "{c:?}");
        }
        // Not whitespace to Rust: the BOM and the zero-width space.
        assert!(!ws.contains("FEFF") && !ws.contains("200B"));
    }
}
