//! mailwire: sans-IO mail protocols for Rust.
//!
//! This umbrella crate re-exports the mailwire crates, one cargo feature per
//! protocol:
//!
//! | feature | crate | what |
//! |---|---|---|
//! | (always) | [`core`] | line framing, dot-stuffing, the sans-IO machine contract |
//! | `message` | `mailwire-message` | RFC 5322 / MIME messages |
//! | `sasl` | `mailwire-sasl` | SASL mechanisms |
//! | `smtp` | `mailwire-smtp` | SMTP, ESMTP and LMTP |
//! | `pop3` | `mailwire-pop3` | POP3 |
//! | `imap` | `mailwire-imap` | IMAP |
//! | `tokio` | `mailwire-tokio` | the tokio driver |
//! | `sieve` | `mailwire-sieve` | Sieve mail filtering |
//! | `junk` | `mailwire-junk` | Bayesian junk classifier |
//!
//! # Example
//!
//! ```
//! use mailwire::core::dot::DotEncoder;
//! assert_eq!(DotEncoder::encode_all(b".hi"), b"..hi\r\n.\r\n");
//! ```
#![forbid(unsafe_code)]

pub use mailwire_core as core;
#[cfg(feature = "imap")]
pub use mailwire_imap as imap;
#[cfg(feature = "junk")]
pub use mailwire_junk as junk;
#[cfg(feature = "maildir")]
pub use mailwire_maildir as maildir;
#[cfg(feature = "message")]
pub use mailwire_message as message;
#[cfg(feature = "pop3")]
pub use mailwire_pop3 as pop3;
#[cfg(feature = "sasl")]
pub use mailwire_sasl as sasl;
#[cfg(feature = "sieve")]
pub use mailwire_sieve as sieve;
#[cfg(feature = "smtp")]
pub use mailwire_smtp as smtp;
#[cfg(feature = "tokio")]
pub use mailwire_tokio as tokio;
