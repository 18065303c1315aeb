//! clusterplan's lifecycle simulation: the source's protocols run step by step over a model.
//!
//! `docs/spec.md §6`: [`simulate`]`(&Document, &Scenario)` builds the world from the model
//! document (FIG 10 local storage, replicated global configuration with incarnation numbers,
//! processes), runs the scenario's operations (bootstrap FIG 8, join FIG 11 + FIG 15, define-node
//! FIG 13, undefine-node, move-node FIG 18, the control operations and set-up events) with its
//! faults, and returns a [`Simulation`]: every event with its changes, one outcome per
//! operation, and the world before and after (and after any event, [`Simulation::world_after`]).
//! Deterministic: the same document and scenario give the same trace, byte for byte. Never
//! panics on input: a broken scenario is a [`ScenarioError`].
//!
//! The engine supplies what the protocols need from the model ([`net`]): reachability and each
//! node's ordered registry list. [`invariants`] checks a run; [`explore`] reruns a scenario with
//! a fault at every step and a crash of every involved node.
//!
//! Module map: `scenario` (the document), `world` (state and changes), `net` (from the engine),
//! `sim` (the core: events, faults, messages, registry requests), `ops` (one module per
//! protocol), `trace` (events, outcomes, text and JSON), `invariants`, `explore`.

pub mod explore;
pub mod invariants;
pub mod net;
mod ops;
pub mod scenario;
mod sim;
pub mod trace;
pub mod world;

pub use scenario::{Fault, FaultKind, Op, Operation, Scenario, ScenarioError, Watch};
pub use trace::{Event, Outcome, Simulation, Verdict};
pub use world::World;

use clusterplan_engine::Document;

/// Runs a scenario against a model document.
pub fn simulate(doc: &Document, scenario: &Scenario) -> Result<Simulation, ScenarioError> {
    let ops = scenario.validate(doc)?;
    let net = net::Net::new(doc);
    Ok(run(doc, net, scenario, &ops))
}

/// Runs validated operations on a fresh world (the explorer reuses one [`net::Net`]).
pub(crate) fn run(doc: &Document, net: net::Net, scenario: &Scenario, ops: &[Op]) -> Simulation {
    let initial = sim::initial_world(doc, &net);
    let mut s = sim::Sim::new(initial.clone(), net, scenario.faults.clone());
    let mut outcomes = Vec::with_capacity(ops.len());
    let mut requests = std::collections::BTreeMap::new();
    for (i, (op, o)) in ops.iter().zip(&scenario.operations).enumerate() {
        s.op = i;
        s.op_kind = Some(*op);
        s.checker.begin(&s.world, i, Some(*op));
        let (result, reason, uid_scenario) = ops::run(&mut s, *op, o);
        s.checker.end(&s.world, &s.net, Some(result), &mut s.violations);
        let taken = std::mem::take(&mut s.requests);
        for (k, v) in &taken {
            *requests.entry(k.clone()).or_insert(0) += v;
        }
        outcomes.push(Outcome {
            operation: i,
            op: op.name(),
            result,
            reason,
            uid_scenario,
            requests: taken,
        });
    }
    Simulation {
        initial,
        events: s.events,
        outcomes,
        final_world: s.world,
        requests,
        violations: s.violations,
    }
}
