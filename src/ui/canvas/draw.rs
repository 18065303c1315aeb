//! SVG rendering of a [`Scene`]: subnets, links, routers and nodes, with selection,
//! diagnostics marks, the results' overlay (failed servers drawn down, rank badges, hop path) and
//! a design review's marks (items the change added or changed).
//! Rendering only, plus the text fitting it needs ([`fit_width`]).

use super::detail::{heat_class, Detail, Level, Visible};
use super::keyboard;
use super::scene::{node_port, router_port, Chip, LinkEnd, Mark, NodeShape, Scene, SubnetShape};
use crate::model::edit::ItemRef;
use crate::model::layout::{Pt, Rect, NODE_H, NODE_W, ROUTER_R, SUBNET_H};
use crate::model::overlay::{CanvasOverlay, RankBadge};
use crate::model::review::ReviewMarks;
use crate::model::simulation::SimNode;
use clusterplan_engine::diff::Change;
use clusterplan_engine::document::node_label;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use yew::prelude::*;

use crate::model::shared::Shared;
pub type Marks = HashMap<ItemRef, Rc<Mark>>;

/// Whether a layer draws an item.
type Keep = Box<dyn Fn(&ItemRef) -> bool>;
/// Where a layer draws an item at a position.
type Shift = Box<dyn Fn(&ItemRef, Pt) -> Pt>;

/// Which items a layer draws, and how far the moved ones are shifted.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Everything except these items (they are being dragged).
    AllBut(Shared<HashSet<ItemRef>>),
    /// Only these items, the `moved` ones shifted by `(dx, dy)`.
    Only { items: Shared<HashSet<ItemRef>>, moved: Shared<HashSet<ItemRef>>, dx: f64, dy: f64 },
}

#[derive(Properties, PartialEq, Debug)]
pub struct LayerProps {
    pub scene: Shared<Scene>,
    pub selection: Rc<Vec<ItemRef>>,
    pub marks: Shared<Marks>,
    pub overlay: Shared<CanvasOverlay>,
    /// What a design review marks (nothing when not comparing).
    pub review: Shared<ReviewMarks>,
    pub part: Part,
    /// What is drawn and how at this view ([`super::detail`]).
    pub detail: Detail,
    /// The items drawn ([`super::detail::visible`]).
    pub visible: Shared<Visible>,
    /// The canvas's one Tab stop (see [`super::keyboard::entry`]).
    #[prop_or_default]
    pub entry: Option<ItemRef>,
}

fn mark_badge(mark: Option<&Rc<Mark>>, x: f64, y: f64, testid: String) -> Html {
    let Some(mark) = mark else { return html! {} };
    html! {
        <g class={classes!("mark", mark.class())} transform={format!("translate({x} {y})")} data-testid={testid} aria-hidden="true">
            <circle r="8" />
            <text y="4" text-anchor="middle">{ "!" }</text>
            <title>{ mark.messages.join("\n") }</title>
        </g>
    }
}

/// The class of an item a design review marks: `review-added` or `review-changed`.
fn review_class(mark: Option<&(Change, String)>) -> Option<&'static str> {
    mark.map(|(change, _)| match change {
        Change::Added => "review-added",
        _ => "review-changed",
    })
}

/// The tag a design review puts on an item it marks (`+ added`, `± changed`), with what changed.
fn review_tag(mark: Option<&(Change, String)>, x: f64, y: f64, testid: String) -> Html {
    let Some((change, title)) = mark else { return html! {} };
    let text = match change {
        Change::Added => "+ added",
        _ => "± changed",
    };
    let w = 12.0 + text_width(text, 11.0);
    html! {
        <g class={classes!("review-tag", review_class(mark))} transform={format!("translate({x} {y})")}
            data-testid={testid} data-change={change.word()} aria-hidden="true">
            <rect y="-11" width={w.to_string()} height="16" rx="3" />
            <text x="6" y="1">{ text }</text>
            <title>{ title.clone() }</title>
        </g>
    }
}

