//! The values of the protocol, valid by construction and zero-copy.
//!
//! Each file mirrors one in `parse/` and
//! [`encode`](crate::encode): `core.rs` holds the basic data formats of
//! RFC 9051 §4, the others one job or one extension each.

pub mod auth;
pub mod body_structure;
pub mod capability;
pub(crate) mod chars;
pub mod command;
mod command_static;
pub mod condstore;
pub mod core;
pub mod datetime;
pub mod envelope;
pub mod extension;
pub mod fetch;
pub mod fetch_response;
pub mod flag;
pub mod list;
pub mod mailbox;
pub mod mailbox_data;
pub mod metadata;
pub mod quota;
pub mod response;
pub mod response_code;
mod response_static;
pub mod search;
pub mod section;
pub mod sequence;
pub mod sort;
pub mod status;
pub mod vec1;
