//! Property tests of the engine: lists are permutations, local addresses lead
//! their tier, hops never decrease inside a tier, rotation balances one equidistant group over
//! consecutive node numbers, load sums to the clients, hop distance is symmetric, and no input
//! panics.

#![allow(clippy::field_reassign_with_default)] // documents are built field by field, like the app does

use clusterplan_engine::document::{
    self, Cluster, Document, Network, Node, Router, Service, Subnet,
};
use clusterplan_engine::{compare, compile, Plan, Strategy as Order};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn strategy() -> impl Strategy<Value = Order> {
    prop_oneof![
        Just(Order::Rotation),
        Just(Order::Spread),
        Just(Order::Rendezvous),
        any::<u64>().prop_map(|seed| Order::Shuffle { seed }),
    ]
}

/// A well-formed-ish random model: up to 6 subnets (IPv4 and IPv6) on 3 networks with random
/// priorities, random routers, up to 24 nodes with 1-2 addresses, two services of cluster A.
/// Duplicate numbers and addresses can occur (they are diagnosed, never fatal).
fn model() -> impl Strategy<Value = Document> {
    let subnets = prop::collection::vec((0usize..3, any::<bool>()), 1..7);
    let prios = prop::collection::vec(prop::option::of(-2i64..4), 3);
    let routers = prop::collection::vec(prop::collection::vec(0usize..7, 0..4), 0..5);
    let nodes = prop::collection::vec(
        (0u32..30, prop::collection::vec((0usize..7, 1u32..40), 1..3), any::<bool>()),
        1..25,
    );
    let services = prop::collection::vec(prop::collection::vec(0usize..60, 0..8), 1..3);
    (subnets, prios, routers, nodes, services).prop_map(
        |(subnets, prios, routers, nodes, services)| {
            let prefix = |i: usize, v6: bool| {
                if v6 {
                    format!("2001:db8:{i}::/64")
                } else {
                    format!("10.0.{i}.0/24")
                }
            };
            let host = |i: usize, v6: bool, h: u32| {
                if v6 {
                    format!("2001:db8:{i}::{h:x}")
                } else {
                    format!("10.0.{i}.{h}")
                }
            };
            let mut doc = Document::default();
            doc.clusters =
                vec![Cluster { id: "A".into(), registry_servers: vec![1], ..Default::default() }];
            doc.networks = (0..3)
                .map(|n| Network {
                    name: format!("net{n}"),
                    priorities: prios[n]
                        .map(|p| BTreeMap::from([("svc0".to_owned(), p)]))
                        .unwrap_or_default(),
                    ..Default::default()
                })
                .collect();
            doc.subnets = subnets
                .iter()
                .enumerate()
                .map(|(i, &(net, v6))| Subnet {
                    prefix: prefix(i, v6),
                    network: format!("net{net}"),
                    ..Default::default()
                })
                .collect();
            doc.routers = routers
                .iter()
                .enumerate()
                .map(|(r, subs)| Router {
                    name: format!("r{r}"),
                    subnets: subs
                        .iter()
                        .filter(|&&s| s < subnets.len())
                        .map(|&s| doc.subnets[s].prefix.clone())
                        .collect(),
                    ..Default::default()
                })
                .collect();
            let mut all_addresses = Vec::new();
            doc.nodes = nodes
                .iter()
                .enumerate()
                .map(|(j, (number, addrs, online))| {
                    let addresses: Vec<String> = addrs
                        .iter()
                        .map(|&(s, h)| {
                            // Subnet index past the last one: an address in no subnet.
                            let v6 = subnets.get(s).is_some_and(|x| x.1);
                            host(s, v6, h)
                        })
                        .collect();
                    all_addresses.extend(addresses.iter().cloned());
                    Node {
                        uid: format!("n{j}"),
                        clusters: BTreeMap::from([("A".to_owned(), *number)]),
                        online: online.then(|| "A".to_owned()),
                        addresses,
                        ..Default::default()
                    }
                })
                .collect();
            doc.services = services
                .iter()
                .enumerate()
                .map(|(k, picks)| Service {
                    name: format!("svc{k}"),
                    cluster: "A".into(),
                    addresses: picks
                        .iter()
                        .map(|&p| {
                            all_addresses
                                .get(p)
                                .cloned()
                                .unwrap_or_else(|| format!("10.0.0.{}", 200 + p))
                        })
                        .collect(),
                    ..Default::default()
                })
                .collect();
            doc
        },
    )
}

