//! `lists`, `load` and `check`: the contract's tab-separated tables, and their JSON forms.

use crate::Outcome;
use anyhow::Result;
use clusterplan_engine::answers::{list_lines, LoadLine};
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

/// Prints `load`'s lines (see [`clusterplan_engine::answers::load_lines`]), only those of `cluster` when given.
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
