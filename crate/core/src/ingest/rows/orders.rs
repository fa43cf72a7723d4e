//! Orders and line items (DEFINITIONS §1 and §6): payment state, order-level amounts counted once,
//! sub-order amounts summed, packed WooCommerce lines, and detail lines (宝贝报表) that attach to the
//! orders of another export.

use super::*;
use crate::codes::{NoteCode, ReasonCode};
use crate::schema::place;

impl Mapper {
    /// Payment state a row states, per DEFINITIONS §1; `None` when the row says nothing (the
    /// follow-up line rows of a Shopify order). An unknown status never rejects the row: the
    /// payment time decides, else the paid amount (paid when above 0), and the report says so.
    fn pay_state(
        &self,
        rec: &Record<'_>,
        paid_at: Option<i64>,
        paid_amount: Option<i64>,
        report: &mut LoadReport,
    ) -> RowResult<Option<PayState>> {
        // `text` gives the cell `clean`ed already.
        let raw_status = self.text(rec, Field::Status);
        let status = raw_status.and_then(|s| self.status_class(s));
        if let Some(raw) = raw_status {
            report.count_status(raw, status_meaning(status), 1);
        }
        if let (Some(raw), None) = (raw_status, status) {
            if !self.has_paid_time {
                report.note(
                    NoteCode::UnknownStatusByAmount,
                    format!(
                        "Status \"{raw}\" (and perhaps others) is not one shoplens knows, and the \
                         export has no payment time: such orders are counted as paid when their \
                         paid amount is above 0. Say what each status means on the Data tab."
                    ),
                );
                return Ok(Some(if paid_amount.is_some_and(|a| a > 0) {
                    PayState::Paid
                } else {
                    PayState::Unpaid
                }));
            }
            // With a payment time the status does not decide (DEFINITIONS §1): go on, and say so.
            report.note(
                NoteCode::UnknownStatusIgnored,
                format!(
                    "Status \"{raw}\" (and perhaps others) is not one shoplens knows; orders are judged \
                     paid by their payment time."
                ),
            );
        }
        if status == Some(StatusClass::Test) {
            return Ok(Some(PayState::Cancelled));
        }
        if self.has_paid_time {
            return Ok(match (paid_at, status) {
                (Some(_), _) => Some(PayState::Paid),
                (None, Some(StatusClass::Cancelled)) => Some(PayState::Cancelled),
                (None, Some(_)) => Some(PayState::Unpaid),
                (None, None) => None,
            });
        }
        if self.has_status {
            return Ok(status.map(|s| match s {
                StatusClass::Paid | StatusClass::Refunded => PayState::Paid,
                StatusClass::Unpaid => PayState::Unpaid,
                StatusClass::Cancelled
                | StatusClass::ClosedPaidIfPaymentTime
                | StatusClass::Test => PayState::Cancelled,
            }));
        }
        Ok(Some(PayState::Paid))
    }

    /// The class of a cleaned status value: what the user said it means, else `classify_status`;
    /// remembered per value (`status_memo`).
    fn status_class(&self, s: &str) -> Option<StatusClass> {
        let mut memo = self.status_memo.borrow_mut();
        if let Some((_, class)) = memo.iter().find(|(v, _)| &**v == s) {
            return *class;
        }
        let class = self.statuses.get(s).copied().or_else(|| classify_status(s));
        if memo.len() < STATUS_MEMO {
            memo.push((s.into(), class));
        }
        class
    }

