//! Addresses ([RFC 5322 §3.4]), reusable for SMTP paths ([RFC 5321 §4.1.2]).
//!
//! ```text
//! address         =   mailbox / group
//! mailbox         =   name-addr / addr-spec
//! name-addr       =   [display-name] angle-addr
//! angle-addr      =   [CFWS] "<" addr-spec ">" [CFWS] / obs-angle-addr
//! group           =   display-name ":" [group-list] ";" [CFWS]
//! display-name    =   phrase
//! addr-spec       =   local-part "@" domain
//! local-part      =   dot-atom / quoted-string / obs-local-part
//! domain          =   dot-atom / domain-literal / obs-domain
//! domain-literal  =   [CFWS] "[" *([FWS] dtext) [FWS] "]" [CFWS]
//! obs-angle-addr  =   [CFWS] "<" obs-route addr-spec ">" [CFWS]
//! obs-local-part  =   word *("." word)
//! obs-domain      =   atom *("." atom)
//! ```
//!
//! The value types are valid by construction: [`LocalPart`], [`Domain`],
//! [`AddressLiteral`] and [`AddrSpec`] are built with `TryFrom<&str>` (or
//! `new`), which checks the grammar, and they hold a `Cow` so that parsing
//! borrows. A quoted local part is kept exactly as written
//! (`"john..doe"@example.org` stays quoted); [`LocalPart::content`] gives
//! its meaning. Domain literals keep their text, and
//! [`AddressLiteral::kind`] reads the RFC 5321 §4.1.3 forms, IPv6 included.
//!
//! Two modes: [`Mode::Strict`] applies RFC 5322 without obsolete syntax
//! plus the RFC 5321 §4.5.3.1 lengths (local part ≤ 64 octets, domain ≤ 255
//! octets, labels ≤ 63) and the RFC 5321 `Domain` grammar;
//! [`Mode::Lenient`] also takes obsolete syntax, consecutive dots, a missing
//! domain and other common breakage, each reported as a defect. UTF-8 is
//! accepted everywhere RFC 6532 §3.2 allows it.
//!
//! [RFC 5322 §3.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//!
//! ```
//! use mailwire_message::address::{AddrSpec, AddressList, AddressLiteralKind, DomainPart, Mode};
//!
//! let (list, defects) = AddressList::parse(
//!     b"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>,\r\n A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
//!     Mode::Lenient,
//! );
//! assert!(defects.is_empty());
//! let mailboxes: Vec<_> = list.mailboxes().map(|m| m.to_string()).collect();
//! assert_eq!(mailboxes, ["Pete <pete@silly.test>", "Ed Jones <c@a.test>", "joe@where.test", "John <jdoe@one.test>"]);
//!
//! // Build and validate an SMTP path.
//! let spec = AddrSpec::try_from("\"quoted local\"@[IPv6:2001:db8::1]").unwrap();
//! assert_eq!(spec.local_part().as_str(), "\"quoted local\"");
//! assert_eq!(spec.local_part().content(), "quoted local");
//! let DomainPart::Literal(literal) = spec.domain() else { panic!() };
//! assert!(matches!(literal.kind(), AddressLiteralKind::Ipv6(_)));
//! assert!(AddrSpec::try_from(format!("{}@example.org", "a".repeat(65)).as_str()).is_err());
//! ```

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::defect::DefectKind;
use crate::encoded_word;
use crate::lexical::{Cursor, is_atext, text};

/// How strictly to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Mode {
    /// RFC 5322 without obsolete syntax, plus RFC 5321 lengths and domain
    /// grammar.
    Strict,
    /// Obsolete syntax and common breakage accepted, with defects.
    #[default]
    Lenient,
}

/// Why an address or one of its parts is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// The input is empty.
    #[error("empty address")]
    Empty,
    /// The local part does not follow `dot-atom / quoted-string`.
    #[error("invalid local part at byte {offset}")]
    InvalidLocalPart {
        /// Offset in the input.
        offset: usize,
    },
    /// The domain does not follow its grammar.
    #[error("invalid domain at byte {offset}")]
    InvalidDomain {
        /// Offset in the input.
        offset: usize,
    },
    /// No `@` between local part and domain.
    #[error("missing @")]
    MissingAt,
    /// The local part is longer than 64 octets (RFC 5321 §4.5.3.1.1).
    #[error("local part is {0} octets, over 64")]
    LocalPartTooLong(usize),
    /// The domain is longer than 255 octets (RFC 5321 §4.5.3.1.2).
    #[error("domain is {0} octets, over 255")]
    DomainTooLong(usize),
    /// A domain label is longer than 63 octets (RFC 1035 §2.3.4).
    #[error("domain label is {0} octets, over 63")]
    LabelTooLong(usize),
}

