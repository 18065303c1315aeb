//! The results' view state (selected service, failed servers, strategy, ...) and its actions.

use clusterplan_engine::Strategy;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    /// The strategy the plan is compiled with (rotation, the source's rule, by default).
    pub strategy: Strategy,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ViewAction {
    SetStrategy(Strategy),
}

impl ViewState {
    /// Applies one view action (pure).
    pub fn apply(&mut self, action: ViewAction) {
        match action {
            ViewAction::SetStrategy(strategy) => self.strategy = strategy,
        }
    }
}
