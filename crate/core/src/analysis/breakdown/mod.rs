//! Breakdowns (DEFINITIONS §10): every KPI of §2 per group of a dimension the data carries —
//! platform, shop, channel / traffic source, region, customer type (new / returning) and product
//! category — with each group's share of GMV, a group "unknown" for blank values, and per-group
//! trend series for splitting the KPI cards' trend.
//!
//! Rules (the decisions written down):
//! - Only paid orders count, each in the period of its order time, as in [`crate::analysis::kpi`].
//! - **Order-level dimensions** (platform, shop, channel, region, customer type) put each paid order
//!   in exactly one group, "unknown" when its value is blank: GMV, refunds, paid orders, refunded
//!   orders and units of the groups sum **exactly** to the total.
//! - **Category** is a line-level dimension: each paid order's paid amount is allocated to its lines
//!   as `analysis::products` allocates revenue (in proportion to line value, remainder cents to the
//!   largest lines), and its refund likewise: the same [`LineSplit`]; a line counts in
//!   its product's category, "unknown" when the product has none, and an order without lines counts
//!   whole in "unknown". GMV, refunds and units sum exactly to the total; an order with lines in two
//!   categories counts as a paid order of both, so **paid orders of categories need not sum**.
//! - **Buyers** are distinct per group (a buyer who bought on two platforms is a buyer of both), so
//!   buyers, 客单价 and the buyer-based rates never sum across groups.
//! - **Customer type** of a paid order, following §2's "new buyers" with the order's day as the
//!   period: *new* when it falls on the day of its customer's first paid order in the data (every
//!   order of that first day is new), *returning* when the customer had paid on an earlier day,
//!   *unknown* without a customer id. On the whole range §2 would call every buyer new; by order
//!   the split says how much of the GMV came from first purchases.
//! - Over the whole range every buyer's first paid order in the (filtered) data falls in the range,
//!   so a group's `new_buyers` equals its buyers, as in the KPI total.
//! - Visitors, conversion and ad figures are shop-level (a traffic or ad row has no channel, region
//!   or category): they are `None` in every group.

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::kpi::KpiSet;
use crate::analysis::products::LineSplit;
use crate::analysis::{ratio, Unavailable};
use crate::model::Dataset;

mod accumulate;
#[cfg(test)]
mod tests;

use accumulate::{Contribution, Tally};

/// A dimension the KPIs can be broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Platform,
    Shop,
    Channel,
    Region,
    CustomerType,
    Category,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Platform,
        Dimension::Shop,
        Dimension::Channel,
        Dimension::Region,
        Dimension::CustomerType,
        Dimension::Category,
    ];
    /// Stable snake_case code, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Platform => "platform",
            Dimension::Shop => "shop",
            Dimension::Channel => "channel",
            Dimension::Region => "region",
            Dimension::CustomerType => "customer_type",
            Dimension::Category => "category",
        }
    }
    pub fn from_code(code: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.code() == code)
    }
    /// Whether each paid order falls in exactly one group (so paid orders sum to the total).
    pub fn is_order_level(self) -> bool {
        self != Dimension::Category
    }
    /// Why the dimension is missing and which export would unlock it.
    fn unavailable(self) -> Unavailable {
        match self {
            Dimension::Platform => Unavailable::new(UnavailableCode::NoPaidOrders, "an order export with paid orders"),
            Dimension::Shop => Unavailable::new(
                UnavailableCode::NoShopColumn,
                "an order export with a shop column (店铺名称 / Store)",
            ),
            Dimension::Channel => Unavailable::new(
                UnavailableCode::NoChannelColumn,
                "an order export with a channel or traffic source column (订单来源 / 流量来源 / Source / Referring Site / Landing Site with utm_source)",
            ),
            Dimension::Region => Unavailable::new(
                UnavailableCode::NoRegionColumn,
                "an order export with the buyer's address or province (收货地址 / 省份 / Billing Province / Country)",
            ),
            Dimension::CustomerType => Unavailable::new(
                UnavailableCode::NoCustomerIds,
                "an order export with a buyer id column (买家会员名 / Email / customer id)",
            ),
            Dimension::Category => Unavailable::new(
                UnavailableCode::NoCategory,
                "order lines with products (宝贝报表 / line items) and a category (类目 / Product Type), e.g. from a product list",
            ),
        }
    }
}

