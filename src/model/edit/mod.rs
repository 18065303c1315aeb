//! Edits of the document: a closed [`EditAction`] enum and [`apply`], pure and natively tested.
//!
//! Every way the editor changes the model goes through here, so undo/redo, autosave and the
//! live plan see one kind of change. Domain rules the editor needs (next free address, next
//! free node number, cascading renames, what a deletion takes with it) live here, not in
//! components.

mod clusters;
mod diagram;
mod document;
pub mod history;
pub mod net;
mod networks;
mod nodes;
mod routers;
mod services;
mod subnets;

use crate::model::layout::{Layout, Pt};
use clusterplan_engine::document::{Cluster, Network, Node, Quorum, Service};
use clusterplan_engine::{Document, Item};
use std::collections::HashSet;

/// An item of the diagram, named as the document names it (selection, deletion, diagnostics).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRef {
    Node(String),
    Subnet(String),
    Router(String),
    Cluster(String),
    Network(String),
    Service {
        cluster: String,
        name: String,
    },
    /// A node's interface: the link from a node to the subnet holding the address.
    Interface {
        uid: String,
        address: String,
    },
    /// A router's attachment to a subnet.
    RouterLink {
        router: String,
        subnet: String,
    },
}

impl ItemRef {
    /// The diagram item an engine diagnostic is about (`None` for the document itself).
    pub fn from_item(item: &Item) -> Option<ItemRef> {
        Some(match item {
            Item::Document => return None,
            Item::Cluster { id } => ItemRef::Cluster(id.clone()),
            Item::Network { name } => ItemRef::Network(name.clone()),
            Item::Subnet { prefix } => ItemRef::Subnet(prefix.clone()),
            Item::Router { name } => ItemRef::Router(name.clone()),
            Item::Node { uid } => ItemRef::Node(uid.clone()),
            Item::Address { node: Some(uid), .. } => ItemRef::Node(uid.clone()),
            Item::Address { node: None, .. } => return None,
            Item::Service { cluster, name } => {
                ItemRef::Service { cluster: cluster.clone(), name: name.clone() }
            }
        })
    }

    /// Whether the document (still) has this item.
    pub fn exists(&self, doc: &Document) -> bool {
        match self {
            ItemRef::Node(uid) => doc.nodes.iter().any(|n| &n.uid == uid),
            ItemRef::Subnet(p) => doc.subnets.iter().any(|s| &s.prefix == p),
            ItemRef::Router(r) => doc.routers.iter().any(|x| &x.name == r),
            ItemRef::Cluster(id) => doc.clusters.iter().any(|c| &c.id == id),
            ItemRef::Network(n) => doc.networks.iter().any(|x| &x.name == n),
            ItemRef::Service { cluster, name } => {
                doc.services.iter().any(|s| &s.cluster == cluster && &s.name == name)
            }
            ItemRef::Interface { uid, address } => {
                doc.nodes.iter().any(|n| &n.uid == uid && n.addresses.contains(address))
            }
            ItemRef::RouterLink { router, subnet } => {
                doc.routers.iter().any(|r| &r.name == router && r.subnets.contains(subnet))
            }
        }
    }

    /// Items with a position on the canvas (what a drag moves).
    pub fn is_placed(&self) -> bool {
        matches!(self, ItemRef::Node(_) | ItemRef::Subnet(_) | ItemRef::Router(_))
    }
}

/// What a registry-server edit does to a cluster's ordered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryOp {
    /// Append the node number (if absent).
    Add,
    Remove,
    /// Move it first: the primary.
    MakePrimary,
    /// One place towards the front.
    Up,
    /// One place towards the back.
    Down,
}