/// The longest local part, RFC 5321 §4.5.3.1.1.
pub const MAX_LOCAL_PART: usize = 64;
/// The longest domain, RFC 5321 §4.5.3.1.2.
pub const MAX_DOMAIN: usize = 255;

fn is_qtext(b: u8) -> bool {
    matches!(b, 33 | 35..=91 | 93..=126 | 0x80..=0xff)
}

fn is_dot_atom(s: &[u8]) -> bool {
    !s.is_empty()
        && s.split(|&b| b == b'.')
            .all(|a| !a.is_empty() && a.iter().all(|&b| is_atext(b)))
}

/// Whether `s` is exactly one `quoted-string` without CFWS.
fn is_quoted_string(s: &[u8]) -> bool {
    let Some(inner) = s.strip_prefix(b"\"").and_then(|r| r.strip_suffix(b"\"")) else {
        return false;
    };
    let mut iter = inner.iter();
    while let Some(&b) = iter.next() {
        match b {
            b'\\' => match iter.next() {
                Some(&q) if q == b' ' || q == b'\t' || q.is_ascii_graphic() || q >= 0x80 => {}
                _ => return false,
            },
            b' ' | b'\t' => {}
            _ if is_qtext(b) => {}
            _ => return false,
        }
    }
    true
}

/// The part of an address before `@` ([RFC 5322 §3.4.1]), as written.
///
/// ```text
/// local-part = dot-atom / quoted-string
/// ```
///
/// ```
/// use mailwire_message::address::LocalPart;
/// let lp = LocalPart::try_from("\"a\\\"b\"").unwrap();
/// assert!(lp.is_quoted());
/// assert_eq!(lp.content(), "a\"b");
/// assert_eq!(LocalPart::from_content("john doe").as_str(), "\"john doe\"");
/// assert_eq!(LocalPart::from_content("john.doe").as_str(), "john.doe");
/// assert!(LocalPart::try_from("a..b").is_err());
/// ```
///
/// [RFC 5322 §3.4.1]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalPart<'a>(Cow<'a, str>);

impl<'a> LocalPart<'a> {
    /// Validates a local part: `dot-atom / quoted-string` (UTF-8 allowed,
    /// RFC 6532), at most 64 octets.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, AddressError> {
        let s = s.into();
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        if !(is_dot_atom(s.as_bytes()) || is_quoted_string(s.as_bytes())) {
            return Err(AddressError::InvalidLocalPart { offset: 0 });
        }
        if s.len() > MAX_LOCAL_PART {
            return Err(AddressError::LocalPartTooLong(s.len()));
        }
        Ok(Self(s))
    }

    /// Builds the local part that means `content`: a dot-atom when it is
    /// one, else a quoted string with `"` and `\` escaped. No length check.
    pub fn from_content(content: &str) -> LocalPart<'static> {
        if is_dot_atom(content.as_bytes()) {
            return LocalPart(Cow::Owned(content.to_owned()));
        }
        let mut s = String::with_capacity(content.len() + 2);
        s.push('"');
        for c in content.chars() {
            if c == '"' || c == '\\' {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('"');
        LocalPart(Cow::Owned(s))
    }

    /// The local part as written (quotes and escapes kept).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is a quoted string.
    pub fn is_quoted(&self) -> bool {
        self.0.starts_with('"')
    }

    /// What it means: a quoted string without quotes and escapes.
    pub fn content(&self) -> Cow<'_, str> {
        let Some(inner) = self.0.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
            return Cow::Borrowed(&self.0);
        };
        if !inner.contains('\\') {
            return Cow::Borrowed(inner);
        }
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                out.extend(chars.next());
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }

    /// Same as [`into_owned`](Self::into_owned): the `'static` form, named
    /// as the other mailwire value types name it.
    pub fn into_static(self) -> LocalPart<'static> {
        self.into_owned()
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> LocalPart<'static> {
        LocalPart(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> TryFrom<&'a str> for LocalPart<'a> {
    type Error = AddressError;
    fn try_from(s: &'a str) -> Result<Self, AddressError> {
        Self::new(s)
    }
}

impl fmt::Display for LocalPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A domain name: the `Domain` of [RFC 5321 §4.1.2], with UTF-8 labels
/// allowed (RFC 6531 §3.3).
///
/// ```text
/// Domain     = sub-domain *("." sub-domain)
/// sub-domain = Let-dig [Ldh-str]
/// Ldh-str    = *( ALPHA / DIGIT / "-" ) Let-dig
/// ```
///
/// [`Domain::new`] checks this grammar and the lengths (255 octets, 63 per
/// label). Lenient message parsing also keeps RFC 5322 `dot-atom` domains
/// that are not host names (`Domain::new_lenient`).
///
/// ```
/// use mailwire_message::address::Domain;
/// assert!(Domain::try_from("mail.example.org").is_ok());
/// assert!(Domain::try_from("bücher.example").is_ok());
/// assert!(Domain::try_from("-bad.example").is_err());
/// assert!(Domain::new_lenient("a_b.example").is_ok());
/// ```
///
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain<'a>(Cow<'a, str>);

