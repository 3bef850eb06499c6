//! Commands ([RFC 1939 §4–§7], [RFC 2449 §5], [RFC 2595 §4], [RFC 5034 §4],
//! [RFC 6856 §2–§3]).
//!
//! ```abnf
//! command      =  keyword *(SP param) CRLF    ; 255 octets maximum (RFC 2449 §4)
//! keyword      =  3*4VCHAR                    ; case-insensitive
//! param        =  1*VCHAR                     ; 40 octets maximum (RFC 2449 §4)
//! ```
//!
//! [RFC 1939 §4–§7]: https://www.rfc-editor.org/rfc/rfc1939#section-4
//! [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
//! [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
//! [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
//! [RFC 6856 §2–§3]: https://www.rfc-editor.org/rfc/rfc6856#section-2
//!
//! ```
//! use mailwire_pop3::Command;
//! use mailwire_pop3::parse::parse_command_line;
//!
//! let top = parse_command_line(b"top 1 10").unwrap();
//! assert_eq!(top, Command::Top { message: 1, lines: 10 });
//! assert!(top.is_multiline());
//! assert_eq!(top.to_bytes(), b"TOP 1 10\r\n");
//! ```

use std::borrow::Cow;
use std::fmt;

use mailwire_core::Secret;
use mailwire_sasl::Mechanism;

use super::{InvalidValue, invalid};

/// A command parameter: one or more visible characters, no space ([RFC 2449
/// §3] `param = 1*VCHAR`). Non-ASCII UTF-8 is accepted for user names under
/// `UTF8` ([RFC 6856 §2.2]).
///
/// [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3
/// [RFC 6856 §2.2]: https://www.rfc-editor.org/rfc/rfc6856#section-2.2
///
/// ```
/// use mailwire_pop3::types::command::Argument;
/// assert!(Argument::new("mrose").is_ok());
/// assert!(Argument::new("").is_err());
/// assert!(Argument::new("a\tb").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Argument(Cow<'static, str>);

impl Argument {
    /// Validates `param`.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if it is empty or holds a space or a control
    /// character.
    pub fn new(param: impl Into<String>) -> Result<Self, InvalidValue> {
        let param = param.into();
        check_argument(param.as_bytes())?;
        Ok(Argument(Cow::Owned(param)))
    }

    /// A parameter known at compile time to be valid.
    pub(crate) const fn from_static(param: &'static str) -> Self {
        Argument(Cow::Borrowed(param))
    }

    /// The parameter.
    ///
    /// ```
    /// use mailwire_pop3::types::command::Argument;
    /// assert_eq!(Argument::new("en").unwrap().as_str(), "en");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Argument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) fn check_argument(bytes: &[u8]) -> Result<(), InvalidValue> {
    if bytes.is_empty() {
        return Err(invalid("param", "empty"));
    }
    if bytes.iter().any(|&b| b <= 0x20 || b == 0x7F) {
        return Err(invalid("param", "contains a space or a control character"));
    }
    Ok(())
}

/// The `PASS` argument: the rest of the line, spaces included ([RFC 1939
/// §7]: "a POP3 server may treat spaces in the argument as part of the
/// password"). Never shown by `Debug`.
///
/// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#page-14
///
/// ```
/// use mailwire_pop3::types::command::Password;
/// let p = Password::new("correct horse").unwrap();
/// assert_eq!(p.expose_secret(), "correct horse");
/// assert_eq!(format!("{p:?}"), "Password(Secret([REDACTED]))");
/// assert!(Password::new("a\r\nDELE 1").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Password(Secret<String>);

impl Password {
    /// Validates `password`.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if it is empty or holds CR, LF or NUL.
    pub fn new(password: impl Into<String>) -> Result<Self, InvalidValue> {
        let password = password.into();
        if password.is_empty() {
            return Err(invalid("password", "empty"));
        }
        if password.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(invalid("password", "contains CR, LF or NUL"));
        }
        Ok(Password(Secret::new(password)))
    }

    /// The password.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

/// The `APOP` digest: MD5 of the greeting timestamp followed by the shared
/// secret, as 32 lower-case hex digits ([RFC 1939 §7]).
///
/// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#page-15
///
/// ```
/// use mailwire_pop3::types::command::ApopDigest;
///
/// // The example of RFC 1939 §7.
/// let digest = ApopDigest::compute("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
/// assert_eq!(digest.as_str(), "c4c9334bac560ecc979e58001b3e22fb");
/// assert_eq!(ApopDigest::new("C4C9334BAC560ECC979E58001B3E22FB").unwrap(), digest);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApopDigest(String);

