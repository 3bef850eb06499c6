//! SEARCH key, return option, SORT and THREAD encoders ([RFC 9051 §6.4.4],
//! [RFC 5256]).
//!
//! [RFC 9051 §6.4.4]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.4
//! [RFC 5256]: https://www.rfc-editor.org/rfc/rfc5256

use super::{Encode, Encoder, paren_list};
use crate::types::search::{EntryType, SearchKey, SearchReturnOption};
use crate::types::sort::SortCriterion;

/// Writes ` RETURN (options)` when given.
pub(crate) fn return_options<'a>(
    out: &mut Encoder<'a>,
    options: &'a Option<Vec<SearchReturnOption<'_>>>,
) {
    if let Some(options) = options {
        out.raw(b" RETURN ");
        paren_list(out, options);
    }
}

impl Encode for SearchReturnOption<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            SearchReturnOption::Min => out.raw(b"MIN"),
            SearchReturnOption::Max => out.raw(b"MAX"),
            SearchReturnOption::All => out.raw(b"ALL"),
            SearchReturnOption::Count => out.raw(b"COUNT"),
            SearchReturnOption::Save => out.raw(b"SAVE"),
            SearchReturnOption::Other(a) => a.encode(out),
        }
    }
}

impl Encode for SortCriterion {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        if self.reverse {
            out.raw(b"REVERSE ");
        }
        out.raw(self.key.name().as_bytes());
    }
}

impl Encode for SearchKey<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        use SearchKey as K;
        let word = |out: &mut Encoder<'a>, w: &[u8]| {
            out.raw(w);
            out.sp();
        };
        match self {
            K::All => out.raw(b"ALL"),
            K::Answered => out.raw(b"ANSWERED"),
            K::Deleted => out.raw(b"DELETED"),
            K::Draft => out.raw(b"DRAFT"),
            K::Flagged => out.raw(b"FLAGGED"),
            K::New => out.raw(b"NEW"),
            K::Old => out.raw(b"OLD"),
            K::Recent => out.raw(b"RECENT"),
            K::Seen => out.raw(b"SEEN"),
            K::Unanswered => out.raw(b"UNANSWERED"),
            K::Undeleted => out.raw(b"UNDELETED"),
            K::Undraft => out.raw(b"UNDRAFT"),
            K::Unflagged => out.raw(b"UNFLAGGED"),
            K::Unseen => out.raw(b"UNSEEN"),
            K::Bcc(s) => {
                word(out, b"BCC");
                s.encode(out);
            }
            K::Body(s) => {
                word(out, b"BODY");
                s.encode(out);
            }
            K::Cc(s) => {
                word(out, b"CC");
                s.encode(out);
            }
            K::From(s) => {
                word(out, b"FROM");
                s.encode(out);
            }
            K::Subject(s) => {
                word(out, b"SUBJECT");
                s.encode(out);
            }
            K::Text(s) => {
                word(out, b"TEXT");
                s.encode(out);
            }
            K::To(s) => {
                word(out, b"TO");
                s.encode(out);
            }
            K::Before(d) => {
                word(out, b"BEFORE");
                d.encode(out);
            }
            K::On(d) => {
                word(out, b"ON");
                d.encode(out);
            }
            K::Since(d) => {
                word(out, b"SINCE");
                d.encode(out);
            }
            K::SentBefore(d) => {
                word(out, b"SENTBEFORE");
                d.encode(out);
            }
            K::SentOn(d) => {
                word(out, b"SENTON");
                d.encode(out);
            }
            K::SentSince(d) => {
                word(out, b"SENTSINCE");
                d.encode(out);
            }
            K::Larger(n) => {
                word(out, b"LARGER");
                out.number(*n);
            }
            K::Smaller(n) => {
                word(out, b"SMALLER");
                out.number(*n);
            }
            K::Keyword(a) => {
                word(out, b"KEYWORD");
                a.encode(out);
            }
            K::Unkeyword(a) => {
                word(out, b"UNKEYWORD");
                a.encode(out);
            }
            K::EmailId(a) => {
                word(out, b"EMAILID");
                a.encode(out);
            }
            K::ThreadId(a) => {
                word(out, b"THREADID");
                a.encode(out);
            }
            K::Older(n) => {
                word(out, b"OLDER");
                out.number(u64::from(n.get()));
            }
            K::Younger(n) => {
                word(out, b"YOUNGER");
                out.number(u64::from(n.get()));
            }
            K::Header(field, value) => {
                word(out, b"HEADER");
                field.encode(out);
                out.sp();
                value.encode(out);
            }
            K::Uid(set) => {
                word(out, b"UID");
                set.encode(out);
            }
            K::Not(key) => {
                word(out, b"NOT");
                key.encode(out);
            }
            K::Or(a, b) => {
                word(out, b"OR");
                a.encode(out);
                out.sp();
                b.encode(out);
            }
            K::SequenceSet(set) => set.encode(out),
            K::And(keys) => paren_list(out, keys.as_slice()),
            K::ModSeq {
                entry,
                mod_sequence,
            } => {
                word(out, b"MODSEQ");
                if let Some((name, kind)) = entry {
                    name.encode(out);
                    out.raw(match kind {
                        EntryType::Private => b" priv ",
                        EntryType::Shared => b" shared ",
                        EntryType::All => b" all ",
                    });
                }
                out.number(*mod_sequence);
            }
        }
    }
}
