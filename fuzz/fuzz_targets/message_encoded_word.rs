//! RFC 2047 encoded words: decoding arbitrary text never panics, and text
//! encoded as UTF-8 "Q" and "B" words decodes back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_message::encoded_word::decode;

fn q_word(bytes: &[u8]) -> String {
    let mut out = String::from("=?utf-8?q?");
    for &b in bytes {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("={b:02X}"));
        }
    }
    out.push_str("?=");
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let _ = decode(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.is_empty() {
        return;
    }
    // Split across several words, even inside a character.
    let bytes = text.as_bytes();
    let words: Vec<String> = bytes.chunks(7).map(q_word).collect();
    assert_eq!(decode(words.join(" ").as_bytes()).0, text);
    let b = base64(bytes);
    assert_eq!(decode(format!("=?UTF-8?B?{b}?=").as_bytes()).0, text);
});
