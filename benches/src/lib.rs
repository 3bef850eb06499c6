//! Input generators shared by the mailwire benches.
//!
//! The benches live in `benches/benches/`; run them with
//! `cargo bench -p mailwire-benches`. Inputs are generated from a fixed seed,
//! so every run (and every peer in a run) sees the same bytes.
#![forbid(unsafe_code)]
#![allow(clippy::indexing_slicing)] // bench inputs, not peer data

/// A small deterministic generator (xorshift64*), so inputs need no
/// dependency and are the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    /// The next pseudo-random value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// `count` SMTP command lines, a realistic mix of EHLO, MAIL FROM (with
/// parameters), RCPT TO, and short commands, each ending in CRLF.
pub fn smtp_command_lines(count: usize) -> Vec<u8> {
    let mut rng = Rng::new(0x5eed_0001);
    let mut out = Vec::with_capacity(count * 40);
    for i in 0..count {
        let user = rng.below(100_000);
        let host = rng.below(1000);
        let line = match rng.below(10) {
            0 => format!("EHLO client{host}.example.net\r\n"),
            1..=3 => format!(
                "MAIL FROM:<sender.{user}@mail{host}.example.org> SIZE={} BODY=8BITMIME\r\n",
                rng.below(50_000_000)
            ),
            4..=7 => format!("RCPT TO:<recipient{user}@example.com>\r\n"),
            8 => "DATA\r\n".to_string(),
            _ => match i % 3 {
                0 => "RSET\r\n".to_string(),
                1 => "NOOP\r\n".to_string(),
                _ => "QUIT\r\n".to_string(),
            },
        };
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// A dot-stuffed message body of about `size` bytes: text lines of up to
/// 78 characters, about one in twenty starting with a (stuffed) dot,
/// followed by the `CRLF . CRLF` terminator.
pub fn dot_stuffed_body(size: usize) -> Vec<u8> {
    let mut rng = Rng::new(0x5eed_0002);
    let mut out = Vec::with_capacity(size + 128);
    out.extend_from_slice(b"From: a@example.org\r\nTo: b@example.com\r\nSubject: bench\r\n\r\n");
    const WORDS: &[&[u8]] = &[
        b"mail",
        b"protocol",
        b"the",
        b"of",
        b"message",
        b"transfer",
        b"agent",
        b"body",
        b"a",
        b"line",
        b"stream",
        b"chunk",
        b"server",
        b"client",
    ];
    while out.len() < size {
        if rng.below(20) == 0 {
            out.extend_from_slice(b"..");
        }
        let target = 20 + rng.below(58) as usize;
        let mut len = 0;
        while len < target {
            let word = WORDS[rng.below(WORDS.len() as u64) as usize];
            out.extend_from_slice(word);
            out.push(b' ');
            len += word.len() + 1;
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_deterministic_and_well_formed() {
        let lines = smtp_command_lines(1000);
        assert_eq!(lines, smtp_command_lines(1000));
        assert_eq!(lines.windows(2).filter(|w| w == b"\r\n").count(), 1000);
        let body = dot_stuffed_body(100_000);
        assert!(body.ends_with(b"\r\n.\r\n"));
        assert_eq!(body.windows(5).filter(|w| w == b"\r\n.\r\n").count(), 1);
    }
}
