//! The app's components (Yew): the root [`app::App`] and its effects as named hooks
//! ([`hooks`]), the canvas, the inspector, the toolbar and its dialogs, the results panels, the
//! `<cluster-plan>` element's view ([`embed`]) and the plan derived by [`compile::use_plan`].
//! Components render the model and dispatch its actions; they hold no domain rule.

pub mod app;
pub mod canvas;
pub mod compile;
pub mod embed;
pub mod fields;
pub mod hooks;
pub mod inspector;
pub mod keys;
pub mod results;
pub mod theme_picker;
pub mod toolbar;
