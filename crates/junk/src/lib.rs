//! A per-account Bayesian junk mail classifier, sans-IO.
//!
//! [`Model`] keeps, for each token, how many ham and junk messages it
//! appeared in. [`Model::train`] and [`Model::untrain`] take a parsed
//! [`mailwire_message::Message`] and a [`Label`]; [`Model::score`] gives
//! the probability that a message is junk, combining the token
//! probabilities of Robinson's method with Fisher's chi-square (as
//! SpamBayes does). Tokens come from the header (subject words, address
//! domains, content type, mailer) and from the decoded text parts
//! ([`tokens`]). The model is bounded ([`ModelLimits`]) and stored as
//! versioned bytes ([`Model::to_bytes`], [`Model::from_bytes`]); where to
//! keep them is the caller's business.
//!
//! ```
//! use mailwire_junk::{Label, Model};
//!
//! let mut model = Model::new();
//! model.train(&mailwire_message::parse(b"Subject: WIN money now\r\n\r\nclaim your prize\r\n"), Label::Junk);
//! model.train(&mailwire_message::parse(b"Subject: lunch?\r\n\r\nsee you at noon\r\n"), Label::Ham);
//! let score = model.score(&mailwire_message::parse(b"Subject: money prize\r\n\r\nclaim now\r\n"));
//! assert!(score > 0.5);
//! ```
#![forbid(unsafe_code)]

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod codec;
mod error;
mod model;
mod token;

pub use error::DecodeError;
pub use model::{Label, Model, ModelLimits, ScoreOptions};
pub use token::{MAX_TOKENS_PER_MESSAGE, MAX_WORD, tokens};
