//! Filters applied before any analysis: date range, platform, shop, category, product.
//!
//! [`apply`] builds a new [`Dataset`] that holds only what a [`Filter`] selects, so every analysis reads a
//! filtered dataset exactly as it reads an unfiltered one. Interned ids of products, categories, brands,
//! shops and campaigns are kept (the new dataset starts from clones of those tables and of
//! `product_info`/`sources`); order ids and customer ids are interned afresh, so they are dense again.
//!
//! # What passes
//! Every condition that is set must hold; a list left empty does not filter.
//! - **Orders**: the day of the order time (payment time, else creation time) lies in `from..=to`; the
//!   platform of the file that created the order is in `platforms`; the order's shop is in `shops` (an
//!   order without a shop fails a shop filter). With `categories` and/or `products`, an order passes when
//!   at least one of its lines matches (the line's product key is in `products` *and* its category is in
//!   `categories`), and only the matching lines are kept. The order's paid amount and refund then shrink
//!   to the kept lines' share, split as the products analysis splits an order over its lines
//!   (DEFINITIONS §6): paid amount by line value, remainder cents to the largest lines; refund from
//!   each line's own refund, the rest of the order's refund by value. So a category's filtered GMV is
//!   the sum of its products' revenue. Orders whose lines all match keep their amounts unchanged.
//!   Unpaid orders are filtered the same way (analyses skip them).
//! - **Events**: the event's day is in range; with `products`, the event's item is listed; with
//!   `categories`, the event's category (else its item's category) is listed.
//! - **Traffic rows**: the row's day is in range (a row without a day fails a date range); with
//!   `products`/`categories`, the row is about a listed product / a product of a listed category, so
//!   shop-level rows (no product) are dropped.
//! - **Ad rows**: the row's day is in range (a row without a day fails a date range). Category and
//!   product filters do not apply: ad rows are per campaign.
//!
//! Events, traffic and ad rows carry no per-row source or shop, so the shop filter does not apply to them,
//! and the platform filter applies to each table as a whole: the table is kept when any loaded file of
//! that kind comes from a listed platform (or no file of that kind is recorded), else it is dropped.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::products::{allocate_cents, line_refunds};
use crate::model::{
    Ads, Dataset, DatasetKind, Groups, IdSpace, Interner, Line, Order, Platform, Traffic,
};
use crate::time::{self, Day};

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;

/// What to keep. The default (everything empty) keeps everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Filter {
    /// First day kept, `YYYY-MM-DD`, inclusive; `None` = from the start of the data.
    pub from: Option<String>,
    /// Last day kept, `YYYY-MM-DD`, inclusive; `None` = to the end of the data.
    pub to: Option<String>,
    /// Platforms of the files whose orders are kept; empty = all.
    pub platforms: Vec<Platform>,
    /// Shop names (店铺名称) whose orders are kept; empty = all.
    pub shops: Vec<String>,
    /// Category names whose lines (and events, traffic rows) are kept; empty = all.
    pub categories: Vec<String>,
    /// Product keys (SKU / 商家编码 / product id, else title) whose lines are kept; empty = all.
    pub products: Vec<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.platforms.is_empty()
            && self.shops.is_empty()
            && self.categories.is_empty()
            && self.products.is_empty()
    }
}

/// A filter that cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterError {
    /// `from` or `to` is not a valid `YYYY-MM-DD` date.
    InvalidDate {
        /// `"from"` or `"to"`.
        field: &'static str,
        /// The text as given.
        value: String,
    },
    /// `from` is after `to`.
    InvertedRange {
        /// `from`, `YYYY-MM-DD`.
        from: String,
        /// `to`, `YYYY-MM-DD`.
        to: String,
    },
}

impl FilterError {
    /// Stable snake_case code for the UI and JS errors.
    pub fn code(&self) -> &'static str {
        match self {
            FilterError::InvalidDate { .. } => "invalid_date",
            FilterError::InvertedRange { .. } => "inverted_range",
        }
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::InvalidDate { field, value } => {
                write!(
                    f,
                    "filter `{field}`: expected a date written YYYY-MM-DD, found {value:?}"
                )
            }
            FilterError::InvertedRange { from, to } => {
                write!(f, "filter range is empty: `from` {from} is after `to` {to}")
            }
        }
    }
}

