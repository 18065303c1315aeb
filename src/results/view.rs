//! The results' view state (tab, selected service, failed servers, strategy, matrix sort,
//! bootstrap stepping) and its actions: pure, natively tested, never part of the document.

use clusterplan_engine::bootstrap::Dependency;
use clusterplan_engine::Strategy;
use std::collections::BTreeSet;

/// The results panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tab {
    /// The selected node's ordered lists, explained.
    #[default]
    Node,
    /// First-choice and failover load per server of one service.
    Load,
    /// Clients x servers, each cell the rank.
    Matrix,
    /// The four strategies side by side.
    Strategies,
    /// Diagnostics and lints.
    Diagnostics,
    /// Component graph and the FIG 8 timeline for one node.
    Bootstrap,
    /// A design review: what the change from a compared model does.
    Review,
}

impl Tab {
    /// Every tab, in the order the panel shows them.
    pub const ALL: [Tab; 7] = [
        Tab::Node,
        Tab::Load,
        Tab::Matrix,
        Tab::Strategies,
        Tab::Diagnostics,
        Tab::Bootstrap,
        Tab::Review,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Node => "Node lists",
            Tab::Load => "Load",
            Tab::Matrix => "Matrix",
            Tab::Strategies => "Strategies",
            Tab::Diagnostics => "Diagnostics",
            Tab::Bootstrap => "Bootstrap",
            Tab::Review => "Review",
        }
    }

    /// A stable id for `data-testid`s and CSS.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Node => "node",
            Tab::Load => "load",
            Tab::Matrix => "matrix",
            Tab::Strategies => "strategies",
            Tab::Diagnostics => "diagnostics",
            Tab::Bootstrap => "bootstrap",
            Tab::Review => "review",
        }
    }
}

/// A service of the plan, named as the document names it (stable across edits, unlike indices).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceKey {
    pub cluster: String,
    pub name: String,
}

impl ServiceKey {
    pub fn new(cluster: impl Into<String>, name: impl Into<String>) -> Self {
        ServiceKey { cluster: cluster.into(), name: name.into() }
    }
}

/// What the matrix rows are sorted by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum MatrixSortKey {
    /// The client's node number in the service's cluster.
    #[default]
    NodeNumber,
    /// The client node's display name.
    NodeName,
    /// The rank the client gives the server node with this uid (unlisted last).
    Server(String),
}

/// The matrix's sort: a key and a direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MatrixSort {
    pub key: MatrixSortKey,
    pub descending: bool,
}

/// The bootstrap view's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BootstrapView {
    /// uid of the node shown; `None` = the selected node (or the first node).
    pub node: Option<String>,
    /// How many of the FIG 8 steps have run (0 = none, 24 = all).
    pub step: usize,
    /// Dependencies the user added and the engine accepted (the graph stays acyclic).
    pub extra: Vec<Dependency>,
    /// The last dependency the user tried to add and why it was refused (the cycle, named).
    pub refused: Option<(Dependency, String)>,
}

/// The number of steps of FIG 8's bootstrap sequence.
pub const BOOTSTRAP_STEPS: usize = 24;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    /// The strategy the plan is compiled with (rotation, the source's rule, by default).
    pub strategy: Strategy,
    /// The seed of the `shuffle` strategy, kept when another strategy is chosen so a reload or
    /// a round trip through the strategies shows the same lists.
    pub shuffle_seed: u64,
    /// The tab shown.
    pub tab: Tab,
    /// The service the load view and the matrix show (and the overlay badges, when set).
    pub service: Option<ServiceKey>,
    /// Server nodes (uids) the user failed: down for every service they serve.
    pub failed: BTreeSet<String>,
    /// The matrix's row order.
    pub matrix_sort: MatrixSort,
    /// The bootstrap view.
    pub bootstrap: BootstrapView,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ViewAction {
    /// Compile with this strategy (a shuffle's seed becomes the view's seed).
    SetStrategy(Strategy),
    /// Change the shuffle seed (and the compiled strategy, when it is shuffle).
    SetShuffleSeed(u64),
    /// Show a tab.
    ShowTab(Tab),
    /// Show a service in the load view and matrix (`None`: the first one).
    SelectService(Option<ServiceKey>),
    /// Fail the server node with this uid, or bring it back up when it is failed.
    ToggleFailed(String),
    /// Bring every failed server back up.
    ClearFailed,
    /// Sort the matrix by this key; the same key again flips the direction.
    SortMatrix(MatrixSortKey),
    /// Show the bootstrap of this node (`None`: follow the selection); restarts the timeline.
    BootstrapNode(Option<String>),
    /// Run one more step of the timeline (stops at the last).
    StepForward,
    /// Undo the last step (stops at none).
    StepBack,
    /// Jump to a step (clamped to 0..=24).
    GoToStep(usize),
    /// Add a dependency that the engine accepted (the graph stays acyclic).
    AddDependency(Dependency),
    /// Record a dependency the engine refused, with the cycle it would make, named.
    RefuseDependency(Dependency, String),
    /// Remove a dependency the user added.
    RemoveDependency(Dependency),
}

