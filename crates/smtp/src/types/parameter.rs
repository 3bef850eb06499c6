//! `MAIL` and `RCPT` parameters ([RFC 5321 §4.1.2]) and the extensions that
//! define them: SIZE ([RFC 1870]), BODY ([RFC 6152], [RFC 3030]), SMTPUTF8
//! ([RFC 6531]), RET/ENVID/NOTIFY/ORCPT ([RFC 3461]), AUTH= ([RFC 4954 §5]),
//! REQUIRETLS ([RFC 8689]) and MT-PRIORITY (RFC 6710).
//!
//! Known parameters are typed fields; any other parameter is kept as a
//! [`Parameter`], never dropped.
//!
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//! [RFC 1870]: https://www.rfc-editor.org/rfc/rfc1870
//! [RFC 6152]: https://www.rfc-editor.org/rfc/rfc6152
//! [RFC 3030]: https://www.rfc-editor.org/rfc/rfc3030
//! [RFC 6531]: https://www.rfc-editor.org/rfc/rfc6531
//! [RFC 3461]: https://www.rfc-editor.org/rfc/rfc3461
//! [RFC 4954 §5]: https://www.rfc-editor.org/rfc/rfc4954#section-5
//! [RFC 8689]: https://www.rfc-editor.org/rfc/rfc8689
//!
//! ```
//! use mailwire_smtp::{BodyType, MailParameters};
//! let mut parameters = MailParameters::default();
//! parameters.size = Some(1_000);
//! parameters.body = Some(BodyType::EightBitMime);
//! assert_eq!(parameters.to_string(), " SIZE=1000 BODY=8BITMIME");
//! ```

use std::borrow::Cow;
use std::fmt;

use mailwire_core::error::Found;

use crate::Error;

/// Keywords with a typed field in [`MailParameters`] or [`RcptParameters`].
pub(crate) const KNOWN_KEYWORDS: &[&str] = &[
    "SIZE",
    "BODY",
    "SMTPUTF8",
    "RET",
    "ENVID",
    "AUTH",
    "REQUIRETLS",
    "MT-PRIORITY",
    "NOTIFY",
    "ORCPT",
];

/// Any parameter without a typed field ([RFC 5321 §4.1.2]).
///
/// ```abnf
/// esmtp-param   = esmtp-keyword ["=" esmtp-value]
/// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// esmtp-value   = 1*(%d33-60 / %d62-126 / UTF8-non-ascii)
/// ```
///
/// [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
///
/// ```
/// use mailwire_smtp::Parameter;
/// let p = Parameter::new("XCLIENT-ID", Some("42")).unwrap();
/// assert_eq!(p.to_string(), "XCLIENT-ID=42");
/// assert!(Parameter::new("X", Some("a b")).is_err());
/// assert!(Parameter::new("SIZE", Some("1")).is_err()); // has a typed field
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parameter<'a> {
    keyword: Cow<'a, str>,
    value: Option<Cow<'a, str>>,
}

impl<'a> Parameter<'a> {
    /// A parameter, validated; keywords that have a typed field are refused.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a bad keyword or value.
    pub fn new(keyword: &'a str, value: Option<&'a str>) -> Result<Self, Error> {
        if KNOWN_KEYWORDS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(keyword))
        {
            return Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "unknown esmtp-keyword",
                found: keyword
                    .bytes()
                    .next()
                    .map_or(Found::EndOfInput, Found::Byte),
            }));
        }
        crate::parse::parameter::validate_keyword(keyword.as_bytes())?;
        if let Some(value) = value {
            crate::parse::parameter::validate_value(value.as_bytes())?;
        }
        Ok(Self {
            keyword: Cow::Borrowed(keyword),
            value: value.map(Cow::Borrowed),
        })
    }

    pub(crate) const fn from_parts_unchecked(
        keyword: Cow<'a, str>,
        value: Option<Cow<'a, str>>,
    ) -> Self {
        Self { keyword, value }
    }

    /// The keyword, as sent.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Parameter::new("X-A", None).unwrap().keyword(), "X-A");
    /// ```
    pub fn keyword(&self) -> &str {
        &self.keyword
    }

    /// The value, if any.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Parameter::new("X-A", None).unwrap().value(), None);
    /// ```
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// Detaches the parameter from the buffer it borrows from.
    pub fn into_static(self) -> Parameter<'static> {
        Parameter {
            keyword: Cow::Owned(self.keyword.into_owned()),
            value: self.value.map(|v| Cow::Owned(v.into_owned())),
        }
    }
}

