//! Capabilities listed in answer to `CAPA` ([RFC 2449 §6], [RFC 2595 §4],
//! [RFC 5034 §5], [RFC 6856 §2–§3]).
//!
//! ```abnf
//! capability   =  capa-tag *(SP param) CRLF   ; 512 octets maximum
//! capa-tag     =  1*cchar
//! cchar        =  %x21-2D / %x2F-7F           ; printable ASCII, excluding "."
//! ```
//!
//! [RFC 2449 §6]: https://www.rfc-editor.org/rfc/rfc2449#section-6
//! [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
//! [RFC 5034 §5]: https://www.rfc-editor.org/rfc/rfc5034#section-5
//! [RFC 6856 §2–§3]: https://www.rfc-editor.org/rfc/rfc6856#section-2
//!
//! ```
//! use mailwire_pop3::Capability;
//! use mailwire_pop3::parse::parse_capability;
//!
//! let cap = parse_capability(b"EXPIRE 60 USER").unwrap();
//! assert_eq!(cap, Capability::Expire { days: Some(60), per_user: true });
//! assert_eq!(cap.to_string(), "EXPIRE 60 USER");
//! ```

use std::fmt;

use mailwire_sasl::Mechanism;

use super::command::Argument;
use super::response::Text;

/// One capability line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `TOP` ([RFC 2449 §6.1]).
    ///
    /// [RFC 2449 §6.1]: https://www.rfc-editor.org/rfc/rfc2449#section-6.1
    Top,
    /// `USER`: `USER`/`PASS` are accepted ([RFC 2449 §6.2]).
    ///
    /// [RFC 2449 §6.2]: https://www.rfc-editor.org/rfc/rfc2449#section-6.2
    User,
    /// `SASL mech...` ([RFC 2449 §6.3], [RFC 5034 §5]).
    ///
    /// [RFC 2449 §6.3]: https://www.rfc-editor.org/rfc/rfc2449#section-6.3
    /// [RFC 5034 §5]: https://www.rfc-editor.org/rfc/rfc5034#section-5
    Sasl(Vec<Mechanism>),
    /// `RESP-CODES` ([RFC 2449 §6.4]).
    ///
    /// [RFC 2449 §6.4]: https://www.rfc-editor.org/rfc/rfc2449#section-6.4
    RespCodes,
    /// `LOGIN-DELAY n [USER]` ([RFC 2449 §6.5]).
    ///
    /// [RFC 2449 §6.5]: https://www.rfc-editor.org/rfc/rfc2449#section-6.5
    LoginDelay {
        /// Seconds between logins.
        seconds: u32,
        /// `USER`: the value may differ per user (announced before login).
        per_user: bool,
    },
    /// `PIPELINING` ([RFC 2449 §6.6]).
    ///
    /// [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
    Pipelining,
    /// `EXPIRE days|NEVER [USER]` ([RFC 2449 §6.7]).
    ///
    /// [RFC 2449 §6.7]: https://www.rfc-editor.org/rfc/rfc2449#section-6.7
    Expire {
        /// Days messages are kept; `None` for `NEVER`.
        days: Option<u32>,
        /// `USER`: the value may differ per user.
        per_user: bool,
    },
    /// `UIDL` ([RFC 2449 §6.8]).
    ///
    /// [RFC 2449 §6.8]: https://www.rfc-editor.org/rfc/rfc2449#section-6.8
    Uidl,
    /// `IMPLEMENTATION text` ([RFC 2449 §6.9]).
    ///
    /// [RFC 2449 §6.9]: https://www.rfc-editor.org/rfc/rfc2449#section-6.9
    Implementation(Text),
    /// `STLS` ([RFC 2595 §4]).
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    Stls,
    /// `AUTH-RESP-CODE` ([RFC 3206 §6]).
    ///
    /// [RFC 3206 §6]: https://www.rfc-editor.org/rfc/rfc3206#section-6
    AuthRespCode,
    /// `UTF8 [USER]` ([RFC 6856 §2]).
    ///
    /// [RFC 6856 §2]: https://www.rfc-editor.org/rfc/rfc6856#section-2
    Utf8 {
        /// `USER`: UTF-8 user names and passwords are accepted.
        user: bool,
    },
    /// `LANG` ([RFC 6856 §3]).
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    Lang,
    /// Any other capability, kept as sent (tag upper-cased).
    Other {
        /// The tag.
        tag: Argument,
        /// Its parameters.
        params: Vec<Argument>,
    },
}

