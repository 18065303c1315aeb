//! Diagnostics: what is wrong with (or worth knowing about) a model, each naming its item.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The model breaks a rule; what depends on the item is computed without it.
    Error,
    /// The model is valid but something will not work as drawn (an unserved client, ...).
    Warning,
    /// Valid and working, but a design smell (idle servers under rotation, ...).
    Lint,
}

/// The item a diagnostic is about, as the document names it (so the UI can select it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    Document,
    Cluster {
        id: String,
    },
    Network {
        name: String,
    },
    Subnet {
        prefix: String,
    },
    Router {
        name: String,
    },
    Node {
        uid: String,
    },
    /// An address, and the node owning it when there is one.
    Address {
        address: String,
        node: Option<String>,
    },
    Service {
        cluster: String,
        name: String,
    },
}

/// Where a node is, as messages say it: `is online in cluster A`, or `is offline`.
pub(crate) fn whereabouts(online: Option<&str>) -> String {
    match online {
        Some(cluster) => format!("is online in cluster {cluster}"),
        None => "is offline".to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case code (`duplicate-address`), for tools and tests.
    pub code: &'static str,
    pub item: Item,
    /// One sentence for people, naming the item.
    pub message: String,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Lint => "lint",
        })
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Document => f.write_str("document"),
            Item::Cluster { id } => write!(f, "cluster {id}"),
            Item::Network { name } => write!(f, "network {name}"),
            Item::Subnet { prefix } => write!(f, "subnet {prefix}"),
            Item::Router { name } => write!(f, "router {name}"),
            Item::Node { uid } => write!(f, "node {uid}"),
            Item::Address { address, node: Some(uid) } => {
                write!(f, "address {address} (node {uid})")
            }
            Item::Address { address, node: None } => write!(f, "address {address}"),
            Item::Service { cluster, name } => write!(f, "service {name} of cluster {cluster}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `error[duplicate-address] address 10.0.0.1: ...`, the CLI's `check` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] {}: {}", self.severity, self.code, self.item, self.message)
    }
}
