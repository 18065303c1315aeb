//! Validated model (stage 2): ids resolved, addresses parsed, subnets found by longest prefix.
//!
//! [`Model::build`] reads a [`Document`] as it is, right or wrong: each broken rule becomes a
//! [`Diagnostic`] naming the item, and the model keeps what can still be used (the first of two
//! duplicates wins, an address with no subnet gets an implicit /32 or /128 subnet, an unknown
//! name resolves to nothing). [`Model::plan`] then computes the [`Plan`].

use crate::diagnostics::{whereabouts, Diagnostic, DiagnosticCode, Item};
use crate::document::{Document, FORMAT};
use crate::fastmap::FastMap;
use crate::plan::{NodeAddress, NodeInfo, NodeIx, SubnetInfo, SubnetIx};
use crate::prefix::{parse_ip, parse_prefix, PrefixIndex};
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A document's content with names resolved to indices.
#[derive(Debug, Default)]
pub struct Model {
    pub(crate) clusters: Vec<ClusterM>,
    pub(crate) cluster_ix: FastMap<String, usize>,
    pub(crate) networks: Vec<NetworkM>,
    pub(crate) subnets: Vec<SubnetInfo>,
    pub(crate) subnet_network: Vec<Option<usize>>,
    pub(crate) routers: Vec<Vec<SubnetIx>>,
    /// Each router's name (indexed like `routers`).
    pub(crate) router_names: Vec<String>,
    pub(crate) nodes: Vec<NodeInfo>,
    pub(crate) services: Vec<ServiceM>,
    /// Address -> the node owning it (the first, when an address is duplicated).
    pub(crate) owner: FastMap<IpAddr, NodeIx>,
}

#[derive(Debug, Default)]
pub(crate) struct ClusterM {
    pub id: String,
    pub registry_servers: Vec<u32>,
    /// Node number -> the first node defined to this cluster with it.
    pub numbers: FastMap<u32, NodeIx>,
}

#[derive(Debug, Default)]
pub(crate) struct NetworkM {
    pub priorities: BTreeMap<String, i64>,
}

#[derive(Debug)]
pub(crate) struct ServiceM {
    pub cluster: String,
    pub cluster_ix: Option<usize>,
    pub name: String,
    /// Parsed, deduplicated addresses in document order, with their subnet.
    pub addresses: Vec<(IpAddr, SubnetIx)>,
}

/// Collects diagnostics while building.
#[derive(Default)]
struct Diags(Vec<Diagnostic>);

impl Diags {
    fn push(&mut self, code: DiagnosticCode, item: Item, message: String) {
        self.0.push(Diagnostic::new(code, item, message));
    }
}

/// The document's `format` is the one this engine reads.
fn check_format(doc: &Document, d: &mut Diags) {
    if doc.format != FORMAT {
        d.push(
            DiagnosticCode::UnknownFormat,
            Item::Document,
            format!("the document says format {:?}; it is read as {FORMAT}", doc.format),
        );
    }
}

impl Model {
    /// Validates a document. Never fails: problems come back as diagnostics, in document order
    /// of the items they name.
    pub fn build(doc: &Document) -> (Model, Vec<Diagnostic>) {
        let mut d = Diags::default();
        let mut m = Model::default();
        check_format(doc, &mut d);
        m.add_clusters(doc, &mut d);
        let network_ix = m.add_networks(doc, &mut d);
        let index = m.add_subnets(doc, &network_ix, &mut d);
        m.add_routers(doc, &index, &mut d);
        // Addresses in no subnet share one implicit subnet per address.
        let mut implicit: FastMap<IpAddr, SubnetIx> = FastMap::default();
        m.add_nodes(doc, &index, &mut implicit, &mut d);
        m.check_registry_servers(&mut d);
        m.add_services(doc, &index, &mut implicit, &mut d);
        m.check_registry_services(&mut d);
        m.check_membership(&mut d);
        (m, d.0)
    }

    /// Clusters: ids resolved, the first of a duplicated id used.
    fn add_clusters(&mut self, doc: &Document, d: &mut Diags) {
        let m = self;
        for c in &doc.clusters {
            if m.cluster_ix.contains_key(&c.id) {
                d.push(
                    DiagnosticCode::DuplicateCluster,
                    Item::Cluster { id: c.id.clone() },
                    format!("cluster id {:?} is defined more than once; the first is used", c.id),
                );
                continue;
            }
            m.cluster_ix.insert(c.id.clone(), m.clusters.len());
            m.clusters.push(ClusterM {
                id: c.id.clone(),
                registry_servers: c.registry_servers.clone(),
                numbers: FastMap::default(),
            });
        }
    }

