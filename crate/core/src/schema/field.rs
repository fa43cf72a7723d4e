//! Column roles and the header-synonym table.
//!
//! Headers are compared after [`normalize_header`](super::value::normalize_header): whitespace and
//! separators removed, full-width forms folded to half-width, ASCII lower-cased. The synonyms below are
//! written in that normalised form. Platforms rename columns between versions and users edit them in
//! Excel, so recognition never relies on position or one exact header line.

use serde::{Deserialize, Serialize};

/// The role a column plays. One table ([`SYNONYMS`]) maps header names to roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    // Orders
    OrderId,
    /// Sub-order / line id (子订单编号): rows carrying one are line items with line-level amounts.
    LineId,
    CustomerId,
    CreatedTime,
    PaidTime,
    Status,
    /// Amount the buyer paid for the order (买家实际支付金额 / Total), counted once per order.
    PaidAmount,
    RefundAmount,
    Shop,
    /// Channel or traffic source of the order (订单来源, 流量来源, Source, Referring Site, utm_source):
    /// a breakdown dimension (DEFINITIONS §10).
    Channel,
    /// Province / state of the buyer (省份, Billing Province, ship-state): a breakdown dimension.
    Region,
    /// A full address (收货地址): its first word is the province (`福建省 厦门市 …` → 福建省), read
    /// where the export has no province column of its own.
    Address,
    /// Country of the buyer (Billing Country, ship-country): the region where no province is given.
    Country,
    /// Shopify's `Landing Site` (`/products/x?utm_source=google`): its `utm_source` is the channel
    /// where the export has no channel column of its own.
    LandingSite,
    /// ISO currency of the amounts (Shopify `Currency`, Amazon `currency`).
    Currency,
    // Lines / products
    ProductId,
    Sku,
    Title,
    Category,
    Brand,
    Quantity,
    UnitPrice,
    /// Amount of one line (line total, or the sub-order's paid amount).
    LineAmount,
    /// WooCommerce Analytics packs all lines into one cell: `2× A, 1× B`.
    PackedItems,
    Cost,
    Stock,
    /// A line's own refund (a line-level export's refund column, summed over the order's lines).
    LineRefund,
    // Events
    UserId,
    /// An always-filled anonymous/device id beside a signed-in user id that is blank for guests
    /// (Segment `anonymous_id`, GA4 `user_pseudo_id`): the funnel's user when it is (DEFINITIONS §5).
    AnonymousId,
    EventType,
    EventTime,
    Price,
    /// The experiment group an event's user was in (variant, variation, arm, 实验组): the A/B
    /// readout's groups (DEFINITIONS §9). Read in behaviour logs only.
    Variant,
    /// The experiment (test, flag) the variant belongs to (experiment_id, flag_key, 实验名称): a log
    /// of several experiments names each group `experiment / variant`.
    Experiment,
    // Traffic / ads (per row of an aggregate export)
    Date,
    Visitors,
    PageViews,
    FavUsers,
    CartUsers,
    Buyers,
    Units,
    SalesAmount,
    Campaign,
    Impressions,
    Clicks,
    Spend,
    AdSales,
    AdOrders,
}

impl Field {
    pub fn code(self) -> &'static str {
        FIELD_CODES
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, c)| *c)
            .unwrap_or("unknown")
    }
    pub fn from_code(code: &str) -> Option<Field> {
        FIELD_CODES
            .iter()
            .find(|(_, c)| *c == code)
            .map(|(f, _)| *f)
    }
    pub fn all() -> impl Iterator<Item = Field> {
        FIELD_CODES.iter().map(|(f, _)| *f)
    }
}

