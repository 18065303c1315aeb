//! What the simulation takes from the engine's plan: reachability between nodes (hop distance,
//! `docs/spec.md §2`) and each node's ordered registry list (§3), kept up to date as nodes are
//! defined and undefined.
//!
//! A node's registry list is the engine's list for the cluster's `registry` service, computed as
//! if every node defined to the cluster were online in it (a node that is joining, moving in or
//! being defined needs its list too). When the document publishes no `registry` service for a
//! cluster, its addresses are those of the registry server nodes (§1). Servers are named by node
//! uid, each once, at the position of its best address.
//!
//! Failed routers (`fail-router`, §2's network failures) are the engine's too: the hop table is
//! rebuilt with [`HopTable::build`] from the plan's router attachments, the failed routers'
//! left out, and reachability reads it (there is no second rule). The ordered lists stay those
//! of the drawn network: a server a failure makes unreachable is skipped, as a down one is.

use clusterplan_engine::document::{Document, Service};
use clusterplan_engine::plan::HopTable;
use clusterplan_engine::{compile, Plan, Strategy};
use std::collections::{BTreeMap, HashMap};

/// Reachability and ordered registry lists, from the engine.
#[derive(Debug, Clone)]
pub struct Net {
    /// The document with the definitions as they are now (a define or undefine changes it).
    doc: Document,
    /// The plan of the original document: addresses and hops (they never change).
    plan: Plan,
    index: HashMap<String, usize>,
    /// cluster -> node uid -> registry server uids in the node's order.
    orders: HashMap<String, HashMap<String, Vec<String>>>,
    /// cluster -> registry server uids, primary first.
    servers: HashMap<String, Vec<String>>,
    /// (cluster, node) -> the ordered list a node keeps while its local copy of the registry
    /// server list is older than the cluster's (it was not online when the list changed, or was
    /// undefined while away): see [`Net::pin`].
    pinned: HashMap<(String, String), Vec<String>>,
    /// Cluster ids undefined during the run: never used again (`define-cluster`).
    retired: Vec<String>,
    /// The hop table without the failed routers (`None`: none failed, the plan's table holds).
    failed: Option<HopTable>,
}

impl Net {
    pub fn new(doc: &Document) -> Net {
        let plan = compile(doc, Strategy::Rotation);
        let mut index = HashMap::new();
        for (i, n) in doc.nodes.iter().enumerate() {
            index.entry(n.uid.clone()).or_insert(i);
        }
        let mut net = Net {
            doc: doc.clone(),
            plan,
            index,
            orders: HashMap::new(),
            servers: HashMap::new(),
            pinned: HashMap::new(),
            retired: Vec::new(),
            failed: None,
        };
        let clusters: Vec<String> = doc.clusters.iter().map(|c| c.id.clone()).collect();
        for c in clusters {
            net.compute(&c);
        }
        net
    }

    /// The cluster's registry server nodes (uids), primary first, as the document defines them.
    pub fn registry_servers(&self, cluster: &str) -> Vec<String> {
        self.servers_of(cluster).to_vec()
    }

    /// The same, borrowed.
    pub fn servers_of(&self, cluster: &str) -> &[String] {
        self.servers.get(cluster).map_or(&[], Vec::as_slice)
    }

    /// Whether `node` is a registry server of `cluster`.
    pub fn is_registry_server(&self, cluster: &str, node: &str) -> bool {
        self.servers_of(cluster).iter().any(|s| s == node)
    }

    fn find_servers(&self, cluster: &str) -> Vec<String> {
        let Some(c) = self.doc.clusters.iter().find(|c| c.id == cluster) else {
            return Vec::new();
        };
        c.registry_servers
            .iter()
            .filter_map(|num| self.doc.nodes.iter().find(|n| n.clusters.get(cluster) == Some(num)))
            .map(|n| n.uid.clone())
            .collect()
    }

