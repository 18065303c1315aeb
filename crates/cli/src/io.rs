//! What the subcommands share with `main`: their [`Outcome`], the strategy option, JSON output,
//! and reading a document or any input within the engine's limits.

use anyhow::{Context, Result};
use clap::Args;
use clusterplan_engine::limits::{self, Limit};
use clusterplan_engine::{document, Document, Strategy};
use std::io::{Read, Write};
use std::path::Path;

/// What a command asks `main` to do once it has printed its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    /// The command's answer is "no" (`check` found errors, `bootstrap` found a cycle).
    Failed,
}

/// The ordering strategy option.
#[derive(Debug, Args)]
pub(crate) struct StrategyArg {
    /// How to order each group of equidistant addresses: rotation (the source's rule), spread,
    /// rendezvous, shuffle or shuffle:SEED.
    #[arg(long, default_value = "rotation", value_parser = parse_strategy)]
    pub(crate) strategy: Strategy,
}

fn parse_strategy(s: &str) -> Result<Strategy, String> {
    s.parse().map_err(|e: clusterplan_engine::strategy::UnknownStrategy| e.to_string())
}

/// Writes `value` as pretty JSON and a line break. A failed write is returned as the
/// `io::Error` it is (not wrapped in a `serde_json::Error`), as text writes return it.
pub(crate) fn write_json(
    out: &mut dyn Write,
    value: &(impl serde::Serialize + ?Sized),
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// Reads and parses the document; any failure is the one-line reason `main` prints.
pub(crate) fn load_document(path: &Path) -> Result<Document> {
    let text = read_file(path, Limit::DocumentBytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    document::read(&text).with_context(|| format!("cannot read {}", path.display()))
}

/// The text of the file at `path`, refused when it is larger than `limit` (a byte-order mark
/// aside): reading stops there, so a huge file or an endless one (`/dev/zero`) costs no more.
pub(crate) fn read_file(path: &Path, limit: Limit) -> Result<String> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    read_limited(file, limit, "the file", size)
}

/// At most `limit` (and a byte-order mark) of `reader`, as text; `size`, when known, is what
/// a refusal says the input is.
pub(crate) fn read_limited(
    reader: impl Read,
    limit: Limit,
    item: &str,
    size: Option<u64>,
) -> Result<String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut bytes = Vec::new();
    reader.take((limit.value() + BOM.len() + 1) as u64).read_to_end(&mut bytes)?;
    let content = bytes.len() - if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    if content > limit.value() {
        return Err(match size {
            Some(size) => limits::Exceeded::TooLarge {
                item: item.to_owned(),
                limit,
                found: usize::try_from(size).unwrap_or(usize::MAX),
            },
            None => limits::Exceeded::TooMany { item: item.to_owned(), limit },
        }
        .into());
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{item} is not UTF-8 text (byte {} is not)",
            e.utf8_error().valid_up_to() + 1
        )
    })
}
