//! Hand-built plans for the results' native tests: small, every field known, independent of the
//! engine's ordering code (which has its own tests).

use clusterplan_engine::document::{Router, Subnet};
use clusterplan_engine::plan::{
    ClientList, Entry, HopTable, NodeAddress, NodeInfo, Server, ServiceAddress, ServiceLoad,
    ServicePlan, SubnetInfo,
};
use clusterplan_engine::{Document, Plan};

fn node(uid: &str, number: u32, ip: &str, subnet: usize) -> NodeInfo {
    NodeInfo {
        uid: uid.into(),
        name: format!("node {uid}"),
        online: Some("A".into()),
        clusters: vec![("A".into(), number)],
        addresses: vec![NodeAddress { ip: ip.parse().unwrap(), subnet }],
    }
}

fn entry(address: usize, tier: u16, local: bool, hops: u32) -> Entry {
    Entry { address, tier, local, hops: Some(hops), group_size: 1, group_index: 0, pick: 0 }
}

/// Three subnets in a row (10.0.0.0/24 -r1- 10.0.1.0/24 -r2- 10.0.2.0/24); servers n5 (on the
/// first), n3 (second), n12 (third) of service A/registry; clients n5, n3, n12 and `c` (on the
/// first subnet). Only the third subnet's address has a priority, so everyone lists n12 first
/// (tier 0), then the rest by hops.
pub fn three_subnets() -> (Plan, Document) {
    let subnets = ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"];
    let doc = Document {
        subnets: subnets
            .iter()
            .map(|p| Subnet { prefix: (*p).into(), network: "lan".into(), ..Subnet::default() })
            .collect(),
        routers: vec![
            Router {
                name: "r1".into(),
                subnets: vec![subnets[0].into(), subnets[1].into()],
                ..Router::default()
            },
            Router {
                name: "r2".into(),
                subnets: vec![subnets[1].into(), subnets[2].into()],
                ..Router::default()
            },
        ],
        ..Document::default()
    };
    let hops = HopTable {
        size: 3,
        hops: [0, 1, 2, 1, 0, 1, 2, 1, 0].into_iter().map(Some).collect(),
        first_step: vec![
            None,
            Some((0, 1)),
            Some((0, 1)),
            Some((0, 0)),
            None,
            Some((1, 2)),
            Some((1, 1)),
            Some((1, 1)),
            None,
        ],
    };
    let nodes = vec![
        node("n5", 5, "10.0.0.1", 0),
        node("n3", 3, "10.0.1.3", 1),
        node("n12", 12, "10.0.2.12", 2),
        node("c", 1, "10.0.0.11", 0),
    ];
    let address = |ip: &str, subnet, priority, server| ServiceAddress {
        ip: ip.parse().unwrap(),
        subnet,
        priority,
        server: Some(server),
    };
    let registry = ServicePlan {
        cluster: "A".into(),
        service: "registry".into(),
        addresses: vec![
            address("10.0.0.1", 0, None, 1),
            address("10.0.1.3", 1, None, 0),
            address("10.0.2.12", 2, Some(5), 2),
        ],
        servers: vec![
            Server { node: 1, number: 3, addresses: vec![1] },
            Server { node: 0, number: 5, addresses: vec![0] },
            Server { node: 2, number: 12, addresses: vec![2] },
        ],
        lists: vec![
            ClientList {
                node: 3,
                number: 1,
                entries: vec![entry(2, 0, false, 2), entry(0, 1, false, 0), entry(1, 1, false, 1)],
            },
            ClientList {
                node: 1,
                number: 3,
                entries: vec![entry(2, 0, false, 1), entry(1, 1, true, 0), entry(0, 1, false, 1)],
            },
            ClientList {
                node: 0,
                number: 5,
                entries: vec![entry(2, 0, false, 2), entry(0, 1, true, 0), entry(1, 1, false, 1)],
            },
            ClientList {
                node: 2,
                number: 12,
                entries: vec![entry(2, 0, true, 0), entry(1, 1, false, 1), entry(0, 1, false, 2)],
            },
        ],
        load: ServiceLoad { clients: 4, first_choice: vec![0, 0, 4], ..ServiceLoad::default() },
    };
    let plan = Plan {
        nodes,
        subnets: subnets
            .iter()
            .map(|p| SubnetInfo {
                prefix: (*p).into(),
                network: Some("lan".into()),
                implicit: false,
            })
            .collect(),
        hops,
        services: vec![registry],
        ..Plan::default()
    };
    (plan, doc)
}
