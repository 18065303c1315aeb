//! What the Simulate tab shows, as pure data from a [`Simulation`] and a position in it: the event
//! list with each operation's outcome as it ends ([`rows`]), the storage inspector's before ->
//! after diff ([`storage_tree`], [`replica_rows`], [`process_rows`]) and what the canvas draws
//! ([`sim_overlay`]). Natively tested; the components only render these.

use clusterplan_engine::sorting;
use clusterplan_lifecycle::trace::Access;
use clusterplan_lifecycle::world::Key;
use clusterplan_lifecycle::{Event, Outcome, Simulation, World};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One event of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub seq: usize,
    pub operation: usize,
    /// `FIG 13`, or empty for an event no figure numbers.
    pub figure: String,
    pub step: Option<u8>,
    pub node: String,
    pub process: String,
    pub what: String,
    /// The event's changes, one text each (`A@n1 incarnation 1 -> 2`).
    pub changes: Vec<String>,
}

/// An operation's outcome, placed after its last event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow {
    pub operation: usize,
    pub op: String,
    /// `committed`, `aborted` or `refused`.
    pub verdict: &'static str,
    pub reason: String,
    pub uid_scenario: Option<u8>,
    /// The event after which it is known (0: before any event).
    pub after: usize,
}

impl OutcomeRow {
    /// `define-node: aborted (step 9: ...)`, `join: committed · UID scenario 2`.
    pub fn text(&self) -> String {
        let mut text = format!("{}: {}", self.op, self.verdict);
        if !self.reason.is_empty() {
            text.push_str(&format!(" ({})", self.reason));
        }
        if let Some(s) = self.uid_scenario {
            text.push_str(&format!(" · UID scenario {s}"));
        }
        text
    }
}

/// A row of the event list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Event(EventRow),
    Outcome(OutcomeRow),
}

fn event_row(e: &Event) -> EventRow {
    EventRow {
        seq: e.seq,
        operation: e.operation,
        figure: e.figure.unwrap_or_default().to_owned(),
        step: e.step,
        node: e.node.clone().unwrap_or_default(),
        process: e.process.clone(),
        what: e.what.clone(),
        changes: e.changes.iter().map(|c| c.to_string()).collect(),
    }
}

/// The event after which operation `o` has ended: its last event, or the last event before it
/// when it has none (a refused operation).
pub fn ends_after(sim: &Simulation, o: &Outcome) -> usize {
    sim.events.iter().filter(|e| e.operation <= o.operation).map(|e| e.seq).max().unwrap_or(0)
}

/// Every event in order, and each operation's outcome right after the event it ended with,
/// once the position has reached it (an outcome is not known before).
pub fn rows(sim: &Simulation, position: usize) -> Vec<Row> {
    let mut outcomes: Vec<OutcomeRow> = sim
        .outcomes
        .iter()
        .map(|o| OutcomeRow {
            operation: o.operation,
            op: o.op.to_owned(),
            verdict: o.result.name(),
            reason: o.reason.clone(),
            uid_scenario: o.uid_scenario,
            after: ends_after(sim, o),
        })
        .filter(|o| o.after <= position)
        .collect();
    outcomes.reverse();
    let mut rows = Vec::with_capacity(sim.events.len() + outcomes.len());
    let mut flush = |rows: &mut Vec<Row>, upto: usize| {
        while outcomes.last().is_some_and(|o| o.after <= upto) {
            rows.extend(outcomes.pop().map(Row::Outcome));
        }
    };
    flush(&mut rows, 0);
    for e in &sim.events {
        rows.push(Row::Event(event_row(e)));
        flush(&mut rows, e.seq);
    }
    flush(&mut rows, usize::MAX);
    rows
}

/// The current event (number `position`), if the position is past the start.
pub fn current(sim: &Simulation, position: usize) -> Option<&Event> {
    position.checked_sub(1).and_then(|i| sim.events.get(i))
}

/// How many events of the current event's step came before it in its operation (where "Crash
/// here" places a crash: after that many events of the step).
pub fn events_before_in_step(sim: &Simulation, position: usize) -> usize {
    let Some(e) = current(sim, position) else { return 0 };
    sim.events[..position - 1]
        .iter()
        .filter(|o| o.operation == e.operation && o.figure == e.figure && o.step == e.step)
        .count()
}

