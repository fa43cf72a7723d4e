use super::*;
use proptest::prelude::*;

#[test]
fn statuses_as_platforms_write_them() {
    let cases: &[(&str, StatusClass)] = &[
        // Taobao / Tmall.
        ("交易成功", Paid),
        ("交易关闭", Closed),
        ("交易关闭(退款)", Refunded),
        ("交易关闭（退款）", Refunded),
        ("等待买家付款", Unpaid),
        ("买家已付款，等待卖家发货", Paid),
        ("买家已付款,等待卖家发货", Paid),
        ("买家已付款等待卖家发货", Paid),
        ("买家已付款 等待卖家发货", Paid),
        ("买家已付款/等待卖家发货", Paid),
        ("卖家已发货，等待买家确认收货", Paid),
        ("卖家已发货,等待买家确认收货", Paid),
        ("等待买家确认收货", Paid),
        ("部分发货", Paid),
        ("卖家已发货，等待买家确认", Paid),
        ("付款以后用户退款成功，交易自动关闭", Refunded),
        ("付款以前，卖家或买家主动关闭交易", Cancelled),
        ("已付款", Paid),
        ("待发货", Paid),
        ("已发货", Paid),
        ("已签收", Paid),
        ("已完成", Paid),
        ("已取消", Cancelled),
        ("待付款", Unpaid),
        ("退款成功", Refunded),
        // JD.
        ("等待出库", Paid),
        ("等待确认收货", Paid),
        ("完成", Paid),
        ("(删除)锁定", Cancelled),
        ("（删除）锁定", Cancelled),
        ("锁定", Cancelled),
        ("等待付款", Unpaid),
        // Pinduoduo.
        ("已发货，待签收", Paid),
        ("已发货,待收货", Paid),
        ("未发货，退款成功", Refunded),
        ("已签收，退款成功", Refunded),
        ("待成团", Paid),
        // Douyin.
        ("待支付", Unpaid),
        ("备货中", Paid),
        ("已关闭", Closed),
        // Shopify financial status.
        ("paid", Paid),
        ("PAID", Paid),
        ("pending", Unpaid),
        ("authorized", Unpaid),
        ("partially_paid", Paid),
        ("Partially paid", Paid),
        ("partially_refunded", Refunded),
        ("refunded", Refunded),
        ("voided", Cancelled),
        // WooCommerce.
        ("completed", Paid),
        ("Completed", Paid),
        ("processing", Paid),
        ("on-hold", Unpaid),
        ("On hold", Unpaid),
        ("Pending payment", Unpaid),
        ("cancelled", Cancelled),
        ("failed", Cancelled),
        ("trash", Cancelled),
        ("wc-completed", Paid),
        ("wc-on-hold", Unpaid),
        ("wc-refunded", Refunded),
        // Amazon order-status.
        ("Shipped", Paid),
        ("Pending", Unpaid),
        ("Unshipped", Paid),
        ("Cancelled", Cancelled),
        ("Canceled", Cancelled),
        ("Shipping", Paid),
        ("PartiallyShipped", Paid),
        ("Shipped - Delivered to Buyer", Paid),
        ("Shipped - Returned to Seller", Refunded),
        // Tests and wrappers.
        ("测试订单", Test),
        ("=\"交易成功\"", Paid),
        ("\u{3000}交易成功\t", Paid),
        ("ＰＡＩＤ", Paid),
    ];
    for &(raw, class) in cases {
        assert_eq!(
            classify_status(raw),
            Some(class),
            "classify_status({raw:?})"
        );
    }
    let too_long = "交易成功".repeat(20);
    for raw in [
        "",
        "-",
        "--",
        "交易",
        "foo",
        "wc-foo",
        "wc",
        "paid!",
        too_long.as_str(),
    ] {
        assert_eq!(classify_status(raw), None, "classify_status({raw:?})");
    }
}

#[test]
fn every_table_entry_is_reachable_and_distinct() {
    for tables in [
        STATUSES.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        EVENT_NAMES.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
    ] {
        for (i, key) in tables.iter().enumerate() {
            let mut buf = [0u8; KEY_CAPACITY];
            assert_eq!(
                normalize_key(key, &mut buf),
                Some(*key),
                "{key:?} is not normalised"
            );
            assert!(!tables[..i].contains(key), "{key:?} is listed twice");
        }
    }
    for &(key, class) in STATUSES {
        assert_eq!(classify_status(key), Some(class), "{key:?}");
    }
    for &(key, class) in EVENT_NAMES {
        assert_eq!(event_class(key), Some(class), "{key:?}");
    }
}

#[test]
fn status_classes_map_to_pay_states() {
    // DEFINITIONS §1: refunds after payment do not make an order unpaid; 交易关闭 is paid only with a
    // payment time; test orders are never paid.
    let cases = [
        (Paid, false, PayState::Paid),
        (Refunded, false, PayState::Paid),
        (Unpaid, true, PayState::Unpaid),
        (Cancelled, true, PayState::Cancelled),
        (Closed, true, PayState::Paid),
        (Closed, false, PayState::Cancelled),
        (Test, true, PayState::Cancelled),
    ];
    for (class, has_payment_time, state) in cases {
        assert_eq!(
            class.pay_state(has_payment_time),
            state,
            "{class:?}, {has_payment_time}"
        );
    }
    assert_eq!(
        serde_json::to_string(&Closed).unwrap(),
        "\"closed_paid_if_payment_time\""
    );
}

