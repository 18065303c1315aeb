//! The cluster, registry server and modify-node operations (`docs/lifecycle.md`), each failed at
//! every one of its steps on every node of the lessons' model: an aborted run leaves the contents
//! of both repositories (local storage, the DCM logs aside, and every replica's definitions,
//! resources and attributes) as they were before the operation, and no incarnation goes down;
//! a committed one (a lost reply) leaves the operation's effect; two runs give the same trace.
//! `offline-cluster` is not undone: a failed step leaves that node online, the others offline.

use clusterplan_engine::document;
use clusterplan_lifecycle::scenario::{self, Op};
use clusterplan_lifecycle::world::World;
use clusterplan_lifecycle::{simulate, Fault, FaultKind, Scenario, Verdict};
use serde_json::json;

fn model() -> document::Document {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    document::read(&std::fs::read_to_string(root.join("examples/lifecycle.json")).unwrap()).unwrap()
}

/// The set-up operations, then the operation under test (the last one).
fn scenario(ops: serde_json::Value) -> Scenario {
    scenario::read(
        &json!({ "format": scenario::FORMAT, "operations": ops, "faults": [] }).to_string(),
    )
    .unwrap()
}

/// Local storage (logs aside) and replica contents (incarnations aside).
fn contents(w: &World) -> serde_json::Value {
    let nodes: serde_json::Map<String, serde_json::Value> = w
        .nodes
        .iter()
        .map(|(uid, n)| {
            let storage: serde_json::Map<String, serde_json::Value> = n
                .storage
                .iter()
                .filter(|(k, _)| !k.starts_with("dcm/logs"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (uid.clone(), serde_json::Value::Object(storage))
        })
        .collect();
    let replicas: serde_json::Map<String, serde_json::Value> = w
        .clusters
        .iter()
        .flat_map(|(c, cs)| {
            cs.replicas.iter().map(move |(s, r)| {
                (format!("{c}@{s}"), json!([r.nodes, r.resources, r.attributes]))
            })
        })
        .collect();
    json!({ "nodes": nodes, "replicas": replicas })
}

fn incarnations(w: &World) -> Vec<(String, u64)> {
    w.clusters
        .iter()
        .flat_map(|(c, cs)| {
            cs.replicas.iter().map(move |(s, r)| (format!("{c}@{s}"), r.incarnation))
        })
        .collect()
}

/// Fails every step of the last operation on every node (and on no node in particular); checks
/// each run. Returns how many runs aborted and committed.
fn every_step(ops: serde_json::Value) -> (usize, usize) {
    let doc = model();
    let base = scenario(ops);
    let last = base.operations.len() - 1;
    let op = Op::parse(&base.operations[last].op).unwrap();
    let (_, steps) = op.figure().unwrap();
    let clean = simulate(&doc, &base).unwrap();
    assert_eq!(clean.outcomes[last].result, Verdict::Committed, "{op} without a fault");
    let mut nodes: Vec<Option<String>> = vec![None];
    nodes.extend(doc.nodes.iter().map(|n| Some(n.uid.clone())));
    let (mut aborted, mut committed) = (0, 0);
    for step in steps {
        for node in &nodes {
            let mut sc = base.clone();
            sc.faults.push(Fault {
                operation: last,
                step,
                node: node.clone(),
                kind: FaultKind::Fail,
                after: None,
                extra: Default::default(),
            });
            let sim = simulate(&doc, &sc).unwrap();
            assert_eq!(simulate(&doc, &sc).unwrap(), sim, "two runs differ");
            let first =
                sim.events.iter().position(|e| e.operation == last).unwrap_or(sim.events.len());
            let before = sim.world_after(first);
            let at = format!("{op} failing at step {step} on {node:?}");
            match sim.outcomes[last].result {
                Verdict::Aborted if op == Op::OfflineCluster => {
                    aborted += 1;
                    let cluster = sc.operations[last].cluster.clone().unwrap();
                    // The node whose step failed still runs a process of the cluster (its DCM
                    // at least: a node counts as online while its DCM serves the cluster).
                    let serving = |n: &&clusterplan_lifecycle::world::NodeState| {
                        n.processes.values().any(|p| p.cluster.as_deref() == Some(&*cluster))
                    };
                    let online = sim.final_world.nodes.values().filter(serving).count();
                    assert!(online > 0, "{at}: aborted, yet every node went offline");
                }
                Verdict::Aborted => {
                    aborted += 1;
                    assert_eq!(contents(&sim.final_world), contents(&before), "{at}: not undone");
                    for ((r, was), (_, now)) in
                        incarnations(&before).iter().zip(incarnations(&sim.final_world))
                    {
                        assert!(now >= *was, "{at}: {r}'s incarnation went down");
                    }
                }
                Verdict::Committed => {
                    committed += 1;
                    assert_eq!(
                        contents(&sim.final_world),
                        contents(&clean.final_world),
                        "{at}: committed differently"
                    );
                }
                Verdict::Refused => panic!("{at}: refused"),
            }
        }
    }
    (aborted, committed)
}

#[test]
fn define_cluster_undone_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "define-cluster", "id": "C", "registry_servers": ["n9", "n4"] }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

#[test]
fn undefine_cluster_undone_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "define-cluster", "id": "C", "registry_servers": ["n9"] },
        { "op": "bootstrap", "cluster": "C" },
        { "op": "define-node", "cluster": "C", "address": "10.0.2.4", "via": "n9" },
        { "op": "offline-cluster", "cluster": "C" },
        { "op": "undefine-cluster", "cluster": "C" }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

