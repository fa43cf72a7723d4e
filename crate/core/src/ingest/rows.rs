//! Row mapping: one record of a recognised file into the [`Dataset`], or a rejection with a reason.
//!
//! Column indices are resolved once per file ([`ColumnMap`]); each row reads only its mapped cells,
//! parses them from `&str` without allocating, and either lands in the tables or is counted in the
//! load report under a stable reason code with the line, column and raw value.

use std::borrow::Cow;

use super::fast;
use super::records::Record;
use super::report::{LoadReport, RowIssue};
use super::{issue, RowContext};
use crate::model::{Dataset, DatasetKind, LineRow, OrderRow, PayState, Platform};
use crate::schema::field::Field;
use crate::schema::recognize::{Column, ColumnMap, Recognition};
use crate::schema::value::{
    classify_status, clean, clean_id, is_missing, parse_count, parse_day, parse_event_type,
    parse_money, parse_time_in_zone, StatusClass, ValueError,
};
use crate::time::{day_of, Day};

/// 1990-01-01 and 2100-12-31 as day numbers: the range of plausible shop dates.
const FIRST_PLAUSIBLE_DAY: Day = 7_305;
const LAST_PLAUSIBLE_DAY: Day = 47_846;

/// How a file's timestamps become wall-clock seconds (DEFINITIONS §1).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimeRules {
    /// Added to Unix epochs when no report zone is set: +8 h for Chinese platforms, else 0.
    pub epoch_offset: i64,
    /// The zone the user set (seconds east of UTC): offset-bearing times and epochs convert to it.
    pub report_zone: Option<i64>,
}

/// Why a row was not used.
struct Reject {
    code: &'static str,
    message: Cow<'static, str>,
    column: Option<usize>,
    value: String,
}

impl Reject {
    fn new(code: &'static str, message: impl Into<Cow<'static, str>>) -> Reject {
        Reject {
            code,
            message: message.into(),
            column: None,
            value: String::new(),
        }
    }
}

type RowResult<T> = Result<T, Reject>;

/// A line of a detail export (宝贝报表) whose order must come from another file.
pub(crate) struct PendingLine {
    report: usize,
    line: u64,
    order: String,
    product_key: String,
    title: Option<String>,
    quantity: i64,
    unit_price: Option<i64>,
    amount: Option<i64>,
    refund: Option<i64>,
}

/// Everything needed to map the rows of one file, resolved from its header once.
pub(crate) struct Mapper {
    kind: DatasetKind,
    /// Column index of each role, by `Field as usize`: resolved once from the header, so a row
    /// reads its cells by array index (a hash lookup per cell showed in profiles).
    columns: Vec<Option<usize>>,
    headers: Vec<String>,
    source: u16,
    time_rules: TimeRules,
    utf8: bool,
    file: String,
    pub headerless: bool,
    /// Sub-order rows: amounts are per line and add up to the order.
    line_level_amounts: bool,
    /// No created/paid time column: lines of orders that another export provides.
    detail_only: bool,
    has_paid_time: bool,
    has_status: bool,
}

impl Mapper {
    pub fn new(
        r: &Recognition,
        platform: Platform,
        source: u16,
        time_rules: TimeRules,
        utf8: bool,
        file: &str,
        report: &mut LoadReport,
    ) -> Mapper {
        let map = ColumnMap::from_columns(&r.columns);
        let is_orders = matches!(r.kind, DatasetKind::Orders | DatasetKind::OrderLines);
        let has_paid_time = map.has(Field::PaidTime);
        let has_status = map.has(Field::Status);
        let detail_only = is_orders
            && map.has(Field::OrderId)
            && !map.has(Field::CreatedTime)
            && !has_paid_time
            && r.kind == DatasetKind::OrderLines;
        if is_orders && !detail_only {
            if !has_paid_time && !has_status {
                report.note(
                    "all_orders_paid",
                    "No payment time and no status column: every order is counted as paid.",
                );
            } else if !has_paid_time {
                report.note(
                    "paid_by_status",
                    "No payment time column: paid orders are recognised by their status.",
                );
            }
            if !map.has(Field::OrderId) {
                report.note(
                    "one_order_per_row",
                    "No order id column: each row is counted as one order.",
                );
            }
            if map.has(Field::RefundAmount) && platform == Platform::Taobao {
                report.note(
                    "refund_may_include_adjustments",
                    "退款金额 can include price adjustments already netted out of the paid amount; \
                     figures use the column as exported.",
                );
            }
        }
        if detail_only {
            report.note(
                "detail_lines",
                "Line items without order times: they are attached to the orders of an order export \
                 (订单报表) loaded with this file.",
            );
        }
        Mapper {
            kind: r.kind,
            line_level_amounts: map.has(Field::LineId),
            columns: columns_by_field(&r.columns),
            headers: r.columns.iter().map(|c| c.header.clone()).collect(),
            source,
            time_rules,
            utf8,
            file: file.to_string(),
            headerless: r.headerless,
            detail_only,
            has_paid_time,
            has_status,
        }
    }

