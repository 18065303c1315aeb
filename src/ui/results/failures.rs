//! The Load tab's network failures (docs/spec.md §2): the model's routers and subnets, each
//! with a button that fails it or restores it. The plan is then compiled under the failure set
//! (`crate::ui::compile`), so the lists, the load, the diagnostics and the hops follow. Above the
//! list: the worst single router failure of the selected service (docs/spec.md §2), and beside
//! each router what its failure alone does, so a reviewer reads off which router hurts most and
//! which clients it strands without failing each one.

use crate::model::view::ViewAction;
use crate::ui::results::{DocRef, PlanRef};
use clusterplan_engine::document::Document;
use clusterplan_engine::network::{self, RouterFailure, ServiceRouterFailures};
use clusterplan_engine::text::count;
use clusterplan_engine::{FailureSet, Plan};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// Models of up to this many nodes get every router's failure computed on the page. It runs
/// again on every edit while the Load tab is open, and each router's failure reorders the
/// clients it moves: the CLI's debug build takes 1.02 s for a generated 2,000-node model and
/// 0.13 s for a 500-node one (`clusterplan load MODEL --router-failures`). Larger ones say how
/// to get it.
pub const ROUTER_FAILURES_UP_TO: usize = 500;

/// Each router's failure alone for every service, on top of the failed servers (`failed`:
/// uids), or `None` when the model is too large to compute it on the page.
pub fn router_failures(
    doc: &Document,
    plan: &Plan,
    failed: &BTreeSet<String>,
) -> Option<Vec<ServiceRouterFailures>> {
    if plan.nodes.len() > ROUTER_FAILURES_UP_TO {
        return None;
    }
    let set = FailureSet { nodes: failed.iter().cloned().collect(), ..FailureSet::default() };
    Some(network::router_failures(doc, plan, &set.failed_nodes(plan)))
}

/// A plan node by index, named as the results name nodes.
fn node_name(plan: &Plan, node: usize) -> String {
    plan.nodes.get(node).map(super::node_name).unwrap_or_default().to_owned()
}

