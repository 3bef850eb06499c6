//! STATUS data items ([RFC 9051 §6.3.11]) and their extensions:
//! `HIGHESTMODSEQ` ([RFC 7162 §3.1.7]), `SIZE` (STATUS=SIZE, [RFC 8438]),
//! `MAILBOXID` ([RFC 8474 §4]), `APPENDLIMIT` ([RFC 7889 §4]), `DELETED-STORAGE`
//! ([RFC 9208 §4.2.4]).
//!
//! [RFC 9208 §4.2.4]: https://www.rfc-editor.org/rfc/rfc9208#section-4.2.4
//!
//! [RFC 9051 §6.3.11]: https://www.rfc-editor.org/rfc/rfc9051#section-6.3.11
//! [RFC 7162 §3.1.7]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.7
//! [RFC 8438]: https://www.rfc-editor.org/rfc/rfc8438
//! [RFC 8474 §4]: https://www.rfc-editor.org/rfc/rfc8474#section-4
//! [RFC 7889 §4]: https://www.rfc-editor.org/rfc/rfc7889#section-4
//!
//! ```
//! use mailwire_imap::StatusItem;
//! assert_eq!(StatusItem::UidNext.name(), "UIDNEXT");
//! assert_eq!(StatusItem::from_name("highestmodseq"), Some(StatusItem::HighestModSeq));
//! ```

/// A STATUS data item name.
///
/// ```abnf
/// status-att = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" /
///              "UNSEEN" / "DELETED" / "SIZE"
///              ; IMAP4rev1 adds "RECENT", RFC 7162 "HIGHESTMODSEQ",
///              ; RFC 8474 "MAILBOXID", RFC 7889 "APPENDLIMIT"
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StatusItem {
    /// `MESSAGES`.
    Messages,
    /// `RECENT` (IMAP4rev1).
    Recent,
    /// `UIDNEXT`.
    UidNext,
    /// `UIDVALIDITY`.
    UidValidity,
    /// `UNSEEN`.
    Unseen,
    /// `DELETED` (IMAP4rev2).
    Deleted,
    /// `SIZE` (IMAP4rev2, STATUS=SIZE).
    Size,
    /// `HIGHESTMODSEQ` (CONDSTORE).
    HighestModSeq,
    /// `MAILBOXID` (OBJECTID).
    MailboxId,
    /// `APPENDLIMIT`.
    AppendLimit,
    /// `DELETED-STORAGE` ([RFC 9208 §4.2.4](https://www.rfc-editor.org/rfc/rfc9208#section-4.2.4)).
    DeletedStorage,
}

const NAMES: [(StatusItem, &str); 11] = [
    (StatusItem::Messages, "MESSAGES"),
    (StatusItem::Recent, "RECENT"),
    (StatusItem::UidNext, "UIDNEXT"),
    (StatusItem::UidValidity, "UIDVALIDITY"),
    (StatusItem::Unseen, "UNSEEN"),
    (StatusItem::Deleted, "DELETED"),
    (StatusItem::Size, "SIZE"),
    (StatusItem::HighestModSeq, "HIGHESTMODSEQ"),
    (StatusItem::MailboxId, "MAILBOXID"),
    (StatusItem::AppendLimit, "APPENDLIMIT"),
    (StatusItem::DeletedStorage, "DELETED-STORAGE"),
];

impl StatusItem {
    /// The wire name.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(item, _)| *item == self)
            .map_or("MESSAGES", |(_, n)| n)
    }

    /// The item of a wire name, case-insensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(item, _)| *item)
    }

    /// Every item, in wire-name order of the table.
    pub fn all() -> impl Iterator<Item = StatusItem> {
        NAMES.iter().map(|(item, _)| *item)
    }
}
