//! A [`Part`] as bytes, to cross from one worker's WebAssembly instance to another's.
//!
//! Table columns travel as they are in memory, in the order their `table!` declares them
//! (`model::cells` has the layout: little-endian fixed-width values back to back, an `Option`
//! column with a presence bitmap); no per-row framing. Names travel as each interner's text and
//! end offsets. The load report (small: at most 100 examples per reason) travels as JSON.

use super::Part;
use crate::model::cells::{PartCell, PartReader};
use crate::model::{
    Ads, Dataset, Events, IdSpace, Interner, Lines, OptId, Orders, ProductInfo, Traffic,
};

/// Format version in the last two digits: 02 since event ids travel as `OptId`s, 03 since events
/// carry interned names (`u16` ids into the names that travel with the other interners), 04 with
/// the orders' channel and region, 05 since events may carry an experiment group (the variant
/// names and the sparse `Events::variant` column travel last), 06 since every column a table
/// declares travels, the orders' source included, and the tables' [`LAYOUT`] follows.
const MAGIC: &[u8; 8] = b"SLPART06";

/// A fingerprint of how the tables are declared (FNV-1a of every `table!`'s `LAYOUT`: columns and
/// types, in order), written after [`MAGIC`]: a column added, removed, moved or retyped changes
/// it, so a part from another build's tables is refused without anyone bumping a version.
const LAYOUT: u64 = fnv1a(&[
    Orders::LAYOUT,
    Lines::LAYOUT,
    Events::LAYOUT,
    Traffic::LAYOUT,
    Ads::LAYOUT,
]);

const fn fnv1a(texts: &[&str]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut t = 0;
    while t < texts.len() {
        let bytes = texts[t].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        t += 1;
    }
    hash
}

/// Why bytes are not a part written by this version of the engine.
#[derive(Debug, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

impl From<&'static str> for DecodeError {
    fn from(why: &'static str) -> DecodeError {
        DecodeError(why)
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn values<T: PartCell>(&mut self, values: &[T]) {
        T::write(values, &mut self.0);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.values(b);
    }
    fn names(&mut self, names: &Interner) {
        let mut text = Vec::new();
        let mut ends = Vec::with_capacity(names.len());
        for (_, name) in names.iter() {
            text.extend_from_slice(name.as_bytes());
            ends.push(text.len() as u64);
        }
        self.bytes(&text);
        self.values(&ends);
    }
    fn option_texts<'a>(&mut self, texts: impl ExactSizeIterator<Item = Option<&'a str>>) {
        let mut present = Vec::with_capacity(texts.len());
        let mut text = Vec::new();
        let mut ends = Vec::with_capacity(texts.len());
        for t in texts {
            present.push(t.map(|_| 0u8));
            text.extend_from_slice(t.unwrap_or("").as_bytes());
            ends.push(text.len() as u64);
        }
        self.values(&present);
        self.bytes(&text);
        self.values(&ends);
    }
}

struct Reader<'a>(PartReader<'a>);

impl<'a> Reader<'a> {
    fn values<T: PartCell>(&mut self) -> Result<Vec<T>, DecodeError> {
        Ok(T::read(&mut self.0)?)
    }
    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.0.len()?;
        Ok(self.0.take(n)?)
    }
    fn texts(&mut self) -> Result<(&'a str, Vec<u64>), DecodeError> {
        let text =
            std::str::from_utf8(self.bytes()?).map_err(|_| DecodeError("names not UTF-8"))?;
        let ends: Vec<u64> = self.values()?;
        let mut start = 0;
        for &end in &ends {
            let end = usize::try_from(end).map_err(|_| DecodeError("bad name end"))?;
            if end < start || !text.is_char_boundary(end) || end > text.len() {
                return Err(DecodeError("bad name end"));
            }
            start = end;
        }
        Ok((text, ends))
    }
    /// Names travel without their lookup table: merging reads them by id only.
    fn names(&mut self) -> Result<Interner, DecodeError> {
        let (text, ends) = self.texts()?;
        let ends = ends.into_iter().map(|e| e as usize).collect();
        Ok(Interner::from_names(text.to_string(), ends))
    }

    fn option_texts(&mut self) -> Result<Vec<Option<String>>, DecodeError> {
        let present: Vec<Option<u8>> = self.values()?;
        let (text, ends) = self.texts()?;
        if ends.len() != present.len() {
            return Err(DecodeError("column lengths differ"));
        }
        let mut start = 0;
        Ok(present
            .iter()
            .zip(ends)
            .map(|(p, end)| {
                let t = &text[start..end as usize];
                start = end as usize;
                p.map(|_| t.to_string())
            })
            .collect())
    }
}

/// The part as bytes; [`decode`] reads them back.
pub fn encode(part: &Part) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(MAGIC);
    w.0.extend_from_slice(&LAYOUT.to_le_bytes());
    // LoadReport holds only plain data, so serialising it cannot fail.
    let report = serde_json::to_vec(&part.report).unwrap_or_default();
    w.bytes(&report);
    w.values(&[part.newlines]);
    w.values(&part.synthetic_lines);

    let d = &part.dataset;
    for names in [
        &d.order_ids,
        &d.customers,
        &d.products,
        &d.categories,
        &d.brands,
        &d.shops,
        &d.channels,
        &d.regions,
        &d.campaigns,
        &d.event_names,
    ] {
        w.names(names);
    }
    let info = &d.product_info;
    w.option_texts(info.iter().map(|i| i.title.as_deref()));
    w.values(&info.iter().map(|i| i.category).collect::<Vec<_>>());
    w.values(&info.iter().map(|i| i.cost).collect::<Vec<_>>());
    w.values(&info.iter().map(|i| i.price).collect::<Vec<_>>());
    w.values(&info.iter().map(|i| i.stock).collect::<Vec<_>>());

    d.orders.write_columns(&mut w.0);
    d.lines.write_columns(&mut w.0);
    d.events.write_columns(&mut w.0);
    d.traffic.write_columns(&mut w.0);
    d.ads.write_columns(&mut w.0);

    w.values(&[u8::from(d.has_customers)]);
    w.option_texts(std::iter::once(d.currency.as_deref()));
    w.names(&d.variants);
    w.values(&d.events.variant);
    w.0
}

