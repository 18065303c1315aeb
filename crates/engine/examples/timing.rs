//! Quick timing of the full compile of a generated data centre (no criterion):
//! `cargo run --release -p clusterplan-engine --example timing -- 10000 rotation`.

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::{compile, model::Model, Strategy};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let strategy: Strategy = args.next().and_then(|a| a.parse().ok()).unwrap_or_default();
    let doc = data_centre(nodes);
    let mut best = f64::MAX;
    let mut entries = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let plan = compile(&doc, strategy);
        best = best.min(t.elapsed().as_secs_f64());
        entries =
            plan.services.iter().flat_map(|s| &s.lists).map(|l| l.entries.len()).sum::<usize>();
    }
    let t = Instant::now();
    let (model, _) = Model::build(&doc);
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let _ = model.plan(strategy);
    let plan = t.elapsed().as_secs_f64();
    println!(
        "{nodes} nodes, {strategy}: best of 10 {:.2} ms ({entries} entries, {:.2} ns/entry); model {:.2} ms, plan {:.2} ms",
        best * 1e3,
        best * 1e9 / entries.max(1) as f64,
        build * 1e3,
        plan * 1e3
    );
}
