//! [`OptId`]: an optional interned id in 4 bytes, for columns with a row per event.

use super::packed_option::packed_option;

packed_option! {
    /// An interned id (`Interner` output) or none, in 4 bytes where `Option<u32>` takes 8.
    ///
    /// `u32::MAX` stands for "none". Interners never hand out that id: an interner with 2³²−1
    /// names would hold at least 16 GiB of name offsets alone, far past wasm32's 4 GiB memory
    /// (and past any export this engine reads natively). [`OptId::from`] checks that in debug
    /// builds and tests; a release build would read such an id as none rather than panic.
    OptId(u32), none = u32::MAX
}

impl From<Option<u32>> for OptId {
    #[inline]
    fn from(id: Option<u32>) -> Self {
        match id {
            Some(id) => {
                debug_assert!(id != u32::MAX, "interned id u32::MAX is reserved for none");
                OptId(id)
            }
            None => OptId::NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OptId;
    use proptest::prelude::*;

    #[test]
    fn none_and_zero_are_distinct() {
        assert_eq!(OptId::from(None).get(), None);
        assert_eq!(OptId::from(Some(0)).get(), Some(0));
        assert_ne!(OptId::from(Some(0)), OptId::NONE);
        assert_eq!(OptId::default(), OptId::NONE);
        assert!(OptId::NONE.is_none());
        assert_eq!(format!("{:?}", OptId::from(Some(7))), "Some(7)");
        assert_eq!(format!("{:?}", OptId::NONE), "None");
    }

    #[test]
    fn takes_four_bytes() {
        assert_eq!(std::mem::size_of::<OptId>(), 4);
        assert_eq!(
            std::mem::size_of::<Vec<OptId>>(),
            std::mem::size_of::<Vec<u32>>()
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "reserved for none")]
    fn the_reserved_id_is_caught_in_debug_builds() {
        let _ = OptId::from(Some(u32::MAX));
    }

    proptest! {
        #[test]
        fn round_trips_every_id_below_the_reserved_one(id in proptest::option::of(0..u32::MAX)) {
            let packed = OptId::from(id);
            prop_assert_eq!(packed.get(), id);
            prop_assert_eq!(Option::<u32>::from(packed), id);
            prop_assert_eq!(OptId::from_raw(packed.to_raw()), packed);
        }
    }
}
