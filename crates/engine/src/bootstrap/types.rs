//! The bootstrap's data types: components, the registry's phases and the stages of the
//! ordering graph, dependencies (parsed from `FROM->TO`), FIG 8's steps, and a node's
//! bootstrap with where it waits.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A cluster component. Serialises as its [`Component::key`] (`"group-services"`,
/// `"controller:disk"`), and parses from it or from its display name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Component {
    /// The Distributed Configuration Manager daemon, the bootstrapping agent.
    Dcm,
    /// The System Registry: global data storage, on registry server nodes only.
    SystemRegistry,
    Liveness,
    GroupServices,
    ResourceManager,
    /// An additional resource controller, by the name the document gives it.
    ResourceController(String),
}

impl Component {
    /// The core components, in the source's order.
    pub const CORE: [Component; 5] = [
        Component::Dcm,
        Component::SystemRegistry,
        Component::Liveness,
        Component::GroupServices,
        Component::ResourceManager,
    ];

    /// A stable machine name: `dcm`, `registry`, `liveness`, `group-services`,
    /// `resource-manager`, `controller:NAME`.
    pub fn key(&self) -> String {
        match self {
            Component::Dcm => "dcm".into(),
            Component::SystemRegistry => "registry".into(),
            Component::Liveness => "liveness".into(),
            Component::GroupServices => "group-services".into(),
            Component::ResourceManager => "resource-manager".into(),
            Component::ResourceController(name) => format!("controller:{name}"),
        }
    }

    /// What the component does, in one sentence (FIG 4).
    pub fn role(&self) -> &'static str {
        match self {
            Component::Dcm => {
                "configures the cluster, keeps the local configuration and starts the other components"
            }
            Component::SystemRegistry => {
                "global data storage, replicated on the registry server nodes"
            }
            Component::Liveness => "heartbeats: the status of adapters and communication paths",
            Component::GroupServices => "membership services and atomic broadcasts",
            Component::ResourceManager => {
                "administers the cluster resources; the layer resource controllers plug into"
            }
            Component::ResourceController(_) => "an additional resource controller",
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Component::Dcm => f.write_str("DCM"),
            Component::SystemRegistry => f.write_str("System Registry"),
            Component::Liveness => f.write_str("Liveness"),
            Component::GroupServices => f.write_str("Group Services"),
            Component::ResourceManager => f.write_str("Resource Manager"),
            Component::ResourceController(name) => write!(f, "resource controller {name}"),
        }
    }
}

/// A text that names no component (an empty controller name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} names no component: expected dcm, registry, liveness, group-services, resource-manager or controller:NAME")]
pub struct UnknownComponent(pub String);

impl FromStr for Component {
    type Err = UnknownComponent;
    /// Case-insensitive; spaces, `_` and `-` are interchangeable. `dcm`, `registry` /
    /// `system registry`, `liveness`, `group services` / `gs`, `resource manager` / `rm`, and
    /// `controller:NAME`, `rc:NAME` or `resource controller NAME` for a resource controller.
    /// Any other single name is taken as a resource controller's name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let norm: String = text
            .chars()
            .map(|c| if c == '_' || c == ' ' { '-' } else { c.to_ascii_lowercase() })
            .collect();
        let core = match norm.as_str() {
            "dcm" | "dcmd" => Some(Component::Dcm),
            "registry" | "system-registry" | "sr" => Some(Component::SystemRegistry),
            "liveness" => Some(Component::Liveness),
            "group-services" | "groupservices" | "gs" => Some(Component::GroupServices),
            "resource-manager" | "resourcemanager" | "rm" => Some(Component::ResourceManager),
            _ => None,
        };
        if let Some(core) = core {
            return Ok(core);
        }
        let lower = text.to_ascii_lowercase();
        let name = ["controller:", "rc:", "resource controller ", "resource-controller:"]
            .iter()
            .find_map(|prefix| lower.starts_with(prefix).then(|| text[prefix.len()..].trim()))
            .unwrap_or(text);
        if name.is_empty() {
            return Err(UnknownComponent(s.to_owned()));
        }
        Ok(Component::ResourceController(name.to_owned()))
    }
}

impl TryFrom<String> for Component {
    type Error = UnknownComponent;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Component> for String {
    fn from(c: Component) -> String {
        c.key()
    }
}

/// The two phases of the System Registry's initialization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistryPhase {
    /// Phase 1: the registry servers exchange the incarnation numbers of their copies of the
    /// global configuration; the highest copies win; reads are served, writes are not.
    ReadOnly,
    /// Phase 2: with Group Services' membership, the lower copies are updated; writes enabled.
    WriteEnabled,
}

