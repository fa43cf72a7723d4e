//! Recognition: from a header row (and a sample of the rows under it), the export's kind, its
//! platform and each column's role, with the evidence for each.
//!
//! - [`words`]: candidate roles from a header's words, for headers the synonym table does not list;
//! - [`profile`]: what a sample of each column's values looks like (times, money, ids, statuses …);
//! - [`decide`]: the decision over the whole header, the kind, and the choices made from the data
//!   (amount grain, decimal comma, which id is the user).
//!
//! Exact synonyms ([`SYNONYMS`]) are the strongest evidence; the platform comes from signature
//! headers ([`SIGNATURES`]). Everything is resolved once per file into column indices
//! ([`ColumnMap`]) so rows are never looked up by header name.

pub mod decide;
pub mod dimension;
pub mod experiment;
pub mod profile;
pub mod words;

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
    /// Read from the header's words (`order_time`, `product_title`, `客户编号`).
    Words,
    /// Read from the column's values alone (a cryptic header).
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
    /// Why the column got its role: the header's evidence and what its sampled values look like.
    #[serde(default)]
    pub evidence: String,
    /// The same in Chinese, for the Chinese page.
    #[serde(default)]
    pub evidence_zh: String,
    /// The role is a guess the user should confirm (confidence below [`decide::DOUBTFUL_BELOW`]).
    #[serde(default)]
    pub doubtful: bool,
    /// Amounts in this column are written with a decimal comma (`43,99`, `1.234,56 €`), as its
    /// sampled values show.
    #[serde(default)]
    pub decimal_comma: bool,
}

/// How an amount column adds up into orders (DEFINITIONS §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// Values differ between the rows of one order: each row's amount is the line's, summed.
    Line,
    /// Repeated on every row of an order or given on its first row only: counted once.
    Order,
}

/// Choices made from the sampled data, shown in the load report and open to the user's override.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decisions {
    /// Grain of the paid amount column, when the file has one and orders of several rows (or a
    /// sub-order id) show it.
    pub amount_grain: Option<Grain>,
    /// Grain of the refund column, likewise.
    pub refund_grain: Option<Grain>,
    /// Rows the decision read (the sample under the header).
    pub sample_rows: u32,
    /// Orders of several rows in the sample.
    pub multi_row_orders: u32,
    /// Of those, the orders whose paid amount differs between their rows.
    pub differing_orders: u32,
    /// The header of the buyer column when its values are names, not ids: the export has no
    /// better buyer id, and buyers who share a name count as one (said in the load report).
    pub buyers_by_name: Option<String>,
}

/// The outcome of recognising a header.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recognition {
    pub kind: DatasetKind,
    pub platform: Platform,
    pub columns: Vec<Column>,
    /// True for a headerless file (Tianchi UserBehavior): the first line is data.
    pub headerless: bool,
    pub decisions: Decisions,
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

/// Recognise a header row from the header alone, applying the caller's overrides (`header as
/// written → role or None`). Returns `None` when no kind fits.
pub fn recognize(
    header: &[&str],
    overrides: &FxHashMap<String, Option<Field>>,
    kind_override: Option<DatasetKind>,
) -> Option<Recognition> {
    recognize_sampled(header, &(), overrides, kind_override)
}

/// Recognise a header row with a sample of the rows under it: each column's values confirm or
/// overturn its header's reading, find roles for cryptic headers, and decide the grain of amounts.
pub fn recognize_sampled(
    header: &[&str],
    sample: &dyn decide::Sample,
    overrides: &FxHashMap<String, Option<Field>>,
    kind_override: Option<DatasetKind>,
) -> Option<Recognition> {
    let profiles = (sample.rows() > 0).then(|| {
        let mut p = profile::Profiler::new(header.len());
        for r in 0..sample.rows() {
            p.add((0..header.len()).map(|c| sample.cell(r, c)));
        }
        p.finish()
    });
    let (kind, columns, decisions) = decide::decide(
        header,
        profiles.as_deref(),
        sample,
        overrides,
        kind_override,
    )?;
    Some(Recognition {
        kind,
        platform: detect_platform(header),
        columns,
        headerless: false,
        decisions,
    })
}

/// The columns of a header no kind fits: every column without a role, for the mapping editor.
pub fn unmapped_columns(header: &[&str]) -> Vec<Column> {
    header
        .iter()
        .enumerate()
        .map(|(i, raw)| Column {
            index: i,
            header: raw.trim().to_string(),
            field: None,
            confidence: 0.0,
            source: RoleSource::None,
            duplicate_of: None,
            evidence: String::new(),
            evidence_zh: String::new(),
            doubtful: false,
            decimal_comma: false,
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
    // Tianchi's behaviours as words, or as its codes 1–4 (pv, fav, cart, buy).
    let behaviour = matches!(
        first[3].trim(),
        "pv" | "fav" | "cart" | "buy" | "1" | "2" | "3" | "4"
    );
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
                evidence: "a headerless Tianchi UserBehavior log (user, item, category, \
                           behaviour, epoch)"
                    .to_string(),
                evidence_zh: "无表头的天池 UserBehavior 行为日志（用户、商品、类目、行为、时间戳）"
                    .to_string(),
                doubtful: false,
                decimal_comma: false,
            })
            .collect(),
        headerless: true,
        decisions: Decisions::default(),
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
        let coded = recognize_headerless(&["1", "2268318", "2520377", "3", "1511544070"]);
        assert_eq!(coded.map(|r| r.platform), Some(Platform::Tianchi));
    }
}
