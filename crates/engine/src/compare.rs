//! The four strategies (spec §7) compared on one model: first-choice balance, the worst single
//! failure, and how many clients move when one server is removed or added.
//!
//! Definitions (per service, same clients and hop table for every strategy):
//! - **first-choice balance**: max first-choice load / (clients / servers).
//! - **worst single failure**: the largest load any server gets when one other server fails
//!   (addresses still listed, the failed node down), with its balance against
//!   clients / (servers - 1).
//! - **clients moved on removal**: server `s` is taken out of the service (its addresses are no
//!   longer published, so groups shrink and lists are reordered). Its own first-choice clients
//!   must move; every *other* client whose first-choice server changes is an extra move. The
//!   report gives the max and mean of extra moves over all servers, and the server whose removal
//!   costs most.
//! - **clients moved on addition**: a hypothetical new server node is published at a new
//!   address in the subnet of the busiest server (highest first-choice load, lowest server index
//!   on ties), next to it: the lowest free address above the busiest server's first address
//!   (below it when the subnet has no room above). It is not a client. Clients whose first
//!   choice becomes the new server moved by necessity (`to_new`); clients whose first choice
//!   changes to another existing server are extra moves (`moved`).

use crate::build::lists_with;
use crate::document::Document;
use crate::model::Model;
use crate::plan::{Entry, Plan, ServerIx, ServiceAddress, ServicePlan, SubnetIx};
use crate::strategy::Strategy;
use serde::Serialize;
use std::net::IpAddr;

/// One strategy's figures on every service of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyReport {
    pub strategy: Strategy,
    /// Indexed like [`Plan::services`].
    pub services: Vec<ServiceReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceReport {
    pub cluster: String,
    pub service: String,
    pub clients: usize,
    pub servers: usize,
    pub unserved: usize,
    /// Largest first-choice load of a server.
    pub max_first_choice: usize,
    pub balance_first_choice: Option<f64>,
    /// Largest load of a server after one other server fails.
    pub worst_single_failure: usize,
    /// (failed server's node number, overloaded server's node number) of that worst case.
    pub worst_failure_pair: Option<(u32, u32)>,
    pub balance_worst_failure: Option<f64>,
    /// `None` with fewer than two servers.
    pub removal: Option<Removal>,
    /// `None` without servers or clients.
    pub addition: Option<Addition>,
}

/// Extra clients moved when one server is removed (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Removal {
    pub max_moved: usize,
    pub mean_moved: f64,
    /// Node number of the server whose removal moves the most other clients.
    pub worst_server: u32,
}

/// Clients moved when a hypothetical server is added (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addition {
    pub address: IpAddr,
    pub subnet: SubnetIx,
    /// Clients whose first choice becomes the new server.
    pub to_new: usize,
    /// Clients whose first choice changes to another existing server.
    pub moved: usize,
}

/// Compares the four strategies ([`Strategy::all`], shuffle with `seed`) on one document.
pub fn compare(doc: &Document, seed: u64) -> Vec<StrategyReport> {
    let (model, _) = Model::build(doc);
    Strategy::all(seed)
        .into_iter()
        .map(|strategy| {
            let plan = model.plan(strategy);
            let services =
                plan.services.iter().map(|sp| service_report(&plan, sp, false)).collect();
            StrategyReport { strategy, services }
        })
        .collect()
}

/// The first server a list is served by, given its service's addresses.
fn first_server(addresses: &[ServiceAddress], entries: &[Entry]) -> Option<ServerIx> {
    entries
        .iter()
        .filter(|e| e.local || e.hops.is_some())
        .find_map(|e| addresses.get(e.address).and_then(|a| a.server))
}

/// First-choice servers of every client with another set of addresses, recomputing only the
/// clients marked `affected` (the others keep their first choice).
fn first_choices(
    plan: &Plan,
    sp: &ServicePlan,
    addresses: &[ServiceAddress],
    affected: &[bool],
) -> Vec<Option<ServerIx>> {
    let clients: Vec<(usize, u32)> = sp
        .lists
        .iter()
        .zip(affected)
        .filter(|(_, &a)| a)
        .map(|(l, _)| (l.node, l.number))
        .collect();
    let mut fresh = Vec::with_capacity(clients.len());
    lists_with(&plan.hops, &plan.nodes, addresses, &clients, plan.strategy, |_, entries| {
        fresh.push(first_server(addresses, entries));
    });
    let mut fresh = fresh.into_iter();
    sp.load
        .serving
        .iter()
        .zip(affected)
        .map(|(&before, &a)| if a { fresh.next().flatten() } else { before })
        .collect()
}

