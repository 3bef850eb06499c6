//! Address lists in both modes: no panic, and every strictly valid address
//! with a domain name survives printing and strict re-parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_message::address::{AddrSpec, AddressList, DomainPart, Mode};

fuzz_target!(|data: &[u8]| {
    let _ = AddressList::parse(data, Mode::Lenient);
    let (list, _) = AddressList::parse(data, Mode::Strict);
    for mailbox in list.mailboxes() {
        let _ = mailbox.to_string();
        if let Some(spec) = mailbox.addr_spec()
            && matches!(spec.domain(), DomainPart::Domain(_))
        {
            let text = spec.to_string();
            assert_eq!(AddrSpec::try_from(text.as_str()).as_ref(), Ok(spec));
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(spec) = AddrSpec::try_from(text)
    {
        assert_eq!(spec.to_string(), text);
    }
});