    /// The cluster's registry server numbers, primary first.
    pub fn registry_numbers(&self, cluster: &str) -> Vec<u32> {
        self.doc
            .clusters
            .iter()
            .find(|c| c.id == cluster)
            .map(|c| c.registry_servers.clone())
            .unwrap_or_default()
    }

    /// The node's number in the cluster, as the document defines it now.
    pub fn number_of(&self, cluster: &str, node: &str) -> Option<u32> {
        self.doc.nodes.iter().find(|n| n.uid == node).and_then(|n| n.clusters.get(cluster)).copied()
    }

    /// The cluster's quorum rule (`docs/spec.md §6`, under faults).
    pub fn quorum(&self, cluster: &str) -> clusterplan_engine::document::Quorum {
        self.doc.clusters.iter().find(|c| c.id == cluster).map(|c| c.quorum()).unwrap_or_default()
    }

    /// The cluster's name.
    pub fn cluster_name(&self, cluster: &str) -> String {
        self.doc.clusters.iter().find(|c| c.id == cluster).map_or(String::new(), |c| c.name.clone())
    }

    /// The node's ordered registry list for `cluster` (server uids); the primary-first list when
    /// the engine has none for the node (it is not defined to the cluster yet).
    pub fn order(&self, cluster: &str, node: &str) -> &[String] {
        if let Some(order) = self.pinned.get(&(cluster.to_owned(), node.to_owned())) {
            return order;
        }
        match self.orders.get(cluster).and_then(|m| m.get(node)) {
            Some(order) => order,
            None => self.servers_of(cluster),
        }
    }

    /// A message from `a` can reach `b`: the same node, or a finite hop distance between some
    /// address of each (`docs/spec.md §2`).
    pub fn reachable(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        let (Some(&x), Some(&y)) = (self.index.get(a), self.index.get(b)) else {
            return false;
        };
        let (Some(x), Some(y)) = (self.plan.nodes.get(x), self.plan.nodes.get(y)) else {
            return false;
        };
        let hops = self.failed.as_ref().unwrap_or(&self.plan.hops);
        x.addresses
            .iter()
            .any(|i| y.addresses.iter().any(|j| hops.get(i.subnet, j.subnet).is_some()))
    }

    /// Whether the drawn network has a router of this name.
    pub fn has_router(&self, name: &str) -> bool {
        self.doc.routers.iter().any(|r| r.name == name)
    }

    /// Recomputes reachability with these routers failed (`docs/spec.md §2`: a failed router
    /// joins no subnets): the engine's hop table over the plan's subnets and the working
    /// routers' attachments.
    pub fn fail_routers(&mut self, failed: &std::collections::BTreeSet<String>) {
        if failed.is_empty() {
            self.failed = None;
            return;
        }
        let routers: Vec<Vec<usize>> = (0..self.doc.routers.len())
            .map(|r| {
                if failed.contains(&self.doc.routers[r].name) {
                    Vec::new()
                } else {
                    self.plan.hops.subnets_of(r).iter().map(|&s| s as usize).collect()
                }
            })
            .collect();
        let mut sources: Vec<usize> =
            self.plan.nodes.iter().flat_map(|n| n.addresses.iter().map(|a| a.subnet)).collect();
        sources.sort_unstable();
        sources.dedup();
        self.failed = Some(HopTable::build(self.plan.subnets.len(), &routers, &sources));
    }

    /// The node owning an address (exact text or the same parsed address).
    pub fn node_with_address(&self, address: &str) -> Option<String> {
        let parsed: Option<std::net::IpAddr> = address.trim().parse().ok();
        self.plan
            .nodes
            .iter()
            .find(|n| n.addresses.iter().any(|a| Some(a.ip) == parsed))
            .map(|n| n.uid.clone())
            .or_else(|| {
                self.doc
                    .nodes
                    .iter()
                    .find(|n| n.addresses.iter().any(|a| a.trim() == address.trim()))
                    .map(|n| n.uid.clone())
            })
    }

    /// The node's first address (what its definition records), or `""`.
    pub fn address_of(&self, node: &str) -> String {
        self.doc
            .nodes
            .iter()
            .find(|n| n.uid == node)
            .and_then(|n| n.addresses.first().cloned())
            .unwrap_or_default()
    }

