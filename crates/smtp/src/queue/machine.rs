//! The queue machine.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::config::{QueueConfig, draw};
use super::types::{
    Diagnostic, Event, Job, JobId, Message, MessageId, RecipientReport, RecipientState, Timestamp,
};
use crate::mx::{MxAnswer, order_mx};

/// Why the queue refused a call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// A message identifier is not 1 to 64 of `A-Z a-z 0-9 . _ -`.
    #[error("invalid message identifier")]
    InvalidMessageId,
    /// A message with this identifier is already queued.
    #[error("message {0} is already queued")]
    Duplicate(MessageId),
    /// The message has no recipient.
    #[error("message has no recipient")]
    NoRecipients,
    /// The message has more recipients than the limit.
    #[error("more than {limit} recipients")]
    TooManyRecipients {
        /// [`QueueConfig::max_recipients`].
        limit: usize,
    },
    /// A recipient address has no domain (`local@domain`).
    #[error("recipient {0:?} has no domain")]
    InvalidRecipient(String),
    /// No attempt with this identifier is running.
    #[error("no running attempt {0:?}")]
    UnknownJob(JobId),
    /// The attempt has no host yet, or no host left.
    #[error("attempt {0:?} has no current host")]
    NoHost(JobId),
}

/// A running attempt.
#[derive(Debug)]
struct Running {
    job: Job,
    host: usize,
}

/// The outgoing queue. See the [module docs](super).
#[derive(Debug)]
pub struct Queue {
    config: QueueConfig,
    messages: BTreeMap<MessageId, Message>,
    running: BTreeMap<JobId, Running>,
    /// Running attempts per domain.
    active: BTreeMap<String, usize>,
    /// Recipients in a running attempt, per message.
    in_flight: BTreeMap<MessageId, BTreeSet<usize>>,
    /// When each message next needs looking at, and the same ordered by time.
    wake: BTreeMap<MessageId, Timestamp>,
    by_time: BTreeSet<(Timestamp, MessageId)>,
    /// Messages with recipients due for a domain at its concurrency limit.
    waiting: BTreeMap<String, BTreeSet<MessageId>>,
    events: VecDeque<Event>,
    next_job: u64,
}

