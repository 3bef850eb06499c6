//! A client and a server machine wired together on virtual time: core's
//! generic `Pair`, with this crate's machines.

use std::time::Instant;

use mailwire_smtp::client::{self, Client, ClientConfig};
use mailwire_smtp::server::{self, Server, ServerConfig};

pub use mailwire_core::testing::Side;

pub type Pair = mailwire_core::testing::Pair<Client, Server>;

/// A pair of fresh machines with scripted applications.
pub fn new_pair(
    client: ClientConfig,
    server: ServerConfig,
    client_app: impl FnMut(&mut Client, &client::Event) + 'static,
    server_app: impl FnMut(&mut Server, &server::Event) + 'static,
) -> Pair {
    let now = Instant::now();
    Pair::new(
        Client::new(client, now),
        Server::new(server, now),
        now,
        client_app,
        server_app,
    )
}
