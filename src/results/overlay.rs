//! What the canvas draws over the model for the selected node: rank badges on the servers it
//! lists, and the hop path to its first choice. Computed by [`canvas_overlay`], a pure function
//! of the plan, the document (for router names) and the selection.

use crate::results::view::ServiceKey;
use clusterplan_engine::plan::{ClientList, NodeIx, ServicePlan, SubnetIx};
use clusterplan_engine::{Document, Plan};
use std::collections::{BTreeMap, BTreeSet};

/// A rank badge on a server node: "the selected node lists this server `rank`-th for `service`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankBadge {
    pub service: ServiceKey,
    /// 1 = first choice.
    pub rank: usize,
}

impl RankBadge {
    /// The badge's text: `#1` alone when one service is shown, `registry #1` otherwise.
    pub fn label(&self, with_service: bool) -> String {
        if with_service {
            format!("{} #{}", self.service.name, self.rank)
        } else {
            format!("#{}", self.rank)
        }
    }
}

/// The overlay the canvas draws. Empty when no node is selected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CanvasOverlay {
    /// Server node uid -> its badges (one per service shown that lists it, best rank first).
    pub badges: BTreeMap<String, Vec<RankBadge>>,
    /// Whether more than one service is shown (badges then name their service).
    pub several_services: bool,
    /// Subnet prefixes on the hop path(s) from the selected node to its first choice(s).
    pub path_subnets: BTreeSet<String>,
    /// Routers crossed on those paths, by name.
    pub path_routers: BTreeSet<String>,
    /// Node uids at the ends of those paths (the selected node and its first-choice servers).
    pub path_nodes: BTreeSet<String>,
}

impl CanvasOverlay {
    /// The badge text of a node, if it has badges (`#1`, or `registry #1 · liveness #2`).
    pub fn badge_text(&self, uid: &str) -> Option<String> {
        let badges = self.badges.get(uid)?;
        Some(badges.iter().map(|b| b.label(self.several_services)).collect::<Vec<_>>().join(" · "))
    }

    pub fn is_empty(&self) -> bool {
        *self == CanvasOverlay::default()
    }
}

/// The overlay for the selected node (uid), showing `service` only when given (and the node is
/// one of its clients), otherwise every service the node is a client of.
pub fn canvas_overlay(
    plan: &Plan,
    doc: &Document,
    selected: Option<&str>,
    service: Option<&ServiceKey>,
) -> CanvasOverlay {
    let mut overlay = CanvasOverlay::default();
    let Some(node) = selected.and_then(|uid| plan.nodes.iter().position(|n| n.uid == uid)) else {
        return overlay;
    };
    let lists: Vec<(&ServicePlan, &ClientList)> = plan
        .services
        .iter()
        .filter_map(|s| s.lists.iter().find(|l| l.node == node).map(|l| (s, l)))
        .collect();
    let shown: Vec<(&ServicePlan, &ClientList)> = match service {
        Some(key) if lists.iter().any(|(s, _)| is(s, key)) => {
            lists.into_iter().filter(|(s, _)| is(s, key)).collect()
        }
        _ => lists,
    };
    overlay.several_services = shown.len() > 1;
    for (service, list) in shown {
        let key = ServiceKey::new(&service.cluster, &service.service);
        let mut ranked = BTreeSet::new();
        for (position, entry) in list.entries.iter().enumerate() {
            let Some(server) = service.addresses[entry.address].server else {
                continue;
            };
            let server_node = service.servers[server].node;
            if ranked.insert(server_node) {
                overlay
                    .badges
                    .entry(plan.nodes[server_node].uid.clone())
                    .or_default()
                    .push(RankBadge { service: key.clone(), rank: position + 1 });
            }
        }
        if let Some(first) = list.entries.first() {
            let address = &service.addresses[first.address];
            overlay.path_nodes.insert(plan.nodes[node].uid.clone());
            if let Some(server) = address.server {
                overlay.path_nodes.insert(plan.nodes[service.servers[server].node].uid.clone());
            }
            if let Some(path) = hop_path(plan, node, address.subnet) {
                for subnet in path.subnets {
                    overlay.path_subnets.insert(plan.subnets[subnet].prefix.clone());
                }
                for router in path.routers {
                    if let Some(r) = doc.routers.get(router) {
                        overlay.path_routers.insert(r.name.clone());
                    }
                }
            }
        }
    }
    for badges in overlay.badges.values_mut() {
        badges.sort_by_key(|b| b.rank);
    }
    overlay
}

