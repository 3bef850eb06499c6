//! Capabilities ([RFC 9051 §7.2.2]): a registry newtype with constants,
//! as h2's `Reason`; unknown capabilities are kept.
//!
//! [RFC 9051 §7.2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-7.2.2
//!
//! ```
//! use mailwire_imap::Capability;
//!
//! let c = Capability::try_from("literal+").unwrap();
//! assert_eq!(c, Capability::LITERAL_PLUS);
//! let auth = Capability::try_from("AUTH=PLAIN").unwrap();
//! assert_eq!(auth.auth_mechanism(), Some("PLAIN"));
//! assert_eq!(Capability::try_from("X-UNKNOWN").unwrap().as_str(), "X-UNKNOWN");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::error::ValueError;
use crate::types::core::Atom;

/// A capability name, compared ASCII case-insensitively.
///
/// ```abnf
/// capability = ("AUTH=" auth-type) / atom
///              ; New capabilities SHOULD begin with "X" or be
///              ; registered with IANA
/// auth-type  = atom
/// ```
#[derive(Clone)]
pub struct Capability<'a>(Cow<'a, str>);

macro_rules! constants {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        impl Capability<'static> {
            $($(#[$doc])* pub const $name: Capability<'static> = Capability(Cow::Borrowed($value));)*
        }
    };
}

constants! {
    /// `IMAP4rev1` ([RFC 3501](https://www.rfc-editor.org/rfc/rfc3501)).
    IMAP4REV1 = "IMAP4rev1";
    /// `IMAP4rev2` ([RFC 9051](https://www.rfc-editor.org/rfc/rfc9051)).
    IMAP4REV2 = "IMAP4rev2";
    /// `STARTTLS` ([RFC 9051 §6.2.1](https://www.rfc-editor.org/rfc/rfc9051#section-6.2.1)).
    STARTTLS = "STARTTLS";
    /// `LOGINDISABLED` ([RFC 9051 §6.2.3](https://www.rfc-editor.org/rfc/rfc9051#section-6.2.3)).
    LOGINDISABLED = "LOGINDISABLED";
    /// `LITERAL+` ([RFC 7888](https://www.rfc-editor.org/rfc/rfc7888)).
    LITERAL_PLUS = "LITERAL+";
    /// `LITERAL-` ([RFC 7888](https://www.rfc-editor.org/rfc/rfc7888)).
    LITERAL_MINUS = "LITERAL-";
    /// `ENABLE` ([RFC 5161](https://www.rfc-editor.org/rfc/rfc5161)).
    ENABLE = "ENABLE";
    /// `IDLE` ([RFC 2177](https://www.rfc-editor.org/rfc/rfc2177)).
    IDLE = "IDLE";
    /// `UIDPLUS` ([RFC 4315](https://www.rfc-editor.org/rfc/rfc4315)).
    UIDPLUS = "UIDPLUS";
    /// `MOVE` ([RFC 6851](https://www.rfc-editor.org/rfc/rfc6851)).
    MOVE = "MOVE";
    /// `UNSELECT` ([RFC 3691](https://www.rfc-editor.org/rfc/rfc3691)).
    UNSELECT = "UNSELECT";
    /// `NAMESPACE` ([RFC 2342](https://www.rfc-editor.org/rfc/rfc2342)).
    NAMESPACE = "NAMESPACE";
    /// `ID` ([RFC 2971](https://www.rfc-editor.org/rfc/rfc2971)).
    ID = "ID";
    /// `SASL-IR` ([RFC 4959](https://www.rfc-editor.org/rfc/rfc4959)).
    SASL_IR = "SASL-IR";
    /// `SPECIAL-USE` ([RFC 6154](https://www.rfc-editor.org/rfc/rfc6154)).
    SPECIAL_USE = "SPECIAL-USE";
    /// `CREATE-SPECIAL-USE` ([RFC 6154 §3](https://www.rfc-editor.org/rfc/rfc6154#section-3)).
    CREATE_SPECIAL_USE = "CREATE-SPECIAL-USE";
    /// `LIST-EXTENDED` ([RFC 5258](https://www.rfc-editor.org/rfc/rfc5258)).
    LIST_EXTENDED = "LIST-EXTENDED";
    /// `LIST-STATUS` ([RFC 5819](https://www.rfc-editor.org/rfc/rfc5819)).
    LIST_STATUS = "LIST-STATUS";
    /// `ESEARCH` ([RFC 4731](https://www.rfc-editor.org/rfc/rfc4731)).
    ESEARCH = "ESEARCH";
    /// `SEARCHRES` ([RFC 5182](https://www.rfc-editor.org/rfc/rfc5182)).
    SEARCHRES = "SEARCHRES";
    /// `SORT` ([RFC 5256](https://www.rfc-editor.org/rfc/rfc5256)).
    SORT = "SORT";
    /// `THREAD=REFERENCES` ([RFC 5256](https://www.rfc-editor.org/rfc/rfc5256)).
    THREAD_REFERENCES = "THREAD=REFERENCES";
    /// `THREAD=ORDEREDSUBJECT` ([RFC 5256](https://www.rfc-editor.org/rfc/rfc5256)).
    THREAD_ORDEREDSUBJECT = "THREAD=ORDEREDSUBJECT";
    /// `CONDSTORE` ([RFC 7162](https://www.rfc-editor.org/rfc/rfc7162)).
    CONDSTORE = "CONDSTORE";
    /// `QRESYNC` ([RFC 7162](https://www.rfc-editor.org/rfc/rfc7162)).
    QRESYNC = "QRESYNC";
    /// `QUOTA` ([RFC 9208](https://www.rfc-editor.org/rfc/rfc9208)).
    QUOTA = "QUOTA";
    /// `QUOTA=RES-STORAGE` ([RFC 9208 §5](https://www.rfc-editor.org/rfc/rfc9208#section-5)).
    QUOTA_RES_STORAGE = "QUOTA=RES-STORAGE";
    /// `QUOTA=RES-MESSAGE` ([RFC 9208 §5](https://www.rfc-editor.org/rfc/rfc9208#section-5)).
    QUOTA_RES_MESSAGE = "QUOTA=RES-MESSAGE";
    /// `QUOTASET` ([RFC 9208](https://www.rfc-editor.org/rfc/rfc9208)).
    QUOTASET = "QUOTASET";
    /// `ACL` ([RFC 4314](https://www.rfc-editor.org/rfc/rfc4314)).
    ACL = "ACL";
    /// `METADATA` ([RFC 5464](https://www.rfc-editor.org/rfc/rfc5464)).
    METADATA = "METADATA";
    /// `METADATA-SERVER` ([RFC 5464](https://www.rfc-editor.org/rfc/rfc5464)).
    METADATA_SERVER = "METADATA-SERVER";
    /// `BINARY` ([RFC 3516](https://www.rfc-editor.org/rfc/rfc3516)).
    BINARY = "BINARY";
    /// `OBJECTID` ([RFC 8474](https://www.rfc-editor.org/rfc/rfc8474)).
    OBJECTID = "OBJECTID";
    /// `COMPRESS=DEFLATE` ([RFC 4978](https://www.rfc-editor.org/rfc/rfc4978)).
    COMPRESS_DEFLATE = "COMPRESS=DEFLATE";
    /// `UTF8=ACCEPT` ([RFC 6855](https://www.rfc-editor.org/rfc/rfc6855)).
    UTF8_ACCEPT = "UTF8=ACCEPT";
    /// `STATUS=SIZE` ([RFC 8438](https://www.rfc-editor.org/rfc/rfc8438)).
    STATUS_SIZE = "STATUS=SIZE";
    /// `WITHIN` ([RFC 5032](https://www.rfc-editor.org/rfc/rfc5032)).
    WITHIN = "WITHIN";
    /// `CHILDREN` ([RFC 3348](https://www.rfc-editor.org/rfc/rfc3348)).
    CHILDREN = "CHILDREN";
    /// `MULTIAPPEND` ([RFC 3502](https://www.rfc-editor.org/rfc/rfc3502)).
    MULTIAPPEND = "MULTIAPPEND";
    /// `APPENDLIMIT` without a value ([RFC 7889](https://www.rfc-editor.org/rfc/rfc7889)).
    APPENDLIMIT = "APPENDLIMIT";
}