fn is_let_dig(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl<'a> Domain<'a> {
    /// Validates a host name (RFC 5321 `Domain`, lengths included).
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, AddressError> {
        let s = s.into();
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        if s.len() > MAX_DOMAIN {
            return Err(AddressError::DomainTooLong(s.len()));
        }
        let mut offset = 0;
        for label in s.as_bytes().split(|&b| b == b'.') {
            let ok = label.first().is_some_and(|&b| is_let_dig(b))
                && label.last().is_some_and(|&b| is_let_dig(b))
                && label.iter().all(|&b| is_let_dig(b) || b == b'-');
            if !ok {
                return Err(AddressError::InvalidDomain { offset });
            }
            if label.len() > 63 {
                return Err(AddressError::LabelTooLong(label.len()));
            }
            offset += label.len() + 1;
        }
        Ok(Self(s))
    }

    /// Validates an RFC 5322 `dot-atom` domain (no length limits).
    pub fn new_lenient(s: impl Into<Cow<'a, str>>) -> Result<Self, AddressError> {
        let s = s.into();
        if is_dot_atom(s.as_bytes()) {
            Ok(Self(s))
        } else {
            Err(AddressError::InvalidDomain { offset: 0 })
        }
    }

    /// The domain as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Same as [`into_owned`](Self::into_owned): the `'static` form, named
    /// as the other mailwire value types name it.
    pub fn into_static(self) -> Domain<'static> {
        self.into_owned()
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> TryFrom<&'a str> for Domain<'a> {
    type Error = AddressError;
    fn try_from(s: &'a str) -> Result<Self, AddressError> {
        Self::new(s)
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A domain literal ([RFC 5322 §3.4.1]), read as an RFC 5321 §4.1.3
/// address literal, brackets included.
///
/// ```text
/// domain-literal        = "[" *dtext "]"
/// address-literal       = "[" ( IPv4-address-literal / IPv6-address-literal /
///                         General-address-literal ) "]"
/// IPv6-address-literal  = "IPv6:" IPv6-addr
/// General-address-literal = Standardized-tag ":" 1*dcontent
/// ```
///
/// ```
/// use mailwire_message::address::{AddressLiteral, AddressLiteralKind};
/// let v4 = AddressLiteral::try_from("[192.0.2.1]").unwrap();
/// assert_eq!(v4.kind(), AddressLiteralKind::Ipv4([192, 0, 2, 1].into()));
/// let v6 = AddressLiteral::try_from("[IPv6:::1]").unwrap();
/// assert_eq!(v6.kind(), AddressLiteralKind::Ipv6(std::net::Ipv6Addr::LOCALHOST));
/// assert!(AddressLiteral::try_from("[a[b]").is_err());
/// ```
///
/// [RFC 5322 §3.4.1]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddressLiteral<'a>(Cow<'a, str>);

/// What an [`AddressLiteral`] holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressLiteralKind<'a> {
    /// `[192.0.2.1]`.
    Ipv4(Ipv4Addr),
    /// `[IPv6:2001:db8::1]`.
    Ipv6(Ipv6Addr),
    /// `[tag:content]` with another standardized tag.
    General {
        /// The tag.
        tag: &'a str,
        /// What follows the colon.
        content: &'a str,
    },
    /// Any other `dtext` (valid RFC 5322, not an RFC 5321 literal).
    Other(&'a str),
}

impl<'a> AddressLiteral<'a> {
    /// Validates `"[" *dtext "]"` (dtext: printable ASCII but `[`, `]`, `\`,
    /// plus UTF-8). Lenient parsing keeps folding white space inside.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, AddressError> {
        let s = s.into();
        let ok = s
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .is_some_and(|inner| {
                inner
                    .bytes()
                    .all(|b| matches!(b, 33..=90 | 94..=126 | 0x80..=0xff))
            });
        if ok {
            Ok(Self(s))
        } else {
            Err(AddressError::InvalidDomain { offset: 0 })
        }
    }

    /// The literal as written, brackets included.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text between the brackets.
    pub fn inner(&self) -> &str {
        self.0
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .unwrap_or(&self.0)
    }

    /// Reads the RFC 5321 §4.1.3 form.
    pub fn kind(&self) -> AddressLiteralKind<'_> {
        let inner = self.inner();
        if let Ok(v4) = inner.parse::<Ipv4Addr>() {
            return AddressLiteralKind::Ipv4(v4);
        }
        if let Some((tag, content)) = inner.split_once(':') {
            if tag.eq_ignore_ascii_case("ipv6") {
                if let Ok(v6) = content.parse::<Ipv6Addr>() {
                    return AddressLiteralKind::Ipv6(v6);
                }
            } else if !tag.is_empty()
                && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !content.is_empty()
            {
                return AddressLiteralKind::General { tag, content };
            }
        }
        AddressLiteralKind::Other(inner)
    }

    /// Same as [`into_owned`](Self::into_owned): the `'static` form, named
    /// as the other mailwire value types name it.
    pub fn into_static(self) -> AddressLiteral<'static> {
        self.into_owned()
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> AddressLiteral<'static> {
        AddressLiteral(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> TryFrom<&'a str> for AddressLiteral<'a> {
    type Error = AddressError;
    fn try_from(s: &'a str) -> Result<Self, AddressError> {
        Self::new(s)
    }
}

/// The part of an address after `@`: a domain name or a literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomainPart<'a> {
    /// A domain name.
    Domain(Domain<'a>),
    /// A domain literal.
    Literal(AddressLiteral<'a>),
}

impl DomainPart<'_> {
    /// The text as written.
    pub fn as_str(&self) -> &str {
        match self {
            DomainPart::Domain(d) => d.as_str(),
            DomainPart::Literal(l) => l.as_str(),
        }
    }

    /// Same as [`into_owned`](Self::into_owned): the `'static` form, named
    /// as the other mailwire value types name it.
    pub fn into_static(self) -> DomainPart<'static> {
        self.into_owned()
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> DomainPart<'static> {
        match self {
            DomainPart::Domain(d) => DomainPart::Domain(d.into_owned()),
            DomainPart::Literal(l) => DomainPart::Literal(l.into_owned()),
        }
    }
}

impl fmt::Display for DomainPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `local-part "@" domain` ([RFC 5322 §3.4.1]); also the `Mailbox` of an
/// RFC 5321 path.
///
/// `TryFrom<&str>` parses strictly: no CFWS, no obsolete syntax, RFC 5321
/// lengths and domain grammar (a domain literal must be an address
/// literal).
///
/// ```
/// use mailwire_message::address::{AddrSpec, Domain, DomainPart, LocalPart};
/// let spec = AddrSpec::new(LocalPart::try_from("info").unwrap(), DomainPart::Domain(Domain::try_from("example.org").unwrap()));
/// assert_eq!(spec.to_string(), "info@example.org");
/// assert_eq!(AddrSpec::try_from("info@example.org").unwrap(), spec);
/// assert!(AddrSpec::try_from("info@ex ample.org").is_err());
/// ```
///
/// [RFC 5322 §3.4.1]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddrSpec<'a> {
    local_part: LocalPart<'a>,
    domain: DomainPart<'a>,
}

impl<'a> AddrSpec<'a> {
    /// Joins validated parts.
    pub fn new(local_part: LocalPart<'a>, domain: DomainPart<'a>) -> Self {
        Self { local_part, domain }
    }

    /// The local part.
    pub fn local_part(&self) -> &LocalPart<'a> {
        &self.local_part
    }

    /// The domain.
    pub fn domain(&self) -> &DomainPart<'a> {
        &self.domain
    }

    /// Same as [`into_owned`](Self::into_owned): the `'static` form, named
    /// as the other mailwire value types name it.
    pub fn into_static(self) -> AddrSpec<'static> {
        self.into_owned()
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> AddrSpec<'static> {
        AddrSpec {
            local_part: self.local_part.into_owned(),
            domain: self.domain.into_owned(),
        }
    }
}

