//! The Load tab's network failures (docs/spec.md §2): the model's routers and subnets, each
//! with a button that fails it or restores it. The plan is then compiled under the failure set
//! (`crate::ui::compile`), so the lists, the load, the diagnostics and the hops follow.

use crate::model::view::ViewAction;
use crate::ui::results::DocRef;
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct NetworkFailuresProps {
    /// The document the plan was compiled from: its routers and subnets are listed.
    pub document: DocRef,
    pub failed_routers: BTreeSet<String>,
    pub failed_subnets: BTreeSet<String>,
    pub on_view: Callback<ViewAction>,
}

/// Fail or restore each router and subnet of the model.
#[function_component(NetworkFailures)]
pub fn network_failures(props: &NetworkFailuresProps) -> Html {
    let doc = &props.document;
    if doc.routers.is_empty() && doc.subnets.is_empty() {
        return html! {};
    }
    let item = |kind: &'static str, name: &str, failed: bool, action: ViewAction| {
        let onclick = props.on_view.reform(move |_| action.clone());
        let verb = if failed { "restore" } else { "fail" };
        html! {
            <li class={classes!(failed.then_some("failed"))} data-testid={format!("fail-{kind}-{name}")}>
                <span class="name">{ name.to_owned() }</span>
                if failed { <span class="state">{ " (failed)" }</span> }
                { " " }
                <button class="link" aria-label={format!("{verb} {kind} {name}")} aria-pressed={failed.to_string()} {onclick}>{ verb }</button>
            </li>
        }
    };
    html! {
        <section class="network-failures" aria-label="network failures" data-testid="network-failures">
            <h3>{ "Network failures" }</h3>
            <p class="hint">{ "Fail a router or a subnet: the lists, the load, the diagnostics and the hops are compiled without it." }</p>
            if !doc.routers.is_empty() {
                <h4>{ "Routers" }</h4>
                <ul class="failure-list">
                { for doc.routers.iter().map(|r| {
                    let failed = props.failed_routers.contains(&r.name);
                    item("router", &r.name, failed, ViewAction::ToggleFailedRouter(r.name.clone()))
                }) }
                </ul>
            }
            if !doc.subnets.is_empty() {
                <h4>{ "Subnets" }</h4>
                <ul class="failure-list">
                { for doc.subnets.iter().map(|s| {
                    let failed = props.failed_subnets.contains(&s.prefix);
                    item("subnet", &s.prefix, failed, ViewAction::ToggleFailedSubnet(s.prefix.clone()))
                }) }
                </ul>
            }
        </section>
    }
}
