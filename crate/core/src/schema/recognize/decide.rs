//! The decision: from the evidence of every column (exact synonyms, header words, value profiles)
//! to one role per column and one column per role, the export's kind, and the data-driven choices
//! (amount grain, decimal comma, which id is the user).
//!
//! Candidates are scored: an exact synonym 1.0 (less a little for a less typical synonym), a
//! synonym after dropping a unit 0.9, header words 0.45–0.85, values alone 0.45–0.55. The value
//! profile then confirms a candidate, lowers it, or overturns it (a `total` column of text is not
//! money). Roles are assigned greedily by score over the whole header, so ambiguity resolves to
//! the highest-scoring reading rather than to "unknown".

use rustc_hash::FxHashMap;

use super::profile::Profile;
use super::words;
use super::{strip_unit, synonym_index, unmapped_columns, Column, Decisions, Grain, RoleSource};
use crate::model::DatasetKind;
use crate::schema::field::Field;
use crate::schema::value::{clean, is_missing, normalize_header};

/// Below this confidence a role is shown as doubtful and the page asks the user to confirm it.
pub const DOUBTFUL_BELOW: f32 = 0.7;

/// Sampled rows, read cell by cell.
pub trait Sample {
    fn rows(&self) -> usize;
    fn cell(&self, row: usize, col: usize) -> &str;
}

/// No sample: the header alone decides.
impl Sample for () {
    fn rows(&self) -> usize {
        0
    }
    fn cell(&self, _: usize, _: usize) -> &str {
        ""
    }
}

#[derive(Clone, Copy, Debug)]
struct Candidate {
    col: usize,
    field: Field,
    score: f32,
    source: RoleSource,
}

/// How far a column of names is trusted as the buyer id: far below any id (see [`fit_field`]).
const NAMES_AS_BUYERS_FIT: f32 = 0.5;

/// Whether most sampled values are names: words with spaces and no digits (`John Smith`,
/// `C. Durand`).
fn reads_as_names(p: &Profile) -> bool {
    p.filled >= 3 && p.spaced_words * 2 >= p.filled
}

/// What kind of value a role holds, for checking it against the profile.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Time,
    Money,
    Count,
    Id,
    Text,
    Vocabulary,
}

fn value_kind(f: Field) -> ValueKind {
    use Field::*;
    match f {
        CreatedTime | PaidTime | EventTime | Date => ValueKind::Time,
        PaidAmount | RefundAmount | LineRefund | UnitPrice | LineAmount | Cost | Price
        | SalesAmount | Spend | AdSales => ValueKind::Money,
        Quantity | Stock | Visitors | PageViews | FavUsers | CartUsers | Buyers | Units
        | Impressions | Clicks | AdOrders => ValueKind::Count,
        OrderId | LineId | CustomerId | UserId | AnonymousId | ProductId | Sku => ValueKind::Id,
        Status | EventType | Currency | Variant | Experiment => ValueKind::Vocabulary,
        Title | Category | Brand | Shop | Campaign | PackedItems | Channel | Region | Address
        | Country | LandingSite => ValueKind::Text,
    }
}

/// How well `p` fits values of `kind`: 1 confirms, 0 overturns, in between lowers. A sample too
/// small to tell (under 3 filled cells) neither confirms nor overturns.
fn fit_field(f: Field, p: &Profile) -> f32 {
    // Titles differ from product to product: one value repeated on every row is no title.
    if f == Field::Title && p.filled >= 3 && p.distinct == 1 {
        return 0.5;
    }
    // A buyer column of names (`Emma Clarke`, `C. Durand`): a buyer id only when the export has
    // nothing better (two buyers who share a name count as one), so a weak, doubtful reading that
    // any id or e-mail column beats. The load report says so (`buyers_by_name`).
    if f == Field::CustomerId && reads_as_names(p) {
        return NAMES_AS_BUYERS_FIT;
    }
    // Categories and brands are often numeric codes (Tianchi `cat_id`, `brand_id`, Ta Feng
    // `PRODUCT_SUBCLASS`).
    if matches!(f, Field::Category | Field::Brand) && p.texts == 0 && p.share(p.counts) >= 0.9 {
        return 1.0;
    }
    fit(value_kind(f), p)
}

