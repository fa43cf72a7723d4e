//! Dataset builders shared by the tests of `filter`, `kpi`, `cohort` and `rfm`: hand-written fixtures
//! and a proptest strategy for small random datasets. Times are wall-clock seconds built from civil
//! dates, so no test depends on the machine's zone or clock.

use proptest::prelude::*;

use crate::model::{Dataset, DatasetKind, LineRow, OrderRow, PayState, Platform, Source};
use crate::time::{self, Day};

/// Day number of a civil date.
pub(crate) fn day(y: i32, m: u32, d: u32) -> Day {
    time::days_from_civil(y, m, d)
}

/// Wall-clock seconds of a civil date and time.
pub(crate) fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> i64 {
    time::to_seconds(y, m, d, h, mi, 0)
}

/// Registers a file and returns its source index.
pub(crate) fn source(ds: &mut Dataset, platform: Platform, kind: DatasetKind) -> u16 {
    ds.sources.push(Source {
        file: format!("{}-{}.csv", platform.code(), ds.sources.len()),
        platform,
        kind,
    });
    (ds.sources.len() - 1) as u16
}

/// Adds a paid order (payment time `paid_at`), amounts in cents.
pub(crate) fn paid(
    ds: &mut Dataset,
    id: &str,
    customer: Option<&str>,
    paid_at: i64,
    amount: i64,
    refund: i64,
) -> u32 {
    ds.add_order(&OrderRow {
        id,
        customer,
        created: Some(paid_at - 60),
        paid_at: Some(paid_at),
        state: Some(PayState::Paid),
        paid_amount: Some(amount),
        refund: Some(refund),
        ..OrderRow::default()
    })
}

/// Adds an order that was created but never paid.
pub(crate) fn unpaid(
    ds: &mut Dataset,
    id: &str,
    customer: Option<&str>,
    created: i64,
    amount: i64,
) -> u32 {
    ds.add_order(&OrderRow {
        id,
        customer,
        created: Some(created),
        state: Some(PayState::Unpaid),
        paid_amount: Some(amount),
        ..OrderRow::default()
    })
}

/// Adds a line of `quantity` × `unit_price` cents of product `key` in `category`.
pub(crate) fn line(
    ds: &mut Dataset,
    order: u32,
    key: &str,
    category: Option<&str>,
    quantity: i64,
    unit_price: i64,
) {
    ds.add_line(
        order,
        &LineRow {
            product_key: key,
            category,
            quantity,
            unit_price: Some(unit_price),
            ..LineRow::default()
        },
    );
}

/// Adds a traffic row.
pub(crate) fn traffic(
    ds: &mut Dataset,
    day: Option<Day>,
    product: Option<&str>,
    visitors: Option<i64>,
) {
    let product = product.map(|p| ds.intern_product(p));
    let t = &mut ds.traffic;
    t.day.push(day);
    t.product.push(product);
    t.visitors.push(visitors);
    t.page_views.push(None);
    t.fav_users.push(None);
    t.cart_users.push(None);
    t.buyers.push(None);
    t.units.push(None);
    t.paid_amount.push(None);
}

/// Adds an ad report row: impressions, clicks, spend (cents), attributed sales (cents).
pub(crate) fn ad(
    ds: &mut Dataset,
    day: Option<Day>,
    impressions: i64,
    clicks: i64,
    spend: i64,
    sales: i64,
) {
    let a = &mut ds.ads;
    a.day.push(day);
    a.campaign.push(None);
    a.impressions.push(Some(impressions));
    a.clicks.push(Some(clicks));
    a.spend.push(Some(spend));
    a.sales.push(Some(sales));
    a.orders.push(None);
}

/// First day of the random datasets: 2023-11-20, so 200 days cross a year boundary and ISO week
/// 2024-W01 (which starts on Monday 2024-01-01).
pub(crate) fn random_start() -> Day {
    day(2023, 11, 20)
}

