//! The simulator's core: the one way the world changes (recorded as changes of the next event),
//! faults and crashes, message delivery, and registry requests along a node's ordered registry
//! list (`docs/spec.md §6`).

use crate::net::Net;
use crate::scenario::{Fault, FaultKind};
use crate::trace::{Access, Event};
use crate::world::{self, Change, Key, Process, World};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The simulation's mutable state while it runs.
#[derive(Debug)]
pub(crate) struct Sim {
    pub world: World,
    pub net: Net,
    pub events: Vec<Event>,
    pending: Vec<Change>,
    /// The operation running now.
    pub op: usize,
    faults: Vec<Fault>,
    fired: Vec<bool>,
    /// The (operation, figure, step) the last event belonged to, and how many events it has
    /// had so far (where a crash fault's `after` counts).
    step_events: (Option<(usize, &'static str, u8)>, usize),
    /// Requests each registry server took during the current operation.
    pub requests: BTreeMap<String, u64>,
}

/// One value written through the registry.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// A node definition: number -> global UID (`None` removes it).
    Node(u32, Option<String>),
    /// A resource configuration value (`None` removes it).
    Resource(u32, String, Option<String>),
    /// A definition attribute ([`crate::world::Replica::attributes`]; `None` removes it).
    Attribute(String, Option<String>),
}

/// The registry server that answered, or why none did.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub server: Option<String>,
    /// `n1 (down)`, ... : the servers skipped before it, in the node's order.
    pub skipped: Vec<String>,
}

impl Answer {
    /// `from n2 (skipped n1: down)`, or `no registry server answers (n1: down, ...)`.
    pub fn describe(&self) -> String {
        self.describe_as("from")
    }

    /// The same for a write: `through n2 (skipped n1: down)`.
    pub fn through(&self) -> String {
        self.describe_as("through")
    }

    fn describe_as(&self, preposition: &str) -> String {
        let skipped = if self.skipped.is_empty() {
            String::new()
        } else {
            format!(" (skipped {})", self.skipped.join(", "))
        };
        match &self.server {
            Some(s) => format!("{preposition} {s}{skipped}"),
            None if self.skipped.is_empty() => "no registry server is defined".into(),
            None => format!("no registry server answers{skipped}"),
        }
    }
}

/// Registry process states that serve reads: phase 1 done with the chosen copy, phase 2
/// under way or done.
pub(crate) fn serves_reads(p: &Process) -> bool {
    matches!(p.state.as_str(), "read-only" | "phase-2" | "write-enabled")
}

impl Sim {
    pub fn new(world: World, net: Net, faults: Vec<Fault>) -> Sim {
        let fired = vec![false; faults.len()];
        Sim {
            world,
            net,
            events: Vec::new(),
            pending: Vec::new(),
            op: 0,
            faults,
            fired,
            step_events: (None, 0),
            requests: BTreeMap::new(),
        }
    }

    /// Changes one key, recorded as a change of the next event (nothing when equal).
    pub fn set(&mut self, key: Key, after: Value) {
        let before = self.world.get(&key);
        if before != after {
            self.world.put(&key, after.clone());
            self.pending.push(Change { key, before, after });
        }
    }

    pub fn set_storage(&mut self, node: &str, path: &str, value: Value) {
        self.set(Key::Storage { node: node.into(), path: path.into() }, value);
    }

    pub fn set_process(&mut self, node: &str, process: &str, value: Option<Process>) {
        let v = value.map_or(Value::Null, |p| json!(p));
        self.set(Key::Process { node: node.into(), process: process.into() }, v);
    }

    /// Records an event with the changes made since the last one.
    pub fn emit(
        &mut self,
        figure: Option<&'static str>,
        step: Option<u8>,
        node: Option<&str>,
        process: &str,
        what: impl Into<String>,
    ) {
        self.emit_access(figure, step, node, process, what, None);
    }

    pub fn emit_access(
        &mut self,
        figure: Option<&'static str>,
        step: Option<u8>,
        node: Option<&str>,
        process: &str,
        what: impl Into<String>,
        access: Option<Access>,
    ) {
        let event = Event {
            seq: self.events.len() + 1,
            operation: self.op,
            figure,
            step,
            node: node.map(str::to_owned),
            process: process.to_owned(),
            what: what.into(),
            changes: std::mem::take(&mut self.pending),
            access,
        };
        self.events.push(event);
        if let (Some(figure), Some(step)) = (figure, step) {
            let key = Some((self.op, figure, step));
            let count = if self.step_events.0 == key { self.step_events.1 + 1 } else { 1 };
            self.step_events = (key, count);
            self.crash(figure, step, Some(count));
        }
    }

