//! Hop distances (docs/spec.md §2), the compile's half: the router graph built from the model's
//! routers and the rows the lists need precomputed by breadth-first search. The table and its
//! reads are the plan's ([`crate::plan::HopTable`]).

use crate::plan::hop_table::{Bfs, HopTable, NONE};
use crate::plan::SubnetIx;
use std::collections::HashMap;

impl HopTable {
    /// Builds the graph of `size` subnets and the given routers (each a list of subnet indices;
    /// out-of-range indices are ignored), and precomputes rows from `sources`.
    pub fn build(size: usize, routers: &[Vec<SubnetIx>], sources: &[SubnetIx]) -> HopTable {
        match Self::build_within(size, routers, sources, usize::MAX) {
            Ok(table) => table,
            Err(too_large) => too_large.table,
        }
    }

    /// [`HopTable::build`], unless the rows would hold more than `max_cells` hop counts: then
    /// the graph without any row (distances are searched on demand), with the size refused.
    pub fn build_within(
        size: usize,
        routers: &[Vec<SubnetIx>],
        sources: &[SubnetIx],
        max_cells: usize,
    ) -> Result<HopTable, Box<HopTableTooLarge>> {
        let mut router_start = Vec::with_capacity(routers.len() + 1);
        let mut router_subnets = Vec::new();
        let mut degree = vec![0u32; size];
        let mut seen = vec![NONE; size];
        for (r, subs) in routers.iter().enumerate() {
            router_start.push(router_subnets.len() as u32);
            for &s in subs {
                if s < size && seen[s] != r as u32 {
                    seen[s] = r as u32;
                    router_subnets.push(s as u32);
                    degree[s] += 1;
                }
            }
        }
        router_start.push(router_subnets.len() as u32);
        let mut subnet_start = Vec::with_capacity(size + 1);
        let mut acc = 0u32;
        for &d in &degree {
            subnet_start.push(acc);
            acc += d;
        }
        subnet_start.push(acc);
        let mut fill = subnet_start.clone();
        let mut subnet_routers = vec![0u32; acc as usize];
        for r in 0..routers.len() {
            for &s in &router_subnets[router_start[r] as usize..router_start[r + 1] as usize] {
                subnet_routers[fill[s as usize] as usize] = r as u32;
                fill[s as usize] += 1;
            }
        }
        let mut routed = vec![NONE; size];
        let mut n_routed = 0usize;
        for s in 0..size {
            if degree[s] > 0 {
                routed[s] = n_routed as u32;
                n_routed += 1;
            }
        }
        let mut table = HopTable {
            size,
            subnet_start,
            subnet_routers,
            router_start,
            router_subnets,
            routed,
            n_routed,
            row_of: vec![NONE; size],
            rows: Vec::new(),
            down: Vec::new(),
        };
        let mut wanted: Vec<SubnetIx> =
            sources.iter().copied().filter(|&s| s < size && table.routed[s] != NONE).collect();
        wanted.sort_unstable();
        wanted.dedup();
        // Subnets attached to the same routers are at the same distance from every other
        // subnet, so they share one row (30,000 subnets on one router: one row, not 30,000).
        // In a shared row the first subnet's own place holds 1, the distance between two
        // subnets of the group; every reader answers a subnet's distance to itself (0) first.
        let mut row_of_routers: HashMap<&[u32], (u32, bool)> = HashMap::new();
        let mut firsts: Vec<SubnetIx> = Vec::new();
        let mut row_of = vec![NONE; size];
        for &s in &wanted {
            let next = firsts.len() as u32;
            let entry = row_of_routers.entry(table.routers_of(s)).or_insert((next, false));
            if entry.0 == next {
                firsts.push(s);
            } else {
                entry.1 = true;
            }
            row_of[s] = entry.0;
        }
        let cells = firsts.len().saturating_mul(n_routed);
        if cells > max_cells {
            return Err(Box::new(HopTableTooLarge { rows: firsts.len(), routed: n_routed, table }));
        }
        let mut rows = vec![NONE; cells];
        let mut scratch = Bfs::new(routers.len());
        for (row, &s) in firsts.iter().enumerate() {
            let out = &mut rows[row * n_routed..(row + 1) * n_routed];
            scratch.run(&table, s, out);
            if row_of_routers.get(table.routers_of(s)).is_some_and(|&(_, shared)| shared) {
                out[table.routed[s] as usize] = 1;
            }
        }
        table.row_of = row_of;
        table.rows = rows;
        Ok(table)
    }
}