/// One line of the inspector: a value before and after the current event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    /// What it is (`current`, `incarnation`, `node 9`).
    pub label: String,
    /// Nesting in the FIG 10 tree (0 = top).
    pub depth: usize,
    /// A directory of the tree (no value).
    pub dir: bool,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl DiffRow {
    /// The current event changed it.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// A storage value as one short text (strings without their quotes).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn storage_of(world: &World, node: &str) -> BTreeMap<String, String> {
    world
        .node(node)
        .map(|n| sorting::btree_map(n.storage.iter().map(|(k, v)| (k.clone(), value_text(v)))))
        .unwrap_or_default()
}

/// The node's local storage under `/var/ct` as the FIG 10 tree (directories, then entries, by
/// path), each entry before and after the current event (absent on one side when created or
/// removed).
pub fn storage_tree(before: &World, after: &World, node: &str) -> Vec<DiffRow> {
    let (b, a) = (storage_of(before, node), storage_of(after, node));
    let paths: BTreeSet<&String> = sorting::btree_set(b.keys().chain(a.keys()));
    let mut rows = Vec::new();
    let mut dirs_shown: BTreeSet<String> = BTreeSet::new();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        for depth in 0..parts.len() - 1 {
            let dir = parts[..=depth].join("/");
            if !paths_has_value(&b, &a, &dir) && dirs_shown.insert(dir) {
                rows.push(DiffRow {
                    label: format!("{}/", parts[depth]),
                    depth,
                    dir: true,
                    before: None,
                    after: None,
                });
            }
        }
        rows.push(DiffRow {
            label: parts[parts.len() - 1].to_owned(),
            depth: parts.len() - 1,
            dir: false,
            before: b.get(path).cloned(),
            after: a.get(path).cloned(),
        });
    }
    rows
}

fn paths_has_value(b: &BTreeMap<String, String>, a: &BTreeMap<String, String>, p: &str) -> bool {
    b.contains_key(p) || a.contains_key(p)
}

/// The node's processes (`registry: write-enabled@A`), before and after.
pub fn process_rows(before: &World, after: &World, node: &str) -> Vec<DiffRow> {
    let of = |w: &World| -> BTreeMap<String, String> {
        w.node(node)
            .map(|n| {
                let mut m: BTreeMap<String, String> = n
                    .processes
                    .iter()
                    .map(|(k, p)| (k.clone(), process_text(&p.state, p.cluster.as_deref())))
                    .collect();
                m.insert(" node".into(), if n.up { "up".into() } else { "down".into() });
                m
            })
            .unwrap_or_default()
    };
    diff(of(before), of(after), |k| k.trim().to_owned())
}

fn process_text(state: &str, cluster: Option<&str>) -> String {
    match cluster {
        Some(c) => format!("{state}@{c}"),
        None => state.to_owned(),
    }
}

fn diff(
    b: BTreeMap<String, String>,
    a: BTreeMap<String, String>,
    label: impl Fn(&str) -> String,
) -> Vec<DiffRow> {
    let keys: BTreeSet<&String> = sorting::btree_set(b.keys().chain(a.keys()));
    keys.into_iter()
        .map(|k| DiffRow {
            label: label(k),
            depth: 0,
            dir: false,
            before: b.get(k).cloned(),
            after: a.get(k).cloned(),
        })
        .collect()
}

/// One replica of a cluster's global configuration, before and after the current event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaView {
    pub cluster: String,
    /// The registry server node holding it.
    pub server: String,
    /// Incarnation, then node definitions (`node 9` -> uid), then resource entries.
    pub rows: Vec<DiffRow>,
}

/// Every replica of every cluster (clusters in order, replicas by server).
pub fn replica_rows(before: &World, after: &World) -> Vec<ReplicaView> {
    let mut keys: BTreeSet<(String, String)> = BTreeSet::new();
    for w in [before, after] {
        for (c, state) in &w.clusters {
            keys.extend(state.replicas.keys().map(|s| (c.clone(), s.clone())));
        }
    }
    keys.into_iter()
        .map(|(cluster, server)| {
            let of = |w: &World| -> BTreeMap<String, String> {
                let mut m = BTreeMap::new();
                if let Some(r) = w.replica(&cluster, &server) {
                    m.insert("0 incarnation".into(), r.incarnation.to_string());
                    for (n, uid) in &r.nodes {
                        m.insert(format!("1 node {n:>10}"), uid.clone());
                    }
                    for (n, entries) in &r.resources {
                        for (component, v) in entries {
                            m.insert(format!("2 resource {n:>10}/{component}"), v.clone());
                        }
                    }
                }
                m
            };
            let rows = diff(of(before), of(after), |k| {
                let label = k.split_once(' ').map_or(k, |(_, rest)| rest);
                label.split_whitespace().collect::<Vec<_>>().join(" ")
            });
            ReplicaView { cluster, server, rows }
        })
        .collect()
}

