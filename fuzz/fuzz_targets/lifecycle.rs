//! Fuzz target: the lifecycle simulation (scenario and model) (the property: `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::lifecycle(data));
