//! The results' view state (tab, selected service, failed servers, strategy, matrix sort,
//! bootstrap stepping, the list walkthrough) and its actions: pure, natively tested, never part of the document.

use clusterplan_engine::bootstrap::Dependency;
use clusterplan_engine::{FailureSet, Strategy};
use clusterplan_lifecycle::{Fault, FaultKind};
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
    /// The subnet x subnet hop matrix and the selected node's distances.
    Hops,
    /// Component graph and the FIG 8 timeline for one node.
    Bootstrap,
    /// A design review: what the change from a compared model does.
    Review,
    /// A lesson of the lifecycle simulation, stepped event by event.
    Simulate,
}

impl Tab {
    /// Every tab, in the order the panel shows them.
    pub const ALL: [Tab; 9] = [
        Tab::Node,
        Tab::Load,
        Tab::Matrix,
        Tab::Strategies,
        Tab::Diagnostics,
        Tab::Hops,
        Tab::Bootstrap,
        Tab::Review,
        Tab::Simulate,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Node => "Node lists",
            Tab::Load => "Load",
            Tab::Matrix => "Matrix",
            Tab::Strategies => "Strategies",
            Tab::Diagnostics => "Diagnostics",
            Tab::Hops => "Hops",
            Tab::Bootstrap => "Bootstrap",
            Tab::Review => "Review",
            Tab::Simulate => "Simulate",
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
            Tab::Hops => "hops",
            Tab::Bootstrap => "bootstrap",
            Tab::Review => "review",
            Tab::Simulate => "simulate",
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

/// The playing speeds offered, in events per second.
pub const SPEEDS: [u32; 4] = [1, 2, 4, 8];

/// The Simulate tab's state: the lesson, the position in its trace, playing, the faults the
/// reader added. The simulation itself is derived from the document and these (never stored).
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateView {
    /// The lesson's id (`examples/scenarios/<id>.json`), `None` before one is chosen.
    pub lesson: Option<String>,
    /// How many events have happened (0 = the start; the current event is number `position`).
    pub position: usize,
    pub playing: bool,
    /// Events per second while playing.
    pub speed: u32,
    /// Faults added with "Fail this step" / "Crash here", after the lesson's own.
    pub faults: Vec<Fault>,
    /// The node whose storage the inspector shows (`None`: the current event's node).
    pub node: Option<String>,
    /// The exploration of every fault point is shown (derived by the app, like the run).
    pub explore: bool,
    /// The operation kind the scenario builder's menu shows (`bootstrap`, `join`, ...).
    pub builder_op: String,
    /// Scenario file downloads asked for (an effect downloads one per increment).
    pub exports: u64,
}

impl Default for SimulateView {
    fn default() -> Self {
        SimulateView {
            lesson: None,
            position: 0,
            playing: false,
            speed: 2,
            faults: Vec::new(),
            node: None,
            explore: false,
            builder_op: clusterplan_lifecycle::Op::Bootstrap.name().to_owned(),
            exports: 0,
        }
    }
}

/// The walkthrough of one list being built (docs/spec.md §3), shown in the node view: whose
/// list, for which service, and the step shown (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkView {
    pub node: String,
    pub service: ServiceKey,
    pub step: usize,
}

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
    /// Routers (by name) the user failed: they join no subnets (docs/spec.md §2).
    pub failed_routers: BTreeSet<String>,
    /// Subnets (by prefix) the user failed: they carry no traffic (docs/spec.md §2).
    pub failed_subnets: BTreeSet<String>,
    /// The matrix's row order.
    pub matrix_sort: MatrixSort,
    /// The bootstrap view.
    pub bootstrap: BootstrapView,
    /// The Simulate tab.
    pub simulate: SimulateView,
    /// The list being built step by step in the node view (`None`: none).
    pub walk: Option<WalkView>,
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
    /// Fail the router with this name, or restore it when it is failed.
    ToggleFailedRouter(String),
    /// Fail the subnet with this prefix, or restore it when it is failed.
    ToggleFailedSubnet(String),
    /// Bring every failed server, router and subnet back up.
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
    /// Choose a lesson (by id): back to its start, without added faults.
    SimLesson(Option<String>),
    /// One event forward, in a trace of this many events (stops playing at the end).
    SimForward(usize),
    /// One event back (stops at the start).
    SimBack,
    /// Back to the start.
    SimStart,
    /// Jump to just after this event (`seq`, clamped to the trace's `events`).
    SimGoTo { seq: usize, events: usize },
    /// Play (from the start when at the end) or pause, in a trace of this many events.
    SimPlay { play: bool, events: usize },
    /// Events per second while playing (one of [`SPEEDS`]).
    SimSpeed(u32),
    /// Rerun with this fault added (kept once), at the same position.
    SimFault(Fault),
    /// Drop the faults the reader added.
    SimClearFaults,
    /// Show this node's storage in the inspector (`None`: follow the current event).
    SimNode(Option<String>),
    /// Show (or close) the exploration of every fault point of the scenario.
    SimExplore(bool),
    /// Open an explored run: these added faults, at this event; the exploration closes.
    SimOpen { faults: Vec<Fault>, at: usize },
    /// The scenario builder's menu shows this operation kind.
    SimBuilderOp(String),
    /// Download the scenario shown (with the faults added) as a file the CLI runs.
    SimExport,
    /// Build this node's list for this service step by step, from the first step (`None`:
    /// close the walkthrough).
    WalkOpen(Option<(String, ServiceKey)>),
    /// Show step `step` of the walkthrough's `steps` (clamped to the last).
    WalkGoTo { step: usize, steps: usize },
}

