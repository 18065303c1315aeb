//! `explain`: one client's list of one service, entry by entry, with the formula filled in.

use anyhow::{anyhow, Result};
use clusterplan_engine::plan::NodeIx;
use clusterplan_engine::{Explanation, Plan, Strategy};
use serde::Serialize;
use std::io::Write;

/// The JSON form.
#[derive(Debug, Serialize)]
struct Explained<'a> {
    cluster: &'a str,
    service: &'a str,
    node: u32,
    uid: &'a str,
    strategy: Strategy,
    entries: Vec<Explanation>,
}

/// The node `node` names in `cluster`: a node number there, else a uid.
pub fn resolve_node(plan: &Plan, cluster: &str, node: &str) -> Result<NodeIx> {
    node.trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| plan.node_by_number(cluster, n))
        .or_else(|| plan.node_by_uid(node))
        .ok_or_else(|| {
            anyhow!(
                "no node {node:?} in cluster {cluster:?} (neither a node number there nor a uid)"
            )
        })
}

pub fn run(
    plan: &Plan,
    cluster: &str,
    service: &str,
    node: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let (si, sp) = plan
        .service(cluster, service)
        .ok_or_else(|| anyhow!("cluster {cluster:?} has no service {service:?}"))?;
    let ni = resolve_node(plan, cluster, node)?;
    let uid = plan.nodes[ni].uid.as_str();
    let li = sp.list_index(ni).ok_or_else(|| {
        anyhow!(
            "node {uid} is not a client of {service} in cluster {cluster}: it is not online there"
        )
    })?;
    let list = sp.lists.get(li).ok_or_else(|| anyhow!("node {uid} has no list of {service}"))?;
    let entries: Vec<Explanation> = plan.explain_list(si, li);
    if json {
        let doc = Explained {
            cluster,
            service,
            node: list.number,
            uid,
            strategy: plan.strategy,
            entries,
        };
        crate::write_json(out, &doc)?;
        return Ok(());
    }
    let addresses: Vec<String> = entries.iter().map(|e| e.address.to_string()).collect();
    writeln!(
        out,
        "cluster {cluster}, service {service}, node {} ({uid}), strategy {}: {}",
        list.number,
        plan.strategy,
        if addresses.is_empty() { "no address".to_owned() } else { addresses.join(", ") }
    )?;
    for e in &entries {
        let tier = match e.priority {
            Some(p) => format!("tier {} (priority {p})", e.tier),
            None => format!("tier {} (no priority)", e.tier),
        };
        let hops = match e.hops {
            Some(1) => "1 hop".to_owned(),
            Some(h) => format!("{h} hops"),
            None => "unreachable".to_owned(),
        };
        let server = e
            .server_uid
            .as_deref()
            .map_or_else(|| "no server".to_owned(), |s| format!("server {s}"));
        writeln!(
            out,
            "#{} {}  {tier}, {}{hops}, m = {}, group index {}, pick k = {}, {server}",
            e.position + 1,
            e.address,
            if e.local { "local, " } else { "" },
            e.group_size,
            e.group_index,
            e.pick
        )?;
        writeln!(out, "    {}", e.formula)?;
        writeln!(out, "    {}", e.summary)?;
    }
    Ok(())
}
