//! SMTP (RFC 5321), ESMTP extensions and LMTP (RFC 2033): codec and sans-IO client and server machines.
//!
//! This crate is in development; it builds on `mailwire-core`, whose
//! contract it will implement.
#![forbid(unsafe_code)]