/// The keys the current event changed that belong to this node (to mark it on the drawing).
pub fn touches(event: &Event, node: &str) -> bool {
    event.changes.iter().any(|c| c.key.node() == Some(node))
}

/// What the canvas draws for the simulation at a position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimOverlay {
    /// Node uid -> its processes as (short label, state), in a fixed order.
    pub processes: BTreeMap<String, Vec<(String, String)>>,
    /// Registry server node uid -> `A inc 8 · 19 req`.
    pub registry: BTreeMap<String, String>,
    /// Nodes that are down.
    pub down: BTreeSet<String>,
    /// The current event's node.
    pub current: Option<String>,
    /// The registry server the current event's message went to (when another node).
    pub target: Option<String>,
    /// Node uid -> its cluster pointers (FIG 10): `A`, or `A → B` while a move's target is set.
    pub clusters: BTreeMap<String, String>,
}

/// One node's marks on the drawing during a simulation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimNode {
    /// (short label, state class, full state) per running process, in a fixed order.
    pub processes: Vec<(String, &'static str, String)>,
    /// `A inc 8 · 19 req` on a registry server node.
    pub registry: Option<String>,
    pub down: bool,
    /// The current event happens on it.
    pub current: bool,
    /// The current event's message goes to it.
    pub target: bool,
    /// Its current cluster, and the target while a move is under way (`A → B`).
    pub cluster: Option<String>,
}

/// The state class a badge is drawn with: `starting`, `phase1` (the registry read-only or in its
/// phase 2), `ready` (ready, running, write-enabled), `failed` (failed, stale), else `other`.
pub fn state_class(state: &str) -> &'static str {
    match state {
        "started" => "starting",
        "read-only" | "phase-2" => "phase1",
        "ready" | "running" | "write-enabled" => "ready",
        "failed" | "stale" => "failed",
        "off" => "off",
        _ => "other",
    }
}

impl SimOverlay {
    /// The marks of one node.
    pub fn node(&self, uid: &str) -> SimNode {
        SimNode {
            processes: self
                .processes
                .get(uid)
                .map(|ps| ps.iter().map(|(l, s)| (l.clone(), state_class(s), s.clone())).collect())
                .unwrap_or_default(),
            registry: self.registry.get(uid).cloned(),
            down: self.down.contains(uid),
            current: self.current.as_deref() == Some(uid),
            target: self.target.as_deref() == Some(uid),
            cluster: self.clusters.get(uid).cloned(),
        }
    }
}

/// The order and short labels of the processes on a node's badges.
const PROCESSES: [(&str, &str); 5] = [
    ("dcm", "DCM"),
    ("registry", "Reg"),
    ("liveness", "Live"),
    ("group-services", "GS"),
    ("resource-manager", "RM"),
];

/// The server a registry access went to.
fn access_server(access: &Access) -> Option<&str> {
    match access {
        Access::GlobalRead { server, .. }
        | Access::GlobalWrite { server, .. }
        | Access::Phase2Update { server, .. } => Some(server),
        Access::Local { .. } | Access::SetUp | Access::Database { .. } | Access::Lost { .. } => {
            None
        }
    }
}

/// Requests each registry server served up to and including event `position` (reads and
/// writes through it).
pub fn requests_so_far(sim: &Simulation, position: usize) -> BTreeMap<String, u64> {
    let mut served = BTreeMap::new();
    for e in sim.events.iter().take(position) {
        if let Some(Access::GlobalRead { server, .. } | Access::GlobalWrite { server, .. }) =
            &e.access
        {
            *served.entry(server.clone()).or_insert(0) += 1;
        }
    }
    served
}