/// Options of [`compute`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BreakdownOptions {
    /// Dimensions to compute; empty (default): every dimension the data carries.
    pub dimensions: Vec<Dimension>,
    /// Groups drawn as their own line in the trend series (the largest by GMV); the rest are summed
    /// into one "other" series. Default 5.
    pub trend_groups: usize,
}

impl Default for BreakdownOptions {
    fn default() -> BreakdownOptions {
        BreakdownOptions {
            dimensions: Vec::new(),
            trend_groups: 5,
        }
    }
}

/// One group of a dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The value as the data writes it (a shop, channel, province, category); a platform code
    /// (`taobao`) or `new` / `returning` for those dimensions; empty for the unknown group.
    pub name: String,
    /// The group of paid orders (lines) whose value is blank.
    pub unknown: bool,
    /// Every §2 KPI of the group over the whole range (visitors, conversion and ads are `None`).
    pub kpi: KpiSet,
    /// The group's GMV / total GMV; `None` when the total GMV is 0.
    pub gmv_share: Option<f64>,
}

/// One period of a group's trend: the additive figures and buyers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupPoint {
    /// GMV, cents.
    pub gmv: i64,
    /// Refunds, cents.
    pub refunds: i64,
    pub paid_orders: u64,
    pub units: i64,
    /// Distinct buyers of the group in the period; `None` without customer ids.
    pub buyers: Option<u64>,
}

/// A group's line in a trend: `points[i]` is the period `periods[i]` of its [`GroupTrend`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSeries {
    /// The group's name (see [`Group::name`]); empty for unknown and for other.
    pub name: String,
    pub unknown: bool,
    /// The sum of every group not drawn on its own.
    pub other: bool,
    pub points: Vec<GroupPoint>,
}

/// The trend of the largest groups and "other" at one grain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupTrend {
    /// Period labels, as [`crate::analysis::kpi::KpiPoint::period`]: dense from the first to the
    /// last paid order's period.
    pub periods: Vec<String>,
    /// The largest groups by GMV, in the order of [`DimensionBreakdown::groups`], then "other"
    /// when there are more groups. The series of a period sum to the period's GMV, refunds, paid
    /// orders (order-level dimensions) and units.
    pub series: Vec<GroupSeries>,
}

/// The breakdown of the KPIs by one dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionBreakdown {
    pub dimension: Dimension,
    /// Groups by GMV, largest first (ties by name), the unknown group last.
    pub groups: Vec<Group>,
    /// Whether paid orders of the groups sum to the total (every order-level dimension; not
    /// category, where an order may hold lines of several categories).
    pub orders_sum_to_total: bool,
    pub daily: GroupTrend,
    pub weekly: GroupTrend,
    pub monthly: GroupTrend,
}

/// A dimension the data does not carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MissingDimension {
    pub dimension: Dimension,
    pub reason: Unavailable,
}

/// The breakdowns section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakdownReport {
    /// The KPIs of all paid orders, the sum the groups add up to.
    pub total: KpiSet,
    /// One per dimension the data carries, in [`Dimension::ALL`] order.
    pub dimensions: Vec<DimensionBreakdown>,
    /// The dimensions asked for that the data does not carry, with what would unlock them.
    pub unavailable: Vec<MissingDimension>,
}

impl BreakdownReport {
    pub fn dimension(&self, d: Dimension) -> Option<&DimensionBreakdown> {
        self.dimensions.iter().find(|b| b.dimension == d)
    }
}

