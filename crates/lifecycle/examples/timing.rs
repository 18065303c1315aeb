//! Quick timing of a generated cluster's bootstrap: `cargo run --profile bench -p
//! clusterplan-lifecycle --example timing -- NODES RUNS` prints the events, the changes and the
//! best wall time of RUNS runs (after one untimed run; freeing the trace included). With a third
//! argument, `explore`, it times `--explore` of that bootstrap instead, bounded to RUNS runs:
//! the fault points, the runs made, the wall time and the invariants broken. See
//! docs/performance.md.

use clusterplan_engine::generate::data_centre;
use clusterplan_lifecycle::{scenario, simulate};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let doc = data_centre(nodes);
    let text = r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"bootstrap","cluster":"dc"}]}"#;
    let sc = match scenario::read(text) {
        Ok(sc) => sc,
        Err(e) => return eprintln!("{e}"),
    };
    if args.next().as_deref() == Some("explore") {
        let options = clusterplan_lifecycle::explore::Options { depth: 1, max_runs: Some(runs) };
        let start = Instant::now();
        let report = match clusterplan_lifecycle::explore::explore_with(&doc, &sc, options) {
            Ok(report) => report,
            Err(e) => return eprintln!("{e}"),
        };
        let took = start.elapsed().as_secs_f64();
        println!(
            "{nodes} nodes, --explore bounded to {runs} runs: {} fault points, {} runs in {took:.1} s ({:.0} ms a run), {} left out, invariants broken: {}",
            report.points,
            report.runs,
            took * 1e3 / report.runs as f64,
            report.left_out,
            report.violations.len()
        );
        return;
    }
    let first = match simulate(&doc, &sc) {
        Ok(run) => run,
        Err(e) => return eprintln!("{e}"),
    };
    let changes: usize = first.events.iter().map(|e| e.changes.len()).sum();
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        drop(simulate(&doc, &sc));
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{nodes} nodes: {} events, {changes} changes, {}: best of {runs} {:.1} ms, {:.0} events/s",
        first.events.len(),
        first.outcomes[0].result.name(),
        best * 1e3,
        first.events.len() as f64 / best
    );
}
