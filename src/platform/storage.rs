//! Autosave: the model in the browser's IndexedDB with its history (`idb.rs`, `versions.rs`),
//! written after each change (by an effect in the app) and read once when the app starts; an
//! autosave an earlier version left in local storage is moved there on first run, and local
//! storage is the fallback where IndexedDB is unavailable. Edits made in two tabs are merged
//! by `merge.rs`. Beside the model, in local storage, the results' strategy and shuffle seed
//! (part of the view, never of the document), so a reload shows the same lists. Also the name
//! an exported file is saved under.

use super::browser::browser_error_text;
use clusterplan_engine::document::{self, ReadError};
use clusterplan_engine::{Document, Strategy};

/// The storage key of the autosaved model.
pub const KEY: &str = "clusterplan.document";
/// Where an autosaved text that no longer reads is kept (never silently lost).
pub const UNREADABLE_KEY: &str = "clusterplan.document.unreadable";

/// What was found in storage at start.
#[derive(Debug)]
pub enum Restored {
    /// Nothing saved yet.
    Nothing,
    Document(Box<Document>),
    /// A saved text that does not read (kept under [`UNREADABLE_KEY`]), and why.
    Unreadable(ReadError),
}

/// Decodes an autosaved text (pure).
pub fn decode(text: Option<String>) -> Result<Option<Document>, (String, ReadError)> {
    match text {
        None => Ok(None),
        Some(text) => match document::read(&text) {
            Ok(doc) => Ok(Some(doc)),
            Err(e) => Err((text, e)),
        },
    }
}

/// The browser's local storage; `None` where the page may not use it (storage disabled).
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the autosaved model.
pub fn load() -> Restored {
    let text = local_storage().and_then(|s| s.get_item(KEY).ok().flatten());
    match decode(text) {
        Ok(None) => Restored::Nothing,
        Ok(Some(doc)) => Restored::Document(Box::new(doc)),
        Err((text, e)) => {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(UNREADABLE_KEY, &text);
            }
            Restored::Unreadable(e)
        }
    }
}

/// What the page starts from: the saved model, the version it is (its id and model: what the
/// tab's edits are based on), and why IndexedDB cannot be used, if it cannot.
#[derive(Debug)]
pub struct Loaded {
    pub restored: Restored,
    pub version: Option<(u32, Document)>,
    pub unavailable: Option<String>,
}

/// Reads the saved model at start: the newest version in IndexedDB; on first run, the autosave
/// an earlier version of the page left in local storage, moved into IndexedDB (and removed from
/// local storage once saved there). Where IndexedDB is unavailable: local storage.
pub async fn load_saved() -> Loaded {
    match super::idb::latest().await {
        Ok(Some((id, text))) => match decode(Some(text)) {
            Ok(Some(doc)) => Loaded {
                restored: Restored::Document(Box::new(doc.clone())),
                version: Some((id, doc)),
                unavailable: None,
            },
            Ok(None) => Loaded { restored: Restored::Nothing, version: None, unavailable: None },
            Err((text, e)) => {
                // Kept in its version too; the next save goes on top of it.
                if let Some(storage) = local_storage() {
                    let _ = storage.set_item(UNREADABLE_KEY, &text);
                }
                Loaded {
                    restored: Restored::Unreadable(e),
                    version: Some((id, Document::default())),
                    unavailable: None,
                }
            }
        },
        Ok(None) => {
            let restored = load();
            let mut version = None;
            if let Restored::Document(doc) = &restored {
                let text = serde_json::to_string(doc).unwrap_or_default();
                if let Ok(super::idb::Saved::As(id)) =
                    super::idb::save(&text, node_count(doc), None).await
                {
                    if let Some(storage) = local_storage() {
                        let _ = storage.remove_item(KEY);
                    }
                    version = Some((id, (**doc).clone()));
                }
            }
            Loaded { restored, version, unavailable: None }
        }
        Err(e) => Loaded { restored: load(), version: None, unavailable: Some(e) },
    }
}

/// A model's node count, as a version records it.
pub fn node_count(doc: &Document) -> u32 {
    u32::try_from(doc.nodes.len()).unwrap_or(u32::MAX)
}

/// Writes the model to local storage (where IndexedDB is unavailable); the error says why it
/// could not be saved (a full storage).
pub fn save(doc: &Document) -> Result<(), String> {
    let text = serde_json::to_string(doc).map_err(|e| e.to_string())?;
    let storage = local_storage().ok_or(
        "This page may not use local storage: the model is not autosaved; export it to keep it.",
    )?;
    storage.set_item(KEY, &text).map_err(|e| {
        format!("Autosave failed, export the model to keep it: {}", browser_error_text(&e))
    })
}

/// The storage key of the results' strategy and shuffle seed.
pub const STRATEGY_KEY: &str = "clusterplan.strategy";

/// The strategy and seed as stored: `{"strategy": {"name": "shuffle", "seed": 7}, "seed": 7}`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct StoredStrategy {
    strategy: Strategy,
    seed: u64,
}

/// The stored text for a strategy and the view's shuffle seed (pure).
pub fn encode_strategy(strategy: Strategy, seed: u64) -> String {
    serde_json::to_string(&StoredStrategy { strategy, seed }).unwrap_or_default()
}

/// The strategy and seed of a stored text; `None` for anything else (ignored).
pub fn decode_strategy(text: &str) -> Option<(Strategy, u64)> {
    serde_json::from_str::<StoredStrategy>(text).ok().map(|s| (s.strategy, s.seed))
}

