//! The EHLO reply and its capabilities ([RFC 5321 §4.1.1.1], the extension
//! RFCs for each keyword).
//!
//! [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
//!
//! ```
//! use mailwire_smtp::{Capabilities, Capability, EhloReply, Mechanism, Text};
//!
//! let mut capabilities = Capabilities::default();
//! capabilities.push(Capability::Size(Some(35_882_577)));
//! capabilities.push(Capability::Pipelining);
//! capabilities.push(Capability::Auth(vec![Mechanism::PLAIN, Mechanism::LOGIN]));
//! let ehlo = EhloReply {
//!     domain: Text::try_from("mx.example.org").unwrap(),
//!     greeting: None,
//!     capabilities,
//! };
//! assert_eq!(
//!     ehlo.to_reply().to_bytes(),
//!     b"250-mx.example.org\r\n250-SIZE 35882577\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n"
//! );
//! assert!(ehlo.capabilities.pipelining());
//! assert_eq!(ehlo.capabilities.max_size(), Some(35_882_577));
//! ```

use mailwire_core::error::Found;

use crate::Error;
use crate::types::auth::Mechanism;
use crate::types::text::Text;

/// One service extension announced in the EHLO reply.
///
/// ```abnf
/// ehlo-line    = ehlo-keyword *( SP ehlo-param )
/// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// ehlo-param   = 1*(%d33-126)
/// ```
///
/// ```
/// use mailwire_smtp::Capability;
/// assert_eq!(Capability::Size(None).keyword(), "SIZE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `SIZE [n]` (RFC 1870 §4): the fixed maximum message size, if any
    /// (`SIZE 0` means no fixed maximum).
    Size(Option<u64>),
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `CHUNKING` (RFC 3030): BDAT.
    Chunking,
    /// `BINARYMIME` (RFC 3030).
    BinaryMime,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `AUTH mech...` (RFC 4954 §3).
    Auth(Vec<Mechanism<'static>>),
    /// Any other extension, kept with its parameters.
    Other(Extension),
}

impl Capability {
    /// The keyword, upper-case for the known ones.
    pub fn keyword(&self) -> &str {
        match self {
            Capability::Size(_) => "SIZE",
            Capability::Pipelining => "PIPELINING",
            Capability::EightBitMime => "8BITMIME",
            Capability::SmtpUtf8 => "SMTPUTF8",
            Capability::Chunking => "CHUNKING",
            Capability::BinaryMime => "BINARYMIME",
            Capability::StartTls => "STARTTLS",
            Capability::Dsn => "DSN",
            Capability::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Capability::RequireTls => "REQUIRETLS",
            Capability::Auth(_) => "AUTH",
            Capability::Other(e) => e.keyword(),
        }
    }
}

/// An extension without a [`Capability`] variant of its own.
///
/// ```
/// use mailwire_smtp::types::capability::Extension;
/// let e = Extension::new("MT-PRIORITY", vec!["MIXER".into()]).unwrap();
/// assert_eq!(e.params(), ["MIXER"]);
/// assert!(Extension::new("X\r\nY", Vec::new()).is_err());
/// assert!(Extension::new("SIZE", Vec::new()).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Extension {
    keyword: String,
    params: Vec<String>,
}

const KNOWN: &[&str] = &[
    "SIZE",
    "PIPELINING",
    "8BITMIME",
    "SMTPUTF8",
    "CHUNKING",
    "BINARYMIME",
    "STARTTLS",
    "DSN",
    "ENHANCEDSTATUSCODES",
    "REQUIRETLS",
    "AUTH",
];

impl Extension {
    /// An extension; the keyword must be an `ehlo-keyword` without a variant
    /// of its own, each parameter an `ehlo-param`.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) otherwise.
    pub fn new(keyword: &str, params: Vec<String>) -> Result<Self, Error> {
        let bad = |expected| {
            Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected,
                found: Found::EndOfInput,
            })
        };
        let mut bytes = keyword.bytes();
        let valid = bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
            && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid || KNOWN.iter().any(|k| k.eq_ignore_ascii_case(keyword)) {
            return Err(bad("ehlo-keyword"));
        }
        if params
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| matches!(b, 33..=126)))
        {
            return Err(bad("ehlo-param"));
        }
        Ok(Self {
            keyword: keyword.to_owned(),
            params,
        })
    }

    pub(crate) const fn new_unchecked(keyword: String, params: Vec<String>) -> Self {
        Self { keyword, params }
    }

    /// The keyword, as announced.
    pub fn keyword(&self) -> &str {
        &self.keyword
    }

    /// The parameters.
    pub fn params(&self) -> &[String] {
        &self.params
    }
}

