//! Character classes of the grammar ([RFC 9051 §9]), one bit each in one
//! 256-entry table, so that token scans are one lookup per byte.
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

// Character classes, one bit each, looked up in one table.
pub(crate) const ATOM_CHAR: u8 = 1;
pub(crate) const ASTRING_CHAR: u8 = 2;
pub(crate) const TAG_CHAR: u8 = 4;
pub(crate) const LIST_CHAR: u8 = 8;
pub(crate) const TEXT_CHAR: u8 = 16;
pub(crate) const QUOTED_SPECIAL: u8 = 32;
pub(crate) const DIGIT: u8 = 64;
/// Letters, digits, `.` and `-`: the characters of FETCH item names.
pub(crate) const NAME_CHAR: u8 = 128;

const fn class_of(b: u8) -> u8 {
    let char7 = b >= 0x01 && b <= 0x7f;
    let ctl = b <= 0x1f || b == 0x7f;
    let quoted_special = b == b'"' || b == b'\\';
    let list_wildcard = b == b'%' || b == b'*';
    let resp_special = b == b']';
    let atom_special = b == b'('
        || b == b')'
        || b == b'{'
        || b == b' '
        || ctl
        || list_wildcard
        || quoted_special
        || resp_special;
    let atom = char7 && !atom_special;
    let mut c = 0;
    if atom {
        c |= ATOM_CHAR | ASTRING_CHAR | LIST_CHAR;
        if b != b'+' {
            c |= TAG_CHAR;
        }
    }
    if resp_special {
        c |= ASTRING_CHAR | TAG_CHAR | LIST_CHAR;
    }
    if list_wildcard {
        c |= LIST_CHAR;
    }
    if char7 && b != b'\r' && b != b'\n' {
        c |= TEXT_CHAR;
    }
    if quoted_special {
        c |= QUOTED_SPECIAL;
    }
    if b.is_ascii_digit() {
        c |= DIGIT;
    }
    if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
        c |= NAME_CHAR;
    }
    c
}

#[allow(clippy::indexing_slicing)] // Constant evaluation: a bad index fails the build.
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = class_of(i as u8);
        i += 1;
    }
    table
};

/// The character classes of `b` (a bit set of the constants above).
#[inline(always)]
pub(crate) fn class(b: u8) -> u8 {
    CLASSES.get(usize::from(b)).copied().unwrap_or(0)
}

/// Whether `b` is in class `mask`.
#[inline(always)]
pub(crate) fn is(b: u8, mask: u8) -> bool {
    class(b) & mask != 0
}

/// Length of the longest prefix of `bytes` in class `mask`.
#[inline]
pub(crate) fn span(bytes: &[u8], mask: u8) -> usize {
    bytes
        .iter()
        .position(|b| !is(*b, mask))
        .unwrap_or(bytes.len())
}
