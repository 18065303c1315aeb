//! Diagnostics about the computed plan: warnings (unserved clients, unreachable addresses,
//! services without servers) and lints (rotation residues that leave servers
//! idle or doubled, a subnet whose clients all pick one local server, a priority tier that sends
//! every client to the same first address).

use crate::diagnostics::{Diagnostic, DiagnosticCode, Item};
use crate::ordering::OrderStats;
use crate::plan::{Plan, ServicePlan};
use crate::strategy::Strategy;

/// What the ordering learnt about a service's lists, for the diagnostics below.
#[derive(Debug, Default)]
pub(crate) struct ServiceFacts {
    pub stats: OrderStats,
}

/// Warnings and lints of a computed plan, service by service (`facts` indexed like
/// [`Plan::services`]).
///
/// `routers` names the routers (indexed like `Document::routers`), for the single points of
/// failure in the network.
pub(crate) fn plan_diagnostics(
    plan: &Plan,
    facts: &[ServiceFacts],
    routers: &[String],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let none = ServiceFacts::default();
    let stranded = crate::cuts::stranded(&plan.hops, &plan.nodes, &plan.services);
    for (i, sp) in plan.services.iter().enumerate() {
        let facts = facts.get(i).unwrap_or(&none);
        service_warnings(plan, sp, facts, &mut out);
        if matches!(plan.strategy, Strategy::Rotation | Strategy::Spread) {
            residues(sp, facts, &mut out);
        }
        subnet_one_server(plan, sp, &mut out);
        tier_one_first(sp, &mut out);
        if let Some(stranded) = stranded.get(i) {
            single_router_failures(plan, sp, stranded, routers, &mut out);
        }
    }
    out
}

/// Each router whose failure alone leaves clients of the service unserved (docs/spec.md §2):
/// a single point of failure in the network.
fn single_router_failures(
    plan: &Plan,
    sp: &ServicePlan,
    stranded: &[(usize, Vec<usize>)],
    routers: &[String],
    out: &mut Vec<Diagnostic>,
) {
    for (r, lists) in stranded {
        let name = routers.get(*r).map_or("?", String::as_str);
        let first = lists
            .first()
            .and_then(|&i| sp.lists.clients().get(i))
            .map(|c| (plan.nodes.get(c.node).map_or("?", |n| n.uid.as_str()), c.number));
        let Some((uid, number)) = first else { continue };
        out.push(Diagnostic::new(
            DiagnosticCode::SingleRouterFailureUnserved,
            Item::Router { name: name.to_owned() },
            format!(
                "if router {name} fails, {} of the {} clients of service {} of cluster {} are \
                 left unserved, the first being node {uid} (number {number}): a single point \
                 of failure in the network",
                lists.len(),
                sp.lists.len(),
                sp.service,
                sp.cluster
            ),
        ));
    }
}

fn service_item(sp: &ServicePlan) -> Item {
    Item::Service { cluster: sp.cluster.clone(), name: sp.service.clone() }
}

fn service_warnings(
    plan: &Plan,
    sp: &ServicePlan,
    facts: &ServiceFacts,
    out: &mut Vec<Diagnostic>,
) {
    if sp.servers.is_empty() && !sp.lists.is_empty() {
        out.push(Diagnostic::new(DiagnosticCode::NoServer, service_item(sp), format!(
                "service {} of cluster {} has {} clients but no server node: every client is unserved",
                sp.service,
                sp.cluster,
                sp.lists.len()
            )));
    } else {
        for (i, list) in sp.lists.clients().iter().enumerate() {
            if sp.load.serving.get(i).copied().flatten().is_none() {
                let uid = plan.nodes.get(list.node).map_or("?", |n| n.uid.as_str());
                out.push(Diagnostic::new(DiagnosticCode::UnservedClient, Item::Node { uid: uid.to_owned() }, format!(
                        "node {uid} (number {}) cannot reach any server of service {} of cluster {}",
                        list.number, sp.service, sp.cluster
                    )));
            }
        }
    }
    // Unreachable addresses, counted per address while ordering.
    let unreachable = facts.stats.unreachable.iter().copied();
    for (a, (count, first)) in unreachable.enumerate() {
        let Some(first) = first else { continue };
        let Some(addr) = sp.addresses.get(a) else { continue };
        let owner =
            addr.server.and_then(|s| sp.servers.get(s)).and_then(|s| plan.nodes.get(s.node));
        let first_uid = plan.nodes.get(first).map_or("?", |n| n.uid.as_str());
        out.push(Diagnostic::new(
            DiagnosticCode::UnreachableAddress,
            Item::Address { address: addr.ip.to_string(), node: owner.map(|n| n.uid.clone()) },
            format!(
                "address {} of service {} of cluster {} is unreachable from {count} of {} clients, \
                 the first being node {first_uid}; they list it last in its tier",
                addr.ip,
                sp.service,
                sp.cluster,
                sp.lists.len()
            ),
        ));
    }
}

