//! `undefine-node`, the control operations (`online-registry-server`, `offline-registry-server`,
//! `offline-node`) and the set-up events (`crash`, `restart`, `disconnect`, `reconnect`,
//! `replace-hardware`, `set-incarnation`) of `docs/spec.md §6`. None is a numbered protocol of
//! the source, so their events carry no figure step.

use crate::scenario::{Op, Operation};
use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{Key, Process, CURRENT, TARGET};
use clusterplan_engine::sorting;
use serde_json::Value;

/// Runs a control operation or set-up event.
pub(crate) fn run(sim: &mut Sim, op: Op, o: &Operation) -> (Verdict, String) {
    let node = o.node.clone().unwrap_or_default();
    let cluster = o.cluster.clone().unwrap_or_default();
    let Some(n) = sim.world.node(&node).cloned() else {
        if op == Op::SetIncarnation {
            return set_incarnation(sim, o);
        }
        return (Verdict::Refused, format!("no node {node}"));
    };
    let refused = |why: String| (Verdict::Refused, why);
    let done = |sim: &mut Sim, what: String| {
        sim.emit(None, None, Some(&node), "operator", what.clone());
        (Verdict::Committed, what)
    };
    match op {
        Op::Crash if !n.up => refused(format!("{node} is already down")),
        Op::Crash => {
            sim.go_down(&node);
            done(sim, format!("{node} crashes: it is down and every process on it is gone (its local storage stays)"))
        }
        Op::Restart if n.up => refused(format!("{node} is up")),
        Op::Restart => {
            sim.set(Key::Up { node: node.clone() }, true.into());
            sim.set_process(&node, "dcm", Some(Process::new("running", None)));
            let mut what = format!("{node} restarts: the operating system starts the DCM daemon (FIG 8 step 0); it joins no cluster until asked");
            if n.target().is_some() {
                // A move interrupted by the crash: the DCM finds the target pointer and reverts it.
                sim.set_storage(&node, TARGET, Value::Null);
                what.push_str(
                    "; the DCM finds a move left half done and clears the target pointer",
                );
            }
            done(sim, what)
        }
        Op::Disconnect if !n.connected => refused(format!("{node} is already disconnected")),
        Op::Disconnect => {
            sim.set(Key::Connected { node: node.clone() }, false.into());
            done(
                sim,
                format!(
                    "{node} is disconnected from the network: no message reaches it or leaves it"
                ),
            )
        }
        Op::Reconnect if n.connected => refused(format!("{node} is connected")),
        Op::Reconnect => {
            sim.set(Key::Connected { node: node.clone() }, true.into());
            done(sim, format!("{node} is reconnected"))
        }
        Op::ReplaceHardware => {
            let uid = o.uid.clone().unwrap_or_default();
            if uid == n.hardware_uid {
                return refused(format!("{node}'s hardware UID is already {uid}"));
            }
            sim.set(Key::HardwareUid { node: node.clone() }, Value::String(uid.clone()));
            done(
                sim,
                format!(
                    "{node}'s UID hardware is replaced: it now reports {uid} (was {})",
                    n.hardware_uid
                ),
            )
        }
        Op::SetIncarnation => set_incarnation(sim, o),
        Op::OfflineNode => {
            let online = n.online_in();
            if online.is_empty() {
                return refused(format!("{node} is not online"));
            }
            sim.stop_components(&node);
            done(
                sim,
                format!(
                    "offline node: the DCM stops every other component of {node}; it leaves {}",
                    online.join(", ")
                ),
            )
        }
        Op::OnlineRegistryServer => {
            if !sim.net.registry_servers(&cluster).contains(&node) {
                return refused(format!("{node} is not a registry server of {cluster}"));
            }
            if !n.up {
                return refused(format!("{node} is down"));
            }
            if let Some(other) = n.online_in().into_iter().find(|c| *c != cluster) {
                return refused(format!(
                    "{node} is online in {other}: it serves one cluster at a time"
                ));
            }
            if sim.registry(&cluster, &node).is_some() {
                return refused(format!("the System Registry already runs on {node}"));
            }
            start_registry(sim, &cluster, &node);
            let state = sim.registry(&cluster, &node).map_or("stopped".into(), |p| p.state.clone());
            (
                Verdict::Committed,
                format!("the System Registry of {cluster} runs on {node} ({state})"),
            )
        }
        Op::OfflineRegistryServer => {
            if sim.registry(&cluster, &node).is_none() {
                return refused(format!("the System Registry of {cluster} does not run on {node}"));
            }
            sim.set_process(&node, "registry", None);
            done(sim, format!("offline registry server: the DCM stops the System Registry of {cluster} on {node}"))
        }
        _ => refused(format!("{op} is not a control operation")),
    }
}

