//! The operations of `docs/spec.md §6`, one module per protocol, and what they share: the FIG 11
//! UID check, the scenario 3 correction and copying a replica.

pub(crate) mod bootstrap;
pub(crate) mod cluster;
pub(crate) mod control;
pub(crate) mod dcm;
pub(crate) mod define;
pub(crate) mod join;
pub(crate) mod modify_node;
pub(crate) mod move_node;
pub(crate) mod registry_server;

use crate::scenario::{Op, Operation};
use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{Key, Replica};
use clusterplan_engine::sorting;
use serde_json::Value;

/// What an operation function returns: its verdict, the reason, and the FIG 11 scenario (join).
pub(crate) type Ended = (Verdict, String, Option<u8>);

/// Runs one operation, then settles the nodes' ordered registry lists: a node that joined
/// refreshes its local copy of the registry server list, a node undefined while away keeps its
/// own (old) ordered list until it is cleaned (`docs/lifecycle.md`).
pub(crate) fn run(sim: &mut Sim, op: Op, o: &Operation) -> Ended {
    let cluster = o.cluster.clone().unwrap_or_default();
    let node = o.node.clone().unwrap_or_default();
    let before = sim.net.order(&cluster, &node).to_vec();
    let ended = dispatch(sim, op, o);
    if op == Op::UndefineNode
        && !sim.net.is_defined(&cluster, &node)
        && sim.world.node(&node).is_some_and(|n| n.definition(&cluster).is_some())
    {
        sim.net.pin(&cluster, &node, before);
    }
    if op == Op::Join && ended.0 == Verdict::Committed {
        joined_list(sim, &cluster, &node);
    }
    for (c, n) in sim.net.pinned() {
        let local = sim.world.node(&n).and_then(|x| x.definition(&c));
        let settled = local.is_none_or(|d| {
            sim.net.is_defined(&c, &n) && d.registry_servers == sim.net.registry_numbers(&c)
        });
        if settled {
            sim.net.unpin(&c, &n);
        }
    }
    ended
}

/// A node that joined with an older local copy of the registry server list refreshes it (and
/// its ordered list) from the cluster's.
fn joined_list(sim: &mut Sim, cluster: &str, node: &str) {
    let numbers = sim.net.registry_numbers(cluster);
    let local = sim.world.node(node).and_then(|n| n.definition(cluster));
    if local.is_none_or(|d| d.registry_servers == numbers) {
        return;
    }
    dcm::refresh_local(sim, cluster, node, &numbers);
    let order = sim.net.order(cluster, node).join(", ");
    sim.emit(
        None,
        None,
        Some(node),
        "DCM",
        format!("refreshes its local copy of the registry server list of {cluster} at its join (FIG 9c): {}; its ordered list is now {order}", dcm::list_text(&numbers)),
    );
}

fn dispatch(sim: &mut Sim, op: Op, o: &Operation) -> Ended {
    let cluster = o.cluster.clone().unwrap_or_default();
    let node = o.node.clone().unwrap_or_default();
    let plain = |(v, r): (Verdict, String)| (v, r, None);
    match op {
        Op::DefineCluster => plain(cluster::define(sim, o)),
        Op::UndefineCluster => plain(cluster::undefine(sim, o)),
        Op::ModifyCluster => plain(cluster::modify(sim, o)),
        Op::OfflineCluster => plain(cluster::offline(sim, o)),
        Op::DefineRegistryServer => plain(registry_server::run(sim, o, true)),
        Op::UndefineRegistryServer => plain(registry_server::run(sim, o, false)),
        Op::ModifyNode => plain(modify_node::run(sim, o)),
        Op::Bootstrap => plain(bootstrap::run(sim, &cluster)),
        Op::Join => join::run(sim, &cluster, &node),
        Op::DefineNode => plain(define::run(sim, o)),
        Op::UndefineNode => plain(control::undefine(sim, &cluster, &node)),
        Op::MoveNode => plain(move_node::run(sim, &node, o.to.as_deref().unwrap_or_default())),
        _ => plain(control::run(sim, op, o)),
    }
}

