//! Breakdown dimensions read from cell values (DEFINITIONS §10): the region of an order (a
//! province, else a country) and the channel named inside a landing URL.
//!
//! **Chinese provinces** are written several ways: `福建省` / `福建`, `北京市` / `北京`,
//! `广西壮族自治区` / `广西`, `内蒙古` / `内蒙古自治区`, `香港特别行政区` / `香港`. Every variant of
//! one of the 34 province-level divisions is reduced to its **full official name** (`福建省`,
//! `北京市`, `广西壮族自治区`), the way 收货地址 writes it, so that one province is one group.
//! Other values (US states, countries) are kept as written, trimmed: `CA` and `California` stay
//! two groups, as the export wrote them.

/// The 34 province-level divisions: (short name, full official name).
pub(crate) const PROVINCES: &[(&str, &str)] = &[
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("上海", "上海市"),
    ("重庆", "重庆市"),
    ("河北", "河北省"),
    ("山西", "山西省"),
    ("辽宁", "辽宁省"),
    ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"),
    ("浙江", "浙江省"),
    ("安徽", "安徽省"),
    ("福建", "福建省"),
    ("江西", "江西省"),
    ("山东", "山东省"),
    ("河南", "河南省"),
    ("湖北", "湖北省"),
    ("湖南", "湖南省"),
    ("广东", "广东省"),
    ("海南", "海南省"),
    ("四川", "四川省"),
    ("贵州", "贵州省"),
    ("云南", "云南省"),
    ("陕西", "陕西省"),
    ("甘肃", "甘肃省"),
    ("青海", "青海省"),
    ("台湾", "台湾省"),
    ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("香港", "香港特别行政区"),
    ("澳门", "澳门特别行政区"),
];

/// The full name of the Chinese province `text` begins with (`福建` → `福建省`, `广西壮族自治区…` →
/// `广西壮族自治区`, `北京市朝阳区` → `北京市`), if any.
fn province_prefix(text: &str) -> Option<&'static str> {
    // `山西` and `陕西` share no prefix with another name, so the first match is the only one.
    PROVINCES
        .iter()
        .find(|(short, _)| text.starts_with(short))
        .map(|(_, full)| *full)
}

/// A region cell (省份, Billing Province, ship-state, country) as its group: a Chinese province by its
/// full name, anything else trimmed as written; `None` when blank.
pub fn region_of(cell: &str) -> Option<String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    Some(province_prefix(cell).map_or_else(|| cell.to_string(), str::to_string))
}

/// The province of a full address (收货地址 `福建省 厦门市 思明区 ***`): the province it begins with
/// (spaces or not), else its first word when the address is written in words (`海外 …`); `None`
/// for a blank or masked address (`***`) or one run of text that names no province.
pub fn region_of_address(address: &str) -> Option<String> {
    let address = address.trim();
    if let Some(full) = province_prefix(address) {
        return Some(full.to_string());
    }
    let mut words = address.split(|c: char| c.is_whitespace());
    let first = words.next().filter(|w| !w.is_empty())?;
    let has_letters = first.chars().any(char::is_alphabetic);
    (has_letters && words.next().is_some()).then(|| first.to_string())
}

/// The `utm_source` of a landing URL (`/products/cap?utm_source=google&utm_medium=cpc` → `google`),
/// lower-cased (UTM values are case-insensitive in practice: `Google` and `google` are one source).
pub fn utm_source(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("utm_source"))
        .map(|(_, v)| v.replace('+', " ").trim().to_lowercase())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_take_their_full_name() {
        for (cell, want) in [
            ("福建省", "福建省"),
            ("福建", "福建省"),
            (" 北京 ", "北京市"),
            ("北京市", "北京市"),
            ("广西", "广西壮族自治区"),
            ("广西壮族自治区", "广西壮族自治区"),
            ("内蒙古", "内蒙古自治区"),
            ("香港特别行政区", "香港特别行政区"),
            ("陕西省", "陕西省"),
            ("山西", "山西省"),
            ("California", "California"),
            ("CA", "CA"),
        ] {
            assert_eq!(region_of(cell).as_deref(), Some(want), "{cell}");
        }
        assert_eq!(region_of("  "), None);
    }

    #[test]
    fn an_address_gives_its_province() {
        for (address, want) in [
            ("福建省 厦门市 思明区 ***", Some("福建省")),
            ("福建省厦门市思明区软件园", Some("福建省")),
            ("北京 北京市 朝阳区 ***", Some("北京市")),
            ("广西壮族自治区 南宁市 青秀区", Some("广西壮族自治区")),
            ("海外 新加坡 ***", Some("海外")),
            ("***", None),
            ("", None),
            ("某地某街道", None),
        ] {
            assert_eq!(region_of_address(address).as_deref(), want, "{address}");
        }
    }

    #[test]
    fn utm_source_of_a_landing_url() {
        assert_eq!(
            utm_source("/products/cap?utm_source=Google&utm_medium=cpc").as_deref(),
            Some("google")
        );
        assert_eq!(
            utm_source("https://x.myshopify.com/?ref=a&UTM_SOURCE=ig#top").as_deref(),
            Some("ig")
        );
        assert_eq!(utm_source("/products/cap"), None);
        assert_eq!(utm_source("/?utm_source="), None);
    }
}
