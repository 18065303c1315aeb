//! Browser tests of the results panels: the real `ResultsPanel` mounted on a real reducer, driven
//! by clicks and form events in headless Chromium, read back from the DOM.
#![cfg(target_arch = "wasm32")]

use clusterplan::model::examples;
use clusterplan::model::state::{Action, AppState};
use clusterplan::model::view::{Tab, ViewAction};
use clusterplan::ui::results::{PlanRef, ResultsPanel, ResultsPanelProps};
use clusterplan_engine::{compile, Document, Plan};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const NODE5: [&str; 6] = ["10.0.0.1", "10.0.1.9", "10.0.1.3", "10.0.1.7", "10.0.2.20", "10.0.2.12"];

/// Every action the panel dispatched, in order.
type Log = Rc<RefCell<Vec<Action>>>;

#[derive(Properties, Clone)]
struct HostProps {
    initial: AppState,
    log: Log,
}

impl PartialEq for HostProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.log, &other.log)
    }
}

/// The app's wiring, reduced to the results: a reducer, the plan derived from it, the panel.
#[function_component(Host)]
fn host(props: &HostProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || initial);
    let plan: Rc<Rc<Plan>> =
        use_memo((state.document.clone(), state.view.strategy), |(doc, strategy)| {
            Rc::new(compile(doc, *strategy))
        });
    let compiled = state.document.clone();
    let dispatch = {
        let (state, log) = (state.clone(), props.log.clone());
        Callback::from(move |action: Action| {
            log.borrow_mut().push(action.clone());
            state.dispatch(action);
        })
    };
    html! {
        <ResultsPanel ..ResultsPanelProps {
            compile_ms: Some(1.5),
            ..ResultsPanelProps::of(&state, PlanRef((*plan).clone()), compiled, dispatch)
        } />
    }
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

/// Mounts the panel on a fresh element with the given state; returns the element and the log.
async fn mount(state: AppState) -> (Element, Log) {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let log: Log = Rc::default();
    yew::Renderer::<Host>::with_root_and_props(
        root.clone(),
        HostProps { initial: state, log: log.clone() },
    )
    .render();
    settle().await;
    (root, log)
}

