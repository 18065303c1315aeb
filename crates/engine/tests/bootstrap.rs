//! Bootstrap (docs/spec.md §5): order, FIG 8 steps, cycles, the resource controller extension field.

use clusterplan_engine::bootstrap::{
    builtin_dependencies, node_bootstrap, Component, Cycle, Dependency, DependencyKind,
    NodeBootstrap, NodeNotFound, RegistryPhase, RegistryState, Role, Stage,
};
use clusterplan_engine::document::{self, Document};
use clusterplan_engine::Severity;
use serde_json::json;

fn fig24() -> Document {
    document::read(include_str!("../../../examples/seed-fig24.json")).expect("fixture reads")
}

/// A one-cluster document: node `n1` (number 1, a registry server) and `n2` (number 2, a
/// client), each with the given `resource_controllers` field value (omitted when `None`).
fn doc_with(controllers: Option<serde_json::Value>) -> Document {
    let mut node1 = json!({ "uid": "n1", "name": "one", "clusters": { "A": 1 }, "online": "A",
                            "addresses": ["10.0.0.1"] });
    let mut node2 = json!({ "uid": "n2", "clusters": { "A": 2 }, "online": "A",
                            "addresses": ["10.0.0.2"] });
    if let Some(c) = controllers {
        node1["resource_controllers"] = c.clone();
        node2["resource_controllers"] = c;
    }
    let doc = json!({
        "format": "cluster-planner/1",
        "clusters": [{ "id": "A", "registry_servers": [1] }],
        "networks": [{ "name": "lan", "priorities": {} }],
        "subnets": [{ "prefix": "10.0.0.0/24", "network": "lan" }],
        "nodes": [node1, node2],
        "services": []
    });
    document::read(&doc.to_string()).expect("test document reads")
}

fn c(s: &str) -> Component {
    s.parse().expect("component parses")
}

fn stage(s: &str) -> Stage {
    match s {
        "registry1" => {
            Stage { component: Component::SystemRegistry, phase: Some(RegistryPhase::ReadOnly) }
        }
        "registry2" => {
            Stage { component: Component::SystemRegistry, phase: Some(RegistryPhase::WriteEnabled) }
        }
        other => Stage { component: c(other), phase: None },
    }
}

fn stages(names: &[&str]) -> Vec<Stage> {
    names.iter().map(|s| stage(s)).collect()
}

fn order(nb: &NodeBootstrap) -> &Vec<Stage> {
    nb.order.as_ref().unwrap_or_else(|cycle| panic!("unexpected {cycle}"))
}

fn cycle(nb: &NodeBootstrap) -> &Cycle {
    nb.order.as_ref().expect_err("a cycle")
}

/// Every edge of the graph has its `from` stage after its `to` stage in the order, and the
/// order is a permutation of the stages.
fn assert_respects(nb: &NodeBootstrap, order: &[Stage]) {
    assert_eq!(order.len(), nb.stages.len());
    let pos = |s: &Stage| order.iter().position(|o| o == s).expect("every stage is ordered");
    for s in &nb.stages {
        pos(s);
    }
    for e in &nb.edges {
        let (from, to) = (&nb.stages[e.from], &nb.stages[e.to]);
        assert!(pos(from) > pos(to), "{from} must come after {to} in {order:?}");
    }
}

#[test]
fn default_order_is_fig8s() {
    let nb = node_bootstrap(&fig24(), "n5", &[]).unwrap();
    assert!(nb.registry_server, "node 5 is the primary registry server");
    assert_eq!(nb.cluster.as_deref(), Some("A"));
    assert_eq!(nb.number, Some(5));
    assert_eq!(nb.registry_servers, vec![5, 3, 7, 9, 12, 2]);
    assert_eq!(
        order(&nb),
        &stages(&[
            "registry1",
            "dcm",
            "liveness",
            "group-services",
            "registry2",
            "resource-manager"
        ])
    );
    assert_respects(&nb, order(&nb));
    assert!(nb.diagnostics.is_empty(), "{:?}", nb.diagnostics);
}

