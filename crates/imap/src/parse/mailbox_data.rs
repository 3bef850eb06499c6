//! Parsers of untagged mailbox data ([RFC 9051 §7.3]) and of the
//! extensions' data: LIST-EXTENDED ([RFC 5258 §4]), ESEARCH ([RFC 4731
//! §3.1]), THREAD/SORT ([RFC 5256 §4]), NAMESPACE ([RFC 2342 §6]), QUOTA
//! ([RFC 9208 §6]), ACL ([RFC 4314 §4]), METADATA ([RFC 5464 §5]), ID ([RFC
//! 2971 §4]).
//!
//! [RFC 9051 §7.3]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3
//! [RFC 5258 §4]: https://www.rfc-editor.org/rfc/rfc5258#section-4
//! [RFC 4731 §3.1]: https://www.rfc-editor.org/rfc/rfc4731#section-3.1
//! [RFC 5256 §4]: https://www.rfc-editor.org/rfc/rfc5256#section-4
//! [RFC 2342 §6]: https://www.rfc-editor.org/rfc/rfc2342#section-6
//! [RFC 9208 §6]: https://www.rfc-editor.org/rfc/rfc9208#section-6
//! [RFC 4314 §4]: https://www.rfc-editor.org/rfc/rfc4314#section-4
//! [RFC 5464 §5]: https://www.rfc-editor.org/rfc/rfc5464#section-5
//! [RFC 2971 §4]: https://www.rfc-editor.org/rfc/rfc2971#section-4

use super::command::status_att;
use super::condstore::{mod_sequence_value, mod_sequence_valzer};
use super::core::{
    astring, atom, literal8, nil, nstring, number, number64, nz_number, quoted, string,
};
use super::extension::tagged_ext_val;
use super::mailbox::mailbox;
use super::response::{name, sp_paren};
use super::sequence::sequence_set;
use super::{PResult, ParseError, byte, check_depth, fail, keyword, sp};
use crate::limits::ParserConfig;
use crate::types::core::{Atom, IString};
use crate::types::mailbox_data::{
    AclData, Delimiter, ESearch, IdParameters, ListData, ListRights, MailboxAttribute,
    MetadataData, MetadataEntries, MyRights, NamespaceDescription, Namespaces, QuotaData,
    QuotaRootData, QuotaUsage, SearchData, SearchReturnData, StatusData, StatusValue, Thread,
};
use crate::types::metadata::MetadataValue;
use crate::types::quota::QuotaResource;
use crate::types::status::StatusItem;
use crate::types::vec1::Vec1;

/// ```abnf
/// objectid = 1*255(ALPHA / DIGIT / "_" / "-")
/// ```
///
/// Read inside `"(" objectid ")"`.
pub(crate) fn paren_objectid(input: &[u8]) -> PResult<'_, Atom<'_>> {
    let (input, ()) = byte(input, b'(', "\"(\"")?;
    let n = input
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))
        .unwrap_or(input.len());
    if n == 0 || n > 255 {
        return fail(input, "objectid");
    }
    let (head, rest) = input.split_at(n);
    let Ok(s) = std::str::from_utf8(head) else {
        return fail(input, "objectid");
    };
    let (rest, ()) = byte(rest, b')', "\")\"")?;
    Ok((rest, Atom::unchecked(s)))
}

/// `DQUOTE QUOTED-CHAR DQUOTE / nil`.
fn delimiter<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Option<Delimiter>> {
    if let Ok((rest, ())) = nil(input) {
        return Ok((rest, None));
    }
    let (rest, q) = quoted(input, config)?;
    let mut chars = q.as_str().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => match Delimiter::try_from(c) {
            Ok(d) => Ok((rest, Some(d))),
            Err(_) => fail(input, "QUOTED-CHAR"),
        },
        _ => fail(input, "QUOTED-CHAR"),
    }
}

/// ```abnf
/// mailbox-list = "(" [mbx-list-flags] ")" SP
///                (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
///                [SP mbox-list-extended]
/// ```
pub(crate) fn mailbox_list<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, ListData<'a>> {
    let (input, ()) = sp_paren(input, config)?;
    let (input, attributes) = super::paren_list(input, false, |i| {
        if let Some(rest) = i.strip_prefix(b"\\") {
            atom(rest).map(|(r, a)| (r, MailboxAttribute::System(a)))
        } else {
            atom(i).map(|(r, a)| (r, MailboxAttribute::Keyword(a)))
        }
    })?;
    let (input, ()) = sp(input)?;
    let (input, delimiter) = delimiter(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, extended) = match input {
        [b' ', b'(', ..] => {
            let rest = input.get(1..).unwrap_or_default();
            super::paren_list(rest, false, |i| {
                let (i, tag) = astring(i, config)?;
                let (i, ()) = sp(i)?;
                let (i, value) = tagged_ext_val(i, config)?;
                Ok((i, (tag, value)))
            })?
        }
        _ => (input, Vec::new()),
    };
    Ok((
        input,
        ListData {
            attributes,
            delimiter,
            mailbox,
            extended,
        },
    ))
}

