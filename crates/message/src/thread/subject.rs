//! Base subject extraction ([RFC 5256 §2.1]) and the `i;unicode-casemap`
//! comparison key (§7).
//!
//! ```text
//! subject         = *subj-leader [subj-middle] *subj-trailer
//! subj-refwd      = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
//! subj-blob       = "[" *BLOBCHAR "]" *WSP
//! subj-fwd        = subj-fwd-hdr subject subj-fwd-trl
//! subj-fwd-hdr    = "[fwd:"
//! subj-fwd-trl    = "]"
//! subj-leader     = (*subj-blob subj-refwd) / WSP
//! subj-middle     = *subj-blob (subj-base / subj-fwd)
//! subj-trailer    = "(fwd)" / WSP
//! subj-base       = NONWSP *(*WSP NONWSP)
//! ```
//!
//! [RFC 5256 §2.1]: https://www.rfc-editor.org/rfc/rfc5256#section-2.1

/// The base subject of a message and whether extracting it showed the
/// message to be a reply or forward ([RFC 5256 §2.1], REFERENCES step 5).
///
/// [RFC 5256 §2.1]: https://www.rfc-editor.org/rfc/rfc5256#section-2.1
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseSubject {
    /// The base subject text.
    pub text: String,
    /// Whether a `subj-refwd`, a `(fwd)` trailer or a `[fwd: ...]` wrapper
    /// was removed.
    pub is_reply_or_forward: bool,
}

/// Extracts the base subject of a decoded subject (RFC 2047 words already
/// converted to UTF-8), following the steps of [RFC 5256 §2.1] exactly.
///
/// [RFC 5256 §2.1]: https://www.rfc-editor.org/rfc/rfc5256#section-2.1
///
/// ```
/// use mailwire_message::thread::base_subject;
///
/// let base = base_subject("Re: [list] Fwd: Re[2]: lunch (fwd)");
/// assert_eq!(base.text, "lunch");
/// assert!(base.is_reply_or_forward);
/// assert_eq!(base_subject("[fwd: Re: plans]").text, "plans");
/// assert_eq!(base_subject("[only a blob]").text, "[only a blob]");
/// assert!(!base_subject("Report").is_reply_or_forward);
/// ```
pub fn base_subject(subject: &str) -> BaseSubject {
    // Step 1: tabs and continuations to space, runs of spaces to one.
    let mut text = String::with_capacity(subject.len());
    let mut space = false;
    for c in subject.chars() {
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            if !space {
                text.push(' ');
            }
            space = true;
        } else {
            text.push(c);
            space = false;
        }
    }
    let mut s: &str = &text;
    let mut reply = false;
    loop {
        // Step 2: subj-trailer, repeatedly.
        loop {
            if let Some(rest) = s.strip_suffix(' ') {
                s = rest;
            } else if let Some(rest) = strip_suffix_ignore_case(s, "(fwd)") {
                s = rest;
                reply = true;
            } else {
                break;
            }
        }
        // Steps 3 to 5.
        loop {
            let mut changed = false;
            // Step 3: every subj-leader.
            loop {
                if let Some(rest) = s.strip_prefix(' ') {
                    s = rest;
                } else if let Some(rest) = refwd_leader(s) {
                    s = rest;
                    reply = true;
                } else {
                    break;
                }
                changed = true;
            }
            // Step 4: one subj-blob, if a non-empty subj-base remains.
            if let Some(rest) = blob(s)
                && !rest.is_empty()
            {
                s = rest;
                changed = true;
            }
            if !changed {
                break;
            }
        }
        // Step 6: "[fwd:" ... "]".
        match strip_prefix_ignore_case(s, "[fwd:").and_then(|r| r.strip_suffix(']')) {
            Some(inner) => {
                s = inner;
                reply = true;
            }
            None => break,
        }
    }
    BaseSubject {
        text: s.to_owned(),
        is_reply_or_forward: reply,
    }
}

/// `subj-blob`: `"[" *BLOBCHAR "]" *WSP`; returns what follows it.
fn blob(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find([']', '['])?;
    let rest = rest.get(close..)?.strip_prefix(']')?;
    Some(rest.trim_start_matches(' '))
}