impl<'a> TryFrom<&'a str> for AddrSpec<'a> {
    type Error = AddressError;
    fn try_from(s: &'a str) -> Result<Self, AddressError> {
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        // The last "@" outside a quoted string.
        let at = if s.starts_with('"') {
            let mut c = Cursor::new(s.as_bytes());
            c.quoted_string();
            if c.peek() != Some(b'@') {
                return Err(AddressError::MissingAt);
            }
            c.pos()
        } else {
            s.find('@').ok_or(AddressError::MissingAt)?
        };
        let local = s.get(..at).ok_or(AddressError::MissingAt)?;
        let domain = s.get(at + 1..).ok_or(AddressError::MissingAt)?;
        let local_part = LocalPart::new(local)?;
        let domain = if domain.starts_with('[') {
            let literal = AddressLiteral::new(domain)
                .map_err(|_| AddressError::InvalidDomain { offset: at + 1 })?;
            if matches!(literal.kind(), AddressLiteralKind::Other(_)) {
                return Err(AddressError::InvalidDomain { offset: at + 1 });
            }
            DomainPart::Literal(literal)
        } else {
            DomainPart::Domain(Domain::new(domain).map_err(|e| match e {
                AddressError::InvalidDomain { offset } => AddressError::InvalidDomain {
                    offset: offset + at + 1,
                },
                other => other,
            })?)
        };
        Ok(Self { local_part, domain })
    }
}

