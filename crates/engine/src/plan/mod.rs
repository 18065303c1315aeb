//! The plan: everything the engine computed for one model, as plain data (stage 3 of 3).
//!
//! Fields are public and named in the UI's words. Items refer to each other by index into the
//! plan's own vectors (`nodes`, `subnets`, a service's `addresses` and `servers`), which keeps a
//! 10k-node plan compact; helpers on these types turn indices back into text.

pub(crate) mod entry;
pub(crate) mod hop_table;
pub(crate) mod lists;
pub(crate) mod load;
pub mod wire;

use crate::diagnostics::Diagnostic;
use crate::strategy::Strategy;
pub use entry::{AddressIx, ClientList, Entry, NodeIx, ServerIx, SubnetIx};
pub use hop_table::HopTable;
pub use lists::{Client, Lists};
pub use load::{ideal_load, FailoverLoad, Move, ServiceLoad, SingleFailures};
use serde::Serialize;
use std::net::IpAddr;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    /// The strategy the lists were ordered with.
    pub strategy: Strategy,
    /// Every node of the document, in document order (duplicates included, so indices line up
    /// with `Document::nodes`).
    pub nodes: Vec<NodeInfo>,
    /// Every subnet: the document's, in order, then the implicit ones the engine made for
    /// addresses that belong to no subnet.
    pub subnets: Vec<SubnetInfo>,
    /// Router hops between subnets.
    pub hops: HopTable,
    /// One entry per (cluster, service), sorted by cluster id then service name.
    pub services: Vec<ServicePlan>,
    /// Errors, warnings and lints, each naming the item it is about.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeInfo {
    pub uid: String,
    pub name: String,
    /// The cluster the node is online in, when that cluster exists and the node is defined to it.
    pub online: Option<String>,
    /// (cluster id, node number) for every cluster the node is defined to.
    pub clusters: Vec<(String, u32)>,
    /// The node's interfaces, parsed; unparseable addresses are left out (and diagnosed).
    pub addresses: Vec<NodeAddress>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeAddress {
    pub ip: IpAddr,
    pub subnet: SubnetIx,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubnetInfo {
    /// The prefix as canonical CIDR text (`10.0.1.0/24`).
    pub prefix: String,
    /// The network it maps to; `None` for an implicit subnet or an unknown network name.
    pub network: Option<String>,
    /// Made by the engine for an address that belongs to no subnet (the address alone).
    pub implicit: bool,
    /// The parsed prefix (host bits cleared); `None` when the document's text is not a CIDR
    /// prefix (such a subnet holds no address and is diagnosed).
    pub net: Option<ipnet::IpNet>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServicePlan {
    pub cluster: String,
    pub service: String,
    /// The service's addresses in document order (unparseable ones left out and diagnosed).
    pub addresses: Vec<ServiceAddress>,
    /// The server nodes: nodes of the service's cluster owning one of its addresses, in
    /// ascending node number.
    pub servers: Vec<Server>,
    /// One list per client (node online in the cluster), in ascending node number: index it for
    /// the client, read a list's entries with [`Lists::get`] or [`Lists::entries_into`].
    pub lists: Lists,
    /// Who serves whom, on first choice and after failures.
    pub load: ServiceLoad,
    /// For each address (indexed like `addresses`): how many clients cannot reach it.
    pub unreachable: Vec<usize>,
    /// The priority of each tier, highest first (`None` = the tier of addresses whose network
    /// sets no priority for the service, always last). `Entry::tier` indexes this.
    pub tiers: Vec<Option<i64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceAddress {
    pub ip: IpAddr,
    pub subnet: SubnetIx,
    /// The priority the subnet's network gives this service; `None` = last tier.
    pub priority: Option<i64>,
    /// The server node owning the address; `None` when no node of the cluster owns it (listed,
    /// serves no load, flagged).
    pub server: Option<ServerIx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Server {
    pub node: NodeIx,
    /// Node number in the service's cluster.
    pub number: u32,
    /// The service addresses this server owns.
    pub addresses: Vec<AddressIx>,
    /// The node is online in the service's cluster. A server that is not (online in another
    /// cluster, or in none) is down for this cluster, exactly as if it had failed: it keeps its
    /// row with 0 clients (docs/spec.md §4, "A node is active in one cluster only").
    pub online: bool,
}

impl Plan {
    /// The first node with this UID (document order).
    pub fn node_by_uid(&self, uid: &str) -> Option<NodeIx> {
        self.nodes.iter().position(|n| n.uid == uid)
    }

    /// The node defined to `cluster` with `number` (the first one, if the number is reused).
    pub fn node_by_number(&self, cluster: &str, number: u32) -> Option<NodeIx> {
        self.nodes.iter().position(|n| n.clusters.iter().any(|(c, x)| c == cluster && *x == number))
    }

    /// The service plan of `name` in `cluster`, with its index in [`Plan::services`].
    pub fn service(&self, cluster: &str, name: &str) -> Option<(usize, &ServicePlan)> {
        self.services.iter().enumerate().find(|(_, s)| s.cluster == cluster && s.service == name)
    }

    /// Hop distance between two subnets (`None` = unreachable or out of range).
    pub fn hops_between(&self, a: SubnetIx, b: SubnetIx) -> Option<u32> {
        self.hops.get(a, b)
    }

    /// The path from one subnet to another as (router index, subnet reached) steps, for
    /// drawing; empty when `from == to` or when there is no path.
    pub fn path(&self, from: SubnetIx, to: SubnetIx) -> Vec<(usize, SubnetIx)> {
        self.hops.path(from, to)
    }

    /// Text of an address of a service (`"10.0.0.1"`), or `"?"` out of range.
    pub fn address_text(&self, service: usize, address: AddressIx) -> String {
        self.services
            .get(service)
            .and_then(|s| s.addresses.get(address))
            .map_or_else(|| "?".to_owned(), |a| a.ip.to_string())
    }
}

impl ServicePlan {
    /// The list of a client node, if it is a client of this service.
    pub fn list_for_node(&self, node: NodeIx) -> Option<ClientList> {
        self.lists.get(self.lists.position(node)?)
    }

    /// Index into [`ServicePlan::lists`] of a client node's list.
    pub fn list_index(&self, node: NodeIx) -> Option<usize> {
        self.lists.position(node)
    }

    /// The server index of a node, if it serves this service.
    pub fn server_index(&self, node: NodeIx) -> Option<ServerIx> {
        self.servers.iter().position(|s| s.node == node)
    }

    /// For each client list: the server index of the client's own node, when it is one of the
    /// service's servers (a server online in the cluster is a client too).
    pub fn own_servers(&self) -> Vec<Option<ServerIx>> {
        let mut by_node: Vec<(NodeIx, ServerIx)> =
            self.servers.iter().enumerate().map(|(s, x)| (x.node, s)).collect();
        by_node.sort_unstable();
        self.lists
            .clients()
            .iter()
            .map(|c| by_node.binary_search_by_key(&c.node, |&(n, _)| n).ok().map(|i| by_node[i].1))
            .collect()
    }

    /// Which servers are up with no failure: online in the service's cluster.
    pub fn servers_up(&self) -> Vec<bool> {
        self.servers.iter().map(|s| s.online).collect()
    }

    /// The server indices of the given node numbers of the service's cluster, and the numbers
    /// that name no server of the service (in the order given).
    pub fn servers_by_number(&self, numbers: &[u32]) -> (Vec<ServerIx>, Vec<u32>) {
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        for &n in numbers {
            match self.servers.iter().position(|s| s.number == n) {
                Some(s) => found.push(s),
                None => unknown.push(n),
            }
        }
        (found, unknown)
    }

    /// The server indices of the given node uids (uids that serve nothing are left out).
    pub fn servers_by_uid<'a>(
        &self,
        nodes: &[NodeInfo],
        uids: impl IntoIterator<Item = &'a str>,
    ) -> Vec<ServerIx> {
        uids.into_iter()
            .filter_map(|uid| {
                self.servers.iter().position(|s| nodes.get(s.node).is_some_and(|n| n.uid == uid))
            })
            .collect()
    }
}
