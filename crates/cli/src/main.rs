//! `clusterplan`: the planner's command-line tool (usage in `docs/cli.md`).
//!
//! `lists`, `load` and `check` follow the command-line contract of `model-format.md` to the
//! letter: other tools parse their output. Exit status: 0 = done; 1 = `check` found an error or
//! a broken budget, `diff` a budget broken or made worse, or `bootstrap` a dependency cycle;
//! 2 = a document could not be read at all, or the question cannot be answered (unknown node,
//! service, bad option), or a share link cannot be read, with a one-line reason on standard
//! error.

mod bootstrap;
mod budgets;
mod compare;
mod diff;
mod explain;
mod io;
mod links;
mod network;
mod simulate;
mod tables;

use anyhow::{anyhow, bail, Result};
use clap::{Args, Parser, Subcommand};
use clusterplan_engine::{answers, compile, Diagnostic, Document, Strategy};
use io::{load_document, write_json, Outcome, StrategyArg};
use network::NetworkFail;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "clusterplan",
    version,
    about = "Plan how the nodes of a cluster find their services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options every command reading a model takes.
#[derive(Debug, Args)]
struct Common {
    /// The `cluster-planner/1` document to read.
    model: PathBuf,
    /// Print the same content as one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print every client's ordered list: cluster, service, node number, addresses (tab separated).
    Lists {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        strategy: StrategyArg,
        #[command(flatten)]
        network: NetworkFail,
    },
    /// Print every server's load: cluster, service, node number, first-choice clients, clients
    /// after the worst single failure of another server.
    Load {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        strategy: StrategyArg,
        /// Fail these nodes (node numbers, comma separated) of the cluster: they serve no one and
        /// are no clients; the worst single failure is then taken on top of them.
        #[arg(long, value_delimiter = ',', value_name = "N,M")]
        fail: Vec<u32>,
        /// The cluster whose services to print, and whose node numbers --fail names (needed
        /// with --fail when the document has several clusters).
        #[arg(long)]
        cluster: Option<String>,
        #[command(flatten)]
        network: NetworkFail,
        /// Print each router's failure alone instead, per service: the router, the largest
        /// load it causes, the server with it, the clients it leaves unserved, and which is the
        /// worst single router failure (with --fail's nodes down too).
        #[arg(long)]
        router_failures: bool,
    },
    /// Print the diagnostics, one a line; exit 1 if any is an error or a budget is broken.
    Check {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        strategy: StrategyArg,
        #[command(flatten)]
        network: NetworkFail,
        #[command(flatten)]
        budgets: budgets::Budgets,
    },
    /// Print the hop distance between every pair of subnets (a matrix), or with --from one
    /// node's distance to every address of every service.
    Hops {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        network: NetworkFail,
        /// The node: its uid, or its node number in --cluster (or in the document's only
        /// cluster).
        #[arg(long, value_name = "NODE")]
        from: Option<String>,
        /// The cluster a node number refers to.
        #[arg(long)]
        cluster: Option<String>,
    },
    /// What a change to the model does: items added, removed and changed, the client lists that
    /// changed, every server's load before -> after, diagnostics appeared and gone. Exit 1 when
    /// the change breaks a budget or makes a broken one worse.
    Diff(diff::DiffArgs),
    /// Explain one client's list entry by entry, with the formula's numbers filled in.
    Explain {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        strategy: StrategyArg,
        /// Cluster id.
        #[arg(long)]
        cluster: String,
        /// Service name.
        #[arg(long)]
        service: String,
        /// The client: its node number in the cluster, or its uid.
        // A value starting with `-` is the node (clap's tip for it, `-- -1`, does not work).
        #[arg(long, allow_hyphen_values = true)]
        node: String,
    },
    /// Compare the strategies on the same model, service by service: first-choice balance,
    /// worst single failure, clients moved when a server is removed or added.
    Compare {
        #[command(flatten)]
        common: Common,
        /// The seed of the shuffle strategy.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Only this cluster's services.
        #[arg(long)]
        cluster: Option<String>,
        /// Only the services with this name.
        #[arg(long)]
        service: Option<String>,
    },
    /// Print a node's bootstrap: components, dependencies, order and FIG 8's steps.
    Bootstrap {
        #[command(flatten)]
        common: Common,
        /// The node: its uid, or its node number in --cluster (or in the document's only cluster).
        // A value starting with `-` is the node (clap's tip for it, `-- -1`, does not work).
        #[arg(long, allow_hyphen_values = true)]
        node: String,
        /// The cluster a node number refers to.
        #[arg(long)]
        cluster: Option<String>,
        /// An extra dependency, FROM->TO (FROM depends on TO) or FROM->TO:writes; repeatable.
        /// Components: dcm, registry, liveness, group-services, resource-manager, controller:NAME.
        #[arg(long = "depends", value_name = "FROM->TO")]
        depends: Vec<String>,
    },
    /// Print a share link to the model: the app's address with the whole document packed into
    /// its `#model=` fragment. The app opens it wherever it is served.
    Share {
        /// The `cluster-planner/1` document to read.
        model: PathBuf,
        /// The app's address the link starts with (default: what `bash scripts/serve.sh` serves).
        #[arg(long, value_name = "URL", default_value = links::DEFAULT_BASE)]
        base: String,
        /// A shared view (for embedding in documentation): the app opens it without asking and
        /// never saves it over the reader's own model.
        #[arg(long)]
        view: bool,
        /// The strategy the app shows the lists with (written in the link unless rotation).
        #[command(flatten)]
        strategy: StrategyArg,
        /// The UID of a node the app selects on opening, so its lists show at once.
        #[arg(long, value_name = "UID", allow_hyphen_values = true)]
        node: Option<String>,
        /// The model before the change: the link carries it too, and the app opens comparing
        /// the two (a design review).
        #[arg(long, value_name = "BEFORE")]
        before: Option<PathBuf>,
    },
    /// Run a lifecycle scenario against the model (bootstrap, join, define, move, faults): the
    /// trace, then one outcome line per operation (see docs/lifecycle.md).
    Simulate(simulate::SimulateArgs),
    /// Print the document a share link holds, as pretty JSON (redirect it to a file to save it).
    ReadLink {
        /// A share link, its fragment (`#model=...`), or `-` to read the link from standard input.
        link: String,
    },
}