impl fmt::Display for AddrSpec<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local_part, self.domain)
    }
}

/// A mailbox ([RFC 5322 §3.4]): an optional display name and an address.
///
/// In lenient parsing an address that is not a valid `addr-spec` (no
/// domain, say) keeps its text in [`raw_address`](Self::raw_address) and
/// has no [`addr_spec`](Self::addr_spec).
///
/// [RFC 5322 §3.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    name: Option<Cow<'a, str>>,
    addr_spec: Option<AddrSpec<'a>>,
    raw_address: Cow<'a, str>,
}

impl<'a> Mailbox<'a> {
    /// A mailbox with a valid address.
    pub fn new(name: Option<Cow<'a, str>>, addr_spec: AddrSpec<'a>) -> Self {
        let raw_address = Cow::Owned(addr_spec.to_string());
        Self {
            name,
            addr_spec: Some(addr_spec),
            raw_address,
        }
    }

    /// The decoded display name (RFC 2047 encoded words, quoted strings and
    /// folding resolved), if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The address, when it is a valid `addr-spec`.
    pub fn addr_spec(&self) -> Option<&AddrSpec<'a>> {
        self.addr_spec.as_ref()
    }

    /// The address as written, comments and folding removed.
    pub fn raw_address(&self) -> &str {
        &self.raw_address
    }

    /// Same as [`into_owned`](Self::into_owned): the `'static` form, named
    /// as the other mailwire value types name it.
    pub fn into_static(self) -> Mailbox<'static> {
        self.into_owned()
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            name: self.name.map(|n| Cow::Owned(n.into_owned())),
            addr_spec: self.addr_spec.map(AddrSpec::into_owned),
            raw_address: Cow::Owned(self.raw_address.into_owned()),
        }
    }
}

fn needs_quotes(name: &str) -> bool {
    !name
        .split(' ')
        .all(|w| !w.is_empty() && w.bytes().all(is_atext))
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) if needs_quotes(name) => {
                write!(
                    f,
                    "\"{}\" <{}>",
                    name.replace('\\', "\\\\").replace('"', "\\\""),
                    self.raw_address
                )
            }
            Some(name) => write!(f, "{name} <{}>", self.raw_address),
            None => f.write_str(&self.raw_address),
        }
    }
}

/// A group ([RFC 5322 §3.4]): a display name and a list of mailboxes.
///
/// [RFC 5322 §3.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Group<'a> {
    name: Cow<'a, str>,
    members: Vec<Mailbox<'a>>,
}

impl<'a> Group<'a> {
    /// The decoded display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The members.
    pub fn members(&self) -> &[Mailbox<'a>] {
        &self.members
    }
}

