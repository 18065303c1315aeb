//! Reading a file the reader chose (`<input type=file>`): refused before reading when it is
//! larger than the engine reads, else its name and text.

use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The reason a file is refused before reading it (too large), if it is.
pub fn refuse_by_size(size: f64) -> Option<String> {
    use clusterplan_engine::limits::{check_size, Limit};
    check_size("the file", Limit::DocumentBytes, size as usize).err().map(|e| e.to_string())
}

/// The pending read of a chosen file (dropping it would cancel the read).
pub type PendingRead = std::rc::Rc<std::cell::RefCell<Option<FileReader>>>;

/// The `onchange` of a file input: reads the chosen file as text into `done` (its name and
/// text), or gives `refused` the reason (a file too large is refused before it is read).
pub fn read_chosen_file(
    reader: PendingRead,
    done: Callback<(String, String)>,
    refused: Callback<String>,
) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        if let Some(reason) = refuse_by_size(file.size()) {
            refused.emit(reason);
            return;
        }
        let (done, refused, name) = (done.clone(), refused.clone(), file.name());
        let file = gloo::file::File::from(file);
        *reader.borrow_mut() =
            Some(gloo::file::callbacks::read_as_text(&file, move |result| match result {
                Ok(text) => done.emit((name.clone(), text)),
                Err(e) => refused.emit(format!("the file could not be read: {e}")),
            }));
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_over_the_limit_are_refused_by_size() {
        let limit = clusterplan_engine::limits::MAX_DOCUMENT_BYTES as f64;
        assert!(super::refuse_by_size(limit).is_none());
        assert_eq!(
            super::refuse_by_size(2.0 * limit).unwrap(),
            "the file is 32 MB, more than the 16 MB allowed"
        );
    }
}