impl Capability {
    /// The tag, upper-case.
    ///
    /// ```
    /// use mailwire_pop3::Capability;
    /// assert_eq!(Capability::RespCodes.tag(), "RESP-CODES");
    /// ```
    pub fn tag(&self) -> &str {
        match self {
            Capability::Top => "TOP",
            Capability::User => "USER",
            Capability::Sasl(_) => "SASL",
            Capability::RespCodes => "RESP-CODES",
            Capability::LoginDelay { .. } => "LOGIN-DELAY",
            Capability::Pipelining => "PIPELINING",
            Capability::Expire { .. } => "EXPIRE",
            Capability::Uidl => "UIDL",
            Capability::Implementation(_) => "IMPLEMENTATION",
            Capability::Stls => "STLS",
            Capability::AuthRespCode => "AUTH-RESP-CODE",
            Capability::Utf8 { .. } => "UTF8",
            Capability::Lang => "LANG",
            Capability::Other { tag, .. } => tag.as_str(),
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())?;
        match self {
            Capability::Sasl(mechanisms) => {
                for m in mechanisms {
                    write!(f, " {}", m.as_str())?;
                }
            }
            Capability::LoginDelay { seconds, per_user } => {
                write!(f, " {seconds}")?;
                if *per_user {
                    f.write_str(" USER")?;
                }
            }
            Capability::Expire { days, per_user } => {
                match days {
                    Some(d) => write!(f, " {d}")?,
                    None => f.write_str(" NEVER")?,
                }
                if *per_user {
                    f.write_str(" USER")?;
                }
            }
            Capability::Implementation(text) if !text.is_empty() => write!(f, " {text}")?,
            Capability::Utf8 { user: true } => f.write_str(" USER")?,
            Capability::Other { params, .. } => {
                for p in params {
                    write!(f, " {p}")?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The capabilities a server announced, in order.
///
/// ```
/// use mailwire_pop3::{Capabilities, Capability};
/// use mailwire_sasl::Mechanism;
///
/// let caps = Capabilities::from(vec![Capability::Pipelining, Capability::Sasl(vec![Mechanism::PLAIN])]);
/// assert!(caps.has_pipelining());
/// assert_eq!(caps.sasl_mechanisms(), [Mechanism::PLAIN]);
/// assert!(!caps.has_stls());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(pub Vec<Capability>);

impl Capabilities {
    /// Adds one.
    pub fn push(&mut self, capability: Capability) {
        self.0.push(capability);
    }

    /// Iterates over them.
    pub fn iter(&self) -> std::slice::Iter<'_, Capability> {
        self.0.iter()
    }

    /// `true` if `tag` is announced (case-insensitive).
    ///
    /// ```
    /// use mailwire_pop3::{Capabilities, Capability};
    /// assert!(Capabilities::from(vec![Capability::Top]).contains("top"));
    /// ```
    pub fn contains(&self, tag: &str) -> bool {
        self.0.iter().any(|c| c.tag().eq_ignore_ascii_case(tag))
    }

    /// `PIPELINING` is announced.
    pub fn has_pipelining(&self) -> bool {
        self.0.contains(&Capability::Pipelining)
    }

    /// `STLS` is announced.
    pub fn has_stls(&self) -> bool {
        self.0.contains(&Capability::Stls)
    }

    /// The mechanisms of every `SASL` line.
    pub fn sasl_mechanisms(&self) -> Vec<Mechanism> {
        self.0
            .iter()
            .filter_map(|c| match c {
                Capability::Sasl(m) => Some(m.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

impl From<Vec<Capability>> for Capabilities {
    fn from(v: Vec<Capability>) -> Self {
        Capabilities(v)
    }
}

impl<'a> IntoIterator for &'a Capabilities {
    type Item = &'a Capability;
    type IntoIter = std::slice::Iter<'a, Capability>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
