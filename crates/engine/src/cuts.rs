//! Single points of failure in the network (docs/spec.md §2): for every router, the clients of
//! each service that its failure alone leaves unserved. One depth-first search over the graph
//! of subnets and routers finds every router that cuts the graph and the parts it cuts it into
//! (Tarjan's cut vertices), so no router is failed and searched again one by one.
//!
//! A client is left unserved by router `r` when it is served now and, with `r` failed, none of
//! its subnets is in the same part as the address of a server that is up (a client owning an
//! address of the service serves itself and is never stranded).

use crate::plan::hop_table::{HopTable, NONE};
use crate::plan::{ServicePlan, SubnetIx};

/// The depth-first search's record: vertices are the subnets (`0..subnets`) then the routers.
struct Search {
    subnets: usize,
    /// Discovery time of each vertex; a subtree's vertices have consecutive times.
    disc: Vec<u32>,
    /// One past the last discovery time of each vertex's subtree.
    end: Vec<u32>,
    /// The connected part each vertex is in (the discovery time of its root).
    comp: Vec<u32>,
    /// Vertex by discovery time.
    order: Vec<u32>,
    /// Per router: the subtrees its failure cuts off, as discovery-time ranges, ascending.
    pieces: Vec<Vec<(u32, u32)>>,
}

impl Search {
    fn run(hops: &HopTable) -> Search {
        let subnets = hops.size;
        let routers = hops.router_start.len().saturating_sub(1);
        let n = subnets + routers;
        let neighbours = |v: usize| -> &[u32] {
            if v < subnets {
                hops.routers_of(v)
            } else {
                hops.subnets_of(v - subnets)
            }
        };
        let vertex = |v: usize, w: u32| if v < subnets { w as usize + subnets } else { w as usize };
        let mut s = Search {
            subnets,
            disc: vec![NONE; n],
            end: vec![0; n],
            comp: vec![NONE; n],
            order: Vec::with_capacity(n),
            pieces: vec![Vec::new(); routers],
        };
        let mut low = vec![0u32; n];
        let mut parent = vec![NONE; n];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in 0..n {
            if s.disc[root] != NONE {
                continue;
            }
            let c = s.order.len() as u32;
            let discover = |s: &mut Search, low: &mut [u32], v: usize| {
                s.disc[v] = s.order.len() as u32;
                low[v] = s.disc[v];
                s.comp[v] = c;
                s.order.push(v as u32);
            };
            discover(&mut s, &mut low, root);
            stack.push((root, 0));
            while let Some(top) = stack.last_mut() {
                let (v, i) = *top;
                if let Some(&w) = neighbours(v).get(i) {
                    top.1 += 1;
                    let w = vertex(v, w);
                    if s.disc[w] == NONE {
                        parent[w] = v as u32;
                        discover(&mut s, &mut low, w);
                        stack.push((w, 0));
                    } else if w as u32 != parent[v] {
                        low[v] = low[v].min(s.disc[w]);
                    }
                    continue;
                }
                stack.pop();
                s.end[v] = s.order.len() as u32;
                let p = parent[v];
                if p != NONE {
                    let p = p as usize;
                    low[p] = low[p].min(low[v]);
                    if p >= subnets && low[v] >= s.disc[p] {
                        s.pieces[p - subnets].push((s.disc[v], s.end[v]));
                    }
                }
            }
        }
        s
    }

    /// The part of subnet `x` once router `r` has failed: (connected part, which piece of
    /// `r`'s part: 1 + the cut-off subtree, or 0 for the rest).
    fn part(&self, r: usize, x: SubnetIx) -> (u32, usize) {
        let rv = self.subnets + r;
        if self.comp[x] != self.comp[rv] {
            return (self.comp[x], 0);
        }
        let d = self.disc[x];
        let pieces = &self.pieces[r];
        let i = pieces.partition_point(|&(start, _)| start <= d);
        match i.checked_sub(1).map(|i| (i, pieces[i])) {
            Some((i, (_, end))) if d < end => (self.comp[x], i + 1),
            _ => (self.comp[x], 0),
        }
    }
}

