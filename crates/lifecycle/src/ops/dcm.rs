//! What the DCM does for the definition and control operations the source draws no figure for
//! (`docs/spec.md §6`, "More operations"): the node that takes a request, a definition write
//! through the registry and its undo, an undo log of direct writes, and the refresh of every
//! online node's local copy of the registry server list (FIG 9c) with its ordered list.

use crate::sim::{Entry, Sim};
use crate::trace::Access;
use crate::world::{self, Key};
use clusterplan_engine::sorting;
use serde_json::{json, Value};

/// The nodes online in `cluster` that are up, by node number.
pub(crate) fn online_nodes(sim: &Sim, cluster: &str) -> Vec<String> {
    let mut online: Vec<(u32, String)> = sim
        .world
        .nodes
        .iter()
        .filter(|(_, n)| n.up && n.online_in().iter().any(|c| c == cluster))
        .map(|(uid, n)| (n.definition(cluster).map_or(u32::MAX, |d| d.node.number), uid.clone()))
        .collect();
    sorting::sort(&mut online);
    online.into_iter().map(|(_, uid)| uid).collect()
}

/// The node that takes a request on `cluster`: `via` when it is up and online in it, else the
/// first node online in it (by node number).
pub(crate) fn requester(sim: &Sim, cluster: &str, via: Option<&str>) -> Result<String, String> {
    match via {
        Some(v) if online_nodes(sim, cluster).iter().any(|u| u == v) => Ok(v.to_owned()),
        Some(v) => Err(format!("{v} is not online in {cluster}: it cannot take the request")),
        None => online_nodes(sim, cluster)
            .into_iter()
            .next()
            .ok_or_else(|| format!("cluster {cluster} is not online: no node takes the request")),
    }
}

/// Where a definition write happens: (figure, step, the requesting node, the cluster).
pub(crate) type At<'a> = (&'static str, u8, &'a str, &'a str);

/// One definition write of a step: the requester's DCM writes `entries` through the first
/// write-enabled server of its ordered list. A `fail` fault of `step` on the requester fails
/// the write. `Ok(what happened)`, the event emitted; `Err(why)`, nothing written.
pub(crate) fn write(
    sim: &mut Sim,
    at: At,
    entries: &[Entry],
    what: &str,
) -> Result<String, String> {
    let (figure, step, requester, _) = at;
    if sim.fails(step, requester) {
        return Err(failed(sim, figure, step, requester, "DCM", &format!("the write of {what}")));
    }
    let failing = format!("step {step}: {what} cannot be written");
    replicated(sim, at, entries, &format!("writes {what}"), &failing)
}

/// The undo of a definition write: the old values written back through the registry (a new
/// write: content back, incarnation forward), as an event of `step`.
pub(crate) fn write_back(sim: &mut Sim, at: At, entries: &[Entry]) {
    let failing = "undo: the old values cannot be written back";
    let _ = replicated(sim, at, entries, "undo: writes the old values back", failing);
}

/// A replicated write through the first write-enabled server of the requester's ordered list,
/// as one event (`done` or `failing`, with the servers).
fn replicated(
    sim: &mut Sim,
    (figure, step, requester, cluster): At,
    entries: &[Entry],
    done: &str,
    failing: &str,
) -> Result<String, String> {
    let answer = sim.ask_registry(requester, cluster, None, true);
    let Some(server) = answer.server.clone() else {
        let why = format!("{failing}: {}", answer.describe());
        sim.emit(Some(figure), Some(step), Some(requester), "DCM", why.clone());
        return Err(why);
    };
    let group = sim.replicate(cluster, &server, entries);
    let what = format!("{done} {} (replicated to {})", answer.through(), group.describe());
    let access = Access::GlobalWrite { component: "dcm".into(), cluster: cluster.into(), server };
    sim.emit_access(Some(figure), Some(step), Some(requester), "DCM", what.clone(), Some(access));
    Ok(what)
}

/// A step failed by a fault: the event `step N: WHAT fails (fault)` on `node`; returns its text.
pub(crate) fn failed(
    sim: &mut Sim,
    figure: &'static str,
    step: u8,
    node: &str,
    process: &str,
    what: &str,
) -> String {
    let why = format!("step {step}: {what} fails (fault)");
    sim.emit(Some(figure), Some(step), Some(node), process, why.clone());
    why
}

/// The attribute's value in the replica `client` reads from (`None`: as the document says).
pub(crate) fn attribute(sim: &Sim, cluster: &str, client: &str, name: &str) -> Option<String> {
    let server = sim.serving_replica(cluster, client)?;
    sim.world.replica(cluster, &server)?.attributes.get(name).cloned()
}

/// Direct writes (local storage, whole replicas) recorded with their old values, so an abort
/// puts them back.
#[derive(Debug, Default)]
pub(crate) struct Undo {
    done: Vec<(Key, Value)>,
}

impl Undo {
    /// Sets `key`, remembering what it held.
    pub fn set(&mut self, sim: &mut Sim, key: Key, value: Value) {
        let before = sim.world.get(&key);
        if before != value {
            self.done.push((key.clone(), before));
            sim.set(key, value);
        }
    }

