//! The tokio driver: runs any mailwire machine over an `AsyncRead + AsyncWrite` stream.
//!
//! This crate is in development; it builds on `mailwire-core`, whose
//! contract it will implement.
#![forbid(unsafe_code)]
