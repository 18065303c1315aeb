//! What the canvas draws over the model: the server nodes the user failed (down), and for the
//! selected node rank badges on the servers it lists (the failed ones struck through, the one
//! serving it now marked) and the hop path to the server serving it. Computed by
//! [`canvas_overlay`], a pure function of the plan, the document (for router names), the
//! selection and the failed servers.

use crate::model::view::ServiceKey;
use clusterplan_engine::plan::{ClientList, NodeIx, ServicePlan, SubnetIx};
use clusterplan_engine::sorting;
use clusterplan_engine::{query, Document, Plan};
use std::collections::{BTreeMap, BTreeSet};

/// A rank badge on a server node: "the selected node lists this server `rank`-th for `service`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankBadge {
    pub service: ServiceKey,
    /// 1 = first choice.
    pub rank: usize,
    /// The server is one the user failed: the selected node skips it.
    pub down: bool,
    /// With servers of this service failed, this is the one serving the selected node now.
    pub serving: bool,
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

    /// What the badge says on hover: `registry: 4th choice of this node; down, skipped`.
    pub fn title(&self) -> String {
        let state = if self.down {
            "; failed: skipped"
        } else if self.serving {
            "; serves it now"
        } else {
            ""
        };
        format!("{}: {} choice of the selected node{state}", self.service.name, ordinal(self.rank))
    }
}

pub use clusterplan_engine::diff::ordinal;

/// The overlay the canvas draws. Empty when no node is selected and nothing is failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CanvasOverlay {
    /// Server node uid -> its badges (one per service shown that lists it, best rank first).
    pub badges: BTreeMap<String, Vec<RankBadge>>,
    /// Whether more than one service is shown (badges then name their service).
    pub several_services: bool,
    /// Subnet prefixes on the hop path(s) from the selected node to the server(s) serving it.
    pub path_subnets: BTreeSet<String>,
    /// Routers crossed on those paths, by name.
    pub path_routers: BTreeSet<String>,
    /// Node uids at the ends of those paths (the selected node and its serving servers).
    pub path_nodes: BTreeSet<String>,
    /// Server nodes the user failed (uids of nodes serving some service), drawn as down.
    pub down: BTreeSet<String>,
    /// Routers (names) and subnets (prefixes) the user failed, drawn greyed (the plan is
    /// compiled without them).
    pub failed_routers: BTreeSet<String>,
    pub failed_subnets: BTreeSet<String>,
    /// The Simulate tab's marks at its current event (while that tab is shown).
    pub sim: Option<crate::model::simulation::SimOverlay>,
    /// The load heat the zoomed-out canvas colours blocks with: per subnet (canonical prefix)
    /// holding servers of the shown service, its busiest server's load over the ideal (see
    /// [`heat`]).
    pub heat: BTreeMap<String, f64>,
}

impl CanvasOverlay {
    /// The badge text of a node, if it has badges (`#1`, or `registry #1 · liveness #2`).
    pub fn badge_text(&self, uid: &str) -> Option<String> {
        let badges = self.badges.get(uid)?;
        Some(badges.iter().map(|b| b.label(self.several_services)).collect::<Vec<_>>().join(" · "))
    }

    /// The badges of a node (none when the selected node does not list it).
    pub fn badges_of(&self, uid: &str) -> &[RankBadge] {
        self.badges.get(uid).map_or(&[], Vec::as_slice)
    }

    /// Whether the node is a server the user failed.
    pub fn is_down(&self, uid: &str) -> bool {
        self.down.contains(uid)
    }

    /// Whether it marks nothing (the heat aside: it only colours the zoomed-out blocks).
    pub fn is_empty(&self) -> bool {
        CanvasOverlay { heat: BTreeMap::new(), ..self.clone() } == CanvasOverlay::default()
    }
}

pub use clusterplan_engine::query::Serving;

