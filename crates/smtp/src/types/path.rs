//! Mailboxes and paths ([RFC 5321 §4.1.2], internationalised by [RFC 6531
//! §3.3]).
//!
//! SMTP's `Mailbox` is not RFC 5322's `addr-spec`: no comments or folding
//! whitespace, no obsolete syntax, and the domain may be an address literal.
//! The types here keep the wire form of the local part exactly (a quoted
//! local part stays quoted), so converting to and from the message crate's
//! address types is a matter of re-validating strings.
//!
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//! [RFC 6531 §3.3]: https://www.rfc-editor.org/rfc/rfc6531#section-3.3
//!
//! ```
//! use mailwire_smtp::{Mailbox, ReversePath};
//!
//! let mailbox = Mailbox::try_from("\"john doe\"@[192.0.2.1]").unwrap();
//! assert_eq!(mailbox.local_part().as_str(), "\"john doe\"");
//! assert_eq!(mailbox.to_string(), "\"john doe\"@[192.0.2.1]");
//! assert_eq!(ReversePath::Null.to_string(), "<>");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::Error;
use crate::parse::path as parse;

/// The longest local part, in octets ([RFC 5321 §4.5.3.1.1]).
///
/// [RFC 5321 §4.5.3.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.1
pub const MAX_LOCAL_PART_LENGTH: usize = 64;
/// The longest domain, in octets ([RFC 5321 §4.5.3.1.2]).
///
/// [RFC 5321 §4.5.3.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.2
pub const MAX_DOMAIN_LENGTH: usize = 255;
/// The longest path, angle brackets included, in octets ([RFC 5321
/// §4.5.3.1.3]).
///
/// [RFC 5321 §4.5.3.1.3]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.3
pub const MAX_PATH_LENGTH: usize = 256;

/// A domain name ([RFC 5321 §4.1.2]); with [RFC 6531 §3.3] a sub-domain may
/// be a U-label.
///
/// ```abnf
/// Domain     = sub-domain *("." sub-domain)
/// sub-domain = Let-dig [Ldh-str] / U-label
/// Let-dig    = ALPHA / DIGIT
/// Ldh-str    = *( ALPHA / DIGIT / "-" ) Let-dig
/// ```
///
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
/// [RFC 6531 §3.3]: https://www.rfc-editor.org/rfc/rfc6531#section-3.3
///
/// ```
/// use mailwire_smtp::Domain;
/// assert!(Domain::try_from("mail.example.org").is_ok());
/// assert!(Domain::try_from("bücher.example").is_ok());
/// assert!(Domain::try_from("-bad.example").is_err());
/// assert!(Domain::try_from("a..b").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Domain<'a>(Cow<'a, str>);

impl<'a> Domain<'a> {
    /// Checks `domain` against the grammar and the 255-octet limit.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) or [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded).
    ///
    /// ```
    /// assert!(mailwire_smtp::Domain::validate("example.org").is_ok());
    /// ```
    pub fn validate(domain: &str) -> Result<(), Error> {
        parse::whole(domain.as_bytes(), parse::domain).map(|_| ())
    }

    /// The domain as written.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Domain::try_from("a.b").unwrap().as_str(), "a.b");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` if the domain is all ASCII (no U-label).
    ///
    /// ```
    /// assert!(!mailwire_smtp::Domain::try_from("bücher.example").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// Detaches the domain from the buffer it borrows from.
    ///
    /// ```
    /// let d = mailwire_smtp::Domain::try_from("a.b").unwrap().into_static();
    /// assert_eq!(d.as_str(), "a.b");
    /// ```
    pub fn into_static(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) const fn from_cow_unchecked(domain: Cow<'a, str>) -> Self {
        Domain(domain)
    }
}

