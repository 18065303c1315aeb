//! Diagnostics: what is wrong with (or worth knowing about) a model, each naming its item, and
//! [`DiagnosticCode`], every code the engine emits with its severity and meaning (the one table
//! the docs' list of codes and the tests are checked against).

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

/// Declares [`DiagnosticCode`] from one table: variant = "name", severity, "meaning".
macro_rules! codes {
    (
        plan { $($p:ident = $pname:literal, $psev:ident, $pmeaning:literal;)* }
        bootstrap { $($b:ident = $bname:literal, $bsev:ident, $bmeaning:literal;)* }
    ) => {
        /// Every diagnostic code the engine emits. Its [`name`](DiagnosticCode::name) is the
        /// stable kebab-case text tools and tests read (`duplicate-address`); its severity is
        /// fixed by the code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum DiagnosticCode {
            $(#[doc = $pmeaning] $p,)*
            $(#[doc = $bmeaning] $b,)*
        }

        impl DiagnosticCode {
            /// The codes of a compiled plan's diagnostics (`compile`, `check`), in the order
            /// docs/format.md lists them.
            pub const PLAN: &'static [DiagnosticCode] = &[$(DiagnosticCode::$p,)*];
            /// The codes only a node's bootstrap view emits.
            pub const BOOTSTRAP: &'static [DiagnosticCode] = &[$(DiagnosticCode::$b,)*];

            /// The stable kebab-case name (`duplicate-address`).
            pub fn name(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$p => $pname,)*
                    $(DiagnosticCode::$b => $bname,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(DiagnosticCode::$p => Severity::$psev,)*
                    $(DiagnosticCode::$b => Severity::$bsev,)*
                }
            }

            /// What the code means, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$p => $pmeaning,)*
                    $(DiagnosticCode::$b => $bmeaning,)*
                }
            }
        }
    };
}

codes! {
    plan {
        UnknownFormat = "unknown-format", Warning, "the document's `format` is not cluster-planner/1; read as it anyway";
        DuplicateCluster = "duplicate-cluster", Error, "two clusters share an id; the first is used";
        DuplicateNetwork = "duplicate-network", Error, "two networks share a name; the first is used";
        UnknownNetwork = "unknown-network", Error, "a subnet maps to a network that is not defined; its addresses get no priority";
        InvalidPrefix = "invalid-prefix", Error, "a subnet prefix is not CIDR text; it holds no address";
        PrefixHostBits = "prefix-host-bits", Warning, "a subnet prefix has host bits set; they are cleared";
        DuplicateSubnet = "duplicate-subnet", Error, "two subnets have the same prefix; addresses belong to the first";
        UnknownRouterSubnet = "unknown-router-subnet", Error, "a router names a subnet that is not defined; that attachment is ignored";
        DuplicateNodeUid = "duplicate-node-uid", Error, "two nodes share a UID";
        UnknownCluster = "unknown-cluster", Error, "a node or service names a cluster that does not exist";
        DuplicateNodeNumber = "duplicate-node-number", Error, "a node number is used twice in one cluster";
        OnlineNotDefined = "online-not-defined", Error, "a node is online in a cluster it is not defined to; it is treated as offline";
        InvalidAddress = "invalid-address", Error, "an address is not IPv4 or IPv6 text; it is left out";
        DuplicateAddress = "duplicate-address", Error, "an address appears twice (on two nodes, or twice on one); the first node owns it";
        AddressWithoutSubnet = "address-without-subnet", Error, "a node address is in no subnet; it gets an implicit /32 or /128 subnet";
        NoRegistryServer = "no-registry-server", Error, "a cluster has no registry server, so it cannot go online";
        NotOnlineInCluster = "not-online-in-cluster", Warning, "a registry server or a service's server is online in another cluster (or in none), so it is down for this one and serves none of its clients";
        NoRegistryServerOnline = "no-registry-server-online", Error, "none of a cluster's registry servers is online in it, so it cannot come online";
        UnknownRegistryServer = "unknown-registry-server", Error, "a cluster's registry server number is not a node number of the cluster";
        DuplicateService = "duplicate-service", Error, "two services of one cluster share a name; the first is used";
        DuplicateServiceAddress = "duplicate-service-address", Error, "a service lists an address twice; it is listed once";
        UnownedServiceAddress = "unowned-service-address", Error, "a service address belongs to no node; it is listed but serves no load";
        ServerOutsideCluster = "server-outside-cluster", Warning, "a service address belongs to a node not defined to the service's cluster; it serves no load";
        RegistryMismatch = "registry-mismatch", Warning, "the `registry` service's addresses and the cluster's registry servers disagree";
        NoServer = "no-server", Warning, "a service with clients has no server node at all";
        UnservedClient = "unserved-client", Warning, "a client cannot reach any server of a service";
        UnreachableAddress = "unreachable-address", Warning, "a service address is unreachable from some clients (listed last in its tier, flagged)";
        ResidueImbalance = "residue-imbalance", Lint, "under rotation, the node numbers' residues leave a server of an equidistant group idle or doubled";
        SubnetOneServer = "subnet-one-server", Lint, "every client of a subnet picks the same server first: the only server on that subnet";
        TierOneFirst = "tier-one-first", Lint, "a priority tier sends every client to the same first address";
        SingleRouterFailureUnserved = "single-router-failure-unserved", Lint, "one router's failure alone would leave clients of a service unserved: a single point of failure in the network";
        HopTableTooLarge = "hop-table-too-large", Error, "the hop table the lists need would hold more hop counts than a plan may (docs/format.md, Limits); no list is computed";
        ListsTooLarge = "lists-too-large", Error, "a service's lists would take the plan over the list entries it may hold (docs/format.md, Limits); its lists and load are not computed";
        BadResourceControllers = "bad-resource-controllers", Error, "a node's `resource_controllers` extension field is not a list of distinct, non-empty names; the bad entries are left out";
    }
    bootstrap {
        BootstrapCluster = "bootstrap-cluster", Warning, "the node is offline, online in a cluster it is not defined to, or defined to none: the bootstrap is shown into its first cluster (or none)";
        BootstrapUnknownComponent = "bootstrap-unknown-component", Error, "a bootstrap dependency names a component the node does not have; it is ignored";
        BootstrapCycle = "bootstrap-cycle", Error, "the node's bootstrap dependencies form a cycle; no bootstrap order exists";
    }
}

/// Every code of a compiled plan's diagnostics ([`DiagnosticCode::PLAN`]).
pub const CODES: &[DiagnosticCode] = DiagnosticCode::PLAN;

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Serialised as its name (`"duplicate-address"`).
impl Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl PartialEq<str> for DiagnosticCode {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
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
    /// The severity of `code`.
    pub severity: Severity,
    /// A stable kebab-case code (`duplicate-address`), for tools and tests.
    pub code: DiagnosticCode,
    pub item: Item,
    /// One sentence for people, naming the item.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic of `code` (its severity is the code's) about `item`.
    pub fn new(code: DiagnosticCode, item: Item, message: String) -> Diagnostic {
        Diagnostic { severity: code.severity(), code, item, message }
    }
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
