//! The app's state and its one reducer: a closed `Action` enum applied by pure code.

use crate::results::view::{ViewAction, ViewState};
use clusterplan_engine::Document;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub document: Rc<Document>,
    /// uid of the selected node, if any.
    pub selected_node: Option<String>,
    /// What the results panels show (not part of the document).
    pub view: ViewState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the whole document (an example, an import).
    LoadDocument(Document),
    /// Select a node by uid (`None` clears the selection).
    SelectNode(Option<String>),
    /// A change to the results' view.
    View(ViewAction),
}

impl AppState {
    pub fn new(document: Document) -> Self {
        AppState { document: Rc::new(document), selected_node: None, view: ViewState::default() }
    }

    /// Applies one action: the whole of the app's state logic, natively testable.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::LoadDocument(doc) => {
                next.document = Rc::new(doc);
                next.selected_node = None;
            }
            Action::SelectNode(uid) => next.selected_node = uid,
            Action::View(action) => next.view.apply(action),
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
