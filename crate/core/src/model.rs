//! Typed, columnar tables that ingest produces and every analysis reads.
//!
//! Units: money is `i64` **cents** (fen); times are `i64` wall-clock seconds and days are
//! [`Day`](crate::time::Day) numbers, both in the report's zone (see [`crate::time`]).
//! Text that repeats (order ids, customers, products, categories) is interned to dense `u32` ids,
//! so memory grows with rows and distinct entities, not with text size.
//!
//! Orders are indexed by their interned order id: `orders.*[o]` describes order `o`, whose text id
//! is `dataset.order_ids.name(o)`. Line items point at their order by that index.

use serde::{Deserialize, Serialize};

use crate::time::Day;

mod interner;
mod merge;
mod opt_id;
pub use interner::{Interner, Lookup};
pub use merge::{IdMap, OrderMerge};
pub use opt_id::OptId;

/// The platform an export comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Taobao,
    Jd,
    Pinduoduo,
    Douyin,
    Shopify,
    Woocommerce,
    Amazon,
    Tianchi,
    Rees46,
    Generic,
}

impl Platform {
    pub const ALL: [Platform; 10] = [
        Platform::Taobao,
        Platform::Jd,
        Platform::Pinduoduo,
        Platform::Douyin,
        Platform::Shopify,
        Platform::Woocommerce,
        Platform::Amazon,
        Platform::Tianchi,
        Platform::Rees46,
        Platform::Generic,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Platform::Taobao => "taobao",
            Platform::Jd => "jd",
            Platform::Pinduoduo => "pinduoduo",
            Platform::Douyin => "douyin",
            Platform::Shopify => "shopify",
            Platform::Woocommerce => "woocommerce",
            Platform::Amazon => "amazon",
            Platform::Tianchi => "tianchi",
            Platform::Rees46 => "rees46",
            Platform::Generic => "generic",
        }
    }
    /// Chinese platforms' epochs are read in UTC+08:00 (DEFINITIONS §1).
    pub fn is_chinese(self) -> bool {
        matches!(
            self,
            Platform::Taobao
                | Platform::Jd
                | Platform::Pinduoduo
                | Platform::Douyin
                | Platform::Tianchi
        )
    }
}

/// What one export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// One row per order.
    Orders,
    /// One row per line item (rows sharing an order id are one order).
    OrderLines,
    /// Product / SKU list (cost, stock, price).
    Products,
    /// Aggregated traffic rows (生意参谋: 访客数, 加购人数, 支付买家数 … per day or item).
    Traffic,
    /// Behaviour events (user, type, time, item).
    Events,
    /// Advertising report rows (impressions, clicks, spend, attributed sales).
    Ads,
}

/// Payment state of an order per DEFINITIONS §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayState {
    /// Paid (refunds after payment do not undo this).
    Paid,
    /// Created but never paid (等待买家付款, pending, authorized …).
    Unpaid,
    /// Cancelled or closed before payment, voided, test orders.
    Cancelled,
}

/// Orders indexed by interned order id (`Dataset::order_ids`). All columns have equal length.
#[derive(Default, Clone, Debug)]
pub struct Orders {
    /// Interned customer id (buyer account, email, user id); `None` when the export has none.
    pub customer: Vec<Option<u32>>,
    pub created: Vec<Option<i64>>,
    pub paid_at: Vec<Option<i64>>,
    /// Order time: payment time where present, else creation time (wall-clock seconds).
    /// 0 for an unpaid or cancelled order whose export gives no time at all (it is in no period).
    pub time: Vec<i64>,
    pub state: Vec<PayState>,
    /// Amount the buyer paid, cents (买家实际支付金额 / Total / paid_amount), before refunds.
    pub paid_amount: Vec<i64>,
    /// Refund amount, cents (0 when none).
    pub refund: Vec<i64>,
    /// Index into `Dataset::sources` of the file that created the order.
    pub source: Vec<u16>,
    /// Interned shop name (`Dataset::shops`), where the export names one.
    pub shop: Vec<Option<u32>>,
    /// Interned channel / traffic source (`Dataset::channels`: 订单来源, Source, utm_source …).
    pub channel: Vec<Option<u32>>,
    /// Interned region (`Dataset::regions`): the province (收货地址's first word, Billing Province),
    /// else the country; see `schema::value::region_of`.
    pub region: Vec<Option<u32>>,
}

