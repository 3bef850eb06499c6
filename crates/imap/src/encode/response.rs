//! Encoders of responses ([RFC 9051 §7]): greeting, continuation
//! requests, tagged and untagged status responses, response codes, and
//! the dispatch of untagged data.
//!
//! [RFC 9051 §7]: https://www.rfc-editor.org/rfc/rfc9051#section-7

use super::{Encode, EncodeConfig, Encoded, Encoder, sp_list};
use crate::types::fetch_response::MessageAttribute;
use crate::types::response::{Continue, Greeting, GreetingKind, RespText, Response, Untagged};
use crate::types::response_code::{Code, MetadataCode};

/// Encodes a greeting.
pub(crate) fn encode_greeting<'a>(greeting: &'a Greeting<'_>, config: EncodeConfig) -> Encoded<'a> {
    let mut out = Encoder::new(config);
    out.raw(match greeting.kind {
        GreetingKind::Ok => b"* OK",
        GreetingKind::PreAuth => b"* PREAUTH",
        GreetingKind::Bye => b"* BYE",
    });
    sp_resp_text(&mut out, &greeting.text);
    out.finish()
}

/// Encodes a response.
pub(crate) fn encode_response<'a>(response: &'a Response<'_>, config: EncodeConfig) -> Encoded<'a> {
    let mut out = Encoder::new(config);
    match response {
        Response::Continue(c) => {
            out.raw(b"+ ");
            match c {
                Continue::Text(t) => resp_text(&mut out, t),
                Continue::Base64(b) => out.raw(b.as_str().as_bytes()),
            }
        }
        Response::Tagged(t) => {
            t.tag.encode(&mut out);
            out.sp();
            out.raw(t.condition.name().as_bytes());
            sp_resp_text(&mut out, &t.text);
        }
        Response::Untagged(u) => {
            out.raw(b"* ");
            untagged(&mut out, u);
        }
    }
    out.finish()
}

/// `SP resp-text`; nothing at all when the text is empty.
fn sp_resp_text<'a>(out: &mut Encoder<'a>, text: &'a RespText<'_>) {
    if text.code.is_none() && text.text.is_none() {
        return;
    }
    out.sp();
    resp_text(out, text);
}

/// ```abnf
/// resp-text = ["[" resp-text-code "]" SP] [text]
/// ```
pub(crate) fn resp_text<'a>(out: &mut Encoder<'a>, text: &'a RespText<'_>) {
    if let Some(code) = &text.code {
        out.byte(b'[');
        code.encode(out);
        out.byte(b']');
        if text.text.is_some() {
            out.sp();
        }
    }
    if let Some(t) = &text.text {
        t.encode(out);
    }
}

impl Encode for Code<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            Code::Alert => out.raw(b"ALERT"),
            Code::BadCharset(list) => {
                out.raw(b"BADCHARSET");
                if !list.is_empty() {
                    out.sp();
                    super::paren_list(out, list);
                }
            }
            Code::Capability(caps) => {
                out.raw(b"CAPABILITY ");
                sp_list(out, caps.as_slice());
            }
            Code::Parse => out.raw(b"PARSE"),
            Code::PermanentFlags(flags) => {
                out.raw(b"PERMANENTFLAGS ");
                super::paren_list(out, flags);
            }
            Code::ReadOnly => out.raw(b"READ-ONLY"),
            Code::ReadWrite => out.raw(b"READ-WRITE"),
            Code::TryCreate => out.raw(b"TRYCREATE"),
            Code::UidNext(n) => {
                out.raw(b"UIDNEXT ");
                out.number(u64::from(n.get()));
            }
            Code::UidValidity(n) => {
                out.raw(b"UIDVALIDITY ");
                out.number(u64::from(n.get()));
            }
            Code::Unseen(n) => {
                out.raw(b"UNSEEN ");
                out.number(u64::from(n.get()));
            }
            Code::Closed => out.raw(b"CLOSED"),
            Code::UidNotSticky => out.raw(b"UIDNOTSTICKY"),
            Code::AppendUid { uid_validity, uids } => {
                out.raw(b"APPENDUID ");
                out.number(u64::from(uid_validity.get()));
                out.sp();
                uids.encode(out);
            }
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            } => {
                out.raw(b"COPYUID ");
                out.number(u64::from(uid_validity.get()));
                out.sp();
                source.encode(out);
                out.sp();
                destination.encode(out);
            }
            Code::HighestModSeq(n) => {
                out.raw(b"HIGHESTMODSEQ ");
                out.number(n.get());
            }
            Code::NoModSeq => out.raw(b"NOMODSEQ"),
            Code::Modified(set) => {
                out.raw(b"MODIFIED ");
                set.encode(out);
            }
            Code::NotSaved => out.raw(b"NOTSAVED"),
            Code::MailboxId(id) => {
                out.raw(b"MAILBOXID (");
                id.encode(out);
                out.byte(b')');
            }
            Code::Metadata(m) => {
                out.raw(b"METADATA ");
                match m {
                    MetadataCode::LongEntries(n) => {
                        out.raw(b"LONGENTRIES ");
                        out.number(u64::from(*n));
                    }
                    MetadataCode::MaxSize(n) => {
                        out.raw(b"MAXSIZE ");
                        out.number(u64::from(*n));
                    }
                    MetadataCode::TooMany => out.raw(b"TOOMANY"),
                    MetadataCode::NoPrivate => out.raw(b"NOPRIVATE"),
                }
            }
            Code::CompressionActive => out.raw(b"COMPRESSIONACTIVE"),
            Code::Other { name, text } => {
                name.encode(out);
                if let Some(t) = text {
                    out.sp();
                    t.encode(out);
                }
            }
        }
    }
}