/// Positions `[start, end)` in a list of the group its first choice comes from (`None` when
/// the client is unserved).
fn first_group(sp: &ServicePlan, entries: &[Entry]) -> Option<(usize, usize)> {
    let p = entries.iter().position(|e| {
        (e.local || e.hops.is_some())
            && sp.addresses.get(e.address).is_some_and(|a| a.server.is_some())
    })?;
    let e = entries[p];
    if e.local {
        return Some((p, p + 1));
    }
    let start = p.saturating_sub(usize::from(e.pick));
    Some((start, (start + usize::from(e.group_size)).min(entries.len())))
}

/// One service's figures; `exhaustive` reorders every client's list for each what-if instead of
/// only the clients whose first-choice group is touched (the tests check both agree).
fn service_report(plan: &Plan, sp: &ServicePlan, exhaustive: bool) -> ServiceReport {
    let ld = &sp.load;
    let max_first_choice = ld.first_choice.iter().copied().max().unwrap_or(0);
    let worst = ld
        .worst_single_failure
        .iter()
        .enumerate()
        .filter_map(|(s, &(load, by))| by.map(|f| (load, f, s)))
        .max_by_key(|&(load, f, s)| (load, std::cmp::Reverse((f, s))));
    let number = |s: ServerIx| sp.servers.get(s).map_or(0, |x| x.number);
    let removal = (sp.servers.len() >= 2).then(|| {
        let mut max = (0usize, 0u32);
        let mut sum = 0usize;
        // Only the addresses of the first-choice group decide a first choice: a client whose
        // group holds none of the removed server's addresses keeps its first choice.
        let groups: Vec<Option<(usize, usize)>> =
            sp.lists.iter().map(|l| first_group(sp, &l.entries)).collect();
        for s in 0..sp.servers.len() {
            let kept: Vec<ServiceAddress> =
                sp.addresses.iter().filter(|a| a.server != Some(s)).cloned().collect();
            let affected: Vec<bool> = sp
                .lists
                .iter()
                .zip(&groups)
                .map(|(l, g)| {
                    g.is_some_and(|(a, b)| {
                        l.entries[a..b].iter().any(|e| {
                            sp.addresses.get(e.address).is_some_and(|x| x.server == Some(s))
                        })
                    })
                })
                .collect();
            let affected = if exhaustive { vec![true; affected.len()] } else { affected };
            let now = first_choices(plan, sp, &kept, &affected);
            let moved = ld
                .serving
                .iter()
                .zip(&now)
                .filter(|(before, after)| **before != Some(s) && before != after)
                .count();
            sum += moved;
            if moved > max.0 || s == 0 {
                max = (moved, number(s));
            }
        }
        Removal {
            max_moved: max.0,
            mean_moved: sum as f64 / sp.servers.len() as f64,
            worst_server: max.1,
        }
    });
    let addition = addition(plan, sp, exhaustive);
    ServiceReport {
        cluster: sp.cluster.clone(),
        service: sp.service.clone(),
        clients: ld.clients,
        servers: sp.servers.len(),
        unserved: ld.unserved,
        max_first_choice,
        balance_first_choice: ld.balance_first_choice,
        worst_single_failure: worst.map_or(max_first_choice, |w| w.0),
        worst_failure_pair: worst.map(|(_, f, s)| (number(f), number(s))),
        balance_worst_failure: ld.balance_worst_failure,
        removal,
        addition,
    }
}

