//! `--explore` (`docs/spec.md §6`): rerun a scenario with one more fault each time: every step
//! of each protocol operation's figure failed (on every node, then on each node that does the
//! step), and every node the operation involves crashed at each event it reaches; check the
//! invariants on every run; count the faulted operation's outcomes; keep each run that broke an
//! invariant as a scenario one can replay.

use crate::invariants::{self, Violation};
use crate::scenario::{Fault, FaultKind, Scenario, ScenarioError};
use crate::trace::Verdict;
use clusterplan_engine::Document;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A run that broke an invariant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// The fault added to the scenario (`None`: the scenario as written).
    pub fault: Option<Fault>,
    pub violations: Vec<Violation>,
    /// The scenario with that fault: replay it with `clusterplan simulate`.
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
    /// The faulted operation's outcome over the faulted runs.
    pub total: Counts,
    /// The same per operation index.
    pub by_operation: BTreeMap<usize, Counts>,
    pub violations: Vec<Found>,
}

/// The faults to try, in order: per operation with a figure, each step failed everywhere, then
/// on each node that did it in the run as written; then each node the operation involves
/// crashed at each event of each step that run reached (as the step begins, and after each of
/// its events but the last).
pub fn faults(baseline: &crate::trace::Simulation, ops: &[crate::scenario::Op]) -> Vec<Fault> {
    let mut all = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let Some((figure, steps)) = op.figure() else { continue };
        let events: Vec<&crate::trace::Event> =
            baseline.events.iter().filter(|e| e.operation == i).collect();
        let mut involved: Vec<String> = events.iter().filter_map(|e| e.node.clone()).collect();
        involved.sort();
        involved.dedup();
        let fault = |step, node: Option<String>, kind, after| Fault {
            operation: i,
            step,
            node,
            kind,
            after,
            extra: Default::default(),
        };
        for step in steps.clone() {
            all.push(fault(step, None, FaultKind::Fail, None));
            let mut doers: Vec<String> = events
                .iter()
                .filter(|e| e.figure == Some(figure) && e.step == Some(step))
                .filter_map(|e| e.node.clone())
                .collect();
            doers.sort();
            doers.dedup();
            if doers.len() > 1 {
                all.extend(doers.into_iter().map(|n| fault(step, Some(n), FaultKind::Fail, None)));
            }
        }
        // Events per step reached (the first time the step is reached counts).
        let mut reached: Vec<(u8, usize)> = Vec::new();
        for e in events.iter().filter(|e| e.figure == Some(figure)) {
            let Some(step) = e.step else { continue };
            match reached.iter_mut().find(|(s, _)| *s == step) {
                Some((_, n)) => *n += 1,
                None => reached.push((step, 1)),
            }
        }
        reached.sort_unstable();
        for (step, n) in reached {
            for after in 0..n {
                let after = (after > 0).then_some(after);
                all.extend(
                    involved.iter().map(|x| fault(step, Some(x.clone()), FaultKind::Crash, after)),
                );
            }
        }
    }
    all
}

/// Explores the scenario (see the module documentation).
pub fn explore(doc: &Document, scenario: &Scenario) -> Result<Report, ScenarioError> {
    let ops = scenario.validate(doc)?;
    let net = crate::net::Net::new(doc);
    let baseline = crate::ops::run_all(doc, net.clone(), scenario, &ops);
    let mut report = Report {
        runs: 1,
        total: Counts::default(),
        by_operation: BTreeMap::new(),
        violations: Vec::new(),
    };
    let broken = invariants::check(&baseline, scenario);
    if !broken.is_empty() {
        report.violations.push(Found {
            fault: None,
            violations: broken,
            scenario: scenario.clone(),
        });
    }
    for fault in faults(&baseline, &ops) {
        let mut variant = scenario.clone();
        variant.faults.push(fault.clone());
        let run = crate::ops::run_all(doc, net.clone(), &variant, &ops);
        report.runs += 1;
        let verdict = run.outcomes.get(fault.operation).map(|o| o.result);
        report.total.add(verdict);
        report.by_operation.entry(fault.operation).or_default().add(verdict);
        let broken = invariants::check(&run, &variant);
        if !broken.is_empty() {
            report.violations.push(Found {
                fault: Some(fault),
                violations: broken,
                scenario: variant,
            });
        }
    }
    Ok(report)
}

impl Report {
    /// The report as text: counts, then each violating run with its replayable scenario.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let c = &self.total;
        writeln!(
            out,
            "runs {} (the scenario as written and {} with one more fault)",
            self.runs, c.runs
        )
        .ok();
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
        writeln!(out, "runs that broke an invariant: {}", self.violations.len()).ok();
        for (i, f) in self.violations.iter().enumerate() {
            let fault = f.fault.as_ref().map_or("none (the scenario as written)".to_owned(), |x| {
                serde_json::to_string(x).unwrap_or_default()
            });
            writeln!(out, "violation {}: fault {fault}", i + 1).ok();
            for v in &f.violations {
                let at = v.seq.map_or("end".to_owned(), |s| format!("event {s}"));
                writeln!(out, "  {} (operation {}, {at}): {}", v.rule, v.operation, v.what).ok();
            }
            writeln!(out, "  replay: {}", serde_json::to_string(&f.scenario).unwrap_or_default())
                .ok();
        }
        out
    }

    pub fn to_json(&self) -> Value {
        json!(self)
    }
}
