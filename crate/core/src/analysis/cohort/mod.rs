//! Cohorts and retention (DEFINITIONS §3): customers grouped by the month (or ISO week) of their first
//! paid order, followed period by period.
//!
//! - Only paid orders with a customer id count; paid orders without one still extend the data's
//!   range of periods (they are part of "the data").
//! - The table is rectangular: every row has [`CohortReport::periods_in_data`] cells, cell `k` being
//!   offset `k`; cells whose period lies after the data's last period are `None` (empty, not 0).
//! - Periods inside the data in which nobody made a first purchase have no cohort (size 0 rows would
//!   hold only undefined ratios), so `cohorts` skips them; their periods still count as offsets of
//!   earlier cohorts.

use serde::{Deserialize, Serialize};

use crate::analysis::kpi::{no_customer_ids, no_paid_orders};
use crate::analysis::Unavailable;
use crate::model::Dataset;
use crate::time::{self, Day, Grain};

#[cfg(test)]
mod tests;

/// Options of [`compute`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CohortOptions {
    /// Cohort period: `month` (default) or `week` (ISO, Monday first); `day` works too, for short ranges.
    pub grain: Grain,
}

/// The cohort section of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortReport {
    /// Period unit of cohorts and offsets.
    pub grain: Grain,
    /// Periods from the first to the last paid order of the data, inclusive: the number of cells of
    /// every row.
    pub periods_in_data: usize,
    /// One row per period in which at least one customer made a first paid order, oldest first.
    pub cohorts: Vec<CohortRow>,
    /// All cohorts together, each weighted by its size.
    pub all: CohortAllRow,
}

/// One cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// Cohort period label: `YYYY-MM` or `YYYY-Www` (`YYYY-MM-DD` for daily cohorts).
    pub cohort: String,
    /// First day of the cohort period, `YYYY-MM-DD`.
    pub start: String,
    /// Customers whose first paid order falls in the cohort period (≥ 1).
    pub size: u64,
    /// Cell `k` is the period `k` periods after the cohort's; `None` past the data's last period.
    pub cells: Vec<Option<CohortCell>>,
}

/// One cohort at one offset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortCell {
    /// Customers of the cohort with ≥ 1 paid order in the period.
    pub active: u64,
    /// `active / size` (1.0 at offset 0).
    pub retention: f64,
    /// GMV of the cohort's customers in the period, cents.
    pub revenue: i64,
    /// LTV curve: cohort GMV from offset 0 to this offset / size, cents per customer.
    pub cumulative_revenue_per_customer: f64,
}

/// All cohorts together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortAllRow {
    /// Customers in all cohorts.
    pub size: u64,
    /// Cell `k` sums the cohorts that have a cell at offset `k`; `None` when none has.
    pub cells: Vec<Option<CohortAllCell>>,
}

/// All cohorts having a cell at one offset, each weighted by its size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortAllCell {
    /// Cohorts included (those whose period plus this offset is inside the data).
    pub cohorts: u64,
    /// Σ size of the included cohorts.
    pub size: u64,
    /// Σ active of the included cohorts.
    pub active: u64,
    /// `active / size`: Σ active / Σ size.
    pub retention: f64,
    /// Σ revenue of the included cohorts at this offset, cents.
    pub revenue: i64,
    /// Σ cumulative revenue (offsets 0..=k) of the included cohorts / Σ their size, cents per customer.
    pub cumulative_revenue_per_customer: f64,
}

/// Computes the cohort table. `Unavailable` with code `no_paid_orders` when the dataset has no paid
/// order, `no_customer_ids` when no paid order has a customer id.
pub fn compute(ds: &Dataset, opts: &CohortOptions) -> Result<CohortReport, Unavailable> {
    let grain = opts.grain;
    let orders = &ds.orders;
    // (day, customer, paid amount in cents) of each paid order.
    let paid: Vec<(Day, Option<u32>, i64)> = (0..orders.len())
        .filter(|&o| orders.is_paid(o))
        .map(|o| {
            (
                time::day_of(orders.time[o]),
                orders.customer[o],
                orders.paid_amount[o],
            )
        })
        .collect();
    let (Some(first_day), Some(last_day)) = (
        paid.iter().map(|p| p.0).min(),
        paid.iter().map(|p| p.0).max(),
    ) else {
        return Err(no_paid_orders());
    };
    if paid.iter().all(|p| p.1.is_none()) {
        return Err(no_customer_ids());
    }
    let first_period = grain.period(first_day);
    // Periods are numbered 0.. from the data's first period ("slots").
    let slot_of = |day: Day| grain.offset(first_period, grain.period(day)) as usize;
    let periods = slot_of(last_day) + 1;

    // (customer, slot, paid amount) of paid orders with a customer id, sorted: each customer's orders
    // are one run, its first slot is the customer's cohort, and its sub-runs by slot are the periods
    // in which the customer was active.
    let mut activity: Vec<(u32, usize, i64)> = paid
        .iter()
        .filter_map(|&(day, c, amount)| c.map(|c| (c, slot_of(day), amount)))
        .collect();
    activity.sort_unstable();
    let mut size = vec![0u64; periods];
    for customer_orders in activity.chunk_by(|a, b| a.0 == b.0) {
        size[customer_orders[0].1] += 1;
    }
    let mut table = Table::new(size);
    for customer_orders in activity.chunk_by(|a, b| a.0 == b.0) {
        let cohort = customer_orders[0].1;
        for period_orders in customer_orders.chunk_by(|a, b| a.1 == b.1) {
            let revenue = period_orders
                .iter()
                .fold(0i64, |sum, o| sum.saturating_add(o.2));
            table.add_active(cohort, period_orders[0].1 - cohort, revenue);
        }
    }
    Ok(table.report(grain, first_period))
}