    /// The column of role `f`, if the file has one.
    fn col(&self, f: Field) -> Option<usize> {
        self.columns.get(f as usize).copied().flatten()
    }

    fn has(&self, f: Field) -> bool {
        self.col(f).is_some()
    }

    /// Header of column `i`, as written.
    pub fn header_name(&self, i: usize) -> Option<&str> {
        self.headers.get(i).map(String::as_str)
    }

    /// Map one data record.
    pub fn row(&mut self, rec: &Record<'_>, ctx: &mut RowContext<'_>) {
        if rec.is_blank() {
            ctx.report
                .skip("blank_line", "Blank line.", issue(rec, None, ""));
            return;
        }
        if is_summary(rec) {
            ctx.report.skip(
                "summary_row",
                "Summary row (合计/总计/Total) at the end of the export.",
                issue(rec, None, &rec.iter().take(4).collect::<Vec<_>>().join(" ")),
            );
            return;
        }
        ctx.report.rows_read += 1;
        let outcome = self.check_shape(rec, ctx).and_then(|_| match self.kind {
            DatasetKind::Orders | DatasetKind::OrderLines => self.order_row(rec, ctx),
            DatasetKind::Events => self.event_row(rec, ctx),
            DatasetKind::Traffic => self.traffic_row(rec, ctx),
            DatasetKind::Ads => self.ad_row(rec, ctx),
            DatasetKind::Products => self.product_row(rec, ctx),
        });
        match outcome {
            Ok(true) => ctx.report.rows_used += 1,
            // Held for later (detail lines): counted when attached or rejected at finish.
            Ok(false) => {}
            Err(r) => {
                let column = r.column.map(|c| self.headers[c].as_str());
                let value = if r.value.is_empty() && r.column.is_none() {
                    rec.iter().take(6).collect::<Vec<_>>().join(",")
                } else {
                    r.value.clone()
                };
                ctx.report
                    .reject(r.code, &r.message, issue(rec, column, &value));
            }
        }
    }

    fn check_shape(&self, rec: &Record<'_>, ctx: &RowContext<'_>) -> RowResult<()> {
        let n = self.headers.len();
        let extra_blank = (n..rec.len()).all(|i| rec.get(i).is_some_and(|c| c.trim().is_empty()));
        if rec.len() < n || (rec.len() > n && !extra_blank) {
            return Err(Reject::new(
                "ragged_row",
                format!(
                    "This row has {} fields but the header has {n}: a delimiter or quote inside a value \
                     was not escaped. Fix the row in a text editor or export again.",
                    rec.len()
                ),
            ));
        }
        // Transcoded input marks what it replaced; UTF-8 is read as it is and checked per record.
        if self.utf8 && (ctx.malformed || !rec.is_utf8()) {
            if let Some(i) =
                (0..rec.len()).find(|&i| rec.get(i).is_some_and(|c| c.contains('\u{FFFD}')))
            {
                return Err(Reject {
                    code: "invalid_encoding",
                    message: "This line is not valid UTF-8 while the rest of the file is: the file \
                              mixes encodings. Save it again from Excel as one encoding (UTF-8 or GBK)."
                        .into(),
                    column: (i < n).then_some(i),
                    value: rec.get(i).unwrap_or("").to_string(),
                });
            }
        }
        Ok(())
    }

