//! `share` and `read-link`: a document as a share link the app opens, and a link read back.

use anyhow::{anyhow, bail, Context, Result};
use clusterplan_engine::limits::{self, Limit};
use clusterplan_engine::{document, share, Document};
use std::io::Write;

/// The address `bash scripts/serve.sh` serves the app on.
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// Prints the link to `doc` at `base`, one line. A node to select must be one of the
/// document's (a link that selects nothing would mislead its reader). A link longer than the
/// 2 MB `read-link` reads is refused, naming the limit.
pub fn share(
    doc: &Document,
    base: &str,
    options: &share::LinkOptions,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(uid) = &options.node {
        if !doc.nodes.iter().any(|n| &n.uid == uid) {
            bail!("the document has no node with UID {uid:?} to select");
        }
    }
    let link = share::link(base, doc, options);
    // `read-link` (and a browser) takes no longer link: printing one would only mislead.
    limits::check_size("the link", Limit::LinkChars, link.len())
        .map_err(|e| anyhow!("{e}: the model is too large to share as a link; send its file"))?;
    writeln!(out, "{link}")?;
    Ok(())
}

/// Prints the document in `link` (a link, a `#model=...` fragment, or `-` for standard input)
/// as pretty JSON.
pub fn read_link(link: &str, out: &mut dyn Write) -> Result<()> {
    let doc = if link == "-" {
        // Reading stops at the longest link a browser keeps.
        let text =
            crate::io::read_limited(std::io::stdin().lock(), Limit::LinkChars, "the link", None)
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
