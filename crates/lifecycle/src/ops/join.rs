//! `join` (online node, `docs/spec.md §6`): FIG 15 step 1 reads the node's global definition and
//! runs FIG 11's UID check (scenarios 1-4); step 2 starts the node's components (FIG 8's steps
//! on this node: the cluster's registry is already write-enabled); steps 3-9 are FIG 15's
//! automatic configuration: the Resource Manager asks the resource controllers to write their
//! configuration into the registry, on every join. A failed step stops the node's components and
//! puts its current cluster pointer back (aborted); a lost step 7 event does not stop the join.

use super::bootstrap::{node_step, NodeRun};
use super::Ended;
use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{self, Process};
use serde_json::Value;

const FIG: &str = "FIG 15";

/// Runs `join` of `node` into `cluster`.
pub(crate) fn run(sim: &mut Sim, cluster: &str, node: &str) -> Ended {
    let refused = |why: String| (Verdict::Refused, why, None);
    let Some(n) = sim.world.node(node) else { return refused(format!("no node {node}")) };
    if !n.up {
        return refused(format!("{node} is down"));
    }
    if !n.connected {
        return refused(format!("{node} is disconnected"));
    }
    if let Some(other) = n.online_in().first() {
        return refused(if other == cluster {
            format!("{node} is already online in {cluster}")
        } else {
            format!("{node} is online in {other}: a node is online in one cluster at a time (move it instead)")
        });
    }
    let Some(def) = n.definition(cluster) else {
        return refused(format!(
            "{node} holds no definition of {cluster}: define it first (FIG 13)"
        ));
    };
    if !sim.cluster_writable(cluster) {
        return refused(format!(
            "cluster {cluster} is not online (no registry server in phase 2): bootstrap it first"
        ));
    }
    let hardware = n.hardware_uid.clone();
    let previous = n.current();
    let number = def.node.number;

    // Step 1: the local identifier/number pair against the global one (FIG 11).
    sim.crash_point(FIG, 1);
    if sim.world.node(node).and_then(|n| n.process("dcm")).is_none() {
        sim.set_process(node, "dcm", Some(Process::new("running", None)));
    }
    let answer = sim.ask_registry(node, cluster, Some(1), false);
    let Some(server) = answer.server.clone() else {
        sim.emit(
            Some(FIG),
            Some(1),
            Some(node),
            "DCM",
            format!("cannot read its global definition: {}", answer.describe()),
        );
        return (Verdict::Aborted, format!("step 1: {}", answer.describe()), None);
    };
    let global = sim.world.replica(cluster, &server).and_then(|r| r.nodes.get(&number).cloned());
    let access = Access::GlobalRead { component: "dcm".into(), cluster: cluster.into(), server };
    sim.emit_access(
        Some(FIG),
        Some(1),
        Some(node),
        "DCM",
        format!("reads the global definition of node {number} {}", answer.describe()),
        Some(access),
    );
    let scenario = super::uid_scenario(&hardware, &def.node.uid, global.as_deref());
    let compared = super::compared(&hardware, &def.node.uid, global.as_deref(), scenario);
    match scenario {
        2 | 4 => {
            sim.erase_local(node, cluster);
            sim.log(node, format!("join {cluster}: FIG 11 scenario {scenario}: definition deleted while away, local definition cleaned"));
            sim.emit(Some("FIG 11"), None, Some(node), "DCM", format!("{compared}: the node was deleted from {cluster} while away; the DCM cleans its local definition and the node does not join"));
            return (Verdict::Refused, format!("FIG 11 scenario {scenario}: {node} was deleted from {cluster} while away; its local definition is cleaned"), Some(scenario));
        }
        3 => {
            sim.emit(
                Some("FIG 11"),
                None,
                Some(node),
                "DCM",
                format!(
                    "{compared}: the hardware was replaced; local and global UID are corrected"
                ),
            );
            if let Err(why) = super::correct_uid(sim, cluster, node, number, &hardware, Some(1)) {
                return (Verdict::Aborted, why, Some(3));
            }
        }
        _ => sim.emit(
            Some("FIG 11"),
            None,
            Some(node),
            "DCM",
            format!("{compared}: the definition is correct; the join proceeds"),
        ),
    }

    // Step 2: the join request; the DCM moves the node online and starts its components.
    sim.crash_point(FIG, 2);
    if sim.fails(2, node) {
        return abort(sim, cluster, node, &previous, 2, "the join request is lost", scenario);
    }
    sim.set_storage(node, world::CURRENT, Value::String(cluster.into()));
    sim.set_process(node, "dcm", Some(Process::new("ready", Some(cluster))));
    sim.emit(Some(FIG), Some(2), Some(node), "DCM", format!("the node is requested to join {cluster}: the DCM sets its current cluster and starts its components (FIG 8 on this node)"));
    let mut r = NodeRun::new(sim, cluster, node, number);
    if r.server {
        super::control::start_registry(sim, cluster, node);
    }
    for step in [2u8, 3, 4, 8, 9, 10, 11, 12, 13, 14, 17, 18, 19, 20] {
        if r.out.is_none() {
            node_step(sim, cluster, &mut r, step, false);
        }
        if step == 14 && r.out.is_none() && r.server {
            // FIG 7: its registry's phase 2 only now that its Group Services runs.
            sim.phase2_waiting(cluster);
        }
    }
    if let Some(why) = r.out.clone() {
        return abort(sim, cluster, node, &previous, 2, &why, scenario);
    }

    // Steps 3-9: automatic configuration.
    let j = Join { cluster, node, previous, scenario };
    let controllers = r.controllers.clone();
    if let Err(ended) = j.message(
        sim,
        3,
        "DCM",
        "the DCM's request to the Resource Manager is lost",
        "asks the Resource Manager to have the resource controllers write their configuration"
            .into(),
        |_| {},
    ) {
        return ended;
    }
    let to = if controllers.is_empty() {
        "no resource controller is registered".to_owned()
    } else {
        controllers.join(", ")
    };
    let start = |sim: &mut Sim| {
        for name in &controllers {
            let key = format!("controller:{name}");
            sim.set_process(node, &key, Some(Process::new("started", Some(cluster))));
        }
    };
    let what =
        format!("sends the resource controllers the request to write their configuration ({to})");
    if let Err(ended) = j.message(
        sim,
        4,
        "Resource Manager",
        "the Resource Manager's message to the resource controllers is lost",
        what,
        start,
    ) {
        return ended;
    }
    sim.crash_point(FIG, 5);
    let mut took = None;
    for name in &controllers {
        let key = format!("controller:{name}");
        let answer = sim.ask_registry(node, cluster, None, true);
        let server = match answer.server.clone() {
            Some(s) if !sim.fails(5, node) => s,
            Some(_) => {
                return j.abort(
                    sim,
                    5,
                    &format!("resource controller {name}'s registry write fails"),
                )
            }
            None => {
                let why = format!("resource controller {name} cannot write: {}", answer.describe());
                return j.abort(sim, 5, &why);
            }
        };
        let value = Some(format!("configured by {node}"));
        let group = sim.replicate(cluster, &server, &[Entry::Resource(number, key.clone(), value)]);
        sim.set_process(node, &key, Some(Process::new("ready", Some(cluster))));
        let entry = serde_json::json!({ "number": number, "read_from": server });
        sim.set_storage(node, &world::config_path(cluster, &key), entry);
        let access = Access::GlobalWrite {
            component: key.clone(),
            cluster: cluster.into(),
            server: server.clone(),
        };
        let what = format!(
            "discovers its resources and writes their configuration {} (replicated to {})",
            answer.through(),
            group.describe()
        );
        sim.emit_access(
            Some(FIG),
            Some(5),
            Some(node),
            &format!("resource controller {name}"),
            what,
            Some(access),
        );
        took = Some(server);
    }
    if controllers.is_empty() {
        sim.emit(
            Some(FIG),
            Some(5),
            Some(node),
            "Resource Manager",
            "no resource controller: nothing to write",
        );
    }
    if let Err(ended) = j.message(
        sim,
        6,
        "Resource Manager",
        "the resource controllers' notification to the Resource Manager is lost",
        "the resource controllers notify it that the update is complete".into(),
        |_| {},
    ) {
        return ended;
    }
    // Step 7, in parallel: the registry's event; losing it does not stop the join.
    sim.crash_point(FIG, 7);
    let mut note = String::new();
    if let Some(server) = took {
        if sim.fails(7, &server) || sim.world.node(&server).is_none_or(|n| !n.up) {
            note = "; the registry's configuration-updated event (step 7) was lost: the other components learn of it later".into();
            sim.emit(
                Some(FIG),
                Some(7),
                Some(&server),
                "System Registry",
                "its configuration-updated event is lost",
            );
        } else {
            sim.emit(Some(FIG), Some(7), Some(&server), "System Registry", format!("sends the event: the configuration of node {number} was updated; the other components recognise it as a member"));
        }
    }
    if let Err(ended) = j.message(
        sim,
        8,
        "Resource Manager",
        "the Resource Manager's notification to the DCM is lost",
        "notifies the DCM: every registered resource controller has written its configuration"
            .into(),
        |_| {},
    ) {
        return ended;
    }
    let what = format!("receives the notification: {node} is online in {cluster}");
    let log = |sim: &mut Sim| {
        sim.log(node, format!("join {cluster}: online (FIG 11 scenario {scenario})"))
    };
    if let Err(ended) =
        j.message(sim, 9, "DCM", "the DCM fails to receive the notification", what, log)
    {
        return ended;
    }
    (Verdict::Committed, format!("{node} is online in {cluster}{note}"), Some(scenario))
}

