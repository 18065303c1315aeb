//! `undefine-node`, the control operations (`online-registry-server`, `offline-registry-server`,
//! `offline-node`) and the set-up events (`crash`, `restart`, `disconnect`, `reconnect`,
//! `fail-router`, `restore-router`, `replace-hardware`, `set-incarnation`) of `docs/spec.md §6`.
//! The source numbers none of them: `undefine-node` has the project's steps 1-4 (its events say
//! `undefine step N`), every other one step 1, the request (a fault there loses it: aborted,
//! nothing changed). Every change of who runs a registry or who reaches whom forms the
//! registry's parts again ([`Sim::regroup_all`]).

use crate::scenario::{Op, Operation};
use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{Key, Process, CURRENT, TARGET};
use serde_json::Value;

/// Runs a control operation or set-up event.
pub(crate) fn run(sim: &mut Sim, op: Op, o: &Operation) -> (Verdict, String) {
    let node = o.node.clone().unwrap_or_default();
    let cluster = o.cluster.clone().unwrap_or_default();
    let Some(n) = sim.world.node(&node).cloned() else {
        if let Some(lost) = request_lost(sim, op, o.replica.as_deref().unwrap_or_default()) {
            return lost;
        }
        return match op {
            Op::SetIncarnation => set_incarnation(sim, o),
            Op::FailRouter | Op::RestoreRouter => router(sim, op, o),
            _ => (Verdict::Refused, format!("no node {node}")),
        };
    };
    let refused = |why: String| (Verdict::Refused, why);
    let done = |sim: &mut Sim, what: String| {
        sim.emit(None, None, Some(&node), "operator", what.clone());
        sim.regroup_all();
        (Verdict::Committed, what)
    };
    if let Some(lost) = request_lost(sim, op, &node) {
        return lost;
    }
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
        Op::FailRouter | Op::RestoreRouter => router(sim, op, o),
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
            if !n.online_in().contains(&cluster) {
                return refused(format!("{node} is not online in {cluster}: a node comes online only by joining (join it: its registry starts with it)"));
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

/// The request of a control operation (its step 1) lost by a `fail` fault: aborted, nothing
/// changed.
fn request_lost(sim: &mut Sim, op: Op, node: &str) -> Option<(Verdict, String)> {
    sim.crash_point("control", 1);
    if !sim.fails(1, node) {
        return None;
    }
    let what = format!("the {op} request is lost (step 1): nothing changes");
    sim.emit(Some("control"), Some(1), (!node.is_empty()).then_some(node), "fault", what.clone());
    Some((Verdict::Aborted, format!("step 1: the {op} request is lost; nothing changed")))
}

/// `fail-router` / `restore-router` (`docs/spec.md §2`): the router joins no subnets, or joins
/// them again; reachability is recomputed through the engine's hop table and the registry's
/// parts are formed again (a partition, or a merge).
fn router(sim: &mut Sim, op: Op, o: &Operation) -> (Verdict, String) {
    let name = o.router.clone().unwrap_or_default();
    if !sim.net.has_router(&name) {
        return (Verdict::Refused, format!("no router {name}"));
    }
    let failed = sim.world.failed_routers.contains(&name);
    let fail = op == Op::FailRouter;
    if failed == fail {
        let state = if failed { "has already failed" } else { "works" };
        return (Verdict::Refused, format!("router {name} {state}"));
    }
    sim.set(Key::Router { router: name.clone() }, if fail { true.into() } else { Value::Null });
    sim.net.fail_routers(&sim.world.failed_routers);
    let what = if fail {
        format!("router {name} fails: it joins none of its subnets; messages that crossed it find another way or none")
    } else {
        format!("router {name} is restored: it joins its subnets again")
    };
    sim.emit(None, None, None, "operator", what.clone());
    sim.regroup_all();
    (Verdict::Committed, what)
}

/// The DCM starts the System Registry on `node` (FIG 8 step 1). When its cluster runs, the new
/// server joins its part: phase 1 over the part (the highest copy wins, its own included), and
/// phase 2 once Group Services runs on its node (FIG 7; a joining node's comes later).
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
    sim.regroup(cluster);
}

/// `undefine-node` (the project's steps, `docs/lifecycle.md`): 1 a member DCM takes the
/// request; 2 it removes the node's global definition through the serving part (a replicated
/// write; a lost request goes to the next server); 3 it asks the node to erase its local
/// definition; 4 the node does. A node that does not answer keeps its local one (how FIG 11
/// scenario 2 arises).
pub(crate) fn undefine(sim: &mut Sim, cluster: &str, node: &str) -> (Verdict, String) {
    const FIG: &str = "undefine";
    let Some(n) = sim.world.node(node).cloned() else {
        return (Verdict::Refused, format!("no node {node}"));
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
    let known = member
        .as_ref()
        .and_then(|m| sim.serving_replica(cluster, m))
        .and_then(|s| sim.world.replica(cluster, &s).cloned());
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
    let Some(member) = member else {
        return (
            Verdict::Refused,
            format!("no other node is online in {cluster} to take the undefine request"),
        );
    };
    sim.crash_point(FIG, 1);
    if sim.fails(1, &member) || !sim.world.node(&member).is_some_and(|m| m.up) {
        return (Verdict::Aborted, "step 1: the undefine request is lost; nothing changed".into());
    }
    sim.crash_point(FIG, 2);
    let answer = sim.ask_registry(&member, cluster, Some(2), true);
    let Some(server) = answer.server.clone() else {
        sim.emit(
            Some(FIG),
            Some(2),
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
    sim.emit_access(Some(FIG), Some(2), Some(&member), "DCM", format!("undefine: removes node {number} ({node}) from the global configuration {} (replicated to {})", answer.through(), group.describe()), Some(access));
    sim.net.redefine(node, cluster, None);
    let removed = if group.everywhere() {
        format!("every replica of {cluster}")
    } else {
        format!("the replicas of {cluster} on {}", group.describe())
    };
    sim.crash_point(FIG, 3);
    let unanswered = if sim.fails(3, &member) {
        Some("the request is lost".to_owned())
    } else {
        sim.undeliverable(&member, node)
    };
    if let Some(why) = unanswered {
        sim.emit(
            Some(FIG),
            Some(3),
            Some(&member),
            "DCM",
            format!("{node} does not answer ({why}): it keeps its local definition of {cluster}"),
        );
        return (Verdict::Committed, format!("node {number} removed from {removed}; {node} did not answer and keeps its local definition"));
    }
    sim.crash_point(FIG, 4);
    if sim.fails(4, node) || !sim.world.node(node).is_some_and(|m| m.up) {
        sim.emit(
            Some(FIG),
            Some(4),
            Some(node),
            "DCM",
            format!("the erase of its local definition of {cluster} fails: it keeps it"),
        );
        return (Verdict::Committed, format!("node {number} removed from {removed}; {node}'s local erase failed and it keeps its local definition"));
    }
    if n.online_in().iter().any(|c| c == cluster) {
        sim.stop_components(node);
    }
    sim.erase_local(node, cluster);
    if n.current().as_deref() == Some(cluster) {
        sim.set_storage(node, CURRENT, Value::Null);
    }
    sim.emit(
        Some(FIG),
        Some(4),
        Some(node),
        "DCM",
        format!("erases its local definition of {cluster}"),
    );
    sim.regroup_all();
    let scope = if group.everywhere() {
        "globally and locally".to_owned()
    } else {
        format!("locally and from the replicas on {}", group.describe())
    };
    (Verdict::Committed, format!("node {number} ({node}) removed from {cluster}, {scope}"))
}
