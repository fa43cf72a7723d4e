//! Order statuses and behaviour event types, looked up in tables.
//!
//! Both are compared as a normalised key: full-width forms folded to half-width, whitespace and the
//! separators `_ - , 、 / ; ·` removed, ASCII lower-cased. So `买家已付款，等待卖家发货`,
//! `买家已付款,等待卖家发货` and `买家已付款等待卖家发货` are one key, as are `partially_paid` and
//! `Partially Paid`. The key is built in a stack buffer and looked up in a hash map built once:
//! nothing is allocated per cell.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{clean, fold_width, is_missing};
use crate::model::{EventClass, EventType, PayState};

/// What an order status says about payment (DEFINITIONS §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    /// Paid: 交易成功, 买家已付款, 已发货, 等待出库, `paid`, `completed`, `processing`, `Shipped` …
    Paid,
    /// Created but not (yet) paid: 等待买家付款, 待支付, `pending`, `authorized`, `on-hold` …
    Unpaid,
    /// Cancelled before payment, voided or failed: 已取消, (删除)锁定, `voided`, `cancelled`, `failed` …
    Cancelled,
    /// Closed (交易关闭, 已关闭): a paid order only when it has a payment time, because platforms close
    /// both unpaid orders that timed out and paid orders refunded in full.
    ClosedPaidIfPaymentTime,
    /// Refunded after payment (退款成功, 交易关闭(退款), `refunded`, `partially_refunded`): still a paid
    /// order; the refund counts in refunds, not against payment.
    Refunded,
    /// A test order (测试订单, `test`): never counted.
    Test,
}

impl StatusClass {
    /// The order's payment state, given whether the export shows a payment time for it.
    pub fn pay_state(self, has_payment_time: bool) -> PayState {
        match self {
            StatusClass::Paid | StatusClass::Refunded => PayState::Paid,
            StatusClass::Unpaid => PayState::Unpaid,
            StatusClass::ClosedPaidIfPaymentTime if has_payment_time => PayState::Paid,
            StatusClass::ClosedPaidIfPaymentTime | StatusClass::Cancelled | StatusClass::Test => {
                PayState::Cancelled
            }
        }
    }
}

use StatusClass::{Cancelled, ClosedPaidIfPaymentTime as Closed, Paid, Refunded, Test, Unpaid};

