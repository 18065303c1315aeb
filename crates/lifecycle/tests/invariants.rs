//! The invariant checker can fail: runs tampered with in the ways the rules forbid are caught,
//! each by its rule (the runs the simulation makes are checked in `properties.rs` and by the
//! fixtures of `data_driven.rs`).

use clusterplan_engine::document::{self, Document};
use clusterplan_lifecycle::trace::Access;
use clusterplan_lifecycle::world::{Change, Key};
use clusterplan_lifecycle::{invariants, scenario, simulate, Scenario, Simulation};
use serde_json::json;

fn doc() -> Document {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    document::read(&std::fs::read_to_string(root.join("examples/lifecycle.json")).unwrap()).unwrap()
}

fn run(example: &str) -> (Simulation, Scenario) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join(format!("examples/scenarios/{example}.json"));
    let sc = scenario::read(&std::fs::read_to_string(path).unwrap()).unwrap();
    (simulate(&doc(), &sc).unwrap(), sc)
}

fn rules(sim: &Simulation, sc: &Scenario) -> Vec<&'static str> {
    invariants::check(sim, &doc(), sc).unwrap().into_iter().map(|v| v.invariant).collect()
}

#[test]
fn the_untouched_run_keeps_every_rule() {
    let (sim, sc) = run("fig8-stale-replica");
    assert!(rules(&sim, &sc).is_empty());
}

#[test]
fn a_read_from_a_stale_replica_breaks_the_no_stale_service_rule() {
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
    assert_eq!(rules(&sim, &sc), ["no-stale-service"]);
}

#[test]
fn a_local_read_before_the_dcm_checked_breaks_the_fig7_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // Liveness on n4 reads the local configuration at step 8; pretend it did so at step 2.
    let e = sim
        .events
        .iter_mut()
        .find(|e| e.step == Some(2) && e.node.as_deref() == Some("n4"))
        .unwrap();
    e.access = Some(Access::Local { component: "liveness".into(), cluster: "A".into() });
    assert_eq!(rules(&sim, &sc), ["fig7-order"]);
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
    assert!(rules(&sim, &sc).contains(&"fig7-order"));
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
    assert_eq!(rules(&sim, &sc), ["one-cluster"]);
}

#[test]
fn an_aborted_define_that_leaves_its_entry_breaks_atomicity() {
    let (mut sim, sc) = run("fig13-define-fails-step-12");
    // Drop the undo of step 13: the global entry of step 9 stays.
    sim.events.retain(|e| !(e.figure == Some("FIG 13") && e.step == Some(13)));
    assert!(rules(&sim, &sc).contains(&"atomic-define"));
}

/// The last event of the run, again, with these changes (and no access).
fn push_event(sim: &mut Simulation, changes: Vec<Change>, access: Option<Access>) {
    let mut last = sim.events.last().unwrap().clone();
    last.seq += 1;
    last.access = access;
    last.changes = changes;
    sim.events.push(last);
}

#[test]
fn an_incarnation_going_back_breaks_the_incarnation_forward_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    let now = sim.final_world.replica("A", "n3").unwrap().incarnation;
    let change = Change {
        key: Key::Incarnation { cluster: "A".into(), replica: "n3".into() },
        before: json!(now),
        after: json!(3),
    };
    // A set-up may (it is how a lesson makes a replica stale); nothing else may.
    let mut setup = sim.clone();
    push_event(&mut setup, vec![change.clone()], Some(Access::SetUp));
    assert!(!rules(&setup, &sc).contains(&"incarnation-forward"));
    let access =
        Access::GlobalWrite { component: "dcm".into(), cluster: "A".into(), server: "n3".into() };
    push_event(&mut sim, vec![change], Some(access));
    assert!(rules(&sim, &sc).contains(&"incarnation-forward"));
}

#[test]
fn one_replica_written_alone_breaks_the_agreement_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // n1 takes an entry the other serving replicas of its part (n2, n3) do not, and stays at
    // their incarnation.
    let access =
        Access::GlobalWrite { component: "dcm".into(), cluster: "A".into(), server: "n1".into() };
    let changes = vec![Change {
        key: Key::GlobalNode { cluster: "A".into(), replica: "n1".into(), number: 9 },
        before: json!(null),
        after: json!("n9"),
    }];
    push_event(&mut sim, changes, Some(access));
    assert_eq!(rules(&sim, &sc), ["agreement"]);
}

#[test]
fn a_uid_under_two_numbers_breaks_the_unique_number_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // n4 is node 4 of A: write it as node 9 as well, on every replica.
    let access =
        Access::GlobalWrite { component: "dcm".into(), cluster: "A".into(), server: "n1".into() };
    let changes = ["n1", "n2", "n3"]
        .iter()
        .map(|r| Change {
            key: Key::GlobalNode { cluster: "A".into(), replica: (*r).into(), number: 9 },
            before: json!(null),
            after: json!("n4"),
        })
        .collect();
    push_event(&mut sim, changes, Some(access));
    assert_eq!(rules(&sim, &sc), ["unique-number"]);
}

#[test]
fn a_lost_write_event_breaks_the_no_lost_write_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    let access = Access::Lost { cluster: "A".into(), writes: vec!["node 9 = n9".into()] };
    push_event(&mut sim, vec![], Some(access));
    assert_eq!(rules(&sim, &sc), ["no-lost-write"]);
}

#[test]
fn a_registry_server_online_without_its_registry_breaks_the_registry_runs_rule() {
    let (mut sim, sc) = run("fig8-stale-replica");
    // The bootstrap brought n1 online; drop its registry process at the end.
    let before = serde_json::to_value(sim.final_world.nodes["n1"].process("registry")).unwrap();
    let change = Change {
        key: Key::Process { node: "n1".into(), process: "registry".into() },
        before,
        after: json!(null),
    };
    push_event(&mut sim, vec![change], None);
    assert!(rules(&sim, &sc).contains(&"registry-runs"));
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