/// A value carried as `xtext` on the wire ([RFC 3461 §4]); this holds the
/// decoded text, printable ASCII (`%d32-126`).
///
/// ```abnf
/// xtext   = *( xchar / hexchar )
/// xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
///           except for "+" and "="
/// hexchar = ASCII "+" immediately followed by two upper case
///           hexadecimal digits
/// ```
///
/// [RFC 3461 §4]: https://www.rfc-editor.org/rfc/rfc3461#section-4
///
/// ```
/// use mailwire_smtp::XText;
/// let id = XText::try_from("QQ 314159+x=y").unwrap();
/// assert_eq!(id.to_xtext(), "QQ+20314159+2Bx+3Dy");
/// assert!(XText::try_from("tab\there").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XText<'a>(Cow<'a, str>);

impl<'a> XText<'a> {
    /// Checks that `text` is printable ASCII.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) at the first other byte.
    pub fn validate(text: &str) -> Result<(), Error> {
        match text.bytes().position(|b| !matches!(b, 32..=126)) {
            None => Ok(()),
            Some(at) => Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: at as u64,
                expected: "xtext",
                found: text
                    .as_bytes()
                    .get(at)
                    .map_or(Found::EndOfInput, |&b| Found::Byte(b)),
            })),
        }
    }

    /// The decoded text.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::XText::try_from("a b").unwrap().as_str(), "a b");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `xtext` encoding of the text.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::XText::try_from("<>").unwrap().to_xtext(), "<>");
    /// ```
    pub fn to_xtext(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        crate::encode::parameter::push_xtext(&self.0, &mut out);
        out
    }

    /// Detaches the text from the buffer it borrows from.
    pub fn into_static(self) -> XText<'static> {
        XText(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) const fn from_cow_unchecked(text: Cow<'a, str>) -> Self {
        XText(text)
    }
}

impl<'a> TryFrom<&'a str> for XText<'a> {
    type Error = Error;
    fn try_from(text: &'a str) -> Result<Self, Error> {
        Self::validate(text)?;
        Ok(XText(Cow::Borrowed(text)))
    }
}

impl TryFrom<String> for XText<'static> {
    type Error = Error;
    fn try_from(text: String) -> Result<Self, Error> {
        Self::validate(&text)?;
        Ok(XText(Cow::Owned(text)))
    }
}

/// The body type of a message, `BODY=` ([RFC 6152 §2], [RFC 3030 §3]).
///
/// [RFC 6152 §2]: https://www.rfc-editor.org/rfc/rfc6152#section-2
/// [RFC 3030 §3]: https://www.rfc-editor.org/rfc/rfc3030#section-3
///
/// ```
/// assert_eq!(mailwire_smtp::BodyType::BinaryMime.as_str(), "BINARYMIME");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyType {
    /// `7BIT`
    SevenBit,
    /// `8BITMIME`
    EightBitMime,
    /// `BINARYMIME`: needs `BDAT`.
    BinaryMime,
}

impl BodyType {
    /// The keyword value.
    pub const fn as_str(self) -> &'static str {
        match self {
            BodyType::SevenBit => "7BIT",
            BodyType::EightBitMime => "8BITMIME",
            BodyType::BinaryMime => "BINARYMIME",
        }
    }
}

/// What a non-delivery notification returns, `RET=` ([RFC 3461 §4.3]).
///
/// [RFC 3461 §4.3]: https://www.rfc-editor.org/rfc/rfc3461#section-4.3
///
/// ```
/// assert_eq!(mailwire_smtp::Ret::Headers.as_str(), "HDRS");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ret {
    /// `FULL`: the whole message.
    Full,
    /// `HDRS`: the headers only.
    Headers,
}

impl Ret {
    /// The keyword value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Ret::Full => "FULL",
            Ret::Headers => "HDRS",
        }
    }
}

