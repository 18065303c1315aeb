//! The canvas by keyboard (`docs/editor.md`, "The canvas by keyboard"): where each drawn item
//! is, the item the view goes to for a selection, which item an arrow key moves the keyboard focus
//! to, and the name a screen reader announces for each item. Pure, natively tested.

use super::scene::{NodeShape, Scene};
use crate::model::edit::ItemRef;
use crate::model::layout::{Layout, Rect};

/// An arrow key's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

impl Direction {
    /// The direction of a `KeyboardEvent.key`, if it is an arrow key.
    pub fn of_key(key: &str) -> Option<Direction> {
        Some(match key {
            "ArrowLeft" => Direction::Left,
            "ArrowRight" => Direction::Right,
            "ArrowUp" => Direction::Up,
            "ArrowDown" => Direction::Down,
            _ => return None,
        })
    }
}

/// The rectangle an item is drawn in (diagram coordinates): subnets, routers and nodes; `None`
/// for anything else or an item the scene does not have.
pub fn item_rect(scene: &Scene, item: &ItemRef) -> Option<Rect> {
    match item {
        ItemRef::Node(uid) => {
            scene.nodes.iter().find(|n| &n.uid == uid).map(|n| Layout::node_rect(n.pos))
        }
        ItemRef::Router(name) => {
            scene.routers.iter().find(|r| &r.name == name).map(|r| Layout::router_rect(r.pos))
        }
        ItemRef::Subnet(prefix) => {
            scene.subnets.iter().find(|s| &s.prefix == prefix).map(|s| Layout::subnet_rect(s.bar))
        }
        _ => None,
    }
}

/// The item the view goes to for a selection: the selection's only drawn item; nothing for an
/// empty selection or several items (a box selection was made where the user is looking).
pub fn focus_item(selection: &[ItemRef]) -> Option<ItemRef> {
    match selection {
        [item @ (ItemRef::Node(_) | ItemRef::Router(_) | ItemRef::Subnet(_))] => Some(item.clone()),
        _ => None,
    }
}

/// Every item the keyboard reaches, in the order Tab would meet them if they were a list:
/// subnets, routers, nodes (the order they are drawn in).
pub fn items(scene: &Scene) -> Vec<(ItemRef, Rect)> {
    let subnets = scene
        .subnets
        .iter()
        .map(|s| (ItemRef::Subnet(s.prefix.clone()), Layout::subnet_rect(s.bar)));
    let routers =
        scene.routers.iter().map(|r| (ItemRef::Router(r.name.clone()), Layout::router_rect(r.pos)));
    let nodes =
        scene.nodes.iter().map(|n| (ItemRef::Node(n.uid.clone()), Layout::node_rect(n.pos)));
    subnets.chain(routers).chain(nodes).collect()
}

/// The item the canvas's single Tab stop is on: `current` while it exists, else the selection's
/// first drawn item, else the first item.
pub fn entry(scene: &Scene, current: Option<&ItemRef>, selection: &[ItemRef]) -> Option<ItemRef> {
    let exists = |i: &ItemRef| item_rect(scene, i).is_some();
    current
        .filter(|i| exists(i))
        .cloned()
        .or_else(|| selection.iter().find(|i| exists(i)).cloned())
        .or_else(|| items(scene).into_iter().next().map(|(i, _)| i))
}

/// The item an arrow key moves the keyboard focus to from `from`: among the items whose middle
/// lies that way (more along the key's axis than across it, or at least ahead), the nearest,
/// counting a sideways offset twice. `None` when nothing lies that way.
pub fn step(scene: &Scene, from: &ItemRef, direction: Direction) -> Option<ItemRef> {
    let centre = |r: Rect| (r.x + r.w / 2.0, r.y + r.h / 2.0);
    let (fx, fy) = centre(item_rect(scene, from)?);
    items(scene)
        .into_iter()
        .filter(|(i, _)| i != from)
        .filter_map(|(item, r)| {
            let (cx, cy) = centre(r);
            let (dx, dy) = (cx - fx, cy - fy);
            let (ahead, across) = match direction {
                Direction::Right => (dx, dy),
                Direction::Left => (-dx, dy),
                Direction::Down => (dy, dx),
                Direction::Up => (-dy, dx),
            };
            (ahead > 0.5).then(|| (ahead + 2.0 * across.abs(), item))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, item)| item)
}

/// The `data-kb` attribute an item's element carries, naming it for the keyboard handlers.
pub fn key(item: &ItemRef) -> Option<String> {
    Some(match item {
        ItemRef::Node(uid) => format!("node:{uid}"),
        ItemRef::Router(name) => format!("router:{name}"),
        ItemRef::Subnet(prefix) => format!("subnet:{prefix}"),
        _ => return None,
    })
}

/// The item a `data-kb` attribute names (see [`key`]).
pub fn item_of_key(key: &str) -> Option<ItemRef> {
    let (kind, name) = key.split_once(':')?;
    Some(match kind {
        "node" => ItemRef::Node(name.to_owned()),
        "router" => ItemRef::Router(name.to_owned()),
        "subnet" => ItemRef::Subnet(name.to_owned()),
        _ => return None,
    })
}

/// The `tabindex` of an item's element: the canvas's one Tab stop, or reachable by the arrows.
pub fn tabindex(entry: bool) -> &'static str {
    if entry {
        "0"
    } else {
        "-1"
    }
}

