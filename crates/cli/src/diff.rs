//! `diff BEFORE AFTER`: what a change to the model does (the engine's `diff`), as text, JSON or
//! a Markdown pull-request comment, with the CI budgets of `budgets.rs`.

use crate::budgets::{Breach, Budgets};
use crate::io::{Outcome, StrategyArg};
use crate::network::NetworkFail;
use crate::tables::{field, one_line};
use anyhow::Result;
use clap::{Args, ValueEnum};
use clusterplan_engine::diff::{signed, Diff, ServiceDiff};
use clusterplan_engine::text::count;
use clusterplan_engine::{diff, Document};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// How `diff` writes what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal or a CI log.
    #[default]
    Text,
    /// The engine's diff as one JSON document (with the budgets broken).
    Json,
    /// A pull-request comment: a summary line first, then tables.
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The model before the change.
    pub before: PathBuf,
    /// The model after the change.
    pub after: PathBuf,
    /// Print the diff as one JSON document (the same as --format json).
    #[arg(long)]
    pub json: bool,
    /// text, json or markdown.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// How many changed client lists to show per service (text and markdown).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub lists: usize,
    #[command(flatten)]
    pub strategy: StrategyArg,
    /// Routers and subnets failed in both models (the change is reviewed under that failure).
    #[command(flatten)]
    pub network: NetworkFail,
    /// Also each service's worst single router failure before and after (docs/spec.md §2):
    /// the router, the largest load its failure alone causes, the clients it leaves unserved.
    #[arg(long)]
    pub router_failures: bool,
    #[command(flatten)]
    pub budgets: Budgets,
}

/// The JSON form: the engine's diff with the budgets broken after the change.
#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    diff: &'a Diff,
    budgets: &'a [Breach],
}

/// Reads both documents (through `read`, which gives the one-line reason when one cannot be
/// read), diffs them and writes the result; fails when a budget is broken or made worse.
pub fn run(
    args: &DiffArgs,
    read: impl Fn(&std::path::Path) -> Result<Document>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let (before, after) = (read(&args.before)?, read(&args.after)?);
    let strategy = args.strategy.strategy;
    args.network.check(&[&before, &after])?;
    let (before_plan, after_plan) = (
        args.network.compile_checked(&before, strategy),
        args.network.compile_checked(&after, strategy),
    );
    let mut diff = diff::diff_plans(&before, &before_plan, &after, &after_plan);
    diff.failures = args.network.set();
    if args.router_failures {
        diff::add_router_failures(&mut diff, (&before, &before_plan), (&after, &after_plan));
    }
    let breaches = args.budgets.diff((&before, &before_plan), (&after, &after_plan));
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &JsonOut { diff: &diff, budgets: &breaches })?;
            writeln!(out)?;
        }
        Format::Text => text(&diff, &breaches, args.lists, out)?,
        Format::Markdown => markdown(&diff, &breaches, args.lists, out)?,
    }
    Ok(if breaches.iter().any(Breach::fails) { Outcome::Failed } else { Outcome::Ok })
}

/// The rows of a service's load table: server, first choice, delta, worst failure, delta.
fn load_rows(s: &ServiceDiff) -> Vec<[String; 5]> {
    s.servers
        .iter()
        .map(|server| {
            [
                server.label(),
                server.first_choice.text(),
                signed(server.first_choice_delta),
                server.worst_single_failure.text(),
                signed(server.worst_single_failure_delta),
            ]
        })
        .collect()
}

const LOAD_HEADER: [&str; 5] = ["server", "first choice", "delta", "worst failure", "delta"];

fn unchanged_note(diff: &Diff) -> Option<String> {
    let n = diff.services.iter().filter(|s| s.unchanged()).count();
    (n > 0).then(|| format!("{} unchanged", count(n, "service", "services")))
}