/// Breaks the KPIs down by every dimension asked for that the data carries.
pub fn compute(ds: &Dataset, opts: &BreakdownOptions) -> Result<BreakdownReport, Unavailable> {
    let tally = Tally::new(ds);
    if tally.paid.is_empty() {
        return Err(crate::analysis::kpi::no_paid_orders());
    }
    let asked: Vec<Dimension> = if opts.dimensions.is_empty() {
        Dimension::ALL.to_vec()
    } else {
        Dimension::ALL
            .into_iter()
            .filter(|d| opts.dimensions.contains(d))
            .collect()
    };
    let total = tally.kpi(&accumulate::totals(1, &tally.wholes)[0]);
    let mut dimensions = Vec::new();
    let mut unavailable = Vec::new();
    for d in asked {
        match breakdown(ds, &tally, d, &total, opts) {
            Some(b) => dimensions.push(b),
            None => unavailable.push(MissingDimension {
                dimension: d,
                reason: d.unavailable(),
            }),
        }
    }
    Ok(BreakdownReport {
        total,
        dimensions,
        unavailable,
    })
}

/// Names of a dimension's groups: `names[g]` for group `g < names.len()`; group `names.len()` is
/// unknown.
struct Grouping {
    names: Vec<String>,
    /// Each paid order's contributions (one per group it touches), in `tally.paid` order.
    contributions: Vec<Contribution>,
}

fn grouping(ds: &Dataset, tally: &Tally, d: Dimension) -> Grouping {
    let orders = &ds.orders;
    // `id_of(position in tally.paid, order index)`: the order's group.
    let by_id = |names: Vec<String>, id_of: &dyn Fn(usize, usize) -> Option<u32>| {
        let unknown = names.len() as u32;
        let contributions = tally
            .paid
            .iter()
            .enumerate()
            .map(|(at, &o)| tally.whole(at, id_of(at, o).unwrap_or(unknown)))
            .collect();
        Grouping {
            names,
            contributions,
        }
    };
    let names_of = |i: &crate::model::Interner| i.iter().map(|(_, n)| n.to_string()).collect();
    match d {
        Dimension::Platform => {
            let platforms: Vec<_> = crate::model::Platform::ALL.to_vec();
            by_id(
                platforms.iter().map(|p| p.code().to_string()).collect(),
                &|_, o| {
                    let p = ds.sources.get(orders.source[o] as usize)?.platform;
                    platforms.iter().position(|&q| q == p).map(|i| i as u32)
                },
            )
        }
        Dimension::Shop => by_id(names_of(&ds.shops), &|_, o| orders.shop[o].get()),
        Dimension::Channel => by_id(names_of(&ds.channels), &|_, o| orders.channel[o].get()),
        Dimension::Region => by_id(names_of(&ds.regions), &|_, o| orders.region[o].get()),
        Dimension::CustomerType => by_id(
            vec!["new".to_string(), "returning".to_string()],
            &|at, _| {
                let c = &tally.wholes[at];
                let first = tally.first_paid_day[c.customer? as usize]?;
                Some(u32::from(c.day > first))
            },
        ),
        Dimension::Category => category_grouping(ds, tally),
    }
}

/// Each paid order's GMV, refund and units split over its lines' categories (see the module docs).
fn category_grouping(ds: &Dataset, tally: &Tally) -> Grouping {
    let names: Vec<String> = ds.categories.iter().map(|(_, n)| n.to_string()).collect();
    let unknown = names.len() as u32;
    let lines_by_order = ds.lines_by_order();
    let category_of = |l: usize| {
        ds.product_info
            .get(ds.lines.product[l] as usize)
            .and_then(|i| i.category)
            .unwrap_or(unknown)
    };
    let mut contributions = Vec::with_capacity(tally.paid.len());
    let mut split = LineSplit::default();
    for (at, &o) in tally.paid.iter().enumerate() {
        let lines = lines_by_order.get(o);
        if lines.is_empty() {
            contributions.push(tally.whole(at, unknown));
            continue;
        }
        split.order(ds, o, lines);
        // This order's contributions, one per category of its lines, in order of first line.
        let first = contributions.len();
        for (k, &l) in lines.iter().enumerate() {
            let group = category_of(l as usize);
            let at = match contributions[first..].iter().position(|c| c.group == group) {
                Some(at) => first + at,
                None => {
                    contributions.push(tally.whole(at, group).emptied());
                    contributions.len() - 1
                }
            };
            let c = &mut contributions[at];
            c.gmv = c.gmv.saturating_add(split.revenue[k]);
            c.refund = c.refund.saturating_add(split.refunds[k]);
            c.units = c.units.saturating_add(ds.lines.quantity[l as usize]);
        }
    }
    Grouping {
        names,
        contributions,
    }
}