/// What ← and → do in the Simulate tab (pure): one event back or forward in a trace of `events`,
/// unless a modifier is held or items are selected (the arrows then move the selection).
pub fn sim_key(key: &str, modifier: bool, selection: bool, events: usize) -> Option<ViewAction> {
    if modifier || selection {
        return None;
    }
    match key {
        "ArrowLeft" => Some(ViewAction::SimBack),
        "ArrowRight" => Some(ViewAction::SimForward(events)),
        _ => None,
    }
}

/// The fault "Fail this step" adds on an event: its operation's step, on its node; `None` for
/// an event no figure numbers (a set-up event).
pub fn fail_here(operation: usize, step: Option<u8>, node: Option<&str>) -> Option<Fault> {
    Some(Fault {
        operation,
        step: step?,
        node: node.map(str::to_owned),
        kind: FaultKind::Fail,
        after: None,
        extra: Default::default(),
    })
}

/// The fault "Crash here" adds on an event: its node crashes as the step begins (`after` events
/// of that step already happened, so the crash comes right before this event).
pub fn crash_here(
    operation: usize,
    step: Option<u8>,
    node: Option<&str>,
    after: usize,
) -> Option<Fault> {
    Some(Fault {
        operation,
        step: step?,
        node: Some(node?.to_owned()),
        kind: FaultKind::Crash,
        after: (after > 0).then_some(after),
        extra: Default::default(),
    })
}

