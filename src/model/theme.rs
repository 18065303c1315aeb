//! Light and dark themes (`docs/editor.md`, "Dark mode"): the reader's choice (system, light or
//! dark, remembered in local storage by an effect), and the colours of clusters and networks,
//! generated so that any number of them stay distinct (golden-angle hue steps in OKLCH, the
//! lightness spread by a second low-discrepancy sequence, in a band chosen per theme). The
//! colours reach the page as CSS custom properties (`--cluster-N`, `--network-N`, see
//! [`palette_css`]), so the diagram, its export and an embed share them. Pure: the choice is
//! stored by `platform::storage` and picked with `ui::theme_picker`.

/// The reader's choice of theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    /// Follow the system setting (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn name(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    /// The choice a stored name stands for (anything else: the system's).
    pub fn parse(name: &str) -> ThemeChoice {
        ThemeChoice::ALL.into_iter().find(|c| c.name() == name).unwrap_or_default()
    }

    /// The choice after this one (the toolbar's button steps through them).
    pub fn next(self) -> ThemeChoice {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    /// Whether the page is dark, given whether the system prefers dark.
    pub fn is_dark(self, system_dark: bool) -> bool {
        match self {
            ThemeChoice::System => system_dark,
            ThemeChoice::Light => false,
            ThemeChoice::Dark => true,
        }
    }
}

/// The golden angle, in degrees: consecutive hues as far apart as the ones before allow.
const GOLDEN_ANGLE: f64 = 137.507_764_050_037_85;
/// The lightness steps: the plastic number's reciprocal, the second axis of a low-discrepancy
/// sequence (consecutive colours differ in lightness as well as hue).
const PLASTIC_STEP: f64 = 0.754_877_666_246_692_7;

/// One generated colour as OKLCH: lightness band, chroma and starting hue per family and theme.
fn oklch(i: usize, dark: bool, first_hue: f64) -> (f64, f64, f64) {
    let (lo, hi) = if dark { (0.60, 0.86) } else { (0.42, 0.66) };
    let t = (i as f64 * PLASTIC_STEP).fract();
    (lo + (hi - lo) * t, 0.16, (first_hue + i as f64 * GOLDEN_ANGLE).rem_euclid(360.0))
}

/// Linear sRGB of an OKLab colour (Björn Ottosson's matrices).
fn oklab_to_linear_srgb(l: f64, a: f64, b: f64) -> [f64; 3] {
    let l_ = l + 0.396_337_777_4 * a + 0.215_803_757_3 * b;
    let m_ = l - 0.105_561_345_8 * a - 0.063_854_172_8 * b;
    let s_ = l - 0.089_484_177_5 * a - 1.291_485_548 * b;
    let (l3, m3, s3) = (l_.powi(3), m_.powi(3), s_.powi(3));
    [
        4.076_741_662_1 * l3 - 3.307_711_591_3 * m3 + 0.230_969_929_2 * s3,
        -1.268_438_004_6 * l3 + 2.609_757_401_1 * m3 - 0.341_319_396_5 * s3,
        -0.004_196_086_3 * l3 - 0.703_418_614_7 * m3 + 1.707_614_701 * s3,
    ]
}

/// The colour as OKLab and as a `#rrggbb` sRGB colour, its chroma lowered until it is displayable.
fn generate(i: usize, dark: bool, first_hue: f64) -> ([f64; 3], String) {
    let (l, c, h) = oklch(i, dark, first_hue);
    displayable(l, c, h)
}

/// An OKLCH colour as OKLab and `#rrggbb`, its chroma lowered until sRGB can show it.
fn displayable(l: f64, mut c: f64, h: f64) -> ([f64; 3], String) {
    loop {
        let (a, b) = (c * h.to_radians().cos(), c * h.to_radians().sin());
        let rgb = oklab_to_linear_srgb(l, a, b);
        if c <= 0.0 || rgb.iter().all(|x| (-1e-9..=1.0 + 1e-9).contains(x)) {
            let byte = |x: f64| {
                let x = x.clamp(0.0, 1.0);
                let s =
                    if x <= 0.003_130_8 { 12.92 * x } else { 1.055 * x.powf(1.0 / 2.4) - 0.055 };
                (s * 255.0).round() as u8
            };
            let hex = format!("#{:02x}{:02x}{:02x}", byte(rgb[0]), byte(rgb[1]), byte(rgb[2]));
            return ([l, a, b], hex);
        }
        c -= 0.002;
    }
}

