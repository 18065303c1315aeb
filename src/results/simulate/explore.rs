//! "Explore" in the Simulate tab: the same exploration as `clusterplan simulate --explore`, in the
//! page: the scenario rerun with each fault point of the lifecycle crate's explorer
//! ([`clusterplan_lifecycle::explore::faults`]: every step failed, every involved node crashed at
//! every event), each run's faulted operation's outcome and the invariants it broke, grouped by
//! outcome; each point knows where its fault strikes, so a click opens that run there. Pure.

use clusterplan_engine::Document;
use clusterplan_lifecycle::{explore, simulate, Fault, FaultKind, Scenario};

/// One fault point and what its run did.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub fault: Fault,
    /// The faulted operation's outcome: `committed`, `aborted` or `refused`.
    pub verdict: &'static str,
    /// The invariants the run broke (their names), none for a sound run.
    pub broken: Vec<String>,
    /// The event where the fault strikes in its run (the first of its step in its operation, or
    /// the last event before it), to open the run there.
    pub at: usize,
}

impl Point {
    /// `op 1 step 9`, `op 1 step 12 on n9`, `op 1 step 10: crash of n1 after 1 event`.
    pub fn label(&self) -> String {
        let f = &self.fault;
        let mut text = format!("op {} step {}", f.operation, f.step);
        match (f.kind, &f.node) {
            (FaultKind::Crash, Some(n)) => {
                text.push_str(&format!(": crash of {n}"));
                if let Some(k) = f.after {
                    text.push_str(&format!(
                        " after {}",
                        crate::results::count(k, "event", "events")
                    ));
                }
            }
            (_, Some(n)) => text.push_str(&format!(" on {n}")),
            (_, None) => {}
        }
        text
    }
}

/// The groups shown, in order: runs that broke an invariant, then by outcome.
pub const GROUPS: [&str; 4] = ["broke an invariant", "aborted", "refused", "committed"];

/// The group a point is listed in.
pub fn group(p: &Point) -> &'static str {
    if !p.broken.is_empty() {
        GROUPS[0]
    } else {
        match p.verdict {
            "aborted" => GROUPS[1],
            "refused" => GROUPS[2],
            _ => GROUPS[3],
        }
    }
}

/// Every fault point of the scenario on `doc`, in the explorer's order.
pub fn explore_points(doc: &Document, scenario: &Scenario) -> Result<Vec<Point>, String> {
    let ops = scenario.validate(doc).map_err(|e| e.to_string())?;
    let baseline = simulate(doc, scenario).map_err(|e| e.to_string())?;
    let mut points = Vec::new();
    for fault in explore::faults(&baseline, &ops) {
        let mut variant = scenario.clone();
        variant.faults.push(fault.clone());
        let run = simulate(doc, &variant).map_err(|e| e.to_string())?;
        let verdict = run.outcomes.get(fault.operation).map_or("refused", |o| o.result.name());
        let broken = run.violations.iter().map(|v| v.invariant.to_string()).collect();
        let first = run
            .events
            .iter()
            .find(|e| e.operation == fault.operation && e.step == Some(fault.step))
            .or_else(|| run.events.iter().rev().find(|e| e.operation <= fault.operation))
            .map_or(0, |e| e.seq);
        let at = first + fault.after.unwrap_or(0);
        points.push(Point { fault, verdict, broken, at: at.min(run.events.len()) });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::simulate::lessons;

    #[test]
    fn the_page_explores_as_the_cli_does() {
        let doc = crate::examples::by_id(lessons::MODEL).unwrap().document();
        let scenario = lessons::by_id("fig13-define-committed").unwrap().scenario();
        let points = explore_points(&doc, &scenario).unwrap();
        let report = explore::explore(&doc, &scenario).unwrap();
        assert_eq!(points.len() + 1, report.runs);
        let count = |v: &str| points.iter().filter(|p| p.verdict == v).count();
        assert_eq!(count("committed"), report.total.committed);
        assert_eq!(count("aborted"), report.total.aborted);
        assert_eq!(count("refused"), report.total.refused);
        // The invariants the points broke are those the explorer reports (each once).
        let mut broken: Vec<&str> =
            points.iter().flat_map(|p| p.broken.iter().map(String::as_str)).collect();
        broken.sort_unstable();
        broken.dedup();
        let mut reported: Vec<&str> = report.violations.iter().map(|v| v.invariant).collect();
        reported.sort_unstable();
        assert_eq!(broken, reported);
        assert!(!broken.is_empty(), "the member DCM crash after the commit (docs/lifecycle.md)");
        // The commit failing aborts the define; its point opens at FIG 13 step 9.
        let commit = points
            .iter()
            .find(|p| p.fault.operation == 1 && p.fault.step == 9 && p.fault.node.is_none())
            .unwrap();
        assert_eq!((commit.verdict, group(commit)), ("aborted", "aborted"));
        assert_eq!(commit.label(), "op 1 step 9");
        let mut rerun = scenario.clone();
        rerun.faults.push(commit.fault.clone());
        let sim = simulate(&doc, &rerun).unwrap();
        assert_eq!(sim.events[commit.at - 1].step, Some(9));
    }
}
