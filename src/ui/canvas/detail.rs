//! Level of detail (`docs/editor.md`, "Large models"): given the view, the canvas's size and the
//! scene, what the canvas draws and how. Zoomed out on a large model each subnet is one block
//! (its node count, the load heat of the shown service); nodes appear once few enough of them are
//! on the screen; texts only from the zoom where they are readable; items outside the screen
//! (and a margin) are not drawn at all. Pure, natively tested.

use super::scene::{LinkEnd, Scene};
use super::viewport::Viewport;
use crate::model::layout::{Layout, Rect};

/// At most this many nodes on the screen are drawn as nodes; with more, subnets are blocks.
pub const NODE_BUDGET: usize = 300;
/// Cluster chips, and on a large model node and router names, from this zoom up (12 px text is
/// 5 px there; less is a smear).
pub const NAME_ZOOM: f64 = 0.45;
/// Addresses on links from this zoom up (fewer texts to paint on large models).
pub const LINK_LABEL_ZOOM: f64 = 0.9;
/// At the blocks level, the routers' links from this zoom up; further out they are a mesh of a
/// thousand lines that nobody can follow (and most of a frame's painting), so only those of
/// marked routers (on the hop path, selected) are drawn.
pub const ROUTER_LINK_ZOOM: f64 = 0.125;
/// A block's label (its prefix and node count) is drawn when the block is at least this wide
/// on the screen (pixels).
pub const BLOCK_LABEL_PX: f64 = 90.0;

/// How the nodes are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Each node is drawn (with the subnets' bars and every link).
    #[default]
    Nodes,
    /// Each subnet is a block holding its nodes; only the nodes something marks (selected,
    /// rank badges, down, on the hop path, a review or simulation mark) are drawn over it, and of
    /// the links only the routers' and theirs.
    Blocks,
}

/// What the canvas draws at a view: the level, the part of the diagram, which texts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detail {
    pub level: Level,
    /// Only items touching this rectangle (diagram coordinates) are drawn; `None`: all of them
    /// (a small model). It is the screen grown to whole tiles and one tile more each way, so a
    /// pan or a zoom step that stays inside it draws nothing new.
    pub cull: Option<Rect>,
    /// Node and router names (always on a small model, as before levels of detail).
    pub names: bool,
    /// Cluster chips.
    pub chips: bool,
    /// The addresses on links.
    pub link_labels: bool,
    /// Every router's links (else only the marked routers').
    pub router_links: bool,
    /// The zoom rounded down to a power of two: block labels are sized by it (readable at
    /// every zoom, and unchanged by small zoom steps).
    pub scale: f64,
}

impl Detail {
    /// Everything at full detail (a layer that draws only the items being dragged).
    pub fn full() -> Detail {
        Detail {
            level: Level::Nodes,
            cull: None,
            names: true,
            chips: true,
            link_labels: true,
            router_links: true,
            scale: 1.0,
        }
    }

    /// Whether a block `w` diagram units wide gets its label.
    pub fn block_label(&self, w: f64) -> bool {
        w * self.scale >= BLOCK_LABEL_PX
    }

    /// Whether an item in `r` is drawn (touches the culling rectangle).
    pub fn shows(&self, r: &Rect) -> bool {
        self.cull.is_none_or(|c| c.intersects(r))
    }
}

/// Whether a scene is small enough to draw whole at any zoom.
pub fn is_small(scene: &Scene) -> bool {
    scene.nodes.len() <= NODE_BUDGET && scene.links.len() <= 4 * NODE_BUDGET
}

