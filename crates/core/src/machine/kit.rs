//! The pieces every protocol machine is built from: an [`Outbox`] of
//! transmits, a bounded [`EventQueue`], a [`Sticky`] fatal error, a [`Timer`]
//! for deadlines, an [`ErrorCounter`] and the [`Question`] the application
//! must answer. See the [module documentation](super) for a machine built
//! with them.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::Transmit;
use crate::Error;

/// Bytes waiting for [`Machine::poll_transmit`](super::Machine::poll_transmit),
/// each run marked with whether it carries credentials.
///
/// Public and secret bytes never share a transmit: a driver that logs
/// traffic logs every public byte and never a password. Runs of the same
/// kind written one after the other go out together.
///
/// ```
/// use mailwire_core::machine::{Outbox, Transmit};
/// let mut outbox = Outbox::new();
/// outbox.push(b"USER alice\r\n");
/// outbox.push_secret(b"PASS secret\r\n");
/// outbox.push(b"STAT\r\n");
/// let mut buf = Vec::new();
/// assert_eq!(outbox.poll_transmit(&mut buf), Some(Transmit { len: 12, secret: false }));
/// assert_eq!(outbox.poll_transmit(&mut buf), Some(Transmit { len: 13, secret: true }));
/// assert_eq!(outbox.poll_transmit(&mut buf), Some(Transmit { len: 6, secret: false }));
/// assert_eq!(outbox.poll_transmit(&mut buf), None);
/// assert_eq!(buf, b"USER alice\r\nPASS secret\r\nSTAT\r\n");
/// ```
#[derive(Debug, Default, Clone)]
pub struct Outbox {
    /// Runs closed by a change of kind, oldest first.
    closed: VecDeque<(Vec<u8>, bool)>,
    /// The run being written.
    open: Vec<u8>,
    /// Whether the open run is secret.
    secret: bool,
}

impl Outbox {
    /// An empty outbox.
    pub const fn new() -> Self {
        Self {
            closed: VecDeque::new(),
            open: Vec::new(),
            secret: false,
        }
    }

    fn run(&mut self, secret: bool) -> &mut Vec<u8> {
        if self.secret != secret {
            if !self.open.is_empty() {
                let run = std::mem::take(&mut self.open);
                self.closed.push_back((run, self.secret));
            }
            self.secret = secret;
        }
        &mut self.open
    }

    /// The buffer to encode public bytes into.
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.run(false)
    }

    /// The buffer to encode secret bytes into (an AUTH response, a `PASS`
    /// command).
    pub fn secret_buffer(&mut self) -> &mut Vec<u8> {
        self.run(true)
    }

    /// Queues public bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.run(false).extend_from_slice(bytes);
    }

    /// Queues bytes that carry credentials.
    pub fn push_secret(&mut self, bytes: &[u8]) {
        self.run(true).extend_from_slice(bytes);
    }

    /// `true` when nothing waits to be sent.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty() && self.closed.is_empty()
    }

    /// How many bytes wait to be sent.
    pub fn len(&self) -> usize {
        self.closed
            .iter()
            .fold(self.open.len(), |n, (run, _)| n.saturating_add(run.len()))
    }

    /// Moves the oldest run to `buf` and describes it; `None` when nothing
    /// is queued. The body of every `poll_transmit`: poll until `None`.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        let (len, secret) = match self.closed.pop_front() {
            Some((run, secret)) => {
                buf.extend_from_slice(&run);
                (run.len(), secret)
            }
            None if self.open.is_empty() => return None,
            None => {
                let len = self.open.len();
                buf.append(&mut self.open);
                (len, self.secret)
            }
        };
        Some(Transmit { len, secret })
    }
}

