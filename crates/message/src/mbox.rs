//! mbox files ([RFC 4155]): reading and writing the mboxrd and mboxo
//! variants, one message at a time.
//!
//! ```text
//! mbox    = *(from-line message blank-line)
//! from-line = "From " sender SP asctime-date LF
//! ```
//!
//! Each message starts at a line beginning `From ` and ends before the
//! empty line that precedes the next one (or at the end of the file). Body
//! lines that would look like a `From ` line are quoted with `>`:
//!
//! - **mboxrd** quotes every line matching `>*From ` by adding one `>`,
//!   and unquotes by removing one, so any content round-trips;
//! - **mboxo** quotes only `From ` lines, so a line that was `>From ` comes
//!   back as `From `: reading removes one `>` from `>From ` lines only.
//!
//! `Content-Length` fields (mboxcl) are kept as they are and not used to
//! find the end of a message: the `From ` lines are authoritative, as in
//! Python's `mailbox.mbox`. Bytes before the first `From ` line are
//! skipped.
//!
//! [RFC 4155]: https://www.rfc-editor.org/rfc/rfc4155
//!
//! ```
//! use mailwire_message::mbox::{MboxFormat, MboxReader, MboxWriter};
//!
//! let mut file = Vec::new();
//! let mut writer = MboxWriter::new(&mut file, MboxFormat::Mboxrd);
//! writer.write_message(b"From alice@example.org Mon Jan  1 00:00:00 2024",
//!     b"Subject: one\n\nFrom here on\n>From there\n").unwrap();
//! writer.write_message(b"From bob@example.org Mon Jan  1 00:00:00 2024", b"Subject: two\n\nbody\n").unwrap();
//! assert_eq!(file, b"From alice@example.org Mon Jan  1 00:00:00 2024\nSubject: one\n\n>From here on\n>>From there\n\n\
//! From bob@example.org Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody\n\n");
//!
//! let messages: Vec<_> = MboxReader::new(file.as_slice(), MboxFormat::Mboxrd)
//!     .collect::<Result<_, _>>().unwrap();
//! assert_eq!(messages[0].data(), b"Subject: one\n\nFrom here on\n>From there\n");
//! assert_eq!(messages[1].from_line(), b"From bob@example.org Mon Jan  1 00:00:00 2024");
//! ```

use std::io::{BufRead, Read, Write};

use chrono::{DateTime, Utc};

/// The mbox variant ([RFC 4155 §2] and its Appendix).
///
/// [RFC 4155 §2]: https://www.rfc-editor.org/rfc/rfc4155#section-2
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MboxFormat {
    /// `>*From ` lines quoted with one more `>`: reversible.
    Mboxrd,
    /// Only `From ` lines quoted.
    Mboxo,
}

/// Why an mbox could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MboxError {
    /// A message is longer than [`MboxReader::with_max_message_size`].
    #[error("message larger than {limit} octets")]
    MessageTooLarge {
        /// The limit.
        limit: u64,
    },
    /// A `From ` line given to the writer is not one line starting
    /// `From `.
    #[error("invalid From line")]
    InvalidFromLine,
    /// Reading or writing failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// One message of an mbox: its `From ` line and its unquoted bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboxMessage {
    from_line: Vec<u8>,
    data: Vec<u8>,
}

impl MboxMessage {
    /// The `From ` line, without its line ending.
    pub fn from_line(&self) -> &[u8] {
        &self.from_line
    }

    /// The message bytes, unquoted.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The message bytes, unquoted.
    pub fn into_data(self) -> Vec<u8> {
        self.data
    }
}