/// One layer of the diagram.
#[function_component(Layer)]
pub fn layer(props: &LayerProps) -> Html {
    let scene = &props.scene;
    // Each block's worst mark (its subnet's and its nodes'), found once per scene and marks.
    let block_marks = use_memo((props.scene.clone(), props.marks.clone()), |(scene, marks)| {
        block_marks(scene, marks)
    });
    let (keep, shift): (Keep, Shift) = match &props.part {
        Part::AllBut(hidden) => {
            let hidden = hidden.clone();
            (Box::new(move |i| !hidden.contains(i)), Box::new(|_, p| p))
        }
        Part::Only { items, moved, dx, dy } => {
            let (items, moved, dx, dy) = (items.clone(), moved.clone(), *dx, *dy);
            (
                Box::new(move |i| items.contains(i)),
                Box::new(
                    move |i, p| if moved.contains(i) { Pt::new(p.x + dx, p.y + dy) } else { p },
                ),
            )
        }
    };
    let selected: HashSet<&ItemRef> = props.selection.iter().collect();
    let overlay = &props.overlay;
    // A selected service shows its server nodes; a selected cluster, its member nodes.
    let picked = |n: &NodeShape| {
        props.selection.iter().any(|i| match i {
            ItemRef::Service { cluster, name } => {
                n.serves.iter().any(|(c, s)| c == cluster && s == name)
            }
            ItemRef::Cluster(id) => n.chips.iter().any(|c| &c.cluster == id),
            _ => false,
        })
    };

    let blocks = props.visible.level == Level::Blocks;
    let subnets = props.visible.subnets.iter().filter(|_| !blocks).filter_map(|&i| {
        let s = &scene.subnets[i];
        let item = ItemRef::Subnet(s.prefix.clone());
        if !keep(&item) {
            return None;
        }
        let p = shift(&item, Pt::new(s.bar.x, s.bar.y));
        let review = props.review.of(&item);
        let class = classes!(
            "subnet",
            selected.contains(&item).then_some("selected"),
            overlay.path_subnets.contains(&s.key).then_some("on-path"),
            overlay.failed_subnets.contains(&s.prefix).then_some("failed"),
            review_class(review)
        );
        let kb = keyboard::key(&item);
        Some(html! {
            <g {class} data-testid={format!("subnet-{}", s.prefix)} key={s.prefix.clone()} data-kb={kb}
                tabindex={keyboard::tabindex(props.entry.as_ref() == Some(&item))} role="button"
                aria-pressed={selected.contains(&item).to_string()}
                aria-label={keyboard::subnet_name(&s.prefix, &s.network)}>
                <rect class="subnet-bar" x={p.x.to_string()} y={p.y.to_string()} width={s.bar.w.to_string()}
                    height={SUBNET_H.to_string()} rx="6" style={format!("fill:{}", s.colour)} />
                <text class="subnet-label" x={(p.x + 4.0).to_string()} y={(p.y - 6.0).to_string()} style={format!("fill:{}", s.colour)}>
                    { format!("{} · {}", s.prefix, s.network) }
                </text>
                <circle class="resize-handle" cx={(p.x + s.bar.w).to_string()} cy={(p.y + SUBNET_H / 2.0).to_string()} r="5" />
                { mark_badge(props.marks.get(&item), p.x + s.bar.w - 14.0, p.y - 10.0, format!("mark-subnet-{}", s.prefix)) }
                { review_tag(review, p.x, p.y + SUBNET_H + 16.0, format!("review-subnet-{}", s.prefix)) }
            </g>
        })
    });

    let block_views = props.visible.subnets.iter().filter(|_| blocks).filter_map(|&i| {
        let s = &scene.subnets[i];
        let item = ItemRef::Subnet(s.prefix.clone());
        if !keep(&item) {
            return None;
        }
        let block = &scene.blocks[i];
        // A block holding a node the selection picks (a selected service's servers, a
        // selected cluster's members) is outlined as those nodes would be.
        let highlight = block.nodes.iter().any(|&n| picked(&scene.nodes[n]));
        let mark = block_marks[i].clone();
        Some(html! {
            <BlockView key={s.prefix.clone()} shape={s.clone()} rect={block.rect} count={block.nodes.len()}
                heat={overlay.heat.get(&s.key).copied()}
                label={props.detail.block_label(block.rect.w)} scale={props.detail.scale}
                selected={selected.contains(&item)} entry={props.entry.as_ref() == Some(&item)}
                on_path={overlay.path_subnets.contains(&s.key)} {highlight} {mark}
                review={review_class(props.review.of(&item))} />
        })
    });

    let links = props.visible.links.iter().filter_map(|&i| {
        let link = &scene.links[i];
        let item = link.item(scene);
        if !keep(&item) {
            return None;
        }
        let (a, b) = scene.link_points(link, &*shift);
        let subnet = &scene.subnets[link.subnet].prefix;
        let on_path = overlay.path_subnets.contains(&scene.subnets[link.subnet].key)
            && match &link.end {
                LinkEnd::Node { node, .. } => overlay.path_nodes.contains(&scene.nodes[*node].uid),
                LinkEnd::Router(r) => overlay.path_routers.contains(&scene.routers[*r].name),
            };
        let class = classes!(
            "link",
            matches!(link.end, LinkEnd::Router(_)).then_some("router-link"),
            selected.contains(&item).then_some("selected"),
            on_path.then_some("on-path"),
            // The current event's message in flight (the Simulate tab), animated along its path.
            (on_path && overlay.sim.as_ref().is_some_and(|s| s.target.is_some()))
                .then_some("sim-message")
        );
        let (testid, label) = match &link.end {
            LinkEnd::Node { node, address } => (format!("link-{}-{}", scene.nodes[*node].uid, address), Some(address)),
            LinkEnd::Router(r) => (format!("link-{}-{}", scene.routers[*r].name, subnet), None),
        };
        let label = label.filter(|_| props.detail.link_labels).map(|text| {
            let (x, y) = ((a.x * 0.35 + b.x * 0.65) + 4.0, a.y * 0.35 + b.y * 0.65);
            html! { <text class="link-label" x={x.to_string()} y={y.to_string()}>{ text.clone() }</text> }
        });
        Some(html! {
            <g class="link-group" key={testid.clone()}>
                <line {class} data-testid={testid} x1={a.x.to_string()} y1={a.y.to_string()} x2={b.x.to_string()} y2={b.y.to_string()} />
                { for label }
            </g>
        })
    });

    // Zoomed out to blocks, a router keeps about 4 px on the screen (only its circle: the rest
    // would be unreadable).
    let router_r = if blocks { ROUTER_R.max(4.0 / props.detail.scale) } else { ROUTER_R };
    let routers = props.visible.routers.iter().filter_map(|&i| {
        let r = &scene.routers[i];
        let item = ItemRef::Router(r.name.clone());
        if !keep(&item) {
            return None;
        }
        let p = shift(&item, r.pos);
        let port = router_port(p);
        let review = props.review.of(&item);
        let class = classes!(
            "router",
            selected.contains(&item).then_some("selected"),
            overlay.path_routers.contains(&r.name).then_some("on-path"),
            overlay.failed_routers.contains(&r.name).then_some("failed"),
            review_class(review)
        );
        let kb = keyboard::key(&item);
        Some(html! {
            <g {class} data-testid={format!("router-{}", r.name)} key={r.name.clone()} data-kb={kb}
                tabindex={keyboard::tabindex(props.entry.as_ref() == Some(&item))} role="button"
                aria-pressed={selected.contains(&item).to_string()} aria-label={keyboard::router_name(&r.name)}>
                <circle class="router-body" cx={p.x.to_string()} cy={p.y.to_string()} r={router_r.to_string()} />
                if props.detail.names {
                    <text class="router-icon" x={p.x.to_string()} y={(p.y + 5.0).to_string()} text-anchor="middle">{ "⇄" }</text>
                    <text class="router-label" x={p.x.to_string()} y={(p.y + ROUTER_R + 14.0).to_string()} text-anchor="middle">{ r.name.clone() }</text>
                    <circle class="port" cx={port.x.to_string()} cy={port.y.to_string()} r="5" />
                } else {
                    <title>{ keyboard::router_name(&r.name) }</title>
                }
                { mark_badge(props.marks.get(&item), p.x + ROUTER_R, p.y - ROUTER_R, format!("mark-router-{}", r.name)) }
                { review_tag(review, p.x + ROUTER_R + 4.0, p.y + 4.0, format!("review-router-{}", r.name)) }
            </g>
        })
    });

    let nodes = props.visible.nodes.iter().filter_map(|&i| {
        let n = &scene.nodes[i];
        let item = ItemRef::Node(n.uid.clone());
        if !keep(&item) {
            return None;
        }
        let p = shift(&item, n.pos);
        Some(html! {
            <NodeView key={n.uid.clone()} shape={n.clone()} x={p.x} y={p.y}
                selected={selected.contains(&item)} entry={props.entry.as_ref() == Some(&item)}
                mark={props.marks.get(&item).cloned()}
                badges={overlay.badges_of(&n.uid).iter().map(|b| Pill::of(b, overlay.several_services)).collect::<Vec<_>>()}
                down={overlay.is_down(&n.uid)}
                on_path={overlay.path_nodes.contains(&n.uid)}
                highlight={picked(n)}
                review={props.review.of(&item).cloned()}
                sim={overlay.sim.as_ref().map(|s| s.node(&n.uid))}
                detail={props.detail.chips} names={props.detail.names} />
        })
    });

    html! {
        <g class="layer">
            <g class="subnets">{ for subnets }{ for block_views }</g>
            <g class="links">{ for links }</g>
            <g class="routers">{ for routers }</g>
            <g class="nodes">{ for nodes }</g>
        </g>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct NodeViewProps {
    pub shape: Rc<NodeShape>,
    pub x: f64,
    pub y: f64,
    pub selected: bool,
    /// The canvas's one Tab stop.
    #[prop_or_default]
    pub entry: bool,
    pub mark: Option<Rc<Mark>>,
    /// The selected node's rank badges on this server (none when it is not listed).
    pub badges: Vec<Pill>,
    /// A server the user failed: drawn greyed, with a "down" mark.
    pub down: bool,
    pub on_path: bool,
    /// Serves the selected service, or belongs to the selected cluster.
    pub highlight: bool,
    /// A design review's mark on it: added or changed, and what changed.
    #[prop_or_default]
    pub review: Option<(Change, String)>,
    /// Draw the cluster chips (off when zoomed out: unreadable).
    pub detail: bool,
    /// Draw the name and the `S` mark (off when a large model is zoomed out).
    #[prop_or(true)]
    pub names: bool,
    /// The Simulate tab's marks on this node (process badges, registry incarnation and
    /// requests, the current event's node and target).
    #[prop_or_default]
    pub sim: Option<SimNode>,
}

#[derive(Properties, PartialEq, Debug)]
pub struct BlockViewProps {
    /// The subnet.
    pub shape: Rc<SubnetShape>,
    pub rect: Rect,
    /// The nodes placed under the subnet.
    pub count: usize,
    /// Its busiest server's load over the ideal, for the shown service (none: it holds none).
    pub heat: Option<f64>,
    /// Draw the prefix and the node count (the block is wide enough on the screen).
    pub label: bool,
    /// The zoom rounded down to a power of two: labels keep about 13 px on the screen.
    pub scale: f64,
    pub selected: bool,
    /// The canvas's one Tab stop.
    pub entry: bool,
    pub on_path: bool,
    /// Holds nodes the selection picks (a selected service's servers, a cluster's members).
    pub highlight: bool,
    /// The worst diagnostics mark of the subnet and its nodes.
    pub mark: Option<Rc<Mark>>,
    /// A design review's class (`review-added`, `review-changed`).
    pub review: Option<&'static str>,
}

/// A subnet zoomed out (`docs/editor.md`, "Large models"): one block holding its bar and
/// nodes, in its network's colour, filled by the load heat of the shown service; its prefix
/// and node count when there is room to read them.
#[function_component(BlockView)]
pub fn block_view(props: &BlockViewProps) -> Html {
    let (r, prefix, network) = (props.rect, &props.shape.prefix, &props.shape.network);
    let heat = props.heat.map(heat_class);
    let class = classes!(
        "block",
        heat.unwrap_or("no-heat"),
        props.selected.then_some("selected"),
        props.on_path.then_some("on-path"),
        props.highlight.then_some("highlight"),
        props.review
    );
    let size = 13.0 / props.scale;
    let nodes =
        if props.count == 1 { "1 node".to_owned() } else { format!("{} nodes", props.count) };
    let load = props.heat.map_or(String::new(), |h| {
        format!(", busiest server at {:.0} % of the ideal load", h * 100.0)
    });
    html! {
        <g {class} data-testid={format!("block-{}", prefix)} data-kb={format!("subnet:{}", prefix)}
            data-count={props.count.to_string()} data-heat={heat.unwrap_or("")}
            tabindex={keyboard::tabindex(props.entry)} role="button" aria-pressed={props.selected.to_string()}
            aria-label={format!("{}, {nodes}{load}", keyboard::subnet_name(prefix, network))}>
            // Fills only (strokes and rounded corners cost most to paint in software, a
            // thousand times over): the heat, and a strip in the network's colour on top.
            <rect class="block-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} />
            <rect class="block-bar" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()}
                height={(SUBNET_H + 18.0).max(2.0 / props.scale).min(r.h / 5.0).to_string()} style={format!("fill:{}", props.shape.colour)} />
            if props.label {
                <text class="block-label" x={(r.x + size * 0.6).to_string()} y={(r.y + size * 1.4).to_string()}
                    style={format!("font-size:{size}px")}>
                    <tspan>{ prefix.clone() }</tspan>
                    <tspan x={(r.x + size * 0.6).to_string()} dy={(size * 1.25).to_string()}>{ nodes.clone() }</tspan>
                </text>
            }
            <g transform={format!("translate({} {}) scale({})", r.x + r.w, r.y, 1.0 / props.scale)}>
                { mark_badge(props.mark.as_ref(), 0.0, 0.0, format!("mark-subnet-{}", prefix)) }
            </g>
            <title>{ format!("{} · {}: {nodes}{load}", prefix, network) }</title>
        </g>
    }
}

/// Each subnet's block's worst diagnostics mark: the subnet's own and its nodes' (indexed like
/// [`Scene::subnets`]).
fn block_marks(scene: &Scene, marks: &Marks) -> Vec<Option<Rc<Mark>>> {
    scene
        .blocks
        .iter()
        .zip(&scene.subnets)
        .map(|(block, s)| {
            block
                .nodes
                .iter()
                .filter_map(|&n| marks.get(&ItemRef::Node(scene.nodes[n].uid.clone())))
                .chain(marks.get(&ItemRef::Subnet(s.prefix.clone())))
                .min_by_key(|m| m.severity)
                .cloned()
        })
        .collect()
}

/// `text` cut to `max` characters, with an ellipsis when cut (the full name is in the title).
pub fn fit_label(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The width of `text` in pixels at `size` px, estimated for a bold sans-serif from DejaVu Sans
/// Bold's advance widths (a wide font: other fonts come out narrower, never wider).
pub fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.35,
            '<' | '>' | '=' | '+' | '~' => 0.84,
            ' ' => 0.35,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | '\\' | '-' => 0.5,
            's' | 'c' | 'z' => 0.6,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.05,
            'A'..='Z' => 0.8,
            c if c.is_ascii() => 0.72,
            _ => 1.0,
        })
        .sum();
    em * size
}

