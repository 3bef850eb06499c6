//! Responses: status lines matched to the commands in flight, multi-line
//! bodies unstuffed and split into listing lines or message chunks, and
//! SASL challenges ([RFC 1939 §3], [RFC 5034]).
//!
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034

use super::*;

impl Client {
    /// Processes buffered input until it runs out or events pile up.
    pub(super) fn process(&mut self) {
        loop {
            if self.backlogged() || self.fatal.is_set() {
                return;
            }
            match &mut self.phase {
                Phase::TlsPending | Phase::Closed => return,
                Phase::Multiline { kind, decoder } => {
                    let kind = *kind;
                    let buffered = self.framer.buffered();
                    if buffered.is_empty() {
                        return;
                    }
                    // A CR held back from the previous piece comes out
                    // with this one: one byte of room for it.
                    let room = self.config.limits.max_chunk.saturating_sub(1).max(1);
                    let take = buffered.len().min(room);
                    let input = buffered.get(..take).unwrap_or_default();
                    if self.lines.is_empty() {
                        self.lines_offset = decoder.offset();
                    }
                    self.chunk.clear();
                    let decoded = decoder.decode(input, &mut self.chunk);
                    self.framer.consume(decoded.consumed);
                    self.arm();
                    if let Some(e) = decoded.error {
                        self.fail(mailwire_core::Error::from(e).into());
                        return;
                    }
                    let data = std::mem::take(&mut self.chunk);
                    if kind == Kind::Body {
                        self.push_chunks(data);
                    } else {
                        self.listing_bytes(kind, &data);
                        self.chunk = data;
                        if self.fatal.is_set() {
                            return;
                        }
                    }
                    if decoded.done {
                        self.end_multiline(kind);
                    }
                }
                Phase::Greeting | Phase::Ready => {
                    let line = match self.framer.next_line() {
                        None => return,
                        Some(Err(e)) => Err(e),
                        Some(Ok(line)) => Ok((line.bytes().to_vec(), line.offset())),
                    };
                    match line {
                        Err(e) => {
                            let error = line_error(e);
                            self.fail(error);
                            return;
                        }
                        Ok((line, offset)) => {
                            self.arm();
                            if let Err(e) = self.response_line(&line) {
                                self.fail(e.offset_by(offset));
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Queues decoded body bytes as [`Event::MultilineChunk`]s of at most
    /// `max_chunk` bytes each. Normalising bare CRs and LFs writes up to
    /// two bytes per byte read, so one decoded piece may need several.
    fn push_chunks(&mut self, data: Vec<u8>) {
        let max = self.config.limits.max_chunk.max(1);
        if data.len() <= max {
            if !data.is_empty() {
                let len = data.len();
                self.events.push_body(Event::MultilineChunk { data }, len);
            }
            return;
        }
        for piece in data.chunks(max) {
            self.events.push_body(
                Event::MultilineChunk {
                    data: piece.to_vec(),
                },
                piece.len(),
            );
        }
    }

    pub(super) fn listing_bytes(&mut self, kind: Kind, data: &[u8]) {
        self.lines.extend_from_slice(data);
        let mut start = 0usize;
        while let Some(lf) = self
            .lines
            .get(start..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        {
            let end = start.saturating_add(lf);
            let line = self
                .lines
                .get(start..end)
                .unwrap_or_default()
                .strip_suffix(b"\r")
                .unwrap_or_default()
                .to_vec();
            let stuffed = u64::from(line.first() == Some(&b'.'));
            let wire_len = (end.saturating_sub(start) as u64)
                .saturating_add(1)
                .saturating_add(stuffed);
            start = end.saturating_add(1);
            if let Err(e) = self.listing_line(kind, &line) {
                self.fail(e.offset_by(self.lines_offset));
                return;
            }
            self.lines_offset = self.lines_offset.saturating_add(wire_len);
        }
        self.lines.drain(..start.min(self.lines.len()));
        let max = self.config.limits.max_response_line_length;
        if self.lines.len() > max {
            let actual = self.lines.len() as u64;
            self.fail(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: self.framer.stream_offset(),
                what: "response line length",
                limit: max as u64,
                actual,
            }));
        }
    }

    pub(super) fn listing_line(&mut self, kind: Kind, line: &[u8]) -> Result<(), Error> {
        match kind {
            Kind::ScanList => {
                let listing = parse_scan_listing(line)?;
                self.events.push(Event::ScanListing(listing));
            }
            Kind::UidList => {
                let listing = parse_unique_id_listing(line)?;
                self.events.push(Event::UniqueId(listing));
            }
            Kind::LangList => {
                let language = parse_language(line)?;
                self.events.push(Event::Language(language));
            }
            Kind::Capa => {
                let max = self.config.limits.max_capabilities;
                if self.capa_lines.0.len() >= max {
                    return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                        offset: self.framer.stream_offset(),
                        what: "capabilities",
                        limit: max as u64,
                        actual: max.saturating_add(1) as u64,
                    }));
                }
                self.capa_lines.push(parse_capability(line)?);
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn end_multiline(&mut self, kind: Kind) {
        self.lines.clear();
        if kind == Kind::Capa {
            let caps = std::mem::take(&mut self.capa_lines);
            self.capabilities = Some(caps.clone());
            self.events.push(Event::Capabilities(caps));
        }
        self.events.push(Event::MultilineEnd);
        self.phase = Phase::Ready;
        self.flush();
    }

    pub(super) fn response_line(&mut self, line: &[u8]) -> Result<(), Error> {
        if matches!(self.phase, Phase::Greeting) {
            let greeting = parse_greeting(line)?;
            let ok = greeting.response.is_ok();
            self.greeting = Some(greeting.response.clone());
            self.apop_timestamp.clone_from(&greeting.timestamp);
            self.events.push(Event::Greeting {
                response: greeting.response,
                apop_timestamp: greeting.timestamp,
            });
            if ok {
                self.phase = Phase::Ready;
                self.flush();
            } else {
                self.close(CloseReason::Rejected);
            }
            return Ok(());
        }
        let Some(head) = self.in_flight.front().copied() else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "a response to no command",
            }));
        };
        let response = match parse_server_line(line)? {
            ServerLine::Continuation(challenge) if head.kind == Kind::Auth => {
                self.continuation(&challenge);
                return Ok(());
            }
            ServerLine::Continuation(_) => {
                return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                    what: "a continuation outside AUTH",
                }));
            }
            ServerLine::Response(response) => response,
        };
        self.in_flight.pop_front();
        let ok = response.is_ok();
        if ok && head.kind == Kind::Auth {
            // The +OK counts only once the mechanism accepts the end of
            // the exchange (a SCRAM server signature verified).
            match self.exchange.as_mut() {
                Some(exchange) => exchange.client.finish()?,
                None => {
                    return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                        what: "+OK to AUTH without an exchange",
                    }));
                }
            }
        }
        let text = response.text.as_str().as_bytes().to_vec();
        self.events.push(Event::Reply {
            command: head.keyword,
            response,
        });
        if head.kind == Kind::Auth {
            self.set_line_limit(self.config.limits.max_response_line_length);
        }
        if !ok {
            self.exchange = None;
            self.flush();
            return Ok(());
        }
        match head.kind {
            Kind::Stat => {
                if let Ok(listing) = parse_drop_listing(&text) {
                    self.events.push(Event::Stat(listing));
                }
            }
            Kind::ListOne => {
                if let Ok(listing) = parse_scan_listing(&text) {
                    self.events.push(Event::ScanListing(listing));
                }
            }
            Kind::UidlOne => {
                if let Ok(listing) = parse_unique_id_listing(&text) {
                    self.events.push(Event::UniqueId(listing));
                }
            }
            Kind::Body | Kind::ScanList | Kind::UidList | Kind::Capa | Kind::LangList => {
                let start = self
                    .framer
                    .stream_offset()
                    .saturating_sub(self.framer.buffered().len() as u64);
                self.lines.clear();
                self.capa_lines = Capabilities::default();
                self.phase = Phase::Multiline {
                    kind: head.kind,
                    decoder: DotDecoder::with_offset(self.config.bare_newline, start),
                };
            }
            Kind::Stls => {
                // RFC 2595 §4: nothing received in plaintext after +OK
                // counts, and the capabilities are to be asked again.
                self.framer.clear();
                self.capabilities = None;
                self.phase = Phase::TlsPending;
                self.timer.disarm();
                self.events.push(Event::TlsRequested);
                return Ok(());
            }
            Kind::Login => self.events.push(Event::Authenticated { mechanism: None }),
            Kind::Auth => {
                let mechanism = self.exchange.take().map(|e| e.client.mechanism().clone());
                self.events.push(Event::Authenticated { mechanism });
            }
            Kind::Quit => {
                self.close(CloseReason::Quit);
                return Ok(());
            }
            Kind::Simple => {}
        }
        self.flush();
        Ok(())
    }

    pub(super) fn continuation(&mut self, challenge: &[u8]) {
        let mut line = Vec::new();
        let response = match self.exchange.as_mut() {
            Some(exchange) => match exchange.deferred_initial.take() {
                Some(initial) if challenge.is_empty() => Ok(initial),
                _ => exchange.client.step(challenge),
            },
            None => Err(mailwire_sasl::Error::OutOfOrder {
                reason: "no exchange",
            }),
        };
        match response {
            Ok(data) => {
                wire::encode_response(data.expose_secret(), &mut line);
                line.extend_from_slice(b"\r\n");
                self.push_out(&line, true);
            }
            Err(_) => {
                // The server's challenge is not acceptable: cancel (RFC
                // 5034 §4); it answers -ERR.
                if let Some(exchange) = self.exchange.as_mut() {
                    exchange.client.cancel();
                }
                line.extend_from_slice(wire::CANCEL);
                line.extend_from_slice(b"\r\n");
                self.push_out(&line, false);
            }
        }
    }
}