/// The colour of the `i`th cluster of a document (by its position), in the light or dark theme.
pub fn cluster_colour(i: usize, dark: bool) -> String {
    generate(i, dark, 255.0).1
}

/// The colour of the `i`th network of a document (by its position).
pub fn network_colour(i: usize, dark: bool) -> String {
    generate(i, dark, 220.0).1
}

/// The CSS value the diagram uses for the `i`th cluster's colour.
pub fn cluster_var(i: usize) -> String {
    format!("var(--cluster-{i})")
}

/// The CSS value the diagram uses for the `i`th network's colour.
pub fn network_var(i: usize) -> String {
    format!("var(--network-{i})")
}

/// The linear-light red, green and blue of a `#rrggbb` colour.
fn linear_rgb(hex: &str) -> [f64; 3] {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0))
            / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [channel(1), channel(3), channel(5)]
}

/// WCAG relative luminance of a `#rrggbb` colour.
fn luminance(hex: &str) -> f64 {
    let [r, g, b] = linear_rgb(hex);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour on a filled chip of `colour`: white or near-black, whichever reads better.
pub fn ink_on(colour: &str) -> &'static str {
    if contrast(colour, "#ffffff") >= contrast(colour, "#111827") {
        "#ffffff"
    } else {
        "#111827"
    }
}

/// The custom properties of `clusters` cluster and `networks` network colours for both themes:
/// `--cluster-N`, `--cluster-ink-N` (text on a filled chip), `--network-N`, on the page's root,
/// the dark ones under `[data-theme="dark"]`.
pub fn palette_css(clusters: usize, networks: usize) -> String {
    palette_css_in(":root", ":root[data-theme=\"dark\"]", clusters, networks)
}

/// As [`palette_css`], on the elements `light` and `dark` select (an embed's root in its shadow
/// tree, where `:root` matches nothing).
pub fn palette_css_in(light: &str, dark: &str, clusters: usize, networks: usize) -> String {
    let block = |dark: bool| {
        let mut out = String::new();
        for i in 0..clusters {
            let c = cluster_colour(i, dark);
            out.push_str(&format!("--cluster-{i}:{c};--cluster-ink-{i}:{};", ink_on(&c)));
        }
        for i in 0..networks {
            out.push_str(&format!("--network-{i}:{};", network_colour(i, dark)));
        }
        out
    };
    format!("{light}{{{}}}{dark}{{{}}}", block(false), block(true))
}

/// OKLab of a `#rrggbb` colour.
fn oklab_of(hex: &str) -> [f64; 3] {
    let [r, g, b] = linear_rgb(hex);
    let l = (0.412_221_470_8 * r + 0.536_332_536_3 * g + 0.051_445_992_9 * b).cbrt();
    let m = (0.211_903_498_2 * r + 0.680_699_545_1 * g + 0.107_396_956_6 * b).cbrt();
    let s = (0.088_302_461_9 * r + 0.281_718_837_6 * g + 0.629_978_700_5 * b).cbrt();
    [
        0.210_454_255_3 * l + 0.793_617_785 * m - 0.004_072_046_8 * s,
        1.977_998_495_1 * l - 2.428_592_205 * m + 0.450_593_709_9 * s,
        0.025_904_037_1 * l + 0.782_771_766_2 * m - 0.808_675_766 * s,
    ]
}