/// What a screen reader announces for a node: its name and uid, its cluster memberships and what
/// it serves.
pub fn node_name(n: &NodeShape) -> String {
    let mut out = clusterplan_engine::document::node_label(&n.uid, &n.name);
    for c in &n.chips {
        out.push_str(&format!(", cluster {} number {}", c.cluster, c.number));
        if c.online {
            out.push_str(" online");
        }
        match c.registry {
            Some(0) => out.push_str(", primary registry server"),
            Some(_) => out.push_str(", registry server"),
            None => {}
        }
    }
    if !n.serves.is_empty() {
        let serves: Vec<String> =
            n.serves.iter().map(|(c, s)| format!("{s} (cluster {c})")).collect();
        out.push_str(&format!(", serves {}", serves.join(", ")));
    }
    out
}

/// What a screen reader announces for a subnet (its label as drawn, `prefix · network`).
pub fn subnet_name(prefix: &str, network: &str) -> String {
    format!("subnet {prefix} · {network}")
}

/// What a screen reader announces for a router.
pub fn router_name(name: &str) -> String {
    format!("router {name}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::examples;

    fn fig24() -> Scene {
        Scene::build(&examples::FIG24.document())
    }

    #[test]
    fn every_drawn_item_has_a_rectangle_and_others_none() {
        let scene = fig24();
        assert_eq!(items(&scene).len(), 3 + 2 + 10);
        for (item, rect) in items(&scene) {
            assert_eq!(item_rect(&scene, &item), Some(rect));
        }
        assert_eq!(item_rect(&scene, &ItemRef::Node("nope".into())), None);
        assert_eq!(item_rect(&scene, &ItemRef::Cluster("A".into())), None);
    }

    #[test]
    fn the_view_goes_to_a_single_drawn_item_only() {
        let n5 = ItemRef::Node("n5".into());
        assert_eq!(focus_item(std::slice::from_ref(&n5)), Some(n5.clone()));
        assert_eq!(focus_item(&[n5.clone(), ItemRef::Node("n1".into())]), None);
        assert_eq!(focus_item(&[]), None);
        assert_eq!(focus_item(&[ItemRef::Cluster("A".into())]), None);
    }

    #[test]
    fn the_tab_stop_follows_the_keyboard_then_the_selection() {
        let scene = fig24();
        let n5 = ItemRef::Node("n5".into());
        let r1 = ItemRef::Router("r1".into());
        assert_eq!(entry(&scene, Some(&r1), std::slice::from_ref(&n5)), Some(r1));
        let gone = ItemRef::Node("gone".into());
        assert_eq!(entry(&scene, Some(&gone), std::slice::from_ref(&n5)), Some(n5));
        assert_eq!(entry(&scene, None, &[]), Some(items(&scene)[0].0.clone()));
        assert_eq!(entry(&Scene::default(), None, &[]), None);
    }

    #[test]
    fn arrows_reach_every_item_and_go_the_way_they_point() {
        let scene = fig24();
        let centre = |i: &ItemRef| {
            let r = item_rect(&scene, i).unwrap();
            (r.x + r.w / 2.0, r.y + r.h / 2.0)
        };
        for (item, _) in items(&scene) {
            for d in [Direction::Left, Direction::Right, Direction::Up, Direction::Down] {
                if let Some(next) = step(&scene, &item, d) {
                    let ((ax, ay), (bx, by)) = (centre(&item), centre(&next));
                    let ok = match d {
                        Direction::Left => bx < ax,
                        Direction::Right => bx > ax,
                        Direction::Up => by < ay,
                        Direction::Down => by > ay,
                    };
                    assert!(ok, "{d:?} from {item:?} went to {next:?}");
                }
            }
        }
        // From the first item, the arrows reach every item (nothing is stranded).
        let mut seen = vec![items(&scene)[0].0.clone()];
        let mut i = 0;
        while i < seen.len() {
            for d in [Direction::Left, Direction::Right, Direction::Up, Direction::Down] {
                if let Some(n) = step(&scene, &seen[i], d) {
                    if !seen.contains(&n) {
                        seen.push(n);
                    }
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), items(&scene).len());
        assert_eq!(Direction::of_key("ArrowUp"), Some(Direction::Up));
        assert_eq!(Direction::of_key("Enter"), None);
    }

    #[test]
    fn names_say_what_a_reader_needs() {
        let scene = fig24();
        let n5 = scene.nodes.iter().find(|n| n.uid == "n5").unwrap();
        let name = node_name(n5);
        assert!(name.contains("n5"), "{name}");
        assert!(name.contains("cluster A number 5 online, primary registry server"), "{name}");
        assert!(name.ends_with("serves registry (cluster A)"), "{name}");
        assert_eq!(subnet_name("10.0.0.0/24", "lan"), "subnet 10.0.0.0/24 · lan");
        assert_eq!(router_name("r1"), "router r1");
        for (item, _) in items(&scene) {
            assert_eq!(item_of_key(&key(&item).unwrap()), Some(item));
        }
        assert_eq!(key(&ItemRef::Cluster("A".into())), None);
        assert_eq!(item_of_key("cluster:A"), None);
        assert_eq!(item_of_key("node-n5"), None);
    }
}