/// An address literal ([RFC 5321 §4.1.3]).
///
/// ```abnf
/// address-literal  = "[" ( IPv4-address-literal /
///                    IPv6-address-literal /
///                    General-address-literal ) "]"
/// IPv6-address-literal  = "IPv6:" IPv6-addr
/// General-address-literal  = Standardized-tag ":" 1*dcontent
/// Standardized-tag  = Ldh-str
/// dcontent       = %d33-90 / %d94-126
/// ```
///
/// [RFC 5321 §4.1.3]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.3
///
/// ```
/// use mailwire_smtp::AddressLiteral;
/// use std::net::Ipv6Addr;
/// let literal = AddressLiteral::Ipv6(Ipv6Addr::LOCALHOST);
/// assert_eq!(literal.to_string(), "[IPv6:::1]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressLiteral<'a> {
    /// `[192.0.2.1]`
    Ipv4(Ipv4Addr),
    /// `[IPv6:2001:db8::1]`
    Ipv6(Ipv6Addr),
    /// `[tag:content]`, a standardised tag other than `IPv6`.
    General(GeneralLiteral<'a>),
}

/// A `General-address-literal` ([RFC 5321 §4.1.3]): a standardised tag and
/// its content, both validated.
///
/// [RFC 5321 §4.1.3]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.3
///
/// ```
/// use mailwire_smtp::types::path::GeneralLiteral;
/// let literal = GeneralLiteral::new("X-tag", "stuff").unwrap();
/// assert_eq!((literal.tag(), literal.content()), ("X-tag", "stuff"));
/// assert!(GeneralLiteral::new("IPv6", "::1").is_err());
/// assert!(GeneralLiteral::new("x", "a]\r\nQUIT").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GeneralLiteral<'a> {
    tag: Cow<'a, str>,
    content: Cow<'a, str>,
}

impl<'a> GeneralLiteral<'a> {
    /// A general literal; `tag` must be an `Ldh-str` other than `IPv6` and
    /// `content` `1*dcontent`.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a bad tag or content.
    pub fn new(tag: &'a str, content: &'a str) -> Result<Self, Error> {
        let literal = format!("[{tag}:{content}]");
        match parse::whole(literal.as_bytes(), parse::address_literal)? {
            AddressLiteral::General(_) => Ok(Self {
                tag: Cow::Borrowed(tag),
                content: Cow::Borrowed(content),
            }),
            _ => Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 1,
                expected: "Standardized-tag",
                found: mailwire_core::error::Found::Byte(b'I'),
            })),
        }
    }

    pub(crate) const fn from_cow_unchecked(tag: Cow<'a, str>, content: Cow<'a, str>) -> Self {
        Self { tag, content }
    }

    /// The `Standardized-tag`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The content after the colon.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// Detaches the literal from the buffer it borrows from.
    pub fn into_static(self) -> GeneralLiteral<'static> {
        GeneralLiteral {
            tag: Cow::Owned(self.tag.into_owned()),
            content: Cow::Owned(self.content.into_owned()),
        }
    }
}

impl AddressLiteral<'_> {
    /// Detaches the literal from the buffer it borrows from.
    ///
    /// ```
    /// use mailwire_smtp::AddressLiteral;
    /// let l = AddressLiteral::Ipv4([192, 0, 2, 1].into()).into_static();
    /// assert_eq!(l.to_string(), "[192.0.2.1]");
    /// ```
    pub fn into_static(self) -> AddressLiteral<'static> {
        match self {
            AddressLiteral::Ipv4(a) => AddressLiteral::Ipv4(a),
            AddressLiteral::Ipv6(a) => AddressLiteral::Ipv6(a),
            AddressLiteral::General(g) => AddressLiteral::General(g.into_static()),
        }
    }
}

/// A domain or an address literal: the argument of `EHLO` ([RFC 5321
/// §4.1.1.1]) and the part of a mailbox after `@`.
///
/// ```abnf
/// Host = Domain / address-literal
/// ```
///
/// [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
///
/// ```
/// use mailwire_smtp::Host;
/// assert!(matches!(Host::try_from("[10.0.0.1]").unwrap(), Host::Literal(_)));
/// assert!(matches!(Host::try_from("client.example").unwrap(), Host::Domain(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host<'a> {
    /// A domain name.
    Domain(Domain<'a>),
    /// An address literal.
    Literal(AddressLiteral<'a>),
}

impl Host<'_> {
    /// Detaches the host from the buffer it borrows from.
    ///
    /// ```
    /// let h = mailwire_smtp::Host::try_from("a.b").unwrap().into_static();
    /// assert_eq!(h.to_string(), "a.b");
    /// ```
    pub fn into_static(self) -> Host<'static> {
        match self {
            Host::Domain(d) => Host::Domain(d.into_static()),
            Host::Literal(l) => Host::Literal(l.into_static()),
        }
    }

    /// `true` unless the host is a domain with a U-label.
    ///
    /// ```
    /// assert!(mailwire_smtp::Host::try_from("[::1]").is_err());
    /// assert!(mailwire_smtp::Host::try_from("[IPv6:::1]").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        match self {
            Host::Domain(d) => d.is_ascii(),
            Host::Literal(_) => true,
        }
    }
}

