//! What the report did with the currencies of the loaded orders, said on every view that shows
//! money (and in the offline report, which stacks the same views): the currency of the figures,
//! the other currencies left apart, or the rates of a conversion.

use super::ViewOptions;
use crate::currency::{CurrencyGroup, CurrencyMode};
use crate::report::Report;
use crate::view::fmt;
use crate::view::i18n::t;
use crate::view::node::{el, Element};

/// `template` with its `{}` placeholders replaced by `args` in order.
fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    for arg in args {
        match rest.split_once("{}") {
            Some((before, after)) => {
                out.push_str(before);
                out.push_str(arg);
                rest = after;
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// A currency's name as the views write it: its code, or "currency not stated".
pub fn currency_label(code: Option<&str>, opts: &ViewOptions) -> String {
    match code.filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => t(opts.lang, "currency.not_stated").to_string(),
    }
}

fn group_text(g: &CurrencyGroup, opts: &ViewOptions) -> String {
    fill(
        t(opts.lang, "currency.group"),
        &[
            &currency_label(g.code.as_deref(), opts),
            &fmt::int(g.orders as i64, opts.lang),
        ],
    )
}

/// The line for the top of a view: on the overview always when orders were loaded; on the other
/// views only when the orders are in several currencies (the figures are one currency's, or
/// converted). `None` when there is nothing to say.
pub fn currency_line(report: &Report, opts: &ViewOptions, overview: bool) -> Option<Element> {
    let lang = opts.lang;
    let mut line = el("p").class("currency-line").testid("currency-line");
    let text = match report.currency_mode {
        CurrencyMode::Single => {
            if !overview || report.currencies.is_empty() {
                return None;
            }
            if report.currency.is_empty() {
                line = line.class("currency-unknown");
                t(lang, "currency.single_unknown").to_string()
            } else {
                fill(t(lang, "currency.single"), &[&report.currency])
            }
        }
        CurrencyMode::PerCurrency => {
            let shown = report.currencies.iter().find(|g| g.shown);
            let others: Vec<String> = report
                .currencies
                .iter()
                .filter(|g| !g.shown)
                .map(|g| group_text(g, opts))
                .collect();
            fill(
                t(lang, "currency.per_currency"),
                &[
                    &fmt::int(report.currencies.len() as i64, lang),
                    &currency_label(Some(&report.currency), opts),
                    &fmt::int(shown.map_or(0, |g| g.orders) as i64, lang),
                    &others.join(t(lang, "currency.list_sep")),
                ],
            )
        }
        CurrencyMode::Converted => {
            let Some(c) = &report.conversion else {
                return None;
            };
            let rates: Vec<String> = c
                .rates
                .iter()
                .map(|r| {
                    let month = r
                        .month
                        .as_deref()
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default();
                    format!("{} = {}{month}", r.pair, r.rate)
                })
                .collect();
            let mut text = fill(
                t(lang, "currency.converted"),
                &[&c.target, &rates.join(t(lang, "currency.list_sep"))],
            );
            if !c.left_out.is_empty() {
                text.push(' ');
                text.push_str(&fill(
                    t(lang, "currency.left_out"),
                    &[&c.left_out.join(t(lang, "currency.list_sep"))],
                ));
            }
            text
        }
    };
    Some(
        line.attr("data-mode", mode_code(report.currency_mode))
            .text(text),
    )
}

fn mode_code(mode: CurrencyMode) -> &'static str {
    match mode {
        CurrencyMode::Single => "single",
        CurrencyMode::PerCurrency => "per_currency",
        CurrencyMode::Converted => "converted",
    }
}

/// A file's currency for its load panel: the code and how it was decided, or why there is none.
pub fn load_currency(
    code: Option<&str>,
    basis: Option<&str>,
    opts: &ViewOptions,
) -> Option<String> {
    let basis = basis?;
    let how = crate::view::i18n::by_code(opts.lang, "currency.basis", basis)
        .unwrap_or(basis)
        .to_string();
    Some(match code {
        Some(c) => format!("{c} ({how})"),
        None => how,
    })
}
