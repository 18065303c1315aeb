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
//!
//! The parts: `types.rs` (the data types), `dependencies.rs` (FIG 6 and FIG 7 as data),
//! `graph.rs` (the ordering graph, its order or cycle), `fig8.rs` (FIG 8 as data and where a
//! bootstrap waits); this file puts a node's bootstrap together ([`node_bootstrap`]).

mod dependencies;
mod fig8;
mod graph;
mod types;

pub use crate::document::{resource_controllers, RESOURCE_CONTROLLERS_FIELD};
pub use dependencies::builtin_dependencies;
pub use fig8::fig8_sequence;
pub use types::{
    Actor, Component, ComponentInfo, Cycle, Dependency, DependencyKind, DependencyParseError,
    NodeBootstrap, NodeNotFound, RegistryPhase, RegistryState, Role, Stage, StageEdge, Step,
    UnknownComponent, Wait,
};

use crate::diagnostics::{Diagnostic, DiagnosticCode, Item};
use crate::document::Document;
use fig8::{fig8_steps, waits};
use graph::Graph;

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
