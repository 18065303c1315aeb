//! The bootstrap's ordering graph: one stage per component (two for the registry's phases),
//! an edge per dependency; the order the stages finish in (Kahn's algorithm, ties by the
//! source's order), or the shortest cycle that prevents one.

use super::types::{Component, ComponentInfo, Cycle, Dependency, RegistryPhase, Stage, StageEdge};
use std::collections::VecDeque;

/// The ordering graph: stages in the source's order (its tie-break), edges from dependencies.
pub(super) struct Graph {
    pub(super) stages: Vec<Stage>,
    pub(super) edges: Vec<StageEdge>,
}

impl Graph {
    pub(super) fn new(components: &[ComponentInfo], dependencies: &[Dependency]) -> Graph {
        // The source's order: FIG 8 finishes the stages in this order.
        let mut stages = vec![
            Stage::registry(RegistryPhase::ReadOnly),
            Stage::of(Component::Dcm),
            Stage::of(Component::Liveness),
            Stage::of(Component::GroupServices),
            Stage::registry(RegistryPhase::WriteEnabled),
            Stage::of(Component::ResourceManager),
        ];
        stages.extend(
            components
                .iter()
                .filter(|c| matches!(c.component, Component::ResourceController(_)))
                .map(|c| Stage::of(c.component.clone())),
        );
        // Stage -> its index, looked up once per dependency (not a scan of every stage).
        let at: std::collections::HashMap<&Stage, usize> =
            stages.iter().enumerate().map(|(i, s)| (s, i)).collect();
        let index = |s: &Stage| at.get(s).copied();
        let mut edges = vec![StageEdge { from: 4, to: 0, dependency: None }];
        for (i, dep) in dependencies.iter().enumerate() {
            if let (Some(from), Some(to)) =
                (index(&dep.waiting_stage()), index(&dep.awaited_stage()))
            {
                edges.push(StageEdge { from, to, dependency: Some(i) });
            }
        }
        Graph { stages, edges }
    }

    /// The stages that can finish, in the order they do (Kahn's algorithm, always taking the
    /// earliest ready stage in the source's order): all of them unless there is a cycle.
    pub(super) fn finishing(&self) -> Vec<usize> {
        let n = self.stages.len();
        // waiting[v] = number of unfinished stages v waits for.
        let mut waiting = vec![0usize; n];
        for e in &self.edges {
            waiting[e.from] += 1;
        }
        // The stages waiting for each stage, and the ready ones in a heap (earliest first):
        // time in proportion to the stages and edges, however many controllers a node has.
        let mut waiters: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &self.edges {
            waiters[e.to].push(e.from);
        }
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> =
            (0..n).filter(|&v| waiting[v] == 0).map(std::cmp::Reverse).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(std::cmp::Reverse(v)) = ready.pop() {
            order.push(v);
            for &w in &waiters[v] {
                waiting[w] -= 1;
                if waiting[w] == 0 {
                    ready.push(std::cmp::Reverse(w));
                }
            }
        }
        order
    }

    /// The bootstrap order from [`Graph::finishing`], or the cycle that prevents one.
    pub(super) fn order(&self, finishing: &[usize]) -> Result<Vec<Stage>, Cycle> {
        if finishing.len() == self.stages.len() {
            Ok(finishing.iter().map(|&v| self.stages[v].clone()).collect())
        } else {
            let mut done = vec![false; self.stages.len()];
            finishing.iter().for_each(|&v| done[v] = true);
            Err(self.shortest_cycle(&done))
        }
    }

