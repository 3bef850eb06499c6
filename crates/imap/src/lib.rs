//! IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051): codec and sans-IO client and server machines.
//!
//! This crate is in development; it builds on `mailwire-core`, whose
//! contract it will implement.
#![forbid(unsafe_code)]
