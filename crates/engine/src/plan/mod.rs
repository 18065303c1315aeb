//! The plan: everything the engine computed for one model, as plain data (stage 3 of 3).
//!
//! Fields are public and named in the UI's words. Items refer to each other by index into the
//! plan's own vectors (`nodes`, `subnets`, a service's `addresses` and `servers`), which keeps a
//! 10k-node plan compact; helpers on these types turn indices back into text.

use crate::diagnostics::Diagnostic;
use crate::strategy::Strategy;
use serde::Serialize;
use std::net::IpAddr;

/// Index into [`Plan::nodes`].
pub type NodeIx = usize;
/// Index into [`Plan::subnets`].
pub type SubnetIx = usize;
/// Index into [`ServicePlan::addresses`].
pub type AddressIx = usize;
/// Index into [`ServicePlan::servers`].
pub type ServerIx = usize;

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

pub use crate::explain::Explanation;
pub(crate) mod hop_table;
pub(crate) mod lists;

pub use hop_table::HopTable;
pub use lists::{Client, Lists};

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

/// One client's ordered list, written out (see [`Lists::get`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientList {
    pub node: NodeIx,
    /// The client's node number in the service's cluster (`n` of the rotation).
    pub number: u32,
    /// The service's addresses, reordered for this client; first = first choice.
    pub entries: Vec<Entry>,
}

/// One position of a client's ordered list, with the data that explains it.
///
/// 16 bytes: a 10k-node plan holds 2.56 M of them. Read the address and the hop distance with
/// [`Entry::address`] and [`Entry::hops`] (the raw fields are compact encodings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into [`ServicePlan::addresses`] (as `u32`; see [`Entry::address`]).
    pub address_ix: u32,
    /// Distance from the client; [`Entry::UNREACHABLE`] = unreachable (listed last in its tier,
    /// flagged). See [`Entry::hops`].
    pub hop_count: u16,
    /// 0 = highest-priority tier.
    pub tier: u16,
    /// Size `m` of the equidistant group this entry was picked from (1 for a local entry).
    pub group_size: u16,
    /// Position of the address in its group sorted by address (0..m-1).
    pub group_index: u16,
    /// `k`: this entry was the k-th pick from its group.
    pub pick: u16,
    /// One of the client's own addresses.
    pub local: bool,
}

impl Entry {
    /// `hop_count` of an unreachable address.
    pub const UNREACHABLE: u16 = u16::MAX;

    /// The address: an index into [`ServicePlan::addresses`].
    pub fn address(&self) -> AddressIx {
        self.address_ix as AddressIx
    }

    /// Distance from the client in router hops; `None` = unreachable.
    pub fn hops(&self) -> Option<u32> {
        (self.hop_count != Self::UNREACHABLE).then_some(u32::from(self.hop_count))
    }

    /// Encodes a hop distance (saturating at 65,534 hops, far beyond any drawn network).
    pub fn encode_hops(hops: Option<u32>) -> u16 {
        hops.map_or(Self::UNREACHABLE, |h| h.min(u32::from(Self::UNREACHABLE) - 1) as u16)
    }
}

/// Serialised with the plain meanings: `address` (index), `hops` (`null` = unreachable).
impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Entry", 7)?;
        s.serialize_field("address", &self.address())?;
        s.serialize_field("tier", &self.tier)?;
        s.serialize_field("local", &self.local)?;
        s.serialize_field("hops", &self.hops())?;
        s.serialize_field("group_size", &self.group_size)?;
        s.serialize_field("group_index", &self.group_index)?;
        s.serialize_field("pick", &self.pick)?;
        s.end()
    }
}

