//! `lists`, `load` and `check`: the contract's tab-separated tables, and their JSON forms.

use crate::Outcome;
use anyhow::Result;
use clusterplan_engine::{Plan, Severity};
use serde::Serialize;
use std::io::Write;

/// A text field of a tab-separated line: tabs, line breaks and other control characters would
/// break the line, so they are written as `\t`, `\n`, `\r` or `\u{..}`.
pub fn field(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            '\t' => "\\t".to_owned(),
            '\n' => "\\n".to_owned(),
            '\r' => "\\r".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// One line of `lists`.
#[derive(Debug, Serialize)]
pub struct ListLine {
    pub cluster: String,
    pub service: String,
    pub node: u32,
    pub addresses: Vec<String>,
}

/// One line of `load`.
#[derive(Debug, Serialize)]
pub struct LoadLine {
    pub cluster: String,
    pub service: String,
    pub node: u32,
    pub first_choice: usize,
    pub worst_single_failure: usize,
}

/// Every (cluster, service, client node) with its ordered addresses, sorted by cluster id,
/// service name, then node number.
pub fn list_lines(plan: &Plan) -> Vec<ListLine> {
    let mut lines: Vec<ListLine> = plan
        .services
        .iter()
        .flat_map(|sp| {
            sp.lists.iter().map(move |list| ListLine {
                cluster: sp.cluster.clone(),
                service: sp.service.clone(),
                node: list.number,
                addresses: list
                    .entries
                    .iter()
                    .map(|e| {
                        sp.addresses
                            .get(e.address())
                            .map_or_else(|| "?".into(), |a| a.ip.to_string())
                    })
                    .collect(),
            })
        })
        .collect();
    // Stable: lines the engine gives in one order (a node number used twice) keep it.
    lines.sort_by(|a, b| (&a.cluster, &a.service, a.node).cmp(&(&b.cluster, &b.service, b.node)));
    lines
}

/// Every (cluster, service, server node) with its first-choice clients and its clients after
/// the worst single failure of another server node, sorted like [`list_lines`].
pub fn load_lines(plan: &Plan) -> Vec<LoadLine> {
    let mut lines: Vec<LoadLine> = plan
        .services
        .iter()
        .flat_map(|sp| {
            sp.servers.iter().enumerate().map(move |(s, server)| LoadLine {
                cluster: sp.cluster.clone(),
                service: sp.service.clone(),
                node: server.number,
                first_choice: sp.load.first_choice.get(s).copied().unwrap_or(0),
                worst_single_failure: sp.load.worst_single_failure.get(s).map_or(0, |w| w.0),
            })
        })
        .collect();
    lines.sort_by(|a, b| (&a.cluster, &a.service, a.node).cmp(&(&b.cluster, &b.service, b.node)));
    lines
}

pub fn lists(plan: &Plan, json: bool, out: &mut dyn Write) -> Result<()> {
    table(&list_lines(plan), json, out, |l| {
        format!(
            "{}\t{}\t{}\t{}",
            field(&l.cluster),
            field(&l.service),
            l.node,
            l.addresses.join(",")
        )
    })
}

pub fn load(plan: &Plan, json: bool, out: &mut dyn Write) -> Result<()> {
    table(&load_lines(plan), json, out, |l| {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            field(&l.cluster),
            field(&l.service),
            l.node,
            l.first_choice,
            l.worst_single_failure
        )
    })
}

/// Writes `lines` as one JSON array, or one text line each (`row` makes the line).
fn table<T: Serialize>(
    lines: &[T],
    json: bool,
    out: &mut dyn Write,
    row: impl Fn(&T) -> String,
) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, lines)?;
        writeln!(out)?;
    } else {
        for line in lines {
            writeln!(out, "{}", row(line))?;
        }
    }
    Ok(())
}

/// The diagnostics, one a line (or a JSON array); fails when any is an error.
pub fn check(plan: &Plan, json: bool, out: &mut dyn Write) -> Result<Outcome> {
    if json {
        serde_json::to_writer_pretty(&mut *out, &plan.diagnostics)?;
        writeln!(out)?;
    } else {
        for d in &plan.diagnostics {
            writeln!(out, "{}", one_line(&d.to_string()))?;
        }
    }
    let failed = plan.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}

/// A message on one line: line breaks become spaces.
pub fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
