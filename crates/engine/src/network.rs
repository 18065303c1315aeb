//! Network questions (docs/spec.md §2): the hop matrix between subnets, one node's distance to
//! every address of every service, and each router's failure alone, per service: the largest
//! load it causes and the clients it leaves unserved, with the worst of them. All read a plan,
//! compiled with or without a failure set ([`crate::compile_with`]); a router failure is taken
//! on top of that set.

use crate::document::Document;
use crate::load::first_and_fallback;
use crate::plan::{NodeIx, Plan, ServerIx, ServicePlan};
use serde::Serialize;

/// Hops between every pair of the document's subnets (implicit subnets left out), in document
/// order: `hops[i][j]` from `subnets[i]` to `subnets[j]`, `None` when unreachable (a failed
/// subnet reaches nothing, itself included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HopMatrix {
    pub subnets: Vec<String>,
    pub hops: Vec<Vec<Option<u32>>>,
}

/// The hop matrix of a plan: one search per subnet at most.
pub fn hop_matrix(plan: &Plan) -> HopMatrix {
    let shown: Vec<usize> =
        (0..plan.subnets.len()).filter(|&s| !plan.subnets[s].implicit).collect();
    let hops = shown
        .iter()
        .map(|&a| {
            let row = plan.hops.distances_from(a);
            shown.iter().map(|&b| row.get(b).copied().flatten()).collect()
        })
        .collect();
    HopMatrix { subnets: shown.iter().map(|&s| plan.subnets[s].prefix.clone()).collect(), hops }
}

/// A node's distance to one address of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressDistance {
    pub cluster: String,
    pub service: String,
    pub address: String,
    /// Router hops: the least over the node's interfaces; 0 for its own address; `None` when
    /// unreachable.
    pub hops: Option<u32>,
    /// The address is one of the node's own.
    pub local: bool,
}

/// A node's distance to every address of every service (services in the plan's order, by
/// cluster then name; addresses in each service's order), as docs/spec.md §2 defines it:
/// the least, over the node's interfaces, of the hops between their subnets.
pub fn distances_from(plan: &Plan, node: NodeIx) -> Vec<AddressDistance> {
    let Some(info) = plan.nodes.get(node) else { return Vec::new() };
    let rows: Vec<Vec<Option<u32>>> =
        info.addresses.iter().map(|a| plan.hops.distances_from(a.subnet)).collect();
    let mut out = Vec::new();
    for sp in &plan.services {
        for a in &sp.addresses {
            let local = info.addresses.iter().any(|x| x.ip == a.ip);
            let hops = if local {
                Some(0)
            } else {
                rows.iter().filter_map(|row| row.get(a.subnet).copied().flatten()).min()
            };
            out.push(AddressDistance {
                cluster: sp.cluster.clone(),
                service: sp.service.clone(),
                address: a.ip.to_string(),
                hops,
                local,
            });
        }
    }
    out
}

/// The routers whose failure alone leaves clients of each service unserved (the
/// `single-router-failure-unserved` lint's finding, as data): per service (indexed like
/// [`Plan::services`]), (router index into `Document::routers`, the lists left unserved), by
/// router. Cheap: one depth-first search, no list is ordered again.
pub fn single_router_unserved(plan: &Plan) -> Vec<Vec<(usize, Vec<usize>)>> {
    crate::cuts::stranded(&plan.hops, &plan.nodes, &plan.services)
}

/// One router's failure alone, for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouterFailure {
    /// Index into `Document::routers`.
    pub router: usize,
    pub name: String,
    /// Each server's clients with the router failed (indexed like the service's servers).
    pub load: Vec<usize>,
    /// The largest of them, and the server it falls on (`None` without servers).
    pub largest: usize,
    pub server: Option<ServerIx>,
    /// The clients served now that the failure leaves unserved (their nodes, in list order).
    pub unserved: Vec<NodeIx>,
}

/// Every router's failure alone, for one service, and the worst of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRouterFailures {
    pub cluster: String,
    pub service: String,
    /// One per router of the document, in document order (a router already failed changes
    /// nothing).
    pub routers: Vec<RouterFailure>,
    /// Index into `routers` of the worst single router failure: the largest load, then the
    /// most clients left unserved, then the first router. `None` when no router's failure
    /// raises any load above first choice or leaves a client unserved.
    pub worst: Option<usize>,
}

impl ServiceRouterFailures {
    /// The worst single router failure, when one hurts.
    pub fn worst(&self) -> Option<&RouterFailure> {
        self.worst.and_then(|w| self.routers.get(w))
    }
}

