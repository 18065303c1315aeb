//! clusterplan's browser app (Yew), in three layers, bottom up: [`platform`] (the browser:
//! storage, the page's address, downloads, files, the clock), [`model`] (pure: the reducer's
//! state and actions, the edits, the layout, the examples and lessons, the data derived for the
//! view) and [`ui`] (the components and their effects as hooks). The plan is the engine's,
//! derived from the document ([`ui::compile::use_plan`]), never stored; components render and
//! dispatch. `crates/layering` checks that no module uses one above it.

pub mod model;
pub mod platform;
pub mod ui;
