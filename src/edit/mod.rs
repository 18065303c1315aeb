//! Edits of the document: a closed [`EditAction`] enum and [`apply`], pure and natively tested.
//!
//! Every way the editor changes the model goes through here, so undo/redo, autosave and the
//! live plan see one kind of change. Domain rules the editor needs (next free address, next
//! free node number, cascading renames, what a deletion takes with it) live here, not in
//! components.

pub mod history;
pub mod net;

use crate::layout::{self, auto_layout, snap, Bar, Layout, Pt};
use clusterplan_engine::document::{Cluster, Network, Node, Router, Service, Subnet};
use clusterplan_engine::{Document, Item};
use std::collections::{BTreeSet, HashSet};

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

/// Applies one edit. Pure: the same document and edit always give the same result.
pub fn apply(doc: &Document, edit: &EditAction) -> Result<Outcome, EditError> {
    let mut d = doc.clone();
    let mut created = Vec::new();
    let mut renamed = Vec::new();
    // Positions are needed by the edits that place or move things (and the renames that re-key
    // them); read them once.
    let needs_layout = matches!(
        edit,
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
            | EditAction::RenameRouter { .. }
    );
    let mut lay = if needs_layout { Layout::complete(doc) } else { Layout::default() };

    match edit {
        EditAction::AddSubnet { at } => {
            let prefix = net::next_free_prefix(&d);
            let network = ensure_network(&mut d);
            d.subnets.push(Subnet { prefix: prefix.clone(), network, ..Default::default() });
            let p = snap(Pt::new(at.x - layout::SUBNET_W / 2.0, at.y), true);
            lay.subnets.insert(prefix.clone(), Bar { x: p.x, y: p.y, w: layout::SUBNET_W });
            created.push(ItemRef::Subnet(prefix));
        }
        EditAction::AddRouter { at, subnet } => {
            let name = next_name("r", |n| d.routers.iter().any(|r| r.name == n));
            let subnets = subnet
                .iter()
                .filter(|p| d.subnets.iter().any(|s| &&s.prefix == p))
                .cloned()
                .collect();
            d.routers.push(Router { name: name.clone(), subnets, ..Default::default() });
            // Placed on a subnet: beside its bar (the end nearer the click), level with it, so
            // the link is short and straight and the label clear of it.
            let p = match subnet.as_ref().and_then(|s| lay.subnets.get(s)).copied() {
                Some(bar) => lay.router_beside(bar, at.x),
                None => *at,
            };
            lay.routers.insert(name.clone(), p);
            created.push(ItemRef::Router(name));
        }
        EditAction::AddNode { at, subnet } => {
            let cluster = ensure_cluster(&mut d);
            let number = next_node_number(&d, &cluster);
            let uid = next_name("n", |u| d.nodes.iter().any(|n| n.uid == u));
            let mut node = Node {
                uid: uid.clone(),
                name: format!("node {number}"),
                online: Some(cluster.clone()),
                ..Default::default()
            };
            node.clusters.insert(cluster, number);
            if let Some(prefix) = subnet {
                if let Some(a) = net::next_free_address(&d, prefix) {
                    node.addresses.push(a);
                }
            }
            d.nodes.push(node);
            // Placed on a subnet: the next free slot along its bar (the bar grows to hold it).
            let p = match subnet.as_ref().and_then(|s| lay.subnets.get(s).map(|b| (s, *b))) {
                Some((prefix, bar)) => {
                    let p = lay.free_slot(bar);
                    if let Some(b) = lay.subnets.get_mut(prefix) {
                        b.w = b.w.max(p.x + layout::NODE_W - b.x);
                    }
                    p
                }
                None => {
                    snap(Pt::new(at.x - layout::NODE_W / 2.0, at.y - layout::NODE_H / 2.0), true)
                }
            };
            lay.nodes.insert(uid.clone(), p);
            created.push(ItemRef::Node(uid));
        }
        EditAction::AddCluster => {
            let id = next_cluster_id(&d);
            d.clusters.push(Cluster {
                name: format!("cluster {id}"),
                id: id.clone(),
                ..Default::default()
            });
            created.push(ItemRef::Cluster(id));
        }
        EditAction::AddNetwork => {
            let name = if d.networks.is_empty() {
                "lan".to_owned()
            } else {
                next_name("net", |n| d.networks.iter().any(|x| x.name == n))
            };
            d.networks.push(Network { name: name.clone(), ..Default::default() });
            created.push(ItemRef::Network(name));
        }
        EditAction::AddService { cluster } => {
            let cluster = match cluster {
                Some(c) if d.clusters.iter().any(|x| &x.id == c) => c.clone(),
                Some(c) => return refuse(format!("there is no cluster {c}")),
                None => ensure_cluster(&mut d),
            };
            let has = |n: &str| d.services.iter().any(|s| s.cluster == cluster && s.name == n);
            let name =
                if has("registry") { next_name("service", has) } else { "registry".to_owned() };
            let addresses =
                if name == "registry" { registry_addresses(&d, &cluster) } else { Vec::new() };
            d.services.push(Service {
                name: name.clone(),
                cluster: cluster.clone(),
                addresses,
                ..Default::default()
            });
            created.push(ItemRef::Service { cluster, name });
        }
        EditAction::Link { from, subnet } => {
            if !d.subnets.iter().any(|s| &s.prefix == subnet) {
                return refuse(format!("there is no subnet {subnet}"));
            }
            match from {
                ItemRef::Node(uid) => {
                    let index = net::SubnetIndex::new(&d);
                    let node = d.nodes.iter().find(|n| &n.uid == uid);
                    let Some(node) = node else { return refuse(format!("there is no node {uid}")) };
                    if node.addresses.iter().any(|a| index.subnet_of(a) == Some(subnet.as_str())) {
                        return refuse(format!("node {uid} already has an interface on {subnet}"));
                    }
                    let Some(address) = net::next_free_address(&d, subnet) else {
                        return refuse(format!("subnet {subnet} has no free address"));
                    };
                    node_mut(&mut d, uid)?.addresses.push(address.clone());
                    created.push(ItemRef::Interface { uid: uid.clone(), address });
                }
                ItemRef::Router(name) => {
                    let Some(r) = d.routers.iter_mut().find(|r| &r.name == name) else {
                        return refuse(format!("there is no router {name}"));
                    };
                    if r.subnets.contains(subnet) {
                        return refuse(format!("router {name} is already attached to {subnet}"));
                    }
                    r.subnets.push(subnet.clone());
                    created
                        .push(ItemRef::RouterLink { router: name.clone(), subnet: subnet.clone() });
                }
                _ => return refuse("only nodes and routers attach to subnets"),
            }
        }
        EditAction::Move { items, dx, dy, snap: on } => {
            let origin = |item: &ItemRef| -> Option<Pt> {
                match item {
                    ItemRef::Node(u) => lay.nodes.get(u).copied(),
                    ItemRef::Router(r) => lay.routers.get(r).copied(),
                    ItemRef::Subnet(p) => lay.subnets.get(p).map(|b| Pt::new(b.x, b.y)),
                    _ => None,
                }
            };
            let Some(first) = items.iter().find_map(origin) else {
                return refuse("nothing to move");
            };
            let target = snap(Pt::new(first.x + dx, first.y + dy), *on);
            let (dx, dy) = (target.x - first.x, target.y - first.y);
            for item in items {
                match item {
                    ItemRef::Node(u) => {
                        if let Some(p) = lay.nodes.get_mut(u) {
                            *p = Pt::new(p.x + dx, p.y + dy);
                        }
                    }
                    ItemRef::Router(r) => {
                        if let Some(p) = lay.routers.get_mut(r) {
                            *p = Pt::new(p.x + dx, p.y + dy);
                        }
                    }
                    ItemRef::Subnet(s) => {
                        if let Some(b) = lay.subnets.get_mut(s) {
                            b.x += dx;
                            b.y += dy;
                        }
                    }
                    _ => {}
                }
            }
        }
        EditAction::ResizeSubnet { prefix, w } => {
            let Some(b) = lay.subnets.get_mut(prefix) else {
                return refuse(format!("there is no subnet {prefix}"));
            };
            b.w = snap(Pt::new(*w, 0.0), true).x.max(layout::SUBNET_MIN_W);
        }
        EditAction::Delete(items) => delete(&mut d, &mut lay, items),
        EditAction::Duplicate(items) => created = duplicate(&mut d, &mut lay, items),
        EditAction::AutoLayout => lay = auto_layout(&d),
        EditAction::SetDescription(text) => {
            let text = text.trim();
            if text.is_empty() {
                d.extra.shift_remove(DESCRIPTION);
            } else {
                d.extra.insert(DESCRIPTION.to_owned(), serde_json::Value::String(text.to_owned()));
            }
        }

        EditAction::SetScenario(scenario) => match scenario {
            Some(scenario) => {
                let value = serde_json::to_value(scenario.as_ref())
                    .map_err(|e| EditError(format!("the scenario cannot be saved: {e}")))?;
                d.extra.insert(SCENARIO.to_owned(), value);
            }
            None => {
                d.extra.shift_remove(SCENARIO);
            }
        },
        EditAction::SetNodeName { uid, name } => node_mut(&mut d, uid)?.name = name.clone(),
        EditAction::RenameNode { uid, new_uid } => {
            let new_uid = trimmed(new_uid, "a node id")?;
            if new_uid != *uid && d.nodes.iter().any(|n| n.uid == new_uid) {
                return refuse(format!("node id {new_uid} is already used"));
            }
            node_mut(&mut d, uid)?.uid = new_uid.clone();
            if let Some(p) = lay.nodes.remove(uid) {
                lay.nodes.insert(new_uid.clone(), p);
            }
            renamed.push((ItemRef::Node(uid.clone()), ItemRef::Node(new_uid)));
        }
        EditAction::SetAddress { uid, index, address } => {
            let ip = net::check_address(address).map_err(EditError)?;
            let address = ip.to_string();
            let holder = d.nodes.iter().find(|n| {
                n.uid != *uid && n.addresses.iter().any(|a| net::parse_addr(a) == Some(ip))
            });
            if let Some(other) = holder {
                let numbers: Vec<String> = other
                    .clusters
                    .iter()
                    .map(|(c, n)| {
                        if other.clusters.len() == 1 {
                            format!("node {n}")
                        } else {
                            format!("node {n} in {c}")
                        }
                    })
                    .collect();
                return refuse(if numbers.is_empty() {
                    // Named as every message names a node (no `()` when it has no name).
                    format!("{address} is already {}'s", other.label())
                } else {
                    format!("{address} is already node {}'s ({})", other.uid, numbers.join(", "))
                });
            }
            let node = node_mut(&mut d, uid)?;
            let Some(slot) = node.addresses.get_mut(*index) else {
                return refuse(format!("node {uid} has no interface {index}"));
            };
            let old = std::mem::replace(slot, address.clone());
            renamed.push((
                ItemRef::Interface { uid: uid.clone(), address: old.clone() },
                ItemRef::Interface { uid: uid.clone(), address: address.clone() },
            ));
            for s in &mut d.services {
                for a in &mut s.addresses {
                    if *a == old {
                        *a = address.clone();
                    }
                }
            }
        }
        EditAction::RemoveAddress { uid, address } => {
            node_mut(&mut d, uid)?.addresses.retain(|a| a != address);
            withdraw(&mut d, &HashSet::from([address.clone()]));
        }
        EditAction::SetMembership { uid, cluster, number } => {
            let old = node_mut(&mut d, uid)?.clusters.get(cluster).copied();
            match number {
                Some(n) => {
                    if *n == 0 {
                        return refuse("node numbers start at 1");
                    }
                    // As an address: one node per number in a cluster (the node number picks
                    // the registry servers; two nodes with one number would both be primary).
                    let holder = d
                        .nodes
                        .iter()
                        .find(|o| o.uid != *uid && o.clusters.get(cluster) == Some(n));
                    if let Some(other) = holder {
                        return refuse(format!(
                            "node number {n} is already used in cluster {cluster}, by {}",
                            other.label()
                        ));
                    }
                    let node = node_mut(&mut d, uid)?;
                    node.clusters.insert(cluster.clone(), *n);
                    if node.online.is_none() {
                        node.online = Some(cluster.clone());
                    }
                    // A registry server keeps its role under its new number.
                    if let (Some(old), Ok(c)) = (old, cluster_mut(&mut d, cluster)) {
                        for r in &mut c.registry_servers {
                            if *r == old {
                                *r = *n;
                            }
                        }
                    }
                }
                None => {
                    let node = node_mut(&mut d, uid)?;
                    node.clusters.remove(cluster);
                    if node.online.as_deref() == Some(cluster) {
                        node.online = None;
                    }
                    if let (Some(old), Ok(c)) = (old, cluster_mut(&mut d, cluster)) {
                        c.registry_servers.retain(|r| *r != old);
                    }
                }
            }
        }
        EditAction::SetOnline { uid, cluster } => node_mut(&mut d, uid)?.online = cluster.clone(),

        EditAction::SetSubnetPrefix { prefix, new_prefix } => {
            set_subnet_prefix(&mut d, &mut lay, &mut renamed, prefix, new_prefix)?
        }
        EditAction::SetSubnetNetwork { prefix, network } => {
            let Some(s) = d.subnets.iter_mut().find(|s| &s.prefix == prefix) else {
                return refuse(format!("there is no subnet {prefix}"));
            };
            s.network = network.clone();
        }

        EditAction::RenameRouter { name, new_name } => {
            let new_name = trimmed(new_name, "a router name")?;
            if new_name != *name && d.routers.iter().any(|r| r.name == new_name) {
                return refuse(format!("router {new_name} already exists"));
            }
            let Some(r) = d.routers.iter_mut().find(|r| &r.name == name) else {
                return refuse(format!("there is no router {name}"));
            };
            r.name = new_name.clone();
            if let Some(p) = lay.routers.remove(name) {
                lay.routers.insert(new_name.clone(), p);
            }
            renamed.push((ItemRef::Router(name.clone()), ItemRef::Router(new_name)));
        }
        EditAction::SetRouterLink { router, subnet, on } => {
            let Some(r) = d.routers.iter_mut().find(|r| &r.name == router) else {
                return refuse(format!("there is no router {router}"));
            };
            if *on {
                if !r.subnets.contains(subnet) {
                    r.subnets.push(subnet.clone());
                }
            } else {
                r.subnets.retain(|s| s != subnet);
            }
        }

        EditAction::RenameCluster { id, new_id } => {
            let new_id = trimmed(new_id, "a cluster id")?;
            if new_id != *id && d.clusters.iter().any(|c| c.id == new_id) {
                return refuse(format!("cluster id {new_id} is already used"));
            }
            if d.services.iter().any(|s| s.cluster == new_id) && new_id != *id {
                return refuse(format!("services already name a cluster {new_id}"));
            }
            cluster_mut(&mut d, id)?.id = new_id.clone();
            for n in &mut d.nodes {
                if let Some(num) = n.clusters.remove(id) {
                    n.clusters.insert(new_id.clone(), num);
                }
                if n.online.as_deref() == Some(id) {
                    n.online = Some(new_id.clone());
                }
            }
            for s in &mut d.services {
                if &s.cluster == id {
                    s.cluster = new_id.clone();
                }
            }
        }
        EditAction::SetClusterName { id, name } => cluster_mut(&mut d, id)?.name = name.clone(),
        EditAction::RegistryServer { cluster, number, op } => {
            let list = &mut cluster_mut(&mut d, cluster)?.registry_servers;
            let pos = list.iter().position(|n| n == number);
            match (op, pos) {
                (RegistryOp::Add, None) => list.push(*number),
                (RegistryOp::Remove, Some(i)) => {
                    list.remove(i);
                }
                (RegistryOp::MakePrimary, Some(i)) => {
                    let n = list.remove(i);
                    list.insert(0, n);
                }
                (RegistryOp::MakePrimary, None) => list.insert(0, *number),
                (RegistryOp::Up, Some(i)) if i > 0 => list.swap(i, i - 1),
                (RegistryOp::Down, Some(i)) if i + 1 < list.len() => list.swap(i, i + 1),
                _ => {}
            }
        }

        EditAction::RenameNetwork { name, new_name } => {
            let new_name = trimmed(new_name, "a network name")?;
            if new_name != *name && d.networks.iter().any(|n| n.name == new_name) {
                return refuse(format!("network {new_name} already exists"));
            }
            let Some(n) = d.networks.iter_mut().find(|n| &n.name == name) else {
                return refuse(format!("there is no network {name}"));
            };
            n.name = new_name.clone();
            for s in &mut d.subnets {
                if &s.network == name {
                    s.network = new_name.clone();
                }
            }
        }
        EditAction::SetPriority { network, service, priority } => {
            let Some(n) = d.networks.iter_mut().find(|n| &n.name == network) else {
                return refuse(format!("there is no network {network}"));
            };
            let service = trimmed(service, "a service name")?;
            match priority {
                Some(p) => n.priorities.insert(service, *p),
                None => n.priorities.remove(&service),
            };
        }

        EditAction::RenameService { cluster, name, new_name } => {
            let new_name = trimmed(new_name, "a service name")?;
            if new_name != *name
                && d.services.iter().any(|s| &s.cluster == cluster && s.name == new_name)
            {
                return refuse(format!("cluster {cluster} already has a service {new_name}"));
            }
            service_mut(&mut d, cluster, name)?.name = new_name.clone();
            // The routing tables follow, unless another service still goes by the old name.
            if !d.services.iter().any(|s| &s.name == name) {
                for n in &mut d.networks {
                    if let Some(p) = n.priorities.remove(name) {
                        n.priorities.entry(new_name.clone()).or_insert(p);
                    }
                }
            }
        }
        EditAction::SetServiceCluster { cluster, name, new_cluster } => {
            if d.services.iter().any(|s| &s.cluster == new_cluster && &s.name == name)
                && new_cluster != cluster
            {
                return refuse(format!("cluster {new_cluster} already has a service {name}"));
            }
            service_mut(&mut d, cluster, name)?.cluster = new_cluster.clone();
        }
        EditAction::SetServiceAddress { cluster, name, address, on } => {
            let s = service_mut(&mut d, cluster, name)?;
            if *on {
                if !s.addresses.contains(address) {
                    s.addresses.push(address.clone());
                }
            } else {
                s.addresses.retain(|a| a != address);
            }
        }
        EditAction::FillFromRegistry { cluster, name } => {
            let addresses = registry_addresses(&d, cluster);
            service_mut(&mut d, cluster, name)?.addresses = addresses;
        }
    }
    if needs_layout {
        lay.write(&mut d);
    }
    Ok(Outcome { doc: d, created, renamed })
}