fn fit(kind: ValueKind, p: &Profile) -> f32 {
    if p.filled < 3 {
        return 1.0;
    }
    let graded = |share: f32| {
        if share >= 0.6 {
            1.0
        } else if share < 0.2 {
            0.0
        } else {
            0.6
        }
    };
    match kind {
        ValueKind::Time => graded(p.time_share()),
        ValueKind::Money if p.dates * 2 > p.filled => 0.0,
        ValueKind::Money => graded(p.money_share()),
        ValueKind::Count => graded(p.share(p.counts)),
        ValueKind::Id if p.dates * 10 >= p.filled * 9 => 0.0,
        // `Nouveau client` (Oui/Non) says whether the buyer is new: a flag, not a buyer.
        ValueKind::Id if p.flags * 10 >= p.filled * 9 => 0.0,
        // Names (`John Smith`) are no ids: two buyers may share one.
        ValueKind::Id if p.spaced_words * 2 >= p.filled => 0.0,
        // An id with spaces (`C-1048 Northwind Traders`) is more likely a labelled name.
        ValueKind::Id if p.spaced * 2 >= p.filled => 0.3,
        ValueKind::Id => 1.0,
        // A title or a category has letters.
        ValueKind::Text if p.texts == 0 => 0.0,
        ValueKind::Vocabulary | ValueKind::Text => 1.0,
    }
}

/// One column's candidates from its header: an exact synonym, else its words.
fn header_candidates(col: usize, header: &str) -> Vec<Candidate> {
    let index = synonym_index();
    let norm = normalize_header(header);
    if let Some(&(f, rank)) = index.get(&norm) {
        let score = 1.0 - (rank as f32 * 0.001).min(0.04);
        return vec![Candidate {
            col,
            field: f,
            score,
            source: RoleSource::Header,
        }];
    }
    if let Some(&(f, _)) = index.get(strip_unit(&norm)) {
        return vec![Candidate {
            col,
            field: f,
            score: 0.9,
            source: RoleSource::HeaderWithoutUnit,
        }];
    }
    words::candidates(header)
        .into_iter()
        .map(|(field, score)| Candidate {
            col,
            field,
            score,
            source: RoleSource::Words,
        })
        .collect()
}

/// A role for a column whose header says nothing, from its values alone.
fn value_candidate(col: usize, p: &Profile) -> Option<Candidate> {
    // Five values at least; three do when every one is an order status shoplens knows (a status
    // vocabulary is specific enough: `DELIVERED`, `RTO_COMPLETE`).
    if p.filled < 5 && !(p.filled >= 3 && p.statuses == p.filled) {
        return None;
    }
    let field = if p.share(p.dates) >= 0.9 {
        Field::CreatedTime
    } else if p.share(p.statuses) >= 0.7 {
        Field::Status
    } else if p.share(p.events) >= 0.5 && p.is_vocabulary() {
        Field::EventType
    } else if p.share(p.emails) >= 0.9 {
        Field::CustomerId
    } else if p.texts == 0
        && ((p.share(p.money) >= 0.9 && p.share(p.fractional) >= 0.5) || p.decimal_comma())
    {
        Field::PaidAmount
    } else {
        return None;
    };
    Some(Candidate {
        col,
        field,
        score: 0.5,
        source: RoleSource::Values,
    })
}

