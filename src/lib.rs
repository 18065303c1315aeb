//! clusterplan's browser app (Yew): a thin shell around the engine, with one reducer.
//!
//! [`state`] holds the reducer and its closed `Action` enum (pure, natively tested); the plan is
//! derived from the document with `use_memo` in [`app`], never stored; components render.

pub mod app;
pub mod examples;
pub mod results;
pub mod state;
