//! The toolbar (file, history, tools, add, arrange) and the editor's dialogs. Buttons dispatch
//! actions; the only work done here is handing a chosen file's text to the reducer.

pub mod dialogs;

use crate::model::edit::EditAction;
use crate::model::state::{Action, Replacement, Tool};
use crate::platform::files::read_chosen_file;
use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct ToolbarProps {
    pub tool: Tool,
    /// The tool stays active after each placement (double-click on its button).
    #[prop_or_default]
    pub locked: bool,
    pub snap: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub has_selection: bool,
    /// A shared view (for embedding): only the buttons a reader needs (Export, Share, help).
    #[prop_or_default]
    pub shared: bool,
    pub dispatch: Callback<Action>,
}

/// From this size an imported file shows "Opening" before it is read into the model (a
/// 1,000-node model is about 0.3 MB, the 10,000-node one 3 MB).
const LARGE_FILE_BYTES: usize = 1_000_000;
/// How long "Opening" shows before the work starts (long enough for the browser to paint it).
const OPENING_PAINT_MS: u32 = 40;

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let d = &props.dispatch;
    let file_input = use_node_ref();
    // The pending read of an imported file (dropping it would cancel the read).
    let reader = use_mut_ref(|| None::<FileReader>);
    let send = |a: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(a.clone()))
    };
    let open_import = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    // A large file takes a moment to read, compile and draw: the toolbar says so first (painted
    // before the work starts), then the file is imported.
    let opening = use_state(|| None::<(String, String)>);
    {
        let (d, opening) = (d.clone(), opening.clone());
        use_effect_with((*opening).clone().map(|(name, _)| name), move |name| {
            let timer = name.is_some().then(|| {
                gloo::timers::callback::Timeout::new(OPENING_PAINT_MS, move || {
                    if let Some((name, text)) = (*opening).clone() {
                        opening.set(None);
                        d.emit(Action::Import { name, text });
                    }
                })
            });
            move || drop(timer)
        });
    }
    let imported = {
        let (d, opening) = (d.clone(), opening.clone());
        Callback::from(move |(name, text): (String, String)| {
            if text.len() >= LARGE_FILE_BYTES {
                opening.set(Some((name, text)));
            } else {
                d.emit(Action::Import { name, text });
            }
        })
    };
    let on_file = read_chosen_file(reader.clone(), imported, d.reform(Action::ImportRefused));
    let tools = Tool::ALL.iter().map(|&tool| {
        let active = props.tool == tool;
        let locked = active && props.locked;
        let title = match tool {
            Tool::Select | Tool::Link => format!("{} ({})", tool.label(), tool.key()),
            _ if locked => format!("{} ({}): stays on until Escape", tool.label(), tool.key()),
            _ => format!(
                "{} ({}): double-click to keep it for several placements, or hold Shift while placing",
                tool.label(),
                tool.key()
            ),
        };
        let ondblclick = {
            let d = d.clone();
            Callback::from(move |_: MouseEvent| d.emit(Action::LockTool(tool)))
        };
        html! {
            <button class={classes!("tool", active.then_some("active"), locked.then_some("locked"))} data-testid={tool.testid()}
                aria-pressed={active.to_string()} data-locked={locked.to_string()} {title}
                onclick={send(Action::SetTool(tool))} {ondblclick}>
                { tool.label() }
                if locked { <span class="lock" aria-label="kept">{ " ∞" }</span> }
            </button>
        }
    });
    let picture = html! { <crate::ui::canvas::export::PictureMenu dispatch={d.clone()} /> };
    let help = html! {
        <button class="help-button" data-testid="btn-help" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onclick={send(Action::Help(None))}>{ "?" }</button>
    };
    if props.shared {
        return html! {
            <header class="toolbar" role="toolbar" aria-label="shared view">
                <h1 class="brand" title="clusterplan">{ "clusterplan" }</h1>
                <div class="group" role="group" aria-label="file">
                    <button data-testid="btn-export" title="Download this model as a file" onclick={send(Action::Export)}>{ "Export" }</button>
                    { picture.clone() }
                    <button data-testid="btn-share" title="A link holding the model, to share or embed" onclick={send(Action::Share(true))}>{ "Share" }</button>
                </div>
                { help }
            </header>
        };
    }
    html! {
        <header class="toolbar" role="toolbar" aria-label="editor">
            <h1 class="brand" title="clusterplan">{ "clusterplan" }</h1>
            <div class="group" role="group" aria-label="file">
                <button data-testid="btn-new" title="New empty model" onclick={send(Action::RequestReplace(Replacement::New))}>{ "New" }</button>
                <button data-testid="btn-examples" title="Examples gallery" onclick={send(Action::Gallery(true))}>{ "Examples" }</button>
                <button data-testid="btn-import" title="Import a cluster-planner/1 file" onclick={open_import}>{ "Import" }</button>
                <input ref={file_input} type="file" accept=".json,application/json" class="hidden-file" data-testid="import-file"
                    aria-label="file to import" onchange={on_file} />
                if let Some((name, text)) = &*opening {
                    <span class="opening" data-testid="import-opening" role="status">
                        { format!("Opening {name} ({:.1} MB)…", text.len() as f64 / 1e6) }
                    </span>
                }
                <button data-testid="btn-export" title="Export the model (Ctrl+S)" onclick={send(Action::Export)}>{ "Export" }</button>
                { picture }
                <button data-testid="btn-share" title="A link holding the model, to share or embed" onclick={send(Action::Share(true))}>{ "Share" }</button>
            </div>
            <div class="group" role="group" aria-label="history">
                <button data-testid="btn-undo" title="Undo (Ctrl+Z)" aria-label="Undo" disabled={!props.can_undo} onclick={send(Action::Undo)}>{ "↶" }</button>
                <button data-testid="btn-redo" title="Redo (Ctrl+Shift+Z)" aria-label="Redo" disabled={!props.can_redo} onclick={send(Action::Redo)}>{ "↷" }</button>
                <button data-testid="btn-versions" title="Versions: the earlier saves of the model, to restore one" aria-label="Versions" onclick={send(Action::Versions(true))}>{ "⟲" }</button>
            </div>
            <div class="group tools" role="group" aria-label="tools">{ for tools }</div>
            <div class="group" role="group" aria-label="add">
                <button data-testid="btn-add-cluster" onclick={send(Action::Edit(EditAction::AddCluster))}>{ "+ Cluster" }</button>
                <button data-testid="btn-add-network" onclick={send(Action::Edit(EditAction::AddNetwork))}>{ "+ Network" }</button>
                <button data-testid="btn-add-service" onclick={send(Action::Edit(EditAction::AddService { cluster: None }))}>{ "+ Service" }</button>
            </div>
            <div class="group" role="group" aria-label="arrange">
                <button data-testid="btn-duplicate" title="Duplicate (Ctrl+D)" disabled={!props.has_selection} onclick={send(Action::DuplicateSelection)}>{ "Duplicate" }</button>
                <button data-testid="btn-delete" title="Delete (Del)" disabled={!props.has_selection} onclick={send(Action::DeleteSelection)}>{ "Delete" }</button>
                <button data-testid="btn-auto-layout" title="Automatic layout (A)" onclick={send(Action::Edit(EditAction::AutoLayout))}>{ "Layout" }</button>
                <button data-testid="btn-snap" class={classes!(props.snap.then_some("active"))} aria-pressed={props.snap.to_string()}
                    title="Snap to grid (G)" onclick={send(Action::ToggleSnap)}>{ "Snap" }</button>
            </div>
            { help }
        </header>
    }
}
