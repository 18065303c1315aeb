//! `clusterplan simulate` against the scenario contract (`docs/cli.md`, `docs/lifecycle.md`).

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

/// A path from the workspace root, as text.
fn root(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path).display().to_string()
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clusterplan"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn model() -> String {
    root("examples/lifecycle.json")
}

fn example(name: &str) -> String {
    root(&format!("examples/scenarios/{name}.json"))
}

/// Writes a scenario text to a temporary file.
fn scenario_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("clusterplan-simulate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn text_is_one_event_a_line_then_one_outcome_line_per_operation() {
    let (code, out, err) = run(&["simulate", &model(), &example("fig8-stale-replica")]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let outcomes: Vec<&&str> = lines.iter().filter(|l| l.starts_with("outcome ")).collect();
    assert_eq!(outcomes.len(), 4, "{out}");
    // The outcome lines come last, one per operation, in order.
    assert!(lines[lines.len() - 4..].iter().all(|l| l.starts_with("outcome ")));
    assert!(lines[lines.len() - 1].starts_with("outcome 3 bootstrap: committed"), "{out}");
    assert!(lines[..lines.len() - 4]
        .iter()
        .enumerate()
        .all(|(i, l)| l.trim_start().starts_with(&format!("{} op ", i + 1))));
    // Phase 1 picks n2's copy (5); phase 2 updates n1 (1) and n3 (3) to it.
    assert!(out.contains("the highest incarnation is 5 (n2); this copy (1) is stale"), "{out}");
    assert!(out.contains("A@n1 incarnation 1 -> 5"), "{out}");
    assert!(out.contains("A@n3 incarnation 3 -> 5"), "{out}");
}

#[test]
fn json_follows_the_contract() {
    let (code, out, err) =
        run(&["simulate", &model(), &example("fig11-scenario-3-hardware-replaced"), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let outcomes = v["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 4);
    let join = &outcomes[3];
    assert_eq!(
        (join["operation"].as_u64(), join["op"].as_str(), join["result"].as_str()),
        (Some(3), Some("join"), Some("committed"))
    );
    assert_eq!(join["uid_scenario"], 3);
    assert!(join["reason"].is_string());
    assert!(outcomes[0].get("uid_scenario").is_none(), "uid_scenario is for joins only");
    let e = &v["events"][0];
    for key in ["seq", "operation", "figure", "step", "node", "process", "what", "changes"] {
        assert!(e.get(key).is_some(), "event field {key}: {e}");
    }
    assert_eq!(
        (e["seq"].as_u64(), e["figure"].as_str(), e["step"].as_u64()),
        (Some(1), Some("FIG 8"), Some(0))
    );
    let change = &e["changes"][0];
    assert!(change.get("before").is_some() && change.get("after").is_some(), "{change}");
    for state in ["initial", "final"] {
        let n4 = &v[state]["nodes"]["n4"];
        for key in ["up", "connected", "hardware_uid", "current", "target", "local", "storage"] {
            assert!(n4.get(key).is_some(), "{state} node field {key}");
        }
        assert!(v[state]["clusters"]["A"]["replicas"]["n1"]["nodes"]["4"].is_string());
    }
    assert_eq!(v["initial"]["nodes"]["n4"]["hardware_uid"], "n4");
    assert_eq!(v["initial"]["nodes"]["n4"]["current"], "A");
    assert_eq!(
        v["initial"]["nodes"]["n4"]["local"]["A"],
        serde_json::json!({ "uid": "n4", "number": 4 })
    );
    assert_eq!(v["initial"]["clusters"]["A"]["replicas"]["n2"]["incarnation"], 1);
    // Scenario 3: local and global UID corrected to the new hardware's.
    assert_eq!(v["final"]["nodes"]["n4"]["local"]["A"]["uid"], "n4-b");
    assert_eq!(v["final"]["clusters"]["A"]["replicas"]["n2"]["nodes"]["4"], "n4-b");
    assert!(v["final"]["storage"].is_null());
    assert!(v["final"]["nodes"]["n4"]["storage"]["dcm/configuration/current"].is_string());
}

#[test]
fn every_example_runs_with_the_outcomes_of_its_figure() {
    let expect: &[(&str, &[&str])] = &[
        ("fig8-stale-replica", &["committed"; 4]),
        ("fig8-registry-server-down", &["committed", "committed"]),
        ("fig11-scenario-1-normal", &["committed", "committed", "committed"]),
        (
            "fig11-scenario-2-deleted-while-away",
            &["committed", "committed", "committed", "committed", "committed", "refused"],
        ),
        (
            "fig11-scenario-3-hardware-replaced",
            &["committed", "committed", "committed", "committed"],
        ),
        (
            "fig11-scenario-4-deleted-and-replaced",
            &[
                "committed",
                "committed",
                "committed",
                "committed",
                "committed",
                "committed",
                "refused",
            ],
        ),
        ("fig13-define-committed", &["committed", "committed"]),
        ("fig13-define-fails-step-9", &["committed", "aborted", "refused"]),
        ("fig13-define-fails-step-12", &["committed", "aborted"]),
        ("fig15-automatic-configuration", &["committed"; 5]),
        ("fig18-move-committed", &["committed", "committed", "committed"]),
        ("fig18-move-fails-at-refresh", &["committed", "committed", "aborted"]),
    ];
    for (name, results) in expect {
        let (code, out, err) = run(&["simulate", &model(), &example(name), "--json"]);
        assert_eq!(code, 0, "{name}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let got: Vec<&str> = v["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["result"].as_str().unwrap())
            .collect();
        assert_eq!(&got, results, "{name}");
    }
    let (_, out, _) =
        run(&["simulate", &model(), &example("fig11-scenario-2-deleted-while-away"), "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["outcomes"][5]["uid_scenario"], 2);
    assert!(
        v["final"]["nodes"]["n4"]["local"].as_object().unwrap().is_empty(),
        "scenario 2 cleans the local definition"
    );
}

#[test]
fn the_same_run_twice_gives_the_same_bytes() {
    let a = run(&["simulate", &model(), &example("fig15-automatic-configuration"), "--json"]);
    let b = run(&["simulate", &model(), &example("fig15-automatic-configuration"), "--json"]);
    assert_eq!(a, b);
}

#[test]
fn a_broken_scenario_gets_one_line_and_exit_2() {
    let cases = [
        (
            "unknown-node.json",
            r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"crash","node":"zz"}]}"#,
            "unknown node \"zz\"",
        ),
        (
            "unknown-op.json",
            r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"explode"}]}"#,
            "unknown op \"explode\"",
        ),
        (
            "unknown-cluster.json",
            r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"bootstrap","cluster":"Q"}]}"#,
            "unknown cluster \"Q\"",
        ),
        (
            "bad-step.json",
            r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"move-node","node":"n5","to":"B"}],"faults":[{"operation":0,"step":10}]}"#,
            "FIG 18 has no step 10",
        ),
        ("not-json.json", "{", "not JSON"),
        ("wrong-format.json", r#"{"format":"cluster-planner/1"}"#, "unsupported format"),
    ];
    for (file, text, needle) in cases {
        let path = scenario_file(file, text);
        let (code, out, err) = run(&["simulate", &model(), &path]);
        assert_eq!(code, 2, "{file}");
        assert!(out.is_empty(), "{file}: {out}");
        assert_eq!(err.lines().count(), 1, "{file}: {err}");
        assert!(err.starts_with("clusterplan: ") && err.contains(needle), "{file}: {err}");
    }
    let (code, _, err) = run(&["simulate", &model(), "no-such-scenario.json"]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
}

