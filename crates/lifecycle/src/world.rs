//! The simulated world of `docs/spec.md §6`: nodes with FIG 10 local storage and processes, and
//! each cluster's replicated global configuration with incarnation numbers.
//!
//! Every change to the world is a [`Change`] of one [`Key`] from a `before` to an `after` value
//! (JSON; `null` = absent). [`World::apply`] and [`World::revert`] play a change forwards and
//! backwards, so the world after any event is rebuilt from the initial world and the trace,
//! without a snapshot per event.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// FIG 10: the DCM's configuration directory, under `/var/ct`.
pub const DCM_CONFIGURATION: &str = "dcm/configuration";
/// FIG 10: the current cluster pointer.
pub const CURRENT: &str = "dcm/configuration/current";
/// The target cluster pointer (set only while moving, FIG 17-18).
pub const TARGET: &str = "dcm/configuration/target";
/// FIG 10: the DCM's runtime log (entries `dcm/logs/000001`, ...).
pub const DCM_LOGS: &str = "dcm/logs";
/// FIG 10: the directories the DCM makes under `/var/ct/<cluster id>` for the components.
pub const CLUSTER_DIRS: [&str; 3] = ["locks", "logs", "cores"];

/// The storage path of a node's definition in a cluster (FIG 9a-9c: cluster, node, registry
/// server list).
pub fn definition_path(cluster: &str) -> String {
    format!("{DCM_CONFIGURATION}/{cluster}")
}

/// The storage path of a component's configuration entry in a cluster's `config` directory.
pub fn config_path(cluster: &str, component: &str) -> String {
    format!("{cluster}/config/{component}")
}

/// A running process of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// `running` (the DCM daemon), `started`, `ready`, and for the System Registry `read-only`
    /// (phase 1, holds the chosen copy), `stale` (holds a lower copy: serves nothing),
    /// `write-enabled` (phase 2) or `failed`.
    pub state: String,
    /// The cluster it serves (`None` for the DCM daemon before it checked a cluster).
    pub cluster: Option<String>,
}

impl Process {
    pub fn new(state: &str, cluster: Option<&str>) -> Process {
        Process { state: state.to_owned(), cluster: cluster.map(str::to_owned) }
    }
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeState {
    pub up: bool,
    pub connected: bool,
    /// The UID the hardware (or the operating system) reports.
    pub hardware_uid: String,
    /// Local storage under `/var/ct` (FIG 10): path -> value.
    pub storage: BTreeMap<String, Value>,
    /// Running processes by component key (`dcm`, `registry`, `liveness`, `group-services`,
    /// `resource-manager`, `controller:NAME`).
    pub processes: BTreeMap<String, Process>,
}

/// A node's local definition in one cluster, as its DCM stores it (FIG 9a-9c).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalDefinition {
    pub cluster: ClusterRecord,
    pub node: NodeRecord,
    /// Node numbers of the registry servers, primary first.
    pub registry_servers: Vec<u32>,
    pub primary: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRecord {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRecord {
    /// The local copy of the UID.
    pub uid: String,
    pub number: u32,
    pub name: String,
    pub address: String,
}

impl NodeState {
    fn pointer(&self, path: &str) -> Option<String> {
        self.storage.get(path).and_then(Value::as_str).map(str::to_owned)
    }

    /// The current cluster pointer.
    pub fn current(&self) -> Option<String> {
        self.pointer(CURRENT)
    }

    /// The target cluster pointer.
    pub fn target(&self) -> Option<String> {
        self.pointer(TARGET)
    }

    /// The local definition in `cluster`, if the node holds one.
    pub fn definition(&self, cluster: &str) -> Option<LocalDefinition> {
        serde_json::from_value(self.storage.get(&definition_path(cluster))?.clone()).ok()
    }

    /// Every cluster the node holds a definition of, by id.
    pub fn defined_clusters(&self) -> Vec<String> {
        let prefix = format!("{DCM_CONFIGURATION}/");
        self.storage
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|c| !c.contains('/') && *c != "current" && *c != "target")
            .filter(|c| self.definition(c).is_some())
            .map(str::to_owned)
            .collect()
    }

    /// The clusters the node's components (all but the DCM) serve: the clusters it is online
    /// in. The invariant: at most one.
    pub fn online_in(&self) -> Vec<String> {
        let mut clusters: Vec<String> = self
            .processes
            .iter()
            .filter(|(k, _)| k.as_str() != "dcm")
            .filter_map(|(_, p)| p.cluster.clone())
            .collect();
        clusters.sort();
        clusters.dedup();
        clusters
    }

    /// The state of a process, if it runs.
    pub fn process(&self, key: &str) -> Option<&Process> {
        self.processes.get(key)
    }

    /// The process runs and is `ready` in `cluster`.
    pub fn ready(&self, key: &str, cluster: &str) -> bool {
        self.process(key)
            .is_some_and(|p| p.state == "ready" && p.cluster.as_deref() == Some(cluster))
    }
}

/// One replica of a cluster's global configuration database, on a registry server node.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Replica {
    pub incarnation: u64,
    /// Node definitions: node number -> the global copy of its UID.
    pub nodes: BTreeMap<u32, String>,
    /// The resource configuration the Resource Manager and the resource controllers write
    /// (FIG 8 steps 18 and 23, FIG 15 step 5): node number -> component key -> value.
    pub resources: BTreeMap<u32, BTreeMap<String, String>>,
    /// Definition attributes changed since the model document (`modify-cluster`,
    /// `modify-node`, the registry server list): `cluster/name`, `registry_servers`,
    /// `node/<number>/name`, `node/<number>/address` -> value. Empty: as the document says.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// The replica missed a committed write (its server was outside the part that took it, and
    /// in no serving part): it serves nothing until phase 2 updates it (`docs/spec.md §6`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

impl Replica {
    /// The same copy (definitions, resources and attributes), whatever the incarnation numbers
    /// say.
    pub fn same_content(&self, other: &Replica) -> bool {
        self.nodes == other.nodes
            && self.resources == other.resources
            && self.attributes == other.attributes
    }

