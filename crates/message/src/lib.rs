//! RFC 5322 / MIME messages: a lossless, streaming parser with defects,
//! addresses, dates and charsets.
//!
//! - **Lossless, zero-copy tree.** [`parse`] returns a [`Message`] that
//!   borrows from the input: header fields with their raw folded values,
//!   MIME parts with body ranges, delimiter lines, preambles and epilogues,
//!   nested `message/rfc822` messages. [`Message::to_bytes`] gives back the
//!   input byte for byte, malformed input included. Offsets are `u64`.
//!   [`Message::into_owned`] detaches it from the input. [`parse_header`]
//!   reads only the top-level header section.
//! - **Streaming, sans-IO.** [`stream::StreamParser`] takes chunks of any
//!   size and emits events (header field, part start with its content
//!   type, body chunk raw or transfer-decoded, part end, defect, end) in
//!   memory bounded by the header [`limits`], never by body size. It runs
//!   the same machine as [`parse`], so both agree on every input.
//! - **Defects, never failure.** Malformed input gives a result plus
//!   typed [`defect::Defect`]s with byte offsets, as Python's `email`
//!   package does. [`limits::Limits`] bound depth, parts and header sizes.
//! - **Decoding.** Base64 and quoted-printable ([`transfer`]), charsets
//!   ([`charset`], every WHATWG label plus UTF-7), RFC 2047 encoded words
//!   ([`encoded_word`]), RFC 2231 parameters ([`parameter`]), RFC 6532
//!   UTF-8 headers.
//! - **Typed headers.** Addresses with groups, quoted local parts and IPv6
//!   literals in strict and lenient modes ([`address`], reusable for SMTP
//!   paths), dates ([`datetime`]), message identifiers ([`msgid`]) and the
//!   MIME fields ([`mime`]).
//!
//! Modules follow RFC 5322 (fields, addresses, dates, identifiers) and RFCs
//! 2045–2049 (MIME).
//!
//! # Example
//!
//! ```
//! use mailwire_message::parse;
//!
//! let input = b"From: =?utf-8?q?Andr=C3=A9?= <andre@example.org>\r\n\
//! Subject: Report\r\n\
//! Content-Type: multipart/mixed; boundary=\"=_b\"\r\n\
//! \r\n\
//! --=_b\r\n\
//! Content-Type: text/plain; charset=utf-8\r\n\
//! \r\n\
//! Voil\xc3\xa0.\r\n\
//! --=_b\r\n\
//! Content-Type: application/pdf; name=r.pdf\r\n\
//! Content-Transfer-Encoding: base64\r\n\
//! \r\n\
//! JVBERi0=\r\n\
//! --=_b--\r\n";
//!
//! let message = parse(input);
//! let header = message.header();
//! let from = header.from().unwrap();
//! let author = from.mailboxes().next().unwrap();
//! assert_eq!(author.name(), Some("André"));
//! assert_eq!(author.raw_address(), "andre@example.org");
//!
//! let leaves: Vec<_> = message.root().leaves().collect();
//! assert_eq!(leaves[0].text().0, "Voilà.");
//! assert_eq!(leaves[1].decoded_body().0.as_ref(), b"%PDF-");
//! assert_eq!(message.to_bytes(), input);
//! assert!(message.defects().is_empty());
//! ```
#![forbid(unsafe_code)]

pub mod address;
pub mod builder;
pub mod charset;
pub mod contacts;
pub mod datetime;
pub mod defect;
pub mod dsn;
pub mod edit;
pub mod encoded_word;
mod engine;
pub mod header;
mod lexical;
pub mod limits;
pub mod mbox;
pub mod mime;
pub mod msgid;
pub mod parameter;
pub mod stream;
pub mod thread;
pub mod transfer;
mod tree;

pub use engine::{BodyKind, InvalidLineKind};

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use tree::{Body, HeaderSection, Message, Multipart, Part, parse, parse_header, parse_with};
