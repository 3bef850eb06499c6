//! Writing messages ([RFC 5322], MIME [RFC 2045]–[RFC 2049]).
//!
//! [`MessageBuilder`] collects header fields and a body (text, HTML,
//! inline parts, attachments, nested messages, or any [`PartBuilder`]
//! tree) and writes the message:
//!
//! - header fields folded at 78 octets, never over 998 ([`fold`]);
//!   non-ASCII text as RFC 2047 encoded words of at most 75 octets that
//!   never split a character, or as UTF-8 when [`MessageBuilder::utf8_headers`]
//!   allows it (RFC 6532);
//! - display names quoted or encoded as needed, domains in IDNA form
//!   ([`punycode`]) unless UTF-8 is allowed;
//! - parameters as RFC 2231 extended values and continuations when they
//!   are long or non-ASCII ([`parameter`]);
//! - `Date`, `Message-ID` and `MIME-Version` added when missing (the time
//!   and randomness come from the standard library unless given);
//! - a transfer encoding per part: 7bit when the content allows it, 8bit or
//!   binary only when [`Transport`] says so, else quoted-printable or base64
//!   ([`encode`]);
//! - output streamed into an [`std::io::Write`] or pulled as chunks
//!   ([`MessageChunks`]): content from a reader is read once, piece by
//!   piece, and never held whole.
//!
//! [`reply`](MessageBuilder::reply) and [`forward`](MessageBuilder::forward)
//! start from a parsed message.
//!
//! [RFC 5322]: https://www.rfc-editor.org/rfc/rfc5322
//! [RFC 2045]: https://www.rfc-editor.org/rfc/rfc2045
//! [RFC 2049]: https://www.rfc-editor.org/rfc/rfc2049
//!
//! ```
//! use mailwire_message::builder::{MessageBuilder, PartBuilder, mailbox};
//!
//! let message = MessageBuilder::new()
//!     .from(mailbox("Zoë <zoe@example.org>").unwrap())
//!     .to(mailbox("bob@example.net").unwrap())
//!     .subject("Quarterly report — draft")
//!     .text("Hello Bob,\nthe report is attached.\n")
//!     .html("<p>Hello Bob,</p><p>the report is attached.</p>")
//!     .attachment(PartBuilder::bytes("application/pdf", b"%PDF-1.7 ...".as_slice()).attachment("report.pdf"))
//!     .to_vec()
//!     .unwrap();
//!
//! let parsed = mailwire_message::parse(&message);
//! assert!(parsed.defects().is_empty());
//! assert_eq!(parsed.header().subject().as_deref(), Some("Quarterly report — draft"));
//! let leaves: Vec<_> = parsed.root().leaves().collect();
//! assert_eq!(leaves[0].text().0, "Hello Bob,\r\nthe report is attached.\r\n");
//! assert_eq!(leaves[2].decoded_body().0.as_ref(), b"%PDF-1.7 ...");
//! ```

mod address;
pub mod encode;
pub mod fold;
mod message;
pub mod parameter;
mod part;
pub mod punycode;
mod reply;
mod writer;

pub use address::mailbox;
pub use message::MessageBuilder;
pub(crate) use message::{part_bytes, random as random_seed, text_field};
pub use part::{PartBuilder, Source};
pub use reply::ForwardMode;
pub use writer::MessageChunks;

/// What the transport accepts ([RFC 6152] 8BITMIME, [RFC 3030]
/// BINARYMIME); decides which identity encodings may be used.
///
/// [RFC 6152]: https://www.rfc-editor.org/rfc/rfc6152
/// [RFC 3030]: https://www.rfc-editor.org/rfc/rfc3030
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Transport {
    /// 7-bit lines only: 8-bit content is quoted-printable or base64.
    #[default]
    SevenBit,
    /// 8-bit lines of at most 998 octets (8BITMIME).
    EightBit,
    /// Anything (BINARYMIME).
    Binary,
}

/// Why a message could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A header field name is empty, has a byte outside `ftext` ([RFC 5322
    /// §3.6.8]) or is too long to leave room for a value.
    ///
    /// [RFC 5322 §3.6.8]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.8
    #[error("invalid header field name {0:?}")]
    InvalidFieldName(String),
    /// A token that cannot be folded would make a line longer than the
    /// limit ([RFC 5322 §2.1.1]).
    ///
    /// [RFC 5322 §2.1.1]: https://www.rfc-editor.org/rfc/rfc5322#section-2.1.1
    #[error("a header line would exceed {limit} octets")]
    LineTooLong {
        /// The limit, 998.
        limit: usize,
    },
    /// An address that is not a valid `addr-spec`.
    #[error("invalid address {0:?}")]
    InvalidAddress(String),
    /// A non-ASCII local part without [`MessageBuilder::utf8_headers`]
    /// (RFC 6532).
    #[error("address {0:?} needs UTF-8 header fields")]
    NeedsUtf8(String),
    /// A parameter name that is not an RFC 2231 `attribute`.
    #[error("invalid parameter name {0:?}")]
    InvalidParameter(String),
    /// A content type that is not `type "/" subtype` tokens.
    #[error("invalid content type {0:?}")]
    InvalidContentType(String),
    /// A message identifier that is not `id-left "@" id-right`.
    #[error("invalid message identifier {0:?}")]
    InvalidMessageId(String),
    /// A forced transfer encoding the content or the transport does not
    /// allow.
    #[error("transfer encoding {0} not allowed for this content or transport")]
    EncodingNotAllowed(&'static str),
    /// A raw header value with a bare CR or LF, or a line that is not
    /// folded.
    #[error("raw header value of {0:?} is not a folded field value")]
    InvalidRawValue(String),
    /// Parts nested deeper than the limit.
    #[error("parts nested deeper than {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Reading a part's content or writing the output failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl PartialEq for BuildError {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}
