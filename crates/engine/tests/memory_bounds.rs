//! Memory bounds (docs/reliability.md, "Bounded cost"), counted as the process's peak memory,
//! not timed (the times are `benches/hostile.rs`): the plan's list budget against the memory the
//! lists take, and the shapes that once cost the diff time cubic in a list's length, or a table
//! of 40 GB. One test, so that no other test allocates while a peak is counted.

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/peak.rs"]
mod peak;

use clusterplan_engine::diff::diff_plans;
use clusterplan_engine::limits::LIST_COST;
use clusterplan_engine::{compile, Strategy};
use peak::{peak_of, MB};
#[cfg(target_os = "linux")]
#[test]
fn the_plan_and_the_diff_hold_memory_in_proportion_to_their_lists() {
    the_list_budget_matches_the_memory_the_lists_take();

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

fn the_list_budget_matches_the_memory_the_lists_take() {
    // Each charged entry is about 16 bytes of the plan's peak memory (at most 20 with the noise
    // of a process's peak), whether the entries are addresses (4,000 owners: 16 million) or
    // lists of no address (2,000 clients x 2,000 services: 4 million lists, 16 million
    // entries charged).
    for (doc, charged) in [
        (hostile::owners(4_000), 4_000 * (4_000 + LIST_COST)),
        (hostile::many_services(2_000, 2_000, 0), 2_000 * 2_000 * LIST_COST),
    ] {
        let (plan, peak) = peak_of(|| compile(&doc, Strategy::Rotation));
        assert!(plan.services.iter().all(|s| !s.lists.is_empty()));
        assert!(
            peak <= charged * 20,
            "{} MB for {charged} entries charged ({} bytes each)",
            peak / MB,
            peak / charged
        );
        eprintln!(
            "{charged} entries charged: {} MB at the most, {} bytes each",
            peak / MB,
            peak / charged
        );
    }
}
