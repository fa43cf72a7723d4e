//! The whole report: what the page shows and what the npm package returns.
//!
//! [`analyze`] runs every analysis over loaded tables. Each section that needs data the user has not
//! loaded is a [`Section::Unavailable`] naming the export that would unlock it, never a page of zeros.
//! Money is `i64` cents everywhere; ratios are `null` where undefined.

use crate::codes::UnavailableCode;
use serde::{Deserialize, Serialize};

use crate::analysis::ab::{self, AbOptions, AbReport};
use crate::analysis::actions::{self, ActionOptions, ActionReport};
use crate::analysis::alerts::{self, Alert, AlertOptions};
use crate::analysis::breakdown::{self, BreakdownOptions, BreakdownReport};
use crate::analysis::cohort::{self, CohortOptions, CohortReport};
use crate::analysis::filter::{self, Filter};
use crate::analysis::funnel::{self, FunnelOptions, FunnelReport};
use crate::analysis::kpi::{self, KpiOptions, KpiReport};
use crate::analysis::products::{self, ProductOptions, ProductReport};
use crate::analysis::promotion::{self, PromotionOptions, PromotionReport};
use crate::analysis::rfm::{self, RfmOptions, RfmReport};
use crate::analysis::stock::{self, StockOptions, StockReport};
use crate::analysis::Unavailable;
use crate::currency::{self, Conversion, CurrencyGroup, CurrencyMode, Rates};
use crate::error::{Error, ErrorKind, Position};
use crate::ingest::{IngestOptions, LoadReport, Loaded, Session};
use crate::model::Dataset;

/// Every option of an analysis run. Unknown fields are errors, so a typo is never silently ignored.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyzeOptions {
    /// Ingest corrections: per-file kind/platform/column roles, epoch offset.
    pub ingest: IngestOptions,
    /// Date range and platform/shop/category/product filters, applied before every analysis.
    pub filter: Filter,
    pub kpi: KpiOptions,
    pub cohort: CohortOptions,
    pub rfm: RfmOptions,
    pub funnel: FunnelOptions,
    pub products: ProductOptions,
    pub alerts: AlertOptions,
    /// Stock and replenishment (DEFINITIONS §8): lead time, service level, review period, window.
    pub stock: StockOptions,
    /// A/B readout (DEFINITIONS §9): how the two groups are chosen, and the goal.
    pub ab: AbOptions,
    /// Thresholds of the action list (DEFINITIONS §11).
    pub actions: ActionOptions,
    /// Promotion readout windows (活动复盘).
    pub promotion: PromotionOptions,
    /// The currency of the report's money figures when the orders are in several: one of theirs
    /// (default: the one with the most paid orders), or the target of a conversion with `rates`
    /// (`crate::currency`).
    pub currency: Option<String>,
    /// Exchange rates by pair, `{ "USD/CNY": 7.1 }` or per month
    /// `{ "USD/CNY": { "2025-01": 7.2 } }`: with them, orders in other currencies are converted.
    pub rates: Rates,
    /// Which dimensions to break the KPIs down by, and how many groups the trend draws.
    pub breakdowns: BreakdownOptions,
}

/// A report section: computed, or unavailable with the reason and what would unlock it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Section<T> {
    Ready { data: T },
    Unavailable { reason: Unavailable },
}

impl<T> Section<T> {
    pub fn from_result(r: Result<T, Unavailable>) -> Section<T> {
        match r {
            Ok(data) => Section::Ready { data },
            Err(reason) => Section::Unavailable { reason },
        }
    }
    pub fn ready(&self) -> Option<&T> {
        match self {
            Section::Ready { data } => Some(data),
            Section::Unavailable { .. } => None,
        }
    }
}

/// Row and entity counts of what was loaded (after filters).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DataSummary {
    pub orders: usize,
    pub paid_orders: usize,
    pub order_lines: usize,
    /// Distinct customer ids among orders (behaviour-log users are counted in `event_users`).
    pub customers: usize,
    /// Distinct users in the behaviour log.
    pub event_users: usize,
    pub products: usize,
    pub events: usize,
    pub traffic_rows: usize,
    pub ad_rows: usize,
}

