//! Currencies: money is never added across currencies.
//!
//! Every amount is kept in integer hundredths of the currency it was paid in (`i64`, "cents"; for a
//! currency without a minor unit in use, JPY or KRW, the hundredths are always 0 in practice and the
//! figures are shown in whole units). Each file's currency is decided in [`detect`]; an order is in
//! the currency of the file that created it.
//!
//! [`split`] runs before every analysis, on the loaded dataset:
//! - **One currency** (or none stated) among the orders: nothing changes; the report's `currency` is
//!   that code, or `""` when no file states one (amounts are then shown without a symbol).
//! - **Several, without rates** (`per_currency`): the analyses run on the orders of one currency
//!   only — `AnalyzeOptions::currency`, by default the currency with the most paid orders (GMVs in
//!   different currencies cannot be compared without rates; ties go to the larger GMV, then the
//!   code). Every section of the report (KPIs, cohorts, RFM, products, and any section added later)
//!   is then exactly the report of that currency's files alone. `Report::currencies` lists every
//!   currency with its files, orders, paid orders and GMV (in its own currency): those counts are the
//!   combined figures across currencies; money is never combined.
//! - **Several, with rates** (`converted`): every order in a stated currency is converted to the
//!   target (`AnalyzeOptions::currency`, else the default above) at the rate of its pair (and of its
//!   order month, for monthly rates), its paid amount, refund and each line's price, amount and
//!   refund rounded separately to the target's minor unit, half away from zero ([`rates`]). Orders of
//!   a file whose currency is not stated cannot be converted and are left out (listed in
//!   `Conversion::left_out`). `Report::conversion` states the rates used.
//!
//! The events, traffic and ad tables and the product list's costs and prices have no per-row
//! source: a table is kept when at least one file of its kind is in the report's currency or of no
//! stated currency; a product list in another currency has its costs and prices cleared (they are
//! never converted: their date is unknown).

pub mod detect;
pub mod rates;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::filter::{self, Filter};
use crate::ingest::LoadReport;
use crate::model::{Dataset, DatasetKind};
use crate::time;
pub use rates::{RateSpec, Rates};

/// One currency among the loaded orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyGroup {
    /// ISO code; `None` for the files whose currency is not stated.
    pub code: Option<String>,
    /// The files of orders in this currency.
    pub files: Vec<String>,
    pub orders: usize,
    pub paid_orders: usize,
    /// Paid amount of its paid orders, hundredths of this currency (DEFINITIONS §2 GMV, before
    /// filters).
    pub gmv: i64,
    /// Whether the report's money figures are of this currency (directly or converted).
    pub shown: bool,
}

/// How the report treats several currencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CurrencyMode {
    /// One currency (or none stated) among the orders.
    #[default]
    Single,
    /// Several: the report is of one of them (`Report::currency`).
    PerCurrency,
    /// Several, converted to `Report::currency` with the user's rates.
    Converted,
}

/// A rate a conversion used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateUsed {
    /// The pair as the user wrote it (`USD/CNY`).
    pub pair: String,
    /// The month, for a monthly rate.
    pub month: Option<String>,
    pub rate: f64,
    /// Orders converted at it.
    pub orders: usize,
}

/// The conversion the report made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    /// ISO code every money figure is in.
    pub target: String,
    pub rates: Vec<RateUsed>,
    /// Files left out of the report because their currency is not stated (orders) or is another
    /// currency (product lists, traffic and ad reports, which are not converted).
    pub left_out: Vec<String>,
}

/// What [`split`] decided, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CurrencyInfo {
    /// ISO code of the report's money figures; `""` when not stated.
    pub currency: String,
    pub mode: CurrencyMode,
    pub currencies: Vec<CurrencyGroup>,
    pub conversion: Option<Conversion>,
}

