//! The values of a delivery status notification ([RFC 3464 §2]).
//!
//! [RFC 3464 §2]: https://www.rfc-editor.org/rfc/rfc3464#section-2

use std::fmt;

/// A `type; value` field, as in `Reporting-MTA: dns; mx.example.org` or
/// `Final-Recipient: rfc822; jdoe@example.org` ([RFC 3464 §2.1.2]).
///
/// [RFC 3464 §2.1.2]: https://www.rfc-editor.org/rfc/rfc3464#section-2.1.2
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypedValue {
    /// The type: `dns`, `rfc822`, `smtp`, `x-…`. Compared case-insensitively.
    pub kind: String,
    /// The value after the `;`, leading and trailing spaces removed.
    pub value: String,
}

impl TypedValue {
    /// A typed value; CR, LF and other controls become spaces.
    ///
    /// ```
    /// use mailwire_message::dsn::TypedValue;
    /// let mta = TypedValue::new("dns", "mx.example.org");
    /// assert_eq!(mta.to_string(), "dns; mx.example.org");
    /// ```
    pub fn new(kind: &str, value: &str) -> Self {
        Self {
            kind: one_line(kind).trim().to_owned(),
            value: one_line(value).trim().to_owned(),
        }
    }

    /// Whether the type is `kind`, ignoring case.
    pub fn is(&self, kind: &str) -> bool {
        self.kind.eq_ignore_ascii_case(kind)
    }
}

impl fmt::Display for TypedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.kind, self.value)
    }
}

/// The `Action` of a recipient ([RFC 3464 §2.3.3]).
///
/// ```abnf
/// action-value = "failed" / "delayed" / "delivered" / "relayed" / "expanded"
/// ```
///
/// [RFC 3464 §2.3.3]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.3
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The message could not be delivered and will not be tried again.
    Failed,
    /// Not delivered yet; will be tried again.
    Delayed,
    /// Delivered to the recipient.
    Delivered,
    /// Relayed to a system that sends no DSN.
    Relayed,
    /// Delivered and forwarded to several other addresses.
    Expanded,
}

impl Action {
    /// The field value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Failed => "failed",
            Self::Delayed => "delayed",
            Self::Delivered => "delivered",
            Self::Relayed => "relayed",
            Self::Expanded => "expanded",
        }
    }

    /// The action named `value`, ignoring case.
    ///
    /// ```
    /// use mailwire_message::dsn::Action;
    /// assert_eq!(Action::parse("Failed"), Some(Action::Failed));
    /// assert_eq!(Action::parse("bounced"), None);
    /// ```
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Failed,
            Self::Delayed,
            Self::Delivered,
            Self::Relayed,
            Self::Expanded,
        ]
        .into_iter()
        .find(|action| action.as_str().eq_ignore_ascii_case(value))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An [RFC 3463] status code, `class.subject.detail`.
///
/// ```abnf
/// status-code = DIGIT "." 1*3DIGIT "." 1*3DIGIT
/// ```
///
/// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
///
/// ```
/// use mailwire_message::dsn::StatusCode;
/// let status = StatusCode::parse("5.1.1").unwrap();
/// assert!(status.is_permanent());
/// assert_eq!(status.to_string(), "5.1.1");
/// assert_eq!(StatusCode::parse("6.0.0"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusCode {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent).
    pub class: u8,
    /// The subject, 0 to 999.
    pub subject: u16,
    /// The detail, 0 to 999.
    pub detail: u16,
}

impl StatusCode {
    /// A code, if the class is 2, 4 or 5 and the others below 1000.
    pub const fn new(class: u8, subject: u16, detail: u16) -> Option<Self> {
        if matches!(class, 2 | 4 | 5) && subject < 1000 && detail < 1000 {
            Some(Self {
                class,
                subject,
                detail,
            })
        } else {
            None
        }
    }

    /// Parses `status-code`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let class = parse_digits(parts.next()?, 1)?;
        let subject = parse_digits(parts.next()?, 3)?;
        let detail = parse_digits(parts.next()?, 3)?;
        if parts.next().is_some() {
            return None;
        }
        Self::new(u8::try_from(class).ok()?, subject, detail)
    }

    /// Class 5.
    pub const fn is_permanent(self) -> bool {
        self.class == 5
    }
}

