//! Diagram positions: the document's `layout` extension field, and the automatic layout for
//! documents (or items) without positions. Pure functions, natively tested.
//!
//! The field looks like `{"nodes": {"<uid>": [x, y]}, "subnets": {"<prefix>": [x, y, w]},
//! "routers": {"<name>": [x, y]}}`; other keys inside it are kept untouched.

use crate::model::edit::net::SubnetIndex;
use clusterplan_engine::Document;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// The name of the document's extension field holding the positions.
pub const FIELD: &str = "layout";
/// Size of a node's box.
pub const NODE_W: f64 = 140.0;
pub const NODE_H: f64 = 52.0;
/// A router's radius.
pub const ROUTER_R: f64 = 22.0;
/// Thickness of a subnet's bar.
pub const SUBNET_H: f64 = 12.0;
/// Default and smallest width of a subnet's bar.
pub const SUBNET_W: f64 = 320.0;
pub const SUBNET_MIN_W: f64 = 120.0;
/// The grid positions snap to.
pub const GRID: f64 = 20.0;
/// The gap between two nodes side by side (slots along a subnet, duplicates).
pub const SLOT_GAP: f64 = 20.0;
/// How far below its subnet's bar a node's slot sits.
pub const SLOT_DROP: f64 = 36.0;
/// Room kept clear around an item placed automatically.
const MARGIN: f64 = 8.0;

/// A point in diagram coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

impl Pt {
    pub fn new(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }
}

/// A subnet's bar: top-left corner and width.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// The rectangle spanned by two corners, in any order.
    pub fn from_corners(a: Pt, b: Pt) -> Rect {
        Rect { x: a.x.min(b.x), y: a.y.min(b.y), w: (a.x - b.x).abs(), h: (a.y - b.y).abs() }
    }
    pub fn contains(&self, p: Pt) -> bool {
        p.x >= self.x && p.x <= self.x + self.w && p.y >= self.y && p.y <= self.y + self.h
    }
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x <= o.x + o.w
            && o.x <= self.x + self.w
            && self.y <= o.y + o.h
            && o.y <= self.y + self.h
    }
    /// The overlap of two rectangles, if they overlap.
    pub fn intersection(&self, o: &Rect) -> Option<Rect> {
        let (x0, y0) = (self.x.max(o.x), self.y.max(o.y));
        let (x1, y1) = ((self.x + self.w).min(o.x + o.w), (self.y + self.h).min(o.y + o.h));
        (x0 <= x1 && y0 <= y1).then_some(Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 })
    }
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect {
            x,
            y,
            w: (self.x + self.w).max(o.x + o.w) - x,
            h: (self.y + self.h).max(o.y + o.h) - y,
        }
    }
}

/// Rounds a point to the grid.
pub fn snap(p: Pt, on: bool) -> Pt {
    if on {
        Pt::new((p.x / GRID).round() * GRID, (p.y / GRID).round() * GRID)
    } else {
        p
    }
}

/// Positions of the diagram's items, keyed as the document names them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub nodes: BTreeMap<String, Pt>,
    pub subnets: BTreeMap<String, Bar>,
    pub routers: BTreeMap<String, Pt>,
}

fn number(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64).filter(|f| f.is_finite())
}

fn num_value(f: f64) -> Value {
    // Whole numbers are written as integers (smaller files, cleaner diffs).
    if f.fract() == 0.0 && f.abs() < 1e15 {
        Value::from(f as i64)
    } else {
        Value::from((f * 100.0).round() / 100.0)
    }
}

/// Sets `field[key]` to the object of `entries` (keys in the order given, each with its
/// numbers). An object that already holds exactly those keys in that order is updated entry
/// by entry, rewriting only the positions that changed: a move of one node of a large model
/// touches one entry instead of rebuilding them all. Either way the result is the same object.
fn put(field: &mut Map<String, Value>, key: &str, entries: Vec<(&String, Vec<Value>)>) {
    if let Some(Value::Object(map)) = field.get_mut(key) {
        if map.len() == entries.len() && map.keys().zip(&entries).all(|(a, (b, _))| a == *b) {
            for (value, (_, numbers)) in map.values_mut().zip(entries) {
                if value.as_array() != Some(&numbers) {
                    *value = Value::Array(numbers);
                }
            }
            return;
        }
    }
    let object = entries.into_iter().map(|(k, numbers)| (k.clone(), Value::Array(numbers)));
    field.insert(key.into(), Value::Object(object.collect()));
}