/// `text` cut to fit `max_px` pixels at `size` px, with an ellipsis when cut (see [`text_width`]).
pub fn fit_width(text: &str, max_px: f64, size: f64) -> String {
    if text_width(text, size) <= max_px {
        return text.to_owned();
    }
    let room = max_px - text_width("…", size);
    let mut cut = String::new();
    for c in text.chars() {
        let mut next = cut.clone();
        next.push(c);
        if text_width(&next, size) > room {
            break;
        }
        cut = next;
    }
    let mut cut = cut.trim_end().to_owned();
    cut.push('…');
    cut
}

/// The node name's font size, and the room it has beside the "S" serves mark (from x = 8 to 4 px
/// before the mark, which ends 6 px before the node's right edge and is about 10 px wide).
const NAME_SIZE: f64 = 12.0;
#[cfg(test)]
const NAME_ROOM: f64 = NODE_W - 16.0;
const NAME_ROOM_BESIDE_S: f64 = NODE_W - 8.0 - 6.0 - 10.0 - 4.0;

/// One rank badge as drawn: its text, its tooltip and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct Pill {
    pub label: String,
    pub title: String,
    /// The server is down: the badge is greyed and struck through.
    pub down: bool,
    /// The server serves the selected node now (after failures): the badge is green, ticked.
    pub serving: bool,
}

