//! The plan's size limits (docs/format.md, Limits; docs/reliability.md, "Bounded cost"): a
//! document within the reading limits whose lists or hop table would be too large compiles to
//! a plan that refuses that part with an error naming the limit, and computes the rest.

#[path = "support/hostile.rs"]
mod hostile;

use clusterplan_engine::diagnostics::{DiagnosticCode, Item};
use clusterplan_engine::document::Service;
use clusterplan_engine::limits::{LIST_COST, MAX_HOP_CELLS, MAX_LIST_ENTRIES};
use clusterplan_engine::{compare, compile, Plan, Strategy};

fn codes(plan: &Plan) -> Vec<DiagnosticCode> {
    plan.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn lists_over_the_limit_are_refused_and_the_other_services_planned() {
    // 6,000 clients that each own one of 6,000 addresses: 36 million entries, each list its
    // own (at 16 bytes, 576 MB; 10,000 such clients took 2.4 GB).
    let n = 6_000;
    assert!(n * n > MAX_LIST_ENTRIES);
    let mut doc = hostile::owners(n);
    // A small service of the same cluster, planned in full.
    doc.services.push(Service {
        name: "registry".into(),
        cluster: "A".into(),
        addresses: vec![hostile::address(1)],
        ..Service::default()
    });
    for strategy in Strategy::all(7) {
        let plan = compile(&doc, strategy);
        let refusal = plan
            .diagnostics
            .iter()
            .find(|d| d.code == DiagnosticCode::ListsTooLarge)
            .expect("the big service is refused");
        assert_eq!(refusal.item, Item::Service { cluster: "A".into(), name: "s".into() });
        assert_eq!(
            refusal.message,
            "the lists of service s of cluster A would hold 36,024,000 list entries (6,000 \
             clients x 6,000 addresses, and 4 for each list itself), taking the plan over the \
             32,000,000 list entries allowed; its lists and load are not computed"
        );
        let service = |name: &str| plan.services.iter().find(|s| s.service == name).unwrap();
        assert_eq!(service("s").lists.len(), 0);
        assert_eq!(service("s").addresses.len(), n, "its addresses and servers are still listed");
        assert_eq!(service("registry").lists.len(), n, "the small service is planned");
        assert_eq!(codes(&plan).iter().filter(|&&c| c == DiagnosticCode::ListsTooLarge).count(), 1);
    }
    // `compare` works on what was planned.
    assert!(!compare(&doc, 0).is_empty());
}

#[test]
fn a_hop_table_over_the_limit_is_refused_and_no_list_computed() {
    // 6,000 routers each joining a subnet with a service address to one backbone: 6,000 rows of
    // 6,001 hop counts (36 million, 144 MB; 30,000 took 3.6 GB).
    let n = 6_000;
    assert!(n * (n + 1) > MAX_HOP_CELLS);
    let doc = hostile::routers_apart(n);
    let plan = compile(&doc, Strategy::Rotation);
    let refusal = plan
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::HopTableTooLarge)
        .expect("the hop table is refused");
    assert_eq!(refusal.item, Item::Document);
    assert_eq!(
        refusal.message,
        "the hop table would hold 36,006,000 hop counts (6,000 sets of routers with service \
         addresses x 6,001 routed subnets), more than the 32,000,000 hop counts allowed; no list \
         is computed"
    );
    assert!(!codes(&plan).contains(&DiagnosticCode::ListsTooLarge), "one refusal says it all");
    assert!(plan.services.iter().all(|s| s.lists.is_empty()));
    // The graph is kept: distances are still answered on demand.
    assert_eq!(plan.hops.get(1, 2), Some(2));
    assert_eq!(plan.hops.get(0, 1), Some(1));
}

#[test]
fn below_the_limits_the_same_shapes_are_planned() {
    // 500 owners (250,000 entries) and 500 routers apart (250,500 hop counts).
    for doc in [hostile::owners(500), hostile::routers_apart(500)] {
        let plan = compile(&doc, Strategy::Rotation);
        let refused = [DiagnosticCode::ListsTooLarge, DiagnosticCode::HopTableTooLarge];
        assert!(!codes(&plan).iter().any(|c| refused.contains(c)), "{:?}", codes(&plan));
        assert_eq!(plan.services[0].lists.len(), 500);
    }
}

#[test]
fn every_client_of_every_service_is_charged_even_with_no_address() {
    // 10,000 clients x 10,000 services with no address took 6.3 GB; 5,000 x 5,000 services of
    // one address, 1.6 GB.
    for (n, addresses, planned) in [(10_000, 0, 800), (5_000, 1, 1_280)] {
        let plan = compile(&hostile::many_services(n, n, addresses), Strategy::Rotation);
        let refused: Vec<_> =
            plan.diagnostics.iter().filter(|d| d.code == DiagnosticCode::ListsTooLarge).collect();
        assert_eq!(refused.len(), n - planned, "{n} x {addresses}");
        assert_eq!(plan.services.iter().filter(|s| !s.lists.is_empty()).count(), planned);
        let lists: usize = plan.services.iter().map(|s| s.lists.len()).sum();
        assert!(lists * (addresses + LIST_COST) <= MAX_LIST_ENTRIES);
    }
    let plan = compile(&hostile::many_services(10_000, 10_000, 0), Strategy::Rotation);
    let first = plan.diagnostics.iter().find(|d| d.code == DiagnosticCode::ListsTooLarge).unwrap();
    // The services are planned in order of name: the 801st is the first refused.
    let mut names: Vec<String> = (0..10_000).map(|i| format!("s{i}")).collect();
    names.sort();
    assert_eq!(
        first.message,
        format!(
            "the lists of service {} of cluster A would hold 40,000 list entries (10,000 clients \
             x 0 addresses, and 4 for each list itself), taking the plan over the 32,000,000 \
             list entries allowed; its lists and load are not computed",
            names[800]
        )
    );
}
