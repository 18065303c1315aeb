//! Bootstrap (docs/spec.md §5): component dependency graph, topological order, FIG 8 sequence.
//!
//! Every node runs the DCM, Liveness, Group Services and the Resource Manager; registry server
//! nodes also run the System Registry; a node may add resource controllers through the document
//! extension field `"resource_controllers": ["disk", "ip"]` on the node (an array of names).
//!
//! The dependencies of FIG 6 (data) and FIG 7 (functional) are data ([`Dependency`], `from`
//! depends on `to`). Together they contain the cycle System Registry -> Group Services ->
//! Liveness -> DCM -> System Registry, which the source breaks with the Registry's two-phase
//! initialization. The ordering graph therefore has one vertex ([`Stage`]) per component, except
//! the Registry, which has two: phase 1 (read-only) and phase 2 (write-enabled, after phase 1). A
//! dependency with `writes: true` binds phase 2: when the Registry depends on something for its
//! writes only (FIG 7, 702), only phase 2 waits for it; when a component needs to write to the
//! Registry, it waits for phase 2. Every other dependency on the Registry needs phase 1 only.
//!
//! The bootstrap order ([`NodeBootstrap::order`]) lists the stages in the order they finish
//! initializing; ties are broken by the source's order, so with no added dependency the order is
//! the one FIG 8 shows. A dependency added by the user that makes the graph cyclic gives a
//! [`Cycle`] naming the cycle (`Liveness -> Group Services -> Liveness`), and a diagnostic.
//! [`NodeBootstrap::steps`] holds FIG 8 as data: step 0 (the operating system starts the DCM
//! daemon) and the 24 steps that follow.

use crate::diagnostics::{Diagnostic, DiagnosticCode, Item};
use crate::document::Document;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;

