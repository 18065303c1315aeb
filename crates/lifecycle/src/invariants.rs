//! The nine invariants of `docs/spec.md §6` ("Under faults"), checked after every event of every
//! run, each violation reported once with the event that broke it:
//!
//! 1. `one-cluster`: a node is online in at most one cluster (after every event), and at the end
//!    of every operation the DCM and components of a node that is up serve the cluster of its
//!    current pointer, with no target pointer left;
//! 2. `unique-number`: in every replica a uid has one number (a number names one node by
//!    construction: a replica maps numbers to uids);
//! 3. `incarnation-forward`: a replica's incarnation never decreases (a `set-incarnation` set-up
//!    aside);
//! 4. `no-stale-service`: no stale replica, and no registry that does not serve, answers a read
//!    or takes a write;
//! 5. `agreement`: the serving replicas of one part at the same incarnation hold the same
//!    contents;
//! 6. `no-lost-write`: no committed write is lost (a merge's phase 2 overwriting its last copy);
//! 7. `atomic-define`: an aborted define-node leaves both repositories' contents as before (the
//!    DCM logs, incarnations and stale marks aside);
//! 8. `registry-runs`: a registry server node that an operation brought online in its cluster
//!    runs its registry when the operation ends;
//! 9. `fig7-order`: components read the local configuration only from a DCM that checked it,
//!    the global configuration changes only through a write-enabled registry, a phase 2 update
//!    or a set-up, and phase 2 starts on a node only once its Group Services runs.
//!
//! One [`Checker`] does it, fed by the simulation as it emits events and by [`check`], which
//! replays a finished run's trace (so a trace changed by hand is checked the same way).

use crate::net::Net;
use crate::scenario::{Op, Scenario, ScenarioError};
use crate::trace::{Access, Event, Simulation, Verdict};
use crate::world::{Key, World};
use clusterplan_engine::Document;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Its name in `docs/spec.md §6` (`no-lost-write`, ...).
    pub invariant: &'static str,
    /// The event that broke it (for a check at the end of an operation, the operation's last
    /// event; 0 when the run has none yet).
    pub event: usize,
    pub operation: usize,
    pub what: String,
    /// What it is about (a node, a replica, a write): each (invariant, subject) once.
    #[serde(skip)]
    pub subject: String,
}

impl Violation {
    /// `violation no-lost-write at event 57 (operation 4): ...`.
    pub fn line(&self) -> String {
        format!(
            "violation {} at event {} (operation {}): {}",
            self.invariant, self.event, self.operation, self.what
        )
        .replace(['\n', '\r'], " ")
    }
}

/// The checker's memory between events.
#[derive(Debug, Clone, Default)]
pub struct Checker {
    op: usize,
    kind: Option<Op>,
    /// The world as the current define-node began.
    before_define: Option<World>,
    /// Nodes online in a cluster as the current operation began: uid -> clusters.
    online_before: BTreeMap<String, Vec<String>>,
    reported: BTreeSet<(&'static str, String)>,
    last_seq: usize,
}

/// The registry of `server` runs for `cluster` and serves reads (or writes), and its replica
/// is not stale.
fn serves(world: &World, cluster: &str, server: &str, write: bool) -> bool {
    let running = world.node(server).and_then(|n| n.process("registry")).is_some_and(|p| {
        p.cluster.as_deref() == Some(cluster)
            && if write { p.state == "write-enabled" } else { crate::sim::serves_reads(p) }
    });
    running && !world.replica(cluster, server).is_some_and(|r| r.stale)
}

/// A message goes from `a` to `b` and back (both up and connected, reachable).
fn linked(world: &World, net: &Net, a: &str, b: &str) -> bool {
    let ok = |x: &str| world.node(x).is_some_and(|n| n.up && n.connected);
    a == b || (ok(a) && ok(b) && net.reachable(a, b) && net.reachable(b, a))
}

impl Checker {
    pub fn new(_initial: &World) -> Checker {
        Checker::default()
    }

