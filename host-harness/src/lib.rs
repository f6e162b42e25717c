//! The stand-in host ERP for the Customer Group plugin.
//!
//! - [`engine`]: wasmtime configured for untrusted plugins ([`PluginRuntime`]);
//! - [`wit`]: the WIT contract's types and the host imports ([`Facts`]);
//! - the embedded components ([`PLUGIN_WASM`]) built by `build.rs`.

pub mod engine;
pub mod wit;

pub use engine::{Limits, PluginError, PluginRuntime};
pub use wit::Facts;

include!(concat!(env!("OUT_DIR"), "/guests.rs"));