impl RegistryPhase {
    pub fn number(self) -> u8 {
        match self {
            RegistryPhase::ReadOnly => 1,
            RegistryPhase::WriteEnabled => 2,
        }
    }
}

/// A vertex of the bootstrap ordering graph: a component becoming available. Only the System
/// Registry has a phase, and it has two stages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stage {
    pub component: Component,
    pub phase: Option<RegistryPhase>,
}

impl Stage {
    pub fn of(component: Component) -> Stage {
        let phase = (component == Component::SystemRegistry).then_some(RegistryPhase::ReadOnly);
        Stage { component, phase }
    }

    pub(super) fn registry(phase: RegistryPhase) -> Stage {
        Stage { component: Component::SystemRegistry, phase: Some(phase) }
    }
}

impl fmt::Display for Stage {
    /// `Liveness`, `System Registry phase 1 (read-only)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.phase {
            None => write!(f, "{}", self.component),
            Some(RegistryPhase::ReadOnly) => write!(f, "{} phase 1 (read-only)", self.component),
            Some(RegistryPhase::WriteEnabled) => {
                write!(f, "{} phase 2 (write-enabled)", self.component)
            }
        }
    }
}

/// Why one component depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DependencyKind {
    /// FIG 6: it needs the other's data (local or global configuration).
    Data,
    /// FIG 7: it needs the other's function.
    Functional,
    /// FIG 7's "bootstrapped by": the other starts it (a functional dependency).
    StartedBy,
    /// Added by the user.
    User,
}

/// `from` depends on `to`. With `writes`, the dependency concerns writes to the System Registry
/// only: it binds the Registry's phase 2 (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dependency {
    pub from: Component,
    pub to: Component,
    pub kind: DependencyKind,
    pub writes: bool,
    /// Where the source states it (`FIG 7 (708)`, `FIG 8 step 18`), or `user`.
    pub reference: String,
    /// One sentence for people.
    pub why: String,
}

impl Dependency {
    /// A dependency added by the user: `from` needs `to` (reads only when `to` is the Registry).
    pub fn user(from: Component, to: Component) -> Dependency {
        Dependency {
            why: format!("{from} depends on {to} (added by the user)"),
            from,
            to,
            kind: DependencyKind::User,
            writes: false,
            reference: "user".into(),
        }
    }

    /// The same, for writes only (binds the Registry's phase 2).
    pub fn user_writes(from: Component, to: Component) -> Dependency {
        Dependency { writes: true, ..Dependency::user(from, to) }
    }

    pub(super) fn builtin(
        from: Component,
        to: Component,
        kind: DependencyKind,
        writes: bool,
        reference: &str,
        why: &str,
    ) -> Dependency {
        Dependency { from, to, kind, writes, reference: reference.into(), why: why.into() }
    }

    /// The stage that waits (the dependent side).
    pub(super) fn waiting_stage(&self) -> Stage {
        self.stage_of(&self.from)
    }

    /// The stage waited for.
    pub(super) fn awaited_stage(&self) -> Stage {
        self.stage_of(&self.to)
    }

    fn stage_of(&self, component: &Component) -> Stage {
        if *component == Component::SystemRegistry && self.writes {
            Stage::registry(RegistryPhase::WriteEnabled)
        } else {
            Stage::of(component.clone())
        }
    }
}

impl fmt::Display for Dependency {
    /// `Group Services -> Liveness`, with ` (writes)` for a writes-only dependency.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)?;
        if self.writes {
            f.write_str(" (writes)")?;
        }
        Ok(())
    }
}

/// Text that is not a dependency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DependencyParseError {
    #[error("{0:?} is not a dependency: expected FROM->TO or FROM->TO:writes")]
    Syntax(String),
    #[error(transparent)]
    Component(#[from] UnknownComponent),
}

impl FromStr for Dependency {
    type Err = DependencyParseError;
    /// `FROM->TO` (FROM depends on TO) or `FROM->TO:writes`; a user dependency.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (from, to) =
            s.split_once("->").ok_or_else(|| DependencyParseError::Syntax(s.into()))?;
        let (to, writes) = match to.trim().rsplit_once(':') {
            Some((to, flag)) if flag.trim().eq_ignore_ascii_case("writes") => (to, true),
            _ => (to, false),
        };
        let (from, to): (Component, Component) = (from.parse()?, to.parse()?);
        Ok(if writes { Dependency::user_writes(from, to) } else { Dependency::user(from, to) })
    }
}

/// Whether a component runs on the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentInfo {
    pub component: Component,
    /// It runs on this node. `false` only for the System Registry on a registry client node: it
    /// is in the graph because the node's components read from it on the registry servers.
    pub local: bool,
    /// What it does.
    pub role: &'static str,
}

