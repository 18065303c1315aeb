//! `simulate MODEL SCENARIO`: the lifecycle simulation (`docs/spec.md §6`), as the scenario
//! contract says (`docs/cli.md`, `docs/lifecycle.md`): the trace, one event a line, then one
//! outcome line per operation; `--json` the whole run as one object; `--explore` every fault and
//! crash in turn.

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
    /// Rerun the scenario with a fault at each step of each operation and a crash of each
    /// involved node at each event; check the invariants on every run and report.
    #[arg(long)]
    explore: bool,
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
pub fn run(args: SimulateArgs, out: &mut dyn Write) -> Result<()> {
    let doc = crate::io::load_document(&args.model)?;
    let path = args.scenario.display().to_string();
    let text =
        crate::io::read_file(&args.scenario, clusterplan_engine::limits::Limit::DocumentBytes)
            .with_context(|| format!("cannot read {path}"))?;
    let scenario = scenario::read(&text).with_context(|| format!("cannot read {path}"))?;
    if args.explore {
        let report =
            explore::explore(&doc, &scenario).with_context(|| format!("cannot run {path}"))?;
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
            crate::io::write_json(out, &report.to_json())?;
        } else {
            out.write_all(report.to_text().as_bytes())?;
        }
        return Ok(());
    }
    let sim = simulate(&doc, &scenario).with_context(|| format!("cannot run {path}"))?;
    if args.json {
        crate::io::write_json(out, &sim.to_json())?;
    } else {
        out.write_all(sim.to_text().as_bytes())?;
    }
    Ok(())
}
