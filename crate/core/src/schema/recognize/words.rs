//! Roles from the words of a header, for headers the synonym table does not list.
//!
//! A header is split into words (`order_time`, `orderTime`, `Order Time`, `付款时间(北京时间)`), each
//! word stands for one or more *concepts* (a time, a payment, an id, an order …), and a small set of
//! rules turns the concepts present into candidate roles with a score below an exact synonym's 1.0:
//! `order_time`, `purchase_ts`, `created`, `event_timestamp` are times; `product_title`, `Item Title`
//! are titles; `customer_id`, `buyer` are buyers; `shipping_cost`, `运费` are no amount of the order.
//! The decision between candidates is made over the whole header (see [`super::decide`]).

use crate::schema::field::Field;

/// What a word of a header may stand for. A bit set: one word can mean several (`paid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Concepts(u64);

macro_rules! concepts {
    ($($name:ident = $bit:expr),* $(,)?) => {
        impl Concepts { $(pub const $name: Concepts = Concepts(1 << $bit);)* }
        /// Concept names, for the evidence shown to the user.
        const CONCEPT_NAMES: &[(Concepts, &str)] = &[$((Concepts::$name, stringify!($name))),*];
    };
}

concepts! {
    TIME = 0, PAID = 1, CREATED = 2, EVENT = 3, OTHER_TIME = 4, ID = 5, ORDER = 6, LINE = 7,
    CUSTOMER = 8, USER = 9, ANON = 10, PRODUCT = 11, SKU = 12, TITLE = 13, QTY = 14, MONEY = 15,
    PRICE = 16, UNIT = 17, REFUND = 18, COST = 19, NOT_ORDER_MONEY = 20, STATUS = 21,
    OTHER_STATUS = 22, CATEGORY = 23, BRAND = 24, SHOP = 25, CURRENCY = 26, STOCK = 27,
    VISITORS = 28, PAGE_VIEWS = 29, IMPRESSIONS = 30, CLICKS = 31, SPEND = 32, CAMPAIGN = 33,
    EMAIL = 34, NAME = 35, SESSION = 36, TOTAL = 37, TYPE = 38, DATE = 39, SALES = 40,
    VARIANT = 41, OPTION = 42, COUNT = 43, RATE = 44, ADDRESS = 45, NOTE = 46, AFTER = 47,
    SELLER = 48, CODE = 49, COUNTERPARTY = 50, ONLINE = 51, UNIQUE = 52, BUYERS = 53,
    PURCHASED = 54, AD_ORDERS = 55, EXCL = 56, PER = 57,
}

impl Concepts {
    pub fn has(self, c: Concepts) -> bool {
        self.0 & c.0 != 0
    }
    const fn with(self, c: Concepts) -> Concepts {
        Concepts(self.0 | c.0)
    }
    /// The names of the concepts present, lower-case, for evidence.
    pub fn names(self) -> Vec<String> {
        CONCEPT_NAMES
            .iter()
            .filter(|(c, _)| self.has(*c))
            .map(|(_, n)| n.to_ascii_lowercase().replace('_', " "))
            .collect()
    }
}

impl std::ops::BitOr for Concepts {
    type Output = Concepts;
    fn bitor(self, rhs: Concepts) -> Concepts {
        self.with(rhs)
    }
}

