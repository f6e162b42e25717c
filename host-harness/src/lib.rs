//! The stand-in host ERP for the Customer Group plugin.
//!
//! - [`engine`]: wasmtime configured for untrusted plugins ([`PluginRuntime`]);
//! - [`wit`]: the WIT contract's types and the host imports ([`Facts`]);
//! - [`messages`]: the host's messages in every locale ([`i18n`]);
//! - the embedded components ([`PLUGIN_WASM`]) built by `build.rs`.

pub mod actor;
pub mod admin;
pub mod cache;
pub mod cli;
pub mod engine;

pub mod errors;
pub mod gl;
/// Locales: the plugin's own source file, so that the host and the plugin
/// share one list of locales and one reading of a tag.
#[path = "../../plugin/src/i18n.rs"]
pub mod i18n;
pub mod messages;
pub mod report;
pub mod sample;
pub mod store;
pub mod units;
pub mod wit;

pub use admin::{Actor, Admin, AdminError, Saved};
pub use cache::CompileCache;
pub use engine::{Limits, Loaded, Origin, PluginError, PluginRuntime};
pub use store::{Db, StoreError};
pub use wit::Facts;

include!(concat!(env!("OUT_DIR"), "/guests.rs"));
