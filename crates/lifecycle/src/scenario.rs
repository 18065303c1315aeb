//! The scenario document (`cluster-planner-scenario/1`): operations to run and faults to inject.
//!
//! Read with [`read`] (text) and checked against a model with [`Scenario::validate`]: an unknown
//! op, node or cluster, a missing field, or a fault on a step its operation's figure does not
//! have is a [`ScenarioError`] naming it (the CLI prints it as one line, exit 2). Unknown fields
//! are kept in `extra`, as in the model document. See `docs/spec.md §6`.

use clusterplan_engine::Document;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// The format tag every scenario carries.
pub const FORMAT: &str = "cluster-planner-scenario/1";

/// Largest scenario text read (the same limit as a model document).
pub const MAX_SCENARIO_BYTES: usize = clusterplan_engine::document::MAX_DOCUMENT_BYTES;

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    #[serde(default = "default_format")]
    pub format: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub operations: Vec<Operation>,
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// What a lesson asks its reader to watch, each at its event (the app's Simulate tab lists
    /// them; the simulation ignores them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watch: Vec<Watch>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One thing to watch in a lesson: a sentence, and where it happens: the events of operation
/// `operation` (any, when absent) of figure `figure` at step `step` (any, when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
}

impl Watch {
    /// The event to show it at (its `seq`): the last of the first run of consecutive events
    /// that match, so what the step did is in view. `None`: no event matches.
    pub fn event(&self, events: &[crate::trace::Event]) -> Option<usize> {
        let matches = |e: &crate::trace::Event| {
            self.operation.is_none_or(|o| o == e.operation)
                && self.figure.as_deref().is_none_or(|f| e.figure == Some(f))
                && self.step.is_none_or(|s| e.step == Some(s))
        };
        let first = events.iter().position(matches)?;
        let run = events[first..].iter().take_while(|e| matches(e)).count();
        Some(events[first + run - 1].seq)
    }
}

fn default_format() -> String {
    FORMAT.to_owned()
}

/// One operation, with the fields its op needs (the others are ignored).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Operation {
    pub op: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incarnation: Option<u64>,
    /// `define-cluster`: the new cluster's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `define-cluster`: the machines (node uids) that are its registry servers, primary
    /// first; they are defined to it as nodes 1, 2, ... in this order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_servers: Option<Vec<String>>,
    /// `define-cluster`, `modify-cluster`: `none` or `majority` (`docs/spec.md §6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<String>,
    /// A router of the model (`fail-router`, `restore-router`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The process doing the step fails it: its message is lost or its write fails.
    #[default]
    Fail,
    /// The node (`node`, required) crashes as the step begins: down, every process gone.
    Crash,
    /// The node (`node`, required) is cut off (disconnected) as the step begins.
    Disconnect,
}

/// A step made to fail: `operation` indexes `operations`; `step` is the figure's step number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    pub operation: usize,
    pub step: u8,
    /// Narrows the fault to the process on this node (a node uid); for a crash, the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(default, skip_serializing_if = "is_fail")]
    pub kind: FaultKind,
    /// A crash only: after this many events of the step (0 or absent: as the step begins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<usize>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn is_fail(k: &FaultKind) -> bool {
    *k == FaultKind::Fail
}

/// The operations of `docs/spec.md §6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    Bootstrap,
    Join,
    DefineNode,
    UndefineNode,
    MoveNode,
    OnlineRegistryServer,
    OfflineRegistryServer,
    OfflineNode,
    Crash,
    Restart,
    Disconnect,
    Reconnect,
    ReplaceHardware,
    SetIncarnation,
    DefineCluster,
    UndefineCluster,
    ModifyCluster,
    DefineRegistryServer,
    UndefineRegistryServer,
    ModifyNode,
    OfflineCluster,
    FailRouter,
    RestoreRouter,
}

impl Op {
    pub const ALL: [Op; 23] = [
        Op::Bootstrap,
        Op::Join,
        Op::DefineNode,
        Op::UndefineNode,
        Op::MoveNode,
        Op::OnlineRegistryServer,
        Op::OfflineRegistryServer,
        Op::OfflineNode,
        Op::Crash,
        Op::Restart,
        Op::Disconnect,
        Op::Reconnect,
        Op::ReplaceHardware,
        Op::SetIncarnation,
        Op::DefineCluster,
        Op::UndefineCluster,
        Op::ModifyCluster,
        Op::DefineRegistryServer,
        Op::UndefineRegistryServer,
        Op::ModifyNode,
        Op::OfflineCluster,
        Op::FailRouter,
        Op::RestoreRouter,
    ];