    /// The node number defined with this UID.
    pub fn number_of(&self, uid: &str) -> Option<u32> {
        self.nodes.iter().find(|(_, u)| u.as_str() == uid).map(|(n, _)| *n)
    }
}

/// One cluster's global configuration: a replica per registry server node (by node uid).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ClusterState {
    pub replicas: BTreeMap<String, Replica>,
}

/// The whole world. Serialises as the contract's `STATE` (plus each node's `processes` and each
/// replica's `resources`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct World {
    pub nodes: BTreeMap<String, NodeState>,
    pub clusters: BTreeMap<String, ClusterState>,
    /// The routers that have failed (`fail-router`): they join no subnets (`docs/spec.md §2`).
    pub failed_routers: std::collections::BTreeSet<String>,
}

/// What a change changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "field", rename_all = "kebab-case")]
pub enum Key {
    Up {
        node: String,
    },
    Connected {
        node: String,
    },
    HardwareUid {
        node: String,
    },
    /// A path of the node's local storage, under `/var/ct`.
    Storage {
        node: String,
        path: String,
    },
    Process {
        node: String,
        process: String,
    },
    Incarnation {
        cluster: String,
        replica: String,
    },
    /// A node definition in a replica (value: the global UID).
    GlobalNode {
        cluster: String,
        replica: String,
        number: u32,
    },
    /// One component's resource configuration of a node in a replica.
    Resource {
        cluster: String,
        replica: String,
        number: u32,
        component: String,
    },
    /// A definition attribute in a replica ([`Replica::attributes`]).
    Attribute {
        cluster: String,
        replica: String,
        name: String,
    },
    /// A whole replica (its database created or erased: `define-cluster`, `undefine-cluster`,
    /// the registry server operations); `null` = the node holds no replica of the cluster.
    Replica {
        cluster: String,
        replica: String,
    },
    /// Whether a replica is stale (value: `true`; `false` or `null`: not stale).
    Stale {
        cluster: String,
        replica: String,
    },
    /// Whether a router has failed (value: `true`; `null`: it works).
    Router {
        router: String,
    },
}

impl Key {
    /// The node whose state this key is part of (`None` for a replica's content).
    pub fn node(&self) -> Option<&str> {
        match self {
            Key::Up { node }
            | Key::Connected { node }
            | Key::HardwareUid { node }
            | Key::Storage { node, .. }
            | Key::Process { node, .. } => Some(node),
            _ => None,
        }
    }

    /// The (cluster, replica) this key is part of.
    pub fn replica(&self) -> Option<(&str, &str)> {
        match self {
            Key::Incarnation { cluster, replica }
            | Key::GlobalNode { cluster, replica, .. }
            | Key::Resource { cluster, replica, .. }
            | Key::Attribute { cluster, replica, .. }
            | Key::Replica { cluster, replica } => Some((cluster, replica)),
            Key::Stale { cluster, replica } => Some((cluster, replica)),
            _ => None,
        }
    }
}

/// One change: `key` went from `before` to `after` (`null` = absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub key: Key,
    pub before: Value,
    pub after: Value,
}

