//! The hop table (docs/spec.md §2) as the plan keeps it: the router graph in compact arrays, the
//! rows the compile precomputed, and the reads (distance, first step, path), which search the
//! graph breadth-first for a row that was not precomputed. The compile builds it (`hops.rs`).
//!
//! The graph is bipartite: a subnet is joined to each router attached to it, and crossing a
//! router is one hop. Only subnets attached to at least one router ("routed" subnets) can reach
//! another subnet, so rows are kept over routed subnets only (implicit subnets, which no router
//! touches, cost nothing). Rows are precomputed for the *source* subnets the compile needs (the
//! subnets of service addresses); any other pair is answered by a breadth-first search on demand.

use super::entry::SubnetIx;
use serde::Serialize;

/// Marks "no value" in the compact `u32` arrays (unreachable, not routed, no row).
pub(crate) const NONE: u32 = u32::MAX;

/// Router hops between subnets, with what is needed to draw a path.
///
/// Read it with [`HopTable::get`] (distance), [`HopTable::first_step`] and [`HopTable::path`];
/// all take subnet indices into [`crate::Plan::subnets`] and never panic on bad indices. Router
/// indices are positions in `Document::routers`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HopTable {
    /// Number of subnets.
    pub size: usize,
    /// CSR: routers attached to each subnet.
    #[serde(skip)]
    pub(crate) subnet_start: Vec<u32>,
    #[serde(skip)]
    pub(crate) subnet_routers: Vec<u32>,
    /// CSR: subnets attached to each router (deduplicated, document order).
    #[serde(skip)]
    pub(crate) router_start: Vec<u32>,
    #[serde(skip)]
    pub(crate) router_subnets: Vec<u32>,
    /// Subnet -> compact index among routed subnets, or [`NONE`].
    #[serde(skip)]
    pub(crate) routed: Vec<u32>,
    #[serde(skip)]
    pub(crate) n_routed: usize,
    /// Subnet -> row in `rows`, or [`NONE`].
    #[serde(skip)]
    pub(crate) row_of: Vec<u32>,
    /// `rows[row * n_routed + routed[b]]` = hops from the row's subnet to `b`, or [`NONE`].
    #[serde(skip)]
    pub(crate) rows: Vec<u32>,
    /// Failed subnets (docs/spec.md §2, "Network failures"): a failed subnet carries no
    /// traffic, so nothing reaches it and it reaches nothing, not even itself. Empty when none
    /// failed; else indexed by subnet.
    #[serde(skip)]
    pub(crate) down: Vec<bool>,
}

impl HopTable {
    /// Hops between subnets `a` and `b`: 0 when equal, `None` when unreachable or out of range.
    pub fn get(&self, a: SubnetIx, b: SubnetIx) -> Option<u32> {
        if a >= self.size || b >= self.size || self.is_down(a) || self.is_down(b) {
            return None;
        }
        if a == b {
            return Some(0);
        }
        let (ra, rb) = (self.routed[a], self.routed[b]);
        if ra == NONE || rb == NONE {
            return None;
        }
        let d = if self.row_of[a] != NONE {
            self.rows[self.row_of[a] as usize * self.n_routed + rb as usize]
        } else if self.row_of[b] != NONE {
            self.rows[self.row_of[b] as usize * self.n_routed + ra as usize]
        } else {
            self.row_from(a)[rb as usize]
        };
        (d != NONE).then_some(d)
    }

    /// Has this subnet failed (docs/spec.md §2)? A failed subnet is at no distance from any
    /// subnet, itself included.
    #[inline]
    pub fn is_down(&self, subnet: SubnetIx) -> bool {
        self.down.get(subnet).copied().unwrap_or(false)
    }

    /// Compact index of a routed subnet ([`NONE`] when it is not routed or out of range).
    #[inline]
    pub(crate) fn routed_ix(&self, subnet: SubnetIx) -> u32 {
        self.routed.get(subnet).copied().unwrap_or(NONE)
    }

    /// Where the precomputed row of `subnet` starts in [`HopTable::rows`] (`usize::MAX` = none).
    pub(crate) fn row_start(&self, subnet: SubnetIx) -> usize {
        match self.row_of.get(subnet) {
            Some(&r) if r != NONE => r as usize * self.n_routed,
            _ => usize::MAX,
        }
    }

    /// The precomputed rows (see [`HopTable::row_start`] and [`HopTable::routed_ix`]).
    #[inline]
    pub(crate) fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The routers attached to a subnet (indices into `Document::routers`).
    pub fn routers_of(&self, subnet: SubnetIx) -> &[u32] {
        if subnet >= self.size {
            return &[];
        }
        &self.subnet_routers
            [self.subnet_start[subnet] as usize..self.subnet_start[subnet + 1] as usize]
    }

