//! The configuration as the end-to-end tests (`tests/src/fuzz/config.rs`)
//! and `sync-bench` name it: scanning ([`crate::scan`]) and parsing
//! ([`crate::parse`]) under one name. Nothing in the daemon imports it.

pub use crate::parse::declaration::{Declaration, SourceFile};
pub use crate::parse::fields::GROUP_KEYS;
pub use crate::parse::{Config, parse, parse_with};
pub use crate::scan::{MAX_FILE_BYTES, Scanned, scan};
