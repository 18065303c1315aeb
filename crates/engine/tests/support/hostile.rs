//! Generated hostile documents (docs/reliability.md, "Bounded cost"), shared by
//! `tests/plan_limits.rs` and `benches/hostile.rs`: each is small as text and once cost time or
//! memory out of proportion to it.
#![allow(dead_code)] // each user takes the generators it needs

use clusterplan_engine::bootstrap;
use clusterplan_engine::document::{Cluster, Document, Network, Node, Router, Service, Subnet};

pub fn address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// `n` clusters, each with one node on its own subnet serving its one service.
pub fn clusters(n: usize) -> Document {
    let mut doc = Document {
        networks: vec![Network { name: "lan".into(), ..Network::default() }],
        ..Document::default()
    };
    for i in 0..n {
        let id = format!("C{i}");
        let ip = address(i << 8 | 1);
        doc.clusters.push(Cluster {
            id: id.clone(),
            registry_servers: vec![1],
            ..Cluster::default()
        });
        doc.subnets.push(Subnet {
            prefix: format!("{}/24", address(i << 8)),
            network: "lan".into(),
            ..Subnet::default()
        });
        doc.nodes.push(Node {
            uid: format!("n{i}"),
            clusters: [(id.clone(), 1)].into(),
            online: Some(id.clone()),
            addresses: vec![ip.clone()],
            ..Node::default()
        });
        doc.services.push(Service {
            name: "registry".into(),
            cluster: id,
            addresses: vec![ip],
            ..Service::default()
        });
    }
    doc
}

/// One node and one service, each listing `n` addresses twice.
pub fn duplicates(n: usize) -> Document {
    let twice: Vec<String> = (0..2 * n).map(|i| address(i % n)).collect();
    Document {
        clusters: vec![Cluster { id: "A".into(), ..Cluster::default() }],
        nodes: vec![Node {
            uid: "a".into(),
            clusters: [("A".to_owned(), 1)].into(),
            online: Some("A".into()),
            addresses: twice.clone(),
            ..Node::default()
        }],
        services: vec![Service {
            name: "s".into(),
            cluster: "A".into(),
            addresses: twice,
            ..Service::default()
        }],
        ..Document::default()
    }
}

/// A node with `n` resource controllers.
pub fn controllers(n: usize) -> Document {
    let mut node = Node {
        uid: "a".into(),
        clusters: [("A".to_owned(), 1)].into(),
        online: Some("A".into()),
        ..Node::default()
    };
    let names: Vec<serde_json::Value> = (0..n).map(|i| format!("c{i}").into()).collect();
    node.extra.insert(bootstrap::RESOURCE_CONTROLLERS_FIELD.into(), names.into());
    Document {
        clusters: vec![Cluster { id: "A".into(), registry_servers: vec![1], ..Cluster::default() }],
        nodes: vec![node],
        ..Document::default()
    }
}

/// `n` nodes of one cluster on one subnet, each owning one of the service's `n` addresses:
/// every client's list is its own (local first), n^2 entries in all.
pub fn owners(n: usize) -> Document {
    let ips: Vec<String> = (0..n).map(|i| address(i + 1)).collect();
    let nodes = ips.iter().enumerate().map(|(i, ip)| (format!("n{i}"), vec![ip.clone()])).collect();
    cluster_a(nodes, ips)
}

/// Cluster A on one subnet: the nodes (uid, addresses) numbered from 1 in order, online, and
/// service `s` of `addresses`.
pub fn cluster_a(nodes: Vec<(String, Vec<String>)>, addresses: Vec<String>) -> Document {
    Document {
        clusters: vec![Cluster { id: "A".into(), registry_servers: vec![1], ..Cluster::default() }],
        networks: vec![Network { name: "lan".into(), ..Network::default() }],
        subnets: vec![Subnet {
            prefix: "10.0.0.0/8".into(),
            network: "lan".into(),
            ..Subnet::default()
        }],
        nodes: nodes
            .into_iter()
            .enumerate()
            .map(|(i, (uid, addresses))| Node {
                uid,
                clusters: [("A".to_owned(), i as u32 + 1)].into(),
                online: Some("A".into()),
                addresses,
                ..Node::default()
            })
            .collect(),
        services: vec![Service {
            name: "s".into(),
            cluster: "A".into(),
            addresses,
            ..Service::default()
        }],
        ..Document::default()
    }
}

/// `n` routers, each joining its own subnet (holding one service address, with its server) to
/// one backbone subnet: `n` sets of routers among the service's subnets, `n + 1` routed subnets.
pub fn routers_apart(n: usize) -> Document {
    let mut doc = Document {
        clusters: vec![Cluster { id: "A".into(), registry_servers: vec![1], ..Cluster::default() }],
        networks: vec![Network { name: "lan".into(), ..Network::default() }],
        subnets: vec![Subnet {
            prefix: "192.168.0.0/16".into(),
            network: "lan".into(),
            ..Subnet::default()
        }],
        services: vec![Service { name: "s".into(), cluster: "A".into(), ..Service::default() }],
        ..Document::default()
    };
    for i in 0..n {
        let prefix = format!("{}/24", address(i << 8));
        let ip = address(i << 8 | 1);
        doc.subnets.push(Subnet {
            prefix: prefix.clone(),
            network: "lan".into(),
            ..Subnet::default()
        });
        doc.routers.push(Router {
            name: format!("r{i}"),
            subnets: vec![prefix, "192.168.0.0/16".into()],
            ..Router::default()
        });
        doc.nodes.push(Node {
            uid: format!("n{i}"),
            clusters: [("A".to_owned(), i as u32 + 1)].into(),
            online: Some("A".into()),
            addresses: vec![ip.clone()],
            ..Node::default()
        });
        doc.services[0].addresses.push(ip);
    }
    doc
}

/// [`owners`] with the node numbers reversed (node `i` numbered `n - i`): every client's list
/// of `n` addresses changes order (the diff's shape of docs/reliability.md, 2,000 took 59 s).
pub fn owners_renumbered(n: usize) -> Document {
    let mut doc = owners(n);
    for (i, node) in doc.nodes.iter_mut().enumerate() {
        node.clusters = [("A".to_owned(), (n - i) as u32)].into();
    }
    doc
}

/// One server owning a service's `n` addresses and one client, the address `changed` (0-based)
/// replaced by another when given: the client's list of `n` addresses loses one and gains one
/// (100,000 asked the diff for 40 GB).
pub fn one_long_list(n: usize, changed: Option<usize>) -> Document {
    let mut ips: Vec<String> = (0..n).map(|i| address(i + 1)).collect();
    if let Some(c) = changed {
        ips[c] = address(n + 1);
    }
    let nodes =
        vec![("server".into(), ips.clone()), ("client".into(), vec!["10.255.255.254".into()])];
    cluster_a(nodes, ips)
}

/// `clients` nodes of cluster A (from [`owners`]) and `services` services of
/// `addresses` addresses each.
pub fn many_services(clients: usize, services: usize, addresses: usize) -> Document {
    let mut doc = owners(clients);
    doc.services = (0..services)
        .map(|i| Service {
            name: format!("s{i}"),
            cluster: "A".into(),
            addresses: (0..addresses).map(|_| address(i % clients + 1)).collect(),
            ..Service::default()
        })
        .collect();
    doc
}