fn untagged<'a>(out: &mut Encoder<'a>, u: &'a Untagged<'_>) {
    use super::mailbox_data as data;
    match u {
        Untagged::Condition { condition, text } => {
            out.raw(condition.name().as_bytes());
            sp_resp_text(out, text);
        }
        Untagged::Bye(text) => {
            out.raw(b"BYE");
            sp_resp_text(out, text);
        }
        Untagged::PreAuth(text) => {
            out.raw(b"PREAUTH");
            sp_resp_text(out, text);
        }
        Untagged::Capability(caps) => {
            out.raw(b"CAPABILITY ");
            sp_list(out, caps.as_slice());
        }
        Untagged::Enabled(caps) => {
            out.raw(b"ENABLED");
            for c in caps {
                out.sp();
                c.encode(out);
            }
        }
        Untagged::Flags(flags) => {
            out.raw(b"FLAGS ");
            super::paren_list(out, flags);
        }
        Untagged::List(l) => {
            out.raw(b"LIST ");
            data::list(out, l);
        }
        Untagged::Lsub(l) => {
            out.raw(b"LSUB ");
            data::list(out, l);
        }
        Untagged::Status(s) => data::status(out, s),
        Untagged::Search(s) => {
            out.raw(b"SEARCH");
            data::search(out, s);
        }
        Untagged::Sort(s) => {
            out.raw(b"SORT");
            data::search(out, s);
        }
        Untagged::ESearch(e) => data::esearch(out, e),
        Untagged::Thread(threads) => {
            out.raw(b"THREAD");
            if !threads.is_empty() {
                out.sp();
                for t in threads {
                    data::thread(out, t);
                }
            }
        }
        Untagged::Exists(n) => {
            out.number(u64::from(*n));
            out.raw(b" EXISTS");
        }
        Untagged::Recent(n) => {
            out.number(u64::from(*n));
            out.raw(b" RECENT");
        }
        Untagged::Expunge(n) => {
            out.number(u64::from(n.get()));
            out.raw(b" EXPUNGE");
        }
        Untagged::Fetch { seq, items } => {
            out.number(u64::from(seq.get()));
            out.raw(b" FETCH (");
            for (i, item) in items.iter().enumerate() {
                // An unparsed rest carries its own separator.
                if i > 0 && !matches!(item, MessageAttribute::Unparsed(_)) {
                    out.sp();
                }
                item.encode(out);
            }
            // An unparsed rest runs to the end of the message.
            if !matches!(items.as_slice().last(), Some(MessageAttribute::Unparsed(_))) {
                out.byte(b')');
            }
        }
        Untagged::Vanished { earlier, uids } => {
            out.raw(if *earlier {
                b"VANISHED (EARLIER) "
            } else {
                b"VANISHED "
            });
            uids.encode(out);
        }
        Untagged::Namespace(n) => data::namespace(out, n),
        Untagged::Quota(q) => data::quota(out, q),
        Untagged::QuotaRoot(q) => data::quotaroot(out, q),
        Untagged::Acl(a) => data::acl(out, a),
        Untagged::ListRights(l) => data::listrights(out, l),
        Untagged::MyRights(m) => data::myrights(out, m),
        Untagged::Metadata(m) => data::metadata(out, m),
        Untagged::Id(i) => data::id(out, i),
        Untagged::Unparsed(raw) => out.raw(raw),
    }
}
