//! Command parsers ([RFC 9051 §6], RFC 3501 §6): the dispatcher and the
//! commands of the base protocol; extension commands live in the files
//! named after their RFCs.
//!
//! [RFC 9051 §6]: https://www.rfc-editor.org/rfc/rfc9051#section-6

use mailwire_core::Secret;

use super::core::{astring, atom, literal, literal8, tag};
use super::datetime::date_time;
use super::flag::flag_list;
use super::mailbox::mailbox;
use super::sequence::sequence_set;
use super::{PResult, byte, crlf, fail, keyword, leading_tag, paren_list, sp, starts_with_ci};
use crate::error::Error;
use crate::limits::ParserConfig;
use crate::types::auth::{Base64, base64_len};
use crate::types::capability::Capability;
use crate::types::command::{
    AppendData, AppendMessage, AuthenticateData, Command, CommandBody, InitialResponse,
};
use crate::types::core::{ATOM_CHAR, span};
use crate::types::status::StatusItem;
use crate::types::vec1::Vec1;

/// Parses one complete command: `input` is a message from the
/// [`Framer`](crate::Framer), its lines and literals, ending with CRLF.
///
/// ```abnf
/// command = tag SP (command-any / command-auth / command-nonauth /
///           command-select) CRLF
/// ```
///
/// Errors carry the offset in `input` (add [`Message::offset`](crate::Message::offset)
/// for the stream offset), the rule expected and the tag when one was read.
///
/// ```
/// use mailwire_imap::{CommandBody, Error, ParserConfig, Tag, parse_command};
/// use mailwire_core::error::Found;
///
/// let command = parse_command(b"a002 NOOP\r\n", &ParserConfig::default()).unwrap();
/// assert_eq!(command.body, CommandBody::Noop);
/// assert_eq!(
///     parse_command(b"a003 SELECT\r\n", &ParserConfig::default()).unwrap_err(),
///     Error::Malformed {
///         offset: 11,
///         expected: "SP",
///         found: Found::Byte(b'\r'),
///         tag: Some(Tag::try_from("a003").unwrap()),
///     }
/// );
/// ```
pub fn parse_command<'a>(input: &'a [u8], config: &ParserConfig) -> Result<Command<'a>, Error> {
    match command(input, config) {
        Ok((b"", command)) => Ok(command),
        Ok((rest, _)) => {
            Err(super::ParseError::new(rest, "end of message")
                .into_error(input, leading_tag(input)))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            Err(e.into_error(input, leading_tag(input)))
        }
        Err(nom::Err::Incomplete(_)) => {
            Err(super::ParseError::new(b"", "CRLF").into_error(input, leading_tag(input)))
        }
    }
}

/// Parses the line that ends IDLE ([RFC 2177 §3]): `DONE` CRLF.
///
/// [RFC 2177 §3]: https://www.rfc-editor.org/rfc/rfc2177#section-3
///
/// ```
/// use mailwire_imap::parse_idle_done;
/// assert!(parse_idle_done(b"DONE\r\n").is_ok());
/// assert!(parse_idle_done(b"a NOOP\r\n").is_err());
/// ```
pub fn parse_idle_done(input: &[u8]) -> Result<(), Error> {
    let result = keyword(input, b"DONE", "\"DONE\"").and_then(|(rest, ())| crlf(rest));
    match result {
        Ok((b"", ())) => Ok(()),
        Ok((rest, ())) => {
            Err(super::ParseError::new(rest, "end of message").into_error(input, None))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_error(input, None)),
        Err(nom::Err::Incomplete(_)) => {
            Err(super::ParseError::new(b"", "CRLF").into_error(input, None))
        }
    }
}

/// Parses a client line during AUTHENTICATE ([RFC 9051 §6.2.2]): base64
/// data or `*` to cancel.
///
/// [RFC 9051 §6.2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-6.2.2
///
/// ```abnf
/// authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp] *(CRLF base64)
/// ```
///
/// ```
/// use mailwire_imap::{AuthenticateData, parse_authenticate_data};
/// assert_eq!(parse_authenticate_data(b"*\r\n").unwrap(), AuthenticateData::Cancel);
/// assert!(matches!(parse_authenticate_data(b"dGVzdA==\r\n").unwrap(), AuthenticateData::Response(_)));
/// assert!(parse_authenticate_data(b"dGVzdA=\r\n").is_err());
/// ```
pub fn parse_authenticate_data(input: &[u8]) -> Result<AuthenticateData<'_>, Error> {
    let result = if input.first() == Some(&b'*') {
        crlf(input.get(1..).unwrap_or_default()).map(|(r, ())| (r, AuthenticateData::Cancel))
    } else {
        base64(input).and_then(|(rest, s)| {
            crlf(rest).map(|(r, ())| {
                (
                    r,
                    AuthenticateData::Response(Secret::new(Base64::unchecked(s))),
                )
            })
        })
    };
    match result {
        Ok((b"", data)) => Ok(data),
        Ok((rest, _)) => {
            Err(super::ParseError::new(rest, "end of message").into_error(input, None))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_error(input, None)),
        Err(nom::Err::Incomplete(_)) => {
            Err(super::ParseError::new(b"", "CRLF").into_error(input, None))
        }
    }
}

