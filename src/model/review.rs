//! The design review's view data, pure: from the engine's diff of the compared model and the
//! editor's model, what the Review tab shows ([`review_model`]: load before -> after per server
//! as paired bars, the client lists that changed) and the marks the canvas draws on added and
//! changed items ([`review_marks`]). `ui::results::review` renders it.

use crate::model::edit::ItemRef;
use clusterplan_engine::diff::{signed, Change, Diff, ItemChange, ServiceDiff};
use clusterplan_engine::Diagnostic;
use std::collections::HashMap;
use std::rc::Rc;

/// How many changed lists a service shows (the JSON of `clusterplan diff` has them all).
pub const LISTS_SHOWN: usize = 50;

/// A diff shared by identity (the app derives a new one when either model changes).
#[derive(Debug, Clone)]
pub struct DiffRef(pub Rc<Diff>);

impl PartialEq for DiffRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the canvas marks: the drawn items (nodes, subnets, routers) the change added or
/// changed, and the ones it removed (no longer drawn: the canvas lists them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewMarks {
    /// Item -> (added or changed, the tooltip: what changed).
    pub items: HashMap<ItemRef, (Change, String)>,
    /// The removed drawn items, as people name them (`router r2`).
    pub removed: Vec<String>,
}

impl ReviewMarks {
    pub fn of(&self, item: &ItemRef) -> Option<&(Change, String)> {
        self.items.get(item)
    }
}

/// Is this an item the canvas draws?
fn drawn(item: &ItemRef) -> bool {
    matches!(item, ItemRef::Node(_) | ItemRef::Subnet(_) | ItemRef::Router(_))
}

/// The canvas marks of a diff (`None`: not comparing, nothing marked).
pub fn review_marks(diff: Option<&Diff>) -> ReviewMarks {
    let mut marks = ReviewMarks::default();
    let Some(diff) = diff else { return marks };
    for change in &diff.items {
        let Some(item) = ItemRef::from_item(&change.item).filter(drawn) else { continue };
        match change.change {
            Change::Removed => marks.removed.push(change.item.to_string()),
            c => {
                marks.items.insert(item, (c, item_line(change)));
            }
        }
    }
    marks
}

/// `changed node n4: node number in cluster A: 4 -> 11`.
pub fn item_line(change: &ItemChange) -> String {
    let mut line = format!("{} {}", change.change.word(), change.item);
    if !change.fields.is_empty() {
        line.push_str(": ");
        line.push_str(&change.fields.join("; "));
    }
    line
}

/// One server's row: its figures before and after, and its bars' widths.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRow {
    pub uid: String,
    pub label: String,
    pub first: (usize, usize),
    pub worst: (usize, usize),
    pub first_delta: String,
    pub worst_delta: String,
    /// Widths in percent of the service's largest figure: first choice before, after.
    pub bars: (f64, f64),
    /// Where the worst-single-failure marks sit, before and after (percent).
    pub worst_at: (f64, f64),
}

/// One changed service as the tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceReview {
    /// `cluster/service`, for test ids.
    pub key: String,
    pub title: String,
    pub figures: String,
    pub rows: Vec<ServerRow>,
    pub lists_summary: String,
    /// (client uid, the line in words, it moves to another server), at most [`LISTS_SHOWN`].
    pub lists: Vec<(String, String, bool)>,
    /// Lists not shown.
    pub more_lists: usize,
}

/// Everything the tab shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewModel {
    pub summary: String,
    pub services: Vec<ServiceReview>,
    /// Services nothing changed in.
    pub unchanged: usize,
    pub items: Vec<(Option<ItemRef>, String)>,
    pub appeared: Vec<Diagnostic>,
    pub gone: Vec<Diagnostic>,
}

fn percent(value: usize, scale: usize) -> f64 {
    if scale == 0 {
        0.0
    } else {
        (value as f64 / scale as f64 * 100.0).clamp(0.0, 100.0)
    }
}

