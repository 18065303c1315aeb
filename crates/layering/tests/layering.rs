//! Every crate of the workspace keeps its layers (ARCHITECTURE.md, "Layers"): the crates
//! depend on each other only as [`CRATES`] allows, and each crate's modules only as its table
//! allows: no upward `crate::`/`super::` edge, no cycle, every module in its table and opening
//! with a `//!` line. The last test shows the checker failing on each kind of problem.

use clusterplan_layering::{dependencies, problems, sources, Layers};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace crates, bottom first: each with its directory, the workspace crates it may
/// depend on, and its modules' layers.
const CRATES: &[(&str, &str, &[&str], Layers<'static>)] = &[
    ("clusterplan-engine", "crates/engine", &[], ENGINE),
    ("clusterplan-lifecycle", "crates/lifecycle", &["clusterplan-engine"], LIFECYCLE),
    ("clusterplan", ".", &["clusterplan-engine", "clusterplan-lifecycle"], APP),
    ("clusterplan-cli", "crates/cli", &["clusterplan-engine", "clusterplan-lifecycle"], CLI),
    ("clusterplan-js", "crates/js", &["clusterplan-engine", "clusterplan-lifecycle"], JS),
    ("clusterplan-embed", "crates/embed", &["clusterplan", "clusterplan-engine"], EMBED),
    ("clusterplan-layering", "crates/layering", &[], LAYERING),
];

/// The engine (ARCHITECTURE.md, "The engine's layers").
const ENGINE: Layers<'static> = &[
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
    (
        "compile",
        &["prefix", "model", "failures", "hops", "ordering", "load", "cuts", "lint", "build"],
    ),
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
            "network",
        ],
    ),
    // The crate root: re-exports only.
    ("root", &["lib"]),
];

/// The lifecycle simulation: the world and the scenario, the core every protocol uses, the
/// protocols, and what is checked of and explored in their runs.
const LIFECYCLE: Layers<'static> = &[
    ("data", &["world", "trace", "scenario", "net"]),
    // The nine invariants: the core checks them as each event is emitted.
    ("rules", &["invariants"]),
    ("core", &["sim"]),
    (
        "protocols",
        &[
            "ops/dcm",
            "ops",
            "ops/bootstrap",
            "ops/join",
            "ops/define",
            "ops/move_node",
            "ops/control",
            "ops/cluster",
            "ops/registry_server",
            "ops/modify_node",
        ],
    ),
    ("checks", &["explore"]),
    ("root", &["lib"]),
];

/// The app (ARCHITECTURE.md, "The app's layers"): the browser below, the pure model above it,
/// the components on top.
const APP: Layers<'static> = &[
    (
        "platform",
        &[
            "platform",
            "platform/browser",
            "platform/files",
            "platform/versions",
            "platform/storage",
            "platform/idb",
        ],
    ),
    (
        "model",
        &[
            "model",
            "model/layout",
            "model/edit",
            "model/edit/clusters",
            "model/edit/diagram",
            "model/edit/document",
            "model/edit/history",
            "model/edit/net",
            "model/edit/networks",
            "model/edit/nodes",
            "model/edit/routers",
            "model/edit/services",
            "model/edit/subnets",
            "model/edit/tests",
            "model/examples",
            "model/testing",
            "model/theme",
            "model/picture",
            "model/shared",
            "model/view",
            "model/lessons",
            "model/explore",
            "model/simulation",
            "model/overlay",
            "model/hops",
            "model/review",
            "model/merge",
            "model/shortcuts",
            "model/state",
            "model/share",
        ],
    ),
    (
        "ui",
        &[
            "ui",
            "ui/fields",
            "ui/hooks",
            "ui/keys",
            "ui/theme_picker",
            "ui/compile",
            "ui/canvas",
            "ui/canvas/detail",
            "ui/canvas/draw",
            "ui/canvas/export",
            "ui/canvas/gesture",
            "ui/canvas/keyboard",
            "ui/canvas/scene",
            "ui/canvas/viewport",
            "ui/inspector",
            "ui/results",
            "ui/results/bootstrap",
            "ui/results/diagnostics",
            "ui/results/failures",
            "ui/results/hops",
            "ui/results/load",
            "ui/results/matrix",
            "ui/results/node",
            "ui/results/review",
            "ui/results/simulate",
            "ui/results/simulate/builder",
            "ui/results/strategies",
            "ui/results/walkthrough",
            "ui/toolbar",
            "ui/toolbar/dialogs",
            "ui/embed",
            "ui/app",
        ],
    ),
    ("root", &["lib", "main"]),
];

