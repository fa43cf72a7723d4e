//! Rows that are not orders: behaviour events, traffic and advertising aggregates, product lists.

use super::*;
use crate::codes::ReasonCode;
use crate::model::{AdRow, Event, TrafficRow};

/// The name of every event of a log without an event column: each row is a view.
pub(crate) const IMPLICIT_EVENT: &str = "view";

impl Mapper {
    pub(super) fn event_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let user = self.required(
            self.id(rec, Field::UserId)?,
            Field::UserId,
            ReasonCode::MissingUserId,
            "The user id",
        )?;
        // Any name is an event (DEFINITIONS §5): only a blank one rejects the row. A log without
        // an event column (DIGINETICA's item views) is a log of views, as its report says.
        let name = if self.has(Field::EventType) {
            self.required(
                self.text(rec, Field::EventType),
                Field::EventType,
                ReasonCode::MissingEventType,
                "The event name",
            )?
        } else {
            IMPLICIT_EVENT
        };
        let time = self.required(
            self.time(rec, Field::EventTime)?,
            Field::EventTime,
            ReasonCode::MissingTime,
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
        // Interned once the row is known to be kept, so every listed name has events.
        let name = match ds.intern_event_name(name) {
            Some(id) => id,
            None => {
                let meaning = fast::event_type(name).or_else(|| parse_event_type(name));
                ds.overflow_event_name(meaning)
            }
        };
        // Unlike `Dataset::add_event`, `product_info` is left alone (filled just above): a product
        // is touched once rather than once per event (a cache miss per event on 10M-event logs
        // with a million items).
        ds.events.push(Event {
            user,
            name,
            time,
            item: item.into(),
            category: category.into(),
            brand: brand.into(),
        });
        // ---- The experiment group (A/B, DEFINITIONS §9), where the log has a variant column.
        if let Some(variant) = self.text(rec, Field::Variant) {
            let event = ds.events.len() - 1;
            match self.text(rec, Field::Experiment) {
                Some(experiment) => {
                    ds.set_event_variant(event, &format!("{experiment} / {variant}"))
                }
                None => ds.set_event_variant(event, variant),
            }
        }
        Ok(true)
    }

    pub(super) fn traffic_row(
        &self,
        rec: &Record<'_>,
        ctx: &mut RowContext<'_>,
    ) -> RowResult<bool> {
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
        ctx.dataset.traffic.push(TrafficRow {
            day,
            product,
            visitors,
            page_views,
            fav_users,
            cart_users,
            buyers,
            units,
            paid_amount,
        });
        Ok(true)
    }

    pub(super) fn ad_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let day = self.day(rec, Field::Date)?;
        let impressions = self.count(rec, Field::Impressions)?;
        let clicks = self.count(rec, Field::Clicks)?;
        let spend = self.money(rec, Field::Spend)?;
        let sales = self.money(rec, Field::AdSales)?;
        let orders = self.count(rec, Field::AdOrders)?;
        let campaign = self
            .text(rec, Field::Campaign)
            .map(|c| ctx.dataset.campaigns.intern(c));
        ctx.dataset.ads.push(AdRow {
            day,
            campaign,
            impressions,
            clicks,
            spend,
            sales,
            orders,
        });
        Ok(true)
    }

    pub(super) fn product_row(
        &self,
        rec: &Record<'_>,
        ctx: &mut RowContext<'_>,
    ) -> RowResult<bool> {
        let key = self.required(
            self.product_key(rec)?,
            Field::Sku,
            ReasonCode::MissingProduct,
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
        // A product list's category name replaces a bare numeric id that a behaviour log loaded
        // earlier gave the item (Tianchi's `category_id`): the breakdowns then show the name.
        let ds_categories = &ctx.dataset.categories;
        let is_id = |c: u32| {
            let n = ds_categories.name(c);
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        };
        let info = &mut ctx.dataset.product_info[p];
        info.category = match (info.category, category) {
            (Some(old), Some(new)) if is_id(old) && !is_id(new) => Some(new),
            (old, new) => old.or(new),
        };
        info.cost = cost.or(info.cost);
        info.price = price.or(info.price);
        info.stock = stock.or(info.stock);
        Ok(true)
    }
}