    fn push(
        &mut self,
        out: &mut Vec<Violation>,
        invariant: &'static str,
        subject: String,
        what: String,
    ) {
        if self.reported.insert((invariant, subject.clone())) {
            out.push(Violation {
                invariant,
                event: self.last_seq,
                operation: self.op,
                what,
                subject,
            });
        }
    }

    /// An operation begins on `world`.
    pub fn begin(&mut self, world: &World, op: usize, kind: Option<Op>) {
        self.op = op;
        self.kind = kind;
        self.before_define = (kind == Some(Op::DefineNode)).then(|| world.clone());
        self.online_before = world
            .nodes
            .iter()
            .filter(|(_, n)| n.up)
            .map(|(uid, n)| (uid.clone(), n.online_in()))
            .filter(|(_, c)| !c.is_empty())
            .collect();
    }

    /// Checks one event; `world` is the world after it.
    pub fn event(&mut self, world: &World, net: &Net, e: &Event, out: &mut Vec<Violation>) {
        self.last_seq = e.seq;
        match &e.access {
            Some(Access::Local { component, cluster }) => {
                let node = e.node.as_deref().unwrap_or_default();
                if !world.node(node).is_some_and(|n| n.ready("dcm", cluster)) {
                    self.push(out, "fig7-order", format!("local {node} {component}"), format!("{component} on {node} reads the local configuration of {cluster} before the DCM checked it"));
                }
            }
            Some(Access::GlobalRead { component, cluster, server })
                if !serves(world, cluster, server, false) =>
            {
                self.push(out, "no-stale-service", format!("{cluster}@{server}"), format!("{component} reads the global configuration of {cluster} from {server}, whose registry does not serve (stopped, waiting, or its replica stale)"));
            }
            Some(Access::GlobalWrite { component, cluster, server })
                if !serves(world, cluster, server, true) =>
            {
                let stale = world.replica(cluster, server).is_some_and(|r| r.stale);
                let (rule, why) = if stale {
                    ("no-stale-service", "whose replica is stale")
                } else {
                    ("fig7-order", "which is not write-enabled (no write before phase 2)")
                };
                self.push(out, rule, format!("{cluster}@{server}"), format!("{component} writes the global configuration of {cluster} through {server}, {why}"));
            }
            Some(Access::Lost { cluster, writes }) => {
                for w in writes {
                    self.push(out, "no-lost-write", format!("{cluster} {w}"), format!("the committed write {w} of {cluster} is lost: the copy phase 1 chose at the merge does not hold it"));
                }
            }
            _ => {}
        }
        let write = matches!(e.access, Some(Access::GlobalWrite { .. }));
        let allowed =
            write || matches!(e.access, Some(Access::Phase2Update { .. } | Access::SetUp));
        let mut touched: Vec<&str> = Vec::new();
        let mut affected: Vec<(&str, &str)> = Vec::new();
        for c in &e.changes {
            if let Some(node) = c.key.node() {
                if touched.last() != Some(&node) {
                    touched.push(node);
                }
            }
            match &c.key {
                Key::GlobalNode { cluster, replica, .. }
                | Key::Resource { cluster, replica, .. } => {
                    if !allowed {
                        self.push(out, "fig7-order", format!("{cluster}@{replica} write"), format!("event {} changes the replica of {cluster} on {replica} outside any registry write", e.seq));
                    } else if write && !serves(world, cluster, replica, true) {
                        let stale = world.replica(cluster, replica).is_some_and(|r| r.stale);
                        let rule = if stale { "no-stale-service" } else { "fig7-order" };
                        self.push(
                            out,
                            rule,
                            format!("{cluster}@{replica}"),
                            format!(
                                "the replica of {cluster} on {replica} takes a write while {}",
                                if stale { "stale" } else { "not write-enabled" }
                            ),
                        );
                    }
                    if let (Key::GlobalNode { number, .. }, Some(uid)) = (&c.key, c.after.as_str())
                    {
                        let twice = world
                            .replica(cluster, replica)
                            .is_some_and(|r| r.nodes.iter().any(|(n, u)| u == uid && n != number));
                        if twice {
                            self.push(out, "unique-number", format!("{cluster} {uid}"), format!("in the replica of {cluster} on {replica}, uid {uid} has two node numbers (node {number} too)"));
                        }
                    }
                }
                Key::Incarnation { cluster, replica } => {
                    let (before, after) = (c.before.as_u64(), c.after.as_u64());
                    if matches!((before, after), (Some(b), Some(a)) if a < b)
                        && !matches!(e.access, Some(Access::SetUp))
                    {
                        self.push(out, "incarnation-forward", format!("{cluster}@{replica}"), format!("the incarnation of {cluster}'s replica on {replica} goes back from {} to {}", c.before, c.after));
                    }
                    if matches!(e.access, Some(Access::Phase2Update { .. })) {
                        affected.push((cluster, replica));
                    }
                }
                Key::Process { node, process } if process == "registry" => {
                    let state = c.after.get("state").and_then(|s| s.as_str()).unwrap_or_default();
                    let cluster =
                        c.after.get("cluster").and_then(|s| s.as_str()).unwrap_or_default();
                    if matches!(state, "phase-2" | "write-enabled")
                        && !world.node(node).is_some_and(|n| n.ready("group-services", cluster))
                    {
                        self.push(out, "fig7-order", format!("phase 2 {node}"), format!("the registry on {node} enters phase 2 ({state}) before Group Services runs on {node}"));
                    }
                    if matches!(state, "read-only" | "phase-2" | "write-enabled") {
                        affected.push((cluster, node));
                    }
                }
                _ => {}
            }
        }
        if write {
            self.agree_on(world, net, e, out);
        }
        for node in touched {
            if let Some(n) = world.node(node) {
                let online = n.online_in();
                if online.len() > 1 {
                    self.push(
                        out,
                        "one-cluster",
                        node.to_owned(),
                        format!("{node} is online in {}", online.join(" and ")),
                    );
                }
            }
        }
        for (cluster, server) in affected {
            if let Some(why) = disagreement(world, net, cluster, server) {
                self.push(out, "agreement", cluster.to_owned(), why);
            }
        }
    }