/// The local part of a mailbox, kept in its wire form: a `Dot-string`, or
/// a `Quoted-string` with its quotes and backslashes ([RFC 5321 §4.1.2],
/// [RFC 6531 §3.3]).
///
/// ```abnf
/// Local-part      = Dot-string / Quoted-string
/// Dot-string      = Atom *("."  Atom)
/// Atom            = 1*atext
/// Quoted-string   = DQUOTE *QcontentSMTP DQUOTE
/// QcontentSMTP    = qtextSMTP / quoted-pairSMTP
/// quoted-pairSMTP = %d92 %d32-126
/// qtextSMTP       = %d32-33 / %d35-91 / %d93-126
/// ```
///
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
/// [RFC 6531 §3.3]: https://www.rfc-editor.org/rfc/rfc6531#section-3.3
///
/// ```
/// use mailwire_smtp::LocalPart;
/// assert!(LocalPart::try_from("first.last").is_ok());
/// assert!(LocalPart::try_from("\"with space\"").is_ok());
/// assert!(LocalPart::try_from("with space").is_err());
/// assert!(LocalPart::try_from(".leading").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LocalPart<'a>(Cow<'a, str>);

impl<'a> LocalPart<'a> {
    /// Checks `local_part` against the grammar and the 64-octet limit.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) or [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded).
    ///
    /// ```
    /// assert!(mailwire_smtp::LocalPart::validate("a+tag").is_ok());
    /// ```
    pub fn validate(local_part: &str) -> Result<(), Error> {
        parse::whole(local_part.as_bytes(), parse::local_part).map(|_| ())
    }

    /// The local part as written on the wire.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::LocalPart::try_from("\"a\"").unwrap().as_str(), "\"a\"");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` if the local part is quoted.
    ///
    /// ```
    /// assert!(mailwire_smtp::LocalPart::try_from("\"a\"").unwrap().is_quoted());
    /// ```
    pub fn is_quoted(&self) -> bool {
        self.0.starts_with('"')
    }

    /// Detaches the local part from the buffer it borrows from.
    ///
    /// ```
    /// let l = mailwire_smtp::LocalPart::try_from("a").unwrap().into_static();
    /// assert_eq!(l.as_str(), "a");
    /// ```
    pub fn into_static(self) -> LocalPart<'static> {
        LocalPart(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) const fn from_cow_unchecked(local: Cow<'a, str>) -> Self {
        LocalPart(local)
    }
}

/// A mailbox: local part `@` host ([RFC 5321 §4.1.2]).
///
/// ```abnf
/// Mailbox = Local-part "@" ( Domain / address-literal )
/// ```
///
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
///
/// ```
/// use mailwire_smtp::Mailbox;
/// let mailbox = Mailbox::try_from("jdoe@example.org").unwrap();
/// assert_eq!(mailbox.local_part().as_str(), "jdoe");
/// assert_eq!(mailbox.host().to_string(), "example.org");
/// assert!(Mailbox::try_from("jdoe@example.org>\r\nDATA").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    local_part: LocalPart<'a>,
    host: Host<'a>,
}

impl<'a> Mailbox<'a> {
    /// A mailbox from its parts.
    ///
    /// ```
    /// use mailwire_smtp::{Host, LocalPart, Mailbox};
    /// let m = Mailbox::new(LocalPart::try_from("a").unwrap(), Host::try_from("b.c").unwrap());
    /// assert_eq!(m.to_string(), "a@b.c");
    /// ```
    pub const fn new(local_part: LocalPart<'a>, host: Host<'a>) -> Self {
        Self { local_part, host }
    }

