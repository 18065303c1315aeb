//! Autosave: the model in the browser's local storage, written on every edit (by an effect in
//! the app) and read once when the app starts.

use clusterplan_engine::document::{self, ReadError};
use clusterplan_engine::Document;

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
        "this page may not use local storage: the model is not autosaved, export it to keep it",
    )?;
    storage.set_item(KEY, &text).map_err(|e| {
        format!(
            "autosave failed, export the model to keep it: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
