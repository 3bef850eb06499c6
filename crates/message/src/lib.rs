//! RFC 5322 / MIME messages: a lossless, streaming parser with defects, addresses, dates and charsets.
//!
//! This crate is in development; it builds on `mailwire-core`, whose
//! contract it will implement.
#![forbid(unsafe_code)]
