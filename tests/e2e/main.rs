//! End-to-end tests: the real plugin component loaded by wasmtime, a real
//! SQLite file, and the real `erp-host` CLI.

mod cli;
mod companies;
mod contract;
mod fuzz_seeds;
mod gl;
mod groups;
mod hostile;
mod install;
mod ledger;
mod lifecycle;
mod limits;
mod list;
mod settings;
mod snapshots;
mod tree;
mod validation;