fn breakdown(
    ds: &Dataset,
    tally: &Tally,
    d: Dimension,
    total: &KpiSet,
    opts: &BreakdownOptions,
) -> Option<DimensionBreakdown> {
    if d == Dimension::CustomerType && !tally.has_buyer_ids {
        return None;
    }
    if d == Dimension::Category && (ds.lines.is_empty() || ds.categories.is_empty()) {
        return None;
    }
    // No named shop, channel or region: every paid order would be in the unknown group, which
    // the check below turns down; said before the orders are grouped and summed for nothing.
    let names = match d {
        Dimension::Shop => Some(&ds.shops),
        Dimension::Channel => Some(&ds.channels),
        Dimension::Region => Some(&ds.regions),
        _ => None,
    };
    if names.is_some_and(|n| n.is_empty()) {
        return None;
    }
    let Grouping {
        names,
        contributions,
    } = grouping(ds, tally, d);
    let unknown = names.len();
    let sums = accumulate::totals(unknown + 1, &contributions);
    // The data carries the dimension when some paid order has a known value.
    if sums[..unknown].iter().all(|s| s.paid_orders == 0) {
        return None;
    }
    let mut order: Vec<usize> = (0..=unknown).filter(|&g| sums[g].paid_orders > 0).collect();
    order.sort_by(|&a, &b| {
        (a == unknown)
            .cmp(&(b == unknown))
            .then(sums[b].gmv.cmp(&sums[a].gmv))
            .then_with(|| names.get(a).cmp(&names.get(b)))
    });
    let name_of = |g: usize| names.get(g).cloned().unwrap_or_default();
    let groups: Vec<Group> = order
        .iter()
        .map(|&g| {
            let kpi = tally.kpi(&sums[g]);
            Group {
                name: name_of(g),
                unknown: g == unknown,
                gmv_share: ratio(kpi.gmv as f64, total.gmv as f64),
                kpi,
            }
        })
        .collect();
    // The trend draws the largest groups (the unknown group among them by its GMV) and "other".
    let mut by_gmv = order.clone();
    by_gmv.sort_by(|&a, &b| sums[b].gmv.cmp(&sums[a].gmv));
    let drawn: Vec<usize> = if by_gmv.len() > opts.trend_groups + 1 {
        let mut top = by_gmv[..opts.trend_groups].to_vec();
        top.sort_by_key(|g| order.iter().position(|x| x == g));
        top
    } else {
        order.clone()
    };
    let trends = accumulate::trends(tally, &contributions, unknown + 1, &drawn);
    let [daily, weekly, monthly] = trends.map(|(periods, points)| GroupTrend {
        periods,
        series: points
            .into_iter()
            .enumerate()
            .map(|(i, points)| {
                let g = drawn.get(i).copied();
                GroupSeries {
                    name: g.map(name_of).unwrap_or_default(),
                    unknown: g == Some(unknown),
                    other: g.is_none(),
                    points,
                }
            })
            .collect(),
    });
    Some(DimensionBreakdown {
        dimension: d,
        groups,
        orders_sum_to_total: d.is_order_level(),
        daily,
        weekly,
        monthly,
    })
}
