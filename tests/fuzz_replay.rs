//! The fuzz corpus replayed as an ordinary test (seconds): every input in `fuzz/replay/<target>/`
//! (the minimised corpus of the long runs and every crash they found, `docs/reliability.md`)
//! goes through the same checks as the fuzz targets (`fuzz/checks.rs`), so that a fixed crash
//! stays fixed.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::PathBuf;

/// Runs `check` on every file of `fuzz/replay/<target>`; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/replay").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).expect("a corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: {} fails its check again", file.display());
    }
    files.len()
}

#[test]
fn the_document_reader_and_compile_corpus() {
    assert!(replay("document", checks::document) > 0);
}

#[test]
fn the_share_link_corpus() {
    assert!(replay("share_link", checks::share_link) > 0);
}

#[test]
fn the_edit_reducer_corpus() {
    assert!(replay("edits", checks::edits) > 0);
}

#[test]
fn the_lifecycle_corpus() {
    assert!(replay("lifecycle", checks::lifecycle) > 0);
}
