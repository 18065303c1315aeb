//! `simulate MODEL SCENARIO`: the lifecycle simulation (`docs/spec.md §6`), as the scenario
//! contract says (`docs/cli.md`, `docs/lifecycle.md`): the trace, one event a line, then one
//! outcome line per operation, then the invariants it broke; `--json` the whole run as one
//! object; `--explore` every single fault point in turn (`--depth 2`: pairs too, bounded), a
//! check that fails (exit 1) when any run broke an invariant.

use anyhow::{Context, Result};
use clap::Args;
use clusterplan_lifecycle::{explore, scenario, simulate};
use std::io::Write;
use std::path::PathBuf;

/// The `simulate` command's arguments.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The `cluster-planner/1` document to read.
    model: PathBuf,
    /// The `cluster-planner-scenario/1` document to run against it.
    scenario: PathBuf,
    /// Print the run as one JSON document instead of text.
    #[arg(long)]
    json: bool,
    /// Rerun the scenario once per fault point (each step of each operation failed; each node
    /// crashed, and each cut off, right before each event); check the invariants on every run
    /// and report each broken one once with a scenario that replays it. Exit 1 when any broke.
    #[arg(long)]
    explore: bool,
    /// With --explore: 2 explores pairs of fault points too (bounded by --max-runs, default
    /// 10000 runs; the report says how many it left out).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2), requires = "explore")]
    depth: u8,
    /// With --explore: make at most this many runs in all (the report states the bound).
    #[arg(long, value_name = "RUNS", requires = "explore")]
    max_runs: Option<usize>,
    /// With --explore: write each run that broke an invariant as a replayable scenario file in
    /// this directory.
    #[arg(long, value_name = "DIR", requires = "explore")]
    save: Option<PathBuf>,
}

impl SimulateArgs {
    /// Is the output JSON?
    pub fn json(&self) -> bool {
        self.json
    }
}

/// Runs the command; every reading problem is the one-line reason `main` prints (exit 2).
/// Returns `false` when `--explore` found a broken invariant (exit 1).
pub fn run(args: SimulateArgs, out: &mut dyn Write) -> Result<bool> {
    let doc = crate::load_document(&args.model)?;
    let path = args.scenario.display().to_string();
    let text = crate::read_file(&args.scenario, clusterplan_engine::limits::Limit::DocumentBytes)
        .with_context(|| format!("cannot read {path}"))?;
    let scenario = scenario::read(&text).with_context(|| format!("cannot read {path}"))?;
    if args.explore {
        let options = explore::Options { depth: args.depth, max_runs: args.max_runs };
        let report = explore::explore_with(&doc, &scenario, options)
            .with_context(|| format!("cannot run {path}"))?;
        if let Some(dir) = &args.save {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot write to {}", dir.display()))?;
            for (i, v) in report.violations.iter().enumerate() {
                let file = dir.join(format!("violation-{:03}.json", i + 1));
                let json = serde_json::to_string_pretty(&v.scenario)?;
                std::fs::write(&file, json + "\n")
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
        }
        if args.json {
            crate::write_json(out, &report.to_json())?;
        } else {
            out.write_all(report.to_text().as_bytes())?;
        }
        return Ok(report.passed());
    }
    let sim = simulate(&doc, &scenario).with_context(|| format!("cannot run {path}"))?;
    if args.json {
        crate::write_json(out, &sim.to_json())?;
    } else {
        out.write_all(sim.to_text().as_bytes())?;
    }
    Ok(true)
}
