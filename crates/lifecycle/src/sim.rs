//! The simulator's core: the one way the world changes (recorded as changes of the next event),
//! faults and crashes, message delivery, and registry requests along a node's ordered registry
//! list (`docs/spec.md §6`).
//!
//! Under faults (`docs/spec.md §6`, "Under faults"): the registry servers of a cluster that run
//! and reach each other form *parts* ([`Sim::parts`]); [`Sim::regroup`] runs phase 1 again over
//! every part that changed (a merge, a part gaining or losing its quorum) and phase 2 for the
//! servers whose Group Services runs, naming every committed write a merge loses. Two entry
//! points are the only routes to the registry, so that every operation gets these rules:
//! - [`Sim::ask_registry`]: every registry request (read or write), along the client's ordered
//!   list, skipping servers that do not answer, wait for a quorum, or hold a stale replica;
//! - [`Sim::replicate`]: every committed write, through the writer's part: the write-enabled
//!   replicas of that part take it (one more incarnation each); a replica outside it and in no
//!   serving part is marked stale. Its [`Written`] names both for outcome texts.
//!
//! The invariants ([`crate::invariants`]) are checked after every event as it is emitted.

use crate::invariants::{Checker, Violation};
use crate::net::Net;
use crate::scenario::{Fault, FaultKind, Op};
use crate::trace::{Access, Event};
use crate::world::{self, serves_reads, Change, Key, Process, Replica, World};
use clusterplan_engine::document::Quorum;
use clusterplan_engine::sorting;
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
    /// The kind of the operation running now, and the figure its faults name.
    pub op_kind: Option<Op>,
    /// The cluster whose bootstrap is running (its own steps run its registry's phases).
    pub booting: Option<String>,
    /// cluster -> the parts as the last regroup left them (each sorted, in server order).
    parts_seen: BTreeMap<String, Vec<Vec<String>>>,
    /// Every committed write: its cluster, what it wrote, and the replicas holding it now.
    commits: Vec<Commit>,
    /// Commits that a phase 2 copy left on no replica, not yet reported.
    lost: Vec<usize>,
    /// Counts the changes of who runs a registry and who reaches whom (the parts' cache key).
    topology: u64,
    /// cluster -> (topology count, its parts).
    parts_cache: std::cell::RefCell<BTreeMap<String, (u64, Parts)>>,
    /// The invariants, checked after every event.
    pub checker: Checker,
    pub violations: Vec<Violation>,
}

/// A cluster's parts: each the running registry servers that reach each other.
type Parts = Vec<Vec<String>>;

/// One committed write (`docs/spec.md §6`: a merge names every committed write it loses).
#[derive(Debug, Clone)]
struct Commit {
    cluster: String,
    what: String,
    holders: Vec<String>,
}

/// What a replicated write reached.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written {
    /// The replicas that took the write (the writer's part, write-enabled).
    pub written: Vec<String>,
    /// The replicas that missed it and are stale now.
    pub stale: Vec<String>,
    /// The replicas that missed it while serving another part (they stay as they are).
    pub missed: Vec<String>,
}

impl Written {
    /// `n1, n2`, `n1, n2; left stale: n3` or `n1; not reached: n3 (serving another part)`,
    /// for event and outcome texts.
    pub fn describe(&self) -> String {
        let mut text = self.written.join(", ");
        if !self.stale.is_empty() {
            text.push_str(&format!("; left stale: {}", self.stale.join(", ")));
        }
        if !self.missed.is_empty() {
            text.push_str(&format!(
                "; not reached: {} (serving another part)",
                self.missed.join(", ")
            ));
        }
        text
    }