/// What one router's failure alone does to the service: `largest load 6 on server 7, 2 clients
/// stranded: node 1, node 4`.
pub fn failure_text(plan: &Plan, service: usize, f: &RouterFailure) -> String {
    let server = f
        .server
        .and_then(|s| plan.services.get(service)?.servers.get(s))
        .map(|s| format!(" on {}", node_name(plan, s.node)))
        .unwrap_or_default();
    let mut text = format!("largest load {}{server}", f.largest);
    if !f.unserved.is_empty() {
        let names: Vec<String> = f.unserved.iter().take(8).map(|&n| node_name(plan, n)).collect();
        let more = f.unserved.len().saturating_sub(names.len());
        text += &format!(
            ", {} stranded: {}{}",
            count(f.unserved.len(), "client", "clients"),
            names.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
    }
    text
}

/// The line above the list: which router's failure hurts the service most, or that none does.
pub fn worst_text(plan: &Plan, service: usize, failures: &ServiceRouterFailures) -> String {
    match failures.worst() {
        Some(f) => format!(
            "Worst single router failure for {}: {}, {}.",
            failures.service,
            f.name,
            failure_text(plan, service, f)
        ),
        None => format!(
            "No single router failure raises a load of {} above first choice or strands a client.",
            failures.service
        ),
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct NetworkFailuresProps {
    /// The document the plan was compiled from: its routers and subnets are listed.
    pub document: DocRef,
    pub plan: PlanRef,
    /// The selected service (index into the plan's services), when there is one.
    pub service: Option<usize>,
    /// Failed server nodes (uids).
    pub failed: BTreeSet<String>,
    pub failed_routers: BTreeSet<String>,
    pub failed_subnets: BTreeSet<String>,
    pub on_view: Callback<ViewAction>,
}

/// Fail or restore each router and subnet of the model.
#[function_component(NetworkFailures)]
pub fn network_failures(props: &NetworkFailuresProps) -> Html {
    let doc = &props.document;
    let each = use_memo(
        (props.document.clone(), props.plan.clone(), props.failed.clone()),
        |(doc, plan, failed)| {
            if doc.routers.is_empty() {
                None
            } else {
                router_failures(doc, plan, failed).map(Rc::new)
            }
        },
    );
    if doc.routers.is_empty() && doc.subnets.is_empty() {
        return html! {};
    }
    let plan = &props.plan;
    let of_service = props.service.and_then(|s| Some((s, each.as_ref().as_ref()?.get(s)?)));
    let router_note = |i: usize| -> Html {
        let Some((s, f)) = of_service else { return html! {} };
        let Some(r) = f.routers.get(i) else { return html! {} };
        let worst = f.worst == Some(i);
        html! {
            <span class={classes!("router-failure", worst.then_some("worst"))} data-testid={format!("router-failure-{}", r.name)}>
                { if worst { " worst: " } else { " alone: " } }{ failure_text(plan, s, r) }
            </span>
        }
    };
    let item = |kind: &'static str, name: &str, failed: bool, action: ViewAction, note: Html| {
        let onclick = props.on_view.reform(move |_| action.clone());
        let verb = if failed { "restore" } else { "fail" };
        html! {
            <li class={classes!(failed.then_some("failed"))} data-testid={format!("fail-{kind}-{name}")}>
                <span class="name">{ name.to_owned() }</span>
                if failed { <span class="state">{ " (failed)" }</span> }
                { " " }
                <button class="link" aria-label={format!("{verb} {kind} {name}")} aria-pressed={failed.to_string()} {onclick}>{ verb }</button>
                { note }
            </li>
        }
    };
    html! {
        <section class="network-failures" aria-label="network failures" data-testid="network-failures">
            <h3>{ "Network failures" }</h3>
            <p class="hint">{ "Fail a router or a subnet: the lists, the load, the diagnostics and the hops are compiled without it." }</p>
            if !doc.routers.is_empty() {
                <h4>{ "Routers" }</h4>
                { match (of_service, each.is_some()) {
                    (Some((s, f)), _) => html! { <p class="worst-router" data-testid="worst-router">{ worst_text(plan, s, f) }</p> },
                    (None, false) => html! { <p class="hint" data-testid="worst-router">{ format!("Every router's failure alone is computed on the page for models of up to {} nodes; `clusterplan load --router-failures` gives it for any model.", clusterplan_engine::text::thousands(ROUTER_FAILURES_UP_TO)) }</p> },
                    (None, true) => html! {},
                } }
                <ul class="failure-list">
                { for doc.routers.iter().enumerate().map(|(i, r)| {
                    let failed = props.failed_routers.contains(&r.name);
                    item("router", &r.name, failed, ViewAction::ToggleFailedRouter(r.name.clone()), router_note(i))
                }) }
                </ul>
            }
            if !doc.subnets.is_empty() {
                <h4>{ "Subnets" }</h4>
                <ul class="failure-list">
                { for doc.subnets.iter().map(|s| {
                    let failed = props.failed_subnets.contains(&s.prefix);
                    item("subnet", &s.prefix, failed, ViewAction::ToggleFailedSubnet(s.prefix.clone()), html! {})
                }) }
                </ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::fig24;
    use clusterplan_engine::{compile, document, Strategy};

    #[test]
    fn the_worst_router_failure_is_named_with_the_clients_it_strands() {
        // The engine's residues model: one router carries every client to the servers.
        let doc = document::read(include_str!("../../../crates/engine/tests/data/residues.json"))
            .unwrap();
        let plan = compile(&doc, Strategy::Rotation);
        let all = router_failures(&doc, &plan, &BTreeSet::new()).unwrap();
        let worst = all[0].worst().expect("its one router strands clients");
        assert_eq!(worst.unserved.len(), 6);
        let text = worst_text(&plan, 0, &all[0]);
        assert!(
            text.starts_with(&format!(
                "Worst single router failure for {}: {}, largest load",
                all[0].service, worst.name
            )) && text.contains(", 6 clients stranded: "),
            "{text}"
        );
        // FIG 24's registry: neither router's failure raises a load above first choice or strands
        // a client (node 5's subnet keeps its own server), so none is named.
        let (plan, doc) = fig24();
        let all = router_failures(&doc, &plan, &BTreeSet::new()).unwrap();
        assert_eq!(all[0].service, "registry");
        assert!(all[0].worst().is_none());
        assert_eq!(
            worst_text(&plan, 0, &all[0]),
            "No single router failure raises a load of registry above first choice or strands a client."
        );
        assert_eq!(all[0].routers.len(), doc.routers.len());
    }

    #[test]
    fn a_large_model_is_left_to_the_command_line() {
        let doc = clusterplan_engine::generate::data_centre(ROUTER_FAILURES_UP_TO + 1);
        let plan = compile(&doc, Strategy::Rotation);
        assert!(plan.nodes.len() > ROUTER_FAILURES_UP_TO);
        assert!(router_failures(&doc, &plan, &BTreeSet::new()).is_none());
    }
}