impl Pill {
    pub fn of(badge: &RankBadge, with_service: bool) -> Pill {
        Pill {
            label: badge.label(with_service),
            title: badge.title(),
            down: badge.down,
            serving: badge.serving,
        }
    }

    fn text(&self) -> String {
        if self.serving {
            format!("{} ✓", self.label)
        } else {
            self.label.clone()
        }
    }
}

/// The badges above a node, left to right, then the "down" mark of a failed server.
fn badge_row(uid: &str, pills: &[Pill], down: bool) -> Html {
    const H: f64 = 16.0;
    // Badge text is 11 px bold (editor.css); 6 px of padding each side.
    let width = |text: &str| 12.0 + text_width(text, 11.0);
    let mut x = -4.0;
    let pills_html = pills
        .iter()
        .map(|p| {
            let text = p.text();
            let w = width(&text);
            let at = x;
            x += w + 3.0;
            let class = classes!("pill", p.down.then_some("down"), p.serving.then_some("serving"));
            html! {
                <g {class} transform={format!("translate({at} 0)")} data-down={p.down.to_string()} data-serving={p.serving.to_string()}>
                    <rect y="-11" width={w.to_string()} height={H.to_string()} rx="8" />
                    <text x="6" y="1">{ text }</text>
                    if p.down {
                        <line class="strike" x1="3" y1="-3" x2={(w - 3.0).to_string()} y2="-3" />
                    }
                    <title>{ p.title.clone() }</title>
                </g>
            }
        })
        .collect::<Html>();
    let down_mark = down.then(|| {
        html! {
            <g class="down-mark" transform={format!("translate({x} 0)")} data-testid={format!("down-{uid}")}>
                <rect y="-11" width={width("✕ down").to_string()} height={H.to_string()} rx="3" />
                <text x="6" y="1">{ "✕ down" }</text>
                <title>{ "failed in the load view: down for every service it serves (click its bar there to bring it back)" }</title>
            </g>
        }
    });
    if pills.is_empty() && !down {
        return html! {};
    }
    let labels = pills.iter().map(|p| p.label.clone()).collect::<Vec<_>>().join(" · ");
    html! {
        <g class="badge-row" transform="translate(0 -12)" aria-hidden="true">
            if !pills.is_empty() {
                <g class="rank-badge" data-testid={format!("rank-{uid}")} data-badges={labels}>{ pills_html }</g>
            }
            { for down_mark }
        </g>
    }
}

