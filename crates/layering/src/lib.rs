//! The workspace's layering check (ARCHITECTURE.md, "Layers"): each crate's modules are given
//! layers in a table ([`Layers`], bottom first), and [`problems`] names every module that uses
//! (`crate::...`, `super::...`) a module of a higher layer, every cycle of the module graph, every
//! module missing from the table (or named in it but absent), and every module that does not
//! open with a `//!` line saying what it is. Test code (the `#[cfg(test)] mod tests` at the end of
//! a file) and comments are not counted. [`dependencies`] reads a crate's `Cargo.toml` for the
//! workspace crates it depends on. `tests/layering.rs` holds every crate's table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A crate's layers, bottom first: each a name and its modules (paths under `src/` without
/// `.rs`; `a/mod.rs` is `a`). A module may use modules of its own layer (without a cycle) and of
/// the layers below.
pub type Layers<'a> = &'a [(&'a str, &'a [&'a str])];

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

/// The longest known module that `path` starts with; the crate's root (`lib`, or `main` in a
/// binary crate) when none does.
fn resolve(path: &str, known: &BTreeSet<String>) -> String {
    let mut candidate = path;
    loop {
        if known.contains(candidate) {
            return candidate.to_owned();
        }
        match candidate.rsplit_once('/') {
            Some((head, _)) => candidate = head,
            None if !known.contains("lib") && known.contains("main") => return "main".to_owned(),
            None => return "lib".to_owned(),
        }
    }
}

/// The sources of a crate's `src/` (its directory given), by module name. The binaries under
/// `src/bin/` are crates of their own and are left out.
pub fn sources(crate_dir: &Path) -> BTreeMap<String, String> {
    let root = crate_dir.join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                if path != root.join("bin") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under src");
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.insert(module_name(rel), text);
            }
        }
    }
    out
}

fn layer_of<'a>(layers: Layers<'a>) -> BTreeMap<&'a str, (usize, &'a str)> {
    let mut out = BTreeMap::new();
    for (i, (name, modules)) in layers.iter().enumerate() {
        for m in *modules {
            assert!(out.insert(*m, (i, *name)).is_none(), "{m} is in two layers");
        }
    }
    out
}

/// Every problem of a crate's layering, one line each (empty when it keeps its layers).
pub fn problems(layers: Layers<'_>, files: &BTreeMap<String, String>) -> Vec<String> {
    let layers = layer_of(layers);
    let known: BTreeSet<String> = files.keys().cloned().collect();
    let mut out = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in files {
        if !text.trim_start().starts_with("//!") {
            out.push(format!("{module}: does not open with a `//!` line saying what it is"));
        }
        let Some(&(mine, my_layer)) = layers.get(module.as_str()) else {
            out.push(format!(
                "{module}: not in the layer table of crates/layering/tests/layering.rs"
            ));
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

/// The workspace crates (`clusterplan`, `clusterplan-...`) a crate's `Cargo.toml` lists under
/// `[dependencies]`, by package name.
pub fn dependencies(manifest: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_dependencies = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        let name = line.split(['=', '.', ' ']).next().unwrap_or("");
        if in_dependencies && (name == "clusterplan" || name.starts_with("clusterplan-")) {
            out.insert(name.to_owned());
        }
    }
    out
}
