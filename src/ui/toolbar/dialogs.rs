//! The editor's overlays: keyboard help, examples gallery, "discard the model?" question, the
//! Share dialog, "Compare with…" (a design review), and the notice bar (refused edits and
//! imports).

use crate::model::examples;
use crate::model::shortcuts::HELP;
use crate::model::state::{count, Action, CompareSource, Conflict, Notice, Replacement};
use crate::platform::versions::Version;
use clusterplan_engine::Document;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What can take the keyboard focus inside a dialog.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// The focusable elements inside `root`, in document order.
fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Keeps the keyboard in a modal dialog: on opening, focus goes to its element marked
/// `data-autofocus` (else its first control); Tab and Shift+Tab cycle through its controls only;
/// on closing, focus returns to where it was (the button that opened it). Returns the ref to
/// put on the dialog and the `onkeydown` to put on it.
#[hook]
fn use_modal_focus() -> (NodeRef, Callback<KeyboardEvent>) {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let previous = gloo::utils::document().active_element();
            if let Some(root) = node.cast::<web_sys::Element>() {
                let marked = root
                    .query_selector("[data-autofocus]")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(first) = marked.or_else(|| focusables(&root).into_iter().next()) {
                    let _ = first.focus();
                }
            }
            move || {
                if let Some(el) = previous.and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok()) {
                    if el.is_connected() {
                        let _ = el.focus();
                    }
                }
            }
        });
    }
    let onkeydown = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            let Some(root) = node.cast::<web_sys::Element>() else { return };
            let items = focusables(&root);
            let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
            let active = gloo::utils::document().active_element();
            let at = |el: &web_sys::HtmlElement| {
                active.as_ref().is_some_and(|a| a == el.as_ref() as &web_sys::Element)
            };
            let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
            if e.shift_key() && (at(first) || !inside) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && (at(last) || !inside) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };
    (node, onkeydown)
}

#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    pub dispatch: Callback<Action>,
}

#[function_component(HelpOverlay)]
pub fn help_overlay(props: &DialogProps) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| Action::Help(Some(false)));
    let (focus, onkeydown) = use_modal_focus();
    html! {
        <div class="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" ref={focus} {onkeydown}>
            <div class="dialog framed">
                <h2>{ "Keyboard shortcuts" }</h2>
                <div class="dialog-body">
                    <table class="shortcuts">
                        { for HELP.iter().map(|(k, what)| html! { <tr><th><kbd>{ *k }</kbd></th><td>{ *what }</td></tr> }) }
                    </table>
                </div>
                <div class="buttons"><button data-testid="help-close" data-autofocus="true" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}

