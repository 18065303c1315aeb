//! Where a key went on the page (the DOM around a key event): to the page or the canvas, to a
//! form control, or while a modal dialog is open; what the key then means is the model's
//! [`crate::model::shortcuts`].

use crate::model::shortcuts::key_belongs_to_control;

/// Whether the key went to the page itself, the canvas or the Simulate tab's event list (arrow
/// keys then move the selection or step; elsewhere, in a scrolling panel, they scroll).
pub fn on_page_or_canvas(e: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return true;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    tag == "body"
        || tag == "html"
        || target.closest("[data-testid=canvas]").ok().flatten().is_some()
        // The Simulate tab's event list (focusable, so its scrolling is reachable by keyboard):
        // the arrows step through the events there too.
        || target.closest(".sim-events").ok().flatten().is_some()
}

/// A key the page's shortcuts must leave alone: typed in a form control, or pressed while a
/// modal dialog is open (only Escape, which closes it, gets through).
pub fn not_for_shortcuts(e: &web_sys::KeyboardEvent) -> bool {
    (modal_open() && e.key() != "Escape") || typing_in_a_field(e)
}

/// Is a modal dialog open? Every dialog of the page is an `.overlay` with `aria-modal`
/// (`toolbar::dialogs`): asked of the class's collection, which the browser keeps, instead of
/// an attribute selector matched against every element of a large drawing on each key.
fn modal_open() -> bool {
    let overlays = gloo::utils::document().get_elements_by_class_name("overlay");
    (0..overlays.length())
        .filter_map(|i| overlays.item(i))
        .any(|o| o.get_attribute("aria-modal").as_deref() == Some("true"))
}

/// Whether the key went to a form control or editable text (then it is the control's, not a
/// shortcut), except Escape. The focused element is asked too: a key can reach the document
/// with the page as its target while a control still has the focus.
pub fn typing_in_a_field(e: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let key = e.key();
    let owned = |el: Option<web_sys::Element>| {
        el.is_some_and(|el| {
            let editable = el
                .dyn_ref::<web_sys::HtmlElement>()
                .is_some_and(web_sys::HtmlElement::is_content_editable);
            key_belongs_to_control(&el.tag_name(), editable, &key)
        })
    };
    owned(e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()))
        || owned(gloo::utils::document().active_element())
}