fn service_review(s: &ServiceDiff) -> ServiceReview {
    let scale = s
        .servers
        .iter()
        .flat_map(|r| {
            [r.first_choice.before, r.first_choice.after, r.worst_single_failure.before]
                .into_iter()
                .chain([r.worst_single_failure.after])
        })
        .max()
        .unwrap_or(0);
    let rows = s
        .servers
        .iter()
        .map(|r| ServerRow {
            uid: r.uid.clone(),
            label: r.label(),
            first: (r.first_choice.before, r.first_choice.after),
            worst: (r.worst_single_failure.before, r.worst_single_failure.after),
            first_delta: signed(r.first_choice_delta),
            worst_delta: signed(r.worst_single_failure_delta),
            bars: (percent(r.first_choice.before, scale), percent(r.first_choice.after, scale)),
            worst_at: (
                percent(r.worst_single_failure.before, scale),
                percent(r.worst_single_failure.after, scale),
            ),
        })
        .collect();
    ServiceReview {
        key: format!("{}/{}", s.cluster, s.service),
        title: s.title(),
        figures: s.figures(),
        rows,
        lists_summary: s.lists_summary(),
        lists: s
            .lists
            .iter()
            .take(LISTS_SHOWN)
            .map(|l| (l.uid.clone(), l.line(), l.moved()))
            .collect(),
        more_lists: s.lists.len().saturating_sub(LISTS_SHOWN),
    }
}

/// The tab's content for a diff.
pub fn review_model(diff: &Diff) -> ReviewModel {
    ReviewModel {
        summary: diff.summary(),
        services: diff.services.iter().filter(|s| !s.unchanged()).map(service_review).collect(),
        unchanged: diff.services.iter().filter(|s| s.unchanged()).count(),
        items: diff.items.iter().map(|c| (ItemRef::from_item(&c.item), item_line(c))).collect(),
        appeared: diff.diagnostics_appeared.clone(),
        gone: diff.diagnostics_gone.clone(),
    }
}

/// The class of a delta: up, down or none.
pub fn delta_class(delta: &str) -> &'static str {
    match delta.chars().next() {
        Some('+') => "up",
        Some('-') => "down",
        _ => "same",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::examples;
    use clusterplan_engine::{diff, Strategy};

    fn fig24_plus_one() -> Diff {
        let before = examples::FIG24.document();
        let after = examples::FIG24_EXTRA.document();
        diff::diff(&before, &after, Strategy::Rotation)
    }

    #[test]
    fn the_canvas_marks_added_and_changed_drawn_items_and_lists_removed_ones() {
        let marks = review_marks(Some(&fig24_plus_one()));
        let n13 = marks.of(&ItemRef::Node("n13".into())).expect("the new server is marked");
        assert_eq!((n13.0, n13.1.as_str()), (Change::Added, "added node n13"));
        // The cluster and the service changed too, but the canvas draws neither.
        assert_eq!(marks.items.len(), 1);
        assert!(marks.removed.is_empty());
        let back = {
            let (b, a) = (examples::FIG24_EXTRA.document(), examples::FIG24.document());
            review_marks(Some(&diff::diff(&b, &a, Strategy::Rotation)))
        };
        assert_eq!(back.removed, ["node n13"]);
        assert_eq!(review_marks(None), ReviewMarks::default());
    }

    #[test]
    fn the_tab_shows_each_servers_load_before_and_after_with_paired_bars() {
        let model = review_model(&fig24_plus_one());
        assert!(model.summary.starts_with("1 item added, 2 changed; 11 client lists changed"));
        let s = &model.services[0];
        assert_eq!(s.key, "A/registry");
        let row = |uid: &str| s.rows.iter().find(|r| r.uid == uid).unwrap();
        let n5 = row("n5");
        assert_eq!((n5.first, n5.first_delta.as_str()), ((5, 4), "-1"));
        let n13 = row("n13");
        assert_eq!(
            (n13.label.as_str(), n13.first, n13.first_delta.as_str()),
            ("13 (new)", (0, 2), "+2")
        );
        // Bars are scaled to the service's largest figure (a worst single failure of 6).
        let scale = s
            .rows
            .iter()
            .map(|r| r.worst.0.max(r.worst.1).max(r.first.0).max(r.first.1))
            .max()
            .unwrap();
        assert_eq!(n5.bars, (percent(5, scale), percent(4, scale)));
        assert!(s.rows.iter().all(|r| r.bars.0 <= 100.0 && r.bars.1 <= 100.0));
        assert_eq!(s.lists.len(), 11);
        assert_eq!(
            s.lists[0],
            (
                "n1".to_owned(),
                "node 1: 10.0.0.13 added at 1st; first choice server 5 -> server 13".to_owned(),
                true
            )
        );
        assert_eq!(model.items.len(), 3);
        assert_eq!(
            model.items[1],
            (Some(ItemRef::Node("n13".into())), "added node n13".to_owned())
        );
        assert_eq!((model.appeared.len(), model.gone.len()), (0, 1));
        assert_eq!(delta_class("+2"), "up");
        assert_eq!(delta_class("-1"), "down");
        assert_eq!(delta_class("0"), "same");
    }
}