    /// A write's entries against the serving replicas of the cluster at the incarnation the
    /// write made that it did not change and that are in the writer's part.
    fn agree_on(&mut self, world: &World, net: &Net, e: &Event, out: &mut Vec<Violation>) {
        let mut written: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for c in &e.changes {
            if let Some((cluster, replica)) = c.key.replica() {
                written.entry(cluster).or_default().insert(replica);
            }
        }
        for (cluster, changed) in written {
            let Some(cs) = world.clusters.get(cluster) else { continue };
            let incs: BTreeSet<u64> =
                changed.iter().filter_map(|r| cs.replicas.get(*r)).map(|r| r.incarnation).collect();
            for (other, r) in &cs.replicas {
                if changed.contains(other.as_str())
                    || !incs.contains(&r.incarnation)
                    || !serves(world, cluster, other, false)
                {
                    continue;
                }
                for c in &e.changes {
                    let Some((_, replica)) = c.key.replica() else { continue };
                    let mut key = c.key.clone();
                    match &mut key {
                        Key::GlobalNode { replica, .. } | Key::Resource { replica, .. } => {
                            *replica = other.clone()
                        }
                        _ => continue,
                    }
                    let same_inc =
                        cs.replicas.get(replica).map(|x| x.incarnation) == Some(r.incarnation);
                    if same_inc && world.get(&key) != c.after && linked(world, net, replica, other)
                    {
                        self.push(out, "agreement", cluster.to_owned(), format!("the replicas of {cluster} on {replica} and {other} are both at incarnation {} in one part with different contents", r.incarnation));
                        break;
                    }
                }
            }
        }
    }

