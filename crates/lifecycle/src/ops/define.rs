//! `define-node` (FIG 12-13, `docs/spec.md §6`): 14 steps between the member DCM that takes the
//! request, the non-member DCM on the new node and the System Registry. Atomic: a failure at any
//! step aborts, and the protocol undoes what it did, so both repositories are exactly as before
//! (a failure at step 13 erases the global entry step 8 made). Step 7's cases: the same
//! definition on both sides refuses the request; different definitions are both deleted (in the
//! step 8-12 writes) and the define goes on; a local definition the global database does not
//! know is erased (step 12).

use crate::scenario::Operation;
use crate::sim::{local_definition, Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{self, Change, Key, LocalDefinition};
use clusterplan_engine::sorting;

const FIG: &str = "FIG 13";
const MEMBER: &str = "member DCM";
const NON_MEMBER: &str = "non-member DCM";

/// What has been done so far, to undo on abort.
#[derive(Debug, Default)]
struct Done {
    /// The entries that put the global configuration's contents back (the values the writer's
    /// copy held before step 9).
    global: Vec<Entry>,
    local: Vec<Change>,
}

/// Runs `define-node`.
pub(crate) fn run(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let cluster = o.cluster.clone().unwrap_or_default();
    let address = o.address.clone().unwrap_or_default();
    let via = match &o.via {
        Some(v) => v.clone(),
        None => match first_online(sim, &cluster) {
            Some(v) => v,
            None => {
                return (
                    Verdict::Refused,
                    format!("no node is online in {cluster} to take the define request"),
                )
            }
        },
    };
    if !sim.world.node(&via).is_some_and(|n| n.up && n.online_in().contains(&cluster)) {
        return (
            Verdict::Refused,
            format!("{via} is not online in {cluster}: it cannot take the define request"),
        );
    }
    let (verdict, reason) = protocol(sim, o, &cluster, &address, &via);
    sim.log(&via, format!("define-node {address} in {cluster}: {} ({reason})", verdict.name()));
    sim.emit(
        None,
        None,
        Some(&via),
        MEMBER,
        format!("logs the outcome of the define request: {}", verdict.name()),
    );
    (verdict, reason)
}

fn first_online(sim: &Sim, cluster: &str) -> Option<String> {
    let mut online: Vec<(u32, String)> = sim
        .world
        .nodes
        .iter()
        .filter(|(_, n)| n.up && n.online_in().iter().any(|c| c == cluster))
        .filter_map(|(uid, n)| Some((n.definition(cluster)?.node.number, uid.clone())))
        .collect();
    sorting::sort(&mut online);
    online.into_iter().next().map(|(_, uid)| uid)
}

fn protocol(
    sim: &mut Sim,
    o: &Operation,
    cluster: &str,
    address: &str,
    via: &str,
) -> (Verdict, String) {
    let mut done = Done::default();
    let aborted = |step: u8, why: &str| {
        (Verdict::Aborted, format!("step {step}: {why}; nothing was written"))
    };
    let undone = |step: u8, why: &str, after: &str| {
        (Verdict::Aborted, format!("step {step}: {why}; {after}"))
    };
    // Step 1: the request, with generated values for what it leaves out.
    let known = sim
        .serving_replica(cluster, via)
        .and_then(|s| sim.world.replica(cluster, &s).cloned())
        .unwrap_or_default();
    let number =
        o.number.unwrap_or_else(|| (1..).find(|n| !known.nodes.contains_key(n)).unwrap_or(1));
    let target = sim.net.node_with_address(address);
    let name = o.name.clone().unwrap_or_else(|| {
        target
            .as_deref()
            .map(|t| sim.net.name_of(t))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("node{number}"))
    });
    sim.crash_point(FIG, 1);
    if sim.fails(1, via) {
        return aborted(1, "the define request is lost before the member DCM takes it");
    }
    sim.emit(Some(FIG), Some(1), Some(via), MEMBER, format!("takes the request to define the node at {address} in {cluster} as node {number} ({name}){}", o.uid.as_ref().map_or(String::new(), |u| format!(", uid {u}"))));

    // Step 2: the member contacts the non-member at the address.
    sim.crash_point(FIG, 2);
    let Some(target) = target else {
        sim.emit(Some(FIG), Some(2), Some(via), MEMBER, format!("no machine answers at {address}"));
        return aborted(2, &format!("no machine answers at {address}"));
    };
    if let Some(why) = sim.undeliverable(via, &target) {
        sim.emit(Some(FIG), Some(2), Some(via), MEMBER, format!("cannot reach {address}: {why}"));
        return aborted(2, &format!("{target} does not answer: {why}"));
    }
    if sim.fails(2, via) {
        sim.emit(
            Some(FIG),
            Some(2),
            Some(via),
            MEMBER,
            "its message to the non-member DCM is lost",
        );
        return aborted(2, "the message to the non-member DCM is lost");
    }
    sim.emit(
        Some(FIG),
        Some(2),
        Some(via),
        MEMBER,
        format!(
            "contacts the non-member DCM on {target} at {address}, passing cluster id {cluster}"
        ),
    );

    // Step 3: the non-member checks its local storage and replies with its UID.
    sim.crash_point(FIG, 3);
    if sim.fails(3, &target) || !up(sim, &target) {
        return aborted(3, &format!("the non-member DCM on {target} fails to reply"));
    }
    let Some(node) = sim.world.node(&target) else { return aborted(3, "no such node") };
    let reported = node.hardware_uid.clone();
    let previous = node.definition(cluster);
    let found = match &previous {
        Some(d) => format!(
            "a previous definition of {cluster} is found (uid {}, node {})",
            d.node.uid, d.node.number
        ),
        None => format!("no definition of {cluster} is found"),
    };
    let named = match &o.uid {
        Some(u) if *u != reported => format!(
            "; the request named uid {u}, the node's own identifier {reported} is the one kept"
        ),
        _ => String::new(),
    };
    sim.emit(Some(FIG), Some(3), Some(&target), NON_MEMBER, format!("checks its local storage: {found}; replies with its unique identifier {reported}{named}"));

    // Step 4: the member receives the reply and saves the UID.
    sim.crash_point(FIG, 4);
    if sim.fails(4, via) || !up(sim, via) || !sim.delivers(&target, via) {
        return aborted(4, "the member DCM does not receive the non-member's reply");
    }
    sim.emit(
        Some(FIG),
        Some(4),
        Some(via),
        MEMBER,
        format!("receives the reply and saves the unique identifier {reported}"),
    );

    // Steps 5-6: lookup of the UID in the global configuration.
    sim.crash_point(FIG, 5);
    if sim.fails(5, via) {
        sim.emit(
            Some(FIG),
            Some(5),
            Some(via),
            MEMBER,
            "its lookup request to the System Registry is lost",
        );
        return aborted(5, "the lookup request to the System Registry is lost");
    }
    let answer = sim.ask_registry(via, cluster, None, false);
    let Some(server) = answer.server.clone() else {
        sim.emit(
            Some(FIG),
            Some(5),
            Some(via),
            MEMBER,
            format!("cannot look up uid {reported}: {}", answer.describe()),
        );
        return aborted(5, &answer.describe());
    };
    let access = Access::GlobalRead {
        component: "dcm".into(),
        cluster: cluster.into(),
        server: server.clone(),
    };
    sim.emit_access(
        Some(FIG),
        Some(5),
        Some(via),
        MEMBER,
        format!(
            "asks the System Registry for a node defined with uid {reported}, {}",
            answer.describe()
        ),
        Some(access),
    );
    sim.crash_point(FIG, 6);
    if sim.fails(6, &server) || !up(sim, &server) {
        return aborted(6, &format!("the System Registry's reply from {server} is lost"));
    }
    let global = sim.world.replica(cluster, &server).cloned().unwrap_or_default();
    let defined = global.number_of(&reported);
    sim.emit(
        Some(FIG),
        Some(6),
        Some(&server),
        "System Registry",
        match defined {
            Some(k) => format!("replies: uid {reported} is defined as node {k}"),
            None => format!("replies: no node is defined with uid {reported}"),
        },
    );

    // Step 7: the member DCM's cases.
    sim.crash_point(FIG, 7);
    if sim.fails(7, via) || !up(sim, via) {
        return aborted(7, "the member DCM fails");
    }
    let same = |d: &LocalDefinition, k: u32| d.node.uid == reported && d.node.number == k;
    let (delete_global, erase_local, case) = match (defined, &previous) {
        (Some(k), Some(d)) if same(d, k) => {
            sim.emit(Some(FIG), Some(7), Some(via), MEMBER, format!("the non-member's definition and the global one are the same (node {k}): the node is already defined; the request is an error"));
            return (Verdict::Refused, format!("{target} is already defined to {cluster} as node {k}: the define request was issued in error"));
        }
        (Some(k), _) => (Some(k), previous.is_some(), format!("the global definition (node {k}) differs from the local one: both are deleted and the define goes on")),
        (None, Some(_)) => (None, true, "the local definition is unknown to the global configuration: the non-member will erase it".to_owned()),
        (None, None) => (None, false, "no previous definition: the define goes on".to_owned()),
    };
    if let Some(owner) =
        global.nodes.get(&number).filter(|u| Some(number) != delete_global && **u != reported)
    {
        sim.emit(Some(FIG), Some(7), Some(via), MEMBER, format!("node number {number} is already used in {cluster} (uid {owner}): the request is an error"));
        return (
            Verdict::Refused,
            format!("node number {number} is already used in {cluster} by uid {owner}"),
        );
    }
    sim.emit(Some(FIG), Some(7), Some(via), MEMBER, case);

    // Step 8: the member asks the registry for the entry; step 9: the registry commits it.
    sim.crash_point(FIG, 8);
    let write = sim.ask_registry(via, cluster, None, true);
    let Some(writer) = write.server.clone() else {
        sim.emit(
            Some(FIG),
            Some(8),
            Some(via),
            MEMBER,
            format!("cannot write the new entry: {}", write.through()),
        );
        return aborted(8, &format!("no registry server accepts writes ({})", write.through()));
    };
    if sim.fails(8, via) {
        sim.emit(Some(FIG), Some(8), Some(via), MEMBER, "its request for the new entry is lost");
        return aborted(8, "the request for the new entry is lost");
    }
    sim.emit(Some(FIG), Some(8), Some(via), MEMBER, format!("asks the System Registry {} for an entry: uid {reported}, node {number}, name {name}, address {address}", write.through()));
    sim.crash_point(FIG, 9);
    let takes_writes = sim.registry(cluster, &writer).is_some_and(|p| p.state == "write-enabled");
    if sim.fails(9, &writer) || !up(sim, &writer) || !takes_writes {
        sim.emit(
            Some(FIG),
            Some(9),
            Some(&writer),
            "System Registry",
            "the commit fails: nothing is written; it replies with the failure",
        );
        sim.emit(
            Some(FIG),
            Some(10),
            Some(via),
            MEMBER,
            "receives the failure: the define is aborted and the requester told",
        );
        return aborted(9, "the System Registry's commit fails");
    }
    let mut entries = Vec::new();
    if let Some(k) = delete_global.filter(|k| *k != number) {
        entries.push(Entry::Node(k, None));
    }
    entries.push(Entry::Node(number, Some(reported.clone())));
    let before = sim.world.replica(cluster, &writer).cloned().unwrap_or_default();
    let group = sim.replicate(cluster, &writer, &entries);
    let access = Access::GlobalWrite {
        component: "dcm".into(),
        cluster: cluster.into(),
        server: writer.clone(),
    };
    sim.emit_access(Some(FIG), Some(9), Some(&writer), "System Registry", format!("commits node {number} = {reported} to the global configuration (replicated to {}) and replies: success", group.describe()), Some(access));
    done.global = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Node(k, _) => Some(Entry::Node(*k, before.nodes.get(k).cloned())),
            Entry::Resource(..) | Entry::Attribute(..) => None,
        })
        .collect();
    let stale_note = if group.everywhere() {
        String::new()
    } else {
        format!("; written to {}", group.describe())
    };

    // Step 10: the member receives the success.
    sim.crash_point(FIG, 10);
    if sim.fails(10, via) || !up(sim, via) {
        let after = undo(sim, &mut done, cluster, via, &target, &writer, 10);
        return undone(10, "the member DCM fails on the registry's reply", &after);
    }
    sim.emit(Some(FIG), Some(10), Some(via), MEMBER, "receives the success");

    // Step 11: the member asks the non-member to commit the local definition.
    sim.crash_point(FIG, 11);
    if sim.fails(11, via) || !sim.delivers(via, &target) {
        sim.emit(
            Some(FIG),
            Some(11),
            Some(via),
            MEMBER,
            "its request to the non-member DCM is lost",
        );
        let after = undo(sim, &mut done, cluster, via, &target, &writer, 13);
        return undone(11, "the request to the non-member DCM is lost", &after);
    }
    sim.emit(
        Some(FIG),
        Some(11),
        Some(via),
        MEMBER,
        format!(
            "asks the non-member DCM to commit the definition to local storage{}",
            if erase_local { " and erase the previous one" } else { "" }
        ),
    );

    // Step 12: the non-member writes its local storage.
    sim.crash_point(FIG, 12);
    if sim.fails(12, &target) || !up(sim, &target) {
        sim.emit(
            Some(FIG),
            Some(12),
            Some(&target),
            NON_MEMBER,
            "the write to local storage fails: nothing is written; it replies with the failure",
        );
        let after = undo(sim, &mut done, cluster, via, &target, &writer, 13);
        return undone(12, "the non-member's local write fails", &after);
    }
    if erase_local {
        sim.erase_local(&target, cluster);
    }
    let def = local_definition(&sim.net, cluster, &reported, number, &name, address);
    sim.write_local(&target, &def);
    sim.emit(Some(FIG), Some(12), Some(&target), NON_MEMBER, format!("commits the definition of node {number} to local storage (/var/ct/dcm/configuration and /var/ct/{cluster}) and replies: success"));
    done.local = last_changes(sim);

    // Step 13: the member receives the non-member's result.
    sim.crash_point(FIG, 13);
    if sim.fails(13, via) || !up(sim, via) || !sim.delivers(&target, via) {
        let after = undo(sim, &mut done, cluster, via, &target, &writer, 13);
        return undone(13, "the member DCM does not receive the non-member's success", &after);
    }
    sim.emit(Some(FIG), Some(13), Some(via), MEMBER, "receives the non-member's success");

    // Step 14: the requester is told.
    sim.net.redefine(&target, cluster, Some(number));
    sim.crash_point(FIG, 14);
    if sim.fails(14, via) {
        sim.emit(
            Some(FIG),
            Some(14),
            Some(via),
            MEMBER,
            "its success message to the requester is lost; the definition stands",
        );
        return (Verdict::Committed, format!("{target} is defined to {cluster} as node {number}{stale_note}; the reply to the requester was lost (step 14)"));
    }
    sim.emit(
        Some(FIG),
        Some(14),
        Some(via),
        MEMBER,
        format!(
            "returns success to the requester: {target} is defined to {cluster} as node {number}"
        ),
    );
    (
        Verdict::Committed,
        format!("{target} is defined to {cluster} as node {number} (uid {reported}){stale_note}"),
    )
}

