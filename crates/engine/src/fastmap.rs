//! The engine's internal hash map: std's `HashMap` with foldhash's fast hasher at a fixed seed
//! (deterministic from run to run, like the plans). Its keys come from one model (addresses,
//! masked networks, subnet sets, names); a hostile document can at worst slow a map down, never
//! change a result. Chosen over `rustc-hash` 2, whose hash of an IPv6 address varies in none of
//! its low 8 bits when only the address's last byte does (`prefix.rs` tests the low bits).

/// A hash map with the engine's hasher.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