const FIELD_CODES: &[(Field, &str)] = &[
    (Field::OrderId, "order_id"),
    (Field::LineId, "line_id"),
    (Field::CustomerId, "customer_id"),
    (Field::CreatedTime, "created_time"),
    (Field::PaidTime, "paid_time"),
    (Field::Status, "status"),
    (Field::PaidAmount, "paid_amount"),
    (Field::RefundAmount, "refund_amount"),
    (Field::Shop, "shop"),
    (Field::Channel, "channel"),
    (Field::Region, "region"),
    (Field::Address, "address"),
    (Field::Country, "country"),
    (Field::LandingSite, "landing_site"),
    (Field::Currency, "currency"),
    (Field::ProductId, "product_id"),
    (Field::Sku, "sku"),
    (Field::Title, "title"),
    (Field::Category, "category"),
    (Field::Brand, "brand"),
    (Field::Quantity, "quantity"),
    (Field::UnitPrice, "unit_price"),
    (Field::LineAmount, "line_amount"),
    (Field::PackedItems, "packed_items"),
    (Field::Cost, "cost"),
    (Field::Stock, "stock"),
    (Field::LineRefund, "line_refund"),
    (Field::UserId, "user_id"),
    (Field::AnonymousId, "anonymous_id"),
    (Field::EventType, "event_type"),
    (Field::EventTime, "event_time"),
    (Field::Price, "price"),
    (Field::Variant, "variant"),
    (Field::Experiment, "experiment"),
    (Field::Date, "date"),
    (Field::Visitors, "visitors"),
    (Field::PageViews, "page_views"),
    (Field::FavUsers, "fav_users"),
    (Field::CartUsers, "cart_users"),
    (Field::Buyers, "buyers"),
    (Field::Units, "units"),
    (Field::SalesAmount, "sales_amount"),
    (Field::Campaign, "campaign"),
    (Field::Impressions, "impressions"),
    (Field::Clicks, "clicks"),
    (Field::Spend, "spend"),
    (Field::AdSales, "ad_sales"),
    (Field::AdOrders, "ad_orders"),
];