/// Events for the application, with the one cap policy every machine
/// follows: pushing never fails (one input step may produce several
/// events), but a machine whose queue [`is_full`](Self::is_full) takes no
/// more input until the application polls. The queue is full at its event
/// cap, or when the body octets its events carry reach the byte limit, so
/// memory stays bounded by the caps plus what one step produces.
///
/// ```
/// use mailwire_core::machine::EventQueue;
/// let mut queue = EventQueue::with_capacity(2);
/// queue.push("greeting");
/// assert!(!queue.is_full());
/// queue.push("reply");
/// assert!(queue.is_full());
/// assert_eq!(queue.pop(), Some("greeting"));
///
/// // Body chunks count by their size.
/// let mut queue = EventQueue::new().with_byte_limit(1024);
/// queue.push_body(vec![0u8; 1000], 1000);
/// assert!(!queue.is_full());
/// queue.push_body(vec![0u8; 24], 24);
/// assert!(queue.is_full());
/// queue.pop();
/// assert_eq!(queue.queued_bytes(), 24);
/// ```
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    /// Each event with the body octets it carries.
    events: VecDeque<(E, usize)>,
    cap: usize,
    bytes: usize,
    max_bytes: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// The cap used unless a machine's limits say otherwise.
    pub const DEFAULT_CAPACITY: usize = 64;

    /// A queue with [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY) and no
    /// byte limit.
    pub const fn new() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }

    /// A queue that is full at `cap` events (at least one).
    pub const fn with_capacity(cap: usize) -> Self {
        Self {
            events: VecDeque::new(),
            cap: if cap == 0 { 1 } else { cap },
            bytes: 0,
            max_bytes: usize::MAX,
        }
    }

    /// The same queue, also full once its events carry `max` body octets.
    #[must_use]
    pub const fn with_byte_limit(mut self, max: usize) -> Self {
        self.max_bytes = max;
        self
    }

    /// Queues an event.
    pub fn push(&mut self, event: E) {
        self.events.push_back((event, 0));
    }

    /// Queues an event that carries `bytes` body octets.
    pub fn push_body(&mut self, event: E, bytes: usize) {
        self.bytes = self.bytes.saturating_add(bytes);
        self.events.push_back((event, bytes));
    }

    /// Takes the oldest event.
    pub fn pop(&mut self) -> Option<E> {
        let (event, bytes) = self.events.pop_front()?;
        self.bytes = self.bytes.saturating_sub(bytes);
        Some(event)
    }

    /// `true` at or over a cap: take no input until the application polls.
    pub fn is_full(&self) -> bool {
        self.events.len() >= self.cap || self.bytes >= self.max_bytes
    }

    /// `true` when no event waits.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many events wait.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Body octets carried by the events waiting.
    pub fn queued_bytes(&self) -> usize {
        self.bytes
    }

    /// The events waiting, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &E> {
        self.events.iter().map(|(event, _)| event)
    }
}

/// A fatal error that sticks: once set, every later
/// [`handle_input`](super::Machine::handle_input) returns it, while the
/// last-gasp reply already queued in the [`Outbox`] still goes out.
///
/// ```
/// use mailwire_core::machine::{Outbox, Sticky};
/// use mailwire_core::Error;
/// let mut fatal = Sticky::new();
/// assert_eq!(fatal.check(), Ok(()));
/// let mut outbox = Outbox::new();
/// fatal.fail(Error::Timeout, &mut outbox, b"421 Timeout\r\n");
/// fatal.fail(Error::TooManyErrors { limit: 1 }, &mut outbox, b"");
/// assert_eq!(fatal.check(), Err(Error::Timeout)); // the first one sticks
/// assert_eq!(outbox.len(), 13);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sticky<E> {
    error: Option<E>,
}

impl<E> Default for Sticky<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Sticky<E> {
    /// No error yet.
    pub const fn new() -> Self {
        Self { error: None }
    }
}

impl<E: Clone> Sticky<E> {
    /// `Err` with the error once one is set.
    ///
    /// # Errors
    ///
    /// The sticky error.
    pub fn check(&self) -> Result<(), E> {
        match &self.error {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    /// Sets the error, unless one is already set.
    pub fn set(&mut self, error: E) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Queues the last-gasp reply and sets the error, unless one is already
    /// set (then nothing is queued).
    pub fn fail(&mut self, error: E, outbox: &mut Outbox, last_gasp: &[u8]) {
        if self.error.is_none() {
            outbox.push(last_gasp);
            self.error = Some(error);
        }
    }

    /// The error, if set.
    pub const fn get(&self) -> Option<&E> {
        self.error.as_ref()
    }

    /// `true` once an error is set.
    pub const fn is_set(&self) -> bool {
        self.error.is_some()
    }
}

/// The machine's notion of now and its next deadline
/// ([`Machine::poll_timeout`](super::Machine::poll_timeout)).
///
/// ```
/// use std::time::{Duration, Instant};
/// use mailwire_core::machine::Timer;
/// let start = Instant::now();
/// let mut timer = Timer::new(start);
/// timer.arm(Duration::from_secs(300));
/// assert_eq!(timer.deadline(), Some(start + Duration::from_secs(300)));
/// assert!(!timer.expired(start + Duration::from_secs(299)));
/// assert!(timer.expired(start + Duration::from_secs(300)));
/// timer.disarm();
/// assert_eq!(timer.deadline(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    now: Instant,
    deadline: Option<Instant>,
}

impl Timer {
    /// A timer at `now`, not armed.
    pub const fn new(now: Instant) -> Self {
        Self {
            now,
            deadline: None,
        }
    }