/// ```abnf
/// mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"
/// ```
pub(crate) fn status<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, StatusData<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp_paren(input, config)?;
    let (input, items) = super::paren_list(input, false, |i| status_att_val(i, config))?;
    Ok((input, StatusData { mailbox, items }))
}

fn status_att_val<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, StatusValue<'a>> {
    let (rest, item) = match status_att(input) {
        Ok(ok) => ok,
        Err(nom::Err::Error(_)) => {
            let (rest, name) = atom(input)?;
            let (rest, ()) = sp(rest)?;
            let (rest, n) = number64(rest)?;
            return Ok((rest, StatusValue::Other(name, n)));
        }
        Err(e) => return Err(e),
    };
    let (rest, ()) = sp(rest)?;
    match item {
        StatusItem::MailboxId => paren_objectid(rest).map(|(r, a)| (r, StatusValue::MailboxId(a))),
        StatusItem::AppendLimit if nil(rest).is_ok() => {
            nil(rest).map(|(r, ())| (r, StatusValue::NoAppendLimit))
        }
        StatusItem::UidNext | StatusItem::UidValidity if !config.lenient => {
            nz_number(rest).map(|(r, n)| (r, StatusValue::Number(item, u64::from(n.get()))))
        }
        StatusItem::Size | StatusItem::HighestModSeq => {
            mod_sequence_valzer(rest).map(|(r, n)| (r, StatusValue::Number(item, n)))
        }
        _ => number(rest).map(|(r, n)| (r, StatusValue::Number(item, u64::from(n)))),
    }
}

/// ```abnf
/// mailbox-data =/ "SEARCH" *(SP nz-number) [SP search-sort-mod-seq]
/// sort-data    = "SORT" *(SP nz-number) [SP search-sort-mod-seq]
/// search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"
/// ```
pub(crate) fn search<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, SearchData> {
    let mut input = input;
    let mut out = SearchData::default();
    while let [b' ', rest @ ..] = input {
        match rest.first() {
            Some(b'0'..=b'9') => {
                let (r, n) = nz_number(rest)?;
                out.numbers.push(n);
                input = r;
            }
            Some(b'(') => {
                let (r, ()) = keyword(rest, b"(MODSEQ ", "search-sort-mod-seq")?;
                let (r, n) = mod_sequence_value(r)?;
                let (r, ()) = byte(r, b')', "\")\"")?;
                out.modseq = Some(n);
                return Ok((r, out));
            }
            _ if config.lenient => return Ok((input, out)),
            _ => return fail(rest, "nz-number"),
        }
    }
    Ok((input, out))
}

/// ```abnf
/// esearch-response  = "ESEARCH" [search-correlator] [SP "UID"]
///                     *(SP search-return-data)
/// search-correlator = SP "(" "TAG" SP tag-string ")"
/// ```
pub(crate) fn esearch<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, ESearch<'a>> {
    let mut out = ESearch::default();
    let mut input = input;
    if let Ok((rest, ())) = keyword(input, b" (TAG ", "search-correlator") {
        let (rest, tag) = astring(rest, config)?;
        let (rest, ()) = byte(rest, b')', "\")\"")?;
        out.tag = Some(tag);
        input = rest;
    }
    if let Ok((rest, ())) = keyword(input, b" UID", "\"UID\"")
        && matches!(rest.first(), None | Some(b' ' | b'\r'))
    {
        out.uid = true;
        input = rest;
    }
    while let [b' ', rest @ ..] = input {
        if config.lenient && matches!(rest.first(), None | Some(b'\r' | b' ')) {
            break;
        }
        let (r, item) = search_return_data(rest, config)?;
        out.data.push(item);
        input = r;
    }
    Ok((input, out))
}

fn search_return_data<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, SearchReturnData<'a>> {
    let (n, rest) = name(input);
    let mut buf = [0u8; 20];
    let upper = super::command::upper_name(n, &mut buf);
    let (rest, ()) = sp(rest)?;
    match upper {
        b"MIN" => nz_number(rest).map(|(r, n)| (r, SearchReturnData::Min(n))),
        b"MAX" => nz_number(rest).map(|(r, n)| (r, SearchReturnData::Max(n))),
        b"ALL" => sequence_set(rest).map(|(r, s)| (r, SearchReturnData::All(s))),
        b"COUNT" => number(rest).map(|(r, n)| (r, SearchReturnData::Count(n))),
        b"MODSEQ" => mod_sequence_value(rest).map(|(r, n)| (r, SearchReturnData::ModSeq(n))),
        _ => {
            let (_, a) = atom(input)
                .map_err(|_| nom::Err::Error(ParseError::new(input, "search-return-data")))?;
            let (r, v) = tagged_ext_val(rest, config)?;
            Ok((r, SearchReturnData::Other(a, v)))
        }
    }
}

