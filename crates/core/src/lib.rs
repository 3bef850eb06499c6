//! What every mailwire protocol crate shares.
//!
//! mailwire implements mail protocols as **sans-IO** state machines: bytes and
//! time go in, bytes to send and events come out, and only the
//! `mailwire-tokio` adapter touches sockets and clocks. This crate holds the
//! pieces every protocol needs:
//!
//! - [`line`](mod@line): an incremental CRLF line framer with a length limit and a
//!   policy for bare CR and LF, linear-time however the input is split;
//! - [`dot`]: the streaming dot-stuffing decoder and encoder used by SMTP
//!   `DATA` and POP3 multi-line responses, immune to SMTP smuggling;
//! - [`machine`]: the sans-IO contract ([`Machine`](machine::Machine)) that
//!   every client and server machine implements and the adapter drives,
//!   including the TLS boundary, and the kit machines are built from
//!   ([`Outbox`](machine::Outbox), [`EventQueue`](machine::EventQueue),
//!   [`Sticky`](machine::Sticky), [`Timer`](machine::Timer),
//!   [`ErrorCounter`](machine::ErrorCounter), [`Question`](machine::Question));
//! - [`parse`]: the byte [`Cursor`](parse::Cursor) and the
//!   [`Status`](parse::Status) of a parser that may need more input;
//! - [`counted`]: a reader for payloads announced by their length (`BDAT`,
//!   IMAP literals);
//! - [`crlf`]: the CRLF normaliser the dot encoder builds on;
//! - `testing` (feature `testing`): a virtual-time client/server `Pair`;
//! - [`Secret`]: credentials with redacted `Debug`;
//! - [`error`]: errors sorted by fault, with byte offsets.
//!
//! # Example
//!
//! Frame commands, then receive a dot-stuffed body that follows them in the
//! same chunk:
//!
//! ```
//! use mailwire_core::dot::DotDecoder;
//! use mailwire_core::line::{LineConfig, LineFramer};
//!
//! let mut framer = LineFramer::new(LineConfig::default());
//! framer.push(b"DATA\r\nHello\r\n..world\r\n.\r\nQUIT\r\n");
//! assert_eq!(framer.next_line().unwrap().unwrap().bytes(), b"DATA");
//!
//! let mut decoder = DotDecoder::with_offset(Default::default(), framer.stream_offset()
//!     - framer.buffered().len() as u64);
//! let mut body = Vec::new();
//! let decoded = decoder.decode(framer.buffered(), &mut body);
//! assert!(decoded.done);
//! framer.consume(decoded.consumed);
//! assert_eq!(body, b"Hello\r\n.world\r\n");
//! assert_eq!(framer.next_line().unwrap().unwrap().bytes(), b"QUIT");
//! ```
#![forbid(unsafe_code)]

pub mod counted;
pub mod crlf;
pub mod dot;
pub mod error;
pub mod line;
pub mod machine;
pub mod parse;
mod secret;
#[cfg(feature = "testing")]
pub mod testing;
pub mod utf7;

pub use error::Error;
pub use secret::Secret;
