//! Criterion benchmark of the full compile (scaffold; replaced by the engine work).
fn main() {}
