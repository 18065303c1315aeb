//! The engine's compile timed inside the browser, for `scripts/measure-wasm.sh`: the same
//! generated data centre and the same `compile` as the native `timing` example
//! (`crates/engine/examples/timing.rs`), built with the release profile the app uses, timed with
//! the page's `performance.now()` (docs/performance.md, "WASM against native"). The model is
//! made once ([`prepare`]); each [`compile_prepared`] is one compile, so that the harness can
//! also read the CPU time the page's thread spent on it; the plan is freed apart ([`drop_plan`]).

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::{compile, Document, Plan, Strategy};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// The model being timed, its strategy, and the last plan (kept until [`drop_plan`]).
struct Bench {
    doc: Document,
    strategy: Strategy,
    plan: Option<Plan>,
}

thread_local! {
    static BENCH: RefCell<Option<Bench>> = const { RefCell::new(None) };
}

/// Makes `generate::data_centre(nodes)` the model to compile with `strategy`; returns its list
/// entries (to report nanoseconds per entry).
#[wasm_bindgen]
pub fn prepare(nodes: usize, strategy: &str) -> Result<usize, JsError> {
    let strategy: Strategy = strategy.parse().map_err(|_| JsError::new("unknown strategy"))?;
    let doc = data_centre(nodes);
    let plan = compile(&doc, strategy);
    let entries = plan.services.iter().map(|s| s.lists.len() * s.addresses.len()).sum();
    drop(plan);
    BENCH.with(|b| *b.borrow_mut() = Some(Bench { doc, strategy, plan: None }));
    Ok(entries)
}

/// Compiles the prepared model once; returns the compile's wall time in milliseconds (0 when
/// nothing is prepared). The plan is kept until [`drop_plan`], so freeing it is not counted.
#[wasm_bindgen]
pub fn compile_prepared() -> f64 {
    BENCH.with(|b| {
        let mut b = b.borrow_mut();
        let Some(bench) = b.as_mut() else { return 0.0 };
        let start = now();
        let plan = compile(&bench.doc, bench.strategy);
        let wall = now() - start;
        bench.plan = Some(plan);
        wall
    })
}

/// Frees the last plan.
#[wasm_bindgen]
pub fn drop_plan() {
    BENCH.with(|b| {
        if let Some(bench) = b.borrow_mut().as_mut() {
            bench.plan = None;
        }
    });
}

/// Does nothing: the harness times a call of it to subtract the cost of calling into the page.
#[wasm_bindgen]
pub fn nothing() -> f64 {
    0.0
}