    /// The order's channel and region (DEFINITIONS §10): the channel column, else the
    /// `utm_source` of the landing URL; the province column, else the province of the address
    /// (收货地址's first word), else the country. See [`crate::schema::place`].
    fn dimensions<'r>(&self, rec: &Record<'r>) -> (Option<Cow<'r, str>>, Option<String>) {
        let channel = match self.text(rec, Field::Channel) {
            Some(c) => Some(Cow::Borrowed(c.trim())),
            None => self
                .text(rec, Field::LandingSite)
                .and_then(place::utm_source)
                .map(Cow::Owned),
        };
        let region = self
            .text(rec, Field::Region)
            .and_then(place::region_of)
            .or_else(|| {
                self.text(rec, Field::Address)
                    .and_then(place::region_of_address)
            })
            .or_else(|| self.text(rec, Field::Country).and_then(place::region_of));
        (channel.filter(|c| !c.is_empty()), region)
    }

    pub(super) fn order_row(&self, rec: &Record<'_>, ctx: &mut RowContext<'_>) -> RowResult<bool> {
        let order_key: Cow<str> = if self.has(Field::OrderId) {
            self.required(
                self.id(rec, Field::OrderId)?,
                Field::OrderId,
                ReasonCode::MissingOrderId,
                "The order id",
            )?
        } else {
            Cow::Owned(format!("{}#{}", self.file, rec.line))
        };
        if self.detail_only {
            return self.detail_line(rec, &order_key, ctx).map(|_| false);
        }
        let customer = self.id(rec, Field::CustomerId)?;
        let created = self.time(rec, Field::CreatedTime)?;
        let paid_at = self.time(rec, Field::PaidTime)?;
        let paid_amount = self.money(rec, Field::PaidAmount)?;
        let state = self.pay_state(rec, paid_at, paid_amount, ctx.report)?;
        let refund = self.money(rec, Field::RefundAmount)?;
        let line_refund = match self.money(rec, Field::LineRefund)? {
            Some(r) => Some(r),
            None if self.line_level_refunds => refund,
            None => None,
        };
        let refund_adds_up = self.line_level_refunds
            || (self.has(Field::LineRefund) && !self.has(Field::RefundAmount));
        if ctx.dataset.currency.is_none() {
            if let Some(c) = self.text(rec, Field::Currency).filter(|c| c.len() == 3) {
                ctx.dataset.currency = Some(c.to_ascii_uppercase());
            }
        }
        self.count_currency(rec, ctx.report);
        let found = ctx.dataset.order_ids.lookup(&order_key);
        let exists = found.id().is_some();
        // A paid order needs a time to fall in a period; an unpaid or cancelled one (PDD leaves
        // every time blank on cancelled orders) is kept, counted among orders but in no period.
        if !exists && created.is_none() && paid_at.is_none() && state == Some(PayState::Paid) {
            let f = if self.has(Field::PaidTime) && !self.has(Field::CreatedTime) {
                Field::PaidTime
            } else {
                Field::CreatedTime
            };
            return Err(self
                .required(None::<()>, f, ReasonCode::MissingTime, "The order time")
                .unwrap_err());
        }
        let line_level = self.line_level_amounts || !self.has(Field::PaidAmount);
        let (channel, region) = self.dimensions(rec);
        let order = ctx.dataset.add_order_looked_up(
            &OrderRow {
                id: &order_key,
                customer: customer.as_deref(),
                created,
                paid_at,
                state: if exists {
                    state
                } else {
                    Some(state.unwrap_or(PayState::Unpaid))
                },
                paid_amount: if line_level { None } else { paid_amount },
                refund: if refund_adds_up { None } else { refund },
                source: self.source,
                shop: self.text(rec, Field::Shop),
                channel: channel.as_deref(),
                region: region.as_deref(),
            },
            found,
        );
        if let Some(packed) = self.text(rec, Field::PackedItems) {
            for (qty, title) in unpack_items(packed) {
                ctx.dataset.add_line(
                    order,
                    &LineRow {
                        product_key: title,
                        title: Some(title),
                        quantity: qty,
                        ..LineRow::default()
                    },
                );
            }
            if let (false, Some(a)) = (exists, paid_amount) {
                ctx.dataset.orders.paid_amount[order as usize] = a;
            }
            return Ok(true);
        }
        let key = match self.product_key(rec)? {
            Some(key) => key,
            // No product column but a quantity: units still count (DEFINITIONS §1), on a line of
            // an unnamed product.
            None if self.has(Field::Quantity) => {
                ctx.report.note(
                    NoteCode::UnitsWithoutProduct,
                    "No product column: each row's quantity is counted in units, on a line of an \
                     unnamed product.",
                );
                Cow::Borrowed(UNNAMED_PRODUCT)
            }
            None => {
                if line_level {
                    ctx.dataset.orders.paid_amount[order as usize] += paid_amount.unwrap_or(0);
                }
                if refund_adds_up {
                    ctx.dataset.orders.refund[order as usize] += line_refund.unwrap_or(0);
                }
                return Ok(true);
            }
        };
        let quantity = self.quantity(rec)?;
        let unit_price = self.money(rec, Field::UnitPrice)?;
        let mut amount = self.money(rec, Field::LineAmount)?;
        if self.line_level_amounts && paid_amount.is_some() {
            // A sub-order's paid amount is the line's value and adds up to the order's.
            amount = paid_amount;
        }
        let line = ctx.dataset.add_line(
            order,
            &LineRow {
                product_key: &key,
                title: self.text(rec, Field::Title),
                category: self.text(rec, Field::Category),
                quantity,
                unit_price,
                amount,
                refund: line_refund,
            },
        );
        if line_level {
            let value = ctx.dataset.lines.value(line as usize).unwrap_or(0);
            ctx.dataset.orders.paid_amount[order as usize] += paid_amount.unwrap_or(value);
        }
        if refund_adds_up {
            ctx.dataset.orders.refund[order as usize] += line_refund.unwrap_or(0);
        }
        if self.kind == DatasetKind::Orders {
            ctx.synthetic_lines.push(line);
        }
        Ok(true)
    }

    pub(super) fn detail_line(
        &self,
        rec: &Record<'_>,
        order: &str,
        ctx: &mut RowContext<'_>,
    ) -> RowResult<()> {
        let key = self.required(
            self.product_key(rec)?,
            Field::Title,
            ReasonCode::MissingProduct,
            "The product (SKU or title)",
        )?;
        ctx.pending.push(PendingLine {
            report: usize::from(self.source),
            line: rec.line,
            order: order.to_string(),
            product_key: key.into_owned(),
            title: self.text(rec, Field::Title).map(str::to_string),
            quantity: self.quantity(rec)?,
            unit_price: self.money(rec, Field::UnitPrice)?,
            amount: self.money(rec, Field::LineAmount)?,
            refund: self.money(rec, Field::RefundAmount)?,
        });
        Ok(())
    }
}