/// Each router's failure alone, on top of the plan's failure set and the failed `nodes` (plan
/// node indices: [`crate::FailureSet::failed_nodes`]), for every service of the plan (indexed
/// like [`Plan::services`]). A failed node serves no one and is no client (docs/spec.md §4).
/// The hop table is recomputed per router incrementally
/// ([`crate::plan::HopTable::without_routers`]), and only the clients on a subnet whose
/// distance to an address of the service changed are ordered again.
pub fn router_failures(
    doc: &Document,
    plan: &Plan,
    nodes: &[NodeIx],
) -> Vec<ServiceRouterFailures> {
    let bases: Vec<Base> = plan.services.iter().map(|sp| Base::new(sp, nodes)).collect();
    let mut out: Vec<ServiceRouterFailures> = plan
        .services
        .iter()
        .map(|sp| ServiceRouterFailures {
            cluster: sp.cluster.clone(),
            service: sp.service.clone(),
            routers: Vec::new(),
            worst: None,
        })
        .collect();
    for r in 0..plan.hops.routers() {
        let name = doc.routers.get(r).map_or_else(|| format!("#{r}"), |x| x.name.clone());
        let (hops, changed) = plan.hops.without_routers(&[r]);
        for ((sp, base), report) in plan.services.iter().zip(&bases).zip(out.iter_mut()) {
            let moved = moved_subnets(&plan.hops, &hops, &changed, sp);
            let mut serving = base.serving.clone();
            if moved.iter().any(|&m| m) {
                // Only the clients on a subnet whose distance to an address changed are ordered
                // again; every other list is as it was.
                let again: Vec<usize> = (0..sp.lists.len())
                    .filter(|&i| !base.failed_client[i])
                    .filter(|&i| {
                        plan.nodes
                            .get(sp.lists[i].node)
                            .is_some_and(|n| n.addresses.iter().any(|a| moved[a.subnet]))
                    })
                    .collect();
                for (i, now) in again.iter().zip(serving_with(plan, sp, &hops, &base.up, &again)) {
                    serving[*i] = now;
                }
            }
            let load = loads(sp.servers.len(), &serving);
            let (largest, server) = load
                .iter()
                .enumerate()
                .max_by_key(|&(s, &l)| (l, std::cmp::Reverse(s)))
                .map_or((0, None), |(s, &l)| (l, Some(s)));
            let unserved = sp
                .lists
                .clients()
                .iter()
                .enumerate()
                .filter(|&(i, _)| base.serving[i].is_some() && serving[i].is_none())
                .map(|(_, c)| c.node)
                .collect();
            report.routers.push(RouterFailure {
                router: r,
                name: name.clone(),
                load,
                largest,
                server,
                unserved,
            });
        }
    }
    for (base, report) in bases.iter().zip(out.iter_mut()) {
        let now = loads(base.up.len(), &base.serving).into_iter().max().unwrap_or(0);
        report.worst = report
            .routers
            .iter()
            .enumerate()
            .filter(|(_, f)| f.largest > now || !f.unserved.is_empty())
            .max_by_key(|&(i, f)| (f.largest, f.unserved.len(), std::cmp::Reverse(i)))
            .map(|(i, _)| i);
    }
    out
}

/// Each server's clients, from who serves each client.
fn loads(servers: usize, serving: &[Option<ServerIx>]) -> Vec<usize> {
    let mut load = vec![0usize; servers];
    for &s in serving.iter().flatten() {
        if let Some(l) = load.get_mut(s) {
            *l += 1;
        }
    }
    load
}

/// A service with the failed nodes down: which servers are up, who serves each client, and
/// which clients are failed nodes.
struct Base {
    up: Vec<bool>,
    serving: Vec<Option<ServerIx>>,
    failed_client: Vec<bool>,
}

impl Base {
    fn new(sp: &ServicePlan, nodes: &[NodeIx]) -> Base {
        if nodes.is_empty() {
            return Base {
                up: sp.servers_up(),
                serving: sp.load.serving.clone(),
                failed_client: vec![false; sp.lists.len()],
            };
        }
        let f = sp.failover_of_nodes(nodes);
        let mut up = sp.servers_up();
        for &s in &f.failed {
            up[s] = false;
        }
        Base { up, serving: f.serving, failed_client: f.failed_client }
    }
}

/// The subnets whose distance to some address of the service differs between the two tables
/// (`changed`: the rows that differ, as [`crate::plan::HopTable::without_routers`] says).
fn moved_subnets(
    was: &crate::plan::HopTable,
    now: &crate::plan::HopTable,
    changed: &[bool],
    sp: &ServicePlan,
) -> Vec<bool> {
    let mut rows: Vec<usize> = sp
        .addresses
        .iter()
        .filter_map(|a| now.row_index(a.subnet))
        .filter(|&row| changed.get(row) == Some(&true))
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let mut moved = vec![false; was.size];
    if rows.is_empty() {
        return moved;
    }
    let n = was.n_routed;
    for (s, m) in moved.iter_mut().enumerate() {
        let rs = was.routed_ix(s);
        if rs == crate::plan::hop_table::NONE {
            continue;
        }
        let at = |row: usize| row * n + rs as usize;
        *m = rows.iter().any(|&row| was.rows().get(at(row)) != now.rows().get(at(row)));
    }
    moved
}

/// The first-choice server of each of the lists `which` (indices into the service's lists),
/// ordered on `hops` with the servers `up`.
fn serving_with(
    plan: &Plan,
    sp: &ServicePlan,
    hops: &crate::plan::HopTable,
    up: &[bool],
    which: &[usize],
) -> Vec<Option<ServerIx>> {
    let clients: Vec<(NodeIx, u32)> =
        which.iter().map(|&i| (sp.lists[i].node, sp.lists[i].number)).collect();
    let mut serving = vec![None; clients.len()];
    crate::build::lists_with(
        hops,
        &plan.nodes,
        &sp.addresses,
        &clients,
        plan.strategy,
        |i, entries| {
            serving[i] = first_and_fallback(&sp.addresses, up, entries).0;
        },
    );
    serving
}
