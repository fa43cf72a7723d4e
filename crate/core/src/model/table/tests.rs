//! The code `table!` generates, checked against naive row-by-row versions on random tables, and
//! the one rule by which an order's rows combine (`Orders::combine`), by hand.

use proptest::prelude::*;

use crate::model::cells::PartReader;
use crate::model::{Dataset, IdSpace, Line, Lines, Order, OrderMerge, OrderRow, Orders, PayState};

fn rows(t: &Lines) -> Vec<Line> {
    (0..t.len()).map(|i| t.row(i)).collect()
}

fn table(rows: &[Line]) -> Lines {
    let mut t = Lines::default();
    for &r in rows {
        t.push(r);
    }
    t
}

fn line() -> impl Strategy<Value = Line> {
    (
        0u32..6,
        0u32..9,
        -3i64..40,
        proptest::option::of(0i64..10_000),
        proptest::option::of(any::<i64>()),
        proptest::option::of(-5i64..5),
    )
        .prop_map(
            |(order, product, quantity, unit_price, amount, refund)| Line {
                order,
                product,
                quantity,
                unit_price: unit_price.into(),
                amount: amount.into(),
                refund: refund.into(),
            },
        )
}

/// An id map per space, as merging builds them: `map(space, id)` = `id * 3 + space's number`.
fn remap(space: IdSpace, id: u32) -> u32 {
    id * 3 + space as u32
}

proptest! {
    #[test]
    fn push_row_retain_append_and_part_bytes_match_the_naive_rows(
        a in proptest::collection::vec(line(), 0..40),
        b in proptest::collection::vec(line(), 0..40),
        keep in proptest::collection::vec(any::<bool>(), 40),
    ) {
        let t = table(&a);
        prop_assert_eq!(t.len(), a.len());
        prop_assert!(t.lengths_agree());
        prop_assert_eq!(&rows(&t), &a);

        // Appending re-points exactly the id columns, as mapping each row would.
        let mut merged = t.clone();
        merged.append_mapped(table(&b), remap);
        let mut want = a.clone();
        want.extend(b.iter().map(|r| r.map_ids(remap)));
        prop_assert_eq!(rows(&merged), want);
        if let Some(r) = b.first() {
            let m = r.map_ids(remap);
            prop_assert_eq!((m.order, m.product), (r.order * 3, r.product * 3 + 2));
            prop_assert_eq!((m.quantity, m.unit_price, m.amount, m.refund), (r.quantity, r.unit_price, r.amount, r.refund));
        }

        let mut kept = t.clone();
        kept.retain_rows(&keep[..a.len()]);
        let want: Vec<Line> = a.iter().zip(&keep).filter(|(_, &k)| k).map(|(r, _)| *r).collect();
        prop_assert_eq!(rows(&kept), want);

        // The part bytes read back to the same table, and nothing is left over.
        let mut bytes = Vec::new();
        t.write_columns(&mut bytes);
        let mut r = PartReader(&bytes);
        let back = Lines::read_columns(&mut r).unwrap();
        prop_assert!(r.0.is_empty());
        prop_assert_eq!(rows(&back), a.clone());
        // Cut short anywhere, they are an error, not a panic.
        for len in 0..bytes.len() {
            prop_assert!(Lines::read_columns(&mut PartReader(&bytes[..len])).is_err());
        }

        // Ids are checked against each space's size.
        let max = |f: fn(&Line) -> u32| a.iter().map(f).max().map_or(0, |m| m as usize + 1);
        let (orders, products) = (max(|l| l.order), max(|l| l.product));
        let bound = |orders: usize, products: usize| move |space| match space {
            IdSpace::Orders => orders,
            IdSpace::Products => products,
            _ => 0,
        };
        prop_assert!(t.ids_below(bound(orders, products)));
        if !a.is_empty() {
            prop_assert!(!t.ids_below(bound(orders - 1, products)));
            prop_assert!(!t.ids_below(bound(orders, products - 1)));
        }
    }
}

#[test]
fn column_lengths_that_differ_are_seen() {
    let mut t = table(&[Line {
        order: 0,
        product: 0,
        quantity: 1,
        unit_price: None.into(),
        amount: None.into(),
        refund: None.into(),
    }]);
    assert!(t.lengths_agree());
    t.refund.push(Some(1).into());
    assert!(!t.lengths_agree());
}

fn order(state: PayState, paid_amount: i64, refund: i64) -> Order {
    Order {
        customer: None,
        created: None.into(),
        paid_at: None.into(),
        time: 0,
        state,
        paid_amount,
        refund,
        source: 0,
        shop: None.into(),
        channel: None.into(),
        region: None.into(),
    }
}

#[test]
fn an_orders_rows_fill_gaps_upgrade_to_paid_and_add_up_only_where_told() {
    let mut os = Orders::default();
    os.push(Order {
        created: Some(100).into(),
        time: 100,
        shop: Some(1).into(),
        ..order(PayState::Unpaid, 0, 500)
    });
    // A later row: fills the customer and paid time, keeps the shop, upgrades to paid; the first
    // non-zero paid amount is taken and the refund set already stays.
    os.combine(
        0,
        &Order {
            customer: Some(7),
            paid_at: Some(160).into(),
            shop: Some(2).into(),
            region: Some(3).into(),
            source: 9,
            ..order(PayState::Unpaid, 1_000, 200)
        },
        OrderMerge::default(),
    );
    assert_eq!(
        os.row(0),
        Order {
            customer: Some(7),
            created: Some(100).into(),
            paid_at: Some(160).into(),
            time: 160,
            shop: Some(1).into(),
            region: Some(3).into(),
            ..order(PayState::Paid, 1_000, 500)
        }
    );
    // Sub-order rows each carry their share: amounts add up; a cancelled row does not downgrade.
    let adds_up = OrderMerge {
        paid_amount_adds_up: true,
        refund_adds_up: true,
    };
    os.combine(0, &order(PayState::Cancelled, 250, 50), adds_up);
    assert_eq!(
        (os.paid_amount[0], os.refund[0], os.state[0]),
        (1_250, 550, PayState::Paid)
    );
    // A paid state upgrades an order without a payment time.
    let mut os = Orders::default();
    os.push(order(PayState::Unpaid, 0, 0));
    os.combine(0, &order(PayState::Paid, 0, 0), OrderMerge::default());
    assert_eq!(os.state[0], PayState::Paid);
}

#[test]
fn add_order_combines_by_the_same_rule_and_a_row_without_a_state_leaves_it() {
    let mut ds = Dataset::default();
    let first = OrderRow {
        id: "A",
        created: Some(100),
        state: Some(PayState::Unpaid),
        ..OrderRow::default()
    };
    ds.add_order(&first);
    // A follow-up line row that says nothing about payment leaves the order unpaid.
    ds.add_order(&OrderRow {
        id: "A",
        customer: Some("c"),
        paid_amount: Some(900),
        ..OrderRow::default()
    });
    assert_eq!(
        ds.orders.row(0),
        Order {
            customer: Some(0),
            created: Some(100).into(),
            time: 100,
            ..order(PayState::Unpaid, 900, 0)
        }
    );
    assert!(ds.has_customers);
}
