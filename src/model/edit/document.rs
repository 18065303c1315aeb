//! Edits of the document's own fields: its description and its saved scenario.

use super::{EditAction, EditError, Work, DESCRIPTION, SCENARIO};

/// Applies one document edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, .. } = work;
    match edit {
        EditAction::SetDescription(text) => {
            let text = text.trim();
            if text.is_empty() {
                d.extra.shift_remove(DESCRIPTION);
            } else {
                d.extra.insert(DESCRIPTION.to_owned(), serde_json::Value::String(text.to_owned()));
            }
        }
        EditAction::SetScenario(scenario) => match scenario {
            Some(scenario) => {
                let value = serde_json::to_value(scenario.as_ref())
                    .map_err(|e| EditError(format!("the scenario cannot be saved: {e}")))?;
                d.extra.insert(SCENARIO.to_owned(), value);
            }
            None => {
                d.extra.shift_remove(SCENARIO);
            }
        },
        _ => unreachable!("edit::apply sends only document edits here"),
    }
    Ok(())
}
