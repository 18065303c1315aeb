//! What a design review finds, as plain data: the items, services, servers and client lists
//! before and after a change, and the facts that `text.rs` puts into words (no English here).

use crate::diagnostics::{Diagnostic, Item};
use crate::failures::FailureSet;
use crate::strategy::Strategy;
use serde::Serialize;

/// What happened to an item between the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// A figure before and after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Side<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Side<T> {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// One item of the document added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    pub change: Change,
    /// The item, named as the document names it (the app selects it with this).
    pub item: Item,
    /// What changed, one phrase per field (`name: "a" -> "b"`, a [`Field`] in words); empty
    /// when added or removed.
    pub fields: Vec<String>,
}

/// Everything a change to the model does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The strategy both plans were ordered with.
    pub strategy: Strategy,
    /// Clusters, networks, subnets, routers, nodes, services, in that order; in each kind the
    /// removed and changed items in the before document's order, then the added ones in the
    /// after document's order.
    pub items: Vec<ItemChange>,
    /// Every service of either plan, sorted by cluster id then name.
    pub services: Vec<ServiceDiff>,
    /// Diagnostics of the after plan that the before plan does not have.
    pub diagnostics_appeared: Vec<Diagnostic>,
    /// Diagnostics of the before plan that the after plan no longer has.
    pub diagnostics_gone: Vec<Diagnostic>,
    /// The failure set both plans were compiled under (docs/spec.md §2): its routers and
    /// subnets are part of both networks. Empty (and not written) when nothing failed.
    #[serde(skip_serializing_if = "FailureSet::is_empty")]
    pub failures: FailureSet,
}

impl Diff {
    /// Nothing differs: no item, list, load or diagnostic.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
            && self.services.iter().all(ServiceDiff::unchanged)
            && self.diagnostics_appeared.is_empty()
            && self.diagnostics_gone.is_empty()
    }
}

/// One service (cluster id + name) before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceDiff {
    pub cluster: String,
    pub service: String,
    /// `Some(Added)` / `Some(Removed)` when the service exists on one side only.
    pub presence: Option<Change>,
    pub clients: Side<usize>,
    pub unserved: Side<usize>,
    /// Max first-choice load / ideal (see the plan's `ServiceLoad`).
    pub balance_first_choice: Side<Option<f64>>,
    /// Max worst-single-failure load / ideal with one server fewer.
    pub balance_worst_failure: Side<Option<f64>>,
    /// Every server of either side, by node: in the after plan's order (ascending node
    /// number), then the servers that are gone.
    pub servers: Vec<ServerDiff>,
    /// The clients whose ordered list changed: those that move to another first-choice server
    /// first, then by node number.
    pub lists: Vec<ListChange>,
    /// How many of `lists` move to another first-choice server.
    pub clients_moved: usize,
    /// The worst single router failure on each side (docs/spec.md §2; `None` on a side where
    /// no router's failure hurts), when asked for ([`super::add_router_failures`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst_router_failure: Option<Side<Option<RouterWorst>>>,
}

/// A service's worst single router failure on one side of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouterWorst {
    pub router: String,
    /// The largest load any server gets with the router failed.
    pub largest: usize,
    /// The clients it leaves unserved.
    pub unserved: usize,
}

impl ServiceDiff {
    /// Nothing about the service changed: same lists, loads, balance and clients.
    pub fn unchanged(&self) -> bool {
        self.presence.is_none()
            && self.worst_router_failure.as_ref().is_none_or(|w| !w.changed())
            && self.lists.is_empty()
            && !self.clients.changed()
            && !self.unserved.changed()
            && self.servers.iter().all(|s| {
                !s.number.changed()
                    && !s.first_choice.changed()
                    && !s.worst_single_failure.changed()
            })
    }
}

/// One server node of a service before and after (a side where it is not a server of the
/// service has no number and no load).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerDiff {
    pub uid: String,
    /// Node number in the service's cluster; `None` = not a server of it on that side.
    pub number: Side<Option<u32>>,
    pub first_choice: Side<usize>,
    pub worst_single_failure: Side<usize>,
    /// after - before.
    pub first_choice_delta: i64,
    pub worst_single_failure_delta: i64,
}

/// One client whose ordered list of a service changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListChange {
    pub uid: String,
    /// Node number in the service's cluster; `None` = not a client on that side.
    pub number: Side<Option<u32>>,
    /// The ordered addresses.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Node number of the server serving it on first choice (`None` = unserved or no client).
    pub server: Side<Option<u32>>,
    /// The change in words, one phrase each ("10.0.1.3 moved from 2nd to 1st": a
    /// [`ListStep`] in words).
    pub words: Vec<String>,
}

impl ListChange {
    /// A client before and after whose first-choice server is another one after the change.
    pub fn moved(&self) -> bool {
        self.number.before.is_some() && self.number.after.is_some() && self.server.changed()
    }
}

/// One field of an item that differs, before it is put into words.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<'a> {
    /// A text field (`name`, `network`).
    Text { name: &'a str, before: &'a str, after: &'a str },
    /// A cluster's registry servers (node numbers).
    RegistryServers { before: &'a [u32], after: &'a [u32] },
    /// A network's priority of a service (`None` = none).
    Priority { service: &'a str, before: Option<i64>, after: Option<i64> },
    /// A node's number in a cluster it is defined to on both sides.
    NodeNumber { cluster: &'a str, before: u32, after: u32 },
    /// A node defined to a cluster it was not defined to, as this number.
    Defined { cluster: &'a str, number: u32 },
    /// A node no longer defined to a cluster, where it had this number.
    Undefined { cluster: &'a str, was: u32 },
    /// The cluster a node is online in (`None` = none).
    Online { before: Option<&'a str>, after: Option<&'a str> },
    /// A field whose order does not matter: the values added and removed.
    Set { name: &'a str, added: Vec<String>, removed: Vec<String> },
    /// An extension field (`None` = absent on that side).
    Extra {
        key: &'a str,
        before: Option<&'a serde_json::Value>,
        after: Option<&'a serde_json::Value>,
    },
}

/// One step of a list's change, before it is put into words; positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStep<'a> {
    /// The node became a client: its whole list.
    NowClient(&'a [String]),
    NoLongerClient,
    Added {
        address: &'a str,
        at: usize,
    },
    Moved {
        address: &'a str,
        from: usize,
        to: usize,
    },
    Removed {
        address: &'a str,
        was: usize,
    },
    /// The same list, another first-choice server (a server went down or came up).
    SameList,
}
