//! Errors: script errors with a line and column, and run-time errors.

use std::fmt;

/// A place in a script: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, in characters.
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A script that cannot be parsed or compiled, and where.
///
/// ```
/// let err = mailwire_sieve::Script::compile(b"keep;\nfileinto \"x\";").unwrap_err();
/// assert_eq!(err.position, mailwire_sieve::Position { line: 2, column: 1 });
/// assert_eq!(err.to_string(), "2:1: extension \"fileinto\" used without require");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {kind}")]
pub struct ScriptError {
    /// Where the problem starts.
    pub position: Position,
    /// What is wrong.
    pub kind: ScriptErrorKind,
}

impl ScriptError {
    pub(crate) fn new(position: Position, kind: ScriptErrorKind) -> Self {
        Self { position, kind }
    }
}

/// What is wrong with a script ([RFC 5228 §8] grammar, §3.2 `require`,
/// and the argument rules of each command).
///
/// [RFC 5228 §8]: https://www.rfc-editor.org/rfc/rfc5228#section-8
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptErrorKind {
    /// The script is not UTF-8 ([RFC 5228 §2.4.2]).
    ///
    /// [RFC 5228 §2.4.2]: https://www.rfc-editor.org/rfc/rfc5228#section-2.4.2
    #[error("script is not valid UTF-8")]
    InvalidUtf8,
    /// A character that starts no token.
    #[error("unexpected character {0:?}")]
    UnexpectedCharacter(char),
    /// A grammar rule was expected and something else found.
    #[error("expected {expected}, found {found}")]
    Expected {
        /// The rule, as the grammar names it.
        expected: &'static str,
        /// What was there.
        found: String,
    },
    /// A string, comment or block that never ends.
    #[error("unterminated {0}")]
    Unterminated(&'static str),
    /// A number too large for 64 bits.
    #[error("number out of range")]
    NumberOutOfRange,
    /// A command or test that does not exist.
    #[error("unknown {what} {name:?}")]
    Unknown {
        /// "command", "test", "comparator", "tagged argument"…
        what: &'static str,
        /// The name found.
        name: String,
    },
    /// `require` names an extension this implementation lacks.
    #[error("unsupported extension {0:?}")]
    UnsupportedExtension(String),
    /// An extension's command, test or argument without its `require`.
    #[error("extension {0:?} used without require")]
    NotRequired(&'static str),
    /// `require` after another command ([RFC 5228 §3.2]).
    ///
    /// [RFC 5228 §3.2]: https://www.rfc-editor.org/rfc/rfc5228#section-3.2
    #[error("require must come before other commands")]
    LateRequire,
    /// `elsif` or `else` without an `if` before it.
    #[error("{0} without a preceding if")]
    Orphan(&'static str),
    /// Arguments that do not fit the command.
    #[error("{command}: {problem}")]
    InvalidArguments {
        /// The command or test.
        command: String,
        /// What is wrong.
        problem: String,
    },
    /// An argument value that is not allowed (a bad date part, zone,
    /// relational operator, address, encoded character…).
    #[error("invalid {what}: {value:?}")]
    InvalidValue {
        /// What the value is for.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// A limit from [`Limits`](crate::Limits) was exceeded.
    #[error("limit exceeded: {limit} (at most {max})")]
    LimitExceeded {
        /// The field of [`Limits`](crate::Limits).
        limit: &'static str,
        /// Its value.
        max: usize,
    },
}

/// An error while running a script: the run stops and the message is kept
/// ([RFC 5228 §2.10.6]).
///
/// [RFC 5228 §2.10.6]: https://www.rfc-editor.org/rfc/rfc5228#section-2.10.6
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuntimeError {
    /// A limit from [`Limits`](crate::Limits) was exceeded.
    #[error("limit exceeded: {limit} (at most {max})")]
    LimitExceeded {
        /// The field of [`Limits`](crate::Limits).
        limit: &'static str,
        /// Its value.
        max: u64,
    },
    /// Two actions that cannot both be taken ([RFC 5228 §4.5], RFC 5429
    /// §2.1, RFC 5230 §4.7).
    ///
    /// [RFC 5228 §4.5]: https://www.rfc-editor.org/rfc/rfc5228#section-4.5
    #[error("action {action} conflicts with {previous}")]
    ActionConflict {
        /// The action that failed.
        action: &'static str,
        /// The one taken before it.
        previous: &'static str,
    },
    /// A redirect address (after variable expansion) is not an address.
    #[error("invalid redirect address {0:?}")]
    InvalidAddress(String),
    /// A mailbox name (after variable expansion) that cannot be used.
    #[error("invalid mailbox name {0:?}")]
    InvalidMailbox(String),
}
