//! The i18n key of each report enum value. Written out as matches so that a new variant is a
//! compile error here rather than a missing label on the page.

use crate::analysis::alerts::Severity;
use crate::analysis::funnel::{Breakdown, FunnelMode, FunnelStep, TrafficStep};
use crate::analysis::products::{AbcClass, Quadrant};
use crate::model::{DatasetKind, EventType};
use crate::schema::recognize::RoleSource;
use crate::time::Grain;

use super::CohortMetric;

pub(super) fn grain(g: Grain) -> &'static str {
    match g {
        Grain::Day => "grain.day",
        Grain::Week => "grain.week",
        Grain::Month => "grain.month",
    }
}

/// The value of `grain` in view options and `data-value`.
pub(super) fn grain_value(g: Grain) -> &'static str {
    match g {
        Grain::Day => "day",
        Grain::Week => "week",
        Grain::Month => "month",
    }
}

pub(super) fn event(e: EventType) -> &'static str {
    match e {
        EventType::View => "step.view",
        EventType::Fav => "step.fav",
        EventType::Cart => "step.cart",
        EventType::RemoveFromCart => "step.remove_from_cart",
        EventType::Checkout => "step.checkout",
        EventType::Purchase => "step.purchase",
    }
}

/// The i18n key of a step; `None` for a step of the log's own names (shown as written).
pub(super) fn step(s: &FunnelStep) -> Option<&'static str> {
    match s {
        FunnelStep::Event(e) => Some(event(*e)),
        FunnelStep::Names(_) => None,
        FunnelStep::Traffic(TrafficStep::Visitors) => Some("step.visitors"),
        FunnelStep::Traffic(TrafficStep::CartUsers) => Some("step.cart_users"),
        FunnelStep::Traffic(TrafficStep::Buyers) => Some("step.buyers"),
    }
}

pub(super) fn mode(m: FunnelMode) -> &'static str {
    match m {
        FunnelMode::Sequential => "funnel.mode.sequential",
        FunnelMode::Distinct => "funnel.mode.distinct",
    }
}

pub(super) fn breakdown(b: Breakdown) -> &'static str {
    match b {
        Breakdown::None => "funnel.breakdown.none",
        Breakdown::Category => "funnel.breakdown.category",
        Breakdown::Brand => "funnel.breakdown.brand",
        Breakdown::Item => "funnel.breakdown.item",
    }
}

pub(super) fn kind(k: DatasetKind) -> &'static str {
    match k {
        DatasetKind::Orders => "kind.orders",
        DatasetKind::OrderLines => "kind.order_lines",
        DatasetKind::Products => "kind.products",
        DatasetKind::Traffic => "kind.traffic",
        DatasetKind::Events => "kind.events",
        DatasetKind::Ads => "kind.ads",
    }
}

pub(super) fn abc(c: AbcClass) -> (&'static str, &'static str) {
    match c {
        AbcClass::A => ("abc.a", "abc-a"),
        AbcClass::B => ("abc.b", "abc-b"),
        AbcClass::C => ("abc.c", "abc-c"),
    }
}

/// i18n key, CSS class and colour slot (so the scatter and the table agree).
pub(super) fn quadrant(q: Quadrant) -> (&'static str, &'static str, usize) {
    match q {
        Quadrant::Star => ("quadrant.star", "quadrant-star", 0),
        Quadrant::CashCow => ("quadrant.cash_cow", "quadrant-cash-cow", 1),
        Quadrant::QuestionMark => ("quadrant.question_mark", "quadrant-question-mark", 2),
        Quadrant::Dog => ("quadrant.dog", "quadrant-dog", 3),
    }
}

pub(super) fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Info => ("alert.severity.info", "severity-info"),
        Severity::Warning => ("alert.severity.warning", "severity-warning"),
        Severity::Critical => ("alert.severity.critical", "severity-critical"),
    }
}

pub(super) fn cohort_metric(m: CohortMetric) -> (&'static str, &'static str) {
    match m {
        CohortMetric::Retention => ("retention", "cohort.metric.retention"),
        CohortMetric::Customers => ("customers", "cohort.metric.customers"),
        CohortMetric::Revenue => ("revenue", "cohort.metric.revenue"),
    }
}

/// Every export kind with its serde value (the `kind` of `FileOptions`).
pub(super) const KINDS: [(DatasetKind, &str); 6] = [
    (DatasetKind::Orders, "orders"),
    (DatasetKind::OrderLines, "order_lines"),
    (DatasetKind::Products, "products"),
    (DatasetKind::Traffic, "traffic"),
    (DatasetKind::Events, "events"),
    (DatasetKind::Ads, "ads"),
];

pub(super) fn role_source(s: RoleSource) -> &'static str {
    match s {
        RoleSource::Header => "load.source.header",
        RoleSource::HeaderWithoutUnit => "load.source.header_without_unit",
        RoleSource::Words => "load.source.words",
        RoleSource::Values => "load.source.values",
        RoleSource::KindRule => "load.source.kind_rule",
        RoleSource::Override => "load.source.override",
        RoleSource::None => "load.source.none",
    }
}
