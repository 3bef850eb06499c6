//! Comparators and match types ([RFC 5228 §2.7], RFC 4790, RFC 5231).
//!
//! `:matches` is linear in the common case and at worst the product of
//! the pattern and value lengths, charged to the work budget. With the
//! variables extension the wildcards capture what they matched, each as
//! few characters as it can ([RFC 5229 §3.2]).
//!
//! [RFC 5228 §2.7]: https://www.rfc-editor.org/rfc/rfc5228#section-2.7
//! [RFC 5229 §3.2]: https://www.rfc-editor.org/rfc/rfc5229#section-3.2

use std::cmp::Ordering;

use super::exec::Run;
use crate::error::RuntimeError;
use crate::ext::Extension;
use crate::types::{Comparator, MatchKind, Matcher, StrList};

impl Run<'_, '_> {
    /// Whether any of `values` matches any of `keys`.
    pub(crate) fn match_values(
        &mut self,
        matcher: Matcher,
        values: &[String],
        keys: &StrList,
    ) -> Result<bool, RuntimeError> {
        let keys = self.expand_list(keys)?;
        if let MatchKind::Count(relation) = matcher.kind {
            let count = values.len().to_string();
            return Ok(keys
                .iter()
                .any(|k| relation.holds(order(matcher.comparator, &count, k))));
        }
        let capture = matcher.kind == MatchKind::Matches && self.has(Extension::Variables);
        for value in values {
            for key in &keys {
                self.charge(value.len().saturating_add(key.len()))?;
                let matched = match matcher.kind {
                    MatchKind::Is => order(matcher.comparator, value, key) == Ordering::Equal,
                    MatchKind::Contains => contains(matcher.comparator, value, key),
                    MatchKind::Value(relation) => {
                        relation.holds(order(matcher.comparator, value, key))
                    }
                    MatchKind::Matches => {
                        if capture {
                            match self.wildcard_capture(matcher.comparator, value, key)? {
                                Some(groups) => {
                                    let max = self.config.limits.max_match_variables;
                                    let mut vars =
                                        Vec::with_capacity(groups.len().saturating_add(1));
                                    vars.push(value.clone());
                                    vars.extend(groups);
                                    vars.truncate(max);
                                    self.match_variables = vars;
                                    true
                                }
                                None => false,
                            }
                        } else {
                            self.wildcard(matcher.comparator, value, key)?
                        }
                    }
                    MatchKind::Count(_) => false,
                };
                if matched {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// `:matches` without captures: the classic backtracking over the last
    /// `*`, which never revisits more than one star.
    fn wildcard(
        &mut self,
        comparator: Comparator,
        value: &str,
        pattern: &str,
    ) -> Result<bool, RuntimeError> {
        let text: Vec<char> = value.chars().collect();
        let pat = tokens(pattern, true);
        let (mut p, mut t) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        let mut steps = 0usize;
        while t < text.len() {
            steps += 1;
            let c = text.get(t).copied();
            match pat.get(p) {
                Some(Token::Any) => {
                    p += 1;
                    t += 1;
                    continue;
                }
                Some(Token::Char(x)) if c.is_some_and(|c| same(comparator, *x, c)) => {
                    p += 1;
                    t += 1;
                    continue;
                }
                Some(Token::Star) => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                _ => {}
            }
            match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => break,
            }
            if steps > 4096 {
                self.charge(steps)?;
                steps = 0;
            }
        }
        self.charge(steps)?;
        if t < text.len() {
            return Ok(false);
        }
        while let Some(Token::Star) = pat.get(p) {
            p += 1;
        }
        Ok(p == pat.len())
    }

    /// `:matches` with captures: a table of which pattern suffix matches
    /// which value suffix, then a walk that gives each wildcard as few
    /// characters as the rest allows.
    fn wildcard_capture(
        &mut self,
        comparator: Comparator,
        value: &str,
        pattern: &str,
    ) -> Result<Option<Vec<String>>, RuntimeError> {
        let text: Vec<char> = value.chars().collect();
        let pat = tokens(pattern, false);
        let (n, m) = (text.len(), pat.len());
        let width = n + 1;
        self.charge(width.saturating_mul(m + 1))?;
        // table[i * width + j]: pat[i..] matches text[j..].
        let mut table = vec![false; width.saturating_mul(m + 1)];
        if let Some(cell) = table.get_mut(m * width + n) {
            *cell = true;
        }
        for i in (0..m).rev() {
            for j in (0..=n).rev() {
                let next = |di: usize, dj: usize| {
                    table
                        .get((i + di) * width + j + dj)
                        .copied()
                        .unwrap_or(false)
                };
                let ok = match pat.get(i) {
                    Some(Token::Star) => next(1, 0) || (j < n && next(0, 1)),
                    Some(Token::Any) => j < n && next(1, 1),
                    Some(Token::Char(x)) => {
                        j < n && text.get(j).is_some_and(|c| same(comparator, *x, *c)) && next(1, 1)
                    }
                    None => false,
                };
                if let Some(cell) = table.get_mut(i * width + j) {
                    *cell = ok;
                }
            }
        }
        if !table.first().copied().unwrap_or(false) {
            return Ok(None);
        }
        let at = |i: usize, j: usize| table.get(i * width + j).copied().unwrap_or(false);
        let mut groups = Vec::new();
        let mut j = 0usize;
        for (i, token) in pat.iter().enumerate() {
            match token {
                Token::Char(_) => j += 1,
                Token::Any => {
                    groups.push(text.get(j).map(|c| c.to_string()).unwrap_or_default());
                    j += 1;
                }
                Token::Star => {
                    let mut k = j;
                    while k < n && !at(i + 1, k) {
                        k += 1;
                    }
                    groups.push(
                        text.get(j..k)
                            .map(|s| s.iter().collect())
                            .unwrap_or_default(),
                    );
                    j = k;
                }
            }
        }
        Ok(Some(groups))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    Any,
    Star,
}

/// Pattern tokens: `*`, `?`, and `\` quoting the next character. Runs
/// of `*` become one when nothing is captured.
fn tokens(pattern: &str, collapse: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '*' => {
                if collapse && out.last() == Some(&Token::Star) {
                    continue;
                }
                Token::Star
            }
            '?' => Token::Any,
            '\\' => match chars.next() {
                Some(c) => Token::Char(c),
                None => continue,
            },
            c => Token::Char(c),
        });
    }
    out
}

/// Whether two characters are equal under the comparator.
fn same(comparator: Comparator, a: char, b: char) -> bool {
    match comparator {
        Comparator::AsciiCasemap => a.eq_ignore_ascii_case(&b),
        Comparator::Octet | Comparator::AsciiNumeric => a == b,
    }
}

/// Substring match under the comparator.
fn contains(comparator: Comparator, value: &str, key: &str) -> bool {
    match comparator {
        Comparator::Octet => value.contains(key),
        _ => {
            let (v, k) = (value.as_bytes(), key.as_bytes());
            k.is_empty() || v.windows(k.len()).any(|w| w.eq_ignore_ascii_case(k))
        }
    }
}

/// The comparator's ordering ([RFC 4790 §9]).
pub(crate) fn order(comparator: Comparator, a: &str, b: &str) -> Ordering {
    match comparator {
        Comparator::Octet => a.as_bytes().cmp(b.as_bytes()),
        Comparator::AsciiCasemap => a
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase())),
        Comparator::AsciiNumeric => numeric(a).cmp(&numeric(b)),
    }
}