impl Command {
    /// Does the command write JSON (rather than text for people)?
    fn writes_json(&self) -> bool {
        match self {
            Command::Lists { common, .. }
            | Command::Load { common, .. }
            | Command::Check { common, .. }
            | Command::Hops { common, .. }
            | Command::Explain { common, .. }
            | Command::Compare { common, .. }
            | Command::Bootstrap { common, .. } => common.json,
            Command::Diff(args) => args.json || args.format == diff::Format::Json,
            Command::Simulate(args) => args.json(),
            Command::ReadLink { .. } => true,
            Command::Share { .. } => false,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Buffered: `lists` writes 40,000 lines on a 10k model, and a locked stdout alone flushes
    // each line with its own system call (docs/performance.md, "The CLI end to end").
    let stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    // Text for people has every control character escaped; JSON (and `read-link`'s document)
    // is written as it is: serde_json escapes what JSON must.
    let mut out: Box<dyn Write> = if cli.command.writes_json() {
        Box::new(stdout)
    } else {
        Box::new(tables::Escaped(stdout))
    };
    match run(cli.command, &mut out).and_then(|o| out.flush().map(|()| o).map_err(Into::into)) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        // The reader of our output went away (`clusterplan lists M | head`): nothing to say.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // What was written before the failure comes out before the reason, as unbuffered.
            let _ = out.flush();
            // One line, whatever the cause chain holds, control characters escaped.
            let reason = tables::one_line(&format!("{error:#}"));
            eprintln!("clusterplan: {reason}");
            ExitCode::from(2)
        }
    }
}