/// Decide every column's role and the kind. `profiles` (one per column) come from the sample;
/// `None` decides from the header alone.
pub fn decide(
    header: &[&str],
    profiles: Option<&[Profile]>,
    sample: &dyn Sample,
    overrides: &FxHashMap<String, Option<Field>>,
    kind_override: Option<DatasetKind>,
) -> Option<(DatasetKind, Vec<Column>, Decisions)> {
    let profile = |i: usize| profiles.and_then(|p| p.get(i));
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut overridden: FxHashMap<usize, Option<Field>> = FxHashMap::default();
    for (i, raw) in header.iter().enumerate() {
        if let Some(f) = overrides.get(raw.trim()) {
            overridden.insert(i, *f);
            continue;
        }
        let mut own = header_candidates(i, raw);
        if let Some(p) = profile(i) {
            // Between columns of one role, the better filled one wins (a customer id blank for
            // guests loses to the e-mail every order has).
            let filled = p.filled as f32 / (p.filled + p.blank).max(1) as f32;
            for c in own.iter_mut() {
                c.score *= fit_field(c.field, p) * (0.9 + 0.1 * filled);
            }
            own.retain(|c| c.score > 0.0);
            if own.iter().all(|c| c.score < 0.5) {
                // The values overturned the header's exact reading, or left it weak (`Name`, a
                // Shopify order id, holding `C-1048 Northwind Traders`): its words may read better,
                // then the values.
                let words: Vec<Candidate> = words::candidates(raw)
                    .into_iter()
                    .filter(|(field, _)| !own.iter().any(|c| c.field == *field))
                    .map(|(field, score)| Candidate {
                        col: i,
                        field,
                        score: score * fit_field(field, p),
                        source: RoleSource::Words,
                    })
                    .filter(|c| c.score > 0.0)
                    .collect();
                own.extend(words);
            }
            // Values alone name a role only for a header whose words say nothing (`c3`, `foo`):
            // `item-tax` full of amounts is still no paid amount.
            if own.is_empty() && words::concepts(raw) == words::Concepts::default() {
                own.extend(value_candidate(i, p));
            }
        }
        candidates.extend(own);
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.col.cmp(&b.col)));

    let mut columns = unmapped_columns(header);
    let mut holder: FxHashMap<Field, usize> = FxHashMap::default();
    for (&i, f) in &overridden {
        columns[i].source = RoleSource::Override;
        if let Some(f) = f {
            columns[i].field = Some(*f);
            columns[i].confidence = 1.0;
            holder.entry(*f).or_insert(i);
        }
    }
    for c in &candidates {
        if columns[c.col].source != RoleSource::None {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(e) = holder.entry(c.field) {
            e.insert(c.col);
            let col = &mut columns[c.col];
            col.field = Some(c.field);
            col.confidence = c.score;
            col.source = c.source;
        }
    }
    // A column whose best reading went to another column keeps that role as a duplicate.
    for c in &candidates {
        let col = &columns[c.col];
        if col.source == RoleSource::None && col.duplicate_of.is_none() && c.score >= 0.5 {
            let keep = holder[&c.field];
            let col = &mut columns[c.col];
            col.field = Some(c.field);
            col.source = c.source;
            col.duplicate_of = Some(keep);
        }
    }

    amount_that_counts_units(&mut columns, sample);
    let payout = payout_total(&mut columns, sample);

    let kind = match kind_override {
        Some(k) => k,
        None => detect_kind(&mut columns, profiles)?,
    };
    adjust_for_kind(&mut columns, kind);
    super::experiment::outside_logs(&mut columns, kind);
    keep_one_per_role(&mut columns);
    let mut decisions = Decisions {
        sample_rows: sample.rows() as u32,
        ..Decisions::default()
    };
    if kind == DatasetKind::Events {
        choose_user(&mut columns, profiles);
        super::experiment::in_log(&mut columns, profiles);
    }
    decisions.buyers_by_name = columns
        .iter()
        .find(|c| c.field == Some(Field::CustomerId) && c.duplicate_of.is_none())
        .filter(|c| {
            c.source != RoleSource::Override && profile(c.index).is_some_and(reads_as_names)
        })
        .map(|c| c.header.clone());
    let kind = if matches!(kind, DatasetKind::Orders | DatasetKind::OrderLines) {
        decide_grain(
            &columns,
            sample,
            &mut decisions,
            kind,
            kind_override.is_some(),
        )
    } else {
        kind
    };
    for col in columns.iter_mut() {
        let p = profile(col.index);
        col.decimal_comma = p.is_some_and(|p| p.decimal_comma())
            && col.field.is_some_and(|f| value_kind(f) == ValueKind::Money);
        (col.evidence, col.evidence_zh) = evidence(col, &normalize_header(&col.header), p);
        col.doubtful = col.field.is_some()
            && col.duplicate_of.is_none()
            && col.source != RoleSource::Override
            && col.confidence < DOUBTFUL_BELOW;
    }
    if let Some((gross, net)) = payout {
        let h = columns[net].header.clone();
        let g = &mut columns[gross];
        g.evidence += &format!(
            "; \"{h}\" is this amount less the negative fees beside it on every sampled row (a payout), so this is what was paid"
        );
        g.evidence_zh += &format!(
            "；“{h}”在每个抽样行都等于此金额减去旁边的负数费用（结算金额），故取此列为实付"
        );
    }
    Some((kind, columns, decisions))
}