    /// The subnets a router is attached to (deduplicated, document order).
    pub fn subnets_of(&self, router: usize) -> &[u32] {
        if router + 1 >= self.router_start.len() {
            return &[];
        }
        &self.router_subnets
            [self.router_start[router] as usize..self.router_start[router + 1] as usize]
    }

    /// The first step of a shortest path from `from` to `to`: (router crossed, subnet reached).
    /// `None` when they are equal or unreachable. Ties go to the lowest router index, then the
    /// router's subnet order.
    pub fn first_step(&self, from: SubnetIx, to: SubnetIx) -> Option<(usize, SubnetIx)> {
        self.path(from, to).first().copied()
    }

    /// A shortest path from `from` to `to` as (router crossed, subnet reached) steps; empty
    /// when they are equal or unreachable.
    pub fn path(&self, from: SubnetIx, to: SubnetIx) -> Vec<(usize, SubnetIx)> {
        let Some(total) = self.get(from, to) else {
            return Vec::new();
        };
        if total == 0 {
            return Vec::new();
        }
        // Distances to `to` over routed subnets (symmetric graph: from `to`).
        let to_row = self.row_or_search(to);
        let mut path = Vec::with_capacity(total as usize);
        let mut here = from;
        let mut left = total;
        while left > 0 {
            let mut step = None;
            'routers: for &r in self.routers_of(here) {
                for &s in self.subnets_of(r as usize) {
                    let rs = self.routed[s as usize];
                    // `to` itself first: a shared row does not hold its 0.
                    let d = if s as usize == to {
                        0
                    } else {
                        to_row.get(rs as usize).copied().unwrap_or(NONE)
                    };
                    if rs != NONE && d == left - 1 {
                        step = Some((r as usize, s as usize));
                        break 'routers;
                    }
                }
            }
            let Some((r, s)) = step else { break };
            path.push((r, s));
            here = s;
            left -= 1;
        }
        path
    }

    /// Hops from `from` to every subnet (indexed by subnet; `None` = unreachable), with one
    /// search at most: a row of the hop matrix.
    pub fn distances_from(&self, from: SubnetIx) -> Vec<Option<u32>> {
        let mut out = vec![None; self.size];
        if from >= self.size || self.is_down(from) {
            return out;
        }
        out[from] = Some(0);
        if self.routed[from] == NONE {
            return out;
        }
        let row = self.row_or_search(from);
        for (s, d) in out.iter_mut().enumerate() {
            let rs = self.routed[s];
            if s != from && rs != NONE && !self.is_down(s) && row[rs as usize] != NONE {
                *d = Some(row[rs as usize]);
            }
        }
        out
    }

    /// How many routers the graph has (failed ones included, attached to nothing).
    pub fn routers(&self) -> usize {
        self.router_start.len().saturating_sub(1)
    }

    /// The row (over routed subnets) of a routed subnet: precomputed, else searched.
    fn row_or_search(&self, subnet: SubnetIx) -> std::borrow::Cow<'_, [u32]> {
        match self.row_of[subnet] {
            NONE => std::borrow::Cow::Owned(self.row_from(subnet)),
            r => {
                let r = r as usize;
                std::borrow::Cow::Borrowed(&self.rows[r * self.n_routed..(r + 1) * self.n_routed])
            }
        }
    }

    /// A full row (over routed subnets) from a routed subnet, by breadth-first search.
    fn row_from(&self, from: SubnetIx) -> Vec<u32> {
        let mut out = vec![NONE; self.n_routed];
        if from < self.size && self.routed[from] != NONE {
            Bfs::new(self.router_start.len().saturating_sub(1)).run(self, from, &mut out);
        }
        out
    }
}

/// Reusable breadth-first search state.
pub(crate) struct Bfs {
    router_stamp: Vec<u32>,
    stamp: u32,
    queue: Vec<u32>,
}

impl Bfs {
    pub(crate) fn new(routers: usize) -> Bfs {
        Bfs { router_stamp: vec![0; routers], stamp: 0, queue: Vec::new() }
    }

    /// Fills `out` (indexed by routed index) with hops from `from`.
    pub(crate) fn run(&mut self, t: &HopTable, from: SubnetIx, out: &mut [u32]) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.router_stamp.iter_mut().for_each(|x| *x = 0);
            self.stamp = 1;
        }
        out.iter_mut().for_each(|x| *x = NONE);
        self.queue.clear();
        out[t.routed[from] as usize] = 0;
        self.queue.push(from as u32);
        let mut head = 0;
        while head < self.queue.len() {
            let u = self.queue[head] as usize;
            head += 1;
            let du = out[t.routed[u] as usize];
            for &r in t.routers_of(u) {
                let r = r as usize;
                if self.router_stamp[r] == self.stamp {
                    continue;
                }
                self.router_stamp[r] = self.stamp;
                for &v in t.subnets_of(r) {
                    let rv = t.routed[v as usize] as usize;
                    if out[rv] == NONE {
                        out[rv] = du + 1;
                        self.queue.push(v);
                    }
                }
            }
        }
    }
}
