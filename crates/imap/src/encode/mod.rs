//! Encoders: values to wire bytes, as a sequence of fragments.
//!
//! A command or response that carries literals cannot always be sent in one
//! write: before the octets of a synchronising literal (`{n}`) the sender
//! must wait for the peer's `+` continuation request ([RFC 9051 §7.5]).
//! [`Encoded`] therefore holds [`Fragment`]s: line parts (each ending with
//! the CRLF after a literal's announcement, or the message's final CRLF) and
//! literal octets with their [`LiteralMode`]. A machine sends a line
//! fragment, waits for `+` if the next literal is synchronising, sends the
//! literal, and so on; [`Encoded::to_vec`] joins everything for the cases
//! where no wait is needed (tests, non-synchronising literals, responses).
//!
//! [RFC 9051 §7.5]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5
//!
//! ```
//! use mailwire_imap::{AString, Command, CommandBody, Fragment, LiteralMode, Tag};
//!
//! let command = Command::new(
//!     Tag::try_from("A001").unwrap(),
//!     CommandBody::login(
//!         AString::try_from("FRED FOOBAR").unwrap(),
//!         AString::try_from("fat\nman").unwrap(),
//!     ),
//! );
//! let encoded = command.encode();
//! let fragments: Vec<_> = encoded.fragments().iter().collect();
//! assert_eq!(fragments.len(), 3);
//! assert!(matches!(fragments[0], Fragment::Line { data } if data == b"A001 LOGIN \"FRED FOOBAR\" {7}\r\n"));
//! assert!(matches!(fragments[1], Fragment::Literal { data, mode: LiteralMode::Sync, .. } if data == b"fat\nman"));
//! assert!(matches!(fragments[2], Fragment::Line { data } if data == b"\r\n"));
//! assert_eq!(encoded.to_vec(), b"A001 LOGIN \"FRED FOOBAR\" {7}\r\nfat\nman\r\n");
//! ```

pub(crate) mod capability;
pub(crate) mod command;
pub(crate) mod core;
pub(crate) mod datetime;
pub(crate) mod extension;
pub(crate) mod fetch;
pub(crate) mod flag;
pub(crate) mod mailbox;
pub(crate) mod mailbox_data;
pub(crate) mod message_data;
pub(crate) mod response;
pub(crate) mod search;
pub(crate) mod section;
pub(crate) mod sequence;

use crate::types::core::LiteralMode;

/// What the encoder may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct EncodeConfig {
    /// The peer accepts UTF-8 in quoted strings (IMAP4rev2 or `UTF8=ACCEPT`
    /// enabled). Without it, non-ASCII text is sent as a literal.
    pub utf8_quoted: bool,
}

impl EncodeConfig {
    /// Sets [`utf8_quoted`](Self::utf8_quoted).
    ///
    /// ```
    /// assert!(mailwire_imap::EncodeConfig::default().with_utf8_quoted(true).utf8_quoted);
    /// ```
    #[must_use]
    pub const fn with_utf8_quoted(mut self, on: bool) -> Self {
        self.utf8_quoted = on;
        self
    }
}

/// One piece of an encoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fragment<'a> {
    /// Line bytes, ending with CRLF (after a literal announcement, or at
    /// the end of the message).
    Line {
        /// The bytes.
        data: Vec<u8>,
    },
    /// A literal's octets; the line fragment before it announced them.
    Literal {
        /// The octets.
        data: &'a [u8],
        /// [`LiteralMode::Sync`]: wait for `+` before sending them.
        mode: LiteralMode,
        /// A `literal8` (`~{n}`, BINARY).
        binary: bool,
    },
}

/// An encoded command or response: its fragments in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoded<'a> {
    fragments: Vec<Fragment<'a>>,
}

impl<'a> Encoded<'a> {
    /// The fragments in sending order.
    pub fn fragments(&self) -> &[Fragment<'a>] {
        &self.fragments
    }

