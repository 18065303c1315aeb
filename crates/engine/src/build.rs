//! Plan assembly (stage 3): from the validated [`Model`] to the [`Plan`]'s plain data.

use crate::diagnostics::{Diagnostic, DiagnosticCode, Item};
use crate::document::{resource_controllers, Document};
use crate::failures::{FailureSet, NetworkFailures};
use crate::fastmap::FastMap;
use crate::hops::HopTableTooLarge;
use crate::limits::{Limit, LIST_COST, MAX_HOP_CELLS, MAX_LIST_ENTRIES};
use crate::lint::ServiceFacts;
use crate::model::{Model, ServiceM};
use crate::ordering::{tiers, OrderStats, Orderer};
use crate::plan::hop_table::HopTable;
use crate::plan::lists::{Client, Lists, ListsBuilder};
use crate::plan::{
    NodeInfo, NodeIx, Plan, Server, ServerIx, ServiceAddress, ServicePlan, SubnetInfo,
};
use crate::strategy::Strategy;
use crate::text::thousands;
use std::collections::HashMap;

/// Compiles a document with the given strategy: the model's validation, the plan (hops, lists,
/// load), its warnings and lints, and the checks of the nodes' bootstrap extension field (so
/// `check` and the app's diagnostics panel report it, not only the bootstrap view). Never
/// fails, never panics: every problem is a diagnostic naming its item.
pub fn compile(doc: &Document, strategy: Strategy) -> Plan {
    compile_network(doc, strategy, &NetworkFailures::default())
}

/// [`compile`] under a failure set (docs/spec.md §2): the failed routers and subnets are taken
/// out of the hop table, so the lists, the load, the unserved clients and the diagnostics are
/// those of the network without them. The failed nodes are not compiled in: the load's
/// failover takes them on top of this plan ([`FailureSet::failed_nodes`]). Names the document
/// does not have change nothing ([`FailureSet::check`] finds them).
pub fn compile_with(doc: &Document, strategy: Strategy, failures: &FailureSet) -> Plan {
    compile_network(doc, strategy, &failures.network(doc))
}

fn compile_network(doc: &Document, strategy: Strategy, failed: &NetworkFailures) -> Plan {
    let (model, diagnostics) = Model::build(doc);
    let mut plan = into_plan(model, strategy, failed);
    plan.diagnostics.splice(0..0, diagnostics);
    for node in &doc.nodes {
        plan.diagnostics.extend(resource_controllers(node).1);
    }
    plan
}

/// Computes the whole plan of a model, moving the model's nodes and subnets into it.
pub(crate) fn into_plan(mut model: Model, strategy: Strategy, failed: &NetworkFailures) -> Plan {
    let nodes = std::mem::take(&mut model.nodes);
    let subnets = std::mem::take(&mut model.subnets);
    if !failed.is_empty() {
        model.routers = failed.apply(&model.routers);
    }
    let down = failed.down(subnets.len());
    plan(&model, nodes, subnets, strategy, down)
}

