//! `share` and `read-link`: a document as a share link the app opens, and a link read back.

use anyhow::{anyhow, Context, Result};
use clusterplan_engine::{document, share, Document, Strategy};
use std::io::{Read, Write};

/// The address `bash scripts/serve.sh` serves the app on.
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// Prints the link to `doc` at `base` (a shared view with `view`), one line.
pub fn share(
    doc: &Document,
    base: &str,
    view: bool,
    strategy: Strategy,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "{}", share::link(base, doc, view, strategy))?;
    Ok(())
}

/// Prints the document in `link` (a link, a `#model=...` fragment, or `-` for standard input)
/// as pretty JSON.
pub fn read_link(link: &str, out: &mut dyn Write) -> Result<()> {
    let doc = if link == "-" {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .context("cannot read the link from standard input")?;
        open(text.trim())?
    } else {
        open(link)?
    };
    writeln!(out, "{}", document::write(&doc))?;
    Ok(())
}

/// The engine's reading of the link. Its message alone: it already names what is wrong, and the
/// cause it wraps would only repeat it.
fn open(link: &str) -> Result<Document> {
    share::read_link(link).map_err(|e| anyhow!("{e}"))
}
