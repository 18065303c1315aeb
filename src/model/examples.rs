//! The built-in example documents (the gallery), shipped inside the app: the source's FIG 24 and
//! FIG 22 examples, FIG 24 with one more registry server (to compare with FIG 24: a design
//! review), two clusters sharing a node, the lifecycle lessons' cluster, and generated data
//! centres of 1,000 and 10,000 nodes.

use crate::model::layout::auto_layout;
use clusterplan_engine::Document;

/// Where an example's document comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// A JSON file of `examples/`, compiled in.
    Json(&'static str),
    /// Built by code (too large to ship as a file): the engine's generated data centre of this
    /// many nodes.
    Generated(usize),
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
    source: Source::Json(include_str!("../../examples/seed-fig24.json")),
};

pub const FIG24_EXTRA: Example = Example {
    id: "fig24-extra-registry",
    title: "FIG 24 with one more registry server",
    blurb: "Server 13 joins node 5's subnet: node 1 now goes to it first. Compare it with FIG 24 to review the change.",
    source: Source::Json(include_str!("../../examples/seed-fig24-extra-registry.json")),
};

pub const FIG22: Example = Example {
    id: "fig22",
    title: "FIG 22: network priorities",
    blurb: "Three networks give the registry priorities 3, 2, 1: every client lists 1, 2, 3.",
    source: Source::Json(include_str!("../../examples/seed-fig22.json")),
};

pub const TWO_CLUSTERS: Example = Example {
    id: "two-clusters",
    title: "Two clusters sharing a node",
    blurb: "Node \"shared\" is defined to clusters A and B, online in A; each cluster has its registry.",
    source: Source::Json(include_str!("../../examples/two-clusters-shared-node.json")),
};

pub const LIFECYCLE: Example = Example {
    id: "lifecycle",
    title: "The lifecycle lessons' cluster",
    blurb: "Cluster A with three registry servers, B with one, and a machine n9 to define: the Simulate tab's lessons run on it.",
    source: Source::Json(include_str!("../../examples/lifecycle.json")),
};

pub const DATA_CENTRE: Example = Example {
    id: "datacentre",
    title: "Generated data centre: 1,000 nodes",
    blurb: "The engine's generator: 100 subnets under a tree of 20 routers, 4 services of 64 servers each.",
    source: Source::Generated(1000),
};

pub const DATA_CENTRE_10K: Example = Example {
    id: "datacentre-10k",
    title: "Generated data centre: 10,000 nodes",
    blurb: "A whole data centre: 1,000 subnets under a tree of 200 routers, 4 services of 64 servers each. Zoomed out, each subnet is a block; zoom in to see its nodes.",
    source: Source::Generated(10_000),
};

impl PartialEq for Example {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for Example {}

pub const ALL: &[Example] =
    &[FIG24, FIG24_EXTRA, FIG22, TWO_CLUSTERS, LIFECYCLE, DATA_CENTRE, DATA_CENTRE_10K];

/// The example with this id.
pub fn by_id(id: &str) -> Option<Example> {
    ALL.iter().copied().find(|e| e.id == id)
}

impl Example {
    /// The example's document. The shipped files are tested to read (see the tests below).
    pub fn document(&self) -> Document {
        match self.source {
            Source::Json(json) => clusterplan_engine::document::read(json).unwrap_or_default(),
            Source::Generated(nodes) => data_centre(nodes),
        }
    }

    /// Large enough that opening it takes a noticeable moment (the gallery shows it opening).
    pub fn is_large(&self) -> bool {
        matches!(self.source, Source::Generated(nodes) if nodes >= 5000)
    }

    /// Is `doc` this example as it comes (positions aside, when it has none)?
    pub fn is_untouched(&self, doc: &Document) -> bool {
        if let Source::Generated(nodes) = self.source {
            if doc.nodes.len() != nodes {
                return false;
            }
        }
        let example = self.document();
        example.nodes.len() == doc.nodes.len()
            && crate::model::layout::with_layout(example)
                == crate::model::layout::with_layout(doc.clone())
    }
}

/// A generated data centre of `nodes` nodes: the engine's generator
/// ([`clusterplan_engine::generate`], the benchmark's model: a subnet per 10 nodes under a tree
/// of a router per 5 subnets, 4 services of 64 servers, the registry in two priority tiers),
/// placed by the automatic layout so the example carries its positions. Deterministic: the same
/// document every time, built in the page instead of shipped.
pub fn data_centre(nodes: usize) -> Document {
    let mut doc = clusterplan_engine::generate::data_centre(nodes);
    auto_layout(&doc).write(&mut doc);
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
    fn the_data_centre_has_1000_distinct_nodes_laid_out_without_overlap() {
        use crate::model::layout::{Layout, Rect};
        let doc = data_centre(1000);
        assert_eq!(doc.nodes.len(), 1000);
        let uids: std::collections::HashSet<_> = doc.nodes.iter().map(|n| &n.uid).collect();
        assert_eq!(uids.len(), 1000);
        let index = crate::model::edit::net::SubnetIndex::new(&doc);
        for n in &doc.nodes {
            assert!(
                n.addresses.iter().all(|a| index.subnet_of(a).is_some()),
                "{} has subnets",
                n.uid
            );
        }
        let layout = Layout::read(&doc);
        assert!(layout.covers(&doc));
        let mut rects: Vec<Rect> = layout.nodes.values().map(|p| Layout::node_rect(*p)).collect();
        rects.sort_by(|a, b| a.x.total_cmp(&b.x));
        for (i, a) in rects.iter().enumerate() {
            for b in rects[i + 1..].iter().take_while(|b| b.x < a.x + a.w) {
                let inner = Rect { x: b.x + 1.0, y: b.y + 1.0, w: b.w - 2.0, h: b.h - 2.0 };
                assert!(!a.intersects(&inner), "{a:?} overlaps {b:?}");
            }
        }
        // It survives the file format, well under the size limit.
        let text = clusterplan_engine::document::write(&doc);
        assert!(text.len() < clusterplan_engine::document::MAX_DOCUMENT_BYTES / 8);
        assert_eq!(clusterplan_engine::document::read(&text).unwrap(), doc);
    }

    #[test]
    fn the_10k_data_centre_is_the_engines_generated_model_laid_out_and_untouched() {
        let doc = DATA_CENTRE_10K.document();
        assert_eq!((doc.nodes.len(), doc.subnets.len(), doc.routers.len()), (10_000, 1000, 200));
        assert!(crate::model::layout::Layout::read(&doc).covers(&doc));
        assert!(DATA_CENTRE_10K.is_untouched(&doc));
        assert!(!DATA_CENTRE.is_untouched(&doc));
        let mut moved = doc.clone();
        moved.nodes.pop();
        assert!(!DATA_CENTRE_10K.is_untouched(&moved));
    }

    #[test]
    fn the_shared_node_is_defined_to_both_clusters_and_online_in_one() {
        let doc = TWO_CLUSTERS.document();
        let shared = doc.nodes.iter().find(|n| n.uid == "shared").unwrap();
        assert_eq!(shared.clusters.len(), 2);
        assert_eq!(shared.online.as_deref(), Some("A"));
    }
}