/// A subnet's new prefix: checked strictly; the addresses of the nodes attached to it are
/// renumbered into the new prefix (same host part where it fits, else the next free one), and
/// every reference follows (routers, services, positions).
fn set_subnet_prefix(
    d: &mut Document,
    lay: &mut Layout,
    renamed: &mut Vec<(ItemRef, ItemRef)>,
    prefix: &str,
    new_prefix: &str,
) -> Result<(), EditError> {
    let to = net::check_prefix(new_prefix).map_err(EditError)?;
    let new_prefix = to.to_string();
    if !d.subnets.iter().any(|s| s.prefix == prefix) {
        return refuse(format!("there is no subnet {prefix}"));
    }
    if new_prefix == prefix {
        return Ok(());
    }
    if d.subnets.iter().any(|s| s.prefix != prefix && net::parse_prefix(&s.prefix) == Some(to)) {
        return refuse(format!("subnet {new_prefix} already exists"));
    }
    let attached = addresses_on(d, prefix);
    let mut moves: Vec<(String, String)> = Vec::new();
    if let (Some(from), false) = (net::parse_prefix(prefix), attached.is_empty()) {
        let addresses: Vec<String> = attached.iter().map(|(_, a)| a.clone()).collect();
        let Some(m) = net::renumber(&from, &to, &addresses, &net::used_addresses(d)) else {
            return refuse(format!(
                "{new_prefix} has no room for the {} addresses of the nodes on {prefix}",
                addresses.len()
            ));
        };
        moves = m;
    }
    let moved: std::collections::HashMap<&str, &str> =
        moves.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    for (uid, old) in &attached {
        let Some(new) = moved.get(old.as_str()) else { continue };
        if let Some(n) = d.nodes.iter_mut().find(|n| &n.uid == uid) {
            for a in &mut n.addresses {
                if a == old {
                    *a = (*new).to_owned();
                }
            }
        }
        renamed.push((
            ItemRef::Interface { uid: uid.clone(), address: old.clone() },
            ItemRef::Interface { uid: uid.clone(), address: (*new).to_owned() },
        ));
    }
    for s in &mut d.services {
        for a in &mut s.addresses {
            if let Some(new) = moved.get(a.as_str()) {
                *a = (*new).to_owned();
            }
        }
    }
    if let Some(s) = d.subnets.iter_mut().find(|s| s.prefix == prefix) {
        s.prefix = new_prefix.clone();
    }
    for r in &mut d.routers {
        for p in &mut r.subnets {
            if p == prefix {
                *p = new_prefix.clone();
            }
        }
    }
    if let Some(b) = lay.subnets.remove(prefix) {
        lay.subnets.insert(new_prefix.clone(), b);
    }
    renamed.push((ItemRef::Subnet(prefix.to_owned()), ItemRef::Subnet(new_prefix)));
    Ok(())
}

