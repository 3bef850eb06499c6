//! The maildrop as the application lists it, and the session's view of it
//! (messages marked as deleted, [RFC 1939 §5]).
//!
//! [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5

use crate::types::response::UniqueId;

/// One message of the maildrop, as the application lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageInfo {
    /// The exact size in octets, as it will be sent (CRLF line endings,
    /// before dot-stuffing) ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    pub size: u64,
    /// The unique-id ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    pub uid: UniqueId,
}

/// The maildrop listing given to [`Server::open_maildrop`](super::Server::open_maildrop): message `n` is
/// `messages[n - 1]`.
///
/// ```
/// use mailwire_pop3::server::{Maildrop, MessageInfo};
/// use mailwire_pop3::UniqueId;
/// let drop = Maildrop::new(vec![MessageInfo { size: 120, uid: UniqueId::new("x").unwrap() }]);
/// assert_eq!(drop.len(), 1);
/// assert_eq!(drop.total_size(), 120);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Maildrop {
    messages: Vec<MessageInfo>,
}

impl Maildrop {
    /// A maildrop holding `messages`, numbered from 1 in order.
    pub fn new(messages: Vec<MessageInfo>) -> Self {
        Self { messages }
    }

    /// The number of messages.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// `true` if there are none.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The sum of the sizes.
    pub fn total_size(&self) -> u64 {
        self.messages
            .iter()
            .fold(0u64, |acc, m| acc.saturating_add(m.size))
    }

    /// Message `number` (1-based).
    ///
    /// ```
    /// assert!(mailwire_pop3::server::Maildrop::default().get(1).is_none());
    /// ```
    pub fn get(&self, number: u32) -> Option<&MessageInfo> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.messages.get(index)
    }
}

#[derive(Debug)]
pub(super) struct Session {
    pub(super) maildrop: Maildrop,
    pub(super) deleted: Vec<bool>,
}

impl Session {
    pub(super) fn live(&self, number: u32) -> Option<&MessageInfo> {
        let info = self.maildrop.get(number)?;
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        (!self.deleted.get(index).copied().unwrap_or(true)).then_some(info)
    }

    pub(super) fn live_messages(&self) -> impl Iterator<Item = (u32, &MessageInfo)> {
        self.maildrop
            .messages
            .iter()
            .zip(&self.deleted)
            .zip(1u32..)
            .filter(|((_, deleted), _)| !**deleted)
            .map(|((info, _), n)| (n, info))
    }
}
