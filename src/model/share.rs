//! Share links in the page: the links the Share dialog offers, and what a page opened with one
//! starts with (pure; the engine's `share` module packs and reads the model).
//!
//! `#model=...` opens the model in the editor (asking before it replaces a model the user has);
//! `#view&model=...` is a shared view for embedding: it opens without asking and never touches
//! the autosaved model.

use crate::model::edit::ItemRef;
use crate::model::state::{
    has_user_work, AppState, LinkedModel, Notice, Replacement, SharedView, LINK_BEFORE,
};
use crate::model::view::ViewAction;
use crate::platform::storage::{Restored, UNREADABLE_KEY};
use clusterplan_engine::document::Document;
use clusterplan_engine::share::{self, LinkParams, STRATEGY_KEY};
use clusterplan_engine::{FailureSet, Strategy};

/// Links longer than this may be cut by chat tools, mail clients and some browsers' address bars.
pub const LONG_LINK: usize = 8_000;

/// An HTML snippet that embeds the shared view `view_link` in a documentation page.
pub fn embed_snippet(view_link: &str) -> String {
    let src = view_link.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        r#"<iframe src="{src}" title="clusterplan model" width="100%" height="640" style="border: 1px solid #ccc"></iframe>"#
    )
}

/// Is this fragment a share link the page must act on (a model, or a shared view)?
pub fn is_share_link(fragment: &str) -> bool {
    let p = share::params(fragment);
    p.model.is_some() || p.view
}

/// Is this address a shared view (`#view&...`: never reads or writes the reader's storage)?
pub fn is_shared_view(fragment: &str) -> bool {
    share::params(fragment).view
}

/// The editor fragment of a shared view's parameters: the same model and (known) strategy, no
/// `view`.
fn editor_fragment(p: &LinkParams, strategy: Strategy) -> String {
    let mut fragment = String::from("#");
    if strategy != Strategy::default() {
        fragment.push_str(&format!("{STRATEGY_KEY}={}&", share::strategy_text(strategy)));
    }
    if let Some(uid) = &p.node {
        fragment.push_str(&share::fragment_param(share::NODE_KEY, uid));
        fragment.push('&');
    }
    let failed = [
        (share::FAIL_KEY, &p.failures.nodes),
        (share::FAIL_ROUTER_KEY, &p.failures.routers),
        (share::FAIL_SUBNET_KEY, &p.failures.subnets),
    ];
    for (key, values) in failed {
        for value in values {
            fragment.push_str(&share::fragment_param(key, value));
            fragment.push('&');
        }
    }
    if let Some(lesson) = &p.lesson {
        fragment.push_str(&share::fragment_param(share::LESSON_KEY, lesson));
        fragment.push_str(&format!("&{}={}&", share::EVENT_KEY, p.event.unwrap_or(0)));
    }
    if let Some(before) = &p.before {
        fragment.push_str(&format!("{}={before}&", share::BEFORE_KEY));
    }
    // The model's payload as the link had it (not decoded and encoded again).
    fragment.push_str(&format!("{}={}", share::MODEL_KEY, p.model.as_deref().unwrap_or_default()));
    fragment
}

/// The link's node to select, when the model has a node with that UID.
fn node_of(doc: &Document, p: &LinkParams) -> Option<String> {
    p.node.clone().filter(|uid| doc.nodes.iter().any(|n| &n.uid == uid))
}

/// The link's failure set, when the model has everything it names; else none, and a note
/// naming what it does not have (a link is hostile input: nothing of a bad set is shown).
fn failures_of(doc: &Document, p: &LinkParams) -> (FailureSet, String) {
    let failures = FailureSet::from(p.failures.clone());
    match failures.check(doc) {
        Ok(()) => (failures, String::new()),
        Err(e) => {
            (FailureSet::default(), format!(" Its failures were not shown: {}", sentence(&e)))
        }
    }
}

/// A design review link's model before the change, and a note when it does not read (the
/// model still opens, without the comparison).
fn before_of(p: &LinkParams) -> (Option<Document>, String) {
    match p.before.as_deref().map(share::decode) {
        None => (None, String::new()),
        Some(Ok(doc)) => (Some(doc), String::new()),
        Some(Err(e)) => {
            (None, format!(" Its model before the change was not opened: {}", sentence(&e)))
        }
    }
}

