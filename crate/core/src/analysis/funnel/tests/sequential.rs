//! The whole funnel on hand-computed logs: steps, windows, equal times, time to convert.

use super::*;

/// Five users, default steps view → cart → purchase, default 7-day window.
fn five_users() -> Dataset {
    let t = at(0, 10, 0, 0);
    log(&[
        // u1 converts: cart after 5 min, purchase after 2 h.
        ("u1", View, t),
        ("u1", Cart, t + 5 * MINUTE),
        ("u1", Purchase, t + 2 * HOUR),
        // u2 views twice and carts 30 s after the second view: fastest cart = 30 s, not 1 d 30 s.
        ("u2", View, t),
        ("u2", View, t + DAY),
        ("u2", Cart, t + DAY + 30),
        // u3 buys without a cart event: level 1.
        ("u3", View, t),
        ("u3", Purchase, t + HOUR),
        // u4 never views: level 0 (but counts in distinct mode).
        ("u4", Cart, t),
        ("u4", Purchase, t + MINUTE),
        // u5 converts over two days.
        ("u5", View, t),
        ("u5", Cart, t + 2 * DAY),
        ("u5", Purchase, t + 2 * DAY + 10 * MINUTE),
    ])
}

#[test]
fn default_steps_sequential() {
    let r = run(&five_users(), &FunnelOptions::default());
    assert_eq!(r.source, FunnelSource::Events);
    assert_eq!(r.window_seconds, Some(7 * DAY));
    assert_eq!(r.users, 5);
    // view: u1 u2 u3 u5 = 4; cart: u1 u2 u5 = 3; purchase: u1 u5 = 2.
    assert_eq!(counts(&r), [4, 3, 2]);
    let s = &r.steps;
    assert_eq!(s[0].step, FunnelStep::Event(View));
    assert_eq!(s[0].conversion_from_previous, None);
    assert_close(s[0].overall_conversion, 1.0);
    assert_close(s[1].conversion_from_previous, 3.0 / 4.0);
    assert_close(s[2].conversion_from_previous, 2.0 / 3.0);
    assert_close(s[2].overall_conversion, 2.0 / 4.0);
    assert_eq!([s[0].drop_off, s[1].drop_off, s[2].drop_off], [0, 1, 1]);

    // Cart: u1 300 s, u2 30 s, u5 172 800 s → sorted [30, 300, 172800], median 300.
    let cart = &r.time_to_convert[0];
    assert_eq!(
        (&cart.step, cart.users, cart.median_seconds),
        (&FunnelStep::Event(Cart), 3, Some(300))
    );
    assert_eq!(bucket_users(cart), [("≤1m", 1), ("1–10m", 1), ("1–3d", 1)]);
    // Purchase: u1 7 200 s, u5 173 400 s → even count, lower middle = 7 200.
    let purchase = &r.time_to_convert[1];
    assert_eq!(purchase.median_seconds, Some(7200));
    assert_eq!(bucket_users(purchase), [("1–6h", 1), ("1–3d", 1)]);
    assert_eq!(purchase.buckets.len(), 8);
    assert_eq!(purchase.buckets[7].upper_seconds, None);
}

#[test]
fn distinct_mode_differs_from_sequential() {
    let options = FunnelOptions {
        mode: FunnelMode::Distinct,
        ..FunnelOptions::default()
    };
    let r = run(&five_users(), &options);
    // Any event of the type: view u1 u2 u3 u5 = 4; cart u1 u2 u4 u5 = 4; purchase u1 u3 u4 u5 = 4,
    // against 4, 3, 2 in sequential mode (u3 never carts, u4 never views).
    assert_eq!(counts(&r), [4, 4, 4]);
    assert_eq!(r.mode, FunnelMode::Distinct);
    assert_eq!(r.window_seconds, None);
    assert!(r.time_to_convert.is_empty());
    // Distinct counts can grow along the steps: drop-off is then negative.
    let log = log(&[("a", Cart, 0), ("b", Cart, 0), ("a", View, 5)]);
    let r = run(&log, &options);
    assert_eq!(counts(&r), [1, 2, 0]);
    assert_eq!(r.steps[1].drop_off, -1);
    assert_close(r.steps[1].conversion_from_previous, 2.0);
}

#[test]
fn fav_step_variant() {
    let t = at(0, 9, 0, 0);
    let ds = log(&[
        // a: every step in order → level 4.
        ("a", View, t),
        ("a", Fav, t + MINUTE),
        ("a", Cart, t + 2 * MINUTE),
        ("a", Purchase, t + 3 * MINUTE),
        // b: no fav → stops at view (1), although it carts and buys.
        ("b", View, t),
        ("b", Cart, t + MINUTE),
        ("b", Purchase, t + 2 * MINUTE),
        // c: view, fav, purchase without cart → 2.
        ("c", View, t),
        ("c", Fav, t + HOUR),
        ("c", Purchase, t + 2 * HOUR),
        // d: fav before the only view → 1.
        ("d", Fav, t),
        ("d", View, t + MINUTE),
        ("d", Cart, t + 2 * MINUTE),
        ("d", Purchase, t + 3 * MINUTE),
    ]);
    let r = run(&ds, &opts(&[View, Fav, Cart, Purchase], Some(7 * DAY)));
    assert_eq!(counts(&r), [4, 2, 1, 1]);
    // Fav: a 60 s, c 3 600 s → median (lower middle) 60.
    assert_eq!(r.time_to_convert[0].step, FunnelStep::Event(Fav));
    assert_eq!(r.time_to_convert[0].median_seconds, Some(60));
    assert_eq!(r.time_to_convert[2].median_seconds, Some(180));
}