/// The dark theme's counterpart of a light theme colour: its OKLab lightness mirrored (white
/// pages become dark slate, dark text becomes light), hue kept, a dark surface's chroma
/// softened; a vivid mid-light colour (amber badges, bright marks: drawn as fills, with the
/// page's white as their text) keeps its lightness, so the text, now dark, reads on it. Contrast
/// between text and its page stays about what it was.
pub fn dark_of(hex: &str) -> String {
    let [l, a, b] = oklab_of(hex);
    let (c, h) = (a.hypot(b), b.atan2(a).to_degrees());
    let vivid_fill = c > 0.08 && (0.6..0.86).contains(&l);
    let dark_l = if vivid_fill { l } else { (1.12 - 0.9 * l).clamp(0.0, 1.0) };
    let c = if dark_l < 0.45 { c * 0.8 } else { c };
    displayable(dark_l, c, h).1
}

/// The stylesheets' colours: every `var(--c-rrggbb)` they use, sorted, once.
pub fn colours_used(css: &str) -> Vec<String> {
    let mut found: Vec<String> = css
        .match_indices("var(--c-")
        .filter_map(|(i, _)| css.get(i + 8..i + 14))
        .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `styles/theme.css`: every colour the stylesheets use (`--c-rrggbb`) as itself on the light
/// page and as its [`dark_of`] counterpart under `[data-theme="dark"]`, plus the few named roles
/// the diagram's generated markup uses (`--node-bg`).
pub fn theme_css(colours: &[String]) -> String {
    let mut out = String::from(
        "/* clusterplan: the light and dark themes' colours. Generated by src/theme.rs (theme_css;\n   \
         UPDATE_THEME=1 cargo test -p clusterplan --lib theme rewrites it): every colour the\n   \
         stylesheets use, as itself and as its dark counterpart. docs/editor.md, \"Dark mode\". */\n",
    );
    out.push_str(":root {\n  color-scheme: light;\n  --node-bg: var(--c-ffffff);\n");
    for c in colours {
        out.push_str(&format!("  --c-{c}: #{c};\n"));
    }
    out.push_str("}\n:root[data-theme=\"dark\"] {\n  color-scheme: dark;\n");
    for c in colours {
        out.push_str(&format!("  --c-{c}: {};\n", dark_of(&format!("#{c}"))));
    }
    out.push_str("}\n");
    out
}

/// The reader's stored choice (`platform::storage::load_theme`): the system's when none or
/// unreadable.
pub fn from_stored(name: Option<String>) -> ThemeChoice {
    name.map_or(ThemeChoice::System, |name| ThemeChoice::parse(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min_distance(dark: bool, n: usize, first_hue: f64) -> f64 {
        let labs: Vec<[f64; 3]> = (0..n).map(|i| generate(i, dark, first_hue).0).collect();
        let mut min = f64::MAX;
        for i in 0..n {
            for j in 0..i {
                let d = (0..3).map(|k| (labs[i][k] - labs[j][k]).powi(2)).sum::<f64>().sqrt();
                min = min.min(d);
            }
        }
        min
    }

    #[test]
    fn any_number_of_clusters_get_distinct_colours_in_both_themes() {
        // OKLab distances: about 0.02 is the smallest difference one notices side by side.
        for dark in [false, true] {
            assert!(min_distance(dark, 8, 255.0) > 0.09, "the first 8 are far apart");
            assert!(min_distance(dark, 16, 255.0) > 0.03);
            assert!(min_distance(dark, 64, 255.0) > 0.025, "64 clusters stay distinct");
            assert!(min_distance(dark, 64, 220.0) > 0.025, "and 64 networks");
            let hex: Vec<String> = (0..200).map(|i| cluster_colour(i, dark)).collect();
            let distinct: std::collections::HashSet<&String> = hex.iter().collect();
            assert_eq!(distinct.len(), 200, "never a repeat, unlike a fixed palette");
            assert!(hex.iter().all(|h| h.len() == 7 && h.starts_with('#')));
        }
        // Per theme: darker on the light page, lighter on the dark one.
        assert!(luminance(&cluster_colour(0, true)) > luminance(&cluster_colour(0, false)));
    }

    #[test]
    fn the_colours_read_on_their_page_and_chip_text_reads_on_them() {
        // Lines and outlined chips' text against the node boxes' fill of each theme.
        for i in 0..64 {
            assert!(contrast(&cluster_colour(i, false), "#ffffff") >= 2.5, "light {i}");
            assert!(contrast(&cluster_colour(i, true), "#1e293b") >= 2.5, "dark {i}");
            for dark in [false, true] {
                let c = cluster_colour(i, dark);
                assert!(contrast(&c, ink_on(&c)) >= 3.5, "ink on {c}");
            }
        }
        assert_eq!(ink_on("#000000"), "#ffffff");
        assert_eq!(ink_on("#ffff00"), "#111827");
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    }

    #[test]
    fn the_palette_defines_every_colour_for_both_themes() {
        let css = palette_css(3, 2);
        assert!(css.starts_with(":root{--cluster-0:"));
        assert_eq!(css.matches("--cluster-2:").count(), 2);
        assert_eq!(css.matches("--cluster-ink-").count(), 6);
        assert_eq!(css.matches("--network-1:").count(), 2);
        assert!(css.contains(&format!(
            ":root[data-theme=\"dark\"]{{--cluster-0:{};",
            cluster_colour(0, true)
        )));
        assert_eq!(cluster_var(3), "var(--cluster-3)");
        let embed = palette_css_in(".embed", ".dark .embed", 1, 0);
        assert!(
            embed.starts_with(".embed{--cluster-0:")
                && embed.contains("}.dark .embed{--cluster-0:")
        );
    }

    #[test]
    fn the_theme_stylesheet_covers_every_colour_of_the_styles() {
        let styles = [
            include_str!("../../styles/app.css"),
            include_str!("../../styles/editor.css"),
            include_str!("../../styles/results.css"),
        ]
        .concat();
        let colours = colours_used(&styles);
        assert!(colours.len() > 50 && colours.contains(&"ffffff".to_owned()));
        let css = theme_css(&colours);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/styles/theme.css");
        if std::env::var_os("UPDATE_THEME").is_some() {
            std::fs::write(path, &css).unwrap();
        }
        assert_eq!(std::fs::read_to_string(path).unwrap(), css, "UPDATE_THEME=1 rewrites it");
    }

    #[test]
    fn dark_counterparts_keep_text_readable() {
        // Pages turn dark, text light; the pairs the app reads keep their contrast.
        assert!(luminance(&dark_of("#ffffff")) < 0.05);
        assert!(luminance(&dark_of("#1d2330")) > 0.6);
        // An amber badge with white text keeps its amber, and its text (dark now) reads on it.
        assert!(contrast(&dark_of("#f59e0b"), &dark_of("#ffffff")) > 6.0);
        for (fg, bg) in [
            ("#1d2330", "#ffffff"),
            ("#5b6475", "#ffffff"),
            ("#1d2330", "#f7f8fa"),
            ("#c62828", "#ffffff"),
            ("#1f6e43", "#e3f4ea"),
        ] {
            let (light, dark) = (contrast(fg, bg), contrast(&dark_of(fg), &dark_of(bg)));
            assert!(dark >= 4.5 || dark >= light * 0.9, "{fg} on {bg}: {light:.1} -> {dark:.1}");
        }
        assert_eq!(
            colours_used("a{fill:var(--c-ffffff);b:var(--c-00aa11)} c{x:var(--c-ffffff)}"),
            ["00aa11", "ffffff"]
        );
    }

    #[test]
    fn the_choice_reads_back_and_decides_the_page() {
        for c in ThemeChoice::ALL {
            assert_eq!(ThemeChoice::parse(c.name()), c);
        }
        assert_eq!(ThemeChoice::parse("sepia"), ThemeChoice::System);
        // The button steps through all three and back.
        let mut c = ThemeChoice::System;
        for want in [ThemeChoice::Light, ThemeChoice::Dark, ThemeChoice::System] {
            c = c.next();
            assert_eq!(c, want);
        }
        assert!(ThemeChoice::System.is_dark(true) && !ThemeChoice::System.is_dark(false));
        assert!(ThemeChoice::Dark.is_dark(false) && !ThemeChoice::Light.is_dark(true));
    }
}