/// Statuses as normalised keys (see the module docs). Where platforms share a word they agree on
/// its meaning (`pending` is unpaid on Shopify, WooCommerce and Amazon alike).
const STATUSES: &[(&str, StatusClass)] = &[
    // Taobao / Tmall (订单状态), also used by many ERPs.
    ("交易成功", Paid),
    ("交易完成", Paid),
    ("交易关闭", Closed),
    ("交易关闭(退款)", Refunded),
    ("交易自动关闭", Closed),
    ("交易取消", Cancelled),
    ("订单取消", Cancelled),
    ("付款以后用户退款成功交易自动关闭", Refunded),
    ("付款以前卖家或买家主动关闭交易", Cancelled),
    ("等待买家付款", Unpaid),
    ("买家已付款等待卖家发货", Paid),
    ("买家已付款", Paid),
    ("等待卖家发货", Paid),
    ("卖家已发货等待买家确认收货", Paid),
    ("卖家已发货", Paid),
    ("等待买家确认收货", Paid),
    ("卖家已发货等待买家确认", Paid),
    ("部分发货", Paid),
    ("卖家部分发货", Paid),
    ("退款中", Paid),
    ("退款成功", Refunded),
    ("退款完成", Refunded),
    ("已付款", Paid),
    ("待发货", Paid),
    ("已发货", Paid),
    ("已签收", Paid),
    ("已完成", Paid),
    ("已取消", Cancelled),
    ("待付款", Unpaid),
    // JD (POP 订单状态).
    ("等待付款", Unpaid),
    ("等待付款确认", Unpaid),
    ("等待出库", Paid),
    ("正在出库", Paid),
    ("等待发货", Paid),
    ("等待确认收货", Paid),
    ("等待收货", Paid),
    ("完成", Paid),
    ("(删除)锁定", Cancelled),
    ("锁定", Cancelled),
    ("取消", Cancelled),
    // Pinduoduo.
    ("待支付", Unpaid),
    ("待成团", Paid),
    ("已成团待发货", Paid),
    ("已发货待签收", Paid),
    ("已发货待收货", Paid),
    ("未发货退款成功", Refunded),
    ("已发货退款成功", Refunded),
    ("已签收退款成功", Refunded),
    ("已收货退款成功", Refunded),
    // Douyin 抖店.
    ("备货中", Paid),
    ("已支付", Paid),
    ("待收货", Paid),
    ("已关闭", Closed),
    ("已退款", Refunded),
    ("部分退款", Refunded),
    // Test orders.
    ("测试订单", Test),
    ("测试", Test),
    ("test", Test),
    ("testorder", Test),
    // Shopify Financial Status.
    ("paid", Paid),
    ("pending", Unpaid),
    ("authorized", Unpaid),
    ("partiallypaid", Paid),
    ("partiallyrefunded", Refunded),
    ("refunded", Refunded),
    ("voided", Cancelled),
    ("expired", Cancelled),
    ("unpaid", Unpaid),
    // WooCommerce (also with the `wc-` prefix of its database values).
    ("completed", Paid),
    ("processing", Paid),
    ("onhold", Unpaid),
    ("pendingpayment", Unpaid),
    ("checkoutdraft", Unpaid),
    ("cancelled", Cancelled),
    ("canceled", Cancelled),
    ("failed", Cancelled),
    ("trash", Cancelled),
    // Amazon order-status.
    ("shipped", Paid),
    ("unshipped", Paid),
    ("partiallyshipped", Paid),
    ("shipping", Paid),
    ("shippeddeliveredtobuyer", Paid),
    ("shippedpickedup", Paid),
    ("shippedoutfordelivery", Paid),
    ("shippedreturningtoseller", Paid),
    ("shippedrejectedbybuyer", Paid),
    ("shippedlostintransit", Paid),
    ("shippedundeliverable", Paid),
    ("shippedreturnedtoseller", Refunded),
    ("delivered", Paid),
    ("complete", Paid),
    // BigCommerce.
    ("awaitingpayment", Unpaid),
    ("awaitingfulfillment", Paid),
    ("awaitingshipment", Paid),
    ("awaitingpickup", Paid),
    ("declined", Cancelled),
    ("disputed", Paid),
    ("manualverificationrequired", Unpaid),
    ("incomplete", Unpaid),
    // Magento / Adobe Commerce.
    ("paymentreview", Unpaid),
    ("holded", Paid),
    ("fraud", Cancelled),
    ("suspectedfraud", Cancelled),
    // PrestaShop.
    ("paymentaccepted", Paid),
    ("remotepaymentaccepted", Paid),
    ("processinginprogress", Paid),
    ("preparationinprogress", Paid),
    ("awaitingcheckpayment", Unpaid),
    ("awaitingbankwirepayment", Unpaid),
    ("awaitingcashondeliveryvalidation", Unpaid),
    ("onbackorder(paid)", Paid),
    ("onbackorder(notpaid)", Unpaid),
    ("paymenterror", Cancelled),
    // Shopee, Lazada, TikTok Shop, Mercado Libre.
    ("toship", Paid),
    ("toreceive", Paid),
    ("readytoship", Paid),
    ("inshipping", Paid),
    ("intransit", Paid),
    ("awaitingcollection", Paid),
    ("returnrefund", Refunded),
    ("returned", Refunded),
    ("topay", Unpaid),
    ("awaitingshipmentpaid", Paid),
    ("confirmed", Paid),
    ("paymentinprocess", Unpaid),
    ("paymentrequired", Unpaid),
    // eBay, Etsy, Wix, Squarespace, Square.
    ("paidandshipped", Paid),
    ("fulfilled", Paid),
    ("notfulfilled", Paid),
    ("archived", Paid),
    ("succeeded", Paid),
    ("success", Paid),
    ("successful", Paid),
    ("captured", Paid),
    ("settled", Paid),
    ("approved", Paid),
    ("reversed", Refunded),
    ("chargeback", Refunded),
    ("denied", Cancelled),
    ("void", Cancelled),
    ("abandoned", Unpaid),
    ("requirespaymentmethod", Unpaid),
    ("requiresaction", Unpaid),
    ("requirescapture", Unpaid),
    ("draft", Unpaid),
    // Sales documents of ERPs (Odoo `sale.order` states, NetSuite, SAP B1): a quotation is no
    // sale yet; a confirmed sales order is one.
    ("quotation", Unpaid),
    ("quotationsent", Unpaid),
    ("salesorder", Paid),
    ("pendingapproval", Unpaid),
    ("pendingfulfillment", Paid),
    ("partiallyfulfilled", Paid),
    ("pendingbilling", Paid),
    ("billed", Paid),
    // Indian marketplaces (Meesho, Flipkart): RTO is "return to origin", a parcel refused or
    // undelivered and sent back, so no sale.
    ("rtocomplete", Cancelled),
    ("rtoinitiated", Cancelled),
    ("rtolocked", Cancelled),
    ("rto", Cancelled),
    ("doorstepexchanged", Paid),
    // European shop systems (PrestaShop's default order states in French, Shopware and
    // WooCommerce in German, Mercado Libre and Tiendanube in Spanish, Portuguese). Keys keep their
    // accents (only ASCII is lower-cased).
    ("paiementaccepté", Paid),
    ("paiementàdistanceaccepté", Paid),
    ("encoursdepréparation", Paid),
    ("expédié", Paid),
    ("livré", Paid),
    ("remboursé", Refunded),
    ("remboursementpartiel", Refunded),
    ("annulé", Cancelled),
    ("erreurdepaiement", Cancelled),
    ("enattentedupaiementparvirementbancaire", Unpaid),
    ("enattentedupaiementparchèque", Unpaid),
    ("enattentedepaiementàlalivraison", Unpaid),
    ("enattentedepaiement", Unpaid),
    ("bezahlt", Paid),
    ("versandt", Paid),
    ("abgeschlossen", Paid),
    ("storniert", Cancelled),
    ("erstattet", Refunded),
    ("offen", Unpaid),
    ("pagado", Paid),
    ("pagada", Paid),
    ("entregado", Paid),
    ("entregada", Paid),
    ("enviado", Paid),
    ("encamino", Paid),
    ("cancelado", Cancelled),
    ("cancelada", Cancelled),
    ("canceladaporelcomprador", Cancelled),
    ("canceladaporelvendedor", Cancelled),
    ("reembolsado", Refunded),
    ("devuelto", Refunded),
    ("pendientedepago", Unpaid),
    ("pago", Paid),
    ("aprovado", Paid),
    ("entregue", Paid),
    ("aguardandopagamento", Unpaid),
    // More Chinese shop systems and ERPs (有赞, 微店, 快手, 小红书, 聚水潭, 旺店通, 管易).
    ("发货中", Paid),
    ("待揽收", Paid),
    ("已揽收", Paid),
    ("运输中", Paid),
    ("派送中", Paid),
    ("待签收", Paid),
    ("已收货", Paid),
    ("已成交", Paid),
    ("待配货", Paid),
    ("配货中", Paid),
    ("待审核", Paid),
    ("已审核", Paid),
    ("待出库", Paid),
    ("已出库", Paid),
    ("待打单", Paid),
    ("已打单", Paid),
    ("待使用", Paid),
    ("已使用", Paid),
    ("待核销", Paid),
    ("已核销", Paid),
    ("售后中", Paid),
    ("退货中", Paid),
    ("退款处理中", Paid),
    ("部分退款成功", Refunded),
    ("全部退款", Refunded),
    ("已退货", Refunded),
    ("退货退款成功", Refunded),
    ("待买家付款", Unpaid),
    ("未付款", Unpaid),
    ("未支付", Unpaid),
    ("支付中", Unpaid),
    ("已下单", Unpaid),
    ("已失效", Cancelled),
    ("已作废", Cancelled),
    ("作废", Cancelled),
    ("已撤销", Cancelled),
    ("超时取消", Cancelled),
    ("买家取消", Cancelled),
    ("卖家取消", Cancelled),
    ("交易失败", Cancelled),
    ("支付失败", Cancelled),
];