/// Reads the stored strategy and seed (`None` when there is none or it does not read).
pub fn load_strategy() -> Option<(Strategy, u64)> {
    let text = local_storage()?.get_item(STRATEGY_KEY).ok().flatten()?;
    decode_strategy(&text)
}

/// Stores the strategy and seed (silently skipped where storage is unavailable: the model's
/// autosave already says so).
pub fn save_strategy(strategy: Strategy, seed: u64) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(STRATEGY_KEY, &encode_strategy(strategy, seed));
    }
}

/// The name an exported model is saved under when nothing names it.
pub const EXPORT_FALLBACK: &str = "cluster-plan.json";

/// Longest slug an export's file name is made of (before `.json`).
const SLUG_MAX: usize = 48;

/// The name an exported file gets, after the model: its `name` field (an extension, if a
/// string), else its clusters' names, else the first words of its `description`; slugged to
/// lowercase ASCII letters, digits and `-` (safe on every system), at most [`SLUG_MAX`]
/// characters, cut between words. [`EXPORT_FALLBACK`] when none of these gives a slug.
pub fn export_file_name(doc: &Document) -> String {
    let text_field = |key: &str| doc.extra.get(key).and_then(serde_json::Value::as_str);
    let clusters: Vec<&str> = doc.clusters.iter().map(|c| c.name.as_str()).collect();
    let candidates = [
        text_field("name").map(str::to_owned),
        Some(clusters.join(" ")),
        text_field("description").map(str::to_owned),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|text| slug(&text))
        .find(|slug| !slug.is_empty())
        .map_or_else(|| EXPORT_FALLBACK.to_owned(), |slug| format!("{slug}.json"))
}

/// `FIG 24 cluster` as `fig-24-cluster`: ASCII letters and digits, lowercased, every other run
/// of characters one `-`; cut to [`SLUG_MAX`] at a `-` when longer.
fn slug(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut out = String::new();
    for word in words {
        let extra = if out.is_empty() { word.len() } else { word.len() + 1 };
        if out.len() + extra > SLUG_MAX {
            if out.is_empty() {
                out = word[..SLUG_MAX].to_owned();
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    out
}

/// The local storage key of the reader's choice of theme.
pub const THEME_KEY: &str = "clusterplan.theme";

/// The reader's stored choice of theme, by its name (`None` when none or unreadable).
pub fn load_theme() -> Option<String> {
    use gloo::storage::Storage;
    gloo::storage::LocalStorage::raw().get_item(THEME_KEY).ok().flatten()
}

/// Remembers the reader's choice of theme, by its name (a failing storage only forgets it).
pub fn save_theme(name: &str) {
    use gloo::storage::Storage;
    let _ = gloo::storage::LocalStorage::raw().set_item(THEME_KEY, name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use clusterplan_engine::document::Cluster;

    #[test]
    fn an_export_is_named_after_the_model() {
        let cluster =
            |name: &str| Cluster { id: "A".into(), name: name.into(), ..Cluster::default() };
        let mut doc = Document { clusters: vec![cluster("FIG 24 cluster")], ..Document::default() };
        assert_eq!(export_file_name(&doc), "fig-24-cluster.json");
        doc.clusters.push(cluster("Batch/../../etc"));
        assert_eq!(export_file_name(&doc), "fig-24-cluster-batch-etc.json");
        // Its own name first; a name with nothing safe in it is passed over.
        doc.extra.insert("name".into(), "Design review: Q3 (draft)".into());
        assert_eq!(export_file_name(&doc), "design-review-q3-draft.json");
        doc.extra.insert("name".into(), "日本".into());
        assert_eq!(export_file_name(&doc), "fig-24-cluster-batch-etc.json");
        // Clusters without names: the description's first words, cut between words.
        doc.clusters.iter_mut().for_each(|c| c.name.clear());
        doc.extra.insert(
            "description".into(),
            "The source's FIG 22 priority example: networks A, B and C with three servers".into(),
        );
        assert_eq!(export_file_name(&doc), "the-source-s-fig-22-priority-example-networks-a.json");
        // Nothing to name it after.
        assert_eq!(export_file_name(&Document::default()), EXPORT_FALLBACK);
        assert_eq!(slug(&"x".repeat(60)).len(), SLUG_MAX);
    }

    #[test]
    fn the_strategy_and_seed_round_trip_and_bad_values_are_ignored() {
        for s in Strategy::all(42) {
            assert_eq!(decode_strategy(&encode_strategy(s, 42)), Some((s, 42)));
        }
        assert_eq!(
            decode_strategy(&encode_strategy(Strategy::Spread, 9)),
            Some((Strategy::Spread, 9))
        );
        for bad in [
            "",
            "{",
            "null",
            "\"shuffle\"",
            r#"{"strategy": {"name": "fastest"}, "seed": 1}"#,
            r#"{"strategy": {"name": "spread"}, "seed": -1}"#,
        ] {
            assert_eq!(decode_strategy(bad), None, "{bad}");
        }
    }

    #[test]
    fn decode_reads_saved_models_and_keeps_unreadable_text() {
        assert!(matches!(decode(None), Ok(None)));
        let doc = crate::model::examples::FIG24.document();
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(decode(Some(text)).unwrap(), Some(doc));
        let (text, e) = decode(Some("{broken".into())).unwrap_err();
        assert_eq!(text, "{broken");
        assert!(e.to_string().starts_with("not JSON"));
    }
}
