//! Transcripts: the examples of RFC 1939 §10, RFC 2449 and RFC 5034 through
//! the codec and through client and server machines talking to each other
//! on virtual time, plus client-side tests against scripted servers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod client;
mod pair;
mod rfc;