/// An edge of the ordering graph: `from` cannot finish before `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageEdge {
    /// Index into [`NodeBootstrap::stages`].
    pub from: usize,
    /// Index into [`NodeBootstrap::stages`].
    pub to: usize,
    /// Index into [`NodeBootstrap::dependencies`]; `None` for "phase 2 follows phase 1".
    pub dependency: Option<usize>,
}

/// A dependency cycle, named stage by stage; the first stage is repeated at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("dependency cycle: {}", self.path())]
pub struct Cycle {
    pub stages: Vec<Stage>,
    /// The edges walked, as indices into [`NodeBootstrap::edges`] (`edges[i]` goes from
    /// `stages[i]` to `stages[i + 1]`).
    pub edges: Vec<usize>,
}

impl Cycle {
    /// `Liveness -> Group Services -> Liveness`.
    pub fn path(&self) -> String {
        self.stages.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" -> ")
    }
}

/// Where a step happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Every node of the cluster.
    AllNodes,
    /// The registry server nodes only.
    RegistryServers,
    /// Nodes with resource controllers configured.
    ControllerNodes,
}

/// Who acts in a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    OperatingSystem,
    Component(Component),
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::OperatingSystem => f.write_str("operating system"),
            Actor::Component(c) => write!(f, "{c}"),
        }
    }
}

/// The state of the System Registry once a step is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistryState {
    Stopped,
    /// Processes started, not initialized: serves nothing yet.
    Started,
    /// Phase 1 done: serves reads.
    ReadOnly,
    /// Phase 2 done: serves reads and writes.
    WriteEnabled,
}

/// One step of FIG 8, as it concerns one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 0..=24, the source's numbering.
    pub number: u8,
    /// Who acts (steps 22-24: every resource controller of the node; none when it has none).
    pub actors: Vec<Actor>,
    /// The components acted on, read from or used.
    pub targets: Vec<Component>,
    pub role: Role,
    /// The step happens on this node (a registry client node only waits for steps 1, 5, 15 and
    /// 16; a node without resource controllers skips 21-24).
    pub here: bool,
    /// What happens.
    pub action: String,
    /// The Registry initialization phase this step is part of.
    pub registry_phase: Option<RegistryPhase>,
    /// The Registry's state once the step is done.
    pub registry: RegistryState,
    /// Stages that finish with this step.
    pub completes: Vec<Stage>,
    /// The dependencies this step satisfies, as indices into [`NodeBootstrap::dependencies`].
    pub satisfies: Vec<usize>,
}

/// The bootstrap of one node: its components, dependency graph, order and FIG 8 timeline.
#[derive(Debug, Clone, Serialize)]
pub struct NodeBootstrap {
    pub node: String,
    pub name: String,
    /// The cluster the node bootstraps into: its online cluster, else the first cluster (by id)
    /// it is defined to; `None` when it is defined to none.
    pub cluster: Option<String>,
    /// The node's number in that cluster.
    pub number: Option<u32>,
    /// Node numbers of the cluster's registry servers, primary first.
    pub registry_servers: Vec<u32>,
    /// The node is one of them (and runs the System Registry).
    pub registry_server: bool,
    /// The components in the graph, core first, then the resource controllers in document order.
    pub components: Vec<ComponentInfo>,
    /// FIG 6 and FIG 7 as they apply to the node, then the accepted user dependencies.
    pub dependencies: Vec<Dependency>,
    /// The vertices of the ordering graph.
    pub stages: Vec<Stage>,
    /// Its edges: one per dependency, plus "phase 2 follows phase 1".
    pub edges: Vec<StageEdge>,
    /// The stages in the order they finish initializing, or the cycle that prevents one.
    pub order: Result<Vec<Stage>, Cycle>,
    /// FIG 8: the steps that happen, from step 0: all 25 (0 to 24), or those before the step
    /// the bootstrap waits at (see [`NodeBootstrap::waits`]). No step here completes a stage
    /// that cannot finish.
    pub steps: Vec<Step>,
    /// Where the bootstrap stops and what it waits for: no registry server online in the
    /// node's cluster (it waits at step 5, registry phase 1), or a stage that cannot finish
    /// because of a dependency cycle. `None`: it runs to step 24.
    pub waits: Option<Wait>,
    /// Problems: a bad `resource_controllers` field, a user dependency on a component the node
    /// does not have (ignored), a cycle.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a bootstrap stops (docs/spec.md §5): the first step that cannot happen, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wait {
    /// The step the node waits at; the steps before it happen, it and the later ones do not.
    pub step: u8,
    /// What it waits for, in words.
    pub reason: String,
}

/// The node asked for is not in the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no node with uid {0:?}")]
pub struct NodeNotFound(pub String);