    /// A `fail` fault of the current operation on this step, for the process on `node`.
    pub fn fails(&self, step: u8, node: &str) -> bool {
        self.faults.iter().any(|f| {
            f.operation == self.op
                && f.step == step
                && f.kind == FaultKind::Fail
                && f.node.as_deref().is_none_or(|n| n == node)
        })
    }

    /// Fires the `crash` faults of the current operation placed as this step begins (once
    /// each): the node goes down.
    pub fn crash_point(&mut self, figure: &'static str, step: u8) {
        self.crash(figure, step, None);
    }

    /// Fires the crash faults of this step placed after `after` of its events (`None`: as it
    /// begins, `after` absent or 0).
    fn crash(&mut self, figure: &'static str, step: u8, after: Option<usize>) {
        for i in 0..self.faults.len() {
            let f = &self.faults[i];
            let placed = f.after.filter(|&k| k > 0);
            if self.fired[i]
                || f.operation != self.op
                || f.step != step
                || f.kind != FaultKind::Crash
                || placed != after
            {
                continue;
            }
            self.fired[i] = true;
            let Some(node) = f.node.clone() else { continue };
            if self.world.node(&node).is_some_and(|n| n.up) {
                self.go_down(&node);
                let when = match after {
                    None => format!("as step {step} begins"),
                    Some(k) => format!("during step {step}, after {k} of its events"),
                };
                self.emit(
                    Some(figure),
                    Some(step),
                    Some(&node),
                    "fault",
                    format!("{node} crashes {when}: it is down and every process on it is gone"),
                );
            }
        }
    }

    /// The node goes down: up = false, every process gone (its storage stays).
    pub fn go_down(&mut self, node: &str) {
        self.set(Key::Up { node: node.into() }, false.into());
        let procs: Vec<String> = self
            .world
            .node(node)
            .map(|n| n.processes.keys().cloned().collect())
            .unwrap_or_default();
        for p in procs {
            self.set_process(node, &p, None);
        }
    }

    /// Why a message from `from` cannot reach `to`, or `None` when it is delivered (both up and
    /// connected, `to` reachable from `from`).
    pub fn undeliverable(&self, from: &str, to: &str) -> Option<String> {
        let state = |uid: &str| self.world.node(uid).map(|n| (n.up, n.connected));
        match (state(from), state(to)) {
            (Some((false, _)), _) => Some(format!("{from} is down")),
            (_, Some((false, _))) => Some(format!("{to} is down")),
            (None, _) | (_, None) => Some("no such node".into()),
            _ if from == to => None,
            (Some((_, false)), _) => Some(format!("{from} is disconnected")),
            (_, Some((_, false))) => Some(format!("{to} is disconnected")),
            _ if !self.net.reachable(from, to) => Some(format!("{to} is unreachable from {from}")),
            _ => None,
        }
    }

    pub fn delivers(&self, from: &str, to: &str) -> bool {
        self.undeliverable(from, to).is_none()
    }

    /// The registry process of `server` for `cluster`, if it runs for that cluster.
    pub fn registry(&self, cluster: &str, server: &str) -> Option<&Process> {
        self.world
            .node(server)?
            .process("registry")
            .filter(|p| p.cluster.as_deref() == Some(cluster))
    }