/// English (and pinyin-free ASCII) words, compared lower-case and whole.
const WORDS: &[(&str, Concepts)] = &[
    ("time", Concepts::TIME),
    ("times", Concepts::TIME),
    ("timestamp", Concepts::TIME),
    ("ts", Concepts::TIME),
    ("datetime", Concepts::TIME),
    ("date", Concepts::TIME.with(Concepts::DATE)),
    ("dt", Concepts::TIME),
    ("day", Concepts::TIME.with(Concepts::DATE)),
    ("when", Concepts::TIME),
    ("at", Concepts::TIME),
    ("on", Concepts::TIME),
    ("utc", Concepts::TIME),
    ("gmt", Concepts::TIME),
    ("created", Concepts::CREATED.with(Concepts::TIME)),
    ("create", Concepts::CREATED),
    ("creation", Concepts::CREATED),
    ("placed", Concepts::CREATED.with(Concepts::TIME)),
    ("submitted", Concepts::CREATED.with(Concepts::TIME)),
    ("paid", Concepts::PAID),
    ("payment", Concepts::PAID),
    ("pay", Concepts::PAID),
    ("charged", Concepts::PAID),
    ("captured", Concepts::PAID),
    ("event", Concepts::EVENT),
    ("events", Concepts::EVENT),
    ("action", Concepts::EVENT),
    ("behavior", Concepts::EVENT),
    ("behaviour", Concepts::EVENT),
    ("activity", Concepts::EVENT),
    ("interaction", Concepts::EVENT),
    ("hit", Concepts::EVENT),
    ("shipped", Concepts::OTHER_TIME),
    ("ship", Concepts::OTHER_TIME),
    (
        "shipping",
        Concepts::OTHER_TIME.with(Concepts::NOT_ORDER_MONEY),
    ),
    ("shipment", Concepts::OTHER_TIME),
    (
        "delivery",
        Concepts::OTHER_TIME.with(Concepts::NOT_ORDER_MONEY),
    ),
    ("delivered", Concepts::OTHER_TIME),
    (
        "fulfillment",
        Concepts::OTHER_TIME.with(Concepts::OTHER_STATUS),
    ),
    (
        "fulfilment",
        Concepts::OTHER_TIME.with(Concepts::OTHER_STATUS),
    ),
    ("fulfilled", Concepts::OTHER_TIME),
    ("updated", Concepts::OTHER_TIME),
    ("modified", Concepts::OTHER_TIME),
    ("update", Concepts::OTHER_TIME),
    ("cancelled", Concepts::OTHER_TIME),
    ("canceled", Concepts::OTHER_TIME),
    ("closed", Concepts::OTHER_TIME),
    ("completed", Concepts::OTHER_TIME),
    ("refunded", Concepts::REFUND.with(Concepts::OTHER_TIME)),
    ("returned", Concepts::OTHER_TIME),
    ("expires", Concepts::OTHER_TIME),
    ("expiry", Concepts::OTHER_TIME),
    ("birth", Concepts::OTHER_TIME),
    ("birthday", Concepts::OTHER_TIME),
    ("start", Concepts::OTHER_TIME),
    ("end", Concepts::OTHER_TIME),
    ("last", Concepts::OTHER_TIME),
    ("first", Concepts::OTHER_TIME),
    ("estimated", Concepts::OTHER_TIME),
    ("id", Concepts::ID),
    ("ids", Concepts::ID),
    ("no", Concepts::ID),
    ("nr", Concepts::ID),
    ("num", Concepts::ID),
    ("number", Concepts::ID),
    ("code", Concepts::ID.with(Concepts::CODE)),
    ("key", Concepts::ID.with(Concepts::CODE)),
    ("ref", Concepts::ID),
    ("reference", Concepts::ID),
    ("uuid", Concepts::ID),
    ("guid", Concepts::ID),
    ("#", Concepts::ID),
    ("order", Concepts::ORDER),
    ("orders", Concepts::ORDER),
    ("transaction", Concepts::ORDER),
    ("txn", Concepts::ORDER),
    ("invoice", Concepts::ORDER),
    ("receipt", Concepts::ORDER),
    ("purchase", Concepts::ORDER.with(Concepts::CREATED)),
    ("sale", Concepts::ORDER),
    ("checkout", Concepts::ORDER),
    ("line", Concepts::LINE),
    ("lineitem", Concepts::LINE.with(Concepts::PRODUCT)),
    ("sub", Concepts::LINE),
    ("suborder", Concepts::LINE.with(Concepts::ORDER)),
    ("customer", Concepts::CUSTOMER),
    ("customers", Concepts::CUSTOMER),
    ("buyer", Concepts::CUSTOMER),
    ("client", Concepts::CUSTOMER),
    ("member", Concepts::CUSTOMER),
    ("shopper", Concepts::CUSTOMER),
    ("consumer", Concepts::CUSTOMER),
    ("purchaser", Concepts::CUSTOMER),
    ("account", Concepts::CUSTOMER),
    ("user", Concepts::USER),
    ("users", Concepts::USER),
    ("visitor", Concepts::USER.with(Concepts::VISITORS)),
    ("person", Concepts::USER),
    ("profile", Concepts::USER),
    ("anonymous", Concepts::ANON),
    ("anon", Concepts::ANON),
    ("device", Concepts::ANON),
    ("pseudo", Concepts::ANON),
    ("distinct", Concepts::ANON),
    ("cookie", Concepts::ANON),
    ("fullvisitor", Concepts::ANON),
    ("domain", Concepts::ANON),
    ("email", Concepts::EMAIL),
    ("e", Concepts::EMAIL),
    ("mail", Concepts::EMAIL),
    ("product", Concepts::PRODUCT),
    ("products", Concepts::PRODUCT),
    ("item", Concepts::PRODUCT),
    ("items", Concepts::PRODUCT),
    ("goods", Concepts::PRODUCT),
    ("article", Concepts::PRODUCT),
    ("listing", Concepts::PRODUCT),
    ("offer", Concepts::PRODUCT),
    ("merchandise", Concepts::PRODUCT),
    ("asin", Concepts::PRODUCT.with(Concepts::ID)),
    ("sku", Concepts::SKU),
    ("skus", Concepts::SKU),
    ("variant", Concepts::VARIANT),
    ("stockcode", Concepts::SKU),
    ("upc", Concepts::SKU),
    ("ean", Concepts::SKU),
    ("gtin", Concepts::SKU),
    ("barcode", Concepts::SKU),
    ("mpn", Concepts::SKU),
    ("title", Concepts::TITLE),
    ("name", Concepts::NAME),
    ("names", Concepts::NAME),
    ("description", Concepts::TITLE),
    ("desc", Concepts::TITLE),
    ("label", Concepts::TITLE),
    ("option", Concepts::OPTION),
    ("options", Concepts::OPTION),
    ("attribute", Concepts::OPTION),
    ("attributes", Concepts::OPTION),
    ("quantity", Concepts::QTY),
    ("qty", Concepts::QTY),
    ("quantities", Concepts::QTY),
    ("units", Concepts::QTY),
    ("pcs", Concepts::QTY),
    ("pieces", Concepts::QTY),
    ("count", Concepts::COUNT),
    ("amount", Concepts::MONEY),
    ("amt", Concepts::MONEY),
    ("total", Concepts::MONEY.with(Concepts::TOTAL)),
    ("totals", Concepts::MONEY.with(Concepts::TOTAL)),
    ("grand", Concepts::TOTAL),
    ("subtotal", Concepts::MONEY.with(Concepts::LINE)),
    ("sum", Concepts::MONEY),
    ("value", Concepts::MONEY),
    ("revenue", Concepts::MONEY.with(Concepts::SALES)),
    ("sales", Concepts::MONEY.with(Concepts::SALES)),
    ("gmv", Concepts::MONEY.with(Concepts::TOTAL)),
    ("gross", Concepts::MONEY),
    ("net", Concepts::MONEY),
    ("price", Concepts::PRICE),
    ("prices", Concepts::PRICE),
    ("unit", Concepts::UNIT),
    ("each", Concepts::UNIT),
    ("per", Concepts::PER),
    ("refund", Concepts::REFUND),
    ("refunds", Concepts::REFUND),
    ("return", Concepts::REFUND),
    ("returns", Concepts::REFUND),
    ("chargeback", Concepts::REFUND),
    ("cost", Concepts::COST),
    ("costs", Concepts::COST),
    ("cogs", Concepts::COST),
    ("purchasing", Concepts::COST),
    ("tax", Concepts::NOT_ORDER_MONEY),
    ("taxes", Concepts::NOT_ORDER_MONEY),
    ("vat", Concepts::NOT_ORDER_MONEY),
    ("discount", Concepts::NOT_ORDER_MONEY),
    ("discounts", Concepts::NOT_ORDER_MONEY),
    ("coupon", Concepts::NOT_ORDER_MONEY),
    ("fee", Concepts::NOT_ORDER_MONEY),
    ("fees", Concepts::NOT_ORDER_MONEY),
    ("commission", Concepts::NOT_ORDER_MONEY),
    ("tip", Concepts::NOT_ORDER_MONEY),
    ("freight", Concepts::NOT_ORDER_MONEY),
    ("postage", Concepts::NOT_ORDER_MONEY),
    ("handling", Concepts::NOT_ORDER_MONEY),
    ("deposit", Concepts::NOT_ORDER_MONEY),
    ("gift", Concepts::NOT_ORDER_MONEY),
    ("wrap", Concepts::NOT_ORDER_MONEY),
    ("promotion", Concepts::NOT_ORDER_MONEY),
    ("promo", Concepts::NOT_ORDER_MONEY),
    ("insurance", Concepts::NOT_ORDER_MONEY),
    ("voucher", Concepts::NOT_ORDER_MONEY),
    ("rebate", Concepts::NOT_ORDER_MONEY),
    ("cashback", Concepts::NOT_ORDER_MONEY),
    ("balance", Concepts::NOT_ORDER_MONEY),
    ("payout", Concepts::NOT_ORDER_MONEY),
    ("compare", Concepts::NOT_ORDER_MONEY),
    ("msrp", Concepts::NOT_ORDER_MONEY),
    ("list", Concepts::NOT_ORDER_MONEY),
    ("status", Concepts::STATUS),
    ("state", Concepts::STATUS),
    ("stage", Concepts::STATUS),
    ("financial", Concepts::PAID),
    ("category", Concepts::CATEGORY),
    ("categories", Concepts::CATEGORY),
    ("cat", Concepts::CATEGORY),
    ("department", Concepts::CATEGORY),
    ("collection", Concepts::CATEGORY),
    ("genre", Concepts::CATEGORY),
    ("type", Concepts::TYPE),
    ("kind", Concepts::TYPE),
    ("brand", Concepts::BRAND),
    ("vendor", Concepts::BRAND),
    ("manufacturer", Concepts::BRAND),
    ("maker", Concepts::BRAND),
    ("shop", Concepts::SHOP),
    ("store", Concepts::SHOP),
    ("channel", Concepts::SHOP),
    ("marketplace", Concepts::SHOP),
    ("storefront", Concepts::SHOP),
    ("currency", Concepts::CURRENCY),
    ("ccy", Concepts::CURRENCY),
    ("stock", Concepts::STOCK),
    ("inventory", Concepts::STOCK),
    ("onhand", Concepts::STOCK),
    ("hand", Concepts::STOCK),
    ("available", Concepts::STOCK),
    ("visitors", Concepts::VISITORS),
    ("visits", Concepts::VISITORS),
    ("sessions", Concepts::VISITORS),
    ("uv", Concepts::VISITORS),
    ("pageviews", Concepts::PAGE_VIEWS),
    ("views", Concepts::PAGE_VIEWS),
    ("pv", Concepts::PAGE_VIEWS),
    ("impressions", Concepts::IMPRESSIONS),
    ("impr", Concepts::IMPRESSIONS),
    ("clicks", Concepts::CLICKS),
    ("spend", Concepts::SPEND),
    ("spent", Concepts::SPEND),
    ("campaign", Concepts::CAMPAIGN),
    ("session", Concepts::SESSION),
    ("rate", Concepts::RATE),
    ("ratio", Concepts::RATE),
    ("percent", Concepts::RATE),
    ("pct", Concepts::RATE),
    ("%", Concepts::RATE),
    ("address", Concepts::ADDRESS),
    ("city", Concepts::ADDRESS),
    ("country", Concepts::ADDRESS),
    ("phone", Concepts::ADDRESS),
    ("zip", Concepts::ADDRESS),
    ("postcode", Concepts::ADDRESS),
    ("province", Concepts::ADDRESS),
    ("note", Concepts::NOTE),
    ("notes", Concepts::NOTE),
    ("comment", Concepts::NOTE),
    ("comments", Concepts::NOTE),
    ("message", Concepts::NOTE),
    ("tags", Concepts::NOTE),
    ("url", Concepts::NOTE),
    ("length", Concepts::NOTE),
    ("method", Concepts::NOTE),
    ("duration", Concepts::NOTE),
    ("after", Concepts::AFTER),
    ("inc", Concepts::AFTER),
    ("incl", Concepts::AFTER),
    ("including", Concepts::AFTER),
    ("ex", Concepts::EXCL),
    ("excl", Concepts::EXCL),
    ("excluding", Concepts::EXCL),
    ("base", Concepts::EXCL),
    ("original", Concepts::EXCL),
    ("parent", Concepts::EXCL),
    ("new", Concepts::EXCL),
    ("regular", Concepts::EXCL),
    ("listed", Concepts::EXCL),
    ("subclass", Concepts::CATEGORY),
    ("subcategory", Concepts::CATEGORY),
    ("class", Concepts::CATEGORY),
    ("etl", Concepts::OTHER_TIME),
    ("seller", Concepts::SELLER),
    ("merchant", Concepts::SELLER),
    ("online", Concepts::ONLINE),
    ("platform", Concepts::ONLINE),
    ("external", Concepts::ONLINE),
    ("unique", Concepts::UNIQUE),
    ("uniq", Concepts::UNIQUE),
    ("purchasers", Concepts::BUYERS),
    ("buyers", Concepts::BUYERS),
    ("purchased", Concepts::PURCHASED),
    ("sold", Concepts::PURCHASED),
    ("conversions", Concepts::AD_ORDERS),
    ("username", Concepts::CUSTOMER.with(Concepts::ID)),
    ("nickname", Concepts::CUSTOMER),
    ("login", Concepts::CUSTOMER),
    ("collected", Concepts::PAID.with(Concepts::MONEY)),
    ("approved", Concepts::PAID),
    ("tstamp", Concepts::TIME),
    ("dat", Concepts::TIME.with(Concepts::DATE)),
    ("commodity", Concepts::PRODUCT),
    ("po", Concepts::ORDER),
    ("document", Concepts::ORDER),
    ("doc", Concepts::ORDER),
    ("pos", Concepts::ORDER),
    ("transaktion", Concepts::ORDER),
    ("transaktions", Concepts::ORDER),
    ("brutto", Concepts::MONEY.with(Concepts::TOTAL)),
    ("netto", Concepts::MONEY),
    ("état", Concepts::STATUS),
    ("etat", Concepts::STATUS),
    ("comprador", Concepts::CUSTOMER),
    ("venta", Concepts::ORDER),
    ("ventas", Concepts::ORDER),
    ("ingresos", Concepts::MONEY.with(Concepts::SALES)),
    ("unidades", Concepts::QTY),
    ("reembolsos", Concepts::REFUND),
    ("título", Concepts::TITLE),
    ("titulo", Concepts::TITLE),
    ("publicación", Concepts::PRODUCT),
    ("dscription", Concepts::TITLE),
    // The commonest words of European shop systems' exports (German, French, Spanish, Italian,
    // Portuguese, Dutch).
    ("datum", Concepts::TIME.with(Concepts::DATE)),
    ("fecha", Concepts::TIME.with(Concepts::DATE)),
    ("data", Concepts::TIME.with(Concepts::DATE)),
    ("zeit", Concepts::TIME),
    ("hora", Concepts::TIME),
    ("heure", Concepts::TIME),
    ("bestellung", Concepts::ORDER),
    ("bestell", Concepts::ORDER),
    ("auftrag", Concepts::ORDER),
    ("pedido", Concepts::ORDER),
    ("commande", Concepts::ORDER),
    ("ordine", Concepts::ORDER),
    ("bestelling", Concepts::ORDER),
    ("rechnung", Concepts::ORDER),
    ("factura", Concepts::ORDER),
    ("facture", Concepts::ORDER),
    ("nummer", Concepts::ID),
    ("numero", Concepts::ID),
    ("número", Concepts::ID),
    ("kunde", Concepts::CUSTOMER),
    ("kunden", Concepts::CUSTOMER),
    ("cliente", Concepts::CUSTOMER),
    ("klant", Concepts::CUSTOMER),
    ("betrag", Concepts::MONEY),
    ("summe", Concepts::MONEY.with(Concepts::TOTAL)),
    ("gesamt", Concepts::MONEY.with(Concepts::TOTAL)),
    ("importe", Concepts::MONEY),
    ("montant", Concepts::MONEY),
    ("importo", Concepts::MONEY),
    ("valor", Concepts::MONEY),
    ("bedrag", Concepts::MONEY),
    ("totale", Concepts::MONEY.with(Concepts::TOTAL)),
    ("preis", Concepts::PRICE),
    ("precio", Concepts::PRICE),
    ("prix", Concepts::PRICE),
    ("prezzo", Concepts::PRICE),
    ("preço", Concepts::PRICE),
    ("prijs", Concepts::PRICE),
    ("menge", Concepts::QTY),
    ("anzahl", Concepts::QTY),
    ("cantidad", Concepts::QTY),
    ("quantité", Concepts::QTY),
    ("quantite", Concepts::QTY),
    ("quantità", Concepts::QTY),
    ("quantidade", Concepts::QTY),
    ("aantal", Concepts::QTY),
    ("artikel", Concepts::PRODUCT),
    ("produkt", Concepts::PRODUCT),
    ("producto", Concepts::PRODUCT),
    ("produit", Concepts::PRODUCT),
    ("prodotto", Concepts::PRODUCT),
    ("produto", Concepts::PRODUCT),
    ("estado", Concepts::STATUS),
    ("statut", Concepts::STATUS),
    ("stato", Concepts::STATUS),
    ("erstattung", Concepts::REFUND),
    ("reembolso", Concepts::REFUND),
    ("remboursement", Concepts::REFUND),
    (
        "versand",
        Concepts::NOT_ORDER_MONEY.with(Concepts::OTHER_TIME),
    ),
    (
        "envio",
        Concepts::NOT_ORDER_MONEY.with(Concepts::OTHER_TIME),
    ),
    (
        "livraison",
        Concepts::NOT_ORDER_MONEY.with(Concepts::OTHER_TIME),
    ),
    ("steuer", Concepts::NOT_ORDER_MONEY),
    ("mwst", Concepts::NOT_ORDER_MONEY),
    ("iva", Concepts::NOT_ORDER_MONEY),
    ("impuesto", Concepts::NOT_ORDER_MONEY),
    ("impuestos", Concepts::NOT_ORDER_MONEY),
    ("cargo", Concepts::NOT_ORDER_MONEY),
    ("cargos", Concepts::NOT_ORDER_MONEY),
    ("comisión", Concepts::NOT_ORDER_MONEY),
    ("comision", Concepts::NOT_ORDER_MONEY),
    ("tva", Concepts::NOT_ORDER_MONEY),
];

