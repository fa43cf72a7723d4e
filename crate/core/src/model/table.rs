//! [`table!`]: a columnar table declared once, as its list of columns, and everything that goes
//! column by column generated from that list, so adding a column is one line (plus filling it
//! where rows are read, and its test).
//!
//! ```text
//! table! {
//!     /// Docs of the table.
//!     #[derive(Default, Clone, Debug)]
//!     pub struct Lines, row Line, len order {
//!         /// Docs of the column.
//!         pub order: u32 => Orders,       // an id into `Dataset::order_ids`
//!         pub quantity: i64,              // a plain value
//!         …
//!     }
//! }
//! ```
//! declares `pub struct Lines { pub order: Vec<u32>, pub quantity: Vec<i64>, … }` and `pub struct
//! Line { pub order: u32, pub quantity: i64, … }` (one row, ids interned), and on `Lines`:
//! - `len`: the length of the column named after `len`, the column loops over the rows index
//!   most, so that the compiler can drop its bounds checks there; measured: `len` of the orders'
//!   first column instead of `time` cost `report::analyze` 0.6 % more instructions;
//! - `is_empty`, `reserve_exact`, `push(Line)`, `row(i) -> Line`, `retain_rows(keep)`;
//! - `append_mapped(other, map)`: `other`'s rows after these, each id column re-pointed by
//!   `map(space, id)` (merging a part: `Dataset::append_part`); `Line::map_ids(map)` does the same
//!   to one row (copying a filtered dataset: `analysis::filter`);
//! - the part codec's `write_columns` / `read_columns` (columns in declaration order, each as
//!   [`PartCell`](super::cells::PartCell) lays it out), `lengths_agree` and `ids_below(bound)`
//!   (every id column's ids below `bound(space)`), which decoding checks, and `LAYOUT` (the
//!   declaration as text: columns and types).
//!
//! A column's type must be `Copy` and a [`PartCell`](super::cells::PartCell); an id column's
//! (`=> Space`, an [`IdSpace`](super::IdSpace) variant) also an [`IdCell`](super::IdCell).
//! Fields that are not one value per row (a sparse column) go after the columns, in `extra { … }`:
//! the table carries them and the generated code leaves them alone.
//!
//! Adding a column changes the part format; the codec sees it in the tables' `LAYOUT`s, whose
//! fingerprint every part carries, and refuses a part of tables declared otherwise.

macro_rules! table {
    (
        $(#[$meta:meta])*
        pub struct $table:ident, row $row:ident, len $len:ident {
            $(
                $(#[$col_meta:meta])*
                pub $col:ident : $ty:ty $(=> $space:ident)?,
            )+
        }
        $(
            extra {
                $(
                    $(#[$extra_meta:meta])*
                    pub $extra:ident : $extra_ty:ty,
                )*
            }
        )?
    ) => {
        $(#[$meta])*
        pub struct $table {
            $(
                $(#[$col_meta])*
                pub $col: Vec<$ty>,
            )+
            $($(
                $(#[$extra_meta])*
                pub $extra: $extra_ty,
            )*)?
        }

        #[doc = concat!("One row of [`", stringify!($table), "`]: a value per column, ids interned.")]
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $row {
            $(
                $(#[$col_meta])*
                pub $col: $ty,
            )+
        }

        #[allow(dead_code)]
        impl $table {
            /// The columns' names, in declaration (and part) order.
            pub const COLUMNS: &'static [&'static str] = &[$(stringify!($col)),+];
            /// The columns as declared, names and types: the part format's layout check.
            pub const LAYOUT: &'static str = concat!(
                stringify!($table), " { ", $(stringify!($col), ": ", stringify!($ty), ", ",)+ "}"
            );

            #[doc = concat!("Rows: the length of `", stringify!($len), "` (every column has it).")]
            #[inline]
            pub fn len(&self) -> usize {
                self.$len.len()
            }
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
            /// Room for `n` more rows in every column.
            pub fn reserve_exact(&mut self, n: usize) {
                $(self.$col.reserve_exact(n);)+
            }
            /// Append one row. Always inlined: the row is built by the caller field by field, and
            /// inlining turns building and pushing back into one push a column (measured: a call
            /// cost ~80 instructions per new order on ingest).
            #[inline(always)]
            pub fn push(&mut self, row: $row) {
                $(self.$col.push(row.$col);)+
            }
            /// Row `i`.
            #[inline]
            pub fn row(&self, i: usize) -> $row {
                $row { $($col: self.$col[i],)+ }
            }
            /// Keep the rows `i` whose `keep[i]` holds, in order (`keep` has a value per row).
            pub fn retain_rows(&mut self, keep: &[bool]) {
                $(
                    let mut i = 0;
                    self.$col.retain(|_| {
                        i += 1;
                        keep[i - 1]
                    });
                )+
            }
            /// Append `other`'s rows after these, every id `id` of a column pointing into
            /// `space` replaced by `map(space, id)`.
            pub fn append_mapped(&mut self, other: $table, mut map: impl FnMut($crate::model::IdSpace, u32) -> u32) {
                $( table!(@extend self.$col, other.$col, map $(, $space)?); )+
            }
            /// Every column has the table's length.
            pub(crate) fn lengths_agree(&self) -> bool {
                let n = self.len();
                true $(&& self.$col.len() == n)+
            }
            /// Every id of a column pointing into `space` is below `bound(space)`.
            pub(crate) fn ids_below(&self, bound: impl Fn($crate::model::IdSpace) -> usize) -> bool {
                true $(&& table!(@below self.$col, bound $(, $space)?))+
            }
            /// The columns in the part format (see `model::cells`), in declaration order.
            pub(crate) fn write_columns(&self, out: &mut Vec<u8>) {
                $($crate::model::cells::PartCell::write(&self.$col, out);)+
            }
            /// Back from [`Self::write_columns`]; `extra` fields start empty.
            pub(crate) fn read_columns(
                r: &mut $crate::model::cells::PartReader<'_>,
            ) -> Result<$table, &'static str> {
                Ok($table {
                    $($col: $crate::model::cells::PartCell::read(r)?,)+
                    $($($extra: Default::default(),)*)?
                })
            }
        }

        impl $row {
            /// The same row with the id `id` of every column pointing into `space` replaced by
            /// `map(space, id)`.
            #[inline]
            pub fn map_ids(mut self, mut map: impl FnMut($crate::model::IdSpace, u32) -> u32) -> $row {
                $( table!(@map self.$col, map $(, $space)?); )+
                self
            }
        }
    };
    (@extend $to:expr, $from:expr, $map:ident) => {
        $to.extend($from)
    };
    (@extend $to:expr, $from:expr, $map:ident, $space:ident) => {
        $to.extend($from.into_iter().map(|v| {
            $crate::model::IdCell::map_id(v, |id| $map($crate::model::IdSpace::$space, id))
        }))
    };
    (@below $column:expr, $bound:ident) => {
        true
    };
    (@below $column:expr, $bound:ident, $space:ident) => {{
        let n = $bound($crate::model::IdSpace::$space);
        $column
            .iter()
            .all(|&v| $crate::model::IdCell::id(v).map_or(true, |id| (id as usize) < n))
    }};
    (@map $cell:expr, $map:ident) => {};
    (@map $cell:expr, $map:ident, $space:ident) => {
        $cell = $crate::model::IdCell::map_id($cell, |id| $map($crate::model::IdSpace::$space, id))
    };
}

#[cfg(test)]
mod tests;