/// The link's lesson and event (`lesson=ID&event=N`; no event: its start).
fn lesson_of(p: &LinkParams) -> Option<(String, usize)> {
    Some((p.lesson.clone()?, p.event.unwrap_or(0)))
}

/// The view's strategy and shuffle seed set to `strategy`.
fn set_strategy(state: &mut AppState, strategy: Strategy) {
    state.view.apply(ViewAction::SetStrategy(strategy));
}

/// The state a page starts with, from what local storage held (model, strategy) and the page's
/// fragment.
///
/// Without a share link: the autosaved model (or the built-in example) and strategy. A shared
/// view (`#view&...`) shows the link's model alone, with the link's strategy, and never the
/// reader's model (even when the link is broken). An editor link opens at once when the reader
/// has no model of their own (nothing saved, or an example as it comes), and is offered (the
/// "discard?" question) when they have. A link that does not read is refused with the reason.
pub fn start(
    restored: Restored,
    stored_strategy: Option<(Strategy, u64)>,
    fragment: Option<&str>,
) -> AppState {
    let p = fragment.map(share::params).unwrap_or_default();
    let with_stored = |mut state: AppState| {
        if let Some((strategy, seed)) = stored_strategy {
            state.view.apply(ViewAction::SetShuffleSeed(seed));
            set_strategy(&mut state, strategy);
        }
        state
    };
    if p.model.is_none() && !p.view {
        return with_stored(from_storage(restored));
    }
    // The link's strategy, and a note when it names none this planner knows.
    // (A link without one shows rotation, the default, whatever the reader last used.)
    let (strategy, strategy_note) = match p.strategy.as_deref().map(str::parse::<Strategy>) {
        None => (Strategy::default(), String::new()),
        Some(Ok(s)) => (s, String::new()),
        Some(Err(e)) => {
            (Strategy::default(), format!(" Its strategy was not used: {}", sentence(&e)))
        }
    };
    let (before, before_note) = before_of(&p);
    let strategy_note = strategy_note + &before_note;
    let compared = |state: &mut AppState| {
        if let Some(before) = before.clone() {
            state.compare_with(before, LINK_BEFORE.into());
        }
    };
    let doc = p.model.as_deref().map_or(Err(share::ShareError::NoModel), share::decode);
    if p.view {
        let mut state = match doc {
            Ok(doc) => {
                let node = node_of(&doc, &p);
                let (failures, failures_note) = failures_of(&doc, &p);
                let strategy_note = strategy_note + &failures_note;
                let mut state = AppState::new(doc);
                state.view.fail_all(&failures);
                state.set_selection(node.into_iter().map(ItemRef::Node).collect());
                state.shared_view =
                    Some(SharedView::Model { editor: editor_fragment(&p, strategy) });
                compared(&mut state);
                if let Some((id, event)) = lesson_of(&p) {
                    state.open_lesson(&id, event);
                }
                if !strategy_note.is_empty() {
                    state.notice =
                        Some(Notice { error: true, text: strategy_note.trim().to_owned() });
                }
                state
            }
            Err(e) => {
                let mut state = AppState::new(Document::default());
                state.shared_view = Some(SharedView::Broken {
                    reason: format!("This shared view could not be opened: {}", sentence(&e)),
                });
                state
            }
        };
        set_strategy(&mut state, strategy);
        return state;
    }
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => {
            // "Unchanged" only when the reader has a model of their own; a fresh browser (or
            // one whose autosave does not read) is shown the example, and told so.
            let kept = match &restored {
                Restored::Document(_) => "; your model is unchanged",
                Restored::Nothing | Restored::Unreadable(_) => "",
            };
            let mut state = with_stored(from_storage(restored));
            let text = format!("The link's model could not be opened{kept}: {}", sentence(&e));
            state.notice = Some(Notice {
                error: true,
                text: match state.notice.take() {
                    // The autosave's own notice ends "Showing the FIG 24 example.".
                    Some(autosave) => format!("{text} {}", autosave.text),
                    None if kept.is_empty() => format!("{text} {SHOWING_FIG24}"),
                    None => text,
                },
            });
            return state;
        }
    };
    let node = node_of(&doc, &p);
    let (failures, failures_note) = failures_of(&doc, &p);
    let strategy_note = strategy_note + &failures_note;
    let opened = |doc: Document, text: String| {
        let mut state = with_stored(AppState::new(doc));
        set_strategy(&mut state, strategy);
        state.view.fail_all(&failures);
        state.set_selection(node.clone().into_iter().map(ItemRef::Node).collect());
        compared(&mut state);
        if let Some((id, event)) = lesson_of(&p) {
            state.open_lesson(&id, event);
        }
        state.notice =
            Some(Notice { error: !strategy_note.is_empty(), text: text + &strategy_note });
        state
    };
    match restored {
        Restored::Document(mine) if *mine != doc && has_user_work(&mine) => {
            let mut state = with_stored(AppState::new(*mine));
            state.touched = true;
            state.confirm = Some(Replacement::Link(Box::new(LinkedModel {
                document: doc,
                strategy,
                node,
                before,
                lesson: lesson_of(&p),
                failures,
            })));
            if !strategy_note.is_empty() {
                state.notice = Some(Notice { error: true, text: strategy_note.trim().to_owned() });
            }
            state
        }
        Restored::Unreadable(e) => {
            opened(doc, format!("Opened the model from the link. {}", unreadable_autosave(&e)))
        }
        _ => opened(doc, "Opened the model from the link.".to_owned()),
    }
}

