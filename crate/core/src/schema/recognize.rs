//! Recognition: from a header row, the export's kind, its platform and each column's role.
//!
//! Roles come from the synonym table ([`SYNONYMS`]); the kind from the set of roles present; the
//! platform from signature headers ([`SIGNATURES`]). Everything is resolved once per file into
//! column indices ([`ColumnMap`]) so rows are never looked up by header name.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use super::field::{Field, SYNONYMS};
use super::value::normalize_header;
use crate::model::{DatasetKind, Platform};

/// How a column got its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleSource {
    /// Matched a synonym exactly.
    Header,
    /// Matched after dropping a unit annotation such as `(元)`.
    HeaderWithoutUnit,
    /// A header whose meaning depends on the export kind (e.g. 支付金额 in a traffic export).
    KindRule,
    /// Words of the header (stub: the engine side fills it).
    Words,
    /// The column's values (stub: the engine side fills it).
    Values,
    /// Set by the caller.
    Override,
    /// No role: unknown header, a second column with the same role, or ignored by the caller.
    None,
}

/// One column of the header and the role it got.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Column {
    pub index: usize,
    /// Header as written in the file.
    pub header: String,
    pub field: Option<Field>,
    /// 0–1: 1 for an exact synonym, less for rules; 0 without a role.
    pub confidence: f32,
    pub source: RoleSource,
    /// Set when another column already holds this column's role (e.g. two `商家编码`).
    pub duplicate_of: Option<usize>,
    /// Why the column got its role, in English (stub: the engine side fills it).
    #[serde(default)]
    pub evidence: String,
    /// The role is a guess the user should confirm (stub: the engine side sets it).
    #[serde(default)]
    pub doubtful: bool,
}

/// The outcome of recognising a header.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recognition {
    pub kind: DatasetKind,
    pub platform: Platform,
    pub columns: Vec<Column>,
    /// True for a headerless file (Tianchi UserBehavior): the first line is data.
    pub headerless: bool,
}

/// Column indices per role, resolved once per file.
#[derive(Clone, Debug, Default)]
pub struct ColumnMap {
    index: FxHashMap<Field, usize>,
}

impl ColumnMap {
    pub fn from_columns(columns: &[Column]) -> ColumnMap {
        let mut index = FxHashMap::default();
        for c in columns {
            if let (Some(f), None) = (c.field, c.duplicate_of) {
                index.entry(f).or_insert(c.index);
            }
        }
        ColumnMap { index }
    }
    pub fn get(&self, f: Field) -> Option<usize> {
        self.index.get(&f).copied()
    }
    pub fn has(&self, f: Field) -> bool {
        self.index.contains_key(&f)
    }
}

/// Normalised header → (role, rank within its synonym list), built once.
fn synonym_index() -> &'static FxHashMap<String, (Field, usize)> {
    static INDEX: OnceLock<FxHashMap<String, (Field, usize)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = FxHashMap::default();
        for (field, names) in SYNONYMS {
            for (rank, name) in names.iter().enumerate() {
                m.entry(normalize_header(name)).or_insert((*field, rank));
            }
        }
        m
    })
}

