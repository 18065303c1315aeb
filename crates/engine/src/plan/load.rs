//! The plan's load figures as plain data: first choice, every single failure, a chosen failure
//! set, and the ideal load balance is measured against (computed by the compile's `load`).

use super::entry::{NodeIx, ServerIx};
use serde::Serialize;

/// Loads of one service. Server vectors are indexed like [`super::ServicePlan::servers`].
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
    /// `single_failures.row(f)[s]`: load of server `s` when server `f` alone has failed. A
    /// failed node is no client either, so its own list no longer counts. A server that is down
    /// already (not online in the cluster) changes nothing when it fails: its row is the
    /// first-choice load. Kept sparse (what each failure moves), so a service of N servers
    /// costs N + clients, not N x N (docs/reliability.md, "Bounded cost").
    pub single_failures: SingleFailures,
    /// Clients left unserved when server `f` alone has failed (the failed node not counted).
    pub unserved_after_failure: Vec<usize>,
    /// max first-choice load / ideal (clients / servers in play, i.e. online in the cluster);
    /// `None` without such servers or without clients.
    pub balance_first_choice: Option<f64>,
    /// max worst-single-failure load / ideal with one server and its node fewer ((clients - 1)
    /// / (servers in play - 1)); `None` with fewer than two servers in play or two clients.
    pub balance_worst_failure: Option<f64>,
    /// For each client list (indexed like [`super::ServicePlan::lists`]): the server it is served by on
    /// first choice; `None` = unserved.
    pub serving: Vec<Option<ServerIx>>,
    /// For each client list: the server it falls to when its first-choice server fails; `None`
    /// when it has no other reachable server (or is unserved already).
    pub fallback: Vec<Option<ServerIx>>,
}

/// The load of every server after each single failure, as what each failure moves: server `f`'s
/// clients fall to other servers (`gains`), its node leaves its own first choice, and it serves
/// no one. [`SingleFailures::row`] writes one failure's loads out. Serialises as the rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SingleFailures {
    pub(crate) first_choice: Vec<usize>,
    pub(crate) up: Vec<bool>,
    /// `gains[start[f]..start[f + 1]]`: (server, clients of `f` falling to it), by server.
    pub(crate) start: Vec<usize>,
    pub(crate) gains: Vec<(ServerIx, usize)>,
    /// The first choice of server `f`'s node as a client, when it is another server.
    pub(crate) own_first: Vec<Option<ServerIx>>,
}

impl SingleFailures {
    /// Number of servers (rows).
    pub fn len(&self) -> usize {
        self.first_choice.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first_choice.is_empty()
    }

    /// What failure `f` moves: (server, clients of `f` falling to it), by server.
    pub fn gains(&self, f: ServerIx) -> &[(ServerIx, usize)] {
        match (self.start.get(f), self.start.get(f + 1)) {
            (Some(&a), Some(&b)) => &self.gains[a..b],
            _ => &[],
        }
    }

    /// The load of every server when server `f` alone has failed (empty when `f` is out of
    /// range).
    pub fn row(&self, f: ServerIx) -> Vec<usize> {
        if f >= self.len() {
            return Vec::new();
        }
        let mut row = self.first_choice.clone();
        if self.up[f] {
            row[f] = 0;
            for &(s, clients) in self.gains(f) {
                row[s] += clients;
            }
            if let Some(g) = self.own_first[f] {
                row[g] -= 1;
            }
        }
        row
    }
}

impl Serialize for SingleFailures {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for f in 0..self.len() {
            seq.serialize_element(&self.row(f))?;
        }
        seq.end()
    }
}

/// Loads with a chosen set of failed server nodes (see [`super::ServicePlan::failover`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FailoverLoad {
    /// The failed servers, sorted and without duplicates (out-of-range indices dropped).
    pub failed: Vec<ServerIx>,
    /// Clients still counted: a failed node is no client (its own list no longer counts).
    pub clients: usize,
    /// Servers still up: online in the cluster and not failed.
    pub servers_up: usize,
    /// Clients served by each server (indexed like [`super::ServicePlan::servers`]; 0 for failed ones).
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
    /// Index into [`super::ServicePlan::lists`].
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