pub use crate::document::{resource_controllers, RESOURCE_CONTROLLERS_FIELD};

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

    fn registry(phase: RegistryPhase) -> Stage {
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

    fn builtin(
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
    fn waiting_stage(&self) -> Stage {
        self.stage_of(&self.from)
    }

    /// The stage waited for.
    fn awaited_stage(&self) -> Stage {
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

/// The built-in dependencies of FIG 6 and FIG 7 for a node with the given resource controllers.
///
/// FIG 7's 705 (Liveness stores its configuration in the registry) is left out on purpose: spec
/// §5 gives Liveness no functional dependency but the DCM, and FIG 8 has Liveness ready at step
/// 11, before the registry accepts writes (step 16). The Resource Manager's and the
/// controllers' dependency on the global configuration is for writes (FIG 8 steps 18 and 23:
/// they "make any modifications desired"), so they wait for the registry's phase 2.
pub fn builtin_dependencies(controllers: &[String]) -> Vec<Dependency> {
    use Component::*;
    use DependencyKind::*;
    let b = Dependency::builtin;
    let mut deps = vec![
        // FIG 6: data.
        b(Dcm, SystemRegistry, Data, false, "FIG 6 (602)",
          "the DCM checks its local cluster definition against the global configuration before the node joins"),
        b(Liveness, Dcm, Data, false, "FIG 6 (604)",
          "Liveness reads the local cluster configuration (node number, registry servers) from the DCM"),
        b(GroupServices, Dcm, Data, false, "FIG 6 (604)",
          "Group Services reads the local cluster configuration from the DCM"),
        b(ResourceManager, Dcm, Data, false, "FIG 6 (604)",
          "the Resource Manager reads the local cluster configuration from the DCM"),
        b(Liveness, SystemRegistry, Data, false, "FIG 6 (D)",
          "Liveness reads the global configuration from a registry server"),
        b(GroupServices, SystemRegistry, Data, false, "FIG 6 (D)",
          "Group Services reads the global configuration from a registry server"),
        b(ResourceManager, SystemRegistry, Data, true, "FIG 6 (D), FIG 8 step 18",
          "the Resource Manager reads the global configuration and makes its modifications to it"),
        // FIG 7: functional.
        b(Dcm, SystemRegistry, Functional, false, "FIG 7 (700)",
          "the DCM stores global data in the System Registry"),
        b(SystemRegistry, GroupServices, Functional, true, "FIG 7 (702)",
          "the System Registry propagates its replicated writes with Group Services' membership (writes only)"),
        b(Liveness, Dcm, StartedBy, false, "FIG 7 (704)", "the DCM daemon starts Liveness"),
        b(GroupServices, Dcm, StartedBy, false, "FIG 7 (706)", "the DCM daemon starts Group Services"),
        b(GroupServices, Liveness, Functional, false, "FIG 7 (708)",
          "Group Services needs the availability of the communication paths from Liveness"),
        b(ResourceManager, Dcm, StartedBy, false, "FIG 7 (710)",
          "the DCM daemon starts the Resource Manager"),
        b(ResourceManager, GroupServices, Functional, false, "FIG 7 (712)",
          "the Resource Manager finds the version of its configuration database with Group Services' membership"),
    ];
    for name in controllers {
        let c = || ResourceController(name.clone());
        deps.extend([
            Dependency {
                why: format!("controller {name} reads the local cluster configuration from the DCM"),
                ..b(c(), Dcm, Data, false, "FIG 8 step 22", "")
            },
            Dependency {
                why: format!("controller {name} reads the global configuration and makes its modifications to it"),
                ..b(c(), SystemRegistry, Data, true, "FIG 6 (D), FIG 8 step 23", "")
            },
            Dependency {
                why: format!("controller {name} depends on the DCM"),
                ..b(c(), Dcm, Functional, false, "FIG 7 (714)", "")
            },
            Dependency {
                why: format!("controller {name} is started by, and plugs into, the Resource Manager"),
                ..b(c(), ResourceManager, Functional, false, "FIG 7 (716)", "")
            },
        ]);
    }
    deps
}

/// The bootstrap of the node with uid `node`, with the user's `extra` dependencies added.
///
/// Never fails on a node that exists: problems become diagnostics, a cycle becomes
/// `order: Err(cycle)` plus a `bootstrap-cycle` diagnostic. A user dependency on a component the
/// node does not have (a resource controller it does not run) is ignored and diagnosed.
pub fn node_bootstrap(
    doc: &Document,
    node: &str,
    extra: &[Dependency],
) -> Result<NodeBootstrap, NodeNotFound> {
    let n = doc.nodes.iter().find(|n| n.uid == node).ok_or_else(|| NodeNotFound(node.into()))?;
    let mut diagnostics = Vec::new();
    let item = || Item::Node { uid: n.uid.clone() };

    // The cluster: the online one when the node is defined to it, else the first defined one.
    let cluster = match &n.online {
        Some(c) if n.clusters.contains_key(c) => Some(c.clone()),
        _ => n.clusters.keys().next().cloned(),
    };
    match (&n.online, &cluster) {
        (Some(online), Some(c)) if online != c => diagnostics.push(Diagnostic::new(DiagnosticCode::BootstrapCluster, item(), format!(
                "node {} is online in {online}, to which it is not defined; showing its bootstrap into {c}",
                n.uid
            ))),
        (None, Some(c)) => diagnostics.push(Diagnostic::new(DiagnosticCode::BootstrapCluster, item(), format!("node {} is offline; showing its bootstrap into cluster {c}", n.uid))),
        (_, None) => diagnostics.push(Diagnostic::new(DiagnosticCode::BootstrapCluster, item(), format!(
                "node {} is defined to no cluster: it has no registry server to bootstrap from",
                n.uid
            ))),
        _ => {}
    }
    let number = cluster.as_ref().and_then(|c| n.clusters.get(c).copied());
    let registry_servers = cluster
        .as_ref()
        .and_then(|c| doc.clusters.iter().find(|cl| &cl.id == c))
        .map(|cl| cl.registry_servers.clone())
        .unwrap_or_default();
    let registry_server = number.is_some_and(|num| registry_servers.contains(&num));
    // Registry phase 1 needs a registry server online in the cluster (the node itself counts
    // when it is one: this is its own bootstrap).
    let registry_wait = match &cluster {
        None => Some(format!(
            "node {} is defined to no cluster: there is no registry server to read from",
            n.uid
        )),
        Some(c) if !registry_server => {
            let servers: Vec<&crate::document::Node> = registry_servers
                .iter()
                .filter_map(|num| doc.nodes.iter().find(|x| x.clusters.get(c) == Some(num)))
                .collect();
            if servers.iter().any(|x| x.online.as_deref() == Some(c.as_str())) {
                None
            } else if servers.is_empty() {
                Some(format!(
                    "registry phase 1 waits for a registry server of cluster {c}, which has none"
                ))
            } else {
                let each: Vec<String> = servers
                    .iter()
                    .map(|x| {
                        format!(
                            "node {} {}",
                            x.uid,
                            crate::diagnostics::whereabouts(x.online.as_deref())
                        )
                    })
                    .collect();
                Some(format!(
                    "registry phase 1 waits for a registry server of cluster {c} to come online \
                     in it ({})",
                    each.join(", ")
                ))
            }
        }
        Some(_) => None,
    };

    let (controllers, controller_problems) = resource_controllers(n);
    diagnostics.extend(controller_problems);

    let mut components: Vec<ComponentInfo> = Component::CORE
        .iter()
        .map(|c| ComponentInfo {
            component: c.clone(),
            local: *c != Component::SystemRegistry || registry_server,
            role: c.role(),
        })
        .collect();
    components.extend(controllers.iter().map(|name| {
        let component = Component::ResourceController(name.clone());
        ComponentInfo { role: component.role(), component, local: true }
    }));

    let mut dependencies = builtin_dependencies(&controllers);
    for dep in extra {
        let unknown: Vec<&Component> = [&dep.from, &dep.to]
            .into_iter()
            .filter(|c| !components.iter().any(|info| &info.component == *c))
            .collect();
        if unknown.is_empty() {
            dependencies.push(dep.clone());
        } else {
            diagnostics.push(Diagnostic::new(
                DiagnosticCode::BootstrapUnknownComponent,
                item(),
                format!(
                    "dependency {dep} is ignored: node {} has no {}",
                    n.uid,
                    unknown.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" and ")
                ),
            ));
        }
    }

    let graph = Graph::new(&components, &dependencies);
    let finishing = graph.finishing();
    let order = graph.order(&finishing);
    if let Err(cycle) = &order {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::BootstrapCycle,
            item(),
            format!(
                "the dependencies of node {} form a cycle: {}; no bootstrap order exists",
                n.uid,
                cycle.path()
            ),
        ));
    }
    let finished: Vec<Stage> = finishing.iter().map(|&v| graph.stages[v].clone()).collect();
    let mut steps = fig8_steps(registry_server, &controllers, &dependencies);
    let waits = waits(&steps, &finished, registry_wait, order.as_ref().err());
    if let Some(w) = &waits {
        steps.retain(|s| s.number < w.step);
    }
    // Stages finishing in one step finish in the order the dependencies allow (a user
    // dependency between resource controllers moves them).
    let finished_at: std::collections::HashMap<&Stage, usize> =
        finished.iter().enumerate().map(|(i, s)| (s, i)).collect();
    for step in &mut steps {
        crate::sorting::sort_by_key(&mut step.completes, |stage| finished_at.get(stage).copied());
    }

    Ok(NodeBootstrap {
        node: n.uid.clone(),
        name: n.name.clone(),
        cluster,
        number,
        registry_servers,
        registry_server,
        components,
        dependencies,
        stages: graph.stages,
        edges: graph.edges,
        order,
        steps,
        waits,
        diagnostics,
    })
}

