//! Writes a generated data centre (`generate::data_centre`, the benchmark's model) for the
//! browser measurements of `docs/performance.md`: the document as JSON, or with `--link` as a
//! share link (`share::link`, the page's address `BASE`):
//! `cargo run --profile bench -p clusterplan-engine --example model -- 10000 > dc10k.json`,
//! `cargo run --profile bench -p clusterplan-engine --example model -- 20000 --link BASE`.

use clusterplan_engine::generate::data_centre;
use clusterplan_engine::{document, share};

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let doc = data_centre(nodes);
    match args.next().as_deref() {
        Some("--link") => {
            let base = args.next().unwrap_or_default();
            println!("{}", share::link(&base, &doc, &share::LinkOptions::default()));
        }
        _ => println!("{}", document::write(&doc)),
    }
}