/// One change to the document. Closed: the editor changes the model in no other way.
#[derive(Debug, Clone, PartialEq)]
pub enum EditAction {
    /// A subnet with the next free /24 and the first network (one named `lan` is made if none).
    AddSubnet {
        at: Pt,
    },
    /// A router, attached to `subnet` when it was placed on one.
    AddRouter {
        at: Pt,
        subnet: Option<String>,
    },
    /// A node defined to the first cluster (made if none) with the next free node number and
    /// online there; attached to `subnet` (next free address) when placed on one.
    AddNode {
        at: Pt,
        subnet: Option<String>,
    },
    AddCluster,
    AddNetwork,
    /// A service of `cluster` (the first one when `None`): the registry when the cluster has
    /// none, prefilled with the registry server nodes' addresses.
    AddService {
        cluster: Option<String>,
    },
    /// Attach a node (next free address of the subnet) or a router to a subnet.
    Link {
        from: ItemRef,
        subnet: String,
    },
    /// Move placed items by a delta; with `snap`, the first item lands on the grid and the
    /// others keep their offsets to it.
    Move {
        items: Vec<ItemRef>,
        dx: f64,
        dy: f64,
        snap: bool,
    },
    ResizeSubnet {
        prefix: String,
        w: f64,
    },
    /// Delete items with what hangs on them (links, service addresses, registry entries).
    Delete(Vec<ItemRef>),
    /// Copies of nodes, routers and subnets, with fresh names and addresses, offset.
    Duplicate(Vec<ItemRef>),
    /// Recompute every position.
    AutoLayout,
    /// The document's `description` (a sentence about the model; empty removes it).
    SetDescription(String),
    /// The lifecycle scenario saved with the model (the `scenario` extension field, a whole
    /// `cluster-planner-scenario/1` document; `None` removes it).
    SetScenario(Option<Box<clusterplan_lifecycle::Scenario>>),

    SetNodeName {
        uid: String,
        name: String,
    },
    RenameNode {
        uid: String,
        new_uid: String,
    },
    /// Replace an interface address (services publishing it follow).
    SetAddress {
        uid: String,
        index: usize,
        address: String,
    },
    RemoveAddress {
        uid: String,
        address: String,
    },
    /// Define the node to a cluster with a number, or undefine it (`None`).
    SetMembership {
        uid: String,
        cluster: String,
        number: Option<u32>,
    },
    SetOnline {
        uid: String,
        cluster: Option<String>,
    },

    SetSubnetPrefix {
        prefix: String,
        new_prefix: String,
    },
    SetSubnetNetwork {
        prefix: String,
        network: String,
    },

    RenameRouter {
        name: String,
        new_name: String,
    },
    /// Attach or detach a router and a subnet.
    SetRouterLink {
        router: String,
        subnet: String,
        on: bool,
    },

    RenameCluster {
        id: String,
        new_id: String,
    },
    SetClusterName {
        id: String,
        name: String,
    },
    /// The cluster's quorum rule under a split (docs/spec.md §6): `none` (the source's, written
    /// as no `quorum` field) or `majority`.
    SetClusterQuorum {
        id: String,
        quorum: Quorum,
    },
    RegistryServer {
        cluster: String,
        number: u32,
        op: RegistryOp,
    },

    RenameNetwork {
        name: String,
        new_name: String,
    },
    /// The network's priority for a service; `None` removes it.
    SetPriority {
        network: String,
        service: String,
        priority: Option<i64>,
    },

    RenameService {
        cluster: String,
        name: String,
        new_name: String,
    },
    SetServiceCluster {
        cluster: String,
        name: String,
        new_cluster: String,
    },
    /// Publish (or withdraw) the service at an address.
    SetServiceAddress {
        cluster: String,
        name: String,
        address: String,
        on: bool,
    },
    /// Set the service's addresses to the registry server nodes' (primary first).
    FillFromRegistry {
        cluster: String,
        name: String,
    },
}

/// Why an edit was refused (the document is left as it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The result of an edit: the new document, the items it made (selected afterwards) and the
/// items it renamed (old name, new name: a selection follows them).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub doc: Document,
    pub created: Vec<ItemRef>,
    pub renamed: Vec<(ItemRef, ItemRef)>,
}

fn refuse<T>(text: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(text.into()))
}

/// The first `{stem}{k}` (k = 1, 2, ...) not in `taken`.
pub fn next_name(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|k| format!("{stem}{k}")).find(|n| !taken(n)).expect("a free name exists")
}

/// Reads a node number typed by the user: a whole number from 1.
pub fn parse_node_number(text: &str) -> Result<u32, EditError> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(n) if n < 1 => refuse(format!("{t} is not a node number: node numbers start at 1")),
        Ok(n) => u32::try_from(n)
            .or_else(|_| refuse(format!("{t} is not a node number: it is too large"))),
        Err(_) if t.is_empty() => refuse("a node number cannot be empty"),
        Err(_) => refuse(format!("{t} is not a node number: write a whole number from 1")),
    }
}

/// The smallest node number (from 1) no node of `cluster` uses.
pub fn next_node_number(doc: &Document, cluster: &str) -> u32 {
    let used: HashSet<u32> =
        doc.nodes.iter().filter_map(|n| n.clusters.get(cluster).copied()).collect();
    (1..).find(|k| !used.contains(k)).expect("a free number exists")
}