impl std::fmt::Display for Change {
    /// `n1:/var/ct/dcm/configuration/current "A" -> null`, `A@n2 incarnation 1 -> 5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Key::Up { node } => write!(f, "{node} up")?,
            Key::Connected { node } => write!(f, "{node} connected")?,
            Key::HardwareUid { node } => write!(f, "{node} hardware uid")?,
            Key::Storage { node, path } => write!(f, "{node}:/var/ct/{path}")?,
            Key::Process { node, process } => write!(f, "{node} process {process}")?,
            Key::Incarnation { cluster, replica } => write!(f, "{cluster}@{replica} incarnation")?,
            Key::GlobalNode { cluster, replica, number } => {
                write!(f, "{cluster}@{replica} node {number}")?
            }
            Key::Resource { cluster, replica, number, component } => {
                write!(f, "{cluster}@{replica} resource {number}/{component}")?
            }
            Key::Attribute { cluster, replica, name } => write!(f, "{cluster}@{replica} {name}")?,
            Key::Replica { cluster, replica } => write!(f, "{cluster}@{replica} database")?,
            Key::Stale { cluster, replica } => write!(f, "{cluster}@{replica} stale")?,
            Key::Router { router } => write!(f, "router {router} failed")?,
        }
        write!(f, " {} -> {}", compact(&self.before), compact(&self.after))
    }
}

/// A value as one short text: processes as `state@cluster`.
fn compact(v: &Value) -> String {
    match v {
        Value::Object(m) if m.contains_key("state") && m.len() == 2 => {
            let state = m.get("state").and_then(Value::as_str).unwrap_or("?");
            match m.get("cluster").and_then(Value::as_str) {
                Some(c) => format!("{state}@{c}"),
                None => state.to_owned(),
            }
        }
        other => other.to_string(),
    }
}

impl World {
    /// The value of a key (`null` when absent).
    pub fn get(&self, key: &Key) -> Value {
        match key {
            Key::Up { node } => self.nodes.get(node).map_or(Value::Null, |n| n.up.into()),
            Key::Connected { node } => {
                self.nodes.get(node).map_or(Value::Null, |n| n.connected.into())
            }
            Key::HardwareUid { node } => {
                self.nodes.get(node).map_or(Value::Null, |n| n.hardware_uid.clone().into())
            }
            Key::Storage { node, path } => self
                .nodes
                .get(node)
                .and_then(|n| n.storage.get(path))
                .cloned()
                .unwrap_or(Value::Null),
            Key::Process { node, process } => self
                .nodes
                .get(node)
                .and_then(|n| n.processes.get(process))
                .map_or(Value::Null, |p| json!(p)),
            Key::Incarnation { cluster, replica } => {
                self.replica(cluster, replica).map_or(Value::Null, |r| r.incarnation.into())
            }
            Key::GlobalNode { cluster, replica, number } => self
                .replica(cluster, replica)
                .and_then(|r| r.nodes.get(number))
                .map_or(Value::Null, |u| u.clone().into()),
            Key::Resource { cluster, replica, number, component } => self
                .replica(cluster, replica)
                .and_then(|r| r.resources.get(number))
                .and_then(|m| m.get(component))
                .map_or(Value::Null, |v| v.clone().into()),
            Key::Attribute { cluster, replica, name } => self
                .replica(cluster, replica)
                .and_then(|r| r.attributes.get(name))
                .map_or(Value::Null, |v| v.clone().into()),
            Key::Replica { cluster, replica } => {
                self.replica(cluster, replica).map_or(Value::Null, |r| json!(r))
            }
            Key::Stale { cluster, replica } => {
                self.replica(cluster, replica).map_or(Value::Null, |r| r.stale.into())
            }
            Key::Router { router } => {
                if self.failed_routers.contains(router) {
                    true.into()
                } else {
                    Value::Null
                }
            }
        }
    }