/// The product of a line in an export that names none (an order-per-row log with a quantity).
pub(crate) const UNNAMED_PRODUCT: &str = "(product not given)";

/// The meaning shown for a status class in the load report.
fn status_meaning(s: Option<StatusClass>) -> &'static str {
    match s {
        Some(StatusClass::Paid) => "paid",
        Some(StatusClass::Unpaid) => "unpaid",
        Some(StatusClass::Cancelled) => "cancelled",
        Some(StatusClass::ClosedPaidIfPaymentTime) => "closed",
        Some(StatusClass::Refunded) => "refunded",
        Some(StatusClass::Test) => "test",
        None => "unknown",
    }
}

/// WooCommerce Analytics packs lines into one cell: `2× Mug, 1× T-shirt` → `[(2, "Mug"), (1, "T-shirt")]`.
/// Items are separated by `, ` followed by a count and `×`/`x`, so titles may contain commas.
pub(crate) fn unpack_items(cell: &str) -> Vec<(i64, &str)> {
    let mut items = Vec::new();
    let mut starts = vec![0];
    for (i, _) in cell.match_indices(", ") {
        if count_prefix(&cell[i + 2..]).is_some() {
            starts.push(i + 2);
        }
    }
    starts.push(cell.len() + 2);
    for w in starts.windows(2) {
        let part = cell[w[0]..(w[1] - 2).max(w[0])].trim();
        if part.is_empty() {
            continue;
        }
        match count_prefix(part) {
            Some((n, rest)) => items.push((n, rest.trim())),
            None => items.push((1, part)),
        }
    }
    items
}

fn count_prefix(s: &str) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: i64 = s[..digits].parse().ok()?;
    let rest = s[digits..].trim_start();
    let rest = rest
        .strip_prefix('×')
        .or_else(|| rest.strip_prefix('x'))
        .or_else(|| rest.strip_prefix('X'))?;
    Some((n, rest))
}

/// Attach detail lines to the orders loaded from other files, and drop the one-line summaries of
/// those orders that order-level exports produced (宝贝标题 + 宝贝总数量).
pub(crate) fn attach_pending(
    ds: &mut Dataset,
    reports: &mut [LoadReport],
    pending: Vec<PendingLine>,
    synthetic: &[u32],
) {
    if pending.is_empty() {
        return;
    }
    let mut has_detail = vec![false; ds.orders.len()];
    // `PendingLine::report` holds the source index; map it to the report of that file.
    let report_of = |source: usize, reports: &[LoadReport], ds: &Dataset| -> Option<usize> {
        let file = &ds.sources.get(source)?.file;
        reports.iter().position(|r| &r.file == file)
    };
    for p in pending {
        let r = report_of(p.report, reports, ds);
        match ds
            .order_ids
            .get(&p.order)
            .filter(|&o| (o as usize) < ds.orders.len())
        {
            Some(o) => {
                ds.add_line(
                    o,
                    &LineRow {
                        product_key: &p.product_key,
                        title: p.title.as_deref(),
                        category: None,
                        quantity: p.quantity,
                        unit_price: p.unit_price,
                        amount: p.amount,
                        refund: p.refund,
                    },
                );
                has_detail[o as usize] = true;
                if let Some(r) = r {
                    reports[r].rows_used += 1;
                }
            }
            None => {
                if let Some(r) = r {
                    reports[r].reject(
                        ReasonCode::OrderNotLoaded,
                        "This line's order is in no loaded order export. Load the matching 订单报表 \
                         together with this file.",
                        RowIssue {
                            line: p.line,
                            column: None,
                            value: p.order.clone(),
                        },
                    );
                }
            }
        }
    }
    let mut keep = vec![true; ds.lines.len()];
    for &l in synthetic {
        if has_detail[ds.lines.order[l as usize] as usize] {
            keep[l as usize] = false;
        }
    }
    ds.lines.retain_rows(&keep);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_woocommerce_items() {
        assert_eq!(
            unpack_items("2× Mug, 1× T-shirt, large"),
            vec![(2, "Mug"), (1, "T-shirt, large")]
        );
        assert_eq!(unpack_items("Poster"), vec![(1, "Poster")]);
        assert_eq!(
            unpack_items("3x Sticker, 1x Pin"),
            vec![(3, "Sticker"), (1, "Pin")]
        );
    }
}
