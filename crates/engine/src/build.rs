//! Plan assembly (stage 3): from the validated [`Model`] to the [`Plan`]'s plain data.

use crate::hops::HopTable;
use crate::model::{Model, ServiceM};
use crate::ordering::{tiers, Orderer};
use crate::plan::{ClientList, NodeInfo, NodeIx, Plan, Server, ServiceAddress, ServicePlan};
use crate::strategy::Strategy;

/// Computes the whole plan of a model.
pub(crate) fn plan(model: &Model, strategy: Strategy) -> Plan {
    let sources: Vec<usize> =
        model.services.iter().flat_map(|s| s.addresses.iter().map(|a| a.1)).collect();
    let hops = HopTable::build(model.subnets.len(), &model.routers, &sources);
    let mut order: Vec<&ServiceM> = model.services.iter().collect();
    order.sort_by(|a, b| (&a.cluster, &a.name).cmp(&(&b.cluster, &b.name)));
    let services =
        order.into_iter().map(|s| service_plan(model, &hops, &model.nodes, s, strategy)).collect();
    let mut plan = Plan {
        strategy,
        nodes: model.nodes.clone(),
        subnets: model.subnets.clone(),
        hops,
        services,
        diagnostics: Vec::new(),
    };
    plan.diagnostics = crate::lint::plan_diagnostics(&plan);
    plan
}

/// The clients of a cluster: nodes online in it, with their number, by ascending number.
pub(crate) fn clients(nodes: &[NodeInfo], cluster: &str) -> Vec<(NodeIx, u32)> {
    let mut clients: Vec<(NodeIx, u32)> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.online.as_deref() == Some(cluster))
        .filter_map(|(i, n)| n.clusters.iter().find(|(c, _)| c == cluster).map(|&(_, x)| (i, x)))
        .collect();
    clients.sort_by_key(|&(i, x)| (x, i));
    clients
}

/// Orders every client's list with the given addresses.
pub(crate) fn lists(
    hops: &HopTable,
    nodes: &[NodeInfo],
    addresses: &[ServiceAddress],
    clients: &[(NodeIx, u32)],
    strategy: Strategy,
) -> Vec<ClientList> {
    let mut orderer = Orderer::new(hops, nodes, addresses, strategy);
    clients.iter().map(|&(node, number)| orderer.list(node, number)).collect()
}

fn service_plan(
    model: &Model,
    hops: &HopTable,
    nodes: &[NodeInfo],
    s: &ServiceM,
    strategy: Strategy,
) -> ServicePlan {
    let priority_of = |subnet: usize| -> Option<i64> {
        let net = model.subnet_network.get(subnet).copied().flatten()?;
        model.networks.get(net)?.priorities.get(&s.name).copied()
    };
    // Servers: nodes of the cluster owning an address, by ascending number.
    let mut servers: Vec<Server> = Vec::new();
    let mut owner_of: Vec<Option<NodeIx>> = Vec::with_capacity(s.addresses.len());
    for (ix, (ip, _)) in s.addresses.iter().enumerate() {
        let owner = model.owner.get(ip).copied().filter(|&o| {
            s.cluster_ix.is_some() && nodes[o].clusters.iter().any(|(c, _)| *c == s.cluster)
        });
        owner_of.push(owner);
        if let Some(o) = owner {
            match servers.iter_mut().find(|x| x.node == o) {
                Some(server) => server.addresses.push(ix),
                None => {
                    let number =
                        nodes[o].clusters.iter().find(|(c, _)| *c == s.cluster).map_or(0, |x| x.1);
                    servers.push(Server { node: o, number, addresses: vec![ix] });
                }
            }
        }
    }
    servers.sort_by_key(|x| (x.number, x.node));
    let addresses: Vec<ServiceAddress> = s
        .addresses
        .iter()
        .zip(&owner_of)
        .map(|(&(ip, subnet), owner)| ServiceAddress {
            ip,
            subnet,
            priority: priority_of(subnet),
            server: owner.and_then(|o| servers.iter().position(|x| x.node == o)),
        })
        .collect();
    let clients = if s.cluster_ix.is_some() { clients(nodes, &s.cluster) } else { Vec::new() };
    let lists = lists(hops, nodes, &addresses, &clients, strategy);
    let load = crate::load::compute(&addresses, servers.len(), &lists);
    let (tiers, _) = tiers(&addresses);
    ServicePlan {
        cluster: s.cluster.clone(),
        service: s.name.clone(),
        addresses,
        servers,
        lists,
        load,
        tiers,
    }
}
