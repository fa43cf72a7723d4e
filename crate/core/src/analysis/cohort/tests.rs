use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::analysis::filter::testkit::*;
use crate::model::PayState;

/// Five customers over January–April 2024 (paid amounts in cents):
///
/// | buyer | paid orders                                        | cohort  |
/// |-------|----------------------------------------------------|---------|
/// | a     | 01-05 10000, 01-28 3000, 02-14 6000, 04-02 2000     | 2024-01 |
/// | b     | 01-20 5000, 03-02 4000                              | 2024-01 |
/// | c     | 02-03 8000                                          | 2024-02 |
/// | d     | 03-15 7000, 03-31 1000 (and an unpaid order 02-20)  | 2024-03 |
/// | e     | 03-10 500, 04-30 1500                               | 2024-03 |
/// | —     | 04-10 999 (no customer id: extends the data, in no cohort) |  |
///
/// The data spans 4 months, so every row has 4 cells and nobody's first order is in April.
fn four_months() -> Dataset {
    let mut ds = Dataset::default();
    let orders = [
        ("1", Some("a"), (1, 5), 10000),
        ("2", Some("b"), (1, 20), 5000),
        ("3", Some("a"), (1, 28), 3000),
        ("4", Some("c"), (2, 3), 8000),
        ("5", Some("a"), (2, 14), 6000),
        ("6", Some("b"), (3, 2), 4000),
        ("7", Some("e"), (3, 10), 500),
        ("8", Some("d"), (3, 15), 7000),
        ("9", Some("d"), (3, 31), 1000),
        ("10", Some("a"), (4, 2), 2000),
        ("11", None, (4, 10), 999),
    ];
    for (id, customer, (m, d), amount) in orders {
        paid(&mut ds, id, customer, at(2024, m, d, 12, 0), amount, 0);
    }
    paid(&mut ds, "12", Some("e"), at(2024, 4, 30, 23, 59), 1500, 0);
    unpaid(&mut ds, "13", Some("d"), at(2024, 2, 20, 9, 0), 9999);
    ds
}

fn cell(active: u64, size: u64, revenue: i64, cumulative: i64) -> Option<CohortCell> {
    Some(CohortCell {
        active,
        retention: active as f64 / size as f64,
        revenue,
        cumulative_revenue_per_customer: cumulative as f64 / size as f64,
    })
}

fn monthly(ds: &Dataset) -> Result<CohortReport, Unavailable> {
    compute(ds, &CohortOptions::default())
}

#[test]
fn monthly_cohorts_match_hand_computation() {
    let r = monthly(&four_months()).unwrap();
    assert_eq!((r.grain, r.periods_in_data), (Grain::Month, 4));
    let rows: Vec<(&str, &str, u64)> = r
        .cohorts
        .iter()
        .map(|c| (c.cohort.as_str(), c.start.as_str(), c.size))
        .collect();
    assert_eq!(
        rows,
        [
            ("2024-01", "2024-01-01", 2),
            ("2024-02", "2024-02-01", 1),
            ("2024-03", "2024-03-01", 2)
        ]
    );
    // 2024-01 {a, b}: Jan both (10000 + 3000 + 5000), Feb a (6000), Mar b (4000), Apr a (2000).
    // Cumulative per customer: 18000/2, 24000/2, 28000/2, 30000/2.
    assert_eq!(
        r.cohorts[0].cells,
        [
            cell(2, 2, 18000, 18000),
            cell(1, 2, 6000, 24000),
            cell(1, 2, 4000, 28000),
            cell(1, 2, 2000, 30000)
        ]
    );
    // 2024-02 {c}: Feb 8000, then nothing in Mar and Apr; offset 3 (May) is past the data.
    assert_eq!(
        r.cohorts[1].cells,
        [
            cell(1, 1, 8000, 8000),
            cell(0, 1, 0, 8000),
            cell(0, 1, 0, 8000),
            None
        ]
    );
    // 2024-03 {d, e}: Mar d (7000 + 1000) and e (500); Apr e (1500).
    assert_eq!(
        r.cohorts[2].cells,
        [cell(2, 2, 8500, 8500), cell(1, 2, 1500, 10000), None, None]
    );
}

