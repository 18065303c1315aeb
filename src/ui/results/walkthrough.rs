//! The list walkthrough of the node view: one client's list built step by step as FIG 22 and
//! FIG 24 do (docs/spec.md §3), forward and back like a lesson. The steps come from the engine
//! ([`clusterplan_engine::walkthrough`], derived by [`derive`]); the canvas marks each step's
//! nodes, subnets and routers ([`crate::model::overlay::CanvasOverlay::walk_marks`]); this
//! module only renders.

use crate::model::view::{ViewAction, WalkView};
use clusterplan_engine::walkthrough::{walkthrough, Step, StepKind, Walkthrough};
use clusterplan_engine::{Document, Plan};
use std::net::IpAddr;
use yew::prelude::*;

/// The walkthrough the view asks for, on this plan (`None`: the node or service is gone, or
/// the node is no client of the service).
pub fn derive(plan: &Plan, doc: &Document, walk: &WalkView) -> Option<Walkthrough> {
    let (service, _) = plan.service(&walk.service.cluster, &walk.service.name)?;
    walkthrough(plan, doc, service, plan.node_by_uid(&walk.node)?)
}

fn ip_list(ips: &[IpAddr]) -> String {
    ips.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn hops_text(hops: Option<u32>) -> String {
    hops.map_or_else(|| "unreachable".to_owned(), |h| h.to_string())
}

/// The table of one step.
fn detail(step: &Step) -> Html {
    let table = |head: &[&str], rows: Vec<Vec<String>>| {
        html! {
            <table class="walk-table" data-testid="walk-table">
                <thead><tr>{ for head.iter().map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
                <tbody>{ for rows.into_iter().map(|r| html! {
                    <tr>{ for r.into_iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                }) }</tbody>
            </table>
        }
    };
    match &step.kind {
        StepKind::Addresses { addresses } => table(
            &["address", "server node"],
            addresses
                .iter()
                .map(|a| {
                    vec![a.address.to_string(), a.server.clone().unwrap_or_else(|| "none".into())]
                })
                .collect(),
        ),
        StepKind::Chain(c) => table(
            &["address", "AND mask", "= subnet", "network", "priority", "tier"],
            vec![vec![
                c.address.to_string(),
                c.mask.map_or_else(|| "-".into(), |m| m.to_string()),
                match c.masked {
                    Some(m) if !c.implicit => format!("{m} ({})", c.subnet),
                    _ => format!("{} (implicit)", c.subnet),
                },
                c.network.clone().unwrap_or_else(|| "none".into()),
                c.priority.map_or_else(|| "none".into(), |p| p.to_string()),
                c.tier.to_string(),
            ]],
        ),
        StepKind::Tiers { tiers } => table(
            &["tier", "priority", "addresses (address order)"],
            tiers
                .iter()
                .map(|t| {
                    vec![
                        t.tier.to_string(),
                        t.priority.map_or_else(|| "none".into(), |p| p.to_string()),
                        ip_list(&t.addresses),
                    ]
                })
                .collect(),
        ),
        StepKind::Local { addresses } if addresses.is_empty() => html! {},
        StepKind::Local { addresses } => table(
            &["tier", "local address"],
            addresses.iter().map(|(t, a)| vec![t.to_string(), a.to_string()]).collect(),
        ),
        StepKind::Hops { distances } => table(
            &["tier", "address", "hops", "path"],
            distances
                .iter()
                .map(|d| {
                    vec![
                        d.tier.to_string(),
                        d.address.to_string(),
                        hops_text(d.hops),
                        d.path.join(" → "),
                    ]
                })
                .collect(),
        ),
        StepKind::Group { members, .. } => table(
            &["index", "member (sorted by address)"],
            members.iter().enumerate().map(|(i, a)| vec![i.to_string(), a.to_string()]).collect(),
        ),
        StepKind::Order { n, m, picks, .. } => html! {
            <>
            <p class="walk-nm" data-testid="walk-nm">{ format!("n = {n}, m = {m}") }</p>
            { table(&["k", "rule", "index", "address listed"],
                picks.iter().map(|p| vec![p.k.to_string(), p.formula.clone(), p.index.to_string(), p.address.to_string()]).collect()) }
            </>
        },
        StepKind::List { addresses } => html! {
            <ol class="walk-list" data-testid="walk-list">
                { for addresses.iter().map(|a| html! { <li>{ a.to_string() }</li> }) }
            </ol>
        },
    }
}

/// The walkthrough panel: the controls, the steps (the current one open), under the list.
pub fn panel(w: &Walkthrough, step: usize, on_view: &Callback<ViewAction>) -> Html {
    let steps = w.steps.len();
    let step = step.min(steps.saturating_sub(1));
    let go = |to: usize| on_view.reform(move |_| ViewAction::WalkGoTo { step: to, steps });
    let close = on_view.reform(|_| ViewAction::WalkOpen(None));
    html! {
        <div class="walkthrough" data-testid="walkthrough">
            <div class="walk-controls">
                <button data-testid="walk-start" title="Back to the first step" disabled={step == 0} onclick={go(0)}>{ "|◀" }</button>
                <button data-testid="walk-back" title="One step back" disabled={step == 0} onclick={go(step.saturating_sub(1))}>{ "◀" }</button>
                <button data-testid="walk-forward" title="One step forward" disabled={step + 1 >= steps} onclick={go(step + 1)}>{ "▶" }</button>
                <span class="walk-position" data-testid="walk-position">{ format!("step {} of {steps}", step + 1) }</span>
                <span class="muted">{ format!("node {} (n = {}), strategy {}", w.client, w.number, w.strategy) }</span>
                <button class="link" data-testid="walk-close" onclick={close}>{ "close" }</button>
            </div>
            <div class="walk-body">
                <ol class="walk-steps">
                { for w.steps.iter().enumerate().map(|(i, s)| html! {
                    <li class={classes!("walk-step", (i == step).then_some("current"), (i > step).then_some("future"))}
                        data-testid="walk-step" data-step={i.to_string()}>
                        <button class="walk-title" onclick={go(i)}>{ &s.title }</button>
                    </li>
                }) }
                </ol>
                if let Some(s) = w.steps.get(step) {
                    <div class="walk-detail" data-testid="walk-detail">
                        <h5>{ &s.title }</h5>
                        <p class="walk-text" data-testid="walk-text">{ &s.text }</p>
                        { detail(s) }
                    </div>
                }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::fig24;
    use crate::model::view::ServiceKey;

    #[test]
    fn the_view_names_the_walkthrough_by_node_and_service() {
        let (plan, doc) = fig24();
        let walk =
            WalkView { node: "n5".into(), service: ServiceKey::new("A", "registry"), step: 0 };
        let w = derive(&plan, &doc, &walk).unwrap();
        assert_eq!((w.client.as_str(), w.number), ("n5", 5));
        let StepKind::List { addresses } = &w.steps.last().unwrap().kind else { panic!() };
        assert_eq!(
            ip_list(addresses),
            "10.0.0.1, 10.0.1.9, 10.0.1.3, 10.0.1.7, 10.0.2.20, 10.0.2.12"
        );
        let gone = WalkView { node: "n99".into(), ..walk.clone() };
        assert!(derive(&plan, &doc, &gone).is_none());
        let other = WalkView { service: ServiceKey::new("A", "nope"), ..walk };
        assert!(derive(&plan, &doc, &other).is_none());
    }
}