/// Chinese terms, found anywhere in the header (Chinese has no spaces between words). Longer terms
/// that contain a shorter one are listed too, so that their meaning wins where they differ.
const TERMS: &[(&str, Concepts)] = &[
    ("时间", Concepts::TIME),
    ("日期", Concepts::TIME.with(Concepts::DATE)),
    ("时刻", Concepts::TIME),
    ("付款", Concepts::PAID),
    ("支付", Concepts::PAID),
    ("实付", Concepts::PAID.with(Concepts::MONEY)),
    ("创建", Concepts::CREATED),
    ("下单", Concepts::CREATED.with(Concepts::ORDER)),
    ("提交", Concepts::CREATED),
    ("成交", Concepts::CREATED),
    ("发货", Concepts::OTHER_TIME.with(Concepts::OTHER_STATUS)),
    ("收货", Concepts::OTHER_TIME.with(Concepts::ADDRESS)),
    ("签收", Concepts::OTHER_TIME),
    ("关闭", Concepts::OTHER_TIME),
    ("修改", Concepts::OTHER_TIME),
    ("更新", Concepts::OTHER_TIME),
    ("结束", Concepts::OTHER_TIME),
    ("审核", Concepts::OTHER_TIME),
    ("出库", Concepts::OTHER_TIME),
    ("行为", Concepts::EVENT),
    ("事件", Concepts::EVENT),
    ("动作", Concepts::EVENT),
    ("订单", Concepts::ORDER),
    ("单据", Concepts::ORDER),
    ("票据", Concepts::ORDER),
    ("发票", Concepts::ORDER),
    ("交易", Concepts::ORDER),
    ("单号", Concepts::ORDER.with(Concepts::ID)),
    ("流水", Concepts::ORDER),
    ("子订单", Concepts::LINE.with(Concepts::ORDER)),
    ("明细", Concepts::LINE),
    ("买家", Concepts::CUSTOMER),
    ("客户", Concepts::CUSTOMER),
    ("会员", Concepts::CUSTOMER),
    ("顾客", Concepts::CUSTOMER),
    ("收件人", Concepts::ADDRESS),
    ("用户", Concepts::USER),
    ("访客", Concepts::VISITORS),
    ("设备", Concepts::ANON),
    ("编号", Concepts::ID),
    ("编码", Concepts::ID.with(Concepts::CODE)),
    ("号", Concepts::ID),
    ("代码", Concepts::ID.with(Concepts::CODE)),
    ("后", Concepts::AFTER),
    ("实际", Concepts::PAID),
    ("商家", Concepts::SELLER),
    ("商户", Concepts::SELLER),
    ("对方", Concepts::COUNTERPARTY),
    ("线上", Concepts::ONLINE),
    ("平台单", Concepts::ONLINE),
    ("网店", Concepts::ONLINE),
    ("数", Concepts::COUNT),
    ("展示", Concepts::IMPRESSIONS),
    ("完成", Concepts::PAID),
    ("已付", Concepts::PAID.with(Concepts::MONEY)),
    ("实收款", Concepts::PAID.with(Concepts::MONEY)),
    ("账户", Concepts::ID),
    ("账号", Concepts::ID),
    ("id", Concepts::ID),
    ("商品", Concepts::PRODUCT),
    ("宝贝", Concepts::PRODUCT),
    ("货品", Concepts::PRODUCT),
    ("存货", Concepts::PRODUCT),
    ("含税", Concepts::AFTER),
    ("价税合计", Concepts::AFTER),
    ("型号", Concepts::VARIANT),
    ("产品", Concepts::PRODUCT),
    ("物品", Concepts::PRODUCT),
    ("款式", Concepts::PRODUCT),
    ("规格", Concepts::VARIANT),
    ("条码", Concepts::SKU),
    ("货号", Concepts::SKU),
    ("商家编码", Concepts::SKU),
    ("sku", Concepts::SKU),
    ("名称", Concepts::NAME),
    ("标题", Concepts::TITLE),
    ("名", Concepts::NAME),
    ("数量", Concepts::QTY),
    ("件数", Concepts::QTY),
    ("金额", Concepts::MONEY),
    ("总额", Concepts::MONEY.with(Concepts::TOTAL)),
    ("总价", Concepts::MONEY.with(Concepts::LINE)),
    ("合计", Concepts::MONEY.with(Concepts::TOTAL)),
    ("实收", Concepts::MONEY.with(Concepts::PAID)),
    ("应付", Concepts::MONEY),
    ("收入", Concepts::MONEY.with(Concepts::SALES)),
    ("销售额", Concepts::MONEY.with(Concepts::SALES)),
    ("营业额", Concepts::MONEY.with(Concepts::SALES)),
    ("货款", Concepts::MONEY),
    ("价", Concepts::PRICE),
    ("单价", Concepts::PRICE.with(Concepts::UNIT)),
    ("退款", Concepts::REFUND),
    ("退货", Concepts::REFUND),
    ("成本", Concepts::COST),
    ("采购", Concepts::COST),
    ("运费", Concepts::NOT_ORDER_MONEY),
    ("邮费", Concepts::NOT_ORDER_MONEY),
    ("优惠", Concepts::NOT_ORDER_MONEY),
    ("折扣", Concepts::NOT_ORDER_MONEY),
    ("手续费", Concepts::NOT_ORDER_MONEY),
    ("佣金", Concepts::NOT_ORDER_MONEY),
    ("税", Concepts::NOT_ORDER_MONEY),
    ("红包", Concepts::NOT_ORDER_MONEY),
    ("积分", Concepts::NOT_ORDER_MONEY),
    ("服务费", Concepts::NOT_ORDER_MONEY),
    ("吊牌", Concepts::NOT_ORDER_MONEY),
    ("原价", Concepts::EXCL),
    ("主商品", Concepts::EXCL),
    ("标价", Concepts::EXCL),
    ("标准", Concepts::EXCL),
    ("零售价", Concepts::EXCL),
    ("市场价", Concepts::NOT_ORDER_MONEY),
    ("状态", Concepts::STATUS),
    ("类目", Concepts::CATEGORY),
    ("分类", Concepts::CATEGORY),
    ("品类", Concepts::CATEGORY),
    ("类型", Concepts::TYPE),
    ("品牌", Concepts::BRAND),
    ("店铺", Concepts::SHOP),
    ("渠道", Concepts::SHOP),
    ("币种", Concepts::CURRENCY),
    ("货币", Concepts::CURRENCY),
    ("库存", Concepts::STOCK),
    ("浏览量", Concepts::PAGE_VIEWS),
    ("展现", Concepts::IMPRESSIONS),
    ("曝光", Concepts::IMPRESSIONS),
    ("点击", Concepts::CLICKS),
    ("花费", Concepts::SPEND),
    ("消耗", Concepts::SPEND),
    ("计划", Concepts::CAMPAIGN),
    ("会话", Concepts::SESSION),
    ("率", Concepts::RATE),
    ("地址", Concepts::ADDRESS),
    ("电话", Concepts::ADDRESS),
    ("手机", Concepts::ADDRESS),
    ("省", Concepts::ADDRESS),
    ("备注", Concepts::NOTE),
    ("留言", Concepts::NOTE),
    ("邮箱", Concepts::EMAIL),
];