/// Signature headers of each platform: the more present, the likelier the platform.
pub const SIGNATURES: &[(Platform, &[&str])] = &[
    (
        Platform::Taobao,
        &[
            "买家会员名",
            "买家实际支付金额",
            "宝贝标题",
            "订单付款时间",
            "宝贝总数量",
            "买家支付宝账号",
            "买家应付货款",
            "主订单编号",
            "子订单编号",
            "宝贝种类",
            "统计日期",
            "商品访客数",
            "支付买家数",
            "加购人数",
            "计划名称",
            "展现量",
            "投入产出比",
            "外部系统编号",
            "买家实付金额",
            "套餐信息",
            "商品属性",
            "宝贝标题",
            "订单关闭原因",
            "确认收货时间",
        ],
    ),
    (
        Platform::Jd,
        &[
            "下单帐号",
            "京东价",
            "付款确认时间",
            "商家skuid",
            "订购数量",
            "结算金额",
            "下单时间",
        ],
    ),
    (
        Platform::Pinduoduo,
        &[
            "商品总价(元)",
            "用户实付金额(元)",
            "商家实收金额(元)",
            "店铺优惠折扣(元)",
            "平台优惠折扣(元)",
            "商品数量(件)",
            "商家编码-sku维度",
            "售后状态",
        ],
    ),
    (
        Platform::Douyin,
        &[
            "选购商品",
            "支付完成时间",
            "订单提交时间",
            "达人id",
            "达人昵称",
            "流量来源",
            "订单应付金额",
        ],
    ),
    (
        Platform::Shopify,
        &[
            "financialstatus",
            "lineitemquantity",
            "lineitemname",
            "lineitemprice",
            "lineitemsku",
            "paidat",
            "fulfillmentstatus",
            "acceptsmarketing",
            "variantsku",
            "variantinventoryqty",
            "handle",
            "costperitem",
        ],
    ),
    (
        Platform::Woocommerce,
        &[
            "order#",
            "product(s)",
            "itemssold",
            "netsales",
            "customertype",
            "coupon(s)",
        ],
    ),
    (
        Platform::Amazon,
        &[
            "amazonorderid",
            "merchantorderid",
            "purchasedate",
            "fulfillmentchannel",
            "asin",
            "(child)asin",
            "(parent)asin",
            "sessions-total",
            "unitsordered",
            "orderedproductsales",
            "campaignname",
            "7daytotalsales",
            "customersearchterm",
            "itemprice",
        ],
    ),
    (
        Platform::Rees46,
        &[
            "event_time",
            "event_type",
            "user_session",
            "category_code",
            "product_id",
        ],
    ),
];

/// Recognise a header row, applying the caller's overrides (`header as written → role or None`).
/// Returns `None` when no kind fits.
pub fn recognize(
    header: &[&str],
    overrides: &FxHashMap<String, Option<Field>>,
    kind_override: Option<DatasetKind>,
) -> Option<Recognition> {
    let index = synonym_index();
    let mut columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let norm = normalize_header(raw);
            let (field, source) = if let Some(&(f, _)) = index.get(&norm) {
                (Some(f), RoleSource::Header)
            } else if let Some(&(f, _)) = index.get(strip_unit(&norm)) {
                (Some(f), RoleSource::HeaderWithoutUnit)
            } else {
                (None, RoleSource::None)
            };
            Column {
                index: i,
                header: raw.trim().to_string(),
                field,
                confidence: match source {
                    RoleSource::Header => 1.0,
                    RoleSource::HeaderWithoutUnit => 0.9,
                    _ => 0.0,
                },
                source,
                duplicate_of: None,
                evidence: String::new(),
                doubtful: false,
            }
        })
        .collect();

    // The caller's overrides win over detection.
    for c in columns.iter_mut() {
        if let Some(f) = overrides.get(c.header.as_str()) {
            c.field = *f;
            c.source = if f.is_some() {
                RoleSource::Override
            } else {
                RoleSource::None
            };
            c.confidence = if f.is_some() { 1.0 } else { 0.0 };
        }
    }

    let present = |cols: &[Column], f: Field| cols.iter().any(|c| c.field == Some(f));
    let kind = kind_override.or_else(|| detect_kind(&columns, &present))?;
    adjust_for_kind(&mut columns, kind);
    mark_duplicates(&mut columns, &synonym_rank(header));
    let platform = detect_platform(header);
    Some(Recognition {
        kind,
        platform,
        columns,
        headerless: false,
    })
}

/// Rank of each column's header within its synonym list (lower = more typical), for tie-breaks
/// between two columns of the same role (买家会员名 beats 买家支付宝账号).
fn synonym_rank(header: &[&str]) -> Vec<usize> {
    let index = synonym_index();
    header
        .iter()
        .map(|h| {
            let n = normalize_header(h);
            index
                .get(&n)
                .or_else(|| index.get(strip_unit(&n)))
                .map(|&(_, r)| r)
                .unwrap_or(usize::MAX)
        })
        .collect()
}

/// Drop a trailing unit annotation: `支付金额(元)` → `支付金额`, `spend($)` → `spend`.
fn strip_unit(norm: &str) -> &str {
    for unit in [
        "(元)", "(¥)", "(￥)", "($)", "(件)", "(%)", "(usd)", "(cny)", "(#)",
    ] {
        if let Some(s) = norm.strip_suffix(unit) {
            return s;
        }
    }
    norm
}