/// The stage a step of FIG 8 works towards: the stage it completes, else its acting
/// component's (for the System Registry, the phase the step belongs to). Steps 0 to 4 start
/// processes (the DCM daemon runs from step 0) and work towards none.
fn step_stage(step: &Step) -> Option<Stage> {
    if step.number < 5 {
        return None;
    }
    if let Some(stage) = step.completes.first() {
        return Some(stage.clone());
    }
    step.actors.iter().find_map(|a| match a {
        Actor::Component(c) if *c == Component::SystemRegistry => {
            Some(Stage::registry(step.registry_phase.unwrap_or(RegistryPhase::ReadOnly)))
        }
        Actor::Component(c) => Some(Stage::of(c.clone())),
        Actor::OperatingSystem => None,
    })
}

/// The first step that cannot happen: registry phase 1 (step 5) without a registry server,
/// or a step working towards a stage that cannot finish (in or behind a cycle).
fn waits(
    steps: &[Step],
    finished: &[Stage],
    registry_wait: Option<String>,
    cycle: Option<&Cycle>,
) -> Option<Wait> {
    if let Some(reason) = registry_wait {
        return Some(Wait { step: 5, reason });
    }
    steps.iter().find_map(|step| {
        let stage = step_stage(step)?;
        if finished.contains(&stage) {
            return None;
        }
        let why = match cycle {
            Some(c) => format!("the dependency cycle {}", c.path()),
            None => "a stage that cannot finish".to_owned(),
        };
        Some(Wait {
            step: step.number,
            reason: format!("{stage} cannot finish: it waits on {why}"),
        })
    })
}

