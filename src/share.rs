//! Share links in the page: the links the Share dialog offers, and what a page opened with one
//! starts with (pure; the engine's `share` module packs and reads the model).
//!
//! `#model=...` opens the model in the editor (asking before it replaces a model the user has);
//! `#view&model=...` is a shared view for embedding: it opens without asking and never touches
//! the autosaved model.

use crate::state::{AppState, Notice, Replacement};
use crate::storage::{Restored, UNREADABLE_KEY};
use clusterplan_engine::document::Document;
use clusterplan_engine::share;

/// The fragment parameter that makes a link a shared view.
pub const VIEW_KEY: &str = "view";

/// Links longer than this may be cut by chat tools, mail clients and some browsers' address bars.
pub const LONG_LINK: usize = 8_000;

/// The link to `doc` from the page at `page` (its address; its fragment is dropped), as an
/// editor link or a shared view.
pub fn link(page: &str, doc: &Document, view: bool) -> String {
    let base = page.split_once('#').map_or(page, |(b, _)| b);
    let view = if view { format!("{VIEW_KEY}&") } else { String::new() };
    format!("{base}#{view}{}", share::fragment(doc))
}

/// An HTML snippet that embeds the shared view `view_link` in a documentation page.
pub fn embed_snippet(view_link: &str) -> String {
    let src = view_link.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        r#"<iframe src="{src}" title="clusterplan model" width="100%" height="640" style="border: 1px solid #ccc"></iframe>"#
    )
}

/// Does the page's fragment carry a model?
pub fn has_model(fragment: &str) -> bool {
    share::payload_in(fragment).is_some()
}

/// Is the fragment a shared view (`#view&model=...`)?
pub fn is_view(fragment: &str) -> bool {
    let fragment = fragment.trim();
    let fragment = fragment.split_once('#').map_or(fragment, |(_, f)| f);
    fragment.split('&').any(|p| p == VIEW_KEY)
}

/// The editor fragment (`#model=...`) of a shared view's fragment or link: the same model,
/// without `view`.
pub fn editor_fragment(fragment: &str) -> String {
    let fragment = fragment.trim();
    let fragment = fragment.split_once('#').map_or(fragment, |(_, f)| f);
    let kept: Vec<&str> = fragment.split('&').filter(|p| *p != VIEW_KEY).collect();
    format!("#{}", kept.join("&"))
}

/// The state a page starts with, from what local storage held and the page's fragment.
///
/// Without a model in the fragment: the autosaved model (or the built-in example). With one: a
/// shared view shows it alone; otherwise it opens at once when the user has no model saved, and
/// is offered (the "discard?" question) when they have. A link that does not read is refused
/// with the reason, and the user's model shown as it was.
pub fn start(restored: Restored, fragment: Option<&str>) -> AppState {
    let Some(fragment) = fragment.filter(|f| has_model(f)) else {
        return from_storage(restored);
    };
    let doc = match share::read_link(fragment) {
        Ok(doc) => doc,
        Err(e) => {
            let mut state = from_storage(restored);
            state.notice = Some(Notice {
                error: true,
                text: format!("The link's model could not be opened; your model is unchanged: {e}"),
            });
            return state;
        }
    };
    if is_view(fragment) {
        let mut state = AppState::new(doc);
        state.shared_view = Some(editor_fragment(fragment));
        return state;
    }
    match restored {
        Restored::Document(mine) if *mine != doc => {
            let mut state = AppState::new(*mine);
            state.confirm = Some(Replacement::Link(Box::new(doc)));
            state
        }
        Restored::Unreadable(e) => {
            let mut state = AppState::new(doc);
            state.notice = Some(Notice {
                error: true,
                text: format!(
                    "Opened the model from the link. The autosaved model could not be read ({e}); it is kept in local storage under \"{UNREADABLE_KEY}\"."
                ),
            });
            state
        }
        _ => {
            let mut state = AppState::new(doc);
            state.notice =
                Some(Notice { error: false, text: "Opened the model from the link.".into() });
            state
        }
    }
}

