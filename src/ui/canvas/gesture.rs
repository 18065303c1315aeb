//! The canvas's pointer gestures as a pure reducer: what a press, a move and a release do,
//! given the scene, the view, the tool and the selection. Natively tested; the component only
//! feeds it pointer events (and keeps the fingers of a pinch, which start [`Gesture::Pinch`]).

use super::scene::{Hit, Scene};
use super::viewport::Viewport;
use crate::model::edit::{EditAction, ItemRef};
use crate::model::layout::{self, Pt, Rect};
use crate::model::shared::Shared;
use crate::model::state::{Action, Tool};
use std::collections::HashSet;
use std::rc::Rc;

/// A press that moves less than this (screen pixels) is a click.
pub const CLICK_SLOP: f64 = 3.0;

/// The gesture in progress, from pointer down to pointer up.
#[derive(Debug, Clone, PartialEq)]
pub enum Gesture {
    /// Dragging empty space. Client coordinates of the press and the offset so far: while the
    /// pan lasts, the drawing's world group is moved by its transform (and what is drawn
    /// follows, [`super::detail`]); the view is set once, on release.
    Pan { cx: f64, cy: f64, dx: f64, dy: f64, start: Viewport, moved: bool },
    /// Moving items; `hidden` (the items and their links) is filled once the pointer moved.
    Drag {
        items: Vec<ItemRef>,
        start: Pt,
        dx: f64,
        dy: f64,
        moved: bool,
        hidden: Shared<HashSet<ItemRef>>,
        moving: Shared<HashSet<ItemRef>>,
    },
    /// Shift-drag on empty space: box selection.
    Box { start: Pt, now: Pt },
    /// From a node's or router's handle towards a subnet.
    Link { from: ItemRef, start: Pt, now: Pt },
    /// Resizing a subnet's bar.
    Resize { prefix: String, x: f64, w: f64 },
    /// Two fingers on a touch screen: pinch to zoom, move together to pan. The two pointers, where
    /// they touched (canvas coordinates), and the view then.
    Pinch { a: i32, b: i32, a0: (f64, f64), b0: (f64, f64), start: Viewport },
}

/// A press of the primary or middle button (or one finger).
#[derive(Debug, Clone, Copy)]
pub struct Press<'a> {
    /// Where, in world coordinates.
    pub world: Pt,
    /// Where, in client coordinates (a pan follows these).
    pub client: (f64, f64),
    /// The middle button: always a pan.
    pub middle: bool,
    pub shift: bool,
    pub tool: Tool,
    /// A read-only shared view: clicks select, drags pan.
    pub read_only: bool,
    pub snap: bool,
    pub selection: &'a [ItemRef],
    pub view: Viewport,
    /// The drawing shows blocks ([`super::detail::Level::Blocks`]) with these nodes (sorted
    /// indices) drawn over them: a press inside a block is on its subnet, and dragging it moves
    /// the subnet with its nodes. `None`: every node on the screen is drawn.
    pub blocks: Option<&'a [usize]>,
}