#[test]
fn equal_timestamps_chain_in_either_order() {
    let t = at(1, 12, 0, 0);
    let ds = log(&[
        // e: all three at the same second, written purchase first → level 3, times 0.
        ("e", Purchase, t),
        ("e", Cart, t),
        ("e", View, t),
        // f: purchase one second before the view/cart pair → level 2.
        ("f", Purchase, t - 1),
        ("f", View, t),
        ("f", Cart, t),
    ]);
    let r = run(&ds, &opts(&[View, Cart, Purchase], Some(0)));
    assert_eq!(counts(&r), [2, 2, 1]);
    assert_eq!(r.time_to_convert[0].median_seconds, Some(0));
    assert_eq!(r.time_to_convert[1].median_seconds, Some(0));
    assert_eq!(bucket_users(&r.time_to_convert[1]), [("≤1m", 1)]);
}

#[test]
fn window_boundary_is_inclusive() {
    let t = at(0, 0, 0, 0);
    let ds = log(&[
        // g: purchase exactly W = 3 600 s after the view → counts.
        ("g", View, t),
        ("g", Cart, t + 1800),
        ("g", Purchase, t + 3600),
        // h: purchase W + 1 s after the view → stops at cart.
        ("h", View, t),
        ("h", Cart, t + 1800),
        ("h", Purchase, t + 3601),
    ]);
    let r = run(&ds, &opts(&[View, Cart, Purchase], Some(HOUR)));
    assert_eq!(counts(&r), [2, 2, 1]);
    assert_eq!(r.time_to_convert[1].median_seconds, Some(3600));
    assert_eq!(bucket_users(&r.time_to_convert[1]), [("10–60m", 1)]);

    // At the default window, exactly 7 days converts and lands in the 3–7d bucket.
    let ds = log(&[
        ("i", View, t),
        ("i", Cart, t + 7 * DAY),
        ("j", View, t),
        ("j", Cart, t + 7 * DAY + 1),
    ]);
    let r = run(&ds, &opts(&[View, Cart], Some(7 * DAY)));
    assert_eq!(counts(&r), [2, 1]);
    assert_eq!(bucket_users(&r.time_to_convert[0]), [("3–7d", 1)]);
}

#[test]
fn purchase_before_view_does_not_count() {
    let t = at(2, 8, 0, 0);
    let ds = log(&[
        // i: bought first, then viewed and carted → 2.
        ("i", Purchase, t),
        ("i", View, t + MINUTE),
        ("i", Cart, t + 2 * MINUTE),
        // j: carted and bought, then viewed → 1.
        ("j", Cart, t),
        ("j", Purchase, t + MINUTE),
        ("j", View, t + 2 * MINUTE),
    ]);
    let r = run(&ds, &FunnelOptions::default());
    assert_eq!(counts(&r), [2, 1, 0]);
    assert_eq!(r.time_to_convert[1].users, 0);
    assert_eq!(r.time_to_convert[1].median_seconds, None);
}

/// k: view day 0, cart day 3, purchase day 8 — the only chain spans 8 days.
/// l: views on days 0 and 4, cart day 5, purchase day 10 — only the chain from day 4 fits 7 days.
fn long_chains() -> Dataset {
    log(&[
        ("k", View, at(0, 0, 0, 0)),
        ("k", Cart, at(3, 0, 0, 0)),
        ("k", Purchase, at(8, 0, 0, 0)),
        ("l", View, at(0, 0, 0, 0)),
        ("l", View, at(4, 0, 0, 0)),
        ("l", Cart, at(5, 0, 0, 0)),
        ("l", Purchase, at(10, 0, 0, 0)),
    ])
}

#[test]
fn chain_longer_than_window_stops_early() {
    let r = run(&long_chains(), &FunnelOptions::default());
    // k reaches cart (3 d) but not purchase (8 d > 7 d); l buys via the day-4 view (6 d).
    assert_eq!(counts(&r), [2, 2, 1]);
    // Cart: k 3 d, l min(5 d from day 0, 1 d from day 4) = 1 d → sorted [1 d, 3 d], median 1 d.
    assert_eq!(r.time_to_convert[0].median_seconds, Some(DAY));
    assert_eq!(r.time_to_convert[1].median_seconds, Some(6 * DAY));
}

#[test]
fn unbounded_window() {
    let r = run(&long_chains(), &opts(&[View, Cart, Purchase], None));
    assert_eq!(r.window_seconds, None);
    // Without a window k buys too (8 d); l's fastest purchase is still 6 d (from day 4).
    assert_eq!(counts(&r), [2, 2, 2]);
    let purchase = &r.time_to_convert[1];
    assert_eq!(purchase.median_seconds, Some(6 * DAY));
    assert_eq!(bucket_users(purchase), [("3–7d", 1), (">7d", 1)]);
}

#[test]
fn invalid_options_make_the_funnel_unavailable() {
    let ds = five_users();
    let code = |o: &FunnelOptions| compute(&ds, o).err().map(|u| u.code.code());
    assert_eq!(
        code(&opts(&[View, Cart], Some(-5))),
        Some("negative_window")
    );
    assert_eq!(code(&opts(&[], None)), Some("too_few_steps"));
    assert_eq!(code(&opts(&[Cart], None)), Some("too_few_steps"));
    assert_eq!(code(&opts(&[View, View], None)), Some("repeated_step"));
    // Extreme times: the difference overflows i64 and is outside any bounded window.
    let ds = log(&[("x", View, i64::MIN), ("x", Cart, i64::MAX)]);
    assert_eq!(
        counts(&run(&ds, &opts(&[View, Cart], Some(i64::MAX)))),
        [1, 0]
    );
    assert_eq!(counts(&run(&ds, &opts(&[View, Cart], None))), [1, 1]);
}
