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
    if cut.is_empty() {
        return vec![Vec::new(); services.len()];
    }
    // Each node's subnets that carry traffic, read once for every service (one pass over the
    // nodes: reading them per service was most of the cost), kept flat.
    let mut node_start: Vec<u32> = Vec::with_capacity(nodes.len() + 1);
    let mut node_subnets: Vec<u32> = Vec::with_capacity(nodes.len());
    for info in nodes {
        node_start.push(node_subnets.len() as u32);
        let from = node_subnets.len();
        for a in &info.addresses {
            let s = a.subnet as u32;
            if a.subnet < search.subnets
                && !hops.is_down(a.subnet)
                && !node_subnets[from..].contains(&s)
            {
                node_subnets.push(s);
            }
        }
    }
    node_start.push(node_subnets.len() as u32);
    let subnets_of = |node: usize| -> &[u32] {
        match (node_start.get(node), node_start.get(node + 1)) {
            (Some(&a), Some(&b)) => &node_subnets[a as usize..b as usize],
            _ => &[],
        }
    };
    services
        .iter()
        .map(|sp| stranded_of(&search, hops, &subnets_of, nodes.len(), sp, &cut))
        .collect()
}

fn stranded_of<'a>(
    search: &Search,
    hops: &HopTable,
    node_subnets: &dyn Fn(usize) -> &'a [u32],
    nodes: usize,
    sp: &ServicePlan,
    cut: &[usize],
) -> Vec<(usize, Vec<usize>)> {
    let up = sp.servers_up();
    let usable = |s: SubnetIx| s < search.subnets && !hops.is_down(s);
    let mut server_node = vec![false; nodes];
    for x in &sp.servers {
        if let Some(m) = server_node.get_mut(x.node) {
            *m = true;
        }
    }
    // The clients that can lose their server (served now, owning no address of the service:
    // a server node is its own server), and the clients on each subnet, kept flat.
    let clients = sp.lists.clients();
    let candidate = |i: usize| {
        sp.load.serving.get(i).copied().flatten().is_some()
            && !server_node.get(clients[i].node).copied().unwrap_or(true)
    };
    let subnets_of = |i: usize| -> &[u32] {
        if candidate(i) {
            node_subnets(clients[i].node)
        } else {
            &[]
        }
    };
    let mut subnet_start = vec![0u32; search.subnets + 1];
    for i in 0..clients.len() {
        for &s in subnets_of(i) {
            subnet_start[s as usize + 1] += 1;
        }
    }
    for s in 0..search.subnets {
        subnet_start[s + 1] += subnet_start[s];
    }
    let mut fill = subnet_start.clone();
    let mut on_subnet = vec![0u32; subnet_start[search.subnets] as usize];
    for i in 0..clients.len() {
        for &s in subnets_of(i) {
            on_subnet[fill[s as usize] as usize] = i as u32;
            fill[s as usize] += 1;
        }
    }
    // The discovery times of the subnets of the addresses of up servers, ascending, and the
    // connected parts holding one.
    let mut servable: Vec<u32> = sp
        .addresses
        .iter()
        .filter(|a| a.server.is_some_and(|s| up.get(s).copied().unwrap_or(false)))
        .map(|a| a.subnet)
        .filter(|&s| usable(s))
        .map(|s| search.disc[s])
        .collect();
    servable.sort_unstable();
    servable.dedup();
    let mut comp_has = vec![false; search.disc.len()];
    for &d in &servable {
        comp_has[search.comp[search.order[d as usize] as usize] as usize] = true;
    }
    let within = |start: u32, end: u32| {
        servable.partition_point(|&d| d < end) - servable.partition_point(|&d| d < start)
    };
    let mut stamp = vec![u32::MAX; sp.lists.len()];
    let mut out = Vec::new();
    let mut has = Vec::new();
    for &r in cut {
        let rv = search.subnets + r;
        let c = search.comp[rv];
        let pieces = &search.pieces[r];
        // has[0]: the rest of the router's connected part holds a server; has[1 + p]: piece p.
        has.clear();
        has.push(false);
        let mut in_pieces = 0;
        for &(start, end) in pieces {
            let n = within(start, end);
            in_pieces += n;
            has.push(n > 0);
        }
        has[0] = within(c, search.end_of_part(rv)) > in_pieces;
        let reaches = |s: u32| {
            let (part, piece) = search.part(r, s as usize);
            if part == c {
                has[piece]
            } else {
                comp_has[part as usize]
            }
        };
        // Only the subnets of the parts of the router's connected part with no server left
        // can lose their servers: each cut-off piece without one, and the rest without one.
        let mut ranges: Vec<(u32, u32)> =
            (0..pieces.len()).filter(|&p| !has[p + 1]).map(|p| pieces[p]).collect();
        if !has[0] {
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
            for &i in &on_subnet[subnet_start[v] as usize..subnet_start[v + 1] as usize] {
                if stamp[i as usize] == r as u32 {
                    continue;
                }
                stamp[i as usize] = r as u32;
                if !subnets_of(i as usize).iter().any(|&s| reaches(s)) {
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
