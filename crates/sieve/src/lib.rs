//! Sieve mail filtering ([RFC 5228]): a parser whose errors carry line and
//! column, a compiled [`Script`], and a sans-IO [`Interpreter`] that runs
//! it against a parsed [`mailwire_message::Message`] and its [`Envelope`]
//! and returns the [`Action`]s to take.
//!
//! Extensions: fileinto, envelope, encoded-character (RFC 5228),
//! imap4flags (RFC 5232), subaddress (RFC 5233), relational and
//! comparator-i;ascii-numeric (RFC 5231), body (RFC 5173), variables
//! (RFC 5229), vacation (RFC 5230, with vacation-seconds from RFC 6131),
//! reject and ereject (RFC 5429), copy (RFC 3894), date and index
//! (RFC 5260), mailbox (RFC 5490) and duplicate (RFC 7352).
//!
//! The interpreter does no I/O: mailbox existence, duplicate and vacation
//! tracking and the clock come from a [`Context`] the caller implements.
//! Scripts cannot loop; their size, nesting, actions, redirects, variable
//! sizes and total work are bounded by [`Limits`].
//!
//! ```
//! use mailwire_sieve::{Action, Envelope, Interpreter, MemoryContext, Script};
//!
//! let script = Script::compile(br#"require ["fileinto", "variables", "imap4flags"];
//! if header :matches "List-Id" "*<*.example.org>" {
//!     addflag "$List";
//!     fileinto "lists.${2}";
//! }"#).unwrap();
//! let message = mailwire_message::parse(
//!     b"List-Id: Rust users <rust-users.example.org>\r\nSubject: hi\r\n\r\nbody\r\n",
//! );
//! let envelope = Envelope::new("sender@example.net", "alice@example.org");
//! let outcome = Interpreter::new(&script).run(&message, &envelope, &mut MemoryContext::default());
//! assert_eq!(outcome.actions, [Action::FileInto {
//!     mailbox: "lists.rust-users".into(),
//!     flags: vec!["$List".into()],
//!     create: false,
//! }]);
//! ```
//!
//! [RFC 5228]: https://www.rfc-editor.org/rfc/rfc5228
#![forbid(unsafe_code)]

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod compile;
mod error;
mod ext;
mod limits;
pub mod parse;
mod run;
mod types;

pub use compile::Script;
pub use error::{Position, RuntimeError, ScriptError, ScriptErrorKind};
pub use ext::vacation::VacationResponse;
pub use ext::{Extension, Extensions};
pub use limits::Limits;
pub use run::action::Action;
pub use run::{Config, Context, DuplicateRecord, Envelope, Interpreter, MemoryContext, Outcome};
