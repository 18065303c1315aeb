//! clusterplan's engine: compiles a `cluster-planner/1` document into a plan, natively or as WASM.
//!
//! Three stages: [`document`] (serde, the file format) -> [`model`] (validated, ids resolved) ->
//! [`plan`] (plain data). [`compile`] never fails and never panics: every problem becomes a
//! [`Diagnostic`] naming its item, and the plan holds everything that can still be computed.

pub mod bootstrap;
mod build;
pub mod compare;
pub mod diagnostics;
pub mod document;
pub mod explain;
mod fxhash;
pub mod generate;
pub mod hops;
pub mod lint;
mod load;
pub mod model;
pub mod ordering;
pub mod plan;
pub mod strategy;

pub use diagnostics::{Diagnostic, Item, Severity};
pub use document::Document;
pub use compare::{compare, StrategyReport};
pub use explain::{explain, Explanation};
pub use plan::{FailoverLoad, Plan};
pub use strategy::Strategy;

/// Compiles a document with the given strategy.
pub fn compile(doc: &Document, strategy: Strategy) -> Plan {
    let (model, diagnostics) = model::Model::build(doc);
    let mut plan = model.into_plan(strategy);
    plan.diagnostics.splice(0..0, diagnostics);
    plan
}