/// Adds `item` to `set`, or takes it out when it is there.
fn toggle(set: &mut BTreeSet<String>, item: String) {
    if !set.remove(&item) {
        set.insert(item);
    }
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
            ViewAction::ToggleFailed(uid) => toggle(&mut self.failed, uid),
            ViewAction::ToggleFailedRouter(name) => toggle(&mut self.failed_routers, name),
            ViewAction::ToggleFailedSubnet(prefix) => toggle(&mut self.failed_subnets, prefix),
            ViewAction::ClearFailed => {
                self.failed.clear();
                self.failed_routers.clear();
                self.failed_subnets.clear();
            }
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
            ViewAction::SimLesson(lesson) => {
                let sim = &self.simulate;
                let (speed, builder_op, exports) = (sim.speed, sim.builder_op.clone(), sim.exports);
                self.simulate =
                    SimulateView { lesson, speed, builder_op, exports, ..SimulateView::default() };
            }
            ViewAction::SimForward(events) => {
                let sim = &mut self.simulate;
                sim.position = (sim.position + 1).min(events);
                if sim.position >= events {
                    sim.playing = false;
                }
            }
            ViewAction::SimBack => {
                self.simulate.position = self.simulate.position.saturating_sub(1);
                self.simulate.playing = false;
            }
            ViewAction::SimStart => {
                self.simulate.position = 0;
                self.simulate.playing = false;
            }
            ViewAction::SimGoTo { seq, events } => {
                self.simulate.position = seq.min(events);
                self.simulate.playing = false;
            }
            ViewAction::SimPlay { play, events } => {
                let sim = &mut self.simulate;
                if play && sim.position >= events {
                    sim.position = 0;
                }
                sim.playing = play && events > 0;
            }
            ViewAction::SimSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    self.simulate.speed = speed;
                }
            }
            ViewAction::SimFault(fault) => {
                if !self.simulate.faults.contains(&fault) {
                    self.simulate.faults.push(fault);
                }
                self.simulate.playing = false;
            }
            ViewAction::SimClearFaults => self.simulate.faults.clear(),
            ViewAction::SimNode(node) => self.simulate.node = node,
            ViewAction::SimExplore(show) => {
                self.simulate.explore = show;
                self.simulate.playing = false;
            }
            ViewAction::SimBuilderOp(op) => self.simulate.builder_op = op,
            ViewAction::SimExport => self.simulate.exports += 1,
            ViewAction::WalkOpen(open) => {
                self.walk = open.map(|(node, service)| WalkView { node, service, step: 0 });
            }
            ViewAction::WalkGoTo { step, steps } => {
                if let Some(walk) = &mut self.walk {
                    walk.step = step.min(steps.saturating_sub(1));
                }
            }
            ViewAction::SimOpen { faults, at } => {
                let sim = &mut self.simulate;
                sim.faults = faults;
                sim.position = at;
                sim.explore = false;
                sim.playing = false;
            }
        }
    }

    /// The network part of the failure set (routers and subnets), as the compile takes it
    /// (`clusterplan_engine::compile_with`); the failed servers are applied on top of the plan.
    pub fn network_failures(&self) -> FailureSet {
        FailureSet {
            nodes: Vec::new(),
            routers: self.failed_routers.iter().cloned().collect(),
            subnets: self.failed_subnets.iter().cloned().collect(),
        }
    }

    /// The whole failure set (servers, routers, subnets), as a share link carries it.
    pub fn failure_set(&self) -> FailureSet {
        FailureSet { nodes: self.failed.iter().cloned().collect(), ..self.network_failures() }
    }

    /// Fails everything `failures` names (nothing is brought back up; a name given twice is
    /// failed once).
    pub fn fail_all(&mut self, failures: &FailureSet) {
        self.failed.extend(failures.nodes.iter().cloned());
        self.failed_routers.extend(failures.routers.iter().cloned());
        self.failed_subnets.extend(failures.subnets.iter().cloned());
    }

    /// Is anything failed (a server, a router or a subnet)?
    pub fn any_failed(&self) -> bool {
        !(self.failed.is_empty()
            && self.failed_routers.is_empty()
            && self.failed_subnets.is_empty())
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
    fn routers_and_subnets_fail_and_come_back_in_the_one_failure_set() {
        let view = applied([
            ViewAction::ToggleFailed("n3".into()),
            ViewAction::ToggleFailedRouter("r2".into()),
            ViewAction::ToggleFailedSubnet("10.0.1.0/24".into()),
            ViewAction::ToggleFailedRouter("r1".into()),
        ]);
        assert!(view.any_failed());
        assert_eq!(
            view.network_failures(),
            FailureSet {
                nodes: vec![],
                routers: vec!["r1".into(), "r2".into()],
                subnets: vec!["10.0.1.0/24".into()],
            }
        );
        let mut view = view;
        view.apply(ViewAction::ToggleFailedRouter("r2".into()));
        view.apply(ViewAction::ToggleFailedSubnet("10.0.1.0/24".into()));
        assert_eq!(view.network_failures().routers, ["r1"]);
        assert!(view.network_failures().subnets.is_empty());
        assert_eq!(view.failed.len(), 1, "the servers are kept");
        view.apply(ViewAction::ToggleFailedSubnet("10.0.2.0/24".into()));
        view.apply(ViewAction::ClearFailed);
        assert!(!view.any_failed(), "clearing brings everything back");
        assert!(!view.network_failures().has_network());
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
    fn the_walkthrough_opens_at_its_first_step_and_steps_within_its_steps() {
        let registry = ServiceKey::new("A", "registry");
        let open = ViewAction::WalkOpen(Some(("n5".into(), registry.clone())));
        let view = applied([open.clone(), ViewAction::WalkGoTo { step: 99, steps: 15 }]);
        assert_eq!(view.walk, Some(WalkView { node: "n5".into(), service: registry, step: 14 }));
        let view =
            applied([open.clone(), ViewAction::WalkGoTo { step: 4, steps: 15 }, open.clone()]);
        assert_eq!(view.walk.as_ref().map(|w| w.step), Some(0), "opening again starts over");
        let view = applied([open, ViewAction::WalkOpen(None)]);
        assert_eq!(view.walk, None);
        let view = applied([ViewAction::WalkGoTo { step: 3, steps: 15 }]);
        assert_eq!(view.walk, None, "no walkthrough open: nothing to step");
    }

    #[test]
    fn the_simulation_steps_within_its_trace_and_a_lesson_starts_over() {
        let view = applied([ViewAction::SimBack]);
        assert_eq!(view.simulate.position, 0);
        let view = applied((0..30).map(|_| ViewAction::SimForward(12)));
        assert_eq!(view.simulate.position, 12);
        let view = applied([
            ViewAction::SimGoTo { seq: 7, events: 12 },
            ViewAction::SimBack,
            ViewAction::SimForward(12),
            ViewAction::SimForward(12),
        ]);
        assert_eq!(view.simulate.position, 8);
        let view = applied([ViewAction::SimGoTo { seq: 99, events: 12 }]);
        assert_eq!(view.simulate.position, 12);
        let view = applied([ViewAction::SimGoTo { seq: 5, events: 12 }, ViewAction::SimStart]);
        assert_eq!(view.simulate.position, 0);
        let view = applied([
            ViewAction::SimSpeed(8),
            ViewAction::SimGoTo { seq: 5, events: 12 },
            ViewAction::SimFault(fail_here(1, Some(9), None).unwrap()),
            ViewAction::SimLesson(Some("fig8-stale-replica".into())),
        ]);
        assert_eq!(view.simulate.position, 0);
        assert!(view.simulate.faults.is_empty());
        assert_eq!(view.simulate.speed, 8, "the speed is the reader's, kept across lessons");
        assert_eq!(view.simulate.lesson.as_deref(), Some("fig8-stale-replica"));
    }

    #[test]
    fn playing_stops_at_the_end_and_a_play_at_the_end_starts_over() {
        let view = applied([ViewAction::SimPlay { play: true, events: 3 }]);
        assert!(view.simulate.playing);
        let view = applied([
            ViewAction::SimPlay { play: true, events: 3 },
            ViewAction::SimForward(3),
            ViewAction::SimForward(3),
        ]);
        assert!(view.simulate.playing);
        let mut view = view;
        view.apply(ViewAction::SimForward(3));
        assert!(!view.simulate.playing);
        assert_eq!(view.simulate.position, 3);
        view.apply(ViewAction::SimPlay { play: true, events: 3 });
        assert!(view.simulate.playing);
        assert_eq!(view.simulate.position, 0);
        view.apply(ViewAction::SimBack);
        assert!(!view.simulate.playing, "stepping by hand pauses");
        let view = applied([ViewAction::SimPlay { play: true, events: 0 }]);
        assert!(!view.simulate.playing, "nothing to play");
        let view = applied([ViewAction::SimSpeed(3)]);
        assert_eq!(view.simulate.speed, 2, "only the offered speeds");
    }

    #[test]
    fn the_arrow_keys_step_unless_they_move_a_selection() {
        assert_eq!(sim_key("ArrowLeft", false, false, 9), Some(ViewAction::SimBack));
        assert_eq!(sim_key("ArrowRight", false, false, 9), Some(ViewAction::SimForward(9)));
        assert_eq!(sim_key("ArrowRight", true, false, 9), None);
        assert_eq!(sim_key("ArrowRight", false, true, 9), None);
        assert_eq!(sim_key("ArrowUp", false, false, 9), None);
    }

    #[test]
    fn a_fault_is_added_once_keeping_the_position() {
        let fail = fail_here(1, Some(12), Some("n9")).unwrap();
        let view = applied([
            ViewAction::SimGoTo { seq: 20, events: 30 },
            ViewAction::SimFault(fail.clone()),
            ViewAction::SimFault(fail.clone()),
        ]);
        assert_eq!(view.simulate.faults, vec![fail]);
        assert_eq!(view.simulate.position, 20);
        let mut view = view;
        view.apply(ViewAction::SimClearFaults);
        assert!(view.simulate.faults.is_empty());
        assert_eq!(fail_here(0, None, Some("n1")), None, "a set-up event has no step to fail");
        let crash = crash_here(0, Some(5), Some("n2"), 1).unwrap();
        assert_eq!(
            (crash.kind, crash.after, crash.node.as_deref()),
            (FaultKind::Crash, Some(1), Some("n2"))
        );
        assert_eq!(crash_here(0, Some(5), Some("n2"), 0).unwrap().after, None);
        assert_eq!(crash_here(0, Some(5), None, 0), None, "a crash needs a node");
        // An explored run opens with its faults at its event, the exploration closed.
        let view = applied([
            ViewAction::SimExplore(true),
            ViewAction::SimOpen { faults: vec![crash.clone()], at: 17 },
        ]);
        assert_eq!(
            (view.simulate.faults, view.simulate.position, view.simulate.explore),
            (vec![crash], 17, false)
        );
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
