//! The SMTP data types: commands, replies, paths, parameters and
//! capabilities, each valid by construction (no value can hold CR or LF).
//!
//! Types that borrow wrap a `Cow<'a, str>` and have `into_static()`.

pub mod auth;
pub mod capability;
pub mod command;
pub mod parameter;
pub mod path;
pub mod reply;
pub mod text;
