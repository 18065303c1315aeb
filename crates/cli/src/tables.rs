//! `lists`, `load` and `check`: the contract's tab-separated tables, and their JSON forms.

use crate::io::Outcome;
use anyhow::Result;
use clusterplan_engine::answers::{list_lines, list_order, LoadLine};
use clusterplan_engine::{Plan, Severity};
use serde::Serialize;
use std::io::Write;

/// Does a terminal act on `c` instead of showing it? C0 controls (NUL, BEL, ESC...), DEL, C1
/// controls (CSI...), and the invisible bidirectional controls that reorder what follows them
/// (U+202E and its kin, U+2066-U+2069, U+200E, U+200F, U+061C).
pub fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The one escaping of text from a document for people: every [`is_hostile`] character but
/// those in `keep` is written as `\t`, `\n`, `\r` or `\u{..}`, so that a name shows as text and
/// never moves the cursor, clears the screen, retitles the terminal or reverses a line.
pub fn escape(text: &str, keep: &[char]) -> String {
    if !text.chars().any(|c| is_hostile(c) && !keep.contains(&c)) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            c if keep.contains(&c) || !is_hostile(c) => c.to_string(),
            '\t' => "\\t".to_owned(),
            '\n' => "\\n".to_owned(),
            '\r' => "\\r".to_owned(),
            c => c.escape_unicode().to_string(),
        })
        .collect()
}

/// A text field of a tab-separated line (or of a message on one line): tabs, line breaks and
/// every other [`is_hostile`] character escaped (see [`escape`]).
pub fn field(text: &str) -> String {
    escape(text, &[])
}

/// Standard output in text form: whatever a command writes has its [`is_hostile`] characters
/// escaped (see [`escape`]), all but the tabs and line breaks that lay the output out. Names are
/// written through it by every text command, so no command can forget to.
#[derive(Debug)]
pub struct Escaped<W: Write>(pub W);

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Printable ASCII, tabs and line breaks (nearly all output) hold nothing to escape. A
        // fold, not `all`, so the test runs without a branch per byte (vectorised).
        let plain = buf.iter().fold(true, |ok, &b| ok & matches!(b, b' '..=b'~' | b'\n' | b'\t'));
        if plain {
            self.0.write_all(buf)?;
            return Ok(buf.len());
        }
        // Text is written in whole strings (`write!`), so a buffer is whole characters (bytes
        // that are not UTF-8 would show as U+FFFD).
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(escape(&text, &['\n', '\t']).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Prints `lists`: one line per client's list (cluster, service, node number, its addresses
/// comma-separated), or the JSON array of [`list_lines`]. The text is written line by line into
/// one reused buffer, each address's text made once per service (a 10k model has 2.56 M
/// entries: one `String` each made the output cost 30 times the compile).
pub fn lists(plan: &Plan, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        crate::io::write_json(out, &list_lines(plan))?;
        return Ok(());
    }
    let services: Vec<(String, Vec<String>)> = plan
        .services
        .iter()
        .map(|sp| {
            let head = format!("{}\t{}\t", field(&sp.cluster), field(&sp.service));
            (head, sp.addresses.iter().map(|a| a.ip.to_string()).collect())
        })
        .collect();
    let mut entries = Vec::new();
    let mut line = Vec::with_capacity(1024);
    for (s, i) in list_order(plan) {
        let (sp, (head, texts)) = (&plan.services[s], &services[s]);
        sp.lists.entries_into(i, &mut entries);
        line.clear();
        line.extend_from_slice(head.as_bytes());
        write!(line, "{}\t", sp.lists[i].number)?;
        for (k, e) in entries.iter().enumerate() {
            if k > 0 {
                line.push(b',');
            }
            line.extend_from_slice(texts.get(e.address()).map_or("?", String::as_str).as_bytes());
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
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
        crate::io::write_json(out, lines)?;
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
        crate::io::write_json(out, &plan.diagnostics)?;
    } else {
        for d in &plan.diagnostics {
            writeln!(out, "{}", one_line(&d.to_string()))?;
        }
    }
    let failed = plan.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}

/// A message on one line: line breaks become spaces, other [`is_hostile`] characters are
/// escaped.
pub fn one_line(text: &str) -> String {
    field(&text.replace(['\n', '\r'], " "))
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

/// One line of `load --router-failures`: a router's failure alone, for one service.
#[derive(Serialize)]
struct RouterFailureLine<'a> {
    cluster: &'a str,
    service: &'a str,
    router: &'a str,
    /// The largest load any server gets with the router failed, and that server's number.
    largest: usize,
    server: Option<u32>,
    /// The node numbers of the clients served now that it leaves unserved.
    unserved: Vec<u32>,
    /// Is this the service's worst single router failure?
    worst: bool,
}

/// Prints `load --router-failures`: per service (only those of `cluster` when given) and
/// router, the largest load the router's failure alone causes, the server with it, the clients
/// it leaves unserved, and which router's failure is the worst (docs/spec.md §2), with the
/// `failed` nodes (plan node indices) down.
pub fn router_failures(
    doc: &clusterplan_engine::Document,
    plan: &Plan,
    failed: &[usize],
    cluster: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let reports = clusterplan_engine::network::router_failures(doc, plan, failed);
    let mut lines = Vec::new();
    for (sp, report) in plan.services.iter().zip(&reports) {
        if cluster.is_some_and(|c| c != sp.cluster) {
            continue;
        }
        let number = |node: usize| sp.list_index(node).map_or(0, |i| sp.lists[i].number);
        for (i, f) in report.routers.iter().enumerate() {
            lines.push(RouterFailureLine {
                cluster: &sp.cluster,
                service: &sp.service,
                router: &f.name,
                largest: f.largest,
                server: f.server.and_then(|s| sp.servers.get(s)).map(|s| s.number),
                unserved: f.unserved.iter().map(|&n| number(n)).collect(),
                worst: report.worst == Some(i),
            });
        }
    }
    table(&lines, json, out, |l| {
        let unserved: Vec<String> = l.unserved.iter().map(u32::to_string).collect();
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            field(l.cluster),
            field(l.service),
            field(l.router),
            l.largest,
            l.server.map_or_else(|| "-".to_owned(), |n| n.to_string()),
            if unserved.is_empty() { "-".to_owned() } else { unserved.join(",") },
            if l.worst { "worst" } else { "-" }
        )
    })
}

