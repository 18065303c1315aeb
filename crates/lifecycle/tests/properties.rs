//! Property tests over generated models and scenarios (`docs/spec.md §6`): an aborted define
//! leaves both repositories' contents as before; a bootstrap leaves every replica at the highest
//! incarnation's copy; under quorum `majority` no scenario with random faults, crashes, cut-offs
//! and router failures breaks an invariant of §6 (the source's own gap, the member DCM crashing
//! after the global commit, aside); under `none` the explorer finds the split-brain loss; two
//! runs give the same trace; no scenario panics.

use clusterplan_engine::document::{
    Cluster, Document, Network, Node, Quorum, Router, Service, Subnet,
};
use clusterplan_lifecycle::invariants::Violation;
use clusterplan_lifecycle::{simulate, Fault, FaultKind, Operation, Scenario, Verdict};
use proptest::prelude::*;
use serde_json::{json, Map};
use std::collections::BTreeMap;

/// A generated model: cluster A (nodes n1..nK, the first `servers` of them registry servers),
/// cluster B (registry server b1, and nK also defined to B as node 2), and an undefined machine
/// m. Subnets: `subnets` /24s; `routed`: one router joins them all (else only same-subnet
/// nodes reach each other).
#[derive(Debug, Clone)]
struct Shape {
    nodes: usize,
    servers: usize,
    subnets: usize,
    routed: bool,
    controllers: Vec<bool>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (3usize..7, 1usize..4, 1usize..4, any::<bool>(), prop::collection::vec(any::<bool>(), 8))
        .prop_map(|(nodes, servers, subnets, routed, controllers)| Shape {
            nodes,
            servers: servers.min(nodes),
            subnets,
            routed,
            controllers,
        })
}

fn model(s: &Shape) -> Document {
    let prefix = |i: usize| format!("10.0.{i}.0/24");
    let addr = |i: usize, h: usize| format!("10.0.{}.{h}", i % s.subnets);
    let mut doc = Document {
        clusters: vec![
            Cluster {
                id: "A".into(),
                name: "a".into(),
                registry_servers: (1..=s.servers as u32).collect(),
                ..Default::default()
            },
            Cluster {
                id: "B".into(),
                name: "b".into(),
                registry_servers: vec![1],
                ..Default::default()
            },
        ],
        networks: vec![Network { name: "net".into(), ..Default::default() }],
        subnets: (0..s.subnets)
            .map(|i| Subnet { prefix: prefix(i), network: "net".into(), ..Default::default() })
            .collect(),
        ..Default::default()
    };
    if s.routed {
        doc.routers.push(Router {
            name: "r".into(),
            subnets: (0..s.subnets).map(prefix).collect(),
            ..Default::default()
        });
    }
    for i in 1..=s.nodes {
        let mut clusters = BTreeMap::from([("A".to_owned(), i as u32)]);
        if i == s.nodes {
            clusters.insert("B".into(), 2);
        }
        let mut extra = Map::new();
        if s.controllers[i % s.controllers.len()] {
            extra.insert("resource_controllers".into(), json!(["disk"]));
        }
        doc.nodes.push(Node {
            uid: format!("n{i}"),
            name: format!("node {i}"),
            clusters,
            online: Some("A".into()),
            addresses: vec![addr(i, i)],
            extra,
        });
    }
    doc.nodes.push(Node {
        uid: "b1".into(),
        clusters: BTreeMap::from([("B".to_owned(), 1)]),
        online: Some("B".into()),
        addresses: vec![addr(0, 201)],
        ..Default::default()
    });
    doc.nodes.push(Node { uid: "m".into(), addresses: vec![addr(1, 100)], ..Default::default() });
    doc.services.push(Service {
        name: "registry".into(),
        cluster: "A".into(),
        addresses: (1..=s.servers).map(|i| addr(i, i)).collect(),
        ..Default::default()
    });
    doc
}

fn op(name: &str) -> Operation {
    Operation { op: name.into(), ..Default::default() }
}

