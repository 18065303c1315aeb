//! The app's state and its one reducer: a closed `Action` enum applied by pure code.
//!
//! Edits of the model go through [`crate::edit::apply`] and are recorded for undo/redo; the rest
//! is editor state (selection, tool, dialogs, messages). Effects (storage, downloads) are done by
//! the components' `use_effect`s, watching this state.

use crate::edit::history::History;
use crate::edit::{self, EditAction, ItemRef};
use crate::examples;
use crate::layout::{Layout, GRID};
use crate::results::view::{ViewAction, ViewState};
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
    ToggleSnap,
    /// Show (`Some(true)`), hide, or toggle (`None`) the shortcuts overlay.
    Help(Option<bool>),
    Gallery(bool),
    /// The text of a file to import: read it, or say why not and keep the model.
    Import(String),
    /// An import refused before its text was read (a file too large), with the reason.
    ImportRefused(String),
    /// Replace the model, asking first when it has content.
    RequestReplace(Replacement),
    ConfirmReplace,
    CancelReplace,
    DismissNotice,
    Export,
    /// Saving to local storage (or a download) failed: say so.
    AutosaveFailed(String),
    /// Escape: leave the current tool, close overlays, clear the selection.
    Escape,
}

/// Gives every item of the document a position (documents from the CLI or a file have none).
pub fn with_layout(mut doc: Document) -> Document {
    let layout = Layout::read(&doc);
    if !layout.covers(&doc) {
        Layout::complete(&doc).write(&mut doc);
    }
    doc
}

fn is_empty(doc: &Document) -> bool {
    doc.nodes.is_empty()
        && doc.subnets.is_empty()
        && doc.routers.is_empty()
        && doc.clusters.is_empty()
        && doc.networks.is_empty()
        && doc.services.is_empty()
}

impl AppState {
    pub fn new(document: Document) -> Self {
        AppState {
            document: Rc::new(with_layout(document)),
            selected_node: None,
            selection: Rc::new(Vec::new()),
            view: ViewState::default(),
            history: History::default(),
            tool: Tool::Select,
            snap: true,
            notice: None,
            confirm: None,
            help: false,
            gallery: false,
            generation: 0,
            exports: 0,
        }
    }

    pub fn is_selected(&self, item: &ItemRef) -> bool {
        self.selection.contains(item)
    }

    fn set_selection(&mut self, items: Vec<ItemRef>) {
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
        self.set_selection(Vec::new());
        self.confirm = None;
        self.gallery = false;
    }

    fn edit(&mut self, edit: EditAction) {
        match edit::apply(&self.document, &edit) {
            Ok(outcome) => {
                if outcome.doc != *self.document {
                    let previous = std::mem::replace(&mut self.document, Rc::new(outcome.doc));
                    self.history.record(previous);
                    self.notice = None;
                }
                if !outcome.created.is_empty() {
                    self.set_selection(outcome.created);
                } else {
                    self.prune_selection();
                }
            }
            Err(e) => self.notice = Some(Notice { error: true, text: e.0 }),
        }
    }

