//! Limits and the run-time grammar configuration.
//!
//! Which grammar applies is decided at run time from what was negotiated
//! (`ENABLE IMAP4rev2`, `ENABLE UTF8=ACCEPT`, `LITERAL+`/`LITERAL-`), never
//! by cargo features: a [`ParserConfig`] travels with every parse call and a
//! [`Limits`] with every framer.
//!
//! ```
//! use mailwire_imap::{Limits, NonSyncLiterals, ParserConfig, Revision};
//!
//! let config = ParserConfig::default()
//!     .with_revision(Revision::Rev2)
//!     .with_utf8_accept(true)
//!     .with_lenient(true);
//! assert!(config.utf8_quoted());
//! let limits = Limits::default().with_max_literal_size(1 << 20);
//! assert_eq!(limits.non_sync_literals, NonSyncLiterals::Minus);
//! ```

/// Which base protocol is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Revision {
    /// IMAP4rev1 ([RFC 3501]); the default until `ENABLE IMAP4rev2`.
    ///
    /// [RFC 3501]: https://www.rfc-editor.org/rfc/rfc3501
    #[default]
    Rev1,
    /// IMAP4rev2 ([RFC 9051]): UTF-8 quoted strings, LITERAL-, no `\Recent`.
    ///
    /// [RFC 9051]: https://www.rfc-editor.org/rfc/rfc9051
    Rev2,
}

/// Grammar choices made at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ParserConfig {
    /// The base protocol revision.
    pub revision: Revision,
    /// `UTF8=ACCEPT` was enabled ([RFC 6855 §3]): quoted strings and mailbox
    /// names may hold UTF-8.
    ///
    /// [RFC 6855 §3]: https://www.rfc-editor.org/rfc/rfc6855#section-3
    pub utf8_accept: bool,
    /// Accept the defects real peers are known for (8-bit text, trailing
    /// spaces, missing spaces before `(`, `NIL` where a string is due), and
    /// keep items that do not parse as raw bytes.
    pub lenient: bool,
    /// Deepest nesting of parenthesised lists, search keys, body structures
    /// and threads. Default 32.
    pub max_depth: usize,
}

impl Default for ParserConfig {
    fn default() -> Self {
        Self {
            revision: Revision::Rev1,
            utf8_accept: false,
            lenient: false,
            max_depth: 32,
        }
    }
}

impl ParserConfig {
    /// Sets [`revision`](Self::revision).
    ///
    /// ```
    /// use mailwire_imap::{ParserConfig, Revision};
    /// assert_eq!(ParserConfig::default().with_revision(Revision::Rev2).revision, Revision::Rev2);
    /// ```
    #[must_use]
    pub const fn with_revision(mut self, revision: Revision) -> Self {
        self.revision = revision;
        self
    }

    /// Sets [`utf8_accept`](Self::utf8_accept).
    ///
    /// ```
    /// assert!(mailwire_imap::ParserConfig::default().with_utf8_accept(true).utf8_accept);
    /// ```
    #[must_use]
    pub const fn with_utf8_accept(mut self, on: bool) -> Self {
        self.utf8_accept = on;
        self
    }

    /// Sets [`lenient`](Self::lenient).
    ///
    /// ```
    /// assert!(mailwire_imap::ParserConfig::default().with_lenient(true).lenient);
    /// ```
    #[must_use]
    pub const fn with_lenient(mut self, on: bool) -> Self {
        self.lenient = on;
        self
    }

    /// Sets [`max_depth`](Self::max_depth) (at least 1).
    ///
    /// ```
    /// assert_eq!(mailwire_imap::ParserConfig::default().with_max_depth(0).max_depth, 1);
    /// ```
    #[must_use]
    pub const fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = if depth == 0 { 1 } else { depth };
        self
    }

    /// Whether quoted strings may carry UTF-8: under IMAP4rev2 ([RFC 9051
    /// §4.3]) or `UTF8=ACCEPT`.
    ///
    /// [RFC 9051 §4.3]: https://www.rfc-editor.org/rfc/rfc9051#section-4.3
    ///
    /// ```
    /// use mailwire_imap::{ParserConfig, Revision};
    /// assert!(!ParserConfig::default().utf8_quoted());
    /// assert!(ParserConfig::default().with_revision(Revision::Rev2).utf8_quoted());
    /// ```
    pub const fn utf8_quoted(&self) -> bool {
        self.utf8_accept || matches!(self.revision, Revision::Rev2)
    }
}

