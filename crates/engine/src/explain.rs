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
    pub group_size: u32,
    /// Position of the address in its group sorted by address (0..m-1).
    pub group_index: u32,
    /// `k`: the k-th pick from the group.
    pub pick: u32,
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
    explain_entry(plan, sp, &cl, entry, group_numbers(sp, &cl.entries, entry))
}

/// Explains every entry of list `list` of service `service`, in list order (the list is written
/// out once); empty when an index is out of range.
pub fn explain_list(plan: &Plan, service: usize, list: usize) -> Vec<Explanation> {
    let Some(sp) = plan.services.get(service) else { return Vec::new() };
    let Some(cl) = sp.lists.get(list) else { return Vec::new() };
    let numbers = list_group_numbers(sp, &cl.entries);
    (0..cl.entries.len()).filter_map(|e| explain_entry(plan, sp, &cl, e, numbers[e])).collect()
}

/// [`group_numbers`] of every entry of a list, in time proportional to the list (a large group
/// is counted once, not once per entry).
fn list_group_numbers(
    sp: &crate::plan::ServicePlan,
    entries: &[crate::plan::Entry],
) -> Vec<(u32, u32, u32)> {
    let mut numbers = Vec::with_capacity(entries.len());
    let mut at = 0;
    while at < entries.len() {
        let e = entries[at];
        if e.group_size < u16::MAX || e.local {
            numbers.push((e.group_size.into(), e.pick.into(), e.group_index.into()));
            at += 1;
            continue;
        }
        let same =
            |x: &crate::plan::Entry| !x.local && x.tier == e.tier && x.hop_count == e.hop_count;
        let end = entries[at..].iter().position(|x| !same(x)).map_or(entries.len(), |p| at + p);
        // Each entry's index in the group sorted by address.
        let mut by_address: Vec<usize> = (at..end).collect();
        crate::sorting::sort_by_key(&mut by_address, |&x| {
            sp.addresses.get(entries[x].address()).map(|a| a.ip)
        });
        let mut index = vec![0u32; end - at];
        for (i, &x) in by_address.iter().enumerate() {
            index[x - at] = i as u32;
        }
        let m = (end - at) as u32;
        numbers.extend(index.iter().enumerate().map(|(k, &i)| (m, k as u32, i)));
        at = end;
    }
    numbers
}

/// `(m, k, i)` of entry `at`: its group's size, its pick and its index in the group sorted by
/// address. The compact entry holds them as `u16`, saturated at 65,535 for a larger group (a
/// service may have 100,000 addresses); then they are counted on the list itself: the group is
/// the run of non-local entries of the same tier and distance around `at`, in pick order.
fn group_numbers(
    sp: &crate::plan::ServicePlan,
    entries: &[crate::plan::Entry],
    at: usize,
) -> (u32, u32, u32) {
    let Some(&e) = entries.get(at) else { return (1, 0, 0) };
    if e.group_size < u16::MAX {
        return (e.group_size.into(), e.pick.into(), e.group_index.into());
    }
    counted_in_list(sp, entries, at)
}

/// [`group_numbers`] counted on the list.
fn counted_in_list(
    sp: &crate::plan::ServicePlan,
    entries: &[crate::plan::Entry],
    at: usize,
) -> (u32, u32, u32) {
    let e = entries[at];
    if e.local {
        return (1, 0, 0);
    }
    let same = |x: &crate::plan::Entry| !x.local && x.tier == e.tier && x.hop_count == e.hop_count;
    let start = entries[..at].iter().rposition(|x| !same(x)).map_or(0, |p| p + 1);
    let end = entries[at..].iter().position(|x| !same(x)).map_or(entries.len(), |p| at + p);
    let ip = |x: &crate::plan::Entry| sp.addresses.get(x.address()).map(|a| a.ip);
    let mine = ip(&e);
    let index = entries[start..end].iter().filter(|x| ip(x) < mine).count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (count(end - start), count(at - start), count(index))
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
    (group_size, pick, group_index): (u32, u32, u32),
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
    let (n, m, k, i) = (u64::from(cl.number), u64::from(group_size), u64::from(pick), group_index);
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
        group_size,
        group_index,
        pick,
        node_number: cl.number,
        client_uid,
        server_uid,
        strategy: plan.strategy,
        formula,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{self, Cluster, Document, Network, Node, Service, Subnet};

    #[test]
    fn the_group_numbers_counted_on_a_list_are_the_entries_own() {
        let mut seen = 0;
        for text in [
            include_str!("../../../examples/seed-fig24.json"),
            include_str!("../../../examples/seed-fig22.json"),
            include_str!("../../../examples/two-clusters-shared-node.json"),
        ] {
            let doc = document::read(text).unwrap();
            for strategy in [Strategy::Rotation, Strategy::Spread, Strategy::Rendezvous] {
                let plan = crate::compile(&doc, strategy);
                for sp in &plan.services {
                    for cl in &sp.lists {
                        for (at, e) in cl.entries.iter().enumerate() {
                            let stored = (e.group_size.into(), e.pick.into(), e.group_index.into());
                            assert_eq!(counted_in_list(sp, &cl.entries, at), stored, "{strategy}");
                            assert_eq!(list_group_numbers(sp, &cl.entries)[at], stored);
                            seen += usize::from(e.group_size > 1);
                        }
                    }
                }
            }
        }
        assert!(seen > 0, "the examples have groups of several addresses");
    }

    #[test]
    fn a_group_of_more_than_65535_addresses_is_explained_with_its_true_size() {
        let m = 70_000u32;
        let doc = Document {
            clusters: vec![Cluster { id: "A".into(), ..Cluster::default() }],
            networks: vec![Network { name: "n".into(), ..Network::default() }],
            subnets: vec![Subnet {
                prefix: "10.0.0.0/8".into(),
                network: "n".into(),
                ..Subnet::default()
            }],
            nodes: vec![Node {
                uid: "c".into(),
                clusters: [("A".to_owned(), 5)].into(),
                online: Some("A".into()),
                addresses: vec!["10.255.255.254".into()],
                ..Node::default()
            }],
            services: vec![Service {
                name: "s".into(),
                cluster: "A".into(),
                addresses: (0..m)
                    .map(|i| format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255))
                    .collect(),
                ..Service::default()
            }],
            ..Document::default()
        };
        let plan = crate::compile(&doc, Strategy::Rotation);
        let all = explain_list(&plan, 0, 0);
        assert_eq!(all.len(), m as usize);
        assert!(all.iter().all(|e| e.group_size == m));
        assert!(all.iter().enumerate().all(|(k, e)| e.pick == k as u32));
        // Rotation: node 5 starts at index 5 of the group sorted by address.
        assert_eq!((all[0].group_index, all[m as usize - 1].group_index), (5, 4));
        assert!(all[0].formula.contains("((5 mod 70000) + 0) mod 70000 = 5"), "{}", all[0].formula);
        let last = &all[m as usize - 1];
        assert!(last.summary.contains("pick 69999 of the 70000"), "{}", last.summary);
        // One entry alone says the same.
        assert_eq!(explain(&plan, 0, 0, m as usize - 1).as_ref(), Some(last));
    }
}
