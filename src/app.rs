//! The root component: owns the reducer, derives the plan, lays out the panels.

use crate::examples;
use crate::results;
use crate::state::{Action, AppState};
use clusterplan_engine::{compile, Plan};
use std::rc::Rc;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(examples::FIG24.document()));
    // The plan is derived on every edit (never stored), timed for the results' status bar.
    let compiled: Rc<(Rc<Plan>, Option<f64>)> = {
        let deps = (state.document.clone(), state.view.strategy);
        use_memo(deps, |(doc, strategy)| {
            let start = results::now_ms();
            let plan = Rc::new(compile(doc, *strategy));
            (plan, start.zip(results::now_ms()).map(|(a, b)| b - a))
        })
    };
    let plan: Rc<Plan> = compiled.0.clone();
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
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
            <results::ResultsPanel plan={plan.clone()} state={Rc::new((*state).clone())} {dispatch} compile_ms={compiled.1} />
        </main>
    }
}