    /// The name scenarios use.
    pub fn name(self) -> &'static str {
        match self {
            Op::Bootstrap => "bootstrap",
            Op::Join => "join",
            Op::DefineNode => "define-node",
            Op::UndefineNode => "undefine-node",
            Op::MoveNode => "move-node",
            Op::OnlineRegistryServer => "online-registry-server",
            Op::OfflineRegistryServer => "offline-registry-server",
            Op::OfflineNode => "offline-node",
            Op::Crash => "crash",
            Op::Restart => "restart",
            Op::Disconnect => "disconnect",
            Op::Reconnect => "reconnect",
            Op::ReplaceHardware => "replace-hardware",
            Op::SetIncarnation => "set-incarnation",
            Op::DefineCluster => "define-cluster",
            Op::UndefineCluster => "undefine-cluster",
            Op::ModifyCluster => "modify-cluster",
            Op::DefineRegistryServer => "define-registry-server",
            Op::UndefineRegistryServer => "undefine-registry-server",
            Op::ModifyNode => "modify-node",
            Op::OfflineCluster => "offline-cluster",
            Op::FailRouter => "fail-router",
            Op::RestoreRouter => "restore-router",
        }
    }

    pub fn parse(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The figure whose steps faults name, and its step numbers: the source's figure, or for
    /// the operations it draws none for the project's steps (`docs/lifecycle.md`): `undefine`
    /// 1-4, and one step, 1 (the request), for each control operation and set-up event.
    pub fn figure(self) -> Option<(&'static str, std::ops::RangeInclusive<u8>)> {
        match self {
            Op::Bootstrap => Some(("FIG 8", 0..=24)),
            Op::Join => Some(("FIG 15", 1..=9)),
            Op::DefineNode => Some(("FIG 13", 1..=14)),
            Op::MoveNode => Some(("FIG 18", 1..=9)),
            // The source draws no figure for these: the project numbers their steps
            // (`docs/lifecycle.md`), and the step label is the op's name.
            Op::DefineCluster => Some(("define-cluster", 1..=4)),
            Op::UndefineCluster => Some(("undefine-cluster", 1..=4)),
            Op::ModifyCluster => Some(("modify-cluster", 1..=3)),
            Op::DefineRegistryServer => Some(("define-registry-server", 1..=4)),
            Op::UndefineRegistryServer => Some(("undefine-registry-server", 1..=4)),
            Op::ModifyNode => Some(("modify-node", 1..=3)),
            Op::OfflineCluster => Some(("offline-cluster", 1..=6)),
            Op::UndefineNode => Some(("undefine", 1..=4)),
            _ => Some(("control", 1..=1)),
        }
    }

    /// The fields this op needs.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Op::Bootstrap | Op::UndefineCluster | Op::ModifyCluster | Op::OfflineCluster => {
                &["cluster"]
            }
            Op::DefineCluster => &["id", "registry_servers"],
            Op::DefineRegistryServer | Op::UndefineRegistryServer => &["cluster", "number"],
            Op::ModifyNode => &["cluster", "node"],
            Op::Join | Op::UndefineNode | Op::OnlineRegistryServer | Op::OfflineRegistryServer => {
                &["cluster", "node"]
            }
            Op::DefineNode => &["cluster", "address"],
            Op::MoveNode => &["node", "to"],
            Op::OfflineNode | Op::Crash | Op::Restart | Op::Disconnect | Op::Reconnect => &["node"],
            Op::ReplaceHardware => &["node", "uid"],
            Op::SetIncarnation => &["cluster", "replica", "incarnation"],
            Op::FailRouter | Op::RestoreRouter => &["router"],
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a scenario cannot run. Each names the offending item, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error(
        "the scenario is larger than the {} allowed",
        clusterplan_engine::limits::megabytes(MAX_SCENARIO_BYTES)
    )]
    TooLarge,
    #[error("not a scenario: {0}")]
    NotScenario(String),
    #[error("unsupported format {0:?}: this planner reads {FORMAT:?}")]
    WrongFormat(String),
    #[error("operation {index}: unknown op {op:?} (expected one of {})", Op::ALL.map(Op::name).join(", "))]
    UnknownOp { index: usize, op: String },
    #[error("operation {index} ({op}): missing field {field:?}")]
    MissingField { index: usize, op: Op, field: &'static str },
    #[error("operation {index} ({op}): unknown node {uid:?}")]
    UnknownNode { index: usize, op: Op, uid: String },
    #[error("operation {index} ({op}): unknown cluster {id:?}")]
    UnknownCluster { index: usize, op: Op, id: String },
    #[error("operation {index} ({op}): {uid:?} is not a registry server of cluster {cluster}")]
    NotARegistryServer { index: usize, op: Op, uid: String, cluster: String },
    #[error("operation {index} ({op}): nothing to change: give {fields}")]
    NothingToChange { index: usize, op: Op, fields: &'static str },
    #[error("operation {index} ({op}): quorum {quorum:?} is neither \"none\" nor \"majority\"")]
    BadQuorum { index: usize, op: Op, quorum: String },
    #[error("operation {index} ({op}): {why}")]
    BadRegistryServers { index: usize, op: Op, why: String },
    #[error("fault {index}: operation {operation} does not exist (the scenario has {count})")]
    FaultOperation { index: usize, operation: usize, count: usize },
    #[error("fault {index}: operation {operation} ({op}) is not a protocol of the source: it has no step to fail")]
    FaultNoFigure { index: usize, operation: usize, op: Op },
    #[error("fault {index}: {figure} has no step {step} (operation {operation}, {op}: steps {first} to {last})")]
    FaultStep {
        index: usize,
        operation: usize,
        op: Op,
        figure: &'static str,
        step: u8,
        first: u8,
        last: u8,
    },
    #[error("fault {index}: unknown node {uid:?}")]
    FaultNode { index: usize, uid: String },
    #[error("fault {index}: a crash or a disconnect needs its node (\"node\")")]
    CrashWithoutNode { index: usize },
    #[error(
        "fault {index}: \"after\" places a crash or a disconnect; a failure happens at its step"
    )]
    AfterWithoutCrash { index: usize },
    #[error("operation {index} ({op}): unknown router {name:?}")]
    UnknownRouter { index: usize, op: Op, name: String },
}