fn set_incarnation(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let cluster = o.cluster.clone().unwrap_or_default();
    let replica = o.replica.clone().unwrap_or_default();
    let inc = o.incarnation.unwrap_or(0);
    if sim.world.replica(&cluster, &replica).is_none() {
        return (Verdict::Refused, format!("{replica} holds no replica of {cluster}"));
    }
    if sim.registry(&cluster, &replica).is_some() {
        let why = format!("the System Registry of {cluster} runs on {replica}: a replica is set up while its server is stopped (offline-registry-server first)");
        return (Verdict::Refused, why);
    }
    sim.set(Key::Incarnation { cluster: cluster.clone(), replica: replica.clone() }, inc.into());
    let what = format!("set-up: the replica of {cluster} on {replica} is at incarnation {inc}");
    sim.emit_access(None, None, Some(&replica), "operator", what.clone(), Some(Access::SetUp));
    (Verdict::Committed, what)
}

/// The DCM starts the System Registry on `node` (FIG 8 step 1). When the cluster is online
/// (another server is write-enabled), the new server exchanges incarnation numbers with it
/// (phase 1), takes the chosen copy if its own is lower (phase 2) and joins the write group.
pub(crate) fn start_registry(sim: &mut Sim, cluster: &str, node: &str) {
    if sim.world.node(node).and_then(|n| n.process("dcm")).is_none() {
        sim.set_process(node, "dcm", Some(Process::new("running", None)));
    }
    sim.set_process(node, "registry", Some(Process::new("started", Some(cluster))));
    sim.emit(
        Some("FIG 8"),
        Some(1),
        Some(node),
        "DCM",
        format!("starts the System Registry of {cluster}"),
    );
    sync_registry(sim, cluster, node);
}

/// A registry server started while its cluster is online: it exchanges incarnation numbers
/// with a write-enabled server it reaches (phase 1), takes the chosen copy if its own differs
/// (phase 2) and joins the write group. With none in reach it waits (stays `started`).
pub(crate) fn sync_registry(sim: &mut Sim, cluster: &str, node: &str) {
    // The write-enabled server it reaches with the highest incarnation (the first in the
    // cluster's list among equals).
    let inc = |s: &String| sim.world.replica(cluster, s).map_or(0, |r| r.incarnation);
    let mut peers: Vec<String> = sim
        .net
        .registry_servers(cluster)
        .into_iter()
        .filter(|s| s != node)
        .filter(|s| sim.registry(cluster, s).is_some_and(|p| p.state == "write-enabled"))
        .filter(|s| sim.delivers(node, s))
        .collect();
    sorting::sort_by_key(&mut peers, |s| std::cmp::Reverse(inc(s)));
    let peer = peers.into_iter().next();
    let Some(peer) = peer else {
        sim.emit(Some("FIG 8"), Some(5), Some(node), "System Registry", format!("no write-enabled registry server of {cluster} answers: it waits for the cluster's bootstrap"));
        return;
    };
    let Some(chosen) = sim.world.replica(cluster, &peer).cloned() else { return };
    let mine = sim.world.replica(cluster, node).cloned().unwrap_or_default();
    sim.emit(
        Some("FIG 8"),
        Some(5),
        Some(node),
        "System Registry",
        format!(
            "phase 1: exchanges incarnation numbers with {peer}: {} here, {} there",
            mine.incarnation, chosen.incarnation
        ),
    );
    if mine.incarnation < chosen.incarnation || !mine.same_content(&chosen) {
        super::copy_replica(sim, cluster, node, &chosen);
        sim.set_process(node, "registry", Some(Process::new("phase-2", Some(cluster))));
        let access = Access::Phase2Update { cluster: cluster.into(), server: node.into() };
        sim.emit_access(
            Some("FIG 8"),
            Some(15),
            Some(node),
            "System Registry",
            format!(
                "phase 2: updates its copy from {peer} (incarnation {} -> {})",
                mine.incarnation, chosen.incarnation
            ),
            Some(access),
        );
    }
    sim.set_process(node, "registry", Some(Process::new("write-enabled", Some(cluster))));
    sim.emit(
        Some("FIG 8"),
        Some(16),
        Some(node),
        "System Registry",
        "concludes phase 2: it joins the write group",
    );
}

