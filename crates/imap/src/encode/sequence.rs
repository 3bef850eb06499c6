//! Encoder of sequence sets ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::{Encode, Encoder};
use crate::types::sequence::SequenceSet;

impl Encode for SequenceSet<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.as_str().as_bytes());
    }
}