/// When to send delivery notifications, `NOTIFY=` ([RFC 3461 §4.1]).
///
/// ```abnf
/// notify-esmtp-value = "NEVER" / 1#notify-list-element
/// notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
/// ```
///
/// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
///
/// ```
/// use mailwire_smtp::Notify;
/// let n = Notify::on(true, true, false).unwrap();
/// assert_eq!(n.to_string(), "SUCCESS,FAILURE");
/// assert_eq!(Notify::NEVER.to_string(), "NEVER");
/// assert!(Notify::on(false, false, false).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Notify {
    bits: u8,
}

impl Notify {
    /// `NEVER`.
    pub const NEVER: Self = Self { bits: 0 };
    const SUCCESS: u8 = 1;
    const FAILURE: u8 = 2;
    const DELAY: u8 = 4;

    /// Notify on the given conditions; `None` if none is set (use
    /// [`Notify::NEVER`]).
    pub const fn on(success: bool, failure: bool, delay: bool) -> Option<Self> {
        let bits = (success as u8) | ((failure as u8) << 1) | ((delay as u8) << 2);
        if bits == 0 { None } else { Some(Self { bits }) }
    }

    /// `NEVER`.
    pub const fn is_never(self) -> bool {
        self.bits == 0
    }

    /// `SUCCESS` is set.
    pub const fn success(self) -> bool {
        self.bits & Self::SUCCESS != 0
    }

    /// `FAILURE` is set.
    pub const fn failure(self) -> bool {
        self.bits & Self::FAILURE != 0
    }

    /// `DELAY` is set.
    pub const fn delay(self) -> bool {
        self.bits & Self::DELAY != 0
    }
}

impl fmt::Display for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_never() {
            return f.write_str("NEVER");
        }
        let mut first = true;
        for (set, name) in [
            (self.success(), "SUCCESS"),
            (self.failure(), "FAILURE"),
            (self.delay(), "DELAY"),
        ] {
            if set {
                if !first {
                    f.write_str(",")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

/// The original recipient, `ORCPT=` ([RFC 3461 §4.2]).
///
/// ```abnf
/// orcpt-parameter = "ORCPT=" original-recipient-address
/// original-recipient-address = addr-type ";" xtext
/// addr-type = atom
/// ```
///
/// [RFC 3461 §4.2]: https://www.rfc-editor.org/rfc/rfc3461#section-4.2
///
/// ```
/// use mailwire_smtp::{Orcpt, XText};
/// let orcpt = Orcpt::new("rfc822", XText::try_from("a+b@example.org").unwrap()).unwrap();
/// assert_eq!(orcpt.to_string(), "rfc822;a+2Bb@example.org");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Orcpt<'a> {
    addr_type: Cow<'a, str>,
    address: XText<'a>,
}

impl<'a> Orcpt<'a> {
    /// An original recipient; `addr_type` must be an atom.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a bad address type.
    pub fn new(addr_type: &'a str, address: XText<'a>) -> Result<Self, Error> {
        if addr_type.is_empty()
            || !addr_type
                .bytes()
                .all(|b| b.is_ascii() && crate::parse::path::is_atext(b))
        {
            return Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "addr-type",
                found: addr_type
                    .bytes()
                    .next()
                    .map_or(Found::EndOfInput, Found::Byte),
            }));
        }
        Ok(Self {
            addr_type: Cow::Borrowed(addr_type),
            address,
        })
    }

    pub(crate) const fn from_parts_unchecked(addr_type: Cow<'a, str>, address: XText<'a>) -> Self {
        Self { addr_type, address }
    }

    /// The address type, e.g. `rfc822` or `utf-8`.
    pub fn addr_type(&self) -> &str {
        &self.addr_type
    }

    /// The decoded address.
    pub const fn address(&self) -> &XText<'a> {
        &self.address
    }

    /// Detaches the value from the buffer it borrows from.
    pub fn into_static(self) -> Orcpt<'static> {
        Orcpt {
            addr_type: Cow::Owned(self.addr_type.into_owned()),
            address: self.address.into_static(),
        }
    }
}

impl fmt::Display for Orcpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type, self.address.to_xtext())
    }
}

/// A message priority, `MT-PRIORITY=`, from -9 to 9 (RFC 6710 §3).
///
/// ```
/// use mailwire_smtp::MtPriority;
/// assert_eq!(MtPriority::new(-3).unwrap().get(), -3);
/// assert!(MtPriority::new(10).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MtPriority(i8);

