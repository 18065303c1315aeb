//! The cluster operations of `docs/spec.md §6` ("More operations"), each in the project's
//! numbered steps (`docs/lifecycle.md`), every step faultable:
//!
//! - `define-cluster`: 1 the requesting DCM (the first registry server listed) makes the new
//!   cluster id (never one used before); 2 each registry server node's DCM writes its local
//!   definition (FIG 9a-9c); 3 the global database is created on each of them at incarnation 1;
//!   4 the reply. A failure at steps 1-3 aborts and puts back what was written.
//! - `undefine-cluster`: refused while any node is online in it; 1 the requesting DCM (a
//!   registry server) reads the node definitions from its own replica; 2 each defined node's
//!   DCM erases its local definition; 3 each registry server erases its replica; 4 the reply.
//!   A node that does not answer keeps what it holds; a failure at steps 1-3 aborts and puts
//!   everything back.
//! - `modify-cluster` (the name, the quorum): 1 a write through the registry; 2 each online
//!   node's DCM refreshes its local copy; 3 the reply. A failure at step 2 writes the old values
//!   back (content back, incarnation forward) and restores the local copies.
//! - `offline-cluster`: 1 the request reaches every node online in it; 2-6 they stop their
//!   components in the reverse order of FIG 8 (resource controllers, Resource Manager, Group
//!   Services, Liveness, then the System Registry and the DCM leaves the cluster). A node whose
//!   step fails stays online with what still runs (an offline cannot be undone).

use super::dcm::{self, Undo};
use crate::scenario::Operation;
use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{self, ClusterRecord, Key, LocalDefinition, NodeRecord, Replica};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const DEFINE: &str = "define-cluster";
const UNDEFINE: &str = "undefine-cluster";
const MODIFY: &str = "modify-cluster";
const OFFLINE: &str = "offline-cluster";

fn up(sim: &Sim, node: &str) -> bool {
    sim.world.node(node).is_some_and(|n| n.up)
}

