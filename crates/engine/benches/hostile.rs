//! Criterion benchmark of the hostile documents of docs/reliability.md ("Bounded cost"): each
//! once cost time quadratic in a list's length; each now costs time in proportion to it.
//! - `compare/clusters/N`: N clusters of one service each (the clients of a service were found
//!   by a scan of every node, per service);
//! - `compile/duplicate-addresses/N`: a service and a node each listing N addresses, every one
//!   twice (duplicates were found by a scan of the list so far);
//! - `bootstrap/controllers/N`: a node with N resource controllers (duplicates, the stage
//!   graph's edges and its order were found by scans).
//!
//! Run: `cargo bench -p clusterplan-engine --bench hostile`. Not a test: nothing is asserted
//! about time; compare the figures for N and 2N (twice the time, not four times).

use clusterplan_engine::document::{Cluster, Document, Network, Node, Service, Subnet};
use clusterplan_engine::{bootstrap, compare, compile, Strategy};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// `n` clusters, each with one node on its own subnet serving its one service.
fn clusters(n: usize) -> Document {
    let mut doc = Document {
        networks: vec![Network { name: "lan".into(), ..Network::default() }],
        ..Document::default()
    };
    for i in 0..n {
        let id = format!("C{i}");
        let ip = address(i << 8 | 1);
        doc.clusters.push(Cluster {
            id: id.clone(),
            registry_servers: vec![1],
            ..Cluster::default()
        });
        doc.subnets.push(Subnet {
            prefix: format!("{}/24", address(i << 8)),
            network: "lan".into(),
            ..Subnet::default()
        });
        doc.nodes.push(Node {
            uid: format!("n{i}"),
            clusters: [(id.clone(), 1)].into(),
            online: Some(id.clone()),
            addresses: vec![ip.clone()],
            ..Node::default()
        });
        doc.services.push(Service {
            name: "registry".into(),
            cluster: id,
            addresses: vec![ip],
            ..Service::default()
        });
    }
    doc
}

/// One node and one service, each listing `n` addresses twice.
fn duplicates(n: usize) -> Document {
    let twice: Vec<String> = (0..2 * n).map(|i| address(i % n)).collect();
    Document {
        clusters: vec![Cluster { id: "A".into(), ..Cluster::default() }],
        nodes: vec![Node {
            uid: "a".into(),
            clusters: [("A".to_owned(), 1)].into(),
            online: Some("A".into()),
            addresses: twice.clone(),
            ..Node::default()
        }],
        services: vec![Service {
            name: "s".into(),
            cluster: "A".into(),
            addresses: twice,
            ..Service::default()
        }],
        ..Document::default()
    }
}

/// A node with `n` resource controllers.
fn controllers(n: usize) -> Document {
    let mut node = Node {
        uid: "a".into(),
        clusters: [("A".to_owned(), 1)].into(),
        online: Some("A".into()),
        ..Node::default()
    };
    let names: Vec<serde_json::Value> = (0..n).map(|i| format!("c{i}").into()).collect();
    node.extra.insert(bootstrap::RESOURCE_CONTROLLERS_FIELD.into(), names.into());
    Document {
        clusters: vec![Cluster { id: "A".into(), registry_servers: vec![1], ..Cluster::default() }],
        nodes: vec![node],
        ..Document::default()
    }
}

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
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