fn scenario(operations: Vec<Operation>, faults: Vec<Fault>) -> Scenario {
    Scenario {
        format: clusterplan_lifecycle::scenario::FORMAT.into(),
        description: String::new(),
        operations,
        faults,
        watch: Vec::new(),
        extra: Map::new(),
    }
}

fn fault(operation: usize, step: u8, node: Option<String>, kind: FaultKind) -> Fault {
    Fault { operation, step, node, kind, after: None, extra: Map::new() }
}

fn bootstrap(c: &str) -> Operation {
    Operation { cluster: Some(c.into()), ..op("bootstrap") }
}

fn define_m(s: &Shape) -> Operation {
    Operation {
        cluster: Some("A".into()),
        address: Some(format!("10.0.{}.100", 1 % s.subnets)),
        ..op("define-node")
    }
}

/// Any operation of §6 with fields drawn from the model's names (and a few unknown ones).
fn any_operation(s: &Shape) -> impl Strategy<Value = Operation> {
    let nodes: Vec<String> =
        (1..=s.nodes).map(|i| format!("n{i}")).chain(["b1".into(), "m".into()]).collect();
    let servers: Vec<String> = (1..=s.servers).map(|i| format!("n{i}")).collect();
    let ops = [
        "bootstrap",
        "join",
        "define-node",
        "undefine-node",
        "move-node",
        "online-registry-server",
        "offline-registry-server",
        "offline-node",
        "crash",
        "restart",
        "disconnect",
        "reconnect",
        "replace-hardware",
        "set-incarnation",
        "fail-router",
        "restore-router",
    ];
    let subnets = s.subnets;
    (
        prop::sample::select(ops.to_vec()),
        prop::sample::select(vec!["A", "B"]),
        prop::sample::select(nodes),
        prop::sample::select(servers),
        prop_oneof![0u64..9, Just(u64::MAX)],
        1usize..8,
    )
        .prop_map(move |(name, cluster, node, server, n, host)| {
            let mut o = op(name);
            o.cluster = Some(cluster.into());
            match name {
                "define-node" => {
                    o.address = Some(format!(
                        "10.0.{}.{}",
                        host % subnets,
                        if host == 7 { 100 } else { host }
                    ))
                }
                "move-node" => {
                    o.node = Some(node);
                    o.to = Some(if cluster == "A" { "B" } else { "A" }.into());
                }
                "replace-hardware" => {
                    o.uid = Some(format!("{node}-hw{n}"));
                    o.node = Some(node);
                }
                "set-incarnation" => {
                    o.cluster = Some("A".into());
                    o.replica = Some(server);
                    o.incarnation = Some(n);
                }
                "fail-router" | "restore-router" => o.router = Some("r".into()),
                _ => o.node = Some(node),
            }
            o
        })
}

/// A bootstrap of A and B, then up to 8 operations, with up to 3 faults (failures or crashes).
fn any_run() -> impl Strategy<Value = (Shape, Scenario)> {
    shape()
        .prop_flat_map(|s| {
            let ops = prop::collection::vec(any_operation(&s), 0..8);
            let nodes: Vec<Option<String>> =
                std::iter::once(None).chain((1..=s.nodes).map(|i| Some(format!("n{i}")))).collect();
            let faults = prop::collection::vec(
                (0usize..10, 0u8..25, prop::sample::select(nodes), 0u8..3, 0usize..6),
                0..3,
            );
            (Just(s), ops, faults)
        })
        .prop_map(|(s, ops, faults)| {
            let mut operations = vec![bootstrap("A"), bootstrap("B")];
            operations.extend(ops);
            let figures: Vec<Option<u8>> = operations
                .iter()
                .map(|o| {
                    clusterplan_lifecycle::Op::parse(&o.op)
                        .and_then(|op| op.figure())
                        .map(|(_, r)| *r.end())
                })
                .collect();
            // Keep only faults the scenario format accepts (a figure step of a protocol operation).
            let faults = faults
                .into_iter()
                .filter_map(|(i, step, node, kind, after)| {
                    let last = figures.get(i).copied().flatten()?;
                    let first = if last == 24 { 0 } else { 1 };
                    let crash = kind > 0 && node.is_some();
                    let kind = match (crash, kind) {
                        (false, _) => FaultKind::Fail,
                        (true, 1) => FaultKind::Crash,
                        _ => FaultKind::Disconnect,
                    };
                    let mut f = fault(i, step, node, kind);
                    f.after = (crash && after > 0).then_some(after);
                    (first..=last).contains(&step).then_some(f)
                })
                .collect();
            (s, scenario(operations, faults))
        })
}