impl Layout {
    /// The positions stored in the document (entries that are not numbers are ignored).
    pub fn read(doc: &Document) -> Layout {
        let mut layout = Layout::default();
        let Some(Value::Object(field)) = doc.extra.get(FIELD) else { return layout };
        let entries = |key: &str| field.get(key).and_then(Value::as_object).into_iter().flatten();
        for (uid, v) in entries("nodes") {
            if let Some(a) = v.as_array() {
                if let (Some(x), Some(y)) = (number(a.first()), number(a.get(1))) {
                    layout.nodes.insert(uid.clone(), Pt::new(x, y));
                }
            }
        }
        for (name, v) in entries("routers") {
            if let Some(a) = v.as_array() {
                if let (Some(x), Some(y)) = (number(a.first()), number(a.get(1))) {
                    layout.routers.insert(name.clone(), Pt::new(x, y));
                }
            }
        }
        for (prefix, v) in entries("subnets") {
            if let Some(a) = v.as_array() {
                if let (Some(x), Some(y)) = (number(a.first()), number(a.get(1))) {
                    let w = number(a.get(2)).unwrap_or(SUBNET_W).max(SUBNET_MIN_W);
                    layout.subnets.insert(prefix.clone(), Bar { x, y, w });
                }
            }
        }
        layout
    }

    /// Writes the positions into the document's `layout` field, keeping its other keys.
    pub fn write(&self, doc: &mut Document) {
        if !matches!(doc.extra.get(FIELD), Some(Value::Object(_))) {
            doc.extra.insert(FIELD.into(), Value::Object(Map::new()));
        }
        let Some(Value::Object(field)) = doc.extra.get_mut(FIELD) else { return };
        let point = |p: &Pt| vec![num_value(p.x), num_value(p.y)];
        put(field, "nodes", self.nodes.iter().map(|(k, p)| (k, point(p))).collect());
        let bar = |b: &Bar| vec![num_value(b.x), num_value(b.y), num_value(b.w)];
        put(field, "subnets", self.subnets.iter().map(|(k, b)| (k, bar(b))).collect());
        put(field, "routers", self.routers.iter().map(|(k, p)| (k, point(p))).collect());
    }

    /// True when every node, subnet and router of the document has a position.
    pub fn covers(&self, doc: &Document) -> bool {
        doc.nodes.iter().all(|n| self.nodes.contains_key(&n.uid))
            && doc.subnets.iter().all(|s| self.subnets.contains_key(&s.prefix))
            && doc.routers.iter().all(|r| self.routers.contains_key(&r.name))
    }

    /// The stored positions, with the automatic layout's for items that have none.
    pub fn complete(doc: &Document) -> Layout {
        let mut layout = Layout::read(doc);
        if !layout.covers(doc) {
            let auto = auto_layout(doc);
            for (k, v) in auto.nodes {
                layout.nodes.entry(k).or_insert(v);
            }
            for (k, v) in auto.subnets {
                layout.subnets.entry(k).or_insert(v);
            }
            for (k, v) in auto.routers {
                layout.routers.entry(k).or_insert(v);
            }
        }
        layout
    }

    /// The box drawn for a node at `p`.
    pub fn node_rect(p: Pt) -> Rect {
        Rect { x: p.x, y: p.y, w: NODE_W, h: NODE_H }
    }
    pub fn router_rect(p: Pt) -> Rect {
        Rect { x: p.x - ROUTER_R, y: p.y - ROUTER_R, w: 2.0 * ROUTER_R, h: 2.0 * ROUTER_R }
    }
    pub fn subnet_rect(b: Bar) -> Rect {
        // The label sits above the bar: count it in.
        Rect { x: b.x, y: b.y - 18.0, w: b.w, h: SUBNET_H + 18.0 }
    }

    /// Whether `r` (grown by a small margin) touches no drawn item.
    pub fn is_free(&self, r: Rect) -> bool {
        let r =
            Rect { x: r.x - MARGIN, y: r.y - MARGIN, w: r.w + 2.0 * MARGIN, h: r.h + 2.0 * MARGIN };
        let inner = |o: Rect| Rect { x: o.x + 0.5, y: o.y + 0.5, w: o.w - 1.0, h: o.h - 1.0 };
        !(self.nodes.values().any(|p| r.intersects(&inner(Layout::node_rect(*p))))
            || self.routers.values().any(|p| r.intersects(&inner(Layout::router_rect(*p))))
            || self.subnets.values().any(|b| r.intersects(&inner(Layout::subnet_rect(*b)))))
    }

