//! The diff's cost bound (docs/reliability.md, "Bounded cost"): the shapes that once cost it
//! time cubic in a list's length, or a table of 40 GB, diffed under a counted allocation bound
//! (the process's peak memory, not time; the times are `benches/hostile.rs`).

#[path = "support/hostile.rs"]
mod hostile;

use clusterplan_engine::diff::diff_plans;
use clusterplan_engine::{compile, Strategy};
/// The process's resident memory at the most while `f` ran, beyond what it held before (Linux:
/// `/proc/self/status`, the high-water mark reset through `/proc/self/clear_refs`; the
/// workspace forbids the unsafe code a counting allocator needs).
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let field = |name: &str| {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with(name)).unwrap().to_owned();
        let kb: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kb * 1024
    };
    let before = field("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let out = f();
    (out, field("VmHWM:").saturating_sub(before))
}

const MB: usize = 1024 * 1024;

// One test, so that no other test allocates while a peak is counted.
#[cfg(target_os = "linux")]
#[test]
fn the_diff_holds_memory_in_proportion_to_its_lists() {
    // A service of 100,000 addresses with one changed: the client's list loses one address and
    // gains one (the table of common order was 100,001^2 cells: 40 GB).
    let n = 100_000;
    let (before, after) = (hostile::one_long_list(n, None), hostile::one_long_list(n, Some(500)));
    let (pb, pa) = (compile(&before, Strategy::Rotation), compile(&after, Strategy::Rotation));
    let (diff, peak) = peak_of(|| diff_plans(&before, &pb, &after, &pa));
    let client = diff.services[0].lists.iter().find(|l| l.uid == "client").unwrap();
    assert_eq!(client.before.len(), n);
    assert!(
        client.words.iter().any(|w| w.starts_with("10.1.134.161 added at")),
        "{:?}",
        client.words
    );
    assert!(
        client.words.iter().any(|w| w.starts_with("10.0.1.245 removed (was")),
        "{:?}",
        client.words
    );
    assert!(peak < 64 * MB, "the diff of one 100,000-address list held {} MB", peak / MB);

    // 2,000 clients each owning one of 2,000 addresses, node numbers reversed: every list of
    // 2,000 changes order (4 million entries a side).
    let n = 2_000;
    let (before, after) = (hostile::owners(n), hostile::owners_renumbered(n));
    let (pb, pa) = (compile(&before, Strategy::Rotation), compile(&after, Strategy::Rotation));
    let (diff, peak) = peak_of(|| diff_plans(&before, &pb, &after, &pa));
    assert_eq!(diff.services[0].lists.len(), n);
    assert!(peak < 768 * MB, "the diff of 2,000 reordered lists held {} MB", peak / MB);
    eprintln!("2,000 reordered lists of 2,000: {} MB at the most", peak / MB);
}
