//! The SVG canvas: draws the model and turns pointer gestures into actions (select, move,
//! box-select, link, place, pan, zoom). Geometry, hit-testing, the level of detail and the
//! gestures are pure ([`scene`], [`viewport`], [`detail`], [`gesture`]); this component only
//! keeps the gesture in progress and the view transform.

pub mod detail;
pub mod draw;
pub mod export;
pub mod gesture;
pub mod keyboard;
pub mod scene;
pub mod viewport;

use crate::model::edit::ItemRef;
use crate::model::layout::{self, Pt, Rect, SUBNET_H};
use crate::model::overlay::CanvasOverlay;
use crate::model::review::ReviewMarks;
use crate::model::shared::Shared;
use crate::model::shortcuts::{self, Command};
use crate::model::state::{Action, Tool};
use clusterplan_engine::Document;
use detail::{Detail, Level, Visible};
use draw::{Layer, Marks, Part};
use gesture::Gesture;
use gloo::events::{EventListener, EventListenerOptions};
use scene::Scene;
use std::collections::HashSet;
use std::rc::Rc;
use viewport::{Viewport, ViewportAction};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, Debug)]
pub struct CanvasProps {
    pub doc: Rc<Document>,
    pub selection: Rc<Vec<ItemRef>>,
    pub tool: Tool,
    pub snap: bool,
    /// Changes when a whole document was loaded: the canvas then fits it to the screen.
    pub generation: u64,
    pub marks: Rc<Marks>,
    /// The results' overlay: rank badges and the hop path of the selected node.
    pub overlay: Rc<CanvasOverlay>,
    /// A design review's marks: items the change added or changed, and those it removed.
    #[prop_or_default]
    pub review: Rc<ReviewMarks>,
    /// A read-only shared view: clicks select, drags pan; no gesture moves, links or resizes
    /// (the reducer refuses those edits too).
    #[prop_or_default]
    pub read_only: bool,
    /// The reader's theme, its button beside the zoom controls (`None`: no button, as in an
    /// embed, whose page sets its theme).
    #[prop_or_default]
    pub theme: Option<crate::model::theme::ThemeChoice>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for CanvasProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &o.doc)
            && (Rc::ptr_eq(&self.selection, &o.selection) || self.selection == o.selection)
            && self.tool == o.tool
            && self.snap == o.snap
            && self.generation == o.generation
            && Rc::ptr_eq(&self.marks, &o.marks)
            && (Rc::ptr_eq(&self.overlay, &o.overlay) || self.overlay == o.overlay)
            && Rc::ptr_eq(&self.review, &o.review)
            && self.read_only == o.read_only
            && self.theme == o.theme
            && self.dispatch == o.dispatch
    }
}

/// Identity key for memos over a shared document.
#[derive(Clone)]
struct DocKey(Rc<Document>);
impl PartialEq for DocKey {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

fn local_point(svg: &NodeRef, client_x: i32, client_y: i32) -> (f64, f64) {
    match svg.cast::<web_sys::Element>() {
        Some(el) => {
            let r = el.get_bounding_client_rect();
            (f64::from(client_x) - r.left(), f64::from(client_y) - r.top())
        }
        None => (f64::from(client_x), f64::from(client_y)),
    }
}

/// The canvas's size on the screen (at least 100 x 100).
fn view_size(svg: &NodeRef) -> (f64, f64) {
    svg.cast::<web_sys::Element>().map_or((800.0, 600.0), |el| {
        (f64::from(el.client_width()).max(100.0), f64::from(el.client_height()).max(100.0))
    })
}

fn fit_view(svg: &NodeRef, scene: &Scene) -> Option<Viewport> {
    svg.cast::<web_sys::Element>()?;
    let (w, h) = view_size(svg);
    let bounds = scene.bounds().unwrap_or(Rect { x: 0.0, y: 0.0, w: 800.0, h: 600.0 });
    Some(Viewport::fit(bounds, w, h))
}

/// The diagram item an event's target is (its `data-kb` element), if any.
fn focused_item(target: Option<web_sys::EventTarget>) -> Option<ItemRef> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    keyboard::item_of_key(&el.get_attribute("data-kb")?)
}