/// `i;ascii-numeric`: the leading digits as a number, or positive infinity
/// when there are none ([RFC 4790 §9.1]).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Numeric<'a> {
    /// Digits without leading zeros, compared by length then lexically.
    Finite(usize, &'a str),
    Infinity,
}

fn numeric(s: &str) -> Numeric<'_> {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    if end == 0 {
        return Numeric::Infinity;
    }
    let digits = s.get(..end).unwrap_or_default().trim_start_matches('0');
    Numeric::Finite(digits.len(), digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_order() {
        let c = Comparator::AsciiNumeric;
        assert_eq!(order(c, "10", "9"), Ordering::Greater);
        assert_eq!(order(c, "007", "7abc"), Ordering::Equal);
        assert_eq!(order(c, "x", "99999999999999999999999"), Ordering::Greater);
        assert_eq!(order(c, "x", "y"), Ordering::Equal);
        assert_eq!(
            order(Comparator::AsciiCasemap, "ABC", "abc"),
            Ordering::Equal
        );
        assert_eq!(order(Comparator::Octet, "ABC", "abc"), Ordering::Less);
    }

    #[test]
    fn substring() {
        assert!(contains(
            Comparator::AsciiCasemap,
            "Make MONEY fast",
            "money"
        ));
        assert!(!contains(Comparator::Octet, "Make MONEY fast", "money"));
        assert!(contains(Comparator::Octet, "x", ""));
    }
}