/// The node's processes as small badges under it, coloured by state.
fn process_badges(uid: &str, sim: &SimNode) -> Html {
    if sim.processes.is_empty() && sim.cluster.is_none() {
        return html! {};
    }
    let mut x = 0.0;
    // First its cluster pointers (current, and the target during a move).
    let cluster = sim.cluster.as_ref().map(|text| {
        let w = 8.0 + text_width(text, 9.0);
        x += w + 2.0;
        html! {
            <g class="proc cluster" data-testid={format!("sim-cluster-{uid}")} data-cluster={text.clone()}>
                <rect width={w.to_string()} height="13" rx="6" />
                <text x="4" y="10">{ text }</text>
                <title>{ format!("cluster pointers: {text} (current{})", if text.contains('→') { " → target" } else { "" }) }</title>
            </g>
        }
    });
    let badges = sim.processes.iter().map(|(label, class, state)| {
        let w = 8.0 + text_width(label, 9.0);
        let at = x;
        x += w + 2.0;
        html! {
            <g class={classes!("proc", *class)} transform={format!("translate({at} 0)")} data-state={state.clone()}>
                <rect width={w.to_string()} height="13" rx="3" />
                <text x="4" y="10">{ label }</text>
                <title>{ format!("{label}: {state}") }</title>
            </g>
        }
    });
    html! {
        <g class="sim-processes" data-testid={format!("sim-proc-{uid}")} transform={format!("translate(0 {})", NODE_H + 3.0)} aria-hidden="true">
            { for cluster }
            { for badges }
        </g>
    }
}

