//! Generated data-centre models, for the benchmark and the app's example gallery.
//!
//! [`data_centre`] builds one cluster `dc` whose nodes are spread over `/24` subnets of
//! `10.0.0.0/8`, joined by a binary tree of routers (router `i` is attached to its own subnets
//! and to the first subnet of router `(i - 1) / 2`), so hop distances range from 0 to about
//! twice the tree's depth. Subnets alternate between the networks `admin` (registry priority 2)
//! and `data` (registry priority 1), so the registry has two priority tiers and the other
//! services one. Every 16th node has a second interface on the next subnet. Each service is
//! published at the addresses of `servers_per_service` nodes spread evenly over the node
//! numbers; the registry's servers are the cluster's registry servers. Deterministic: the same
//! parameters always give the same document.

use crate::document::{Cluster, Document, Network, Node, Router, Service, Subnet};
use serde_json::Value;
use std::collections::BTreeMap;

/// The shape of a generated data centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataCentre {
    pub nodes: usize,
    pub services: usize,
    pub servers_per_service: usize,
    pub subnets: usize,
    pub routers: usize,
}

/// Names of the generated services, in order (more than four reuse them with a suffix).
pub const SERVICE_NAMES: [&str; 4] = ["registry", "liveness", "group-services", "resource-manager"];

impl DataCentre {
    /// The benchmark's scaling: 4 services of 64 server addresses, one subnet per 10 nodes and
    /// one router per 5 subnets (the 10,000-node model: 1,000 subnets, 200 routers).
    pub fn scaled(nodes: usize) -> DataCentre {
        let subnets = (nodes / 10).max(1);
        DataCentre {
            nodes,
            services: 4,
            servers_per_service: 64.min(nodes),
            subnets,
            routers: (subnets / 5).max(1),
        }
    }

    /// Builds the document (parameters are clamped to what fits in `10.0.0.0/8`).
    pub fn document(self) -> Document {
        let nodes = self.nodes.min(65_536 * 190);
        let subnets = self.subnets.clamp(1, 65_536).max(nodes.div_ceil(190)).min(65_536);
        let routers = self.routers.clamp(1, subnets);
        let prefix = |s: usize| format!("10.{}.{}.0/24", s / 256, s % 256);
        let host = |s: usize, h: usize| format!("10.{}.{}.{}", s / 256, s % 256, h);

        let mut doc = Document::default();
        doc.extra.insert(
            "description".into(),
            Value::String(format!(
                "Generated data centre: {nodes} nodes, {} services of {} servers, {subnets} subnets, \
                 {routers} routers",
                self.services, self.servers_per_service
            )),
        );
        doc.networks = vec![
            Network {
                name: "admin".into(),
                priorities: BTreeMap::from([("registry".to_owned(), 2)]),
                ..Network::default()
            },
            Network {
                name: "data".into(),
                priorities: BTreeMap::from([("registry".to_owned(), 1)]),
                ..Network::default()
            },
        ];
        doc.subnets = (0..subnets)
            .map(|s| Subnet {
                prefix: prefix(s),
                network: if s % 2 == 0 { "admin" } else { "data" }.into(),
                ..Subnet::default()
            })
            .collect();
        // Router r owns subnets [r*per, (r+1)*per) (the last one takes the rest).
        let per = (subnets / routers).max(1);
        doc.routers = (0..routers)
            .map(|r| {
                let lo = (r * per).min(subnets);
                let hi = if r + 1 == routers { subnets } else { ((r + 1) * per).min(subnets) };
                let mut attached: Vec<String> = (lo..hi).map(prefix).collect();
                if r > 0 {
                    attached.push(prefix(((r - 1) / 2) * per));
                }
                Router { name: format!("r{r}"), subnets: attached, ..Router::default() }
            })
            .collect();
        // Node j (number j + 1) is host (j / subnets) + 1 on subnet j % subnets.
        doc.nodes = (0..nodes)
            .map(|j| {
                let s = j % subnets;
                let mut addresses = vec![host(s, j / subnets + 1)];
                if j % 16 == 0 && subnets > 1 {
                    addresses.push(host((s + 1) % subnets, 200 + (j / subnets) % 50));
                }
                Node {
                    uid: format!("n{}", j + 1),
                    name: format!("node {}", j + 1),
                    clusters: BTreeMap::from([("dc".to_owned(), (j + 1) as u32)]),
                    online: Some("dc".into()),
                    addresses,
                    ..Node::default()
                }
            })
            .collect();
        let servers = self.servers_per_service.min(nodes);
        let mut registry_servers = Vec::new();
        doc.services = (0..self.services)
            .map(|k| {
                let name = match k / SERVICE_NAMES.len() {
                    0 => SERVICE_NAMES[k].to_owned(),
                    round => format!("{}-{round}", SERVICE_NAMES[k % SERVICE_NAMES.len()]),
                };
                // Servers spread over the node numbers, each service shifted a little.
                let addresses = (0..servers)
                    .map(|i| {
                        let spread = (i as u64 * nodes as u64 / servers.max(1) as u64) as usize;
                        let j = (spread + k % nodes.max(1) * 3) % nodes.max(1);
                        if k == 0 {
                            registry_servers.push((j + 1) as u32);
                        }
                        doc.nodes[j].addresses[0].clone()
                    })
                    .collect();
                Service { name, cluster: "dc".into(), addresses, ..Service::default() }
            })
            .collect();
        registry_servers.sort_unstable();
        registry_servers.dedup();
        doc.clusters = vec![Cluster {
            id: "dc".into(),
            name: "Generated data centre".into(),
            registry_servers,
            ..Cluster::default()
        }];
        doc
    }
}

/// A generated data centre of `nodes` nodes with the benchmark's scaling
/// ([`DataCentre::scaled`]).
pub fn data_centre(nodes: usize) -> Document {
    DataCentre::scaled(nodes).document()
}