/// A cluster id for a new cluster: `A`..`Z`, then `C27`, `C28`, ...
pub fn next_cluster_id(doc: &Document) -> String {
    let taken = |id: &str| doc.clusters.iter().any(|c| c.id == id);
    ('A'..='Z')
        .map(String::from)
        .find(|id| !taken(id))
        .unwrap_or_else(|| (27..).map(|k| format!("C{k}")).find(|id| !taken(id)).expect("free id"))
}

/// The addresses of a cluster's registry server nodes, primary first (each node's interfaces
/// in document order).
pub fn registry_addresses(doc: &Document, cluster: &str) -> Vec<String> {
    let Some(c) = doc.clusters.iter().find(|c| c.id == cluster) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for number in &c.registry_servers {
        for node in doc.nodes.iter().filter(|n| n.clusters.get(cluster) == Some(number)) {
            for a in &node.addresses {
                if !out.contains(a) {
                    out.push(a.clone());
                }
            }
        }
    }
    out
}

/// Nodes (uids) whose interfaces include an address on `prefix`, with those addresses.
fn addresses_on(doc: &Document, prefix: &str) -> Vec<(String, String)> {
    let index = net::SubnetIndex::new(doc);
    doc.nodes
        .iter()
        .flat_map(|n| n.addresses.iter().map(move |a| (n, a)))
        .filter(|(_, a)| index.subnet_of(a) == Some(prefix))
        .map(|(n, a)| (n.uid.clone(), a.clone()))
        .collect()
}

fn node_mut<'a>(doc: &'a mut Document, uid: &str) -> Result<&'a mut Node, EditError> {
    match doc.nodes.iter_mut().find(|n| n.uid == uid) {
        Some(n) => Ok(n),
        None => refuse(format!("there is no node {uid}")),
    }
}

fn service_mut<'a>(
    doc: &'a mut Document,
    cluster: &str,
    name: &str,
) -> Result<&'a mut Service, EditError> {
    match doc.services.iter_mut().find(|s| s.cluster == cluster && s.name == name) {
        Some(s) => Ok(s),
        None => refuse(format!("there is no service {name} in cluster {cluster}")),
    }
}

fn cluster_mut<'a>(doc: &'a mut Document, id: &str) -> Result<&'a mut Cluster, EditError> {
    match doc.clusters.iter_mut().find(|c| c.id == id) {
        Some(c) => Ok(c),
        None => refuse(format!("there is no cluster {id}")),
    }
}

fn ensure_network(doc: &mut Document) -> String {
    if let Some(n) = doc.networks.first() {
        return n.name.clone();
    }
    doc.networks.push(Network { name: "lan".into(), ..Default::default() });
    "lan".into()
}

fn ensure_cluster(doc: &mut Document) -> String {
    if let Some(c) = doc.clusters.first() {
        return c.id.clone();
    }
    let id = next_cluster_id(doc);
    doc.clusters.push(Cluster {
        name: format!("cluster {id}"),
        id: id.clone(),
        ..Default::default()
    });
    id
}

/// Removes addresses from every service (a deleted interface takes its publications along).
fn withdraw(doc: &mut Document, gone: &HashSet<String>) {
    for s in &mut doc.services {
        s.addresses.retain(|a| !gone.contains(a));
    }
}

fn trimmed(text: &str, what: &str) -> Result<String, EditError> {
    let t = text.trim();
    if t.is_empty() {
        refuse(format!("{what} cannot be empty"))
    } else {
        Ok(t.to_owned())
    }
}

/// The document's extension field for a sentence about the model (`docs/format.md`).
pub const DESCRIPTION: &str = "description";

/// The document's extension field for the lifecycle scenario saved with it (`docs/format.md`).
pub const SCENARIO: &str = "scenario";

/// The scenario saved with the model: `None` without one, `Err` (why) when the field is not a
/// scenario.
pub fn scenario(doc: &Document) -> Option<Result<clusterplan_lifecycle::Scenario, String>> {
    let value = doc.extra.get(SCENARIO)?;
    Some(
        clusterplan_lifecycle::scenario::read(&value.to_string())
            .map_err(|e| format!("the model's scenario field is not a scenario: {e}")),
    )
}

/// The document's description, if it has one (a string).
pub fn description(doc: &Document) -> &str {
    doc.extra.get(DESCRIPTION).and_then(serde_json::Value::as_str).unwrap_or_default()
}

