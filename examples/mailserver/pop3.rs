//! POP3 out of each account's INBOX in the Maildir store: an exclusive
//! maildrop per account, deletions only after `QUIT`, and Dovecot's
//! default unique-ids (`%08Xu%08Xv`: UID and UIDVALIDITY in hexadecimal),
//! so that a client switching between Dovecot and this server on one
//! Maildir downloads nothing twice.

use std::collections::HashSet;
use std::io::Read as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use mailwire_maildir::Mailbox;
use mailwire_pop3::server::{MessageInfo, ServerConfig};
use mailwire_pop3::{Response, ResponseCode, Status, UniqueId};
use mailwire_sasl::{Mechanism, StoredCredentials};
use mailwire_tokio::pop3::server::{Handler, ServerOptions, Session, serve};

use crate::Shared;

/// The accounts whose maildrop a POP3 session holds, shared by every
/// listener.
pub(crate) type Locks = Arc<Mutex<HashSet<String>>>;

/// Serves POP3 on `listener` until `shutdown` completes.
async fn listen(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    locks: Locks,
    tls: Option<mailwire_tokio::tls::TlsAcceptor>,
    implicit_tls: bool,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let loopback = listener.local_addr()?.ip().is_loopback();
    let mut config = ServerConfig::new();
    config.stls = tls.is_some() && !implicit_tls;
    // Without TLS, passwords may only cross the loopback interface.
    config.plaintext_requires_tls = tls.is_some() || !loopback;
    config.sasl_mechanisms = vec![
        Mechanism::SCRAM_SHA_256,
        Mechanism::SCRAM_SHA_1,
        Mechanism::CRAM_MD5,
        Mechanism::PLAIN,
        Mechanism::LOGIN,
    ];
    let mut options = ServerOptions::new(config);
    options.tls = tls;
    options.implicit_tls = implicit_tls;
    serve(
        listener,
        Arc::new(options),
        move |_| Maildrop {
            shared: shared.clone(),
            locks: locks.clone(),
            locked: None,
            inbox: None,
            uids: Vec::new(),
        },
        shutdown,
    )
    .await
}

/// One session's maildrop: the account it locked, its INBOX and the UIDs
/// listed, message `n` at index `n - 1`.
struct Maildrop {
    shared: Arc<Shared>,
    locks: Locks,
    locked: Option<String>,
    inbox: Option<Mailbox>,
    uids: Vec<u32>,
}

fn response(code: ResponseCode, text: &'static str) -> Response {
    Response::new_static(Status::Err, Some(code), text)
}

impl Maildrop {
    fn uid(&self, number: u32) -> std::io::Result<u32> {
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| self.uids.get(index))
            .copied()
            .ok_or_else(|| std::io::Error::other("no such message"))
    }
}

impl Handler for Maildrop {
    type Message = tokio::fs::File;

    async fn credentials(
        &mut self,
        _session: &Session,
        mechanism: &Mechanism,
        user: &str,
    ) -> Option<StoredCredentials> {
        self.shared.directory.credentials(mechanism, user)
    }

    async fn open_maildrop(
        &mut self,
        session: &Session,
        user: &str,
    ) -> Result<Vec<MessageInfo>, Response> {
        let directory = &self.shared.directory;
        let Some((account, store)) = directory
            .account(user)
            .and_then(|a| Some((a.to_owned(), directory.store(a)?.clone())))
        else {
            return Err(response(ResponseCode::SYS_PERM, "No such maildrop"));
        };
        {
            let mut open = self
                .locks
                .lock()
                .map_err(|_| response(ResponseCode::SYS_TEMP, "Lock unavailable"))?;
            if !open.insert(account.clone()) {
                return Err(response(ResponseCode::IN_USE, "Maildrop already open"));
            }
        }
        self.locked = Some(account.clone());
        let opened = tokio::task::spawn_blocking(move || open_inbox(&store)).await;
        let error = match opened {
            Ok(Ok((inbox, listing))) => {
                self.inbox = Some(inbox);
                let (uids, messages) = listing.into_iter().unzip();
                self.uids = uids;
                return Ok(messages);
            }
            Ok(Err(e)) => e.to_string(),
            Err(e) => e.to_string(),
        };
        tracing::error!(%account, %error, "cannot open the maildrop");
        self.close(session).await;
        Err(response(ResponseCode::SYS_TEMP, "Cannot open the maildrop"))
    }

