//! The command encoder ([RFC 1939 §3]).
//!
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3

use std::io::Write as _;

use mailwire_sasl::wire;

use crate::types::command::Command;

/// Appends `command`, CRLF included. Keywords are written upper-case.
///
/// ```
/// use mailwire_pop3::Command;
/// let mut out = Vec::new();
/// mailwire_pop3::encode::command::encode_command(&Command::Retr { message: 1 }, &mut out);
/// assert_eq!(out, b"RETR 1\r\n");
/// ```
pub fn encode_command(command: &Command, out: &mut Vec<u8>) {
    out.extend_from_slice(command.keyword().as_bytes());
    // Writing to a Vec cannot fail.
    let _ = match command {
        Command::User { name } => write!(out, " {name}"),
        Command::Pass { password } => write!(out, " {}", password.expose_secret()),
        Command::Apop { name, digest } => write!(out, " {name} {}", digest.as_str()),
        Command::List { message: Some(n) }
        | Command::Uidl { message: Some(n) }
        | Command::Retr { message: n }
        | Command::Dele { message: n } => write!(out, " {n}"),
        Command::Top { message, lines } => write!(out, " {message} {lines}"),
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            out.push(b' ');
            out.extend_from_slice(mechanism.as_str().as_bytes());
            if let Some(data) = initial_response {
                out.push(b' ');
                wire::encode_initial_response(data.expose_secret(), out);
            }
            Ok(())
        }
        Command::Lang { range: Some(range) } => write!(out, " {range}"),
        _ => Ok(()),
    };
    out.extend_from_slice(b"\r\n");
}

impl Command {
    /// The command line, CRLF included.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Command::Quit.to_bytes(), b"QUIT\r\n");
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encode_command(self, &mut out);
        out
    }
}