fn delete(d: &mut Document, lay: &mut Layout, items: &[ItemRef]) {
    let mut gone_addresses: HashSet<String> = HashSet::new();
    for item in items {
        match item {
            ItemRef::Node(uid) => {
                if let Some(node) = d.nodes.iter().find(|n| &n.uid == uid).cloned() {
                    gone_addresses.extend(node.addresses.iter().cloned());
                    for (cluster, number) in &node.clusters {
                        // Only when no other node still holds that number in the cluster.
                        let shared = d
                            .nodes
                            .iter()
                            .any(|n| n.uid != *uid && n.clusters.get(cluster) == Some(number));
                        if let (false, Some(c)) =
                            (shared, d.clusters.iter_mut().find(|c| &c.id == cluster))
                        {
                            c.registry_servers.retain(|r| r != number);
                        }
                    }
                    d.nodes.retain(|n| &n.uid != uid);
                    lay.nodes.remove(uid);
                }
            }
            ItemRef::Subnet(prefix) => {
                for (uid, address) in addresses_on(d, prefix) {
                    if let Some(n) = d.nodes.iter_mut().find(|n| n.uid == uid) {
                        n.addresses.retain(|a| *a != address);
                    }
                    gone_addresses.insert(address);
                }
                d.subnets.retain(|s| &s.prefix != prefix);
                for r in &mut d.routers {
                    r.subnets.retain(|s| s != prefix);
                }
                lay.subnets.remove(prefix);
            }
            ItemRef::Router(name) => {
                d.routers.retain(|r| &r.name != name);
                lay.routers.remove(name);
            }
            ItemRef::Cluster(id) => {
                d.clusters.retain(|c| &c.id != id);
                for n in &mut d.nodes {
                    n.clusters.remove(id);
                    if n.online.as_deref() == Some(id) {
                        n.online = None;
                    }
                }
                d.services.retain(|s| &s.cluster != id);
            }
            ItemRef::Network(name) => d.networks.retain(|n| &n.name != name),
            ItemRef::Service { cluster, name } => {
                d.services.retain(|s| !(&s.cluster == cluster && &s.name == name))
            }
            ItemRef::Interface { uid, address } => {
                if let Some(n) = d.nodes.iter_mut().find(|n| &n.uid == uid) {
                    n.addresses.retain(|a| a != address);
                    gone_addresses.insert(address.clone());
                }
            }
            ItemRef::RouterLink { router, subnet } => {
                if let Some(r) = d.routers.iter_mut().find(|r| &r.name == router) {
                    r.subnets.retain(|s| s != subnet);
                }
            }
        }
    }
    // An address another node still has stays published.
    gone_addresses.retain(|a| !d.nodes.iter().any(|n| n.addresses.contains(a)));
    withdraw(d, &gone_addresses);
}

