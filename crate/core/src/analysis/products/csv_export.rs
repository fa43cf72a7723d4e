//! CSV export of the product table.

use std::fmt::Write;

use super::{AbcClass, GrowthStatus, ProductReport, Quadrant};

/// Column names of [`products_csv`], matching the JSON field names of `ProductRow`.
const HEADER: [&str; 30] = [
    "rank",
    "key",
    "title",
    "category",
    "revenue",
    "merchandise_value",
    "units",
    "paid_orders",
    "buyers",
    "repeat_buyers",
    "refunds",
    "refund_rate",
    "avg_selling_price",
    "share",
    "repeat_buyer_rate",
    "recent_revenue",
    "previous_revenue",
    "growth",
    "growth_status",
    "abc",
    "quadrant",
    "item_conversion",
    "unit_cost",
    "gross_profit",
    "margin",
    "stock",
    "stock_cover_days",
    "potential",
    "feasibility",
    "risk",
];

/// The product table as CSV (RFC 4180, `\n` line ends, UTF-8 without BOM; a caller saving for
/// Excel prepends one): a header, then one row per product in ranking order.
///
/// Money columns are yuan with 2 decimals (`1234.50`); ratios are fractions with 6 decimals
/// (`0.125000`); scores are 0–100 with 1 decimal; an undefined value is an empty field.
pub fn products_csv(report: &ProductReport) -> String {
    let mut out = String::new();
    out.push_str(&HEADER.join(","));
    out.push('\n');
    for (i, p) in report.products.iter().enumerate() {
        let fields: [String; 30] = [
            (i + 1).to_string(),
            quote(&p.key),
            p.title.as_deref().map(quote).unwrap_or_default(),
            p.category.as_deref().map(quote).unwrap_or_default(),
            yuan(p.revenue),
            opt(p.merchandise_value, yuan),
            p.units.to_string(),
            p.paid_orders.to_string(),
            opt(p.buyers, |b| b.to_string()),
            opt(p.repeat_buyers, |b| b.to_string()),
            yuan(p.refunds),
            opt(p.refund_rate, fraction),
            opt(p.avg_selling_price, |c| format!("{:.2}", c / 100.0)),
            opt(p.share, fraction),
            opt(p.repeat_buyer_rate, fraction),
            yuan(p.recent_revenue),
            yuan(p.previous_revenue),
            opt(p.growth, fraction),
            match p.growth_status {
                GrowthStatus::Measured => "measured",
                GrowthStatus::New => "new",
            }
            .to_string(),
            match p.abc {
                AbcClass::A => "A",
                AbcClass::B => "B",
                AbcClass::C => "C",
            }
            .to_string(),
            match p.quadrant {
                Quadrant::Star => "star",
                Quadrant::CashCow => "cash_cow",
                Quadrant::QuestionMark => "question_mark",
                Quadrant::Dog => "dog",
            }
            .to_string(),
            opt(p.item_conversion, fraction),
            opt(p.unit_cost, yuan),
            opt(p.gross_profit, yuan),
            opt(p.margin, fraction),
            opt(p.stock, |s| s.to_string()),
            opt(p.stock_cover_days, |d| format!("{d:.1}")),
            opt(p.scorecard.potential.score, |s| format!("{s:.1}")),
            opt(p.scorecard.feasibility.score, |s| format!("{s:.1}")),
            opt(p.scorecard.risk.score, |s| format!("{s:.1}")),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// Cents as yuan with 2 decimals, exact (no float rounding): `-105` → `-1.05`.
pub(crate) fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let mut s = String::with_capacity(24);
    let _ = write!(s, "{sign}{}.{:02}", abs / 100, abs % 100);
    s
}

fn fraction(x: f64) -> String {
    format!("{x:.6}")
}

fn opt<T>(value: Option<T>, format: impl Fn(T) -> String) -> String {
    value.map(format).unwrap_or_default()
}

/// Quotes a text field when it holds a comma, quote or line break (RFC 4180).
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