/// [`model`] with a second cluster B: each node may also be defined to B and be online in A,
/// in B or in none, and every service of A gets a twin in B on the same addresses.
fn two_clusters() -> impl Strategy<Value = Document> {
    let membership = prop::collection::vec((prop::option::of(0u32..30), 0u8..3), 25);
    (model(), membership).prop_map(|(mut doc, membership)| {
        doc.clusters.push(Cluster {
            id: "B".into(),
            registry_servers: vec![1],
            ..Default::default()
        });
        for (node, &(number, online)) in doc.nodes.iter_mut().zip(&membership) {
            if let Some(number) = number {
                node.clusters.insert("B".into(), number);
            }
            node.online = match online {
                0 => Some("A".into()),
                1 => Some("B".into()),
                _ => None,
            };
        }
        let twins: Vec<Service> =
            doc.services.iter().map(|s| Service { cluster: "B".into(), ..s.clone() }).collect();
        doc.services.extend(twins);
        doc
    })
}

fn hops_key(h: Option<u32>) -> u64 {
    h.map_or(u64::MAX, u64::from)
}

fn check_lists(plan: &Plan) -> Result<(), TestCaseError> {
    for sp in &plan.services {
        for (i, l) in sp.lists.iter().enumerate() {
            // The first entry read without writing the list out is the list's first.
            prop_assert_eq!(sp.lists.first_entry(i), l.entries.first().copied());
            // A permutation of the service's addresses.
            let mut seen: Vec<usize> = l.entries.iter().map(|e| e.address()).collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..sp.addresses.len()).collect::<Vec<_>>());
            for w in l.entries.windows(2) {
                let (a, b) = (w[0], w[1]);
                // Tiers never go back.
                prop_assert!(a.tier <= b.tier);
                if a.tier == b.tier {
                    // Local addresses lead their tier.
                    prop_assert!(a.local || !b.local, "local after non-local in one tier");
                    // Hops never decrease inside a tier (after the local ones).
                    if !a.local && !b.local {
                        prop_assert!(hops_key(a.hops()) <= hops_key(b.hops()));
                    }
                    if a.local && b.local {
                        prop_assert!(sp.addresses[a.address()].ip < sp.addresses[b.address()].ip);
                    }
                }
            }
            // Local = one of the client's own addresses.
            let own = &plan.nodes[l.node].addresses;
            for e in &l.entries {
                prop_assert_eq!(e.local, own.iter().any(|a| a.ip == sp.addresses[e.address()].ip));
            }
        }
    }
    Ok(())
}

