//! Plans for the results' native tests, compiled by the real engine from the shipped FIG 24
//! example (plus one service only the far subnet publishes, for a hop path with routers).

use crate::model::examples;
use clusterplan_engine::document::Service;
use clusterplan_engine::{compile, Document, Plan, Strategy};

/// The FIG 24 example: one cluster A, three subnets in a row (10.0.0.0/24 -r1- 10.0.1.0/24 -r2-
/// 10.0.2.0/24), ten nodes, the registry published at six addresses. Plus service `web` of
/// cluster A at 10.0.2.12 (n12) and 10.0.2.20 (n2), both two routers away from node 5.
pub fn fig24() -> (Plan, Document) {
    let mut doc = examples::FIG24.document();
    doc.services.push(Service {
        name: "web".into(),
        cluster: "A".into(),
        addresses: vec!["10.0.2.12".into(), "10.0.2.20".into()],
        ..Service::default()
    });
    (compile(&doc, Strategy::Rotation), doc)
}

/// Index into `plan.services` of a service by name.
pub fn service(plan: &Plan, name: &str) -> usize {
    plan.services.iter().position(|s| s.service == name).expect("the fixture has the service")
}