/// `undefine-node`: removes the node's global definition from every replica (a replicated
/// write) and, when the node answers, its local definition; a disconnected node keeps its local
/// one (how FIG 11 scenario 2 arises).
pub(crate) fn undefine(sim: &mut Sim, cluster: &str, node: &str) -> (Verdict, String) {
    let Some(n) = sim.world.node(node).cloned() else {
        return (Verdict::Refused, format!("no node {node}"));
    };
    let known = sim.serving_replica(cluster).and_then(|s| sim.world.replica(cluster, &s).cloned());
    let number = n
        .definition(cluster)
        .map(|d| d.node.number)
        .or_else(|| known.as_ref().and_then(|r| r.number_of(&n.hardware_uid)));
    let Some(number) =
        number.filter(|num| known.as_ref().is_some_and(|r| r.nodes.contains_key(num)))
    else {
        return (
            Verdict::Refused,
            format!("{node} is not defined to {cluster} (or {cluster} is not online)"),
        );
    };
    let member = sim
        .world
        .nodes
        .iter()
        .filter(|(uid, m)| {
            uid.as_str() != node && m.up && m.online_in().iter().any(|c| c == cluster)
        })
        .map(|(uid, _)| uid.clone())
        .next();
    let Some(member) = member else {
        return (
            Verdict::Refused,
            format!("no other node is online in {cluster} to take the undefine request"),
        );
    };
    let answer = sim.ask_registry(&member, cluster, None, true);
    let Some(server) = answer.server.clone() else {
        sim.emit(
            None,
            None,
            Some(&member),
            "DCM",
            format!("cannot remove node {number}: {}", answer.describe()),
        );
        return (
            Verdict::Aborted,
            format!("no registry server of {cluster} accepts writes: {}", answer.describe()),
        );
    };
    let mut entries = vec![Entry::Node(number, None)];
    if let Some(r) = sim.world.replica(cluster, &server) {
        if let Some(m) = r.resources.get(&number) {
            entries.extend(m.keys().map(|k| Entry::Resource(number, k.clone(), None)));
        }
    }
    let group = sim.replicate(cluster, &server, &entries);
    let access = Access::GlobalWrite {
        component: "dcm".into(),
        cluster: cluster.into(),
        server: server.clone(),
    };
    sim.emit_access(None, None, Some(&member), "DCM", format!("undefine: removes node {number} ({node}) from the global configuration {} (replicated to {})", answer.through(), group.join(", ")), Some(access));
    sim.net.redefine(node, cluster, None);
    if let Some(why) = sim.undeliverable(&member, node) {
        sim.emit(
            None,
            None,
            Some(&member),
            "DCM",
            format!("{node} does not answer ({why}): it keeps its local definition of {cluster}"),
        );
        return (Verdict::Committed, format!("node {number} removed from every replica of {cluster}; {node} did not answer and keeps its local definition"));
    }
    if n.online_in().iter().any(|c| c == cluster) {
        sim.stop_components(node);
    }
    sim.erase_local(node, cluster);
    if n.current().as_deref() == Some(cluster) {
        sim.set_storage(node, CURRENT, Value::Null);
    }
    sim.emit(None, None, Some(node), "DCM", format!("erases its local definition of {cluster}"));
    (
        Verdict::Committed,
        format!("node {number} ({node}) removed from {cluster}, globally and locally"),
    )
}