/// Why a column got its role, in English and in Chinese.
fn evidence(col: &Column, norm: &str, p: Option<&Profile>) -> (String, String) {
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    let header = &col.header;
    match col.source {
        RoleSource::Header => {
            en.push(format!("header \"{header}\" is a known name"));
            zh.push(format!("表头“{header}”是已知列名"));
        }
        RoleSource::HeaderWithoutUnit => {
            en.push(format!("header \"{header}\" is a known name with a unit"));
            zh.push(format!("表头“{header}”是带单位的已知列名"));
        }
        RoleSource::Words => {
            let words = words::concepts(header).names().join(", ");
            en.push(format!("header words: {words}"));
            zh.push(format!("表头词：{words}"));
        }
        RoleSource::Values => {
            en.push("read from the values alone".to_string());
            zh.push("仅根据列中的值判断".to_string());
        }
        RoleSource::KindRule => {
            en.push(format!("header \"{norm}\" read for this kind of export"));
            zh.push(format!("表头“{norm}”按此类报表的惯例读取"));
        }
        RoleSource::Override => {
            en.push("set by you".to_string());
            zh.push("由您设置".to_string());
        }
        RoleSource::None => {}
    }
    if let Some(p) = p {
        en.push(p.describe());
        zh.push(p.describe_zh());
    }
    let read_as_money = header_candidates(col.index, header)
        .first()
        .is_some_and(|c| value_kind(c.field) == ValueKind::Money);
    if col.field == Some(Field::Quantity) && col.source != RoleSource::Override && read_as_money {
        en.push(
            "small whole numbers, below another amount on every sampled row: a count of items"
                .to_string(),
        );
        zh.push("均为较小的整数，且每行都小于另一金额列：按件数读取".to_string());
    }
    if col.field == Some(Field::CustomerId) && p.is_some_and(reads_as_names) {
        en.push("the values are names: buyers who share a name count as one".to_string());
        zh.push("值是姓名：同名买家会被算作一人".to_string());
    }
    if col.decimal_comma {
        en.push("amounts read with a decimal comma".to_string());
        zh.push("金额按逗号作小数点读取".to_string());
    }
    (en.join("; "), zh.join("；"))
}

fn has(cols: &[Column], f: Field) -> bool {
    cols.iter()
        .any(|c| c.field == Some(f) && c.duplicate_of.is_none())
}