/// FIG 8 (step 0 and steps 1-24) for a node with the given role and resource controllers and the
/// built-in dependencies only: the steps [`node_bootstrap`] gives such a node when the user added
/// no dependency. The lifecycle simulation runs these steps.
pub fn fig8_sequence(registry_server: bool, controllers: &[String]) -> Vec<Step> {
    fig8_steps(registry_server, controllers, &builtin_dependencies(controllers))
}

/// The ordering graph: stages in the source's order (its tie-break), edges from dependencies.
struct Graph {
    stages: Vec<Stage>,
    edges: Vec<StageEdge>,
}

impl Graph {
    fn new(components: &[ComponentInfo], dependencies: &[Dependency]) -> Graph {
        // The source's order: FIG 8 finishes the stages in this order.
        let mut stages = vec![
            Stage::registry(RegistryPhase::ReadOnly),
            Stage::of(Component::Dcm),
            Stage::of(Component::Liveness),
            Stage::of(Component::GroupServices),
            Stage::registry(RegistryPhase::WriteEnabled),
            Stage::of(Component::ResourceManager),
        ];
        stages.extend(
            components
                .iter()
                .filter(|c| matches!(c.component, Component::ResourceController(_)))
                .map(|c| Stage::of(c.component.clone())),
        );
        // Stage -> its index, looked up once per dependency (not a scan of every stage).
        let at: std::collections::HashMap<&Stage, usize> =
            stages.iter().enumerate().map(|(i, s)| (s, i)).collect();
        let index = |s: &Stage| at.get(s).copied();
        let mut edges = vec![StageEdge { from: 4, to: 0, dependency: None }];
        for (i, dep) in dependencies.iter().enumerate() {
            if let (Some(from), Some(to)) =
                (index(&dep.waiting_stage()), index(&dep.awaited_stage()))
            {
                edges.push(StageEdge { from, to, dependency: Some(i) });
            }
        }
        Graph { stages, edges }
    }

    /// The stages that can finish, in the order they do (Kahn's algorithm, always taking the
    /// earliest ready stage in the source's order): all of them unless there is a cycle.
    fn finishing(&self) -> Vec<usize> {
        let n = self.stages.len();
        // waiting[v] = number of unfinished stages v waits for.
        let mut waiting = vec![0usize; n];
        for e in &self.edges {
            waiting[e.from] += 1;
        }
        // The stages waiting for each stage, and the ready ones in a heap (earliest first):
        // time in proportion to the stages and edges, however many controllers a node has.
        let mut waiters: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &self.edges {
            waiters[e.to].push(e.from);
        }
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> =
            (0..n).filter(|&v| waiting[v] == 0).map(std::cmp::Reverse).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(std::cmp::Reverse(v)) = ready.pop() {
            order.push(v);
            for &w in &waiters[v] {
                waiting[w] -= 1;
                if waiting[w] == 0 {
                    ready.push(std::cmp::Reverse(w));
                }
            }
        }
        order
    }

