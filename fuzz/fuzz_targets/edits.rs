//! Fuzz target: the app's edit reducer and undo (the property: `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::edits(data));
