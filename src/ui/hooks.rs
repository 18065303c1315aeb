//! The app's effects as named hooks, each what the page does beside rendering: reading storage
//! at start ([`use_start`]), the autosave ([`use_autosave`]), other tabs' saves
//! ([`use_other_tabs`]), the Versions dialog ([`use_versions`]), the remembered strategy, reloading
//! on a new link, the clipboard ([`use_clipboard`]), exports of the model and pictures
//! ([`use_exports`]), the theme ([`use_theme`]) and the keyboard shortcuts ([`use_shortcuts`]).
//! Each reads the reducer's state and dispatches what happened; none holds a domain rule.

use crate::model::shortcuts;
use crate::model::state::{Action, AppState, Replacement, SharedView};
use crate::platform::browser::{download_text, page_address};
use crate::platform::storage;
use clusterplan_engine::{Document, Plan};
use gloo::events::EventListener;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Identity key for memos and effects over the shared document.
#[derive(Debug, Clone)]
pub struct DocKey(pub Rc<Document>);
impl PartialEq for DocKey {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
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
    state.theme = crate::model::theme::from_stored(storage::load_theme());
    state
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
    let scene = crate::ui::canvas::scene::Scene::build(doc);
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
    let lists = selected.map(|uid| (uid, crate::ui::results::node::node_lists(plan, uid, failed)));
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
pub fn page_has_link() -> bool {
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

/// Start-up: read storage (IndexedDB, migrating a local-storage autosave), then start.
#[hook]
pub fn use_start(state: &UseReducerHandle<AppState>) {
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
}

/// Autosave, off the critical path: shortly after the model changed (the edit is shown
/// first, a burst of edits is one save), one save at a time, never from a shared view (it
/// must not replace the model the user keeps in this browser) nor while a conflict with
/// another tab is asked about. A share link the page opened with is dropped from the
/// address once the model is saved (so a reload shows the saved model instead of asking
/// again), and kept while saving fails (so a reload still has it) or while the reader has not
/// answered whether to open it.
#[hook]
pub fn use_autosave(state: &UseReducerHandle<AppState>) {
    let shared_view = state.shared_view.is_some();
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
}

/// Other tabs' saves: each announces its new version; this tab takes it in (merged with its
/// own unsaved edits, or asking when both changed the same items).
#[hook]
pub fn use_other_tabs(state: &UseReducerHandle<AppState>) {
    let shared_view = state.shared_view.is_some();
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
}

/// The Versions dialog: its list, and a version to restore (offered like any replacement).
#[hook]
pub fn use_versions(state: &UseReducerHandle<AppState>) {
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
}

/// The results' strategy and seed survive a reload (view state, stored beside the model).
/// (Only once started: before, the view is not yet the one read from storage.)
#[hook]
pub fn use_remembered_strategy(state: &UseReducerHandle<AppState>) {
    let shared_view = state.shared_view.is_some();
    let ready = state.store.ready;
    use_effect_with(
        (state.view.strategy, state.view.shuffle_seed, ready),
        move |(strategy, seed, ready)| {
            if *ready && !shared_view {
                storage::save_strategy(*strategy, *seed);
            }
        },
    );
}

/// A new link pasted into the address bar of this page, or leaving a shared view (Back),
/// reloads the page to start as that address says.
#[hook]
pub fn use_reload_on_new_link(shared_view: bool) {
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            if shared_view || page_has_link() {
                let _ = gloo::utils::window().location().reload();
            }
        });
        move || drop(listener)
    });
}

/// Copy: each request writes its text to the clipboard, then says how it went.
#[hook]
pub fn use_clipboard(state: &UseReducerHandle<AppState>) {
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
}

/// Export: each request downloads the model once.
#[hook]
pub fn use_exports(state: &UseReducerHandle<AppState>, plan: &Rc<Plan>) {
    #[cfg(not(target_arch = "wasm32"))]
    let _ = plan;
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
}

/// The theme: remembered, and set on the page (`data-theme`), following the system's setting
/// while the reader chose "system".
#[hook]
pub fn use_theme(theme: crate::model::theme::ThemeChoice) {
    use_effect_with(theme, move |choice| {
        storage::save_theme(choice.name());
        let choice = *choice;
        let apply = move || {
            if let Some(root) = gloo::utils::document().document_element() {
                let dark = choice.is_dark(crate::platform::browser::system_dark());
                let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
            }
        };
        apply();
        let query = web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
        let listener = query.map(|q| EventListener::new(&q, "change", move |_| apply()));
        move || drop(listener)
    });
}

/// Keyboard shortcuts (the canvas handles its own view keys); none on a broken shared view,
/// which has nothing to act on.
#[hook]
pub fn use_shortcuts(state: &UseReducerHandle<AppState>) {
    let broken_view = matches!(state.shared_view, Some(SharedView::Broken { .. }));
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
                        if crate::ui::keys::not_for_shortcuts(e) {
                            return;
                        }
                        let command = shortcuts::command(
                            &e.key(),
                            e.ctrl_key() || e.meta_key(),
                            e.shift_key(),
                            e.alt_key(),
                        );
                        if matches!(command, Some(shortcuts::Command::Nudge(..)))
                            && !crate::ui::keys::on_page_or_canvas(e)
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
}