impl<'a> Capability<'a> {
    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For `AUTH=<mechanism>`, the mechanism.
    pub fn auth_mechanism(&self) -> Option<&str> {
        let s = self.as_str();
        s.get(..5)
            .filter(|p| p.eq_ignore_ascii_case("AUTH="))
            .and_then(|_| s.get(5..))
    }

    /// For `APPENDLIMIT=<n>` ([RFC 7889 §3]), the limit.
    ///
    /// [RFC 7889 §3]: https://www.rfc-editor.org/rfc/rfc7889#section-3
    ///
    /// ```
    /// let c = mailwire_imap::Capability::try_from("APPENDLIMIT=257890").unwrap();
    /// assert_eq!(c.append_limit(), Some(257890));
    /// ```
    pub fn append_limit(&self) -> Option<u64> {
        let s = self.as_str();
        s.get(..12)
            .filter(|p| p.eq_ignore_ascii_case("APPENDLIMIT="))
            .and_then(|_| s.get(12..))
            .and_then(|n| n.parse().ok())
    }

    /// `AUTH=<mechanism>`.
    pub fn auth(mechanism: &str) -> Result<Capability<'static>, ValueError> {
        Atom::validate(mechanism)?;
        Ok(Capability(Cow::Owned(format!("AUTH={mechanism}"))))
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Capability<'static> {
        Capability(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) fn unchecked(s: impl Into<Cow<'a, str>>) -> Self {
        Self(s.into())
    }
}

impl<'a> From<Atom<'a>> for Capability<'a> {
    fn from(atom: Atom<'a>) -> Self {
        Capability(atom.into_inner())
    }
}

impl<'a> TryFrom<&'a str> for Capability<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Atom::validate(s)?;
        Ok(Capability(Cow::Borrowed(s)))
    }
}

impl TryFrom<String> for Capability<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Atom::validate(&s)?;
        Ok(Capability(Cow::Owned(s)))
    }
}

impl PartialEq for Capability<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Capability<'_> {}

impl Hash for Capability<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_uppercase());
        }
        state.write_u8(0xff);
    }
}

impl fmt::Debug for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Capability({})", self.0)
    }
}

impl fmt::Display for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