/// The dataset the analyses should read, when it differs from `ds` (`None`: `ds` itself), and
/// what was decided (module docs). `choice` is `AnalyzeOptions::currency`; `Err` is a message for
/// an invalid option (`currency` or `rates`).
pub fn split(
    ds: &Dataset,
    reports: &[LoadReport],
    choice: Option<&str>,
    rates: &Rates,
) -> Result<(Option<Dataset>, CurrencyInfo), (&'static str, String)> {
    rates::validate(rates).map_err(|e| ("rates", e))?;
    let of_source: Vec<Option<String>> = ds
        .sources
        .iter()
        .map(|s| {
            reports
                .iter()
                .find(|r| r.file == s.file)
                .and_then(|r| r.currency.clone())
        })
        .collect();
    let order_currency = |o: usize| -> Option<&str> {
        of_source
            .get(ds.orders.source[o] as usize)
            .and_then(|c| c.as_deref())
    };
    let mut groups = groups(ds, &order_currency);
    let choice = choice
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    let chosen: Option<Option<String>> = match &choice {
        Some(c) => Some(Some(c.clone())),
        None => groups.first().map(|g| g.code.clone()),
    };
    let converting = !rates.is_empty()
        && chosen.as_ref().is_some_and(|c| c.is_some())
        && groups
            .iter()
            .any(|g| g.code.is_some() && g.code != *chosen.as_ref().expect("checked"));
    if !converting {
        if let Some(c) = &choice {
            if !groups.iter().any(|g| g.code.as_deref() == Some(c.as_str())) && !groups.is_empty() {
                let found: Vec<String> = groups.iter().map(|g| label(&g.code)).collect();
                return Err((
                    "currency",
                    format!(
                        "{c} is not a currency of the loaded orders ({}); give rates to convert to it",
                        found.join(", ")
                    ),
                ));
            }
        }
    }
    if groups.len() <= 1 && !converting {
        let code = match groups.first() {
            Some(g) => g.code.clone().unwrap_or_default(),
            // No orders: the one currency of the other files, if they agree.
            None => single_code(reports),
        };
        for g in &mut groups {
            g.shown = true;
        }
        let info = CurrencyInfo {
            currency: code,
            mode: CurrencyMode::Single,
            currencies: groups,
            conversion: None,
        };
        return Ok((None, info));
    }
    let target = chosen.flatten();
    let target_str = target.clone().unwrap_or_default();
    // Tables without per-row sources, kept when a file of their kind is in the target or unstated.
    let table_ok = |kind: DatasetKind| {
        let mut files = ds
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == kind);
        files.any(|(i, _)| of_source[i].as_deref().map_or(true, |c| c == target_str))
    };
    let mut left_out: Vec<String> = ds
        .sources
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            !detect::is_order_kind(s.kind)
                && of_source[*i].as_ref().is_some_and(|c| *c != target_str)
        })
        .map(|(_, s)| s.file.clone())
        .collect();
    let keep_order = |o: usize| match order_currency(o) {
        Some(c) => converting || c == target_str,
        None => target.is_none(),
    };
    let mut out = filter::apply_where(ds, &Filter::default(), &keep_order, &table_ok)
        .map_err(|e| ("currency", e.to_string()))?;
    clear_foreign_product_prices(&mut out, &of_source, &target_str);
    out.currency = target.clone();
    for g in &mut groups {
        g.shown = g.code == target || (converting && g.code.is_some());
        if !g.shown && converting {
            left_out.extend(g.files.iter().cloned());
        }
    }
    let conversion = if converting {
        let used =
            convert_orders(&mut out, &of_source, &target_str, rates).map_err(|e| ("rates", e))?;
        Some(Conversion {
            target: target_str.clone(),
            rates: used,
            left_out,
        })
    } else {
        None
    };
    let info = CurrencyInfo {
        currency: target_str,
        mode: if converting {
            CurrencyMode::Converted
        } else {
            CurrencyMode::PerCurrency
        },
        currencies: groups,
        conversion,
    };
    Ok((Some(out), info))
}

fn label(code: &Option<String>) -> String {
    code.clone().unwrap_or_else(|| "not stated".into())
}

