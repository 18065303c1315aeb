//! clusterplan's engine: compiles a `cluster-planner/1` document into a plan, natively or as WASM.
//!
//! Three stages: [`document`] (serde, the file format) -> [`model`] (validated, ids resolved) ->
//! [`plan`] (plain data). [`compile`] never fails and never panics: every problem becomes a
//! [`Diagnostic`] naming its item, and the plan holds everything that can still be computed.
//!
//! What the app and the CLI call:
//! - [`compile`]`(&Document, Strategy) -> Plan`: hops ([`plan::HopTable`], [`Plan::path`]),
//!   ordered lists ([`plan::ServicePlan::lists`], [`plan::ServicePlan::list_for_node`]), load
//!   ([`plan::ServiceLoad`], [`plan::ServicePlan::failover`]) and diagnostics.
//! - [`explain()`]`(&Plan, service, list, entry) -> Option<Explanation>` (also
//!   [`Plan::explain`]): why an address sits where it does, as data and text.
//! - [`compare()`]`(&Document, seed) -> Vec<StrategyReport>`: the four strategies side by side.
//! - [`generate::data_centre`]`(nodes) -> Document`: generated models (benchmark, gallery).
//! - [`lint::CODES`]: every diagnostic code with its severity and meaning.
//! - [`share`]: a document packed into a link's `#model=` fragment, and read back with limits.
//! - [`bootstrap`]: the component graph and FIG 8 sequence of a node.
//! - [`answers`]: the questions as the CLI and the JavaScript package ask them (`lists`, `load`,
//!   `explain` lines), so both give the same JSON.
//! - [`walkthrough::walkthrough`]: one client's list built step by step (FIG 22, FIG 24).
//!
//! Module map: `model` (validation, longest-prefix subnets), `hops` (BFS), `ordering` (docs/spec.md §3
//! lists and §7 strategies), `lists` (the plan's compact lists, written out when read), `load`
//! (§4), `lint` (warnings and lints), `explain`, `compare`, `generate`, with `build` assembling
//! the plan.

pub mod answers;
pub mod bootstrap;
mod build;
pub mod compare;
pub mod diagnostics;
pub mod diff;
pub mod document;
pub mod explain;
mod fxhash;
pub mod generate;
pub mod lint;
mod load;
pub mod model;
pub mod ordering;
pub mod plan;
pub mod share;
pub mod strategy;
pub mod walkthrough;

pub use compare::{compare, StrategyReport};
pub use diagnostics::{Diagnostic, Item, Severity};
pub use document::Document;
pub use explain::{explain, Explanation};
pub use plan::{FailoverLoad, Plan};
pub use strategy::Strategy;

/// Compiles a document with the given strategy.
pub fn compile(doc: &Document, strategy: Strategy) -> Plan {
    let (model, diagnostics) = model::Model::build(doc);
    let mut plan = model.into_plan(strategy);
    plan.diagnostics.splice(0..0, diagnostics);
    // The bootstrap extension field (resource controllers) is checked here too, so `check` and
    // the app's diagnostics panel report it, not only the bootstrap view.
    for node in &doc.nodes {
        plan.diagnostics.extend(bootstrap::resource_controllers(node).1);
    }
    plan
}
