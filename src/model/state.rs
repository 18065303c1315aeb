//! The app's state and its one reducer: a closed `Action` enum applied by pure code.
//!
//! Edits of the model go through [`crate::model::edit::apply`] and are recorded for undo/redo; the rest
//! is editor state (selection, tool, dialogs, messages). Effects (storage, downloads) are done by
//! the components' `use_effect`s, watching this state.

use crate::model::edit::history::History;
use crate::model::edit::{self, EditAction, ItemRef};
use crate::model::examples;
use crate::model::layout::{with_layout, GRID};
use crate::model::picture::PictureRequest;
use crate::model::theme::ThemeChoice;
use crate::model::view::{Tab, ViewAction, ViewState};
use clusterplan_engine::{Document, Item};
use std::rc::Rc;
use yew::Reducible;

/// What a click on the empty canvas does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    /// Select, drag, box-select, pan.
    #[default]
    Select,
    AddSubnet,
    AddRouter,
    AddNode,
    /// Drag from a node or router to a subnet to attach it.
    Link,
}

impl Tool {
    pub const ALL: [Tool; 5] =
        [Tool::Select, Tool::AddSubnet, Tool::AddRouter, Tool::AddNode, Tool::Link];

    pub fn label(self) -> &'static str {
        match self {
            Tool::Select => "Select",
            Tool::AddSubnet => "Subnet",
            Tool::AddRouter => "Router",
            Tool::AddNode => "Node",
            Tool::Link => "Link",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Tool::Select => "V",
            Tool::AddSubnet => "S",
            Tool::AddRouter => "R",
            Tool::AddNode => "N",
            Tool::Link => "L",
        }
    }
    pub fn testid(self) -> &'static str {
        match self {
            Tool::Select => "tool-select",
            Tool::AddSubnet => "tool-subnet",
            Tool::AddRouter => "tool-router",
            Tool::AddNode => "tool-node",
            Tool::Link => "tool-link",
        }
    }
}

/// A message for the user (a refused edit or import, a confirmation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// What replaces the model once the user agrees to discard it.
#[derive(Debug, Clone, PartialEq)]
pub enum Replacement {
    /// An empty model.
    New,
    /// An example of the gallery, by id.
    Example(&'static str),
    /// The model of a share link the page was opened with, as the link says to show it.
    Link(Box<LinkedModel>),
    /// An imported file's model (read already), with the file's name.
    File { name: String, document: Box<Document> },
    /// An earlier saved version (the Versions dialog): its id, when it was saved (in words)
    /// and its model.
    Version { id: u32, saved: String, document: Box<Document> },
}

/// A share link's model and how to show it: the strategy, and the node to select (a UID of the
/// model's, when the link names one).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedModel {
    pub document: Document,
    pub strategy: clusterplan_engine::Strategy,
    pub node: Option<String>,
    /// A design review link's model before the change: the model opens compared with it.
    pub before: Option<Document>,
    /// A lesson link's lesson and event: the Simulate tab opens there (`docs/lifecycle.md`).
    pub lesson: Option<(String, usize)>,
    /// What the link shows failed (checked against `document`).
    pub failures: clusterplan_engine::FailureSet,
}

/// A second model the editor's model is compared with (a design review): the engine diffs the
/// two, the canvas marks what changed and the Review tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The other model, laid out like any opened model.
    pub other: Rc<Document>,
    /// Where it came from, in words ("the model as the page opened it", "example FIG 22").
    pub source: String,
    /// `false` (the default): the other model is the one *before* the change, the editor's
    /// model the one after; `true`: the other way round.
    pub reversed: bool,
}

impl Comparison {
    /// (before, after), given the editor's model.
    pub fn sides(&self, current: &Rc<Document>) -> (Rc<Document>, Rc<Document>) {
        if self.reversed {
            (current.clone(), self.other.clone())
        } else {
            (self.other.clone(), current.clone())
        }
    }
}

/// What "Compare with…" compares the model with.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareSource {
    /// The model as it was when the page opened.
    Opened,
    /// An example of the gallery, by id.
    Example(&'static str),
    /// A file (its name and text).
    File { name: String, text: String },
    /// A share link (or its fragment) holding a model.
    Link(String),
}

/// What the autosave knows (`crate::platform::storage`): where the model is saved and what it is based on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Store {
    /// Storage has been read: the page shows the model and saves its changes only then.
    pub ready: bool,
    /// The saved version the model is based on: its id and its model (what a merge with another
    /// tab's save starts from). `None`: nothing saved yet.
    pub base: Option<(u32, Rc<Document>)>,
    /// Why the model cannot be saved here, if it cannot (shown with an Export button).
    pub failed: Option<String>,
    /// IndexedDB is unavailable (the autosave falls back to local storage), and why.
    pub unavailable: Option<String>,
    /// Another tab saved changes to items this tab changed too: the question.
    pub conflict: Option<Box<Conflict>>,
    /// The Versions dialog, when open: the saved versions, newest first (`None` while read).
    pub versions: Option<Option<Rc<Vec<crate::platform::versions::Version>>>>,
    /// Bumped to ask the effects for the list of versions.
    pub list_requests: u64,
    /// A version to read and offer in place of the model (bumped per request; its id and when
    /// it was saved, in words).
    pub restore_request: (u64, u32, String),
}

/// Two tabs changed the same items: the two ways out, and what each loses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The other tab's saved version (id) and model.
    pub version: u32,
    pub theirs: Rc<Document>,
    /// The merged model keeping this tab's version of the conflicting items, and the other's.
    pub keep_ours: Rc<Document>,
    pub keep_theirs: Rc<Document>,
    /// The conflicting items, in words.
    pub items: Vec<String>,
}

/// What a shared view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedView {
    /// The link's model; `editor` is the fragment that opens the same model in the editor.
    Model { editor: String },
    /// The link could not be opened: why (the page shows only that).
    Broken { reason: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub document: Rc<Document>,
    /// uid of the selected node, if any (the last node selected: the one the results show).
    pub selected_node: Option<String>,
    /// Every selected item, in the order selected.
    pub selection: Rc<Vec<ItemRef>>,
    /// What the results panels show (not part of the document).
    pub view: ViewState,
    pub history: History,
    pub tool: Tool,
    /// The tool stays active after a placement (double-click on its button); Escape or
    /// another tool releases it.
    pub tool_locked: bool,
    /// Snap moves and placements to the grid.
    pub snap: bool,
    pub notice: Option<Notice>,
    /// A pending "discard the current model?" question.
    pub confirm: Option<Replacement>,
    pub help: bool,
    pub gallery: bool,
    /// Bumped whenever a whole document replaces the current one (the canvas fits it).
    pub generation: u64,
    /// Bumped by each export request (an effect downloads the file).
    pub exports: u64,
    /// The results panel's height in CSS pixels, as the user dragged the splitter (`None`: the
    /// default share). Part of the view, never of the document.
    pub results_height: Option<f64>,
    /// The first screen's hint about the built-in example (dismissible).
    pub hint: bool,
    /// This page is a shared view (opened with `#view&model=...`): nothing is autosaved.
    pub shared_view: Option<SharedView>,
    /// The Share dialog is open; `share_view`: it offers the shared-view link (for embedding);
    /// `share_node`: the link selects the selected node.
    pub share: bool,
    pub share_view: bool,
    pub share_node: bool,
    /// Text to put on the clipboard, bumped per request (an effect writes it).
    pub copy: (u64, Rc<str>),
    /// The model as it was when the page opened (what "Compare with…" offers first).
    pub opened: Rc<Document>,
    /// The model the editor's is compared with, if any (the Review tab).
    pub compare: Option<Comparison>,
    /// The "Compare with…" dialog is open.
    pub compare_dialog: bool,
    /// The Share dialog's link carries the compared model too (`before=`), when comparing.
    pub share_compare: bool,
    /// The Share dialog's link opens the lesson shown in the Simulate tab at its current event.
    pub share_lesson: bool,
    /// The user changed the model since it was created, opened or loaded (a replacement then
    /// asks first: [`Action::RequestReplace`]). A restored autosave counts as touched unless
    /// it is empty or an example as it comes ([`has_user_work`]).
    pub touched: bool,
    /// The autosave's state (IndexedDB, versions, other tabs).
    pub store: Store,
    /// The reader's theme (system, light, dark), remembered by an effect (`crate::model::theme`).
    pub theme: ThemeChoice,
    /// Picture export requests (each one exports once, in an effect) and the last one's options.
    pub pictures: (u64, PictureRequest),
}

