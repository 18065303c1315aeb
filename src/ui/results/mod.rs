//! The results panels: what the engine computed for the model, shown live.
//!
//! One component, [`ResultsPanel`], mounted by the app: tabs for the node view, load, matrix,
//! strategies, diagnostics, hops, bootstrap, the design review and the lifecycle simulation, a strategy picker, and a status bar with the compile
//! time. Every number shown comes from the engine or from the pure functions of these modules;
//! the components only render and dispatch.

pub mod bootstrap;
pub mod diagnostics;
pub mod failures;
pub mod hops;
pub mod load;
pub mod matrix;
pub mod node;
pub mod review;
pub mod simulate;
pub mod strategies;
pub mod walkthrough;

use crate::model::state::{Action, AppState};
use crate::model::view::ViewState;
use crate::model::view::{ServiceKey, Tab, ViewAction};
use clusterplan_engine::{Document, Plan, Strategy};
use std::rc::Rc;
use yew::prelude::*;

/// The panels' stylesheet, shipped inside the component so the panel needs nothing in
/// `index.html`.
pub const STYLES: &str = include_str!("../../../styles/results.css");

/// A shared plan, compared by identity: the app derives a new plan (a new `Rc`) on every edit,
/// so two handles to the same plan are equal without comparing its contents.
#[derive(Debug, Clone)]
pub struct PlanRef(pub Rc<Plan>);

impl PartialEq for PlanRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for PlanRef {
    type Target = Plan;
    fn deref(&self) -> &Plan {
        &self.0
    }
}

impl From<Rc<Plan>> for PlanRef {
    fn from(plan: Rc<Plan>) -> Self {
        PlanRef(plan)
    }
}

/// A shared document, compared by identity (every edit makes a new `Rc`).
#[derive(Debug, Clone)]
pub struct DocRef(pub Rc<Document>);

impl PartialEq for DocRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for DocRef {
    type Target = Document;
    fn deref(&self) -> &Document {
        &self.0
    }
}

/// The index into `plan.services` of the service the view shows: the chosen one while it exists,
/// else the first (`None` without services).
pub fn resolve_service(plan: &Plan, chosen: Option<&ServiceKey>) -> Option<usize> {
    chosen
        .and_then(|key| {
            plan.services.iter().position(|s| s.cluster == key.cluster && s.service == key.name)
        })
        .or(if plan.services.is_empty() { None } else { Some(0) })
}

/// Scrolls `list` so that `current`, an element inside it, sits in its middle (the list is the
/// offset parent: positioned).
pub fn center_in_list(list: Option<web_sys::HtmlElement>, current: Option<web_sys::Element>) {
    use wasm_bindgen::JsCast;
    if let (Some(list), Some(current)) =
        (list, current.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()))
    {
        let target = current.offset_top() - list.client_height() / 2 + current.client_height() / 2;
        list.set_scroll_top(target.max(0));
    }
}