fn addition(plan: &Plan, sp: &ServicePlan, exhaustive: bool) -> Option<Addition> {
    if sp.lists.is_empty() {
        return None;
    }
    let busiest =
        (0..sp.servers.len()).max_by_key(|&s| (sp.load.first_choice[s], std::cmp::Reverse(s)))?;
    let &first_addr = sp.servers[busiest].addresses.first()?;
    let anchor = sp.addresses.get(first_addr)?;
    let net = plan.subnets.get(anchor.subnet).and_then(|s| s.net);
    let used = |ip: IpAddr| {
        sp.addresses.iter().any(|a| a.ip == ip)
            || plan.nodes.iter().any(|n| n.addresses.iter().any(|a| a.ip == ip))
    };
    let ip = free_address(anchor.ip, net, used)?;
    let new_server = sp.servers.len();
    let mut addresses = sp.addresses.clone();
    addresses.push(ServiceAddress {
        ip,
        subnet: anchor.subnet,
        priority: anchor.priority,
        server: Some(new_server),
    });
    // The new address sits in the anchor's subnet with its priority, so in every list it joins
    // the anchor's group: only clients whose anchor entry is in or before their first-choice
    // group (or is their own address) can change.
    let affected: Vec<bool> = sp
        .lists
        .iter()
        .map(|l| {
            let anchor_at = l.entries.iter().position(|e| e.address == first_addr);
            match (anchor_at, first_group(sp, &l.entries)) {
                (Some(p), Some((_, end))) => p < end || l.entries[p].local,
                (Some(p), None) => l.entries[p].local,
                (None, _) => true,
            }
        })
        .collect();
    let affected = if exhaustive { vec![true; affected.len()] } else { affected };
    let now = first_choices(plan, sp, &addresses, &affected);
    let to_new = now.iter().filter(|&&x| x == Some(new_server)).count();
    let moved = sp
        .load
        .serving
        .iter()
        .zip(&now)
        .filter(|(before, after)| **after != Some(new_server) && before != after)
        .count();
    Some(Addition { address: ip, subnet: anchor.subnet, to_new, moved })
}

/// The lowest unused address above `anchor` inside `net` (or below it when there is no room
/// above); an implicit /32 or /128 subnet has no room, so its neighbour address is used.
fn free_address(
    anchor: IpAddr,
    net: Option<ipnet::IpNet>,
    used: impl Fn(IpAddr) -> bool,
) -> Option<IpAddr> {
    let contains = |ip: IpAddr| match net {
        Some(n) if n.prefix_len() < n.max_prefix_len() => n.contains(&ip),
        _ => true,
    };
    let step = |ip: IpAddr, up: bool| -> Option<IpAddr> {
        match ip {
            IpAddr::V4(a) => {
                let x = u32::from(a);
                let y = if up { x.checked_add(1)? } else { x.checked_sub(1)? };
                Some(IpAddr::V4(y.into()))
            }
            IpAddr::V6(a) => {
                let x = u128::from(a);
                let y = if up { x.checked_add(1)? } else { x.checked_sub(1)? };
                Some(IpAddr::V6(y.into()))
            }
        }
    };
    for up in [true, false] {
        let mut ip = anchor;
        for _ in 0..4096 {
            match step(ip, up) {
                Some(next) => ip = next,
                None => break,
            }
            if !contains(ip) {
                break;
            }
            if !used(ip) {
                return Some(ip);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::DataCentre;

    /// Recomputing only the clients whose first-choice group is touched gives the same figures
    /// as reordering every list.
    #[test]
    fn shortcut_matches_exhaustive() {
        let mut docs = vec![
            crate::generate::data_centre(300),
            DataCentre { nodes: 120, services: 2, servers_per_service: 9, subnets: 7, routers: 3 }
                .document(),
        ];
        for text in [
            include_str!("../../../examples/seed-fig24.json"),
            include_str!("../../../examples/seed-fig22.json"),
            include_str!("../tests/data/residues.json"),
            include_str!("../tests/data/addresses.json"),
            include_str!("../tests/data/services.json"),
        ] {
            docs.push(crate::document::read(text).unwrap());
        }
        for doc in &docs {
            let (model, _) = Model::build(doc);
            for strategy in Strategy::all(11) {
                let plan = model.plan(strategy);
                for sp in &plan.services {
                    assert_eq!(
                        service_report(&plan, sp, false),
                        service_report(&plan, sp, true),
                        "{strategy} {}",
                        sp.service
                    );
                }
            }
        }
    }
}
