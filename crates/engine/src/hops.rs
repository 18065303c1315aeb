//! Hop distances (docs/spec.md §2), the compile's half: the router graph built from the model's
//! routers and the rows the lists need precomputed by breadth-first search. The table and its
//! reads are the plan's ([`crate::plan::HopTable`]).

use crate::plan::hop_table::{Bfs, HopTable, NONE};
use crate::plan::SubnetIx;

impl HopTable {
    /// Builds the graph of `size` subnets and the given routers (each a list of subnet indices;
    /// out-of-range indices are ignored), and precomputes rows from `sources`.
    pub fn build(size: usize, routers: &[Vec<SubnetIx>], sources: &[SubnetIx]) -> HopTable {
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
        };
        let mut wanted: Vec<SubnetIx> =
            sources.iter().copied().filter(|&s| s < size && table.routed[s] != NONE).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut rows = vec![NONE; wanted.len() * n_routed];
        let mut scratch = Bfs::new(routers.len());
        for (row, &s) in wanted.iter().enumerate() {
            table.row_of[s] = row as u32;
            scratch.run(&table, s, &mut rows[row * n_routed..(row + 1) * n_routed]);
        }
        table.rows = rows;
        table
    }
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
}