/// An error as the end of a sentence: with a full stop unless it ends with its own.
fn sentence(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    if text.ends_with(['.', '?', '!']) {
        text
    } else {
        text + "."
    }
}

/// What happened to an autosaved model that no longer reads (it is kept aside, not lost).
fn unreadable_autosave(e: &impl std::fmt::Display) -> String {
    format!(
        "The autosaved model could not be read ({e}); it is kept in local storage under \"{UNREADABLE_KEY}\"."
    )
}

/// What a page without a model of its own shows instead.
const SHOWING_FIG24: &str = "Showing the FIG 24 example.";

/// The state from local storage alone: the autosaved model, else the FIG 24 example.
pub fn from_storage(restored: Restored) -> AppState {
    match restored {
        Restored::Document(doc) => {
            let touched = has_user_work(&doc);
            let mut state = AppState::new(*doc);
            state.touched = touched;
            state
        }
        Restored::Nothing => AppState::first_visit(),
        Restored::Unreadable(e) => {
            let mut state = AppState::new(crate::model::examples::FIG24.document());
            state.notice = Some(Notice {
                error: true,
                text: format!("{} {SHOWING_FIG24}", unreadable_autosave(&e)),
            });
            state
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::examples;
    use crate::model::layout::with_layout;
    use crate::model::state::Action;
    use clusterplan_engine::document::ReadError;

    const ROTATION: Strategy = Strategy::Rotation;

    fn two_clusters() -> Document {
        examples::by_id("two-clusters").expect("example").document()
    }

    /// The user's own model: FIG 24 with a node renamed (not an example as it comes).
    fn mine() -> Document {
        let mut doc = examples::FIG24.document();
        doc.nodes[0].name = "my node".into();
        doc
    }

    /// A link at `base` to `doc`, as a view or not, with `strategy`.
    fn url(base: &str, doc: &Document, view: bool, strategy: Strategy) -> String {
        share::link(base, doc, &share::LinkOptions { view, strategy, ..Default::default() })
    }

    fn saved(doc: Document) -> Restored {
        Restored::Document(Box::new(doc))
    }

    #[test]
    fn a_link_reads_back_in_the_page_layout_included() {
        let state = AppState::new(two_clusters());
        let url = url("http://127.0.0.1:8080/index.html#old", &state.document, false, ROTATION);
        assert!(url.starts_with("http://127.0.0.1:8080/index.html#model="), "{url}");
        let opened = start(Restored::Nothing, None, Some(&url));
        assert_eq!(opened.document, state.document);
        assert!(opened.confirm.is_none() && opened.shared_view.is_none());
        assert_eq!(opened.notice.unwrap().text, "Opened the model from the link.");
    }

    #[test]
    fn a_link_never_replaces_the_users_model_without_asking() {
        let theirs = AppState::new(two_clusters());
        let url = url("http://h/", &theirs.document, false, ROTATION);
        let state = start(saved(mine()), None, Some(&url));
        assert_eq!(*state.document, with_layout(mine()));
        assert!(matches!(state.confirm, Some(Replacement::Link(..))));
        // "Keep editing" keeps it; "Open the link's model" opens it, and Undo brings it back.
        assert_eq!(state.apply(Action::CancelReplace).document, state.document);
        let opened = state.apply(Action::ConfirmReplace);
        assert_eq!(opened.document, theirs.document);
        assert_eq!(opened.apply(Action::Undo).document, state.document);
        // The same model as the saved one, or a saved example as it comes, is not asked about.
        assert!(start(saved((*theirs.document).clone()), None, Some(&url)).confirm.is_none());
        let example = start(saved(examples::FIG24.document()), None, Some(&url));
        assert!(example.confirm.is_none());
        assert_eq!(example.document, theirs.document);
    }

    #[test]
    fn the_links_strategy_travels_with_it_and_a_link_without_one_shows_rotation() {
        let doc = two_clusters();
        let spread = url("http://h/", &doc, false, Strategy::Spread);
        assert!(spread.starts_with("http://h/#strategy=spread&model="), "{spread}");
        let shuffle = url("http://h/", &doc, true, Strategy::Shuffle { seed: 7 });
        assert!(shuffle.starts_with("http://h/#view&strategy=shuffle:7&model="), "{shuffle}");
        let readers = Some((Strategy::Rendezvous, 3));
        // Opened at once: the link's strategy; without one, rotation (what the sender saw),
        // not the strategy the reader last used; without a link, the reader's.
        assert_eq!(
            start(Restored::Nothing, readers, Some(&spread)).view.strategy,
            Strategy::Spread
        );
        let plain = url("http://h/", &doc, false, ROTATION);
        assert_eq!(start(Restored::Nothing, readers, Some(&plain)).view.strategy, ROTATION);
        assert_eq!(start(saved(mine()), readers, None).view.strategy, Strategy::Rendezvous);
        // Asked first: the reader's until they open the link's model.
        let asked = start(saved(mine()), readers, Some(&spread));
        assert_eq!(asked.view.strategy, Strategy::Rendezvous);
        assert_eq!(asked.apply(Action::ConfirmReplace).view.strategy, Strategy::Spread);
        assert_eq!(asked.apply(Action::CancelReplace).view.strategy, Strategy::Rendezvous);
        // A shared view shows the link's strategy (or rotation), never the reader's.
        let view = start(saved(mine()), readers, Some(&shuffle));
        assert_eq!(view.view.strategy, Strategy::Shuffle { seed: 7 });
        let view_plain = url("http://h/", &doc, true, ROTATION);
        assert_eq!(start(saved(mine()), readers, Some(&view_plain)).view.strategy, ROTATION);
        // A strategy this planner does not know is said, and the model still opens.
        let odd = plain.replace("#model=", "#strategy=fastest&model=");
        let state = start(Restored::Nothing, None, Some(&odd));
        assert_eq!(state.document, AppState::new(doc).document);
        assert!(state.notice.unwrap().text.contains("unknown strategy \"fastest\""));
    }

    #[test]
    fn a_broken_link_is_refused_with_the_reason_and_the_model_kept() {
        let url = url("http://h/", &two_clusters(), false, ROTATION);
        let cut = &url[..url.len() - 40];
        let state = start(saved(mine()), None, Some(cut));
        assert_eq!(*state.document, with_layout(mine()));
        let notice = state.notice.unwrap();
        assert!(notice.error);
        assert_eq!(
            notice.text,
            "The link's model could not be opened; your model is unchanged: the link is damaged: its model stops in the middle; was it cut short when copied?"
        );
        // A fresh browser has no model to keep: it is told what it is shown instead.
        let fresh = start(Restored::Nothing, None, Some(cut));
        assert_eq!(fresh.document, AppState::first_visit().document);
        assert_eq!(
            fresh.notice.unwrap().text,
            "The link's model could not be opened: the link is damaged: its model stops in the middle; was it cut short when copied? Showing the FIG 24 example."
        );
        // An autosave that does not read is still reported (not replaced by the link's reason).
        let unreadable = clusterplan_engine::document::read("{").unwrap_err();
        let text = start(Restored::Unreadable(unreadable), None, Some(cut)).notice.unwrap().text;
        assert!(!text.contains("unchanged"), "{text}");
        assert!(
            text.starts_with("The link's model could not be opened: the link is damaged"),
            "{text}"
        );
        assert!(
            text.contains(UNREADABLE_KEY) && text.ends_with("Showing the FIG 24 example."),
            "{text}"
        );
        // A fragment that is not a share link is not acted on.
        let plain = start(Restored::Nothing, None, Some("#section-2"));
        assert!(plain.notice.is_none() && plain.hint);
    }

    #[test]
    fn a_shared_view_opens_alone_and_a_broken_one_never_shows_the_readers_model() {
        let theirs = AppState::new(two_clusters());
        let url = url("http://h/", &theirs.document, true, Strategy::Spread);
        assert!(url.starts_with("http://h/#view&strategy=spread&model="));
        let state = start(saved(mine()), None, Some(&url));
        assert_eq!(state.document, theirs.document);
        assert!(state.confirm.is_none());
        let Some(SharedView::Model { editor }) = state.shared_view else {
            panic!("a shared view of the model")
        };
        let params = share::params(&editor);
        assert!(!params.view && params.strategy.as_deref() == Some("spread"), "{editor}");
        assert_eq!(share::read_link(&editor).unwrap(), share::read_link(&url).unwrap());
        assert!(embed_snippet(&url).contains("#view&amp;strategy=spread&amp;model="));
        // Broken, or with no model at all: still a shared view (nothing saved), empty, and said.
        for broken in [&url[..url.len() - 40], "http://h/#view", "http://h/#view%26model%3D"] {
            let state = start(saved(mine()), None, Some(broken));
            assert!(state.document.nodes.is_empty(), "{broken}");
            let Some(SharedView::Broken { reason }) = state.shared_view else {
                panic!("{broken}: a broken shared view")
            };
            assert!(
                reason.starts_with("This shared view could not be opened: the link"),
                "{reason}"
            );
        }
    }

    #[test]
    fn the_links_node_is_selected_when_the_model_has_it() {
        let doc = examples::FIG24.document();
        let with = |node: &str, view: bool| {
            let options =
                share::LinkOptions { view, node: Some(node.into()), ..Default::default() };
            share::link("http://h/", &doc, &options)
        };
        // Opened at once, as a shared view, and after the question.
        assert_eq!(
            start(Restored::Nothing, None, Some(&with("n5", false))).selected_node.as_deref(),
            Some("n5")
        );
        let view = start(saved(mine()), None, Some(&with("n5", true)));
        assert_eq!(view.selected_node.as_deref(), Some("n5"));
        let Some(SharedView::Model { editor }) = &view.shared_view else { panic!("a view") };
        assert_eq!(share::params(editor).node.as_deref(), Some("n5"));
        let asked = start(saved(mine()), None, Some(&with("n5", false)));
        assert_eq!(asked.selected_node, None);
        assert_eq!(asked.apply(Action::ConfirmReplace).selected_node.as_deref(), Some("n5"));
        // A UID the model does not have selects nothing.
        assert_eq!(start(Restored::Nothing, None, Some(&with("n99", false))).selected_node, None);
    }

    #[test]
    fn a_review_link_opens_the_model_compared_with_the_one_before_the_change() {
        let (before, after) = (examples::FIG24.document(), examples::FIG24_EXTRA.document());
        let options = share::LinkOptions { before: Some(before.clone()), ..Default::default() };
        let link = share::link("http://h/", &after, &options);
        // Opened at once (no model of the reader's): comparing, on the Review tab.
        let state = start(Restored::Nothing, None, Some(&link));
        assert_eq!(state.document.nodes.len(), after.nodes.len());
        let compare = state.compare.as_ref().expect("comparing");
        assert_eq!((*compare.other).clone(), with_layout(before.clone()));
        assert_eq!(compare.source, LINK_BEFORE);
        assert_eq!(state.view.tab, crate::model::view::Tab::Review);
        // After the question, and as a shared view (whose editor link keeps the before model).
        let asked = start(saved(mine()), None, Some(&link));
        assert!(asked.compare.is_none());
        assert!(asked.apply(Action::ConfirmReplace).compare.is_some());
        let view_link =
            share::link("http://h/", &after, &share::LinkOptions { view: true, ..options });
        let view = start(saved(mine()), None, Some(&view_link));
        assert!(view.compare.is_some());
        let Some(SharedView::Model { editor }) = &view.shared_view else { panic!("a view") };
        assert_eq!(share::read_before(editor).unwrap().unwrap(), before);
        // A damaged before model: the model opens alone, and the reader is told.
        let damaged = link.replacen("#before=", "#before=*", 1);
        let state = start(Restored::Nothing, None, Some(&damaged));
        assert!(state.compare.is_none());
        let notice = state.notice.unwrap();
        assert!(
            notice.error && notice.text.contains("Its model before the change was not opened"),
            "{}",
            notice.text
        );
    }

    #[test]
    fn an_unreadable_autosave_is_reported_when_a_link_opens() {
        let err = clusterplan_engine::document::read("{").unwrap_err();
        assert!(matches!(err, ReadError::NotJson(_)));
        let url = url("http://h/", &two_clusters(), false, ROTATION);
        let state = start(Restored::Unreadable(err), None, Some(&url));
        assert!(state.notice.unwrap().text.contains(UNREADABLE_KEY));
        assert!(state.confirm.is_none());
    }

    #[test]
    fn failed_routers_subnets_and_servers_travel_in_links_and_shared_views() {
        let doc = examples::FIG24.document();
        let failures = FailureSet {
            nodes: vec!["n9".into()],
            routers: vec!["r1".into()],
            subnets: vec!["10.0.2.0/24".into()],
        };
        let options =
            share::LinkOptions { failures: failures.clone().into(), ..Default::default() };
        for view in [false, true] {
            let link =
                share::link("http://h/", &doc, &share::LinkOptions { view, ..options.clone() });
            let state = start(Restored::Nothing, None, Some(&link));
            assert_eq!(state.view.failure_set(), failures, "view: {view}");
            assert!(!state.notice.as_ref().is_some_and(|n| n.error), "{:?}", state.notice);
            if view {
                // The shared view's "open in the editor" link keeps them.
                let Some(SharedView::Model { editor }) = &state.shared_view else { panic!() };
                assert_eq!(FailureSet::from(share::params(editor).failures), failures);
            }
        }
        // A reader with a model of their own: asked first, then the failures are shown.
        let link = share::link("http://h/", &doc, &options);
        let asked = start(saved(mine()), None, Some(&link));
        assert!(!asked.view.any_failed(), "nothing shown before the answer");
        assert_eq!(asked.apply(Action::ConfirmReplace).view.failure_set(), failures);
        // Names the model does not have: none of the set is shown, and the notice says why.
        for hostile in ["fail-router=r1&fail-router=nope", "fail-subnet=10.9.0.0%2F24", "fail=%00"]
        {
            let link = format!("http://h/#view&{hostile}&model={}", share::encode(&doc));
            let state = start(Restored::Nothing, None, Some(&link));
            assert!(!state.view.any_failed(), "{hostile}");
            let notice = state.notice.expect("a notice");
            assert!(
                notice.error && notice.text.contains("Its failures were not shown: there is no"),
                "{}",
                notice.text
            );
        }
    }

    #[test]
    fn a_lesson_link_opens_the_simulate_tab_at_its_event_in_the_editor_and_the_view() {
        use crate::model::view::Tab;
        let lessons_model = examples::by_id("lifecycle").unwrap().document();
        for view in [false, true] {
            let options = share::LinkOptions {
                view,
                lesson: Some(("fig13-define-fails-step-9".into(), 12)),
                ..Default::default()
            };
            let link = share::link("http://h/", &lessons_model, &options);
            let state = start(Restored::Nothing, None, Some(&link));
            assert_eq!(state.view.tab, Tab::Simulate);
            assert_eq!(state.view.simulate.lesson.as_deref(), Some("fig13-define-fails-step-9"));
            assert_eq!(state.view.simulate.position, 12);
            if let Some(SharedView::Model { editor }) = &state.shared_view {
                let p = share::params(editor);
                assert_eq!(
                    (p.lesson.as_deref(), p.event),
                    (Some("fig13-define-fails-step-9"), Some(12))
                );
            } else {
                assert!(!view);
            }
        }
        // A reader with a model of their own: asked first, then the lesson opens at its event.
        let options = share::LinkOptions {
            lesson: Some(("fig13-define-fails-step-9".into(), 12)),
            ..Default::default()
        };
        let asked =
            start(saved(mine()), None, Some(&share::link("http://h/", &lessons_model, &options)));
        assert_eq!(asked.view.tab, Tab::Node, "nothing opened before the answer");
        let opened = asked.apply(Action::ConfirmReplace);
        assert_eq!((opened.view.tab, opened.view.simulate.position), (Tab::Simulate, 12));
        // A lesson this planner does not ship is not opened (the model still is).
        let options =
            share::LinkOptions { lesson: Some(("fig99-nope".into(), 3)), ..Default::default() };
        let state = start(
            Restored::Nothing,
            None,
            Some(&share::link("http://h/", &lessons_model, &options)),
        );
        assert_eq!((state.view.tab, state.view.simulate.lesson.clone()), (Tab::Node, None));
    }
}
