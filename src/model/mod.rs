//! The app's model, pure (no `html!`, no browser): the reducer's state and its `Action`s, the
//! edits of the document and their history, the layout, the content the page ships (examples,
//! lessons, share links), the view's state, and the data derived for the view (canvas overlays,
//! review marks, the simulation's rows). Natively tested; it uses only [`crate::platform`]'s
//! types below it.

pub mod edit;
pub mod examples;
pub mod explore;
pub mod hops;
pub mod layout;
pub mod lessons;
pub mod merge;
pub mod overlay;
pub mod picture;
pub mod review;
pub mod share;
pub mod shared;
pub mod shortcuts;
pub mod simulation;
pub mod state;
#[cfg(test)]
pub(crate) mod testing;
pub mod theme;
pub mod view;