    /// Finds the first registry server in `client`'s ordered list for `cluster` that answers
    /// (`write`: one that accepts writes), skipping the others; a `fail` fault on `step` for the
    /// client loses its message to the first server that would have answered (it goes on to the
    /// next). Counts the request on the server that answers.
    pub fn ask_registry(
        &mut self,
        client: &str,
        cluster: &str,
        step: Option<u8>,
        write: bool,
    ) -> Answer {
        let mut lost = step.is_some_and(|s| self.fails(s, client));
        let mut skipped = Vec::new();
        let mut chosen = None;
        for server in self.net.order(cluster, client) {
            if let Some(why) = self.undeliverable(client, server) {
                skipped.push(format!("{server}: {why}"));
                continue;
            }
            let answers = match self.registry(cluster, server) {
                None => Err("its registry does not run".to_owned()),
                Some(p) if write && p.state != "write-enabled" => {
                    Err(format!("registry {}, no writes", p.state))
                }
                Some(p) if !serves_reads(p) => Err(format!("registry {}", p.state)),
                Some(_) => Ok(()),
            };
            if let Err(why) = answers {
                skipped.push(format!("{server}: {why}"));
                continue;
            }
            if lost {
                lost = false;
                skipped.push(format!("{server}: message lost (fault)"));
                continue;
            }
            chosen = Some(server.clone());
            break;
        }
        if let Some(server) = &chosen {
            *self.requests.entry(server.clone()).or_default() += 1;
        }
        Answer { server: chosen, skipped }
    }

    /// A replicated write through `server`: every write-enabled replica of the cluster that the
    /// server reaches takes the entries and one more incarnation; a read-only replica left out
    /// becomes stale. Returns the replicas written.
    pub fn replicate(&mut self, cluster: &str, server: &str, entries: &[Entry]) -> Vec<String> {
        let servers = self.net.registry_servers(cluster);
        let mut group = Vec::new();
        for s in &servers {
            let Some(p) = self.registry(cluster, s).cloned() else { continue };
            let reached = self.delivers(server, s);
            if p.state == "write-enabled" && reached {
                group.push(s.clone());
            } else if p.state == "read-only" {
                self.set_process(s, "registry", Some(Process::new("stale", Some(cluster))));
            }
        }
        for r in &group {
            for e in entries {
                let (key, value) = match e {
                    Entry::Node(number, uid) => (
                        Key::GlobalNode {
                            cluster: cluster.into(),
                            replica: r.clone(),
                            number: *number,
                        },
                        uid.clone().map_or(Value::Null, Value::String),
                    ),
                    Entry::Resource(number, component, v) => (
                        Key::Resource {
                            cluster: cluster.into(),
                            replica: r.clone(),
                            number: *number,
                            component: component.clone(),
                        },
                        v.clone().map_or(Value::Null, Value::String),
                    ),
                    Entry::Attribute(name, v) => (
                        Key::Attribute {
                            cluster: cluster.into(),
                            replica: r.clone(),
                            name: name.clone(),
                        },
                        v.clone().map_or(Value::Null, Value::String),
                    ),
                };
                self.set(key, value);
            }
            let inc = self.world.replica(cluster, r).map_or(0, |x| x.incarnation);
            self.set(
                Key::Incarnation { cluster: cluster.into(), replica: r.clone() },
                inc.saturating_add(1).into(),
            );
        }
        group
    }

    /// Appends a line to the node's DCM log (FIG 10 `/var/ct/dcm/logs`).
    pub fn log(&mut self, node: &str, line: String) {
        let prefix = format!("{}/", world::DCM_LOGS);
        let count = self
            .world
            .node(node)
            .map_or(0, |n| n.storage.keys().filter(|k| k.starts_with(&prefix)).count());
        self.set_storage(node, &format!("{prefix}{:06}", count + 1), Value::String(line));
    }

    /// Stops every component of the node but the DCM daemon (which runs for the life of the
    /// node, knowing no cluster).
    pub fn stop_components(&mut self, node: &str) {
        let procs: Vec<String> = self
            .world
            .node(node)
            .map(|n| n.processes.keys().cloned().collect())
            .unwrap_or_default();
        for p in procs {
            if p == "dcm" {
                self.set_process(node, "dcm", Some(Process::new("running", None)));
            } else {
                self.set_process(node, &p, None);
            }
        }
    }

    /// Erases the node's local definition of `cluster` (FIG 10: its configuration entry and its
    /// `/var/ct/<cluster id>` tree) and clears the pointers naming the cluster.
    pub fn erase_local(&mut self, node: &str, cluster: &str) {
        let own = format!("{cluster}/");
        let paths: Vec<String> = self
            .world
            .node(node)
            .map(|n| n.storage.keys().filter(|k| k.starts_with(&own)).cloned().collect())
            .unwrap_or_default();
        self.set_storage(node, &world::definition_path(cluster), Value::Null);
        for p in paths {
            self.set_storage(node, &p, Value::Null);
        }
        for pointer in [world::CURRENT, world::TARGET] {
            let names = self.world.node(node).and_then(|n| n.storage.get(pointer)).cloned();
            if names.as_ref().and_then(Value::as_str) == Some(cluster) {
                self.set_storage(node, pointer, Value::Null);
            }
        }
    }