impl Queue {
    /// An empty queue.
    pub fn new(config: QueueConfig) -> Self {
        Self {
            config,
            messages: BTreeMap::new(),
            running: BTreeMap::new(),
            active: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            wake: BTreeMap::new(),
            by_time: BTreeSet::new(),
            waiting: BTreeMap::new(),
            events: VecDeque::new(),
            next_job: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &QueueConfig {
        &self.config
    }

    /// A queued message.
    pub fn message(&self, id: &MessageId) -> Option<&Message> {
        self.messages.get(id)
    }

    /// Every queued message, by identifier.
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.messages.values()
    }

    /// A running attempt.
    pub fn job(&self, id: JobId) -> Option<&Job> {
        self.running.get(&id).map(|running| &running.job)
    }

    /// Adds a message accepted at `now`; its pending recipients are due at
    /// once. Poll events afterwards.
    ///
    /// # Errors
    ///
    /// [`QueueError::Duplicate`], [`QueueError::NoRecipients`],
    /// [`QueueError::TooManyRecipients`], [`QueueError::InvalidRecipient`].
    pub fn enqueue(&mut self, now: Timestamp, mut message: Message) -> Result<(), QueueError> {
        self.check(&message)?;
        for recipient in &mut message.recipients {
            if recipient.state == RecipientState::Pending && recipient.attempts == 0 {
                recipient.next_due = recipient.next_due.max(message.arrival).min(now);
            }
        }
        self.insert(message);
        self.schedule(now);
        Ok(())
    }

    fn insert(&mut self, message: Message) {
        let id = message.id.clone();
        self.messages.insert(id.clone(), message);
        self.rewake(&id, true);
    }

    /// Adds a message read back from its envelope file after a restart,
    /// keeping every recipient's schedule. Poll events afterwards.
    ///
    /// # Errors
    ///
    /// As [`enqueue`](Self::enqueue).
    pub fn restore(&mut self, now: Timestamp, message: Message) -> Result<(), QueueError> {
        self.check(&message)?;
        if message.is_done() {
            self.events.push_back(Event::Finished {
                message: message.id,
            });
            return Ok(());
        }
        self.insert(message);
        self.schedule(now);
        Ok(())
    }

    fn check(&self, message: &Message) -> Result<(), QueueError> {
        if self.messages.contains_key(&message.id) {
            return Err(QueueError::Duplicate(message.id.clone()));
        }
        if message.recipients.is_empty() {
            return Err(QueueError::NoRecipients);
        }
        if message.recipients.len() > self.config.max_recipients {
            return Err(QueueError::TooManyRecipients {
                limit: self.config.max_recipients,
            });
        }
        if let Some(recipient) = message.recipients.iter().find(|r| r.domain().is_empty()) {
            return Err(QueueError::InvalidRecipient(recipient.address.clone()));
        }
        Ok(())
    }

    /// Makes every waiting recipient due now (`postqueue -f`).
    pub fn flush(&mut self, now: Timestamp) {
        let ids: Vec<MessageId> = self.messages.keys().cloned().collect();
        for id in ids {
            let running = self.in_flight.get(&id);
            if let Some(message) = self.messages.get_mut(&id) {
                for (index, recipient) in message.recipients.iter_mut().enumerate() {
                    let is_running = running.is_some_and(|r| r.contains(&index));
                    if !recipient.state.is_final() && !is_running {
                        recipient.next_due = recipient.next_due.min(now);
                    }
                }
            }
            self.rewake(&id, true);
        }
        self.schedule(now);
    }

    /// Time has passed: start due attempts, send delay notices. Poll
    /// events afterwards.
    pub fn handle_timeout(&mut self, now: Timestamp) {
        self.schedule(now);
    }

    /// The MX answer for a [`Event::Deliver`] job, or the transient DNS
    /// failure that prevented it. A null MX or a loop bounces the job's
    /// recipients ([RFC 7505 §4.1]); otherwise [`Event::ConnectTo`] names
    /// the first host.
    ///
    /// [RFC 7505 §4.1]: https://www.rfc-editor.org/rfc/rfc7505#section-4.1
    ///
    /// # Errors
    ///
    /// [`QueueError::UnknownJob`].
    pub fn handle_mx(
        &mut self,
        now: Timestamp,
        job: JobId,
        answer: Result<&MxAnswer, Diagnostic>,
    ) -> Result<(), QueueError> {
        let running = self
            .running
            .get_mut(&job)
            .ok_or(QueueError::UnknownJob(job))?;
        let answer = match answer {
            Ok(answer) => answer,
            Err(diagnostic) => {
                self.finish(now, job, &[], Some(diagnostic), None);
                return Ok(());
            }
        };
        let local: Vec<&str> = self.config.local_names.iter().map(String::as_str).collect();
        let (seed, message, domain) = (
            self.config.seed,
            running.job.message.clone(),
            running.job.domain.clone(),
        );
        let mut salt = 0u64;
        let ordered = order_mx(&domain, answer, &local, |n| {
            salt = salt.wrapping_add(1);
            let value = draw(seed, message.as_str(), &domain, u32::MAX, salt);
            usize::try_from(value)
                .unwrap_or(0)
                .checked_rem(n)
                .unwrap_or(0)
        });
        match ordered {
            Ok(hosts) if !hosts.is_empty() => {
                running.job.hosts = hosts;
                running.host = 0;
                self.connect_current(job);
            }
            Ok(_) => {
                let diagnostic = Diagnostic::other("no host for the domain");
                self.finish(now, job, &[], Some(diagnostic), None);
            }
            Err(error) => {
                let diagnostic = Diagnostic::from_reply(&error.reply());
                self.finish(now, job, &[], Some(diagnostic), None);
            }
        }
        Ok(())
    }

    fn connect_current(&mut self, job: JobId) {
        if let Some(running) = self.running.get(&job)
            && let Some(host) = running.job.hosts.get(running.host)
        {
            self.events.push_back(Event::ConnectTo {
                job: running.job.clone(),
                host: host.clone(),
            });
        }
    }

    /// The connection to the current host failed (refused, timed out, TLS
    /// required but failed): the next host is tried, or the recipients are
    /// deferred when none is left.
    ///
    /// # Errors
    ///
    /// [`QueueError::UnknownJob`].
    pub fn handle_connect_failed(
        &mut self,
        now: Timestamp,
        job: JobId,
        reason: &str,
    ) -> Result<(), QueueError> {
        self.next_host(now, job, Diagnostic::other(reason))
    }

    /// A reply that ended the whole transaction (to the greeting, EHLO,
    /// MAIL, or the end of data): 2xx delivers every recipient of the job,
    /// 4xx tries the next host, 5xx bounces them. When some RCPT was
    /// refused, or the server replies per recipient (LMTP), use
    /// [`handle_recipient_replies`](Self::handle_recipient_replies) instead.
    ///
    /// # Errors
    ///
    /// [`QueueError::UnknownJob`].
    pub fn handle_session_reply(
        &mut self,
        now: Timestamp,
        job: JobId,
        reply: Diagnostic,
    ) -> Result<(), QueueError> {
        if !self.running.contains_key(&job) {
            return Err(QueueError::UnknownJob(job));
        }
        if reply.is_permanent() || reply.is_success() {
            let host = self.current_host(job);
            self.finish(now, job, &[], Some(reply), host);
            Ok(())
        } else {
            self.next_host(now, job, reply)
        }
    }

    fn next_host(
        &mut self,
        now: Timestamp,
        job: JobId,
        reason: Diagnostic,
    ) -> Result<(), QueueError> {
        let running = self
            .running
            .get_mut(&job)
            .ok_or(QueueError::UnknownJob(job))?;
        running.host = running.host.saturating_add(1);
        if running.host < running.job.hosts.len() {
            self.connect_current(job);
        } else {
            self.finish(now, job, &[], Some(reason), None);
        }
        Ok(())
    }

    fn current_host(&self, job: JobId) -> Option<String> {
        let running = self.running.get(&job)?;
        running
            .job
            .hosts
            .get(running.host)
            .map(|host| host.exchange.clone())
    }

    /// The final reply for each recipient of the attempt, by index in the
    /// message (the RCPT reply when it refused, else the reply to the
    /// end of data, or per recipient in LMTP): 2xx delivered, 4xx
    /// deferred, 5xx bounced. Recipients of the job left out are deferred.
    ///
    /// # Errors
    ///
    /// [`QueueError::UnknownJob`].
    pub fn handle_recipient_replies(
        &mut self,
        now: Timestamp,
        job: JobId,
        replies: &[(usize, Diagnostic)],
    ) -> Result<(), QueueError> {
        if !self.running.contains_key(&job) {
            return Err(QueueError::UnknownJob(job));
        }
        let host = self.current_host(job);
        let fallback = Diagnostic::other("no reply for this recipient");
        self.finish(now, job, replies, Some(fallback), host);
        Ok(())
    }

    /// Ends an attempt: each recipient gets its reply from `replies`, or
    /// `otherwise`.
    fn finish(
        &mut self,
        now: Timestamp,
        job: JobId,
        replies: &[(usize, Diagnostic)],
        otherwise: Option<Diagnostic>,
        host: Option<String>,
    ) {
        let Some(running) = self.running.remove(&job) else {
            return;
        };
        let job = running.job;
        if let Some(count) = self.active.get_mut(&job.domain) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.active.remove(&job.domain);
            }
        }
        if let Some(flying) = self.in_flight.get_mut(&job.message) {
            for (index, _) in &job.recipients {
                flying.remove(index);
            }
            if flying.is_empty() {
                self.in_flight.remove(&job.message);
            }
        }
        self.release(&job.domain, now);
        let Some(message) = self.messages.get_mut(&job.message) else {
            self.schedule(now);
            return;
        };
        let lifetime = self.config.maximal_queue_lifetime.as_secs();
        let expiry = message.arrival.plus(lifetime);
        let null_sender = message.has_null_sender();
        let (mut delivered, mut deferred, mut bounced, mut expired) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut next_attempt: Option<Timestamp> = None;
        for (index, _) in &job.recipients {
            let Some(recipient) = message.recipients.get_mut(*index) else {
                continue;
            };
            if recipient.state.is_final() {
                continue;
            }
            let diagnostic = replies
                .iter()
                .find(|(i, _)| i == index)
                .map(|(_, d)| d.clone())
                .or_else(|| otherwise.clone());
            let mut report = RecipientReport {
                index: *index,
                address: recipient.address.clone(),
                orcpt: recipient.orcpt.clone(),
                diagnostic: diagnostic.clone(),
                remote_mta: host.clone(),
                dsn: false,
            };
            match diagnostic {
                Some(d) if d.is_success() => {
                    recipient.state = RecipientState::Delivered;
                    recipient.last = Some(d);
                    report.dsn = !null_sender && recipient.wants_success();
                    delivered.push(report);
                }
                Some(d) if d.is_permanent() => {
                    recipient.state = RecipientState::Bounced;
                    recipient.last = Some(d);
                    report.dsn = !null_sender && recipient.wants_failure();
                    bounced.push(report);
                }
                d => {
                    recipient.attempts = recipient.attempts.saturating_add(1);
                    recipient.last = d;
                    if now >= expiry {
                        recipient.state = RecipientState::Bounced;
                        report.dsn = !null_sender && recipient.wants_failure();
                        expired.push(report);
                    } else {
                        let random = draw(
                            self.config.seed,
                            message.id.as_str(),
                            &job.domain,
                            recipient.attempts,
                            0,
                        );
                        let delay = self.config.retry_delay(recipient.attempts, random);
                        recipient.state = RecipientState::Deferred;
                        recipient.next_due = now.plus(delay).min(expiry);
                        next_attempt = Some(
                            next_attempt.map_or(recipient.next_due, |t| t.min(recipient.next_due)),
                        );
                        deferred.push(report);
                    }
                }
            }
        }
        let id = message.id.clone();
        let done = message.is_done();
        if !delivered.is_empty() {
            self.events.push_back(Event::Delivered {
                message: id.clone(),
                recipients: delivered,
            });
        }
        if let Some(next_attempt) = next_attempt {
            self.events.push_back(Event::Defer {
                message: id.clone(),
                recipients: deferred,
                next_attempt,
            });
        }
        for (recipients, expired) in [(bounced, false), (expired, true)] {
            if !recipients.is_empty() {
                let dsn = recipients.iter().any(|r| r.dsn);
                self.events.push_back(Event::Bounce {
                    message: id.clone(),
                    recipients,
                    expired,
                    dsn,
                });
            }
        }
        if done {
            self.messages.remove(&id);
            self.set_wake(&id, None);
            self.events.push_back(Event::Finished { message: id });
        } else {
            self.rewake(&id, true);
        }
        self.schedule(now);
    }

    /// Makes messages waiting for `domain` due at `now`, as many as the
    /// domain has free attempts.
    fn release(&mut self, domain: &str, now: Timestamp) {
        let active = self.active.get(domain).copied().unwrap_or(0);
        let mut free = self.config.destination_concurrency.saturating_sub(active);
        while free > 0 {
            let Some(waiting) = self.waiting.get_mut(domain) else {
                break;
            };
            let Some(id) = waiting.pop_first() else {
                self.waiting.remove(domain);
                break;
            };
            if self.messages.contains_key(&id) {
                let wake = self.wake.get(&id).map_or(now, |t| (*t).min(now));
                self.set_wake(&id, Some(wake));
                free = free.saturating_sub(1);
            }
        }
    }

    fn set_wake(&mut self, id: &MessageId, wake: Option<Timestamp>) {
        if let Some(old) = self.wake.remove(id) {
            self.by_time.remove(&(old, id.clone()));
        }
        if let Some(wake) = wake {
            self.wake.insert(id.clone(), wake);
            self.by_time.insert((wake, id.clone()));
        }
    }

    /// Recomputes when a message next needs looking at: its earliest
    /// recipient retry (with `include_due`, also recipients already due)
    /// and its delay warning.
    fn rewake(&mut self, id: &MessageId, include_due: bool) {
        let wake = self
            .messages
            .get(id)
            .and_then(|message| self.next_wake(message, include_due));
        self.set_wake(id, wake);
    }

    fn next_wake(&self, message: &Message, include_due: bool) -> Option<Timestamp> {
        let warning = self.config.delay_warning.map(|d| d.as_secs());
        let running = self.in_flight.get(&message.id);
        let wake_due = self.wake.get(&message.id).copied();
        let mut earliest: Option<Timestamp> = None;
        let mut consider = |t: Timestamp| earliest = Some(earliest.map_or(t, |e| e.min(t)));
        for (index, recipient) in message.recipients.iter().enumerate() {
            if recipient.state.is_final() || running.is_some_and(|r| r.contains(&index)) {
                continue;
            }
            let due = wake_due.is_some_and(|w| recipient.next_due <= w);
            if include_due || !due {
                consider(recipient.next_due);
            }
            if let Some(warning) = warning
                && recipient.state == RecipientState::Deferred
                && !recipient.delay_notified
            {
                consider(message.arrival.plus(warning));
            }
        }
        earliest
    }

    /// Sends due delay notices and starts due attempts.
    fn schedule(&mut self, now: Timestamp) {
        let due: Vec<MessageId> = self
            .by_time
            .iter()
            .take_while(|(t, _)| *t <= now)
            .map(|(_, id)| id.clone())
            .collect();
        for id in due {
            self.schedule_message(&id, now);
        }
    }

    fn schedule_message(&mut self, id: &MessageId, now: Timestamp) {
        let warning = self.config.delay_warning.map(|d| d.as_secs());
        let lifetime = self.config.maximal_queue_lifetime.as_secs();
        let Some(message) = self.messages.get_mut(id) else {
            self.set_wake(id, None);
            return;
        };
        let running = self.in_flight.get(id);
        let null_sender = message.has_null_sender();
        let mut notices = Vec::new();
        let mut due: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        for (index, recipient) in message.recipients.iter_mut().enumerate() {
            if recipient.state.is_final() || running.is_some_and(|r| r.contains(&index)) {
                continue;
            }
            if let Some(warning) = warning
                && recipient.state == RecipientState::Deferred
                && !recipient.delay_notified
                && now >= message.arrival.plus(warning)
            {
                recipient.delay_notified = true;
                if !null_sender && recipient.wants_delay() {
                    notices.push(RecipientReport {
                        index,
                        address: recipient.address.clone(),
                        orcpt: recipient.orcpt.clone(),
                        diagnostic: recipient.last.clone(),
                        remote_mta: None,
                        dsn: true,
                    });
                }
            }
            if recipient.next_due <= now {
                due.entry(recipient.domain())
                    .or_default()
                    .push((index, recipient.address.clone()));
            }
        }
        if !notices.is_empty() {
            self.events.push_back(Event::DelayNotice {
                message: id.clone(),
                recipients: notices,
                will_retry_until: message.arrival.plus(lifetime),
            });
        }
        let sender = message.sender.clone();
        for (domain, recipients) in due {
            let active = self.active.entry(domain.clone()).or_default();
            if *active >= self.config.destination_concurrency {
                self.waiting.entry(domain).or_default().insert(id.clone());
                continue;
            }
            *active = active.saturating_add(1);
            let flying = self.in_flight.entry(id.clone()).or_default();
            flying.extend(recipients.iter().map(|(index, _)| *index));
            let job = Job {
                id: JobId(self.next_job),
                message: id.clone(),
                sender: sender.clone(),
                domain,
                recipients,
                hosts: Vec::new(),
            };
            self.next_job = self.next_job.wrapping_add(1);
            self.events.push_back(Event::Deliver(job.clone()));
            self.running.insert(job.id, Running { job, host: 0 });
        }
        // Recipients still due wait in `waiting` for their domain.
        self.set_wake(id, Some(now));
        self.rewake(id, false);
    }

    /// The next event. Poll until `None` after `enqueue`, `restore`,
    /// `flush` and every `handle_*` call.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due: the
    /// earliest retry or delay notice of a recipient that is not in a
    /// running attempt and whose domain is below its concurrency limit
    /// (a finishing attempt starts the others). Poll again after the
    /// calls listed at [`poll_event`](Self::poll_event).
    pub fn poll_timeout(&self) -> Option<Timestamp> {
        self.by_time.first().map(|(t, _)| *t)
    }
}
