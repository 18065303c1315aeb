//! Browser tests of the editor: the real `App` (reducer, canvas, toolbar, inspector, effects)
//! mounted in headless Chromium, driven by clicks, pointer gestures, keys and form events, and
//! read back from the DOM and local storage.
#![cfg(target_arch = "wasm32")]

use clusterplan::platform::{idb, storage};
use clusterplan::ui::app::App;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit, PointerEvent,
    PointerEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(40)).await;
}

thread_local! {
    /// The app listens to keys on the whole document: tests take turns (a failed test that
    /// never released its turn is waited for 30 s at most).
    static BUSY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

async fn take_turn() {
    for _ in 0..1500 {
        if !BUSY.with(|b| b.replace(true)) {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A mounted app; unmounted when dropped (its document listeners go with it).
struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
        BUSY.with(|b| b.set(false));
    }
}

/// Mounts the app on a fresh element, with local storage holding `saved` (or nothing).
async fn mount(saved: Option<&str>) -> Mounted {
    mount_with(saved, &[]).await
}

/// As [`mount`], with more items in local storage (key, text).
async fn mount_with(saved: Option<&str>, items: &[(&str, &str)]) -> Mounted {
    take_turn().await;
    // Let the previous test's app finish unmounting (Yew destroys asynchronously) so its
    // document listeners are gone.
    settle().await;
    let storage = gloo::utils::window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    idb::clear().await.expect("the saved versions are cleared");
    if let Some(text) = saved {
        storage.set_item(storage::KEY, text).unwrap();
    }
    for (key, text) in items {
        storage.set_item(key, text).unwrap();
    }
    let document = gloo::utils::document();
    if document.get_element_by_id("editor-styles").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("editor-styles");
        style.set_text_content(Some(concat!(
            include_str!("../styles/app.css"),
            include_str!("../styles/editor.css")
        )));
        document.head().unwrap().append_child(&style).unwrap();
    }
    let root = document.create_element("div").unwrap();
    root.set_attribute("style", "position: fixed; inset: 0; background: #fff; z-index: 1; display: flex; flex-direction: column;").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    // Storage is read asynchronously before the model shows.
    for _ in 0..150 {
        settle().await;
        if exists(&root, "main[data-ready]") {
            break;
        }
    }
    Mounted { root, handle: Some(handle) }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn exists(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

async fn click(root: &Element, selector: &str) {
    one(root, selector).dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
}

async fn key(key: &str, ctrl: bool, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document().body().unwrap().dispatch_event(&event).unwrap();
    settle().await;
}

/// The centre of an element, in client pixels.
fn centre(e: &Element) -> (f64, f64) {
    let r = e.get_bounding_client_rect();
    (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0)
}

/// A pointer event at client position `(x, y)`.
fn pointer(kind: &str, (x, y): (f64, f64), shift: bool) -> PointerEvent {
    let init = PointerEventInit::new();
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    init.set_button(0);
    init.set_buttons(if kind == "pointerup" { 0 } else { 1 });
    init.set_pointer_id(1);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    PointerEvent::new_with_event_init_dict(kind, &init).unwrap()
}

async fn fire(root: &Element, kind: &str, at: (f64, f64), shift: bool) {
    one(root, "[data-testid=canvas]").dispatch_event(&pointer(kind, at, shift)).unwrap();
    settle().await;
}

/// Presses at `from`, moves in steps to `to` and releases there (client pixels).
async fn drag(root: &Element, from: (f64, f64), to: (f64, f64)) {
    fire(root, "pointerdown", from, false).await;
    for step in 1..=4 {
        let f = f64::from(step) / 4.0;
        fire(
            root,
            "pointermove",
            (from.0 + (to.0 - from.0) * f, from.1 + (to.1 - from.1) * f),
            false,
        )
        .await;
    }
    fire(root, "pointerup", to, false).await;
}

/// A click (press and release without moving) at the centre of `target`.
async fn press_on(root: &Element, target: &Element, shift: bool) {
    let at = centre(target);
    fire(root, "pointerdown", at, shift).await;
    fire(root, "pointerup", at, shift).await;
}

/// Zooms in with the canvas's button until labels and chips are drawn.
async fn zoom_to_detail(root: &Element) {
    for _ in 0..12 {
        let zoom: f64 =
            one(root, "[data-testid=canvas]").get_attribute("data-zoom").unwrap().parse().unwrap();
        if zoom >= 0.5 {
            return;
        }
        click(root, "[data-testid=zoom-in]").await;
    }
}

/// The newest saved version's text, once the autosave has caught up with the model.
async fn saved() -> String {
    // (The autosave waits for an idle moment, up to a second, after its delay: a loaded
    // machine may take a while; 10 s at most.)
    for _ in 0..250 {
        if exists(&gloo::utils::document().document_element().unwrap(), "main[data-saved=true]") {
            break;
        }
        settle().await;
    }
    idb::latest().await.unwrap().map(|(_, text)| text).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn starts_with_the_example_autosaves_it_and_new_asks_first_once_edited() {
    let app = mount(None).await;
    let root = &app.root;
    assert_eq!(all(root, "[data-testid=canvas] g.node").len(), 10);
    assert_eq!(all(root, "[data-testid=canvas] g.subnet").len(), 3);
    assert_eq!(all(root, "[data-testid=canvas] g.router").len(), 2);
    assert!(saved().await.contains("\"n5\""), "the model is autosaved at start");
    // Untouched, the example would be replaced without a question; edited, New asks.
    click(root, "[data-testid=btn-add-cluster]").await;
    click(root, "[data-testid=btn-new]").await;
    assert!(exists(root, "[data-testid=confirm]"));
    assert!(one(root, "[data-testid=confirm]")
        .text_content()
        .unwrap_or_default()
        .contains("your edited model (10 nodes, 3 subnets, 2 routers and 1 service)"));
    click(root, "[data-testid=confirm-cancel]").await;
    assert_eq!(all(root, "[data-testid=canvas] g.node").len(), 10, "cancel keeps the model");
    click(root, "[data-testid=btn-new]").await;
    click(root, "[data-testid=confirm-discard]").await;
    assert!(exists(root, "[data-testid=canvas-empty]"));
    assert!(!saved().await.contains("\"n5\""), "the empty model is autosaved");
    // Undo brings the example back.
    click(root, "[data-testid=btn-undo]").await;
    assert_eq!(all(root, "[data-testid=canvas] g.node").len(), 10);
    // Shift-drag on empty space selects what the box holds: here, everything.
    let r = one(root, "[data-testid=canvas]").get_bounding_client_rect();
    fire(root, "pointerdown", (r.left() + 2.0, r.top() + 2.0), true).await;
    fire(root, "pointermove", (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0), true).await;
    assert!(exists(root, "[data-testid=box-select]"));
    fire(root, "pointerup", (r.right() - 2.0, r.bottom() - 2.0), true).await;
    assert_eq!(all(root, "g.node.selected").len(), 10);
    assert_eq!(all(root, "g.subnet.selected").len(), 3);
    // Arrow keys move the selection by grid steps (one undoable edit each).
    let before = one(root, "[data-testid=node-n5]").get_attribute("transform").unwrap();
    key("ArrowRight", false, false).await;
    let after = one(root, "[data-testid=node-n5]").get_attribute("transform").unwrap();
    assert_ne!(before, after);
    // Escape clears the selection.
    key("Escape", false, false).await;
    assert!(all(root, "g.node.selected").is_empty());
}

#[wasm_bindgen_test]
async fn a_saved_model_is_restored_and_an_unreadable_one_is_kept_and_reported() {
    let doc = r#"{"format":"cluster-planner/1","subnets":[{"prefix":"10.9.0.0/24","network":"x"}],
        "nodes":[{"uid":"solo","name":"solo","addresses":["10.9.0.4"]}]}"#;
    {
        let app = mount(Some(doc)).await;
        assert!(exists(&app.root, "[data-testid='node-solo']"));
        assert!(exists(&app.root, "[data-testid='subnet-10.9.0.0/24']"));
        assert!(exists(&app.root, "[data-testid='link-solo-10.9.0.4']"), "positions were computed");
        assert!(saved().await.contains("\"layout\""));
    }
    let app = mount(Some("{not json")).await;
    let notice = one(&app.root, "[data-testid=notice]").text_content().unwrap();
    assert!(notice.contains("could not be read"), "{notice}");
    let storage = gloo::utils::window().local_storage().unwrap().unwrap();
    assert_eq!(storage.get_item(storage::UNREADABLE_KEY).unwrap().as_deref(), Some("{not json"));
}

#[wasm_bindgen_test]
async fn drawing_with_tools_and_gestures() {
    let app = mount(None).await;
    let root = &app.root;
    click(root, "[data-testid=btn-new]").await;
    let svg = one(root, "[data-testid=canvas]");
    // A subnet where the canvas is clicked with the subnet tool.
    click(root, "[data-testid=tool-subnet]").await;
    press_on(root, &svg, false).await;
    let bar = one(root, "[data-testid='subnet-10.0.0.0/24'] .subnet-bar");
    // A node placed on it is attached with the next free address.
    click(root, "[data-testid=tool-node]").await;
    press_on(root, &bar, false).await;
    assert!(exists(root, "[data-testid='link-n1-10.0.0.1']"));
    // A second node on empty space, linked by dragging its handle to the subnet.
    click(root, "[data-testid=tool-node]").await;
    let (x, y) = centre(&bar);
    fire(root, "pointerdown", (x, y + 120.0), false).await;
    fire(root, "pointerup", (x, y + 120.0), false).await;
    let port = one(root, "[data-testid=node-n2] .port");
    fire(root, "pointerdown", centre(&port), false).await;
    fire(root, "pointermove", centre(&bar), false).await;
    assert!(exists(root, "[data-testid=link-target]"), "the subnet under the pointer is outlined");
    fire(root, "pointerup", centre(&bar), false).await;
    assert!(!exists(root, "[data-testid=link-target]"));
    assert!(exists(root, "[data-testid='link-n2-10.0.0.2']"));
    // Dragging a node moves it (one undoable edit).
    let (x, y) = centre(&one(root, "[data-testid=node-n2] .node-box"));
    let before = one(root, "[data-testid=node-n2]").get_attribute("transform").unwrap();
    drag(root, (x, y), (x + 80.0, y + 40.0)).await;
    let after = one(root, "[data-testid=node-n2]").get_attribute("transform").unwrap();
    assert_ne!(before, after);
    key("z", true, false).await;
    assert_eq!(one(root, "[data-testid=node-n2]").get_attribute("transform").unwrap(), before);
    key("Z", true, true).await;
    assert_eq!(one(root, "[data-testid=node-n2]").get_attribute("transform").unwrap(), after);
    // The handle at the right end of a subnet resizes its bar.
    let width = |root: &Element| {
        one(root, "[data-testid='subnet-10.0.0.0/24'] .subnet-bar").get_attribute("width").unwrap()
    };
    let before = width(root);
    let handle = centre(&one(root, "[data-testid='subnet-10.0.0.0/24'] .resize-handle"));
    drag(root, handle, (handle.0 + 120.0, handle.1)).await;
    assert!(width(root).parse::<f64>().unwrap() > before.parse::<f64>().unwrap());
    // Zoom buttons change the view, Fit shows everything again.
    let zoom = |root: &Element| -> f64 {
        one(root, "[data-testid=canvas]").get_attribute("data-zoom").unwrap().parse().unwrap()
    };
    let fitted = zoom(root);
    click(root, "[data-testid=zoom-in]").await;
    assert!(zoom(root) > fitted);
    click(root, "[data-testid=zoom-fit]").await;
    click(root, "[data-testid=zoom-out]").await;
    assert!(zoom(root) < fitted * 1.01);
    // Shift-click adds to the selection; Delete removes both nodes with their links.
    press_on(root, &one(root, "[data-testid=node-n1] .node-box"), false).await;
    press_on(root, &one(root, "[data-testid=node-n2] .node-box"), true).await;
    assert_eq!(all(root, "g.node.selected").len(), 2);
    key("Delete", false, false).await;
    assert!(all(root, "g.node").is_empty());
    assert!(!exists(root, "[data-testid='link-n1-10.0.0.1']"));
    assert!(exists(root, "[data-testid='subnet-10.0.0.0/24']"));
}

#[wasm_bindgen_test]
async fn inspector_edits_commit_on_change_and_names_with_html_stay_text() {
    let app = mount(None).await;
    let root = &app.root;
    press_on(root, &one(root, "[data-testid=node-n5] .node-box"), false).await;
    assert!(exists(root, "[data-testid=inspector-node]"));
    let lists = one(root, "[data-testid=node-list-addresses-A-registry]").text_content().unwrap();
    assert_eq!(lists, "10.0.0.1, 10.0.1.9, 10.0.1.3, 10.0.1.7, 10.0.2.20, 10.0.2.12");
    let name: HtmlInputElement = one(root, "[data-testid=insp-node-name]").dyn_into().unwrap();
    name.set_value("<img src=x onerror=alert(1)><b>five</b>");
    name.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    let label = one(root, "[data-testid=node-n5] .node-name").text_content().unwrap();
    assert!(label.starts_with("<img src=x"), "{label}");
    assert!(all(root, "img").is_empty() && all(root, "[data-testid=canvas] b").is_empty());
    assert!(
        saved().await.contains("<img src=x onerror=alert(1)><b>five</b>"),
        "autosaved on the edit"
    );
    // A link is an interface: select it on the canvas and change its address; the services
    // publishing the address follow.
    // Zoomed in, so the link is long enough to click between the bar and the node.
    for _ in 0..5 {
        click(root, "[data-testid=zoom-in]").await;
    }
    let line = one(root, "[data-testid='link-n5-10.0.0.1']").get_bounding_client_rect();
    let at = (line.left() + line.width() / 2.0, line.top() + line.height() * 0.35);
    fire(root, "pointerdown", at, false).await;
    fire(root, "pointerup", at, false).await;
    let address: HtmlInputElement =
        one(root, "[data-testid=insp-interface-address]").dyn_into().unwrap();
    address.set_value("10.0.0.99");
    address.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert!(exists(root, "[data-testid='link-n5-10.0.0.99']"));
    assert!(exists(root, "[data-testid=inspector-interface]"), "the interface stays selected");
    assert!(saved().await.contains("\"10.0.0.99\""));
    assert!(
        !saved().await.contains("\"10.0.0.1\""),
        "the registry service follows the new address"
    );
    // A refused edit says why and keeps the model.
    press_on(root, &one(root, "[data-testid=node-n5] .node-box"), false).await;
    let uid: HtmlInputElement = one(root, "[data-testid=insp-node-uid]").dyn_into().unwrap();
    uid.set_value("n1");
    uid.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert!(one(root, "[data-testid=notice]")
        .text_content()
        .unwrap()
        .contains("n1 is already used"));
    assert!(exists(root, "[data-testid=node-n5]"));
}

#[wasm_bindgen_test]
async fn what_is_typed_in_a_field_survives_other_renders_until_it_is_committed() {
    let app = mount(None).await;
    let root = &app.root;
    press_on(root, &one(root, "[data-testid=node-n5] .node-box"), false).await;
    // Typed, not yet committed (no change event): the page renders for other reasons meanwhile
    // (another results tab, another service), as it does when an autosave or a compile ends.
    let name: HtmlInputElement = one(root, "[data-testid=insp-node-name]").dyn_into().unwrap();
    name.set_value("node five");
    click(root, "[data-testid=tab-load]").await;
    click(root, "[data-testid=tab-node]").await;
    assert_eq!(input_value(root, "[data-testid=insp-node-name]"), "node five");
    name.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    let label = one(root, "[data-testid=node-n5] .node-name").text_content().unwrap();
    assert_eq!(label, "node five");
    assert_eq!(input_value(root, "[data-testid=insp-node-name]"), "node five");
    // The seed field alike, while an edit recompiles the plan the comparison shows.
    click(root, "[data-testid=tab-strategies]").await;
    let seed: HtmlInputElement = one(root, "[data-testid=compare-seed]").dyn_into().unwrap();
    seed.set_value("12");
    type_into(root, "[data-testid=insp-node-name]", "node 5").await;
    settle().await;
    assert!(seed.is_connected(), "the same field");
    assert_eq!(input_value(root, "[data-testid=compare-seed]"), "12");
    // Text that is not a number keeps the seed, and the field shows it again.
    seed.set_value("");
    seed.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert_eq!(input_value(root, "[data-testid=compare-seed]"), "0");
}

#[wasm_bindgen_test]
async fn shortcuts_help_gallery_and_diagnostics_next_to_items() {
    let app = mount(None).await;
    let root = &app.root;
    key("?", false, true).await;
    assert!(exists(root, "[data-testid=help-overlay]"));
    key("Escape", false, false).await;
    assert!(!exists(root, "[data-testid=help-overlay]"));
    key("n", false, false).await;
    assert_eq!(
        one(root, "[data-testid=tool-node]").get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    key("Escape", false, false).await;
    click(root, "[data-testid=btn-examples]").await;
    assert_eq!(all(root, "[data-testid=gallery] .example-card").len(), 7);
    click(root, "[data-testid=example-two-clusters]").await;
    zoom_to_detail(root).await;
    let chips = all(root, "[data-testid=node-shared] .chip");
    assert_eq!(chips.len(), 2);
    assert_eq!(all(root, "[data-testid=node-shared] .chip.online").len(), 1);
    // Selecting a service shows its server nodes on the canvas.
    click(root, "[data-testid=overview-service-B-registry]").await;
    let servers: Vec<String> = all(root, "g.node.highlight")
        .iter()
        .map(|g| g.get_attribute("data-testid").unwrap())
        .collect();
    assert_eq!(servers, ["node-shared", "node-b2"]);
}

#[wasm_bindgen_test]
async fn engine_diagnostics_appear_next_to_the_item_they_name() {
    // Node "b" reuses node number 1 of cluster A and has an address on no subnet.
    let doc = r#"{"format":"cluster-planner/1","clusters":[{"id":"A","registry_servers":[1]}],
        "networks":[{"name":"lan"}],"subnets":[{"prefix":"10.0.0.0/24","network":"lan"}],
        "nodes":[{"uid":"a","clusters":{"A":1},"online":"A","addresses":["10.0.0.1"]},
                 {"uid":"b","clusters":{"A":1},"online":"A","addresses":["192.168.7.7"]}],
        "services":[{"name":"registry","cluster":"A","addresses":["10.0.0.1"]}]}"#;
    let app = mount(Some(doc)).await;
    let root = &app.root;
    assert!(
        exists(root, "[data-testid=mark-node-b]"),
        "the node named by a diagnostic carries a mark"
    );
    press_on(root, &one(root, "[data-testid=node-b] .node-box"), false).await;
    let listed = one(root, "[data-testid=inspector-diagnostics]").text_content().unwrap();
    assert!(listed.contains("192.168.7.7"), "{listed}");
}

/// Types `text` into the input `selector` and commits it (Enter or leaving the field).
async fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = one(root, selector).dyn_into().unwrap();
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
}

fn input_value(root: &Element, selector: &str) -> String {
    one(root, selector).dyn_into::<HtmlInputElement>().unwrap().value()
}

#[wasm_bindgen_test]
async fn a_subnet_prefix_is_checked_at_the_field_and_a_new_one_renumbers_its_nodes() {
    let app = mount(None).await;
    let root = &app.root;
    press_on(root, &one(root, "[data-testid='subnet-10.0.2.0/24'] .subnet-bar"), false).await;
    assert!(exists(root, "[data-testid=inspector-subnet]"));
    let before = saved().await;
    for (bad, says) in [
        ("banana", "banana is not a prefix"),
        ("10.0.1.0/33", "/33 is longer than the 32 bits"),
        ("10.0.1.5/24", "host bits"),
    ] {
        type_into(root, "[data-testid=insp-subnet-prefix]", bad).await;
        let error = one(root, "[data-testid=insp-subnet-prefix-error]").text_content().unwrap();
        assert!(error.contains(says), "{bad}: {error}");
        assert_eq!(input_value(root, "[data-testid=insp-subnet-prefix]"), "10.0.2.0/24");
        assert_eq!(saved().await, before, "{bad} changes nothing");
    }
    assert!(one(root, "[data-testid=insp-subnet-summary]")
        .text_content()
        .unwrap()
        .starts_with("2 nodes attached"));
    type_into(root, "[data-testid=insp-subnet-prefix]", "10.0.5.0/24").await;
    assert!(exists(root, "[data-testid=inspector-subnet]"), "the subnet stays selected");
    assert_eq!(input_value(root, "[data-testid=insp-subnet-prefix]"), "10.0.5.0/24");
    assert!(!exists(root, "[data-testid=insp-subnet-prefix-error]"));
    assert!(exists(root, "[data-testid='link-n12-10.0.5.12']"));
    assert!(exists(root, "[data-testid='link-n2-10.0.5.20']"));
    assert!(!exists(root, "[data-testid=mark-node-n12]"), "node 12 is still on a subnet");
    // Node 5's list follows the renumbered servers.
    press_on(root, &one(root, "[data-testid=node-n5] .node-box"), false).await;
    let list = one(root, "[data-testid=node-list-addresses-A-registry]").text_content().unwrap();
    assert_eq!(list, "10.0.0.1, 10.0.1.9, 10.0.1.3, 10.0.1.7, 10.0.5.20, 10.0.5.12");
}

#[wasm_bindgen_test]
async fn addresses_and_node_numbers_are_refused_at_the_field_with_the_reason() {
    let app = mount(None).await;
    let root = &app.root;
    press_on(root, &one(root, "[data-testid=node-n1] .node-box"), false).await;
    type_into(root, "[data-testid=insp-node-number-A]", "-3").await;
    let error = one(root, "[data-testid=insp-node-number-A-error]").text_content().unwrap();
    assert!(error.contains("-3 is not a node number: node numbers start at 1"), "{error}");
    assert_eq!(input_value(root, "[data-testid=insp-node-number-A]"), "1");
    // A number another node of the cluster has, as an address another node has.
    let before = saved().await;
    type_into(root, "[data-testid=insp-node-number-A]", "5").await;
    let error = one(root, "[data-testid=insp-node-number-A-error]").text_content().unwrap();
    assert!(error.starts_with("node number 5 is already used in cluster A, by node n5"), "{error}");
    assert_eq!(input_value(root, "[data-testid=insp-node-number-A]"), "1");
    assert_eq!(saved().await, before, "one primary registry server still");
    type_into(root, "[data-testid=insp-node-address-0]", "10.0.0.1").await;
    let error = one(root, "[data-testid=insp-node-address-0-error]").text_content().unwrap();
    assert_eq!(error, "10.0.0.1 is already node n5's (node 5)");
    type_into(root, "[data-testid=insp-node-address-0]", "10.0.0.999").await;
    let error = one(root, "[data-testid=insp-node-address-0-error]").text_content().unwrap();
    assert!(error.contains("10.0.0.999 is not an IP address"), "{error}");
    assert!(!saved().await.contains("10.0.0.999"));
    type_into(root, "[data-testid=insp-node-address-0]", "10.0.0.42").await;
    assert!(!exists(root, "[data-testid=insp-node-address-0-error]"));
    assert!(saved().await.contains("\"10.0.0.42\""));
}

#[wasm_bindgen_test]
async fn the_strategy_and_seed_survive_a_reload_and_a_bad_stored_value_is_ignored() {
    let stored = storage::encode_strategy(clusterplan_engine::Strategy::Shuffle { seed: 42 }, 42);
    let app = mount_with(None, &[(storage::STRATEGY_KEY, &stored)]).await;
    let picker = || -> web_sys::HtmlSelectElement {
        one(&app.root, "[data-testid=strategy-picker]").dyn_into().unwrap()
    };
    assert_eq!(picker().value(), "shuffle", "restored at start");
    picker().set_value("spread");
    picker().dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    let stored = || {
        let now = gloo::utils::window()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item(storage::STRATEGY_KEY)
            .unwrap()
            .unwrap_or_default();
        storage::decode_strategy(&now)
    };
    for _ in 0..25 {
        if stored() != Some((clusterplan_engine::Strategy::Shuffle { seed: 42 }, 42)) {
            break;
        }
        settle().await;
    }
    assert_eq!(stored(), Some((clusterplan_engine::Strategy::Spread, 42)));
    assert!(!saved().await.contains("spread"), "not part of the document");
    drop(app);
    let app = mount_with(None, &[(storage::STRATEGY_KEY, "{garbage")]).await;
    let picker: web_sys::HtmlSelectElement =
        one(&app.root, "[data-testid=strategy-picker]").dyn_into().unwrap();
    assert_eq!(picker.value(), "rotation");
}

#[wasm_bindgen_test]
async fn keys_pressed_in_form_controls_are_not_shortcuts() {
    let app = mount(None).await;
    let root = &app.root;
    press_on(root, &one(root, "[data-testid=node-n5] .node-box"), false).await;
    let select: HtmlElement = one(root, "[data-testid=strategy-picker]").dyn_into().unwrap();
    select.focus().unwrap();
    // The key reaches the page while the select has the focus (as after a re-render).
    key("Backspace", false, false).await;
    key("Delete", false, false).await;
    key("z", true, false).await;
    assert!(
        exists(root, "[data-testid=node-n5]"),
        "Backspace in the strategy select deletes nothing"
    );
    // Editable text keeps its keys too.
    select.blur().unwrap();
    let editable = gloo::utils::document().create_element("div").unwrap();
    editable.set_attribute("contenteditable", "true").unwrap();
    root.append_child(&editable).unwrap();
    let editable: HtmlElement = editable.dyn_into().unwrap();
    editable.focus().unwrap();
    let init = KeyboardEventInit::new();
    init.set_key("Delete");
    init.set_bubbles(true);
    editable
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
    settle().await;
    assert!(exists(root, "[data-testid=node-n5]"));
    editable.blur().unwrap();
    key("Delete", false, false).await;
    assert!(!exists(root, "[data-testid=node-n5]"), "on the page, Delete still deletes");
}

#[wasm_bindgen_test]
async fn the_splitter_resizes_the_results_and_the_first_screen_explains_itself() {
    let app = mount(None).await;
    let root = &app.root;
    assert!(exists(root, "[data-testid=first-hint]"));
    assert!(exists(root, "[data-testid=canvas-legend]"));
    click(root, "[data-testid=first-hint-close]").await;
    assert!(!exists(root, "[data-testid=first-hint]"));
    let results = || one(&app.root, ".results-slot").get_bounding_client_rect().height();
    let before = results();
    let doc = saved().await;
    let total = one(root, ".workspace").get_bounding_client_rect().height() + before;
    let splitter = one(root, "[data-testid=results-splitter]");
    let (x, y) = centre(&splitter);
    for (kind, dy) in
        [("pointerdown", 0.0), ("pointermove", -15.0), ("pointermove", -30.0), ("pointerup", -30.0)]
    {
        splitter.dispatch_event(&pointer(kind, (x, y + dy), false)).unwrap();
        settle().await;
    }
    let after = results();
    // Dragged up by 30 px: the results are that much taller, as far as the canvas area above
    // keeps its minimum (the test's window is small), at the height the splitter records.
    let expected = clusterplan::model::state::clamp_results_height(before + 30.0, total);
    let recorded: f64 = splitter.get_attribute("data-height").unwrap().parse().unwrap();
    assert!((after - expected).abs() < 2.0, "{before} -> {after}, expected {expected}");
    assert!((after - recorded).abs() < 1.5, "{after} vs {recorded}");
    // A double-click returns to the default share.
    splitter.dispatch_event(&web_sys::MouseEvent::new("dblclick").unwrap()).unwrap();
    settle().await;
    assert!((results() - before).abs() < 1.5);
    assert_eq!(saved().await, doc, "the height is view state, not the document");
}

#[wasm_bindgen_test]
async fn a_double_clicked_tool_stays_on_until_escape() {
    let app = mount(None).await;
    let root = &app.root;
    click(root, "[data-testid=btn-new]").await;
    click(root, "[data-testid=tool-node]").await;
    one(root, "[data-testid=tool-node]")
        .dispatch_event(&web_sys::MouseEvent::new("dblclick").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(
        one(root, "[data-testid=tool-node]").get_attribute("data-locked").as_deref(),
        Some("true")
    );
    let r = one(root, "[data-testid=canvas]").get_bounding_client_rect();
    for fx in [0.3, 0.6] {
        let at = (r.left() + r.width() * fx, r.top() + r.height() * 0.5);
        fire(root, "pointerdown", at, false).await;
        fire(root, "pointerup", at, false).await;
    }
    assert_eq!(all(root, "g.node").len(), 2);
    assert_eq!(
        one(root, "[data-testid=tool-node]").get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    key("Escape", false, false).await;
    assert_eq!(
        one(root, "[data-testid=tool-select]").get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    // Shift held while placing keeps the tool once.
    click(root, "[data-testid=tool-node]").await;
    let at = (r.left() + r.width() * 0.45, r.top() + r.height() * 0.8);
    fire(root, "pointerdown", at, true).await;
    fire(root, "pointerup", at, true).await;
    assert_eq!(
        one(root, "[data-testid=tool-node]").get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
}