/// The words of a header: ASCII runs split at separators, digits and camelCase humps, lower-cased;
/// runs of other letters (Chinese) kept whole. `purchaseTS` → `purchase ts`, `Order Date (UTC)` →
/// `order date utc`, `付款时间(北京时间)` → `付款时间 北京时间`.
pub fn split_words(header: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    let chars: Vec<char> = header
        .chars()
        .map(crate::schema::value::fold_width)
        .collect();
    let flush = |cur: &mut String, words: &mut Vec<String>| {
        if !cur.is_empty() {
            words.push(std::mem::take(cur).to_lowercase());
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if c == '#' || c == '%' {
            flush(&mut cur, &mut words);
            words.push(c.to_string());
            prev = None;
            continue;
        }
        if !c.is_alphanumeric() {
            flush(&mut cur, &mut words);
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let latin = |x: char| x.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&x);
            let boundary = (latin(p) != latin(c))
                || (p.is_ascii_digit() != c.is_ascii_digit() && c.is_ascii())
                || (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (p.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower);
            if boundary {
                flush(&mut cur, &mut words);
            }
        }
        cur.push(c);
        prev = Some(c);
    }
    flush(&mut cur, &mut words);
    words.retain(|w| !w.chars().all(|c| c.is_ascii_digit()));
    words
}

/// The concepts a header's words stand for.
pub fn concepts(header: &str) -> Concepts {
    let mut found = Concepts::default();
    let words = split_words(header);
    let last = words.len().saturating_sub(1);
    for (i, word) in words.into_iter().enumerate() {
        // `created_at`, `paid_on`: a time only as the last word (`Compare At Price` is none).
        if (word == "at" || word == "on") && (i != last || i == 0) {
            continue;
        }
        let latin = word
            .chars()
            .all(|c| c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c));
        if latin {
            if let Some(c) = word_concepts(&word) {
                found = found | c;
            } else if let Some(c) = glued(&word) {
                found = found | c;
            }
        } else {
            found = found | term_concepts(&word);
        }
    }
    found
}

