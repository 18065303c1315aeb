//! `clusterplan diff` and the CI budgets of `check` and `diff`: design reviews.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

/// A path from the workspace root, as text.
fn root(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path).display().to_string()
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clusterplan")).args(args).output().unwrap();
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn fig24() -> String {
    root("examples/seed-fig24.json")
}

fn extra() -> String {
    root("examples/seed-fig24-extra-registry.json")
}

/// A document written to a fresh temporary file (for models the repository has no file of).
fn temp_model(name: &str, doc: &Value) -> String {
    let dir = std::env::temp_dir().join(format!("clusterplan-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn diff_text_says_which_clients_move_and_the_new_loads() {
    let (code, out, err) = run(&["diff", &fig24(), &extra()]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "1 item added, 2 changed; 11 client lists changed, 1 client moves to another server; \
         registry of cluster A balance 3.00 -> 2.55; 1 diagnostic gone"
    );
    assert!(lines.contains(&"  added    node n13"), "{out}");
    assert!(
        lines.contains(&"    node 1: 10.0.0.13 added at 1st; first choice server 5 -> server 13"),
        "{out}"
    );
    // Server 5 loses node 1 on first choice; the new server 13 takes node 1 and itself.
    let row = |server: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{server} ")))
            .unwrap_or_else(|| panic!("no row for server {server}: {out}"));
        line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect()
    };
    assert_eq!(row("5")[..3], ["5", "5 -> 4", "-1"]);
    assert_eq!(row("13 (new)")[..3], ["13 (new)", "0 -> 2", "+2"]);
    assert!(out.contains("... and 6 more (--lists N shows more)"), "{out}");
    // --lists 20 shows all eleven.
    let (_, all, _) = run(&["diff", &fig24(), &extra(), "--lists", "20"]);
    assert_eq!(all.lines().filter(|l| l.starts_with("    node ")).count(), 11, "{all}");
}

#[test]
fn diff_json_is_the_engines_diff_with_the_budgets() {
    let (code, out, _) = run(&["diff", &fig24(), &extra(), "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let service = &v["services"][0];
    assert_eq!(
        (service["cluster"].as_str(), service["service"].as_str()),
        (Some("A"), Some("registry"))
    );
    let server = |uid: &str| {
        service["servers"].as_array().unwrap().iter().find(|s| s["uid"] == uid).unwrap().clone()
    };
    assert_eq!(server("n5")["first_choice"], serde_json::json!({"before": 5, "after": 4}));
    assert_eq!(server("n5")["first_choice_delta"], -1);
    assert_eq!(server("n13")["number"], serde_json::json!({"before": null, "after": 13}));
    assert_eq!(service["clients_moved"], 1);
    assert_eq!(service["lists"].as_array().unwrap().len(), 11);
    assert_eq!(v["items"].as_array().unwrap().len(), 3);
    assert_eq!(v["budgets"], serde_json::json!([]));
    let (_, same, _) = run(&["diff", &fig24(), &extra(), "--format", "json"]);
    assert_eq!(same, out, "--format json is --json");
}

#[test]
fn diff_markdown_matches_its_snapshot_and_fits_a_page() {
    let (code, out, _) = run(&["diff", &fig24(), &extra(), "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("**clusterplan diff**: 1 item added, 2 changed;"), "{out}");
    for line in out.lines().filter(|l| l.starts_with('|')) {
        assert!(line.chars().count() <= 80, "a table row wider than a page: {line}");
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/diff-fig24-extra-registry.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        out,
        expected,
        "the markdown differs from {} (UPDATE_EXPECT=1 rewrites it)",
        path.display()
    );
}

#[test]
fn diff_of_a_model_with_itself_says_no_change() {
    let (code, out, _) = run(&["diff", &fig24(), &fig24()]);
    assert_eq!((code, out.as_str()), (0, "no change\n\n1 service unchanged\n"));
}

#[test]
fn check_budgets_fail_with_one_line_each_naming_service_and_server() {
    let (code, out, _) = run(&[
        "check",
        &fig24(),
        "--max-balance",
        "1.5",
        "--max-failure-balance",
        "2.0",
        "--no-unserved",
    ]);
    assert_eq!(code, 1, "{out}");
    let budget: Vec<&str> = out.lines().filter(|l| l.starts_with("budget[")).collect();
    assert_eq!(
        budget,
        [
            "budget[max-balance] service registry of cluster A: first-choice balance 3.00 is above \
             1.50: server 5 has 5 of 10 clients first (ideal 1.67)",
            "budget[max-failure-balance] service registry of cluster A: worst-single-failure \
             balance 2.78 is above 2.00: server 5 has 5 clients on first choice: no single failure \
             adds to it (ideal 1.80)",
        ]
    );
    // A balance equal to its budget keeps it; without budgets check is as before (lints only).
    assert_eq!(
        run(&["check", &fig24(), "--max-balance", "3", "--max-failure-balance", "2.8"]).0,
        0
    );
    let (code, plain, _) = run(&["check", &fig24()]);
    assert_eq!(code, 0);
    assert!(!plain.contains("budget"), "{plain}");
    // In JSON the breaches follow the diagnostics in the one array.
    let (code, json, _) = run(&["check", &fig24(), "--json", "--max-balance", "1.5"]);
    assert_eq!(code, 1);
    let all: Vec<Value> = serde_json::from_str(&json).unwrap();
    let last = all.last().unwrap();
    assert_eq!(
        (last["severity"].as_str(), last["code"].as_str()),
        (Some("budget"), Some("max-balance"))
    );
    assert_eq!(last["value"], 3.0);
    // A ratio that is not one is a usage error.
    assert_eq!(run(&["check", &fig24(), "--max-balance", "-1"]).0, 2);
}

#[test]
fn no_unserved_names_the_unserved_clients() {
    // FIG 24 without routers and without node 5's address: the clients of 10.0.0.0/24 reach no
    // registry server at all.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(fig24()).unwrap()).unwrap();
    doc["routers"] = serde_json::json!([]);
    let addresses = doc["services"][0]["addresses"].as_array_mut().unwrap();
    addresses.retain(|a| a != "10.0.0.1");
    let cut = temp_model("cut-off.json", &doc);
    let (code, out, _) = run(&["check", &cut, "--no-unserved"]);
    assert_eq!(code, 1);
    assert!(
        out.lines().any(|l| l
            == "budget[no-unserved] service registry of cluster A: 5 clients are unserved (no \
                server it can reach): nodes 1, 4, 5, 6, 8"),
        "{out}"
    );
    // diff: the change broke it.
    let (code, out, _) = run(&["diff", &fig24(), &cut, "--no-unserved"]);
    assert_eq!(code, 1);
    assert!(out.contains("-- broken by this change"), "{out}");
}

#[test]
fn diff_fails_only_when_the_change_breaks_a_budget_or_makes_it_worse() {
    // The extra server makes the worst single failure worse (2.78 -> 3.00) ...
    let (code, out, _) = run(&["diff", &fig24(), &extra(), "--max-failure-balance", "2.0"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("  budget[max-failure-balance] service registry of cluster A: worst-single-failure balance 3.00 is above 2.00: server 5 has 5 clients when server 13 fails")
            && l.ends_with("-- made worse (was 2.78)")),
        "{out}"
    );
    // ... but improves the first-choice balance (3.00 -> 2.55): broken before, not made worse.
    let (code, out, _) = run(&["diff", &fig24(), &extra(), "--max-balance", "1.5"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("-- already broken, not made worse (was 3.00)"), "{out}");
    // Taken back, the change breaks a budget the after model keeps.
    let (code, out, _) = run(&["diff", &extra(), &fig24(), "--max-balance", "2.6"]);
    assert_eq!(code, 1);
    assert!(out.contains("first-choice balance 3.00 is above 2.60: server 5 has 5 of 10 clients first (ideal 1.67) -- broken by this change"), "{out}");
    // JSON carries the same, with what the change did.
    let (_, json, _) = run(&["diff", &extra(), &fig24(), "--max-balance", "2.6", "--json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["budgets"][0]["change"], "broken by this change");
}

#[test]
fn diff_of_an_unreadable_model_is_one_line_and_status_2() {
    let (code, out, err) = run(&["diff", &fig24(), "no-such-model.json"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("clusterplan: cannot read no-such-model.json"), "{err}");
}

#[test]
fn a_share_link_can_carry_the_model_before_the_change() {
    let (code, link, _) = run(&["share", &extra(), "--before", &fig24(), "--base", "http://h/"]);
    assert_eq!(code, 0);
    assert!(link.starts_with("http://h/#before="), "{link}");
    assert!(link.contains("&model="), "{link}");
    // The link's model is the after one: read-link (and any reader that ignores `before`) opens it.
    let (code, json, _) = run(&["read-link", link.trim()]);
    assert_eq!(code, 0);
    let read: Value = serde_json::from_str(&json).unwrap();
    let after: Value = serde_json::from_str(&std::fs::read_to_string(extra()).unwrap()).unwrap();
    assert_eq!(read, after);
    // An unreadable before model is refused like any model.
    let (code, out, err) = run(&["share", &extra(), "--before", "missing.json"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with("clusterplan: cannot read missing.json"), "{err}");
}