/// Moves the keyboard focus to `item`'s element; false when it is not drawn (culled, or inside
/// a block: see [`detail`]).
fn focus_element(svg: &NodeRef, item: &ItemRef) -> bool {
    let (Some(root), Some(key)) = (svg.cast::<web_sys::Element>(), keyboard::key(item)) else {
        return false;
    };
    let Ok(all) = root.query_selector_all("[data-kb]") else { return false };
    for i in 0..all.length() {
        let Some(el) = all.item(i).and_then(|n| n.dyn_into::<web_sys::SvgElement>().ok()) else {
            continue;
        };
        if el.get_attribute("data-kb").as_deref() == Some(key.as_str()) {
            return el.focus().is_ok();
        }
    }
    false
}

/// The nodes (uids) drawn over the blocks when zoomed out: those something marks (selected,
/// a rank badge, down, on the hop path, a design review's or the simulation's mark).
fn pinned<'a>(
    selection: &'a [ItemRef],
    overlay: &'a CanvasOverlay,
    review: &'a ReviewMarks,
) -> HashSet<&'a str> {
    let node = |i: &'a ItemRef| match i {
        ItemRef::Node(uid) => Some(uid.as_str()),
        _ => None,
    };
    let sim = overlay.sim.iter().flat_map(|s| {
        s.down.iter().map(String::as_str).chain(s.current.as_deref()).chain(s.target.as_deref())
    });
    selection
        .iter()
        .filter_map(node)
        .chain(review.items.keys().filter_map(node))
        .chain(overlay.badges.keys().map(String::as_str))
        .chain(overlay.down.iter().map(String::as_str))
        .chain(overlay.path_nodes.iter().map(String::as_str))
        .chain(sim)
        .collect()
}

