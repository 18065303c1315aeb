//! The explorer as a check (`docs/spec.md §6`, `docs/lifecycle.md`): under quorum `majority` a
//! bootstrap breaks no invariant at any single fault point, and a split loses nothing; under
//! `none` the split's lost write is found once, with a scenario that replays it.

use clusterplan_engine::document::{self, Document};
use clusterplan_lifecycle::explore::{explore, explore_with, Options};
use clusterplan_lifecycle::{scenario, simulate, Scenario};
use std::path::Path;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn doc(path: &str) -> Document {
    document::read(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

fn case(name: &str) -> (Document, Scenario) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{name}.json"));
    let sc = scenario::read(&std::fs::read_to_string(path).unwrap()).unwrap();
    let model = sc.extra.get("model").and_then(|m| m.as_str()).unwrap_or("examples/lifecycle.json");
    (doc(model), sc)
}

fn bootstrap() -> Scenario {
    scenario::read(
        r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"bootstrap","cluster":"A"}]}"#,
    )
    .unwrap()
}

#[test]
fn a_bootstrap_under_majority_breaks_nothing_at_any_single_fault_point() {
    for model in [
        "crates/lifecycle/tests/data/models/lessons-majority.json",
        "crates/lifecycle/tests/data/models/two-sites-majority.json",
    ] {
        let report = explore(&doc(model), &bootstrap()).unwrap();
        assert!(report.runs > 500, "{model}: {}", report.runs);
        assert!(report.passed(), "{model}: {}", report.to_text());
    }
}

#[test]
fn under_none_the_split_loses_a_write_and_the_explorer_replays_it() {
    let (d, sc) = case("case_split_none_loses_a_write");
    let report = explore_with(&d, &sc, Options { depth: 1, max_runs: Some(200) }).unwrap();
    assert!(!report.passed());
    let lost: Vec<_> =
        report.violations.iter().filter(|f| f.invariant == "no-lost-write").collect();
    assert_eq!(lost.len(), 1, "each broken invariant once: {}", report.to_text());
    let replay = simulate(&d, &lost[0].scenario).unwrap();
    assert!(replay.violations.iter().any(|v| v.invariant == "no-lost-write"));
    assert_eq!(report.runs, 200);
    assert!(report.left_out > 0);
}

#[test]
fn under_majority_the_split_loses_nothing_whatever_single_fault() {
    let (d, sc) = case("case_split_majority_waits");
    let report = explore(&d, &sc).unwrap();
    // The source's own gap (docs/lifecycle.md): the member DCM crashing after the global commit
    // leaves the define's entry with nobody to erase it. Nothing else.
    let broken: Vec<&str> = report.violations.iter().map(|f| f.invariant).collect();
    assert!(broken.iter().all(|i| *i == "atomic-define"), "{}", report.to_text());
}

#[test]
fn pairs_are_bounded_and_the_bound_is_stated() {
    let (d, sc) = case("case_move_fails_at_step_8");
    let report = explore_with(&d, &sc, Options { depth: 2, max_runs: Some(300) }).unwrap();
    assert_eq!(report.runs, 300);
    assert!(report.pairs > 0 || report.points >= 299);
    assert!(report.to_text().contains("bound 300 runs"));
}
