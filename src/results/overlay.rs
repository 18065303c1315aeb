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
/// a tie) to `target`, as the engine's hop table walks it; `None` when unreachable.
pub fn hop_path(plan: &Plan, node: NodeIx, target: SubnetIx) -> Option<HopPath> {
    let (hops, start) = plan
        .nodes
        .get(node)?
        .addresses
        .iter()
        .filter_map(|a| plan.hops_between(a.subnet, target).map(|h| (h, a.subnet)))
        .min_by_key(|&(h, _)| h)?;
    let steps = plan.path(start, target);
    if hops > 0 && steps.is_empty() {
        return None;
    }
    let mut path = HopPath { subnets: vec![start], routers: Vec::new() };
    for (router, subnet) in steps {
        path.routers.push(router);
        path.subnets.push(subnet);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::testing::fig24;
    use clusterplan_engine::{compile, Strategy};

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn no_selection_no_overlay() {
        let (plan, doc) = fig24();
        assert!(canvas_overlay(&plan, &doc, None, None).is_empty());
        assert!(canvas_overlay(&plan, &doc, Some("nobody"), None).is_empty());
    }

    #[test]
    fn node_5s_registry_servers_get_the_ranks_of_fig_24() {
        let (plan, doc) = fig24();
        let registry = ServiceKey::new("A", "registry");
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), Some(&registry));
        let badges: Vec<String> = ["n5", "n9", "n3", "n7", "n2", "n12"]
            .iter()
            .map(|uid| overlay.badge_text(uid).unwrap())
            .collect();
        assert_eq!(badges, ["#1", "#2", "#3", "#4", "#5", "#6"]);
        assert_eq!(overlay.badge_text("n1"), None);
        // The first choice is node 5's own address: a path of one subnet, no router.
        assert_eq!(overlay.path_nodes, set(&["n5"]));
        assert!(overlay.path_routers.is_empty());
        assert_eq!(overlay.path_subnets, set(&["10.0.0.0/24"]));
    }

    #[test]
    fn the_path_to_a_first_choice_two_routers_away_crosses_both() {
        let (plan, doc) = fig24();
        let web = ServiceKey::new("A", "web");
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), Some(&web));
        // m = 2, n = 5: index 5 mod 2 = 1, the higher address (10.0.2.20, node n2) first.
        assert_eq!(overlay.badge_text("n2").as_deref(), Some("#1"));
        assert_eq!(overlay.badge_text("n12").as_deref(), Some("#2"));
        assert_eq!(overlay.path_nodes, set(&["n5", "n2"]));
        assert_eq!(overlay.path_routers, set(&["r1", "r2"]));
        assert_eq!(overlay.path_subnets, set(&["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]));
    }

    #[test]
    fn without_a_chosen_service_every_service_badges_and_names_itself() {
        let (plan, doc) = fig24();
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), None);
        assert!(overlay.several_services);
        assert_eq!(overlay.badge_text("n2").as_deref(), Some("web #1 · registry #5"));
        assert_eq!(overlay.badge_text("n5").as_deref(), Some("registry #1"));
        // A chosen service the node is no client of falls back to all of them.
        let other = ServiceKey::new("B", "none");
        assert_eq!(canvas_overlay(&plan, &doc, Some("n5"), Some(&other)), overlay);
    }

    #[test]
    fn hop_path_is_none_when_no_router_joins_the_subnets() {
        let (_, mut doc) = fig24();
        doc.routers.clear();
        let plan = compile(&doc, Strategy::Rotation);
        let n5 = plan.node_by_uid("n5").unwrap();
        assert_eq!(hop_path(&plan, n5, 2), None);
        assert_eq!(hop_path(&plan, n5, 0), Some(HopPath { subnets: vec![0], routers: vec![] }));
        let (plan, _) = fig24();
        let path = hop_path(&plan, n5, 2).unwrap();
        assert_eq!((path.subnets, path.routers), (vec![0, 1, 2], vec![0, 1]));
    }
}
