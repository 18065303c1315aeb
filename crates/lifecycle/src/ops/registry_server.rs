//! `define-registry-server` and `undefine-registry-server` (`docs/spec.md §6`, "More
//! operations"), in the project's numbered steps (`docs/lifecycle.md`):
//!
//! 1. the requesting DCM writes the cluster's new registry server list through the registry;
//! 2. the DCM of every node online in the cluster refreshes its local copy of the list (FIG 9c),
//!    and so its ordered list (recomputed through the engine); a node that is not online keeps
//!    its old ordered list until its local copy is refreshed (at its next join);
//! 3. define: the new server gets its replica (empty, incarnation 0) and, when it is online in
//!    the cluster, the DCM starts its System Registry, which takes the chosen copy by phase 2;
//!    undefine: the removed server's DCM stops its System Registry and erases its replica (a
//!    server that does not answer keeps them);
//! 4. the reply.
//!
//! A failure at steps 1-3 aborts: the old list is written back (a new write: content back,
//! incarnation forward), the local copies refreshed back, and the new replica erased.

use super::dcm::{self, Undo};
use crate::scenario::Operation;
use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{Key, Replica};
use serde_json::{json, Value};

const DEFINE: &str = "define-registry-server";
const UNDEFINE: &str = "undefine-registry-server";

/// Runs `define-registry-server` (`add`) or `undefine-registry-server`.
pub(crate) fn run(sim: &mut Sim, o: &Operation, add: bool) -> (Verdict, String) {
    let figure = if add { DEFINE } else { UNDEFINE };
    let cluster = o.cluster.clone().unwrap_or_default();
    let number = o.number.unwrap_or_default();
    let refused = |why: String| (Verdict::Refused, why);
    let Some(server) = sim.net.node_numbered(&cluster, number) else {
        return refused(format!("no node {number} is defined to {cluster}"));
    };
    let old = sim.net.registry_numbers(&cluster);
    let new: Vec<u32> = if add {
        if old.contains(&number) {
            return refused(format!(
                "node {number} ({server}) is already a registry server of {cluster}"
            ));
        }
        old.iter().copied().chain([number]).collect()
    } else {
        if !old.contains(&number) {
            return refused(format!(
                "node {number} ({server}) is not a registry server of {cluster}"
            ));
        }
        if old.len() == 1 {
            return refused(format!("node {number} ({server}) is the only registry server of {cluster}: a cluster keeps at least one"));
        }
        old.iter().copied().filter(|n| *n != number).collect()
    };
    let requester = match dcm::requester(sim, &cluster, o.via.as_deref()) {
        Ok(r) => r,
        Err(why) => return refused(why),
    };
    let previous = dcm::attribute(sim, &cluster, &requester, "registry_servers");

    // Step 1: the new list, through the registry.
    sim.crash_point(figure, 1);
    let entry = Entry::Attribute("registry_servers".into(), Some(dcm::list_text(&new)));
    let what = format!("the registry server list of {cluster}: {}", dcm::list_text(&new));
    if let Err(why) = dcm::write(sim, (figure, 1, &requester, &cluster), &[entry], &what) {
        return (Verdict::Aborted, format!("{why}: nothing was written"));
    }
    let back = [Entry::Attribute("registry_servers".into(), previous)];
    let mut undo = Undo::default();
    let abort = |sim: &mut Sim, undo: Undo, step: u8, why: String| {
        undo.undo(sim, figure, step, &requester);
        // The old list is the cluster's again (every server it names takes the write-back),
        // and reaches the nodes that took the new one.
        let _ = dcm::set_list(sim, figure, step, &requester, &cluster, &old, false);
        dcm::write_back(sim, (figure, step, &requester, &cluster), &back);
        sim.regroup(&cluster);
        (Verdict::Aborted, format!("{why}: the old registry server list is written back"))
    };

    // Step 2: every online node refreshes its local copy, and so its ordered list.
    sim.crash_point(figure, 2);
    if let Err(node) = dcm::set_list(sim, figure, 2, &requester, &cluster, &new, true) {
        return abort(sim, undo, 2, format!("step 2 failed on {node}"));
    }

    // Step 3: the server's replica and System Registry.
    sim.crash_point(figure, 3);
    if add {
        if let Some(why) = sim.undeliverable(&requester, &server) {
            sim.emit(
                Some(figure),
                Some(3),
                Some(&requester),
                "DCM",
                format!("cannot reach {server}: {why}"),
            );
            return abort(sim, undo, 3, format!("step 3: {server} cannot be reached ({why})"));
        }
        if sim.fails(3, &server) {
            dcm::failed(sim, figure, 3, &server, "DCM", "making the replica");
            return abort(sim, undo, 3, format!("step 3 failed on {server}"));
        }
        let key = Key::Replica { cluster: cluster.clone(), replica: server.clone() };
        undo.set(sim, key, json!(Replica::default()));
        let access = Access::Database { cluster: cluster.clone() };
        sim.emit_access(Some(figure), Some(3), Some(&server), "DCM", format!("{server} is a registry server of {cluster}: it gets an empty replica (incarnation 0), filled by phase 2"), Some(access));
        let online = sim.world.node(&server).is_some_and(|n| n.online_in().contains(&cluster));
        if online {
            super::control::start_registry(sim, &cluster, &server);
        }
    } else if let Some(why) = sim.undeliverable(&requester, &server) {
        sim.emit(Some(figure), Some(3), Some(&requester), "DCM", format!("{server} does not answer ({why}): it keeps its replica and its System Registry until it is back"));
    } else {
        if sim.fails(3, &server) {
            dcm::failed(sim, figure, 3, &server, "DCM", "stopping the System Registry");
            return abort(sim, undo, 3, format!("step 3 failed on {server}"));
        }
        let running = sim.registry(&cluster, &server).is_some();
        sim.set_process(&server, "registry", None);
        undo.set(
            sim,
            Key::Replica { cluster: cluster.clone(), replica: server.clone() },
            Value::Null,
        );
        let access = Access::Database { cluster: cluster.clone() };
        let stops = if running { "stops its System Registry and " } else { "" };
        sim.emit_access(Some(figure), Some(3), Some(&server), "DCM", format!("{server} is no longer a registry server of {cluster}: the DCM {stops}erases its replica"), Some(access));
    }

    // The servers that run form their parts again (a quorum counts the new list).
    sim.regroup(&cluster);

    // Step 4: the reply.
    sim.crash_point(figure, 4);
    let done = format!(
        "node {number} ({server}) {} the registry servers of {cluster}: {}",
        if add { "added to" } else { "removed from" },
        dcm::list_text(&new)
    );
    dcm::reply(sim, figure, 4, &requester, &done);
    (Verdict::Committed, done)
}