impl ApopDigest {
    /// Validates a digest given as 32 hex digits, of either case.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if it is not 32 hex digits.
    pub fn new(hex: impl Into<String>) -> Result<Self, InvalidValue> {
        let mut hex = hex.into();
        if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid("digest", "not 32 hex digits"));
        }
        hex.make_ascii_lowercase();
        Ok(ApopDigest(hex))
    }

    /// `MD5(timestamp ‖ secret)` in hex.
    pub fn compute(timestamp: &str, secret: &str) -> Self {
        use md5::{Digest, Md5};
        let mut hasher = Md5::new();
        hasher.update(timestamp.as_bytes());
        hasher.update(secret.as_bytes());
        let hash = hasher.finalize();
        let mut hex = String::with_capacity(32);
        for b in hash {
            hex.push(char::from(
                HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
            ));
            hex.push(char::from(
                HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
            ));
        }
        ApopDigest(hex)
    }

    /// Compares with the digest expected for `timestamp` and `secret`, in
    /// time that does not depend on where they differ.
    ///
    /// ```
    /// use mailwire_pop3::types::command::ApopDigest;
    /// let d = ApopDigest::compute("<1.2@host>", "secret");
    /// assert!(d.verify("<1.2@host>", "secret"));
    /// assert!(!d.verify("<1.2@host>", "Secret"));
    /// ```
    pub fn verify(&self, timestamp: &str, secret: &str) -> bool {
        let expected = Self::compute(timestamp, secret);
        expected
            .0
            .bytes()
            .zip(self.0.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }

    /// The digest, lower-case hex.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A POP3 command.
///
/// Message numbers are 1-based; `0` parses (the server answers it with
/// `-ERR no such message`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `USER name` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    User {
        /// The mailbox name.
        name: Argument,
    },
    /// `PASS string` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    Pass {
        /// The password.
        password: Password,
    },
    /// `APOP name digest` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    Apop {
        /// The mailbox name.
        name: Argument,
        /// The digest.
        digest: ApopDigest,
    },
    /// `STAT` ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    Stat,
    /// `LIST [msg]` ([RFC 1939 §5]): multi-line without an argument.
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    List {
        /// The message to list, or all of them.
        message: Option<u32>,
    },
    /// `RETR msg` ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    Retr {
        /// The message.
        message: u32,
    },
    /// `DELE msg` ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    Dele {
        /// The message.
        message: u32,
    },
    /// `NOOP` ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    Noop,
    /// `RSET` ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    Rset,
    /// `QUIT` ([RFC 1939 §4], §6).
    ///
    /// [RFC 1939 §4]: https://www.rfc-editor.org/rfc/rfc1939#section-4
    Quit,
    /// `TOP msg n` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    Top {
        /// The message.
        message: u32,
        /// Body lines to send after the header.
        lines: u32,
    },
    /// `UIDL [msg]` ([RFC 1939 §7]): multi-line without an argument.
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    Uidl {
        /// The message, or all of them.
        message: Option<u32>,
    },
    /// `CAPA` ([RFC 2449 §5]).
    ///
    /// [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
    Capa,
    /// `STLS` ([RFC 2595 §4]).
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    Stls,
    /// `AUTH mechanism [initial-response]` ([RFC 5034 §4]).
    ///
    /// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism,
        /// The initial response, decoded (`=` is an empty one).
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// `UTF8` ([RFC 6856 §2.1]).
    ///
    /// [RFC 6856 §2.1]: https://www.rfc-editor.org/rfc/rfc6856#section-2.1
    Utf8,
    /// `LANG [lang-range]` ([RFC 6856 §3]): multi-line without an argument.
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    Lang {
        /// The language range (`*` for the server's choice), or none to
        /// list the languages.
        range: Option<Argument>,
    },
}

impl Command {
    /// The command keyword, upper-case.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Command::Stls.keyword(), "STLS");
    /// ```
    pub const fn keyword(&self) -> &'static str {
        match self {
            Command::User { .. } => "USER",
            Command::Pass { .. } => "PASS",
            Command::Apop { .. } => "APOP",
            Command::Stat => "STAT",
            Command::List { .. } => "LIST",
            Command::Retr { .. } => "RETR",
            Command::Dele { .. } => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Quit => "QUIT",
            Command::Top { .. } => "TOP",
            Command::Uidl { .. } => "UIDL",
            Command::Capa => "CAPA",
            Command::Stls => "STLS",
            Command::Auth { .. } => "AUTH",
            Command::Utf8 => "UTF8",
            Command::Lang { .. } => "LANG",
        }
    }

    /// Whether a `+OK` to this command is followed by a multi-line body:
    /// it depends on the command and its arguments ([RFC 1939 §3]).
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    ///
    /// ```
    /// use mailwire_pop3::Command;
    /// assert!(Command::List { message: None }.is_multiline());
    /// assert!(!Command::List { message: Some(1) }.is_multiline());
    /// assert!(Command::Capa.is_multiline());
    /// ```
    pub const fn is_multiline(&self) -> bool {
        match self {
            Command::List { message } | Command::Uidl { message } => message.is_none(),
            Command::Lang { range } => range.is_none(),
            Command::Retr { .. } | Command::Top { .. } | Command::Capa => true,
            _ => false,
        }
    }

    /// `true` for commands that carry credentials (`PASS`, `APOP`, `AUTH`):
    /// their transmits are marked secret.
    ///
    /// ```
    /// use mailwire_pop3::Command;
    /// assert!(!Command::Noop.is_secret());
    /// ```
    pub const fn is_secret(&self) -> bool {
        matches!(
            self,
            Command::Pass { .. } | Command::Apop { .. } | Command::Auth { .. }
        )
    }
}
