//! What the canvas draws, computed from the document: shapes with positions and colours, the
//! links between them, hit-testing and box selection. Pure, natively tested.

use crate::model::edit::ItemRef;
use crate::model::layout::{Bar, Layout, Pt, Rect, NODE_H, NODE_W, ROUTER_R, SUBNET_H};
use clusterplan_engine::query::SubnetIndex;
use clusterplan_engine::sorting;
use clusterplan_engine::{Diagnostic, Document, Severity};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The colour of a name the document does not define. Clusters and networks are coloured by
/// their position in the document, with generated colours that never repeat (see
/// [`crate::model::theme`]: CSS custom properties set per theme).
pub const UNKNOWN_COLOUR: &str = "#9ca3af";

/// A cluster membership drawn on a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    pub cluster: String,
    pub number: u32,
    /// The node is online in this cluster.
    pub online: bool,
    /// The cluster's colour (a CSS value) and the text colour on a chip filled with it.
    pub colour: String,
    pub ink: String,
    /// Position in the cluster's registry server list (0 = primary), if a registry server.
    pub registry: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeShape {
    pub uid: String,
    pub name: String,
    pub pos: Pt,
    pub chips: Vec<Chip>,
    /// The services (cluster id, name) published at one of its addresses.
    pub serves: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SubnetShape {
    pub prefix: String,
    /// The prefix as the plan writes it (host bits cleared: `10.0.1.5/24` is `10.0.1.0/24`),
    /// which the overlay's load heat is keyed by.
    pub key: String,
    pub network: String,
    /// The network's colour (a CSS value).
    pub colour: String,
    pub bar: Bar,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouterShape {
    pub name: String,
    pub pos: Pt,
}

/// What a link joins a subnet to.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkEnd {
    /// A node's interface (index into [`Scene::nodes`]) and its address.
    Node { node: usize, address: String },
    /// Index into [`Scene::routers`].
    Router(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub end: LinkEnd,
    /// Index into [`Scene::subnets`].
    pub subnet: usize,
}

impl Link {
    pub fn item(&self, scene: &Scene) -> ItemRef {
        match &self.end {
            LinkEnd::Node { node, address } => {
                ItemRef::Interface { uid: scene.nodes[*node].uid.clone(), address: address.clone() }
            }
            LinkEnd::Router(r) => ItemRef::RouterLink {
                router: scene.routers[*r].name.clone(),
                subnet: scene.subnets[self.subnet].prefix.clone(),
            },
        }
    }

    /// The item at the link's other end (what moves it).
    pub fn owner(&self, scene: &Scene) -> ItemRef {
        match &self.end {
            LinkEnd::Node { node, .. } => ItemRef::Node(scene.nodes[*node].uid.clone()),
            LinkEnd::Router(r) => ItemRef::Router(scene.routers[*r].name.clone()),
        }
    }
}

/// A subnet with the nodes placed under it, as the drawing shows it zoomed out (see
/// [`super::detail`]): the rectangle holding its bar and those nodes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub rect: Rect,
    /// The nodes whose first interface is on the subnet (indices into [`Scene::nodes`]), the
    /// ones the automatic layout places under its bar.
    pub nodes: Vec<usize>,
}

/// The diagram of one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    pub nodes: Vec<Rc<NodeShape>>,
    pub subnets: Vec<Rc<SubnetShape>>,
    pub routers: Vec<Rc<RouterShape>>,
    pub links: Vec<Link>,
    /// One block per subnet (indexed like [`Scene::subnets`]).
    pub blocks: Vec<Block>,
    /// Each node's block: the subnet of its first interface (indexed like [`Scene::nodes`]).
    pub home: Vec<Option<usize>>,
    /// The rectangle holding every shape ([`Scene::bounds`]).
    extent: Option<Rect>,
    /// Cluster id -> its position in the document (its colour, [`crate::model::theme::cluster_var`]).
    pub cluster_colours: BTreeMap<String, usize>,
    /// Network name -> its position in the document ([`crate::model::theme::network_var`]).
    pub network_colours: BTreeMap<String, usize>,
}

/// What is under the pointer.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    Item(ItemRef),
    /// The link handle of a node or router (drag it to a subnet to attach).
    Port(ItemRef),
    /// The resize handle at the right end of a subnet's bar.
    Resize(String),
}

