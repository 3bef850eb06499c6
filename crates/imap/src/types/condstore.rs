//! CONDSTORE and QRESYNC parameters and modifiers ([RFC 7162]): SELECT
//! parameters, FETCH `CHANGEDSINCE`/`VANISHED`, STORE `UNCHANGEDSINCE`.
//!
//! [RFC 7162]: https://www.rfc-editor.org/rfc/rfc7162
//!
//! ```
//! use mailwire_imap::{CommandBody, FetchModifier, ParserConfig, parse_command};
//!
//! let c = parse_command(b"a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 7 VANISHED)\r\n", &ParserConfig::default()).unwrap();
//! let CommandBody::Fetch { modifiers, .. } = &c.body else { unreachable!() };
//! assert_eq!(modifiers[1], FetchModifier::Vanished);
//! ```

use std::num::{NonZeroU32, NonZeroU64};

use crate::types::extension::Extension;
use crate::types::sequence::SequenceSet;

/// A SELECT/EXAMINE parameter ([RFC 4466 §2.1], [RFC 7162 §3.1.8, §3.2.5]).
///
/// ```abnf
/// select-param = "CONDSTORE" /
///                "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
///                [SP known-uids] [SP seq-match-data] ")"
/// seq-match-data = "(" known-sequence-set SP known-uid-set ")"
/// ```
///
/// [RFC 4466 §2.1]: https://www.rfc-editor.org/rfc/rfc4466#section-2.1
/// [RFC 7162 §3.1.8, §3.2.5]: https://www.rfc-editor.org/rfc/rfc7162#section-3.2.5
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SelectParameter<'a> {
    /// `CONDSTORE`.
    CondStore,
    /// `QRESYNC (...)`.
    QResync {
        /// The last known UIDVALIDITY.
        uid_validity: NonZeroU32,
        /// The last known HIGHESTMODSEQ.
        mod_sequence: NonZeroU64,
        /// The UIDs the client knows.
        known_uids: Option<SequenceSet<'a>>,
        /// Known message numbers and their UIDs.
        seq_match: Option<(SequenceSet<'a>, SequenceSet<'a>)>,
    },
    /// Another parameter (`select-param-name [SP select-param-value]`).
    Other(Extension<'a>),
}

impl SelectParameter<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> SelectParameter<'static> {
        match self {
            SelectParameter::CondStore => SelectParameter::CondStore,
            SelectParameter::QResync {
                uid_validity,
                mod_sequence,
                known_uids,
                seq_match,
            } => SelectParameter::QResync {
                uid_validity,
                mod_sequence,
                known_uids: known_uids.map(SequenceSet::into_static),
                seq_match: seq_match.map(|(a, b)| (a.into_static(), b.into_static())),
            },
            SelectParameter::Other(e) => SelectParameter::Other(e.into_static()),
        }
    }
}

/// A FETCH modifier ([RFC 7162 §3.1.4, §3.2.6]).
///
/// ```abnf
/// fetch-modifier = "CHANGEDSINCE" SP mod-sequence-value / "VANISHED"
/// ```
///
/// [RFC 7162 §3.1.4, §3.2.6]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.4
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FetchModifier<'a> {
    /// `CHANGEDSINCE n`.
    ChangedSince(NonZeroU64),
    /// `VANISHED` (QRESYNC, UID FETCH only).
    Vanished,
    /// Another modifier (`fetch-modifier-name [SP fetch-modif-params]`,
    /// [RFC 4466 §2.4](https://www.rfc-editor.org/rfc/rfc4466#section-2.4)).
    Other(Extension<'a>),
}

impl FetchModifier<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> FetchModifier<'static> {
        match self {
            FetchModifier::ChangedSince(n) => FetchModifier::ChangedSince(n),
            FetchModifier::Vanished => FetchModifier::Vanished,
            FetchModifier::Other(e) => FetchModifier::Other(e.into_static()),
        }
    }
}

/// A STORE modifier ([RFC 7162 §3.1.3]).
///
/// ```abnf
/// store-modifier = "UNCHANGEDSINCE" SP mod-sequence-valzer
/// ```
///
/// [RFC 7162 §3.1.3]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.3
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StoreModifier<'a> {
    /// `UNCHANGEDSINCE n` (0 allowed).
    UnchangedSince(u64),
    /// Another modifier (`store-modifier-name [SP store-modif-params]`,
    /// [RFC 4466 §2.5](https://www.rfc-editor.org/rfc/rfc4466#section-2.5)).
    Other(Extension<'a>),
}

impl StoreModifier<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> StoreModifier<'static> {
        match self {
            StoreModifier::UnchangedSince(n) => StoreModifier::UnchangedSince(n),
            StoreModifier::Other(e) => StoreModifier::Other(e.into_static()),
        }
    }
}