/// ```abnf
/// base64          = *(4base64-char) [base64-terminal]
/// base64-char     = ALPHA / DIGIT / "+" / "/"
/// base64-terminal = (2base64-char "==") / (3base64-char "=")
/// ```
pub(crate) fn base64(input: &[u8]) -> PResult<'_, &str> {
    match base64_len(input) {
        Ok(n) => {
            let (head, rest) = input.split_at(n.min(input.len()));
            match std::str::from_utf8(head) {
                Ok(s) => Ok((rest, s)),
                Err(_) => fail(input, "base64"),
            }
        }
        Err(n) => fail(input.get(n..).unwrap_or_default(), "base64"),
    }
}

/// Skips the spaces before CRLF that lenient mode tolerates.
fn trailing_spaces<'a>(input: &'a [u8], config: &ParserConfig) -> &'a [u8] {
    if !config.lenient {
        return input;
    }
    let n = input.iter().take_while(|b| **b == b' ').count();
    input.get(n..).unwrap_or_default()
}

/// ```abnf
/// command = tag SP (command-any / command-auth / command-nonauth /
///           command-select) CRLF
/// ```
pub(crate) fn command<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Command<'a>> {
    let (input, tag) = tag(input)?;
    let (input, ()) = sp(input)?;
    let (input, body) = command_body(input, config)?;
    let input = trailing_spaces(input, config);
    let (input, ()) = crlf(input)?;
    Ok((input, Command { tag, body }))
}

/// The command name, upper-cased (into `buf` if needed); empty when it is
/// too long.
#[inline]
pub(crate) fn upper_name<'b>(name: &'b [u8], buf: &'b mut [u8; 20]) -> &'b [u8] {
    // Names usually arrive upper-case already.
    if !name.iter().any(u8::is_ascii_lowercase) {
        return name;
    }
    if name.len() > buf.len() {
        return &[];
    }
    for (slot, b) in buf.iter_mut().zip(name) {
        *slot = b.to_ascii_uppercase();
    }
    buf.get(..name.len()).unwrap_or_default()
}

/// Splits off a command or keyword name (atom characters).
#[inline]
pub(crate) fn name_token(input: &[u8]) -> (&[u8], &[u8]) {
    let n = span(input, ATOM_CHAR);
    input.split_at(n)
}

/// The command after the tag.
fn command_body<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (name, rest) = name_token(input);
    let mut buf = [0u8; 20];
    let c = config;
    use CommandBody as C;
    match upper_name(name, &mut buf) {
        b"CAPABILITY" => Ok((rest, C::Capability)),
        b"NOOP" => Ok((rest, C::Noop)),
        b"LOGOUT" => Ok((rest, C::Logout)),
        b"STARTTLS" => Ok((rest, C::StartTls)),
        b"AUTHENTICATE" => authenticate(rest),
        b"LOGIN" => login(rest, c),
        b"ENABLE" => enable(rest),
        b"SELECT" => super::condstore::select(rest, c, false),
        b"EXAMINE" => super::condstore::select(rest, c, true),
        b"CREATE" => create(rest, c),
        b"DELETE" => one_mailbox(rest, c, |mailbox| C::Delete { mailbox }),
        b"RENAME" => rename(rest, c),
        b"SUBSCRIBE" => one_mailbox(rest, c, |mailbox| C::Subscribe { mailbox }),
        b"UNSUBSCRIBE" => one_mailbox(rest, c, |mailbox| C::Unsubscribe { mailbox }),
        b"LIST" => super::list::list(rest, c),
        b"LSUB" => super::list::lsub(rest, c),
        b"NAMESPACE" => Ok((rest, C::Namespace)),
        b"STATUS" => status(rest, c),
        b"APPEND" => append(rest, c),
        b"IDLE" => Ok((rest, C::Idle)),
        b"ID" => super::id::id(rest, c),
        b"GETQUOTA" => super::quota::getquota(rest, c),
        b"GETQUOTAROOT" => one_mailbox(rest, c, |mailbox| C::GetQuotaRoot { mailbox }),
        b"SETQUOTA" => super::quota::setquota(rest, c),
        b"SETACL" => super::acl::setacl(rest, c),
        b"DELETEACL" => super::acl::deleteacl(rest, c),
        b"GETACL" => one_mailbox(rest, c, |mailbox| C::GetAcl { mailbox }),
        b"LISTRIGHTS" => super::acl::listrights(rest, c),
        b"MYRIGHTS" => one_mailbox(rest, c, |mailbox| C::MyRights { mailbox }),
        b"GETMETADATA" => super::metadata::getmetadata(rest, c),
        b"SETMETADATA" => super::metadata::setmetadata(rest, c),
        b"COMPRESS" => compress(rest),
        b"CHECK" => Ok((rest, C::Check)),
        b"CLOSE" => Ok((rest, C::Close)),
        b"UNSELECT" => Ok((rest, C::Unselect)),
        b"EXPUNGE" => Ok((rest, C::Expunge)),
        b"UID" => uid(rest, c),
        b"SEARCH" => super::search::search(rest, c, false),
        b"FETCH" => super::fetch::fetch(rest, c, false),
        b"STORE" => super::fetch::store(rest, c, false),
        b"COPY" => copy_move(rest, c, false, false),
        b"MOVE" => copy_move(rest, c, true, false),
        b"SORT" => super::search::sort(rest, c, false),
        b"THREAD" => super::search::thread(rest, c, false),
        _ => fail(input, "command"),
    }
}

