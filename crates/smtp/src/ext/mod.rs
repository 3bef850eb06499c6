//! Rules of single extensions that do not belong to a type: one file per
//! extension RFC.

pub mod chunking;
pub mod dsn;
pub mod pipelining;
pub mod requiretls;
pub mod size;
