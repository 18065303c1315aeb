//! Criterion benchmark of the full compile (model, hop table, every list, load with every single
//! failure, diagnostics) on generated data centres of 1k, 10k and 100k nodes; and of reading
//! every list of a compiled 10k plan back (the plan keeps most lists as templates, see
//! `clusterplan_engine::plan::Lists`); and of reading the 10k document's text.
//!
//! Run: `cargo bench -p clusterplan-engine --bench compile`. Figures: docs/performance.md.
//! Short on purpose (10 samples, 3 s each): the machine is shared. Not a test: nothing here is
//! asserted about time.

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::{compile, document, Plan, Strategy};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

fn entries(nodes: usize) -> u64 {
    let plan = compile(&data_centre(nodes), Strategy::Rotation);
    plan.services.iter().map(|s| (s.lists.len() * s.addresses.len()) as u64).sum()
}

/// Writes every list of the plan out into one reused buffer; returns the entries written.
fn read_every_list(plan: &Plan) -> usize {
    let mut buffer = Vec::new();
    let mut written = 0;
    for s in &plan.services {
        for i in 0..s.lists.len() {
            s.lists.entries_into(i, &mut buffer);
            written += black_box(&buffer).len();
        }
    }
    written
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for nodes in [1_000usize, 10_000, 100_000] {
        let doc = data_centre(nodes);
        // Throughput in list entries, so criterion also reports entries per second.
        group.throughput(Throughput::Elements(entries(nodes)));
        group.bench_with_input(BenchmarkId::new("rotation", nodes), &doc, |b, doc| {
            // The plan is dropped outside the timed section (freeing is not compiling).
            b.iter_batched(
                || (),
                |()| compile(black_box(doc), Strategy::Rotation),
                BatchSize::PerIteration,
            )
        });
    }
    let doc = data_centre(10_000);
    for strategy in [Strategy::Spread, Strategy::Rendezvous, Strategy::Shuffle { seed: 7 }] {
        group.throughput(Throughput::Elements(entries(10_000)));
        group.bench_with_input(BenchmarkId::new(strategy.name(), 10_000), &doc, |b, doc| {
            b.iter_batched(|| (), |()| compile(black_box(doc), strategy), BatchSize::PerIteration)
        });
    }
    group.finish();

    let mut group = c.benchmark_group("read");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let plan = compile(&doc, Strategy::Rotation);
    group.throughput(Throughput::Elements(entries(10_000)));
    group.bench_function(BenchmarkId::new("every-list/rotation", 10_000), |b| {
        b.iter(|| read_every_list(black_box(&plan)))
    });
    // Reading the document's text (limits, syntax, typed reading), as the app and the CLI do.
    let text = document::write(&doc);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(BenchmarkId::new("document", 10_000), |b| {
        b.iter(|| document::read(black_box(&text)).map(|d| d.nodes.len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