#[test]
fn modify_cluster_undone_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "bootstrap", "cluster": "A" },
        { "op": "modify-cluster", "cluster": "A", "name": "shop", "quorum": "majority" }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

#[test]
fn define_registry_server_undone_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "bootstrap", "cluster": "A" },
        { "op": "define-registry-server", "cluster": "A", "number": 4 }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

#[test]
fn undefine_registry_server_undone_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "bootstrap", "cluster": "A" },
        { "op": "undefine-registry-server", "cluster": "A", "number": 2 }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

#[test]
fn modify_node_undone_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "bootstrap", "cluster": "A" },
        { "op": "modify-node", "cluster": "A", "node": "n5", "name": "e", "address": "10.0.2.55" }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

#[test]
fn offline_cluster_leaves_the_failed_node_online_at_every_step() {
    let (aborted, committed) = every_step(json!([
        { "op": "bootstrap", "cluster": "A" },
        { "op": "offline-cluster", "cluster": "A" }
    ]));
    assert!(aborted > 0 && committed > 0, "{aborted} {committed}");
}

/// A registry server list change reaches the nodes online in the cluster, each with an event;
/// a node offline meanwhile keeps its old ordered list until it joins.
#[test]
fn a_list_change_is_refreshed_by_online_nodes_and_later_by_a_join() {
    let doc = model();
    let sc = scenario(json!([
        { "op": "bootstrap", "cluster": "A" },
        { "op": "offline-node", "node": "n5" },
        { "op": "undefine-registry-server", "cluster": "A", "number": 3 },
        { "op": "join", "cluster": "A", "node": "n5" }
    ]));
    let sim = simulate(&doc, &sc).unwrap();
    let refreshed = |op: usize| -> Vec<String> {
        sim.events
            .iter()
            .filter(|e| {
                e.operation == op
                    && e.what.contains("refreshes its local copy of the registry server list")
            })
            .filter_map(|e| e.node.clone())
            .collect()
    };
    assert_eq!(refreshed(2), ["n1", "n2", "n3", "n4"]);
    assert_eq!(refreshed(3), ["n5"]);
    // n5's join read from its old ordered list's first server: n3, no longer a server, is
    // skipped as not running its registry.
    let join = sim.events.iter().find(|e| e.operation == 3).unwrap();
    assert!(join.what.contains("skipped n3"), "{}", join.what);
    let local = sim.final_world.nodes["n5"].definition("A").unwrap();
    assert_eq!(local.registry_servers, [1, 2]);
}
