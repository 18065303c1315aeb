//! `move-node` (FIG 16-18, `docs/spec.md §6`): 9 steps on the node being moved. The DCM sets the
//! target cluster pointer, the other components refresh from the target's registry servers (in
//! the node's ordered list for the target), then the DCM sets the current pointer. Any failure
//! before step 8 completes reverts both pointers and refreshes the components back (aborted).
//! The node is online in one cluster at the end of every event: the components switch together
//! at step 7.

use crate::sim::Sim;
use crate::trace::{Access, Verdict};
use crate::world::{self, Process};
use clusterplan_engine::sorting;
use serde_json::Value;

const FIG: &str = "FIG 18";

/// Runs `move-node` of `node` into `to`.
pub(crate) fn run(sim: &mut Sim, node: &str, to: &str) -> (Verdict, String) {
    let refused = |why: String| (Verdict::Refused, why);
    let Some(n) = sim.world.node(node) else { return refused(format!("no node {node}")) };
    if !n.up || !n.connected {
        return refused(format!("{node} is {}", if n.up { "disconnected" } else { "down" }));
    }
    let Some(from) = n.online_in().first().cloned() else {
        return refused(format!("{node} is not online in any cluster: join it to {to} instead"));
    };
    if from == to {
        return refused(format!("{node} is already online in {to}"));
    }
    if n.definition(to).is_none() {
        return refused(format!("{node} is not defined to {to}"));
    }
    let online_servers: Vec<String> = sim
        .net
        .registry_servers(to)
        .into_iter()
        .filter(|s| sim.registry(to, s).is_some_and(crate::sim::serves_reads))
        .collect();
    if online_servers.is_empty() {
        return refused(format!("no registry server of {to} is online"));
    }
    let previous_current = n.current();
    let mut components: Vec<String> = n
        .processes
        .iter()
        .filter(|(k, p)| {
            k.as_str() != "dcm"
                && k.as_str() != "registry"
                && p.cluster.as_deref() == Some(from.as_str())
        })
        .map(|(k, _)| k.clone())
        .collect();
    // FIG 8's order: Liveness, Group Services, the Resource Manager, then the controllers.
    let rank = |k: &String| {
        ["liveness", "group-services", "resource-manager"].iter().position(|c| c == k).unwrap_or(3)
    };
    sorting::sort_by_key(&mut components, |k| (rank(k), k.clone()));

    let back =
        |sim: &mut Sim, step: u8, why: &str| revert(sim, node, &from, &previous_current, step, why);
    // Step 1: the request reaches the node's DCM.
    sim.crash_point(FIG, 1);
    if sim.fails(1, node) || !up(sim, node) {
        return (Verdict::Aborted, "step 1: the move request is lost; nothing changed".into());
    }
    sim.emit(
        Some(FIG),
        Some(1),
        Some(node),
        "DCM",
        format!("receives the request to move {node} from {from} to {to}"),
    );
    // Step 2: the target pointer.
    sim.crash_point(FIG, 2);
    if sim.fails(2, node) || !up(sim, node) {
        return (
            Verdict::Aborted,
            "step 2: the target cluster pointer cannot be written; nothing changed".into(),
        );
    }
    sim.set_storage(node, world::TARGET, Value::String(to.into()));
    sim.emit(
        Some(FIG),
        Some(2),
        Some(node),
        "DCM",
        format!("sets the target cluster pointer to {to}"),
    );
    // Step 3: the refresh message.
    sim.crash_point(FIG, 3);
    if sim.fails(3, node) {
        return back(sim, 3, "the refresh message is lost");
    }
    let names: Vec<String> = components.iter().map(|c| display(c)).collect();
    sim.emit(
        Some(FIG),
        Some(3),
        Some(node),
        "DCM",
        format!("sends the refresh message to {}", names.join(", ")),
    );
    // Steps 4-6 for each component.
    for c in &components {
        let name = display(c);
        sim.crash_point(FIG, 4);
        if sim.fails(4, node) || !up(sim, node) {
            return back(
                sim,
                4,
                &format!("{name} cannot retrieve the registry server list of {to}"),
            );
        }
        let order = sim.net.order(to, node);
        let access = Access::Local { component: c.clone(), cluster: from.clone() };
        sim.emit_access(
            Some(FIG),
            Some(4),
            Some(node),
            &name,
            format!(
                "retrieves the registry server list of {to} (the target pointer's mapping): {}",
                order.join(", ")
            ),
            Some(access),
        );
        sim.crash_point(FIG, 5);
        let answer = sim.ask_registry(node, to, Some(5), false);
        let Some(server) = answer.server.clone() else {
            return back(sim, 5, &format!("{name} gets no configuration: {}", answer.describe()));
        };
        sim.emit(
            Some(FIG),
            Some(5),
            Some(node),
            &name,
            format!("requests its configuration for {to} {}", answer.describe()),
        );
        sim.crash_point(FIG, 6);
        if sim.fails(6, &server) || !up(sim, &server) || !up(sim, node) {
            return back(
                sim,
                6,
                &format!("{name}'s refresh fails: the configuration from {server} does not arrive"),
            );
        }
        let access =
            Access::GlobalRead { component: c.clone(), cluster: to.into(), server: server.clone() };
        sim.emit_access(
            Some(FIG),
            Some(6),
            Some(&server),
            "System Registry",
            format!("provides {name} on {node} with its configuration for its role in {to}"),
            Some(access),
        );
    }
    // Step 7: the components are online in the target, together.
    sim.crash_point(FIG, 7);
    if sim.fails(7, node) || !up(sim, node) {
        return back(sim, 7, "the components' completion notice is lost");
    }
    for c in &components {
        let state = sim
            .world
            .node(node)
            .and_then(|n| n.process(c))
            .map_or("ready".to_owned(), |p| p.state.clone());
        sim.set_process(node, c, Some(Process::new(&state, Some(to))));
    }
    if sim.registry(&from, node).is_some() {
        sim.set_process(node, "registry", None);
    }
    sim.set_process(node, "dcm", Some(Process::new("ready", Some(to))));
    sim.emit(
        Some(FIG),
        Some(7),
        Some(node),
        "DCM",
        format!(
            "the components notify the DCM: they completed the move and are online in {to}{}",
            if sim.net.registry_servers(&from).iter().any(|s| s == node) {
                format!(" (its {from} registry server process stops: a node serves one cluster)")
            } else {
                String::new()
            }
        ),
    );
    // Step 8: the current pointer.
    sim.crash_point(FIG, 8);
    if sim.fails(8, node) || !up(sim, node) {
        return back(sim, 8, "the current cluster pointer cannot be written");
    }
    sim.set_storage(node, world::CURRENT, Value::String(to.into()));
    sim.set_storage(node, world::TARGET, Value::Null);
    sim.emit(
        Some(FIG),
        Some(8),
        Some(node),
        "DCM",
        format!("sets the current cluster pointer to {to} and clears the target"),
    );
    if sim.net.is_registry_server(to, node) && sim.registry(to, node).is_none() {
        // A registry server of the cluster it is now online in runs its registry.
        super::control::start_registry(sim, to, node);
    }
    sim.regroup_all();
    // Step 9: the requester is told.
    sim.crash_point(FIG, 9);
    sim.log(node, format!("move-node {from} -> {to}: committed"));
    if sim.fails(9, node) || !up(sim, node) {
        sim.emit(
            Some(FIG),
            Some(9),
            Some(node),
            "DCM",
            "its notice to the requester is lost; the move stands",
        );
        return (
            Verdict::Committed,
            format!(
                "{node} moved from {from} to {to}; the notice to the requester was lost (step 9)"
            ),
        );
    }
    sim.emit(
        Some(FIG),
        Some(9),
        Some(node),
        "DCM",
        format!("notifies the requester: {node} moved from {from} to {to}"),
    );
    (Verdict::Committed, format!("{node} moved from {from} to {to}"))
}

