//! Why an address sits where it does in a client's list: the entry's data, the strategy's
//! formula with the numbers filled in, and one sentence (for the UI node view and
//! `clusterplan explain`).

use crate::plan::Plan;
use crate::strategy::{Pick, Strategy};
use serde::Serialize;
use std::net::IpAddr;

/// The explanation of one entry of one client's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Position in the list (0 = first choice).
    pub position: usize,
    pub address: IpAddr,
    /// Tier index (0 = highest priority) and the priority it stands for (`None` = no priority).
    pub tier: u16,
    pub priority: Option<i64>,
    pub local: bool,
    /// Hops from the client; `None` = unreachable.
    pub hops: Option<u32>,
    /// `m`: size of the equidistant group (1 for a local address).
    pub group_size: u16,
    /// Position of the address in its group sorted by address (0..m-1).
    pub group_index: u16,
    /// `k`: the k-th pick from the group.
    pub pick: u16,
    /// `n`: the client's node number.
    pub node_number: u32,
    pub client_uid: String,
    /// The server node owning the address (`None`: serves no load).
    pub server_uid: Option<String>,
    pub strategy: Strategy,
    /// The rule with the numbers filled in, e.g. `index = ((5 mod 3) + 0) mod 3 = 2`.
    pub formula: String,
    /// One sentence for people.
    pub summary: String,
}

/// Explains entry `entry` of list `list` of service `service` (indices into
/// [`Plan::services`], [`crate::plan::ServicePlan::lists`] and [`crate::plan::ClientList::entries`]).
/// `None` when an index is out of range.
pub fn explain(plan: &Plan, service: usize, list: usize, entry: usize) -> Option<Explanation> {
    let sp = plan.services.get(service)?;
    let cl = sp.lists.get(list)?;
    explain_entry(plan, sp, &cl, entry)
}

/// Explains every entry of list `list` of service `service`, in list order (the list is written
/// out once); empty when an index is out of range.
pub fn explain_list(plan: &Plan, service: usize, list: usize) -> Vec<Explanation> {
    let Some(sp) = plan.services.get(service) else { return Vec::new() };
    let Some(cl) = sp.lists.get(list) else { return Vec::new() };
    (0..cl.entries.len()).filter_map(|e| explain_entry(plan, sp, &cl, e)).collect()
}

impl Plan {
    /// The explanation of one list entry (see [`crate::explain()`]); `None` for indices out of
    /// range.
    pub fn explain(&self, service: usize, list: usize, entry: usize) -> Option<Explanation> {
        explain(self, service, list, entry)
    }

    /// The explanations of every entry of one list, in order (see [`explain_list`]).
    pub fn explain_list(&self, service: usize, list: usize) -> Vec<Explanation> {
        explain_list(self, service, list)
    }
}

fn explain_entry(
    plan: &Plan,
    sp: &crate::plan::ServicePlan,
    cl: &crate::plan::ClientList,
    entry: usize,
) -> Option<Explanation> {
    let e = *cl.entries.get(entry)?;
    let addr = sp.addresses.get(e.address())?;
    let client_uid = plan.nodes.get(cl.node).map_or_else(String::new, |n| n.uid.clone());
    let server_uid = addr
        .server
        .and_then(|s| sp.servers.get(s))
        .and_then(|s| plan.nodes.get(s.node))
        .map(|n| n.uid.clone());
    let priority = sp.tiers.get(e.tier as usize).copied().flatten();
    let (n, m, k, i) =
        (u64::from(cl.number), u64::from(e.group_size), u64::from(e.pick), e.group_index);
    let formula = if e.local {
        format!(
            "local: {} is one of node {client_uid}'s own addresses, listed first in its tier",
            addr.ip
        )
    } else {
        let address = addr.ip.to_string();
        plan.strategy.formula(&Pick {
            n,
            m,
            k,
            index: i,
            client_uid: &client_uid,
            address: &address,
            tier: e.tier,
            hops: e.hops(),
        })
    };
    let tier_text = match priority {
        Some(p) => format!("tier {} (priority {p})", e.tier),
        None if sp.tiers.len() > 1 => format!("tier {} (no priority: last)", e.tier),
        None => "the only tier (no priorities)".to_owned(),
    };
    let distance = match e.hops() {
        Some(0) if e.local => "its own address".to_owned(),
        Some(0) => "on the client's own subnet (0 hops)".to_owned(),
        Some(1) => "1 hop away".to_owned(),
        Some(h) => format!("{h} hops away"),
        None => "unreachable (flagged)".to_owned(),
    };
    let summary = if e.local {
        format!(
            "{} is #{} for node {client_uid} (number {n}) in {tier_text}: it is the node's own address, \
             so it leads its tier",
            addr.ip,
            entry + 1
        )
    } else if m == 1 {
        format!(
            "{} is #{} for node {client_uid} (number {n}) in {tier_text}, {distance}: the only address \
             of its tier at that distance",
            addr.ip,
            entry + 1
        )
    } else {
        format!(
            "{} is #{} for node {client_uid} (number {n}) in {tier_text}, {distance}: pick {k} of the \
             {m} equidistant addresses (group index {i}) under {}",
            addr.ip,
            entry + 1,
            plan.strategy
        )
    };
    Some(Explanation {
        position: entry,
        address: addr.ip,
        tier: e.tier,
        priority,
        local: e.local,
        hops: e.hops(),
        group_size: e.group_size,
        group_index: e.group_index,
        pick: e.pick,
        node_number: cl.number,
        client_uid,
        server_uid,
        strategy: plan.strategy,
        formula,
        summary,
    })
}