#[test]
fn registry_runs_only_on_registry_server_nodes() {
    let doc = fig24();
    let server = node_bootstrap(&doc, "n9", &[]).unwrap();
    let client = node_bootstrap(&doc, "n4", &[]).unwrap();
    let registry_local = |nb: &NodeBootstrap| {
        nb.components.iter().find(|i| i.component == Component::SystemRegistry).unwrap().local
    };
    assert!(server.registry_server && registry_local(&server));
    assert!(!client.registry_server && !registry_local(&client));
    for nb in [&server, &client] {
        assert!(nb
            .components
            .iter()
            .filter(|i| i.component != Component::SystemRegistry)
            .all(|i| i.local));
    }
    // The registry's own steps happen on the servers; a client only waits for them.
    let here: Vec<u8> = client.steps.iter().filter(|s| !s.here).map(|s| s.number).collect();
    assert_eq!(here, vec![1, 5, 15, 16, 21, 22, 23, 24]);
    let here: Vec<u8> = server.steps.iter().filter(|s| !s.here).map(|s| s.number).collect();
    assert_eq!(here, vec![21, 22, 23, 24]);
    for s in &client.steps {
        assert_eq!(s.here, s.role == Role::AllNodes, "step {}", s.number);
    }
    // A client's order still has the registry stages: they are where it waits for the servers.
    assert_eq!(order(&client), order(&server));
}

#[test]
fn fig8_steps_as_data() {
    let nb = node_bootstrap(&doc_with(Some(json!(["disk", "ip"]))), "n1", &[]).unwrap();
    let numbers: Vec<u8> = nb.steps.iter().map(|s| s.number).collect();
    assert_eq!(numbers, (0..=24).collect::<Vec<u8>>());
    assert!(nb.steps.iter().all(|s| s.here), "a registry server with controllers does all 25");

    // The registry's two phases.
    let phase = |n: usize| nb.steps[n].registry_phase;
    assert_eq!(phase(5), Some(RegistryPhase::ReadOnly));
    assert_eq!(phase(15), Some(RegistryPhase::WriteEnabled));
    assert_eq!(phase(16), Some(RegistryPhase::WriteEnabled));
    let phased: Vec<u8> =
        nb.steps.iter().filter(|s| s.registry_phase.is_some()).map(|s| s.number).collect();
    assert_eq!(phased, vec![5, 15, 16]);
    let state = |n: usize| nb.steps[n].registry;
    assert_eq!(state(0), RegistryState::Stopped);
    assert_eq!(state(1), RegistryState::Started);
    assert_eq!(state(4), RegistryState::Started);
    assert_eq!(state(5), RegistryState::ReadOnly);
    assert_eq!(state(15), RegistryState::ReadOnly);
    assert_eq!(state(16), RegistryState::WriteEnabled);
    assert_eq!(state(24), RegistryState::WriteEnabled);

    // The stages complete in the computed order.
    let completed: Vec<Stage> = nb.steps.iter().flat_map(|s| s.completes.clone()).collect();
    assert_eq!(&completed, order(&nb));
    assert_eq!(
        completed,
        stages(&[
            "registry1",
            "dcm",
            "liveness",
            "group-services",
            "registry2",
            "resource-manager",
            "controller:disk",
            "controller:ip"
        ])
    );
    let completing = |s: &Stage| {
        nb.steps.iter().position(|st| st.completes.contains(s)).expect("every stage completes")
    };
    assert_eq!(completing(&stage("registry1")), 5);
    assert_eq!(completing(&stage("dcm")), 7);
    assert_eq!(completing(&stage("liveness")), 11);
    assert_eq!(completing(&stage("group-services")), 14);
    assert_eq!(completing(&stage("registry2")), 16);
    assert_eq!(completing(&stage("resource-manager")), 20);
    assert_eq!(completing(&stage("controller:ip")), 24);

    // Every built-in dependency is satisfied by a step that comes before its dependent stage
    // completes and (except "started by", which concerns the DCM process, not its readiness)
    // after the stage it waits for completes.
    for (i, dep) in nb.dependencies.iter().enumerate() {
        let steps: Vec<usize> = nb
            .steps
            .iter()
            .filter(|s| s.satisfies.contains(&i))
            .map(|s| s.number as usize)
            .collect();
        assert!(!steps.is_empty(), "dependency {dep} ({}) is satisfied by no step", dep.reference);
        let edge =
            nb.edges.iter().find(|e| e.dependency == Some(i)).expect("an edge per dependency");
        for &n in &steps {
            assert!(n < completing(&nb.stages[edge.from]), "step {n} satisfies {dep} too late");
            if dep.kind != DependencyKind::StartedBy {
                assert!(n > completing(&nb.stages[edge.to]), "step {n} satisfies {dep} too early");
            }
        }
    }
}