    /// The fragments, owned.
    pub fn into_fragments(self) -> Vec<Fragment<'a>> {
        self.fragments
    }

    /// Appends all bytes to `out`, ignoring the waits.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        for fragment in &self.fragments {
            match fragment {
                Fragment::Line { data } => out.extend_from_slice(data),
                Fragment::Literal { data, .. } => out.extend_from_slice(data),
            }
        }
    }

    /// All bytes joined, ignoring the waits.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }

    /// Whether a synchronising literal forces a wait for `+`.
    pub fn needs_continuation(&self) -> bool {
        self.fragments.iter().any(|f| {
            matches!(
                f,
                Fragment::Literal {
                    mode: LiteralMode::Sync,
                    ..
                }
            )
        })
    }
}

/// Builds [`Encoded`] fragments; the rule encoders write into it.
#[derive(Debug)]
pub(crate) struct Encoder<'a> {
    pub(crate) config: EncodeConfig,
    fragments: Vec<Fragment<'a>>,
    line: Vec<u8>,
}

impl<'a> Encoder<'a> {
    pub(crate) fn new(config: EncodeConfig) -> Self {
        Self {
            config,
            fragments: Vec::new(),
            line: Vec::with_capacity(64),
        }
    }

    /// Appends raw line bytes (the caller guarantees they are valid here).
    #[inline]
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.line.extend_from_slice(bytes);
    }

    /// Appends one raw byte.
    #[inline]
    pub(crate) fn byte(&mut self, b: u8) {
        self.line.push(b);
    }

    /// Appends SP.
    #[inline]
    pub(crate) fn sp(&mut self) {
        self.line.push(b' ');
    }

    /// Appends a decimal number.
    #[inline]
    pub(crate) fn number(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i = i.saturating_sub(1);
            if let Some(slot) = buf.get_mut(i) {
                *slot = b'0'.wrapping_add((n % 10) as u8);
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.line
            .extend_from_slice(buf.get(i..).unwrap_or_default());
    }

    /// Appends a literal: its announcement ends the current line fragment,
    /// then its octets follow as their own fragment.
    pub(crate) fn literal(&mut self, data: &'a [u8], mode: LiteralMode, binary: bool) {
        if binary {
            self.line.push(b'~');
        }
        self.line.push(b'{');
        self.number(data.len() as u64);
        if mode == LiteralMode::NonSync {
            self.line.push(b'+');
        }
        self.line.extend_from_slice(b"}\r\n");
        let line = std::mem::take(&mut self.line);
        self.fragments.push(Fragment::Line { data: line });
        self.fragments
            .push(Fragment::Literal { data, mode, binary });
    }

    /// Appends the final CRLF and returns the fragments.
    pub(crate) fn finish(mut self) -> Encoded<'a> {
        self.line.extend_from_slice(b"\r\n");
        let line = std::mem::take(&mut self.line);
        self.fragments.push(Fragment::Line { data: line });
        Encoded {
            fragments: self.fragments,
        }
    }

    /// Returns the fragments without a final CRLF (for pieces of lines).
    #[allow(dead_code)]
    pub(crate) fn finish_partial(mut self) -> Encoded<'a> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.fragments.push(Fragment::Line { data: line });
        }
        Encoded {
            fragments: self.fragments,
        }
    }
}

/// A value that has a wire form.
pub(crate) trait Encode {
    /// Writes the value into `out`.
    fn encode<'a>(&'a self, out: &mut Encoder<'a>);
}

/// Writes `items` separated by SP.
pub(crate) fn sp_list<'a, T: Encode>(out: &mut Encoder<'a>, items: &'a [T]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.sp();
        }
        item.encode(out);
    }
}

/// Writes `"(" items ")"`, items separated by SP.
pub(crate) fn paren_list<'a, T: Encode>(out: &mut Encoder<'a>, items: &'a [T]) {
    out.byte(b'(');
    sp_list(out, items);
    out.byte(b')');
}
