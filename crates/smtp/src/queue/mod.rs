//! A sans-IO outgoing mail queue: per-recipient state, grouping by
//! destination domain, MX ordering, retries with jitter, expiry, delay
//! notices and per-destination concurrency.
//!
//! The queue reads no clock and opens no file or socket. The application
//! stores each message's content once, writes [`Message::to_bytes`] as the
//! message's envelope file (and fsyncs it) whenever an event names the
//! message, hands `now` in, and does what the events say.
//!
//! ```text
//!              enqueue
//!                 │
//!                 ▼        due (next_due <= now, domain below its
//!             Pending ────────── concurrency limit) ──────────┐
//!                 ▲                                           ▼
//!                 │                                Event::Deliver(job)
//!   Deferred ─────┘ due                                       │ handle_mx
//!      ▲                                                      ▼
//!      │ 4xx per recipient, every host    ┌─────── Event::ConnectTo(host)
//!      │ failed (connect, 4xx session),   │  connect failed / 4xx session
//!      │ DNS failure                      └──────► next host ─┘
//!      │                                                      │ replies
//!      └──────── 4xx ───────────┬──────── 2xx ─────► Delivered
//!                               └──────── 5xx, null MX,
//!                                         lifetime over ───► Bounced
//! ```
//!
//! - One attempt ([`Job`]) carries every due recipient of one message at
//!   one domain ([RFC 5321 §4.5.3.1.8]: one transaction for many
//!   recipients).
//! - Hosts come from [`order_mx`](crate::mx::order_mx) ([RFC 5321 §5.1]). A connection failure
//!   or a 4xx reply to the session (greeting, EHLO, MAIL, DATA) moves to
//!   the next host; a 5xx to the session bounces the job's recipients.
//! - Retry `n` comes after `minimal_backoff · 2^(n-1)` (at most
//!   `maximal_backoff`) ± jitter; the last attempt is made when the queue
//!   lifetime ends, and a recipient still deferred then bounces
//!   ([RFC 5321 §4.5.4.1]: give up after 4–5 days).
//! - A restart reads the envelope files back with [`Message::from_bytes`]
//!   and [`Queue::restore`]; an attempt that was running is made again,
//!   the duplicate window [RFC 5321 §6.1] accepts.
//!
//! Poll in this order after every `handle_*` call and `enqueue`:
//! [`Queue::poll_event`] until `None`, then [`Queue::poll_timeout`].
//!
//! [RFC 5321 §4.5.3.1.8]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.8
//! [RFC 5321 §5.1]: https://www.rfc-editor.org/rfc/rfc5321#section-5.1
//! [RFC 5321 §4.5.4.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.4.1
//! [RFC 5321 §6.1]: https://www.rfc-editor.org/rfc/rfc5321#section-6.1
//!
//! # Example
//!
//! ```
//! use mailwire_smtp::mx::{MxAnswer, MxRecord};
//! use mailwire_smtp::queue::{Diagnostic, Event, Message, MessageId, Queue, QueueConfig, Recipient, Timestamp};
//! use mailwire_smtp::{Reply, ReplyCode};
//!
//! let mut queue = Queue::new(QueueConfig::default());
//! let now = Timestamp(1_700_000_000);
//! let id = MessageId::try_from("m1").unwrap();
//! let message = Message::new(id.clone(), "a@example.org", now, vec![
//!     Recipient::new("b@example.net"),
//!     Recipient::new("c@example.net"),
//! ]);
//! queue.enqueue(now, message).unwrap();
//!
//! let Some(Event::Deliver(job)) = queue.poll_event() else { panic!() };
//! assert_eq!(job.recipients.len(), 2);
//! let answer = MxAnswer::Records(vec![MxRecord::new(10, "mx.example.net.")]);
//! queue.handle_mx(now, job.id, Ok(&answer)).unwrap();
//! let Some(Event::ConnectTo { host, .. }) = queue.poll_event() else { panic!() };
//! assert_eq!(host.exchange, "mx.example.net");
//!
//! let ok = Diagnostic::from_reply(&Reply::new(ReplyCode::OK, "queued").unwrap());
//! let busy = Diagnostic::from_reply(&Reply::new(ReplyCode::MAILBOX_BUSY, "later").unwrap());
//! queue.handle_recipient_replies(now, job.id, &[(0, ok), (1, busy)]).unwrap();
//! assert!(matches!(queue.poll_event(), Some(Event::Delivered { .. })));
//! let Some(Event::Defer { next_attempt, .. }) = queue.poll_event() else { panic!() };
//! assert!(next_attempt > now);
//! assert_eq!(queue.poll_timeout(), Some(next_attempt));
//!
//! // The envelope file, read back after a restart.
//! let bytes = queue.message(&id).unwrap().to_bytes();
//! let restored = Message::from_bytes(&bytes, 1000).unwrap();
//! assert_eq!(&restored, queue.message(&id).unwrap());
//! ```

mod config;
#[cfg(feature = "message")]
pub mod dsn;
mod machine;
mod store;
#[cfg(test)]
mod tests;
mod types;

pub use config::QueueConfig;
pub use machine::{Queue, QueueError};
pub use store::StoreError;
pub use types::{
    Diagnostic, Event, Job, JobId, Message, MessageId, Recipient, RecipientReport, RecipientState,
    Timestamp,
};
