//! The root component: owns the reducer, derives the plan (and, when comparing, the compared
//! model's plan and the engine's diff of the two), lays out the panels (toolbar on top,
//! canvas in the centre, inspector on the right, results below), and runs the effects: autosave
//! (and dropping a consumed share link from the address), export, clipboard, keyboard
//! shortcuts, and reloading when the address gets a new share link.

use crate::model::overlay::{canvas_overlay, CanvasOverlay};
use crate::model::review::{review_marks, DiffRef, ReviewMarks};
use crate::model::shortcuts;
use crate::model::state::{clamp_results_height, Action, AppState, Replacement, SharedView};
use crate::platform::browser::{download_text, page_address};
use crate::platform::storage;
use crate::ui::canvas::draw::Marks;
use crate::ui::canvas::{scene, Canvas};
use crate::ui::inspector::Inspector;
use crate::ui::results::{self, PlanRef};
use crate::ui::toolbar::dialogs::{
    CompareDialog, ConfirmReplace, ConflictDialog, Gallery, HelpOverlay, NoticeBar, ShareDialog,
    VersionsDialog,
};
use crate::ui::toolbar::Toolbar;
use clusterplan_engine::{compile, Document, Plan};
use gloo::events::EventListener;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Identity key for memos and effects over the shared document.
#[derive(Clone)]
struct DocKey(Rc<Document>);
impl PartialEq for DocKey {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// The state the app starts with. A shared view (`#view&...`) never reads or writes storage: it
/// starts at once. Otherwise an empty, not yet ready state: the start-up effect reads storage
/// (asynchronously) and dispatches the real start ([`start`]).
fn initial_state() -> AppState {
    let address = page_address();
    if crate::model::share::is_shared_view(&address) {
        let mut state =
            crate::model::share::start(storage::Restored::Nothing, None, Some(&address));
        state.store.ready = true;
        state.theme = crate::model::theme::load();
        return state;
    }
    let mut state = AppState::new(Document::default());
    state.theme = crate::model::theme::load();
    state
}

/// The state a page starts with once storage is read: the model of a share link in the page's
/// address (see [`crate::model::share::start`]), the saved model, else the FIG 24 example (with its
/// hint); the results' strategy and seed as they were left; the saved version it is based on.
fn start(loaded: storage::Loaded) -> AppState {
    let mut state = crate::model::share::start(
        loaded.restored,
        storage::load_strategy(),
        Some(&page_address()),
    );
    if let Some((id, doc)) = loaded.version {
        // The same model shares its Rc, so the autosave sees nothing to save (a saved model
        // without positions is saved again with the ones the page gave it).
        let doc = if doc == *state.document { state.document.clone() } else { Rc::new(doc) };
        state.store.base = Some((id, doc));
    }
    state.store.unavailable = loaded.unavailable;
    state.theme = crate::model::theme::load();
    state
}

/// Is `base` (the saved version's model) this very model?
fn is_saved(base: Option<&(u32, Rc<Document>)>, doc: &Rc<Document>) -> bool {
    base.is_some_and(|(_, b)| Rc::ptr_eq(b, doc))
}

/// Saves `doc` (based on the saved version `base`) and tells the reducer what happened: saved
/// (and announced to the other tabs), another tab's newer version to merge with first, or why
/// it cannot be saved. `local`: IndexedDB is unavailable, local storage is used instead.
async fn autosave(
    doc: Rc<Document>,
    base: Option<u32>,
    local: bool,
    d: UseReducerDispatcher<AppState>,
) {
    if local {
        match storage::save(&doc) {
            Ok(()) => d.dispatch(Action::Saved { version: 0, document: doc }),
            Err(e) => d.dispatch(Action::StorageFailed(e)),
        }
        return;
    }
    let text = clusterplan_engine::document::write(&doc);
    match crate::platform::idb::save(&text, storage::node_count(&doc), base).await {
        Ok(crate::platform::idb::Saved::As(id)) => {
            crate::platform::idb::announce(id);
            d.dispatch(Action::Saved { version: id, document: doc });
        }
        Ok(crate::platform::idb::Saved::Stale { newest, text }) => {
            match clusterplan_engine::document::read(&text) {
                Ok(theirs) => {
                    d.dispatch(Action::OtherTab { version: newest, document: Box::new(theirs) })
                }
                Err(e) => d.dispatch(Action::StorageFailed(format!(
                    "another tab saved a model that does not read ({e})"
                ))),
            }
        }
        Err(e) => d.dispatch(Action::StorageFailed(e)),
    }
}

/// Exports a picture of the diagram as `request` asks (see [`crate::ui::canvas::export`]): the
/// legend's colours as the page resolves them, the selected node's lists from the plan.
#[cfg(target_arch = "wasm32")]
fn export_picture(
    request: crate::ui::canvas::export::PictureRequest,
    doc: &Document,
    plan: &Plan,
    selected: Option<&str>,
    failed: &std::collections::BTreeSet<String>,
) -> Result<(), String> {
    let scene = scene::Scene::build(doc);
    let bounds = scene.bounds().ok_or("the diagram is empty: nothing to draw")?;
    let root = gloo::utils::document().document_element().ok_or("no page")?;
    let style = gloo::utils::window().get_computed_style(&root).ok().flatten();
    let colour = |var: String| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(&var).ok())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let legend = crate::ui::canvas::export::Legend {
        clusters: doc
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{} — {}", c.id, c.name), colour(format!("--cluster-{i}"))))
            .collect(),
        networks: doc
            .networks
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), colour(format!("--network-{i}"))))
            .collect(),
    };
    let lists = selected.map(|uid| (uid, results::node::node_lists(plan, uid, failed)));
    let label = selected.map(|uid| {
        doc.nodes
            .iter()
            .find(|n| n.uid == uid && !n.name.is_empty())
            .map_or(uid.to_owned(), |n| n.name.clone())
    });
    crate::ui::canvas::export::export_picture(
        request,
        bounds,
        &legend,
        label.as_deref().zip(lists.as_ref().map(|(_, l)| l.as_slice())),
        &storage::export_file_name(doc),
    )
}

