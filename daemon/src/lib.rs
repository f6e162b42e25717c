//! The sync daemon: customer groups declared in TOML files under a directory,
//! mirrored into the host's SQLite store, validated by the host's plugin.
//!
//! Layers, each importing only from those below it (checked by
//! `tests/layers.rs`, where the order is declared): `diag` and `packed`;
//! `scan`; `parse`; `config` (names for the end-to-end tests and
//! benchmarks); `options`, `report`, `error`; `ledger`, `busy`; `plan`;
//! `apply`; `reconcile`; `watch`; `cli`.

pub mod apply;
pub mod busy;
pub mod cli;
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
