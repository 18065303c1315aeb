//! The invariant checker can fail: runs tampered with in the ways the rules forbid are caught,
//! each by its rule (the runs the simulation makes are checked in `properties.rs` and by the
//! fixtures of `data_driven.rs`).

use clusterplan_engine::document;
use clusterplan_lifecycle::trace::Access;
use clusterplan_lifecycle::world::{Change, Key};
use clusterplan_lifecycle::{invariants, scenario, simulate, Scenario, Simulation};
use serde_json::json;

fn run(example: &str) -> (Simulation, Scenario) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc =
        document::read(&std::fs::read_to_string(root.join("examples/lifecycle.json")).unwrap())
            .unwrap();
    let path = root.join(format!("examples/scenarios/{example}.json"));
    let sc = scenario::read(&std::fs::read_to_string(path).unwrap()).unwrap();
    (simulate(&doc, &sc).unwrap(), sc)
}

fn rules(sim: &Simulation, sc: &Scenario) -> Vec<&'static str> {
    invariants::check(sim, sc).into_iter().map(|v| v.rule).collect()
}

#[test]
fn the_untouched_run_keeps_every_rule() {
    let (sim, sc) = run("fig8-stale-replica");
    assert!(rules(&sim, &sc).is_empty());
}

#[test]
fn a_read_from_a_stale_replica_breaks_the_dependency_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // n4's DCM read at step 6 went to n2 (n3 and n1 are stale): make it read from n1.
    let e = sim
        .events
        .iter_mut()
        .find(|e| e.step == Some(6) && e.node.as_deref() == Some("n4"))
        .unwrap();
    assert!(matches!(&e.access, Some(Access::GlobalRead { server, .. }) if server == "n2"));
    e.access = Some(Access::GlobalRead {
        component: "dcm".into(),
        cluster: "A".into(),
        server: "n1".into(),
    });
    assert_eq!(rules(&sim, &sc), ["dependency"]);
}

#[test]
fn a_local_read_before_the_dcm_checked_breaks_the_dependency_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // Liveness on n4 reads the local configuration at step 8; pretend it did so at step 2.
    let e = sim
        .events
        .iter_mut()
        .find(|e| e.step == Some(2) && e.node.as_deref() == Some("n4"))
        .unwrap();
    e.access = Some(Access::Local { component: "liveness".into(), cluster: "A".into() });
    assert_eq!(rules(&sim, &sc), ["dependency"]);
}

#[test]
fn a_replica_written_before_phase_2_breaks_the_write_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    let e = sim
        .events
        .iter_mut()
        .find(|e| e.step == Some(7) && e.node.as_deref() == Some("n4"))
        .unwrap();
    e.changes.push(Change {
        key: Key::GlobalNode { cluster: "A".into(), replica: "n2".into(), number: 9 },
        before: json!(null),
        after: json!("x"),
    });
    assert!(rules(&sim, &sc).contains(&"write-before-phase-2"));
}

#[test]
fn a_node_serving_two_clusters_breaks_the_one_cluster_rule() {
    let (mut sim, sc) = run("fig18-move-committed");
    // At step 7 n5's components switch to B together; leave Liveness in A.
    let e =
        sim.events.iter_mut().find(|e| e.figure == Some("FIG 18") && e.step == Some(7)).unwrap();
    e.changes.retain(|c| !matches!(&c.key, Key::Process { process, .. } if process == "liveness"));
    assert!(rules(&sim, &sc).contains(&"one-cluster"));
}

#[test]
fn a_target_pointer_left_behind_breaks_its_rule() {
    let (mut sim, sc) = run("fig18-move-committed");
    let e =
        sim.events.iter_mut().find(|e| e.figure == Some("FIG 18") && e.step == Some(8)).unwrap();
    e.changes.retain(|c| !matches!(&c.key, Key::Storage { path, .. } if path.ends_with("target")));
    assert_eq!(rules(&sim, &sc), ["target-cleared"]);
}

#[test]
fn an_aborted_define_that_leaves_its_entry_breaks_atomicity() {
    let (mut sim, sc) = run("fig13-define-fails-step-12");
    // Drop the undo of step 13: the global entry of step 9 stays.
    sim.events.retain(|e| !(e.figure == Some("FIG 13") && e.step == Some(13)));
    assert!(rules(&sim, &sc).contains(&"atomic-define"));
}

#[test]
fn a_bootstrap_leaving_a_replica_behind_breaks_the_highest_copy_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // n3 ends the bootstrap back at its stale copy (incarnation 3) while it serves.
    let mut last = sim.events.last().unwrap().clone();
    let now = sim.final_world.replica("A", "n3").unwrap().incarnation;
    last.seq += 1;
    last.access = Some(Access::SetUp);
    last.changes = vec![Change {
        key: Key::Incarnation { cluster: "A".into(), replica: "n3".into() },
        before: json!(now),
        after: json!(3),
    }];
    sim.events.push(last);
    assert_eq!(rules(&sim, &sc), ["highest-copy"]);
}

#[test]
fn stepping_back_from_the_final_world_reaches_the_initial_one() {
    let (sim, _) = run("fig15-automatic-configuration");
    let mut world = sim.final_world.clone();
    for e in sim.events.iter().rev() {
        for c in e.changes.iter().rev() {
            world.revert(c);
        }
    }
    assert_eq!(world, sim.initial);
    assert_eq!(sim.world_after(sim.events.len()), sim.final_world);
}