/// The command-line tool: the shared output, the subcommands, the root (argument parsing).
const CLI: Layers<'static> = &[
    ("output", &["io", "tables"]),
    ("options", &["network"]),
    ("commands", &["budgets", "bootstrap", "compare", "diff", "explain", "links", "simulate"]),
    ("root", &["main"]),
];

/// The JavaScript package: the answers in plain Rust, the `wasm-bindgen` functions over them.
const JS: Layers<'static> = &[("answers", &["answer"]), ("root", &["lib"])];

/// The `<cluster-plan>` element's WASM.
const EMBED: Layers<'static> = &[("root", &["lib"])];

/// This checker.
const LAYERING: Layers<'static> = &[("root", &["lib"])];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_crate_depends_only_on_the_crates_below_it() {
    let mut out = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for &(name, dir, allowed, _) in CRATES {
        let manifest = std::fs::read_to_string(workspace().join(dir).join("Cargo.toml"))
            .expect("a crate's Cargo.toml");
        for dep in dependencies(&manifest) {
            if !allowed.contains(&dep.as_str()) {
                out.push(format!(
                    "{name} depends on {dep}, which its row of CRATES does not allow"
                ));
            } else if !seen.contains(dep.as_str()) {
                out.push(format!("{name} depends on {dep}, which is not below it in CRATES"));
            }
        }
        seen.insert(name);
    }
    assert!(out.is_empty(), "the crates' dependencies are broken:\n{}", out.join("\n"));
}

#[test]
fn every_crate_has_no_upward_edge_no_cycle_and_every_module_says_what_it_is() {
    let mut out = Vec::new();
    for &(name, dir, _, layers) in CRATES {
        for problem in problems(layers, &sources(&workspace().join(dir))) {
            out.push(format!("{name}: {problem}"));
        }
    }
    assert!(out.is_empty(), "the layering is broken:\n{}", out.join("\n"));
}

#[test]
fn every_workspace_crate_has_a_table() {
    let root = std::fs::read_to_string(workspace().join("Cargo.toml")).expect("Cargo.toml");
    let members = root.lines().find(|l| l.starts_with("members")).expect("members");
    for dir in members.split('"').skip(1).step_by(2) {
        assert!(
            CRATES.iter().any(|&(_, d, _, _)| d == dir),
            "{dir} is a workspace member without a row in CRATES"
        );
    }
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
    let found = problems(ENGINE, &files);
    let has = |s: &str| found.iter().any(|p| p.contains(s));
    assert!(has("plan (plan) uses explain (analysis), a higher layer"), "{found:#?}");
    assert!(has("document (input) uses lib (root), a higher layer"), "{found:#?}");
    assert!(has("document: does not open with a `//!` line"), "{found:#?}");
    assert!(has("cycle: build -> plan -> build"), "{found:#?}");
    assert!(!has("uses query"), "test code counted: {found:#?}");
    assert!(!has("plan/lists ("), "super:: resolved wrongly: {found:#?}");
    assert!(has("model: in the layer table but there is no such module"), "{found:#?}");
}

#[test]
fn the_checker_fails_on_an_upward_use_in_the_app() {
    // The app as it is, with one upward `use` added: the model using a component.
    let mut files = sources(&workspace());
    assert!(problems(APP, &files).is_empty(), "the app itself must pass first");
    let state = files.get_mut("model/state").expect("model/state");
    // After its first line (what follows its test module is test code, not counted).
    let first = state.find('\n').expect("a first line") + 1;
    state.insert_str(first, "use crate::ui::canvas::Canvas;\n");
    let found = problems(APP, &files);
    assert!(
        found.iter().any(|p| p == "model/state (model) uses ui/canvas (ui), a higher layer"),
        "{found:#?}"
    );
    // And a binary crate's items resolve to its root, `main`.
    let cli = sources(&workspace().join("crates/cli"));
    let mut tables = cli.clone();
    tables.get_mut("tables").expect("tables").insert_str(0, "use crate::write_json;\n");
    let found = problems(CLI, &tables);
    assert!(
        found.iter().any(|p| p == "tables (output) uses main (root), a higher layer"),
        "{found:#?}"
    );
}
