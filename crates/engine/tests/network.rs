//! Network failures against independent computations (docs/spec.md §2), on generated data
//! centres with extra routers (so some routers are single points of failure and some are not):
//! a router failed gives the lists and load of the model without that router; the hop matrix
//! equals a plain breadth-first search over the document's routers; the single-router lint,
//! the worst single router failure and the incremental hop table agree with recompiling.

use clusterplan_engine::diagnostics::DiagnosticCode;
use clusterplan_engine::document::{Document, Router};
use clusterplan_engine::generate::DataCentre;
use clusterplan_engine::network::{distances_from, hop_matrix, router_failures};
use clusterplan_engine::{answers, compile, compile_with, FailureSet, Plan, Strategy as Order};
use proptest::prelude::*;
use std::collections::VecDeque;

/// A generated data centre, with `extra` routers each joining two of its subnets.
fn data_centre() -> impl Strategy<Value = Document> {
    (
        20usize..160,
        2usize..14,
        1usize..7,
        1usize..3,
        1usize..6,
        prop::collection::vec((0usize..64, 0usize..64), 0..4),
    )
        .prop_map(|(nodes, subnets, routers, services, servers, extra)| {
            let mut doc =
                DataCentre { nodes, services, servers_per_service: servers, subnets, routers }
                    .document();
            let n = doc.subnets.len();
            for (i, (a, b)) in extra.into_iter().enumerate() {
                let subnets =
                    vec![doc.subnets[a % n].prefix.clone(), doc.subnets[b % n].prefix.clone()];
                doc.routers.push(Router { name: format!("x{i}"), subnets, ..Router::default() });
            }
            doc
        })
}

fn order() -> impl Strategy<Value = Order> {
    prop_oneof![
        Just(Order::Rotation),
        Just(Order::Spread),
        Just(Order::Rendezvous),
        any::<u64>().prop_map(|seed| Order::Shuffle { seed })
    ]
}

fn fail_router(doc: &Document, r: usize) -> FailureSet {
    FailureSet { routers: vec![doc.routers[r].name.clone()], ..FailureSet::default() }
}

/// A service's first-choice load, unserved clients and worst single failure.
type Load = (Vec<usize>, usize, Vec<(usize, Option<usize>)>);

/// What must not depend on how a router went away: every list, every server's load, the
/// unserved clients and the worst single failure.
fn answers_of(plan: &Plan) -> (Vec<answers::ListLine>, Vec<Load>) {
    let loads = plan
        .services
        .iter()
        .map(|s| {
            (s.load.first_choice.clone(), s.load.unserved, s.load.worst_single_failure.clone())
        })
        .collect();
    (answers::list_lines(plan), loads)
}

