//! `compare`: the four strategies on the same model, one table per service.

use anyhow::{bail, Result};
use clusterplan_engine::compare::{ServiceReport, StrategyReport};
use clusterplan_engine::text::{ratio, NONE};
use clusterplan_engine::Document;
use std::io::Write;

/// Which services to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub cluster: Option<&'a str>,
    pub service: Option<&'a str>,
}

impl Filter<'_> {
    fn keeps(&self, s: &ServiceReport) -> bool {
        self.cluster.is_none_or(|c| c == s.cluster) && self.service.is_none_or(|n| n == s.service)
    }
}

const HEADER: [&str; 12] = [
    "strategy",
    "first",
    "balance",
    "worst-fail",
    "failed->loaded",
    "balance",
    "rm-max",
    "rm-mean",
    "rm-worst",
    "add-address",
    "to-new",
    "add-moved",
];

const LEGEND: [&str; 4] = [
    "first: largest first-choice load; balance = max / ideal (clients / servers)",
    "worst-fail: largest load after one other server fails; failed->loaded: their node numbers \
     (none: no single failure adds to any load); balance against one server and client fewer",
    "rm-max, rm-mean, rm-worst: other clients whose first choice changes when one server is removed \
     (max, mean, the costliest server's node number)",
    "add-address, to-new, add-moved: a server added next to the busiest one: its address, the \
     clients it takes, the other clients that move",
];

pub fn run(
    doc: &Document,
    seed: u64,
    filter: Filter,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let mut reports = clusterplan_engine::compare(doc, seed);
    for r in &mut reports {
        r.services.retain(|s| filter.keeps(s));
    }
    if reports.first().is_none_or(|r| r.services.is_empty()) {
        match (filter.cluster, filter.service) {
            (None, None) => bail!("nothing to compare: no cluster of the document has a service"),
            (Some(c), None) => bail!("cluster {c:?} has no service"),
            (None, Some(s)) => bail!("no cluster has a service {s:?}"),
            (Some(c), Some(s)) => bail!("cluster {c:?} has no service {s:?}"),
        }
    }
    if json {
        crate::write_json(out, &reports)?;
        return Ok(());
    }
    text(&reports, out)
}

fn row(report: &StrategyReport, s: &ServiceReport) -> Vec<String> {
    // No pair: no single failure raises any server's load (the worst is a first-choice load).
    let pair = s.worst_failure_pair.map_or_else(|| "none".to_owned(), |(f, l)| format!("{f}->{l}"));
    let (rm_max, rm_mean, rm_worst) = match &s.removal {
        Some(r) => (r.max_moved.to_string(), ratio(Some(r.mean_moved)), r.worst_server.to_string()),
        None => (NONE.into(), NONE.into(), NONE.into()),
    };
    let (add, to_new, add_moved) = match &s.addition {
        Some(a) => (a.address.to_string(), a.to_new.to_string(), a.moved.to_string()),
        None => (NONE.into(), NONE.into(), NONE.into()),
    };
    let strategy = match report.strategy {
        clusterplan_engine::Strategy::Shuffle { seed } => format!("shuffle:{seed}"),
        other => other.to_string(),
    };
    vec![
        strategy,
        s.max_first_choice.to_string(),
        ratio(s.balance_first_choice),
        s.worst_single_failure.to_string(),
        pair,
        ratio(s.balance_worst_failure),
        rm_max,
        rm_mean,
        rm_worst,
        add,
        to_new,
        add_moved,
    ]
}

fn text(reports: &[StrategyReport], out: &mut dyn Write) -> Result<()> {
    let Some(first) = reports.first() else { return Ok(()) };
    for (i, s) in first.services.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "cluster {}, service {}: {} clients, {} servers, {} unserved",
            crate::tables::field(&s.cluster),
            crate::tables::field(&s.service),
            s.clients,
            s.servers,
            s.unserved
        )?;
        let mut rows = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
        rows.extend(reports.iter().filter_map(|r| r.services.get(i).map(|s| row(r, s))));
        crate::tables::aligned(&rows, out)?;
    }
    if !first.services.is_empty() {
        writeln!(out)?;
        for line in LEGEND {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
