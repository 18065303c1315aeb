//! `--explore` (`docs/spec.md §6`), the explorer as a check: rerun a scenario once for every
//! single fault point and check the invariants in every run (they are checked after every
//! event, [`crate::invariants`]). The fault points, in order:
//! - per operation (every operation has steps: the source's figure or the project's), each step
//!   failed on every node, then on each node that did it in the run as written;
//! - right before each event of the run as written that its operation's steps number (and
//!   before each operation whose events they number not), each node that is up then crashing,
//!   and each node that is up and connected then cut off.
//!
//! `depth` 2 adds pairs of those points, up to a bound on the runs that the report states.
//! Each broken invariant is reported once, with the first (so the smallest) scenario that broke
//! it, which `clusterplan simulate` replays as is.

use crate::invariants::Violation;
use crate::scenario::{Fault, FaultKind, Op, Scenario, ScenarioError};
use crate::trace::Verdict;
use crate::world::{Key, World};
use clusterplan_engine::Document;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How far to explore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// 1: single faults; 2: single faults, then pairs.
    pub depth: u8,
    /// At most this many runs in all (`None`: every single fault point; pairs default to
    /// [`PAIR_BOUND`]).
    pub max_runs: Option<usize>,
}

impl Default for Options {
    fn default() -> Options {
        Options { depth: 1, max_runs: None }
    }
}

/// The bound on runs when pairs are explored and no bound is given.
pub const PAIR_BOUND: usize = 10_000;

/// One broken invariant, with the scenario that first broke it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub invariant: &'static str,
    /// The event of that run that broke it.
    pub event: usize,
    pub what: String,
    /// The faults added to the scenario as written (none: it breaks as written).
    pub faults: Vec<Fault>,
    /// The scenario with those faults: replay it with `clusterplan simulate`.
    pub scenario: Scenario,
}

/// Counts of one operation's runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub runs: usize,
    pub committed: usize,
    pub aborted: usize,
    pub refused: usize,
}

impl Counts {
    fn add(&mut self, v: Option<Verdict>) {
        self.runs += 1;
        match v {
            Some(Verdict::Committed) => self.committed += 1,
            Some(Verdict::Aborted) => self.aborted += 1,
            Some(Verdict::Refused) | None => self.refused += 1,
        }
    }
}

/// What the exploration found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Every run, the scenario as written included.
    pub runs: usize,
    /// The single fault points.
    pub points: usize,
    /// Pairs of fault points run (depth 2).
    pub pairs: usize,
    /// The bound on runs, when there was one.
    pub bound: Option<usize>,
    /// Runs the bound left out (0: everything asked for ran).
    pub left_out: usize,
    /// The faulted operation's outcome over the single-fault runs.
    pub total: Counts,
    /// The same per operation index.
    pub by_operation: BTreeMap<usize, Counts>,
    /// Each broken invariant once.
    pub violations: Vec<Found>,
}

fn fault(operation: usize, step: u8, node: Option<String>, kind: FaultKind, after: usize) -> Fault {
    Fault {
        operation,
        step,
        node,
        kind,
        after: (after > 0).then_some(after),
        extra: Default::default(),
    }
}

/// The single fault points of a run (see the module documentation).
pub fn faults(baseline: &crate::Simulation, ops: &[Op]) -> Vec<Fault> {
    fault_points(baseline, ops, usize::MAX).0
}

/// The first `limit` single fault points of a run, and how many there are in all (counted
/// without making them: a large model has millions).
pub fn fault_points(baseline: &crate::Simulation, ops: &[Op], limit: usize) -> (Vec<Fault>, usize) {
    let mut all = Vec::new();
    let mut total = 0usize;
    let mut world = baseline.initial.clone();
    // Nodes up, and up and connected, as the events go by.
    let count = |w: &World| {
        let up = w.nodes.values().filter(|n| n.up).count();
        (up, w.nodes.values().filter(|n| n.up && n.connected).count())
    };
    let (mut up, mut linked) = count(&world);
    let mut next = 0;
    for (i, op) in ops.iter().enumerate() {
        let Some((figure, steps)) = op.figure() else { continue };
        let events: Vec<&crate::Event> =
            baseline.events.iter().filter(|e| e.operation == i).collect();
        for step in steps.clone() {
            offer(&mut all, &mut total, limit, || fault(i, step, None, FaultKind::Fail, 0));
            let mut doers: Vec<String> = events
                .iter()
                .filter(|e| e.figure == Some(figure) && e.step == Some(step))
                .filter_map(|e| e.node.clone())
                .collect();
            doers.sort();
            doers.dedup();
            if doers.len() > 1 {
                for n in doers {
                    offer(&mut all, &mut total, limit, || {
                        fault(i, step, Some(n.clone()), FaultKind::Fail, 0)
                    });
                }
            }
        }
        let mut placed = false;
        let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
        let before_op = (world.clone(), up, linked);
        let cut = |all: &mut Vec<Fault>,
                   total: &mut usize,
                   w: &World,
                   step: u8,
                   k: usize,
                   n: (usize, usize)| {
            if all.len() >= limit {
                *total += n.0 + n.1;
                return;
            }
            for kind in [FaultKind::Crash, FaultKind::Disconnect] {
                for (uid, node) in &w.nodes {
                    if node.up && (kind == FaultKind::Crash || node.connected) {
                        offer(all, total, limit, || fault(i, step, Some(uid.clone()), kind, k));
                    }
                }
            }
        };
        while let Some(e) = baseline.events.get(next).filter(|e| e.operation == i) {
            next += 1;
            if let (true, Some(step)) = (e.figure == Some(figure), e.step) {
                let k = counts.entry(step).or_insert(0);
                cut(&mut all, &mut total, &world, step, *k, (up, linked));
                *k += 1;
                placed = true;
            }
            for c in &e.changes {
                world.apply(c);
            }
            if e.changes.iter().any(|c| matches!(c.key, Key::Up { .. } | Key::Connected { .. })) {
                (up, linked) = count(&world);
            }
        }
        if !placed {
            let (w, u, l) = before_op;
            cut(&mut all, &mut total, &w, *steps.start(), 0, (u, l));
        }
    }
    (all, total)
}

