//! Errors of the store, split by fault.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed on `path`.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done (`open`, `rename`, ...).
        op: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A control file (`dovecot-uidlist`, `dovecot-keywords`, the modseq
    /// sidecar, `subscriptions`) does not follow its grammar.
    #[error("{file} line {line}: malformed, expected {expected}")]
    Malformed {
        /// The file's name.
        file: &'static str,
        /// The line number, from 1.
        line: usize,
        /// The grammar rule that failed.
        expected: &'static str,
    },
    /// A configured limit was exceeded.
    #[error("limit exceeded: {what} (limit {limit})")]
    LimitExceeded {
        /// The limit's name in [`crate::Limits`].
        what: &'static str,
        /// Its value.
        limit: u64,
    },
    /// The mailbox name is not valid for a Maildir++ folder.
    #[error("invalid mailbox name {0:?}")]
    InvalidName(String),
    /// The mailbox does not exist.
    #[error("no such mailbox {0:?}")]
    NoSuchMailbox(String),
    /// The mailbox exists already.
    #[error("mailbox {0:?} exists")]
    MailboxExists(String),
    /// The message with this UID is not (or no longer) in the mailbox.
    #[error("no message with UID {0}")]
    NoSuchMessage(u32),
    /// A dotlock could not be taken before the timeout.
    #[error("lock {0} is held by another process")]
    LockTimeout(PathBuf),
    /// More than 26 keywords are used in one mailbox (letters `a`-`z`).
    #[error("too many keywords (Maildir allows 26 per mailbox)")]
    TooManyKeywords,
    /// The keyword is not a valid IMAP flag-keyword atom.
    #[error("invalid keyword {0:?}")]
    InvalidKeyword(String),
    /// The operation is not supported on this mailbox (for example
    /// deleting or renaming INBOX).
    #[error("not supported: {0}")]
    Unsupported(&'static str),
    /// The UID space of the mailbox is exhausted (RFC 9051 §2.3.1.1).
    #[error("UID space exhausted")]
    UidsExhausted,
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Wraps an [`io::Error`] with the operation and path.
pub(crate) fn io_err(
    op: &'static str,
    path: impl Into<PathBuf>,
) -> impl FnOnce(io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { op, path, source }
}
