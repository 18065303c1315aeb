//! Design review: what a change to a model does, from two documents and their plans.
//!
//! Items are matched by identity (cluster id, network name, subnet prefix, router name, node
//! uid, service cluster + name): a renamed node is a change, a renamed router a removal and an
//! addition. For every service the diff holds the clients whose ordered list changed (each
//! change in words: "10.0.1.3 moved from 2nd to 1st"), every server's first-choice and
//! worst-single-failure load before -> after, the balance before -> after, and the diagnostics
//! that appeared and went away. Loads, balance and diagnostics are read off the two plans as
//! they are (load and balance: docs/spec.md §4), never recomputed here: the diff follows
//! whatever the load rules of the plan are.
//!
//! The diff is plain data (`data.rs`), computed by `items.rs` (the documents' items) and
//! `services.rs` (lists and load) and put into words by `text.rs` (summary, figures, lines; the
//! `fields` and `words` phrases of the data are written there too).

mod data;
mod items;
mod services;
mod text;

pub use crate::text::ordinal;
pub use data::{
    Change, Diff, Field, ItemChange, ListChange, ListStep, RouterWorst, ServerDiff, ServiceDiff,
    Side,
};
pub use text::signed;

use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::failures::FailureSet;
use crate::plan::{Plan, ServicePlan};
use crate::strategy::Strategy;
use std::collections::{BTreeMap, HashMap};

/// Compiles both documents with `strategy` and diffs them.
pub fn diff(before: &Document, after: &Document, strategy: Strategy) -> Diff {
    let before_plan = crate::build::compile(before, strategy);
    let after_plan = crate::build::compile(after, strategy);
    diff_plans(before, &before_plan, after, &after_plan)
}

/// Compiles both documents with `strategy` under a failure set (its routers and subnets fail
/// in both models: `crate::compile_with`) and diffs them; the diff records the set. With
/// `router_failures`, each service's worst single router failure on each side too
/// ([`add_router_failures`], with the set's nodes down).
pub fn diff_under(
    before: &Document,
    after: &Document,
    strategy: Strategy,
    failures: &FailureSet,
    router_failures: bool,
) -> Diff {
    let before_plan = crate::build::compile_with(before, strategy, failures);
    let after_plan = crate::build::compile_with(after, strategy, failures);
    let mut diff = diff_plans(before, &before_plan, after, &after_plan);
    diff.failures = failures.clone();
    if router_failures {
        add_router_failures(&mut diff, (before, &before_plan), (after, &after_plan));
    }
    diff
}

/// Adds each service's worst single router failure before and after
/// ([`crate::network::router_failures`], with the diff's failed nodes down) to a diff of these
/// two documents and plans. Costly on large models (every router's failure, lists ordered
/// again where it changes them), so a diff holds it only when asked.
pub fn add_router_failures(
    diff: &mut Diff,
    (before, before_plan): (&Document, &Plan),
    (after, after_plan): (&Document, &Plan),
) {
    let worst = |doc: &Document, plan: &Plan| -> BTreeMap<(String, String), RouterWorst> {
        let nodes = diff.failures.failed_nodes(plan);
        crate::network::router_failures(doc, plan, &nodes)
            .into_iter()
            .filter_map(|s| {
                let w = s.worst()?;
                let worst = RouterWorst {
                    router: w.name.clone(),
                    largest: w.largest,
                    unserved: w.unserved.len(),
                };
                Some(((s.cluster, s.service), worst))
            })
            .collect()
    };
    let (mut was, mut now) = (worst(before, before_plan), worst(after, after_plan));
    for s in &mut diff.services {
        let key = (s.cluster.clone(), s.service.clone());
        s.worst_router_failure = Some(Side { before: was.remove(&key), after: now.remove(&key) });
    }
}

/// Diffs two documents whose plans are already compiled (the app keeps both memoised).
pub fn diff_plans(
    before: &Document,
    before_plan: &Plan,
    after: &Document,
    after_plan: &Plan,
) -> Diff {
    let mut by_name: BTreeMap<(&str, &str), Side<Option<&ServicePlan>>> = BTreeMap::new();
    for sp in &before_plan.services {
        by_name.entry((&sp.cluster, &sp.service)).or_default().before = Some(sp);
    }
    for sp in &after_plan.services {
        by_name.entry((&sp.cluster, &sp.service)).or_default().after = Some(sp);
    }
    let services = by_name
        .into_iter()
        .map(|((cluster, service), side)| {
            services::service_diff(
                cluster,
                service,
                (before_plan, side.before),
                (after_plan, side.after),
            )
        })
        .collect();
    let (diagnostics_appeared, diagnostics_gone) =
        diagnostics(&before_plan.diagnostics, &after_plan.diagnostics);
    Diff {
        strategy: after_plan.strategy,
        items: items::items(before, after),
        services,
        diagnostics_appeared,
        diagnostics_gone,
        failures: FailureSet::default(),
    }
}

/// (appeared, gone), each in its plan's order; a diagnostic reported twice counts twice.
fn diagnostics(before: &[Diagnostic], after: &[Diagnostic]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let minus = |a: &[Diagnostic], b: &[Diagnostic]| {
        let mut left: HashMap<&Diagnostic, usize> = HashMap::new();
        for d in b {
            *left.entry(d).or_default() += 1;
        }
        a.iter()
            .filter(|d| match left.get_mut(d) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    (minus(after, before), minus(before, after))
}
