//! Budgets for CI: `--max-balance`, `--max-failure-balance`, `--no-unserved` on `check` and
//! `diff`, one line per budget broken, naming the service and the server.
//!
//! The figures are the plan's own (`ServiceLoad`'s balances, first-choice and worst-single-failure
//! loads, unserved clients; docs/spec.md §4): a budget reads them, it never computes load
//! itself.

use clap::Args;
use clusterplan_engine::plan::ServicePlan;
use clusterplan_engine::text::{count, ratio};
use clusterplan_engine::{Document, Item, Plan};
use serde::Serialize;
use std::io::Write;

use crate::Outcome;

/// The budgets a model must keep (all optional; none given = nothing checked).
#[derive(Debug, Clone, Default, Args)]
pub struct Budgets {
    /// Fail when a service's first-choice balance (its busiest server's load / the ideal,
    /// clients / servers) is above RATIO.
    #[arg(long, value_name = "RATIO", value_parser = parse_ratio)]
    pub max_balance: Option<f64>,
    /// Fail when a service's worst-single-failure balance (the largest load a server gets when
    /// one other server fails / clients per server with one fewer) is above RATIO.
    #[arg(long, value_name = "RATIO", value_parser = parse_ratio)]
    pub max_failure_balance: Option<f64>,
    /// Fail when a service has a client that no server can serve.
    #[arg(long)]
    pub no_unserved: bool,
    /// Fail when one router's failure alone would leave a client of a service unserved (a
    /// single point of failure in the network).
    #[arg(long)]
    pub no_single_router_failure_unserved: bool,
}

fn parse_ratio(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("{text:?} is not a ratio (a positive number such as 1.5)")),
    }
}

/// Which budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Budget {
    MaxBalance,
    MaxFailureBalance,
    NoUnserved,
    NoSingleRouterFailureUnserved,
}

impl Budget {
    /// The option that sets it (`max-balance`), also the code of its lines.
    pub fn code(self) -> &'static str {
        match self {
            Budget::MaxBalance => "max-balance",
            Budget::MaxFailureBalance => "max-failure-balance",
            Budget::NoUnserved => "no-unserved",
            Budget::NoSingleRouterFailureUnserved => "no-single-router-failure-unserved",
        }
    }
}

/// A budget a service breaks: the figure, the limit, and the words naming the server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// Always `"budget"`, so a breach reads like a diagnostic (`severity`, `code`, `item`,
    /// `message`).
    pub severity: &'static str,
    pub code: Budget,
    pub item: Item,
    /// The balance (or the number of unserved clients).
    pub value: f64,
    /// The budget's limit (0 for `no-unserved`).
    pub limit: f64,
    pub message: String,
    /// `diff` only: `"broken by this change"`, `"made worse (was X)"` or `"already broken,
    /// not made worse (was X)"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
}

impl Breach {
    /// `budget[max-balance] service registry of cluster A: first-choice balance 3.00 is above
    /// 1.50: server 5 has 5 of 10 clients (ideal 1.67)`, and for `diff` what the change did.
    pub fn line(&self) -> String {
        let mut line = crate::tables::one_line(&format!(
            "budget[{}] {}: {}",
            self.code.code(),
            self.item,
            self.message
        ));
        if let Some(change) = &self.change {
            line.push_str(" -- ");
            line.push_str(change);
        }
        line
    }

    /// A `diff` breach fails the run unless it was broken before and is not worse.
    pub fn fails(&self) -> bool {
        self.change.as_deref().is_none_or(|c| !c.starts_with("already broken"))
    }
}

/// Beyond the limit (a ratio equal to the budget keeps it; rounding noise is ignored).
fn above(value: f64, limit: f64) -> bool {
    value > limit + 1e-9
}

impl Budgets {
    pub fn any(&self) -> bool {
        self.max_balance.is_some()
            || self.max_failure_balance.is_some()
            || self.no_unserved
            || self.no_single_router_failure_unserved
    }

    /// Every budget the plan (of `doc`) breaks, service by service (in the plan's order).
    pub fn breaches(&self, doc: &Document, plan: &Plan) -> Vec<Breach> {
        let mut out = Vec::new();
        let stranded = if self.no_single_router_failure_unserved {
            clusterplan_engine::network::single_router_unserved(plan)
        } else {
            Vec::new()
        };
        for (i, sp) in plan.services.iter().enumerate() {
            let item = Item::Service { cluster: sp.cluster.clone(), name: sp.service.clone() };
            let breach = |code, value, limit, message| Breach {
                severity: "budget",
                code,
                item: item.clone(),
                value,
                limit,
                message,
                change: None,
            };
            let load = &sp.load;
            if let (Some(limit), Some(value)) = (self.max_balance, load.balance_first_choice) {
                if above(value, limit) {
                    out.push(breach(
                        Budget::MaxBalance,
                        value,
                        limit,
                        balance_words(sp, value, limit),
                    ));
                }
            }
            if let (Some(limit), Some(value)) =
                (self.max_failure_balance, load.balance_worst_failure)
            {
                if above(value, limit) {
                    let message = failure_words(sp, value, limit);
                    out.push(breach(Budget::MaxFailureBalance, value, limit, message));
                }
            }
            if self.no_unserved && load.unserved > 0 {
                let message = unserved_words(sp);
                out.push(breach(Budget::NoUnserved, load.unserved as f64, 0.0, message));
            }
            if let Some((most, message)) = stranded.get(i).and_then(|s| router_words(doc, sp, s)) {
                out.push(breach(Budget::NoSingleRouterFailureUnserved, most as f64, 0.0, message));
            }
        }
        out
    }

