//! Parser of sequence sets ([RFC 9051 §9], [RFC 5182]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
//! [RFC 5182]: https://www.rfc-editor.org/rfc/rfc5182

use super::{PResult, fail};
use crate::types::sequence::{SequenceSet, scan};

/// ```abnf
/// sequence-set     = (seq-number / seq-range) ["," sequence-set]
/// sequence-set     =/ seq-last-command
/// seq-number       = nz-number / "*"
/// seq-range        = seq-number ":" seq-number
/// seq-last-command = "$"
/// ```
#[inline]
pub(crate) fn sequence_set(input: &[u8]) -> PResult<'_, SequenceSet<'_>> {
    match scan(input) {
        Ok(n) => {
            let (head, rest) = input.split_at(n.min(input.len()));
            match std::str::from_utf8(head) {
                Ok(s) => Ok((rest, SequenceSet::unchecked(s))),
                Err(_) => fail(input, "sequence-set"),
            }
        }
        Err(at) => fail(input.get(at..).unwrap_or_default(), "seq-number"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(sequence_set(b"1:* ").unwrap().0, b" ");
        assert_eq!(sequence_set(b"$)").unwrap().1, SequenceSet::LAST_COMMAND);
        let err = sequence_set(b"1,0").unwrap_err();
        assert!(matches!(err, nom::Err::Error(e) if e.input == b"0"));
        assert!(sequence_set(b"4294967296").is_err());
        assert!(sequence_set(b"1:").is_err());
    }
}
