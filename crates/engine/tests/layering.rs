//! The engine's module layers (ARCHITECTURE.md, "Layers"): every module of `src/` is given a
//! layer below, and this test fails when a module uses (`crate::...`, `super::...`) a module of
//! a higher layer, when the module graph has a cycle, when a module is missing from the table,
//! and when a module does not open with a `//!` line saying what it is. Test code (the
//! `#[cfg(test)] mod tests` at the end of a file) and comments are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Layers, bottom first. A module may use modules of its own layer (without a cycle) and of
/// the layers below.
const LAYERS: &[(&str, &[&str])] = &[
    // Input, the words of diagnostics, the strategies' maths: they know no plan.
    (
        "input",
        &[
            "limits",
            "document",
            "share",
            "generate",
            "diagnostics",
            "strategy",
            "fastmap",
            "sorting",
            "text",
        ],
    ),
    // The plan as plain data, and the storage it reads from.
    ("plan", &["plan", "plan/entry", "plan/lists", "plan/hop_table", "plan/load", "plan/wire"]),
    // The compile: document -> validated model -> plan, with its warnings and lints (the lints
    // read what the ordering gathered while it ran, so they are part of the compile).
    ("compile", &["prefix", "model", "hops", "ordering", "load", "lint", "build"]),
    // What is asked of a compiled plan (and of two, and of a node's bootstrap).
    (
        "analysis",
        &[
            "query",
            "explain",
            "compare",
            "diff/data",
            "diff/text",
            "diff/items",
            "diff/services",
            "diff",
            "bootstrap/types",
            "bootstrap/dependencies",
            "bootstrap/graph",
            "bootstrap/fig8",
            "bootstrap",
            "answers",
            "walkthrough",
        ],
    ),
    // The crate root: re-exports only.
    ("root", &["lib"]),
];

/// A module's name as its path under `src/` without `.rs` (`plan/lists`; `plan/mod.rs` is
/// `plan`).
fn module_name(rel: &Path) -> String {
    let s = rel.with_extension("").to_string_lossy().replace('\\', "/");
    s.strip_suffix("/mod").map_or(s.clone(), str::to_owned)
}

/// The source without test modules and comments.
fn code_of(text: &str) -> String {
    let cut = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..cut]
        .lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare enough in this crate to ignore: cut it too.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The module paths a piece of code names after `crate::` or `super::`, resolved against the
/// known modules (longest match; an item of the root, like `crate::compile`, is `lib`).
fn uses(module: &str, code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parent = module.rsplit_once('/').map_or("", |(p, _)| p);
    for (anchor, base) in [("crate::", ""), ("super::", parent)] {
        let mut rest = code;
        while let Some(i) = rest.find(anchor) {
            let before_ok = rest[..i].chars().next_back().is_none_or(|c| !is_ident(c));
            rest = &rest[i + anchor.len()..];
            if !before_ok {
                continue;
            }
            for path in paths_at(rest) {
                let full = if base.is_empty() { path } else { format!("{base}/{path}") };
                out.insert(resolve(&full, known));
            }
        }
    }
    out.remove(module);
    out
}

/// The `a/b/c` paths written at the start of `text` (after `crate::`): one, or each of a
/// `{..}` group's members (first level only, which is what names a module).
fn paths_at(text: &str) -> Vec<String> {
    if let Some(group) = text.strip_prefix('{') {
        let end = group.find('}').unwrap_or(group.len());
        return group[..end]
            .split(',')
            .map(|p| path_of(p.trim()))
            .filter(|p| !p.is_empty() && p != "self")
            .collect();
    }
    vec![path_of(text)]
}

fn path_of(text: &str) -> String {
    let mut segments = Vec::new();
    let mut rest = text;
    loop {
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        segments.push(&rest[..end]);
        match rest[end..].strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    segments.join("/")
}

/// The longest known module that `path` starts with; `lib` when none does.
fn resolve(path: &str, known: &BTreeSet<String>) -> String {
    let mut candidate = path;
    loop {
        if known.contains(candidate) {
            return candidate.to_owned();
        }
        match candidate.rsplit_once('/') {
            Some((head, _)) => candidate = head,
            None => return "lib".to_owned(),
        }
    }
}

fn sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under src");
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.insert(module_name(rel), text);
            }
        }
    }
    out
}

