//! Rules of single extensions that do not belong to a type: one file per
//! extension RFC.

pub mod dsn;
pub mod pipelining;