/// Counts per cohort slot and offset. The row of cohort slot `c` has `periods − c` offsets (the
/// later ones lie past the data) and is allocated only when the cohort has customers.
struct Table {
    periods: usize,
    size: Vec<u64>,
    /// `(active, revenue in cents)` per cohort slot and offset.
    cells: Vec<Vec<(u64, i64)>>,
}

impl Table {
    fn new(size: Vec<u64>) -> Table {
        let periods = size.len();
        let cells = size
            .iter()
            .enumerate()
            .map(|(c, &n)| {
                if n > 0 {
                    vec![(0, 0); periods - c]
                } else {
                    Vec::new()
                }
            })
            .collect();
        Table {
            periods,
            size,
            cells,
        }
    }

    fn add_active(&mut self, cohort: usize, k: usize, revenue: i64) {
        if let Some(cell) = self.cells.get_mut(cohort).and_then(|row| row.get_mut(k)) {
            cell.0 += 1;
            cell.1 = cell.1.saturating_add(revenue);
        }
    }

    fn report(&self, grain: Grain, first_period: i32) -> CohortReport {
        let mut cohorts = Vec::new();
        let mut all: Vec<AllSums> = vec![AllSums::default(); self.periods];
        let mut period = first_period;
        for (row, &size) in self.cells.iter().zip(&self.size) {
            if size > 0 {
                let mut cells: Vec<Option<CohortCell>> = Vec::with_capacity(self.periods);
                let mut cumulative_revenue = 0i64;
                for (k, &(active, revenue)) in row.iter().enumerate() {
                    cumulative_revenue = cumulative_revenue.saturating_add(revenue);
                    cells.push(Some(CohortCell {
                        active,
                        retention: active as f64 / size as f64,
                        revenue,
                        cumulative_revenue_per_customer: cumulative_revenue as f64 / size as f64,
                    }));
                    all[k].add(size, active, revenue, cumulative_revenue);
                }
                cells.resize(self.periods, None);
                cohorts.push(CohortRow {
                    cohort: grain.label(period),
                    start: time::format_day(grain.first_day(period)),
                    size,
                    cells,
                });
            }
            period = grain.next(period);
        }
        CohortReport {
            grain,
            periods_in_data: self.periods,
            cohorts,
            all: CohortAllRow {
                size: self.size.iter().sum(),
                cells: all.iter().map(AllSums::cell).collect(),
            },
        }
    }
}

/// Sums over the cohorts that have a cell at one offset.
#[derive(Clone, Default)]
struct AllSums {
    cohorts: u64,
    size: u64,
    active: u64,
    /// Cents.
    revenue: i64,
    /// Σ of each cohort's GMV over offsets 0..=k, cents.
    cumulative_revenue: i64,
}

impl AllSums {
    fn add(&mut self, size: u64, active: u64, revenue: i64, cumulative_revenue: i64) {
        self.cohorts += 1;
        self.size += size;
        self.active += active;
        self.revenue = self.revenue.saturating_add(revenue);
        self.cumulative_revenue = self.cumulative_revenue.saturating_add(cumulative_revenue);
    }

    fn cell(&self) -> Option<CohortAllCell> {
        // Every included cohort has size ≥ 1, so no cohorts means size 0 and nothing to show.
        (self.size > 0).then(|| CohortAllCell {
            cohorts: self.cohorts,
            size: self.size,
            active: self.active,
            retention: self.active as f64 / self.size as f64,
            revenue: self.revenue,
            cumulative_revenue_per_customer: self.cumulative_revenue as f64 / self.size as f64,
        })
    }
}