    /// Networks, the first of a duplicated name used; returns name -> index.
    fn add_networks<'d>(&mut self, doc: &'d Document, d: &mut Diags) -> FastMap<&'d str, usize> {
        let m = self;
        let mut network_ix: FastMap<&'d str, usize> = FastMap::default();
        for n in &doc.networks {
            if network_ix.contains_key(n.name.as_str()) {
                d.push(
                    DiagnosticCode::DuplicateNetwork,
                    Item::Network { name: n.name.clone() },
                    format!("network {:?} is defined more than once; the first is used", n.name),
                );
                continue;
            }
            network_ix.insert(&n.name, m.networks.len());
            m.networks.push(NetworkM { priorities: n.priorities.clone() });
        }
        network_ix
    }

    /// Subnets in document order (indices line up with `Document::subnets`), their prefixes
    /// parsed and indexed; returns the index.
    fn add_subnets(
        &mut self,
        doc: &Document,
        network_ix: &FastMap<&str, usize>,
        d: &mut Diags,
    ) -> PrefixIndex {
        let m = self;
        let mut index = PrefixIndex::default();
        for s in &doc.subnets {
            let item = || Item::Subnet { prefix: s.prefix.clone() };
            let network = network_ix.get(s.network.as_str()).copied();
            if network.is_none() {
                d.push(
                    DiagnosticCode::UnknownNetwork,
                    item(),
                    format!(
                        "subnet {} maps to network {:?}, which is not defined; its addresses \
                         get no priority",
                        s.prefix, s.network
                    ),
                );
            }
            let ix = m.subnets.len();
            let parsed = parse_prefix(&s.prefix);
            let mut text = s.prefix.clone();
            let mut net = None;
            match parsed {
                None => d.push(
                    DiagnosticCode::InvalidPrefix,
                    item(),
                    format!(
                        "{:?} is not a CIDR prefix (like 10.0.1.0/24); it holds no address",
                        s.prefix
                    ),
                ),
                Some((p, host_bits)) => {
                    if host_bits {
                        d.push(
                            DiagnosticCode::PrefixHostBits,
                            item(),
                            format!("subnet {} has host bits set; it is read as {p}", s.prefix),
                        );
                    }
                    text = p.to_string();
                    if let Some(first) = index.insert(p, ix) {
                        d.push(
                            DiagnosticCode::DuplicateSubnet,
                            item(),
                            format!(
                                "subnet {p} is defined more than once (first as subnet #{}); \
                                 addresses belong to the first",
                                first + 1
                            ),
                        );
                    } else {
                        net = Some(p);
                    }
                }
            }
            m.subnets.push(SubnetInfo {
                prefix: text,
                network: network.map(|_| s.network.clone()),
                implicit: false,
                net: net.or(parsed.map(|p| p.0)),
            });
            m.subnet_network.push(network);
        }
        index
    }

    /// Routers, each attached to the subnets it names (by normalised prefix).
    fn add_routers(&mut self, doc: &Document, index: &PrefixIndex, d: &mut Diags) {
        let m = self;
        for r in &doc.routers {
            let mut subs = Vec::new();
            // Duplicates found in a set: a router may list many subnets (limits.rs).
            let mut listed = std::collections::HashSet::new();
            for p in &r.subnets {
                match parse_prefix(p).and_then(|(net, _)| index.exact(net)) {
                    Some(ix) => {
                        if listed.insert(ix) {
                            subs.push(ix);
                        }
                    }
                    None => d.push(
                        DiagnosticCode::UnknownRouterSubnet,
                        Item::Router { name: r.name.clone() },
                        format!(
                            "router {} is attached to {p:?}, which is not a defined subnet",
                            r.name
                        ),
                    ),
                }
            }
            m.routers.push(subs);
            m.router_names.push(r.name.clone());
        }
    }

    /// Nodes: uids, cluster memberships and numbers, where each is online, its addresses parsed
    /// and mapped to their subnets.
    fn add_nodes(
        &mut self,
        doc: &Document,
        index: &PrefixIndex,
        implicit: &mut FastMap<IpAddr, SubnetIx>,
        d: &mut Diags,
    ) {
        let m = self;
        let mut uids: FastMap<&str, ()> = FastMap::default();
        uids.reserve(doc.nodes.len());
        m.owner.reserve(doc.nodes.len());
        for (nix, n) in doc.nodes.iter().enumerate() {
            let node_item = || Item::Node { uid: n.uid.clone() };
            if uids.insert(n.uid.as_str(), ()).is_some() {
                d.push(
                    DiagnosticCode::DuplicateNodeUid,
                    node_item(),
                    format!("node UID {:?} is used by more than one node", n.uid),
                );
            }
            let mut clusters = Vec::new();
            for (cid, &number) in &n.clusters {
                let Some(&cix) = m.cluster_ix.get(cid) else {
                    d.push(
                        DiagnosticCode::UnknownCluster,
                        node_item(),
                        format!(
                            "node {} is defined to cluster {cid:?}, which does not exist",
                            n.uid
                        ),
                    );
                    continue;
                };
                let cluster = &mut m.clusters[cix];
                if let Some(&first) = cluster.numbers.get(&number) {
                    d.push(
                        DiagnosticCode::DuplicateNodeNumber,
                        node_item(),
                        format!(
                            "node number {number} is used twice in cluster {cid}: by node {} and \
                             node {}",
                            doc.nodes.get(first).map_or("?", |f| f.uid.as_str()),
                            n.uid
                        ),
                    );
                } else {
                    cluster.numbers.insert(number, nix);
                }
                clusters.push((cid.clone(), number));
            }
            let mut online = None;
            if let Some(cid) = &n.online {
                if !m.cluster_ix.contains_key(cid) {
                    d.push(
                        DiagnosticCode::UnknownCluster,
                        node_item(),
                        format!(
                            "node {} is online in cluster {cid:?}, which does not exist",
                            n.uid
                        ),
                    );
                } else if !clusters.iter().any(|(c, _)| c == cid) {
                    d.push(
                        DiagnosticCode::OnlineNotDefined,
                        node_item(),
                        format!(
                            "node {} is online in cluster {cid}, to which it is not defined; it \
                             is treated as offline",
                            n.uid
                        ),
                    );
                } else {
                    online = Some(cid.clone());
                }
            }
            let mut addresses: Vec<NodeAddress> = Vec::new();
            let mut listed = std::collections::HashSet::new();
            for text in &n.addresses {
                let addr_item =
                    || Item::Address { address: text.clone(), node: Some(n.uid.clone()) };
                let Some(ip) = parse_ip(text) else {
                    d.push(
                        DiagnosticCode::InvalidAddress,
                        addr_item(),
                        format!(
                            "node {} has address {text:?}, which is not an IPv4 or IPv6 address",
                            n.uid
                        ),
                    );
                    continue;
                };
                if !listed.insert(ip) {
                    d.push(
                        DiagnosticCode::DuplicateAddress,
                        addr_item(),
                        format!("node {} lists address {ip} more than once", n.uid),
                    );
                    continue;
                }
                if let Some(&first) = m.owner.get(&ip) {
                    d.push(
                        DiagnosticCode::DuplicateAddress,
                        addr_item(),
                        format!(
                            "address {ip} belongs to node {} and node {}; services count it as \
                             node {}'s",
                            doc.nodes.get(first).map_or("?", |f| f.uid.as_str()),
                            n.uid,
                            doc.nodes.get(first).map_or("?", |f| f.uid.as_str()),
                        ),
                    );
                } else {
                    m.owner.insert(ip, nix);
                }
                let subnet = match index.find(ip) {
                    Some(s) => s,
                    None => {
                        d.push(
                            DiagnosticCode::AddressWithoutSubnet,
                            addr_item(),
                            format!(
                                "address {ip} of node {} is in no subnet; it gets the implicit \
                                 subnet {}, on no network and attached to no router",
                                n.uid,
                                IpNet::from(ip)
                            ),
                        );
                        implicit_subnet(m, implicit, ip)
                    }
                };
                addresses.push(NodeAddress { ip, subnet });
            }
            m.nodes.push(NodeInfo {
                uid: n.uid.clone(),
                name: n.name.clone(),
                online,
                clusters,
                addresses,
            });
        }
    }

    /// Each cluster has registry servers, and they are node numbers of the cluster.
    fn check_registry_servers(&self, d: &mut Diags) {
        let m = self;
        for c in &m.clusters {
            let item = || Item::Cluster { id: c.id.clone() };
            if c.registry_servers.is_empty() {
                d.push(
                    DiagnosticCode::NoRegistryServer,
                    item(),
                    format!("cluster {} has no registry server, so it cannot go online", c.id),
                );
            }
            for number in &c.registry_servers {
                if !c.numbers.contains_key(number) {
                    d.push(
                        DiagnosticCode::UnknownRegistryServer,
                        item(),
                        format!(
                            "cluster {} lists registry server node number {number}, which no node \
                             of the cluster has",
                            c.id
                        ),
                    );
                }
            }
        }
    }

    /// Services: cluster resolved, addresses parsed, owned and mapped to their subnets.
    fn add_services(
        &mut self,
        doc: &Document,
        index: &PrefixIndex,
        implicit: &mut FastMap<IpAddr, SubnetIx>,
        d: &mut Diags,
    ) {
        let m = self;
        let mut seen_services: FastMap<(&str, &str), ()> = FastMap::default();
        for s in &doc.services {
            let item = || Item::Service { cluster: s.cluster.clone(), name: s.name.clone() };
            if seen_services.insert((s.cluster.as_str(), s.name.as_str()), ()).is_some() {
                d.push(
                    DiagnosticCode::DuplicateService,
                    item(),
                    format!(
                        "service {} of cluster {} is defined more than once; the first is used",
                        s.name, s.cluster
                    ),
                );
                continue;
            }
            let cluster_ix = m.cluster_ix.get(&s.cluster).copied();
            if cluster_ix.is_none() {
                d.push(
                    DiagnosticCode::UnknownCluster,
                    item(),
                    format!(
                        "service {} belongs to cluster {:?}, which does not exist",
                        s.name, s.cluster
                    ),
                );
            }
            let mut addresses: Vec<(IpAddr, SubnetIx)> = Vec::new();
            let mut listed = std::collections::HashSet::new();
            for text in &s.addresses {
                let Some(ip) = parse_ip(text) else {
                    d.push(
                        DiagnosticCode::InvalidAddress,
                        Item::Address { address: text.clone(), node: None },
                        format!(
                            "service {} of cluster {} lists {text:?}, which is not an IPv4 or IPv6 \
                             address",
                            s.name, s.cluster
                        ),
                    );
                    continue;
                };
                let owner = m.owner.get(&ip).copied();
                let addr_item = || Item::Address {
                    address: ip.to_string(),
                    node: owner.map(|o| m.nodes[o].uid.clone()),
                };
                if !listed.insert(ip) {
                    d.push(
                        DiagnosticCode::DuplicateServiceAddress,
                        addr_item(),
                        format!(
                            "service {} of cluster {} lists {ip} more than once",
                            s.name, s.cluster
                        ),
                    );
                    continue;
                }
                match owner {
                    None => d.push(
                        DiagnosticCode::UnownedServiceAddress,
                        addr_item(),
                        format!(
                            "service {} of cluster {} is published at {ip}, which belongs to no \
                             node; it is listed but serves no load",
                            s.name, s.cluster
                        ),
                    ),
                    Some(o) => {
                        if cluster_ix.is_some()
                            && !m.nodes[o].clusters.iter().any(|(c, _)| *c == s.cluster)
                        {
                            d.push(
                                DiagnosticCode::ServerOutsideCluster,
                                addr_item(),
                                format!(
                                    "service {} of cluster {} is published at {ip}, owned by node \
                                     {}, which is not defined to cluster {}; it is listed but \
                                     serves no load",
                                    s.name, s.cluster, m.nodes[o].uid, s.cluster
                                ),
                            );
                        }
                    }
                }
                // The owner's address has this very subnet (found the same way), so it is not
                // looked up among the owner's addresses (a node may have many).
                let subnet = match index.find(ip) {
                    Some(sub) => sub,
                    None => implicit_subnet(m, implicit, ip),
                };
                addresses.push((ip, subnet));
            }
            m.services.push(ServiceM {
                cluster: s.cluster.clone(),
                cluster_ix,
                name: s.name.clone(),
                addresses,
            });
        }
    }

    /// A node is active in one cluster only (docs/spec.md §4): a registry server or a server of
    /// a service that is not online in the cluster is down for it, and a cluster none of whose
    /// registry servers is online in it cannot come online. One diagnostic per such node and
    /// cluster, naming what the cluster loses; an error for the cluster.
    fn check_membership(&self, d: &mut Diags) {
        // Per cluster: the services' names each node serves in it (document order).
        let mut serves: Vec<BTreeMap<NodeIx, Vec<&str>>> =
            vec![BTreeMap::new(); self.clusters.len()];
        for s in &self.services {
            let Some(cix) = s.cluster_ix else { continue };
            for (ip, _) in &s.addresses {
                let Some(&o) = self.owner.get(ip) else { continue };
                if !self.nodes[o].clusters.iter().any(|(c, _)| *c == s.cluster) {
                    continue;
                }
                let names = serves[cix].entry(o).or_default();
                if !names.contains(&s.name.as_str()) {
                    names.push(&s.name);
                }
            }
        }
        let mut clients = vec![0usize; self.clusters.len()];
        for n in &self.nodes {
            if let Some(&cix) = n.online.as_ref().and_then(|c| self.cluster_ix.get(c)) {
                clients[cix] += 1;
            }
        }
        for (cix, c) in self.clusters.iter().enumerate() {
            let registry: Vec<(u32, NodeIx)> = c
                .registry_servers
                .iter()
                .filter_map(|n| c.numbers.get(n).map(|&ix| (*n, ix)))
                .collect();
            let mut down: Vec<(u32, NodeIx)> = registry.clone();
            for &o in serves[cix].keys() {
                if let Some(&(_, number)) = self.nodes[o].clusters.iter().find(|(x, _)| *x == c.id)
                {
                    down.push((number, o));
                }
            }
            down.retain(|&(_, o)| self.nodes[o].online.as_deref() != Some(c.id.as_str()));
            down.sort_unstable();
            down.dedup();
            let where_ = |o: NodeIx| whereabouts(self.nodes[o].online.as_deref());
            for &(number, o) in &down {
                let node = &self.nodes[o];
                let mut lost = Vec::new();
                if registry.iter().any(|&(_, r)| r == o) {
                    lost.push(format!("{} is without registry server {number}", c.id));
                }
                if let Some(names) = serves[cix].get(&o) {
                    lost.push(format!(
                        "it serves none of {}'s clients for {}",
                        c.id,
                        names.join(", ")
                    ));
                }
                d.push(
                    DiagnosticCode::NotOnlineInCluster,
                    Item::Node { uid: node.uid.clone() },
                    format!(
                        "node {} (number {number} in cluster {}) {}, so it is down for {}: {}",
                        node.uid,
                        c.id,
                        where_(o),
                        c.id,
                        lost.join("; ")
                    ),
                );
            }
            let online = registry
                .iter()
                .filter(|&&(_, o)| self.nodes[o].online.as_deref() == Some(c.id.as_str()))
                .count();
            let elsewhere = registry.iter().any(|&(_, o)| self.nodes[o].online.is_some());
            if !registry.is_empty() && online == 0 && (elsewhere || clients[cix] > 0) {
                let each: Vec<String> = registry
                    .iter()
                    .map(|&(number, o)| {
                        format!("{number} (node {}) {}", self.nodes[o].uid, where_(o))
                    })
                    .collect();
                d.push(
                    DiagnosticCode::NoRegistryServerOnline,
                    Item::Cluster { id: c.id.clone() },
                    format!(
                        "cluster {} cannot come online: none of its registry servers is online in \
                         it (registry server {})",
                        c.id,
                        each.join(", registry server ")
                    ),
                );
            }
        }
    }

    /// The System Registry's addresses are those of the registry server nodes (docs/spec.md §1): warn
    /// when a service named `registry` and the cluster's `registry_servers` disagree.
    fn check_registry_services(&self, d: &mut Diags) {
        for s in &self.services {
            if s.name != "registry" {
                continue;
            }
            let Some(cix) = s.cluster_ix else { continue };
            let c = &self.clusters[cix];
            let item = || Item::Service { cluster: s.cluster.clone(), name: s.name.clone() };
            let mut serving_numbers = Vec::new();
            for (ip, _) in &s.addresses {
                let Some(&o) = self.owner.get(ip) else {
                    continue;
                };
                let Some(&(_, number)) =
                    self.nodes[o].clusters.iter().find(|(cid, _)| *cid == c.id)
                else {
                    continue;
                };
                serving_numbers.push(number);
                if !c.registry_servers.contains(&number) {
                    d.push(
                        DiagnosticCode::RegistryMismatch,
                        item(),
                        format!(
                            "registry address {ip} belongs to node number {number}, which is not \
                             a registry server of cluster {}",
                            c.id
                        ),
                    );
                }
            }
            for number in &c.registry_servers {
                if c.numbers.contains_key(number) && !serving_numbers.contains(number) {
                    d.push(
                        DiagnosticCode::RegistryMismatch,
                        item(),
                        format!(
                            "registry server node number {number} of cluster {} publishes none of \
                             the registry's addresses",
                            c.id
                        ),
                    );
                }
            }
        }
    }
}

/// The implicit subnet of an address with no subnet (shared by every use of that address).
fn implicit_subnet(
    m: &mut Model,
    implicit: &mut FastMap<IpAddr, SubnetIx>,
    ip: IpAddr,
) -> SubnetIx {
    *implicit.entry(ip).or_insert_with(|| {
        let net = IpNet::from(ip);
        m.subnets.push(SubnetInfo {
            prefix: net.to_string(),
            network: None,
            implicit: true,
            net: Some(net),
        });
        m.subnet_network.push(None);
        m.subnets.len() - 1
    })
}
