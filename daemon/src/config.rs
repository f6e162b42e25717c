//! The configuration as the end-to-end tests (`tests/src/fuzz/config.rs`)
//! and `sync-bench` name it: scanning ([`crate::scan`]) and parsing
//! ([`crate::parse`]) under one name. Nothing in the daemon imports it.

pub use crate::parse::declaration::{Declaration, SourceFile};
pub use crate::parse::fields::ADOPT;
pub use crate::parse::{Config, parse, parse_with};
pub use crate::scan::{MAX_FILE_BYTES, Scanned, scan};

/// Every key a group table may hold without asking the plugin (the host's
/// field table, with `adopt` after the group's own fields): `code` and
/// `name` first.
pub static GROUP_KEYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let own = host_harness::fields::group_fields().map(|f| f.name);
    let settings = host_harness::fields::settings_fields().map(|f| f.name);
    own.chain([ADOPT]).chain(settings).collect()
});
