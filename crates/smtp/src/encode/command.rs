//! Command encoder (grammar on [`Command`]).
//!
//! ```
//! use mailwire_smtp::encode::encode_command;
//! use mailwire_smtp::{Command, Host};
//! let mut out = Vec::new();
//! encode_command(&Command::Ehlo { host: Host::try_from("client.example").unwrap() }, &mut out);
//! assert_eq!(out, b"EHLO client.example\r\n");
//! ```

use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::parameter::{encode_mail_parameters, encode_rcpt_parameters};
use super::path::{encode_forward_path, encode_host, encode_reverse_path};
use crate::types::command::Command;

/// Appends a command line, CRLF included.
pub fn encode_command(command: &Command<'_>, out: &mut Vec<u8>) {
    match command {
        Command::Helo { host } | Command::Ehlo { host } | Command::Lhlo { host } => {
            out.extend_from_slice(command.verb().as_bytes());
            out.push(b' ');
            encode_host(host, out);
        }
        Command::Mail {
            reverse_path,
            parameters,
        } => {
            out.extend_from_slice(b"MAIL FROM:");
            encode_reverse_path(reverse_path, out);
            encode_mail_parameters(parameters, out);
        }
        Command::Rcpt {
            forward_path,
            parameters,
        } => {
            out.extend_from_slice(b"RCPT TO:");
            encode_forward_path(forward_path, out);
            encode_rcpt_parameters(parameters, out);
        }
        Command::Bdat { size, last } => {
            let _ = write!(out, "BDAT {size}");
            if *last {
                out.extend_from_slice(b" LAST");
            }
        }
        Command::Vrfy { argument } | Command::Expn { argument } => {
            out.extend_from_slice(command.verb().as_bytes());
            out.push(b' ');
            out.extend_from_slice(argument.as_str().as_bytes());
        }
        Command::Help { topic: argument } | Command::Noop { argument } => {
            out.extend_from_slice(command.verb().as_bytes());
            if let Some(argument) = argument {
                out.push(b' ');
                out.extend_from_slice(argument.as_str().as_bytes());
            }
        }
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            out.extend_from_slice(b"AUTH ");
            out.extend_from_slice(mechanism.as_str().as_bytes());
            if let Some(response) = initial_response {
                out.push(b' ');
                encode_base64_or_equals(response.expose_secret(), out);
            }
        }
        Command::Data | Command::Rset | Command::Quit | Command::StartTls => {
            out.extend_from_slice(command.verb().as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends base64, or `=` for empty data (RFC 4954 §4).
pub(crate) fn encode_base64_or_equals(data: &[u8], out: &mut Vec<u8>) {
    if data.is_empty() {
        out.push(b'=');
    } else {
        out.extend_from_slice(BASE64.encode(data).as_bytes());
    }
}

/// Appends a client's SASL response line: base64, or `*` to cancel, CRLF
/// included ([RFC 4954 §4]). An empty response is an empty line.
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
///
/// ```
/// use mailwire_smtp::encode::command::encode_auth_response;
/// use mailwire_smtp::AuthResponse;
/// use mailwire_core::Secret;
/// let mut out = Vec::new();
/// encode_auth_response(&AuthResponse::Data(Secret::new(b"hi".to_vec())), &mut out);
/// encode_auth_response(&AuthResponse::Cancel, &mut out);
/// assert_eq!(out, b"aGk=\r\n*\r\n");
/// ```
pub fn encode_auth_response(response: &crate::AuthResponse, out: &mut Vec<u8>) {
    match response {
        crate::AuthResponse::Data(data) => {
            out.extend_from_slice(BASE64.encode(data.expose_secret()).as_bytes());
        }
        crate::AuthResponse::Cancel => out.push(b'*'),
    }
    out.extend_from_slice(b"\r\n");
}