impl std::error::Error for FilterError {}

/// Parses a `YYYY-MM-DD` date (exactly that shape, a real calendar date) into a [`Day`].
pub fn parse_day(text: &str) -> Option<Day> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (year, month, day) = (
        number(&b[0..4])? as i32,
        number(&b[5..7])?,
        number(&b[8..10])?,
    );
    time::is_valid_date(year, month, day).then(|| time::days_from_civil(year, month, day))
}

/// Builds the dataset that `filter` selects from `ds` (see the module docs for the exact semantics).
pub fn apply(ds: &Dataset, filter: &Filter) -> Result<Dataset, FilterError> {
    if filter.is_empty() {
        Selection::resolve(ds, filter)?;
        return Ok(ds.clone());
    }
    apply_where(ds, filter, &|_| true, &|_| true)
}

/// [`apply`] with two more conditions: an order passes only when `keep_order(o)` holds, and the
/// events, traffic and ad tables are kept only when `keep_table(kind)` holds. The currency split
/// (`crate::currency`) selects one currency's orders through it, so every copied column is copied
/// in one place.
pub fn apply_where(
    ds: &Dataset,
    filter: &Filter,
    keep_order: &dyn Fn(usize) -> bool,
    keep_table: &dyn Fn(DatasetKind) -> bool,
) -> Result<Dataset, FilterError> {
    let mut selection = Selection::resolve(ds, filter)?;
    selection.keep_order = keep_order;
    selection.keep_table = keep_table;
    let mut out = Dataset {
        sources: ds.sources.clone(),
        products: ds.products.clone(),
        product_info: ds.product_info.clone(),
        categories: ds.categories.clone(),
        brands: ds.brands.clone(),
        shops: ds.shops.clone(),
        channels: ds.channels.clone(),
        regions: ds.regions.clone(),
        campaigns: ds.campaigns.clone(),
        ..Dataset::default()
    };
    copy_orders(ds, &selection, &mut out);
    if selection.table_passes(ds, DatasetKind::Events) {
        copy_events(ds, &selection, &mut out);
    }
    if selection.table_passes(ds, DatasetKind::Traffic) {
        copy_traffic(ds, &selection, &mut out.traffic);
    }
    if selection.table_passes(ds, DatasetKind::Ads) {
        copy_ads(ds, &selection, &mut out.ads);
    }
    Ok(out)
}

/// A [`Filter`] resolved against one dataset: dates parsed, names turned into id membership tables.
struct Selection<'f> {
    from: Option<Day>,
    to: Option<Day>,
    platforms: &'f [Platform],
    /// Indexed by shop id; `None` = no shop filter.
    shops: Option<Vec<bool>>,
    /// Indexed by product id; `None` = no product filter.
    products: Option<Vec<bool>>,
    /// Indexed by category id; `None` = no category filter.
    categories: Option<Vec<bool>>,
    /// A further condition on orders (see [`apply_where`]).
    keep_order: &'f dyn Fn(usize) -> bool,
    /// A further condition on the events, traffic and ad tables (see [`apply_where`]).
    keep_table: &'f dyn Fn(DatasetKind) -> bool,
}