fn detect_kind(cols: &mut [Column], profiles: Option<&[Profile]>) -> Option<DatasetKind> {
    // A payment or order export with an "Event Type"/"Type" column of its own words is no
    // behaviour log: the column is not an event name when the export has order amounts and ids
    // and its values are no event names shoplens knows.
    if has(cols, Field::EventType) && has(cols, Field::PaidAmount) {
        let ev = cols
            .iter()
            .position(|c| c.field == Some(Field::EventType) && c.duplicate_of.is_none());
        if let (Some(i), Some(p)) = (ev, profiles) {
            if p[i].share(p[i].events) < 0.2 {
                cols[i].field = None;
                cols[i].source = RoleSource::None;
                cols[i].confidence = 0.0;
            }
        }
    }
    // An event column left blank (Wayfair's `Event Type` of promotions) makes no behaviour log.
    if let Some(p) = profiles {
        for c in cols.iter_mut() {
            if c.field == Some(Field::EventType) && p.get(c.index).is_some_and(|p| p.filled == 0) {
                c.field = None;
                c.source = RoleSource::None;
                c.confidence = 0.0;
            }
        }
    }
    let h = |f: Field| has(cols, f);
    let has_time = h(Field::CreatedTime) || h(Field::PaidTime) || h(Field::EventTime);
    let user = h(Field::UserId) || h(Field::CustomerId) || h(Field::AnonymousId);
    if h(Field::EventType) && user && has_time {
        return Some(DatasetKind::Events);
    }
    // Users and event names with no readable time (Tianchi's `time_stamp` of `0829`, no year):
    // still a behaviour log, never a catalogue; the load report asks for the time column.
    if h(Field::EventType) && (h(Field::UserId) || h(Field::AnonymousId)) && !h(Field::OrderId) {
        return Some(DatasetKind::Events);
    }
    // Users, items and times with no amount, order or status: a log of item views.
    let money = [
        Field::PaidAmount,
        Field::LineAmount,
        Field::UnitPrice,
        Field::Price,
    ];
    if user
        && has_time
        && (h(Field::ProductId) || h(Field::Sku))
        && !h(Field::OrderId)
        && !h(Field::Status)
        && !money.iter().any(|&f| h(f))
        && !h(Field::Quantity)
        && !cols
            .iter()
            .any(|c| words::concepts(&c.header).has(words::Concepts::ORDER))
    {
        return Some(DatasetKind::Events);
    }
    if h(Field::Impressions) || (h(Field::Clicks) && (h(Field::Spend) || h(Field::Cost))) {
        return Some(DatasetKind::Ads);
    }
    let traffic = [
        Field::Visitors,
        Field::PageViews,
        Field::CartUsers,
        Field::FavUsers,
        Field::Buyers,
    ];
    if traffic.iter().any(|&f| h(f)) && !h(Field::OrderId) {
        return Some(DatasetKind::Traffic);
    }
    let amount = h(Field::PaidAmount)
        || h(Field::LineAmount)
        || h(Field::UnitPrice)
        || h(Field::Price)
        || h(Field::AdSales);
    if h(Field::OrderId) || (amount && has_time) {
        // WooCommerce's packed `2× A, 1× B` cell is one row per order, lines inside.
        let lines = !h(Field::PackedItems)
            && (h(Field::LineId)
                || (h(Field::Quantity) && (h(Field::UnitPrice) || h(Field::LineAmount))));
        return Some(if lines {
            DatasetKind::OrderLines
        } else {
            DatasetKind::Orders
        });
    }
    let keyed = h(Field::Sku) || h(Field::ProductId) || h(Field::Title);
    if keyed && (h(Field::Cost) || h(Field::Stock) || h(Field::UnitPrice) || h(Field::Price)) {
        return Some(DatasetKind::Products);
    }
    // A catalogue of ids with names or categories and nothing else.
    let id = h(Field::Sku) || h(Field::ProductId);
    if id && (h(Field::Title) || h(Field::Category)) {
        return Some(DatasetKind::Products);
    }
    None
}

