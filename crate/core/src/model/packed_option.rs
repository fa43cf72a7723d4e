//! The shape [`super::OptId`] and [`super::OptI64`] share: an optional number packed into the
//! number's own width, one value reserved for "none" (an `Option` of it would take twice the
//! bytes). Each type's module says why its reserved value never occurs and how `From<Option<_>>`
//! treats it.

/// Declares `$name`, an optional `$t` with `$none` standing for "none": `NONE`, `get`, `is_none`,
/// `fill`, the raw form for the binary part format, `Default` (none), `Option<$t>` from it, and
/// `Debug` as the `Option` it stands for.
macro_rules! packed_option {
    ($(#[$meta:meta])* $name:ident($t:ty), none = $none:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(transparent)]
        pub struct $name($t);

        impl $name {
            /// No value: the column is empty in this row.
            pub const NONE: $name = $name($none);

            /// The value, if present.
            #[inline]
            pub const fn get(self) -> Option<$t> {
                if self.0 == $none {
                    None
                } else {
                    Some(self.0)
                }
            }

            pub const fn is_none(self) -> bool {
                self.0 == $none
            }

            /// Keeps the value, or takes `later`'s where there is none (a later row of the same
            /// order fills what the first left empty).
            #[inline]
            pub fn fill(&mut self, later: $name) {
                if self.is_none() {
                    *self = later;
                }
            }

            /// The bytes as stored (the reserved value for none), for the binary part format.
            pub const fn to_raw(self) -> $t {
                self.0
            }

            /// Back from `to_raw`. Every value of the type is a valid one of these.
            pub const fn from_raw(raw: $t) -> $name {
                $name(raw)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::NONE
            }
        }

        impl From<$name> for Option<$t> {
            #[inline]
            fn from(v: $name) -> Self {
                v.get()
            }
        }

        impl std::fmt::Debug for $name {
            /// Prints as the `Option` it stands for, so table dumps read as before.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.get().fmt(f)
            }
        }
    };
}

pub(crate) use packed_option;
