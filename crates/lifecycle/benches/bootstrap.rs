//! Criterion benchmark of a 1,000-node cluster bootstrap: FIG 8's steps on every node of
//! `clusterplan_engine::generate::data_centre(1000)` (64 registry servers), the whole
//! simulation (world, ordered registry lists from the engine, events and changes).
//!
//! Run: `cargo bench -p clusterplan-lifecycle --bench bootstrap`. Figures: docs/performance.md.
//! Short on purpose (10 samples): the machine is shared. Not a test: nothing here is asserted
//! about time.

use clusterplan_engine::generate::data_centre;
use clusterplan_lifecycle::{scenario, simulate};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

fn bootstrap(c: &mut Criterion) {
    let doc = data_centre(1000);
    let text = r#"{"format":"cluster-planner-scenario/1","operations":[{"op":"bootstrap","cluster":"dc"}]}"#;
    let sc = scenario::read(text).expect("a scenario");
    let run = simulate(&doc, &sc).expect("it runs");
    assert_eq!(run.outcomes[0].result, clusterplan_lifecycle::Verdict::Committed);
    let changes: usize = run.events.iter().map(|e| e.changes.len()).sum();
    eprintln!("bootstrap of 1,000 nodes: {} events, {changes} changes", run.events.len());
    let mut group = c.benchmark_group("lifecycle");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    // Throughput in events: criterion prints events per second.
    group.throughput(Throughput::Elements(run.events.len() as u64));
    group.bench_function("bootstrap_1000_nodes", |b| b.iter(|| simulate(black_box(&doc), &sc)));
    group.finish();
}

criterion_group!(benches, bootstrap);
criterion_main!(benches);