    /// The raw cell of a role, when the file has that column.
    fn cell<'r>(&self, rec: &Record<'r>, f: Field) -> Option<&'r str> {
        self.col(f).and_then(|i| rec.get(i))
    }

    fn parsed<T>(
        &self,
        rec: &Record<'_>,
        f: Field,
        parse: impl Fn(&str) -> Result<Option<T>, ValueError>,
    ) -> RowResult<Option<T>> {
        let Some(i) = self.col(f) else {
            return Ok(None);
        };
        let raw = rec.get(i).unwrap_or("");
        parse(raw).map_err(|e| Reject {
            code: e.code(),
            message: format!("Expected {}.", e.expected()).into(),
            column: Some(i),
            value: raw.to_string(),
        })
    }

    fn money(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<i64>> {
        self.parsed(rec, f, |s| {
            fast::money(s).map_or_else(|| parse_money(s), |v| Ok(Some(v)))
        })
    }

    fn time(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<i64>> {
        let TimeRules {
            epoch_offset,
            report_zone,
        } = self.time_rules;
        let t = self.parsed(rec, f, |s| parse_time_in_zone(s, epoch_offset, report_zone))?;
        self.plausible(rec, f, t.map(day_of))?;
        Ok(t)
    }

    fn day(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<Day>> {
        let d = self.parsed(rec, f, parse_day)?;
        self.plausible(rec, f, d)?;
        Ok(d)
    }

    /// Shop data lives between 1990 and 2100: a date outside is a typo or a mangled cell, and one
    /// such date would stretch every daily series across centuries.
    fn plausible(&self, rec: &Record<'_>, f: Field, day: Option<Day>) -> RowResult<()> {
        match day {
            Some(d) if !(FIRST_PLAUSIBLE_DAY..=LAST_PLAUSIBLE_DAY).contains(&d) => Err(Reject {
                code: "implausible_date",
                message: "The date is outside 1990–2100: a typo or a cell Excel mangled. Correct it in the export."
                    .into(),
                column: self.col(f),
                value: self.cell(rec, f).unwrap_or("").to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn count(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<i64>> {
        self.parsed(rec, f, |s| {
            fast::count(s).map_or_else(|| parse_count(s), |v| Ok(Some(v)))
        })
    }

    fn id<'r>(&self, rec: &Record<'r>, f: Field) -> RowResult<Option<Cow<'r, str>>> {
        let Some(i) = self.col(f) else {
            return Ok(None);
        };
        let raw = rec.get(i).unwrap_or("");
        if let Some(plain) = fast::id(raw) {
            return Ok(Some(Cow::Borrowed(plain)));
        }
        clean_id(raw).map_err(|e| Reject {
            code: e.code(),
            message: match e {
                ValueError::ScientificId => "This id was turned into a number like 1.23457E+18 by \
                     Excel and no longer identifies one order. Export the report again and open it \
                     without letting Excel convert the column."
                    .into(),
                _ => format!("Expected {}.", e.expected()).into(),
            },
            column: Some(i),
            value: raw.to_string(),
        })
    }

    fn text<'r>(&self, rec: &Record<'r>, f: Field) -> Option<&'r str> {
        self.cell(rec, f)
            .map(fast::clean_text)
            .filter(|s| !is_missing(s))
    }

    fn required<T>(&self, v: Option<T>, f: Field, code: &'static str, what: &str) -> RowResult<T> {
        v.ok_or_else(|| Reject {
            code,
            message: format!("{what} is missing; this row cannot be used without it.").into(),
            column: self.col(f),
            value: String::new(),
        })
    }

    /// The product key of a line: SKU / 商家编码, else product id, else the title (DEFINITIONS §6).
    fn product_key<'r>(&self, rec: &Record<'r>) -> RowResult<Option<Cow<'r, str>>> {
        if let Some(k) = self.id(rec, Field::Sku)? {
            return Ok(Some(k));
        }
        if let Some(k) = self.id(rec, Field::ProductId)? {
            return Ok(Some(k));
        }
        Ok(self.text(rec, Field::Title).map(Cow::Borrowed))
    }

    fn quantity(&self, rec: &Record<'_>) -> RowResult<i64> {
        let q = self.count(rec, Field::Quantity)?.unwrap_or(1);
        if q < 0 {
            return Err(Reject {
                code: "negative_quantity",
                message:
                    "A negative quantity cannot be a sale; returns belong in the refund columns."
                        .into(),
                column: self.col(Field::Quantity),
                value: q.to_string(),
            });
        }
        Ok(q)
    }

    /// Payment state a row states, per DEFINITIONS §1; `None` when the row says nothing (the
    /// follow-up line rows of a Shopify order).
    fn pay_state(&self, rec: &Record<'_>, paid_at: Option<i64>) -> RowResult<Option<PayState>> {
        let status = match self.text(rec, Field::Status) {
            Some(raw) => Some(classify_status(raw).ok_or_else(|| Reject {
                code: "unknown_status",
                message: "This order status is not one shoplens knows, so it cannot tell whether the \
                          order was paid. Map it by correcting the status column or report it."
                    .into(),
                column: self.col(Field::Status),
                value: raw.to_string(),
            })?),
            None => None,
        };
        if status == Some(StatusClass::Test) {
            return Ok(Some(PayState::Cancelled));
        }
        if self.has_paid_time {
            return Ok(match (paid_at, status) {
                (Some(_), _) => Some(PayState::Paid),
                (None, Some(StatusClass::Cancelled)) => Some(PayState::Cancelled),
                (None, Some(_)) => Some(PayState::Unpaid),
                (None, None) => None,
            });
        }
        if self.has_status {
            return Ok(status.map(|s| match s {
                StatusClass::Paid | StatusClass::Refunded => PayState::Paid,
                StatusClass::Unpaid => PayState::Unpaid,
                StatusClass::Cancelled
                | StatusClass::ClosedPaidIfPaymentTime
                | StatusClass::Test => PayState::Cancelled,
            }));
        }
        Ok(Some(PayState::Paid))
    }

    fn order_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let order_key: Cow<str> = if self.has(Field::OrderId) {
            self.required(
                self.id(rec, Field::OrderId)?,
                Field::OrderId,
                "missing_order_id",
                "The order id",
            )?
        } else {
            Cow::Owned(format!("{}#{}", self.file, rec.line))
        };
        if self.detail_only {
            return self.detail_line(rec, &order_key, ctx).map(|_| false);
        }
        let customer = self.id(rec, Field::CustomerId)?;
        let created = self.time(rec, Field::CreatedTime)?;
        let paid_at = self.time(rec, Field::PaidTime)?;
        let state = self.pay_state(rec, paid_at)?;
        let paid_amount = self.money(rec, Field::PaidAmount)?;
        let refund = self.money(rec, Field::RefundAmount)?;
        if ctx.dataset.currency.is_none() {
            if let Some(c) = self.text(rec, Field::Currency).filter(|c| c.len() == 3) {
                ctx.dataset.currency = Some(c.to_ascii_uppercase());
            }
        }
        let exists = ctx.dataset.order_ids.get(&order_key).is_some();
        // A paid order needs a time to fall in a period; an unpaid or cancelled one (PDD leaves
        // every time blank on cancelled orders) is kept, counted among orders but in no period.
        if !exists && created.is_none() && paid_at.is_none() && state == Some(PayState::Paid) {
            let f = if self.has(Field::PaidTime) && !self.has(Field::CreatedTime) {
                Field::PaidTime
            } else {
                Field::CreatedTime
            };
            return Err(self
                .required(None::<()>, f, "missing_time", "The order time")
                .unwrap_err());
        }
        let line_level = self.line_level_amounts || !self.has(Field::PaidAmount);
        let order = ctx.dataset.add_order(&OrderRow {
            id: &order_key,
            customer: customer.as_deref(),
            created,
            paid_at,
            state: if exists {
                state
            } else {
                Some(state.unwrap_or(PayState::Unpaid))
            },
            paid_amount: if line_level { None } else { paid_amount },
            refund: if self.line_level_amounts {
                None
            } else {
                refund
            },
            source: self.source,
            shop: self.text(rec, Field::Shop),
        });
        if let Some(packed) = self.text(rec, Field::PackedItems) {
            for (qty, title) in unpack_items(packed) {
                ctx.dataset.add_line(
                    order,
                    &LineRow {
                        product_key: title,
                        title: Some(title),
                        quantity: qty,
                        ..LineRow::default()
                    },
                );
            }
            if let (false, Some(a)) = (exists, paid_amount) {
                ctx.dataset.orders.paid_amount[order as usize] = a;
            }
            return Ok(true);
        }
        let Some(key) = self.product_key(rec)? else {
            if line_level {
                ctx.dataset.orders.paid_amount[order as usize] += paid_amount.unwrap_or(0);
            }
            return Ok(true);
        };
        let quantity = self.quantity(rec)?;
        let unit_price = self.money(rec, Field::UnitPrice)?;
        let mut amount = self.money(rec, Field::LineAmount)?;
        if self.line_level_amounts && paid_amount.is_some() {
            // A sub-order's paid amount is the line's value and adds up to the order's.
            amount = paid_amount;
        }
        let line = ctx.dataset.add_line(
            order,
            &LineRow {
                product_key: &key,
                title: self.text(rec, Field::Title),
                category: self.text(rec, Field::Category),
                quantity,
                unit_price,
                amount,
                refund: if self.line_level_amounts {
                    refund
                } else {
                    None
                },
            },
        );
        if line_level {
            let value = ctx.dataset.lines.value(line as usize).unwrap_or(0);
            ctx.dataset.orders.paid_amount[order as usize] += paid_amount.unwrap_or(value);
        }
        if self.line_level_amounts {
            ctx.dataset.orders.refund[order as usize] += refund.unwrap_or(0);
        }
        if self.kind == DatasetKind::Orders {
            ctx.synthetic_lines.push(line);
        }
        Ok(true)
    }

    fn detail_line(
        &self,
        rec: &Record<'_>,
        order: &str,
        ctx: &mut RowContext<'_>,
    ) -> RowResult<()> {
        let key = self.required(
            self.product_key(rec)?,
            Field::Title,
            "missing_product",
            "The product (SKU or title)",
        )?;
        ctx.pending.push(PendingLine {
            report: usize::from(self.source),
            line: rec.line,
            order: order.to_string(),
            product_key: key.into_owned(),
            title: self.text(rec, Field::Title).map(str::to_string),
            quantity: self.quantity(rec)?,
            unit_price: self.money(rec, Field::UnitPrice)?,
            amount: self.money(rec, Field::LineAmount)?,
            refund: self.money(rec, Field::RefundAmount)?,
        });
        Ok(())
    }

    fn event_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let user = self.required(
            self.id(rec, Field::UserId)?,
            Field::UserId,
            "missing_user_id",
            "The user id",
        )?;
        let raw_type = self.text(rec, Field::EventType).unwrap_or("");
        let kind = fast::event_type(raw_type)
            .or_else(|| parse_event_type(raw_type))
            .ok_or_else(|| Reject {
                code: "unknown_event_type",
                message: "Expected an event type such as pv/view, fav, cart, buy/purchase.".into(),
                column: self.col(Field::EventType),
                value: raw_type.to_string(),
            })?;
        let time = self.required(
            self.time(rec, Field::EventTime)?,
            Field::EventTime,
            "missing_time",
            "The event time",
        )?;
        let item = match self.id(rec, Field::ProductId)? {
            Some(i) => Some(i),
            None => self.id(rec, Field::Sku)?,
        };
        let category = self.text(rec, Field::Category);
        let brand = self.text(rec, Field::Brand);
        // `Dataset::add_event`, with the product's first-seen category filled only the first time
        // this session sees the product with a category (it is never unset afterwards).
        let ds = &mut *ctx.dataset;
        let user = ds.customers.intern(&user);
        let item = item.map(|i| ds.intern_product(&i));
        let category = category.map(|c| ds.categories.intern(c));
        let brand = brand.map(|b| ds.brands.intern(b));
        if let (Some(i), Some(c)) = (item, category) {
            if ctx.categorised.insert(i) {
                ds.product_info[i as usize].category.get_or_insert(c);
            }
        }
        ds.push_event(user, kind, time, item, category, brand);
        Ok(true)
    }

    fn traffic_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let day = self.day(rec, Field::Date)?;
        let product = match self.id(rec, Field::ProductId)? {
            Some(p) => Some(ctx.dataset.intern_product(&p)),
            None => None,
        };
        if let (Some(p), Some(t)) = (product, self.text(rec, Field::Title)) {
            ctx.dataset.product_info[p as usize]
                .title
                .get_or_insert_with(|| t.to_string());
        }
        let visitors = self.count(rec, Field::Visitors)?;
        let page_views = self.count(rec, Field::PageViews)?;
        let fav_users = self.count(rec, Field::FavUsers)?;
        let cart_users = self.count(rec, Field::CartUsers)?;
        let buyers = self.count(rec, Field::Buyers)?;
        let units = self.count(rec, Field::Units)?;
        let paid_amount = self.money(rec, Field::SalesAmount)?;
        let t = &mut ctx.dataset.traffic;
        t.day.push(day);
        t.product.push(product);
        t.visitors.push(visitors);
        t.page_views.push(page_views);
        t.fav_users.push(fav_users);
        t.cart_users.push(cart_users);
        t.buyers.push(buyers);
        t.units.push(units);
        t.paid_amount.push(paid_amount);
        Ok(true)
    }

    fn ad_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let day = self.day(rec, Field::Date)?;
        let impressions = self.count(rec, Field::Impressions)?;
        let clicks = self.count(rec, Field::Clicks)?;
        let spend = self.money(rec, Field::Spend)?;
        let sales = self.money(rec, Field::AdSales)?;
        let orders = self.count(rec, Field::AdOrders)?;
        let campaign = self
            .text(rec, Field::Campaign)
            .map(|c| ctx.dataset.campaigns.intern(c));
        let a = &mut ctx.dataset.ads;
        a.day.push(day);
        a.campaign.push(campaign);
        a.impressions.push(impressions);
        a.clicks.push(clicks);
        a.spend.push(spend);
        a.sales.push(sales);
        a.orders.push(orders);
        Ok(true)
    }

    fn product_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let key = self.required(
            self.product_key(rec)?,
            Field::Sku,
            "missing_product",
            "The product key (SKU / 商家编码)",
        )?;
        let cost = self.money(rec, Field::Cost)?;
        let price = self.money(rec, Field::UnitPrice)?;
        let stock = self.count(rec, Field::Stock)?;
        let title = self.text(rec, Field::Title);
        let category = self
            .text(rec, Field::Category)
            .map(|c| ctx.dataset.categories.intern(c));
        let p = ctx.dataset.intern_product(&key) as usize;
        let info = &mut ctx.dataset.product_info[p];
        if let Some(t) = title {
            info.title.get_or_insert_with(|| t.to_string());
        }
        info.category = info.category.or(category);
        info.cost = cost.or(info.cost);
        info.price = price.or(info.price);
        info.stock = stock.or(info.stock);
        Ok(true)
    }
}