/// The concepts of every [`TERMS`] entry found anywhere in `word`: the terms indexed by their
/// first character, tried at each character of the word (the same set as testing each term with
/// `contains`, in one pass over the word instead of one per term).
fn term_concepts(word: &str) -> Concepts {
    type Index = rustc_hash::FxHashMap<char, Vec<(&'static str, Concepts)>>;
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut m = Index::default();
        for (t, c) in TERMS {
            let first = t.chars().next().expect("a term is not empty");
            m.entry(first).or_default().push((*t, *c));
        }
        m
    });
    let mut found = Concepts::default();
    for (i, ch) in word.char_indices() {
        if let Some(terms) = index.get(&ch) {
            for (t, c) in terms {
                if word[i..].starts_with(t) {
                    found = found | *c;
                }
            }
        }
    }
    found
}

/// The concepts of one whole word, from [`WORDS`] as a hash map built once (the first entry of a
/// word wins, as in the list). Recognition looks words up for every header cell of every line it
/// tries as the header, and a glued word once per split.
fn word_concepts(word: &str) -> Option<Concepts> {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Concepts>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut m = rustc_hash::FxHashMap::default();
            for (w, c) in WORDS {
                m.entry(*w).or_insert(*c);
            }
            m
        })
        .get(word)
        .copied()
}

