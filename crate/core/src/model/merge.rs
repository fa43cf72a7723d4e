//! Appending the tables of a later part of a file (read on its own, e.g. in another worker) to the
//! tables of the parts before it, so that the result equals reading the whole file in one pass.
//!
//! Ids are re-interned in the part's id order, which is the order of first appearance within the
//! part; names already known keep their ids, so the merged interners assign exactly the ids one pass
//! would. Rows are appended in file order. Only an order whose rows straddle the cut needs care:
//! its fields combine as [`Dataset::add_order`] would have combined the rows.

use super::{Dataset, Interner, OptId, PayState};
use crate::schema::value::parse_event_type;

/// How the rows of one file combine into orders (per file: see `ingest::rows::Mapper`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderMerge {
    /// Each row carries its own share of the order's paid amount (sub-order rows, or line values
    /// standing in for a missing paid column): an order's amounts add up across rows.
    pub paid_amount_adds_up: bool,
    /// Each row carries its own refund (sub-order rows): refunds add up across rows.
    pub refund_adds_up: bool,
}

/// Where a part's ids went in the merged tables.
pub struct IdMap {
    pub products: Vec<u32>,
    /// The merged index of the part's first line item.
    pub first_line: u32,
}

/// Re-interns every name of `part` into `into`; `ids[part_id]` is the merged id.
fn reintern(into: &mut Interner, part: &Interner) -> Vec<u32> {
    part.iter().map(|(_, name)| into.intern(name)).collect()
}

fn translate(ids: &[u32], id: Option<u32>) -> Option<u32> {
    id.map(|i| ids[i as usize])
}

/// [`translate`] for an [`OptId`] column.
fn translate_opt(ids: &[u32], id: OptId) -> OptId {
    translate(ids, id.get()).into()
}