/// Whether `line` is a quoted or unquoted `From ` line of the format, and
/// how many `>` it starts with.
fn quote_depth(line: &[u8]) -> Option<usize> {
    let depth = line.iter().take_while(|&&b| b == b'>').count();
    line.get(depth..)?.starts_with(b"From ").then_some(depth)
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

/// Reads messages from an mbox, one at a time ([RFC 4155]).
///
/// [RFC 4155]: https://www.rfc-editor.org/rfc/rfc4155
#[derive(Debug)]
pub struct MboxReader<R> {
    input: R,
    format: MboxFormat,
    max_message_size: u64,
    next_from: Option<Vec<u8>>,
    started: bool,
    line: Vec<u8>,
}

impl<R: BufRead> MboxReader<R> {
    /// Reads `input` as `format`; messages up to 1 GiB.
    pub fn new(input: R, format: MboxFormat) -> Self {
        Self {
            input,
            format,
            max_message_size: 1 << 30,
            next_from: None,
            started: false,
            line: Vec::new(),
        }
    }

    /// Sets the largest message accepted (default 1 GiB).
    #[must_use]
    pub fn with_max_message_size(mut self, max: u64) -> Self {
        self.max_message_size = max;
        self
    }

    /// Reads one line into `self.line`, at most `limit` octets.
    fn read_line(&mut self, limit: u64) -> Result<bool, MboxError> {
        self.line.clear();
        let n = (&mut self.input)
            .take(limit.saturating_add(1))
            .read_until(b'\n', &mut self.line)?;
        if n as u64 > limit {
            return Err(MboxError::MessageTooLarge {
                limit: self.max_message_size,
            });
        }
        Ok(n > 0)
    }

    fn next_message(&mut self) -> Result<Option<MboxMessage>, MboxError> {
        if !self.started {
            self.started = true;
            loop {
                if !self.read_line(self.max_message_size)? {
                    return Ok(None);
                }
                if self.line.starts_with(b"From ") {
                    self.next_from = Some(std::mem::take(&mut self.line));
                    break;
                }
            }
        }
        let Some(mut from_line) = self.next_from.take() else {
            return Ok(None);
        };
        strip_line_ending(&mut from_line);
        let mut data = Vec::new();
        // The last line, held back: an empty line before a From line is the
        // separator's, not the message's.
        let mut held_blank: Option<Vec<u8>> = None;
        loop {
            let used = data.len() as u64;
            if !self.read_line(self.max_message_size.saturating_sub(used))? {
                // The empty line at the end of the file is the separator's.
                break;
            }
            if self.line.starts_with(b"From ") {
                self.next_from = Some(std::mem::take(&mut self.line));
                break;
            }
            if let Some(blank) = held_blank.take() {
                data.extend_from_slice(&blank);
            }
            if is_blank(&self.line) {
                held_blank = Some(self.line.clone());
                continue;
            }
            let unquote = match (self.format, quote_depth(&self.line)) {
                (MboxFormat::Mboxrd, Some(depth)) => depth > 0,
                (MboxFormat::Mboxo, Some(depth)) => depth == 1,
                _ => false,
            };
            data.extend_from_slice(self.line.get(usize::from(unquote)..).unwrap_or_default());
        }
        Ok(Some(MboxMessage { from_line, data }))
    }
}

fn strip_line_ending(line: &mut Vec<u8>) {
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = Result<MboxMessage, MboxError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_message() {
            Ok(Some(message)) => Some(Ok(message)),
            Ok(None) => None,
            Err(e) => {
                self.next_from = None;
                Some(Err(e))
            }
        }
    }
}

/// Writes messages into an mbox ([RFC 4155]), quoting `From ` lines.
///
/// [RFC 4155]: https://www.rfc-editor.org/rfc/rfc4155
#[derive(Debug)]
pub struct MboxWriter<W> {
    output: W,
    format: MboxFormat,
}

/// The `From ` line for `sender` at `date` (seconds since the Unix epoch,
/// written in UTC): `From sender asctime` ([RFC 4155 §2]).
///
/// [RFC 4155 §2]: https://www.rfc-editor.org/rfc/rfc4155#section-2
///
/// ```
/// let date = 1_700_000_000;
/// assert_eq!(mailwire_message::mbox::from_line("a@example.org", date),
///            "From a@example.org Tue Nov 14 22:13:20 2023");
/// assert_eq!(mailwire_message::mbox::from_line("", date),
///            "From MAILER-DAEMON Tue Nov 14 22:13:20 2023");
/// ```
pub fn from_line(sender: &str, date: i64) -> String {
    let date = DateTime::<Utc>::from_timestamp(date, 0).unwrap_or_default();
    let sender: String = sender
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let sender = if sender.is_empty() {
        "MAILER-DAEMON"
    } else {
        &sender
    };
    format!("From {sender} {}", date.format("%a %b %e %H:%M:%S %Y"))
}

