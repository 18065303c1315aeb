//! Quick timing of the full compile of a generated data centre, without criterion:
//! `cargo run --profile bench -p clusterplan-engine --example timing -- 10000 rotation 20`.
//! With a fourth argument `--each` it prints instead every compile's wall and CPU time in
//! milliseconds as JSON, `{"wall": [...], "cpu": [...]}` (what `scripts/measure-wasm.sh` reads).
//!
//! Prints the best wall-clock time and the mean *CPU* time per compile (from
//! `/proc/self/schedstat` on Linux: time this thread actually ran), which stays meaningful on a
//! machine shared with other builds, where wall-clock time mostly measures waiting for a core.

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::{compile, Strategy};
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU, when the OS says.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let strategy: Strategy = args.next().and_then(|a| a.parse().ok()).unwrap_or_default();
    let runs: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20).max(1);
    let each = args.next().is_some_and(|a| a == "--each");
    let doc = data_centre(nodes);
    let plan = compile(&doc, strategy);
    let entries: usize = plan.services.iter().map(|s| s.lists.len() * s.addresses.len()).sum();
    drop(plan);
    let mut best = f64::MAX;
    let mut cpu_total = 0u64;
    let (mut walls, mut cpus) = (Vec::with_capacity(runs as usize), Vec::new());
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_ns());
        let plan = compile(&doc, strategy);
        let (wall, c2) = (t.elapsed().as_secs_f64(), cpu_ns());
        best = best.min(wall);
        walls.push(wall * 1e3);
        let spent = c2.zip(c).map_or(0, |(b, a)| b - a);
        cpu_total += spent;
        cpus.push(spent as f64 / 1e6);
        drop(plan);
    }
    if each {
        let json = |xs: &[f64]| xs.iter().map(|x| format!("{x:.4}")).collect::<Vec<_>>().join(",");
        println!("{{\"wall\": [{}], \"cpu\": [{}]}}", json(&walls), json(&cpus));
        return;
    }
    let cpu = cpu_total as f64 / f64::from(runs) / 1e6;
    println!(
        "{nodes} nodes, {strategy}: {entries} list entries; best wall {:.2} ms ({:.2} ns/entry); mean CPU {cpu:.2} ms ({:.2} ns/entry) over {runs} runs",
        best * 1e3,
        best * 1e9 / entries.max(1) as f64,
        cpu * 1e6 / entries.max(1) as f64,
    );
}
