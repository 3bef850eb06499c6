//! SASL mechanisms (RFC 4422) as sans-IO client and server step machines, shared by SMTP AUTH, POP3 AUTH and IMAP AUTHENTICATE.
//!
//! This crate is in development; it builds on `mailwire-core`, whose
//! contract it will implement.
#![forbid(unsafe_code)]