/// A mailbox or a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Address<'a> {
    /// A mailbox.
    Mailbox(Mailbox<'a>),
    /// A group.
    Group(Group<'a>),
}

/// An `address-list` or `mailbox-list` ([RFC 5322 §3.4]).
///
/// [RFC 5322 §3.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AddressList<'a>(Vec<Address<'a>>);

impl<'a> AddressList<'a> {
    /// Parses a field value. Never fails: what cannot be read is skipped to
    /// the next comma with a defect. In [`Mode::Strict`], addresses that
    /// break the strict rules are dropped with a defect.
    pub fn parse(value: &'a [u8], mode: Mode) -> (Self, Vec<DefectKind>) {
        let mut p = Parser {
            c: Cursor::new(value),
            mode,
            defects: Vec::new(),
        };
        let list = p.address_list();
        (Self(list), p.defects)
    }

    /// The addresses.
    pub fn addresses(&self) -> &[Address<'a>] {
        &self.0
    }

    /// Every mailbox, group members included, in order.
    pub fn mailboxes(&self) -> impl Iterator<Item = &Mailbox<'a>> {
        self.0.iter().flat_map(|a| match a {
            Address::Mailbox(m) => std::slice::from_ref(m).iter(),
            Address::Group(g) => g.members.iter(),
        })
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

struct Parser<'a> {
    c: Cursor<'a>,
    mode: Mode,
    defects: Vec<DefectKind>,
}

const INVALID: DefectKind = DefectKind::InvalidHeader { field: "address" };

impl<'a> Parser<'a> {
    fn defect(&mut self, kind: DefectKind) {
        if !self.defects.contains(&kind) {
            self.defects.push(kind);
        }
    }

    fn skip_to_comma(&mut self) {
        while let Some(b) = self.c.peek() {
            match b {
                b',' => return,
                b'"' => {
                    self.c.quoted_string();
                }
                b'(' => {
                    self.c.skip_cfws();
                }
                _ => self.c.bump(),
            }
        }
    }

    fn address_list(&mut self) -> Vec<Address<'a>> {
        let mut list = Vec::new();
        loop {
            self.c.skip_cfws();
            if self.c.is_empty() {
                break;
            }
            if self.c.eat(b',') {
                continue;
            }
            let start = self.c.pos();
            match self.address() {
                Some(a) => list.push(a),
                None => {
                    self.defect(INVALID);
                    self.skip_to_comma();
                }
            }
            self.c.skip_cfws();
            if !self.c.is_empty() && self.c.peek() != Some(b',') {
                self.defect(INVALID);
                self.skip_to_comma();
            }
            if self.c.pos() == start {
                self.c.bump();
            }
        }
        list
    }

    /// Reads a `phrase` (RFC 5322 §3.2.5, with obs-phrase's "."), returning
    /// the words joined by single spaces.
    fn phrase(&mut self) -> Option<String> {
        let mut words: Vec<Cow<'a, [u8]>> = Vec::new();
        loop {
            let save = self.c.pos();
            self.c.skip_cfws();
            if let Some((_, content, closed)) = self.c.quoted_string() {
                if !closed {
                    self.defect(INVALID);
                }
                words.push(content);
            } else if let Some(atom) = self.c.atom_with(b".") {
                if atom.contains(&b'.') {
                    self.defect(DefectKind::ObsoleteSyntax);
                }
                words.push(Cow::Borrowed(atom));
            } else {
                self.c.set_pos(save);
                break;
            }
        }
        if words.is_empty() {
            return None;
        }
        let joined = words.join(&b' ');
        let (decoded, defects) = encoded_word::decode(&joined);
        for d in defects {
            self.defect(d);
        }
        Some(decoded.into_owned())
    }

    fn address(&mut self) -> Option<Address<'a>> {
        let start = self.c.pos();
        let defects = self.defects.len();
        let phrase = self.phrase();
        self.c.skip_cfws();
        match self.c.peek() {
            Some(b':') if phrase.is_some() => {
                self.c.bump();
                let mut members = Vec::new();
                loop {
                    self.c.skip_cfws();
                    match self.c.peek() {
                        None => {
                            self.defect(INVALID);
                            break;
                        }
                        Some(b';') => {
                            self.c.bump();
                            break;
                        }
                        Some(b',') => self.c.bump(),
                        Some(_) => {
                            let before = self.c.pos();
                            match self.mailbox() {
                                Some(m) => members.push(m),
                                None => {
                                    self.defect(INVALID);
                                    while self.c.peek().is_some_and(|b| b != b',' && b != b';') {
                                        self.c.bump();
                                    }
                                }
                            }
                            if self.c.pos() == before {
                                self.c.bump();
                            }
                        }
                    }
                }
                Some(Address::Group(Group {
                    name: Cow::Owned(phrase.unwrap_or_default()),
                    members,
                }))
            }
            _ => {
                self.c.set_pos(start);
                self.defects.truncate(defects);
                self.mailbox().map(Address::Mailbox)
            }
        }
    }

    fn mailbox(&mut self) -> Option<Mailbox<'a>> {
        let start = self.c.pos();
        let defects = self.defects.len();
        let phrase = self.phrase();
        self.c.skip_cfws();
        if self.c.eat(b'<') {
            let mailbox = self.angle_addr(phrase);
            return Some(mailbox);
        }
        // An addr-spec; a comment after it is not a name.
        self.c.set_pos(start);
        self.defects.truncate(defects);
        self.c.skip_cfws();
        let (addr_spec, raw) = self.addr_spec(b",;")?;
        Some(Mailbox {
            name: None,
            addr_spec,
            raw_address: raw,
        })
    }

    fn angle_addr(&mut self, name: Option<String>) -> Mailbox<'a> {
        self.c.skip_cfws();
        // obs-route = obs-domain-list ":"
        if self.c.peek() == Some(b'@') {
            let save = self.c.pos();
            while self.c.peek().is_some_and(|b| b != b':' && b != b'>') {
                self.c.bump();
            }
            if self.c.eat(b':') {
                self.defect(DefectKind::ObsoleteSyntax);
            } else {
                self.c.set_pos(save);
            }
        }
        self.c.skip_cfws();
        let (addr_spec, raw) = if self.c.peek() == Some(b'>') {
            // "<>": the null path (RFC 5321 §4.1.1.2), no addr-spec.
            (None, Cow::Borrowed(""))
        } else {
            self.addr_spec(b">").unwrap_or((None, Cow::Borrowed("")))
        };
        self.c.skip_cfws();
        if !self.c.eat(b'>') {
            self.defect(INVALID);
            while self.c.peek().is_some_and(|b| b != b'>' && b != b',') {
                self.c.bump();
            }
            self.c.eat(b'>');
        }
        let name = name.filter(|n| !n.is_empty()).map(Cow::Owned);
        Mailbox {
            name,
            addr_spec,
            raw_address: raw,
        }
    }

    /// Reads `local-part "@" domain`, leniently; `stop` ends a broken one.
    fn addr_spec(&mut self, stop: &[u8]) -> Option<(Option<AddrSpec<'a>>, Cow<'a, str>)> {
        let mut local = String::new();
        let mut obsolete = false;
        let mut broken = false;
        let mut words = 0;
        loop {
            if self.c.skip_cfws().is_some() && words > 0 {
                obsolete = true;
            }
            if let Some((raw, _, closed)) = self.c.quoted_string() {
                broken |= !closed;
                local.push_str(&text(raw));
                words += 1;
            } else if let Some(atom) = self.c.atom() {
                local.push_str(&text(atom));
                words += 1;
            }
            let before_dot = self.c.pos();
            self.c.skip_cfws();
            if self.c.pos() != before_dot && self.c.peek() == Some(b'.') {
                obsolete = true;
            }
            if self.c.eat(b'.') {
                local.push('.');
                continue;
            }
            break;
        }
        if words == 0 && self.c.peek() != Some(b'@') {
            return None;
        }
        if !self.c.eat(b'@') {
            // No domain: keep what was written.
            self.defect(INVALID);
            if local.is_empty() {
                return None;
            }
            return Some((None, Cow::Owned(local)));
        }
        self.c.skip_cfws();
        let domain_text;
        let domain = if self.c.peek() == Some(b'[') {
            let (raw, closed) = self.c.domain_literal().unwrap_or((b"", false));
            broken |= !closed;
            let cleaned: String = text(raw)
                .chars()
                .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
                .collect();
            domain_text = cleaned.clone();
            AddressLiteral::new(cleaned).ok().map(DomainPart::Literal)
        } else {
            let mut d = String::new();
            loop {
                if let Some(atom) = self.c.atom() {
                    d.push_str(&text(atom));
                }
                let before = self.c.pos();
                self.c.skip_cfws();
                if self.c.eat(b'.') {
                    if self.c.pos() != before + 1 {
                        obsolete = true;
                    }
                    d.push('.');
                    self.c.skip_cfws();
                    continue;
                }
                self.c.set_pos(before);
                break;
            }
            domain_text = d.clone();
            match self.mode {
                Mode::Strict => Domain::new(d).ok().map(DomainPart::Domain),
                Mode::Lenient => Domain::new_lenient(d).ok().map(DomainPart::Domain),
            }
        };
        let _ = stop;
        let raw = format!("{local}@{domain_text}");
        if obsolete {
            self.defect(DefectKind::ObsoleteSyntax);
        }
        let local_part = if is_dot_atom(local.as_bytes()) || is_quoted_string(local.as_bytes()) {
            Some(LocalPart(Cow::Owned(local.clone())))
        } else if self.mode == Mode::Lenient && !local.is_empty() && !broken {
            // obs-local-part with quoted words, or consecutive dots.
            self.defect(DefectKind::ObsoleteSyntax);
            Some(LocalPart(Cow::Owned(local.clone())))
        } else {
            None
        };
        let spec = match (local_part, domain) {
            (Some(l), Some(d)) if !broken => Some(AddrSpec {
                local_part: l,
                domain: d,
            }),
            _ => None,
        };
        if spec.is_none() {
            self.defect(INVALID);
        }
        if self.mode == Mode::Strict {
            let ok = spec.as_ref().is_some_and(|s| {
                s.local_part.0.len() <= MAX_LOCAL_PART
                    && s.domain.as_str().len() <= MAX_DOMAIN
                    && LocalPart::new(s.local_part.0.as_ref()).is_ok()
            }) && !obsolete;
            if !ok {
                self.defect(INVALID);
                return None;
            }
        }
        Some((spec, Cow::Owned(raw)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailboxes(value: &str) -> Vec<(Option<String>, String)> {
        let (list, _) = AddressList::parse(value.as_bytes(), Mode::Lenient);
        list.mailboxes()
            .map(|m| (m.name().map(str::to_owned), m.raw_address().to_owned()))
            .collect()
    }

    /// RFC 5322 Appendix A.1.2 and A.1.3.
    #[test]
    fn rfc5322_appendix_a1() {
        assert_eq!(
            mailboxes("\"Joe Q. Public\" <john.q.public@example.com>"),
            [(
                Some("Joe Q. Public".into()),
                "john.q.public@example.com".into()
            )]
        );
        assert_eq!(
            mailboxes("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>"),
            [
                (Some("Mary Smith".into()), "mary@x.test".into()),
                (None, "jdoe@example.org".into()),
                (Some("Who?".into()), "one@y.test".into())
            ]
        );
        assert_eq!(
            mailboxes("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>")[1]
                .0
                .as_deref(),
            Some("Giant; \"Big\" Box")
        );
        let (list, _) = AddressList::parse(
            b"A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
            Mode::Strict,
        );
        let Address::Group(g) = &list.addresses()[0] else {
            panic!()
        };
        assert_eq!((g.name(), g.members().len()), ("A Group", 3));
        let (list, defects) = AddressList::parse(b"Undisclosed recipients:;", Mode::Strict);
        assert!(defects.is_empty());
        assert!(matches!(&list.addresses()[0], Address::Group(g) if g.members().is_empty()));
    }

    /// RFC 5322 Appendix A.5 and A.6.
    #[test]
    fn rfc5322_white_space_comments_and_obsolete() {
        assert_eq!(
            mailboxes("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>"),
            [(Some("Pete".into()), "pete@silly.test".into())]
        );
        assert_eq!(
            mailboxes("Chris Jones <c@(Chris's host.)public.example>"),
            [(Some("Chris Jones".into()), "c@public.example".into())]
        );
        // A.6.1: obsolete route and list syntax.
        assert_eq!(
            mailboxes("Joe Q. Public <john.q.public@example.com>")[0]
                .0
                .as_deref(),
            Some("Joe Q. Public")
        );
        let (list, defects) = AddressList::parse(
            b"Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
            Mode::Lenient,
        );
        let got: Vec<_> = list
            .mailboxes()
            .map(|m| m.raw_address().to_owned())
            .collect();
        assert_eq!(got, ["mary@example.net", "jdoe@test.example"]);
        assert_eq!(defects, vec![DefectKind::ObsoleteSyntax]);
        let (list, _) = AddressList::parse(b"jdoe@test  . example", Mode::Strict);
        assert!(list.is_empty());
    }

    #[test]
    fn encoded_display_names_and_quoted_local_parts() {
        assert_eq!(
            mailboxes("=?ISO-8859-1?Q?Keld_J=F8rn?= =?ISO-8859-1?Q?_Simonsen?= <keld@dkuug.dk>"),
            [(Some("Keld Jørn Simonsen".into()), "keld@dkuug.dk".into())]
        );
        assert_eq!(
            mailboxes("\"john..doe\"@example.org")[0].1,
            "\"john..doe\"@example.org"
        );
        assert_eq!(
            mailboxes("<\"a b\"@[IPv6:2001:db8::1]>")[0].1,
            "\"a b\"@[IPv6:2001:db8::1]"
        );
        let (list, _) = AddressList::parse(b"x <\"a b\"@[IPv6:2001:db8::1]>", Mode::Strict);
        let spec = list.mailboxes().next().unwrap().addr_spec().unwrap();
        assert_eq!(spec.local_part().content(), "a b");
    }

    #[test]
    fn strict_lengths() {
        let long = format!("{}@example.org", "a".repeat(65));
        assert_eq!(
            AddrSpec::try_from(long.as_str()),
            Err(AddressError::LocalPartTooLong(65))
        );
        let (list, defects) = AddressList::parse(long.as_bytes(), Mode::Strict);
        assert!(list.is_empty());
        assert_eq!(defects, vec![INVALID]);
        assert_eq!(
            AddressList::parse(long.as_bytes(), Mode::Lenient)
                .0
                .mailboxes()
                .count(),
            1
        );
        let domain = format!("a@{}.org", vec!["b".repeat(60); 5].join("."));
        assert!(matches!(
            AddrSpec::try_from(domain.as_str()),
            Err(AddressError::DomainTooLong(_))
        ));
        assert_eq!(
            Domain::new("a".repeat(64)),
            Err(AddressError::LabelTooLong(64))
        );
    }

    #[test]
    fn broken_addresses() {
        let (list, defects) = AddressList::parse(b"joe, <bad, ok@x.test", Mode::Lenient);
        let got: Vec<_> = list
            .mailboxes()
            .map(|m| m.raw_address().to_owned())
            .collect();
        assert_eq!(got[0], "joe");
        assert!(got.contains(&"ok@x.test".to_owned()));
        assert!(defects.contains(&INVALID));
        assert!(AddressList::parse(b"", Mode::Lenient).0.is_empty());
        assert!(
            AddressList::parse(b"<>", Mode::Lenient)
                .0
                .mailboxes()
                .next()
                .unwrap()
                .addr_spec()
                .is_none()
        );
    }
}
