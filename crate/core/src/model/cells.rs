//! What a table column's values are, beyond their Rust type: which ids they hold ([`IdSpace`],
//! [`IdCell`]: re-pointed when tables merge or are copied) and how a column travels in a part
//! ([`PartCell`]: the bytes of the parallel part format, `ingest::parallel::codec`).
//!
//! Part layout of a column: its length as a `u64`, then the values back to back as little-endian
//! fixed-width numbers; an `Option` column has a presence bitmap (bit `i % 8` of byte `i / 8`)
//! between the length and the values, whose absent values are written as 0; an [`OptId`] column
//! is its plain `u32`s (`u32::MAX` where absent), an [`OptI64`] column its plain `i64`s
//! (`i64::MIN` where absent), no bitmap; a [`PayState`] is one byte.

use super::{OptI64, OptId, PayState};

/// The table of names an id column points into: ids in a column declared `=> Customers` are
/// indices into `Dataset::customers`, and so on. Merging a part re-points them into the merged
/// tables; copying a filtered dataset re-points those whose names are interned afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdSpace {
    /// `Dataset::order_ids` (the index of a row of `Orders`).
    Orders,
    Customers,
    Products,
    Categories,
    Brands,
    Shops,
    Channels,
    Regions,
    Campaigns,
    /// `Dataset::event_names` (`u16` ids).
    EventNames,
    /// `Dataset::sources`: the file a row came from.
    Sources,
}

/// A column value that holds an id (or none).
pub trait IdCell: Copy {
    /// The id, if any.
    fn id(self) -> Option<u32>;
    /// The same value with its id (if any) replaced by `f(id)`.
    fn map_id(self, f: impl FnMut(u32) -> u32) -> Self;
}

impl IdCell for u32 {
    #[inline]
    fn id(self) -> Option<u32> {
        Some(self)
    }
    #[inline]
    fn map_id(self, mut f: impl FnMut(u32) -> u32) -> Self {
        f(self)
    }
}

/// `u16` ids (event names, sources): the id maps of those spaces hold `u16` values (the
/// interner that issues them keeps below `u16::MAX`), so the narrowing is lossless.
impl IdCell for u16 {
    #[inline]
    fn id(self) -> Option<u32> {
        Some(u32::from(self))
    }
    #[inline]
    fn map_id(self, mut f: impl FnMut(u32) -> u32) -> Self {
        f(u32::from(self)) as u16
    }
}

impl IdCell for Option<u32> {
    #[inline]
    fn id(self) -> Option<u32> {
        self
    }
    #[inline]
    fn map_id(self, f: impl FnMut(u32) -> u32) -> Self {
        self.map(f)
    }
}

impl IdCell for OptId {
    #[inline]
    fn id(self) -> Option<u32> {
        self.get()
    }
    #[inline]
    fn map_id(self, f: impl FnMut(u32) -> u32) -> Self {
        self.get().map(f).into()
    }
}

/// A fixed-width little-endian value.
pub(crate) trait Scalar: Copy + Default {
    const WIDTH: usize;
    fn put(self, out: &mut Vec<u8>);
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! scalar {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            const WIDTH: usize = std::mem::size_of::<$t>();
            #[inline]
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
scalar!(u8, u16, u32, i32, u64, i64);

impl Scalar for OptId {
    const WIDTH: usize = 4;
    #[inline]
    fn put(self, out: &mut Vec<u8>) {
        self.to_raw().put(out);
    }
    #[inline]
    fn get(bytes: &[u8]) -> Self {
        OptId::from_raw(u32::get(bytes))
    }
}

impl Scalar for OptI64 {
    const WIDTH: usize = 8;
    #[inline]
    fn put(self, out: &mut Vec<u8>) {
        self.to_raw().put(out);
    }
    #[inline]
    fn get(bytes: &[u8]) -> Self {
        OptI64::from_raw(i64::get(bytes))
    }
}

/// Bytes being read back, front first; every read checks that the bytes are there.
pub(crate) struct PartReader<'a>(pub &'a [u8]);

impl<'a> PartReader<'a> {
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if n > self.0.len() {
            return Err("the part ends early");
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    pub fn len(&mut self) -> Result<usize, &'static str> {
        let n = u64::get(self.take(8)?);
        usize::try_from(n).map_err(|_| "a length is too large")
    }
    /// `n` values of `width` bytes.
    fn values(&mut self, n: usize, width: usize) -> Result<&'a [u8], &'static str> {
        self.take(n.checked_mul(width).ok_or("overflow")?)
    }
}

/// A column's values as they travel in a part (see the module docs for the layout).
pub(crate) trait PartCell: Sized {
    fn write(column: &[Self], out: &mut Vec<u8>);
    fn read(r: &mut PartReader<'_>) -> Result<Vec<Self>, &'static str>;
}

fn write_len(n: usize, out: &mut Vec<u8>) {
    (n as u64).put(out);
}

impl<T: Scalar> PartCell for T {
    fn write(column: &[T], out: &mut Vec<u8>) {
        write_len(column.len(), out);
        out.reserve(column.len() * T::WIDTH);
        for &v in column {
            v.put(out);
        }
    }
    fn read(r: &mut PartReader<'_>) -> Result<Vec<T>, &'static str> {
        let n = r.len()?;
        let bytes = r.values(n, T::WIDTH)?;
        Ok(bytes.chunks_exact(T::WIDTH).map(T::get).collect())
    }
}

impl<T: Scalar> PartCell for Option<T> {
    fn write(column: &[Option<T>], out: &mut Vec<u8>) {
        write_len(column.len(), out);
        let mut bits = vec![0u8; column.len().div_ceil(8)];
        for (i, v) in column.iter().enumerate() {
            if v.is_some() {
                bits[i / 8] |= 1 << (i % 8);
            }
        }
        out.extend_from_slice(&bits);
        out.reserve(column.len() * T::WIDTH);
        for v in column {
            v.unwrap_or_default().put(out);
        }
    }
    fn read(r: &mut PartReader<'_>) -> Result<Vec<Option<T>>, &'static str> {
        let n = r.len()?;
        let bits = r.take(n.div_ceil(8))?;
        let bytes = r.values(n, T::WIDTH)?;
        Ok(bytes
            .chunks_exact(T::WIDTH)
            .enumerate()
            .map(|(i, b)| (bits[i / 8] >> (i % 8) & 1 == 1).then(|| T::get(b)))
            .collect())
    }
}

impl PayState {
    fn part_code(self) -> u8 {
        match self {
            PayState::Paid => 0,
            PayState::Unpaid => 1,
            PayState::Cancelled => 2,
        }
    }
}

/// One byte a state (0 paid, 1 unpaid, 2 cancelled).
impl PartCell for PayState {
    fn write(column: &[PayState], out: &mut Vec<u8>) {
        let codes: Vec<u8> = column.iter().map(|s| s.part_code()).collect();
        u8::write(&codes, out);
    }
    fn read(r: &mut PartReader<'_>) -> Result<Vec<PayState>, &'static str> {
        u8::read(r)?
            .into_iter()
            .map(|code| match code {
                0 => Ok(PayState::Paid),
                1 => Ok(PayState::Unpaid),
                2 => Ok(PayState::Cancelled),
                _ => Err("unknown payment state"),
            })
            .collect()
    }
}