/// The failed server nodes by display name (uid when it has none), for the status bar.
pub fn failed_names(plan: &Plan, failed: &std::collections::BTreeSet<String>) -> String {
    failed
        .iter()
        .map(|uid| {
            plan.nodes
                .iter()
                .find(|n| &n.uid == uid)
                .map(|n| n.name.as_str())
                .filter(|name| !name.is_empty())
                .unwrap_or(uid)
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything failed, for the status bar: the servers by name, then the routers and subnets
/// (`server 9, router r2, subnet 10.0.2.0/24`).
pub fn failed_text(plan: &Plan, view: &ViewState) -> String {
    let servers = (!view.failed.is_empty()).then(|| failed_names(plan, &view.failed));
    let routers = view.failed_routers.iter().map(|r| format!("router {r}"));
    let subnets = view.failed_subnets.iter().map(|s| format!("subnet {s}"));
    servers.into_iter().chain(routers).chain(subnets).collect::<Vec<_>>().join(", ")
}

/// A node as the results name it in a sentence: its name, else its uid.
pub fn node_name(n: &clusterplan_engine::plan::NodeInfo) -> &str {
    if n.name.is_empty() {
        &n.uid
    } else {
        &n.name
    }
}

/// `1 service`, `2 services`, `0 services`: a number and its noun, singular only for one.
pub use clusterplan_engine::text::count;

/// The status bar's text: compile time, size of the model, diagnostics.
pub fn status_text(plan: &Plan, compile_ms: Option<f64>, compiling: bool) -> String {
    let (errors, warnings, lints) = diagnostics::counts(&plan.diagnostics);
    let clients: usize = plan.services.iter().map(|s| s.lists.len()).sum();
    let time = if compiling {
        "compiling… · ".to_owned()
    } else {
        compile_ms.map_or_else(String::new, |ms| format!("compiled in {ms:.1} ms · "))
    };
    format!(
        "{time}{} · {} · {} · {}, {}, {} · {}",
        count(plan.nodes.len(), "node", "nodes"),
        count(plan.services.len(), "service", "services"),
        count(clients, "list", "lists"),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings"),
        count(lints, "lint", "lints"),
        plan.strategy
    )
}

/// What the results panels show, and nothing else: a new value only when something shown
/// changed, so an edit that does not touch the plan (a node moved) re-renders no view of it.
#[derive(Debug, Properties, PartialEq)]
pub struct ResultsPanelProps {
    pub plan: PlanRef,
    /// The document `plan` was compiled from (the same `Rc` while only positions change): what
    /// the views of the plan read names and items from.
    pub compiled: DocRef,
    /// The document as it is now: the Simulate tab reads its scenarios (top-level extension
    /// fields, which do not change the plan).
    pub document: DocRef,
    pub view: ViewState,
    /// The uid of the node the user selected (the editor's selection), if a node.
    pub selected: Option<String>,
    /// Something is selected on the canvas (a node or any other item).
    pub selection: bool,
    /// When comparing (the Review tab): where the other model came from, and whether it is the
    /// model after the change.
    #[prop_or_default]
    pub compare: Option<(String, bool)>,
    pub dispatch: Callback<Action>,
    /// How long the last compile took, in milliseconds (shown in the status bar).
    #[prop_or_default]
    pub compile_ms: Option<f64>,
    /// A newer plan is being compiled (the one shown is for an earlier edit).
    #[prop_or_default]
    pub compiling: bool,
    /// The engine's diff of the compared model and this one, when comparing (the Review tab).
    #[prop_or_default]
    pub review: Option<crate::model::review::DiffRef>,
    /// The Simulate tab's run (derived by the app from the document and the lesson).
    #[prop_or_default]
    pub simulation: Option<simulate::SimRef>,
    /// The Simulate tab's exploration of every fault point, when asked for.
    #[prop_or_default]
    pub explored: Option<simulate::Explored>,
}

impl ResultsPanelProps {
    /// The panel's inputs taken from the app's state, its plan and the document that plan was
    /// compiled from (the other fields at their defaults).
    pub fn of(
        state: &AppState,
        plan: PlanRef,
        compiled: Rc<Document>,
        dispatch: Callback<Action>,
    ) -> ResultsPanelProps {
        ResultsPanelProps {
            plan,
            compiled: DocRef(compiled),
            document: DocRef(state.document.clone()),
            view: state.view.clone(),
            selected: state.selected_node.clone(),
            selection: !state.selection.is_empty(),
            compare: state.compare.as_ref().map(|c| (c.source.clone(), c.reversed)),
            dispatch,
            compile_ms: None,
            compiling: false,
            review: None,
            simulation: None,
            explored: None,
        }
    }
}

/// The results: tabs, the shown view, the status bar.
#[function_component(ResultsPanel)]
pub fn results_panel(props: &ResultsPanelProps) -> Html {
    let plan = &props.plan;
    let view = &props.view;
    // Stable callbacks (while the app's dispatch is), so views that did not change skip
    // re-rendering.
    let on_view = use_callback(props.dispatch.clone(), |a, d| d.emit(Action::View(a)));
    let on_select = use_callback(props.dispatch.clone(), |uid: String, d| {
        d.emit(Action::SelectNode(Some(uid)))
    });
    let selected = &props.selected;
    let compiled = &props.compiled;
    let service = resolve_service(plan, view.service.as_ref());
    let no_service = || html! { <p class="empty">{ "The model has no service yet: add one to see lists and load." }</p> };
    let body = match view.tab {
        Tab::Node => {
            html! { <node::NodeView plan={plan.clone()} selected={selected.clone()} failed={view.failed.clone()} document={compiled.clone()} on_select={on_select.clone()}
            walk={view.walk.clone()} on_view={on_view.clone()} /> }
        }
        Tab::Load => html! {
            <>
                { match service {
                    Some(service) => html! {
                        <load::LoadView plan={plan.clone()} {service} failed={view.failed.clone()} selected={selected.clone()} on_view={on_view.clone()} />
                    },
                    None => no_service(),
                } }
                <failures::NetworkFailures document={compiled.clone()} plan={plan.clone()} {service} failed={view.failed.clone()}
                    failed_routers={view.failed_routers.clone()}
                    failed_subnets={view.failed_subnets.clone()} on_view={on_view.clone()} />
            </>
        },
        Tab::Matrix => match service {
            Some(service) => html! {
                <matrix::MatrixView plan={plan.clone()} {service} sort={view.matrix_sort.clone()} failed={view.failed.clone()}
                    selected={selected.clone()} on_view={on_view.clone()} on_select={on_select.clone()} />
            },
            None => no_service(),
        },
        Tab::Strategies => html! {
            <strategies::StrategiesView plan={plan.clone()} document={compiled.clone()} seed={view.shuffle_seed}
                current={view.strategy} on_view={on_view.clone()} />
        },
        Tab::Diagnostics => html! {
            <diagnostics::DiagnosticsView plan={plan.clone()} document={compiled.clone()} dispatch={props.dispatch.clone()} />
        },
        Tab::Hops => html! {
            <hops::HopsView plan={plan.clone()} document={compiled.clone()} selected={selected.clone()} failed_subnets={view.failed_subnets.clone()} />
        },
        Tab::Bootstrap => {
            let node = view
                .bootstrap
                .node
                .clone()
                .or_else(|| selected.clone())
                .or_else(|| compiled.nodes.first().map(|n| n.uid.clone()));
            html! {
                <bootstrap::BootstrapView document={compiled.clone()} {node} step={view.bootstrap.step}
                    extra={view.bootstrap.extra.clone()} refused={view.bootstrap.refused.clone()} on_view={on_view.clone()} />
            }
        }
        Tab::Review => {
            let (source, reversed) = props.compare.clone().unwrap_or_default();
            html! {
                <review::ReviewView diff={props.review.clone()} {source} {reversed} selected={selected.clone()} dispatch={props.dispatch.clone()} />
            }
        }
        Tab::Simulate => html! {
            <simulate::SimulateTab document={props.document.clone()} simulation={props.simulation.clone()} explored={props.explored.clone()} view={view.simulate.clone()}
                selected={selected.clone()} selection={props.selection} dispatch={props.dispatch.clone()} />
        },
    };
    let (errors, _, _) = diagnostics::counts(&plan.diagnostics);
    html! {
        <section class="results" data-testid="results">
            <style>{ STYLES }</style>
            <nav class="results-tabs" aria-label="results">
                <div class="tab-list" role="tablist" aria-label="results views">
                { for Tab::ALL.iter().map(|&tab| {
                    let onclick = on_view.reform(move |_| ViewAction::ShowTab(tab));
                    let badge = (tab == Tab::Diagnostics && !plan.diagnostics.is_empty()).then(|| plan.diagnostics.len());
                    html! {
                        <button role="tab" class={classes!("tab", (view.tab == tab).then_some("active"), (tab == Tab::Diagnostics && errors > 0).then_some("has-errors"))}
                            aria-selected={(view.tab == tab).to_string()} data-testid={format!("tab-{}", tab.id())} {onclick}>
                            { tab.label() }
                            if let Some(n) = badge { <span class="count" aria-hidden="true" title={format!("{n} diagnostics")}>{ n }</span> }
                        </button>
                    }
                }) }
                </div>
                <StrategyPicker current={view.strategy} seed={view.shuffle_seed} on_view={on_view.clone()} />
            </nav>
            <div class={classes!("results-body", tab_class(view.tab))} role="tabpanel">{ body }</div>
            <footer class="status-bar">
                <span data-testid="status-bar">{ status_text(plan, props.compile_ms, props.compiling) }</span>
                if view.any_failed() {
                    <span class="status-failed" data-testid="status-failed">
                        { format!(" · failed: {}", failed_text(plan, view)) }
                        <button class="link" onclick={on_view.reform(|_| ViewAction::ClearFailed)}>{ "bring back up" }</button>
                    </span>
                }
            </footer>
        </section>
    }
}

fn tab_class(tab: Tab) -> String {
    format!("tab-{}", tab.id())
}

#[derive(Debug, Properties, PartialEq)]
pub struct StrategyPickerProps {
    pub current: Strategy,
    pub seed: u64,
    pub on_view: Callback<ViewAction>,
}

/// Which strategy the lists are ordered with (rotation, the source's rule, by default), and
/// the shuffle's seed.
#[function_component(StrategyPicker)]
pub fn strategy_picker(props: &StrategyPickerProps) -> Html {
    let seed = props.seed;
    let onchange = props.on_view.reform(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let strategy = match select.value().parse::<Strategy>() {
            Ok(Strategy::Shuffle { .. }) => Strategy::Shuffle { seed },
            Ok(s) => s,
            Err(_) => Strategy::Rotation,
        };
        ViewAction::SetStrategy(strategy)
    });
    html! {
        <span class="strategy-picker">
            <label>{ "strategy " }
                <select data-testid="strategy-picker" {onchange}>
                { for Strategy::all(seed).iter().map(|s| html! {
                    <option value={s.name()} selected={s.name() == props.current.name()}>
                        { if *s == Strategy::Rotation { "rotation (the source's rule)".to_owned() } else { s.name().to_owned() } }
                    </option>
                }) }
                </select>
            </label>
            if matches!(props.current, Strategy::Shuffle { .. }) {
                <SeedField label=" seed " testid="shuffle-seed" {seed} on_view={props.on_view.clone()} />
            }
        </span>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct SeedFieldProps {
    pub label: AttrValue,
    pub testid: AttrValue,
    pub seed: u64,
    pub on_view: Callback<ViewAction>,
}

/// The shuffle's seed, a number field that sets it on change (text that is not a number
/// keeps the seed). What is typed survives other re-renders until it is committed.
#[function_component(SeedField)]
pub fn seed_field(props: &SeedFieldProps) -> Html {
    let seed = props.seed;
    let control = use_node_ref();
    crate::ui::fields::use_shown_value(&control, &AttrValue::from(seed.to_string()));
    let onchange = props.on_view.reform(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let typed = input.value().trim().parse().ok();
        if typed.is_none() {
            // Not a number: the seed stays, and the field shows it again.
            input.set_value(&seed.to_string());
        }
        ViewAction::SetShuffleSeed(typed.unwrap_or(seed))
    });
    html! {
        <label>{ props.label.clone() }<input ref={control} data-testid={props.testid.clone()} type="number" min="0" {onchange} /></label>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct ServicePickerProps {
    pub plan: PlanRef,
    /// Index into `plan.services` of the service shown.
    pub service: usize,
    pub on_view: Callback<ViewAction>,
}

/// Chooses the service the load view and the matrix show.
#[function_component(ServicePicker)]
pub fn service_picker(props: &ServicePickerProps) -> Html {
    let keys: Vec<ServiceKey> =
        props.plan.services.iter().map(|s| ServiceKey::new(&s.cluster, &s.service)).collect();
    let onchange = {
        let keys = keys.clone();
        props.on_view.reform(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let key = select.value().parse::<usize>().ok().and_then(|i| keys.get(i).cloned());
            ViewAction::SelectService(key)
        })
    };
    html! {
        <label class="service-picker">{ "service " }
            <select data-testid="service-picker" {onchange}>
            { for keys.iter().enumerate().map(|(i, key)| html! {
                <option value={i.to_string()} selected={i == props.service}>{ format!("{} (cluster {})", key.name, key.cluster) }</option>
            }) }
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{fig24, service};
    use clusterplan_engine::compile;

    #[test]
    fn the_chosen_service_is_shown_while_it_exists_else_the_first() {
        let (plan, _) = fig24();
        let web = service(&plan, "web");
        assert_eq!(resolve_service(&plan, None), Some(0));
        assert_eq!(resolve_service(&plan, Some(&ServiceKey::new("A", "web"))), Some(web));
        assert_eq!(resolve_service(&plan, Some(&ServiceKey::new("B", "gone"))), Some(0));
        assert_eq!(resolve_service(&Plan::default(), None), None);
    }

    #[test]
    fn the_status_bar_says_how_long_the_compile_took_and_what_it_made() {
        let (plan, _) = fig24();
        let text = status_text(&plan, Some(1.25), false);
        assert!(
            text.starts_with("compiled in 1.2 ms · 10 nodes · 2 services · 20 lists"),
            "{text}"
        );
        assert!(text.ends_with("rotation"), "{text}");
        // One of a kind is singular: the shipped FIG 24 has one service.
        let fig24 = compile(&crate::model::examples::FIG24.document(), Strategy::Rotation);
        let text = status_text(&fig24, None, false);
        assert!(text.starts_with("10 nodes · 1 service · 10 lists · "), "{text}");
        assert!(
            !text.contains("1 services")
                && !text.contains(" 1 errors")
                && !text.contains(" 1 lints"),
            "{text}"
        );
        assert_eq!(count(1, "hop", "hops"), "1 hop");
        assert_eq!(count(0, "hop", "hops"), "0 hops");
        assert_eq!(count(2, "address", "addresses"), "2 addresses");
        assert!(!status_text(&plan, None, false).contains("compiled"));
        // While a newer plan compiles (in the worker), it says so instead of the last time.
        let text = status_text(&plan, Some(1.25), true);
        assert!(text.starts_with("compiling… · 10 nodes"), "{text}");
        let failed = ["n9", "gone"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(failed_names(&plan, &failed), "gone, server 9");
        let mut view = ViewState { failed, ..ViewState::default() };
        view.apply(ViewAction::ToggleFailedRouter("r2".into()));
        view.apply(ViewAction::ToggleFailedSubnet("10.0.2.0/24".into()));
        assert_eq!(failed_text(&plan, &view), "gone, server 9, router r2, subnet 10.0.2.0/24");
    }
}