impl DataSummary {
    pub fn of(ds: &Dataset) -> DataSummary {
        DataSummary {
            orders: ds.orders.len(),
            paid_orders: (0..ds.orders.len())
                .filter(|&o| ds.orders.is_paid(o))
                .count(),
            order_lines: ds.lines.len(),
            // Customers of orders only: behaviour-log users share the interner but are not buyers.
            customers: distinct(ds.orders.customer.iter().flatten(), ds.customers.len()),
            products: ds.products.len(),
            event_users: distinct(ds.events.user.iter(), ds.customers.len()),
            events: ds.events.len(),
            traffic_rows: ds.traffic.len(),
            ad_rows: ds.ads.len(),
        }
    }
}

/// How many distinct ids among `ids`, all below `id_count` (interned customer ids): a bit per id
/// (12 KB for 100k users), where a hash set of a 10M-event log's users took 151 MB.
fn distinct<'a>(ids: impl Iterator<Item = &'a u32>, id_count: usize) -> usize {
    let mut seen = vec![0u64; id_count.div_ceil(64)];
    let mut count = 0;
    for &id in ids {
        let Some(word) = seen.get_mut(id as usize / 64) else {
            continue;
        };
        let bit = 1u64 << (id % 64);
        count += usize::from(*word & bit == 0);
        *word |= bit;
    }
    count
}

/// The whole report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// Engine version that computed the report.
    pub version: String,
    /// ISO code of every money figure's currency (amounts are hundredths of it), decided per file
    /// (`crate::currency::detect`); `""` when no file states it (amounts are shown without a symbol).
    pub currency: String,
    /// How several currencies were treated: `single`, `per_currency` (the figures are of
    /// `currency` only) or `converted` (with the user's rates, see `conversion`).
    #[serde(default)]
    pub currency_mode: CurrencyMode,
    /// The currencies of the loaded orders with their files and counts (money never combined).
    #[serde(default)]
    pub currencies: Vec<CurrencyGroup>,
    /// The rates used, when orders were converted.
    #[serde(default)]
    pub conversion: Option<Conversion>,
    /// One load report per file, in the order the files were given.
    pub loads: Vec<LoadReport>,
    /// What the analyses saw, after filters.
    pub data: DataSummary,
    pub kpi: Section<KpiReport>,
    pub funnel: Section<FunnelReport>,
    pub cohorts: Section<CohortReport>,
    pub rfm: Section<RfmReport>,
    pub products: Section<ProductReport>,
    /// Stock and replenishment per product (DEFINITIONS §8).
    pub stock: Section<StockReport>,
    /// A/B readout of two chosen groups (DEFINITIONS §9).
    pub ab: Section<AbReport>,
    pub alerts: Vec<Alert>,
    /// The action list (操作清单, DEFINITIONS §11): always present; each rule fired, stayed quiet
    /// or is locked naming the export that would unlock it.
    pub actions: ActionReport,
    /// Promotion readout (活动复盘), DEFINITIONS §7.
    pub promotion: Section<PromotionReport>,
    /// The KPIs per platform, shop, channel, region, customer type and category (DEFINITIONS §10).
    pub breakdowns: Section<BreakdownReport>,
}

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Run every analysis over loaded tables.
pub fn analyze(loaded: &Loaded, opts: &AnalyzeOptions) -> Result<Report, Error> {
    // Money is never added across currencies: the analyses read one currency's orders (or all of
    // them converted with the user's rates), see `crate::currency`.
    let (one_currency, money) = currency::split(
        &loaded.dataset,
        &loaded.reports,
        opts.currency.as_deref(),
        &opts.rates,
    )
    .map_err(|(option, reason)| {
        Error::new(
            ErrorKind::InvalidOption {
                option: option.into(),
                reason,
            },
            Position::default(),
        )
    })?;
    let base = one_currency.as_ref().unwrap_or(&loaded.dataset);
    let filtered;
    let ds = if filter_is_empty(&opts.filter) {
        base
    } else {
        filtered = filter::apply(base, &opts.filter).map_err(|e| {
            Error::new(
                ErrorKind::InvalidOption {
                    option: "filter".into(),
                    reason: e.to_string(),
                },
                Position::default(),
            )
        })?;
        &filtered
    };
    opts.promotion.validate().map_err(|reason| {
        Error::new(
            ErrorKind::InvalidOption {
                option: "promotion".into(),
                reason,
            },
            Position::default(),
        )
    })?;
    let kpi = if ds.orders.is_empty() {
        Section::Unavailable {
            reason: Unavailable::new(
                UnavailableCode::NoOrders,
                "an order export (订单报表, Shopify orders, Amazon All Orders …)",
            ),
        }
    } else {
        Section::Ready {
            data: kpi::compute(ds, &opts.kpi),
        }
    };
    let funnel = Section::from_result(funnel::compute(ds, &opts.funnel));
    let item_conversion = funnel::item_conversion(ds);
    let products = Section::from_result(products::compute(ds, &opts.products, &item_conversion));
    let mut alerts = alerts::compute(ds, products.ready(), &opts.alerts);
    // The JSON carries each alert's sentences too, for callers of the package.
    crate::view::i18n::alerts::write_messages(&mut alerts);
    let cohorts = Section::from_result(cohort::compute(ds, &opts.cohort));
    let rfm = Section::from_result(rfm::compute(ds, &opts.rfm));
    // The stock section gives the restock and ride-a-riser rules their days of cover (which the
    // stock options' lead time and service level do not move).
    let stock = Section::from_result(stock::compute(ds, &opts.stock));
    let actions = action_list(
        &kpi,
        &rfm,
        &products,
        &funnel,
        section_result(&stock),
        &opts.actions,
    );
    Ok(Report {
        version: VERSION.to_string(),
        currency: money.currency,
        currency_mode: money.mode,
        currencies: money.currencies,
        conversion: money.conversion,
        loads: loaded.reports.clone(),
        data: DataSummary::of(ds),
        kpi,
        funnel,
        cohorts,
        rfm,
        products,
        stock,
        ab: Section::from_result(ab::compute(ds, &opts.ab)),
        alerts,
        actions,
        promotion: Section::from_result(promotion::compute(ds, &opts.promotion)),
        breakdowns: Section::from_result(breakdown::compute(ds, &opts.breakdowns)),
    })
}