    /// The node's display name in the document.
    pub fn name_of(&self, node: &str) -> String {
        self.doc.nodes.iter().find(|n| n.uid == node).map_or(String::new(), |n| n.name.clone())
    }

    /// The node's resource controllers (the document's `resource_controllers` field).
    pub fn controllers(&self, node: &str) -> Vec<String> {
        self.doc
            .nodes
            .iter()
            .find(|n| n.uid == node)
            .map(|n| clusterplan_engine::bootstrap::resource_controllers(n).0)
            .unwrap_or_default()
    }

    /// Records that `node` is now defined to `cluster` with `number` (or no longer, with
    /// `None`), and recomputes the cluster's registry lists.
    pub fn redefine(&mut self, node: &str, cluster: &str, number: Option<u32>) {
        for n in self.doc.nodes.iter_mut().filter(|n| n.uid == node) {
            match number {
                Some(num) => n.clusters.insert(cluster.to_owned(), num),
                None => n.clusters.remove(cluster),
            };
        }
        self.compute(cluster);
    }

    /// Every node's ordered registry list for `cluster`, from the engine.
    fn compute(&mut self, cluster: &str) {
        let mut doc = self.doc.clone();
        for n in &mut doc.nodes {
            n.online = n.clusters.contains_key(cluster).then(|| cluster.to_owned());
        }
        let servers = self.find_servers(cluster);
        self.servers.insert(cluster.to_owned(), servers.clone());
        let published = doc.services.iter().any(|s| s.cluster == cluster && s.name == "registry");
        doc.services.retain(|s| s.cluster == cluster && s.name == "registry");
        if !published {
            let addresses = doc
                .nodes
                .iter()
                .filter(|n| servers.contains(&n.uid))
                .flat_map(|n| n.addresses.iter().cloned())
                .collect();
            doc.services.push(Service {
                name: "registry".into(),
                cluster: cluster.to_owned(),
                addresses,
                ..Service::default()
            });
        }
        let plan = compile(&doc, Strategy::Rotation);
        let mut orders = HashMap::new();
        if let Some((_, sp)) = plan.service(cluster, "registry") {
            let mut entries = Vec::new();
            for i in 0..sp.lists.len() {
                let Some(client) = sp.lists.clients().get(i) else { continue };
                let Some(uid) = plan.nodes.get(client.node).map(|n| n.uid.clone()) else {
                    continue;
                };
                sp.lists.entries_into(i, &mut entries);
                let mut order: Vec<String> = Vec::new();
                for e in &entries {
                    let server = sp.addresses.get(e.address()).and_then(|a| a.server);
                    let owner = server
                        .and_then(|s| sp.servers.get(s))
                        .and_then(|s| plan.nodes.get(s.node))
                        .map(|n| n.uid.clone());
                    if let Some(owner) = owner {
                        if servers.contains(&owner) && !order.contains(&owner) {
                            order.push(owner);
                        }
                    }
                }
                // Registry servers that publish no registry address come last, primary first.
                for s in &servers {
                    if !order.contains(s) {
                        order.push(s.clone());
                    }
                }
                orders.insert(uid, order);
            }
        }
        self.orders.insert(cluster.to_owned(), orders);
    }

    /// The document's clusters: id -> registry server uids (primary first).
    pub fn clusters(&self) -> BTreeMap<String, Vec<String>> {
        self.doc.clusters.iter().map(|c| (c.id.clone(), self.registry_servers(&c.id))).collect()
    }

    // ---- Clusters and registry server lists that change during a run (`define-cluster`,
    // `undefine-cluster`, `modify-cluster`, the registry server operations: ops/cluster.rs,
    // ops/registry_server.rs). ----

    /// Whether the run knows `cluster` (the document's, or defined by `define-cluster`).
    pub fn has_cluster(&self, cluster: &str) -> bool {
        self.doc.clusters.iter().any(|c| c.id == cluster)
    }