/// Who serves list `list` of `service` with the server nodes whose uid is in `failed` down: the
/// engine's answer (`clusterplan_engine::query::serving`).
pub fn serving(
    plan: &Plan,
    service: &ServicePlan,
    list: usize,
    failed: &BTreeSet<String>,
) -> Serving {
    query::serving(plan, service, list, failed.iter().map(String::as_str))
}

/// The overlay for the selected node (uid), showing `service` only when given (and the node is
/// one of its clients), otherwise every service the node is a client of, with the server nodes
/// whose uid is in `failed` down: drawn as down, their badges marked, and the hop path going to
/// the server that serves the node now (the engine's failover) instead of its first choice.
pub fn canvas_overlay(
    plan: &Plan,
    doc: &Document,
    selected: Option<&str>,
    service: Option<&ServiceKey>,
    failed: &BTreeSet<String>,
) -> CanvasOverlay {
    // Drawn as down: the servers the user failed. A server not online in its service's cluster
    // is down for that cluster only (it may serve another one): its rank badges say so.
    let down = plan
        .services
        .iter()
        .flat_map(|s| &s.servers)
        .map(|server| &plan.nodes[server.node].uid)
        .filter(|uid| failed.contains(*uid))
        .cloned()
        .collect();
    let heat = heat(plan, service, failed);
    let mut overlay = CanvasOverlay { down, heat, ..CanvasOverlay::default() };
    let Some(node) = selected.and_then(|uid| plan.nodes.iter().position(|n| n.uid == uid)) else {
        return overlay;
    };
    let lists: Vec<(&ServicePlan, usize, ClientList)> = plan
        .services
        .iter()
        .filter_map(|s| s.list_index(node).and_then(|l| Some((s, l, s.lists.get(l)?))))
        .collect();
    let shown: Vec<(&ServicePlan, usize, ClientList)> = match service {
        Some(key) if lists.iter().any(|(s, _, _)| is(s, key)) => {
            lists.into_iter().filter(|(s, _, _)| is(s, key)).collect()
        }
        _ => lists,
    };
    overlay.several_services = shown.len() > 1;
    for (service, list_ix, list) in shown {
        let key = ServiceKey::new(&service.cluster, &service.service);
        let now = serving(plan, service, list_ix, failed);
        let failover = !now.down.is_empty();
        let mut ranked = BTreeSet::new();
        for (position, entry) in list.entries.iter().enumerate() {
            let Some(server) = service.addresses[entry.address()].server else {
                continue;
            };
            let server_node = service.servers[server].node;
            if ranked.insert(server_node) {
                overlay.badges.entry(plan.nodes[server_node].uid.clone()).or_default().push(
                    RankBadge {
                        service: key.clone(),
                        rank: position + 1,
                        down: query::is_down(service, &now.down, server),
                        serving: (failover || now.entry != Some(0)) && now.server == Some(server),
                    },
                );
            }
        }
        // The path goes where the node's requests go: the entry serving it now (its first
        // choice unless that server is down; none when nothing is left up or the node failed).
        let target = if now.failed_client { None } else { now.entry };
        if let Some(entry) = target.and_then(|e| list.entries.get(e)) {
            let address = &service.addresses[entry.address()];
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
        sorting::sort_by_key(badges, |b| b.rank);
    }
    overlay
}

/// The load heat of `service` (the plan's first service when `None`, as the load view shows):
/// for each subnet holding some of its servers, the busiest of them's load over the ideal
/// (clients / servers up, `docs/spec.md` §4, "Balance"), with the `failed` nodes' clients moved
/// as the engine's failover moves them. Empty without servers up or clients.
pub fn heat(
    plan: &Plan,
    service: Option<&ServiceKey>,
    failed: &BTreeSet<String>,
) -> BTreeMap<String, f64> {
    let chosen = service.and_then(|k| plan.services.iter().find(|s| is(s, k)));
    let Some(s) = chosen.or(plan.services.first()) else { return BTreeMap::new() };
    let failed: Vec<NodeIx> = failed.iter().filter_map(|uid| plan.node_by_uid(uid)).collect();
    let by_subnet = query::heat(s, &failed);
    by_subnet.into_iter().map(|(ix, ratio)| (plan.subnets[ix].prefix.clone(), ratio)).collect()
}

fn is(service: &ServicePlan, key: &ServiceKey) -> bool {
    service.cluster == key.cluster && service.service == key.name
}

impl CanvasOverlay {
    /// Draws the path of a message from node `from` to node `to` (uids) instead of the selected
    /// node's: both nodes, and the subnets and routers of the shortest hop path from `from` to the
    /// nearest of `to`'s subnets (`to` = `None`: no message, no path).
    pub fn message_path(&mut self, plan: &Plan, doc: &Document, from: &str, to: Option<&str>) {
        self.path_nodes.clear();
        self.path_subnets.clear();
        self.path_routers.clear();
        let Some(to) = to else { return };
        let (Some(a), Some(b)) = (plan.node_by_uid(from), plan.node_by_uid(to)) else { return };
        let path = plan.nodes[b]
            .addresses
            .iter()
            .filter_map(|t| hop_path(plan, a, t.subnet))
            .min_by_key(|p| p.routers.len());
        let Some(path) = path else { return };
        self.path_nodes.extend([from.to_owned(), to.to_owned()]);
        self.path_subnets.extend(path.subnets.iter().map(|&s| plan.subnets[s].prefix.clone()));
        self.path_routers.extend(
            path.routers.iter().filter_map(|&r| doc.routers.get(r)).map(|r| r.name.clone()),
        );
    }
}

impl CanvasOverlay {
    /// Marks a step of the list walkthrough instead of the selected node's path: its nodes,
    /// subnets and routers (the engine's [`clusterplan_engine::walkthrough::Marks`]).
    pub fn walk_marks(&mut self, marks: &clusterplan_engine::walkthrough::Marks) {
        self.path_nodes = marks.nodes.iter().cloned().collect();
        self.path_subnets = marks.subnets.iter().cloned().collect();
        self.path_routers = marks.routers.iter().cloned().collect();
    }
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
    use crate::model::testing::fig24;
    use clusterplan_engine::{compile, Strategy};

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn none() -> BTreeSet<String> {
        BTreeSet::new()
    }

    #[test]
    fn no_selection_no_overlay() {
        let (plan, doc) = fig24();
        assert!(canvas_overlay(&plan, &doc, None, None, &none()).is_empty());
        assert!(canvas_overlay(&plan, &doc, Some("nobody"), None, &none()).is_empty());
    }

    #[test]
    fn the_heat_is_each_subnets_busiest_server_over_the_ideal_and_follows_failures() {
        let (plan, _) = fig24();
        let registry = ServiceKey::new("A", "registry");
        let heat = heat(&plan, Some(&registry), &none());
        let s = plan.services.iter().find(|s| is(s, &registry)).unwrap();
        let ideal = s.load.clients as f64 / s.servers.iter().filter(|x| x.online).count() as f64;
        for (ix, server) in s.servers.iter().enumerate() {
            let prefix = &plan.subnets[s.addresses[server.addresses[0]].subnet].prefix;
            assert!(heat[prefix] >= s.load.first_choice[ix] as f64 / ideal - 1e-9);
        }
        let busiest = s.load.first_choice.iter().max().copied().unwrap() as f64 / ideal;
        let hottest = heat.values().copied().fold(0.0, f64::max);
        assert!((hottest - busiest).abs() < 1e-9, "{hottest} vs {busiest}");
        // Failing every server of the hottest subnet moves their clients elsewhere.
        let (hot, _) = heat.iter().max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        let failed: BTreeSet<String> = s
            .servers
            .iter()
            .filter(|x| {
                x.addresses.iter().any(|&a| &plan.subnets[s.addresses[a].subnet].prefix == hot)
            })
            .map(|x| plan.nodes[x.node].uid.clone())
            .collect();
        let after = super::heat(&plan, Some(&registry), &failed);
        assert_eq!(after[hot], 0.0);
        assert!(after.iter().any(|(p, r)| p != hot && *r > heat[p]));
        // Without a service chosen: the plan's first one.
        assert_eq!(
            super::heat(&plan, None, &none()),
            super::heat(
                &plan,
                Some(&ServiceKey::new(&plan.services[0].cluster, &plan.services[0].service)),
                &none()
            )
        );
    }

    #[test]
    fn node_5s_registry_servers_get_the_ranks_of_fig_24() {
        let (plan, doc) = fig24();
        let registry = ServiceKey::new("A", "registry");
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), Some(&registry), &none());
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
    fn a_message_is_drawn_along_its_hop_path_instead_of_the_selections() {
        let (plan, doc) = fig24();
        let mut overlay = canvas_overlay(&plan, &doc, Some("n9"), None, &none());
        overlay.message_path(&plan, &doc, "n5", Some("n2"));
        assert_eq!(overlay.path_nodes, set(&["n5", "n2"]));
        assert_eq!(overlay.path_routers, set(&["r1", "r2"]));
        assert_eq!(overlay.path_subnets, set(&["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]));
        overlay.message_path(&plan, &doc, "n5", None);
        assert!(overlay.path_nodes.is_empty() && overlay.path_subnets.is_empty());
    }

    #[test]
    fn the_path_to_a_first_choice_two_routers_away_crosses_both() {
        let (plan, doc) = fig24();
        let web = ServiceKey::new("A", "web");
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), Some(&web), &none());
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
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), None, &none());
        assert!(overlay.several_services);
        assert_eq!(overlay.badge_text("n2").as_deref(), Some("web #1 · registry #5"));
        assert_eq!(overlay.badge_text("n5").as_deref(), Some("registry #1"));
        // A chosen service the node is no client of falls back to all of them.
        let other = ServiceKey::new("B", "none");
        assert_eq!(canvas_overlay(&plan, &doc, Some("n5"), Some(&other), &none()), overlay);
    }

    #[test]
    fn failed_servers_are_down_with_or_without_a_selection() {
        let (plan, doc) = fig24();
        // n1 serves nothing and "nobody" is no node: only n5 is a failed server.
        let overlay = canvas_overlay(&plan, &doc, None, None, &set(&["n5", "n1", "nobody"]));
        assert_eq!(overlay.down, set(&["n5"]));
        assert!(overlay.is_down("n5") && !overlay.is_down("n1"));
        assert!(overlay.badges.is_empty() && !overlay.is_empty());
    }

    #[test]
    fn a_failed_server_in_the_selected_nodes_list_is_marked_down_and_its_own_server_serves() {
        let (plan, doc) = fig24();
        let registry = ServiceKey::new("A", "registry");
        // Node 9 lists node 5's 10.0.0.1 fourth; node 5 failed: that badge is down, node 9
        // still serves itself (its local address), which is marked as serving it now.
        let overlay = canvas_overlay(&plan, &doc, Some("n9"), Some(&registry), &set(&["n5"]));
        let n5 = &overlay.badges_of("n5")[0];
        assert_eq!((n5.rank, n5.down, n5.serving), (4, true, false));
        assert_eq!(overlay.badge_text("n5").as_deref(), Some("#4"));
        let n9 = &overlay.badges_of("n9")[0];
        assert_eq!((n9.rank, n9.down, n9.serving), (1, false, true));
        assert!(overlay.badges.values().flatten().filter(|b| b.serving).count() == 1);
        assert_eq!(overlay.path_nodes, set(&["n9"]));
        assert_eq!(n5.title(), "registry: 4th choice of the selected node; failed: skipped");
        // Without failures nothing is down and no badge claims to serve.
        let overlay = canvas_overlay(&plan, &doc, Some("n9"), Some(&registry), &none());
        assert!(overlay.badges.values().flatten().all(|b| !b.down && !b.serving));
    }

    #[test]
    fn with_its_first_choice_failed_the_path_goes_to_the_server_serving_it_now() {
        let (plan, doc) = fig24();
        let registry = ServiceKey::new("A", "registry");
        // Node 8's first choice 10.0.0.1 (n5) is down: it falls to 10.0.1.9 (server 9: 8 mod 3
        // = 2 picks 10.0.1.9 first), one router away.
        let overlay = canvas_overlay(&plan, &doc, Some("n8"), Some(&registry), &set(&["n5"]));
        assert!(overlay.badges_of("n5")[0].down);
        assert!(overlay.badges_of("n9")[0].serving);
        assert_eq!(overlay.path_nodes, set(&["n8", "n9"]));
        assert_eq!(overlay.path_routers, set(&["r1"]));
        assert_eq!(overlay.path_subnets, set(&["10.0.0.0/24", "10.0.1.0/24"]));
        // Node 5 failed itself is no client: no server serves it and no path is drawn.
        let overlay = canvas_overlay(&plan, &doc, Some("n5"), Some(&registry), &set(&["n5"]));
        assert!(overlay.badges.values().flatten().all(|b| !b.serving));
        assert!(overlay.path_nodes.is_empty() && overlay.path_subnets.is_empty());
        // Every server down: nobody serves it, and there is no path to draw.
        let all = set(&["n2", "n3", "n5", "n7", "n9", "n12"]);
        let overlay = canvas_overlay(&plan, &doc, Some("n6"), Some(&registry), &all);
        assert!(overlay.badges.values().flatten().all(|b| b.down && !b.serving));
        assert!(overlay.path_nodes.is_empty() && overlay.path_subnets.is_empty());
        assert_eq!(overlay.down, all);
    }

    #[test]
    fn serving_names_the_engines_server_and_the_entry_it_is_reached_through() {
        let (plan, _) = fig24();
        let s = &plan.services[crate::model::testing::service(&plan, "registry")];
        let list = s.list_index(plan.node_by_uid("n5").unwrap()).unwrap();
        let number = |now: &Serving| now.server.map(|x| s.servers[x].number);
        let now = serving(&plan, s, list, &none());
        assert_eq!((number(&now), now.entry, now.down.len()), (Some(5), Some(0), 0));
        // Node 5 failed is no client: nothing serves it.
        let now = serving(&plan, s, list, &set(&["n5", "n9"]));
        assert_eq!(
            (number(&now), now.entry, now.down.len(), now.failed_client),
            (None, None, 2, true)
        );
        // Node 8 (8 mod 3 = 2: 10.0.1.9, 10.0.1.3, 10.0.1.7 after 10.0.0.1): 5 and 9 failed, 3
        // serves it through its third entry.
        let list = s.list_index(plan.node_by_uid("n8").unwrap()).unwrap();
        let now = serving(&plan, s, list, &set(&["n5", "n9"]));
        assert_eq!((number(&now), now.entry, now.failed_client), (Some(3), Some(2), false));
    }

    /// Node "shared" is B's registry server 1 but online in A: for B's clients its badge is down,
    /// but the node is not drawn down (it serves A).
    #[test]
    fn a_server_online_in_another_cluster_is_down_in_its_badges_only() {
        let doc = clusterplan_engine::document::read(include_str!(
            "../../examples/two-clusters-shared-node.json"
        ))
        .unwrap();
        let plan = compile(&doc, Strategy::Rotation);
        let registry_b = ServiceKey::new("B", "registry");
        let overlay = canvas_overlay(&plan, &doc, Some("b4"), Some(&registry_b), &none());
        assert!(!overlay.is_down("shared"));
        let shared = &overlay.badges_of("shared")[0];
        assert_eq!((shared.rank, shared.down, shared.serving), (1, true, false));
        let b2 = &overlay.badges_of("b2")[0];
        assert_eq!((b2.rank, b2.down, b2.serving), (2, false, true));
        assert_eq!(overlay.path_nodes, set(&["b4", "b2"]));
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