/// Centre of a node's box.
pub fn node_centre(p: Pt) -> Pt {
    Pt::new(p.x + NODE_W / 2.0, p.y + NODE_H / 2.0)
}

/// The link handle of a node: the middle of its top edge.
pub fn node_port(p: Pt) -> Pt {
    Pt::new(p.x + NODE_W / 2.0, p.y)
}

/// The link handle of a router: the top of its circle.
pub fn router_port(p: Pt) -> Pt {
    Pt::new(p.x, p.y - ROUTER_R)
}

/// Where a link from `from` meets a subnet's bar (the nearest point of its middle line).
pub fn attach_point(bar: &Bar, from: Pt) -> Pt {
    Pt::new(from.x.clamp(bar.x, bar.x + bar.w), bar.y + SUBNET_H / 2.0)
}

fn dist_to_segment(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (a.x + t * dx, a.y + t * dy);
    ((p.x - cx).powi(2) + (p.y - cy).powi(2)).sqrt()
}

impl Scene {
    pub fn build(doc: &Document) -> Scene {
        let layout = Layout::complete(doc);
        let cluster_colours: BTreeMap<String, usize> =
            sorting::btree_map(doc.clusters.iter().enumerate().map(|(i, c)| (c.id.clone(), i)));
        let network_colours: BTreeMap<String, usize> =
            sorting::btree_map(doc.networks.iter().enumerate().map(|(i, n)| (n.name.clone(), i)));
        let mut served: HashMap<&str, Vec<(String, String)>> = HashMap::new();
        for s in &doc.services {
            for a in &s.addresses {
                let list = served.entry(a.as_str()).or_default();
                let key = (s.cluster.clone(), s.name.clone());
                if !list.contains(&key) {
                    list.push(key);
                }
            }
        }
        let registry: HashMap<(&str, u32), usize> = doc
            .clusters
            .iter()
            .flat_map(|c| {
                c.registry_servers.iter().enumerate().map(move |(i, n)| ((c.id.as_str(), *n), i))
            })
            .collect();
        let subnets: Vec<Rc<SubnetShape>> = doc
            .subnets
            .iter()
            .map(|s| {
                Rc::new(SubnetShape {
                    prefix: s.prefix.clone(),
                    key: clusterplan_engine::query::prefix_key(&s.prefix),
                    network: s.network.clone(),
                    colour: network_colours
                        .get(&s.network)
                        .map_or(UNKNOWN_COLOUR.to_owned(), |&i| {
                            crate::model::theme::network_var(i)
                        }),
                    bar: layout.subnets.get(&s.prefix).copied().unwrap_or_default(),
                })
            })
            .collect();
        // Which subnet an interface or a router attachment is on, as the engine maps them.
        let index = SubnetIndex::new(doc);
        let mut links = Vec::new();
        let nodes: Vec<Rc<NodeShape>> = doc
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                for a in &n.addresses {
                    if let Some(s) = index.subnet_of(a) {
                        links.push(Link {
                            end: LinkEnd::Node { node: i, address: a.clone() },
                            subnet: s,
                        });
                    }
                }
                let mut serves: Vec<(String, String)> = Vec::new();
                for a in &n.addresses {
                    for s in served.get(a.as_str()).into_iter().flatten() {
                        if !serves.contains(s) {
                            serves.push(s.clone());
                        }
                    }
                }
                Rc::new(NodeShape {
                    uid: n.uid.clone(),
                    name: n.name.clone(),
                    pos: layout.nodes.get(&n.uid).copied().unwrap_or_default(),
                    chips: n
                        .clusters
                        .iter()
                        .map(|(c, number)| Chip {
                            cluster: c.clone(),
                            number: *number,
                            online: n.online.as_deref() == Some(c.as_str()),
                            colour: cluster_colours
                                .get(c)
                                .map_or(UNKNOWN_COLOUR.to_owned(), |&i| {
                                    crate::model::theme::cluster_var(i)
                                }),
                            ink: cluster_colours
                                .get(c)
                                .map_or("#fff".to_owned(), |&i| format!("var(--cluster-ink-{i})")),
                            registry: registry.get(&(c.as_str(), *number)).copied(),
                        })
                        .collect(),
                    serves,
                })
            })
            .collect();
        let routers: Vec<Rc<RouterShape>> = doc
            .routers
            .iter()
            .enumerate()
            .map(|(i, r)| {
                for p in &r.subnets {
                    if let Some(s) = index.subnet_named(p) {
                        links.push(Link { end: LinkEnd::Router(i), subnet: s });
                    }
                }
                Rc::new(RouterShape {
                    name: r.name.clone(),
                    pos: layout.routers.get(&r.name).copied().unwrap_or_default(),
                })
            })
            .collect();
        Scene::assemble(nodes, subnets, routers, links, cluster_colours, network_colours)
    }

    /// The scene of `doc`, built from `previous` (the scene of `before`) when the two
    /// documents differ only in what the compile does not read (positions, the description,
    /// the scenario; `crate::ui::compile::same_compile_inputs`): the shapes are kept and only the
    /// positions read again, so a move in a large model does not rebuild every shape. Equal to
    /// [`Scene::build`] of `doc` either way.
    pub fn next(previous: Option<(&Document, &Scene)>, doc: &Document) -> Scene {
        match previous {
            Some((before, scene)) if crate::ui::compile::same_compile_inputs(before, doc) => {
                scene.moved(doc)
            }
            _ => Scene::build(doc),
        }
    }

    /// This scene with the positions of `doc`'s layout (its items unchanged).
    fn moved(&self, doc: &Document) -> Scene {
        let layout = Layout::complete(doc);
        let nodes = placed(
            &self.nodes,
            |n| n.pos,
            |n| layout.nodes.get(&n.uid).copied(),
            |n, pos| NodeShape { pos, ..n.clone() },
        );
        let subnets = placed(
            &self.subnets,
            |s| s.bar,
            |s| layout.subnets.get(&s.prefix).copied(),
            |s, bar| SubnetShape { bar, ..s.clone() },
        );
        let routers = placed(
            &self.routers,
            |r| r.pos,
            |r| layout.routers.get(&r.name).copied(),
            |r, pos| RouterShape { pos, ..r.clone() },
        );
        Scene::assemble(
            nodes,
            subnets,
            routers,
            self.links.clone(),
            self.cluster_colours.clone(),
            self.network_colours.clone(),
        )
    }

    /// The scene of these shapes: their blocks and extent worked out.
    fn assemble(
        nodes: Vec<Rc<NodeShape>>,
        subnets: Vec<Rc<SubnetShape>>,
        routers: Vec<Rc<RouterShape>>,
        links: Vec<Link>,
        cluster_colours: BTreeMap<String, usize>,
        network_colours: BTreeMap<String, usize>,
    ) -> Scene {
        let (blocks, home) = blocks(&nodes, &subnets, &links);
        let extent = nodes
            .iter()
            .map(|n| Layout::node_rect(n.pos))
            .chain(routers.iter().map(|r| Layout::router_rect(r.pos)))
            .chain(subnets.iter().map(|s| Layout::subnet_rect(s.bar)))
            .reduce(|a, b| a.union(&b));
        Scene {
            nodes,
            subnets,
            routers,
            links,
            blocks,
            home,
            extent,
            cluster_colours,
            network_colours,
        }
    }

    /// The items a drag of the block of `subnet` moves: the subnet and the nodes placed under
    /// it.
    pub fn block_items(&self, subnet: usize) -> Vec<ItemRef> {
        let Some(s) = self.subnets.get(subnet) else { return Vec::new() };
        std::iter::once(ItemRef::Subnet(s.prefix.clone()))
            .chain(
                self.blocks[subnet].nodes.iter().map(|&n| ItemRef::Node(self.nodes[n].uid.clone())),
            )
            .collect()
    }

    /// The end points of a link, with the given position offset applied to moved items.
    pub fn link_points(&self, link: &Link, shift: &dyn Fn(&ItemRef, Pt) -> Pt) -> (Pt, Pt) {
        let s = &self.subnets[link.subnet];
        let bar_pos = shift(&ItemRef::Subnet(s.prefix.clone()), Pt::new(s.bar.x, s.bar.y));
        let bar = Bar { x: bar_pos.x, y: bar_pos.y, w: s.bar.w };
        let from = match &link.end {
            LinkEnd::Node { node, .. } => {
                let n = &self.nodes[*node];
                node_centre(shift(&ItemRef::Node(n.uid.clone()), n.pos))
            }
            LinkEnd::Router(r) => {
                let r = &self.routers[*r];
                shift(&ItemRef::Router(r.name.clone()), r.pos)
            }
        };
        (from, attach_point(&bar, from))
    }

    /// What is at `p` (diagram coordinates); `tolerance` is in diagram units. Topmost first:
    /// ports, nodes, routers, subnets, links.
    pub fn hit(&self, p: Pt, tolerance: f64) -> Option<Hit> {
        self.hit_where(p, tolerance, None)
    }

    /// What is at `p` when the drawing shows blocks ([`super::detail::Level::Blocks`]): only
    /// the nodes drawn over them (`drawn`, sorted indices) are hit, a block is its subnet, and
    /// of the links only those drawn (routers' and the drawn nodes').
    pub fn hit_blocks(&self, p: Pt, tolerance: f64, drawn: &[usize]) -> Option<Hit> {
        self.hit_where(p, tolerance, Some(drawn))
    }

    fn hit_where(&self, p: Pt, tolerance: f64, blocks: Option<&[usize]>) -> Option<Hit> {
        let near = |a: Pt, r: f64| ((p.x - a.x).powi(2) + (p.y - a.y).powi(2)).sqrt() <= r;
        let drawn = |n: usize| blocks.is_none_or(|d| d.binary_search(&n).is_ok());
        // Handles never grow to cover most of their item when zoomed far out.
        let port_r = (6.0 + tolerance).min(NODE_H / 3.0);
        for (i, n) in self.nodes.iter().enumerate().rev() {
            if !drawn(i) {
                continue;
            }
            if near(node_port(n.pos), port_r) {
                return Some(Hit::Port(ItemRef::Node(n.uid.clone())));
            }
            if Layout::node_rect(n.pos).contains(p) {
                return Some(Hit::Item(ItemRef::Node(n.uid.clone())));
            }
        }
        for r in self.routers.iter().rev() {
            if near(router_port(r.pos), (6.0 + tolerance).min(ROUTER_R / 2.0)) {
                return Some(Hit::Port(ItemRef::Router(r.name.clone())));
            }
            if near(r.pos, ROUTER_R + tolerance) {
                return Some(Hit::Item(ItemRef::Router(r.name.clone())));
            }
        }
        let grow = |r: Rect| Rect {
            x: r.x - tolerance,
            y: r.y - tolerance,
            w: r.w + 2.0 * tolerance,
            h: r.h + 2.0 * tolerance,
        };
        if blocks.is_some() {
            // A block is drawn over its subnet's bar: the whole block is the subnet.
            if let Some(i) = self.blocks.iter().rposition(|b| grow(b.rect).contains(p)) {
                return Some(Hit::Item(ItemRef::Subnet(self.subnets[i].prefix.clone())));
            }
        }
        for s in self.subnets.iter().rev() {
            let b = s.bar;
            if blocks.is_none()
                && near(Pt::new(b.x + b.w, b.y + SUBNET_H / 2.0), (6.0 + tolerance).min(b.w / 8.0))
            {
                return Some(Hit::Resize(s.prefix.clone()));
            }
            if grow(Layout::subnet_rect(b)).contains(p) {
                return Some(Hit::Item(ItemRef::Subnet(s.prefix.clone())));
            }
        }
        let same = |_: &ItemRef, q: Pt| q;
        for link in &self.links {
            if let LinkEnd::Node { node, .. } = link.end {
                if !drawn(node) {
                    continue;
                }
            }
            let (a, b) = self.link_points(link, &same);
            if dist_to_segment(p, a, b) <= 3.0 + tolerance {
                return Some(Hit::Item(link.item(self)));
            }
        }
        None
    }

    /// The subnet whose bar is at `p` (where a link is dropped).
    pub fn subnet_at(&self, p: Pt, tolerance: f64) -> Option<&SubnetShape> {
        self.subnets.iter().rev().map(|s| s.as_ref()).find(|s| {
            let r = Layout::subnet_rect(s.bar);
            Rect {
                x: r.x - tolerance,
                y: r.y - tolerance,
                w: r.w + 2.0 * tolerance,
                h: r.h + 2.0 * tolerance,
            }
            .contains(p)
        })
    }

    /// The items a selection box touches (any part of them inside it), as a box selection takes
    /// them.
    pub fn touching(&self, rect: Rect) -> Vec<ItemRef> {
        let subnets = self
            .subnets
            .iter()
            .filter(|s| rect.intersects(&Layout::subnet_rect(s.bar)))
            .map(|s| ItemRef::Subnet(s.prefix.clone()));
        let routers = self
            .routers
            .iter()
            .filter(|r| rect.intersects(&Layout::router_rect(r.pos)))
            .map(|r| ItemRef::Router(r.name.clone()));
        let nodes = self
            .nodes
            .iter()
            .filter(|n| rect.intersects(&Layout::node_rect(n.pos)))
            .map(|n| ItemRef::Node(n.uid.clone()));
        subnets.chain(routers).chain(nodes).collect()
    }

    /// The rectangle holding every shape; `None` for an empty diagram.
    pub fn bounds(&self) -> Option<Rect> {
        self.extent
    }
}