/// The currencies of the orders: files, orders, paid orders and GMV each, most paid orders first
/// (stated currencies before the unstated group; then larger GMV, then code).
fn groups<'a>(
    ds: &Dataset,
    order_currency: &dyn Fn(usize) -> Option<&'a str>,
) -> Vec<CurrencyGroup> {
    let mut by_code: BTreeMap<Option<String>, CurrencyGroup> = BTreeMap::new();
    for o in 0..ds.orders.len() {
        let code = order_currency(o).map(str::to_string);
        let g = by_code
            .entry(code.clone())
            .or_insert_with(|| CurrencyGroup {
                code,
                files: Vec::new(),
                orders: 0,
                paid_orders: 0,
                gmv: 0,
                shown: false,
            });
        g.orders += 1;
        if ds.orders.is_paid(o) {
            g.paid_orders += 1;
            g.gmv = g.gmv.saturating_add(ds.orders.paid_amount[o]);
        }
        if let Some(s) = ds.sources.get(ds.orders.source[o] as usize) {
            if !g.files.contains(&s.file) {
                g.files.push(s.file.clone());
            }
        }
    }
    let mut groups: Vec<CurrencyGroup> = by_code.into_values().collect();
    groups.sort_by(|a, b| {
        a.code
            .is_none()
            .cmp(&b.code.is_none())
            .then(b.paid_orders.cmp(&a.paid_orders))
            .then(b.gmv.cmp(&a.gmv))
            .then(a.code.cmp(&b.code))
    });
    groups
}

/// The one currency the loaded files state, when they agree (no orders loaded), else `""`.
fn single_code(reports: &[LoadReport]) -> String {
    let mut codes = reports.iter().filter_map(|r| r.currency.as_deref());
    match codes.next() {
        Some(first) if codes.all(|c| c == first) => first.to_string(),
        _ => String::new(),
    }
}

/// Costs and prices of a product list in a currency other than `target` are cleared (module docs).
fn clear_foreign_product_prices(ds: &mut Dataset, of_source: &[Option<String>], target: &str) {
    let foreign = ds.sources.iter().enumerate().any(|(i, s)| {
        s.kind == DatasetKind::Products && of_source[i].as_deref().is_some_and(|c| c != target)
    });
    let native = ds.sources.iter().enumerate().any(|(i, s)| {
        s.kind == DatasetKind::Products && of_source[i].as_deref().map_or(true, |c| c == target)
    });
    if foreign && !native {
        for info in &mut ds.product_info {
            info.cost = None;
            info.price = None;
        }
    }
}

/// Converts every order of `ds` whose file's currency is not `target` (module docs); returns the
/// rates used with their orders.
fn convert_orders(
    ds: &mut Dataset,
    of_source: &[Option<String>],
    target: &str,
    rates: &Rates,
) -> Result<Vec<RateUsed>, String> {
    let (_, digits) = crate::money::currency_style(target);
    let unit = 10i64.pow(2u32.saturating_sub(digits));
    let mut used: BTreeMap<rates::RateKey, (f64, usize)> = BTreeMap::new();
    let mut factor: Vec<Option<rates::Ratio>> = vec![None; ds.orders.len()];
    for (o, slot) in factor.iter_mut().enumerate() {
        let Some(from) = of_source
            .get(ds.orders.source[o] as usize)
            .and_then(|c| c.as_deref())
        else {
            continue;
        };
        if from == target {
            continue;
        }
        let month = time::format_month(time::month_of_day(time::day_of(ds.orders.time[o])));
        let (ratio, key, value) =
            rates::lookup(rates, from, target, &month, !ds.orders.is_paid(o))?;
        used.entry(key).or_insert((value, 0)).1 += 1;
        *slot = Some(ratio);
        let os = &mut ds.orders;
        os.paid_amount[o] = rates::convert(os.paid_amount[o], ratio, unit);
        os.refund[o] = rates::convert(os.refund[o], ratio, unit);
    }
    let l = &mut ds.lines;
    for i in 0..l.order.len() {
        let Some(ratio) = factor[l.order[i] as usize] else {
            continue;
        };
        let c = |v: Option<i64>| v.map(|v| rates::convert(v, ratio, unit));
        l.unit_price[i] = c(l.unit_price[i].get()).into();
        l.amount[i] = c(l.amount[i].get()).into();
        l.refund[i] = c(l.refund[i].get()).into();
    }
    Ok(used
        .into_iter()
        .map(|(k, (rate, orders))| RateUsed {
            pair: k.pair,
            month: k.month,
            rate,
            orders,
        })
        .collect())
}
