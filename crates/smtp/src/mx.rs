//! Ordering mail exchangers ([RFC 5321 §5.1], null MX of [RFC 7505]).
//!
//! There is no resolver here: the adapter looks up the MX records of the
//! recipient domain, hands the answer to [`order_mx`], then resolves each
//! target's A/AAAA records in the order returned and tries them in turn.
//!
//! - Hosts are ordered by preference, lowest first; hosts of equal
//!   preference are shuffled with the caller's randomness (§5.1: "randomize
//!   them to spread the load").
//! - No MX record: the domain itself is the only target, an implicit MX of
//!   preference 0 (§5.1).
//! - A single MX of `.` is a null MX: the domain accepts no mail, a
//!   permanent failure reported as `556 5.1.10` ([RFC 7505 §4.1]).
//! - A client that finds itself among the targets drops every target whose
//!   preference is not lower than its own (§5.1).
//!
//! [RFC 5321 §5.1]: https://www.rfc-editor.org/rfc/rfc5321#section-5.1
//! [RFC 7505]: https://www.rfc-editor.org/rfc/rfc7505
//! [RFC 7505 §4.1]: https://www.rfc-editor.org/rfc/rfc7505#section-4.1
//!
//! # Example
//!
//! ```
//! use mailwire_smtp::mx::{order_mx, MxAnswer, MxRecord, MxError};
//!
//! let answer = MxAnswer::Records(vec![
//!     MxRecord::new(20, "backup.example.org."),
//!     MxRecord::new(10, "mx2.example.org."),
//!     MxRecord::new(10, "mx1.example.org."),
//! ]);
//! // A fixed "random" source keeps the example deterministic.
//! let targets = order_mx("example.org", &answer, &[], |_| 0).unwrap();
//! let names: Vec<&str> = targets.iter().map(|t| t.exchange.as_str()).collect();
//! assert_eq!(names[2], "backup.example.org");
//! assert!(names[..2].contains(&"mx1.example.org"));
//!
//! let null = MxAnswer::Records(vec![MxRecord::new(0, ".")]);
//! assert_eq!(order_mx("example.net", &null, &[], |_| 0), Err(MxError::NullMx));
//!
//! let implicit = order_mx("example.com", &MxAnswer::NoRecords, &[], |_| 0).unwrap();
//! assert!(implicit[0].implicit && implicit[0].exchange == "example.com");
//! ```

use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

/// One MX resource record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MxRecord {
    /// The preference; lower is tried first.
    pub preference: u16,
    /// The exchange's name, as DNS gave it (a trailing dot is fine).
    pub exchange: String,
}

impl MxRecord {
    /// A record.
    pub fn new(preference: u16, exchange: &str) -> Self {
        Self {
            preference,
            exchange: exchange.to_owned(),
        }
    }
}

/// What the MX lookup of a domain returned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MxAnswer {
    /// MX records.
    Records(Vec<MxRecord>),
    /// The domain exists but has no MX records: use the implicit MX.
    NoRecords,
}

/// A host to try, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MxTarget {
    /// The host name, lower-case, without a trailing dot.
    pub exchange: String,
    /// The MX preference (0 for the implicit MX).
    pub preference: u16,
    /// The domain has no MX: this is the domain itself (look up its A/AAAA).
    pub implicit: bool,
}

/// Why a domain has no host to deliver to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum MxError {
    /// A null MX ([RFC 7505]): the domain accepts no mail. Permanent.
    ///
    /// [RFC 7505]: https://www.rfc-editor.org/rfc/rfc7505
    #[error("the domain publishes a null MX and accepts no mail")]
    NullMx,
    /// Every target has a preference no lower than this host's own: the mail
    /// would loop (RFC 5321 §5.1).
    #[error("the MX list points back to this host")]
    LoopsBack,
}

