//! Data-driven tests: every `tests/data/*.json` document is compiled and rendered as text
//! (diagnostics, lists, load, hops, explanations), then compared with `tests/data/NAME.expected`.
//! A diff fixture is a pair, `NAME.before.json` and `NAME.after.json`: the engine's diff of the
//! two (its summary line, then the whole diff as JSON) is compared with `NAME.expected`.
//! Run with `UPDATE_EXPECT=1` to write the expected files after checking the diff by eye.

use clusterplan_engine::diagnostics::{DiagnosticCode, CODES};
use clusterplan_engine::{compare, compile, diff, document, Document, Strategy};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Renders a compiled document the way the expected files hold it.
fn render(text: &str) -> String {
    let mut out = String::new();
    let doc = match document::read(text) {
        Ok(doc) => doc,
        Err(e) => {
            // `read` refuses it; what would the engine make of it if the app built it in code?
            writeln!(out, "read error: {e}").unwrap();
            match serde_json::from_str::<Document>(text) {
                Ok(doc) => doc,
                Err(_) => return out,
            }
        }
    };
    // A fixture may pick its strategy with a top-level "strategy" extension field.
    let strategy: Strategy = doc
        .extra
        .get("strategy")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    let plan = compile(&doc, strategy);
    writeln!(out, "strategy {strategy}").unwrap();
    writeln!(out, "# diagnostics").unwrap();
    for d in &plan.diagnostics {
        assert!(
            CODES.contains(&d.code) && d.code.severity() == d.severity,
            "{d}: code not in CODES with this severity"
        );
        writeln!(out, "{d}").unwrap();
    }
    writeln!(out, "# subnets").unwrap();
    for (i, s) in plan.subnets.iter().enumerate() {
        let hops: Vec<String> = (0..plan.subnets.len())
            .map(|j| plan.hops.get(i, j).map_or("-".to_owned(), |h| h.to_string()))
            .collect();
        writeln!(
            out,
            "{i} {}{} network={} hops=[{}]",
            s.prefix,
            if s.implicit { " (implicit)" } else { "" },
            s.network.as_deref().unwrap_or("-"),
            hops.join(" ")
        )
        .unwrap();
    }
    writeln!(out, "# lists").unwrap();
    for sp in &plan.services {
        for l in &sp.lists {
            let entries: Vec<String> = l
                .entries
                .iter()
                .map(|e| {
                    let mut s = sp.addresses[e.address()].ip.to_string();
                    if e.local {
                        s.push_str("(local)");
                    } else if e.hops().is_none() {
                        s.push_str("(unreachable)");
                    }
                    s
                })
                .collect();
            writeln!(out, "{}\t{}\t{}\t{}", sp.cluster, sp.service, l.number, entries.join(","))
                .unwrap();
        }
    }
    writeln!(out, "# load").unwrap();
    for sp in &plan.services {
        let ld = &sp.load;
        for (s, server) in sp.servers.iter().enumerate() {
            let (worst, by) = ld.worst_single_failure[s];
            load_line(
                &mut out,
                sp,
                s,
                ld.first_choice[s],
                worst,
                worst_cause(sp, server.online, by),
            );
        }
        let ratio = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{r:.3}"));
        writeln!(
            out,
            "{}\t{}\tclients={} unserved={} balance={} worst-balance={}",
            sp.cluster,
            sp.service,
            ld.clients,
            ld.unserved,
            ratio(ld.balance_first_choice),
            ratio(ld.balance_worst_failure)
        )
        .unwrap();
    }
    // A fixture may fail servers by node number with a top-level "fail" extension field: each
    // service's load with those failed, and the worst single failure on top of them.
    let failed: Vec<u32> = doc
        .extra
        .get("fail")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|n| n.as_u64()).map(|n| n as u32).collect())
        .unwrap_or_default();
    if !failed.is_empty() {
        writeln!(out, "# failover {failed:?}").unwrap();
        for sp in &plan.services {
            let (servers, _) = sp.servers_by_number(&failed);
            let f = sp.failover(&servers);
            for (s, server) in sp.servers.iter().enumerate() {
                let (worst, by) = f.worst_single_failure[s];
                let up = server.online && !f.failed.contains(&s);
                load_line(&mut out, sp, s, f.load[s], worst, worst_cause(sp, up, by));
            }
            writeln!(
                out,
                "{}\t{}\tclients={} unserved={} moved={}",
                sp.cluster,
                sp.service,
                f.clients,
                f.unserved,
                f.moved.len()
            )
            .unwrap();
        }
    }
    // A fixture may ask for one node's bootstrap with a top-level "bootstrap" extension field:
    // `{ "node": UID, "depends": ["dcm->rm", ...] }`.
    if let Some(b) = doc.extra.get("bootstrap") {
        let node = b.get("node").and_then(|v| v.as_str()).unwrap_or_default();
        let depends: Vec<clusterplan_engine::bootstrap::Dependency> = b
            .get("depends")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|d| d.as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        writeln!(out, "# bootstrap {node}").unwrap();
        match clusterplan_engine::bootstrap::node_bootstrap(&doc, node, &depends) {
            Err(e) => writeln!(out, "{e}").unwrap(),
            Ok(boot) => {
                match &boot.order {
                    Ok(order) => {
                        let names: Vec<String> = order.iter().map(|s| s.to_string()).collect();
                        writeln!(out, "order: {}", names.join(", ")).unwrap();
                    }
                    Err(cycle) => writeln!(out, "order: none, {cycle}").unwrap(),
                }
                for step in &boot.steps {
                    let ready: Vec<String> = step.completes.iter().map(|s| s.to_string()).collect();
                    writeln!(out, "step {} ready: {}", step.number, ready.join(", ")).unwrap();
                }
                match &boot.waits {
                    Some(w) => writeln!(out, "waits at step {}: {}", w.step, w.reason).unwrap(),
                    None => writeln!(out, "runs to step 24").unwrap(),
                }
            }
        }
    }
    // The first list's explanation of each service, entry by entry.
    writeln!(out, "# explain").unwrap();
    for (si, sp) in plan.services.iter().enumerate() {
        if let Some(l) = sp.lists.get(0) {
            for ei in 0..l.entries.len() {
                let x = plan.explain(si, 0, ei).unwrap();
                writeln!(
                    out,
                    "{} {} n={}: {} | {}",
                    sp.service, ei, l.number, x.formula, x.summary
                )
                .unwrap();
            }
        }
    }
    // The strategies compared (only for small fixtures: it reorders every list per server).
    if doc.extra.get("compare").and_then(|v| v.as_bool()).unwrap_or(false) {
        writeln!(out, "# compare").unwrap();
        for report in compare(&doc, 7) {
            for s in &report.services {
                let ratio = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{r:.2}"));
                let removal = s.removal.as_ref().map_or("-".to_owned(), |r| {
                    format!(
                        "max {} mean {:.2} (removing {})",
                        r.max_moved, r.mean_moved, r.worst_server
                    )
                });
                let addition = s.addition.as_ref().map_or("-".to_owned(), |a| {
                    format!("{} to new {} moved {}", a.address, a.to_new, a.moved)
                });
                writeln!(
                    out,
                    "{}\t{}\t{}\tfirst max {} balance {}\tworst failure {} {:?} balance {}\tremoval {removal}\taddition {addition}",
                    report.strategy,
                    s.cluster,
                    s.service,
                    s.max_first_choice,
                    ratio(s.balance_first_choice),
                    s.worst_single_failure,
                    s.worst_failure_pair,
                    ratio(s.balance_worst_failure),
                )
                .unwrap();
            }
        }
    }
    out
}

