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
/** Every diagnostic of the model (`clusterplan check --json`). */
export function check(model: Model, options?: Options): Diagnostic[];
/** Every client's ordered list of each service (`clusterplan lists --json`). */
export function lists(model: Model, options?: Options): ListLine[];
/** Every server's load, with `options.fail` failed (`clusterplan load --json`). */
export function load(model: Model, options?: Options): LoadLine[];
/** One client's list, entry by entry; `node` is a node number in `cluster` or a uid. */
export function explain(model: Model, cluster: string, service: string, node: string, options?: Options): ExplainedList;
/** The four strategies side by side (`clusterplan compare --json`). */
export function compare(model: Model, options?: Options): StrategyReport[];
/** A `cluster-planner-scenario/1` run on the model (`clusterplan simulate --json`). */
export function simulate(model: Model, scenario: string | object): Simulation;
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

fn options(value: &Option<js_sys::Object>) -> Result<Options, JsError> {
    match value {
        None => Ok(Options::default()),
        Some(value) => Options::read(&text_of(value, "options")?).map_err(refused),
    }
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
#[wasm_bindgen(skip_typescript)]
pub fn check(model: JsValue, opts: Option<js_sys::Object>) -> Result<JsValue, JsError> {
    answer(answer::check(&text_of(&model, "model")?, &options(&opts)?))
}

/// Every client's ordered list of each service (`clusterplan lists --json`).
#[wasm_bindgen(skip_typescript)]
pub fn lists(model: JsValue, opts: Option<js_sys::Object>) -> Result<JsValue, JsError> {
    answer(answer::lists(&text_of(&model, "model")?, &options(&opts)?))
}

/// Every server's load, first choice and worst single failure, with `fail` failed
/// (`clusterplan load --json`).
#[wasm_bindgen(skip_typescript)]
pub fn load(model: JsValue, opts: Option<js_sys::Object>) -> Result<JsValue, JsError> {
    answer(answer::load(&text_of(&model, "model")?, &options(&opts)?))
}

/// One client's list of one service, entry by entry (`clusterplan explain --json`); `node` is
/// a node number in `cluster` or a uid.
#[wasm_bindgen(skip_typescript)]
pub fn explain(
    model: JsValue,
    cluster: &str,
    service: &str,
    node: &str,
    opts: Option<js_sys::Object>,
) -> Result<JsValue, JsError> {
    let model = text_of(&model, "model")?;
    answer(answer::explain(&model, cluster, service, node, &options(&opts)?))
}

/// The four strategies side by side (`clusterplan compare --json`).
#[wasm_bindgen(skip_typescript)]
pub fn compare(model: JsValue, opts: Option<js_sys::Object>) -> Result<JsValue, JsError> {
    answer(answer::compare(&text_of(&model, "model")?, &options(&opts)?))
}

/// A `cluster-planner-scenario/1` run on the model (`clusterplan simulate --json`).
#[wasm_bindgen(skip_typescript)]
pub fn simulate(model: JsValue, scenario: JsValue) -> Result<JsValue, JsError> {
    let (model, scenario) = (text_of(&model, "model")?, text_of(&scenario, "scenario")?);
    answer(answer::simulate(&model, &scenario))
}
