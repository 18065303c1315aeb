//! Undo and redo: snapshots of the whole document (shared, so a step costs one pointer).

use clusterplan_engine::Document;
use std::rc::Rc;

/// How many steps back undo goes.
pub const LIMIT: usize = 200;

/// The documents before (undo) and after (redo) the current one.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Rc<Document>>,
    redo: Vec<Rc<Document>>,
}

/// Histories are equal when they hold the same snapshots (compared by identity: cheap, however
/// large the documents).
impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &[Rc<Document>], b: &[Rc<Document>]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Rc::ptr_eq(x, y))
        };
        same(&self.undo, &other.undo) && same(&self.redo, &other.redo)
    }
}

impl History {
    /// Records that `previous` was replaced by a new document: it becomes the undo step, and
    /// the redo steps are dropped (a new edit starts a new branch).
    pub fn record(&mut self, previous: Rc<Document>) {
        self.undo.push(previous);
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The document to go back to, given the current one (which becomes a redo step).
    pub fn undo(&mut self, current: Rc<Document>) -> Option<Rc<Document>> {
        let previous = self.undo.pop()?;
        self.redo.push(current);
        Some(previous)
    }

    /// The document to go forward to, given the current one (which becomes an undo step).
    pub fn redo(&mut self, current: Rc<Document>) -> Option<Rc<Document>> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(tag: &str) -> Rc<Document> {
        let mut d = Document::default();
        d.extra.insert("tag".into(), tag.into());
        Rc::new(d)
    }

    #[test]
    fn undo_redo_walks_back_and_forth_and_a_new_edit_drops_redo() {
        let mut h = History::default();
        assert!(!h.can_undo() && !h.can_redo());
        h.record(doc("a"));
        h.record(doc("b"));
        let back = h.undo(doc("c")).unwrap();
        assert_eq!(back, doc("b"));
        assert!(h.can_redo());
        assert_eq!(h.redo(back).unwrap(), doc("c"));
        let back = h.undo(doc("c")).unwrap();
        h.record(back);
        assert!(!h.can_redo(), "a new edit after undo drops the redo steps");
        assert_eq!(h.undo_len(), 2);
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::default();
        for i in 0..LIMIT + 10 {
            h.record(doc(&i.to_string()));
        }
        assert_eq!(h.undo_len(), LIMIT);
    }
}