    /// Erases the node's local definition of `cluster` (FIG 10: its configuration entry, its
    /// `/var/ct/<cluster id>` tree, the pointers naming it).
    pub fn erase_local(&mut self, sim: &mut Sim, node: &str, cluster: &str) {
        let own = format!("{cluster}/");
        let Some(n) = sim.world.node(node).cloned() else { return };
        let mut paths: Vec<String> = vec![world::definition_path(cluster)];
        paths.extend(n.storage.keys().filter(|k| k.starts_with(&own)).cloned());
        for pointer in [world::CURRENT, world::TARGET] {
            if n.storage.get(pointer).and_then(Value::as_str) == Some(cluster) {
                paths.push(pointer.to_owned());
            }
        }
        for path in paths {
            self.set(sim, Key::Storage { node: node.into(), path }, Value::Null);
        }
    }

    /// Puts every recorded key back, newest first, except on nodes that are down now (what
    /// stays is named in the event). Emits one event when anything was put back.
    pub fn undo(self, sim: &mut Sim, figure: &'static str, step: u8, node: &str) {
        let mut kept: Vec<String> = Vec::new();
        let mut any = false;
        let mut database = None;
        for (key, before) in self.done.into_iter().rev() {
            let on = key.node().or(key.replica().map(|(_, r)| r)).map(str::to_owned);
            if let Some(on) = on.filter(|on| !sim.world.node(on).is_some_and(|n| n.up)) {
                if !kept.contains(&on) {
                    kept.push(on);
                }
                continue;
            }
            any = true;
            if let Some((cluster, _)) = key.replica() {
                database = Some(Access::Database { cluster: cluster.to_owned() });
            }
            sim.set(key, before);
        }
        let mut what = "undo: puts back what the operation wrote".to_owned();
        if !kept.is_empty() {
            what.push_str(&format!("; {} is down: what was written there stays", kept.join(", ")));
        }
        if any || !kept.is_empty() {
            sim.emit_access(Some(figure), Some(step), Some(node), "DCM", what, database);
        }
    }
}

/// The cluster's registry server list changes to `numbers`: every node's ordered list is
/// recomputed through the engine, and the DCM of every node online in the cluster refreshes
/// its local copy of the list (FIG 9c), one event each, at `step`. A node defined to the
/// cluster that is not online (or does not answer) keeps its old ordered list until its local
/// copy is refreshed. A `fail` fault of `step` on a node fails its refresh: `Err(node)` (the
/// nodes refreshed before it keep the new list; the caller undoes with [`set_list`] again).
pub(crate) fn set_list(
    sim: &mut Sim,
    figure: &'static str,
    step: u8,
    requester: &str,
    cluster: &str,
    numbers: &[u32],
    faults: bool,
) -> Result<(), String> {
    let defined: Vec<String> = sim
        .world
        .nodes
        .iter()
        .filter(|(_, n)| n.definition(cluster).is_some())
        .map(|(uid, _)| uid.clone())
        .collect();
    let old: Vec<(String, Vec<String>)> =
        defined.iter().map(|u| (u.clone(), sim.net.order(cluster, u).to_vec())).collect();
    sim.net.set_registry_numbers(cluster, numbers);
    let online = online_nodes(sim, cluster);
    for (uid, order) in old {
        if !online.contains(&uid) {
            sim.net.pin(cluster, &uid, order);
        }
    }
    let list = numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    for uid in online {
        if let Some(why) = sim.undeliverable(requester, &uid) {
            let order = sim.net.order(cluster, &uid).to_vec();
            sim.net.pin(cluster, &uid, order);
            let what = format!(
                "does not get the new registry server list ({why}): it keeps its old ordered list"
            );
            sim.emit(Some(figure), Some(step), Some(&uid), "DCM", what);
            continue;
        }
        if faults && sim.fails(step, &uid) {
            let what =
                format!("step {step}: the refresh of its local registry server list fails (fault)");
            sim.emit(Some(figure), Some(step), Some(&uid), "DCM", what);
            return Err(uid);
        }
        refresh_local(sim, cluster, &uid, numbers);
        let order = sim.net.order(cluster, &uid).join(", ");
        sim.emit(
            Some(figure),
            Some(step),
            Some(&uid),
            "DCM",
            format!("refreshes its local copy of the registry server list of {cluster} (FIG 9c): {list}, primary {}; its ordered list is now {order}", numbers.first().map_or("none".into(), u32::to_string)),
        );
    }
    Ok(())
}

/// Writes the list into the node's local definition of `cluster` (primary first) and lets the
/// node follow the cluster's ordered list again.
pub(crate) fn refresh_local(sim: &mut Sim, cluster: &str, node: &str, numbers: &[u32]) {
    sim.net.unpin(cluster, node);
    let Some(mut def) = sim.world.node(node).and_then(|n| n.definition(cluster)) else { return };
    def.registry_servers = numbers.to_vec();
    def.primary = numbers.first().copied();
    sim.set_storage(node, &world::definition_path(cluster), json!(def));
}

/// The last step of an operation: the reply to the operator. Lost (a fault), the operation
/// stands.
pub(crate) fn reply(sim: &mut Sim, figure: &'static str, step: u8, node: &str, done: &str) {
    let what = if sim.fails(step, node) {
        format!("step {step}: the reply to the operator is lost (fault): the operation stands")
    } else {
        format!("replies: {done}")
    };
    sim.emit(Some(figure), Some(step), Some(node), "DCM", what);
}

/// The list as the registry stores it (`registry_servers` attribute): `1,2,3`.
pub(crate) fn list_text(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}
