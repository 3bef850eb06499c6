//! Actions a script takes, and how they combine ([RFC 5228 §2.10],
//! §4.5; RFC 5429 §2.1; RFC 5230 §4.7).
//!
//! [RFC 5228 §2.10]: https://www.rfc-editor.org/rfc/rfc5228#section-2.10

/// An action for the delivery agent to carry out.
///
/// `keep` and `fileinto "INBOX"` both store into the default mailbox; the
/// caller maps [`Action::Keep`] to it. An empty action list means the
/// message is discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Store in the default mailbox, explicitly or by implicit keep
    /// ([RFC 5228 §4.3, §2.10.2]), with IMAP flags ([RFC 5232 §5]).
    ///
    /// [RFC 5228 §4.3, §2.10.2]: https://www.rfc-editor.org/rfc/rfc5228#section-4.3
    /// [RFC 5232 §5]: https://www.rfc-editor.org/rfc/rfc5232#section-5
    Keep {
        /// Flags to set on the stored message.
        flags: Vec<String>,
    },
    /// Store in `mailbox` ([RFC 5228 §4.1]).
    ///
    /// [RFC 5228 §4.1]: https://www.rfc-editor.org/rfc/rfc5228#section-4.1
    FileInto {
        /// The mailbox name, as written (UTF-8).
        mailbox: String,
        /// Flags to set on the stored message.
        flags: Vec<String>,
        /// Create the mailbox if it is missing ([RFC 5490 §3.2]).
        ///
        /// [RFC 5490 §3.2]: https://www.rfc-editor.org/rfc/rfc5490#section-3.2
        create: bool,
    },
    /// Forward the message, unchanged, to `address` ([RFC 5228 §4.2]).
    ///
    /// [RFC 5228 §4.2]: https://www.rfc-editor.org/rfc/rfc5228#section-4.2
    Redirect {
        /// The address (an `addr-spec`).
        address: String,
    },
    /// Refuse the message ([RFC 5429]): `extended` is `ereject`, which
    /// asks for a protocol-level refusal where possible.
    ///
    /// [RFC 5429]: https://www.rfc-editor.org/rfc/rfc5429
    Reject {
        /// The reason text.
        reason: String,
        /// `ereject` rather than `reject`.
        extended: bool,
    },
    /// Send a vacation reply ([RFC 5230]); the tracking rules already
    /// passed.
    ///
    /// [RFC 5230]: https://www.rfc-editor.org/rfc/rfc5230
    Vacation(crate::VacationResponse),
}

impl Action {
    /// A short name: the Sieve command that produced the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Keep { .. } => "keep",
            Action::FileInto { .. } => "fileinto",
            Action::Redirect { .. } => "redirect",
            Action::Reject {
                extended: false, ..
            } => "reject",
            Action::Reject { extended: true, .. } => "ereject",
            Action::Vacation(_) => "vacation",
        }
    }

    fn delivers(&self) -> bool {
        matches!(
            self,
            Action::Keep { .. } | Action::FileInto { .. } | Action::Redirect { .. }
        )
    }
}

/// The actions taken so far, with conflicts and duplicates resolved.
#[derive(Debug, Default)]
pub(crate) struct Actions {
    pub(crate) list: Vec<Action>,
    pub(crate) implicit_keep: bool,
    pub(crate) redirects: usize,
}

impl Actions {
    pub(crate) fn new() -> Self {
        Self {
            list: Vec::new(),
            implicit_keep: true,
            redirects: 0,
        }
    }

    /// Adds `action`: a duplicate merges into the earlier one (RFC 5228
    /// §2.10.3); a conflict is an error.
    pub(crate) fn add(
        &mut self,
        action: Action,
        max_actions: usize,
    ) -> Result<(), crate::RuntimeError> {
        for previous in &self.list {
            let conflict = match (&action, previous) {
                (Action::Reject { .. }, p) => {
                    p.delivers() || matches!(p, Action::Reject { .. } | Action::Vacation(_))
                }
                (a, Action::Reject { .. }) => a.delivers() || matches!(a, Action::Vacation(_)),
                (Action::Vacation(_), Action::Vacation(_)) => true,
                _ => false,
            };
            if conflict {
                return Err(crate::RuntimeError::ActionConflict {
                    action: action.name(),
                    previous: previous.name(),
                });
            }
        }
        for previous in &mut self.list {
            match (previous, &action) {
                (Action::Keep { flags }, Action::Keep { flags: new }) => {
                    merge_flags(flags, new);
                    return Ok(());
                }
                (
                    Action::FileInto {
                        mailbox,
                        flags,
                        create,
                    },
                    Action::FileInto {
                        mailbox: m,
                        flags: new,
                        create: c,
                    },
                ) if mailbox == m => {
                    merge_flags(flags, new);
                    *create |= *c;
                    return Ok(());
                }
                (Action::Redirect { address }, Action::Redirect { address: a })
                    if address.eq_ignore_ascii_case(a) =>
                {
                    return Ok(());
                }
                _ => {}
            }
        }
        if self.list.len() >= max_actions {
            return Err(crate::RuntimeError::LimitExceeded {
                limit: "max_actions",
                max: max_actions as u64,
            });
        }
        self.list.push(action);
        Ok(())
    }
}

fn merge_flags(flags: &mut Vec<String>, new: &[String]) {
    for f in new {
        if !flags.iter().any(|x| x.eq_ignore_ascii_case(f)) {
            flags.push(f.clone());
        }
    }
}
