//! Decoded values compared with values built by hand.
