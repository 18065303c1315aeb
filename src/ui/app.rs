//! The root component: owns the reducer, derives the plan (and, when comparing, the compared
//! model's plan and the engine's diff of the two), lays out the panels (toolbar on top,
//! canvas in the centre, inspector on the right, results below), and runs the effects: autosave
//! (and dropping a consumed share link from the address), export, clipboard, keyboard
//! shortcuts, and reloading when the address gets a new share link.

use crate::model::overlay::{canvas_overlay, CanvasOverlay};
use crate::model::review::{review_marks, DiffRef, ReviewMarks};
use crate::model::state::{clamp_results_height, Action, AppState, SharedView};
use crate::platform::browser::page_address;
use crate::platform::storage;
use crate::ui::canvas::draw::Marks;
use crate::ui::canvas::{scene, Canvas};
use crate::ui::hooks::*;
use crate::ui::inspector::Inspector;
use crate::ui::results::{self, PlanRef};
use crate::ui::toolbar::dialogs::{
    CompareDialog, ConfirmReplace, ConflictDialog, Gallery, HelpOverlay, NoticeBar, ShareDialog,
    VersionsDialog,
};
use crate::ui::toolbar::Toolbar;
use clusterplan_engine::{compile, Document, Plan};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The state the app starts with. A shared view (`#view&...`) never reads or writes storage: it
/// starts at once. Otherwise an empty, not yet ready state: the start-up effect reads storage
/// (asynchronously) and dispatches the real start ([`start`]).
fn initial_state() -> AppState {
    let address = page_address();
    if crate::model::share::is_shared_view(&address) {
        let mut state =
            crate::model::share::start(storage::Restored::Nothing, None, Some(&address));
        state.store.ready = true;
        state.theme = crate::model::theme::from_stored(storage::load_theme());
        return state;
    }
    let mut state = AppState::new(Document::default());
    state.theme = crate::model::theme::from_stored(storage::load_theme());
    state
}

