//! A deliberately plain KPI computation, and property tests comparing [`compute`] with it on small
//! random datasets.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::report;
use crate::analysis::filter::testkit::*;
use crate::analysis::kpi::{KpiPoint, KpiSet};
use crate::model::{Dataset, PayState};
use crate::time::{self, Day};

/// A deliberately plain KPI computation: each period scans every order, line and row again.
fn naive_set(ds: &Dataset, in_period: &dyn Fn(Option<Day>) -> bool) -> KpiSet {
    let paid_orders: Vec<usize> = (0..ds.orders.len())
        .filter(|&o| ds.orders.state[o] == PayState::Paid)
        .collect();
    let has_ids = paid_orders.iter().any(|&o| ds.orders.customer[o].is_some());
    let day_of = |o: usize| time::day_of(ds.orders.time[o]);
    let mut first_order: BTreeMap<u32, Day> = BTreeMap::new();
    for &o in &paid_orders {
        if let Some(c) = ds.orders.customer[o] {
            let d = first_order.entry(c).or_insert(day_of(o));
            *d = (*d).min(day_of(o));
        }
    }
    let (mut gmv, mut refunds, mut count, mut refunded, mut units) = (0i64, 0i64, 0u64, 0u64, 0i64);
    let mut orders_of: BTreeMap<u32, u64> = BTreeMap::new();
    for &o in paid_orders.iter().filter(|&&o| in_period(Some(day_of(o)))) {
        gmv += ds.orders.paid_amount[o];
        refunds += ds.orders.refund[o];
        count += 1;
        if ds.orders.refund[o] > 0 {
            refunded += 1;
        }
        for l in 0..ds.lines.len() {
            if ds.lines.order[l] as usize == o {
                units += ds.lines.quantity[l];
            }
        }
        if let Some(c) = ds.orders.customer[o] {
            *orders_of.entry(c).or_insert(0) += 1;
        }
    }
    let div = |a: f64, b: f64| if b == 0.0 { None } else { Some(a / b) };
    let buyers = orders_of.len() as u64;
    let repeat = orders_of.values().filter(|&&n| n >= 2).count() as u64;
    let new = first_order
        .values()
        .filter(|&&d| in_period(Some(d)))
        .count() as u64;
    let sum_rows = |days: &[Option<Day>], values: &[Option<i64>], keep: &dyn Fn(usize) -> bool| {
        let mut sum = None;
        for r in 0..days.len() {
            if keep(r) && in_period(days[r]) {
                if let Some(v) = values[r] {
                    sum = Some(sum.unwrap_or(0) + v);
                }
            }
        }
        sum
    };
    let (t, a) = (&ds.traffic, &ds.ads);
    let visitors = sum_rows(&t.day, &t.visitors, &|r| t.product[r].is_none());
    let impressions = sum_rows(&a.day, &a.impressions, &|_| true);
    let clicks = sum_rows(&a.day, &a.clicks, &|_| true);
    let spend = sum_rows(&a.day, &a.spend, &|_| true);
    let sales = sum_rows(&a.day, &a.sales, &|_| true);
    let both = |x: Option<i64>, y: Option<i64>| match (x, y) {
        (Some(x), Some(y)) => div(x as f64, y as f64),
        _ => None,
    };
    KpiSet {
        gmv,
        refunds,
        net_sales: gmv - refunds,
        paid_orders: count,
        buyers: if has_ids { Some(buyers) } else { None },
        revenue_per_buyer: if has_ids {
            div(gmv as f64, buyers as f64)
        } else {
            None
        },
        aov: div(gmv as f64, count as f64),
        units,
        refund_rate: div(refunds as f64, gmv as f64),
        refund_order_rate: div(refunded as f64, count as f64),
        repurchase_rate: if has_ids {
            div(repeat as f64, buyers as f64)
        } else {
            None
        },
        new_buyers: if has_ids { Some(new) } else { None },
        returning_buyers: if has_ids { Some(buyers - new) } else { None },
        visitors,
        conversion_rate: if has_ids {
            both(Some(buyers as i64), visitors)
        } else {
            None
        },
        impressions,
        clicks,
        ad_spend: spend,
        ad_sales: sales,
        ctr: both(clicks, impressions),
        roas: both(sales, spend),
        acos: both(spend, sales),
    }
}

/// Labels of every period from the first to the last day holding data, found by walking the days.
fn naive_periods(ds: &Dataset, label: &dyn Fn(Day) -> String) -> Vec<String> {
    let mut days: Vec<Day> = (0..ds.orders.len())
        .filter(|&o| ds.orders.state[o] == PayState::Paid)
        .map(|o| time::day_of(ds.orders.time[o]))
        .collect();
    let t = &ds.traffic;
    days.extend(
        (0..t.len())
            .filter(|&r| t.product[r].is_none() && t.visitors[r].is_some())
            .filter_map(|r| t.day[r]),
    );
    days.extend(ds.ads.day.iter().flatten());
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return Vec::new();
    };
    let mut labels: Vec<String> = Vec::new();
    for d in first..=last {
        if labels.last() != Some(&label(d)) {
            labels.push(label(d));
        }
    }
    labels
}

fn check_series(
    ds: &Dataset,
    points: &[KpiPoint],
    label: &dyn Fn(Day) -> String,
) -> Result<(), TestCaseError> {
    let labels = naive_periods(ds, label);
    prop_assert_eq!(
        points.iter().map(|p| p.period.clone()).collect::<Vec<_>>(),
        labels.clone()
    );
    for (p, l) in points.iter().zip(&labels) {
        let expected = naive_set(ds, &|d: Option<Day>| d.is_some_and(|d| &label(d) == l));
        prop_assert_eq!(&p.kpi, &expected, "period {}", l);
    }
    Ok(())
}

proptest! {
    #[test]
    fn series_and_total_equal_the_naive_reference(data in random_data(150, 25)) {
        let ds = data.build();
        let r = report(&ds);
        prop_assert_eq!(&r.total, &naive_set(&ds, &|_| true));
        check_series(&ds, &r.daily, &|d| time::format_day(d))?;
        check_series(&ds, &r.weekly, &|d| time::format_week(time::week_start(d)))?;
        check_series(&ds, &r.monthly, &|d| time::format_month(time::month_of_day(d)))?;
    }

    #[test]
    fn additive_totals_equal_the_sum_of_each_series(data in random_data(150, 25)) {
        let r = report(&data.build());
        for series in [&r.daily, &r.weekly, &r.monthly] {
            let sum = |f: fn(&KpiSet) -> i64| series.iter().map(|p| f(&p.kpi)).sum::<i64>();
            prop_assert_eq!(sum(|k| k.gmv), r.total.gmv);
            prop_assert_eq!(sum(|k| k.refunds), r.total.refunds);
            prop_assert_eq!(sum(|k| k.units), r.total.units);
            prop_assert_eq!(sum(|k| k.paid_orders as i64), r.total.paid_orders as i64);
            prop_assert_eq!(sum(|k| k.new_buyers.unwrap_or(0) as i64), r.total.new_buyers.unwrap_or(0) as i64);
        }
    }
}