    /// Whether `cluster` was undefined during the run (its id is never used again).
    pub fn is_retired(&self, cluster: &str) -> bool {
        self.retired.iter().any(|c| c == cluster)
    }

    /// The node defined to `cluster` with `number`, as the run knows it.
    pub fn node_numbered(&self, cluster: &str, number: u32) -> Option<String> {
        self.doc
            .nodes
            .iter()
            .find(|n| n.clusters.get(cluster) == Some(&number))
            .map(|n| n.uid.clone())
    }

    /// A new cluster: `servers` (uid, node number) defined to it, its registry servers in that
    /// order; the ordered lists computed by the engine.
    pub fn add_cluster(
        &mut self,
        id: &str,
        name: &str,
        quorum: Option<&str>,
        servers: &[(String, u32)],
    ) {
        self.doc.clusters.push(clusterplan_engine::document::Cluster {
            id: id.to_owned(),
            name: name.to_owned(),
            registry_servers: servers.iter().map(|(_, n)| *n).collect(),
            quorum: quorum.map(parse_quorum),
            extra: Default::default(),
        });
        for (uid, number) in servers {
            for n in self.doc.nodes.iter_mut().filter(|n| &n.uid == uid) {
                n.clusters.insert(id.to_owned(), *number);
            }
        }
        self.compute(id);
    }

    /// `cluster` is undefined: no node is defined to it any more and its id is retired.
    pub fn remove_cluster(&mut self, cluster: &str) {
        self.doc.clusters.retain(|c| c.id != cluster);
        for n in &mut self.doc.nodes {
            n.clusters.remove(cluster);
        }
        self.orders.remove(cluster);
        self.servers.remove(cluster);
        self.pinned.retain(|(c, _), _| c != cluster);
        self.retired.push(cluster.to_owned());
    }

    /// The cluster's name (`modify-cluster`).
    pub fn rename_cluster(&mut self, cluster: &str, name: &str) {
        for c in self.doc.clusters.iter_mut().filter(|c| c.id == cluster) {
            c.name = name.to_owned();
        }
    }

    /// The cluster's registry server list (node numbers, primary first), and every node's
    /// ordered list recomputed through the engine.
    pub fn set_registry_numbers(&mut self, cluster: &str, numbers: &[u32]) {
        for c in self.doc.clusters.iter_mut().filter(|c| c.id == cluster) {
            c.registry_servers = numbers.to_vec();
        }
        self.compute(cluster);
    }

    /// Whether the run has `node` defined to `cluster`.
    pub fn is_defined(&self, cluster: &str, node: &str) -> bool {
        self.doc.nodes.iter().any(|n| n.uid == node && n.clusters.contains_key(cluster))
    }

    /// The cluster's quorum setting (`modify-cluster`).
    pub fn set_quorum(&mut self, cluster: &str, quorum: &str) {
        for c in self.doc.clusters.iter_mut().filter(|c| c.id == cluster) {
            c.quorum = Some(parse_quorum(quorum));
        }
    }

    /// `node` keeps `order` as its ordered list for `cluster` until [`Net::unpin`].
    pub fn pin(&mut self, cluster: &str, node: &str, order: Vec<String>) {
        self.pinned.entry((cluster.to_owned(), node.to_owned())).or_insert(order);
    }

    /// `node` follows the cluster's current list again (its local copy was refreshed or
    /// cleaned).
    pub fn unpin(&mut self, cluster: &str, node: &str) {
        self.pinned.remove(&(cluster.to_owned(), node.to_owned()));
    }

    /// The (cluster, node) pairs pinned to an older list.
    pub fn pinned(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self.pinned.keys().cloned().collect();
        v.sort();
        v
    }
}

/// A scenario's quorum text (checked by `Scenario::validate`: `none` or `majority`).
fn parse_quorum(text: &str) -> clusterplan_engine::document::Quorum {
    match text {
        "majority" => clusterplan_engine::document::Quorum::Majority,
        _ => clusterplan_engine::document::Quorum::None,
    }
}