impl MtPriority {
    /// A priority, if `value` is in -9..=9.
    pub const fn new(value: i8) -> Option<Self> {
        if value >= -9 && value <= 9 {
            Some(Self(value))
        } else {
            None
        }
    }

    /// The value.
    pub const fn get(self) -> i8 {
        self.0
    }
}

/// The parameters of `MAIL FROM:` ([RFC 5321 §4.1.1.2]).
///
/// [RFC 5321 §4.1.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.2
///
/// ```
/// use mailwire_smtp::{MailParameters, Ret, XText};
/// let mut p = MailParameters::default();
/// p.ret = Some(Ret::Headers);
/// p.envid = Some(XText::try_from("QQ314159").unwrap());
/// p.smtputf8 = true;
/// assert_eq!(p.to_string(), " SMTPUTF8 RET=HDRS ENVID=QQ314159");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MailParameters<'a> {
    /// `SIZE=`: the message size in octets (RFC 1870 §4).
    pub size: Option<u64>,
    /// `BODY=` (RFC 6152 §2, RFC 3030 §3).
    pub body: Option<BodyType>,
    /// `SMTPUTF8` (RFC 6531 §3.4).
    pub smtputf8: bool,
    /// `RET=` (RFC 3461 §4.3).
    pub ret: Option<Ret>,
    /// `ENVID=` (RFC 3461 §4.4).
    pub envid: Option<XText<'a>>,
    /// `AUTH=`: the authenticated submitter, or `<>` (RFC 4954 §5).
    pub auth: Option<XText<'a>>,
    /// `REQUIRETLS` (RFC 8689 §2).
    pub requiretls: bool,
    /// `MT-PRIORITY=` (RFC 6710 §3).
    pub mt_priority: Option<MtPriority>,
    /// Every other parameter, in order.
    pub other: Vec<Parameter<'a>>,
}

impl MailParameters<'_> {
    /// Detaches the parameters from the buffer they borrow from.
    pub fn into_static(self) -> MailParameters<'static> {
        MailParameters {
            size: self.size,
            body: self.body,
            smtputf8: self.smtputf8,
            ret: self.ret,
            envid: self.envid.map(XText::into_static),
            auth: self.auth.map(XText::into_static),
            requiretls: self.requiretls,
            mt_priority: self.mt_priority,
            other: self.other.into_iter().map(Parameter::into_static).collect(),
        }
    }

    /// `true` if any DSN parameter (RET, ENVID) is set.
    pub const fn has_dsn(&self) -> bool {
        self.ret.is_some() || self.envid.is_some()
    }
}

/// The parameters of `RCPT TO:` ([RFC 5321 §4.1.1.3]).
///
/// [RFC 5321 §4.1.1.3]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.3
///
/// ```
/// use mailwire_smtp::{Notify, RcptParameters};
/// let mut p = RcptParameters::default();
/// p.notify = Some(Notify::on(false, true, true).unwrap());
/// assert_eq!(p.to_string(), " NOTIFY=FAILURE,DELAY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RcptParameters<'a> {
    /// `NOTIFY=` (RFC 3461 §4.1).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461 §4.2).
    pub orcpt: Option<Orcpt<'a>>,
    /// Every other parameter, in order.
    pub other: Vec<Parameter<'a>>,
}

impl RcptParameters<'_> {
    /// Detaches the parameters from the buffer they borrow from.
    pub fn into_static(self) -> RcptParameters<'static> {
        RcptParameters {
            notify: self.notify,
            orcpt: self.orcpt.map(Orcpt::into_static),
            other: self.other.into_iter().map(Parameter::into_static).collect(),
        }
    }

    /// `true` if any DSN parameter (NOTIFY, ORCPT) is set.
    pub const fn has_dsn(&self) -> bool {
        self.notify.is_some() || self.orcpt.is_some()
    }
}

impl fmt::Display for Parameter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.keyword)?;
        if let Some(value) = &self.value {
            write!(f, "={value}")?;
        }
        Ok(())
    }
}

impl fmt::Display for MailParameters<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        crate::encode::parameter::encode_mail_parameters(self, &mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

impl fmt::Display for RcptParameters<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        crate::encode::parameter::encode_rcpt_parameters(self, &mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}