    /// The local part.
    ///
    /// ```
    /// let m = mailwire_smtp::Mailbox::try_from("a@b.c").unwrap();
    /// assert_eq!(m.local_part().as_str(), "a");
    /// ```
    pub const fn local_part(&self) -> &LocalPart<'a> {
        &self.local_part
    }

    /// The domain or address literal.
    ///
    /// ```
    /// let m = mailwire_smtp::Mailbox::try_from("a@[192.0.2.1]").unwrap();
    /// assert_eq!(m.host().to_string(), "[192.0.2.1]");
    /// ```
    pub const fn host(&self) -> &Host<'a> {
        &self.host
    }

    /// `true` if the mailbox is all ASCII; a mailbox that is not needs
    /// `SMTPUTF8` ([RFC 6531 §3.4]).
    ///
    /// [RFC 6531 §3.4]: https://www.rfc-editor.org/rfc/rfc6531#section-3.4
    ///
    /// ```
    /// assert!(!mailwire_smtp::Mailbox::try_from("δοκιμή@example.org").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.local_part.0.is_ascii() && self.host.is_ascii()
    }

    /// Detaches the mailbox from the buffer it borrows from.
    ///
    /// ```
    /// let m = mailwire_smtp::Mailbox::try_from("a@b.c").unwrap().into_static();
    /// assert_eq!(m.to_string(), "a@b.c");
    /// ```
    pub fn into_static(self) -> Mailbox<'static> {
        Mailbox {
            local_part: self.local_part.into_static(),
            host: self.host.into_static(),
        }
    }
}

/// The argument of `MAIL FROM:` ([RFC 5321 §4.1.2]).
///
/// ```abnf
/// Reverse-path = Path / "<>"
/// Path         = "<" [ A-d-l ":" ] Mailbox ">"
/// A-d-l        = At-domain *( "," At-domain )   ; accepted and ignored
/// ```
///
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
///
/// ```
/// use mailwire_smtp::ReversePath;
/// let path = ReversePath::try_from("<@relay.example:jdoe@example.org>").unwrap();
/// assert_eq!(path.to_string(), "<jdoe@example.org>"); // the source route is dropped
/// assert_eq!(ReversePath::try_from("<>").unwrap(), ReversePath::Null);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReversePath<'a> {
    /// `<>`: the null reverse path of notifications ([RFC 5321 §4.5.5]).
    ///
    /// [RFC 5321 §4.5.5]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.5
    Null,
    /// A mailbox.
    Mailbox(Mailbox<'a>),
}

impl ReversePath<'_> {
    /// Detaches the path from the buffer it borrows from.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::ReversePath::Null.into_static(), mailwire_smtp::ReversePath::Null);
    /// ```
    pub fn into_static(self) -> ReversePath<'static> {
        match self {
            ReversePath::Null => ReversePath::Null,
            ReversePath::Mailbox(m) => ReversePath::Mailbox(m.into_static()),
        }
    }

    /// `true` unless the mailbox needs `SMTPUTF8`.
    ///
    /// ```
    /// assert!(mailwire_smtp::ReversePath::Null.is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        match self {
            ReversePath::Null => true,
            ReversePath::Mailbox(m) => m.is_ascii(),
        }
    }
}

/// The argument of `RCPT TO:` ([RFC 5321 §4.1.1.3]).
///
/// ```abnf
/// rcpt-arg     = "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path
/// Forward-path = Path
/// ```
///
/// `<Postmaster@domain>` is an ordinary mailbox; only the bare
/// `<Postmaster>` (any case) is [`ForwardPath::Postmaster`].
///
/// [RFC 5321 §4.1.1.3]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.3
///
/// ```
/// use mailwire_smtp::ForwardPath;
/// assert_eq!(ForwardPath::try_from("<postmaster>").unwrap(), ForwardPath::Postmaster);
/// assert!(matches!(ForwardPath::try_from("<a@b.c>").unwrap(), ForwardPath::Mailbox(_)));
/// assert!(ForwardPath::try_from("<>").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForwardPath<'a> {
    /// `<Postmaster>`, which every server must accept ([RFC 5321 §4.5.1]).
    ///
    /// [RFC 5321 §4.5.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.1
    Postmaster,
    /// A mailbox.
    Mailbox(Mailbox<'a>),
}