/// The simulation's marks on the drawing once `position` events have happened.
pub fn sim_overlay(sim: &Simulation, world: &World, position: usize) -> SimOverlay {
    let mut overlay = SimOverlay::default();
    let served = requests_so_far(sim, position);
    for (uid, n) in &world.nodes {
        if !n.up {
            overlay.down.insert(uid.clone());
        }
        let mut badges: Vec<(String, String)> = PROCESSES
            .iter()
            .filter_map(|(key, label)| {
                n.process(key).map(|p| ((*label).to_owned(), p.state.clone()))
            })
            .collect();
        badges.extend(n.processes.iter().filter_map(|(k, p)| {
            k.strip_prefix("controller:").map(|c| (c.to_owned(), p.state.clone()))
        }));
        if badges.is_empty() {
            // No process runs: the node is off (docs/lifecycle.md).
            badges.push(("off".to_owned(), "off".to_owned()));
        }
        overlay.processes.insert(uid.clone(), badges);
        let pointers = match (n.current(), n.target()) {
            (Some(c), Some(t)) if c != t => Some(format!("{c} → {t}")),
            (None, Some(t)) => Some(format!("→ {t}")),
            (Some(c), _) => Some(c),
            (None, None) => None,
        };
        if let Some(text) = pointers {
            overlay.clusters.insert(uid.clone(), text);
        }
    }
    for (cluster, state) in &world.clusters {
        for (server, replica) in &state.replicas {
            let text = format!(
                "{cluster} inc {} · {} req",
                replica.incarnation,
                served.get(server).copied().unwrap_or(0)
            );
            overlay
                .registry
                .entry(server.clone())
                .and_modify(|t| *t = format!("{t} | {text}"))
                .or_insert(text);
        }
    }
    if let Some(e) = current(sim, position) {
        overlay.current = e.node.clone();
        overlay.target = e
            .access
            .as_ref()
            .and_then(access_server)
            .map(str::to_owned)
            .or_else(|| {
                e.changes.iter().find_map(|c| match &c.key {
                    Key::Incarnation { replica, .. } | Key::GlobalNode { replica, .. } => {
                        Some(replica.clone())
                    }
                    _ => None,
                })
            })
            .filter(|t| Some(t) != e.node.as_ref());
    }
    overlay
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::simulate::lessons;

    fn lesson(id: &str) -> Simulation {
        let doc = crate::examples::by_id(lessons::MODEL).unwrap().document();
        lessons::run(&doc, id, &[]).unwrap().unwrap()
    }

    fn outcomes(rows: &[Row]) -> Vec<(usize, String)> {
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| match r {
                Row::Outcome(o) => Some((i, o.text())),
                Row::Event(_) => None,
            })
            .collect()
    }

    #[test]
    fn each_outcome_shows_after_its_last_event_once_reached() {
        let sim = lesson("fig13-define-fails-step-9");
        let n = sim.events.len();
        assert_eq!(n, 126);
        let all = rows(&sim, n);
        let shown = outcomes(&all);
        assert_eq!(shown.len(), 3);
        // The bootstrap's outcome right after its last event (115), the define's and the
        // refused join's (no events of its own) after 126.
        assert_eq!(shown[0].0, 115);
        assert!(shown[0].1.starts_with("bootstrap: committed"), "{}", shown[0].1);
        assert!(shown[1].1.starts_with("define-node: aborted (step 9"), "{}", shown[1].1);
        assert!(shown[2].1.starts_with("join: refused (n9 holds no definition of A"));
        assert_eq!(all.len(), n + 3);
        // Before the end of the bootstrap no outcome is known; after it, one.
        assert!(outcomes(&rows(&sim, 114)).is_empty());
        assert_eq!(outcomes(&rows(&sim, 115)).len(), 1);
        let Row::Event(e) = &all[123] else { panic!() };
        assert_eq!(
            (e.seq, e.figure.as_str(), e.step, e.node.as_str()),
            (123, "FIG 13", Some(8), "n1")
        );
        let Row::Event(log) = &all[126] else { panic!() };
        assert_eq!((log.seq, log.figure.as_str(), log.step), (126, "", None));
    }

    #[test]
    fn a_join_outcome_names_its_uid_scenario() {
        let sim = lesson("fig11-scenario-2-deleted-while-away");
        let texts: Vec<String> =
            outcomes(&rows(&sim, sim.events.len())).into_iter().map(|o| o.1).collect();
        assert!(
            texts.iter().any(|t| t.starts_with("join:") && t.contains("UID scenario 2")),
            "{texts:?}"
        );
    }

    #[test]
    fn the_storage_diff_marks_what_the_event_changed() {
        let sim = lesson("fig13-define-committed");
        // The define's step that writes n9's local definition.
        let e = sim
            .events
            .iter()
            .find(|e| {
                e.node.as_deref() == Some("n9") && touches(e, "n9") && e.figure == Some("FIG 13")
            })
            .unwrap();
        let (before, after) = (sim.world_after(e.seq - 1), sim.world_after(e.seq));
        let tree = storage_tree(&before, &after, "n9");
        let changed: Vec<&DiffRow> = tree.iter().filter(|r| r.changed()).collect();
        assert!(!changed.is_empty());
        assert!(changed.iter().all(|r| !r.dir));
        // A directory row comes before its entries, one level up.
        let first_entry = tree.iter().position(|r| !r.dir).unwrap();
        assert!(tree[..first_entry].iter().all(|r| r.dir));
        assert!(tree[0].dir && tree[0].depth == 0, "{:?}", tree[0]);
        // Nothing changed: no row marked.
        assert!(storage_tree(&after, &after, "n9").iter().all(|r| !r.changed()));
        // The replicas: the define's commit adds node 9 to every replica of A.
        let commit = sim
            .events
            .iter()
            .find(|e| e.changes.iter().any(|c| matches!(&c.key, Key::GlobalNode { number: 9, .. })))
            .unwrap();
        let replicas = replica_rows(&sim.world_after(commit.seq - 1), &sim.world_after(commit.seq));
        let a_n1 = replicas.iter().find(|r| r.cluster == "A" && r.server == "n1").unwrap();
        let nine = a_n1.rows.iter().find(|r| r.label == "node 9").unwrap();
        assert_eq!((nine.before.as_deref(), nine.after.as_deref()), (None, Some("n9")));
        assert_eq!(a_n1.rows[0].label, "incarnation");
        let labels: Vec<&str> = a_n1.rows.iter().map(|r| r.label.as_str()).collect();
        let (i2, i9) = (
            labels.iter().position(|l| *l == "node 2"),
            labels.iter().position(|l| *l == "node 9"),
        );
        assert!(i2 < i9, "node numbers in numeric order: {labels:?}");
    }

    #[test]
    fn an_aborted_define_leaves_the_inspector_as_before_it() {
        let sim = lesson("fig13-define-fails-step-9");
        let start = sim.events.iter().find(|e| e.operation == 1).unwrap().seq - 1;
        let end = sim.events.len();
        let (w0, w1) = (sim.world_after(start), sim.world_after(end));
        assert_eq!(replica_rows(&w0, &w0), replica_rows(&w1, &w1));
        assert_eq!(storage_tree(&w0, &w0, "n9"), storage_tree(&w1, &w1, "n9"));
    }

    #[test]
    fn the_drawing_shows_process_states_registry_counts_and_the_current_event() {
        let sim = lesson("fig13-define-fails-step-9");
        let world = sim.world_after(0);
        let start = sim_overlay(&sim, &world, 0);
        assert_eq!(start.current, None);
        assert!(start.registry.values().all(|t| t.ends_with(" 0 req")), "{:?}", start.registry);
        let end = sim.events.len();
        let o = sim_overlay(&sim, &sim.world_after(end), end);
        assert_eq!(o.current.as_deref(), Some("n1"));
        assert_eq!(o.processes["n1"][1], ("Reg".to_owned(), "write-enabled".to_owned()));
        // Requests counted event by event end where the run's totals do.
        assert_eq!(
            requests_so_far(&sim, sim.outcomes[0].requests.len().max(115)),
            sim.outcomes[0].requests
        );
        // A read of the global configuration from another node targets that server.
        let read = sim.events.iter().find(|e| e.seq == 33).unwrap();
        assert!(read.what.contains("from n3"));
        let o = sim_overlay(&sim, &sim.world_after(33), 33);
        assert_eq!(o.target.as_deref(), Some("n3"));
        let (n4, n3) = (o.node("n4"), o.node("n3"));
        assert!(n4.current && !n4.target && n3.target && !n3.current);
        assert_eq!(
            n3.registry.as_deref(),
            Some("A inc 1 · 2 req"),
            "n3 read for itself (32) and n4 (33)"
        );
        assert_eq!(n4.registry, None);
        assert_eq!(n3.processes[1], ("Reg".into(), "phase1", "read-only".into()));
        assert_eq!(state_class("stale"), "failed");
        assert_eq!(state_class("off"), "off");
        assert_eq!(state_class("started"), "starting");
    }

    #[test]
    fn the_drawing_shows_off_nodes_and_each_nodes_current_and_target_cluster() {
        let sim = lesson("fig18-move-committed");
        let start = sim_overlay(&sim, &sim.world_after(0), 0);
        assert_eq!(start.node("n5").processes, [("off".into(), "off", "off".into())]);
        // FIG 18 step 2 sets the target pointer: A → B until step 8 sets the current one.
        let target = sim
            .events
            .iter()
            .find(|e| e.figure == Some("FIG 18") && e.step == Some(2))
            .unwrap()
            .seq;
        let o = sim_overlay(&sim, &sim.world_after(target), target);
        assert_eq!(o.node("n5").cluster.as_deref(), Some("A → B"));
        assert_eq!(o.node("n4").cluster.as_deref(), Some("A"));
        assert!(o.node("n5").processes.iter().all(|p| p.0 != "off"));
        let end = sim.events.len();
        let o = sim_overlay(&sim, &sim.world_after(end), end);
        assert_eq!(o.node("n5").cluster.as_deref(), Some("B"));
    }
}