    /// Writes a local definition and the `/var/ct/<cluster id>` directories (FIG 10).
    pub fn write_local(&mut self, node: &str, def: &world::LocalDefinition) {
        let cluster = def.cluster.id.clone();
        self.set_storage(node, &world::definition_path(&cluster), json!(def));
        for dir in world::CLUSTER_DIRS {
            let path = format!("{cluster}/{dir}");
            if self.world.get(&Key::Storage { node: node.into(), path: path.clone() }).is_null() {
                self.set_storage(node, &path, json!([]));
            }
        }
    }

    /// The first registry server of the cluster whose registry accepts writes (for outcome
    /// checks; no request counted).
    pub fn cluster_writable(&self, cluster: &str) -> bool {
        self.net
            .servers_of(cluster)
            .iter()
            .any(|s| self.registry(cluster, s).is_some_and(|p| p.state == "write-enabled"))
    }

    /// A serving replica of the cluster (write-enabled first), for reading without a request.
    pub fn serving_replica(&self, cluster: &str) -> Option<String> {
        let servers = self.net.servers_of(cluster);
        let state = |s: &String| self.registry(cluster, s).map(|p| p.state.clone());
        servers
            .iter()
            .find(|s| state(s).as_deref() == Some("write-enabled"))
            .or_else(|| servers.iter().find(|s| state(s).as_deref() == Some("read-only")))
            .cloned()
    }
}

/// The initial world of a model document (`docs/spec.md §6`): every node up and connected with
/// its document UID as hardware UID and its definitions in local storage, the current cluster
/// pointer at the document's `online`, one replica per registry server at incarnation 1 holding
/// every node definition, and no process running.
pub(crate) fn initial_world(doc: &clusterplan_engine::Document, net: &Net) -> World {
    let mut w = World::default();
    for c in &doc.clusters {
        let mut nodes = BTreeMap::new();
        for n in &doc.nodes {
            if let Some(&num) = n.clusters.get(&c.id) {
                nodes.entry(num).or_insert_with(|| n.uid.clone());
            }
        }
        let replica = world::Replica { incarnation: 1, nodes, ..Default::default() };
        let replicas =
            net.registry_servers(&c.id).into_iter().map(|s| (s, replica.clone())).collect();
        w.clusters.entry(c.id.clone()).or_insert(world::ClusterState { replicas });
    }
    for n in &doc.nodes {
        if w.nodes.contains_key(&n.uid) {
            continue;
        }
        let mut state = world::NodeState {
            up: true,
            connected: true,
            hardware_uid: n.uid.clone(),
            storage: BTreeMap::new(),
            processes: BTreeMap::new(),
        };
        for (c, &number) in &n.clusters {
            if !w.clusters.contains_key(c) {
                continue;
            }
            let def = local_definition(net, c, &n.uid, number, &n.name, &net.address_of(&n.uid));
            state.storage.insert(world::definition_path(c), json!(def));
            for dir in world::CLUSTER_DIRS {
                state.storage.insert(format!("{c}/{dir}"), json!([]));
            }
        }
        if let Some(online) =
            n.online.as_ref().filter(|c| state.storage.contains_key(&world::definition_path(c)))
        {
            state.storage.insert(world::CURRENT.into(), json!(online));
        }
        w.nodes.insert(n.uid.clone(), state);
    }
    w
}

/// A node's local definition in a cluster, with the cluster's registry server list.
pub(crate) fn local_definition(
    net: &Net,
    cluster: &str,
    uid: &str,
    number: u32,
    name: &str,
    address: &str,
) -> world::LocalDefinition {
    let registry_servers = net.registry_numbers(cluster);
    world::LocalDefinition {
        cluster: world::ClusterRecord { id: cluster.into(), name: net.cluster_name(cluster) },
        node: world::NodeRecord {
            uid: uid.into(),
            number,
            name: name.into(),
            address: address.into(),
        },
        primary: registry_servers.first().copied(),
        registry_servers,
    }
}