/// Reads a part written by [`encode`], checking every length, so that bytes from elsewhere are an
/// error and never a panic or out-of-range ids.
pub fn decode(bytes: &[u8]) -> Result<Part, DecodeError> {
    let mut r = Reader(PartReader(bytes));
    if r.0.take(MAGIC.len())? != MAGIC {
        return Err(DecodeError("not a shoplens part of this version"));
    }
    if r.0.take(8)? != LAYOUT.to_le_bytes() {
        return Err(DecodeError("a part of tables declared otherwise"));
    }
    let report = serde_json::from_slice(r.bytes()?).map_err(|_| DecodeError("bad load report"))?;
    let newlines = one(r.values::<u64>()?)?;
    let synthetic_lines = r.values()?;

    let mut d = Dataset {
        order_ids: r.names()?,
        customers: r.names()?,
        products: r.names()?,
        categories: r.names()?,
        brands: r.names()?,
        shops: r.names()?,
        channels: r.names()?,
        regions: r.names()?,
        campaigns: r.names()?,
        event_names: r.names()?,
        ..Dataset::default()
    };
    let titles = r.option_texts()?;
    let categories: Vec<Option<u32>> = r.values()?;
    let costs: Vec<Option<i64>> = r.values()?;
    let prices: Vec<Option<i64>> = r.values()?;
    let stocks: Vec<Option<i64>> = r.values()?;
    same_len(&[
        titles.len(),
        categories.len(),
        costs.len(),
        prices.len(),
        stocks.len(),
    ])?;
    d.product_info = titles
        .into_iter()
        .zip(categories)
        .zip(costs)
        .zip(prices)
        .zip(stocks)
        .map(|((((title, category), cost), price), stock)| ProductInfo {
            title,
            category,
            cost,
            price,
            stock,
        })
        .collect();

    d.orders = Orders::read_columns(&mut r.0)?;
    d.lines = Lines::read_columns(&mut r.0)?;
    d.events = Events::read_columns(&mut r.0)?;
    d.traffic = Traffic::read_columns(&mut r.0)?;
    d.ads = Ads::read_columns(&mut r.0)?;
    d.has_customers = one(r.values::<u8>()?)? == 1;
    d.currency = one(r.option_texts()?)?;
    d.variants = r.names()?;
    d.events.variant = r.values::<OptId>()?;
    if !r.0 .0.is_empty() {
        return Err(DecodeError("bytes after the part"));
    }
    check_ids(&d, &synthetic_lines)?;
    Ok(Part {
        report,
        dataset: d,
        newlines,
        synthetic_lines,
    })
}

/// Every id below `n`.
fn below(ids: impl IntoIterator<Item = u32>, n: usize) -> bool {
    ids.into_iter().all(|i| (i as usize) < n)
}

fn one<T>(v: Vec<T>) -> Result<T, DecodeError> {
    let mut v = v.into_iter();
    match (v.next(), v.next()) {
        (Some(x), None) => Ok(x),
        _ => Err(DecodeError("expected one value")),
    }
}

fn same_len(lens: &[usize]) -> Result<(), DecodeError> {
    if lens.windows(2).all(|w| w[0] == w[1]) {
        Ok(())
    } else {
        Err(DecodeError("column lengths differ"))
    }
}

/// Every column of a table has the table's length and every id is one its interner issued, so
/// merging can index without checks.
fn check_ids(d: &Dataset, synthetic_lines: &[u32]) -> Result<(), DecodeError> {
    let tables_agree = d.orders.lengths_agree()
        && d.lines.lengths_agree()
        && d.events.lengths_agree()
        && d.traffic.lengths_agree()
        && d.ads.lengths_agree()
        && d.orders.len() == d.order_ids.len()
        && d.product_info.len() == d.products.len();
    if !tables_agree {
        return Err(DecodeError("column lengths differ"));
    }
    let bound = |space: IdSpace| match space {
        IdSpace::Orders => d.orders.len(),
        IdSpace::Customers => d.customers.len(),
        IdSpace::Products => d.products.len(),
        IdSpace::Categories => d.categories.len(),
        IdSpace::Brands => d.brands.len(),
        IdSpace::Shops => d.shops.len(),
        IdSpace::Channels => d.channels.len(),
        IdSpace::Regions => d.regions.len(),
        IdSpace::Campaigns => d.campaigns.len(),
        IdSpace::EventNames => d.event_names.len(),
        // A part's sources do not travel: merging points every order at the file it merges.
        IdSpace::Sources => usize::MAX,
    };
    let e = &d.events;
    let ok = d.orders.ids_below(bound)
        && d.lines.ids_below(bound)
        && e.ids_below(bound)
        && d.traffic.ids_below(bound)
        && d.ads.ids_below(bound)
        && e.variant.len() <= e.len()
        && below(e.variant.iter().filter_map(|v| v.get()), d.variants.len())
        && below(
            d.product_info.iter().filter_map(|i| i.category),
            d.categories.len(),
        )
        && below(synthetic_lines.iter().copied(), d.lines.len());
    if ok {
        Ok(())
    } else {
        Err(DecodeError("an id is out of range"))
    }
}