impl ForwardPath<'_> {
    /// Detaches the path from the buffer it borrows from.
    ///
    /// ```
    /// use mailwire_smtp::ForwardPath;
    /// assert_eq!(ForwardPath::Postmaster.into_static(), ForwardPath::Postmaster);
    /// ```
    pub fn into_static(self) -> ForwardPath<'static> {
        match self {
            ForwardPath::Postmaster => ForwardPath::Postmaster,
            ForwardPath::Mailbox(m) => ForwardPath::Mailbox(m.into_static()),
        }
    }

    /// `true` unless the mailbox needs `SMTPUTF8`.
    ///
    /// ```
    /// assert!(mailwire_smtp::ForwardPath::Postmaster.is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        match self {
            ForwardPath::Postmaster => true,
            ForwardPath::Mailbox(m) => m.is_ascii(),
        }
    }
}

macro_rules! try_from_str {
    ($ty:ident, $parser:path) => {
        impl<'a> TryFrom<&'a str> for $ty<'a> {
            type Error = Error;
            fn try_from(input: &'a str) -> Result<Self, Error> {
                parse::whole(input.as_bytes(), $parser)
            }
        }
    };
}

try_from_str!(Domain, parse::domain);
try_from_str!(Host, parse::host);
try_from_str!(LocalPart, parse::local_part);
try_from_str!(Mailbox, parse::mailbox);
try_from_str!(ReversePath, parse::reverse_path);
try_from_str!(ForwardPath, parse::forward_path);

impl fmt::Debug for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Debug for LocalPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for LocalPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for AddressLiteral<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressLiteral::Ipv4(a) => write!(f, "[{a}]"),
            AddressLiteral::Ipv6(a) => write!(f, "[IPv6:{a}]"),
            AddressLiteral::General(g) => write!(f, "[{}:{}]", g.tag, g.content),
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => fmt::Display::fmt(d, f),
            Host::Literal(l) => fmt::Display::fmt(l, f),
        }
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local_part, self.host)
    }
}

impl fmt::Display for ReversePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePath::Null => f.write_str("<>"),
            ReversePath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardPath::Postmaster => f.write_str("<Postmaster>"),
            ForwardPath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

/// Conversions to and from mailwire-message's [`AddrSpec`], the RFC 5322
/// form of an address (feature `message`).
///
/// An SMTP mailbox ([RFC 5321 §4.1.2]) is an `addr-spec` without comments,
/// folding or obsolete syntax, so every mailbox converts; an `AddrSpec`
/// converts when it also fits RFC 5321 (its strict form always does). Both
/// directions keep a quoted local part exactly as written.
///
/// [`AddrSpec`]: mailwire_message::address::AddrSpec
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
///
/// ```
/// use mailwire_message::address::AddrSpec;
/// use mailwire_smtp::{ForwardPath, Mailbox};
///
/// let ForwardPath::Mailbox(mailbox) = ForwardPath::try_from("<\"j doe\"@[IPv6:2001:db8::1]>").unwrap()
/// else { unreachable!() };
/// let spec = AddrSpec::try_from(&mailbox).unwrap();
/// assert_eq!(spec.to_string(), "\"j doe\"@[IPv6:2001:db8::1]");
/// assert_eq!(Mailbox::try_from(&spec).unwrap(), mailbox);
/// ```
#[cfg(feature = "message")]
mod message_addresses {
    use mailwire_message::address::{AddrSpec, AddressError};

    use super::{ForwardPath, Mailbox};
    use crate::error::Error;

    impl TryFrom<&Mailbox<'_>> for AddrSpec<'static> {
        type Error = AddressError;

        fn try_from(mailbox: &Mailbox<'_>) -> Result<Self, AddressError> {
            let text = mailbox.to_string();
            AddrSpec::try_from(text.as_str()).map(AddrSpec::into_owned)
        }
    }

    impl TryFrom<&AddrSpec<'_>> for Mailbox<'static> {
        type Error = Error;

        fn try_from(spec: &AddrSpec<'_>) -> Result<Self, Error> {
            let wire = format!("<{spec}>");
            match ForwardPath::try_from(wire.as_str())? {
                ForwardPath::Mailbox(mailbox) => Ok(mailbox.into_static()),
                // `<Postmaster>` has no `@`; an addr-spec always has one.
                ForwardPath::Postmaster => Err(Error::Protocol(mailwire_core::Error::Malformed {
                    offset: 0,
                    expected: "Mailbox",
                    found: mailwire_core::error::Found::EndOfInput,
                })),
            }
        }
    }
}