/// `shapes` each at the position `stored` gives it (the default where it gives none, as
/// [`Scene::build`] places them): a shape whose position did not change is kept as it is.
fn placed<T: Clone, P: PartialEq + Default>(
    shapes: &[Rc<T>],
    current: impl Fn(&T) -> P,
    stored: impl Fn(&T) -> Option<P>,
    at: impl Fn(&T, P) -> T,
) -> Vec<Rc<T>> {
    shapes
        .iter()
        .map(|shape| match stored(shape).unwrap_or_default() {
            p if p == current(shape) => shape.clone(),
            p => Rc::new(at(shape, p)),
        })
        .collect()
}

/// Each subnet's block and each node's home subnet (the subnet of its first link, the one the
/// automatic layout places it under).
fn blocks(
    nodes: &[Rc<NodeShape>],
    subnets: &[Rc<SubnetShape>],
    links: &[Link],
) -> (Vec<Block>, Vec<Option<usize>>) {
    let mut home = vec![None; nodes.len()];
    for link in links {
        if let LinkEnd::Node { node, .. } = link.end {
            home[node].get_or_insert(link.subnet);
        }
    }
    let mut blocks: Vec<Block> = subnets
        .iter()
        .map(|s| Block { rect: Layout::subnet_rect(s.bar), nodes: Vec::new() })
        .collect();
    for (i, h) in home.iter().enumerate() {
        if let Some(s) = *h {
            let b = &mut blocks[s];
            b.rect = b.rect.union(&Layout::node_rect(nodes[i].pos));
            b.nodes.push(i);
        }
    }
    (blocks, home)
}