fn layer_of() -> BTreeMap<&'static str, (usize, &'static str)> {
    let mut out = BTreeMap::new();
    for (i, (name, modules)) in LAYERS.iter().enumerate() {
        for m in *modules {
            assert!(out.insert(*m, (i, *name)).is_none(), "{m} is in two layers");
        }
    }
    out
}

/// Every problem of the engine's layering, one line each.
fn problems(files: &BTreeMap<String, String>) -> Vec<String> {
    let layers = layer_of();
    let known: BTreeSet<String> = files.keys().cloned().collect();
    let mut out = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in files {
        if !text.trim_start().starts_with("//!") {
            out.push(format!("{module}: does not open with a `//!` line saying what it is"));
        }
        let Some(&(mine, my_layer)) = layers.get(module.as_str()) else {
            out.push(format!("{module}: not in the layer table of tests/layering.rs"));
            continue;
        };
        let used = uses(module, &code_of(text), &known);
        for u in &used {
            if let Some(&(theirs, their_layer)) = layers.get(u.as_str()) {
                if theirs > mine {
                    out.push(format!(
                        "{module} ({my_layer}) uses {u} ({their_layer}), a higher layer"
                    ));
                }
            }
        }
        graph.insert(module.clone(), used);
    }
    for m in layers.keys() {
        if !known.contains(*m) {
            out.push(format!("{m}: in the layer table but there is no such module"));
        }
    }
    if let Some(cycle) = find_cycle(&graph) {
        out.push(format!("cycle: {}", cycle.join(" -> ")));
    }
    out
}

/// A cycle of the module graph, as the modules on it (the first repeated at the end).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // 0 = not seen, 1 = on the current path, 2 = done.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_owned(), 1);
        path.push(m.to_owned());
        for next in graph.get(m).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|p| p == next).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(m.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in graph.keys() {
        if state.get(m.as_str()).copied().unwrap_or(0) == 0 {
            let mut path = Vec::new();
            if let Some(c) = visit(m, graph, &mut state, &mut path) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_engine_has_no_upward_edge_no_cycle_and_every_module_says_what_it_is() {
    let problems = problems(&sources());
    assert!(problems.is_empty(), "the engine's layering is broken:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_upward_edges_cycles_and_missing_docs() {
    let files: BTreeMap<String, String> = [
        // An upward edge (plan -> explain), hidden in a group, and a cycle plan -> build -> plan.
        ("plan", "//! p\nuse crate::{explain::Explanation, build};\n"),
        ("build", "//! b\nfn f() { crate::plan::x() }\n"),
        ("explain", "//! e\n"),
        // No doc line; an upward edge to the root; test code and comments do not count.
        ("document", "use crate::Strategy;\n// crate::explain\n#[cfg(test)]\nmod tests { use crate::query; }\n"),
        ("plan/lists", "//! l\nuse super::entry::Entry;\n"),
        ("plan/entry", "//! e\n"),
    ]
    .into_iter()
    .map(|(m, t)| (m.to_owned(), t.to_owned()))
    .collect();
    let found = problems(&files);
    let has = |s: &str| found.iter().any(|p| p.contains(s));
    assert!(has("plan (plan) uses explain (analysis), a higher layer"), "{found:#?}");
    assert!(has("document (input) uses lib (root), a higher layer"), "{found:#?}");
    assert!(has("document: does not open with a `//!` line"), "{found:#?}");
    assert!(has("cycle: build -> plan -> build"), "{found:#?}");
    assert!(!has("uses query"), "test code counted: {found:#?}");
    assert!(!has("plan/lists ("), "super:: resolved wrongly: {found:#?}");
    assert!(has("model: in the layer table but there is no such module"), "{found:#?}");
}