/// Is `base` (the saved version's model) this very model?
fn is_saved(base: Option<&(u32, Rc<Document>)>, doc: &Rc<Document>) -> bool {
    base.is_some_and(|(_, b)| Rc::ptr_eq(b, doc))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    // The plan is derived from the document (never stored): on the page for small models, in
    // the compile worker for large ones, kept when an edit only moved items (`crate::ui::compile`).
    let derived = crate::ui::compile::use_plan(
        &state.document,
        state.view.strategy,
        state.view.network_failures(),
    );
    let plan: Rc<Plan> = derived.plan.clone();
    // Comparing: the compared model's plan (same strategy) and the engine's diff, before ->
    // after (the compared model is "before" unless swapped). The diff and the canvas's overlay
    // read the document the plan was compiled from (the same `Rc` while edits only move
    // items), so a move recomputes neither.
    let other_plan: Option<PlanRef> = {
        let other = state.compare.as_ref().map(|c| DocKey(c.other.clone()));
        (*use_memo((other, state.view.strategy), |(other, strategy)| {
            other.as_ref().map(|doc| PlanRef(Rc::new(compile(&doc.0, *strategy))))
        }))
        .clone()
    };
    let review: Option<DiffRef> = {
        let deps = (
            other_plan,
            PlanRef(plan.clone()),
            state.compare.as_ref().map(|c| DocKey(c.other.clone())),
            DocKey(derived.compiled.clone()),
            state.compare.as_ref().is_some_and(|c| c.reversed),
        );
        (*use_memo(deps, |(other_plan, plan, other, current, reversed)| {
            let (other_plan, other) = (other_plan.as_ref()?, other.as_ref()?);
            let (b, bp, a, ap) = if *reversed {
                (&current.0, &plan.0, &other.0, &other_plan.0)
            } else {
                (&other.0, &other_plan.0, &current.0, &plan.0)
            };
            Some(DiffRef(Rc::new(clusterplan_engine::diff::diff_plans(b, bp, a, ap))))
        }))
        .clone()
    };
    let review_marks: Rc<ReviewMarks> =
        use_memo(review.clone(), |r| review_marks(r.as_ref().map(|d| d.0.as_ref())));
    let marks: Rc<Marks> = use_memo(PlanRef(plan.clone()), |p| scene::marks(&p.diagnostics));
    // The Simulate tab's run: derived from the document and the lesson (never stored).
    let simulation: Option<results::simulate::SimRef> = {
        let deps = (
            DocKey(state.document.clone()),
            state.view.simulate.lesson.clone(),
            state.view.simulate.faults.clone(),
        );
        let run = use_memo(deps, |(doc, lesson, faults)| {
            crate::model::lessons::run(&doc.0, lesson.as_deref()?, faults).map(Rc::new)
        });
        run.as_ref().clone().map(results::simulate::SimRef)
    };
    let overlay: Rc<CanvasOverlay> = {
        // While the Simulate tab shows a run: its marks at the current event.
        let shown = (state.view.tab == crate::model::view::Tab::Simulate)
            .then(|| simulation.clone())
            .flatten()
            .map(|s| (s, state.view.simulate.position));
        // While the node view builds a list step by step: the step's marks.
        let walk =
            (state.view.tab == crate::model::view::Tab::Node).then(|| state.view.walk.clone());
        let deps = (
            PlanRef(plan.clone()),
            DocKey(derived.compiled.clone()),
            state.selected_node.clone(),
            state.view.service.clone(),
            (
                state.view.failed.clone(),
                state.view.failed_routers.clone(),
                state.view.failed_subnets.clone(),
            ),
            shown,
            walk.flatten(),
        );
        use_memo(deps, |(plan, doc, selected, service, failed, shown, walk)| {
            let (failed, failed_routers, failed_subnets) = failed;
            let mut overlay =
                canvas_overlay(plan, &doc.0, selected.as_deref(), service.as_ref(), failed);
            overlay.failed_routers = failed_routers.clone();
            overlay.failed_subnets = failed_subnets.clone();
            // (Only while its node is the one shown: another selection hides the walkthrough.)
            let walk = walk.as_ref().filter(|w| selected.as_deref() == Some(w.node.as_str()));
            let step = walk.and_then(|w| {
                results::walkthrough::derive(plan, &doc.0, w)?.steps.into_iter().nth(w.step)
            });
            if let Some(step) = step {
                overlay.walk_marks(&step.marks);
            }
            if let Some((results::simulate::SimRef(run), position)) = shown {
                if let Ok(sim) = run.as_ref() {
                    let position = (*position).min(sim.events.len());
                    let world = sim.world_after(position);
                    let marks = crate::model::simulation::sim_overlay(sim, &world, position);
                    // The current event's message, along its hop path (none: no path).
                    let from = marks.current.as_deref().unwrap_or_default();
                    overlay.message_path(plan, &doc.0, from, marks.target.as_deref());
                    overlay.sim = Some(marks);
                }
            }
            overlay
        })
    };
    // The exploration of every fault point, when asked for (derived, never stored).
    let explored: Option<results::simulate::Explored> = {
        let deps = (
            DocKey(state.document.clone()),
            state.view.simulate.lesson.clone(),
            state.view.simulate.faults.clone(),
            state.view.simulate.explore,
        );
        let run = use_memo(deps, |(doc, lesson, faults, explore)| {
            if !*explore {
                return None;
            }
            let id = lesson.as_deref()?;
            let scenario = crate::model::lessons::scenario_of(&doc.0, id)?;
            Some(Rc::new(scenario.and_then(|mut s| {
                s.faults.extend(faults.iter().cloned());
                crate::model::explore::explore_points(&doc.0, &s)
            })))
        });
        run.as_ref().clone().map(results::simulate::Explored)
    };
    // One callback for the app's lifetime (the reducer's dispatcher never changes), so the
    // components it is given to can skip renders that change nothing they show.
    let dispatch = {
        let d = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |action: Action| d.dispatch(action)))).clone()
    };

    use_start(&state);
    let shared_view = state.shared_view.is_some();
    let broken_view = matches!(state.shared_view, Some(SharedView::Broken { .. }));
    use_autosave(&state);
    use_other_tabs(&state);
    use_versions(&state);
    use_remembered_strategy(&state);
    use_reload_on_new_link(shared_view);
    use_clipboard(&state);
    use_exports(&state, &plan);
    use_theme(state.theme);
    let palette =
        use_memo((state.document.clusters.len(), state.document.networks.len()), |(c, n)| {
            crate::model::theme::palette_css(*c, *n)
        });

    use_shortcuts(&state);
    if !state.store.ready {
        return html! {
            <main class="app">
                <p class="loading" data-testid="loading">{ if page_has_link() { "Opening the shared model: reading the link…" } else { "Opening your saved model…" } }</p>
            </main>
        };
    }
    let has_selection = !state.selection.is_empty();
    let saved_now = is_saved(state.store.base.as_ref(), &state.document);
    let splitter = splitter(&state.dispatcher(), state.results_height);
    let results_style =
        state.results_height.map(|h| format!("flex: 0 0 {h}px; height: {h}px")).unwrap_or_default();
    html! {
        <main class={classes!("app", shared_view.then_some("shared"))} data-ready="true"
            data-compiling={derived.compiling.to_string()} data-compile={if derived.worker { "worker" } else { "page" }}
            data-revision={derived.revision.to_string()} data-plan-revision={derived.shown_revision.to_string()}
            data-read-ms={derived.read_ms.map(|ms| format!("{ms:.1}")).unwrap_or_default()}
            data-saved={saved_now.to_string()} data-version={state.store.base.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default()}>
            <style>{ (*palette).clone() }</style>
            if broken_view {
                <header class="toolbar" role="toolbar" aria-label="shared view">
                    <h1 class="brand">{ "clusterplan" }</h1>
                </header>
            } else {
                <Toolbar tool={state.tool} locked={state.tool_locked} snap={state.snap} can_undo={state.history.can_undo()} can_redo={state.history.can_redo()}
                    {has_selection} shared={shared_view} dispatch={dispatch.clone()} />
            }
            if let Some(notice) = state.notice.clone() {
                <NoticeBar {notice} dispatch={dispatch.clone()} />
            }
            if let Some(reason) = state.store.failed.clone() {
                <div class="notice error" data-testid="storage-failed" role="alert">
                    <span>{ format!("Your model cannot be saved in this browser: {reason}. It stays open here; export it to keep it.") }</span>
                    <button data-testid="storage-export" onclick={dispatch.reform(|_: MouseEvent| Action::Export)}>{ "Export" }</button>
                </div>
            }
            if let Some(SharedView::Model { editor }) = state.shared_view.clone() {
                <div class="first-hint shared-view" data-testid="shared-view" role="note">
                    if !crate::model::edit::description(&state.document).is_empty() {
                        <strong class="shared-description" data-testid="shared-view-description"
                            title={crate::model::edit::description(&state.document).to_owned()}>{ crate::model::edit::description(&state.document).to_owned() }</strong>
                    }
                    <span class="shared-note" title="Select nodes, fail servers, try strategies: nothing you change here is saved">{ "Shared view: changes are not saved." }</span>
                    <a data-testid="shared-view-edit" target="_blank" rel="noopener"
                        href={format!("{}{editor}", page_address().split('#').next().unwrap_or_default())}>{ "Open it in the editor" }</a>
                </div>
            }
            if state.hint {
                <div class="first-hint" data-testid="first-hint" role="note">
                    <span>{ "The source's FIG 24 example: click node 5 to see its ordered list and why. Examples has more; New starts empty." }</span>
                    <button aria-label="Dismiss the hint" title="Dismiss" data-testid="first-hint-close"
                        onclick={dispatch.reform(|_: MouseEvent| Action::DismissHint)}>{ "×" }</button>
                </div>
            }
            if let Some(SharedView::Broken { reason }) = state.shared_view.clone() {
                <div class="broken-view" data-testid="shared-view-broken" role="alert">
                    <h2>{ "Nothing to show" }</h2>
                    <p>{ reason }</p>
                    <p class="hint">{ "Ask whoever shared it for the link again. Your own model, if you keep one in this browser, is untouched." }</p>
                </div>
            } else {
                <div class="workspace">
                    <Canvas doc={state.document.clone()} selection={state.selection.clone()} tool={state.tool} snap={state.snap}
                        generation={state.generation} marks={marks.clone()} overlay={overlay} review={review_marks} read_only={state.read_only()} theme={Some(state.theme)} dispatch={dispatch.clone()} />
                    <Inspector doc={state.document.clone()} selection={state.selection.clone()} plan={PlanRef(plan.clone())}
                        marks={marks} read_only={state.read_only()} failed_routers={state.view.failed_routers.clone()}
                        failed_subnets={state.view.failed_subnets.clone()} dispatch={dispatch.clone()} />
                </div>
                { splitter }
                <section class="results-slot" aria-label="results" style={results_style}>
                    <results::ResultsPanel ..results::ResultsPanelProps {
                        compile_ms: derived.ms,
                        compiling: derived.compiling,
                        review,
                        simulation: simulation.clone(),
                        explored,
                        ..results::ResultsPanelProps::of(&state, PlanRef(plan.clone()), derived.compiled.clone(), dispatch.clone())
                    } />
                </section>
            }
            if state.help { <HelpOverlay dispatch={dispatch.clone()} /> }
            if state.gallery { <Gallery dispatch={dispatch.clone()} /> }
            if state.share { <ShareDialog doc={state.document.clone()} view={state.share_view} strategy={state.view.strategy} failures={state.view.failure_set()}
                selected={state.selected_node.clone()} with_node={state.share_node}
                compared={state.compare.as_ref().map(|c| c.other.clone())} with_compared={state.share_compare}
                simulate={(state.view.tab == crate::model::view::Tab::Simulate).then(|| state.view.simulate.clone())}
                with_lesson={state.share_lesson} dispatch={dispatch.clone()} /> }
            if state.compare_dialog { <CompareDialog dispatch={dispatch.clone()} /> }
            if let Some(versions) = state.store.versions.clone() {
                <VersionsDialog {versions} current={state.store.base.as_ref().map(|(id, _)| *id)} dispatch={dispatch.clone()} />
            }
            if let Some(conflict) = state.store.conflict.clone() {
                <ConflictDialog {conflict} dispatch={dispatch.clone()} />
            }
            if let Some(replacement) = state.confirm.clone() {
                <ConfirmReplace {replacement} lost={crate::model::state::what_is_lost(&state.document)} dispatch={dispatch.clone()} />
            }
        </main>
    }
}

