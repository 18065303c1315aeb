//! The package's questions in plain Rust, natively tested: a model's JSON text and options in,
//! the answer's JSON text out, through the engine's `answers` (the CLI's `--json` answers).

use clusterplan_engine::answers::{self, AnswerError, Failures, LoadClusterError};
use clusterplan_engine::document::{self, ReadError};
use clusterplan_engine::{compile, Document, Plan, Strategy};
use clusterplan_lifecycle::scenario::{self, ScenarioError};
use serde::{Deserialize, Serialize};

/// What a question can be refused for; the message names the problem.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("cannot read the model: {0}")]
    Model(#[from] ReadError),
    #[error("cannot read the options: {0}")]
    Options(serde_json::Error),
    #[error("{0}")]
    Strategy(String),
    #[error("{0}")]
    Answer(#[from] AnswerError),
    #[error("there is no cluster {0:?} in the model")]
    NoCluster(String),
    #[error("`fail` names node numbers of one cluster: give `cluster`")]
    FailWithoutCluster,
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("cannot write the answer: {0}")]
    Write(serde_json::Error),
}

/// The options every question takes (all optional), as the CLI's flags.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// `rotation` (the default), `spread`, `rendezvous`, `shuffle` or `shuffle:SEED`.
    pub strategy: Option<String>,
    /// `load`: node numbers of `cluster` to fail.
    pub fail: Vec<u32>,
    /// `load`, `compare`: only this cluster.
    pub cluster: Option<String>,
    /// `compare`: only this service.
    pub service: Option<String>,
    /// `compare`: the shuffle strategy's seed.
    pub seed: Option<u64>,
}

impl Options {
    /// Reads options from JSON text; empty text is no option.
    pub fn read(text: &str) -> Result<Options, Refusal> {
        if text.trim().is_empty() {
            return Ok(Options::default());
        }
        serde_json::from_str(text).map_err(Refusal::Options)
    }

    fn strategy(&self) -> Result<Strategy, Refusal> {
        match &self.strategy {
            None => Ok(Strategy::Rotation),
            Some(s) => s.parse().map_err(|e: clusterplan_engine::strategy::UnknownStrategy| {
                Refusal::Strategy(e.to_string())
            }),
        }
    }

    fn cluster<'a>(&'a self, doc: &'a Document) -> Result<Option<&'a str>, Refusal> {
        match &self.cluster {
            Some(c) if doc.clusters.iter().any(|x| &x.id == c) => Ok(Some(c)),
            Some(c) => Err(Refusal::NoCluster(c.clone())),
            None => Ok(None),
        }
    }
}

fn plan(model: &str, options: &Options) -> Result<(Document, Plan), Refusal> {
    let doc = document::read(model)?;
    let plan = compile(&doc, options.strategy()?);
    Ok((doc, plan))
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, Refusal> {
    serde_json::to_string(value).map_err(Refusal::Write)
}

/// `check`: every diagnostic (as `clusterplan check --json`).
pub fn check(model: &str, options: &Options) -> Result<String, Refusal> {
    json(&plan(model, options)?.1.diagnostics)
}

/// `lists`: every client's ordered list (as `clusterplan lists --json`).
pub fn lists(model: &str, options: &Options) -> Result<String, Refusal> {
    json(&answers::list_lines(&plan(model, options)?.1))
}

/// `load`: every server's load, with `fail` failed (as `clusterplan load --json`).
pub fn load(model: &str, options: &Options) -> Result<String, Refusal> {
    let (doc, plan) = plan(model, options)?;
    let cluster = answers::load_cluster(&doc, options.cluster.as_deref(), !options.fail.is_empty())
        .map_err(|e| match e {
            LoadClusterError::NoSuchCluster(c) => Refusal::NoCluster(c),
            LoadClusterError::FailNeedsCluster => Refusal::FailWithoutCluster,
        })?;
    let failures = cluster
        .filter(|_| !options.fail.is_empty())
        .map(|cluster| Failures { cluster, numbers: &options.fail });
    let mut lines = answers::load_lines(&plan, failures)?;
    if let Some(c) = cluster {
        lines.retain(|l| l.cluster == c);
    }
    json(&lines)
}

/// `explain`: one client's list entry by entry (as `clusterplan explain --json`).
pub fn explain(
    model: &str,
    cluster: &str,
    service: &str,
    node: &str,
    options: &Options,
) -> Result<String, Refusal> {
    json(&answers::explain_list(&plan(model, options)?.1, cluster, service, node)?)
}

/// `compare`: the four strategies side by side (as `clusterplan compare --json`).
pub fn compare(model: &str, options: &Options) -> Result<String, Refusal> {
    let doc = document::read(model)?;
    options.cluster(&doc)?;
    let mut reports = clusterplan_engine::compare(&doc, options.seed.unwrap_or(0));
    for r in &mut reports {
        r.services.retain(|s| {
            options.cluster.as_ref().is_none_or(|c| c == &s.cluster)
                && options.service.as_ref().is_none_or(|n| n == &s.service)
        });
    }
    json(&reports)
}

/// `simulate`: the scenario run on the model (as `clusterplan simulate --json`).
pub fn simulate(model: &str, scenario_text: &str) -> Result<String, Refusal> {
    let doc = document::read(model)?;
    let scenario = scenario::read(scenario_text)?;
    let run = clusterplan_lifecycle::simulate(&doc, &scenario)?;
    json(&run.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIG24: &str = include_str!("../../../examples/seed-fig24.json");

    #[test]
    fn lists_answer_node_5_as_the_source() {
        let text = lists(FIG24, &Options::default()).unwrap();
        let lines: serde_json::Value = serde_json::from_str(&text).unwrap();
        let n5 = lines.as_array().unwrap().iter().find(|l| l["node"] == 5).unwrap();
        assert_eq!(
            n5["addresses"],
            serde_json::json!([
                "10.0.0.1",
                "10.0.1.9",
                "10.0.1.3",
                "10.0.1.7",
                "10.0.2.20",
                "10.0.2.12"
            ])
        );
    }

    #[test]
    fn refusals_name_the_problem() {
        let o = Options::default();
        assert!(check("{", &o).unwrap_err().to_string().starts_with("cannot read the model"));
        let bad = Options { strategy: Some("zigzag".into()), ..Options::default() };
        assert!(lists(FIG24, &bad).unwrap_err().to_string().contains("zigzag"));
        let nowhere = Options { cluster: Some("Q".into()), ..Options::default() };
        assert_eq!(
            load(FIG24, &nowhere).unwrap_err().to_string(),
            "there is no cluster \"Q\" in the model"
        );
        let fail = Options { fail: vec![99], ..Options::default() };
        assert_eq!(load(FIG24, &fail).unwrap_err().to_string(), "cluster A has no node number 99");
        assert!(Options::read("{\"stratgy\": 1}").is_err(), "unknown options are refused");
    }

    #[test]
    fn a_failed_server_takes_no_first_choice_client() {
        let fail = Options { fail: vec![5], ..Options::default() };
        let lines: serde_json::Value = serde_json::from_str(&load(FIG24, &fail).unwrap()).unwrap();
        let n5 = lines.as_array().unwrap().iter().find(|l| l["node"] == 5).unwrap();
        assert_eq!((n5["first_choice"].as_u64(), n5["up"].as_bool()), (Some(0), Some(false)));
    }
}