/// Did the command stop because the reader of its output went away? Every write to the output
/// (text, or JSON through [`io::write_json`]) fails with the `io::Error` itself, so this one test
/// covers both forms.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(command: Command, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        Command::Lists { common, strategy, network } => {
            let doc = load_document(&common.model)?;
            let plan = network.compile(&doc, strategy.strategy)?;
            report(&plan.diagnostics);
            if common.json && network.any() {
                write_json(out, &answers::list_lines_flagged(&plan))?;
            } else {
                tables::lists(&plan, common.json, out)?;
            }
            exiting((doc, plan));
            Ok(Outcome::Ok)
        }
        Command::Load { common, strategy, fail, cluster, network, router_failures } => {
            let doc = load_document(&common.model)?;
            let cluster = match answers::load_cluster(&doc, cluster.as_deref(), !fail.is_empty()) {
                Ok(cluster) => cluster,
                Err(answers::LoadClusterError::NoSuchCluster(c)) => {
                    return Err(no_such_cluster(&doc, &c))
                }
                Err(answers::LoadClusterError::FailNeedsCluster) => {
                    bail!("--fail names node numbers of one cluster: give --cluster")
                }
            };
            let plan = network.compile(&doc, strategy.strategy)?;
            let failures = cluster
                .filter(|_| !fail.is_empty())
                .map(|cluster| answers::Failures { cluster, numbers: &fail });
            // A wrong --fail is the one line said, before any diagnostic.
            let lines = answers::load_lines(&plan, failures).map_err(|e| match &e {
                answers::AnswerError::NoNodeNumber { number, .. } => {
                    anyhow!("--fail {number}: {e}")
                }
                _ => anyhow!(e),
            })?;
            report(&plan.diagnostics);
            if router_failures {
                let failed: Vec<usize> = cluster
                    .map(|c| fail.iter().filter_map(|&n| plan.node_by_number(c, n)).collect())
                    .unwrap_or_default();
                tables::router_failures(&doc, &plan, &failed, cluster, common.json, out)?;
                return Ok(Outcome::Ok);
            }
            tables::load(lines, cluster, common.json, out)?;
            Ok(Outcome::Ok)
        }
        Command::Check { common, strategy, network, budgets } => {
            let doc = load_document(&common.model)?;
            let plan = network.compile(&doc, strategy.strategy)?;
            let outcome = budgets::check(&doc, &plan, &budgets, common.json, out);
            exiting((doc, plan));
            outcome
        }
        Command::Diff(args) => diff::run(&args, load_document, out),
        Command::Hops { common, network, from, cluster } => {
            let doc = load_document(&common.model)?;
            if let Some(cluster) = &cluster {
                require_cluster(&doc, cluster)?;
            }
            let from =
                from.map(|n| bootstrap::resolve_node(&doc, &n, cluster.as_deref())).transpose()?;
            let plan = network.compile(&doc, Strategy::Rotation)?;
            tables::hops(&plan, from.as_deref(), common.json, out)?;
            Ok(Outcome::Ok)
        }
        Command::Explain { common, strategy, cluster, service, node } => {
            let doc = load_document(&common.model)?;
            require_cluster(&doc, &cluster)?;
            let plan = compile(&doc, strategy.strategy);
            explain::run(&plan, &cluster, &service, &node, common.json, out)?;
            Ok(Outcome::Ok)
        }
        Command::Compare { common, seed, cluster, service } => {
            let doc = load_document(&common.model)?;
            if let Some(cluster) = &cluster {
                require_cluster(&doc, cluster)?;
            }
            let filter =
                compare::Filter { cluster: cluster.as_deref(), service: service.as_deref() };
            compare::run(&doc, seed, filter, common.json, out)?;
            Ok(Outcome::Ok)
        }
        Command::Bootstrap { common, node, cluster, depends } => {
            let doc = load_document(&common.model)?;
            if let Some(cluster) = &cluster {
                require_cluster(&doc, cluster)?;
            }
            bootstrap::run(&doc, &node, cluster.as_deref(), &depends, common.json, out)
        }
        Command::Share { model, base, view, strategy, node, before } => {
            let before = before.as_deref().map(load_document).transpose()?;
            let options = clusterplan_engine::share::LinkOptions {
                view,
                strategy: strategy.strategy,
                node,
                before,
                lesson: None,
                failures: clusterplan_engine::share::LinkFailures::default(),
            };
            links::share(&load_document(&model)?, &base, &options, out)?;
            Ok(Outcome::Ok)
        }
        Command::Simulate(args) => {
            // `--explore` is a check: a run that broke an invariant is the answer "no".
            if simulate::run(args, out)? {
                Ok(Outcome::Ok)
            } else {
                Ok(Outcome::Failed)
            }
        }
        Command::ReadLink { link } => {
            links::read_link(&link, out)?;
            Ok(Outcome::Ok)
        }
    }
}

/// Leaves `value` to the operating system, which frees the whole process at once when the
/// command ends: freeing a 10k model's document and plan item by item (~100,000 allocations)
/// is ~7 % of `check` (docs/performance.md, "The CLI end to end"). Only for what lives until
/// the command's answer is written.
fn exiting<T>(value: T) {
    std::mem::forget(value);
}

/// Fails unless the document defines cluster `id` (a question about a cluster that does not
/// exist is not answered as if it were empty), naming the clusters it does define.
fn require_cluster(doc: &Document, id: &str) -> Result<()> {
    if doc.clusters.iter().any(|c| c.id == id) {
        return Ok(());
    }
    Err(no_such_cluster(doc, id))
}

/// "There is no cluster X", with the clusters there are.
fn no_such_cluster(doc: &Document, id: &str) -> anyhow::Error {
    let ids: Vec<String> = doc.clusters.iter().map(|c| tables::field(&c.id)).collect();
    if ids.is_empty() {
        return anyhow!("there is no cluster {id:?}: the document defines no cluster");
    }
    anyhow!("there is no cluster {id:?}: the document's clusters are {}", ids.join(", "))
}

/// Diagnostics of `lists` and `load` go to standard error, one a line.
fn report(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        // A closed standard error must not stop the command.
        let _ = writeln!(err, "{}", tables::one_line(&d.to_string()));
    }
}
