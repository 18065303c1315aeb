//! The root component: owns the reducer, derives the plan, lays out the panels.

use crate::examples;
use crate::state::{Action, AppState};
use clusterplan_engine::{compile, Plan};
use std::rc::Rc;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(examples::FIG24.document()));
    let plan: Rc<Plan> = {
        let deps = (state.document.clone(), state.view.strategy);
        use_memo(deps, |(doc, strategy)| compile(doc, *strategy))
    };
    let select = {
        let state = state.clone();
        Callback::from(move |uid: String| state.dispatch(Action::SelectNode(Some(uid))))
    };
    html! {
        <main class="app" data-ready="true">
            <header class="toolbar"><h1>{ "clusterplan" }</h1></header>
            <section class="lists">
                { for plan.services.iter().map(|service| html! {
                    <div class="service">
                        <h2>{ format!("{} / {}", service.cluster, service.service) }</h2>
                        <ol class="client-lists">
                        { for service.lists.iter().map(|list| {
                            let node = &plan.nodes[list.node];
                            let uid = node.uid.clone();
                            let onclick = { let select = select.clone(); Callback::from(move |_| select.emit(uid.clone())) };
                            let addresses: Vec<String> = list.entries.iter().map(|e| service.addresses[e.address].ip.to_string()).collect();
                            html! {
                                <li class="client-list" data-testid="client-list" data-service={service.service.clone()} data-node-number={list.number.to_string()} data-addresses={addresses.join(",")} {onclick}>
                                    <span class="node-number">{ list.number }</span>
                                    <span class="addresses">{ addresses.join(", ") }</span>
                                </li>
                            }
                        }) }
                        </ol>
                    </div>
                }) }
            </section>
        </main>
    }
}
