//! PIPELINING ([RFC 2920]).
//!
//! A client may send a group of commands without waiting for their replies;
//! the last command of a group is one whose reply changes what may follow
//! ([RFC 2920 §3.1]): EHLO, DATA, BDAT LAST (RFC 3030 §4.2), STARTTLS, AUTH,
//! QUIT, and the verbs that are not part of a transaction (VRFY, EXPN,
//! NOOP, HELP). The client machine waits for their replies; the server
//! machine processes a group in order and never replies to a command before
//! reading it.
//!
//! [RFC 2920]: https://www.rfc-editor.org/rfc/rfc2920
//! [RFC 2920 §3.1]: https://www.rfc-editor.org/rfc/rfc2920#section-3.1
//!
//! ```
//! use mailwire_smtp::ext::pipelining::ends_group;
//! use mailwire_smtp::Command;
//! assert!(ends_group(&Command::Data));
//! assert!(ends_group(&Command::Bdat { size: 0, last: true }));
//! assert!(!ends_group(&Command::Bdat { size: 10, last: false }));
//! assert!(!ends_group(&Command::Rset));
//! ```

use crate::types::command::Command;

/// `true` if `command` must be the last of a pipelined group.
pub const fn ends_group(command: &Command<'_>) -> bool {
    match command {
        Command::Mail { .. } | Command::Rcpt { .. } | Command::Rset => false,
        Command::Bdat { last, .. } => *last,
        _ => true,
    }
}
