//! SEARCH ([RFC 9051 §6.4.4]) with ESEARCH return options ([RFC 4731
//! §3.1]), SEARCHRES ([RFC 5182]), CONDSTORE `MODSEQ` ([RFC 7162 §3.1.5]),
//! WITHIN ([RFC 5032]) and OBJECTID keys; SORT and THREAD ([RFC 5256 §5]).
//!
//! Search keys nest (`NOT`, `OR`, parentheses); the depth is bounded by
//! [`ParserConfig::max_depth`].
//!
//! [RFC 9051 §6.4.4]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.4
//! [RFC 4731 §3.1]: https://www.rfc-editor.org/rfc/rfc4731#section-3.1
//! [RFC 5182]: https://www.rfc-editor.org/rfc/rfc5182
//! [RFC 7162 §3.1.5]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.5
//! [RFC 5032]: https://www.rfc-editor.org/rfc/rfc5032
//! [RFC 5256 §5]: https://www.rfc-editor.org/rfc/rfc5256#section-5

use super::command::{name_token, upper_name};
use super::condstore::mod_sequence_valzer;
use super::core::{astring, atom, number64, nz_number, quoted};
use super::datetime::date;
use super::sequence::sequence_set;
use super::{PResult, check_depth, fail, keyword, paren_list, sp, starts_with_ci};
use crate::limits::ParserConfig;
use crate::types::command::CommandBody;
use crate::types::core::{AString, IString};
use crate::types::search::{EntryType, SearchKey, SearchReturnOption};
use crate::types::sort::{SORT_KEYS, SortCriterion, ThreadAlgorithm};
use crate::types::vec1::Vec1;

/// ```abnf
/// search-return-opts = SP "RETURN" SP "(" [search-return-opt
///                      *(SP search-return-opt)] ")"
/// ```
fn search_return_opts<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Option<Vec<SearchReturnOption<'a>>>> {
    match input {
        [b' ', rest @ ..] if starts_with_ci(rest, b"RETURN ") => {
            let rest = rest.get(7..).unwrap_or_default();
            let (rest, opts) = paren_list(rest, false, |i| search_return_opt(i, config))?;
            Ok((rest, Some(opts)))
        }
        _ => Ok((input, None)),
    }
}

/// ```abnf
/// search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" /
///                     search-ret-opt-ext
/// ```
fn search_return_opt<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, SearchReturnOption<'a>> {
    let (name, rest) = name_token(input);
    let mut buf = [0u8; 20];
    match upper_name(name, &mut buf) {
        b"MIN" => Ok((rest, SearchReturnOption::Min)),
        b"MAX" => Ok((rest, SearchReturnOption::Max)),
        b"ALL" => Ok((rest, SearchReturnOption::All)),
        b"COUNT" => Ok((rest, SearchReturnOption::Count)),
        b"SAVE" => Ok((rest, SearchReturnOption::Save)),
        _ => {
            let (rest, e) = super::extension::extension(input, config, false)
                .map_err(super::rename_at(input, "search-return-opt"))?;
            Ok((rest, SearchReturnOption::Other(e)))
        }
    }
}

/// ```abnf
/// search         = "SEARCH" [search-return-opts] SP search-program
/// search-program = ["CHARSET" SP charset SP] search-key *(SP search-key)
/// charset        = atom / quoted   ; astring in IMAP4rev1
/// ```
pub(crate) fn search<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, return_options) = search_return_opts(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, charset) = if starts_with_ci(input, b"CHARSET ") {
        let (rest, charset) = astring(input.get(8..).unwrap_or_default(), config)?;
        let (rest, ()) = sp(rest)?;
        (rest, Some(charset))
    } else {
        (input, None)
    };
    let (input, criteria) = search_keys(input, config)?;
    Ok((
        input,
        CommandBody::Search {
            return_options,
            charset,
            criteria,
            uid,
        },
    ))
}

/// `search-key *(SP search-key)` at depth 1.
fn search_keys<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Vec1<SearchKey<'a>>> {
    let (mut input, first) = search_key(input, config, 1)?;
    let mut keys = vec![first];
    while let [b' ', rest @ ..] = input {
        if rest.first().is_none_or(|b| *b == b'\r') {
            break;
        }
        let (rest, key) = search_key(rest, config, 1)?;
        keys.push(key);
        input = rest;
    }
    Ok((input, Vec1::unchecked(keys)))
}