/// ```abnf
/// uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)
///       ; RFC 5256 adds sort and thread
/// ```
fn uid<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (name, rest) = name_token(input);
    let mut buf = [0u8; 20];
    match upper_name(name, &mut buf) {
        b"COPY" => copy_move(rest, config, false, true),
        b"MOVE" => copy_move(rest, config, true, true),
        b"FETCH" => super::fetch::fetch(rest, config, true),
        b"SEARCH" => super::search::search(rest, config, true),
        b"STORE" => super::fetch::store(rest, config, true),
        b"SORT" => super::search::sort(rest, config, true),
        b"THREAD" => super::search::thread(rest, config, true),
        b"EXPUNGE" => {
            let (rest, ()) = sp(rest)?;
            let (rest, set) = sequence_set(rest)?;
            Ok((rest, CommandBody::UidExpunge { set }))
        }
        _ => fail(input, "uid command"),
    }
}

/// `SP mailbox`, for the commands that take only a mailbox.
fn one_mailbox<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    f: impl FnOnce(crate::types::mailbox::Mailbox<'a>) -> CommandBody<'a>,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, m) = mailbox(input, config)?;
    Ok((input, f(m)))
}

/// ```abnf
/// authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]
/// initial-resp = (base64 / "=")   ; RFC 4959
/// ```
fn authenticate(input: &[u8]) -> PResult<'_, CommandBody<'_>> {
    let (input, ()) = sp(input)?;
    let (input, mechanism) = atom(input).map_err(super::rename_at(input, "auth-type"))?;
    let (input, initial_response) = match sp(input) {
        Ok((rest, ())) => {
            if let Ok((rest, ())) = byte(rest, b'=', "initial-resp")
                && rest.first().is_none_or(|b| *b == b'\r')
            {
                (rest, Some(InitialResponse::Empty))
            } else {
                let (rest, s) = base64(rest)?;
                if s.is_empty() {
                    return fail(rest, "initial-resp");
                }
                (
                    rest,
                    Some(InitialResponse::Base64(Secret::new(Base64::unchecked(s)))),
                )
            }
        }
        Err(_) => (input, None),
    };
    Ok((
        input,
        CommandBody::Authenticate {
            mechanism,
            initial_response,
        },
    ))
}

/// ```abnf
/// login    = "LOGIN" SP userid SP password
/// userid   = astring
/// password = astring
/// ```
fn login<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, username) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, password) = astring(input, config)?;
    Ok((
        input,
        CommandBody::Login {
            username,
            password: Secret::new(password),
        },
    ))
}

/// ```abnf
/// enable = "ENABLE" 1*(SP capability)
/// ```
fn enable(input: &[u8]) -> PResult<'_, CommandBody<'_>> {
    let (mut input, ()) = sp(input)?;
    let mut capabilities = Vec::new();
    loop {
        let (rest, c) = super::capability::capability(input)?;
        capabilities.push(c);
        match sp(rest) {
            Ok((after, ())) if after.first().is_some_and(|b| *b != b'\r') => input = after,
            _ => {
                input = rest;
                break;
            }
        }
    }
    let capabilities: Vec1<Capability<'_>> = Vec1::unchecked(capabilities);
    Ok((input, CommandBody::Enable { capabilities }))
}