/// The set of extensions a server announced, in order.
///
/// ```
/// use mailwire_smtp::{Capabilities, Capability};
/// let mut c = Capabilities::default();
/// c.push(Capability::Chunking);
/// assert!(c.chunking() && !c.pipelining());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Capabilities {
    list: Vec<Capability>,
}

impl Capabilities {
    /// Adds a capability.
    pub fn push(&mut self, capability: Capability) {
        self.list.push(capability);
    }

    /// The capabilities, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Capability> {
        self.list.iter()
    }

    /// `true` if the keyword (any case) was announced.
    ///
    /// ```
    /// use mailwire_smtp::{Capabilities, Capability};
    /// let mut c = Capabilities::default();
    /// c.push(Capability::Dsn);
    /// assert!(c.has("dsn"));
    /// ```
    pub fn has(&self, keyword: &str) -> bool {
        self.list
            .iter()
            .any(|c| c.keyword().eq_ignore_ascii_case(keyword))
    }

    fn contains(&self, capability: &Capability) -> bool {
        self.list.contains(capability)
    }

    /// `SIZE` was announced: `Some(None)` without a fixed maximum.
    pub fn size(&self) -> Option<Option<u64>> {
        self.list.iter().find_map(|c| match c {
            Capability::Size(n) => Some(*n),
            _ => None,
        })
    }

    /// The fixed maximum message size, if one was announced (not 0).
    pub fn max_size(&self) -> Option<u64> {
        self.size().flatten().filter(|&n| n > 0)
    }

    /// `PIPELINING` (RFC 2920).
    pub fn pipelining(&self) -> bool {
        self.contains(&Capability::Pipelining)
    }

    /// `8BITMIME` (RFC 6152).
    pub fn eight_bit_mime(&self) -> bool {
        self.contains(&Capability::EightBitMime)
    }

    /// `SMTPUTF8` (RFC 6531).
    pub fn smtputf8(&self) -> bool {
        self.contains(&Capability::SmtpUtf8)
    }

    /// `CHUNKING` (RFC 3030).
    pub fn chunking(&self) -> bool {
        self.contains(&Capability::Chunking)
    }

    /// `BINARYMIME` (RFC 3030).
    pub fn binary_mime(&self) -> bool {
        self.contains(&Capability::BinaryMime)
    }

    /// `STARTTLS` (RFC 3207).
    pub fn starttls(&self) -> bool {
        self.contains(&Capability::StartTls)
    }

    /// `DSN` (RFC 3461).
    pub fn dsn(&self) -> bool {
        self.contains(&Capability::Dsn)
    }

    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    pub fn enhanced_status_codes(&self) -> bool {
        self.contains(&Capability::EnhancedStatusCodes)
    }

    /// `REQUIRETLS` (RFC 8689).
    pub fn requiretls(&self) -> bool {
        self.contains(&Capability::RequireTls)
    }

    /// The SASL mechanisms announced with `AUTH`, across every `AUTH` line.
    pub fn auth_mechanisms(&self) -> impl Iterator<Item = &Mechanism<'static>> {
        self.list
            .iter()
            .filter_map(|c| match c {
                Capability::Auth(m) => Some(m.iter()),
                _ => None,
            })
            .flatten()
    }
}

/// A positive EHLO (or LHLO) reply ([RFC 5321 §4.1.1.1]).
///
/// ```abnf
/// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
///             / ( "250-" Domain [ SP ehlo-greet ] CRLF
///                 *( "250-" ehlo-line CRLF )
///                 "250" SP ehlo-line CRLF )
/// ```
///
/// [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EhloReply {
    /// The server's name, as announced (servers do not all send a valid
    /// `Domain`).
    pub domain: Text<'static>,
    /// The rest of the first line.
    pub greeting: Option<Text<'static>>,
    /// The extensions.
    pub capabilities: Capabilities,
}

impl EhloReply {
    /// The reply that announces this, without an enhanced code (RFC 2034 §3
    /// uses none on EHLO).
    pub fn to_reply(&self) -> crate::types::reply::Reply<'static> {
        let mut first = self.domain.as_str().to_owned();
        if let Some(greeting) = &self.greeting {
            first.push(' ');
            first.push_str(greeting.as_str());
        }
        let mut reply = crate::types::reply::Reply::new_owned(crate::ReplyCode::OK, None, first);
        for capability in &self.capabilities.list {
            let mut line = capability.keyword().to_owned();
            match capability {
                Capability::Size(Some(n)) => line.push_str(&format!(" {n}")),
                Capability::Auth(mechanisms) => {
                    for m in mechanisms {
                        line.push(' ');
                        line.push_str(m.as_str());
                    }
                }
                Capability::Other(e) => {
                    for p in &e.params {
                        line.push(' ');
                        line.push_str(p);
                    }
                }
                _ => {}
            }
            reply.push_owned(line);
        }
        reply
    }
}