/// The state from local storage alone: the autosaved model, else the FIG 24 example.
pub fn from_storage(restored: Restored) -> AppState {
    match restored {
        Restored::Document(doc) => AppState::new(*doc),
        Restored::Nothing => AppState::first_visit(),
        Restored::Unreadable(e) => {
            let mut state = AppState::new(crate::examples::FIG24.document());
            state.notice = Some(Notice {
                error: true,
                text: format!(
                    "The autosaved model could not be read ({e}); it is kept in local storage under \"{UNREADABLE_KEY}\". Showing the FIG 24 example."
                ),
            });
            state
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::state::Action;
    use clusterplan_engine::document::ReadError;

    fn two_clusters() -> Document {
        examples::by_id("two-clusters").expect("example").document()
    }

    fn saved(doc: Document) -> Restored {
        Restored::Document(Box::new(doc))
    }

    #[test]
    fn a_link_reads_back_in_the_page_layout_included() {
        let state = AppState::new(two_clusters());
        let url = link("http://127.0.0.1:8080/index.html#old", &state.document, false);
        assert!(url.starts_with("http://127.0.0.1:8080/index.html#model="), "{url}");
        let opened = start(Restored::Nothing, Some(&url));
        assert_eq!(opened.document, state.document);
        assert!(opened.confirm.is_none() && opened.shared_view.is_none());
        assert_eq!(opened.notice.unwrap().text, "Opened the model from the link.");
    }

    #[test]
    fn a_link_never_replaces_the_users_model_without_asking() {
        let mine = examples::FIG24.document();
        let theirs = AppState::new(two_clusters());
        let url = link("http://h/", &theirs.document, false);
        let state = start(saved(mine.clone()), Some(&url));
        assert_eq!(*state.document, crate::state::with_layout(mine.clone()));
        assert!(matches!(state.confirm, Some(Replacement::Link(_))));
        // "Keep editing" keeps it; "Discard and continue" opens the link, and Undo brings it back.
        assert_eq!(state.apply(Action::CancelReplace).document, state.document);
        let opened = state.apply(Action::ConfirmReplace);
        assert_eq!(opened.document, theirs.document);
        assert_eq!(opened.apply(Action::Undo).document, state.document);
        // The same model as the saved one opens without a question.
        let same = start(saved((*theirs.document).clone()), Some(&url));
        assert!(same.confirm.is_none());
    }

    #[test]
    fn a_broken_link_is_refused_with_the_reason_and_the_model_kept() {
        let mine = examples::FIG24.document();
        let url = link("http://h/", &two_clusters(), false);
        let cut = &url[..url.len() - 40];
        let state = start(saved(mine.clone()), Some(cut));
        assert_eq!(*state.document, crate::state::with_layout(mine));
        let notice = state.notice.unwrap();
        assert!(notice.error);
        assert!(notice.text.starts_with("The link's model could not be opened; your model is unchanged: the link is damaged"), "{}", notice.text);
        // A fragment without a model is not a share link at all.
        let plain = start(Restored::Nothing, Some("#section-2"));
        assert!(plain.notice.is_none() && plain.hint);
    }

    #[test]
    fn a_shared_view_opens_alone_and_links_to_the_editor() {
        let theirs = AppState::new(two_clusters());
        let url = link("http://h/", &theirs.document, true);
        assert!(url.starts_with("http://h/#view&model="));
        let state = start(saved(examples::FIG24.document()), Some(&url));
        assert_eq!(state.document, theirs.document);
        assert!(state.confirm.is_none());
        let editor = state.shared_view.expect("a shared view");
        assert!(editor.starts_with("#model=") && !is_view(&editor), "{editor}");
        assert!(embed_snippet(&url).contains("#view&amp;model="));
    }

    #[test]
    fn an_unreadable_autosave_is_reported_when_a_link_opens() {
        let err = clusterplan_engine::document::read("{").unwrap_err();
        assert!(matches!(err, ReadError::NotJson(_)));
        let url = link("http://h/", &two_clusters(), false);
        let state = start(Restored::Unreadable(err), Some(&url));
        assert!(state.notice.unwrap().text.contains(UNREADABLE_KEY));
        assert!(state.confirm.is_none());
    }
}