impl Orders {
    pub fn len(&self) -> usize {
        self.time.len()
    }
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }
    pub fn is_paid(&self, o: usize) -> bool {
        self.state[o] == PayState::Paid
    }
    /// Room for `n` more orders in every column.
    pub fn reserve_exact(&mut self, n: usize) {
        self.customer.reserve_exact(n);
        self.created.reserve_exact(n);
        self.paid_at.reserve_exact(n);
        self.time.reserve_exact(n);
        self.state.reserve_exact(n);
        self.paid_amount.reserve_exact(n);
        self.refund.reserve_exact(n);
        self.source.reserve_exact(n);
        self.shop.reserve_exact(n);
        self.channel.reserve_exact(n);
        self.region.reserve_exact(n);
    }
}

/// Line items. `order[i]` indexes [`Orders`].
#[derive(Default, Clone, Debug)]
pub struct Lines {
    pub order: Vec<u32>,
    /// Interned product key (`Dataset::products`): SKU / 商家编码 / product id, else the title.
    pub product: Vec<u32>,
    pub quantity: Vec<i64>,
    /// Unit price, cents.
    pub unit_price: Vec<Option<i64>>,
    /// Line amount as exported, cents (else `None`; value = quantity × unit price).
    pub amount: Vec<Option<i64>>,
    /// The line's own refund, cents, where the export gives one.
    pub refund: Vec<Option<i64>>,
}

impl Lines {
    pub fn len(&self) -> usize {
        self.order.len()
    }
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
    /// Room for `n` more lines in every column.
    pub fn reserve_exact(&mut self, n: usize) {
        self.order.reserve_exact(n);
        self.product.reserve_exact(n);
        self.quantity.reserve_exact(n);
        self.unit_price.reserve_exact(n);
        self.amount.reserve_exact(n);
        self.refund.reserve_exact(n);
    }
    /// Line value for revenue allocation (DEFINITIONS §6): line amount, else quantity × unit price
    /// (saturating, so absurd quantities cannot overflow).
    pub fn value(&self, i: usize) -> Option<i64> {
        self.amount[i].or_else(|| self.unit_price[i].map(|p| p.saturating_mul(self.quantity[i])))
    }
}

/// Per-product attributes, indexed by interned product key (`Dataset::products`).
#[derive(Default, Clone, Debug, Serialize)]
pub struct ProductInfo {
    pub title: Option<String>,
    /// Interned category (`Dataset::categories`).
    pub category: Option<u32>,
    /// Unit cost, cents (成本价 / Cost per item).
    pub cost: Option<i64>,
    /// List price, cents.
    pub price: Option<i64>,
    /// Units in stock.
    pub stock: Option<i64>,
}

/// The canonical meanings of behaviour events (DEFINITIONS §5): the steps a default funnel is
/// made of. Event names are whatever the log uses; [`EventClass`] says which of these a name means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    View,
    Fav,
    Cart,
    RemoveFromCart,
    Purchase,
    Checkout,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::View,
        EventType::Fav,
        EventType::Cart,
        EventType::RemoveFromCart,
        EventType::Checkout,
        EventType::Purchase,
    ];
    /// Stable snake_case code, as serialised (`view`, `fav`, `cart`, `remove_from_cart`,
    /// `checkout`, `purchase`).
    pub fn code(self) -> &'static str {
        match self {
            EventType::View => "view",
            EventType::Fav => "fav",
            EventType::Cart => "cart",
            EventType::RemoveFromCart => "remove_from_cart",
            EventType::Checkout => "checkout",
            EventType::Purchase => "purchase",
        }
    }
}

/// What an event name means, before the whole log is seen: product views and generic page views
/// are told apart because a page view is the view step only in a log without product views
/// (DEFINITIONS §5). See `schema::value::event_class`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventClass {
    /// product_view, view_item, Product Viewed, detail, pv, view …
    ProductView,
    /// page_view, Page Viewed, pageview, screen_view.
    PageView,
    Fav,
    Cart,
    RemoveFromCart,
    Checkout,
    Purchase,
    /// Any other name (home, search, login …): kept, listed, usable in custom funnels.
    Other,
}