/// Words written without separators (`orderdate`, `customerid`, `invoiceno`): the longest known
/// word at the start and a known word for the rest.
fn glued(word: &str) -> Option<Concepts> {
    // Three known words glued together are never longer than this (`orderpurchasetimestamp`
    // is 22); a longer run of letters is data, not a header word, and is not split.
    const LONGEST_GLUED: usize = 3 * LONGEST_WORD;
    if word.len() < 5 || word.len() > LONGEST_GLUED || !word.is_ascii() {
        return None;
    }
    glued_parts(word, 3)
}

/// The longest entry of [`WORDS`], in bytes (checked by a test).
const LONGEST_WORD: usize = 16;

/// `word` as up to `parts` known words written together, longest first word first. The first
/// word is looked up before the rest is split, so the work is bounded by
/// `LONGEST_WORD^parts` lookups whatever the word.
fn glued_parts(word: &str, parts: usize) -> Option<Concepts> {
    let find = word_concepts;
    if let Some(c) = find(word) {
        return Some(c);
    }
    if parts < 2 || word.len() < 4 {
        return None;
    }
    for split in (2..(word.len() - 1).min(LONGEST_WORD + 1)).rev() {
        let (a, b) = word.split_at(split);
        let Some(x) = find(a) else { continue };
        if let Some(y) = glued_parts(b, parts - 1) {
            return Some(x | y);
        }
    }
    None
}

/// Candidate roles of a header from its words, best first, with scores below an exact synonym's
/// 1.0 (0.85 for a clear reading such as `order_time`, down to 0.45 for a fallback such as a
/// customer's name read as the buyer).
pub fn candidates(header: &str) -> Vec<(Field, f32)> {
    let c = concepts(header);
    let mut out = reading(header, c);
    // `Parent SKU`, `Original Price`, `Grand Total (Base)`, `主商品货号`: a second choice.
    if c.has(Concepts::EXCL) {
        for (_, s) in out.iter_mut() {
            *s -= 0.1;
        }
    }
    // `event_date`, `Order Date`: a day where a time may be beside it.
    if c.has(Concepts::DATE) && !header_has_time_word_beyond_date(header) {
        for (f, s) in out.iter_mut() {
            if matches!(f, Field::EventTime | Field::PaidTime) {
                *s -= 0.05;
            }
        }
    }
    out
}

