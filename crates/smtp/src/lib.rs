//! SMTP ([RFC 5321]), its service extensions and LMTP ([RFC 2033]): a codec
//! and sans-IO client and server machines.
//!
//! - [`types`], [`parse`], [`encode`]: every command of RFC 5321, `LHLO`,
//!   `STARTTLS`, `AUTH`, `BDAT` and their parameters; replies with enhanced
//!   status codes; the EHLO capability set. Types are valid by construction:
//!   no value can hold CR or LF, so nothing built from user input can inject
//!   a command.
//! - [`server::Server`]: a server machine that asks the application about
//!   each sender, recipient, message and SASL step through events, and never
//!   buffers a message body.
//! - [`client::Client`]: a client machine that negotiates extensions,
//!   STARTTLS and AUTH, pipelines, and sends bodies dot-stuffed or in BDAT
//!   chunks.
//! - [`mx`]: ordering of MX answers ([RFC 5321 §5.1], null MX of [RFC 7505]).
//!
//! Both machines implement [`mailwire_core::machine::Machine`].
//!
//! [RFC 5321]: https://www.rfc-editor.org/rfc/rfc5321
//! [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
//! [RFC 5321 §5.1]: https://www.rfc-editor.org/rfc/rfc5321#section-5.1
//! [RFC 7505]: https://www.rfc-editor.org/rfc/rfc7505
//!
//! # Example
//!
//! ```
//! use mailwire_smtp::parse::{parse_command, Status};
//! use mailwire_smtp::{Command, ForwardPath};
//!
//! let Status::Complete((command, used)) =
//!     parse_command(b"RCPT TO:<jdoe@example.org> NOTIFY=FAILURE\r\n").unwrap()
//! else {
//!     panic!("complete line");
//! };
//! assert_eq!(used, 43);
//! let Command::Rcpt { forward_path: ForwardPath::Mailbox(mailbox), parameters } = &command else {
//!     panic!("RCPT");
//! };
//! assert_eq!(mailbox.to_string(), "jdoe@example.org");
//! assert!(parameters.notify.unwrap().failure());
//! assert_eq!(command.to_bytes(), b"RCPT TO:<jdoe@example.org> NOTIFY=FAILURE\r\n");
//! ```
#![forbid(unsafe_code)]

pub mod client;
pub mod encode;
mod error;
pub mod ext;
pub mod limits;
pub mod mx;
pub mod parse;
pub mod queue;
pub mod server;
pub mod types;

pub use error::{CoreError, Error};
pub use queue::{Queue, QueueConfig};
pub use types::auth::{AuthResponse, Mechanism};
pub use types::capability::{Capabilities, Capability, EhloReply};
pub use types::command::Command;
pub use types::parameter::{
    BodyType, MailParameters, MtPriority, Notify, Orcpt, Parameter, RcptParameters, Ret, XText,
};
pub use types::path::{AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, ReversePath};
pub use types::reply::{EnhancedCode, Reply, ReplyCode};
pub use types::text::Text;
