//! `explain`: one client's list of one service, entry by entry, with the formula filled in.

use anyhow::Result;
use clusterplan_engine::answers;
use clusterplan_engine::Plan;
use std::io::Write;

pub fn run(
    plan: &Plan,
    cluster: &str,
    service: &str,
    node: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let explained = answers::explain_list(plan, cluster, service, node)?;
    if json {
        crate::io::write_json(out, &explained)?;
        return Ok(());
    }
    let addresses: Vec<String> = explained.entries.iter().map(|e| e.address.to_string()).collect();
    writeln!(
        out,
        "cluster {cluster}, service {service}, node {} ({}), strategy {}: {}",
        explained.node,
        explained.uid,
        explained.strategy,
        if addresses.is_empty() { "no address".to_owned() } else { addresses.join(", ") }
    )?;
    for e in &explained.entries {
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