impl ViewState {
    /// Applies one view action (pure).
    pub fn apply(&mut self, action: ViewAction) {
        match action {
            ViewAction::SetStrategy(strategy) => {
                if let Strategy::Shuffle { seed } = strategy {
                    self.shuffle_seed = seed;
                }
                self.strategy = strategy;
            }
            ViewAction::SetShuffleSeed(seed) => {
                self.shuffle_seed = seed;
                if let Strategy::Shuffle { .. } = self.strategy {
                    self.strategy = Strategy::Shuffle { seed };
                }
            }
            ViewAction::ShowTab(tab) => self.tab = tab,
            ViewAction::SelectService(service) => {
                if self.service != service {
                    self.service = service;
                    self.matrix_sort = MatrixSort::default();
                }
            }
            ViewAction::ToggleFailed(uid) => {
                if !self.failed.remove(&uid) {
                    self.failed.insert(uid);
                }
            }
            ViewAction::ClearFailed => self.failed.clear(),
            ViewAction::SortMatrix(key) => {
                if self.matrix_sort.key == key {
                    self.matrix_sort.descending = !self.matrix_sort.descending;
                } else {
                    self.matrix_sort = MatrixSort { key, descending: false };
                }
            }
            ViewAction::BootstrapNode(node) => {
                if self.bootstrap.node != node {
                    self.bootstrap.node = node;
                    self.bootstrap.step = 0;
                }
            }
            ViewAction::StepForward => {
                self.bootstrap.step = (self.bootstrap.step + 1).min(BOOTSTRAP_STEPS);
            }
            ViewAction::StepBack => self.bootstrap.step = self.bootstrap.step.saturating_sub(1),
            ViewAction::GoToStep(step) => self.bootstrap.step = step.min(BOOTSTRAP_STEPS),
            ViewAction::AddDependency(dep) => {
                if !self.bootstrap.extra.contains(&dep) {
                    self.bootstrap.extra.push(dep);
                }
                self.bootstrap.refused = None;
            }
            ViewAction::RefuseDependency(dep, cycle) => {
                self.bootstrap.refused = Some((dep, cycle));
            }
            ViewAction::RemoveDependency(dep) => {
                self.bootstrap.extra.retain(|d| *d != dep);
                self.bootstrap.refused = None;
            }
        }
    }

