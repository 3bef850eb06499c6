//! POP3 (RFC 1939) with CAPA, STLS and SASL: codec and sans-IO client and server machines.
//!
//! This crate is in development; it builds on `mailwire-core`, whose
//! contract it will implement.
#![forbid(unsafe_code)]
