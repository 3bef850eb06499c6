//! Message streaming for `RETR` and `TOP` ([RFC 1939 §7]): the first
//! `+OK`, the message dot-stuffed as the application hands it over, cut for
//! `TOP`, then the terminating line.
//!
//! [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7

use mailwire_core::dot::DotEncoder;

use crate::Error;
use crate::types::response::Response;

use super::{Event, Pending, Server, as_err, ok, ok_owned};

/// Cuts a message for `TOP`: the header, the blank line, then `n` lines.
#[derive(Debug, Clone, Copy)]
struct TopFilter {
    in_header: bool,
    line_empty: bool,
    remaining: u32,
    done: bool,
}

impl TopFilter {
    const fn new(lines: u32) -> Self {
        Self {
            in_header: true,
            line_empty: true,
            remaining: lines,
            done: false,
        }
    }

    /// How much of `chunk` to send.
    fn take(&mut self, chunk: &[u8]) -> usize {
        let mut i = 0usize;
        while let Some(&b) = chunk.get(i) {
            if self.done {
                return i;
            }
            if !self.in_header && self.remaining == 0 {
                self.done = true;
                return i;
            }
            match b {
                b'\n' => {
                    if self.in_header {
                        if self.line_empty {
                            self.in_header = false;
                        }
                    } else {
                        self.remaining = self.remaining.saturating_sub(1);
                    }
                    self.line_empty = true;
                }
                b'\r' => {}
                _ => self.line_empty = false,
            }
            i = i.saturating_add(1);
        }
        if !self.in_header && self.remaining == 0 {
            self.done = true;
        }
        i
    }
}

#[derive(Debug)]
pub(super) struct Stream {
    encoder: DotEncoder,
    started: bool,
    size: Option<u64>,
    top: Option<TopFilter>,
}

impl Server {
    /// Sends part of the message of [`Event::MessageRequested`]: `+OK`
    /// first, then the bytes dot-stuffed (every CR, LF and CRLF written as
    /// CRLF), cut after the header and `n` body lines for `TOP`.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message was asked for.
    pub fn send_message_chunk(&mut self, data: &[u8]) -> Result<(), Error> {
        if !self.question.is(Pending::Message) {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_message_chunk without MessageRequested",
            }));
        }
        let Some(mut stream) = self.stream.take() else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_message_chunk without MessageRequested",
            }));
        };
        self.start_stream(&mut stream);
        let take = match &mut stream.top {
            Some(top) => top.take(data),
            None => data.len(),
        };
        stream
            .encoder
            .encode(data.get(..take).unwrap_or_default(), self.out.buffer());
        self.stream = Some(stream);
        Ok(())
    }

    /// Ends the message of [`Event::MessageRequested`] (`.` line).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message was asked for.
    pub fn finish_message(&mut self) -> Result<(), Error> {
        if !self.question.is(Pending::Message) {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "finish_message without MessageRequested",
            }));
        }
        let Some(mut stream) = self.stream.take() else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "finish_message without MessageRequested",
            }));
        };
        self.start_stream(&mut stream);
        stream.encoder.finish(self.out.buffer());
        self.question.clear();
        self.arm();
        self.resume();
        Ok(())
    }

    /// Answers [`Event::MessageRequested`] with `response` (made `-ERR`)
    /// instead of the message; only before the first chunk.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message was asked for or a chunk was
    /// already sent.
    pub fn message_unavailable(&mut self, response: Response) -> Result<(), Error> {
        let started = self.stream.as_ref().is_none_or(|s| s.started);
        if !self.question.is(Pending::Message) || started {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "message_unavailable without MessageRequested or after a chunk",
            }));
        }
        self.stream = None;
        self.question.clear();
        self.send(&as_err(response));
        self.arm();
        self.resume();
        Ok(())
    }

    pub(super) fn ask_message(&mut self, message: u32, top_lines: Option<u32>, size: Option<u64>) {
        self.stream = Some(Stream {
            encoder: DotEncoder::new(),
            started: false,
            size,
            top: top_lines.map(TopFilter::new),
        });
        self.ask(
            Pending::Message,
            Event::MessageRequested { message, top_lines },
        );
    }

    pub(super) fn start_stream(&mut self, stream: &mut Stream) {
        if !stream.started {
            stream.started = true;
            let first = match stream.size {
                Some(size) => ok_owned(format!("{size} octets")),
                None => ok("Top of message follows"),
            };
            self.send(&first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_filter_cuts_after_header_and_lines() {
        let message = b"Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\nthree\r\n";
        for n in 0..4u32 {
            let mut whole = TopFilter::new(n);
            let cut = whole.take(message);
            let expected: &[u8] = match n {
                0 => b"Subject: x\r\nFrom: y\r\n\r\n",
                1 => b"Subject: x\r\nFrom: y\r\n\r\none\r\n",
                2 => b"Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\n",
                _ => b"Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\nthree\r\n",
            };
            assert_eq!(&message[..cut], expected, "n = {n}");
            // Byte by byte gives the same cut.
            let mut split = TopFilter::new(n);
            let mut sent = Vec::new();
            for b in message {
                let take = split.take(std::slice::from_ref(b));
                sent.extend_from_slice(&std::slice::from_ref(b)[..take]);
            }
            assert_eq!(sent, expected, "n = {n}, split");
        }
        // A message without a body: everything is header.
        let mut f = TopFilter::new(0);
        assert_eq!(f.take(b"Subject: x\r\n"), 12);
    }
}
