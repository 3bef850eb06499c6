//! The ENVELOPE fetch item ([RFC 9051 §7.5.2]): the parsed header of a
//! message, each field a string or `NIL`.
//!
//! [RFC 9051 §7.5.2]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5.2

use crate::types::core::NString;

/// An envelope.
///
/// ```abnf
/// envelope = "(" env-date SP env-subject SP env-from SP
///            env-sender SP env-reply-to SP env-to SP env-cc SP
///            env-bcc SP env-in-reply-to SP env-message-id ")"
/// env-from = "(" 1*address ")" / nil   ; likewise sender, reply-to, to, cc, bcc
/// ```
///
/// An empty address list is sent as `NIL`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope<'a> {
    /// `Date:`.
    pub date: NString<'a>,
    /// `Subject:`.
    pub subject: NString<'a>,
    /// `From:`.
    pub from: Vec<Address<'a>>,
    /// `Sender:`.
    pub sender: Vec<Address<'a>>,
    /// `Reply-To:`.
    pub reply_to: Vec<Address<'a>>,
    /// `To:`.
    pub to: Vec<Address<'a>>,
    /// `Cc:`.
    pub cc: Vec<Address<'a>>,
    /// `Bcc:`.
    pub bcc: Vec<Address<'a>>,
    /// `In-Reply-To:`.
    pub in_reply_to: NString<'a>,
    /// `Message-ID:`.
    pub message_id: NString<'a>,
}

/// An address in an envelope; group syntax is a `NIL` host with the group
/// name in `mailbox` (start) or a `NIL` mailbox (end).
///
/// ```abnf
/// address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address<'a> {
    /// The phrase (display name).
    pub name: NString<'a>,
    /// The source route (obsolete).
    pub adl: NString<'a>,
    /// The local part, or the group name.
    pub mailbox: NString<'a>,
    /// The domain, `NIL` for group markers.
    pub host: NString<'a>,
}