fn is(service: &ServicePlan, key: &ServiceKey) -> bool {
    service.cluster == key.cluster && service.service == key.name
}

/// A path through the subnet/router graph, as the engine's hop table gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopPath {
    /// Subnets from the client's to the target's, both included.
    pub subnets: Vec<SubnetIx>,
    /// Routers crossed, in order (indices into `Document::routers`).
    pub routers: Vec<usize>,
}

/// The shortest path from one of `node`'s subnets (the nearest to `target`, the first of them on
/// a tie) to `target`, following the engine's `first_step` table; `None` when unreachable.
pub fn hop_path(plan: &Plan, node: NodeIx, target: SubnetIx) -> Option<HopPath> {
    let table = &plan.hops;
    let cell = |from: SubnetIx, to: SubnetIx| from * table.size + to;
    let in_table = |s: SubnetIx| s < table.size;
    if !in_table(target) {
        return None;
    }
    let start = plan
        .nodes
        .get(node)?
        .addresses
        .iter()
        .map(|a| a.subnet)
        .filter(|&s| in_table(s))
        .min_by_key(|&s| {
        table.hops.get(cell(s, target)).copied().flatten().unwrap_or(u32::MAX)
    })?;
    table.hops.get(cell(start, target)).copied().flatten()?;
    let mut path = HopPath { subnets: vec![start], routers: Vec::new() };
    let mut at = start;
    while at != target {
        let (router, next) = table.first_step.get(cell(at, target)).copied().flatten()?;
        path.routers.push(router);
        path.subnets.push(next);
        at = next;
        if path.subnets.len() > table.size {
            return None; // a malformed table; never loop
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::testing::three_subnets;

    #[test]
    fn no_selection_no_overlay() {
        let (plan, doc) = three_subnets();
        assert!(canvas_overlay(&plan, &doc, None, None).is_empty());
        assert!(canvas_overlay(&plan, &doc, Some("nobody"), None).is_empty());
    }

    #[test]
    fn servers_get_the_rank_the_selected_node_gives_them() {
        let (plan, doc) = three_subnets();
        let overlay = canvas_overlay(&plan, &doc, Some("c"), None);
        assert_eq!(overlay.badge_text("n12").as_deref(), Some("#1"));
        assert_eq!(overlay.badge_text("n5").as_deref(), Some("#2"));
        assert_eq!(overlay.badge_text("n3").as_deref(), Some("#3"));
        assert_eq!(overlay.badge_text("c"), None);
    }

    #[test]
    fn the_path_to_the_first_choice_crosses_both_routers() {
        let (plan, doc) = three_subnets();
        let overlay = canvas_overlay(&plan, &doc, Some("c"), None);
        assert_eq!(overlay.path_nodes, BTreeSet::from(["c".to_owned(), "n12".to_owned()]));
        assert_eq!(overlay.path_routers, BTreeSet::from(["r1".to_owned(), "r2".to_owned()]));
        assert_eq!(
            overlay.path_subnets,
            BTreeSet::from(["10.0.0.0/24".into(), "10.0.1.0/24".into(), "10.0.2.0/24".into()])
        );
    }

    #[test]
    fn a_local_first_choice_is_a_path_of_one_subnet_and_no_router() {
        let (plan, doc) = three_subnets();
        let overlay = canvas_overlay(&plan, &doc, Some("n12"), None);
        assert_eq!(overlay.badge_text("n12").as_deref(), Some("#1"));
        assert_eq!(overlay.path_nodes, BTreeSet::from(["n12".to_owned()]));
        assert!(overlay.path_routers.is_empty());
        assert_eq!(overlay.path_subnets, BTreeSet::from(["10.0.2.0/24".to_owned()]));
    }

    #[test]
    fn hop_path_follows_first_steps_and_stops_when_unreachable() {
        let (mut plan, _) = three_subnets();
        let path = hop_path(&plan, 0, 2).unwrap();
        assert_eq!(path.subnets, vec![0, 1, 2]);
        assert_eq!(path.routers, vec![0, 1]);
        plan.hops.hops[2] = None;
        plan.hops.first_step[2] = None;
        assert_eq!(hop_path(&plan, 0, 2), None);
    }
}
