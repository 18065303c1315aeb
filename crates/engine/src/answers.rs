//! The engine's questions as the CLI and the JavaScript package ask them (`docs/cli.md`): plain,
//! serialisable answers (one line per client's list, one per server's load, one explained list),
//! sorted as the contract says, and typed errors naming what was not found. Both shells print
//! these values, so their JSON answers are the same by construction.

use crate::document::Document;
use crate::explain::Explanation;
use crate::plan::{NodeIx, Plan};
use crate::strategy::Strategy;
use serde::Serialize;

/// One line of `lists`: a client's ordered addresses of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListLine {
    pub cluster: String,
    pub service: String,
    pub node: u32,
    pub addresses: Vec<String>,
    /// Under a failure set ([`list_lines_flagged`]): the addresses of the list this client
    /// cannot reach (neither its own nor at a finite hop distance), in list order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<Vec<String>>,
}

/// One line of `load`: a server's clients on first choice and after the worst single failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadLine {
    pub cluster: String,
    pub service: String,
    pub node: u32,
    pub first_choice: usize,
    pub worst_single_failure: usize,
    /// The node number of the server whose failure causes the worst single failure load;
    /// `None` when no single failure adds to the first-choice load.
    pub worst_when_fails: Option<u32>,
    /// The server is up: online in the cluster and not failed.
    pub up: bool,
}

/// Failed nodes for `load --fail`: node numbers of one cluster.
#[derive(Debug, Clone, Copy)]
pub struct Failures<'a> {
    pub cluster: &'a str,
    pub numbers: &'a [u32],
}

/// Why `load` cannot pick the cluster it answers for (see [`load_cluster`]). Each surface says it
/// in its own words (a CLI flag, a JavaScript option).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadClusterError {
    /// The cluster asked for is not in the document.
    NoSuchCluster(String),
    /// Node numbers to fail were given, but no cluster, and the document has more than one.
    FailNeedsCluster,
}

/// The cluster `load` answers for: the one asked for (which must exist); else, when node
/// numbers are failed, the document's only cluster (node numbers mean nothing without one);
/// else none (every cluster).
pub fn load_cluster<'a>(
    doc: &'a Document,
    asked: Option<&'a str>,
    failing: bool,
) -> Result<Option<&'a str>, LoadClusterError> {
    match (asked, doc.clusters.as_slice()) {
        (Some(c), _) if doc.clusters.iter().any(|x| x.id == c) => Ok(Some(c)),
        (Some(c), _) => Err(LoadClusterError::NoSuchCluster(c.to_owned())),
        (None, [only]) if failing => Ok(Some(only.id.as_str())),
        (None, _) if failing => Err(LoadClusterError::FailNeedsCluster),
        (None, _) => Ok(None),
    }
}

/// `explain`'s answer: one client's list of one service, entry by entry.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedList {
    pub cluster: String,
    pub service: String,
    pub node: u32,
    pub uid: String,
    pub strategy: Strategy,
    pub entries: Vec<Explanation>,
}

/// A question naming something the plan does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("cluster {cluster} has no node number {number}")]
    NoNodeNumber { cluster: String, number: u32 },
    #[error("cluster {cluster:?} has no service {service:?}")]
    NoService { cluster: String, service: String },
    #[error("no node {node:?} in cluster {cluster:?} (neither a node number there nor a uid)")]
    NoNode { cluster: String, node: String },
    #[error(
        "node {uid} is not a client of {service} in cluster {cluster}: it is not online there"
    )]
    NotAClient { uid: String, service: String, cluster: String },
}

/// Every (cluster, service, client node) with its ordered addresses, sorted by cluster id,
/// service name, then node number.
pub fn list_lines(plan: &Plan) -> Vec<ListLine> {
    lines_of(plan, false)
}

/// [`list_lines`] with each line's unreachable addresses: what `lists --json` prints under a
/// network failure (docs/cli.md).
pub fn list_lines_flagged(plan: &Plan) -> Vec<ListLine> {
    lines_of(plan, true)
}