/// Reads a scenario's text (nothing checked against a model yet: see [`Scenario::validate`]).
pub fn read(text: &str) -> Result<Scenario, ScenarioError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(ScenarioError::TooLarge);
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ScenarioError::NotScenario(format!("not JSON: {e}")))?;
    let Value::Object(map) = &value else {
        return Err(ScenarioError::NotScenario("not a JSON object".into()));
    };
    match map.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => return Err(ScenarioError::WrongFormat(f.clone())),
        Some(other) => return Err(ScenarioError::WrongFormat(other.to_string())),
        None => return Err(ScenarioError::NotScenario(format!("no \"format\": {FORMAT:?}"))),
    }
    serde_json::from_value(value).map_err(|e| ScenarioError::NotScenario(e.to_string()))
}

impl Scenario {
    /// Checks every name against the model; returns the parsed ops, one per operation.
    pub fn validate(&self, doc: &Document) -> Result<Vec<Op>, ScenarioError> {
        let node_known = |uid: &str| doc.nodes.iter().any(|n| n.uid == uid);
        let cluster_known = |id: &str| doc.clusters.iter().any(|c| c.id == id);
        let mut ops = Vec::with_capacity(self.operations.len());
        // Cluster ids that earlier `define-cluster` operations introduce.
        let mut defined: Vec<String> = Vec::new();
        for (index, o) in self.operations.iter().enumerate() {
            let op = Op::parse(&o.op)
                .ok_or_else(|| ScenarioError::UnknownOp { index, op: o.op.clone() })?;
            for &field in op.required() {
                let present = match field {
                    "cluster" => o.cluster.is_some(),
                    "node" => o.node.is_some(),
                    "to" => o.to.is_some(),
                    "address" => o.address.is_some(),
                    "uid" => o.uid.is_some(),
                    "replica" => o.replica.is_some(),
                    "id" => o.id.is_some(),
                    "registry_servers" => o.registry_servers.is_some(),
                    "number" => o.number.is_some(),
                    "router" => o.router.is_some(),
                    _ => o.incarnation.is_some(),
                };
                if !present {
                    return Err(ScenarioError::MissingField { index, op, field });
                }
            }
            new_cluster_fields(index, op, o, &node_known)?;
            if let (Op::DefineCluster, Some(id)) = (op, &o.id) {
                defined.push(id.clone());
            }
            for id in [&o.cluster, &o.to].into_iter().flatten() {
                if !cluster_known(id) && !defined.contains(id) {
                    return Err(ScenarioError::UnknownCluster { index, op, id: id.clone() });
                }
            }
            let nodes = [&o.node, &o.via, &o.replica];
            for uid in nodes.into_iter().flatten() {
                if !node_known(uid) {
                    return Err(ScenarioError::UnknownNode { index, op, uid: uid.clone() });
                }
            }
            if let Some(name) = o.router.as_ref().filter(|_| op.required().contains(&"router")) {
                if !doc.routers.iter().any(|r| &r.name == name) {
                    return Err(ScenarioError::UnknownRouter { index, op, name: name.clone() });
                }
            }
            if let (Op::SetIncarnation, Some(c), Some(r)) = (op, &o.cluster, &o.replica) {
                let is_server = doc.clusters.iter().find(|x| &x.id == c).is_some_and(|cl| {
                    doc.nodes.iter().any(|n| {
                        &n.uid == r
                            && n.clusters
                                .get(c)
                                .is_some_and(|num| cl.registry_servers.contains(num))
                    })
                });
                if !is_server {
                    return Err(ScenarioError::NotARegistryServer {
                        index,
                        op,
                        uid: r.clone(),
                        cluster: c.clone(),
                    });
                }
            }
            ops.push(op);
        }
        for (index, f) in self.faults.iter().enumerate() {
            let count = ops.len();
            let op = *ops.get(f.operation).ok_or(ScenarioError::FaultOperation {
                index,
                operation: f.operation,
                count,
            })?;
            let (figure, steps) = op.figure().ok_or(ScenarioError::FaultNoFigure {
                index,
                operation: f.operation,
                op,
            })?;
            if !steps.contains(&f.step) {
                return Err(ScenarioError::FaultStep {
                    index,
                    operation: f.operation,
                    op,
                    figure,
                    step: f.step,
                    first: *steps.start(),
                    last: *steps.end(),
                });
            }
            match &f.node {
                Some(uid) if !node_known(uid) => {
                    return Err(ScenarioError::FaultNode { index, uid: uid.clone() })
                }
                None if f.kind != FaultKind::Fail => {
                    return Err(ScenarioError::CrashWithoutNode { index })
                }
                _ => {}
            }
            if f.after.is_some() && f.kind == FaultKind::Fail {
                return Err(ScenarioError::AfterWithoutCrash { index });
            }
        }
        Ok(ops)
    }
}

