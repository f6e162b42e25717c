//! `cargo fuzz run config`: see `e2e_tests::fuzz::config` for what the input
//! means and which invariants a crash reports.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| e2e_tests::fuzz::config(data));