/// ```abnf
/// search-key = "ALL" / "ANSWERED" / "BCC" SP astring / ...
///              ; see SearchKey for the full rule
/// ```
pub(crate) fn search_key<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, SearchKey<'a>> {
    use SearchKey as K;
    check_depth(input, config, depth)?;
    match input.first() {
        Some(b'(') => {
            let (rest, keys) = paren_list(input, true, |i| search_key(i, config, depth + 1))?;
            return Ok((rest, K::And(Vec1::unchecked(keys))));
        }
        Some(b'0'..=b'9' | b'*' | b'$') => {
            let (rest, set) = sequence_set(input)?;
            return Ok((rest, K::SequenceSet(set)));
        }
        _ => {}
    }
    let (name, rest) = name_token(input);
    let mut buf = [0u8; 20];
    let c = config;
    let text = |f: fn(AString<'a>) -> SearchKey<'a>| -> PResult<'a, SearchKey<'a>> {
        let (rest, ()) = sp(rest)?;
        let (rest, s) = astring(rest, c)?;
        Ok((rest, f(s)))
    };
    let on_date = |f: fn(crate::types::datetime::Date) -> SearchKey<'a>| {
        let (rest, ()) = sp(rest)?;
        let (rest, d) = date(rest)?;
        Ok((rest, f(d)))
    };
    let size = |f: fn(u64) -> SearchKey<'a>| {
        let (rest, ()) = sp(rest)?;
        let (rest, n) = number64(rest)?;
        Ok((rest, f(n)))
    };
    let word = |f: fn(crate::types::core::Atom<'a>) -> SearchKey<'a>| {
        let (rest, ()) = sp(rest)?;
        let (rest, a) = atom(rest)?;
        Ok((rest, f(a)))
    };
    let seconds = |f: fn(std::num::NonZeroU32) -> SearchKey<'a>| {
        let (rest, ()) = sp(rest)?;
        let (rest, n) = nz_number(rest)?;
        Ok((rest, f(n)))
    };
    match upper_name(name, &mut buf) {
        b"ALL" => Ok((rest, K::All)),
        b"ANSWERED" => Ok((rest, K::Answered)),
        b"DELETED" => Ok((rest, K::Deleted)),
        b"DRAFT" => Ok((rest, K::Draft)),
        b"FLAGGED" => Ok((rest, K::Flagged)),
        b"NEW" => Ok((rest, K::New)),
        b"OLD" => Ok((rest, K::Old)),
        b"RECENT" => Ok((rest, K::Recent)),
        b"SEEN" => Ok((rest, K::Seen)),
        b"UNANSWERED" => Ok((rest, K::Unanswered)),
        b"UNDELETED" => Ok((rest, K::Undeleted)),
        b"UNDRAFT" => Ok((rest, K::Undraft)),
        b"UNFLAGGED" => Ok((rest, K::Unflagged)),
        b"UNSEEN" => Ok((rest, K::Unseen)),
        b"BCC" => text(K::Bcc),
        b"BODY" => text(K::Body),
        b"CC" => text(K::Cc),
        b"FROM" => text(K::From),
        b"SUBJECT" => text(K::Subject),
        b"TEXT" => text(K::Text),
        b"TO" => text(K::To),
        b"BEFORE" => on_date(K::Before),
        b"ON" => on_date(K::On),
        b"SINCE" => on_date(K::Since),
        b"SENTBEFORE" => on_date(K::SentBefore),
        b"SENTON" => on_date(K::SentOn),
        b"SENTSINCE" => on_date(K::SentSince),
        b"LARGER" => size(K::Larger),
        b"SMALLER" => size(K::Smaller),
        b"KEYWORD" => word(K::Keyword),
        b"UNKEYWORD" => word(K::Unkeyword),
        b"EMAILID" => word(K::EmailId),
        b"THREADID" => word(K::ThreadId),
        b"OLDER" => seconds(K::Older),
        b"YOUNGER" => seconds(K::Younger),
        b"HEADER" => {
            let (rest, ()) = sp(rest)?;
            let (rest, field) = astring(rest, c)?;
            let (rest, ()) = sp(rest)?;
            let (rest, value) = astring(rest, c)?;
            Ok((rest, K::Header(field, value)))
        }
        b"UID" => {
            let (rest, ()) = sp(rest)?;
            let (rest, set) = sequence_set(rest)?;
            Ok((rest, K::Uid(set)))
        }
        b"NOT" => {
            let (rest, ()) = sp(rest)?;
            let (rest, key) = search_key(rest, c, depth + 1)?;
            Ok((rest, K::Not(Box::new(key))))
        }
        b"OR" => {
            let (rest, ()) = sp(rest)?;
            let (rest, a) = search_key(rest, c, depth + 1)?;
            let (rest, ()) = sp(rest)?;
            let (rest, b) = search_key(rest, c, depth + 1)?;
            Ok((rest, K::Or(Box::new(a), Box::new(b))))
        }
        b"MODSEQ" => modseq(rest, c),
        _ => fail(input, "search-key"),
    }
}