/// The splitter an event happened on (its target, or the target's splitter ancestor).
fn the_splitter(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(".splitter").ok().flatten()
}

/// The draggable boundary between the canvas area and the results: drag it (or use the arrow
/// keys on it) to give the results more or less height; a double-click returns to the default.
fn splitter(d: &UseReducerDispatcher<AppState>, height: Option<f64>) -> Html {
    /// Where the pointer is, as the results' height: from it to the bottom of the page, in a
    /// page area shared with the canvas above.
    fn wanted(e: &PointerEvent) -> Option<(f64, f64)> {
        let target = the_splitter(e.target())?;
        let above = target.previous_element_sibling()?.get_bounding_client_rect();
        let below = target.next_element_sibling()?.get_bounding_client_rect();
        // The page's bottom, not the panel's (a panel taller than the room overflows it).
        let bottom = target.parent_element()?.get_bounding_client_rect().bottom();
        Some((bottom - f64::from(e.client_y()), below.height() + above.height()))
    }
    let onpointerdown = Callback::from(|e: PointerEvent| {
        if let Some(el) = the_splitter(e.target()) {
            let _ = el.set_pointer_capture(e.pointer_id());
            let _ = el.set_attribute("data-dragging", "true");
        }
        e.prevent_default();
    });
    let onpointermove = {
        let d = d.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(el) = the_splitter(e.target()) else {
                return;
            };
            if !el.has_attribute("data-dragging") {
                return;
            }
            if let Some((h, total)) = wanted(&e) {
                d.dispatch(Action::ResizeResults(Some(clamp_results_height(h, total).round())));
            }
        })
    };
    let onpointerup = Callback::from(|e: PointerEvent| {
        if let Some(el) = the_splitter(e.target()) {
            let _ = el.release_pointer_capture(e.pointer_id());
            let _ = el.remove_attribute("data-dragging");
        }
    });
    let ondblclick = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ResizeResults(None)))
    };
    let onkeydown = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowUp" => 24.0,
                "ArrowDown" => -24.0,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            let Some(el) = the_splitter(e.target()) else {
                return;
            };
            let (Some(above), Some(below)) =
                (el.previous_element_sibling(), el.next_element_sibling())
            else {
                return;
            };
            let (a, b) = (above.get_bounding_client_rect(), below.get_bounding_client_rect());
            let h = clamp_results_height(b.height() + step, a.height() + b.height());
            d.dispatch(Action::ResizeResults(Some(h.round())));
        })
    };
    html! {
        <div class="splitter" role="separator" aria-orientation="horizontal" tabindex="0"
            aria-label="Resize the results (drag, or arrow keys; double-click: default)"
            title="Drag to resize the results; double-click for the default height"
            data-testid="results-splitter" data-height={height.map(|h| h.to_string()).unwrap_or_default()}
            aria-valuenow={height.map_or(0.0, f64::round).to_string()} aria-valuemin="0"
            aria-valuetext={height.map_or("the results at their default height".to_owned(), |h| format!("the results {h:.0} pixels high"))}
            {onpointerdown} {onpointermove} {onpointerup} {ondblclick} {onkeydown}>
            <span class="grip" />
        </div>
    }
}
