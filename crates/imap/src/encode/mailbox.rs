//! Encoders of mailbox names ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::{Encode, Encoder};
use crate::types::mailbox::{ListMailbox, Mailbox};

impl Encode for Mailbox<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            Mailbox::Inbox => out.raw(b"INBOX"),
            Mailbox::Other(o) => o.as_astring().encode(out),
        }
    }
}

impl Encode for ListMailbox<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            ListMailbox::Token(s) => out.raw(s.as_str().as_bytes()),
            ListMailbox::String(s) => s.encode(out),
        }
    }
}