/// The detail for `view` on a `width` x `height` canvas.
pub fn choose(scene: &Scene, view: Viewport, width: f64, height: f64) -> Detail {
    let zoom = view.zoom;
    let chips = zoom >= NAME_ZOOM;
    let link_labels = zoom >= LINK_LABEL_ZOOM;
    let scale = 2f64.powf(zoom.log2().floor());
    if is_small(scene) {
        let (names, router_links) = (true, true);
        return Detail {
            level: Level::Nodes,
            cull: None,
            names,
            chips,
            link_labels,
            router_links,
            scale,
        };
    }
    let a = view.to_world(0.0, 0.0);
    let b = view.to_world(width, height);
    let screen = Rect { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
    let on_screen =
        scene.nodes.iter().filter(|n| screen.intersects(&Layout::node_rect(n.pos))).count();
    let level = if on_screen > NODE_BUDGET { Level::Blocks } else { Level::Nodes };
    // Nothing lies outside the diagram: a view holding all of it (fitted) culls nothing and
    // stays the same while it moves around it.
    let cull = cull_rect(screen);
    let cull = scene.bounds().map_or(cull, |b| cull.intersection(&b).unwrap_or(cull));
    let router_links = level == Level::Nodes || zoom >= ROUTER_LINK_ZOOM;
    let names = chips;
    Detail { level, cull: Some(cull), names, chips, link_labels, router_links, scale }
}

/// The screen grown to whole tiles and one tile more on each side; a tile is about an eighth of
/// the screen's longer side (a power of two, so the tiling is the same for nearby zooms).
pub fn cull_rect(screen: Rect) -> Rect {
    let tile = 2f64.powf((screen.w.max(screen.h).max(1.0) / 8.0).log2().floor());
    let x0 = (screen.x / tile).floor() * tile - tile;
    let y0 = (screen.y / tile).floor() * tile - tile;
    let x1 = ((screen.x + screen.w) / tile).ceil() * tile + tile;
    let y1 = ((screen.y + screen.h) / tile).ceil() * tile + tile;
    Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

/// The items drawn at a [`Detail`] (indices into the scene's vectors, in drawing order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visible {
    pub level: Level,
    /// Subnets: their bars (nodes level) or their blocks (blocks level).
    pub subnets: Vec<usize>,
    pub links: Vec<usize>,
    pub routers: Vec<usize>,
    /// Sorted.
    pub nodes: Vec<usize>,
}

/// What is drawn at `detail`; `pinned` says which nodes are drawn over the blocks and
/// `marked` which routers keep their links when the others' are left out (those something
/// marks).
pub fn visible(
    scene: &Scene,
    detail: &Detail,
    pinned: &dyn Fn(usize) -> bool,
    marked: &dyn Fn(usize) -> bool,
) -> Visible {
    let blocks = detail.level == Level::Blocks;
    let subnets = (0..scene.subnets.len())
        .filter(|&i| {
            detail.shows(&if blocks {
                scene.blocks[i].rect
            } else {
                Layout::subnet_rect(scene.subnets[i].bar)
            })
        })
        .collect();
    let routers = (0..scene.routers.len())
        .filter(|&i| detail.shows(&Layout::router_rect(scene.routers[i].pos)))
        .collect();
    let nodes: Vec<usize> = (0..scene.nodes.len())
        .filter(|&i| (!blocks || pinned(i)) && detail.shows(&Layout::node_rect(scene.nodes[i].pos)))
        .collect();
    let same = |_: &crate::model::edit::ItemRef, p| p;
    let links = (0..scene.links.len())
        .filter(|&i| {
            let link = &scene.links[i];
            let drawn = match (blocks, &link.end) {
                (false, _) => true,
                (true, LinkEnd::Node { node, .. }) => nodes.binary_search(node).is_ok(),
                (true, LinkEnd::Router(r)) => detail.router_links || marked(*r),
            };
            if !drawn {
                return false;
            }
            detail.cull.is_none_or(|c| {
                let (a, b) = scene.link_points(link, &same);
                c.intersects(&Rect::from_corners(a, b))
            })
        })
        .collect();
    Visible { level: detail.level, subnets, links, routers, nodes }
}

impl Visible {
    /// Everything in the scene, as nodes.
    pub fn all(scene: &Scene) -> Visible {
        Visible {
            level: Level::Nodes,
            subnets: (0..scene.subnets.len()).collect(),
            links: (0..scene.links.len()).collect(),
            routers: (0..scene.routers.len()).collect(),
            nodes: (0..scene.nodes.len()).collect(),
        }
    }

    /// Only `items` and the links among them (a layer drawing the items being dragged).
    pub fn only(
        scene: &Scene,
        items: &std::collections::HashSet<crate::model::edit::ItemRef>,
    ) -> Visible {
        use crate::model::edit::ItemRef;
        if items.is_empty() {
            return Visible::default();
        }
        let pick = |n: usize, item: &dyn Fn(usize) -> ItemRef| -> Vec<usize> {
            (0..n).filter(|&i| items.contains(&item(i))).collect()
        };
        Visible {
            level: Level::Nodes,
            subnets: pick(scene.subnets.len(), &|i| {
                ItemRef::Subnet(scene.subnets[i].prefix.clone())
            }),
            links: pick(scene.links.len(), &|i| scene.links[i].item(scene)),
            routers: pick(scene.routers.len(), &|i| ItemRef::Router(scene.routers[i].name.clone())),
            nodes: pick(scene.nodes.len(), &|i| ItemRef::Node(scene.nodes[i].uid.clone())),
        }
    }

    /// The first item drawn that the keyboard reaches (subnets, routers, nodes).
    pub fn first_item(&self, scene: &Scene) -> Option<crate::model::edit::ItemRef> {
        use crate::model::edit::ItemRef;
        let subnet =
            self.subnets.first().map(|&i| ItemRef::Subnet(scene.subnets[i].prefix.clone()));
        let router =
            || self.routers.first().map(|&i| ItemRef::Router(scene.routers[i].name.clone()));
        let node = || self.nodes.first().map(|&i| ItemRef::Node(scene.nodes[i].uid.clone()));
        subnet.or_else(router).or_else(node)
    }

    /// Whether `item` (a node, router or subnet) is drawn, so the keyboard can focus it.
    pub fn draws(&self, scene: &Scene, item: &crate::model::edit::ItemRef) -> bool {
        use crate::model::edit::ItemRef;
        match item {
            ItemRef::Node(uid) => self.nodes.iter().any(|&i| &scene.nodes[i].uid == uid),
            ItemRef::Router(name) => self.routers.iter().any(|&i| &scene.routers[i].name == name),
            ItemRef::Subnet(prefix) => {
                self.subnets.iter().any(|&i| &scene.subnets[i].prefix == prefix)
            }
            _ => false,
        }
    }
}

/// How loaded a block's servers are for the shown service, as a colour class: the busiest
/// server's load over the ideal (clients / servers up, `docs/spec.md` §4, "Balance").
pub fn heat_class(ratio: f64) -> &'static str {
    match ratio {
        r if r < 0.5 => "heat-0",
        r if r < 0.9 => "heat-1",
        r if r <= 1.1 => "heat-2",
        r if r <= 1.5 => "heat-3",
        _ => "heat-4",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::examples;
    use crate::model::layout::Pt;

    fn data_centre() -> Scene {
        Scene::build(&examples::data_centre(1000))
    }

    const W: f64 = 1000.0;
    const H: f64 = 700.0;

    fn fitted(scene: &Scene) -> Viewport {
        Viewport::fit(scene.bounds().unwrap(), W, H)
    }

    #[test]
    fn a_small_model_is_drawn_whole_at_every_zoom() {
        let scene = Scene::build(&examples::FIG24.document());
        for zoom in [0.05, 0.3, 1.0, 3.0] {
            let d = choose(&scene, Viewport { zoom, x: 0.0, y: 0.0 }, W, H);
            assert_eq!((d.level, d.cull), (Level::Nodes, None), "at {zoom}");
            assert_eq!(visible(&scene, &d, &|_| false, &|_| false), Visible::all(&scene));
        }
        let d = choose(&scene, Viewport { zoom: 0.3, x: 0.0, y: 0.0 }, W, H);
        assert!(d.names && !d.chips && !d.link_labels);
        let d = choose(&scene, Viewport { zoom: 1.0, x: 0.0, y: 0.0 }, W, H);
        assert!(d.names && d.chips && d.link_labels);
    }

    #[test]
    fn zoomed_out_a_large_model_is_blocks_with_only_marked_nodes_over_them() {
        let scene = data_centre();
        let d = choose(&scene, fitted(&scene), W, H);
        assert_eq!(d.level, Level::Blocks);
        // Fitted, the culling rectangle is the diagram: a pan around it redraws nothing.
        assert_eq!(d.cull, scene.bounds());
        assert_eq!(choose(&scene, fitted(&scene).panned(13.0, -7.0), W, H), d);
        let plain = visible(&scene, &d, &|_| false, &|_| false);
        assert_eq!(plain.subnets.len(), 100, "every block is on the screen");
        assert!(plain.nodes.is_empty());
        // Too far out to follow the routers' links: none, but a marked router's (the hop path).
        assert!(plain.links.is_empty());
        assert_eq!(plain.routers.len(), 20);
        let path = visible(&scene, &d, &|_| false, &|r| r == 2);
        assert!(!path.links.is_empty());
        assert!(path.links.iter().all(|&l| scene.links[l].end == LinkEnd::Router(2)));
        // Closer, still blocks: every router's links on the screen.
        let closer = choose(&scene, Viewport { zoom: 0.15, ..fitted(&scene) }, W, H);
        assert_eq!(closer.level, Level::Blocks);
        let v = visible(&scene, &closer, &|_| false, &|_| false);
        assert!(v.links.iter().all(|&l| matches!(scene.links[l].end, LinkEnd::Router(_))));
        assert!(!v.links.is_empty());
        // Each block holds its subnet's bar and its ten nodes.
        let b = &scene.blocks[0];
        assert_eq!(b.nodes.len(), 10);
        assert!(b.rect.contains(Pt::new(scene.subnets[0].bar.x, scene.subnets[0].bar.y)));
        for &n in &b.nodes {
            let r = Layout::node_rect(scene.nodes[n].pos);
            assert!(
                b.rect.contains(Pt::new(r.x, r.y))
                    && b.rect.contains(Pt::new(r.x + r.w, r.y + r.h))
            );
        }
        // A marked node (selected, badged, down) is drawn over its block, with its link.
        let marked = visible(&scene, &d, &|i| i == 7, &|_| false);
        assert_eq!(marked.nodes, [7]);
        assert!(marked
            .links
            .iter()
            .any(|&l| matches!(scene.links[l].end, LinkEnd::Node { node: 7, .. })));
        assert!(
            marked.draws(&scene, &crate::model::edit::ItemRef::Node(scene.nodes[7].uid.clone()))
        );
        // Block labels only when a block is wide enough on the screen to read them.
        assert!(!d.block_label(b.rect.w) || b.rect.w * d.scale >= BLOCK_LABEL_PX);
    }

    #[test]
    fn zoomed_in_nodes_are_drawn_and_what_is_off_the_screen_is_not() {
        let scene = data_centre();
        let n = &scene.nodes[500];
        let view = Viewport::centred_on(Layout::node_rect(n.pos), W, H, 1.0);
        let d = choose(&scene, view, W, H);
        assert_eq!(d.level, Level::Nodes);
        assert!(d.names && d.link_labels);
        let v = visible(&scene, &d, &|_| false, &|_| false);
        assert!(v.nodes.contains(&500));
        assert!(v.nodes.len() < 100, "{} nodes drawn", v.nodes.len());
        let cull = d.cull.unwrap();
        // Everything on the screen is drawn; nothing drawn is outside the culling rectangle.
        let (a, b) = (view.to_world(0.0, 0.0), view.to_world(W, H));
        let screen = Rect { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
        for (i, node) in scene.nodes.iter().enumerate() {
            let r = Layout::node_rect(node.pos);
            if screen.intersects(&r) {
                assert!(v.nodes.contains(&i), "node {i} on the screen is drawn");
            }
            if v.nodes.contains(&i) {
                assert!(cull.intersects(&r));
            }
        }
        // Each node on the screen comes with its links.
        for (l, link) in scene.links.iter().enumerate() {
            if let LinkEnd::Node { node, .. } = link.end {
                if screen.intersects(&Layout::node_rect(scene.nodes[node].pos)) {
                    assert!(v.links.contains(&l), "link {l} of node {node}");
                }
            }
        }
        // At a middle zoom the nodes come without names: too small to read.
        let mid = choose(&scene, Viewport { zoom: 0.35, ..view }, W, H);
        assert!(!mid.names && !mid.chips);
    }

    #[test]
    fn a_small_pan_or_zoom_step_keeps_what_is_drawn() {
        let scene = data_centre();
        let view = Viewport::centred_on(Layout::node_rect(scene.nodes[500].pos), W, H, 1.0);
        let d = choose(&scene, view, W, H);
        // A pan of a pixel at a time across 100 pixels (more than a tile here) changes what is
        // drawn only where an edge of the screen crosses into another tile: a few times.
        let mut changes = 0;
        let mut last = d;
        for k in 1..=100 {
            let now = choose(&scene, view.panned(-(k as f64), 0.0), W, H);
            changes += usize::from(now != last);
            last = now;
        }
        assert!((1..=4).contains(&changes), "{changes} changes");
        // A zoom step of 5 % keeps the texts and, most of the time, the tiles.
        let zoomed = choose(&scene, view.zoom_at(1.05, 500.0, 350.0), W, H);
        assert_eq!(
            (zoomed.names, zoomed.link_labels, zoomed.scale),
            (d.names, d.link_labels, d.scale)
        );
        // The culling rectangle always holds what is on the screen of the diagram.
        let bounds = scene.bounds().unwrap();
        for k in 0..40 {
            let v = view.panned(-37.0 * k as f64, 23.0 * k as f64).zoom_at(1.05, 500.0, 350.0);
            let c = choose(&scene, v, W, H).cull.unwrap();
            let (a, b) = (v.to_world(0.0, 0.0), v.to_world(W, H));
            let screen = Rect { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
            if let Some(shown) = screen.intersection(&bounds) {
                let corner = Pt::new(shown.x + shown.w, shown.y + shown.h);
                assert!(c.contains(Pt::new(shown.x, shown.y)) && c.contains(corner), "{c:?}");
            }
            // And is not much larger (at most about 1.5 times each way).
            assert!(c.w <= 1.6 * (b.x - a.x) + 1.0 && c.h <= 2.2 * (b.y - a.y) + 1.0, "{c:?}");
        }
    }

    #[test]
    fn at_blocks_a_press_hits_the_block_or_a_drawn_node() {
        let scene = data_centre();
        let n = &scene.nodes[3];
        let centre = super::super::scene::node_centre(n.pos);
        let home = scene.home[3].unwrap();
        let subnet = crate::model::edit::ItemRef::Subnet(scene.subnets[home].prefix.clone());
        use super::super::scene::Hit;
        use crate::model::edit::ItemRef;
        assert_eq!(scene.hit_blocks(centre, 20.0, &[]), Some(Hit::Item(subnet.clone())));
        assert_eq!(
            scene.hit_blocks(centre, 20.0, &[3]),
            Some(Hit::Item(ItemRef::Node(n.uid.clone())))
        );
        assert_eq!(scene.hit(centre, 20.0), Some(Hit::Item(ItemRef::Node(n.uid.clone()))));
        // The block's drag moves the subnet and its nodes.
        let items = scene.block_items(home);
        assert_eq!(items[0], subnet);
        assert_eq!(items.len(), 11);
    }

    #[test]
    fn heat_runs_from_idle_to_overloaded() {
        assert_eq!(heat_class(0.0), "heat-0");
        assert_eq!(heat_class(0.7), "heat-1");
        assert_eq!(heat_class(1.0), "heat-2");
        assert_eq!(heat_class(1.3), "heat-3");
        assert_eq!(heat_class(4.0), "heat-4");
    }
}
