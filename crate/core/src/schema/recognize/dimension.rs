//! Breakdown dimensions from the words of a header (DEFINITIONS §10): a channel or traffic source
//! (`Traffic Source`, `referrer`, `utm source`, `订单来源`, `流量来源`), a region (`Ship State`,
//! `Customer Province`, `收货人省份`) and a country (`Buyer Country`, `geo_country`).
//!
//! Read before the word rules of [`super::words`], which take addresses, and a bare `state`, for
//! no role (`Order State` is a status, `Address Line 1` no figure the analyses read). A place word
//! counts only with a word that makes it the buyer's (`ship`, `billing`, `buyer` …) or on its own
//! as `province`, `region`, `country`; a source word not beside a fulfilment word (Amazon's
//! `fulfillment-channel` is AFN/MFN, not where a buyer came from) and never as an id.

use super::words::split_words;
use crate::schema::field::Field;

/// Words that make a place word the buyer's.
const WHOSE: &[&str] = &[
    "ship",
    "shipping",
    "billing",
    "bill",
    "buyer",
    "customer",
    "delivery",
    "recipient",
];

/// A channel, region or country reading of `header`, with its score (below an exact synonym's 1.0).
pub fn dimension_reading(header: &str) -> Option<(Field, f32)> {
    let words = split_words(header);
    let has = |w: &str| words.iter().any(|x| x == w);
    let any = |ws: &[&str]| ws.iter().any(|w| has(w));
    let idish = any(&["id", "ids", "code", "no", "number", "key"]);
    // Chinese words are looked for only in a header that has any non-ASCII character.
    let wide = !header.is_ascii();
    let chinese = |w: &str| wide && header.contains(w);
    if chinese("省份") || chinese("收货地区") || chinese("收货人地区") {
        return Some((Field::Region, 0.8));
    }
    if (chinese("来源") || chinese("渠道")) && !chinese("来源地") && !chinese("编号") {
        return Some((Field::Channel, 0.7));
    }
    if idish {
        return None;
    }
    if has("province") || has("region") && words.len() <= 2 || has("state") && any(WHOSE) {
        return Some((Field::Region, 0.8));
    }
    if has("country") && (words.len() == 1 || any(WHOSE) || has("geo")) {
        return Some((Field::Country, 0.75));
    }
    let fulfilment = any(&[
        "fulfillment",
        "fulfilment",
        "shipping",
        "config",
        "inventory",
    ]);
    if !fulfilment
        && any(&[
            "source",
            "referrer",
            "referring",
            "referral",
            "utm",
            "channel",
        ])
    {
        return Some((Field::Channel, 0.7));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_regions_countries() {
        for h in [
            "Traffic Source",
            "referrer",
            "utm_source",
            "订单来源",
            "流量来源",
            "销售渠道",
        ] {
            assert_eq!(
                dimension_reading(h).map(|r| r.0),
                Some(Field::Channel),
                "{h}"
            );
        }
        for h in [
            "Ship State",
            "Customer State",
            "Billing Province",
            "收货人省份",
            "Region",
        ] {
            assert_eq!(
                dimension_reading(h).map(|r| r.0),
                Some(Field::Region),
                "{h}"
            );
        }
        for h in ["Buyer Country", "Ship Country", "geo_country", "Country"] {
            assert_eq!(
                dimension_reading(h).map(|r| r.0),
                Some(Field::Country),
                "{h}"
            );
        }
        for h in [
            "Order State",
            "State",
            "fulfillment-channel",
            "sales_channel_id",
            "Shipping Config SOurce",
            "交易来源地",
            "来源组合装编号",
            "Address Line 1",
        ] {
            assert_eq!(dimension_reading(h), None, "{h}");
        }
    }

    /// Whole headers as exports write them: each dimension column takes its role, and the order
    /// columns beside it keep theirs.
    #[test]
    fn export_headers_take_the_dimension_roles() {
        use crate::model::DatasetKind;
        use crate::schema::recognize::recognize;
        use rustc_hash::FxHashMap;
        let role = |headers: &[&str], header: &str| {
            let r = recognize(headers, &FxHashMap::default(), None).expect("recognised");
            assert!(matches!(
                r.kind,
                DatasetKind::Orders | DatasetKind::OrderLines
            ));
            r.columns
                .iter()
                .find(|c| c.header == header && c.duplicate_of.is_none())
                .and_then(|c| c.field)
        };
        let taobao = [
            "订单编号",
            "买家会员名",
            "买家实际支付金额",
            "订单状态",
            "收货地址 ",
            "订单创建时间",
            "订单付款时间 ",
            "店铺名称",
        ];
        assert_eq!(role(&taobao, "收货地址"), Some(Field::Address));
        assert_eq!(role(&taobao, "买家实际支付金额"), Some(Field::PaidAmount));
        let shopify = [
            "Name",
            "Email",
            "Financial Status",
            "Paid at",
            "Total",
            "Created at",
            "Lineitem quantity",
            "Lineitem name",
            "Billing Province",
            "Billing Country",
            "Shipping Province",
            "Source",
            "Referring Site",
            "Landing Site",
        ];
        assert_eq!(role(&shopify, "Billing Province"), Some(Field::Region));
        assert_eq!(role(&shopify, "Billing Country"), Some(Field::Country));
        assert_eq!(role(&shopify, "Source"), Some(Field::Channel));
        assert_eq!(role(&shopify, "Landing Site"), Some(Field::LandingSite));
        assert_eq!(role(&shopify, "Total"), Some(Field::PaidAmount));
        let douyin = [
            "主订单编号",
            "订单应付金额",
            "支付完成时间",
            "省",
            "流量来源",
        ];
        assert_eq!(role(&douyin, "省"), Some(Field::Region));
        assert_eq!(role(&douyin, "流量来源"), Some(Field::Channel));
        let amazon = [
            "amazon-order-id",
            "purchase-date",
            "item-price",
            "fulfillment-channel",
            "sales-channel",
            "ship-state",
            "ship-country",
        ];
        assert_eq!(role(&amazon, "ship-state"), Some(Field::Region));
        assert_eq!(role(&amazon, "ship-country"), Some(Field::Country));
        assert_eq!(role(&amazon, "fulfillment-channel"), None);
    }
}