/// For each service (indexed like `services`): each router whose failure alone leaves clients
/// of it unserved, with those clients (indices into the service's lists, ascending), by router.
pub(crate) fn stranded(
    hops: &HopTable,
    nodes: &[crate::plan::NodeInfo],
    services: &[ServicePlan],
) -> Vec<Vec<(usize, Vec<usize>)>> {
    let search = Search::run(hops);
    let cut: Vec<usize> =
        (0..search.pieces.len()).filter(|&r| !search.pieces[r].is_empty()).collect();
    services
        .iter()
        .map(
            |sp| {
                if cut.is_empty() {
                    Vec::new()
                } else {
                    stranded_of(&search, hops, nodes, sp, &cut)
                }
            },
        )
        .collect()
}

fn stranded_of(
    search: &Search,
    hops: &HopTable,
    nodes: &[crate::plan::NodeInfo],
    sp: &ServicePlan,
    cut: &[usize],
) -> Vec<(usize, Vec<usize>)> {
    let up = sp.servers_up();
    let own = sp.own_servers();
    let usable = |s: SubnetIx| !hops.is_down(s) && s < search.subnets;
    // The subnets each client can reach from (served now, owning no address of the service).
    let mut client_subnets: Vec<Vec<SubnetIx>> = vec![Vec::new(); sp.lists.len()];
    let mut on_subnet: Vec<Vec<u32>> = vec![Vec::new(); search.subnets];
    for (i, c) in sp.lists.clients().iter().enumerate() {
        let served = sp.load.serving.get(i).copied().flatten().is_some();
        if !served || own.get(i).copied().flatten().is_some() {
            continue;
        }
        let Some(info) = nodes.get(c.node) else { continue };
        let mut subs: Vec<SubnetIx> =
            info.addresses.iter().map(|a| a.subnet).filter(|&s| usable(s)).collect();
        subs.sort_unstable();
        subs.dedup();
        for &s in &subs {
            on_subnet[s].push(i as u32);
        }
        client_subnets[i] = subs;
    }
    let servable: Vec<SubnetIx> = sp
        .addresses
        .iter()
        .filter(|a| a.server.is_some_and(|s| up.get(s).copied().unwrap_or(false)))
        .map(|a| a.subnet)
        .filter(|&s| usable(s))
        .collect();
    let mut stamp = vec![u32::MAX; sp.lists.len()];
    let mut out = Vec::new();
    for &r in cut {
        let mut parts: Vec<(u32, usize)> = servable.iter().map(|&a| search.part(r, a)).collect();
        parts.sort_unstable();
        parts.dedup();
        let reaches = |s: SubnetIx| parts.binary_search(&search.part(r, s)).is_ok();
        let rv = search.subnets + r;
        let c = search.comp[rv];
        // Only the subnets of the parts of the router's connected part with no server left
        // can lose their servers: each cut-off piece without one, and the rest without one.
        let pieces = &search.pieces[r];
        let mut ranges: Vec<(u32, u32)> = (0..pieces.len())
            .filter(|&p| parts.binary_search(&(c, p + 1)).is_err())
            .map(|p| pieces[p])
            .collect();
        if parts.binary_search(&(c, 0)).is_err() {
            let mut at = c;
            for &(start, end) in pieces {
                ranges.push((at, start));
                at = end;
            }
            ranges.push((at, search.end_of_part(rv)));
        }
        let mut left = Vec::new();
        for d in ranges.into_iter().flat_map(|(start, end)| start..end) {
            let v = search.order[d as usize] as usize;
            if v >= search.subnets {
                continue;
            }
            for &i in &on_subnet[v] {
                if stamp[i as usize] == r as u32 {
                    continue;
                }
                stamp[i as usize] = r as u32;
                if !client_subnets[i as usize].iter().any(|&s| reaches(s)) {
                    left.push(i as usize);
                }
            }
        }
        if !left.is_empty() {
            left.sort_unstable();
            out.push((r, left));
        }
    }
    out
}

impl Search {
    /// One past the last discovery time of vertex `v`'s connected part.
    fn end_of_part(&self, v: usize) -> u32 {
        let root = self.order[self.comp[v] as usize] as usize;
        self.end[root]
    }
}
