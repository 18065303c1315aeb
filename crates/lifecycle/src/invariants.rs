//! The invariants every run must keep (`docs/spec.md §6`), checked by replaying its trace:
//!
//! - `dependency` (FIG 6/7): a component reads the local configuration only from a DCM that has
//!   checked it (FIG 8 step 7), and the global configuration only from a registry server that
//!   serves reads (phase 1 done, holding the chosen copy);
//! - `write-before-phase-2`: the global configuration changes only through a write to a
//!   write-enabled registry server (phase 2), a phase 2 update to the chosen copy, or a set-up
//!   event;
//! - `one-cluster`: at the end of every event a node is online in at most one cluster;
//! - `target-cleared`: at the end of every operation no node that is up has a target pointer;
//! - `atomic-define`: an aborted define-node leaves both repositories exactly as before (logs
//!   aside);
//! - `highest-copy`: after a committed bootstrap every serving replica holds the same copy, at
//!   an incarnation no lower than any replica of a running registry server.

use crate::scenario::{Op, Scenario};
use crate::trace::{Access, Simulation, Verdict};
use crate::world::World;
use serde::Serialize;

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: &'static str,
    pub operation: usize,
    /// The event at which it shows (`None`: at the end of the operation).
    pub seq: Option<usize>,
    pub what: String,
}

/// Checks a run of `scenario`.
pub fn check(sim: &Simulation, scenario: &Scenario) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut world = sim.initial.clone();
    let mut before_op = world.clone();
    let mut next = 0;
    for (i, o) in scenario.operations.iter().enumerate() {
        let op = Op::parse(&o.op);
        if op == Some(Op::DefineNode) {
            before_op = world.clone();
        }
        while let Some(e) = sim.events.get(next).filter(|e| e.operation == i) {
            next += 1;
            let mut v = |rule, what: String| {
                found.push(Violation { rule, operation: i, seq: Some(e.seq), what })
            };
            let writes_replicas = e.changes.iter().any(|c| c.key.replica().is_some());
            match &e.access {
                Some(Access::Local { component, cluster }) => {
                    let node = e.node.as_deref().unwrap_or_default();
                    if !world.node(node).is_some_and(|n| n.ready("dcm", cluster)) {
                        v("dependency", format!("{component} on {node} reads the local configuration of {cluster} before the DCM checked it"));
                    }
                }
                Some(Access::GlobalRead { component, cluster, server })
                    if !serves(&world, cluster, server, false) =>
                {
                    v("dependency", format!("{component} reads the global configuration of {cluster} from {server}, which does not serve reads"));
                }
                Some(Access::GlobalWrite { component, cluster, server }) => {
                    if !serves(&world, cluster, server, true) {
                        v("write-before-phase-2", format!("{component} writes the global configuration of {cluster} through {server}, which is not write-enabled"));
                    }
                    for c in &e.changes {
                        if let Some((cl, r)) = c.key.replica() {
                            if !serves(&world, cl, r, true) {
                                v("write-before-phase-2", format!("the replica of {cl} on {r} is written while not write-enabled"));
                            }
                        }
                    }
                }
                Some(Access::GlobalRead { .. })
                | Some(Access::Phase2Update { .. })
                | Some(Access::SetUp)
                | Some(Access::Database { .. }) => {}
                None if writes_replicas => {
                    v(
                        "write-before-phase-2",
                        format!("event {} changes a replica outside any registry write", e.seq),
                    );
                }
                None => {}
            }
            for c in &e.changes {
                world.apply(c);
            }
            if let Some(Access::Phase2Update { cluster, server }) = &e.access {
                let copy = world.replica(cluster, server);
                let matches = world.clusters.get(cluster).is_some_and(|cs| {
                    cs.replicas.iter().any(|(s, r)| {
                        s != server && Some(r) == copy && serves(&world, cluster, s, false)
                    })
                });
                if !matches {
                    v(
                        "write-before-phase-2",
                        format!("phase 2 on {server} did not copy a serving replica of {cluster}"),
                    );
                }
            }
            let mut touched: Vec<&str> = e.changes.iter().filter_map(|c| c.key.node()).collect();
            touched.dedup();
            for node in touched {
                if let Some(n) = world.node(node) {
                    let online = n.online_in();
                    if online.len() > 1 {
                        v("one-cluster", format!("{node} is online in {}", online.join(" and ")));
                    }
                }
            }
        }
        let end = |rule, what: String| Violation { rule, operation: i, seq: None, what };
        for (uid, n) in &world.nodes {
            if n.up {
                if let Some(t) = n.target() {
                    found.push(end("target-cleared", format!("{uid} still has target {t}")));
                }
            }
        }
        let outcome = sim.outcomes.get(i);
        let result = outcome.map(|o| o.result);
        if op == Some(Op::DefineNode)
            && result == Some(Verdict::Aborted)
            && !world.same_repositories(&before_op)
        {
            found.push(end(
                "atomic-define",
                "the aborted define-node left the repositories changed".into(),
            ));
        }
        if op == Some(Op::Bootstrap) && result == Some(Verdict::Committed) {
            if let Some(why) = highest_copy(&world, o.cluster.as_deref().unwrap_or_default()) {
                found.push(end("highest-copy", why));
            }
        }
    }
    found
}

/// The registry of `server` runs for `cluster` and serves reads (or writes).
fn serves(world: &World, cluster: &str, server: &str, write: bool) -> bool {
    world.node(server).and_then(|n| n.process("registry")).is_some_and(|p| {
        p.cluster.as_deref() == Some(cluster)
            && if write { p.state == "write-enabled" } else { crate::sim::serves_reads(p) }
    })
}

/// Every serving replica of the cluster holds the same copy, at the highest incarnation of the
/// replicas whose registry runs.
fn highest_copy(world: &World, cluster: &str) -> Option<String> {
    let cs = world.clusters.get(cluster)?;
    let running = |s: &str| {
        world
            .node(s)
            .and_then(|n| n.process("registry"))
            .is_some_and(|p| p.cluster.as_deref() == Some(cluster))
    };
    let top = cs.replicas.iter().filter(|(s, _)| running(s)).map(|(_, r)| r.incarnation).max()?;
    let serving: Vec<(&String, &crate::world::Replica)> =
        cs.replicas.iter().filter(|(s, _)| serves(world, cluster, s, false)).collect();
    let (first, copy) = serving.first()?;
    for (s, r) in &serving {
        if r.incarnation != copy.incarnation || !r.same_content(copy) {
            return Some(format!("the replicas of {cluster} on {first} and {s} differ"));
        }
    }
    (copy.incarnation < top).then(|| {
        format!(
            "the serving replicas of {cluster} are at incarnation {}, lower than {top}",
            copy.incarnation
        )
    })
}