#[test]
fn the_registry_cycle_exists_and_the_two_phases_break_it() {
    // At the component level FIG 6 + FIG 7 have the cycle the source describes.
    let deps = builtin_dependencies(&[]);
    let has = |from: Component, to: Component| deps.iter().any(|d| d.from == from && d.to == to);
    assert!(has(Component::SystemRegistry, Component::GroupServices));
    assert!(has(Component::GroupServices, Component::Liveness));
    assert!(has(Component::Liveness, Component::Dcm));
    assert!(has(Component::Dcm, Component::SystemRegistry));
    // The registry's dependency on Group Services is for writes only: it binds phase 2.
    let reg_gs = deps
        .iter()
        .find(|d| d.from == Component::SystemRegistry && d.to == Component::GroupServices)
        .unwrap();
    assert!(reg_gs.writes);
    // Phase 2 follows phase 1, on every node.
    for uid in ["n5", "n4"] {
        let nb = node_bootstrap(&fig24(), uid, &[]).unwrap();
        let phase_edges: Vec<(&Stage, &Stage)> = nb
            .edges
            .iter()
            .filter(|e| e.dependency.is_none())
            .map(|e| (&nb.stages[e.from], &nb.stages[e.to]))
            .collect();
        assert_eq!(phase_edges, vec![(&stage("registry2"), &stage("registry1"))]);
    }
    // Without the two phases (the same dependency for reads too) there is no order.
    let nb = node_bootstrap(
        &fig24(),
        "n5",
        &[Dependency::user(Component::SystemRegistry, Component::GroupServices)],
    )
    .unwrap();
    assert_eq!(
        cycle(&nb).path(),
        "System Registry phase 1 (read-only) -> Group Services -> System Registry phase 1 (read-only)"
    );
}

#[test]
fn a_user_dependency_that_closes_a_cycle_is_named() {
    let dep: Dependency = "Liveness -> Group Services".parse().unwrap();
    assert_eq!(dep.kind, DependencyKind::User);
    let nb = node_bootstrap(&fig24(), "n1", &[dep]).unwrap();
    let found = cycle(&nb);
    assert_eq!(found.path(), "Liveness -> Group Services -> Liveness");
    assert_eq!(found.to_string(), "dependency cycle: Liveness -> Group Services -> Liveness");
    // The cycle's edges are real edges of the graph, walked in order.
    assert_eq!(found.edges.len(), found.stages.len() - 1);
    for (k, &e) in found.edges.iter().enumerate() {
        assert_eq!(nb.stages[nb.edges[e].from], found.stages[k]);
        assert_eq!(nb.stages[nb.edges[e].to], found.stages[k + 1]);
    }
    let d = nb.diagnostics.iter().find(|d| d.code == "bootstrap-cycle").expect("a diagnostic");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("Liveness -> Group Services -> Liveness"), "{}", d.message);

    // A longer one: the DCM waiting for the Resource Manager.
    let nb = node_bootstrap(&fig24(), "n1", &["dcm -> rm".parse().unwrap()]).unwrap();
    assert_eq!(
        cycle(&nb).path(),
        "DCM -> Resource Manager -> DCM",
        "the shortest cycle: the Resource Manager reads the DCM's local configuration"
    );
    let nb = node_bootstrap(&fig24(), "n1", &["registry -> liveness".parse().unwrap()]).unwrap();
    assert_eq!(
        cycle(&nb).path(),
        "System Registry phase 1 (read-only) -> Liveness -> System Registry phase 1 (read-only)"
    );
    // Writes-only, the same dependency is fine: it waits for phase 2 only.
    let nb =
        node_bootstrap(&fig24(), "n1", &["registry -> liveness:writes".parse().unwrap()]).unwrap();
    assert_respects(&nb, order(&nb));
    // A component depending on itself.
    let nb = node_bootstrap(&fig24(), "n1", &["gs -> gs".parse().unwrap()]).unwrap();
    assert_eq!(cycle(&nb).path(), "Group Services -> Group Services");
}

