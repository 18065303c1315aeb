//! The results panels: what the engine computed for the model, shown live (issue 5).

pub mod overlay;
#[cfg(test)]
pub(crate) mod testing;
pub mod view;