fn detect_kind(cols: &[Column], present: &dyn Fn(&[Column], Field) -> bool) -> Option<DatasetKind> {
    let has = |f: Field| present(cols, f);
    let has_time = has(Field::CreatedTime) || has(Field::PaidTime) || has(Field::EventTime);
    if has(Field::EventType) && (has(Field::UserId) || has(Field::CustomerId)) && has_time {
        return Some(DatasetKind::Events);
    }
    if has(Field::Impressions) || (has(Field::Clicks) && (has(Field::Spend) || has(Field::Cost))) {
        return Some(DatasetKind::Ads);
    }
    let traffic = [
        Field::Visitors,
        Field::PageViews,
        Field::CartUsers,
        Field::FavUsers,
        Field::Buyers,
    ];
    if traffic.iter().any(|&f| has(f)) && !has(Field::OrderId) {
        return Some(DatasetKind::Traffic);
    }
    let amount = has(Field::PaidAmount) || has(Field::LineAmount) || has(Field::UnitPrice);
    if has(Field::OrderId) || (amount && has_time) {
        // WooCommerce's packed `2× A, 1× B` cell is one row per order, lines inside.
        let lines = !has(Field::PackedItems)
            && (has(Field::LineId)
                || (has(Field::Quantity) && (has(Field::UnitPrice) || has(Field::LineAmount))));
        return Some(if lines {
            DatasetKind::OrderLines
        } else {
            DatasetKind::Orders
        });
    }
    let keyed = has(Field::Sku) || has(Field::ProductId) || has(Field::Title);
    if keyed && (has(Field::Cost) || has(Field::Stock) || has(Field::UnitPrice)) {
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
            (DatasetKind::Events, CreatedTime) => Some(EventTime),
            (DatasetKind::Orders | DatasetKind::OrderLines, Price) => Some(UnitPrice),
            (DatasetKind::Orders | DatasetKind::OrderLines, Date | EventTime) => Some(CreatedTime),
            (DatasetKind::Orders | DatasetKind::OrderLines, UserId) => Some(CustomerId),
            (DatasetKind::Products, Price) => Some(UnitPrice),
            _ => None,
        };
        if let Some(to) = to {
            c.field = Some(to);
            c.source = RoleSource::KindRule;
            c.confidence = 0.8;
        }
    }
}

/// Keep one column per role: the one whose header is most typical (lowest synonym rank), then the
/// leftmost. The others keep their would-be role for the report but are marked as duplicates.
fn mark_duplicates(cols: &mut [Column], rank: &[usize]) {
    let mut best: FxHashMap<Field, usize> = FxHashMap::default();
    for c in cols.iter() {
        if let Some(f) = c.field {
            let keep = best.entry(f).or_insert(c.index);
            // An override always wins; otherwise the more typical header (lower rank) does.
            let better = cols[*keep].source != RoleSource::Override
                && (c.source == RoleSource::Override || rank[c.index] < rank[*keep]);
            if better {
                *keep = c.index;
            }
        }
    }
    for c in cols.iter_mut() {
        if let Some(f) = c.field {
            let keep = best[&f];
            if keep != c.index {
                c.duplicate_of = Some(keep);
                c.confidence = 0.0;
            }
        }
    }
}

fn detect_platform(header: &[&str]) -> Platform {
    let norm: Vec<String> = header.iter().map(|h| normalize_header(h)).collect();
    let mut best = (Platform::Generic, 0usize);
    for (platform, sig) in SIGNATURES {
        let hits = sig
            .iter()
            .filter(|s| {
                let s = normalize_header(s);
                norm.contains(&s)
            })
            .count();
        if hits > best.1 {
            best = (*platform, hits);
        }
    }
    // One weak hit is not enough to name a platform.
    if best.1 >= 2 {
        best.0
    } else {
        Platform::Generic
    }
}