#[test]
fn an_acyclic_user_dependency_changes_the_order() {
    let doc = doc_with(Some(json!(["disk", "ip"])));
    let nb =
        node_bootstrap(&doc, "n2", &["controller:disk -> controller:ip".parse().unwrap()]).unwrap();
    let o = order(&nb);
    assert_respects(&nb, o);
    assert_eq!(&o[6..], &stages(&["controller:ip", "controller:disk"]));
    // Liveness waiting for the registry's phase 2 is a cycle: phase 2 waits for Group Services,
    // which waits for Liveness.
    let nb = node_bootstrap(&doc, "n2", &["liveness -> registry:writes".parse().unwrap()]).unwrap();
    assert_eq!(
        cycle(&nb).path(),
        "Liveness -> System Registry phase 2 (write-enabled) -> Group Services -> Liveness"
    );
    // The Resource Manager waiting for a controller: the controllers wait for it.
    let nb = node_bootstrap(&doc, "n2", &["rm -> disk".parse().unwrap()]).unwrap();
    assert_eq!(
        cycle(&nb).path(),
        "Resource Manager -> resource controller disk -> Resource Manager"
    );
}

#[test]
fn resource_controllers_extension_field() {
    let nb =
        node_bootstrap(&doc_with(Some(json!(["disk", "ip", "disk", 7, ""]))), "n1", &[]).unwrap();
    let names: Vec<Component> = nb.components.iter().map(|i| i.component.clone()).collect();
    assert_eq!(
        names,
        vec![
            Component::Dcm,
            Component::SystemRegistry,
            Component::Liveness,
            Component::GroupServices,
            Component::ResourceManager,
            Component::ResourceController("disk".into()),
            Component::ResourceController("ip".into()),
        ]
    );
    let bad: Vec<&str> = nb
        .diagnostics
        .iter()
        .filter(|d| d.code == "bad-resource-controllers")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(bad.len(), 3, "{bad:?}");
    // Controller dependencies: DCM and Resource Manager (FIG 7, 714 and 716).
    for name in ["disk", "ip"] {
        let ctrl = Component::ResourceController(name.into());
        for to in [Component::Dcm, Component::ResourceManager, Component::SystemRegistry] {
            assert!(nb.dependencies.iter().any(|d| d.from == ctrl && d.to == to), "{ctrl} -> {to}");
        }
    }
    let nb = node_bootstrap(&doc_with(Some(json!("disk"))), "n1", &[]).unwrap();
    assert_eq!(nb.components.len(), 5);
    assert!(nb.diagnostics.iter().any(|d| d.code == "bad-resource-controllers"));
    let nb = node_bootstrap(&doc_with(None), "n1", &[]).unwrap();
    assert_eq!(nb.components.len(), 5);
    assert!(nb.diagnostics.is_empty());
    assert!(nb.steps[21..].iter().all(|s| !s.here && s.completes.is_empty()));
    assert!(nb.steps[22..].iter().all(|s| s.actors.is_empty()));
}

