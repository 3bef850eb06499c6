//! POP3 ([RFC 1939]) with its extensions: a codec and sans-IO client and
//! server machines.
//!
//! - [`types`], [`parse`], [`encode`]: every command and response of RFC
//!   1939 (`USER`, `PASS`, `APOP`, `STAT`, `LIST`, `RETR`, `DELE`, `NOOP`,
//!   `RSET`, `QUIT`, `TOP`, `UIDL`), `CAPA` and extended response codes
//!   ([RFC 2449], [RFC 3206]), `STLS` ([RFC 2595]), `AUTH` ([RFC 5034]),
//!   `UTF8` and `LANG` ([RFC 6856]). Types are valid by construction: no
//!   value can hold CR or LF.
//! - [`server::Server`]: AUTHORIZATION, TRANSACTION and UPDATE; the
//!   maildrop stays the application's, asked for through events; deletions
//!   happen only after `QUIT`.
//! - [`client::Client`]: a queue of expected responses, multi-line bodies
//!   streamed unstuffed in bounded memory, pipelining, `STLS`, `AUTH` with
//!   the strongest mechanism, `APOP`.
//!
//! Both machines implement [`mailwire_core::machine::Machine`]; SASL comes
//! from [`mailwire_sasl`].
//!
//! [RFC 1939]: https://www.rfc-editor.org/rfc/rfc1939
//! [RFC 2449]: https://www.rfc-editor.org/rfc/rfc2449
//! [RFC 2595]: https://www.rfc-editor.org/rfc/rfc2595
//! [RFC 3206]: https://www.rfc-editor.org/rfc/rfc3206
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
//! [RFC 6856]: https://www.rfc-editor.org/rfc/rfc6856
//!
//! # Example
//!
//! ```
//! use mailwire_pop3::parse::{parse_command_line, parse_response_line};
//! use mailwire_pop3::{Command, ResponseCode};
//!
//! let command = parse_command_line(b"TOP 1 10").unwrap();
//! assert_eq!(command, Command::Top { message: 1, lines: 10 });
//! assert!(command.is_multiline());
//!
//! let response = parse_response_line(b"-ERR [IN-USE] maildrop locked").unwrap();
//! assert_eq!(response.code, Some(ResponseCode::IN_USE));
//! assert_eq!(response.to_bytes(), b"-ERR [IN-USE] maildrop locked\r\n");
//! ```
#![forbid(unsafe_code)]

pub mod client;
pub mod encode;
mod error;
pub mod limits;
pub mod parse;
pub mod server;
pub mod types;

pub use error::{CoreError, Error};

/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use types::capability::{Capabilities, Capability};
pub use types::command::Command;
pub use types::response::{
    DropListing, Greeting, Language, Response, ScanListing, ServerLine, Status, Text, UniqueId,
    UniqueIdListing,
};
pub use types::response_code::ResponseCode;