/// The rules a run must keep whatever happens (atomic-define aside: a crash of the member DCM
/// after the commit leaves the global entry, the source has no recovery for it).
fn broken(found: &[Violation]) -> Vec<&Violation> {
    found.iter().filter(|v| v.invariant != "atomic-define").collect()
}

/// The model with quorum `majority` on every cluster.
fn majority(mut doc: Document) -> Document {
    for c in &mut doc.clusters {
        c.quorum = Some(Quorum::Majority);
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A define-node failing at any of FIG 13's steps 2 to 13 ends aborted, and afterwards
    /// both repositories are exactly as before (the DCM logs aside).
    #[test]
    fn aborted_define_leaves_both_repositories_as_before(s in shape(), step in 2u8..=13, on in 0usize..3) {
        let doc = model(&s);
        let plain = scenario(vec![bootstrap("A"), define_m(&s)], vec![]);
        let base = simulate(&doc, &plain).unwrap();
        prop_assume!(base.outcomes[1].result == Verdict::Committed);
        // The process doing the step: every node (None), the member DCM n1 or the new node m.
        let node = [None, Some("n1".to_owned()), Some("m".to_owned())][on].clone();
        let faulted = scenario(plain.operations.clone(), vec![fault(1, step, node.clone(), FaultKind::Fail)]);
        let run = simulate(&doc, &faulted).unwrap();
        let before = run.world_after(run.events.iter().take_while(|e| e.operation == 0).count());
        // FIG 13: the non-member DCM on m does steps 3 and 12; the member DCM n1 the others (and
        // n1, a registry server reading its own replica first, answers steps 6 and 9).
        let doer = if matches!(step, 3 | 12) { "m" } else { "n1" };
        let expected = if node.as_deref().is_none_or(|n| n == doer) { Verdict::Aborted } else { Verdict::Committed };
        prop_assert_eq!(run.outcomes[1].result, expected, "step {} {:?}: {}", step, node, run.to_text());
        if run.outcomes[1].result == Verdict::Aborted {
            prop_assert!(run.final_world.same_repositories(&before), "step {} {:?}", step, node);
        }
        prop_assert!(broken(&run.violations).is_empty());
    }

    /// After a bootstrap every replica holds the highest incarnation's copy.
    #[test]
    fn bootstrap_leaves_every_replica_at_the_highest_copy(mut s in shape(), incs in prop::collection::vec(1u64..9, 3)) {
        s.routed = true;
        let doc = model(&s);
        let mut ops: Vec<Operation> = (1..=s.servers)
            .map(|i| Operation {
                cluster: Some("A".into()),
                replica: Some(format!("n{i}")),
                incarnation: Some(incs[i - 1]),
                ..op("set-incarnation")
            })
            .collect();
        ops.push(bootstrap("A"));
        let sc = scenario(ops, vec![]);
        let run = simulate(&doc, &sc).unwrap();
        prop_assert_eq!(run.outcomes.last().unwrap().result, Verdict::Committed);
        let highest = incs[..s.servers].iter().max().copied().unwrap();
        let replicas = &run.final_world.clusters["A"].replicas;
        let first = replicas.values().next().unwrap();
        for r in replicas.values() {
            prop_assert_eq!(r, first);
            prop_assert!(r.incarnation >= highest);
        }
        prop_assert!(run.violations.is_empty());
    }

    /// Over any scenario under quorum `majority`, with failures, crashes, cut-offs and router
    /// failures: no invariant of §6 breaks (the member DCM crashing after the global commit
    /// aside); the replayed check agrees with the run's own; two runs give the same trace;
    /// nothing panics; the world after the last event, rebuilt from the changes, is the final
    /// world.
    #[test]
    fn any_scenario_keeps_the_invariants((s, sc) in any_run()) {
        let doc = majority(model(&s));
        let Ok(run) = simulate(&doc, &sc) else { return Ok(()) };
        let found = run.violations.clone();
        prop_assert!(broken(&found).is_empty(), "{:?}\n{}", broken(&found), serde_json::to_string(&sc).unwrap());
        prop_assert_eq!(clusterplan_lifecycle::invariants::check(&run, &doc, &sc).unwrap(), found);
        let again = simulate(&doc, &sc).unwrap();
        prop_assert_eq!(again.to_text(), run.to_text());
        prop_assert_eq!(again.to_json().to_string(), run.to_json().to_string());
        prop_assert_eq!(run.world_after(run.events.len()), run.final_world.clone());
        for o in &run.outcomes {
            prop_assert!(!o.reason.is_empty() || o.result == Verdict::Committed);
        }
    }

    /// Arbitrary text as a scenario never panics: it is read, refused with a reason, or run.
    #[test]
    fn arbitrary_scenarios_do_not_panic(ops in prop::collection::vec(
        (".{0,12}", prop::option::of("[A-Cn0-9m]{0,3}"), prop::option::of("[A-Cn0-9m]{0,3}"), prop::option::of(0u32..20)), 0..6),
        faults in prop::collection::vec((0usize..8, any::<u8>(), prop::option::of("n[0-9]")), 0..3)) {
        let doc = model(&Shape { nodes: 4, servers: 2, subnets: 2, routed: true, controllers: vec![true, false] });
        let operations = ops
            .into_iter()
            .map(|(name, a, b, n)| Operation { op: name, cluster: a.clone(), node: b.clone(), to: a, via: b, number: n, ..Default::default() })
            .collect();
        let faults = faults.into_iter().map(|(i, step, node)| fault(i, step, node, FaultKind::Fail)).collect();
        let sc = scenario(operations, faults);
        if let Ok(run) = simulate(&doc, &sc) {
            prop_assert_eq!(run.outcomes.len(), sc.operations.len());
        }
        let text = serde_json::to_string(&sc).unwrap();
        let _ = clusterplan_lifecycle::scenario::read(&text);
        let half: String = text.chars().take(text.chars().count() / 2).collect();
        let _ = clusterplan_lifecycle::scenario::read(&half);
    }
}

/// What `docs/lifecycle.md` promises for FIG 13, on the lessons' model: a define failing at each
/// of FIG 13's steps 2 to 13 in turn ends aborted with both repositories as before.
#[test]
fn define_failing_at_each_step_2_to_13_is_aborted_and_undone() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = clusterplan_engine::document::read(
        &std::fs::read_to_string(root.join("examples/lifecycle.json")).unwrap(),
    )
    .unwrap();
    let define = Operation {
        cluster: Some("A".into()),
        via: Some("n1".into()),
        address: Some("10.0.2.9".into()),
        ..op("define-node")
    };
    for step in 2..=13u8 {
        let sc = scenario(
            vec![bootstrap("A"), define.clone()],
            vec![fault(1, step, None, FaultKind::Fail)],
        );
        let run = simulate(&doc, &sc).unwrap();
        assert_eq!(
            run.outcomes[1].result,
            Verdict::Aborted,
            "step {step}: {}",
            run.outcomes[1].reason
        );
        let before = run.world_after(run.events.iter().take_while(|e| e.operation == 0).count());
        assert!(run.final_world.same_repositories(&before), "step {step}");
        assert!(run.final_world.nodes["n9"].definition("A").is_none(), "step {step}");
        assert!(run.violations.is_empty(), "step {step}: {:?}", run.violations);
    }
}
