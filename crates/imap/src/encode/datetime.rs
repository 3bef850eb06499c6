//! Encoders of dates and times ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::{Encode, Encoder};
use crate::types::datetime::{Date, DateTime};

impl Encode for DateTime {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.to_string().as_bytes());
    }
}

impl Encode for Date {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.to_string().as_bytes());
    }
}