fn parse_digits(text: &str, max: usize) -> Option<u16> {
    if text.is_empty() || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// The per-message fields ([RFC 3464 §2.2]).
///
/// [RFC 3464 §2.2]: https://www.rfc-editor.org/rfc/rfc3464#section-2.2
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PerMessage {
    /// `Original-Envelope-Id`: the `ENVID` given with MAIL ([RFC 3464 §2.2.1]).
    ///
    /// [RFC 3464 §2.2.1]: https://www.rfc-editor.org/rfc/rfc3464#section-2.2.1
    pub original_envelope_id: Option<String>,
    /// `Reporting-MTA`, required ([RFC 3464 §2.2.2]).
    ///
    /// [RFC 3464 §2.2.2]: https://www.rfc-editor.org/rfc/rfc3464#section-2.2.2
    pub reporting_mta: TypedValue,
    /// `DSN-Gateway` ([RFC 3464 §2.2.3]).
    ///
    /// [RFC 3464 §2.2.3]: https://www.rfc-editor.org/rfc/rfc3464#section-2.2.3
    pub dsn_gateway: Option<TypedValue>,
    /// `Received-From-MTA` ([RFC 3464 §2.2.4]).
    ///
    /// [RFC 3464 §2.2.4]: https://www.rfc-editor.org/rfc/rfc3464#section-2.2.4
    pub received_from_mta: Option<TypedValue>,
    /// `Arrival-Date`, an RFC 5322 date-time ([RFC 3464 §2.2.5]).
    ///
    /// [RFC 3464 §2.2.5]: https://www.rfc-editor.org/rfc/rfc3464#section-2.2.5
    pub arrival_date: Option<String>,
    /// Other fields, in order ([RFC 3464 §2.4]).
    ///
    /// [RFC 3464 §2.4]: https://www.rfc-editor.org/rfc/rfc3464#section-2.4
    pub extensions: Vec<(String, String)>,
}

impl PerMessage {
    /// Per-message fields with only `Reporting-MTA: dns; <mta>`.
    pub fn new(reporting_mta: &str) -> Self {
        Self {
            original_envelope_id: None,
            reporting_mta: TypedValue::new("dns", reporting_mta),
            dsn_gateway: None,
            received_from_mta: None,
            arrival_date: None,
            extensions: Vec::new(),
        }
    }
}

/// The fields of one recipient ([RFC 3464 §2.3]).
///
/// [RFC 3464 §2.3]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PerRecipient {
    /// `Original-Recipient`: the `ORCPT` given with RCPT ([RFC 3464 §2.3.1]).
    ///
    /// [RFC 3464 §2.3.1]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.1
    pub original_recipient: Option<TypedValue>,
    /// `Final-Recipient`, required ([RFC 3464 §2.3.2]).
    ///
    /// [RFC 3464 §2.3.2]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.2
    pub final_recipient: TypedValue,
    /// `Action`, required ([RFC 3464 §2.3.3]).
    ///
    /// [RFC 3464 §2.3.3]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.3
    pub action: Action,
    /// `Status`, required ([RFC 3464 §2.3.4]).
    ///
    /// [RFC 3464 §2.3.4]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.4
    pub status: StatusCode,
    /// A comment after the status code, without its parentheses.
    pub status_comment: Option<String>,
    /// `Remote-MTA` ([RFC 3464 §2.3.5]).
    ///
    /// [RFC 3464 §2.3.5]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.5
    pub remote_mta: Option<TypedValue>,
    /// `Diagnostic-Code`, e.g. `smtp; 550 5.1.1 unknown` ([RFC 3464 §2.3.6]).
    ///
    /// [RFC 3464 §2.3.6]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.6
    pub diagnostic_code: Option<TypedValue>,
    /// `Last-Attempt-Date` ([RFC 3464 §2.3.7]).
    ///
    /// [RFC 3464 §2.3.7]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.7
    pub last_attempt_date: Option<String>,
    /// `Final-Log-ID` ([RFC 3464 §2.3.8]).
    ///
    /// [RFC 3464 §2.3.8]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.8
    pub final_log_id: Option<String>,
    /// `Will-Retry-Until` ([RFC 3464 §2.3.9]), for `delayed`.
    ///
    /// [RFC 3464 §2.3.9]: https://www.rfc-editor.org/rfc/rfc3464#section-2.3.9
    pub will_retry_until: Option<String>,
    /// Other fields, in order ([RFC 3464 §2.4]).
    ///
    /// [RFC 3464 §2.4]: https://www.rfc-editor.org/rfc/rfc3464#section-2.4
    pub extensions: Vec<(String, String)>,
}

impl PerRecipient {
    /// A recipient with the required fields; `Final-Recipient` is
    /// `rfc822; <address>`.
    pub fn new(address: &str, action: Action, status: StatusCode) -> Self {
        Self {
            original_recipient: None,
            final_recipient: TypedValue::new("rfc822", address),
            action,
            status,
            status_comment: None,
            remote_mta: None,
            diagnostic_code: None,
            last_attempt_date: None,
            final_log_id: None,
            will_retry_until: None,
            extensions: Vec::new(),
        }
    }
}

/// The body of a `message/delivery-status` part ([RFC 3464 §2.1]).
///
/// [RFC 3464 §2.1]: https://www.rfc-editor.org/rfc/rfc3464#section-2.1
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeliveryStatus {
    /// The per-message fields.
    pub per_message: PerMessage,
    /// One group of fields per recipient; at least one.
    pub recipients: Vec<PerRecipient>,
}

/// How much of the original message a DSN returns (`RET=`, [RFC 3461 §4.3]).
///
/// [RFC 3461 §4.3]: https://www.rfc-editor.org/rfc/rfc3461#section-4.3
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Returned {
    /// `RET=FULL`: the whole message, as `message/rfc822`.
    Full,
    /// `RET=HDRS` (and the default): its header section, as
    /// `text/rfc822-headers` ([RFC 6522 §4]).
    ///
    /// [RFC 6522 §4]: https://www.rfc-editor.org/rfc/rfc6522#section-4
    Headers,
    /// Nothing (a delay notice, or no content kept).
    Nothing,
}

/// Replaces CR, LF and other controls by spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