/// The smallest height of the results panel and of the canvas area above it (CSS pixels).
pub const MIN_RESULTS_H: f64 = 120.0;
/// (The canvas area's is the `.workspace`'s `min-height` in `styles/app.css`.)
pub const MIN_CANVAS_H: f64 = 240.0;

/// The results panel's height for a splitter dragged to leave `wanted` pixels below it, in a
/// page area of `total` pixels (toolbar excluded): both panels keep a usable minimum.
pub fn clamp_results_height(wanted: f64, total: f64) -> f64 {
    let max = (total - MIN_CANVAS_H).max(MIN_RESULTS_H);
    if wanted.is_finite() {
        wanted.clamp(MIN_RESULTS_H, max)
    } else {
        MIN_RESULTS_H
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the whole document (an example, an import); undoable.
    LoadDocument(Document),
    /// Select a node by uid (`None` clears the selection).
    SelectNode(Option<String>),
    /// A change to the results' view.
    View(ViewAction),
    /// Change the model.
    Edit(EditAction),
    /// Place an item with the current tool (a click on the canvas); the tool then returns to
    /// Select unless `keep_tool` (Shift held) or the tool is locked.
    Place {
        edit: EditAction,
        keep_tool: bool,
    },
    Undo,
    Redo,
    /// Replace the selection.
    Select(Vec<ItemRef>),
    /// Select the item an engine diagnostic names.
    SelectItem(Item),
    /// Add to or remove from the selection (shift-click).
    ToggleSelect(ItemRef),
    SelectAll,
    DeleteSelection,
    DuplicateSelection,
    /// Move the selected items by whole grid steps (arrow keys).
    Nudge(i32, i32),
    SetTool(Tool),
    /// Pick a tool and keep it for several placements (double-click on its button).
    LockTool(Tool),
    /// The results panel's height (the splitter), clamped by [`clamp_results_height`];
    /// `None` returns to the default.
    ResizeResults(Option<f64>),
    /// Hide the first screen's hint.
    DismissHint,
    ToggleSnap,
    /// Show (`Some(true)`), hide, or toggle (`None`) the shortcuts overlay.
    Help(Option<bool>),
    Gallery(bool),
    /// A file to import (its name and text): read it, or say why not and keep the model.
    Import {
        name: String,
        text: String,
    },
    /// An import refused before its text was read (a file too large), with the reason.
    ImportRefused(String),
    /// Replace the model, asking first when it has content.
    RequestReplace(Replacement),
    ConfirmReplace,
    CancelReplace,
    DismissNotice,
    Export,
    /// Export a picture of the diagram (SVG or PNG), in an effect.
    ExportPicture(PictureRequest),
    /// Choose the theme (system, light, dark).
    SetTheme(ThemeChoice),
    /// Saving to local storage (or a download) failed: say so.
    AutosaveFailed(String),
    /// A typed value was refused before it became an edit: say why.
    Refused(String),
    /// Show or hide the Share dialog.
    Share(bool),
    /// The Share dialog offers the shared-view link (`true`) or the editor link.
    ShareView(bool),
    /// The Share dialog's link selects the selected node (`true`) or nothing.
    ShareNode(bool),
    /// Put this text on the clipboard (the Share dialog's Copy buttons).
    Copy(String),
    /// The clipboard write is done: `Err` says why not.
    Copied(Result<(), String>),
    /// Escape: leave the current tool, close overlays, clear the selection.
    Escape,
    /// Show or hide the "Compare with…" dialog.
    CompareDialog(bool),
    /// Compare the model with another one: read it, or say why not.
    CompareWith(CompareSource),
    /// A file to compare with was refused before its text was read (too large), with the reason.
    CompareRefused(String),
    /// Exchange before and after.
    SwapComparison,
    /// Stop comparing.
    StopComparing,
    /// The Share dialog's link carries the compared model too (`true`) or the model alone.
    ShareCompare(bool),
    /// The Share dialog's link opens the Simulate tab's lesson at its event (`true`) or not.
    ShareLesson(bool),
    /// Open a lesson of the Simulate tab (by id): show it, and when the model is not the
    /// lessons' model, load that (asking first, as the gallery does). The model's own scenario
    /// (`lessons::SAVED`) runs on the model as it is.
    OpenLesson(String),
    /// Save this scenario with the model (its `scenario` field; undoable) and show it, at the
    /// same position, with the faults it now holds.
    SaveScenario(Box<clusterplan_lifecycle::Scenario>),
    /// Storage has been read: the state the page starts with (`share::start` on what was
    /// saved), ready to save.
    Started(Box<AppState>),
    /// This model was saved as this version (the merge base from now on).
    Saved {
        version: u32,
        document: Rc<Document>,
    },
    /// Saving failed, and why (the page keeps working and offers Export).
    StorageFailed(String),
    /// Another tab saved this version: take it in (merged with the edits made here).
    OtherTab {
        version: u32,
        document: Box<Document>,
    },
    /// Answer to a conflict with another tab: keep this tab's version of the items both
    /// changed (`true`) or the other tab's.
    ResolveConflict(bool),
    /// Open (`true`) or close the Versions dialog.
    Versions(bool),
    /// The saved versions, newest first (for the Versions dialog).
    VersionList(Vec<crate::platform::versions::Version>),
    /// Restore a saved version (its id, and when it was saved in words): read by an effect,
    /// then offered like any replacement.
    RestoreVersion {
        id: u32,
        saved: String,
    },
}

/// What a shared view says when an edit is refused there.
pub const READ_ONLY: &str =
    "This shared view is read-only: \"Open it in the editor\" to change the model.";

impl Action {
    /// Does this action change the model (or start changing it: a placing tool)? A read-only
    /// shared view refuses these in the reducer, whatever dispatched them.
    pub fn edits(&self) -> bool {
        match self {
            Action::LoadDocument(_)
            | Action::Edit(_)
            | Action::Place { .. }
            | Action::Undo
            | Action::Redo
            | Action::DeleteSelection
            | Action::DuplicateSelection
            | Action::Nudge(..)
            | Action::Import { .. }
            | Action::RequestReplace(_)
            | Action::ConfirmReplace
            | Action::SaveScenario(_)
            | Action::RestoreVersion { .. } => true,
            Action::SetTool(tool) | Action::LockTool(tool) => *tool != Tool::Select,
            _ => false,
        }
    }
}

/// Is `doc` one of the gallery's examples as it comes (so replacing it loses nothing)?
pub fn is_untouched_example(doc: &Document) -> bool {
    examples::ALL.iter().any(|e| e.is_untouched(doc))
}

/// Does `doc`, found in storage, hold work of the user's (neither empty nor an example as it
/// comes)? Such a model counts as touched: replacing it asks first.
pub fn has_user_work(doc: &Document) -> bool {
    !is_empty(doc) && !is_untouched_example(doc)
}

/// What replacing `doc` would lose, for the "discard?" question: its size in items.
pub fn what_is_lost(doc: &Document) -> String {
    let mut parts = vec![count(doc.nodes.len(), "node", "nodes")];
    for (n, one, many) in [
        (doc.subnets.len(), "subnet", "subnets"),
        (doc.routers.len(), "router", "routers"),
        (doc.services.len(), "service", "services"),
    ] {
        if n > 0 {
            parts.push(count(n, one, many));
        }
    }
    let last = parts.pop().unwrap_or_default();
    let list = if parts.is_empty() { last } else { format!("{} and {last}", parts.join(", ")) };
    format!("your edited model ({list})")
}

/// A model with nothing in it (New's): replacing it loses nothing.
pub fn is_empty(doc: &Document) -> bool {
    doc.nodes.is_empty()
        && doc.subnets.is_empty()
        && doc.routers.is_empty()
        && doc.clusters.is_empty()
        && doc.networks.is_empty()
        && doc.services.is_empty()
}

impl AppState {
    /// Shows lesson `id` in the Simulate tab at `event`, when the model names it (a shipped
    /// lesson, or its own saved scenario); any other is not opened.
    pub(crate) fn open_lesson(&mut self, id: &str, event: usize) {
        if crate::model::lessons::scenario_of(&self.document, id).is_none() {
            return;
        }
        self.view.apply(ViewAction::SimLesson(Some(id.to_owned())));
        self.view.apply(ViewAction::ShowTab(Tab::Simulate));
        self.view.simulate.position = event;
    }

    pub fn new(document: Document) -> Self {
        let document = Rc::new(with_layout(document));
        AppState {
            opened: document.clone(),
            document,
            selected_node: None,
            selection: Rc::new(Vec::new()),
            view: ViewState::default(),
            history: History::default(),
            tool: Tool::Select,
            tool_locked: false,
            snap: true,
            notice: None,
            confirm: None,
            help: false,
            gallery: false,
            generation: 0,
            exports: 0,
            results_height: None,
            hint: false,
            shared_view: None,
            share: false,
            share_view: false,
            share_node: true,
            copy: (0, Rc::from("")),
            compare: None,
            compare_dialog: false,
            share_compare: true,
            share_lesson: true,
            touched: false,
            store: Store::default(),
            theme: ThemeChoice::System,
            pictures: (0, PictureRequest::default()),
        }
    }

    /// A shared view: the model is read-only (selection, view and "what if" failures only).
    pub fn read_only(&self) -> bool {
        self.shared_view.is_some()
    }

    /// Compares the model with `other` (before the change), shown in the Review tab.
    pub(crate) fn compare_with(&mut self, other: Document, source: String) {
        self.compare =
            Some(Comparison { other: Rc::new(with_layout(other)), source, reversed: false });
        self.compare_dialog = false;
        self.view.apply(ViewAction::ShowTab(Tab::Review));
    }

    /// The built-in example, as on the first visit: with its hint.
    pub fn first_visit() -> Self {
        let mut state = AppState::new(examples::FIG24.document());
        state.hint = true;
        state
    }

    pub fn is_selected(&self, item: &ItemRef) -> bool {
        self.selection.contains(item)
    }

    pub(crate) fn set_selection(&mut self, items: Vec<ItemRef>) {
        self.selected_node = items.iter().rev().find_map(|i| match i {
            ItemRef::Node(uid) => Some(uid.clone()),
            _ => None,
        });
        self.selection = Rc::new(items);
    }

    /// After the document changed: drop selected items that no longer exist.
    fn prune_selection(&mut self) {
        if self.selection.iter().any(|i| !i.exists(&self.document)) {
            let kept =
                self.selection.iter().filter(|i| i.exists(&self.document)).cloned().collect();
            self.set_selection(kept);
        }
    }

    fn replace_document(&mut self, doc: Document) {
        let doc = Rc::new(with_layout(doc));
        let previous = std::mem::replace(&mut self.document, doc);
        self.history.record(previous);
        self.generation += 1;
        self.touched = false;
        self.set_selection(Vec::new());
        self.confirm = None;
        self.gallery = false;
        self.hint = false;
    }

    fn edit(&mut self, edit: EditAction) {
        match edit::apply(&self.document, &edit) {
            Ok(outcome) => {
                if outcome.doc != *self.document {
                    let previous = std::mem::replace(&mut self.document, Rc::new(outcome.doc));
                    self.history.record(previous);
                    self.notice = None;
                    self.touched = true;
                }
                if !outcome.created.is_empty() {
                    self.set_selection(outcome.created);
                } else {
                    if !outcome.renamed.is_empty() {
                        // A renamed item stays selected under its new name.
                        let renamed: Vec<ItemRef> = self
                            .selection
                            .iter()
                            .map(|i| {
                                outcome
                                    .renamed
                                    .iter()
                                    .find(|(old, _)| old == i)
                                    .map_or_else(|| i.clone(), |(_, new)| new.clone())
                            })
                            .collect();
                        self.set_selection(renamed);
                    }
                    self.prune_selection();
                }
            }
            Err(e) => self.notice = Some(Notice { error: true, text: e.0 }),
        }
    }

    /// Another tab saved `version`: when this tab has no unsaved edits, its model becomes that
    /// one; else the two are merged by item (`storage::merge`), and items both changed
    /// differently are asked about (`store.conflict`), never overwritten silently.
    fn other_tab(&mut self, version: u32, theirs: Document) {
        if self.store.base.as_ref().is_some_and(|(id, _)| *id >= version) {
            return;
        }
        let theirs = Rc::new(with_layout(theirs));
        let base = self.store.base.as_ref().map(|(_, doc)| doc.clone());
        let unsaved =
            base.as_ref().is_none_or(|b| !Rc::ptr_eq(b, &self.document) && **b != *self.document);
        let merged = match base.as_deref() {
            _ if !unsaved => Some((theirs.clone(), Vec::new(), theirs.clone())),
            Some(b) => crate::model::merge::merge(b, &self.document, &theirs)
                .map(|m| (Rc::new(m.ours), m.conflicts, Rc::new(m.theirs))),
            None => crate::model::merge::merge(&Document::default(), &self.document, &theirs)
                .map(|m| (Rc::new(m.ours), m.conflicts, Rc::new(m.theirs))),
        };
        let Some((keep_ours, items, keep_theirs)) = merged else { return };
        if !items.is_empty() {
            self.store.conflict =
                Some(Box::new(Conflict { version, theirs, keep_ours, keep_theirs, items }));
            return;
        }
        if *keep_ours != *self.document {
            let previous = std::mem::replace(&mut self.document, keep_ours);
            self.history.record(previous);
            self.prune_selection();
            // Edits made in another tab are the user's work here too.
            self.touched = self.touched || has_user_work(&self.document);
            self.notice = Some(Notice {
                error: false,
                text: if unsaved {
                    "Merged the changes saved in another tab with yours.".into()
                } else {
                    "Updated with the changes saved in another tab.".into()
                },
            });
        } else if !unsaved {
            // The same model: share its Rc, so the autosave sees nothing to save.
            self.document = theirs.clone();
        }
        self.store.base = Some((version, theirs));
    }

    /// Applies one action: the whole of the app's state logic, natively testable.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        if self.read_only() && action.edits() {
            next.notice = Some(Notice { error: false, text: READ_ONLY.into() });
            return next;
        }
        let Some(action) = next.apply_document(action) else { return next };
        let Some(action) = next.apply_selection(action) else { return next };
        let Some(action) = next.apply_storage(action) else { return next };
        next.apply_page(action);
        next
    }

    /// The document: loads, edits, undo and redo, imports and replacements behind the confirm question, the saved scenario. Any other action is given back.
    fn apply_document(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::LoadDocument(doc) => self.replace_document(doc),
            Action::Edit(edit) => self.edit(edit),
            Action::Place { edit, keep_tool } => {
                self.edit(edit);
                let placing = self.tool != Tool::Select && self.tool != Tool::Link;
                if placing && !keep_tool && !self.tool_locked {
                    self.tool = Tool::Select;
                }
            }
            Action::Undo => match self.history.undo(self.document.clone()) {
                Some(doc) => {
                    self.document = doc;
                    self.touched = true;
                    self.prune_selection();
                }
                None => self.notice = Some(Notice { error: false, text: "nothing to undo".into() }),
            },
            Action::Redo => match self.history.redo(self.document.clone()) {
                Some(doc) => {
                    self.document = doc;
                    self.touched = true;
                    self.prune_selection();
                }
                None => self.notice = Some(Notice { error: false, text: "nothing to redo".into() }),
            },
            Action::Import { name, text } => match clusterplan_engine::document::read(&text) {
                Ok(doc) => {
                    *self = self.apply(Action::RequestReplace(Replacement::File {
                        name,
                        document: Box::new(doc),
                    }));
                    return None;
                }
                Err(e) => {
                    self.notice = Some(Notice {
                        error: true,
                        text: format!("Import refused, the model is unchanged: {e}"),
                    })
                }
            },
            Action::ImportRefused(reason) => {
                self.notice = Some(Notice {
                    error: true,
                    text: format!("Import refused, the model is unchanged: {reason}"),
                })
            }
            // One rule for New, Examples, Import and a link: ask only when the user changed the
            // model (never for an untouched example or an empty model).
            Action::RequestReplace(replacement) => {
                if !self.touched || is_empty(&self.document) {
                    self.confirm = Some(replacement);
                    *self = self.apply(Action::ConfirmReplace);
                    return None;
                }
                self.confirm = Some(replacement);
            }
            Action::ConfirmReplace => match self.confirm.take() {
                Some(Replacement::New) => self.replace_document(Document::default()),
                Some(Replacement::Example(id)) => {
                    if let Some(example) = examples::by_id(id) {
                        self.replace_document(example.document());
                        self.notice = Some(Notice {
                            error: false,
                            text: format!("Loaded example {}.", example.title),
                        });
                        // The lessons' model opens on its first lesson (FIG 8), ready to play.
                        if id == crate::model::lessons::MODEL {
                            use crate::model::view::Tab;
                            if self.view.simulate.lesson.is_none() {
                                let first = crate::model::lessons::LESSONS[0].id;
                                self.view.apply(ViewAction::SimLesson(Some(first.into())));
                            }
                            self.view.apply(ViewAction::ShowTab(Tab::Simulate));
                        }
                    }
                }
                Some(Replacement::File { name, document }) => {
                    self.replace_document(*document);
                    self.notice = Some(import_notice(&name, &self.document));
                }
                Some(Replacement::Version { saved, document, .. }) => {
                    self.replace_document(*document);
                    self.store.versions = None;
                    self.notice = Some(Notice {
                        error: false,
                        text: format!("Restored the version of {saved}."),
                    });
                }
                Some(Replacement::Link(linked)) => {
                    let LinkedModel { document, strategy, node, before, lesson, failures } =
                        *linked;
                    self.replace_document(document);
                    self.view.apply(ViewAction::SetStrategy(strategy));
                    self.view.fail_all(&failures);
                    self.set_selection(node.into_iter().map(ItemRef::Node).collect());
                    if let Some(before) = before {
                        self.compare_with(before, LINK_BEFORE.into());
                    }
                    if let Some((id, event)) = lesson {
                        self.open_lesson(&id, event);
                    }
                    self.notice = Some(Notice {
                        error: false,
                        text: "Opened the model from the link.".into(),
                    });
                }
                None => {}
            },
            Action::CancelReplace => self.confirm = None,
            Action::SaveScenario(scenario) => {
                let position = self.view.simulate.position;
                self.edit(EditAction::SetScenario(Some(scenario)));
                self.view.apply(ViewAction::SimLesson(Some(crate::model::lessons::SAVED.into())));
                self.view.simulate.position = position;
                self.notice = Some(Notice {
                    error: false,
                    text:
                        "Saved the scenario with the model: it travels in share links and exports."
                            .into(),
                });
            }
            other => return Some(other),
        }
        None
    }

    /// The selection, the tools and the view. Any other action is given back.
    fn apply_selection(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::SelectNode(uid) => {
                self.set_selection(uid.into_iter().map(ItemRef::Node).collect())
            }
            Action::View(action) => self.view.apply(action),
            Action::Select(items) => self.set_selection(items),
            Action::SelectItem(item) => {
                self.set_selection(ItemRef::from_item(&item).into_iter().collect())
            }
            Action::ToggleSelect(item) => {
                let mut items: Vec<ItemRef> = self.selection.as_ref().clone();
                match items.iter().position(|i| *i == item) {
                    Some(i) => {
                        items.remove(i);
                    }
                    None => items.push(item),
                }
                self.set_selection(items);
            }
            Action::SelectAll => {
                let d = &self.document;
                let all = d
                    .subnets
                    .iter()
                    .map(|s| ItemRef::Subnet(s.prefix.clone()))
                    .chain(d.routers.iter().map(|r| ItemRef::Router(r.name.clone())))
                    .chain(d.nodes.iter().map(|n| ItemRef::Node(n.uid.clone())))
                    .collect();
                self.set_selection(all);
            }
            Action::DeleteSelection => {
                if !self.selection.is_empty() {
                    self.edit(EditAction::Delete(self.selection.as_ref().clone()));
                    self.set_selection(Vec::new());
                }
            }
            Action::DuplicateSelection => {
                let items: Vec<ItemRef> =
                    self.selection.iter().filter(|i| i.is_placed()).cloned().collect();
                if items.is_empty() {
                    self.notice = Some(Notice {
                        error: false,
                        text: "Duplicate copies nodes, routers and subnets: select some first."
                            .into(),
                    });
                } else {
                    self.edit(EditAction::Duplicate(items));
                }
            }
            Action::Nudge(dx, dy) => {
                let items: Vec<ItemRef> =
                    self.selection.iter().filter(|i| i.is_placed()).cloned().collect();
                if !items.is_empty() {
                    let (dx, dy) = (f64::from(dx) * GRID, f64::from(dy) * GRID);
                    self.edit(EditAction::Move { items, dx, dy, snap: false });
                }
            }
            Action::SetTool(tool) => {
                self.tool = tool;
                self.tool_locked = false;
            }
            Action::LockTool(tool) => {
                self.tool = tool;
                self.tool_locked = tool != Tool::Select;
            }
            other => return Some(other),
        }
        None
    }

    /// Storage: the start once it is read, saves, other tabs' saves and their conflicts, the Versions dialog. Any other action is given back.
    fn apply_storage(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::AutosaveFailed(text) => self.notice = Some(Notice { error: true, text }),
            Action::Started(state) => {
                let mut state = *state;
                state.store.ready = true;
                *self = state;
            }
            Action::Saved { version, document } => {
                self.store.base = Some((version, document));
                self.store.failed = None;
            }
            Action::StorageFailed(reason) => self.store.failed = Some(reason),
            Action::OtherTab { version, document } => self.other_tab(version, *document),
            Action::ResolveConflict(keep_ours) => {
                if let Some(c) = self.store.conflict.take() {
                    let doc = if keep_ours { c.keep_ours } else { c.keep_theirs };
                    let previous = std::mem::replace(&mut self.document, doc);
                    self.history.record(previous);
                    self.touched = true;
                    self.store.base = Some((c.version, c.theirs));
                    self.prune_selection();
                }
            }
            Action::Versions(open) => {
                if open {
                    self.store.versions = Some(None);
                    self.store.list_requests += 1;
                } else {
                    self.store.versions = None;
                }
            }
            Action::VersionList(list) => {
                if self.store.versions.is_some() {
                    self.store.versions = Some(Some(Rc::new(list)));
                }
            }
            Action::RestoreVersion { id, saved } => {
                self.store.restore_request = (self.store.restore_request.0 + 1, id, saved)
            }
            other => return Some(other),
        }
        None
    }

    /// The page: the panels, dialogs and notices, exports, the clipboard, sharing, the design review and the lessons.
    fn apply_page(&mut self, action: Action) {
        match action {
            Action::ResizeResults(h) => self.results_height = h,
            Action::DismissHint => self.hint = false,
            Action::ToggleSnap => self.snap = !self.snap,
            Action::Help(show) => self.help = show.unwrap_or(!self.help),
            Action::Gallery(show) => self.gallery = show,
            Action::DismissNotice => self.notice = None,
            Action::Export => self.exports += 1,
            Action::ExportPicture(request) => self.pictures = (self.pictures.0 + 1, request),
            Action::SetTheme(theme) => self.theme = theme,
            Action::Refused(text) => self.notice = Some(Notice { error: true, text }),
            Action::Share(show) => {
                self.share = show;
                // Each time it opens, the dialog offers the editor link first.
                self.share_view = false;
                self.share_node = true;
                self.share_lesson = true;
            }
            Action::ShareView(view) => self.share_view = view,
            Action::ShareNode(node) => self.share_node = node,
            Action::Copy(text) => self.copy = (self.copy.0 + 1, Rc::from(text)),
            Action::Copied(result) => {
                self.notice = Some(match result {
                    Ok(()) => Notice { error: false, text: "Copied to the clipboard.".into() },
                    Err(e) => Notice {
                        error: true,
                        text: format!("Could not copy ({e}): select the text and copy it."),
                    },
                })
            }
            Action::CompareDialog(show) => self.compare_dialog = show,
            Action::CompareWith(source) => match compared_document(&*self, source) {
                Ok((doc, source)) => {
                    self.notice =
                        Some(Notice { error: false, text: format!("Comparing with {source}.") });
                    self.compare_with(doc, source);
                }
                Err(reason) => {
                    self.notice = Some(Notice {
                        error: true,
                        text: format!("Nothing to compare with: {reason}"),
                    })
                }
            },
            Action::CompareRefused(reason) => {
                self.notice =
                    Some(Notice { error: true, text: format!("Nothing to compare with: {reason}") })
            }
            Action::SwapComparison => {
                if let Some(c) = &mut self.compare {
                    c.reversed = !c.reversed;
                }
            }
            Action::StopComparing => self.compare = None,
            Action::ShareCompare(with) => self.share_compare = with,
            Action::ShareLesson(with) => self.share_lesson = with,
            Action::OpenLesson(id) => {
                use crate::model::lessons;
                let shipped = lessons::by_id(&id).is_some();
                if !shipped && id != lessons::SAVED {
                    return;
                }
                self.view.apply(ViewAction::SimLesson(Some(id)));
                self.view.apply(ViewAction::ShowTab(crate::model::view::Tab::Simulate));
                if shipped && !lessons::is_lesson_model(&self.document) {
                    *self = self.apply(Action::RequestReplace(Replacement::Example(
                        crate::model::lessons::MODEL,
                    )));
                }
            }
            Action::Escape => {
                if self.store.versions.is_some() {
                    self.store.versions = None;
                } else if self.help
                    || self.gallery
                    || self.confirm.is_some()
                    || self.share
                    || self.compare_dialog
                {
                    self.help = false;
                    self.gallery = false;
                    self.confirm = None;
                    self.share = false;
                    self.compare_dialog = false;
                } else if self.tool != Tool::Select {
                    self.tool = Tool::Select;
                    self.tool_locked = false;
                } else {
                    self.set_selection(Vec::new());
                }
            }
            // Applied before, by `apply_document`, `apply_selection` and `apply_storage`.
            Action::LoadDocument(..)
            | Action::Edit(..)
            | Action::Place { .. }
            | Action::Undo
            | Action::Redo
            | Action::Import { .. }
            | Action::ImportRefused(..)
            | Action::RequestReplace(..)
            | Action::ConfirmReplace
            | Action::CancelReplace
            | Action::SaveScenario(..)
            | Action::SelectNode(..)
            | Action::View(..)
            | Action::Select(..)
            | Action::SelectItem(..)
            | Action::ToggleSelect(..)
            | Action::SelectAll
            | Action::DeleteSelection
            | Action::DuplicateSelection
            | Action::Nudge(..)
            | Action::SetTool(..)
            | Action::LockTool(..)
            | Action::AutosaveFailed(..)
            | Action::Started(..)
            | Action::Saved { .. }
            | Action::StorageFailed(..)
            | Action::OtherTab { .. }
            | Action::ResolveConflict(..)
            | Action::Versions(..)
            | Action::VersionList(..)
            | Action::RestoreVersion { .. } => {}
        }
    }
}

