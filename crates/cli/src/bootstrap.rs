//! `bootstrap`: one node's components, dependencies, bootstrap order and FIG 8's steps.

use crate::io::Outcome;
use crate::tables::one_line;
use anyhow::{anyhow, bail, Context, Result};
use clusterplan_engine::bootstrap::{
    node_bootstrap, Actor, Component, Dependency, DependencyKind, NodeBootstrap, RegistryState,
    Role,
};
use clusterplan_engine::document::node_label;
use clusterplan_engine::Document;
use std::io::Write;

/// The uid of the node `node` names: a uid, else a node number in `cluster` (or in the
/// document's only cluster).
pub fn resolve_node(doc: &Document, node: &str, cluster: Option<&str>) -> Result<String> {
    if doc.nodes.iter().any(|n| n.uid == node) {
        return Ok(node.to_owned());
    }
    let Ok(number) = node.trim().parse::<u32>() else {
        bail!("no node with uid {node:?}");
    };
    let cluster = match cluster {
        Some(c) => c.to_owned(),
        None => match doc.clusters.as_slice() {
            [only] => only.id.clone(),
            [] => bail!("no node with uid {node:?}, and the document defines no cluster"),
            _ => bail!("no node with uid {node:?}; give --cluster to read {node} as a node number"),
        },
    };
    doc.nodes
        .iter()
        .find(|n| n.clusters.get(&cluster) == Some(&number))
        .map(|n| n.uid.clone())
        .ok_or_else(|| anyhow!("no node number {number} in cluster {cluster:?}"))
}

pub fn run(
    doc: &Document,
    node: &str,
    cluster: Option<&str>,
    depends: &[String],
    json: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let extra = depends
        .iter()
        .map(|d| d.parse::<Dependency>().with_context(|| format!("--depends {d:?}")))
        .collect::<Result<Vec<_>>>()?;
    let uid = resolve_node(doc, node, cluster)?;
    let boot = node_bootstrap(doc, &uid, &extra)?;
    // A dependency on a component the node does not have is a mistyped option (`livenes`), not
    // an edge to leave out quietly.
    for (text, dep) in depends.iter().zip(&extra) {
        let has = |c: &Component| boot.components.iter().any(|info| &info.component == c);
        if let Some(unknown) = [&dep.from, &dep.to].into_iter().find(|c| !has(c)) {
            let known: Vec<String> = boot.components.iter().map(|c| c.component.key()).collect();
            bail!(
                "--depends {text:?}: {} has no {unknown}; its components are {}",
                node_label(&boot.node, &boot.name),
                known.join(", ")
            );
        }
    }
    let mut err = std::io::stderr().lock();
    for d in &boot.diagnostics {
        let _ = writeln!(err, "{}", one_line(&d.to_string()));
    }
    if json {
        crate::io::write_json(out, &boot)?;
    } else {
        text(&boot, out)?;
    }
    Ok(if boot.order.is_ok() { Outcome::Ok } else { Outcome::Failed })
}

fn text(b: &NodeBootstrap, out: &mut dyn Write) -> Result<()> {
    let servers = b.registry_servers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let whom = match (&b.cluster, b.number) {
        (Some(c), Some(n)) => format!("cluster {c}, node number {n}"),
        _ => "no cluster".to_owned(),
    };
    let role = if b.registry_server { "a registry server" } else { "a registry client" };
    writeln!(
        out,
        "{}: {whom}, {role}; registry servers: {}",
        one_line(&node_label(&b.node, &b.name)),
        or_none(&servers)
    )?;

    writeln!(out, "components:")?;
    let width = b.components.iter().map(|c| c.component.to_string().len()).max().unwrap_or(0);
    for c in &b.components {
        let place = if c.local { "on this node" } else { "on the registry servers" };
        writeln!(out, "  {:width$}  {place:23}  {}", c.component.to_string(), c.role)?;
    }

    writeln!(out, "dependencies (A -> B: A depends on B):")?;
    let arrows: Vec<String> = b.dependencies.iter().map(Dependency::to_string).collect();
    let width = arrows.iter().map(String::len).max().unwrap_or(0);
    for (d, arrow) in b.dependencies.iter().zip(&arrows) {
        let kind = match d.kind {
            DependencyKind::Data => "data",
            DependencyKind::Functional => "functional",
            DependencyKind::StartedBy => "started by",
            DependencyKind::User => "user",
        };
        writeln!(out, "  {arrow:width$}  {kind:10}  {}: {}", d.reference, d.why)?;
    }

    match &b.order {
        Ok(order) => {
            writeln!(out, "order (as the stages finish initializing):")?;
            for (i, s) in order.iter().enumerate() {
                writeln!(out, "  {:2}. {s}", i + 1)?;
            }
        }
        Err(cycle) => writeln!(out, "order: none, {cycle}")?,
    }

    writeln!(out, "steps (FIG 8; * = on this node):")?;
    for s in &b.steps {
        let role = match s.role {
            Role::AllNodes => "all nodes",
            Role::RegistryServers => "registry servers",
            Role::ControllerNodes => "controller nodes",
        };
        let actors = s.actors.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let targets: Vec<String> = s
            .targets
            .iter()
            .filter(|t| !s.actors.contains(&Actor::Component((*t).clone())))
            .map(ToString::to_string)
            .collect();
        let who = match (actors.is_empty(), targets.is_empty()) {
            (true, _) => "resource controllers (none on this node)".to_owned(),
            (false, true) => actors,
            (false, false) => format!("{actors} -> {}", targets.join(", ")),
        };
        let phase = s
            .registry_phase
            .map(|p| format!(" [registry phase {}]", p.number()))
            .unwrap_or_default();
        let registry = match s.registry {
            RegistryState::Stopped => "stopped",
            RegistryState::Started => "started",
            RegistryState::ReadOnly => "read-only",
            RegistryState::WriteEnabled => "write-enabled",
        };
        let completes = s.completes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        writeln!(
            out,
            "  {} {:2}  {role:16}  {who}: {}{phase} (registry: {registry}){}",
            if s.here { '*' } else { ' ' },
            s.number,
            s.action,
            if completes.is_empty() { String::new() } else { format!("; ready: {completes}") }
        )?;
    }
    if let Some(w) = &b.waits {
        writeln!(out, "waits at step {}: {}", w.step, one_line(&w.reason))?;
    }
    Ok(())
}

fn or_none(text: &str) -> &str {
    if text.is_empty() {
        "none"
    } else {
        text
    }
}
