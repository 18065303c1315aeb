//! The network failure options (`--fail-router`, `--fail-subnet`, docs/cli.md) that `lists`,
//! `load`, `check`, `diff` and `hops` share, and the compile under them.

use anyhow::{anyhow, Result};
use clap::Args;
use clusterplan_engine::failures::UnknownFailure;
use clusterplan_engine::{compile, compile_with, Document, FailureSet, Plan, Strategy};

/// Network failures (docs/spec.md §2): routers and subnets failed, alone or with nodes.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct NetworkFail {
    /// Fail these routers (names, comma separated): a failed router joins no subnets, so the
    /// hop distances, the lists and the load are those of the network without it.
    #[arg(long = "fail-router", value_delimiter = ',', value_name = "NAME[,NAME]")]
    pub routers: Vec<String>,
    /// Fail these subnets (prefixes, comma separated): a failed subnet carries no traffic (its
    /// nodes reach nothing but their own addresses, and no path crosses it).
    #[arg(long = "fail-subnet", value_delimiter = ',', value_name = "PREFIX[,PREFIX]")]
    pub subnets: Vec<String>,
}

impl NetworkFail {
    /// Any router or subnet failed?
    pub(crate) fn any(&self) -> bool {
        !(self.routers.is_empty() && self.subnets.is_empty())
    }

    /// Compiles `doc` with these failures; a name the document does not have is refused in one
    /// line naming the option.
    pub(crate) fn compile(&self, doc: &Document, strategy: Strategy) -> Result<Plan> {
        self.check(&[doc])?;
        Ok(self.compile_checked(doc, strategy))
    }

    /// Refuses a name that none of `docs` has (a review may fail a router the change removes).
    pub(crate) fn check(&self, docs: &[&Document]) -> Result<()> {
        let set = self.set();
        let Some(Err(e)) = docs.iter().map(|d| set.check(d)).reduce(|a, b| a.or(b)) else {
            return Ok(());
        };
        let option = match &e {
            UnknownFailure::Router(r) => format!("--fail-router {r}"),
            UnknownFailure::Subnet(p) => format!("--fail-subnet {p}"),
            UnknownFailure::Node(n) => format!("--fail {n}"),
        };
        Err(anyhow!("{}: {e}", crate::tables::field(&option)))
    }

    /// Compiles `doc` with these failures (names it does not have change nothing).
    pub(crate) fn compile_checked(&self, doc: &Document, strategy: Strategy) -> Plan {
        if self.any() {
            compile_with(doc, strategy, &self.set())
        } else {
            compile(doc, strategy)
        }
    }

    /// The routers and subnets as the engine's failure set.
    pub(crate) fn set(&self) -> FailureSet {
        FailureSet {
            routers: self.routers.clone(),
            subnets: self.subnets.clone(),
            ..FailureSet::default()
        }
    }
}
