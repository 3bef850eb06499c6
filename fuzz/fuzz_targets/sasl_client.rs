//! Every SASL client machine on arbitrary server challenges: no panic, a
//! failed exchange stays failed, and secrets never show in `Debug`.
//!
//! Input: a mechanism selector byte, a flags byte, then challenges. With
//! flag bit 0 clear they are base64 wire lines separated by `\n`; with it
//! set they are raw challenges separated by 0xff. Bit 1 sends an initial
//! response first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_sasl::wire::{self, Limits};
use mailwire_sasl::{ChannelBinding, Client, Credentials, Mechanism};

const PASSWORD: &str = "pencil-secret";
const TOKEN: &str = "token-secret";

fn credentials(mechanism: &Mechanism) -> Credentials {
    if *mechanism == Mechanism::XOAUTH2 || *mechanism == Mechanism::OAUTHBEARER {
        Credentials::bearer_token("user@example.com", TOKEN).with_host("mail.example.com", 993)
    } else if *mechanism == Mechanism::EXTERNAL {
        Credentials::external().with_authzid("admin")
    } else if *mechanism == Mechanism::ANONYMOUS {
        Credentials::anonymous("trace@example.com")
    } else {
        // A low iteration bound keeps hostile `i=` values cheap.
        Credentials::password("user", PASSWORD)
            .with_authzid("ad,m=in")
            .with_channel_binding(ChannelBinding::tls_server_end_point(vec![9; 32]))
            .with_max_iterations(16)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(([selector, flags], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let implemented = Mechanism::IMPLEMENTED;
    let mechanism = &implemented[usize::from(*selector) % implemented.len()];
    let mut client = Client::new(mechanism, &credentials(mechanism)).unwrap();
    let wire_mode = flags & 1 == 0;
    let separator = if wire_mode { b'\n' } else { 0xff };

    if flags & 2 != 0 && client.initial_response().is_err() {
        return;
    }
    for line in rest.split(|b| *b == separator) {
        let challenge = if wire_mode {
            match wire::decode_challenge(line, &Limits::default()) {
                Ok(challenge) => challenge,
                Err(_) => return,
            }
        } else {
            line.to_vec()
        };
        if client.step(&challenge).is_err() {
            assert!(client.step(b"").is_err());
            assert!(client.finish().is_err());
            return;
        }
    }
    let _ = client.finish();
    let shown = format!("{client:?} {:?}", client.oauth_error());
    assert!(!shown.contains(PASSWORD) && !shown.contains(TOKEN));
});