    /// The checks of the end of an operation that ended with `verdict`.
    pub fn end(
        &mut self,
        world: &World,
        net: &Net,
        verdict: Option<Verdict>,
        out: &mut Vec<Violation>,
    ) {
        for (uid, n) in &world.nodes {
            if !n.up {
                continue;
            }
            if let Some(t) = n.target() {
                self.push(
                    out,
                    "one-cluster",
                    format!("{uid} target"),
                    format!("{uid} still has the target pointer {t} after the operation"),
                );
            }
            let online = n.online_in();
            let Some(cluster) = online.first() else { continue };
            let dcm = n.process("dcm").and_then(|p| p.cluster.clone());
            if n.current().as_ref() != Some(cluster) || dcm.as_ref() != Some(cluster) {
                self.push(out, "one-cluster", format!("{uid} pointer"), format!("{uid}'s components serve {cluster} but its current pointer names {} and its DCM serves {}", n.current().unwrap_or("nothing".into()), dcm.unwrap_or("nothing".into())));
            }
            let was = self.online_before.get(uid).is_some_and(|c| c.contains(cluster));
            if online.len() == 1
                && !was
                && net.is_registry_server(cluster, uid)
                && n.process("registry").is_none_or(|p| p.cluster.as_ref() != Some(cluster))
            {
                self.push(out, "registry-runs", format!("{uid} {cluster}"), format!("{uid} came online in {cluster}, whose registry server it is, and does not run its registry"));
            }
        }
        if self.kind == Some(Op::DefineNode) && verdict == Some(Verdict::Aborted) {
            if let Some(before) = &self.before_define {
                // A stale replica serves nothing until phase 2 updates it: its contents are
                // not the repository's (the undo could not write a node that is down).
                let mut now = world.clone();
                for (c, cs) in &mut now.clusters {
                    for (r, x) in &mut cs.replicas {
                        if x.stale {
                            if let Some(old) = before.replica(c, r) {
                                x.nodes = old.nodes.clone();
                                x.resources = old.resources.clone();
                            }
                        }
                    }
                }
                if !now.same_repositories(before) {
                    self.push(
                        out,
                        "atomic-define",
                        format!("op {}", self.op),
                        "the aborted define-node left the repositories' contents changed".into(),
                    );
                }
            }
        }
        let clusters: Vec<&String> = world.clusters.keys().collect();
        for cluster in clusters {
            let servers: Vec<&String> = world.clusters[cluster].replicas.keys().collect();
            for s in servers {
                if serves(world, cluster, s, false) {
                    if let Some(why) = disagreement(world, net, cluster, s) {
                        self.push(out, "agreement", cluster.clone(), why);
                    }
                }
            }
        }
    }
}

/// The first other serving replica of `server`'s part at its incarnation whose contents differ.
fn disagreement(world: &World, net: &Net, cluster: &str, server: &str) -> Option<String> {
    if !serves(world, cluster, server, false) {
        return None;
    }
    let mine = world.replica(cluster, server)?;
    let cs = world.clusters.get(cluster)?;
    let other = cs.replicas.iter().find(|(s, r)| {
        s.as_str() != server
            && r.incarnation == mine.incarnation
            && serves(world, cluster, s, false)
            && linked(world, net, server, s)
    })?;
    (!other.1.same_content(mine)).then(|| {
        format!(
            "the replicas of {cluster} on {server} and {} are both at incarnation {} in one part with different contents",
            other.0, mine.incarnation
        )
    })
}

/// Checks a finished run of `scenario` on `doc` by replaying its trace: the violations the run
/// itself reported ([`Simulation::violations`]) when the trace is untouched.
pub fn check(
    sim: &Simulation,
    doc: &Document,
    scenario: &Scenario,
) -> Result<Vec<Violation>, ScenarioError> {
    let ops = scenario.validate(doc)?;
    let mut net = Net::new(doc);
    let mut world = sim.initial.clone();
    let mut checker = Checker::new(&world);
    let mut out = Vec::new();
    let mut next = 0;
    for (i, op) in ops.iter().enumerate() {
        checker.begin(&world, i, Some(*op));
        while let Some(e) = sim.events.get(next).filter(|e| e.operation == i) {
            next += 1;
            let mut routers = false;
            for c in &e.changes {
                world.apply(c);
                routers |= matches!(c.key, Key::Router { .. });
            }
            if routers {
                net.fail_routers(&world.failed_routers);
            }
            checker.event(&world, &net, e, &mut out);
        }
        let verdict = sim.outcomes.get(i).map(|o| o.result);
        checker.end(&world, &net, verdict, &mut out);
    }
    Ok(out)
}
