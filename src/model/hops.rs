//! The Hops view's data (docs/spec.md §2), pure: the subnet x subnet hop matrix with each cell's
//! text and the routers it crosses, and the selected node's distance to every server address.

use clusterplan_engine::network::{distances_from, hop_matrix};
use clusterplan_engine::{Document, Plan};

/// Up to how many subnets the matrix is shown: beyond, a table of thousands of columns reads
/// as nothing, and the view shows the selected node's distances only.
pub const MATRIX_UPTO: usize = 200;

/// Up to how many subnets each cell names the routers it crosses (one path search per cell).
pub const PATHS_UPTO: usize = 64;

/// One cell of the hop matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopCell {
    /// `0`, `2`, or `unreachable` (a failed subnet reaches nothing, itself included).
    pub text: String,
    pub unreachable: bool,
    /// The routers crossed (`via r1, r2`), `same subnet`, or `unreachable`; empty when the
    /// model is too large to name them ([`PATHS_UPTO`]).
    pub title: String,
}

/// The hop matrix as the view shows it: the subnets' prefixes (its row and column headers) and
/// one row of cells per subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopTableView {
    pub subnets: Vec<String>,
    pub rows: Vec<Vec<HopCell>>,
}

/// The text of a hop count: the number, or `unreachable`.
pub fn hops_text(hops: Option<u32>) -> String {
    hops.map_or_else(|| "unreachable".to_owned(), |h| h.to_string())
}

/// The hop matrix of `plan` (compiled from `doc`, whose routers name the path's steps); `None`
/// when the model has more than [`MATRIX_UPTO`] subnets.
pub fn hop_table(plan: &Plan, doc: &Document) -> Option<HopTableView> {
    // The matrix's subnets are the plan's that are not implicit, in order (as hop_matrix shows
    // them): their indices, for the paths.
    let shown: Vec<usize> =
        (0..plan.subnets.len()).filter(|&s| !plan.subnets[s].implicit).collect();
    if shown.len() > MATRIX_UPTO {
        return None;
    }
    let matrix = hop_matrix(plan);
    let paths = shown.len() <= PATHS_UPTO;
    let rows = matrix
        .hops
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, &hops)| {
                    let title = match hops {
                        None => "unreachable".to_owned(),
                        Some(0) => "same subnet".to_owned(),
                        Some(_) if paths => {
                            let names: Vec<String> = plan
                                .path(shown[i], shown[j])
                                .iter()
                                .map(|&(router, _)| {
                                    doc.routers.get(router).map_or_else(
                                        || format!("router {router}"),
                                        |r| r.name.clone(),
                                    )
                                })
                                .collect();
                            format!("via {}", names.join(", "))
                        }
                        Some(_) => String::new(),
                    };
                    HopCell { text: hops_text(hops), unreachable: hops.is_none(), title }
                })
                .collect()
        })
        .collect();
    Some(HopTableView { subnets: matrix.subnets, rows })
}

/// One row of the selected node's distances: a service's address and the hops to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistanceRow {
    /// `registry (cluster A)`.
    pub service: String,
    pub address: String,
    /// `0 (own address)`, `2`, or `unreachable`.
    pub text: String,
    pub unreachable: bool,
}

/// The distance of the node with this uid to every address of every service; `None` when the
/// plan has no such node.
pub fn distance_rows(plan: &Plan, uid: &str) -> Option<Vec<DistanceRow>> {
    let node = plan.node_by_uid(uid)?;
    Some(
        distances_from(plan, node)
            .into_iter()
            .map(|d| DistanceRow {
                service: format!("{} (cluster {})", d.service, d.cluster),
                address: d.address,
                text: if d.local { "0 (own address)".to_owned() } else { hops_text(d.hops) },
                unreachable: d.hops.is_none(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::fig24;
    use clusterplan_engine::{compile_with, FailureSet, Strategy};

    #[test]
    fn the_matrix_names_the_subnets_and_the_routers_each_cell_crosses() {
        let (plan, doc) = fig24();
        let table = hop_table(&plan, &doc).expect("three subnets");
        assert_eq!(table.subnets, ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]);
        let texts: Vec<Vec<&str>> =
            table.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect()).collect();
        assert_eq!(texts, [["0", "1", "2"], ["1", "0", "1"], ["2", "1", "0"]]);
        assert_eq!(table.rows[0][2].title, "via r1, r2");
        assert_eq!(table.rows[2][1].title, "via r2");
        assert_eq!(table.rows[1][1].title, "same subnet");
    }

    #[test]
    fn a_failed_router_makes_the_far_subnets_unreachable() {
        let (_, doc) = fig24();
        let failed = FailureSet { routers: vec!["r2".into()], ..FailureSet::default() };
        let plan = compile_with(&doc, Strategy::Rotation, &failed);
        let table = hop_table(&plan, &doc).unwrap();
        let cell = &table.rows[0][2];
        assert_eq!((cell.text.as_str(), cell.unreachable), ("unreachable", true));
        assert_eq!(cell.title, "unreachable");
        assert_eq!(table.rows[0][1].text, "1");
        // Node 5 (10.0.0.x) reaches no address of the far subnet any more.
        let rows = distance_rows(&plan, "n5").unwrap();
        let far = rows.iter().find(|r| r.address == "10.0.2.12").unwrap();
        assert_eq!((far.text.as_str(), far.unreachable), ("unreachable", true));
    }

    #[test]
    fn the_selected_nodes_distances_count_its_own_address_as_zero() {
        let (plan, _) = fig24();
        let rows = distance_rows(&plan, "n5").unwrap();
        let own = plan.nodes[plan.node_by_uid("n5").unwrap()].addresses[0].ip.to_string();
        assert!(rows.iter().any(|r| r.address == own && r.text == "0 (own address)"), "{rows:?}");
        let web = rows.iter().find(|r| r.service == "web (cluster A)").unwrap();
        assert_eq!((web.address.as_str(), web.text.as_str()), ("10.0.2.12", "2"));
        assert_eq!(distance_rows(&plan, "nobody"), None);
    }

    #[test]
    fn a_large_model_shows_no_matrix() {
        let doc = clusterplan_engine::generate::data_centre(10_000);
        let plan = clusterplan_engine::compile(&doc, Strategy::Rotation);
        let subnets = plan.subnets.iter().filter(|s| !s.implicit).count();
        assert_eq!(hop_table(&plan, &doc).is_none(), subnets > MATRIX_UPTO, "{subnets} subnets");
    }
}
