//! The `clusterplan` binary against hostile input: control characters in names, files beyond
//! the limits (or endless), deep nesting, a byte-order mark, exact extension numbers
//! (docs/reliability.md).

use assert_cmd::Command;
use clusterplan_engine::document::{self, Document, Service};
use std::path::{Path, PathBuf};

fn root(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

/// Runs the binary (with `stdin`); returns (exit code, stdout, stderr).
fn run_with(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clusterplan"))
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_with(args, "")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `text` written to a file of this test's own.
fn file(text: impl AsRef<[u8]>, test: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("clusterplan-{test}-{}.json", std::process::id()));
    std::fs::write(&path, text).expect("a temporary file");
    path
}

fn fig24() -> Document {
    document::read(&std::fs::read_to_string(root("examples/seed-fig24.json")).unwrap()).unwrap()
}

/// Clears the screen, retitles the terminal, a NUL, a C1 CSI, and reverses what follows.
const EVIL: &str = "x\u{1b}[2J\u{1b}]0;owned\u{7}\u{0}\u{9b}2J\u{202e}gnp.exe";

/// The same without its NUL, which a command-line argument cannot hold.
const EVIL_ARG: &str = "x\u{1b}[2J\u{1b}]0;owned\u{7}\u{9b}2J\u{202e}gnp.exe";

/// The raw characters a terminal would act on.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}')
        .collect()
}

#[test]
fn names_holding_terminal_escapes_are_printed_as_text_everywhere() {
    let mut doc = fig24();
    let n5 = doc.nodes.iter().position(|n| n.uid == "n5").unwrap();
    doc.nodes[n5].name = EVIL.to_owned();
    doc.clusters[0].name = EVIL.to_owned();
    // A service of a hostile name at an address no node owns: a diagnostic names it.
    doc.services.push(Service {
        name: EVIL_ARG.to_owned(),
        cluster: doc.clusters[0].id.clone(),
        addresses: vec!["10.99.0.1".into()],
        ..Service::default()
    });
    let path = file(document::write(&doc), "evil");
    let before = file(document::write(&fig24()), "evil-before");
    let p = s(&path);
    let cluster = doc.clusters[0].id.clone();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", p],
        vec!["lists", p],
        vec!["load", p],
        vec!["explain", p, "--cluster", &cluster, "--service", EVIL_ARG, "--node", "5"],
        vec!["bootstrap", p, "--node", "5"],
        vec!["compare", p],
        vec!["diff", s(&before), p],
        vec!["diff", s(&before), p, "--format", "markdown"],
        // An error message quoting the hostile name.
        vec!["explain", p, "--cluster", &cluster, "--service", EVIL_ARG, "--node", EVIL_ARG],
    ];
    let mut escaped = 0;
    for args in &runs {
        let (code, out, err) = run(args);
        assert!(code <= 2, "{args:?}: {err}");
        assert_eq!(raw_controls(&out), [], "{args:?} stdout: {out}");
        assert_eq!(raw_controls(&err), [], "{args:?} stderr: {err}");
        // (Markdown escapes the escape's backslash and bracket in turn.)
        escaped += usize::from(out.contains("u{1b}") || err.contains("u{1b}"));
    }
    // The name is shown (escaped), not dropped.
    assert_eq!(escaped, runs.len());
    // JSON stays JSON: the name comes back whole.
    let (_, json, _) = run(&["check", p, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.to_string().contains("\\u001b[2J"));
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(before);
}

#[test]
fn a_file_beyond_the_size_limit_is_refused_without_being_read() {
    // A sparse 1 GB file: its size is said, and only the limit is read.
    let path = std::env::temp_dir().join(format!("clusterplan-huge-{}.json", std::process::id()));
    std::fs::File::create(&path).unwrap().set_len(1 << 30).unwrap();
    let (code, out, err) = run(&["check", s(&path)]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "clusterplan: cannot read {}: the file is 1024 MB, more than the 16 MB allowed\n",
            s(&path)
        )
    );
    let _ = std::fs::remove_file(path);
    // An endless one.
    if Path::new("/dev/zero").exists() {
        let (code, _, err) = run(&["lists", "/dev/zero"]);
        assert_eq!(code, 2);
        assert_eq!(
            err,
            "clusterplan: cannot read /dev/zero: the file has more than the 16 MB allowed\n"
        );
    }
}

#[test]
fn deep_nesting_is_too_deeply_nested_and_a_byte_order_mark_is_read() {
    let deep = format!(r#"{{"nodes": [], "x": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    let path = file(&deep, "deep");
    let (code, _, err) = run(&["check", s(&path)]);
    assert_eq!(code, 2);
    assert!(
        err.ends_with("is nested more than 64 levels deep: too deeply nested to read\n"),
        "{err}"
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(document::write(&fig24()).bytes());
    let path = file(&bom, "bom");
    let (code, out, err) = run(&["lists", s(&path)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 3);
    let not_text = file(b"{\"nodes\": [\xff]}", "latin1");
    let (code, _, err) = run(&["check", s(&not_text)]);
    assert_eq!(code, 2);
    assert!(err.ends_with("the file is not UTF-8 text (byte 12 is not)\n"), "{err}");
}

#[test]
fn extension_numbers_come_back_exactly_through_a_share_link() {
    let big = "123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890";
    let text = format!(
        r#"{{"format": "cluster-planner/1", "x": [3.3333333333333334e+86, {big}, 1.0], "nodes": []}}"#
    );
    let path = file(&text, "numbers");
    let (code, link, err) = run(&["share", s(&path)]);
    assert_eq!(code, 0, "{err}");
    let (code, back, err) = run_with(&["read-link", "-"], &link);
    assert_eq!(code, 0, "{err}");
    assert!(back.contains("3.3333333333333334e+86"), "{back}");
    assert!(back.contains(big), "{back}");
    assert!(back.contains("1.0"), "{back}");
    // A link longer than a browser keeps is refused on standard input too.
    let (code, _, err) = run_with(&["read-link", "-"], &"A".repeat(3 << 20));
    assert_eq!(code, 2);
    assert!(err.contains("the link has more than the 2 MB allowed"), "{err}");
}

#[test]
fn explain_counts_a_group_of_more_than_65535_addresses() {
    let m = 70_000u32;
    let addresses: Vec<String> =
        (0..m).map(|i| format!("\"10.{}.{}.{}\"", i >> 16, (i >> 8) & 255, i & 255)).collect();
    let text = format!(
        r#"{{"clusters": [{{"id": "A"}}], "networks": [{{"name": "n"}}],
            "subnets": [{{"prefix": "10.0.0.0/8", "network": "n"}}],
            "nodes": [{{"uid": "c", "clusters": {{"A": 5}}, "online": "A", "addresses": ["10.255.255.254"]}}],
            "services": [{{"name": "s", "cluster": "A", "addresses": [{}]}}]}}"#,
        addresses.join(",")
    );
    let path = file(&text, "group");
    let (code, out, err) =
        run(&["explain", s(&path), "--cluster", "A", "--service", "s", "--node", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("m = 70000, group index 5, pick k = 0"),
        "{}",
        &out[..2000.min(out.len())]
    );
    assert!(out.contains("pick k = 69999"));
    assert!(!out.contains("m = 65535"));
}
