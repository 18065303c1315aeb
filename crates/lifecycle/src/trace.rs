//! The trace as data: events with their changes, one outcome per operation, the world before and
//! after, and the world after any event (rebuilt by replaying changes, `docs/spec.md §6`).

use crate::invariants::Violation;
use crate::world::{Change, World};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How a process used another's data or function in an event (the FIG 6/7 dependency check of
/// [`crate::invariants`] reads it; not part of the JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The component read the local cluster configuration from its node's DCM.
    Local { component: String, cluster: String },
    /// The component read the global configuration from this registry server.
    GlobalRead { component: String, cluster: String, server: String },
    /// The component wrote the global configuration through this registry server.
    GlobalWrite { component: String, cluster: String, server: String },
    /// The registry server copied the chosen copy into its stale replica (phase 2, step 15).
    Phase2Update { cluster: String, server: String },
    /// A set-up event wrote the replica directly (`set-incarnation`).
    SetUp,
    /// The DCM created or erased a whole database of this cluster, or wrote a replica that no
    /// registry serves yet (`define-cluster`, `undefine-cluster`, the registry server
    /// operations: `docs/lifecycle.md`).
    Database { cluster: String },
    /// A merge's phase 2 overwrote the last copies holding these committed writes.
    Lost { cluster: String, writes: Vec<String> },
}

/// One event of the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// From 1.
    pub seq: usize,
    /// Index of the scenario operation it belongs to.
    pub operation: usize,
    /// `FIG 8`, `FIG 11`, `FIG 13`, `FIG 15`, `FIG 18`, or `null` for an event no figure numbers.
    pub figure: Option<&'static str>,
    /// The step number in that figure.
    pub step: Option<u8>,
    pub node: Option<String>,
    /// `DCM`, `System Registry`, `Liveness`, ..., `member DCM`, `non-member DCM`, `fault`.
    pub process: String,
    pub what: String,
    pub changes: Vec<Change>,
    #[serde(skip)]
    pub access: Option<Access>,
}

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Committed,
    Aborted,
    Refused,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Committed => "committed",
            Verdict::Aborted => "aborted",
            Verdict::Refused => "refused",
        }
    }
}

/// One operation's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub operation: usize,
    pub op: &'static str,
    pub result: Verdict,
    pub reason: String,
    /// The FIG 11 scenario a join found (join only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid_scenario: Option<u8>,
    /// Requests each registry server took during the operation (server uid -> count).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, u64>,
}

/// A whole run: what [`crate::simulate`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub initial: World,
    pub events: Vec<Event>,
    pub outcomes: Vec<Outcome>,
    pub final_world: World,
    /// Requests each registry server took over the whole run.
    pub requests: BTreeMap<String, u64>,
    /// The invariants this run broke, each once, with the event that broke it.
    pub violations: Vec<Violation>,
}

impl Simulation {
    /// The world after event `seq` (0 = the initial world), rebuilt from the initial world by
    /// replaying changes. To step back and forth, use [`World::apply`] / [`World::revert`] with
    /// one event's changes instead.
    pub fn world_after(&self, seq: usize) -> World {
        let mut w = self.initial.clone();
        for e in self.events.iter().take(seq) {
            for c in &e.changes {
                w.apply(c);
            }
        }
        w
    }

    /// The contract's `--json` object.
    pub fn to_json(&self) -> Value {
        json!({
            "outcomes": self.outcomes,
            "events": self.events,
            "requests": self.requests,
            "violations": self.violations,
            "initial": self.initial.to_json(),
            "final": self.final_world.to_json(),
        })
    }

    /// The readable trace: one event a line, then one outcome line per operation.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            out.push_str(&event_line(e));
            out.push('\n');
        }
        for o in &self.outcomes {
            out.push_str(&outcome_line(o));
            out.push('\n');
        }
        for v in &self.violations {
            out.push_str(&v.line());
            out.push('\n');
        }
        out
    }
}

/// `  12 op 0 FIG 8 step 5 n1 System Registry: ... [A@n2 incarnation 1 -> 5]`.
pub fn event_line(e: &Event) -> String {
    let mut line = format!("{:>4} op {}", e.seq, e.operation);
    match (e.figure, e.step) {
        (Some(f), Some(s)) => write!(line, " {f} step {s}"),
        (Some(f), None) => write!(line, " {f}"),
        _ => write!(line, " -"),
    }
    .ok();
    write!(line, " {} {}: {}", e.node.as_deref().unwrap_or("-"), e.process, e.what).ok();
    if !e.changes.is_empty() {
        let changes: Vec<String> = e.changes.iter().map(|c| c.to_string()).collect();
        write!(line, " [{}]", changes.join("; ")).ok();
    }
    line.replace(['\n', '\r'], " ")
}

/// `outcome 1 define-node: aborted (step 9 failed: ...) uid scenario 2 requests n1=3 n2=1`.
pub fn outcome_line(o: &Outcome) -> String {
    let mut line = format!("outcome {} {}: {}", o.operation, o.op, o.result.name());
    if !o.reason.is_empty() {
        write!(line, " ({})", o.reason).ok();
    }
    if let Some(s) = o.uid_scenario {
        write!(line, " uid scenario {s}").ok();
    }
    if !o.requests.is_empty() {
        let r: Vec<String> = o.requests.iter().map(|(k, v)| format!("{k}={v}")).collect();
        write!(line, " requests {}", r.join(" ")).ok();
    }
    line
}
