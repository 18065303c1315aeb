//! The built-in example documents (the gallery), shipped inside the app: the source's FIG 24 and
//! FIG 22 examples, two clusters sharing a node, and a generated data centre of 1,000 nodes.

use crate::layout::{Bar, Layout, Pt, NODE_H, NODE_W};
use clusterplan_engine::document::{Cluster, Network, Node, Router, Service, Subnet};
use clusterplan_engine::Document;

/// Where an example's document comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// A JSON file of `examples/`, compiled in.
    Json(&'static str),
    /// Built by code (too large to ship as a file).
    Generated(fn() -> Document),
}

/// One example of the gallery (examples are equal when their ids are).
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what it shows.
    pub blurb: &'static str,
    source: Source,
}

pub const FIG24: Example = Example {
    id: "fig24",
    title: "FIG 24: rotation among equidistant servers",
    blurb: "The source's worked example: node 5 lists the registry as 1, 9, 3, 7, 2, 12.",
    source: Source::Json(include_str!("../examples/seed-fig24.json")),
};

pub const FIG22: Example = Example {
    id: "fig22",
    title: "FIG 22: network priorities",
    blurb: "Three networks give the registry priorities 3, 2, 1: every client lists 1, 2, 3.",
    source: Source::Json(include_str!("../examples/seed-fig22.json")),
};

pub const TWO_CLUSTERS: Example = Example {
    id: "two-clusters",
    title: "Two clusters sharing a node",
    blurb: "Node \"shared\" is defined to clusters A and B, online in A; each cluster has its registry.",
    source: Source::Json(include_str!("../examples/two-clusters-shared-node.json")),
};

pub const DATA_CENTRE: Example = Example {
    id: "datacentre",
    title: "Generated data centre: 1,000 nodes",
    blurb: "4 rows of 5 racks of 50 nodes, a router per row joined by a core subnet; 5 registry servers.",
    source: Source::Generated(data_centre),
};