/// What a press does: the actions it sends at once and the gesture it starts (`None`: the
/// gesture in progress, if any, stays).
pub fn down(scene: &Scene, p: &Press) -> (Vec<Action>, Option<Gesture>) {
    let (w, v) = (p.world, p.view);
    let tool = if p.read_only { Tool::Select } else { p.tool };
    let tolerance = 4.0 / v.zoom;
    let at = layout::snap(w, p.snap);
    let on_subnet = || scene.subnet_at(w, tolerance).map(|s| s.prefix.clone());
    // Middle button, or the primary one on empty space: pan the view.
    let (cx, cy) = p.client;
    let pan = Gesture::Pan { cx, cy, dx: 0.0, dy: 0.0, start: v, moved: false };
    if p.middle {
        return (Vec::new(), Some(pan));
    }
    // Shift held: the tool stays for the next placement.
    let place = |edit| vec![Action::Place { edit, keep_tool: p.shift }];
    let select = |items| vec![Action::Select(items)];
    match tool {
        Tool::AddSubnet => (place(EditAction::AddSubnet { at }), None),
        Tool::AddRouter => (place(EditAction::AddRouter { at, subnet: on_subnet() }), None),
        Tool::AddNode => (place(EditAction::AddNode { at, subnet: on_subnet() }), None),
        Tool::Link | Tool::Select => match hit(scene, p, tolerance) {
            // Read-only: a port or a subnet's handle is its item, to select.
            Some(Hit::Port(item)) if p.read_only => (select(vec![item]), None),
            Some(Hit::Resize(prefix)) if p.read_only => {
                (select(vec![ItemRef::Subnet(prefix)]), None)
            }
            Some(Hit::Port(from)) => (Vec::new(), Some(Gesture::Link { from, start: w, now: w })),
            Some(Hit::Item(item @ (ItemRef::Node(_) | ItemRef::Router(_))))
                if tool == Tool::Link =>
            {
                (Vec::new(), Some(Gesture::Link { from: item, start: w, now: w }))
            }
            Some(Hit::Resize(prefix)) => {
                let x = scene.subnets.iter().find(|s| s.prefix == prefix).map_or(0.0, |s| s.bar.x);
                (Vec::new(), Some(Gesture::Resize { w: w.x - x, prefix, x }))
            }
            Some(Hit::Item(item)) => {
                if p.shift {
                    return (vec![Action::ToggleSelect(item)], None);
                }
                let (actions, items) = if p.read_only {
                    // Selected, never dragged.
                    (select(vec![item]), Vec::new())
                } else if p.selection.contains(&item) {
                    (Vec::new(), p.selection.iter().flat_map(|i| moved_by(scene, p, i)).collect())
                } else {
                    let items = moved_by(scene, p, &item);
                    (select(vec![item]), items)
                };
                let drag = Gesture::Drag {
                    items,
                    start: w,
                    dx: 0.0,
                    dy: 0.0,
                    moved: false,
                    hidden: Shared(Rc::new(HashSet::new())),
                    moving: Shared(Rc::new(HashSet::new())),
                };
                (actions, Some(drag))
            }
            None if p.shift => (Vec::new(), Some(Gesture::Box { start: w, now: w })),
            None => (Vec::new(), Some(pan)),
        },
    }
}

/// What is under a press: at the blocks level only what is drawn there.
fn hit(scene: &Scene, p: &Press, tolerance: f64) -> Option<Hit> {
    match p.blocks {
        Some(drawn) => scene.hit_blocks(p.world, tolerance, drawn),
        None => scene.hit(p.world, tolerance),
    }
}

/// The items a drag of `item` moves: itself when it has a position; at the blocks level a
/// subnet's block moves with the nodes placed under it.
fn moved_by(scene: &Scene, p: &Press, item: &ItemRef) -> Vec<ItemRef> {
    match item {
        ItemRef::Subnet(prefix) if p.blocks.is_some() => scene
            .subnets
            .iter()
            .position(|s| &s.prefix == prefix)
            .map_or_else(Vec::new, |i| scene.block_items(i)),
        _ if item.is_placed() => vec![item.clone()],
        _ => Vec::new(),
    }
}

/// The gesture after the pointer moved to `world` (`client` in client coordinates) at `zoom`.
/// A pinch is left as it is (the component follows its fingers).
pub fn moved(scene: &Scene, g: Gesture, world: Pt, client: (f64, f64), zoom: f64) -> Gesture {
    let w = world;
    match g {
        Gesture::Pan { cx, cy, start, moved, .. } => {
            let (dx, dy) = (client.0 - cx, client.1 - cy);
            let moved = moved || dx.abs() + dy.abs() > CLICK_SLOP;
            Gesture::Pan { cx, cy, dx, dy, start, moved }
        }
        Gesture::Drag { items, start, moved, hidden, moving, .. } => {
            let (dx, dy) = (w.x - start.x, w.y - start.y);
            let now_moved = moved || (dx.abs() + dy.abs()) * zoom > CLICK_SLOP;
            let (hidden, moving) = if now_moved && !moved && !items.is_empty() {
                let (m, h) = drag_sets(scene, &items);
                (Shared(Rc::new(h)), Shared(Rc::new(m)))
            } else {
                (hidden, moving)
            };
            Gesture::Drag { items, start, dx, dy, moved: now_moved, hidden, moving }
        }
        Gesture::Box { start, .. } => Gesture::Box { start, now: w },
        Gesture::Link { from, start, .. } => Gesture::Link { from, start, now: w },
        Gesture::Resize { prefix, x, .. } => {
            Gesture::Resize { prefix, x, w: (w.x - x).max(layout::SUBNET_MIN_W) }
        }
        pinch @ Gesture::Pinch { .. } => pinch,
    }
}

/// What a release ends with.
#[derive(Debug, Clone, PartialEq)]
pub enum Release {
    Action(Box<Action>),
    /// A pan sets the view once, here.
    View(Viewport),
}

