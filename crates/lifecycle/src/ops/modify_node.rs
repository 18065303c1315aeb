//! `modify-node` (`docs/spec.md §6`, "More operations"): a node definition's name or address
//! changes, in the project's numbered steps (`docs/lifecycle.md`): 1 the requesting DCM writes
//! the new values through the registry (a replicated write); 2 the node's DCM writes its local
//! copy; 3 the reply. A failure at step 2 (or a node that does not answer) writes the old values
//! back (content back, incarnation forward): both repositories hold what they held.

use super::dcm;
use crate::scenario::Operation;
use crate::sim::{Entry, Sim};
use crate::trace::Verdict;
use crate::world;
use serde_json::json;

const FIG: &str = "modify-node";

/// Runs `modify-node` (`cluster`, `node`, `name` and/or `address`, optional `via`).
pub(crate) fn run(sim: &mut Sim, o: &Operation) -> (Verdict, String) {
    let cluster = o.cluster.clone().unwrap_or_default();
    let node = o.node.clone().unwrap_or_default();
    let refused = |why: String| (Verdict::Refused, why);
    let Some(def) = sim.world.node(&node).and_then(|n| n.definition(&cluster)) else {
        return refused(format!("{node} holds no definition of {cluster}"));
    };
    let number = def.node.number;
    let requester = match dcm::requester(sim, &cluster, o.via.as_deref()) {
        Ok(r) => r,
        Err(why) => return refused(why),
    };
    let known = sim
        .serving_replica(&cluster, &requester)
        .and_then(|s| sim.world.replica(&cluster, &s).map(|r| r.nodes.contains_key(&number)));
    if known != Some(true) {
        return refused(format!(
            "node {number} ({node}) is not defined in the global configuration of {cluster}"
        ));
    }
    let fields = [("name", &o.name), ("address", &o.address)];
    let mut entries = Vec::new();
    let mut old = Vec::new();
    let mut changes = Vec::new();
    for (field, value) in fields {
        if let Some(v) = value {
            let attr = format!("node/{number}/{field}");
            old.push(Entry::Attribute(
                attr.clone(),
                dcm::attribute(sim, &cluster, &requester, &attr),
            ));
            entries.push(Entry::Attribute(attr, Some(v.clone())));
            changes.push(format!("{field} {v}"));
        }
    }
    let what = format!("the {} of node {number} ({node})", changes.join(" and "));

    // Step 1: the replicated write.
    sim.crash_point(FIG, 1);
    if let Err(why) = dcm::write(sim, (FIG, 1, &requester, &cluster), &entries, &what) {
        return (Verdict::Aborted, format!("{why}: nothing was written"));
    }

    // Step 2: the node's local copy.
    sim.crash_point(FIG, 2);
    let lost = sim
        .undeliverable(&requester, &node)
        .or_else(|| sim.fails(2, &node).then(|| "its local write fails (fault)".to_owned()));
    if let Some(why) = lost {
        sim.emit(
            Some(FIG),
            Some(2),
            Some(&node),
            "DCM",
            format!("step 2: {node} cannot write its local copy: {why}"),
        );
        dcm::write_back(sim, (FIG, 2, &requester, &cluster), &old);
        return (Verdict::Aborted, format!("step 2: {why}: the old values are written back"));
    }
    let mut def = def;
    if let Some(name) = &o.name {
        def.node.name = name.clone();
    }
    if let Some(address) = &o.address {
        def.node.address = address.clone();
    }
    sim.set_storage(&node, &world::definition_path(&cluster), json!(def));
    sim.emit(
        Some(FIG),
        Some(2),
        Some(&node),
        "DCM",
        format!("writes {} into its local definition of {cluster}", changes.join(" and ")),
    );

    // Step 3: the reply.
    sim.crash_point(FIG, 3);
    let done = format!("node {number} ({node}) of {cluster}: {}", changes.join(", "));
    dcm::reply(sim, FIG, 3, &requester, &done);
    (Verdict::Committed, done)
}
