//! Encoders: [`types`](crate::types) to wire bytes, each line with its CRLF.
//!
//! Every type is valid by construction, so encoding cannot fail and never
//! writes a CR or LF inside a line. Multi-line bodies are dot-stuffed by
//! [`DotEncoder`](mailwire_core::dot::DotEncoder).
//!
//! ```
//! use mailwire_pop3::encode::encode_multiline;
//! use mailwire_pop3::{Capability, Response};
//!
//! let mut out = Vec::new();
//! let lines = [Capability::Top, Capability::Uidl].map(|c| c.to_string());
//! encode_multiline(&Response::ok("Capability list follows").unwrap(), lines.iter(), &mut out);
//! assert_eq!(out, b"+OK Capability list follows\r\nTOP\r\nUIDL\r\n.\r\n");
//! ```

pub mod capability;
pub mod command;
pub mod response;
pub mod response_code;

pub use response::{encode_continuation, encode_multiline};