/// Headers whose meaning depends on the export kind.
fn adjust_for_kind(cols: &mut [Column], kind: DatasetKind) {
    use Field::*;
    for c in cols.iter_mut() {
        if c.source == RoleSource::Override {
            continue;
        }
        let Some(f) = c.field else { continue };
        let to = match (kind, f) {
            (DatasetKind::Traffic, PaidAmount) => Some(SalesAmount),
            (DatasetKind::Traffic | DatasetKind::Ads, CreatedTime) => Some(Date),
            (DatasetKind::Traffic, Quantity) => Some(Units),
            (DatasetKind::Ads, Cost) => Some(Spend),
            (DatasetKind::Ads, PaidAmount) => Some(AdSales),
            (DatasetKind::Events, CustomerId) => Some(UserId),
            (DatasetKind::Events, CreatedTime | PaidTime) => Some(EventTime),
            (DatasetKind::Events, UnitPrice) => Some(Price),
            (DatasetKind::Orders | DatasetKind::OrderLines, Price) => Some(UnitPrice),
            (DatasetKind::Orders | DatasetKind::OrderLines, Date | EventTime) => Some(CreatedTime),
            (DatasetKind::Orders | DatasetKind::OrderLines, UserId) => Some(CustomerId),
            (DatasetKind::Products, Price | PaidAmount) => Some(UnitPrice),
            (DatasetKind::Products, Quantity) => Some(Stock),
            // A catalogue has no buyers: its bare `name` is the product's, before a description.
            (DatasetKind::Products, CustomerId) if c.source == RoleSource::Words => {
                c.confidence = 0.6;
                Some(Title)
            }
            (DatasetKind::Products, OrderId) if c.source != RoleSource::Header => Some(ProductId),
            (DatasetKind::Orders | DatasetKind::OrderLines, AdSales) => Some(PaidAmount),
            // A count of users is the visitors (访客数), before sessions or visits.
            (DatasetKind::Traffic, UserId | AnonymousId) => {
                c.confidence = c.confidence.max(0.998);
                Some(Visitors)
            }
            (DatasetKind::Traffic, CustomerId) => Some(Buyers),
            _ => None,
        };
        if let Some(to) = to {
            c.field = Some(to);
            if c.source == RoleSource::Header || c.source == RoleSource::HeaderWithoutUnit {
                c.source = RoleSource::KindRule;
                c.confidence = 0.8;
            }
        }
    }
}

/// After the kind's re-reading two columns may share a role (`customer_id` and `user_id` in an
/// order export): keep the more confident one (an override first, then the leftmost).
fn keep_one_per_role(cols: &mut [Column]) {
    let mut best: FxHashMap<Field, usize> = FxHashMap::default();
    for c in cols.iter() {
        let (Some(f), None) = (c.field, c.duplicate_of) else {
            continue;
        };
        let keep = best.entry(f).or_insert(c.index);
        let k = &cols[*keep];
        let better = k.source != RoleSource::Override
            && (c.source == RoleSource::Override || c.confidence > k.confidence);
        if better {
            *keep = c.index;
        }
    }
    for c in cols.iter_mut() {
        if let Some(f) = c.field {
            let keep = best.get(&f).copied().unwrap_or(c.index);
            if keep != c.index && c.duplicate_of.is_none() {
                c.duplicate_of = Some(keep);
            }
            if let Some(d) = c.duplicate_of {
                c.duplicate_of = Some(best.get(&f).copied().unwrap_or(d));
                c.confidence = 0.0;
            }
        }
    }
}

