//! The sync daemon: customer groups declared in TOML files under a directory,
//! mirrored into the host's SQLite store, validated by the host's plugin.

pub mod config;
pub mod diag;
pub mod packed;
pub mod reconcile;
pub mod watch;
