//! Pictures of the diagram (`docs/editor.md`, "Export a picture"): a self-contained SVG (every
//! style inlined as the page computes it, so the file reads with no app and in either theme as
//! seen) or a PNG at twice the size, optionally with a legend of the clusters and networks and the
//! selected node's ordered lists beside the drawing. The frame, the legend and the lists are pure
//! SVG text ([`picture_svg`], natively tested); [`export_picture`] clones the canvas's drawing
//! from the page, inlines its computed styles and offers the file.

use crate::model::layout::Rect;
use crate::ui::results::node::NodeServiceList;

pub use crate::model::picture::{PictureFormat, PictureRequest};

/// The margin around the drawing, and the width of the side panel (legend, lists).
const MARGIN: f64 = 24.0;
const PANEL_W: f64 = 330.0;
const LINE_H: f64 = 17.0;

/// Text for XML (element content and attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The picture's colours and names, resolved from the page (pure input).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Legend {
    /// (cluster id and name, colour).
    pub clusters: Vec<(String, String)>,
    /// (network name, colour).
    pub networks: Vec<(String, String)>,
}

/// The side panel's lines: the legend and the lists, each line (text, indent, colour swatch,
/// bold).
fn panel_lines(
    legend: Option<&Legend>,
    lists: Option<(&str, &[NodeServiceList])>,
) -> Vec<(String, f64, Option<String>, bool)> {
    let mut lines = Vec::new();
    if let Some(legend) = legend {
        if !legend.clusters.is_empty() {
            lines.push(("Clusters".to_owned(), 0.0, None, true));
            for (name, colour) in &legend.clusters {
                lines.push((name.clone(), 18.0, Some(colour.clone()), false));
            }
        }
        if !legend.networks.is_empty() {
            lines.push(("Networks".to_owned(), 0.0, None, true));
            for (name, colour) in &legend.networks {
                lines.push((name.clone(), 18.0, Some(colour.clone()), false));
            }
        }
    }
    if let Some((node, lists)) = lists.filter(|(_, l)| !l.is_empty()) {
        lines.push((format!("The ordered lists of {node}"), 0.0, None, true));
        for list in lists {
            lines.push((
                format!(
                    "{} (cluster {}, as node {})",
                    list.key.name, list.key.cluster, list.number
                ),
                0.0,
                None,
                true,
            ));
            for e in &list.entries {
                let server = match &e.server {
                    Some((number, _)) => format!(" on node {number}"),
                    None => String::new(),
                };
                let down = if e.down { " (failed)" } else { "" };
                lines.push((format!("{}. {}{server}{down}", e.rank, e.address), 10.0, None, false));
            }
        }
    }
    lines
}

/// The whole picture as SVG text: the drawing (`drawing`, SVG markup in diagram coordinates
/// covering `bounds`, styles inlined) on a `background`, framed with a margin, and the side panel
/// (legend, lists) in `ink` on the right when asked for and not empty. Returns the text and its
/// size in pixels.
pub fn picture_svg(
    drawing: &str,
    bounds: Rect,
    background: &str,
    ink: &str,
    legend: Option<&Legend>,
    lists: Option<(&str, &[NodeServiceList])>,
) -> (String, f64, f64) {
    let lines = panel_lines(legend, lists);
    let panel_w = if lines.is_empty() { 0.0 } else { PANEL_W };
    let panel_h = lines.len() as f64 * LINE_H + 2.0 * MARGIN;
    let (x0, y0) = (bounds.x - MARGIN, bounds.y - MARGIN);
    let w = (bounds.w + 2.0 * MARGIN + panel_w).ceil();
    let h = (bounds.h + 2.0 * MARGIN).max(panel_h).ceil();
    let mut panel = String::new();
    let px = bounds.x + bounds.w + MARGIN;
    for (i, (text, indent, swatch, bold)) in lines.iter().enumerate() {
        let y = y0 + MARGIN + (i as f64 + 1.0) * LINE_H;
        if let Some(colour) = swatch {
            panel.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" rx=\"3\" fill=\"{}\"/>",
                px,
                y - 11.0,
                escape(colour)
            ));
        }
        panel.push_str(&format!(
            "<text x=\"{}\" y=\"{y}\" font-size=\"12\" font-family=\"system-ui, sans-serif\" fill=\"{}\"{}>{}</text>",
            px + indent,
            escape(ink),
            if *bold { " font-weight=\"700\"" } else { "" },
            escape(text)
        ));
    }
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"{x0} {y0} {w} {h}\">\
<rect x=\"{x0}\" y=\"{y0}\" width=\"{w}\" height=\"{h}\" fill=\"{bg}\"/>\
<g class=\"drawing\">{drawing}</g><g class=\"panel\">{panel}</g></svg>",
        bg = escape(background),
    );
    (svg, w, h)
}