/// The action list from the sections it reads.
fn action_list(
    kpi: &Section<KpiReport>,
    rfm: &Section<RfmReport>,
    products: &Section<ProductReport>,
    funnel: &Section<FunnelReport>,
    stock: Result<&StockReport, &Unavailable>,
    opts: &ActionOptions,
) -> ActionReport {
    let covers = stock.map(actions::covers);
    let inputs = actions::Inputs {
        kpi: kpi.ready().map(|k| &k.total),
        rfm: section_result(rfm),
        products: section_result(products),
        funnel: section_result(funnel),
        cover: match &covers {
            Ok(c) => Ok(c.as_slice()),
            Err(reason) => Err(*reason),
        },
    };
    actions::compute(&inputs, opts)
}

fn section_result<T>(section: &Section<T>) -> Result<&T, &Unavailable> {
    match section {
        Section::Ready { data } => Ok(data),
        Section::Unavailable { reason } => Err(reason),
    }
}

fn filter_is_empty(f: &Filter) -> bool {
    f.is_empty()
}

/// Load whole files from memory and analyse them: the one-shot path for tests and tools.
/// Returns the report; per-file errors are inside its load reports.
pub fn analyze_files(files: &[(&str, &[u8])], opts: &AnalyzeOptions) -> Result<Report, Error> {
    let mut session = Session::new(opts.ingest.clone());
    for (name, bytes) in files {
        // A file's error is kept in its load report; the other files go on.
        if session.push(name, bytes).is_ok() {
            let _ = session.end_file(name);
        }
    }
    analyze(&session.finish(), opts)
}