/// Does the page's address carry a share link (in its fragment)?
fn page_has_link() -> bool {
    crate::model::share::is_share_link(&page_address())
}

/// Drops a share link (the fragment) from the page's address, without reloading or adding a
/// history entry.
fn forget_link() {
    if !page_has_link() {
        return;
    }
    let location = gloo::utils::window().location();
    let (Ok(path), Ok(query)) = (location.pathname(), location.search()) else { return };
    if let Ok(history) = gloo::utils::window().history() {
        let address = format!("{path}{query}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// Offers the document as a file download.
fn download(doc: &Document) -> Result<(), String> {
    download_text(&storage::export_file_name(doc), &clusterplan_engine::document::write(doc))
}

/// How long the model must stay unchanged before it is saved (milliseconds): a drag or a burst
/// of typing is one save, and the save never delays showing an edit.
const SAVE_DELAY_MS: u32 = 150;
/// How long a save then waits at most for the page to be idle (milliseconds).
const SAVE_IDLE_MS: u32 = 1000;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    // The plan is derived from the document (never stored): on the page for small models, in
    // the compile worker for large ones, kept when an edit only moved items (`crate::ui::compile`).
    let derived = crate::ui::compile::use_plan(&state.document, state.view.strategy);
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
            state.view.failed.clone(),
            shown,
            walk.flatten(),
        );
        use_memo(deps, |(plan, doc, selected, service, failed, shown, walk)| {
            let mut overlay =
                canvas_overlay(plan, &doc.0, selected.as_deref(), service.as_ref(), failed);
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

    // Start-up: read storage (IndexedDB, migrating a local-storage autosave), then start.
    {
        let d = state.dispatcher();
        let ready = state.store.ready;
        use_effect_with((), move |_| {
            if !ready {
                wasm_bindgen_futures::spawn_local(async move {
                    let loaded = storage::load_saved().await;
                    d.dispatch(Action::Started(Box::new(start(loaded))));
                });
            }
        });
    }
    // Autosave, off the critical path: shortly after the model changed (the edit is shown
    // first, a burst of edits is one save), one save at a time, never from a shared view (it
    // must not replace the model the user keeps in this browser) nor while a conflict with
    // another tab is asked about. A share link the page opened with is dropped from the
    // address once the model is saved (so a reload shows the saved model instead of asking
    // again), and kept while saving fails (so a reload still has it) or while the reader has not
    // answered whether to open it.
    let shared_view = state.shared_view.is_some();
    let broken_view = matches!(state.shared_view, Some(SharedView::Broken { .. }));
    let link_pending = matches!(state.confirm, Some(Replacement::Link(..)));
    let saving = use_mut_ref(|| false);
    {
        let d = state.dispatcher();
        let base = state.store.base.clone();
        let local = state.store.unavailable.is_some();
        let paused = !state.store.ready || state.store.conflict.is_some();
        let deps = (
            DocKey(state.document.clone()),
            base.as_ref().map(|(id, doc)| (*id, DocKey(doc.clone()))).map(|(id, _)| id),
            paused,
            link_pending,
        );
        use_effect_with(deps, move |(doc, _, paused, pending)| {
            let (doc, pending) = (doc.0.clone(), *pending);
            let unchanged = base.as_ref().is_some_and(|(_, b)| Rc::ptr_eq(b, &doc) || **b == *doc);
            let (base_now, doc_now, d_now) = (base.clone(), doc.clone(), d.clone());
            // Then in idle time (the page's next frames first), cancelled by a newer edit.
            let idle = std::rc::Rc::new(std::cell::RefCell::new(None));
            let later = idle.clone();
            let timer = (!shared_view && !*paused && !unchanged).then(|| {
                gloo::timers::callback::Timeout::new(SAVE_DELAY_MS, move || {
                    *later.borrow_mut() =
                        Some(crate::platform::browser::WhenIdle::new(SAVE_IDLE_MS, move || {
                            if std::mem::replace(&mut *saving.borrow_mut(), true) {
                                return; // The save under way re-runs this effect when it is done.
                            }
                            wasm_bindgen_futures::spawn_local(async move {
                                autosave(doc, base.map(|(id, _)| id), local, d).await;
                                *saving.borrow_mut() = false;
                                if !pending {
                                    forget_link();
                                }
                            });
                        }));
                })
            });
            if unchanged && !shared_view {
                // The same model in another Rc (an import of the saved file): it is the base.
                if let Some((id, _)) = base_now.filter(|(_, b)| !Rc::ptr_eq(b, &doc_now)) {
                    d_now.dispatch(Action::Saved { version: id, document: doc_now });
                }
                if !pending {
                    forget_link();
                }
            }
            move || {
                drop(timer);
                idle.borrow_mut().take();
            }
        });
    }
    // Other tabs' saves: each announces its new version; this tab takes it in (merged with its
    // own unsaved edits, or asking when both changed the same items).
    {
        let d = state.dispatcher();
        let listen = state.store.ready && !shared_view;
        use_effect_with(listen, move |listen| {
            let listener = listen.then(crate::platform::idb::channel).flatten().map(|channel| {
                EventListener::new(&channel, "message", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
                    let Some(id) = e.data().as_f64() else { return };
                    let d = d.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let id = id as u32;
                        if let Ok(Some(text)) = crate::platform::idb::text(id).await {
                            if let Ok(doc) = clusterplan_engine::document::read(&text) {
                                d.dispatch(Action::OtherTab {
                                    version: id,
                                    document: Box::new(doc),
                                });
                            }
                        }
                    });
                })
            });
            move || drop(listener)
        });
    }
    // The Versions dialog: its list, and a version to restore (offered like any replacement).
    {
        let d = state.dispatcher();
        use_effect_with(state.store.list_requests, move |requests| {
            if *requests > 0 {
                wasm_bindgen_futures::spawn_local(async move {
                    match crate::platform::idb::list().await {
                        Ok(list) => d.dispatch(Action::VersionList(list)),
                        Err(e) => d.dispatch(Action::StorageFailed(e)),
                    }
                });
            }
        });
    }
    {
        let d = state.dispatcher();
        use_effect_with(state.store.restore_request.clone(), move |(requests, id, saved)| {
            if *requests > 0 {
                let (id, saved) = (*id, saved.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let text = crate::platform::idb::text(id).await;
                    let read = match text {
                        Ok(Some(text)) => clusterplan_engine::document::read(&text)
                            .map_err(|e| format!("the version of {saved} does not read: {e}")),
                        Ok(None) => Err(format!("the version of {saved} is no longer kept")),
                        Err(e) => Err(e),
                    };
                    d.dispatch(match read {
                        Ok(doc) => Action::RequestReplace(Replacement::Version {
                            id,
                            saved,
                            document: Box::new(doc),
                        }),
                        Err(e) => Action::Refused(format!("Not restored: {e}")),
                    });
                });
            }
        });
    }
    // The results' strategy and seed survive a reload (view state, stored beside the model).
    // (Only once started: before, the view is not yet the one read from storage.)
    let ready = state.store.ready;
    use_effect_with(
        (state.view.strategy, state.view.shuffle_seed, ready),
        move |(strategy, seed, ready)| {
            if *ready && !shared_view {
                storage::save_strategy(*strategy, *seed);
            }
        },
    );
    // A new link pasted into the address bar of this page, or leaving a shared view (Back),
    // reloads the page to start as that address says.
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            if shared_view || page_has_link() {
                let _ = gloo::utils::window().location().reload();
            }
        });
        move || drop(listener)
    });
    // Copy: each request writes its text to the clipboard, then says how it went.
    {
        let d = state.dispatcher();
        use_effect_with(state.copy.clone(), move |(requests, text)| {
            if *requests > 0 {
                // Only secure pages (https, localhost) have a clipboard to write to.
                let navigator = gloo::utils::window().navigator();
                let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
                    .ok()
                    .filter(|c| !c.is_undefined() && !c.is_null());
                let Some(clipboard) = clipboard else {
                    d.dispatch(Action::Copied(Err(
                        "this page has no clipboard: browsers give one to https and localhost pages only"
                            .into(),
                    )));
                    return;
                };
                let promise = clipboard.unchecked_into::<web_sys::Clipboard>().write_text(text);
                wasm_bindgen_futures::spawn_local(async move {
                    let done = wasm_bindgen_futures::JsFuture::from(promise).await;
                    d.dispatch(Action::Copied(
                        done.map(|_| ())
                            .map_err(|e| crate::platform::browser::browser_error_text(&e)),
                    ));
                });
            }
        });
    }
    // Export: each request downloads the model once.
    {
        let (doc, d) = (state.document.clone(), state.dispatcher());
        use_effect_with(state.exports, move |exports| {
            if *exports > 0 {
                if let Err(e) = download(&doc) {
                    d.dispatch(Action::AutosaveFailed(format!("Export failed: {e}")));
                }
            }
        });
    }
    // A picture of the diagram: each request exports once.
    #[cfg(target_arch = "wasm32")]
    {
        let (doc, plan, d) = (state.document.clone(), plan.clone(), state.dispatcher());
        let (selected, failed) = (state.selected_node.clone(), state.view.failed.clone());
        let request = state.pictures.1;
        use_effect_with(state.pictures.0, move |requests| {
            if *requests > 0 {
                if let Err(e) = export_picture(request, &doc, &plan, selected.as_deref(), &failed) {
                    d.dispatch(Action::AutosaveFailed(format!("Picture export failed: {e}")));
                }
            }
        });
    }
    // The theme: remembered, and set on the page (`data-theme`), following the system's setting
    // while the reader chose "system".
    use_effect_with(state.theme, move |choice| {
        crate::model::theme::save(*choice);
        let choice = *choice;
        let apply = move || {
            if let Some(root) = gloo::utils::document().document_element() {
                let dark = choice.is_dark(crate::model::theme::system_dark());
                let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
            }
        };
        apply();
        let query = web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
        let listener = query.map(|q| EventListener::new(&q, "change", move |_| apply()));
        move || drop(listener)
    });
    let palette =
        use_memo((state.document.clusters.len(), state.document.networks.len()), |(c, n)| {
            crate::model::theme::palette_css(*c, *n)
        });
    // Keyboard shortcuts (the canvas handles its own view keys); none on a broken shared view,
    // which has nothing to act on.
    {
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = (!broken_view).then(|| {
                EventListener::new_with_options(
                    &gloo::utils::document(),
                    "keydown",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                        if shortcuts::not_for_shortcuts(e) {
                            return;
                        }
                        let command = shortcuts::command(
                            &e.key(),
                            e.ctrl_key() || e.meta_key(),
                            e.shift_key(),
                            e.alt_key(),
                        );
                        if matches!(command, Some(shortcuts::Command::Nudge(..)))
                            && !shortcuts::on_page_or_canvas(e)
                        {
                            return;
                        }
                        if let Some(action) = command.and_then(shortcuts::action) {
                            e.prevent_default();
                            d.dispatch(action);
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

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
                        marks={marks} read_only={state.read_only()} dispatch={dispatch.clone()} />
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
            if state.share { <ShareDialog doc={state.document.clone()} view={state.share_view} strategy={state.view.strategy}
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