/// Under rotation (and spread, whose first pick is the same), the first pick inside a group of
/// `m` equidistant addresses is `n mod m`: if the node numbers of the clients choosing first
/// from that group are not spread over the residues, a server is idle or doubled.
fn residues(sp: &ServicePlan, facts: &ServiceFacts, out: &mut Vec<Diagnostic>) {
    for (members, counts) in &facts.stats.first_groups {
        let m = counts.len();
        let total: usize = counts.iter().sum();
        let ceil = total.div_ceil(m);
        let min = counts.iter().copied().min().unwrap_or(0);
        let max = counts.iter().copied().max().unwrap_or(0);
        if total < m || !(min == 0 || (ceil >= 1 && max >= 2 * ceil)) {
            continue;
        }
        let text = |a: usize| sp.addresses.get(a).map_or("?".to_owned(), |x| x.ip.to_string());
        let spread: Vec<String> =
            members.iter().zip(counts).map(|(&a, c)| format!("{} {c}", text(a as usize))).collect();
        let idle: Vec<String> = members
            .iter()
            .zip(counts)
            .filter(|(_, &c)| c == 0)
            .map(|(&a, _)| text(a as usize))
            .collect();
        let what = if idle.is_empty() {
            format!("one server gets {max} while an even share is {ceil}")
        } else {
            format!("{} never first (idle)", idle.join(", "))
        };
        out.push(Diagnostic::new(
            DiagnosticCode::ResidueImbalance,
            service_item(sp),
            format!(
                "the {total} clients choosing first among {m} equidistant addresses of service \
                 {} pick by node number mod {m}, and their numbers leave {what} (first choices: \
                 {})",
                sp.service,
                spread.join(", ")
            ),
        ));
    }
}

/// Every client on a subnet picks the same server first, and that server is on the subnet.
fn subnet_one_server(plan: &Plan, sp: &ServicePlan, out: &mut Vec<Diagnostic>) {
    if sp.servers.len() < 2 {
        return;
    }
    // subnet -> (clients, the one server they pick, or None once they disagree / unserved)
    let mut per: Vec<(usize, Option<usize>)> = vec![(0, None); plan.subnets.len()];
    for (i, list) in sp.lists.clients().iter().enumerate() {
        let serving = sp.load.serving.get(i).copied().flatten();
        let Some(node) = plan.nodes.get(list.node) else {
            continue;
        };
        for (j, a) in node.addresses.iter().enumerate() {
            if node.addresses[..j].iter().any(|b| b.subnet == a.subnet) {
                continue;
            }
            let Some(slot) = per.get_mut(a.subnet) else { continue };
            if slot.0 == 0 {
                slot.1 = serving;
            } else if slot.1 != serving {
                slot.1 = None;
            }
            slot.0 += 1;
        }
    }
    let mut hits: Vec<(usize, usize, usize)> = per
        .into_iter()
        .enumerate()
        .filter_map(|(subnet, (count, server))| {
            let server = server?;
            // The cause is locality only when the server is the one up server of the service
            // on the subnet; with two or more there, the node numbers' residues decide (which
            // `residue-imbalance` reports).
            let on_subnet = |x: &crate::plan::Server| {
                x.online
                    && x.addresses
                        .iter()
                        .any(|&a| sp.addresses.get(a).is_some_and(|x| x.subnet == subnet))
            };
            let alone = on_subnet(sp.servers.get(server)?)
                && sp.servers.iter().filter(|x| on_subnet(x)).count() == 1;
            (count >= 2 && alone).then_some((subnet, count, server))
        })
        .collect();
    hits.sort_unstable();
    for (subnet, count, server) in hits {
        let prefix = plan.subnets.get(subnet).map_or("?".to_owned(), |s| s.prefix.clone());
        let node = sp.servers.get(server).and_then(|s| plan.nodes.get(s.node));
        out.push(Diagnostic::new(DiagnosticCode::SubnetOneServer, Item::Subnet { prefix: prefix.clone() }, format!(
                "all {count} clients on subnet {prefix} pick node {} (number {}) first for service \
                 {} of cluster {}: it is the only server on their subnet, so it carries the whole subnet",
                node.map_or("?", |n| n.uid.as_str()),
                sp.servers.get(server).map_or(0, |s| s.number),
                sp.service,
                sp.cluster
            )));
    }
}

/// Every client's list starts with the same address, the only one of its priority tier.
fn tier_one_first(sp: &ServicePlan, out: &mut Vec<Diagnostic>) {
    let owned = sp.addresses.iter().filter(|a| a.server.is_some()).count();
    if sp.lists.len() < 2 || owned < 2 {
        return;
    }
    let Some(first) = sp.lists.first_entry(0) else {
        return;
    };
    if (1..sp.lists.len())
        .any(|i| sp.lists.first_entry(i).map(|e| e.address()) != Some(first.address()))
    {
        return;
    }
    let in_tier = sp.lists.entries(0).iter().filter(|e| e.tier == first.tier).count();
    if in_tier != 1 {
        return;
    }
    let priority = sp.tiers.get(first.tier as usize).copied().flatten();
    let addr = sp.addresses.get(first.address()).map_or("?".to_owned(), |a| a.ip.to_string());
    out.push(Diagnostic::new(DiagnosticCode::TierOneFirst, service_item(sp), format!(
            "every client of service {} of cluster {} lists {addr} first: it is the only address of \
             its tier ({}), so it takes all {} clients while the service has {owned} addresses",
            sp.service,
            sp.cluster,
            match priority {
                Some(p) => format!("priority {p}"),
                None => "no priority".to_owned(),
            },
            sp.lists.len()
        )));
}
