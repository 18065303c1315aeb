//! The `clusterplan` binary against the command-line contract of `model-format.md`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A path from the workspace root.
fn root(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn clusterplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clusterplan"))
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = clusterplan().args(args).output().expect("the binary runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn lists_fig24_gives_the_sources_order_for_node_5() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, _) = run(&["lists", s(&fig24)]);
    assert_eq!(code, 0);
    assert!(
        out.lines().any(|l| l == "A\tregistry\t5\t10.0.0.1,10.0.1.9,10.0.1.3,10.0.1.7,10.0.2.20,10.0.2.12"),
        "{out}"
    );
    // One line per online node (10 of them), four tab-separated fields, sorted by node number.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10);
    let numbers: Vec<u32> = lines
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{l}");
            assert_eq!((f[0], f[1]), ("A", "registry"));
            assert_eq!(f[3].split(',').count(), 6, "{l}");
            f[2].parse().unwrap()
        })
        .collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 12], "numeric order, not text order");
}

#[test]
fn lists_fig22_gives_1_2_3_to_every_client() {
    let (code, out, _) = run(&["lists", s(&root("examples/seed-fig22.json"))]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(*line, format!("A\tregistry\t{}\t10.1.0.1,10.2.0.2,10.3.0.3", i + 1));
    }
}