#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let svg = use_node_ref();
    let vp = use_reducer(Viewport::default);
    let gesture = use_state(|| None::<Gesture>);
    // The item the keyboard was last on (the canvas's Tab stop).
    let cursor = use_state(|| None::<ItemRef>);
    // Fingers on the canvas (touch pointers), by pointer id, in canvas coordinates.
    let touches = use_mut_ref(Vec::<(i32, (f64, f64))>::new);
    // The scene of the document, built from the last one when only positions changed.
    let last = use_mut_ref(|| None::<(Rc<Document>, Rc<Scene>)>);
    let scene: Rc<Scene> = (*use_memo(DocKey(props.doc.clone()), |d| {
        let previous = last.borrow().clone();
        let scene = Rc::new(Scene::next(previous.as_ref().map(|(b, s)| (&**b, &**s)), &d.0));
        *last.borrow_mut() = Some((d.0.clone(), scene.clone()));
        scene
    }))
    .clone();
    let scene_s = Shared(scene.clone());

    // Fit the diagram when a document is loaded (and on the first render), and go to the
    // selected item then (a link that opens on a node: zoomed to it); a later selection of one
    // item (from the results, the inspector) is brought into view when it is off the screen.
    let fitted = use_mut_ref(|| None::<u64>);
    {
        let (svg, vpd, scene, current) = (svg.clone(), vp.dispatcher(), scene.clone(), *vp);
        let focus = keyboard::focus_item(&props.selection);
        use_effect_with((props.generation, focus), move |(generation, focus)| {
            let loaded = fitted.borrow().as_ref() != Some(generation);
            let rect = focus.as_ref().and_then(|i| keyboard::item_rect(&scene, i));
            let next = if loaded {
                *fitted.borrow_mut() = Some(*generation);
                fit_view(&svg, &scene).map(|fit| match rect {
                    Some(r) => {
                        let (w, h) = view_size(&svg);
                        fit.focus(r, w, h)
                    }
                    None => fit,
                })
            } else {
                rect.map(|r| {
                    let (w, h) = view_size(&svg);
                    current.reveal(r, w, h)
                })
            };
            if let Some(v) = next.filter(|v| *v != current) {
                vpd.dispatch(ViewportAction::Set(v));
            }
        });
    }
    // Wheel zooms at the pointer (a non-passive listener, so the page does not scroll).
    {
        let (svg, vp) = (svg.clone(), vp.dispatcher());
        use_effect_with((), move |_| {
            let listener = svg.cast::<web_sys::Element>().map(|el| {
                let target = el.clone();
                EventListener::new_with_options(
                    &el,
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::WheelEvent>() else { return };
                        e.prevent_default();
                        let r = target.get_bounding_client_rect();
                        let (sx, sy) =
                            (f64::from(e.client_x()) - r.left(), f64::from(e.client_y()) - r.top());
                        let factor =
                            viewport::wheel_zoom(e.delta_y(), e.delta_mode(), e.ctrl_key());
                        vp.dispatch(ViewportAction::ZoomAt { factor, sx, sy });
                    },
                )
            });
            move || drop(listener)
        });
    }
    // View keys: fit, zoom in, zoom out, 100 %.
    {
        let (svg, vpd, scene) = (svg.clone(), vp.dispatcher(), scene.clone());
        let size = svg.clone();
        use_effect_with(DocKey(props.doc.clone()), move |_| {
            let document = gloo::utils::document();
            let listener = EventListener::new(&document, "keydown", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if crate::ui::keys::not_for_shortcuts(e) {
                    return;
                }
                let centre = || {
                    size.cast::<web_sys::Element>()
                        .map(|el| {
                            (
                                f64::from(el.client_width()) / 2.0,
                                f64::from(el.client_height()) / 2.0,
                            )
                        })
                        .unwrap_or((400.0, 300.0))
                };
                match shortcuts::command(
                    &e.key(),
                    e.ctrl_key() || e.meta_key(),
                    e.shift_key(),
                    e.alt_key(),
                ) {
                    Some(Command::Fit) => {
                        if let Some(v) = fit_view(&svg, &scene) {
                            vpd.dispatch(ViewportAction::Set(v));
                        }
                    }
                    Some(Command::ZoomIn) => {
                        let (sx, sy) = centre();
                        vpd.dispatch(ViewportAction::ZoomAt { factor: 1.25, sx, sy });
                    }
                    Some(Command::ZoomOut) => {
                        let (sx, sy) = centre();
                        vpd.dispatch(ViewportAction::ZoomAt { factor: 0.8, sx, sy });
                    }
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }

    let v = *vp;
    // What is drawn (`docs/editor.md`, "Large models"): during a pan, the view the pointer has
    // moved to, so the drawing follows it (one transform on the world) and culling with it.
    let shown = match &*gesture {
        Some(Gesture::Pan { moved: true, dx, dy, start, .. }) => start.panned(*dx, *dy),
        _ => v,
    };
    let detail = {
        let (width, height) = view_size(&svg);
        detail::choose(&scene, shown, width, height)
    };
    let visible: Rc<Visible> = use_memo(
        (
            scene_s.clone(),
            detail,
            props.selection.clone(),
            Shared(props.overlay.clone()),
            Shared(props.review.clone()),
        ),
        |(scene, detail, selection, overlay, review)| {
            let pinned = pinned(selection, overlay, review);
            let marked = |r: usize| {
                let name = &scene.routers[r].name;
                overlay.path_routers.contains(name)
                    || selection.iter().any(|i| matches!(i, ItemRef::Router(n) if n == name))
            };
            detail::visible(
                scene,
                detail,
                &|i| pinned.contains(scene.nodes[i].uid.as_str()),
                &marked,
            )
        },
    );
    let level_name = match visible.level {
        Level::Nodes => "nodes",
        Level::Blocks => "blocks",
    };
    // Keyboard focus on an item that is not drawn yet: taken once it is (after the view moved).
    let pending_focus = use_mut_ref(|| None::<(ItemRef, u8)>);
    {
        let (svg, pending) = (svg.clone(), pending_focus.clone());
        use_effect(move || {
            let mut p = pending.borrow_mut();
            if let Some((item, tries)) = p.take() {
                if !focus_element(&svg, &item) && tries < 3 {
                    *p = Some((item, tries + 1));
                }
            }
        });
    }
    // The keyboard (`docs/editor.md`, "The canvas by keyboard"): one Tab stop among the items,
    // the arrows move the focus to the nearest item that way, Enter or Space selects it (Shift:
    // adds it to the selection); an item the focus reaches off the screen is brought into view.
    let entry = keyboard::entry(&scene, cursor.as_ref(), &props.selection)
        .filter(|e| visible.draws(&scene, e))
        .or_else(|| visible.first_item(&scene));
    let onkeydown = {
        let (svg, scene, dispatch, cursor) =
            (svg.clone(), scene.clone(), props.dispatch.clone(), cursor.clone());
        let (pending, vpd) = (pending_focus.clone(), vp.dispatcher());
        Callback::from(move |e: KeyboardEvent| {
            let Some(item) = focused_item(e.target()) else { return };
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let key = e.key();
            if let Some(direction) = keyboard::Direction::of_key(&key) {
                if let Some(next) = keyboard::step(&scene, &item, direction) {
                    if !focus_element(&svg, &next) {
                        // Not drawn: bring it into view, and focus it once drawn.
                        if let Some(r) = keyboard::item_rect(&scene, &next) {
                            let (w, h) = view_size(&svg);
                            let zoom = v.zoom.max(detail::NAME_ZOOM);
                            vpd.dispatch(ViewportAction::Set(Viewport::centred_on(r, w, h, zoom)));
                        }
                        *pending.borrow_mut() = Some((next.clone(), 0));
                    }
                    cursor.set(Some(next));
                }
            } else if key == "Enter" || key == " " {
                dispatch.emit(if e.shift_key() {
                    Action::ToggleSelect(item)
                } else {
                    Action::Select(vec![item])
                });
            } else {
                return;
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };
    let onfocusin = {
        let (svg, scene, cursor, vpd) =
            (svg.clone(), scene.clone(), cursor.clone(), vp.dispatcher());
        Callback::from(move |e: FocusEvent| {
            let Some(item) = focused_item(e.target()) else { return };
            if let Some(r) = keyboard::item_rect(&scene, &item) {
                let (w, h) = view_size(&svg);
                let next = v.reveal(r, w, h);
                if next != v {
                    vpd.dispatch(ViewportAction::Set(next));
                }
            }
            if cursor.as_ref() != Some(&item) {
                cursor.set(Some(item));
            }
        })
    };
    let onpointerdown = {
        let (svg, gesture, scene, dispatch, touches) =
            (svg.clone(), gesture.clone(), scene.clone(), props.dispatch.clone(), touches.clone());
        let (snap, selection, read_only) = (props.snap, props.selection.clone(), props.read_only);
        let (tool, visible) = (props.tool, visible.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 && e.button() != 1 {
                return;
            }
            let (sx, sy) = local_point(&svg, e.client_x(), e.client_y());
            if e.pointer_type() == "touch" {
                let mut fingers = touches.borrow_mut();
                fingers.retain(|(id, _)| *id != e.pointer_id());
                fingers.push((e.pointer_id(), (sx, sy)));
                // A second finger turns whatever the first one started into a pinch.
                if let [(a, a0), (b, b0)] = fingers[..] {
                    if let Some(el) = svg.cast::<web_sys::Element>() {
                        let _ = el.set_pointer_capture(e.pointer_id());
                    }
                    e.prevent_default();
                    gesture.set(Some(Gesture::Pinch { a, b, a0, b0, start: v }));
                    return;
                }
                if fingers.len() > 2 {
                    return;
                }
            }
            let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
            let w = v.to_world(sx, sy);
            if let Some(el) = svg.cast::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
                if let Some(html) = el.dyn_ref::<web_sys::SvgElement>() {
                    let _ = html.focus();
                }
            }
            e.prevent_default();
            let press = gesture::Press {
                world: w,
                client: (cx, cy),
                middle: e.button() == 1,
                shift: e.shift_key(),
                tool,
                read_only,
                snap,
                selection: &selection,
                view: v,
                blocks: (visible.level == Level::Blocks).then_some(&visible.nodes[..]),
            };
            let (actions, next) = gesture::down(&scene, &press);
            for a in actions {
                dispatch.emit(a);
            }
            if let Some(g) = next {
                gesture.set(Some(g));
            }
        })
    };
    let onpointermove = {
        let (svg, gesture, scene, touches, vpd) =
            (svg.clone(), gesture.clone(), scene.clone(), touches.clone(), vp.dispatcher());
        Callback::from(move |e: PointerEvent| {
            let (sx, sy) = local_point(&svg, e.client_x(), e.client_y());
            if e.pointer_type() == "touch" {
                let mut fingers = touches.borrow_mut();
                if let Some(f) = fingers.iter_mut().find(|(id, _)| *id == e.pointer_id()) {
                    f.1 = (sx, sy);
                }
                if let Some(Gesture::Pinch { a, b, a0, b0, start }) = &*gesture {
                    let at = |id: i32| fingers.iter().find(|f| f.0 == id).map(|f| f.1);
                    if let (Some(a1), Some(b1)) = (at(*a), at(*b)) {
                        vpd.dispatch(ViewportAction::Set(start.pinched(*a0, *b0, a1, b1)));
                    }
                    return;
                }
            }
            let Some(g) = (*gesture).clone() else { return };
            let w = v.to_world(sx, sy);
            let client = (f64::from(e.client_x()), f64::from(e.client_y()));
            let next = gesture::moved(&scene, g, w, client, v.zoom);
            gesture.set(Some(next));
        })
    };
    let onpointerup = {
        let (svg, gesture, scene, dispatch, vpd) =
            (svg.clone(), gesture.clone(), scene.clone(), props.dispatch.clone(), vp.dispatcher());
        let touches = touches.clone();
        let snap = props.snap;
        Callback::from(move |e: PointerEvent| {
            touches.borrow_mut().retain(|(id, _)| *id != e.pointer_id());
            let Some(g) = (*gesture).clone() else { return };
            gesture.set(None);
            let (sx, sy) = local_point(&svg, e.client_x(), e.client_y());
            let w = v.to_world(sx, sy);
            let client = (f64::from(e.client_x()), f64::from(e.client_y()));
            match gesture::up(&scene, g, w, client, v.zoom, snap) {
                Some(gesture::Release::Action(a)) => dispatch.emit(*a),
                Some(gesture::Release::View(next)) => vpd.dispatch(ViewportAction::Set(next)),
                None => {}
            }
        })
    };
    let onpointercancel = {
        let (gesture, touches) = (gesture.clone(), touches.clone());
        Callback::from(move |e: PointerEvent| {
            touches.borrow_mut().retain(|(id, _)| *id != e.pointer_id());
            gesture.set(None)
        })
    };

    // What the gesture draws over the diagram.
    let g = (*gesture).clone();
    let empty: Shared<HashSet<ItemRef>> = Shared(use_memo((), |_| HashSet::new()));
    let dragged = match &g {
        Some(Gesture::Drag { hidden, .. }) => hidden.clone(),
        _ => empty.clone(),
    };
    // The items being dragged, found once per drag (not per move).
    let moving_visible: Rc<Visible> =
        use_memo((scene_s.clone(), dragged), |(scene, items)| Visible::only(scene, items));
    let (hidden, moving_layer) = match &g {
        Some(Gesture::Drag { moved: true, hidden, moving, items, dx, dy, .. })
            if !items.is_empty() =>
        {
            // Preview where the drop lands (snapped like the edit will be).
            let first = items.first().and_then(|i| match i {
                ItemRef::Node(u) => scene.nodes.iter().find(|n| &n.uid == u).map(|n| n.pos),
                ItemRef::Router(r) => scene.routers.iter().find(|x| &x.name == r).map(|x| x.pos),
                ItemRef::Subnet(p) => {
                    scene.subnets.iter().find(|s| &s.prefix == p).map(|s| Pt::new(s.bar.x, s.bar.y))
                }
                _ => None,
            });
            let (dx, dy) = match first {
                Some(f) => {
                    let t = layout::snap(Pt::new(f.x + dx, f.y + dy), props.snap);
                    (t.x - f.x, t.y - f.y)
                }
                None => (*dx, *dy),
            };
            (
                hidden.clone(),
                Some(Part::Only { items: hidden.clone(), moved: moving.clone(), dx, dy }),
            )
        }
        _ => (empty, None),
    };
    let rubber = match &g {
        Some(Gesture::Link { start, now, .. }) => {
            // The subnet the link would attach to, outlined.
            let target = scene.subnet_at(*now, 6.0 / v.zoom).map(|s| {
                let b = s.bar;
                html! {
                    <rect class="link-target" data-testid="link-target" x={(b.x - 4.0).to_string()} y={(b.y - 4.0).to_string()}
                        width={(b.w + 8.0).to_string()} height={(SUBNET_H + 8.0).to_string()} rx="8" />
                }
            });
            html! {
                <>
                    { for target }
                    <line class="rubber-band" x1={start.x.to_string()} y1={start.y.to_string()} x2={now.x.to_string()} y2={now.y.to_string()} />
                </>
            }
        }
        Some(Gesture::Box { start, now }) => {
            let r = Rect::from_corners(*start, *now);
            html! { <rect class="box-select" data-testid="box-select" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} /> }
        }
        Some(Gesture::Resize { prefix, x, w }) => {
            let y = scene.subnets.iter().find(|s| &s.prefix == prefix).map_or(0.0, |s| s.bar.y);
            html! { <rect class="resize-preview" x={x.to_string()} y={y.to_string()} width={w.to_string()} height={SUBNET_H.to_string()} rx="6" /> }
        }
        _ => html! {},
    };
    let marks = Shared(props.marks.clone());
    let overlay = Shared(props.overlay.clone());
    let review = Shared(props.review.clone());
    let zoom = |factor: f64| {
        let (svg, vpd) = (svg.clone(), vp.dispatcher());
        Callback::from(move |_: MouseEvent| {
            let (w, h) = svg.cast::<web_sys::Element>().map_or((800.0, 600.0), |el| {
                (f64::from(el.client_width()), f64::from(el.client_height()))
            });
            vpd.dispatch(ViewportAction::ZoomAt { factor, sx: w / 2.0, sy: h / 2.0 });
        })
    };
    let fit = {
        let (svg, vpd, scene) = (svg.clone(), vp.dispatcher(), scene.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(v) = fit_view(&svg, &scene) {
                vpd.dispatch(ViewportAction::Set(v));
            }
        })
    };
    let grid = layout::GRID * v.zoom;
    let tool_class = match props.tool {
        Tool::Select => "tool-select",
        Tool::AddSubnet | Tool::AddRouter | Tool::AddNode => "tool-place",
        Tool::Link => "tool-link",
    };
    let dragging = matches!(
        &g,
        Some(Gesture::Pan { moved: true, .. }) | Some(Gesture::Drag { moved: true, .. })
    );
    let (zoom_out, zoom_in) = (zoom(0.8), zoom(1.25));
    html! {
        <div class="canvas-wrap">
            <svg ref={svg} class={classes!("canvas", tool_class, dragging.then_some("dragging"))} data-testid="canvas"
                tabindex={if entry.is_some() { "-1" } else { "0" }} role="application"
                aria-label="diagram of the model: Tab reaches its items, arrow keys move between them, Enter selects"
                data-zoom={format!("{:.3}", v.zoom)}
                {onpointerdown} {onpointermove} {onpointerup} {onpointercancel} {onkeydown} {onfocusin}>
                <defs>
                    <pattern id="grid" width={grid.to_string()} height={grid.to_string()} patternUnits="userSpaceOnUse"
                        x={shown.x.to_string()} y={shown.y.to_string()}>
                        <circle cx="1" cy="1" r="1" class="grid-dot" />
                    </pattern>
                </defs>
                if grid >= 6.0 { <rect class="grid" width="100%" height="100%" fill="url(#grid)" /> }
                <g class="world" data-level={level_name} data-cull={detail.cull.map(|c| export::cull_attribute(&c))} style={format!("--px:{}", 1.0 / detail.scale)} transform={format!("translate({} {}) scale({})", shown.x, shown.y, shown.zoom)}>
                    <Layer scene={scene_s.clone()} selection={props.selection.clone()} marks={marks.clone()}
                        overlay={overlay.clone()} review={review.clone()} part={Part::AllBut(hidden)} {detail}
                        visible={Shared(visible.clone())} entry={entry.clone()} />
                    if let Some(part) = moving_layer {
                        <Layer scene={scene_s.clone()} selection={props.selection.clone()} marks={marks.clone()}
                            overlay={overlay.clone()} review={review.clone()} {part}
                            detail={Detail { level: Level::Nodes, cull: None, ..detail }} visible={Shared(moving_visible.clone())} />
                    }
                    { rubber }
                </g>
            </svg>
            if scene.nodes.is_empty() && scene.subnets.is_empty() && scene.routers.is_empty() {
                <div class="canvas-empty" data-testid="canvas-empty">
                    <p>{ "An empty model. Pick Subnet (S) and click the canvas to place one, then add routers (R) and nodes (N); drag from a node's handle to a subnet to attach it." }</p>
                </div>
            }
            if visible.level == Level::Blocks {
                <ul class="legend" data-testid="canvas-legend" aria-label="legend of the blocks">
                    <li title="each block is a subnet with its nodes (zoom in to see them), coloured by its busiest server's load for the service the results show">{ "Subnet blocks, by load:" }</li>
                    <li><span class="swatch heat-0"></span>{ "idle" }</li>
                    <li><span class="swatch heat-2"></span>{ "balanced" }</li>
                    <li><span class="swatch heat-4"></span>{ "overloaded" }</li>
                    <li><span class="swatch heat-none"></span>{ "no server" }</li>
                </ul>
            } else if !scene.nodes.is_empty() {
                <ul class="legend" data-testid="canvas-legend" aria-label="legend of the node glyphs">
                    <li title="the node serves a service"><span class="glyph serves">{ "S" }</span>{ "serves" }</li>
                    <li title="primary registry server"><span class="glyph">{ "★" }</span>{ "primary registry" }</li>
                    <li title="registry server"><span class="glyph">{ "☆" }</span>{ "registry" }</li>
                    <li title="filled chip: online in cluster A, node number 5"><span class="chip-sample filled">{ "A·5" }</span>{ "online there" }</li>
                    <li title="outlined chip: defined to cluster B, not online there"><span class="chip-sample">{ "B·5" }</span>{ "defined" }</li>
                </ul>
            }
            if !props.review.removed.is_empty() {
                <div class="review-removed" data-testid="canvas-removed" role="note">
                    <strong>{ "Removed by the change: " }</strong>{ props.review.removed.join(", ") }
                </div>
            }
            <div class="canvas-controls" role="group" aria-label="zoom">
                <button data-testid="zoom-out" title="Zoom out (-)" aria-label="Zoom out" onclick={zoom_out}>{ "−" }</button>
                <span class="zoom-level" data-testid="zoom-level">{ format!("{:.0} %", v.zoom * 100.0) }</span>
                <button data-testid="zoom-in" title="Zoom in (+)" aria-label="Zoom in" onclick={zoom_in}>{ "+" }</button>
                <button data-testid="zoom-fit" title="Fit to screen (F)" aria-label="Fit to screen" onclick={fit}>{ "Fit" }</button>
                if let Some(choice) = props.theme {
                    <crate::ui::theme_picker::ThemePicker {choice} onchange={props.dispatch.reform(Action::SetTheme)} />
                }
            </div>
        </div>
    }
}
