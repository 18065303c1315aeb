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

/// What an operation function returns: its verdict, the reason, and the FIG 11 scenario (join).
pub(crate) type Ended = (Verdict, String, Option<u8>);

/// Runs one operation, then settles the nodes' ordered registry lists: a node that came online
/// (a join, a bootstrap) refreshes its local copy of the registry server list, a node undefined while away keeps its
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
    if op == Op::Bootstrap && ended.0 == Verdict::Committed {
        for uid in dcm::online_nodes(sim, &cluster) {
            joined_list(sim, &cluster, &uid);
        }
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

/// A node that came online (a join, a bootstrap) with an older local copy of the registry
/// server list refreshes it (and its ordered list) from the cluster's.
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
        format!("refreshes its local copy of the registry server list of {cluster} as it comes online (FIG 9c): {}; its ordered list is now {order}", dcm::list_text(&numbers)),
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

/// Runs validated operations on a fresh world (the explorer reuses one [`crate::net::Net`]).
pub(crate) fn run_all(
    doc: &clusterplan_engine::Document,
    net: crate::net::Net,
    scenario: &crate::scenario::Scenario,
    ops: &[Op],
) -> crate::trace::Simulation {
    let initial = crate::sim::initial_world(doc, &net);
    let mut s = crate::sim::Sim::new(initial.clone(), net, scenario.faults.clone());
    let mut outcomes = Vec::with_capacity(ops.len());
    let mut requests = std::collections::BTreeMap::new();
    for (i, (op, o)) in ops.iter().zip(&scenario.operations).enumerate() {
        s.op = i;
        s.op_kind = Some(*op);
        s.checker.begin(&s.world, i, Some(*op));
        let (result, reason, uid_scenario) = run(&mut s, *op, o);
        s.checker.end(&s.world, &s.net, Some(result), &mut s.violations);
        let taken = std::mem::take(&mut s.requests);
        for (k, v) in &taken {
            *requests.entry(k.clone()).or_insert(0) += v;
        }
        outcomes.push(crate::trace::Outcome {
            operation: i,
            op: op.name(),
            result,
            reason,
            uid_scenario,
            requests: taken,
        });
    }
    crate::trace::Simulation {
        initial,
        events: s.events,
        outcomes,
        final_world: s.world,
        requests,
        violations: s.violations,
    }
}
