//! Autosave: the model in the browser's local storage, written on every edit (by an effect in
//! the app) and read once when the app starts; beside it, the results' strategy and shuffle
//! seed (part of the view, never of the document), so a reload shows the same lists.

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

/// Writes the model; the error says why it could not be saved (a full storage).
pub fn save(doc: &Document) -> Result<(), String> {
    let text = serde_json::to_string(doc).map_err(|e| e.to_string())?;
    let storage = local_storage().ok_or(
        "This page may not use local storage: the model is not autosaved; export it to keep it.",
    )?;
    storage.set_item(KEY, &text).map_err(|e| {
        format!("Autosave failed, export the model to keep it: {}", browser_error_text(&e))
    })
}

/// A browser exception in a sentence: its name and message, never a stack trace.
pub fn browser_error_text(e: &wasm_bindgen::JsValue) -> String {
    if let Some(text) = e.as_string() {
        return text;
    }
    let field = |key: &str| {
        js_sys::Reflect::get(e, &wasm_bindgen::JsValue::from_str(key)).ok()?.as_string()
    };
    match (field("name"), field("message")) {
        (Some(name), _) if name == "QuotaExceededError" => {
            "the browser's storage for this site is full".to_owned()
        }
        (Some(name), Some(message)) if !message.is_empty() => format!("{message} ({name})"),
        (Some(name), _) => name,
        (None, Some(message)) => message,
        (None, None) => "the browser refused".to_owned(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let doc = crate::examples::FIG24.document();
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(decode(Some(text)).unwrap(), Some(doc));
        let (text, e) = decode(Some("{broken".into())).unwrap_err();
        assert_eq!(text, "{broken");
        assert!(e.to_string().starts_with("not JSON"));
    }
}
