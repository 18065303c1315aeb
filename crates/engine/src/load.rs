//! Load (docs/spec.md §4): first choice, every single failure, any failure set, and balance.
//!
//! The rules, each applied here and nowhere else:
//! - A server is *up* for its service's cluster only while its node is online in that cluster
//!   ([`crate::plan::Server::online`]); a failed server is down too.
//! - A client is served by the first address of its list that it can reach (local, or a finite
//!   hop distance) and whose server is up; an address no server of the cluster owns serves
//!   nobody.
//! - A failure is a node failure: a failed server's node is no client either.
//!
//! When server `f` fails, only the clients served by `f` move, each to its *fallback* (the first
//! servable address of its list on another up server), and `f`'s own node leaves the clients.
//! So every single failure costs O(servers) once each client's first choice and fallback are
//! known.

use crate::plan::{
    ideal_load, Entry, FailoverLoad, Move, NodeIx, ServerIx, ServiceAddress, ServiceLoad,
    ServicePlan, SingleFailures,
};

/// The server this entry can serve its client from, when the client can reach the address and
/// the server is up (`up` indexed like the service's servers).
#[inline]
fn server_of(addresses: &[ServiceAddress], up: &[bool], e: &Entry) -> Option<ServerIx> {
    if !(e.local || e.hops().is_some()) {
        return None;
    }
    addresses
        .get(e.address())
        .and_then(|a| a.server)
        .filter(|&s| up.get(s).copied().unwrap_or(false))
}

/// The first server that can serve the list and its fallback (the first other server after
/// it that can serve the list); `None` when there is none. Called on each list as it is
/// written, while it is still in cache.
#[inline]
pub(crate) fn first_and_fallback(
    addresses: &[ServiceAddress],
    up: &[bool],
    entries: &[Entry],
) -> (Option<ServerIx>, Option<ServerIx>) {
    let mut servers = entries.iter().filter_map(|e| server_of(addresses, up, e));
    let first = servers.next();
    let next = first.and_then(|f| servers.find(|&s| s != f));
    (first, next)
}

/// Computes a service's load from each client's first choice and fallback (see
/// [`first_and_fallback`]). `up` says which servers are up; `own[i]` is the server index of
/// client `i`'s own node, when it is a server.
pub(crate) fn compute(
    up: &[bool],
    serving: Vec<Option<ServerIx>>,
    fallback: Vec<Option<ServerIx>>,
    own: &[Option<ServerIx>],
) -> ServiceLoad {
    let servers = up.len();
    let clients = serving.len();
    let mut first_choice = vec![0usize; servers];
    let mut unserved = 0;
    // falls: (f, s) for each client of f that falls to s; lost[f]: clients of f with no
    // fallback. Neither counts f's own node, which fails with f.
    let mut falls: Vec<(ServerIx, ServerIx)> = Vec::new();
    let mut lost = vec![0usize; servers];
    // own_first[f]: the first choice of server f's node as a client (`Some(None)`: unserved).
    let mut own_first: Vec<Option<Option<ServerIx>>> = vec![None; servers];
    for (i, (&first, &next)) in serving.iter().zip(&fallback).enumerate() {
        let me = own.get(i).copied().flatten().filter(|&s| s < servers);
        if let Some(s) = me {
            own_first[s] = Some(first);
        }
        match first {
            None => unserved += 1,
            Some(f) => {
                first_choice[f] += 1;
                if me == Some(f) {
                    continue;
                }
                match next {
                    Some(s) => falls.push((f, s)),
                    None => lost[f] += 1,
                }
            }
        }
    }
    // What each failure moves, by failed server then server (one entry per pair, counted).
    falls.sort_unstable();
    let mut start = vec![0usize; servers + 1];
    let mut gains: Vec<(ServerIx, usize)> = Vec::new();
    for run in falls.chunk_by(|a, b| a == b) {
        let (f, s) = run[0];
        gains.push((s, run.len()));
        start[f + 1] += 1;
    }
    for f in 0..servers {
        start[f + 1] += start[f];
    }
    let single_failures = SingleFailures {
        first_choice: first_choice.clone(),
        up: up.to_vec(),
        start,
        gains,
        own_first: (0..servers)
            .map(|f| match own_first[f] {
                Some(Some(g)) if g != f => Some(g),
                _ => None,
            })
            .collect(),
    };
    // A server that is down already changes nothing when it fails.
    let unserved_after_failure = (0..servers)
        .map(|f| match (up[f], own_first[f]) {
            (false, _) => unserved,
            (true, Some(None)) => unserved + lost[f] - 1,
            (true, _) => unserved + lost[f],
        })
        .collect();
    // Each server's largest load after one other failure: only the servers a failure moves
    // clients to can rise above their first-choice load; ties go to the earliest failure.
    let mut worst_single_failure: Vec<(usize, Option<ServerIx>)> =
        first_choice.iter().map(|&l| (l, None)).collect();
    for f in (0..servers).filter(|&f| up[f]) {
        let own_g = single_failures.own_first[f];
        for &(s, clients) in single_failures.gains(f) {
            let load = first_choice[s] + clients - usize::from(own_g == Some(s));
            if s != f && load > worst_single_failure[s].0 {
                worst_single_failure[s] = (load, Some(f));
            }
        }
    }
    let (balance_first_choice, balance_worst_failure) =
        balance(up, clients, &first_choice, &worst_single_failure);
    ServiceLoad {
        clients,
        first_choice,
        unserved,
        worst_single_failure,
        single_failures,
        unserved_after_failure,
        balance_first_choice,
        balance_worst_failure,
        serving,
        fallback,
    }
}