/// Hops between the document's subnets by a plain breadth-first search over subnets, a router
/// joining every pair of the (non-failed) subnets it names; a failed subnet reaches nothing.
fn bfs_matrix(
    doc: &Document,
    failed_routers: &[String],
    failed_subnets: &[String],
) -> Vec<Vec<Option<u32>>> {
    let n = doc.subnets.len();
    let ix = |p: &str| doc.subnets.iter().position(|s| s.prefix == p);
    let down: Vec<bool> = doc.subnets.iter().map(|s| failed_subnets.contains(&s.prefix)).collect();
    let mut adjacent = vec![Vec::new(); n];
    for r in doc.routers.iter().filter(|r| !failed_routers.contains(&r.name)) {
        let attached: Vec<usize> =
            r.subnets.iter().filter_map(|p| ix(p)).filter(|&s| !down[s]).collect();
        for &a in &attached {
            adjacent[a].extend(attached.iter().copied().filter(|&b| b != a));
        }
    }
    (0..n)
        .map(|from| {
            let mut d = vec![None; n];
            if down[from] {
                return d;
            }
            d[from] = Some(0);
            let mut queue = VecDeque::from([from]);
            while let Some(u) = queue.pop_front() {
                for &v in &adjacent[u] {
                    if d[v].is_none() {
                        d[v] = Some(d[u].unwrap() + 1);
                        queue.push_back(v);
                    }
                }
            }
            d
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// `lists --fail-router R` is `lists` of the same model without R, and so is the load.
    #[test]
    fn a_failed_router_is_a_removed_router(doc in data_centre(), pick in any::<usize>(), order in order()) {
        let r = pick % doc.routers.len();
        let failed = compile_with(&doc, order, &fail_router(&doc, r));
        let mut without = doc.clone();
        without.routers.remove(r);
        prop_assert_eq!(answers_of(&failed), answers_of(&compile(&without, order)));
    }

    /// The hop matrix, with and without failures, is a plain breadth-first search's.
    #[test]
    fn the_hop_matrix_is_a_breadth_first_search(doc in data_centre(), r in any::<usize>(), s in any::<usize>(), fail in 0u8..4) {
        let routers = if fail & 1 == 1 { vec![doc.routers[r % doc.routers.len()].name.clone()] } else { Vec::new() };
        let subnets = if fail & 2 == 2 { vec![doc.subnets[s % doc.subnets.len()].prefix.clone()] } else { Vec::new() };
        let failures = FailureSet { routers: routers.clone(), subnets: subnets.clone(), ..FailureSet::default() };
        let plan = compile_with(&doc, Order::Rotation, &failures);
        let matrix = hop_matrix(&plan);
        let expected = bfs_matrix(&doc, &routers, &subnets);
        prop_assert_eq!(&matrix.hops, &expected);
        // A node's distance to an address: the least over its interfaces, 0 for its own.
        let node = s % plan.nodes.len();
        let index = |ip: &str| doc.subnets.iter().position(|x| {
            let (net, len) = x.prefix.split_once('/').unwrap();
            let net: std::net::Ipv4Addr = net.parse().unwrap();
            let ip: std::net::Ipv4Addr = ip.parse().unwrap();
            let mask = u32::MAX << (32 - len.parse::<u32>().unwrap());
            u32::from(ip) & mask == u32::from(net)
        });
        let own = &doc.nodes[node].addresses;
        for d in distances_from(&plan, node) {
            let want = if own.contains(&d.address) {
                Some(0)
            } else {
                let a = index(&d.address).unwrap();
                own.iter().filter_map(|o| expected[index(o).unwrap()][a]).min()
            };
            prop_assert_eq!(d.hops, want, "{}", d.address);
        }
    }

    /// Each router's failure alone, per service, is what compiling with it failed gives; the
    /// lint names exactly the routers that leave clients unserved; the incremental hop table
    /// reads as the one compiled without the router.
    #[test]
    fn router_failures_are_recompiles(doc in data_centre(), order in order()) {
        let plan = compile(&doc, order);
        let reports = router_failures(&doc, &plan, &[]);
        let lint: Vec<String> = plan
            .diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::SingleRouterFailureUnserved)
            .map(|d| d.message.clone())
            .collect();
        let mut expected_lint = 0;
        for r in 0..doc.routers.len() {
            let failed = compile_with(&doc, order, &fail_router(&doc, r));
            let (incremental, _) = plan.hops.without_routers(&[r]);
            for a in 0..plan.subnets.len() {
                for b in 0..plan.subnets.len() {
                    prop_assert_eq!(incremental.get(a, b), failed.hops.get(a, b));
                }
            }
            for (s, report) in reports.iter().enumerate() {
                let f = &report.routers[r];
                let (sp, now) = (&plan.services[s], &failed.services[s]);
                prop_assert_eq!(&f.load, &now.load.first_choice);
                let unserved: Vec<usize> = (0..sp.lists.len())
                    .filter(|&i| sp.load.serving[i].is_some() && now.load.serving[i].is_none())
                    .map(|i| sp.lists[i].node)
                    .collect();
                prop_assert_eq!(&f.unserved, &unserved);
                if !unserved.is_empty() {
                    expected_lint += 1;
                    let name = format!("if router {} fails, {} of", doc.routers[r].name, unserved.len());
                    let names_it = lint.iter().any(|m| m.starts_with(&name) && m.contains(&format!("service {} ", sp.service)));
                    prop_assert!(names_it, "no lint for {} on {}", doc.routers[r].name, sp.service);
                }
            }
        }
        prop_assert_eq!(lint.len(), expected_lint);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// With a node failed too, each router's failure alone is the failover of that node on the
    /// model compiled with the router failed.
    #[test]
    fn router_failures_take_failed_nodes(doc in data_centre(), pick in any::<usize>()) {
        let plan = compile(&doc, Order::Rotation);
        let node = pick % plan.nodes.len();
        let reports = router_failures(&doc, &plan, &[node]);
        for r in 0..doc.routers.len() {
            let failed = compile_with(&doc, Order::Rotation, &fail_router(&doc, r));
            for (s, report) in reports.iter().enumerate() {
                let before = plan.services[s].failover_of_nodes(&[node]);
                let after = failed.services[s].failover_of_nodes(&[node]);
                prop_assert_eq!(&report.routers[r].load, &after.load);
                let unserved: Vec<usize> = (0..after.serving.len())
                    .filter(|&i| before.serving[i].is_some() && after.serving[i].is_none())
                    .map(|i| plan.services[s].lists[i].node)
                    .collect();
                prop_assert_eq!(&report.routers[r].unserved, &unserved);
            }
        }
    }
}

/// A failed subnet carries no traffic: its nodes reach nothing but their own addresses, no
/// path crosses it, and the addresses on it are unreachable (listed last) for everyone else.
#[test]
fn a_failed_subnet_carries_no_traffic() {
    // 10.0.0.0/24 -r1- 10.0.1.0/24 -r2- 10.0.2.0/24; a server on each subnet.
    let text = r#"{"format":"cluster-planner/1",
        "clusters":[{"id":"A","registry_servers":[1]}],
        "networks":[{"name":"n","priorities":{}}],
        "subnets":[{"prefix":"10.0.0.0/24","network":"n"},{"prefix":"10.0.1.0/24","network":"n"},
                   {"prefix":"10.0.2.0/24","network":"n"}],
        "routers":[{"name":"r1","subnets":["10.0.0.0/24","10.0.1.0/24"]},
                   {"name":"r2","subnets":["10.0.1.0/24","10.0.2.0/24"]}],
        "nodes":[{"uid":"a","clusters":{"A":1},"online":"A","addresses":["10.0.0.1"]},
                 {"uid":"b","clusters":{"A":2},"online":"A","addresses":["10.0.1.1"]},
                 {"uid":"c","clusters":{"A":3},"online":"A","addresses":["10.0.2.1"]},
                 {"uid":"d","clusters":{"A":4},"online":"A","addresses":["10.0.1.2"]}],
        "services":[{"cluster":"A","name":"registry","addresses":["10.0.0.1","10.0.1.1","10.0.2.1"]}]}"#;
    let doc = clusterplan_engine::document::read(text).unwrap();
    let failures = FailureSet { subnets: vec!["10.0.1.5/24".into()], ..FailureSet::default() };
    assert_eq!(failures.check(&doc), Ok(()));
    let plan = compile_with(&doc, Order::Rotation, &failures);
    let matrix = hop_matrix(&plan);
    assert_eq!(
        matrix.hops,
        vec![vec![Some(0), None, None], vec![None; 3], vec![None, None, Some(0)]]
    );
    let lines = answers::list_lines(&plan);
    let of = |node: u32| lines.iter().find(|l| l.node == node).unwrap().addresses.join(",");
    // a reaches only itself (the two unreachable addresses rotated by its number, 1 mod 2);
    // b owns 10.0.1.1 and reaches nothing else; d (on the failed subnet) reaches nothing, not
    // even b next to it: unserved.
    assert_eq!(of(1), "10.0.0.1,10.0.2.1,10.0.1.1");
    assert_eq!(of(2), "10.0.1.1,10.0.0.1,10.0.2.1");
    let (_, sp) = plan.service("A", "registry").unwrap();
    assert_eq!(sp.load.unserved, 1);
    let d = sp.list_index(plan.node_by_uid("d").unwrap()).unwrap();
    assert_eq!(sp.load.serving[d], None);
    assert!(plan.diagnostics.iter().any(|x| x.code == DiagnosticCode::UnservedClient));
    // Unknown names are found.
    let wrong = FailureSet { routers: vec!["r9".into()], ..FailureSet::default() };
    assert_eq!(wrong.check(&doc).unwrap_err().to_string(), "there is no router \"r9\"");
    let wrong = FailureSet { subnets: vec!["10.0.9.0/24".into()], ..FailureSet::default() };
    assert!(wrong.check(&doc).is_err());
}