/// The picture's file name: the model's export name with the picture's extension.
pub fn file_name(json_name: &str, format: PictureFormat) -> String {
    let stem = json_name.strip_suffix(".json").unwrap_or(json_name);
    format!("{stem}.{}", format.extension())
}

/// The computed style properties a picture keeps on each element (what the stylesheets set).
#[cfg(target_arch = "wasm32")]
const KEPT: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "display",
    "visibility",
];

/// The drawing's `data-cull` attribute: the part of the diagram drawn, when not all of it is.
pub fn cull_attribute(r: &Rect) -> String {
    format!("{} {} {} {}", r.x, r.y, r.w, r.h)
}

/// The rectangle a `data-cull` attribute names ([`cull_attribute`]).
pub fn read_cull_attribute(text: &str) -> Option<Rect> {
    let v: Vec<f64> = text.split(' ').map(str::parse).collect::<Result<_, _>>().ok()?;
    match v[..] {
        [x, y, w, h] => Some(Rect { x, y, w, h }),
        _ => None,
    }
}

/// Exports the canvas's drawing as the request asks: clones it, inlines the computed styles of
/// every element, frames it with the legend and the lists, and downloads it (a PNG through a 2x
/// canvas). Errors are the browser's, in words.
#[cfg(target_arch = "wasm32")]
pub fn export_picture(
    request: PictureRequest,
    bounds: Rect,
    legend: &Legend,
    lists: Option<(&str, &[NodeServiceList])>,
    json_name: &str,
) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let err = |e: wasm_bindgen::JsValue| crate::platform::browser::browser_error_text(&e);
    let document = gloo::utils::document();
    let window = gloo::utils::window();
    let world = document
        .query_selector("[data-testid=canvas] g.world")
        .map_err(err)?
        .ok_or("the page has no diagram to export")?;
    // A large model's drawing holds only what the view shows (`super::detail`): frame that.
    let bounds = world
        .get_attribute("data-cull")
        .and_then(|a| read_cull_attribute(&a))
        .and_then(|cull| cull.intersection(&bounds))
        .unwrap_or(bounds);
    let copy: web_sys::Element = world.clone_node_with_deep(true).map_err(err)?.unchecked_into();
    copy.remove_attribute("transform").map_err(err)?;
    let originals = world.query_selector_all("*").map_err(err)?;
    let copies = copy.query_selector_all("*").map_err(err)?;
    for i in 0..originals.length().min(copies.length()) {
        let (Some(o), Some(c)) = (originals.item(i), copies.item(i)) else { continue };
        let (o, c): (web_sys::Element, web_sys::Element) = (o.unchecked_into(), c.unchecked_into());
        let Some(style) = window.get_computed_style(&o).map_err(err)? else { continue };
        let mut inline = String::new();
        for p in KEPT {
            let v = style.get_property_value(p).map_err(err)?;
            if !v.is_empty() {
                inline.push_str(&format!("{p}:{v};"));
            }
        }
        // The keyboard's targets are the page's, not the picture's.
        if c.get_attribute("class").is_some_and(|k| k.split_whitespace().any(|w| w == "kb-target"))
        {
            c.remove();
            continue;
        }
        for a in ["tabindex", "data-kb", "aria-pressed"] {
            let _ = c.remove_attribute(a);
        }
        c.set_attribute("style", &inline).map_err(err)?;
    }
    let drawing =
        web_sys::XmlSerializer::new().map_err(err)?.serialize_to_string(&copy).map_err(err)?;
    let canvas = document
        .query_selector("[data-testid=canvas]")
        .map_err(err)?
        .ok_or("the page has no diagram to export")?;
    let page = window
        .get_computed_style(&canvas.parent_element().unwrap_or(canvas.clone()))
        .map_err(err)?;
    let background = page
        .as_ref()
        .and_then(|s| s.get_property_value("background-color").ok())
        .unwrap_or_else(|| "#ffffff".into());
    let root =
        window.get_computed_style(&document.document_element().ok_or("no page")?).map_err(err)?;
    let ink = root
        .as_ref()
        .and_then(|s| s.get_property_value("--fg").ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#1d2330".into());
    let (svg, w, h) = picture_svg(
        &drawing,
        bounds,
        &background,
        &ink,
        request.legend.then_some(legend),
        lists.filter(|_| request.lists),
    );
    let name = file_name(json_name, request.format);
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    match request.format {
        PictureFormat::Svg => {
            download(&url, &name)?;
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        PictureFormat::Png => {
            let image = web_sys::HtmlImageElement::new().map_err(err)?;
            let loaded = image.clone();
            let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
                let drawn = (|| -> Result<(), String> {
                    let canvas: web_sys::HtmlCanvasElement = gloo::utils::document()
                        .create_element("canvas")
                        .map_err(err)?
                        .unchecked_into();
                    canvas.set_width((w * 2.0) as u32);
                    canvas.set_height((h * 2.0) as u32);
                    let context: web_sys::CanvasRenderingContext2d = canvas
                        .get_context("2d")
                        .map_err(err)?
                        .ok_or("the browser gave no 2D canvas")?
                        .unchecked_into();
                    context.scale(2.0, 2.0).map_err(err)?;
                    context.draw_image_with_html_image_element(&loaded, 0.0, 0.0).map_err(err)?;
                    let png = canvas.to_data_url_with_type("image/png").map_err(err)?;
                    download(&png, &name)
                })();
                let _ = web_sys::Url::revoke_object_url(&url);
                if let Err(e) = drawn {
                    gloo::console::error!(format!("PNG export failed: {e}"));
                }
            });
            image.set_onload(Some(onload.unchecked_ref()));
            image.set_src(&web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?);
        }
    }
    Ok(())
}

