//! The sync daemon: customer groups declared in TOML files under a directory,
//! mirrored into the host's SQLite store, validated by the host's plugin.
//!
//! # Layers
//!
//! A module imports only from the layers below its own (the workspace's
//! `tests/layers.rs` reads this list and the sources). Bottom first:
//!
//! 1. `diag`, `packed`, `companies`: diagnostics; the packed group; what
//!    a group sets per company.
//! 2. `scan`: reading the directory.
//! 3. `parse`: TOML to declarations.
//! 4. `config`: names for the end-to-end tests and the benchmarks.
//! 5. `options`, `error`: what a reconcile is asked; how it fails.
//! 6. `report`: what it answers.
//! 7. `ledger`, `busy`: the daemon's records in the store; the busy note.
//! 8. `plan`: what a reconcile would change.
//! 9. `apply`: changing it.
//! 10. `reconcile`: a reconcile, start to end.
//! 11. `watch`: the watcher.
//! 12. `cli`: the command line.
//! 13. `lib`: this file.

pub mod apply;
pub mod busy;
pub mod cli;
pub mod companies;
pub mod config;
pub mod diag;
pub mod error;
pub mod ledger;
pub mod options;
pub mod packed;
pub mod parse;
pub mod plan;
pub mod reconcile;
pub mod report;
pub mod scan;
pub mod watch;
