//! Queue configuration: the retry schedule, lifetimes and limits.

use std::time::Duration;

/// Queue configuration. The defaults follow Postfix's.
///
/// ```
/// use mailwire_smtp::queue::QueueConfig;
/// use std::time::Duration;
/// let config = QueueConfig::default();
/// assert_eq!(config.minimal_backoff, Duration::from_secs(300));
/// assert_eq!(config.retry_delay(1, 0), 300 - 30);
/// assert_eq!(config.retry_bounds(9), (4000 - 400, 4000 + 400));
/// assert!((3600..=4400).contains(&config.retry_delay(9, u64::MAX)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueConfig {
    /// Delay before the first retry; each further retry doubles it
    /// (Postfix `minimal_backoff_time`, 300 s).
    pub minimal_backoff: Duration,
    /// Longest delay between retries (Postfix `maximal_backoff_time`,
    /// 4000 s).
    pub maximal_backoff: Duration,
    /// How long a message is tried before its recipients bounce (Postfix
    /// `maximal_queue_lifetime`, 5 days).
    pub maximal_queue_lifetime: Duration,
    /// When a delay notice is due ([RFC 3461 §4.1] `DELAY`; Postfix
    /// `delay_warning_time`, here 4 hours); `None` sends none.
    ///
    /// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
    pub delay_warning: Option<Duration>,
    /// Each retry delay is moved by up to this percentage either way, so
    /// that messages deferred together do not retry together (10).
    pub jitter_percent: u8,
    /// Most delivery attempts running at once to one domain (Postfix
    /// `default_destination_concurrency_limit`, 20).
    pub destination_concurrency: usize,
    /// Seed of the jitter and of the shuffling of equal-preference MX
    /// hosts. The values drawn depend only on the seed, the message, the
    /// domain and the attempt, so a restored queue keeps the same schedule.
    pub seed: u64,
    /// This host's names, for the MX loop rule ([RFC 5321 §5.1]).
    ///
    /// [RFC 5321 §5.1]: https://www.rfc-editor.org/rfc/rfc5321#section-5.1
    pub local_names: Vec<String>,
    /// Most recipients per message, also when reading an envelope file
    /// (1000).
    pub max_recipients: usize,
}

impl Default for QueueConfig {
    fn default() -> Self {
        Self {
            minimal_backoff: Duration::from_secs(300),
            maximal_backoff: Duration::from_secs(4000),
            maximal_queue_lifetime: Duration::from_secs(5 * 24 * 3600),
            delay_warning: Some(Duration::from_secs(4 * 3600)),
            jitter_percent: 10,
            destination_concurrency: 20,
            seed: 0,
            local_names: Vec::new(),
            max_recipients: 1000,
        }
    }
}

impl QueueConfig {
    /// The delay before retry number `attempt` (1 after the first failure)
    /// before jitter: `minimal_backoff` doubled `attempt - 1` times, at
    /// most `maximal_backoff`.
    pub fn backoff(&self, attempt: u32) -> u64 {
        let minimal = self.minimal_backoff.as_secs().max(1);
        let maximal = self.maximal_backoff.as_secs().max(minimal);
        let shift = attempt.saturating_sub(1).min(32);
        minimal.saturating_mul(1u64 << shift).min(maximal)
    }

    /// The jitter bounds around [`backoff`](Self::backoff): `(low, high)`.
    pub fn retry_bounds(&self, attempt: u32) -> (u64, u64) {
        let base = self.backoff(attempt);
        let spread = base.saturating_mul(u64::from(self.jitter_percent.min(100))) / 100;
        (
            base.saturating_sub(spread).max(1),
            base.saturating_add(spread),
        )
    }

    /// The delay before retry `attempt`, `random` choosing within the
    /// jitter bounds.
    pub fn retry_delay(&self, attempt: u32, random: u64) -> u64 {
        let (low, high) = self.retry_bounds(attempt);
        let width = high.saturating_sub(low).saturating_add(1);
        low.saturating_add(random.checked_rem(width).unwrap_or(0))
    }
}

/// A deterministic random value for (seed, message, domain, attempt):
/// FNV-1a over the inputs, then SplitMix64's finaliser.
pub(crate) fn draw(seed: u64, message: &str, domain: &str, attempt: u32, salt: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    let bytes = message
        .bytes()
        .chain([0])
        .chain(domain.bytes())
        .chain(attempt.to_le_bytes())
        .chain(salt.to_le_bytes());
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = hash.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