impl EventClass {
    /// The canonical meaning of a name of this class in a log that does (`product_views`) or does
    /// not have product-view events; `None` for other names.
    pub fn meaning(self, product_views: bool) -> Option<EventType> {
        match self {
            EventClass::ProductView => Some(EventType::View),
            EventClass::PageView => (!product_views).then_some(EventType::View),
            EventClass::Fav => Some(EventType::Fav),
            EventClass::Cart => Some(EventType::Cart),
            EventClass::RemoveFromCart => Some(EventType::RemoveFromCart),
            EventClass::Checkout => Some(EventType::Checkout),
            EventClass::Purchase => Some(EventType::Purchase),
            EventClass::Other => None,
        }
    }
}

/// Distinct event names a dataset keeps apart (ids are `u16`). Names beyond are kept under their
/// canonical code or [`OVERFLOW_EVENT_NAME`]: a log with that many names holds ids in the wrong
/// column, not a vocabulary, and its interner must not grow with every row.
pub const MAX_EVENT_NAMES: usize = u16::MAX as usize;

/// The name under which events past [`MAX_EVENT_NAMES`] distinct names are kept.
pub const OVERFLOW_EVENT_NAME: &str = "(other event names)";

/// Behaviour events, one entry per event, in file order.
///
/// 26 bytes an event: behaviour logs run to tens of millions of rows, so the optional ids are
/// [`OptId`]s (4 bytes) rather than `Option<u32>` (8), and the event name is a `u16` id into
/// `Dataset::event_names` (its meaning is looked up per name, never stored per event).
#[derive(Default, Clone, Debug)]
pub struct Events {
    /// Interned user id (`Dataset::customers`).
    pub user: Vec<u32>,
    /// Interned event name (`Dataset::event_names`).
    pub name: Vec<u16>,
    /// Wall-clock seconds.
    pub time: Vec<i64>,
    /// Interned item (`Dataset::products`).
    pub item: Vec<OptId>,
    /// Interned category (`Dataset::categories`).
    pub category: Vec<OptId>,
    /// Interned brand (`Dataset::brands`).
    pub brand: Vec<OptId>,
    /// Interned experiment group (`Dataset::variants`), from a log's variant column (A/B,
    /// DEFINITIONS §9). Sparse: never longer than the other columns and empty while no log has a
    /// variant column (a plain log costs nothing); an event past its end has no group. Read it
    /// with [`Events::variant_of`].
    pub variant: Vec<OptId>,
}

impl Events {
    pub fn len(&self) -> usize {
        self.time.len()
    }
    /// The experiment group of event `i`, if its log gave one.
    pub fn variant_of(&self, i: usize) -> Option<u32> {
        self.variant.get(i).and_then(|v| v.get())
    }
    /// Whether any event carries an experiment group.
    pub fn has_variants(&self) -> bool {
        self.variant.iter().any(|v| v.get().is_some())
    }
    /// Room for `n` more events in every column.
    pub fn reserve_exact(&mut self, n: usize) {
        self.user.reserve_exact(n);
        self.name.reserve_exact(n);
        self.time.reserve_exact(n);
        self.item.reserve_exact(n);
        self.category.reserve_exact(n);
        self.brand.reserve_exact(n);
    }
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }
}

/// Aggregated traffic rows (生意参谋 店铺/商品 exports, Amazon Business Report).
/// Counts are per row (a day, or a day × item); `None` where the export lacks the column.
#[derive(Default, Clone, Debug)]
pub struct Traffic {
    pub day: Vec<Option<Day>>,
    pub product: Vec<Option<u32>>,
    pub visitors: Vec<Option<i64>>,
    pub page_views: Vec<Option<i64>>,
    pub fav_users: Vec<Option<i64>>,
    pub cart_users: Vec<Option<i64>>,
    pub buyers: Vec<Option<i64>>,
    pub units: Vec<Option<i64>>,
    /// 支付金额, cents.
    pub paid_amount: Vec<Option<i64>>,
}

impl Traffic {
    pub fn len(&self) -> usize {
        self.day.len()
    }
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }
}

/// Advertising report rows.
#[derive(Default, Clone, Debug)]
pub struct Ads {
    pub day: Vec<Option<Day>>,
    /// Interned campaign (`Dataset::campaigns`).
    pub campaign: Vec<Option<u32>>,
    pub impressions: Vec<Option<i64>>,
    pub clicks: Vec<Option<i64>>,
    /// Spend, cents.
    pub spend: Vec<Option<i64>>,
    /// Attributed sales, cents.
    pub sales: Vec<Option<i64>>,
    pub orders: Vec<Option<i64>>,
}