/// Counts a fault point, and keeps it while fewer than `limit` are kept.
fn offer(all: &mut Vec<Fault>, total: &mut usize, limit: usize, make: impl FnOnce() -> Fault) {
    *total += 1;
    if all.len() < limit {
        all.push(make());
    }
}

/// Explores the scenario with single faults (see the module documentation).
pub fn explore(doc: &Document, scenario: &Scenario) -> Result<Report, ScenarioError> {
    explore_with(doc, scenario, Options::default())
}

/// Explores the scenario as `options` say.
pub fn explore_with(
    doc: &Document,
    scenario: &Scenario,
    options: Options,
) -> Result<Report, ScenarioError> {
    let ops = scenario.validate(doc)?;
    let net = crate::net::Net::new(doc);
    let baseline = crate::run(doc, net.clone(), scenario, &ops);
    let bound = options.max_runs.or((options.depth >= 2).then_some(PAIR_BOUND));
    let (points, total) = fault_points(&baseline, &ops, bound.unwrap_or(usize::MAX));
    let mut report = Report {
        runs: 1,
        points: total,
        pairs: 0,
        bound,
        left_out: 0,
        total: Counts::default(),
        by_operation: BTreeMap::new(),
        violations: Vec::new(),
    };
    let mut found: BTreeSet<&'static str> = BTreeSet::new();
    record(&mut report, &mut found, &baseline.violations, &[], scenario);
    let room = |report: &Report| bound.is_none_or(|b| report.runs < b);
    for f in &points {
        if !room(&report) {
            break;
        }
        let mut variant = scenario.clone();
        variant.faults.push(f.clone());
        let run = crate::run(doc, net.clone(), &variant, &ops);
        report.runs += 1;
        let verdict = run.outcomes.get(f.operation).map(|o| o.result);
        report.total.add(verdict);
        report.by_operation.entry(f.operation).or_default().add(verdict);
        record(&mut report, &mut found, &run.violations, std::slice::from_ref(f), &variant);
    }
    report.left_out = total - (report.runs - 1);
    if options.depth >= 2 {
        let all_pairs = total.saturating_mul(total.saturating_sub(1)) / 2;
        'pairs: for (a, first) in points.iter().enumerate() {
            for second in &points[a + 1..] {
                if !room(&report) || report.left_out > 0 {
                    break 'pairs;
                }
                let pair = [first.clone(), second.clone()];
                let mut variant = scenario.clone();
                variant.faults.extend(pair.iter().cloned());
                let run = crate::run(doc, net.clone(), &variant, &ops);
                report.runs += 1;
                report.pairs += 1;
                record(&mut report, &mut found, &run.violations, &pair, &variant);
            }
        }
        report.left_out += all_pairs - report.pairs;
    }
    Ok(report)
}

/// Keeps each invariant the run broke that no earlier run broke.
fn record(
    report: &mut Report,
    found: &mut BTreeSet<&'static str>,
    violations: &[Violation],
    faults: &[Fault],
    scenario: &Scenario,
) {
    for v in violations {
        if found.insert(v.invariant) {
            report.violations.push(Found {
                invariant: v.invariant,
                event: v.event,
                what: v.what.clone(),
                faults: faults.to_vec(),
                scenario: scenario.clone(),
            });
        }
    }
}

impl Report {
    /// Whether the check passes: no run broke an invariant.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }

    /// The report as text: the runs, the outcome counts, then each broken invariant once with
    /// the scenario that replays it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let c = &self.total;
        write!(
            out,
            "runs {} (the scenario as written and {} with one more fault, of {} single fault points",
            self.runs, c.runs, self.points
        )
        .ok();
        if self.pairs > 0 {
            write!(out, "; {} with a pair of faults", self.pairs).ok();
        }
        if let Some(b) = self.bound {
            write!(out, "; bound {b} runs, {} left out", self.left_out).ok();
        }
        writeln!(out, ")").ok();
        writeln!(
            out,
            "faulted operations: committed {}, aborted {}, refused {}",
            c.committed, c.aborted, c.refused
        )
        .ok();
        for (op, c) in &self.by_operation {
            writeln!(
                out,
                "operation {op}: {} runs: committed {}, aborted {}, refused {}",
                c.runs, c.committed, c.aborted, c.refused
            )
            .ok();
        }
        writeln!(out, "invariants broken: {}", self.violations.len()).ok();
        for f in &self.violations {
            writeln!(out, "violation {} at event {}: {}", f.invariant, f.event, f.what).ok();
            let faults = if f.faults.is_empty() {
                "none (the scenario as written)".to_owned()
            } else {
                serde_json::to_string(&f.faults).unwrap_or_default()
            };
            writeln!(out, "  faults: {faults}").ok();
            writeln!(out, "  replay: {}", serde_json::to_string(&f.scenario).unwrap_or_default())
                .ok();
        }
        out
    }

    pub fn to_json(&self) -> Value {
        json!(self)
    }
}