/// ```abnf
/// create       = "CREATE" SP mailbox [create-params]
/// create-params = SP "(" create-param *(SP create-param) ")"
/// create-param = "USE" SP "(" [use-attr *(SP use-attr)] ")"   ; RFC 6154
/// use-attr     = "\" atom
/// ```
fn create<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, special_use) = match input {
        [b' ', b'(', ..] => {
            let rest = input.get(2..).unwrap_or_default();
            let (rest, ()) = keyword(rest, b"USE", "create-param")?;
            let (rest, ()) = sp(rest)?;
            let (rest, attrs) = paren_list(rest, false, |i| {
                let (i, ()) = byte(i, b'\\', "use-attr")?;
                atom(i)
            })?;
            let (rest, ()) = byte(rest, b')', "\")\"")?;
            (rest, Some(attrs))
        }
        _ => (input, None),
    };
    Ok((
        input,
        CommandBody::Create {
            mailbox,
            special_use,
        },
    ))
}

/// ```abnf
/// rename = "RENAME" SP mailbox SP mailbox
/// ```
fn rename<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, from) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, to) = mailbox(input, config)?;
    Ok((input, CommandBody::Rename { from, to }))
}

/// ```abnf
/// status-att = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" /
///              "DELETED" / "SIZE" / "RECENT" / "HIGHESTMODSEQ" /
///              "MAILBOXID" / "APPENDLIMIT"
/// ```
pub(crate) fn status_att(input: &[u8]) -> PResult<'_, StatusItem> {
    let (name, rest) = name_token(input);
    match std::str::from_utf8(name)
        .ok()
        .and_then(StatusItem::from_name)
    {
        Some(item) => Ok((rest, item)),
        None => fail(input, "status-att"),
    }
}

/// ```abnf
/// status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
/// ```
fn status<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, items) = paren_list(input, true, status_att)?;
    Ok((
        input,
        CommandBody::Status {
            mailbox,
            items: Vec1::unchecked(items),
        },
    ))
}

/// ```abnf
/// append         = "APPEND" SP mailbox 1*append-message   ; RFC 3502
/// append-message = append-opts SP append-data
/// append-opts    = [SP flag-list] [SP date-time]
/// append-data    = literal / literal8 / "UTF8" SP "(" literal8 ")"
/// ```
fn append<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (mut input, mailbox) = mailbox(input, config)?;
    let mut messages = Vec::new();
    loop {
        let (rest, ()) = match sp(input) {
            Ok(ok) => ok,
            Err(e) if messages.is_empty() => return Err(e),
            Err(_) => break,
        };
        if !messages.is_empty() && rest.first() == Some(&b'\r') {
            break;
        }
        let (rest, message) = append_message(rest, config)?;
        messages.push(message);
        input = rest;
    }
    Ok((
        input,
        CommandBody::Append {
            mailbox,
            messages: Vec1::unchecked(messages),
        },
    ))
}

/// One `append-message` after its leading SP.
fn append_message<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, AppendMessage<'a>> {
    let (input, flags) = if input.first() == Some(&b'(') {
        let (rest, flags) = flag_list(input, config)?;
        let (rest, ()) = sp(rest)?;
        (rest, Some(flags))
    } else {
        (input, None)
    };
    let (input, date) = if input.first() == Some(&b'"') {
        let (rest, date) = date_time(input)?;
        let (rest, ()) = sp(rest)?;
        (rest, Some(date))
    } else {
        (input, None)
    };
    let (input, data) = append_data(input, config)?;
    Ok((input, AppendMessage { flags, date, data }))
}

/// ```abnf
/// append-data = literal / literal8 / "UTF8" SP "(" literal8 ")"
/// ```
fn append_data<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, AppendData<'a>> {
    match input.first() {
        Some(b'{') => literal(input, config).map(|(r, l)| (r, AppendData::Literal(l))),
        Some(b'~') => literal8(input).map(|(r, l)| (r, AppendData::Literal8(l))),
        _ if starts_with_ci(input, b"UTF8 (") => {
            let rest = input.get(6..).unwrap_or_default();
            let (rest, l) = literal8(rest)?;
            let (rest, ()) = byte(rest, b')', "\")\"")?;
            Ok((rest, AppendData::Utf8(l)))
        }
        _ => fail(input, "append-data"),
    }
}

/// ```abnf
/// copy = "COPY" SP sequence-set SP mailbox
/// move = "MOVE" SP sequence-set SP mailbox   ; RFC 6851
/// ```
fn copy_move<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    is_move: bool,
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, set) = sequence_set(input)?;
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    Ok((
        input,
        if is_move {
            CommandBody::Move { set, mailbox, uid }
        } else {
            CommandBody::Copy { set, mailbox, uid }
        },
    ))
}

/// ```abnf
/// compress  = "COMPRESS" SP algorithm   ; RFC 4978
/// algorithm = "DEFLATE"
/// ```
fn compress(input: &[u8]) -> PResult<'_, CommandBody<'_>> {
    let (input, ()) = sp(input)?;
    let (input, algorithm) = atom(input)?;
    Ok((input, CommandBody::Compress { algorithm }))
}