    /// The bootstrap order from [`Graph::finishing`], or the cycle that prevents one.
    fn order(&self, finishing: &[usize]) -> Result<Vec<Stage>, Cycle> {
        if finishing.len() == self.stages.len() {
            Ok(finishing.iter().map(|&v| self.stages[v].clone()).collect())
        } else {
            let mut done = vec![false; self.stages.len()];
            finishing.iter().for_each(|&v| done[v] = true);
            Err(self.shortest_cycle(&done))
        }
    }

    /// The shortest cycle among the stages left unfinished (ties: the earliest start stage in
    /// the source's order), starting at its earliest stage.
    ///
    /// A breadth-first search from each stage that can be on a cycle, over adjacency lists in
    /// edge order, cut at the length of the best cycle so far (only a strictly shorter one can
    /// replace it): time in proportion to the stages and edges for the usual short cycles, not
    /// stages x stages x edges (docs/reliability.md §3).
    fn shortest_cycle(&self, done: &[bool]) -> Cycle {
        let n = self.stages.len();
        // Each unfinished stage's edges to unfinished stages, in edge order (the order a scan
        // of the edges meets them), and how many such edges lead to each stage.
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut waited_on = vec![0usize; n];
        for (i, e) in self.edges.iter().enumerate() {
            if !done[e.from] && !done[e.to] {
                out[e.from].push(i);
                waited_on[e.to] += 1;
            }
        }
        // A stage no unfinished stage waits for is on no cycle; peeling those off repeatedly
        // leaves every stage of a cycle (and skips the chains that only wait for one).
        let mut candidate: Vec<bool> = done.iter().map(|&d| !d).collect();
        let mut peel: Vec<usize> = (0..n).filter(|&v| candidate[v] && waited_on[v] == 0).collect();
        while let Some(v) = peel.pop() {
            candidate[v] = false;
            for &i in &out[v] {
                let to = self.edges[i].to;
                waited_on[to] -= 1;
                if waited_on[to] == 0 && candidate[to] {
                    peel.push(to);
                }
            }
        }
        let mut best: Option<Vec<usize>> = None; // edge indices
                                                 // Per stage: the start of the search that reached it (a stamp, so nothing is cleared
                                                 // between searches), the edge it was reached by, and its depth.
        let mut reached_from = vec![usize::MAX; n];
        let mut via = vec![0usize; n];
        let mut depth = vec![0usize; n];
        let mut queue = VecDeque::new();
        for start in (0..n).filter(|&v| candidate[v]) {
            let limit = best.as_ref().map_or(usize::MAX, Vec::len);
            if limit <= 1 {
                break;
            }
            queue.clear();
            queue.push_back(start);
            depth[start] = 0;
            let mut closing = None;
            'bfs: while let Some(v) = queue.pop_front() {
                // A cycle closed from `v` has depth + 1 edges: no shorter one is left.
                if depth[v] + 1 >= limit {
                    break;
                }
                for &i in &out[v] {
                    let to = self.edges[i].to;
                    if to == start {
                        closing = Some(i);
                        break 'bfs;
                    }
                    if reached_from[to] != start {
                        reached_from[to] = start;
                        via[to] = i;
                        depth[to] = depth[v] + 1;
                        queue.push_back(to);
                    }
                }
            }
            let Some(last) = closing else { continue };
            let mut path = vec![last];
            let mut v = self.edges[last].from;
            while v != start {
                let i = via[v];
                path.push(i);
                v = self.edges[i].from;
            }
            path.reverse();
            best = Some(path);
        }
        // Kahn's algorithm stops only when every unfinished stage waits for another unfinished
        // one, so a cycle exists among them and `best` is set.
        let edges = best.unwrap_or_default();
        let mut stages: Vec<Stage> =
            edges.iter().map(|&i| self.stages[self.edges[i].from].clone()).collect();
        if let Some(&first) = edges.first() {
            stages.push(self.stages[self.edges[first].from].clone());
        }
        Cycle { stages, edges }
    }
}