/// Prints `hops`: the subnet x subnet matrix (a header line of prefixes, then one line per
/// subnet; `-` = unreachable), or JSON `{ "subnets": [...], "hops": [[...]] }` (null =
/// unreachable); with `from` (a node's uid), that node's distance to every address of every
/// service: cluster, service, address, hops.
pub fn hops(plan: &Plan, from: Option<&str>, json: bool, out: &mut dyn Write) -> Result<()> {
    let hops_text = |h: Option<u32>| h.map_or_else(|| "-".to_owned(), |h| h.to_string());
    if let Some(uid) = from {
        let node =
            plan.node_by_uid(uid).ok_or_else(|| anyhow::anyhow!("no node with uid {uid:?}"))?;
        let lines = clusterplan_engine::network::distances_from(plan, node);
        return table(&lines, json, out, |d| {
            format!(
                "{}\t{}\t{}\t{}",
                field(&d.cluster),
                field(&d.service),
                d.address,
                hops_text(d.hops)
            )
        });
    }
    let matrix = clusterplan_engine::network::hop_matrix(plan);
    if json {
        crate::io::write_json(out, &matrix)?;
        return Ok(());
    }
    let prefixes: Vec<String> = matrix.subnets.iter().map(|p| field(p)).collect();
    writeln!(out, "subnet\t{}", prefixes.join("\t"))?;
    for (prefix, row) in prefixes.iter().zip(&matrix.hops) {
        let cells: Vec<String> = row.iter().map(|&h| hops_text(h)).collect();
        writeln!(out, "{prefix}\t{}", cells.join("\t"))?;
    }
    Ok(())
}