/// `*subj-blob subj-refwd`; returns what follows it.
fn refwd_leader(s: &str) -> Option<&str> {
    let mut s = s;
    loop {
        if let Some(rest) = refwd(s) {
            return Some(rest);
        }
        s = blob(s)?;
    }
}

/// `subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"`.
fn refwd(s: &str) -> Option<&str> {
    let rest = strip_prefix_ignore_case(s, "re")
        .or_else(|| strip_prefix_ignore_case(s, "fwd"))
        .or_else(|| strip_prefix_ignore_case(s, "fw"))?;
    let rest = rest.trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(':') {
        return Some(after);
    }
    blob(rest)?.strip_prefix(':')
}

fn strip_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.as_bytes().get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix.as_bytes()) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

fn strip_suffix_ignore_case<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.as_bytes().get(cut..)?;
    if tail.eq_ignore_ascii_case(suffix.as_bytes()) {
        s.get(..cut)
    } else {
        None
    }
}

/// The comparison key of `i;unicode-casemap` ([RFC 5051 §2]): each
/// character's upper-case mapping (the titlecase mapping for every
/// character that has one alone), compared octet by octet.
///
/// Compatibility decomposition (NFKD) is not applied: strings that differ
/// only in composed and decomposed forms compare as different.
///
/// [RFC 5051 §2]: https://www.rfc-editor.org/rfc/rfc5051#section-2
///
/// ```
/// use mailwire_message::thread::casemap;
/// assert_eq!(casemap("Straße"), casemap("STRASSE"));
/// assert_eq!(casemap("élan"), "ÉLAN");
/// ```
pub fn casemap(s: &str) -> String {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_lowercase()) {
        return s.to_owned();
    }
    s.chars().flat_map(char::to_uppercase).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn base(s: &str) -> (String, bool) {
        let b = base_subject(s);
        (b.text, b.is_reply_or_forward)
    }

    #[test]
    fn step1_whitespace() {
        assert_eq!(base("a\t\tb  \r\n c"), ("a b c".into(), false));
    }

    #[test]
    fn step2_trailers() {
        assert_eq!(base("lunch (fwd) (FWD)  "), ("lunch".into(), true));
        assert_eq!(base("lunch  "), ("lunch".into(), false));
        assert_eq!(base("lunch(fwd)x"), ("lunch(fwd)x".into(), false));
    }

    #[test]
    fn step3_leaders() {
        assert_eq!(base("Re: Re: RE: x"), ("x".into(), true));
        assert_eq!(base("Fw: x"), ("x".into(), true));
        assert_eq!(base("FWD: x"), ("x".into(), true));
        assert_eq!(base("Re [2]: x"), ("x".into(), true));
        assert_eq!(base("Re[2]:x"), ("x".into(), true));
        assert_eq!(base("[a][b] Re: x"), ("x".into(), true));
        assert_eq!(base("Reply: x"), ("Reply: x".into(), false));
        assert_eq!(base("Re x"), ("Re x".into(), false));
    }

    #[test]
    fn step4_blobs() {
        assert_eq!(base("[list] x"), ("x".into(), false));
        assert_eq!(base("[list]"), ("[list]".into(), false));
        assert_eq!(base("[a] [b]"), ("[b]".into(), false));
        assert_eq!(base("[a[b] x"), ("[a[b] x".into(), false));
    }

    #[test]
    fn step5_repeat() {
        assert_eq!(base("[list] Re: [other] Fwd: x"), ("x".into(), true));
    }

    #[test]
    fn step6_fwd_wrapper() {
        assert_eq!(base("[Fwd: x]"), ("x".into(), true));
        assert_eq!(base("[fwd: Re: [l] x (fwd)]"), ("x".into(), true));
        assert_eq!(base("[fwd: x"), ("[fwd: x".into(), false));
        assert_eq!(base("[fwd: [fwd: x] ]"), ("x".into(), true));
    }

    #[test]
    fn empty() {
        assert_eq!(base(""), (String::new(), false));
        assert_eq!(base("Re: "), (String::new(), true));
        assert_eq!(base("   "), (String::new(), false));
    }
}