fn lines_of(plan: &Plan, flagged: bool) -> Vec<ListLine> {
    let mut entries = Vec::new();
    list_order(plan)
        .into_iter()
        .map(|(s, i)| {
            let sp = &plan.services[s];
            sp.lists.entries_into(i, &mut entries);
            let text = |e: &crate::plan::Entry| {
                sp.addresses.get(e.address()).map_or_else(|| "?".into(), |a| a.ip.to_string())
            };
            let unreachable = flagged.then(|| {
                entries.iter().filter(|e| !e.local && e.hops().is_none()).map(text).collect()
            });
            ListLine {
                cluster: sp.cluster.clone(),
                service: sp.service.clone(),
                node: sp.lists[i].number,
                addresses: entries.iter().map(text).collect(),
                unreachable,
            }
        })
        .collect()
}

/// The lines of [`list_lines`] as (index in `plan.services`, index in that service's lists), in
/// the same order, without writing any list out: for a caller that writes each line as it goes
/// (the CLI's `lists`, 2.56 M addresses on a 10k model). A stable sort by cluster id, service
/// name, then node number of the lines taken service by service, list by list.
pub fn list_order(plan: &Plan) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, usize)> = plan
        .services
        .iter()
        .enumerate()
        .flat_map(|(s, sp)| (0..sp.lists.len()).map(move |i| (s, i)))
        .collect();
    crate::sorting::sort_by(&mut order, |&(s, i), &(t, j)| {
        let (a, b) = (&plan.services[s], &plan.services[t]);
        (&a.cluster, &a.service, a.lists[i].number).cmp(&(
            &b.cluster,
            &b.service,
            b.lists[j].number,
        ))
    });
    order
}