    async fn message(
        &mut self,
        _session: &Session,
        number: u32,
    ) -> std::io::Result<tokio::fs::File> {
        let uid = self.uid(number)?;
        let inbox = self
            .inbox
            .clone()
            .ok_or_else(|| std::io::Error::other("no maildrop"))?;
        let file = tokio::task::spawn_blocking(move || inbox.open(uid))
            .await
            .map_err(std::io::Error::other)?
            .map_err(std::io::Error::other)?;
        Ok(tokio::fs::File::from_std(file))
    }

    async fn commit_deletions(
        &mut self,
        _session: &Session,
        messages: &[u32],
    ) -> std::io::Result<()> {
        let uids = messages
            .iter()
            .map(|&n| self.uid(n))
            .collect::<std::io::Result<Vec<u32>>>()?;
        let inbox = self
            .inbox
            .clone()
            .ok_or_else(|| std::io::Error::other("no maildrop"))?;
        tokio::task::spawn_blocking(move || inbox.expunge(&uids).map(|_| ()))
            .await
            .map_err(std::io::Error::other)?
            .map_err(std::io::Error::other)
    }

    async fn close(&mut self, _session: &Session) {
        self.inbox = None;
        if let Some(account) = self.locked.take()
            && let Ok(mut open) = self.locks.lock()
        {
            open.remove(&account);
        }
    }
}

/// Opens the INBOX (creating the SPECIAL-USE mailboxes on a first login),
/// takes what is in `new/` into `cur/`, and lists the messages in UID
/// order with their unique-id and size.
fn open_inbox(
    store: &mailwire_maildir::Store,
) -> mailwire_maildir::Result<(Mailbox, Vec<(u32, MessageInfo)>)> {
    store.ensure_special_use()?;
    let inbox = store.mailbox("INBOX")?;
    inbox.take_recent()?;
    let uidvalidity = inbox.uidvalidity();
    let mut listing = Vec::new();
    for m in inbox.messages() {
        let size = match m.vsize {
            Some(size) => size,
            None => {
                crlf_size(&inbox.file_path(m.uid)?).map_err(|e| mailwire_maildir::Error::Io {
                    op: "read",
                    path: m.file.clone().into(),
                    source: e,
                })?
            }
        };
        let uid = UniqueId::new(format!("{:08x}{uidvalidity:08x}", m.uid))
            .map_err(|_| mailwire_maildir::Error::Unsupported("unique-id"))?;
        listing.push((m.uid, MessageInfo { size, uid }));
    }
    Ok((inbox, listing))
}

/// The size as sent, for files without `,W=`: every CR, LF and CRLF
/// counted as CRLF, and a CRLF added after an unfinished last line (what
/// the dot-stuffer writes).
fn crlf_size(path: &Path) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0; 64 * 1024];
    let mut size = 0u64;
    let mut after_cr = false;
    let mut line_open = false;
    loop {
        let n = file.read(&mut buffer)?;
        let Some(data) = buffer.get(..n).filter(|d| !d.is_empty()) else {
            break;
        };
        for &byte in data {
            match byte {
                b'\n' if after_cr => after_cr = false,
                b'\r' | b'\n' => {
                    size += 2;
                    after_cr = byte == b'\r';
                    line_open = false;
                }
                _ => {
                    size += 1;
                    after_cr = false;
                    line_open = true;
                }
            }
        }
    }
    if line_open {
        size += 2;
    }
    Ok(size)
}

/// Starts the `--pop3` and `--pop3s` listeners.
pub(crate) async fn spawn(
    servers: &mut tokio::task::JoinSet<std::io::Result<()>>,
    shared: &Arc<Shared>,
    tls: Option<mailwire_tokio::tls::TlsAcceptor>,
    listeners: [(Option<SocketAddr>, bool); 2],
    stopped: &tokio::sync::watch::Receiver<bool>,
) -> Result<(), String> {
    let locks = Locks::default();
    for (address, implicit_tls) in listeners {
        let Some(address) = address else { continue };
        let name = if implicit_tls { "POP3S" } else { "POP3" };
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("{name} on {address}: {e}"))?;
        println!("{name} on {address}");
        let mut stopped = stopped.clone();
        servers.spawn(listen(
            listener,
            shared.clone(),
            locks.clone(),
            tls.clone(),
            implicit_tls,
            async move {
                let _ = stopped.wait_for(|s| *s).await;
            },
        ));
    }
    Ok(())
}