#[test]
fn all_cohort_row_weights_by_size() {
    let r = monthly(&four_months()).unwrap();
    assert_eq!(r.all.size, 5);
    let all = |cohorts, size, active, revenue, cumulative: i64| {
        Some(CohortAllCell {
            cohorts,
            size,
            active,
            retention: active as f64 / size as f64,
            revenue,
            cumulative_revenue_per_customer: cumulative as f64 / size as f64,
        })
    };
    // k=0: all three cohorts, 5 of 5 active, 18000 + 8000 + 8500.
    // k=1: all three (March's k=1 is April): active 1 + 0 + 1 of 5; revenue 6000 + 0 + 1500;
    //      cumulative 24000 + 8000 + 10000 = 42000 over 5.
    // k=2: January and February only: active 1 + 0 of 3; cumulative 28000 + 8000 over 3.
    // k=3: January only: 1 of 2; cumulative 30000 over 2.
    assert_eq!(
        r.all.cells,
        [
            all(3, 5, 5, 34500, 34500),
            all(3, 5, 2, 7500, 42000),
            all(2, 3, 1, 4000, 36000),
            all(1, 2, 1, 2000, 30000)
        ]
    );
    assert_eq!(r.all.cells[1].as_ref().unwrap().retention, 0.4);
}

#[test]
fn weekly_cohorts_cross_the_year_boundary() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("x"), at(2024, 12, 23, 9, 0), 100, 0); // Monday, 2024-W52
    paid(&mut ds, "2", Some("x"), at(2024, 12, 31, 9, 0), 200, 0); // Tuesday, 2025-W01
    paid(&mut ds, "3", Some("y"), at(2024, 12, 30, 9, 0), 300, 0); // Monday, 2025-W01
    paid(&mut ds, "4", Some("y"), at(2025, 1, 6, 9, 0), 400, 0); // Monday, 2025-W02
    let r = compute(&ds, &CohortOptions { grain: Grain::Week }).unwrap();
    assert_eq!(r.periods_in_data, 3);
    let rows: Vec<(&str, &str)> = r
        .cohorts
        .iter()
        .map(|c| (c.cohort.as_str(), c.start.as_str()))
        .collect();
    assert_eq!(
        rows,
        [("2024-W52", "2024-12-23"), ("2025-W01", "2024-12-30")]
    );
    assert_eq!(
        r.cohorts[0].cells,
        [
            cell(1, 1, 100, 100),
            cell(1, 1, 200, 300),
            cell(0, 1, 0, 300)
        ]
    );
    assert_eq!(
        r.cohorts[1].cells,
        [cell(1, 1, 300, 300), cell(1, 1, 400, 700), None]
    );
    // Monthly, the same orders make December {x, y} and January.
    let r = monthly(&ds).unwrap();
    assert_eq!(r.cohorts.len(), 1);
    assert_eq!(
        r.cohorts[0].cells,
        [cell(2, 2, 600, 600), cell(1, 2, 400, 1000)]
    );
}

#[test]
fn single_order_is_one_full_cohort() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("solo"), at(2024, 6, 1, 9, 0), 4200, 0);
    let r = monthly(&ds).unwrap();
    assert_eq!(r.periods_in_data, 1);
    assert_eq!(r.cohorts.len(), 1);
    assert_eq!(r.cohorts[0].cells, [cell(1, 1, 4200, 4200)]);
    assert_eq!(r.all.cells[0].as_ref().map(|c| c.retention), Some(1.0));
}

#[test]
fn one_customer_returning_after_a_gap() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", Some("a"), at(2024, 1, 31, 23, 0), 100, 0);
    paid(&mut ds, "2", Some("a"), at(2024, 4, 1, 0, 30), 300, 100);
    let r = monthly(&ds).unwrap();
    // Revenue is GMV: the refund does not reduce it.
    assert_eq!(
        r.cohorts[0].cells,
        [
            cell(1, 1, 100, 100),
            cell(0, 1, 0, 100),
            cell(0, 1, 0, 100),
            cell(1, 1, 300, 400)
        ]
    );
}

#[test]
fn first_period_without_customer_ids_has_no_cohort() {
    let mut ds = Dataset::default();
    paid(&mut ds, "1", None, at(2024, 1, 10, 9, 0), 100, 0);
    paid(&mut ds, "2", Some("a"), at(2024, 2, 10, 9, 0), 200, 0);
    let r = monthly(&ds).unwrap();
    assert_eq!(r.periods_in_data, 2);
    assert_eq!(r.cohorts[0].cohort, "2024-02");
    assert_eq!(r.cohorts[0].cells, [cell(1, 1, 200, 200), None]);
    // No cohort reaches offset 1.
    assert_eq!(r.all.cells[1], None);
}

#[test]
fn unavailable_without_paid_orders_or_customer_ids() {
    assert_eq!(
        monthly(&Dataset::default()).unwrap_err().code,
        "no_paid_orders"
    );
    let mut ds = Dataset::default();
    unpaid(&mut ds, "1", Some("a"), at(2024, 1, 10, 9, 0), 100);
    assert_eq!(monthly(&ds).unwrap_err().code, "no_paid_orders");
    paid(&mut ds, "2", None, at(2024, 1, 11, 9, 0), 100, 0);
    assert_eq!(monthly(&ds).unwrap_err().code, "no_customer_ids");
}