impl Dataset {
    /// Append `part`, the tables of the next part of one file, whose rows come after every row
    /// already here. `source` is this dataset's index of that file in `sources` (the part's own
    /// source entries all name the same file). `rules` are that file's [`OrderMerge`].
    pub fn append_part(&mut self, part: Dataset, source: u16, rules: OrderMerge) -> IdMap {
        let Dataset {
            order_ids,
            customers,
            products,
            product_info,
            categories,
            brands,
            shops,
            channels,
            regions,
            campaigns,
            event_names,
            variants,
            orders,
            lines,
            events,
            traffic,
            ads,
            has_customers,
            currency,
            sources: _,
        } = part;
        let customer_ids = reintern(&mut self.customers, &customers);
        let category_ids = reintern(&mut self.categories, &categories);
        let brand_ids = reintern(&mut self.brands, &brands);
        let shop_ids = reintern(&mut self.shops, &shops);
        let channel_ids = reintern(&mut self.channels, &channels);
        let region_ids = reintern(&mut self.regions, &regions);
        let campaign_ids = reintern(&mut self.campaigns, &campaigns);
        // As one pass would: a name that no longer fits is kept under its meaning's code.
        let event_name_ids: Vec<u16> = event_names
            .iter()
            .map(|(_, name)| match self.intern_event_name(name) {
                Some(id) => id,
                None => self.overflow_event_name(parse_event_type(name)),
            })
            .collect();
        let product_ids: Vec<u32> = products
            .iter()
            .map(|(_, name)| self.intern_product(name))
            .collect();
        // Product attributes as one pass sets them: the first title and category seen; the last
        // cost, price and stock a product list gives.
        for (p, info) in product_info.into_iter().enumerate() {
            let Some(&merged) = product_ids.get(p) else {
                continue;
            };
            let to = &mut self.product_info[merged as usize];
            if to.title.is_none() {
                to.title = info.title;
            }
            if to.category.is_none() {
                to.category = translate(&category_ids, info.category);
            }
            to.cost = info.cost.or(to.cost);
            to.price = info.price.or(to.price);
            to.stock = info.stock.or(to.stock);
        }

        let mut order_map = Vec::with_capacity(orders.len());
        for (o, name) in order_ids.iter() {
            let o = o as usize;
            let customer = translate(&customer_ids, orders.customer[o]);
            let shop = translate(&shop_ids, orders.shop[o]);
            let channel = translate(&channel_ids, orders.channel[o]);
            let region = translate(&region_ids, orders.region[o]);
            let merged = self.order_ids.intern(name);
            order_map.push(merged);
            let os = &mut self.orders;
            if merged as usize == os.len() {
                os.customer.push(customer);
                os.created.push(orders.created[o]);
                os.paid_at.push(orders.paid_at[o]);
                os.time.push(orders.time[o]);
                os.state.push(orders.state[o]);
                os.paid_amount.push(orders.paid_amount[o]);
                os.refund.push(orders.refund[o]);
                os.source.push(source);
                os.shop.push(shop);
                os.channel.push(channel);
                os.region.push(region);
                continue;
            }
            // The order began before the cut: combine as `add_order` combines rows.
            let i = merged as usize;
            os.customer[i] = os.customer[i].or(customer);
            os.created[i] = os.created[i].or(orders.created[o]);
            os.paid_at[i] = os.paid_at[i].or(orders.paid_at[o]);
            if let Some(t) = os.paid_at[i].or(os.created[i]) {
                os.time[i] = t;
            }
            // Later rows only ever upgrade an order to paid.
            if orders.state[o] == PayState::Paid || os.paid_at[i].is_some() {
                os.state[i] = PayState::Paid;
            }
            if rules.paid_amount_adds_up {
                os.paid_amount[i] += orders.paid_amount[o];
            } else if os.paid_amount[i] == 0 {
                os.paid_amount[i] = orders.paid_amount[o];
            }
            if rules.refund_adds_up {
                os.refund[i] += orders.refund[o];
            } else if os.refund[i] == 0 {
                os.refund[i] = orders.refund[o];
            }
            os.shop[i] = os.shop[i].or(shop);
            os.channel[i] = os.channel[i].or(channel);
            os.region[i] = os.region[i].or(region);
        }

        let first_line = self.lines.len() as u32;
        let l = &mut self.lines;
        l.order
            .extend(lines.order.iter().map(|&o| order_map[o as usize]));
        l.product
            .extend(lines.product.iter().map(|&p| product_ids[p as usize]));
        l.quantity.extend(lines.quantity);
        l.unit_price.extend(lines.unit_price);
        l.amount.extend(lines.amount);
        l.refund.extend(lines.refund);

        // Experiment groups: the sparse column is padded to this side's events, then extended.
        if !events.variant.is_empty() {
            let variant_ids = reintern(&mut self.variants, &variants);
            let e = &mut self.events;
            e.variant.resize(e.len(), OptId::NONE);
            e.variant.extend(
                events
                    .variant
                    .iter()
                    .map(|&v| translate_opt(&variant_ids, v)),
            );
        }
        let e = &mut self.events;
        e.user
            .extend(events.user.iter().map(|&u| customer_ids[u as usize]));
        e.name
            .extend(events.name.iter().map(|&n| event_name_ids[n as usize]));
        e.time.extend(events.time);
        e.item
            .extend(events.item.iter().map(|&i| translate_opt(&product_ids, i)));
        e.category.extend(
            events
                .category
                .iter()
                .map(|&c| translate_opt(&category_ids, c)),
        );
        e.brand
            .extend(events.brand.iter().map(|&b| translate_opt(&brand_ids, b)));

        let t = &mut self.traffic;
        t.day.extend(traffic.day);
        t.product
            .extend(traffic.product.iter().map(|&p| translate(&product_ids, p)));
        t.visitors.extend(traffic.visitors);
        t.page_views.extend(traffic.page_views);
        t.fav_users.extend(traffic.fav_users);
        t.cart_users.extend(traffic.cart_users);
        t.buyers.extend(traffic.buyers);
        t.units.extend(traffic.units);
        t.paid_amount.extend(traffic.paid_amount);

        let a = &mut self.ads;
        a.day.extend(ads.day);
        a.campaign
            .extend(ads.campaign.iter().map(|&c| translate(&campaign_ids, c)));
        a.impressions.extend(ads.impressions);
        a.clicks.extend(ads.clicks);
        a.spend.extend(ads.spend);
        a.sales.extend(ads.sales);
        a.orders.extend(ads.orders);

        self.has_customers |= has_customers;
        if self.currency.is_none() {
            self.currency = currency;
        }
        IdMap {
            products: product_ids,
            first_line,
        }
    }
}