/// The checks of the fields the cluster, registry server and modify operations carry: a quorum
/// that is `none` or `majority`, something to change, a registry server list of known machines,
/// each once.
fn new_cluster_fields(
    index: usize,
    op: Op,
    o: &Operation,
    node_known: &dyn Fn(&str) -> bool,
) -> Result<(), ScenarioError> {
    if let Some(q) = &o.quorum {
        if q != "none" && q != "majority" {
            return Err(ScenarioError::BadQuorum { index, op, quorum: q.clone() });
        }
    }
    match op {
        Op::ModifyCluster if o.name.is_none() && o.quorum.is_none() => {
            Err(ScenarioError::NothingToChange { index, op, fields: "\"name\" or \"quorum\"" })
        }
        Op::ModifyNode if o.name.is_none() && o.address.is_none() => {
            Err(ScenarioError::NothingToChange { index, op, fields: "\"name\" or \"address\"" })
        }
        Op::DefineCluster => {
            let servers = o.registry_servers.as_deref().unwrap_or_default();
            let bad = |why: String| Err(ScenarioError::BadRegistryServers { index, op, why });
            if servers.is_empty() {
                return bad("a cluster needs at least one registry server".into());
            }
            for (i, uid) in servers.iter().enumerate() {
                if !node_known(uid) {
                    return Err(ScenarioError::UnknownNode { index, op, uid: uid.clone() });
                }
                if servers[..i].contains(uid) {
                    return bad(format!("{uid:?} is listed twice in \"registry_servers\""));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