/// The diagnostics about one item: its worst severity and the messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub severity: Severity,
    pub messages: Vec<String>,
}

impl Mark {
    pub fn class(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Lint => "lint",
        }
    }
}

/// Diagnostics by the item they name (an address names its node).
pub fn marks(diagnostics: &[Diagnostic]) -> HashMap<ItemRef, Rc<Mark>> {
    let mut out: HashMap<ItemRef, Mark> = HashMap::new();
    for d in diagnostics {
        let Some(item) = ItemRef::from_item(&d.item) else { continue };
        let mark = out.entry(item).or_insert(Mark { severity: d.severity, messages: Vec::new() });
        mark.severity = mark.severity.min(d.severity);
        mark.messages.push(format!("{}: {}", d.severity, d.message));
    }
    out.into_iter().map(|(k, v)| (k, Rc::new(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::examples;
    use clusterplan_engine::Item;

    #[test]
    fn a_scene_built_from_the_last_one_equals_one_built_afresh() {
        use crate::model::edit::{apply, EditAction};
        for example in [&examples::FIG24, &examples::DATA_CENTRE] {
            let mut doc = example.document();
            let mut scene = Scene::build(&doc);
            let node = |i: usize| ItemRef::Node(doc.nodes[i % doc.nodes.len()].uid.clone());
            let edits = [
                EditAction::Move { items: vec![node(0)], dx: 33.0, dy: -7.5, snap: false },
                EditAction::Move {
                    items: vec![node(3), ItemRef::Subnet(doc.subnets[0].prefix.clone())],
                    dx: -120.0,
                    dy: 40.0,
                    snap: true,
                },
                EditAction::Move {
                    items: vec![ItemRef::Router(doc.routers[0].name.clone())],
                    dx: 5.0,
                    dy: 5.0,
                    snap: false,
                },
                // Not a move: the shapes change, the scene is built again.
                EditAction::SetNodeName { uid: doc.nodes[1].uid.clone(), name: "renamed".into() },
                EditAction::AutoLayout,
            ];
            for edit in edits {
                let next = apply(&doc, &edit).expect("the edit applies").doc;
                let from_last = Scene::next(Some((&doc, &scene)), &next);
                assert_eq!(from_last, Scene::build(&next), "{} after {edit:?}", example.id);
                (doc, scene) = (next, from_last);
            }
        }
    }

    #[test]
    fn a_subnet_written_with_host_bits_gets_its_heat_and_hop_path() {
        // FIG 24 with its subnets written as an address in them (`10.0.0.7/24`): the engine
        // reads them with the host bits cleared, and so must the drawing's look-ups.
        let mut doc = examples::FIG24.document();
        for s in &mut doc.subnets {
            s.prefix = s.prefix.replace(".0/", ".7/");
        }
        let plan = clusterplan_engine::compile(&doc, clusterplan_engine::Strategy::Rotation);
        let scene = Scene::build(&doc);
        let overlay = crate::model::overlay::canvas_overlay(
            &plan,
            &doc,
            Some("n5"),
            None,
            &Default::default(),
        );
        assert!(scene.subnets.iter().all(|s| s.prefix.contains(".7/") && s.key.contains(".0/")));
        assert!(scene.subnets.iter().any(|s| overlay.heat.contains_key(&s.key)), "{overlay:?}");
        assert!(scene.subnets.iter().all(|s| !overlay.heat.contains_key(&s.prefix)));
        assert!(scene.subnets.iter().any(|s| overlay.path_subnets.contains(&s.key)));
    }

    #[test]
    fn the_fig24_scene_has_every_item_and_link() {
        let doc = examples::FIG24.document();
        let scene = Scene::build(&doc);
        assert_eq!((scene.nodes.len(), scene.subnets.len(), scene.routers.len()), (10, 3, 2));
        // One interface per node, two attachments per router.
        assert_eq!(scene.links.len(), 10 + 4);
        let n5 = scene.nodes.iter().find(|n| n.uid == "n5").unwrap();
        assert_eq!(n5.chips[0].registry, Some(0), "node 5 is the primary registry server");
        assert!(n5.chips[0].online);
        assert_eq!(n5.serves, [("A".to_owned(), "registry".to_owned())]);
    }

    #[test]
    fn a_router_subnet_with_host_bits_is_drawn_attached_as_the_engine_routes_it() {
        let mut doc = examples::FIG24.document();
        let prefix = doc.subnets[0].prefix.clone();
        let net: ipnet::IpNet = prefix.parse().unwrap();
        // The same subnet written with host bits set: the engine attaches the router to it.
        let written = format!("{}/{}", net.hosts().next().unwrap(), net.prefix_len());
        assert_ne!(written, prefix);
        doc.routers[0].subnets = vec![written];
        let scene = Scene::build(&doc);
        assert!(scene.links.iter().any(|l| matches!(l.end, LinkEnd::Router(0)) && l.subnet == 0));
        let plan = clusterplan_engine::compile(&doc, clusterplan_engine::Strategy::Rotation);
        assert_eq!(plan.hops.subnets_of(0), &[0]);
    }

    #[test]
    fn shared_node_shows_both_clusters_online_one_marked() {
        let scene = Scene::build(&examples::TWO_CLUSTERS.document());
        let shared = scene.nodes.iter().find(|n| n.uid == "shared").unwrap();
        let chips: Vec<(&str, u32, bool)> =
            shared.chips.iter().map(|c| (c.cluster.as_str(), c.number, c.online)).collect();
        assert_eq!(chips, [("A", 3, true), ("B", 1, false)]);
        assert_ne!(shared.chips[0].colour, shared.chips[1].colour);
    }

    #[test]
    fn hit_testing_finds_the_topmost_item() {
        let scene = Scene::build(&examples::FIG24.document());
        let n5 = scene.nodes.iter().find(|n| n.uid == "n5").unwrap();
        let inside = Pt::new(n5.pos.x + 10.0, n5.pos.y + 30.0);
        assert_eq!(scene.hit(inside, 0.0), Some(Hit::Item(ItemRef::Node("n5".into()))));
        assert_eq!(scene.hit(node_port(n5.pos), 0.0), Some(Hit::Port(ItemRef::Node("n5".into()))));
        // Zoomed far out (a large tolerance), the middle of a node is the node, not its handle.
        let middle = node_centre(n5.pos);
        assert_eq!(scene.hit(middle, 40.0), Some(Hit::Item(ItemRef::Node("n5".into()))));
        let s = &scene.subnets[0];
        assert_eq!(
            scene.hit(Pt::new(s.bar.x + 5.0, s.bar.y + 4.0), 0.0),
            Some(Hit::Item(ItemRef::Subnet(s.prefix.clone())))
        );
        assert_eq!(
            scene.hit(Pt::new(s.bar.x + s.bar.w, s.bar.y + 6.0), 0.0),
            Some(Hit::Resize(s.prefix.clone()))
        );
        assert_eq!(
            scene.subnet_at(Pt::new(s.bar.x + 5.0, s.bar.y), 0.0).map(|s| s.prefix.as_str()),
            Some("10.0.0.0/24")
        );
        assert_eq!(scene.hit(Pt::new(-5000.0, -5000.0), 0.0), None);
        let r1 = &scene.routers[0];
        assert_eq!(scene.hit(r1.pos, 0.0), Some(Hit::Item(ItemRef::Router("r1".into()))));
        assert_eq!(
            scene.hit(router_port(r1.pos), 0.0),
            Some(Hit::Port(ItemRef::Router("r1".into())))
        );
    }

    #[test]
    fn a_link_is_hit_between_its_ends() {
        let scene = Scene::build(&examples::FIG24.document());
        let link = scene.links.iter().find(|l| matches!(l.end, LinkEnd::Router(0))).unwrap();
        let (a, b) = scene.link_points(link, &|_, p| p);
        let mid = Pt::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        assert!(matches!(scene.hit(mid, 1.0), Some(Hit::Item(ItemRef::RouterLink { .. }))));
    }

    #[test]
    fn box_selection_takes_what_the_box_touches() {
        let scene = Scene::build(&examples::FIG24.document());
        let all = scene.touching(scene.bounds().unwrap());
        assert_eq!(all.len(), 15);
        let n5 = scene.nodes.iter().find(|n| n.uid == "n5").unwrap().pos;
        // A small box over the node's middle takes it (it need not hold the whole node).
        let part = scene.touching(Rect { x: n5.x + 20.0, y: n5.y + 10.0, w: 30.0, h: 20.0 });
        assert_eq!(part, [ItemRef::Node("n5".into())]);
        let nothing = scene.touching(Rect { x: -5000.0, y: -5000.0, w: 10.0, h: 10.0 });
        assert!(nothing.is_empty());
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        use super::super::draw::fit_label;
        assert_eq!(fit_label("node 5", 19), "node 5");
        assert_eq!(fit_label("abcdefghij", 5), "abcd…");
        assert_eq!(fit_label("ééééé", 5), "ééééé");
    }

    #[test]
    fn marks_keep_the_worst_severity_per_item() {
        let d = |severity, item| Diagnostic {
            severity,
            code: clusterplan_engine::diagnostics::DiagnosticCode::UnknownFormat,
            item,
            message: "m".into(),
        };
        let m = marks(&[
            d(Severity::Lint, Item::Node { uid: "a".into() }),
            d(
                Severity::Error,
                Item::Address { address: "10.0.0.1".into(), node: Some("a".into()) },
            ),
            d(Severity::Warning, Item::Document),
        ]);
        assert_eq!(m.len(), 1);
        let a = &m[&ItemRef::Node("a".into())];
        assert_eq!((a.severity, a.messages.len()), (Severity::Error, 2));
    }
}
