//! Encoder of the generic extension syntax ([RFC 4466 §2.1]).
//!
//! [RFC 4466 §2.1]: https://www.rfc-editor.org/rfc/rfc4466#section-2.1

use super::{Encode, Encoder, paren_list};
use crate::types::extension::{Extension, ExtensionItem, ExtensionValue};

impl Encode for Extension<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        self.name.encode(out);
        if let Some(value) = &self.value {
            out.sp();
            value.encode(out);
        }
    }
}

impl Encode for ExtensionValue<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            ExtensionValue::SequenceSet(s) => s.encode(out),
            ExtensionValue::Number(n) => out.number(*n),
            ExtensionValue::List(items) => paren_list(out, items),
            ExtensionValue::AString(s) => s.encode(out),
        }
    }
}

impl Encode for ExtensionItem<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            ExtensionItem::AString(s) => s.encode(out),
            ExtensionItem::List(items) => paren_list(out, items),
        }
    }
}
