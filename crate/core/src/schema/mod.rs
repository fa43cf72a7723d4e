//! What columns mean: roles and their header synonyms ([`field`]), recognition of kind, platform and
//! column roles from a header ([`recognize`]), and parsing of cell values ([`value`]).

pub mod field;
pub mod place;
pub mod recognize;
pub mod value;