#[function_component(Gallery)]
pub fn gallery(props: &DialogProps) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| Action::Gallery(false));
    // A large example takes a moment to build, lay out, compile and draw: its card says so
    // first (painted before the work starts), then the example is asked for.
    let opening = use_state(|| None::<&'static str>);
    {
        let dispatch = props.dispatch.clone();
        use_effect_with(*opening, move |id| {
            let timer = id.map(|id| {
                gloo::timers::callback::Timeout::new(OPENING_PAINT_MS, move || {
                    dispatch.emit(Action::RequestReplace(Replacement::Example(id)))
                })
            });
            move || drop(timer)
        });
    }
    let cards = examples::ALL.iter().map(|e| {
        let id = e.id;
        let large = e.is_large();
        let open = {
            let (dispatch, opening) = (props.dispatch.clone(), opening.clone());
            Callback::from(move |_: MouseEvent| {
                if large {
                    opening.set(Some(id));
                } else {
                    dispatch.emit(Action::RequestReplace(Replacement::Example(id)));
                }
            })
        };
        let busy = *opening == Some(id);
        html! {
            <li>
                <button class="example-card" data-testid={format!("example-{id}")} onclick={open}
                    aria-busy={busy.to_string()} disabled={opening.is_some()}>
                    <strong>{ e.title }</strong>
                    <span>{ e.blurb }</span>
                    if busy {
                        <span class="opening" data-testid="example-opening" role="status">
                            { "Opening: building the model, laying it out, computing every list…" }
                        </span>
                    }
                </button>
            </li>
        }
    });
    let (focus, onkeydown) = use_modal_focus();
    html! {
        <div class="overlay" data-testid="gallery" role="dialog" aria-modal="true" aria-label="Examples" ref={focus} {onkeydown}>
            <div class="dialog wide framed">
                <h2>{ "Examples" }</h2>
                <div class="dialog-body"><ul class="examples">{ for cards }</ul></div>
                <div class="buttons"><button data-testid="gallery-close" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}

/// How long a large example's card shows "Opening" before the work starts (long enough for
/// the browser to paint it).
const OPENING_PAINT_MS: u32 = 40;

#[derive(Properties, PartialEq, Debug)]
pub struct ConfirmProps {
    pub replacement: Replacement,
    /// What the replacement would lose, in words (`state::what_is_lost`).
    pub lost: String,
    pub dispatch: Callback<Action>,
}

#[function_component(ConfirmReplace)]
pub fn confirm_replace(props: &ConfirmProps) -> Html {
    let (title, what) = match &props.replacement {
        Replacement::Link(linked) => (
            "Open the model from the link?",
            format!(
                "This page was opened with a share link holding a model ({}, {}). Opening it replaces {} (Undo brings it back; export it first to keep a file). Keep editing to stay with your model and ignore the link.",
                count(linked.document.nodes.len(), "node", "nodes"),
                count(linked.document.services.len(), "service", "services"),
                props.lost
            ),
        ),
        other => ("Discard the current model?", format!(
            "You are about to {}. This replaces {} (Undo brings it back; export it first to keep a file).",
            replacement_text(other),
            props.lost
        )),
    };
    let yes_text = if matches!(props.replacement, Replacement::Link(..)) {
        "Open the link's model"
    } else {
        "Discard and continue"
    };
    let yes = props.dispatch.reform(|_: MouseEvent| Action::ConfirmReplace);
    let no = props.dispatch.reform(|_: MouseEvent| Action::CancelReplace);
    let (focus, onkeydown) = use_modal_focus();
    html! {
        <div class="overlay" data-testid="confirm" role="alertdialog" aria-modal="true" aria-label={title} ref={focus} {onkeydown}>
            <div class="dialog">
                <h2>{ title }</h2>
                <p>{ what }</p>
                <div class="buttons">
                    <button data-testid="confirm-cancel" data-autofocus="true" onclick={no}>{ "Keep editing" }</button>
                    <button data-testid="confirm-discard" class="danger" onclick={yes}>{ yes_text }</button>
                </div>
            </div>
        </div>
    }
}

/// What a replacement does, for the "discard?" question.
fn replacement_text(replacement: &Replacement) -> String {
    match replacement {
        Replacement::New => "start a new, empty model".to_owned(),
        Replacement::Example(id) => {
            format!("open the example \"{}\"", examples::by_id(id).map_or(*id, |e| e.title))
        }
        Replacement::Link(..) => "open the model from the link".to_owned(),
        Replacement::File { name, .. } => format!("import the file {name}"),
        Replacement::Version { saved, .. } => format!("restore the version saved {saved}"),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct NoticeProps {
    pub notice: Notice,
    pub dispatch: Callback<Action>,
}

#[function_component(NoticeBar)]
pub fn notice_bar(props: &NoticeProps) -> Html {
    let dismiss = props.dispatch.reform(|_: MouseEvent| Action::DismissNotice);
    let class = classes!("notice", props.notice.error.then_some("error"));
    html! {
        <div {class} data-testid="notice" role={if props.notice.error { "alert" } else { "status" }}>
            <span>{ props.notice.text.clone() }</span>
            <button data-testid="notice-dismiss" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ShareProps {
    pub doc: Rc<Document>,
    /// Offer the shared-view link (for embedding) instead of the editor link.
    pub view: bool,
    /// The strategy the results show (it travels with the link).
    pub strategy: clusterplan_engine::Strategy,
    /// The selected node (UID), which the link can select for its reader.
    pub selected: Option<String>,
    /// The link selects `selected`.
    pub with_node: bool,
    /// The model this one is compared with, when comparing: the link can carry it (`before=`).
    #[prop_or_default]
    pub compared: Option<Rc<Document>>,
    /// The link carries `compared`.
    #[prop_or_default]
    pub with_compared: bool,
    /// The Simulate tab's state, when it shows a lesson: the link can open it at its event.
    #[prop_or_default]
    pub simulate: Option<crate::model::view::SimulateView>,
    /// The link opens that lesson at its event.
    #[prop_or_default]
    pub with_lesson: bool,
    /// What the reader's view shows failed: the link shows it failed too.
    #[prop_or_default]
    pub failures: clusterplan_engine::FailureSet,
    pub dispatch: Callback<Action>,
}

/// The Share dialog: a link holding the whole model (layout included), to copy; as a shared
/// view, with the HTML that embeds it in a documentation page.
#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareProps) -> Html {
    let page = crate::platform::browser::page_address();
    let node = props.selected.clone().filter(|_| props.with_node);
    let before = props.compared.clone().filter(|_| props.with_compared);
    // The lesson shown and its event, with the document that runs it (faults added included).
    let lesson = props
        .simulate
        .as_ref()
        .and_then(|v| crate::model::lessons::shared(&props.doc, v).map(|(d, l)| (Rc::new(d), l)));
    let event = lesson.as_ref().map(|(_, (_, event))| *event);
    let (doc, lesson) = match lesson.filter(|_| props.with_lesson) {
        Some((doc, lesson)) => (doc, Some(lesson)),
        None => (props.doc.clone(), None),
    };
    let link = use_memo(
        (doc, props.view, props.strategy, node, page, before, (lesson, props.failures.clone())),
        |(doc, view, strategy, node, page, before, (lesson, failures))| {
            let options = clusterplan_engine::share::LinkOptions {
                view: *view,
                strategy: *strategy,
                node: node.clone(),
                before: before.as_ref().map(|b| (**b).clone()),
                lesson: lesson.clone(),
                failures: failures.clone().into(),
            };
            clusterplan_engine::share::link(page, doc, &options)
        },
    );
    let selected_name = props.selected.as_ref().map(|uid| node_words(&props.doc, uid));
    let d = &props.dispatch;
    let close = d.reform(|_: MouseEvent| Action::Share(false));
    let copy = |text: String| d.reform(move |_: MouseEvent| Action::Copy(text.clone()));
    let checked = |e: &Event| e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
    let toggle_view = d.reform(move |e: Event| Action::ShareView(checked(&e)));
    let toggle_node = d.reform(move |e: Event| Action::ShareNode(checked(&e)));
    let toggle_compared = d.reform(move |e: Event| Action::ShareCompare(checked(&e)));
    let toggle_lesson = d.reform(move |e: Event| Action::ShareLesson(checked(&e)));
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            input.select();
        }
    });
    let length = link.len();
    let snippet = crate::model::share::embed_snippet(&link);
    let (focus, onkeydown) = use_modal_focus();
    html! {
        <div class="overlay" data-testid="share-dialog" role="dialog" aria-modal="true" aria-label="Share this model" ref={focus} {onkeydown}>
            <div class="dialog wide framed">
                <h2>{ "Share this model" }</h2>
                <div class="dialog-body">
                    <p>{ "The link holds the whole model as it is now, layout included, packed after the \"#\": it is not uploaded anywhere, and opens wherever clusterplan is served." }</p>
                    <div class="share-row">
                        <label for="share-link">{ "Link" }</label>
                        <input id="share-link" type="text" readonly=true value={(*link).clone()} data-testid="share-link" data-autofocus="true" onfocus={select_all} />
                        <button data-testid="share-copy" onclick={copy((*link).clone())}>{ "Copy link" }</button>
                    </div>
                    <p class={classes!("hint", (length > crate::model::share::LONG_LINK).then_some("warning"))} data-testid="share-length">
                        { format!("{} characters. ", clusterplan_engine::text::thousands(length)) }
                        { if props.view {
                            "Opens as a shared view: no question, nothing saved, the reader's own model untouched."
                        } else {
                            "Opens in the editor: a reader who has a model of their own is asked before it is replaced."
                        } }
                        if length > crate::model::share::LONG_LINK {
                            { " Links this long can be cut by chat tools, mail and some browsers: for a model this size, Export a file instead." }
                        }
                    </p>
                    if let Some(name) = selected_name {
                        <label class="check">
                            <input type="checkbox" checked={props.with_node} data-testid="share-node" onchange={toggle_node} />
                            { format!(" Open with {name} selected, its lists showing") }
                        </label>
                    }
                    if let Some(event) = event {
                        <label class="check">
                            <input type="checkbox" checked={props.with_lesson} data-testid="share-lesson" onchange={toggle_lesson} />
                            { format!(" Open the Simulate tab's lesson at this event (event {event}), with the faults you added") }
                        </label>
                    }
                    if props.compared.is_some() {
                        <label class="check">
                            <input type="checkbox" checked={props.with_compared} data-testid="share-compared" onchange={toggle_compared} />
                            { " With the model it is compared with: the link opens the comparison (the Review tab), so the reader sees the change itself" }
                        </label>
                    }
                    <label class="check">
                        <input type="checkbox" checked={props.view} data-testid="share-view" onchange={toggle_view} />
                        { " Shared view, for embedding in documentation: opens without asking and never saves over the reader's own model" }
                    </label>
                    if props.view {
                        <div class="share-row">
                            <label for="share-embed">{ "Embed" }</label>
                            <textarea id="share-embed" readonly=true rows="3" data-testid="share-embed" value={snippet.clone()} />
                            <button data-testid="share-copy-embed" onclick={copy(snippet)}>{ "Copy HTML" }</button>
                        </div>
                    }
                </div>
                <div class="buttons"><button data-testid="share-close" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}

/// The node `uid` in a sentence: its name when that already says "node" (the default,
/// `node 5`), else `node NAME`, or `node UID` when it has no name (never `node node 5`).
fn node_words(doc: &Document, uid: &str) -> String {
    let name = doc.nodes.iter().find(|n| n.uid == uid).map_or("", |n| n.name.trim());
    let says_node = name.get(..5).is_some_and(|head| head.eq_ignore_ascii_case("node "));
    match name {
        "" => format!("node {uid}"),
        _ if says_node => name.to_owned(),
        _ => format!("node {name}"),
    }
}

/// "Compare with…": the model as the page opened it, an example, a file or a share link. The
/// chosen model is the one *before* the change; the editor's model is the one after (the Review
/// tab can swap them). Reading the file or the link is the reducer's.
#[function_component(CompareDialog)]
pub fn compare_dialog(props: &DialogProps) -> Html {
    let d = &props.dispatch;
    let close = d.reform(|_: MouseEvent| Action::CompareDialog(false));
    let with =
        |source: CompareSource| d.reform(move |_: MouseEvent| Action::CompareWith(source.clone()));
    let link_input = use_node_ref();
    // The pending read of a chosen file (dropping it would cancel the read).
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let on_file = crate::platform::files::read_chosen_file(
        reader.clone(),
        d.reform(|(name, text)| Action::CompareWith(CompareSource::File { name, text })),
        d.reform(Action::CompareRefused),
    );
    let on_link = {
        let (d, input) = (d.clone(), link_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = input.cast::<HtmlInputElement>() {
                d.emit(Action::CompareWith(CompareSource::Link(input.value())));
            }
        })
    };
    let examples = examples::ALL.iter().map(|e| {
        html! {
            <li><button class="example-card" data-testid={format!("compare-example-{}", e.id)} onclick={with(CompareSource::Example(e.id))}>
                <strong>{ e.title }</strong><span>{ e.blurb }</span>
            </button></li>
        }
    });
    let (focus, onkeydown) = use_modal_focus();
    html! {
        <div class="overlay" data-testid="compare-dialog" role="dialog" aria-modal="true" aria-label="Compare with another model" ref={focus} {onkeydown}>
            <div class="dialog wide framed">
                <h2>{ "Compare with…" }</h2>
                <div class="dialog-body">
                    <p>{ "Pick the model before the change: the Review tab shows what changing it into this model does (the lists that change, every server's load before and after, the diagnostics), and the canvas marks what was added or changed." }</p>
                    <p><button data-testid="compare-opened" data-autofocus="true" onclick={with(CompareSource::Opened)}>{ "The model as the page opened it" }</button></p>
                    <div class="share-row compare-row">
                        <label for="compare-file">{ "A file" }</label>
                        <input id="compare-file" type="file" accept=".json,application/json" data-testid="compare-file" onchange={on_file} />
                    </div>
                    <form class="share-row compare-row" onsubmit={on_link}>
                        <label for="compare-link">{ "A share link" }</label>
                        <input id="compare-link" ref={link_input} type="text" placeholder="https://…#model=…" data-testid="compare-link" />
                        <button type="submit" data-testid="compare-link-go">{ "Compare" }</button>
                    </form>
                    <h3>{ "An example" }</h3>
                    <ul class="examples">{ for examples }</ul>
                </div>
                <div class="buttons"><button data-testid="compare-close" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use clusterplan_engine::document::{Document, Node};

    #[test]
    fn the_share_dialog_names_a_node_once() {
        let node =
            |uid: &str, name: &str| Node { uid: uid.into(), name: name.into(), ..Node::default() };
        let doc = Document {
            nodes: vec![
                node("n5", "node 5"),
                node("a", "alpha"),
                node("c2", ""),
                node("s", "Node 7 (server)"),
            ],
            ..Document::default()
        };
        assert_eq!(super::node_words(&doc, "n5"), "node 5");
        assert_eq!(super::node_words(&doc, "a"), "node alpha");
        assert_eq!(super::node_words(&doc, "c2"), "node c2");
        assert_eq!(super::node_words(&doc, "s"), "Node 7 (server)");
        assert_eq!(super::node_words(&doc, "gone"), "node gone");
    }
}

/// When a version was saved, in the reader's words (their locale's date and time).
pub fn saved_at(ms: f64) -> String {
    js_sys::Date::new(&ms.into())
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

#[derive(Properties, PartialEq, Debug)]
pub struct VersionsProps {
    /// The saved versions, newest first (`None`: still being read).
    pub versions: Option<Rc<Vec<Version>>>,
    /// The version the model is based on (the newest save of this tab's model).
    pub current: Option<u32>,
    pub dispatch: Callback<Action>,
}

/// The Versions dialog: the autosave's history (the last 20 saves and one a day before them),
/// each restorable (through the same "discard?" question as every replacement).
#[function_component(VersionsDialog)]
pub fn versions_dialog(props: &VersionsProps) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| Action::Versions(false));
    let (focus, onkeydown) = use_modal_focus();
    let rows = props.versions.as_ref().map(|list| {
        list.iter()
            .map(|v| {
                let saved = saved_at(v.saved_ms);
                let current = props.current == Some(v.id);
                let restore = {
                    let (id, saved) = (v.id, saved.clone());
                    props.dispatch.reform(move |_: MouseEvent| Action::RestoreVersion { id, saved: saved.clone() })
                };
                html! {
                    <li data-testid="version" data-version={v.id.to_string()}>
                        <span class="when">{ saved }</span>
                        <span class="what">{ count(v.nodes as usize, "node", "nodes") }</span>
                        if current {
                            <span class="current">{ "the model now" }</span>
                        } else {
                            <button data-testid={format!("version-restore-{}", v.id)} onclick={restore}>{ "Restore" }</button>
                        }
                    </li>
                }
            })
            .collect::<Html>()
    });
    html! {
        <div class="overlay" data-testid="versions" role="dialog" aria-modal="true" aria-label="Saved versions" ref={focus} {onkeydown}>
            <div class="dialog">
                <h2>{ "Saved versions" }</h2>
                <p class="hint">{ "The model is saved in this browser after every change. The last 20 saves are kept, and before them the last one of each day; Restore replaces the model (Undo brings it back)." }</p>
                if let Some(rows) = rows {
                    <ol class="versions plain">{ rows }</ol>
                } else {
                    <p>{ "Reading…" }</p>
                }
                <div class="buttons">
                    <button data-testid="versions-close" data-autofocus="true" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ConflictProps {
    pub conflict: Box<Conflict>,
    pub dispatch: Callback<Action>,
}

/// Another tab saved changes to items changed here too: which version of them to keep, naming
/// what the other choice loses. Everything else of both tabs is kept either way.
#[function_component(ConflictDialog)]
pub fn conflict_dialog(props: &ConflictProps) -> Html {
    let items = props.conflict.items.join(", ");
    let ours = props.dispatch.reform(|_: MouseEvent| Action::ResolveConflict(true));
    let theirs = props.dispatch.reform(|_: MouseEvent| Action::ResolveConflict(false));
    let (focus, onkeydown) = use_modal_focus();
    html! {
        <div class="overlay" data-testid="conflict" role="alertdialog" aria-modal="true" aria-label="Changed in another tab" ref={focus} {onkeydown}>
            <div class="dialog">
                <h2>{ "Changed in another tab too" }</h2>
                <p>{ format!("Another tab saved changes to {items}, which you also changed here. Their other changes and yours are combined either way.") }</p>
                <div class="buttons">
                    <button data-testid="conflict-theirs" data-autofocus="true" onclick={theirs}>{ format!("Take the other tab's (your changes to {items} are lost)") }</button>
                    <button data-testid="conflict-ours" class="danger" onclick={ours}>{ format!("Keep mine (the other tab's changes to {items} are lost)") }</button>
                </div>
            </div>
        </div>
    }
}