/// ```abnf
/// search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer
/// search-modseq-ext  = SP entry-name SP entry-type-req
/// entry-name         = entry-flag-name
/// entry-flag-name    = DQUOTE "/flags/" attr-flag DQUOTE
/// entry-type-req     = entry-type-resp / "all"
/// entry-type-resp    = "priv" / "shared"
/// ```
fn modseq<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, SearchKey<'a>> {
    let (input, ()) = sp(input)?;
    let (input, entry) = if input.first() == Some(&b'"') {
        let at = input;
        let (rest, name) = quoted(input, config)?;
        if !name
            .as_str()
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("/flags/"))
        {
            return fail(at, "entry-flag-name");
        }
        let (rest, ()) = sp(rest)?;
        let (rest, kind) = if let Ok((r, ())) = keyword(rest, b"priv", "entry-type-req") {
            (r, EntryType::Private)
        } else if let Ok((r, ())) = keyword(rest, b"shared", "entry-type-req") {
            (r, EntryType::Shared)
        } else {
            let (r, ()) = keyword(rest, b"all", "entry-type-req")?;
            (r, EntryType::All)
        };
        let (rest, ()) = sp(rest)?;
        (rest, Some((AString::String(IString::Quoted(name)), kind)))
    } else {
        (input, None)
    };
    let (input, mod_sequence) = mod_sequence_valzer(input)?;
    Ok((
        input,
        SearchKey::ModSeq {
            entry,
            mod_sequence,
        },
    ))
}

/// ```abnf
/// sort            = ["UID" SP] "SORT" [search-return-opts] SP sort-criteria
///                   SP search-criteria
/// sort-criteria   = "(" sort-criterion *(SP sort-criterion) ")"
/// search-criteria = charset 1*(SP search-key)
/// ```
pub(crate) fn sort<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, return_options) = search_return_opts(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, criteria) = paren_list(input, true, sort_criterion)?;
    let (input, ()) = sp(input)?;
    let (input, charset) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, search) = search_keys(input, config)?;
    Ok((
        input,
        CommandBody::Sort {
            return_options,
            criteria: Vec1::unchecked(criteria),
            charset,
            search,
            uid,
        },
    ))
}

/// ```abnf
/// sort-criterion = ["REVERSE" SP] sort-key
/// ```
fn sort_criterion(input: &[u8]) -> PResult<'_, SortCriterion> {
    let (input, reverse) = match keyword(input, b"REVERSE ", "sort-criterion") {
        Ok((rest, ())) => (rest, true),
        Err(_) => (input, false),
    };
    let (name, rest) = name_token(input);
    for (key, n) in SORT_KEYS {
        if name.eq_ignore_ascii_case(n.as_bytes()) {
            return Ok((rest, SortCriterion { reverse, key }));
        }
    }
    fail(input, "sort-key")
}

/// ```abnf
/// thread     = ["UID" SP] "THREAD" SP thread-alg SP search-criteria
/// thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext
/// ```
pub(crate) fn thread<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, algorithm) = atom(input).map_err(super::rename_at(input, "thread-alg"))?;
    let (input, ()) = sp(input)?;
    let (input, charset) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, search) = search_keys(input, config)?;
    Ok((
        input,
        CommandBody::Thread {
            algorithm: ThreadAlgorithm::from_atom(algorithm),
            charset,
            search,
            uid,
        },
    ))
}