    /// The top-left corner of the first free place for `r`, trying `r` and then stepping by
    /// `step` (at most a thousand steps: then the last one tried).
    pub fn free_spot(&self, r: Rect, step: (f64, f64)) -> Pt {
        let mut r = r;
        for _ in 0..1000 {
            if self.is_free(r) {
                break;
            }
            r.x += step.0;
            r.y += step.1;
        }
        Pt::new(r.x, r.y)
    }

    /// Where a new node on the subnet `bar` goes: the first slot along the bar, from its left
    /// end, where it overlaps nothing (possibly past the bar's end: grow the bar to hold it).
    pub fn free_slot(&self, bar: Bar) -> Pt {
        let first = Layout::node_rect(Pt::new(bar.x, bar.y + SUBNET_H + SLOT_DROP));
        self.free_spot(first, (NODE_W + SLOT_GAP, 0.0))
    }

    /// Where a new router attached to the subnet `bar` goes: level with the bar, beside the end
    /// nearer `click_x`, further out while another item is there.
    pub fn router_beside(&self, bar: Bar, click_x: f64) -> Pt {
        const OUT: f64 = 70.0;
        let left = click_x < bar.x + bar.w / 2.0;
        let cy = bar.y + SUBNET_H / 2.0;
        let cx = if left { bar.x - OUT } else { bar.x + bar.w + OUT };
        let step = if left { -(2.0 * ROUTER_R + 30.0) } else { 2.0 * ROUTER_R + 30.0 };
        let spot = self.free_spot(Layout::router_rect(Pt::new(cx, cy)), (step, 0.0));
        Pt::new(spot.x + ROUTER_R, spot.y + ROUTER_R)
    }

    /// The rectangle holding everything drawn; `None` for an empty diagram.
    pub fn bounds(&self) -> Option<Rect> {
        let rects = self
            .nodes
            .values()
            .map(|p| Layout::node_rect(*p))
            .chain(self.routers.values().map(|p| Layout::router_rect(*p)))
            .chain(self.subnets.values().map(|b| Layout::subnet_rect(*b)));
        rects.reduce(|a, b| a.union(&b))
    }
}

/// Places every item of the document: each subnet is a block (its bar, and below it the nodes
/// whose first interface is on it, in rows), blocks in a grid; routers between the subnets they
/// join; nodes on no subnet in a last block. Deterministic.
pub fn auto_layout(doc: &Document) -> Layout {
    const GAP_X: f64 = 20.0;
    const GAP_Y: f64 = 36.0;
    const BLOCK_GAP_X: f64 = 120.0;
    const BLOCK_GAP_Y: f64 = 90.0;
    const MAX_COLS: usize = 10;

    let index = SubnetIndex::new(doc);
    let mut home: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut homeless: Vec<&str> = Vec::new();
    for node in &doc.nodes {
        match node.addresses.iter().find_map(|a| index.subnet_of(a)) {
            Some(prefix) => home.entry(prefix).or_default().push(&node.uid),
            None => homeless.push(&node.uid),
        }
    }
    // Blocks: (subnet prefix or None for the homeless, its nodes).
    let mut blocks: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in &doc.subnets {
        if seen.insert(s.prefix.as_str()) {
            blocks.push((Some(&s.prefix), home.remove(s.prefix.as_str()).unwrap_or_default()));
        }
    }
    if !homeless.is_empty() {
        blocks.push((None, homeless));
    }
    let dims: Vec<(usize, f64, f64)> = blocks
        .iter()
        .map(|(_, nodes)| {
            // A short row for a few nodes; about twice as wide as high for more.
            let n = nodes.len();
            let cols = if n <= 6 { n.max(1) } else { ((2 * n) as f64).sqrt().ceil() as usize }
                .min(MAX_COLS);
            let rows = nodes.len().div_ceil(cols);
            let w = (cols as f64 * (NODE_W + GAP_X) - GAP_X).max(SUBNET_W);
            let h = SUBNET_H + GAP_Y + rows as f64 * (NODE_H + GAP_Y);
            (cols, w, h)
        })
        .collect();
    let grid_cols =
        if blocks.len() <= 3 { 1 } else { (blocks.len() as f64).sqrt().ceil() as usize };
    let has_routers = !doc.routers.is_empty();
    let origin_x = if has_routers { 200.0 } else { 40.0 };
    let mut layout = Layout::default();
    let mut y = 60.0;
    for (row_blocks, row_dims) in blocks.chunks(grid_cols).zip(dims.chunks(grid_cols)) {
        let mut x = origin_x;
        let row_h = row_dims.iter().map(|d| d.2).fold(0.0, f64::max);
        for ((prefix, nodes), (cols, w, _)) in row_blocks.iter().zip(row_dims) {
            if let Some(prefix) = prefix {
                layout.subnets.insert((*prefix).to_owned(), Bar { x, y, w: *w });
            }
            for (i, uid) in nodes.iter().enumerate() {
                let (c, r) = (i % cols, i / cols);
                let p = Pt::new(
                    x + c as f64 * (NODE_W + GAP_X),
                    y + SUBNET_H + GAP_Y + r as f64 * (NODE_H + GAP_Y),
                );
                layout.nodes.entry((*uid).to_owned()).or_insert(p);
            }
            x += w + BLOCK_GAP_X;
        }
        y += row_h + BLOCK_GAP_Y;
    }
    // Routers: at the middle of the subnets they join, left of the blocks when those are stacked
    // in one column; spread apart so two never sit on one spot.
    let mut taken: Vec<Pt> = Vec::new();
    for (i, router) in doc.routers.iter().enumerate() {
        let bars: Vec<Bar> =
            router.subnets.iter().filter_map(|p| layout.subnets.get(p).copied()).collect();
        let mut p = if bars.is_empty() {
            Pt::new(origin_x + i as f64 * 80.0, 0.0)
        } else {
            let n = bars.len() as f64;
            let cy = bars.iter().map(|b| b.y).sum::<f64>() / n;
            if grid_cols == 1 {
                Pt::new(origin_x - 110.0, cy + SUBNET_H / 2.0)
            } else {
                let cx = bars.iter().map(|b| b.x + b.w / 2.0).sum::<f64>() / n;
                Pt::new(cx, cy - 50.0)
            }
        };
        while taken.iter().any(|q| {
            (q.x - p.x).abs() < 2.0 * ROUTER_R + 10.0 && (q.y - p.y).abs() < 2.0 * ROUTER_R + 10.0
        }) {
            p.y += 2.0 * ROUTER_R + 16.0;
        }
        taken.push(p);
        layout.routers.insert(router.name.clone(), snap(p, true));
    }
    layout
}