#[test]
fn a_dependency_on_a_component_the_node_lacks_is_ignored_and_diagnosed() {
    let nb = node_bootstrap(&doc_with(None), "n1", &["disk -> dcm".parse().unwrap()]).unwrap();
    assert!(nb.dependencies.iter().all(|d| d.kind != DependencyKind::User));
    let d = nb.diagnostics.iter().find(|d| d.code == "bootstrap-unknown-component").unwrap();
    assert!(d.message.contains("resource controller disk"), "{}", d.message);
    assert_respects(&nb, order(&nb));
}

#[test]
fn unknown_node_and_odd_clusters() {
    assert_eq!(node_bootstrap(&fig24(), "nope", &[]).unwrap_err(), NodeNotFound("nope".into()));
    let mut doc = doc_with(None);
    doc.nodes[1].online = None;
    let nb = node_bootstrap(&doc, "n2", &[]).unwrap();
    assert_eq!(nb.cluster.as_deref(), Some("A"));
    assert!(nb.diagnostics.iter().any(|d| d.code == "bootstrap-cluster"));
    doc.nodes[1].clusters.clear();
    let nb = node_bootstrap(&doc, "n2", &[]).unwrap();
    assert_eq!((nb.cluster.as_deref(), nb.number, nb.registry_server), (None, None, false));
    assert_respects(&nb, nb.order.as_ref().unwrap());
}