/// The readings of a header's concepts, before the adjustments of [`candidates`].
fn reading(header: &str, c: Concepts) -> Vec<(Field, f32)> {
    let mut out: Vec<(Field, f32)> = Vec::new();
    let mut add = |f: Field, s: f32| {
        if !out.iter().any(|(g, _)| *g == f) {
            out.push((f, s));
        }
    };
    let has = |x: Concepts| c.has(x);
    let idish = has(Concepts::ID);
    let moneyish = has(Concepts::MONEY) || has(Concepts::PRICE) || has(Concepts::COST);

    if let Some((f, s)) = super::dimension::dimension_reading(header) {
        add(f, s);
        return out;
    }
    // ---- Experiment groups (A/B): see `super::experiment`.
    if let Some((f, s)) = super::experiment::experiment_reading(header) {
        add(f, s);
        return out;
    }
    // ----
    // Notes, addresses and rates are never a role the analyses read.
    if has(Concepts::NOTE) || (has(Concepts::ADDRESS) && !has(Concepts::EMAIL)) {
        return out;
    }
    if has(Concepts::RATE) {
        // `Item Rate`, `Product Rate` (NetSuite, QuickBooks): an item's price per unit, as
        // invoices write it; every other rate is a ratio.
        let words = split_words(header);
        if has(Concepts::PRODUCT) && words.len() == 2 && words[1] == "rate" {
            add(Field::UnitPrice, 0.6);
        }
        return out;
    }
    let counted = has(Concepts::QTY) || has(Concepts::COUNT);
    // A bare `id` is the row's own id: in an order export, the order's.
    if split_words(header) == ["id"] {
        add(Field::OrderId, 0.5);
        return out;
    }
    if has(Concepts::COUNT) && has(Concepts::ORDER) && !has(Concepts::TIME) && !has(Concepts::QTY) {
        add(Field::AdOrders, 0.7);
        return out;
    }
    if has(Concepts::AD_ORDERS) {
        add(Field::AdOrders, 0.75);
        return out;
    }
    if has(Concepts::BUYERS) {
        add(Field::Buyers, 0.75);
        return out;
    }
    // Times.
    if has(Concepts::TIME) || (has(Concepts::CREATED) && !moneyish && !idish && !counted) {
        if counted && !header_has_time_word(header) {
            add(Field::Quantity, 0.7);
            return out;
        }
        if has(Concepts::OTHER_TIME) && !has(Concepts::PAID) {
            return out;
        }
        if has(Concepts::PAID) {
            add(Field::PaidTime, 0.85);
        } else if has(Concepts::EVENT) {
            add(Field::EventTime, 0.85);
        } else if has(Concepts::DATE) && !has(Concepts::ORDER) && !has(Concepts::CREATED) {
            add(Field::CreatedTime, 0.7);
        } else {
            add(Field::CreatedTime, 0.8);
        }
        return out;
    }
    // Money (not `Sales Record Number`, an id).
    if moneyish && !has(Concepts::QTY) && (!idish || has(Concepts::PRICE)) {
        if has(Concepts::NOT_ORDER_MONEY) && !has(Concepts::REFUND) && !has(Concepts::AFTER) {
            return out;
        }
        if has(Concepts::REFUND) {
            add(Field::RefundAmount, 0.85);
        } else if has(Concepts::SPEND) {
            add(Field::Spend, 0.8);
        } else if has(Concepts::COST) && has(Concepts::PER) {
            // Cost per click / per result: a rate.
            return out;
        } else if has(Concepts::COST) {
            add(Field::Cost, 0.8);
        } else if has(Concepts::UNIT) && has(Concepts::PRICE)
            || (has(Concepts::PRICE)
                && !has(Concepts::TOTAL)
                && !has(Concepts::MONEY)
                && !has(Concepts::PAID))
        {
            add(Field::UnitPrice, 0.75);
        } else if has(Concepts::LINE) && !has(Concepts::PAID) && !has(Concepts::ORDER) {
            add(Field::LineAmount, 0.75);
        } else if has(Concepts::PRODUCT) && !has(Concepts::ORDER) {
            add(
                Field::LineAmount,
                if has(Concepts::PAID) { 0.8 } else { 0.65 },
            );
        } else if has(Concepts::SALES) && has(Concepts::CAMPAIGN) {
            add(Field::AdSales, 0.7);
        } else if has(Concepts::PAID) && !has(Concepts::SELLER) {
            // 实付, paid amount, total collected: what the buyer paid, the strongest reading.
            add(Field::PaidAmount, 0.995);
        } else if has(Concepts::AFTER) {
            add(Field::PaidAmount, 0.9);
        } else {
            let paid = has(Concepts::TOTAL) || has(Concepts::ORDER);
            add(Field::PaidAmount, if paid { 0.8 } else { 0.65 });
        }
        return out;
    }
    if has(Concepts::SPEND) {
        add(Field::Spend, 0.8);
        return out;
    }
    // Fees, taxes, discounts, shipping: no role the analyses read.
    if has(Concepts::NOT_ORDER_MONEY) && !idish {
        return out;
    }
    if has(Concepts::REFUND) && !idish && !has(Concepts::STATUS) && !has(Concepts::QTY) {
        add(Field::RefundAmount, 0.6);
        return out;
    }
    // Statuses.
    if has(Concepts::STATUS) {
        if has(Concepts::OTHER_STATUS) || has(Concepts::REFUND) {
            add(Field::Status, 0.4);
        } else if has(Concepts::ORDER) || has(Concepts::PAID) {
            add(Field::Status, 0.85);
        } else {
            add(Field::Status, 0.75);
        }
        return out;
    }
    // Event names.
    if has(Concepts::EVENT) && !idish && !has(Concepts::CATEGORY) {
        add(Field::EventType, 0.85);
        return out;
    }
    if has(Concepts::TYPE) && has(Concepts::EVENT) {
        add(Field::EventType, 0.8);
        return out;
    }
    // Quantities and counts.
    if has(Concepts::QTY)
        || (has(Concepts::COUNT) && has(Concepts::PRODUCT))
        || (has(Concepts::PURCHASED) && has(Concepts::PRODUCT))
        || number_of(header)
    {
        add(Field::Quantity, 0.8);
        return out;
    }
    if has(Concepts::STOCK) && idish {
        add(Field::Sku, 0.75);
        return out;
    }
    if has(Concepts::STOCK) {
        add(Field::Stock, 0.75);
        return out;
    }
    if has(Concepts::CURRENCY) {
        add(Field::Currency, 0.85);
        return out;
    }
    // Ids of entities.
    if has(Concepts::LINE) && has(Concepts::ORDER) && (idish || has(Concepts::LINE)) {
        add(Field::LineId, 0.75);
        return out;
    }
    if has(Concepts::ORDER) && has(Concepts::PRODUCT) && idish {
        add(Field::LineId, 0.7);
        return out;
    }
    if has(Concepts::COUNTERPARTY) {
        add(Field::CustomerId, 0.7);
        return out;
    }
    if has(Concepts::ORDER) && !has(Concepts::PRODUCT) && !has(Concepts::CUSTOMER) {
        if has(Concepts::TYPE) || has(Concepts::NAME) && !idish {
            return out;
        }
        let preferred = has(Concepts::ONLINE) || has(Concepts::SELLER);
        add(
            Field::OrderId,
            match (idish, preferred) {
                (true, true) => 0.9,
                (true, false) => 0.85,
                _ => 0.6,
            },
        );
        return out;
    }
    if has(Concepts::ANON) {
        add(Field::AnonymousId, if idish { 0.8 } else { 0.6 });
        return out;
    }
    if has(Concepts::SESSION) {
        // A session id: the user of a log whose user ids are blank (DEFINITIONS §5).
        if idish {
            add(Field::AnonymousId, 0.5);
        }
        return out;
    }
    if has(Concepts::CUSTOMER) || has(Concepts::EMAIL) {
        if has(Concepts::NAME) && !has(Concepts::EMAIL) && !idish {
            add(Field::CustomerId, 0.45);
        } else if has(Concepts::TYPE) {
            return out;
        } else {
            add(
                Field::CustomerId,
                if idish || has(Concepts::EMAIL) {
                    0.85
                } else {
                    0.6
                },
            );
        }
        return out;
    }
    if has(Concepts::USER) {
        if has(Concepts::NAME) && !idish {
            add(Field::UserId, 0.45);
        } else {
            add(Field::UserId, if idish { 0.85 } else { 0.6 });
        }
        return out;
    }
    if has(Concepts::SKU) || (has(Concepts::VARIANT) && idish) {
        let named = has(Concepts::SKU) || has(Concepts::SELLER);
        add(
            Field::Sku,
            if has(Concepts::SELLER) {
                0.9
            } else if named {
                0.85
            } else {
                0.75
            },
        );
        return out;
    }
    if has(Concepts::PRODUCT) && has(Concepts::CODE) {
        add(Field::Sku, 0.8);
        return out;
    }
    if has(Concepts::CATEGORY) {
        if idish {
            add(Field::Category, 0.6);
        } else {
            add(Field::Category, 0.8);
        }
        return out;
    }
    if has(Concepts::BRAND) {
        add(Field::Brand, 0.8);
        return out;
    }
    if has(Concepts::PRODUCT) {
        if has(Concepts::OPTION) || has(Concepts::VARIANT) || has(Concepts::TYPE) {
            return out;
        }
        if idish {
            add(Field::ProductId, 0.8);
        } else {
            add(
                Field::Title,
                if has(Concepts::TITLE) || has(Concepts::NAME) {
                    0.85
                } else {
                    0.5
                },
            );
        }
        return out;
    }
    if has(Concepts::TITLE) {
        add(Field::Title, 0.55);
        return out;
    }
    if has(Concepts::NAME) && split_words(header).len() == 1 {
        // A bare `Name`: a product's in a catalogue, the customer's (the counterparty) in an
        // accounting or ERP transaction list (NetSuite, QuickBooks) where a product column names
        // the item. Both weak; a product column's own title reading beats the first.
        add(Field::Title, 0.45);
        if split_words(header) == ["name"] {
            add(Field::CustomerId, 0.4);
        }
        return out;
    }
    if has(Concepts::CAMPAIGN) {
        add(Field::Campaign, 0.75);
        return out;
    }
    if has(Concepts::SHOP) && !idish {
        add(Field::Shop, 0.7);
        return out;
    }
    if has(Concepts::IMPRESSIONS) {
        add(Field::Impressions, 0.75);
    } else if has(Concepts::CLICKS) {
        add(Field::Clicks, 0.75);
    } else if has(Concepts::VISITORS) {
        // Unique visitors are exactly the visitors (访客数).
        add(
            Field::Visitors,
            if has(Concepts::UNIQUE) { 1.0 } else { 0.7 },
        );
    } else if has(Concepts::PAGE_VIEWS) {
        add(Field::PageViews, 0.7);
    }
    out
}