    /// Applies one action: the whole of the app's state logic, natively testable.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::LoadDocument(doc) => next.replace_document(doc),
            Action::SelectNode(uid) => {
                next.set_selection(uid.into_iter().map(ItemRef::Node).collect())
            }
            Action::View(action) => next.view.apply(action),
            Action::Edit(edit) => {
                let return_to_select = next.tool != Tool::Select && next.tool != Tool::Link;
                next.edit(edit);
                if return_to_select {
                    next.tool = Tool::Select;
                }
            }
            Action::Undo => match next.history.undo(next.document.clone()) {
                Some(doc) => {
                    next.document = doc;
                    next.prune_selection();
                }
                None => next.notice = Some(Notice { error: false, text: "nothing to undo".into() }),
            },
            Action::Redo => match next.history.redo(next.document.clone()) {
                Some(doc) => {
                    next.document = doc;
                    next.prune_selection();
                }
                None => next.notice = Some(Notice { error: false, text: "nothing to redo".into() }),
            },
            Action::Select(items) => next.set_selection(items),
            Action::SelectItem(item) => {
                next.set_selection(ItemRef::from_item(&item).into_iter().collect())
            }
            Action::ToggleSelect(item) => {
                let mut items: Vec<ItemRef> = next.selection.as_ref().clone();
                match items.iter().position(|i| *i == item) {
                    Some(i) => {
                        items.remove(i);
                    }
                    None => items.push(item),
                }
                next.set_selection(items);
            }
            Action::SelectAll => {
                let d = &next.document;
                let all = d
                    .subnets
                    .iter()
                    .map(|s| ItemRef::Subnet(s.prefix.clone()))
                    .chain(d.routers.iter().map(|r| ItemRef::Router(r.name.clone())))
                    .chain(d.nodes.iter().map(|n| ItemRef::Node(n.uid.clone())))
                    .collect();
                next.set_selection(all);
            }
            Action::DeleteSelection => {
                if !next.selection.is_empty() {
                    next.edit(EditAction::Delete(next.selection.as_ref().clone()));
                    next.set_selection(Vec::new());
                }
            }
            Action::DuplicateSelection => {
                let items: Vec<ItemRef> =
                    next.selection.iter().filter(|i| i.is_placed()).cloned().collect();
                if items.is_empty() {
                    next.notice = Some(Notice {
                        error: false,
                        text: "Duplicate copies nodes, routers and subnets: select some first."
                            .into(),
                    });
                } else {
                    next.edit(EditAction::Duplicate(items));
                }
            }
            Action::Nudge(dx, dy) => {
                let items: Vec<ItemRef> =
                    next.selection.iter().filter(|i| i.is_placed()).cloned().collect();
                if !items.is_empty() {
                    let (dx, dy) = (f64::from(dx) * GRID, f64::from(dy) * GRID);
                    next.edit(EditAction::Move { items, dx, dy, snap: false });
                }
            }
            Action::SetTool(tool) => next.tool = tool,
            Action::ToggleSnap => next.snap = !next.snap,
            Action::Help(show) => next.help = show.unwrap_or(!next.help),
            Action::Gallery(show) => next.gallery = show,
            Action::Import(text) => match clusterplan_engine::document::read(&text) {
                Ok(doc) => {
                    next.replace_document(doc);
                    next.notice = Some(Notice { error: false, text: "imported".into() });
                }
                Err(e) => {
                    next.notice = Some(Notice {
                        error: true,
                        text: format!("Import refused, the model is unchanged: {e}"),
                    })
                }
            },
            Action::ImportRefused(reason) => {
                next.notice = Some(Notice {
                    error: true,
                    text: format!("Import refused, the model is unchanged: {reason}"),
                })
            }
            Action::RequestReplace(replacement) => {
                if is_empty(&next.document) {
                    next.confirm = Some(replacement);
                    return next.apply(Action::ConfirmReplace);
                }
                next.confirm = Some(replacement);
            }
            Action::ConfirmReplace => match next.confirm.take() {
                Some(Replacement::New) => next.replace_document(Document::default()),
                Some(Replacement::Example(id)) => {
                    if let Some(example) = examples::by_id(id) {
                        next.replace_document(example.document());
                    }
                }
                None => {}
            },
            Action::CancelReplace => next.confirm = None,
            Action::DismissNotice => next.notice = None,
            Action::Export => next.exports += 1,
            Action::AutosaveFailed(text) => next.notice = Some(Notice { error: true, text }),
            Action::Escape => {
                if next.help || next.gallery || next.confirm.is_some() {
                    next.help = false;
                    next.gallery = false;
                    next.confirm = None;
                } else if next.tool != Tool::Select {
                    next.tool = Tool::Select;
                } else {
                    next.set_selection(Vec::new());
                }
            }
        }
        next
    }
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
    use crate::layout::Pt;

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
            (r#"{"nodes": 3}"#, "not a cluster-planner/1 document"),
            (r#"{"name": "clusterplan-tooling", "private": true}"#, "none of the fields"),
        ] {
            let after = s.apply(Action::Import(text.into()));
            assert_eq!(after.document, before, "{text}");
            let notice = after.notice.unwrap();
            assert!(notice.error && notice.text.contains(says), "{text}: {}", notice.text);
        }
        let big = format!(
            "{{\"x\": \"{}\"}}",
            "a".repeat(clusterplan_engine::document::MAX_DOCUMENT_BYTES)
        );
        let after = s.apply(Action::Import(big));
        assert_eq!(after.document, before);
        assert!(after.notice.unwrap().text.contains("MB"));
    }

    #[test]
    fn import_of_a_document_without_positions_lays_it_out_and_is_undoable() {
        let s = AppState::new(examples::FIG22.document());
        let mut doc = examples::FIG24.document();
        doc.extra.remove(crate::layout::FIELD);
        let text = clusterplan_engine::document::write(&doc);
        let after = s.apply(Action::Import(text));
        assert!(Layout::read(&after.document).covers(&after.document));
        assert_eq!(after.document.nodes.len(), doc.nodes.len());
        assert_eq!(after.generation, s.generation + 1);
        assert_eq!(after.apply(Action::Undo).document, s.document);
    }

    #[test]
    fn new_asks_before_discarding_unless_empty() {
        let s = AppState::new(examples::FIG24.document());
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
        let s = s.apply(Action::Edit(EditAction::AddNode { at: Pt::new(0.0, 0.0), subnet: None }));
        assert_eq!(s.tool, Tool::Select);
        let s = s.apply(Action::Help(None));
        assert!(s.help);
        let s = s.apply(Action::Escape);
        assert!(!s.help && !s.selection.is_empty());
        let s = s.apply(Action::Escape);
        assert!(s.selection.is_empty());
    }
}
