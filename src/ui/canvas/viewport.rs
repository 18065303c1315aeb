//! The canvas's view transform (zoom and pan): screen = world x zoom + offset. Pure.

use crate::model::layout::{Pt, Rect};
use std::rc::Rc;
use yew::Reducible;

pub const MIN_ZOOM: f64 = 0.03;
pub const MAX_ZOOM: f64 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub zoom: f64,
    /// Screen position of the world's origin.
    pub x: f64,
    pub y: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport { zoom: 1.0, x: 0.0, y: 0.0 }
    }
}

impl Viewport {
    pub fn to_world(&self, sx: f64, sy: f64) -> Pt {
        Pt::new((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)
    }

    pub fn to_screen(&self, p: Pt) -> (f64, f64) {
        (p.x * self.zoom + self.x, p.y * self.zoom + self.y)
    }

    /// Zooms by `factor`, keeping the world point under the screen point `(sx, sy)` in place.
    pub fn zoom_at(&self, factor: f64, sx: f64, sy: f64) -> Viewport {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let w = self.to_world(sx, sy);
        Viewport { zoom, x: sx - w.x * zoom, y: sy - w.y * zoom }
    }

    /// A two-finger pinch from screen points `(a0, b0)` to `(a1, b1)`, starting from this view:
    /// zoomed by the change of the fingers' distance, and the world point that was under their
    /// midpoint kept under it (so the drawing follows the fingers, and two fingers moving together
    /// pan it).
    pub fn pinched(
        &self,
        a0: (f64, f64),
        b0: (f64, f64),
        a1: (f64, f64),
        b1: (f64, f64),
    ) -> Viewport {
        let dist = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1);
        let mid = |a: (f64, f64), b: (f64, f64)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (d0, d1) = (dist(a0, b0), dist(a1, b1));
        let factor = if d0 > 1.0 && d1 > 1.0 { d1 / d0 } else { 1.0 };
        let (m0, m1) = (mid(a0, b0), mid(a1, b1));
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let w = self.to_world(m0.0, m0.1);
        Viewport { zoom, x: m1.0 - w.x * zoom, y: m1.1 - w.y * zoom }
    }

    pub fn panned(&self, dx: f64, dy: f64) -> Viewport {
        Viewport { x: self.x + dx, y: self.y + dy, ..*self }
    }

    /// Shows all of `bounds` in a `width x height` screen, centred, with a margin; never zooms in
    /// past 1.5 (a small diagram is not blown up).
    pub fn fit(bounds: Rect, width: f64, height: f64) -> Viewport {
        const MARGIN: f64 = 40.0;
        let (w, h) = ((width - 2.0 * MARGIN).max(50.0), (height - 2.0 * MARGIN).max(50.0));
        let zoom = (w / bounds.w.max(1.0)).min(h / bounds.h.max(1.0)).clamp(MIN_ZOOM, 1.5);
        let cx = bounds.x + bounds.w / 2.0;
        let cy = bounds.y + bounds.h / 2.0;
        Viewport { zoom, x: width / 2.0 - cx * zoom, y: height / 2.0 - cy * zoom }
    }
}

/// The zoom an item is shown at when the view goes to it (a link that opens on a node): its
/// name and chips readable.
pub const READABLE_ZOOM: f64 = 1.0;
/// How far inside the screen's edges an item must be to count as shown (screen pixels).
pub const REVEAL_MARGIN: f64 = 24.0;

impl Viewport {
    /// Whether all of `r` (diagram coordinates) lies on a `width x height` screen, at least
    /// [`REVEAL_MARGIN`] inside its edges (or, for an item larger than the screen, covers it).
    pub fn shows(&self, r: Rect, width: f64, height: f64) -> bool {
        let (l, t) = self.to_screen(Pt::new(r.x, r.y));
        let (rt, b) = self.to_screen(Pt::new(r.x + r.w, r.y + r.h));
        let fits = |lo: f64, hi: f64, size: f64| {
            if hi - lo > size - 2.0 * REVEAL_MARGIN {
                lo <= REVEAL_MARGIN && hi >= size - REVEAL_MARGIN
            } else {
                lo >= REVEAL_MARGIN && hi <= size - REVEAL_MARGIN
            }
        };
        fits(l, rt, width) && fits(t, b, height)
    }

    /// This view at `zoom`, moved so that the middle of `r` is the middle of the screen.
    pub fn centred_on(r: Rect, width: f64, height: f64, zoom: f64) -> Viewport {
        let zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let (cx, cy) = (r.x + r.w / 2.0, r.y + r.h / 2.0);
        Viewport { zoom, x: width / 2.0 - cx * zoom, y: height / 2.0 - cy * zoom }
    }