#[test]
fn explore_counts_runs_and_saves_each_violation_as_a_replayable_scenario() {
    // A check: exit 0 when no run broke an invariant, 1 when one did.
    let (code, out, err) =
        run(&["simulate", &model(), &example("fig18-move-committed"), "--explore"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("runs "), "{out}");
    assert!(out.contains("invariants broken: 0"), "{out}");
    let dir = std::env::temp_dir().join(format!("clusterplan-explore-{}", std::process::id()));
    let (code, out, err) = run(&[
        "simulate",
        &model(),
        &example("fig13-define-committed"),
        "--explore",
        "--save",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    // The member DCM crashing after the registry committed leaves the global entry behind.
    assert!(out.contains("invariants broken: 1\nviolation atomic-define at event"), "{out}");
    let saved = dir.join("violation-001.json");
    let (code, replay, err) = run(&["simulate", &model(), saved.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(replay.contains("crashes as step 10 begins"), "{replay}");
    let (code, out, _) =
        run(&["simulate", &model(), &example("fig13-define-committed"), "--explore", "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["runs"].as_u64().unwrap() > 100);
    assert_eq!(v["total"]["runs"].as_u64().unwrap() + 1, v["runs"].as_u64().unwrap());
    assert_eq!(v["violations"][0]["invariant"], "atomic-define");
    assert!(v["violations"][0]["scenario"]["operations"].is_array());
    // A bound: the report says how many runs it left out.
    let (code, out, _) = run(&[
        "simulate",
        &model(),
        &example("fig13-define-committed"),
        "--explore",
        "--depth",
        "2",
        "--max-runs",
        "50",
    ]);
    assert!(code == 0 || code == 1);
    assert!(out.starts_with("runs 50 ") && out.contains("bound 50 runs"), "{out}");
}
