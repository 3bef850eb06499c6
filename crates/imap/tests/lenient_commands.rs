//! Commands that only lenient mode accepts, and how they go back out.
#![allow(clippy::unwrap_used)]

use mailwire_imap::{EncodeConfig, ParserConfig, parse_command};

/// A quoted string with 8-bit bytes where UTF-8 is not negotiated: lenient
/// mode keeps it (lossily) as quoted text, the encoder sends it as a
/// literal, which parses back as a literal with the same bytes, and encodes
/// the same way again (found by the `imap_command` fuzz target).
#[test]
fn eight_bit_quoted_goes_out_as_a_literal() {
    let config = ParserConfig::default().with_lenient(true);
    let input = b"a LOGIN \"caf\xe9\" x\r\n";
    let command = parse_command(input, &config).unwrap();
    let wire = command.encode_with(EncodeConfig::default()).to_vec();
    assert!(
        wire.windows(4).any(|w| w == b"{6}\r"),
        "{}",
        String::from_utf8_lossy(&wire)
    );
    let again = parse_command(&wire, &ParserConfig::default()).unwrap();
    assert_eq!(again.encode_with(EncodeConfig::default()).to_vec(), wire);
    assert!(parse_command(input, &ParserConfig::default()).is_err());
}
