//! Criterion benchmark of network failures (docs/spec.md §2) on the generated 10k data centre
//! (10,000 nodes, 1,000 subnets, 200 routers): the hop table with one router failed, rebuilt
//! from scratch and recomputed incrementally (`HopTable::without_routers`; an inner router and
//! a leaf router); the whole compile
//! with that router failed (`compile_with`); the single-router lint's search alone (part of
//! every compile); and every router's failure alone for every service (`router_failures`).
//!
//! Run: `cargo bench -p clusterplan-engine --bench failures`. Figures: docs/performance.md.
//! Short on purpose (10 samples, 3 s each): the machine is shared. Not a test.

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::network::{router_failures, single_router_unserved};
use clusterplan_engine::plan::HopTable;
use clusterplan_engine::{compile, compile_with, FailureSet, Strategy};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let doc = data_centre(10_000);
    let plan = compile(&doc, Strategy::Rotation);
    // r1: an inner router of the tree (its failure cuts r3, r4 and their subtrees off).
    let failed = 1usize;
    let failures =
        FailureSet { routers: vec![doc.routers[failed].name.clone()], ..Default::default() };
    let routers: Vec<Vec<usize>> = (0..plan.hops.routers())
        .map(|r| {
            if r == failed {
                Vec::new()
            } else {
                plan.hops.subnets_of(r).iter().map(|&s| s as usize).collect()
            }
        })
        .collect();
    let sources: Vec<usize> =
        plan.services.iter().flat_map(|s| s.addresses.iter().map(|a| a.subnet)).collect();

    let mut group = c.benchmark_group("failures-10k");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("hop-table/rebuilt", |b| {
        b.iter(|| HopTable::build(plan.hops.size, black_box(&routers), &sources))
    });
    group.bench_function("hop-table/incremental", |b| {
        b.iter(|| black_box(&plan.hops).without_routers(&[failed]))
    });
    // A leaf router of the tree (r199): its failure changes few rows.
    let leaf = plan.hops.routers() - 1;
    group.bench_function("hop-table/incremental-leaf", |b| {
        b.iter(|| black_box(&plan.hops).without_routers(&[leaf]))
    });
    group.bench_function("compile/router-failed", |b| {
        b.iter_batched(
            || (),
            |()| compile_with(black_box(&doc), Strategy::Rotation, &failures),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("single-router-lint", |b| {
        b.iter(|| single_router_unserved(black_box(&plan)))
    });
    group.bench_function("router-failures/all-200", |b| {
        b.iter_batched(
            || (),
            |()| router_failures(&doc, black_box(&plan), &[]),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