/// Tianchi UserBehavior has no header: `user_id,item_id,category_id,behavior_type,timestamp`.
pub fn recognize_headerless(first: &[&str]) -> Option<Recognition> {
    if first.len() != 5 {
        return None;
    }
    let digits = |s: &str| !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit());
    let behaviour = matches!(first[3].trim(), "pv" | "fav" | "cart" | "buy");
    if !(digits(first[0]) && digits(first[1]) && digits(first[2]) && behaviour && digits(first[4]))
    {
        return None;
    }
    let roles = [
        ("user_id", Field::UserId),
        ("item_id", Field::ProductId),
        ("category_id", Field::Category),
        ("behavior_type", Field::EventType),
        ("timestamp", Field::EventTime),
    ];
    Some(Recognition {
        kind: DatasetKind::Events,
        platform: Platform::Tianchi,
        columns: roles
            .iter()
            .enumerate()
            .map(|(i, (name, f))| Column {
                index: i,
                header: name.to_string(),
                field: Some(*f),
                confidence: 0.9,
                source: RoleSource::KindRule,
                duplicate_of: None,
                evidence: String::new(),
                doubtful: false,
            })
            .collect(),
        headerless: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(h: &[&str]) -> Recognition {
        recognize(h, &FxHashMap::default(), None).expect("recognised")
    }

    fn role(r: &Recognition, header: &str) -> Option<Field> {
        r.columns
            .iter()
            .find(|c| c.header == header && c.duplicate_of.is_none())
            .and_then(|c| c.field)
    }

    #[test]
    fn taobao_order_report() {
        let r = rec(&[
            "订单编号",
            "买家会员名",
            "买家支付宝账号",
            "买家应付货款",
            "买家实际支付金额",
            "订单状态",
            "订单创建时间",
            "订单付款时间 ",
            "宝贝标题 ",
            "宝贝总数量",
            "退款金额",
        ]);
        assert_eq!(r.kind, DatasetKind::Orders);
        assert_eq!(r.platform, Platform::Taobao);
        assert_eq!(role(&r, "订单编号"), Some(Field::OrderId));
        assert_eq!(role(&r, "买家会员名"), Some(Field::CustomerId));
        assert_eq!(
            role(&r, "买家支付宝账号"),
            None,
            "second customer column is a duplicate"
        );
        assert_eq!(role(&r, "订单付款时间"), Some(Field::PaidTime));
        assert_eq!(role(&r, "买家实际支付金额"), Some(Field::PaidAmount));
    }

    #[test]
    fn shopify_line_items() {
        let r = rec(&[
            "Name",
            "Email",
            "Financial Status",
            "Paid at",
            "Total",
            "Created at",
            "Lineitem quantity",
            "Lineitem name",
            "Lineitem price",
            "Lineitem sku",
            "Refunded Amount",
        ]);
        assert_eq!(r.kind, DatasetKind::OrderLines);
        assert_eq!(r.platform, Platform::Shopify);
        assert_eq!(role(&r, "Name"), Some(Field::OrderId));
        assert_eq!(role(&r, "Lineitem sku"), Some(Field::Sku));
    }

    #[test]
    fn traffic_reads_payment_amount_as_sales() {
        let r = rec(&[
            "统计日期",
            "访客数",
            "浏览量",
            "加购人数",
            "支付买家数",
            "支付金额",
            "支付转化率",
        ]);
        assert_eq!(r.kind, DatasetKind::Traffic);
        assert_eq!(role(&r, "支付金额"), Some(Field::SalesAmount));
        assert_eq!(role(&r, "统计日期"), Some(Field::Date));
    }

    #[test]
    fn units_in_headers_are_tolerated() {
        let r = rec(&[
            "订单号",
            "商品总价(元)",
            "用户实付金额（元）",
            "商品数量(件)",
            "支付时间",
            "商品",
        ]);
        assert_eq!(r.platform, Platform::Pinduoduo);
        assert_eq!(role(&r, "用户实付金额（元）"), Some(Field::PaidAmount));
    }

    #[test]
    fn unknown_header_is_not_recognised() {
        assert!(recognize(&["foo", "bar", "baz"], &FxHashMap::default(), None).is_none());
    }

    #[test]
    fn overrides_win() {
        let mut o = FxHashMap::default();
        o.insert("foo".to_string(), Some(Field::OrderId));
        o.insert("bar".to_string(), Some(Field::PaidAmount));
        o.insert("baz".to_string(), Some(Field::CreatedTime));
        let r = recognize(&["foo", "bar", "baz"], &o, None).expect("overridden");
        assert_eq!(r.kind, DatasetKind::Orders);
        assert_eq!(role(&r, "bar"), Some(Field::PaidAmount));
    }

    #[test]
    fn tianchi_headerless() {
        let r = recognize_headerless(&["1", "2268318", "2520377", "pv", "1511544070"])
            .expect("tianchi");
        assert_eq!(r.platform, Platform::Tianchi);
        assert!(recognize_headerless(&["a", "b", "c", "pv", "1"]).is_none());
    }
}
