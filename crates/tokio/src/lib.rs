//! The tokio adapter of mailwire: the only crate that does I/O.
//!
//! - [`Driver`] runs any machine of the [`mailwire_core::machine`] contract
//!   over an `AsyncRead + AsyncWrite` stream: it feeds input, writes
//!   transmits, sleeps until `poll_timeout`, and hands events to the caller.
//!   It runs STARTTLS in place ([`TlsUpgrade`]), flushes the last reply
//!   before closing on a fatal error, and keeps no unbounded queue.
//! - [`MaybeTls`] is the stream it holds: plaintext, or TLS with rustls
//!   (implicit TLS with [`MaybeTls::accept`] and [`MaybeTls::connect`]).
//! - [`tls`] (feature `tls`) builds rustls configurations from PEM files
//!   or a self-signed certificate generated on the spot.
//! - [`smtp`] (feature `smtp`) has the SMTP, submission and LMTP front ends:
//!   a server with an accept loop and a [`Handler`](smtp::server::Handler)
//!   trait for its decisions, and a client that sends a message streamed
//!   from an `AsyncRead`.
//! - `pop3` (feature `pop3`) has the POP3 front ends: a server with an
//!   accept loop and a `Handler` trait for the maildrop, and a client that
//!   streams each message into an `AsyncWrite`.
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `smtp` | yes | SMTP/LMTP client and server front ends, SASL AUTH |
//! | `pop3` | no | POP3 client and server front ends, STLS, SASL AUTH |
//! | `tls` | yes | rustls with the *ring* provider, PEM files, rcgen |
//! | `mx` | no | MX resolution with hickory-resolver |
#![forbid(unsafe_code)]

#[cfg(any(feature = "smtp", feature = "pop3"))]
mod connect;
pub mod driver;
mod listener;
mod pump;
mod session;
mod stream;

#[cfg(feature = "tls")]
pub mod tls;

#[cfg(feature = "smtp")]
pub mod smtp;

#[cfg(feature = "pop3")]
pub mod pop3;

#[cfg(feature = "mx")]
pub mod mx;

#[cfg(feature = "tls")]
pub use driver::TlsUpgrade;
pub use driver::{Driver, Error};
pub use listener::ServerOptions;
pub use session::SessionEnd;
pub use stream::MaybeTls;
