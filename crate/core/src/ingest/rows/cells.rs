//! Typed reads of one cell: each parses from `&str` and turns a parse error into a [`Reject`] that
//! names the column and the raw value.

use super::*;
use crate::codes::ReasonCode;

impl Mapper {
    /// The raw cell of a role, when the file has that column.
    pub(super) fn cell<'r>(&self, rec: &Record<'r>, f: Field) -> Option<&'r str> {
        self.col(f).and_then(|i| rec.get(i))
    }

    pub(super) fn parsed<T>(
        &self,
        rec: &Record<'_>,
        f: Field,
        parse: impl Fn(&str) -> Result<Option<T>, ValueError>,
    ) -> RowResult<Option<T>> {
        let Some(i) = self.col(f) else {
            return Ok(None);
        };
        let raw = rec.get(i).unwrap_or("");
        parse(raw).map_err(|e| Reject {
            code: e.code(),
            message: format!("Expected {}.", e.expected()).into(),
            column: Some(i),
            value: raw.to_string(),
        })
    }

    /// Count the currency a row names (`crate::currency::detect`): its currency column's value,
    /// else a symbol or code written in its paid amount (else line amount, else unit price). A bare
    /// number costs two byte checks; a value already seen costs no allocation.
    pub(super) fn count_currency(&self, rec: &Record<'_>, report: &mut LoadReport) {
        use crate::currency::detect::{code_of_value, mark_of_amount};
        if self.has(Field::Currency) {
            let Some(v) = self.text(rec, Field::Currency) else {
                return;
            };
            let v = v.trim();
            if let Some(seen) = report
                .currency_seen
                .iter_mut()
                .find(|s| s.from == "column" && s.value.eq_ignore_ascii_case(v))
            {
                seen.rows += 1;
            } else if let Some(code) = code_of_value(v) {
                report.count_currency(&code, "column", 1);
            }
            return;
        }
        // A cell that begins and ends with a digit is not blank and names no currency
        // (`mark_of_amount` says so after trimming, which such a cell does not need).
        let digit_edges = |c: &str| {
            let b = c.as_bytes();
            b.first().is_some_and(u8::is_ascii_digit) && b.last().is_some_and(u8::is_ascii_digit)
        };
        let amount = [Field::PaidAmount, Field::LineAmount, Field::UnitPrice]
            .into_iter()
            .find_map(|f| {
                self.cell(rec, f)
                    .filter(|c| digit_edges(c) || !c.trim().is_empty())
            });
        if let Some(mark) = amount.filter(|c| !digit_edges(c)).and_then(mark_of_amount) {
            report.count_currency(mark, "amount", 1);
        }
    }

    pub(super) fn money(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<i64>> {
        if self
            .col(f)
            .is_some_and(|i| self.decimal_comma.get(i) == Some(&true))
        {
            return self.parsed(rec, f, parse_money_decimal_comma);
        }
        self.parsed(rec, f, |s| {
            fast::money(s).map_or_else(|| parse_money(s), |v| Ok(Some(v)))
        })
    }

    pub(super) fn time(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<i64>> {
        let TimeRules {
            epoch_offset,
            report_zone,
        } = self.time_rules;
        let t = self.parsed(rec, f, |s| {
            fast::time(s, epoch_offset, report_zone).map_or_else(
                || parse_time_in_zone(s, epoch_offset, report_zone),
                |t| Ok(Some(t)),
            )
        })?;
        self.plausible(rec, f, t.map(day_of))?;
        Ok(t)
    }

    pub(super) fn day(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<Day>> {
        let d = self.parsed(rec, f, parse_day)?;
        self.plausible(rec, f, d)?;
        Ok(d)
    }

    /// Shop data lives between 1990 and 2100: a date outside is a typo or a mangled cell, and one
    /// such date would stretch every daily series across centuries.
    pub(super) fn plausible(&self, rec: &Record<'_>, f: Field, day: Option<Day>) -> RowResult<()> {
        match day {
            Some(d) if !(FIRST_PLAUSIBLE_DAY..=LAST_PLAUSIBLE_DAY).contains(&d) => Err(Reject {
                code: ReasonCode::ImplausibleDate,
                message: "The date is outside 1990–2100: a typo or a cell Excel mangled. Correct it in the export."
                    .into(),
                column: self.col(f),
                value: self.cell(rec, f).unwrap_or("").to_string(),
            }),
            _ => Ok(()),
        }
    }

    pub(super) fn count(&self, rec: &Record<'_>, f: Field) -> RowResult<Option<i64>> {
        self.parsed(rec, f, |s| {
            fast::count(s).map_or_else(|| parse_count(s), |v| Ok(Some(v)))
        })
    }

    pub(super) fn id<'r>(&self, rec: &Record<'r>, f: Field) -> RowResult<Option<Cow<'r, str>>> {
        let Some(i) = self.col(f) else {
            return Ok(None);
        };
        let raw = rec.get(i).unwrap_or("");
        if let Some(plain) = fast::id(raw) {
            return Ok(Some(Cow::Borrowed(plain)));
        }
        clean_id(raw).map_err(|e| Reject {
            code: e.code(),
            message: match e {
                ValueError::ScientificId => "This id was turned into a number like 1.23457E+18 by \
                     Excel and no longer identifies one order. Export the report again and open it \
                     without letting Excel convert the column."
                    .into(),
                _ => format!("Expected {}.", e.expected()).into(),
            },
            column: Some(i),
            value: raw.to_string(),
        })
    }

    pub(super) fn text<'r>(&self, rec: &Record<'r>, f: Field) -> Option<&'r str> {
        self.cell(rec, f)
            .map(fast::clean_text)
            .filter(|s| !is_missing(s))
    }

    pub(super) fn required<T>(
        &self,
        v: Option<T>,
        f: Field,
        code: ReasonCode,
        what: &str,
    ) -> RowResult<T> {
        v.ok_or_else(|| Reject {
            code,
            message: format!("{what} is missing; this row cannot be used without it.").into(),
            column: self.col(f),
            value: String::new(),
        })
    }

    /// The product key of a line: SKU / 商家编码, else product id, else the title (DEFINITIONS §6).
    pub(super) fn product_key<'r>(&self, rec: &Record<'r>) -> RowResult<Option<Cow<'r, str>>> {
        if let Some(k) = self.id(rec, Field::Sku)? {
            return Ok(Some(k));
        }
        if let Some(k) = self.id(rec, Field::ProductId)? {
            return Ok(Some(k));
        }
        Ok(self.text(rec, Field::Title).map(Cow::Borrowed))
    }

    pub(super) fn quantity(&self, rec: &Record<'_>) -> RowResult<i64> {
        let q = self.count(rec, Field::Quantity)?.unwrap_or(1);
        if q < 0 {
            return Err(Reject {
                code: ReasonCode::NegativeQuantity,
                message:
                    "A negative quantity cannot be a sale; returns belong in the refund columns."
                        .into(),
                column: self.col(Field::Quantity),
                value: q.to_string(),
            });
        }
        Ok(q)
    }
}