impl Ads {
    pub fn len(&self) -> usize {
        self.day.len()
    }
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }
}

/// One loaded file, as the analyses need to know it.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub file: String,
    pub platform: Platform,
    pub kind: DatasetKind,
}

/// Everything loaded, merged across files.
#[derive(Default, Clone, Debug)]
pub struct Dataset {
    pub sources: Vec<Source>,
    pub order_ids: Interner,
    pub customers: Interner,
    pub products: Interner,
    pub product_info: Vec<ProductInfo>,
    pub categories: Interner,
    pub brands: Interner,
    pub shops: Interner,
    /// Channels / traffic sources of orders (`Orders::channel`).
    pub channels: Interner,
    /// Regions of orders (`Orders::region`).
    pub regions: Interner,
    pub campaigns: Interner,
    /// Behaviour event names as the logs write them (`Events::name`), at most [`MAX_EVENT_NAMES`].
    pub event_names: Interner,
    /// Experiment groups of behaviour events (`Events::variant`): the variant as the log writes
    /// it, or `experiment / variant` where the log names the experiment too.
    pub variants: Interner,
    pub orders: Orders,
    pub lines: Lines,
    pub events: Events,
    pub traffic: Traffic,
    pub ads: Ads,
    /// Whether any order carries a customer id (cohort/RFM need it).
    pub has_customers: bool,
    /// The one currency of the loaded money, decided per file once every file is loaded
    /// (`crate::currency::detect::dataset_currency`); `None` when not stated or several (the report
    /// then runs on one currency's subset, whose `currency` is set).
    pub currency: Option<String>,
}

impl Dataset {
    /// Intern a product key and make sure it has a [`ProductInfo`] slot.
    pub fn intern_product(&mut self, key: &str) -> u32 {
        let id = self.products.intern(key);
        if self.product_info.len() <= id as usize {
            self.product_info
                .resize(id as usize + 1, ProductInfo::default());
        }
        id
    }

    /// ISO code of the figures' currency (`crate::currency`); `""` when not stated: amounts are then
    /// written without a symbol, never with a guessed one.
    pub fn currency_code(&self) -> String {
        self.currency.clone().unwrap_or_default()
    }

    /// Reserve the tables for `rows` more rows of an export of `kind`, `rows_so_far` of which
    /// made the tables as they are (so line items and orders are reserved in the proportion seen).
    /// Exact reservations: the caller estimates from the file's size (`FileOptions::size_bytes`).
    pub fn reserve_rows(&mut self, kind: DatasetKind, rows: usize, rows_so_far: usize) {
        let per_row = |len: usize, cap: usize| {
            let ratio = len as f64 / rows_so_far.max(1) as f64;
            (rows as f64 * ratio.min(cap as f64)) as usize
        };
        match kind {
            DatasetKind::Events => self.events.reserve_exact(rows),
            DatasetKind::Orders | DatasetKind::OrderLines => {
                let lines = per_row(self.lines.len(), 8);
                self.lines.reserve_exact(lines);
                let orders = per_row(self.orders.len(), 1);
                self.orders.reserve_exact(orders);
            }
            DatasetKind::Products | DatasetKind::Traffic | DatasetKind::Ads => {}
        }
    }

    /// Display name of a product: its title where known, else its key.
    pub fn product_label(&self, p: u32) -> &str {
        self.product_info
            .get(p as usize)
            .and_then(|i| i.title.as_deref())
            .unwrap_or_else(|| self.products.name(p))
    }

    /// Each order's line indices (in file order), built with two passes over `lines.order`.
    pub fn lines_by_order(&self) -> Groups {
        Groups::build(self.orders.len(), &self.lines.order)
    }
}

/// A compact one-to-many index (CSR): the members of group `g` are `members[start[g]..start[g + 1]]`.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    start: Vec<u32>,
    members: Vec<u32>,
}