/// DEFINITIONS §5: where a log has a signed-in user id that is blank for guests beside an
/// always-filled anonymous id, the anonymous id is the user.
fn choose_user(cols: &mut [Column], profiles: Option<&[Profile]>) {
    let find = |cols: &[Column], f: Field| {
        cols.iter()
            .position(|c| c.field == Some(f) && c.duplicate_of.is_none())
    };
    let Some(anon) = find(cols, Field::AnonymousId) else {
        return;
    };
    let user = find(cols, Field::UserId);
    let blanks = |i: usize| profiles.and_then(|p| p.get(i)).map_or(0, |p| p.blank);
    let use_anon = match user {
        None => true,
        Some(u) => blanks(u) > 0 && blanks(anon) == 0,
    };
    if use_anon {
        if let Some(u) = user {
            cols[u].field = None;
            cols[u].source = RoleSource::None;
            cols[u].confidence = 0.0;
            cols[u].evidence = String::new();
            cols[u].evidence_zh = String::new();
        }
        cols[anon].field = Some(Field::UserId);
    } else {
        cols[anon].field = None;
        cols[anon].source = RoleSource::None;
        cols[anon].confidence = 0.0;
    }
}

/// Per order of the sample: its rows, and per amount column (paid, refund) the first non-blank
/// value and whether another value differs from it.
type OrderAmounts<'a> = (u32, [Option<&'a str>; 2], [bool; 2]);

/// DEFINITIONS §1: an amount whose non-blank values differ between the rows of one order is a
/// line amount (summed); one repeated or on the first row only is order-level (counted once).
/// Returns the kind, made `OrderLines` when the sample has orders of several rows.
fn decide_grain(
    cols: &[Column],
    sample: &dyn Sample,
    decisions: &mut Decisions,
    kind: DatasetKind,
    kind_given: bool,
) -> DatasetKind {
    let col = |f: Field| {
        cols.iter()
            .find(|c| c.field == Some(f) && c.duplicate_of.is_none())
            .map(|c| c.index)
    };
    if col(Field::LineId).is_some() {
        decisions.amount_grain = col(Field::PaidAmount).map(|_| Grain::Line);
        decisions.refund_grain = col(Field::RefundAmount).map(|_| Grain::Line);
        return kind;
    }
    let Some(order) = col(Field::OrderId) else {
        return kind;
    };
    // One row per order with its lines packed in a cell: a repeated row is the same order again.
    if col(Field::PackedItems).is_some() {
        return kind;
    }
    // Per order: rows, and per amount column the first non-blank value and whether another differs.
    let amounts = [col(Field::PaidAmount), col(Field::RefundAmount)];
    let mut orders: FxHashMap<&str, OrderAmounts> = FxHashMap::default();
    for r in 0..sample.rows() {
        let id = clean(sample.cell(r, order));
        if is_missing(id) {
            continue;
        }
        let e = orders
            .entry(id)
            .or_insert((0, [None, None], [false, false]));
        e.0 += 1;
        for (k, a) in amounts.iter().enumerate() {
            let Some(a) = a else { continue };
            let v = clean(sample.cell(r, *a));
            if is_missing(v) {
                continue;
            }
            match e.1[k] {
                None => e.1[k] = Some(v),
                Some(first) if first != v => e.2[k] = true,
                Some(_) => {}
            }
        }
    }
    let multi = orders.values().filter(|o| o.0 > 1).count();
    if multi == 0 {
        return kind;
    }
    for (k, a) in amounts.iter().enumerate() {
        if a.is_some() {
            let differing = orders.values().filter(|o| o.2[k]).count();
            let grain = if differing > 0 {
                Grain::Line
            } else {
                Grain::Order
            };
            if k == 0 {
                decisions.amount_grain = Some(grain);
                decisions.differing_orders = differing as u32;
            } else {
                decisions.refund_grain = Some(grain);
            }
        }
    }
    decisions.multi_row_orders = multi as u32;
    if kind == DatasetKind::Orders && !kind_given && !has(cols, Field::PackedItems) {
        DatasetKind::OrderLines
    } else {
        kind
    }
}

/// Largest value a bare `amount` column may hold and still be read as a count of items.
const UNITS_AT_MOST: i64 = 100;