fn state_with(doc: Document, tab: Tab, selected: Option<&str>) -> AppState {
    let mut state = AppState::new(doc);
    state.view.apply(ViewAction::ShowTab(tab));
    state.selected_node = selected.map(str::to_owned);
    state
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

async fn click(root: &Element, selector: &str) {
    one(root, selector).dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
}

async fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = one(root, selector).dyn_into().unwrap();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn the_node_view_reads_fig_24_for_node_5_with_the_formula() {
    let (root, _) = mount(state_with(examples::FIG24.document(), Tab::Node, Some("n5"))).await;
    let addresses: Vec<String> =
        all(&root, "[data-testid=node-list][data-service=registry] [data-testid=list-address]")
            .iter()
            .map(|e| e.text_content().unwrap())
            .collect();
    assert_eq!(addresses, NODE5);
    let formulas =
        all(&root, "[data-testid=node-list][data-service=registry] [data-testid=formula]");
    assert!(formulas[1].text_content().unwrap().contains("((5 mod 3) + 0) mod 3 = 2"));
    assert!(text(&root, "[data-testid=status-bar]").starts_with("compiled in 1.5 ms · 10 nodes"));
}

#[wasm_bindgen_test]
async fn picking_a_node_in_the_node_view_selects_it() {
    let (root, log) = mount(state_with(examples::FIG24.document(), Tab::Node, None)).await;
    assert!(all(&root, "[data-testid=node-list]").is_empty());
    choose(&root, "[data-testid=node-picker]", "n12").await;
    assert_eq!(log.borrow().last(), Some(&Action::SelectNode(Some("n12".into()))));
    let first = one(&root, "[data-testid=node-list] [data-testid=list-entry]");
    assert_eq!(attr(&first, "data-address"), "10.0.2.12");
}

#[wasm_bindgen_test]
async fn failing_a_server_moves_its_clients_and_the_bars_follow_the_engine() {
    let doc = examples::FIG24.document();
    let plan = compile(&doc, Default::default());
    let load = &plan.services[0].load;
    let (root, log) = mount(state_with(doc, Tab::Load, None)).await;
    let bars = || all(&root, "[data-testid=load-bar]");
    let column = |name: &str| {
        bars().iter().map(|b| attr(b, name).parse::<usize>().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(column("data-first"), load.first_choice);
    assert_eq!(column("data-now"), load.first_choice);
    // Server 5 is the third server (2, 3, 5, 7, 9, 12).
    click(&root, "[data-testid=load-bar][data-server-number='5']").await;
    assert_eq!(log.borrow().last(), Some(&Action::View(ViewAction::ToggleFailed("n5".into()))));
    assert_eq!(column("data-now"), load.single_failures.row(2));
    assert_eq!(
        attr(&one(&root, "[data-testid=load-bar][data-server-number='5']"), "data-failed"),
        "true"
    );
    // Node 5 failed with its server: it is no client, so it is not among those that moved.
    let moved: usize = load.first_choice[2] - 1;
    assert!(text(&root, "[data-testid=load-moves]").contains(&format!("{moved} clients moved")));
    // Node 8's list says who serves it now (8 mod 3 = 2: 10.0.1.9 after 10.0.0.1).
    click(&root, "[data-testid=tab-node]").await;
    choose(&root, "[data-testid=node-picker]", "n8").await;
    let serving = one(&root, "[data-testid=node-list][data-service=registry] .entry.serving");
    assert_eq!(attr(&serving, "data-address"), "10.0.1.9");
    assert_eq!(
        all(&root, "[data-testid=node-list][data-service=registry] [data-testid=entry-down]").len(),
        1
    );
    // Node 5's own list says it failed, and nothing serves it.
    choose(&root, "[data-testid=node-picker]", "n5").await;
    assert_eq!(all(&root, "[data-testid=node-failed]").len(), 1);
    assert!(all(&root, "[data-testid=node-list][data-service=registry] .entry.serving").is_empty());
    click(&root, "[data-testid=tab-load]").await;
    // The single-failure table: its row for server 5 is what the bars show now.
    let row5: Vec<String> = all(&root, "[data-testid=failure-row][data-failed='5'] td")
        .iter()
        .map(|c| c.text_content().unwrap())
        .collect();
    let expected: Vec<String> = load
        .single_failures
        .row(2)
        .iter()
        .enumerate()
        .map(|(s, l)| if s == 2 { "×".to_owned() } else { l.to_string() })
        .collect();
    assert_eq!(row5[..6], expected[..]);
    // And back up.
    click(&root, "[data-testid=load-bar][data-server-number='5']").await;
    assert_eq!(column("data-now"), load.first_choice);
    assert!(all(&root, "[data-testid=load-moves]").is_empty());
}

#[wasm_bindgen_test]
async fn the_matrix_of_1000_nodes_renders_only_the_rows_in_view_and_scrolls() {
    let (root, _) = mount(state_with(examples::DATA_CENTRE.document(), Tab::Matrix, None)).await;
    let count = text(&root, "[data-testid=matrix-count]");
    let clients: usize = count.split(' ').next().unwrap().parse().unwrap();
    assert!(clients >= 900, "{count}");
    let rows = all(&root, "[data-testid=matrix-row]");
    assert!(!rows.is_empty() && rows.len() < 60, "{} rows in the DOM", rows.len());
    let first_before = attr(&rows[0], "data-node-number");
    let scroller = one(&root, "[data-testid=matrix-scroll]");
    scroller.set_scroll_top(24 * 500);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    settle().await;
    let rows = all(&root, "[data-testid=matrix-row]");
    assert!(rows.len() < 60);
    assert_ne!(attr(&rows[0], "data-node-number"), first_before);
    assert!(text(&root, "[data-testid=matrix-window]").starts_with("rows 493-"));
}

#[wasm_bindgen_test]
async fn sorting_the_matrix_by_a_server_puts_its_first_choice_clients_on_top() {
    let (root, log) = mount(state_with(examples::FIG24.document(), Tab::Matrix, None)).await;
    let numbers = || {
        all(&root, "[data-testid=matrix-row]")
            .iter()
            .map(|r| attr(r, "data-node-number"))
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "12"]);
    // Columns: node, name, then servers 2, 3, 5, 7, 9, 12: sort by server 12.
    let heads = all(&root, "[data-testid=matrix-sort]");
    heads[7].clone().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    assert!(matches!(log.borrow().last(), Some(Action::View(ViewAction::SortMatrix(_)))));
    assert_eq!(numbers()[0], "12");
    heads[7].clone().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(numbers().last().unwrap(), "12");
}

#[wasm_bindgen_test]
async fn clicking_a_diagnostic_selects_its_item() {
    let mut doc = examples::FIG24.document();
    doc.nodes[1].addresses = vec!["10.0.0.1".into()]; // node 1 takes node 5's address
    let (root, log) = mount(state_with(doc, Tab::Diagnostics, None)).await;
    let errors = all(&root, "[data-testid=diagnostic][data-severity=error]");
    assert!(!errors.is_empty());
    errors[0].clone().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    assert!(matches!(log.borrow().first(), Some(Action::SelectItem(_))), "{:?}", log.borrow());
}

#[wasm_bindgen_test]
async fn the_bootstrap_steps_through_the_registry_phases_and_refuses_a_cycle() {
    let (root, _) = mount(state_with(examples::FIG24.document(), Tab::Bootstrap, Some("n5"))).await;
    assert_eq!(text(&root, "[data-testid=step-now]"), "step 0 of 24");
    for _ in 0..5 {
        click(&root, "[data-testid=step-forward]").await;
    }
    assert_eq!(text(&root, "[data-testid=step-now]"), "step 5 of 24");
    assert!(text(&root, "[data-testid=registry-state]").contains("read-only"));
    click(&root, "[data-testid=step-last]").await;
    assert!(text(&root, "[data-testid=registry-state]").contains("reads and writes"));
    assert!(all(&root, "[data-testid=stage][data-done=false]").is_empty());
    click(&root, "[data-testid=step-back]").await;
    assert_eq!(text(&root, "[data-testid=step-now]"), "step 23 of 24");
    // Liveness depends on the Resource Manager: a cycle through Group Services.
    let from = all(&root, "[data-testid=dep-from] option")
        .iter()
        .position(|o| o.text_content().unwrap() == "Liveness")
        .unwrap();
    let to = all(&root, "[data-testid=dep-to] option")
        .iter()
        .position(|o| o.text_content().unwrap() == "Resource Manager")
        .unwrap();
    choose(&root, "[data-testid=dep-from]", &from.to_string()).await;
    choose(&root, "[data-testid=dep-to]", &to.to_string()).await;
    click(&root, "[data-testid=dep-add]").await;
    let refused = text(&root, "[data-testid=dep-refused]");
    assert!(
        refused.contains("Liveness -> Resource Manager -> Group Services -> Liveness"),
        "{refused}"
    );
    assert!(all(&root, "[data-testid=dep-extra]").is_empty());
    // The other way round is fine.
    choose(&root, "[data-testid=dep-from]", &to.to_string()).await;
    choose(&root, "[data-testid=dep-to]", &from.to_string()).await;
    click(&root, "[data-testid=dep-add]").await;
    assert!(all(&root, "[data-testid=dep-refused]").is_empty());
    assert_eq!(all(&root, "[data-testid=dep-extra]").len(), 1);
}

#[wasm_bindgen_test]
async fn the_strategies_compare_side_by_side_and_a_click_compiles_with_one() {
    let (root, _) = mount(state_with(examples::FIG24.document(), Tab::Strategies, None)).await;
    // The comparison runs after the tab has painted.
    for _ in 0..100 {
        if !all(&root, "[data-testid=strategy-row]").is_empty() {
            break;
        }
        settle().await;
    }
    let rows: Vec<String> =
        all(&root, "[data-testid=strategy-row]").iter().map(|r| attr(r, "data-strategy")).collect();
    assert_eq!(rows, ["rotation", "spread", "rendezvous", "shuffle"]);
    assert!(!all(&root, "[data-testid=cmp-worst].best").is_empty());
    click(&root, "[data-testid=strategy-row][data-strategy=spread]").await;
    assert!(text(&root, "[data-testid=status-bar]").ends_with("spread"));
    let seed: HtmlInputElement = one(&root, "[data-testid=compare-seed]").dyn_into().unwrap();
    assert_eq!(seed.value(), "0");
}

#[wasm_bindgen_test]
async fn every_tab_renders_an_empty_model_and_a_broken_one() {
    let mut broken = examples::FIG24.document();
    broken.nodes[1].addresses = vec!["10.0.0.1".into(), "not an address".into()];
    broken.nodes[2].online = Some("nowhere".into());
    broken.services[0].addresses.push("192.168.9.9".into());
    broken.routers[0].subnets.push("10.99.0.0/16".into());
    for doc in [Document::default(), broken] {
        let empty = doc.nodes.is_empty();
        for tab in Tab::ALL {
            let (root, _) = mount(state_with(doc.clone(), tab, Some("n5"))).await;
            assert!(one(&root, "[data-testid=status-bar]")
                .text_content()
                .unwrap()
                .starts_with("compiled in"));
            let body = one(&root, ".results-body").text_content().unwrap();
            assert!(!body.is_empty(), "{tab:?} shows nothing");
            if empty && tab != Tab::Diagnostics {
                assert!(!all(&root, ".empty").is_empty(), "{tab:?} on an empty model: {body}");
            }
        }
    }
}

/// The rectangle of the first element matching `selector`.
fn rect(root: &Element, selector: &str) -> web_sys::DomRect {
    one(root, selector).get_bounding_client_rect()
}

#[wasm_bindgen_test]
async fn the_legends_swatches_sit_in_the_legend_beside_their_labels() {
    for (tab, legend) in
        [(Tab::Load, ".load-view .r-legend"), (Tab::Bootstrap, ".bootstrap-view .r-legend")]
    {
        let (root, _) = mount(state_with(examples::FIG24.document(), tab, Some("n5"))).await;
        // Narrow, so the legend wraps.
        root.set_attribute("style", "width: 320px").unwrap();
        settle().await;
        let box_ = rect(&root, legend);
        let swatches = all(&root, &format!("{legend} .r-swatch"));
        assert!(swatches.len() >= 4, "{tab:?}");
        for swatch in swatches {
            let s = swatch.get_bounding_client_rect();
            let class = attr(&swatch, "class");
            // Inside the legend (the ideal line once sat at the top of the page).
            assert!(
                s.top() >= box_.top() - 1.0 && s.bottom() <= box_.bottom() + 1.0,
                "{tab:?} {class}: {} .. {} outside {} .. {}",
                s.top(),
                s.bottom(),
                box_.top(),
                box_.bottom()
            );
            // On the line of its label: swatch and label are one item that does not wrap.
            let item = swatch.parent_element().unwrap();
            assert_eq!(attr(&item, "class"), "r-legend-item", "{tab:?} {class}");
            let label = item.text_content().unwrap();
            assert!(!label.trim().is_empty(), "{tab:?} {class}");
            let i = item.get_bounding_client_rect();
            assert!(i.height() < 24.0, "{tab:?} {label:?} wraps: {} px high", i.height());
            let middle = s.top() + s.height() / 2.0;
            assert!(middle > i.top() && middle < i.bottom(), "{tab:?} {label:?}");
        }
    }
}

#[wasm_bindgen_test]
async fn clicking_a_diagnostic_about_an_address_nobody_owns_selects_its_service() {
    let mut doc = examples::FIG24.document();
    doc.services[0].addresses.push("10.0.0.99".into());
    let (root, log) = mount(state_with(doc, Tab::Diagnostics, None)).await;
    let unowned = one(&root, "[data-testid=diagnostic][data-code=unowned-service-address]");
    assert!(attr(&unowned, "class").contains("selectable"));
    unowned.dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let registry =
        clusterplan_engine::Item::Service { cluster: "A".into(), name: "registry".into() };
    assert_eq!(log.borrow().first(), Some(&Action::SelectItem(registry)), "{:?}", log.borrow());
}

#[wasm_bindgen_test]
async fn counts_read_as_english_and_picks_as_people_count() {
    let (root, _) = mount(state_with(examples::FIG24.document(), Tab::Node, Some("n5"))).await;
    let status = text(&root, "[data-testid=status-bar]");
    assert!(status.contains("10 nodes · 1 service · 10 lists"), "{status}");
    assert!(!status.contains("1 services") && !status.contains("1 lints"), "{status}");
    // Node 5's second entry is the first pick from the group of three at one hop.
    let chips: Vec<String> =
        all(&root, "[data-testid=node-list][data-service=registry] [data-testid=group-chip]")
            .iter()
            .map(|c| c.text_content().unwrap())
            .collect();
    assert_eq!(chips[0], "group m=3 · index 2 · k = 0 (1st pick)");
    assert!(chips.iter().all(|c| !c.contains("pick k=")), "{chips:?}");
}

#[wasm_bindgen_test]
async fn when_the_strategies_agree_on_fig_24_the_panel_says_why() {
    let (root, _) = mount(state_with(examples::FIG24.document(), Tab::Strategies, None)).await;
    for _ in 0..100 {
        if !all(&root, "[data-testid=strategy-row]").is_empty() {
            break;
        }
        settle().await;
    }
    let note = text(&root, "[data-testid=strategies-agree]");
    assert!(note.contains("groups of two or more equidistant, non-local addresses"), "{note}");
    assert!(note.contains("no client's first choice comes from such a group"), "{note}");
}