#[test]
fn event_types() {
    let cases: &[(&str, EventType)] = &[
        ("pv", EventType::View),
        ("PV", EventType::View),
        ("view", EventType::View),
        ("page_view", EventType::View),
        ("浏览", EventType::View),
        ("点击", EventType::View),
        ("1", EventType::View),
        ("fav", EventType::Fav),
        ("favorite", EventType::Fav),
        ("收藏", EventType::Fav),
        ("2", EventType::Fav),
        ("cart", EventType::Cart),
        ("add_to_cart", EventType::Cart),
        ("加购", EventType::Cart),
        ("加入购物车", EventType::Cart),
        ("3", EventType::Cart),
        ("remove_from_cart", EventType::RemoveFromCart),
        ("buy", EventType::Purchase),
        ("purchase", EventType::Purchase),
        ("order", EventType::Purchase),
        ("购买", EventType::Purchase),
        ("下单", EventType::Purchase),
        ("支付", EventType::Purchase),
        ("4", EventType::Purchase),
        (" \"Buy\" ", EventType::Purchase),
    ];
    for &(raw, kind) in cases {
        assert_eq!(
            parse_event_type(raw),
            Some(kind),
            "parse_event_type({raw:?})"
        );
    }
    for raw in ["", "-", "5", "0", "views", "unknown"] {
        assert_eq!(parse_event_type(raw), None, "parse_event_type({raw:?})");
    }
}

/// DEFINITIONS §5's vocabulary: site, GA4, Segment, Meta-pixel and Chinese names.
#[test]
fn event_names_of_any_vocabulary() {
    use EventClass::*;
    let cases: &[(&str, EventClass)] = &[
        ("product_view", ProductView),
        ("view_item", ProductView),
        ("Product Viewed", ProductView),
        ("detail", ProductView),
        ("ViewContent", ProductView),
        ("PRODUCT-VIEW", ProductView),
        ("page_view", PageView),
        ("Page Viewed", PageView),
        ("Page View", PageView),
        ("pageview", PageView),
        ("screen_view", PageView),
        ("add_to_wishlist", Fav),
        ("Product Added", Cart),
        ("addtocart", Cart),
        ("remove_from_cart", RemoveFromCart),
        ("checkout", Checkout),
        ("begin_checkout", Checkout),
        ("Checkout Started", Checkout),
        ("InitiateCheckout", Checkout),
        ("结算", Checkout),
        ("order_completed", Purchase),
        ("Order Completed", Purchase),
        ("transaction", Purchase),
        ("1", ProductView),
        ("4", Purchase),
        ("home", Other),
        ("search", Other),
        ("login", Other),
        ("5", Other),
    ];
    for &(raw, class) in cases {
        assert_eq!(event_class(raw), Some(class), "event_class({raw:?})");
    }
    for raw in ["", " ", "-", "null"] {
        assert_eq!(event_class(raw), None, "event_class({raw:?})");
    }
    // A page view is a view only where the log has no product views.
    assert_eq!(PageView.meaning(false), Some(EventType::View));
    assert_eq!(PageView.meaning(true), None);
    assert_eq!(ProductView.meaning(true), Some(EventType::View));
    assert_eq!(Other.meaning(false), None);
    assert_eq!(event_name_key(" Add To-Cart "), "addtocart");
}

/// Naive reference normalisation with `String`s: fold, drop, lower-case.
fn naive_key(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c as u32 {
            0xff01..=0xff5e => char::from_u32(c as u32 - 0xfee0).unwrap(),
            0x3000 => ' ',
            _ => c,
        })
        .collect();
    folded
        .chars()
        .filter(|c| !c.is_whitespace() && !"_-,、/;·".contains(*c))
        .collect::<String>()
        .to_ascii_lowercase()
}

proptest! {
    #[test]
    fn normalised_keys_match_reference(text in "[a-zA-Z_ ,，、/\\-（）()交易成功退款\u{3000}]{0,14}") {
        let mut buf = [0u8; KEY_CAPACITY];
        let want = naive_key(&text);
        prop_assert_eq!(normalize_key(&text, &mut buf), Some(want.as_str()));
    }

    #[test]
    fn separators_and_case_never_change_the_class(
        entry in 0..STATUSES.len(),
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("，"), Just(","), Just("_"), Just("\u{3000}")], 0..3),
        upper in any::<bool>(),
    ) {
        let (key, class) = STATUSES[entry];
        let mut text = seps.concat();
        let key = if upper { key.to_ascii_uppercase() } else { key.to_string() };
        text.push_str(&key);
        text.push_str(&seps.concat());
        prop_assert_eq!(classify_status(&text), Some(class));
    }

    #[test]
    fn no_input_panics(raw in any::<String>()) {
        let _ = classify_status(&raw);
        let _ = parse_event_type(&raw);
    }
}
