//! imap4flags ([RFC 5232]): flag lists kept as space-separated strings.
//!
//! [RFC 5232]: https://www.rfc-editor.org/rfc/rfc5232

/// The flags in a space-separated string, each once (case-insensitive,
/// first spelling kept, [RFC 5232 §3]).
///
/// [RFC 5232 §3]: https://www.rfc-editor.org/rfc/rfc5232#section-3
pub(crate) fn split(s: &str) -> Vec<String> {
    normalise(s.split_ascii_whitespace().map(str::to_owned).collect())
}

/// Drops repeated flags (case-insensitive), keeping the first spelling.
pub(crate) fn normalise(flags: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(flags.len());
    for f in flags {
        if !f.is_empty() && !out.iter().any(|x| x.eq_ignore_ascii_case(&f)) {
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn split_dedupes() {
        assert_eq!(super::split(" \\Seen  \\seen $Junk "), ["\\Seen", "$Junk"]);
    }
}