impl PartialEq for Example {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for Example {}

pub const ALL: &[Example] = &[FIG24, FIG22, TWO_CLUSTERS, DATA_CENTRE];

/// The example with this id.
pub fn by_id(id: &str) -> Option<Example> {
    ALL.iter().copied().find(|e| e.id == id)
}

impl Example {
    /// The example's document. The shipped files are tested to read (see the tests below).
    pub fn document(&self) -> Document {
        match self.source {
            Source::Json(json) => clusterplan_engine::document::read(json).unwrap_or_default(),
            Source::Generated(make) => make(),
        }
    }
}

/// Rows, racks per row and nodes per rack of the generated data centre.
pub const DC_ROWS: usize = 4;
pub const DC_RACKS: usize = 5;
pub const DC_NODES_PER_RACK: usize = 50;

/// The generated data centre: `DC_ROWS` rows of `DC_RACKS` racks, each rack a /24 on network
/// `data` with `DC_NODES_PER_RACK` nodes; a router per row joins its racks and the `core`
/// subnet. One cluster `DC`, node numbers 1..=1000 in rack order, all online. Registry servers:
/// the first node of each row, plus one in the last rack; a `group-services` service on two
/// nodes per row. Positions are laid out by rows, so the document carries its layout.
pub fn data_centre() -> Document {
    const COLS: usize = 5;
    let mut doc = Document::default();
    doc.extra.insert(
        "description".into(),
        "A generated data centre: 4 rows x 5 racks x 50 nodes, one cluster, 5 registry servers."
            .into(),
    );
    doc.networks.push(Network { name: "data".into(), ..Default::default() });
    doc.networks.push(Network { name: "core".into(), ..Default::default() });
    let mut layout = Layout::default();
    let rack_w = COLS as f64 * (NODE_W + 20.0) - 20.0;
    let rows_per_rack = DC_NODES_PER_RACK.div_ceil(COLS);
    let rack_h = 12.0 + 36.0 + rows_per_rack as f64 * (NODE_H + 36.0);
    let core = "10.0.0.0/24".to_owned();
    doc.subnets.push(Subnet { prefix: core.clone(), network: "core".into(), ..Default::default() });
    let total_w = DC_RACKS as f64 * (rack_w + 120.0);
    layout.subnets.insert(core.clone(), Bar { x: -300.0, y: 40.0, w: total_w + 300.0 });
    let mut number = 0u32;
    for row in 0..DC_ROWS {
        let y0 = 240.0 + row as f64 * (rack_h + 160.0);
        let router = format!("row{}", row + 1);
        let mut attached = vec![core.clone()];
        layout.routers.insert(router.clone(), Pt::new(-160.0, y0 - 60.0));
        for rack in 0..DC_RACKS {
            let prefix = format!("10.{}.{}.0/24", row + 1, rack + 1);
            let x0 = 40.0 + rack as f64 * (rack_w + 120.0);
            layout.subnets.insert(prefix.clone(), Bar { x: x0, y: y0, w: rack_w });
            doc.subnets.push(Subnet {
                prefix: prefix.clone(),
                network: "data".into(),
                ..Default::default()
            });
            attached.push(prefix);
            for k in 0..DC_NODES_PER_RACK {
                number += 1;
                let uid = format!("dc-{number:04}");
                let mut node = Node {
                    uid: uid.clone(),
                    name: format!("row{} rack{} #{}", row + 1, rack + 1, k + 1),
                    online: Some("DC".into()),
                    addresses: vec![format!("10.{}.{}.{}", row + 1, rack + 1, k + 10)],
                    ..Default::default()
                };
                node.clusters.insert("DC".into(), number);
                doc.nodes.push(node);
                let (c, r) = (k % COLS, k / COLS);
                layout.nodes.insert(
                    uid,
                    Pt::new(
                        x0 + c as f64 * (NODE_W + 20.0),
                        y0 + 48.0 + r as f64 * (NODE_H + 36.0),
                    ),
                );
            }
        }
        doc.routers.push(Router { name: router, subnets: attached, ..Default::default() });
    }
    let per_row = (DC_RACKS * DC_NODES_PER_RACK) as u32;
    let mut registry: Vec<u32> = (0..DC_ROWS as u32).map(|r| r * per_row + 1).collect();
    registry.push(number - 1);
    doc.clusters.push(Cluster {
        id: "DC".into(),
        name: "data centre".into(),
        registry_servers: registry.clone(),
        ..Default::default()
    });
    let address_of = |n: u32| doc.nodes[(n - 1) as usize].addresses[0].clone();
    let registry_addresses = registry.iter().map(|&n| address_of(n)).collect();
    let group: Vec<String> = (0..DC_ROWS as u32)
        .flat_map(|r| [r * per_row + 2, r * per_row + per_row / 2])
        .map(address_of)
        .collect();
    doc.services.push(Service {
        name: "registry".into(),
        cluster: "DC".into(),
        addresses: registry_addresses,
        ..Default::default()
    });
    doc.services.push(Service {
        name: "group-services".into(),
        cluster: "DC".into(),
        addresses: group,
        ..Default::default()
    });
    layout.write(&mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_reads() {
        for example in ALL {
            if let Source::Json(json) = example.source {
                clusterplan_engine::document::read(json)
                    .unwrap_or_else(|e| panic!("example {} does not read: {e}", example.id));
            }
            assert!(!example.document().nodes.is_empty(), "{}", example.id);
            assert_eq!(by_id(example.id).map(|e| e.id), Some(example.id));
        }
    }

    #[test]
    fn the_data_centre_has_1000_distinct_nodes_positioned() {
        let doc = data_centre();
        assert_eq!(doc.nodes.len(), 1000);
        let uids: std::collections::HashSet<_> = doc.nodes.iter().map(|n| &n.uid).collect();
        assert_eq!(uids.len(), 1000);
        let addresses: std::collections::HashSet<_> =
            doc.nodes.iter().flat_map(|n| &n.addresses).collect();
        assert_eq!(addresses.len(), 1000);
        for n in &doc.nodes {
            assert!(
                crate::edit::net::subnet_of(&doc, &n.addresses[0]).is_some(),
                "{} has a subnet",
                n.uid
            );
        }
        assert!(Layout::read(&doc).covers(&doc));
        assert_eq!(doc.clusters[0].registry_servers, [1, 251, 501, 751, 999]);
        // It survives the file format, well under the size limit.
        let text = clusterplan_engine::document::write(&doc);
        assert!(text.len() < clusterplan_engine::document::MAX_DOCUMENT_BYTES);
        assert_eq!(clusterplan_engine::document::read(&text).unwrap(), doc);
    }

    #[test]
    fn the_shared_node_is_defined_to_both_clusters_and_online_in_one() {
        let doc = TWO_CLUSTERS.document();
        let shared = doc.nodes.iter().find(|n| n.uid == "shared").unwrap();
        assert_eq!(shared.clusters.len(), 2);
        assert_eq!(shared.online.as_deref(), Some("A"));
    }
}