/// A join under way, for its later steps.
struct Join<'a> {
    cluster: &'a str,
    node: &'a str,
    previous: Option<String>,
    scenario: u8,
}

impl Join<'_> {
    /// One message step of FIG 15 on the joining node: a fault (or the node crashing) loses it
    /// and aborts the join; otherwise `act` makes its changes and the event says `what`.
    fn message(
        &self,
        sim: &mut Sim,
        step: u8,
        process: &str,
        lost: &str,
        what: String,
        act: impl FnOnce(&mut Sim),
    ) -> Result<(), Ended> {
        sim.crash_point(FIG, step);
        if sim.fails(step, self.node) || sim.world.node(self.node).is_none_or(|n| !n.up) {
            return Err(self.abort(sim, step, lost));
        }
        act(sim);
        sim.emit(Some(FIG), Some(step), Some(self.node), process, what);
        Ok(())
    }

    fn abort(&self, sim: &mut Sim, step: u8, why: &str) -> Ended {
        abort(sim, self.cluster, self.node, &self.previous, step, why, self.scenario)
    }
}

/// The join fails at `step`: the DCM stops the node's components and puts its current cluster
/// pointer back.
fn abort(
    sim: &mut Sim,
    cluster: &str,
    node: &str,
    previous: &Option<String>,
    step: u8,
    why: &str,
    scenario: u8,
) -> Ended {
    if sim.world.node(node).is_some_and(|n| n.up) {
        sim.stop_components(node);
        sim.set_storage(node, world::CURRENT, previous.clone().map_or(Value::Null, Value::String));
        sim.log(node, format!("join {cluster}: aborted at FIG 15 step {step}: {why}"));
        sim.emit(Some(FIG), Some(step), Some(node), "DCM", format!("{why}: the join is aborted; the DCM stops the node's components and puts its current cluster back"));
    }
    (Verdict::Aborted, format!("step {step}: {why}; {node} is not online"), Some(scenario))
}
