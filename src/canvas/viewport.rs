//! The canvas's view transform (zoom and pan): screen = world x zoom + offset. Pure.

use crate::layout::{Pt, Rect};
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