/// Column index by `Field as usize`, as [`ColumnMap`] resolves it: the first non-duplicate column
/// of each role.
fn columns_by_field(columns: &[Column]) -> Vec<Option<usize>> {
    let mut by_field: Vec<Option<usize>> = Vec::new();
    for c in columns {
        if let (Some(f), None) = (c.field, c.duplicate_of) {
            let slot = f as usize;
            if by_field.len() <= slot {
                by_field.resize(slot + 1, None);
            }
            by_field[slot].get_or_insert(c.index);
        }
    }
    by_field
}

/// A 合计/总计/Total row: its first non-blank cell says so.
fn is_summary(rec: &Record<'_>) -> bool {
    const WORDS: [&str; 9] = [
        "合计",
        "总计",
        "汇总",
        "小计",
        "total",
        "totals",
        "grand total",
        "合计:",
        "总计:",
    ];
    rec.iter()
        .map(clean)
        .find(|c| !c.is_empty())
        .is_some_and(|c| {
            WORDS.iter().any(|w| {
                c.eq_ignore_ascii_case(w) || c.trim_end_matches([':', '：']).eq_ignore_ascii_case(w)
            })
        })
}

/// WooCommerce Analytics packs lines into one cell: `2× Mug, 1× T-shirt` → `[(2, "Mug"), (1, "T-shirt")]`.
/// Items are separated by `, ` followed by a count and `×`/`x`, so titles may contain commas.
pub(crate) fn unpack_items(cell: &str) -> Vec<(i64, &str)> {
    let mut items = Vec::new();
    let mut starts = vec![0];
    for (i, _) in cell.match_indices(", ") {
        if count_prefix(&cell[i + 2..]).is_some() {
            starts.push(i + 2);
        }
    }
    starts.push(cell.len() + 2);
    for w in starts.windows(2) {
        let part = cell[w[0]..(w[1] - 2).max(w[0])].trim();
        if part.is_empty() {
            continue;
        }
        match count_prefix(part) {
            Some((n, rest)) => items.push((n, rest.trim())),
            None => items.push((1, part)),
        }
    }
    items
}

