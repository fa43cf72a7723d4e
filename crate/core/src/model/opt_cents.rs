//! [`OptCents`]: an optional amount in cents in 8 bytes, for the line items' money columns.

/// An amount in cents or none, in 8 bytes where `Option<i64>` takes 16.
///
/// `i64::MIN` stands for "none". No export gives that amount (−92 233 720 368 547 758.08 in any
/// currency); the money readers refuse what does not fit in an `i64` and saturate sums, so the one
/// way to meet it is an absurd product saturating downwards: [`OptCents::from`] keeps such an
/// amount as `i64::MIN + 1` (one cent apart) rather than read it as none, and says so in debug
/// builds and tests.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct OptCents(i64);

impl OptCents {
    /// No amount: the column is empty in this row.
    pub const NONE: OptCents = OptCents(i64::MIN);

    /// The amount, if present.
    #[inline]
    pub const fn get(self) -> Option<i64> {
        if self.0 == i64::MIN {
            None
        } else {
            Some(self.0)
        }
    }

    pub const fn is_none(self) -> bool {
        self.0 == i64::MIN
    }

    /// The 8 bytes as stored (`i64::MIN` for none), for the binary part format.
    pub const fn to_raw(self) -> i64 {
        self.0
    }

    /// Back from [`OptCents::to_raw`]. Every `i64` is a valid `OptCents`.
    pub const fn from_raw(raw: i64) -> OptCents {
        OptCents(raw)
    }
}

impl Default for OptCents {
    fn default() -> Self {
        OptCents::NONE
    }
}

impl From<Option<i64>> for OptCents {
    #[inline]
    fn from(cents: Option<i64>) -> Self {
        match cents {
            Some(c) => {
                debug_assert!(c != i64::MIN, "the amount i64::MIN is reserved for none");
                OptCents(c.max(i64::MIN + 1))
            }
            None => OptCents::NONE,
        }
    }
}

impl From<OptCents> for Option<i64> {
    #[inline]
    fn from(cents: OptCents) -> Self {
        cents.get()
    }
}

impl std::fmt::Debug for OptCents {
    /// Prints as the `Option<i64>` it stands for, so table dumps read as before.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::OptCents;
    use proptest::prelude::*;

    #[test]
    fn none_zero_and_negative_amounts_are_distinct() {
        assert_eq!(OptCents::from(None).get(), None);
        assert_eq!(OptCents::from(Some(0)).get(), Some(0));
        assert_eq!(OptCents::from(Some(-129_900)).get(), Some(-129_900));
        assert_eq!(OptCents::from(Some(i64::MAX)).get(), Some(i64::MAX));
        assert_ne!(OptCents::from(Some(0)), OptCents::NONE);
        assert_eq!(OptCents::default(), OptCents::NONE);
        assert_eq!(format!("{:?}", OptCents::from(Some(7))), "Some(7)");
        assert_eq!(format!("{:?}", OptCents::NONE), "None");
    }

    #[test]
    fn takes_eight_bytes() {
        assert_eq!(std::mem::size_of::<OptCents>(), 8);
        assert_eq!(std::mem::size_of::<Option<i64>>(), 16);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "reserved for none")]
    fn the_reserved_amount_is_caught_in_debug_builds() {
        let _ = OptCents::from(Some(i64::MIN));
    }

    proptest! {
        #[test]
        fn round_trips_every_amount_but_the_reserved_one(c in proptest::option::of((i64::MIN + 1)..=i64::MAX)) {
            let packed = OptCents::from(c);
            prop_assert_eq!(packed.get(), c);
            prop_assert_eq!(Option::<i64>::from(packed), c);
            prop_assert_eq!(OptCents::from_raw(packed.to_raw()), packed);
        }
    }
}
