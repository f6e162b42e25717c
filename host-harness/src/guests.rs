//! The components `build.rs` built: the plugin, embedded, and the test-only
//! hostile guest, by path.

include!(concat!(env!("OUT_DIR"), "/guests.rs"));