impl<'f> Selection<'f> {
    fn resolve(ds: &Dataset, filter: &'f Filter) -> Result<Selection<'f>, FilterError> {
        let parse = |field: &'static str, text: &Option<String>| match text {
            None => Ok(None),
            Some(value) => parse_day(value)
                .map(Some)
                .ok_or_else(|| FilterError::InvalidDate {
                    field,
                    value: value.clone(),
                }),
        };
        let from = parse("from", &filter.from)?;
        let to = parse("to", &filter.to)?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(FilterError::InvertedRange {
                    from: time::format_day(a),
                    to: time::format_day(b),
                });
            }
        }
        let members = |names: &[String], table: &Interner| {
            (!names.is_empty()).then(|| {
                let mut listed = vec![false; table.len()];
                // Names that the data does not hold match nothing.
                for id in names.iter().filter_map(|n| table.get(n)) {
                    listed[id as usize] = true;
                }
                listed
            })
        };
        Ok(Selection {
            from,
            to,
            platforms: &filter.platforms,
            shops: members(&filter.shops, &ds.shops),
            products: members(&filter.products, &ds.products),
            categories: members(&filter.categories, &ds.categories),
            keep_order: &|_| true,
            keep_table: &|_| true,
        })
    }

    fn day_passes(&self, day: Day) -> bool {
        // `Option::is_none_or` needs Rust 1.82; the workspace supports 1.81.
        self.from.map_or(true, |from| day >= from) && self.to.map_or(true, |to| day <= to)
    }

    /// For tables whose rows may have no day: such rows pass only when no date range is set.
    fn optional_day_passes(&self, day: Option<Day>) -> bool {
        match day {
            Some(day) => self.day_passes(day),
            None => self.from.is_none() && self.to.is_none(),
        }
    }

    fn has_line_filter(&self) -> bool {
        self.products.is_some() || self.categories.is_some()
    }

    fn category_passes(&self, category: Option<u32>) -> bool {
        match &self.categories {
            None => true,
            Some(listed) => category.is_some_and(|c| listed.get(c as usize) == Some(&true)),
        }
    }

    fn product_passes(&self, ds: &Dataset, product: Option<u32>) -> bool {
        let listed = match &self.products {
            None => true,
            Some(listed) => product.is_some_and(|p| listed.get(p as usize) == Some(&true)),
        };
        listed && self.category_passes(product.and_then(|p| category_of(ds, p)))
    }

    fn order_passes(&self, ds: &Dataset, o: usize) -> bool {
        let orders = &ds.orders;
        let platform_ok = self.platforms.is_empty()
            || ds
                .sources
                .get(orders.source[o] as usize)
                .is_some_and(|s| self.platforms.contains(&s.platform));
        let shop_ok = match &self.shops {
            None => true,
            Some(listed) => orders.shop[o]
                .get()
                .is_some_and(|s| listed.get(s as usize) == Some(&true)),
        };
        platform_ok
            && shop_ok
            && self.day_passes(time::day_of(orders.time[o]))
            && (self.keep_order)(o)
    }

    /// Whether a table without per-row sources survives the platform filter (see module docs).
    fn table_passes(&self, ds: &Dataset, kind: DatasetKind) -> bool {
        let mut files = ds.sources.iter().filter(|s| s.kind == kind).peekable();
        (self.keep_table)(kind)
            && (self.platforms.is_empty()
                || files.peek().is_none()
                || files.any(|s| self.platforms.contains(&s.platform)))
    }
}

fn category_of(ds: &Dataset, product: u32) -> Option<u32> {
    ds.product_info
        .get(product as usize)
        .and_then(|info| info.category)
}

/// Where id `id` of `space` in `ds` points in `out`, the dataset being copied: customers and event
/// names are interned afresh (so they are dense again), every other table of names is a clone.
/// Order ids are set by the copy itself.
fn repoint(ds: &Dataset, out: &mut Dataset, space: IdSpace, id: u32) -> u32 {
    match space {
        IdSpace::Customers => out.customers.intern(ds.customers.name(id)),
        IdSpace::EventNames => {
            let name = ds.event_names.name(id);
            let id = match out.intern_event_name(name) {
                Some(id) => id,
                None => out.overflow_event_name(None),
            };
            u32::from(id)
        }
        IdSpace::Orders
        | IdSpace::Products
        | IdSpace::Categories
        | IdSpace::Brands
        | IdSpace::Shops
        | IdSpace::Channels
        | IdSpace::Regions
        | IdSpace::Campaigns
        | IdSpace::Sources => id,
    }
}