/// `define-cluster` (`id`, `registry_servers`, optional `name`, `quorum`).
pub(crate) fn define(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let id = o.id.clone().unwrap_or_default();
    let name = o.name.clone().unwrap_or_else(|| id.clone());
    let servers = o.registry_servers.clone().unwrap_or_default();
    if sim.net.has_cluster(&id) || sim.world.clusters.contains_key(&id) {
        return (Verdict::Refused, format!("cluster id {id} is taken"));
    }
    if sim.net.is_retired(&id) {
        return (
            Verdict::Refused,
            format!("cluster id {id} was undefined: a cluster id is never used again"),
        );
    }
    let Some(first) = servers.first().cloned() else {
        return (Verdict::Refused, "a cluster needs at least one registry server".into());
    };
    let numbered: Vec<(String, u32)> =
        servers.iter().zip(1u32..).map(|(u, n)| (u.clone(), n)).collect();
    let mut undo = Undo::default();
    let abort = |sim: &mut Sim, undo: Undo, step: u8, why: String| {
        undo.undo(sim, DEFINE, step, &first);
        (Verdict::Aborted, format!("{why}; nothing of cluster {id} is left"))
    };

    // Step 1: the requesting DCM makes the new id.
    sim.crash_point(DEFINE, 1);
    if !up(sim, &first) {
        return (Verdict::Aborted, format!("step 1: {first} is down"));
    }
    if sim.fails(1, &first) {
        dcm::failed(sim, DEFINE, 1, &first, "DCM", "making the cluster definition");
        return (Verdict::Aborted, "step 1 failed: nothing was written".into());
    }
    let list: Vec<String> = numbered.iter().map(|(u, n)| format!("{u} (node {n})")).collect();
    sim.emit(
        Some(DEFINE),
        Some(1),
        Some(&first),
        "DCM",
        format!(
            "defines cluster {id} ({name}): a new cluster id; registry servers {}, primary {first}",
            list.join(", ")
        ),
    );

    // Step 2: each registry server node's local definition.
    sim.crash_point(DEFINE, 2);
    let numbers: Vec<u32> = numbered.iter().map(|(_, n)| *n).collect();
    for (uid, number) in &numbered {
        if let Some(why) = sim.undeliverable(&first, uid) {
            sim.emit(
                Some(DEFINE),
                Some(2),
                Some(&first),
                "DCM",
                format!("cannot reach {uid}: {why}"),
            );
            return abort(sim, undo, 2, format!("step 2: {uid} cannot be reached ({why})"));
        }
        if sim.fails(2, uid) {
            dcm::failed(sim, DEFINE, 2, uid, "DCM", "the local definition write");
            return abort(sim, undo, 2, format!("step 2 failed on {uid}"));
        }
        let Some(n) = sim.world.node(uid).cloned() else { continue };
        let def = LocalDefinition {
            cluster: ClusterRecord { id: id.clone(), name: name.clone() },
            node: NodeRecord {
                uid: n.hardware_uid.clone(),
                number: *number,
                name: sim.net.name_of(uid),
                address: sim.net.address_of(uid),
            },
            registry_servers: numbers.clone(),
            primary: numbers.first().copied(),
        };
        let storage = |path: &str| Key::Storage { node: uid.clone(), path: path.to_owned() };
        undo.set(sim, storage(&world::definition_path(&id)), json!(def));
        for dir in world::CLUSTER_DIRS {
            undo.set(sim, storage(&format!("{id}/{dir}")), json!([]));
        }
        let mut what = format!("writes its local definition of {id} as node {number} (FIG 9a-9c) and makes /var/ct/{id}");
        if n.current().is_none() {
            undo.set(sim, storage(world::CURRENT), json!(id));
            what.push_str(&format!("; its current cluster is now {id}"));
        }
        sim.emit(Some(DEFINE), Some(2), Some(uid), "DCM", what);
    }

    // Step 3: the global database on each registry server, at incarnation 1.
    sim.crash_point(DEFINE, 3);
    let nodes: BTreeMap<u32, String> = numbered
        .iter()
        .filter_map(|(u, n)| Some((*n, sim.world.node(u)?.hardware_uid.clone())))
        .collect();
    let replica = Replica { incarnation: 1, nodes, ..Replica::default() };
    for (uid, _) in &numbered {
        if let Some(why) = sim.undeliverable(&first, uid) {
            sim.emit(
                Some(DEFINE),
                Some(3),
                Some(&first),
                "DCM",
                format!("cannot reach {uid}: {why}"),
            );
            return abort(sim, undo, 3, format!("step 3: {uid} cannot be reached ({why})"));
        }
        if sim.fails(3, uid) {
            dcm::failed(sim, DEFINE, 3, uid, "System Registry", "creating the global database");
            return abort(sim, undo, 3, format!("step 3 failed on {uid}"));
        }
        let key = Key::Replica { cluster: id.clone(), replica: uid.clone() };
        undo.set(sim, key, json!(replica));
        let access = Access::Database { cluster: id.clone() };
        sim.emit_access(Some(DEFINE), Some(3), Some(uid), "System Registry", format!("the global database of {id} is created here at incarnation 1 (the cluster definition and nodes {})", numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")), Some(access));
    }
    sim.net.add_cluster(&id, &name, o.quorum.as_deref(), &numbered);

    // Step 4: the reply.
    sim.crash_point(DEFINE, 4);
    let done =
        format!("cluster {id} ({name}) defined with registry servers {}", servers.join(", "));
    dcm::reply(sim, DEFINE, 4, &first, &done);
    (Verdict::Committed, done)
}

/// `undefine-cluster` (`cluster`, optional `via`: the registry server that takes it).
pub(crate) fn undefine(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let cluster = o.cluster.clone().unwrap_or_default();
    if sim.net.is_retired(&cluster) || !sim.net.has_cluster(&cluster) {
        return (Verdict::Refused, format!("cluster {cluster} is not defined"));
    }
    let online: Vec<String> = sim
        .world
        .nodes
        .iter()
        .filter(|(_, n)| n.online_in().contains(&cluster))
        .map(|(u, _)| u.clone())
        .collect();
    if !online.is_empty() {
        return (
            Verdict::Refused,
            format!(
                "{} online in {cluster}: take the cluster offline first (offline-cluster)",
                online.join(", ") + if online.len() == 1 { " is" } else { " are" }
            ),
        );
    }
    let servers = sim.net.registry_servers(&cluster);
    let requester = match &o.via {
        Some(v) if servers.contains(v) && up(sim, v) => v.clone(),
        Some(v) => {
            return (Verdict::Refused, format!("{v} is not a registry server of {cluster} that is up: it holds no replica to read the definitions from"))
        }
        None => match servers.iter().find(|s| up(sim, s) && sim.world.replica(&cluster, s).is_some()) {
            Some(s) => s.clone(),
            None => return (Verdict::Refused, format!("no registry server of {cluster} is up to take the request")),
        },
    };
    let mut undo = Undo::default();
    let abort = |sim: &mut Sim, undo: Undo, step: u8, why: String| {
        undo.undo(sim, UNDEFINE, step, &requester);
        (Verdict::Aborted, format!("{why}; cluster {cluster} is defined as before"))
    };

    // Step 1: the node definitions, from the requester's own replica.
    sim.crash_point(UNDEFINE, 1);
    if !up(sim, &requester) {
        return (Verdict::Aborted, format!("step 1: {requester} is down"));
    }
    if sim.fails(1, &requester) {
        dcm::failed(sim, UNDEFINE, 1, &requester, "DCM", "reading its replica");
        return (Verdict::Aborted, "step 1 failed: nothing was erased".into());
    }
    let defined =
        sim.world.replica(&cluster, &requester).map(|r| r.nodes.clone()).unwrap_or_default();
    let listed: Vec<String> = defined.iter().map(|(n, u)| format!("{n} ({u})")).collect();
    sim.emit(Some(UNDEFINE), Some(1), Some(&requester), "DCM", format!("undefines cluster {cluster}: reads its node definitions from its own replica: nodes {}", listed.join(", ")));

    // Step 2: every defined node erases its local definition.
    sim.crash_point(UNDEFINE, 2);
    let mut kept = Vec::new();
    let holders: Vec<String> = sim
        .world
        .nodes
        .iter()
        .filter(|(_, n)| {
            n.definition(&cluster).is_some_and(|d| defined.contains_key(&d.node.number))
        })
        .map(|(u, _)| u.clone())
        .collect();
    for uid in holders {
        if let Some(why) = sim.undeliverable(&requester, &uid) {
            sim.emit(
                Some(UNDEFINE),
                Some(2),
                Some(&requester),
                "DCM",
                format!(
                    "{uid} does not answer ({why}): it keeps its local definition of {cluster}"
                ),
            );
            kept.push(uid);
            continue;
        }
        if sim.fails(2, &uid) {
            dcm::failed(sim, UNDEFINE, 2, &uid, "DCM", "erasing the local definition");
            return abort(sim, undo, 2, format!("step 2 failed on {uid}"));
        }
        undo.erase_local(sim, &uid, &cluster);
        sim.emit(
            Some(UNDEFINE),
            Some(2),
            Some(&uid),
            "DCM",
            format!("erases its local definition of {cluster} and /var/ct/{cluster}"),
        );
    }

    // Step 3: every registry server erases its replica.
    sim.crash_point(UNDEFINE, 3);
    let holding: Vec<String> = sim
        .world
        .clusters
        .get(&cluster)
        .map(|c| c.replicas.keys().cloned().collect())
        .unwrap_or_default();
    for s in holding {
        if let Some(why) = sim.undeliverable(&requester, &s) {
            sim.emit(
                Some(UNDEFINE),
                Some(3),
                Some(&requester),
                "DCM",
                format!("{s} does not answer ({why}): it keeps its replica of {cluster}"),
            );
            kept.push(s);
            continue;
        }
        if sim.fails(3, &s) {
            dcm::failed(sim, UNDEFINE, 3, &s, "System Registry", "erasing the replica");
            return abort(sim, undo, 3, format!("step 3 failed on {s}"));
        }
        undo.set(sim, Key::Replica { cluster: cluster.clone(), replica: s.clone() }, Value::Null);
        let access = Access::Database { cluster: cluster.clone() };
        sim.emit_access(
            Some(UNDEFINE),
            Some(3),
            Some(&s),
            "System Registry",
            format!("erases its replica of {cluster}"),
            Some(access),
        );
    }
    sim.net.remove_cluster(&cluster);

    // Step 4: the reply.
    sim.crash_point(UNDEFINE, 4);
    let mut done = format!("cluster {cluster} undefined: its id is never used again");
    if !kept.is_empty() {
        kept.sort();
        kept.dedup();
        done.push_str(&format!("; not reached, keeping what they hold: {}", kept.join(", ")));
    }
    dcm::reply(sim, UNDEFINE, 4, &requester, &done);
    (Verdict::Committed, done)
}

/// `modify-cluster` (`cluster`, `name` and/or `quorum`, optional `via`).
pub(crate) fn modify(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let cluster = o.cluster.clone().unwrap_or_default();
    let requester = match dcm::requester(sim, &cluster, o.via.as_deref()) {
        Ok(r) => r,
        Err(why) => return (Verdict::Refused, why),
    };
    let mut entries = Vec::new();
    let mut old = Vec::new();
    let mut changes = Vec::new();
    for (attr, value) in [("cluster/name", &o.name), ("cluster/quorum", &o.quorum)] {
        if let Some(v) = value {
            entries.push(Entry::Attribute(attr.into(), Some(v.clone())));
            old.push(Entry::Attribute(
                attr.into(),
                dcm::attribute(sim, &cluster, &requester, attr),
            ));
            changes.push(format!("{} {v}", attr.trim_start_matches("cluster/")));
        }
    }
    let what = format!("the {} of cluster {cluster}", changes.join(" and "));

    // Step 1: the write through the registry.
    sim.crash_point(MODIFY, 1);
    if let Err(why) = dcm::write(sim, (MODIFY, 1, &requester, &cluster), &entries, &what) {
        return (Verdict::Aborted, format!("{why}: nothing was written"));
    }

    // Step 2: every online node's local copy of the cluster definition.
    sim.crash_point(MODIFY, 2);
    let mut undo = Undo::default();
    // The local copy (FIG 9a) holds the name, not the quorum.
    let locals = if o.name.is_some() { dcm::online_nodes(sim, &cluster) } else { Vec::new() };
    for uid in locals {
        if let Some(why) = sim.undeliverable(&requester, &uid) {
            sim.emit(
                Some(MODIFY),
                Some(2),
                Some(&requester),
                "DCM",
                format!("{uid} does not answer ({why}): it keeps its local copy"),
            );
            continue;
        }
        if sim.fails(2, &uid) {
            dcm::failed(sim, MODIFY, 2, &uid, "DCM", "the local write");
            undo.undo(sim, MODIFY, 2, &uid);
            dcm::write_back(sim, (MODIFY, 2, &requester, &cluster), &old);
            return (
                Verdict::Aborted,
                format!("step 2 failed on {uid}: the old values are written back"),
            );
        }
        let Some(mut def) = sim.world.node(&uid).and_then(|n| n.definition(&cluster)) else {
            continue;
        };
        if let Some(name) = &o.name {
            def.cluster.name = name.clone();
        }
        let key = Key::Storage { node: uid.clone(), path: world::definition_path(&cluster) };
        undo.set(sim, key, json!(def));
        sim.emit(
            Some(MODIFY),
            Some(2),
            Some(&uid),
            "DCM",
            format!("refreshes its local copy of the definition of {cluster}"),
        );
    }
    if let Some(name) = &o.name {
        sim.net.rename_cluster(&cluster, name);
    }
    if let Some(q) = &o.quorum {
        sim.net.set_quorum(&cluster, q);
    }
    sim.crash_point(MODIFY, 3);
    let done = format!("cluster {cluster}: {}", changes.join(", "));
    dcm::reply(sim, MODIFY, 3, &requester, &done);
    (Verdict::Committed, done)
}

/// The components `offline-cluster` stops at steps 2-6 (the reverse of FIG 8's start order).
const STOPS: [(&str, &str); 5] = [
    ("controller:", "the resource controllers"),
    ("resource-manager", "the Resource Manager"),
    ("group-services", "Group Services"),
    ("liveness", "Liveness"),
    ("registry", "the System Registry"),
];

/// `offline-cluster` (`cluster`, optional `via`).
pub(crate) fn offline(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let cluster = o.cluster.clone().unwrap_or_default();
    let requester = match dcm::requester(sim, &cluster, o.via.as_deref()) {
        Ok(r) => r,
        Err(why) => return (Verdict::Refused, why),
    };
    let mut going = Vec::new();
    let mut stays: Vec<String> = Vec::new();

    // Step 1: the request reaches every node online in the cluster.
    sim.crash_point(OFFLINE, 1);
    for uid in dcm::online_nodes(sim, &cluster) {
        let lost = sim
            .undeliverable(&requester, &uid)
            .or_else(|| sim.fails(1, &uid).then(|| "message lost (fault)".to_owned()));
        if let Some(why) = lost {
            sim.emit(
                Some(OFFLINE),
                Some(1),
                Some(&requester),
                "DCM",
                format!("the offline request does not reach {uid} ({why}): it stays online"),
            );
            stays.push(format!("{uid} (not reached)"));
            continue;
        }
        sim.emit(
            Some(OFFLINE),
            Some(1),
            Some(&uid),
            "DCM",
            format!("takes the request to take {cluster} offline"),
        );
        going.push(uid);
    }

    // Steps 2-6: the components stop, the reverse of FIG 8.
    for (step, (key, name)) in (2u8..).zip(STOPS) {
        sim.crash_point(OFFLINE, step);
        for uid in going.clone() {
            let Some(n) = sim.world.node(&uid).cloned() else { continue };
            if !n.up {
                going.retain(|u| *u != uid);
                continue;
            }
            let procs: Vec<String> = n
                .processes
                .iter()
                .filter(|(k, p)| {
                    k.starts_with(key) && p.cluster.as_deref() == Some(cluster.as_str())
                })
                .map(|(k, _)| k.clone())
                .collect();
            if procs.is_empty() && step < 6 {
                continue;
            }
            if sim.fails(step, &uid) {
                sim.emit(Some(OFFLINE), Some(step), Some(&uid), "DCM", format!("step {step}: stopping {name} fails (fault): {uid} stays online with what still runs"));
                stays.push(format!("{uid} (step {step} failed)"));
                going.retain(|u| *u != uid);
                continue;
            }
            for p in &procs {
                sim.set_process(&uid, p, None);
            }
            let mut what = if procs.is_empty() { String::new() } else { format!("stops {name}") };
            if step == 6 {
                sim.set_process(&uid, "dcm", Some(world::Process::new("running", None)));
                if !what.is_empty() {
                    what.push_str("; ");
                }
                what.push_str(&format!("the DCM leaves {cluster}: {uid} is offline"));
            }
            sim.emit(Some(OFFLINE), Some(step), Some(&uid), "DCM", what);
        }
    }
    sim.regroup(&cluster);
    if stays.is_empty() {
        let done = format!("cluster {cluster} is offline: {} went offline", going.join(", "));
        return (Verdict::Committed, done);
    }
    let off = if going.is_empty() {
        "no node went offline".to_owned()
    } else {
        format!("{} went offline", going.join(", "))
    };
    (
        Verdict::Aborted,
        format!(
            "still online in {cluster}: {}; {off} (an offline is not undone)",
            stays.join(", ")
        ),
    )
}
