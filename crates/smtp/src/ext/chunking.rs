//! `CHUNKING` and `BINARYMIME` ([RFC 3030]): a message sent in `BDAT`
//! chunks of announced length instead of a dot-stuffed `DATA`.
//!
//! A chunk's octets are read whatever the answer will be, so that none of
//! them is ever taken for a command ([RFC 3030 §2]). Once a transaction has
//! used `BDAT`, `DATA` (and `RCPT`) are out of order, and a `BINARYMIME`
//! body can only be sent with `BDAT` ([RFC 3030 §3]). Each chunk but the
//! last is answered with the octets received so far; the last one is
//! answered for the whole message ([RFC 3030 §4]).
//!
//! [RFC 3030]: https://www.rfc-editor.org/rfc/rfc3030
//! [RFC 3030 §2]: https://www.rfc-editor.org/rfc/rfc3030#section-2
//! [RFC 3030 §3]: https://www.rfc-editor.org/rfc/rfc3030#section-3
//! [RFC 3030 §4]: https://www.rfc-editor.org/rfc/rfc3030#section-4
//!
//! ```
//! use mailwire_smtp::ext::chunking::{data_allowed, chunk_received};
//! use mailwire_smtp::BodyType;
//! assert!(data_allowed(false, Some(BodyType::EightBitMime)));
//! assert!(!data_allowed(true, None));
//! assert!(!data_allowed(false, Some(BodyType::BinaryMime)));
//! assert_eq!(chunk_received(324).text(), "324 octets received");
//! ```

use crate::types::parameter::BodyType;
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

/// `true` if `DATA` may follow: the transaction has not used `BDAT` and its
/// body is not `BINARYMIME` ([RFC 3030 §3]).
///
/// [RFC 3030 §3]: https://www.rfc-editor.org/rfc/rfc3030#section-3
pub fn data_allowed(used_bdat: bool, body: Option<BodyType>) -> bool {
    !used_bdat && body != Some(BodyType::BinaryMime)
}

/// The reply to a chunk that is not the last: `250 2.0.0` with the octets
/// received so far ([RFC 3030 §4]).
///
/// [RFC 3030 §4]: https://www.rfc-editor.org/rfc/rfc3030#section-4
pub fn chunk_received(size: u64) -> Reply<'static> {
    Reply::new_owned(
        ReplyCode::OK,
        Some(EnhancedCode::OK),
        format!("{size} octets received"),
    )
}