/// Header synonyms (normalised), by role. The first role listing a header wins, so a header that
/// means different things in different exports is listed once, under its commonest meaning; the
/// recogniser then re-reads it by the export kind (see `recognize::adjust_for_kind`).
pub const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::OrderId,
        &[
            "订单编号",
            "订单号",
            "主订单编号",
            "主订单号",
            "订单id",
            "父订单编号",
            "name",
            "order#",
            "orderid",
            "ordernumber",
            "order",
            "amazonorderid",
            "order_id",
            "incrementid",
            "docnum",
            "orderno",
            "交易编号",
        ],
    ),
    (
        Field::LineId,
        &["子订单编号", "子订单号", "子订单id", "lineitemid"],
    ),
    (
        Field::CustomerId,
        &[
            "买家会员名",
            "买家账号",
            "买家id",
            "买家昵称",
            "下单帐号",
            "下单账号",
            "用户id",
            "会员名",
            "customerid",
            "customer_id",
            "customeremail",
            "email",
            "buyeremail",
            "buyerid",
            "billingemail",
            "cardcode",
            "买家支付宝账号",
        ],
    ),
    (
        Field::CreatedTime,
        &[
            "订单创建时间",
            "创建时间",
            "下单时间",
            "订单提交时间",
            "提交时间",
            "createdat",
            "orderdate",
            "purchasedate",
            "date",
            "orderdatetime",
            "ordercreated",
            "成交时间",
        ],
    ),
    (
        Field::PaidTime,
        &[
            "订单付款时间",
            "付款时间",
            "支付时间",
            "付款确认时间",
            "支付完成时间",
            "paidat",
            "paiddate",
            "paymentdate",
            "datepaid",
        ],
    ),
    (
        Field::Status,
        &[
            "订单状态",
            "交易状态",
            "状态",
            "financialstatus",
            "orderstatus",
            "status",
            "order-status",
        ],
    ),
    (
        Field::PaidAmount,
        &[
            "买家实际支付金额",
            "买家实付金额",
            "实付金额",
            "用户实付金额(元)",
            "用户实付金额",
            "实收金额",
            "订单实际金额(元)",
            "订单实际金额",
            "订单金额",
            "订单应付金额",
            "应付金额",
            "支付金额",
            "totalcollected",
            "total",
            "ordertotal",
            "ordertotalamount",
            "paidamount",
            "paid_amount",
            "amount",
            "netsales",
            "totalamount",
            "成交金额",
        ],
    ),
    (
        Field::RefundAmount,
        &[
            "退款金额",
            "成功退款金额",
            "退款金额(元)",
            "refundedamount",
            "refundamount",
            "refund",
            "refunds",
            "售后退款金额",
        ],
    ),
    (
        Field::Currency,
        &["currency", "币种", "货币", "currencycode"],
    ),
    (
        Field::Shop,
        &[
            "店铺名称",
            "店铺",
            "shop",
            "store",
            "storename",
            "saleschannel",
        ],
    ),
    (
        Field::Channel,
        &[
            "订单来源",
            "流量来源",
            "来源渠道",
            "渠道",
            "销售渠道",
            "成交渠道",
            "下单渠道",
            "订单渠道",
            "source",
            "referringsite",
            "utmsource",
            "trafficsource",
            "channel",
            "orderchannel",
        ],
    ),
    (
        Field::Region,
        &[
            "收货人省份",
            "收货省份",
            "省份",
            "省",
            "所在省份",
            "收件省",
            "收货地区",
            "收货人地区",
            "billingprovince",
            "shippingprovince",
            "billingprovincename",
            "shippingprovincename",
            "billingstate",
            "shippingstate",
            "shipstate",
            "province",
            "buyerstate",
            "customerstate",
            "deliverystate",
            "deliverystatename",
        ],
    ),
    (Field::Address, &["收货地址", "收件地址", "收货人地址"]),
    (
        Field::Country,
        &[
            "billingcountry",
            "shippingcountry",
            "shipcountry",
            "buyercountry",
            "deliverycountry",
            "country",
            "国家",
            "收货国家",
        ],
    ),
    (
        Field::LandingSite,
        &["landingsite", "landingpage", "landingsiteref"],
    ),
    (
        Field::ProductId,
        &[
            "商品id",
            "宝贝id",
            "商品编号",
            "productid",
            "product_id",
            "asin",
            "(child)asin",
            "itemid",
            "item_id",
            "商品id(sku)",
        ],
    ),
    (
        Field::Sku,
        &[
            "商家编码",
            "商家编码-sku维度",
            "商家sku",
            "商家skuid",
            "sku编码",
            "外部系统编号",
            "lineitemsku",
            "sku",
            "variantsku",
            "规格编码",
            "itemcode",
            "internalreference",
            "customlabel",
            "商品编码",
            "货号",
        ],
    ),
    (
        Field::Title,
        &[
            "宝贝标题",
            "商品标题",
            "标题",
            "商品名称",
            "商品",
            "选购商品",
            "宝贝名称",
            "lineitemname",
            "productname",
            "itemname",
            "title",
            "product",
            "商品名",
        ],
    ),
    (
        Field::Category,
        &[
            "类目",
            "商品类目",
            "类目名称",
            "一级类目",
            "category",
            "categorycode",
            "category_code",
            "categories",
            "producttype",
            "category_id",
            "categoryid",
            "type",
            "productcategory",
        ],
    ),
    (Field::Brand, &["品牌", "brand", "vendor"]),
    (
        Field::Quantity,
        &[
            "购买数量",
            "宝贝总数量",
            "商品数量",
            "商品数量(件)",
            "订购数量",
            "数量",
            "lineitemquantity",
            "quantity",
            "itemssold",
            "qty",
            "quantitypurchased",
        ],
    ),
    (
        Field::UnitPrice,
        &[
            "价格",
            "商品价格",
            "商品单价",
            "单价",
            "京东价",
            "lineitemprice",
            "soldfor",
            "itemcost",
            "unitprice",
            "售价",
            "variantprice",
        ],
    ),
    (
        Field::LineAmount,
        &[
            "商品总价(元)",
            "商品总价",
            "小计",
            "lineitemtotal",
            "itemprice",
            "linetotal",
            "itemtotal",
        ],
    ),
    (Field::PackedItems, &["product(s)", "products"]),
    (
        Field::Cost,
        &[
            "成本价",
            "成本",
            "采购价",
            "costperitem",
            "cost",
            "unitcost",
        ],
    ),
    (
        Field::Stock,
        &[
            "可用库存",
            "库存",
            "库存数量",
            "实际库存",
            "variantinventoryqty",
            "inventory",
            "stock",
            "inventoryquantity",
            "available",
        ],
    ),
    (Field::UserId, &["user_id", "userid", "uid", "visitorid"]),
    (
        Field::AnonymousId,
        &[
            "anonymousid",
            "userpseudoid",
            "deviceid",
            "distinctid",
            "fullvisitorid",
            "domainuserid",
            "cookieid",
            "clientid",
        ],
    ),
    (
        Field::EventType,
        &[
            "behavior_type",
            "behaviortype",
            "event_type",
            "eventtype",
            "行为类型",
            "event",
        ],
    ),
    (
        Field::EventTime,
        &["timestamp", "event_time", "eventtime", "行为时间", "time"],
    ),
    (Field::Price, &["price"]),
    (
        Field::Date,
        &[
            "统计日期",
            "日期",
            "day",
            "reportdate",
            "reportingstarts",
            "docdate",
            "statdate",
            "数据日期",
        ],
    ),
    (
        Field::Visitors,
        &[
            "访客数",
            "商品访客数",
            "店铺访客数",
            "uv",
            "sessions",
            "sessions-total",
            "visitors",
        ],
    ),
    (
        Field::PageViews,
        &["浏览量", "商品浏览量", "pv", "pageviews", "pageviews-total"],
    ),
    (Field::FavUsers, &["商品收藏人数", "收藏人数", "收藏买家数"]),
    (Field::CartUsers, &["加购人数", "商品加购人数"]),
    (Field::Buyers, &["支付买家数", "成交人数", "买家数"]),
    (Field::Units, &["支付件数", "unitsordered", "成交件数"]),
    (Field::SalesAmount, &["orderedproductsales", "支付金额(元)"]),
    (
        Field::Campaign,
        &["计划名称", "推广计划", "campaignname", "campaign"],
    ),
    (Field::Impressions, &["展现量", "曝光量", "impressions"]),
    (Field::Clicks, &["点击量", "clicks", "点击数"]),
    (
        Field::Spend,
        &["花费", "消耗", "spend", "cost(spend)", "总花费"],
    ),
    (
        Field::AdSales,
        &[
            "总成交金额",
            "7daytotalsales",
            "14daytotalsales",
            "sales",
            "7daytotalsales($)",
            "attributedsales",
        ],
    ),
    (
        Field::AdOrders,
        &[
            "总成交笔数",
            "7daytotalorders(#)",
            "7daytotalorders",
            "orders",
            "成交笔数",
        ],
    ),
    // ---- Experiment groups (A/B, DEFINITIONS §9): a block of its own, kept apart to ease merging.
    // Header names as the tools export them:
    // - Optimizely Experimentation Events Export / BigQuery `decisions`: `experiment_id`,
    //   `variation_id`, `campaign_id`, `visitor_id` (docs.developers.optimizely.com, "BigQuery data
    //   specification"; Fivetran's Optimizely `decision` table);
    // - GrowthBook `experiment_viewed` (Segment/Rudderstack schema): `experiment_id`, `variation_id`;
    //   its trackers send `experimentId`, `variantId` / `variationId` (docs.growthbook.io/event-trackers);
    // - Statsig `first_exposures_report`: `experiment_group`, `name`, `unit_id`, `first_exposure_utc`
    //   (Fivetran's Statsig schema); custom exposures `experimentName`, `group`; `groupName`;
    // - Amplitude Experiment `$exposure` / `[Experiment] Exposure` events: `flag_key`, `variant`,
    //   `experiment_key`; the user property `[Experiment] <flag key>` (amplitude.com/docs, "Event tracking");
    // - PostHog: `$feature_flag_called` with `$feature_flag` and `$feature_flag_response`; the event
    //   property `$feature/<flag key>` holding the variant (posthog.com/docs, "Exposures");
    // - Segment / Customer.io "Experiment Viewed": `experiment_id`, `experiment_name`, `variation_id`,
    //   `variation_name`, `variant_id`, `variant_name`; LaunchDarkly: `flag_key`, `variation_id`;
    // - hand-made sheets: `ab_group`, `test_group`, `group`, `bucket`, 实验组, 分组, 实验分组.
    // `variation_id` / `variant_id` stay product variants (WooCommerce line items, Shopify `variant_id`)
    // outside behaviour logs: `recognize::experiment` re-reads them in a log only.
    (
        Field::Variant,
        &[
            "variant",
            "variation",
            "variantname",
            "variationname",
            "variationkey",
            "variantkey",
            "abgroup",
            "abtestgroup",
            "ab",
            "abtest",
            "testgroup",
            "experimentgroup",
            "experimentvariant",
            "experimentvariation",
            "experimentarm",
            "treatment",
            "treatmentgroup",
            "arm",
            "group",
            "groupname",
            "bucket",
            "$featureflagresponse",
            "实验组",
            "分组",
            "实验分组",
            "实验版本",
            "实验组别",
            "组别",
            "分桶",
            "实验桶",
            "ab分组",
            "ab组",
            "ab实验组",
            "测试组",
        ],
    ),
    (
        Field::Experiment,
        &[
            "experiment",
            "experimentid",
            "experimentname",
            "experimentkey",
            "flagkey",
            "featureflag",
            "$featureflag",
            "实验",
            "实验名称",
            "实验名",
            "实验id",
            "实验编号",
        ],
    ),
];
