//! Failure sets (docs/spec.md §2 and §4): nodes, routers and subnets failed together, named as
//! the document names them, and what the compile does with the network part (a failed router
//! joins no subnets; a failed subnet is attached to no router and carries no traffic).

use crate::document::Document;
use crate::plan::{NodeIx, Plan, SubnetIx};
use crate::prefix::parse_prefix;
use crate::share::LinkFailures;
use serde::{Deserialize, Serialize};

/// What has failed: nodes by uid, routers by name, subnets by prefix (`10.0.1.5/24` names
/// `10.0.1.0/24`, as a router's attachment does). The one failure set every view takes.
///
/// The routers and subnets change the hop distances, so they are compiled into the plan
/// ([`crate::compile_with`]); the nodes are applied on top of that plan by the load's failover
/// ([`FailureSet::failed_nodes`], [`crate::plan::ServicePlan::failover_of_nodes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FailureSet {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
}

impl From<LinkFailures> for FailureSet {
    fn from(f: LinkFailures) -> Self {
        FailureSet { nodes: f.nodes, routers: f.routers, subnets: f.subnets }
    }
}

impl From<FailureSet> for LinkFailures {
    fn from(f: FailureSet) -> Self {
        LinkFailures { nodes: f.nodes, routers: f.routers, subnets: f.subnets }
    }
}

/// A failure set naming something the document does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownFailure {
    #[error("there is no node with uid {0:?}")]
    Node(String),
    #[error("there is no router {0:?}")]
    Router(String),
    #[error("there is no subnet {0:?}")]
    Subnet(String),
}

/// The network part of a failure set resolved against a document: indices of
/// `Document::routers` and `Document::subnets` (the plan's subnet indices), sorted, unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NetworkFailures {
    pub routers: Vec<usize>,
    pub subnets: Vec<SubnetIx>,
}

impl NetworkFailures {
    pub(crate) fn is_empty(&self) -> bool {
        self.routers.is_empty() && self.subnets.is_empty()
    }

    /// The routers' attachments with the failures applied: a failed router is attached to
    /// nothing, a failed subnet to no router.
    pub(crate) fn apply(&self, routers: &[Vec<SubnetIx>]) -> Vec<Vec<SubnetIx>> {
        routers
            .iter()
            .enumerate()
            .map(|(r, subs)| {
                if self.routers.binary_search(&r).is_ok() {
                    Vec::new()
                } else {
                    subs.iter()
                        .copied()
                        .filter(|s| self.subnets.binary_search(s).is_err())
                        .collect()
                }
            })
            .collect()
    }

    /// Which of `size` subnets are down (empty when none is).
    pub(crate) fn down(&self, size: usize) -> Vec<bool> {
        if self.subnets.is_empty() {
            return Vec::new();
        }
        let mut down = vec![false; size];
        for &s in &self.subnets {
            if let Some(d) = down.get_mut(s) {
                *d = true;
            }
        }
        down
    }
}

impl FailureSet {
    /// Nothing failed.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.routers.is_empty() && self.subnets.is_empty()
    }

    /// Does it fail a router or a subnet (so the hop distances change)?
    pub fn has_network(&self) -> bool {
        !(self.routers.is_empty() && self.subnets.is_empty())
    }

    /// The first name that the document does not have, if any (a caller refusing a wrong
    /// failure set says it in one line).
    pub fn check(&self, doc: &Document) -> Result<(), UnknownFailure> {
        if let Some(n) = self.nodes.iter().find(|n| !doc.nodes.iter().any(|x| &x.uid == *n)) {
            return Err(UnknownFailure::Node(n.clone()));
        }
        if let Some(r) = self.routers.iter().find(|r| !doc.routers.iter().any(|x| &x.name == *r)) {
            return Err(UnknownFailure::Router(r.clone()));
        }
        let nets: Vec<_> =
            doc.subnets.iter().filter_map(|x| parse_prefix(&x.prefix)).map(|x| x.0).collect();
        if let Some(p) = self
            .subnets
            .iter()
            .find(|p| !parse_prefix(p).is_some_and(|(net, _)| nets.contains(&net)))
        {
            return Err(UnknownFailure::Subnet(p.clone()));
        }
        Ok(())
    }

    /// The failed routers and subnets as indices of the document's (names it does not have
    /// are left out: see [`FailureSet::check`]). Every router with a failed name fails, and
    /// every subnet with a failed prefix.
    pub(crate) fn network(&self, doc: &Document) -> NetworkFailures {
        let routers = (0..doc.routers.len())
            .filter(|&r| self.routers.iter().any(|n| *n == doc.routers[r].name))
            .collect();
        let failed: Vec<_> =
            self.subnets.iter().filter_map(|p| parse_prefix(p)).map(|x| x.0).collect();
        let subnets = (0..doc.subnets.len())
            .filter(|&s| {
                parse_prefix(&doc.subnets[s].prefix).is_some_and(|(net, _)| failed.contains(&net))
            })
            .collect();
        NetworkFailures { routers, subnets }
    }

    /// The failed nodes that the plan has, as its node indices (for
    /// [`crate::plan::ServicePlan::failover_of_nodes`]).
    pub fn failed_nodes(&self, plan: &Plan) -> Vec<NodeIx> {
        let mut out: Vec<NodeIx> =
            self.nodes.iter().filter_map(|uid| plan.node_by_uid(uid)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