/// Balance (docs/spec.md §4): max load / ideal load, for first choice (ideal: clients / servers
/// up) and for the worst single failure (ideal: the clients left / the servers left; every up
/// server is online in the cluster, so a client too, and leaves with its node).
pub fn balance(
    up: &[bool],
    clients: usize,
    first_choice: &[usize],
    worst_single_failure: &[(usize, Option<ServerIx>)],
) -> (Option<f64>, Option<f64>) {
    let in_play = up.iter().filter(|&&u| u).count();
    let ratio = |max: usize, ideal: Option<f64>| ideal.map(|i| max as f64 / i);
    let first = ratio(
        first_choice.iter().copied().max().unwrap_or(0),
        ideal_load(clients, in_play).filter(|_| clients > 0),
    );
    let worst = ratio(
        worst_single_failure.iter().map(|w| w.0).max().unwrap_or(0),
        ideal_load(clients.saturating_sub(1), in_play.saturating_sub(1)).filter(|_| clients > 1),
    );
    (first, worst)
}

impl ServicePlan {
    /// Loads with any set of failed server nodes: each client is served by the first address of
    /// its list that it can reach and whose server is up.
    pub fn failover(&self, failed: &[ServerIx]) -> FailoverLoad {
        failover(self, failed, &[])
    }

    /// Loads with a set of failed nodes, servers or not: the failed servers serve no one, and
    /// no failed node counts as a client (docs/spec.md §4, "A failure is a node failure").
    pub fn failover_of_nodes(&self, nodes: &[NodeIx]) -> FailoverLoad {
        let servers: Vec<ServerIx> =
            (0..self.servers.len()).filter(|&s| nodes.contains(&self.servers[s].node)).collect();
        failover(self, &servers, nodes)
    }
}

/// Loads with the given servers failed (see [`ServicePlan::failover`]): each client still
/// counted is served by the first address of its list that it can reach and whose server is
/// up; the failed servers' nodes are no clients; the worst single failure is taken on top.
/// `failed_nodes` are further failed nodes (clients that are no servers of the service): they
/// are no clients either.
pub(crate) fn failover(
    plan: &ServicePlan,
    failed: &[ServerIx],
    failed_nodes: &[NodeIx],
) -> FailoverLoad {
    let servers = plan.servers.len();
    let mut up = plan.servers_up();
    let mut is_failed = vec![false; servers];
    for &f in failed {
        if f < servers {
            up[f] = false;
            is_failed[f] = true;
        }
    }
    let own = plan.own_servers();
    let mut serving = Vec::with_capacity(plan.lists.len());
    let mut failed_client = Vec::with_capacity(plan.lists.len());
    let mut moved = Vec::new();
    // The clients still counted, for `compute`.
    let (mut now, mut next, mut counted_own) = (Vec::new(), Vec::new(), Vec::new());
    let mut entries = Vec::with_capacity(plan.addresses.len());
    for (i, list) in plan.lists.clients().iter().enumerate() {
        let me = own.get(i).copied().flatten();
        if me.is_some_and(|s| is_failed[s]) || failed_nodes.contains(&list.node) {
            serving.push(None);
            failed_client.push(true);
            continue;
        }
        plan.lists.entries_into(i, &mut entries);
        let (first, fallback) = first_and_fallback(&plan.addresses, &up, &entries);
        let before = plan.load.serving.get(i).copied().flatten();
        if before != first {
            moved.push(Move { list: i, node: list.node, from: before, to: first });
        }
        serving.push(first);
        failed_client.push(false);
        now.push(first);
        next.push(fallback);
        counted_own.push(me);
    }
    let load = compute(&up, now, next, &counted_own);
    FailoverLoad {
        failed: (0..servers).filter(|&s| is_failed[s]).collect(),
        clients: load.clients,
        servers_up: up.iter().filter(|&&u| u).count(),
        balance: load.balance_first_choice,
        load: load.first_choice,
        unserved: load.unserved,
        worst_single_failure: load.worst_single_failure,
        serving,
        failed_client,
        moved,
    }
}

/// The worst single failure of a whole service: the largest load any server gets when one other
/// server fails, as (load, the failure causing it, the server). The failure is `None` when no
/// single failure raises any server to that load (it is a first-choice load); among servers
/// with the same load, one that a failure raises there is named first, then the lowest indices.
pub(crate) fn worst_failure(load: &ServiceLoad) -> Option<(usize, Option<ServerIx>, ServerIx)> {
    load.worst_single_failure
        .iter()
        .enumerate()
        .map(|(s, &(l, by))| (l, by, s))
        .max_by_key(|&(l, by, s)| (l, by.is_some(), std::cmp::Reverse((by, s))))
}
