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

#[macro_use]
mod table;
pub(crate) mod cells;
mod interner;
mod merge;
mod opt_i64;
mod opt_id;
mod packed_option;
pub use cells::{IdCell, IdSpace};
pub use interner::{Interner, Lookup};
pub use merge::{IdMap, OrderMerge};
pub use opt_i64::OptI64;
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

table! {
    /// Orders indexed by interned order id (`Dataset::order_ids`). All columns have equal length.
    #[derive(Default, Clone, Debug)]
    pub struct Orders, row Order, len time {
        /// Interned customer id (buyer account, email, user id); `None` when the export has none.
        pub customer: Option<u32> => Customers,
        /// Creation and payment times, wall-clock seconds ([`OptI64`]: 8 bytes where
        /// `Option<i64>` takes 16).
        pub created: OptI64,
        pub paid_at: OptI64,
        /// Order time: payment time where present, else creation time (wall-clock seconds).
        /// 0 for an unpaid or cancelled order whose export gives no time at all (it is in no period).
        pub time: i64,
        pub state: PayState,
        /// Amount the buyer paid, cents (买家实际支付金额 / Total / paid_amount), before refunds.
        pub paid_amount: i64,
        /// Refund amount, cents (0 when none).
        pub refund: i64,
        /// Index into `Dataset::sources` of the file that created the order.
        pub source: u16 => Sources,
        /// Interned shop name (`Dataset::shops`), where the export names one.
        pub shop: OptId => Shops,
        /// Interned channel / traffic source (`Dataset::channels`: 订单来源, Source, utm_source …).
        pub channel: OptId => Channels,
        /// Interned region (`Dataset::regions`): the province (收货地址's first word, Billing Province),
        /// else the country; see `schema::value::region_of`.
        pub region: OptId => Regions,
    }
}

impl Orders {
    pub fn is_paid(&self, o: usize) -> bool {
        self.state[o] == PayState::Paid
    }
}

table! {
    /// Line items. `order[i]` indexes [`Orders`].
    #[derive(Default, Clone, Debug)]
    pub struct Lines, row Line, len order {
        pub order: u32 => Orders,
        /// Interned product key (`Dataset::products`): SKU / 商家编码 / product id, else the title.
        pub product: u32 => Products,
        pub quantity: i64,
        /// Unit price, cents. The money columns are [`OptI64`]s (8 bytes, `Option<i64>` takes 16).
        pub unit_price: OptI64,
        /// Line amount as exported, cents (else none; value = quantity × unit price).
        pub amount: OptI64,
        /// The line's own refund, cents, where the export gives one.
        pub refund: OptI64,
    }
}

impl Lines {
    /// Line value for revenue allocation (DEFINITIONS §6): line amount, else quantity × unit price
    /// (saturating, so absurd quantities cannot overflow).
    pub fn value(&self, i: usize) -> Option<i64> {
        self.amount[i].get().or_else(|| {
            self.unit_price[i]
                .get()
                .map(|p| p.saturating_mul(self.quantity[i]))
        })
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

table! {
    /// Behaviour events, one entry per event, in file order.
    ///
    /// 26 bytes an event: behaviour logs run to tens of millions of rows, so the optional ids are
    /// [`OptId`]s (4 bytes) rather than `Option<u32>` (8), and the event name is a `u16` id into
    /// `Dataset::event_names` (its meaning is looked up per name, never stored per event).
    #[derive(Default, Clone, Debug)]
    pub struct Events, row Event, len time {
        /// Interned user id (`Dataset::customers`).
        pub user: u32 => Customers,
        /// Interned event name (`Dataset::event_names`).
        pub name: u16 => EventNames,
        /// Wall-clock seconds.
        pub time: i64,
        /// Interned item (`Dataset::products`).
        pub item: OptId => Products,
        /// Interned category (`Dataset::categories`).
        pub category: OptId => Categories,
        /// Interned brand (`Dataset::brands`).
        pub brand: OptId => Brands,
    }
    extra {
        /// Interned experiment group (`Dataset::variants`), from a log's variant column (A/B,
        /// DEFINITIONS §9). Sparse: never longer than the other columns and empty while no log has a
        /// variant column (a plain log costs nothing); an event past its end has no group. Read it
        /// with [`Events::variant_of`]. Not a column of [`Event`]: merging, copying and the part
        /// codec handle it on their own.
        pub variant: Vec<OptId>,
    }
}

impl Events {
    /// The experiment group of event `i`, if its log gave one.
    pub fn variant_of(&self, i: usize) -> Option<u32> {
        self.variant.get(i).and_then(|v| v.get())
    }
    /// Whether any event carries an experiment group.
    pub fn has_variants(&self) -> bool {
        self.variant.iter().any(|v| v.get().is_some())
    }
}

table! {
    /// Aggregated traffic rows (生意参谋 店铺/商品 exports, Amazon Business Report).
    /// Counts are per row (a day, or a day × item); `None` where the export lacks the column.
    #[derive(Default, Clone, Debug)]
    pub struct Traffic, row TrafficRow, len day {
        pub day: Option<Day>,
        pub product: Option<u32> => Products,
        pub visitors: Option<i64>,
        pub page_views: Option<i64>,
        pub fav_users: Option<i64>,
        pub cart_users: Option<i64>,
        pub buyers: Option<i64>,
        pub units: Option<i64>,
        /// 支付金额, cents.
        pub paid_amount: Option<i64>,
    }
}

table! {
    /// Advertising report rows.
    #[derive(Default, Clone, Debug)]
    pub struct Ads, row AdRow, len day {
        pub day: Option<Day>,
        /// Interned campaign (`Dataset::campaigns`).
        pub campaign: Option<u32> => Campaigns,
        pub impressions: Option<i64>,
        pub clicks: Option<i64>,
        /// Spend, cents.
        pub spend: Option<i64>,
        /// Attributed sales, cents.
        pub sales: Option<i64>,
        pub orders: Option<i64>,
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
        self.has_customers |= customer.is_some();
        let mut order = Order {
            customer,
            created: r.created.into(),
            paid_at: r.paid_at.into(),
            time: r.paid_at.or(r.created).unwrap_or(0),
            state: r.state.unwrap_or(PayState::Paid),
            paid_amount: r.paid_amount.unwrap_or(0),
            refund: r.refund.unwrap_or(0),
            source: r.source,
            shop: r.shop.map(|s| self.shops.intern(s)).into(),
            channel: r.channel.map(|s| self.channels.intern(s)).into(),
            region: r.region.map(|s| self.regions.intern(s)).into(),
        };
        if o as usize == self.orders.len() {
            self.orders.push(order);
        } else {
            // A row that states no payment state leaves the order's as it is.
            order.state = r.state.unwrap_or(self.orders.state[o as usize]);
            self.orders
                .combine(o as usize, &order, OrderMerge::default());
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
        self.lines.push(Line {
            order,
            product: p,
            quantity: r.quantity,
            unit_price: r.unit_price.into(),
            amount: r.amount.into(),
            refund: r.refund.into(),
        });
        (self.lines.len() - 1) as u32
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
        self.events.push(Event {
            user,
            name,
            time,
            item: item.into(),
            category: category.into(),
            brand: brand.into(),
        });
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
}