fn text(diff: &Diff, breaches: &[Breach], lists: usize, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", diff.summary())?;
    if let Some(line) = diff.failures_line() {
        writeln!(out, "{}", one_line(&line))?;
    }
    if !diff.items.is_empty() {
        writeln!(out, "\nitems:")?;
        for i in &diff.items {
            let fields = if i.fields.is_empty() {
                String::new()
            } else {
                format!(": {}", i.fields.join("; "))
            };
            writeln!(
                out,
                "  {:<8} {}{}",
                i.change.word(),
                one_line(&i.item.to_string()),
                one_line(&fields)
            )?;
        }
    }
    for s in diff.services.iter().filter(|s| !s.unchanged()) {
        writeln!(
            out,
            "\nservice {} of cluster {}: {}",
            field(&s.service),
            field(&s.cluster),
            s.figures()
        )?;
        let mut rows = vec![LOAD_HEADER.map(str::to_owned)];
        rows.extend(load_rows(s));
        crate::tables::aligned(&rows, out)?;
        if let Some(line) = s.router_line() {
            writeln!(out, "  {}", one_line(&line))?;
        }
        if !s.lists.is_empty() {
            writeln!(out, "  {}:", s.lists_summary())?;
            for l in s.lists.iter().take(lists) {
                writeln!(out, "    {}", one_line(&l.line()))?;
            }
            if s.lists.len() > lists {
                writeln!(out, "    ... and {} more (--lists N shows more)", s.lists.len() - lists)?;
            }
        }
    }
    if let Some(note) = unchanged_note(diff) {
        writeln!(out, "\n{note}")?;
    }
    for (title, list) in [
        ("diagnostics appeared", &diff.diagnostics_appeared),
        ("diagnostics gone", &diff.diagnostics_gone),
    ] {
        if !list.is_empty() {
            writeln!(out, "\n{title}:")?;
            for d in list {
                writeln!(out, "  {}", one_line(&d.to_string()))?;
            }
        }
    }
    if !breaches.is_empty() {
        writeln!(out, "\nbudgets:")?;
        for b in breaches {
            writeln!(out, "  {}", b.line())?;
        }
    }
    Ok(())
}

/// Text for Markdown: the characters that would start markup are escaped, `->` is an arrow,
/// and a name cannot mention or link: a word joiner (U+2060, invisible) follows each `@` and
/// breaks `://` and `www.`, so a PR comment made of the diff pings no one and links nothing.
fn md(text: &str) -> String {
    const JOINER: char = '\u{2060}';
    let text = one_line(text).replace("->", "→");
    let text =
        text.replace("://", &format!(":{JOINER}//")).replace("www.", &format!("www{JOINER}."));
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~') {
            out.push('\\');
        }
        out.push(c);
        if c == '@' {
            out.push(JOINER);
        }
    }
    out
}

fn markdown(diff: &Diff, breaches: &[Breach], lists: usize, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "**clusterplan diff**: {}", md(&diff.summary()))?;
    if let Some(line) = diff.failures_line() {
        writeln!(out, "\n{}", md(&line))?;
    }
    let failing: Vec<&Breach> = breaches.iter().filter(|b| b.fails()).collect();
    if !breaches.is_empty() {
        writeln!(out, "\n### Budgets\n")?;
        if !failing.is_empty() {
            writeln!(
                out,
                "{} broken or made worse by this change.\n",
                count(failing.len(), "budget", "budgets")
            )?;
        }
        for b in breaches {
            writeln!(out, "- {}", md(&b.line()))?;
        }
    }
    for s in diff.services.iter().filter(|s| !s.unchanged()) {
        writeln!(out, "\n### {}\n", md(&s.title()))?;
        writeln!(out, "{}\n", md(&s.figures()))?;
        writeln!(out, "| {} |", LOAD_HEADER.join(" | "))?;
        writeln!(out, "| :-- | --: | --: | --: | --: |")?;
        for r in load_rows(s) {
            let r = r.map(|c| md(&c));
            writeln!(out, "| {} |", r.join(" | "))?;
        }
        if let Some(line) = s.router_line() {
            writeln!(out, "\n{}", md(&line))?;
        }
        if !s.lists.is_empty() {
            writeln!(out, "\n{}:\n", md(&s.lists_summary()))?;
            for l in s.lists.iter().take(lists) {
                writeln!(out, "- {}", md(&l.line()))?;
            }
            if s.lists.len() > lists {
                writeln!(out, "- … and {} more", s.lists.len() - lists)?;
            }
        }
    }
    if let Some(note) = unchanged_note(diff) {
        writeln!(out, "\n{note}.")?;
    }
    if !diff.items.is_empty() {
        writeln!(out, "\n### Items\n")?;
        for i in &diff.items {
            let fields = if i.fields.is_empty() {
                String::new()
            } else {
                format!(": {}", i.fields.join("; "))
            };
            writeln!(out, "- **{}** {}{}", i.change.word(), md(&i.item.to_string()), md(&fields))?;
        }
    }
    for (title, list) in [
        ("Diagnostics appeared", &diff.diagnostics_appeared),
        ("Diagnostics gone", &diff.diagnostics_gone),
    ] {
        if !list.is_empty() {
            writeln!(out, "\n### {title}\n")?;
            for d in list {
                writeln!(out, "- {}", md(&d.to_string()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markdown_names_mention_no_one_and_link_nothing() {
        assert_eq!(md("node @octocat"), "node @\u{2060}octocat");
        assert_eq!(md("see https://x.example/a_b"), "see https:\u{2060}//x.example/a\\_b");
        assert_eq!(md("www.example.com"), "www\u{2060}.example.com");
        // Text without them is as it was.
        assert_eq!(
            md("10.0.1.3 moved from 2nd to 1st -> [a]"),
            "10.0.1.3 moved from 2nd to 1st → \\[a\\]"
        );
    }
}