/// One server's load line: cluster, service, node number, load, worst single failure, why.
fn load_line(
    out: &mut String,
    sp: &clusterplan_engine::plan::ServicePlan,
    server: usize,
    load: usize,
    worst: usize,
    cause: String,
) {
    let number = sp.servers[server].number;
    writeln!(out, "{}\t{}\t{number}\t{load}\t{worst}\t({cause})", sp.cluster, sp.service).unwrap();
}

/// Why a server's worst single failure load is what it is.
fn worst_cause(sp: &clusterplan_engine::plan::ServicePlan, up: bool, by: Option<usize>) -> String {
    match by {
        _ if !up => "down".to_owned(),
        Some(f) => format!("worst when {} fails", sp.servers[f].number),
        None => "no single failure adds to it".to_owned(),
    }
}

/// Renders the diff of two documents: its summary line, then the diff as pretty JSON.
fn render_diff(before: &str, after: &str) -> String {
    let read = |text: &str| document::read(text).expect("a diff fixture is a document");
    let diff = diff::diff(&read(before), &read(after), Strategy::Rotation);
    let json = serde_json::to_string_pretty(&diff).unwrap();
    format!("summary: {}\n{json}\n", diff.summary())
}

/// The one helper: compiles `name.json` (or diffs `name.before.json` with `name.after.json`)
/// and compares the rendering with `name.expected`.
fn check(name: &str) {
    let dir = data_dir();
    let read = |file: String| std::fs::read_to_string(dir.join(file)).unwrap();
    let actual = if dir.join(format!("{name}.before.json")).exists() {
        render_diff(&read(format!("{name}.before.json")), &read(format!("{name}.after.json")))
    } else {
        render(&read(format!("{name}.json")))
    };
    let expected_path = dir.join(format!("{name}.expected"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if actual != expected {
        panic!(
            "{name}: output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
            expected_path.display()
        );
    }
}

macro_rules! data_tests {
    ($($name:ident),* $(,)?) => { $( #[test] fn $name() { check(stringify!($name)); } )* };
}

data_tests!(
    seed_fig24,
    seed_fig22,
    names,
    nodes,
    services,
    unknown_format,
    residues,
    addresses,
    strategy_spread,
    strategy_rendezvous,
    strategy_shuffle,
    not_json,
    two_clusters_shared_node,
    failed_server,
    registry_elsewhere,
    subnet_two_servers,
    bootstrap_cycle,
    bootstrap_controllers,
    diff_server_added,
    diff_router_removed,
    diff_node_renumbered,
    diff_priority_changed,
    diff_node_moved,
);

/// Every diagnostic code the engine can emit appears in some expected file, so each kind is
/// pinned by a fixture; the plan-size refusals need documents of thousands of items, so they are
/// pinned by `tests/plan_limits.rs` instead (its generated documents and exact messages).
#[test]
fn every_diagnostic_code_has_a_fixture() {
    let pinned_by_plan_limits = [DiagnosticCode::HopTableTooLarge, DiagnosticCode::ListsTooLarge];
    let mut all = String::new();
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") {
            all.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    let missing: Vec<&str> = CODES
        .iter()
        .filter(|c| !pinned_by_plan_limits.contains(c))
        .map(|c| c.name())
        .filter(|code| !all.contains(&format!("[{code}]")))
        .collect();
    assert!(missing.is_empty(), "no fixture shows {missing:?}");
}

/// The source's two examples, spelled out (the expected files hold them too).
#[test]
fn the_source_examples_hold() {
    let read = |name: &str| {
        let text = std::fs::read_to_string(data_dir().join(format!("{name}.json"))).unwrap();
        compile(&document::read(&text).unwrap(), Strategy::Rotation)
    };
    let texts = |plan: &clusterplan_engine::Plan, number: u32| -> Vec<String> {
        let sp = &plan.services[0];
        let list = sp.lists.iter().find(|l| l.number == number).unwrap();
        list.entries.iter().map(|e| sp.addresses[e.address()].ip.to_string()).collect()
    };
    let fig24 = read("seed_fig24");
    assert_eq!(
        texts(&fig24, 5),
        ["10.0.0.1", "10.0.1.9", "10.0.1.3", "10.0.1.7", "10.0.2.20", "10.0.2.12"]
    );
    let fig22 = read("seed_fig22");
    for list in &fig22.services[0].lists {
        assert_eq!(texts(&fig22, list.number), ["10.1.0.1", "10.2.0.2", "10.3.0.3"]);
    }
    let x = fig24.explain(0, 4, 1).unwrap();
    assert_eq!((x.node_number, x.group_size, x.pick, x.group_index), (5, 3, 0, 2));
    assert_eq!(x.formula, "index = ((5 mod 3) + 0) mod 3 = 2");
}

/// docs/format.md lists every code, in the order of `DiagnosticCode` and with its severity: the
/// plan's codes in the table of diagnostics, the bootstrap view's in the table after it.
#[test]
fn the_documented_codes_are_the_enum() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/format.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let documented: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let mut cells = l.strip_prefix("| `")?.splitn(2, "` | ");
            let code = cells.next()?;
            let severity = cells.next()?.split(" |").next()?;
            (code.contains('-') && matches!(severity, "error" | "warning" | "lint"))
                .then(|| (code.to_owned(), severity.to_owned()))
        })
        .collect();
    let all: Vec<(String, String)> = DiagnosticCode::PLAN
        .iter()
        .chain(DiagnosticCode::BOOTSTRAP)
        .map(|c| (c.name().to_owned(), c.severity().to_string()))
        .collect();
    assert_eq!(documented, all, "docs/format.md and DiagnosticCode disagree");
}