fn chip_text(chip: &Chip) -> String {
    let role = match chip.registry {
        Some(0) => " ★",
        Some(_) => " ☆",
        None => "",
    };
    format!("{}·{}{}", chip.cluster, chip.number, role)
}

/// A node: its name, a chip per cluster it is defined to (filled = online there; ★ primary
/// registry server, ☆ other registry server), what it serves, its link handle.
#[function_component(NodeView)]
pub fn node_view(props: &NodeViewProps) -> Html {
    let n = &props.shape;
    let class = classes!(
        "node",
        props.selected.then_some("selected"),
        props.on_path.then_some("on-path"),
        props.highlight.then_some("highlight"),
        props.down.then_some("down"),
        review_class(props.review.as_ref()),
        props.sim.as_ref().filter(|s| s.down).map(|_| "sim-down"),
        props.sim.as_ref().filter(|s| s.current).map(|_| "sim-current"),
        props.sim.as_ref().filter(|s| s.target).map(|_| "sim-target")
    );
    // During a simulation the badge row above the node says the registry replica's
    // incarnation and requests served (instead of rank badges).
    let pills: Vec<Pill> = match &props.sim {
        Some(sim) => sim
            .registry
            .iter()
            .map(|text| Pill {
                label: text.clone(),
                title: format!("registry replica: {text}"),
                down: false,
                serving: false,
            })
            .collect(),
        None => props.badges.clone(),
    };
    // Beside the "S" (serves) mark the name is cut to its room by an estimate, and clipped there
    // (a nested viewport) whatever the font, so it never runs into the mark. Elsewhere it keeps
    // the editor's rule (19 characters).
    let name = if n.name.is_empty() { &n.uid } else { &n.name };
    let beside_s = !n.serves.is_empty();
    let title =
        if beside_s { fit_width(name, NAME_ROOM_BESIDE_S, NAME_SIZE) } else { fit_label(name, 19) };
    let mut x = 8.0;
    let chips = n.chips.iter().map(|c| {
        let text = chip_text(c);
        let w = 10.0 + 6.5 * text.chars().count() as f64;
        let at = x;
        x += w + 4.0;
        let (fill, ink) = if c.online {
            (c.colour.as_str(), c.ink.as_str())
        } else {
            ("var(--node-bg)", c.colour.as_str())
        };
        html! {
            <g class={classes!("chip", c.online.then_some("online"))} transform={format!("translate({at} 29)")}
               data-cluster={c.cluster.clone()} aria-hidden="true">
                <rect width={w.to_string()} height="16" rx="8" style={format!("fill:{fill};stroke:{}", c.colour)} />
                <text x={(w / 2.0).to_string()} y="12" text-anchor="middle" style={format!("fill:{ink}")}>{ text }</text>
                <title>{ format!("cluster {} node number {}{}{}", c.cluster, c.number,
                    if c.online { ", online here" } else { "" },
                    match c.registry { Some(0) => ", primary registry server", Some(_) => ", registry server", None => "" }) }</title>
            </g>
        }
    });
    let port = node_port(Pt::new(0.0, 0.0));
    html! {
        <g {class} data-testid={format!("node-{}", n.uid)} transform={format!("translate({} {})", props.x, props.y)}>
            <rect class="node-box" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8" />
            if !props.names {
                // Zoomed out: no texts (unreadable at that size; the title names the node).
            } else if beside_s {
                <svg class="node-name-room" aria-hidden="true" x="8" y="0" width={NAME_ROOM_BESIDE_S.to_string()} height={NODE_H.to_string()} overflow="hidden">
                    <text class="node-name" x="0" y="19">{ title }</text>
                </svg>
            } else {
                <text class="node-name" x="8" y="19" aria-hidden="true">{ title }</text>
            }
            if props.detail { { for chips } }
            if props.names && !n.serves.is_empty() {
                <text class="node-serves" x={(NODE_W - 6.0).to_string()} y="19" text-anchor="end" aria-hidden="true">
                    { "S" }<title>{ format!("serves {}", n.serves.iter().map(|(c, s)| format!("{s} (cluster {c})")).collect::<Vec<_>>().join(", ")) }</title>
                </text>
            }
            <circle class="port" cx={port.x.to_string()} cy={port.y.to_string()} r="5" />
            { mark_badge(props.mark.as_ref(), NODE_W, 0.0, format!("mark-node-{}", n.uid)) }
            { badge_row(&n.uid, &pills, props.down) }
            { review_tag(props.review.as_ref(), 0.0, NODE_H + 14.0, format!("review-node-{}", n.uid)) }
            if let Some(sim) = &props.sim { { process_badges(&n.uid, sim) } }
            // The keyboard's target: the node's button, named for a screen reader (its drawn
            // texts, cut to fit and with glyphs, stay out of the name).
            <rect class="kb-target" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8"
                data-kb={format!("node:{}", n.uid)} tabindex={keyboard::tabindex(props.entry)} role="button"
                aria-pressed={props.selected.to_string()} aria-label={keyboard::node_name(n)} />
            <title>{ format!("{}{}", node_label(&n.uid, &n.name), if props.down { ": failed, down" } else { "" }) }</title>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_beside_the_serves_mark_is_cut_to_its_room() {
        // "node 5 (server 1)" is about 117 px wide in DejaVu Sans Bold at 12 px: too wide for
        // the room left of the "S".
        let name = "node 5 (server 1)";
        assert!(text_width(name, NAME_SIZE) > NAME_ROOM_BESIDE_S);
        let fitted = fit_width(name, NAME_ROOM_BESIDE_S, NAME_SIZE);
        assert!(fitted.starts_with("node 5 (serv") && fitted.ends_with('…'), "{fitted}");
        assert!(text_width(&fitted, NAME_SIZE) <= NAME_ROOM_BESIDE_S);
        // Without the mark it fits whole; short names are never cut.
        assert_eq!(fit_width(name, NAME_ROOM, NAME_SIZE), name);
        assert_eq!(fit_width("node 1", NAME_ROOM_BESIDE_S, NAME_SIZE), "node 1");
        // Wide letters take more room than narrow ones; nothing fits in no room but the ellipsis.
        assert!(text_width("WWWW", 12.0) > text_width("iiii", 12.0));
        let wide = fit_width(&"W".repeat(40), NAME_ROOM_BESIDE_S, NAME_SIZE);
        assert!(wide.ends_with('…') && text_width(&wide, NAME_SIZE) <= NAME_ROOM_BESIDE_S);
        assert_eq!(fit_width("abc", 0.0, NAME_SIZE), "…");
    }

    #[test]
    fn a_serving_badge_is_ticked_and_a_down_one_keeps_its_rank() {
        use crate::model::view::ServiceKey;
        let badge = |down, serving| RankBadge {
            service: ServiceKey::new("A", "registry"),
            rank: 4,
            down,
            serving,
        };
        assert_eq!(Pill::of(&badge(false, true), false).text(), "#4 ✓");
        let down = Pill::of(&badge(true, false), true);
        assert_eq!((down.text().as_str(), down.down), ("registry #4", true));
    }
}