/// Behaviour event names as normalised keys and what they mean (DEFINITIONS §5), incl. Tianchi's
/// numeric codes 1–4 (pv, fav, cart, buy). Product views and generic page views are kept apart: a
/// page view is the view step only in a log without product views. Any name not here is
/// [`EventClass::Other`]: kept and listed, usable in custom funnels.
const EVENT_NAMES: &[(&str, EventClass)] = &[
    ("pv", EventClass::ProductView),
    ("view", EventClass::ProductView),
    ("productview", EventClass::ProductView),
    ("viewitem", EventClass::ProductView),
    ("productviewed", EventClass::ProductView),
    ("detail", EventClass::ProductView),
    ("viewcontent", EventClass::ProductView),
    ("click", EventClass::ProductView),
    ("浏览", EventClass::ProductView),
    ("点击", EventClass::ProductView),
    ("1", EventClass::ProductView),
    ("pageview", EventClass::PageView),
    ("pageviewed", EventClass::PageView),
    ("screenview", EventClass::PageView),
    ("fav", EventClass::Fav),
    ("favorite", EventClass::Fav),
    ("favourite", EventClass::Fav),
    ("wishlist", EventClass::Fav),
    ("addtowishlist", EventClass::Fav),
    ("收藏", EventClass::Fav),
    ("2", EventClass::Fav),
    ("cart", EventClass::Cart),
    ("addtocart", EventClass::Cart),
    ("productadded", EventClass::Cart),
    ("加购", EventClass::Cart),
    ("加入购物车", EventClass::Cart),
    ("3", EventClass::Cart),
    ("removefromcart", EventClass::RemoveFromCart),
    ("productremoved", EventClass::RemoveFromCart),
    ("移出购物车", EventClass::RemoveFromCart),
    ("checkout", EventClass::Checkout),
    ("begincheckout", EventClass::Checkout),
    ("checkoutstarted", EventClass::Checkout),
    ("initiatecheckout", EventClass::Checkout),
    ("结算", EventClass::Checkout),
    ("buy", EventClass::Purchase),
    ("purchase", EventClass::Purchase),
    ("order", EventClass::Purchase),
    ("ordercompleted", EventClass::Purchase),
    ("transaction", EventClass::Purchase),
    ("购买", EventClass::Purchase),
    ("下单", EventClass::Purchase),
    ("支付", EventClass::Purchase),
    ("4", EventClass::Purchase),
];