    /// The breaches of `after`, each saying what the change did to it compared with `before`.
    pub fn diff(
        &self,
        (before_doc, before): (&Document, &Plan),
        (after_doc, after): (&Document, &Plan),
    ) -> Vec<Breach> {
        let was = self.breaches(before_doc, before);
        let mut now = self.breaches(after_doc, after);
        for b in &mut now {
            let old = was.iter().find(|w| w.code == b.code && w.item == b.item);
            let figure = |v: f64| match b.code {
                Budget::NoUnserved | Budget::NoSingleRouterFailureUnserved => format!("{v}"),
                _ => ratio(Some(v)),
            };
            b.change = Some(match old {
                None => "broken by this change".to_owned(),
                Some(w) if above(b.value, w.value) => {
                    format!("made worse (was {})", figure(w.value))
                }
                Some(w) => format!("already broken, not made worse (was {})", figure(w.value)),
            });
        }
        now
    }
}

/// The busiest server on first choice (the first one, in node number order, on ties).
fn busiest(loads: impl Iterator<Item = usize>) -> Option<(usize, usize)> {
    loads.enumerate().fold(None, |best, (s, l)| match best {
        Some((_, b)) if b >= l => best,
        _ => Some((s, l)),
    })
}

/// The ideal load a balance was measured against: the busiest load / the balance (the plan's
/// balance counts the servers in play and the clients left, which this keeps).
fn ideal(busiest: usize, balance: f64) -> String {
    ratio(Some(busiest as f64 / balance))
}

fn balance_words(sp: &ServicePlan, value: f64, limit: f64) -> String {
    let load = &sp.load;
    let server = busiest(load.first_choice.iter().copied()).map_or_else(String::new, |(s, l)| {
        format!(
            ": server {} has {l} of {} clients first (ideal {})",
            sp.servers[s].number,
            load.clients,
            ideal(l, value)
        )
    });
    format!("first-choice balance {} is above {}{server}", ratio(Some(value)), ratio(Some(limit)))
}

fn failure_words(sp: &ServicePlan, value: f64, limit: f64) -> String {
    let load = &sp.load;
    let worst = busiest(load.worst_single_failure.iter().map(|w| w.0));
    let server = worst.map_or_else(String::new, |(s, l)| {
        // The failure is named only when it adds to the server's first-choice load.
        let first = load.first_choice.get(s).copied().unwrap_or(0);
        let when = match load.worst_single_failure[s].1 {
            Some(f) if l > first => format!("when server {} fails", sp.servers[f].number),
            _ => "on first choice: no single failure adds to it".to_owned(),
        };
        format!(
            ": server {} has {l} clients {when} (ideal {})",
            sp.servers[s].number,
            ideal(l, value)
        )
    });
    format!(
        "worst-single-failure balance {} is above {}{server}",
        ratio(Some(value)),
        ratio(Some(limit))
    )
}

/// The routers whose failure alone leaves clients of the service unserved: the most clients
/// one of them strands, and the words (`None` when no router does).
fn router_words(
    doc: &Document,
    sp: &ServicePlan,
    stranded: &[(usize, Vec<usize>)],
) -> Option<(usize, String)> {
    let (r, lists) = stranded.iter().max_by_key(|(r, l)| (l.len(), std::cmp::Reverse(*r)))?;
    let name = doc.routers.get(*r).map_or("?", |x| x.name.as_str());
    let numbers: Vec<String> =
        lists.iter().take(10).map(|&i| sp.lists[i].number.to_string()).collect();
    let more =
        if lists.len() > 10 { format!(" and {} more", lists.len() - 10) } else { String::new() };
    let others = match stranded.len() {
        1 => String::new(),
        n => format!(" ({n} routers leave clients unserved)"),
    };
    let message = format!(
        "router {name}'s failure alone leaves {} of {} clients unserved: nodes {}{more}{others}",
        lists.len(),
        sp.lists.len(),
        numbers.join(", ")
    );
    Some((lists.len(), message))
}

fn unserved_words(sp: &ServicePlan) -> String {
    let clients = sp.lists.clients();
    let nodes: Vec<String> = sp
        .load
        .serving
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .filter_map(|(i, _)| clients.get(i).map(|c| c.number.to_string()))
        .collect();
    let shown = nodes.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
    let more =
        if nodes.len() > 10 { format!(" and {} more", nodes.len() - 10) } else { String::new() };
    let n = sp.load.unserved;
    let node = if n == 1 { "node" } else { "nodes" };
    format!(
        "{} unserved (no server it can reach): {node} {shown}{more}",
        count(n, "client is", "clients are")
    )
}

/// `check` with budgets: the diagnostics as `tables::check` writes them, then one line per
/// budget broken (in JSON, the breaches follow the diagnostics in the one array); fails when a
/// diagnostic is an error or a budget is broken.
pub fn check(
    doc: &Document,
    plan: &Plan,
    budgets: &Budgets,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    if !budgets.any() {
        return crate::tables::check(plan, json, out);
    }
    let breaches = budgets.breaches(doc, plan);
    let outcome = if json {
        let mut all: Vec<serde_json::Value> =
            plan.diagnostics.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
        for b in &breaches {
            all.push(serde_json::to_value(b)?);
        }
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
        let errors =
            plan.diagnostics.iter().any(|d| d.severity == clusterplan_engine::Severity::Error);
        if errors {
            Outcome::Failed
        } else {
            Outcome::Ok
        }
    } else {
        let outcome = crate::tables::check(plan, false, out)?;
        for b in &breaches {
            writeln!(out, "{}", b.line())?;
        }
        outcome
    };
    Ok(if breaches.is_empty() { outcome } else { Outcome::Failed })
}