/// Computes the whole plan of a model from its `nodes` and `subnets` (see [`into_plan`]).
///
/// The plan's size is bounded before anything large is allocated (docs/format.md, Limits): a
/// hop table over [`MAX_HOP_CELLS`] is not precomputed and no list is computed; services whose
/// lists would take the plan over [`MAX_LIST_ENTRIES`] get none. Each refusal is an error
/// diagnostic naming the limit; everything else is computed.
///
/// `down` marks the failed subnets (empty when none failed): the hop table reads them before
/// any list is ordered.
fn plan(
    model: &Model,
    nodes: Vec<NodeInfo>,
    subnets: Vec<SubnetInfo>,
    strategy: Strategy,
    down: Vec<bool>,
) -> Plan {
    let sources: Vec<usize> =
        model.services.iter().flat_map(|s| s.addresses.iter().map(|a| a.1)).collect();
    let (mut hops, hop_refusal) =
        match HopTable::build_within(subnets.len(), &model.routers, &sources, MAX_HOP_CELLS) {
            Ok(table) => (table, None),
            Err(too_large) => {
                let HopTableTooLarge { rows, routed, table } = *too_large;
                (table, Some((rows, routed)))
            }
        };
    hops.down = down;
    let mut order: Vec<&ServiceM> = model.services.iter().collect();
    crate::sorting::sort_by(&mut order, |a, b| (&a.cluster, &a.name).cmp(&(&b.cluster, &b.name)));
    let clients = clients_by_cluster(&nodes);
    let clients_of = |s: &ServiceM| -> &[(NodeIx, u32)] {
        match s.cluster_ix {
            Some(_) => clients.get(s.cluster.as_str()).map_or(&[][..], Vec::as_slice),
            None => &[],
        }
    };
    let mut refusals = Vec::new();
    let mut planned = Vec::with_capacity(order.len());
    let mut budget = MAX_LIST_ENTRIES;
    for &s in &order {
        // Every (client, service) pair costs its list, with no address or many.
        let entries = clients_of(s).len().saturating_mul(s.addresses.len() + LIST_COST);
        let fits = hop_refusal.is_none() && entries <= budget;
        if fits {
            budget -= entries;
        } else if hop_refusal.is_none() {
            refusals.push(lists_too_large(s, clients_of(s).len(), entries));
        }
        planned.push(fits);
    }
    if let Some((rows, routed)) = hop_refusal {
        refusals.push(hop_table_too_large(rows, routed));
    }
    let chosen: Vec<(&ServiceM, bool)> = order.iter().copied().zip(planned).collect();
    let (services, facts): (Vec<ServicePlan>, Vec<ServiceFacts>) =
        plan_services(&chosen, workers(&order, nodes.len()), |&(s, fits)| {
            let clients = if fits { clients_of(s) } else { &[] };
            service_plan(model, &hops, &nodes, s, clients, strategy)
        })
        .into_iter()
        .unzip();
    let mut plan = Plan { strategy, nodes, subnets, hops, services, diagnostics: Vec::new() };
    plan.diagnostics = refusals;
    plan.diagnostics.extend(crate::lint::plan_diagnostics(&plan, &facts, &model.router_names));
    plan
}

fn lists_too_large(s: &ServiceM, clients: usize, entries: usize) -> Diagnostic {
    Diagnostic::new(
        DiagnosticCode::ListsTooLarge,
        Item::Service { cluster: s.cluster.clone(), name: s.name.clone() },
        format!(
            "the lists of service {} of cluster {} would hold {} ({} clients x {} addresses, \
             and {LIST_COST} for each list itself), taking the plan over the {} allowed; its lists \
             and load are not computed",
            s.name,
            s.cluster,
            Limit::ListEntries.words(entries),
            thousands(clients),
            thousands(s.addresses.len()),
            Limit::ListEntries.words(MAX_LIST_ENTRIES),
        ),
    )
}

fn hop_table_too_large(rows: usize, routed: usize) -> Diagnostic {
    Diagnostic::new(
        DiagnosticCode::HopTableTooLarge,
        Item::Document,
        format!(
            "the hop table would hold {} ({} sets of routers with service addresses x {} \
             routed subnets), more than the {} allowed; no list is computed",
            Limit::HopCells.words(rows.saturating_mul(routed)),
            thousands(rows),
            thousands(routed),
            Limit::HopCells.words(MAX_HOP_CELLS),
        ),
    )
}

/// Below this many list entries (nodes x addresses, all services) a compile stays on one thread:
/// starting threads costs more than it saves.
const PARALLEL_ENTRIES: usize = 200_000;