#[test]
fn options_from_json() {
    let o: CohortOptions = serde_json::from_str(r#"{"grain":"week"}"#).unwrap();
    assert_eq!(o.grain, Grain::Week);
    assert_eq!(
        serde_json::from_str::<CohortOptions>("{}").unwrap().grain,
        Grain::Month
    );
    assert!(serde_json::from_str::<CohortOptions>(r#"{"grain":"week","x":1}"#).is_err());
}

/// A deliberately plain cohort table: periods found by walking every day of the data, each cell
/// computed by scanning all paid orders again.
fn naive(
    ds: &Dataset,
    label: &dyn Fn(Day) -> String,
) -> Vec<(String, u64, Vec<Option<CohortCell>>)> {
    let paid: Vec<(Day, Option<String>, i64)> = (0..ds.orders.len())
        .filter(|&o| ds.orders.state[o] == PayState::Paid)
        .map(|o| {
            let customer = ds.orders.customer[o].map(|c| ds.customers.name(c).to_string());
            (
                time::day_of(ds.orders.time[o]),
                customer,
                ds.orders.paid_amount[o],
            )
        })
        .collect();
    let first = paid.iter().map(|p| p.0).min().unwrap();
    let last = paid.iter().map(|p| p.0).max().unwrap();
    let mut periods: Vec<String> = Vec::new();
    for d in first..=last {
        if periods.last() != Some(&label(d)) {
            periods.push(label(d));
        }
    }
    let index = |d: Day| periods.iter().position(|p| *p == label(d)).unwrap();
    let mut cohort_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, c, _) in &paid {
        if let Some(c) = c {
            let i = cohort_of.entry(c).or_insert(index(*d));
            *i = (*i).min(index(*d));
        }
    }
    let mut rows = Vec::new();
    for c in 0..periods.len() {
        let members: BTreeSet<&str> = cohort_of
            .iter()
            .filter(|(_, &i)| i == c)
            .map(|(&m, _)| m)
            .collect();
        if members.is_empty() {
            continue;
        }
        let size = members.len() as u64;
        let mut cumulative = 0i64;
        let mut cells = Vec::new();
        for k in 0..periods.len() {
            if c + k >= periods.len() {
                cells.push(None);
                continue;
            }
            let in_cell = paid.iter().filter(|(d, cu, _)| {
                index(*d) == c + k && cu.as_deref().is_some_and(|cu| members.contains(cu))
            });
            let active: BTreeSet<&str> = in_cell
                .clone()
                .filter_map(|(_, cu, _)| cu.as_deref())
                .collect();
            let revenue: i64 = in_cell.map(|(_, _, a)| a).sum();
            cumulative += revenue;
            cells.push(Some(CohortCell {
                active: active.len() as u64,
                retention: active.len() as f64 / size as f64,
                revenue,
                cumulative_revenue_per_customer: cumulative as f64 / size as f64,
            }));
        }
        rows.push((periods[c].clone(), size, cells));
    }
    rows
}

fn check(ds: &Dataset, grain: Grain, label: &dyn Fn(Day) -> String) -> Result<(), TestCaseError> {
    let Ok(r) = compute(ds, &CohortOptions { grain }) else {
        return Ok(());
    };
    let rows: Vec<(String, u64, Vec<Option<CohortCell>>)> = r
        .cohorts
        .iter()
        .map(|c| (c.cohort.clone(), c.size, c.cells.clone()))
        .collect();
    prop_assert_eq!(rows, naive(ds, label));
    for row in &r.cohorts {
        prop_assert_eq!(row.cells[0].as_ref().map(|c| c.retention), Some(1.0));
        for c in row.cells.iter().flatten() {
            prop_assert!(c.retention <= 1.0);
        }
    }
    for k in 0..r.periods_in_data {
        // The all-cohort cell is Σ active / Σ size over the cohorts that have a cell at k.
        let having: Vec<(u64, &CohortCell)> = r
            .cohorts
            .iter()
            .filter_map(|c| c.cells[k].as_ref().map(|cell| (c.size, cell)))
            .collect();
        let expected = (!having.is_empty()).then(|| {
            let size: u64 = having.iter().map(|h| h.0).sum();
            let active: u64 = having.iter().map(|h| h.1.active).sum();
            (size, active as f64 / size as f64)
        });
        prop_assert_eq!(
            r.all.cells[k].as_ref().map(|a| (a.size, a.retention)),
            expected
        );
    }
    prop_assert_eq!(r.all.cells[0].as_ref().map(|a| a.retention), Some(1.0));
    Ok(())
}

proptest! {
    #[test]
    fn cohorts_equal_the_naive_reference(data in random_data(200, 30)) {
        let ds = data.build();
        check(&ds, Grain::Month, &|d| time::format_month(time::month_of_day(d)))?;
        check(&ds, Grain::Week, &|d| time::format_week(time::week_start(d)))?;
    }
}