    /// Brings `r` into view when it is not (an item selected in the results, or reached by the
    /// keyboard, off the screen): unchanged when [`Viewport::shows`] it, else centred on it at
    /// the same zoom.
    pub fn reveal(&self, r: Rect, width: f64, height: f64) -> Viewport {
        if self.shows(r, width, height) {
            *self
        } else {
            Viewport::centred_on(r, width, height, self.zoom)
        }
    }

    /// Goes to `r` (a link that opens on a node): centred, at [`READABLE_ZOOM`] or more when
    /// the view was zoomed in further, and less only when `r` would not fit the screen.
    pub fn focus(&self, r: Rect, width: f64, height: f64) -> Viewport {
        let room =
            |size: f64, extent: f64| (size - 2.0 * REVEAL_MARGIN - 2.0).max(10.0) / extent.max(1.0);
        let fitting = room(width, r.w).min(room(height, r.h));
        let zoom = self.zoom.max(READABLE_ZOOM).min(fitting);
        Viewport::centred_on(r, width, height, zoom)
    }
}

/// The zoom factor of one wheel event: `delta_y` in `delta_mode` units (0 pixels, 1 lines,
/// 2 pages). A trackpad pinch arrives as a wheel event with Ctrl held and small pixel deltas, so
/// it zooms several times faster per pixel than a mouse wheel's notches (about 100 px each).
pub fn wheel_zoom(delta_y: f64, delta_mode: u32, ctrl: bool) -> f64 {
    let pixels = match delta_mode {
        1 => delta_y * 16.0,
        2 => delta_y * 400.0,
        _ => delta_y,
    };
    let rate = if ctrl && delta_mode == 0 { 0.01 } else { 0.0015 };
    (-pixels * rate).clamp(-1.0, 1.0).exp()
}

/// Changes of the viewport; a reducer so that event listeners set up once always act on the
/// latest view.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewportAction {
    Set(Viewport),
    ZoomAt { factor: f64, sx: f64, sy: f64 },
}

