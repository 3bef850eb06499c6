//! Which outcomes produce a DSN: `NOTIFY=` ([RFC 3461 §4.1]) and the null
//! reverse-path.
//!
//! [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1

use super::types::Action;

/// The conditions of `NOTIFY=` ([RFC 3461 §4.1]).
///
/// ```abnf
/// notify-esmtp-value = "NEVER" / 1#notify-list-element
/// notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
/// ```
///
/// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
///
/// ```
/// use mailwire_message::dsn::{Action, NotifyConditions};
/// let notify = NotifyConditions::parse("SUCCESS,DELAY").unwrap();
/// assert!(notify.wants(Action::Delivered) && notify.wants(Action::Delayed));
/// assert!(!notify.wants(Action::Failed));
/// assert_eq!(NotifyConditions::parse("NEVER"), Some(NotifyConditions::NEVER));
/// assert_eq!(NotifyConditions::parse("NEVER,FAILURE"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NotifyConditions {
    /// `SUCCESS`: delivered, relayed or expanded.
    pub success: bool,
    /// `FAILURE`: failed.
    pub failure: bool,
    /// `DELAY`: delayed.
    pub delay: bool,
}

impl NotifyConditions {
    /// `NEVER`.
    pub const NEVER: Self = Self {
        success: false,
        failure: false,
        delay: false,
    };

    /// What an absent `NOTIFY` means here: `FAILURE,DELAY`, one of the two
    /// choices §4.1 leaves to the MTA (the other is `FAILURE`).
    pub const DEFAULT: Self = Self {
        success: false,
        failure: true,
        delay: true,
    };

    /// Parses the parameter value, case-insensitively; `NEVER` cannot be
    /// combined, and an empty list is invalid.
    pub fn parse(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("NEVER") {
            return Some(Self::NEVER);
        }
        let mut conditions = Self::NEVER;
        for word in value.split(',') {
            let word = word.trim();
            if word.eq_ignore_ascii_case("SUCCESS") {
                conditions.success = true;
            } else if word.eq_ignore_ascii_case("FAILURE") {
                conditions.failure = true;
            } else if word.eq_ignore_ascii_case("DELAY") {
                conditions.delay = true;
            } else {
                return None;
            }
        }
        Some(conditions)
    }

    /// Whether a DSN with `action` is requested (§4.1; `relayed` and
    /// `expanded` are reported under `SUCCESS`, RFC 3461 §6.2.2).
    pub const fn wants(self, action: Action) -> bool {
        match action {
            Action::Failed => self.failure,
            Action::Delayed => self.delay,
            Action::Delivered | Action::Relayed | Action::Expanded => self.success,
        }
    }
}

/// Whether a DSN with `action` is sent for a recipient: never to the null
/// reverse-path ([RFC 3461 §6.1], [RFC 5321 §4.5.5]), else as its NOTIFY
/// says, an absent NOTIFY meaning [`NotifyConditions::DEFAULT`].
///
/// [RFC 3461 §6.1]: https://www.rfc-editor.org/rfc/rfc3461#section-6.1
/// [RFC 5321 §4.5.5]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.5
///
/// ```
/// use mailwire_message::dsn::{dsn_due, Action, NotifyConditions};
/// assert!(dsn_due(None, Action::Failed, false));
/// assert!(!dsn_due(None, Action::Failed, true));
/// assert!(!dsn_due(None, Action::Delivered, false));
/// assert!(!dsn_due(Some(NotifyConditions::NEVER), Action::Failed, false));
/// ```
pub const fn dsn_due(notify: Option<NotifyConditions>, action: Action, null_sender: bool) -> bool {
    if null_sender {
        return false;
    }
    match notify {
        Some(notify) => notify.wants(action),
        None => NotifyConditions::DEFAULT.wants(action),
    }
}
