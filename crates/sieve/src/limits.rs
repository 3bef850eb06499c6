//! Limits on scripts and on their execution.
//!
//! Sieve has no loops (RFC 5228 §1), but a script can still be large, nest
//! deeply, or compare long strings many times. Every bound here has a
//! default; going over one is a typed error that names the limit.

/// Bounds applied while parsing, compiling and running a script.
///
/// ```
/// let mut limits = mailwire_sieve::Limits::default();
/// limits.max_redirects = 1;
/// assert_eq!(limits.max_nesting, 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest script accepted, in octets.
    pub max_script_size: usize,
    /// Deepest nesting of blocks and tests ([RFC 5228 §2.6]).
    ///
    /// [RFC 5228 §2.6]: https://www.rfc-editor.org/rfc/rfc5228#section-2.6
    pub max_nesting: usize,
    /// Most `redirect` actions one run may take ([RFC 5228 §4.2]).
    ///
    /// [RFC 5228 §4.2]: https://www.rfc-editor.org/rfc/rfc5228#section-4.2
    pub max_redirects: usize,
    /// Most actions one run may take (implicit keep not counted).
    pub max_actions: usize,
    /// Longest value a variable holds, in octets; longer values are
    /// truncated at a character boundary ([RFC 5229 §3]).
    ///
    /// [RFC 5229 §3]: https://www.rfc-editor.org/rfc/rfc5229#section-3
    pub max_variable_size: usize,
    /// Most distinct variables one script may name.
    pub max_variables: usize,
    /// Most match variables (`${0}` to `${N-1}`) kept after a match.
    pub max_match_variables: usize,
    /// Units of work one run may spend (roughly one per character
    /// compared); past it the run stops with an error and keeps the message.
    pub max_work: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_script_size: 1 << 20,
            max_nesting: 32,
            max_redirects: 4,
            max_actions: 32,
            max_variable_size: 4096,
            max_variables: 256,
            max_match_variables: 10,
            max_work: 20_000_000,
        }
    }
}
