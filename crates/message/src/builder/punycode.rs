//! Punycode ([RFC 3492 §6.3]) and the ASCII form of an internationalised
//! domain name: each non-ASCII label lower-cased and written `xn--` plus
//! its Punycode ([RFC 5890 §2.3.2.1]).
//!
//! Only case folding is applied before encoding: Unicode normalisation and
//! the IDNA2008 validity tables are not, so a name must already be in the
//! form its owner registered.
//!
//! [RFC 3492 §6.3]: https://www.rfc-editor.org/rfc/rfc3492#section-6.3
//! [RFC 5890 §2.3.2.1]: https://www.rfc-editor.org/rfc/rfc5890#section-2.3.2.1

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Bias adaptation ([RFC 3492 §6.1]).
///
/// [RFC 3492 §6.1]: https://www.rfc-editor.org/rfc/rfc3492#section-6.1
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta = delta.saturating_add(delta / points.max(1));
    let mut k = 0u32;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k = k.saturating_add(BASE);
    }
    k.saturating_add(((BASE - T_MIN + 1).saturating_mul(delta)) / delta.saturating_add(SKEW))
}

fn digit(d: u32) -> char {
    let d = u8::try_from(d).unwrap_or(0);
    char::from(if d < 26 {
        b'a'.saturating_add(d)
    } else {
        b'0'.saturating_add(d.saturating_sub(26))
    })
}

/// Encodes `input` in Punycode ([RFC 3492 §6.3]); `None` on overflow.
///
/// [RFC 3492 §6.3]: https://www.rfc-editor.org/rfc/rfc3492#section-6.3
///
/// ```
/// use mailwire_message::builder::punycode::encode;
/// assert_eq!(encode("bücher").as_deref(), Some("bcher-kva"));
/// assert_eq!(encode("münchen").as_deref(), Some("mnchen-3ya"));
/// ```
pub fn encode(input: &str) -> Option<String> {
    let points: Vec<u32> = input.chars().map(u32::from).collect();
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let mut n = INITIAL_N;
    let mut delta: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let total = u32::try_from(points.len()).ok()?;
    while handled < total {
        let m = points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled.checked_add(1)?)?)?;
        n = m;
        for &c in &points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias.saturating_add(T_MAX) {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k = k.checked_add(BASE)?;
                }
                output.push(digit(q));
                bias = adapt(delta, handled.saturating_add(1), handled == basic);
                delta = 0;
                handled = handled.saturating_add(1);
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

/// The ASCII form of a domain name: ASCII labels unchanged, others
/// lower-cased and written `xn--` + Punycode. `None` if a label cannot be
/// encoded or is longer than 63 octets.
///
/// ```
/// use mailwire_message::builder::punycode::domain_to_ascii;
/// assert_eq!(domain_to_ascii("Bücher.example").as_deref(), Some("xn--bcher-kva.example"));
/// assert_eq!(domain_to_ascii("example.org").as_deref(), Some("example.org"));
/// ```
pub fn domain_to_ascii(domain: &str) -> Option<String> {
    let mut out = String::with_capacity(domain.len().saturating_add(8));
    for (i, label) in domain.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.is_ascii() {
            out.push_str(label);
            continue;
        }
        let encoded = encode(&label.to_lowercase())?;
        if encoded.len().saturating_add(4) > 63 {
            return None;
        }
        out.push_str("xn--");
        out.push_str(&encoded);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Samples of RFC 3492 §7.1.
    #[test]
    fn rfc3492_samples() {
        let chinese: String = [
            0x4ED6u32, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587,
        ]
        .iter()
        .filter_map(|&c| char::from_u32(c))
        .collect();
        assert_eq!(
            encode(&chinese).as_deref(),
            Some("ihqwcrb4cv8a8dqg056pqjye")
        );
        let japanese: String = [
            0x0033u32, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F,
        ]
        .iter()
        .filter_map(|&c| char::from_u32(c))
        .collect();
        assert_eq!(
            encode(&japanese).as_deref(),
            Some("3B-ww4c5e180e575a65lsy2b")
        );
        assert_eq!(encode("abc").as_deref(), Some("abc-"));
    }
}
