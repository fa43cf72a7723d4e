//! [`OptI64`]: an optional `i64` in 8 bytes, for the money columns of the line items (cents)
//! and the orders' times (seconds).

use super::packed_option::packed_option;

packed_option! {
    /// An amount in cents, a time in seconds, or none, in 8 bytes where `Option<i64>` takes 16.
    ///
    /// `i64::MIN` stands for "none". No export gives that amount (−92 233 720 368 547 758.08 in any
    /// currency) or time (292 billion years before 1970); the readers refuse what does not fit in an
    /// `i64` and saturate sums, so the one way to meet it is an absurd product saturating downwards:
    /// [`OptI64::from`] keeps such a value as `i64::MIN + 1` rather than read it as none, and says so
    /// in debug builds and tests.
    OptI64(i64), none = i64::MIN
}

impl From<Option<i64>> for OptI64 {
    #[inline]
    fn from(cents: Option<i64>) -> Self {
        match cents {
            Some(c) => {
                debug_assert!(c != i64::MIN, "the value i64::MIN is reserved for none");
                OptI64(c.max(i64::MIN + 1))
            }
            None => OptI64::NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OptI64;
    use proptest::prelude::*;

    #[test]
    fn none_zero_and_negative_amounts_are_distinct() {
        assert_eq!(OptI64::from(None).get(), None);
        assert_eq!(OptI64::from(Some(0)).get(), Some(0));
        assert_eq!(OptI64::from(Some(-129_900)).get(), Some(-129_900));
        assert_eq!(OptI64::from(Some(i64::MAX)).get(), Some(i64::MAX));
        assert_ne!(OptI64::from(Some(0)), OptI64::NONE);
        assert_eq!(OptI64::default(), OptI64::NONE);
        assert_eq!(format!("{:?}", OptI64::from(Some(7))), "Some(7)");
        assert_eq!(format!("{:?}", OptI64::NONE), "None");
    }

    #[test]
    fn takes_eight_bytes() {
        assert_eq!(std::mem::size_of::<OptI64>(), 8);
        assert_eq!(std::mem::size_of::<Option<i64>>(), 16);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "reserved for none")]
    fn the_reserved_amount_is_caught_in_debug_builds() {
        let _ = OptI64::from(Some(i64::MIN));
    }

    proptest! {
        #[test]
        fn round_trips_every_amount_but_the_reserved_one(c in proptest::option::of((i64::MIN + 1)..=i64::MAX)) {
            let packed = OptI64::from(c);
            prop_assert_eq!(packed.get(), c);
            prop_assert_eq!(Option::<i64>::from(packed), c);
            prop_assert_eq!(OptI64::from_raw(packed.to_raw()), packed);
        }
    }
}