    /// Every replica of the cluster took the write.
    pub fn everywhere(&self) -> bool {
        self.stale.is_empty() && self.missed.is_empty()
    }
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

impl Entry {
    /// `node 9 = n9`, `node 9 removed`, `resource 3/controller:disk`.
    fn describe(&self) -> String {
        match self {
            Entry::Node(n, Some(uid)) => format!("node {n} = {uid}"),
            Entry::Node(n, None) => format!("node {n} removed"),
            Entry::Resource(n, c, Some(_)) => format!("resource {n}/{c}"),
            Entry::Resource(n, c, None) => format!("resource {n}/{c} removed"),
            Entry::Attribute(a, Some(v)) => format!("{a} = {v}"),
            Entry::Attribute(a, None) => format!("{a} removed"),
        }
    }
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

/// Registry process states of a server that takes part in its cluster's parts: phase 1 done
/// (or under way: `started`), whether it serves or waits.
fn in_parts(p: &Process) -> bool {
    matches!(
        p.state.as_str(),
        "started" | "read-only" | "stale" | "waiting" | "phase-2" | "write-enabled"
    )
}

impl Sim {
    pub fn new(world: World, net: Net, faults: Vec<Fault>) -> Sim {
        let fired = vec![false; faults.len()];
        let checker = Checker::new(&world);
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
            op_kind: None,
            booting: None,
            parts_seen: BTreeMap::new(),
            commits: Vec::new(),
            lost: Vec::new(),
            topology: 0,
            parts_cache: Default::default(),
            checker,
            violations: Vec::new(),
        }
    }

    /// The figure the current operation's faults name.
    fn fault_figure(&self) -> Option<&'static str> {
        self.op_kind.and_then(|o| o.figure()).map(|f| f.0)
    }

