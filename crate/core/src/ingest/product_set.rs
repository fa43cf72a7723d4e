//! A set of product ids as a bitmap.

/// A set of product ids as a bitmap: 1M products in 128 KiB, so it stays in cache.
#[derive(Default)]
pub(crate) struct ProductSet(Vec<u64>);

impl ProductSet {
    /// Adds `product`; true when it was not in the set.
    pub fn insert(&mut self, product: u32) -> bool {
        let (word, bit) = (product as usize / 64, 1u64 << (product % 64));
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        let new = self.0[word] & bit == 0;
        self.0[word] |= bit;
        new
    }
}
