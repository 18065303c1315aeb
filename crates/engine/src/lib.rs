//! clusterplan's engine: compiles a `cluster-planner/1` document into a plan, natively or as WASM.
//!
//! [`compile`] never fails and never panics: every problem becomes a [`Diagnostic`] naming its
//! item, and the plan holds everything that can still be computed.
//!
//! The modules form layers, each using only its own and lower ones (ARCHITECTURE.md, "Layers";
//! `tests/layering.rs` keeps it so):
//! - input: [`document`], [`share`], [`generate`], [`diagnostics`], [`strategy`] (each
//!   strategy's maths and formula text), [`sorting`] (the cold paths' one shared stable sort),
//!   [`text`] (counts, ratios, thousands, ordinals in words);
//! - the plan as plain data: [`plan`] (entries, the compact lists, the hop table, load figures);
//! - the compile: `prefix` (longest-prefix index), `model` (validation), [`failures`], `hops`,
//!   `cuts` (single points of failure), `ordering`
//!   (docs/spec.md §3 and §7), `load` (§4, the membership rules), `lint`, `build` (assembles the
//!   plan; [`compile`]);
//! - analysis: [`query`] (the app's questions), [`mod@explain`], [`mod@compare`], [`diff`], [`bootstrap`],
//!   [`answers`], [`walkthrough`], [`network`].
//!
//! What the app and the CLI call:
//! - [`compile`]`(&Document, Strategy) -> Plan`: hops ([`plan::HopTable`], [`Plan::path`]),
//!   ordered lists ([`plan::ServicePlan::lists`], [`plan::ServicePlan::list_for_node`]), load
//!   ([`plan::ServiceLoad`], [`plan::ServicePlan::failover`]) and diagnostics.
//! - [`compile_with`]`(&Document, Strategy, &FailureSet) -> Plan`: the same under a failure set
//!   ([`failures::FailureSet`]: nodes, routers, subnets); the routers and subnets are compiled
//!   in, the nodes go to the failover ([`FailureSet::failed_nodes`],
//!   [`plan::ServicePlan::failover_of_nodes`]).
//! - [`network`]: the hop matrix, a node's distances, every router's failure alone per service.
//! - [`explain()`]`(&Plan, service, list, entry) -> Option<Explanation>` (also
//!   [`Plan::explain`]): why an address sits where it does, as data and text.
//! - [`compare()`]`(&Document, seed) -> Vec<StrategyReport>`: the four strategies side by side.
//! - [`query`]: which subnet holds an address or a router's attachment, who serves a client
//!   with failed nodes.
//! - [`generate::data_centre`]`(nodes) -> Document`: generated models (benchmark, gallery).
//! - [`diagnostics::DiagnosticCode`] (and [`diagnostics::CODES`]): every diagnostic code with its
//!   severity and meaning.
//! - [`limits`]: every limit on what is read (size, nesting, nodes, routers, addresses per
//!   service, link length), enforced before anything is built.
//! - [`share`]: a document packed into a link's `#model=` fragment, and read back with limits.
//! - [`bootstrap`]: the component graph and FIG 8 sequence of a node.
//! - [`answers`]: the questions as the CLI and the JavaScript package ask them (`lists`, `load`,
//!   `explain` lines), so both give the same JSON.
//! - [`walkthrough::walkthrough`]: one client's list built step by step (FIG 22, FIG 24).

// Input.
pub mod diagnostics;
pub mod document;
mod fastmap;
pub mod generate;
pub mod limits;
pub mod share;
pub mod sorting;
pub mod strategy;
pub mod text;

// The plan as plain data.
pub mod plan;

// The compile.
mod build;
mod cuts;
pub mod failures;
mod hops;
mod lint;
mod load;
mod model;
mod ordering;
mod prefix;

// Analysis.
pub mod answers;
pub mod bootstrap;
pub mod compare;
pub mod diff;
pub mod explain;
pub mod network;
pub mod query;
pub mod walkthrough;

pub use build::{compile, compile_with};
pub use compare::{compare, StrategyReport};
pub use diagnostics::{Diagnostic, Item, Severity};
pub use document::Document;
pub use explain::{explain, Explanation};
pub use failures::FailureSet;
pub use plan::{FailoverLoad, Plan};
pub use strategy::Strategy;