fn check_load(plan: &Plan) -> Result<(), TestCaseError> {
    for sp in &plan.services {
        let ld = &sp.load;
        prop_assert_eq!(ld.clients, sp.lists.len());
        prop_assert_eq!(ld.first_choice.iter().sum::<usize>() + ld.unserved, ld.clients);
        let none = sp.failover(&[]);
        prop_assert_eq!(&none.load, &ld.first_choice);
        prop_assert!(none.moved.is_empty());
        let own = sp.own_servers();
        for f in 0..sp.servers.len() {
            // A failed node is no client (docs/spec.md §4): an up server is online in the
            // cluster, so a client, and leaves the clients with its failure.
            let left = ld.clients - usize::from(sp.servers[f].online);
            prop_assert_eq!(
                usize::from(sp.servers[f].online),
                own.iter().filter(|&&o| o == Some(f)).count()
            );
            prop_assert_eq!(
                ld.single_failures.row(f).iter().sum::<usize>() + ld.unserved_after_failure[f],
                left
            );
            let one = sp.failover(&[f]);
            prop_assert_eq!(&one.load, &ld.single_failures.row(f));
            prop_assert_eq!(one.unserved, ld.unserved_after_failure[f]);
            prop_assert_eq!(one.clients, left);
            // The failed server serves no one, and a server that is down serves no one either.
            prop_assert_eq!(one.load[f], 0);
            for (s, server) in sp.servers.iter().enumerate() {
                if !server.online {
                    prop_assert_eq!(ld.first_choice[s], 0);
                    prop_assert_eq!(ld.worst_single_failure[s], (0, None));
                }
                // A named cause raises the load above first choice; no cause: first choice.
                let (worst, by) = ld.worst_single_failure[s];
                match by {
                    Some(g) => prop_assert!(
                        g != s
                            && worst > ld.first_choice[s]
                            && ld.single_failures.row(g)[s] == worst
                    ),
                    None => prop_assert_eq!(worst, ld.first_choice[s]),
                }
            }
        }
        let all: Vec<usize> = (0..sp.servers.len()).step_by(2).collect();
        let some = sp.failover(&all);
        let failed_clients = some.failed_client.iter().filter(|&&f| f).count();
        prop_assert_eq!(
            some.load.iter().sum::<usize>() + some.unserved + failed_clients,
            ld.clients
        );
        prop_assert_eq!(some.clients + failed_clients, ld.clients);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn lists_are_ordered_permutations(doc in model(), strategy in strategy()) {
        check_lists(&compile(&doc, strategy))?;
    }

    #[test]
    fn load_sums_to_the_clients(doc in model(), strategy in strategy()) {
        check_load(&compile(&doc, strategy))?;
    }

    #[test]
    fn hop_distance_is_symmetric_and_paths_match(doc in model()) {
        let plan = compile(&doc, Order::Rotation);
        let n = plan.subnets.len();
        for a in 0..n {
            prop_assert_eq!(plan.hops.get(a, a), Some(0));
            for b in 0..n {
                let d = plan.hops.get(a, b);
                prop_assert_eq!(d, plan.hops.get(b, a));
                let path = plan.path(a, b);
                prop_assert_eq!(path.len() as u32, d.unwrap_or(0));
                if let Some(&(_, last)) = path.last() {
                    prop_assert_eq!(last, b);
                }
                for c in 0..n {
                    if let (Some(x), Some(y)) = (plan.hops.get(a, c), plan.hops.get(c, b)) {
                        prop_assert!(d.is_some_and(|d| d <= x + y), "triangle inequality");
                    }
                }
            }
        }
    }

    /// One equidistant group of m servers (offline, so every client sees the same group) and
    /// clients with consecutive node numbers: rotation and spread give first-choice loads that
    /// differ by at most one.
    #[test]
    fn rotation_balances_consecutive_numbers(m in 1usize..9, start in 0u32..1000, clients in 1usize..60, spread in any::<bool>()) {
        let mut doc = Document::default();
        doc.clusters = vec![Cluster { id: "A".into(), registry_servers: vec![1], ..Default::default() }];
        doc.networks = vec![Network { name: "lan".into(), ..Default::default() }];
        doc.subnets = ["10.0.0.0/24", "10.0.1.0/24"].iter().map(|p| Subnet { prefix: (*p).into(), network: "lan".into(), ..Default::default() }).collect();
        doc.routers = vec![Router { name: "r".into(), subnets: vec!["10.0.0.0/24".into(), "10.0.1.0/24".into()], ..Default::default() }];
        for i in 0..m {
            doc.nodes.push(Node { uid: format!("s{i}"), clusters: BTreeMap::from([("A".to_owned(), 5000 + i as u32)]), online: None, addresses: vec![format!("10.0.1.{}", 10 + i)], ..Default::default() });
        }
        for c in 0..clients {
            doc.nodes.push(Node { uid: format!("c{c}"), clusters: BTreeMap::from([("A".to_owned(), start + c as u32)]), online: Some("A".into()), addresses: vec![format!("10.0.0.{}", 1 + c)], ..Default::default() });
        }
        doc.services = vec![Service { name: "svc".into(), cluster: "A".into(), addresses: (0..m).map(|i| format!("10.0.1.{}", 10 + i)).collect(), ..Default::default() }];
        let plan = compile(&doc, if spread { Order::Spread } else { Order::Rotation });
        let load = &plan.services[0].load.first_choice;
        let (min, max) = (load.iter().min().copied().unwrap_or(0), load.iter().max().copied().unwrap_or(0));
        prop_assert!(max - min <= 1, "loads {:?}", load);
    }

    /// Hostile documents: arbitrary text in every field. Compiling, explaining every entry,
    /// failing servers and comparing strategies must not panic.
    #[test]
    fn no_input_panics(
        prefixes in prop::collection::vec(prop_oneof![".{0,20}", "10\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,3}", "[0-9a-f:]{0,12}/[0-9]{1,3}"], 0..6),
        addresses in prop::collection::vec(prop_oneof![".{0,16}", "10\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", "[0-9a-f:]{2,12}"], 0..10),
        nodes in prop::collection::vec(("[a-c]{0,2}", prop::collection::vec(("[A-C]{0,1}", any::<u32>()), 0..3), prop::option::of("[A-D]{0,1}"), prop::collection::vec(0usize..12, 0..3)), 0..10),
        clusters in prop::collection::vec(("[A-C]{0,1}", prop::collection::vec(any::<u32>(), 0..3)), 0..4),
        routers in prop::collection::vec(prop::collection::vec(0usize..8, 0..4), 0..4),
        services in prop::collection::vec(("[a-b]{0,1}", "[A-D]{0,1}", prop::collection::vec(0usize..12, 0..6)), 0..4),
        prios in prop::collection::vec(("[a-b]{0,1}", any::<i64>()), 0..3),
        strategy in strategy(),
    ) {
        let mut doc = Document::default();
        doc.clusters = clusters.iter().map(|(id, rs)| Cluster { id: id.clone(), registry_servers: rs.clone(), ..Default::default() }).collect();
        doc.networks = vec![
            Network { name: "n".into(), priorities: prios.iter().cloned().collect(), ..Default::default() },
            Network { name: "n".into(), ..Default::default() },
        ];
        doc.subnets = prefixes.iter().enumerate().map(|(i, p)| Subnet { prefix: p.clone(), network: if i % 3 == 2 { "x".into() } else { "n".into() }, ..Default::default() }).collect();
        doc.routers = routers.iter().enumerate().map(|(r, s)| Router { name: format!("r{r}"), subnets: s.iter().map(|&i| prefixes.get(i).cloned().unwrap_or_default()).collect(), ..Default::default() }).collect();
        let pick = |i: usize| addresses.get(i).cloned().unwrap_or_else(|| format!("10.0.0.{i}"));
        doc.nodes = nodes.iter().map(|(uid, cs, online, addrs)| Node {
            uid: uid.clone(),
            clusters: cs.iter().cloned().collect(),
            online: online.clone(),
            addresses: addrs.iter().map(|&i| pick(i)).collect(),
            ..Default::default()
        }).collect();
        doc.services = services.iter().map(|(name, cluster, addrs)| Service { name: name.clone(), cluster: cluster.clone(), addresses: addrs.iter().map(|&i| pick(i)).collect(), ..Default::default() }).collect();
        let plan = compile(&doc, strategy);
        for (s, sp) in plan.services.iter().enumerate() {
            for (l, list) in sp.lists.iter().enumerate() {
                for e in 0..=list.entries.len() {
                    let _ = plan.explain(s, l, e);
                }
            }
            let _ = sp.failover(&[0, 1, 99]);
        }
        for d in &plan.diagnostics {
            let _ = d.to_string();
        }
        let _ = plan.explain(99, 0, 0);
        let _ = plan.path(0, 99);
        let _ = compare(&doc, 3);
        // The document survives a write and a read.
        let again = document::read(&document::write(&doc)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, doc);
    }

    /// A node is active in one cluster only (docs/spec.md §4): a server receives load in a
    /// cluster only while online in it, on first choice, after any single failure, and with
    /// failures chosen; and the load still sums to the clients.
    #[test]
    fn a_node_online_elsewhere_never_receives_load(doc in two_clusters(), strategy in strategy()) {
        let plan = compile(&doc, strategy);
        check_load(&plan)?;
        for sp in &plan.services {
            let ld = &sp.load;
            for (s, server) in sp.servers.iter().enumerate() {
                let online_here = plan.nodes[server.node].online.as_deref() == Some(sp.cluster.as_str());
                prop_assert_eq!(server.online, online_here);
                if !online_here {
                    prop_assert_eq!(ld.first_choice[s], 0);
                    prop_assert!((0..ld.single_failures.len()).all(|f| ld.single_failures.row(f)[s] == 0));
                    prop_assert_eq!(ld.worst_single_failure[s].0, 0);
                    prop_assert!(ld.serving.iter().chain(&ld.fallback).all(|&x| x != Some(s)));
                    let some = sp.failover(&[0]);
                    prop_assert_eq!(some.load.get(s).copied().unwrap_or(0), 0);
                }
            }
        }
    }

    #[test]
    fn reading_arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = document::read(&text);
    }

    #[test]
    fn opening_arbitrary_links_never_panics(
        text in "#?(model=)?[A-Za-z0-9_=&#*-]{0,300}",
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let _ = clusterplan_engine::share::read_link(&text);
        // Arbitrary bytes in base64url: the inflater gets garbage.
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
        let _ = clusterplan_engine::share::decode(&payload);
    }

    #[test]
    fn any_generated_model_survives_a_link(nodes in 0usize..60) {
        let doc = clusterplan_engine::generate::data_centre(nodes);
        let link = clusterplan_engine::share::link("http://127.0.0.1:8080/", &doc, &Default::default());
        prop_assert_eq!(clusterplan_engine::share::read_link(&link).unwrap(), doc);
    }

    #[test]
    fn generated_models_hold_the_properties(nodes in 1usize..300, strategy in strategy()) {
        let doc = clusterplan_engine::generate::data_centre(nodes);
        let plan = compile(&doc, strategy);
        prop_assert!(plan.diagnostics.iter().all(|d| d.severity != clusterplan_engine::Severity::Error), "{:?}", plan.diagnostics.first());
        check_lists(&plan)?;
        check_load(&plan)?;
    }
}