fn count_prefix(s: &str) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: i64 = s[..digits].parse().ok()?;
    let rest = s[digits..].trim_start();
    let rest = rest
        .strip_prefix('×')
        .or_else(|| rest.strip_prefix('x'))
        .or_else(|| rest.strip_prefix('X'))?;
    Some((n, rest))
}

/// Attach detail lines to the orders loaded from other files, and drop the one-line summaries of
/// those orders that order-level exports produced (宝贝标题 + 宝贝总数量).
pub(crate) fn attach_pending(
    ds: &mut Dataset,
    reports: &mut [LoadReport],
    pending: Vec<PendingLine>,
    synthetic: &[u32],
) {
    if pending.is_empty() {
        return;
    }
    let mut has_detail = vec![false; ds.orders.len()];
    // `PendingLine::report` holds the source index; map it to the report of that file.
    let report_of = |source: usize, reports: &[LoadReport], ds: &Dataset| -> Option<usize> {
        let file = &ds.sources.get(source)?.file;
        reports.iter().position(|r| &r.file == file)
    };
    for p in pending {
        let r = report_of(p.report, reports, ds);
        match ds
            .order_ids
            .get(&p.order)
            .filter(|&o| (o as usize) < ds.orders.len())
        {
            Some(o) => {
                ds.add_line(
                    o,
                    &LineRow {
                        product_key: &p.product_key,
                        title: p.title.as_deref(),
                        category: None,
                        quantity: p.quantity,
                        unit_price: p.unit_price,
                        amount: p.amount,
                        refund: p.refund,
                    },
                );
                has_detail[o as usize] = true;
                if let Some(r) = r {
                    reports[r].rows_used += 1;
                }
            }
            None => {
                if let Some(r) = r {
                    reports[r].reject(
                        "order_not_loaded",
                        "This line's order is in no loaded order export. Load the matching 订单报表 \
                         together with this file.",
                        RowIssue {
                            line: p.line,
                            column: None,
                            value: p.order.clone(),
                        },
                    );
                }
            }
        }
    }
    let drop: Vec<bool> = {
        let mut d = vec![false; ds.lines.len()];
        for &l in synthetic {
            if has_detail[ds.lines.order[l as usize] as usize] {
                d[l as usize] = true;
            }
        }
        d
    };
    retain_lines(ds, &drop);
}

