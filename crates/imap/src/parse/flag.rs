//! Parsers of flags ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::core::{atom, take_class};
use super::{PResult, byte, paren_list};
use crate::limits::ParserConfig;
use crate::types::core::{ASTRING_CHAR, Atom};
use crate::types::flag::{Flag, FlagFetch, FlagPerm};

/// An atom; in lenient mode also `]` (Gmail keywords).
fn flag_atom<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Atom<'a>> {
    if config.lenient {
        let (rest, s) = take_class(input, ASTRING_CHAR, "atom")?;
        return Ok((rest, Atom::unchecked(s)));
    }
    atom(input)
}

/// ```abnf
/// flag           = "\Answered" / "\Flagged" / "\Deleted" /
///                  "\Seen" / "\Draft" / flag-keyword / flag-extension
/// flag-extension = "\" atom
/// flag-keyword   = "$MDNSent" / "$Forwarded" / "$Junk" /
///                  "$NotJunk" / "$Phishing" / atom
/// ```
pub(crate) fn flag<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Flag<'a>> {
    match input.split_first() {
        Some((b'\\', rest)) => {
            let (rest, name) =
                atom(rest).map_err(|_| nom::Err::Error(super::ParseError::new(input, "flag")))?;
            Ok((rest, Flag::system(name)))
        }
        _ => {
            let (rest, a) = flag_atom(input, config)
                .map_err(|_| nom::Err::Error(super::ParseError::new(input, "flag")))?;
            Ok((rest, Flag::Keyword(a)))
        }
    }
}

/// ```abnf
/// flag-list = "(" [flag *(SP flag)] ")"
/// ```
pub(crate) fn flag_list<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Vec<Flag<'a>>> {
    paren_list(input, false, |i| flag(i, config))
}

/// ```abnf
/// flag-fetch = flag / obsolete-flag-recent
/// ```
#[allow(dead_code)] // Used by the response parsers.
pub(crate) fn flag_fetch<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, FlagFetch<'a>> {
    let (rest, f) = flag(input, config)?;
    match f {
        Flag::Extension(a) if a.as_str().eq_ignore_ascii_case("Recent") => {
            Ok((rest, FlagFetch::Recent))
        }
        f => Ok((rest, FlagFetch::Flag(f))),
    }
}

/// ```abnf
/// flag-perm = flag / "\*"
/// ```
#[allow(dead_code)] // Used by the response parsers.
pub(crate) fn flag_perm<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, FlagPerm<'a>> {
    if let Ok((rest, ())) = byte(input, b'\\', "flag-perm")
        && let Ok((rest, ())) = byte(rest, b'*', "flag-perm")
    {
        return Ok((rest, FlagPerm::Any));
    }
    flag(input, config).map(|(r, f)| (r, FlagPerm::Flag(f)))
}