impl MxError {
    /// The reply for a message that cannot be delivered for this reason
    /// (RFC 7505 §4.1: `556 5.1.10`; a loop is `554 5.4.6`).
    ///
    /// ```
    /// use mailwire_smtp::mx::MxError;
    /// assert_eq!(MxError::NullMx.reply().code().get(), 556);
    /// ```
    pub fn reply(&self) -> Reply<'static> {
        match self {
            MxError::NullMx => Reply::new_static(
                ReplyCode::DOMAIN_DOES_NOT_ACCEPT_MAIL,
                Some(EnhancedCode::NULL_MX),
                "Recipient address has null MX",
            ),
            MxError::LoopsBack => Reply::new_static(
                ReplyCode::TRANSACTION_FAILED,
                EnhancedCode::new(5, 4, 6),
                "Routing loop detected",
            ),
        }
    }
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Orders the MX answer for `domain` into the hosts to try.
///
/// `local_names` are this host's own names (for the loop rule of §5.1).
/// `random(n)` returns a value in `0..n`; it shuffles hosts of equal
/// preference.
///
/// # Errors
///
/// [`MxError::NullMx`] for a null MX, [`MxError::LoopsBack`] when every
/// target is this host or less preferred than it.
pub fn order_mx(
    domain: &str,
    answer: &MxAnswer,
    local_names: &[&str],
    mut random: impl FnMut(usize) -> usize,
) -> Result<Vec<MxTarget>, MxError> {
    let records = match answer {
        MxAnswer::NoRecords => {
            return Ok(vec![MxTarget {
                exchange: normalise(domain),
                preference: 0,
                implicit: true,
            }]);
        }
        MxAnswer::Records(records) if records.is_empty() => {
            return Ok(vec![MxTarget {
                exchange: normalise(domain),
                preference: 0,
                implicit: true,
            }]);
        }
        MxAnswer::Records(records) => records,
    };
    // RFC 7505 §3: a null MX is a single record with an empty exchange.
    if let [only] = records.as_slice()
        && normalise(&only.exchange).is_empty()
    {
        return Err(MxError::NullMx);
    }
    let mut targets: Vec<MxTarget> = Vec::with_capacity(records.len());
    let mut sorted: Vec<&MxRecord> = records.iter().collect();
    sorted.sort_by_key(|r| r.preference);
    for record in sorted {
        let exchange = normalise(&record.exchange);
        // A `.` among other records is not a host; skip duplicates too.
        if exchange.is_empty() || targets.iter().any(|t| t.exchange == exchange) {
            continue;
        }
        targets.push(MxTarget {
            exchange,
            preference: record.preference,
            implicit: false,
        });
    }
    let local: Vec<String> = local_names.iter().map(|n| normalise(n)).collect();
    if let Some(own) = targets
        .iter()
        .find(|t| local.contains(&t.exchange))
        .map(|t| t.preference)
    {
        targets.retain(|t| t.preference < own);
        if targets.is_empty() {
            return Err(MxError::LoopsBack);
        }
    }
    if targets.is_empty() {
        return Err(MxError::NullMx);
    }
    // Fisher-Yates within each run of equal preference.
    let mut start = 0;
    while start < targets.len() {
        let preference = targets.get(start).map_or(0, |t| t.preference);
        let end = targets
            .iter()
            .skip(start)
            .position(|t| t.preference != preference)
            .map_or(targets.len(), |n| start.saturating_add(n));
        if let Some(group) = targets.get_mut(start..end) {
            for i in (1..group.len()).rev() {
                let j = random(i.saturating_add(1)).min(i);
                group.swap(i, j);
            }
        }
        start = end;
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(targets: &[MxTarget]) -> Vec<&str> {
        targets.iter().map(|t| t.exchange.as_str()).collect()
    }

    #[test]
    fn ordered_by_preference_and_shuffled_within() {
        let answer = MxAnswer::Records(vec![
            MxRecord::new(30, "c.example."),
            MxRecord::new(10, "A1.example."),
            MxRecord::new(10, "a2.example"),
            MxRecord::new(20, "b.example"),
            MxRecord::new(10, "a3.example"),
        ]);
        let first = order_mx("example", &answer, &[], |_| 0).unwrap();
        assert_eq!(names(&first)[3..], ["b.example", "c.example"]);
        let mut seen = std::collections::HashSet::new();
        let mut state = 7usize;
        for _ in 0..200 {
            let t = order_mx("example", &answer, &[], |n| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) % n
            })
            .unwrap();
            let head: Vec<String> = t[..3].iter().map(|t| t.exchange.clone()).collect();
            let mut sorted = head.clone();
            sorted.sort();
            assert_eq!(sorted, ["a1.example", "a2.example", "a3.example"]);
            seen.insert(head);
        }
        assert_eq!(
            seen.len(),
            6,
            "every order of the equal-preference hosts appears"
        );
    }

    #[test]
    fn null_mx_and_implicit_mx() {
        assert_eq!(
            order_mx(
                "x",
                &MxAnswer::Records(vec![MxRecord::new(0, ".")]),
                &[],
                |_| 0
            ),
            Err(MxError::NullMx)
        );
        assert_eq!(
            MxError::NullMx.reply().enhanced(),
            Some(EnhancedCode::NULL_MX)
        );
        let mixed = MxAnswer::Records(vec![MxRecord::new(0, "."), MxRecord::new(10, "mx.x")]);
        assert_eq!(names(&order_mx("x", &mixed, &[], |_| 0).unwrap()), ["mx.x"]);
        let implicit =
            order_mx("Example.ORG.", &MxAnswer::Records(Vec::new()), &[], |_| 0).unwrap();
        assert_eq!(
            implicit,
            [MxTarget {
                exchange: "example.org".into(),
                preference: 0,
                implicit: true
            }]
        );
    }

    #[test]
    fn local_host_drops_less_preferred() {
        let answer = MxAnswer::Records(vec![
            MxRecord::new(10, "primary.example"),
            MxRecord::new(20, "me.example"),
            MxRecord::new(30, "tertiary.example"),
        ]);
        let t = order_mx("example", &answer, &["ME.example."], |_| 0).unwrap();
        assert_eq!(names(&t), ["primary.example"]);
        let answer = MxAnswer::Records(vec![MxRecord::new(10, "me.example")]);
        assert_eq!(
            order_mx("example", &answer, &["me.example"], |_| 0),
            Err(MxError::LoopsBack)
        );
    }
}