fn retain_lines(ds: &mut Dataset, drop: &[bool]) {
    fn keep<T: Copy>(v: &mut Vec<T>, drop: &[bool]) {
        let mut i = 0;
        v.retain(|_| {
            let k = !drop[i];
            i += 1;
            k
        });
    }
    let l = &mut ds.lines;
    keep(&mut l.order, drop);
    keep(&mut l.product, drop);
    keep(&mut l.quantity, drop);
    keep(&mut l.unit_price, drop);
    keep(&mut l.amount, drop);
    keep(&mut l.refund, drop);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_range_is_1990_to_2100() {
        assert_eq!(
            FIRST_PLAUSIBLE_DAY,
            crate::time::days_from_civil(1990, 1, 1)
        );
        assert_eq!(
            LAST_PLAUSIBLE_DAY,
            crate::time::days_from_civil(2100, 12, 31)
        );
    }

    /// The per-row column array resolves every role as `ColumnMap` does, on real headers
    /// (duplicate `商家编码`, trailing spaces, sub-order exports).
    #[test]
    fn column_array_agrees_with_column_map() {
        let headers = [
            include_str!("../../../../tests/fixtures/tmall_sales_detail.csv"),
            include_str!("../../../../tests/fixtures/taobao_items_utf8bom.csv"),
            include_str!("../../../../tests/fixtures/shopify_orders.csv"),
            include_str!("../../../../tests/fixtures/rees46_events.csv"),
        ];
        for text in headers {
            let line = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap_or("");
            let cells: Vec<&str> = line.split(',').collect();
            let Some(r) = crate::schema::recognize::recognize(&cells, &Default::default(), None)
            else {
                panic!("fixture header not recognised: {line}");
            };
            let map = ColumnMap::from_columns(&r.columns);
            let by_field = columns_by_field(&r.columns);
            for c in &r.columns {
                if let Some(f) = c.field {
                    assert_eq!(
                        by_field.get(f as usize).copied().flatten(),
                        map.get(f),
                        "{f:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn unpacks_woocommerce_items() {
        assert_eq!(
            unpack_items("2× Mug, 1× T-shirt, large"),
            vec![(2, "Mug"), (1, "T-shirt, large")]
        );
        assert_eq!(unpack_items("Poster"), vec![(1, "Poster")]);
        assert_eq!(
            unpack_items("3x Sticker, 1x Pin"),
            vec![(3, "Sticker"), (1, "Pin")]
        );
    }
}
