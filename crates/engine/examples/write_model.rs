//! Writes the generated data centre of N nodes (`generate::data_centre`, the benchmark's model)
//! as a `cluster-planner/1` document to standard output, for measuring the CLI end to end
//! (`scripts/measure-cli.sh`, docs/performance.md):
//! `cargo run --profile bench -p clusterplan-engine --example write_model -- 10000 > dc10k.json`.

use clusterplan_engine::document;
use clusterplan_engine::generate::data_centre;
use std::io::Write;

fn main() -> std::io::Result<()> {
    let nodes: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let text = document::write(&data_centre(nodes));
    std::io::stdout().lock().write_all(text.as_bytes())
}
