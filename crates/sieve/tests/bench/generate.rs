// Deterministic bench messages, shared by benches/benches/sieve.rs and the
// sieve-run example (`--generate`) through `include!`, so that the criterion
// bench and the Pigeonhole comparison run on the same inputs.

/// `count` messages with their envelope recipients: list traffic, service
/// senders, subjects with the words the 50-rule script looks for,
/// subaddressed recipients, some spam flags and priorities.
fn generate_messages(count: usize) -> Vec<(String, Vec<u8>)> {
    const LISTS: [&str; 12] = [
        "rust-users", "dovecot", "postfix-users", "ietf-smtp", "debian-devel", "lkml",
        "git", "python-dev", "openbsd-misc", "freebsd-net", "nginx", "sqlite-users",
    ];
    const DOMAINS: [&str; 14] = [
        "bank.example", "shop.example", "airline.example", "tax.example", "school.example",
        "clinic.example", "gym.example", "isp.example", "phone.example", "energy.example",
        "friends.example", "work.example", "agency.gov", "mail.example",
    ];
    const WORDS: [&str; 16] = [
        "invoice", "receipt", "password", "meeting", "urgent", "newsletter", "offer", "winner",
        "delivery", "report", "lunch", "holiday", "weekly", "update", "question", "photos",
    ];
    const DETAILS: [&str; 7] = ["", "", "shop", "lists", "travel", "bills", "social"];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let domain = DOMAINS[next(DOMAINS.len())];
        let local = ["noreply", "alice.smith", "bob", "info", "support", "carol"][next(6)];
        let detail = DETAILS[next(DETAILS.len())];
        let recipient = if detail.is_empty() {
            "alice@example.org".to_owned()
        } else {
            format!("alice+{detail}@example.org")
        };
        let mut m = String::new();
        m.push_str(&format!("Return-Path: <{local}@{domain}>\r\n"));
        m.push_str(&format!(
            "Received: from mx{}.{domain} (mx.{domain} [192.0.2.{}]) by mx.example.org with ESMTPS id {i:08x}; Fri, 04 Dec 2026 10:{:02}:00 +0000\r\n",
            next(9), next(250), next(60)
        ));
        m.push_str(&format!("From: \"{} {}\" <{local}@{domain}>\r\n", WORDS[next(16)], WORDS[next(16)]));
        m.push_str(&format!("To: {recipient}\r\n"));
        if next(4) == 0 {
            m.push_str("Cc: bob@example.org, carol@example.net\r\n");
        }
        let tag = if next(3) == 0 { format!("[{}] ", LISTS[next(LISTS.len())]) } else { String::new() };
        m.push_str(&format!("Subject: {tag}{} {} {}\r\n", WORDS[next(16)], WORDS[next(16)], next(1000)));
        m.push_str(&format!("Date: Fri, 04 Dec 2026 {:02}:{:02}:00 +0100\r\n", next(24), next(60)));
        m.push_str(&format!("Message-ID: <{i}.{}@{domain}>\r\n", next(1_000_000)));
        if next(5) == 0 {
            let list = LISTS[next(LISTS.len())];
            m.push_str(&format!("List-Id: {list} discussion <{list}.lists.example.net>\r\nPrecedence: list\r\n"));
        }
        if next(10) == 0 {
            m.push_str("X-Spam-Flag: YES\r\n");
        }
        if next(6) == 0 {
            m.push_str(&format!("X-Priority: {}\r\n", 1 + next(5)));
        }
        m.push_str("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        for _ in 0..(3 + next(20)) {
            for _ in 0..8 {
                m.push_str(WORDS[next(16)]);
                m.push(' ');
            }
            m.push_str("\r\n");
        }
        out.push((recipient, m.into_bytes()));
    }
    out
}