impl<W: Write> MboxWriter<W> {
    /// Writes into `output` as `format`.
    pub fn new(output: W, format: MboxFormat) -> Self {
        Self { output, format }
    }

    /// Writes one message: `from_line` (one line starting `From `, no
    /// line ending), `data` quoted, a line ending if `data` lacks one, and
    /// the empty separator line. Line endings follow `data`'s first one.
    pub fn write_message(&mut self, from_line: &[u8], data: &[u8]) -> Result<(), MboxError> {
        if !from_line.starts_with(b"From ") || from_line.iter().any(|&b| b == b'\n' || b == b'\r') {
            return Err(MboxError::InvalidFromLine);
        }
        let newline: &[u8] = match memchr::memchr(b'\n', data) {
            Some(i) if i > 0 && data.get(i - 1) == Some(&b'\r') => b"\r\n",
            _ => b"\n",
        };
        self.output.write_all(from_line)?;
        self.output.write_all(newline)?;
        let mut rest = data;
        while !rest.is_empty() {
            let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i.saturating_add(1));
            let (line, tail) = rest.split_at(end);
            let quote = match (self.format, quote_depth(line)) {
                (MboxFormat::Mboxrd, Some(_)) => true,
                (MboxFormat::Mboxo, Some(depth)) => depth == 0,
                _ => false,
            };
            if quote {
                self.output.write_all(b">")?;
            }
            self.output.write_all(line)?;
            rest = tail;
        }
        if !data.is_empty() && !data.ends_with(b"\n") {
            self.output.write_all(newline)?;
        }
        self.output.write_all(newline)?;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn into_inner(mut self) -> Result<W, MboxError> {
        self.output.flush()?;
        Ok(self.output)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn read(file: &[u8], format: MboxFormat) -> Vec<MboxMessage> {
        MboxReader::new(file, format)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn mboxrd_round_trip_any_quoting() {
        let data = b"Subject: x\r\n\r\nFrom a\r\n>From b\r\n>>From c\r\n>Fro\r\nFrom\r\n\r\n\r\n";
        for format in [MboxFormat::Mboxrd, MboxFormat::Mboxo] {
            let mut file = Vec::new();
            let mut w = MboxWriter::new(&mut file, format);
            w.write_message(b"From x Thu Jan  1 00:00:00 1970", data)
                .unwrap();
            w.write_message(b"From y Thu Jan  1 00:00:00 1970", b"no newline")
                .unwrap();
            let messages = read(&file, format);
            assert_eq!(messages.len(), 2);
            if format == MboxFormat::Mboxrd {
                assert_eq!(messages[0].data(), data);
            } else {
                // mboxo cannot tell ">From b" from a quoted "From b".
                assert_eq!(
                    messages[0].data(),
                    &b"Subject: x\r\n\r\nFrom a\r\nFrom b\r\n>>From c\r\n>Fro\r\nFrom\r\n\r\n\r\n"
                        [..]
                );
            }
            assert_eq!(messages[1].data(), b"no newline\n");
        }
    }

    #[test]
    fn tolerant_reading() {
        let file = b"junk\nFrom a Thu Jan  1 00:00:00 1970\nContent-Length: 3\n\nabc\nFrom b Thu Jan  1 00:00:00 1970\nx\n";
        let messages = read(file, MboxFormat::Mboxrd);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].data(), b"Content-Length: 3\n\nabc\n");
        assert_eq!(messages[1].data(), b"x\n");
        assert!(read(b"", MboxFormat::Mboxrd).is_empty());
    }

    #[test]
    fn limits() {
        let file = b"From a\nxxxxxxxxxxxxxxxxxxxx\n";
        let mut reader = MboxReader::new(&file[..], MboxFormat::Mboxrd).with_max_message_size(10);
        assert!(matches!(
            reader.next(),
            Some(Err(MboxError::MessageTooLarge { limit: 10 }))
        ));
        assert!(reader.next().is_none());
        let mut w = MboxWriter::new(Vec::new(), MboxFormat::Mboxrd);
        assert!(matches!(
            w.write_message(b"Frm", b""),
            Err(MboxError::InvalidFromLine)
        ));
    }
}
