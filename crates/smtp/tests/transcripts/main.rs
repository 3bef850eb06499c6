//! RFC transcripts (RFC 5321 Appendix D, RFC 2920 §3.1, RFC 2033 §4.2,
//! RFC 3030 §4), each run through the codec, through the server machine and
//! through client and server machines talking on virtual time, plus
//! client-side tests against scripted servers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::string_slice, clippy::collapsible_if, unreachable_pub)]

mod client;
mod pair;
mod rfc;