    /// Changes one key, recorded as a change of the next event (nothing when equal).
    pub fn set(&mut self, key: Key, after: Value) {
        let before = self.world.get(&key);
        if before != after {
            match &key {
                Key::Up { .. } | Key::Connected { .. } | Key::Router { .. } => self.topology += 1,
                Key::Process { process, .. } if process == "registry" => self.topology += 1,
                _ => {}
            }
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
        self.checker.event(&self.world, &self.net, &event, &mut self.violations);
        self.events.push(event);
        if let (Some(figure), Some(step)) = (figure, step) {
            let key = Some((self.op, figure, step));
            let count = if self.step_events.0 == key { self.step_events.1 + 1 } else { 1 };
            self.step_events = (key, count);
            if self.fault_figure() == Some(figure) {
                self.crash(figure, step, Some(count));
            }
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

    /// Fires the crash and disconnect faults of this step placed after `after` of its events
    /// (`None`: as it begins, `after` absent or 0): the node goes down, or is cut off; the
    /// registry parts are formed again.
    fn crash(&mut self, figure: &'static str, step: u8, after: Option<usize>) {
        for i in 0..self.faults.len() {
            let f = &self.faults[i];
            let placed = f.after.filter(|&k| k > 0);
            if self.fired[i]
                || f.operation != self.op
                || f.step != step
                || f.kind == FaultKind::Fail
                || placed != after
            {
                continue;
            }
            self.fired[i] = true;
            let kind = f.kind;
            let Some(node) = f.node.clone() else { continue };
            let when = match after {
                None => format!("as step {step} begins"),
                Some(k) => format!("during step {step}, after {k} of its events"),
            };
            let state = self.world.node(&node).map(|n| (n.up, n.connected));
            let what = match (kind, state) {
                (FaultKind::Crash, Some((true, _))) => {
                    self.go_down(&node);
                    format!("{node} crashes {when}: it is down and every process on it is gone")
                }
                (FaultKind::Disconnect, Some((true, true))) => {
                    self.set(Key::Connected { node: node.clone() }, false.into());
                    format!("{node} is cut off {when}: no message reaches it or leaves it")
                }
                _ => continue,
            };
            self.emit(Some(figure), Some(step), Some(&node), "fault", what);
            self.regroup_all();
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
                Some(_) if self.world.replica(cluster, server).is_some_and(|r| r.stale) => {
                    Err("its replica is stale".to_owned())
                }
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

    /// A committed write through `server` (the one route for writes, `docs/spec.md §6`): the
    /// write-enabled replicas of the server's part take the entries and one more incarnation;
    /// every other replica of the cluster that is in no serving part misses it and is marked
    /// stale. Returns both lists.
    pub fn replicate(&mut self, cluster: &str, server: &str, entries: &[Entry]) -> Written {
        let part: std::collections::HashSet<String> =
            self.part_of(cluster, server).into_iter().collect();
        let mut out = Written::default();
        for s in self.net.registry_servers(cluster) {
            let state = self.registry(cluster, &s).map(|p| p.state.clone());
            let in_part = part.contains(&s);
            if in_part && state.as_deref() == Some("write-enabled") {
                out.written.push(s);
            } else if self.world.replica(cluster, &s).is_some()
                && (in_part || !state.as_ref().is_some_and(|st| serving_state(st)))
            {
                out.stale.push(s);
            } else if self.world.replica(cluster, &s).is_some() {
                out.missed.push(s);
            }
        }
        for r in &out.written {
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
        if out.written.is_empty() {
            out.stale.clear();
            out.missed.clear();
            return out;
        }
        // A copy at a higher incarnation than the write made is not behind it: phase 1 will
        // choose it (a set-up makes such copies); every other one missed the write.
        let made = out
            .written
            .iter()
            .filter_map(|r| self.world.replica(cluster, r))
            .map(|r| r.incarnation)
            .min()
            .unwrap_or(0);
        let world = &self.world;
        out.stale.retain(|r| world.replica(cluster, r).is_some_and(|x| x.incarnation < made));
        for r in &out.stale {
            self.set(Key::Stale { cluster: cluster.into(), replica: r.clone() }, true.into());
        }
        let what: Vec<String> = entries.iter().map(Entry::describe).collect();
        self.commits.push(Commit {
            cluster: cluster.into(),
            what: what.join(", "),
            holders: out.written.clone(),
        });
        out
    }

    /// The running registry servers of `cluster` (node up, registry process in a phase), in
    /// the cluster's server order.
    fn members(&self, cluster: &str) -> Vec<String> {
        self.net
            .servers_of(cluster)
            .iter()
            .filter(|s| self.world.node(s).is_some_and(|n| n.up))
            .filter(|s| self.registry(cluster, s).is_some_and(in_parts))
            .cloned()
            .collect()
    }

    /// The parts of `cluster`'s running registry servers: those that reach each other (a
    /// message delivered both ways, through any chain of them), each in server order.
    pub fn parts(&self, cluster: &str) -> Vec<Vec<String>> {
        if let Some((t, parts)) = self.parts_cache.borrow().get(cluster) {
            if *t == self.topology {
                return parts.clone();
            }
        }
        let parts = self.form_parts(cluster);
        self.parts_cache.borrow_mut().insert(cluster.to_owned(), (self.topology, parts.clone()));
        parts
    }

    fn form_parts(&self, cluster: &str) -> Vec<Vec<String>> {
        let members = self.members(cluster);
        let mut parts: Vec<Vec<String>> = Vec::new();
        let mut placed = vec![false; members.len()];
        for i in 0..members.len() {
            if placed[i] {
                continue;
            }
            placed[i] = true;
            let mut part = vec![i];
            let mut k = 0;
            while k < part.len() {
                let a = &members[part[k]];
                for j in 0..members.len() {
                    let b = &members[j];
                    if !placed[j] && self.delivers(a, b) && self.delivers(b, a) {
                        placed[j] = true;
                        part.push(j);
                    }
                }
                k += 1;
            }
            part.sort_unstable();
            parts.push(part.into_iter().map(|x| members[x].clone()).collect());
        }
        parts
    }

    /// The part `server` is in (itself alone when its registry does not run).
    pub fn part_of(&self, cluster: &str, server: &str) -> Vec<String> {
        self.parts(cluster)
            .into_iter()
            .find(|p| p.iter().any(|s| s == server))
            .unwrap_or_else(|| vec![server.to_owned()])
    }

    /// Whether a part of `size` servers may serve under the cluster's quorum rule.
    pub fn has_quorum(&self, cluster: &str, size: usize) -> bool {
        match self.net.quorum(cluster) {
            Quorum::None => true,
            Quorum::Majority => size * 2 > self.net.servers_of(cluster).len(),
        }
    }

    /// Forms every cluster's parts again after a change of who runs or who reaches whom.
    pub fn regroup_all(&mut self) {
        let clusters: Vec<String> = self.world.clusters.keys().cloned().collect();
        for c in clusters {
            self.regroup(&c);
        }
    }

    /// Forms `cluster`'s parts again (`docs/spec.md §6`, under faults). A part that is one of
    /// the parts seen before changes nothing; a part that only lost servers and still serves
    /// goes on as it was. Otherwise (a merge, a server starting, a quorum gained or lost):
    /// without a quorum its servers wait; with one, phase 1 runs over the part (the highest
    /// incarnation chosen, a divergence named) and phase 2 on each server whose Group Services
    /// runs, updating lower copies and naming the committed writes they held alone (lost).
    pub fn regroup(&mut self, cluster: &str) {
        if self.booting.as_deref() == Some(cluster) {
            return;
        }
        let parts = self.parts(cluster);
        let seen = self.parts_seen.get(cluster).cloned().unwrap_or_default();
        for part in &parts {
            if seen.contains(part) {
                continue;
            }
            let state = |sim: &Sim, s: &str| {
                sim.registry(cluster, s).map(|p| p.state.clone()).unwrap_or_default()
            };
            let quorum = self.has_quorum(cluster, part.len());
            let fresh = part.iter().any(|s| {
                matches!(state(self, s).as_str(), "started" | "waiting")
                    || !seen.iter().any(|old| old.contains(s))
            });
            let within_one = seen.iter().any(|old| part.iter().all(|s| old.contains(s)));
            if quorum && within_one && !fresh {
                continue;
            }
            if !quorum {
                let total = self.net.servers_of(cluster).len();
                let mut changed = false;
                for s in part {
                    if state(self, s) != "waiting" {
                        self.set_process(
                            s,
                            "registry",
                            Some(Process::new("waiting", Some(cluster))),
                        );
                        changed = true;
                    }
                }
                if changed {
                    self.emit(Some("FIG 8"), Some(5), part.first().map(String::as_str), "System Registry", format!("the part {} holds {} of the {total} registry servers of {cluster}, no majority (quorum majority): it waits and serves nothing", part.join(", "), part.len()));
                }
                continue;
            }
            if self.phase1(cluster, part, true).is_some() {
                self.phase2(cluster, part);
            }
        }
        self.parts_seen.insert(cluster.to_owned(), parts);
    }

    /// Records the parts as they are, without running anything (after a bootstrap, whose own
    /// steps ran its phases).
    pub fn note_parts(&mut self, cluster: &str) {
        let parts = self.parts(cluster);
        self.parts_seen.insert(cluster.to_owned(), parts);
    }

    /// Phase 1 over one part: the copies not marked stale compete; the highest incarnation
    /// wins; equal incarnations with different contents are a divergence, and the lowest node
    /// number's copy wins (said in the trace). Each server becomes `read-only` (it holds the
    /// chosen copy) or `stale`. `merge`: one event for the part (a regroup); otherwise one per
    /// server (the bootstrap's step 5). Returns the server holding the chosen copy.
    pub fn phase1(&mut self, cluster: &str, part: &[String], merge: bool) -> Option<String> {
        let inc = |sim: &Sim, s: &str| sim.world.replica(cluster, s).map_or(0, |x| x.incarnation);
        let current: Vec<&String> = part
            .iter()
            .filter(|s| !self.world.replica(cluster, s).is_some_and(|r| r.stale))
            .collect();
        let Some(top) = current.iter().map(|s| inc(self, s)).max() else {
            for s in part {
                self.set_process(s, "registry", Some(Process::new("stale", Some(cluster))));
            }
            self.emit(Some("FIG 8"), Some(5), part.first().map(String::as_str), "System Registry", format!("phase 1 over {}: every copy here missed a committed write (stale): none is chosen, the part serves nothing until a current copy joins it", part.join(", ")));
            return None;
        };
        let highest: Vec<&String> =
            current.iter().copied().filter(|s| inc(self, s) == top).collect();
        let number = |s: &str| self.net.number_of(cluster, s).unwrap_or(u32::MAX);
        let chosen =
            highest.iter().min_by_key(|s| (number(s), s.as_str())).map(|s| (*s).clone())?;
        let copy = self.world.replica(cluster, &chosen).cloned().unwrap_or_default();
        let diverged: Vec<String> = highest
            .iter()
            .filter(|s| !self.world.replica(cluster, s).is_some_and(|r| r.same_content(&copy)))
            .map(|s| (*s).clone())
            .collect();
        let holds = |sim: &Sim, s: &str| {
            inc(sim, s) == top
                && !sim.world.replica(cluster, s).is_some_and(|r| r.stale)
                && sim.world.replica(cluster, s).is_some_and(|r| r.same_content(&copy))
        };
        if merge {
            let copies: Vec<String> =
                part.iter().map(|s| format!("{s} {}", inc(self, s))).collect();
            let mut lower: Vec<String> = Vec::new();
            for s in part {
                let state = if holds(self, s) { "read-only" } else { "stale" };
                if state == "stale" {
                    lower.push(s.clone());
                }
                self.set_process(s, "registry", Some(Process::new(state, Some(cluster))));
            }
            let mut what = format!("phase 1 again over the part {} (incarnations {}): the highest is {top}, {chosen}'s copy is chosen", part.join(", "), copies.join(", "));
            if !diverged.is_empty() {
                what.push_str(&format!("; divergence: {} also at {top} with other contents (the lowest node number's copy wins)", diverged.join(", ")));
            }
            if !lower.is_empty() {
                what.push_str(&format!("; stale until phase 2: {}", lower.join(", ")));
            }
            self.emit(Some("FIG 8"), Some(5), Some(&chosen), "System Registry", what);
            return Some(chosen);
        }
        for s in part {
            let mine = inc(self, s);
            let (state, what) = if holds(self, s) {
                ("read-only", format!("phase 1: the highest incarnation is {top}; this copy is one of the highest: it serves reads, not writes"))
            } else if mine == top && !self.world.replica(cluster, s).is_some_and(|r| r.stale) {
                ("stale", format!("phase 1: divergence: this copy is at the highest incarnation {top} with other contents than {chosen}'s; the lowest node number's copy ({chosen}) is chosen: this one is stale until phase 2 updates it"))
            } else if mine == top {
                ("stale", format!("phase 1: this copy missed a committed write (stale): it serves nothing until phase 2 updates it from {chosen}"))
            } else {
                ("stale", format!("phase 1: the highest incarnation is {top} ({chosen}); this copy ({mine}) is stale: it serves nothing until phase 2 updates it"))
            };
            self.set_process(s, "registry", Some(Process::new(state, Some(cluster))));
            self.emit(Some("FIG 8"), Some(5), Some(s), "System Registry", what);
        }
        Some(chosen)
    }

    /// Phase 2 over one part that serves, for each server whose Group Services runs on its
    /// node (FIG 7): a copy other than the chosen one is updated from it, then writes are
    /// enabled. A server whose Group Services does not run yet waits (it stays as phase 1 left
    /// it). Reports the committed writes the updates lost.
    pub fn phase2(&mut self, cluster: &str, part: &[String]) {
        let holder = part
            .iter()
            .find(|s| {
                self.registry(cluster, s).is_some_and(serves_reads)
                    && !self.world.replica(cluster, s).is_some_and(|r| r.stale)
            })
            .cloned();
        let Some(holder) = holder else { return };
        let mut enabled = Vec::new();
        // The stale copies first, each updated in an event of its own; then the others conclude
        // together.
        let mut order: Vec<&String> = part.iter().collect();
        sorting::sort_by_key(&mut order, |s| {
            self.registry(cluster, s).is_none_or(|p| p.state != "stale")
        });
        for s in order {
            let Some(state) = self.registry(cluster, s).map(|p| p.state.clone()) else { continue };
            if !matches!(state.as_str(), "read-only" | "stale" | "phase-2") {
                continue;
            }
            if !self.world.node(s).is_some_and(|n| n.ready("group-services", cluster)) {
                continue;
            }
            if state == "stale" {
                let before = self.world.replica(cluster, s).map_or(0, |x| x.incarnation);
                self.copy_replica(cluster, s, &holder);
                self.set_process(s, "registry", Some(Process::new("write-enabled", Some(cluster))));
                let after = self.world.replica(cluster, s).map_or(0, |x| x.incarnation);
                let access = Access::Phase2Update { cluster: cluster.into(), server: s.clone() };
                self.emit_access(Some("FIG 8"), Some(15), Some(s), "System Registry", format!("phase 2: updates its copy from {holder} with Group Services' membership (incarnation {before} -> {after}) and joins the write group"), Some(access));
                self.report_lost(cluster, s);
                continue;
            }
            self.set_process(s, "registry", Some(Process::new("write-enabled", Some(cluster))));
            enabled.push(s.clone());
        }
        if !enabled.is_empty() {
            self.emit(
                Some("FIG 8"),
                Some(16),
                Some(&holder),
                "System Registry",
                format!(
                    "concludes phase 2 on {}: replicated writes are enabled",
                    enabled.join(", ")
                ),
            );
        }
    }

    /// Phase 2 for every serving part of `cluster` whose servers wait for it (a registry
    /// server whose Group Services has just started, FIG 7).
    pub fn phase2_waiting(&mut self, cluster: &str) {
        for part in self.parts(cluster) {
            if self.has_quorum(cluster, part.len()) {
                self.phase2(cluster, &part);
            }
        }
    }

    /// Makes `server`'s replica an exact copy of `from`'s (phase 2's update): contents,
    /// incarnation, the stale mark cleared; the commits it held go with its old copy.
    pub fn copy_replica(&mut self, cluster: &str, server: &str, from: &str) {
        let Some(chosen) = self.world.replica(cluster, from).cloned() else { return };
        copy_contents(self, cluster, server, &chosen);
        self.set(Key::Stale { cluster: cluster.into(), replica: server.into() }, false.into());
        for (i, c) in self.commits.iter_mut().enumerate() {
            if c.cluster != cluster {
                continue;
            }
            let had = !c.holders.is_empty();
            let holds = c.holders.iter().any(|h| h == from);
            c.holders.retain(|h| h != server);
            if holds {
                c.holders.push(server.to_owned());
            }
            if had && c.holders.is_empty() {
                self.lost.push(i);
            }
        }
    }

    /// An event naming the committed writes that the last updates left on no replica.
    pub fn report_lost(&mut self, cluster: &str, server: &str) {
        if self.lost.is_empty() {
            return;
        }
        let lost: Vec<String> = std::mem::take(&mut self.lost)
            .into_iter()
            .map(|i| self.commits[i].what.clone())
            .collect();
        let access = Access::Lost { cluster: cluster.into(), writes: lost.clone() };
        self.emit_access(None, None, Some(server), "System Registry", format!("committed writes lost: the copy phase 1 chose does not hold them, and {server}'s copy, the last that did, was overwritten: {}", lost.join("; ")), Some(access));
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

    /// Some registry server of the cluster accepts writes (for outcome checks; no request
    /// counted).
    pub fn cluster_writable(&self, cluster: &str) -> bool {
        self.net
            .servers_of(cluster)
            .iter()
            .any(|s| self.registry(cluster, s).is_some_and(|p| p.state == "write-enabled"))
    }

    /// The registry server `client` would read from now (the first of its ordered list that
    /// answers and holds a current copy), without a request: what a check reads.
    pub fn serving_replica(&self, cluster: &str, client: &str) -> Option<String> {
        self.net
            .order(cluster, client)
            .iter()
            .find(|s| {
                self.delivers(client, s)
                    && self.registry(cluster, s).is_some_and(serves_reads)
                    && !self.world.replica(cluster, s).is_some_and(|r| r.stale)
            })
            .cloned()
    }
}

/// A registry state in which a server serves its part (reads, and writes once enabled).
fn serving_state(state: &str) -> bool {
    matches!(state, "read-only" | "phase-2" | "write-enabled")
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

/// Makes `server`'s replica of `cluster` an exact copy of `chosen` (phase 2's update).
fn copy_contents(sim: &mut Sim, cluster: &str, server: &str, chosen: &Replica) {
    let Some(mine) = sim.world.replica(cluster, server).cloned() else { return };
    let c = cluster.to_owned();
    let r = server.to_owned();
    let numbers: std::collections::BTreeSet<u32> =
        sorting::btree_set(mine.nodes.keys().chain(chosen.nodes.keys()).copied());
    for n in numbers {
        let v = chosen.nodes.get(&n).cloned().map_or(Value::Null, Value::String);
        sim.set(Key::GlobalNode { cluster: c.clone(), replica: r.clone(), number: n }, v);
    }
    let mut keys: Vec<(u32, String)> = Vec::new();
    for x in [&mine, chosen] {
        for (n, m) in &x.resources {
            keys.extend(m.keys().map(|k| (*n, k.clone())));
        }
    }
    sorting::sort(&mut keys);
    keys.dedup();
    for (n, k) in keys {
        let v = chosen
            .resources
            .get(&n)
            .and_then(|m| m.get(&k))
            .cloned()
            .map_or(Value::Null, Value::String);
        sim.set(
            Key::Resource { cluster: c.clone(), replica: r.clone(), number: n, component: k },
            v,
        );
    }
    let names: std::collections::BTreeSet<String> =
        sorting::btree_set(mine.attributes.keys().chain(chosen.attributes.keys()).cloned());
    for name in names {
        let v = chosen.attributes.get(&name).cloned().map_or(Value::Null, Value::String);
        sim.set(Key::Attribute { cluster: c.clone(), replica: r.clone(), name }, v);
    }
    sim.set(Key::Incarnation { cluster: c, replica: r }, chosen.incarnation.into());
}