/// Offers `href` as a download named `name`.
#[cfg(target_arch = "wasm32")]
fn download(href: &str, name: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let a: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|e| crate::platform::browser::browser_error_text(&e))?
        .unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

#[derive(yew::Properties, PartialEq, Debug)]
pub struct PictureMenuProps {
    pub dispatch: yew::Callback<crate::model::state::Action>,
}

/// The toolbar's "Picture" menu: SVG or PNG (2x), with or without the legend and the selected
/// node's lists.
#[yew::function_component(PictureMenu)]
pub fn picture_menu(props: &PictureMenuProps) -> yew::Html {
    use yew::prelude::*;
    let options = use_state(PictureRequest::default);
    let menu = use_node_ref();
    let export = |format: PictureFormat| {
        let (d, options, menu) = (props.dispatch.clone(), options.clone(), menu.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(details) = menu.cast::<web_sys::Element>() {
                let _ = details.remove_attribute("open");
            }
            d.emit(crate::model::state::Action::ExportPicture(PictureRequest {
                format,
                ..*options
            }))
        })
    };
    let toggle = |legend: bool| {
        let options = options.clone();
        Callback::from(move |_: Event| {
            let o = *options;
            options.set(if legend {
                PictureRequest { legend: !o.legend, ..o }
            } else {
                PictureRequest { lists: !o.lists, ..o }
            });
        })
    };
    html! {
        <details class="picture-menu" ref={menu.clone()} data-testid="picture-menu">
            <summary class="button-like" data-testid="btn-picture" aria-label="Picture" title="Export a picture of the diagram (SVG, or PNG at 2x)">
                <svg class="picture-icon" aria-hidden="true" viewBox="0 0 16 12" width="16" height="12">
                    <rect x="0.75" y="0.75" width="14.5" height="10.5" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5" />
                    <path d="M2.5 9.5 L6 5.5 L8.5 8 L10.5 6 L13.5 9.5 Z" fill="currentColor" />
                </svg>
                <span class="picture-word">{ "Picture" }</span>
            </summary>
            <div class="picture-options" role="group" aria-label="picture export">
                <label><input type="checkbox" data-testid="picture-legend" checked={options.legend} onchange={toggle(true)} />{ " legend" }</label>
                <label><input type="checkbox" data-testid="picture-lists" checked={options.lists} onchange={toggle(false)} />{ " the selected node's lists" }</label>
                <button data-testid="picture-svg" onclick={export(PictureFormat::Svg)}>{ "SVG" }</button>
                <button data-testid="picture-png" onclick={export(PictureFormat::Png)}>{ "PNG (2x)" }</button>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::fig24;
    use crate::ui::results::node::node_lists;

    #[test]
    fn the_drawn_part_of_a_large_model_reads_back_from_its_attribute() {
        let r = Rect { x: -12.5, y: 40.0, w: 1024.0, h: 768.25 };
        assert_eq!(read_cull_attribute(&cull_attribute(&r)), Some(r));
        assert_eq!(read_cull_attribute("1 2 3"), None);
        assert_eq!(read_cull_attribute("a b c d"), None);
    }

    #[test]
    fn the_picture_frames_the_drawing_and_escapes_its_text() {
        let bounds = Rect { x: 100.0, y: 50.0, w: 400.0, h: 300.0 };
        let (svg, w, h) = picture_svg("<circle r=\"3\"/>", bounds, "#fff", "#111", None, None);
        assert_eq!((w, h), (448.0, 348.0));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"448\" height=\"348\" viewBox=\"76 26 448 348\">"), "{svg}");
        assert!(svg.contains("<g class=\"drawing\"><circle r=\"3\"/></g><g class=\"panel\"></g>"));
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(file_name("fig-24.json", PictureFormat::Png), "fig-24.png");
    }

    #[test]
    fn the_side_panel_holds_the_legend_and_node_5s_ordered_list() {
        let (plan, _) = fig24();
        let lists = node_lists(&plan, "n5", &Default::default());
        assert!(!lists.is_empty());
        let legend = Legend {
            clusters: vec![("A — cluster A".into(), "#2255aa".into())],
            networks: vec![("lan".into(), "#aa5522".into())],
        };
        let bounds = Rect { x: 0.0, y: 0.0, w: 200.0, h: 100.0 };
        let (svg, w, h) =
            picture_svg("", bounds, "#fff", "#111", Some(&legend), Some(("node 5", &lists)));
        assert_eq!(w, 248.0 + PANEL_W);
        assert!(h > 148.0, "the lists make it taller than the drawing");
        assert!(svg.contains("fill=\"#2255aa\"") && svg.contains(">A — cluster A</text>"));
        assert!(svg.contains(">lan</text>"));
        let registry = lists.iter().find(|l| l.key.name == "registry").unwrap();
        assert!(svg.contains(">The ordered lists of node 5</text>"));
        assert!(svg.contains(&format!(">registry (cluster A, as node {})</text>", registry.number)));
        // The list in its order, first choice first.
        let first = format!(">1. {}", registry.entries[0].address);
        let second = format!(">2. {}", registry.entries[1].address);
        assert!(svg.find(&first).unwrap() < svg.find(&second).unwrap(), "{svg}");
        // Asked for nothing: no panel, no extra width.
        let (_, bare_w, _) = picture_svg("", bounds, "#fff", "#111", None, None);
        assert_eq!(bare_w, 248.0);
    }
}
