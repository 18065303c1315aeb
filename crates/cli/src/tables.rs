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
    /// The node number of the server whose failure causes the worst single failure load;
    /// `None` when no single failure adds to the first-choice load.
    pub worst_when_fails: Option<u32>,
    /// The server is up: online in the cluster and not failed.
    pub up: bool,
}

/// Failed nodes for `load --fail`: node numbers of one cluster.
#[derive(Debug, Clone, Copy)]
pub struct Failures<'a> {
    pub cluster: &'a str,
    pub numbers: &'a [u32],
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
/// the worst single failure of another server node, sorted like [`list_lines`]. With
/// `failures`, the services of that cluster have those nodes failed (the failed nodes are no
/// clients either), and the worst single failure is taken on top of them.
pub fn load_lines(plan: &Plan, failures: Option<Failures>) -> Result<Vec<LoadLine>> {
    let failed_nodes = match failures {
        None => Vec::new(),
        Some(f) => f
            .numbers
            .iter()
            .map(|&n| {
                plan.node_by_number(f.cluster, n).ok_or_else(|| {
                    anyhow::anyhow!("--fail {n}: cluster {} has no node number {n}", f.cluster)
                })
            })
            .collect::<Result<Vec<_>>>()?,
    };
    let mut lines: Vec<LoadLine> = Vec::new();
    for sp in &plan.services {
        let number = |s: usize| sp.servers.get(s).map(|x| x.number);
        let failed = failures.filter(|f| f.cluster == sp.cluster);
        let (load, worst, failed_servers) = match failed {
            None => (sp.load.first_choice.clone(), sp.load.worst_single_failure.clone(), vec![]),
            Some(_) => {
                let f = sp.failover_of_nodes(&failed_nodes);
                (f.load, f.worst_single_failure, f.failed)
            }
        };
        for (s, server) in sp.servers.iter().enumerate() {
            let (worst, by) = worst.get(s).copied().unwrap_or((0, None));
            lines.push(LoadLine {
                cluster: sp.cluster.clone(),
                service: sp.service.clone(),
                node: server.number,
                first_choice: load.get(s).copied().unwrap_or(0),
                worst_single_failure: worst,
                worst_when_fails: by.and_then(number),
                up: server.online && !failed_servers.contains(&s),
            });
        }
    }
    lines.sort_by(|a, b| (&a.cluster, &a.service, a.node).cmp(&(&b.cluster, &b.service, b.node)));
    Ok(lines)
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

/// Prints `load`'s lines (see [`load_lines`]), only those of `cluster` when given.
pub fn load(
    mut lines: Vec<LoadLine>,
    cluster: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(c) = cluster {
        lines.retain(|l| l.cluster == c);
    }
    table(&lines, json, out, |l| {
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
        crate::write_json(out, lines)?;
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
        crate::write_json(out, &plan.diagnostics)?;
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

/// Rows as aligned columns, indented by two spaces and two spaces apart: the first column
/// left-aligned, the others right-aligned (figures).
pub fn aligned<R: AsRef<[String]>>(rows: &[R], out: &mut dyn Write) -> Result<()> {
    let columns = rows.iter().map(|r| r.as_ref().len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.as_ref().get(c))
                .map(|x| x.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let cells: Vec<String> = r
            .as_ref()
            .iter()
            .zip(&widths)
            .enumerate()
            .map(
                |(c, (cell, w))| if c == 0 { format!("{cell:<w$}") } else { format!("{cell:>w$}") },
            )
            .collect();
        writeln!(out, "  {}", cells.join("  ").trim_end())?;
    }
    Ok(())
}