    /// Sets a key (`null` removes it). A key of an unknown node or replica changes nothing.
    pub fn put(&mut self, key: &Key, value: Value) {
        match key {
            Key::Up { node } => {
                if let Some(n) = self.nodes.get_mut(node) {
                    n.up = value.as_bool().unwrap_or(false);
                }
            }
            Key::Connected { node } => {
                if let Some(n) = self.nodes.get_mut(node) {
                    n.connected = value.as_bool().unwrap_or(false);
                }
            }
            Key::HardwareUid { node } => {
                if let Some(n) = self.nodes.get_mut(node) {
                    n.hardware_uid = value.as_str().unwrap_or_default().to_owned();
                }
            }
            Key::Storage { node, path } => {
                if let Some(n) = self.nodes.get_mut(node) {
                    if value.is_null() {
                        n.storage.remove(path);
                    } else {
                        n.storage.insert(path.clone(), value);
                    }
                }
            }
            Key::Process { node, process } => {
                if let Some(n) = self.nodes.get_mut(node) {
                    match serde_json::from_value::<Process>(value) {
                        Ok(p) => n.processes.insert(process.clone(), p),
                        Err(_) => n.processes.remove(process),
                    };
                }
            }
            Key::Incarnation { cluster, replica } => {
                if let Some(r) = self.replica_mut(cluster, replica) {
                    r.incarnation = value.as_u64().unwrap_or(0);
                }
            }
            Key::GlobalNode { cluster, replica, number } => {
                if let Some(r) = self.replica_mut(cluster, replica) {
                    match value.as_str() {
                        Some(uid) => r.nodes.insert(*number, uid.to_owned()),
                        None => r.nodes.remove(number),
                    };
                }
            }
            Key::Resource { cluster, replica, number, component } => {
                if let Some(r) = self.replica_mut(cluster, replica) {
                    match value.as_str() {
                        Some(v) => {
                            r.resources
                                .entry(*number)
                                .or_default()
                                .insert(component.clone(), v.into());
                        }
                        None => {
                            if let Some(m) = r.resources.get_mut(number) {
                                m.remove(component);
                                if m.is_empty() {
                                    r.resources.remove(number);
                                }
                            }
                        }
                    }
                }
            }
            Key::Attribute { cluster, replica, name } => {
                if let Some(r) = self.replica_mut(cluster, replica) {
                    match value.as_str() {
                        Some(v) => r.attributes.insert(name.clone(), v.into()),
                        None => r.attributes.remove(name),
                    };
                }
            }
            Key::Replica { cluster, replica } => match serde_json::from_value::<Replica>(value) {
                Ok(r) => {
                    self.clusters
                        .entry(cluster.clone())
                        .or_default()
                        .replicas
                        .insert(replica.clone(), r);
                }
                Err(_) => {
                    if let Some(cs) = self.clusters.get_mut(cluster) {
                        cs.replicas.remove(replica);
                        if cs.replicas.is_empty() {
                            self.clusters.remove(cluster);
                        }
                    }
                }
            },
            Key::Stale { cluster, replica } => {
                if let Some(r) = self.replica_mut(cluster, replica) {
                    r.stale = value.as_bool().unwrap_or(false);
                }
            }
            Key::Router { router } => {
                if value.as_bool() == Some(true) {
                    self.failed_routers.insert(router.clone());
                } else {
                    self.failed_routers.remove(router);
                }
            }
        }
    }

    /// Plays a change forwards.
    pub fn apply(&mut self, change: &Change) {
        self.put(&change.key, change.after.clone());
    }

    /// Plays a change backwards.
    pub fn revert(&mut self, change: &Change) {
        self.put(&change.key, change.before.clone());
    }

    pub fn replica(&self, cluster: &str, server: &str) -> Option<&Replica> {
        self.clusters.get(cluster)?.replicas.get(server)
    }

    fn replica_mut(&mut self, cluster: &str, server: &str) -> Option<&mut Replica> {
        self.clusters.get_mut(cluster)?.replicas.get_mut(server)
    }

    /// The node, if the world has it.
    pub fn node(&self, uid: &str) -> Option<&NodeState> {
        self.nodes.get(uid)
    }

    /// The world as the contract's `STATE` JSON.
    pub fn to_json(&self) -> Value {
        let nodes: serde_json::Map<String, Value> = self
            .nodes
            .iter()
            .map(|(uid, n)| {
                let local: serde_json::Map<String, Value> = n
                    .defined_clusters()
                    .into_iter()
                    .filter_map(|c| {
                        let d = n.definition(&c)?;
                        Some((c, json!({ "uid": d.node.uid, "number": d.node.number })))
                    })
                    .collect();
                let value = json!({
                    "up": n.up,
                    "connected": n.connected,
                    "hardware_uid": n.hardware_uid,
                    "current": n.current(),
                    "target": n.target(),
                    "local": local,
                    "storage": n.storage,
                    "processes": n.processes,
                });
                (uid.clone(), value)
            })
            .collect();
        let mut state = json!({ "nodes": nodes, "clusters": self.clusters });
        if !self.failed_routers.is_empty() {
            state["failed_routers"] = json!(self.failed_routers);
        }
        state
    }

    /// Local storage and the replicas' contents equal, the DCM logs, incarnation numbers and
    /// stale marks aside (what an aborted define must leave: an undo is a write, so it moves
    /// the incarnation forward).
    pub fn same_repositories(&self, other: &World) -> bool {
        let storage = |w: &World| -> Vec<(String, Vec<(String, Value)>)> {
            w.nodes
                .iter()
                .map(|(uid, n)| {
                    let entries = n
                        .storage
                        .iter()
                        .filter(|(k, _)| !k.starts_with(DCM_LOGS))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (uid.clone(), entries)
                })
                .collect()
        };
        let contents = |w: &World| -> Vec<(String, String, Replica)> {
            w.clusters
                .iter()
                .flat_map(|(c, cs)| {
                    cs.replicas.iter().map(move |(s, r)| {
                        let content = Replica { incarnation: 0, stale: false, ..r.clone() };
                        (c.clone(), s.clone(), content)
                    })
                })
                .collect()
        };
        contents(self) == contents(other) && storage(self) == storage(other)
    }
}
