//! Data-driven tests: each fixture is a scenario run against a model and rendered as text (the
//! trace and outcome lines of `clusterplan simulate`, the invariants the run broke, the final
//! world), compared with its `.expected` file through one `check` helper. Fixtures are the
//! `tests/data/*.json` scenarios (their `"model"` field names the model document, from the
//! workspace root) and every example of `examples/scenarios/` (against `examples/lifecycle.json`,
//! expected files in `tests/data/examples/`). Run with `UPDATE_EXPECT=1` to write the expected
//! files after checking the diff by eye.

use clusterplan_engine::document;
use clusterplan_lifecycle::{invariants, scenario, simulate};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Runs a scenario's text against the model its `"model"` field names (default: the lessons'
/// model) and renders what the expected files hold.
fn render(text: &str, default_model: &str) -> String {
    let mut out = String::new();
    let sc = match scenario::read(text) {
        Ok(sc) => sc,
        Err(e) => return format!("scenario error: {e}\n"),
    };
    let model = sc.extra.get("model").and_then(|m| m.as_str()).unwrap_or(default_model);
    let model_text = std::fs::read_to_string(root().join(model)).unwrap();
    let doc = document::read(&model_text).unwrap();
    let sim = match simulate(&doc, &sc) {
        Ok(sim) => sim,
        Err(e) => return format!("scenario error: {e}\n"),
    };
    out.push_str(&sim.to_text());
    // The trace's violation lines are the invariants broken; replayed, the check agrees.
    assert_eq!(invariants::check(&sim, &doc, &sc).unwrap(), sim.violations, "replay differs");
    writeln!(out, "# final world").unwrap();
    let state = sim.final_world.to_json();
    for (uid, n) in state["nodes"].as_object().unwrap() {
        writeln!(
            out,
            "node {uid} up={} connected={} hardware={} current={} target={} local={} processes={}",
            n["up"],
            n["connected"],
            n["hardware_uid"],
            n["current"],
            n["target"],
            n["local"],
            n["processes"]
        )
        .unwrap();
    }
    for (c, cs) in state["clusters"].as_object().unwrap() {
        for (r, rep) in cs["replicas"].as_object().unwrap() {
            let stale = if rep.get("stale").is_some() { " stale" } else { "" };
            writeln!(
                out,
                "replica {c}@{r} incarnation={} nodes={}{stale}",
                rep["incarnation"], rep["nodes"]
            )
            .unwrap();
        }
    }
    // The same document and scenario give the same trace, byte for byte.
    assert_eq!(simulate(&doc, &sc).unwrap(), sim, "two runs differ");
    out
}

/// Renders `input` and compares it with `expected` (or writes it with `UPDATE_EXPECT=1`).
fn check(input: &Path, expected: &Path) {
    let text = std::fs::read_to_string(input).unwrap();
    let actual = render(&text, "examples/lifecycle.json");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        std::fs::write(expected, &actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if actual != want {
        panic!(
            "{}: output differs from {}\n--- expected\n{want}\n--- actual\n{actual}",
            input.display(),
            expected.display()
        );
    }
}

macro_rules! data_tests {
    ($($name:ident),* $(,)?) => { $( #[test] fn $name() {
        let name = stringify!($name);
        check(&data_dir().join(format!("{name}.json")), &data_dir().join(format!("{name}.expected")));
    } )* };
}

data_tests!(
    define_already_defined,
    define_local_unknown_to_global,
    define_after_member_crash,
    define_no_machine,
    bootstrap_phase1_fails,
    bootstrap_crash_mid_protocol,
    bootstrap_crash_between_nodes,
    bootstrap_uid_scenario_3,
    bootstrap_partition,
    join_write_fails,
    join_event_lost,
    move_no_registry_online,
    move_crash_mid_move,
    registry_rejoins_stale,
    undefine_connected,
    unknown_op,
    unknown_node,
    bad_step,
    fault_on_control_op,
    after_without_crash,
    // Issue 22's cases (docs/lifecycle.md, under faults).
    case_define_missed_by_cut_off_server,
    case_undefine_missed_by_cut_off_server,
    case_second_define_of_a_taken_number,
    case_primary_cut_off_none,
    case_primary_cut_off_majority,
    case_newer_server_starts_later,
    case_move_fails_at_step_8,
    case_registry_server_moves_away_and_back,
    case_define_undo_with_a_server_down,
    case_online_registry_server_on_offline_node,
    case_split_none_loses_a_write,
    case_split_majority_waits,
    cluster_define_use_undefine,
    cluster_define_faults,
    cluster_define_unreachable,
    cluster_undefine_faults,
    cluster_modify_faults,
    offline_cluster_faults,
    registry_server_define,
    registry_server_define_faults,
    registry_server_undefine,
    modify_node_faults,
    bootstrap_lost_read,
    new_op_fields,
    bad_quorum,
    unknown_new_cluster,
);

/// Every example scenario, against the lessons' model.
#[test]
fn examples() {
    let dir = root().join("examples/scenarios");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    assert!(names.len() >= 12, "the examples are missing");
    for path in names {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        check(&path, &data_dir().join("examples").join(format!("{stem}.expected")));
    }
}