/// FIG 8 for one node: step 0 and steps 1-24.
fn fig8_steps(registry_server: bool, controllers: &[String], deps: &[Dependency]) -> Vec<Step> {
    use Component::*;
    let ctrl: Vec<Component> = controllers.iter().map(|c| ResourceController(c.clone())).collect();
    let has_ctrl = !ctrl.is_empty();
    let ctrl_actors: Vec<Actor> = ctrl.iter().cloned().map(Actor::Component).collect();
    // Indices of the built-in dependencies matching (from, to, reference prefix).
    let sat = |from: &dyn Fn(&Component) -> bool, to: Component, refs: &[&str]| -> Vec<usize> {
        deps.iter()
            .enumerate()
            .filter(|(_, d)| {
                d.kind != DependencyKind::User
                    && from(&d.from)
                    && d.to == to
                    && refs.iter().any(|r| d.reference.starts_with(r))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let is = |c: Component| move |x: &Component| *x == c;
    let is_ctrl = |x: &Component| matches!(x, ResourceController(_));
    let comp = Actor::Component;
    let ro = RegistryPhase::ReadOnly;
    let rw = RegistryPhase::WriteEnabled;
    let all = Role::AllNodes;
    let servers = Role::RegistryServers;
    let ctrl_nodes = Role::ControllerNodes;

    #[allow(clippy::too_many_arguments)]
    fn step(
        number: u8,
        actors: Vec<Actor>,
        targets: Vec<Component>,
        role: Role,
        here: bool,
        action: &str,
        registry_phase: Option<RegistryPhase>,
        registry: RegistryState,
        completes: Vec<Stage>,
        satisfies: Vec<usize>,
    ) -> Step {
        Step {
            number,
            actors,
            targets,
            role,
            here,
            action: action.into(),
            registry_phase,
            registry,
            completes,
            satisfies,
        }
    }
    use RegistryState::{ReadOnly, Started, Stopped, WriteEnabled};
    let none = Vec::new;
    vec![
        step(0, vec![Actor::OperatingSystem], vec![Dcm], all, true,
             "the operating system, once booted, starts the DCM daemon (DCMD), which runs for the life of the node",
             None, Stopped, vec![], none()),
        step(1, vec![comp(Dcm)], vec![SystemRegistry], servers, registry_server,
             "the DCMD starts the System Registry process on the registry server nodes",
             None, Started, vec![], none()),
        step(2, vec![comp(Dcm)], vec![Liveness], all, true, "the DCMD starts Liveness",
             None, Started, vec![], sat(&is(Liveness), Dcm, &["FIG 7 (704)"])),
        step(3, vec![comp(Dcm)], vec![GroupServices], all, true, "the DCMD starts Group Services",
             None, Started, vec![], sat(&is(GroupServices), Dcm, &["FIG 7 (706)"])),
        step(4, vec![comp(Dcm)], vec![ResourceManager], all, true, "the DCMD starts the Resource Manager",
             None, Started, vec![], sat(&is(ResourceManager), Dcm, &["FIG 7 (710)"])),
        step(5, vec![comp(SystemRegistry)], vec![SystemRegistry], servers, registry_server,
             "System Registry phase 1: the registry servers exchange the incarnation numbers of their copies of the global configuration database and select the highest; the registry now serves reads, not writes",
             Some(ro), ReadOnly, vec![Stage::registry(ro)], none()),
        step(6, vec![comp(Dcm)], vec![SystemRegistry], all, true,
             "the DCMD reads the global cluster configuration from the System Registry",
             None, ReadOnly, vec![], sat(&is(Dcm), SystemRegistry, &["FIG 6 (602)", "FIG 7 (700)"])),
        step(7, vec![comp(Dcm)], vec![Dcm], all, true,
             "the DCMD verifies that its local configuration is consistent with the global one (it cannot write yet) and goes on with the bootstrap",
             None, ReadOnly, vec![Stage::of(Dcm)], none()),
        step(8, vec![comp(Liveness)], vec![Dcm], all, true,
             "Liveness asks the DCMD for the local cluster configuration, which says where the registry servers are",
             None, ReadOnly, vec![], sat(&is(Liveness), Dcm, &["FIG 6 (604)"])),
        step(9, vec![comp(GroupServices)], vec![Dcm], all, true,
             "Group Services retrieves the local cluster configuration from the DCMD",
             None, ReadOnly, vec![], sat(&is(GroupServices), Dcm, &["FIG 6 (604)"])),
        step(10, vec![comp(Liveness)], vec![SystemRegistry], all, true,
             "Liveness reads the global configuration from a registry server",
             None, ReadOnly, vec![], sat(&is(Liveness), SystemRegistry, &["FIG 6"])),
        step(11, vec![comp(Liveness)], vec![Liveness], all, true,
             "Liveness has all it depends on: it concludes its initialization and offers the liveness function",
             None, ReadOnly, vec![Stage::of(Liveness)], none()),
        step(12, vec![comp(GroupServices)], vec![SystemRegistry], all, true,
             "Group Services reads the global configuration from the System Registry",
             None, ReadOnly, vec![], sat(&is(GroupServices), SystemRegistry, &["FIG 6"])),
        step(13, vec![comp(GroupServices)], vec![Liveness], all, true,
             "Group Services uses the liveness function",
             None, ReadOnly, vec![], sat(&is(GroupServices), Liveness, &["FIG 7 (708)"])),
        step(14, vec![comp(GroupServices)], vec![GroupServices], all, true,
             "Group Services completes its initialization and offers the group membership function",
             None, ReadOnly, vec![Stage::of(GroupServices)], none()),
        step(15, vec![comp(SystemRegistry)], vec![GroupServices], servers, registry_server,
             "System Registry phase 2: with Group Services' membership, the copies with a lower incarnation number are updated",
             Some(rw), ReadOnly, vec![], sat(&is(SystemRegistry), GroupServices, &["FIG 7 (702)"])),
        step(16, vec![comp(SystemRegistry)], vec![SystemRegistry], servers, registry_server,
             "the System Registry concludes phase 2: replicated writes are enabled and the components may modify the global configuration",
             Some(rw), WriteEnabled, vec![Stage::registry(rw)], none()),
        step(17, vec![comp(ResourceManager)], vec![Dcm], all, true,
             "the Resource Manager retrieves the local configuration from the DCMD",
             None, WriteEnabled, vec![], sat(&is(ResourceManager), Dcm, &["FIG 6 (604)"])),
        step(18, vec![comp(ResourceManager)], vec![SystemRegistry], all, true,
             "the Resource Manager reads the global configuration from the System Registry and makes its modifications",
             None, WriteEnabled, vec![], sat(&is(ResourceManager), SystemRegistry, &["FIG 6"])),
        step(19, vec![comp(ResourceManager)], vec![GroupServices], all, true,
             "the Resource Manager uses Group Services' membership to find the version number of its configuration database",
             None, WriteEnabled, vec![], sat(&is(ResourceManager), GroupServices, &["FIG 7 (712)"])),
        step(20, vec![comp(ResourceManager)], vec![ResourceManager], all, true,
             "the Resource Manager has all it depends on and completes its initialization",
             None, WriteEnabled, vec![Stage::of(ResourceManager)], none()),
        step(21, vec![comp(ResourceManager)], ctrl.clone(), ctrl_nodes, has_ctrl,
             "the Resource Manager starts the configured resource controllers",
             None, WriteEnabled, vec![], sat(&is_ctrl, ResourceManager, &["FIG 7 (716)"])),
        step(22, ctrl_actors.clone(), vec![Dcm], ctrl_nodes, has_ctrl,
             "the resource controllers read the local cluster configuration from the DCMD",
             None, WriteEnabled, vec![], sat(&is_ctrl, Dcm, &["FIG 8 step 22", "FIG 7 (714)"])),
        step(23, ctrl_actors.clone(), vec![SystemRegistry], ctrl_nodes, has_ctrl,
             "the resource controllers read the global configuration from the System Registry and make their modifications",
             None, WriteEnabled, vec![], sat(&is_ctrl, SystemRegistry, &["FIG 6"])),
        step(24, ctrl_actors, ctrl.clone(), ctrl_nodes, has_ctrl,
             "the resource controllers conclude their initialization: every component is available",
             None, WriteEnabled, ctrl.into_iter().map(Stage::of).collect(), none()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shortest cycle by the plain definition: a breadth-first search from every unfinished
    /// stage scanning every edge, the earliest start winning ties (an independent computation of
    /// what [`Graph::shortest_cycle`] finds with its pruning).
    fn shortest_cycle_by_scans(graph: &Graph, done: &[bool]) -> Vec<usize> {
        let n = graph.stages.len();
        let mut best: Option<Vec<usize>> = None;
        for start in (0..n).filter(|&v| !done[v]) {
            let mut via: Vec<Option<usize>> = vec![None; n];
            let mut seen = vec![false; n];
            let mut queue = VecDeque::from([start]);
            let mut closing = None;
            'bfs: while let Some(v) = queue.pop_front() {
                for (i, e) in graph.edges.iter().enumerate() {
                    if e.from != v || done[e.to] {
                        continue;
                    }
                    if e.to == start {
                        closing = Some(i);
                        break 'bfs;
                    }
                    if !seen[e.to] {
                        seen[e.to] = true;
                        via[e.to] = Some(i);
                        queue.push_back(e.to);
                    }
                }
            }
            let Some(last) = closing else { continue };
            let mut path = vec![last];
            let mut v = graph.edges[last].from;
            while v != start {
                let i = via[v].unwrap();
                path.push(i);
                v = graph.edges[i].from;
            }
            path.reverse();
            if best.as_ref().is_none_or(|b| path.len() < b.len()) {
                best = Some(path);
            }
        }
        best.unwrap_or_default()
    }

    fn graph(n: usize, edges: &[(usize, usize)]) -> Graph {
        Graph {
            stages: (0..n)
                .map(|i| Stage::of(Component::ResourceController(format!("c{i}"))))
                .collect(),
            edges: edges
                .iter()
                .map(|&(from, to)| StageEdge { from: from % n, to: to % n, dependency: None })
                .collect(),
        }
    }

    proptest! {
        #[test]
        fn shortest_cycle_equals_the_search_from_every_stage(
            n in 1usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12), 0..40),
        ) {
            let graph = graph(n, &edges);
            let finishing = graph.finishing();
            prop_assume!(finishing.len() < n);
            let mut done = vec![false; n];
            finishing.iter().for_each(|&v| done[v] = true);
            prop_assert_eq!(graph.shortest_cycle(&done).edges, shortest_cycle_by_scans(&graph, &done));
        }
    }

    #[test]
    fn thirty_thousand_stages_waiting_on_a_two_stage_cycle() {
        // Stages 0 and 1 wait for each other; 30,000 others wait for stage 0 (a node's
        // controllers behind a cycle through the Resource Manager). A search from every
        // unfinished stage scanning every edge does 30,000 searches over 30,001 edges each;
        // the peeled search looks at the two stages of the cycle only.
        let n = 30_002;
        let mut edges = vec![(0, 1), (1, 0)];
        edges.extend((2..n).map(|i| (i, 0)));
        let graph = graph(n, &edges);
        let done = vec![false; n];
        assert_eq!(graph.shortest_cycle(&done).edges, vec![0, 1]);
    }
}