impl Reducible for Viewport {
    type Action = ViewportAction;
    fn reduce(self: Rc<Self>, action: ViewportAction) -> Rc<Self> {
        Rc::new(match action {
            ViewportAction::Set(v) => v,
            ViewportAction::ZoomAt { factor, sx, sy } => self.zoom_at(factor, sx, sy),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_finger_pinch_zooms_about_its_midpoint_and_follows_the_fingers() {
        let v = Viewport { zoom: 0.5, x: 40.0, y: -20.0 };
        let (a0, b0) = ((100.0, 100.0), (200.0, 100.0));
        // Fingers spread to twice the distance around the same midpoint.
        let spread = v.pinched(a0, b0, (50.0, 100.0), (250.0, 100.0));
        assert!((spread.zoom - 1.0).abs() < 1e-12);
        let under = v.to_world(150.0, 100.0);
        let (sx, sy) = spread.to_screen(under);
        assert!((sx - 150.0).abs() < 1e-9 && (sy - 100.0).abs() < 1e-9);
        // Both fingers moved together by (30, -10): a pan, same zoom.
        let moved = v.pinched(a0, b0, (130.0, 90.0), (230.0, 90.0));
        assert!((moved.zoom - v.zoom).abs() < 1e-12);
        assert!((moved.x - (v.x + 30.0)).abs() < 1e-9 && (moved.y - (v.y - 10.0)).abs() < 1e-9);
        // Fingers on one spot cannot divide by zero; the zoom stays within its bounds.
        assert_eq!(v.pinched(a0, a0, a0, a0).zoom, v.zoom);
        assert_eq!(v.pinched(a0, b0, a0, (100.0 + 1e6, 100.0)).zoom, MAX_ZOOM);
    }

    #[test]
    fn a_pinch_zooms_faster_than_a_wheel_and_both_ways_undo_each_other() {
        // A mouse notch (100 px) zooms by about 16 %; a pinch step of 10 px by about 10 %.
        assert!((wheel_zoom(-100.0, 0, false) - 1.1618).abs() < 1e-3);
        assert!((wheel_zoom(-10.0, 0, true) - 1.1052).abs() < 1e-3);
        assert!(wheel_zoom(10.0, 0, true) < 1.0);
        assert!((wheel_zoom(3.0, 1, false) * wheel_zoom(-3.0, 1, false) - 1.0).abs() < 1e-12);
        // A wild delta cannot jump the zoom more than e-fold in one event.
        assert!(wheel_zoom(-1e6, 0, true) <= std::f64::consts::E + 1e-12);
    }

    #[test]
    fn an_item_off_the_screen_is_revealed_and_one_on_it_left_alone() {
        let (w, h) = (1000.0, 600.0);
        let v = Viewport { zoom: 0.5, x: 0.0, y: 0.0 };
        let on = Rect { x: 200.0, y: 200.0, w: 160.0, h: 56.0 };
        assert!(v.shows(on, w, h));
        assert_eq!(v.reveal(on, w, h), v);
        // Far to the right, half off the bottom, just inside the margin: not shown.
        for off in [
            Rect { x: 5000.0, y: 200.0, w: 160.0, h: 56.0 },
            Rect { x: 200.0, y: 1180.0, w: 160.0, h: 56.0 },
            Rect { x: 10.0, y: 200.0, w: 160.0, h: 56.0 },
        ] {
            assert!(!v.shows(off, w, h), "{off:?}");
            let r = v.reveal(off, w, h);
            assert_eq!(r.zoom, v.zoom, "revealing keeps the zoom");
            assert!(r.shows(off, w, h));
            let (cx, cy) = r.to_screen(Pt::new(off.x + off.w / 2.0, off.y + off.h / 2.0));
            assert!((cx - 500.0).abs() < 1e-9 && (cy - 300.0).abs() < 1e-9);
        }
        // An item larger than the screen counts as shown when it covers it.
        let huge = Rect { x: -100.0, y: -100.0, w: 5000.0, h: 5000.0 };
        assert!(v.shows(huge, w, h));
    }

    #[test]
    fn focusing_zooms_to_a_readable_size_centred() {
        let (w, h) = (1000.0, 600.0);
        // The 1,000-node data centre fitted to the screen: about 12 %.
        let far = Viewport { zoom: 0.12, x: 30.0, y: 10.0 };
        let node = Rect { x: 4200.0, y: 3100.0, w: 160.0, h: 56.0 };
        let f = far.focus(node, w, h);
        assert_eq!(f.zoom, READABLE_ZOOM);
        let (cx, cy) = f.to_screen(Pt::new(4280.0, 3128.0));
        assert!((cx - 500.0).abs() < 1e-9 && (cy - 300.0).abs() < 1e-9);
        assert!(f.shows(node, w, h));
        // Zoomed in further already: kept; an item wider than the screen: zoomed out to fit.
        assert_eq!(Viewport { zoom: 2.0, x: 0.0, y: 0.0 }.focus(node, w, h).zoom, 2.0);
        let wide = Rect { x: 0.0, y: 0.0, w: 3000.0, h: 30.0 };
        let fw = far.focus(wide, w, h);
        assert!(fw.zoom < READABLE_ZOOM && fw.shows(wide, w, h));
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let v = Viewport { zoom: 1.0, x: 10.0, y: 20.0 };
        let before = v.to_world(300.0, 200.0);
        let z = v.zoom_at(2.0, 300.0, 200.0);
        assert_eq!(z.zoom, 2.0);
        let after = z.to_world(300.0, 200.0);
        assert!((before.x - after.x).abs() < 1e-9 && (before.y - after.y).abs() < 1e-9);
        assert_eq!(v.zoom_at(1e9, 0.0, 0.0).zoom, MAX_ZOOM);
    }

    #[test]
    fn fit_centres_the_bounds() {
        let b = Rect { x: 100.0, y: 100.0, w: 2000.0, h: 1000.0 };
        let v = Viewport::fit(b, 1000.0, 800.0);
        let (l, t) = v.to_screen(Pt::new(b.x, b.y));
        let (r, bt) = v.to_screen(Pt::new(b.x + b.w, b.y + b.h));
        assert!(l >= 39.0 && r <= 961.0 && t >= 0.0 && bt <= 800.0);
        assert!(((l + r) / 2.0 - 500.0).abs() < 1e-6);
        let small = Viewport::fit(Rect { x: 0.0, y: 0.0, w: 10.0, h: 10.0 }, 1000.0, 800.0);
        assert_eq!(small.zoom, 1.5);
    }

    #[test]
    fn to_screen_inverts_to_world() {
        let v = Viewport { zoom: 0.5, x: -30.0, y: 12.0 };
        let p = v.to_world(123.0, 456.0);
        assert_eq!(v.to_screen(p), (123.0, 456.0));
        assert_eq!(v.panned(5.0, -5.0).x, -25.0);
    }
}
