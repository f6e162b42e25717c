//! `cargo fuzz run gl_batch`: see `e2e_tests::fuzz::gl_batch` for what the input
//! means and which invariants a crash reports.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| e2e_tests::fuzz::gl_batch(data));
