//! Input generators shared by the mailwire benches.
//!
//! The benches themselves live in `benches/benches/`; run them with
//! `cargo bench -p mailwire-benches`.
#![forbid(unsafe_code)]