impl EditAction {
    /// Whether the edit places, moves or re-keys positioned items, so [`apply`] reads the
    /// positions first and writes them back. Every variant is listed: a new one does not
    /// compile until it is classified.
    pub fn touches_layout(&self) -> bool {
        match self {
            EditAction::AddSubnet { .. }
            | EditAction::AddRouter { .. }
            | EditAction::AddNode { .. }
            | EditAction::Move { .. }
            | EditAction::ResizeSubnet { .. }
            | EditAction::Delete(_)
            | EditAction::Duplicate(_)
            | EditAction::AutoLayout
            | EditAction::RenameNode { .. }
            | EditAction::SetSubnetPrefix { .. }
            | EditAction::RenameRouter { .. } => true,
            EditAction::AddCluster
            | EditAction::AddNetwork
            | EditAction::AddService { .. }
            | EditAction::Link { .. }
            | EditAction::SetDescription(_)
            | EditAction::SetScenario(_)
            | EditAction::SetNodeName { .. }
            | EditAction::SetAddress { .. }
            | EditAction::RemoveAddress { .. }
            | EditAction::SetMembership { .. }
            | EditAction::SetOnline { .. }
            | EditAction::SetSubnetNetwork { .. }
            | EditAction::SetRouterLink { .. }
            | EditAction::RenameCluster { .. }
            | EditAction::SetClusterName { .. }
            | EditAction::SetClusterQuorum { .. }
            | EditAction::RegistryServer { .. }
            | EditAction::RenameNetwork { .. }
            | EditAction::SetPriority { .. }
            | EditAction::RenameService { .. }
            | EditAction::SetServiceCluster { .. }
            | EditAction::SetServiceAddress { .. }
            | EditAction::FillFromRegistry { .. } => false,
        }
    }
}

/// What an edit works on: the document, its positions (empty unless the edit
/// [touches the layout](EditAction::touches_layout)) and the items it made and renamed.
struct Work {
    d: Document,
    lay: Layout,
    created: Vec<ItemRef>,
    renamed: Vec<(ItemRef, ItemRef)>,
}

/// Applies one edit. Pure: the same document and edit always give the same result.
pub fn apply(doc: &Document, edit: &EditAction) -> Result<Outcome, EditError> {
    // Positions are needed by the edits that place or move things (and the renames that re-key
    // them); read them once.
    let needs_layout = edit.touches_layout();
    let lay = if needs_layout { Layout::complete(doc) } else { Layout::default() };
    let mut work = Work { d: doc.clone(), lay, created: Vec::new(), renamed: Vec::new() };
    match edit {
        EditAction::AddNode { .. }
        | EditAction::SetNodeName { .. }
        | EditAction::RenameNode { .. }
        | EditAction::SetAddress { .. }
        | EditAction::RemoveAddress { .. }
        | EditAction::SetMembership { .. }
        | EditAction::SetOnline { .. } => nodes::apply(&mut work, edit)?,
        EditAction::AddSubnet { .. }
        | EditAction::ResizeSubnet { .. }
        | EditAction::SetSubnetPrefix { .. }
        | EditAction::SetSubnetNetwork { .. } => subnets::apply(&mut work, edit)?,
        EditAction::AddRouter { .. }
        | EditAction::RenameRouter { .. }
        | EditAction::SetRouterLink { .. } => routers::apply(&mut work, edit)?,
        EditAction::AddCluster
        | EditAction::RenameCluster { .. }
        | EditAction::SetClusterName { .. }
        | EditAction::SetClusterQuorum { .. }
        | EditAction::RegistryServer { .. } => clusters::apply(&mut work, edit)?,
        EditAction::AddNetwork
        | EditAction::RenameNetwork { .. }
        | EditAction::SetPriority { .. } => networks::apply(&mut work, edit)?,
        EditAction::AddService { .. }
        | EditAction::RenameService { .. }
        | EditAction::SetServiceCluster { .. }
        | EditAction::SetServiceAddress { .. }
        | EditAction::FillFromRegistry { .. } => services::apply(&mut work, edit)?,
        EditAction::Link { .. }
        | EditAction::Move { .. }
        | EditAction::Delete(_)
        | EditAction::Duplicate(_)
        | EditAction::AutoLayout => diagram::apply(&mut work, edit)?,
        EditAction::SetDescription(_) | EditAction::SetScenario(_) => {
            document::apply(&mut work, edit)?
        }
    }
    let Work { mut d, lay, created, renamed } = work;
    if needs_layout {
        lay.write(&mut d);
    }
    Ok(Outcome { doc: d, created, renamed })
}

#[cfg(test)]
mod tests;
