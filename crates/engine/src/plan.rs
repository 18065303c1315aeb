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
}

/// Router hops between every pair of subnets, with what is needed to draw the path.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HopTable {
    /// Number of subnets (the table is `size x size`).
    pub size: usize,
    /// Row-major `size x size`; `None` = unreachable.
    pub hops: Vec<Option<u32>>,
    /// Row-major `size x size`: for a path from row to column, the (router index, next subnet)
    /// of its first step; `None` on the diagonal and when unreachable. Router indices are
    /// positions in `Document::routers`.
    pub first_step: Vec<Option<(usize, SubnetIx)>>,
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
    /// One list per client (node online in the cluster), in ascending node number.
    pub lists: Vec<ClientList>,
    /// Who serves whom, on first choice and after failures.
    pub load: ServiceLoad,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientList {
    pub node: NodeIx,
    /// The client's node number in the service's cluster (`n` of the rotation).
    pub number: u32,
    /// The service's addresses, reordered for this client; first = first choice.
    pub entries: Vec<Entry>,
}

/// One position of a client's ordered list, with the data that explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub address: AddressIx,
    /// 0 = highest-priority tier.
    pub tier: u16,
    /// One of the client's own addresses.
    pub local: bool,
    /// Distance from the client; `None` = unreachable (listed last in its tier, flagged).
    pub hops: Option<u32>,
    /// Size `m` of the equidistant group this entry was picked from (1 for a local entry).
    pub group_size: u16,
    /// Position of the address in its group sorted by address (0..m-1).
    pub group_index: u16,
    /// `k`: this entry was the k-th pick from its group.
    pub pick: u16,
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
    /// For each server: the largest load it gets when one other server fails, and which one
    /// (`None` when it is the only server: then it equals its first-choice load).
    pub worst_single_failure: Vec<(usize, Option<ServerIx>)>,
    /// `single_failures[f][s]`: load of server `s` when server `f` alone has failed.
    pub single_failures: Vec<Vec<usize>>,
    /// Clients left unserved when server `f` alone has failed.
    pub unserved_after_failure: Vec<usize>,
    /// max first-choice load / ideal (clients / servers); `None` without servers or clients.
    pub balance_first_choice: Option<f64>,
    /// max worst-single-failure load / ideal with one server fewer.
    pub balance_worst_failure: Option<f64>,
}