/// Every (cluster, service, server node) with its first-choice clients and its clients after
/// the worst single failure of another server node, sorted like [`list_lines`]. With
/// `failures`, the services of that cluster have those nodes failed (the failed nodes are no
/// clients either), and the worst single failure is taken on top of them (`docs/spec.md` §4).
pub fn load_lines(plan: &Plan, failures: Option<Failures>) -> Result<Vec<LoadLine>, AnswerError> {
    let failed_nodes = match failures {
        None => Vec::new(),
        Some(f) => {
            f.numbers
                .iter()
                .map(|&number| {
                    plan.node_by_number(f.cluster, number).ok_or_else(|| {
                        AnswerError::NoNodeNumber { cluster: f.cluster.to_owned(), number }
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    let mut lines: Vec<LoadLine> = Vec::new();
    for sp in &plan.services {
        let number = |s: usize| sp.servers.get(s).map(|x| x.number);
        let failed = failures.filter(|f| f.cluster == sp.cluster);
        let (load, worst, failed_servers) = match failed {
            None => (sp.load.first_choice.clone(), sp.load.worst_single_failure.clone(), vec![]),
            Some(_) => {
                let f = sp.failover_of_nodes(&failed_nodes);
                (f.load, f.worst_single_failure, f.failed)
            }
        };
        for (s, server) in sp.servers.iter().enumerate() {
            let (worst, by) = worst.get(s).copied().unwrap_or((0, None));
            lines.push(LoadLine {
                cluster: sp.cluster.clone(),
                service: sp.service.clone(),
                node: server.number,
                first_choice: load.get(s).copied().unwrap_or(0),
                worst_single_failure: worst,
                worst_when_fails: by.and_then(number),
                up: server.online && !failed_servers.contains(&s),
            });
        }
    }
    sort_lines(&mut lines, |l| (&l.cluster, &l.service, l.node));
    Ok(lines)
}

/// Sorts by (cluster, service, node number); stable, so lines the engine gives in one order (a
/// node number used twice) keep it.
fn sort_lines<T>(lines: &mut [T], key: impl Fn(&T) -> (&String, &String, u32)) {
    crate::sorting::sort_by(lines, |a, b| key(a).cmp(&key(b)));
}

/// The node `node` names in `cluster`: a node number there, else a uid.
pub fn resolve_node(plan: &Plan, cluster: &str, node: &str) -> Result<NodeIx, AnswerError> {
    node.trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| plan.node_by_number(cluster, n))
        .or_else(|| plan.node_by_uid(node))
        .ok_or_else(|| AnswerError::NoNode { cluster: cluster.to_owned(), node: node.to_owned() })
}

/// `explain`: the list of `service` in `cluster` of the client `node` (a node number there or a
/// uid), every entry with its reasons and the formula filled in.
pub fn explain_list(
    plan: &Plan,
    cluster: &str,
    service: &str,
    node: &str,
) -> Result<ExplainedList, AnswerError> {
    let (si, sp) = plan.service(cluster, service).ok_or_else(|| AnswerError::NoService {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
    })?;
    let ni = resolve_node(plan, cluster, node)?;
    let uid = plan.nodes[ni].uid.clone();
    let not_a_client = || AnswerError::NotAClient {
        uid: uid.clone(),
        service: service.to_owned(),
        cluster: cluster.to_owned(),
    };
    let li = sp.list_index(ni).ok_or_else(not_a_client)?;
    let list = sp.lists.get(li).ok_or_else(not_a_client)?;
    Ok(ExplainedList {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
        node: list.number,
        uid: uid.clone(),
        strategy: plan.strategy,
        entries: plan.explain_list(si, li),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compile, document};

    fn fig24() -> Plan {
        let text = include_str!("../../../examples/seed-fig24.json");
        compile(&document::read(text).unwrap(), Strategy::Rotation)
    }

    #[test]
    fn load_answers_for_the_cluster_asked_or_the_only_one_when_failing() {
        let one = document::read(include_str!("../../../examples/seed-fig24.json")).unwrap();
        let two = document::read(include_str!("../../../examples/two-clusters-shared-node.json"))
            .unwrap();
        assert_eq!(load_cluster(&one, Some("A"), false), Ok(Some("A")));
        assert_eq!(
            load_cluster(&one, Some("Z"), true),
            Err(LoadClusterError::NoSuchCluster("Z".into()))
        );
        assert_eq!(load_cluster(&one, None, true), Ok(Some("A")), "the only cluster");
        assert_eq!(load_cluster(&one, None, false), Ok(None), "every cluster");
        assert_eq!(load_cluster(&two, None, true), Err(LoadClusterError::FailNeedsCluster));
        assert_eq!(load_cluster(&two, None, false), Ok(None));
    }

    #[test]
    fn node_5_list_is_the_sources() {
        let plan = fig24();
        let lines = list_lines(&plan);
        let n5 = lines.iter().find(|l| l.service == "registry" && l.node == 5);
        let n5 = n5.expect("node 5 has a registry list");
        assert_eq!(
            n5.addresses,
            ["10.0.0.1", "10.0.1.9", "10.0.1.3", "10.0.1.7", "10.0.2.20", "10.0.2.12"]
        );
        let keys: Vec<_> = lines.iter().map(|l| (&l.cluster, &l.service, l.node)).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "sorted by cluster, service, node");
    }

    #[test]
    fn questions_about_missing_items_name_them() {
        let plan = fig24();
        let err = load_lines(&plan, Some(Failures { cluster: "A", numbers: &[99] }));
        assert_eq!(err.unwrap_err().to_string(), "cluster A has no node number 99",);
        assert!(matches!(
            explain_list(&plan, "A", "nope", "5"),
            Err(AnswerError::NoService { .. })
        ));
        assert!(matches!(
            explain_list(&plan, "A", "registry", "zz"),
            Err(AnswerError::NoNode { .. })
        ));
        let explained = explain_list(&plan, "A", "registry", "5").unwrap();
        assert_eq!(explained.entries.len(), 6);
        assert_eq!(explained.entries[0].address.to_string(), "10.0.0.1");
    }
}