/// Where a design review link's model before the change comes from, in words.
pub const LINK_BEFORE: &str = "the link's model before the change";

/// The model a [`CompareSource`] names, and where it came from in words; or why there is none.
fn compared_document(
    state: &AppState,
    source: CompareSource,
) -> Result<(Document, String), String> {
    match source {
        CompareSource::Opened => {
            Ok(((*state.opened).clone(), "the model as the page opened it".to_owned()))
        }
        CompareSource::Example(id) => examples::by_id(id)
            .map(|e| (e.document(), format!("the example \"{}\"", e.title)))
            .ok_or_else(|| format!("no example {id:?}")),
        CompareSource::File { name, text } => clusterplan_engine::document::read(&text)
            .map(|doc| (doc, format!("the file {name}")))
            .map_err(|e| e.to_string()),
        CompareSource::Link(link) => clusterplan_engine::share::read_link(&link)
            .map(|doc| (doc, "the link's model".to_owned()))
            .map_err(|e| e.to_string()),
    }
}

/// "N things" with the right plural (the engine's `text::count`, one copy for every crate).
pub use clusterplan_engine::text::count;

/// What an import says: the file's name, and how many errors and warnings the engine finds.
fn import_notice(name: &str, doc: &Document) -> Notice {
    use clusterplan_engine::diagnostics::Severity;
    let plan = clusterplan_engine::compile(doc, clusterplan_engine::Strategy::Rotation);
    let of = |s: Severity| plan.diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (of(Severity::Error), of(Severity::Warning));
    let name = if name.is_empty() { "the file" } else { name };
    let text = if errors + warnings == 0 {
        format!("Imported {name}.")
    } else {
        format!(
            "Imported {name}: {}, {} (see Diagnostics).",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        )
    };
    Notice { error: false, text }
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::layout::{Layout, Pt};

    #[test]
    fn a_subnet_prefix_edit_keeps_the_subnet_selected_and_refusals_say_why() {
        let s = AppState::new(examples::FIG24.document())
            .apply(Action::Select(vec![ItemRef::Subnet("10.0.2.0/24".into())]));
        let edit = |p: &str| {
            Action::Edit(EditAction::SetSubnetPrefix {
                prefix: "10.0.2.0/24".into(),
                new_prefix: p.into(),
            })
        };
        let moved = s.apply(edit("10.0.5.0/24"));
        assert_eq!(moved.selection.as_ref(), &[ItemRef::Subnet("10.0.5.0/24".into())]);
        for bad in ["banana", "10.0.1.0/33", "10.0.1.5/24"] {
            let refused = s.apply(edit(bad));
            assert_eq!(refused.document, s.document, "{bad}");
            assert_eq!(refused.selection, s.selection);
            let notice = refused.notice.unwrap();
            assert!(notice.error && notice.text.contains(bad), "{bad}: {}", notice.text);
        }
    }

    #[test]
    fn notices_name_the_example_and_the_imported_file_with_its_diagnostics() {
        let s = AppState::new(Document::default())
            .apply(Action::RequestReplace(Replacement::Example("fig24")));
        assert_eq!(
            s.notice.as_ref().unwrap().text,
            format!("Loaded example {}.", examples::FIG24.title)
        );
        let broken = r#"{"format": "cluster-planner/1", "nodes": [{"uid": "a", "addresses": ["10.0.0.1"], "clusters": {"Z": 1}}]}"#;
        let s = s.apply(Action::Import { name: "broken.json".into(), text: broken.into() });
        let text = s.notice.unwrap().text;
        assert!(text.starts_with("Imported broken.json: "), "{text}");
        assert!(text.contains("error") && text.ends_with("(see Diagnostics)."), "{text}");
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(0, "warning", "warnings"), "0 warnings");
    }

    #[test]
    fn compare_with_reads_the_other_model_or_says_why_not_and_never_touches_the_model() {
        let s = AppState::new(examples::FIG24.document()).apply(Action::CompareDialog(true));
        assert!(s.compare_dialog);
        // The model as the page opened it, even after edits.
        let edited = s.apply(Action::Edit(EditAction::AddCluster));
        let c = edited.apply(Action::CompareWith(CompareSource::Opened));
        let comparison = c.compare.as_ref().unwrap();
        assert_eq!(comparison.other, s.document);
        assert_eq!(comparison.source, "the model as the page opened it");
        assert!(!c.compare_dialog && c.view.tab == Tab::Review);
        assert_eq!(c.document, edited.document, "comparing never changes the model");
        assert_eq!(
            c.notice.as_ref().unwrap().text,
            "Comparing with the model as the page opened it."
        );
        // Before and after: the compared model is before, unless swapped.
        let (before, after) = comparison.sides(&c.document);
        assert_eq!((before, after.clone()), (s.document.clone(), c.document.clone()));
        let swapped = c.apply(Action::SwapComparison);
        let (before, after) = swapped.compare.as_ref().unwrap().sides(&swapped.document);
        assert_eq!((before, after), (c.document.clone(), s.document.clone()));
        assert!(swapped.apply(Action::StopComparing).compare.is_none());
        // An example, a file, a link; laid out like any opened model.
        let example = s.apply(Action::CompareWith(CompareSource::Example("fig24-extra-registry")));
        let other = &example.compare.as_ref().unwrap().other;
        assert_eq!(other.nodes.len(), 11);
        assert!(Layout::read(other).covers(other));
        let text = clusterplan_engine::document::write(&examples::FIG22.document());
        let file =
            s.apply(Action::CompareWith(CompareSource::File { name: "f22.json".into(), text }));
        assert_eq!(file.compare.unwrap().source, "the file f22.json");
        let link = clusterplan_engine::share::link(
            "http://h/",
            &examples::FIG22.document(),
            &Default::default(),
        );
        let linked = s.apply(Action::CompareWith(CompareSource::Link(link)));
        assert_eq!(
            linked.compare.unwrap().other.nodes.len(),
            examples::FIG22.document().nodes.len()
        );
        // Refused: the reason, the dialog stays open, nothing compared.
        for source in [
            CompareSource::File { name: "x.json".into(), text: "{oops".into() },
            CompareSource::Link("http://h/#model=abc*".into()),
            CompareSource::Example("no-such-example"),
        ] {
            let refused = s.apply(Action::CompareWith(source.clone()));
            assert!(refused.compare.is_none() && refused.compare_dialog, "{source:?}");
            let notice = refused.notice.unwrap();
            assert!(
                notice.error && notice.text.starts_with("Nothing to compare with: "),
                "{}",
                notice.text
            );
        }
        let big = s.apply(Action::CompareRefused("the file is too large".into()));
        assert_eq!(big.notice.unwrap().text, "Nothing to compare with: the file is too large");
        // Escape closes the dialog; the Share dialog's "with the compared model" is view state.
        assert!(!s.apply(Action::Escape).compare_dialog);
        assert!(s.share_compare);
        assert!(!s.apply(Action::ShareCompare(false)).share_compare);
    }

    #[test]
    fn the_results_height_is_view_state_clamped_to_usable_sizes() {
        let s = AppState::first_visit();
        assert!(s.hint);
        let doc = s.document.clone();
        let s = s.apply(Action::ResizeResults(Some(300.0))).apply(Action::DismissHint);
        assert_eq!((s.results_height, s.hint), (Some(300.0), false));
        assert!(Rc::ptr_eq(&s.document, &doc), "not part of the document");
        assert_eq!(clamp_results_height(10.0, 800.0), MIN_RESULTS_H);
        assert_eq!(clamp_results_height(790.0, 800.0), 800.0 - MIN_CANVAS_H);
        assert_eq!(clamp_results_height(f64::NAN, 800.0), MIN_RESULTS_H);
        assert_eq!(clamp_results_height(350.0, 800.0), 350.0);
    }

    fn empty() -> AppState {
        AppState::new(Document::default())
    }

    #[test]
    fn every_edit_is_undoable_and_redoable() {
        let mut s = empty();
        s = s.apply(Action::Edit(EditAction::AddSubnet { at: Pt::new(0.0, 0.0) }));
        s = s.apply(Action::Edit(EditAction::AddNode {
            at: Pt::new(0.0, 80.0),
            subnet: Some("10.0.0.0/24".into()),
        }));
        let drawn = s.document.clone();
        assert_eq!(s.selection.as_ref(), &[ItemRef::Node("n1".into())], "a new item is selected");
        assert_eq!(s.selected_node.as_deref(), Some("n1"));
        s = s.apply(Action::Undo);
        assert!(s.document.nodes.is_empty());
        assert!(s.selection.is_empty(), "the selection of a vanished item is dropped");
        s = s.apply(Action::Undo);
        assert_eq!(*s.document, Document::default());
        s = s.apply(Action::Undo);
        assert_eq!(s.notice.as_ref().unwrap().text, "nothing to undo");
        s = s.apply(Action::Redo).apply(Action::Redo);
        assert_eq!(s.document, drawn);
        s = s.apply(Action::Undo).apply(Action::Edit(EditAction::AddCluster));
        assert!(!s.history.can_redo());
    }

    #[test]
    fn a_refused_edit_keeps_the_model_and_says_why() {
        let s = empty().apply(Action::Edit(EditAction::Link {
            from: ItemRef::Node("x".into()),
            subnet: "10.0.0.0/24".into(),
        }));
        assert_eq!(*s.document, Document::default());
        assert!(s.notice.unwrap().error);
        assert!(!s.history.can_undo());
    }

    #[test]
    fn import_refuses_bad_files_and_keeps_the_model() {
        let s = AppState::new(examples::FIG24.document());
        let before = s.document.clone();
        for (text, says) in [
            ("{not json", "not JSON"),
            ("[1, 2]", "not a cluster-planner/1 document"),
            (r#"{"format": "cluster-planner/9"}"#, "unsupported format"),
            (r#"{"nodes": 3}"#, "nodes: invalid type: integer `3`, expected a sequence at line 1"),
            (r#"{"name": "clusterplan-tooling", "private": true}"#, "none of the fields"),
        ] {
            let after = s.apply(Action::Import { name: "f.json".into(), text: text.into() });
            assert_eq!(after.document, before, "{text}");
            let notice = after.notice.unwrap();
            assert!(notice.error && notice.text.contains(says), "{text}: {}", notice.text);
        }
        let big = format!(
            "{{\"x\": \"{}\"}}",
            "a".repeat(clusterplan_engine::document::MAX_DOCUMENT_BYTES)
        );
        let after = s.apply(Action::Import { name: "big.json".into(), text: big });
        assert_eq!(after.document, before);
        assert!(after.notice.unwrap().text.contains("MB"));
    }

    #[test]
    fn import_of_a_document_without_positions_lays_it_out_and_is_undoable() {
        let s = AppState::new(examples::FIG22.document());
        let mut doc = examples::FIG24.document();
        doc.extra.remove(crate::model::layout::FIELD);
        let text = clusterplan_engine::document::write(&doc);
        let after = s.apply(Action::Import { name: "fig24.json".into(), text });
        assert_eq!(after.notice.as_ref().unwrap().text, "Imported fig24.json.");
        assert!(Layout::read(&after.document).covers(&after.document));
        assert_eq!(after.document.nodes.len(), doc.nodes.len());
        assert_eq!(after.generation, s.generation + 1);
        assert_eq!(after.apply(Action::Undo).document, s.document);
    }

    #[test]
    fn a_lesson_loads_its_model_through_the_confirm_question() {
        use crate::model::view::Tab;
        let mut s = AppState::new(examples::FIG24.document());
        s.touched = true;
        let asked = s.apply(Action::OpenLesson("fig13-define-fails-step-9".into()));
        assert_eq!(asked.view.tab, Tab::Simulate);
        assert_eq!(asked.view.simulate.lesson.as_deref(), Some("fig13-define-fails-step-9"));
        assert_eq!(asked.document, s.document, "nothing discarded before the answer");
        assert_eq!(asked.confirm, Some(Replacement::Example("lifecycle")));
        let loaded = asked.apply(Action::ConfirmReplace);
        assert!(examples::LIFECYCLE.is_untouched(&loaded.document));
        assert_eq!(loaded.view.simulate.lesson.as_deref(), Some("fig13-define-fails-step-9"));
        // On its model, another lesson opens without a question, at its start.
        let moved = loaded
            .apply(Action::View(ViewAction::SimGoTo { seq: 9, events: 100 }))
            .apply(Action::OpenLesson("fig8-stale-replica".into()));
        assert_eq!(moved.confirm, None);
        assert_eq!(moved.view.simulate.position, 0);
        assert_eq!(moved.document, loaded.document);
        // An unknown lesson changes nothing.
        assert_eq!(moved.apply(Action::OpenLesson("nope".into())), moved);
        // Saved with the model: shown as the model's scenario, at the same position, undoable;
        // the model stays the lessons' model.
        let mut scenario = crate::model::lessons::by_id("fig8-stale-replica").unwrap().scenario();
        scenario.faults.push(crate::model::view::fail_here(0, Some(5), None).unwrap());
        let saved = moved
            .apply(Action::View(ViewAction::SimGoTo { seq: 4, events: 100 }))
            .apply(Action::SaveScenario(Box::new(scenario.clone())));
        assert_eq!(saved.view.simulate.lesson.as_deref(), Some("model"));
        assert_eq!(saved.view.simulate.position, 4);
        assert_eq!(crate::model::edit::scenario(&saved.document), Some(Ok(scenario)));
        assert_eq!(saved.apply(Action::Undo).document, moved.document);
        let again = saved.apply(Action::OpenLesson("fig13-define-committed".into()));
        assert_eq!(again.confirm, None, "still the lessons' model");
        let own =
            AppState::new(examples::FIG24.document()).apply(Action::OpenLesson("model".into()));
        assert_eq!((own.confirm, own.view.tab), (None, Tab::Simulate));
    }

    #[test]
    fn the_lessons_model_from_the_gallery_opens_on_the_fig_8_lesson() {
        use crate::model::view::Tab;
        let s = AppState::new(Document::default());
        let opened = s.apply(Action::RequestReplace(Replacement::Example("lifecycle")));
        assert_eq!(opened.view.tab, Tab::Simulate);
        assert_eq!(opened.view.simulate.lesson.as_deref(), Some("fig8-stale-replica"));
        // Another example leaves the tab as it was.
        let other = s.apply(Action::RequestReplace(Replacement::Example("fig22")));
        assert_eq!(other.view.tab, Tab::Node);
    }

    #[test]
    fn new_asks_before_discarding_unless_empty() {
        let mut s = AppState::new(examples::FIG24.document());
        s.touched = true;
        let asked = s.apply(Action::RequestReplace(Replacement::New));
        assert_eq!(asked.document, s.document, "nothing discarded before the answer");
        assert_eq!(asked.confirm, Some(Replacement::New));
        assert_eq!(asked.apply(Action::CancelReplace).document, s.document);
        let fresh = asked.apply(Action::ConfirmReplace);
        assert_eq!(*fresh.document, Document::default());
        // An empty model is replaced without a question.
        let example = fresh.apply(Action::RequestReplace(Replacement::Example("fig22")));
        assert_eq!(example.confirm, None);
        assert_eq!(example.document.nodes.len(), examples::FIG22.document().nodes.len());
    }

    #[test]
    fn selection_toggle_all_delete_duplicate_nudge() {
        let s = AppState::new(examples::FIG24.document());
        let s = s
            .apply(Action::SelectNode(Some("n5".into())))
            .apply(Action::ToggleSelect(ItemRef::Node("n1".into())));
        assert_eq!(s.selection.len(), 2);
        assert_eq!(s.selected_node.as_deref(), Some("n1"));
        let s2 = s.apply(Action::ToggleSelect(ItemRef::Node("n1".into())));
        assert_eq!(s2.selected_node.as_deref(), Some("n5"));
        let dup = s.apply(Action::DuplicateSelection);
        assert_eq!(dup.document.nodes.len(), 12);
        assert_eq!(dup.selection.len(), 2);
        let service = s.apply(Action::Select(vec![ItemRef::Service {
            cluster: "A".into(),
            name: "registry".into(),
        }]));
        let nothing = service.apply(Action::DuplicateSelection);
        assert_eq!(nothing.document, s.document);
        assert!(nothing.notice.unwrap().text.contains("nodes, routers and subnets"));
        let before = Layout::read(&s.document).nodes["n5"];
        let nudged = s.apply(Action::Nudge(1, -2));
        let after = Layout::read(&nudged.document).nodes["n5"];
        assert_eq!((after.x - before.x, after.y - before.y), (GRID, -2.0 * GRID));
        let deleted = s.apply(Action::DeleteSelection);
        assert_eq!(deleted.document.nodes.len(), 8);
        assert!(deleted.selection.is_empty());
        let all = s.apply(Action::SelectAll);
        assert_eq!(all.selection.len(), 3 + 2 + 10);
    }

    #[test]
    fn placing_an_item_returns_to_the_select_tool_and_escape_unwinds() {
        let s = empty().apply(Action::SetTool(Tool::AddNode));
        let place = |s: &AppState, keep_tool| {
            s.apply(Action::Place {
                edit: EditAction::AddNode { at: Pt::new(0.0, 0.0), subnet: None },
                keep_tool,
            })
        };
        // Shift held: the tool stays.
        let kept = place(&s, true);
        assert_eq!((kept.tool, kept.document.nodes.len()), (Tool::AddNode, 1));
        // Locked (double-click on the button): it stays until Escape.
        let locked = place(&place(&s.apply(Action::LockTool(Tool::AddNode)), false), false);
        assert_eq!((locked.tool, locked.document.nodes.len()), (Tool::AddNode, 2));
        let released = locked.apply(Action::Escape);
        assert_eq!((released.tool, released.tool_locked), (Tool::Select, false));
        assert_eq!(
            place(
                &s.apply(Action::LockTool(Tool::AddNode)).apply(Action::SetTool(Tool::AddNode)),
                false
            )
            .tool,
            Tool::Select
        );
        // An edit from the inspector leaves the tool alone.
        assert_eq!(s.apply(Action::Edit(EditAction::AddCluster)).tool, Tool::AddNode);
        let s = place(&s, false);
        assert_eq!(s.tool, Tool::Select);
        let s = s.apply(Action::Help(None));
        assert!(s.help);
        let s = s.apply(Action::Escape);
        assert!(!s.help && !s.selection.is_empty());
        let s = s.apply(Action::Escape);
        assert!(s.selection.is_empty());
    }

    /// A shared view as `share::start` opens it: the link's model, read-only.
    fn shared_view() -> AppState {
        let mut s = AppState::new(examples::FIG24.document());
        s.shared_view = Some(SharedView::Model { editor: "#model=x".into() });
        s
    }

    #[test]
    fn a_shared_view_refuses_every_edit_in_the_reducer_but_selects_and_fails_servers() {
        let s = shared_view().apply(Action::SelectNode(Some("n5".into())));
        assert_eq!(s.selected_node.as_deref(), Some("n5"), "selection works");
        let failed = s.apply(Action::View(ViewAction::ToggleFailed("n1".into())));
        assert!(failed.view.failed.contains("n1"), "failing a server is a view: it works");
        let text = clusterplan_engine::document::write(&examples::FIG22.document());
        for action in [
            Action::Edit(EditAction::AddCluster),
            Action::Edit(EditAction::SetNodeName { uid: "n5".into(), name: "x".into() }),
            Action::Place {
                edit: EditAction::AddNode { at: Pt::new(0.0, 0.0), subnet: None },
                keep_tool: false,
            },
            Action::DeleteSelection,
            Action::DuplicateSelection,
            Action::Nudge(1, 0),
            Action::Undo,
            Action::Redo,
            Action::Import { name: "f.json".into(), text },
            Action::RequestReplace(Replacement::New),
            Action::LoadDocument(Document::default()),
            Action::SetTool(Tool::AddNode),
            Action::LockTool(Tool::AddSubnet),
        ] {
            let after = failed.apply(action.clone());
            assert!(Rc::ptr_eq(&after.document, &failed.document), "{action:?}");
            assert_eq!((after.tool, after.confirm.clone()), (Tool::Select, None), "{action:?}");
            assert_eq!(after.notice.unwrap().text, READ_ONLY, "{action:?}");
            assert!(!after.history.can_undo());
        }
        // Every keyboard shortcut that edits is refused the same way.
        for key in ["Delete", "Backspace", "z", "y", "d", "ArrowLeft", "n", "s", "r"] {
            for ctrl in [false, true] {
                let action = crate::model::shortcuts::command(key, ctrl, false, false)
                    .and_then(crate::model::shortcuts::action);
                if let Some(action) = action {
                    let after = s.apply(action.clone());
                    assert!(Rc::ptr_eq(&after.document, &s.document), "{key} {action:?}");
                }
            }
        }
        // The editor (no shared view) takes the same edits.
        let editor = AppState::new(examples::FIG24.document());
        assert_eq!(editor.apply(Action::Edit(EditAction::AddCluster)).document.clusters.len(), 2);
    }

    #[test]
    fn replacing_asks_only_for_a_touched_model_and_import_asks_too() {
        let fresh = AppState::first_visit();
        assert!(!fresh.touched);
        // The untouched first-visit example: replaced without a question (New, Examples, Import).
        let new = fresh.apply(Action::RequestReplace(Replacement::New));
        assert_eq!((new.confirm.clone(), new.document.nodes.len()), (None, 0));
        let text = clusterplan_engine::document::write(&examples::FIG22.document());
        let import = || Action::Import { name: "f22.json".into(), text: text.clone() };
        let imported = fresh.apply(import());
        assert_eq!(imported.confirm, None);
        assert_eq!(imported.document.nodes.len(), examples::FIG22.document().nodes.len());
        assert!(!imported.touched, "an opened file is not the user's edit");
        // Touched by an edit: Import asks, naming what would be lost, and keeps the model.
        let edited = fresh.apply(Action::Edit(EditAction::AddCluster));
        assert!(edited.touched);
        let asked = edited.apply(import());
        assert!(
            matches!(asked.confirm, Some(Replacement::File { ref name, .. }) if name == "f22.json")
        );
        assert_eq!(asked.document, edited.document, "nothing discarded before the answer");
        assert_eq!(asked.apply(Action::CancelReplace).document, edited.document);
        let done = asked.apply(Action::ConfirmReplace);
        assert_eq!(done.document.nodes.len(), examples::FIG22.document().nodes.len());
        assert_eq!(done.notice.as_ref().unwrap().text, "Imported f22.json.");
        assert_eq!(done.apply(Action::Undo).document, edited.document);
        assert_eq!(
            what_is_lost(&edited.document),
            "your edited model (10 nodes, 3 subnets, 2 routers and 1 service)"
        );
        // Undo and redo are the user's changes too.
        let undone = edited.apply(Action::ConfirmReplace).apply(Action::Undo);
        assert!(undone.touched);
        // A restored autosave is touched unless it is empty or an example as it comes.
        assert!(!has_user_work(&examples::FIG24.document()));
        assert!(!has_user_work(&Document::default()));
        assert!(has_user_work(&edited.document));
    }

    /// A tab of the editor whose model is saved as version `id`.
    fn saved_tab(doc: Document, id: u32) -> AppState {
        let s = AppState::new(doc);
        let doc = s.document.clone();
        s.apply(Action::Saved { version: id, document: doc })
    }

    #[test]
    fn another_tabs_save_is_taken_in_merged_with_unsaved_edits_or_asked_about() {
        let base = AppState::new(examples::FIG24.document()).document;
        let rename = |uid: &str, name: &str| {
            Action::Edit(EditAction::SetNodeName { uid: uid.into(), name: name.into() })
        };
        // Tab 2 saved a rename of n5 as version 2 (on version 1).
        let tab2 = saved_tab((*base).clone(), 1).apply(rename("n5", "renamed"));
        let theirs = Box::new((*tab2.document).clone());
        // Tab 1 without unsaved edits: takes it as it is, nothing to save.
        let idle = saved_tab((*base).clone(), 1)
            .apply(Action::OtherTab { version: 2, document: theirs.clone() });
        assert_eq!(idle.document, tab2.document);
        assert!(Rc::ptr_eq(&idle.document, &idle.store.base.as_ref().unwrap().1));
        assert_eq!(idle.store.base.as_ref().unwrap().0, 2);
        assert_eq!(
            idle.notice.as_ref().unwrap().text,
            "Updated with the changes saved in another tab."
        );
        assert!(idle.touched, "another tab's edits are the user's work: replacing them asks");
        // An older or the same version again changes nothing.
        let again =
            idle.apply(Action::OtherTab { version: 2, document: Box::new((*base).clone()) });
        assert_eq!(again.document, tab2.document);
        // Tab 1 with an unsaved node added: merged, both kept; the merge is then saved (the
        // model differs from the new base).
        let added = saved_tab((*base).clone(), 1).apply(Action::Edit(EditAction::AddNode {
            at: Pt::new(900.0, 900.0),
            subnet: Some("10.0.2.0/24".into()),
        }));
        let merged = added.apply(Action::OtherTab { version: 2, document: theirs.clone() });
        assert_eq!(merged.document.nodes.len(), base.nodes.len() + 1);
        assert_eq!(merged.document.nodes.iter().find(|n| n.uid == "n5").unwrap().name, "renamed");
        assert_eq!(merged.store.base.as_ref().unwrap().0, 2);
        assert_ne!(*merged.store.base.as_ref().unwrap().1, *merged.document, "to be saved");
        assert!(merged.store.conflict.is_none());
        assert_eq!(merged.apply(Action::Undo).document, added.document, "undoable");
        // Tab 1 renamed n5 too: asked, naming the item; nothing changes until answered.
        let clash = saved_tab((*base).clone(), 1)
            .apply(rename("n5", "mine"))
            .apply(Action::Edit(EditAction::AddCluster));
        let asked = clash.apply(Action::OtherTab { version: 2, document: theirs });
        assert_eq!(asked.document, clash.document);
        assert_eq!(asked.store.conflict.as_ref().unwrap().items, vec!["node n5".to_owned()]);
        let name =
            |s: &AppState| s.document.nodes.iter().find(|n| n.uid == "n5").unwrap().name.clone();
        let ours = asked.apply(Action::ResolveConflict(true));
        let other = asked.apply(Action::ResolveConflict(false));
        assert_eq!((name(&ours), name(&other)), ("mine".into(), "renamed".into()));
        for s in [&ours, &other] {
            assert!(s.store.conflict.is_none());
            assert_eq!(s.document.clusters.len(), 2, "the other edit made here is kept");
            assert_eq!(s.store.base.as_ref().unwrap().0, 2);
        }
    }

    #[test]
    fn the_versions_dialog_lists_and_restores_through_the_discard_question() {
        use crate::platform::versions::Version;
        let s = AppState::first_visit().apply(Action::Versions(true));
        assert_eq!(s.store.versions, Some(None));
        assert_eq!(s.store.list_requests, 1);
        let list = vec![Version { id: 3, saved_ms: 0.0, nodes: 10 }];
        let listed = s.apply(Action::VersionList(list.clone()));
        assert_eq!(listed.store.versions, Some(Some(Rc::new(list))));
        let asked = listed.apply(Action::RestoreVersion { id: 3, saved: "today".into() });
        assert_eq!(asked.store.restore_request, (1, 3, "today".into()));
        let restored = asked.apply(Action::RequestReplace(Replacement::Version {
            id: 3,
            saved: "today".into(),
            document: Box::new(examples::FIG22.document()),
        }));
        assert_eq!(restored.document.nodes.len(), examples::FIG22.document().nodes.len());
        assert_eq!(restored.store.versions, None, "the dialog closes");
        assert_eq!(restored.notice.unwrap().text, "Restored the version of today.");
        assert!(listed.apply(Action::Escape).store.versions.is_none());
        // A shared view restores nothing.
        let view = shared_view().apply(Action::RestoreVersion { id: 3, saved: "x".into() });
        assert_eq!(view.store.restore_request.0, 0);
        // Saving fails: said, and cleared by the next successful save.
        let failed =
            s.apply(Action::StorageFailed("the browser's storage for this site is full".into()));
        assert!(failed.store.failed.is_some());
        let doc = failed.document.clone();
        assert!(failed.apply(Action::Saved { version: 1, document: doc }).store.failed.is_none());
    }
}
