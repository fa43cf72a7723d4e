//! A [`Part`] as bytes, to cross from one worker's WebAssembly instance to another's.
//!
//! Columns travel as they are in memory: little-endian fixed-width values back to back, and an
//! `Option` column as a presence bitmap followed by the values (0 where absent); an `OptId`
//! column as its plain `u32`s (`u32::MAX` where absent). Names travel as each interner's text
//! and end offsets. Encoding is a copy per column; no per-row framing.
//! The load report (small: at most 100 examples per reason) travels as JSON.

use super::Part;
use crate::model::{
    Ads, Dataset, Events, Interner, Lines, OptId, Orders, PayState, ProductInfo, Traffic,
};

/// Format version in the last two digits: 02 since event ids travel as `OptId`s, 03 since events
/// carry interned names (`u16` ids into the names that travel with the other interners), 04 with
/// the orders' channel and region, 05 since events may carry an experiment group (the variant
/// names and the sparse `Events::variant` column travel last).
const MAGIC: &[u8; 8] = b"SLPART05";

/// Why bytes are not a part written by this version of the engine.
#[derive(Debug, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

/// A fixed-width little-endian value.
trait Le: Copy + Default {
    const WIDTH: usize;
    fn put(self, out: &mut Vec<u8>);
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! le {
    ($($t:ty),*) => {$(
        impl Le for $t {
            const WIDTH: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
le!(u8, u16, u32, i32, u64, i64);

/// An [`OptId`] column travels as its plain `u32`s (`u32::MAX` for none), no bitmap.
impl Le for OptId {
    const WIDTH: usize = 4;
    fn put(self, out: &mut Vec<u8>) {
        self.to_raw().put(out);
    }
    fn get(bytes: &[u8]) -> Self {
        OptId::from_raw(u32::get(bytes))
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn len(&mut self, n: usize) {
        (n as u64).put(&mut self.0);
    }
    fn values<T: Le>(&mut self, values: &[T]) {
        self.len(values.len());
        self.0.reserve(values.len() * T::WIDTH);
        for &v in values {
            v.put(&mut self.0);
        }
    }
    fn options<T: Le>(&mut self, values: &[Option<T>]) {
        self.len(values.len());
        let mut bits = vec![0u8; values.len().div_ceil(8)];
        for (i, v) in values.iter().enumerate() {
            if v.is_some() {
                bits[i / 8] |= 1 << (i % 8);
            }
        }
        self.0.extend_from_slice(&bits);
        self.0.reserve(values.len() * T::WIDTH);
        for v in values {
            v.unwrap_or_default().put(&mut self.0);
        }
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
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
        self.options(&present);
        self.bytes(&text);
        self.values(&ends);
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.0.len() {
            return Err(DecodeError("the part ends early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn len(&mut self) -> Result<usize, DecodeError> {
        let n = u64::get(self.take(8)?);
        usize::try_from(n).map_err(|_| DecodeError("a length is too large"))
    }
    fn values<T: Le>(&mut self) -> Result<Vec<T>, DecodeError> {
        let n = self.len()?;
        let bytes = self.take(n.checked_mul(T::WIDTH).ok_or(DecodeError("overflow"))?)?;
        Ok(bytes.chunks_exact(T::WIDTH).map(T::get).collect())
    }
    fn options<T: Le>(&mut self) -> Result<Vec<Option<T>>, DecodeError> {
        let n = self.len()?;
        let bits = self.take(n.div_ceil(8))?;
        let bytes = self.take(n.checked_mul(T::WIDTH).ok_or(DecodeError("overflow"))?)?;
        Ok(bytes
            .chunks_exact(T::WIDTH)
            .enumerate()
            .map(|(i, b)| (bits[i / 8] >> (i % 8) & 1 == 1).then(|| T::get(b)))
            .collect())
    }
    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.len()?;
        self.take(n)
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
        let present: Vec<Option<u8>> = self.options()?;
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

fn pay_state_code(s: PayState) -> u8 {
    match s {
        PayState::Paid => 0,
        PayState::Unpaid => 1,
        PayState::Cancelled => 2,
    }
}

fn pay_state(code: u8) -> Result<PayState, DecodeError> {
    Ok(match code {
        0 => PayState::Paid,
        1 => PayState::Unpaid,
        2 => PayState::Cancelled,
        _ => return Err(DecodeError("unknown payment state")),
    })
}

/// The part as bytes; [`decode`] reads them back.
pub fn encode(part: &Part) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(MAGIC);
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
    w.options(&info.iter().map(|i| i.category).collect::<Vec<_>>());
    w.options(&info.iter().map(|i| i.cost).collect::<Vec<_>>());
    w.options(&info.iter().map(|i| i.price).collect::<Vec<_>>());
    w.options(&info.iter().map(|i| i.stock).collect::<Vec<_>>());

    let o = &d.orders;
    w.options(&o.customer);
    w.options(&o.created);
    w.options(&o.paid_at);
    w.values(&o.time);
    w.values(
        &o.state
            .iter()
            .map(|&s| pay_state_code(s))
            .collect::<Vec<_>>(),
    );
    w.values(&o.paid_amount);
    w.values(&o.refund);
    w.options(&o.shop);
    w.options(&o.channel);
    w.options(&o.region);

    let l = &d.lines;
    w.values(&l.order);
    w.values(&l.product);
    w.values(&l.quantity);
    w.options(&l.unit_price);
    w.options(&l.amount);
    w.options(&l.refund);

    let e = &d.events;
    w.values(&e.user);
    w.values(&e.name);
    w.values(&e.time);
    w.values(&e.item);
    w.values(&e.category);
    w.values(&e.brand);

    let t = &d.traffic;
    w.options(&t.day);
    w.options(&t.product);
    for c in [
        &t.visitors,
        &t.page_views,
        &t.fav_users,
        &t.cart_users,
        &t.buyers,
        &t.units,
        &t.paid_amount,
    ] {
        w.options(c);
    }

    let a = &d.ads;
    w.options(&a.day);
    w.options(&a.campaign);
    for c in [&a.impressions, &a.clicks, &a.spend, &a.sales, &a.orders] {
        w.options(c);
    }

    w.values(&[u8::from(d.has_customers)]);
    w.option_texts(std::iter::once(d.currency.as_deref()));
    w.names(&d.variants);
    w.values(&e.variant);
    w.0
}

/// Reads a part written by [`encode`], checking every length, so that bytes from elsewhere are an
/// error and never a panic or out-of-range ids.
pub fn decode(bytes: &[u8]) -> Result<Part, DecodeError> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len())? != MAGIC {
        return Err(DecodeError("not a shoplens part of this version"));
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
    let categories: Vec<Option<u32>> = r.options()?;
    let costs: Vec<Option<i64>> = r.options()?;
    let prices: Vec<Option<i64>> = r.options()?;
    let stocks: Vec<Option<i64>> = r.options()?;
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

    d.orders = Orders {
        customer: r.options()?,
        created: r.options()?,
        paid_at: r.options()?,
        time: r.values()?,
        state: r
            .values::<u8>()?
            .into_iter()
            .map(pay_state)
            .collect::<Result<_, _>>()?,
        paid_amount: r.values()?,
        refund: r.values()?,
        source: Vec::new(),
        shop: r.options()?,
        channel: r.options()?,
        region: r.options()?,
    };
    d.orders.source = vec![0; d.orders.time.len()];
    d.lines = Lines {
        order: r.values()?,
        product: r.values()?,
        quantity: r.values()?,
        unit_price: r.options()?,
        amount: r.options()?,
        refund: r.options()?,
    };
    d.events = Events {
        user: r.values()?,
        name: r.values()?,
        time: r.values()?,
        item: r.values()?,
        category: r.values()?,
        brand: r.values()?,
        variant: Vec::new(),
    };
    d.traffic = Traffic {
        day: r.options()?,
        product: r.options()?,
        visitors: r.options()?,
        page_views: r.options()?,
        fav_users: r.options()?,
        cart_users: r.options()?,
        buyers: r.options()?,
        units: r.options()?,
        paid_amount: r.options()?,
    };
    d.ads = Ads {
        day: r.options()?,
        campaign: r.options()?,
        impressions: r.options()?,
        clicks: r.options()?,
        spend: r.options()?,
        sales: r.options()?,
        orders: r.options()?,
    };
    d.has_customers = one(r.values::<u8>()?)? == 1;
    d.currency = one(r.option_texts()?)?;
    d.variants = r.names()?;
    d.events.variant = r.values()?;
    if !r.0.is_empty() {
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
    let o = &d.orders;
    let n = o.time.len();
    same_len(&[
        n,
        d.order_ids.len(),
        o.customer.len(),
        o.created.len(),
        o.paid_at.len(),
        o.state.len(),
        o.paid_amount.len(),
        o.refund.len(),
        o.shop.len(),
        o.channel.len(),
        o.region.len(),
    ])?;
    let l = &d.lines;
    let lines = l.order.len();
    same_len(&[
        lines,
        l.product.len(),
        l.quantity.len(),
        l.unit_price.len(),
        l.amount.len(),
        l.refund.len(),
    ])?;
    let e = &d.events;
    same_len(&[
        e.user.len(),
        e.name.len(),
        e.time.len(),
        e.item.len(),
        e.category.len(),
        e.brand.len(),
    ])?;
    let t = &d.traffic;
    same_len(&[
        t.day.len(),
        t.product.len(),
        t.visitors.len(),
        t.page_views.len(),
        t.fav_users.len(),
        t.cart_users.len(),
        t.buyers.len(),
        t.units.len(),
        t.paid_amount.len(),
    ])?;
    let a = &d.ads;
    same_len(&[
        a.day.len(),
        a.campaign.len(),
        a.impressions.len(),
        a.clicks.len(),
        a.spend.len(),
        a.sales.len(),
        a.orders.len(),
    ])?;
    let products = d.products.len();
    let ok = d.product_info.len() == products
        && below(o.customer.iter().flatten().copied(), d.customers.len())
        && below(o.shop.iter().flatten().copied(), d.shops.len())
        && below(o.channel.iter().flatten().copied(), d.channels.len())
        && below(o.region.iter().flatten().copied(), d.regions.len())
        && below(l.order.iter().copied(), n)
        && below(l.product.iter().copied(), products)
        && below(e.user.iter().copied(), d.customers.len())
        && below(e.name.iter().map(|&n| u32::from(n)), d.event_names.len())
        && below(e.item.iter().filter_map(|i| i.get()), products)
        && below(
            e.category.iter().filter_map(|c| c.get()),
            d.categories.len(),
        )
        && below(e.brand.iter().filter_map(|b| b.get()), d.brands.len())
        && e.variant.len() <= e.time.len()
        && below(e.variant.iter().filter_map(|v| v.get()), d.variants.len())
        && below(t.product.iter().flatten().copied(), products)
        && below(a.campaign.iter().flatten().copied(), d.campaigns.len())
        && below(
            d.product_info.iter().filter_map(|i| i.category),
            d.categories.len(),
        )
        && below(synthetic_lines.iter().copied(), lines);
    if ok {
        Ok(())
    } else {
        Err(DecodeError("an id is out of range"))
    }
}