impl Groups {
    /// Groups `0..groups` from `group_of[i]` = the group of member `i`; members stay in order.
    pub fn build(groups: usize, group_of: &[u32]) -> Groups {
        let mut start = vec![0u32; groups + 1];
        for &g in group_of {
            start[g as usize + 1] += 1;
        }
        for g in 0..groups {
            start[g + 1] += start[g];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; group_of.len()];
        for (i, &g) in group_of.iter().enumerate() {
            members[fill[g as usize] as usize] = i as u32;
            fill[g as usize] += 1;
        }
        Groups { start, members }
    }
    pub fn get(&self, g: usize) -> &[u32] {
        &self.members[self.start[g] as usize..self.start[g + 1] as usize]
    }
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One order as a file row describes it. `None` fields are "not given by this row": when the order
/// already exists (line-item exports repeat or omit order-level fields), given fields fill only the
/// gaps, so order-level amounts repeated on every line are counted once.
#[derive(Clone, Debug, Default)]
pub struct OrderRow<'a> {
    pub id: &'a str,
    pub customer: Option<&'a str>,
    pub created: Option<i64>,
    pub paid_at: Option<i64>,
    pub state: Option<PayState>,
    pub paid_amount: Option<i64>,
    pub refund: Option<i64>,
    pub source: u16,
    pub shop: Option<&'a str>,
    /// Channel / traffic source, as the export writes it.
    pub channel: Option<&'a str>,
    /// Region, already reduced to the province or country (`schema::value::region_of`).
    pub region: Option<&'a str>,
}

/// One line item as a file row describes it.
#[derive(Clone, Debug, Default)]
pub struct LineRow<'a> {
    /// Product key: SKU / 商家编码 / product id, else the title (DEFINITIONS §6).
    pub product_key: &'a str,
    pub title: Option<&'a str>,
    pub category: Option<&'a str>,
    pub quantity: i64,
    pub unit_price: Option<i64>,
    pub amount: Option<i64>,
    pub refund: Option<i64>,
}

impl Dataset {
    /// Add an order or fill the gaps of an existing one; returns the order index.
    /// The caller guarantees a new order has a created or paid time.
    pub fn add_order(&mut self, r: &OrderRow) -> u32 {
        let found = self.order_ids.lookup(r.id);
        self.add_order_looked_up(r, found)
    }

    /// [`Dataset::add_order`] with the order id already looked up in `order_ids` (see
    /// [`Lookup`]): a row that asked whether its order exists hashes it once.
    pub fn add_order_looked_up(&mut self, r: &OrderRow, found: Lookup) -> u32 {
        let o = self.order_ids.intern_looked_up(r.id, found);
        let customer = r.customer.map(|c| self.customers.intern(c));
        let shop = r.shop.map(|s| self.shops.intern(s));
        let channel = r.channel.map(|s| self.channels.intern(s));
        let region = r.region.map(|s| self.regions.intern(s));
        self.has_customers |= customer.is_some();
        let os = &mut self.orders;
        if o as usize == os.len() {
            os.customer.push(customer);
            os.created.push(r.created);
            os.paid_at.push(r.paid_at);
            os.time.push(r.paid_at.or(r.created).unwrap_or(0));
            os.state.push(r.state.unwrap_or(PayState::Paid));
            os.paid_amount.push(r.paid_amount.unwrap_or(0));
            os.refund.push(r.refund.unwrap_or(0));
            os.source.push(r.source);
            os.shop.push(shop);
            os.channel.push(channel);
            os.region.push(region);
            return o;
        }
        let i = o as usize;
        if os.customer[i].is_none() {
            os.customer[i] = customer;
        }
        if os.created[i].is_none() {
            os.created[i] = r.created;
        }
        if os.paid_at[i].is_none() {
            os.paid_at[i] = r.paid_at;
        }
        if let Some(t) = os.paid_at[i].or(os.created[i]) {
            os.time[i] = t;
        }
        // A later row may only upgrade the state to paid (e.g. a payment time on another row).
        if r.state == Some(PayState::Paid) || os.paid_at[i].is_some() {
            os.state[i] = PayState::Paid;
        }
        if os.paid_amount[i] == 0 {
            os.paid_amount[i] = r.paid_amount.unwrap_or(0);
        }
        if os.refund[i] == 0 {
            os.refund[i] = r.refund.unwrap_or(0);
        }
        if os.shop[i].is_none() {
            os.shop[i] = shop;
        }
        if os.channel[i].is_none() {
            os.channel[i] = channel;
        }
        if os.region[i].is_none() {
            os.region[i] = region;
        }
        o
    }

