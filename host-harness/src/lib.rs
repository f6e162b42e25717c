//! The stand-in host ERP for the Customer Group plugin.
//!
//! - [`engine`]: wasmtime configured for untrusted plugins ([`PluginRuntime`]);
//! - [`wit`]: the WIT contract: one binding per supported version (the
//!   current `wit/`, the frozen `wit/since_v0.7.0/`, `since_v0.6.0/`,
//!   `since_v0.5.0/` and `since_v0.4.0/`), the current types,
//!   and the host imports ([`Facts`]);
//! - [`fields`]: the field table: each form field's place in the record,
//!   and the stored JSON by form field name;
//! - [`messages`]: the host's messages in every locale ([`i18n`]);
//! - the embedded components ([`PLUGIN_WASM`]) built by `build.rs`.
//!
//! # Layers
//!
//! A module imports only from the layers below its own: never from its own
//! layer, never from above. `tests/layers.rs` (the workspace's) reads this
//! list and the sources and fails otherwise; a module's files belong to it
//! (`gl/entry.rs` is `gl`). Bottom first:
//!
//! 1. `wit`, `units`, `actor`, `cache`, `i18n`, `guests`: the contract
//!    (bindings per supported version and their adaptation, `Facts`),
//!    money, who acts, the compile cache, the plugin's locales, the
//!    components `build.rs` built.
//! 2. `engine`, `fields`: the plugin runtime (limits, loading by version,
//!    calls) and the host imports; the field table (each form field's place
//!    in the record, its stored JSON).
//! 3. `store`: all SQL of the host's tables, and the schema.
//! 4. `messages`, `sample`: the catalogue; the sample data.
//! 5. `gl`, `rights`: the ledger (entry, batches, posting); the rights
//!    the plugin's form marks fields with, and who holds them.
//! 6. `admin`, `report`, `users`, `present`: the admin services; the
//!    reports; the console's users (argon2id passwords, roles); what a
//!    front end shows of a stored group beside its form fields.
//! 7. `errors`: how a front end prints an error chain.
//! 8. `console`: the web console (`erp-host serve`): a front end over the
//!    services below, like the CLI; nothing below imports it.
//! 9. `cli`: the command line (its `serve` command starts the console).
//! 10. `lib`: this file: the modules and what the crate re-exports.

pub mod actor;
pub mod admin;
pub mod cache;
pub mod cli;
pub mod console;
pub mod engine;

pub mod errors;
pub mod fields;
pub mod gl;
pub mod guests;
/// Locales: the plugin's own source file, so that the host and the plugin
/// share one list of locales and one reading of a tag.
#[path = "../../plugin/src/i18n.rs"]
pub mod i18n;
pub mod messages;
pub mod present;
pub mod report;
pub mod rights;
pub mod sample;
pub mod store;
pub mod units;
pub mod users;
pub mod wit;

pub use admin::{Actor, Admin, AdminError, Saved};
pub use cache::CompileCache;
pub use engine::{Limits, Loaded, Origin, PluginError, PluginRuntime};
pub use store::{Db, StoreError};
pub use wit::Facts;

pub use guests::*;
