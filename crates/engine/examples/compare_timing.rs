//! Time of `compare` (four strategies, every server removed once, one added) on a generated
//! data centre: `cargo run --profile bench -p clusterplan-engine --example compare_timing -- 1000`
//! (an optional second argument repeats it and prints the fastest and median runs).

use clusterplan_engine::compare;
use clusterplan_engine::generate::data_centre;
use std::time::Instant;

fn main() {
    let nodes: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(1).max(1);
    let doc = data_centre(nodes);
    let mut times = Vec::with_capacity(runs);
    let mut reports = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        reports = compare(&doc, 7);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    clusterplan_engine::sorting::sort_by(&mut times, f64::total_cmp);
    if runs == 1 {
        println!("compare on {nodes} nodes: {:.1} ms", times[0]);
    } else {
        println!(
            "compare on {nodes} nodes: {:.1} ms (min of {runs} runs, median {:.1} ms)",
            times[0],
            times[runs / 2]
        );
    }
    for r in &reports {
        for s in &r.services {
            println!(
                "{:<10} {:<17} first max {:>4} (balance {:.2}) worst failure {:>4} (balance {:.2}) removal max {:>4} mean {:>7.1} addition to-new {:>4} moved {:>4}",
                r.strategy.name(),
                s.service,
                s.max_first_choice,
                s.balance_first_choice.unwrap_or(0.0),
                s.worst_single_failure,
                s.balance_worst_failure.unwrap_or(0.0),
                s.removal.as_ref().map_or(0, |x| x.max_moved),
                s.removal.as_ref().map_or(0.0, |x| x.mean_moved),
                s.addition.as_ref().map_or(0, |x| x.to_new),
                s.addition.as_ref().map_or(0, |x| x.moved),
            );
        }
    }
}