/// `Number of Items`, `No. of units`: a count, not an id.
fn number_of(header: &str) -> bool {
    let words = split_words(header);
    words
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "number" | "no" | "num") && w[1] == "of")
}

/// Whether a header names a time of day (`time`, `timestamp`, `ts`, `时间`), not only a date.
fn header_has_time_word_beyond_date(header: &str) -> bool {
    let lower = header.to_lowercase();
    split_words(&lower).iter().any(|x| {
        matches!(x.as_str(), "ts" | "at" | "dt")
            || ["时间", "time", "stamp"].iter().any(|w| x.contains(w))
    })
}

/// Whether a header names a time in so many words (`时间`, `time`, `date`), beyond a creation word.
fn header_has_time_word(header: &str) -> bool {
    let lower = header.to_lowercase();
    ["时间", "日期", "time", "date", "timestamp"]
        .iter()
        .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(h: &str) -> Option<Field> {
        candidates(h).first().map(|(f, _)| *f)
    }

    #[test]
    fn the_term_index_finds_what_contains_finds() {
        let slow = |w: &str| {
            TERMS
                .iter()
                .filter(|(t, _)| w.contains(t))
                .fold(Concepts::default(), |a, (_, c)| a | *c)
        };
        let mut words: Vec<String> = TERMS.iter().map(|(t, _)| t.to_string()).collect();
        words.push(TERMS.iter().map(|(t, _)| *t).collect::<String>());
        words.push(TERMS.iter().rev().map(|(t, _)| *t).collect::<String>());
        for w in [
            "付款时间",
            "买家实际支付金额",
            "订单创建日期",
            "省份率",
            "宝贝标题",
            "\u{fffd}\u{fffd}时\u{fffd}间",
            "",
            "时",
        ] {
            words.push(w.to_string());
        }
        for w in &words {
            assert_eq!(term_concepts(w), slow(w), "{w}");
        }
    }

    #[test]
    fn no_known_word_is_longer_than_the_glued_split_looks() {
        let longest = WORDS.iter().map(|(w, _)| w.len()).max().unwrap();
        assert!(longest <= LONGEST_WORD, "{longest}");
    }

    #[test]
    fn a_long_run_of_letters_is_not_split_into_words() {
        // A fuzz finding: a 4,093-letter header cell took seconds when every split of it was
        // looked up (cubic in its length). Now it is not split at all, and a glued header word
        // still reads.
        assert_eq!(concepts(&"a".repeat(100_000)), Concepts::default());
        assert_eq!(concepts(&"q".repeat(40)), Concepts::default());
        assert!(concepts("orderpurchasetimestamp").has(Concepts::TIME));
        assert!(concepts("customerid").has(Concepts::CUSTOMER));
    }

    #[test]
    fn splits_words() {
        assert_eq!(split_words("purchaseTS"), ["purchase", "ts"]);
        assert_eq!(split_words("Order Date (UTC)"), ["order", "date", "utc"]);
        assert_eq!(split_words("付款时间(北京时间)"), ["付款时间", "北京时间"]);
        assert_eq!(split_words("event_timestamp"), ["event", "timestamp"]);
        assert_eq!(split_words("SKUCode"), ["sku", "code"]);
        assert_eq!(split_words("Order #"), ["order", "#"]);
        assert_eq!(split_words("商品ID"), ["商品", "id"]);
    }

    #[test]
    fn times() {
        for h in [
            "order_time",
            "purchase_ts",
            "Order Date",
            "created",
            "付款时间(北京时间)",
            "createdAt",
            "InvoiceDate",
            "order_purchase_timestamp",
        ] {
            assert!(
                matches!(best(h), Some(Field::CreatedTime | Field::PaidTime)),
                "{h}: {:?}",
                candidates(h)
            );
        }
        assert_eq!(best("event_timestamp"), Some(Field::EventTime));
        assert_eq!(best("付款时间(北京时间)"), Some(Field::PaidTime));
        assert_eq!(best("payment_date"), Some(Field::PaidTime));
        assert_eq!(best("shipped_at"), None);
        assert_eq!(best("发货时间"), None);
        assert_eq!(best("updated_at"), None);
    }

    #[test]
    fn amounts_ids_titles() {
        assert_eq!(best("paid_amount"), Some(Field::PaidAmount));
        assert_eq!(best("Order Total"), Some(Field::PaidAmount));
        assert_eq!(best("unit_price"), Some(Field::UnitPrice));
        assert_eq!(best("shipping_cost"), None);
        assert_eq!(best("运费"), None);
        assert_eq!(best("refund_amount"), Some(Field::RefundAmount));
        assert_eq!(best("product_title"), Some(Field::Title));
        assert_eq!(best("item_name"), Some(Field::Title));
        assert_eq!(best("Item Title"), Some(Field::Title));
        assert_eq!(best("customer_id"), Some(Field::CustomerId));
        assert_eq!(best("CustomerID"), Some(Field::CustomerId));
        assert_eq!(best("InvoiceNo"), Some(Field::OrderId));
        assert_eq!(best("Order Number"), Some(Field::OrderId));
        assert_eq!(best("StockCode"), Some(Field::Sku));
        assert_eq!(best("product_id"), Some(Field::ProductId));
        assert_eq!(best("Quantity Ordered"), Some(Field::Quantity));
        assert_eq!(best("anonymous_id"), Some(Field::AnonymousId));
        assert_eq!(best("user_pseudo_id"), Some(Field::AnonymousId));
        assert_eq!(best("event_name"), Some(Field::EventType));
        assert_eq!(best("订单状态"), Some(Field::Status));
        assert_eq!(best("客户编号"), Some(Field::CustomerId));
        assert_eq!(best("商品名称"), Some(Field::Title));
        assert_eq!(best("实付金额(元)"), Some(Field::PaidAmount));
        assert_eq!(best("收货人手机"), None);
    }
}
