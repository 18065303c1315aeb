//! The `<cluster-plan>` element's WASM (`docs/embed.md`): `mount` renders the app's read-only
//! [`Embed`] view of one model into an element (the custom element's shadow root), and the
//! returned handle unmounts it. The element itself is `embed/cluster-plan.js`.

use clusterplan::ui::embed::{Embed, EmbedOptions, EmbedProps};
use clusterplan_engine::document;
use std::fmt;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::AppHandle;

/// A mounted view; `destroy()` unmounts it.
#[wasm_bindgen]
pub struct Mounted(AppHandle<Embed>);

impl fmt::Debug for Mounted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mounted")
    }
}

#[wasm_bindgen]
impl Mounted {
    /// Unmounts the view (the element was removed or its model changed).
    pub fn destroy(self) {
        self.0.destroy();
    }
}

/// Renders `model` (a `cluster-planner/1` document's text) into `root` with the element's
/// attributes (an object of `view`, `node`, `service`, `strategy`, `lesson`, `event`, each a
/// string or absent); refuses with the reason (a broken model, a wrong attribute), naming it.
#[wasm_bindgen]
pub fn mount(
    root: web_sys::Element,
    model: &str,
    attributes: &js_sys::Object,
) -> Result<Mounted, JsError> {
    let attr = |name: &str| {
        js_sys::Reflect::get(attributes, &JsValue::from_str(name)).ok().and_then(|v| v.as_string())
    };
    let document =
        document::read(model).map_err(|e| JsError::new(&format!("cannot read the model: {e}")))?;
    let options = EmbedOptions::read(
        attr("view").as_deref(),
        attr("node").as_deref(),
        attr("service").as_deref(),
        attr("strategy").as_deref(),
    )
    .and_then(|o| o.with_lesson(attr("lesson").as_deref(), attr("event").as_deref()))
    .map_err(|e| JsError::new(&e))?;
    let props = EmbedProps { document: Rc::new(document), options };
    Ok(Mounted(yew::Renderer::<Embed>::with_root_and_props(root, props).render()))
}