#[test]
fn parsing_and_serialising() {
    assert_eq!(c("System Registry"), Component::SystemRegistry);
    assert_eq!(c("group_services"), Component::GroupServices);
    assert_eq!(c("RM"), Component::ResourceManager);
    assert_eq!(c("controller:Disk"), Component::ResourceController("Disk".into()));
    assert_eq!(c("resource controller disk"), Component::ResourceController("disk".into()));
    assert!("controller:".parse::<Component>().is_err());
    assert!("liveness".parse::<Dependency>().is_err());
    let dep: Dependency = "registry->rm:writes".parse().unwrap();
    assert_eq!(
        (dep.from, dep.to, dep.writes),
        (Component::SystemRegistry, Component::ResourceManager, true)
    );
    for comp in Component::CORE.iter().cloned().chain([Component::ResourceController("ip".into())])
    {
        assert_eq!(c(&comp.key()), comp);
        assert_eq!(c(&comp.to_string()), comp);
    }

    let nb =
        node_bootstrap(&doc_with(Some(json!(["disk"]))), "n1", &["liveness->gs".parse().unwrap()])
            .unwrap();
    let v = serde_json::to_value(&nb).unwrap();
    assert_eq!(v["components"][5]["component"], "controller:disk");
    // The cycle holds Liveness: the timeline stops at step 8, Liveness's first step.
    assert_eq!(v["steps"].as_array().unwrap().len(), 8);
    assert_eq!(v["waits"]["step"], 8);
    assert_eq!(v["steps"][5]["registry_phase"], "read-only");
    assert!(v["order"]["Err"]["stages"].is_array());
    let back: Dependency = serde_json::from_value(v["dependencies"][0].clone()).unwrap();
    assert_eq!(back, nb.dependencies[0]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Components of a node with `k` controllers.
    fn components(k: usize) -> Vec<Component> {
        let mut all = Component::CORE.to_vec();
        all.extend((0..k).map(|i| Component::ResourceController(format!("c{i}"))));
        all
    }

    fn doc(k: usize) -> Document {
        let names: Vec<String> = (0..k).map(|i| format!("c{i}")).collect();
        doc_with(Some(json!(names)))
    }

    /// The stage a dependency side binds, computed independently of the engine.
    fn bound(component: &Component, writes: bool) -> Stage {
        match (component, writes) {
            (Component::SystemRegistry, true) => stage("registry2"),
            (Component::SystemRegistry, false) => stage("registry1"),
            (other, _) => Stage { component: other.clone(), phase: None },
        }
    }

    /// Whether the graph has a cycle, by transitive closure.
    fn cyclic(nb: &NodeBootstrap) -> bool {
        let n = nb.stages.len();
        let mut reach = vec![vec![false; n]; n];
        for e in &nb.edges {
            reach[e.from][e.to] = true;
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if reach[i][k] && reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
        (0..n).any(|v| reach[v][v])
    }

    /// Raw user dependencies: (from index, to index, writes), indices into `components(k)`.
    fn raw_deps() -> impl Strategy<Value = (usize, bool, Vec<(usize, usize, bool)>)> {
        (0usize..4, any::<bool>()).prop_flat_map(|(k, server)| {
            let n = 5 + k;
            (Just(k), Just(server), prop::collection::vec((0..n, 0..n, any::<bool>()), 0..8))
        })
    }

    fn check(k: usize, server: bool, deps: &[Dependency]) -> NodeBootstrap {
        let nb = node_bootstrap(&doc(k), if server { "n1" } else { "n2" }, deps).unwrap();
        assert_eq!(nb.registry_server, server);
        // Each user dependency became exactly the edge it binds.
        let users: Vec<usize> = nb
            .dependencies
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == DependencyKind::User)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(users.len(), deps.len());
        for i in users {
            let d = &nb.dependencies[i];
            let e = nb.edges.iter().find(|e| e.dependency == Some(i)).unwrap();
            assert_eq!(nb.stages[e.from], bound(&d.from, d.writes));
            assert_eq!(nb.stages[e.to], bound(&d.to, d.writes));
        }
        match &nb.order {
            Ok(order) => {
                assert!(!cyclic(&nb));
                assert_respects(&nb, order);
                assert!(nb.diagnostics.iter().all(|d| d.code != "bootstrap-cycle"));
            }
            Err(cycle) => {
                assert!(cyclic(&nb), "a cycle reported in an acyclic graph");
                assert!(cycle.stages.len() >= 2);
                assert_eq!(cycle.stages.first(), cycle.stages.last());
                assert_eq!(cycle.edges.len(), cycle.stages.len() - 1);
                for (k, &e) in cycle.edges.iter().enumerate() {
                    assert_eq!(nb.stages[nb.edges[e].from], cycle.stages[k]);
                    assert_eq!(nb.stages[nb.edges[e].to], cycle.stages[k + 1]);
                }
                // A simple cycle: no stage twice before it closes.
                let inner = &cycle.stages[..cycle.stages.len() - 1];
                for (a, s) in inner.iter().enumerate() {
                    assert!(!inner[a + 1..].contains(s), "{}", cycle.path());
                }
                // The built-in graph is acyclic: the cycle uses a user dependency.
                assert!(cycle.edges.iter().any(|&e| nb.edges[e]
                    .dependency
                    .is_some_and(|d| nb.dependencies[d].kind == DependencyKind::User)));
                let d = nb.diagnostics.iter().find(|d| d.code == "bootstrap-cycle").unwrap();
                assert!(d.message.contains(&cycle.path()));
            }
        }
        nb
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any extra dependencies: an order that respects every dependency exactly when the graph
        /// is acyclic, otherwise a real, named cycle.
        #[test]
        fn order_or_cycle((k, server, raw) in raw_deps()) {
            let comps = components(k);
            let deps: Vec<Dependency> = raw
                .iter()
                .map(|&(a, b, w)| Dependency { writes: w, ..Dependency::user(comps[a].clone(), comps[b].clone()) })
                .collect();
            check(k, server, &deps);
        }

        /// Extra dependencies that agree with the default order never make a cycle, and the
        /// order respects all of them.
        #[test]
        fn acyclic_extras_give_an_order((k, server, raw) in raw_deps()) {
            let comps = components(k);
            let default = node_bootstrap(&doc(k), "n1", &[]).unwrap().order.unwrap();
            let pos = |s: &Stage| default.iter().position(|o| o == s).unwrap();
            let deps: Vec<Dependency> = raw
                .iter()
                .filter_map(|&(a, b, w)| {
                    let (from, to) = (bound(&comps[a], w), bound(&comps[b], w));
                    (pos(&from) > pos(&to))
                        .then(|| Dependency { writes: w, ..Dependency::user(comps[a].clone(), comps[b].clone()) })
                })
                .collect();
            let nb = check(k, server, &deps);
            prop_assert!(nb.order.is_ok());
        }

        /// Reversing any built-in dependency always makes a cycle, and it is found.
        #[test]
        fn reversed_builtin_is_a_cycle((k, server, raw) in raw_deps(), pick in any::<prop::sample::Index>()) {
            let comps = components(k);
            let builtin = builtin_dependencies(&comps[5..].iter().map(|c| match c {
                Component::ResourceController(n) => n.clone(),
                _ => unreachable!(),
            }).collect::<Vec<_>>());
            let d = &builtin[pick.index(builtin.len())];
            let mut deps = vec![Dependency { writes: d.writes, ..Dependency::user(d.to.clone(), d.from.clone()) }];
            deps.extend(raw.iter().map(|&(a, b, w)| Dependency { writes: w, ..Dependency::user(comps[a].clone(), comps[b].clone()) }));
            let nb = check(k, server, &deps);
            prop_assert!(nb.order.is_err());
        }
    }
}

/// A refused order (a cycle) stops the timeline where the first stage that cannot finish would
/// start, and no step before it reports a stage of the cycle ready (docs/spec.md §5).
#[test]
fn a_cycle_stops_the_timeline_before_any_stage_it_holds() {
    let doc = fig24();
    let nb = node_bootstrap(&doc, "n5", &["dcm->rm".parse().unwrap()]).unwrap();
    let cycle = nb.order.clone().unwrap_err();
    assert_eq!(cycle.path(), "DCM -> Resource Manager -> DCM");
    let wait = nb.waits.clone().expect("the bootstrap waits");
    assert_eq!(wait.step, 6, "{wait:?}");
    assert!(wait.reason.contains("DCM -> Resource Manager -> DCM"), "{}", wait.reason);
    assert_eq!(nb.steps.last().map(|s| s.number), Some(5));
    for s in &nb.steps {
        for stage in &s.completes {
            assert!(!cycle.stages.contains(stage), "step {} completes {stage}", s.number);
        }
    }
    // Without the dependency the same node runs to step 24.
    let ok = node_bootstrap(&doc, "n5", &[]).unwrap();
    assert_eq!((ok.waits, ok.steps.len()), (None, 25));
}

/// A node whose cluster has no registry server online waits at registry phase 1 (step 5) and
/// says for what; a registry server's own bootstrap does not wait for itself.
#[test]
fn no_registry_server_online_waits_at_phase_one() {
    let mut doc = fig24();
    // Every registry server but n5 online in another cluster; n5 offline.
    doc.clusters
        .push(serde_json::from_value(json!({ "id": "Z", "registry_servers": [] })).unwrap());
    let servers: Vec<u32> = doc.clusters[0].registry_servers.clone();
    for n in &mut doc.nodes {
        if servers.contains(&n.clusters["A"]) {
            n.clusters.insert("Z".into(), n.clusters["A"] + 100);
            n.online = Some("Z".into());
        }
    }
    let client =
        doc.nodes.iter().find(|n| !servers.contains(&n.clusters["A"])).unwrap().uid.clone();
    let nb = node_bootstrap(&doc, &client, &[]).unwrap();
    assert!(nb.order.is_ok());
    let wait = nb.waits.expect("waits for a registry server");
    assert_eq!(wait.step, 5);
    assert!(wait.reason.contains("is online in cluster Z"), "{}", wait.reason);
    assert_eq!(nb.steps.len(), 5);
    assert!(nb.steps.iter().all(|s| s.completes.is_empty()));
    // A registry server bootstrapping into A runs its own registry: no wait.
    let server = doc.nodes.iter().find(|n| servers.contains(&n.clusters["A"])).unwrap();
    let mut alone = doc.clone();
    alone.nodes.iter_mut().find(|n| n.uid == server.uid).unwrap().online = Some("A".into());
    assert_eq!(node_bootstrap(&alone, &server.uid, &[]).unwrap().waits, None);
}