/// ```abnf
/// thread-data = "THREAD" [SP 1*thread-list]
/// ```
pub(crate) fn thread_data<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Vec<Thread>> {
    let mut out = Vec::new();
    let Ok((mut input, ())) = sp(input) else {
        return Ok((input, out));
    };
    if config.lenient && input.first() != Some(&b'(') {
        return Ok((input, out));
    }
    loop {
        let (rest, t) = thread_list(input, config, 1)?;
        out.push(t);
        input = rest;
        if input.first() != Some(&b'(') {
            return Ok((input, out));
        }
    }
}

/// ```abnf
/// thread-list    = "(" (thread-members / thread-nested) ")"
/// thread-members = nz-number *(SP nz-number) [SP thread-nested]
/// thread-nested  = 2*thread-list
/// ```
fn thread_list<'a>(input: &'a [u8], config: &ParserConfig, depth: usize) -> PResult<'a, Thread> {
    check_depth(input, config, depth)?;
    let (mut input, ()) = byte(input, b'(', "thread-list")?;
    let mut members = Vec::new();
    let mut children = Vec::new();
    if input.first() != Some(&b'(') {
        let (rest, first) = nz_number(input)?;
        members.push(first);
        input = rest;
        while let [b' ', rest @ ..] = input {
            if rest.first() == Some(&b'(') {
                input = rest;
                break;
            }
            let (r, n) = nz_number(rest)?;
            members.push(n);
            input = r;
        }
    }
    while input.first() == Some(&b'(') {
        let (rest, t) = thread_list(input, config, depth.saturating_add(1))?;
        children.push(t);
        input = rest;
    }
    if children.len() == 1 && !config.lenient {
        return fail(input, "thread-nested");
    }
    if members.is_empty() && children.len() < 2 && !config.lenient {
        return fail(input, "thread-list");
    }
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((input, Thread::unchecked(members, children)))
}

/// ```abnf
/// namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
/// ```
pub(crate) fn namespace<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Namespaces<'a>> {
    let (input, ()) = sp(input)?;
    let (input, personal) = namespace_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, other_users) = namespace_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, shared) = namespace_list(input, config)?;
    Ok((
        input,
        Namespaces {
            personal,
            other_users,
            shared,
        },
    ))
}

/// ```abnf
/// namespace       = nil / "(" 1*namespace-descr ")"
/// namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
///                   [namespace-response-extensions] ")"
/// ```
fn namespace_list<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Vec<NamespaceDescription<'a>>> {
    if let Ok((rest, ())) = nil(input) {
        return Ok((rest, Vec::new()));
    }
    let (mut input, ()) = byte(input, b'(', "namespace")?;
    let mut out = Vec::new();
    loop {
        let (rest, ()) = byte(input, b'(', "namespace-descr")?;
        let (rest, prefix) = string(rest, config)?;
        let (rest, ()) = sp(rest)?;
        let (mut rest, delimiter) = delimiter(rest, config)?;
        let mut extensions = Vec::new();
        while let [b' ', r @ ..] = rest {
            let (r, key) = string(r, config)?;
            let (r, ()) = sp(r)?;
            let (r, values) = super::paren_list(r, true, |i| string(i, config))?;
            extensions.push((key, Vec1::unchecked(values)));
            rest = r;
        }
        let (rest, ()) = byte(rest, b')', "\")\"")?;
        out.push(NamespaceDescription {
            prefix,
            delimiter,
            extensions,
        });
        if let Some(r) = rest.strip_prefix(b")") {
            return Ok((r, out));
        }
        // RFC 2342 §5's example puts a space between descriptions.
        input = match rest {
            [b' ', r @ ..] if config.lenient => r,
            _ => rest,
        };
    }
}