#[test]
fn load_fig24() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, _) = run(&["load", s(&fig24)]);
    assert_eq!(code, 0);
    // First choice: the five nodes of 10.0.0.0/24 take node 5 (local or 0 hops); every other
    // server is local to itself only. When node 5 fails its clients 1, 4, 6, 8 fall to the
    // 1-hop group at index (n mod 3): 7, 7, 3, 9; node 5 itself is no client any more (docs/spec.md
    // §4), so 9 gets 2, not 3. No failure adds to 2, 5 and 12: their worst is their first choice.
    assert_eq!(
        out,
        "A\tregistry\t2\t1\t1\n\
         A\tregistry\t3\t1\t2\n\
         A\tregistry\t5\t5\t5\n\
         A\tregistry\t7\t1\t3\n\
         A\tregistry\t9\t1\t2\n\
         A\tregistry\t12\t1\t1\n"
    );
    let (_, json, _) = run(&["load", s(&fig24), "--json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let row = |n: u64| v.as_array().unwrap().iter().find(|r| r["node"] == n).unwrap().clone();
    assert_eq!(row(9)["worst_when_fails"], 5);
    assert_eq!(row(5)["worst_when_fails"], Value::Null, "no single failure adds to node 5's load");
    assert_eq!(row(5)["up"], true);
}

#[test]
fn load_with_failed_nodes() {
    let fig24 = root("examples/seed-fig24.json");
    // Node 5 failed: it serves no one and is no client; its clients 1, 4, 6, 8 go to 7, 7, 3,
    // 9. The worst column is taken on top of the failure: 7 gets 4 when 3 fails.
    let (code, out, err) = run(&["load", s(&fig24), "--fail", "5"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "A\tregistry\t2\t1\t1\n\
         A\tregistry\t3\t2\t3\n\
         A\tregistry\t5\t0\t0\n\
         A\tregistry\t7\t3\t4\n\
         A\tregistry\t9\t2\t4\n\
         A\tregistry\t12\t1\t1\n"
    );
    // A failed client that is no server only leaves the clients: 9 clients minus node 1.
    let (_, json, _) = run(&["load", s(&fig24), "--fail", "5,1", "--json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let total: u64 =
        v.as_array().unwrap().iter().map(|r| r["first_choice"].as_u64().unwrap()).sum();
    assert_eq!(total, 8);
    assert_eq!(v.as_array().unwrap().iter().find(|r| r["node"] == 5).unwrap()["up"], false);
    // Several clusters need --cluster; an unknown number or cluster is one line, exit 2.
    let two = root("examples/two-clusters-shared-node.json");
    for args in [
        vec!["load", s(&two), "--fail", "2"],
        vec!["load", s(&fig24), "--fail", "42"],
        vec!["load", s(&fig24), "--cluster", "Z"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    let (_, err_text, err) = run(&["load", s(&fig24), "--fail", "42"]);
    assert!(err_text.is_empty() && err.contains("cluster A has no node number 42"), "{err}");
    // --cluster B: B's lines only, with B's node 2 failed: nobody serves B's registry.
    let (code, out, _) = run(&["load", s(&two), "--cluster", "B", "--fail", "2"]);
    assert_eq!(code, 0);
    assert_eq!(out, "B\tregistry\t1\t0\t0\nB\tregistry\t2\t0\t0\n");
}

#[test]
fn a_node_online_in_another_cluster_serves_nobody_there() {
    let two = root("examples/two-clusters-shared-node.json");
    let (code, out, _) = run(&["load", s(&two)]);
    assert_eq!(code, 0);
    // Node "shared" is B's registry server 1 but online in A: 0 clients in B, its row kept.
    assert_eq!(
        out,
        "A\tregistry\t1\t2\t2\n\
         A\tregistry\t3\t1\t2\n\
         B\tregistry\t1\t0\t0\n\
         B\tregistry\t2\t3\t3\n"
    );
    // The lists are the ordering of the service's addresses (docs/spec.md §3) and keep the down
    // server's address, as they keep a failed one's: client 4 lists 10.2.0.13 first and is
    // served by the next address, node 2's (its load above counts it).
    let (_, lists, _) = run(&["lists", s(&two)]);
    assert!(lists.ends_with("B\tregistry\t4\t10.2.0.13,10.2.0.22\n"), "{lists}");
    let (code, out, _) = run(&["check", s(&two)]);
    assert_eq!(code, 0, "a warning, not an error: B still has registry server 2");
    assert!(out.contains("warning[not-online-in-cluster] node shared:"), "{out}");
    assert!(out.contains("is online in cluster A, so it is down for B"), "{out}");
    // A cluster whose only registry server is online elsewhere cannot come online: an error.
    let alone = root("crates/engine/tests/data/registry_elsewhere.json");
    let (code, out, _) = run(&["check", s(&alone)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[no-registry-server-online] cluster B"), "{out}");
    // The worst failure of FIG 24 is a first-choice load no single failure causes.
    let (_, out, _) = run(&["compare", s(&root("examples/seed-fig24.json"))]);
    let rotation = out.lines().find(|l| l.trim_start().starts_with("rotation")).unwrap();
    assert!(rotation.contains(" none "), "{rotation}");
    assert!(!out.contains("2->5"), "{out}");
}

#[test]
fn unreadable_documents_give_one_line_and_a_non_zero_exit() {
    let missing = fixture("does-not-exist.json");
    let cases = [
        ("not-json.json", "not JSON"),
        ("wrong-format.json", "unsupported format"),
        ("not-an-object.json", "not a cluster-planner/1 document"),
        ("bad-shape.json", "clusters: invalid type: map, expected a sequence at line 1 column"),
        ("wrong-type.json", "nodes[3].clusters.A: invalid value: integer `-1`, expected u32"),
    ];
    let mut paths: Vec<(PathBuf, &str)> = cases.iter().map(|(f, why)| (fixture(f), *why)).collect();
    paths.push((missing, "cannot read"));
    for (path, why) in &paths {
        for command in ["lists", "load", "check"] {
            for json in [false, true] {
                let mut args = vec![command, s(path)];
                if json {
                    args.push("--json");
                }
                let (code, out, err) = run(&args);
                assert_ne!(code, 0, "{args:?}");
                assert!(out.is_empty(), "{args:?}: nothing on stdout, got {out}");
                assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err:?}");
                assert!(err.ends_with('\n'));
                assert!(err.contains(why), "{args:?}: {err}");
                assert!(err.contains(s(path)), "{args:?}: names the file: {err}");
            }
        }
    }
}

#[test]
fn a_value_of_the_wrong_type_is_named_by_its_path_line_and_column() {
    let path = fixture("wrong-type.json");
    let (code, out, err) = run(&["check", s(&path)]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "clusterplan: cannot read {}: nodes[3].clusters.A: invalid value: integer `-1`, \
             expected u32 at line 14 column 27\n",
            s(&path)
        )
    );
}

#[test]
fn check_exit_codes() {
    // Only lints: exit 0, the lint printed.
    let (code, out, _) = run(&["check", s(&root("examples/seed-fig24.json"))]);
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().all(|l| l.starts_with("lint[") || l.starts_with("warning[")), "{out}");
    // Errors: exit 1, one diagnostic a line, each naming its item.
    let (code, out, _) = run(&["check", s(&fixture("broken-rules.json"))]);
    assert_eq!(code, 1, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error[")).collect();
    assert!(
        errors.iter().any(|l| l.starts_with("error[duplicate-address]") && l.contains("10.0.0.2")),
        "{out}"
    );
    assert!(errors.iter().any(|l| l.starts_with("error[duplicate-node-number]")), "{out}");
    assert!(errors.iter().any(|l| l.contains("10.9.9.9")), "{out}");
    // `--json`: the same diagnostics, the same exit status.
    let (code, json, _) = run(&["check", s(&fixture("broken-rules.json")), "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    let diags = v.as_array().unwrap();
    assert_eq!(diags.len(), out.lines().count());
    assert!(diags.iter().any(|d| d["severity"] == "error" && d["code"] == "duplicate-address"));
}

#[test]
fn lists_and_load_still_run_on_a_broken_document_with_diagnostics_on_stderr() {
    let broken = fixture("broken-rules.json");
    for command in ["lists", "load"] {
        let (code, out, err) = run(&[command, s(&broken)]);
        assert_eq!(code, 0, "{command}: the document was read");
        assert!(err.lines().any(|l| l.starts_with("error[duplicate-address]")), "{command}: {err}");
        assert!(!out.contains("error["), "{command}: diagnostics stay off stdout");
        assert!(!out.is_empty(), "{command}: what can be computed is printed");
    }
}

#[test]
fn json_output_parses_and_holds_the_same_content() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, text, _) = run(&["lists", s(&fig24)]);
    assert_eq!(code, 0);
    let (code, json, _) = run(&["lists", s(&fig24), "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).expect("one JSON document");
    let rows = v.as_array().unwrap();
    let from_json: Vec<String> = rows
        .iter()
        .map(|r| {
            let addrs: Vec<&str> =
                r["addresses"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            format!(
                "{}\t{}\t{}\t{}",
                r["cluster"].as_str().unwrap(),
                r["service"].as_str().unwrap(),
                r["node"],
                addrs.join(",")
            )
        })
        .collect();
    assert_eq!(from_json, text.lines().collect::<Vec<_>>());

    let (_, text, _) = run(&["load", s(&fig24)]);
    let (code, json, _) = run(&["load", s(&fig24), "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let from_json: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{}\t{}",
                r["cluster"].as_str().unwrap(),
                r["service"].as_str().unwrap(),
                r["node"],
                r["first_choice"],
                r["worst_single_failure"]
            )
        })
        .collect();
    assert_eq!(from_json, text.lines().collect::<Vec<_>>());

    for args in [
        vec!["check", s(&fig24), "--json"],
        vec![
            "explain",
            s(&fig24),
            "--cluster",
            "A",
            "--service",
            "registry",
            "--node",
            "5",
            "--json",
        ],
        vec!["bootstrap", s(&fig24), "--node", "5", "--json"],
    ] {
        let (code, json, _) = run(&args);
        assert_eq!(code, 0, "{args:?}");
        serde_json::from_str::<Value>(&json).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
}

#[test]
fn strategies() {
    let fig24 = root("examples/seed-fig24.json");
    let node5 = |strategy: &str| {
        let (code, out, err) = run(&["lists", s(&fig24), "--strategy", strategy]);
        assert_eq!(code, 0, "{strategy}: {err}");
        out.lines().find(|l| l.starts_with("A\tregistry\t5\t")).unwrap().to_owned()
    };
    assert_eq!(
        node5("rotation"),
        "A\tregistry\t5\t10.0.0.1,10.0.1.9,10.0.1.3,10.0.1.7,10.0.2.20,10.0.2.12"
    );
    for strategy in ["spread", "rendezvous", "shuffle", "shuffle:42"] {
        let line = node5(strategy);
        // Local first and hop order hold under every strategy.
        let addrs: Vec<&str> = line.split('\t').nth(3).unwrap().split(',').collect();
        assert_eq!(addrs[0], "10.0.0.1", "{strategy}");
        let mut one_hop = addrs[1..4].to_vec();
        one_hop.sort();
        assert_eq!(one_hop, ["10.0.1.3", "10.0.1.7", "10.0.1.9"], "{strategy}");
    }
    // Spread: n = 5, m = 3: f = 2, then (2 + 1 + ((1 + k - 1) mod 2)) mod 3 = 1, 0 for k = 1, 2.
    assert_eq!(
        node5("spread"),
        "A\tregistry\t5\t10.0.0.1,10.0.1.9,10.0.1.7,10.0.1.3,10.0.2.20,10.0.2.12"
    );
    let (code, _, err) = run(&["lists", s(&fig24), "--strategy", "random"]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown strategy"), "{err}");
}

#[test]
fn explain_fills_in_the_formula() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, err) =
        run(&["explain", s(&fig24), "--cluster", "A", "--service", "registry", "--node", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("cluster A, service registry, node 5 (n5), strategy rotation"),
        "{out}"
    );
    for formula in [
        "index = ((5 mod 3) + 0) mod 3 = 2",
        "index = ((5 mod 3) + 1) mod 3 = 0",
        "index = ((5 mod 3) + 2) mod 3 = 1",
        "index = ((5 mod 2) + 0) mod 2 = 1",
        "index = ((5 mod 2) + 1) mod 2 = 0",
    ] {
        assert!(out.contains(formula), "{formula} in {out}");
    }
    let entries: Vec<&str> = out.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(entries.len(), 6);
    assert!(
        entries[0].starts_with("#1 10.0.0.1 ") && entries[0].contains("local"),
        "{}",
        entries[0]
    );
    assert!(entries[5].starts_with("#6 10.0.2.12 "), "{}", entries[5]);
    // The uid works too and gives the same explanation.
    let (_, by_uid, _) =
        run(&["explain", s(&fig24), "--cluster", "A", "--service", "registry", "--node", "n5"]);
    assert_eq!(by_uid, out);
    // Questions without an answer: one line, non-zero.
    for (service, node) in [("registry", "77"), ("nope", "5")] {
        let (code, out, err) =
            run(&["explain", s(&fig24), "--cluster", "A", "--service", service, "--node", node]);
        assert_ne!(code, 0);
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn bootstrap_prints_the_order_and_the_steps() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, err) = run(&["bootstrap", s(&fig24), "--node", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("node n5 "), "{out}");
    assert!(out.contains("a registry server"));
    let order: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("order"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        order,
        vec![
            "   1. System Registry phase 1 (read-only)",
            "   2. DCM",
            "   3. Liveness",
            "   4. Group Services",
            "   5. System Registry phase 2 (write-enabled)",
            "   6. Resource Manager",
        ]
    );
    let steps: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("steps")).skip(1).collect();
    assert_eq!(steps.len(), 25, "step 0 and the 24 steps, and no wait");
    assert!(steps[5].contains("[registry phase 1]"), "{}", steps[5]);
    assert!(steps[16].contains("[registry phase 2]"), "{}", steps[16]);

    // A registry client: the registry's steps happen elsewhere. By uid, same as by number.
    let (_, by_number, _) = run(&["bootstrap", s(&fig24), "--node", "4"]);
    let (_, by_uid, _) = run(&["bootstrap", s(&fig24), "--node", "n4", "--cluster", "A"]);
    assert_eq!(by_number, by_uid);
    assert!(by_uid.contains("a registry client"));
    let step1 = by_uid.lines().find(|l| l.trim_start().starts_with("1  registry servers")).unwrap();
    assert!(step1.starts_with("     1"), "not on this node: {step1}");

    // A cycle: named, exit 1, and a diagnostic on stderr.
    let (code, out, err) =
        run(&["bootstrap", s(&fig24), "--node", "5", "--depends", "liveness->group-services"]);
    assert_eq!(code, 1);
    assert!(out.contains("dependency cycle: Liveness -> Group Services -> Liveness"), "{out}");
    assert!(err.contains("bootstrap-cycle"), "{err}");
    // The refused order stops the timeline before Liveness works towards being ready: no step
    // says a stage of the cycle is ready (it used to print "ready: Liveness" at step 11).
    assert!(out.ends_with("waits at step 8: Liveness cannot finish: it waits on the dependency cycle Liveness -> Group Services -> Liveness\n"), "{out}");
    assert!(!out.contains("ready: Liveness") && !out.contains("ready: Group Services"), "{out}");
    // An acyclic extra dependency is accepted and listed.
    let (code, out, _) =
        run(&["bootstrap", s(&fig24), "--node", "5", "--depends", "registry->liveness:writes"]);
    assert_eq!(code, 0);
    assert!(out.contains("System Registry -> Liveness (writes)"), "{out}");
    // Bad input: one line, exit 2.
    for args in [
        vec!["bootstrap", s(&fig24), "--node", "77"],
        vec!["bootstrap", s(&fig24), "--node", "nobody"],
        vec!["bootstrap", s(&fig24), "--node", "5", "--depends", "liveness"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn bootstrap_json_holds_the_engines_data() {
    let (code, json, _) =
        run(&["bootstrap", s(&root("examples/seed-fig24.json")), "--node", "n9", "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["node"], "n9");
    assert_eq!(v["registry_server"], true);
    assert_eq!(v["steps"].as_array().unwrap().len(), 25);
    assert_eq!(v["order"]["Ok"].as_array().unwrap().len(), 6);
}

#[test]
fn compare_shows_what_rotation_does_to_a_failed_servers_clients() {
    // Twelve clients numbered 1-12, three equidistant servers (clients too, each served by
    // itself). Rotation: each server takes 4 + 1 first choices and a failed server's 4 clients
    // all fall to the next one (9; the failed node is no client); spread splits them (7).
    // `load` agrees with `compare`.
    let three = fixture("three-servers.json");
    let (code, out, _) = run(&["load", s(&three)]);
    assert_eq!(code, 0);
    assert_eq!(out, "A\tweb\t100\t5\t9\nA\tweb\t101\t5\t9\nA\tweb\t102\t5\t9\n");
    let (_, out, _) = run(&["load", s(&three), "--strategy", "spread"]);
    assert_eq!(out, "A\tweb\t100\t5\t7\nA\tweb\t101\t5\t7\nA\tweb\t102\t5\t7\n");

    let (code, out, err) = run(&["compare", s(&three), "--seed", "3"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "cluster A, service web: 15 clients, 3 servers, 0 unserved");
    let cells = |strategy: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(strategy))
            .unwrap_or_else(|| panic!("a {strategy} row in {out}"));
        line.split_whitespace().map(str::to_owned).collect()
    };
    let header = cells("strategy");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rotation = cells("rotation");
    let spread = cells("spread");
    assert_eq!((rotation[col("first")].as_str(), rotation[col("worst-fail")].as_str()), ("5", "9"));
    assert_eq!((spread[col("first")].as_str(), spread[col("worst-fail")].as_str()), ("5", "7"));
    assert_eq!(rotation[col("balance")], "1.00");
    cells("rendezvous");
    cells("shuffle:3");

    let (code, json, _) = run(&["compare", s(&three), "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let strategies: Vec<&str> =
        v.as_array().unwrap().iter().map(|r| r["strategy"]["name"].as_str().unwrap()).collect();
    assert_eq!(strategies, ["rotation", "spread", "rendezvous", "shuffle"]);
    assert_eq!(v[0]["services"][0]["worst_single_failure"], 9);
    assert_eq!(v[1]["services"][0]["worst_single_failure"], 7);

    // Filters: an unknown service is a one-line error.
    let (code, out, _) = run(&["compare", s(&three), "--cluster", "A", "--service", "web"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("cluster A, service web"));
    let (code, out, err) = run(&["compare", s(&three), "--service", "nope"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn lines_are_sorted_by_cluster_service_and_node_number() {
    let two = fixture("two-clusters.json");
    let (code, out, err) = run(&["lists", s(&two)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "A\tregistry\t1\t10.0.0.1\n\
         B\tdb\t9\t10.0.0.10\n\
         B\tdb\t10\t10.0.0.10\n\
         B\tweb\t9\t10.0.0.9,fd00::10\n\
         B\tweb\t10\tfd00::10,10.0.0.9\n"
    );
    // Node x is defined to A but online in B: a client of B's services only; a server of db.
    // Each web server serves itself; when one fails, its node is no client: the other keeps 1.
    let (code, out, _) = run(&["load", s(&two)]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "A\tregistry\t1\t1\t1\n\
         B\tdb\t10\t2\t2\n\
         B\tweb\t9\t1\t1\n\
         B\tweb\t10\t1\t1\n"
    );
}

/// `share` on a file: the link, one line, exit 0.
fn share_link(path: &Path, extra: &[&str]) -> String {
    let mut args = vec!["share", s(path)];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(out.lines().count(), 1, "one line: {out}");
    out.trim_end().to_owned()
}

#[test]
fn share_then_read_link_gives_back_the_same_plan() {
    let fig24 = root("examples/seed-fig24.json");
    let link = share_link(&fig24, &[]);
    assert!(link.starts_with("http://127.0.0.1:8080/#model="), "{link}");

    let (code, json, err) = run(&["read-link", &link]);
    assert_eq!(code, 0, "{err}");
    // The engine's pretty JSON of the very document the file holds.
    let original = clusterplan_engine::document::read(&std::fs::read_to_string(&fig24).unwrap())
        .expect("the example reads");
    assert_eq!(json, format!("{}\n", clusterplan_engine::document::write(&original)));

    // Saved, the read-back document plans exactly like the original.
    let saved = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("read-link-fig24.json");
    std::fs::write(&saved, &json).unwrap();
    let (code, read_back, _) = run(&["lists", s(&saved)]);
    assert_eq!(code, 0);
    let (_, expected, _) = run(&["lists", s(&fig24)]);
    assert_eq!(read_back, expected);
    assert_eq!(read_back.lines().count(), 10);

    // The fragment alone reads the same.
    let fragment = &link[link.find('#').unwrap()..];
    let (code, from_fragment, _) = run(&["read-link", fragment]);
    assert_eq!(code, 0);
    assert_eq!(from_fragment, json);
}

#[test]
fn read_link_reads_the_link_from_stdin_with_a_dash() {
    let fig24 = root("examples/seed-fig24.json");
    let link = share_link(&fig24, &[]);
    let (_, expected, _) = run(&["read-link", &link]);
    let out = clusterplan()
        .args(["read-link", "-"])
        .write_stdin(format!("  {link}\n\n"))
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn broken_links_give_one_line_and_exit_2() {
    let link = share_link(&root("examples/seed-fig24.json"), &[]);
    let half = &link[..link.len() / 2];
    assert!(half.contains("#model="), "cut inside the model: {half}");
    // Cut at a whole number of base64 groups: valid base64url, but the deflate stream ends early.
    let payload = &link[link.find("#model=").unwrap() + "#model=".len()..];
    let groups = format!("#model={}", &payload[..payload.len() / 2 / 4 * 4]);
    let cases = [
        (half, "the link is damaged"),
        (groups.as_str(), "the link is damaged: its model stops in the middle"),
        ("http://127.0.0.1:8080/#view", "the link holds no model"),
        ("http://127.0.0.1:8080/", "the link holds no model"),
        ("#model=a*b", "the link is damaged"),
    ];
    for (link, why) in cases {
        let (code, out, err) = run(&["read-link", link]);
        assert_eq!(code, 2, "{link}: the code of an unreadable document");
        assert!(out.is_empty(), "{link}: nothing on stdout, got {out}");
        assert_eq!(err.lines().count(), 1, "{link}: one line, got {err:?}");
        assert!(err.starts_with(&format!("clusterplan: {why}")), "{link}: {err}");
    }
    // The same from standard input; nothing at all there is a link without a model.
    for (stdin, why) in [(half, "the link is damaged"), ("", "the link holds no model")] {
        let out = clusterplan().args(["read-link", "-"]).write_stdin(stdin).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err:?}");
        assert!(err.starts_with(&format!("clusterplan: {why}")), "{err}");
    }
}

#[test]
fn share_makes_shared_views_and_names_the_strategy() {
    let fig24 = root("examples/seed-fig24.json");
    let plain = share_link(&fig24, &[]);
    let model = &plain[plain.find("model=").unwrap()..];
    let view = share_link(&fig24, &["--view", "--strategy", "spread"]);
    assert_eq!(view, format!("http://127.0.0.1:8080/#view&strategy=spread&{model}"));
    let shuffle = share_link(&fig24, &["--strategy", "shuffle:7"]);
    assert_eq!(shuffle, format!("http://127.0.0.1:8080/#strategy=shuffle:7&{model}"));
    // Rotation, the default, is not written; the model reads back the same from each.
    assert_eq!(share_link(&fig24, &["--strategy", "rotation"]), plain);
    for link in [&view, &shuffle] {
        assert_eq!(run(&["read-link", link]).1, run(&["read-link", &plain]).1);
    }
    let (code, _, err) = run(&["share", s(&fig24), "--strategy", "fastest"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown strategy"), "{err}");
    // A node to select: by UID, which must be one of the document's.
    let node5 = share_link(&fig24, &["--view", "--node", "n5"]);
    assert_eq!(node5, format!("http://127.0.0.1:8080/#view&node=n5&{model}"));
    let (code, out, err) = run(&["share", s(&fig24), "--node", "n99"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(err.trim_end(), "clusterplan: the document has no node with UID \"n99\" to select");
}

#[test]
fn share_uses_the_base_and_reads_files_like_the_other_commands() {
    let fig24 = root("examples/seed-fig24.json");
    let default = share_link(&fig24, &[]);
    let payload = &default[default.find('#').unwrap()..];
    for (base, start) in [
        ("https://plans.example.org/app/", "https://plans.example.org/app/#model="),
        ("http://10.0.0.5:9000/?view=map#old", "http://10.0.0.5:9000/?view=map#model="),
    ] {
        let link = share_link(&fig24, &["--base", base]);
        assert!(link.starts_with(start), "{base}: {link}");
        assert_eq!(&link[link.find('#').unwrap()..], payload, "the same model at any base");
        let (code, json, _) = run(&["read-link", &link]);
        assert_eq!(code, 0);
        assert_eq!(json, run(&["read-link", &default]).1);
    }

    // Unreadable documents: what `lists`, `load` and `check` do.
    let cases = [
        ("not-json.json", "not JSON"),
        ("wrong-format.json", "unsupported format"),
        ("bad-shape.json", "clusters: invalid type: map, expected a sequence"),
        ("does-not-exist.json", "cannot read"),
    ];
    for (file, why) in cases {
        let path = fixture(file);
        let (code, out, err) = run(&["share", s(&path)]);
        let (lists_code, _, lists_err) = run(&["lists", s(&path)]);
        assert_eq!(code, 2, "{file}");
        assert_eq!((code, err.as_str()), (lists_code, lists_err.as_str()), "{file}");
        assert!(out.is_empty(), "{file}: {out}");
        assert_eq!(err.lines().count(), 1, "{file}: {err:?}");
        assert!(err.contains(why) && err.contains(s(&path)), "{file}: {err}");
    }
    // A document that breaks a rule is still shared: it is read.
    let link = share_link(&fixture("broken-rules.json"), &[]);
    assert_eq!(run(&["read-link", &link]).0, 0);
}

/// `doc` written to a file of this test's own.
fn written(doc: &clusterplan_engine::Document, test: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("clusterplan-{test}-{}.json", std::process::id()));
    std::fs::write(&path, clusterplan_engine::document::write(doc)).expect("a temporary file");
    path
}

/// A document read from the workspace's `path`.
fn example(path: &str) -> clusterplan_engine::Document {
    let text = std::fs::read_to_string(root(path)).expect("the example");
    clusterplan_engine::document::read(&text).expect("a document")
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_in_both_forms() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe holds, so the command is still writing when the reader goes.
    let big = written(&clusterplan_engine::generate::data_centre(300), "closed-pipe");
    for json in [false, true] {
        let mut args = vec!["lists", s(&big)];
        if json {
            args.push("--json");
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clusterplan"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // `| head -c 10`: read ten bytes, then close the pipe.
        let mut head = [0u8; 10];
        child.stdout.take().expect("stdout").read_exact(&mut head).expect("ten bytes");
        let out = child.wait_with_output().expect("it ends");
        let err = String::from_utf8(out.stderr).expect("utf-8 stderr");
        // Standard error holds the model's diagnostics (lints), and nothing about the pipe.
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let complaint = err.lines().find(|l| l.starts_with("clusterplan:") || l.contains("pipe"));
        assert_eq!(complaint, None, "{args:?}");
    }
    let _ = std::fs::remove_file(big);
}

#[test]
fn strategy_names_are_read_without_regard_to_case_and_a_bad_seed_is_named() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, spread, err) = run(&["lists", s(&fig24), "--strategy", "spread"]);
    assert_eq!(code, 0, "{err}");
    for strategy in ["SPREAD", "Spread"] {
        assert_eq!(
            run(&["lists", s(&fig24), "--strategy", strategy]),
            (0, spread.clone(), err.clone())
        );
    }
    let (code, shuffle, _) = run(&["lists", s(&fig24), "--strategy", "shuffle:42"]);
    assert_eq!(run(&["lists", s(&fig24), "--strategy", "Shuffle:42"]).1, shuffle);
    assert_eq!(code, 0);
    let (code, out, err) = run(&["lists", s(&fig24), "--strategy", "shuffle:abc"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("the shuffle's seed must be a number"), "{err}");
    assert!(err.contains("not \"abc\""), "{err}");
}

#[test]
fn a_dependency_on_a_component_the_node_lacks_is_refused() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, err) =
        run(&["bootstrap", s(&fig24), "--node", "5", "--depends", "livenes->gs"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--depends \"livenes->gs\""), "{err}");
    assert!(err.contains("has no resource controller livenes"), "{err}");
    assert!(
        err.contains(
            "its components are dcm, registry, liveness, group-services, resource-manager"
        ),
        "{err}"
    );
    // A known one still adds its edge.
    let (code, out, _) = run(&["bootstrap", s(&fig24), "--node", "5", "--depends", "rm->liveness"]);
    assert_eq!(code, 0);
    assert!(out.contains("Resource Manager -> Liveness"), "{out}");
}

#[test]
fn a_cluster_that_does_not_exist_is_said_not_to() {
    let fig24 = root("examples/seed-fig24.json");
    let args = [
        vec!["explain", s(&fig24), "--cluster", "Z", "--service", "registry", "--node", "5"],
        vec!["compare", s(&fig24), "--cluster", "Z"],
        vec!["bootstrap", s(&fig24), "--cluster", "Z", "--node", "5"],
        vec!["load", s(&fig24), "--cluster", "Z"],
    ];
    for args in args {
        let (code, out, err) = run(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(
            err, "clusterplan: there is no cluster \"Z\": the document's clusters are A\n",
            "{args:?}"
        );
    }
    // A cluster that exists but has no such service is still said so.
    let (code, _, err) = run(&["compare", s(&fig24), "--cluster", "A", "--service", "dns"]);
    assert_eq!(code, 2);
    assert!(err.contains("cluster \"A\" has no service \"dns\""), "{err}");
}

#[test]
fn compare_on_a_document_without_services_says_there_is_nothing_to_compare() {
    let mut doc = example("examples/seed-fig24.json");
    doc.services.clear();
    let path = written(&doc, "no-services");
    for json in [false, true] {
        let mut args = vec!["compare", s(&path)];
        if json {
            args.push("--json");
        }
        let (code, out, err) = run(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(
            err,
            "clusterplan: nothing to compare: no cluster of the document has a service\n"
        );
    }
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_node_without_a_name_is_named_by_its_uid() {
    let mut doc = example("examples/seed-fig24.json");
    for node in &mut doc.nodes {
        node.name.clear();
    }
    let uid = doc.nodes.iter().find(|n| n.clusters.get("A") == Some(&5)).unwrap().uid.clone();
    let path = written(&doc, "nameless");
    let (code, out, _) = run(&["bootstrap", s(&path), "--node", "5"]);
    assert_eq!(code, 0);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with(&format!("node {uid}: cluster A, node number 5")), "{first}");
    assert!(!out.contains("()"), "{out}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn an_unreachable_address_names_the_first_client_in_words() {
    let data =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/data/addresses.json");
    let (_, out, _) = run(&["check", s(&data)]);
    assert!(
        out.lines().any(|l| l.ends_with(
            "address 2001:db8::1 of service registry of cluster A is unreachable from 2 of 8 \
             clients, the first being node s4; they list it last in its tier"
        )),
        "{out}"
    );
}

#[test]
fn read_link_keeps_the_files_key_order() {
    // The example has its description second, where a reviewer reads it first.
    let path = root("examples/two-clusters-shared-node.json");
    let keys = |text: &str| -> Vec<String> {
        let value: Value = serde_json::from_str(text).expect("JSON");
        value.as_object().expect("an object").keys().cloned().collect()
    };
    let file = std::fs::read_to_string(&path).unwrap();
    assert_eq!(keys(&file)[..3], ["format", "description", "clusters"]);
    let (code, out, err) = run(&["read-link", &share_link(&path, &[])]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(keys(&out), keys(&file));
    // A file in the format's order (extension fields last) stays in it.
    let doc = example("examples/seed-fig24.json");
    let ordered = written(
        &clusterplan_engine::Document { key_order: Default::default(), ..doc },
        "key-order",
    );
    let (_, out, _) = run(&["read-link", &share_link(&ordered, &[])]);
    let mut format_order =
        keys(&std::fs::read_to_string(root("examples/seed-fig24.json")).unwrap());
    format_order.retain(|k| k != "description");
    format_order.push("description".into());
    assert_eq!(keys(&out), format_order);
    assert_eq!(out.trim_end(), std::fs::read_to_string(&ordered).unwrap());
    let _ = std::fs::remove_file(ordered);
}

/// `lists --fail-router R` is `lists` of the same model without R (docs/spec.md §2), and
/// `--json` then flags the addresses each client cannot reach; without the option it does not.
#[test]
fn a_failed_router_gives_the_lists_of_the_model_without_it() {
    let fig24 = root("examples/seed-fig24.json");
    let mut without = example("examples/seed-fig24.json");
    without.routers.retain(|r| r.name != "r2");
    let without = written(&without, "without-r2");
    let (code, failed, _) = run(&["lists", s(&fig24), "--fail-router", "r2"]);
    assert_eq!(code, 0);
    assert_eq!(failed, run(&["lists", s(&without)]).1);
    assert_ne!(failed, run(&["lists", s(&fig24)]).1, "r2's failure reorders lists");
    // Both kinds at once, comma separated, as the contract writes them.
    let (code, both, _) =
        run(&["load", s(&fig24), "--fail-router", "r1,r2", "--fail-subnet", "10.0.2.0/24"]);
    assert_eq!(code, 0, "{both}");
    let json = |args: &[&str]| -> Value { serde_json::from_str(&run(args).1).unwrap() };
    let lines = json(&["lists", s(&fig24), "--fail-router", "r2", "--json"]);
    let node1 = &lines.as_array().unwrap()[0];
    assert_eq!(node1["node"], 1);
    assert_eq!(node1["unreachable"], serde_json::json!(["10.0.2.20", "10.0.2.12"]));
    assert!(json(&["lists", s(&fig24), "--json"])[0].get("unreachable").is_none());
    std::fs::remove_file(without).ok();
}

/// A failed subnet carries no traffic: its nodes reach only their own addresses, so the other
/// nodes of 10.0.1.0/24 lose every server but their own, and the diagnostics say so.
#[test]
fn a_failed_subnet_cuts_its_nodes_off() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, _) = run(&["lists", s(&fig24), "--fail-subnet", "10.0.1.0/24"]);
    assert_eq!(code, 0);
    // Node 3 (10.0.1.3) keeps its own address first; node 5 can no longer cross 10.0.1.0/24
    // to reach 10.0.2.0/24.
    assert!(out.lines().any(|l| l.starts_with("A\tregistry\t3\t10.0.1.3,")), "{out}");
    let (_, check, _) = run(&["check", s(&fig24), "--fail-subnet", "10.0.1.5/24", "--json"]);
    let diagnostics: Value = serde_json::from_str(&check).unwrap();
    let unreachable: Vec<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unreachable-address")
        .map(|d| d["item"]["address"].as_str().unwrap())
        .collect();
    assert_eq!(unreachable.len(), 6, "every address is out of reach of someone: {check}");
    let (_, load, _) = run(&["load", s(&fig24), "--fail-subnet", "10.0.1.0/24", "--fail", "5"]);
    assert!(load.lines().any(|l| l == "A\tregistry\t5\t0\t0"), "{load}");
}

#[test]
fn unknown_failed_routers_and_subnets_are_refused_in_one_line() {
    let fig24 = root("examples/seed-fig24.json");
    for (args, reason) in [
        (
            vec!["lists", "--fail-router", "r9"],
            "clusterplan: --fail-router r9: there is no router \"r9\"\n",
        ),
        (
            vec!["check", "--fail-subnet", "10.9.0.0/24"],
            "clusterplan: --fail-subnet 10.9.0.0/24: there is no subnet \"10.9.0.0/24\"\n",
        ),
        (
            vec!["hops", "--fail-subnet", "nonsense"],
            "clusterplan: --fail-subnet nonsense: there is no subnet \"nonsense\"\n",
        ),
    ] {
        let mut all = args.clone();
        all.insert(1, s(&fig24));
        let (code, out, err) = run(&all);
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", reason), "{args:?}");
    }
}

#[test]
fn hops_prints_the_subnet_matrix_and_a_nodes_distances() {
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, _) = run(&["hops", s(&fig24)]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "subnet\t10.0.0.0/24\t10.0.1.0/24\t10.0.2.0/24\n\
         10.0.0.0/24\t0\t1\t2\n\
         10.0.1.0/24\t1\t0\t1\n\
         10.0.2.0/24\t2\t1\t0\n"
    );
    // r2 failed: 10.0.2.0/24 is cut off (`-`, null in JSON).
    let (_, json, _) = run(&["hops", s(&fig24), "--fail-router", "r2", "--json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "subnets": ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
            "hops": [[0, 1, null], [1, 0, null], [null, null, 0]]
        })
    );
    let (_, text, _) = run(&["hops", s(&fig24), "--fail-router", "r2"]);
    assert!(text.ends_with("10.0.2.0/24\t-\t-\t0\n"), "{text}");
    // The source's FIG 24 distances, from node 5 (by number or uid).
    let expected = "A\tregistry\t10.0.0.1\t0\nA\tregistry\t10.0.1.3\t1\nA\tregistry\t10.0.1.7\t1\n\
                    A\tregistry\t10.0.1.9\t1\nA\tregistry\t10.0.2.12\t2\nA\tregistry\t10.0.2.20\t2\n";
    assert_eq!(run(&["hops", s(&fig24), "--from", "5"]).1, expected);
    assert_eq!(run(&["hops", s(&fig24), "--from", "n5", "--cluster", "A"]).1, expected);
    let (_, json, _) = run(&["hops", s(&fig24), "--from", "5", "--fail-router", "r2", "--json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json[0],
        serde_json::json!({"cluster": "A", "service": "registry", "address": "10.0.0.1", "hops": 0, "local": true})
    );
    assert_eq!(json[5]["hops"], Value::Null);
    let (code, _, err) = run(&["hops", s(&fig24), "--from", "99"]);
    assert_eq!((code, err.as_str()), (2, "clusterplan: no node number 99 in cluster \"A\"\n"));
}

/// One router carries every client to both servers (tests/data/residues.json of the engine):
/// its failure alone strands six clients, which `load --router-failures` shows, the lint
/// names, and the new budget refuses; FIG 24 has no such router.
#[test]
fn single_router_failures_show_in_load_check_and_the_budget() {
    let residues = root("crates/engine/tests/data/residues.json");
    let (code, out, _) = run(&["load", s(&residues), "--router-failures"]);
    assert_eq!((code, out.as_str()), (0, "A\tregistry\tr\t1\t1\t2,4,6,8,10,12\tworst\n"));
    let (code, out, _) = run(&["check", s(&residues), "--no-single-router-failure-unserved"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "lint[single-router-failure-unserved] router r: if router r fails, 6 of the 8 clients"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "budget[no-single-router-failure-unserved] service registry of cluster A: router r's \
         failure alone leaves 6 of 8 clients unserved: nodes 2, 4, 6, 8, 10, 12\n"
        ),
        "{out}"
    );
    let fig24 = root("examples/seed-fig24.json");
    assert_eq!(run(&["check", s(&fig24), "--no-single-router-failure-unserved"]).0, 0);
    let (_, out, _) = run(&["load", s(&fig24), "--router-failures"]);
    assert_eq!(out, "A\tregistry\tr1\t5\t5\t-\t-\nA\tregistry\tr2\t5\t5\t-\t-\n");
}

/// `diff` reviews a change under a network failure: both models are compiled with it, and a
/// router only one of them has may be failed.
#[test]
fn diff_takes_network_failures() {
    let fig24 = root("examples/seed-fig24.json");
    let mut without = example("examples/seed-fig24.json");
    without.routers.retain(|r| r.name != "r2");
    let without = written(&without, "diff-without-r2");
    let (code, plain, _) = run(&["diff", s(&fig24), s(&without), "--json"]);
    assert_eq!(code, 0);
    let (code, failed, _) = run(&["diff", s(&fig24), s(&without), "--fail-router", "r2", "--json"]);
    assert_eq!(code, 0);
    let (plain, failed): (Value, Value) =
        (serde_json::from_str(&plain).unwrap(), serde_json::from_str(&failed).unwrap());
    assert_ne!(plain["services"], failed["services"]);
    // With r2 failed in both, removing it changes no list.
    assert_eq!(failed["services"][0]["lists"], serde_json::json!([]), "{failed}");
    std::fs::remove_file(without).ok();
}

/// `diff --router-failures` shows each service's worst single router failure before -> after:
/// a second router beside the one carrying every client removes the single point of failure.
#[test]
fn diff_shows_the_worst_single_router_failure() {
    let before = root("crates/engine/tests/data/residues.json");
    let mut doc = example("crates/engine/tests/data/residues.json");
    let mut spare = doc.routers[0].clone();
    spare.name = "r-spare".into();
    doc.routers.push(spare);
    let after = written(&doc, "residues-spare-router");
    let (code, text, _) = run(&["diff", s(&before), s(&after), "--router-failures"]);
    assert_eq!(code, 0);
    assert!(
        text.contains(
            "\n  worst single router failure: r (largest load 1, 6 clients unserved) -> none\n"
        ),
        "{text}"
    );
    let (_, json, _) = run(&["diff", s(&before), s(&after), "--router-failures", "--json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["services"][0]["worst_router_failure"],
        serde_json::json!({"before": {"router": "r", "largest": 1, "unserved": 6}, "after": null})
    );
    // Without the options the diff holds neither the router failures nor a failure set.
    let (_, plain, _) = run(&["diff", s(&before), s(&after), "--json"]);
    let plain: Value = serde_json::from_str(&plain).unwrap();
    assert!(plain["services"][0].get("worst_router_failure").is_none());
    assert!(plain.get("failures").is_none());
    // Under a failure set, the diff says so first.
    let (_, text, _) = run(&["diff", s(&before), s(&after), "--fail-router", "r-spare"]);
    assert_eq!(text.lines().nth(1), Some("under failure: routers r-spare"), "{text}");
    let (_, md, _) =
        run(&["diff", s(&before), s(&after), "--fail-router", "r-spare", "--format", "markdown"]);
    assert!(md.contains("\n\nunder failure: routers r-spare\n"), "{md}");
    std::fs::remove_file(after).ok();
}

#[test]
fn a_node_starting_with_a_dash_is_taken_as_the_node() {
    // clap's tip for `--node -1` (`-- -1`) did not work; the value is now the node, unknown.
    let fig24 = root("examples/seed-fig24.json");
    let (code, out, err) =
        run(&["explain", s(&fig24), "--cluster", "A", "--service", "registry", "--node", "-1"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "clusterplan: no node \"-1\" in cluster \"A\" (neither a node number there nor a uid)\n"
    );
    let (code, _, err) = run(&["bootstrap", s(&fig24), "--node", "-1"]);
    assert_eq!((code, err.as_str()), (2, "clusterplan: no node with uid \"-1\"\n"));
}

#[test]
fn share_refuses_a_link_longer_than_read_link_takes() {
    // Node names of pseudo-random hex (barely compressible): 3.5 MB of them pack into a link
    // over the 2 MB that `read-link` reads.
    let mut doc = example("examples/seed-fig24.json");
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut name = || {
        (0..64)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                char::from_digit((seed >> 60) as u32, 16).unwrap()
            })
            .collect::<String>()
    };
    for node in &mut doc.nodes {
        node.name = name();
    }
    let template = doc.nodes[0].clone();
    for i in 0..55_000 {
        doc.nodes.push(clusterplan_engine::document::Node {
            uid: format!("x{i}"),
            name: name(),
            ..template.clone()
        });
    }
    let path = written(&doc, "share-too-long");
    let (code, out, err) = run(&["share", s(&path)]);
    std::fs::remove_file(&path).ok();
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.starts_with("clusterplan: the link is ")
            && err.ends_with(
                " MB, more than the 2 MB allowed: the model is too large to share as a link; \
                 send its file\n"
            ),
        "{err}"
    );
}