fn up(sim: &Sim, node: &str) -> bool {
    sim.world.node(node).is_some_and(|n| n.up)
}

fn last_changes(sim: &Sim) -> Vec<Change> {
    sim.events.last().map(|e| e.changes.clone()).unwrap_or_default()
}

/// Undoes the define (`docs/spec.md §6`, under faults): the member writes the global contents
/// back through the serving part (a write: the incarnation moves forward, and no replica of a
/// node that is down or outside the part is written), and the non-member erases the local
/// definition made at step 12.
fn undo(
    sim: &mut Sim,
    done: &mut Done,
    cluster: &str,
    via: &str,
    target: &str,
    writer: &str,
    step: u8,
) -> String {
    if !up(sim, via) {
        // The coordinator is gone: nobody undoes (the explorer reports what this leaves).
        return "the member DCM is down: nobody erases the global entry made at step 8".into();
    }
    let mut after = String::new();
    let global = std::mem::take(&mut done.global);
    if !global.is_empty() {
        let answer = sim.ask_registry(via, cluster, None, true);
        match answer.server.clone() {
            Some(server) => {
                let group = sim.replicate(cluster, &server, &global);
                let access = Access::GlobalWrite {
                    component: "dcm".into(),
                    cluster: cluster.into(),
                    server: server.clone(),
                };
                sim.emit_access(Some(FIG), Some(step), Some(via), MEMBER, format!("aborts the define: writes the global entry made at step 8 back {} (written to {}; contents as before the define, one more incarnation)", answer.through(), group.describe()), Some(access));
                if !group.everywhere() {
                    after = format!("the global entry is erased on {}", group.describe());
                }
            }
            None => {
                sim.emit(Some(FIG), Some(step), Some(via), MEMBER, format!("aborts the define but cannot erase the global entry made at step 8 through {writer}: {}", answer.describe()));
                return format!("the global entry made at step 8 stays: {}", answer.describe());
            }
        }
    }
    let local = std::mem::take(&mut done.local);
    if !local.is_empty() && sim.delivers(via, target) {
        for c in local.iter().rev() {
            if let Key::Storage { .. } = c.key {
                sim.set(c.key.clone(), c.before.clone());
            }
        }
        sim.emit(Some(FIG), Some(step), Some(target), NON_MEMBER, format!("erases the new local definition at the member's request: local storage back as before the define ({})", world::definition_path(cluster)));
    } else if !local.is_empty() {
        return "the non-member does not answer: its new local definition stays (a later join finds FIG 11 scenario 2 and cleans it)".into();
    }
    if after.is_empty() {
        "both repositories are as before".into()
    } else {
        format!("both repositories are as before ({after})")
    }
}