/// The FIG 11 scenario: (hardware = local, local = global) -> 1, 2, 3 or 4.
pub(crate) fn uid_scenario(hardware: &str, local: &str, global: Option<&str>) -> u8 {
    match (hardware == local, global == Some(local)) {
        (true, true) => 1,
        (true, false) => 2,
        (false, true) => 3,
        (false, false) => 4,
    }
}

/// `UID check (FIG 11): hardware n9 = local n9, local n9 != global (none): scenario 2`.
pub(crate) fn compared(hardware: &str, local: &str, global: Option<&str>, scenario: u8) -> String {
    let eq = |a: bool| if a { "=" } else { "!=" };
    format!(
        "UID check (FIG 11): hardware {hardware} {} local {local}, local {local} {} global {}: scenario {scenario}",
        eq(hardware == local),
        eq(global == Some(local)),
        global.unwrap_or("(none)"),
    )
}

/// FIG 11 scenario 3: the DCM writes the hardware UID into the global definition (a registry
/// write, first write-enabled server of the node's ordered list) and into its local copy.
/// `step`: the figure step whose fault makes the write fail.
pub(crate) fn correct_uid(
    sim: &mut Sim,
    cluster: &str,
    node: &str,
    number: u32,
    hardware: &str,
    step: Option<u8>,
) -> Result<(), String> {
    let answer = sim.ask_registry(node, cluster, step, true);
    let Some(server) = answer.server.clone() else {
        return Err(format!("the UID correction cannot be written: {}", answer.describe()));
    };
    let group = sim.replicate(cluster, &server, &[Entry::Node(number, Some(hardware.into()))]);
    if let Some(mut def) = sim.world.node(node).and_then(|n| n.definition(cluster)) {
        def.node.uid = hardware.into();
        sim.set_storage(node, &crate::world::definition_path(cluster), serde_json::json!(def));
    }
    let access = Access::GlobalWrite { component: "dcm".into(), cluster: cluster.into(), server };
    sim.emit_access(
        Some("FIG 11"),
        None,
        Some(node),
        "DCM",
        format!(
            "scenario 3: corrects the local and the global UID of node {number} to the hardware UID {hardware} {} (replicated to {})",
            answer.through(),
            group.describe()
        ),
        Some(access),
    );
    Ok(())
}

/// Makes `server`'s replica of `cluster` an exact copy of `chosen` (phase 2's update).
pub(crate) fn copy_replica(sim: &mut Sim, cluster: &str, server: &str, chosen: &Replica) {
    let Some(mine) = sim.world.replica(cluster, server).cloned() else { return };
    let c = cluster.to_owned();
    let r = server.to_owned();
    let numbers: std::collections::BTreeSet<u32> =
        sorting::btree_set(mine.nodes.keys().chain(chosen.nodes.keys()).copied());
    for n in numbers {
        let v = chosen.nodes.get(&n).cloned().map_or(Value::Null, Value::String);
        sim.set(Key::GlobalNode { cluster: c.clone(), replica: r.clone(), number: n }, v);
    }
    let mut keys: Vec<(u32, String)> = Vec::new();
    for x in [&mine, chosen] {
        for (n, m) in &x.resources {
            keys.extend(m.keys().map(|k| (*n, k.clone())));
        }
    }
    sorting::sort(&mut keys);
    keys.dedup();
    for (n, k) in keys {
        let v = chosen
            .resources
            .get(&n)
            .and_then(|m| m.get(&k))
            .cloned()
            .map_or(Value::Null, Value::String);
        sim.set(
            Key::Resource { cluster: c.clone(), replica: r.clone(), number: n, component: k },
            v,
        );
    }
    let names: std::collections::BTreeSet<String> =
        sorting::btree_set(mine.attributes.keys().chain(chosen.attributes.keys()).cloned());
    for name in names {
        let v = chosen.attributes.get(&name).cloned().map_or(Value::Null, Value::String);
        sim.set(Key::Attribute { cluster: c.clone(), replica: r.clone(), name }, v);
    }
    sim.set(Key::Incarnation { cluster: c, replica: r }, chosen.incarnation.into());
}
