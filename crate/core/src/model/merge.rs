//! Appending the tables of a later part of a file (read on its own, e.g. in another worker) to the
//! tables of the parts before it, so that the result equals reading the whole file in one pass.
//!
//! Ids are re-interned in the part's id order, which is the order of first appearance within the
//! part; names already known keep their ids, so the merged interners assign exactly the ids one pass
//! would. Rows are appended in file order. Only an order whose rows straddle the cut needs care:
//! its fields combine as [`Dataset::add_order`] would have combined the rows.

use super::{Dataset, IdCell, IdSpace, Interner, OptId, Order, Orders, PayState};
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

impl Orders {
    /// Combine `row`, a later row (or part) of order `i`, into the order: the one rule by which an
    /// order's rows combine, whether they come one by one (`Dataset::add_order`) or as parts of a
    /// file (`Dataset::append_part`).
    ///
    /// Gaps are filled (a field set stays); the time follows the payment, else creation time; a
    /// later row only ever upgrades the order to paid; amounts add up where `rules` say the file's
    /// rows each carry their own share, else the first non-zero amount stays. The source stays.
    ///
    /// Every column is named here (the destructuring has no `..`), so a column added to `Orders`
    /// does not compile until its rule is written.
    pub fn combine(&mut self, i: usize, row: &Order, rules: OrderMerge) {
        let Order {
            customer,
            created,
            paid_at,
            time: _, // follows the times below
            state,
            paid_amount,
            refund,
            source: _, // the file that created the order
            shop,
            channel,
            region,
        } = *row;
        fill(&mut self.customer[i], customer);
        self.created[i].fill(created);
        self.paid_at[i].fill(paid_at);
        if let Some(t) = self.paid_at[i].get().or(self.created[i].get()) {
            self.time[i] = t;
        }
        if state == PayState::Paid || !self.paid_at[i].is_none() {
            self.state[i] = PayState::Paid;
        }
        add_or_fill(
            &mut self.paid_amount[i],
            paid_amount,
            rules.paid_amount_adds_up,
        );
        add_or_fill(&mut self.refund[i], refund, rules.refund_adds_up);
        self.shop[i].fill(shop);
        self.channel[i].fill(channel);
        self.region[i].fill(region);
    }
}

/// A field already set stays; a gap takes the later row's value.
fn fill<T>(to: &mut Option<T>, later: Option<T>) {
    if to.is_none() {
        *to = later;
    }
}

/// An amount that adds up across rows adds; else the first non-zero one stays.
fn add_or_fill(to: &mut i64, later: i64, adds_up: bool) {
    if adds_up {
        *to += later;
    } else if *to == 0 {
        *to = later;
    }
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
        let event_name_ids: Vec<u32> = event_names
            .iter()
            .map(|(_, name)| match self.intern_event_name(name) {
                Some(id) => u32::from(id),
                None => u32::from(self.overflow_event_name(parse_event_type(name))),
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

        // Where an id of each space goes. The part's orders all come from the file being merged.
        let mut order_map = Vec::with_capacity(orders.len());
        let map = |order_map: &[u32], space: IdSpace, id: u32| -> u32 {
            let ids = match space {
                IdSpace::Orders => order_map,
                IdSpace::Customers => &customer_ids,
                IdSpace::Products => &product_ids,
                IdSpace::Categories => &category_ids,
                IdSpace::Brands => &brand_ids,
                IdSpace::Shops => &shop_ids,
                IdSpace::Channels => &channel_ids,
                IdSpace::Regions => &region_ids,
                IdSpace::Campaigns => &campaign_ids,
                IdSpace::EventNames => &event_name_ids,
                IdSpace::Sources => return u32::from(source),
            };
            ids[id as usize]
        };

        for (o, name) in order_ids.iter() {
            let row = orders
                .row(o as usize)
                .map_ids(|space, id| map(&[], space, id));
            let merged = self.order_ids.intern(name);
            order_map.push(merged);
            if merged as usize == self.orders.len() {
                self.orders.push(row);
            } else {
                // The order began before the cut: combine as rows combine.
                self.orders.combine(merged as usize, &row, rules);
            }
        }

        let first_line = self.lines.len() as u32;
        self.lines
            .append_mapped(lines, |space, id| map(&order_map, space, id));

        // Experiment groups: the sparse column is padded to this side's events, then extended.
        if !events.variant.is_empty() {
            let variant_ids = reintern(&mut self.variants, &variants);
            let e = &mut self.events;
            e.variant.resize(e.len(), OptId::NONE);
            e.variant.extend(
                events
                    .variant
                    .iter()
                    .map(|&v| v.map_id(|id| variant_ids[id as usize])),
            );
        }
        self.events
            .append_mapped(events, |space, id| map(&[], space, id));
        self.traffic
            .append_mapped(traffic, |space, id| map(&[], space, id));
        self.ads.append_mapped(ads, |space, id| map(&[], space, id));

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