    /// The strategy `shuffle` with the view's seed (what the strategy picker offers).
    pub fn shuffle(&self) -> Strategy {
        Strategy::Shuffle { seed: self.shuffle_seed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clusterplan_engine::bootstrap::Component;

    fn applied(actions: impl IntoIterator<Item = ViewAction>) -> ViewState {
        let mut view = ViewState::default();
        for action in actions {
            view.apply(action);
        }
        view
    }

    #[test]
    fn rotation_and_the_node_tab_are_the_defaults() {
        let view = ViewState::default();
        assert_eq!(view.strategy, Strategy::Rotation);
        assert_eq!(view.tab, Tab::Node);
        assert!(view.failed.is_empty());
    }

    #[test]
    fn a_shuffle_seed_survives_a_round_trip_through_other_strategies() {
        let view = applied([
            ViewAction::SetStrategy(Strategy::Shuffle { seed: 42 }),
            ViewAction::SetStrategy(Strategy::Spread),
        ]);
        assert_eq!(view.strategy, Strategy::Spread);
        assert_eq!(view.shuffle(), Strategy::Shuffle { seed: 42 });
    }

    #[test]
    fn changing_the_seed_recompiles_only_under_shuffle() {
        let view = applied([ViewAction::SetShuffleSeed(7)]);
        assert_eq!(view.strategy, Strategy::Rotation);
        assert_eq!(view.shuffle_seed, 7);
        let view = applied([
            ViewAction::SetStrategy(Strategy::Shuffle { seed: 1 }),
            ViewAction::SetShuffleSeed(9),
        ]);
        assert_eq!(view.strategy, Strategy::Shuffle { seed: 9 });
    }

    #[test]
    fn toggling_a_server_fails_it_and_brings_it_back() {
        let view =
            applied([ViewAction::ToggleFailed("n3".into()), ViewAction::ToggleFailed("n7".into())]);
        assert_eq!(view.failed.iter().cloned().collect::<Vec<_>>(), ["n3", "n7"]);
        let mut view = view;
        view.apply(ViewAction::ToggleFailed("n3".into()));
        assert_eq!(view.failed.iter().cloned().collect::<Vec<_>>(), ["n7"]);
        view.apply(ViewAction::ClearFailed);
        assert!(view.failed.is_empty());
    }

    #[test]
    fn sorting_by_the_same_key_flips_the_direction_and_a_new_key_starts_ascending() {
        let server = MatrixSortKey::Server("n9".into());
        let view = applied([ViewAction::SortMatrix(server.clone())]);
        assert_eq!(view.matrix_sort, MatrixSort { key: server.clone(), descending: false });
        let view = applied([
            ViewAction::SortMatrix(server.clone()),
            ViewAction::SortMatrix(server.clone()),
        ]);
        assert!(view.matrix_sort.descending);
        let view = applied([
            ViewAction::SortMatrix(server.clone()),
            ViewAction::SortMatrix(server),
            ViewAction::SortMatrix(MatrixSortKey::NodeName),
        ]);
        assert_eq!(
            view.matrix_sort,
            MatrixSort { key: MatrixSortKey::NodeName, descending: false }
        );
    }

    #[test]
    fn another_service_resets_the_matrix_sort_but_the_same_one_keeps_it() {
        let registry = ServiceKey::new("A", "registry");
        let view = applied([
            ViewAction::SelectService(Some(registry.clone())),
            ViewAction::SortMatrix(MatrixSortKey::NodeName),
            ViewAction::SelectService(Some(registry.clone())),
        ]);
        assert_eq!(view.matrix_sort.key, MatrixSortKey::NodeName);
        let mut view = view;
        view.apply(ViewAction::SelectService(Some(ServiceKey::new("A", "liveness"))));
        assert_eq!(view.matrix_sort, MatrixSort::default());
    }

    #[test]
    fn the_timeline_steps_within_its_24_steps() {
        let view = applied([ViewAction::StepBack]);
        assert_eq!(view.bootstrap.step, 0);
        let view = applied((0..30).map(|_| ViewAction::StepForward));
        assert_eq!(view.bootstrap.step, BOOTSTRAP_STEPS);
        let view = applied([ViewAction::GoToStep(99)]);
        assert_eq!(view.bootstrap.step, 24);
        let view = applied([ViewAction::GoToStep(5), ViewAction::StepBack, ViewAction::StepBack]);
        assert_eq!(view.bootstrap.step, 3);
    }

    #[test]
    fn another_bootstrap_node_restarts_the_timeline() {
        let view =
            applied([ViewAction::GoToStep(10), ViewAction::BootstrapNode(Some("n5".into()))]);
        assert_eq!(view.bootstrap.step, 0);
        let view = applied([
            ViewAction::BootstrapNode(Some("n5".into())),
            ViewAction::GoToStep(10),
            ViewAction::BootstrapNode(Some("n5".into())),
        ]);
        assert_eq!(view.bootstrap.step, 10);
    }

    #[test]
    fn an_accepted_dependency_is_kept_once_and_clears_the_last_refusal() {
        let dep = Dependency::user(Component::Liveness, Component::ResourceManager);
        let bad = Dependency::user(Component::SystemRegistry, Component::Dcm);
        let view = applied([ViewAction::RefuseDependency(
            bad.clone(),
            "registry -> dcm -> registry".into(),
        )]);
        assert_eq!(view.bootstrap.refused, Some((bad, "registry -> dcm -> registry".into())));
        let view = applied([
            ViewAction::RefuseDependency(dep.clone(), "x".into()),
            ViewAction::AddDependency(dep.clone()),
            ViewAction::AddDependency(dep.clone()),
        ]);
        assert_eq!(view.bootstrap.extra, vec![dep.clone()]);
        assert_eq!(view.bootstrap.refused, None);
        let mut view = view;
        view.apply(ViewAction::RemoveDependency(dep));
        assert!(view.bootstrap.extra.is_empty());
    }
}
