//! POP3 values, valid by construction: no value can hold CR or LF, so
//! nothing built from user input can inject a command or a response line.
//!
//! One file per concern, mirrored by [`parse`](crate::parse) and
//! [`encode`](crate::encode): [`command`] ([RFC 1939 §4–§7], RFC 2449, RFC
//! 2595, RFC 5034, RFC 6856), [`response`] (status lines, greeting and the
//! multi-line listings), [`capability`] ([RFC 2449 §6]) and
//! [`response_code`] ([RFC 2449 §8]).
//!
//! [RFC 1939 §4–§7]: https://www.rfc-editor.org/rfc/rfc1939#section-4
//! [RFC 2449 §6]: https://www.rfc-editor.org/rfc/rfc2449#section-6
//! [RFC 2449 §8]: https://www.rfc-editor.org/rfc/rfc2449#section-8
//!
//! ```
//! use mailwire_pop3::types::command::{Argument, Command};
//!
//! assert!(Argument::new("mrose").is_ok());
//! assert!(Argument::new("two words").is_err());
//! let user = Command::User { name: Argument::new("mrose").unwrap() };
//! assert_eq!(user.to_bytes(), b"USER mrose\r\n");
//! ```

pub mod capability;
pub mod command;
pub mod response;
pub mod response_code;

/// Why a value could not be built: the rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("invalid {rule}: {reason}")]
pub struct InvalidValue {
    /// The ABNF rule or value kind, e.g. `"param"`.
    pub rule: &'static str,
    /// What is wrong, e.g. `"contains a space"`.
    pub reason: &'static str,
}

pub(crate) const fn invalid(rule: &'static str, reason: &'static str) -> InvalidValue {
    InvalidValue { rule, reason }
}