/// Bytes of the longest key worth building; longer text matches no table entry.
const KEY_CAPACITY: usize = 64;

/// Characters that carry no meaning in a status or event name (after width folding).
fn is_ignored(c: char) -> bool {
    c.is_whitespace() || matches!(c, '_' | '-' | ',' | '、' | '/' | ';' | '·')
}

/// The normalised key of `text` in `buf`; `None` when longer than [`KEY_CAPACITY`].
fn normalize_key<'b>(text: &str, buf: &'b mut [u8; KEY_CAPACITY]) -> Option<&'b str> {
    let mut len = 0;
    for c in text.chars().map(fold_width).filter(|&c| !is_ignored(c)) {
        let c = c.to_ascii_lowercase();
        let end = len + c.len_utf8();
        if end > KEY_CAPACITY {
            return None;
        }
        c.encode_utf8(&mut buf[len..end]);
        len = end;
    }
    std::str::from_utf8(&buf[..len]).ok()
}

/// A table as a hash map, built once on first use (the status table is long enough for a linear
/// scan to dominate the cost of a cell).
type Index<T> = FxHashMap<&'static str, T>;

fn status_index() -> &'static Index<StatusClass> {
    static INDEX: OnceLock<Index<StatusClass>> = OnceLock::new();
    INDEX.get_or_init(|| STATUSES.iter().copied().collect())
}

fn event_name_index() -> &'static Index<EventClass> {
    static INDEX: OnceLock<Index<EventClass>> = OnceLock::new();
    INDEX.get_or_init(|| EVENT_NAMES.iter().copied().collect())
}

/// Classifies an order status of any supported platform; `None` when missing or unknown (ingest then
/// relies on the payment time alone and reports the unknown values).
///
/// Chinese statuses of Taobao/Tmall, JD, Pinduoduo and Douyin; Shopify financial status; WooCommerce
/// order status (with or without `wc-`); Amazon order-status. Full-width punctuation, whitespace,
/// separators and case do not matter (see the module docs).
pub fn classify_status(raw: &str) -> Option<StatusClass> {
    let s = clean(raw);
    if is_missing(s) {
        return None;
    }
    let mut buf = [0u8; KEY_CAPACITY];
    let key = normalize_key(s, &mut buf)?;
    let index = status_index();
    let found = index
        .get(key)
        .or_else(|| index.get(key.strip_prefix("wc")?));
    found.copied()
}

/// What a behaviour event name means (DEFINITIONS §5): `pv`/`view`/`product_view`/`view_item`/
/// `Product Viewed`/浏览 are product views, `page_view`/`Page Viewed`/`screen_view` page views,
/// `fav`/`wishlist`/收藏, `cart`/`add_to_cart`/`Product Added`/加购, `remove_from_cart`,
/// `checkout`/`begin_checkout`/`Checkout Started`/结算, `buy`/`purchase`/`Order Completed`/支付/下单,
/// and Tianchi's codes `1`–`4` (pv, fav, cart, buy). Case, spaces, `_` and `-` do not matter.
/// `None` for a blank name; [`EventClass::Other`] for any other name.
pub fn event_class(raw: &str) -> Option<EventClass> {
    let s = clean(raw);
    if is_missing(s) {
        return None;
    }
    let mut buf = [0u8; KEY_CAPACITY];
    let class = normalize_key(s, &mut buf).and_then(|key| event_name_index().get(key));
    Some(class.copied().unwrap_or(EventClass::Other))
}

/// The canonical meaning of a behaviour event name, product and page views both being views
/// (see [`event_class`]); `None` when blank or another name.
pub fn parse_event_type(raw: &str) -> Option<EventType> {
    event_class(raw)?.meaning(false)
}

/// The key event names are matched by in custom funnel steps: case, width, spaces, `_` and `-`
/// folded away (as in [`event_class`]); the cleaned name itself when too long for a key.
pub fn event_name_key(raw: &str) -> String {
    let s = clean(raw);
    let mut buf = [0u8; KEY_CAPACITY];
    match normalize_key(s, &mut buf) {
        Some(key) => key.to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests;
