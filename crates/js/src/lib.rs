//! clusterplan's engine for JavaScript (the npm package `clusterplan`, built by
//! `scripts/build-js.sh`): `check`, `lists`, `load`, `explain`, `compare` and `simulate`, a model
//! (JSON text or object) in and the CLI's `--json` answer out as plain objects (`docs/embed.md`).
//! Every refusal is an `Error` whose message names the problem. The questions themselves are
//! plain Rust in [`answer`], natively tested.

pub mod answer;

use answer::{Options, Refusal};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A `cluster-planner/1` document, as JSON text or as the parsed object. */
export type Model = string | object;
/** The options of every question (all optional), as the CLI's flags. */
export interface Options {
  /** `rotation` (default), `spread`, `rendezvous`, `shuffle` or `shuffle:SEED`. */
  strategy?: string;
  /** `load`: node numbers of `cluster` to fail (the cluster may be left out when there is one). */
  fail?: number[];
  /** `load`, `compare`: only this cluster. */
  cluster?: string;
  /** `compare`: only this service. */
  service?: string;
  /** `compare`: the shuffle strategy's seed (default 0). */
  seed?: number;
}
export type Item =
  | { kind: "document" }
  | { kind: "cluster"; id: string }
  | { kind: "network"; name: string }
  | { kind: "subnet"; prefix: string }
  | { kind: "router"; name: string }
  | { kind: "node"; uid: string }
  | { kind: "address"; address: string; node: string | null }
  | { kind: "service"; cluster: string; name: string };
export interface Diagnostic {
  severity: "error" | "warning" | "lint";
  code: string;
  item: Item;
  message: string;
}
export interface ListLine { cluster: string; service: string; node: number; addresses: string[] }
export interface LoadLine {
  cluster: string; service: string; node: number;
  first_choice: number; worst_single_failure: number;
  /** The node number whose failure gives the worst load; null when no single failure adds to it. */
  worst_when_fails: number | null;
  up: boolean;
}
export type Strategy =
  | { name: "rotation" } | { name: "spread" } | { name: "rendezvous" }
  | { name: "shuffle"; seed: number };
export interface Explanation {
  position: number; address: string; tier: number; priority: number | null; local: boolean;
  hops: number | null; group_size: number; group_index: number; pick: number;
  node_number: number; client_uid: string; server_uid: string | null; strategy: Strategy;
  formula: string; summary: string;
}
export interface ExplainedList {
  cluster: string; service: string; node: number; uid: string; strategy: Strategy;
  entries: Explanation[];
}
export interface ServiceReport {
  cluster: string; service: string; clients: number; servers: number; unserved: number;
  max_first_choice: number; balance_first_choice: number | null;
  worst_single_failure: number; worst_failure_pair: [number, number] | null;
  balance_worst_failure: number | null;
  removal: { max_moved: number; mean_moved: number; worst_server: number } | null;
  addition: { address: string; subnet: number; to_new: number; moved: number } | null;
}
export interface StrategyReport { strategy: Strategy; services: ServiceReport[] }
export interface SimulationEvent {
  seq: number; operation: number; figure: string | null; step: number | null;
  node: string | null; process: string; what: string; changes: unknown[];
}
export interface SimulationOutcome {
  operation: number; op: string; result: "committed" | "aborted" | "refused"; reason: string;
  uid_scenario?: number; requests?: Record<string, number>;
}
/** `clusterplan simulate --json`: the run, with the world before and after. */
export interface Simulation {
  outcomes: SimulationOutcome[]; events: SimulationEvent[]; requests: Record<string, number>;
  initial: unknown; final: unknown;
}
"#;

/// A model given as text, or as an object (written as JSON for the engine's reader, so both
/// meet the same limits and messages).
fn text_of(value: &JsValue, what: &str) -> Result<String, JsError> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_object() {
        if let Some(text) = js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string()) {
            return Ok(text);
        }
    }
    Err(JsError::new(&format!("the {what} must be JSON text or an object")))
}

fn options(value: &JsValue) -> Result<Options, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    Options::read(&text_of(value, "options")?).map_err(refused)
}

fn refused(r: Refusal) -> JsError {
    JsError::new(&r.to_string())
}

/// The answer's JSON as a plain object.
fn answer(json: Result<String, Refusal>) -> Result<JsValue, JsError> {
    let json = json.map_err(refused)?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("cannot read the engine's answer"))
}

/// Every diagnostic of the model (`clusterplan check --json`).
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] opts: JsValue,
) -> Result<JsValue, JsError> {
    answer(answer::check(&text_of(&model, "model")?, &options(&opts)?))
}

/// Every client's ordered list of each service (`clusterplan lists --json`).
#[wasm_bindgen(unchecked_return_type = "ListLine[]")]
pub fn lists(
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] opts: JsValue,
) -> Result<JsValue, JsError> {
    answer(answer::lists(&text_of(&model, "model")?, &options(&opts)?))
}

/// Every server's load, first choice and worst single failure, with `fail` failed
/// (`clusterplan load --json`).
#[wasm_bindgen(unchecked_return_type = "LoadLine[]")]
pub fn load(
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] opts: JsValue,
) -> Result<JsValue, JsError> {
    answer(answer::load(&text_of(&model, "model")?, &options(&opts)?))
}

/// One client's list of one service, entry by entry (`clusterplan explain --json`); `node` is
/// a node number in `cluster` or a uid.
#[wasm_bindgen(unchecked_return_type = "ExplainedList")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    cluster: &str,
    service: &str,
    node: &str,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] opts: JsValue,
) -> Result<JsValue, JsError> {
    let model = text_of(&model, "model")?;
    answer(answer::explain(&model, cluster, service, node, &options(&opts)?))
}

/// The four strategies side by side (`clusterplan compare --json`).
#[wasm_bindgen(unchecked_return_type = "StrategyReport[]")]
pub fn compare(
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] opts: JsValue,
) -> Result<JsValue, JsError> {
    answer(answer::compare(&text_of(&model, "model")?, &options(&opts)?))
}

/// A `cluster-planner-scenario/1` run on the model (`clusterplan simulate --json`).
#[wasm_bindgen(unchecked_return_type = "Simulation")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | object")] scenario: JsValue,
) -> Result<JsValue, JsError> {
    let (model, scenario) = (text_of(&model, "model")?, text_of(&scenario, "scenario")?);
    answer(answer::simulate(&model, &scenario))
}