/// A column read as the paid amount that holds small whole numbers, each below the value of a
/// second money column on the same row, counts items (Ta Feng's `AMOUNT` beside `SALES_PRICE`:
/// "amount" also means a number of things). A line's amount is never below its unit price nor an
/// order's below its lines, so a paid amount smaller than another money column on every sampled row
/// (three at least) is not what was paid. The quantity reading stays doubtful, and the other column
/// becomes the paid amount. Nothing changes when the file has a quantity column or the user set a
/// role.
fn amount_that_counts_units(cols: &mut [Column], sample: &dyn Sample) {
    use crate::schema::value::parse_money;
    if cols
        .iter()
        .any(|c| c.field == Some(Field::Quantity) && c.duplicate_of.is_none())
    {
        return;
    }
    let Some(paid) = cols.iter().position(|c| {
        c.field == Some(Field::PaidAmount)
            && c.duplicate_of.is_none()
            && c.source != RoleSource::Override
    }) else {
        return;
    };
    let money = |row: usize, col: usize| parse_money(sample.cell(row, col)).ok().flatten();
    let mut counts = 0;
    for row in 0..sample.rows() {
        match money(row, paid) {
            Some(v) if v % 100 == 0 && (0..=UNITS_AT_MOST * 100).contains(&v) => counts += 1,
            None => {}
            Some(_) => return,
        }
    }
    if counts < 3 {
        return;
    }
    // The other money column: the paid amount's duplicate, larger on every row where both are filled.
    let other = cols.iter().position(|c| {
        c.index != paid
            && c.field == Some(Field::PaidAmount)
            && c.duplicate_of == Some(paid)
            && (0..sample.rows()).all(|row| match (money(row, paid), money(row, c.index)) {
                (Some(a), Some(b)) => b > a,
                _ => true,
            })
    });
    let Some(other) = other else { return };
    let confidence = cols[paid].confidence;
    cols[paid].field = Some(Field::Quantity);
    cols[paid].confidence = confidence.min(0.6);
    cols[other].duplicate_of = None;
    cols[other].confidence = confidence.min(0.6);
}

/// A paid amount that is a payout: on every sampled row (three at least) it equals another money
/// column read as the paid amount plus the negative cells of the row (fees, shipping costs,
/// cancellations written as negatives), and some row has such a cell (Mercado Libre's `Total (ARS)`
/// = `Ingresos por productos (ARS)` − `Cargo por venta` − `Costos de envío` …). What the buyer paid
/// is the gross column; the payout column is left without a role. Returns (gross, payout).
fn payout_total(cols: &mut [Column], sample: &dyn Sample) -> Option<(usize, usize)> {
    use crate::schema::value::parse_money;
    let net = cols.iter().position(|c| {
        c.field == Some(Field::PaidAmount)
            && c.duplicate_of.is_none()
            && c.source != RoleSource::Override
    })?;
    let money = |row: usize, col: usize| parse_money(sample.cell(row, col)).ok().flatten();
    let gross = cols.iter().map(|c| c.index).find(|&g| {
        if cols[g].field != Some(Field::PaidAmount) || cols[g].duplicate_of != Some(net) {
            return false;
        }
        let (mut rows, mut with_fees) = (0, false);
        for row in 0..sample.rows() {
            let (Some(n), Some(gv)) = (money(row, net), money(row, g)) else {
                continue;
            };
            let fees: i64 = (0..cols.len())
                .filter(|&c| c != net && c != g)
                .filter_map(|c| money(row, c))
                .filter(|&v| v < 0)
                .sum();
            if n != gv + fees {
                return false;
            }
            rows += 1;
            with_fees |= fees < 0;
        }
        rows >= 3 && with_fees
    })?;
    let confidence = cols[net].confidence;
    cols[gross].duplicate_of = None;
    cols[gross].confidence = cols[gross].confidence.max(confidence.min(0.8));
    let payout = &mut cols[net];
    payout.field = None;
    payout.confidence = 0.0;
    payout.source = RoleSource::None;
    Some((gross, net))
}