impl HopTable {
    /// This table with the given routers failed as well (docs/spec.md §2), recomputed
    /// incrementally: the graph is rebuilt without them (linear in the attachments), and only
    /// the precomputed rows a failed router could shorten a path in are searched again (a
    /// router whose subnets are all at the same distance from a row's subnet is on none of its
    /// shortest paths). Returns the table and, per row, whether it changed. The subnets keep
    /// their routed and row indices, so the table reads as [`HopTable::build`]'s on the same
    /// routers would.
    pub fn without_routers(&self, failed: &[usize]) -> (HopTable, Vec<bool>) {
        let routers = self.router_start.len().saturating_sub(1);
        let is_failed = |r: usize| failed.contains(&r);
        let mut t = self.clone();
        // The graph without the failed routers: their attachments emptied.
        t.router_subnets.clear();
        t.router_start.clear();
        for r in 0..routers {
            t.router_start.push(t.router_subnets.len() as u32);
            if !is_failed(r) {
                t.router_subnets.extend_from_slice(self.subnets_of(r));
            }
        }
        t.router_start.push(t.router_subnets.len() as u32);
        t.subnet_routers.clear();
        t.subnet_start.clear();
        for s in 0..self.size {
            t.subnet_start.push(t.subnet_routers.len() as u32);
            t.subnet_routers.extend(self.routers_of(s).iter().filter(|&&r| !is_failed(r as usize)));
        }
        t.subnet_start.push(t.subnet_routers.len() as u32);
        // Each row's first subnet, and whether other subnets share the row.
        let n_rows = self.rows.len().checked_div(self.n_routed).unwrap_or(0);
        let mut first = vec![NONE; n_rows];
        let mut shared = vec![false; n_rows];
        for (s, &row) in self.row_of.iter().enumerate() {
            if row != NONE {
                match first[row as usize] {
                    NONE => first[row as usize] = s as u32,
                    _ => shared[row as usize] = true,
                }
            }
        }
        let mut changed = vec![false; n_rows];
        let mut scratch = Bfs::new(routers);
        let mut rows = std::mem::take(&mut t.rows);
        for row in 0..n_rows {
            let f = first[row] as usize;
            let old = &self.rows[row * self.n_routed..(row + 1) * self.n_routed];
            let distance =
                |s: u32| if s as usize == f { 0 } else { old[self.routed[s as usize] as usize] };
            let on_a_path = failed.iter().any(|&r| {
                let mut ds = self.subnets_of(r).iter().map(|&s| distance(s));
                ds.next().is_some_and(|d0| ds.any(|d| d != d0))
            });
            if !on_a_path {
                continue;
            }
            let out = &mut rows[row * self.n_routed..(row + 1) * self.n_routed];
            scratch.run(&t, f, out);
            // A shared row's own place is the distance between two subnets of the group: 1
            // while they share a router, none once they share none.
            if shared[row] {
                out[t.routed[f] as usize] = if t.routers_of(f).is_empty() { NONE } else { 1 };
            }
            changed[row] = out != old;
        }
        t.rows = rows;
        (t, changed)
    }

    /// The precomputed row of a subnet (an index into [`HopTable::without_routers`]'s changes).
    pub fn row_index(&self, subnet: SubnetIx) -> Option<usize> {
        self.row_of.get(subnet).filter(|&&r| r != NONE).map(|&r| r as usize)
    }
}

/// A hop table refused by [`HopTable::build_within`]: `rows` x `routed` hop counts were needed.
#[derive(Debug)]
pub struct HopTableTooLarge {
    pub rows: usize,
    pub routed: usize,
    /// The graph, without precomputed rows.
    pub table: HopTable,
}

