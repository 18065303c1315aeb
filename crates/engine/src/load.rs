//! Load (spec §4): first choice, every single failure, any failure set, and balance.
//!
//! A client is served by the first address of its list that it can reach (local, or a finite
//! hop distance) and whose server node is up; an address no server of the cluster owns serves
//! nobody. When server `f` fails, only the clients served by `f` move, each to its *fallback*:
//! the first servable address of its list on another server. So every single failure costs
//! O(servers) once each client's first choice and fallback are known.

use crate::plan::{Entry, FailoverLoad, Move, ServerIx, ServiceAddress, ServiceLoad, ServicePlan};

/// Can this entry serve its client, given which servers are down?
#[inline]
fn server_of(addresses: &[ServiceAddress], e: &Entry) -> Option<ServerIx> {
    if !(e.local || e.hops().is_some()) {
        return None;
    }
    addresses.get(e.address()).and_then(|a| a.server)
}

/// The first server that can serve the list, skipping servers for which `down` says so.
pub(crate) fn first_up(
    addresses: &[ServiceAddress],
    entries: &[Entry],
    down: impl Fn(ServerIx) -> bool,
) -> Option<ServerIx> {
    entries.iter().filter_map(|e| server_of(addresses, e)).find(|&s| !down(s))
}

/// The first-choice server of a list and its fallback (the first server after it that can
/// serve the list), both `None` when out of `0..servers`. Called on each list as it is
/// written, while it is still in cache.
#[inline]
pub(crate) fn first_and_fallback(
    addresses: &[ServiceAddress],
    servers: usize,
    entries: &[Entry],
) -> (Option<ServerIx>, Option<ServerIx>) {
    let mut servers_iter = entries.iter().filter_map(|e| server_of(addresses, e));
    let first = servers_iter.next().filter(|&s| s < servers);
    let next = first.and_then(|f| servers_iter.find(|&s| s != f)).filter(|&s| s < servers);
    (first, next)
}

/// Computes a service's load from each list's first choice and fallback (see
/// [`first_and_fallback`]).
pub(crate) fn compute(
    servers: usize,
    serving: Vec<Option<ServerIx>>,
    fallback: Vec<Option<ServerIx>>,
) -> ServiceLoad {
    let clients = serving.len();
    let mut first_choice = vec![0usize; servers];
    let mut unserved = 0;
    // moved[f][s]: clients of f that fall to s; lost[f]: clients of f with no fallback.
    let mut moved = vec![0usize; servers * servers];
    let mut lost = vec![0usize; servers];
    for (&first, &next) in serving.iter().zip(&fallback) {
        match first {
            None => unserved += 1,
            Some(f) => {
                first_choice[f] += 1;
                match next {
                    Some(s) => moved[f * servers + s] += 1,
                    None => lost[f] += 1,
                }
            }
        }
    }
    let mut single_failures = Vec::with_capacity(servers);
    let mut unserved_after_failure = Vec::with_capacity(servers);
    for f in 0..servers {
        let mut row = first_choice.clone();
        row[f] = 0;
        for (s, load) in row.iter_mut().enumerate() {
            *load += moved[f * servers + s];
        }
        single_failures.push(row);
        unserved_after_failure.push(unserved + lost[f]);
    }
    let worst_single_failure = (0..servers)
        .map(|s| {
            let mut worst: (usize, Option<ServerIx>) = (first_choice[s], None);
            for (f, row) in single_failures.iter().enumerate() {
                if f != s && (worst.1.is_none() || row[s] > worst.0) {
                    worst = (row[s], Some(f));
                }
            }
            worst
        })
        .collect::<Vec<_>>();
    let balance_first_choice = (servers > 0 && clients > 0).then(|| {
        let ideal = clients as f64 / servers as f64;
        first_choice.iter().copied().max().unwrap_or(0) as f64 / ideal
    });
    let balance_worst_failure = (servers > 1 && clients > 0).then(|| {
        let ideal = clients as f64 / (servers - 1) as f64;
        worst_single_failure.iter().map(|w| w.0).max().unwrap_or(0) as f64 / ideal
    });
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

/// Loads with the given servers failed (see [`ServicePlan::failover`]).
pub(crate) fn failover(plan: &ServicePlan, failed: &[ServerIx]) -> FailoverLoad {
    let servers = plan.servers.len();
    let mut down = vec![false; servers];
    for &f in failed {
        if f < servers {
            down[f] = true;
        }
    }
    let mut load = vec![0usize; servers];
    let mut unserved = 0;
    let mut serving = Vec::with_capacity(plan.lists.len());
    let mut moved = Vec::new();
    let mut entries = Vec::with_capacity(plan.addresses.len());
    for (i, list) in plan.lists.clients().iter().enumerate() {
        plan.lists.entries_into(i, &mut entries);
        let now = first_up(&plan.addresses, &entries, |s| down.get(s).copied().unwrap_or(false))
            .filter(|&s| s < servers);
        match now {
            Some(s) => load[s] += 1,
            None => unserved += 1,
        }
        let before = plan.load.serving.get(i).copied().flatten();
        if before != now {
            moved.push(Move { list: i, node: list.node, from: before, to: now });
        }
        serving.push(now);
    }
    FailoverLoad {
        failed: (0..servers).filter(|&s| down[s]).collect(),
        load,
        unserved,
        serving,
        moved,
    }
}