/// What releasing the pointer at `world` (`client` in client coordinates) at `zoom` does.
pub fn up(
    scene: &Scene,
    g: Gesture,
    world: Pt,
    client: (f64, f64),
    zoom: f64,
    snap: bool,
) -> Option<Release> {
    let w = world;
    let act = |a| Some(Release::Action(Box::new(a)));
    match g {
        Gesture::Pan { moved: false, .. } => act(Action::Select(Vec::new())),
        Gesture::Pan { cx, cy, start, .. } => {
            Some(Release::View(start.panned(client.0 - cx, client.1 - cy)))
        }
        Gesture::Drag { items, start, moved: true, .. } if !items.is_empty() => {
            let (dx, dy) = (w.x - start.x, w.y - start.y);
            act(Action::Edit(EditAction::Move { items, dx, dy, snap }))
        }
        // A pinch ends with its first finger up (the view is already set).
        Gesture::Drag { .. } | Gesture::Pinch { .. } => None,
        Gesture::Box { start, .. } => {
            act(Action::Select(scene.touching(Rect::from_corners(start, w))))
        }
        Gesture::Link { from, .. } => scene
            .subnet_at(w, 6.0 / zoom)
            .and_then(|s| act(Action::Edit(EditAction::Link { from, subnet: s.prefix.clone() }))),
        Gesture::Resize { prefix, x, .. } => act(Action::Edit(EditAction::ResizeSubnet {
            prefix,
            w: (w.x - x).max(layout::SUBNET_MIN_W),
        })),
    }
}