/// Gives every item of the document a position (documents from the CLI or a file have none).
pub fn with_layout(mut doc: Document) -> Document {
    let layout = Layout::read(&doc);
    if !layout.covers(&doc) {
        Layout::complete(&doc).write(&mut doc);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig24() -> Document {
        crate::model::examples::FIG24.document()
    }

    #[test]
    fn auto_layout_places_every_item_without_overlap() {
        let mut doc = fig24();
        doc.extra.remove(FIELD);
        let layout = auto_layout(&doc);
        assert!(layout.covers(&doc));
        let rects: Vec<Rect> = layout.nodes.values().map(|p| Layout::node_rect(*p)).collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let inner = Rect { x: b.x + 1.0, y: b.y + 1.0, w: b.w - 2.0, h: b.h - 2.0 };
                assert!(!a.intersects(&inner), "{a:?} overlaps {b:?}");
            }
        }
        // Node 5 (10.0.0.1) sits under subnet 10.0.0.0/24.
        let bar = layout.subnets["10.0.0.0/24"];
        let n5 = layout.nodes["n5"];
        assert!(n5.y > bar.y && n5.x >= bar.x && n5.x <= bar.x + bar.w);
        assert_eq!(auto_layout(&doc), layout, "deterministic");
    }

    #[test]
    fn layout_round_trips_through_the_document_and_keeps_other_keys() {
        let mut doc = fig24();
        doc.extra.insert(FIELD.into(), serde_json::json!({"zoom": 2, "nodes": {"n5": [1, 2]}}));
        let mut layout = Layout::read(&doc);
        assert_eq!(layout.nodes["n5"], Pt::new(1.0, 2.0));
        layout.subnets.insert("10.0.0.0/24".into(), Bar { x: 3.5, y: 4.0, w: 500.0 });
        layout.routers.insert("r1".into(), Pt::new(-7.0, 8.0));
        layout.write(&mut doc);
        assert_eq!(doc.extra[FIELD]["zoom"], 2);
        let text = clusterplan_engine::document::write(&doc);
        let back = clusterplan_engine::document::read(&text).unwrap();
        assert_eq!(Layout::read(&back), layout);
    }

    #[test]
    fn a_position_written_in_place_gives_the_text_of_a_fresh_write() {
        // The stored positions as a file may hold them (a float for a whole number, an
        // unrounded one), moved, written over them in place and into an empty field.
        let mut doc = fig24();
        let mut layout = Layout::complete(&doc);
        layout.nodes.insert("n1".into(), Pt::new(10.123456, 20.0));
        layout.write(&mut doc);
        if let Some(Value::Object(field)) = doc.extra.get_mut(FIELD) {
            field["nodes"]["n5"] = serde_json::json!([40.0, 12.5]);
        }
        for (node, to) in [("n5", Pt::new(41.0, 12.5)), ("n1", Pt::new(11.0, -3.25))] {
            let mut moved = Layout::read(&doc);
            moved.nodes.insert(node.into(), to);
            writes_as_fresh(&moved, &mut doc);
            assert_eq!(Layout::read(&doc), moved);
        }
        // A new item re-orders the keys as a fresh write does.
        let mut added = Layout::read(&doc);
        added.nodes.insert("a0".into(), Pt::new(1.0, 1.0));
        writes_as_fresh(&added, &mut doc);
    }

    /// Writes `layout` over `doc`'s positions, and checks that they read as the same text as
    /// `layout` written into an empty field.
    fn writes_as_fresh(layout: &Layout, doc: &mut Document) {
        let mut fresh = doc.clone();
        fresh.extra.insert(FIELD.into(), Value::Object(Map::new()));
        layout.write(&mut fresh);
        layout.write(doc);
        assert_eq!(
            serde_json::to_string(&doc.extra[FIELD]).unwrap(),
            serde_json::to_string(&fresh.extra[FIELD]).unwrap()
        );
    }

    #[test]
    fn garbage_positions_are_ignored_and_completed() {
        let mut doc = fig24();
        doc.extra
            .insert(FIELD.into(), serde_json::json!({"nodes": {"n5": "here", "n1": [10, 20]}}));
        let layout = Layout::complete(&doc);
        assert!(layout.covers(&doc));
        assert_eq!(layout.nodes["n1"], Pt::new(10.0, 20.0));
    }

    #[test]
    fn free_slots_follow_the_bar_and_skip_occupied_places() {
        let mut l = Layout::default();
        let bar = Bar { x: 100.0, y: 100.0, w: SUBNET_W };
        l.subnets.insert("s".into(), bar);
        let first = l.free_slot(bar);
        assert_eq!(first, Pt::new(100.0, 100.0 + SUBNET_H + SLOT_DROP));
        l.nodes.insert("a".into(), first);
        let second = l.free_slot(bar);
        assert_eq!(second, Pt::new(100.0 + NODE_W + SLOT_GAP, first.y));
        l.nodes.insert("b".into(), second);
        // A node dropped off-slot still blocks the slot it overlaps.
        l.nodes.insert("c".into(), Pt::new(second.x + NODE_W + 30.0, first.y + 10.0));
        let fourth = l.free_slot(bar);
        assert_eq!(fourth.x, 100.0 + 3.0 * (NODE_W + SLOT_GAP));
        assert!(fourth.x + NODE_W > bar.x + bar.w, "past the bar's end: the caller grows it");
        // A router beside the bar, level with it; a second one further out.
        let r = l.router_beside(bar, 120.0);
        assert!(r.x + ROUTER_R < bar.x && (r.y - (bar.y + SUBNET_H / 2.0)).abs() < 1e-9);
        l.routers.insert("r1".into(), r);
        let r2 = l.router_beside(bar, 120.0);
        assert!(r2.x < r.x - 2.0 * ROUTER_R && r2.y == r.y);
        let right = l.router_beside(bar, 400.0);
        assert!(right.x - ROUTER_R > bar.x + bar.w);
    }

    #[test]
    fn snap_and_bounds() {
        assert_eq!(snap(Pt::new(29.0, 31.0), true), Pt::new(20.0, 40.0));
        assert_eq!(snap(Pt::new(29.0, 31.0), false), Pt::new(29.0, 31.0));
        assert_eq!(Layout::default().bounds(), None);
        let mut l = Layout::default();
        l.nodes.insert("a".into(), Pt::new(0.0, 0.0));
        l.routers.insert("r".into(), Pt::new(300.0, 100.0));
        let b = l.bounds().unwrap();
        assert_eq!((b.x, b.y, b.w, b.h), (0.0, 0.0, 300.0 + ROUTER_R, 100.0 + ROUTER_R));
    }
}