#[cfg(test)]
mod tests {
    use crate::plan::HopTable;

    #[test]
    fn chain_and_island() {
        // 0 -r0- 1 -r1- 2 ; 3 alone.
        let t = HopTable::build(4, &[vec![0, 1], vec![1, 2]], &[0]);
        assert_eq!(t.get(0, 2), Some(2));
        assert_eq!(t.get(2, 0), Some(2));
        assert_eq!(t.get(1, 2), Some(1));
        assert_eq!(t.get(3, 3), Some(0));
        assert_eq!(t.get(0, 3), None);
        assert_eq!(t.get(0, 9), None);
        assert_eq!(t.path(0, 2), vec![(0, 1), (1, 2)]);
        assert_eq!(t.path(2, 0), vec![(1, 1), (0, 0)]);
        assert_eq!(t.first_step(2, 1), Some((1, 1)));
        assert!(t.path(0, 3).is_empty());
    }

    #[test]
    fn subnets_on_the_same_routers_share_one_row() {
        // 30,000 subnets on one router, every one a source: one row, not 30,000 (3.6 GB).
        let n = 30_000;
        let t = HopTable::build(n, &[(0..n).collect()], &(0..n).collect::<Vec<_>>());
        assert_eq!(t.rows().len(), n);
        assert_eq!(
            (t.get(0, 1), t.get(1, 0), t.get(5, 5), t.get(7, n - 1)),
            (Some(1), Some(1), Some(0), Some(1))
        );
        assert_eq!(t.path(1, 0), vec![(0, 0)]);
        assert_eq!(t.path(0, 1), vec![(0, 1)]);
        // Shared rows answer as separate rows do: a chain 0 -r0- {1, 2} -r1- 3 -r2- 4, with
        // 1 and 2 on the same routers.
        let routers = [vec![0, 1, 2], vec![1, 2, 3], vec![3, 4]];
        let shared = HopTable::build(5, &routers, &[0, 1, 2, 3, 4]);
        assert_eq!(shared.rows().len(), 4 * 5, "1 and 2 share a row");
        for a in 0..5 {
            let alone = HopTable::build(5, &routers, &[a]);
            for b in 0..5 {
                assert_eq!(shared.get(a, b), alone.get(a, b), "{a} -> {b}");
                assert_eq!(shared.get(b, a), alone.get(b, a), "{b} -> {a}");
                assert_eq!(shared.path(a, b), alone.path(a, b), "{a} -> {b}");
            }
        }
    }

    /// Failing routers incrementally answers exactly as a table built without them, shared
    /// rows included, and says which rows changed.
    #[test]
    fn routers_failed_incrementally_read_as_a_table_built_without_them() {
        // 0 -r0- {1, 2} -r1- 3 -r2- 4 ; r3 joins 0 and 4 ; 5 alone on r4.
        let routers = [vec![0, 1, 2], vec![1, 2, 3], vec![3, 4], vec![0, 4], vec![5]];
        let all: Vec<usize> = (0..6).collect();
        let table = HopTable::build(6, &routers, &all);
        for failed in [vec![0], vec![1], vec![2], vec![3], vec![1, 3], vec![0, 1], vec![4]] {
            let (t, changed) = table.without_routers(&failed);
            let kept: Vec<Vec<usize>> = routers
                .iter()
                .enumerate()
                .map(|(r, s)| if failed.contains(&r) { Vec::new() } else { s.clone() })
                .collect();
            let fresh = HopTable::build(6, &kept, &all);
            for a in 0..6 {
                for b in 0..6 {
                    assert_eq!(t.get(a, b), fresh.get(a, b), "{failed:?}: {a} -> {b}");
                    assert_eq!(t.path(a, b), fresh.path(a, b), "{failed:?}: {a} -> {b}");
                }
                if let Some(row) = t.row_index(a) {
                    let was = (0..6).map(|b| table.get(a, b)).collect::<Vec<_>>();
                    let now = (0..6).map(|b| t.get(a, b)).collect::<Vec<_>>();
                    assert_eq!(changed[row], was != now, "{failed:?}: row of {a}");
                }
            }
        }
    }
}
