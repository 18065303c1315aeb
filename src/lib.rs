//! clusterplan's browser app (Yew): a thin shell around the engine, with one reducer.
//!
//! [`state`] holds the reducer and its closed `Action` enum (pure, natively tested); edits of the
//! model are [`edit::EditAction`]s applied by pure code ([`edit::apply`]), positions live in the
//! document ([`layout`]); the plan is derived from the document with `use_memo` in [`app`], never
//! stored; components render and dispatch.

pub mod app;
pub mod canvas;
pub mod compile;
pub mod edit;
pub mod embed;
pub mod examples;
pub mod inspector;
pub mod layout;
pub mod results;
pub mod share;
pub mod state;
pub mod storage;
pub mod theme;
pub mod toolbar;
