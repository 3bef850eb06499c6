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

/// Message inputs: the test corpus of real and malformed messages, a
/// 10 MB message with a base64 attachment, a message with 10,000 header
/// fields and a multipart message with 10,000 parts.
#[allow(clippy::unwrap_used, clippy::missing_panics_doc)]
pub mod message {
    use std::path::PathBuf;

    /// The `full` workload: parse and decode every leaf body; returns the
    /// decoded byte count so both sides of a comparison do the same work.
    pub fn mailwire_full(input: &[u8]) -> usize {
        let message = mailwire_message::parse(input);
        message
            .root()
            .leaves()
            .map(|p| p.decoded_body().0.len())
            .sum()
    }

    /// The `headers` workload: the top-level header section only.
    pub fn mailwire_headers(input: &[u8]) -> usize {
        let section =
            mailwire_message::parse_header(input, mailwire_message::limits::Limits::default());
        section.header.len() + section.header.subject().map_or(0, |s| s.len())
    }

    /// The `text` workload: text leaves decoded to Unicode.
    pub fn mailwire_text(input: &[u8]) -> usize {
        let message = mailwire_message::parse(input);
        message
            .root()
            .leaves()
            .filter(|p| p.is_text())
            .map(|p| p.text().0.len())
            .sum()
    }

    /// See the module documentation.
    pub fn corpus() -> Vec<Vec<u8>> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates/message/tests/corpus");
        let mut files = Vec::new();
        for dir in ["python", "mailwire"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            files.extend(paths.into_iter().map(|p| std::fs::read(p).unwrap()));
        }
        files
    }

    /// See the module documentation.
    pub fn base64_lines(n: usize, seed: u8) -> String {
        use std::fmt::Write as _;
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(n * 78);
        let mut x = u32::from(seed);
        for _ in 0..n {
            for _ in 0..76 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                out.push(char::from(alphabet[(x >> 16) as usize % 64]));
            }
            let _ = write!(out, "\r\n");
        }
        out
    }

    /// See the module documentation.
    pub fn big_attachment() -> Vec<u8> {
        let mut m = String::from(
            "From: Sender <sender@example.com>\r\nTo: rcpt@example.org\r\nSubject: =?utf-8?q?Rapport_annuel?=\r\n\
    Date: Mon, 2 Mar 2020 10:00:00 +0100\r\nMessage-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n\
    Content-Type: multipart/mixed; boundary=\"=_big\"\r\n\r\n--=_big\r\nContent-Type: text/plain; charset=utf-8\r\n\
    Content-Transfer-Encoding: quoted-printable\r\n\r\nVoir la pi=C3=A8ce jointe.\r\n--=_big\r\n\
    Content-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\n\
    Content-Transfer-Encoding: base64\r\n\r\n",
        );
        m.push_str(&base64_lines(10 * 1024 * 1024 / 78, 1));
        m.push_str("--=_big--\r\n");
        m.into_bytes()
    }

    /// See the module documentation.
    pub fn many_fields() -> Vec<u8> {
        let mut m = String::new();
        for i in 0..10_000 {
            m.push_str(&format!(
                "X-Field-{i}: value number {i} with some text =?utf-8?q?caf=C3=A9?=\r\n"
            ));
        }
        m.push_str("Subject: many fields\r\nFrom: a@example.org\r\n\r\nbody\r\n");
        m.into_bytes()
    }

    /// See the module documentation.
    pub fn many_parts() -> Vec<u8> {
        let mut m = String::from(
            "From: a@example.org\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=\"=_p\"\r\n\r\n",
        );
        for i in 0..10_000 {
            m.push_str(&format!(
                "--=_p\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nPart {i} of the message.\r\n"
            ));
        }
        m.push_str("--=_p--\r\n");
        m.into_bytes()
    }
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