/// What a server accepts of non-synchronising literals (`{n+}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NonSyncLiterals {
    /// Neither `LITERAL+` nor `LITERAL-` is offered: every `{n+}` is refused.
    Refuse,
    /// `LITERAL+` ([RFC 7888 §3]): any size up to the literal limit.
    ///
    /// [RFC 7888 §3]: https://www.rfc-editor.org/rfc/rfc7888#section-3
    Plus,
    /// `LITERAL-` ([RFC 7888 §5], built into IMAP4rev2): at most 4096 octets.
    ///
    /// [RFC 7888 §5]: https://www.rfc-editor.org/rfc/rfc7888#section-5
    Minus,
}

/// The size above which `LITERAL-` refuses a non-synchronising literal
/// ([RFC 7888 §5]).
///
/// [RFC 7888 §5]: https://www.rfc-editor.org/rfc/rfc7888#section-5
pub const LITERAL_MINUS_MAX: u64 = 4096;

/// Framing limits; going over one is [`Error::LimitExceeded`](crate::Error::LimitExceeded)
/// carrying the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// Longest line, counting its CRLF (a command or response is one or more
    /// lines separated by literals). Default 65,536; [RFC 7162 §4] asks
    /// servers to accept at least 8,192 octets.
    ///
    /// [RFC 7162 §4]: https://www.rfc-editor.org/rfc/rfc7162#section-4
    pub max_line_length: usize,
    /// Largest literal (or literal8). Default 64 MiB.
    pub max_literal_size: u64,
    /// Largest message: all lines and literals of one command or response.
    /// Default 80 MiB.
    pub max_message_size: u64,
    /// Non-synchronising literals the peer may send. Default
    /// [`NonSyncLiterals::Minus`], IMAP4rev2's rule.
    pub non_sync_literals: NonSyncLiterals,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_line_length: 65_536,
            max_literal_size: 64 << 20,
            max_message_size: 80 << 20,
            non_sync_literals: NonSyncLiterals::Minus,
        }
    }
}

impl Limits {
    /// Sets [`max_line_length`](Self::max_line_length) (at least 2).
    ///
    /// ```
    /// assert_eq!(mailwire_imap::Limits::default().with_max_line_length(1).max_line_length, 2);
    /// ```
    #[must_use]
    pub const fn with_max_line_length(mut self, max: usize) -> Self {
        self.max_line_length = if max < 2 { 2 } else { max };
        self
    }

    /// Sets [`max_literal_size`](Self::max_literal_size).
    ///
    /// ```
    /// assert_eq!(mailwire_imap::Limits::default().with_max_literal_size(9).max_literal_size, 9);
    /// ```
    #[must_use]
    pub const fn with_max_literal_size(mut self, max: u64) -> Self {
        self.max_literal_size = max;
        self
    }

    /// Sets [`max_message_size`](Self::max_message_size).
    ///
    /// ```
    /// assert_eq!(mailwire_imap::Limits::default().with_max_message_size(9).max_message_size, 9);
    /// ```
    #[must_use]
    pub const fn with_max_message_size(mut self, max: u64) -> Self {
        self.max_message_size = max;
        self
    }

    /// Sets [`non_sync_literals`](Self::non_sync_literals).
    ///
    /// ```
    /// use mailwire_imap::{Limits, NonSyncLiterals};
    /// let l = Limits::default().with_non_sync_literals(NonSyncLiterals::Plus);
    /// assert_eq!(l.non_sync_literals, NonSyncLiterals::Plus);
    /// ```
    #[must_use]
    pub const fn with_non_sync_literals(mut self, policy: NonSyncLiterals) -> Self {
        self.non_sync_literals = policy;
        self
    }
}