    /// The shortest cycle among the stages left unfinished (ties: the earliest start stage in
    /// the source's order), starting at its earliest stage.
    ///
    /// A breadth-first search from each stage that can be on a cycle, over adjacency lists in
    /// edge order, cut at the length of the best cycle so far (only a strictly shorter one can
    /// replace it): time in proportion to the stages and edges for the usual short cycles, not
    /// stages x stages x edges (docs/reliability.md §3).
    fn shortest_cycle(&self, done: &[bool]) -> Cycle {
        let n = self.stages.len();
        // Each unfinished stage's edges to unfinished stages, in edge order (the order a scan
        // of the edges meets them), and how many such edges lead to each stage.
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut waited_on = vec![0usize; n];
        for (i, e) in self.edges.iter().enumerate() {
            if !done[e.from] && !done[e.to] {
                out[e.from].push(i);
                waited_on[e.to] += 1;
            }
        }
        // A stage no unfinished stage waits for is on no cycle; peeling those off repeatedly
        // leaves every stage of a cycle (and skips the chains that only wait for one).
        let mut candidate: Vec<bool> = done.iter().map(|&d| !d).collect();
        let mut peel: Vec<usize> = (0..n).filter(|&v| candidate[v] && waited_on[v] == 0).collect();
        while let Some(v) = peel.pop() {
            candidate[v] = false;
            for &i in &out[v] {
                let to = self.edges[i].to;
                waited_on[to] -= 1;
                if waited_on[to] == 0 && candidate[to] {
                    peel.push(to);
                }
            }
        }
        let mut best: Option<Vec<usize>> = None; // edge indices
                                                 // Per stage: the start of the search that reached it (a stamp, so nothing is cleared
                                                 // between searches), the edge it was reached by, and its depth.
        let mut reached_from = vec![usize::MAX; n];
        let mut via = vec![0usize; n];
        let mut depth = vec![0usize; n];
        let mut queue = VecDeque::new();
        for start in (0..n).filter(|&v| candidate[v]) {
            let limit = best.as_ref().map_or(usize::MAX, Vec::len);
            if limit <= 1 {
                break;
            }
            queue.clear();
            queue.push_back(start);
            depth[start] = 0;
            let mut closing = None;
            'bfs: while let Some(v) = queue.pop_front() {
                // A cycle closed from `v` has depth + 1 edges: no shorter one is left.
                if depth[v] + 1 >= limit {
                    break;
                }
                for &i in &out[v] {
                    let to = self.edges[i].to;
                    if to == start {
                        closing = Some(i);
                        break 'bfs;
                    }
                    if reached_from[to] != start {
                        reached_from[to] = start;
                        via[to] = i;
                        depth[to] = depth[v] + 1;
                        queue.push_back(to);
                    }
                }
            }
            let Some(last) = closing else { continue };
            let mut path = vec![last];
            let mut v = self.edges[last].from;
            while v != start {
                let i = via[v];
                path.push(i);
                v = self.edges[i].from;
            }
            path.reverse();
            best = Some(path);
        }
        // Kahn's algorithm stops only when every unfinished stage waits for another unfinished
        // one, so a cycle exists among them and `best` is set.
        let edges = best.unwrap_or_default();
        let mut stages: Vec<Stage> =
            edges.iter().map(|&i| self.stages[self.edges[i].from].clone()).collect();
        if let Some(&first) = edges.first() {
            stages.push(self.stages[self.edges[first].from].clone());
        }
        Cycle { stages, edges }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shortest cycle by the plain definition: a breadth-first search from every unfinished
    /// stage scanning every edge, the earliest start winning ties (an independent computation of
    /// what [`Graph::shortest_cycle`] finds with its pruning).
    fn shortest_cycle_by_scans(graph: &Graph, done: &[bool]) -> Vec<usize> {
        let n = graph.stages.len();
        let mut best: Option<Vec<usize>> = None;
        for start in (0..n).filter(|&v| !done[v]) {
            let mut via: Vec<Option<usize>> = vec![None; n];
            let mut seen = vec![false; n];
            let mut queue = VecDeque::from([start]);
            let mut closing = None;
            'bfs: while let Some(v) = queue.pop_front() {
                for (i, e) in graph.edges.iter().enumerate() {
                    if e.from != v || done[e.to] {
                        continue;
                    }
                    if e.to == start {
                        closing = Some(i);
                        break 'bfs;
                    }
                    if !seen[e.to] {
                        seen[e.to] = true;
                        via[e.to] = Some(i);
                        queue.push_back(e.to);
                    }
                }
            }
            let Some(last) = closing else { continue };
            let mut path = vec![last];
            let mut v = graph.edges[last].from;
            while v != start {
                let i = via[v].unwrap();
                path.push(i);
                v = graph.edges[i].from;
            }
            path.reverse();
            if best.as_ref().is_none_or(|b| path.len() < b.len()) {
                best = Some(path);
            }
        }
        best.unwrap_or_default()
    }

    fn graph(n: usize, edges: &[(usize, usize)]) -> Graph {
        Graph {
            stages: (0..n)
                .map(|i| Stage::of(Component::ResourceController(format!("c{i}"))))
                .collect(),
            edges: edges
                .iter()
                .map(|&(from, to)| StageEdge { from: from % n, to: to % n, dependency: None })
                .collect(),
        }
    }

    proptest! {
        #[test]
        fn shortest_cycle_equals_the_search_from_every_stage(
            n in 1usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12), 0..40),
        ) {
            let graph = graph(n, &edges);
            let finishing = graph.finishing();
            prop_assume!(finishing.len() < n);
            let mut done = vec![false; n];
            finishing.iter().for_each(|&v| done[v] = true);
            prop_assert_eq!(graph.shortest_cycle(&done).edges, shortest_cycle_by_scans(&graph, &done));
        }
    }

    #[test]
    fn thirty_thousand_stages_waiting_on_a_two_stage_cycle() {
        // Stages 0 and 1 wait for each other; 30,000 others wait for stage 0 (a node's
        // controllers behind a cycle through the Resource Manager). A search from every
        // unfinished stage scanning every edge does 30,000 searches over 30,001 edges each;
        // the peeled search looks at the two stages of the cycle only.
        let n = 30_002;
        let mut edges = vec![(0, 1), (1, 0)];
        edges.extend((2..n).map(|i| (i, 0)));
        let graph = graph(n, &edges);
        let done = vec![false; n];
        assert_eq!(graph.shortest_cycle(&done).edges, vec![0, 1]);
    }
}