/// ```abnf
/// quota-response = "QUOTA" SP quota-root-name SP quota-list
/// quota-list     = "(" quota-resource *(SP quota-resource) ")"
/// quota-resource = resource-name SP resource-usage SP resource-limit
/// ```
pub(crate) fn quota<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, QuotaData<'a>> {
    let (input, ()) = sp(input)?;
    let (input, root) = astring(input, config)?;
    let (input, ()) = sp_paren(input, config)?;
    let (input, resources) = super::paren_list(input, false, |i| {
        let (i, name) = atom(i)?;
        let (i, ()) = sp(i)?;
        let (i, usage) = number64(i)?;
        let (i, ()) = sp(i)?;
        let (i, limit) = number64(i)?;
        Ok((
            i,
            QuotaUsage {
                resource: QuotaResource::from_atom(name),
                usage,
                limit,
            },
        ))
    })?;
    Ok((input, QuotaData { root, resources }))
}

/// ```abnf
/// quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)
/// ```
pub(crate) fn quotaroot<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, QuotaRootData<'a>> {
    let (input, ()) = sp(input)?;
    let (mut input, mailbox) = mailbox(input, config)?;
    let mut roots = Vec::new();
    while let [b' ', rest @ ..] = input {
        if config.lenient && matches!(rest.first(), Some(b'\r' | b' ')) {
            break;
        }
        let (r, root) = astring(rest, config)?;
        roots.push(root);
        input = r;
    }
    Ok((input, QuotaRootData { mailbox, roots }))
}

/// ```abnf
/// acl-data = "ACL" SP mailbox *(SP identifier SP rights)
/// ```
pub(crate) fn acl<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, AclData<'a>> {
    let (input, ()) = sp(input)?;
    let (mut input, mailbox) = mailbox(input, config)?;
    let mut entries = Vec::new();
    while let [b' ', rest @ ..] = input {
        if config.lenient && matches!(rest.first(), Some(b'\r' | b' ')) {
            break;
        }
        let (r, id) = astring(rest, config)?;
        let (r, ()) = sp(r)?;
        let (r, rights) = astring(r, config)?;
        entries.push((id, rights));
        input = r;
    }
    Ok((input, AclData { mailbox, entries }))
}

/// ```abnf
/// listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights)
/// ```
pub(crate) fn listrights<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, ListRights<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, identifier) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (mut input, required) = astring(input, config)?;
    let mut optional = Vec::new();
    while let [b' ', rest @ ..] = input {
        if config.lenient && matches!(rest.first(), Some(b'\r' | b' ')) {
            break;
        }
        let (r, rights) = astring(rest, config)?;
        optional.push(rights);
        input = r;
    }
    Ok((
        input,
        ListRights {
            mailbox,
            identifier,
            required,
            optional,
        },
    ))
}

/// ```abnf
/// myrights-data = "MYRIGHTS" SP mailbox SP rights
/// ```
pub(crate) fn myrights<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, MyRights<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, rights) = astring(input, config)?;
    Ok((input, MyRights { mailbox, rights }))
}

/// ```abnf
/// metadata-resp = "METADATA" SP mailbox SP (entry-values / entry-list)
/// entry-values  = "(" entry-value *(SP entry-value) ")"
/// entry-value   = entry SP value
/// value         = nstring / literal8
/// entry-list    = entry *(SP entry)
/// ```
pub(crate) fn metadata<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, MetadataData<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp_paren(input, config)?;
    if input.first() == Some(&b'(') {
        let (rest, values) = super::paren_list(input, true, |i| {
            let (i, entry) = astring(i, config)?;
            let (i, ()) = sp(i)?;
            let (i, value) = if i.first() == Some(&b'~') {
                let (i, l) = literal8(i)?;
                (i, MetadataValue::Literal8(l))
            } else {
                let (i, s) = nstring(i, config)?;
                (i, MetadataValue::NString(s))
            };
            Ok((i, (entry, value)))
        })?;
        return Ok((
            rest,
            MetadataData {
                mailbox,
                entries: MetadataEntries::Values(Vec1::unchecked(values)),
            },
        ));
    }
    let (rest, list) = super::response::sp_list_lenient(input, config, |i| astring(i, config))?;
    Ok((
        rest,
        MetadataData {
            mailbox,
            entries: MetadataEntries::List(Vec1::unchecked(list)),
        },
    ))
}

/// ```abnf
/// id-response    = "ID" SP id-params-list
/// id-params-list = "(" *(string SP nstring) ")" / nil
/// ```
pub(crate) fn id<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, IdParameters<'a>> {
    let (input, ()) = sp_paren(input, config)?;
    if let Ok((rest, ())) = nil(input) {
        return Ok((rest, IdParameters(None)));
    }
    let (rest, pairs) = super::paren_list(input, false, |i| {
        let (i, key): (&[u8], IString<'_>) = string(i, config)?;
        let (i, ()) = sp(i)?;
        let (i, value) = nstring(i, config)?;
        Ok((i, (key, value)))
    })?;
    Ok((rest, IdParameters(Some(pairs))))
}