/// One random order: customer `c{n}` (or none), day offset from [`random_start`], amounts in cents.
#[derive(Clone, Debug)]
pub(crate) struct RandomOrder {
    pub customer: Option<u8>,
    pub day: u16,
    pub hour: u32,
    pub paid: bool,
    pub amount: i64,
    pub refund: i64,
    /// (product index, quantity, unit price in cents); product `p{i}` is in category `cat{i % 3}`.
    pub lines: Vec<(u8, i64, i64)>,
}

#[derive(Clone, Debug)]
pub(crate) struct RandomData {
    pub orders: Vec<RandomOrder>,
    /// (day offset or none, product index or none, visitors or none).
    pub traffic: Vec<(Option<u16>, Option<u8>, Option<i64>)>,
    /// (day offset or none, impressions, clicks, spend, sales).
    pub ads: Vec<(Option<u16>, i64, i64, i64, i64)>,
}

fn random_order(days: u16, customers: u8) -> impl Strategy<Value = RandomOrder> {
    (
        prop::option::weighted(0.9, 0..customers),
        0..days,
        0u32..24,
        prop::bool::weighted(0.85),
        0i64..50_000,
        prop::collection::vec((0u8..6, 1i64..4, 0i64..20_000), 0..4),
    )
        .prop_flat_map(|(customer, day, hour, paid, amount, lines)| {
            // Refunds are mostly 0, else up to the paid amount.
            (prop::bool::weighted(0.25), 0..=amount).prop_map(move |(refunded, refund)| {
                RandomOrder {
                    customer,
                    day,
                    hour,
                    paid,
                    amount,
                    refund: if refunded { refund } else { 0 },
                    lines: lines.clone(),
                }
            })
        })
}

/// Small random datasets spanning up to `days` days from [`random_start`].
pub(crate) fn random_data(days: u16, max_orders: usize) -> impl Strategy<Value = RandomData> {
    (
        prop::collection::vec(random_order(days, 8), 0..max_orders),
        prop::collection::vec(
            (
                prop::option::weighted(0.9, 0..days),
                prop::option::weighted(0.3, 0u8..6),
                prop::option::of(0i64..500),
            ),
            0..12,
        ),
        prop::collection::vec(
            (
                prop::option::weighted(0.9, 0..days),
                0i64..1000,
                0i64..100,
                0i64..5000,
                0i64..20_000,
            ),
            0..8,
        ),
    )
        .prop_map(|(orders, traffic, ads)| RandomData {
            orders,
            traffic,
            ads,
        })
}

impl RandomData {
    pub(crate) fn build(&self) -> Dataset {
        let mut ds = Dataset::default();
        let src = source(&mut ds, Platform::Taobao, DatasetKind::Orders);
        let start = random_start();
        for (i, o) in self.orders.iter().enumerate() {
            let id = format!("o{i}");
            let customer = o.customer.map(|c| format!("c{c}"));
            let (y, m, d) = time::civil_from_days(start + Day::from(o.day));
            let t = at(y, m, d, o.hour, 0);
            let row = OrderRow {
                id: &id,
                customer: customer.as_deref(),
                created: Some(t),
                paid_at: o.paid.then_some(t),
                state: Some(if o.paid {
                    PayState::Paid
                } else {
                    PayState::Unpaid
                }),
                paid_amount: Some(o.amount),
                refund: Some(o.refund),
                source: src,
                shop: None,
                ..OrderRow::default()
            };
            let order = ds.add_order(&row);
            for &(p, quantity, price) in &o.lines {
                let key = format!("p{p}");
                let category = format!("cat{}", p % 3);
                line(&mut ds, order, &key, Some(&category), quantity, price);
            }
        }
        for &(d, p, visitors) in &self.traffic {
            let key = p.map(|p| format!("p{p}"));
            traffic(
                &mut ds,
                d.map(|d| start + Day::from(d)),
                key.as_deref(),
                visitors,
            );
        }
        for &(d, impressions, clicks, spend, sales) in &self.ads {
            ad(
                &mut ds,
                d.map(|d| start + Day::from(d)),
                impressions,
                clicks,
                spend,
                sales,
            );
        }
        ds
    }
}