fn duplicate(d: &mut Document, lay: &mut Layout, items: &[ItemRef]) -> Vec<ItemRef> {
    const OFFSET: f64 = 40.0;
    let mut created = Vec::new();
    let mut used = net::used_addresses(d);
    // Subnets first, so duplicated nodes could land on them (they keep their original subnets).
    for item in items {
        match item {
            ItemRef::Subnet(prefix) => {
                let Some(s) = d.subnets.iter().find(|s| &s.prefix == prefix).cloned() else {
                    continue;
                };
                let new_prefix = net::next_free_prefix(d);
                d.subnets.push(Subnet { prefix: new_prefix.clone(), ..s });
                if let Some(b) = lay.subnets.get(prefix).copied() {
                    let spot = lay.free_spot(
                        Layout::subnet_rect(Bar { y: b.y + 2.0 * OFFSET, ..b }),
                        (0.0, 2.0 * OFFSET),
                    );
                    lay.subnets
                        .insert(new_prefix.clone(), Bar { x: spot.x, y: spot.y + 18.0, ..b });
                }
                created.push(ItemRef::Subnet(new_prefix));
            }
            ItemRef::Router(name) => {
                let Some(r) = d.routers.iter().find(|r| &r.name == name).cloned() else { continue };
                let new_name = next_name("r", |n| d.routers.iter().any(|r| r.name == n));
                d.routers.push(Router { name: new_name.clone(), ..r });
                if let Some(p) = lay.routers.get(name).copied() {
                    let r =
                        Layout::router_rect(Pt::new(p.x, p.y + 2.0 * layout::ROUTER_R + OFFSET));
                    let spot = lay.free_spot(r, (0.0, 2.0 * layout::ROUTER_R + OFFSET));
                    lay.routers.insert(
                        new_name.clone(),
                        Pt::new(spot.x + layout::ROUTER_R, spot.y + layout::ROUTER_R),
                    );
                }
                created.push(ItemRef::Router(new_name));
            }
            _ => {}
        }
    }
    let index_doc = d.clone();
    let index = net::SubnetIndex::new(&index_doc);
    for item in items {
        let ItemRef::Node(uid) = item else { continue };
        let Some(node) = d.nodes.iter().find(|n| &n.uid == uid).cloned() else { continue };
        let new_uid = next_name("n", |u| d.nodes.iter().any(|n| n.uid == u));
        let mut copy =
            Node { uid: new_uid.clone(), name: format!("{} copy", node.name), ..node.clone() };
        copy.clusters = node.clusters.keys().map(|c| (c.clone(), next_node_number(d, c))).collect();
        copy.addresses = node
            .addresses
            .iter()
            .filter_map(|a| index.subnet_of(a))
            .filter_map(|prefix| {
                let a = net::next_free_address_avoiding(prefix, &used)?;
                used.insert(a.parse().ok()?);
                Some(a)
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        copy.addresses.sort_by(|a, b| net::address_order(a, b));
        let copy_subnets: Vec<&str> =
            copy.addresses.iter().filter_map(|a| index.subnet_of(a)).collect();
        d.nodes.push(copy);
        if let Some(p) = lay.nodes.get(uid).copied() {
            // Beside the original, or further along, where nothing is.
            let step = layout::NODE_W + layout::SLOT_GAP;
            let spot = lay.free_spot(Layout::node_rect(Pt::new(p.x + step, p.y)), (step, 0.0));
            lay.nodes.insert(new_uid.clone(), spot);
            // A copy that lands past the end of its subnets' bars stretches them, so its links
            // stay straight.
            for prefix in copy_subnets.iter() {
                if let Some(b) = lay.subnets.get_mut(*prefix) {
                    if spot.x >= b.x && spot.y > b.y {
                        b.w = b.w.max(spot.x + layout::NODE_W - b.x);
                    }
                }
            }
        }
        created.push(ItemRef::Node(new_uid));
    }
    created
}

#[cfg(test)]
mod tests;