/// How many threads to plan `order`'s services on: natively, the machine's cores for a large
/// model (services are independent); in the browser (WASM has one thread here) always one.
/// `clients` bounds any service's client count (the number of nodes), to estimate the work.
fn workers(order: &[&ServiceM], clients: usize) -> usize {
    if cfg!(target_arch = "wasm32") {
        return 1;
    }
    let entries: usize = order.iter().map(|s| s.addresses.len().saturating_mul(clients)).sum();
    if entries < PARALLEL_ENTRIES {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(order.len())
}

/// Plans each service of `order` with `one`, on `workers` scoped threads (results in `order`).
fn plan_services<S: Sync, T: Send>(
    order: &[S],
    workers: usize,
    one: impl Fn(&S) -> T + Sync,
) -> Vec<T> {
    if workers <= 1 {
        return order.iter().map(&one).collect();
    }
    let chunk = order.len().div_ceil(workers);
    let one = &one;
    std::thread::scope(|scope| {
        let handles: Vec<_> = order
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<T>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// The clients of every cluster: nodes online in it, with their number, by ascending number.
/// One pass over the nodes for all clusters (a pass per service would cost services x nodes).
pub(crate) fn clients_by_cluster(nodes: &[NodeInfo]) -> HashMap<&str, Vec<(NodeIx, u32)>> {
    let mut by_cluster: HashMap<&str, Vec<(NodeIx, u32)>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        let Some(cluster) = n.online.as_deref() else { continue };
        if let Some(&(_, x)) = n.clusters.iter().find(|(c, _)| c == cluster) {
            by_cluster.entry(cluster).or_default().push((i, x));
        }
    }
    for clients in by_cluster.values_mut() {
        #[allow(
            clippy::disallowed_methods,
            reason = "the compile's hot path: every client of every cluster, on every edit"
        )]
        clients.sort_by_key(|&(i, x)| (x, i));
    }
    by_cluster
}

/// Orders every client's list with the given addresses, also reading each list's first-choice
/// server and fallback (for the load) as it is written, while it is still in cache. Lists that
/// can be written again from their template are not kept (see [`crate::lists`]).
fn lists_and_choices(
    hops: &HopTable,
    nodes: &[NodeInfo],
    addresses: &[ServiceAddress],
    up: &[bool],
    clients: &[(NodeIx, u32)],
    strategy: Strategy,
) -> Ordered {
    let mut orderer = Orderer::new(hops, nodes, addresses, strategy);
    orderer.reserve_for(clients);
    let mut lists = ListsBuilder::new(strategy, clients.len(), addresses.len());
    let mut serving = Vec::with_capacity(clients.len());
    let mut fallback = Vec::with_capacity(clients.len());
    let mut buffer = Vec::with_capacity(addresses.len());
    for &(node, number) in clients {
        let template = orderer.order_into(node, number, &mut buffer);
        let (first, next) = crate::load::first_and_fallback(addresses, up, &buffer);
        serving.push(first);
        fallback.push(next);
        let client = Client { node, number };
        match template {
            Some(t) => lists.push_template(client, t),
            None => lists.push_stored(client, &buffer),
        }
    }
    let stats = orderer.stats();
    let (spans, entries, groups) = orderer.into_templates();
    Ordered { lists: lists.finish(spans, entries, groups), stats, serving, fallback }
}

/// The lists of a service with what was read off them while they were written.
struct Ordered {
    lists: Lists,
    stats: OrderStats,
    /// Per list: the first-choice server and the fallback (see [`crate::load::compute`]).
    serving: Vec<Option<ServerIx>>,
    fallback: Vec<Option<ServerIx>>,
}

/// Orders every client's list into one reused buffer and hands it to `each` (no list is kept):
/// for what-if computations such as [`crate::compare`].
pub(crate) fn lists_with(
    hops: &HopTable,
    nodes: &[NodeInfo],
    addresses: &[ServiceAddress],
    clients: &[(NodeIx, u32)],
    strategy: Strategy,
    mut each: impl FnMut(usize, &[crate::plan::Entry]),
) {
    let mut orderer = Orderer::new(hops, nodes, addresses, strategy);
    orderer.reserve_for(clients);
    let mut buffer = Vec::with_capacity(addresses.len());
    for (i, &(node, number)) in clients.iter().enumerate() {
        orderer.order_into(node, number, &mut buffer);
        each(i, &buffer);
    }
}

fn service_plan(
    model: &Model,
    hops: &HopTable,
    nodes: &[NodeInfo],
    s: &ServiceM,
    clients: &[(NodeIx, u32)],
    strategy: Strategy,
) -> (ServicePlan, ServiceFacts) {
    let priority_of = |subnet: usize| -> Option<i64> {
        let net = model.subnet_network.get(subnet).copied().flatten()?;
        model.networks.get(net)?.priorities.get(&s.name).copied()
    };
    // Servers: nodes of the cluster owning an address, by ascending number.
    let mut servers: Vec<Server> = Vec::new();
    let mut server_of_node: FastMap<NodeIx, usize> = FastMap::default();
    let mut owner_of: Vec<Option<NodeIx>> = Vec::with_capacity(s.addresses.len());
    for (ix, (ip, _)) in s.addresses.iter().enumerate() {
        let owner = model.owner.get(ip).copied().filter(|&o| {
            s.cluster_ix.is_some() && nodes[o].clusters.iter().any(|(c, _)| *c == s.cluster)
        });
        owner_of.push(owner);
        if let Some(o) = owner {
            match server_of_node.get(&o).and_then(|&x| servers.get_mut(x)) {
                Some(server) => server.addresses.push(ix),
                None => {
                    server_of_node.insert(o, servers.len());
                    let number =
                        nodes[o].clusters.iter().find(|(c, _)| *c == s.cluster).map_or(0, |x| x.1);
                    // Up for this cluster only while online in it (docs/spec.md §4).
                    let online = nodes[o].online.as_deref() == Some(s.cluster.as_str());
                    servers.push(Server { node: o, number, addresses: vec![ix], online });
                }
            }
        }
    }
    crate::sorting::sort_by_key(&mut servers, |x| (x.number, x.node));
    server_of_node.clear();
    for (i, x) in servers.iter().enumerate() {
        server_of_node.insert(x.node, i);
    }
    let up: Vec<bool> = servers.iter().map(|x| x.online).collect();
    let addresses: Vec<ServiceAddress> = s
        .addresses
        .iter()
        .zip(&owner_of)
        .map(|(&(ip, subnet), owner)| ServiceAddress {
            ip,
            subnet,
            priority: priority_of(subnet),
            server: owner.and_then(|o| server_of_node.get(&o).copied()),
        })
        .collect();
    let clients = if s.cluster_ix.is_some() { clients.to_vec() } else { Vec::new() };
    let own: Vec<Option<ServerIx>> =
        clients.iter().map(|(node, _)| server_of_node.get(node).copied()).collect();
    let Ordered { lists, stats, serving, fallback } =
        lists_and_choices(hops, nodes, &addresses, &up, &clients, strategy);
    let load = crate::load::compute(&up, serving, fallback, &own);
    let (tiers, _) = tiers(&addresses);
    let unreachable = stats.unreachable.iter().map(|u| u.0).collect();
    let plan = ServicePlan {
        cluster: s.cluster.clone(),
        service: s.name.clone(),
        addresses,
        servers,
        lists,
        load,
        unreachable,
        tiers,
    };
    (plan, ServiceFacts { stats })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate;

    /// Planning services on threads gives exactly the plans of one thread, in the same order.
    #[test]
    fn threads_plan_exactly_what_one_thread_plans() {
        let doc = generate::data_centre(1000);
        let (model, _) = Model::build(&doc);
        let nodes = model.nodes.clone();
        let mut order: Vec<&ServiceM> = model.services.iter().collect();
        crate::sorting::sort_by(&mut order, |a, b| {
            (&a.cluster, &a.name).cmp(&(&b.cluster, &b.name))
        });
        // A model this size takes the threaded path wherever there are two cores.
        let entries: usize = order.iter().map(|s| s.addresses.len() * nodes.len()).sum();
        assert!(order.len() >= 2 && entries >= PARALLEL_ENTRIES);
        let sources: Vec<usize> =
            model.services.iter().flat_map(|s| s.addresses.iter().map(|a| a.1)).collect();
        let hops = HopTable::build(model.subnets.len(), &model.routers, &sources);
        let clients = clients_by_cluster(&nodes);
        let plan_with = |workers: usize| -> String {
            let plans: Vec<ServicePlan> = plan_services(&order, workers, |s| {
                let clients = clients.get(s.cluster.as_str()).map_or(&[][..], Vec::as_slice);
                service_plan(&model, &hops, &nodes, s, clients, Strategy::Rotation).0
            });
            serde_json::to_string(&plans).expect("plans serialise")
        };
        let one = plan_with(1);
        assert_eq!(plan_with(2), one);
        assert_eq!(plan_with(3), one);
    }
}