/// The items a drag moves and what must be redrawn with them (their links).
fn drag_sets(scene: &Scene, items: &[ItemRef]) -> (HashSet<ItemRef>, HashSet<ItemRef>) {
    let moving: HashSet<ItemRef> = items.iter().cloned().collect();
    let mut hidden = moving.clone();
    for link in &scene.links {
        let subnet = ItemRef::Subnet(scene.subnets[link.subnet].prefix.clone());
        if moving.contains(&link.owner(scene)) || moving.contains(&subnet) {
            hidden.insert(link.item(scene));
            // The far end is drawn again too, so links stay under their items.
            hidden.insert(link.owner(scene));
            hidden.insert(subnet);
        }
    }
    (moving, hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::examples;
    use crate::model::state::Action;

    fn press<'a>(world: Pt, tool: Tool, read_only: bool, selection: &'a [ItemRef]) -> Press<'a> {
        Press {
            world,
            client: (100.0, 100.0),
            middle: false,
            shift: false,
            tool,
            read_only,
            snap: false,
            selection,
            view: Viewport::default(),
            blocks: None,
        }
    }

    fn fig24() -> (Scene, Pt) {
        let scene = Scene::build(&examples::FIG24.document());
        let n5 = scene.nodes.iter().find(|n| n.uid == "n5").unwrap();
        let centre = super::super::scene::node_centre(n5.pos);
        assert_eq!(scene.hit(centre, 4.0), Some(Hit::Item(ItemRef::Node("n5".into()))));
        (scene, centre)
    }

    /// Far from every item.
    const EMPTY: Pt = Pt { x: -5000.0, y: -5000.0 };

    #[test]
    fn a_drag_of_an_unselected_node_selects_it_and_moves_it_on_release() {
        let (scene, at) = fig24();
        let (actions, g) = down(&scene, &press(at, Tool::Select, false, &[]));
        let n5 = ItemRef::Node("n5".into());
        assert_eq!(actions, [Action::Select(vec![n5.clone()])]);
        let to = Pt::new(at.x + 30.0, at.y + 10.0);
        let g = moved(&scene, g.unwrap(), to, (130.0, 110.0), 1.0);
        let Gesture::Drag { moved: true, ref moving, .. } = g else { panic!("{g:?}") };
        assert!(moving.contains(&n5));
        let release = up(&scene, g, to, (130.0, 110.0), 1.0, false);
        let edit = EditAction::Move { items: vec![n5], dx: 30.0, dy: 10.0, snap: false };
        assert_eq!(release, Some(Release::Action(Box::new(Action::Edit(edit)))));
    }

    #[test]
    fn read_only_a_click_selects_and_a_drag_pans() {
        let (scene, at) = fig24();
        // On a node: selected, and the drag that follows moves nothing.
        let (actions, g) = down(&scene, &press(at, Tool::AddNode, true, &[]));
        assert_eq!(actions, [Action::Select(vec![ItemRef::Node("n5".into())])]);
        let to = Pt::new(at.x + 30.0, at.y);
        let g = moved(&scene, g.unwrap(), to, (130.0, 100.0), 1.0);
        assert_eq!(up(&scene, g, to, (130.0, 100.0), 1.0, false), None);
        // On empty space, whatever the tool: a pan, set on release.
        let (actions, g) = down(&scene, &press(EMPTY, Tool::AddNode, true, &[]));
        assert!(actions.is_empty());
        let g = moved(&scene, g.unwrap(), EMPTY, (150.0, 120.0), 1.0);
        let Some(Release::View(v)) = up(&scene, g, EMPTY, (150.0, 120.0), 1.0, false) else {
            panic!("a pan sets the view")
        };
        assert_eq!((v.x, v.y), (50.0, 20.0));
    }

    #[test]
    fn a_click_on_empty_space_clears_the_selection_and_a_shift_drag_box_selects() {
        let (scene, at) = fig24();
        let sel = [ItemRef::Node("n5".into())];
        let (_, g) = down(&scene, &press(EMPTY, Tool::Select, false, &sel));
        let g = moved(&scene, g.unwrap(), EMPTY, (101.0, 101.0), 1.0);
        let cleared = Some(Release::Action(Box::new(Action::Select(Vec::new()))));
        assert_eq!(up(&scene, g, EMPTY, (101.0, 101.0), 1.0, false), cleared);
        let shifted = Press { shift: true, ..press(EMPTY, Tool::Select, false, &sel) };
        let (_, g) = down(&scene, &shifted);
        assert!(matches!(g, Some(Gesture::Box { .. })));
        let release = up(&scene, g.unwrap(), at, (0.0, 0.0), 1.0, false);
        let Some(Release::Action(a)) = release else { panic!("a box selects") };
        let Action::Select(items) = *a else { panic!("a box selects") };
        assert!(items.contains(&ItemRef::Node("n5".into())));
    }

    #[test]
    fn a_placing_tool_places_and_keeps_the_tool_with_shift() {
        let (scene, _) = fig24();
        let shifted = Press { shift: true, ..press(EMPTY, Tool::AddNode, false, &[]) };
        let (actions, g) = down(&scene, &shifted);
        assert_eq!(g, None);
        let edit = EditAction::AddNode { at: EMPTY, subnet: None };
        assert_eq!(actions, [Action::Place { edit, keep_tool: true }]);
    }

    #[test]
    fn zoomed_out_to_blocks_a_drag_of_a_block_moves_its_subnet_and_nodes() {
        let scene = Scene::build(&examples::data_centre(1000));
        let at = super::super::scene::node_centre(scene.nodes[3].pos);
        let home = scene.home[3].unwrap();
        let subnet = ItemRef::Subnet(scene.subnets[home].prefix.clone());
        let zoomed_out = Press {
            blocks: Some(&[]),
            view: Viewport { zoom: 0.1, x: 0.0, y: 0.0 },
            ..press(at, Tool::Select, false, &[])
        };
        let (actions, g) = down(&scene, &zoomed_out);
        assert_eq!(actions, [Action::Select(vec![subnet.clone()])]);
        let to = Pt::new(at.x + 200.0, at.y);
        let g = moved(&scene, g.unwrap(), to, (120.0, 100.0), 0.1);
        let Some(Release::Action(a)) = up(&scene, g, to, (120.0, 100.0), 0.1, false) else {
            panic!("a drag moves")
        };
        let Action::Edit(EditAction::Move { items, .. }) = *a else { panic!("{a:?}") };
        assert_eq!(items, scene.block_items(home));
        assert!(items.contains(&ItemRef::Node(scene.nodes[3].uid.clone())));
        // A node drawn over the blocks (selected, say) is itself under the pointer.
        let drawn = [3];
        let over = Press { blocks: Some(&drawn), ..zoomed_out };
        let (actions, _) = down(&scene, &over);
        assert_eq!(actions, [Action::Select(vec![ItemRef::Node(scene.nodes[3].uid.clone())])]);
    }

    #[test]
    fn the_middle_button_always_pans() {
        let (scene, at) = fig24();
        let middle = Press { middle: true, ..press(at, Tool::Select, false, &[]) };
        let (actions, g) = down(&scene, &middle);
        assert!(actions.is_empty());
        assert!(matches!(g, Some(Gesture::Pan { moved: false, .. })));
    }
}