    /// Add a line item to order `order`.
    pub fn add_line(&mut self, order: u32, r: &LineRow) -> u32 {
        let p = self.intern_product(r.product_key);
        if let Some(t) = r.title {
            self.product_info[p as usize]
                .title
                .get_or_insert_with(|| t.to_string());
        }
        if let Some(c) = r.category {
            let c = self.categories.intern(c);
            self.product_info[p as usize].category.get_or_insert(c);
        }
        let l = &mut self.lines;
        l.order.push(order);
        l.product.push(p);
        l.quantity.push(r.quantity);
        l.unit_price.push(r.unit_price);
        l.amount.push(r.amount);
        l.refund.push(r.refund);
        (l.order.len() - 1) as u32
    }

    /// Add a behaviour event of a canonical type, named by its code (`view`, `cart` …).
    pub fn add_event(
        &mut self,
        user: &str,
        kind: EventType,
        time: i64,
        item: Option<&str>,
        category: Option<&str>,
        brand: Option<&str>,
    ) {
        self.add_named_event(user, kind.code(), time, item, category, brand);
    }

    /// Add a behaviour event named as the log names it.
    pub fn add_named_event(
        &mut self,
        user: &str,
        name: &str,
        time: i64,
        item: Option<&str>,
        category: Option<&str>,
        brand: Option<&str>,
    ) {
        let user = self.customers.intern(user);
        let name = match self.intern_event_name(name) {
            Some(id) => id,
            None => self.overflow_event_name(None),
        };
        let item = item.map(|i| self.intern_product(i));
        let category = category.map(|c| self.categories.intern(c));
        let brand = brand.map(|b| self.brands.intern(b));
        if let (Some(i), Some(c)) = (item, category) {
            self.product_info[i as usize].category.get_or_insert(c);
        }
        self.push_event(user, name, time, item, category, brand);
    }

    /// The id of an event name, interning it; `None` when it is new and the dataset already keeps
    /// as many names apart as it can (room for [`Dataset::overflow_event_name`]'s names is kept).
    pub fn intern_event_name(&mut self, name: &str) -> Option<u16> {
        // `intern` checks the last name first (a log repeats names row after row); `get` cannot
        // remember it, so it is only used once the table is full (profiled: `get` then `intern`
        // cost ~5 % more instructions per Tianchi row than `intern` alone).
        let room = self.event_names.len() + EventType::ALL.len() + 1 < MAX_EVENT_NAMES;
        let id = if room {
            Some(self.event_names.intern(name))
        } else {
            self.event_names.get(name)
        };
        id.and_then(|id| u16::try_from(id).ok())
    }

    /// The id under which an event whose name did not fit is kept: its canonical meaning's code
    /// (so the default funnel still counts it), else [`OVERFLOW_EVENT_NAME`].
    pub fn overflow_event_name(&mut self, meaning: Option<EventType>) -> u16 {
        let name = meaning.map_or(OVERFLOW_EVENT_NAME, EventType::code);
        // `intern_event_name` keeps room for these 7 names below `u16::MAX`.
        u16::try_from(self.event_names.intern(name)).unwrap_or(u16::MAX - 1)
    }

    /// Put event `event` (already pushed) in the experiment group `label`.
    pub fn set_event_variant(&mut self, event: usize, label: &str) {
        let id = self.variants.intern(label);
        let v = &mut self.events.variant;
        if v.len() <= event {
            v.resize(event + 1, OptId::NONE);
        }
        v[event] = Some(id).into();
    }

    /// Add a behaviour event whose ids are interned already. Unlike [`Dataset::add_event`] it
    /// leaves `product_info` alone: ingest fills each product's first-seen category itself,
    /// touching a product once rather than once per event (a cache miss per event on 10M-event
    /// logs with a million items).
    pub fn push_event(
        &mut self,
        user: u32,
        name: u16,
        time: i64,
        item: Option<u32>,
        category: Option<u32>,
        brand: Option<u32>,
    ) {
        let e = &mut self.events;
        e.user.push(user);
        e.name.push(name);
        e.time.push(time);
        e.item.push(item.into());
        e.category.push(category.into());
        e.brand.push(brand.into());
    }
}