/// Orders pass whole (with their paid amount and refund shrunk to the kept lines' share) and are
/// interned afresh in their order; their kept lines follow them.
fn copy_orders(ds: &Dataset, sel: &Selection, out: &mut Dataset) {
    let lines_by_order = ds.lines_by_order();
    let mut kept_lines: Vec<usize> = Vec::new();
    for o in 0..ds.orders.len() {
        if !sel.order_passes(ds, o) {
            continue;
        }
        let lines = lines_by_order.get(o);
        kept_lines.clear();
        kept_lines.extend(
            lines
                .iter()
                .map(|&l| l as usize)
                .filter(|&l| sel.product_passes(ds, Some(ds.lines.product[l]))),
        );
        if sel.has_line_filter() && kept_lines.is_empty() {
            continue;
        }
        let (paid_amount, refund) = if kept_lines.len() == lines.len() {
            (ds.orders.paid_amount[o], ds.orders.refund[o])
        } else {
            kept_share(ds, o, &lines_by_order, &kept_lines)
        };
        let order = Order {
            paid_amount,
            refund,
            ..ds.orders
                .row(o)
                .map_ids(|space, id| repoint(ds, out, space, id))
        };
        let new_order = out.order_ids.intern(ds.order_ids.name(o as u32));
        out.has_customers |= order.customer.is_some();
        out.orders.push(order);
        for &l in &kept_lines {
            out.lines.push(Line {
                order: new_order,
                ..ds.lines.row(l)
            });
        }
    }
}

/// Paid amount and refund of order `o` that belong to the lines `kept` (a strict subset of its
/// lines), cents, split exactly as the products analysis splits them (DEFINITIONS §6): the paid
/// amount by line value with [`allocate_cents`]; refunds from each line's own refund, the rest of the
/// order's refund (not below 0) allocated by value over the lines without one.
fn kept_share(ds: &Dataset, o: usize, lines_by_order: &Groups, kept: &[usize]) -> (i64, i64) {
    let lines: Vec<usize> = lines_by_order.get(o).iter().map(|&l| l as usize).collect();
    let values: Vec<i64> = lines
        .iter()
        .map(|&l| ds.lines.value(l).unwrap_or(0))
        .collect();
    let paid_shares = allocate_cents(ds.orders.paid_amount[o], &values);
    let own_refunds: Vec<Option<i64>> = lines.iter().map(|&l| ds.lines.refund[l].get()).collect();
    let refund_shares = line_refunds(ds.orders.refund[o], &own_refunds, &values);
    let mut paid = 0i64;
    let mut refund = 0i64;
    for (i, l) in lines.iter().enumerate() {
        if kept.contains(l) {
            paid = paid.saturating_add(paid_shares[i]);
            refund = refund.saturating_add(refund_shares[i]);
        }
    }
    (paid, refund)
}

fn copy_events(ds: &Dataset, sel: &Selection, out: &mut Dataset) {
    let events = &ds.events;
    for e in 0..events.len() {
        let item = events.item[e].get();
        let category = events.category[e]
            .get()
            .or_else(|| item.and_then(|i| category_of(ds, i)));
        let item_ok = match &sel.products {
            None => true,
            Some(listed) => item.is_some_and(|i| listed.get(i as usize) == Some(&true)),
        };
        if !(item_ok
            && sel.category_passes(category)
            && sel.day_passes(time::day_of(events.time[e])))
        {
            continue;
        }
        let event = events
            .row(e)
            .map_ids(|space, id| repoint(ds, out, space, id));
        // As `Dataset::add_named_event` does: the item's first-seen category.
        if let (Some(i), Some(c)) = (event.item.get(), event.category.get()) {
            out.product_info[i as usize].category.get_or_insert(c);
        }
        out.events.push(event);
        if let Some(v) = events.variant_of(e) {
            let copied = out.events.len() - 1;
            out.set_event_variant(copied, ds.variants.name(v));
        }
    }
}

fn copy_traffic(ds: &Dataset, sel: &Selection, out: &mut Traffic) {
    let t = &ds.traffic;
    for r in 0..t.len() {
        let product_ok = !sel.has_line_filter() || sel.product_passes(ds, t.product[r]);
        if product_ok && sel.optional_day_passes(t.day[r]) {
            out.push(t.row(r));
        }
    }
}

fn copy_ads(ds: &Dataset, sel: &Selection, out: &mut Ads) {
    let a = &ds.ads;
    for r in 0..a.len() {
        if sel.optional_day_passes(a.day[r]) {
            out.push(a.row(r));
        }
    }
}