/// Loads of one service. Server vectors are indexed like [`ServicePlan::servers`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServiceLoad {
    /// Number of clients.
    pub clients: usize,
    /// First-choice clients of each server.
    pub first_choice: Vec<usize>,
    /// Clients with no reachable, owned address at all.
    pub unserved: usize,
    /// For each server: the largest load it gets when any one other server fails, and the
    /// failure that causes it. The cause is named only when that failure raises the load above
    /// first choice; `None` = no single failure adds to it (the load is its first-choice load).
    pub worst_single_failure: Vec<(usize, Option<ServerIx>)>,
    /// `single_failures[f][s]`: load of server `s` when server `f` alone has failed. A failed
    /// node is no client either, so its own list no longer counts. A server that is down
    /// already (not online in the cluster) changes nothing when it fails: its row is the
    /// first-choice load.
    pub single_failures: Vec<Vec<usize>>,
    /// Clients left unserved when server `f` alone has failed (the failed node not counted).
    pub unserved_after_failure: Vec<usize>,
    /// max first-choice load / ideal (clients / servers in play, i.e. online in the cluster);
    /// `None` without such servers or without clients.
    pub balance_first_choice: Option<f64>,
    /// max worst-single-failure load / ideal with one server and its node fewer ((clients - 1)
    /// / (servers in play - 1)); `None` with fewer than two servers in play or two clients.
    pub balance_worst_failure: Option<f64>,
    /// For each client list (indexed like [`ServicePlan::lists`]): the server it is served by on
    /// first choice; `None` = unserved.
    pub serving: Vec<Option<ServerIx>>,
    /// For each client list: the server it falls to when its first-choice server fails; `None`
    /// when it has no other reachable server (or is unserved already).
    pub fallback: Vec<Option<ServerIx>>,
}

/// Loads with a chosen set of failed server nodes (see [`ServicePlan::failover`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FailoverLoad {
    /// The failed servers, sorted and without duplicates (out-of-range indices dropped).
    pub failed: Vec<ServerIx>,
    /// Clients still counted: a failed node is no client (its own list no longer counts).
    pub clients: usize,
    /// Servers still up: online in the cluster and not failed.
    pub servers_up: usize,
    /// Clients served by each server (indexed like [`ServicePlan::servers`]; 0 for failed ones).
    pub load: Vec<usize>,
    /// max load / ideal (clients / servers up), as [`ServiceLoad::balance_first_choice`].
    pub balance: Option<f64>,
    /// Clients with no reachable server left up.
    pub unserved: usize,
    /// For each server: its largest load when one more server fails on top of `failed`, and
    /// that failure when it raises the load (as [`ServiceLoad::worst_single_failure`]).
    pub worst_single_failure: Vec<(usize, Option<ServerIx>)>,
    /// For each client list: the server now serving it (`None` = unserved, or the client's
    /// node is one of the failed servers: see [`FailoverLoad::failed_client`]).
    pub serving: Vec<Option<ServerIx>>,
    /// For each client list: its node is one of the failed nodes, so it is no client now.
    pub failed_client: Vec<bool>,
    /// The clients whose server changed compared with first choice, in list order.
    pub moved: Vec<Move>,
}

/// A client that moved from one server to another (or to none) after failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Move {
    /// Index into [`ServicePlan::lists`].
    pub list: usize,
    pub node: NodeIx,
    /// The first-choice server (`None` never happens for a moved client that was served, kept
    /// for symmetry).
    pub from: Option<ServerIx>,
    /// The server serving it now; `None` = it is unserved now.
    pub to: Option<ServerIx>,
}

/// The ideal load of a server: clients / servers in play (docs/spec.md §4, "Balance"); `None`
/// without servers.
pub fn ideal_load(clients: usize, servers: usize) -> Option<f64> {
    (servers > 0).then(|| clients as f64 / servers as f64)
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

    /// The explanation of one list entry (see [`crate::explain()`]); `None` for indices out of
    /// range.
    pub fn explain(&self, service: usize, list: usize, entry: usize) -> Option<Explanation> {
        crate::explain::explain(self, service, list, entry)
    }

    /// The explanations of every entry of one list, in order (see [`crate::explain::explain_list`]).
    pub fn explain_list(&self, service: usize, list: usize) -> Vec<Explanation> {
        crate::explain::explain_list(self, service, list)
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

    /// Loads with any set of failed server nodes: each client is served by the first address of
    /// its list that it can reach and whose server is up.
    pub fn failover(&self, failed: &[ServerIx]) -> FailoverLoad {
        crate::load::failover(self, failed, &[])
    }

    /// Loads with a set of failed nodes, servers or not: the failed servers serve no one, and
    /// no failed node counts as a client (docs/spec.md §4, "A failure is a node failure").
    pub fn failover_of_nodes(&self, nodes: &[NodeIx]) -> FailoverLoad {
        let servers: Vec<ServerIx> =
            (0..self.servers.len()).filter(|&s| nodes.contains(&self.servers[s].node)).collect();
        crate::load::failover(self, &servers, nodes)
    }
}
