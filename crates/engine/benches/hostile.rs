//! Criterion benchmark of the hostile documents of docs/reliability.md ("Bounded cost"): each
//! once cost time quadratic in a list's length; each now costs time in proportion to it.
//! - `compare/clusters/N`: N clusters of one service each (the clients of a service were found
//!   by a scan of every node, per service);
//! - `compile/duplicate-addresses/N`: a service and a node each listing N addresses, every one
//!   twice (duplicates were found by a scan of the list so far);
//! - `bootstrap/controllers/N`: a node with N resource controllers (duplicates, the stage
//!   graph's edges and its order were found by scans);
//! - `compile/owners/N`: N nodes each owning one of a service's N addresses (N^2 list entries,
//!   each list kept whole; the plan's list-entry limit refuses more than 32 million);
//! - `compile/routers-apart/N`: N routers each joining a subnet with a service address to one
//!   backbone (N rows of N + 1 hop counts; the hop-count limit refuses more than 32 million).
//! - `diff/renumbered/N`: N clients each owning one of N addresses, node numbers reversed (every
//!   list of N changes order; the common order was found by `contains` and `position` scans
//!   and a table of N^2 cells, per list: 2,000 took 59-77 s);
//! - `diff/one-long-list/N`: one client's list of N addresses, one address changed (the table
//!   was N^2 cells: 100,000 asked for 40 GB).
//!
//! The two `compile` ones are quadratic by nature (the plan holds that many entries); their limits
//! (docs/format.md, Limits) bound them, and `tests/plan_limits.rs` checks the refusals.
//!
//! Run: `cargo bench -p clusterplan-engine --bench hostile`. Not a test: nothing is asserted
//! about time; compare the figures for N and 2N (twice the time, not four times).

#[path = "../tests/support/hostile.rs"]
mod hostile;

use clusterplan_engine::diff::diff_plans;
use clusterplan_engine::{bootstrap, compare, compile, Strategy};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hostile::{
    clusters, controllers, duplicates, one_long_list, owners, owners_renumbered, routers_apart,
};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for n in [5_000, 10_000] {
        let doc = clusters(n);
        group.bench_with_input(BenchmarkId::new("compare/clusters", n), &doc, |b, doc| {
            b.iter(|| compare(black_box(doc), 0).len())
        });
    }
    for n in [50_000, 100_000] {
        let doc = duplicates(n);
        group.bench_with_input(
            BenchmarkId::new("compile/duplicate-addresses", n),
            &doc,
            |b, doc| b.iter(|| compile(black_box(doc), Strategy::Rotation).diagnostics.len()),
        );
    }
    for n in [15_000, 30_000] {
        let doc = controllers(n);
        group.bench_with_input(BenchmarkId::new("bootstrap/controllers", n), &doc, |b, doc| {
            b.iter(|| bootstrap::node_bootstrap(black_box(doc), "a", &[]).map(|x| x.steps.len()))
        });
    }
    for n in [1_000, 2_000] {
        let doc = owners(n);
        group.bench_with_input(BenchmarkId::new("compile/owners", n), &doc, |b, doc| {
            b.iter(|| compile(black_box(doc), Strategy::Rotation).diagnostics.len())
        });
        let doc = routers_apart(n);
        group.bench_with_input(BenchmarkId::new("compile/routers-apart", n), &doc, |b, doc| {
            b.iter(|| compile(black_box(doc), Strategy::Rotation).diagnostics.len())
        });
    }
    for n in [1_000, 2_000] {
        let (before, after) = (owners(n), owners_renumbered(n));
        let plans = (compile(&before, Strategy::Rotation), compile(&after, Strategy::Rotation));
        group.bench_with_input(BenchmarkId::new("diff/renumbered", n), &plans, |b, (pb, pa)| {
            b.iter(|| diff_plans(black_box(&before), pb, &after, pa).services.len())
        });
    }
    for n in [50_000, 100_000] {
        let (before, after) = (one_long_list(n, None), one_long_list(n, Some(n / 2)));
        let plans = (compile(&before, Strategy::Rotation), compile(&after, Strategy::Rotation));
        group.bench_with_input(BenchmarkId::new("diff/one-long-list", n), &plans, |b, (pb, pa)| {
            b.iter(|| diff_plans(black_box(&before), pb, &after, pa).services.len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
