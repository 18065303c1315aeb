//! The engine's compile timed inside the browser, for `scripts/measure-wasm.sh`: the same
//! generated data centre and the same `compile` as the native `timing` example
//! (`crates/engine/examples/timing.rs`), built with the release profile the app uses, timed with
//! the page's `performance.now()` (docs/performance.md, "WASM against native").

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::{compile, Strategy};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// Compiles `generate::data_centre(nodes)` with `strategy` once, then `runs` times; returns
/// each compile's wall time in milliseconds (freeing the plan is not counted), the first one
/// first: the page's first compile of a model that size, which also grows the WASM memory.
#[wasm_bindgen]
pub fn compile_runs(nodes: usize, strategy: &str, runs: u32) -> Result<Vec<f64>, JsError> {
    let strategy: Strategy = strategy.parse().map_err(|_| JsError::new("unknown strategy"))?;
    let doc = data_centre(nodes);
    let mut times = Vec::with_capacity(runs as usize + 1);
    for _ in 0..=runs {
        let start = now();
        let plan = compile(&doc, strategy);
        times.push(now() - start);
        drop(plan);
    }
    Ok(times)
}

/// The list entries of one compile of the model (to report nanoseconds per entry).
#[wasm_bindgen]
pub fn list_entries(nodes: usize) -> usize {
    let plan = compile(&data_centre(nodes), Strategy::Rotation);
    plan.services.iter().map(|s| s.lists.len() * s.addresses.len()).sum()
}
