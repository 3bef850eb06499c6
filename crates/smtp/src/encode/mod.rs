//! Encoders: [`types`](crate::types) to wire bytes, appended to a caller's
//! buffer.
//!
//! Every type holds validated data that cannot contain CR or LF, so an
//! encoded command or reply is always exactly one command or reply.
//!
//! ```
//! use mailwire_smtp::encode::encode_command;
//! use mailwire_smtp::Command;
//! let mut out = Vec::new();
//! encode_command(&Command::Data, &mut out);
//! encode_command(&Command::Quit, &mut out);
//! assert_eq!(out, b"DATA\r\nQUIT\r\n");
//! ```

pub mod capability;
pub mod command;
pub mod parameter;
pub mod path;
pub mod reply;

pub use capability::encode_ehlo_reply;
pub use command::encode_command;
pub use reply::encode_reply;