    /// The last instant the machine was told about.
    pub const fn now(&self) -> Instant {
        self.now
    }

    /// Records the time passed to an input.
    pub fn tick(&mut self, now: Instant) {
        self.now = now;
    }

    /// Sets the deadline to `timeout` from now (none if that overflows).
    pub fn arm(&mut self, timeout: Duration) {
        self.deadline = self.now.checked_add(timeout);
    }

    /// Sets the deadline to `deadline`.
    pub fn arm_at(&mut self, deadline: Instant) {
        self.deadline = Some(deadline);
    }

    /// Clears the deadline.
    pub fn disarm(&mut self) {
        self.deadline = None;
    }

    /// The deadline, if armed.
    pub const fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Records `now` and says whether the deadline has passed.
    pub fn expired(&mut self, now: Instant) -> bool {
        self.now = now;
        self.deadline.is_some_and(|deadline| now >= deadline)
    }
}

/// Counts erroneous commands; past the limit the session ends
/// ([RFC 5321 §4.1.4], RFC 1939 servers likewise).
///
/// [RFC 5321 §4.1.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.4
///
/// ```
/// use mailwire_core::machine::ErrorCounter;
/// let mut errors = ErrorCounter::new(1);
/// assert!(!errors.record());
/// assert!(errors.record()); // the second error is one too many
/// assert_eq!(errors.error(), mailwire_core::Error::TooManyErrors { limit: 1 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCounter {
    count: u32,
    limit: u32,
}

impl ErrorCounter {
    /// A counter that allows `limit` errors.
    pub const fn new(limit: u32) -> Self {
        Self { count: 0, limit }
    }

    /// Counts one error; `true` once there are more than the limit.
    pub fn record(&mut self) -> bool {
        self.count = self.count.saturating_add(1);
        self.count > self.limit
    }

    /// Errors counted so far.
    pub const fn count(&self) -> u32 {
        self.count
    }

    /// The error that ends the session.
    pub const fn error(&self) -> Error {
        Error::TooManyErrors { limit: self.limit }
    }
}

/// The question a machine put to the application (with an event) and waits
/// on: while it is open the machine consumes no input, and the application's
/// answer must match it.
///
/// ```
/// use mailwire_core::machine::Question;
/// use mailwire_core::Error;
/// #[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// enum Ask { Sender, Recipient }
/// let mut question = Question::new();
/// question.ask(Ask::Sender);
/// assert_eq!(
///     question.answer(Ask::Recipient, "accept_recipient without RecipientRequested"),
///     Err(Error::OutOfOrder { what: "accept_recipient without RecipientRequested" })
/// );
/// assert_eq!(question.answer(Ask::Sender, "unused"), Ok(()));
/// assert!(!question.is_open());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question<Q> {
    open: Option<Q>,
}

impl<Q> Default for Question<Q> {
    fn default() -> Self {
        Self { open: None }
    }
}

impl<Q: Copy + PartialEq> Question<Q> {
    /// No question open.
    pub const fn new() -> Self {
        Self { open: None }
    }

    /// Opens `question`.
    pub fn ask(&mut self, question: Q) {
        self.open = Some(question);
    }

    /// The open question, if any.
    pub const fn open(&self) -> Option<Q> {
        self.open
    }

    /// `true` while a question waits for its answer.
    pub const fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// `true` if `question` is the one open.
    pub fn is(&self, question: Q) -> bool {
        self.open == Some(question)
    }

    /// Closes the question if it is `expected`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfOrder`] with `what` if another question, or none, is
    /// open; nothing changes then.
    pub fn answer(&mut self, expected: Q, what: &'static str) -> Result<(), Error> {
        if self.open == Some(expected) {
            self.open = None;
            Ok(())
        } else {
            Err(Error::OutOfOrder { what })
        }
    }

    /// Closes whatever question is open.
    pub fn clear(&mut self) {
        self.open = None;
    }
}