fn up(sim: &Sim, node: &str) -> bool {
    sim.world.node(node).is_some_and(|n| n.up)
}

fn display(key: &str) -> String {
    key.parse::<clusterplan_engine::bootstrap::Component>()
        .map_or_else(|_| key.to_owned(), |c| c.to_string())
}

/// A refresh failed: the DCM puts both pointers back and reissues the refresh, so the DCM and
/// every component serve the cluster the node came from; a registry server of that cluster
/// whose registry stopped at step 7 starts it again.
fn revert(
    sim: &mut Sim,
    node: &str,
    from: &str,
    current: &Option<String>,
    step: u8,
    why: &str,
) -> (Verdict, String) {
    if up(sim, node) {
        sim.set_storage(node, world::CURRENT, current.clone().map_or(Value::Null, Value::String));
        sim.set_storage(node, world::TARGET, Value::Null);
        let procs: Vec<(String, Process)> = sim
            .world
            .node(node)
            .map(|n| n.processes.iter().map(|(k, p)| (k.clone(), p.clone())).collect())
            .unwrap_or_default();
        for (k, p) in procs {
            sim.set_process(node, &k, Some(Process::new(&p.state, Some(from))));
        }
        sim.log(node, format!("move-node: aborted at FIG 18 step {step}: {why}"));
        sim.emit(Some(FIG), Some(step), Some(node), "DCM", format!("{why}: the DCM reverts the current and target pointers and reissues the refresh: the components serve {from} again"));
        if sim.net.is_registry_server(from, node) && sim.registry(from, node).is_none() {
            super::control::start_registry(sim, from, node);
        }
    } else {
        // The node crashed mid-move: its pointers stay as they are on disk; it is down.
        sim.emit(
            Some(FIG),
            Some(step),
            Some(node),
            "DCM",
            format!("{why}: {node} is down; its pointers stay as written"),
        );
    }
    (Verdict::Aborted, format!("step {step}: {why}; rolled back: {node} stays in {from}"))
}
